"""The seed article: one French news-wire dispatch on EU–UN counter-terrorism cooperation.

The text is the whole file, exactly as published (title on line 1, then the body), so that
character offsets computed later point into the file itself.

>>> from discourse import corpora
>>> seed = corpora.load("seed")                     # doctest: +SKIP
>>> seed.ids                                        # doctest: +SKIP
['ue-onu-contre-terrorisme']
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from discourse.corpus import Corpus

FILE = "ue-onu-contre-terrorisme.txt"
DOC_ID = "ue-onu-contre-terrorisme"


def load(folder: str | Path) -> Corpus:
    """Read the seed article from ``folder`` (one document; metadata ``title``)."""
    path = Path(folder) / FILE
    # Strict UTF-8 and no newline translation: the text must be byte-for-byte the file.
    text = path.read_bytes().decode("utf-8")
    title = text.split("\n", 1)[0].strip()
    meta = pd.DataFrame({"doc_id": [DOC_ID], "title": [title], "path": [FILE]})
    return Corpus([text], meta, name="seed", history=(f"corpora.load('seed') from {path.parent}",))
