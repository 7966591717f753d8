"""NMF topics on scikit-learn, with the same learned attributes and tables as :class:`LDA`.

The matrix factorised is the tf-idf weighting of the counts (``tfidf=True``, the usual choice
for topics) or the raw counts. ``W`` (documents × topics) is kept raw in ``doc_weights_``;
``doc_topics_`` is ``W`` with rows scaled to sum to 1 (a document with an all-zero row gets
uniform weights and is listed in ``zero_documents_``). ``components_`` keeps ``H`` raw and
``topic_terms_`` is ``H`` with rows scaled to sum to 1.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from discourse import storage
from discourse.base import check_bool, check_choice, check_float, check_int, keyword_only
from discourse.dtm import DocumentTermMatrix
from discourse.topics.base import TopicModel, _is_float_or_none

__all__ = ["NMF"]

# the values scikit-learn's NMF accepts, checked before any work
INITS = ("random", "nndsvd", "nndsvda", "nndsvdar")
BETA_LOSSES = ("frobenius", "kullback-leibler", "itakura-saito")
SOLVERS = ("cd", "mu")


@storage.register
class NMF(TopicModel):
    """Non-negative matrix factorisation topics (scikit-learn ``NMF``).

    Parameters
    ----------
    n_topics : number of topics.
    init : scikit-learn initialisation (``"nndsvda"``: deterministic SVD-based start).
    random_state : seed (used by random initialisations).
    tfidf : factorise tf-idf weights (True) or raw counts (False).
    n_iter : maximum iterations of the solver.
    beta_loss, solver, alpha_W, alpha_H, l1_ratio : passed to scikit-learn.

    Example
    -------
    >>> from discourse import NMF
    >>> nmf = NMF(n_topics=20).fit(dtm)  # doctest: +SKIP
    >>> nmf.top_terms(10)  # doctest: +SKIP
    """

    _extra_arrays = {"doc_weights_": ("D", "K"), "components_": ("K", "V"), "idf_": ("V",)}
    _extra_scalars = {
        "reconstruction_err_": _is_float_or_none,
        "zero_documents_": lambda v: isinstance(v, list) and all(isinstance(d, str) for d in v),
    }

    @keyword_only
    def __init__(
        self,
        n_topics: int = 10,
        *,
        init: str = "nndsvda",
        random_state: int | None = 0,
        tfidf: bool = True,
        n_iter: int = 200,
        beta_loss: str = "frobenius",
        solver: str = "cd",
        alpha_W: float = 0.0,
        alpha_H: float | str = "same",
        l1_ratio: float = 0.0,
    ) -> None:
        self.n_topics = n_topics
        self.init = init
        self.random_state = random_state
        self.tfidf = tfidf
        self.n_iter = n_iter
        self.beta_loss = beta_loss
        self.solver = solver
        self.alpha_W = alpha_W
        self.alpha_H = alpha_H
        self.l1_ratio = l1_ratio

    def _check_params(self) -> None:
        """Every parameter checked without data (``fit`` calls it first; so does ``discourse check``)."""
        check_int("n_topics", self.n_topics, minimum=1)
        if self.init is not None:
            check_choice("init", self.init, INITS)
        if not (self.random_state is None or isinstance(self.random_state, np.random.Generator)):
            check_int("random_state", self.random_state, minimum=0)
        check_bool("tfidf", self.tfidf)
        check_int("n_iter", self.n_iter, minimum=1)
        if isinstance(self.beta_loss, str):
            check_choice("beta_loss", self.beta_loss, BETA_LOSSES)
        else:
            check_float("beta_loss", self.beta_loss)
        check_choice("solver", self.solver, SOLVERS)
        if self.solver == "cd" and self.beta_loss not in ("frobenius", 2, 2.0):
            raise ValueError(f"beta_loss={self.beta_loss!r} needs solver='mu' (solver='cd' handles only 'frobenius')")
        check_float("alpha_W", self.alpha_W, minimum=0.0)
        if self.alpha_H != "same":
            check_float("alpha_H", self.alpha_H, minimum=0.0)
        check_float("l1_ratio", self.l1_ratio, minimum=0.0, maximum=1.0)

    def _sk_params(self) -> dict[str, Any]:
        return dict(n_components=self.n_topics, init=self.init, random_state=self.random_state, max_iter=self.n_iter,
                    beta_loss=self.beta_loss, solver=self.solver, alpha_W=self.alpha_W, alpha_H=self.alpha_H, l1_ratio=self.l1_ratio)

    def fit(self, dtm: DocumentTermMatrix, y: Any = None) -> NMF:
        """Factorise the (tf-idf weighted) matrix; returns the fitted model."""
        from sklearn.decomposition import NMF as SkNMF

        self._check_params()
        self._check_input(dtm)
        if self.n_topics > dtm.shape[1]:
            # a factorisation of rank K needs K <= number of terms (scikit-learn's SVD start fails otherwise)
            raise ValueError(f"n_topics={self.n_topics} is more topics than terms in the matrix ({dtm.shape[1]}): "
                             f"NMF finds at most {dtm.shape[1]}; choose n_topics <= {dtm.shape[1]} or a larger vocabulary")
        idf = dtm.idf() if self.tfidf else None
        x = dtm.tfidf(idf=idf) if self.tfidf else dtm.matrix.astype(np.float64)
        model = SkNMF(**self._sk_params())
        w = model.fit_transform(x)
        h = model.components_
        # keep the raw factors too, in the prevalence order fixed by _set_state
        order = self._set_state(dtm, w, h)
        self.doc_weights_ = w[:, order]
        self.components_ = h[order]
        self.idf_ = idf if idf is not None else np.ones(dtm.shape[1])
        self.zero_documents_ = [dtm.doc_ids[i] for i in np.flatnonzero(w.sum(axis=1) == 0)]
        self.n_iter_ = int(model.n_iter_)
        self.reconstruction_err_ = float(model.reconstruction_err_)
        self.backend_model_ = model
        return self

    def transform(self, dtm: DocumentTermMatrix) -> np.ndarray:
        """Topic proportions of (new) documents: ``W`` solved for the fixed ``H``, rows scaled to 1."""
        from sklearn.decomposition import non_negative_factorization

        from discourse.topics.base import _normalise_rows

        self._check_fitted()
        counts = self._align(dtm)
        x = DocumentTermMatrix(counts, self.vocabulary_, dtm.doc_ids).tfidf(idf=self.idf_) if self.tfidf else counts.astype(np.float64)
        params = self._sk_params()
        params.pop("init")
        params.pop("n_components")
        w, _, _ = non_negative_factorization(x, H=np.asarray(self.components_, dtype=np.float64), n_components=self.n_topics, init="custom", update_H=False, **params)
        return _normalise_rows(w)

    def fit_transform(self, dtm: DocumentTermMatrix, y: Any = None) -> np.ndarray:
        """Fit, then return ``doc_topics_``."""
        return self.fit(dtm).doc_topics_
