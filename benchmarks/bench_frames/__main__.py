"""Run as ``python -m benchmarks.bench_frames``."""

from benchmarks.bench_frames import main

raise SystemExit(main())
