"""Normalisation of French text, with a map back to the original offsets.

What changes (and why):

- Unicode NFC, so that "é" is one character whatever the source wrote;
- typographic apostrophes (’ ‘ ʼ ´ ′ ‛ ＇) become ASCII ``'`` and quotes (« » “ ” „ ‟ ″) become
  ``"``: elisions and expressions are then matched with one pattern;
- non-breaking, narrow and other special spaces become a plain space; the Unicode hyphens
  ‐ and ‑ become ``-``;
- soft hyphens and zero-width characters are removed; the Latin ligatures ﬁ ﬂ ﬀ ﬃ ﬄ are
  spelled out (they come from PDF extraction);
- a word cut at a line end (``gouverne-\\nment``) is joined; if both halves are words and
  the joined form is not (``porte-\\nparole``), the hyphen is kept instead.

The French ligatures œ and æ are *kept* in the text (they are spelling), and
:func:`fold_ligatures` gives the folded form used for matching (``vœux`` → ``voeux``).

Offsets: every token must point into the text the user gave. :func:`normalize_with_map`
returns the normalised text and an :class:`OffsetMap` that converts positions in it back to
positions in the original. Most changes are one character for one character, so the map is
usually the identity and costs nothing.

>>> normalize("l’Union européenne « unie »")
'l\\'Union européenne " unie "'
>>> text = "coe\\u0301ur l’UE"          # decomposed é: one character shorter after NFC
>>> norm, omap = normalize_with_map(text)
>>> norm.index("UE"), int(omap.to_original([norm.index("UE")])[0])
(8, 9)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from discourse.lang.fr.punctuation import APOSTROPHES, QUOTES

__all__ = ["normalize", "normalize_with_map", "fold_ligatures", "OffsetMap", "APOSTROPHES", "QUOTES"]

_SPACES = "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000"
_HYPHENS = "\u2010\u2011"

# One character for one character: str.translate keeps every offset.
_TRANSLATE = {ord(c): "'" for c in APOSTROPHES}
_TRANSLATE.update({ord(c): '"' for c in QUOTES})
_TRANSLATE.update({ord(c): " " for c in _SPACES})
_TRANSLATE.update({ord(c): "-" for c in _HYPHENS})

_REPLACE = [(chr(k), v) for k, v in _TRANSLATE.items()]

# Length-changing replacements (offsets need a map).
_EXPAND = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
_DROP = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_EXPAND_RE = re.compile("[" + "".join(_EXPAND) + _DROP + "]")
_SPECIAL = set(APOSTROPHES + QUOTES + _SPACES + _HYPHENS + "".join(_EXPAND) + _DROP)
# A lowercase letter, a hyphen, a line break (and indentation), a lowercase letter.
_HYPHENATION_RE = re.compile(r"(?<=([^\W\d_]))-[ \t]*\r?\n[ \t]*(?=[a-zà-öø-ÿœæ])")
_HYPHEN_BREAK_RE = re.compile(r"-[ \t]*\r?\n[ \t]*")
_LOWER_RE = re.compile(r"[a-zà-öø-ÿœæ]")
_WORD_LEFT_RE = re.compile(r"[^\W\d_]+$")
_WORD_RIGHT_RE = re.compile(r"[^\W\d_]+")

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})


def fold_ligatures(text: str) -> str:
    """Spell out œ and æ (for matching: ``vœux`` and ``voeux`` fold to the same string).

    >>> fold_ligatures("Les vœux du Cœur")
    'Les voeux du Coeur'
    """
    return text.translate(_LIGATURES)


@dataclass
class OffsetMap:
    """Maps positions in a normalised text back to positions in the original.

    Stored as the list of edited segments of each normalisation pass: ``norm_start``,
    ``norm_end`` (in that pass's output) replaced ``orig_start``, ``orig_end`` (in its
    input). A position outside every segment moves by the accumulated length change; a
    position inside one goes to the segment's start (for starts) or end (for ends).
    An empty map is the identity.
    """

    passes: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)

    @property
    def is_identity(self) -> bool:
        return not self.passes

    def _map(self, positions: Sequence[int] | np.ndarray, end: bool) -> np.ndarray:
        pos = np.asarray(positions, dtype=np.int64)
        for na, nb, oa, ob in reversed(self.passes):
            k = np.searchsorted(na, pos, side="right") - 1
            out = pos.copy()
            has = k >= 0
            kk = np.where(has, k, 0)
            inside = has & (pos < nb[kk]) & (pos > na[kk])
            at_start = has & (pos == na[kk])
            after = has & (pos >= nb[kk]) & ~at_start
            out[at_start] = oa[kk[at_start]]
            out[inside] = (ob if end else oa)[kk[inside]]
            out[after] = ob[kk[after]] + (pos[after] - nb[kk[after]])
            pos = out
        return pos

    def to_original(self, positions: Sequence[int] | np.ndarray) -> np.ndarray:
        """Original positions of token starts."""
        return self._map(positions, end=False)

    def to_original_end(self, positions: Sequence[int] | np.ndarray) -> np.ndarray:
        """Original positions of token ends (exclusive)."""
        return self._map(positions, end=True)


def _apply_edits(text: str, edits: list[tuple[int, int, str]]) -> tuple[str, tuple[np.ndarray, ...] | None]:
    """Apply sorted, non-overlapping (start, end, replacement) edits; return text and map pass."""
    if not edits:
        return text, None
    parts: list[str] = []
    na, nb, oa, ob = [], [], [], []
    prev = 0
    npos = 0
    for s, e, rep in edits:
        parts.append(text[prev:s])
        npos += s - prev
        na.append(npos)
        oa.append(s)
        parts.append(rep)
        npos += len(rep)
        nb.append(npos)
        ob.append(e)
        prev = e
    parts.append(text[prev:])
    arr = tuple(np.array(x, dtype=np.int64) for x in (na, nb, oa, ob))
    return "".join(parts), arr


def _nfc_edits(text: str) -> list[tuple[int, int, str]]:
    """Edits that bring ``text`` to NFC, one per run of characters that changes."""
    edits = []
    # Combining marks attach to the preceding base; normalise base+marks runs that change.
    for m in re.finditer(r"[^\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]?[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+", text):
        seg = m.group()
        rep = unicodedata.normalize("NFC", seg)
        if rep != seg:
            edits.append((m.start(), m.end(), rep))
    return edits


def _is_word(word: str) -> bool:
    from discourse.lang.fr.lexicon import is_known_word

    return is_known_word(word)


def _hyphenation_edits(text: str) -> list[tuple[int, int, str]]:
    edits = []
    # the literal "-" then a line break is found fast; the letters around are checked after
    for m in _HYPHEN_BREAK_RE.finditer(text):
        if not (m.start() > 0 and text[m.start() - 1].isalpha() and m.end() < len(text) and _LOWER_RE.match(text, m.end())):
            continue
        left = _WORD_LEFT_RE.search(text, max(0, m.start() - 80), m.start())
        right = _WORD_RIGHT_RE.match(text, m.end())
        lw = left.group() if left else ""
        rw = right.group() if right else ""
        joined = lw + rw
        keep_hyphen = not _is_word(joined) and _is_word(lw) and _is_word(rw)
        edits.append((m.start(), m.end(), "-" if keep_hyphen else ""))
    return edits


def normalize_with_map(text: str, *, dehyphenate: bool = True) -> tuple[str, OffsetMap]:
    """Normalise ``text`` and return it with the map back to the original offsets.

    >>> normalize_with_map("l’UE")[0]
    "l'UE"
    """
    omap = OffsetMap()
    if text.isascii():
        if dehyphenate and "-" in text and "\n" in text:
            text, p = _apply_edits(text, _hyphenation_edits(text))
            if p is not None:
                omap.passes.append(p)
        return text, omap
    # ligatures and invisible characters first: removing them can create NFC sequences
    if _EXPAND_RE.search(text):
        edits = [(m.start(), m.end(), _EXPAND.get(m.group(), "")) for m in _EXPAND_RE.finditer(text)]
        text, p = _apply_edits(text, edits)
        if p is not None:
            omap.passes.append(p)
    if not unicodedata.is_normalized("NFC", text):
        edits = _nfc_edits(text)
        text2, p = _apply_edits(text, edits)
        if p is not None:
            omap.passes.append(p)
        if not unicodedata.is_normalized("NFC", text2):
            # Rare: a change not covered by the combining-mark runs (e.g. Hangul jamo).
            # Fall back to character-by-character normalisation, one edit per character.
            edits = [(i, i + 1, unicodedata.normalize("NFC", ch)) for i, ch in enumerate(text2) if not unicodedata.is_normalized("NFC", ch)]
            text2, p = _apply_edits(text2, edits)
            if p is not None:
                omap.passes.append(p)
        text = text2
    # str.replace per character present is much faster than str.translate on non-ASCII text
    for ch, rep in _REPLACE:
        if ch in text:
            text = text.replace(ch, rep)
    if dehyphenate and "-" in text and "\n" in text:
        text, p = _apply_edits(text, _hyphenation_edits(text))
        if p is not None:
            omap.passes.append(p)
    return text, omap


def normalize(text: str, *, dehyphenate: bool = True) -> str:
    """Normalise ``text`` (see the module docstring); idempotent.

    >>> normalize("« L’État »\\u00a0!")
    '" L\\'État " !'
    """
    return normalize_with_map(text, dehyphenate=dehyphenate)[0]
