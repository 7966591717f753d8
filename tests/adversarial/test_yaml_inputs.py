"""Hostile YAML: the billion laughs, merge keys, deep nesting, oversized files, duplicate keys.

Each case must be refused with a YAMLInputError naming the file and line, before any expansion.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from discourse import yaml_safe
from discourse.frames.dictionary import FrameDictionary, FrameDictionaryError

# The classic "billion laughs": 9 levels of 9 references, about 0.5 kB; expanded it is 9**9 strings.
LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [" + ", ".join([f"*{chr(ord('a') + i - 1)}"] * 9) + "]\n"
    for i in range(1, 9)
)


def test_billion_laughs_is_refused_at_the_first_alias(tmp_path: Path) -> None:
    assert len(LAUGHS) < 600
    path = tmp_path / "analyse.yaml"
    path.write_text(LAUGHS, encoding="utf-8")
    with pytest.raises(yaml_safe.YAMLInputError, match=r"analyse\.yaml, line 2: aliases \(\*a\) are not allowed"):
        yaml_safe.load(path)


def test_billion_laughs_in_a_frame_dictionary_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cadres.yaml"
    path.write_text(LAUGHS, encoding="utf-8")
    with pytest.raises(FrameDictionaryError, match=r"cadres\.yaml, line 2: aliases"):
        FrameDictionary.from_yaml(path)


def test_anchor_without_alias_is_harmless() -> None:
    assert yaml_safe.load_text("cadre: &c état de droit\n") == {"cadre": "état de droit"}


def test_merge_key_is_refused() -> None:
    with pytest.raises(yaml_safe.YAMLInputError, match="line 1: merge keys"):
        yaml_safe.load_text("<<: {a: 1}\nb: 2\n")


def test_deep_nesting_is_refused_before_recursion_error() -> None:
    text = "[" * 5000 + "]" * 5000
    with pytest.raises(yaml_safe.YAMLInputError, match="nested more than 64 levels"):
        yaml_safe.load_text(text, "profond.yaml")


def test_oversized_file_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "gros.yaml"
    path.write_bytes(b"a: " + b"x" * 2000 + b"\n")
    with pytest.raises(yaml_safe.YAMLInputError, match=r"gros\.yaml: 2,004 bytes, over the limit of 1,000"):
        yaml_safe.load(path, max_bytes=1000)
    monkeypatch.setattr(yaml_safe, "MAX_BYTES", 1000)
    with pytest.raises(FrameDictionaryError, match="over the limit"):
        FrameDictionary.from_yaml(path)


def test_duplicate_key_names_both_lines() -> None:
    with pytest.raises(yaml_safe.YAMLInputError, match=r"f\.yaml, line 3: duplicate key 'corpus' \(first at line 1\)"):
        yaml_safe.load_text("corpus: a\nout: b\ncorpus: c\n", "f.yaml")


def test_malformed_yaml_names_the_line() -> None:
    with pytest.raises(yaml_safe.YAMLInputError, match=r"f\.yaml, line 2: malformed YAML"):
        yaml_safe.load_text("a: [1\nb: 2\n", "f.yaml")


def test_not_utf8_and_folder_and_missing(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("nom: d\xe9bat\n".encode("latin-1"))
    with pytest.raises(yaml_safe.YAMLInputError, match="not UTF-8"):
        yaml_safe.load(bad)
    with pytest.raises(yaml_safe.YAMLInputError, match="is a folder"):
        yaml_safe.load(tmp_path)
    with pytest.raises(yaml_safe.YAMLInputError, match="cannot read"):
        yaml_safe.load(tmp_path / "absent.yaml")


def test_python_tags_are_refused() -> None:
    with pytest.raises(yaml_safe.YAMLInputError, match="line 1"):
        yaml_safe.load_text("a: !!python/object/apply:os.system [echo]\n")


def test_lines_of_nested_values() -> None:
    text = "corpus:\n  nom: débats\nframes:\n  counts:\n    - freq: Y\n      by: groupe\n"
    data, where = yaml_safe.load_with_lines(text, "analyse.yaml")
    assert data["frames"]["counts"][0] == {"freq": "Y", "by": "groupe"}
    assert where.line("frames", "counts", 0, "by") == 6
    assert where.where("corpus", "nom") == "analyse.yaml, line 2"
    # a key that is absent points to its nearest parent
    assert where.line("frames", "counts", 0, "absent") == 5


def test_default_dictionary_still_loads() -> None:
    assert "rule_of_law" in FrameDictionary.default().frame_names
