"""Reinert classification: agreement with known labels (vs LDA on the same text), time and memory at scale.

Run from the repository root::

    python -m benchmarks.eval_reinert                 # everything (about half an hour on 2 cores)
    python -m benchmarks.eval_reinert --skip-scale    # agreement only

1. **Legal codes** (legi-codes): 300 articles drawn (seed 0) from each of the 10 largest codes;
   ``Reinert(n_classes=10, segment_size=20)`` and ``LDA(n_topics=10)`` (tomotopy, seed 0) on the
   same tokens (fast preprocessing). A document's class is the majority class of its segments
   (Reinert) or its most probable topic (LDA). Agreement with the code: adjusted Rand index
   (ARI) and normalised mutual information (NMI) over the documents both methods classify,
   and Reinert's coverage (documents with a class).
2. **Marriage debate** (an-mariage-pour-tous-2013, turns on the bill, deputies'
   interventions of the six main groups): 6 classes / topics; ARI and NMI with the speaker's
   group. Groups are a weak label (every group speaks of every theme); the numbers say how much
   of the partition follows the party line, not a quality score.
3. **Scale**: legi-codes and literary-fr-scale (content tokens after fast preprocessing)
   cut at 1, 5 and 10 million tokens; ``Reinert(n_classes=10, segment_size=20)`` fitted in a
   fresh process for each size: wall time of ``fit`` and peak resident memory of the process
   (the tokens themselves included; preprocessing is not timed).

Results: ``benchmarks/eval_reinert/results/eval_reinert.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

import discourse
from discourse import corpora
from discourse.corpus import Corpus
from discourse.dtm import DocumentTermMatrix
from benchmarks.common import record, results_dir
from discourse.tokens import Tokens

RESULTS = results_dir(__name__)
CACHE = Path(os.environ.get("TMPDIR", "/tmp")) / "discourse_eval_reinert"


def _agreement(labels: pd.Series, reinert: pd.Series, lda: pd.Series) -> dict:
    both = reinert.notna() & labels.notna()
    y = labels[both].astype(str).to_numpy()
    r = reinert[both].astype(int).to_numpy()
    t = lda[both].to_numpy()
    return {
        "documents": int(len(labels)), "classified_by_reinert": int(reinert.notna().sum()),
        "reinert": {"ari": adjusted_rand_score(y, r), "nmi": normalized_mutual_info_score(y, r)},
        "lda": {"ari": adjusted_rand_score(y, t), "nmi": normalized_mutual_info_score(y, t)},
    }


def _compare(tokens: Tokens, labels: pd.Series, k: int) -> dict:
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reinert = discourse.Reinert(n_classes=k, segment_size=20).fit(tokens)
    t_reinert = time.perf_counter() - t
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dtm = DocumentTermMatrix.from_tokens(tokens, min_df=3)
    t = time.perf_counter()
    lda = discourse.LDA(n_topics=k, random_state=0).fit(dtm)
    t_lda = time.perf_counter() - t
    topic = pd.Series(np.asarray(lda.doc_topics_).argmax(axis=1), index=dtm.doc_ids)
    rclass = reinert.doc_classes_
    labels = labels.reindex(rclass.index)
    out = _agreement(labels, rclass, topic.reindex(rclass.index))
    out["seconds"] = {"reinert": t_reinert, "lda": t_lda}
    out["reinert_classes"] = reinert.classes_["n_segments"].tolist()
    out["reinert_stopped"] = reinert.stopped_
    out["top_terms"] = {int(c): reinert.profile(int(c), 8)["term"].tolist() for c in reinert.classes_["class"]}
    return out


def legal_codes() -> dict:
    corpus = corpora.load("legi-codes")
    meta = corpus.metadata
    top = meta["label"].value_counts().head(10).index
    rng = np.random.default_rng(0)
    picks = []
    for code in sorted(top):
        rows = np.flatnonzero((meta["label"] == code).to_numpy())
        picks.extend(rng.choice(rows, size=min(300, len(rows)), replace=False).tolist())
    ids = [corpus.ids[i] for i in sorted(picks)] if hasattr(corpus, "ids") else meta["doc_id"].iloc[sorted(picks)].tolist()
    sample = corpus.select(ids)
    tokens = discourse.Preprocessor(backend="fast", n_jobs=2, progress=False).transform(sample)
    labels = tokens.metadata.set_index("doc_id")["label"]
    return {"corpus": "legi-codes", "codes": sorted(top.tolist()), "tokens": int(tokens.n_tokens), **_compare(tokens, labels, 10)}


def mariage() -> dict:
    corpus = corpora.load("an-mariage-pour-tous-2013")
    turns = corpus.filter(subject="mpt", turn_type="intervention", role="deputy",
                          group=["UMP", "SRC", "UDI", "ECOLO", "GDR", "RRDP"])
    tokens = discourse.Preprocessor(backend="fast", domain_stop_words=["parliament"], n_jobs=2, progress=False).transform(turns)
    labels = tokens.metadata.set_index("doc_id")["group"]
    return {"corpus": "an-mariage-pour-tous-2013", "tokens": int(tokens.n_tokens), **_compare(tokens, labels, 6)}


# ------------------------------------------------------------------------------------ scale
def _scale_tokens() -> Path:
    path = CACHE / "scale_tokens.npz"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    home = Path(os.environ.get("DISCOURSE_DATA", Path(__file__).resolve().parents[2] / "shared" / "corpora"))
    texts, ids = [], []
    for name, file in (("legi-codes", "articles.jsonl.gz"), ("literary-fr-scale", "chunks.jsonl.gz")):
        with gzip.open(home / name / file, "rt", encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                texts.append(row["text"])
                ids.append(f"{name}/{row['doc_id']}")
    corpus = Corpus.from_texts(texts, ids=ids)
    tokens = discourse.Preprocessor(backend="fast", n_jobs=2, keep_texts=True, progress=False).transform(corpus)
    tokens.save(path)
    return path


def _scale_one(path: str, n_tokens: int) -> None:
    """In a fresh process: load, cut at n_tokens, fit, print JSON."""
    tokens = Tokens.load(path)
    last = int(np.searchsorted(tokens.doc_offsets, n_tokens, side="left"))
    sub = tokens.select_documents(np.arange(min(last, len(tokens))))
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = discourse.Reinert(n_classes=10, segment_size=20).fit(sub)
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"tokens": int(sub.n_tokens), "documents": len(sub), "segments": len(r.segments_),
                      "classes": int(r.n_classes_), "seconds": seconds, "peak_rss_mb": peak,
                      "rss_before_fit_mb": base}))


def scale(sizes: list[int], result: dict, out_dir: Path) -> list[dict]:
    path = _scale_tokens()
    out = result.setdefault("scale", [])
    for n in sizes:
        res = subprocess.run([sys.executable, "-m", "benchmarks.eval_reinert", "--scale-one", str(path), str(n)],
                             capture_output=True, text=True, check=True)
        row = json.loads(res.stdout.strip().splitlines()[-1])
        print(row, flush=True)
        out.append(row)
        write(result, out_dir)  # each size is kept even if a later one is stopped
    return out


def write(result: dict, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "eval_reinert.json").write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    m = result["machine"]
    lines = ["# Reinert classification: agreement with known labels, and scale", "",
             f"Command: `{result['command']}` — commit {result['git_commit']}. Machine: {m['platform']}, {m['cpus']} CPUs (shared with other jobs), Python {m['python']}.",
             "", "## Agreement with known labels (documents classified by Reinert)", "",
             "| corpus | label | documents | classified by Reinert | Reinert ARI | LDA ARI | Reinert NMI | LDA NMI | Reinert s | LDA s |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for key, label in (("legal_codes", "code (10 codes × 300 articles)"), ("mariage", "speaker's group (6)")):
        if key not in result:
            continue
        r = result[key]
        lines.append(f"| {r['corpus']} | {label} | {r['documents']:,} | {r['classified_by_reinert']:,} | "
                     f"{r['reinert']['ari']:.3f} | {r['lda']['ari']:.3f} | {r['reinert']['nmi']:.3f} | {r['lda']['nmi']:.3f} | "
                     f"{r['seconds']['reinert']:.1f} | {r['seconds']['lda']:.1f} |")
    lines += ["", "Reinert: `Reinert(n_classes=K, segment_size=20)` (defaults otherwise), a document's class = the majority "
              "class of its segments; LDA: `LDA(n_topics=K, random_state=0)` on the document-term matrix (min_df=3), "
              "a document's topic = its most probable topic. Same tokens (fast preprocessing).", ""]
    for key in ("legal_codes", "mariage"):
        if key in result:
            lines.append(f"Reinert classes on {result[key]['corpus']} (segments per class): {result[key]['reinert_classes']}; "
                         f"top terms: " + "; ".join(f"{c}: {', '.join(t[:5])}" for c, t in result[key]["top_terms"].items()))
            lines.append("")
    if result.get("scale"):
        lines += ["## Time and memory", "",
                  f"Measured at commit {result.get('scale_commit', result['git_commit'])}. The two corpora hold "
                  "9.2 million content tokens in all, so the largest size is 9.2 M, not 10 M. Wall times vary with the "
                  "load of the shared machine and with the number of reassignments a split needs (not monotone in size).", "",
                  "Content tokens of legi-codes then literary-fr-scale (fast preprocessing, stop words removed), cut at the "
                  "size asked; one fresh process a size; `fit` only is timed; peak RSS of the whole process (tokens included).", "",
                  "| tokens | documents | segments | classes | fit seconds | peak RSS (MB) | RSS before fit (MB) |",
                  "|---:|---:|---:|---:|---:|---:|---:|"]
        for row in result["scale"]:
            lines.append(f"| {row['tokens']:,} | {row['documents']:,} | {row['segments']:,} | {row['classes']} | "
                         f"{row['seconds']:.1f} | {row['peak_rss_mb']:,.0f} | {row['rss_before_fit_mb']:,.0f} |")
        lines.append("")
    (out_dir / "eval_reinert.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--scale-one"]:
        _scale_one(argv[1], int(argv[2]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--skip-agreement", action="store_true")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 5_000_000, 10_000_000])
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    result: dict = {
        "command": "python -m benchmarks.eval_reinert " + " ".join(argv),
        "git_commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip(),
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()},
    }
    if args.skip_scale and (args.out / "eval_reinert.json").exists():
        old = json.loads((args.out / "eval_reinert.json").read_text(encoding="utf-8"))
        if old.get("scale"):
            # keep the scale rows of an earlier run, with the commit they were measured at
            result["scale"] = old["scale"]
            result["scale_commit"] = old.get("scale_commit", old["git_commit"])
    if not args.skip_agreement:
        result["legal_codes"] = legal_codes()
        print(result["legal_codes"], flush=True)
        write(result, args.out)
        result["mariage"] = mariage()
        print(result["mariage"], flush=True)
        write(result, args.out)
    if args.skip_agreement and (args.out / "eval_reinert.json").exists():
        # keep the agreement results of an earlier run
        old = json.loads((args.out / "eval_reinert.json").read_text(encoding="utf-8"))
        for key in ("legal_codes", "mariage"):
            if key in old:
                result[key] = old[key]
    if not args.skip_scale:
        scale(args.sizes, result, args.out)
    write(result, args.out)
    record([args.out / "eval_reinert.json", args.out / "eval_reinert.md"], argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
