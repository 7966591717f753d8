"""Context: KWIC, collocations, co-occurrence, repeated segments and progression on real text."""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd
import pytest
from nltk.metrics import BigramAssocMeasures

from discourse.frames import FrameDictionary
from discourse.lexicometry import collocations, cooccurrence, kwic, progression, repeated_segments
from discourse.tokens import Tokens

from text_helpers import SENSES_YAML as YAML
from text_helpers import (
    all_tokens,
    make_tokens,
    read_an_debates,
    sense_tokens,  # noqa: F401  (a fixture)
    simple_tokens,
)


@pytest.fixture(scope="module")
def seed_tokens(seed_text: str) -> Tokens:
    # every word kept (stop words too), expressions joined, nothing removed as boilerplate
    return make_tokens([seed_text], ["seed"], remove_boilerplate=False, stop_words=None)


@pytest.fixture(scope="module")
def sittings(data_home) -> Tokens:
    # the sittings from the Paris attacks to the constitutional debate on the state of emergency (Feb. 2016)
    texts, meta = read_an_debates(data_home, "2015-11-13", "2016-02-17")
    return make_tokens(texts, meta.doc_id.tolist(), meta, stop_words=None, expressions=False)


def test_kwic_shows_original_text(seed_text: str, seed_tokens: Tokens) -> None:
    k = kwic(seed_tokens, "extrémisme violent", window=3)
    assert k.match.tolist() == ["extrémisme violent", "extrémisme violent"]
    assert k.left.tolist() == ["et prévenir l’", "prévention de l’"]
    # punctuation is no token but stays in the text shown; the line break reads as a space
    assert k.right.iloc[0] == ". Selon un communiqué"
    for row in k.itertuples():
        assert seed_text[row.start : row.end] == row.match
        assert seed_text[: row.start].rstrip().endswith(row.left.split()[-1].rstrip())


def test_kwic_by_lemma_form_and_frame(seed_tokens: Tokens, seed_text: str) -> None:
    by_frame = kwic(seed_tokens, "multilateralism", match_on="frame", window=2)
    assert by_frame.match.tolist() == ["multilatéralisme", "gouvernance mondiale", "coordination multilatérale"]
    assert by_frame.frame.unique().tolist() == ["multilateralism"]
    wild = kwic(seed_tokens, "antiterroris*", window=1)
    assert wild.match.tolist() == ["antiterroriste", "antiterroriste"]
    assert [r for r in wild.right] == ["des", "mondiale"]
    # form queries see the surface; lemma queries see the lemma
    # case-insensitive by default, also inside the joined "États membres"
    assert len(kwic(seed_tokens, "Membres", match_on="form", window=0)) == len(re.findall(r"\bMembres\b", seed_text, re.IGNORECASE)) == 2
    assert len(kwic(seed_tokens, "Membres", match_on="form", window=0, case_sensitive=True)) == 1
    assert kwic(seed_tokens, "rien*", window=2).empty


def test_kwic_without_texts_uses_forms() -> None:
    toks = Tokens.from_documents([simple_tokens("la menace terroriste persiste")], ["d"])
    k = kwic(toks, "terroris*", window=1)
    assert k[["left", "match", "right"]].values.tolist() == [["menace", "terroriste", "persiste"]]


def test_collocations_counts_and_nltk_measures(sittings: Tokens) -> None:
    window = 3
    table = collocations(sittings, "urgence", window=window, min_count=5)
    # count by hand: lemmas within 3 tokens of "urgence" in the same document
    lemmas = sittings.to_lists("lemma")
    forms = sittings.to_lists("form")
    hand = Counter()
    nodes = 0
    for lem, frm in zip(lemmas, forms):
        idx = [i for i, (l, f) in enumerate(zip(lem, frm)) if l.casefold() == "urgence" or f.casefold() == "urgence"]
        nodes += len(idx)
        for i in idx:
            for j in range(max(0, i - window), min(len(lem), i + window + 1)):
                if j != i and j not in idx:
                    hand[lem[j]] += 1
    assert nodes > 20
    top = table.iloc[0]
    assert top.n_ii == hand[top.collocate]
    assert dict(zip(table.collocate, table.n_ii)) == {w: c for w, c in hand.items() if c >= 5}
    assert top.llr == pytest.approx(BigramAssocMeasures.likelihood_ratio(int(top.n_ii), (int(top.n_ix), int(top.n_xi)), int(top.n_xx)))
    assert table.llr.is_monotonic_decreasing
    pmi = collocations(sittings, "urgence", window=window, measure="pmi", min_count=5)
    assert pmi.pmi.is_monotonic_decreasing
    with pytest.raises(ValueError, match="measure"):
        collocations(sittings, "urgence", measure="dice")


def test_cooccurrence_sentence_and_document(seed_tokens: Tokens) -> None:
    docs = cooccurrence(seed_tokens, unit="document")
    pair = docs.query("frame_a == 'rule_of_law' and frame_b == 'human_rights'").iloc[0]
    assert (pair.both, pair.units) == (1, 1)
    sent = cooccurrence(seed_tokens, unit="sentence").set_index(["frame_a", "frame_b"])
    # "droits fondamentaux et de l'état de droit ... multilatéralisme et la gouvernance mondiale": one sentence
    assert sent.loc[("rule_of_law", "multilateralism"), "both"] == 1
    assert sent.loc[("rule_of_law", "human_rights"), "both"] == 1
    # counter-terrorism and violent extremism share the two sentences with "extrémisme violent"
    assert sent.loc[("counter_terrorism", "violent_extremism"), "both"] == 2
    assert sent.loc[("counter_terrorism", "counter_terrorism"), "both"] == sent.loc[("counter_terrorism", "counter_terrorism"), "n_a"]
    assert (sent.loc[("sovereignty", "sovereignty"), "both"]) == 0
    win = cooccurrence(seed_tokens, unit="window", window=15)
    # sliding windows: one starting at every token that leaves 15 tokens to the end
    assert win.units.iloc[0] == seed_tokens.n_tokens - 15 + 1


def test_repeated_segments_against_naive_count(sittings: Tokens) -> None:
    pos = [sittings.doc_ids.index(d) for d in ("20151119093000000", "20160216150000000")]
    sub = sittings.select_documents(pos)
    table = repeated_segments(sub, min_length=2, max_length=4, min_count=3)
    # naive count over the same segmentation rules
    naive = Counter()
    for doc in sub:
        for i in range(len(doc)):
            for n in range(2, 5):
                chunk = doc.forms[i : i + n]
                if len(chunk) < n or len(set(doc.sents[i : i + n].tolist())) > 1:
                    break
                if any(not any(ch.isalnum() for ch in f) for f in chunk):
                    break
                naive[" ".join(f.casefold() for f in chunk)] += 1
    expected = {s: c for s, c in naive.items() if c >= 3}
    assert dict(zip(table.segment, table["count"])) == expected
    assert table["count"].is_monotonic_decreasing
    assert "état d' urgence" in set(table.segment) or "état d'urgence" in set(table.segment)


def test_repeated_segments_bad_lengths(seed_tokens: Tokens) -> None:
    with pytest.raises(ValueError):
        repeated_segments(seed_tokens, min_length=4, max_length=2)


def test_progression_positions_and_periods(seed_tokens: Tokens, sittings: Tokens) -> None:
    p = progression(seed_tokens, ["antiterroris*", "extrémisme violent"])
    assert p.groupby("query").cumulative.max().to_dict() == {"antiterroris*": 2, "extrémisme violent": 2}
    assert p.position.is_monotonic_increasing or p.groupby("query").position.apply(lambda s: s.is_monotonic_increasing).all()
    monthly = progression(sittings, "état d'urgence", freq="D")
    assert set(monthly.columns) >= {"query", "period", "count", "tokens", "rate_per_10k", "ci_low", "ci_high", "cumulative"}
    assert monthly["cumulative"].iloc[-1] == monthly["count"].sum() > 0
    by_frame = progression(sittings, "state_of_emergency", match_on="frame")
    assert by_frame["cumulative"].max() >= monthly["count"].sum()


def test_queries_need_known_mode(seed_tokens: Tokens) -> None:
    with pytest.raises(ValueError, match="match_on must be"):
        kwic(seed_tokens, "terrorisme", match_on="pos")
    with pytest.raises(KeyError, match="no frame"):
        kwic(seed_tokens, "peace", match_on="frame")


def test_query_dictionary_reuse(seed_tokens: Tokens) -> None:
    d = FrameDictionary.default()
    assert len(kwic(seed_tokens, "counter_terrorism", match_on="frame", dictionary=d)) == 14
    assert isinstance(kwic(seed_tokens, "terrorisme"), pd.DataFrame)
    unjoined = all_tokens([seed_tokens.texts[0]], ["seed"], expressions=False)
    assert kwic(unjoined, "état de droit", window=2).match.tolist() == ["état de droit"]


def test_by_is_the_deprecated_name_of_match_on(seed_tokens: Tokens) -> None:
    # by= names a metadata column to group by elsewhere; what a query is matched on is match_on=
    new = kwic(seed_tokens, "multilateralism", match_on="frame", window=2)
    with pytest.warns(DeprecationWarning, match=r"kwic\(by=\) is deprecated.*use match_on="):
        old = kwic(seed_tokens, "multilateralism", by="frame", window=2)
    pd.testing.assert_frame_equal(old, new)
    with pytest.warns(DeprecationWarning, match=r"kwic\(by=\)"):
        positional = kwic(seed_tokens, "multilateralism", 2, "frame")
    pd.testing.assert_frame_equal(positional, new)
    with pytest.warns(DeprecationWarning, match=r"progression\(by=\)"):
        assert progression(seed_tokens, "multilateralism", by="frame").equals(progression(seed_tokens, "multilateralism", match_on="frame"))
    with pytest.warns(DeprecationWarning, match=r"collocations\(by=\)"):
        collocations(seed_tokens, "terroris*", by="lemma", min_count=1)
    with pytest.raises(TypeError, match="give match_on= only"):
        kwic(seed_tokens, "Membres", by="form", match_on="form")


def test_kwic_shows_excluded_hits(sense_tokens: Tokens) -> None:
    d = FrameDictionary.from_yaml_string(YAML, source="senses.yaml")
    k = kwic(sense_tokens, "sec", match_on="frame", dictionary=d, window=2)
    assert k[["match", "status"]].values.tolist() == [
        ["sécurité sociale", "excluded"], ["sécurité", "counted"], ["insécurité", "excluded"], ["sécurité", "excluded"],
        ["danger", "counted"], ["dangereuses", "excluded"], ["dangereux", "excluded"],
    ]
    assert k["excluded_by"].iloc[2] == "not_followed_by 'juridique*' (within 2 tokens)"
    assert k.attrs["excluded"] == 5
    only = kwic(sense_tokens, "sec", match_on="frame", dictionary=d, window=2, include_excluded=False)
    assert only["match"].tolist() == ["sécurité", "danger"]


def test_frame_cooccurrence_uses_sliding_windows():
    toks = Tokens.from_lists([["a", "a", "a", "terrorisme", "état", "de", "droit", "b"]])
    t = cooccurrence(toks, unit="window", window=4)
    row = t.query("frame_a == 'rule_of_law' and frame_b == 'counter_terrorism'")
    if row.empty:
        row = t.query("frame_a == 'counter_terrorism' and frame_b == 'rule_of_law'")
    # windows start at tokens 0..4; those starting at 1, 2, 3 hold both hits (consecutive
    # blocks of 4 tokens would have put them in two blocks and counted 0)
    assert int(row["both"].iloc[0]) == 3 and int(row["units"].iloc[0]) == 5
    assert row["p_value"].isna().all()
