"""Frames × topics: which topics carry which frames, and which topics dominate a frame's documents.

Works with any fitted topic model exposing ``doc_topics_`` (documents × topics proportions)
and ``doc_ids_`` (the documents of its rows), such as :class:`discourse.LDA` and
:class:`discourse.NMF`. Documents are aligned by id; documents of the tokens unknown to the
model (or the reverse) are left out and reported in ``attrs``.

Example
-------
>>> from types import SimpleNamespace
>>> import numpy as np
>>> from discourse.tokens import Tokens
>>> toks = Tokens.from_lists([["terrorisme", "menace"], ["budget", "impôt"]], doc_ids=["a", "b"])
>>> model = SimpleNamespace(doc_topics_=np.array([[0.9, 0.1], [0.2, 0.8]]), doc_ids_=["a", "b"])
>>> t = frames_by_topic(toks, None, model)
>>> round(float(t.query("frame == 'counter_terrorism' and topic == 0")["rate_per_10k"].iloc[0]), 1)
4090.9
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from discourse.lexicometry.counts import RATE_UNIT_WORDS, _rate_unit, running_words
from discourse.lexicometry.selection import _check_not_empty
from discourse.patterns.dictionary import FrameDictionary
from discourse.patterns.match import document_frame_counts
from discourse.tokens import Tokens

__all__ = ["frames_by_topic", "topics_for_frame"]


def _align(tokens: Tokens, model: Any) -> tuple[np.ndarray, np.ndarray, dict[str, list[str]]]:
    """Rows of tokens and of doc_topics_ for the documents both know."""
    for attr in ("doc_topics_", "doc_ids_"):
        if not hasattr(model, attr):
            raise TypeError(f"the model has no {attr!r}: fit it first (any object with doc_topics_ and doc_ids_ works)")
    theta = np.asarray(model.doc_topics_, dtype=np.float64)
    ids = [str(d) for d in model.doc_ids_]
    if theta.ndim != 2 or theta.shape[0] != len(ids):
        raise ValueError(f"doc_topics_ has shape {theta.shape} for {len(ids)} doc_ids_")
    pos = {d: i for i, d in enumerate(ids)}
    tok_rows = [i for i, d in enumerate(tokens.doc_ids) if d in pos]
    model_rows = [pos[tokens.doc_ids[i]] for i in tok_rows]
    known = set(tokens.doc_ids)
    report = {
        "not_in_model": [d for d in tokens.doc_ids if d not in pos],
        "not_in_tokens": [d for d in ids if d not in known],
    }
    if not tok_rows:
        raise ValueError("no document id is shared by the tokens and the model's doc_ids_")
    for what, lst in report.items():
        if lst:
            warnings.warn(f"{len(lst)} documents {what.replace('_', ' ')} left out (first: {lst[0]!r})", UserWarning, stacklevel=3)
    return np.asarray(tok_rows), np.asarray(model_rows), report


def frames_by_topic(tokens: Tokens, dictionary: FrameDictionary | str | None, model: Any) -> pd.DataFrame:
    """Frame rate per topic, weighting each document by its topic proportion.

    For topic k and frame f: ``rate = Σ_d θ_dk · hits_df / Σ_d θ_dk · tokens_d × 10,000``;
    ``lift`` divides it by the corpus rate of the frame (above 1: the topic carries the
    frame more than the corpus does). Columns: ``topic``, ``frame``, ``weighted_count``,
    ``weighted_tokens``, ``weighted_words`` (running words of the original text),
    ``rate_per_10k`` (per 10,000 content tokens), ``rate_per_10k_words``,
    ``corpus_rate_per_10k``, ``lift``; ``attrs["rate_unit"]`` names the unit.
    """
    _check_not_empty(tokens)
    dictionary = FrameDictionary.coerce(dictionary)
    tok_rows, model_rows, report = _align(tokens, model)
    counts, frames = document_frame_counts(tokens, dictionary)
    c = counts[tok_rows].astype(np.float64)
    n = tokens.lengths[tok_rows].astype(np.float64)
    theta = np.asarray(model.doc_topics_, dtype=np.float64)[model_rows]
    w_counts = theta.T @ c  # topics × frames
    w_tokens = theta.T @ n  # topics
    w_words = theta.T @ running_words(tokens)[tok_rows]  # NaN when the texts were not kept
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(w_tokens[:, None] > 0, w_counts / w_tokens[:, None] * 10_000, np.nan)
        rate_w = np.where(w_words[:, None] > 0, w_counts / w_words[:, None] * 10_000, np.nan)
        corpus = c.sum(axis=0) / n.sum() * 10_000 if n.sum() > 0 else np.full(len(frames), np.nan)
        lift = np.where(corpus[None, :] > 0, rate / corpus[None, :], np.nan)
    k = theta.shape[1]
    table = pd.DataFrame(
        {
            "topic": np.repeat(np.arange(k), len(frames)),
            "frame": np.tile(np.array(frames, dtype=object), k),
            "weighted_count": w_counts.ravel(),
            "weighted_tokens": np.repeat(w_tokens, len(frames)),
            "weighted_words": np.repeat(w_words, len(frames)),
            "rate_per_10k": rate.ravel(),
            "rate_per_10k_words": rate_w.ravel(),
            "corpus_rate_per_10k": np.tile(corpus, k),
            "lift": lift.ravel(),
        }
    )
    table.attrs.update(report)
    table.attrs["rate_unit"] = _rate_unit(tokens)
    table.attrs["rate_unit_words"] = RATE_UNIT_WORDS
    return table


def topics_for_frame(tokens: Tokens, dictionary: FrameDictionary | str | None, model: Any, frame: str | None = None, min_count: int = 1) -> pd.DataFrame:
    """Which topics dominate the documents that use a frame.

    For each frame (or only ``frame``), compares the mean topic proportions of the documents
    with at least ``min_count`` hits to those of all documents. Columns: ``frame``, ``topic``,
    ``n_docs`` (documents using the frame), ``share_with_frame``, ``share_all``, ``ratio``;
    sorted by frame then decreasing ``share_with_frame``.

    >>> from types import SimpleNamespace
    >>> import numpy as np
    >>> from discourse.tokens import Tokens
    >>> toks = Tokens.from_lists([["terrorisme"], ["budget"]], doc_ids=["a", "b"])
    >>> model = SimpleNamespace(doc_topics_=np.array([[0.9, 0.1], [0.2, 0.8]]), doc_ids_=["a", "b"])
    >>> topics_for_frame(toks, None, model, "counter_terrorism")[["topic", "share_with_frame"]].values.tolist()
    [[0.0, 0.9], [1.0, 0.1]]
    """
    _check_not_empty(tokens)
    dictionary = FrameDictionary.coerce(dictionary)
    if frame is not None:
        dictionary = dictionary.select(frame)
    tok_rows, model_rows, report = _align(tokens, model)
    counts, frames = document_frame_counts(tokens, dictionary)
    c = counts[tok_rows]
    theta = np.asarray(model.doc_topics_, dtype=np.float64)[model_rows]
    share_all = theta.mean(axis=0)
    parts = []
    for f, name in enumerate(frames):
        using = c[:, f] >= min_count
        share = theta[using].mean(axis=0) if using.any() else np.full(theta.shape[1], np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(share_all > 0, share / share_all, np.nan)
        part = pd.DataFrame({"frame": name, "topic": np.arange(theta.shape[1]), "n_docs": int(using.sum()),
                             "share_with_frame": share, "share_all": share_all, "ratio": ratio})
        parts.append(part.sort_values("share_with_frame", ascending=False, kind="stable"))
    table = pd.concat(parts, ignore_index=True)
    table.attrs.update(report)
    return table
