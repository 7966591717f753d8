"""French legal codes in force (LEGI, 2020 snapshot): one document per article.

The file ``articles.jsonl.gz`` holds one article a line with ``doc_id`` (its path in the
source tree), ``code`` (e.g. "code-du-travail"), ``hierarchy`` (partie/livre/titre/chapitre
path) and ``article`` ("Article L1251-24"). Metadata: those fields, and ``label`` = ``code``,
the known class used to evaluate topic models. ``limit=n`` reads the first ``n`` articles
only (the file is ordered by code, so a limit does not give a sample of all codes; use
``corpus.sample`` on the full corpus for that).

>>> from discourse import corpora
>>> legi = corpora.load("legi-codes")                               # doctest: +SKIP
>>> legi.metadata.label.nunique()                                    # doctest: +SKIP
63
"""

from __future__ import annotations

from pathlib import Path

from discourse.corpora._jsonl import load_jsonl_corpus
from discourse.corpus import Corpus

FILE = "articles.jsonl.gz"


def load(folder: str | Path, *, limit: int | None = None) -> Corpus:
    """Load the articles (all, or the first ``limit``)."""
    return load_jsonl_corpus(Path(folder) / FILE, "legi-codes", ["code", "hierarchy", "article"], limit, "articles",
                             label_from="code")
