"""Run as ``python -m benchmarks.bench_loading``."""

from benchmarks.bench_loading import main

raise SystemExit(main())
