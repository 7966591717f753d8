"""The preprocessing cache: an entry is served only if it is exactly what a fresh run would give.

Preprocessing a large corpus takes minutes, so :class:`~discourse.preprocess.Preprocessor`
keeps its result on disk when given ``cache_dir``. A cache that is sometimes wrong is worse
than none (the numbers of a paper would silently come from other data), so:

- **the key covers everything the result depends on**: the texts, the document ids, the
  metadata (column names, types and values), every setting of the preprocessor in canonical
  JSON (a set of stop words gives the same key in every process), the library's version, a
  hash of its own source and data files that preprocessing runs (``discourse/lang/``,
  ``preprocess.py``, ``tokens.py``, ``storage.py``, this module), and the versions of
  simplemma, spaCy and the spaCy model. Change any of them and the old entry is never read.
- **writes are atomic**: an entry is written to a temporary name in the cache folder and
  renamed into place; a killed writer leaves at most a temporary file, which readers never
  open (and which is removed a day later).
- **every entry is checked on reading**: its name carries the SHA-256 of its bytes, which is
  verified; the file is read by :mod:`discourse.storage` (zip CRCs, shapes, dtypes); the key
  stored inside must equal the key asked for, and the document ids must be those of the
  corpus. An entry that fails any check is deleted and recomputed, with a warning; it is never
  served and never fatal. A cache folder that cannot be written is a warning too.
- **concurrent processes are safe**: entries are immutable once renamed into place; two
  writers of the same key publish the same bytes under the same name (the container format is
  deterministic); a reader whose entry vanishes (deleted by another process) recomputes.

Example
-------
>>> from discourse.cache import PreprocessCache, canonical_json
>>> canonical_json({"stop_words": {"le", "la", "de"}, "min_length": 2})
'{"min_length":2,"stop_words":["de","la","le"]}'
>>> cache = PreprocessCache("cache/")                                          # doctest: +SKIP
>>> key = cache.key(ids=["d1"], texts=["L'état de droit."], metadata=None,
...                 settings={"backend": "fast"})                              # doctest: +SKIP
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import json
import math
import os
import time
import uuid
import warnings
from collections.abc import Mapping, Sequence
from importlib import metadata as _metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from discourse import storage

__all__ = ["PreprocessCache", "CacheWarning", "canonical_json", "code_fingerprint", "resource_versions"]

_PACKAGE = Path(__file__).resolve().parent
# the files whose content decides what preprocessing produces (folders are read recursively)
_SOURCES = ("lang", "preprocess.py", "tokens.py", "storage.py", "cache.py", "corpus.py")
_SUFFIXES = {".py", ".txt", ".tsv", ".yaml", ".json"}
#: a temporary file older than this is a leftover of a killed writer
STALE_SECONDS = 24 * 3600
_PREFIX = "tokens-"
_SUFFIX = ".discourse"


class CacheWarning(UserWarning):
    """A cache entry was refused (and recomputed) or could not be written."""


# ------------------------------------------------------------------------------ canonical form
def _canonical(value: Any) -> Any:
    """Plain JSON values, with sets sorted and mappings keyed by strings (so dumps is stable)."""
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        items = [_canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_canonical(v) for v in value.tolist()]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        # NaN and infinities are not JSON: written as strings that no text setting can equal
        return value if math.isfinite(value) else f"<float {value}>"
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Path):
        return str(value)
    if value is pd.NaT:
        return "<NaT>"
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date)):
        return f"<time {value.isoformat()}>"
    return f"<{type(value).__name__} {value!r}>"


def canonical_json(value: Any) -> str:
    """One JSON text per value, whatever the process: keys sorted, sets sorted, no spaces.

    >>> canonical_json({"b": 1, "a": frozenset({"état", "droit"})})
    '{"a":["droit","état"],"b":1}'
    """
    return json.dumps(_canonical(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# ------------------------------------------------------------------------------ what the key covers
@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 of the library's source and data files that preprocessing depends on.

    >>> len(code_fingerprint())
    64
    """
    h = hashlib.sha256()
    for name in _SOURCES:
        root = _PACKAGE / name
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            if path.suffix in _SUFFIXES and "__pycache__" not in path.parts:
                h.update(path.relative_to(_PACKAGE).as_posix().encode())
                h.update(b"\x00")
                h.update(path.read_bytes())
                h.update(b"\x01")
    return h.hexdigest()


def _version(distribution: str) -> str:
    try:
        return _metadata.version(distribution)
    except _metadata.PackageNotFoundError:
        return "absent"


def resource_versions(spacy_model: str | None = None) -> dict[str, str]:
    """Versions of the library and of the language resources a result depends on.

    >>> sorted(resource_versions())
    ['discourse', 'simplemma', 'spacy']
    """
    from discourse import __version__

    versions = {"discourse": __version__, "simplemma": _version("simplemma"), "spacy": _version("spacy")}
    if spacy_model:
        versions[f"model:{spacy_model}"] = _version(spacy_model)
    return versions


def _hash_strings(h: Any, label: str, values: Sequence[Any]) -> None:
    h.update(f"{label}:{len(values)}\x00".encode())
    for value in values:
        data = str(value).encode("utf-8", "surrogatepass")
        # length-prefixed, so ("ab", "c") and ("a", "bc") never collide
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)


def _hash_metadata(h: Any, metadata: pd.DataFrame | None) -> None:
    if metadata is None:
        h.update(b"metadata:none\x00")
        return
    h.update(f"metadata:{metadata.shape}\x00".encode())
    for column in metadata.columns:
        series = metadata[column]
        h.update(canonical_json([str(column), str(series.dtype)]).encode())
        if isinstance(series.dtype, pd.CategoricalDtype):  # the order of categories orders tables
            h.update(canonical_json([list(series.dtype.categories), bool(series.dtype.ordered)]).encode())
        h.update(canonical_json(series.tolist()).encode("utf-8", "surrogatepass"))
        h.update(b"\x01")


# ------------------------------------------------------------------------------ the cache
class PreprocessCache:
    """A folder of preprocessed corpora (:class:`~discourse.tokens.Tokens`), checked on every read.

    Parameters
    ----------
    folder : where entries are kept (created on first write).

    Example
    -------
    >>> cache = PreprocessCache("cache/")                                        # doctest: +SKIP
    >>> key = cache.key(ids=ids, texts=texts, metadata=meta, settings=params)   # doctest: +SKIP
    >>> tokens = cache.get(key, ids) or Preprocessor().transform(corpus)        # doctest: +SKIP
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def __repr__(self) -> str:
        return f"PreprocessCache({str(self.folder)!r})"

    @staticmethod
    def key(*, ids: Sequence[str], texts: Sequence[str], metadata: pd.DataFrame | None,
            settings: Mapping[str, Any], spacy_model: str | None = None) -> str:
        """The key of one corpus under one configuration (hex SHA-256).

        >>> k1 = PreprocessCache.key(ids=["a"], texts=["la paix"], metadata=None, settings={"s": {"x", "y"}})
        >>> k2 = PreprocessCache.key(ids=["a"], texts=["la paix"], metadata=None, settings={"s": {"y", "x"}})
        >>> k1 == k2
        True
        """
        if len(ids) != len(texts):
            raise ValueError(f"{len(ids)} ids for {len(texts)} texts")
        h = hashlib.sha256()
        h.update(b"discourse preprocess cache v1\x00")
        h.update(canonical_json(settings).encode("utf-8", "surrogatepass"))
        h.update(canonical_json(resource_versions(spacy_model)).encode())
        h.update(code_fingerprint().encode())
        _hash_strings(h, "ids", ids)
        _hash_strings(h, "texts", texts)
        _hash_metadata(h, metadata)
        return h.hexdigest()

    # -------------------------------------------------------------------------- reading
    def _entries(self, key: str) -> list[Path]:
        try:
            return sorted(self.folder.glob(f"{_PREFIX}{key}-*{_SUFFIX}"))
        except OSError:
            return []

    def _refuse(self, path: Path, reason: str) -> None:
        warnings.warn(f"preprocessing cache entry {path.name} refused and deleted ({reason}); "
                      "the corpus is preprocessed again", CacheWarning, stacklevel=4)
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass

    def get(self, key: str, ids: Sequence[str] | None = None) -> Any:
        """The cached :class:`~discourse.tokens.Tokens` for ``key``, or None (miss or refused entry).

        ``ids``, when given, must be the document ids of the entry.
        """
        from discourse.tokens import Tokens

        for path in self._entries(key):
            digest = path.name[len(_PREFIX) + len(key) + 1:-len(_SUFFIX)]
            try:
                data = path.read_bytes()
            except FileNotFoundError:  # deleted by another process since the listing
                continue
            except OSError as err:
                self._refuse(path, f"unreadable: {err.strerror}")
                continue
            if hashlib.sha256(data).hexdigest() != digest:
                self._refuse(path, "its checksum does not match its content")
                continue
            try:  # from the bytes whose checksum was verified, not from the path again
                tokens = storage.loads(data, path.name, expected=Tokens)
            except storage.ModelFileError as err:
                self._refuse(path, str(err))
                continue
            stored = tokens.config.get("cache_key")
            if stored != key:
                self._refuse(path, f"it holds the entry of key {str(stored)[:12]}…, not {key[:12]}…")
                continue
            if ids is not None and list(ids) != tokens.doc_ids:
                self._refuse(path, "its document ids are not those of the corpus")
                continue
            config = {k: v for k, v in tokens.config.items() if k != "cache_key"}
            return tokens._replace(config=config)
        return None

    # -------------------------------------------------------------------------- writing
    def put(self, key: str, tokens: Any) -> Path | None:
        """Store ``tokens`` under ``key`` atomically; returns the entry's path (None if it could not be written)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._remove_stale()
            tmp = self.folder / f".{_PREFIX}{key[:16]}-{uuid.uuid4().hex}.partial"
            entry = tokens._replace(config={**tokens.config, "cache_key": key})
            storage.save(entry, tmp)  # itself written under a temporary name, then renamed to tmp
            try:
                digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
                final = self.folder / f"{_PREFIX}{key}-{digest}{_SUFFIX}"
                os.replace(tmp, final)  # atomic: readers see no file or a complete one
            finally:
                tmp.unlink(missing_ok=True)
        except (OSError, TypeError, ValueError) as err:
            warnings.warn(f"the preprocessing cache in {self.folder} could not be written ({err}); "
                          "the result is used without being cached", CacheWarning, stacklevel=3)
            return None
        # storage writes the same bytes for the same object: two writers of one key publish one name
        return final

    def _remove_stale(self) -> None:
        now = time.time()
        for tmp in self.folder.glob(".*.tmp"):
            self._remove_if_old(tmp, now)
        for tmp in self.folder.glob(f".{_PREFIX}*.partial"):
            self._remove_if_old(tmp, now)

    @staticmethod
    def _remove_if_old(path: Path, now: float) -> None:
        try:
            if now - path.stat().st_mtime > STALE_SECONDS:
                path.unlink(missing_ok=True)
        except OSError:
            pass

    def clear(self) -> int:
        """Delete every entry (and leftover temporary file); returns how many files were removed."""
        removed = 0
        for pattern in (f"{_PREFIX}*{_SUFFIX}", f".{_PREFIX}*.partial", ".*.tmp"):
            for path in self.folder.glob(pattern):
                path.unlink(missing_ok=True)
                removed += 1
        return removed
