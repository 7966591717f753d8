"""Every plot function drawn from real results, checking what it drew, saved as PDF and PNG.

Results come from small real slices: the seed article, the European Parliament speeches of
January 2000 (a small LDA), and Assemblée nationale sittings around the attacks of
November 2015. Figures are checked through matplotlib's objects (titles, labels, number of
bars/lines/bands, the topic ids shown) — never through pixels.
"""

from __future__ import annotations

import doctest
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.colors import to_hex

import discourse
from discourse import corpora, plot
from discourse.topics.coordinates import topic_coordinates

matplotlib.use("Agg")

K = 5
N_TERMS = 6


# ----------------------------------------------------------------------------- real results
@pytest.fixture(scope="module")
def seed_tokens(data_home):
    return discourse.Preprocessor(backend="fast", progress=False).transform(corpora.load("seed", data_home=data_home))


@pytest.fixture(scope="module")
def europarl(data_home):
    corpus = corpora.load("europarl-fr-2000", data_home=data_home)
    # the release gives no LANGUAGE attribute for speeches made in French (or unknown)
    corpus = corpus.assign(original=lambda m: m["language"].fillna("FR"))
    tokens = discourse.Preprocessor(backend="fast", progress=False).transform(corpus)
    dtm = discourse.DocumentTermMatrix.from_tokens(tokens.filter(min_length=3), min_df=3, max_df=0.5)
    lda = discourse.LDA(n_topics=K, n_iter=150, random_state=7).fit(dtm)
    return corpus, tokens, dtm, lda


@pytest.fixture(scope="module")
def an_slice(data_home):
    corpus = corpora.load("an-debats-2013-2018", data_home=data_home)
    corpus = corpus.filter(lambda m: (m["date"] >= "2015-09-01") & (m["date"] < "2016-03-01")).sample(48, random_state=1)
    assert corpus.metadata["date"].dt.to_period("M").nunique() == 6
    return discourse.Preprocessor(backend="fast", progress=False).transform(corpus)


@pytest.fixture(scope="module")
def an_monthly(an_slice):
    return discourse.count_frames(an_slice, discourse.FrameDictionary.default(), freq="M", n_boot=200)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _save(fig, tmp_path: Path, name: str) -> None:
    paths = plot.savefig(fig, tmp_path / name, formats=("pdf", "png"))
    assert [p.suffix for p in paths] == [".pdf", ".png"]
    pdf = paths[0].read_bytes()
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf  # TrueType font embedded
    png = plt.imread(paths[1])
    width_in, height_in = fig.get_size_inches()
    # bbox="tight" trims margins: the PNG is at most the figure size at 300 dpi, and not tiny
    assert png.shape[1] <= width_in * 300 + 2 and png.shape[1] > width_in * 300 * 0.5


# ----------------------------------------------------------------------------- topics
def test_top_terms_grid_one_panel_per_topic(europarl, tmp_path):
    _, _, _, lda = europarl
    table = lda.top_terms(N_TERMS, lam=0.6)
    with plot.style("paper"):
        fig = plot.top_terms(table)
        _save(fig, tmp_path, "top_terms")
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


def test_topic_prevalence_over_time_and_by_group(europarl, tmp_path):
    _, _, _, lda = europarl
    daily = discourse.topics.topic_prevalence(lda, freq="D", n_boot=100)
    with plot.style("paper"):
        ax = plot.topic_prevalence(daily)
        _save(ax.figure, tmp_path, "prevalence_time")
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
    _save(fig, tmp_path, "prevalence_group")


def test_doc_topic_heatmap_columns_are_topic_ids(europarl, tmp_path):
    _, _, _, lda = europarl
    with plot.style("paper"):
        ax = plot.doc_topic_heatmap(lda.document_topics(), max_documents=30)
        _save(ax.figure, tmp_path, "heatmap")
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"T{t + 1}" for t in lda.topic_ids_]
    assert ax.get_title(loc="left") == "first 30 of 436 documents"  # a subset says so (436 speeches in the matrix)
    image = ax.get_images()[0]
    assert image.get_array().shape == (30, K)
    assert ax.get_xlabel() == "Topic" and ax.get_ylabel() == "Document"


def test_metrics_by_k_one_panel_per_metric(europarl, tmp_path):
    _, tokens, dtm, _ = europarl
    metrics = discourse.select_k(dtm, [3, 5], tokens=tokens, n_iter=60, progress=False).drop(columns="fit_seconds")
    with plot.style("paper"):
        fig = plot.metrics_by_k(metrics)
        _save(fig, tmp_path, "metrics")
    expected = [c for c in metrics.columns if c != "k"]
    assert [ax.get_ylabel() for ax in fig.axes] == expected
    for ax in fig.axes:
        line = ax.lines[0]
        assert list(line.get_xdata()) == [3, 5]
        assert ax.get_xlabel() == "Number of topics K"


def test_intertopic_map_places_each_topic(europarl, tmp_path):
    _, _, _, lda = europarl
    coords = topic_coordinates(lda)
    assert list(coords.topic) == list(lda.topic_ids_)
    assert np.isclose(coords.prevalence.sum(), 1.0)
    with plot.style("paper"):
        ax = plot.intertopic_map(coords)
        _save(ax.figure, tmp_path, "map")
    numbers = [t.get_text() for t in ax.texts if not t.get_text().count("\n")]
    assert sorted(numbers) == sorted(f"T{t + 1}" for t in lda.topic_ids_)
    key = [t.get_text() for t in ax.texts if t.get_text().count("\n")]
    assert key == ["\n".join(lda.topic_names())]
    scatter = [c for c in ax.collections if isinstance(c, PathCollection)][0]
    assert np.allclose(scatter.get_offsets(), coords[["x", "y"]].to_numpy())
    # the same topic has the same colour as in the top-terms grid
    colors = [to_hex(c) for c in scatter.get_facecolors()]
    assert colors == [plot.topic_colors(lda.topic_ids_)[t].lower() for t in lda.topic_ids_]


# ----------------------------------------------------------------------------- frames
def test_frame_rates_lines_and_bands(an_monthly, tmp_path):
    shown = ["state_of_emergency", "counter_terrorism"]
    table = an_monthly[an_monthly.frame.isin(shown)]
    with plot.style("paper"):
        ax = plot.frame_rates(table, frames=shown, events={"13 Nov 2015": "2015-11-13"})
        _save(ax.figure, tmp_path, "frame_rates")
    names = ["State of emergency", "Counter-terrorism"]
    frame_lines = [ln for ln in ax.lines if ln.get_label() in names]
    assert [ln.get_label() for ln in frame_lines] == names
    assert len(frame_lines[0].get_xdata()) == 6  # September 2015 – February 2016
    assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == 2
    assert ax.get_ylabel() == "Rate per 10,000 content tokens (stop words removed)"  # the table's rate_unit
    assert [t.get_text() for t in ax.texts] == ["13 Nov 2015"]
    # the curve drawn is the table's rate, month by month
    y = frame_lines[0].get_ydata()
    expected = table[table.frame == "state_of_emergency"].sort_values("period")["rate_per_10k"].to_numpy()
    assert np.allclose(np.asarray(y, dtype=float), expected, equal_nan=True)


def test_frame_rates_in_french(an_monthly, tmp_path):
    table = an_monthly[an_monthly.frame == "state_of_emergency"]
    with plot.style("paper", locale="fr"):
        ax = plot.frame_rates(table)
        ax.figure.canvas.draw()
        _save(ax.figure, tmp_path, "frame_rates_fr")
        assert ax.get_ylabel() == "Fréquence pour 10 000 mots pleins (mots vides exclus)"
        ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        assert any(t.startswith(("sept.", "nov.", "déc.", "janv.", "févr.")) for t in ticks)
        assert plot.format_number(1234.5) == "1\u202f234,5"
    assert plot.current_locale() == "en"  # restored after the with block


def test_frames_by_group_dot_and_whisker(europarl, tmp_path):
    _, tokens, _, _ = europarl
    table = discourse.count_frames(tokens, discourse.FrameDictionary.default(), by="original", n_boot=200)
    frames = ["rule_of_law", "human_rights", "security_threat"]
    with plot.style("paper"):
        ax = plot.frames_by_group(table, by="original", frames=frames)
        _save(ax.figure, tmp_path, "frames_by_group")
    groups = sorted(dict.fromkeys(table["original"]), key=plot.french_key)
    assert [t.get_text() for t in ax.get_yticklabels()] == [str(g) for g in groups]
    assert len(ax.containers) == len(frames)
    # legends name frames by the dictionary's English label, never the raw id
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Rule of law", "Human and fundamental rights",
                                                                  "Security and threat"]
    assert ax.get_xlabel() == "Rate per 10,000 content tokens (stop words removed)"


# ----------------------------------------------------------------------------- lexicometry
def test_keyness_two_sided_bars(europarl, tmp_path):
    _, tokens, _, _ = europarl
    meta = tokens.metadata
    first_day = (meta["date"] == meta["date"].min()).to_numpy()
    table = discourse.keyness(tokens, first_day, "g2")
    with plot.style("paper"):
        ax = plot.keyness(table, n=8, target_label="17 Jan", reference_label="18-21 Jan")
        _save(ax.figure, tmp_path, "keyness")
    assert len(ax.patches) == 16
    widths = [p.get_width() for p in ax.patches]
    assert sum(w > 0 for w in widths) == 8 and sum(w < 0 for w in widths) == 8
    right = [t.get_text() for t in ax.texts[:8]]
    assert right == table[table.effect == "target"].head(8)["term"].tolist()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["17 Jan", "18-21 Jan"]


def test_specificities_heatmap(europarl, tmp_path):
    _, tokens, _, _ = europarl
    three = tokens.select_documents(tokens.metadata["original"].isin(["FR", "EN", "DE"]).to_numpy())
    table = discourse.specificities(three, "original", min_count=40)
    with plot.style("paper"):
        ax = plot.specificities(table, n=4)
        _save(ax.figure, tmp_path, "specificities")
    parts = list(dict.fromkeys(table["part"]))
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(p) for p in parts]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    first_part = table[table.part == parts[0]].head(4)["term"].tolist()
    assert rows[:4] == first_part
    assert ax.get_images()[0].get_array().shape == (len(rows), len(parts))


def test_cooccurrence_network(an_slice, tmp_path):
    table = discourse.frames.cooccurrence(an_slice, unit="sentence")
    pairs = table[(table.frame_a != table.frame_b) & (table.both > 0)]
    with plot.style("paper"):
        ax = plot.cooccurrence_network(pairs, weight="both")
        _save(ax.figure, tmp_path, "network")
    nodes = sorted(set(pairs.frame_a) | set(pairs.frame_b))
    assert sorted(t.get_text() for t in ax.texts) == nodes


def test_kwic_table_renders_html(seed_tokens):
    hits = discourse.kwic(seed_tokens, "état de droit", window=6)
    styled = plot.kwic_table(hits)
    html = styled.to_html()
    assert "état de droit" in html and "font-weight: bold" in html
    assert html.count("<tr") == len(hits) + 1
    assert hasattr(styled, "_repr_html_")


# ----------------------------------------------------------------------------- style
def test_topic_colours_depend_on_the_id_only():
    assert plot.topic_colors([3])[3] == plot.topic_colors([0, 1, 2, 3])[3]
    assert len(set(plot.topic_colors(range(16)).values())) == 16


def test_style_restores_settings():
    before = matplotlib.rcParams["font.size"]
    with plot.style("paper"):
        assert matplotlib.rcParams["pdf.fonttype"] == 42
        assert matplotlib.rcParams["font.size"] == 8
    assert matplotlib.rcParams["font.size"] == before


def test_plot_errors_name_the_column():
    with pytest.raises(plot.PlotInputError, match=r"no column \['rate_per_10k'\]"):
        plot.frame_rates(pd.DataFrame({"frame": ["a"], "period": ["2015-11"]}))


def test_savefig_is_deterministic(tmp_path):
    with plot.style("paper"):
        fig, ax = plot.subplots()
        ax.plot([1, 2, 3], [2, 1, 3])
        ax.set_title("Prééminence du droit")
        a = plot.savefig(fig, tmp_path / "a", formats=("pdf", "png", "svg"))
        b = plot.savefig(fig, tmp_path / "b", formats=("pdf", "png", "svg"))
    for x, y in zip(a, b):
        assert x.read_bytes() == y.read_bytes()


@pytest.mark.parametrize("module", ["style", "topics", "frames", "lexicometry"])
def test_docstring_examples(module):
    import importlib

    mod = importlib.import_module(f"discourse.plot.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


# ----------------------------------------------------------------------------- figure options (issue 15)
def test_frame_labels_follow_the_locale_and_the_rate_unit(an_monthly):
    table = an_monthly[an_monthly.frame.isin(["state_of_emergency", "rule_of_law"])].copy()
    table.attrs["rate_unit"] = "per 10,000 content tokens (stop words removed)"
    with plot.style("paper", locale="fr"):
        ax = plot.frame_rates(table, frames=["state_of_emergency", "rule_of_law"])
    # French labels of the dictionary, with a typographic apostrophe
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["État d’urgence", "État de droit"]
    assert ax.get_ylabel() == "Fréquence pour 10 000 mots pleins (mots vides exclus)"
    with plot.style("paper", locale="en"):
        ax = plot.frame_rates(table, frames=["state_of_emergency"], labels={"state_of_emergency": "Emergency"})
    assert ax.get_title(loc="left") == "Emergency"
    assert ax.get_ylabel() == "Rate per 10,000 content tokens (stop words removed)"


def test_unknown_frame_or_group_raises_instead_of_an_empty_plot(an_monthly, europarl):
    with pytest.raises(plot.PlotInputError, match=r"frames \['rule_of_lw'\] are not in the table"):
        plot.frame_rates(an_monthly, frames=["rule_of_lw"])
    _, tokens, _, _ = europarl
    table = discourse.count_frames(tokens, discourse.FrameDictionary.default(), by="original", n_boot=20)
    with pytest.raises(plot.PlotInputError, match="frames_by_group: frames"):
        plot.frames_by_group(table, by="original", frames=["sovereignity"])
    with pytest.raises(plot.PlotInputError, match=r"groups \['XX'\] are not in column 'original'"):
        plot.frames_by_group(table, by="original", groups=["FR", "XX"])


def test_keyness_names_the_measure_draws_the_threshold_and_keeps_the_ranking(europarl):
    _, tokens, _, _ = europarl
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


def test_palettes_tell_series_apart_and_keep_colours():
    from matplotlib.colors import to_rgb

    def close(a, b):
        return sum((x - y) ** 2 for x, y in zip(to_rgb(a), to_rgb(b))) ** 0.5 < 0.25

    eight = list(plot.topic_colors(range(8)).values())
    assert len(set(eight)) == 8
    assert not any(close(a, b) for i, a in enumerate(eight) for b in eight[i + 1:])
    frames = discourse.FrameDictionary.default().frame_names
    colours = plot.frame_colors(frames)
    assert len(set(colours.values())) == len(frames)
    assert not any(close(colours[a], colours[b]) for i, a in enumerate(frames) for b in frames[i + 1:])
    assert plot.frame_colors(["state_of_emergency"]) == {"state_of_emergency": colours["state_of_emergency"]}


def test_text_details_french_collation_minus_zero_apostrophes_wrapping():
    assert sorted(["Europe", "État", "économie", "Zone"], key=plot.french_key) == ["économie", "État", "Europe", "Zone"]
    assert plot.format_number(-0.0001, "en", decimals=1) == "0.0"
    assert plot.format_number(-0.04, "fr", decimals=1) == "0,0"
    assert plot.format_number(-1.5, "fr") == "\u22121,5"
    assert plot.typographic("l'état d'urgence", "fr") == "l’état d’urgence"
    from discourse.plot._common import wrap

    wrapped = wrap("Situation au Moyen-Orient et processus de paix au Proche-Orient", 20)
    assert all(len(line) <= 20 for line in wrapped.split("\n"))
    assert wrapped.replace("\n", " ") == "Situation au Moyen-Orient et processus de paix au Proche-Orient"  # nothing cut
    table = pd.DataFrame({"frame": ["rule_of_law"] * 2, "agenda_item": ["Situation au Moyen-Orient et processus de paix", "Ordre des travaux"],
                          "rate_per_10k": [1.0, 2.0]})
    ax = plot.frames_by_group(table, by="agenda_item", max_label_length=20)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Ordre des travaux", "Situation au\nMoyen-Orient et\nprocessus de paix"]
