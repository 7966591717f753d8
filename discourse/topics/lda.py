"""LDA with one interface over three engines: tomotopy (default), gensim and scikit-learn.

- ``backend="tomotopy"``: collapsed Gibbs sampling (``tomotopy.LDAModel``), the fastest engine;
  ``n_iter`` Gibbs sweeps (default 200). tomotopy optimises an asymmetric ``alpha`` every 10
  sweeps (its default ``optim_interval``; ``optimize_alpha=False`` keeps it fixed). It samples
  on ``n_jobs`` threads (default 2) with tomotopy's partition scheme, which is reproducible:
  each thread owns a fixed block of the vocabulary and a fixed stripe of the documents, with
  its own random generator, and the blocks are merged in a fixed order, so thread timing never
  reaches the result. The topics depend on the number of threads, not on the number of cores:
  a given ``random_state`` and ``n_jobs`` give the same topics on a one-core laptop and on a
  server (tested with both threads pinned to one core). tomotopy's other scheme (copy and
  merge) depends on timing and is never used.
- ``backend="gensim"``: online variational Bayes (``gensim.models.LdaModel``, single process,
  ``n_iter`` passes, default 10). ``LdaMulticore`` is not used: on few cores it is slower.
- ``backend="sklearn"``: variational Bayes (``LatentDirichletAllocation``), ``learning_method``
  ``"batch"`` (default) or ``"online"``, ``n_iter`` = ``max_iter`` (default 10).

``eta`` left as None is 1/K for every engine (gensim's and scikit-learn's default; tomotopy's
own default is 0.01): on the Assemblée sittings, the legal codes and the Europarl speeches, 1/K
gave better held-out likelihood, c_npmi and agreement with known labels than 0.01, at the cost
of slightly less distinct topics (lower diversity and exclusivity); see
``benchmarks/eval_topic_priors/results/topic_priors.md``. ``alpha`` left as None uses each engine's default
(tomotopy 0.1, optimised as above; gensim and scikit-learn 1/K).

``transform`` of new documents uses the saved topics, whatever the engine (a fixed-point
fold-in, see :func:`fold_in`), so it also works after ``load``.

Seeded LDA: ``seed_terms={"antiterrorisme": ["terrorisme", "attentat"]}`` gives those terms a
prior of ``eta / 100`` in every topic but one, and in that one a prior of ``seed_weight``, or
when it is None: 1.0 with tomotopy (``set_word_prior``), the square root of the term's count in
the matrix (at least 1) with gensim (a K × V ``eta`` matrix). The topic keeps its label in
``topic_labels_``. tomotopy draws each word's first topic in proportion to its prior, so the
seed terms start in their topic. gensim starts from random topics, and its first pass spread the
seed terms over all of them; the old remedy, a prior as large as the term's count, kept the
seeds on top but left to chance which documents the topic got. gensim is now started with every
occurrence of a seed term in its topic (:func:`_seed_start`): the documents that carry the seeds
bring their other words, and the topic is about its seeds' subject. Measured over five random
states and 3-20 passes (``benchmarks/eval_seeded_gensim``): on the tests' legal codes the seeded
topic is the dominant topic of 73-100 % of its code's articles (93-96 % on average), against
0-75 % (21-24 %) before; on the Europarl speeches, of 67-93 % of its agenda item's speeches
against 0-48 %. The ``eta / 100`` elsewhere keeps the seed terms there for good: in variational
Bayes such a prior with no counts weighs about ``exp(-100 / eta)``, 0 at the default eta, so with
gensim every occurrence of a seed term stays in its topic (tomotopy's sampler may move one; on the tests' legal codes it kept
all 200 seed tokens in their topics too). Why the square root: with the seeded start, a prior of
1 let one fit in five drift to a large topic that no longer dominated its code's articles (3 %
of them after 20 passes), and the full count gave narrower topics that matched the Europarl
agenda items less often (67-74 % on average against 76-82 %); the square root, about one
standard deviation of the count, did neither.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import scipy.sparse as sp

from discourse import storage
from discourse._optional import require
from discourse.base import (
    _is_int, check_bool, check_choice, keyword_only, check_float, check_int, check_n_jobs, effective_n_jobs,
)
from discourse.dtm import DocumentTermMatrix
from discourse.topics.base import TopicModel, _is_float_or_none

__all__ = ["LDA", "fold_in", "BACKENDS"]

BACKENDS = ("tomotopy", "gensim", "sklearn")
_DEFAULT_ITER = {"tomotopy": 200, "gensim": 10, "sklearn": 10}


def fold_in(counts: sp.csr_matrix, topic_terms: np.ndarray, alpha: np.ndarray | float, n_iter: int = 100, tol: float = 1e-6, chunk: int = 4096) -> np.ndarray:
    """Topic proportions of documents for fixed topics (EM on the document's proportions only).

    Each step computes the responsibility of each topic for each term of the document and sets
    ``theta_k ∝ alpha_k + sum_w n_w r_wk``. Deterministic (starts from uniform proportions).

    Example
    -------
    >>> phi = np.array([[0.9, 0.1], [0.1, 0.9]])
    >>> fold_in(sp.csr_matrix([[5, 0]]), phi, 0.01).round(2).tolist()
    [[1.0, 0.0]]
    """
    counts = sp.csr_matrix(counts, dtype=np.float64)
    n_docs = counts.shape[0]
    k = topic_terms.shape[0]
    alpha = np.broadcast_to(np.asarray(alpha, dtype=np.float64), (k,))
    out = np.empty((n_docs, k))
    phi_t = np.ascontiguousarray(topic_terms.T)  # terms × topics
    for a in range(0, n_docs, chunk):
        block = counts[a:a + chunk]
        rows = np.repeat(np.arange(block.shape[0]), np.diff(block.indptr))
        phi_nz = phi_t[block.indices]  # nnz × K
        theta = np.full((block.shape[0], k), 1.0 / k)
        # sums the rows of an nnz × K array per document
        gather = sp.csr_matrix((np.ones(rows.size), (rows, np.arange(rows.size))), shape=(block.shape[0], rows.size))
        for _ in range(n_iter):
            weighted = theta[rows] * phi_nz
            denom = weighted.sum(axis=1)
            denom[denom == 0] = 1.0
            resp = weighted * (block.data / denom)[:, None]
            new = gather @ resp
            new += alpha[None, :]
            new /= new.sum(axis=1, keepdims=True)
            delta = np.abs(new - theta).max() if new.size else 0.0
            theta = new
            if delta < tol:
                break
        out[a:a + chunk] = theta
    return out


@storage.register
class LDA(TopicModel):
    """Latent Dirichlet allocation, in scikit-learn style.

    Parameters
    ----------
    n_topics : number of topics K.
    backend : ``"tomotopy"`` (default), ``"gensim"`` or ``"sklearn"``.
    alpha : document-topic prior (None = the engine's default: tomotopy 0.1, optimised; gensim
        and scikit-learn 1/K).
    eta : topic-word prior (None = 1/K, whatever the engine).
    n_iter : Gibbs sweeps (tomotopy), passes (gensim) or max_iter (scikit-learn); None = 200/10/10.
    random_state : seed; the same seed and ``n_jobs`` give the same topics.
    n_jobs : threads, read as in scikit-learn (-1 = all cores, -2 = all but one).
        None = 2 for tomotopy (reproducible, see the module notes; a different number of
        threads gives different, equally reproducible topics) and 1 for scikit-learn (joblib
        jobs); gensim's LdaModel runs in one process whatever the value. With tomotopy a
        negative value makes the topics depend on the machine's number of cores: it warns, and
        the number used is kept in ``n_jobs_``.
    seed_terms : {label: [terms]} for seeded (guided) topics (tomotopy and gensim).
    seed_weight : prior (pseudo-count) of every seed term in its own topic. None = 1.0 with
        tomotopy, and with gensim the square root of the term's count in the matrix (at least 1),
        per term: gensim adds it to the term's expected count in the topic, where the seeded start
        has put all its occurrences (see the module notes). The ``eta / 100`` in the other topics
        is what anchors a term; a larger ``seed_weight`` narrows the topic on its seeds.
    learning_method : scikit-learn only, ``"batch"`` or ``"online"``.
    progress : show a progress bar while fitting.
    optimize_alpha : tomotopy only. None or True: re-estimate an asymmetric ``alpha`` every 10
        sweeps (tomotopy's default); False: keep ``alpha`` fixed at its starting value (symmetric
        0.1 when ``alpha`` is None; at K = 20 it gave more coherent topics, at K = 50 less:
        ``benchmarks/eval_topic_defaults/results/topic_defaults.md``). gensim and scikit-learn always keep ``alpha``
        fixed here.

    Attributes (after ``fit``)
    --------------------------
    doc_topics_, topic_terms_, vocabulary_, doc_ids_, topic_ids_, topic_labels_,
    topic_prevalence_, alpha_, n_iter_, log_likelihood_ (per word, tomotopy's training value;
    None for gensim and scikit-learn, where it would cost another pass over the corpus),
    backend_model_ (the engine's own object; not saved).

    Example
    -------
    >>> from discourse import DocumentTermMatrix, LDA
    >>> lda = LDA(n_topics=20, random_state=0).fit(dtm)  # doctest: +SKIP
    >>> lda.top_terms(10, lam=0.6)  # doctest: +SKIP
    """

    _extra_arrays = {"alpha_": ("K",)}
    _extra_scalars = {"log_likelihood_": _is_float_or_none}

    @keyword_only
    def __init__(
        self,
        n_topics: int = 10,
        *,
        backend: str = "tomotopy",
        alpha: float | list[float] | None = None,
        eta: float | None = None,
        n_iter: int | None = None,
        random_state: int | None = 0,
        n_jobs: int | None = None,
        seed_terms: dict[str, list[str]] | None = None,
        seed_weight: float | None = None,
        learning_method: str = "batch",
        progress: bool = False,
        optimize_alpha: bool | None = None,
    ) -> None:
        self.n_topics = n_topics
        self.backend = backend
        self.alpha = alpha
        self.eta = eta
        self.n_iter = n_iter
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.seed_terms = seed_terms
        self.seed_weight = seed_weight
        self.learning_method = learning_method
        self.progress = progress
        self.optimize_alpha = optimize_alpha

    # ------------------------------------------------------------------ fit
    def fit(self, dtm: DocumentTermMatrix, y: Any = None) -> LDA:
        """Fit on a document-term matrix; returns the fitted model."""
        self._check_params()
        self._check_input(dtm)
        seeds = self._seed_table(dtm)
        n_iter = self.n_iter if self.n_iter is not None else _DEFAULT_ITER[self.backend]
        fit = {"tomotopy": self._fit_tomotopy, "gensim": self._fit_gensim, "sklearn": self._fit_sklearn}[self.backend]
        doc_topics, topic_terms, alpha, extra = fit(dtm, n_iter, seeds)
        labels = [None] * self.n_topics
        for label, (topic, _) in seeds.items():
            labels[topic] = label
        self._set_state(dtm, doc_topics, topic_terms, labels, {"alpha_": np.broadcast_to(np.asarray(alpha, dtype=np.float64), (self.n_topics,)).copy()})
        self.n_iter_ = n_iter
        for key, value in extra.items():
            setattr(self, key, value)
        return self

    def _check_params(self) -> None:
        """Every parameter checked without data (``fit`` calls it first; so does ``discourse check``)."""
        check_int("n_topics", self.n_topics, minimum=1)
        check_choice("backend", self.backend, BACKENDS)
        if isinstance(self.alpha, (list, tuple, np.ndarray)):  # an asymmetric prior, one value a topic
            for i, a in enumerate(self.alpha):
                check_float(f"alpha[{i}]", a, minimum=0.0, exclusive_minimum=True)
        else:
            check_float("alpha", self.alpha, minimum=0.0, exclusive_minimum=True, allow_none=True)
        check_float("eta", self.eta, minimum=0.0, exclusive_minimum=True, allow_none=True)
        check_int("n_iter", self.n_iter, minimum=1, allow_none=True)
        check_n_jobs("n_jobs", self.n_jobs)
        if not (self.random_state is None or isinstance(self.random_state, np.random.Generator)):
            check_int("random_state", self.random_state, minimum=0)
        if self.seed_terms is not None and not isinstance(self.seed_terms, dict):
            raise ValueError(f"seed_terms must be a mapping {{label: [terms]}}, not {self.seed_terms!r}")
        if self.seed_terms and self.backend == "sklearn":
            raise ValueError("seed_terms: seeded topics need backend='tomotopy' or 'gensim' (scikit-learn has no word priors)")
        if self.seed_terms and _is_int(self.n_topics) and len(self.seed_terms) > self.n_topics:
            raise ValueError(f"seed_terms: {len(self.seed_terms)} seeded topics for n_topics={self.n_topics}")
        check_float("seed_weight", self.seed_weight, minimum=0.0, exclusive_minimum=True, allow_none=True)
        check_choice("learning_method", self.learning_method, ("batch", "online"))
        check_bool("progress", self.progress)
        if not (self.optimize_alpha is None or isinstance(self.optimize_alpha, (bool, np.bool_))):
            raise ValueError(f"optimize_alpha must be True, False or None, not {self.optimize_alpha!r}")
        if self.optimize_alpha and self.backend != "tomotopy":
            raise ValueError(f"optimize_alpha=True needs backend='tomotopy' ({self.backend} keeps alpha fixed here)")

    def _n_jobs(self, default: int) -> int:
        """``n_jobs`` as scikit-learn reads it, or the engine's default when it is None."""
        n = effective_n_jobs(self.n_jobs, default=default)
        if self.backend == "tomotopy" and self.n_jobs is not None and self.n_jobs < 0:
            warnings.warn(f"n_jobs={self.n_jobs} gives {n} threads on this machine: tomotopy's topics depend on the "
                          "number of threads, so another machine gives other topics; give a positive n_jobs to "
                          "reproduce them", UserWarning, stacklevel=4)
        self.n_jobs_ = n
        return n

    def _eta(self) -> float:
        """The topic-word prior: ``eta``, or 1/K for every engine when it is None."""
        return float(self.eta) if self.eta is not None else 1.0 / self.n_topics

    def _seed_table(self, dtm: DocumentTermMatrix) -> dict[str, tuple[int, list[int]]]:
        """label -> (topic number, columns of its seed terms); checks the seeds."""
        if not self.seed_terms:
            return {}
        table = {}
        owner: dict[str, str] = {}
        for topic, (label, terms) in enumerate(self.seed_terms.items()):
            if isinstance(terms, str):
                raise TypeError(f"seed terms of {label!r} must be a list of terms, not a string")
            for t in terms:
                # the last topic's prior would silently replace the first's (both engines)
                if owner.setdefault(t, label) != label:
                    raise ValueError(f"seed term {t!r} is given to two topics, {owner[t]!r} and {label!r}")
            cols = [dtm.term_index[t] for t in terms if t in dtm.term_index]
            missing = [t for t in terms if t not in dtm.term_index]
            if not cols:
                raise ValueError(f"none of the seed terms of {label!r} is in the vocabulary ({terms})")
            if missing:
                warnings.warn(f"seed terms of {label!r} not in the vocabulary, ignored: {missing}", stacklevel=3)
            table[str(label)] = (topic, cols)
        return table

    def _fit_tomotopy(self, dtm: DocumentTermMatrix, n_iter: int, seeds: dict) -> tuple:
        with warnings.catch_warnings():
            # tomotopy's compiled module triggers "builtin type _VocabDict has no __module__"
            # on Python >= 3.11 at import: not ours to fix, and fatal under -W error.
            warnings.filterwarnings("ignore", message=r"builtin type .* has no __module__", category=DeprecationWarning)
            import tomotopy as tp

        # random_state=None: a fresh seed each fit (not reproducible), as in scikit-learn
        seed = int(np.random.default_rng().integers(2**31)) if self.random_state is None else int(self.random_state)
        kwargs: dict[str, Any] = {"k": self.n_topics, "seed": seed, "eta": self._eta()}
        if self.alpha is not None:
            kwargs["alpha"] = self.alpha
        model = tp.LDAModel(**kwargs)
        if self.optimize_alpha is not None and not self.optimize_alpha:
            model.optim_interval = 0  # tomotopy's switch for keeping alpha at its starting value
        for words in dtm.to_word_lists():
            model.add_doc(words)
        eta = model.eta
        for _, (topic, cols) in seeds.items():
            prior = [eta / 100.0] * self.n_topics
            prior[topic] = float(self.seed_weight) if self.seed_weight is not None else 1.0
            for c in cols:
                model.set_word_prior(dtm.vocabulary[c], prior)
        # the partition scheme, named rather than left to tomotopy's DEFAULT, is the reproducible one
        train = {"workers": self._n_jobs(default=2), "parallel": tp.ParallelScheme.PARTITION}
        with warnings.catch_warnings():
            # tomotopy warns for any workers != 1; that is true of copy-and-merge, not of partition
            warnings.filterwarnings("ignore", message="The training result may differ", category=RuntimeWarning)
            if self.progress:
                # tomotopy 0.14 recurses forever when show_progress is used without a callback
                # (its two branches are swapped); with any callback it draws its own tqdm bar.
                model.train(n_iter, show_progress=True, callback=_no_op, callback_interval=max(1, n_iter // 100), **train)
            else:
                model.train(n_iter, **train)
        used = model.used_vocabs
        index = dtm.term_index
        cols = np.array([index[w] for w in used], dtype=np.int64)
        topic_terms = np.zeros((self.n_topics, dtm.shape[1]))
        for k in range(self.n_topics):
            topic_terms[k, cols] = model.get_topic_word_dist(k)
        # document-topic proportions from the sampler's final assignments, (n_dk + alpha_k) / (n_d + sum alpha),
        # as tomotopy's get_topic_dist computes them but in one vectorised count (float64)
        assignments = [d.topics for d in model.docs]
        lengths = np.fromiter((len(a) for a in assignments), dtype=np.int64, count=len(assignments))
        flat = np.concatenate(assignments).astype(np.int64) if assignments else np.zeros(0, dtype=np.int64)
        doc = np.repeat(np.arange(lengths.size, dtype=np.int64), lengths)
        counts = np.bincount(doc * self.n_topics + flat, minlength=lengths.size * self.n_topics).reshape(lengths.size, self.n_topics)
        alpha_vec = np.broadcast_to(np.asarray(model.alpha, dtype=np.float64), (self.n_topics,))
        doc_topics = (counts + alpha_vec) / (lengths[:, None] + alpha_vec.sum())
        extra = {"log_likelihood_": float(model.ll_per_word), "backend_model_": model}
        return doc_topics, topic_terms, np.asarray(model.alpha, dtype=np.float64), extra

    def _fit_gensim(self, dtm: DocumentTermMatrix, n_iter: int, seeds: dict) -> tuple:
        require("gensim", "gensim", "LDA(backend='gensim')")
        from gensim.models import LdaModel

        dictionary, bow = dtm.to_gensim()
        k = self.n_topics
        eta: Any = self._eta()
        if seeds:
            if self.seed_weight is not None:
                weight: float | np.ndarray = float(self.seed_weight)
            else:
                # one standard deviation of the term's count (Poisson): enough to hold the topic on
                # its seeds, too little to outweigh the documents (benchmarks/eval_seeded_gensim)
                weight = np.maximum(1.0, np.sqrt(np.asarray(dtm.matrix.sum(axis=0), dtype=np.float64).ravel()))
            eta = _seed_prior(k, dtm.shape[1], eta, seeds, weight)
        settings = {
            "id2word": dictionary, "num_topics": k, "passes": n_iter, "iterations": 50,
            "alpha": self.alpha if self.alpha is not None else "symmetric", "eta": eta,
            "random_state": self.random_state, "eval_every": None, "chunksize": 2000,
        }
        if seeds:
            # built untrained, its starting topics seeded, then trained (see _seed_start)
            model = LdaModel(**settings)
            _seed_start(model, dtm, seeds)
            model.update(bow)
        else:
            model = LdaModel(corpus=bow, **settings)
        doc_topics = np.vstack([model.inference(bow[a:a + 2000])[0] for a in range(0, len(bow), 2000)])
        topic_terms = model.get_topics()
        # gensim's bound needs one more pass over the corpus: not computed here (see evaluate.held_out_log_likelihood)
        extra = {"log_likelihood_": None, "backend_model_": model}
        return doc_topics, topic_terms, np.asarray(model.alpha, dtype=np.float64), extra

    def _fit_sklearn(self, dtm: DocumentTermMatrix, n_iter: int, seeds: dict) -> tuple:
        from sklearn.decomposition import LatentDirichletAllocation

        model = LatentDirichletAllocation(
            n_components=self.n_topics, doc_topic_prior=self.alpha, topic_word_prior=self._eta(),
            learning_method=self.learning_method, max_iter=n_iter, random_state=self.random_state,
            n_jobs=self._n_jobs(default=1), verbose=int(bool(self.progress)),
        )
        x = dtm.matrix.astype(np.float64)
        doc_topics = model.fit_transform(x)
        alpha = self.alpha if self.alpha is not None else 1.0 / self.n_topics
        # model.score would cost one more pass over the corpus: left to evaluate.held_out_log_likelihood
        extra = {"log_likelihood_": None, "backend_model_": model}
        return doc_topics, model.components_, alpha, extra

    # ------------------------------------------------------------------ new documents
    def transform(self, dtm: DocumentTermMatrix, n_iter: int = 100) -> np.ndarray:
        """Topic proportions of (new) documents, terms aligned on the model's vocabulary by name.

        Uses the fitted topics and ``alpha_`` (:func:`fold_in`), the same for every engine, so a
        loaded model gives the same answer. Terms the model never saw are ignored; a document
        with none of the model's terms gets the normalised prior.
        """
        self._check_fitted()
        counts = self._align(dtm)
        return fold_in(counts, self.topic_terms_, self.alpha_, n_iter=n_iter)

    def fit_transform(self, dtm: DocumentTermMatrix, y: Any = None) -> np.ndarray:
        """Fit, then return ``doc_topics_``."""
        return self.fit(dtm).doc_topics_


def _seed_prior(k: int, v: int, base: float, seeds: dict[str, tuple[int, list[int]]], weight: float | np.ndarray) -> np.ndarray:
    """The K × V topic-word prior of a seeded gensim model: ``base`` everywhere, and for each seed
    term ``weight`` (one number, or one per term of the vocabulary) in its topic and ``base / 100``
    in the others (tomotopy's prior has the same shape).

    Example
    -------
    >>> _seed_prior(2, 3, 0.5, {"pénal": (0, [1])}, 1.0).tolist()
    [[0.5, 1.0, 0.5], [0.5, 0.005, 0.5]]
    """
    eta = np.full((k, v), float(base))
    weights = np.broadcast_to(np.asarray(weight, dtype=np.float64), (v,))
    for topic, cols in seeds.values():
        eta[:, cols] = base / 100.0
        eta[topic, cols] = weights[cols]
    return eta


def _seed_start(model: Any, dtm: DocumentTermMatrix, seeds: dict[str, tuple[int, list[int]]]) -> None:
    """Start an untrained gensim ``LdaModel`` with every occurrence of a seed term in its topic.

    Why: gensim starts from random expected counts (about 1 in every topic × term cell) and its
    first E-step ignores ``eta``, so the first pass spreads the seed terms evenly over the K
    topics and the prior must then pull them back by weight alone; with a prior strong enough to
    do so (the old default, the term's count) the seeds stay on top, but which documents the topic
    gets is left to the random start (``benchmarks/eval_seeded_gensim``: on the tests' legal
    codes, none of its code's articles for half the (fit, seeded topic) pairs).
    Here the starting counts of a seed term are its corpus count in its topic and 0 in the others:
    the expected counts of a model in which that topic owns the term (tomotopy starts close to
    this, as it draws a word's first topic in proportion to its prior). The first E-step then
    gives the seed tokens to their topic, and the documents that carry them lend it their other
    words. The prior keeps it so: in variational Bayes, ``exp(E[log beta])`` of a cell whose
    parameter is ``eta / 100`` with no counts is about ``exp(-100 / eta)`` (0 in floating point at
    the default eta = 1/K, negligible up to eta = 1), so the other topics never take a seed token
    back.
    """
    counts = np.asarray(dtm.matrix.sum(axis=0), dtype=np.float64).ravel()
    sstats = model.state.sstats
    for topic, cols in seeds.values():
        sstats[:, cols] = 0.0
        sstats[topic, cols] = counts[cols]
    model.sync_state()  # exp(E[log beta]) of the first E-step from these counts and eta


def _no_op(*args: object) -> None:
    """A training callback that does nothing (see the tomotopy progress note in ``fit``)."""
