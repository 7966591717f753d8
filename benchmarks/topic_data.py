"""The corpora, tokens and matrices of the topic-model benchmarks (``bench_topics``,
``bench_topics_iso`` and the ``eval_topic_*`` evaluations), so each of them reads the same text
the same way.

Tokens: the library's French preprocessing, ``Preprocessor(backend="fast")`` with its default
stop words (lemmas; cached in ``benchmarks/.cache``), as a user would run it; ``how="regex"``
instead lowercases and splits on a regular expression (letters only, length >= 2) and removes
``discourse.lang.fr.stop_words``.
"""

from __future__ import annotations

import gzip
import json
import re
import warnings

import numpy as np
import pandas as pd

from benchmarks.common import ROOT, data_home
from discourse.dtm import DocumentTermMatrix
from discourse.tokens import Tokens

CACHE = ROOT / ".cache"

TOKENS_NOTE = {"preprocessor": "lemmas of discourse.Preprocessor(backend='fast'), default stop words",
               "regex": "lowercased regex words (letters, length >= 2), French stop words removed"}

_WORD = re.compile(r"[^\W\d_]{2,}")

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


def reference_tokens(tokens: Tokens, dtm: DocumentTermMatrix) -> Tokens:
    """The tokens restricted to the matrix's vocabulary: the reference text of every coherence score."""
    vocab = set(dtm.vocabulary)
    in_vocab = np.array([w in vocab for w in tokens.vocab("lemma")], dtype=bool)
    return tokens.keep_tokens(in_vocab[tokens.codes("lemma")], "matrix vocabulary")



def purity(labels: np.ndarray, clusters: np.ndarray) -> float:
    """Share of documents whose cluster's most common label is their label."""
    table = pd.crosstab(clusters, labels)
    return float(table.max(axis=1).sum() / len(labels))


def legi_subset(quick: bool) -> tuple[list[str], pd.DataFrame]:
    texts, meta = load_legi()
    counts = meta["code"].value_counts()
    codes = [c for c, n in counts.items() if n >= 700 and "mayotte" not in c and "annexe" not in c][:12]
    per_code = 80 if quick else 250
    rng = np.random.default_rng(0)
    picks = []
    for code in sorted(codes):
        idx = np.flatnonzero(meta["code"].to_numpy() == code)
        picks.extend(sorted(rng.choice(idx, per_code, replace=False).tolist()))
    return [texts[i] for i in picks], meta.iloc[picks].reset_index(drop=True).rename(columns={"code": "label"})


_CHAPTER = re.compile(r"<CHAPTER ID=\"?(\d+)\"?>")

_SPEAKER = re.compile(r"<SPEAKER ID=\"?(\d+)\"?")

def europarl_speeches() -> tuple[list[str], pd.DataFrame]:
    """One text a speech of europarl-fr-2000, labelled by agenda item (day/chapter: title)."""
    texts, rows = [], []
    for path in sorted((data_home() / "europarl-fr-2000" / "raw").glob("ep-*.txt")):
        day = path.stem[3:]
        chapter, title, speech, lines = None, None, None, []
        expect_title = False

        def flush() -> None:
            if speech is not None and chapter is not None:
                texts.append("\n".join(lines))
                rows.append({"doc_id": f"{day}/{chapter}/{speech}", "label": f"{day} #{chapter}: {title}"})

        for line in path.read_text(encoding="utf-8").splitlines():
            m = _CHAPTER.match(line)
            if m:
                flush()
                chapter, speech, lines, expect_title = m.group(1), None, [], True
                continue
            if expect_title:
                title, expect_title = line.strip(), False
                continue
            m = _SPEAKER.match(line)
            if m:
                flush()
                speech, lines = m.group(1), []
                continue
            if line.startswith("<P"):
                continue
            lines.append(line)
        flush()
    return texts, pd.DataFrame(rows)


def europarl_corpus() -> tuple[list[str], pd.DataFrame]:
    """Speeches of europarl-fr-2000 through the library's loader; label = day + agenda item."""
    from discourse import corpora

    corpus = corpora.load("europarl-fr-2000", data_home=data_home())
    meta = corpus.metadata
    labels = meta["file"].astype(str).str[3:11] + " #" + meta["chapter"].astype(str) + ": " + meta["agenda_item"].astype(str)
    return list(corpus.texts), pd.DataFrame({"doc_id": meta["doc_id"].astype(str), "label": labels})


def labelled_matrix(texts: list[str], meta: pd.DataFrame, min_tokens: int, how: str = "preprocessor") -> tuple[DocumentTermMatrix, int]:
    """The matrix of a labelled corpus (documents under ``min_tokens`` left out) and how many were left out."""
    tokens = make_tokens(texts, meta, how)
    long_enough = tokens.lengths >= min_tokens
    tokens = tokens.select_documents(np.flatnonzero(long_enough))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return DocumentTermMatrix.from_tokens(tokens, min_df=3, max_df=0.5), int((~long_enough).sum())

