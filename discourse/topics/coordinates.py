"""Coordinates of topics on a plane, for an intertopic distance map.

Distances between topics are Jensen–Shannon distances between their term distributions;
classical (Torgerson) multidimensional scaling places them on two axes, as LDAvis does.
This is the statistic; :func:`discourse.plot.intertopic_map` only draws its table.

Example
-------
>>> import numpy as np
>>> from discourse.topics.coordinates import topic_coordinates_from_arrays
>>> terms = np.array([[0.7, 0.2, 0.1], [0.1, 0.2, 0.7], [0.4, 0.2, 0.4]])
>>> table = topic_coordinates_from_arrays(terms, prevalence=[0.5, 0.3, 0.2])
>>> list(table.columns)
['topic', 'x', 'y', 'prevalence']
>>> round(float(table.x.abs().max()), 3)
0.302
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["jensen_shannon_distances", "classical_mds", "topic_coordinates", "topic_coordinates_from_arrays"]


def jensen_shannon_distances(distributions: np.ndarray) -> np.ndarray:
    """Pairwise Jensen–Shannon distances (square root of the divergence, base 2, in [0, 1]).

    Rows are normalised to sum to 1 first; a row of zeros is an error.

    >>> d = jensen_shannon_distances(np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]))
    >>> d.round(6).tolist()
    [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    p = np.asarray(distributions, dtype=float)
    if p.ndim != 2:
        raise ValueError("distributions must be a 2-D array (one row per topic)")
    sums = p.sum(axis=1, keepdims=True)
    if (sums <= 0).any():
        bad = np.flatnonzero(sums.ravel() <= 0).tolist()
        raise ValueError(f"topic rows {bad} have no positive weight")
    p = p / sums
    k = p.shape[0]
    out = np.zeros((k, k))
    with np.errstate(divide="ignore", invalid="ignore"):
        logp = np.where(p > 0, np.log2(p), 0.0)
        for i in range(k):
            for j in range(i + 1, k):
                m = 0.5 * (p[i] + p[j])
                logm = np.where(m > 0, np.log2(m), 0.0)
                kl_i = np.sum(np.where(p[i] > 0, p[i] * (logp[i] - logm), 0.0))
                kl_j = np.sum(np.where(p[j] > 0, p[j] * (logp[j] - logm), 0.0))
                js = max(0.0, 0.5 * (kl_i + kl_j))
                out[i, j] = out[j, i] = np.sqrt(min(js, 1.0))
    return out


def classical_mds(distances: np.ndarray, n_components: int = 2) -> np.ndarray:
    """Torgerson's classical scaling: points whose Euclidean distances approximate ``distances``.

    Signs are fixed (the largest absolute value of each axis is positive) so that the map does
    not flip between runs or platforms.

    >>> pts = classical_mds(np.array([[0.0, 2.0], [2.0, 0.0]]))
    >>> round(float(abs(pts[0, 0] - pts[1, 0])), 6)
    2.0
    """
    d = np.asarray(distances, dtype=float)
    k = d.shape[0]
    if d.shape != (k, k):
        raise ValueError("distances must be a square matrix")
    j = np.eye(k) - np.ones((k, k)) / k
    b = -0.5 * j @ (d**2) @ j
    values, vectors = np.linalg.eigh(b)
    order = np.argsort(values)[::-1][:n_components]
    values, vectors = values[order], vectors[:, order]
    coords = vectors * np.sqrt(np.clip(values, 0.0, None))
    if coords.shape[1] < n_components:
        coords = np.hstack([coords, np.zeros((k, n_components - coords.shape[1]))])
    for c in range(coords.shape[1]):
        col = coords[:, c]
        if col.size and col[np.argmax(np.abs(col))] < 0:
            coords[:, c] = -col
    return coords


def topic_coordinates_from_arrays(
    topic_terms: np.ndarray, prevalence: Sequence[float] | np.ndarray | None = None, topic_ids: Sequence[Any] | None = None
) -> pd.DataFrame:
    """The map table from a topics × terms matrix: ``topic``, ``x``, ``y``, ``prevalence``."""
    topic_terms = np.asarray(topic_terms, dtype=float)
    k = topic_terms.shape[0]
    ids = list(topic_ids) if topic_ids is not None else list(range(k))
    if len(ids) != k:
        raise ValueError(f"{len(ids)} topic ids for {k} topics")
    coords = classical_mds(jensen_shannon_distances(topic_terms)) if k > 1 else np.zeros((k, 2))
    prev = np.full(k, 1.0 / max(k, 1)) if prevalence is None else np.asarray(prevalence, dtype=float)
    return pd.DataFrame({"topic": ids, "x": coords[:, 0], "y": coords[:, 1], "prevalence": prev})


def topic_coordinates(model: Any) -> pd.DataFrame:
    """The intertopic map table of a fitted LDA or NMF model.

    Uses ``model.topic_terms_`` (topics × terms), ``model.doc_topics_`` (documents × topics;
    prevalence = mean proportion, rows normalised for NMF) and ``model.topic_ids_`` when the
    model has it.

    >>> # with a fitted model (see discourse.LDA):  table = topic_coordinates(lda)
    """
    terms = np.asarray(model.topic_terms_, dtype=float)
    doc_topics = np.asarray(getattr(model, "doc_topics_", np.empty((0, terms.shape[0]))), dtype=float)
    if doc_topics.size:
        sums = doc_topics.sum(axis=1, keepdims=True)
        shares = np.divide(doc_topics, sums, out=np.zeros_like(doc_topics), where=sums > 0)
        prevalence = shares.mean(axis=0)
    else:
        prevalence = None
    ids = getattr(model, "topic_ids_", None)
    table = topic_coordinates_from_arrays(terms, prevalence, list(ids) if ids is not None else None)
    if hasattr(model, "topic_names"):
        table["name"] = model.topic_names()  # as in every topic figure ("T1 · ...")
    return table
