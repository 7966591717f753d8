"""Reading files and texts, below :class:`~discourse.Corpus`: encodings, line endings, HTML, JSON lines.

French archives mix UTF-8, UTF-8 with a byte-order mark and Windows-1252 (cp1252) or
Latin-1 files. :func:`read_text_file` detects the encoding of each file (UTF-8 whenever the
bytes decode as UTF-8, else the best Western-European candidate according to
charset-normalizer), normalises line endings to ``\\n`` and can strip HTML markup; it
returns the text and a report saying what it found.

The readers of a corpus (:meth:`Corpus.read_folder <discourse.Corpus.read_folder>`,
``read_csv``, ``read_jsonl``, ``read_parquet``, and their aliases in :mod:`discourse.io`)
read here the *parts* of a corpus (:class:`CorpusParts`: texts, metadata, history, skipped)
and the Corpus builds itself from them, so this module never imports the Corpus and the
Corpus never needs :mod:`discourse.io`. Every reader applies one missing-text policy,
:func:`leave_out_missing_texts`: a document whose text is missing (None, NaN, not a string)
or blank is left out and listed in ``corpus.skipped`` with the reason.

>>> leave_out_missing_texts(["a", "b", "c"], ["Bonjour.", None, "  "])
([0], [('b', 'missing text'), ('c', 'empty text')])
"""

from __future__ import annotations

import codecs
import gzip
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd


__all__ = [
    "CorpusError",
    "CorpusParts",
    "DecodeError",
    "FileReport",
    "DEFAULT_ENCODINGS",
    "ID_COLUMN",
    "SURROGATE",
    "decode_bytes",
    "frame_parts",
    "folder_parts",
    "iter_jsonl",
    "leave_out_missing_texts",
    "load_jsonl_records",
    "normalize_newlines",
    "read_text_file",
    "strip_html",
    "surrogate_message",
]

# Columns every metadata table carries; ``doc_id`` is the key shared with every later table.
ID_COLUMN = "doc_id"

# A lone UTF-16 surrogate (half of a pair, e.g. "\ud800" escaped in JSON) is not a character:
# it cannot be written as UTF-8, so every later stage would fail on it.
SURROGATE = re.compile("[\ud800-\udfff]")


def surrogate_message(text: str, match: re.Match[str]) -> str:
    """What to say about a lone surrogate found in ``text``."""
    context = text[max(0, match.start() - 30):match.start()].encode("utf-8", "replace").decode()
    return (f"lone surrogate \\u{ord(match.group()):04x} at character {match.start()} (after {context!r}): "
            "not valid Unicode, often half of an emoji cut in two; repair the source or replace it")


class CorpusError(ValueError):
    """Bad input to a Corpus: the message names the document and the problem."""


# Candidates tried when a file is not UTF-8. Unrestricted detection on short French text
# picks exotic code pages (cp1250, mac_latin2, big5 for "Ça"); French archives are
# Windows-1252 or Latin-1 in practice, so the search is limited to Western encodings.
DEFAULT_ENCODINGS: tuple[str, ...] = ("cp1252", "latin_1", "iso8859_15", "mac_roman", "cp850")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class DecodeError(ValueError):
    """A file whose bytes could not be decoded as text; the message names the file."""


@dataclass(frozen=True)
class FileReport:
    """What :func:`read_text_file` found in one file.

    ``encoding`` is the codec used (``"utf-8"``, ``"utf-8-sig"`` for UTF-8 with a BOM,
    ``"cp1252"``…); ``detected_by`` says how ("bom", "utf-8", "charset-normalizer",
    "given"); ``line_endings`` is "lf", "crlf", "cr", "mixed" or "none".
    """

    path: str
    encoding: str
    detected_by: str
    line_endings: str
    html_stripped: bool
    characters: int
    bytes: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------------- decoding
def decode_bytes(raw: bytes, *, encoding: str | None = None, encodings: Sequence[str] = DEFAULT_ENCODINGS,
                 source: str = "<bytes>") -> tuple[str, str, str]:
    """Decode bytes, returning ``(text, encoding, detected_by)``.

    Order: a byte-order mark; strict UTF-8 (pure ASCII counts as UTF-8); then the best of
    ``encodings`` according to charset-normalizer. ``encoding`` forces a codec.

    >>> decode_bytes("L’été".encode("cp1252"))[:2]
    ('L’été', 'cp1252')
    >>> decode_bytes("\\ufeffÉtat".encode("utf-8"))[:2]
    ('État', 'utf-8-sig')
    """
    if encoding is not None:
        try:
            return raw.decode(encoding), encoding, "given"
        except (UnicodeDecodeError, LookupError) as exc:
            raise DecodeError(f"{source}: cannot decode as {encoding}: {exc}") from exc
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec), codec, "bom"
            except UnicodeDecodeError as exc:
                raise DecodeError(f"{source}: starts with a {codec} byte-order mark but does not decode: {exc}") from exc
    try:
        return raw.decode("utf-8"), "utf-8", "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=list(encodings)).best() if encodings else None
    if best is None:
        raise DecodeError(
            f"{source}: not UTF-8 and none of {list(encodings)} fits; give encoding= if you know it"
        )
    codec = codecs.lookup(best.encoding).name
    # charset-normalizer names cp1252 "cp1252" and Latin-1 "latin_1"; keep Python's spelling.
    try:
        return raw.decode(codec), codec, "charset-normalizer"
    except UnicodeDecodeError as exc:  # pragma: no cover - the detector only returns codecs that decode
        raise DecodeError(f"{source}: detected {codec} but decoding failed: {exc}") from exc


def _line_endings(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [name for name, n in (("crlf", crlf), ("cr", cr), ("lf", lf)) if n]
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "mixed"


def normalize_newlines(text: str) -> str:
    """Turn Windows (``\\r\\n``) and old Mac (``\\r``) line endings into ``\\n``.

    >>> normalize_newlines("Séance ouverte.\\r\\nSuite.\\rFin.")
    'Séance ouverte.\\nSuite.\\nFin.'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------------- HTML
_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "article", "section", "header", "footer", "blockquote", "pre", "hr", "dd", "dt", "title",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def strip_html(text: str) -> str:
    """Remove HTML markup, keeping the text: entities decoded, one line a block element
    (paragraph, heading, list item, ``<br>``…), scripts and styles dropped, no blank lines.

    >>> strip_html("<p>L&rsquo;UE <b>et</b> l’ONU</p><script>x=1</script><p>Fin.</p>")
    'L’UE et l’ONU\\nFin.'
    """
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    lines = (re.sub(r"[ \t\f\v\u00a0]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


_html_to_text = strip_html  # read_text_file's keyword of the same name hides the function


def read_text_file(path: str | Path, *, strip_html: bool = False, encoding: str | None = None,
                   encodings: Sequence[str] = DEFAULT_ENCODINGS) -> tuple[str, FileReport]:
    """Read one text file: detect its encoding, normalise line endings, optionally strip HTML.

    Returns ``(text, report)``; raises :class:`DecodeError` naming the file when no
    candidate encoding fits. A leading byte-order mark is never part of the text.

    >>> text, report = read_text_file("depeche_1998.txt")           # doctest: +SKIP
    >>> report.encoding                                               # doctest: +SKIP
    'cp1252'
    """
    path = Path(path)
    raw = path.read_bytes()
    text, codec, how = decode_bytes(raw, encoding=encoding, encodings=encodings, source=str(path))
    text = text.removeprefix("\ufeff")
    endings = _line_endings(text)
    text = normalize_newlines(text)
    if strip_html:
        text = _html_to_text(text)
    report = FileReport(str(path), codec, how, endings, bool(strip_html), len(text), len(raw))
    return text, report


# ---------------------------------------------------------------------- JSON lines
def _open_maybe_gzip(path: Path):
    with open(path, "rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rb")
    return open(path, "rb")


def iter_jsonl(path: str | Path, limit: int | None = None) -> Iterable[dict[str, Any]]:
    """Yield the objects of a JSON-lines file (gzip-compressed or not), stopping after ``limit``.

    >>> next(iter(iter_jsonl("articles.jsonl.gz")))["code"]         # doctest: +SKIP
    """
    path = Path(path)
    n = 0
    with _open_maybe_gzip(path) as fh:
        for line_no, line in enumerate(fh, start=1):
            if limit is not None and n >= limit:
                return
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{path}, line {line_no}: not valid JSON ({exc.msg})") from exc
            if not isinstance(record, dict):
                raise CorpusError(f"{path}, line {line_no}: a JSON object is expected, got {type(record).__name__}")
            _check_surrogates(record, path, line_no)
            n += 1
            yield record


def _check_surrogates(record: dict[str, Any], path: Path, line_no: int) -> None:
    """A clear error, naming the line and the document, for a lone surrogate in a record's strings."""
    for key, value in record.items():
        bad = SURROGATE.search(value) if isinstance(value, str) else None
        if bad:
            doc = record.get(ID_COLUMN, record.get("id"))
            where = f" (document {doc!r})" if isinstance(doc, (str, int)) and not SURROGATE.search(str(doc)) else ""
            raise CorpusError(f"{path}, line {line_no}{where}, field {key!r}: {surrogate_message(value, bad)}")


def load_jsonl_records(path: str | Path, limit: int | None = None) -> list[dict[str, Any]]:
    """All objects of a JSON-lines file (gzip or not) as a list; the first ``limit`` only if given.

    Without a limit the file is decompressed in one go, which is about twice as fast as
    iterating over gzip lines; with a limit it is streamed.
    """
    path = Path(path)
    if limit is not None:
        return list(iter_jsonl(path, limit=limit))
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    records: list[dict[str, Any]] = []
    loads = json.loads
    for line_no, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            record = loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{path}, line {line_no}: not valid JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise CorpusError(f"{path}, line {line_no}: a JSON object is expected, got {type(record).__name__}")
        _check_surrogates(record, path, line_no)
        records.append(record)
    return records


# ---------------------------------------------------------------------- parts of a corpus
class CorpusParts(NamedTuple):
    """What a reader found: the texts kept, their metadata (``doc_id`` first), the history step
    and the documents left out with the reason (``Corpus(*parts[:2], history=..., skipped=...)``)."""

    texts: list[str]
    metadata: pd.DataFrame
    history: tuple[str, ...]
    skipped: pd.DataFrame


def _skipped_frame(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[ID_COLUMN, "reason"]).astype(object)


def leave_out_missing_texts(ids: Sequence[str], texts: Sequence[Any], *, blank: str = "empty text") -> tuple[list[int], list[tuple[str, str]]]:
    """The one missing-text policy of every reader: which documents to keep, and which to report.

    A text that is not a string (None, NaN, a number) is left out as ``"missing text"``; a
    text of white space only as ``blank`` (``"empty text"``; ``"empty file"`` for a folder).
    Returns the positions kept and the ``(doc_id, reason)`` rows of the others.

    >>> leave_out_missing_texts(["d1", "d2"], ["La séance est ouverte.", float("nan")])
    ([0], [('d2', 'missing text')])
    """
    keep: list[int] = []
    skipped: list[tuple[str, str]] = []
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            skipped.append((ids[i], "missing text"))
        elif not text.strip():
            skipped.append((ids[i], blank))
        else:
            keep.append(i)
    return keep, skipped


def folder_parts(path: str | Path, pattern: str = "*.txt", *, strip_html: bool = False, recursive: bool = True,
                 encoding: str | None = None, encodings: Sequence[str] = DEFAULT_ENCODINGS,
                 progress: bool = False) -> CorpusParts:
    """Every file matching ``pattern`` under a folder, one document a file (see :meth:`discourse.Corpus.read_folder`).

    Ids are the paths relative to the folder (``/``-separated, sorted). Metadata columns:
    ``path`` (the relative path), ``encoding`` (the codec used) and ``line_endings``.
    Empty files (nothing but white space) and undecodable files are left out and listed
    in ``skipped`` ("empty file", "undecodable: …").

    >>> folder_parts("archives/depeches", pattern="*.txt").skipped   # doctest: +SKIP
    """
    from discourse._progress import progress_bar as tqdm

    root = Path(path)
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: no such folder")
    files = sorted((p for p in (root.rglob(pattern) if recursive else root.glob(pattern)) if p.is_file()),
                   key=lambda p: p.relative_to(root).as_posix())
    texts: list[str] = []
    rows: list[dict[str, Any]] = []
    skipped: list[tuple[str, str]] = []
    for file in tqdm(files, desc=f"read {root.name}", unit="file", disable=not progress):
        rel = file.relative_to(root).as_posix()
        try:
            text, report = read_text_file(file, strip_html=strip_html, encoding=encoding, encodings=encodings)
        except DecodeError as exc:
            skipped.append((rel, f"undecodable: {str(exc).removeprefix(str(file) + ': ')}"))
            continue
        except OSError as exc:
            skipped.append((rel, f"unreadable: {exc.strerror or exc}"))
            continue
        keep, left_out = leave_out_missing_texts([rel], [text], blank="empty file")
        skipped.extend(left_out)
        if not keep:
            continue
        texts.append(text)
        rows.append({ID_COLUMN: rel, "path": rel, "encoding": report.encoding, "line_endings": report.line_endings})
    meta = pd.DataFrame(rows, columns=[ID_COLUMN, "path", "encoding", "line_endings"]).astype(object)
    step = (f"read_folder({root.name}, pattern={pattern!r}, strip_html={strip_html}) -> "
            f"{len(texts)} documents, {len(skipped)} skipped")
    return CorpusParts(texts, meta, (step,), _skipped_frame(skipped))


def frame_parts(frame: pd.DataFrame, text_column: str, id_column: str | None, source: str, step: str) -> CorpusParts:
    """One document a row of a table read from ``source`` (CSV, JSON lines, Parquet); other columns become metadata.

    Rows with a missing or blank text are left out and reported (:func:`leave_out_missing_texts`);
    ids come from ``id_column`` when the table has it, else ``doc0``, ``doc1``… by row, so they
    stay stable whatever is left out. Line endings of the texts are normalised to ``\\n``.

    >>> import pandas as pd
    >>> parts = frame_parts(pd.DataFrame({"text": ["Oui.", None]}), "text", None, "<table>", "read")
    >>> parts.texts, parts.skipped.values.tolist()
    (['Oui.'], [['doc1', 'missing text']])
    """
    if text_column not in frame.columns:
        raise CorpusError(f"{source}: no text column {text_column!r}; columns are {list(frame.columns)}")
    frame = frame.reset_index(drop=True)
    if id_column and id_column in frame.columns:
        ids = frame[id_column].astype(str).tolist()
        frame = frame.drop(columns=[id_column])
    else:
        ids = [f"doc{i}" for i in range(len(frame))]
    texts = frame.pop(text_column).astype(object).tolist()
    keep, skipped = leave_out_missing_texts(ids, texts)
    meta = frame.iloc[keep].reset_index(drop=True)
    meta.insert(0, ID_COLUMN, [ids[i] for i in keep])
    texts = [normalize_newlines(texts[i]) for i in keep]
    return CorpusParts(texts, meta, (f"{step} -> {len(texts)} documents, {len(skipped)} skipped",), _skipped_frame(skipped))


def csv_parts(path: str | Path, text_column: str = "text", id_column: str | None = ID_COLUMN, *,
              encoding: str | None = None, **kwargs: Any) -> CorpusParts:
    """A CSV file, one document a row (see :meth:`discourse.Corpus.read_csv`); ``kwargs`` go to :func:`pandas.read_csv`."""
    path = Path(path)
    text, codec, _ = decode_bytes(path.read_bytes(), encoding=encoding, source=str(path))
    frame = pd.read_csv(StringIO(text.removeprefix("\ufeff")), **kwargs)
    return frame_parts(frame, text_column, id_column, str(path), f"read_csv({path.name}, encoding={codec})")


def jsonl_parts(path: str | Path, text_column: str = "text", id_column: str | None = ID_COLUMN, *,
                limit: int | None = None) -> CorpusParts:
    """JSON lines (``.jsonl`` or gzip-compressed), one document an object (see :meth:`discourse.Corpus.read_jsonl`)."""
    path = Path(path)
    frame = pd.DataFrame.from_records(load_jsonl_records(path, limit=limit))
    if frame.empty:
        frame = pd.DataFrame({text_column: pd.Series([], dtype=object)})
    step = f"read_jsonl({path.name}" + (f", limit={limit}" if limit is not None else "") + ")"
    return frame_parts(frame, text_column, id_column, str(path), step)


def parquet_parts(path: str | Path, text_column: str = "text", id_column: str | None = ID_COLUMN, **kwargs: Any) -> CorpusParts:
    """A Parquet table, one document a row (see :meth:`discourse.Corpus.read_parquet`); ``kwargs`` go to :func:`pandas.read_parquet`."""
    frame = pd.read_parquet(path, **kwargs)
    return frame_parts(frame, text_column, id_column, str(path), f"read_parquet({Path(path).name})")
