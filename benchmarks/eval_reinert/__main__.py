"""Run as ``python -m benchmarks.eval_reinert``."""

from benchmarks.eval_reinert import main

raise SystemExit(main())
