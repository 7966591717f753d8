"""French tokenisation: one regular expression, offsets kept, sentences numbered.

Decisions (chosen to match the Universal Dependencies French-GSD conventions where they
exist, so that accuracy can be measured against it):

- elided forms are split and keep their apostrophe: ``l'UE`` → ``l'`` + ``UE``; the same for
  d' qu' n' s' c' j' m' t' jusqu' lorsqu' puisqu' quoiqu' presqu' (upper case too);
- ``aujourd'hui``, ``quelqu'un(e)``, ``presqu'île``, ``prud'homme``, ``l'on`` stay whole;
- hyphenated compounds stay whole (``États-Unis``, ``peut-être``, ``vis-à-vis``,
  ``c'est-à-dire``), but an inverted clitic is split off with its hyphen, as in GSD:
  ``a-t-il`` → ``a`` + ``-t-il``, ``dit-elle`` → ``dit`` + ``-elle``, ``est-ce`` → ``est`` + ``-ce``;
- numbers stay whole with their decimal comma or point and with spaces between groups of
  three digits (``80 000``, ``12,5``); URLs and e-mail addresses are one token (an address
  is read from the start of its run of address characters: ``.jean@un.org`` gives ``.`` +
  ``jean`` + ``@`` …, which keeps the scan linear in the length of the text);
- abbreviations listed in ``abbreviations.txt`` keep their period (``M.``, ``art.``,
  ``etc.``), as do dotted acronyms (``U.E.``) and initials before a name (``J. Dupont``);
- acronyms keep their case (``UE``, ``ONU``, ``UNOCT``);
- sentences end after ``.``, ``!``, ``?`` or ``…`` unless a lowercase word follows, after a
  "text" abbreviation such as ``etc.`` only when a capitalised word follows, never after a
  title (``M.``, ``Mme``), and always at a line break.

The tokenizer works on normalised text (see :mod:`discourse.lang.fr.normalize`); the
apostrophe is then always ASCII.

>>> [t.text for t in tokenize("L'UE a-t-elle réitéré, aujourd'hui, son soutien à M. Voronkov ?")]
["L'", 'UE', 'a', '-t-elle', 'réitéré', ',', "aujourd'hui", ',', 'son', 'soutien', 'à', 'M.', 'Voronkov', '?']
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import numpy as np

__all__ = ["tokenize", "scan", "scan_arrays", "RawToken", "abbreviations", "ELISIONS", "CLITICS"]

DATA = Path(__file__).parent

# Elided forms and their lemma (the article l' is lemmatised "le", as in UD: the gender
# of the following noun is not known without a tagger).
ELISIONS = {
    "l'": "le", "d'": "de", "qu'": "que", "n'": "ne", "s'": "se", "c'": "ce", "j'": "je",
    "m'": "me", "t'": "te", "jusqu'": "jusque", "lorsqu'": "lorsque", "puisqu'": "puisque",
    "quoiqu'": "quoique", "presqu'": "presque",
}
# Inverted subject or object pronouns after a hyphen (``dit-il``, ``donnez-le``).
CLITICS = ("je", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "le", "la", "les", "lui", "leur", "leurs", "moi", "toi", "y", "en", "ce", "ci")
# Words with an apostrophe that are not elisions.
_APOSTROPHE_WORDS = r"aujourd'hui|quelqu'une?|quelques?-un(?:e)?s?|presqu'îles?|prud'hom\w*|entr'\w+|l'on|c'est-à-dire|c'est-à-d\.?|main-d'œuvre|main-d'oeuvre|hors-d'œuvre|hors-d'oeuvre|pomme-de-terre"
# Hyphenated words whose last part looks like a clitic but is not one.
_CLITIC_LIKE_WORDS = r"rendez-vous|garde-à-vous|chez-soi|chez-moi|chez-nous|chez-vous|va-et-vient|qu'en-dira-t-on|sans-le-sou|m'as-tu-vu|décroche-moi-ça|laissez-passer|ci-dessous|ci-dessus|ci-joint|ci-après|ci-contre|ci-gît|celui-ci|celle-ci|ceux-ci|celles-ci|celui-là|celle-là|ceux-là|celles-là|là-bas|là-dessus|là-dessous|là-haut|là-dedans|jusque-là|ce-faisant"


class RawToken(NamedTuple):
    """A token before lemmatisation: surface text (normalised), offsets, sentence number."""

    text: str
    start: int
    end: int
    sent: int


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, tuple[str, str]]:
    """The abbreviation table: abbreviation → (lemma, class) with class ``title`` or ``text``."""
    table = {}
    for line in (DATA / "abbreviations.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        abbr, lemma, kind = line.split("\t")
        table[abbr] = (lemma, kind)
    return table


def _build_pattern() -> re.Pattern[str]:
    letter = r"[^\W\d_]"
    alnum = r"[^\W_]"
    c = "|".join(CLITICS)
    # one clitic, possibly followed by more (``dis-le-moi``), ending the hyphenated word
    clitic_end = r"-(?:t-)?(?:" + c + r")(?=(?:-(?:" + c + r"))*(?![\w-]))"
    clitic_chain = r"(?:t-)?(?:" + c + r")(?:-(?:" + c + r"))*(?![\w-])"
    abbr = sorted((a for a in abbreviations() if a.endswith(".")), key=len, reverse=True)
    abbr_alt = "|".join(re.escape(a) for a in abbr)
    elisions = sorted(ELISIONS, key=len, reverse=True)
    elision_alt = "|".join(re.escape(e[:-1]) for e in elisions)
    parts = [
        # fast path (most tokens): a plain word or a comma-like mark that no rule below
        # could read differently (not followed by an apostrophe, hyphen, period, @, colon…)
        letter + r"+(?![\w'@.:/-])",
        r"[,;()\"%']|\.(?!\.)|[?!]+",
        # elided forms (only at the start of a word, before a letter, digit or quote),
        # except the words that keep their apostrophe (presqu'île, l'on, c'est-à-dire)
        r"(?<!" + alnum + r")(?!(?i:presqu'île|l'on(?!\w)|c'est-à-d))(?i:" + elision_alt + r")'(?=\s?[\w\"])",
        # URLs and e-mail addresses
        r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]]",
        # (tried only where a run of address characters starts, and without backtracking:
        # tried at every position of a long run such as ``a_b_a_b…`` it made the scan quadratic)
        r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+",
        # words with an apostrophe or clitic-looking ending that stay whole
        r"(?<!" + alnum + r")(?i:" + _APOSTROPHE_WORDS + "|" + _CLITIC_LIKE_WORDS + r")(?![\w])",
        # inverted clitic pronoun
        r"(?<=" + alnum + r")(?i:" + clitic_end + r")",
        # abbreviations with their period
        r"(?<!" + alnum + r")(?:" + abbr_alt + r")(?![\w])",
        # dotted acronyms (U.E., J.-C.) and initials before a capitalised name
        r"(?<!" + alnum + r")[A-ZÀ-Ý]\.(?:-?[A-ZÀ-Ý]\.)+",
        r"(?<!" + alnum + r")[A-ZÀ-Ý]\.(?=\s[A-ZÀ-Ý][a-zà-ÿ])",
        # numbers: groups of three digits separated by a space, decimals, ordinals
        r"(?<!\d)\d{1,3}(?: \d{3})+(?:[,.]\d+)?(?![\d])",
        r"\d+(?:[.,]\d+)+",
        # words, with hyphenated parts that are not a final inverted clitic
        alnum + r"+(?:-(?!" + clitic_chain + r")" + alnum + r"+)*",
        # punctuation: runs of dots, ?!, double dash; otherwise one character
        r"\.{2,}|[?!]+|--|\S",
    ]
    return re.compile("|".join(f"(?:{p})" for p in parts))


_PATTERN: re.Pattern[str] | None = None


def pattern() -> re.Pattern[str]:
    """The compiled token pattern (built once from the data files)."""
    global _PATTERN
    if _PATTERN is None:
        _PATTERN = _build_pattern()
    return _PATTERN


_FINAL = frozenset({".", "!", "?", "…", "...", "?!", "!?", "!!", "??", "...."})
_CLOSERS = frozenset({'"', ")", "]", "»", "'"})
_NEWLINE = re.compile(r"\n")


_WS_LIMIT = 0x3001  # no character above U+3000 is whitespace (str.isspace)
_WS_TABLE = np.array([chr(i).isspace() for i in range(_WS_LIMIT)] + [False])
_ENDERS = np.array([ord(c) for c in ".!?…"], dtype=np.uint32)  # last characters of _FINAL and abbreviations
_TOKENS: tuple[re.Pattern[str], re.Pattern[str]] | None = None  # (token pattern, the findall built on it)


def _codes(text: str) -> np.ndarray:
    """The code points of ``text`` as an array (lone surrogates kept, as str indexing does)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _not_space(codes: np.ndarray) -> np.ndarray:
    return ~_WS_TABLE[np.minimum(codes, _WS_LIMIT)]


def scan(text: str) -> tuple[list[str], list[int], list[int], list[int]]:
    """Tokenise normalised ``text`` into parallel lists: forms, starts, ends, sentence ids.

    This is the fast path used by the preprocessor (no object per token).
    """
    forms, first, last, sents = scan_arrays(text)
    return forms, first.tolist(), last.tolist(), sents


def scan_arrays(text: str) -> tuple[list[str], np.ndarray, np.ndarray, list[int]]:
    """:func:`scan` with the start and end offsets as numpy arrays (``int64``), as the
    preprocessor stores them."""
    # One findall of the token pattern behind a possessive run of blanks: the regex engine
    # skips the blanks at once instead of trying every alternative at each of them, and gives
    # the tokens as strings without a match object each. The offsets are then recovered with
    # numpy, without a Python step per token: tokens start on a non-blank character and,
    # between them, only blanks are skipped, so the i-th token starts at the k-th non-blank
    # character of the text, k being the number of non-blank characters of the tokens
    # before it (a token may hold blanks: « 80 000 »).
    global _TOKENS
    token = pattern()
    if _TOKENS is None or _TOKENS[0] is not token:  # (rebuilt if the token pattern is swapped, as a benchmark does)
        _TOKENS = (token, re.compile(r"\s*+(" + token.pattern + ")", token.flags))
    forms = _TOKENS[1].findall(text)
    n = len(forms)
    if not n:
        return [], np.zeros(0, np.int64), np.zeros(0, np.int64), []
    lengths = np.fromiter(map(len, forms), dtype=np.int64, count=n)
    solid = _not_space(_codes("".join(forms)))
    if solid.all():
        solid = lengths
    else:  # some token holds a blank: count the non-blank characters of each
        filled = np.concatenate(([0], np.cumsum(solid)))
        token_ends = np.cumsum(lengths)
        solid = filled[token_ends] - filled[token_ends - lengths]
    codes = _codes(text)
    first = np.flatnonzero(_not_space(codes))[np.cumsum(solid) - solid]
    last = first + lengths
    # a token that may end a sentence ends with . ! ? or …: found from those characters
    after = np.flatnonzero(np.isin(codes, _ENDERS)) + 1
    at = np.searchsorted(last, after)
    inside = at < n
    at, after = at[inside], after[inside]
    candidates = at[last[at] == after].tolist()
    sents = _sentence_ids(forms, first, last, np.flatnonzero(codes == 10), candidates)
    return forms, first, last, sents


def _scan_reference(text: str) -> list[tuple[int, int]]:
    """The token spans the pattern alone gives (what :func:`scan` must reproduce; for tests)."""
    return [m.span() for m in pattern().finditer(text)]


def sentence_ids(text: str, forms: list[str], starts: list[int], ends: list[int]) -> list[int]:
    """Number the sentences of a tokenised text (see the module docstring for the rules)."""
    newlines = np.array([m.start() for m in _NEWLINE.finditer(text)], dtype=np.int64)
    return _sentence_ids(forms, np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64), newlines, range(len(forms)))


def _sentence_ids(forms: list[str], first: np.ndarray, last: np.ndarray, newlines: np.ndarray, candidates: Iterable[int]) -> list[int]:
    """:func:`sentence_ids` given the offsets as arrays, the newline offsets, and the indices
    of the tokens that may end a sentence (a sorted superset of them)."""
    n = len(forms)
    if not n:
        return []
    abbr = abbreviations()
    boundary = np.zeros(n, dtype=np.int32)  # 1 where a new sentence starts
    if len(newlines):
        # token i opens a line when a newline lies between the end of token i-1 and its start
        idx = np.searchsorted(first, newlines, side="left")
        ok = (idx > 0) & (idx < n)
        idx = idx[ok]
        ok2 = last[idx - 1] <= newlines[ok]
        boundary[idx[ok2]] = 1
    for i in candidates:
        f = forms[i]
        if f not in _FINAL and (f[-1] != "." or (f not in abbr and f.strip(".") != "")):
            continue
        if f in abbr:
            if abbr[f][1] != "text" or i + 1 >= n or not forms[i + 1][:1].isupper():
                continue
        j = i + 1
        prev_end = last[i]
        while j < n and forms[j] in _CLOSERS and first[j] == prev_end:
            prev_end = last[j]
            j += 1  # a closing quote or bracket stays with the sentence it ends
        if j >= n:
            continue
        f2 = forms[j]
        if f2[0].islower() or f2 in (",", ";", ":"):
            continue
        boundary[j] = 1
    boundary[0] = 0
    return np.cumsum(boundary).tolist()


def tokenize(text: str) -> list[RawToken]:
    """Tokenise normalised French text (offsets into ``text``).

    >>> [t.text for t in tokenize("jusqu'à présent, l'Union européenne")]
    ["jusqu'", 'à', 'présent', ',', "l'", 'Union', 'européenne']
    """
    forms, starts, ends, sents = scan(text)
    return [RawToken(f, s, e, n) for f, s, e, n in zip(forms, starts, ends, sents)]
