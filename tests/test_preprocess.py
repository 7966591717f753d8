"""analyze() and Preprocessor on real text: the seed article, Assemblée nationale sittings."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discourse import Corpus
from discourse.lang.fr.normalize import normalize
from discourse.lang.fr.stop_words import PROTECTED, stop_words
from discourse.preprocess import PhraseDetector, Preprocessor, analyze
from discourse.tokens import Tokens


def surface(text: str) -> str:
    """What a token's text must equal: the original span, normalised, spaces collapsed."""
    return re.sub(r"\s+", " ", normalize(text))


@pytest.fixture(scope="module")
def sittings(data_home: Path) -> Corpus:
    """The first 12 sittings of the Assemblée nationale corpus (about 40,000 tokens)."""
    folder = data_home / "an-debats-2013-2018" / "txt"
    files = sorted(folder.glob("*.txt"))[:12]
    return Corpus.from_texts([f.read_text(encoding="utf-8") for f in files], ids=[f.stem for f in files])


# ---------------------------------------------------------------------- the seed article
def test_seed_elisions_are_split_and_restored(seed_text: str) -> None:
    toks = analyze(seed_text, expressions=False)
    elided = [(t.form, t.lemma) for t in toks if t.form.endswith("'")]
    assert len(elided) == 24
    assert set(elided) == {("L'", "le"), ("l'", "le"), ("d'", "de")}
    first = toks[:5]
    assert [(t.form, t.lemma, t.start, t.end) for t in first] == [
        ("L'", "le", 0, 2), ("UE", "UE", 2, 4), ("et", "et", 5, 7), ("l'", "le", 8, 10), ("ONU", "ONU", 10, 13),
    ]
    assert seed_text[0:2] == "L’"  # offsets point into the original, typographic apostrophe and all


def test_seed_state_and_condition_stay_apart(seed_text: str) -> None:
    toks = analyze(seed_text, expressions=False)
    state = [(t.form, t.lemma) for t in toks if t.form.lower() in ("état", "états")]
    assert state == [("États", "État"), ("état", "état"), ("États", "État")]
    folded = analyze(seed_text, expressions=False, fold_state=True)
    assert {t.lemma for t in folded if t.form.lower() in ("état", "états")} == {"état"}


def test_seed_expressions_are_joined_with_offsets(seed_text: str) -> None:
    toks = analyze(seed_text)
    joined = {t.lemma: t for t in toks if " " in t.lemma}
    edd = joined["état de droit"]
    start = seed_text.index("état de droit")
    assert (edd.form, edd.start, edd.end) == ("état de droit", start, start + len("état de droit"))
    members = [(t.form, t.lemma) for t in toks if t.lemma == "États membres"]
    assert members == [("États membres", "États membres"), ("États Membres", "États membres")]
    n = seed_text.count("Nations Unies") - seed_text.count("Organisation des Nations Unies")
    assert [t.form for t in toks if t.lemma == "Nations unies"] == ["Nations Unies"] * n == ["Nations Unies"] * 6
    assert joined["droits fondamentaux"].form == "droits fondamentaux"
    assert {"extrémisme violent", "gouvernance mondiale", "coordination multilatérale", "lutte contre le terrorisme", "Union européenne"} <= set(joined)
    assert [t.lemma for t in toks if t.form == "UNOCT"] == ["UNOCT"] * 3


def test_seed_offsets_point_back_to_the_original(seed_text: str) -> None:
    for backend in ("fast", "accurate"):
        for t in analyze(seed_text, backend):
            assert surface(seed_text[t.start : t.end]) == t.form


def test_seed_accurate_backend_keeps_our_conventions(seed_text: str) -> None:
    toks = analyze(seed_text, "accurate")
    by_text = {}
    for t in toks:
        by_text.setdefault(t.form, t)
    assert (by_text["L'"].lemma, by_text["UNOCT"].lemma, by_text["UE"].lemma) == ("le", "UNOCT", "UE")
    assert by_text["veulent"].pos == "VERB" and by_text["veulent"].lemma == "vouloir"
    assert by_text["États membres"].lemma == "États membres"
    assert all(t.pos is not None for t in toks)


def test_preprocessor_on_the_seed(seed_text: str) -> None:
    corpus = Corpus.from_texts([seed_text], ids=["seed"], metadata={"source": ["MAP"]})
    toks = Preprocessor(progress=False).transform(corpus)
    doc = toks["seed"]
    line = next(x for x in seed_text.splitlines() if x.startswith(">>Lire aussi"))
    a = seed_text.index(line)
    assert not any(a <= s < a + len(line) for s in doc.starts)  # boilerplate line gone
    assert "Belgique" not in doc.forms and "Voronkov" in doc.forms
    audit = toks.audit.set_index("stage")
    assert audit.loc["boilerplate removed", "removed"] == 1
    assert audit.loc["tokenisation + lemmas (fast)", "changed"] == 24  # elided forms split
    assert audit.loc["expressions joined", "merged"] > 20
    assert toks.metadata["source"].tolist() == ["MAP"] and toks.texts == [seed_text]
    lemmas = set(doc.lemmas)
    assert {"Union européenne", "Nations unies", "état de droit", "États membres", "UNOCT"} <= lemmas
    assert "UE" not in lemmas and "ONU" not in lemmas  # aliases mapped
    assert not lemmas & {"le", "de", "et", "la"}  # stop words removed
    assert "contre" in lemmas  # "lutter contre le terrorisme": contre is not a stop word


# ---------------------------------------------------------------------- stop words
def test_stop_words_keep_content_words() -> None:
    assert not stop_words() & PROTECTED
    assert {"le", "de", "qu'", "être"} <= stop_words()
    assert "séance" in stop_words(domains=["parliament"]) and "afp" in stop_words(domains=["newswire"])
    assert stop_words(["foo"]) == {"foo"}
    toks = analyze("L'état des gens contre la force de la loi.")
    assert [t.form for t in toks if not t.is_stop and t.form.isalpha()] == ["état", "gens", "contre", "force", "loi"]


def test_user_stop_words_replace_and_extend(seed_text: str) -> None:
    none = Preprocessor(stop_words=None, progress=False, remove_punctuation=False, min_length=None, aliases=False, expressions=False,
                        remove_boilerplate=False).transform([seed_text])
    assert none.n_tokens == len(analyze(seed_text, expressions=False))
    extra = Preprocessor(extra_stop_words=["renforcer"], progress=False).transform([seed_text])
    assert "renforcer" not in extra.to_lists()[0]


# ---------------------------------------------------------------------- properties
WORDS = st.sampled_from([
    "l’", "L'", "État", "état de droit", "d’urgence", "aujourd’hui", "a-t-il", "M.", "Mme", "UE", "«", "»", "\u00a0", " ", "\n",
    "gouverne-\nment", "vœux", "E\u0301tat", "ﬁn", "\u00ad", ".", ",", "80 000", "États-Unis", "qu’", "Nations Unies", "droits fondamentaux",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, max_size=25).map("".join) | st.text(max_size=50))
def test_offsets_always_point_back_to_the_original(text: str) -> None:
    toks = analyze(text)
    for t in toks:
        assert 0 <= t.start <= t.end <= len(text)
        assert surface(text[t.start : t.end]) == t.form
    assert [t.start for t in toks] == sorted(t.start for t in toks)


# ---------------------------------------------------------------------- bad input
def test_bad_input_is_handled_and_reported() -> None:
    texts = ["", " ,;!?… « » ", "le la les de et mais donc", "The European Union and l'ONU don't agree, isn't it?"]
    toks = Preprocessor(progress=False).transform(Corpus.from_texts(texts, ids=["empty", "punct", "stops", "mixed"]))
    assert toks.lengths.tolist()[:3] == [0, 0, 0]
    assert "empty" in toks.audit.iloc[2]["examples"]  # empty documents are named in the audit
    # English passes through unlemmatised; "l'ONU" is still split and aliased; a capitalised
    # word after a capitalised name-like word keeps its case (as « Marie-George Buffet »)
    assert toks.to_lists()[3] == ["The", "European", "Union", "and", "Nations unies", "don", "agree", "isn", "it"]
    assert analyze("") == [] and [t.form for t in analyze(" ,;!? ")] == [",", ";", "!?"]
    with pytest.raises(TypeError, match="doc0"):
        Preprocessor(progress=False).transform([None])
    with pytest.raises(ValueError, match="backend"):
        Preprocessor("slow", progress=False).transform(["texte"])


def test_five_megabytes_in_one_document(sittings: Corpus) -> None:
    text = "\n".join(sittings.texts)
    text = (text * (5_000_000 // len(text) + 1))[:5_000_000]
    toks = Preprocessor(progress=False, stop_words=None, remove_punctuation=False, min_length=None).transform([text])
    # about a quarter of a sitting is speaker attributions and the chair's formulas (boilerplate)
    assert len(toks) == 1 and toks.n_tokens > 700_000
    ends = toks.ends
    assert ends.max() <= len(text) and np.all(np.diff(toks.starts) > 0)


# ---------------------------------------------------------------------- scale: cache, n_jobs, streams
def test_cache_hit_on_rerun(sittings: Corpus, tmp_path: Path) -> None:
    pre = Preprocessor(cache_dir=tmp_path, progress=False)
    first = pre.transform(sittings.select(sittings.ids[:3]) if hasattr(sittings, "select") else sittings)
    files = list(tmp_path.glob("tokens-*.discourse"))
    assert len(files) == 1
    second = pre.transform(sittings.select(sittings.ids[:3]) if hasattr(sittings, "select") else sittings)
    assert second.audit["stage"].iloc[-1] == "cache hit"
    assert second.to_lists() == first.to_lists() and np.array_equal(second.starts, first.starts)
    other = Preprocessor(cache_dir=tmp_path, progress=False, aliases=False).transform(sittings.select(sittings.ids[:3]))
    assert other.audit["stage"].iloc[-1] != "cache hit" and len(list(tmp_path.glob("tokens-*.discourse"))) == 2


def test_two_jobs_give_identical_tokens(sittings: Corpus) -> None:
    one = Preprocessor(progress=False, batch_size=2).transform(sittings)
    two = Preprocessor(progress=False, batch_size=2, n_jobs=2).transform(sittings)
    for attr in ("form", "lemma", "pos"):
        assert one.vocab(attr) == two.vocab(attr) and np.array_equal(one.codes(attr), two.codes(attr))
    for col in ("starts", "ends", "sents", "is_stop", "doc_offsets"):
        assert np.array_equal(getattr(one, col), getattr(two, col))
    assert one.audit.equals(two.audit)


def test_stream_of_texts_equals_list(sittings: Corpus) -> None:
    stream = ((i, t) for i, t in zip(sittings.ids[:4], sittings.texts[:4]))
    streamed = Preprocessor(progress=False, keep_texts=False).transform(stream)
    listed = Preprocessor(progress=False).transform(list(zip(sittings.ids[:4], sittings.texts[:4])))
    assert streamed.doc_ids == listed.doc_ids and streamed.to_lists() == listed.to_lists() and streamed.texts is None


def test_parliament_procedure_is_removed(sittings: Corpus) -> None:
    toks = Preprocessor(progress=False, domain_stop_words=["parliament"]).transform(sittings)
    row = toks.audit.set_index("stage").loc["boilerplate removed"]
    # the kinds one by one: tests/test_boilerplate.py
    assert row["removed"] == 1355 and "procedure: 43 spans" in row["examples"]
    lemmas = set(np.array(toks.vocab("lemma"), dtype=object)[np.unique(toks.codes("lemma"))])
    assert "séance" not in lemmas and "Applaudissements" not in lemmas and "amendement" in lemmas


def test_save_and_load_round_trip(seed_text: str, tmp_path: Path) -> None:
    toks = Preprocessor(progress=False).transform([seed_text])
    back = Tokens.load(toks.save(tmp_path / "t.npz"))
    assert back.to_lists() == toks.to_lists() and back.audit.equals(toks.audit)


# ---------------------------------------------------------------------- phrases
_PHRASE_TRAINING = Tokens.from_lists([["garde", "à", "vue", "prolonger"], ["état", "de", "droit", "défendre"]] * 20)
_PHRASES = PhraseDetector(min_count=5, threshold=0.1).fit(_PHRASE_TRAINING)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["garde", "à", "vue", "état", "de", "droit", "défendre", "prolonger", "loi"]), max_size=12), max_size=4))
def test_phrase_transform_only_regroups_tokens(docs: list[list[str]]) -> None:
    # joining phrases never loses, adds or reorders words: the lemmas of each document read
    # the same, and every joined token spans exactly the words it joins
    toks = Tokens.from_lists(docs)
    out = _PHRASES.transform(toks)
    assert [" ".join(d) for d in out.to_lists("lemma")] == [" ".join(d) for d in docs]
    joined = [lm for d in out.to_lists("lemma") for lm in d if " " in lm]
    assert int(out.audit["merged"].iloc[-1]) == len(joined)
    assert out.n_tokens == toks.n_tokens - sum(lm.count(" ") for lm in joined)
    for d in range(len(out)):
        doc = out[d]
        for s, e, f in zip(doc.starts, doc.ends, doc.forms):
            assert doc.text[s:e] == f
    assert _PHRASES.transform(Tokens.from_lists([["garde", "à", "vue", "loi"]])).to_lists() == [["garde à vue", "loi"]]


def test_phrase_detector_joins_frequent_pairs(sittings: Corpus) -> None:
    # stage directions removed, the chair's formulas kept (they give the frequent pairs below)
    toks = Preprocessor(progress=False, remove_boilerplate=["procedure"]).transform(sittings)
    det = PhraseDetector(min_count=10, threshold=0.6).fit(toks)
    assert len(det.phrases_) == 49  # 48 before surnames that are common words (Blanc, Poisson) kept their form
    # "avis défavorable": the rapporteur's answer opens a sentence, and "Avis" is lowercased there
    assert {"rappel règlement", "cher collègue", "soutenir amendement", "avis défavorable"} <= set(det.phrases_)
    out = det.transform(toks)
    rappel = {f for f, lm in zip(out.values("form"), out.values("lemma")) if lm == "rappel règlement"}
    assert rappel == {"rappel au règlement", "rappel au Règlement"}  # surface spans, stop words inside included
    assert out.n_tokens < toks.n_tokens
    assert out.audit["stage"].iloc[-1] == "phrases (gensim)"
    for d in range(len(out)):
        doc = out[d]
        for s, e, f in zip(doc.starts, doc.ends, doc.forms):
            assert surface(doc.text[s:e]) == f


def test_accurate_backend_filters_by_pos(seed_text: str) -> None:
    toks = Preprocessor("accurate", pos=["PROPN"], aliases=False, progress=False).transform([seed_text])
    assert set(toks.values("pos")) == {"PROPN"}
    assert {"UE", "ONU", "UNOCT", "Mogherini", "Voronkov", "Union européenne"} <= set(toks.to_lists()[0])
    with pytest.raises(ValueError, match="accurate"):
        Preprocessor(pos=["NOUN"], progress=False).transform([seed_text])


def test_model_is_the_deprecated_name_of_spacy_model() -> None:
    # elsewhere ``model`` is a fitted model: the spaCy model's name is ``spacy_model``
    with pytest.warns(DeprecationWarning, match=r"Preprocessor\(model=\) is deprecated.*use spacy_model="):
        old = Preprocessor(backend="accurate", model="fr_core_news_md")
    new = Preprocessor(backend="accurate", spacy_model="fr_core_news_md")
    assert old._result_config() == new._result_config() and "model" not in new._result_config()
    assert old.cache_key(["d"], ["Le texte."]) == new.cache_key(["d"], ["Le texte."])
    with pytest.warns(DeprecationWarning, match=r"analyze\(model=\)"):
        tokens = analyze("L’état de droit.", model=None, spacy_model=None), analyze("L’état de droit.", model="fr_core_news_sm")
    assert [t.lemma for t in tokens[0]] == ["le", "état de droit", "."]
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match="give spacy_model= only"):
        Preprocessor(spacy_model="fr_core_news_sm", model="fr_core_news_md")._check_params()
