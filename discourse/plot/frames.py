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
    time_values,
    wrap,
)
from discourse.plot.style import (
    current_locale,
    format_dates,
    format_numbers,
    frame_colors,
    french_key,
    label,
    topic_label,
    typographic,
)

__all__ = ["frame_rates", "frames_by_group", "frame_labels"]

_NOT_KEYS = {"frame", "name", "label", "concept", "count", "tokens", "rate_per_10k", "ci_low", "ci_high", "doc_share", "documents", "n_docs",
             "no_tokens", "period_start", "weighted_count", "weighted_tokens", "corpus_rate_per_10k", "lift",
             "n_documents", "documents_with_frame", "gloss"}


def frame_labels(frames: Sequence[str], labels: dict[str, str] | None = None, dictionary: Any = None,
                 locale: str | None = None) -> dict[str, str]:
    """The name each frame has in legends: ``labels`` if given, else the dictionary's label —
    French (``label``) with ``locale="fr"``, English (``gloss``) otherwise — never the raw id.

    ``dictionary`` defaults to the default dictionary; a frame it does not know is written
    with spaces (``"my_frame"`` → ``"My frame"``).

    >>> frame_labels(["state_of_emergency"], locale="fr")
    {'state_of_emergency': 'État d’urgence'}
    >>> frame_labels(["state_of_emergency", "my_frame"], locale="en")
    {'state_of_emergency': 'State of emergency', 'my_frame': 'My frame'}
    """
    loc = current_locale(locale)
    if dictionary is None:
        from discourse.frames import FrameDictionary

        dictionary = FrameDictionary.default()
    out = {}
    for name in frames:
        text = (labels or {}).get(name)
        if text is None and name in dictionary:
            entry = dictionary[name]
            text = entry.label if loc == "fr" else (entry.gloss or entry.label)
        text = str(text or str(name).replace("_", " "))
        # legend entries in sentence case, whoever wrote them ("rule of law" -> "Rule of law")
        out[name] = typographic(text[:1].upper() + text[1:], loc)
    return out


def _check_frames(names: Sequence[str], table: pd.DataFrame, function: str) -> None:
    have = ordered_unique(table["frame"])
    missing = [f for f in names if f not in set(have)]
    if missing:
        raise PlotInputError(f"{function}: frames {missing} are not in the table; it has {have}")


def _rate_label(table: pd.DataFrame, value: str, locale: str | None) -> str:
    """The rate axis names its unit as the counting step recorded it (``attrs["rate_unit"]``)."""
    if value != "rate_per_10k" or not table.attrs.get("rate_unit"):
        return label(value, locale)
    unit = str(table.attrs["rate_unit"])
    if current_locale(locale) != "fr":
        return f"Rate {unit}"
    # a French unit when the table records one, else the English one's known wording
    french = table.attrs.get("rate_unit_fr") or _RATE_UNITS_FR.get(unit)
    return f"Fréquence {french}" if french else f"{label(value, locale)} ({unit})"


_RATE_UNITS_FR = {
    "per 10,000 tokens": "pour 10 000 mots",
    "per 10,000 content tokens (stop words removed)": "pour 10 000 mots pleins (mots vides exclus)",
    "per 10,000 content tokens": "pour 10 000 mots pleins",
}


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
    dictionary: Any = None,
    events: dict[str, Any] | None = None,
    ax: Axes | None = None,
    locale: str | None = None,
) -> Axes:
    """Frame rates over time: one line per frame, its confidence interval as a shaded band.

    ``table`` is ``count_frames(tokens, dictionary, freq="M")``. ``frames`` chooses and orders
    the frames (each keeps its colour, :func:`discourse.plot.frame_colors`); an unknown frame
    raises. The legend names frames by the dictionary's label (:func:`frame_labels`: French
    with ``locale="fr"``, English otherwise; ``labels`` overrides). The rate axis names the
    unit recorded in ``table.attrs["rate_unit"]`` when the table has it. ``events`` marks dates
    with a labelled vertical line (e.g. ``{"13 nov. 2015": "2015-11-13"}``).

    >>> import pandas as pd
    >>> from discourse import plot
    >>> t = pd.DataFrame({"frame": ["state_of_emergency"] * 3,
    ...                   "period": pd.period_range("2015-10", periods=3, freq="M"),
    ...                   "rate_per_10k": [0.5, 9.0, 6.1], "ci_low": [0.2, 7.5, 4.9], "ci_high": [0.9, 10.6, 7.4]})
    >>> ax = plot.frame_rates(t)
    >>> len(ax.lines), ax.get_ylabel(), ax.get_title(loc="left")
    (1, 'Rate per 10,000 tokens', 'State of emergency')
    """
    require(table, ["frame", value], "frame_rates")
    period = _period_column(table, period, "frame_rates")
    times = time_values(table[period])
    if times is None:
        raise PlotInputError(f"frame_rates: column {period!r} holds no dates or periods; use frames_by_group for groups")
    names = list(frames) if frames is not None else ordered_unique(table["frame"])
    _check_frames(names, table, "frame_rates")
    colors = colors or frame_colors(names)
    labels = frame_labels(names, labels, dictionary, locale)
    fig, ax = new_axes(ax, columns=2, aspect=0.4)
    data = table.assign(_t=times)
    for name in names:
        rows = data[data["frame"] == name].sort_values("_t")
        ax.plot(rows["_t"], rows[value].to_numpy(dtype=float), color=colors[name], label=labels[name],
                marker="o", markersize=2)
        if bands and "ci_low" in rows and "ci_high" in rows:
            ax.fill_between(rows["_t"].to_numpy(), rows["ci_low"].to_numpy(dtype=float), rows["ci_high"].to_numpy(dtype=float),
                            color=colors[name], alpha=0.2, linewidth=0)
    for text, when in (events or {}).items():
        ts = pd.Timestamp(when)
        ax.axvline(ts, color="0.3", linestyle="--", linewidth=0.7)
        ax.annotate(typographic(text, locale), (ts, 1.0), xycoords=("data", "axes fraction"), xytext=(2, -2), textcoords="offset points",
                    ha="left", va="top", fontsize="small", color="0.3")
    span = (data["_t"].max() - data["_t"].min()).days
    format_dates(ax.xaxis, span, locale)
    ax.set_ylabel(_rate_label(table, value, locale))
    ax.set_xlabel(label("date", locale))
    ax.set_ylim(bottom=0)
    format_numbers(ax.yaxis, locale)
    if len(names) > 1:
        legend_above(ax, [labels[n] for n in names])
    else:
        ax.set_title(labels[names[0]], loc="left")
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
    dictionary: Any = None,
    topic_names: dict[Any, str] | None = None,
    max_label_length: int = 40,
    ax: Axes | None = None,
    locale: str | None = None,
) -> Axes:
    """Frame rates by group as dots with whiskers (the confidence interval), groups in rows.

    ``table`` is ``count_frames(tokens, dictionary, by="group")``; each frame is one colour,
    dodged vertically within a group's row, named as in :func:`frame_labels` (``labels``
    overrides). Groups are in French dictionary order unless ``groups`` gives them; names
    longer than ``max_label_length`` are wrapped between words. Unknown frames or groups raise.
    Rows of a frames-by-topic table (``by="topic"``) are named as in every topic figure: from
    ``topic_names`` (``dict(zip(model.topic_ids_, model.topic_names()))``) or a ``name`` column.

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
    _check_frames(names, table, "frames_by_group")
    colors = colors or frame_colors(names)
    labels = frame_labels(names, labels, dictionary, locale)
    if groups is not None:
        # groups as written in an analysis file (2013 or "2013") find the table's values
        present = {str(v): v for v in ordered_unique(table[by])}
        unknown = [g for g in groups if str(g) not in present]
        if unknown:
            raise PlotInputError(f"frames_by_group: groups {list(unknown)} are not in column {by!r}; it has {list(present.values())}")
        group_list = [present[str(g)] for g in groups]
    elif by == "topic":
        group_list = ordered_unique(table[by])
    else:  # groups in French dictionary order (« État » next to « état », before « Europe »)
        group_list = sorted(ordered_unique(table[by]), key=french_key)
    n_g = len(group_list)
    # rows of a frames-by-topic table are topic ids: written as in every topic figure
    names_by_topic = topic_names or (dict(zip(table["topic"], table["name"])) if by == "topic" and "name" in table else None)
    row_names = [topic_label(g, locale, names_by_topic) if by == "topic" else typographic(wrap(g, max_label_length), locale)
                 for g in group_list]
    created = ax is None
    fig, ax = new_axes(ax, columns=1)
    if created:
        fig.set_size_inches(*rows_figsize(row_names, len(names), [labels[n] for n in names]))
    y0 = np.arange(n_g)
    step = 0.8 / max(1, len(names))
    for k, name in enumerate(names):
        rows = table[table["frame"] == name].drop_duplicates(by).set_index(by).reindex(group_list).reset_index()
        y = y0 - 0.4 + step * (k + 0.5)
        err = interval_bounds(rows, value)
        ax.errorbar(rows[value].to_numpy(dtype=float), y, xerr=err, fmt="o", color=colors[name], capsize=1.5,
                    elinewidth=0.9, label=labels[name])
    ax.set_yticks(y0, labels=row_names)
    ax.invert_yaxis()
    ax.set_xlabel(_rate_label(table, value, locale))
    ax.set_xlim(left=0)
    format_numbers(ax.xaxis, locale)
    ax.grid(axis="x", color="0.9", linewidth=0.5)
    ax.set_axisbelow(True)
    if len(names) > 1:
        legend_above(ax, [labels[n] for n in names])
    else:
        ax.set_title(labels[names[0]], loc="left")
    return ax
