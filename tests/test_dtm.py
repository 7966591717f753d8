"""DocumentTermMatrix on real legal articles: exact counts, pruning as scikit-learn, exports, errors."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from discourse.dtm import DocumentTermMatrix, EmptyVocabularyError
from discourse.tokens import Tokens

_WORD = re.compile(r"[^\W\d_]{2,}")


def _articles(data_home: Path, n: int) -> pd.DataFrame:
    rows = []
    with gzip.open(data_home / "legi-codes" / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            rows.append(json.loads(line))
            if len(rows) >= n:
                break
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def articles(data_home: Path) -> pd.DataFrame:
    return _articles(data_home, 120)


@pytest.fixture(scope="module")
def word_lists(articles: pd.DataFrame) -> list[list[str]]:
    return [[w.lower() for w in _WORD.findall(t)] for t in articles["text"]]


@pytest.fixture(scope="module")
def tokens(articles: pd.DataFrame, word_lists: list[list[str]]) -> Tokens:
    return Tokens.from_lists(word_lists, doc_ids=articles["doc_id"].tolist(), metadata=articles[["doc_id", "code"]])


def test_counts_are_exact_on_real_articles(tokens: Tokens, word_lists: list[list[str]]) -> None:
    dtm = DocumentTermMatrix.from_tokens(tokens)
    assert dtm.shape == (len(word_lists), len({w for d in word_lists for w in d}))
    assert dtm.vocabulary == sorted(dtm.vocabulary)
    for i in [0, 1, 17, len(word_lists) - 1]:
        row = dtm.matrix[i]
        got = {dtm.vocabulary[j]: int(c) for j, c in zip(row.indices, row.data)}
        assert got == dict(Counter(word_lists[i]))
    assert int(dtm.matrix.sum()) == sum(len(d) for d in word_lists)
    assert dtm.matrix.dtype == np.int64
    # the first article of the code civil: "nationalité" twice... count it independently
    first = Counter(word_lists[0])
    assert dtm.matrix[0, dtm.term_index["nationalité"]] == first["nationalité"] >= 1


def test_pruning_matches_scikit_learn(tokens: Tokens, word_lists: list[list[str]]) -> None:
    from sklearn.feature_extraction.text import CountVectorizer

    for kwargs in [dict(min_df=2, max_df=0.5), dict(min_df=3), dict(max_df=10), dict(max_features=50, min_df=2)]:
        ours = DocumentTermMatrix.from_tokens(tokens, **kwargs)
        cv = CountVectorizer(analyzer=lambda d: d, **kwargs)
        x = cv.fit_transform(word_lists)
        assert ours.vocabulary == cv.get_feature_names_out().tolist(), kwargs
        keep = np.asarray(x.sum(axis=1)).ravel() > 0
        assert (ours.matrix != x[keep]).nnz == 0, kwargs


def test_tfidf_matches_scikit_learn(tokens: Tokens) -> None:
    from sklearn.feature_extraction.text import TfidfTransformer

    dtm = DocumentTermMatrix.from_tokens(tokens, min_df=2)
    for sublinear in (False, True):
        expected = TfidfTransformer(sublinear_tf=sublinear).fit_transform(dtm.matrix)
        assert np.allclose(dtm.tfidf(sublinear_tf=sublinear).toarray(), expected.toarray(), atol=1e-12)


def test_stop_words_and_term_frequencies(tokens: Tokens, word_lists: list[list[str]]) -> None:
    dtm = DocumentTermMatrix.from_tokens(tokens, stop_words=["de", "la", "le", "les"])
    assert not {"de", "la", "le", "les"} & set(dtm.vocabulary)
    tf = dtm.term_frequencies()
    counts = Counter(w for d in word_lists for w in d if w not in {"de", "la", "le", "les"})
    top_term, top_count = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    assert (tf.loc[0, "term"], tf.loc[0, "count"]) == (top_term, top_count)
    assert tf.loc[0, "doc_freq"] == sum(top_term in d for d in word_lists)


def test_empty_documents_are_excluded_and_reported(word_lists: list[list[str]]) -> None:
    docs = [word_lists[0], [], ["zzz"], word_lists[1]]
    toks = Tokens.from_lists(docs, doc_ids=["a", "vide", "rare", "b"])
    with pytest.warns(UserWarning, match="2 of 4 documents have no tokens"):
        dtm = DocumentTermMatrix.from_tokens(toks, min_df=2)
    assert dtm.doc_ids == ["a", "b"]
    assert dtm.excluded["doc_id"].tolist() == ["vide", "rare"]
    assert dtm.excluded["reason"].tolist() == ["no tokens", "no tokens left after pruning the vocabulary"]
    assert dtm.metadata["doc_id"].tolist() == ["a", "b"]


def test_empty_vocabulary_names_the_parameters(tokens: Tokens) -> None:
    with pytest.raises(EmptyVocabularyError, match=r"min_df=1000.*max_df=1.0"):
        DocumentTermMatrix.from_tokens(tokens, min_df=1000)
    with pytest.raises(ValueError, match="proportion"):
        DocumentTermMatrix.from_tokens(tokens, max_df=1.5)


def test_gensim_and_sklearn_exports(tokens: Tokens, word_lists: list[list[str]]) -> None:
    dtm = DocumentTermMatrix.from_tokens(tokens)
    dictionary, bow = dtm.to_gensim()
    assert len(bow) == dtm.shape[0]
    assert sorted(dictionary.doc2bow(word_lists[3])) == sorted(bow[3])
    assert dictionary.num_docs == dtm.shape[0]
    assert dictionary.dfs[dictionary.token2id["article"]] == sum("article" in d for d in word_lists)
    x, names = dtm.to_sklearn()
    assert x.shape == (dtm.shape[0], len(names))
    assert sorted(dtm.to_word_lists()[5]) == sorted(word_lists[5])


def test_select_documents_and_save_load(tokens: Tokens, tmp_path: Path) -> None:
    dtm = DocumentTermMatrix.from_tokens(tokens, min_df=2)
    ids = [dtm.doc_ids[4], dtm.doc_ids[0]]
    sub = dtm.select_documents(ids)
    assert sub.doc_ids == ids
    assert (sub.matrix != dtm.matrix[[4, 0]]).nnz == 0
    assert sub.metadata["code"].tolist() == dtm.metadata["code"].iloc[[4, 0]].tolist()
    mask = np.zeros(dtm.shape[0], dtype=bool)
    mask[[1, 2]] = True
    assert dtm.select_documents(mask).doc_ids == dtm.doc_ids[1:3]
    with pytest.raises(KeyError, match="no document with id"):
        dtm.select_documents(["nope"])
    back = DocumentTermMatrix.load(dtm.save(tmp_path / "dtm.npz"))
    assert back.vocabulary == dtm.vocabulary and back.doc_ids == dtm.doc_ids
    assert (back.matrix != dtm.matrix).nnz == 0 and back.matrix.dtype == dtm.matrix.dtype
    pd.testing.assert_frame_equal(back.metadata, dtm.metadata)
    assert back.params == dtm.params


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["état", "droit", "paix", "guerre", "loi", "œuvre", "naïf"]), max_size=12), min_size=1, max_size=8))
def test_counts_property(docs: list[list[str]]) -> None:
    if not any(docs):
        with pytest.raises(EmptyVocabularyError):
            DocumentTermMatrix.from_tokens(Tokens.from_lists(docs))
        return
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dtm = DocumentTermMatrix.from_tokens(Tokens.from_lists(docs))
    kept = [d for d in docs if d]
    assert dtm.shape[0] == len(kept) and len(dtm.excluded) == len(docs) - len(kept)
    dense = dtm.matrix.toarray()
    for row, doc in zip(dense, kept):
        assert {t: c for t, c in zip(dtm.vocabulary, row) if c} == dict(Counter(doc))
    assert sp.issparse(dtm.matrix)


def test_group_sums_real_articles_by_code(tokens: Tokens) -> None:
    dtm = DocumentTermMatrix.from_tokens(tokens)
    meta = dtm.metadata.assign(kind=np.where(dtm.metadata["code"].str.contains("civil", case=False), "civil", "autre"))
    dtm = DocumentTermMatrix(dtm.matrix, dtm.vocabulary, dtm.doc_ids, meta)
    by_code = dtm.group("code")
    codes = sorted(dtm.metadata["code"].unique())
    assert by_code.doc_ids == codes
    assert by_code.vocabulary == dtm.vocabulary
    for code in codes:
        rows = np.flatnonzero(dtm.metadata["code"].to_numpy() == code)
        expected = np.asarray(dtm.matrix[rows].sum(axis=0)).ravel()
        got = by_code.matrix[by_code.doc_ids.index(code)].toarray().ravel()
        assert (got == expected).all()
    assert by_code.metadata["n_documents"].tolist() == [int((dtm.metadata["code"] == c).sum()) for c in codes]
    assert int(by_code.matrix.sum()) == int(dtm.matrix.sum())
    # "kind" is constant within a code, so it is kept; a varying column is dropped
    assert list(by_code.metadata.columns) == ["doc_id", "code", "kind", "n_documents"]
    assert by_code.excluded.empty and by_code.params["grouped_by"] == "code"


def test_group_reports_missing_values_and_empty_groups() -> None:
    matrix = sp.csr_matrix(np.array([[1, 0], [0, 0], [2, 3], [0, 1]]))
    meta = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "speaker": ["Mariton", "Taubira", "Mariton", None],
                         "party": ["UMP", None, "UMP", "SRC"]})
    dtm = DocumentTermMatrix(matrix, ["famille", "égalité"], meta["doc_id"], meta)
    with pytest.warns(UserWarning, match="1 documents without a value and 1 groups with no words"):
        speakers = dtm.group("speaker")
    assert speakers.doc_ids == ["Mariton"]
    assert speakers.matrix.toarray().tolist() == [[3, 3]]
    assert speakers.excluded.to_dict(orient="list") == {
        "doc_id": ["d", "Taubira"], "reason": ["no value in column 'speaker'", "group with no words (1 documents)"]}
    assert speakers.metadata["party"].tolist() == ["UMP"]
    assert [(d, stage) for d, stage, _ in speakers.provenance.skipped] == [("d", "group"), ("Taubira", "group")]
    with pytest.raises(KeyError, match="no metadata column 'orateur'"):
        dtm.group("orateur")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(["famille", "enfant", "égalité", "loi"]), min_size=1, max_size=6),
                          st.sampled_from(["UMP", "SRC", "UDI"])), min_size=1, max_size=10))
def test_group_preserves_counts_property(docs: list[tuple[list[str], str]]) -> None:
    toks = Tokens.from_lists([d for d, _ in docs])
    meta = toks.metadata
    meta["party"] = [p for _, p in docs]
    toks = toks.with_metadata(meta)
    dtm = DocumentTermMatrix.from_tokens(toks)
    grouped = dtm.group("party")
    assert grouped.doc_ids == sorted({p for _, p in docs})
    for party in grouped.doc_ids:
        words = Counter(w for d, p in docs if p == party for w in d)
        row = grouped.matrix[grouped.doc_ids.index(party)]
        assert {grouped.vocabulary[j]: int(c) for j, c in zip(row.indices, row.data)} == dict(words)
    assert grouped.metadata["n_documents"].sum() == len(docs)
