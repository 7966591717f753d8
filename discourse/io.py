"""Reading real files into a Corpus: encodings, line endings, HTML, duplicates.

:func:`read_folder`, :func:`read_csv`, :func:`read_jsonl` and :func:`read_parquet` are the
readers of :class:`~discourse.Corpus` (``Corpus.read_folder`` … are the same functions):
each reads the parts of a corpus with :mod:`discourse.files` (encodings detected per file,
line endings normalised, HTML stripped if asked) and lists every file or row it leaves out
in ``corpus.skipped`` with the reason, by one missing-text policy
(:func:`discourse.files.leave_out_missing_texts`). The file-level functions
(:func:`read_text_file`, :func:`decode_bytes`, :func:`strip_html`, :func:`iter_jsonl`…) live
in :mod:`discourse.files` and are importable from here as before.

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

import hashlib
import unicodedata
import zlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from discourse.corpus import Corpus
from discourse.files import (  # noqa: F401  (the file-level names keep importing from discourse.io)
    DEFAULT_ENCODINGS,
    ID_COLUMN,
    DecodeError,
    FileReport,
    _skipped_frame,
    decode_bytes,
    iter_jsonl,
    load_jsonl_records,
    normalize_newlines,
    read_text_file,
    strip_html,
)
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
    "read_parquet",
    "iter_jsonl",
    "load_jsonl_records",
    "find_duplicates",
    "drop_duplicates",
]


# ---------------------------------------------------------------------- corpora from files
def read_folder(path: str | Path, pattern: str = "*.txt", *, strip_html: bool = False, recursive: bool = True,
                encoding: str | None = None, encodings: Sequence[str] = DEFAULT_ENCODINGS,
                progress: bool = False, name: str | None = None) -> Corpus:
    """Read every file matching ``pattern`` under a folder, one document a file (:meth:`Corpus.read_folder`).

    Ids are the paths relative to the folder (``/``-separated, sorted). Metadata columns:
    ``path`` (the relative path), ``encoding`` (the codec used) and ``line_endings``.
    Empty files (nothing but white space) and undecodable files are left out and listed
    in ``corpus.skipped`` ("empty file", "undecodable: …").

    >>> corpus = read_folder("archives/depeches", pattern="*.txt")   # doctest: +SKIP
    >>> corpus.skipped                                                # doctest: +SKIP
    """
    return Corpus.read_folder(path, pattern, strip_html=strip_html, recursive=recursive, encoding=encoding,
                              encodings=encodings, progress=progress, name=name)


def read_csv(path: str | Path, text_column: str = "text", id_column: str | None = ID_COLUMN, *,
             encoding: str | None = None, name: str | None = None, **kwargs: Any) -> Corpus:
    """Read a CSV file, one document a row (other columns become metadata; :meth:`Corpus.read_csv`).

    The encoding is detected as for text files; ``kwargs`` go to :func:`pandas.read_csv`
    (e.g. ``sep=";"``). Rows with a missing or blank text are left out and reported.

    >>> corpus = read_csv("communiques.csv", text_column="texte", id_column="id")  # doctest: +SKIP
    """
    return Corpus.read_csv(path, text_column, id_column, encoding=encoding, name=name, **kwargs)


def read_jsonl(path: str | Path, text_column: str = "text", id_column: str | None = ID_COLUMN, *,
               limit: int | None = None, name: str | None = None) -> Corpus:
    """Read JSON lines (``.jsonl`` or gzip-compressed), one document an object (:meth:`Corpus.read_jsonl`).

    ``limit`` keeps the first objects only (for quick looks at a large file). Objects with
    a missing or blank text are left out and reported.

    >>> corpus = read_jsonl("depeches.jsonl.gz", text_column="texte")  # doctest: +SKIP
    """
    return Corpus.read_jsonl(path, text_column, id_column, limit=limit, name=name)


def read_parquet(path: str | Path, text_column: str = "text", id_column: str | None = ID_COLUMN, *,
                 name: str | None = None, **kwargs: Any) -> Corpus:
    """Read a Parquet table, one document a row (:meth:`Corpus.read_parquet`).

    Rows with a missing or blank text are left out and reported, as by every reader.

    >>> corpus = read_parquet("discours.parquet", text_column="texte")  # doctest: +SKIP
    """
    return Corpus.read_parquet(path, text_column, id_column, name=name, **kwargs)


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
