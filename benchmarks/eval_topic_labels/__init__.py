"""Do topics find known labels? NMI and purity of each document's dominant topic.

    python -m benchmarks.eval_topic_labels           # writes benchmarks/eval_topic_labels/results/topic_labels.md/json
    python -m benchmarks.eval_topic_labels --quick   # smaller legi subset
    python -m benchmarks.eval_topic_labels --tokens regex   # regex tokens instead of discourse.Preprocessor

Two labelled corpora:

- legi-codes: a stratified subset of codes — the 12 codes with at least 700 articles that are
  not a Mayotte/annex variant of another code, 250 articles drawn at random (seed 0) from each;
  the label is the code. K = 12.
- europarl-fr-2000: one document per speech (``discourse.corpora.load``; ``--tokens regex``
  parses the raw files here), the label is the agenda item (sitting day + chapter). Speeches with fewer than 30 tokens after stop words
  (mostly the chair's procedural turns) are left out and counted. K = number of agenda items.

Each model is fitted with K equal to the number of labels; the dominant topic of a document
is the argmax of its row of ``doc_topics_``. NMI is scikit-learn's
``normalized_mutual_info_score`` (arithmetic mean normalisation); purity is the share of
documents whose topic's majority label is their own label. A shuffled-label baseline (same
topics, labels permuted with seed 0) shows the level of chance.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd
from sklearn.metrics import normalized_mutual_info_score

from benchmarks.common import record, results_dir
from benchmarks.topic_data import europarl_corpus, europarl_speeches, labelled_matrix, legi_subset, purity
from discourse.topics import LDA, NMF

RESULTS = results_dir(__name__)

MODELS = {
    "LDA tomotopy (default, 300 sweeps)": lambda k: LDA(k, backend="tomotopy", n_iter=300),
    "LDA gensim (10 passes)": lambda k: LDA(k, backend="gensim", n_iter=10),
    "LDA sklearn batch (20 iter)": lambda k: LDA(k, backend="sklearn", learning_method="batch", n_iter=20),
    "LDA sklearn online (20 iter)": lambda k: LDA(k, backend="sklearn", learning_method="online", n_iter=20),
    "NMF (tf-idf)": lambda k: NMF(k),
}


def evaluate(name: str, texts: list[str], meta: pd.DataFrame, min_tokens: int, how: str = "preprocessor") -> list[dict]:
    dtm, n_short = labelled_matrix(texts, meta, min_tokens, how)
    labels = dtm.metadata["label"].astype(str).to_numpy()
    k = len(set(labels))
    shuffled = np.random.default_rng(0).permutation(labels)
    print(f"{name}: {dtm}, {k} labels, {n_short} short documents left out", flush=True)
    rows = []
    for model_name, make in MODELS.items():
        start = time.perf_counter()
        model = make(k).fit(dtm)
        seconds = time.perf_counter() - start
        dominant = model.doc_topics_.argmax(axis=1)
        row = {"corpus": name, "documents": dtm.shape[0], "labels": k, "left_out_short": n_short, "model": model_name,
               "nmi": round(float(normalized_mutual_info_score(labels, dominant)), 4), "purity": round(purity(labels, dominant), 4),
               "nmi_shuffled_labels": round(float(normalized_mutual_info_score(shuffled, dominant)), 4),
               "purity_shuffled_labels": round(purity(shuffled, dominant), 4), "seconds": round(seconds, 1)}
        print(row, flush=True)
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--tokens", choices=["preprocessor", "regex"], default="preprocessor",
                        help="discourse's French preprocessing (fast backend, default) or the regex tokens of bench_topics")
    args = parser.parse_args(argv)
    rows = []
    texts, meta = legi_subset(args.quick)
    rows += evaluate("legi-codes (stratified subset of codes)", texts, meta, min_tokens=1, how=args.tokens)
    if args.tokens == "regex":
        texts, meta = europarl_speeches()
    else:
        texts, meta = europarl_corpus()
    rows += evaluate("europarl-fr-2000 (speeches by agenda item)", texts, meta, min_tokens=30, how=args.tokens)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = ("topic_labels_quick" if args.quick else "topic_labels") + ("_regex" if args.tokens == "regex" else "")
    (RESULTS / f"{name}.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    cols = ["corpus", "documents", "labels", "model", "nmi", "purity", "nmi_shuffled_labels", "purity_shuffled_labels", "seconds"]
    lines = ["# Dominant topic against known labels (NMI, purity)", "",
             f"Command: `python -m benchmarks.eval_topic_labels{' --quick' if args.quick else ''}`. K = number of labels; random_state = 0.",
             ("Tokens: discourse.Preprocessor(backend='fast') lemmas, default stop words; " if args.tokens == "preprocessor" else
              "Tokens: regex words (>= 2 letters, lowercased), discourse French stop words removed; ") + "min_df=3, max_df=0.5.",
             "Shuffled columns: the same topics scored against randomly permuted labels (chance level).",
             "Seconds: wall time of each fit, for information only (this evaluation may run beside other work; speed is measured by bench_topics).", "",
             "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in rows]
    short = {r["corpus"]: r["left_out_short"] for r in rows}
    lines += ["", "Documents left out for having fewer than 30 tokens: " + ", ".join(f"{c}: {n}" for c, n in short.items()) + "."]
    (RESULTS / f"{name}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    record([RESULTS / f"{name}.json", RESULTS / f"{name}.md"])
    print("\n".join(lines))
