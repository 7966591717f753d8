"""Frame counts, keyness, specificities and KWIC over a sharded corpus, on any engine.

Each statistic is split in two halves. The *map* half runs once per shard, on whatever engine
is given (this process, or the workers of a Dask cluster): it reads the shard's tokens, counts
(integers only: hits per document and frame, occurrences per term and part, concordance
lines), writes the counts atomically to a file named by a key of its inputs and returns the
file's path. The *reduce* half, in the calling process, reads those files in shard order and
joins them exactly (integer sums, documents concatenated in order), then hands them to the
same table function the one-process statistic uses (:func:`discourse.frames.count.frames_table`,
:func:`discourse.lexicometry.keyness.keyness_table`,
:func:`discourse.lexicometry.keyness.specificities_table`). Same counts, same code: the tables
are byte-identical to those of :func:`discourse.frames.count_frames` and friends on the whole
corpus (``tests/test_engines_stats.py`` writes both and compares the bytes).

A retried task (a worker killed mid-shard) writes the same bytes under the same name, so a
shard is never lost nor counted twice; a rerun finds the finished files and reuses them
(``table.attrs["shards"]`` says how many).

``filter`` applies :meth:`Tokens.filter` to each shard before counting. Its corpus-wide
options (``min_count``, ``max_count``: frequencies over the whole corpus) would count per shard
and are refused.

Example
-------
>>> from discourse.engines.stats import count_frames
>>> table = count_frames(sharded_tokens, freq="M", engine="dask")            # doctest: +SKIP
>>> table.query("frame == 'state_of_emergency'")[["period", "count"]].head(2)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from discourse import storage
from discourse.engines import check_progress, engine_context
from discourse.engines._files import finished, save_checked, write_json_atomic
from discourse.engines.sharded import ShardedTokens, load_shard_tokens, merge_audits
from discourse.frames.count import FrameCounts, check_count_params, frame_counts as _frame_counts, frames_table
from discourse.patterns.dictionary import FrameDictionary
from discourse.lexicometry.context import kwic as _kwic, match_on_parameter
from discourse.lexicometry.keyness import check_keyness_params, keyness_table, specificities_table
from discourse.lexicometry.selection import document_mask
from discourse.tokens import Tokens

__all__ = ["frame_counts", "count_frames", "keyness", "specificities", "kwic", "filter_shards", "Equals", "COUNTS_FOLDER"]

# the counts of each shard go here, inside the folder of the sharded tokens (beside dtm/)
COUNTS_FOLDER = "counts"
# bumped when what a task writes changes: older files are then not reused
_TASK_VERSION = 1
_CORPUS_WIDE = ("min_count", "max_count")


# ---------------------------------------------------------------------------------------------
# what a task writes: one container for the counts of one shard
# ---------------------------------------------------------------------------------------------


@storage.register
class ShardCounts:
    """The counts of one shard for one statistic (``kind``): JSON info, integer arrays, tables."""

    _nonfinite_arrays = ("words",)  # NaN when the texts were not kept
    _ARRAYS = {"frames": ("counts", "excluded", "lengths", "words", "rule_uses"),
               "terms": ("count_target", "count_reference"), "parts": ("matrix",), "kwic": ()}

    def __init__(self, kind: str, info: dict[str, Any], arrays: dict[str, np.ndarray], tables: dict[str, pd.DataFrame]) -> None:
        self.kind, self.info, self.arrays, self.tables = kind, info, arrays, tables

    def _get_state(self) -> dict[str, Any]:
        return {"info": {"kind": self.kind, **self.info}, "arrays": self.arrays, "tables": self.tables}

    @classmethod
    def _from_state(cls, params: dict[str, Any], info: dict[str, Any], arrays: dict[str, np.ndarray],
                    tables: dict[str, pd.DataFrame]) -> ShardCounts:
        info = dict(info)
        kind = info.pop("kind")
        if kind not in cls._ARRAYS:
            raise ValueError(f"unknown kind of counts {kind!r}")
        for name in cls._ARRAYS[kind]:
            if name not in arrays:
                raise ValueError(f"array {name!r} missing")
        if kind == "frames":
            n, f = len(info["doc_ids"]), len(info["frames"])
            for name in ("counts", "excluded"):
                storage.check_shape(name, arrays[name], (n, f))
            for name in ("lengths", "words"):
                storage.check_shape(name, arrays[name], (n,))
        elif kind == "terms":
            for name in ("count_target", "count_reference"):
                storage.check_shape(name, arrays[name], (len(info["terms"]),))
        elif kind == "parts":
            storage.check_shape("matrix", arrays["matrix"], (len(tables["labels"]), len(info["terms"])))
        return cls(kind, info, arrays, tables)


# ---------------------------------------------------------------------------------------------
# the map halves: module-level, pure functions of (one shard's tokens, parameters)
# ---------------------------------------------------------------------------------------------


def _count_frames_shard(tokens: Tokens, dictionary: FrameDictionary) -> ShardCounts:
    fc = _frame_counts(tokens, dictionary)
    return ShardCounts("frames", {"doc_ids": fc.doc_ids, "frames": fc.frames, "rate_unit": fc.rate_unit},
                       {"counts": fc.counts, "excluded": fc.excluded, "lengths": fc.lengths, "words": fc.words,
                        "rule_uses": fc.rule_uses}, {"metadata": fc.metadata})


def _term_counts(tokens: Tokens, mask: np.ndarray, attribute: str) -> np.ndarray:
    token_mask = np.repeat(mask, tokens.lengths)
    return np.bincount(tokens.codes(attribute)[token_mask], minlength=len(tokens.vocab(attribute))).astype(np.int64)


def _keyness_shard(tokens: Tokens, target: Any, reference: Any, attribute: str) -> ShardCounts:
    t = document_mask(tokens, target, "target")
    r = ~t if reference is None else document_mask(tokens, reference, "reference")
    info = {"terms": list(tokens.vocab(attribute)), "n_target": int(t.sum()), "n_reference": int(r.sum()),
            "n_both": int((t & r).sum())}
    return ShardCounts("terms", info, {"count_target": _term_counts(tokens, t, attribute),
                                       "count_reference": _term_counts(tokens, r, attribute)}, {})


def _specificities_shard(tokens: Tokens, by: str, parts: list | None, attribute: str) -> ShardCounts:
    meta = tokens.metadata
    if by not in meta.columns:
        raise KeyError(f"no metadata column {by!r}; columns are {list(meta.columns)}")
    values = meta[by]
    present = values.notna().to_numpy()
    labels = list(parts) if parts is not None else values[present].unique().tolist()
    vocab = tokens.vocab(attribute)
    matrix = (np.stack([_term_counts(tokens, (values == p).fillna(False).to_numpy(dtype=bool), attribute) for p in labels])
              if labels else np.zeros((0, len(vocab)), np.int64))
    # the labels keep their type (a table column), so 2013 stays a number and "UMP" a string
    label_table = pd.DataFrame({"label": pd.Series(labels, dtype=values.dtype if parts is None else object)})
    info = {"terms": list(vocab), "skipped": [tokens.doc_ids[i] for i in np.flatnonzero(~present)]}
    return ShardCounts("parts", info, {"matrix": matrix}, {"labels": label_table})


def _kwic_shard(tokens: Tokens, max_rows: int | None = None, **params: Any) -> ShardCounts:
    table = _kwic(tokens, **params)
    info = {"excluded": int(table.attrs.get("excluded", 0)), "n_lines": len(table)}
    # the first max_rows lines of the corpus are among the first max_rows of each shard
    return ShardCounts("kwic", info, {}, {"lines": table.head(max_rows) if max_rows is not None else table})


_KINDS: dict[str, Callable[..., ShardCounts]] = {
    "frames": _count_frames_shard, "terms": _keyness_shard, "parts": _specificities_shard, "kwic": _kwic_shard}


def _run_task(task: Mapping[str, Any]) -> tuple[str, bool]:
    """One shard, one statistic: counts written to ``task["out"]`` (reused when already there).

    Returns the path and whether it was reused. The file is written atomically, so a worker
    killed while writing leaves nothing under the final name, and a retry writes the same bytes.
    """
    out = Path(task["out"])
    if out.is_file():
        return str(out), True
    tokens = load_shard_tokens(Path(task["tokens"]), task["sha256"])
    if task["filter"]:
        tokens = tokens.filter(**task["filter"])
    storage.save(_KINDS[task["kind"]](tokens, **task["params"]), out)
    return str(out), False


# ---------------------------------------------------------------------------------------------
# shards, keys and the engine
# ---------------------------------------------------------------------------------------------


def _key(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr).encode("utf-8")).hexdigest()


def _check_filter(filter: Mapping[str, Any] | None) -> dict[str, Any]:
    spec = dict(filter or {})
    wide = [k for k in _CORPUS_WIDE if spec.get(k) is not None]
    if wide:
        raise ValueError(f"filter: {', '.join(wide)} count over the whole corpus and cannot be applied shard by shard; "
                         "leave them out of the filter of a sharded run")
    return spec


def _map(sharded: ShardedTokens, kind: str, params: dict[str, Any], key_params: Any, filter: Mapping[str, Any] | None,
         engine: Any, desc: str, progress: bool) -> tuple[list[ShardCounts], dict[str, int]]:
    """Run one statistic's map half over every shard; the counts in shard order and how many were reused."""
    paths, reuse = _map_paths(sharded, kind, params, key_params, filter, engine, desc, progress)
    return [storage.load(path, expected=ShardCounts) for path in paths], reuse


def _map_paths(sharded: ShardedTokens, kind: str, params: dict[str, Any], key_params: Any, filter: Mapping[str, Any] | None,
               engine: Any, desc: str, progress: bool) -> tuple[list[str], dict[str, int]]:
    """:func:`_map`, leaving the counts on disk: their files in shard order (read them one at a time)."""
    from discourse import __version__

    if not isinstance(sharded, ShardedTokens):
        raise TypeError(f"expected ShardedTokens (discourse.engines.sharded.preprocess_shards), not {type(sharded).__name__}")
    spec = _check_filter(filter)
    if not len(sharded):
        raise ValueError("the sharded corpus has no shard")
    folder = Path(sharded.folder) / COUNTS_FOLDER
    common = _key([_TASK_VERSION, __version__, kind, key_params, spec])
    # a shard's tokens file is named by its SHA-256, the counts by it and by everything else
    tasks = [{"tokens": str(Path(sharded.folder) / f), "sha256": sha, "kind": kind, "params": params, "filter": spec,
              "out": str(folder / f"{kind}-{sha[:20]}-{common[:20]}.npz")} for f, sha in zip(sharded.files, sharded.sha256)]
    with engine_context(engine) as run:
        done = run.map(_run_task, tasks, desc=desc, progress=check_progress(progress))
    return [path for path, _ in done], {"shards": len(tasks), "reused": int(sum(bool(r) for _, r in done))}


def _filter_task(task: Mapping[str, Any]) -> dict[str, Any]:
    """One shard's tokens filtered and saved atomically under a key (reused when finished)."""
    out = Path(task["out"])
    done = finished(out)
    if done is not None:
        return {**done, "reused": True}
    source = load_shard_tokens(Path(task["tokens"]), task["sha256"])
    tokens = source.filter(**task["filter"])
    sha = save_checked(tokens, out)
    summary = {"file": out.name, "sha256": sha, "n_documents": len(tokens), "n_tokens": tokens.n_tokens,
               "audit": tokens.audit.iloc[len(source.audit):].to_dict("records")}  # the filter's rows
    write_json_atomic(out.with_suffix(".json"), summary)
    return {**summary, "reused": False}


def filter_shards(sharded: ShardedTokens, *, engine: Any = None, progress: bool = True, **filter: Any) -> ShardedTokens:
    """:meth:`Tokens.filter` on every shard, saved beside the shards: sharded tokens equal to
    ``sharded.to_tokens().filter(**filter)`` (audit counts summed; ``min_count``/``max_count``,
    frequencies over the whole corpus, are refused). A rerun reuses the filtered shards.

    >>> contenu = filter_shards(sharded_tokens, stop_words=True, punctuation=True, min_length=2)  # doctest: +SKIP
    >>> document_term_matrix(contenu, min_df=3, engine="dask")                                  # doctest: +SKIP
    """
    if not isinstance(sharded, ShardedTokens):
        raise TypeError(f"expected ShardedTokens (discourse.engines.sharded.preprocess_shards), not {type(sharded).__name__}")
    spec = _check_filter(filter)
    Tokens.from_lists([]).filter(**spec)  # the filter's own checks, before any work
    from discourse import __version__

    key = _key([_TASK_VERSION, __version__, "filter", spec])
    folder = Path(sharded.folder) / f"filtered-{key[:20]}"
    folder.mkdir(parents=True, exist_ok=True)
    tasks = [{"tokens": str(Path(sharded.folder) / f), "sha256": sha, "filter": spec,
              "out": str(folder / f"tokens-{i:05d}-{sha[:24]}.npz")} for i, (f, sha) in enumerate(zip(sharded.files, sharded.sha256))]
    with engine_context(engine) as run:
        done = run.map(_filter_task, tasks, desc="filter tokens", progress=check_progress(progress))
    audit = tuple(sharded.audit_rows) + tuple(merge_audits([d["audit"] for d in done]))
    return ShardedTokens(folder, tuple(d["file"] for d in done), tuple(d["sha256"] for d in done),
                         tuple(d["n_documents"] for d in done), tuple(d["n_tokens"] for d in done), sharded.provenance,
                         audit, dict(sharded.config), tuple(i for i, d in enumerate(done) if d["reused"]))


# ---------------------------------------------------------------------------------------------
# the statistics
# ---------------------------------------------------------------------------------------------


def _dictionary_key(dictionary: FrameDictionary) -> Any:
    return dictionary.to_dict()


def frame_counts(sharded: ShardedTokens, dictionary: FrameDictionary | str | None = None, *,
                 filter: Mapping[str, Any] | None = None, columns: Sequence[str] | None = None, engine: Any = None,
                 progress: bool = True) -> FrameCounts:
    """Hits per document and frame of every shard, joined in shard order (the counting half of :func:`count_frames`).

    Count once, then make several tables (by group, by month…) with
    :func:`discourse.frames.count.frames_table`. The per-document counts are what this process
    holds (the bootstrap resamples documents): ``columns`` keeps only those metadata columns
    (``doc_id`` always), e.g. the ``by`` columns and the date of the tables to come, so that a
    large corpus's other metadata (titles, paths…) never reaches this process whole. The
    shards' counts are read one at a time.

    >>> from discourse.frames.count import frames_table
    >>> fc = frame_counts(sharded_tokens, "default", filter={"punctuation": True})  # doctest: +SKIP
    >>> frames_table(fc, "default", by="groupe")                                    # doctest: +SKIP
    """
    return _frame_counts_reused(sharded, dictionary, filter, engine, progress, columns)[0]


def table_columns(by: str | Sequence[str] | None, freq: str | None, date_column: str = "date") -> list[str]:
    """The metadata columns a count table reads: its ``by`` columns, and ``date_column`` with ``freq``.

    >>> table_columns(["groupe", "sexe"], "M")
    ['groupe', 'sexe', 'date']
    """
    return ([by] if isinstance(by, str) else list(by or ())) + ([date_column] if freq else [])


def _kept_columns(metadata: pd.DataFrame, columns: Sequence[str] | None, path: str) -> pd.DataFrame:
    if columns is None:
        return metadata
    missing = [c for c in columns if c not in metadata.columns]
    if missing:
        raise KeyError(f"no metadata column(s) {missing} in the shard counted in {path}; columns are {list(metadata.columns)}")
    keep = ["doc_id"] + [c for c in dict.fromkeys(columns) if c != "doc_id"]
    return metadata[keep]


def _frame_counts_reused(sharded: ShardedTokens, dictionary: Any, filter: Mapping[str, Any] | None, engine: Any,
                         progress: bool, columns: Sequence[str] | None = None) -> tuple[FrameCounts, dict[str, int]]:
    dictionary = FrameDictionary.coerce(dictionary)
    if columns is not None and (isinstance(columns, str) or not all(isinstance(c, str) for c in columns)):
        raise ValueError(f"columns must be a list of metadata column names or None, not {columns!r}")
    paths, reuse = _map_paths(sharded, "frames", {"dictionary": dictionary}, _dictionary_key(dictionary), filter, engine,
                              "frame counts", progress)

    def parts() -> Iterator[FrameCounts]:
        for path in paths:  # one shard's counts in memory at a time, trimmed, copied, then freed
            p = storage.load(path, expected=ShardCounts)
            yield FrameCounts(
                doc_ids=list(p.info["doc_ids"]), metadata=_kept_columns(p.tables["metadata"], columns, path),
                frames=list(p.info["frames"]), counts=p.arrays["counts"], excluded=p.arrays["excluded"],
                lengths=p.arrays["lengths"], words=p.arrays["words"], rule_uses=p.arrays["rule_uses"],
                rate_unit=p.info["rate_unit"])

    # filters drop tokens, never documents: each shard's counts have its documents' rows
    fc = FrameCounts.join(parts(), sharded.n_documents)
    if not len(fc.doc_ids):
        raise ValueError("the sharded corpus holds no documents")
    return fc, reuse


def count_frames(
    sharded: ShardedTokens,
    dictionary: FrameDictionary | str | None = None,
    by: str | Sequence[str] | None = None,
    freq: str | None = None,
    *,
    date_column: str = "date",
    ci: str | None = "bootstrap",
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int = 0,
    filter: Mapping[str, Any] | None = None,
    engine: Any = None,
    progress: bool = True,
) -> pd.DataFrame:
    """:func:`discourse.frames.count_frames` over shards: the same parameters and the same table, byte for byte.

    The bootstrap resamples documents, so the map half keeps the counts of each document (a few
    integers per document and frame); the interval is then drawn in this process exactly as
    on the whole corpus.

    >>> t = count_frames(sharded_tokens, by="groupe", ci="poisson", engine="dask")  # doctest: +SKIP
    >>> t.attrs["shards"]                                                          # doctest: +SKIP
    {'shards': 12, 'reused': 0}
    """
    check_count_params(freq=freq, date_column=date_column, ci=ci, n_boot=n_boot, level=level, random_state=random_state)
    dictionary = FrameDictionary.coerce(dictionary)
    # only the metadata the table reads travels to this process
    fc, reuse = _frame_counts_reused(sharded, dictionary, filter, engine, progress, table_columns(by, freq, date_column))
    table = frames_table(fc, dictionary, by, freq, date_column=date_column, ci=ci, n_boot=n_boot, level=level,
                         random_state=random_state)
    table.attrs["shards"] = reuse
    return table


@dataclass(frozen=True)
class Equals:
    """Select the documents whose metadata ``column`` reads ``value`` (compared as text).

    A selector that travels to the workers (a plain, picklable object).

    >>> meta = pd.DataFrame({"groupe": ["UMP", "SRC", None]})
    >>> Equals("groupe", "UMP")(meta).tolist()
    [True, False, False]
    """

    column: str
    value: Any

    def __call__(self, metadata: pd.DataFrame) -> np.ndarray:
        if self.column not in metadata.columns:
            raise KeyError(f"no metadata column {self.column!r}; columns are {list(metadata.columns)}")
        return (metadata[self.column].astype("string") == str(self.value)).fillna(False).to_numpy(dtype=bool)


def _merge_terms(parts: Sequence[ShardCounts], names: Sequence[str]) -> tuple[list[str], list[np.ndarray]]:
    """Per-term counts of every shard (last axis: the shard's terms) summed by term, terms in order of first appearance."""
    index: dict[str, int] = {}
    columns = [np.fromiter((index.setdefault(t, len(index)) for t in p.info["terms"]), dtype=np.int64, count=len(p.info["terms"]))
               for p in parts]
    sums = []
    for name in names:
        total = np.zeros((*parts[0].arrays[name].shape[:-1], len(index)), dtype=np.int64)
        for p, cols in zip(parts, columns):
            total[..., cols] += p.arrays[name]  # a shard's terms are distinct: no index repeats
        sums.append(total)
    return list(index), sums


def keyness(
    sharded: ShardedTokens,
    target: Any,
    measure: str = "g2",
    *,
    reference: Any = None,
    attribute: str = "lemma",
    min_count: int = 5,
    level: float = 0.95,
    filter: Mapping[str, Any] | None = None,
    engine: Any = None,
    progress: bool = True,
) -> pd.DataFrame:
    """:func:`discourse.lexicometry.keyness` over shards: the same table, byte for byte.

    ``target`` / ``reference`` select documents of each shard: ``{column: value}``, a picklable
    function of the metadata such as :class:`Equals` (a boolean mask over the whole corpus
    has no meaning per shard). The reference defaults to every other document.

    >>> keyness(sharded_tokens, Equals("groupe", "UMP"), reference=Equals("groupe", "SRC"))  # doctest: +SKIP
    """
    check_keyness_params(measure=measure, attribute=attribute, min_count=min_count, level=level)
    for name, selector in (("target", target), ("reference", reference)):
        if selector is not None and not (callable(selector) or isinstance(selector, Mapping)):
            raise ValueError(f"{name}: give {{column: value}} or a function of the metadata (e.g. Equals('groupe', 'UMP')); "
                             "a mask over the whole corpus cannot be split among shards")
    parts, reuse = _map(sharded, "terms", {"target": target, "reference": reference, "attribute": attribute},
                        [repr(target), repr(reference), attribute], filter, engine, "keyness", progress)
    both = sum(p.info["n_both"] for p in parts)
    if both:
        raise ValueError(f"target and reference share {both} documents")
    terms, (a, b) = _merge_terms(parts, ["count_target", "count_reference"])
    for name, n_docs, c in (("target", sum(p.info["n_target"] for p in parts), a),
                            ("reference", sum(p.info["n_reference"] for p in parts), b)):
        if not n_docs:
            raise ValueError(f"the {name} selects no documents")
        if c.sum() == 0:
            raise ValueError(f"the {name} selects {n_docs} documents but they hold no tokens")
    table = keyness_table(terms, a, b, measure, min_count=min_count, level=level)
    table.attrs["shards"] = reuse
    return table


def specificities(
    sharded: ShardedTokens,
    by: str,
    *,
    attribute: str = "lemma",
    min_count: int = 5,
    parts: list | None = None,
    filter: Mapping[str, Any] | None = None,
    engine: Any = None,
    progress: bool = True,
) -> pd.DataFrame:
    """:func:`discourse.lexicometry.specificities` over shards: the same table, byte for byte.

    >>> specificities(sharded_tokens, "groupe", parts=["UMP", "SRC"])  # doctest: +SKIP
    """
    check_keyness_params(attribute=attribute, min_count=min_count)
    shards, reuse = _map(sharded, "parts", {"by": by, "parts": parts, "attribute": attribute}, [by, parts, attribute],
                         filter, engine, "specificities", progress)
    if parts is not None:
        labels = list(parts)
    else:
        seen: dict[Any, None] = {}
        for p in shards:
            seen.update(dict.fromkeys(p.tables["labels"]["label"].tolist()))
        labels = sorted(seen, key=str)
    # each shard's rows re-indexed to the labels of the whole corpus, then summed by term
    aligned = []
    for p in shards:
        own = p.tables["labels"]["label"].tolist()
        rows = np.zeros((len(labels), len(p.info["terms"])), dtype=np.int64)
        position = {label: i for i, label in enumerate(labels)}
        for j, label in enumerate(own):
            rows[position[label]] += p.arrays["matrix"][j]
        aligned.append(ShardCounts("parts", p.info, {"matrix": rows}, {}))
    terms, (matrix,) = _merge_terms(aligned, ["matrix"])
    skipped = [d for p in shards for d in p.info["skipped"]]
    table = specificities_table(labels, terms, matrix, min_count=min_count, by=by, skipped_documents=skipped)
    table.attrs["shards"] = reuse
    return table


def kwic(
    sharded: ShardedTokens,
    query: str | Sequence[str],
    window: int = 10,
    by: str | None = None,
    *,
    match_on: str = "any",
    dictionary: FrameDictionary | str | None = None,
    case_sensitive: bool = False,
    include_excluded: bool = True,
    max_rows: int | None = None,
    filter: Mapping[str, Any] | None = None,
    engine: Any = None,
    progress: bool = True,
) -> pd.DataFrame:
    """:func:`discourse.lexicometry.kwic` over shards: the lines of each shard joined in shard order.

    Lines come in corpus order (document, then position, then frame) on one shard as on the
    whole corpus, so the joined table is the whole corpus's, byte for byte. ``max_rows`` keeps
    the first lines only (``kwic(...).head(max_rows)``): each shard then sends at most that many.
    ``attrs["n_lines"]`` is the number of lines before that cut.

    >>> kwic(sharded_tokens, "état de droit", window=8, engine="dask").head()  # doctest: +SKIP
    """
    match_on = match_on_parameter("kwic", match_on, by)  # by= is its deprecated former name
    if window < 0:
        raise ValueError("window must be >= 0")
    if match_on == "frame" or dictionary is not None:
        dictionary = FrameDictionary.coerce(dictionary)
    if max_rows is not None and (isinstance(max_rows, bool) or not isinstance(max_rows, int) or max_rows < 0):
        raise ValueError(f"max_rows must be None or an integer >= 0, not {max_rows!r}")
    params = {"query": query, "window": window, "match_on": match_on, "dictionary": dictionary, "case_sensitive": case_sensitive,
              "include_excluded": include_excluded, "max_rows": max_rows}
    key = {**params, "dictionary": _dictionary_key(dictionary) if dictionary is not None else None}
    parts, reuse = _map(sharded, "kwic", params, key, filter, engine, "kwic", progress)
    tables = [p.tables["lines"] for p in parts]
    nonempty = [t for t in tables if len(t)] or tables[:1]
    table = pd.concat(nonempty, ignore_index=True) if len(nonempty) > 1 else nonempty[0].reset_index(drop=True)
    if max_rows is not None:
        table = table.head(max_rows)
    table.attrs["query"] = query
    table.attrs["n_lines"] = int(sum(p.info["n_lines"] for p in parts))
    table.attrs["excluded"] = int(sum(p.info["excluded"] for p in parts))
    table.attrs["shards"] = reuse
    return table
