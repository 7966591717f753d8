"""discourse.lexicometry.keyness: keyness against scipy, Lafon specificities against the hypergeometric law."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sst

from discourse.frames import keyness, specificities
from discourse.tokens import Tokens


def test_keyness_ump_vs_src_against_scipy(mariage_bill: Tokens) -> None:
    ump, src = {"group": "UMP"}, {"group": "SRC"}
    k = keyness(mariage_bill, ump, reference_mask=src, min_count=10)
    groups = mariage_bill.metadata["group"].to_numpy(dtype=object)
    lem = mariage_bill.values("lemma")
    doc = mariage_bill.doc_index()
    in_ump, in_src = groups[doc] == "UMP", groups[doc] == "SRC"
    n1, n2 = int(in_ump.sum()), int(in_src.sum())
    assert (k.attrs["tokens_target"], k.attrs["tokens_reference"]) == (n1, n2)
    for _, row in pd.concat([k.head(3), k.tail(3)]).iterrows():
        a = int((lem[in_ump] == row.term).sum())
        b = int((lem[in_src] == row.term).sum())
        assert (row.count_target, row.count_reference) == (a, b)
        g, p, *_ = sst.chi2_contingency([[a, b], [n1 - a, n2 - b]], correction=False, lambda_="log-likelihood")
        assert row.g2 == pytest.approx(g) and row.p_value == pytest.approx(p)
        assert row.chi2 == pytest.approx(sst.chi2_contingency([[a, b], [n1 - a, n2 - b]], correction=False)[0])
    # sorted: UMP's key terms first, SRC's last; effect sign agrees with the rates
    assert k.score.is_monotonic_decreasing
    assert (k.head(20).effect == "target").all() and (k.tail(20).effect == "reference").all()
    assert ((k.rate_target > k.rate_reference) == (k.effect == "target")).all()
    assert (k["count_target"] + k["count_reference"]).min() >= 10


def test_keyness_measures_sort_differently(mariage_bill: Tokens) -> None:
    lrc = keyness(mariage_bill, {"group": "UMP"}, "lrc", reference_mask={"group": "SRC"}, min_count=10)
    lr = keyness(mariage_bill, {"group": "UMP"}, "log_ratio", reference_mask={"group": "SRC"}, min_count=10)
    assert lrc.lrc.is_monotonic_decreasing and lr.log_ratio.is_monotonic_decreasing
    # LRC is conservative: never further from zero than the log ratio of the same term
    merged = lrc.set_index("term").join(lr.set_index("term")[["log_ratio"]].rename(columns={"log_ratio": "log_ratio_2"}))
    assert (merged.lrc.abs() <= merged.log_ratio_2.abs() + 1e-9).all()
    with pytest.raises(ValueError, match=r"measure='tfidf' is not one of \['g2'"):
        keyness(mariage_bill, {"group": "UMP"}, "tfidf")


def test_keyness_bad_masks(mariage_bill: Tokens) -> None:
    with pytest.raises(ValueError, match="share"):
        keyness(mariage_bill, {"group": "UMP"}, reference_mask={"group": ["UMP", "SRC"]})
    with pytest.raises(ValueError, match="selects no documents"):
        keyness(mariage_bill, {"group": "FN"})
    with pytest.raises(ValueError, match="mask has 3 values"):
        keyness(mariage_bill, [True, False, True])


def test_specificities_against_hypergeometric(mariage_bill: Tokens) -> None:
    sp = specificities(mariage_bill, "group", min_count=10)
    parts = sorted(mariage_bill.metadata.group.dropna().unique())
    assert sp.part.unique().tolist() == parts
    total = sp.attrs["total_tokens"]
    assert total == sum(mariage_bill.lengths[(mariage_bill.metadata.group == p).to_numpy()].sum() for p in parts)
    # every (part, term) cell adds up: counts over parts = term total
    sums = sp.groupby("term")["count"].sum()
    assert (sums == sp.groupby("term")["term_total"].first()).all()
    for part in ("UMP", "SRC"):
        g = sp[sp.part == part]
        assert g.specificity.is_monotonic_decreasing
        top, bottom = g.iloc[0], g.iloc[-1]
        assert top.specificity == pytest.approx(-np.log10(sst.hypergeom.sf(top["count"] - 1, total, top.term_total, top.part_tokens)), rel=1e-6)
        assert bottom.specificity == pytest.approx(np.log10(sst.hypergeom.cdf(bottom["count"], total, bottom.term_total, bottom.part_tokens)), rel=1e-6)
        assert top["count"] > top.expected and bottom["count"] < bottom.expected
    # a part's score is positive exactly where the term is above its expected count
    assert ((sp.specificity > 0) == (sp["count"] >= sp.expected)).all()


def test_specificities_part_without_tokens(seed_text: str) -> None:
    meta = pd.DataFrame({"doc_id": ["a", "b"], "group": ["UMP", "SRC"]})
    toks = Tokens.from_lists([seed_text.split(), []], metadata=meta)
    with pytest.raises(ValueError, match="part 'SRC' of column 'group' holds no tokens"):
        specificities(toks, "group", min_count=1)
