"""discourse.patterns: the pattern language and matcher below frames and lexicometry."""

from __future__ import annotations

import doctest
import importlib

import pytest

import discourse.frames.dictionary
import discourse.frames.match
from discourse import patterns


def test_old_module_paths_are_the_same_modules() -> None:
    # discourse.frames.dictionary/match moved here; old imports, private names included, still work
    assert discourse.frames.dictionary is patterns.dictionary
    assert discourse.frames.match is patterns.match
    from discourse.frames.match import _VOCAB_CACHE, find_hits

    assert find_hits is patterns.find_hits and _VOCAB_CACHE is patterns.match._VOCAB_CACHE


@pytest.mark.parametrize("module", ["discourse.patterns", "discourse.patterns.dictionary", "discourse.patterns.match"])
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
