"""The French lexicon: which words French knows, under both normalisation and lemmatisation.

Normalisation asks it whether a word cut at a line end is a word (``gouverne-\\nment``);
the lemmatisers ask it whether a form is known. It imports nothing from the rest of
:mod:`discourse.lang.fr`, so neither of them imports the other for it.

>>> is_known_word("gouvernement"), is_known_word("gouverne-ment")
(True, False)
"""

from __future__ import annotations

from functools import lru_cache

import simplemma

__all__ = ["is_known_word"]


@lru_cache(maxsize=1)
def _dictionary_lemmas() -> frozenset[str]:
    """Every lemma of simplemma's French dictionary (its keys are only the inflected forms)."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    table = DefaultDictionaryFactory().get_dictionary("fr")
    return frozenset(table.values())


def is_known_word(word: str) -> bool:
    """True when simplemma's French dictionary knows ``word`` as a form or as a lemma."""
    return simplemma.is_known(word, lang="fr") or word in _dictionary_lemmas()
