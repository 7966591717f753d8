"""Run as ``python -m benchmarks.eval_topic_defaults``."""

from benchmarks.eval_topic_defaults import main

raise SystemExit(main())
