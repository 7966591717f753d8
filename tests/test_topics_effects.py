"""estimate_effect: design matrices, the posterior draw, the method of composition on simulations
with a known party effect (coverage), and the tidy tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.interpolate import BSpline

from benchmarks.eval_effect_coverage import TRUTH, one_simulation, simulate_corpus
from discourse.topics import LDA
from discourse.topics.effects import Design, draw_topic_proportions, estimate_effect


def test_coverage_on_simulated_corpora_is_nominal() -> None:
    """12 simulations (the benchmark runs 100): 95 % intervals hold the true party effect about
    95 % of the time; with 12 × 3 intervals, at most 4 misses (P < 0.01 under nominal coverage)."""
    runs = pd.concat([one_simulation(seed, n_draws=10) for seed in range(12)], ignore_index=True)
    assert (~runs["covered"]).sum() <= 4
    bias = runs.groupby("true_topic")["estimate"].mean().to_numpy() - TRUTH
    assert np.abs(bias).max() < 0.03
    # intervals are not uselessly wide: the sign of a ±0.15 effect is always clear
    big = runs[runs.true_topic.isin([0, 1])]
    assert ((big.ci_high < 0) | (big.ci_low > 0)).all()


@pytest.fixture(scope="module")
def fitted():
    dtm, _ = simulate_corpus(0, n_docs=200)
    dates = pd.Timestamp("2013-01-29") + pd.to_timedelta(np.arange(200) % 15, unit="D")
    meta = dtm.metadata
    meta["date"] = dates
    meta["age"] = np.arange(200) % 40 + 30.0
    dtm = dtm.with_metadata(meta)
    return dtm, LDA(n_topics=3, random_state=0, n_jobs=2).fit(dtm)


def test_posterior_draw_is_centred_on_the_estimate(fitted) -> None:
    _, lda = fitted
    rng = np.random.default_rng(0)
    draws = np.stack([draw_topic_proportions(lda, rng) for _ in range(400)])
    np.testing.assert_allclose(draws.sum(axis=2), 1.0)
    np.testing.assert_allclose(draws.mean(axis=0), lda.doc_topics_, atol=0.02)
    # longer documents are more certain: the spread shrinks like 1 / sqrt(N + Σα)
    n = lda.doc_lengths_[0] + lda.alpha_.sum()
    expected_sd = np.sqrt(lda.doc_topics_[0] * (1 - lda.doc_topics_[0]) / (n + 1))
    np.testing.assert_allclose(draws[:, 0].std(axis=0), expected_sd, rtol=0.15)


def test_design_matrix_terms() -> None:
    meta = pd.DataFrame({"party": ["UMP", "SRC", "UDI", "SRC"], "age": [40.0, 50.0, 60.0, 70.0],
                         "date": pd.to_datetime(["2013-01-29", "2013-02-01", "2013-02-05", "2013-02-12"])})
    design = Design("~ party + age + s(date, df=4)", meta)
    assert design.columns == ["(intercept)", "party[UDI]", "party[UMP]", "age", "s(date)[1]", "s(date)[2]", "s(date)[3]", "s(date)[4]"]
    x = design.matrix(meta)
    assert x[:, 1].tolist() == [0, 0, 1, 0] and x[:, 2].tolist() == [1, 0, 0, 0] and x[:, 3].tolist() == [40, 50, 60, 70]
    # the spline columns with the dropped first function form a partition of unity
    days = np.array([0.0, 3.0, 7.0, 14.0])
    knots = design.term("date").knots
    full = BSpline.design_matrix(days, knots, 3).toarray()
    np.testing.assert_allclose(x[:, 4:], full[:, 1:])
    np.testing.assert_allclose(full.sum(axis=1), 1.0)
    assert knots[4] == pytest.approx(np.median(days))  # df = 4: one interior knot, at the median
    forced = Design("C(age)", meta)
    assert forced.columns == ["(intercept)", "age[50.0]", "age[60.0]", "age[70.0]"]
    with pytest.raises(KeyError, match="no metadata column 'groupe'"):
        Design("groupe", meta)
    with pytest.raises(ValueError, match="cannot read the term"):
        Design("party + log(age)", meta)
    with pytest.raises(ValueError, match="values \\['GDR'\\] were not in the fitted data"):
        design.matrix(meta.assign(party=["GDR", "SRC", "UDI", "SRC"]))


def test_tables_and_contrasts(fitted) -> None:
    dtm, lda = fitted
    effects = estimate_effect(lda, dtm, "party + s(date, df=4) + age", n_draws=5, n_sims=50, random_state=1)
    coefs = effects.coefficients()
    assert list(coefs.columns) == ["topic", "label", "term", "estimate", "se", "ci_low", "ci_high"]
    assert len(coefs) == 3 * len(effects.design.columns)
    # with treatment coding, the contrast B − A is the coefficient of party[B], draw for draw
    contrast = effects.contrast("party", "A", "B").set_index("topic")
    coef = coefs[coefs.term == "party[B]"].set_index("topic")
    np.testing.assert_allclose(contrast["estimate"], coef["estimate"], atol=1e-12)
    np.testing.assert_allclose(contrast["ci_low"], coef["ci_low"], atol=1e-12)
    levels = effects.levels("party")
    assert levels.shape[0] == 6 and set(levels["party"]) == {"A", "B"}
    curve = effects.curve("date", n_points=10)
    assert len(curve) == 30 and curve["date"].min() == pd.Timestamp("2013-01-29")
    assert (curve.ci_low <= curve.estimate).all() and (curve.estimate <= curve.ci_high).all()
    assert len(effects.curve("age", n_points=5)) == 15
    again = estimate_effect(lda, dtm, "party + s(date, df=4) + age", n_draws=5, n_sims=50, random_state=1)
    pd.testing.assert_frame_equal(again.coefficients(), coefs)


def test_errors_and_missing_covariates(fitted) -> None:
    dtm, lda = fitted
    meta = dtm.metadata
    meta["copy"] = meta["party"]
    meta["partial"] = meta["age"].where(meta["age"] > 31)
    dtm = dtm.with_metadata(meta)
    with pytest.raises(ValueError, match="collinear"):
        estimate_effect(lda, dtm, "party + copy", n_draws=2)
    with pytest.raises(ValueError, match="not fitted on this document-term matrix"):
        estimate_effect(lda, dtm.select_documents(list(range(10))), "party", n_draws=2)
    with pytest.warns(UserWarning, match=r"10 of 200 documents have a missing covariate \(partial\)"):
        effects = estimate_effect(lda, dtm, "partial", n_draws=2, n_sims=10, random_state=0)
    assert effects.n_documents == 190
    with pytest.raises(ValueError, match="is not categorical"):
        effects.levels("partial")
