"""Run as ``python -m benchmarks.eval_boilerplate``."""

from benchmarks.eval_boilerplate import main

raise SystemExit(main())
