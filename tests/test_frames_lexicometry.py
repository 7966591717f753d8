"""Keyness, specificities and frames × topics on the "mariage pour tous" debate; AN sittings over time."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sst
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import CountVectorizer
from test_frames_helpers import make_tokens, read_an_debates, read_mariage

from discourse.frames import FrameDictionary, count_frames, frames_by_topic, keyness, specificities, topics_for_frame
from discourse.tokens import Tokens


@pytest.fixture(scope="module")
def mariage(data_home) -> Tokens:
    # the first four sittings (29-31 January 2013), speeches on the bill only
    texts, meta = read_mariage(data_home, sittings=4)
    return make_tokens(texts, meta.doc_id.tolist(), meta)


def test_keyness_ump_vs_src_against_scipy(mariage: Tokens) -> None:
    ump, src = {"group": "UMP"}, {"group": "SRC"}
    k = keyness(mariage, ump, reference_mask=src, min_count=10)
    groups = mariage.metadata["group"].to_numpy(dtype=object)
    lem = mariage.values("lemma")
    doc = mariage.doc_index()
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


def test_keyness_measures_sort_differently(mariage: Tokens) -> None:
    lrc = keyness(mariage, {"group": "UMP"}, "lrc", reference_mask={"group": "SRC"}, min_count=10)
    lr = keyness(mariage, {"group": "UMP"}, "log_ratio", reference_mask={"group": "SRC"}, min_count=10)
    assert lrc.lrc.is_monotonic_decreasing and lr.log_ratio.is_monotonic_decreasing
    # LRC is conservative: never further from zero than the log ratio of the same term
    merged = lrc.set_index("term").join(lr.set_index("term")[["log_ratio"]].rename(columns={"log_ratio": "log_ratio_2"}))
    assert (merged.lrc.abs() <= merged.log_ratio_2.abs() + 1e-9).all()
    with pytest.raises(ValueError, match=r"measure='tfidf' is not one of \['g2'"):
        keyness(mariage, {"group": "UMP"}, "tfidf")


def test_keyness_bad_masks(mariage: Tokens) -> None:
    with pytest.raises(ValueError, match="share"):
        keyness(mariage, {"group": "UMP"}, reference_mask={"group": ["UMP", "SRC"]})
    with pytest.raises(ValueError, match="selects no documents"):
        keyness(mariage, {"group": "FN"})
    with pytest.raises(ValueError, match="mask has 3 values"):
        keyness(mariage, [True, False, True])


def test_specificities_against_hypergeometric(mariage: Tokens) -> None:
    sp = specificities(mariage, "group", min_count=10)
    parts = sorted(mariage.metadata.group.dropna().unique())
    assert sp.part.unique().tolist() == parts
    total = sp.attrs["total_tokens"]
    assert total == sum(mariage.lengths[(mariage.metadata.group == p).to_numpy()].sum() for p in parts)
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


def test_frames_by_group_on_debate(mariage: Tokens) -> None:
    n_missing = int(mariage.metadata.group.isna().sum())
    assert n_missing > 0  # speakers without a group (e.g. unaffiliated turns) are reported, not dropped silently
    with pytest.warns(UserWarning, match=f"{n_missing} documents left out"):
        t = count_frames(mariage, None, by="group", n_boot=200)
    assert len(t.attrs["skipped"]) == n_missing
    assert set(t.group) == set(mariage.metadata.group.dropna())
    assert len(t) == len(FrameDictionary.default()) * t.group.nunique()
    hr = t[t.frame == "human_rights"].set_index("group")
    assert hr["count"].sum() > 0
    ok = hr[hr.n_docs > 1]
    assert ((ok.ci_low <= ok.rate_per_10k) & (ok.rate_per_10k <= ok.ci_high)).all()


def test_frames_by_topic_with_a_fitted_model(mariage: Tokens) -> None:
    docs = [" ".join(d) for d in mariage.to_lists("lemma")]
    vec = CountVectorizer(min_df=5, token_pattern=r"[^ ]+")
    x = vec.fit_transform(docs)
    # any fitted model with doc_topics_ and doc_ids_ will do: NMF weights normalised per document
    w = NMF(n_components=4, init="nndsvda", random_state=0, max_iter=300).fit_transform(x)
    keep = w.sum(axis=1) > 0
    theta = np.where(keep[:, None], w / np.where(keep, w.sum(axis=1), 1)[:, None], 0.25)
    model = SimpleNamespace(doc_topics_=theta, doc_ids_=list(mariage.doc_ids))
    t = frames_by_topic(mariage, None, model)
    assert len(t) == 4 * len(FrameDictionary.default())
    # weighted counts over topics add up to the frame's total hits (proportions sum to 1)
    from discourse.frames import document_counts

    per_doc = document_counts(mariage, None)
    totals = per_doc.groupby("frame")["count"].sum()
    assert t.groupby("frame").weighted_count.sum().to_dict() == pytest.approx(totals.astype(float).to_dict())
    assert t.weighted_tokens.groupby(t.frame).sum().iloc[0] == pytest.approx(mariage.n_tokens)
    top = topics_for_frame(mariage, None, model, "human_rights")
    assert top.share_with_frame.is_monotonic_decreasing and top.n_docs.iloc[0] == (per_doc[(per_doc.frame == "human_rights")]["count"] > 0).sum()
    assert top.share_all.sum() == pytest.approx(1.0)
    # documents unknown to the model are reported, not silently used
    partial = SimpleNamespace(doc_topics_=theta[:-5], doc_ids_=list(mariage.doc_ids)[:-5])
    with pytest.warns(UserWarning, match="5 documents not in model"):
        frames_by_topic(mariage, None, partial)
    with pytest.raises(TypeError, match="doc_topics_"):
        frames_by_topic(mariage, None, object())


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
