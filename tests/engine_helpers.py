"""Helpers of the engine tests (tests/test_engines*.py): an engine whose worker process dies once,
mid-map, right after a chosen output file is written (its retry must find nothing lost and
nothing counted twice); the analysis the pipeline tests run on both engines."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from discourse.engines import Engine


def _output_name(item: Any, result: Any) -> str | None:
    """The output of a task: the ``out`` of its item, else the path its result names."""
    if isinstance(item, dict) and "out" in item:
        return str(item["out"])
    path = result.get("path") if isinstance(result, dict) else result
    return path if isinstance(path, str) else None


def die_once(func: Any, marker: str, target: str, item: Any) -> Any:
    """Run ``func(item)``; the first time its output file's name starts with ``target``, kill this
    worker process (``os._exit``) after the file is written, leaving the pid in ``marker``."""
    result = func(item)
    name = _output_name(item, result)
    if name is not None and Path(name).name.startswith(target) and not os.path.exists(marker):
        Path(marker).write_text(str(os.getpid()))
        os._exit(1)
    return result


class KillingEngine(Engine):
    """``inner``'s map, with :func:`die_once` around the mapped function."""

    def __init__(self, inner: Engine, marker: Path, target: str) -> None:
        self.inner, self.marker, self.target = inner, marker, target

    def map(self, func, items, *, desc="shards", progress=True):
        return self.inner.map(functools.partial(die_once, func, str(self.marker), self.target), items, desc=desc,
                              progress=progress)


@contextmanager
def shipped_to_workers() -> Iterator[None]:
    """This module pickled by value while the block runs: the workers cannot import the tests folder."""
    import cloudpickle

    module = sys.modules[__name__]
    cloudpickle.register_pickle_by_value(module)
    try:
        yield
    finally:
        cloudpickle.unregister_pickle_by_value(module)


def mariage_analysis(title: str, **sections: Any) -> dict[str, Any]:
    """An analysis of 150 speech turns of the marriage bill debate (the bundled sample), with ``sections``."""
    return {"title": title, "random_state": 1, "figures": False, "analyses": [{
        "name": "mariage",
        "corpus": {"name": "sample", "filter": {"source": "mariage"}, "head": 150},
        "preprocess": {"backend": "fast"},
        "dtm": {"min_df": 2},
        **sections,
    }]}
