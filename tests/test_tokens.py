"""The Tokens container: columns, filters, audit, subsets and the npz round trip."""

from __future__ import annotations

import zipfile

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discourse.tokens import Token, Tokens


def _seed_tokens(seed_text: str) -> Tokens:
    # Whitespace tokens of the real seed article, with true offsets, one document a line.
    docs, ids, texts = [], [], []
    for i, line in enumerate(seed_text.splitlines()):
        pos, doc = 0, []
        for word in line.split():
            start = line.index(word, pos)
            pos = start + len(word)
            doc.append(Token(word, word.lower(), None, start, pos, word.lower() in {"de", "la", "le", "et", "des"}))
        docs.append(doc)
        ids.append(f"line{i}")
        texts.append(line)
    meta = pd.DataFrame({"doc_id": ids, "part": ["title"] + ["body"] * (len(ids) - 1)})
    return Tokens.from_documents(docs, ids, metadata=meta, texts=texts)


def test_columns_point_back_into_the_text(seed_text):
    toks = _seed_tokens(seed_text)
    assert len(toks) == len(seed_text.splitlines()) == 9
    assert toks.n_tokens == sum(len(line.split()) for line in seed_text.splitlines())
    for doc in toks:
        for t in doc:
            assert doc.text[t.start : t.end] == t.form
    title = toks[0]
    assert title.forms[:3] == ["L’UE", "et", "l’ONU"]
    assert title.lemmas[-1] == "terrorisme"
    assert toks["line0"].doc_id == "line0"


def test_filter_stop_words_and_audit(seed_text):
    toks = _seed_tokens(seed_text)
    n_stop = int(toks.is_stop.sum())
    out = toks.filter(stop_words=True, min_length=4)
    assert out.n_tokens < toks.n_tokens - n_stop + 1
    audit = out.audit
    assert audit["stage"].tolist() == ["filter stop words", "filter min_length=4"]
    assert audit.loc[0, "removed"] == n_stop
    assert audit.loc[0, "tokens_after"] == audit.loc[1, "tokens_before"]
    assert "de" not in {lem for doc in out.to_lists() for lem in doc}
    # the original is untouched
    assert toks.audit.empty and toks.n_tokens == out.audit.loc[0, "tokens_before"]


def test_min_count_keeps_frequent_lemmas(seed_text):
    toks = _seed_tokens(seed_text)
    out = toks.filter(min_count=5)
    counts = pd.Series([lem for doc in toks.to_lists() for lem in doc]).value_counts()
    expected = set(counts[counts >= 5].index)
    assert {lem for doc in out.to_lists() for lem in doc} == expected
    assert "terrorisme" in expected  # 8 occurrences in the article


def test_pos_filter_needs_tags(seed_text):
    with pytest.raises(ValueError, match="no POS tags"):
        _seed_tokens(seed_text).filter(pos=["NOUN"])


def test_select_groupby_and_empty_documents():
    toks = Tokens.from_lists([["état", "de", "droit"], [], ["multilatéralisme"]], doc_ids=["a", "b", "c"])
    assert toks.lengths.tolist() == [3, 0, 1]
    assert toks.select_documents([2, 0]).to_lists() == [["multilatéralisme"], ["état", "de", "droit"]]
    assert toks.select_documents(np.array([False, True, False])).to_lists() == [[]]
    filtered = toks.filter(min_length=3)
    assert filtered.to_lists() == [["état", "droit"], [], ["multilatéralisme"]]
    meta = pd.DataFrame({"doc_id": ["a", "b", "c"], "group": ["UMP", "SRC", "UMP"]})
    grouped = dict(Tokens.from_lists(toks.to_lists(), metadata=meta).groupby("group"))
    assert grouped["UMP"].doc_ids == ["a", "c"] and grouped["SRC"].n_tokens == 0


def test_map_lemmas_records_changes():
    toks = Tokens.from_lists([["ONU", "et", "Nations unies"], ["ONU"]])
    out = toks.map_lemmas({"ONU": "Nations unies"}, "aliases")
    assert out.to_lists() == [["Nations unies", "et", "Nations unies"], ["Nations unies"]]
    assert out.to_lists("form") == toks.to_lists("form")
    assert out.audit.loc[0, "changed"] == 2


def test_save_load_round_trip(tmp_path, seed_text):
    toks = _seed_tokens(seed_text).filter(stop_words=True)
    path = toks.save(tmp_path / "seed.npz")
    back = Tokens.load(path)
    assert back.doc_ids == toks.doc_ids
    assert back.to_lists() == toks.to_lists()
    assert back.to_lists("form") == toks.to_lists("form")
    np.testing.assert_array_equal(back.starts, toks.starts)
    np.testing.assert_array_equal(back.sents, toks.sents)
    assert back.texts == toks.texts
    pd.testing.assert_frame_equal(back.audit, toks.audit)
    assert back.metadata["part"].tolist() == toks.metadata["part"].tolist()
    # data only: the container holds JSON, plain .npy arrays (no object dtype) and Parquet
    with zipfile.ZipFile(path) as zf:
        assert "arrays/codes_lemma.npy" in zf.namelist() and "info.json" in zf.namelist()
        with zf.open("arrays/codes_lemma.npy") as fh:
            assert np.load(fh, allow_pickle=False).dtype == np.int32


words = st.lists(st.text(alphabet="abcdeéèàçôÉ'-", min_size=1, max_size=8), max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(words, max_size=6), st.integers(min_value=1, max_value=6))
def test_filters_keep_order_and_offsets(documents, min_length):
    toks = Tokens.from_lists(documents)
    out = toks.filter(min_length=min_length)
    assert out.to_lists() == [[w for w in doc if len(w) >= min_length] for doc in documents]
    for doc in out:
        for t in doc:
            assert doc.text[t.start : t.end] == t.form
