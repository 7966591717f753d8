"""Figures of lexicometry: keyness (two-sided bars), specificities (heatmap), co-occurrence
network, and KWIC concordances as a table that renders in JupyterLab.

Each takes the table the analysis returned (:func:`discourse.keyness`,
:func:`discourse.specificities`, :func:`discourse.frames.cooccurrence`, :func:`discourse.kwic`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import SymLogNorm

from discourse.plot._common import PlotInputError, new_axes, ordered_unique, pick_column, require
from discourse.plot.style import (
    DIVERGING_CMAP,
    ONE_COLUMN,
    PALETTE,
    TWO_COLUMN,
    current_locale,
    format_number,
    format_numbers,
    label,
    typographic,
)

__all__ = ["keyness", "specificities", "cooccurrence_network", "kwic_table"]


def keyness(
    table: pd.DataFrame,
    *,
    n: int = 15,
    score: str | None = None,
    term: str = "term",
    side: str | None = None,
    target_label: str | None = None,
    reference_label: str | None = None,
    measure: str | None = None,
    alpha: float | None = 0.05,
    ax: Axes | None = None,
    locale: str | None = None,
) -> Axes:
    """Two-sided bars: the ``n`` terms most typical of the target (right) and of the reference (left).

    ``table`` is ``discourse.keyness(...)``. Which side a term belongs to is read from the
    table: an ``effect``/``side`` column (``"target"``/``"reference"``), or a signed ``score``, or the
    sign of a ``log_ratio`` column. Bars follow the table's ranking (its ``rank`` column, else
    the size of the score). The axis names the measure (``measure``, else
    ``table.attrs["measure"]`` as :func:`discourse.keyness` records it: ``g2``, ``chi2``,
    ``log_ratio``, ``lrc``). For G² and χ² a dashed line marks the significance threshold at
    ``alpha`` with a Bonferroni correction for the number of terms in the table (the χ²
    critical value, 1 degree of freedom); ``alpha=None`` draws none.

    >>> import pandas as pd
    >>> from discourse import plot
    >>> t = pd.DataFrame({"term": ["famille", "égalité", "enfant", "droit"], "score": [40.0, -35.0, 22.0, -18.0]})
    >>> ax = plot.keyness(t, n=2, target_label="UMP", reference_label="SRC")
    >>> len(ax.patches)
    4
    """
    if score is None:
        score = pick_column(table, ["score", "g2", "keyness", "chi2", "lrc", "log_ratio"], set(), "keyness", "keyness score")
    require(table, [term, score], "keyness")
    values = table[score].to_numpy(dtype=float)
    side_col = side or next((c for c in ("effect", "side", "direction", "preferred") if c in table.columns), None)
    if side_col is not None:
        labels = table[side_col].astype(str).str.lower()
        is_target = labels.isin(["target", "+", "positive", "cible", "over", "1", "true"]).to_numpy()
        magnitude = np.abs(values)
    elif (values < 0).any():
        is_target = values >= 0
        magnitude = np.abs(values)
    elif "log_ratio" in table.columns:
        is_target = table["log_ratio"].to_numpy(dtype=float) >= 0
        magnitude = values
    else:
        is_target = np.ones(len(values), dtype=bool)
        magnitude = values
    ranks = table["rank"].to_numpy(dtype=float) if "rank" in table.columns else -magnitude
    data = pd.DataFrame({"term": [typographic(t, locale) for t in table[term].astype(str)], "magnitude": magnitude,
                         "target": is_target, "order": ranks})
    top = data[data["target"]].sort_values("order", kind="stable").head(n)
    bottom = data[~data["target"]].sort_values("order", kind="stable").head(n)
    if top.empty and bottom.empty:
        raise PlotInputError("keyness: no term to draw")
    rows = max(len(top), len(bottom))
    fig, ax = new_axes(ax, columns=1, aspect=max(0.5, 0.09 * rows + 0.2))
    y_top = np.arange(len(top))
    y_bottom = np.arange(len(bottom))
    ax.barh(y_top, top["magnitude"], color=PALETTE[0], height=0.75, label=target_label or label("target", locale))
    ax.barh(y_bottom, -bottom["magnitude"].to_numpy(), color=PALETTE[1], height=0.75, label=reference_label or label("reference", locale))
    # each term is written at the outer end of its bar: target terms right, reference terms left
    largest = float(max(top["magnitude"].max() if len(top) else 0, bottom["magnitude"].max() if len(bottom) else 0, 1e-12))
    pad = 0.015 * largest
    for y, (t, m) in zip(y_top, zip(top["term"], top["magnitude"])):
        ax.text(m + pad, y, t, ha="left", va="center", fontsize="small")
    for y, (t, m) in zip(y_bottom, zip(bottom["term"], bottom["magnitude"])):
        ax.text(-m - pad, y, t, ha="right", va="center", fontsize="small")
    left = float(bottom["magnitude"].max()) if len(bottom) else 0.0
    right = float(top["magnitude"].max()) if len(top) else 0.0
    ax.set_xlim(-(left + 0.45 * largest) if len(bottom) else -0.05 * largest, right + 0.45 * largest if len(top) else 0.05 * largest)
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.invert_yaxis()
    measure = measure or table.attrs.get("measure") or (score if score != "score" else "keyness")
    ax.set_xlabel(label(measure, locale))
    if alpha is not None and measure in ("g2", "chi2"):
        from scipy.stats import chi2

        critical = float(chi2.isf(alpha / max(len(table), 1), df=1))
        for x in (critical, -critical):
            ax.axvline(x, color="0.35", linestyle="--", linewidth=0.7, zorder=0)
        # written in words once, beside the threshold on the target side
        words = "seuil" if current_locale(locale) == "fr" else "threshold"
        ax.annotate(f"{words} p = {format_number(alpha, locale)} (Bonferroni, {format_number(len(table), locale)} "
                    f"{'termes' if words == 'seuil' else 'terms'})",
                    (critical, 0), xycoords=("data", "axes fraction"), xytext=(2, 2), textcoords="offset points",
                    fontsize="x-small", color="0.35", ha="left", va="bottom")
    format_numbers(ax.xaxis, locale)
    # Show magnitudes on both sides (bars to the left are the reference's terms).
    ax.xaxis.set_major_formatter(_abs_formatter(ax.xaxis.get_major_formatter()))
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2)
    return ax


def _abs_formatter(inner: Any) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, pos=None: inner(abs(v), pos))


def specificities(
    table: pd.DataFrame,
    *,
    by: str | None = None,
    term: str = "term",
    score: str | None = None,
    n: int = 8,
    groups: Sequence[Any] | None = None,
    limit: float | None = None,
    annotate: bool = True,
    ax: Axes | None = None,
    locale: str | None = None,
) -> Axes:
    """Heatmap of signed specificity scores: the ``n`` most specific terms of each part in rows,
    the parts in columns; orange = over-used by the part, purple = under-used. The colour scale
    is linear within ±2 (the usual threshold of specificity) and logarithmic beyond.

    ``table`` is ``discourse.specificities(tokens, by=...)`` in long form (``term``, the part
    column, ``score``) or wide form (index: terms, columns: parts).

    >>> import pandas as pd
    >>> from discourse import plot
    >>> t = pd.DataFrame({"term": ["famille", "famille", "égalité", "égalité"], "group": ["UMP", "SRC"] * 2,
    ...                   "score": [12.0, -10.0, -8.0, 9.5]})
    >>> ax = plot.specificities(t, n=1)
    >>> [t.get_text() for t in ax.get_xticklabels()], [t.get_text() for t in ax.get_yticklabels()]
    (['UMP', 'SRC'], ['famille', 'égalité'])
    """
    if isinstance(table, pd.DataFrame) and term in table.columns:
        score = score or pick_column(table, ["score", "specificity", "specificite"], set(), "specificities", "scores")
        if by is None:
            by = pick_column(table, ["group", "part", "party"], {term, score, "count", "part_count", "total", "frequency",
                                                                   "part_tokens", "expected", "p_value", "f", "t", "k", "n"},
                             "specificities", "parts")
        require(table, [term, by, score], "specificities")
        part_order = list(groups) if groups is not None else ordered_unique(table[by])
        wide = table.pivot_table(index=term, columns=by, values=score, aggfunc="first").reindex(columns=part_order)
        selected: list[str] = []
        for part in part_order:
            rows = table[table[by] == part].sort_values(score, ascending=False, kind="stable")
            selected += [t for t in rows[term].head(n) if t not in selected]
    else:
        require(table, [], "specificities")
        wide = table if groups is None else table[list(groups)]
        selected = []
        for part in wide.columns:
            selected += [t for t in wide[part].sort_values(ascending=False, kind="stable").index[:n] if t not in selected]
    matrix = wide.loc[selected].to_numpy(dtype=float)
    bound = limit if limit is not None else max(2.5, float(np.nanmax(np.abs(matrix))))
    created = ax is None
    fig, ax = new_axes(ax, columns=1)
    if created:
        longest = max((len(str(t)) for t in selected), default=4)
        width = min(TWO_COLUMN, max(ONE_COLUMN, 1.3 + 0.065 * longest + 0.45 * matrix.shape[1]))
        fig.set_size_inches(width, max(1.6, 0.7 + 0.16 * len(selected)))
    # Scores are log10 probabilities: linear within ±2 (the usual threshold), logarithmic beyond,
    # so one huge score does not wash out the others.
    norm = SymLogNorm(linthresh=2.0, linscale=1.0, vmin=-bound, vmax=bound, base=10)
    image = ax.imshow(np.clip(matrix, -bound, bound), aspect="auto", cmap=DIVERGING_CMAP, norm=norm, interpolation="nearest")
    ax.set_xticks(np.arange(matrix.shape[1]), labels=[str(c) for c in wide.columns])
    if max((len(str(c)) for c in wide.columns), default=0) > 4:
        plt.setp(ax.get_xticklabels(), rotation=45, ha="left", rotation_mode="anchor")
    ax.set_yticks(np.arange(len(selected)), labels=[typographic(s, locale) for s in selected])
    ax.tick_params(length=0)
    ax.xaxis.tick_top()
    ax.spines[:].set_visible(False)
    if annotate and matrix.size <= 400:
        for i in range(matrix.shape[0]):
            for j in range(matrix.shape[1]):
                v = matrix[i, j]
                if np.isfinite(v):
                    strong = abs(norm(np.clip(v, -bound, bound)) - 0.5) > 0.35
                    ax.text(j, i, format_number(round(v), locale), ha="center", va="center", fontsize=5.5,
                            color="white" if strong else "black")
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label(label("specificity", locale))
    format_numbers(bar.ax.yaxis, locale)
    return ax


_EDGE_COLUMNS = [("source", "target"), ("term1", "term2"), ("term_a", "term_b"), ("frame1", "frame2"),
                 ("frame_a", "frame_b"), ("left", "right"), ("a", "b"), ("w1", "w2")]


def cooccurrence_network(
    table: pd.DataFrame,
    *,
    source: str | None = None,
    target: str | None = None,
    weight: str | None = None,
    max_edges: int | None = 60,
    seed: int = 0,
    ax: Axes | None = None,
    locale: str | None = None,
) -> Axes:
    """A network of terms or frames that occur together: edge width ∝ ``weight``.

    ``table`` has one row per pair (``source``/``target`` or ``term1``/``term2`` or
    ``frame_a``/``frame_b``...) and a weight column (a count or an association score). The
    ``max_edges`` heaviest pairs are drawn; the layout is seeded so the figure is the same on rerun.

    >>> import pandas as pd
    >>> from discourse import plot
    >>> t = pd.DataFrame({"source": ["terrorisme", "terrorisme", "état de droit"],
    ...                   "target": ["état de droit", "menace", "droits fondamentaux"], "weight": [5, 3, 2]})
    >>> ax = plot.cooccurrence_network(t)
    >>> sorted(t.get_text() for t in ax.texts)
    ['droits fondamentaux', 'menace', 'terrorisme', 'état de droit']
    """
    import networkx as nx

    if source is None or target is None:
        pair = next(((a, b) for a, b in _EDGE_COLUMNS if a in table.columns and b in table.columns), None)
        if pair is None:
            raise PlotInputError(f"cooccurrence_network: give source= and target= (columns: {list(table.columns)})")
        source, target = source or pair[0], target or pair[1]
    if weight is None:
        weight = pick_column(table, ["weight", "count", "cooccurrences", "score", "g2", "pmi"], {source, target}, "cooccurrence_network", "weights")
    require(table, [source, target, weight], "cooccurrence_network")
    edges = table.sort_values(weight, ascending=False, kind="stable")
    if max_edges is not None:
        edges = edges.head(max_edges)
    graph = nx.Graph()
    for a, b, w in zip(edges[source], edges[target], edges[weight]):
        if a != b:
            graph.add_edge(str(a), str(b), weight=float(w))
    if graph.number_of_edges() == 0:
        raise PlotInputError("cooccurrence_network: no pair of distinct terms to draw")
    fig, ax = new_axes(ax, columns=1, aspect=0.9)
    # A sorted node order makes the seeded layout independent of the table's row order.
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes))
    ordered.add_edges_from(sorted(graph.edges(data=True)))
    pos = nx.spring_layout(ordered, seed=seed, weight="weight")
    w = np.array([d["weight"] for _, _, d in ordered.edges(data=True)], dtype=float)
    widths = 0.5 + 3.5 * (w - w.min()) / max(float(np.ptp(w)), 1e-12)
    strength = dict(ordered.degree(weight="weight"))
    s = np.array([strength[n] for n in ordered.nodes], dtype=float)
    sizes = 60 + 400 * s / max(float(s.max()), 1e-12)
    nx.draw_networkx_edges(ordered, pos, ax=ax, width=widths, edge_color="0.6")
    nx.draw_networkx_nodes(ordered, pos, ax=ax, node_size=sizes, node_color=PALETTE[4], edgecolors="black", linewidths=0.4)
    for node, (x, y) in pos.items():
        ax.text(x, y, node, ha="center", va="center", fontsize="small")
    ax.set_axis_off()
    ax.margins(0.12)
    return ax


def kwic_table(table: pd.DataFrame, *, max_rows: int | None = 50, match_color: str = PALETTE[5]) -> Any:
    """A concordance as a styled table (pandas Styler): left context right-aligned, the match in
    bold and colour, right context left-aligned. It renders as HTML in JupyterLab and exports
    with ``.to_html()``.

    ``table`` is ``discourse.kwic(tokens, query)`` (``doc_id``, ``left``, ``match``, ``right``).

    >>> import pandas as pd
    >>> from discourse import plot
    >>> t = pd.DataFrame({"doc_id": ["seed"], "left": ["dans le respect de l’"], "match": ["état de droit"],
    ...                   "right": [", ont-ils déclaré"]})
    >>> "état de droit" in plot.kwic_table(t).to_html()
    True
    """
    require(table, ["left", "match", "right"], "kwic_table")
    shown = table if max_rows is None else table.head(max_rows)
    keep = [c for c in ("doc_id", "left", "match", "right") if c in shown.columns]
    shown = shown[keep + [c for c in shown.columns if c not in keep and c not in ("start", "end", "position", "token_start", "token_end")]]
    styler = shown.style.hide(axis="index")
    styler = styler.set_properties(subset=["left"], **{"text-align": "right", "white-space": "nowrap"})
    styler = styler.set_properties(subset=["match"], **{"font-weight": "bold", "color": match_color, "text-align": "center",
                                                        "white-space": "nowrap"})
    styler = styler.set_properties(subset=["right"], **{"text-align": "left", "white-space": "nowrap"})
    styler = styler.set_table_styles([{"selector": "th", "props": [("text-align", "center")]},
                                      {"selector": "td", "props": [("padding", "1px 6px"), ("font-family", "monospace")]}])
    return styler
