"""Fast French lemmatisation: simplemma's dictionary plus our own rules and exceptions.

No neural model: a lemma is looked up once per distinct (form, sentence-initial) pair and
cached, so a corpus of millions of tokens costs one dictionary lookup per token.

Rules, in order (each documented where it is applied in :meth:`FastLemmatizer.lemma`):

1. abbreviations from ``abbreviations.txt`` (``M.`` → ``monsieur``);
2. elided forms (``l'`` → ``le``, ``d'`` → ``de``, ``qu'`` → ``que`` …) and inverted
   clitics (``-t-il`` → ``il``);
3. numbers, punctuation, URLs: the form itself;
4. ``État``/``États`` (capital, the State) → ``État``, kept apart from ``état`` (a
   condition) unless ``fold_state=True``;
5. hand-made exceptions (``lemma_exceptions.tsv``: pronouns keep their own form, contracted
   articles ``du``/``au``/``aux`` → ``de``/``à``, fixes found on UD French-GSD *dev*);
6. acronyms (two or more capitals) keep their case (``UE``, ``ONU``, ``UNOCT``) unless they
   are a capitalised function word (``LE``, ``ET`` in a headline);
7. a capitalised word keeps its case unless it opens a sentence and its lowercase form is
   known — to simplemma, to ``invariable_words.txt`` (adverbs, interjections and nouns that
   never inflect, which simplemma does not list: ``Certes``, ``Avis``) or as an adverb in
   -ment on a known adjective (``Absolument``) — (``Le`` → ``le``; ``Mogherini`` →
   ``Mogherini``), or is a common noun simplemma lowercases itself;
8. everything else: ``simplemma.lemmatize(form, lang="fr")``, then two rules for its
   systematic errors seen on UD French-GSD *dev*: a past participle given as its own lemma
   becomes the infinitive when that verb is in the dictionary (``organisées`` → ``organiser``);
   a feminine adjective left unchanged becomes its masculine when known (``présidentielle``
   → ``présidentiel``, ``-ive`` → ``-if``, ``-euse`` → ``-eux``, ``-ienne`` → ``-ien``); a
   plural lemma loses its ``s`` when the singular is a known lemma.

Ligatures: lemmas are written with œ/æ (``vœux`` and ``voeux`` → ``vœu``): the form is
looked up folded when its ligature spelling is unknown, and the ligature is restored from
``ligatures.txt``.

>>> lem = FastLemmatizer()
>>> [lem.lemma(w) for w in ["l'", "États", "état", "UNOCT", "voeux", "vœux", "réitéré"]]
['le', 'État', 'état', 'UNOCT', 'vœu', 'vœu', 'réitérer']
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import simplemma

from discourse.lang.fr.normalize import fold_ligatures
from discourse.lang.fr.tokenize import ELISIONS, abbreviations

__all__ = ["FastLemmatizer", "invariable_words", "is_known_word", "is_ment_adverb", "lemma_exceptions", "restore_ligatures", "STATE_LEMMA"]

DATA = Path(__file__).parent
STATE_LEMMA = "État"
_STATE_FORMS = frozenset({"état", "états", "etat", "etats"})
# Capitalised function words that an all-caps headline may contain (not acronyms).
_CAPS_FUNCTION = frozenset(
    "le la les l' un une des du de d' au aux et ou en à a pour par sur dans avec sans contre ce cette ces son sa ses leur leurs "
    "qui que qu' ne n' pas plus est sont il elle ils elles on nous vous je".split()
)


@lru_cache(maxsize=1)
def _dictionary_lemmas() -> frozenset[str]:
    """Every lemma of simplemma's French dictionary (its keys are only the inflected forms)."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    table = DefaultDictionaryFactory().get_dictionary("fr")
    return frozenset(table.values())


def is_known_word(word: str) -> bool:
    """True when simplemma's French dictionary knows ``word`` as a form or as a lemma."""
    return simplemma.is_known(word, lang="fr") or word in _dictionary_lemmas()


@lru_cache(maxsize=1)
def invariable_words() -> frozenset[str]:
    """Adverbs, interjections and other invariable words simplemma does not list (``invariable_words.txt``)."""
    lines = (DATA / "invariable_words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def is_ment_adverb(word: str) -> bool:
    """True for an adverb in -ment built on a known adjective (lowercase ``word``).

    French forms these adverbs on the feminine adjective (``actuelle`` → ``actuellement``),
    on the masculine after a vowel (``absolu`` → ``absolument``), and turns ``-ent``/``-ant``
    into ``-emment``/``-amment`` (``évident`` → ``évidemment``). A name that merely ends in
    -ment (``Chevènement``) has no such adjective and is not matched.

    >>> [is_ment_adverb(w) for w in ["absolument", "actuellement", "évidemment", "chevènement", "gouvernement"]]
    [True, True, True, False, False]
    """
    if not word.endswith("ment") or len(word) < 7:
        return False
    if word.endswith("emment"):
        base = word[:-6] + "ent"
    elif word.endswith("amment"):
        base = word[:-6] + "ant"
    else:
        base = word[:-4]
    # adverbs never inflect, so the dictionary never lists them: a listed word ending in -ment
    # is a noun ("gouvernement")
    return not is_known_word(word) and is_known_word(base)


@lru_cache(maxsize=1)
def lemma_exceptions() -> dict[str, str]:
    """The table of hand-made lemmas (lowercase form → lemma) from ``lemma_exceptions.tsv``."""
    table = {}
    for line in (DATA / "lemma_exceptions.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        form, lemma = line.split("\t")[:2]
        table[form] = lemma
    return table


@lru_cache(maxsize=1)
def _ligature_table() -> list[tuple[str, str]]:
    stems = [s.strip() for s in (DATA / "ligatures.txt").read_text(encoding="utf-8").splitlines() if s.strip() and not s.startswith("#")]
    stems.sort(key=len, reverse=True)
    return [(fold_ligatures(s), s) for s in stems]


def restore_ligatures(word: str) -> str:
    """Put œ back where French spells it (``voeu`` → ``vœu``; ``coexister`` unchanged)."""
    if "oe" not in word and "Oe" not in word:
        return word
    low = word.lower()
    for folded, stem in _ligature_table():
        i = low.find(folded)
        if i != -1:
            rep = stem if not word[i].isupper() else stem[0].upper() + stem[1:]
            word = word[:i] + rep + word[i + len(folded):]
            low = word.lower()
    return word


_MODE_INIT = 1
_MODE_MID = 2
_RULES = 7  # bit 1: participles, 2: feminine adjectives, 4: plural lemmas


def _fix(form: str, lemma: str) -> str:
    """Rules for simplemma's systematic errors seen on UD French-GSD dev (see module docstring)."""
    known = _dictionary_lemmas()
    if _RULES & 1:
        # a past participle given as its own lemma (organisé, composée) → the infinitive
        for end, inf in (("ées", "er"), ("és", "er"), ("ée", "er"), ("é", "er")):
            if form.endswith(end) and (lemma == form or lemma == form[: -len(end)] + "é"):
                cand = form[: -len(end)] + inf
                if cand in known:
                    return cand
                break
    if _RULES & 2:
        # feminine or plural adjective left as is → the masculine singular, if known
        if lemma == form:
            for end, rep in (("elles", "el"), ("elle", "el"), ("ales", "al"), ("ale", "al"), ("ives", "if"), ("ive", "if"),
                             ("euses", "eux"), ("euse", "eux"), ("iennes", "ien"), ("ienne", "ien")):
                if form.endswith(end) and len(form) > len(end) + 2:
                    cand = form[: -len(end)] + rep
                    if cand in known:
                        return cand
        if _RULES & 4 and lemma.endswith("s") and lemma != form and lemma[:-1] in known and not lemma.endswith(("ss", "is", "us", "os", "as")):
            return lemma[:-1]
    return lemma


_LETTER = re.compile(r"[^\W\d_]")


class FastLemmatizer:
    """Lemma of a French token from simplemma plus our rules (see the module docstring).

    Parameters
    ----------
    fold_state:
        Lemmatise ``État`` (the State) as ``état`` like the common noun.
    exceptions:
        Extra ``form → lemma`` entries (lowercase forms), applied before the built-in table.
    """

    def __init__(self, fold_state: bool = False, exceptions: dict[str, str] | None = None) -> None:
        self.fold_state = fold_state
        self.exceptions = exceptions
        self._table = dict(lemma_exceptions())
        if exceptions:
            self._table.update({k.lower(): v for k, v in exceptions.items()})
        self._abbr = {a: lem for a, (lem, _kind) in abbreviations().items()}
        self._cache: dict[str, str] = {}
        self._cache_initial: dict[str, str] = {}

    # simplemma with ligature handling
    def _dictionary(self, word: str) -> str:
        if "œ" in word or "æ" in word or "Œ" in word or "Æ" in word:
            if not simplemma.is_known(word, lang="fr"):
                word = fold_ligatures(word)
        lemma = simplemma.lemmatize(word, lang="fr")
        if _RULES and word.islower():
            lemma = _fix(word, lemma)
        return restore_ligatures(lemma) if ("oe" in lemma or "Oe" in lemma) else lemma

    def lemma(self, form: str, initial: bool = False) -> str:
        """The lemma of ``form``; ``initial`` says the token opens a sentence.

        >>> FastLemmatizer().lemma("Le", initial=True), FastLemmatizer().lemma("Mogherini")
        ('le', 'Mogherini')
        """
        cache = self._cache_initial if initial else self._cache
        lemma = cache.get(form)
        if lemma is None:
            lemma = cache[form] = self._compute(form, initial)
        return lemma

    def _compute(self, form: str, initial: bool) -> str:
        if form in self._abbr:
            return self._abbr[form]
        low = form.lower()
        # elisions: l' d' qu' … (the table gives the full word)
        if low in ELISIONS:
            return ELISIONS[low]
        # inverted clitics: -t-il → il, -moi → moi
        if form[0] == "-" and len(form) > 1 and form[1].isalpha():
            pron = low[3:] if low.startswith("-t-") else low[1:]
            return self._table.get(pron, pron)
        if not _LETTER.search(form):
            return form  # numbers, punctuation
        if "://" in form or "@" in form or form.startswith("www."):
            return form
        if low in _STATE_FORMS:
            if form[0].isupper() and not self.fold_state:
                return STATE_LEMMA
            return "état"
        exc = self._table.get(low)
        if exc is not None and (form == low or form[0].isupper()):
            if form == low or initial or form[1:] == low[1:] or form.isupper():
                return exc
        if form[0].isupper():
            if len(form) > 1 and form.isupper() and sum(ch.isalpha() for ch in form) >= 2:
                # acronym, or a word of an all-caps headline
                if low in _CAPS_FUNCTION:
                    return self._dictionary(low)
                return form
            if form[1:] != low[1:]:
                return form  # mixed case (McDonald, iPhone): a name
            if initial:
                if is_known_word(low) or is_known_word(fold_ligatures(low)) or low in invariable_words() or is_ment_adverb(low):
                    return self._dictionary(low)
                return form
            lemma = self._dictionary(form)
            return lemma
        return self._dictionary(form)

    def lemmas(self, forms: list[str], initial: list[bool] | None = None) -> list[str]:
        """Lemmas of a list of forms (``initial`` flags sentence-opening tokens)."""
        if initial is None:
            return [self.lemma(f) for f in forms]
        return [self.lemma(f, i) for f, i in zip(forms, initial)]
