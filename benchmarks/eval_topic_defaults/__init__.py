"""Two changes to the default LDA that might raise its coherence, measured: alpha fixed, eta = 0.1.

    python -m benchmarks.eval_topic_defaults            # writes benchmarks/eval_topic_defaults/results/topic_defaults.md/json
    python -m benchmarks.eval_topic_defaults --resume   # fits only what the .json lacks

Our default LDA (tomotopy, 200 Gibbs sweeps, two threads, eta = 1/K) starts from a symmetric
alpha of 0.1 and re-estimates an asymmetric alpha every 10 sweeps (tomotopy's default). On
legi-codes at K = 20 its mean c_npmi stays just under that of gensim's LdaMulticore at 3
passes (``topics_iso.md``). Two changes are fitted beside it, six seeds each (the seeds of
that cell): alpha kept at 0.1 (``optimize_alpha=False``), and eta = 0.1 (the highest c_npmi
in ``topic_priors.md``, measured there on one thread). Each is scored as in
``eval_topic_priors``:

- an-debats (1,190 Assemblée sittings), K = 20 and 50: c_npmi (window 10, top 10 words),
  topic diversity (top 25), mean exclusivity (top 10), held-out log-likelihood per token;
- legi-codes (73,890 articles), K = 20, at 130 sweeps (the largest sweep count of
  ``topics_iso.md`` within a third of LdaMulticore's 3-pass time) and 200 sweeps (the
  default): c_npmi, diversity, exclusivity;
- agreement with known labels (K = number of labels): NMI and purity of the dominant topic
  against the legal code (stratified subset of legi-codes) and the agenda item (Europarl).

Quality only: no timing is reported.
"""

from __future__ import annotations

from benchmarks.common import results_dir
from benchmarks.topic_compare import compare

SEEDS = (0, 1, 2, 3, 4, 5)
VARIANTS = {
    "default": lambda k: {},
    "alpha fixed at 0.1": lambda k: {"optimize_alpha": False},
    "eta = 0.1": lambda k: {"eta": 0.1},
}


def main(argv: list[str] | None = None) -> None:
    header = ("# Two candidate changes to the default LDA", __doc__,
              "Command: `python -m benchmarks.eval_topic_defaults`. Means over seeds; min–max in brackets.")
    compare(VARIANTS, "variant", "topic_defaults", header, SEEDS, argv, legi_sweeps=(130, 200), results=results_dir(__name__))
