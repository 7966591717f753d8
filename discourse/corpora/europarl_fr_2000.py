"""Europarl (raw v7 release format), French side: one document per speech.

The release has one file per sitting day, ``ep-YY-MM-DD.txt`` (some days of the full
release are split, ``ep-YY-MM-DD-NNN.txt``). Markup lines:

``<CHAPTER ID=n>``
    opens an agenda item; the next line is its title.
``<SPEAKER ID=n NAME="..." LANGUAGE="XX">``
    opens a speech; LANGUAGE is the language it was spoken in. The attribute is absent
    when the speech was given in French or the language is unknown: ``language`` is then
    missing (NA), never guessed.
``<P>``
    separates paragraphs.

Each speech becomes one document whose text is its paragraphs joined by a blank line
(lines inside a paragraph are kept one a line); no markup remains. The id reads
``ep-00-01-17/ch1/sp2`` (file, chapter id, speaker id). Metadata: ``date``, ``chapter``,
``agenda_item`` (the chapter title, also copied to ``label``), ``speaker`` (NAME),
``speaker_id``, ``language``, ``is_chair`` (speaker is "Le Président"/"La Présidente"…).

Text found inside a chapter before its first speaker (rare in the release, absent from
the January 2000 days) is not lost: it becomes a document ``…/chN/intro`` with no speaker.
Speeches with no text are left out and listed in ``corpus.skipped`` ("empty speech").
A ``<SPEAKER>`` line directly followed by another one is how the release marks a speech
absent from the French side (54 of the 505 speeches of these four days): such speeches
are listed in ``corpus.skipped`` ("empty speech"), not kept as empty documents.
Chapter ids restart in each file; if one repeated within a file, the second would get
``chN-2`` so that ids stay unique.

>>> from discourse import corpora
>>> ep = corpora.load("europarl-fr-2000")                               # doctest: +SKIP
>>> ep.filter(date="2000-01-17").metadata.agenda_item.unique()[:2].tolist()  # doctest: +SKIP
['Reprise de la session', 'Ordre des travaux']
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from discourse.corpus import Corpus, CorpusError

_FILE = re.compile(r"ep-(\d\d)-(\d\d)-(\d\d)(?:-(\d+))?\.txt$")
_TAG = re.compile(r"^<(CHAPTER|SPEAKER|P)\b([^>]*)>\s*$")
_ATTR = re.compile(r'(\w+)=(?:"([^"]*)"|(\S+))')
_CHAIR = re.compile(r"^(?:l[ea]|madame la|monsieur le)\s+(?:vice-)?président(?:e)?$", re.IGNORECASE)


def _attrs(raw: str) -> dict[str, str]:
    return {m.group(1).upper(): (m.group(2) if m.group(2) is not None else m.group(3)) for m in _ATTR.finditer(raw)}


def _date(match: re.Match) -> pd.Timestamp:
    yy, mm, dd = (int(g) for g in match.groups()[:3])
    year = 1900 + yy if yy >= 90 else 2000 + yy  # the release covers 1996-2011
    return pd.Timestamp(year=year, month=mm, day=dd)


def parse_file(path: str | Path) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Parse one Europarl day file into speech records and a list of (id, reason) left out.

    >>> records, skipped = parse_file("ep-00-01-17.txt")                 # doctest: +SKIP
    >>> records[0]["agenda_item"], records[0]["speaker"]                 # doctest: +SKIP
    ('Reprise de la session', 'La Présidente')
    """
    path = Path(path)
    match = _FILE.search(path.name)
    if not match:
        raise CorpusError(f"{path.name}: not a Europarl day file (expected ep-YY-MM-DD.txt)")
    day = path.name.removesuffix(".txt")
    date = _date(match)
    lines = path.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n").split("\n")

    records: list[dict[str, Any]] = []
    skipped: list[tuple[str, str]] = []
    chapter: str | None = None
    chapter_key: str | None = None
    agenda: str | None = None
    seen_chapters: dict[str, int] = {}
    current: dict[str, Any] | None = None
    paragraphs: list[list[str]] = [[]]
    expect_title = False

    def close() -> None:
        nonlocal current, paragraphs
        if current is not None:
            text = "\n\n".join("\n".join(p) for p in paragraphs if p)
            if text.strip():
                current["text"] = text
                records.append(current)
            else:
                skipped.append((current["doc_id"], "empty speech"))
        current, paragraphs = None, [[]]

    def open_doc(suffix: str, attrs: dict[str, str], line_no: int) -> None:
        nonlocal current
        if chapter_key is None:
            raise CorpusError(f"{path.name}, line {line_no}: a speech before any <CHAPTER>")
        name = attrs.get("NAME")
        current = {
            "doc_id": f"{day}/ch{chapter_key}/{suffix}",
            "date": date,
            "file": path.name,
            "chapter": chapter,
            "agenda_item": agenda,
            "speaker": name,
            "speaker_id": attrs.get("ID"),
            "language": attrs.get("LANGUAGE"),
            "is_chair": bool(name and _CHAIR.match(name.strip())),
        }

    for line_no, line in enumerate(lines, start=1):
        if expect_title:
            expect_title = False
            if not _TAG.match(line):
                agenda = line.strip()
                continue
        tag = _TAG.match(line)
        if tag:
            kind, attrs = tag.group(1), _attrs(tag.group(2))
            if kind == "CHAPTER":
                close()
                chapter = attrs.get("ID", "")
                seen_chapters[chapter] = seen_chapters.get(chapter, 0) + 1
                n = seen_chapters[chapter]
                chapter_key = chapter if n == 1 else f"{chapter}-{n}"
                agenda = None
                expect_title = True
            elif kind == "SPEAKER":
                close()
                open_doc(f"sp{attrs.get('ID', len(records))}", attrs, line_no)
            else:  # <P>: a paragraph break inside the current speech
                if paragraphs[-1]:
                    paragraphs.append([])
            continue
        if not line.strip():
            continue
        if current is None:
            if chapter_key is None:
                raise CorpusError(f"{path.name}, line {line_no}: text before any <CHAPTER>: {line[:60]!r}")
            open_doc("intro", {}, line_no)
        paragraphs[-1].append(line.strip())
    close()
    return records, skipped


def load(folder: str | Path) -> Corpus:
    """Load every ``ep-*.txt`` file of ``folder/raw`` (or of ``folder`` itself), one document per speech."""
    folder = Path(folder)
    raw = folder / "raw" if (folder / "raw").is_dir() else folder
    files = sorted(p for p in raw.glob("ep-*.txt") if _FILE.search(p.name))
    if not files:
        raise CorpusError(f"{raw}: no Europarl day file (ep-YY-MM-DD.txt)")
    records: list[dict[str, Any]] = []
    skipped: list[tuple[str, str]] = []
    for path in files:
        r, s = parse_file(path)
        records.extend(r)
        skipped.extend(s)
    frame = pd.DataFrame.from_records(records)
    texts = frame.pop("text").tolist()
    frame["label"] = frame["agenda_item"]
    frame["date"] = pd.to_datetime(frame["date"])
    skipped_frame = pd.DataFrame(skipped, columns=["doc_id", "reason"]).astype(object)
    step = (f"corpora.load('europarl-fr-2000') from {raw}: {len(files)} day files -> "
            f"{len(texts)} speeches, {frame['agenda_item'].nunique()} agenda items, {len(skipped)} skipped")
    return Corpus(texts, frame, name="europarl-fr-2000", history=(step,), skipped=skipped_frame)
