"""Run as ``python -m benchmarks.eval_effect_coverage``."""

from benchmarks.eval_effect_coverage import main

raise SystemExit(main())
