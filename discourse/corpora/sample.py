"""The bundled corpus ``sample``: French parliamentary text that ships inside the package.

1,508 documents from three public corpora whose licences allow redistribution, drawn by
``scripts/build_sample.py`` with a fixed seed (datasheet: ``corpora/sample.md``):

- ``source == "assemblee"``: 72 Assemblée nationale sittings, 12 a year 2013–2018 (``date``);
- ``source == "europarl"``: the 451 speeches of the European Parliament, 17–21 January 2000
  (``date``, ``speaker``, ``agenda_item``, ``language`` spoken when not French);
- ``source == "mariage"``: 985 « intervention » turns of the 2013 « mariage pour tous »
  debate, up to 200 per parliamentary group (``date``, ``speaker``, ``group``).

>>> from discourse import corpora
>>> sample = corpora.load("sample")
>>> sample.metadata.groupby("source").size().to_dict()
{'assemblee': 72, 'europarl': 451, 'mariage': 985}
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from discourse.corpus import Corpus

SOURCES = ("assemblee", "europarl", "mariage")


def load(path: str | Path, source: str | None = None) -> Corpus:
    """Read the bundled Parquet file; ``source=`` keeps one of ``assemblee``, ``europarl``, ``mariage``."""
    frame = pd.read_parquet(path)
    if source is not None:
        if source not in SOURCES:
            raise ValueError(f"sample: unknown source {source!r}; sources: {', '.join(SOURCES)}")
        frame = frame[frame["source"] == source].reset_index(drop=True)
    texts = frame.pop("text").tolist()
    # columns that do not apply to the kept part are dropped rather than left all-empty
    frame = frame.loc[:, frame.notna().any() | (frame.columns == "doc_id")]
    where = f"source={source!r} " if source else ""
    return Corpus(texts, frame, name="sample", history=(f"corpora.load('sample') {where}(bundled with the package)",))
