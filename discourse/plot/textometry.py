"""Figures of the textometry methods: Reinert dendrogram, CA biplot, class × metadata table,
similarity tree. They draw fitted results (a :class:`~discourse.textometry.Reinert`, a
:class:`~discourse.textometry.CA`, a ``crosstab`` table, a similarity graph) and compute
nothing: sizes, χ² and contributions come with the results.

>>> import pandas as pd
>>> from discourse import plot
>>> from discourse.textometry import CA
>>> t = pd.DataFrame([[20, 3, 5], [4, 18, 6], [5, 6, 22]], index=["SRC", "UMP", "ECOLO"],
...                  columns=["égalité", "filiation", "adoption"])
>>> ax = plot.ca_biplot(CA(n_components=2).fit(t))
>>> sorted(x.get_text() for x in ax.texts)
['ECOLO', 'SRC', 'UMP', 'adoption', 'filiation', 'égalité']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from discourse.plot._common import PlotInputError, new_axes, require
from discourse.plot.style import PALETTE, format_number

__all__ = ["reinert_dendrogram", "ca_biplot", "class_table", "similarity_tree"]


def _class_colors(n: int) -> list[str]:
    return [PALETTE[i % len(PALETTE)] for i in range(n)]


def reinert_dendrogram(model: Any, *, n_terms: int = 6, ax: Axes | None = None, locale: str | None = None) -> Axes:
    """IRaMuTeQ's figure: the tree of splits, each class with its share of segments and top profile terms.

    ``model`` is a fitted :class:`~discourse.textometry.Reinert` (simple classification: its
    ``tree_``; for a double classification the classes are drawn without a tree). Leaves are
    in class order; each split is drawn at the height of its rank (first split at the top).
    """
    for attr in ("tree_", "classes_", "profiles_"):
        if not hasattr(model, attr):
            raise PlotInputError(f"reinert_dendrogram: expects a fitted Reinert (no {attr})")
    tree, classes, profiles = model.tree_, model.classes_, model.profiles_
    k = len(classes)
    colors = _class_colors(k)
    fig, ax = new_axes(ax, columns=2, aspect=0.18 + 0.07 * k)
    leaf_y = {int(c): k - 1 - i for i, c in enumerate(classes["class"])}
    has_tree = "run" not in tree.columns and tree["class"].notna().sum() == k
    x_leaf = 0.0
    if has_tree:
        tree = tree.reset_index(drop=True)
        splits = tree.dropna(subset=["chi2"])
        depth = {int(n): i for i, n in enumerate(splits["node"])}  # split order = node order
        n_splits = max(len(depth), 1)
        pos: dict[int, tuple[float, float]] = {}
        for _, row in tree.iterrows():
            if pd.notna(row["class"]):
                pos[int(row["node"])] = (x_leaf, leaf_y[int(row["class"])])

        def place(node: int) -> tuple[float, float]:
            if node in pos:
                return pos[node]
            kids = tree.loc[tree["parent"] == node, "node"].astype(int).tolist()
            pts = [place(c) for c in kids]
            x = -(n_splits - depth[node])  # first split leftmost
            for px, py in pts:
                ax.plot([x, x, px], [py, py, py], color="0.3", lw=1)
            ys = [p[1] for p in pts]
            ax.plot([x, x], [min(ys), max(ys)], color="0.3", lw=1)
            pos[node] = (x, float(np.mean(ys)))
            return pos[node]

        root = int(tree.loc[tree["parent"] == -1, "node"].iloc[0])
        place(root)
    else:
        ax.set_xlim(-0.5, 6)
    for i, row in classes.iterrows():
        c = int(row["class"])
        y = leaf_y[c]
        terms = profiles[(profiles["class"] == c) & (profiles["sign"] == "profile")].head(n_terms)["term"].tolist()
        ax.scatter([x_leaf], [y], s=80, color=colors[i], zorder=3, edgecolors="black", linewidths=0.4)
        pct = format_number(float(row["percent"]), locale, 1)
        # offsets in points: the text never runs into the tree whatever its depth
        ax.annotate(f"{c} ({pct} %)", (x_leaf, y), xytext=(9, 0), textcoords="offset points", va="center",
                    fontsize="small", fontweight="bold", color=colors[i])
        ax.annotate(", ".join(terms), (x_leaf, y), xytext=(75, 0), textcoords="offset points", va="center",
                    fontsize="small", color=colors[i])
    if has_tree:
        ax.set_xlim(-n_splits - 0.3, 2.9 * n_splits)
    ax.set_ylim(-0.7, k - 0.3)
    ax.set_axis_off()
    return ax


def _overlaps(box, boxes) -> bool:
    return any(box.overlaps(b) for b in boxes)


def ca_biplot(model: Any, *, axes: tuple[int, int] = (1, 2), max_labels: int = 40, rows: bool = True,
              columns: bool = True, ax: Axes | None = None, locale: str | None = None) -> Axes:
    """Rows and columns of a fitted CA on two axes; marker size ∝ contribution to the plane.

    Labels are placed in order of decreasing contribution, each at the first of a few offsets
    where it overlaps no label already placed; a label that fits nowhere is left out (the
    marker stays) and the number left out is written in the corner. At most ``max_labels``
    labels per side (rows, columns) are tried.
    """
    if not hasattr(model, "eigenvalues_"):
        raise PlotInputError("ca_biplot: expects a fitted CA")
    a, b = (f"dim{axes[0]}", f"dim{axes[1]}")
    if b not in model.row_coordinates_.columns:
        raise PlotInputError(f"ca_biplot: the CA has {len(model.eigenvalues_)} axes, not {max(axes)}")
    fig, ax = new_axes(ax, columns=2, aspect=0.75)
    layers = []
    if rows:
        layers.append((model.row_coordinates_, model.row_contributions_, PALETTE[1], "o"))
    if columns:
        layers.append((model.column_coordinates_, model.column_contributions_, PALETTE[0], "^"))
    labels = []
    for rank, (coords, contrib, color, marker) in enumerate(layers):
        weight = contrib[a] * model.eigenvalues_[axes[0] - 1] + contrib[b] * model.eigenvalues_[axes[1] - 1]
        size = 10 + 300 * weight / max(float(weight.max()), 1e-12)
        # rows (the parts: parties, classes) are few: drawn above the terms and labelled first
        ax.scatter(coords[a], coords[b], s=size, color=color, marker=marker, alpha=0.75, edgecolors="black",
                   linewidths=0.3, zorder=4 if rank == 0 and rows else 2)
        order = weight.sort_values(ascending=False, kind="stable").index[:max_labels]
        bold = rank == 0 and rows
        labels += [((1 if bold else 0), float(weight[i]), str(i), float(coords.at[i, a]), float(coords.at[i, b]), color, bold) for i in order]
    ax.axhline(0, color="0.7", lw=0.6, zorder=0)
    ax.axvline(0, color="0.7", lw=0.6, zorder=0)
    pct = 100 * model.explained_inertia_
    ax.set_xlabel(f"Axe {axes[0]} ({format_number(float(pct[axes[0] - 1]), locale, 1)} %)")
    ax.set_ylabel(f"Axe {axes[1]} ({format_number(float(pct[axes[1] - 1]), locale, 1)} %)")
    ax.margins(0.1)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    placed, skipped = [], 0
    offsets = [(4, 4, "left", "bottom"), (-4, 4, "right", "bottom"), (4, -4, "left", "top"), (-4, -4, "right", "top"),
               (0, 8, "center", "bottom"), (0, -8, "center", "top")]
    for _, _, text, x, y, color, bold in sorted(labels, key=lambda t: (-t[0], -t[1])):
        for dx, dy, ha, va in offsets:
            t = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                            fontsize="small", color="black" if bold else color, fontweight="bold" if bold else "normal",
                            zorder=5)
            box = t.get_window_extent(renderer).expanded(1.05, 1.1)
            if not _overlaps(box, placed) and ax.get_window_extent(renderer).contains(box.x0, box.y0) and ax.get_window_extent(renderer).contains(box.x1, box.y1):
                placed.append(box)
                break
            t.remove()
        else:
            skipped += 1
    if skipped:
        ax.text(0.99, 0.01, f"{skipped} étiquettes masquées (chevauchement)" if (locale or "fr") == "fr" else f"{skipped} labels hidden (overlap)",
                transform=ax.transAxes, ha="right", va="bottom", fontsize="x-small", color="0.4")
    return ax


def class_table(table: pd.DataFrame, *, value: str = "value", ax: Axes | None = None, locale: str | None = None) -> Axes:
    """Classes × metadata values (``Reinert.crosstab``): counts written, cells coloured by signed χ²."""
    require(table, ["class", value, "n", "chi2"], "class_table")
    counts = table.pivot(index="class", columns=value, values="n")
    chi = table.pivot(index="class", columns=value, values="chi2").loc[counts.index, counts.columns]
    fig, ax = new_axes(ax, columns=1 if counts.shape[1] <= 6 else 2, aspect=0.12 + 0.08 * counts.shape[0])
    lim = max(float(np.nanmax(np.abs(chi.to_numpy()))), 3.84)
    im = ax.imshow(chi.to_numpy(dtype=float), cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto")
    for i in range(counts.shape[0]):
        for j in range(counts.shape[1]):
            c = chi.iat[i, j]
            ax.text(j, i, format_number(float(counts.iat[i, j]), locale, 0), ha="center", va="center", fontsize="small",
                    color="white" if abs(c) > 0.6 * lim else "black", fontweight="bold" if abs(c) >= 3.84 else "normal")
    ax.set_xticks(range(counts.shape[1]), [str(c) for c in counts.columns], rotation=45 if counts.shape[1] > 6 else 0, ha="right" if counts.shape[1] > 6 else "center")
    ax.set_yticks(range(counts.shape[0]), [f"classe {c}" if (locale or "fr") == "fr" else f"class {c}" for c in counts.index])
    cb = fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
    cb.set_label("χ² signé" if (locale or "fr") == "fr" else "signed χ²")
    return ax


def similarity_tree(graph: Any, *, seed: int = 0, ax: Axes | None = None) -> Axes:
    """The maximum tree of a similarity analysis: node size ∝ frequency, edge width ∝ index, colour = community."""
    import networkx as nx

    if graph.number_of_edges() == 0:
        raise PlotInputError("similarity_tree: the graph has no edge to draw")
    fig, ax = new_axes(ax, columns=2, aspect=0.8)
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes(data=True)))
    ordered.add_edges_from(sorted(graph.edges(data=True)))
    pos = nx.kamada_kawai_layout(ordered, weight=None)
    w = np.array([d["weight"] for _, _, d in ordered.edges(data=True)], dtype=float)
    widths = 0.5 + 4 * (w - w.min()) / max(float(np.ptp(w)), 1e-12)
    freq = np.array([ordered.nodes[n].get("frequency", 1) for n in ordered.nodes], dtype=float)
    sizes = 20 + 500 * freq / max(float(freq.max()), 1e-12)
    comm = [ordered.nodes[n].get("community", 0) for n in ordered.nodes]
    colors = [PALETTE[c % len(PALETTE)] for c in comm]
    nx.draw_networkx_edges(ordered, pos, ax=ax, width=widths, edge_color="0.65")
    nx.draw_networkx_nodes(ordered, pos, ax=ax, node_size=sizes, node_color=colors, alpha=0.6, edgecolors="black", linewidths=0.3)
    for node, (x, y) in pos.items():
        ax.text(x, y, node, ha="center", va="center", fontsize="x-small")
    ax.set_axis_off()
    ax.margins(0.05)
    return ax
