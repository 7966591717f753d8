"""Run as ``python -m benchmarks.bench_topics_iso``."""

from benchmarks.bench_topics_iso import main

raise SystemExit(main())
