"""Figures of topic models: top terms, prevalence, document–topic heatmap, metrics by K, map.

Each function takes a table made by :mod:`discourse.topics` (``model.top_terms(...)``,
``topic_prevalence(...)``, ``select_k(...)``, ``topic_coordinates(...)``) and draws it; topic
ids and colours are those of the tables (see :func:`discourse.plot.topic_colors`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from discourse.plot._common import (
    PlotInputError,
    interval_bounds,
    legend_above,
    new_axes,
    ordered_unique,
    pick_column,
    require,
    rows_figsize,
    subset_note,
    time_values,
    wrap,
)
from discourse.plot.style import (
    SEQUENTIAL_CMAP,
    current_locale,
    figsize,
    format_dates,
    format_numbers,
    french_key,
    label,
    topic_colors,
    topic_label,
    topic_number,
    typographic,
)


def _names(table: pd.DataFrame, topic: str = "topic") -> dict[Any, str] | None:
    """Topic id -> display name from a table's ``name`` column (the model's topic_names())."""
    if "name" not in table.columns:
        return None
    return {t: n for t, n in zip(table[topic], table["name"]) if isinstance(n, str) and n}

__all__ = ["top_terms", "topic_prevalence", "doc_topic_heatmap", "metrics_by_k", "intertopic_map"]


def top_terms(
    table: pd.DataFrame,
    *,
    value: str = "weight",
    n: int | None = None,
    topics: Sequence[Any] | None = None,
    ncols: int | None = None,
    columns: float = 2,
    locale: str | None = None,
) -> Figure:
    """A grid of horizontal bar charts, one panel per topic, terms by rank from the top.

    ``table`` is ``model.top_terms(n, lam)``: columns ``topic``, ``rank``, ``term`` and the
    ``value`` to draw (``weight`` or ``relevance``). ``n`` keeps ranks up to n. The terms are
    the table's (chosen by relevance when ``lam < 1``); bars are sorted by the drawn ``value``
    and the axis names it; a note says when the choice and the bars follow different
    quantities. Panels are titled with the topic names (``name`` column, « T1 · … »).

    >>> import pandas as pd
    >>> from discourse import plot
    >>> table = pd.DataFrame({"topic": [0, 0, 1, 1], "rank": [1, 2, 1, 2],
    ...                       "term": ["terrorisme", "menace", "état de droit", "justice"],
    ...                       "weight": [0.05, 0.03, 0.04, 0.02]})
    >>> fig = plot.top_terms(table)
    >>> [ax.get_title(loc="left") for ax in fig.axes]
    ['Topic 1', 'Topic 2']
    """
    require(table, ["topic", "rank", "term", value], "top_terms")
    data = table if n is None else table[table["rank"] <= n]
    ids = list(topics) if topics is not None else ordered_unique(data["topic"])
    unknown = [t for t in ids if t not in set(data["topic"])]
    if unknown:
        raise PlotInputError(f"top_terms: topics {unknown} are not in the table (it has {ordered_unique(data['topic'])})")
    colors = topic_colors(ids)
    n_panels = len(ids)
    ncols = ncols or min(4, n_panels)
    nrows = math.ceil(n_panels / ncols)
    n_terms = int(data.groupby("topic")["rank"].count().max())
    width = figsize(columns)[0]
    names = _names(data)
    # titles wrapped to the panel width (about 5.5 characters an inch at 8 pt), never cut
    title_width = max(14, int(width / ncols * 13))
    titles = {t: wrap(_panel_title(t, data[data["topic"] == t], names, locale), title_width) for t in ids}
    title_lines = max(t.count("\n") + 1 for t in titles.values())
    height = max(1.2, nrows * (0.3 + 0.14 * title_lines + 0.15 * n_terms) + 0.35)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), squeeze=False)
    for i, topic in enumerate(ids):
        ax = axes[i // ncols][i % ncols]
        # the terms are those of the table's ranks (e.g. by relevance); within them the bars
        # are ordered by the quantity they draw, so length and order always agree
        rows = data[data["topic"] == topic].sort_values([value, "rank"], ascending=[False, True], kind="stable")
        y = np.arange(len(rows))
        ax.barh(y, rows[value].to_numpy(dtype=float), color=colors[topic], height=0.75)
        ax.set_yticks(y, labels=[typographic(t, locale) for t in rows["term"]])
        ax.invert_yaxis()
        ax.set_title(titles[topic], loc="left")
        ax.tick_params(axis="y", length=0)
        format_numbers(ax.xaxis, locale)
    for j in range(n_panels, nrows * ncols):
        fig.delaxes(axes[j // ncols][j % ncols])
    # one axis title for the grid: the quantity the bars draw, and how the terms were chosen
    note = _selection_note(data, value, locale)
    fig.supxlabel(label(value, locale) + (f"\n{note}" if note else ""), fontsize=plt.rcParams["axes.labelsize"])
    return fig


def _panel_title(topic: Any, rows: pd.DataFrame, names: dict[Any, str] | None, locale: str | None) -> str:
    """A panel's title: the topic's name (``T3 · Transports``); the user's label if only that is given."""
    if names and topic in names:
        return typographic(names[topic], locale)
    user = rows["label"].iloc[0] if "label" in rows.columns and len(rows) else None
    if isinstance(user, str) and user and user != str(topic):
        return typographic(f"{topic_number(topic)} · {user}", locale)
    return topic_label(topic, locale)


def _selection_note(data: pd.DataFrame, value: str, locale: str | None) -> str | None:
    """When terms were chosen by relevance but bars draw another quantity, say so."""
    if value == "relevance" or "relevance" not in data.columns:
        return None
    by_value = data.sort_values(["topic", value], ascending=[True, False], kind="stable").groupby("topic")["rank"].apply(list)
    if all(r == sorted(r) for r in by_value):
        return None  # the ranks already follow the drawn quantity (lam = 1)
    if current_locale(locale) == "fr":
        return "(termes retenus par pertinence LDAvis, triés par probabilité dans le thème)"
    return "(terms chosen by LDAvis relevance, sorted by probability in topic)"


def _by_column(table: pd.DataFrame, by: str | None, function: str, value: str) -> str:
    if by is not None:
        require(table, [by], function)
        return by
    return pick_column(
        table, ["period", "date", "month", "year", "group"],
        {"topic", "label", "name", "frame", value, "ci_low", "ci_high", "count", "tokens", "documents", "n_documents", "n_docs",
         "doc_share", "rate_per_10k", "prevalence", "no_tokens", "period_start"},
        function, "periods or groups",
    )


def topic_prevalence(
    table: pd.DataFrame,
    *,
    by: str | None = None,
    value: str = "prevalence",
    topics: Sequence[Any] | None = None,
    ax: Axes | None = None,
    bands: bool = True,
    max_label_length: int = 40,
    locale: str | None = None,
) -> Axes:
    """Prevalence of each topic over time (lines with confidence bands) or by group (dots and whiskers).

    ``table`` is ``topic_prevalence(model, by=..., freq=...)``: columns ``topic``, a period or
    group column (found by name, or given as ``by``), ``prevalence`` and, if present,
    ``ci_low``/``ci_high``. A period column (dates, pandas periods, ``"2015-11"``) gives a
    time series; any other column gives one row per group (in French dictionary order, names
    longer than ``max_label_length`` wrapped between words) and one dot with its interval per
    topic. Topics are named as in every topic figure (``name`` column, else « Topic 1 »…).

    >>> import pandas as pd
    >>> from discourse import plot
    >>> t = pd.DataFrame({"topic": [0, 0, 1, 1], "group": ["SRC", "UMP", "SRC", "UMP"],
    ...                   "prevalence": [0.6, 0.3, 0.4, 0.7], "ci_low": [0.5, 0.2, 0.3, 0.6],
    ...                   "ci_high": [0.7, 0.4, 0.5, 0.8]})
    >>> ax = plot.topic_prevalence(t)
    >>> [tl.get_text() for tl in ax.get_yticklabels()]
    ['SRC', 'UMP']
    """
    require(table, ["topic", value], "topic_prevalence")
    by = _by_column(table, by, "topic_prevalence", value)
    ids = list(topics) if topics is not None else ordered_unique(table["topic"])
    colors = topic_colors(ids)
    names = _names(table)
    times = time_values(table[by])
    created = ax is None
    fig, ax = new_axes(ax, columns=2 if times is not None else 1)
    if times is not None:
        data = table.assign(_t=times)
        for topic in ids:
            rows = data[data["topic"] == topic].sort_values("_t")
            ax.plot(rows["_t"], rows[value].to_numpy(dtype=float), color=colors[topic], label=topic_label(topic, locale, names))
            if bands and "ci_low" in rows and "ci_high" in rows:
                ax.fill_between(rows["_t"].to_numpy(), rows["ci_low"].to_numpy(dtype=float), rows["ci_high"].to_numpy(dtype=float),
                                color=colors[topic], alpha=0.2, linewidth=0)
        span = (data["_t"].max() - data["_t"].min()).days
        format_dates(ax.xaxis, span, locale)
        ax.set_xlabel(label("date", locale))
    else:
        # groups in rows (their names can be long: agenda items, speakers), topics dodged in a row
        groups = sorted(ordered_unique(table[by]), key=french_key)
        group_names = [typographic(wrap(g, max_label_length), locale) for g in groups]
        if created:
            fig.set_size_inches(*rows_figsize(group_names, len(ids), [topic_label(t, locale, names) for t in ids]))
        y0 = np.arange(len(groups))
        step = 0.8 / max(1, len(ids))
        for k, topic in enumerate(ids):
            rows = table[table["topic"] == topic].drop_duplicates(by).set_index(by).reindex(groups).reset_index()
            y = y0 - 0.4 + step * (k + 0.5)
            err = interval_bounds(rows, value)
            ax.errorbar(rows[value].to_numpy(dtype=float), y, xerr=err, fmt="o", color=colors[topic], capsize=1.5,
                        markersize=3, elinewidth=0.8, label=topic_label(topic, locale, names))
        ax.set_yticks(y0, labels=group_names)
        ax.invert_yaxis()
        ax.set_xlabel(label(value, locale))
        ax.set_xlim(left=0)
        format_numbers(ax.xaxis, locale)
        ax.grid(axis="x", color="0.9", linewidth=0.5)
        ax.set_axisbelow(True)
        if len(ids) > 1:
            legend_above(ax, [topic_label(t, locale, names) for t in ids], max_columns=2)
        return ax
    ax.set_ylabel(label(value, locale))
    format_numbers(ax.yaxis, locale)
    if len(ids) > 1:
        legend_above(ax, [topic_label(t, locale, names) for t in ids], max_columns=2)
    return ax


def doc_topic_heatmap(
    doc_topics: pd.DataFrame,
    *,
    doc_id: str = "doc_id",
    topic: str = "topic",
    value: str | None = None,
    max_documents: int | None = 60,
    sort: bool = True,
    ax: Axes | None = None,
    locale: str | None = None,
) -> Axes:
    """Document–topic proportions as a heatmap (documents in rows, topics in columns).

    ``doc_topics`` is either wide (index: document ids, columns: topic ids — e.g.
    ``pd.DataFrame(model.doc_topics_, index=dtm.doc_ids, columns=model.topic_ids_)``) or tidy
    (``doc_id``, ``topic`` and a proportion column). With ``sort`` documents are grouped by their
    dominant topic so blocks appear; ``max_documents`` keeps the first rows of the table, and
    the figure then says so (« first 60 of 451 documents »). Topics are numbered from 1 (T1).

    >>> import pandas as pd
    >>> from discourse import plot
    >>> wide = pd.DataFrame([[0.9, 0.1], [0.2, 0.8]], index=["séance-1", "séance-2"], columns=[0, 1])
    >>> ax = plot.doc_topic_heatmap(wide)
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['T1', 'T2']
    """
    if not isinstance(doc_topics, pd.DataFrame) or doc_topics.empty:
        raise PlotInputError("doc_topic_heatmap: expects a non-empty DataFrame of document–topic proportions")
    if doc_id in doc_topics.columns and topic in doc_topics.columns:
        val = value or pick_column(doc_topics, ["proportion", "weight", "probability", "share"], {doc_id, topic}, "doc_topic_heatmap", "proportions")
        wide = doc_topics.pivot(index=doc_id, columns=topic, values=val)
        wide = wide.reindex(ordered_unique(doc_topics[doc_id]))
    else:
        wide = doc_topics
    total = wide.shape[0]
    if max_documents is not None:
        wide = wide.iloc[:max_documents]
    matrix = wide.to_numpy(dtype=float)
    if sort:
        dominant = matrix.argmax(axis=1)
        order = np.lexsort((-matrix.max(axis=1), dominant))
        wide, matrix = wide.iloc[order], matrix[order]
    fig, ax = new_axes(ax, columns=1, aspect=1.1)
    image = ax.imshow(matrix, aspect="auto", cmap=SEQUENTIAL_CMAP, vmin=0, vmax=max(1e-12, float(np.nanmax(matrix))), interpolation="nearest")
    ax.set_xticks(np.arange(wide.shape[1]), labels=[topic_number(c) for c in wide.columns])
    colors = topic_colors(list(wide.columns))
    for tick, col in zip(ax.get_xticklabels(), wide.columns):
        tick.set_color(colors[col])
        tick.set_fontweight("bold")
    if wide.shape[0] <= 40:
        ax.set_yticks(np.arange(wide.shape[0]), labels=[str(i) for i in wide.index])
    else:
        ax.set_yticks([])
    ax.set_xlabel(label("topic", locale))
    ax.set_ylabel(label("document", locale))
    ax.spines[:].set_visible(False)
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label(label("proportion", locale))
    format_numbers(bar.ax.yaxis, locale)
    subset_note(ax, wide.shape[0], total, {"en": "documents", "fr": "premiers documents"}, locale)
    return ax


def metrics_by_k(
    metrics: pd.DataFrame,
    *,
    k: str | None = None,
    columns_to_plot: Sequence[str] | None = None,
    model: str | None = None,
    ncols: int | None = None,
    columns: float = 2,
    locale: str | None = None,
) -> Figure:
    """One small panel per metric against the number of topics, to choose K.

    ``metrics`` is ``select_k(...)``: a column for K (``k`` or ``n_topics``) and one numeric
    column per metric (coherence, perplexity, diversity, ...). A ``model``/``backend`` column
    gives one line per model; ``<metric>_ci_low``/``_ci_high`` or ``<metric>_sd`` columns, when
    present, are drawn as error bars.

    >>> import pandas as pd
    >>> from discourse import plot
    >>> m = pd.DataFrame({"k": [5, 10, 15], "c_npmi": [0.05, 0.08, 0.06], "diversity": [0.9, 0.8, 0.7]})
    >>> [ax.get_ylabel() for ax in plot.metrics_by_k(m).axes]
    ['c_npmi', 'diversity']
    """
    kcol = k or pick_column(metrics, ["k", "n_topics", "K"], set(), "metrics_by_k", "number of topics")
    require(metrics, [kcol], "metrics_by_k")
    group_col = model if model is not None else next((c for c in ("model", "backend") if c in metrics.columns), None)
    if columns_to_plot is None:
        skip = {kcol, group_col, "random_state", "seed", "n_documents", "n_iter", "time", "seconds", "fit_seconds"}
        columns_to_plot = [
            c for c in metrics.columns
            if c not in skip and pd.api.types.is_numeric_dtype(metrics[c])
            and not any(c.endswith(s) for s in ("_ci_low", "_ci_high", "_sd", "_std"))
        ]
    if not columns_to_plot:
        raise PlotInputError(f"metrics_by_k: no numeric metric column besides {kcol!r} in {list(metrics.columns)}")
    n = len(columns_to_plot)
    ncols = ncols or min(3, n)
    nrows = math.ceil(n / ncols)
    width = figsize(columns)[0]
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, 1.7 * nrows), squeeze=False)
    groups = ordered_unique(metrics[group_col]) if group_col else [None]
    for i, metric in enumerate(columns_to_plot):
        ax = axes[i // ncols][i % ncols]
        for g_index, g in enumerate(groups):
            rows = metrics if g is None else metrics[metrics[group_col] == g]
            rows = rows.sort_values(kcol)
            err = None
            if f"{metric}_ci_low" in rows and f"{metric}_ci_high" in rows:
                err = interval_bounds(rows, metric, f"{metric}_ci_low", f"{metric}_ci_high")
            elif f"{metric}_sd" in rows:
                err = rows[f"{metric}_sd"].to_numpy(dtype=float)
            ax.errorbar(rows[kcol].to_numpy(), rows[metric].to_numpy(dtype=float), yerr=err, marker="o", capsize=2,
                        color=f"C{g_index}", label=None if g is None else str(g))
        ax.set_ylabel(metric)
        ax.set_xlabel(label("n_topics", locale))
        ax.set_xticks(sorted(metrics[kcol].unique()))
        format_numbers(ax.yaxis, locale)
        if g_index and i == 0:
            ax.legend()
    for j in range(n, nrows * ncols):
        fig.delaxes(axes[j // ncols][j % ncols])
    return fig


def intertopic_map(
    coordinates: pd.DataFrame,
    *,
    size: str = "prevalence",
    ax: Axes | None = None,
    locale: str | None = None,
) -> Axes:
    """Topics as circles on a plane: distance between circles ≈ distance between topics.

    ``coordinates`` is :func:`discourse.topics.coordinates.topic_coordinates` (columns
    ``topic``, ``x``, ``y``, ``prevalence`` and ``name``); circle area is proportional to
    ``size``. Circles carry the topic numbers (T1, T2…, as in LDAvis, which uses the same
    coordinates: :func:`discourse.to_pyldavis`), and a key under the map gives their names.

    >>> import pandas as pd
    >>> from discourse import plot
    >>> c = pd.DataFrame({"topic": [0, 1, 2], "x": [-0.2, 0.1, 0.1], "y": [0.0, 0.15, -0.15],
    ...                   "prevalence": [0.5, 0.3, 0.2]})
    >>> ax = plot.intertopic_map(c)
    >>> sorted(t.get_text() for t in ax.texts)
    ['T1', 'T2', 'T3']
    """
    require(coordinates, ["topic", "x", "y"], "intertopic_map")
    fig, ax = new_axes(ax, columns=1, aspect=1.0)
    ids = list(coordinates["topic"])
    colors = topic_colors(ids)
    sizes = coordinates[size].to_numpy(dtype=float) if size in coordinates else np.ones(len(ids))
    area = 1500.0 * sizes / max(float(sizes.max()), 1e-12)
    ax.scatter(coordinates["x"], coordinates["y"], s=area, c=[colors[t] for t in ids], alpha=0.55, edgecolors="black", linewidths=0.5)
    for t, x, y in zip(ids, coordinates["x"], coordinates["y"]):
        ax.text(x, y, topic_number(t), ha="center", va="center", fontweight="bold")
    ax.axhline(0, color="0.8", linewidth=0.5, zorder=0)
    ax.axvline(0, color="0.8", linewidth=0.5, zorder=0)
    ax.set_xlabel(label("dimension_1", locale))
    ax.set_ylabel(label("dimension_2", locale))
    span = float(max(np.ptp(coordinates["x"]), np.ptp(coordinates["y"]), 1e-6))
    cx, cy = float(coordinates["x"].mean()), float(coordinates["y"].mean())
    # room for the largest circle at the edge (its radius is in points, not data units)
    ax.set_xlim(cx - 0.85 * span, cx + 0.85 * span)
    ax.set_ylim(cy - 0.85 * span, cy + 0.85 * span)
    ax.set_aspect("equal")
    format_numbers(ax.xaxis, locale)
    format_numbers(ax.yaxis, locale)
    names = _names(coordinates)
    if names:  # the key: each number with its topic's name, under the map
        key = "\n".join(wrap(typographic(names[t], locale), 60) for t in ids if t in names)
        ax.annotate(key, (0, 0), xycoords="axes fraction", xytext=(0, -28), textcoords="offset points",
                    ha="left", va="top", fontsize="small")
    return ax
