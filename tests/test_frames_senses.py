"""Senses in frame dictionaries: false friends are not counted, true senses still are, on the
real preprocessing; exclusion and context rules are reported, never silently dropped; multiword
patterns match across joined expressions; rates carry both denominators."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from discourse import Corpus, Preprocessor, corpora
from discourse.frames import (
    RATE_UNIT,
    FrameDictionary,
    FrameDictionaryError,
    compare,
    count_frames,
    document_counts,
    kwic,
    match_frames,
    progression,
    running_words,
    unmatchable_patterns,
)
from discourse.lang.fr.expressions import ExpressionLexicon
from discourse.tokens import Tokens

DEFAULT = FrameDictionary.default()
PRE = Preprocessor(progress=False)


def _hits(text: str, frame: str, dictionary: FrameDictionary = DEFAULT, pre: Preprocessor = PRE) -> list[str]:
    toks = pre.transform(Corpus.from_texts([text]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = match_frames(toks, dictionary.select([frame]))
    return m["text"].tolist()


# Sentences as they are written in the shipped corpora (Assemblée, Europarl, mariage).
FALSE_FRIENDS = [
    ("security_threat", "La loi de financement de la Sécurité sociale est adoptée."),
    ("security_threat", "Il existe donc déjà, dans ce domaine, une forme d’insécurité juridique."),
    ("security_threat", "En effet, l’insécurité routière s’aggrave en France."),
    ("security_threat", "Tous mesurent qu’une insécurité du travail se met en place."),
    ("security_threat", "Il faut renforcer la politique de sécurité alimentaire."),
    ("security_threat", "Il s'agit des conseillers à la sécurité pour le transport de marchandises dangereuses par route."),
    ("security_threat", "La résolution du Conseil de sécurité a été adoptée hier."),
    ("security_threat", "Ces données prouvent l’impact sur des espèces menacées d’extinction."),
    ("security_threat", "Ce type de proposition me semble extrêmement dangereux."),
    ("security_threat", "La solution me paraît personnellement dangereuse."),
    ("rule_of_law", "Dans l’état du droit actuel, rien ne change."),
    ("rule_of_law", "Il s’agit pour l’essentiel de transposer des règles de droit commun."),
    ("counter_terrorism", "Ce texte n’est nullement attentatoire aux libertés individuelles."),
    ("counter_terrorism", "Je suis terrorisée à l’idée de le faire."),
    ("human_rights", "Et la Direction des libertés publiques et Europol pensent de même."),
    ("sovereignty", "Le Parlement restera ensuite souverain, bien sûr."),
    ("sovereignty", "Le Conseil d’État parlait alors d’autodétermination informationnelle."),
    ("violent_extremism", "Il a cherché à radicaliser, à cliver, à rompre l'équilibre."),
    ("violent_extremism", "Nous voterons contre ces positions que nous trouvons extrémistes."),
]

TRUE_SENSES = [
    ("security_threat", "Cette montée de l’insécurité en milieu carcéral exige une réponse.", ["insécurité"]),
    ("security_threat", "Nous devons multiplier nos échanges pour la sécurité de nos concitoyens.", ["sécurité de nos concitoyens"]),
    ("security_threat", "Notre objectif est l’augmentation générale du niveau de sécurité numérique.", ["sécurité numérique"]),
    ("security_threat", "D’une part, la menace terroriste est élevée et bien réelle.", ["menace terroriste"]),
    # context rules look at the next kept token of « insécurité » only, and never at « sécuritaire »
    ("security_threat", "C’est la lutte contre l’insécurité et pour le développement économique.", ["insécurité"]),
    ("security_threat", "Pour des raisons humanitaires, sécuritaires et économiques.", ["sécuritaires"]),
    ("security_threat", "L’insécurité, c’est aussi l’insécurité sociale, l’insécurité économique.", ["insécurité"]),
    ("security_threat", "Il ne s’est jamais agi d’un fichier recensant les individus dangereux.", ["individus dangereux"]),
    ("rule_of_law", "Nous le savons tous, l’état de droit est par nature fragile.", ["état de droit"]),
    ("counter_terrorism", "Les attentats du treize novembre ont montré que la menace était grande.", ["attentats"]),
    ("counter_terrorism", "Il n’y a aucun sens car cet homme est un terroriste.", ["terroriste"]),
    ("human_rights", "Comme mon collègue Tourret, je suis soucieux des libertés publiques.", ["libertés publiques"]),
    ("sovereignty", "La souveraineté nationale est en jeu.", ["souveraineté nationale"]),
    ("sovereignty", "C'était au peuple souverain et à lui seul de se prononcer.", ["peuple souverain"]),
    ("violent_extremism", "Deux personnes sur douze s’étaient potentiellement radicalisées en prison.", ["radicalisées"]),
]


@pytest.mark.parametrize("frame, text", FALSE_FRIENDS)
def test_false_friend_not_counted(frame: str, text: str) -> None:
    assert _hits(text, frame) == []


@pytest.mark.parametrize("frame, text, expected", TRUE_SENSES)
def test_true_sense_still_counted(frame: str, text: str, expected: list[str]) -> None:
    assert _hits(text, frame) == expected


def test_etat_du_droit_is_not_joined_into_etat_de_droit() -> None:
    lex = ExpressionLexicon.default()
    assert lex.lemma_of("état du droit") is None
    assert lex.lemma_of("État de droit") == "état de droit"
    assert lex.lemma_of("séparation des pouvoirs") == "séparation des pouvoirs"
    toks = PRE.transform(Corpus.from_texts(["Dans l’état du droit actuel. L’État de droit est fragile."]))
    assert toks.to_lists() == [["état", "droit", "actuel", "état de droit", "fragile"]]
    # without stop-word removal, the lemma of « du » (de) does not make the pattern match either
    kept = Preprocessor(progress=False, stop_words=None).transform(Corpus.from_texts(["Dans l’état du droit actuel."]))
    assert match_frames(kept, DEFAULT.select(["rule_of_law"])).empty


@pytest.mark.parametrize(
    "options",
    [{}, {"stop_words": None}, {"expressions": False}, {"expressions": False, "stop_words": None}],
)
def test_multiword_pattern_across_joined_expressions(options: dict) -> None:
    text = ("Le respect de l’état de droit est essentiel. La Charte des droits fondamentaux de l'Union. "
            "La fin de l'état d'urgence approche.")
    d = FrameDictionary.from_patterns(["respect de l'état de droit", "charte des droits fondamentaux", "fin de l'état d'urgence"], frame="q")
    toks = Preprocessor(progress=False, **options).transform(Corpus.from_texts([text]))
    got = match_frames(toks, d)
    assert got["text"].tolist() == ["respect de l’état de droit", "Charte des droits fondamentaux", "fin de l'état d'urgence"]
    assert all(text[s:e] == t for s, e, t in zip(got["start"], got["end"], got["text"]))


def test_charter_found_in_europarl(data_home: Path) -> None:
    # the charter is written 4 times in the Europarl week (grep -ci on the raw files)
    toks = Preprocessor(progress=False, domain_stop_words=["parliament"]).transform(corpora.load("europarl-fr-2000"))
    k = kwic(toks, "human_rights", by="frame", window=0)
    assert (k["pattern"] == "charte des droits fondamentaux").sum() == 4


def test_unmatchable_pattern_reported_at_compile_time(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("frames:\n  r:\n    patterns: [\"respect de l'état de droit\", \"état de droit\"]\n", encoding="utf-8")
    d = FrameDictionary.from_yaml(path)
    pre = Preprocessor(progress=False, keep_texts=False)
    # without the original texts the removed words « de l' » cannot be read back
    table = unmatchable_patterns(d, pre)
    assert table["pattern"].tolist() == ["respect de l'état de droit"]
    assert table["tokens"].tolist() == ["respect | état de droit"]
    toks = pre.transform(Corpus.from_texts(["Le respect de l’état de droit."]))
    with pytest.warns(UserWarning, match=r"cannot match under this preprocessing.*respect de l'état de droit.*line 3"):
        hits = match_frames(toks, d)
    assert hits["pattern"].tolist() == ["état de droit"]
    # the default dictionary has no such pattern under the default preprocessing
    assert unmatchable_patterns(DEFAULT).empty


YAML = """\
frames:
  sec:
    concepts:
      securite:
        patterns: ["sécurité", "insécurité"]
        exclude: ["sécurité sociale"]
        not_followed_by: ["juridique*", "routière"]
        window: 2
      danger:
        patterns:
          - {pattern: "danger*", exclude: ["marchandises dangereuses"], not_preceded_by: ["produit*"]}
"""


@pytest.fixture(scope="module")
def sense_tokens() -> Tokens:
    texts = [
        "La sécurité sociale est en déficit. La sécurité des Français d'abord.",
        "L'insécurité juridique et la sécurité juridique. Un danger réel.",
        "Le transport de marchandises dangereuses. Un produit dangereux.",
    ]
    return PRE.transform(Corpus.from_texts(texts, ids=["a", "b", "c"]))


def test_exclusions_counted_as_excluded(sense_tokens: Tokens) -> None:
    d = FrameDictionary.from_yaml_string(YAML, source="senses.yaml")
    with pytest.warns(UserWarning, match=r"1 exclusion rule\(s\) never apply.*'routière' \(line 7\)"):
        t = count_frames(sense_tokens, d, ci=None)
    row = t.iloc[0]
    # counted: « sécurité » (des Français), « danger »; excluded: sociale, 2 × juridique, marchandises, produit
    assert (row["count"], row["excluded"]) == (2, 5)
    unused = pd.DataFrame(t.attrs["unused_exclusions"])
    assert unused[["kind", "rule", "line"]].values.tolist() == [["not_followed_by", "routière", 7]]
    report = pd.DataFrame(t.attrs["exclusions"]).set_index("rule")["excluded"].to_dict()
    assert report == {"sécurité sociale": 1, "juridique*": 2, "routière": 0, "marchandises dangereuses": 1, "produit*": 1}
    with pytest.warns(UserWarning):
        per_doc = document_counts(sense_tokens, d)
    assert per_doc[["doc_id", "count", "excluded"]].values.tolist() == [["a", 1, 1], ["b", 1, 2], ["c", 0, 2]]


def test_kwic_shows_excluded_hits(sense_tokens: Tokens) -> None:
    d = FrameDictionary.from_yaml_string(YAML, source="senses.yaml")
    k = kwic(sense_tokens, "sec", by="frame", dictionary=d, window=2)
    assert k[["match", "status"]].values.tolist() == [
        ["sécurité sociale", "excluded"], ["sécurité", "counted"], ["insécurité", "excluded"], ["sécurité", "excluded"],
        ["danger", "counted"], ["dangereuses", "excluded"], ["dangereux", "excluded"],
    ]
    assert k["excluded_by"].iloc[2] == "not_followed_by 'juridique*' (within 2 tokens)"
    assert k.attrs["excluded"] == 5
    only = kwic(sense_tokens, "sec", by="frame", dictionary=d, window=2, include_excluded=False)
    assert only["match"].tolist() == ["sécurité", "danger"]


def test_context_rule_window_counts_kept_tokens() -> None:
    toks = Tokens.from_lists([["menace", "grave", "fermeture"], ["menace", "fermeture"]], doc_ids=["a", "b"])
    one = FrameDictionary.from_dict({"frames": {"f": {"concepts": {"c": {"patterns": ["menace"], "not_followed_by": ["fermeture"]}}}}})
    two = FrameDictionary.from_dict({"frames": {"f": {"concepts": {"c": {"patterns": ["menace"], "not_followed_by": ["fermeture"], "window": 2}}}}})
    assert match_frames(toks, one)["doc_id"].tolist() == ["a"]
    assert match_frames(toks, two)["doc_id"].tolist() == []
    # never across a document boundary
    edge = Tokens.from_lists([["menace"], ["fermeture"]], doc_ids=["a", "b"])
    assert match_frames(edge, one)["doc_id"].tolist() == ["a"]


@pytest.mark.parametrize(
    "text, line, reason",
    [
        ("frames:\n  f:\n    concepts:\n      c:\n        patterns: [sécurité]\n        exclude: [ordre public]\n", 6,
         "cannot contain a hit of any of its patterns"),
        ("frames:\n  f:\n    patterns:\n      - {pattern: danger, exclude: [sécurité sociale]}\n", 4, "shares no word"),
        ("frames:\n  f:\n    concepts:\n      c:\n        patterns: [menace]\n        window: 3\n", 6, "no not_followed_by"),
        ("frames:\n  f:\n    concepts:\n      c:\n        patterns: [menace]\n        not_followed_by: [x]\n        window: 0\n", 7,
         "whole number of tokens from 1 to 20"),
        ("frames:\n  f:\n    concepts:\n      c:\n        patterns: [menace]\n        not_followed_by: [de fermeture]\n", 6,
         "names single words"),
        ("frames:\n  a: &x [sécurité]\n  b: *x\n", 3, "aliases"),
        ("frames:\n  f:\n    concepts:\n      c:\n        patterns: [menace]\n        exclude: []\n", 6, "empty list"),
    ],
)
def test_rule_errors_name_file_line_reason(tmp_path: Path, text: str, line: int, reason: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrameDictionaryError) as err:
        FrameDictionary.from_yaml(path)
    assert f"{path}, line {line}:" in str(err.value)
    assert reason in str(err.value)


@pytest.mark.parametrize("text", [YAML, YAML.replace("        window: 2\n", "") + "        not_preceded_by: [{word: route, window: 3}]\n"])
def test_rules_round_trip_yaml(tmp_path: Path, text: str) -> None:
    d = FrameDictionary.from_yaml_string(text)
    back = FrameDictionary.from_yaml(d.to_yaml(tmp_path / "d.yaml"))
    strip = lambda t: t.drop(columns="line").sort_values(["pattern", "kind", "rule"]).reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(strip(back.exclusions()), strip(d.exclusions()))
    assert sorted(set(d.exclusions()["window"])) == ([1, 2] if "window: 2" in text else [1, 3])


def test_default_dictionary_exclusions_are_listed() -> None:
    table = DEFAULT.exclusions()
    assert {"exclude", "not_followed_by"} <= set(table["kind"])
    assert "sécurité sociale" not in set(table["rule"])  # bare « sécurité » is no longer a pattern
    assert "attentatoire*" in set(table["rule"])
    assert "règle de droit" not in set(DEFAULT.patterns()["pattern"])


# ----------------------------------------------------------------------------- rates


def test_rates_carry_both_denominators() -> None:
    texts = ["Le terrorisme et la menace terroriste. La sécurité des Français d'abord.", "Rien à signaler ici."]
    meta = pd.DataFrame({"doc_id": ["a", "b"], "group": ["x", "y"], "date": ["2015-01-05", "2015-02-05"]})
    toks = PRE.transform(Corpus.from_texts(texts, ids=["a", "b"], metadata=meta))
    words = running_words(toks)
    assert words.tolist() == [11.0, 4.0]  # whitespace words holding a letter (« d'abord » is one)
    t = count_frames(toks, DEFAULT, ci=None).set_index("frame")
    row = t.loc["counter_terrorism"]
    assert row["words"] == 15.0 and row["tokens"] == toks.n_tokens
    assert row["rate_per_10k"] == pytest.approx(row["count"] / toks.n_tokens * 10_000)
    assert row["rate_per_10k_words"] == pytest.approx(row["count"] / 15 * 10_000)
    assert t.attrs["rate_unit"] == RATE_UNIT == "per 10,000 content tokens (stop words removed)"
    by = count_frames(toks, DEFAULT, by="group", freq="M", ci="poisson")
    assert by.attrs["rate_unit"] == RATE_UNIT
    assert by.groupby("group")["words"].max().tolist() == [11.0, 4.0]
    c = compare(toks, DEFAULT, {"group": "x"}, labels=("x", "y"))
    assert c["words_x"].iloc[0] == 11.0 and c.attrs["rate_unit"] == RATE_UNIT
    p = progression(toks, "terroris*", freq="M")
    assert p.attrs["rate_unit"] == RATE_UNIT  # count_frames' attrs survive the renaming
    per_doc = document_counts(toks, DEFAULT)
    assert per_doc.query("doc_id == 'b'")["words"].unique().tolist() == [4.0]


def test_rate_unit_without_stop_word_removal_and_without_texts() -> None:
    toks = Preprocessor(progress=False, stop_words=None, keep_texts=False).transform(Corpus.from_texts(["la menace terroriste"]))
    t = count_frames(toks, DEFAULT, ci=None)
    assert t.attrs["rate_unit"] == "per 10,000 tokens (after the preprocessing's filters)"
    assert np.isnan(t["words"]).all() and np.isnan(t["rate_per_10k_words"]).all()


def test_unmatchable_query_is_reported() -> None:
    toks = Preprocessor(progress=False, keep_texts=False).transform(Corpus.from_texts(["Le respect de l’état de droit."]))
    with pytest.warns(UserWarning, match="cannot match under this preprocessing"):
        assert kwic(toks, "respect de l'état de droit").empty
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert kwic(toks, "état de droit")["match"].tolist() == ["état de droit"]
