"""Public-domain French prose and drama in chunks of 50 sentences (for scale tests only).

``chunks.jsonl.gz``: ``doc_id`` ("gutenberg/10160.txt#0"), ``source`` (gutenberg,
wikisource, libretheatre), ``work`` (the file of the work at the source) and ``text`` (one
sentence a line). ``limit=n`` reads the first ``n`` chunks only.

>>> from discourse import corpora
>>> lit = corpora.load("literary-fr-scale", limit=1000)              # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from discourse.corpora._jsonl import load_jsonl_corpus
from discourse.corpus import Corpus

FILE = "chunks.jsonl.gz"


def load(folder: str | Path, *, limit: int | None = None) -> Corpus:
    """Load the chunks (all, or the first ``limit``)."""
    return load_jsonl_corpus(Path(folder) / FILE, "literary-fr-scale", ["source", "work"], limit, "chunks")
