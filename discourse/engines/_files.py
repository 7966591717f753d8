"""Atomic, checked output files of the sharded stages (internal: shared by ``sharded``, ``stats``
and ``topics``).

Every mapped task writes its output under a name made of its inputs' key, atomically (a
temporary file renamed into place: a killed worker leaves no half file), and a small JSON
summary beside it carrying the output's SHA-256; a rerun reuses the output only if both are
there and agree (:func:`finished`).
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path
from typing import Any

import pandas as pd

from discourse import storage


def _temporary(path: Path) -> Path:
    return path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"


def write_json_atomic(path: Path, data: Any) -> None:
    """Write ``data`` as JSON (UTF-8, indented) at ``path`` atomically."""
    tmp = _temporary(path)
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_parquet_atomic(frame: pd.DataFrame, path: Path) -> str:
    """Write ``frame`` (no index) as Parquet at ``path`` atomically; the SHA-256 of the bytes written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(path)
    try:
        frame.to_parquet(tmp, index=False)
        sha = hashlib.sha256(tmp.read_bytes()).hexdigest()
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return sha


def save_checked(obj: Any, path: Path) -> str:
    """Save atomically (:func:`storage.save`); returns the SHA-256 of the bytes written."""
    storage.save(obj, path)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def finished(path: Path) -> dict[str, Any] | None:
    """The summary beside a finished output (``path`` with ``.json``), if both exist and the
    output matches the summary's ``sha256``; None otherwise (to be computed again)."""
    side = path.with_suffix(".json")
    try:
        summary = json.loads(side.read_text(encoding="utf-8"))
        data = path.read_bytes()
    except (OSError, ValueError):
        return None
    if not isinstance(summary, dict) or hashlib.sha256(data).hexdigest() != summary.get("sha256"):
        return None
    return summary
