"""Writing a run's outputs: deterministic tables, figures, the manifest, and publishing the folder.

A run writes into a fresh temporary folder beside ``--out`` and renames it into place at the
end, so ``--out`` always holds one complete run whose ``manifest.json`` lists exactly its files
and their SHA-256 (``discourse verify OUT`` checks them). A run killed midway leaves the
previous folder untouched; of two concurrent runs, the last to finish is the one published,
whole. The files of the run replaced are listed in the new manifest (``replaced``) and removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import unicodedata
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from discourse.corpora import sha256_file

__all__ = ["MANIFEST_NAME", "OutputError", "Outputs", "write_table", "corpus_sha256", "slug", "verify"]

MANIFEST_NAME = "manifest.json"
TABLE_FORMATS = ["csv", "parquet"]
FIGURE_FORMATS = ["pdf", "png", "svg"]


class OutputError(OSError):
    """The output folder cannot be used (a file, under a file, not writable, not a run's folder)."""


# ---------------------------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------------------------


def _round_significant(values: np.ndarray, digits: int) -> np.ndarray:
    """Round to ``digits`` significant digits, so that last-bit noise never reaches a file."""
    out = np.array(values, dtype=float, copy=True)
    ok = np.isfinite(out) & (out != 0)
    if ok.any():
        magnitude = np.floor(np.log10(np.abs(out[ok])))
        factor = 10.0 ** (digits - 1 - magnitude)
        out[ok] = np.round(out[ok] * factor) / factor
    return out


def _tidy_for_output(table: pd.DataFrame, digits: int) -> pd.DataFrame:
    """A copy with plain column types: periods as text, floats rounded, no attrs."""
    frame = table.copy()
    frame.attrs = {}
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
    frame.columns = [str(c) for c in frame.columns]
    for col in frame.columns:
        s = frame[col]
        if isinstance(s.dtype, pd.PeriodDtype):
            frame[col] = s.astype(str)
        elif pd.api.types.is_float_dtype(s):
            frame[col] = _round_significant(s.to_numpy(dtype=float), digits)
        elif pd.api.types.is_bool_dtype(s) or pd.api.types.is_integer_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue
        elif s.dtype == object or isinstance(s.dtype, pd.StringDtype) or isinstance(s.dtype, pd.CategoricalDtype):
            frame[col] = s.map(lambda v: v if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)).astype("string")
    return frame


def write_table(table: pd.DataFrame, stem: Path, formats: Iterable[str] = ("csv", "parquet"), float_digits: int = 12) -> list[Path]:
    """Write one table as CSV (UTF-8, ``\\n``) and/or Parquet with the same bytes on every run.

    Floats are rounded to ``float_digits`` significant digits; Parquet files carry no
    timestamp and a fixed writer configuration.

    >>> import tempfile, pathlib
    >>> table = pd.DataFrame({"terme": ["état de droit"], "taux": [1 / 3]})
    >>> [p.suffix for p in write_table(table, pathlib.Path(tempfile.mkdtemp()) / "taux")]
    ['.csv', '.parquet']
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = _tidy_for_output(table, float_digits)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = stem.with_name(stem.name + "." + fmt)
        if fmt == "csv":
            frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8", float_format=None, date_format="%Y-%m-%d")
        elif fmt == "parquet":
            arrow = pa.Table.from_pandas(frame, preserve_index=False)
            pq.write_table(arrow, path, compression="zstd", compression_level=3, use_dictionary=True, write_statistics=True,
                           version="2.6", data_page_version="1.0")
        else:
            raise ValueError(f"table format must be one of {TABLE_FORMATS}, not {fmt!r}")
        paths.append(path)
    return paths


def corpus_sha256(ids: Iterable[str], texts: Iterable[str]) -> str:
    """SHA-256 of the documents (id and text, in order): identifies exactly what was analysed.

    >>> len(corpus_sha256(["d1"], ["L’état de droit."]))
    64
    """
    h = hashlib.sha256()
    for doc_id, text in zip(ids, texts):
        h.update(doc_id.encode("utf-8"))
        h.update(b"\x00")
        h.update(text.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def slug(value: Any) -> str:
    """An ASCII file-name part: accents dropped, anything else than letters and digits → '-'.

    >>> slug("État de droit"), slug("..")
    ('etat-de-droit', 'x')
    """
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-.").lower()
    text = re.sub(r"\.{2,}", ".", text)
    return text[:60] or "x"


# ---------------------------------------------------------------------------------------------
# the output folder
# ---------------------------------------------------------------------------------------------


def _check_out_dir(final: Path) -> None:
    """One clear sentence when ``--out`` cannot hold a run."""
    if final.exists() and not final.is_dir():
        raise OutputError(f"--out {final} is a file, not a folder: choose a folder")
    parent = final.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"--out {final} is under {parent}, which is a file, not a folder")
    if final.is_dir() and any(final.iterdir()) and not (final / MANIFEST_NAME).is_file():
        raise OutputError(f"--out {final} already holds files that are not the output of a discourse run "
                          f"(no {MANIFEST_NAME}): choose an empty or new folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"--out {final}: the folder {parent} is not writable")


_OWNER = ".owner"


def _owned_folder(parent: Path, prefix: str) -> Path:
    """A fresh folder with the id of the process that owns it (so a later run can tell it is stale)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    (folder / _OWNER).write_text(str(os.getpid()), encoding="ascii")
    return folder


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _sweep(final: Path) -> list[Path]:
    """Remove the folders that killed runs left beside ``final`` (their owner process is gone)."""
    removed = []
    for folder in sorted(final.parent.glob(f".{final.name}.partial-*")) + sorted(final.parent.glob(f".{final.name}.replaced-*")):
        try:
            pid = int((folder / _OWNER).read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue  # being created, or not ours: left alone
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink())


class Outputs:
    """The files of one run, written into a temporary folder and published with :meth:`publish`."""

    def __init__(self, final: str | Path, tables: dict[str, Any], figures: dict[str, Any]) -> None:
        self.final = Path(final).absolute()
        _check_out_dir(self.final)
        try:
            self.final.parent.mkdir(parents=True, exist_ok=True)
            _sweep(self.final)
            self.root = _owned_folder(self.final.parent, f".{self.final.name}.partial-")
        except OSError as err:
            raise OutputError(f"--out {self.final}: cannot create a folder there ({err.strerror or err})") from None
        self.tables_cfg = tables
        self.figures_cfg = figures
        self.records: list[dict[str, Any]] = []
        self._claimed: dict[str, str] = {}

    # ------------------------------------------------------------------ names
    def claim(self, folder: str, analysis: str, name: str, suffixes: Iterable[str]) -> Path:
        """The stem ``folder/analysis/name`` inside the run folder; refuses a name used twice or leaving the folder."""
        stem = (self.root / folder / analysis / name)
        base = (self.root / folder).resolve()
        if base not in stem.resolve().parents:
            raise ValueError(f"output name {name!r} would leave the {folder}/ folder")
        for suffix in suffixes:
            key = f"{folder}/{analysis}/{name}{suffix}".casefold()
            if key in self._claimed:
                # names are made unique when the file is checked: reaching this is a bug, never an overwrite
                raise RuntimeError(f"two outputs named {folder}/{analysis}/{name}{suffix}")
            self._claimed[key] = name
        return stem

    def _record(self, path: Path, kind: str, **extra: Any) -> None:
        self.records.append({"path": path.relative_to(self.root).as_posix(), "kind": kind, **extra,
                             "sha256": sha256_file(path), "bytes": path.stat().st_size})

    # ------------------------------------------------------------------ writers
    def table(self, analysis: str, name: str, table: pd.DataFrame) -> None:
        """Write a table in every configured format and record it."""
        formats = self.tables_cfg["formats"]
        stem = self.claim("tables", analysis, name, [f".{f}" for f in formats])
        for path in write_table(table, stem, formats, self.tables_cfg["float_digits"]):
            self._record(path, "table", rows=int(len(table)))

    def figure(self, analysis: str, name: str, draw: Callable[[], Any], locale: str) -> bool:
        """Draw and save a figure in every configured format; False when figures are off."""
        cfg = self.figures_cfg
        if not cfg["enabled"]:
            return False
        import warnings

        import matplotlib.pyplot as plt

        from discourse import plot

        stem = self.claim("figures", analysis, name, [f".{f}" for f in cfg["formats"]])
        with plot.style(cfg["style"], locale=locale):
            try:
                result = draw()
            except BaseException:
                plt.close("all")
                raise
            fig = result.figure  # a plot function returns its Figure or its Axes: both know the figure
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                paths = plot.savefig(fig, stem, formats=cfg["formats"], dpi=cfg["dpi"])
            plt.close(fig)
        for path in paths:
            self._record(path, "figure")
        return True

    def file(self, analysis: str, name: str, write: Callable[[Path], Any], kind: str = "html") -> None:
        """A file written by a stage (e.g. an LDAvis page): it and what it writes beside it are recorded."""
        stem = self.claim("figures", analysis, name, [""])
        stem.parent.mkdir(parents=True, exist_ok=True)
        before = set(_files(self.root))
        write(stem)
        for rel in sorted(set(_files(self.root)) - before):
            self._record(self.root / rel, kind if rel == stem.relative_to(self.root).as_posix() else f"{kind} asset")

    # ------------------------------------------------------------------ publish
    def publish(self, manifest: dict[str, Any]) -> dict[str, Any]:
        """Write the manifest and put the run folder in place of ``--out`` (atomic rename).

        The files of an earlier run in ``--out`` are listed in ``manifest["replaced"]`` and removed.
        """
        _check_out_dir(self.final)
        (self.root / _OWNER).unlink()
        previous = _files(self.final) if self.final.is_dir() else []
        new = set(_files(self.root)) | {MANIFEST_NAME}
        manifest["replaced"] = {"files": len(previous), "not_in_this_run": [p for p in previous if p not in new]}
        manifest["outputs"] = sorted(self.records, key=lambda o: o["path"])
        text = json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n"
        (self.root / MANIFEST_NAME).write_text(text, encoding="utf-8")
        os.chmod(self.root, 0o755)  # mkdtemp makes it private; the published folder is an ordinary one
        aside: list[Path] = []
        for _ in range(100):
            try:
                os.rename(self.root, self.final)
                break
            except OSError:
                if not self.final.exists():
                    raise
                # an earlier (or concurrent) run's folder: moved aside whole, then removed
                old = _owned_folder(self.final.parent, f".{self.final.name}.replaced-")
                try:
                    os.rename(self.final, old / "run")
                except FileNotFoundError:  # another run moved it first
                    pass
                aside.append(old)
        else:  # pragma: no cover - a hundred runs publishing at the same instant
            raise OutputError(f"--out {self.final}: could not publish the run (the folder keeps changing)")
        for old in aside:
            shutil.rmtree(old, ignore_errors=True)
        return manifest

    def discard(self) -> None:
        """Remove the temporary folder of a run that failed (``--out`` is left as it was)."""
        shutil.rmtree(self.root, ignore_errors=True)


def verify(out_dir: str | Path) -> list[str]:
    """Check every file listed in ``OUT/manifest.json`` (size and SHA-256) and list the problems.

    An empty list means every file is there, unchanged, and no file is there that the
    manifest does not list.

    >>> verify("sorties/absentes")
    ['no manifest: sorties/absentes/manifest.json not found']
    """
    out = Path(out_dir)
    path = out / MANIFEST_NAME
    if not path.is_file():
        return [f"no manifest: {path.as_posix()} not found"]
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        outputs = list(manifest["outputs"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as err:
        return [f"{path}: not a manifest of a discourse run ({type(err).__name__})"]
    problems = []
    listed = set()
    for o in outputs:
        rel = str(o.get("path", ""))
        listed.add(rel)
        target = out / rel
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            problems.append(f"{rel}: a path outside the folder")
        elif not target.is_file():
            problems.append(f"{rel}: missing")
        elif target.stat().st_size != o.get("bytes") or sha256_file(target) != o.get("sha256"):
            problems.append(f"{rel}: changed since the run (SHA-256 differs from the manifest)")
    for rel in _files(out):
        if rel not in listed and rel != MANIFEST_NAME:
            problems.append(f"{rel}: not listed in the manifest")
    return problems
