"""Wordfish at 500 rows × 20,000 terms: wall time, iterations, and recovery of simulated positions.

Two matrices of that size:

* real: the first 500 sittings (by file name) of ``an-debats-2013-2018``, lower-cased words of
  two letters or more (a regex, so that the benchmark measures the model, not spaCy), the
  20,000 most frequent;
* simulated from the model itself (500 positions θ ~ N(0, 1), Zipf word frequencies,
  β ~ N(0, 0.5²), about 3,000 tokens a row), where the truth is known: correlation of the
  estimate with it.

No other Python implementation of Wordfish exists to compare with (the reference is R's
quanteda.textmodels, C++ with RcppArmadillo, not installed here). The competitor in the same
process is a direct transcription of the reference algorithm, one word and one document at a
time (:func:`reference_fit`, also used by the tests): its time per outer iteration is measured
on 3 iterations and the ratio given per iteration.

Run: ``python -m benchmarks.bench_wordfish`` (``--quick``: 100 × 2,000, a smoke test). Writes
benchmarks/bench_wordfish/results/wordfish.md and .json.
"""

from __future__ import annotations

import argparse
import json
import re
import time

import numpy as np
import pandas as pd
import scipy.sparse as sp

from benchmarks.common import markdown_table, record, results_dir

_WORD = re.compile(r"[^\W\d_]{2,}")


def reference_fit(y: np.ndarray, n_iter: int) -> dict[str, np.ndarray]:
    """The published algorithm written as loops (one word, then one document, at a time), from the
    equations of Slapin & Proksch (2008) and the description of the reference implementation:
    dense SVD starting values, 2 × 2 Newton per word then per document (10 steps, tol 1e-8, the
    first step of the first iteration halved), α centred and θ standardised after each pass;
    priors sd 3 on β, 1 on θ, flat on α and ψ."""
    n, k = y.shape
    pb, pt = 1 / 9, 1.0
    r, c, total = y.sum(1), y.sum(0), y.sum()
    expected = np.outer(r, c) / total
    u = np.linalg.svd((y - expected) / np.sqrt(expected), full_matrices=False)[0][:, 0]
    theta = u * (r / total) ** -0.5
    theta = (theta - theta.mean()) / theta.std(ddof=1)
    alpha = np.log(r) - np.log(r.mean())
    psi, beta = np.log(c / n), np.zeros(k)
    for it in range(n_iter):
        for j in range(k):
            step = 0.5 if it == 0 else 1.0
            for _ in range(10):
                lam = np.exp(alpha + psi[j] + beta[j] * theta)
                g = np.array([np.sum(y[:, j] - lam), np.sum(theta * (y[:, j] - lam)) - beta[j] * pb])
                h = np.array([[-lam.sum(), -np.sum(theta * lam)], [-np.sum(theta * lam), -np.sum(theta**2 * lam) - pb]])
                new = np.array([psi[j], beta[j]]) - step * np.linalg.solve(h, g)
                change = np.abs(new - [psi[j], beta[j]]).max()
                psi[j], beta[j] = new
                step = 1.0
                if change <= 1e-8:
                    break
        for i in range(n):
            step = 0.5 if it == 0 else 1.0
            for _ in range(10):
                lam = np.exp(alpha[i] + psi + beta * theta[i])
                g = np.array([np.sum(y[i] - lam), np.sum(beta * (y[i] - lam)) - theta[i] * pt])
                h = np.array([[-lam.sum(), -np.sum(beta * lam)], [-np.sum(beta * lam), -np.sum(beta**2 * lam) - pt]])
                new = np.array([alpha[i], theta[i]]) - step * np.linalg.solve(h, g)
                change = np.abs(new - [alpha[i], theta[i]]).max()
                alpha[i], theta[i] = new
                step = 1.0
                if change <= 1e-8:
                    break
        alpha = alpha - alpha.mean()
        theta = (theta - theta.mean()) / theta.std(ddof=1)
    return {"theta": theta, "beta": beta, "alpha": alpha, "psi": psi}


def simulate(n: int, k: int, length: float = 1500.0, seed: int = 0):  # type: ignore[no-untyped-def]
    """Counts drawn from the Wordfish model (see the module notes); returns (matrix, θ)."""
    from discourse.dtm import DocumentTermMatrix

    rng = np.random.default_rng(seed)
    theta = rng.standard_normal(n)
    alpha = rng.normal(0.0, 0.3, n)
    psi = -0.9 * np.log(np.arange(1, k + 1))
    psi += np.log(length) - np.log(np.exp(psi).sum())
    beta = rng.normal(0.0, 0.5, k)
    y = rng.poisson(np.exp(alpha[:, None] + psi[None, :] + np.outer(theta, beta)))
    keep = y.sum(axis=0) > 0
    ids = [f"orateur{i}" for i in range(n)]
    meta = pd.DataFrame({"doc_id": ids, "party": np.where(theta > 0, "droite", "gauche")})
    vocabulary = [f"mot{j}" for j in range(int(keep.sum()))]
    return DocumentTermMatrix(sp.csr_matrix(y[:, keep]), vocabulary, ids, meta), theta


def real_matrix(n: int, k: int):  # type: ignore[no-untyped-def]
    from discourse import corpora
    from discourse.dtm import DocumentTermMatrix
    from discourse.tokens import Tokens

    corpus = corpora.load("an-debats-2013-2018")
    ids = sorted(corpus.ids)[:n]
    sub = corpus.select(ids)
    words = [[w.lower() for w in _WORD.findall(t)] for t in sub.texts]
    return DocumentTermMatrix.from_tokens(Tokens.from_lists(words, doc_ids=sub.ids), max_features=k)


def _time_fit(dtm, **params):  # type: ignore[no-untyped-def]
    from discourse.scaling import Wordfish

    start = time.perf_counter()
    fit = Wordfish(random_state=0, **params).fit(dtm)
    return fit, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    n, k = (100, 2000) if args.quick else (500, 20000)
    rows = []

    dtm, truth = simulate(n, k, length=3000.0, seed=0)
    fit, seconds = _time_fit(dtm, dir=(int(np.argmin(truth)), int(np.argmax(truth))))
    rows.append({"matrix": "simulated from the model", "shape": f"{dtm.shape[0]} × {dtm.shape[1]}",
                 "tokens": int(dtm.matrix.sum()), "seconds": round(seconds, 1), "iterations": fit.n_iter_,
                 "converged": fit.converged_, "seconds_per_iteration": round(seconds / fit.n_iter_, 2),
                 "corr_with_truth": round(float(np.corrcoef(fit.theta_, truth)[0, 1]), 4)})

    real = real_matrix(n, k)
    fit, seconds = _time_fit(real)
    per_iter = seconds / fit.n_iter_
    start = time.perf_counter()
    reference_fit(real.matrix.toarray().astype(np.float64), 3)
    loop_per_iter = (time.perf_counter() - start) / 3
    rows.append({"matrix": "an-debats-2013-2018, 500 sittings", "shape": f"{real.shape[0]} × {real.shape[1]}",
                 "tokens": int(real.matrix.sum()), "seconds": round(seconds, 1), "iterations": fit.n_iter_,
                 "converged": fit.converged_, "seconds_per_iteration": round(per_iter, 2),
                 "loop_transcription_seconds_per_iteration": round(loop_per_iter, 2),
                 "speed_ratio_per_iteration": round(loop_per_iter / per_iter, 1)})

    name = "wordfish_quick" if args.quick else "wordfish"
    out = results_dir(__name__)
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / f"{name}.json", out / f"{name}.md"
    json_path.write_text(json.dumps({"rows": rows}, indent=2, ensure_ascii=False), encoding="utf-8")
    table = markdown_table(pd.DataFrame(rows).fillna(""))
    md_path.write_text(
        f"# Wordfish at {n} × {k}\n\n{table}\n\nThe loop transcription is the reference algorithm one word and "
        "one document at a time, timed on 3 iterations; seconds are wall time of the whole fit (starting values "
        "included).\n", encoding="utf-8")
    record([json_path, md_path], argv)
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
