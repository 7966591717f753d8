"""discourse.textometry: the docstring examples of its modules."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("module", ["discourse.textometry.ca", "discourse.textometry._tables", "discourse.textometry.segments",
                                    "discourse.textometry.cooccurrence", "discourse.textometry.similarity",
                                    "discourse.plot.textometry"])
def test_docstring_examples(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
