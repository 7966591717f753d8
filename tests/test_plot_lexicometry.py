"""discourse.plot.lexicometry: keyness, specificities, co-occurrence networks, KWIC tables."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

import discourse
from discourse import corpora, plot

matplotlib.use("Agg")

from plot_helpers import save_and_check


# ----------------------------------------------------------------------------- real results
@pytest.fixture(scope="module")
def seed_tokens(data_home):
    return discourse.Preprocessor(backend="fast", progress=False).transform(corpora.load("seed", data_home=data_home))


# ----------------------------------------------------------------------------- lexicometry
def test_keyness_two_sided_bars(plot_europarl, tmp_path):
    _, tokens, _, _ = plot_europarl
    meta = tokens.metadata
    first_day = (meta["date"] == meta["date"].min()).to_numpy()
    table = discourse.keyness(tokens, first_day, "g2")
    with plot.style("paper"):
        ax = plot.keyness(table, n=8, target_label="17 Jan", reference_label="18-21 Jan")
        save_and_check(ax.figure, tmp_path, "keyness")
    assert len(ax.patches) == 16
    widths = [p.get_width() for p in ax.patches]
    assert sum(w > 0 for w in widths) == 8 and sum(w < 0 for w in widths) == 8
    right = [t.get_text() for t in ax.texts[:8]]
    assert right == table[table.effect == "target"].head(8)["term"].tolist()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["17 Jan", "18-21 Jan"]


def test_specificities_heatmap(plot_europarl, tmp_path):
    _, tokens, _, _ = plot_europarl
    three = tokens.select_documents(tokens.metadata["original"].isin(["FR", "EN", "DE"]).to_numpy())
    table = discourse.specificities(three, "original", min_count=40)
    with plot.style("paper"):
        ax = plot.specificities(table, n=4)
        save_and_check(ax.figure, tmp_path, "specificities")
    parts = list(dict.fromkeys(table["part"]))
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(p) for p in parts]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    first_part = table[table.part == parts[0]].head(4)["term"].tolist()
    assert rows[:4] == first_part
    assert ax.get_images()[0].get_array().shape == (len(rows), len(parts))


def test_cooccurrence_network(plot_an_slice, tmp_path):
    table = discourse.frames.cooccurrence(plot_an_slice, unit="sentence")
    pairs = table[(table.frame_a != table.frame_b) & (table.both > 0)]
    with plot.style("paper"):
        ax = plot.cooccurrence_network(pairs, weight="both")
        save_and_check(ax.figure, tmp_path, "network")
    nodes = sorted(set(pairs.frame_a) | set(pairs.frame_b))
    assert sorted(t.get_text() for t in ax.texts) == nodes


def test_kwic_table_renders_html(seed_tokens):
    hits = discourse.kwic(seed_tokens, "état de droit", window=6)
    styled = plot.kwic_table(hits)
    html = styled.to_html()
    assert "état de droit" in html and "font-weight: bold" in html
    assert html.count("<tr") == len(hits) + 1
    assert hasattr(styled, "_repr_html_")


def test_keyness_names_the_measure_draws_the_threshold_and_keeps_the_ranking(plot_europarl):
    _, tokens, _, _ = plot_europarl
    meta = tokens.metadata
    table = discourse.keyness(tokens, (meta["date"] == meta["date"].min()).to_numpy(), "g2")
    with plot.style("paper", locale="fr"):
        ax = plot.keyness(table, n=6)
    assert ax.get_xlabel() == "Keyness : log-vraisemblance G²"  # not « Spécificité », Lafon's measure
    from scipy.stats import chi2

    critical = chi2.isf(0.05 / len(table), df=1)
    dashed = sorted(round(float(ln.get_xdata()[0]), 6) for ln in ax.lines if ln.get_linestyle() == "--")
    assert dashed == [round(-critical, 6), round(critical, 6)]
    assert any("seuil p = 0,05 (Bonferroni" in t.get_text() for t in ax.texts)
    # bars in the table's ranking: a table ranked otherwise is drawn in its own order
    ranked = table.assign(rank=np.arange(len(table), 0, -1))
    ax = plot.keyness(ranked, n=3, alpha=None)
    right = [t.get_text() for t in ax.texts[:3]]
    assert right == ranked[ranked.effect == "target"].sort_values("rank").head(3)["term"].tolist()
    assert not [ln for ln in ax.lines if ln.get_linestyle() == "--"]
