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
import io
import json
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from discourse import storage
from discourse.base import check_bool, check_stop_words
from discourse.cache import canonical_json, code_fingerprint, resource_versions
from discourse.corpus import Corpus
from discourse.dtm import DocumentTermMatrix, check_dtm_params, select_vocabulary
from discourse.engines import check_progress, engine_context
from discourse.engines._files import finished, save_checked, write_json_atomic, write_parquet_atomic
from discourse.provenance import Provenance
from discourse.shards import ShardedCorpus, ShardError, ShardInfo, concat_frames, frame_from_bytes, read_checked
from discourse.tokens import ATTRIBUTES, Tokens

__all__ = ["ShardedTokens", "preprocess_shards", "read_sharded_tokens", "document_term_matrix", "concat_tokens",
           "ShardedMatrix", "MatrixPart", "MatrixSummary", "summarize_matrix", "read_sharded_matrix", "load_shard_tokens", "merge_audits", "shard_key"]

TOKENS_MANIFEST = "tokens.json"
DTM_MANIFEST = "dtm.json"
_KIND = "discourse sharded tokens"
_DTM_KIND = "discourse sharded document-term matrix"
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
        return load_shard_tokens(self.folder / self.files[i], self.sha256[i])

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


def load_shard_tokens(path: str | Path, sha256: str) -> Tokens:
    """The tokens of one shard's file, checked against its SHA-256 (a missing or changed file
    is a :class:`~discourse.shards.ShardError` naming it): what a task over sharded tokens reads.

    >>> t = read_sharded_tokens("sample-tokens")                          # doctest: +SKIP
    >>> load_shard_tokens(t.folder / t.files[0], t.sha256[0]).n_tokens   # doctest: +SKIP
    61200
    """
    path = Path(path)
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


def merge_audits(audits: Sequence[Sequence[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Preprocessing audits of several shards as one: each stage's counts summed (stages in order
    of first appearance), the examples of the first shard that has one.

    >>> merge_audits([[{"stage": "stop words", "removed": 2}], [{"stage": "stop words", "removed": 3}]])[0]["removed"]
    5
    """
    merged: dict[str, dict[str, Any]] = {}
    for n, rows in enumerate(audits):
        for row in rows:
            entry = merged.setdefault(row["stage"], {"stage": row["stage"], **{k: 0 for k in _NUMBERS}, "examples": ""})
            for k in _NUMBERS:
                entry[k] += int(row.get(k, 0) or 0)
            if not entry["examples"] and row.get("examples"):
                entry["examples"] = f"(shard {n + 1}) {row['examples']}"
    return list(merged.values())


def _open_manifest(folder: Path, name: str, kind: str, what: str) -> tuple[dict[str, Any], list[dict[str, Any]], tuple[str, ...]]:
    """A manifest's content, its shards and their file names (checked to be inside ``folder``)."""
    try:
        data = json.loads((folder / name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ShardError(f"{folder}: no {name}: not a folder of {what}") from None
    except (OSError, ValueError) as err:
        raise ShardError(f"{folder}: {name} cannot be read ({err})") from None
    if not isinstance(data, dict) or data.get("kind") != kind or data.get("format_version") != _FORMAT_VERSION:
        raise ShardError(f"{folder}: {name} is not a manifest of {what} of format {_FORMAT_VERSION}")
    try:
        shards = list(data["shards"])
        files = tuple(str(s["file"]) for s in shards)
    except (KeyError, TypeError) as err:
        raise ShardError(f"{folder}: {name} is malformed ({err})") from None
    if any(Path(f).name != f for f in files):
        raise ShardError(f"{folder}: {name} names a file outside the folder")
    return data, shards, files


def read_sharded_tokens(folder: str | Path) -> ShardedTokens:
    """Open a folder written by :func:`preprocess_shards` (its ``tokens.json`` checked).

    >>> read_sharded_tokens("sample-tokens").files[0]  # doctest: +SKIP
    'tokens-00000-3f2a….discourse'
    """
    folder = Path(folder)
    data, shards, files = _open_manifest(folder, TOKENS_MANIFEST, _KIND, "sharded tokens")
    try:
        return ShardedTokens(
            folder, files, tuple(str(s["sha256"]) for s in shards), tuple(int(s["n_documents"]) for s in shards),
            tuple(int(s["n_tokens"]) for s in shards), Provenance.from_state(data["provenance"]),
            tuple(dict(r) for r in data["audit"]), dict(data["config"]))
    except (KeyError, TypeError, ValueError) as err:
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
    sha = save_checked(tokens, out)
    summary = {"file": out.name, "key": task["key"], "sha256": sha, "n_documents": len(tokens), "n_tokens": tokens.n_tokens,
               "audit": tokens.audit.to_dict("records"), "config": {k: v for k, v in tokens.config.items() if k != "shard_key"}}
    write_json_atomic(out.with_suffix(".json"), summary)
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
        done = finished(out)
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
                           provenance, tuple(merge_audits([s["audit"] for s in ordered])), config, tuple(reused))
    write_json_atomic(folder / TOKENS_MANIFEST, {
        "kind": _KIND, "format_version": _FORMAT_VERSION, "source": str(sharded.folder),
        "shards": [{k: s[k] for k in ("file", "sha256", "n_documents", "n_tokens")} for s in ordered],
        "provenance": provenance.to_state(), "audit": list(result.audit_rows), "config": config,
    })
    if reused and progress:
        print(f"preprocess shards: {len(reused)} of {len(ordered)} shards reused from {folder}")
    return result


# ------------------------------------------------------------------------------ document-term matrix
def _frequencies_task(task: dict[str, Any]) -> dict[str, Any]:
    """Pass 1 on one shard: each term's count of tokens and of documents (integers), written to a
    Parquet file (term, total, df) under its key; only the path and the counts of documents
    come back (so this process reads the shards' terms one at a time, never all at once)."""
    out = Path(task["out"])
    done = finished(out)
    if done is not None:
        return done
    tokens = load_shard_tokens(Path(task["path"]), task["sha256"])
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
    frame = pd.DataFrame({"term": pd.Series([vocab[i] for i in present], dtype=object),
                          "total": total[present].astype(np.int64), "df": df[present].astype(np.int64)})
    sha = write_parquet_atomic(frame, out)
    summary = {"file": out.name, "sha256": sha, "n_documents": len(tokens)}
    write_json_atomic(out.with_suffix(".json"), summary)
    return summary


def _read_frequencies(path: Path, sha256: str) -> pd.DataFrame:
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ShardError(f"{path}: term frequencies changed while the matrix was built")
    return pd.read_parquet(io.BytesIO(data))


def _counts_task(task: dict[str, Any]) -> dict[str, Any]:
    """Pass 2 on one shard: counts over the fixed vocabulary, saved atomically under its key."""
    out = Path(task["out"])
    done = finished(out)
    if done is not None:
        return done
    tokens = load_shard_tokens(Path(task["path"]), task["sha256"])
    attribute, stop = task["attribute"], task["stop"]
    vocabulary = json.loads(Path(task["vocabulary"]).read_text(encoding="utf-8"))
    if hashlib.sha256(canonical_json(vocabulary).encode("utf-8", "surrogatepass")).hexdigest() != task["vocabulary_sha256"]:
        raise ShardError(f"{task['vocabulary']}: the vocabulary file changed while the matrix was built")
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
    sha = save_checked(part, out)
    summary = {"file": out.name, "sha256": sha, "n_documents": len(tokens), "n_excluded": len(rows),
               "excluded_first": excluded["doc_id"].head(3).astype(str).tolist()}
    write_json_atomic(out.with_suffix(".json"), summary)
    return summary


@dataclass(frozen=True)
class MatrixPart:
    """One shard's part of a :class:`ShardedMatrix`: what a worker needs to read it, checked.

    Small and picklable (a path, a SHA-256, a shard number and a shape): a task is given this,
    never the counts. :meth:`load` raises :class:`~discourse.shards.ShardError` naming the shard
    when the file is missing, changed or of another shape.

    >>> part = read_sharded_matrix("sample-tokens/dtm").parts[0]  # doctest: +SKIP
    >>> part.load().shape == (part.n_documents, part.n_terms)    # doctest: +SKIP
    True
    """

    path: str
    sha256: str
    shard: int
    n_documents: int
    n_terms: int

    def load(self) -> DocumentTermMatrix:
        path = Path(self.path)
        where = f"{path.parent}: matrix part of shard {self.shard} ({path.name})"
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise ShardError(f"{where} is missing; build the matrix again (document_term_matrix reuses the "
                             "parts still there)") from None
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise ShardError(f"{where} does not match its SHA-256 in {DTM_MANIFEST}: changed or corrupted; build the "
                             "matrix again (document_term_matrix recomputes only this part)")
        part = storage.loads(data, path, expected=DocumentTermMatrix)
        if part.shape != (self.n_documents, self.n_terms):
            raise ShardError(f"{where} has shape {part.shape}, not {(self.n_documents, self.n_terms)} as {DTM_MANIFEST} says")
        return part


@dataclass(frozen=True, eq=False)
class ShardedMatrix:
    """A document-term matrix left on disk as one part a shard: what
    ``document_term_matrix(..., gather=False)`` returns.

    Holds no counts: the vocabulary, the parts' file names, SHA-256 and sizes, the builder's
    ``params`` and the record of the steps so far (``provenance``: the tokens' record; the
    matrix step, with the excluded documents, is added by :meth:`to_matrix`). Give it to
    :class:`discourse.engines.topics.SampledLDA` (the workers read the parts); :meth:`to_matrix`
    stacks the parts into the matrix ``gather=True`` gives, byte for byte; :meth:`shard` reads one
    part. It is saved as the JSON manifest ``dtm.json`` beside the parts (the builder writes
    it) and opened again with :func:`read_sharded_matrix`. Every read checks the part's SHA-256.

    Example
    -------
    >>> parts = document_term_matrix(tokens, min_df=5, gather=False, engine="dask")  # doctest: +SKIP
    >>> parts.shape, len(parts)                                                        # doctest: +SKIP
    ((96110, 43959), 97)
    >>> SampledLDA(n_topics=50).fit(parts, engine="dask")                              # doctest: +SKIP
    """

    folder: Path
    files: tuple[str, ...]
    sha256: tuple[str, ...]
    n_documents_per_shard: tuple[int, ...]  # rows of each part (documents left after pruning)
    n_excluded_per_shard: tuple[int, ...]   # documents of each shard excluded (no tokens left)
    vocabulary: tuple[str, ...] = field(repr=False)
    params: dict[str, Any] = field(default_factory=dict)
    provenance: Provenance = field(default_factory=Provenance, repr=False)

    @property
    def n_documents(self) -> int:
        """Rows of the matrix (documents left after pruning)."""
        return sum(self.n_documents_per_shard)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.n_documents, len(self.vocabulary))

    def __len__(self) -> int:
        return len(self.files)

    def __repr__(self) -> str:
        return f"<ShardedMatrix: {self.shape[0]} documents × {self.shape[1]} terms in {len(self)} parts at {self.folder}>"

    @property
    def parts(self) -> list[MatrixPart]:
        """One :class:`MatrixPart` a shard, in shard order (what the workers are given)."""
        return [MatrixPart(str(self.folder / f), sha, i, n, len(self.vocabulary))
                for i, (f, sha, n) in enumerate(zip(self.files, self.sha256, self.n_documents_per_shard))]

    def shard(self, i: int) -> DocumentTermMatrix:
        """The part of shard ``i`` (checked against its SHA-256 and shape)."""
        return self.parts[i].load()

    def __iter__(self) -> Iterator[DocumentTermMatrix]:
        for part in self.parts:
            yield part.load()

    def excluded(self) -> pd.DataFrame:
        """The documents left out (no tokens left after pruning), read from the parts."""
        return _join_excluded([p.excluded for p in self])

    def to_matrix(self) -> DocumentTermMatrix:
        """Every part stacked in this process: the matrix ``gather=True`` returns (the same bytes
        when saved). Holds the whole matrix in memory.

        >>> read_sharded_matrix("sample-tokens/dtm").to_matrix().shape  # doctest: +SKIP
        (1000, 5734)
        """
        n_docs = self.n_documents + sum(self.n_excluded_per_shard)
        return _stack(list(self), list(self.vocabulary), n_docs, self.provenance, self.params)

    def _manifest(self) -> dict[str, Any]:
        return {"kind": _DTM_KIND, "format_version": _FORMAT_VERSION, "params": self.params,
                "vocabulary": list(self.vocabulary), "provenance": self.provenance.to_state(),
                "shards": [{"file": f, "sha256": sha, "n_documents": n, "n_excluded": e} for f, sha, n, e in
                           zip(self.files, self.sha256, self.n_documents_per_shard, self.n_excluded_per_shard)]}


def read_sharded_matrix(folder: str | Path) -> ShardedMatrix:
    """Open the matrix parts a :func:`document_term_matrix` wrote in ``folder`` (its ``dtm.json``).

    The parts are not read here: each read checks the part's SHA-256 (:meth:`MatrixPart.load`).

    >>> read_sharded_matrix("sample-tokens/dtm").shape  # doctest: +SKIP
    (1000, 5734)
    """
    folder = Path(folder)
    data, shards, files = _open_manifest(folder, DTM_MANIFEST, _DTM_KIND, "matrix parts")
    try:
        vocabulary = tuple(str(t) for t in data["vocabulary"])
        return ShardedMatrix(folder, files, tuple(str(s["sha256"]) for s in shards),
                             tuple(int(s["n_documents"]) for s in shards), tuple(int(s["n_excluded"]) for s in shards),
                             vocabulary, dict(data["params"]), Provenance.from_state(data["provenance"]))
    except (KeyError, TypeError, ValueError) as err:
        raise ShardError(f"{folder}: {DTM_MANIFEST} is malformed ({err})") from None


def document_term_matrix(tokens: ShardedTokens, attribute: str = "lemma", *, min_df: int | float = 1,
                         max_df: int | float = 1.0, max_features: int | None = None,
                         stop_words: bool | str | Iterable[str] | None = None, engine: Any = None,
                         folder: str | Path | None = None, progress: bool = True,
                         gather: bool = True) -> DocumentTermMatrix | ShardedMatrix:
    """The :class:`~discourse.dtm.DocumentTermMatrix` of sharded tokens, equal to
    ``DocumentTermMatrix.from_tokens(tokens.to_tokens(), ...)`` with the same parameters.

    Pass 1 sums each shard's term and document frequencies; the vocabulary is chosen from these
    sums by the local rules (:func:`discourse.dtm.select_vocabulary`); pass 2 counts each shard
    over it (saved in ``folder``, default ``<tokens folder>/dtm``, under a key of the shard and the
    vocabulary, with the manifest ``dtm.json``) and the parts are stacked in shard order.

    ``gather=False`` stacks nothing: it returns a :class:`ShardedMatrix` (the vocabulary, the
    parts' paths, SHA-256 and sizes; no counts), which
    :class:`discourse.engines.topics.SampledLDA` fits on the workers and
    :meth:`ShardedMatrix.to_matrix` gathers into the same matrix as ``gather=True``. This
    process then never holds the corpus's counts.

    >>> dtm = document_term_matrix(read_sharded_tokens("sample-tokens"), min_df=2, engine="dask")  # doctest: +SKIP
    >>> dtm.params["min_df"]                                                                        # doctest: +SKIP
    2
    >>> parts = document_term_matrix(read_sharded_tokens("sample-tokens"), min_df=2, gather=False)  # doctest: +SKIP
    >>> parts.shape == dtm.shape and parts.to_matrix().vocabulary == dtm.vocabulary                 # doctest: +SKIP
    True
    """
    if not isinstance(tokens, ShardedTokens):
        raise TypeError(f"document_term_matrix takes ShardedTokens (preprocess_shards), not {type(tokens).__name__}")
    check_dtm_params(attribute=attribute, min_df=min_df, max_df=max_df, max_features=max_features, stop_words=stop_words)
    check_progress(progress)
    check_bool("gather", gather)
    stop = check_stop_words("stop_words", stop_words)
    folder = Path(folder) if folder is not None else tokens.folder / "dtm"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [str(tokens.folder / f) for f in tokens.files]
    with engine_context(engine) as run:
        freq_tasks = []
        for i, (p, s) in enumerate(zip(paths, tokens.sha256)):
            key = shard_key(s, {"attribute": attribute, "stop": stop is True}, purpose="frequencies")
            freq_tasks.append({"path": p, "sha256": s, "attribute": attribute, "stop": stop is True,
                               "out": str(folder / f"freq-{i:05d}-{key[:24]}.parquet")})
        first = run.map(_frequencies_task, freq_tasks, desc="term frequencies", progress=progress)
        # union of the shards' terms in order of first appearance, sums grown shard by shard
        index: dict[str, int] = {}
        vocab: list[str] = []
        total = np.zeros(0, dtype=np.int64)
        df = np.zeros(0, dtype=np.int64)
        for summary in first:
            part = _read_frequencies(folder / summary["file"], summary["sha256"])
            pos = np.empty(len(part), dtype=np.int64)
            for j, term in enumerate(part["term"].tolist()):
                code = index.get(term)
                if code is None:
                    code = index[term] = len(vocab)
                    vocab.append(term)
                pos[j] = code
            if len(vocab) > total.size:
                grow = max(len(vocab), 2 * total.size) - total.size
                total = np.concatenate([total, np.zeros(grow, np.int64)])
                df = np.concatenate([df, np.zeros(grow, np.int64)])
            np.add.at(total, pos, part["total"].to_numpy(np.int64))
            np.add.at(df, pos, part["df"].to_numpy(np.int64))
            del part
        total, df = total[:len(vocab)], df[:len(vocab)]
        n_docs = sum(int(p["n_documents"]) for p in first)
        columns = select_vocabulary(vocab, total, df, n_docs, attribute=attribute, min_df=min_df, max_df=max_df,
                                    max_features=max_features, stop=stop)
        vocabulary = [vocab[i] for i in columns]
        vocab_hash = hashlib.sha256(canonical_json(vocabulary).encode("utf-8", "surrogatepass")).hexdigest()
        # one file the tasks read, rather than one copy of the vocabulary in every task sent
        vocab_file = folder / f"vocabulary-{vocab_hash[:24]}.json"
        if not vocab_file.exists():
            write_json_atomic(vocab_file, vocabulary)
        tasks = []
        for i, (p, s) in enumerate(zip(paths, tokens.sha256)):
            key = shard_key(s, {"attribute": attribute, "stop": stop is True, "vocabulary": vocab_hash}, purpose="dtm")
            tasks.append({"path": p, "sha256": s, "attribute": attribute, "stop": stop is True,
                          "vocabulary": str(vocab_file), "vocabulary_sha256": vocab_hash,
                          "out": str(folder / f"dtm-{i:05d}-{key[:24]}{_SUFFIX}")})
        second = run.map(_counts_task, tasks, desc="document-term counts", progress=progress)
    params = _dtm_params(attribute=attribute, min_df=min_df, max_df=max_df, max_features=max_features, stop=stop)
    sharded = ShardedMatrix(
        folder, tuple(s["file"] for s in second), tuple(s["sha256"] for s in second),
        tuple(int(s["n_documents"]) - int(s["n_excluded"]) for s in second), tuple(int(s["n_excluded"]) for s in second),
        tuple(vocabulary), params, tokens.provenance)
    write_json_atomic(folder / DTM_MANIFEST, sharded._manifest())
    if gather:
        return sharded.to_matrix()
    n_excluded = sum(sharded.n_excluded_per_shard)
    if n_excluded:  # said now, as the gathered matrix says it (the ids are in each part's `excluded`)
        first = [d for s in second for d in s.get("excluded_first", [])][:3]
        warnings.warn(f"{n_excluded} of {n_docs} documents have no tokens after pruning and are excluded "
                      f"(first: {', '.join(first)}); see ShardedMatrix.excluded()", stacklevel=2)
    return sharded


def _dtm_params(*, attribute: str, min_df: Any, max_df: Any, max_features: Any, stop: Any) -> dict[str, Any]:
    """The matrix's ``params`` as the local builder records them."""
    return dict(attribute=attribute, min_df=min_df, max_df=max_df, max_features=max_features,
                stop_words=None if stop is None else "flagged" if stop is True else len(stop))


def _join_excluded(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The parts' excluded documents, built as the local matrix builds them (so dtypes, and saved bytes, agree)."""
    excluded = pd.concat(frames, ignore_index=True)
    if len(excluded):
        return pd.DataFrame({"doc_id": excluded["doc_id"].astype(str).tolist(), "reason": excluded["reason"].astype(str).tolist()})
    return pd.DataFrame({"doc_id": pd.Series([], dtype=object), "reason": pd.Series([], dtype=object)})


def _matrix_record(provenance: Provenance, params: dict[str, Any], excluded: pd.DataFrame) -> Provenance:
    """The record of the gathered matrix: the tokens' record, how it was built and what it excluded."""
    return provenance.then("document-term matrix", "from_tokens(" + ", ".join(f"{k}={v!r}" for k, v in params.items()) + ")",
                           zip(excluded["doc_id"], excluded["reason"]))


def _part_summary(part: MatrixPart) -> dict[str, Any]:
    """Per-term sums, excluded documents and per-document facts of one part (no counts leave the worker)."""
    dtm = part.load()
    return {"count": np.asarray(dtm.matrix.sum(axis=0), dtype=np.int64).ravel(), "doc_freq": dtm.document_frequencies(),
            "excluded": dtm.excluded, "doc_ids": list(dtm.doc_ids), "lengths": dtm.lengths, "metadata": dtm.metadata}


@dataclass(frozen=True, eq=False)
class MatrixSummary:
    """What the tables and records of a matrix need, without its counts: :func:`summarize_matrix`."""

    term_frequencies: pd.DataFrame  # DocumentTermMatrix.term_frequencies() of the gathered matrix
    excluded: pd.DataFrame          # its ``excluded``
    provenance: Provenance          # its ``provenance``
    doc_ids: list[str]              # its rows, in shard order
    lengths: np.ndarray             # tokens a row
    metadata: pd.DataFrame          # its ``metadata``


def summarize_matrix(matrix: ShardedMatrix, *, engine: Any = None, progress: bool = True) -> MatrixSummary:
    """The term frequencies, excluded documents, record and per-document facts (ids, lengths,
    metadata) of a sharded matrix, read on the workers: equal to those of
    ``matrix.to_matrix()`` (tested), without this process ever holding the counts.

    >>> summary = summarize_matrix(read_sharded_matrix("débats/dtm"), engine="dask")  # doctest: +SKIP
    >>> summary.term_frequencies.head(1).term.tolist()                                 # doctest: +SKIP
    ['député']
    """
    from discourse.dtm import term_frequency_table

    check_progress(progress)
    with engine_context(engine) as run:
        parts = run.map(_part_summary, matrix.parts, desc="matrix parts: term sums", progress=progress)
    vocabulary = list(matrix.vocabulary)
    counts = np.zeros(len(vocabulary), dtype=np.int64)
    doc_freq = np.zeros(len(vocabulary), dtype=np.int64)
    for p in parts:
        counts += p["count"]
        doc_freq += p["doc_freq"]
    excluded = _join_excluded([p["excluded"] for p in parts])
    lengths = np.concatenate([np.asarray(p["lengths"]) for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    return MatrixSummary(term_frequency_table(vocabulary, counts, doc_freq), excluded,
                         _matrix_record(matrix.provenance, matrix.params, excluded),
                         [d for p in parts for d in p["doc_ids"]], lengths,
                         concat_frames([p["metadata"] for p in parts]))


def _stack(parts: list[DocumentTermMatrix], vocabulary: list[str], n_docs: int, provenance: Provenance,
           params: dict[str, Any]) -> DocumentTermMatrix:
    matrix = sp.vstack([p.matrix for p in parts], format="csr")
    # the index dtype scipy gives a matrix of this size built in one piece (the local matrix's)
    index_dtype = np.int32 if max(matrix.nnz, *matrix.shape) < np.iinfo(np.int32).max else np.int64
    matrix = sp.csr_matrix((matrix.data.astype(np.int64), matrix.indices.astype(index_dtype),
                            matrix.indptr.astype(index_dtype)), shape=matrix.shape)
    excluded = _join_excluded([p.excluded for p in parts])
    if len(excluded):
        warnings.warn(
            f"{len(excluded)} of {n_docs} documents have no tokens after pruning and are excluded "
            f"(first: {', '.join(excluded['doc_id'].head(3))}); see DocumentTermMatrix.excluded",
            stacklevel=3,
        )
    record = _matrix_record(provenance, params, excluded)
    metadata = concat_frames([p.metadata for p in parts])
    doc_ids = [d for p in parts for d in p.doc_ids]
    return DocumentTermMatrix(matrix, vocabulary, doc_ids, metadata, excluded=excluded, params=dict(params),
                              provenance=record)

