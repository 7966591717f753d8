"""Shared test set-up: where the real corpora are read from.

The corpora are never in this repository. They are read from ``DISCOURSE_DATA`` (the
Makefile and .ci/run set it to ../shared/corpora); when a developer runs pytest directly,
the same sibling folder is used.

Without the corpora, the tests that read them are skipped with the reason (so the pure unit
tests run anywhere), except under CI (``CI=true``), where a missing folder is an error: a
green CI run must have read the real text.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("DISCOURSE_DATA", str(REPO.parent / "shared" / "corpora"))
DATA_HOME = Path(os.environ["DISCOURSE_DATA"])


_MISSING = f"corpora folder {DATA_HOME} not found: set DISCOURSE_DATA to the folder of the corpora"
# a test module that names one of these reads the real corpora
_CORPUS_MARKERS = ("data_home", "corpora.load(", "DISCOURSE_DATA", "seed_text")


def _reads_corpora(item: pytest.Item) -> bool:
    if {"data_home", "seed_text"} & set(getattr(item, "fixturenames", ())):
        return True
    path = Path(str(item.fspath))
    if path.suffix != ".py" or path.name == "conftest.py":
        return False
    try:
        source = path.read_text(encoding="utf-8")
    except OSError:
        return False
    return any(marker in source for marker in _CORPUS_MARKERS)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if DATA_HOME.is_dir():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(_MISSING + " (CI must read the real corpora)")
    skip = pytest.mark.skip(reason=_MISSING)
    for item in items:
        if _reads_corpora(item):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def data_home() -> Path:
    """The folder holding the real corpora (one sub-folder per corpus)."""
    if not DATA_HOME.is_dir():
        pytest.skip(_MISSING)
    return DATA_HOME


@pytest.fixture(scope="session")
def seed_text(data_home: Path) -> str:
    """The seed news-wire article, exactly as published (title on line 1)."""
    return (data_home / "seed" / "ue-onu-contre-terrorisme.txt").read_text(encoding="utf-8")
