"""Fast lemmatiser: conventions, ligatures, État, and accuracy on UD French-GSD dev."""

from __future__ import annotations

import pytest

from discourse.lang.fr.lemmatize import FastLemmatizer, is_ment_adverb, restore_ligatures


@pytest.fixture(scope="module")
def lem() -> FastLemmatizer:
    return FastLemmatizer()


def test_elisions_and_clitics(lem: FastLemmatizer) -> None:
    forms = ["l'", "L'", "d'", "qu'", "n'", "s'", "c'", "j'", "m'", "t'", "jusqu'", "lorsqu'", "puisqu'", "-t-il", "-elle", "-moi"]
    assert [lem.lemma(f) for f in forms] == ["le", "le", "de", "que", "ne", "se", "ce", "je", "me", "te", "jusque", "lorsque", "puisque", "il", "elle", "moi"]


def test_case_acronyms_and_state(lem: FastLemmatizer) -> None:
    assert [lem.lemma(w) for w in ["UE", "ONU", "UNOCT", "OTAN", "Mogherini", "États", "État", "état", "états"]] == [
        "UE", "ONU", "UNOCT", "OTAN", "Mogherini", "État", "État", "état", "état",
    ]
    assert lem.lemma("Le", initial=True) == "le"
    assert FastLemmatizer(fold_state=True).lemma("États") == "état"
    # all-caps headline words are not acronyms
    assert lem.lemma("ET") == "et"


def test_sentence_initial_invariable_words_are_lowercased(lem: FastLemmatizer) -> None:
    # simplemma lists only inflected forms, so adverbs, interjections and invariable nouns
    # were unknown and kept their capital at the start of a sentence
    openers = ["Absolument", "Actuellement", "Évidemment", "Deuxièmement", "Certes", "Eh", "Avis", "Pays", "Vous-même"]
    assert [lem.lemma(w, initial=True) for w in openers] == [
        "absolument", "actuellement", "évidemment", "deuxièmement", "certes", "eh", "avis", "pays", "vous-même",
    ]
    # names stay names: no adjective under "Chevènement", and inside a sentence a capital is kept
    assert [lem.lemma("Chevènement", initial=True), lem.lemma("Absolument"), lem.lemma("Gouvernement", initial=True)] == [
        "Chevènement", "Absolument", "gouvernement",
    ]
    assert [is_ment_adverb(w) for w in ["seulement", "récemment", "couramment", "moment", "parlement", "clément"]] == [
        True, True, True, False, False, False,
    ]


def test_sitting_keeps_only_names_capitalised(data_home) -> None:
    """A whole Assemblée sitting (18 July 2013): every capitalised one-word lemma left is a
    name, a place or the State — no sentence-initial "Absolument", "Avis" or "Plusieurs"."""
    from discourse import Preprocessor, corpora

    sitting = corpora.load("an-debats-2013-2018", data_home=data_home).filter(doc_id="20130718093000000")
    # the chair's formulas kept ("Avis défavorable."): only the stage directions are removed
    tokens = Preprocessor(stop_words=None, progress=False, remove_boilerplate=["procedure"]).transform(sitting)
    pairs = list(zip(tokens.values("form"), tokens.values("lemma")))
    assert pairs.count(("Absolument", "absolument")) == 1
    assert pairs.count(("Avis", "avis")) == 2
    capitalised = {lemma for _, lemma in pairs if lemma[:1].isupper() and lemma[1:].islower() and " " not in lemma}
    assert {"Absolument", "Avis", "Plusieurs"}.isdisjoint(capitalised)
    assert {"Jacques", "Berrios", "Darmanin", "France", "État"} <= capitalised
    assert len(capitalised) == 35


def test_ligatures_share_one_lemma(lem: FastLemmatizer) -> None:
    assert lem.lemma("vœux") == lem.lemma("voeux") == "vœu"
    assert lem.lemma("oeuvres") == lem.lemma("œuvres") == "œuvre"
    assert restore_ligatures("coexister") == "coexister"


def test_exceptions_can_be_extended() -> None:
    assert FastLemmatizer(exceptions={"donne": "donner"}).lemma("donne") == "donner"


def test_fast_lemma_accuracy_on_gsd_dev(data_home) -> None:
    """First 200 sentences of the dev split (never the test split): exact counts measured
    when the rules were last changed; a drop means a regression."""
    from benchmarks.eval_gsd import gold_of, predict_discourse, predict_simplemma, score
    from discourse import corpora

    gold = gold_of(corpora.load("ud-french-gsd", split="dev", data_home=data_home))[:200]
    texts = [g["text"] for g in gold]
    ours = score(gold, predict_discourse(texts, "fast"))
    raw = score(gold, predict_simplemma(texts))
    n = ours["n_words"]
    assert n == 4513
    assert round(ours["lemma_acc_strict"] * n) == FAST_DEV200_CORRECT
    assert ours["lemma_acc_strict"] > raw["lemma_acc_strict"] + 0.05
    assert ours["token_f1"] > 0.995


# Measured with `python -m benchmarks.eval_gsd --split dev --limit 200 --systems fast`.
FAST_DEV200_CORRECT = 4247
