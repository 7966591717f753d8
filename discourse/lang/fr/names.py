"""Person names in French political text, found fast by rules (no tagger).

Topic models of parliamentary debates spend topics on deputies' names; dropping names needs
a method cheap enough for the fast backend. Four rules, on the normalised text:

1. **After a civility title** — ``M.``, ``MM.``, ``Mme``, ``Mmes``, ``Mlle``, ``Monsieur``,
   ``Madame``, ``Mademoiselle``: the capitalised words that follow (particles *de, du, des, d',
   Le, La, van, von* allowed: ``M. Charles de Courson``, ``Mme Le Callennec``, ``M. de
   Courson``, ``MM. van Hulten et Haarder``). A title in between is skipped and the name after
   it taken: ``Monsieur le Commissaire Monti``; ``Monsieur le président`` has no name. Also a
   function then a name: ``le commissaire Patten``, ``le Premier ministre Jospin``.
2. **After a known first name** (``first_names.txt``): ``François Hollande``, ``Marine Le
   Pen`` — the first name and the capitalised words after it.
3. **Names already seen in the document**: every word of a name found by rules 1–2 (or
   given in ``known``), wherever it appears again capitalised: ``Poisson`` in a sitting where
   ``M. Jean-Frédéric Poisson`` spoke, but not ``poisson``; a sentence-initial occurrence
   only if the word is not a French word (``Blanc a raison`` is left alone).
4. **Names given by the caller** (``known``): e.g. the corpus's speaker metadata.

What is not a name here: places, organisations, acronyms; a capitalised surname met alone,
never after a title or first name in the document (``Mélenchon`` in a text that never says
``Jean-Luc Mélenchon`` or ``M. Mélenchon``) is missed. Precision and recall against spaCy's
NER and a hand-read sample are in ``docs/preprocessing.md`` (``python -m benchmarks.eval_boilerplate``).

>>> text = "M. Jean-Frédéric Poisson a parlé. Le poisson de Poisson ; François Hollande aussi."
>>> [text[s:e] for s, e in find_person_names(text)]
['Jean-Frédéric Poisson', 'Poisson', 'François Hollande']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

__all__ = ["find_person_names", "first_names"]

_DATA = Path(__file__).parent
_UPPER = "A-ZÀ-ÖØ-Ý"
_WORD = rf"[{_UPPER}][\w'’-]*\w"  # a capitalised word ("Jean-Frédéric", "N'Diaye")
_PARTICLE = r"(?:de|du|des|d'|de la|van|von|der|den|ter|Le|La|Da|Di|De|Del|Van|Von|El|Ben|Mac|Mc)"
_NAME = rf"{_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]*)?{_WORD}){{0,3}}"
_LOWER_PARTICLE = r"(?:(?:de|d'|du|von|van|van der|van den|della|di|da)[ \t]*)?"  # "M. de Courson", "M. von Wogau"
# The patterns open with a literal or a character class (which the regex engine skips to);
# that the match does not start inside a word is checked in Python (_at_word_start): a leading
# look-behind made every pattern be tried at every character, about twice slower.
_CIVILITY = re.compile(
    r"(?:M\.|MM\.|Mme|Mmes|Mlle|Mlles|Monsieur|monsieur|Madame|madame|Mademoiselle|mademoiselle|Messieurs|messieurs|Mesdames|mesdames)"
    r"[ \t]+(?:(?:le|la|les|l')[ \t]*(?P<title>[\w'-]+(?:[ \t]+(?:d'État|général|générale|délégué|déléguée))?)[ \t]+)?(?P<name>"
    + _LOWER_PARTICLE + _NAME + r"(?:(?:[ \t]*,[ \t]*|[ \t]+et[ \t]+)(?!Monsieur|Madame|M\.|Mme|MM\.)" + _LOWER_PARTICLE + _NAME + r")*)"  # "MM. van Hulten et Haarder"
)
_SEPARATOR = re.compile(r"[ \t]*,[ \t]*|[ \t]+et[ \t]+")
# a function or rank then a name: "le commissaire Patten", "le président Prodi", "le Premier
# ministre Jospin", "l'ambassadeur Moratinos", "notre collègue Mélenchon"
_TITLED = re.compile(
    r"(?:le|la|l'|notre|votre|du|au)[ \t]*(?:[Pp]remier[ \t]+ministre|[Pp]remière[ \t]+ministre|(?i:commissaire|président|présidente|ministre|rapporteur|rapporteure|"
    r"député|députée|ambassadeur|ambassadrice|chancelier|chancelière|sénateur|sénatrice|maire|général|juge|professeur|docteur|collègue|camarade|"
    r"ancien[ \t]+président|ancienne[ \t]+ministre))[ \t]+(?P<name>" + _NAME + ")"  # no "de" here: "le président du Sri Lanka"
)
_CAPITALISED_RUN = re.compile(rf"{_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]*)?{_WORD})+")
_CAPITALISED = re.compile(_WORD)
# words that follow a civility title but are not names ("Monsieur le président", "M. le ...")
_NOT_NAMES = frozenset(
    "Le La Les L' Président Présidente Ministre Premier Première Commissaire Député Députée Rapporteur Rapporteure Secrétaire "
    "Garde Questeur Doyen Doyenne Haut Haute Directeur Directrice Médiateur Vice-Président Vice-Présidente État Etat".split()
)
# institutions and places that follow "Messieurs du …", "Monsieur X, du …": never name words
_INSTITUTIONS = frozenset("Conseil Commission Parlement Gouvernement Assemblée Sénat Cour Union République Europe France Pays États Etats Nations".split())
_PLURAL = ("MM.", "Mmes", "Mlles", "Messieurs", "messieurs", "Mesdames", "mesdames")
_SENTENCE_END = frozenset(".!?…:\n")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """The first names of ``first_names.txt`` (one a line, ``#`` comments)."""
    lines = (_DATA / "first_names.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _bounded(pattern: re.Pattern[str], text: str, before: str) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` not preceded by a word character or one of ``before``; after a
    rejected match the search goes on from its second character."""
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        i = m.start()
        if i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_" or text[i - 1] in before):
            yield m
            pos = m.end() if m.end() > i else i + 1
        else:
            pos = i + 1


def _sentence_initial(text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and text[j] in " \t\"(«":
        j -= 1
    return j < 0 or text[j] in _SENTENCE_END


def _parts(name: str) -> list[str]:
    words = (w.rstrip(",") for w in re.split(r"[ \t]+", name))
    return [w for w in words if len(w) > 1 and w[0].isupper() and w not in _NOT_NAMES and w not in _INSTITUTIONS]


def find_person_names(text: str, known: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Character spans of person names in ``text`` (sorted, not overlapping).

    ``known``: names to find as well (full names or single words, e.g. a corpus's speakers);
    each of their capitalised words counts as a name word of rule 3.

    >>> find_person_names("Mme Le Callennec et M. le président Brottes répondent à Monsieur le ministre.")
    [(4, 16), (36, 43)]
    """
    from discourse.lang.fr.lexicon import is_known_word

    spans: list[tuple[int, int]] = []
    words: set[str] = set()
    for name in known:
        words.update(_parts(str(name)))
    for m in _bounded(_CIVILITY, text, "."):
        name = m.group("name")
        head = name.split()
        if head[0].split("'")[-1] in ("État", "Etat"):  # "Monsieur le secrétaire d'État"
            continue
        if m.group("title") is not None and name[0].islower():  # "Messieurs les représentants du Conseil"
            continue
        if not m.group().startswith(_PLURAL):  # "Monsieur Evans, du Pays de Galles": one name only
            first = _SEPARATOR.search(name)
            name = name if first is None else name[:first.start()]
        if any(w in _INSTITUTIONS for w in name.split()):  # "Messieurs du Conseil"
            continue
        if m.group("title") is None and head[0] in _NOT_NAMES:
            # "Mme Le Callennec" is a name, "Monsieur Le Président" (Europarl's capitals) is not
            if head[0] not in ("Le", "La") or len(head) < 2 or head[1] in _NOT_NAMES:
                continue
        # "van Hulten et Haarder": one span a name, the conjunction left out
        offset = m.start("name")
        previous = 0
        for sep in _SEPARATOR.finditer(name + ","):  # the "," ends the last name
            spans.append((offset + previous, offset + sep.start()))
            previous = sep.end()
        words.update(_parts(name))
    for m in _bounded(_TITLED, text, "'-"):
        name = m.group("name")
        head = name.split()
        if head[0] not in _NOT_NAMES or (head[0] in ("Le", "La") and len(head) > 1 and head[1] not in _NOT_NAMES):
            spans.append((m.start("name"), m.end("name")))
            words.update(_parts(name))
    firsts = first_names()
    for m in _bounded(_CAPITALISED_RUN, text, "'-"):
        head = m.group().split()[0]
        if head in firsts:
            spans.append((m.start(), m.end()))
            words.update(_parts(m.group()))
    if words:
        for m in _bounded(_CAPITALISED, text, "'-"):
            w = m.group()
            if w in words and not (_sentence_initial(text, m.start()) and is_known_word(w.lower())):
                spans.append((m.start(), m.end()))
    spans.sort()
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s <= out[-1][1] and s >= out[-1][0]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
            continue
        out.append((s, e))
    return out
