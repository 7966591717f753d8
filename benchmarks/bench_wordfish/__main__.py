"""Run as ``python -m benchmarks.bench_wordfish``."""

from benchmarks.bench_wordfish import main

raise SystemExit(main())
