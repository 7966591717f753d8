"""``make bench`` runs benchmarks.run: every benchmark module is listed, and only those."""

from __future__ import annotations

import importlib
from pathlib import Path

from benchmarks import run


def test_every_benchmark_module_is_run_once() -> None:
    folder = Path(run.__file__).parent
    modules = {p.stem for p in folder.glob("*.py") if p.stem.startswith(("bench_", "eval_"))}
    assert sorted(run.BENCHMARKS) == sorted(modules)
    assert len(set(run.BENCHMARKS)) == len(run.BENCHMARKS)
    for name in run.BENCHMARKS:
        assert callable(importlib.import_module(f"benchmarks.{name}").main), name


def test_unknown_benchmark_is_refused(capsys) -> None:
    assert run.main(["bench_nothing"]) == 2
    assert "unknown benchmark(s) ['bench_nothing']" in capsys.readouterr().err
