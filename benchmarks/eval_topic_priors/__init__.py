"""Which topic-word prior (eta) should our LDA use by default? Quality of each choice, measured.

    python -m benchmarks.eval_topic_priors            # writes benchmarks/eval_topic_priors/results/topic_priors.md/json

Our default LDA (tomotopy, 200 Gibbs sweeps, here on one sampling thread) is fitted with
eta = 0.01 (tomotopy's and MALLET's default), 1/K (gensim's and scikit-learn's default, and
ours), 0.05 and 0.1, three seeds each, on the library's French preprocessing:

- an-debats (1,190 Assemblée sittings), K = 20 and 50: c_npmi (window 10, top 10 words),
  topic diversity (top 25), mean exclusivity (top 10), and held-out log-likelihood per token
  (model fitted on 90 % of the sittings, half of each held-out sitting's tokens folded in,
  the other half scored; ``discourse.topics.held_out_log_likelihood``);
- agreement with known labels, as in ``eval_topic_labels`` (K = number of labels): NMI and
  purity of the dominant topic against the legal code (stratified subset of legi-codes) and
  against the agenda item (Europarl speeches).

Quality only: no timing is reported, so this may run beside other work.
"""

from __future__ import annotations

from benchmarks.common import results_dir
from benchmarks.topic_compare import compare

PRIORS = ("0.01", "1/K", "0.05", "0.1")
SEEDS = (0, 1, 2)


def eta_value(prior: str, k: int) -> float:
    """The number behind a prior's name (``"1/K"`` → 1/k)."""
    return 1.0 / k if prior == "1/K" else float(prior)


def main(argv: list[str] | None = None) -> None:
    # one thread, as when the prior was chosen, so that a rerun gives this file again (threads: eval_topic_threads)
    variants = {prior: (lambda k, prior=prior: {"eta": eta_value(prior, k), "n_jobs": 1}) for prior in PRIORS}
    header = ("# Topic-word prior of the default LDA", __doc__,
              "Command: `python -m benchmarks.eval_topic_priors`. Means over seeds; min–max in brackets. "
              "1/K equals 0.05 at K = 20, so those two rows are the same fits.")
    compare(variants, "eta", "topic_priors", header, SEEDS, argv, results=results_dir(__name__))
