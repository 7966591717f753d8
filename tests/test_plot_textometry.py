"""Textometry figures draw fitted results without computing (checked on what they put on the axes)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from discourse import plot
from discourse.plot import PlotInputError
from discourse.textometry import CA, Reinert, similarity_graph

@pytest.fixture(scope="module")
def reinert():
    # the hand-worked corpus of the Reinert tests (three blocks of four units)
    from test_textometry_reinert import _hand_tokens

    toks, _ = _hand_tokens()
    meta = toks.metadata
    meta["group"] = ["UMP" if i % 4 < 2 else "SRC" for i in range(len(toks))]
    toks = toks.with_metadata(meta)
    return Reinert(n_classes=3, segment_size=50, min_segment_size=0, min_df=1, tsj=1, min_split_members=3).fit(toks), toks


def test_reinert_dendrogram_and_class_table(reinert):
    r, toks = reinert
    ax = plot.reinert_dendrogram(r)
    texts = [t.get_text() for t in ax.texts]
    # one size label per class, with its share of segments, and its profile terms
    for _, row in r.classes_.iterrows():
        assert any(t.startswith(f"{int(row['class'])} (") for t in texts)
    assert any("mariage" in t for t in texts) and any("filiation" in t for t in texts)
    assert len(ax.lines) >= 2 * 2  # two splits drawn
    plt.close(ax.figure)
    table = r.crosstab(toks.metadata, "group")
    ax = plot.class_table(table)
    assert sorted(t.get_text() for t in ax.texts) == sorted(str(n) for n in table["n"])
    plt.close(ax.figure)
    with pytest.raises(PlotInputError):
        plot.reinert_dendrogram(object())


def test_ca_biplot_labels_do_not_overlap():
    t = pd.DataFrame([[20, 3, 5, 1], [4, 18, 6, 2], [5, 6, 22, 3], [6, 6, 6, 9]], index=["SRC", "UMP", "ECOLO", "UDI"],
                     columns=["égalité", "filiation", "adoption", "référendum"])
    ca = CA(n_components=2).fit(t)
    ax = plot.ca_biplot(ca)
    fig = ax.figure
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    boxes = [x.get_window_extent(r) for x in ax.texts if x.get_text() in set(t.index) | set(t.columns)]
    assert all(not a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert ax.get_xlabel().startswith("Axe 1")
    plt.close(fig)
    with pytest.raises(PlotInputError, match="axes"):
        plot.ca_biplot(ca, axes=(1, 3))


def test_similarity_tree(reinert):
    r, toks = reinert
    from discourse.dtm import DocumentTermMatrix
    g = similarity_graph(DocumentTermMatrix.from_tokens(toks), n_terms=10)
    ax = plot.similarity_tree(g)
    assert sorted(t.get_text() for t in ax.texts) == sorted(g.nodes)
    plt.close(ax.figure)
