"""Parliamentary boilerplate and person names, on real Assemblée and Europarl text."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discourse import Corpus, corpora
from discourse.lang.fr.boilerplate import KINDS, PARLIAMENT_KINDS, blank_spans, boilerplate_table, find_boilerplate
from discourse.lang.fr.names import find_person_names
from discourse.lang.fr.normalize import normalize
from discourse.preprocess import Preprocessor, analyze

SITTING = "20131011093000000"  # a sitting of October 2013 (pension reform, articles 9 and 10)


def surface(text: str) -> str:
    """What a token's form must equal: the original span, normalised, spaces collapsed."""
    return re.sub(r"\s+", " ", normalize(text))


@pytest.fixture(scope="module")
def sitting(data_home: Path) -> str:
    """The first 40 lines of one Assemblée sitting, as published."""
    path = data_home / "an-debats-2013-2018" / "txt" / f"{SITTING}.txt"
    return "\n".join(path.read_text(encoding="utf-8").splitlines()[:40])


@pytest.fixture(scope="module")
def sittings(data_home: Path) -> Corpus:
    files = sorted((data_home / "an-debats-2013-2018" / "txt").glob("*.txt"))[:12]
    return Corpus.from_texts([f.read_text(encoding="utf-8") for f in files], ids=[f.stem for f in files])


@pytest.fixture(scope="module")
def europarl(data_home: Path) -> Corpus:
    return corpora.load("europarl-fr-2000")


def spans(text: str, kinds=None) -> list[tuple[str, str]]:
    return [(k, line) for _s, _e, k, line in find_boilerplate(normalize(text), kinds)]


# ---------------------------------------------------------------------- what is removed, what stays
def test_assemblee_sitting_exact_spans(sitting: str) -> None:
    assert spans(sitting) == [
        ("sitting", "La séance est ouverte."),
        ("attribution", "La parole est à Madame Jacqueline Fraysse, première oratrice inscrite sur l'article."),
        ("address", "Monsieur le président"),
        ("attribution", "La parole est à Monsieur Denis Jacquat."),
        ("attribution", "La parole est à Monsieur Gérard Sebaoun."),
        ("attribution", "La parole est à Monsieur Régis Juanico."),
        ("sitting", "Nous en venons aux amendements."),
        ("attribution", "La parole est à Monsieur Dolez, pour soutenir l'amendement numéro sept cent soixante-seize."),
        ("attribution", "La parole est à Madame Jacqueline Fraysse."),
        ("attribution", "La parole est à Madame la ministre."),
        ("attribution", "La parole est à Monsieur Denis Jacquat, inscrit sur l'article neuf bis."),
        ("procedure", "(Murmures sur les bancs du groupe SRC.)"),
        ("attribution", "La parole est à Monsieur Gérard Sebaoun."),
        ("attribution", "La parole est à Monsieur Denis Jacquat."),
    ]
    kept = blank_spans(normalize(sitting), find_boilerplate(normalize(sitting)))
    # the speeches stay, and so do sentences that only look like formulas
    for sentence in (", je serai la seule intervenante sur cet article.", "Mon avis est évidemment défavorable.",
                     "Sur l'article dix, plusieurs orateurs sont inscrits.", "et ce n'est pas badin, monsieur Sebaoun."):
        assert sentence in kept
    assert "Jacquat" not in kept and "La parole" not in kept and "Murmures" not in kept


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # the head of state is content: mentioned, or addressed (the Congrès), it stays
        ("Notre président de la République et notre gouvernement y travaillent sans relâche.", []),
        ("Monsieur le Président de la République, vous avez la parole.", []),
        ("Monsieur le ministre, je sais votre engagement et celui du Président de la République.", [("address", "Monsieur le ministre")]),
        ("Il est défendu, madame la présidente.", [("sitting", "Il est défendu, madame la présidente.")]),
        ("Quel est l'avis du Gouvernement ? Même avis.", [("sitting", "Quel est l'avis du Gouvernement ?"), ("sitting", "Même avis.")]),
        ("Le scrutin est annoncé dans l'enceinte de l'Assemblée nationale.", [("vote", "Le scrutin est annoncé dans l'enceinte de l'Assemblée nationale.")]),
        # the files also have attributions without "à", and sittings glued together
        ("La parole est Monsieur Marc Dolez, pour le soutenir.", [("attribution", "La parole est Monsieur Marc Dolez, pour le soutenir.")]),
        ("La séance est levée.La séance est ouverte.", [("sitting", "La séance est levée."), ("sitting", "La séance est ouverte.")]),
        # a stage direction whose closing bracket the extraction lost
        ("(Applaudissements sur les bancs du groupe SRC.", [("procedure", "(Applaudissements sur les bancs du groupe SRC.")]),
        ("(Applaudissements sur les bancs du groupe REM.) La parole est à Monsieur Ugo Bernalicis.",
         [("procedure", "(Applaudissements sur les bancs du groupe REM.)"), ("attribution", "La parole est à Monsieur Ugo Bernalicis.")]),
        ("Ma question s'adresse à Madame la ministre de l'éducation nationale.",
         [("address", "Ma question s'adresse à Madame la ministre de l'éducation nationale.")]),
        # not a bare address: the question's subject follows
        ("Ma question s'adresse à Monsieur le Premier ministre et concerne l'écotaxe poids lourds.", []),
        ("Sincèrement, monsieur le ministre de l'intérieur, je n'arrive pas à comprendre.", [("address", "monsieur le ministre de l'intérieur")]),
        ("Mes chers collègues, l'état d'urgence est par nature temporaire.", [("address", "Mes chers collègues")]),
        ("Défavorable.", [("sitting", "Défavorable.")]),
        ("Défavorable à cette réforme, le groupe votera contre.", []),
    ],
)
def test_assemblee_lines(line: str, expected: list[tuple[str, str]]) -> None:
    assert spans(line) == expected


def test_europarl_speeches(europarl: Corpus) -> None:
    chair = europarl["ep-00-01-17/ch1/sp1"].text
    assert spans(chair) == [
        ("sitting", "Je déclare reprise la session du Parlement européen qui avait été interrompue le vendredi 17 décembre dernier et "
                    "je vous renouvelle tous mes vux en espérant que vous avez passé de bonnes vacances."),
        ("procedure", "(Le Parlement, debout, observe une minute de silence)"),
    ]
    evans = europarl["ep-00-01-17/ch1/sp2"].text
    assert spans(evans) == [("address", "Madame la Présidente"), ("address", "Madame la Présidente")]
    # the names are left to the name rules
    norm = normalize(evans)
    assert [norm[s:e] for s, e in find_person_names(norm)] == ["Kumar Ponnambalam", "Ponnambalam"]
    adopted = [line for text in europarl.texts for _k, line in spans(text, ["vote"])]
    assert adopted.count("(Le Parlement adopte la résolution)") == 6


def test_kinds_can_be_chosen_and_bad_kinds_named(sitting: str) -> None:
    assert {k for k, _line in spans(sitting, ["attribution"])} == {"attribution"}
    assert set(PARLIAMENT_KINDS) <= set(KINDS)
    with pytest.raises(ValueError, match="speaker"):
        find_boilerplate("texte", ["speaker"])


def test_boilerplate_table_per_document_and_kind(sitting: str) -> None:
    table = boilerplate_table([sitting, "Le texte."], ids=[SITTING, "other"])
    assert table[["kind", "spans"]].values.tolist() == [["address", 1], ["attribution", 10], ["procedure", 1], ["sitting", 2]]
    assert set(table["doc_id"]) == {SITTING}  # nothing removed: no row
    assert table.set_index("kind").loc["sitting", "words"] == 4 + 5  # "La séance est ouverte.", "Nous en venons aux amendements."


# ---------------------------------------------------------------------- through the Preprocessor
def test_offsets_intact_and_audit_counts(sittings: Corpus) -> None:
    toks = Preprocessor(progress=False, stop_words=None, remove_punctuation=False, min_length=None).transform(sittings)
    for doc, text in zip(toks, sittings.texts):
        removed = find_boilerplate(normalize(text))
        starts = np.array([s for s, _e, _k, _l in removed])
        ends = np.array([e for _s, e, _k, _l in removed])
        for form, s, e in zip(doc.forms, doc.starts, doc.ends):
            assert surface(text[s:e]) == form
            # normalisation keeps offsets in these files (no ligature), so spans compare directly
            assert not np.any((starts <= s) & (s < ends))
    audit = toks.audit.set_index("stage")
    per_kind = {stage.split(": ")[1]: (int(row.removed), int(row.changed)) for stage, row in audit.iterrows() if stage.startswith("boilerplate removed: ")}
    assert per_kind == {"attribution": (715, 12), "sitting": (419, 12), "address": (155, 12), "procedure": (43, 10), "vote": (23, 5)}
    assert audit.loc["boilerplate removed", "removed"] == sum(n for n, _d in per_kind.values())
    assert "not found: read_also, dateline, agency, byline, published" in audit.loc["boilerplate removed", "examples"]
    assert "most in: 20131018213000000 (135)" in audit.loc["boilerplate removed: attribution", "examples"]


def test_person_names_dropped_only_with_the_option(sittings: Corpus) -> None:
    options = dict(progress=False, stop_words=None, remove_punctuation=False, min_length=None)
    kept = Preprocessor(**options).transform(sittings)
    dropped = Preprocessor(drop_person_names=True, **options).transform(sittings)
    forms_kept = set(kept.values("form"))
    forms_dropped = set(dropped.values("form"))
    # deputies named in speeches ("monsieur Sebaoun", "Monsieur Dolez") ...
    assert {"Sebaoun", "Dolez", "Jacquat"} <= forms_kept
    assert not {"Sebaoun", "Dolez", "Jacquat"} & forms_dropped
    # ... but other capitalised words stay
    assert {"Gouvernement", "France", "Sénat", "Assemblée"} <= forms_dropped
    row = dropped.audit.set_index("stage").loc["person names dropped"]
    assert row["removed"] == kept.n_tokens - dropped.n_tokens == 262
    for doc, text in zip(dropped, sittings.texts):
        for form, s, e in zip(doc.forms, doc.starts, doc.ends):
            assert surface(text[s:e]) == form


def test_speaker_list_adds_names(europarl: Corpus) -> None:
    speech = europarl["ep-00-01-17/ch1/sp6"]
    text = speech.text
    options = dict(progress=False, stop_words=None, remove_punctuation=False, min_length=None)
    plain = Preprocessor(drop_person_names=True, **options).transform([text])
    assert "Hicks" in plain.values("form")  # "un jeune homme de 34 ans appelé Hicks": no rule sees it
    listed = Preprocessor(drop_person_names=["Hicks"], **options).transform([text])
    assert "Hicks" not in listed.values("form") and "Bush" not in listed.values("form")
    with pytest.raises(ValueError, match="drop_person_names"):
        Preprocessor(drop_person_names="Hicks", **options).transform([text])


def test_names_of_a_real_sitting(sitting: str) -> None:
    norm = normalize(sitting)
    assert [norm[s:e] for s, e in find_person_names(norm)] == [
        "Jacqueline Fraysse", "Denis Jacquat", "Gérard Sebaoun", "Régis Juanico", "Dolez", "Jacqueline Fraysse",
        "Denis Jacquat", "Gérard Sebaoun", "Denis Jacquat", "Sebaoun",
    ]
    # titles are not names
    assert find_person_names("Monsieur le président, madame la ministre, Madame la Présidente.") == []


# ---------------------------------------------------------------------- properties
_PIECES = [
    "La parole est à Monsieur Jean-Frédéric Poisson.", "La séance est levée.", "Il est défendu, madame la présidente.",
    "(Applaudissements sur les bancs du groupe SRC.", "(Sourires.)", "Monsieur le ministre,", "le président de la République",
    "Quel est l'avis de la commission ?", "Défavorable.", "M. Dupont", "l'état de droit", "Mes chers collègues,", "Je mets aux voix",
    "L'amendement numéro trois est adopté.", "« Très bien ! »", "\n", " ", "…", "(", ")", ".", "M.", "Mme", "É", "’",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=12)), max_size=20).map("".join))
def test_removal_never_crashes_nor_moves_tokens(text: str) -> None:
    found = find_boilerplate(normalize(text))
    assert all(0 <= s < e <= len(normalize(text)) for s, e, _k, _l in found)
    assert all(a[1] <= b[0] for a, b in zip(found, found[1:]))  # sorted, not overlapping
    with_removal = analyze(text, expressions=False, remove_boilerplate=True)
    # (that text[start:end] is the token is checked on real sittings above; on arbitrary
    # Unicode it is the normaliser's business, e.g. presentation forms such as "שׁ")
    # a token kept is a token of the text without removal, at the same offsets, unless it
    # touches a removed span (the tokenizer sees a blank there instead of a character)
    without = {(t.start, t.end, t.form) for t in analyze(text, expressions=False)}
    norm_len = len(text)
    for t in with_removal:
        touches = any(s - 1 <= t.start <= e or s <= t.end <= e + 1 for s, e, _k, _l in found) if len(normalize(text)) == norm_len else True
        assert touches or (t.start, t.end, t.form) in without
    names = find_person_names(normalize(text))
    assert all(a[1] <= b[0] for a, b in zip(names, names[1:]))


def test_cache_key_knows_the_options() -> None:
    ids, texts = ["a"], ["La parole est à M. Jean Dupont."]
    keys = {Preprocessor(**o).cache_key(ids, texts) for o in (
        {}, {"drop_person_names": True}, {"drop_person_names": ["Dupont"]}, {"remove_boilerplate": ["procedure"]})}
    assert len(keys) == 4
