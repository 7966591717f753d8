"""Run as ``python -m benchmarks.bench_lemma_tagger``."""

from benchmarks.bench_lemma_tagger import main

raise SystemExit(main())
