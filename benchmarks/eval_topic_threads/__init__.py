"""Does the second sampling thread of our default LDA change its topics' quality? Measured.

    python -m benchmarks.eval_topic_threads          # writes benchmarks/eval_topic_threads/results/topic_threads.md/json

Our default LDA (tomotopy, 200 Gibbs sweeps, eta = 1/K) samples on two threads with tomotopy's
partition scheme: each thread samples its own block of the vocabulary, and the topic totals
it reads are those of the start of the block, so the two-thread chain is not the one-thread
chain. It is fitted here with ``n_jobs=1`` and ``n_jobs=2``, five seeds each, and scored as in
``eval_topic_priors``:

- an-debats (1,190 Assemblée sittings), K = 20 and 50: c_npmi (window 10, top 10 words),
  topic diversity (top 25), mean exclusivity (top 10), held-out log-likelihood per token;
- agreement with known labels (K = number of labels): NMI and purity of the dominant topic
  against the legal code (stratified subset of legi-codes) and the agenda item (Europarl).

Quality only: no timing is reported (speed is in topics.md and topics_iso.md).
"""

from __future__ import annotations

from benchmarks.common import results_dir
from benchmarks.topic_compare import compare

SEEDS = (0, 1, 2, 3, 4)
VARIANTS = {"1 thread": lambda k: {"n_jobs": 1}, "2 threads (default)": lambda k: {"n_jobs": 2}}


def main(argv: list[str] | None = None) -> None:
    header = ("# Sampling threads of the default LDA", __doc__,
              "Command: `python -m benchmarks.eval_topic_threads`. Means over seeds; min–max in brackets.")
    compare(VARIANTS, "threads", "topic_threads", header, SEEDS, argv, results=results_dir(__name__))
