"""Run as ``python -m benchmarks.bench_dask``."""

from benchmarks.bench_dask import main

raise SystemExit(main())
