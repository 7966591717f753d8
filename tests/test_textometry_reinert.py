"""Reinert classification: split primitives checked by brute force, a hand-worked corpus, a
simulation with known classes, determinism, bad input, save/load, and a slice of real text."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy.stats import chi2_contingency

import discourse
from discourse import storage
from discourse.textometry import Reinert
from discourse.textometry.reinert import best_cut, first_axis_order, reassign, select_terms, split_chi2
from discourse.textometry.segments import segment_bounds
from discourse.tokens import Tokens


def _chi2_of(x: np.ndarray, in1: np.ndarray) -> float:
    table = np.vstack([x[in1].sum(axis=0), x[~in1].sum(axis=0)])
    return float(chi2_contingency(table, correction=False)[0])


def _random_binary(seed, m=9, p=7):
    rng = np.random.default_rng(seed)
    x = (rng.random((m, p)) < 0.4).astype(float)
    x[x.sum(axis=1) == 0, 0] = 1
    x[:, x.sum(axis=0) == 0] = 0
    x = x[:, x.sum(axis=0) > 0]
    return x


@pytest.mark.parametrize("seed", range(5))
def test_split_chi2_and_best_cut_match_scipy(seed):
    x = _random_binary(seed)
    total = x.sum(axis=0)
    in1 = np.zeros(len(x), dtype=bool)
    in1[:4] = True
    assert split_chi2(x[in1].sum(axis=0), total) == pytest.approx(_chi2_of(x, in1), rel=1e-12)
    order = first_axis_order(sp.csr_matrix(x))
    k, chi = best_cut(sp.csr_matrix(x), order)
    brute = []
    for cut in range(1, len(x)):
        mask = np.zeros(len(x), dtype=bool)
        mask[order[:cut]] = True
        brute.append(_chi2_of(x, mask))
    assert chi == pytest.approx(max(brute), rel=1e-12)
    assert k == int(np.argmax(brute)) + 1


@pytest.mark.parametrize("seed", range(5))
def test_reassign_reaches_a_local_optimum(seed):
    x = _random_binary(seed + 10, m=12, p=8)
    xs = sp.csr_matrix(x)
    in1 = np.zeros(len(x), dtype=bool)
    in1[::2] = True
    start = _chi2_of(x, in1)
    out, chi, moves = reassign(xs, in1, start)
    assert chi == pytest.approx(_chi2_of(x, out), rel=1e-10)
    assert chi >= start
    # no single move raises the χ² any more (the incremental gains were kept right)
    for i in range(len(x)):
        flip = out.copy()
        flip[i] = not flip[i]
        if flip.any() and (~flip).any():
            assert _chi2_of(x, flip) <= chi * (1 + 1e-9)


def test_select_terms_rule():
    # term 0 balanced (kept in both), term 1 over-represented in half 1 only, term 2 too rare (tsj)
    keep1, keep2 = select_terms(np.array([6.0, 9.0, 1.0]), np.array([3.0, 1.0, 1.0]), cc_test=0.3, tsj=3)
    assert keep1.tolist() == [True, True, False]
    assert keep2.tolist() == [True, False, False]


# A hand-worked corpus: three blocks of four units, each block with its own words, one word
# shared by all. With whole documents as units, the first split must cut one block from the
# other two at χ² = 16 + 16·... (checked against scipy below), the second split the remaining two.
BLOCKS = {
    "A": ["mariage", "égalité", "couple"],
    "B": ["filiation", "adoption", "enfant"],
    "C": ["amendement", "article", "séance"],
}


def _hand_tokens():
    docs, ids, labels = [], [], []
    for label, words in BLOCKS.items():
        for i in range(4):
            # every unit holds its block's words but one (so units differ) and the shared word
            docs.append([w for j, w in enumerate(words) if j != i % 3] + ["loi"])
            ids.append(f"{label}{i}")
            labels.append(label)
    meta = pd.DataFrame({"doc_id": ids, "block": labels})
    return Tokens.from_lists(docs, doc_ids=ids, metadata=meta), labels


def test_hand_worked_two_splits():
    toks, labels = _hand_tokens()
    r = Reinert(n_classes=3, segment_size=50, min_segment_size=0, min_df=1, tsj=1, min_split_members=3).fit(toks)
    assert len(r.segments_) == 12 and r.segments_["class"].notna().all()
    classes = r.segments_["class"].astype(int).tolist()
    # each block is one class
    groups = {lab: {c for c, l2 in zip(classes, labels) if l2 == lab} for lab in BLOCKS}
    assert all(len(g) == 1 for g in groups.values()) and len(set.union(*groups.values())) == 3
    # the first split isolates one block: presence table of 12 units × 10 terms, one block (4
    # units, 8 ones) against the rest (8 units, 16 ones + the shared word); χ² by scipy
    x = np.zeros((12, 10))
    vocab = sorted({w for ws in BLOCKS.values() for w in ws} | {"loi"})
    for u, d in enumerate(toks.to_lists()):
        for w in d:
            x[u, vocab.index(w)] = 1
    # by hand: n = 36 ones, one block holds s1 = 12 of them (8 block words + 4 "loi");
    # Σ T1²/T = 2²/2 + 3²/3 + 3²/3 + 4²/12 = 28/3, so χ² = 36²/(12·24) (28/3 − 12²/36) = 24;
    # the second split of the other 8 units (24 ones, 12 a side, Σ = 8 + 4²/8 = 10): 24²/144 (10 − 6) = 16
    splits = r.tree_.dropna(subset=["chi2"]).sort_values("node")
    assert splits["chi2"].tolist() == pytest.approx([24.0, 16.0], rel=1e-12)
    assert splits["size"].tolist() == [12, 8]
    block_mask = np.array([l2 == labels[0] for l2 in labels])  # any block gives the same χ² by symmetry
    assert _chi2_of(x, block_mask) == pytest.approx(24.0, rel=1e-12)
    # profiles: each class's top terms are its block's words
    for k in range(1, 4):
        top = set(r.profile(k, 3)["term"])
        assert any(top == set(ws) for ws in BLOCKS.values())
    # every class has its doc, documents get their class
    assert r.doc_classes_.notna().all()


def test_simulation_with_known_classes():
    """Four topics with their own vocabularies plus common words: classes recover the topics."""
    rng = np.random.default_rng(3)
    topics = [[f"t{k}_{i}" for i in range(30)] for k in range(4)]
    common = [f"c{i}" for i in range(40)]
    docs, labels = [], []
    for d in range(240):
        k = d % 4
        words = list(rng.choice(topics[k], 12)) + list(rng.choice(common, 8))
        docs.append([str(w) for w in rng.permutation(words)])
        labels.append(k)
    toks = Tokens.from_lists(docs, doc_ids=[f"d{i}" for i in range(240)])
    r = Reinert(n_classes=4, segment_size=40, min_segment_size=0, min_df=3).fit(toks)
    from sklearn.metrics import adjusted_rand_score
    pred = r.doc_classes_.to_numpy(dtype=float)
    ok = ~np.isnan(pred)
    assert ok.mean() > 0.95
    assert adjusted_rand_score(np.array(labels)[ok], pred[ok]) > 0.9


def test_segmentation_cuts_at_punctuation():
    text = "Le mariage est un droit. Les enfants ont des droits, et les parents aussi ; la loi change tout."
    toks = discourse.Preprocessor(backend="fast", stop_words=None, progress=False).transform(discourse.Corpus.from_texts([text]))
    seg = segment_bounds(toks, 5)
    # the first cut falls after "droit" (sentence end, 5th token)
    assert seg["end"].iloc[0] == 5
    assert seg["end"].iloc[-1] == toks.n_tokens


def test_deterministic_and_save_load(tmp_path):
    toks, _ = _hand_tokens()
    params = dict(n_classes=3, segment_size=50, min_segment_size=0, min_df=1, tsj=1, min_split_members=3)
    a = Reinert(**params).fit(toks)
    b = Reinert(**params).fit(toks)
    pd.testing.assert_frame_equal(a.segments_, b.segments_)
    pd.testing.assert_frame_equal(a.profiles_, b.profiles_)
    path = a.save(tmp_path / "reinert.discourse")
    c = Reinert.load(path)
    pd.testing.assert_frame_equal(c.segments_, a.segments_)
    pd.testing.assert_frame_equal(c.profiles_, a.profiles_)
    pd.testing.assert_series_equal(c.doc_classes_, a.doc_classes_)
    assert c.get_params() == a.get_params()
    with pytest.raises(storage.ModelFileError):
        storage.load(path, expected=discourse.CA)


def test_bad_input_and_unclassified_reported():
    toks, _ = _hand_tokens()
    with pytest.raises(ValueError, match="only 12 context units .* n_classes=20"):
        Reinert(n_classes=20, segment_size=50, min_segment_size=0, min_df=1).fit(toks)
    with pytest.raises(ValueError, match="n_classes"):
        Reinert(n_classes=1).fit(toks)
    with pytest.raises(TypeError, match="Tokens"):
        Reinert().fit(["pas", "des", "tokens"])
    # a document made of words seen nowhere else: no term, unclassified with its reason
    extra = Tokens.from_lists(toks.to_lists() + [["hapax", "unique"]], doc_ids=[*toks.doc_ids, "seul"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = Reinert(n_classes=3, segment_size=50, min_segment_size=0, min_df=2, tsj=1, min_split_members=3).fit(extra)
    row = r.segments_.set_index("doc_id").loc["seul"]
    assert pd.isna(row["class"]) and "no term" in row["reason"]
    assert pd.isna(r.doc_classes_["seul"])
    # asking for more classes than the groups allow stops early and says so
    with pytest.warns(UserWarning, match="stopped at"):
        r = Reinert(n_classes=8, segment_size=50, min_segment_size=0, min_df=1, tsj=1, min_split_members=5).fit(toks)
    assert r.n_classes_ < 8 and r.stopped_


@pytest.fixture(scope="module")
def mariage_tokens(data_home):
    corpus = discourse.corpora.load("an-mariage-pour-tous-2013").filter(subject="mpt", turn_type="intervention").head(800)
    return discourse.Preprocessor(backend="fast", progress=False).transform(corpus)


def test_real_slice_double_and_crosstab(mariage_tokens):
    r = Reinert(n_classes=4, segment_size=20).fit(mariage_tokens)
    assert r.n_classes_ == 4
    assert r.classes_["n_segments"].sum() == r.segments_["class"].notna().sum()
    # segments cover their documents' tokens and quote the original text
    assert r.segments_["text"].str.len().gt(0).all()
    tab = r.crosstab(mariage_tokens.metadata, "group")
    assert {"class", "value", "n", "chi2", "p"} <= set(tab.columns)
    assert tab["n"].sum() == r.segments_.dropna(subset=["class"])["doc_id"].map(
        mariage_tokens.metadata.set_index("doc_id")["group"]).notna().sum()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = Reinert(n_classes=4, segment_size=20, double=True, min_segment_size=5, min_segment_size2=10).fit(mariage_tokens)
    assert len(d.crossed_) == d.n_classes_ >= 2
    unclassified = d.segments_["class"].isna()
    assert (d.segments_.loc[unclassified, "reason"] != "").all()


def test_gap_weights_equal_a_naive_reading(mariage_tokens):
    from discourse.textometry.segments import _CHAR_WEIGHT, gap_weights

    toks = mariage_tokens
    got = gap_weights(toks)
    doc = toks.doc_index()
    for i in range(toks.n_tokens):
        if i + 1 == toks.n_tokens or doc[i + 1] != doc[i] or toks.sents[i + 1] != toks.sents[i]:
            want = 6.0
        else:
            gap = toks.texts[doc[i]][toks.ends[i]:toks.starts[i + 1]]
            want = max([_CHAR_WEIGHT.get(ch, 0.01) for ch in gap] + [0.01])
        assert got[i] == want, (i, toks.texts[doc[i]][toks.ends[i] - 10:toks.starts[i + 1] + 10])
