"""Frame matching and counting on the seed article: the hits a reader finds by hand."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_frames_helpers import all_tokens, make_tokens, simple_tokens

from discourse.frames import FrameDictionary, compare, count_frames, document_counts, match_frames
from discourse.tokens import Token, Tokens

DEFAULT = FrameDictionary.default()


@pytest.fixture(scope="module")
def seed_tokens(seed_text: str) -> Tokens:
    # the whole article as a reader sees it, "Lire aussi" line included
    return make_tokens([seed_text], ["seed"], remove_boilerplate=False)


@pytest.fixture(scope="module")
def seed_hits(seed_tokens: Tokens) -> pd.DataFrame:
    return match_frames(seed_tokens, DEFAULT)


def _spans(text: str, phrase: str) -> list[tuple[int, int]]:
    """Where a reader finds a phrase (apostrophes of any kind, case as written)."""
    rx = re.compile(re.escape(phrase).replace("'", "['’]"))
    return [(m.start(), m.end()) for m in rx.finditer(text)]


@pytest.mark.parametrize(
    "frame, phrase, n",
    [
        ("rule_of_law", "état de droit", 1),
        ("multilateralism", "multilatéralisme", 1),
        ("multilateralism", "coordination multilatérale", 1),
        ("multilateralism", "gouvernance mondiale", 1),
        ("human_rights", "droits fondamentaux", 1),
        ("violent_extremism", "extrémisme violent", 2),
    ],
)
def test_seed_expression_hits(seed_text: str, seed_hits: pd.DataFrame, frame: str, phrase: str, n: int) -> None:
    spans = _spans(seed_text, phrase)
    assert len(spans) == n
    got = seed_hits[seed_hits.frame == frame]
    got = got[[s == phrase.replace("'", "’") or s == phrase for s in got.text]]
    assert list(zip(got.start, got.end)) == spans
    assert all(seed_text[s:e] == t for s, e, t in zip(got.start, got.end, got.text))


def test_seed_frames_exact(seed_hits: pd.DataFrame) -> None:
    # every hit of the default dictionary in the article, frame by frame
    counts = seed_hits.groupby("frame").size().to_dict()
    assert counts == {
        "counter_terrorism": 14,
        "violent_extremism": 2,
        "multilateralism": 3,
        "rule_of_law": 1,
        "human_rights": 1,
    }
    assert sorted(seed_hits[seed_hits.frame == "multilateralism"].text) == ["coordination multilatérale", "gouvernance mondiale", "multilatéralisme"]


def test_seed_each_terrorism_form(seed_text: str, seed_hits: pd.DataFrame) -> None:
    # each word a reader circles: terrorisme (12 times, one in contre-terrorisme), antiterroriste (twice)
    words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[\w-]*terroris\w*", seed_text)]
    assert [w for _, _, w in words].count("terrorisme") == 11
    assert [w for _, _, w in words].count("antiterroriste") == 2
    assert [w for _, _, w in words].count("contre-terrorisme") == 1
    ct = seed_hits[seed_hits.frame == "counter_terrorism"].sort_values("start")
    # one hit per word, each covering it (the expression "lutte contre le terrorisme" counts once)
    assert len(ct) == len(words) == 14
    for (s, e, w), (_, hit) in zip(words, ct.iterrows()):
        assert hit.start <= s and e <= hit.end, (w, hit.text)
        assert seed_text[hit.start : hit.end] == hit.text
    assert ct.text.tolist().count("lutte contre le terrorisme") == 9
    assert set(ct.text) == {"lutte contre le terrorisme", "terrorisme", "antiterroriste", "contre-terrorisme"}
    assert ct[ct.text == "lutte contre le terrorisme"].concept.unique().tolist() == ["lutte_antiterroriste"]
    # the only bare "terrorisme" hits are the ones not preceded by "la lutte contre le"
    bare = ct[ct.text == "terrorisme"]
    assert len(bare) == 2
    assert seed_text[: bare.start.iloc[0]].endswith("lutter contre le ") and seed_text[: bare.start.iloc[1]].endswith("procès pour ")


@pytest.mark.parametrize(
    "options",
    [dict(expressions=False), dict(stop_words=None), dict(expressions=False, stop_words=None), dict(expressions=False, min_length=None)],
)
def test_preprocessing_options_give_same_hits(seed_text: str, seed_hits: pd.DataFrame, options: dict) -> None:
    # joined or not, stop words removed or not: the same stretches of text are found
    toks = make_tokens([seed_text], ["seed"], remove_boilerplate=False, **options)
    hits = match_frames(toks, DEFAULT)
    assert hits[["frame", "start", "end", "text"]].values.tolist() == seed_hits[["frame", "start", "end", "text"]].values.tolist()


def test_default_preprocessing_drops_read_also_link(seed_text: str, seed_hits: pd.DataFrame) -> None:
    # the default Preprocessor removes the ">>Lire aussi" link to another article, and its hit
    toks = make_tokens([seed_text], ["seed"])
    hits = match_frames(toks, DEFAULT)
    full = set(map(tuple, seed_hits[["frame", "start", "end"]].values.tolist()))
    kept = set(map(tuple, hits[["frame", "start", "end"]].values.tolist()))
    assert kept < full
    (lost,) = full - kept
    line = seed_text.index(">>Lire aussi")
    assert lost[0] == "counter_terrorism" and seed_text[lost[1] : lost[2]] == "terrorisme"
    assert line < lost[1] < seed_text.index("\n", line)


def test_filtered_tokens_still_match_expressions(seed_text: str) -> None:
    # stop words removed after tokenisation: "état [de] droit" is aligned on the original text
    unjoined = all_tokens([seed_text], ["seed"], expressions=False)
    stop = {"le", "la", "les", "de", "du", "des", "et", "à", "l'", "d'"}
    filtered = unjoined.keep_tokens(~np.isin(np.array(unjoined.values("form"), dtype=object), list(stop)), "filter stop words")
    a = match_frames(unjoined, DEFAULT)
    b = match_frames(filtered, DEFAULT)
    assert b[["frame", "start", "end", "text"]].values.tolist() == a[["frame", "start", "end", "text"]].values.tolist()
    # but two kept words separated by other words are not an expression
    toks = all_tokens(["un état de fait et de droit"], ["d"], expressions=False)
    toks = toks.keep_tokens(~np.isin(np.array(toks.values("form"), dtype=object), list(stop)), "filter stop words")
    assert match_frames(toks, FrameDictionary.from_patterns("état de droit")).empty


def test_joined_and_unjoined_give_same_counts(seed_text: str) -> None:
    joined = all_tokens([seed_text], ["seed"], expressions=True)
    unjoined = all_tokens([seed_text], ["seed"], expressions=False)
    assert joined.n_tokens < unjoined.n_tokens
    a, b = match_frames(joined, DEFAULT), match_frames(unjoined, DEFAULT)
    assert a.groupby("frame").size().to_dict() == b.groupby("frame").size().to_dict()
    assert a[["frame", "start", "end", "text"]].values.tolist() == b[["frame", "start", "end", "text"]].values.tolist()


def test_wildcard_inside_joined_expression(seed_text: str) -> None:
    # with only "terroris*", a joined "lutte contre le terrorisme" token still counts once
    d = FrameDictionary.from_patterns("terroris*", frame="t")
    joined = all_tokens([seed_text], ["seed"], expressions=True)
    unjoined = all_tokens([seed_text], ["seed"], expressions=False)
    # 11 "terrorisme" and one "contre-terrorisme" (a hyphenated compound, kept whole)
    assert len(match_frames(joined, d)) == len(match_frames(unjoined, d)) == 12
    assert match_frames(joined, d).text.tolist().count("lutte contre le terrorisme") == 9


def test_offsets_point_into_original_text(seed_text: str, seed_hits: pd.DataFrame) -> None:
    for row in seed_hits.itertuples():
        assert seed_text[row.start : row.end] == row.text


def test_case_sensitive_pattern() -> None:
    text = "L'EI a revendiqué l'attentat. Le mot ei n'est pas un sigle. L'État islamique recule."
    toks = all_tokens([text], ["d"])
    hits = match_frames(toks, DEFAULT)
    groups = hits[hits.concept == "groupes_terroristes"]
    assert groups.text.tolist() == ["EI", "État islamique"]
    lower = match_frames(all_tokens([text.replace("État islamique", "état islamique")], ["d"]), DEFAULT)
    assert lower[lower.concept == "groupes_terroristes"].text.tolist() == ["EI"]


def test_state_is_not_etat_when_case_sensitive() -> None:
    d = FrameDictionary.from_dict({"frames": {"state": {"concepts": {"etat": {"case_sensitive": True, "patterns": ["État"]}}}}})
    text = "L'État garantit l'état de droit ; l'état des lieux."
    hits = match_frames(all_tokens([text], ["d"], expressions=False), d)
    assert hits.text.tolist() == ["État"]
    insensitive = FrameDictionary.from_patterns("état", frame="state")
    assert len(match_frames(all_tokens([text], ["d"], expressions=False), insensitive)) == 3


def test_count_frames_overall(seed_tokens: Tokens) -> None:
    t = count_frames(seed_tokens, DEFAULT, ci="poisson")
    assert t.frame.tolist() == DEFAULT.frame_names  # every frame has a row, zero or not
    row = t.set_index("frame").loc["counter_terrorism"]
    assert row["count"] == 14 and row["tokens"] == seed_tokens.n_tokens
    assert row["rate_per_10k"] == pytest.approx(14 / seed_tokens.n_tokens * 1e4)
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


def test_frame_with_no_hits_reported_as_zero(seed_tokens: Tokens) -> None:
    d = FrameDictionary.from_patterns(["souverainisme"], frame="sovereignism")
    assert match_frames(seed_tokens, d).empty
    t = count_frames(seed_tokens, d)
    assert t.frame.tolist() == ["sovereignism"] and t["count"].tolist() == [0]


def test_bad_arguments(seed_tokens: Tokens) -> None:
    with pytest.raises(ValueError, match=r"freq='fortnight' is not one of \['D', 'W', 'M', 'Q', 'Y', 'A'\]"):
        count_frames(seed_tokens, DEFAULT, freq="fortnight")
    with pytest.raises(KeyError, match="date"):
        count_frames(seed_tokens, DEFAULT, freq="M")
    with pytest.raises(KeyError, match="no metadata column 'party'"):
        count_frames(seed_tokens, DEFAULT, by="party")
    with pytest.raises(ValueError, match=r"ci='jackknife' is not one of \['bootstrap', 'poisson'\]"):
        count_frames(seed_tokens, DEFAULT, ci="jackknife")


# ---------------------------------------------------------------------- property: engine = naive matcher
def _naive(docs: list[list[Token]], d: FrameDictionary) -> list[tuple[int, int, str]]:
    """A slow reference: try every pattern at every position, leftmost-longest per frame."""
    out = []
    for di, doc in enumerate(docs):
        for frame in d:
            cands = []
            for p in frame.patterns:
                words = p.words
                for i in range(len(doc) - len(words) + 1):
                    ok = True
                    for w, t in zip(words, doc[i : i + len(words)]):
                        vals = [t.form, t.lemma] if p.case_sensitive else [t.form.casefold(), t.lemma.casefold()]
                        w2 = w if p.case_sensitive else w.casefold()
                        if not any(v.startswith(w2[:-1]) if w2.endswith("*") else v == w2 for v in vals):
                            ok = False
                            break
                    if ok:
                        cands.append((i, len(words)))
            cands.sort(key=lambda c: (c[0], -c[1]))
            end = -1
            for i, k in cands:
                if i >= end:
                    out.append((di, i, frame.name))
                    end = i + k
    return sorted(out)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_engine_matches_naive_reference(seed_text: str, data: st.DataObject) -> None:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+|\n", seed_text) if s.strip()]
    picked = data.draw(st.lists(st.sampled_from(sentences), min_size=1, max_size=6))
    n_docs = data.draw(st.integers(1, 3))
    texts = [" ".join(picked[i::n_docs]) for i in range(n_docs)]
    docs = [simple_tokens(t) for t in texts]  # unjoined: every pattern must be found as a sequence
    toks = Tokens.from_documents(docs, [f"d{i}" for i in range(n_docs)], texts=texts)
    hits = match_frames(toks, DEFAULT)
    got = sorted(zip([int(x[1:]) for x in hits.doc_id], hits.token.tolist(), hits.frame.tolist()))
    assert got == _naive(docs, DEFAULT)
