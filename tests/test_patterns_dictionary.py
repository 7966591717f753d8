"""Frame dictionaries: the default dictionary, the YAML format and its error messages."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from discourse.frames import FrameDictionary, FrameDictionaryError
from discourse.frames.dictionary import split_words

from text_helpers import SENSES_YAML as YAML


def test_default_dictionary_frames_and_glosses() -> None:
    d = FrameDictionary.default()
    assert d.frame_names == [
        "rule_of_law", "multilateralism", "counter_terrorism", "violent_extremism",
        "human_rights", "sovereignty", "security_threat", "state_of_emergency",
    ]
    table = d.frames_table()
    assert table.gloss.str.len().gt(0).all() and table.description.str.len().gt(0).all()
    pats = d.patterns()
    assert pats.gloss.str.len().gt(0).all()  # every concept has an English gloss
    row = pats[pats.pattern == "état de droit"].iloc[0]
    assert (row.frame, row.concept, row.gloss, row.words) == ("rule_of_law", "etat_de_droit", "rule of law", 3)
    assert set(pats[pats.case_sensitive].pattern) == {"EI", "État islamique", "CEDH"}
    for p in ["multilatéral*", "terroris*", "antiterroris*", "gouvernance mondiale", "état d'urgence", "radicalis*", "primauté du droit"]:
        assert p in set(pats.pattern), p
    # the file is valid YAML for the safe loader and every pattern line is known
    assert pats.line.notna().all()


def test_split_words_follows_tokenizer_conventions() -> None:
    assert split_words("droits de l’homme") == ("droits", "de", "l'", "homme")
    assert split_words("  état   d'urgence ") == ("état", "d'", "urgence")
    assert split_words("aujourd'hui") == ("aujourd'hui",)


def test_round_trip_yaml(tmp_path: Path) -> None:
    d = FrameDictionary.default()
    back = FrameDictionary.from_yaml(d.to_yaml(tmp_path / "frames.yaml"))
    assert back.patterns().drop(columns="line").equals(d.patterns().drop(columns="line"))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "text, line, reason",
    [
        ("frames:\n  rule_of_law:\n    concepts:\n      a: {patterns: [état de droit\n", 5, "malformed YAML: expected ',' or ']'"),
        ("frames:\n  t:\n    concepts:\n      a: [x, y\n      b: [z]\n", 5, "flow sequence started at line 4"),
        ("frames:\n  t:\n   concepts:\n      a: [x]\n  bad indent\n", 6, "simple key started at line 5"),
        ("frames:\n  rule_of_law:\n    concepts:\n      a:\n        patterns: ['*']\n", 5, "would match every token"),
        ("frames:\n  t:\n    concepts:\n      a:\n        patterns: [terror*ism]\n", 5, "only a final"),
        ("frames:\n  t:\n    concept:\n      a: [x]\n", 3, "unknown key 'concept'"),
        ("frames:\n  t:\n    concepts:\n      a:\n        patterns: []\n", 5, "empty pattern list"),
        ("frames:\n  t:\n    concepts:\n      a: [x]\n      b: [y, X]\n", 5, "appears twice in frame 't'"),
        ("frames:\n  t:\n    concepts:\n      a: [x]\n  t:\n    concepts:\n      b: [y]\n", 5, "duplicate key 't'"),
        ("frames:\n  t:\n    concepts:\n      a: {gloss: x}\n", 4, "has no 'patterns:'"),
        ("frames:\n  t:\n    label: T\n", 2, "has no concepts"),
        ("frames: {}\n", 1, "'frames' is empty"),
        ("rules:\n  t: [x]\n", 1, "unknown key 'rules'"),
        ("frames:\n  t:\n    concepts:\n      a:\n        patterns:\n          - {pattern: EI, case_sensitive: maybe}\n", 6, "true or false"),
        ("frames:\n  t:\n    concepts:\n      a:\n        patterns: [x, [y]]\n", 5, "must be text"),
        ("", 1, "empty"),
    ],
)
def test_invalid_dictionary_names_file_line_reason(tmp_path: Path, text: str, line: int, reason: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(FrameDictionaryError) as err:
        FrameDictionary.from_yaml(path)
    message = str(err.value)
    assert message.startswith(f"{path}, line {line}:"), message
    assert reason in message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FrameDictionaryError, match="cannot read"):
        FrameDictionary.from_yaml(tmp_path / "nope.yaml")


def test_short_wildcard_warns(tmp_path: Path) -> None:
    path = _write(tmp_path, "frames:\n  t:\n    concepts:\n      a:\n        patterns: ['é*']\n")
    with pytest.warns(UserWarning, match=r"line 5: pattern 'é\*' has a very short prefix"):
        FrameDictionary.from_yaml(path)


def test_no_python_objects_from_yaml(tmp_path: Path) -> None:
    path = _write(tmp_path, "frames: !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(FrameDictionaryError, match="line 1"):
        FrameDictionary.from_yaml(path)


def test_shorthands_and_case_inheritance() -> None:
    d = FrameDictionary.from_yaml_string(
        "frames:\n  acronyms:\n    case_sensitive: true\n    patterns: [ONU, UE]\n  plain: [sécurité]\n", source="inline"
    )
    pats = d.patterns()
    assert pats.values[:, :4].tolist() == [
        ["acronyms", "acronyms", "ONU", True], ["acronyms", "acronyms", "UE", True], ["plain", "plain", "sécurité", False]
    ]


def test_coerce_and_select(tmp_path: Path) -> None:
    d = FrameDictionary.default()
    assert FrameDictionary.coerce(None).frame_names == d.frame_names
    assert FrameDictionary.coerce(d) is d
    path = d.select(["sovereignty"]).to_yaml(tmp_path / "s.yaml")
    assert FrameDictionary.coerce(path).frame_names == ["sovereignty"]
    assert FrameDictionary.coerce(yaml.safe_load(path.read_text(encoding="utf-8"))).frame_names == ["sovereignty"]
    with pytest.raises(KeyError, match="no frame 'peace'"):
        d.select("peace")
    with pytest.raises(TypeError):
        FrameDictionary.coerce(42)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FrameDictionary.default()  # the shipped dictionary raises no warning


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("aéE’' \u00a0\t-\u0301xÉ*")), max_size=12), max_size=20))
def test_vocabulary_normalisation_equals_per_entry(values: list[str]) -> None:
    # the batched normalisation used to index vocabularies gives what normalize_text gives per entry
    from discourse.frames.dictionary import normalize_text
    from discourse.frames.match import _normalize_all

    assert _normalize_all(values) == [normalize_text(v) for v in values]


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abdéltqu’' -")), min_size=1, max_size=30))
def test_split_words_round_trip(text: str) -> None:
    # splitting never loses letters: the words put back together give the normalised text without spaces
    from discourse.frames.dictionary import normalize_text

    assert "".join(split_words(text)) == normalize_text(text).replace(" ", "")


DEFAULT = FrameDictionary.default()


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
