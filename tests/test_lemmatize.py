"""Fast lemmatiser: conventions, ligatures, État, and accuracy on UD French-GSD dev."""

from __future__ import annotations

import pytest

from discourse.lang.fr.lemmatize import FastLemmatizer, restore_ligatures


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
FAST_DEV200_CORRECT = 4245
