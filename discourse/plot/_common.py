"""Small helpers shared by the plot modules: checking tables, making axes, reading time columns.

Nothing here computes a statistic: tables arrive with their numbers, and these helpers
only check, reshape and place them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from discourse.plot.style import figsize

_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_QUARTER = re.compile(r"^\d{4}Q[1-4]$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


class PlotInputError(ValueError):
    """A table given to a plot function lacks a column or has no rows."""


def require(table: pd.DataFrame, columns: Iterable[str], function: str) -> None:
    """Fail with the missing column names and the columns the table has."""
    if not isinstance(table, pd.DataFrame):
        raise PlotInputError(f"{function}: expects a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise PlotInputError(f"{function}: the table has no column {missing}; its columns are {list(table.columns)}")
    if table.empty:
        raise PlotInputError(f"{function}: the table has no rows, nothing to draw")


def new_axes(ax: Axes | None, columns: float = 1, aspect: float = 0.62) -> tuple[Any, Axes]:
    """The figure and axes to draw on: ``ax`` if given, else a new paper-sized figure."""
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize(columns, aspect))
    return fig, ax


def pick_column(table: pd.DataFrame, candidates: Sequence[str], exclude: Iterable[str], function: str, what: str) -> str:
    """The first candidate column present, else the only column not in ``exclude``."""
    for c in candidates:
        if c in table.columns:
            return c
    rest = [c for c in table.columns if c not in set(exclude)]
    if len(rest) == 1:
        return rest[0]
    raise PlotInputError(
        f"{function}: cannot tell which column holds the {what}; pass it explicitly (columns: {list(table.columns)})"
    )


def time_values(values: pd.Series) -> pd.Series | None:
    """Dates for a period column (datetime, Period, or text like 2015, 2015-11, 2015Q4); else None."""
    if isinstance(values.dtype, pd.PeriodDtype):
        return values.dt.to_timestamp()
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    if pd.api.types.is_integer_dtype(values) and values.between(1000, 2999).all():
        return pd.to_datetime(values.astype(str), format="%Y")
    sample = values.dropna().astype(str)
    if sample.empty:
        return None
    if sample.map(lambda s: isinstance(s, str) and bool(_MONTH.match(s))).all():
        return pd.to_datetime(values.astype(str), format="%Y-%m")
    if sample.map(lambda s: bool(_YEAR.match(s))).all():
        return pd.to_datetime(values.astype(str), format="%Y")
    if sample.map(lambda s: bool(_QUARTER.match(s))).all():
        return pd.PeriodIndex(values.astype(str), freq="Q").to_timestamp().to_series(index=values.index)
    if sample.map(lambda s: bool(_DAY.match(s))).all():
        return pd.to_datetime(values.astype(str).str.slice(0, 10), format="%Y-%m-%d")
    return None


def ordered_unique(values: Iterable[Any]) -> list[Any]:
    """Distinct values in order of first appearance."""
    return list(dict.fromkeys(values))


def interval_bounds(table: pd.DataFrame, value: str, low: str = "ci_low", high: str = "ci_high") -> np.ndarray | None:
    """Error-bar half-lengths (2 × n) from interval columns, or None when the table has none."""
    if low not in table.columns or high not in table.columns:
        return None
    v = table[value].to_numpy(dtype=float)
    lo = table[low].to_numpy(dtype=float)
    hi = table[high].to_numpy(dtype=float)
    return np.vstack([np.clip(v - lo, 0, None), np.clip(hi - v, 0, None)])


def rows_figsize(labels: Sequence[str], n_series: int, series_labels: Sequence[str] = ()) -> tuple[float, float]:
    """Size of a dot-and-whisker figure with one row per label and ``n_series`` dodged series.

    Two-column width when the row labels are long (agenda items, sitting titles), one-column
    width otherwise; the height grows with the rows, the series dodged in each row and the
    rows of the legend above the axes.
    """
    from discourse.plot.style import ONE_COLUMN, TWO_COLUMN

    lines = [str(x).split("\n") for x in labels]
    longest = max((len(line) for ls in lines for line in ls), default=0)
    width = TWO_COLUMN if longest > 18 else ONE_COLUMN
    legend_rows = 0
    if n_series > 1:
        cols = legend_columns(width, series_labels or [""] * n_series)
        legend_rows = -(-n_series // cols)
    # rows are evenly spaced: each as tall as its dodged series, or as the longest label's lines
    # (7 pt ticks) with a gap, whichever is more
    base = 0.12 + 0.022 * n_series
    most = max((len(ls) for ls in lines), default=1)
    rows = len(lines) * max(base, 0.125 * most + 0.06 if most > 1 else base)
    height = 0.55 + 0.17 * legend_rows + rows
    return (width, round(max(1.6, height), 3))


def legend_columns(width: float, labels: Sequence[str], max_columns: int = 4) -> int:
    """How many legend entries fit side by side in a figure ``width`` inches wide."""
    longest = max((len(str(x)) for x in labels), default=1)
    fits = max(1, min(max_columns, len(labels), int(width // (0.4 + 0.065 * max(longest, 4)))))
    rows = -(-len(labels) // fits)
    return max(1, -(-len(labels) // rows))  # balanced rows: 4 entries in 2 × 2, not 3 + 1


def shorten(text: str, limit: int) -> str:
    """The text cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def wrap(text: Any, width: int) -> str:
    r"""Long labels on several lines, broken between words (never inside one).

    >>> wrap("Situation au Moyen-Orient et processus de paix", 20)
    'Situation au\nMoyen-Orient et\nprocessus de paix'
    """
    import textwrap

    s = str(text)
    if len(s) <= width:
        return s
    # a separator dot stays with the word after it ("T4 · concurrence", not "T4 ·" / "concurrence")
    lines = textwrap.wrap(s.replace(" · ", "\u00a0· "), width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines).replace("\u00a0", " ")


def subset_note(ax: Axes, shown: int, total: int, what: str, locale: str | None = None) -> None:
    """Say on the figure that it shows part of the data (« 60 documents sur 451 »)."""
    from discourse.plot.style import current_locale, format_number

    if shown >= total:
        return
    if current_locale(locale) == "fr":
        text = f"{format_number(shown, 'fr')} {what['fr']} sur {format_number(total, 'fr')}"
    else:
        text = f"first {format_number(shown, 'en')} of {format_number(total, 'en')} {what['en']}"
    ax.set_title(text, fontsize="small", loc="left", color="0.3")


def legend_above(ax: Axes, labels: Sequence[str], max_columns: int = 4) -> None:
    """A legend in a row above the axes, with as many columns as the figure width holds."""
    ncols = legend_columns(ax.figure.get_size_inches()[0], labels, max_columns)
    ax.legend(ncols=ncols, loc="lower left", bbox_to_anchor=(0, 1.0))
