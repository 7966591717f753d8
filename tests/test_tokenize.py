"""Tokenisation: elisions, clitics, compounds, numbers, abbreviations, sentences."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from discourse.lang.fr.normalize import normalize
from discourse.lang.fr.tokenize import _scan_reference, scan, tokenize


def forms(text: str) -> list[str]:
    return [t.text for t in tokenize(normalize(text))]


def test_elisions_are_split_and_whole_words_kept() -> None:
    assert forms("l’UE jusqu’à lorsqu’il puisqu’elle qu’on n’a s’est c’est j’ai m’a t’a d’abord") == [
        "l'", "UE", "jusqu'", "à", "lorsqu'", "il", "puisqu'", "elle", "qu'", "on", "n'", "a", "s'", "est",
        "c'", "est", "j'", "ai", "m'", "a", "t'", "a", "d'", "abord",
    ]
    assert forms("aujourd’hui quelqu’un presqu’île") == ["aujourd'hui", "quelqu'un", "presqu'île"]
    assert forms("L’ONU") == ["L'", "ONU"]


def test_compounds_and_inverted_clitics_follow_ud() -> None:
    assert forms("Les États-Unis a-t-il vis-à-vis peut-être, dit-elle, est-ce Dis-le-moi rendez-vous Aix-les-Bains") == [
        "Les", "États-Unis", "a", "-t-il", "vis-à-vis", "peut-être", ",", "dit", "-elle", ",", "est", "-ce",
        "Dis", "-le", "-moi", "rendez-vous", "Aix-les-Bains",
    ]


def test_numbers_urls_acronyms() -> None:
    assert forms("80 000 euros, 12,5 % en 2017 500 fois, UNOCT et U.E. www.un.org/fr contact@un.org") == [
        "80 000", "euros", ",", "12,5", "%", "en", "2017", "500", "fois", ",", "UNOCT", "et", "U.E.",
        "www.un.org/fr", "contact@un.org",
    ]


def test_sentences_survive_abbreviations() -> None:
    toks = tokenize("M. Voronkov et Mme Mogherini ont parlé, p. ex. de l'art. 3, etc. et du reste. Le Dialogue a lancé.")
    sents = {t.text: t.sent for t in toks}
    assert sents["Voronkov"] == sents["Mogherini"] == sents["reste"] == 0
    assert sents["Dialogue"] == 1
    assert max(t.sent for t in toks) == 1


def test_sentences_of_the_seed(seed_text: str) -> None:
    toks = tokenize(normalize(seed_text))
    # title line + one sentence per paragraph line, the last but one line holding two
    assert max(t.sent for t in toks) + 1 == 10
    assert next(t.sent for t in toks if t.text == "Voronkov") == 2
    assert all(normalize(seed_text)[t.start : t.end] == t.text for t in toks)


def test_closing_quote_stays_in_its_sentence() -> None:
    toks = tokenize('Il a dit "non." Puis il est parti.')
    assert [t.sent for t in toks if t.text in ('"', "Puis")] == [0, 0, 1]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab É'’-. ,\n0 9lL") + ["M.", "80 000", "l'", "a-t-il", "J. D", "www.x.fr", "\u00a0", "\u2028", "\x1c"]), max_size=30).map(lambda parts: normalize("".join(parts))))
def test_fast_scan_equals_the_pattern(text: str) -> None:
    """The chunk shortcut in scan() gives exactly the spans of the token pattern."""
    forms, starts, ends, _ = scan(text)
    assert list(zip(starts, ends)) == _scan_reference(text)
    assert forms == [text[a:b] for a, b in zip(starts, ends)]
