"""Statistics of discourse.lexicometry.stats checked against scipy.stats and nltk on fixed tables."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.metrics import BigramAssocMeasures
from scipy import stats as sst

from discourse.lexicometry import stats

# (count in target, count in reference, target size, reference size)
TABLES = [(10, 2, 1000, 1000), (30, 10, 10_000, 20_000), (0, 25, 5_000, 80_000), (412, 97, 250_000, 310_000), (3, 0, 120, 4_000), (1, 1, 2, 2)]


@pytest.mark.parametrize("a, b, n1, n2", TABLES)
def test_g2_and_chi2_against_scipy(a: int, b: int, n1: int, n2: int) -> None:
    table = np.array([[a, b], [n1 - a, n2 - b]])
    g, p, dof, _ = sst.chi2_contingency(table, correction=False, lambda_="log-likelihood")
    assert dof == 1
    assert stats.g2(a, b, n1, n2) == pytest.approx(g, rel=1e-9, abs=1e-12)
    assert stats.p_value(stats.g2(a, b, n1, n2)) == pytest.approx(p, rel=1e-7)
    # the same G² from power_divergence on observed vs expected cells
    expected = sst.contingency.expected_freq(table)
    pd_stat, _ = sst.power_divergence(table.ravel(), expected.ravel(), lambda_="log-likelihood", ddof=2)
    assert stats.g2(a, b, n1, n2) == pytest.approx(pd_stat, rel=1e-9, abs=1e-12)
    x2, p2, _, _ = sst.chi2_contingency(table, correction=False)
    assert stats.chi2(a, b, n1, n2) == pytest.approx(x2, rel=1e-9, abs=1e-12)
    assert stats.p_value(stats.chi2(a, b, n1, n2)) == pytest.approx(p2, rel=1e-7)


def test_vectorised_equals_scalar() -> None:
    a, b, n1, n2 = (np.array(col) for col in zip(*TABLES))
    g = stats.g2(a, b, n1, n2)
    assert g.tolist() == pytest.approx([float(stats.g2(*t)) for t in TABLES])


@pytest.mark.parametrize("a, b, n1, n2", TABLES)
def test_log_ratio(a: int, b: int, n1: int, n2: int) -> None:
    aa, bb = (a or 0.5), (b or 0.5)
    assert stats.log_ratio(a, b, n1, n2) == pytest.approx(math.log2((aa / n1) / (bb / n2)))
    lo, hi = stats.log_ratio_interval(a, b, n1, n2, level=0.9)
    half = sst.norm.ppf(0.95) * math.sqrt(1 / aa + 1 / bb) / math.log(2)
    assert (lo, hi) == pytest.approx((math.log2((aa / n1) / (bb / n2)) - half, math.log2((aa / n1) / (bb / n2)) + half))


@pytest.mark.parametrize("a, b, n1, n2", [(100, 10, 1000, 1000), (10, 2, 1000, 1000), (3, 40, 9000, 11_000), (5, 5, 1000, 1000), (0, 25, 5_000, 80_000), (7, 0, 100, 100)])
@pytest.mark.parametrize("level", [0.95, 0.99])
def test_lrc_from_exact_binomial_interval(a: int, b: int, n1: int, n2: int, level: float) -> None:
    # Clopper-Pearson interval of a / (a + b) from scipy, turned into a log ratio interval
    ci = sst.binomtest(a, a + b).proportion_ci(confidence_level=level, method="exact")
    to_lr = lambda p: math.log2(p / (1 - p) * n2 / n1) if 0 < p < 1 else (-math.inf if p == 0 else math.inf)  # noqa: E731
    lo, hi = to_lr(ci.low), to_lr(ci.high)
    expected = lo if lo > 0 else (hi if hi < 0 else 0.0)
    assert stats.lrc(a, b, n1, n2, level=level) == pytest.approx(expected, abs=1e-9)
    # conservative: never further from 0 than the point estimate (when both exist)
    if a and b:
        assert abs(stats.lrc(a, b, n1, n2, level)) <= abs(stats.log_ratio(a, b, n1, n2)) + 1e-12


def test_lrc_bonferroni_is_more_conservative() -> None:
    assert 0 < stats.lrc(100, 10, 1000, 1000, n_tests=1000) < stats.lrc(100, 10, 1000, 1000)
    ci = sst.binomtest(100, 110).proportion_ci(confidence_level=1 - 0.05 / 1000, method="exact")
    assert stats.lrc(100, 10, 1000, 1000, n_tests=1000) == pytest.approx(math.log2(ci.low / (1 - ci.low)))


def _exact_tail(k: int, f: int, t: int, total: int, upper: bool) -> float:
    """Hypergeometric tail with exact integers (math.comb)."""
    den = math.comb(total, t)
    xs = range(k, min(f, t) + 1) if upper else range(max(0, t - (total - f)), k + 1)
    return float(Fraction(sum(math.comb(f, x) * math.comb(total - f, t - x) for x in xs), den))


@pytest.mark.parametrize("k, f, t, total", [(10, 20, 100, 1000), (0, 20, 100, 1000), (2, 20, 100, 1000), (5, 5, 50, 60), (1, 30, 10, 300), (40, 120, 200, 900)])
def test_lafon_against_exact_and_scipy(k: int, f: int, t: int, total: int) -> None:
    expected_count = f * t / total
    if k >= expected_count:
        ref = -math.log10(_exact_tail(k, f, t, total, upper=True))
        assert ref == pytest.approx(-math.log10(sst.hypergeom.sf(k - 1, total, f, t)), rel=1e-9)
    else:
        ref = math.log10(_exact_tail(k, f, t, total, upper=False))
        assert ref == pytest.approx(math.log10(sst.hypergeom.cdf(k, total, f, t)), rel=1e-9)
    assert stats.lafon(k, f, t, total) == pytest.approx(ref, rel=1e-9, abs=1e-12)
    assert (stats.lafon(k, f, t, total) > 0) == (k >= expected_count)


def test_lafon_large_scores_stay_finite() -> None:
    # P ~ 1e-600 underflows a float; the log-space computation keeps the score
    score = stats.lafon(800, 1000, 100_000, 1_000_000)
    assert score == pytest.approx(-sst.hypergeom.logsf(799, 1_000_000, 1000, 100_000) / math.log(10), rel=1e-9)
    assert np.isfinite(score) and score > 300
    assert stats.lafon(0, 1000, 500_000, 1_000_000) < -250


def test_lafon_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError):
        stats.lafon(30, 20, 100, 1000)


@pytest.mark.parametrize("count, exposure", [(0, 10_000), (1, 10_000), (17, 52_000), (250, 1_000_000)])
def test_poisson_interval_against_scipy(count: int, exposure: int) -> None:
    lo, hi = stats.poisson_interval(count, exposure, level=0.95, per=1)
    # exact interval: the means whose tail probability is alpha/2
    if count:
        assert sst.poisson.sf(count - 1, lo * exposure) == pytest.approx(0.025, rel=1e-6)
    else:
        assert lo == 0
    assert sst.poisson.cdf(count, hi * exposure) == pytest.approx(0.025, rel=1e-6)


def test_bootstrap_interval_matches_explicit_resampling() -> None:
    rng = np.random.default_rng(3)
    counts = rng.poisson(2, size=(40, 2))
    totals = rng.integers(500, 1500, size=40)
    lo, hi = stats.bootstrap_rate_interval(counts, totals, n_boot=500, random_state=np.random.default_rng(7), chunk=500)
    # the same draws, done one replicate at a time
    gen = np.random.default_rng(7)
    weights = gen.multinomial(40, np.full(40, 1 / 40), size=500)
    rates = (weights @ counts) / (weights @ totals)[:, None] * 1e4
    assert lo == pytest.approx(np.quantile(rates, 0.025, axis=0))
    assert hi == pytest.approx(np.quantile(rates, 0.975, axis=0))
    point = counts.sum(0) / totals.sum() * 1e4
    assert np.all(lo < point) and np.all(point < hi)
    one = stats.bootstrap_rate_interval(counts[:1], totals[:1])
    assert np.isnan(one[0]).all()


@pytest.mark.parametrize("n_ii, n_ix, n_xi, n_xx", [(8, 120, 40, 10_000), (1, 10, 500, 100_000), (30, 300, 31, 5_000)])
def test_association_against_nltk(n_ii: int, n_ix: int, n_xi: int, n_xx: int) -> None:
    got = stats.association(n_ii, n_ix, n_xi, n_xx).iloc[0]
    m = BigramAssocMeasures
    assert got.llr == pytest.approx(m.likelihood_ratio(n_ii, (n_ix, n_xi), n_xx), rel=1e-9)
    assert got.pmi == pytest.approx(m.pmi(n_ii, (n_ix, n_xi), n_xx), rel=1e-9)
    assert got.t == pytest.approx(m.student_t(n_ii, (n_ix, n_xi), n_xx), rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 50), st.integers(0, 50), st.integers(51, 400), st.integers(51, 400))
def test_g2_property_matches_scipy(a: int, b: int, n1: int, n2: int) -> None:
    table = np.array([[a, b], [n1 - a, n2 - b]])
    if a + b == 0:
        assert stats.g2(a, b, n1, n2) == 0
        return
    g = sst.chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
    assert stats.g2(a, b, n1, n2) == pytest.approx(g, rel=1e-8, abs=1e-10)


def test_keyness_table_effect_and_sorting_inputs() -> None:
    t = stats.keyness_table(np.array([40, 5, 10]), np.array([10, 40, 10]), 1000, 1000)
    assert t.effect.tolist() == ["target", "reference", "none"]
    assert t.lrc.iloc[2] == 0 and t.g2.iloc[2] == pytest.approx(0, abs=1e-12)
