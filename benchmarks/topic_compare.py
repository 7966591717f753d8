"""The quality comparison behind ``eval_topic_priors``, ``eval_topic_threads`` and
``eval_topic_defaults``: our default LDA fitted with each variant of its parameters and several
seeds, scored on coherence, diversity, exclusivity, held-out likelihood and agreement with known
labels.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from sklearn.metrics import normalized_mutual_info_score

from benchmarks.common import record
from benchmarks.topic_data import build, europarl_corpus, labelled_matrix, legi_subset, purity, reference_tokens
from discourse.tokens import Tokens
from discourse.topics import LDA, coherence
from discourse.topics.evaluate import exclusivity, held_out_log_likelihood, split_documents, topic_diversity


def compare(variants: dict[str, Callable[[int], dict]], column: str, name: str, header: tuple[str, str, str],
            default_seeds: tuple[int, ...], argv: list[str] | None = None,
            legi_sweeps: tuple[int, ...] = (), legi_k: int = 20, *, results: Path) -> None:
    """Fit our default LDA with each variant's parameters (a function of K) and every seed; write the report.

    ``column`` names the variant in the table; ``header`` is (title, docstring whose first line
    is the description and whose 3rd and 4th paragraphs describe the run, command line).
    ``legi_sweeps``: also fit the whole of legi-codes at K = ``legi_k`` with each of these
    numbers of sweeps (c_npmi, diversity and exclusivity, no held-out split: it is 60 times larger).
    ``argv``: ``--seeds``, ``--report-only`` (rewrite the .md from the .json) and ``--resume``
    (keep the rows of the .json and fit only what is missing, e.g. after adding a variant).
    ``results``: the benchmark's results folder.
    """
    parser = argparse.ArgumentParser(description=header[1].splitlines()[0])
    parser.add_argument("--seeds", nargs="*", type=int, default=list(default_seeds))
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument("--resume", action="store_true", help="keep the rows already in the .json, fit the others")
    args = parser.parse_args(argv)
    seeds = args.seeds
    out = results / f"{name}.json"
    if args.report_only:
        report(pd.DataFrame(json.loads(out.read_text())), column, list(variants), results / f"{name}.md", header)
        return
    rows: list[dict] = json.loads(out.read_text()) if args.resume and out.exists() else []
    done = {(r["corpus"], r["k"], r[column], r["seed"]) for r in rows}

    def todo(corpus: str, k: int) -> list[tuple[str, Callable[[int], dict], int]]:
        return [(v, params, seed) for v, params in variants.items() for seed in seeds if (corpus, k, v, seed) not in done]

    def emit(row: dict) -> None:
        print(row, flush=True)
        rows.append(row)
        out.write_text(json.dumps(rows, indent=1, ensure_ascii=False))

    tokens, dtm = build("an-debats", quick=False)
    ref = reference_tokens(tokens, dtm)
    train, test = split_documents(dtm, 0.1, 0)
    for k in (20, 50):
        for variant, params, seed in todo("an-debats", k):
            model = LDA(k, random_state=seed, **params(k)).fit(dtm)
            held = LDA(k, random_state=seed, **params(k)).fit(train)
            emit({"corpus": "an-debats", "k": k, column: variant, "seed": seed, **_topic_quality(model, ref),
                  "held_out_ll": round(held_out_log_likelihood(held, test), 4)})
    if any(todo(f"legi-codes, {n} sweeps", legi_k) for n in legi_sweeps):
        tokens, dtm = build("legi-codes", quick=False)
        ref = reference_tokens(tokens, dtm)
        for n_iter in legi_sweeps:
            for variant, params, seed in todo(f"legi-codes, {n_iter} sweeps", legi_k):
                model = LDA(legi_k, n_iter=n_iter, random_state=seed, **params(legi_k)).fit(dtm)
                emit({"corpus": f"legi-codes, {n_iter} sweeps", "k": legi_k, column: variant, "seed": seed, **_topic_quality(model, ref)})
    for corpus, (texts, meta), min_tokens in (("legi-codes", legi_subset(False), 1), ("europarl-fr-2000", europarl_corpus(), 30)):
        matrix, _ = labelled_matrix(texts, meta, min_tokens)
        labels = matrix.metadata["label"].astype(str).to_numpy()
        k = len(set(labels))
        for variant, params, seed in todo(corpus, k):
            dominant = LDA(k, random_state=seed, **params(k)).fit(matrix).doc_topics_.argmax(axis=1)
            emit({"corpus": corpus, "k": k, column: variant, "seed": seed,
                  "nmi": round(float(normalized_mutual_info_score(labels, dominant)), 4), "purity": round(purity(labels, dominant), 4)})
    record([out])
    report(pd.DataFrame(rows), column, list(variants), results / f"{name}.md", header)


def _topic_quality(model: LDA, ref: Tokens) -> dict[str, float]:
    """c_npmi (window 10, top 10 words), topic diversity (top 25) and mean exclusivity (top 10)."""
    return {"c_npmi": round(float(coherence(model, ref, "c_npmi").mean()), 4), "diversity": round(topic_diversity(model), 4),
            "exclusivity": round(float(exclusivity(model).mean()), 4)}


def report(frame: pd.DataFrame, column: str, variants: list[str], path: Path, header: tuple[str, str, str]) -> None:
    """Means over seeds (and the range) of every measure, one table per corpus and K."""
    title, doc, command = header
    intro = doc.split("\n\n")
    lines = [title, "", " ".join(intro[2].split()), "", intro[3].strip(), "", command, ""]
    measures = [c for c in ("c_npmi", "diversity", "exclusivity", "held_out_ll", "nmi", "purity") if c in frame.columns]
    for (corpus, k), part in frame.groupby(["corpus", "k"], sort=False):
        cols = [m for m in measures if part[m].notna().any()]
        lines += [f"## {corpus}, K = {k}", "", f"| {column} | seeds | " + " | ".join(cols) + " |", "|---|---|" + "---|" * len(cols)]
        for variant in variants:
            g = part[part[column] == variant]
            if not len(g):
                continue
            cells = [f"{g[c].mean():.4f} ({g[c].min():.4f}–{g[c].max():.4f})" for c in cols]
            lines.append(f"| {variant} | {len(g)} | " + " | ".join(cells) + " |")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    record([path])
    print("\n".join(lines))
