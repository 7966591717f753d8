"""What LDA and NMF share: input checks, topic ordering, top terms, vocabulary alignment, save/load.

Every fitted model holds ``doc_topics_`` (documents × topics, rows sum to 1),
``topic_terms_`` (topics × terms, rows sum to 1), ``vocabulary_``, ``doc_ids_`` and
``topic_ids_``. Topics are numbered by prevalence (topic 0 carries the largest share of the
corpus's tokens) and those numbers are the ids every table, figure and export uses.
Models are saved as one ``.npz`` of arrays with a JSON block of parameters (no pickle).
"""

from __future__ import annotations

import importlib
import inspect
import json
from collections.abc import Mapping, Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from discourse.dtm import DocumentTermMatrix
from discourse.tokens import _parquet_bytes

__all__ = ["TopicModel", "load_model", "NotFittedError"]

_FORMAT_VERSION = 1


class NotFittedError(AttributeError):
    """The model is used before ``fit``."""


class TopicModel:
    """Base class of :class:`~discourse.topics.LDA` and :class:`~discourse.topics.NMF`."""

    # names of learned array attributes saved in the npz (besides the common ones)
    _extra_arrays: tuple[str, ...] = ()

    # ------------------------------------------------------------------ scikit-learn protocol
    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [p for p in sig.parameters if p != "self"]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor parameters, as given."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> TopicModel:
        """Change constructor parameters (before fitting again)."""
        valid = set(self._param_names())
        for key, value in params.items():
            if key not in valid:
                raise ValueError(f"{type(self).__name__} has no parameter {key!r}; parameters are {sorted(valid)}")
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"

    # ------------------------------------------------------------------ checks
    def _check_fitted(self) -> None:
        if not hasattr(self, "topic_terms_"):
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
        """Write the fitted model to a ``.npz`` (arrays) with its parameters and vocabulary as JSON; no pickle."""
        self._check_fitted()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        params = {k: (v if not isinstance(v, np.integer) else int(v)) for k, v in self.get_params().items()}
        info = {
            "format_version": _FORMAT_VERSION,
            "class": f"{type(self).__module__}.{type(self).__name__}",
            "params": params,
            "vocabulary": self.vocabulary_,
            "doc_ids": self.doc_ids_,
            "topic_ids": self.topic_ids_,
            "topic_labels": self.topic_labels_,
            "attribute": self.attribute_,
            "scalars": {k: getattr(self, k) for k in ("n_iter_", "log_likelihood_") if hasattr(self, k)},
        }
        arrays = {name: getattr(self, name) for name in ("doc_topics_", "topic_terms_", "topic_prevalence_", "term_counts_", "doc_lengths_", *self._extra_arrays) if getattr(self, name, None) is not None}
        with open(path, "wb") as fh:
            np.savez_compressed(
                fh,
                info=np.frombuffer(json.dumps(info, ensure_ascii=False, default=_json_default).encode("utf-8"), dtype=np.uint8),
                metadata=np.frombuffer(_parquet_bytes(self.metadata_), dtype=np.uint8),
                **{f"array_{k}": np.asarray(v) for k, v in arrays.items()},
            )
        return path

    @classmethod
    def load(cls, path: str | Path) -> TopicModel:
        """Read a model written by :meth:`save` (its engine object is not stored: ``transform`` uses the saved topics)."""
        return load_model(path, expected=cls)


def _json_default(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot store {type(value).__name__} in the model file")


def load_model(path: str | Path, expected: type | None = None) -> TopicModel:
    """Read a model saved by ``LDA.save`` or ``NMF.save``, whichever it is."""
    with np.load(path, allow_pickle=False) as data:
        info = json.loads(bytes(data["info"]).decode("utf-8"))
        arrays = {k[len("array_"):]: data[k] for k in data.files if k.startswith("array_")}
        metadata = pd.read_parquet(BytesIO(data["metadata"].tobytes()))
    module, _, name = info["class"].rpartition(".")
    if not module.startswith("discourse."):
        raise ValueError(f"{path}: not a discourse model file")
    klass = getattr(importlib.import_module(module), name)
    if expected is not None and expected is not TopicModel and not issubclass(klass, expected):
        raise TypeError(f"{path} holds a {name}, not a {expected.__name__}")
    model = klass(**info["params"])
    for key, value in arrays.items():
        setattr(model, key, value)
    model.vocabulary_ = info["vocabulary"]
    model.doc_ids_ = info["doc_ids"]
    model.topic_ids_ = info["topic_ids"]
    model.topic_labels_ = info["topic_labels"]
    model.attribute_ = info["attribute"]
    model.metadata_ = metadata
    for key, value in info["scalars"].items():
        setattr(model, key, value)
    return model


def _normalise_rows(x: np.ndarray) -> np.ndarray:
    """Rows scaled to sum to 1 (an all-zero row becomes uniform)."""
    x = np.clip(x, 0.0, None)
    sums = x.sum(axis=1, keepdims=True)
    zero = sums[:, 0] == 0
    out = np.divide(x, sums, out=np.zeros_like(x), where=sums > 0)
    if zero.any():
        out[zero] = 1.0 / x.shape[1]
    return out
