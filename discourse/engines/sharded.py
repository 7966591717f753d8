"""Preprocessing and the document-term matrix over a sharded corpus, on any engine.

:func:`preprocess_shards` runs ``Preprocessor.transform`` on each shard (one task a shard) and
saves each shard's :class:`~discourse.tokens.Tokens` atomically under a key of everything the
result depends on (the shard's SHA-256, every setting of the preprocessor, the library's code
and the versions of its language resources, as :mod:`discourse.cache` keys a corpus). A task
retried after its worker died rewrites the same file with the same bytes; a rerun finds the
finished shards and reuses them (``ShardedTokens.reused`` says which).

The preprocessing has no step learnt over the whole corpus: normalisation, boilerplate spans,
tokenisation, lemmas (in the context of their sentence), expressions, person names (found
again *within the same document* only), stop words and filters are all decided document by
document, so the shards' tokens put end to end are the tokens of the whole corpus.
:meth:`ShardedTokens.to_tokens` does that, re-coding the vocabularies in order of first
appearance: the result equals ``Preprocessor.transform`` on the whole corpus, codes included
(tested). Only the audit's example strings differ: its counts are summed over shards.

:func:`document_term_matrix` makes the :class:`~discourse.dtm.DocumentTermMatrix` in two passes:
(1) each shard's term and document frequencies, summed exactly (integers), from which the
*same* function as the local matrix chooses the vocabulary; (2) each shard's counts over that
vocabulary, stacked in shard order. The result equals ``DocumentTermMatrix.from_tokens`` on the
whole tokens: vocabulary order, counts, ``excluded``, provenance and the saved file's bytes.

Example
-------
>>> from discourse import Preprocessor, corpora
>>> from discourse.shards import write_shards
>>> from discourse.engines.sharded import preprocess_shards, document_term_matrix
>>> sharded = write_shards(corpora.load("sample"), "sample-shards", documents_per_shard=50)  # doctest: +SKIP
>>> tokens = preprocess_shards(sharded, Preprocessor(), folder="sample-tokens")            # doctest: +SKIP
>>> dtm = document_term_matrix(tokens, min_df=2)                                            # doctest: +SKIP
>>> dtm.vocabulary[:3]                                                                      # doctest: +SKIP
['abandon', 'abandonner', 'abord']
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from discourse import storage
from discourse.base import check_stop_words
from discourse.cache import canonical_json, code_fingerprint, resource_versions
from discourse.corpus import Corpus
from discourse.dtm import DocumentTermMatrix, check_dtm_params, select_vocabulary
from discourse.engines import check_progress, engine_context
from discourse.provenance import Provenance
from discourse.shards import ShardedCorpus, ShardError, ShardInfo, concat_frames, frame_from_bytes, read_checked
from discourse.tokens import ATTRIBUTES, Tokens

__all__ = ["ShardedTokens", "preprocess_shards", "read_sharded_tokens", "document_term_matrix", "concat_tokens"]

TOKENS_MANIFEST = "tokens.json"
_KIND = "discourse sharded tokens"
_FORMAT_VERSION = 1
_SUFFIX = ".discourse"
_NUMBERS = ("tokens_before", "tokens_after", "removed", "merged", "changed")


# ------------------------------------------------------------------------------ keys and atomic files
def shard_key(shard_sha256: str, settings: Any, spacy_model: str | None = None, *, purpose: str) -> str:
    """The key of one shard's output: its content's SHA-256, the settings (canonical JSON), the
    library's code fingerprint and the language resources' versions.

    >>> len(shard_key("0" * 64, {"backend": "fast"}, purpose="preprocess"))
    64
    """
    h = hashlib.sha256()
    h.update(f"discourse sharded {purpose} v{_FORMAT_VERSION}\x00".encode())
    h.update(canonical_json(settings).encode("utf-8", "surrogatepass"))
    h.update(canonical_json(resource_versions(spacy_model)).encode())
    h.update(code_fingerprint().encode())
    h.update(shard_sha256.encode())
    return h.hexdigest()


def _write_json_atomic(path: Path, data: Any) -> None:
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _save_checked(obj: Any, path: Path) -> str:
    """Save atomically (:func:`storage.save`); returns the SHA-256 of the bytes written."""
    storage.save(obj, path)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _finished(path: Path) -> dict[str, Any] | None:
    """The summary beside a finished output, if both exist and the output matches its SHA-256."""
    side = path.with_suffix(".json")
    try:
        summary = json.loads(side.read_text(encoding="utf-8"))
        data = path.read_bytes()
    except (OSError, ValueError):
        return None
    if not isinstance(summary, dict) or hashlib.sha256(data).hexdigest() != summary.get("sha256"):
        return None
    return summary


# ------------------------------------------------------------------------------ ShardedTokens
@dataclass(frozen=True)
class ShardedTokens:
    """The tokens of a sharded corpus: one :class:`~discourse.tokens.Tokens` file a shard in ``folder``.

    Iterating yields one ``Tokens`` a shard (each file's SHA-256 checked); :meth:`to_tokens`
    puts them end to end. ``provenance`` is the source corpus's record with the preprocessing
    step (what the local ``Preprocessor.transform`` records); ``audit`` sums the shards' audit
    counts; ``reused`` lists the shards found finished instead of computed by this run.

    Example
    -------
    >>> tokens = read_sharded_tokens("sample-tokens")  # doctest: +SKIP
    >>> sum(t.n_tokens for t in tokens) == tokens.n_tokens  # doctest: +SKIP
    True
    """

    folder: Path
    files: tuple[str, ...]
    sha256: tuple[str, ...]
    n_documents_per_shard: tuple[int, ...]
    n_tokens_per_shard: tuple[int, ...]
    provenance: Provenance
    audit_rows: tuple[dict[str, Any], ...] = field(repr=False)
    config: dict[str, Any] = field(default_factory=dict, repr=False)
    reused: tuple[int, ...] = ()

    @property
    def n_documents(self) -> int:
        return sum(self.n_documents_per_shard)

    @property
    def n_tokens(self) -> int:
        return sum(self.n_tokens_per_shard)

    @property
    def audit(self) -> pd.DataFrame:
        """The preprocessing audit, each stage's counts summed over the shards."""
        cols = ["stage", *_NUMBERS, "examples"]
        return pd.DataFrame(list(self.audit_rows), columns=cols)

    def __len__(self) -> int:
        return len(self.files)

    def __repr__(self) -> str:
        return (f"<ShardedTokens: {self.n_documents} documents, {self.n_tokens} tokens in {len(self)} shards at "
                f"{self.folder}>")

    def shard(self, i: int) -> Tokens:
        """The tokens of shard ``i`` (file checked against its SHA-256)."""
        return _load_tokens(self.folder / self.files[i], self.sha256[i])

    def __iter__(self) -> Iterator[Tokens]:
        for i in range(len(self.files)):
            yield self.shard(i)

    def to_tokens(self) -> Tokens:
        """All shards as one ``Tokens``, equal to ``Preprocessor.transform`` on the whole corpus
        (holds every token in memory).

        >>> read_sharded_tokens("sample-tokens").to_tokens().n_tokens  # doctest: +SKIP
        60934
        """
        whole = concat_tokens(list(self))
        return whole._replace(audit=list(self.audit_rows), config=dict(self.config), provenance=self.provenance)


def _load_tokens(path: Path, sha256: str) -> Tokens:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ShardError(f"{path.parent}: tokens file {path.name} is missing") from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ShardError(f"{path.parent}: tokens file {path.name} does not match its SHA-256 in {TOKENS_MANIFEST}: "
                         "changed or corrupted; run preprocess_shards again (it recomputes only this shard)")
    return storage.loads(data, path, expected=Tokens)


def concat_tokens(parts: Sequence[Tokens]) -> Tokens:
    """Several ``Tokens`` end to end, vocabularies re-coded in order of first appearance (so shards
    give the codes the whole corpus would). Audit, config and provenance are the first part's.

    >>> a = Tokens.from_lists([["paix", "guerre"]], doc_ids=["d1"])
    >>> b = Tokens.from_lists([["guerre", "état de droit"]], doc_ids=["d2"])
    >>> concat_tokens([a, b]).vocab("lemma")
    ['paix', 'guerre', 'état de droit']
    """
    if not parts:
        raise ValueError("no tokens to put together")
    vocabs: dict[str, list[str]] = {}
    codes: dict[str, list[np.ndarray]] = {}
    for a in ATTRIBUTES:
        index: dict[str, int] = {}
        vocab: list[str] = []
        mapped = []
        for part in parts:
            local = part.vocab(a)
            remap = np.empty(len(local), dtype=np.int32)
            for j, value in enumerate(local):
                code = index.get(value)
                if code is None:
                    code = index[value] = len(vocab)
                    vocab.append(value)
                remap[j] = code
            mapped.append(remap[part.codes(a)] if len(local) else part.codes(a))
        vocabs[a], codes[a] = vocab, mapped
    lengths = np.concatenate([p.lengths for p in parts])
    texts = [t for p in parts for t in p.texts] if all(p.texts is not None for p in parts) else None
    first = parts[0]
    return Tokens(
        doc_ids=[d for p in parts for d in p.doc_ids],
        doc_offsets=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        codes={a: np.concatenate(codes[a]).astype(np.int32) for a in ATTRIBUTES},
        vocabs=vocabs,
        starts=np.concatenate([p.starts for p in parts]), ends=np.concatenate([p.ends for p in parts]),
        sents=np.concatenate([p.sents for p in parts]), is_stop=np.concatenate([p.is_stop for p in parts]),
        metadata=concat_frames([p.metadata for p in parts]), texts=texts,
        audit=first.audit.to_dict("records"), config=first.config, provenance=first.provenance,
    )


def _merge_audit(audits: Sequence[Sequence[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Each stage's counts summed over the shards (stages in order of first appearance)."""
    merged: dict[str, dict[str, Any]] = {}
    for n, rows in enumerate(audits):
        for row in rows:
            entry = merged.setdefault(row["stage"], {"stage": row["stage"], **{k: 0 for k in _NUMBERS}, "examples": ""})
            for k in _NUMBERS:
                entry[k] += int(row.get(k, 0) or 0)
            if not entry["examples"] and row.get("examples"):
                entry["examples"] = f"(shard {n + 1}) {row['examples']}"
    return list(merged.values())


def read_sharded_tokens(folder: str | Path) -> ShardedTokens:
    """Open a folder written by :func:`preprocess_shards` (its ``tokens.json`` checked).

    >>> read_sharded_tokens("sample-tokens").files[0]  # doctest: +SKIP
    'tokens-00000-3f2a….discourse'
    """
    folder = Path(folder)
    try:
        data = json.loads((folder / TOKENS_MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ShardError(f"{folder}: no {TOKENS_MANIFEST}: not a folder of sharded tokens") from None
    except (OSError, ValueError) as err:
        raise ShardError(f"{folder}: {TOKENS_MANIFEST} cannot be read ({err})") from None
    if not isinstance(data, dict) or data.get("kind") != _KIND or data.get("format_version") != _FORMAT_VERSION:
        raise ShardError(f"{folder}: {TOKENS_MANIFEST} is not a manifest of sharded tokens of format {_FORMAT_VERSION}")
    try:
        shards = data["shards"]
        files = tuple(str(s["file"]) for s in shards)
        if any(Path(f).name != f for f in files):
            raise ShardError(f"{folder}: {TOKENS_MANIFEST} names a file outside the folder")
        return ShardedTokens(
            folder, files, tuple(str(s["sha256"]) for s in shards), tuple(int(s["n_documents"]) for s in shards),
            tuple(int(s["n_tokens"]) for s in shards), Provenance.from_state(data["provenance"]),
            tuple(dict(r) for r in data["audit"]), dict(data["config"]))
    except (KeyError, TypeError, ValueError) as err:
        if isinstance(err, ShardError):
            raise
        raise ShardError(f"{folder}: {TOKENS_MANIFEST} is malformed ({err})") from None


# ------------------------------------------------------------------------------ preprocessing
def _preprocess_task(task: dict[str, Any]) -> dict[str, Any]:
    """One shard: read (checked), preprocess, save atomically under its key; a small summary back."""
    from discourse.preprocess import Preprocessor

    out = Path(task["out"])
    info = ShardInfo(**task["info"])
    source = Path(task["source"])
    frame = frame_from_bytes(read_checked(source, info), source, info)
    texts = frame.pop("text").tolist()
    tokens = Preprocessor(**task["params"]).transform(Corpus(texts, frame))
    # the shard's own record is left out: the driver keeps the whole corpus's record
    tokens = tokens._replace(provenance=Provenance(), config={**tokens.config, "shard_key": task["key"]})
    sha = _save_checked(tokens, out)
    summary = {"file": out.name, "key": task["key"], "sha256": sha, "n_documents": len(tokens), "n_tokens": tokens.n_tokens,
               "audit": tokens.audit.to_dict("records"), "config": {k: v for k, v in tokens.config.items() if k != "shard_key"}}
    _write_json_atomic(out.with_suffix(".json"), summary)
    return summary


def preprocess_shards(sharded: ShardedCorpus, preprocessor: Any, *, folder: str | Path,
                      engine: Any = None, progress: bool = True) -> ShardedTokens:
    """Preprocess every shard on ``engine`` (None: this process); each shard's tokens are saved
    in ``folder`` under a key of its content and of every setting, and reused by a rerun.

    The preprocessor's ``cache_dir``, ``n_jobs`` and ``progress`` are not used on the shards (the
    shard files are the cache, the engine the parallelism).

    >>> from discourse import Preprocessor
    >>> from discourse.shards import read_shards
    >>> tokens = preprocess_shards(read_shards("sample-shards"), Preprocessor(aliases=False),  # doctest: +SKIP
    ...                            folder="sample-tokens", engine="dask")
    >>> tokens.reused                                                                            # doctest: +SKIP
    ()
    """
    from discourse.preprocess import Preprocessor

    if not isinstance(sharded, ShardedCorpus):
        raise TypeError(f"preprocess_shards takes a ShardedCorpus (read_shards(folder)), not {type(sharded).__name__}")
    if not isinstance(preprocessor, Preprocessor):
        raise TypeError(f"preprocessor must be a Preprocessor, not {type(preprocessor).__name__}")
    check_progress(progress)
    preprocessor._check_params()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    params = {**preprocessor.get_params(), "cache_dir": None, "n_jobs": 1, "progress": False}
    settings = {"result": preprocessor._result_config(), "pipeline": preprocessor._pipeline_config()}
    model = (preprocessor.model or "fr_core_news_sm") if preprocessor.backend == "accurate" else None
    tasks, summaries, reused = [], {}, []
    for i, info in enumerate(sharded.shards):
        key = shard_key(info.sha256, settings, model, purpose="preprocess")
        out = folder / f"tokens-{i:05d}-{key[:24]}{_SUFFIX}"
        done = _finished(out)
        if done is not None and done.get("key") == key and done.get("n_documents") == info.n_documents:
            summaries[i] = done
            reused.append(i)
            continue
        tasks.append((i, {"source": str(sharded.folder), "info": info.to_dict(), "params": params, "key": key,
                          "out": str(out)}))
    with engine_context(engine) as run:
        results = run.map(_preprocess_task, [t for _, t in tasks], desc="preprocess shards", progress=progress)
    for (i, _), summary in zip(tasks, results):
        summaries[i] = summary
    ordered = [summaries[i] for i in range(len(sharded.shards))]
    for i, (info, summary) in enumerate(zip(sharded.shards, ordered)):
        if summary["n_documents"] != info.n_documents:  # never silently: a shard must give all its documents
            raise ShardError(f"shard {info.file}: {info.n_documents} documents but {summary['n_documents']} preprocessed")
    step = preprocessor._provenance(None).steps[-1]
    provenance = sharded.provenance.then(step.stage, step.description)
    config = ordered[0]["config"] if ordered else preprocessor._result_config()
    result = ShardedTokens(folder, tuple(s["file"] for s in ordered), tuple(s["sha256"] for s in ordered),
                           tuple(s["n_documents"] for s in ordered), tuple(s["n_tokens"] for s in ordered),
                           provenance, tuple(_merge_audit([s["audit"] for s in ordered])), config, tuple(reused))
    _write_json_atomic(folder / TOKENS_MANIFEST, {
        "kind": _KIND, "format_version": _FORMAT_VERSION, "source": str(sharded.folder),
        "shards": [{k: s[k] for k in ("file", "sha256", "n_documents", "n_tokens")} for s in ordered],
        "provenance": provenance.to_state(), "audit": list(result.audit_rows), "config": config,
    })
    if reused and progress:
        print(f"preprocess shards: {len(reused)} of {len(ordered)} shards reused from {folder}")
    return result


# ------------------------------------------------------------------------------ document-term matrix
def _frequencies_task(task: dict[str, Any]) -> dict[str, Any]:
    """Pass 1 on one shard: each term's count of tokens and of documents (integers)."""
    tokens = _load_tokens(Path(task["path"]), task["sha256"])
    attribute, stop = task["attribute"], task["stop"]
    codes = tokens.codes(attribute).astype(np.int64)
    doc_index = tokens.doc_index()
    if stop:
        codes, doc_index = codes[~tokens.is_stop], doc_index[~tokens.is_stop]
    vocab = tokens.vocab(attribute)
    total = np.bincount(codes, minlength=len(vocab))
    pairs = np.unique(doc_index * max(len(vocab), 1) + codes) if codes.size else np.zeros(0, np.int64)
    df = np.bincount(pairs % max(len(vocab), 1), minlength=len(vocab)) if pairs.size else np.zeros(len(vocab), np.int64)
    present = np.flatnonzero(total)
    return {"terms": [vocab[i] for i in present], "total": total[present], "df": df[present], "n_documents": len(tokens)}


def _counts_task(task: dict[str, Any]) -> dict[str, Any]:
    """Pass 2 on one shard: counts over the fixed vocabulary, saved atomically under its key."""
    out = Path(task["out"])
    done = _finished(out)
    if done is not None:
        return done
    tokens = _load_tokens(Path(task["path"]), task["sha256"])
    attribute, stop = task["attribute"], task["stop"]
    vocabulary = task["vocabulary"]
    column = {t: i for i, t in enumerate(vocabulary)}
    local = tokens.vocab(attribute)
    remap = np.array([column.get(t, -1) for t in local], dtype=np.int64)
    codes = remap[tokens.codes(attribute)] if len(local) else np.zeros(0, np.int64)
    doc_index = tokens.doc_index()
    keep = codes >= 0
    if stop:
        keep &= ~tokens.is_stop
    matrix = sp.csr_matrix((np.ones(int(keep.sum()), dtype=np.int64), (doc_index[keep], codes[keep])),
                           shape=(len(tokens), len(vocabulary)))
    matrix.sum_duplicates()
    empty = np.diff(matrix.indptr) == 0
    rows = np.flatnonzero(empty)
    original = tokens.lengths
    excluded = pd.DataFrame({"doc_id": pd.Series([tokens.doc_ids[i] for i in rows], dtype=object),
                             "reason": pd.Series(["no tokens" if original[i] == 0 else
                                                  "no tokens left after pruning the vocabulary" for i in rows], dtype=object)})
    kept = np.flatnonzero(~empty)
    part = DocumentTermMatrix(matrix[kept], vocabulary, [tokens.doc_ids[i] for i in kept],
                              tokens.metadata.iloc[kept].reset_index(drop=True), excluded=excluded)
    sha = _save_checked(part, out)
    summary = {"file": out.name, "sha256": sha, "n_documents": len(tokens), "n_excluded": len(rows)}
    _write_json_atomic(out.with_suffix(".json"), summary)
    return summary


def document_term_matrix(tokens: ShardedTokens, attribute: str = "lemma", *, min_df: int | float = 1,
                         max_df: int | float = 1.0, max_features: int | None = None,
                         stop_words: bool | str | Iterable[str] | None = None, engine: Any = None,
                         folder: str | Path | None = None, progress: bool = True) -> DocumentTermMatrix:
    """The :class:`~discourse.dtm.DocumentTermMatrix` of sharded tokens, equal to
    ``DocumentTermMatrix.from_tokens(tokens.to_tokens(), ...)`` with the same parameters.

    Pass 1 sums each shard's term and document frequencies; the vocabulary is chosen from these
    sums by the local rules (:func:`discourse.dtm.select_vocabulary`); pass 2 counts each shard
    over it (saved in ``folder``, default ``<tokens folder>/dtm``, under a key of the shard and the
    vocabulary) and the parts are stacked in shard order.

    >>> dtm = document_term_matrix(read_sharded_tokens("sample-tokens"), min_df=2, engine="dask")  # doctest: +SKIP
    >>> dtm.params["min_df"]                                                                        # doctest: +SKIP
    2
    """
    if not isinstance(tokens, ShardedTokens):
        raise TypeError(f"document_term_matrix takes ShardedTokens (preprocess_shards), not {type(tokens).__name__}")
    check_dtm_params(attribute=attribute, min_df=min_df, max_df=max_df, max_features=max_features, stop_words=stop_words)
    check_progress(progress)
    stop = check_stop_words("stop_words", stop_words)
    folder = Path(folder) if folder is not None else tokens.folder / "dtm"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [str(tokens.folder / f) for f in tokens.files]
    with engine_context(engine) as run:
        first = run.map(_frequencies_task, [{"path": p, "sha256": s, "attribute": attribute, "stop": stop is True}
                                            for p, s in zip(paths, tokens.sha256)], desc="term frequencies", progress=progress)
        index: dict[str, int] = {}
        vocab: list[str] = []
        totals: list[np.ndarray] = []
        dfs: list[np.ndarray] = []
        positions: list[np.ndarray] = []
        for part in first:  # union of the shards' terms, in order of first appearance
            pos = np.empty(len(part["terms"]), dtype=np.int64)
            for j, term in enumerate(part["terms"]):
                code = index.get(term)
                if code is None:
                    code = index[term] = len(vocab)
                    vocab.append(term)
                pos[j] = code
            positions.append(pos)
            totals.append(np.asarray(part["total"], dtype=np.int64))
            dfs.append(np.asarray(part["df"], dtype=np.int64))
        total = np.zeros(len(vocab), dtype=np.int64)
        df = np.zeros(len(vocab), dtype=np.int64)
        for pos, t, d in zip(positions, totals, dfs):
            np.add.at(total, pos, t)
            np.add.at(df, pos, d)
        n_docs = sum(int(p["n_documents"]) for p in first)
        columns = select_vocabulary(vocab, total, df, n_docs, attribute=attribute, min_df=min_df, max_df=max_df,
                                    max_features=max_features, stop=stop)
        vocabulary = [vocab[i] for i in columns]
        vocab_hash = hashlib.sha256(canonical_json(vocabulary).encode("utf-8", "surrogatepass")).hexdigest()
        tasks = []
        for i, (p, s) in enumerate(zip(paths, tokens.sha256)):
            key = shard_key(s, {"attribute": attribute, "stop": stop is True, "vocabulary": vocab_hash}, purpose="dtm")
            tasks.append({"path": p, "sha256": s, "attribute": attribute, "stop": stop is True, "vocabulary": vocabulary,
                          "out": str(folder / f"dtm-{i:05d}-{key[:24]}{_SUFFIX}")})
        second = run.map(_counts_task, tasks, desc="document-term counts", progress=progress)
    parts = [storage.load(folder / s["file"], expected=DocumentTermMatrix) for s in second]
    return _stack(parts, vocabulary, n_docs, tokens.provenance, attribute=attribute, min_df=min_df, max_df=max_df,
                  max_features=max_features, stop=stop)


def _stack(parts: list[DocumentTermMatrix], vocabulary: list[str], n_docs: int, provenance: Provenance, *,
           attribute: str, min_df: Any, max_df: Any, max_features: Any, stop: Any) -> DocumentTermMatrix:
    matrix = sp.vstack([p.matrix for p in parts], format="csr")
    # the index dtype scipy gives a matrix of this size built in one piece (the local matrix's)
    index_dtype = np.int32 if max(matrix.nnz, *matrix.shape) < np.iinfo(np.int32).max else np.int64
    matrix = sp.csr_matrix((matrix.data.astype(np.int64), matrix.indices.astype(index_dtype),
                            matrix.indptr.astype(index_dtype)), shape=matrix.shape)
    excluded = pd.concat([p.excluded for p in parts], ignore_index=True)
    if len(excluded):  # built as the local matrix builds it (so dtypes, and saved bytes, agree)
        excluded = pd.DataFrame({"doc_id": excluded["doc_id"].astype(str).tolist(),
                                 "reason": excluded["reason"].astype(str).tolist()})
        warnings.warn(
            f"{len(excluded)} of {n_docs} documents have no tokens after pruning and are excluded "
            f"(first: {', '.join(excluded['doc_id'].head(3))}); see DocumentTermMatrix.excluded",
            stacklevel=3,
        )
    else:
        excluded = pd.DataFrame({"doc_id": pd.Series([], dtype=object), "reason": pd.Series([], dtype=object)})
    params = dict(attribute=attribute, min_df=min_df, max_df=max_df, max_features=max_features,
                  stop_words=None if stop is None else "flagged" if stop is True else len(stop))
    record = provenance.then("document-term matrix", "from_tokens(" + ", ".join(f"{k}={v!r}" for k, v in params.items()) + ")",
                             zip(excluded["doc_id"], excluded["reason"]))
    metadata = concat_frames([p.metadata for p in parts])
    doc_ids = [d for p in parts for d in p.doc_ids]
    return DocumentTermMatrix(matrix, vocabulary, doc_ids, metadata, excluded=excluded, params=params, provenance=record)

