"""Shared test set-up: where the real corpora are read from.

The corpora are never in this repository. They are read from ``DISCOURSE_DATA`` (the
Makefile and .ci/run set it to ../shared/corpora); when a developer runs pytest directly,
the same sibling folder is used.

Without the corpora, the tests that read them are skipped with the reason (so the pure unit
tests run anywhere), except under CI (``CI=true``), where a missing folder is an error: a
green CI run must have read the real text.
"""

from __future__ import annotations

import gzip
import json
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
import pandas as pd
import pytest

if TYPE_CHECKING:
    from discourse.dtm import DocumentTermMatrix
    from discourse.tokens import Tokens
    from discourse.topics import LDA

matplotlib.use("Agg")

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("DISCOURSE_DATA", str(REPO.parent / "shared" / "corpora"))
DATA_HOME = Path(os.environ["DISCOURSE_DATA"])


_MISSING = f"corpora folder {DATA_HOME} not found: set DISCOURSE_DATA to the folder of the corpora"
# a test module that names one of these reads the real corpora
_CORPUS_MARKERS = ("data_home", "corpora.load(", "DISCOURSE_DATA", "seed_text")


def _reads_corpora(item: pytest.Item) -> bool:
    if {"data_home", "seed_text"} & set(getattr(item, "fixturenames", ())):
        return True
    path = Path(str(item.fspath))
    if path.suffix != ".py" or path.name == "conftest.py":
        return False
    try:
        source = path.read_text(encoding="utf-8")
    except OSError:
        return False
    return any(marker in source for marker in _CORPUS_MARKERS)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if DATA_HOME.is_dir():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(_MISSING + " (CI must read the real corpora)")
    skip = pytest.mark.skip(reason=_MISSING)
    for item in items:
        if _reads_corpora(item):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def data_home() -> Path:
    """The folder holding the real corpora (one sub-folder per corpus)."""
    if not DATA_HOME.is_dir():
        pytest.skip(_MISSING)
    return DATA_HOME


@pytest.fixture(scope="session")
def seed_text(data_home: Path) -> str:
    """The seed news-wire article, exactly as published (title on line 1)."""
    return (data_home / "seed" / "ue-onu-contre-terrorisme.txt").read_text(encoding="utf-8")


# ---- topic models: 40 articles of six legal codes (legi-codes), shared by the test_topics_* modules
CODES = ["code-civil", "code-du-travail", "code-de-commerce", "code-penal", "code-des-transports", "code-de-l-education"]


@pytest.fixture(scope="session")
def legi_corpus(data_home: Path) -> pd.DataFrame:
    """40 articles from each of six codes of legi-codes, in file order."""
    per_code: dict[str, list[dict]] = {c: [] for c in CODES}
    with gzip.open(data_home / "legi-codes" / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            bucket = per_code.get(rec["code"])
            if bucket is not None and len(bucket) < 40:
                bucket.append(rec)
            if all(len(b) >= 40 for b in per_code.values()):
                break
    frame = pd.DataFrame([r for c in CODES for r in per_code[c]])
    # a date column for prevalence by period: two made-up dates alternating (tests only)
    frame["date"] = pd.to_datetime(["2015-01-01", "2016-06-01"] * (len(frame) // 2))
    return frame


@pytest.fixture(scope="session")
def legi_tokens(legi_corpus: pd.DataFrame) -> Tokens:
    """The library's own path: Corpus -> French preprocessing (fast backend, default stop words)."""
    from discourse.corpus import Corpus
    from discourse.preprocess import Preprocessor

    docs = Corpus.from_texts(legi_corpus["text"], ids=legi_corpus["doc_id"], metadata=legi_corpus[["code", "date"]])
    return Preprocessor(backend="fast", progress=False).transform(docs)


@pytest.fixture(scope="session")
def legi_dtm(legi_tokens: Tokens) -> DocumentTermMatrix:
    from discourse.dtm import DocumentTermMatrix

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return DocumentTermMatrix.from_tokens(legi_tokens, min_df=3, max_df=0.5)


@pytest.fixture(scope="module")  # per module: a test may label its topics
def legi_lda(legi_dtm: DocumentTermMatrix) -> LDA:
    from discourse.topics import LDA

    return LDA(n_topics=6, n_iter=80, random_state=1).fit(legi_dtm)


# ---- the marriage debate: the first four sittings, speeches on the bill (frames and keyness tests)
@pytest.fixture(scope="session")
def mariage_bill(data_home) -> Tokens:
    from text_helpers import make_tokens, read_mariage

    # the first four sittings (29-31 January 2013), speeches on the bill only
    texts, meta = read_mariage(data_home, sittings=4)
    return make_tokens(texts, meta.doc_id.tolist(), meta)


# ---- the marriage debate: the first 600 speeches on the bill (textometry tests)
@pytest.fixture(scope="session")
def mariage_600(data_home):
    import discourse

    corpus = discourse.corpora.load("an-mariage-pour-tous-2013").filter(subject="mpt", turn_type="intervention").head(600)
    return discourse.Preprocessor(backend="fast", progress=False).transform(corpus)


# ---- figures: the Europarl topic model and a slice of the Assemblée debates (test_plot_* modules)
@pytest.fixture(scope="session")
def plot_europarl(data_home):
    import discourse
    from discourse import corpora

    from plot_helpers import K

    corpus = corpora.load("europarl-fr-2000", data_home=data_home)
    # the release gives no LANGUAGE attribute for speeches made in French (or unknown)
    corpus = corpus.assign(original=lambda m: m["language"].fillna("FR"))
    tokens = discourse.Preprocessor(backend="fast", progress=False).transform(corpus)
    dtm = discourse.DocumentTermMatrix.from_tokens(tokens.filter(min_length=3), min_df=3, max_df=0.5)
    lda = discourse.LDA(n_topics=K, n_iter=150, random_state=7).fit(dtm)
    return corpus, tokens, dtm, lda


@pytest.fixture(scope="session")
def plot_an_slice(data_home):
    import discourse
    from discourse import corpora

    corpus = corpora.load("an-debats-2013-2018", data_home=data_home)
    corpus = corpus.filter(lambda m: (m["date"] >= "2015-09-01") & (m["date"] < "2016-03-01")).sample(48, random_state=1)
    assert corpus.metadata["date"].dt.to_period("M").nunique() == 6
    return discourse.Preprocessor(backend="fast", progress=False).transform(corpus)


# ---- the seed article as a reader sees it (frame counting and matching tests)
@pytest.fixture(scope="session")
def seed_reader_tokens(seed_text: str) -> Tokens:
    from text_helpers import make_tokens

    # the whole article as a reader sees it, "Lire aussi" line included
    return make_tokens([seed_text], ["seed"], remove_boilerplate=False)
