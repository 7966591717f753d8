"""Run as ``python -m benchmarks.eval_topic_priors``."""

from benchmarks.eval_topic_priors import main

raise SystemExit(main())
