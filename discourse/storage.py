"""The one container format of the library's saved objects: data only, checked before it is trusted.

A saved object (a topic model, a document-term matrix, tokens, a Reinert classification, a
Wordfish fit…) is one zip file holding:

- ``info.json``: the format name and version, the class name, the constructor parameters and
  the object's JSON state (vocabulary, ids, labels, provenance…);
- ``arrays/<name>.npy``: numeric arrays (bool, int, float only: never object arrays);
- ``tables/<name>.parquet``: pandas tables (metadata, segments…).

Loading never imports or calls what the file names: the class is looked up by name in a
closed registry of the library's own classes (:func:`register`), the parameters are checked
against that class's signature, every member is checked for its name, its size (at most
``MAX_EXPANSION`` times the file's size, plus ``SIZE_ALLOWANCE``), and every array for its
dtype, its declared size and finiteness before the class rebuilds itself from it
(``_from_state``, which checks shapes). Anything wrong is a :class:`ModelFileError` naming the
file and the problem. Writes go to a temporary file renamed into place, so a killed writer
never leaves half a file under the final name; zip's CRC-32 of every member is verified on
reading, so a flipped byte is caught.

A class takes part by defining ``_get_state(self) -> dict`` (keys ``info``, ``arrays``,
``tables``, each optional) and ``_from_state(cls, params, info, arrays, tables)``, and by being
decorated with :func:`register`.

Example
-------
>>> from discourse import storage
>>> storage.save(model, "lda.npz")        # doctest: +SKIP
>>> storage.load("lda.npz", expected=LDA)  # doctest: +SKIP
"""

from __future__ import annotations

import inspect
import io
import json
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ModelFileError", "register", "registered", "save", "load", "loads", "check_shape", "check_array", "check_parquet_file", "check_strings",
           "FORMAT", "FORMAT_VERSION"]

FORMAT = "discourse"
FORMAT_VERSION = 2
#: a member may expand to at most this many times the size of the whole file …
MAX_EXPANSION = 200
#: … plus this many bytes (small files with very regular arrays compress far more)
SIZE_ALLOWANCE = 64 * 1024 * 1024
_NAME = r"[A-Za-z_][A-Za-z0-9_]{0,99}"
_MEMBER = re.compile(rf"^(info\.json|arrays/{_NAME}\.npy|tables/{_NAME}\.parquet)$")
_ALLOWED_KINDS = "biuf"
_CHUNK = 1 << 20

_REGISTRY: dict[str, type] = {}


class ModelFileError(ValueError):
    """A saved file that is not a valid discourse file (wrong format, truncated, tampered, too large)."""


def register(cls: type) -> type:
    """Class decorator: make ``cls`` loadable by name (the closed registry of saveable classes)."""
    name = cls.__name__
    if name in _REGISTRY and _REGISTRY[name] is not cls:
        raise RuntimeError(f"two saveable classes are named {name}")
    _REGISTRY[name] = cls
    return cls


def registered() -> dict[str, type]:
    """The saveable classes by name (a copy)."""
    return dict(_REGISTRY)


# ---------------------------------------------------------------------------------------- save
def _json_default(value: Any) -> Any:
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    raise TypeError(f"cannot store a {type(value).__name__} in a discourse file")


def _npy_bytes(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.ascontiguousarray(array), allow_pickle=False)
    return buf.getvalue()


def _parquet_bytes(frame: pd.DataFrame, name: str = "table") -> bytes:
    import pyarrow as pa

    buf = io.BytesIO()
    try:
        frame.to_parquet(buf, index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as err:
        raise ValueError(f"table {name!r} cannot be stored: a column mixes types ({err}); convert it to one type "
                         "first") from None
    return buf.getvalue()


def _write(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    # a fixed date: the same object always gives the same bytes (stable hashes in manifests and caches)
    member = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    member.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(member, data)


def save(obj: Any, path: str | Path) -> Path:
    """Write ``obj`` (a registered class) to ``path`` atomically; returns the path."""
    cls = type(obj)
    if _REGISTRY.get(cls.__name__) is not cls:
        raise TypeError(f"{cls.__name__} is not a saveable discourse class")
    state = obj._get_state()
    params = obj.get_params() if hasattr(obj, "get_params") else {}
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "class": cls.__name__,
        "params": params,
        "info": state.get("info", {}),
    }
    arrays: Mapping[str, np.ndarray] = state.get("arrays", {})
    tables: Mapping[str, pd.DataFrame] = state.get("tables", {})
    for name in (*arrays, *tables):
        if not re.fullmatch(_NAME, name):
            raise ValueError(f"member name {name!r} is not an identifier")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            _write(zf, "info.json", json.dumps(header, ensure_ascii=False, default=_json_default, sort_keys=True).encode("utf-8"))
            for name, array in arrays.items():
                array = np.asarray(array)
                if array.dtype.kind not in _ALLOWED_KINDS:
                    raise TypeError(f"array {name!r} has dtype {array.dtype}: only bool, int and float arrays are stored")
                _write(zf, f"arrays/{name}.npy", _npy_bytes(array))
            for name, frame in tables.items():
                _write(zf, f"tables/{name}.parquet", _parquet_bytes(frame, name))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# ---------------------------------------------------------------------------------------- load
def _read_member(zf: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int, path: Path) -> bytes:
    if member.file_size > limit:
        raise ModelFileError(f"{path}: member {member.filename} would expand to {member.file_size:,} bytes, "
                             f"over the limit of {limit:,} for a file of this size")
    # read in bounded chunks: zipfile inflates as much as it is asked for before cutting to the
    # declared size, so one large read of a lying member would allocate the whole expansion
    chunks, total = [], 0
    with zf.open(member) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            total += len(chunk)
            if total > min(limit, member.file_size):
                raise ModelFileError(f"{path}: member {member.filename} expands past its declared size or the limit")
            chunks.append(chunk)
    return b"".join(chunks)


def _parse_npy(data: bytes, name: str, path: Path, nonfinite_ok: bool) -> np.ndarray:
    buf = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(buf)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(buf)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(buf)
        else:
            raise ValueError(f"npy version {version}")
    except ValueError as err:
        raise ModelFileError(f"{path}: array {name!r} is not a valid .npy member ({err})") from None
    if dtype.hasobject or dtype.kind not in _ALLOWED_KINDS:
        raise ModelFileError(f"{path}: array {name!r} has dtype {dtype}: only bool, int and float arrays are accepted")
    count = int(np.prod(shape, dtype=np.int64)) if shape else 1
    body = data[buf.tell():]
    if len(body) != count * dtype.itemsize:
        raise ModelFileError(f"{path}: array {name!r} declares shape {shape} ({count * dtype.itemsize:,} bytes) "
                             f"but holds {len(body):,} bytes")
    array = np.frombuffer(body, dtype=dtype).reshape(shape, order="F" if fortran else "C").copy()
    if array.dtype.kind == "f" and not nonfinite_ok and not np.isfinite(array).all():
        raise ModelFileError(f"{path}: array {name!r} holds NaN or infinite values")
    return array


def _check_parquet(raw: bytes | Path, name: str, limit: int, path: Path) -> None:
    """Refuse a table whose declared rows, columns or decoded pages would exceed ``limit`` (a Parquet bomb)."""
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(io.BytesIO(raw) if isinstance(raw, bytes) else raw).metadata
    except Exception as err:  # pyarrow raises several types for a broken footer
        raise ModelFileError(f"{path}: table {name!r} is not valid Parquet ({err})") from None
    cells = meta.num_rows * max(meta.num_columns, 1)
    decoded = sum(meta.row_group(g).column(c).total_uncompressed_size
                  for g in range(meta.num_row_groups) for c in range(meta.num_columns))
    # a cell costs at least a pointer and a small object once in pandas
    if cells * 64 > limit or decoded > limit:
        raise ModelFileError(f"{path}: table {name!r} declares {meta.num_rows:,} rows × {meta.num_columns} columns "
                             f"({decoded:,} bytes of pages), over the limit of {limit:,} bytes for a file of this size")


def _check_params(klass: type, params: Any, path: Path) -> dict[str, Any]:
    if not isinstance(params, dict):
        raise ModelFileError(f"{path}: 'params' must be a JSON object")
    sig = inspect.signature(klass.__init__)
    accepted = {n for n, p in sig.parameters.items() if n != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
    unknown = sorted(set(params) - accepted)
    if unknown:
        raise ModelFileError(f"{path}: {klass.__name__} has no parameter(s) {unknown}")
    return params


def load(path: str | Path, expected: type | tuple[type, ...] | None = None) -> Any:
    """Read an object written by :func:`save`, checking everything before trusting it.

    ``expected`` restricts what the file may hold (a class or a tuple of classes).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as err:
        raise ModelFileError(f"{path}: cannot read ({err.strerror})") from None
    return _load(path, size, path, expected)


def loads(data: bytes, source: str | Path = "<bytes>", expected: type | tuple[type, ...] | None = None) -> Any:
    """:func:`load` from the bytes of a file already read (``source`` names it in errors).

    Used where the bytes were checked first (the preprocessing cache verifies their checksum).
    """
    return _load(io.BytesIO(data), len(data), Path(source), expected)


def _load(file: Any, size: int, path: Path, expected: type | tuple[type, ...] | None) -> Any:
    limit = MAX_EXPANSION * size + SIZE_ALLOWANCE
    try:
        with zipfile.ZipFile(file) as zf:
            members = zf.infolist()
            names = [m.filename for m in members]
            bad = [n for n in names if not _MEMBER.match(n)]
            if bad and "info.npy" in names:
                raise ModelFileError(f"{path}: a file of the older .npz format (before format version {FORMAT_VERSION}), "
                                     "which is no longer read: fit or build the object again and save it")
            if bad:
                raise ModelFileError(f"{path}: unexpected member(s) {bad[:3]}: not a discourse file")
            if len(set(names)) != len(names):
                raise ModelFileError(f"{path}: a member name appears twice")
            if "info.json" not in names:
                raise ModelFileError(f"{path}: no info.json: not a discourse file")
            total = sum(m.file_size for m in members)
            if total > limit:
                raise ModelFileError(f"{path}: members would expand to {total:,} bytes, over the limit of {limit:,}")
            by_name = {m.filename: m for m in members}
            try:
                header = json.loads(_read_member(zf, by_name["info.json"], limit, path).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as err:
                raise ModelFileError(f"{path}: info.json is not valid JSON ({err})") from None
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise ModelFileError(f"{path}: not a discourse file")
            if header.get("format_version") != FORMAT_VERSION:
                raise ModelFileError(f"{path}: format version {header.get('format_version')!r}; this library reads "
                                     f"version {FORMAT_VERSION} (save the object again with this version)")
            name = header.get("class")
            klass = _REGISTRY.get(name) if isinstance(name, str) else None
            if klass is None:
                raise ModelFileError(f"{path}: {name!r} is not a saveable discourse class "
                                     f"(known: {sorted(_REGISTRY)})")
            if expected is not None and not issubclass(klass, expected):
                want = expected if isinstance(expected, tuple) else (expected,)
                raise ModelFileError(f"{path} holds a {name}, not a {' or '.join(w.__name__ for w in want)}")
            params = _check_params(klass, header.get("params", {}), path)
            info = header.get("info", {})
            if not isinstance(info, dict):
                raise ModelFileError(f"{path}: 'info' must be a JSON object")
            nonfinite_ok = set(getattr(klass, "_nonfinite_arrays", ()))
            arrays, tables = {}, {}
            for member_name, member in by_name.items():
                if member_name.startswith("arrays/"):
                    key = member_name[len("arrays/"):-len(".npy")]
                    arrays[key] = _parse_npy(_read_member(zf, member, limit, path), key, path, key in nonfinite_ok)
                elif member_name.startswith("tables/"):
                    key = member_name[len("tables/"):-len(".parquet")]
                    raw = _read_member(zf, member, limit, path)
                    _check_parquet(raw, key, limit, path)
                    try:
                        tables[key] = pd.read_parquet(io.BytesIO(raw))
                    except Exception as err:  # pyarrow raises several types for a broken file
                        raise ModelFileError(f"{path}: table {key!r} is not valid Parquet ({err})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as err:
        # a flipped byte shows as a bad CRC (BadZipFile) or as broken deflate data (zlib.error)
        raise ModelFileError(f"{path}: not a discourse file, truncated or corrupted ({err})") from None
    except OSError as err:
        raise ModelFileError(f"{path}: cannot read ({err.strerror or err})") from None
    try:
        return klass._from_state(params=params, info=info, arrays=arrays, tables=tables)
    except ModelFileError:
        raise
    except (KeyError, ValueError, TypeError, IndexError) as err:
        raise ModelFileError(f"{path}: inconsistent {name} file ({type(err).__name__}: {err})") from None


def check_parquet_file(path: str | Path) -> None:
    """Refuse a Parquet file whose declared size once decoded exceeds the limit for its size (see :func:`load`)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as err:
        raise ModelFileError(f"{path}: cannot read ({err.strerror})") from None
    _check_parquet(path, "the file", MAX_EXPANSION * size + SIZE_ALLOWANCE, path)


def check_shape(name: str, array: np.ndarray, shape: tuple[int | None, ...]) -> np.ndarray:
    """``array`` if its shape matches ``shape`` (``None`` matches any size), else a ``ValueError``.

    Used by ``_from_state`` implementations to refuse arrays that do not fit together.
    """
    if array.ndim != len(shape) or any(s is not None and s != a for s, a in zip(shape, array.shape)):
        raise ValueError(f"array {name!r} has shape {array.shape}, expected {tuple('*' if s is None else s for s in shape)}")
    return array


def check_array(arrays: Mapping[str, np.ndarray], name: str, shape: tuple[int | None, ...], kinds: str = "f",
                *, optional: bool = False) -> np.ndarray | None:
    """The array ``name`` of a loaded file, checked for presence, dtype kind (``"f"``, ``"iu"``, ``"b"``…) and shape.

    Raises ``ValueError`` (turned into a :class:`ModelFileError` by :func:`load`); an absent
    ``optional`` array gives None.
    """
    if name not in arrays:
        if optional:
            return None
        raise ValueError(f"array {name!r} is missing")
    array = arrays[name]
    if array.dtype.kind not in kinds:
        raise ValueError(f"array {name!r} has dtype {array.dtype}, expected kind {kinds!r}")
    return check_shape(name, array, shape)


def check_strings(name: str, value: Any, length: int | None = None) -> list[str]:
    """``value`` if it is a list of strings (of ``length`` items when given), else a ``ValueError``."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{name!r} must be a list of strings")
    if length is not None and len(value) != length:
        raise ValueError(f"{name!r} has {len(value)} items, expected {length}")
    return value
