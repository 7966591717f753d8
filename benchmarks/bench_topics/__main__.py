"""Run as ``python -m benchmarks.bench_topics``."""

from benchmarks.bench_topics import main

raise SystemExit(main())
