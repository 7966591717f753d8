"""What LDA and NMF share: input checks, topic ordering, top terms, vocabulary alignment, save/load.

Every fitted model holds ``doc_topics_`` (documents × topics, rows sum to 1),
``topic_terms_`` (topics × terms, rows sum to 1), ``vocabulary_``, ``doc_ids_`` and
``topic_ids_``. Topics are numbered by prevalence (topic 0 carries the largest share of the
corpus's tokens) and those numbers are the ids every table, figure and export uses.
Models are saved in the library's one container format (:mod:`discourse.storage`): data only,
every array checked against the others when it is read back.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from discourse import storage
from discourse.base import Estimator, NotFittedError
from discourse.dtm import DocumentTermMatrix

__all__ = ["TopicModel", "load_model", "NotFittedError"]

# The learned arrays every model saves, with their shapes in D (documents), K (topics), V (terms).
_ARRAYS = {
    "doc_topics_": ("D", "K"), "topic_terms_": ("K", "V"), "topic_prevalence_": ("K",),
    "term_counts_": ("V",), "doc_lengths_": ("D",),
}
# rows of these must be probability distributions
_DISTRIBUTIONS = ("doc_topics_", "topic_terms_")


class TopicModel(Estimator):
    """Base class of :class:`~discourse.topics.LDA` and :class:`~discourse.topics.NMF`."""

    # learned arrays saved besides the common ones, with their shapes (letters as in _ARRAYS)
    _extra_arrays: dict[str, tuple[str, ...]] = {}
    # learned scalars (or short lists) saved in the file's JSON, with a check of their type
    _extra_scalars: dict[str, Any] = {}

    def __repr__(self) -> str:
        # every parameter shown (not only those that differ from the default): a model's
        # printed form is what gets pasted into papers' methods sections
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"

    # ------------------------------------------------------------------ checks
    def _check_fitted(self, attribute: str = "topic_terms_") -> None:
        if not hasattr(self, attribute):
            raise NotFittedError(f"this {type(self).__name__} is not fitted yet: call fit(dtm) first")

    def _check_input(self, dtm: DocumentTermMatrix) -> None:
        if not isinstance(dtm, DocumentTermMatrix):
            raise TypeError(f"fit expects a DocumentTermMatrix (DocumentTermMatrix.from_tokens(tokens)), not {type(dtm).__name__}")
        k = self.n_topics
        if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
            raise ValueError(f"n_topics must be a positive integer, not {k!r}")
        n_docs, n_terms = dtm.shape
        if k > n_docs:
            raise ValueError(f"n_topics={k} is more topics than documents ({n_docs}): choose n_topics <= {n_docs}")
        if n_terms == 0:
            raise ValueError("the document-term matrix has an empty vocabulary")
        empty = np.flatnonzero(np.diff(dtm.matrix.indptr) == 0)
        if empty.size:
            raise ValueError(
                f"{empty.size} documents have no tokens (first: {dtm.doc_ids[empty[0]]!r}); "
                "build the matrix with DocumentTermMatrix.from_tokens, which excludes and reports them"
            )

    def _align(self, dtm: DocumentTermMatrix) -> sp.csr_matrix:
        """The counts of ``dtm`` on this model's vocabulary (terms unknown to the model are dropped)."""
        if dtm.vocabulary == self.vocabulary_:
            return dtm.matrix
        index = {t: i for i, t in enumerate(self.vocabulary_)}
        cols = np.array([index.get(t, -1) for t in dtm.vocabulary], dtype=np.int64)
        coo = dtm.matrix.tocoo()
        keep = cols[coo.col] >= 0
        return sp.csr_matrix((coo.data[keep], (coo.row[keep], cols[coo.col[keep]])), shape=(dtm.shape[0], len(self.vocabulary_)))

    # ------------------------------------------------------------------ shared learned state
    def _set_state(
        self,
        dtm: DocumentTermMatrix,
        doc_topics: np.ndarray,
        topic_terms: np.ndarray,
        labels: list[str | None] | None = None,
        extra_topic_arrays: dict[str, np.ndarray] | None = None,
    ) -> np.ndarray:
        """Normalise, order topics by prevalence and store the common attributes; returns the order."""
        doc_topics = np.asarray(doc_topics, dtype=np.float64)
        topic_terms = np.asarray(topic_terms, dtype=np.float64)
        doc_topics = _normalise_rows(doc_topics)
        topic_terms = _normalise_rows(topic_terms)
        lengths = dtm.lengths.astype(np.float64)
        prevalence = lengths @ doc_topics / lengths.sum()
        # stable: ties keep the engine's order, so reruns give the same numbering
        order = np.argsort(-prevalence, kind="stable")
        self.doc_topics_ = doc_topics[:, order]
        self.topic_terms_ = topic_terms[order]
        self.vocabulary_ = list(dtm.vocabulary)
        self.doc_ids_ = list(dtm.doc_ids)
        self.topic_ids_ = list(range(doc_topics.shape[1]))
        self.topic_labels_ = [labels[i] for i in order] if labels is not None else [None] * len(order)
        self.topic_prevalence_ = prevalence[order]
        self.term_counts_ = np.asarray(dtm.matrix.sum(axis=0)).ravel().astype(np.float64)
        self.doc_lengths_ = lengths
        self.metadata_ = dtm.metadata.copy()
        self.attribute_ = dtm.params.get("attribute", "lemma")
        for name, arr in (extra_topic_arrays or {}).items():
            setattr(self, name, np.asarray(arr)[order])
        return order

    # ------------------------------------------------------------------ tables
    def top_terms(self, n: int = 10, lam: float = 1.0) -> pd.DataFrame:
        """The ``n`` most relevant terms of each topic, one row a (topic, rank).

        Relevance (Sievert & Shirley 2014, as in LDAvis) is
        ``lam * log p(term|topic) + (1 - lam) * log(p(term|topic) / p(term))``: ``lam=1`` ranks by
        probability within the topic, smaller values favour terms specific to the topic.
        Columns: ``topic``, ``label`` (the user's, see :meth:`set_topic_labels`), ``name`` (as in
        figures, :meth:`topic_names`), ``rank`` (from 1), ``term``, ``weight`` (p(term|topic)),
        ``relevance``.

        Example
        -------
        >>> model.top_terms(5, lam=0.6)  # doctest: +SKIP
           topic label  rank        term    weight  relevance
        0      0  None     1  terrorisme  0.041...
        """
        table = self._top_terms_table(n, lam)
        names = dict(zip(self.topic_ids_, self.topic_names()))
        table.insert(2, "name", table["topic"].map(names))
        return table

    def _top_terms_table(self, n: int, lam: float) -> pd.DataFrame:
        self._check_fitted()
        if not 0.0 <= lam <= 1.0:
            raise ValueError(f"lam={lam} must lie in [0, 1]")
        n = min(int(n), len(self.vocabulary_))
        phi = self.topic_terms_
        p_term = self.term_counts_ / self.term_counts_.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            # lam * log phi + (1 - lam) * log(phi / p), written so that a zero phi never meets a
            # zero weight (0 * -inf)
            relevance = np.log(phi) - (1.0 - lam) * np.log(p_term)[None, :]
        # a term the fitted documents never use (a matrix cut from a larger one) has no lift:
        # it is ranked last rather than turning the relevance into NaN
        relevance = np.where(p_term[None, :] > 0, relevance, -np.inf)
        vocab = np.array(self.vocabulary_, dtype=object)
        rows = []
        for k in range(phi.shape[0]):
            # ties broken by term order, so the table is the same on every run
            top = np.lexsort((np.arange(phi.shape[1]), -relevance[k]))[:n]
            rows.append(pd.DataFrame({
                "topic": self.topic_ids_[k], "label": self.topic_labels_[k], "rank": np.arange(1, n + 1),
                "term": vocab[top], "weight": phi[k, top], "relevance": relevance[k, top],
            }))
        return pd.concat(rows, ignore_index=True)

    def set_topic_labels(self, labels: Mapping[Any, str | None] | Sequence[str | None]) -> TopicModel:
        """Name topics; the names are shown in every topic figure and table and saved with the model.

        ``labels`` maps topic ids (the ``topic`` column of the tables: 0 for the first topic,
        which figures number « T1 ») to a label, or lists one label per topic; ``None`` removes
        a label (the topic is then named by its top terms). Stored in ``topic_labels_``.

        >>> lda.set_topic_labels({0: "Transports", 2: "Politique régionale"})  # doctest: +SKIP
        >>> lda.topic_names()[:1]                                                 # doctest: +SKIP
        ['T1 · Transports']
        """
        self._check_fitted()
        current = list(self.topic_labels_)
        if isinstance(labels, Mapping):
            unknown = [t for t in labels if t not in self.topic_ids_]
            if unknown:
                raise ValueError(f"set_topic_labels: unknown topic ids {unknown}; the topic ids are {self.topic_ids_} "
                                 "(the 'topic' column of the tables; figures show them from T1)")
            for topic, text in labels.items():
                current[self.topic_ids_.index(topic)] = text
        else:
            labels = list(labels)
            if len(labels) != len(current):
                raise ValueError(f"set_topic_labels: {len(labels)} labels for {len(current)} topics")
            current = labels
        for text in current:
            if text is not None and (not isinstance(text, str) or not text.strip()):
                raise ValueError(f"set_topic_labels: a label must be a non-empty string or None, not {text!r}")
        self.topic_labels_ = [None if t is None else t.strip() for t in current]
        return self

    def topic_names(self, n_terms: int = 3, lam: float = 0.6) -> list[str]:
        """The name of each topic in figures and tables, numbered from 1.

        ``"T3 · transport · directive · nucléaire"``: the number, then the user's label
        (:meth:`set_topic_labels`) or else the ``n_terms`` most relevant terms (relevance
        with ``lam``, as in :meth:`top_terms`).

        >>> lda.topic_names()[2]                                  # doctest: +SKIP
        'T3 · transport · directive · nucléaire'
        """
        self._check_fitted()
        terms = self._top_term_lists(n_terms, lam)
        names = []
        for k, topic in enumerate(self.topic_ids_):
            number = f"T{k + 1}" if isinstance(topic, (int, np.integer)) and topic == k else f"T{topic}"
            text = self.topic_labels_[k] or " · ".join(terms[k])
            names.append(f"{number} · {text}")
        return names

    def _top_term_lists(self, n: int, lam: float) -> list[list[str]]:
        table = self._top_terms_table(n, lam)
        return [table.loc[table["topic"] == t, "term"].tolist() for t in self.topic_ids_]

    def topic_words(self, n: int = 10) -> list[list[str]]:
        """The ``n`` most probable terms of each topic (the input of coherence measures)."""
        self._check_fitted()
        vocab = self.vocabulary_
        out = []
        for k in range(self.topic_terms_.shape[0]):
            top = np.lexsort((np.arange(self.topic_terms_.shape[1]), -self.topic_terms_[k]))[:n]
            out.append([vocab[i] for i in top])
        return out

    def document_topics(self) -> pd.DataFrame:
        """Tidy document–topic table: ``doc_id``, ``topic``, ``weight``."""
        self._check_fitted()
        n_docs, k = self.doc_topics_.shape
        return pd.DataFrame({
            "doc_id": np.repeat(np.array(self.doc_ids_, dtype=object), k),
            "topic": np.tile(np.array(self.topic_ids_), n_docs),
            "weight": self.doc_topics_.ravel(),
        })

    # ------------------------------------------------------------------ save / load
    def save(self, path: str | Path) -> Path:
        """Write the fitted model to ``path`` (:mod:`discourse.storage` format: arrays, JSON, no code).

        The engine's own object (``backend_model_``) is not saved: ``transform`` of a loaded
        model uses the saved topics.

        >>> LDA(n_topics=20).fit(dtm).save("lda_debats.discourse")  # doctest: +SKIP
        """
        self._check_fitted()
        return storage.save(self, path)

    @classmethod
    def load(cls, path: str | Path) -> TopicModel:
        """Read a model written by :meth:`save`; a file holding another class is a ``ModelFileError``.

        >>> LDA.load("lda_debats.discourse").top_terms(5)  # doctest: +SKIP
        """
        return storage.load(path, expected=cls)

    def _get_state(self) -> dict[str, Any]:
        self._check_fitted()
        scalars = {k: getattr(self, k) for k in ("n_iter_", *self._extra_scalars) if hasattr(self, k)}
        info = {
            "vocabulary": self.vocabulary_, "doc_ids": self.doc_ids_, "topic_ids": self.topic_ids_,
            "topic_labels": self.topic_labels_, "attribute": self.attribute_, "scalars": scalars,
        }
        names = (*_ARRAYS, *self._extra_arrays)
        arrays = {name: np.asarray(getattr(self, name)) for name in names if getattr(self, name, None) is not None}
        return {"info": info, "arrays": arrays, "tables": {"metadata": self.metadata_}}

    @classmethod
    def _from_state(cls, params: dict[str, Any], info: dict[str, Any], arrays: dict[str, np.ndarray],
                    tables: dict[str, pd.DataFrame]) -> TopicModel:
        """Rebuild a model from a file's content, checking every shape against the others."""
        vocabulary = storage.check_strings("vocabulary", info.get("vocabulary"))
        doc_ids = storage.check_strings("doc_ids", info.get("doc_ids"))
        topic_terms = storage.check_array(arrays, "topic_terms_", (None, len(vocabulary)))
        dims = {"D": len(doc_ids), "K": topic_terms.shape[0], "V": len(vocabulary)}
        if min(dims.values()) < 1:
            raise ValueError(f"a fitted model needs at least one document, topic and term, not {dims}")
        if params.get("n_topics", dims["K"]) != dims["K"]:
            raise ValueError(f"n_topics={params['n_topics']!r} but the arrays hold {dims['K']} topics")
        unknown = sorted(set(arrays) - set(_ARRAYS) - set(cls._extra_arrays))
        if unknown:
            raise ValueError(f"unknown array(s) {unknown} for a {cls.__name__}")
        model = cls(**params)
        for name, letters in {**_ARRAYS, **cls._extra_arrays}.items():
            array = storage.check_array(arrays, name, tuple(dims[c] for c in letters), kinds="f")
            if name in _DISTRIBUTIONS and (array.min() < 0 or not np.allclose(array.sum(axis=1), 1.0, atol=1e-6)):
                raise ValueError(f"rows of {name!r} must be probabilities summing to 1")
            setattr(model, name, array)
        topic_ids = info.get("topic_ids")
        if not (isinstance(topic_ids, list) and len(topic_ids) == dims["K"]
                and all(isinstance(t, int) and not isinstance(t, bool) for t in topic_ids)):
            raise ValueError(f"'topic_ids' must be a list of {dims['K']} integers")
        labels = info.get("topic_labels")
        if not (isinstance(labels, list) and len(labels) == dims["K"] and all(x is None or isinstance(x, str) for x in labels)):
            raise ValueError(f"'topic_labels' must be a list of {dims['K']} strings or nulls")
        if info.get("attribute") not in ("form", "lemma"):
            raise ValueError(f"'attribute' must be 'form' or 'lemma', not {info.get('attribute')!r}")
        metadata = tables.get("metadata")
        if metadata is None or len(metadata) != dims["D"]:
            raise ValueError(f"the metadata table must have one row for each of the {dims['D']} documents")
        scalars = info.get("scalars", {})
        checks = {"n_iter_": lambda v: isinstance(v, int), **cls._extra_scalars}
        if not isinstance(scalars, dict) or set(scalars) - set(checks):
            raise ValueError(f"'scalars' may only hold {sorted(checks)}")
        for key, value in scalars.items():
            if not checks[key](value):
                raise ValueError(f"{key}={value!r} has the wrong type")
            setattr(model, key, value)
        model.vocabulary_, model.doc_ids_ = vocabulary, doc_ids
        model.topic_ids_, model.topic_labels_ = topic_ids, labels
        model.attribute_, model.metadata_ = info["attribute"], metadata
        return model


def _is_float_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, numbers.Real) and not isinstance(value, bool) and np.isfinite(value))


def load_model(path: str | Path, expected: type | None = None) -> TopicModel:
    """Read a model saved by ``LDA.save`` or ``NMF.save``, whichever it is.

    Only the library's own model classes can come out of a file (see :mod:`discourse.storage`);
    anything else is a :class:`~discourse.storage.ModelFileError`.

    >>> model = load_model("lda_debats.discourse")  # doctest: +SKIP
    """
    return storage.load(path, expected=expected if expected is not None else TopicModel)


def _normalise_rows(x: np.ndarray) -> np.ndarray:
    """Rows scaled to sum to 1 (an all-zero row becomes uniform)."""
    x = np.clip(x, 0.0, None)
    sums = x.sum(axis=1, keepdims=True)
    zero = sums[:, 0] == 0
    out = np.divide(x, sums, out=np.zeros_like(x), where=sums > 0)
    if zero.any():
        out[zero] = 1.0 / x.shape[1]
    return out
