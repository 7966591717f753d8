"""Shared material of the adversarial suite: real sittings of the Assemblée nationale."""

from __future__ import annotations

from pathlib import Path

import pytest

from discourse import corpora
from discourse.corpus import Corpus
from discourse.preprocess import Preprocessor
from discourse.tokens import Tokens


@pytest.fixture(scope="session")
def an_debats(data_home: Path) -> Corpus:
    """The Assemblée nationale sittings (tests take the first few)."""
    return corpora.load("an-debats-2013-2018", data_home=data_home)


@pytest.fixture(scope="module")
def sittings(an_debats: Corpus) -> Corpus:
    """The first six sittings (a module may take another slice by redefining this fixture)."""
    return an_debats.select(an_debats.ids[:6])


@pytest.fixture(scope="module")
def tokens(sittings: Corpus) -> Tokens:
    """The sittings preprocessed with the default settings."""
    return Preprocessor(progress=False).transform(sittings)
