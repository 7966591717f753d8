"""Run as ``python -m benchmarks.eval_topic_threads``."""

from benchmarks.eval_topic_threads import main

raise SystemExit(main())
