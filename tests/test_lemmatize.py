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
    # surnames that are also common words stay names inside a sentence (M. Blanc, M. Poisson)
    assert {"Jacques", "Berrios", "Darmanin", "France", "État", "Blanc", "Poisson", "Chrétien"} <= capitalised
    # « Le » of « Jean-Yves Le Bouillonnec » is the one non-name left; « Parler » after a
    # closing quote (a sentence the tokeniser does not split) is read as a verb by the tagger
    assert "Parler" not in capitalised and "Le" in capitalised
    assert len(capitalised) == 41


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
FAST_DEV200_CORRECT = 4288


# --------------------------------------------------------------------- readings in context
# Sentences from the shipped corpora (Europarl 2000, Assemblée sittings, legi-codes); each
# ambiguous form is checked in the reading that fits, and the other reading where it occurs.
from discourse.preprocess import analyze  # noqa: E402

CONTEXT_CASES = [
    # (text, form, expected lemma)
    ("À cet égard, un acte juridique, une directive qui donnerait une définition", "directive", "directive"),
    ("Proposition modifiée de directive du Parlement européen", "directive", "directive"),
    ("une façon de faire participer les salariés à leur réussite", "salariés", "salarié"),
    ("ce sont ses salariés", "salariés", "salarié"),
    ("Une telle politique a marché dans le passé", "marché", "marcher"),
    ("Si elle avait marché, elle aurait pu nous inspirer", "marché", "marcher"),
    ("le laisser-faire, le laisser-aller ne marchent pas", "marchent", "marcher"),
    ("les règles du marché intérieur", "marché", "marché"),
    ("l'ouverture des marchés publics", "marchés", "marché"),
    ("Elle protège les enfants qui grandissent dans ces familles homoparentales", "homoparentales", "homoparental"),
    ("Ce que vient de dire Monsieur Poisson nous conforte dans notre point de vue", "Poisson", "Poisson"),
    ("La parole est à Madame Marie-George Buffet, pour soutenir l'amendement", "Buffet", "Buffet"),
    ("La parole est à Monsieur Étienne Blanc, pour soutenir l'amendement", "Blanc", "Blanc"),
    ("Madame Buffet, maintenez-vous votre amendement ?", "Buffet", "Buffet"),
    ("Vous maltraitez votre majorité ! Le Gouvernement prend ses responsabilités.", "Gouvernement", "gouvernement"),
    ("Cela a marché et c'est ainsi que nous sommes revenus", "Cela", "cela"),
    ("CONDITIONS SPÉCIFIQUES de chasse", "CONDITIONS", "condition"),
    ("CONDITIONS SPÉCIFIQUES de chasse", "SPÉCIFIQUES", "spécifique"),
    ("la position de l'UE et de l'ONU", "UE", "UE"),
]


@pytest.mark.parametrize("text, form, expected", CONTEXT_CASES)
def test_fast_reading_in_context(text: str, form: str, expected: str) -> None:
    lemmas = [t.lemma for t in analyze(text, expressions=False) if t.form == form]
    assert lemmas == [expected]


def test_fast_other_readings_still_work(lem: FastLemmatizer) -> None:
    # the same forms in their other class, given a class (as the accurate backend does)
    assert lem.lemma("marché", pos="VERB") == "marcher"
    assert lem.lemma("salariés", pos="VERB") == "salarier"
    assert lem.lemma("directive", pos="ADJ") == "directif"
    assert lem.lemma("présente", pos="ADJ") == "présent"
    assert lem.lemma("présente", pos="VERB") == "présenter"
    # and alone, a name written as a common word at the start of a sentence is lowercased
    assert lem.lemma("Blanc", initial=True) == "blanc"
    # short all-capital words are acronyms, longer known words are lemmatised
    assert [lem.lemma(w) for w in ["USA", "ONU", "OTAN", "CONDITIONS", "LES"]] == ["USA", "ONU", "OTAN", "condition", "le"]


@pytest.mark.parametrize("text, form, expected", [c for c in CONTEXT_CASES if c[1] in ("directive", "salariés", "marché", "marchés", "marchent")])
def test_accurate_reading_in_context(text: str, form: str, expected: str) -> None:
    pytest.importorskip("fr_core_news_sm")
    lemmas = [t.lemma for t in analyze(text, backend="accurate", expressions=False) if t.form == form]
    assert lemmas == [expected]


def test_context_table_is_small_and_documented() -> None:
    from discourse.lang.fr.lemmatize import DATA, context_table

    path = DATA / "lemma_context.tsv"
    head = path.read_text(encoding="utf-8").splitlines()[:4]
    assert any("scripts/learn_lemma_context.py" in line for line in head)
    assert any("Never UD French-GSD" in line for line in head)
    assert path.stat().st_size < 200_000
    table = context_table()
    assert table.forms["marchés"] == "NOUN" and table.forms["directive"] == "NOUN"
