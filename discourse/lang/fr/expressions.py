"""Institutional and political multiword expressions, and the alias table.

``expressions.tsv`` lists ~240 expressions (canonical lemma, category, variants). A run of
tokens whose *match keys* equal an expression's keys is joined into one token:

- ``text``: the surface span, normalised (ASCII apostrophes, single spaces), e.g.
  ``"Nations Unies"``;
- ``lemma``: the canonical expression, e.g. ``"Nations unies"``, ``"état de droit"``,
  ``"droits fondamentaux"`` (plural kept as listed: ``droit fondamental`` gets the same
  lemma because it has the same keys);
- ``start``/``end``: start of the first word, end of the last.

A match key is the lowercase lemma of a word with accents and ligatures folded and the
articles le/la/les/l' merged, so inflected forms match (``États membres``, ``état membre``)
and ``Etat de droit`` written without its accent too. The contracted articles du, des, au/aux
keep their own key, because they change the meaning: « état du droit » (the law as it stands)
is not « état de droit » (the rule of law) and is not joined into it. Matches never cross a sentence, the
longest match wins, and matching runs left to right.

``aliases.tsv`` maps variants to one canonical lemma (``ONU`` → ``Nations unies``,
``Organisation des Nations unies`` → ``Nations unies``, ``UE`` → ``Union européenne``,
``Daech`` → ``État islamique``); the preprocessor applies it when ``aliases=True``.

Both files are plain tab-separated text so that other tools (the frame dictionary) can read
them: see :func:`read_lexicon` and :func:`read_aliases`.

>>> lex = ExpressionLexicon.default()
>>> lex.lemma_of("état de droit"), lex.lemma_of("droit fondamental"), lex.lemma_of("Etats membres")
('état de droit', 'droits fondamentaux', 'États membres')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import compress
from pathlib import Path

import numpy as np
import pandas as pd

from discourse.lang.fr.lemmatize import FastLemmatizer
from discourse.lang.fr.normalize import fold_ligatures, normalize
from discourse.lang.fr.tokenize import scan

__all__ = ["ExpressionLexicon", "read_lexicon", "read_aliases", "match_key", "LEXICON_PATH", "ALIASES_PATH"]

DATA = Path(__file__).parent
LEXICON_PATH = DATA / "expressions.tsv"
ALIASES_PATH = DATA / "aliases.tsv"
_ARTICLES = {"la": "le", "les": "le", "l'": "le"}
# Contracted articles keep their own key: the lemmatizer reads "du" as "de", which would join
# « état du droit » (the law as it stands) into « état de droit » (the rule of law). One word
# changes the meaning, so "du", "des" and "au(x)" must be written as in the expression.
_CONTRACTIONS = {"du": "du", "des": "des", "au": "au", "aux": "au"}
_SPACES = re.compile(r"\s+")


def read_lexicon(path: str | Path = LEXICON_PATH) -> pd.DataFrame:
    """The expression lexicon as a table: ``lemma``, ``category``, ``variants`` (a list)."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("lemma\t"):
            continue
        parts = line.split("\t") + ["", ""]
        lemma, category, variants = parts[0].strip(), parts[1].strip(), parts[2].strip()
        rows.append({"lemma": normalize(lemma), "category": category, "variants": [normalize(v) for v in variants.split("|") if v]})
    return pd.DataFrame(rows, columns=["lemma", "category", "variants"])


def read_aliases(path: str | Path = ALIASES_PATH) -> dict[str, str]:
    """The alias table: variant lemma → canonical lemma."""
    table = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("variant\t"):
            continue
        variant, canonical = line.split("\t")[:2]
        table[normalize(variant.strip())] = normalize(canonical.strip())
    return table


def _strip_accents(s: str) -> str:
    if s.isascii():
        return s
    return "".join(c for c in unicodedata.normalize("NFD", fold_ligatures(s)) if not unicodedata.combining(c))


class _Keys:
    """Match keys, cached per form.

    Once the lexicon is known (:meth:`restrict`), a form whose folded spelling shares no
    3-letter prefix with any lexicon word gets the empty key without being lemmatised: it
    cannot be part of an expression, and most word types of a corpus are skipped that way.
    """

    def __init__(self) -> None:
        self._lem = FastLemmatizer(fold_state=True)
        self._cache: dict[str, str] = {}
        self._prefixes: frozenset[str] | None = None

    def restrict(self, words: Iterable[str]) -> None:
        self._prefixes = frozenset(_strip_accents(w.lower())[:3] for w in words)
        self._cache.clear()

    def __call__(self, form: str) -> str:
        key = self._cache.get(form)
        if key is None:
            low = form.lower()
            if self._prefixes is not None and _strip_accents(low)[:3] not in self._prefixes and low not in self._lem._table:
                key = self._cache[form] = ""
                return key
            lemma = _CONTRACTIONS.get(low) or _ARTICLES.get(low) or self._lem.lemma(low).lower()
            key = self._cache[form] = _strip_accents(_ARTICLES.get(lemma, lemma))
        return key


@lru_cache(maxsize=1)
def _default_keys() -> _Keys:
    return _Keys()


def match_key(form: str) -> str:
    """The key a word is matched on (``"États"`` → ``"etat"``, ``"l'"`` → ``"le"``)."""
    return _default_keys()(form)


class ExpressionLexicon:
    """A set of multiword expressions matched on token keys.

    Parameters
    ----------
    expressions:
        Canonical lemmas (each is also its own first spelling), or ``(lemma, [variants])``.
    """

    def __init__(self, expressions: Iterable[str | tuple[str, Sequence[str]]]) -> None:
        self.keys = _Keys()
        self.index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        expressions = list(expressions)
        surface_words: list[str] = []
        self.lemmas: list[str] = []
        seen: dict[tuple[str, ...], str] = {}
        for item in expressions:
            lemma, variants = (item, ()) if isinstance(item, str) else (item[0], item[1])
            lemma = normalize(lemma)
            self.lemmas.append(lemma)
            for spelling in (lemma, *variants):
                words = scan(normalize(spelling))[0]
                surface_words += words
                key = tuple(self.keys(f) for f in words)
                if len(key) < 2 or key in seen:
                    continue  # single words need no joining; the first listed spelling wins
                seen[key] = lemma
                self.index.setdefault(key[0], []).append((key, lemma))
        for cands in self.index.values():
            cands.sort(key=lambda kl: -len(kl[0]))
        self.max_len = max((len(k) for k in seen), default=0)
        # a text word can match only if it looks like a lexicon word or like its key
        self.keys.restrict(surface_words + [k for key in seen for k in key])
        # for merge(): the first two keys of every expression (most candidates fail there),
        # the forms seen so far and those whose key opens an expression
        self._bigrams = frozenset(key[:2] for key in seen)
        self._seen: set[str] = set()
        self._openers: set[str] = set()

    @classmethod
    def default(cls) -> ExpressionLexicon:
        """The lexicon shipped in ``expressions.tsv``."""
        return _default_lexicon()

    @classmethod
    def from_file(cls, path: str | Path) -> ExpressionLexicon:
        """A lexicon from a file laid out like ``expressions.tsv``."""
        table = read_lexicon(path)
        return cls(zip(table["lemma"], table["variants"]))

    def __len__(self) -> int:
        return len(self.lemmas)

    def lemma_of(self, phrase: str) -> str | None:
        """The canonical lemma of a phrase if it is exactly one expression, else None."""
        key = tuple(self.keys(f) for f in scan(normalize(phrase))[0])
        for k, lemma in self.index.get(key[0], []) if key else []:
            if k == key:
                return lemma
        return None

    def find(self, keys: Sequence[str], sents: Sequence[int]) -> list[tuple[int, int, str]]:
        """Non-overlapping matches ``(first, last + 1, lemma)`` in a key sequence, left to right."""
        out = []
        n = len(keys)
        index = self.index
        taken = 0  # matches do not overlap: skip starts inside the previous match
        for i in [i for i, k in enumerate(keys) if k in index]:
            if i < taken:
                continue
            for key, lemma in index[keys[i]]:
                j = i + len(key)
                if j <= n and tuple(keys[i:j]) == key and sents[i] == sents[j - 1]:
                    out.append((i, j, lemma))
                    taken = j
                    break
        return out

    def _find_in_forms(self, forms: list[str], sents: list[int]) -> list[tuple[int, int, str]]:
        """:meth:`find` on the keys of ``forms``, computed only where a match may start."""
        # Each new form is keyed once; then only the tokens whose form opens an expression
        # (found by a set lookup run in C over the whole text) are tried, and most of them
        # stop at the second word: no Python step for the other tokens.
        new = set(forms).difference(self._seen)
        if new:
            keys, index = self.keys, self.index
            self._openers.update(f for f in new if keys(f) in index)
            self._seen |= new
        key_of = self.keys._cache  # every seen form is in it now
        out = []
        n = len(forms)
        index, bigrams = self.index, self._bigrams
        taken = 0  # matches do not overlap: skip starts inside the previous match
        for i in compress(range(n - 1), map(self._openers.__contains__, forms)):
            if i < taken:
                continue
            first = key_of[forms[i]]
            if (first, key_of[forms[i + 1]]) not in bigrams:
                continue
            for key, lemma in index[first]:
                j = i + len(key)
                if j <= n and tuple(map(key_of.__getitem__, forms[i:j])) == key and sents[i] == sents[j - 1]:
                    out.append((i, j, lemma))
                    taken = j
                    break
        return out

    def merge(
        self,
        text: str,
        forms: list[str],
        lemmas: list[str],
        pos: list[str | None],
        starts: Sequence[int] | np.ndarray,
        ends: Sequence[int] | np.ndarray,
        sents: list[int],
    ) -> tuple[list[str], list[str], list[str | None], np.ndarray, np.ndarray, list[int], list[str]]:
        """Join the expressions found in one tokenised text; also return the joined spans.

        Offsets come back as numpy arrays (``int64``), whether given as lists or arrays."""
        starts = np.asarray(starts, dtype=np.int64)
        ends = np.asarray(ends, dtype=np.int64)
        found = self._find_in_forms(forms, sents)
        if not found:
            return forms, lemmas, pos, starts, ends, sents, []
        # the first word of a match becomes the expression; the others are dropped
        keep = np.ones(len(forms), dtype=bool)
        F, L, P, N, joined = [], [], [], [], []
        prev = 0
        for i, j, lemma in found:
            F += forms[prev:i]
            L += lemmas[prev:i]
            P += pos[prev:i]
            N += sents[prev:i]
            surface = _SPACES.sub(" ", text[starts[i] : ends[j - 1]])
            F.append(surface)
            L.append(lemma)
            P.append(None if pos[i] is None else ("PROPN" if lemma[:1].isupper() else "NOUN"))
            N.append(sents[i])
            joined.append(surface)
            keep[i + 1 : j] = False
            prev = j
        F += forms[prev:]
        L += lemmas[prev:]
        P += pos[prev:]
        N += sents[prev:]
        last_word = np.array([j - 1 for _i, j, _lemma in found])
        ends = ends.copy()
        ends[[i for i, _j, _lemma in found]] = ends[last_word]
        return F, L, P, starts[keep], ends[keep], N, joined


@lru_cache(maxsize=1)
def _default_lexicon() -> ExpressionLexicon:
    table = read_lexicon()
    return ExpressionLexicon(zip(table["lemma"], table["variants"]))
