"""Run as ``python -m benchmarks.eval_dask_topics``."""

from benchmarks.eval_dask_topics import main

raise SystemExit(main())
