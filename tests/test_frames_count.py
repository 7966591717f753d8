"""discourse.frames.count: frame counts, rates with both denominators, intervals, groups and periods, compare."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from discourse import Corpus, Preprocessor
from discourse.frames import RATE_UNIT, FrameDictionary, compare, count_frames, document_counts, match_frames, progression, running_words
from discourse.tokens import Tokens

from text_helpers import all_tokens, make_tokens, read_an_debates, simple_tokens

DEFAULT = FrameDictionary.default()


def test_count_frames_overall(seed_reader_tokens: Tokens) -> None:
    t = count_frames(seed_reader_tokens, DEFAULT, ci="poisson")
    assert t.frame.tolist() == DEFAULT.frame_names  # every frame has a row, zero or not
    row = t.set_index("frame").loc["counter_terrorism"]
    assert row["count"] == 14 and row["tokens"] == seed_reader_tokens.n_tokens
    assert row["rate_per_10k"] == pytest.approx(14 / seed_reader_tokens.n_tokens * 1e4)
    assert row["ci_low"] < row["rate_per_10k"] < row["ci_high"]
    zero = t.set_index("frame").loc[["sovereignty", "security_threat", "state_of_emergency"]]
    assert (zero["count"] == 0).all() and (zero["rate_per_10k"] == 0).all() and (zero["doc_share"] == 0).all()
    assert (zero["ci_low"] == 0).all() and (zero["ci_high"] > 0).all()


def test_count_by_group_and_period_keeps_empty_cells(seed_text: str) -> None:
    paras = [p for p in seed_text.split("\n") if p.strip()]
    meta = pd.DataFrame({
        "doc_id": [f"p{i}" for i in range(len(paras))],
        "date": ["2019-03-01", "2019-03-02", "2019-05-10", "2019-05-11", "2019-05-12", None, "2019-05-20", "2019-05-21", "2019-05-22"][: len(paras)],
        "source": ["UE", "ONU"] * 4 + ["UE"],
    })
    toks = all_tokens(paras, meta.doc_id.tolist(), meta)
    with pytest.warns(UserWarning, match="1 documents left out"):
        t = count_frames(toks, DEFAULT, freq="M", ci="bootstrap", n_boot=200)
    assert t.attrs["skipped"][0]["doc_id"] == "p5"
    ct = t[t.frame == "counter_terrorism"]
    assert [str(p) for p in ct.period] == ["2019-03", "2019-04", "2019-05"]
    april = ct[ct.period.astype(str) == "2019-04"].iloc[0]
    assert april["count"] == 0 and april["tokens"] == 0 and np.isnan(april["rate_per_10k"]) and april["no_tokens"]
    assert not ct[ct.period.astype(str) == "2019-05"].iloc[0]["no_tokens"]
    # totals over periods equal the counts of the dated documents
    per_doc = document_counts(toks, DEFAULT)
    expected = per_doc[(per_doc.frame == "counter_terrorism") & per_doc.doc_id.isin(meta.doc_id[meta.date.notna()])]["count"].sum()
    assert ct["count"].sum() == expected
    with pytest.warns(UserWarning, match="left out"):
        by = count_frames(toks, DEFAULT, by="source", freq="M", ci=None)
    assert len(by) == len(DEFAULT) * 2 * 3  # 2 sources × 3 months, empty cells included


def test_bootstrap_is_reproducible_and_brackets_rate(seed_text: str) -> None:
    paras = [p for p in seed_text.split("\n") if p.strip()]
    toks = all_tokens(paras)
    a = count_frames(toks, DEFAULT, n_boot=300, random_state=1)
    b = count_frames(toks, DEFAULT, n_boot=300, random_state=1)
    pd.testing.assert_frame_equal(a, b)
    row = a.set_index("frame").loc["counter_terrorism"]
    assert row.ci_low <= row.rate_per_10k <= row.ci_high
    assert row.doc_share == pytest.approx(sum(bool(re.search("terroris", p)) for p in paras) / len(paras))


def test_compare_groups(seed_text: str) -> None:
    paras = [p for p in seed_text.split("\n") if p.strip()]
    meta = pd.DataFrame({"doc_id": [f"p{i}" for i in range(len(paras))], "half": ["first"] * 4 + ["second"] * (len(paras) - 4)})
    toks = all_tokens(paras, meta.doc_id.tolist(), meta)
    t = compare(toks, DEFAULT, {"half": "first"}, {"half": "second"}, labels=("first", "second")).set_index("frame")
    first = toks.select_documents(np.arange(4))
    assert t.loc["counter_terrorism", "count_first"] == match_frames(first, DEFAULT.select("counter_terrorism")).shape[0]
    assert t.loc["counter_terrorism", "tokens_first"] == first.n_tokens
    from scipy.stats import chi2_contingency

    a, b = t.loc["counter_terrorism", ["count_first", "count_second"]]
    n1, n2 = t.loc["counter_terrorism", ["tokens_first", "tokens_second"]]
    g, p, *_ = chi2_contingency([[a, b], [n1 - a, n2 - b]], correction=False, lambda_="log-likelihood")
    assert t.loc["counter_terrorism", "g2"] == pytest.approx(g)
    assert t.loc["counter_terrorism", "p_value"] == pytest.approx(p)
    assert t.loc["counter_terrorism", "ci_low"] < t.loc["counter_terrorism", "log_ratio"] < t.loc["counter_terrorism", "ci_high"]


# ---------------------------------------------------------------------- bad input
def test_empty_corpus_is_an_error() -> None:
    empty = Tokens.from_lists([], doc_ids=[])
    with pytest.raises(ValueError, match="empty corpus"):
        count_frames(empty, DEFAULT)
    no_tokens = Tokens.from_lists([[], []], doc_ids=["a", "b"])
    with pytest.raises(ValueError, match="hold no tokens"):
        count_frames(no_tokens, DEFAULT)


def test_group_with_no_tokens(seed_text: str) -> None:
    meta = pd.DataFrame({"doc_id": ["a", "b"], "group": ["UMP", "SRC"]})
    toks = Tokens.from_documents([simple_tokens(seed_text), []], ["a", "b"], metadata=meta, texts=[seed_text, ""])
    t = count_frames(toks, DEFAULT, by="group")
    src = t[t.group == "SRC"]
    assert len(src) == len(DEFAULT) and src.no_tokens.all() and src.rate_per_10k.isna().all() and (src["count"] == 0).all()
    assert (src.n_docs == 1).all()
    with pytest.raises(ValueError, match="group 'SRC' selects 1 documents but they hold no tokens"):
        compare(toks, DEFAULT, {"group": "UMP"}, {"group": "SRC"}, labels=("UMP", "SRC"))
    with pytest.raises(ValueError, match="selects no documents"):
        compare(toks, DEFAULT, {"group": "UDI"}, labels=("UDI", "rest"))


def test_unobserved_category_gets_zero_rows(seed_text: str) -> None:
    meta = pd.DataFrame({"doc_id": ["a"], "group": pd.Categorical(["UMP"], categories=["SRC", "UMP"])})
    toks = all_tokens([seed_text], ["a"], meta)
    t = count_frames(toks, DEFAULT, by="group", ci="poisson")
    src = t[t.group == "SRC"]
    assert len(src) == len(DEFAULT) and (src.n_docs == 0).all() and src.no_tokens.all() and src.rate_per_10k.isna().all()


def test_frame_with_no_hits_reported_as_zero(seed_reader_tokens: Tokens) -> None:
    d = FrameDictionary.from_patterns(["souverainisme"], frame="sovereignism")
    assert match_frames(seed_reader_tokens, d).empty
    t = count_frames(seed_reader_tokens, d)
    assert t.frame.tolist() == ["sovereignism"] and t["count"].tolist() == [0]


def test_bad_arguments(seed_reader_tokens: Tokens) -> None:
    with pytest.raises(ValueError, match=r"freq='fortnight' is not one of \['D', 'W', 'M', 'Q', 'Y', 'A'\]"):
        count_frames(seed_reader_tokens, DEFAULT, freq="fortnight")
    with pytest.raises(KeyError, match="date"):
        count_frames(seed_reader_tokens, DEFAULT, freq="M")
    with pytest.raises(KeyError, match="no metadata column 'party'"):
        count_frames(seed_reader_tokens, DEFAULT, by="party")
    with pytest.raises(ValueError, match=r"ci='jackknife' is not one of \['bootstrap', 'poisson'\]"):
        count_frames(seed_reader_tokens, DEFAULT, ci="jackknife")


def test_frames_by_group_on_debate(mariage_bill: Tokens) -> None:
    n_missing = int(mariage_bill.metadata.group.isna().sum())
    assert n_missing > 0  # speakers without a group (e.g. unaffiliated turns) are reported, not dropped silently
    with pytest.warns(UserWarning, match=f"{n_missing} documents left out"):
        t = count_frames(mariage_bill, None, by="group", n_boot=200)
    assert len(t.attrs["skipped"]) == n_missing
    assert set(t.group) == set(mariage_bill.metadata.group.dropna())
    assert len(t) == len(FrameDictionary.default()) * t.group.nunique()
    hr = t[t.frame == "human_rights"].set_index("group")
    assert hr["count"].sum() > 0
    ok = hr[hr.n_docs > 1]
    assert ((ok.ci_low <= ok.rate_per_10k) & (ok.rate_per_10k <= ok.ci_high)).all()


def test_state_of_emergency_peaks_after_november_2015(data_home) -> None:
    # sittings from September 2015 to March 2016 (the attacks of 13 November, the law of 20 November,
    # the extension and the constitutional bill of February 2016)
    texts, meta = read_an_debates(data_home, "2015-09-01", "2016-04-01")
    toks = make_tokens(texts, meta.doc_id.tolist(), meta)
    t = count_frames(toks, FrameDictionary.default().select(["state_of_emergency", "counter_terrorism"]), freq="M", n_boot=300)
    soe = t[t.frame == "state_of_emergency"].set_index(t[t.frame == "state_of_emergency"].period.astype(str))
    assert soe.index.tolist() == ["2015-09", "2015-10", "2015-11", "2015-12", "2016-01", "2016-02", "2016-03"]
    assert soe.loc["2015-09", "count"] + soe.loc["2015-10", "count"] <= 2
    peak = soe.rate_per_10k.idxmax()
    assert peak in {"2015-11", "2016-02"}
    # the peak's interval lies above the rate of the months before the attacks
    assert soe.loc[peak, "ci_low"] > soe.loc[["2015-09", "2015-10"], "ci_high"].max()
    ct = t[t.frame == "counter_terrorism"]
    assert (ct.ci_low <= ct.rate_per_10k).all() and (ct.rate_per_10k <= ct.ci_high).all()


PRE = Preprocessor(progress=False)


def test_rates_carry_both_denominators() -> None:
    texts = ["Le terrorisme et la menace terroriste. La sécurité des Français d'abord.", "Rien à signaler ici."]
    meta = pd.DataFrame({"doc_id": ["a", "b"], "group": ["x", "y"], "date": ["2015-01-05", "2015-02-05"]})
    toks = PRE.transform(Corpus.from_texts(texts, ids=["a", "b"], metadata=meta))
    words = running_words(toks)
    assert words.tolist() == [11.0, 4.0]  # whitespace words holding a letter (« d'abord » is one)
    t = count_frames(toks, DEFAULT, ci=None).set_index("frame")
    row = t.loc["counter_terrorism"]
    assert row["words"] == 15.0 and row["tokens"] == toks.n_tokens
    assert row["rate_per_10k"] == pytest.approx(row["count"] / toks.n_tokens * 10_000)
    assert row["rate_per_10k_words"] == pytest.approx(row["count"] / 15 * 10_000)
    assert t.attrs["rate_unit"] == RATE_UNIT == "per 10,000 content tokens (stop words removed)"
    by = count_frames(toks, DEFAULT, by="group", freq="M", ci="poisson")
    assert by.attrs["rate_unit"] == RATE_UNIT
    assert by.groupby("group")["words"].max().tolist() == [11.0, 4.0]
    c = compare(toks, DEFAULT, {"group": "x"}, labels=("x", "y"))
    assert c["words_x"].iloc[0] == 11.0 and c.attrs["rate_unit"] == RATE_UNIT
    p = progression(toks, "terroris*", freq="M")
    assert p.attrs["rate_unit"] == RATE_UNIT  # count_frames' attrs survive the renaming
    per_doc = document_counts(toks, DEFAULT)
    assert per_doc.query("doc_id == 'b'")["words"].unique().tolist() == [4.0]


def test_rate_unit_without_stop_word_removal_and_without_texts() -> None:
    toks = Preprocessor(progress=False, stop_words=None, keep_texts=False).transform(Corpus.from_texts(["la menace terroriste"]))
    t = count_frames(toks, DEFAULT, ci=None)
    assert t.attrs["rate_unit"] == "per 10,000 tokens (after the preprocessing's filters)"
    assert np.isnan(t["words"]).all() and np.isnan(t["rate_per_10k_words"]).all()


def test_frame_counts_join_in_place_equals_concat(mariage_bill: Tokens) -> None:
    from discourse.frames.count import FrameCounts, frame_counts

    n = len(mariage_bill.doc_ids)
    cuts = [0, n // 3, n // 2, n]
    parts = [frame_counts(mariage_bill.select_documents(np.arange(a, b))) for a, b in zip(cuts, cuts[1:])]
    whole = frame_counts(mariage_bill)
    joined = FrameCounts.join(iter(parts), n)
    assert joined.doc_ids == whole.doc_ids
    for name in ("counts", "excluded", "lengths", "rule_uses"):
        assert np.array_equal(getattr(joined, name), getattr(whole, name)), name
    assert np.array_equal(joined.words, whole.words, equal_nan=True)
    assert int(joined.counts.sum()) > 0
    pd.testing.assert_frame_equal(joined.metadata, whole.metadata)
    with pytest.raises(ValueError, match=f"hold {n} documents, not the {n + 1} announced"):
        FrameCounts.join(iter(parts), n + 1)
    with pytest.raises(ValueError, match="more than the 10 documents announced"):
        FrameCounts.join(iter(parts), 10)
    with pytest.raises(ValueError, match="no counts to join"):
        FrameCounts.join(iter([]), 0)
