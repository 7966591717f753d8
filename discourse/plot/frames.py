"""Figures of frame counts: rates over time with intervals, and rates by group (dot and whisker).

Both take the table of :func:`discourse.count_frames` (columns ``frame``, a period or group
column, ``rate_per_10k``, ``ci_low``, ``ci_high``) and draw it as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from discourse.plot._common import (
    PlotInputError,
    interval_bounds,
    legend_above,
    new_axes,
    ordered_unique,
    pick_column,
    require,
    rows_figsize,
    shorten,
    time_values,
)
from discourse.plot.style import format_dates, format_numbers, frame_colors, label, topic_label

__all__ = ["frame_rates", "frames_by_group"]

_NOT_KEYS = {"frame", "concept", "count", "tokens", "rate_per_10k", "ci_low", "ci_high", "doc_share", "documents", "n_docs",
             "no_tokens", "period_start", "weighted_count", "weighted_tokens", "corpus_rate_per_10k", "lift",
             "n_documents", "documents_with_frame", "gloss"}


def _period_column(table: pd.DataFrame, by: str | None, function: str) -> str:
    if by is not None:
        require(table, [by], function)
        return by
    return pick_column(table, ["period", "date", "month", "quarter", "year", "day"], _NOT_KEYS, function, "periods")


def frame_rates(
    table: pd.DataFrame,
    *,
    frames: Sequence[str] | None = None,
    period: str | None = None,
    value: str = "rate_per_10k",
    bands: bool = True,
    colors: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    events: dict[str, Any] | None = None,
    ax: Axes | None = None,
    locale: str | None = None,
) -> Axes:
    """Frame rates over time: one line per frame, its confidence interval as a shaded band.

    ``table`` is ``count_frames(tokens, dictionary, freq="M")``. ``frames`` chooses and orders
    the frames (their colours follow that order, as in :func:`discourse.plot.frame_colors`);
    ``labels`` maps frame ids to the names shown in the legend; ``events`` marks dates with a labelled vertical line (e.g. ``{"13 nov. 2015": "2015-11-13"}``).

    >>> import pandas as pd
    >>> from discourse import plot
    >>> t = pd.DataFrame({"frame": ["state_of_emergency"] * 3,
    ...                   "period": pd.period_range("2015-10", periods=3, freq="M"),
    ...                   "rate_per_10k": [0.5, 9.0, 6.1], "ci_low": [0.2, 7.5, 4.9], "ci_high": [0.9, 10.6, 7.4]})
    >>> ax = plot.frame_rates(t)
    >>> len(ax.lines), ax.get_ylabel()
    (1, 'Rate per 10,000 tokens')
    """
    require(table, ["frame", value], "frame_rates")
    period = _period_column(table, period, "frame_rates")
    times = time_values(table[period])
    if times is None:
        raise PlotInputError(f"frame_rates: column {period!r} holds no dates or periods; use frames_by_group for groups")
    names = list(frames) if frames is not None else ordered_unique(table["frame"])
    missing = [f for f in names if f not in set(table["frame"])]
    if missing:
        raise PlotInputError(f"frame_rates: frames {missing} are not in the table (it has {ordered_unique(table['frame'])})")
    colors = colors or frame_colors(names)
    fig, ax = new_axes(ax, columns=2, aspect=0.4)
    data = table.assign(_t=times)
    for name in names:
        rows = data[data["frame"] == name].sort_values("_t")
        ax.plot(rows["_t"], rows[value].to_numpy(dtype=float), color=colors[name], label=(labels or {}).get(name, str(name)),
                marker="o", markersize=2)
        if bands and "ci_low" in rows and "ci_high" in rows:
            ax.fill_between(rows["_t"].to_numpy(), rows["ci_low"].to_numpy(dtype=float), rows["ci_high"].to_numpy(dtype=float),
                            color=colors[name], alpha=0.2, linewidth=0)
    for text, when in (events or {}).items():
        ts = pd.Timestamp(when)
        ax.axvline(ts, color="0.3", linestyle="--", linewidth=0.7)
        ax.annotate(text, (ts, 1.0), xycoords=("data", "axes fraction"), xytext=(2, -2), textcoords="offset points",
                    ha="left", va="top", fontsize="small", color="0.3")
    span = (data["_t"].max() - data["_t"].min()).days
    format_dates(ax.xaxis, span, locale)
    ax.set_ylabel(label(value, locale))
    ax.set_xlabel(label("date", locale))
    ax.set_ylim(bottom=0)
    format_numbers(ax.yaxis, locale)
    if len(names) > 1:
        legend_above(ax, [(labels or {}).get(n, str(n)) for n in names])
    return ax


def frames_by_group(
    table: pd.DataFrame,
    *,
    by: str | None = None,
    frames: Sequence[str] | None = None,
    groups: Sequence[Any] | None = None,
    value: str = "rate_per_10k",
    colors: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    max_label_length: int = 40,
    ax: Axes | None = None,
    locale: str | None = None,
) -> Axes:
    """Frame rates by group as dots with whiskers (the confidence interval), groups in rows.

    ``table`` is ``count_frames(tokens, dictionary, by="group")``; each frame is one colour,
    dodged vertically within a group's row. ``labels`` maps frame ids to legend names; group
    names longer than ``max_label_length`` are shortened with "…" on the axis.

    >>> import pandas as pd
    >>> from discourse import plot
    >>> t = pd.DataFrame({"frame": ["rule_of_law"] * 2 + ["security"] * 2, "group": ["SRC", "UMP"] * 2,
    ...                   "rate_per_10k": [3.0, 1.5, 2.0, 4.0], "ci_low": [2.0, 1.0, 1.5, 3.1],
    ...                   "ci_high": [4.0, 2.1, 2.6, 5.0]})
    >>> ax = plot.frames_by_group(t)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['SRC', 'UMP']
    """
    require(table, ["frame", value], "frames_by_group")
    if by is None:
        by = pick_column(table, ["group", "party", "source", "speaker", "agenda_item", "topic"], _NOT_KEYS, "frames_by_group", "groups")
    require(table, [by], "frames_by_group")
    names = list(frames) if frames is not None else ordered_unique(table["frame"])
    colors = colors or frame_colors(names)
    group_list = list(groups) if groups is not None else ordered_unique(table[by])
    n_g = len(group_list)
    created = ax is None
    fig, ax = new_axes(ax, columns=1)
    if created:
        fig.set_size_inches(*rows_figsize([shorten(str(g), max_label_length) for g in group_list], len(names),
                                          [(labels or {}).get(n, str(n)) for n in names]))
    y0 = np.arange(n_g)
    step = 0.8 / max(1, len(names))
    for k, name in enumerate(names):
        rows = table[table["frame"] == name].drop_duplicates(by).set_index(by).reindex(group_list).reset_index()
        y = y0 - 0.4 + step * (k + 0.5)
        err = interval_bounds(rows, value)
        ax.errorbar(rows[value].to_numpy(dtype=float), y, xerr=err, fmt="o", color=colors[name], capsize=1.5,
                    elinewidth=0.9, label=(labels or {}).get(name, str(name)))
    # rows of a frames-by-topic table are topic ids: write them as in every topic figure
    row_names = [topic_label(g, locale) if by == "topic" else shorten(str(g), max_label_length) for g in group_list]
    ax.set_yticks(y0, labels=row_names)
    ax.invert_yaxis()
    ax.set_xlabel(label(value, locale))
    ax.set_xlim(left=0)
    format_numbers(ax.xaxis, locale)
    ax.grid(axis="x", color="0.9", linewidth=0.5)
    ax.set_axisbelow(True)
    if len(names) > 1:
        legend_above(ax, [(labels or {}).get(n, str(n)) for n in names])
    return ax
