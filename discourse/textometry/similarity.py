"""Similarity analysis (IRaMuTeQ's "analyse de similitudes") and Labbé's intertextual distance.

**Similarity analysis** (Flament 1962; Marchand & Ratinaud 2012): the ``n_terms`` most
frequent terms, a graph whose edge weights are an index of co-occurrence of two terms in the
same unit (documents, or Reinert segments), its maximum spanning tree (the "arbre maximum"
IRaMuTeQ draws) and communities of the tree (Louvain, seeded). Indices, on the presence
table of units × terms (``a`` units with both terms, ``n_i``/``n_j`` units with each, ``N``
units): ``cooccurrence`` = a; ``jaccard`` = a / (n_i + n_j − a); ``cosine`` (Ochiai) =
a / sqrt(n_i n_j); ``dice`` = 2a / (n_i + n_j). Only the terms × terms table of the
``n_terms`` selected terms is dense.

**Labbé's intertextual distance** (Labbé & Labbé 2001): for texts A and B of sizes
``N_A ≤ N_B``, B is reduced to the size of A (expected frequencies ``E_i = F_iB N_A / N_B``) and
``D = Σ_i |F_iA − E_i| / (N_A + Σ_i E_i) = Σ_i |F_iA − E_i| / (2 N_A)``, between 0 (same
distribution) and 1 (no word in common). Computed for every pair of rows of a document-term
matrix or of a lexical table (groups).

>>> import pandas as pd
>>> t = pd.DataFrame({"mariage": [10, 10, 0], "famille": [10, 10, 0], "budget": [0, 0, 5]}, index=["a", "b", "c"])
>>> labbe_distance(t).round(3).values.tolist()
[[0.0, 0.0, 1.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from discourse.base import check_choice, check_int
from discourse.textometry._tables import as_table

__all__ = ["similarity_graph", "labbe_distance", "INDICES"]

INDICES = ("cooccurrence", "jaccard", "cosine", "dice")


def similarity_graph(table: Any, *, n_terms: int = 100, index: str = "cooccurrence", tree: bool = True,
                     communities: bool = True, min_weight: float = 0.0, random_state: int = 0):
    """Co-occurrence graph of the most frequent terms (a ``networkx.Graph``).

    ``table``: a DocumentTermMatrix (units = documents), a DataFrame or matrix of units × terms
    (counts or presence). Nodes carry ``frequency`` (units holding the term) and, with
    ``communities``, ``community`` (Louvain on the kept graph, seeded by ``random_state``);
    edges carry ``weight`` (the index) and ``cooccurrences``. With ``tree`` (default) only the
    maximum spanning tree is returned, as IRaMuTeQ draws it; the full graph keeps edges with
    weight above ``min_weight``. The graph's ``graph`` dict records index, n_terms, units.

    Example: ``similarity_graph(dtm, n_terms=60, index="jaccard")`` on the marriage debate
    links ``mariage`` to ``couple``, ``enfant`` to ``adoption``…
    """
    import networkx as nx

    check_int("n_terms", n_terms, minimum=2)
    check_choice("index", index, INDICES)
    matrix, _, terms = as_table(table)
    x = (matrix > 0).astype(np.float64).tocsc()
    df = np.asarray(x.sum(axis=0)).ravel()
    order = np.lexsort((np.array(terms, dtype=object), -df))
    keep = order[:n_terms]
    keep = keep[df[keep] > 0]
    x = x[:, keep].tocsr()
    names = [terms[i] for i in keep]
    n_i = df[keep]
    both = (x.T @ x).toarray()
    with np.errstate(divide="ignore", invalid="ignore"):
        if index == "cooccurrence":
            weight = both
        elif index == "jaccard":
            weight = both / (n_i[:, None] + n_i[None, :] - both)
        elif index == "cosine":
            weight = both / np.sqrt(np.outer(n_i, n_i))
        else:
            weight = 2 * both / (n_i[:, None] + n_i[None, :])
    weight = np.nan_to_num(weight)
    graph = nx.Graph(index=index, n_terms=len(names), units=int(matrix.shape[0]))
    for i, name in enumerate(names):
        graph.add_node(name, frequency=int(n_i[i]))
    rows, cols = np.nonzero(np.triu(both, k=1))
    for i, j in zip(rows.tolist(), cols.tolist()):
        if weight[i, j] > min_weight:
            graph.add_edge(names[i], names[j], weight=float(weight[i, j]), cooccurrences=int(both[i, j]))
    if tree:
        graph = nx.maximum_spanning_tree(graph, weight="weight", algorithm="kruskal")
        graph.graph.update(index=index, n_terms=len(names), units=int(matrix.shape[0]), tree=True)
    if communities and graph.number_of_edges():
        parts = nx.community.louvain_communities(graph, weight="weight", seed=random_state)
        # number communities by size, then alphabetically: stable across runs
        parts = sorted((sorted(p) for p in parts), key=lambda p: (-len(p), p[0]))
        for c, members in enumerate(parts):
            for name in members:
                graph.nodes[name]["community"] = c
    return graph


def labbe_distance(table: Any, *, by: str | None = None) -> pd.DataFrame:
    """Labbé's intertextual distance between every pair of rows (documents or groups).

    ``table``: a DocumentTermMatrix (with ``by``, its rows are first summed by that metadata
    column), a DataFrame or a matrix of counts. Returns a symmetric DataFrame of distances in
    [0, 1]. Each pair costs one pass over the two rows' non-zeros (no dense rows × terms).

    Example: ``labbe_distance(dtm, by="group")`` gives the distances between the
    parliamentary groups' vocabularies.
    """
    if by is not None:
        from discourse.textometry._tables import lexical_table

        table = lexical_table(table, by)
    matrix, rows, _ = as_table(table)
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    empty = [rows[i] for i in np.flatnonzero(sizes == 0)]
    if empty:
        raise ValueError(f"row(s) {empty[:3]} have no token: Labbé's distance is undefined for them")
    m = matrix.shape[0]
    out = np.zeros((m, m))
    for a in range(m):
        for b in range(a + 1, m):
            small, big = (a, b) if sizes[a] <= sizes[b] else (b, a)
            fa = matrix[small]
            expected = matrix[big] * (sizes[small] / sizes[big])
            diff = abs(fa - expected).sum()
            out[a, b] = out[b, a] = diff / (sizes[small] + expected.sum())
    return pd.DataFrame(out, index=rows, columns=rows)
