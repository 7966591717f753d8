"""Run as ``python -m benchmarks.bench_preprocess``."""

from benchmarks.bench_preprocess import main

raise SystemExit(main())
