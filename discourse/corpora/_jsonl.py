"""Shared reader for the corpora published as one JSON object a line (legi-codes, literary-fr-scale)."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from discourse.corpus import Corpus, CorpusError


def _lines(path: Path, limit: int | None, block_size: int = 1 << 22) -> Iterator[bytes]:
    """Lines of a (gzipped) JSON-lines file, decompressed in 4 MB blocks.

    Neither the whole decompressed file nor a list of its lines is ever held: the peak
    memory of a load is the corpus itself plus one block.
    """
    with open(path, "rb") as fh:
        gzipped = fh.read(2) == b"\x1f\x8b"
    if limit is not None:
        # A few lines only: a plain stream stops early without decompressing the rest.
        with (gzip.open(path, "rb") if gzipped else open(path, "rb")) as fh:
            yield from fh
        return
    inflate = zlib.decompressobj(zlib.MAX_WBITS | 32) if gzipped else None  # |32: gzip or zlib header
    pending = b""
    with open(path, "rb") as fh:
        while True:
            block = fh.read(block_size)
            if not block:
                break
            data = inflate.decompress(block) if inflate is not None else block
            data = pending + data
            cut = data.rfind(b"\n")
            if cut < 0:
                pending = data
                continue
            pending = data[cut + 1:]
            yield from data[:cut].split(b"\n")
    if inflate is not None:
        pending += inflate.flush()
    if pending:
        yield from pending.split(b"\n")


def load_jsonl_corpus(path: Path, name: str, columns: list[str], limit: int | None, unit: str,
                      label_from: str | None = None, block_size: int = 1 << 22) -> Corpus:
    """Texts from the ``text`` field, metadata from ``columns``; blank texts are reported, not kept."""
    if limit is not None and limit < 0:
        raise ValueError(f"{name}: limit must be >= 0, got {limit}")
    texts: list[str] = []
    ids: list[str] = []
    meta: dict[str, list] = {c: [] for c in columns}
    skipped: list[tuple[str, str]] = []
    seen = 0
    # The decoder's own method skips json.loads's per-call encoding sniffing (~15% of a load).
    loads = json.JSONDecoder().decode
    for line_no, line in enumerate(_lines(path, limit, block_size), start=1):
        if limit is not None and seen >= limit:
            break
        if not line.strip():
            continue
        seen += 1
        try:
            record = loads(line.decode("utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CorpusError(f"{path.name}, line {line_no}: not valid JSON ({getattr(exc, 'msg', exc)})") from exc
        doc_id = record.get("doc_id") if isinstance(record, dict) else None
        if doc_id is None:
            raise CorpusError(f"{path.name}, line {line_no}: no doc_id")
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            skipped.append((str(doc_id), "empty text" if isinstance(text, str) else "missing text"))
            continue
        texts.append(text)
        ids.append(doc_id)
        for c in columns:
            meta[c].append(record.get(c))
    frame = pd.DataFrame({"doc_id": ids, **meta})
    if label_from is not None:
        frame["label"] = frame[label_from]
    step = f"corpora.load({name!r}" + (f", limit={limit}" if limit is not None else "") + f") from {path} -> {len(texts)} {unit}, {len(skipped)} skipped"
    return Corpus(texts, frame, name=name, history=(step,),
                  skipped=pd.DataFrame(skipped, columns=["doc_id", "reason"]).astype(object))
