"""discourse.plot.topics: top terms, prevalence, heatmaps, metrics by k, the intertopic map."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.colors import to_hex

import discourse
from discourse import plot
from discourse.topics.coordinates import topic_coordinates

matplotlib.use("Agg")

from plot_helpers import K, save_and_check

N_TERMS = 6


# ----------------------------------------------------------------------------- topics
def test_top_terms_grid_one_panel_per_topic(plot_europarl, tmp_path):
    _, _, _, lda = plot_europarl
    table = lda.top_terms(N_TERMS, lam=0.6)
    with plot.style("paper"):
        fig = plot.top_terms(table)
        save_and_check(fig, tmp_path, "top_terms")
    assert len(fig.axes) == K
    # panels titled by the topic names, numbered from 1 ("T1 · term · term · term")
    assert [ax.get_title(loc="left").replace("\n", " ") for ax in fig.axes] == lda.topic_names()
    assert lda.topic_names()[0].startswith("T1 · ")
    for ax in fig.axes:  # bar length and order follow the same quantity
        widths = [p.get_width() for p in ax.patches]
        assert widths == sorted(widths, reverse=True)
    assert fig.get_supxlabel().startswith("Probability in topic, p(term | topic)\n(terms chosen by LDAvis relevance")
    for ax, topic in zip(fig.axes, lda.topic_ids_):
        assert len(ax.patches) == N_TERMS
        shown = [t.get_text() for t in ax.get_yticklabels()]
        # the table's terms (chosen by relevance), ordered by the probability the bars draw
        assert shown == table[table.topic == topic].sort_values("weight", ascending=False)["term"].tolist()
        assert {to_hex(p.get_facecolor()) for p in ax.patches} == {plot.topic_colors([topic])[topic].lower()}


def test_topic_prevalence_over_time_and_by_group(plot_europarl, tmp_path):
    _, _, _, lda = plot_europarl
    daily = discourse.topics.topic_prevalence(lda, freq="D", n_boot=100)
    with plot.style("paper"):
        ax = plot.topic_prevalence(daily)
        save_and_check(ax.figure, tmp_path, "prevalence_time")
    assert len(ax.lines) == K
    assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == K  # one band per topic
    assert [t.get_text() for t in ax.get_legend().get_texts()] == lda.topic_names()
    assert ax.get_ylabel() == "Topic prevalence"

    by_lang = discourse.topics.topic_prevalence(lda, by="original", n_boot=100)
    fig, ax2 = plt.subplots()
    assert plot.topic_prevalence(by_lang, by="original", ax=ax2) is ax2
    groups = sorted(dict.fromkeys(by_lang["original"]), key=plot.french_key)
    assert [t.get_text() for t in ax2.get_yticklabels()] == [str(g) for g in groups]
    assert len(ax2.containers) == K  # one errorbar container per topic
    save_and_check(fig, tmp_path, "prevalence_group")


def test_doc_topic_heatmap_columns_are_topic_ids(plot_europarl, tmp_path):
    _, _, _, lda = plot_europarl
    with plot.style("paper"):
        ax = plot.doc_topic_heatmap(lda.document_topics(), max_documents=30)
        save_and_check(ax.figure, tmp_path, "heatmap")
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"T{t + 1}" for t in lda.topic_ids_]
    assert ax.get_title(loc="left") == "first 30 of 436 documents"  # a subset says so (436 speeches in the matrix)
    image = ax.get_images()[0]
    assert image.get_array().shape == (30, K)
    assert ax.get_xlabel() == "Topic" and ax.get_ylabel() == "Document"


def test_metrics_by_k_one_panel_per_metric(plot_europarl, tmp_path):
    _, tokens, dtm, _ = plot_europarl
    metrics = discourse.select_k(dtm, [3, 5], tokens=tokens, n_iter=60, progress=False).drop(columns="fit_seconds")
    with plot.style("paper"):
        fig = plot.metrics_by_k(metrics)
        save_and_check(fig, tmp_path, "metrics")
    expected = [c for c in metrics.columns if c != "k"]
    assert [ax.get_ylabel() for ax in fig.axes] == expected
    for ax in fig.axes:
        line = ax.lines[0]
        assert list(line.get_xdata()) == [3, 5]
        assert ax.get_xlabel() == "Number of topics K"


def test_intertopic_map_places_each_topic(plot_europarl, tmp_path):
    _, _, _, lda = plot_europarl
    coords = topic_coordinates(lda)
    assert list(coords.topic) == list(lda.topic_ids_)
    assert np.isclose(coords.prevalence.sum(), 1.0)
    with plot.style("paper"):
        ax = plot.intertopic_map(coords)
        save_and_check(ax.figure, tmp_path, "map")
    numbers = [t.get_text() for t in ax.texts if not t.get_text().count("\n")]
    assert sorted(numbers) == sorted(f"T{t + 1}" for t in lda.topic_ids_)
    key = [t.get_text() for t in ax.texts if t.get_text().count("\n")]
    assert key == ["\n".join(lda.topic_names())]
    scatter = [c for c in ax.collections if isinstance(c, PathCollection)][0]
    assert np.allclose(scatter.get_offsets(), coords[["x", "y"]].to_numpy())
    # the same topic has the same colour as in the top-terms grid
    colors = [to_hex(c) for c in scatter.get_facecolors()]
    assert colors == [plot.topic_colors(lda.topic_ids_)[t].lower() for t in lda.topic_ids_]


# ----------------------------------------------------------------------------- style
def test_topic_colours_depend_on_the_id_only():
    assert plot.topic_colors([3])[3] == plot.topic_colors([0, 1, 2, 3])[3]
    assert len(set(plot.topic_colors(range(16)).values())) == 16
