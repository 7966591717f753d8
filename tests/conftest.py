"""Shared test set-up: where the real corpora are read from.

The corpora are never in this repository. They are read from ``DISCOURSE_DATA`` (the
Makefile and .ci/run set it to ../shared/corpora); when a developer runs pytest directly,
the same sibling folder is used.
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


@pytest.fixture(scope="session")
def data_home() -> Path:
    """The folder holding the real corpora (one sub-folder per corpus)."""
    if not DATA_HOME.is_dir():
        pytest.fail(f"corpora folder {DATA_HOME} not found: set DISCOURSE_DATA")
    return DATA_HOME


@pytest.fixture(scope="session")
def seed_text(data_home: Path) -> str:
    """The seed news-wire article, exactly as published (title on line 1)."""
    return (data_home / "seed" / "ue-onu-contre-terrorisme.txt").read_text(encoding="utf-8")
