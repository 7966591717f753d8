"""discourse.plot.style and the shared plotting helpers: style, palettes, saving, French typography, docstring examples."""

from __future__ import annotations

import doctest

import matplotlib
import pandas as pd
import pytest

import discourse
from discourse import plot

matplotlib.use("Agg")


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
