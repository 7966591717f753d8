"""``make bench`` runs benchmarks.run: every benchmark folder is listed, and only those; each keeps its results."""

from __future__ import annotations

import importlib
from pathlib import Path

from benchmarks import run


def test_every_benchmark_module_is_run_once() -> None:
    folder = Path(run.__file__).parent
    # one folder per benchmark, run as python -m benchmarks.<name>
    modules = {p.parent.name for p in folder.glob("*/__main__.py")}
    assert all(m.startswith(("bench_", "eval_")) for m in modules), modules
    assert sorted(run.BENCHMARKS) == sorted(modules)
    assert len(set(run.BENCHMARKS)) == len(run.BENCHMARKS)
    for name in run.BENCHMARKS:
        assert callable(importlib.import_module(f"benchmarks.{name}").main), name


def test_unknown_benchmark_is_refused(capsys) -> None:
    assert run.main(["bench_nothing"]) == 2
    assert "unknown benchmark(s) ['bench_nothing']" in capsys.readouterr().err


def test_every_benchmark_keeps_its_results_in_its_folder() -> None:
    folder = Path(run.__file__).parent
    assert not (folder / "results").exists(), "results live in benchmarks/<name>/results/"
    for name in run.BENCHMARKS:
        results = folder / name / "results"
        assert any(results.glob("*.md")), f"{name} has no result in {results}"
