"""What the scaling models share: the tidy table of positions with normal intervals."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm

from discourse import storage
from discourse.base import check_float


class Saveable:
    """``save(path)`` / ``load(path)``: thin wrappers of :mod:`discourse.storage` for a registered class."""

    def save(self, path: str | Path) -> Path:
        """Write the fitted model (see :mod:`discourse.storage`)."""
        return storage.save(self, path)

    @classmethod
    def load(cls, path: str | Path) -> Any:
        """Read a model written by :meth:`save` (refusing a file that holds another class)."""
        return storage.load(path, expected=cls)


def position_table(doc_ids: Sequence[str], score: np.ndarray, se: np.ndarray, level: float,
                   metadata: pd.DataFrame | None = None, score_name: str = "theta",
                   extra: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
    """``doc_id``, the score, ``se``, ``ci_low``, ``ci_high`` (score ± z·se), extra columns, then metadata."""
    check_float("level", level, minimum=0.0, maximum=1.0, exclusive_minimum=True)
    if level >= 1.0:
        raise ValueError(f"level={level} must be below 1")
    z = float(norm.ppf(0.5 + level / 2))
    score, se = np.asarray(score, dtype=np.float64), np.asarray(se, dtype=np.float64)
    frame = pd.DataFrame({"doc_id": list(doc_ids), score_name: score, "se": se,
                          "ci_low": score - z * se, "ci_high": score + z * se})
    for name, values in (extra or {}).items():
        frame[name] = values
    if metadata is not None:
        meta = metadata.reset_index(drop=True)
        frame = pd.concat([frame, meta.drop(columns=[c for c in meta.columns if c in frame.columns])], axis=1)
    return frame
