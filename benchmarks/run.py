"""Run every benchmark at full size, one after the other (``make bench``).

    python -m benchmarks.run                       # all of them: about four hours on 2 cores
    python -m benchmarks.run eval_gsd bench_frames # only these

Each benchmark is a folder of this package run as ``python -m benchmarks.<name>`` in its own
process (so no engine's import or memory carries over to the next) and writes its results,
signed with the command, commit and machine, into ``benchmarks/<name>/results/`` (the index of
claims is ``benchmarks/README.md``). Timings need a quiet machine: run nothing else
meanwhile. The corpora are read from ``DISCOURSE_DATA``.
"""

from __future__ import annotations

import subprocess
import sys
import time

# Cheapest first; the topic benchmarks (hours on legi-codes) last.
BENCHMARKS = (
    "bench_loading",
    "bench_tokenize_runs",
    "eval_gsd",
    "eval_boilerplate",
    "bench_preprocess",
    "bench_lemma_tagger",
    "bench_frames",
    "bench_wordfish",
    "eval_effect_coverage",
    "bench_ca",
    "eval_reinert",
    "eval_topic_labels",
    "eval_topic_priors",
    "eval_seeded_gensim",
    "eval_topic_threads",
    "eval_topic_defaults",
    "bench_topics_iso",
    "bench_topics",
    "eval_dask_topics",
    "bench_dask",
)


def main(argv: list[str] | None = None) -> int:
    names = list(argv if argv is not None else sys.argv[1:]) or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; choose from {list(BENCHMARKS)}", file=sys.stderr)
        return 2
    failed = []
    for name in names:
        start = time.perf_counter()
        print(f"== benchmarks.{name}", flush=True)
        code = subprocess.call([sys.executable, "-m", f"benchmarks.{name}"])
        print(f"== benchmarks.{name}: exit {code} after {time.perf_counter() - start:.0f} s", flush=True)
        if code:
            failed.append(name)
    if failed:
        print(f"failed: {failed}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
