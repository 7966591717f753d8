"""The Corpus: documents (an id and a text each) with a metadata table.

A Corpus never changes after it is made. Every operation returns a new Corpus whose
``history`` remembers what was done, so a table or figure can say where it came from.

Example
-------
>>> from discourse import Corpus
>>> corpus = Corpus.from_texts(
...     ["L’UE et l’ONU renforcent leur partenariat.", "Le multilatéralisme recule."],
...     ids=["depeche-1", "depeche-2"],
...     metadata={"source": ["AFP", "Reuters"]},
... )
>>> len(corpus)
2
>>> corpus.filter(source="AFP").ids
['depeche-1']
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from discourse import files
from discourse.files import ID_COLUMN, SURROGATE, CorpusError, surrogate_message  # noqa: F401  (their old home)
from discourse.metadata import check_group_values, parse_dates

__all__ = ["Corpus", "Document", "CorpusError"]

_FORMAT_VERSION = 1


@dataclass(frozen=True)
class Document:
    """One document of a corpus: its id, its text and its metadata row."""

    doc_id: str
    text: str
    metadata: Mapping[str, Any]

    def __str__(self) -> str:
        return self.text


class Corpus:
    """Texts with ids and a metadata table (one row a document, column ``doc_id`` first).

    Parameters
    ----------
    texts:
        One string a document.
    metadata:
        A DataFrame with one row per text and a ``doc_id`` column of unique, non-empty ids.
    name:
        A short name used in reports and manifests (e.g. ``"europarl-fr-2000"``).
    history:
        What was done to build this corpus, oldest first (filled in by the operations).
    skipped:
        Documents that could not be read or were left out, with the reason (``doc_id``,
        ``reason``); a loader reports here instead of dropping anything silently.
    """

    def __init__(
        self,
        texts: Sequence[str],
        metadata: pd.DataFrame,
        *,
        name: str | None = None,
        history: Sequence[str] = (),
        skipped: pd.DataFrame | None = None,
    ) -> None:
        texts = list(texts)
        if ID_COLUMN not in metadata.columns:
            raise CorpusError(f"metadata needs a '{ID_COLUMN}' column")
        if len(metadata) != len(texts):
            raise CorpusError(
                f"{len(texts)} texts but {len(metadata)} metadata rows: they must match one to one"
            )
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise CorpusError(
                    f"document {metadata[ID_COLUMN].iloc[i]!r}: text is {type(text).__name__}, not str"
                )
            bad = SURROGATE.search(text)
            if bad:
                raise CorpusError(f"document {metadata[ID_COLUMN].iloc[i]!r}: {surrogate_message(text, bad)}")
        meta = metadata.reset_index(drop=True).copy()
        meta[ID_COLUMN] = meta[ID_COLUMN].astype(str)
        ids = meta[ID_COLUMN].tolist()
        empty_ids = [i for i in ids if not i]
        if empty_ids:
            raise CorpusError("a document has an empty doc_id")
        if len(set(ids)) != len(ids):
            dup = pd.Series(ids)[pd.Series(ids).duplicated()].unique()[:5].tolist()
            raise CorpusError(f"doc_id values must be unique; repeated: {dup}")
        cols = [ID_COLUMN] + [c for c in meta.columns if c != ID_COLUMN]
        self._texts: tuple[str, ...] = tuple(texts)
        self._metadata = meta[cols]
        self._ids: tuple[str, ...] = tuple(ids)
        self._position = {doc_id: i for i, doc_id in enumerate(ids)}
        self.name = name
        self.history: tuple[str, ...] = tuple(history)
        self._skipped = (
            skipped.reset_index(drop=True).copy()
            if skipped is not None
            else pd.DataFrame({ID_COLUMN: pd.Series([], dtype=object), "reason": pd.Series([], dtype=object)})
        )

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_texts(
        cls,
        texts: Iterable[str],
        ids: Sequence[str] | None = None,
        metadata: pd.DataFrame | Mapping[str, Sequence[Any]] | None = None,
        *,
        name: str | None = None,
    ) -> Corpus:
        """Build a corpus from a list of texts, optional ids and optional metadata columns.

        Ids default to ``doc0``, ``doc1``, … ; ``metadata`` is a DataFrame or a mapping of
        column name to values, one value per text.

        >>> Corpus.from_texts(["La séance est ouverte."]).ids
        ['doc0']
        """
        texts = list(texts)
        if metadata is None:
            meta = pd.DataFrame(index=range(len(texts)))
        elif isinstance(metadata, pd.DataFrame):
            meta = metadata.reset_index(drop=True).copy()
        else:
            meta = pd.DataFrame(dict(metadata))
        if ids is None:
            ids = meta[ID_COLUMN].tolist() if ID_COLUMN in meta.columns else [f"doc{i}" for i in range(len(texts))]
        ids = [str(i) for i in ids]
        if len(ids) != len(texts):
            raise CorpusError(f"{len(texts)} texts but {len(ids)} ids")
        meta = meta.drop(columns=[ID_COLUMN], errors="ignore")
        meta.insert(0, ID_COLUMN, ids)
        return cls(texts, meta, name=name, history=(f"from_texts(n={len(texts)})",))

    @classmethod
    def from_frame(
        cls, frame: pd.DataFrame, text_column: str = "text", id_column: str | None = ID_COLUMN, *, name: str | None = None
    ) -> Corpus:
        """Build a corpus from a DataFrame with one text column; other columns become metadata."""
        if text_column not in frame.columns:
            raise CorpusError(f"no text column {text_column!r}; columns are {list(frame.columns)}")
        frame = frame.reset_index(drop=True)
        bad = frame[text_column].map(lambda t: not isinstance(t, str))
        texts = frame[text_column].where(~bad, "").astype(object).tolist()
        meta = frame.drop(columns=[text_column])
        if id_column and id_column in meta.columns:
            ids = meta[id_column].astype(str).tolist()
            meta = meta.drop(columns=[id_column])
        else:
            ids = [f"doc{i}" for i in range(len(texts))]
        meta.insert(0, ID_COLUMN, ids)
        skipped = None
        if bad.any():
            # Missing texts (NaN, None) are kept as empty documents and reported.
            skipped = pd.DataFrame({ID_COLUMN: [ids[i] for i in np.flatnonzero(bad)], "reason": "missing text"})
        return cls(texts, meta, name=name, history=(f"from_frame(n={len(texts)})",), skipped=skipped)

    # Readers: discourse.files reads the parts (one missing-text policy for every reader) and
    # the Corpus builds itself; discourse.io's functions of the same names call these.
    @classmethod
    def _from_parts(cls, parts: files.CorpusParts, name: str | None) -> Corpus:
        return cls(parts.texts, parts.metadata, name=name, history=parts.history, skipped=parts.skipped)

    @classmethod
    def read_folder(cls, path: str | Path, pattern: str = "*.txt", *, strip_html: bool = False, recursive: bool = True,
                    encoding: str | None = None, encodings: Sequence[str] = files.DEFAULT_ENCODINGS,
                    progress: bool = False, name: str | None = None) -> Corpus:
        """Read a folder of text files (one document a file; the id is the relative path).

        Encodings are detected and reported per file (metadata ``encoding``, ``line_endings``);
        empty and undecodable files are left out and listed in ``skipped``
        (:func:`discourse.files.folder_parts`).

        >>> corpus = Corpus.read_folder("archives/depeches", pattern="*.txt")   # doctest: +SKIP
        """
        return cls._from_parts(files.folder_parts(path, pattern, strip_html=strip_html, recursive=recursive, encoding=encoding,
                                                  encodings=encodings, progress=progress), name)

    @classmethod
    def read_csv(cls, path: str | Path, text_column: str = "text", id_column: str | None = ID_COLUMN, *,
                 encoding: str | None = None, name: str | None = None, **kwargs: Any) -> Corpus:
        """Read a CSV file with one document a row; other columns become metadata.

        The encoding is detected as for text files; ``kwargs`` go to :func:`pandas.read_csv`.
        Rows with a missing or blank text are left out and listed in ``skipped``.

        >>> corpus = Corpus.read_csv("communiques.csv", text_column="texte", id_column="id")  # doctest: +SKIP
        """
        return cls._from_parts(files.csv_parts(path, text_column, id_column, encoding=encoding, **kwargs), name)

    @classmethod
    def read_jsonl(cls, path: str | Path, text_column: str = "text", id_column: str | None = ID_COLUMN, *,
                   limit: int | None = None, name: str | None = None) -> Corpus:
        """Read JSON lines (optionally gzipped), one document an object (the first ``limit`` only if given).

        Objects with a missing or blank text are left out and listed in ``skipped``.

        >>> corpus = Corpus.read_jsonl("depeches.jsonl.gz", text_column="texte")  # doctest: +SKIP
        """
        return cls._from_parts(files.jsonl_parts(path, text_column, id_column, limit=limit), name)

    @classmethod
    def read_parquet(cls, path: str | Path, text_column: str = "text", id_column: str | None = ID_COLUMN, *,
                     name: str | None = None, **kwargs: Any) -> Corpus:
        """Read a Parquet table with one document a row (any Parquet, not only our own files).

        Rows with a missing or blank text are left out and listed in ``skipped``, as by every
        reader; ``kwargs`` go to :func:`pandas.read_parquet`.

        >>> corpus = Corpus.read_parquet("discours.parquet", text_column="texte")  # doctest: +SKIP
        """
        return cls._from_parts(files.parquet_parts(path, text_column, id_column, **kwargs), name)

    # ------------------------------------------------------------------ access
    @property
    def texts(self) -> list[str]:
        """The texts, in corpus order."""
        return list(self._texts)

    @property
    def ids(self) -> list[str]:
        """The document ids, in corpus order."""
        return list(self._ids)

    @property
    def metadata(self) -> pd.DataFrame:
        """A copy of the metadata table (one row a document, ``doc_id`` first)."""
        return self._metadata.copy()

    @property
    def skipped(self) -> pd.DataFrame:
        """Documents reported as unreadable, empty or left out, with the reason."""
        return self._skipped.copy()

    def __len__(self) -> int:
        return len(self._texts)

    def __iter__(self) -> Iterator[Document]:
        records = self._metadata.to_dict("records")
        for text, row in zip(self._texts, records):
            yield Document(row[ID_COLUMN], text, row)

    def __getitem__(self, key: int | str) -> Document:
        if isinstance(key, str):
            if key not in self._position:
                raise KeyError(f"no document with id {key!r} in corpus {self.name or ''}".strip())
            key = self._position[key]
        row = self._metadata.iloc[key].to_dict()
        return Document(row[ID_COLUMN], self._texts[key], row)

    def text(self, doc_id: str) -> str:
        """The text of one document, by id."""
        return self[doc_id].text

    def __repr__(self) -> str:
        name = f" {self.name!r}" if self.name else ""
        cols = [c for c in self._metadata.columns if c != ID_COLUMN]
        return f"<Corpus{name}: {len(self)} documents, metadata {cols}>"

    # ------------------------------------------------------------------ operations (return new corpora)
    def _with(
        self,
        positions: Sequence[int] | np.ndarray | None = None,
        *,
        texts: Sequence[str] | None = None,
        metadata: pd.DataFrame | None = None,
        history_step: str,
        skipped: pd.DataFrame | None = None,
    ) -> Corpus:
        if positions is not None:
            positions = np.asarray(positions, dtype=int)
            texts = [self._texts[i] for i in positions]
            metadata = self._metadata.iloc[positions]
        new_skipped = self._skipped if skipped is None else pd.concat([self._skipped, skipped], ignore_index=True)
        return Corpus(
            self._texts if texts is None else texts,
            self._metadata if metadata is None else metadata,
            name=self.name,
            history=self.history + (history_step,),
            skipped=new_skipped,
        )

    def filter(self, mask: Sequence[bool] | pd.Series | Callable[[pd.DataFrame], Any] | None = None, **equals: Any) -> Corpus:
        """Keep the documents that match, as a new corpus.

        ``mask`` is a boolean sequence or a function of the metadata table returning one;
        keyword arguments keep rows where a column equals a value (or is in a list/set).

        >>> c = Corpus.from_texts(["a", "b", "c"], metadata={"year": [2015, 2016, 2016]})
        >>> len(c.filter(year=2016)), len(c.filter(lambda m: m.year < 2016))
        (2, 1)
        """
        keep = np.ones(len(self), dtype=bool)
        steps = []
        if mask is not None:
            values = mask(self._metadata) if callable(mask) else mask
            values = np.asarray(values, dtype=bool)
            if values.shape != (len(self),):
                raise CorpusError(f"filter mask has {values.shape[0] if values.ndim else 0} values for {len(self)} documents")
            keep &= values
            steps.append("mask" if not callable(mask) else getattr(mask, "__name__", "function"))
        for column, value in equals.items():
            if column not in self._metadata.columns:
                raise CorpusError(f"no metadata column {column!r}; columns are {list(self._metadata.columns)}")
            col = self._metadata[column]
            if isinstance(value, (list, tuple, set, frozenset)):
                keep &= col.isin(list(value)).to_numpy()
            else:
                keep &= (col == value).fillna(False).to_numpy(dtype=bool)
            steps.append(f"{column}={value!r}")
        return self._with(np.flatnonzero(keep), history_step=f"filter({', '.join(steps)}) -> {int(keep.sum())} documents")

    def select(self, ids: Iterable[str]) -> Corpus:
        """Keep the documents with these ids, in the order given."""
        ids = list(ids)
        missing = [i for i in ids if i not in self._position]
        if missing:
            raise KeyError(f"ids not in corpus: {missing[:5]}")
        return self._with([self._position[i] for i in ids], history_step=f"select(n={len(ids)})")

    def head(self, n: int = 5) -> Corpus:
        """The first ``n`` documents."""
        return self._with(range(min(n, len(self))), history_step=f"head({n})")

    def sample(self, n: int, random_state: int = 0) -> Corpus:
        """``n`` documents drawn without replacement (fixed seed; corpus order kept)."""
        if n > len(self):
            raise CorpusError(f"cannot sample {n} documents from a corpus of {len(self)}")
        rng = np.random.default_rng(random_state)
        positions = np.sort(rng.choice(len(self), size=n, replace=False))
        return self._with(positions, history_step=f"sample(n={n}, random_state={random_state})")

    def groupby(self, column: str | Callable[[pd.DataFrame], Any]) -> Iterator[tuple[Any, Corpus]]:
        """Yield ``(value, sub-corpus)`` for each value of a metadata column, sorted by value.

        ``column`` may also be a function of the metadata table (e.g. ``lambda m: m.date.dt.year``).
        Documents whose value is missing are left out and listed in each sub-corpus's history.
        """
        if callable(column):
            keys = pd.Series(column(self._metadata)).reset_index(drop=True)
            label = getattr(column, "__name__", "function")
        else:
            if column not in self._metadata.columns:
                raise CorpusError(f"no metadata column {column!r}; columns are {list(self._metadata.columns)}")
            keys = self._metadata[column].reset_index(drop=True)
            label = column
        check_group_values(keys, label, self._ids)  # lists, dicts, 1 beside "1": refused
        for value, index in keys.groupby(keys, sort=True, dropna=True).groups.items():
            yield value, self._with(np.asarray(index), history_step=f"groupby({label})=={value!r}")

    def assign(self, **columns: Any) -> Corpus:
        """Add or replace metadata columns (values, or functions of the metadata table)."""
        meta = self._metadata.copy()
        for column, value in columns.items():
            if column == ID_COLUMN:
                raise CorpusError("doc_id cannot be reassigned")
            meta[column] = value(meta) if callable(value) else value
        return self._with(metadata=meta, history_step=f"assign({', '.join(columns)})")

    def map_texts(self, function: Callable[[str], str], description: str | None = None) -> Corpus:
        """Apply a function to every text (e.g. a cleaning step), as a new corpus."""
        label = description or getattr(function, "__name__", "function")
        return self._with(texts=[function(t) for t in self._texts], history_step=f"map_texts({label})")

    def drop(self, ids: Iterable[str], reason: str) -> Corpus:
        """Leave out documents by id; they are listed in ``skipped`` with the reason."""
        ids = set(ids)
        unknown = ids - set(self._position)
        if unknown:
            raise KeyError(f"ids not in corpus: {sorted(unknown)[:5]}")
        keep = [i for i, d in enumerate(self._ids) if d not in ids]
        report = pd.DataFrame({ID_COLUMN: [d for d in self._ids if d in ids], "reason": reason})
        return self._with(keep, history_step=f"drop(n={len(ids)}, reason={reason!r})", skipped=report)

    def concat(self, other: Corpus) -> Corpus:
        """This corpus followed by another (ids must stay unique)."""
        meta = pd.concat([self._metadata, other._metadata], ignore_index=True)
        return Corpus(
            self._texts + other._texts,
            meta,
            name=self.name,
            history=self.history + (f"concat({other.name or len(other)})",),
            skipped=pd.concat([self._skipped, other._skipped], ignore_index=True),
        )

    # ------------------------------------------------------------------ summaries
    def summary(self) -> pd.DataFrame:
        """One-row table: documents, tokens (whitespace words), characters, metadata, dates.

        A quick look, not the linguistic token count of the preprocessing.
        """
        n_words = np.fromiter((len(t.split()) for t in self._texts), dtype=np.int64, count=len(self))
        row: dict[str, Any] = {
            "corpus": self.name or "",
            "documents": len(self),
            "tokens": int(n_words.sum()),
            "characters": int(sum(len(t) for t in self._texts)),
            "mean_tokens_per_doc": round(float(n_words.mean()), 1) if len(self) else 0.0,
            "empty_documents": int((n_words == 0).sum()),
            "skipped": len(self._skipped),
            "metadata": ", ".join(c for c in self._metadata.columns if c != ID_COLUMN),
        }
        if "date" in self._metadata.columns and len(self):
            dates, _ = parse_dates(self._metadata["date"])
            row["first_date"] = dates.min()
            row["last_date"] = dates.max()
        return pd.DataFrame([row])

    def to_frame(self) -> pd.DataFrame:
        """The metadata table with a ``text`` column."""
        frame = self._metadata.copy()
        frame.insert(1, "text", list(self._texts))
        return frame

    # ------------------------------------------------------------------ save / load (Parquet, no pickle)
    def save(self, path: str | Path) -> Path:
        """Write the corpus (texts, metadata, name, history, skipped report) to one Parquet file.

        The file is written under a temporary name and renamed into place, so a killed run never
        leaves half a corpus under ``path``.

        >>> corpus.save("debats.parquet")  # doctest: +SKIP
        """
        import os
        import tempfile

        import pyarrow as pa
        import pyarrow.parquet as pq

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            table = pa.Table.from_pandas(self.to_frame(), preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as err:
            raise CorpusError(f"cannot save the corpus to {path}: a metadata column mixes types ({err}); "
                              "convert it to one type first (corpus.assign(...))") from None
        info = {
            "format_version": _FORMAT_VERSION,
            "name": self.name,
            "history": list(self.history),
            "skipped": self._skipped.astype(str).to_dict("records"),
        }
        meta = dict(table.schema.metadata or {})
        meta[b"discourse"] = json.dumps(info, ensure_ascii=False).encode("utf-8")
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            pq.write_table(table.replace_schema_metadata(meta), tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    @classmethod
    def load(cls, path: str | Path) -> Corpus:
        """Read a corpus written by :meth:`save`; a damaged or foreign file is a :class:`CorpusError`.

        >>> Corpus.load("debats.parquet").name  # doctest: +SKIP
        'an-debats-2013-2018'
        """
        import pyarrow.parquet as pq

        from discourse import storage

        try:  # declared rows and pages checked first (a Parquet bomb), then the whole table
            storage.check_parquet_file(path)
        except storage.ModelFileError as err:
            raise CorpusError(f"{path}: not a readable Parquet file, truncated, corrupted or too large ({err})") from None
        try:
            table = pq.read_table(path)
        except Exception as err:  # pyarrow raises several types (ArrowInvalid, OSError…) for a broken file
            raise CorpusError(f"{path}: not a readable Parquet file, truncated or corrupted ({err})") from None
        raw = (table.schema.metadata or {}).get(b"discourse")
        if raw is None:
            raise CorpusError(f"{path}: not a discourse corpus file (use Corpus.read_parquet for other tables)")
        try:
            info = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise CorpusError(f"{path}: its discourse record is not valid JSON ({err})") from None
        if not isinstance(info, dict):
            raise CorpusError(f"{path}: its discourse record is not a JSON object")
        history, skipped_rows = info.get("history", []), info.get("skipped") or []
        if (not isinstance(history, list) or not all(isinstance(h, str) for h in history)
                or not isinstance(skipped_rows, list) or not all(isinstance(r, dict) for r in skipped_rows)
                or not isinstance(info.get("name"), (str, type(None)))):
            raise CorpusError(f"{path}: its discourse record is malformed (name, history or skipped)")
        frame = table.to_pandas()
        if "text" not in frame.columns or ID_COLUMN not in frame.columns:
            raise CorpusError(f"{path}: a corpus file needs the columns 'text' and '{ID_COLUMN}'")
        texts = frame.pop("text").astype(object).tolist()
        skipped = pd.DataFrame(skipped_rows, columns=[ID_COLUMN, "reason"])
        return cls(texts, frame, name=info.get("name"), history=tuple(history) + (f"load({Path(path).name})",), skipped=skipped)
