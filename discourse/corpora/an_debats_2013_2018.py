"""Assemblée nationale public sittings, 2013–2018: one document per sitting file.

Files are named ``YYYYMMDDhhmm00000.txt`` after the date and start time of the sitting;
the text is the file, one sentence a line (the Common Voice extraction kept sentences of
3 to 14 words, so a sitting is not a full transcript). Five sittings exist twice, the
second file carrying an extraction suffix (``201310222130000001531821775.txt``): both are
kept, as published, with ``variant`` giving the suffix (NA for the plain file), so a user
can keep one with ``corpus.filter(lambda m: m.variant.isna())``.

Metadata: ``date`` (date and start time), ``year``, ``variant``, ``file``.

>>> from discourse import corpora
>>> an = corpora.load("an-debats-2013-2018")                     # doctest: +SKIP
>>> an.metadata.groupby("year").size().loc[2015]                 # doctest: +SKIP
303
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from discourse.corpus import Corpus, CorpusError

_NAME = re.compile(r"^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d{3})(\d*)\.txt$")


def load(folder: str | Path, *, years: list[int] | None = None) -> Corpus:
    """Load the sittings of ``folder/txt`` (``years=[2015, 2016]`` reads those years only)."""
    folder = Path(folder)
    txt = folder / "txt" if (folder / "txt").is_dir() else folder
    texts: list[str] = []
    rows: list[dict] = []
    skipped: list[tuple[str, str]] = []
    for path in sorted(txt.glob("*.txt")):
        match = _NAME.match(path.name)
        if not match:
            skipped.append((path.name, "file name is not YYYYMMDDhhmm00000.txt"))
            continue
        y, mo, d, h, mi = (int(g) for g in match.groups()[:5])
        if years is not None and y not in years:
            continue
        doc_id = path.stem
        try:
            text = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
        except UnicodeDecodeError as exc:
            skipped.append((doc_id, f"undecodable: {exc}"))
            continue
        if not text.strip():
            skipped.append((doc_id, "empty file"))
            continue
        try:
            date = pd.Timestamp(year=y, month=mo, day=d, hour=h, minute=mi)
        except ValueError as exc:
            raise CorpusError(f"{path.name}: bad date in file name ({exc})") from exc
        texts.append(text)
        rows.append({"doc_id": doc_id, "date": date, "year": y, "variant": match.group(8) or None, "file": path.name})
    if not rows and not skipped:
        raise CorpusError(f"{txt}: no sitting file")
    frame = pd.DataFrame(rows, columns=["doc_id", "date", "year", "variant", "file"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["year"] = frame["year"].astype("int64")
    label = f", years={years}" if years is not None else ""
    step = f"corpora.load('an-debats-2013-2018'{label}) from {txt} -> {len(texts)} sittings, {len(skipped)} skipped"
    return Corpus(texts, frame, name="an-debats-2013-2018", history=(step,),
                  skipped=pd.DataFrame(skipped, columns=["doc_id", "reason"]).astype(object))
