"""Co-occurrence specificities, sliding-window frame co-occurrence, similarity graph, Labbé distance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import hypergeom

import discourse
from discourse.dtm import DocumentTermMatrix
from discourse.lexicometry import cooccurrence
from discourse.textometry import cooccurrence_specificities, labbe_distance, lexical_table, similarity_graph
from discourse.tokens import Tokens


@pytest.fixture(scope="module")
def mariage(data_home):
    corpus = discourse.corpora.load("an-mariage-pour-tous-2013").filter(subject="mpt", turn_type="intervention").head(600)
    return discourse.Preprocessor(backend="fast", progress=False).transform(corpus)


def _brute_counts(tokens, pivot_code, window):
    """k per lemma code: naive loop over every pivot occurrence and its window."""
    codes = tokens.codes("lemma")
    in_context = np.zeros(tokens.n_tokens, dtype=bool)
    for d in range(len(tokens)):
        a, b = tokens.doc_offsets[d], tokens.doc_offsets[d + 1]
        for p in range(a, b):
            if codes[p] == pivot_code:
                in_context[max(a, p - window):min(b, p + window + 1)] = True
    in_context &= codes != pivot_code
    return np.bincount(codes[in_context], minlength=len(tokens.vocab("lemma"))), int(in_context.sum())


def test_cooccurrence_specificities_equal_a_naive_count_and_scipy(mariage):
    table = cooccurrence_specificities(mariage, "adoption", window=5, match_on="lemma", min_count=3)
    code = mariage.vocab("lemma").index("adoption")
    k, t = _brute_counts(mariage, code, 5)
    assert table.attrs["context_tokens"] == t
    vocab = {w: i for i, w in enumerate(mariage.vocab("lemma"))}
    assert all(k[vocab[w]] == c for w, c in zip(table["term"], table["cofrequency"]))
    assert set(table["term"]) == {w for w, i in vocab.items() if k[i] >= 3}
    total = table.attrs["corpus_tokens"]
    top = table.iloc[0]
    expected = -np.log10(hypergeom.sf(top["cofrequency"] - 1, total, top["frequency"], t))
    assert top["specificity"] == pytest.approx(expected, rel=1e-6)
    assert (table["contexts"] >= 1).all() and (table["contexts"] <= table.attrs["pivot_occurrences"]).all()
    assert table["specificity"].is_monotonic_decreasing


def test_cooccurrence_specificities_sentences_and_errors(mariage):
    by_sentence = cooccurrence_specificities(mariage, "adoption", unit="sentences", window=0, min_count=2)
    by_tokens = cooccurrence_specificities(mariage, "adoption", window=3, min_count=2)
    assert by_sentence.attrs["context_tokens"] > 0 and by_tokens.attrs["pivot_occurrences"] == by_sentence.attrs["pivot_occurrences"]
    with pytest.raises(ValueError, match="does not occur"):
        cooccurrence_specificities(mariage, "zzzzunknown")
    with pytest.raises(ValueError, match="unit"):
        cooccurrence_specificities(mariage, "adoption", unit="pages")


def test_frame_cooccurrence_uses_sliding_windows():
    toks = Tokens.from_lists([["a", "a", "a", "terrorisme", "état", "de", "droit", "b"]])
    t = cooccurrence(toks, unit="window", window=4)
    row = t.query("frame_a == 'rule_of_law' and frame_b == 'counter_terrorism'")
    if row.empty:
        row = t.query("frame_a == 'counter_terrorism' and frame_b == 'rule_of_law'")
    # windows start at tokens 0..4; those starting at 1, 2, 3 hold both hits (consecutive
    # blocks of 4 tokens would have put them in two blocks and counted 0)
    assert int(row["both"].iloc[0]) == 3 and int(row["units"].iloc[0]) == 5
    assert row["p_value"].isna().all()


def test_similarity_graph(mariage):
    dtm = DocumentTermMatrix.from_tokens(mariage)
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


def test_labbe_distance(mariage):
    t = pd.DataFrame({"mariage": [10, 20, 0], "famille": [10, 20, 0], "budget": [0, 0, 5]}, index=["a", "b", "c"])
    d = labbe_distance(t)
    assert d.loc["a", "b"] == 0 and d.loc["a", "c"] == 1
    # by hand: A = (3, 1) N=4, B = (2, 6) N=8 reduced to (1, 3): |3-1| + |1-3| = 4 over 4 + 4
    d2 = labbe_distance(pd.DataFrame({"x": [3, 2], "y": [1, 6]}, index=["A", "B"]))
    assert d2.loc["A", "B"] == pytest.approx(0.5)
    dtm = DocumentTermMatrix.from_tokens(mariage)
    groups = labbe_distance(dtm, by="group")
    assert list(groups.index) == list(lexical_table(dtm, "group").index)
    assert np.allclose(groups.to_numpy(), groups.to_numpy().T) and (groups.to_numpy() <= 1).all()
    with pytest.raises(ValueError, match="no token"):
        labbe_distance(pd.DataFrame({"x": [1, 0]}, index=["a", "b"]))


@pytest.mark.parametrize("module", ["discourse.textometry.ca", "discourse.textometry._tables", "discourse.textometry.segments",
                                    "discourse.textometry.cooccurrence", "discourse.textometry.similarity",
                                    "discourse.plot.textometry"])
def test_docstring_examples(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
