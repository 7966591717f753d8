"""Figures of positions, word weights and effects: they draw the tables they are given."""

from __future__ import annotations

import doctest
import importlib

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from benchmarks.bench_wordfish import simulate
from discourse import plot
from discourse.plot import PlotInputError
from discourse.scaling import Wordfish


@pytest.mark.parametrize("module", ["discourse.plot.scaling", "discourse.scaling.wordfish", "discourse.scaling.wordscores", "discourse.dtm"])
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


@pytest.fixture(scope="module")
def fit():
    dtm, truth = simulate(40, 600, seed=2)
    return Wordfish(dir=(int(np.argmin(truth)), int(np.argmax(truth)))).fit(dtm)


def test_positions_are_sorted_and_coloured_by_group(fit) -> None:
    table = fit.positions()
    ax = plot.positions(table, by="party")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == table.sort_values("theta")["doc_id"].tolist()
    # one set of whiskers and one set of dots per party; the largest party gets the first colour
    dots = [l for l in ax.lines if l.get_marker() == "o"]
    assert len(dots) == 2 and len(ax.collections) == 2
    biggest = table["party"].value_counts().index[0]
    line = next(l for l in dots if l.get_label() == biggest)
    assert line.get_color() == plot.PALETTE[0]
    plt.close("all")
    with pytest.raises(PlotInputError, match="no column \\['ci_low'\\]"):
        plot.positions(table.drop(columns="ci_low"))


def test_word_weights_labels_chosen_words(fit) -> None:
    weights = fit.word_weights()
    ax = plot.word_weights(weights, highlight=["mot5"], n_labels=4, min_count=0)
    texts = sorted(t.get_text() for t in ax.texts)
    strongest = weights.reindex(weights["beta"].abs().sort_values(ascending=False).index)["term"].head(4).tolist()
    assert texts == sorted(set(strongest) | {"mot5"})
    plt.close("all")


def test_effect_figures() -> None:
    contrast = pd.DataFrame({"topic": [0, 1, 2], "label": ["0: famille", "1: égalité", "2: loi"], "contrast": ["UMP − SRC"] * 3,
                             "estimate": [0.04, -0.03, 0.0], "ci_low": [0.02, -0.05, -0.01], "ci_high": [0.06, -0.01, 0.01]})
    ax = plot.effect_contrast(contrast)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["1: égalité", "2: loi", "0: famille"]
    dates = pd.date_range("2013-01-29", "2013-02-12", periods=5)
    curve = pd.DataFrame({"topic": np.repeat([0, 1], 5), "label": np.repeat(["0: famille", "1: égalité"], 5),
                          "date": np.tile(dates, 2), "estimate": np.linspace(0.1, 0.3, 10)})
    curve["ci_low"], curve["ci_high"] = curve.estimate - 0.02, curve.estimate + 0.02
    ax = plot.effect_curve(curve, "date")
    assert len(ax.lines) == 2 and len(ax.collections) == 2
    with pytest.raises(PlotInputError, match="topic 5"):
        plot.effect_curve(curve, "date", topics=[5])
    drift = pd.DataFrame({"time": ["2013-01-29", "2013-02-05"] * 2, "term": ["famille"] * 2 + ["enfant"] * 2,
                          "weight": [0.02, 0.03, 0.01, 0.02]})
    ax = plot.term_drift(drift)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2013-01-29", "2013-02-05"]
    plt.close("all")
