"""Run as ``python -m benchmarks.eval_gsd``."""

from benchmarks.eval_gsd import main

raise SystemExit(main())
