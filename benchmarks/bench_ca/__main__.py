"""Run as ``python -m benchmarks.bench_ca``."""

from benchmarks.bench_ca import main

raise SystemExit(main())
