"""One apostrophe table (discourse.lang.fr.punctuation) read by every place that folds apostrophes."""

from __future__ import annotations

from pathlib import Path

import pytest

import discourse

from discourse import io
from discourse.frames.dictionary import normalize_text, split_words
from discourse.frames.match import _normalize_all
from discourse.lang.fr import normalize
from discourse.lang.fr.punctuation import APOSTROPHE_TABLE, APOSTROPHES, QUOTES


@pytest.mark.parametrize("quote", list(APOSTROPHES))
def test_every_apostrophe_is_folded_the_same_everywhere(quote):
    text = f"l{quote}état d{quote}urgence"
    assert normalize(text) == "l'état d'urgence"
    assert normalize_text(text) == "l'état d'urgence"
    assert _normalize_all([text, "paix"]) == ["l'état d'urgence", "paix"]
    assert io._normalise_for_duplicates(text) == "l'état d'urgence"
    assert split_words(normalize_text(text)) == ("l'", "état", "d'", "urgence")


def test_the_table_is_one_character_for_one():
    assert len(APOSTROPHES) == len(set(APOSTROPHES)) and not set(APOSTROPHES) & set(QUOTES)
    assert all(len(c.translate(APOSTROPHE_TABLE)) == 1 for c in APOSTROPHES)
    assert "l'État".translate(APOSTROPHE_TABLE) == "l'État"


def _apostrophe_tables(text: str) -> list[str]:
    """Lines naming three apostrophes or more, literally or as escapes: a table of its own."""
    names = {c: (c, f"\\u{ord(c):04x}", f"\\u{ord(c):04X}") for c in APOSTROPHES}
    return [line for line in text.splitlines() if sum(any(n in line for n in v) for v in names.values()) >= 3]


def test_no_other_module_writes_its_own_apostrophe_table():
    old_dictionary_line = """_APOSTROPHES = str.maketrans({"\\u2019": "'", "\\u02bc": "'", "\\u2018": "'", "`": "'"})"""
    assert _apostrophe_tables(old_dictionary_line)  # the check sees a table when there is one
    root = Path(discourse.__file__).parent
    owners = {str(p.relative_to(root)): lines for p in sorted(root.rglob("*.py")) if p.name != "punctuation.py"
              for lines in [_apostrophe_tables(p.read_text(encoding="utf-8"))] if lines}
    # the module docstring of normalize lists the characters it folds; that is prose, not a table
    assert owners == {"lang/fr/normalize.py": ["- typographic apostrophes (’ ‘ ʼ ´ ′ ‛ ＇) become ASCII ``'`` and quotes (« » “ ” „ ‟ ″) become"]}
