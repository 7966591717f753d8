"""Figures of positions and effects: they draw the tables of discourse.scaling and estimate_effect.

- :func:`positions` — one row a document or speaker, its position and interval, coloured by a
  group (quanteda's ``textplot_scale1d``);
- :func:`word_weights` — every word's weight against its frequency effect (Wordfish's "Eiffel
  tower"), a few words labelled;
- :func:`effect_contrast` — difference in topic prevalence between two groups, with intervals;
- :func:`effect_curve` — expected prevalence over time (or any numeric covariate) with a band;
- :func:`term_drift` — the probability of some words in a topic at each time point.

None computes a statistic: each draws the table it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from discourse.plot._common import PlotInputError, legend_above, new_axes, ordered_unique, require
from discourse.plot.style import figsize, format_numbers, group_colors, topic_colors

__all__ = ["positions", "word_weights", "effect_contrast", "effect_curve", "term_drift"]


def _score_column(table: pd.DataFrame, score: str | None, function: str) -> str:
    if score is not None:
        require(table, [score], function)
        return score
    for c in ("theta", "score", "estimate"):
        if c in table.columns:
            return c
    raise PlotInputError(f"{function}: no 'theta', 'score' or 'estimate' column; pass score= (columns: {list(table.columns)})")


def positions(table: pd.DataFrame, *, score: str | None = None, label: str = "doc_id", by: str | None = None,
              colors: dict[Any, str] | None = None, xlabel: str = "Position", ax: Axes | None = None) -> Axes:
    """Positions with their intervals, one row each, sorted, coloured by ``by`` (e.g. the party).

    ``table`` is ``Wordfish.positions()`` (or Wordscores' / LSS'): ``doc_id``, ``theta`` or
    ``score``, ``ci_low``, ``ci_high`` and metadata.

    >>> import pandas as pd
    >>> from discourse import plot
    >>> t = pd.DataFrame({"doc_id": ["Mariton", "Taubira", "Binet"], "theta": [1.2, -1.0, -0.4],
    ...                   "ci_low": [1.1, -1.1, -0.5], "ci_high": [1.3, -0.9, -0.3], "group": ["UMP", None, "SRC"]})
    >>> ax = plot.positions(t, by="group")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Taubira', 'Binet', 'Mariton']
    """
    col = _score_column(table, score, "positions")
    require(table, [label, "ci_low", "ci_high"], "positions")
    data = table.sort_values(col, kind="stable").reset_index(drop=True)
    n = len(data)
    if ax is None:
        _, ax = plt.subplots(figsize=figsize(1, height=min(0.6 + 0.16 * n, 40)))
    ypos = np.arange(n)
    groups = data[by].fillna("—") if by is not None else pd.Series(["all"] * n)
    # the largest groups get the first (most distinct) colours; no group is grey
    by_size = [g for g in groups.value_counts(sort=True).index if g != "—"]
    palette = colors or {**group_colors(by_size), "—": "#999999"}
    for g in ordered_unique(sorted(groups, key=str)):
        rows = np.flatnonzero(groups.to_numpy() == g)
        ax.hlines(ypos[rows], data["ci_low"].to_numpy()[rows], data["ci_high"].to_numpy()[rows], color=palette.get(g, "#333333"), lw=1)
        ax.plot(data[col].to_numpy()[rows], ypos[rows], "o", ms=3.5, color=palette.get(g, "#333333"), label=str(g))
    ax.set_yticks(ypos, data[label].astype(str).tolist(), fontsize=max(4, min(8, 300 / max(n, 1))))
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlabel(xlabel)
    ax.axvline(0, color="#bbbbbb", lw=0.6, zorder=0)
    format_numbers(ax.xaxis)
    if by is not None:
        ax.legend(loc="lower right", frameon=False, fontsize=7, title=by)
    return ax


def word_weights(table: pd.DataFrame, *, x: str = "beta", y: str = "psi", highlight: Sequence[str] = (),
                 n_labels: int = 12, min_count: int = 20, ax: Axes | None = None) -> Axes:
    """Each word's weight (``beta``) against its fixed effect (``psi``): Wordfish's "Eiffel tower".

    Words named in ``highlight`` and the ``n_labels`` words with the largest absolute weight among
    those counted at least ``min_count`` times are labelled.

    >>> import pandas as pd
    >>> from discourse import plot
    >>> t = pd.DataFrame({"term": ["famille", "égalité", "loi"], "beta": [1.5, -1.2, 0.0],
    ...                   "psi": [-2.0, -2.5, 1.0], "count": [120, 90, 400]})
    >>> ax = plot.word_weights(t, highlight=["loi"])
    >>> sorted(t.get_text() for t in ax.texts)
    ['famille', 'loi', 'égalité']
    """
    require(table, ["term", x, y], "word_weights")
    fig, ax = new_axes(ax, 1.5, 0.7)
    ax.scatter(table[x], table[y], s=4, color="#999999", alpha=0.5, linewidths=0)
    frequent = table[table["count"] >= min_count] if "count" in table.columns else table
    chosen = frequent.reindex(frequent[x].abs().sort_values(ascending=False).index).head(n_labels)
    chosen = pd.concat([chosen, table[table["term"].isin(list(highlight))]]).drop_duplicates("term")
    x_span = float(np.ptp(table[x])) or 1.0
    y_span = float(np.ptp(table[y])) or 1.0
    placed: list[tuple[float, float, float]] = []  # (x, y, half width) of labels already drawn
    for row in chosen.sort_values(y, ascending=False).itertuples(index=False):
        term, px, py = getattr(row, "term"), float(getattr(row, x)), float(getattr(row, y))
        half = 0.011 * x_span * len(term) / 2
        ty = py
        # move a label down until it overlaps no other (an approximate text box in data units)
        while any(abs(px - qx) < half + qh and abs(ty - qy) < 0.045 * y_span for qx, qy, qh in placed):
            ty -= 0.045 * y_span
        placed.append((px, ty, half))
        mark = term in set(highlight)
        ax.plot([px], [py], "o", ms=3, color="#D55E00" if mark else "#222222")
        ax.annotate(term, (px, py), xytext=(px, ty), fontsize=7, color="#D55E00" if mark else "#222222",
                    ha="center", va="bottom", arrowprops=None if ty == py else {"arrowstyle": "-", "color": "#bbbbbb", "lw": 0.5})
    ax.set_xlabel("Word weight (β)" if x == "beta" else x)
    ax.set_ylabel("Word fixed effect (ψ)" if y == "psi" else y)
    format_numbers(ax.xaxis)
    return ax


def effect_contrast(table: pd.DataFrame, *, ax: Axes | None = None, xlabel: str | None = None) -> Axes:
    """Difference in topic prevalence between two groups, one row a topic, with its interval.

    ``table`` is ``TopicEffects.contrast(variable, reference, other)``.

    >>> import pandas as pd
    >>> from discourse import plot
    >>> t = pd.DataFrame({"topic": [0, 1], "label": ["famille", "égalité"], "contrast": ["UMP − SRC"] * 2,
    ...                   "estimate": [0.05, -0.04], "ci_low": [0.03, -0.06], "ci_high": [0.07, -0.02]})
    >>> ax = plot.effect_contrast(t)
    >>> ax.get_xlabel()
    'Difference in topic proportion (UMP − SRC)'
    """
    require(table, ["topic", "estimate", "ci_low", "ci_high"], "effect_contrast")
    data = table.sort_values("estimate", kind="stable").reset_index(drop=True)
    if ax is None:
        _, ax = plt.subplots(figsize=figsize(1, height=0.8 + 0.25 * len(data)))
    names = data["label"].astype(str) if "label" in data.columns else data["topic"].astype(str)
    palette = topic_colors(data["topic"])
    ypos = np.arange(len(data))
    for i, row in data.iterrows():
        color = palette[row["topic"]]
        ax.hlines(i, row["ci_low"], row["ci_high"], color=color, lw=1.5)
        ax.plot(row["estimate"], i, "o", color=color, ms=5)
    ax.axvline(0, color="#888888", lw=0.8, ls="--")
    ax.set_yticks(ypos, names.tolist())
    contrast = data["contrast"].iloc[0] if "contrast" in data.columns else ""
    ax.set_xlabel(xlabel or f"Difference in topic proportion ({contrast})".replace(" ()", ""))
    format_numbers(ax.xaxis)
    return ax


def effect_curve(table: pd.DataFrame, variable: str, *, topics: Sequence[Any] | None = None, ax: Axes | None = None,
                 ylabel: str = "Expected topic proportion") -> Axes:
    """Expected prevalence along ``variable`` (a date or number), one line per topic, its interval as a band.

    ``table`` is ``TopicEffects.curve(variable)``.

    >>> import pandas as pd
    >>> from discourse import plot
    >>> t = pd.DataFrame({"topic": [0, 0, 0], "label": ["famille"] * 3,
    ...                   "date": pd.to_datetime(["2013-01-29", "2013-02-05", "2013-02-12"]),
    ...                   "estimate": [0.1, 0.2, 0.15], "ci_low": [0.05, 0.15, 0.1], "ci_high": [0.15, 0.25, 0.2]})
    >>> ax = plot.effect_curve(t, "date")
    >>> len(ax.lines), len(ax.collections)
    (1, 1)
    """
    require(table, ["topic", variable, "estimate", "ci_low", "ci_high"], "effect_curve")
    fig, ax = new_axes(ax)
    chosen = list(topics) if topics is not None else ordered_unique(table["topic"])
    palette = topic_colors(chosen)
    for t in chosen:
        part = table[table["topic"] == t].sort_values(variable)
        if part.empty:
            raise PlotInputError(f"effect_curve: topic {t!r} is not in the table")
        name = str(part["label"].iloc[0]) if "label" in part.columns else f"topic {t}"
        ax.fill_between(part[variable], part["ci_low"], part["ci_high"], color=palette[t], alpha=0.2, lw=0)
        ax.plot(part[variable], part["estimate"], color=palette[t], lw=1.5, label=name)
    ax.set_ylabel(ylabel)
    ax.set_xlabel(variable)
    if len(chosen) > 1:
        legend_above(ax, [str(table.loc[table.topic == t, "label"].iloc[0]) if "label" in table.columns else f"topic {t}" for t in chosen])
    if pd.api.types.is_datetime64_any_dtype(table[variable]):
        import matplotlib.dates as mdates

        locator = mdates.AutoDateLocator(maxticks=6)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.set_xlabel("")
    return ax


def term_drift(table: pd.DataFrame, *, ax: Axes | None = None, ylabel: str = "Probability in the topic") -> Axes:
    """The probability of some words in one topic at each time point, one line per word.

    ``table`` is ``DynamicLDA.term_drift(terms, topic)`` (``time``, ``term``, ``weight``).

    >>> import pandas as pd
    >>> from discourse import plot
    >>> t = pd.DataFrame({"time": ["2013-01-29", "2013-02-05"] * 2, "term": ["famille"] * 2 + ["enfant"] * 2,
    ...                   "weight": [0.02, 0.03, 0.01, 0.02]})
    >>> len(plot.term_drift(t).lines)
    2
    """
    require(table, ["time", "term", "weight"], "term_drift")
    fig, ax = new_axes(ax)
    times = ordered_unique(table["time"])
    xpos = {t: i for i, t in enumerate(times)}
    palette = group_colors(ordered_unique(table["term"]))
    for term in ordered_unique(table["term"]):
        part = table[table["term"] == term]
        ax.plot([xpos[t] for t in part["time"]], part["weight"], marker="o", ms=3, color=palette[term], label=term)
    ax.set_xticks(range(len(times)), [str(t) for t in times], rotation=45, ha="right", fontsize=7)
    ax.set_ylabel(ylabel)
    legend_above(ax, ordered_unique(table["term"]))
    return ax
