"""Shared reader for the corpora published as one JSON object a line (legi-codes, literary-fr-scale)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from discourse.corpus import Corpus, CorpusError
from discourse.io import load_jsonl_records


def load_jsonl_corpus(path: Path, name: str, columns: list[str], limit: int | None, unit: str,
                      label_from: str | None = None) -> Corpus:
    """Texts from the ``text`` field, metadata from ``columns``; blank texts are reported, not kept."""
    if limit is not None and limit < 0:
        raise ValueError(f"{name}: limit must be >= 0, got {limit}")
    records = load_jsonl_records(path, limit=limit)
    texts: list[str] = []
    meta: dict[str, list] = {"doc_id": [], **{c: [] for c in columns}}
    skipped: list[tuple[str, str]] = []
    for line_no, record in enumerate(records, start=1):
        doc_id = record.get("doc_id")
        if doc_id is None:
            raise CorpusError(f"{path.name}, object {line_no}: no doc_id")
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            skipped.append((str(doc_id), "empty text" if isinstance(text, str) else "missing text"))
            continue
        texts.append(text)
        meta["doc_id"].append(doc_id)
        for c in columns:
            meta[c].append(record.get(c))
    frame = pd.DataFrame(meta)
    if label_from is not None:
        frame["label"] = frame[label_from]
    step = f"corpora.load({name!r}" + (f", limit={limit}" if limit is not None else "") + f") from {path} -> {len(texts)} {unit}, {len(skipped)} skipped"
    return Corpus(texts, frame, name=name, history=(step,),
                  skipped=pd.DataFrame(skipped, columns=["doc_id", "reason"]).astype(object))
