"""Run as ``python -m benchmarks.eval_seeded_gensim``."""

from benchmarks.eval_seeded_gensim import main

raise SystemExit(main())
