"""Coverage of estimate_effect's intervals on corpora simulated from LDA with a known party effect.

Each simulation draws a corpus from an LDA whose document-topic proportions depend on a party:
3 topics, each with its own 100 words (topic-word Dirichlet(0.1) on its block, 1 % of its mass
spread over the other words), 300 documents of 150 tokens, half of party "A" with
θ ~ Dirichlet(5 · (0.5, 0.3, 0.2)) and half of party "B" with Dirichlet(5 · (0.35, 0.45, 0.2)).
The true effect of B against A on the expected proportion is −0.15, +0.15 and 0 on the three
topics. An LDA (tomotopy, 3 topics, the simulation's seed, 2 threads) is fitted, its topics
are matched to the true ones (largest inner product of topic-word distributions), and
``estimate_effect(lda, dtm, "party", n_draws=25)`` gives 95 % intervals for the difference
B − A. Coverage is the share of simulations whose interval holds the truth, per topic.

Run: ``python -m benchmarks.eval_effect_coverage`` (100 simulations; ``--n 10`` for a smoke
test). Writes benchmarks/eval_effect_coverage/results/effect_coverage.md and .json.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd
import scipy.sparse as sp

from benchmarks.common import markdown_table, record, results_dir

MU = {"A": np.array([0.5, 0.3, 0.2]), "B": np.array([0.35, 0.45, 0.2])}
TRUTH = MU["B"] - MU["A"]


def simulate_corpus(seed: int, n_docs: int = 300, length: int = 150, n_words: int = 300):  # type: ignore[no-untyped-def]
    """A document-term matrix drawn from the LDA described in the module notes, and the true topics."""
    from discourse.dtm import DocumentTermMatrix

    rng = np.random.default_rng(seed)
    k = len(TRUTH)
    block = n_words // k
    topics = np.full((k, n_words), 0.01 / (n_words - block))
    for t in range(k):
        topics[t, t * block:(t + 1) * block] = 0.99 * rng.dirichlet(np.full(block, 0.1))
    party = np.array(["A", "B"] * (n_docs // 2))
    rows = []
    for p in party:
        theta = rng.dirichlet(5 * MU[p])
        rows.append(rng.multinomial(length, theta @ topics))
    counts = np.array(rows)
    keep = counts.sum(axis=0) > 0
    ids = [f"doc{i}" for i in range(n_docs)]
    meta = pd.DataFrame({"doc_id": ids, "party": party})
    dtm = DocumentTermMatrix(sp.csr_matrix(counts[:, keep]), [f"mot{j:03d}" for j in np.flatnonzero(keep)], ids, meta)
    return dtm, topics[:, keep]


def one_simulation(seed: int, n_draws: int = 25) -> pd.DataFrame:
    """Fit, match topics, estimate the party effect: one row per true topic (estimate, interval, covered)."""
    from discourse.topics import LDA
    from discourse.topics.effects import estimate_effect

    dtm, true_topics = simulate_corpus(seed)
    lda = LDA(n_topics=len(TRUTH), random_state=seed, n_jobs=2).fit(dtm)
    match = np.argmax(true_topics @ lda.topic_terms_.T, axis=1)  # true topic -> fitted topic
    if len(set(match.tolist())) != len(TRUTH):
        raise RuntimeError(f"simulation {seed}: two true topics matched the same fitted topic")
    effects = estimate_effect(lda, dtm, "party", n_draws=n_draws, random_state=seed)
    table = effects.contrast("party", "A", "B").set_index("topic")
    out = table.loc[match.tolist(), ["estimate", "se", "ci_low", "ci_high"]].reset_index(drop=True)
    out.insert(0, "true_topic", range(len(TRUTH)))
    out["truth"] = TRUTH
    out["covered"] = (out.ci_low <= out.truth) & (out.truth <= out.ci_high)
    out["seed"] = seed
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="number of simulations")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    runs = pd.concat([one_simulation(seed) for seed in range(args.n)], ignore_index=True)
    seconds = time.perf_counter() - start
    summary = runs.groupby("true_topic").agg(truth=("truth", "first"), mean_estimate=("estimate", "mean"),
                                             sd_estimate=("estimate", "std"), mean_se=("se", "mean"),
                                             coverage=("covered", "mean")).reset_index()
    name = "effect_coverage" if args.n == 100 else f"effect_coverage_{args.n}"
    out = results_dir(__name__)
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / f"{name}.json", out / f"{name}.md"
    json_path.write_text(json.dumps({"n_simulations": args.n, "seconds": round(seconds, 1),
                                                      "summary": summary.to_dict(orient="records")}, indent=2), encoding="utf-8")
    md_path.write_text(
        f"# Coverage of estimate_effect's 95 % intervals ({args.n} simulations)\n\n"
        f"{markdown_table(summary.round(4))}\n\n"
        f"{seconds:.0f} s in all. Design in the module docstring of benchmarks/eval_effect_coverage.\n", encoding="utf-8")
    record([json_path, md_path], argv)
    print(markdown_table(summary.round(4)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
