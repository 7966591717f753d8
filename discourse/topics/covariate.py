"""Topic models that use document metadata: DMR (prior by group) and dynamic topics (words over time).

Both are tomotopy's samplers behind the interface of :class:`~discourse.topics.LDA` (the same
``doc_topics_``, ``topic_terms_``, ``top_terms``…), reproducible in the same way: a fixed
``random_state`` and a fixed number of threads ``n_jobs`` (default 2, tomotopy's partition
scheme) give the same topics on any machine.

- :class:`DMR` — Dirichlet-multinomial regression (Mimno & McCallum 2008, ``tomotopy.DMRModel``):
  the Dirichlet prior of a document's topics is exp(λ_g) for its group g (a party, a month…), so
  groups may have different typical topic mixes. ``topic_prior()`` gives the prior proportions
  by group.
- :class:`DynamicLDA` — dynamic topic model (Blei & Lafferty 2006, ``tomotopy.DTModel``): each
  topic's words drift from one time point to the next. ``term_drift()`` and
  ``top_terms_over_time()`` give the words of a topic at each time point. A rerun gives the same
  topic assignments; tomotopy computes the word distributions in float32 and their last digit
  may differ between runs (relative differences of about 1e-7).

Both are saved and loaded like :class:`LDA` (``save``/``load``, :mod:`discourse.storage`), with
their own learned arrays (``lambda_``, ``topic_terms_over_time_``) checked on loading.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from discourse import storage
from discourse.base import check_int, check_n_jobs, deprecated_alias, effective_n_jobs
from discourse.dtm import DocumentTermMatrix
from discourse.topics.base import TopicModel

__all__ = ["DMR", "DynamicLDA"]


def _train(model: Any, n_iter: int, n_jobs: int) -> None:
    import tomotopy as tp

    with warnings.catch_warnings():
        # tomotopy warns for any workers != 1; that is true of copy-and-merge, not of partition
        warnings.filterwarnings("ignore", message="The training result may differ", category=RuntimeWarning)
        model.train(n_iter, workers=n_jobs, parallel=tp.ParallelScheme.PARTITION)


def _assignment_counts(model: Any, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Topic counts per document (documents × k) and document lengths, from the final assignments."""
    assignments = [np.asarray(d.topics, dtype=np.int64) for d in model.docs]
    lengths = np.array([a.size for a in assignments], dtype=np.int64)
    counts = np.zeros((len(assignments), k))
    for i, a in enumerate(assignments):
        counts[i] = np.bincount(a, minlength=k)
    return counts, lengths


def _topic_terms(model: Any, dtm: DocumentTermMatrix, k: int, **kwargs: Any) -> np.ndarray:
    cols = np.array([dtm.term_index[w] for w in model.used_vocabs], dtype=np.int64)
    out = np.zeros((k, dtm.shape[1]))
    for t in range(k):
        out[t, cols] = model.get_topic_word_dist(t, **kwargs)
    return out


class _CovariateModel(TopicModel):
    _extra_scalars = {"log_likelihood_": lambda v: isinstance(v, float)}
    # a learned array whose first axis is neither documents, topics nor terms: (name, info key of its labels)
    _labelled_array: tuple[str, str] = ("", "")

    def _get_state(self) -> dict[str, Any]:
        state = super()._get_state()
        name, key = self._labelled_array
        state["arrays"][name] = getattr(self, name)
        state["info"][key] = getattr(self, key)
        return state

    @classmethod
    def _from_state(cls, params: dict[str, Any], info: dict[str, Any], arrays: dict[str, np.ndarray],
                    tables: dict[str, pd.DataFrame]) -> Any:
        name, key = cls._labelled_array
        arrays = dict(arrays)
        extra = arrays.pop(name, None)
        if extra is None:
            raise ValueError(f"no array {name!r} in a {cls.__name__} file")
        labels = storage.check_strings(key, info.get(key))
        model = super()._from_state(params, info, arrays, tables)
        k, v = model.topic_terms_.shape
        shape = (k, len(labels)) if name == "lambda_" else (len(labels), k, v)
        setattr(model, name, storage.check_shape(name, extra, shape))
        if not np.isfinite(extra).all():
            raise ValueError(f"{name!r} holds non-finite values")
        setattr(model, key, labels)
        return model

    def _check_params(self) -> None:
        """The parameters every covariate model shares, checked without data (``fit`` calls it first)."""
        check_int("n_topics", self.n_topics, minimum=2)
        check_int("n_iter", self.n_iter, minimum=1)
        check_n_jobs("n_jobs", self.n_jobs)
        check_int("random_state", self.random_state, minimum=0)

    def _threads(self) -> int:
        """``n_jobs`` read as in scikit-learn (None: 2); a negative value warns, as in :class:`LDA`."""
        n = effective_n_jobs(self.n_jobs, default=2)
        if self.n_jobs is not None and self.n_jobs < 0:
            warnings.warn(f"n_jobs={self.n_jobs} gives {n} threads on this machine: the topics depend on the number of "
                          "threads, so another machine gives other topics; give a positive n_jobs to reproduce them",
                          UserWarning, stacklevel=3)
        self.n_jobs_ = n
        return n

    def _check_common(self, dtm: DocumentTermMatrix, column: str) -> pd.Series:
        self._check_params()
        self._check_input(dtm)
        if column not in dtm.metadata.columns:
            raise KeyError(f"no metadata column {column!r}; columns are {list(dtm.metadata.columns)}")
        values = dtm.metadata[column]
        if values.isna().any():
            missing = [dtm.doc_ids[i] for i in np.flatnonzero(values.isna().to_numpy())]
            raise ValueError(f"{len(missing)} documents have no value in {column!r} (first: {missing[:3]}): "
                             "drop them (dtm.select_documents) or fill the column")
        return values


@storage.register
class DMR(_CovariateModel):
    """LDA whose topic prior depends on a categorical metadata column (see the module notes).

    Parameters
    ----------
    n_topics, eta (None = 1/K), n_iter (Gibbs sweeps), random_state, n_jobs : as :class:`LDA`.
    covariate : the metadata column (party, month…) whose groups get their own prior
        (``metadata=``, its former name, is deprecated: elsewhere ``metadata`` is a table).
    sigma : standard deviation of the normal prior on λ (tomotopy's default 1.0).

    Attributes
    ----------
    lambda_ : topics × groups; with ``groups_``, and the attributes of :class:`LDA`
    doc_alpha_ : each document's prior, documents × topics

    Example
    -------
    >>> dmr = DMR(n_topics=10, covariate="group", random_state=0).fit(dtm)  # doctest: +SKIP
    >>> dmr.topic_prior()  # doctest: +SKIP
    """

    _extra_arrays = {"alpha_": ("K",), "doc_alpha_": ("D", "K")}
    _labelled_array = ("lambda_", "groups_")

    def __init__(self, n_topics: int = 10, *, covariate: str = "group", eta: float | None = None, sigma: float = 1.0,
                 n_iter: int = 200, random_state: int = 0, n_jobs: int = 2, metadata: str | None = None) -> None:
        self.n_topics = n_topics
        self.covariate = covariate
        self.metadata = metadata  # deprecated: the former name of covariate (one release)
        if metadata is not None:
            deprecated_alias("DMR(metadata=)", "covariate= (metadata names a table elsewhere in the library)")
        self.eta = eta
        self.sigma = sigma
        self.n_iter = n_iter
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit(self, dtm: DocumentTermMatrix, y: Any = None) -> DMR:
        """Fit on a document-term matrix whose metadata hold the ``covariate`` column."""
        import tomotopy as tp

        values = self._check_common(dtm, self._covariate()).astype(str)
        k = self.n_topics
        model = tp.DMRModel(k=k, eta=float(self.eta) if self.eta is not None else 1.0 / k, sigma=float(self.sigma),
                            seed=int(self.random_state))
        for words, value in zip(dtm.to_word_lists(), values):
            model.add_doc(words, metadata=value)
        _train(model, self.n_iter, self._threads())
        groups = list(model.metadata_dict)
        lam = np.asarray(model.lambdas, dtype=np.float64)  # topics × groups (tomotopy's order)
        counts, lengths = _assignment_counts(model, k)
        group_index = np.array([groups.index(v) for v in values])
        doc_alpha = np.exp(lam[:, group_index].T) + float(model.alpha_epsilon)
        doc_topics = (counts + doc_alpha) / (lengths[:, None] + doc_alpha.sum(axis=1, keepdims=True))
        order = self._set_state(dtm, doc_topics, _topic_terms(model, dtm, k), None, {"lambda_": lam})
        self.doc_alpha_ = doc_alpha[:, order]
        self.alpha_ = self.doc_alpha_.mean(axis=0)
        self.groups_ = [str(g) for g in groups]
        self.n_iter_ = self.n_iter
        self.log_likelihood_ = float(model.ll_per_word)
        self.backend_model_ = model
        return self

    def _covariate(self) -> str:
        """``covariate``, or the deprecated ``metadata`` when that was given instead."""
        if self.metadata is None:
            return self.covariate
        if self.covariate != "group":
            raise ValueError("give covariate= only (metadata= is its deprecated former name)")
        return self.metadata

    def topic_prior(self) -> pd.DataFrame:
        """Prior topic proportions by group (exp λ normalised): one row a group and topic."""
        self._check_fitted()
        alpha = np.exp(self.lambda_)
        share = alpha / alpha.sum(axis=0, keepdims=True)
        return pd.DataFrame({self._covariate(): np.repeat(self.groups_, self.n_topics),
                             "topic": np.tile(self.topic_ids_, len(self.groups_)),
                             "prior_share": share.T.ravel()})


@storage.register
class DynamicLDA(_CovariateModel):
    """Dynamic topic model: topics whose words drift over time points (see the module notes).

    Parameters
    ----------
    n_topics, n_iter, random_state, n_jobs : as :class:`LDA`.
    time : metadata column of dates or ordered values; ``freq`` (e.g. "W" or "M") groups dates
        into periods; each distinct value (or period) is a time point, in order.
    alpha, eta : tomotopy's DTModel priors (its defaults 0.1 and 0.1).

    Attributes
    ----------
    time_points_ : labels of the time points; with the attributes of :class:`LDA`
    topic_terms_over_time_ : time points × topics × terms (``topic_terms_`` is their mean)
    """

    _extra_arrays = {"alpha_": ("K",)}
    _labelled_array = ("topic_terms_over_time_", "time_points_")

    def __init__(self, n_topics: int = 10, *, time: str = "date", freq: str | None = None, alpha: float = 0.1,
                 eta: float = 0.1, n_iter: int = 200, random_state: int = 0, n_jobs: int = 2) -> None:
        self.n_topics = n_topics
        self.time = time
        self.freq = freq
        self.alpha = alpha
        self.eta = eta
        self.n_iter = n_iter
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit(self, dtm: DocumentTermMatrix, y: Any = None) -> DynamicLDA:
        """Fit on a document-term matrix whose metadata hold the ``time`` column."""
        import tomotopy as tp

        values = self._check_common(dtm, self.time)
        if self.freq is not None:
            values = pd.to_datetime(values).dt.to_period(self.freq)
        points = sorted(values.unique().tolist())
        if len(points) < 2:
            raise ValueError(f"{self.time!r} has one time point only: nothing can drift")
        index = {p: i for i, p in enumerate(points)}
        k = self.n_topics
        model = tp.DTModel(k=k, t=len(points), alpha_var=float(self.alpha), eta_var=float(self.eta), seed=int(self.random_state))
        for words, value in zip(dtm.to_word_lists(), values):
            model.add_doc(words, timepoint=index[value])
        _train(model, self.n_iter, self._threads())
        doc_topics = np.vstack([np.asarray(d.get_topic_dist(), dtype=np.float64) for d in model.docs])
        over_time = np.stack([_topic_terms(model, dtm, k, timepoint=t) for t in range(len(points))])
        # tomotopy's float32 distributions sum to 1 only within ~2e-7: renormalised in float64
        over_time = over_time / over_time.sum(axis=2, keepdims=True)
        order = self._set_state(dtm, doc_topics, over_time.mean(axis=0), None)
        self.topic_terms_over_time_ = over_time[:, order]
        self.time_points_ = [p.strftime("%Y-%m-%d") if isinstance(p, pd.Timestamp) else str(p) for p in points]
        self.alpha_ = np.zeros(k)  # the draw of estimate_effect then uses the proportions' own spread
        self.n_iter_ = self.n_iter
        self.log_likelihood_ = float(model.ll_per_word)
        self.backend_model_ = model
        return self

    def term_drift(self, terms: list[str], topic: int) -> pd.DataFrame:
        """Probability of each of ``terms`` in ``topic`` at each time point: ``time``, ``term``, ``weight``."""
        self._check_fitted()
        index = {t: i for i, t in enumerate(self.vocabulary_)}
        missing = [t for t in terms if t not in index]
        if missing:
            raise KeyError(f"terms not in the vocabulary: {missing}")
        rows = [{"time": p, "term": t, "weight": self.topic_terms_over_time_[i, topic, index[t]]}
                for i, p in enumerate(self.time_points_) for t in terms]
        return pd.DataFrame(rows)

    def top_terms_over_time(self, topic: int, n: int = 10) -> pd.DataFrame:
        """The ``n`` most probable terms of ``topic`` at each time point: ``time``, ``rank``, ``term``, ``weight``."""
        self._check_fitted()
        rows = []
        for i, p in enumerate(self.time_points_):
            dist = self.topic_terms_over_time_[i, topic]
            for rank, j in enumerate(np.argsort(-dist, kind="stable")[:n], start=1):
                rows.append({"time": p, "rank": rank, "term": self.vocabulary_[j], "weight": dist[j]})
        return pd.DataFrame(rows)
