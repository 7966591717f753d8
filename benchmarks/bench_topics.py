"""Topic models: our LDA (each backend) and NMF against the raw engines, same process, same matrix.

    python -m benchmarks.bench_topics            # full run (legi-codes + an-debats, K = 20 and 50)
    python -m benchmarks.bench_topics --quick    # small slices, a smoke test

For each corpus and K, every method is fitted on the same DocumentTermMatrix (raw engines get
exactly the documents the matrix holds: tomotopy the same word lists, gensim the same bag of
words, scikit-learn the same CSR matrix) with the same iteration budget:

- Gibbs (tomotopy, ours and raw): ``TOMOTOPY_ITER`` sweeps, two threads with tomotopy's partition
  scheme (our default; raw tomotopy's own default, all cores, is the same on this 2-core machine);
- gensim (ours, raw LdaModel, raw LdaMulticore with its default workers): ``GENSIM_PASSES`` passes;
- scikit-learn LDA (ours and raw): ``SKLEARN_ITER`` iterations, online and batch; batch on
  legi-codes runs on a fixed random subset of ``SKLEARN_BATCH_DOCS`` documents (it is the slow one);
- NMF (ours and raw scikit-learn) on tf-idf, ``nndsvda``.

Priors: eta = 1/K everywhere (our default for every engine, and gensim's and scikit-learn's own;
raw tomotopy is given it too, so ours and raw tomotopy fit the same model); alpha is each
engine's default. Raw tomotopy ranks its top words with its own float32 probabilities, ours with float64 and
ties broken alphabetically, so with the same seed (identical topics) a tied 10th word can
differ and the two coherence scores can differ in the third decimal.

Reported: wall time, peak extra resident memory during the fit (sampled from /proc every 20 ms,
so it sees the engines' C/C++ allocations), c_npmi (window 10) and u_mass of the top 10 words on
the same tokens, and ratios to raw tomotopy / raw LdaMulticore. Results go to
benchmarks/results/topics.md and topics.json.

Tokens: the library's French preprocessing, ``Preprocessor(backend="fast")`` with its default
stop words (lemmas; cached in ``benchmarks/.cache``), as a user would run it; ``--tokens regex``
instead lowercases and splits on a regular expression (letters only, length >= 2) and removes
``discourse.lang.fr.stop_words``. Terms in fewer than 5 documents or in more than half of them
are pruned. The same tokens feed every method and every coherence score.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import os
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from discourse.dtm import DocumentTermMatrix
from discourse.tokens import Tokens
from discourse.topics import LDA, NMF, coherence

RESULTS = Path(__file__).resolve().parent / "results"
CACHE = Path(__file__).resolve().parent / ".cache"
TOMOTOPY_ITER = 200
GENSIM_PASSES = 2
SKLEARN_ITER = 5
SKLEARN_BATCH_DOCS = 10_000
TOKENS_NOTE = {"preprocessor": "lemmas of discourse.Preprocessor(backend='fast'), default stop words",
               "regex": "lowercased regex words (letters, length >= 2), French stop words removed"}
_WORD = re.compile(r"[^\W\d_]{2,}")


def data_home() -> Path:
    """Where the corpora are (DISCOURSE_DATA, else ../shared/corpora next to the repository)."""
    default = Path(__file__).resolve().parents[2] / "shared" / "corpora"
    return Path(os.environ.get("DISCOURSE_DATA", default))


def _stop_words() -> set[str]:
    from discourse.lang.fr.stop_words import stop_words

    return set(stop_words())


def tokens_from_texts(texts: list[str], doc_ids: list[str], metadata: pd.DataFrame | None = None, stop: set[str] | None = None) -> Tokens:
    """Regex tokens (lowercase letters, >= 2 characters), stop words removed, built column-wise."""
    vocab: dict[str, int] = {}
    codes: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    offsets = [0]
    stop = stop or set()
    for text in texts:
        for m in _WORD.finditer(text):
            w = m.group().lower()
            if w in stop:
                continue
            c = vocab.get(w)
            if c is None:
                c = vocab[w] = len(vocab)
            codes.append(c)
            starts.append(m.start())
            ends.append(m.end())
        offsets.append(len(codes))
    n = len(codes)
    arr = np.array(codes, dtype=np.int32)
    return Tokens(
        doc_ids=doc_ids, doc_offsets=np.array(offsets), codes={"form": arr, "lemma": arr, "pos": np.zeros(n, dtype=np.int32)},
        vocabs={"form": list(vocab), "lemma": list(vocab), "pos": [""]}, starts=np.array(starts), ends=np.array(ends),
        sents=np.zeros(n, dtype=np.int32), is_stop=np.zeros(n, dtype=bool), metadata=metadata, texts=texts,
    )


def load_legi(limit: int | None = None) -> tuple[list[str], pd.DataFrame]:
    """Texts and metadata (doc_id, code) of legi-codes, in file order."""
    texts, rows = [], []
    with gzip.open(data_home() / "legi-codes" / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            texts.append(rec["text"])
            rows.append({"doc_id": rec["doc_id"], "code": rec["code"]})
            if limit is not None and len(texts) >= limit:
                break
    return texts, pd.DataFrame(rows)


def load_debates(limit: int | None = None) -> tuple[list[str], pd.DataFrame]:
    """One text a sitting of an-debats-2013-2018 (doc_id = file stem, date from the name)."""
    files = sorted((data_home() / "an-debats-2013-2018" / "txt").glob("*.txt"))
    if limit is not None:
        files = files[:: max(1, len(files) // limit)][:limit]
    texts = [f.read_text(encoding="utf-8") for f in files]
    meta = pd.DataFrame({"doc_id": [f.stem for f in files], "date": pd.to_datetime([f.stem[:12] for f in files], format="%Y%m%d%H%M")})
    return texts, meta


def make_tokens(texts: list[str], meta: pd.DataFrame, how: str = "preprocessor") -> Tokens:
    """Tokens by the library's French preprocessing (default, cached) or by the regex above."""
    if how == "regex":
        return tokens_from_texts(texts, meta["doc_id"].tolist(), meta, _stop_words())
    from discourse.corpus import Corpus
    from discourse.preprocess import Preprocessor

    corpus = Corpus.from_texts(texts, ids=meta["doc_id"].tolist(), metadata=meta.drop(columns=["doc_id"]))
    return Preprocessor(backend="fast", n_jobs=2, cache_dir=CACHE, progress=False).transform(corpus)


def build(corpus: str, quick: bool, how: str = "preprocessor") -> tuple[Tokens, DocumentTermMatrix]:
    """Tokens and pruned matrix of one corpus (the same for every method)."""
    if corpus == "legi-codes":
        texts, meta = load_legi(3000 if quick else None)
    else:
        texts, meta = load_debates(60 if quick else None)
    tokens = make_tokens(texts, meta, how)
    dtm = DocumentTermMatrix.from_tokens(tokens, min_df=5, max_df=0.5)
    kept = set(dtm.doc_ids)
    if len(kept) < len(tokens):
        tokens = tokens.select_documents([i for i, d in enumerate(tokens.doc_ids) if d in kept])
    # coherence is measured on the tokens restricted to the matrix's vocabulary (same as the model saw)
    return tokens, dtm


class PeakMemory:
    """Peak resident memory above the starting level while the block runs (sampled from /proc)."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.peak = 0

    @staticmethod
    def rss() -> int:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def __enter__(self) -> PeakMemory:
        gc.collect()
        self.base = self.rss()
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self.rss())

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss())
        self.extra_mb = (self.peak - self.base) / 2**20


# ---------------------------------------------------------------------- raw engines
def raw_tomotopy(dtm: DocumentTermMatrix, k: int, n_iter: int, seed: int) -> list[list[str]]:
    import tomotopy as tp

    # the same priors as our default (eta = 1/K, tomotopy's alpha): the same model, two wrappers
    model = tp.LDAModel(k=k, seed=seed, eta=1.0 / k)
    for words in dtm.to_word_lists():
        model.add_doc(words)
    model.train(n_iter, workers=2, parallel=tp.ParallelScheme.PARTITION)
    return [[w for w, _ in model.get_topic_words(t, top_n=10)] for t in range(k)]


def raw_gensim(dtm: DocumentTermMatrix, k: int, passes: int, seed: int, multicore: bool) -> list[list[str]]:
    from gensim.models import LdaModel, LdaMulticore

    dictionary, bow = dtm.to_gensim()
    if multicore:
        model = LdaMulticore(corpus=bow, id2word=dictionary, num_topics=k, passes=passes, random_state=seed, eval_every=None, chunksize=2000)
    else:
        model = LdaModel(corpus=bow, id2word=dictionary, num_topics=k, passes=passes, random_state=seed, eval_every=None, chunksize=2000)
    return [[dictionary[i] for i, _ in model.get_topic_terms(t, topn=10)] for t in range(k)]


def raw_sklearn_lda(dtm: DocumentTermMatrix, k: int, n_iter: int, seed: int, method: str) -> list[list[str]]:
    from sklearn.decomposition import LatentDirichletAllocation

    model = LatentDirichletAllocation(n_components=k, learning_method=method, max_iter=n_iter, random_state=seed)
    model.fit(dtm.matrix)
    vocab = np.array(dtm.vocabulary, dtype=object)
    return [vocab[np.argsort(-row, kind="stable")[:10]].tolist() for row in model.components_]


def raw_sklearn_nmf(dtm: DocumentTermMatrix, k: int, seed: int) -> list[list[str]]:
    from sklearn.decomposition import NMF as SkNMF
    from sklearn.feature_extraction.text import TfidfTransformer

    x = TfidfTransformer().fit_transform(dtm.matrix)
    model = SkNMF(n_components=k, init="nndsvda", random_state=seed, max_iter=200)
    model.fit(x)
    vocab = np.array(dtm.vocabulary, dtype=object)
    return [vocab[np.argsort(-row, kind="stable")[:10]].tolist() for row in model.components_]


def methods(dtm: DocumentTermMatrix, k: int, seed: int = 0, sklearn_batch_subset: bool = False) -> dict[str, Callable[[], Any]]:
    """name -> zero-argument fit returning our model or a list of topic word lists."""
    batch_dtm = dtm
    if sklearn_batch_subset and dtm.shape[0] > SKLEARN_BATCH_DOCS:
        rng = np.random.default_rng(seed)
        batch_dtm = dtm.select_documents(np.sort(rng.choice(dtm.shape[0], SKLEARN_BATCH_DOCS, replace=False)))
    return {
        "ours LDA tomotopy (default)": lambda: LDA(k, backend="tomotopy", n_iter=TOMOTOPY_ITER, random_state=seed).fit(dtm),
        "raw tomotopy": lambda: raw_tomotopy(dtm, k, TOMOTOPY_ITER, seed),
        "ours LDA gensim": lambda: LDA(k, backend="gensim", n_iter=GENSIM_PASSES, random_state=seed).fit(dtm),
        "raw gensim LdaModel": lambda: raw_gensim(dtm, k, GENSIM_PASSES, seed, multicore=False),
        "raw gensim LdaMulticore": lambda: raw_gensim(dtm, k, GENSIM_PASSES, seed, multicore=True),
        "ours LDA sklearn online": lambda: LDA(k, backend="sklearn", learning_method="online", n_iter=SKLEARN_ITER, random_state=seed).fit(dtm),
        "raw sklearn LDA online": lambda: raw_sklearn_lda(dtm, k, SKLEARN_ITER, seed, "online"),
        "ours LDA sklearn batch": lambda: LDA(k, backend="sklearn", learning_method="batch", n_iter=SKLEARN_ITER, random_state=seed).fit(batch_dtm),
        "raw sklearn LDA batch": lambda: raw_sklearn_lda(batch_dtm, k, SKLEARN_ITER, seed, "batch"),
        "ours NMF": lambda: NMF(k, random_state=seed).fit(dtm),
        "raw sklearn NMF": lambda: raw_sklearn_nmf(dtm, k, seed),
    }


def reference_tokens(tokens: Tokens, dtm: DocumentTermMatrix) -> Tokens:
    """The tokens restricted to the matrix's vocabulary: the reference text of every coherence score."""
    vocab = set(dtm.vocabulary)
    in_vocab = np.array([w in vocab for w in tokens.vocab("lemma")], dtype=bool)
    return tokens.keep_tokens(in_vocab[tokens.codes("lemma")], "matrix vocabulary")


def timed_fit(fit: Callable[[], Any]) -> tuple[Any, list[list[str]], float, float]:
    """Run one fit: (result, its top 10 words per topic, wall seconds, peak extra MB)."""
    gc.collect()
    with PeakMemory() as mem:
        start = time.perf_counter()
        result = fit()
        seconds = time.perf_counter() - start
    topics = result.topic_words(10) if hasattr(result, "topic_words") else result
    return result, topics, seconds, mem.extra_mb


def run(corpora: list[str], ks: list[int], quick: bool, only: list[str] | None = None, out: str | None = None, how: str = "preprocessor") -> pd.DataFrame:
    # import every engine first, so no method pays for an import inside its timing
    import gensim.models  # noqa: F401
    import sklearn.decomposition  # noqa: F401
    import tomotopy  # noqa: F401

    rows = []
    out_json = RESULTS / f"{out or ('topics_quick' if quick else 'topics')}.json"
    built = {}
    for corpus in corpora:
        t0 = time.perf_counter()
        tokens, dtm = build(corpus, quick, how)
        built[corpus] = (reference_tokens(tokens, dtm), dtm)
        print(f"{corpus}: {dtm} built in {time.perf_counter() - t0:.1f}s", flush=True)
    # K outermost: a run stopped early still covers every corpus at the first K
    for k in ks:
        for corpus in corpora:
            ref, dtm = built[corpus]
            for name, fit in methods(dtm, k, sklearn_batch_subset=(corpus == "legi-codes")).items():
                if only and not any(o in name for o in only):
                    continue
                result, topics, seconds, peak_mb = timed_fit(fit)
                npmi = float(coherence(topics, ref, "c_npmi").mean())
                umass = float(coherence(topics, dtm, "u_mass").mean())
                n_docs = result.doc_topics_.shape[0] if hasattr(result, "doc_topics_") else None
                row = {"corpus": corpus, "n_docs": dtm.shape[0], "n_terms": dtm.shape[1], "n_tokens": int(dtm.matrix.sum()), "k": k,
                       "method": name, "seconds": round(seconds, 2), "peak_mb": round(peak_mb, 1), "c_npmi": round(npmi, 4),
                       "u_mass": round(umass, 4), "docs_fitted": n_docs, "tokens": how}
                print(row, flush=True)
                rows.append(row)
                del result
                # write as we go: a long background run keeps what it has measured
                out_json.write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    return pd.DataFrame(rows)


def report(frame: pd.DataFrame, quick: bool, note: str | None = None) -> str:
    lines = ["# Topic models: speed, memory and coherence", "", *([note, ""] if note else []),
             f"Command: `python -m benchmarks.bench_topics{' --quick' if quick else ''}` (2 cores; single-threaded engines unless noted).",
             f"Iterations: tomotopy {TOMOTOPY_ITER} Gibbs sweeps, gensim {GENSIM_PASSES} passes, scikit-learn LDA {SKLEARN_ITER} iterations "
             f"(batch on legi-codes: random subset of {SKLEARN_BATCH_DOCS} documents), NMF up to 200 iterations.",
             "Coherence: top 10 words, c_npmi with window 10 on the tokens, u_mass on the matrix (discourse.topics.coherence, equal to gensim's CoherenceModel).",
             "Ratios: time / raw tomotopy time, time / raw gensim LdaMulticore time (same corpus and K).",
             "Tokens: " + ", ".join(sorted({TOKENS_NOTE.get(t, str(t)) for t in frame.get("tokens", pd.Series(["regex"])).fillna("regex")})) + ".", ""]
    for (corpus, k), g in frame.groupby(["corpus", "k"], sort=True):
        tomo = g.loc[g.method == "raw tomotopy", "seconds"]
        multi = g.loc[g.method == "raw gensim LdaMulticore", "seconds"]
        g = g.copy()
        # raw engines return no document table
        g["docs_fitted"] = [str(int(v)) if pd.notna(v) else "" for v in g["docs_fitted"]]
        g["× raw tomotopy"] = (g.seconds / tomo.iloc[0]).round(2) if len(tomo) else np.nan
        g["× LdaMulticore"] = (g.seconds / multi.iloc[0]).round(3) if len(multi) else np.nan
        first = g.iloc[0]
        lines += [f"## {corpus}, K = {k} ({first.n_docs} documents, {first.n_terms} terms, {first.n_tokens} tokens)", ""]
        cols = ["method", "docs_fitted", "seconds", "× raw tomotopy", "× LdaMulticore", "peak_mb", "c_npmi", "u_mass"]
        lines.append("| " + " | ".join(cols) + " |")
        lines.append("|" + "---|" * len(cols))
        for _, r in g.iterrows():
            lines.append("| " + " | ".join(str(r[c]) for c in cols) + " |")
        lines.append("")
        ours = g[g.method == "ours LDA tomotopy (default)"]
        if len(ours) and len(tomo) and len(multi):
            o = ours.iloc[0]
            m = g[g.method == "raw gensim LdaMulticore"].iloc[0]
            lines.append(f"Goal check: ours/raw tomotopy = {o.seconds / tomo.iloc[0]:.2f} (goal ≤ 1.2). At these fixed budgets LdaMulticore "
                         f"takes {m.seconds / o.seconds:.2f}× our time, with c_npmi {m.c_npmi} against our {o.c_npmi}; the budgets give different "
                         "quality, so the comparison at equal c_npmi is in topics_iso.md.")
            lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small slices, for a smoke test")
    parser.add_argument("--corpora", nargs="*", default=["legi-codes", "an-debats"])
    parser.add_argument("--k", nargs="*", type=int, default=None)
    parser.add_argument("--only", nargs="*", default=None, help="run only methods whose name contains one of these")
    parser.add_argument("--out", default=None, help="name of the results files (default topics, or topics_quick)")
    parser.add_argument("--tokens", choices=["preprocessor", "regex"], default="preprocessor", help="how the text is tokenised (see above)")
    parser.add_argument("--report-only", action="store_true", help="rewrite the .md from the .json of earlier (possibly partial) runs")
    parser.add_argument("--merge", nargs="*", default=None, help="with --report-only: result names whose rows are merged into --out")
    parser.add_argument("--note", default=None, help="with --report-only: a paragraph on how the run was made")
    args = parser.parse_args(argv)
    name = args.out or ("topics_quick" if args.quick else "topics")
    if args.report_only:
        sources = args.merge or [name]
        frame = pd.concat([pd.DataFrame(json.loads((RESULTS / f"{s}.json").read_text())) for s in sources], ignore_index=True)
        frame = frame.drop_duplicates(["corpus", "k", "method"], keep="last")
        (RESULTS / f"{name}.json").write_text(json.dumps(frame.to_dict(orient="records"), indent=1, ensure_ascii=False, default=str))
        (RESULTS / f"{name}.md").write_text(report(frame, args.quick, args.note), encoding="utf-8")
        print(report(frame, args.quick, args.note))
        return
    ks = args.k or ([5] if args.quick else [20, 50])
    RESULTS.mkdir(parents=True, exist_ok=True)
    frame = run(args.corpora, ks, args.quick, args.only, name, args.tokens)
    (RESULTS / f"{name}.md").write_text(report(frame, args.quick), encoding="utf-8")
    print(report(frame, args.quick))

if __name__ == "__main__":
    main()
