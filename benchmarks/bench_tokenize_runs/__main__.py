"""Run as ``python -m benchmarks.bench_tokenize_runs``."""

from benchmarks.bench_tokenize_runs import main

raise SystemExit(main())
