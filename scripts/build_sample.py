"""Build the bundled corpus ``sample`` (discourse/corpora/data/sample.parquet) from the public corpora.

    DISCOURSE_DATA=/path/to/corpora python scripts/build_sample.py

What is sampled (fixed seed, so a rerun on the same corpora writes the same rows):

- ``assemblee``: 12 sittings a year of ``an-debats-2013-2018`` (2013–2018; all of a year when
  it has fewer), drawn at random within each year — CC0 extraction of Licence Ouverte data;
- ``europarl``: every speech of ``europarl-fr-2000`` (17–21 January 2000) — European
  Parliament verbatim reports, reuse with acknowledgement;
- ``mariage``: 200 speech turns of type « intervention » per parliamentary group (UMP, SRC,
  UDI, ECOLO, GDR, RRDP; all of a group when it has fewer) of ``an-mariage-pour-tous-2013``,
  drawn at random — official reports, TEI encoding CC BY 3.0 FR (Nicolas Legrand).

The seed article is not included: it is a press article the project may not redistribute.
The datasheet is corpora/sample.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from discourse import corpora

OUT = Path(__file__).resolve().parents[1] / "discourse" / "corpora" / "data" / "sample.parquet"
SEED = 20130118
SITTINGS_PER_YEAR = 12
TURNS_PER_GROUP = 200
GROUPS = ["UMP", "SRC", "UDI", "ECOLO", "GDR", "RRDP"]
COLUMNS = ["doc_id", "source", "date", "speaker", "group", "agenda_item", "language", "text"]


def _frame(corpus: corpora.Corpus, source: str, prefix: str) -> pd.DataFrame:
    meta = corpus.metadata.copy()
    meta["text"] = corpus.texts
    meta["doc_id"] = prefix + meta["doc_id"].astype(str)
    meta["source"] = source
    return meta.reindex(columns=COLUMNS)


def _per_stratum(meta: pd.DataFrame, column: str, n: int, rng: np.random.Generator) -> pd.DataFrame:
    parts = []
    for _, rows in meta.groupby(column, sort=True):
        take = rows if len(rows) <= n else rows.iloc[np.sort(rng.choice(len(rows), n, replace=False))]
        parts.append(take)
    return pd.concat(parts)


def build() -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    an = corpora.load("an-debats-2013-2018")
    an_meta = an.metadata.assign(_i=range(len(an)))
    keep = _per_stratum(an_meta, "year", SITTINGS_PER_YEAR, rng)["_i"].to_numpy()
    assemblee = _frame(an, "assemblee", "an/").iloc[np.sort(keep)]

    europarl = _frame(corpora.load("europarl-fr-2000"), "europarl", "ep/")

    mpt = corpora.load("an-mariage-pour-tous-2013")
    mpt_meta = mpt.metadata.assign(_i=range(len(mpt)))
    mpt_meta = mpt_meta[(mpt_meta["turn_type"] == "intervention") & mpt_meta["group"].isin(GROUPS)]
    keep = np.sort(_per_stratum(mpt_meta, "group", TURNS_PER_GROUP, rng)["_i"].to_numpy())
    mariage = _frame(mpt, "mariage", "mpt/").iloc[keep]

    frame = pd.concat([assemblee, europarl, mariage], ignore_index=True)
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    for column in ("source", "speaker", "group", "agenda_item", "language"):
        frame[column] = frame[column].astype("string")
    return frame


def main() -> int:
    frame = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(OUT, compression="zstd", compression_level=19, index=False)
    counts = frame.groupby("source").size().to_dict()
    print(f"{OUT}: {len(frame)} documents {counts}, {OUT.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
