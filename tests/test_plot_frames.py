"""discourse.plot.frames: frame rates over time and by group."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from matplotlib.collections import PolyCollection

import discourse
from discourse import plot

matplotlib.use("Agg")

from plot_helpers import save_and_check


@pytest.fixture(scope="module")
def an_monthly(plot_an_slice):
    return discourse.count_frames(plot_an_slice, discourse.FrameDictionary.default(), freq="M", n_boot=200)


# ----------------------------------------------------------------------------- frames
def test_frame_rates_lines_and_bands(an_monthly, tmp_path):
    shown = ["state_of_emergency", "counter_terrorism"]
    table = an_monthly[an_monthly.frame.isin(shown)]
    with plot.style("paper"):
        ax = plot.frame_rates(table, frames=shown, events={"13 Nov 2015": "2015-11-13"})
        save_and_check(ax.figure, tmp_path, "frame_rates")
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
        save_and_check(ax.figure, tmp_path, "frame_rates_fr")
        assert ax.get_ylabel() == "Fréquence pour 10 000 mots pleins (mots vides exclus)"
        ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        assert any(t.startswith(("sept.", "nov.", "déc.", "janv.", "févr.")) for t in ticks)
        assert plot.format_number(1234.5) == "1\u202f234,5"
    assert plot.current_locale() == "en"  # restored after the with block


def test_frames_by_group_dot_and_whisker(plot_europarl, tmp_path):
    _, tokens, _, _ = plot_europarl
    table = discourse.count_frames(tokens, discourse.FrameDictionary.default(), by="original", n_boot=200)
    frames = ["rule_of_law", "human_rights", "security_threat"]
    with plot.style("paper"):
        ax = plot.frames_by_group(table, by="original", frames=frames)
        save_and_check(ax.figure, tmp_path, "frames_by_group")
    groups = sorted(dict.fromkeys(table["original"]), key=plot.french_key)
    assert [t.get_text() for t in ax.get_yticklabels()] == [str(g) for g in groups]
    assert len(ax.containers) == len(frames)
    # legends name frames by the dictionary's English label, never the raw id
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Rule of law", "Human and fundamental rights",
                                                                  "Security and threat"]
    assert ax.get_xlabel() == "Rate per 10,000 content tokens (stop words removed)"


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


def test_unknown_frame_or_group_raises_instead_of_an_empty_plot(an_monthly, plot_europarl):
    with pytest.raises(plot.PlotInputError, match=r"frames \['rule_of_lw'\] are not in the table"):
        plot.frame_rates(an_monthly, frames=["rule_of_lw"])
    _, tokens, _, _ = plot_europarl
    table = discourse.count_frames(tokens, discourse.FrameDictionary.default(), by="original", n_boot=20)
    with pytest.raises(plot.PlotInputError, match="frames_by_group: frames"):
        plot.frames_by_group(table, by="original", frames=["sovereignity"])
    with pytest.raises(plot.PlotInputError, match=r"groups \['XX'\] are not in column 'original'"):
        plot.frames_by_group(table, by="original", groups=["FR", "XX"])
