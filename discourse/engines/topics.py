"""Topic models over shards: LDA fitted on a reproducible sample, every shard folded in.

A corpus too large for one process cannot be given to one Gibbs sampler. The scheme here is
the honest one that scales and that can be checked:

1. **Sample.** ``sample_size`` documents are drawn uniformly without replacement from the whole
   corpus (``numpy.random.default_rng(random_state)`` over the global document positions, i.e.
   shard after shard), so the sample depends on the documents and their order, not on how the
   corpus is cut into shards or on the engine. Each shard hands over only its sampled rows.
2. **Fit.** One :class:`~discourse.topics.LDA` (its tomotopy backend by default, with its own
   ``random_state`` and ``n_jobs``, reproducible) is fitted on the sample, on one worker; the
   fitted model is saved (:mod:`discourse.storage`) under a key of its parameters and sample.
3. **Fold in.** Every shard, on the workers, gets its document-topic proportions from the fitted
   topics (``LDA.transform``: a deterministic fixed-point fold-in, run by blocks of rows of at
   most :data:`FOLD_IN_NONZEROS` nonzero counts so that a worker's memory does not grow with
   the length of a shard's documents), written atomically to one
   Parquet file a shard, named by a key of the model and the shard's content; results are
   stacked in shard order. The corpus-wide topic prevalence is reduced from per-shard sums.

Every document, sampled or not, gets its proportions by the same fold-in, so the table does not
mix two estimators. What this scheme cannot give is the full fit's topics: a topic too rare to
appear in the sample is not found, and terms absent from the sample have no weight in any topic
(they are ignored by the fold-in). ``benchmarks/eval_dask_topics`` measures how far the sample
fit is from a full fit (held-out likelihood, coherence, topic matching) as the sample grows.

The result is identical on the local engine and on a Dask cluster, and on rerun (tested): the
sample, the sampler's seed and threads, and the fold-in are all fixed.

Example
-------
>>> from discourse.engines.topics import SampledLDA
>>> lda = SampledLDA(n_topics=50, sample_size=20_000, random_state=0)       # doctest: +SKIP
>>> lda.fit(shards, engine="dask", folder="out/topics")                      # doctest: +SKIP
>>> lda.top_terms(10).query("topic == 0").term.tolist()                      # doctest: +SKIP
['sécurité', 'terrorisme', 'état', ...]
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from discourse import storage
from discourse.base import Estimator, NotFittedError, check_int, keyword_only
from discourse.dtm import DocumentTermMatrix
from discourse.engines._files import write_parquet_atomic
from discourse.engines.sharded import MatrixPart, ShardedMatrix
from discourse.provenance import Provenance
from discourse.topics.lda import LDA

__all__ = ["SampledLDA", "sample_positions", "matrix_shards"]

#: the parameters of LDA that SampledLDA passes on unchanged
_LDA_PARAMS = ("n_topics", "backend", "alpha", "eta", "n_iter", "random_state", "n_jobs")

MatrixShard = DocumentTermMatrix | str | Path | MatrixPart

#: nonzero counts folded in at once: the fold-in holds a few (nonzeros × K) float arrays, so a
#: shard of long documents (1,000 Assemblée sittings: 440,000 nonzeros, 640 MB at K = 50) is
#: folded in by blocks of rows of at most this many nonzeros (≈ 20 MB an array at K = 50)
FOLD_IN_NONZEROS = 50_000


# ------------------------------------------------------------------------------ the sample
def sample_positions(shard_sizes: Sequence[int], sample_size: int | None, random_state: int | None = 0) -> list[np.ndarray]:
    """Rows of each shard in a uniform sample of ``sample_size`` documents of the whole corpus.

    The draw is over global positions (shard after shard), so any cut of the same documents into
    shards gives the same sample. ``sample_size`` None, or at least the number of documents,
    takes every document.

    Example
    -------
    >>> [rows.tolist() for rows in sample_positions([3, 2], 5)]
    [[0, 1, 2], [0, 1]]
    >>> sum(len(r) for r in sample_positions([1000, 1000, 500], 100, random_state=1))
    100
    """
    sizes = np.asarray(list(shard_sizes), dtype=np.int64)
    if sizes.size and sizes.min() < 0:
        raise ValueError(f"shard sizes must be >= 0, not {sizes.tolist()}")
    total = int(sizes.sum())
    if sample_size is None or sample_size >= total:
        chosen = np.arange(total, dtype=np.int64)
    else:
        check_int("sample_size", sample_size, minimum=1)
        chosen = np.sort(np.random.default_rng(random_state).choice(total, size=int(sample_size), replace=False))
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    cut = np.searchsorted(chosen, bounds)
    return [chosen[cut[i]:cut[i + 1]] - bounds[i] for i in range(sizes.size)]


def matrix_shards(dtm: DocumentTermMatrix, documents_per_shard: int) -> list[DocumentTermMatrix]:
    """An in-memory matrix cut into consecutive shards of ``documents_per_shard`` rows (the same
    vocabulary), e.g. to run the sharded scheme on the local engine for comparison.

    Example
    -------
    >>> [len(s) for s in matrix_shards(dtm, 400)]  # doctest: +SKIP
    [400, 400, 390]
    """
    check_int("documents_per_shard", documents_per_shard, minimum=1)
    n = dtm.shape[0]
    return [dtm.select_documents(np.arange(a, min(a + documents_per_shard, n))) for a in range(0, n, documents_per_shard)]


def _as_shards(source: Any) -> list[MatrixShard]:
    """The shards of ``source``: a matrix (one shard), a :class:`ShardedMatrix` (its parts, read by
    the workers), a list of matrices or of saved matrix files."""
    if isinstance(source, DocumentTermMatrix):
        return [source]
    if isinstance(source, ShardedMatrix):
        if not len(source):
            raise ValueError("no shard to fit: the sharded matrix has no part")
        return list(source.parts)
    if isinstance(source, (str, Path)) or not hasattr(source, "__iter__"):
        raise TypeError(f"shards must be a list of DocumentTermMatrix objects or of saved matrix files, not "
                        f"{type(source).__name__}")
    items = list(source)
    if not items:
        raise ValueError("no shard to fit: the list of shards is empty")
    for i, item in enumerate(items):
        if not isinstance(item, (DocumentTermMatrix, str, Path)):
            raise TypeError(f"shard {i} is a {type(item).__name__}: give DocumentTermMatrix objects or paths of saved "
                            "matrices (DocumentTermMatrix.save)")
    return [Path(i) if isinstance(i, str) else i for i in items]


# ------------------------------------------------------------------------------ worker functions
# Module-level and pure: a function of (shard, parameters) that writes its output atomically
# under a key of its inputs, so a retried task rewrites the same bytes and a rerun reuses it.
def _load_shard(shard: MatrixShard) -> DocumentTermMatrix:
    if isinstance(shard, DocumentTermMatrix):
        return shard
    if isinstance(shard, MatrixPart):
        return shard.load()  # checked against its SHA-256: an error names the shard
    return DocumentTermMatrix.load(shard)


def _matrix_key(dtm: DocumentTermMatrix) -> str:
    """A key of a matrix's content: counts, vocabulary and document ids."""
    h = hashlib.sha256()
    m = dtm.matrix
    for array in (np.asarray(m.shape, dtype=np.int64), m.indptr.astype(np.int64), m.indices.astype(np.int64), m.data.astype(np.int64)):
        h.update(array.tobytes())
    h.update(json.dumps([dtm.vocabulary, dtm.doc_ids], ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def _describe_shard(shard: MatrixShard) -> dict[str, Any]:
    """Number of documents, content key and vocabulary key of a shard (the first, cheap pass)."""
    dtm = _load_shard(shard)
    vocabulary = hashlib.sha256(json.dumps(dtm.vocabulary, ensure_ascii=False).encode("utf-8")).hexdigest()
    return {"n_documents": dtm.shape[0], "key": _matrix_key(dtm), "vocabulary": vocabulary}


def _sample_rows(task: tuple[MatrixShard, np.ndarray]) -> tuple[sp.csr_matrix, list[str], pd.DataFrame]:
    """The sampled rows of one shard: counts, ids and metadata, without the vocabulary (all shards
    share it; sending one copy a shard would grow with the number of shards)."""
    shard, rows = task
    part = _load_shard(shard).select_documents(np.asarray(rows, dtype=np.int64))
    return part.matrix, part.doc_ids, part.metadata


def _fit_sample(parts: list[tuple[sp.csr_matrix, list[str], pd.DataFrame]], *, vocabulary_from: MatrixShard,
                lda_params: dict[str, Any], path: str) -> str:
    """Fit the LDA on the stacked sample and save it at ``path`` (kept if already there)."""
    if os.path.exists(path):
        return path
    first = _load_shard(vocabulary_from)
    matrix = sp.vstack([m for m, _, _ in parts], format="csr")
    metadata = pd.concat([meta for _, _, meta in parts], ignore_index=True)
    sample = DocumentTermMatrix(matrix, first.vocabulary, [d for _, ids, _ in parts for d in ids], metadata,
                                params=first.params, provenance=first.provenance)
    model = LDA(**lda_params).fit(sample)
    storage.save(model, path)
    return path


def _fold_in_shard(shard: MatrixShard, *, model_path: str, folder: str, model_key: str, shard_key: str, n_iter: int) -> dict[str, Any]:
    """Topic proportions of every document of a shard, written to a Parquet file; returns the
    per-shard sums the corpus-wide prevalence is reduced from."""
    # the block size is in the name: it decides where the fold-in stops (see _fold_in)
    path = Path(folder) / f"doc-topics-{model_key[:16]}-{shard_key[:16]}-b{FOLD_IN_NONZEROS}.parquet"
    reused = path.exists()
    if reused:
        frame = pd.read_parquet(path)
        theta = frame.drop(columns=["doc_id", "length"]).to_numpy(dtype=np.float64)
        lengths = frame["length"].to_numpy(dtype=np.float64)
    else:
        model = storage.load(model_path, expected=LDA)
        dtm = _load_shard(shard)
        theta = _fold_in(model, dtm, n_iter)
        lengths = dtm.lengths.astype(np.float64)
        frame = pd.DataFrame(theta, columns=[f"topic_{k}" for k in range(theta.shape[1])])
        frame.insert(0, "length", lengths.astype(np.int64))
        frame.insert(0, "doc_id", pd.Series(dtm.doc_ids, dtype=object))
        write_parquet_atomic(frame, path)
    # summed row after row in a C-ordered array: the same bits whether theta was computed or read back
    weighted = (np.ascontiguousarray(theta) * lengths[:, None]).sum(axis=0)
    return {"path": str(path), "n_documents": theta.shape[0], "tokens": float(lengths.sum()),
            "weighted": weighted.tolist(), "reused": reused}


def _row_blocks(indptr: np.ndarray, budget: int) -> list[tuple[int, int]]:
    """Consecutive row ranges of at most ``budget`` nonzeros each (a longer row alone)."""
    blocks, start, n = [], 0, len(indptr) - 1
    while start < n:
        # the last row whose end stays within the budget, at least one row
        stop = max(int(np.searchsorted(indptr, indptr[start] + budget, side="right")) - 1, start + 1)
        stop = min(stop, n)
        blocks.append((start, stop))
        start = stop
    return blocks


def _fold_in(model: LDA, dtm: DocumentTermMatrix, n_iter: int) -> np.ndarray:
    """``model.transform`` by blocks of rows of at most :data:`FOLD_IN_NONZEROS` nonzeros, so a
    worker's memory does not depend on how long a shard's documents are. The blocks depend
    on the shard's content only (same on every engine); the fold-in stops when its block has
    converged, so proportions agree with an unblocked fold-in to its tolerance, not bit for bit."""
    blocks = _row_blocks(dtm.matrix.indptr, FOLD_IN_NONZEROS)
    if len(blocks) <= 1:
        return model.transform(dtm, n_iter=n_iter)
    return np.vstack([model.transform(dtm.select_documents(np.arange(a, b)), n_iter=n_iter) for a, b in blocks])


def _key(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()


# ------------------------------------------------------------------------------ the estimator
class SampledLDA(Estimator):
    """LDA fitted on a reproducible sample of a sharded corpus, every shard folded in on the workers.

    Parameters
    ----------
    n_topics, backend, alpha, eta, n_iter, random_state, n_jobs : as :class:`~discourse.topics.LDA`
        (``random_state`` also draws the sample).
    sample_size : documents in the fitting sample (None: every document, which is the full fit).
    fold_in_iter : iterations of the fold-in (``LDA.transform``).

    Attributes (after ``fit``)
    --------------------------
    model_ : the :class:`~discourse.topics.LDA` fitted on the sample (its ``doc_topics_`` are
        the sample's, from the sampler; the corpus's are ``doc_topics()``).
    sample_doc_ids_ : the sampled documents, in corpus order.
    shard_sizes_ : documents per shard; ``n_documents_`` their sum.
    topic_prevalence_ : share of the corpus's tokens in each topic (from the fold-in, all shards).
    files_ : one Parquet file a shard (doc_id, length, topic_0…), in shard order.
    reused_ : shards whose fold-in was found already done (rerun) rather than computed.
    provenance_ : :class:`~discourse.provenance.Provenance` of the fit (sample, model, fold-in).

    Example
    -------
    >>> lda = SampledLDA(n_topics=20, sample_size=5_000).fit(shards, engine="dask")  # doctest: +SKIP
    >>> lda.document_topics().head(2)                                               # doctest: +SKIP
    """

    @keyword_only
    def __init__(
        self,
        *,
        n_topics: int = 10,
        sample_size: int | None = 10_000,
        random_state: int | None = 0,
        backend: str = "tomotopy",
        alpha: float | None = None,
        eta: float | None = None,
        n_iter: int | None = None,
        n_jobs: int | None = None,
        fold_in_iter: int = 100,
    ) -> None:
        self.n_topics = n_topics
        self.sample_size = sample_size
        self.random_state = random_state
        self.backend = backend
        self.alpha = alpha
        self.eta = eta
        self.n_iter = n_iter
        self.n_jobs = n_jobs
        self.fold_in_iter = fold_in_iter

    def _check_params(self) -> None:
        check_int("sample_size", self.sample_size, minimum=1, allow_none=True)
        check_int("fold_in_iter", self.fold_in_iter, minimum=1)
        if self.random_state is None:
            raise ValueError("random_state=None would draw another sample on every run: give an integer seed")
        self._lda()._check_params()

    def _lda(self) -> LDA:
        return LDA(**{name: getattr(self, name) for name in _LDA_PARAMS})

    def fit(self, shards: Any, *, engine: Any = None, folder: str | Path | None = None, progress: bool = True) -> SampledLDA:
        """Draw the sample, fit on it (one worker), fold every shard in (all workers).

        ``shards``: a :class:`~discourse.engines.sharded.ShardedMatrix`
        (``document_term_matrix(..., gather=False)``: the workers read its parts, checked, and
        this process never holds the counts), a list of :class:`~discourse.dtm.DocumentTermMatrix`
        sharing one vocabulary (:func:`matrix_shards` cuts one; a single matrix is one shard), or
        paths of saved matrices, which the workers read themselves.
        ``engine``: None/"local", "dask" (a local cluster, closed at the end), a dict or an
        engine (:func:`discourse.engines.get_engine`; left open). ``folder``: where the
        model and the per-shard proportions are written and found again on a rerun (None: a
        temporary folder, the proportions kept in memory). With a Dask cluster on several
        machines, ``folder`` and path shards must be on storage every worker can read.
        ``progress``: progress bars over the shards.
        """
        from discourse.engines import check_progress, engine_context

        self._check_params()
        check_progress(progress)
        items = _as_shards(shards)
        keep_files = folder is not None
        work = Path(folder) if keep_files else Path(tempfile.mkdtemp(prefix="discourse-sampled-lda-"))
        work.mkdir(parents=True, exist_ok=True)
        try:
            with engine_context(engine) as run:  # a cluster started here from "dask" is closed here
                summaries, sizes, parts = self._run(run, items, work, progress)
        except BaseException:
            if not keep_files:
                shutil.rmtree(work, ignore_errors=True)
            raise
        total = sum(sizes)
        weighted = np.sum([s["weighted"] for s in summaries], axis=0)
        self.topic_prevalence_ = weighted / sum(s["tokens"] for s in summaries)
        self.shard_sizes_ = sizes
        self.n_documents_ = total
        self.sample_doc_ids_ = [d for _, ids, _ in parts for d in ids]
        self.reused_ = sum(bool(s["reused"]) for s in summaries)
        self.files_ = [Path(s["path"]) for s in summaries] if keep_files else []
        read = [] if keep_files else [_read_topics(Path(s["path"])) for s in summaries]
        self._doc_topics = None if keep_files else np.vstack([theta for _, theta in read])
        self._doc_ids = None if keep_files else [d for ids, _ in read for d in ids]
        if not keep_files:
            shutil.rmtree(work, ignore_errors=True)
        description = (f"SampledLDA(n_topics={self.n_topics}, sample_size={self.sample_size}, random_state={self.random_state}, "
                       f"backend={self.backend!r}): LDA fitted on {len(self.sample_doc_ids_)} of {total} documents drawn "
                       f"uniformly, every document of {len(items)} shards folded in ({self.fold_in_iter} iterations)")
        if isinstance(shards, ShardedMatrix):
            base = shards.provenance.then("document-term matrix", f"{len(shards)} parts, params {shards.params}")
        else:
            base = items[0].provenance if isinstance(items[0], DocumentTermMatrix) else Provenance()
        self.provenance_ = base.then("topics", description)
        return self

    def _run(self, engine: Any, items: list[MatrixShard], work: Path, progress: bool) -> tuple[list[dict[str, Any]], list[int], list[tuple]]:
        """The three passes on ``engine``: sizes and keys, the sample, the fit, the fold-in."""
        described = engine.map(_describe_shard, items, desc="shards: sizes", progress=progress)
        sizes = [d["n_documents"] for d in described]
        keys = [d["key"] for d in described]
        odd = [i for i, d in enumerate(described) if d["vocabulary"] != described[0]["vocabulary"]]
        if odd:
            raise ValueError(f"the shards' matrices have different vocabularies (shard {odd[0]} differs from shard 0): "
                             "build them with one vocabulary (discourse.engines.sharded.document_term_matrix does)")
        total = sum(sizes)
        if total < self.n_topics:
            raise ValueError(f"n_topics={self.n_topics} is more topics than documents ({total}) in the shards")
        rows = sample_positions(sizes, self.sample_size, self.random_state)
        picked = [i for i, r in enumerate(rows) if len(r)]
        parts = engine.map(_sample_rows, [(items[i], rows[i]) for i in picked], desc="shards: sample", progress=progress)
        lda_params = {name: getattr(self, name) for name in _LDA_PARAMS}
        model_key = _key("SampledLDA", lda_params, [(keys[i], rows[i].tolist()) for i in picked])
        model_path = str(work / f"model-{model_key[:16]}.discourse")
        engine.map(partial(_fit_sample, vocabulary_from=items[picked[0]], lda_params=lda_params, path=model_path), [parts],
                   desc="LDA on the sample", progress=progress)
        self.model_ = storage.load(model_path, expected=LDA)
        fold = [partial(_fold_in_shard, model_path=model_path, folder=str(work), model_key=model_key,
                        shard_key=keys[i], n_iter=self.fold_in_iter) for i in range(len(items))]
        summaries = engine.map(_call, list(zip(fold, items)), desc="shards: fold-in", progress=progress)
        return summaries, sizes, parts

    # ------------------------------------------------------------------ results
    def _check_fitted(self, attribute: str = "model_") -> None:
        if not hasattr(self, attribute):
            raise NotFittedError("this SampledLDA is not fitted yet: call fit(shards) first")

    def doc_topics(self, shard: int | None = None) -> np.ndarray:
        """Documents × topics proportions of one shard, or of the whole corpus stacked in shard order."""
        self._check_fitted()
        if self._doc_topics is not None:
            if shard is None:
                return self._doc_topics
            bounds = np.concatenate([[0], np.cumsum(self.shard_sizes_)])
            return self._doc_topics[bounds[shard]:bounds[shard + 1]]
        files = self.files_ if shard is None else [self.files_[shard]]
        return np.vstack([_read_topics(f)[1] for f in files])

    def doc_ids(self) -> list[str]:
        """The ids of every document, in shard order (the rows of :meth:`doc_topics`)."""
        self._check_fitted()
        if self._doc_ids is not None:
            return list(self._doc_ids)
        return [d for f in self.files_ for d in _read_topics(f)[0]]

    def document_topics(self) -> pd.DataFrame:
        """Tidy document–topic table of the whole corpus: ``doc_id``, ``topic``, ``weight``."""
        theta = self.doc_topics()
        k = theta.shape[1]
        return pd.DataFrame({
            "doc_id": np.repeat(np.array(self.doc_ids(), dtype=object), k),
            "topic": np.tile(np.array(self.model_.topic_ids_), theta.shape[0]),
            "weight": theta.ravel(),
        })

    def top_terms(self, n: int = 10, lam: float = 1.0) -> pd.DataFrame:
        """The fitted topics' top terms (:meth:`discourse.topics.LDA.top_terms`; term frequencies of the sample)."""
        self._check_fitted()
        return self.model_.top_terms(n, lam)

    def topic_words(self, n: int = 10) -> list[list[str]]:
        """The ``n`` most probable terms of each topic (the input of coherence measures)."""
        self._check_fitted()
        return self.model_.topic_words(n)


def _call(task: tuple[Any, Any]) -> Any:
    """Apply a prepared function to its shard (the engine maps one function over items)."""
    func, item = task
    return func(item)


def _read_topics(path: Path) -> tuple[list[str], np.ndarray]:
    frame = pd.read_parquet(path)
    return frame["doc_id"].astype(str).tolist(), frame.drop(columns=["doc_id", "length"]).to_numpy(dtype=np.float64)
