"""Statistics of framing and lexicometry: small pure functions on counts (arrays or tables).

Every function takes counts (NumPy arrays, broadcast element-wise) and returns arrays or a
table; nothing here reads tokens. Conventions: ``a`` is the frequency of a term in the target
(part, group, period), ``b`` its frequency in the reference, ``n1``/``n2`` the sizes of target
and reference in tokens.

- :func:`g2` and :func:`chi2`: the log-likelihood ratio G² (Dunning 1993) and Pearson's χ²
  (no continuity correction) of the full 2×2 table ``[[a, b], [n1 - a, n2 - b]]`` — the same
  values as ``scipy.stats.chi2_contingency(table, correction=False)`` with
  ``lambda_="log-likelihood"`` or the default. p-values from χ² with one degree of freedom.
- :func:`log_ratio`: Hardie's log ratio, ``log2((a / n1) / (b / n2))``, with a zero frequency
  replaced by 0.5 so that the value stays finite.
- :func:`lrc`: Evert's conservative log ratio (as offered by CQPweb). Conditional on
  ``a + b``, ``a`` is binomial with success probability ``π = n1 r / (n1 r + n2)``, where
  ``r`` is the ratio of relative frequencies. The exact Clopper–Pearson interval for ``π``
  therefore gives an interval for ``log2 r``; LRC is the end of that interval nearest to 0,
  or 0 when the interval contains 0 (the difference is not established). The confidence
  level may be corrected for the number of terms tested (Bonferroni), as CQPweb does.
- :func:`lafon`: Lafon's (1980) specificity, the score of TXM and Lexico: with a corpus of
  ``T`` tokens, a term of total frequency ``f`` and a part of ``t`` tokens holding ``k``
  occurrences, ``k`` follows the hypergeometric law; the score is ``-log10 P(X >= k)`` when
  ``k`` is at least its expectation ``f t / T`` (over-represented, positive) and
  ``log10 P(X <= k)`` otherwise (under-represented, negative). Tails are summed in log
  space from ``P(X = k)`` (log-gamma) with the ratio of successive terms, so scores of several
  hundreds stay exact where ``hypergeom.sf`` underflows (scipy's ``logsf`` gives the same
  values, checked in the tests, but is far too slow on corpus-sized tables).
- :func:`poisson_interval`: exact (Garwood) interval of a rate from a Poisson count;
  :func:`bootstrap_rate_interval`: percentile interval of a ratio of sums, resampling
  documents with replacement (the unit that was sampled, so within-document clustering of
  a term widens the interval as it should).
- :func:`association`: log-likelihood, PMI and t-score of a co-occurrence table, the formulas
  of ``nltk.metrics.BigramAssocMeasures``, vectorised.

>>> round(float(g2(10, 2, 1000, 1000)), 3)
5.854
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as _st

__all__ = [
    "g2", "chi2", "p_value", "log_ratio", "log_ratio_interval", "lrc", "keyness_table",
    "lafon", "poisson_interval", "bootstrap_rate_interval", "association",
]

_LN2 = np.log(2.0)


def _table(a, b, n1, n2):
    a, b, n1, n2 = (np.asarray(x, dtype=np.float64) for x in (a, b, n1, n2))
    if np.any(a < 0) or np.any(b < 0) or np.any(a > n1) or np.any(b > n2):
        raise ValueError("counts must lie between 0 and the size of their part")
    return a, b, n1, n2


def _expected(a, b, n1, n2):
    n = n1 + n2
    row_term = (a + b) / n
    row_rest = (n1 + n2 - a - b) / n
    return (a, row_term * n1), (b, row_term * n2), (n1 - a, row_rest * n1), (n2 - b, row_rest * n2)


def g2(a, b, n1, n2) -> np.ndarray:
    """Log-likelihood G² of the 2×2 table (target/reference × term/other tokens).

    >>> round(float(g2(30, 10, 10_000, 20_000)), 2)
    29.08
    """
    a, b, n1, n2 = _table(a, b, n1, n2)
    total = np.zeros(np.broadcast(a, b, n1, n2).shape)
    for obs, exp in _expected(a, b, n1, n2):
        with np.errstate(divide="ignore", invalid="ignore"):
            term = np.where(obs > 0, obs * np.log(np.where(obs > 0, obs, 1.0) / np.where(exp > 0, exp, 1.0)), 0.0)
        total = total + term
    return 2.0 * total


def chi2(a, b, n1, n2) -> np.ndarray:
    """Pearson's χ² of the 2×2 table, without continuity correction."""
    a, b, n1, n2 = _table(a, b, n1, n2)
    total = np.zeros(np.broadcast(a, b, n1, n2).shape)
    for obs, exp in _expected(a, b, n1, n2):
        with np.errstate(divide="ignore", invalid="ignore"):
            total = total + np.where(exp > 0, (obs - exp) ** 2 / np.where(exp > 0, exp, 1.0), 0.0)
    return total


def p_value(statistic) -> np.ndarray:
    """Upper tail of χ² with one degree of freedom (for G² or χ² of a 2×2 table)."""
    return _st.chi2.sf(np.asarray(statistic, dtype=np.float64), 1)


def log_ratio(a, b, n1, n2, zero: float = 0.5) -> np.ndarray:
    """Hardie's log ratio: binary log of the ratio of relative frequencies (zeros → ``zero``).

    >>> float(log_ratio(40, 10, 1000, 1000))
    2.0
    """
    a, b, n1, n2 = _table(a, b, n1, n2)
    a = np.where(a == 0, zero, a)
    b = np.where(b == 0, zero, b)
    return np.log2((a / n1) / (b / n2))


def log_ratio_interval(a, b, n1, n2, level: float = 0.95, zero: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """Normal-approximation interval of the log ratio (Poisson counts): ``±z sqrt(1/a + 1/b)`` in log e, shown in log2."""
    a, b, n1, n2 = _table(a, b, n1, n2)
    lr = log_ratio(a, b, n1, n2, zero)
    a = np.where(a == 0, zero, a)
    b = np.where(b == 0, zero, b)
    half = _st.norm.ppf(0.5 + level / 2) * np.sqrt(1 / a + 1 / b) / _LN2
    return lr - half, lr + half


def lrc(a, b, n1, n2, level: float = 0.95, n_tests: int = 1) -> np.ndarray:
    """Evert's conservative log ratio (LRC): the bound of the exact interval of log2 r nearest to 0.

    ``n_tests`` > 1 applies a Bonferroni correction to the confidence level.

    >>> float(lrc(5, 5, 1000, 1000))
    0.0
    >>> round(float(lrc(100, 10, 1000, 1000)), 3)
    2.383
    """
    a, b, n1, n2 = _table(a, b, n1, n2)
    alpha = (1.0 - level) / max(int(n_tests), 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        lo = np.where(a > 0, _st.beta.ppf(alpha / 2, np.maximum(a, 1e-300), b + 1), 0.0)
        hi = np.where(b > 0, _st.beta.ppf(1 - alpha / 2, a + 1, np.maximum(b, 1e-300)), 1.0)
        lo_lr = np.log2(lo / (1 - lo) * n2 / n1)  # -inf when a == 0
        hi_lr = np.log2(hi / (1 - hi) * n2 / n1)  # +inf when b == 0
    out = np.where(lo_lr > 0, lo_lr, np.where(hi_lr < 0, hi_lr, 0.0))
    out = np.where((a + b) == 0, 0.0, out)
    return out


def keyness_table(a, b, n1, n2, level: float = 0.95, n_tests: int | None = None) -> pd.DataFrame:
    """All keyness measures for arrays of counts: g2, chi2, p_value, log_ratio, lrc, effect.

    ``effect`` is ``"target"`` when the term is relatively more frequent in the target,
    ``"reference"`` when less, ``"none"`` when equal. ``n_tests`` (default: number of rows)
    is the Bonferroni factor of LRC.
    """
    a, b, n1, n2 = _table(a, b, n1, n2)
    a, b = np.broadcast_arrays(a, b)
    g = g2(a, b, n1, n2)
    ratio = (a / n1) - (b / n2)
    effect = np.where(ratio > 0, "target", np.where(ratio < 0, "reference", "none"))
    return pd.DataFrame(
        {
            "g2": g,
            "chi2": chi2(a, b, n1, n2),
            "p_value": p_value(g),
            "log_ratio": log_ratio(a, b, n1, n2),
            "lrc": lrc(a, b, n1, n2, level, n_tests if n_tests is not None else max(len(np.atleast_1d(a)), 1)),
            "effect": effect,
        }
    )


def lafon(k, f, t, total) -> np.ndarray:
    """Lafon's specificity (signed log10 hypergeometric tail; positive = over-represented).

    ``k`` occurrences in a part of ``t`` tokens, ``f`` occurrences in the corpus of ``total``.

    >>> round(float(lafon(10, 20, 100, 1000)), 3)
    5.291
    """
    k, f, t, total = np.broadcast_arrays(*(np.asarray(x, dtype=np.int64) for x in (k, f, t, total)))
    if np.any(k > f) or np.any(k > t) or np.any(f > total) or np.any(t > total):
        raise ValueError("lafon: need k <= f, k <= t, f <= total and t <= total")
    expected = f * t / np.where(total > 0, total, 1)
    over = k >= expected
    log_tail = _hypergeom_log_tail(k.ravel(), f.ravel(), t.ravel(), total.ravel(), over.ravel()).reshape(k.shape)
    score = np.where(over, -log_tail, log_tail) / np.log(10.0)
    return score + 0.0  # turn -0.0 into 0.0


def _hypergeom_log_pmf(x, f, t, total):
    """log P(X = x) of the hypergeometric law (x of the f term tokens among t drawn of total)."""
    from scipy.special import gammaln

    def log_comb(n, r):
        return gammaln(n + 1) - gammaln(r + 1) - gammaln(n - r + 1)

    return log_comb(f, x) + log_comb(total - f, t - x) - log_comb(total, t)


def _hypergeom_log_tail(k, f, t, total, upper, rtol: float = 1e-17, max_steps: int = 1_000_000):
    """log P(X >= k) where ``upper`` else log P(X <= k), for arrays, summed outward from k.

    scipy's hypergeom.sf/cdf underflow below 1e-308 and its logsf/logcdf are far too slow for
    corpus-sized tables, so the tail is summed here from P(X = k) with the ratio of successive
    terms, in units of P(X = k), until the terms no longer change the sum (all cells at once).
    """
    k, f, t, total = (np.asarray(a, dtype=np.float64) for a in (k, f, t, total))
    upper = np.asarray(upper, dtype=bool)
    log_p0 = _hypergeom_log_pmf(k, f, t, total)
    acc = np.ones_like(k)
    term = np.ones_like(k)
    x = k.copy()
    active = np.flatnonzero(np.isfinite(log_p0))
    step = 0
    while len(active) and step < max_steps:
        xa, fa, ta, na, ua = x[active], f[active], t[active], total[active], upper[active]
        with np.errstate(divide="ignore", invalid="ignore"):
            up = (fa - xa) * (ta - xa) / ((xa + 1) * (na - fa - ta + xa + 1))
            down = xa * (na - fa - ta + xa) / ((fa - xa + 1) * (ta - xa + 1))
        ratio = np.where(ua, up, down)
        ratio = np.where(np.isfinite(ratio) & (ratio > 0), ratio, 0.0)
        term[active] *= ratio
        acc[active] += term[active]
        x[active] = np.where(ua, xa + 1, xa - 1)
        active = active[term[active] > rtol * acc[active]]
        step += 1
    return log_p0 + np.log(acc)


def poisson_interval(count, exposure, level: float = 0.95, per: float = 10_000.0) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval of a rate ``count / exposure * per`` from a Poisson count.

    >>> lo, hi = poisson_interval(0, 10_000)
    >>> float(lo), round(float(hi), 3)
    (0.0, 3.689)
    """
    count = np.asarray(count, dtype=np.float64)
    exposure = np.asarray(exposure, dtype=np.float64)
    alpha = 1.0 - level
    lo = np.where(count > 0, _st.chi2.ppf(alpha / 2, 2 * count) / 2, 0.0)
    hi = _st.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(exposure > 0, per / np.where(exposure > 0, exposure, 1.0), np.nan)
    return lo * scale, hi * scale


def bootstrap_rate_interval(
    counts: np.ndarray,
    totals: np.ndarray,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int | np.random.Generator | None = 0,
    per: float = 10_000.0,
    chunk: int = 200,
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap interval of ``sum(counts) / sum(totals) * per``, resampling documents.

    ``counts`` is ``(n_documents, n_series)`` (one column per frame), ``totals`` the tokens of
    each document. Returns two arrays of ``n_series`` values (NaN with fewer than two documents,
    where resampling says nothing).
    """
    counts = np.asarray(counts, dtype=np.float64)
    if counts.ndim == 1:
        counts = counts[:, None]
    totals = np.asarray(totals, dtype=np.float64)
    n_docs, n_series = counts.shape
    if n_docs < 2:
        return np.full(n_series, np.nan), np.full(n_series, np.nan)
    rng = random_state if isinstance(random_state, np.random.Generator) else np.random.default_rng(random_state)
    rates = np.empty((n_boot, n_series))
    probs = np.full(n_docs, 1.0 / n_docs)
    for s in range(0, n_boot, chunk):
        m = min(chunk, n_boot - s)
        weights = rng.multinomial(n_docs, probs, size=m).astype(np.float64)
        num = weights @ counts
        den = weights @ totals
        with np.errstate(divide="ignore", invalid="ignore"):
            rates[s : s + m] = np.where(den[:, None] > 0, num / den[:, None] * per, np.nan)
    alpha = 1.0 - level
    lo = np.nanquantile(rates, alpha / 2, axis=0)
    hi = np.nanquantile(rates, 1 - alpha / 2, axis=0)
    return lo, hi


_SMALL = 1e-20  # as in nltk.metrics.association


def association(n_ii, n_ix, n_xi, n_xx) -> pd.DataFrame:
    """Association of a node and a collocate: llr, pmi and t-score (nltk's formulas, vectorised).

    ``n_ii``: co-occurrences; ``n_ix``: the node's side total (e.g. window slots around the
    node); ``n_xi``: the collocate's corpus frequency; ``n_xx``: the corpus size.
    """
    n_ii, n_ix, n_xi, n_xx = np.broadcast_arrays(*(np.atleast_1d(np.asarray(x, dtype=np.float64)) for x in (n_ii, n_ix, n_xi, n_xx)))
    n_oi = n_xi - n_ii
    n_io = n_ix - n_ii
    n_oo = n_xx - n_ii - n_oi - n_io
    cont = (n_ii, n_oi, n_io, n_oo)
    # expected values of the contingency cells, as nltk computes them
    n = n_ii + n_oi + n_io + n_oo
    exp = (
        (n_ii + n_oi) * (n_ii + n_io) / n,
        (n_oi + n_ii) * (n_oi + n_oo) / n,
        (n_io + n_oo) * (n_io + n_ii) / n,
        (n_oo + n_io) * (n_oo + n_oi) / n,
    )
    llr = np.zeros_like(n_ii)
    with np.errstate(divide="ignore", invalid="ignore"):
        for obs, e in zip(cont, exp):
            llr = llr + np.where(obs > 0, obs * np.log(obs / (e + _SMALL) + _SMALL), 0.0)
        pmi = np.log2(n_ii * n_xx) - np.log2(n_ix * n_xi)
    t = (n_ii - n_ix * n_xi / n_xx) / np.sqrt(n_ii + _SMALL)
    return pd.DataFrame({"llr": 2 * llr, "pmi": pmi, "t": t})
