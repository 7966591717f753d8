"""Snowball stems of French lemmas (nltk's French Snowball stemmer), as an option.

Lemmas are the library's default unit: they keep apart words that a stemmer merges (« marché »
and « marcher » both stem to *march*, « terroriste » and « terrorisme » to *terror*). Stems
are offered for analyses that must be comparable with studies made on stems, or that want
derivational families merged on purpose. What is *not* stemmed, because a stem would destroy
it: joined multiword expressions (« état de droit »), words written with a capital (names,
acronyms and « État », which the lemmatiser keeps apart on purpose) and tokens without a
letter (numbers, punctuation).

>>> stem_table(["terroriste", "terrorisme", "marché", "Bruxelles", "état de droit", "2016"])
{'terroriste': 'terror', 'terrorisme': 'terror', 'marché': 'march'}
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

__all__ = ["stem", "stem_table", "is_stemmed"]


@lru_cache(maxsize=1)
def _stemmer():  # nltk is imported only when stems are asked for
    from nltk.stem.snowball import FrenchStemmer

    return FrenchStemmer()


def is_stemmed(word: str) -> bool:
    """Whether :func:`stem` changes words of this shape at all (lower-case single words with a letter).

    >>> is_stemmed("sécurité"), is_stemmed("Conseil d'État"), is_stemmed("état de droit"), is_stemmed("1958")
    (True, False, False, False)
    """
    return (bool(word) and not word[0].isupper() and " " not in word and "_" not in word
            and any(c.isalpha() for c in word))


def stem(word: str) -> str:
    """The Snowball stem of one word, or the word itself when it is not stemmed (see :func:`is_stemmed`).

    >>> stem("sécurité"), stem("chevaux"), stem("Mariton")
    ('sécur', 'cheval', 'Mariton')
    """
    return _stemmer().stem(word) if is_stemmed(word) else word


def stem_table(words: Iterable[str]) -> dict[str, str]:
    """The words a stem changes, mapped to their stem (a table for ``Tokens.map_lemmas``)."""
    table = {}
    for w in words:
        s = stem(w)
        if s != w:
            table[w] = s
    return table
