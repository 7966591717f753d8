"""A corpus as Parquet shards: one folder, N files and a manifest, read one shard at a time.

A corpus too large for one process is kept as a folder::

    debats/
      shard-00000.parquet   one row a document: doc_id, text, then the metadata columns
      shard-00001.parquet
      …
      shards.json           format version, schema (column → dtype), per shard: file, documents,
                            bytes, SHA-256, first and last id; the source's name, history and
                            skipped documents (its provenance)

:func:`write_shards` takes a :class:`~discourse.corpus.Corpus` or an *iterable of Corpus chunks*
(a stream: :func:`stream_file` reads a CSV, JSON-lines or Parquet file that way), so a corpus
larger than memory is written without ever holding all its texts. The folder is written under
a temporary name and renamed into place: a killed writer never leaves half a folder under the
final name. :func:`read_shards` checks the manifest; every shard's size and SHA-256 are checked
when it is read (a damaged or replaced shard is a :class:`ShardError` naming the file).
Iterating a :class:`ShardedCorpus` yields one ``Corpus`` a shard, and only one is in memory.

Metadata keeps its dtypes (integers, dates, categories, nullable types) through the Parquet
schema. Documents with a missing or blank text follow the one policy of the readers of
:mod:`discourse.io`: left out and reported (``skipped``), never silently.

Example
-------
>>> from discourse import Corpus
>>> from discourse.shards import write_shards, read_shards
>>> corpus = Corpus.from_texts(["L’état de droit.", "La séance est levée.", "Vive la République."],
...                            ids=["s1", "s2", "s3"], metadata={"annee": [2013, 2013, 2014]})
>>> sharded = write_shards(corpus, "debats-shards", documents_per_shard=2)  # doctest: +SKIP
>>> len(sharded), sharded.n_documents                                         # doctest: +SKIP
(2, 3)
>>> [c.ids for c in read_shards("debats-shards")]                             # doctest: +SKIP
[['s1', 's2'], ['s3']]
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from discourse.corpus import ID_COLUMN, Corpus, CorpusError
from discourse.provenance import Provenance
from discourse.storage import ModelFileError

__all__ = ["ShardError", "ShardInfo", "ShardedCorpus", "write_shards", "read_shards", "stream_file", "MANIFEST"]

MANIFEST = "shards.json"
FORMAT_VERSION = 1
_KIND = "discourse sharded corpus"
#: the largest manifest read (a manifest is a few hundred bytes a shard)
_MANIFEST_LIMIT = 256 * 1024 * 1024


class ShardError(ModelFileError):
    """A shard folder is damaged, incomplete or not one: the message names the folder and the shard."""


@dataclass(frozen=True)
class ShardInfo:
    """One shard as the manifest records it."""

    file: str
    n_documents: int
    n_bytes: int
    sha256: str
    first_id: str
    last_id: str

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "n_documents": self.n_documents, "n_bytes": self.n_bytes, "sha256": self.sha256,
                "first_id": self.first_id, "last_id": self.last_id}


@dataclass(frozen=True)
class ShardedCorpus:
    """A corpus kept as Parquet shards in ``folder`` (see :func:`write_shards`, :func:`read_shards`).

    ``len()`` is the number of shards; iterating yields one :class:`~discourse.corpus.Corpus` a
    shard, read (and checked) when reached. ``provenance`` is the record of the source corpus
    (its history and skipped documents), which the sharded stages carry on.

    Example
    -------
    >>> sharded = read_shards("debats-shards")              # doctest: +SKIP
    >>> sum(len(c) for c in sharded) == sharded.n_documents  # doctest: +SKIP
    True
    """

    folder: Path
    shards: tuple[ShardInfo, ...]
    name: str | None
    history: tuple[str, ...]
    skipped: pd.DataFrame = field(repr=False, compare=False)
    schema: dict[str, str] = field(default_factory=dict)

    @property
    def n_documents(self) -> int:
        """Documents over all shards."""
        return sum(s.n_documents for s in self.shards)

    @property
    def provenance(self) -> Provenance:
        """The source corpus's record (what :meth:`Provenance.from_corpus` gives for it)."""
        return Provenance.from_corpus(_Record(self.history, self.skipped))

    def __len__(self) -> int:
        return len(self.shards)

    def __iter__(self) -> Iterator[Corpus]:
        for i in range(len(self.shards)):
            yield self.shard(i)

    def __repr__(self) -> str:
        return f"<ShardedCorpus {self.name or ''!s}: {self.n_documents} documents in {len(self)} shards at {self.folder}>"

    def path(self, i: int) -> Path:
        """The file of shard ``i``."""
        return self.folder / self.shards[i].file

    def read_frame(self, i: int) -> pd.DataFrame:
        """Shard ``i`` as a table (``doc_id``, ``text``, metadata), its size and SHA-256 checked first."""
        info = self.shards[i]
        data = read_checked(self.folder, info)
        return frame_from_bytes(data, self.folder, info)

    def shard(self, i: int) -> Corpus:
        """Shard ``i`` as a Corpus (its history says which shard it is).

        >>> read_shards("debats-shards").shard(0).history[-1]  # doctest: +SKIP
        'shard 1 of 2 (shard-00000.parquet)'
        """
        if not 0 <= i < len(self.shards):
            raise IndexError(f"shard {i} out of range: {self.folder} has {len(self.shards)} shards")
        frame = self.read_frame(i)
        texts = frame.pop("text").tolist()
        return Corpus(texts, frame, name=self.name,
                      history=self.history + (f"shard {i + 1} of {len(self.shards)} ({self.shards[i].file})",))

    def to_corpus(self) -> Corpus:
        """All shards as one Corpus, equal to the source (ids, texts, metadata and dtypes, name,
        history, skipped). Holds every text in memory: for corpora that fit.

        >>> read_shards("debats-shards").to_corpus().ids  # doctest: +SKIP
        ['s1', 's2', 's3']
        """
        frames = [self.read_frame(i) for i in range(len(self.shards))]
        frame = concat_frames(frames) if frames else _empty_frame(self.schema)
        texts = frame.pop("text").tolist()
        return Corpus(texts, frame, name=self.name, history=self.history, skipped=self.skipped)


@dataclass(frozen=True)
class _Record:
    """What :meth:`Provenance.from_corpus` reads of a corpus (history and skipped)."""

    history: tuple[str, ...]
    skipped: pd.DataFrame


# ------------------------------------------------------------------------------ reading
def read_checked(folder: Path, info: ShardInfo) -> bytes:
    """The bytes of one shard, after checking its size and SHA-256 against the manifest."""
    path = folder / info.file
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ShardError(f"{folder}: shard {info.file} is missing (listed in {MANIFEST})") from None
    except OSError as err:
        raise ShardError(f"{folder}: shard {info.file} cannot be read ({err.strerror})") from None
    if len(data) != info.n_bytes:
        raise ShardError(f"{folder}: shard {info.file} has {len(data):,} bytes, the manifest says {info.n_bytes:,}: "
                         "truncated or replaced; write the shards again")
    if hashlib.sha256(data).hexdigest() != info.sha256:
        raise ShardError(f"{folder}: shard {info.file} does not match its SHA-256 in {MANIFEST}: "
                         "changed or corrupted since it was written; write the shards again")
    return data


def frame_from_bytes(data: bytes, folder: Path, info: ShardInfo) -> pd.DataFrame:
    """The table of one shard from its (checked) bytes, with its count and first and last ids
    compared with the manifest; list columns come back as lists."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(data))
        frame = table.to_pandas()
    except Exception as err:  # pyarrow raises several types for a broken file
        raise ShardError(f"{folder}: shard {info.file} is not readable Parquet ({err})") from None
    for column, kind in zip(table.schema.names, table.schema.types):
        if _is_list_type(kind):  # pyarrow gives NumPy arrays where the source held lists
            frame[column] = pd.Series([_as_lists(v) for v in frame[column]], dtype=object)
    if list(frame.columns[:2]) != [ID_COLUMN, "text"]:
        raise ShardError(f"{folder}: shard {info.file} must start with the columns doc_id and text")
    if len(frame) != info.n_documents:
        raise ShardError(f"{folder}: shard {info.file} holds {len(frame)} documents, the manifest says {info.n_documents}")
    if len(frame) and (str(frame[ID_COLUMN].iloc[0]) != info.first_id or str(frame[ID_COLUMN].iloc[-1]) != info.last_id):
        raise ShardError(f"{folder}: shard {info.file} does not hold the documents {info.first_id!r}…{info.last_id!r} "
                         f"the manifest lists: shards renamed or swapped")
    return frame


def _is_list_type(kind: Any) -> bool:
    import pyarrow as pa

    return pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_fixed_size_list(kind)


def _as_lists(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return [_as_lists(v) for v in value.tolist()]
    if isinstance(value, list):
        return [_as_lists(v) for v in value]
    return value


def concat_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Tables put end to end, categories kept as in the first (``concat`` turns them into objects
    when shards hold different categories)."""
    frame = pd.concat(frames, ignore_index=True)
    for column, dtype in frames[0].dtypes.items():
        if isinstance(dtype, pd.CategoricalDtype) and frame[column].dtype != dtype:
            frame[column] = frame[column].astype(dtype)
    return frame


def _empty_frame(schema: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in schema} or {ID_COLUMN: [], "text": []})


def _check_type(value: Any, kind: type | tuple[type, ...], what: str, folder: Path) -> Any:
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise ShardError(f"{folder}: {MANIFEST} is malformed ({what})")
    return value


def read_shards(folder: str | Path) -> ShardedCorpus:
    """Open a folder written by :func:`write_shards`; the manifest is checked against the files
    (each listed, of the recorded size). Contents are checked shard by shard when read.

    >>> sharded = read_shards("debats-shards")  # doctest: +SKIP
    >>> sharded.shards[0].file                   # doctest: +SKIP
    'shard-00000.parquet'
    """
    folder = Path(folder)
    manifest = folder / MANIFEST
    if not folder.is_dir():
        raise FileNotFoundError(f"no shard folder at {folder}")
    if not manifest.is_file():
        raise ShardError(f"{folder}: no {MANIFEST}: not a shard folder (write one with write_shards or `discourse shard`)")
    if manifest.stat().st_size > _MANIFEST_LIMIT:
        raise ShardError(f"{folder}: {MANIFEST} is larger than {_MANIFEST_LIMIT:,} bytes")
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ShardError(f"{folder}: {MANIFEST} is not valid JSON ({err})") from None
    if not isinstance(data, dict) or data.get("kind") != _KIND:
        raise ShardError(f"{folder}: {MANIFEST} is not the manifest of a sharded corpus")
    if data.get("format_version") != FORMAT_VERSION:
        raise ShardError(f"{folder}: format version {data.get('format_version')!r}; this library reads {FORMAT_VERSION}")
    rows = _check_type(data.get("shards"), list, "shards", folder)
    shards = []
    for n, row in enumerate(rows):
        _check_type(row, dict, f"shard entry {n}", folder)
        try:
            info = ShardInfo(**{k: row[k] for k in ("file", "n_documents", "n_bytes", "sha256", "first_id", "last_id")})
        except KeyError as err:
            raise ShardError(f"{folder}: {MANIFEST} shard entry {n} lacks {err}") from None
        for key in ("file", "sha256", "first_id", "last_id"):
            _check_type(getattr(info, key), str, f"shard entry {n}: {key}", folder)
        for key in ("n_documents", "n_bytes"):
            if _check_type(getattr(info, key), int, f"shard entry {n}: {key}", folder) < 0:
                raise ShardError(f"{folder}: {MANIFEST} is malformed (shard entry {n}: negative {key})")
        if Path(info.file).name != info.file or not info.file.endswith(".parquet"):
            raise ShardError(f"{folder}: {MANIFEST} names a shard outside the folder: {info.file!r}")
        path = folder / info.file
        if not path.is_file():
            raise ShardError(f"{folder}: shard {info.file} is missing (listed in {MANIFEST})")
        if path.stat().st_size != info.n_bytes:
            raise ShardError(f"{folder}: shard {info.file} has {path.stat().st_size:,} bytes, the manifest says "
                             f"{info.n_bytes:,}: truncated or replaced; write the shards again")
        shards.append(info)
    if int(data.get("n_documents", -1)) != sum(s.n_documents for s in shards):
        raise ShardError(f"{folder}: {MANIFEST} counts {data.get('n_documents')} documents, its shards hold "
                         f"{sum(s.n_documents for s in shards)}")
    source = _check_type(data.get("source"), dict, "source", folder)
    name = source.get("name")
    history = _check_type(source.get("history", []), list, "source.history", folder)
    skipped_rows = _check_type(source.get("skipped", []), list, "source.skipped", folder)
    if not isinstance(name, (str, type(None))) or not all(isinstance(h, str) for h in history) or not all(
            isinstance(r, list) and len(r) == 2 and all(isinstance(x, str) for x in r) for r in skipped_rows):
        raise ShardError(f"{folder}: {MANIFEST} is malformed (source name, history or skipped)")
    schema = _check_type(data.get("schema", {}), dict, "schema", folder)
    skipped = pd.DataFrame(skipped_rows, columns=[ID_COLUMN, "reason"]).astype(object)
    return ShardedCorpus(folder, tuple(shards), name, tuple(history), skipped, {str(k): str(v) for k, v in schema.items()})


# ------------------------------------------------------------------------------ writing
def _chunks(source: Corpus | Iterable[Corpus]) -> Iterator[Corpus]:
    if isinstance(source, Corpus):
        yield source
        return
    if isinstance(source, (str, Path, bytes)):
        raise TypeError("write_shards takes a Corpus or an iterable of Corpus chunks; for a file use "
                        "stream_file(path) or `discourse shard`")
    for n, chunk in enumerate(source):
        if not isinstance(chunk, Corpus):
            raise TypeError(f"chunk {n} of the stream is a {type(chunk).__name__}, not a Corpus")
        yield chunk


def _id_hashes(ids: list[str]) -> np.ndarray:
    """8-byte hashes of ids: duplicates across shards are found without keeping every id string."""
    return np.array([int.from_bytes(hashlib.blake2b(i.encode("utf-8"), digest_size=8).digest(), "little")
                     for i in ids], dtype=np.uint64)


def _arrow_table(frame: pd.DataFrame, schema: Any, n: int, folder: Path) -> Any:
    import pyarrow as pa

    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as err:
        raise CorpusError(f"shard {n} of {folder}: a metadata column mixes types ({err}); convert it to one type "
                          "first (corpus.assign(...))") from None
    if schema is None or table.schema.equals(schema, check_metadata=False):
        return table
    if table.schema.names != schema.names:
        raise CorpusError(f"shard {n} of {folder}: its columns {table.schema.names} differ from the first shard's "
                          f"{schema.names}: every chunk of a stream must have the same metadata columns")
    try:  # a column that is all missing in one chunk, integers beside floats: cast to the first shard's types
        return table.cast(schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as err:
        differ = [f.name for f, g in zip(table.schema, schema) if not f.type.equals(g.type)]
        raise CorpusError(f"shard {n} of {folder}: column(s) {differ} have other types than in the first shard "
                          f"({err}); give every chunk the same dtypes") from None


def _write_parquet(table: Any, path: Path) -> bytes:
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(table, buf)
    data = buf.getvalue()
    path.write_bytes(data)
    return data


def write_shards(source: Corpus | Iterable[Corpus], folder: str | Path, *, documents_per_shard: int = 1000,
                 overwrite: bool = False, progress: bool = True) -> ShardedCorpus:
    """Write a corpus (or a stream of Corpus chunks) as Parquet shards of ``documents_per_shard``
    documents each, with a manifest; returns the :class:`ShardedCorpus`.

    A stream is consumed chunk by chunk: at most one chunk and one shard are in memory. Ids must
    be unique over the whole stream (checked with 8-byte hashes, not by keeping the ids). The
    folder appears complete or not at all; ``overwrite=True`` replaces an existing shard folder
    (never another kind of folder).

    >>> from discourse import corpora
    >>> sharded = write_shards(corpora.load("sample"), "sample-shards", documents_per_shard=50)  # doctest: +SKIP
    >>> sharded.shards[0].first_id                                                              # doctest: +SKIP
    'AN-1'
    """
    from discourse._progress import progress_bar
    from discourse.base import check_bool, check_int

    check_int("documents_per_shard", documents_per_shard, minimum=1)
    check_bool("overwrite", overwrite)
    folder = Path(folder)
    if folder.exists():
        if not overwrite:
            raise FileExistsError(f"{folder} exists: choose another folder or pass overwrite=True")
        if not folder.is_dir() or not (folder / MANIFEST).is_file():
            raise FileExistsError(f"{folder} exists and is not a shard folder (no {MANIFEST}): it is never replaced")
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.parent / f".{folder.name}.{uuid.uuid4().hex}.partial"
    tmp.mkdir()
    try:
        _write_all(_chunks(source), tmp, folder, documents_per_shard, progress_bar, progress)
        if folder.exists():  # overwrite: the old folder goes only once the new one is complete
            old = folder.parent / f".{folder.name}.{uuid.uuid4().hex}.old"
            os.replace(folder, old)
            os.replace(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return read_shards(folder)


def _write_all(chunks: Iterator[Corpus], tmp: Path, folder: Path, per_shard: int, progress_bar: Any,
               progress: bool) -> None:
    shards: list[ShardInfo] = []
    hashes: list[np.ndarray] = []
    schema = None
    name: str | None = None
    history: list[str] = []
    skipped: list[list[str]] = []
    pending: list[pd.DataFrame] = []
    n_pending = 0
    first = True

    def flush(frame: pd.DataFrame) -> None:
        nonlocal schema
        n = len(shards)
        table = _arrow_table(frame, schema, n, folder)
        if schema is None:
            schema = table.schema
        file = f"shard-{n:05d}.parquet"
        data = _write_parquet(table, tmp / file)
        ids = frame[ID_COLUMN].tolist()
        shards.append(ShardInfo(file, len(frame), len(data), hashlib.sha256(data).hexdigest(), ids[0], ids[-1]))
        hashes.append(_id_hashes(ids))
        bar.update(len(frame))

    bar = progress_bar(disable=not progress, desc="write shards", unit="doc")
    try:
        for chunk in chunks:
            if first:
                name, first = chunk.name, False
            for step in chunk.history:
                if step not in history:
                    history.append(step)
            skipped.extend([str(d), str(r)] for d, r in zip(chunk.skipped.iloc[:, 0], chunk.skipped.get("reason", [""] * len(chunk.skipped))))
            frame = chunk.to_frame()
            start = 0
            while start < len(frame):
                take = min(per_shard - n_pending, len(frame) - start)
                pending.append(frame.iloc[start:start + take])
                n_pending += take
                start += take
                if n_pending == per_shard:
                    flush(pd.concat(pending, ignore_index=True) if len(pending) > 1 else pending[0].reset_index(drop=True))
                    pending, n_pending = [], 0
        if pending:
            flush(pd.concat(pending, ignore_index=True) if len(pending) > 1 else pending[0].reset_index(drop=True))
    finally:
        bar.close()
    if not shards:
        raise CorpusError(f"{folder}: the source holds no document"
                          + (f" ({len(skipped)} skipped, e.g. {skipped[0][0]!r}: {skipped[0][1]})" if skipped else "")
                          + ": nothing to write")
    _check_unique(hashes, shards, tmp, folder)
    dtypes = _schema_dtypes(tmp, shards)
    manifest = {
        "kind": _KIND, "format_version": FORMAT_VERSION, "n_documents": sum(s.n_documents for s in shards),
        "schema": dtypes, "shards": [s.to_dict() for s in shards],
        "source": {"name": name, "history": history, "skipped": skipped},
    }
    (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


def _schema_dtypes(tmp: Path, shards: list[ShardInfo]) -> dict[str, str]:
    """Column → pandas dtype, as the first shard reads back (recorded for readers of the manifest)."""
    frame = frame_from_bytes((tmp / shards[0].file).read_bytes(), tmp, shards[0])
    return {str(c): str(t) for c, t in frame.dtypes.items()}


def _check_unique(hashes: list[np.ndarray], shards: list[ShardInfo], tmp: Path, folder: Path) -> None:
    if not hashes:
        return
    every = np.concatenate(hashes)
    ordered = np.sort(every)
    dup = ordered[1:][ordered[1:] == ordered[:-1]]
    if not dup.size:
        return
    target = dup[0]
    where = [(s.file, i) for s, h in zip(shards, hashes) for i in np.flatnonzero(h == target)]
    frame = frame_from_bytes((tmp / where[0][0]).read_bytes(), tmp, next(s for s in shards if s.file == where[0][0]))
    doc_id = frame[ID_COLUMN].iloc[int(where[0][1])]
    raise CorpusError(f"{folder}: doc_id {doc_id!r} appears more than once in the stream "
                      f"(shards {', '.join(sorted({w[0] for w in where}))}): ids must be unique")


# ------------------------------------------------------------------------------ streaming readers
def stream_file(path: str | Path, *, text_column: str = "text", id_column: str | None = ID_COLUMN,
                chunk_size: int = 10_000, name: str | None = None) -> Iterator[Corpus]:
    """Read a CSV (``.csv``, ``.tsv``), JSON-lines (``.jsonl``, ``.jsonl.gz``) or Parquet file as a
    stream of Corpus chunks of ``chunk_size`` rows, for :func:`write_shards`.

    Rows with a missing or blank text are left out and reported, as by :func:`discourse.io.read_csv`;
    without ``id_column`` the ids are ``doc0``, ``doc1``… over the whole file (not per chunk).
    CSV files are read as UTF-8 (with or without a BOM); for another encoding, read the file
    with :func:`discourse.io.read_csv` (which detects it) and shard the Corpus.

    >>> chunks = stream_file("depeches.jsonl.gz", text_column="texte", id_column="id")  # doctest: +SKIP
    >>> write_shards(chunks, "depeches-shards")                                         # doctest: +SKIP
    """
    from discourse import io as dio
    from discourse.base import check_int

    check_int("chunk_size", chunk_size, minimum=1)
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no file at {path}")
    suffixes = "".join(path.suffixes[-2:]).lower()
    if suffixes.endswith((".jsonl", ".jsonl.gz", ".ndjson")):
        frames, step = _jsonl_frames(path, chunk_size, text_column), f"read_jsonl({path.name})"
    elif suffixes.endswith(".parquet"):
        frames, step = _parquet_frames(path, chunk_size), f"read_parquet({path.name})"
    elif suffixes.endswith((".csv", ".tsv", ".csv.gz", ".tsv.gz")):
        sep = "\t" if ".tsv" in suffixes else ","
        frames, step = pd.read_csv(path, chunksize=chunk_size, sep=sep, encoding="utf-8-sig"), f"read_csv({path.name})"
    else:
        raise ValueError(f"{path}: stream_file reads .csv, .tsv, .jsonl(.gz) and .parquet files, not {suffixes or 'no suffix'}")
    offset = 0
    for frame in frames:
        frame = frame.reset_index(drop=True)
        if not (id_column and id_column in frame.columns):
            frame = frame.drop(columns=[ID_COLUMN], errors="ignore")
            frame.insert(0, ID_COLUMN, [f"doc{offset + i}" for i in range(len(frame))])
            use_id = ID_COLUMN
        else:
            use_id = id_column
        offset += len(frame)
        yield dio._frame_to_corpus(frame, text_column, use_id, str(path), step, name)


def _jsonl_frames(path: Path, chunk_size: int, text_column: str) -> Iterator[pd.DataFrame]:
    from discourse.io import iter_jsonl

    batch: list[dict[str, Any]] = []
    for record in iter_jsonl(path):
        batch.append(record)
        if len(batch) == chunk_size:
            yield pd.DataFrame.from_records(batch)
            batch = []
    if batch:
        yield pd.DataFrame.from_records(batch)


def _parquet_frames(path: Path, chunk_size: int) -> Iterator[pd.DataFrame]:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    for batch in pf.iter_batches(batch_size=chunk_size):
        yield batch.to_pandas()
