"""Normalisation: typography, offsets map, idempotence (hypothesis), boilerplate."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from discourse.lang.fr.boilerplate import blank_spans, find_boilerplate
from discourse.lang.fr.normalize import fold_ligatures, normalize, normalize_with_map

# Characters that matter to French text: letters, accents (also decomposed), typographic
# apostrophes and quotes, special spaces, ligatures, hyphens, line breaks.
FRENCH_CHARS = st.sampled_from(list("abcdeéèêàçôœæEÉLlU' -\n.,«»’‘ʼ´“”\u00a0\u202f\u0301\u00ad\ufb01\u2011"))
TEXTS = st.text(FRENCH_CHARS, max_size=60) | st.text(max_size=40)


def test_typography_of_the_seed_title(seed_text: str) -> None:
    title = seed_text.splitlines()[0]
    assert normalize(title).startswith("L'UE et l'ONU veulent")
    assert "’" not in normalize(seed_text)
    assert len(normalize(seed_text)) == len(seed_text)  # one-for-one changes only


def test_quotes_spaces_and_ligatures() -> None:
    assert normalize("« l’état d’urgence »\u00a0!") == "\" l'état d'urgence \" !"
    assert normalize("les vœux") == "les vœux"  # œ is spelling: kept
    assert fold_ligatures("vœux") == fold_ligatures("voeux") == "voeux"
    assert normalize("ﬁnancement") == "financement"


def test_decomposed_accents_and_offsets() -> None:
    text = "E\u0301tat de droit l’UE"
    norm, omap = normalize_with_map(text)
    assert norm == "État de droit l'UE"
    i = norm.index("UE")
    assert text[int(omap.to_original([i])[0]) : int(omap.to_original_end([i + 2])[0])] == "UE"


def test_line_end_hyphenation() -> None:
    assert normalize("le gouverne-\nment a dit") == "le gouvernement a dit"
    assert normalize("le porte-\nparole a dit") == "le porte-parole a dit"


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_offset_map_is_monotone_and_in_range(text: str) -> None:
    norm, omap = normalize_with_map(text)
    pos = list(range(len(norm) + 1))
    starts = omap.to_original(pos)
    ends = omap.to_original_end(pos)
    assert all(0 <= s <= len(text) for s in starts) and all(0 <= e <= len(text) for e in ends)
    assert list(starts) == sorted(starts) and list(ends) == sorted(ends)
    # only removed characters (soft hyphens, zero-width) may lie outside the mapped range
    assert starts[0] == 0 or normalize(text[: starts[0]]) == ""
    assert normalize(text[int(ends[-1]) :]) == ""


def test_boilerplate_of_the_seed(seed_text: str) -> None:
    norm = normalize(seed_text)
    spans = find_boilerplate(norm)
    assert [(kind, line) for _s, _e, kind, line in spans] == [
        ("read_also", ">>Lire aussi: Belgique: 46 procès pour terrorisme devant les tribunaux en 2018")
    ]
    blanked = blank_spans(norm, spans)
    assert len(blanked) == len(norm) and "Belgique" not in blanked


def test_press_and_parliament_boilerplate() -> None:
    text = (
        "PARIS, 12 mars (AFP) - Le gouvernement a présenté le texte.\n"
        "Par Jean Dupont\n"
        "Par ailleurs, le texte est adopté.\n"
        "Publié le 12/03/2018 à 10h00\n"
        "(Applaudissements sur les bancs du groupe SOC.) Le texte (AFP) est voté."
    )
    kinds = [(k, line) for _s, _e, k, line in find_boilerplate(text)]
    assert kinds == [
        ("dateline", "PARIS, 12 mars (AFP) -"),
        ("byline", "Par Jean Dupont"),
        ("published", "Publié le 12/03/2018 à 10h00"),
        ("procedure", "(Applaudissements sur les bancs du groupe SOC.)"),
        ("agency", "(AFP)"),
    ]
    # "Par ailleurs, …" is a sentence, not a byline
    assert "Par ailleurs" in blank_spans(text, find_boilerplate(text))
