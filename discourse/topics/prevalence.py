"""Topics by metadata: prevalence by group or period with bootstrap intervals; representative documents.

The prevalence of topic k in a group is the mean of the documents' proportions of k (each
document counts once; ``weight="tokens"`` weights documents by their length instead, giving the
share of the group's tokens). Confidence intervals resample the documents of each group with
replacement (percentile bootstrap, fixed seed).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from discourse.base import check_choice, check_level, deprecated_alias
from discourse.metadata import check_group_values, parse_dates
from discourse.topics.base import TopicModel

__all__ = ["topic_prevalence", "representative_documents"]


def _group_keys(metadata: pd.DataFrame, by: str | None, freq: str | None, date_column: str) -> tuple[pd.DataFrame, list[str]]:
    keys = pd.DataFrame(index=metadata.index)
    columns: list[str] = []
    if by is not None:
        if by not in metadata.columns:
            raise KeyError(f"no metadata column {by!r}; columns are {list(metadata.columns)}")
        ids = metadata["doc_id"].astype(str).tolist() if "doc_id" in metadata.columns else [str(i) for i in metadata.index]
        check_group_values(metadata[by], by, ids)  # lists, dicts, 1 beside "1": refused
        keys[by] = metadata[by]
        columns.append(by)
    if freq is not None:
        if date_column not in metadata.columns:
            raise KeyError(f"freq={freq!r} needs a date column: no metadata column {date_column!r}; columns are {list(metadata.columns)}")
        dates, note = parse_dates(metadata[date_column], date_column)  # mixed zones: converted to UTC
        if note:
            warnings.warn(note, stacklevel=3)
        # pandas 3 spells year-end periods "Y"; accept the usual aliases
        keys["period"] = dates.dt.to_period(freq).astype(str).where(dates.notna())
        columns.append("period")
    return keys, columns


def topic_prevalence(
    model: TopicModel,
    by: str | None = None,
    freq: str | None = None,
    date_column: str = "date",
    n_boot: int = 1000,
    ci: str | float | None = "bootstrap",
    weight: str = "documents",
    random_state: int | None = 0,
    metadata: pd.DataFrame | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Prevalence of each topic by group (``by=`` a metadata column) and/or period (``freq="M"``/``"Y"``).

    Returns a tidy table: ``topic``, ``label``, ``name`` (as in figures), the group column and/or ``period``,
    ``prevalence``, ``ci_low``, ``ci_high``, ``n_docs``. With neither ``by`` nor ``freq`` the
    whole corpus is one group. Documents with a missing group or date are left out, counted in
    a warning.

    ``ci`` is the interval method, as in :func:`~discourse.frames.count_frames`: ``"bootstrap"``
    (documents resampled ``n_boot`` times) or None (no interval); ``level`` is the confidence
    level (0.95). A number given as ``ci`` is read as the level, with a ``DeprecationWarning``.

    Example
    -------
    >>> topic_prevalence(lda, freq="Y", date_column="date", n_boot=500)  # doctest: +SKIP
       topic label period  prevalence  ci_low  ci_high  n_docs
    """
    model._check_fitted()
    names = model.topic_names()
    if isinstance(ci, (float, np.floating)):
        # ci was the confidence level before it was the interval method, as in count_frames
        deprecated_alias(f"topic_prevalence(ci={ci})", f"level={ci} (ci names the interval method: 'bootstrap' or None)")
        ci, level = "bootstrap", ci
    if ci is not None:
        check_choice("ci", ci, ("bootstrap",))
    check_level("level", level)
    if ci is None:
        n_boot = 0
    if weight not in ("documents", "tokens"):
        raise ValueError(f"weight must be 'documents' or 'tokens', not {weight!r}")
    if n_boot < 0:
        raise ValueError(f"n_boot={n_boot} must be >= 0")
    meta = (metadata if metadata is not None else model.metadata_).reset_index(drop=True)
    theta = model.doc_topics_
    if len(meta) != theta.shape[0]:
        raise ValueError(f"metadata has {len(meta)} rows for {theta.shape[0]} documents of the model")
    keys, columns = _group_keys(meta, by, freq, date_column)
    w = model.doc_lengths_.astype(np.float64) if weight == "tokens" else np.ones(theta.shape[0])
    if columns:
        missing = keys[columns].isna().any(axis=1).to_numpy()
        if missing.any():
            warnings.warn(f"{int(missing.sum())} documents have no value for {columns} and are left out of the prevalence table", stacklevel=2)
        grouped = keys[~missing].groupby(columns, sort=True, dropna=True).indices
    else:
        grouped = {(): np.arange(theta.shape[0])}
    rng = np.random.default_rng(random_state)
    lo_q, hi_q = (1.0 - level) / 2.0, 1.0 - (1.0 - level) / 2.0
    frames = []
    for key, index in grouped.items():
        index = np.asarray(index)
        th, ww = theta[index], w[index]
        point = ww @ th / ww.sum()
        if n_boot > 0:
            n = index.size
            boots = np.empty((n_boot, th.shape[1]))
            step = max(1, 2_000_000 // max(n, 1))
            for a in range(0, n_boot, step):
                b = min(n_boot, a + step)
                # how many times each document is drawn in each resample
                draws = rng.multinomial(n, np.full(n, 1.0 / n), size=b - a).astype(np.float64) * ww[None, :]
                boots[a:b] = (draws @ th) / draws.sum(axis=1, keepdims=True)
            low, high = np.quantile(boots, [lo_q, hi_q], axis=0)
        else:
            low = high = np.full(th.shape[1], np.nan)
        frame = pd.DataFrame({"topic": model.topic_ids_, "label": model.topic_labels_, "name": names})
        key = key if isinstance(key, tuple) else (key,)
        for col, value in zip(columns, key):
            frame[col] = value
        frame["prevalence"] = point
        frame["ci_low"] = low
        frame["ci_high"] = high
        frame["n_docs"] = index.size
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["topic", *columns], kind="stable").reset_index(drop=True)


def representative_documents(model: TopicModel, topic: int, n: int = 5, metadata: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``n`` documents with the largest proportion of ``topic`` (ties by document order).

    Returns ``rank``, ``doc_id``, ``topic``, ``weight`` and the documents' metadata columns.

    Example
    -------
    >>> representative_documents(lda, topic=0, n=3)  # doctest: +SKIP
    """
    model._check_fitted()
    if topic not in model.topic_ids_:
        raise ValueError(f"no topic {topic!r}; topics are {model.topic_ids_[0]}..{model.topic_ids_[-1]}")
    col = model.topic_ids_.index(topic)
    weights = model.doc_topics_[:, col]
    order = np.lexsort((np.arange(weights.size), -weights))[:n]
    meta = (metadata if metadata is not None else model.metadata_).reset_index(drop=True)
    out = pd.DataFrame({"rank": np.arange(1, order.size + 1), "doc_id": [model.doc_ids_[i] for i in order], "topic": topic, "weight": weights[order]})
    extra = meta.iloc[order].drop(columns=["doc_id"], errors="ignore").reset_index(drop=True)
    return pd.concat([out, extra], axis=1)
