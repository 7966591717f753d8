"""The fast lemmatiser's word-class tagger (averaged perceptron) and the word-class lemma rules."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discourse.lang.fr.lemmatize import FastLemmatizer, is_finite_verb, pos_lemma
from discourse.lang.fr.tagger import CLASSES, TAGGER_PATH, PerceptronTagger, features, lemma_tagger
from discourse.preprocess import analyze


@pytest.fixture(scope="module")
def lem() -> FastLemmatizer:
    return FastLemmatizer()


# Sentences of the shipped corpora (Europarl 2000, Assemblée sittings, the marriage debate);
# each ambiguous form is read in the class that fits, the other class where it occurs.
TAGGED_CASES = [
    ("l'ouverture des marchés publics", "marchés", "marché"),
    ("Une telle politique a marché dans le passé", "marché", "marcher"),
    ("Je vous présente mes excuses", "présente", "présenter"),
    ("la présente directive", "présente", "présent"),
    ("la présente directive", "directive", "directive"),
    ("les salariés des entreprises", "salariés", "salarié"),
    ("Ces mesures existaient déjà", "existaient", "exister"),
    ("La parole est à M. Poisson", "Poisson", "Poisson"),
    ("Je donne la parole à Mme Buffet", "Buffet", "Buffet"),
    ("Le Gouvernement a déposé un amendement", "Gouvernement", "gouvernement"),
]


@pytest.mark.parametrize("text, form, expected", TAGGED_CASES)
def test_tagged_readings_on_real_sentences(text: str, form: str, expected: str) -> None:
    assert [t.lemma for t in analyze(text, expressions=False) if t.form == form] == [expected]


def test_tagger_predicts_classes_in_context() -> None:
    from discourse.lang.fr.lemmatize import context_table

    tagger = lemma_tagger(context_table().classes)
    assert tagger is not None
    forms = "Le marché intérieur a marché .".split()
    assert [tagger.predict(forms, i, 0, len(forms)) for i in (1, 4)] == ["NOUN", "VERB"]
    forms = "Je vous présente la présente directive .".split()
    assert [tagger.predict(forms, i, 0, len(forms)) for i in (2, 4, 5)] == ["VERB", "ADJ", "NOUN"]


def test_word_class_rules(lem: FastLemmatizer) -> None:
    pairs = [("mise", "VERB", "mettre"), ("cousues", "VERB", "coudre"), ("règne", "VERB", "régner"), ("menaçant", "VERB", "menacer"),
             ("épissée", "VERB", "épisser"), ("vue", "VERB", "voir"), ("moyenne", "ADJ", "moyen"), ("nette", "ADJ", "net"),
             ("dure", "ADJ", "dur"), ("brève", "ADJ", "bref"), ("variées", "ADJ", "varié"), ("séquences", "NOUN", "séquence"),
             ("développeurs", "NOUN", "développeur"), ("salariés", "NOUN", "salarié"), ("homoparentales", "ADJ", "homoparental")]
    assert [pos_lemma(w, p, lem.raw(w)) for w, p, _ in pairs] == [e for _, _, e in pairs]
    # a noun or adjective tag on a form only a verb can be is overruled (accurate backend too)
    assert lem.lemma("existaient", pos="ADJ") == "exister"
    assert lem.lemma("pensées", pos="NOUN") == "pensée"
    assert [is_finite_verb(w, lem.raw(w)) for w in ["commanda", "parents", "questions"]] == [True, False, False]


def test_training_is_deterministic_and_learns() -> None:
    ex = [(["b", "w=marché", "p1=le"], "NOUN"), (["b", "w=marché", "p1=a"], "VERB"), (["b", "w=blanc", "p1=m."], "PROPN")] * 20
    a = PerceptronTagger.train(ex, {}, n_iter=4, seed=3)
    b = PerceptronTagger.train(ex, {}, n_iter=4, seed=3)
    assert a.weights.keys() == b.weights.keys()
    assert all((a.weights[k] == b.weights[k]).all() for k in a.weights)
    best = [CLASSES[max(range(5), key=a.scores(f).__getitem__)] for f, _ in ex[:3]]
    assert best == ["NOUN", "VERB", "PROPN"]


def test_weights_file_is_data_and_bad_lines_are_named(tmp_path) -> None:
    with gzip.open(TAGGER_PATH, "rt", encoding="utf-8") as f:
        head = f.readline()
    assert head.startswith("#") and "NOUN VERB ADJ PROPN O" in head
    bad = tmp_path / "bad.tsv.gz"
    with gzip.open(bad, "wt", encoding="utf-8") as f:
        f.write("w=marché\t1\t2\n")
    with pytest.raises(ValueError, match="line 1: expected a feature and 5 weights"):
        PerceptronTagger.load(bad, {})


def test_features_do_not_look_outside_the_sentence() -> None:
    forms = ["a", "marché", ".", "Le", "marché"]
    inside = features(forms, 4, 3, 5, {})
    alone = features(["Le", "marché"], 1, 0, 2, {})
    assert inside == alone


words = st.sampled_from(["le", "marché", "a", "marché", "la", "présente", "directive", "M.", "Blanc", "Poisson", "salariés",
                         "des", "États", ".", ",", "Le", "Gouvernement", "UE", "est", "été", "l'", "homoparentales"])


@settings(max_examples=60, deadline=None)
@given(st.lists(words, min_size=1, max_size=25), st.integers(min_value=0, max_value=24))
def test_context_lemmas_are_one_per_token_and_local(forms: list[str], cut: int) -> None:
    """One lemma a token; a sentence's lemmas do not depend on the sentences around it."""
    lem = FastLemmatizer()
    cut = min(cut, len(forms))
    sents = [0] * cut + [1] * (len(forms) - cut)
    out = lem.lemmas_in_context(forms, sents)
    assert len(out) == len(forms)
    if 0 < cut < len(forms):
        assert out[cut:] == lem.lemmas_in_context(forms[cut:], [1] * (len(forms) - cut))
