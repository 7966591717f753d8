"""How far is LDA fitted on a sample (then every document folded in) from a full fit? Measured.

    python -m benchmarks.eval_dask_topics                   # an-debats, K = 20 and 50, seeds 0 1 2
    python -m benchmarks.eval_dask_topics --corpora legi-codes --k 20 --out eval_dask_topics_legi   # 20,000 articles
    python -m benchmarks.eval_dask_topics --quick           # a small smoke run (results/*_quick.*)

The scheme is :class:`discourse.engines.topics.SampledLDA` (the one the Dask engine runs): our
default LDA (tomotopy, 200 Gibbs sweeps, 2 threads) fitted on ``sample_size`` documents drawn
uniformly with ``random_state``, every document then folded in with the fitted topics. It is
compared with the full fit, ``LDA(random_state=seed)`` on every training document, with the same
K, seed and number of sweeps. Tokens: lemmas of ``Preprocessor(backend="fast")`` with default stop
words; matrix with ``min_df=5, max_df=0.5`` (``benchmarks/topic_data.py``, as every topic benchmark).

10 % of the documents are held out (``split_documents``, seed 0) and never fitted on. Measures:

- **held-out log-likelihood per token** by document completion (``held_out_log_likelihood``:
  half of each held-out document's tokens folded in, the other half scored). A term absent from
  the sample has no weight in the sample fit's topics, so both models are scored on the held-out
  tokens of terms the sample contains (``scored`` = share of held-out tokens kept); the
  difference ``Δ LL`` is sample minus full on the same tokens;
- **coherence** c_npmi (top 10 words, window 10) on the corpus's tokens restricted to the
  matrix vocabulary (``discourse.topics.coherence``);
- **topic matching**: each topic of the sample fit paired one-to-one (Hungarian, cosine of the
  topic-word distributions, ``discourse.topics.evaluate.match_topics``) with the full fit's
  topics of the same seed; mean cosine of the pairs;
- **document proportions**: mean total-variation distance between each training document's
  folded-in proportions under the sample fit and under the full fit (topics matched as above).

The seed-to-seed spread is the same measure between full fits of different seeds (standard
deviation of LL and coherence over seeds; matching and document distance between each pair of
seeds). A sample size is "within the spread" when the sample fit is no further from the full fit
than another seed of the full fit is.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import time
import warnings
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from benchmarks.common import markdown_table, record, results_dir
from benchmarks.topic_data import TOKENS_NOTE, build, load_legi, make_tokens, reference_tokens
from discourse.dtm import DocumentTermMatrix
from discourse.engines.topics import SampledLDA, matrix_shards
from discourse.topics import LDA, coherence, held_out_log_likelihood
from discourse.tokens import Tokens
from discourse.topics.evaluate import match_topics, split_documents

SIZES = {"an-debats": (100, 200, 400, 800), "legi-codes": (1000, 2500, 5000, 10000)}
QUICK_SIZES = (15, 30)


def _masked(test: DocumentTermMatrix, seen: np.ndarray) -> DocumentTermMatrix:
    """The held-out counts of the terms ``seen`` only (other columns emptied)."""
    counts = sp.csr_matrix(test.matrix @ sp.diags(seen.astype(np.int64), dtype=np.int64))
    counts.eliminate_zeros()
    return DocumentTermMatrix(counts, test.vocabulary, test.doc_ids, test.metadata, params=test.params)


def _tv(theta_a: np.ndarray, theta_b: np.ndarray, topics_a: np.ndarray, topics_b: np.ndarray) -> float:
    """Mean total-variation distance between documents' proportions, topics of b matched to a's."""
    match, _ = match_topics(topics_a, topics_b)
    return float(0.5 * np.abs(theta_a - theta_b[:, match]).sum(axis=1).mean())


def _fit_full(train: DocumentTermMatrix, k: int, seed: int, n_iter: int | None) -> tuple[LDA, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    model = LDA(n_topics=k, random_state=seed, n_iter=n_iter).fit(train)
    return model, time.perf_counter() - wall, time.process_time() - cpu


def _legi_subset(n: int) -> tuple[Tokens, DocumentTermMatrix]:
    """Every k-th article of legi-codes (about ``n``, all codes represented), as ``build`` prepares a corpus."""
    texts, meta = load_legi()
    step = max(1, len(texts) // n)
    keep = list(range(0, len(texts), step))[:n]
    tokens = make_tokens([texts[i] for i in keep], meta.iloc[keep].reset_index(drop=True))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # articles emptied by the pruning are excluded (and counted in the matrix)
        dtm = DocumentTermMatrix.from_tokens(tokens, min_df=5, max_df=0.5)
    kept = set(dtm.doc_ids)
    tokens = tokens.select_documents([i for i, d in enumerate(tokens.doc_ids) if d in kept])
    return tokens, dtm


def evaluate(corpus: str, k: int, seeds: list[int], sizes: list[int], quick: bool, n_iter: int | None,
             legi_documents: int = 20_000) -> list[dict[str, Any]]:
    """Every (seed, sample size) row and the full fits of one corpus and K."""
    tokens, dtm = _legi_subset(legi_documents) if corpus == "legi-codes" and not quick else build(corpus, quick)
    reference = reference_tokens(tokens, dtm)
    train, test = split_documents(dtm, test_size=0.1, random_state=0)
    shards = matrix_shards(train, 100 if not quick else 10)
    rows: list[dict[str, Any]] = []
    fulls: dict[int, tuple[LDA, np.ndarray]] = {}
    for seed in seeds:
        full, wall, cpu = _fit_full(train, k, seed, n_iter)
        theta = full.transform(train)
        fulls[seed] = (full, theta)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            npmi = float(coherence(full, reference, "c_npmi").mean())
        rows.append({"corpus": corpus, "k": k, "seed": seed, "sample_size": "full", "documents": train.shape[0],
                     "scored": 1.0, "ll": held_out_log_likelihood(full, test), "ll_full": None, "c_npmi": npmi,
                     "match": 1.0, "doc_tv": 0.0, "wall_s": wall, "cpu_s": cpu})
        print(f"{corpus} K={k} seed={seed} full: {wall:.1f} s, LL {rows[-1]['ll']:.4f}, c_npmi {npmi:.4f}", flush=True)
    for seed, size in itertools.product(seeds, sizes):
        full, theta_full = fulls[seed]
        wall, cpu = time.perf_counter(), time.process_time()
        sampled = SampledLDA(n_topics=k, sample_size=size, random_state=seed, n_iter=n_iter).fit(shards)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        model = sampled.model_
        seen = np.asarray(model.term_counts_) > 0
        masked = _masked(test, seen)
        scored = masked.matrix.sum() / max(1, _masked(test, np.asarray(full.term_counts_) > 0).matrix.sum())
        _, sims = match_topics(full.topic_terms_, model.topic_terms_)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            npmi = float(coherence(model, reference, "c_npmi").mean())
        rows.append({
            "corpus": corpus, "k": k, "seed": seed, "sample_size": size, "documents": len(sampled.sample_doc_ids_),
            "scored": float(scored), "ll": held_out_log_likelihood(model, masked), "ll_full": held_out_log_likelihood(full, masked),
            "c_npmi": npmi, "match": float(sims.mean()),
            "doc_tv": _tv(theta_full, sampled.doc_topics(), full.topic_terms_, model.topic_terms_),
            "wall_s": wall, "cpu_s": cpu,
        })
        r = rows[-1]
        print(f"{corpus} K={k} seed={seed} n={size}: {wall:.1f} s (fit + fold-in), ΔLL {r['ll'] - r['ll_full']:+.4f}, "
              f"c_npmi {npmi:.4f}, match {r['match']:.3f}, doc TV {r['doc_tv']:.3f}", flush=True)
    # seed-to-seed spread of the full fit
    for a, b in itertools.combinations(seeds, 2):
        (fa, ta), (fb, tb) = fulls[a], fulls[b]
        _, sims = match_topics(fa.topic_terms_, fb.topic_terms_)
        rows.append({"corpus": corpus, "k": k, "seed": f"{a}-{b}", "sample_size": "full vs full", "documents": train.shape[0],
                     "match": float(sims.mean()), "doc_tv": _tv(ta, tb, fa.topic_terms_, fb.topic_terms_)})
    return rows


def _summary(rows: list[dict[str, Any]]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """One line a sample size (means over seeds, sd in brackets) and the spread of the full fit."""
    frame = pd.DataFrame(rows)
    full = frame[frame["sample_size"] == "full"]
    pairs = frame[frame["sample_size"] == "full vs full"]
    spread = {"ll_sd": float(full["ll"].std(ddof=1)) if len(full) > 1 else float("nan"),
              "c_npmi_sd": float(full["c_npmi"].std(ddof=1)) if len(full) > 1 else float("nan"),
              "match": float(pairs["match"].mean()) if len(pairs) else float("nan"),
              "doc_tv": float(pairs["doc_tv"].mean()) if len(pairs) else float("nan"),
              "c_npmi_full": float(full["c_npmi"].mean()), "ll_full": float(full["ll"].mean()),
              "wall_full": float(full["wall_s"].mean()), "cpu_full": float(full["cpu_s"].mean())}
    lines = []
    samples = frame[~frame["sample_size"].isin(["full", "full vs full"])]
    for size, group in samples.groupby("sample_size", sort=True):
        delta = group["ll"] - group["ll_full"]
        d_npmi = group["c_npmi"].to_numpy() - full.set_index("seed").loc[group["seed"], "c_npmi"].to_numpy()
        lines.append({
            "sample": int(size), "documents": int(group["documents"].iloc[0]),
            "scored": f"{group['scored'].mean():.3f}",
            "Δ LL (sd)": f"{delta.mean():+.4f} ({delta.std(ddof=1):.4f})" if len(group) > 1 else f"{delta.mean():+.4f}",
            "LL within spread": bool(abs(delta.mean()) < spread["ll_sd"]),
            "c_npmi (sd)": f"{group['c_npmi'].mean():.4f} ({group['c_npmi'].std(ddof=1):.4f})" if len(group) > 1 else f"{group['c_npmi'].mean():.4f}",
            "c_npmi within spread": bool(abs(d_npmi.mean()) < spread["c_npmi_sd"]),
            "match (min)": f"{group['match'].mean():.3f} ({group['match'].min():.3f})",
            "match within spread": bool(group["match"].mean() >= spread["match"]),
            "doc TV": f"{group['doc_tv'].mean():.3f}",
            "doc TV within spread": bool(group["doc_tv"].mean() <= spread["doc_tv"]),
            "seconds": f"{group['wall_s'].mean():.1f}", "cpu s": f"{group['cpu_s'].mean():.1f}",
        })
    return pd.DataFrame(lines), spread


def _first_within(table: pd.DataFrame, column: str) -> str:
    """The smallest sample size from which every larger one is within the spread too."""
    ok = table[column].to_numpy()
    for i in range(len(ok)):
        if ok[i:].all():
            return str(table["sample"].iloc[i])
    return "none measured"


def report(rows: list[dict[str, Any]], note: str) -> str:
    parts = ["# LDA fitted on a sample and folded in, against the full fit", __doc__.split("\n\n", 1)[1].strip(), note]
    frame = pd.DataFrame(rows)
    for (corpus, k), group in frame.groupby(["corpus", "k"], sort=False):
        table, spread = _summary(group.to_dict("records"))
        seeds = sorted(group.loc[group["sample_size"] == "full", "seed"].tolist())
        n_docs = int(group.loc[group["sample_size"] == "full", "documents"].iloc[0])
        parts.append(f"## {corpus}, K = {k} ({n_docs} training documents, seeds {seeds})")
        parts.append(
            f"Full fit: held-out LL {spread['ll_full']:.4f} per token (sd over seeds {spread['ll_sd']:.4f}), c_npmi "
            f"{spread['c_npmi_full']:.4f} (sd {spread['c_npmi_sd']:.4f}), {spread['wall_full']:.1f} s wall / "
            f"{spread['cpu_full']:.1f} s CPU a fit. Between two seeds of the full fit: topic match {spread['match']:.3f}, "
            f"document TV {spread['doc_tv']:.3f}.")
        parts.append(markdown_table(table))
        parts.append(
            "Smallest sample from which the sample fit stays within the full fit's seed-to-seed spread: "
            f"held-out LL {_first_within(table, 'LL within spread')}; c_npmi {_first_within(table, 'c_npmi within spread')}; "
            f"topic match {_first_within(table, 'match within spread')}; document proportions "
            f"{_first_within(table, 'doc TV within spread')}.")
    return "\n\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.eval_dask_topics", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", nargs="+", default=["an-debats"], choices=sorted(SIZES))
    parser.add_argument("--k", nargs="+", type=int, default=[20, 50])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--sizes", nargs="+", type=int, default=None, help="sample sizes (default: per corpus)")
    parser.add_argument("--legi-documents", type=int, default=20_000, help="legi-codes: every k-th article, about this many")
    parser.add_argument("--quick", action="store_true", help="60 sittings, K = 5, 2 seeds, 50 sweeps: a smoke test")
    parser.add_argument("--out", default=None, help="name of the result files (default eval_dask_topics[_quick])")
    args = parser.parse_args(argv)
    n_iter = 50 if args.quick else None
    ks = [5] if args.quick else args.k
    seeds = args.seeds[:2] if args.quick else args.seeds
    corpora = ["an-debats"] if args.quick else args.corpora
    rows: list[dict[str, Any]] = []
    load = os.getloadavg()
    for corpus in corpora:
        sizes = args.sizes or (list(QUICK_SIZES) if args.quick else list(SIZES[corpus]))
        for k in ks:
            rows.extend(evaluate(corpus, k, seeds, sizes, args.quick, n_iter, args.legi_documents))
    load_end = os.getloadavg()
    note = (f"Tokens: {TOKENS_NOTE['preprocessor']}. Sweeps: {n_iter or 200}. Seconds: wall and CPU time of one fit (for a "
            f"sample: draw, fit and fold-in of every training document, local engine); the machine was shared, load "
            f"average {load[0]:.1f} at the start and {load_end[0]:.1f} at the end, so times are indicative only.")
    name = args.out or ("eval_dask_topics_quick" if args.quick else "eval_dask_topics")
    out = results_dir(__name__)
    out.mkdir(parents=True, exist_ok=True)
    md, js = out / f"{name}.md", out / f"{name}.json"
    md.write_text(report(rows, note), encoding="utf-8")
    js.write_text(json.dumps({"rows": rows, "load_average": [load, load_end]}, indent=1, default=str, ensure_ascii=False) + "\n",
                  encoding="utf-8")
    record([md, js], argv)
    print(md.read_text(encoding="utf-8"))
