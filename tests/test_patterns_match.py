"""discourse.patterns.match: the matcher on real text (expressions, wildcards, case, senses and exclusions, a naive reference)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discourse import Corpus, Preprocessor, corpora
from discourse.frames import FrameDictionary, count_frames, document_counts, kwic, match_frames, unmatchable_patterns
from discourse.lang.fr.expressions import ExpressionLexicon
from discourse.tokens import Token, Tokens

from text_helpers import SENSES_YAML as YAML
from text_helpers import (
    all_tokens,
    make_tokens,
    sense_tokens,  # noqa: F401  (a fixture)
    simple_tokens,
)

DEFAULT = FrameDictionary.default()


@pytest.fixture(scope="module")
def seed_hits(seed_reader_tokens: Tokens) -> pd.DataFrame:
    return match_frames(seed_reader_tokens, DEFAULT)


def _spans(text: str, phrase: str) -> list[tuple[int, int]]:
    """Where a reader finds a phrase (apostrophes of any kind, case as written)."""
    rx = re.compile(re.escape(phrase).replace("'", "['’]"))
    return [(m.start(), m.end()) for m in rx.finditer(text)]


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
    k = kwic(toks, "human_rights", match_on="frame", window=0)
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


def test_context_rule_window_counts_kept_tokens() -> None:
    toks = Tokens.from_lists([["menace", "grave", "fermeture"], ["menace", "fermeture"]], doc_ids=["a", "b"])
    one = FrameDictionary.from_dict({"frames": {"f": {"concepts": {"c": {"patterns": ["menace"], "not_followed_by": ["fermeture"]}}}}})
    two = FrameDictionary.from_dict({"frames": {"f": {"concepts": {"c": {"patterns": ["menace"], "not_followed_by": ["fermeture"], "window": 2}}}}})
    assert match_frames(toks, one)["doc_id"].tolist() == ["a"]
    assert match_frames(toks, two)["doc_id"].tolist() == []
    # never across a document boundary
    edge = Tokens.from_lists([["menace"], ["fermeture"]], doc_ids=["a", "b"])
    assert match_frames(edge, one)["doc_id"].tolist() == ["a"]


def test_unmatchable_query_is_reported() -> None:
    toks = Preprocessor(progress=False, keep_texts=False).transform(Corpus.from_texts(["Le respect de l’état de droit."]))
    with pytest.warns(UserWarning, match="cannot match under this preprocessing"):
        assert kwic(toks, "respect de l'état de droit").empty
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert kwic(toks, "état de droit")["match"].tolist() == ["état de droit"]
