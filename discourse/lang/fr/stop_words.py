"""French stop words for political and institutional text, as data files.

- ``stop_words.txt`` — the default list: function words only (articles, pronouns,
  prepositions, conjunctions, the auxiliaries *être* and *avoir* with their forms, empty
  adverbs). The general-purpose lists shipped with NLP libraries also remove words that
  carry meaning in political text — *état*, *personne*, *gens*, *nouveau*, *contre*,
  *droite*, *force*, *pays*, *loi*, *droit*, *guerre*, *paix*, *sécurité* — ours keeps them
  (a test checks it).
- ``stop_words_parliament.txt`` — optional, parliamentary procedure (*séance*,
  *applaudissements*, *alinéa*, *monsieur*, *collègues*); *amendement*, *article*, *loi*,
  *texte*, *vote* are kept because they are what legislative debates are about.
- ``stop_words_newswire.txt`` — optional, agency names and press boilerplate words (*AFP*,
  *lire aussi*, weekdays of datelines).

A token is a stop word when its lowercase form or its lowercase lemma is in the list.

>>> from discourse.lang.fr.stop_words import stop_words
>>> "le" in stop_words(), "état" in stop_words(), "séance" in stop_words(domains=["parliament"])
(True, False, True)
>>> "contre" in stop_words(extra=["contre"])
True
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

__all__ = ["stop_words", "read_list", "DOMAINS", "PROTECTED"]

DATA = Path(__file__).parent
DOMAINS = {"parliament": "stop_words_parliament.txt", "newswire": "stop_words_newswire.txt"}
# Content words that must never be in the default list.
PROTECTED = frozenset(
    "état états personne personnes gens nouveau nouvelle contre droite gauche force forces pays loi lois droit droits "
    "guerre paix sécurité peuple nation monde pouvoir non sans".split()
)


@lru_cache(maxsize=None)
def read_list(name: str) -> frozenset[str]:
    """One word list from this folder (one entry a line, ``#`` comments), lowercased."""
    words = set()
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip() if not line.startswith("#") else ""
        if line:
            words.add(line.lower())
    return frozenset(words)


def stop_words(
    base: str | Iterable[str] | None = "default",
    *,
    domains: Iterable[str] = (),
    extra: Iterable[str] = (),
) -> frozenset[str]:
    """The stop-word set: a base list (``"default"``, your own words, or None for none),
    plus optional domain lists (``"parliament"``, ``"newswire"``), plus extra words.

    >>> len(stop_words(None, extra=["séance"]))
    1
    """
    if base is None:
        words: set[str] = set()
    elif isinstance(base, str):
        if base != "default":
            raise ValueError(f"stop_words must be 'default', a list of words or None, not {base!r}")
        words = set(read_list("stop_words.txt"))
    else:
        words = {w.lower() for w in base}
    for d in domains:
        if d not in DOMAINS:
            raise ValueError(f"unknown stop-word domain {d!r}; choose from {sorted(DOMAINS)}")
        words |= read_list(DOMAINS[d])
    words |= {w.lower() for w in extra}
    return frozenset(words)
