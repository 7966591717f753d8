"""discourse.textometry.similarity: similarity graph and Labbé distance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from discourse.dtm import DocumentTermMatrix
from discourse.textometry import labbe_distance, lexical_table, similarity_graph


def test_similarity_graph(mariage_600):
    dtm = DocumentTermMatrix.from_tokens(mariage_600)
    g = similarity_graph(dtm, n_terms=40, index="jaccard")
    assert g.number_of_nodes() == 40 and g.number_of_edges() == 39  # a spanning tree of a connected graph
    full = similarity_graph(dtm, n_terms=40, index="jaccard", tree=False)
    # the maximum spanning tree: no edge outside it may beat the lightest edge on its tree path
    import networkx as nx
    u, v, w = max(((a, b, d["weight"]) for a, b, d in full.edges(data=True) if not g.has_edge(a, b)), key=lambda e: e[2])
    path = nx.shortest_path(g, u, v)
    assert min(g.edges[a, b]["weight"] for a, b in zip(path, path[1:])) >= w - 1e-12
    # jaccard by hand for one edge
    a, b = next(iter(g.edges))
    x = (dtm.matrix > 0).toarray()
    ia, ib = dtm.term_index[a], dtm.term_index[b]
    both = (x[:, ia] & x[:, ib]).sum()
    assert g.edges[a, b]["weight"] == pytest.approx(both / (x[:, ia].sum() + x[:, ib].sum() - both))
    assert all("community" in d for _, d in g.nodes(data=True))
    again = similarity_graph(dtm, n_terms=40, index="jaccard")
    assert nx.get_node_attributes(again, "community") == nx.get_node_attributes(g, "community")


def test_labbe_distance(mariage_600):
    t = pd.DataFrame({"mariage": [10, 20, 0], "famille": [10, 20, 0], "budget": [0, 0, 5]}, index=["a", "b", "c"])
    d = labbe_distance(t)
    assert d.loc["a", "b"] == 0 and d.loc["a", "c"] == 1
    # by hand: A = (3, 1) N=4, B = (2, 6) N=8 reduced to (1, 3): |3-1| + |1-3| = 4 over 4 + 4
    d2 = labbe_distance(pd.DataFrame({"x": [3, 2], "y": [1, 6]}, index=["A", "B"]))
    assert d2.loc["A", "B"] == pytest.approx(0.5)
    dtm = DocumentTermMatrix.from_tokens(mariage_600)
    groups = labbe_distance(dtm, by="group")
    assert list(groups.index) == list(lexical_table(dtm, "group").index)
    assert np.allclose(groups.to_numpy(), groups.to_numpy().T) and (groups.to_numpy() <= 1).all()
    with pytest.raises(ValueError, match="no token"):
        labbe_distance(pd.DataFrame({"x": [1, 0]}, index=["a", "b"]))
