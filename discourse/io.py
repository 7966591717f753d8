"""Reading real files into a Corpus: encodings, line endings, HTML, duplicates.

French archives mix UTF-8, UTF-8 with a byte-order mark and Windows-1252 (cp1252) or
Latin-1 files. :func:`read_text_file` detects the encoding of each file (UTF-8 whenever the
bytes decode as UTF-8, else the best Western-European candidate according to
charset-normalizer), normalises line endings to ``\\n`` and can strip HTML markup; it
returns the text and a report saying what it found. :func:`read_folder`, :func:`read_csv`
and :func:`read_jsonl` build corpora and list every file or row they leave out in
``corpus.skipped`` with the reason.

News wires republish the same dispatch: :func:`find_duplicates` reports exact copies
(same normalised text) and near copies (MinHash estimate over word 5-grams, confirmed by
the exact Jaccard similarity), and :func:`drop_duplicates` leaves the later copies out.

Example
-------
>>> from discourse import io
>>> corpus = io.read_folder("depeches/")                          # doctest: +SKIP
>>> corpus.metadata[["doc_id", "encoding"]].head()                # doctest: +SKIP
>>> io.find_duplicates(corpus)                                    # doctest: +SKIP
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import json
import re
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from discourse.corpus import ID_COLUMN, SURROGATE, Corpus, CorpusError, surrogate_message
from discourse.lang.fr.punctuation import APOSTROPHES

__all__ = [
    "DecodeError",
    "FileReport",
    "DEFAULT_ENCODINGS",
    "decode_bytes",
    "read_text_file",
    "strip_html",
    "normalize_newlines",
    "read_folder",
    "read_csv",
    "read_jsonl",
    "iter_jsonl",
    "load_jsonl_records",
    "find_duplicates",
    "drop_duplicates",
]

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


# ---------------------------------------------------------------------- corpora from files
def _skipped_frame(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[ID_COLUMN, "reason"]).astype(object)


def read_folder(path: str | Path, pattern: str = "*.txt", *, strip_html: bool = False, recursive: bool = True,
                encoding: str | None = None, encodings: Sequence[str] = DEFAULT_ENCODINGS,
                progress: bool = False, name: str | None = None) -> Corpus:
    """Read every file matching ``pattern`` under a folder, one document a file.

    Ids are the paths relative to the folder (``/``-separated, sorted). Metadata columns:
    ``path`` (the relative path), ``encoding`` (the codec used) and ``line_endings``.
    Empty files (nothing but white space) and undecodable files are left out and listed
    in ``corpus.skipped`` ("empty file", "undecodable: …").

    >>> corpus = read_folder("archives/depeches", pattern="*.txt")   # doctest: +SKIP
    >>> corpus.skipped                                                # doctest: +SKIP
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
        if not text.strip():
            skipped.append((rel, "empty file"))
            continue
        texts.append(text)
        rows.append({ID_COLUMN: rel, "path": rel, "encoding": report.encoding, "line_endings": report.line_endings})
    meta = pd.DataFrame(rows, columns=[ID_COLUMN, "path", "encoding", "line_endings"]).astype(object)
    step = (f"read_folder({root.name}, pattern={pattern!r}, strip_html={strip_html}) -> "
            f"{len(texts)} documents, {len(skipped)} skipped")
    return Corpus(texts, meta, name=name, history=(step,), skipped=_skipped_frame(skipped))


def _frame_to_corpus(frame: pd.DataFrame, text_column: str, id_column: str | None, source: str,
                     step: str, name: str | None) -> Corpus:
    """Rows with a missing or blank text are left out and reported; ids are kept stable."""
    if text_column not in frame.columns:
        raise CorpusError(f"{source}: no text column {text_column!r}; columns are {list(frame.columns)}")
    frame = frame.reset_index(drop=True)
    if id_column and id_column in frame.columns:
        ids = frame[id_column].astype(str).tolist()
        frame = frame.drop(columns=[id_column])
    else:
        ids = [f"doc{i}" for i in range(len(frame))]
    texts = frame.pop(text_column).astype(object).tolist()
    skipped: list[tuple[str, str]] = []
    keep: list[int] = []
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            skipped.append((ids[i], "missing text"))
        elif not text.strip():
            skipped.append((ids[i], "empty text"))
        else:
            keep.append(i)
    meta = frame.iloc[keep].reset_index(drop=True)
    meta.insert(0, ID_COLUMN, [ids[i] for i in keep])
    texts = [normalize_newlines(texts[i]) for i in keep]
    return Corpus(texts, meta, name=name, history=(f"{step} -> {len(texts)} documents, {len(skipped)} skipped",),
                  skipped=_skipped_frame(skipped))


def read_csv(path: str | Path, text_column: str = "text", id_column: str | None = ID_COLUMN, *,
             encoding: str | None = None, name: str | None = None, **kwargs: Any) -> Corpus:
    """Read a CSV file, one document a row (other columns become metadata).

    The encoding is detected as for text files; ``kwargs`` go to :func:`pandas.read_csv`
    (e.g. ``sep=";"``). Rows with a missing or blank text are left out and reported.

    >>> corpus = read_csv("communiques.csv", text_column="texte", id_column="id")  # doctest: +SKIP
    """
    path = Path(path)
    text, codec, _ = decode_bytes(path.read_bytes(), encoding=encoding, source=str(path))
    frame = pd.read_csv(StringIO(text.removeprefix("\ufeff")), **kwargs)
    return _frame_to_corpus(frame, text_column, id_column, str(path), f"read_csv({path.name}, encoding={codec})", name)


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


def read_jsonl(path: str | Path, text_column: str = "text", id_column: str | None = ID_COLUMN, *,
               limit: int | None = None, name: str | None = None) -> Corpus:
    """Read JSON lines (``.jsonl`` or gzip-compressed), one document an object.

    ``limit`` keeps the first objects only (for quick looks at a large file). Objects with
    a missing or blank text are left out and reported.

    >>> corpus = read_jsonl("depeches.jsonl.gz", text_column="texte")  # doctest: +SKIP
    """
    path = Path(path)
    frame = pd.DataFrame.from_records(load_jsonl_records(path, limit=limit))
    if frame.empty:
        frame = pd.DataFrame({text_column: pd.Series([], dtype=object)})
    step = f"read_jsonl({path.name}" + (f", limit={limit}" if limit is not None else "") + ")"
    return _frame_to_corpus(frame, text_column, id_column, str(path), step, name)


# ---------------------------------------------------------------------- duplicates
_APOSTROPHES = str.maketrans({**{c: "'" for c in APOSTROPHES}, "\u00a0": " ", "\u202f": " "})


def _normalise_for_duplicates(text: str) -> str:
    # Copies differ by typography and case more than by words: compare on a folded form.
    # apostrophes first: NFKC would decompose the acute accent ´ into a space and a combining mark
    text = unicodedata.normalize("NFKC", text.translate(_APOSTROPHES)).casefold()
    return " ".join(text.split())


def _shingle_hashes(normalised: str, shingle: int) -> np.ndarray:
    words = normalised.split(" ") if normalised else []
    if not words:
        return np.empty(0, dtype=np.uint64)
    if len(words) <= shingle:
        grams = [" ".join(words)]
    else:
        grams = [" ".join(words[i:i + shingle]) for i in range(len(words) - shingle + 1)]
    # crc32 is deterministic across runs (Python's hash() is salted per process).
    return np.unique(np.fromiter((zlib.crc32(g.encode("utf-8")) for g in grams), dtype=np.uint64, count=len(grams)))


def _identity(value: Any) -> Any:
    return value


@lru_cache(maxsize=32)
def _lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    # datasketch finds the (bands, rows) pair by numerical integration on every new index;
    # the answer depends on two numbers only, so compute it once.
    from datasketch.lsh import _optimal_param

    return _optimal_param(threshold, num_perm, 0.5, 0.5)


def find_duplicates(corpus: Corpus, threshold: float = 0.8, *, num_perm: int = 128, shingle: int = 5,
                    random_state: int = 0, progress: bool = False) -> pd.DataFrame:
    """Report exact and near duplicates, each later copy pointing to the first document kept.

    Texts are compared after folding case, typographic apostrophes and white space.
    Exact copies have the same folded text. Near copies share at least ``threshold`` of
    their word ``shingle``-grams (Jaccard similarity): candidates come from MinHash LSH
    (datasketch, ``num_perm`` permutations seeded by ``random_state``) and are confirmed
    by the exact Jaccard similarity of the two sets, which is what ``similarity`` reports.
    Documents are visited in corpus order, so the first copy is the one kept; the result
    is identical on every run. LSH may miss a pair whose similarity is just above the
    threshold (a small probability that more permutations, ``num_perm``, make smaller);
    it never reports a pair below it, since every candidate is checked exactly.

    Returns a DataFrame with columns ``doc_id``, ``duplicate_of``, ``kind`` ("exact" or
    "near") and ``similarity`` (1.0 for exact copies), one row per later copy.

    >>> from discourse import Corpus
    >>> c = Corpus.from_texts(["L’UE et l’ONU renforcent leur partenariat contre le terrorisme.",
    ...                        "L'UE et l'ONU renforcent leur partenariat contre le terrorisme."],
    ...                       ids=["afp", "reuters"])
    >>> find_duplicates(c)[["doc_id", "duplicate_of", "kind"]].values.tolist()
    [['reuters', 'afp', 'exact']]
    """
    from datasketch import MinHash, MinHashLSH
    from discourse._progress import progress_bar as tqdm

    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    ids = corpus.ids
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, params=_lsh_bands(threshold, num_perm))
    first_by_hash: dict[str, int] = {}
    kept_shingles: dict[int, np.ndarray] = {}
    rows: list[dict[str, Any]] = []
    # One template MinHash: its permutations are drawn once from random_state and copied.
    template = MinHash(num_perm=num_perm, seed=random_state, hashfunc=_identity)
    for i, text in enumerate(tqdm(corpus.texts, desc="duplicates", unit="doc", disable=not progress)):
        folded = _normalise_for_duplicates(text)
        digest = hashlib.sha1(folded.encode("utf-8")).hexdigest()
        if digest in first_by_hash:
            rows.append({ID_COLUMN: ids[i], "duplicate_of": ids[first_by_hash[digest]], "kind": "exact", "similarity": 1.0})
            continue
        first_by_hash[digest] = i
        shingles = _shingle_hashes(folded, shingle)
        if shingles.size == 0:
            continue
        m = template.copy()
        m.update_batch(shingles.tolist())
        best: tuple[float, int] | None = None
        for key in lsh.query(m):
            j = int(key)
            other = kept_shingles[j]
            inter = np.intersect1d(shingles, other, assume_unique=True).size
            jaccard = inter / (shingles.size + other.size - inter)
            if jaccard >= threshold and (best is None or jaccard > best[0] or (jaccard == best[0] and j < best[1])):
                best = (jaccard, j)
        if best is not None:
            rows.append({ID_COLUMN: ids[i], "duplicate_of": ids[best[1]], "kind": "near", "similarity": round(best[0], 4)})
            continue
        # Only kept documents enter the index, so every copy points to a document that stays.
        lsh.insert(str(i), m)
        kept_shingles[i] = shingles
    frame = pd.DataFrame(rows, columns=[ID_COLUMN, "duplicate_of", "kind", "similarity"])
    return frame.astype({ID_COLUMN: object, "duplicate_of": object, "kind": object, "similarity": float})


def drop_duplicates(corpus: Corpus, threshold: float = 0.8, *, keep_near: bool = False, num_perm: int = 128,
                    shingle: int = 5, random_state: int = 0, progress: bool = False) -> Corpus:
    """Leave out later copies found by :func:`find_duplicates`, reporting each in ``skipped``.

    Reasons read "exact duplicate of X" or "near duplicate of X (similarity 0.93)".
    ``keep_near=True`` drops exact copies only.

    >>> deduplicated = drop_duplicates(corpus, threshold=0.8)          # doctest: +SKIP
    >>> deduplicated.skipped                                           # doctest: +SKIP
    """
    found = find_duplicates(corpus, threshold, num_perm=num_perm, shingle=shingle, random_state=random_state,
                            progress=progress)
    if keep_near:
        found = found[found["kind"] == "exact"]
    reasons = [
        f"exact duplicate of {row.duplicate_of}" if row.kind == "exact"
        else f"near duplicate of {row.duplicate_of} (similarity {row.similarity:.2f})"
        for row in found.itertuples(index=False)
    ]
    dropped = set(found[ID_COLUMN])
    keep = [i for i, doc_id in enumerate(corpus.ids) if doc_id not in dropped]
    report = _skipped_frame(list(zip(found[ID_COLUMN].tolist(), reasons)))
    step = (f"drop_duplicates(threshold={threshold}, shingle={shingle}, num_perm={num_perm}, "
            f"random_state={random_state}) -> {len(dropped)} dropped")
    # Corpus.drop takes one reason for all ids; each copy here has its own, hence _with.
    return corpus._with(keep, history_step=step, skipped=report)
