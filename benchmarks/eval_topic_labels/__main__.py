"""Run as ``python -m benchmarks.eval_topic_labels``."""

from benchmarks.eval_topic_labels import main

raise SystemExit(main())
