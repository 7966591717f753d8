"""Fast French lemmatisation: simplemma's dictionary plus our own rules and exceptions.

No neural model: a lemma is looked up once per distinct (form, sentence-initial) pair and
cached, so a corpus of millions of tokens costs one dictionary lookup per token, plus a
context lookup for the few percent of tokens whose reading depends on their neighbours.

Rules, in order (each documented where it is applied in :meth:`FastLemmatizer.lemma`):

1. abbreviations from ``abbreviations.txt`` (``M.`` → ``monsieur``);
2. elided forms (``l'`` → ``le``, ``d'`` → ``de``, ``qu'`` → ``que`` …) and inverted
   clitics (``-t-il`` → ``il``);
3. numbers, punctuation, URLs: the form itself;
4. ``État``/``États`` (capital, the State) → ``État``, kept apart from ``état`` (a
   condition) unless ``fold_state=True``;
5. hand-made exceptions (``lemma_exceptions.tsv``: pronouns keep their own form, contracted
   articles ``du``/``au``/``aux`` → ``de``/``à``, fixes found on UD French-GSD *dev*);
6. words in capitals: a function word of a headline (``LE``, ``ET``) or a known word of four
   letters or more (``CONDITIONS`` → ``condition``) is lemmatised; other ones are acronyms
   and keep their case (``UE``, ``ONU``, ``USA``, ``UNOCT``);
7. a capitalised word that opens a sentence is lowercased when its lowercase form is known —
   to simplemma, to ``invariable_words.txt`` (adverbs, interjections and nouns that never
   inflect: ``Certes``, ``Avis``) or as an adverb in -ment on a known adjective
   (``Absolument``) — unless the learnt table tags it as a proper noun (``Chine``); inside a
   sentence a capitalised word is a name and keeps its form (``Buffet``, ``Poisson``,
   ``Blanc``), unless the learnt table lists it as a common word written with a capital
   (``Gouvernement``); in context (:meth:`FastLemmatizer.lemmas_in_context`) a title or a
   first name before it makes it a name (« M. Blanc »), otherwise the tagger decides whether a
   known word is a name or a common word (« la Santé » → santé, « la Chine » stays);
8. everything else: ``simplemma.lemmatize(form, lang="fr")``; in context
   (:meth:`FastLemmatizer.lemmas_in_context`) a form whose word class changes its lemma is
   read in the class the word-class tagger gives it (:mod:`discourse.lang.fr.tagger`, an
   averaged perceptron learnt by ``scripts/learn_lemma_context.py`` from the accurate
   backend's tags on the shipped corpora: « le marché » → marché, « a marché » → marcher),
   with :func:`pos_lemma` (noun, verb, adjective readings; the accurate backend uses the same
   function with spaCy's tag; a noun or adjective tag on a form only a verb can be is
   overruled, :func:`is_finite_verb`); without the tagger (``tagger=False``) the learnt
   context table (``lemma_context.tsv``) gives the usual class or the one its neighbours'
   classes call for; a word simplemma does not know whose ending is
   surely inflected is reduced (``homoparentales`` → ``homoparental``); other forms get two
   rules for simplemma's systematic errors seen on UD French-GSD *dev*: a past participle
   given as its own lemma becomes the infinitive when that verb is in the dictionary
   (``organisées`` → ``organiser``); a feminine adjective left unchanged becomes its
   masculine when known (``présidentielle`` → ``présidentiel``); a plural lemma loses its
   ``s`` when the singular is a known lemma.

Ligatures: lemmas are written with œ/æ (``vœux`` and ``voeux`` → ``vœu``): the form is
looked up folded when its ligature spelling is unknown, and the ligature is restored from
``ligatures.txt``.

>>> lem = FastLemmatizer()
>>> [lem.lemma(w) for w in ["l'", "États", "état", "UNOCT", "voeux", "vœux", "réitéré"]]
['le', 'État', 'état', 'UNOCT', 'vœu', 'vœu', 'réitérer']
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from pathlib import Path

import numpy as np
import simplemma

from discourse.lang.fr.lexicon import _dictionary_lemmas, is_known_word
from discourse.lang.fr.normalize import fold_ligatures
from discourse.lang.fr.tagger import context_class
from discourse.lang.fr.tokenize import ELISIONS, abbreviations

__all__ = ["FastLemmatizer", "ContextTable", "context_table", "context_class", "pos_lemma", "verb_lemma", "noun_lemma", "adj_lemma", "invariable_words", "is_known_word", "is_ment_adverb", "lemma_exceptions", "restore_ligatures", "STATE_LEMMA"]

DATA = Path(__file__).parent
STATE_LEMMA = "État"
_STATE_FORMS = frozenset({"état", "états", "etat", "etats"})
# Capitalised function words that an all-caps headline may contain (not acronyms).
_CAPS_FUNCTION = frozenset(
    "le la les l' un une des du de d' au aux et ou en à a pour par sur dans avec sans contre ce cette ces son sa ses leur leurs "
    "qui que qu' ne n' pas plus est sont il elle ils elles on nous vous je".split()
)


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


# ---------------------------------------------------------------- lemma by word class
# The dictionary gives one lemma per form; a word class (from the learnt context table in the
# fast backend, from spaCy in the accurate one) picks the reading: « marché » noun → marché,
# verb → marcher; « présente » adjective → présent, verb → présenter. Shared by both backends.
INFINITIVE_ENDINGS = ("er", "ir", "re", "ïr")
NOUN, VERB, ADJ, PROPN = "NOUN", "VERB", "ADJ", "PROPN"
# feminine → masculine endings of adjectives, longest first (tried only when the result is known)
_FEMININE = (("euses", "eux"), ("euse", "eux"), ("trices", "teur"), ("trice", "teur"), ("iennes", "ien"), ("ienne", "ien"),
             ("ennes", "en"), ("enne", "en"), ("onnes", "on"), ("onne", "on"), ("elles", "el"), ("elle", "el"), ("ettes", "et"),
             ("ette", "et"), ("ètes", "et"), ("ète", "et"), ("èves", "ef"), ("ève", "ef"), ("ères", "er"), ("ère", "er"), ("ives", "if"), ("ive", "if"),
             ("ales", "al"), ("aux", "al"), ("es", ""), ("e", ""), ("s", ""))
_PRODUCTIVE = frozenset({"euses", "euse", "iennes", "ienne", "ives", "ive", "ales"})
# adjectives whose feminine is not made by a regular ending
_ADJ_IRREGULAR = {
    "nouvelle": "nouveau", "nouvelles": "nouveau", "nouvel": "nouveau", "nouveaux": "nouveau", "belle": "beau", "belles": "beau",
    "bel": "beau", "beaux": "beau", "vieille": "vieux", "vieilles": "vieux", "vieil": "vieux", "folle": "fou", "folles": "fou",
    "molle": "mou", "fraîche": "frais", "fraîches": "frais", "sèche": "sec", "sèches": "sec", "longue": "long", "longues": "long",
    "douce": "doux", "douces": "doux", "fausse": "faux", "fausses": "faux", "grecque": "grec", "grecques": "grec",
    "publique": "public", "publiques": "public", "turque": "turc", "turques": "turc", "gentille": "gentil", "gentilles": "gentil",
    "favorite": "favori", "favorites": "favori", "maligne": "malin", "bénigne": "bénin", "jumelle": "jumeau", "jumelles": "jumeau",
    "blanche": "blanc", "blanches": "blanc", "franche": "franc", "franches": "franc", "grosse": "gros",
    "grosses": "gros", "basse": "bas", "basses": "bas", "épaisse": "épais", "épaisses": "épais", "grasse": "gras",
}
# irregular past participles whose masculine the dictionary lemmatises as a noun or adjective
_PARTICIPLES = {"mort": "mourir", "morte": "mourir", "morts": "mourir", "mortes": "mourir", "né": "naître", "née": "naître",
                "nés": "naître", "nées": "naître", "élu": "élire", "élue": "élire", "élus": "élire", "élues": "élire", "dû": "devoir", "due": "devoir", "dus": "devoir", "dues": "devoir",
                "vu": "voir", "vue": "voir", "vus": "voir", "vues": "voir", "lu": "lire", "lue": "lire", "lus": "lire", "lues": "lire",
                "pu": "pouvoir", "su": "savoir", "bu": "boire", "cru": "croire", "plu": "plaire", "vécu": "vivre", "vécue": "vivre", "fait": "faire", "faite": "faire", "faits": "faire", "faites": "faire"}
# verb endings → infinitive endings, tried in order while the infinitive is a known lemma
_VERB_ENDINGS = (("fre", "frir"), ("fres", "frir"), ("frent", "frir"), ("vre", "vrir"), ("vres", "vrir"), ("vrent", "vrir"),
                 ("prises", "prendre"), ("prise", "prendre"), ("pris", "prendre"), ("uites", "uire"), ("uite", "uire"),
                 ("uits", "uire"), ("uit", "uire"), ("ertes", "rir"), ("erte", "rir"), ("erts", "rir"), ("ert", "rir"), ("ées", "er"), ("és", "er"), ("ée", "er"), ("é", "er"), ("aient", "er"), ("ait", "er"), ("ant", "er"),
                 ("ent", "er"), ("ons", "er"), ("ez", "er"), ("es", "er"), ("e", "er"), ("ies", "ir"), ("ie", "ir"), ("is", "ir"),
                 ("it", "ir"), ("i", "ir"), ("issent", "ir"), ("issant", "ir"))
# endings of words simplemma does not know that are surely inflected (plural, feminine)
_UNKNOWN_ENDINGS = (("iennes", "ien"), ("ienne", "ien"), ("ales", "al"), ("ale", "al"), ("elles", "el"), ("ives", "if"),
                    ("ive", "if"), ("euses", "eux"), ("euse", "eux"), ("ées", "é"), ("ée", "é"), ("és", "é"), ("iques", "ique"),
                    ("istes", "iste"), ("ismes", "isme"), ("ités", "ité"), ("tions", "tion"), ("ments", "ment"), ("eurs", "eur"),
                    ("ables", "able"), ("ibles", "ible"), ("ants", "ant"), ("ents", "ent"), ("antes", "ant"), ("entes", "ent"),
                    ("ante", "ant"), ("ente", "ent"))


@lru_cache(maxsize=1)
def _infinitives() -> frozenset[str]:
    """Lemmas that are verbs: those of a conjugated form (``-ait``, ``-ions``, ``-rons`` …);
    a lemma in -er that is never conjugated is a noun or an adjective (``premier``)."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    table = DefaultDictionaryFactory().get_dictionary("fr")
    ends = ("ait", "aient", "ions", "iez", "rons", "ront", "rait", "raient", "èrent", "irent")
    return frozenset(lm for form, lm in table.items() if lm.endswith(INFINITIVE_ENDINGS) and form.endswith(ends))


def _is_verb(lemma: str) -> bool:
    return lemma in _infinitives() or lemma in ("être", "avoir")


def _known(word: str) -> bool:
    return bool(word) and (word in _dictionary_lemmas() or simplemma.is_known(word, lang="fr"))


def _singular(low: str) -> str:
    if low.endswith("s") and len(low) > 3 and not low.endswith(("ss", "us", "is", "os", "as")) and _known(low[:-1]):
        return low[:-1]
    return low


# masculine singular past participles of irregular verbs → infinitive endings, longest first
# (« contenu » → contenir, « cousu » → coudre, « omis » → omettre); tried only when the result
# is a known verb
_IRREGULAR_PARTICIPLES = (("cousu", "coudre"), ("solu", "soudre"), ("tenu", "tenir"), ("venu", "venir"), ("quis", "quérir"),
                          ("crit", "crire"), ("fait", "faire"), ("dit", "dire"), ("uit", "uire"), ("int", "indre"),
                          ("ert", "rir"), ("mis", "mettre"), ("pris", "prendre"), ("çu", "cevoir"), ("vu", "voir"),
                          ("lu", "lire"), ("nu", "naître"), ("du", "dre"), ("tu", "ttre"), ("cu", "vre"))
# present participles → infinitive endings (« menaçant » → menacer, « tenant » → tenir)
_PRESENT_PARTICIPLES = (("çant", "cer"), ("geant", "ger"), ("issant", "ir"), ("ant", "er"), ("ant", "re"), ("ant", "ir"))
_IRREGULAR_ENDS = tuple(end for end, _ in _IRREGULAR_PARTICIPLES)
_REGULAR_ENDINGS = _PRESENT_PARTICIPLES + _VERB_ENDINGS


def _accent_variants(cand: str) -> tuple[str, ...]:
    """Infinitives whose stem vowel the conjugated form changed (« règne » → régner, « élève » → élever)."""
    i = cand.rfind("è")
    if i < 0:
        return (cand,)
    return (cand, cand[:i] + "é" + cand[i + 1:], cand[:i] + "e" + cand[i + 1:])


def _participle_masculine(low: str) -> list[str]:
    """The form and its masculine singular readings (« cousues » → cousues, cousue, cousu)."""
    out = [low]
    for end in ("es", "e", "s"):
        if low.endswith(end) and len(low) > len(end) + 2:
            out.append(low[: -len(end)])
    return out


def verb_lemma(low: str, base: str) -> str:
    """Infinitive of a verb form ``low`` whose dictionary lemma is ``base``.

    Irregular past participles come first (« mise » → mettre, not miser), then the dictionary,
    then regular endings with the stem's accent changes (« règne » → régner); an unknown
    participle in -é is a verb in -er (« épissée » → épisser).

    >>> [verb_lemma(w, w) for w in ["présente", "demande", "variées", "mort", "mise", "cousues", "règne", "menaçant", "épissée"]]
    ['présenter', 'demander', 'varier', 'mourir', 'mettre', 'coudre', 'régner', 'menacer', 'épisser']
    """
    if low in _PARTICIPLES:
        return _PARTICIPLES[low]
    infinitives = _infinitives()
    for masc in _participle_masculine(low):
        if not masc.endswith(_IRREGULAR_ENDS):
            continue
        for end, rep in _IRREGULAR_PARTICIPLES:
            if len(masc) >= len(end) + (0 if len(end) > 2 else 2) and masc.endswith(end):
                cand = masc[: -len(end)] + rep
                if cand in infinitives:
                    return cand
    if _is_verb(base) or _is_verb(low):
        return base if _is_verb(base) else low
    # a feminine or plural participle: the masculine may be listed
    for end in ("es", "e", "s"):
        if low.endswith(end) and len(low) > len(end) + 2:
            masc = simplemma.lemmatize(low[: -len(end)], lang="fr")
            if _is_verb(masc):
                return masc
    for end, rep in _REGULAR_ENDINGS:
        if low.endswith(end) and len(low) > len(end) + 1:
            for cand in _accent_variants(low[: -len(end)] + rep):
                if cand in infinitives:
                    return cand
    # a form of a verb the dictionary does not know: -iss- marks a verb in -ir, the rest are in
    # -er, the only productive class (« épissée » → épisser, « interagissent » → interagir)
    if low.isalpha() and not _known(low):
        for end, rep in (("issent", "ir"), ("issant", "ir"), ("ées", "er"), ("és", "er"), ("ée", "er"), ("é", "er"), ("ant", "er"),
                         ("aient", "er"), ("ait", "er"), ("ent", "er")):
            if low.endswith(end) and len(low) > len(end) + 2:
                return low[: -len(end)] + rep
    return base


def noun_lemma(low: str, base: str) -> str:
    """Lemma of a noun: the dictionary lemma unless it is a verb or the masculine of a feminine
    noun, which keeps its gender, as in UD and spaCy (« arrivée », « productrice », « vue »).

    >>> [noun_lemma(w, b) for w, b in [("marchés", "marcher"), ("salariés", "salarier"), ("directive", "directif"), ("travaux", "travail")]]
    ['marché', 'salarié', 'directive', 'travail']
    """
    if base == low and low.isalpha() and not _known(low) and low not in invariable_words():
        return _reduce_unknown(low)  # « développeurs », « quasars »: unknown plurals
    sing = _singular(low)
    if base == sing or base == low:
        return base
    if _is_verb(base) and not sing.endswith(INFINITIVE_ENDINGS):
        return sing
    if low.endswith("s") and base == low[:-1] + "r" and len(low) > 4:
        return low[:-1]  # « séquences » → séquence (the dictionary lists only the verb séquencer)
    if sing.endswith("e") and not base.endswith("e") and _known(sing):
        return sing
    return base


def adj_lemma(low: str, base: str) -> str:
    """Masculine singular of an adjective; a participle used as an adjective stays a
    participle (« variées » → varié, not varier), as in UD.

    >>> [adj_lemma(w, w) for w in ["présente", "nouvelles", "blanche", "précieuse", "homoparentales"]]
    ['présent', 'nouveau', 'blanc', 'précieux', 'homoparental']
    """
    if low in _ADJ_IRREGULAR:
        return _ADJ_IRREGULAR[low]
    verb_base = _is_verb(base) and low != base  # « dure » → durer: a verb lemma for an adjective
    lemmas = _dictionary_lemmas()
    for end, rep in _FEMININE:
        if low.endswith(end) and len(low) > len(end):
            cand = low[: -len(end)] + rep
            # a known adjective (« moyenne » → moyen, « dure » → dur, « nette » → net, not
            # moyenner, durer); productive endings need no dictionary (« précieuse » → précieux)
            stem = len(low) - len(end)
            if ((cand in lemmas and not _is_verb(cand)) or (rep and stem > 1 and _known(cand) and not verb_base)
                    or (end in _PRODUCTIVE and stem > 2)):
                return cand
    if base != low and not base.endswith("e") and not verb_base:
        return _singular(base)  # the dictionary already gave a masculine (« fous » → fou)
    if verb_base:
        masc = low[:-1] if low.endswith("s") else low
        if masc.endswith(("ée", "ie", "ue", "te", "se")):
            masc = masc[:-1]
        return masc if (_known(masc) or masc.endswith(("é", "i", "u", "ant"))) else base
    return _reduce_unknown(low) if not _known(low) else base


def _reduce_unknown(low: str) -> str:
    """An unknown word that is surely inflected, reduced (« homoparentales » → homoparental)."""
    for end, rep in _UNKNOWN_ENDINGS:
        if low.endswith(end) and len(low) > len(end) + 3:
            return low[: -len(end)] + rep
    if low.endswith("s") and len(low) > 4 and not low.endswith(("ss", "us", "is", "os", "as", "ys")):
        return low[:-1]
    return low


# endings of finite verb forms (imperfect, simple past, future, conditional, 1st/2nd plural)
_FINITE_ENDINGS = ("aient", "ait", "èrent", "irent", "ions", "iez", "âmes", "ât", "rai", "ras", "ra", "rons", "rez", "ront",
                   "rais", "rait", "raient", "ons", "ent", "a")


def is_finite_verb(low: str, base: str) -> bool:
    """True when ``low`` can only be a conjugated verb: the dictionary reads it as a form of the
    verb ``base``, it has a finite ending, and neither it nor its singular is a noun or adjective
    lemma (« existaient », « commanda », « concurrencent »; not « pensées », « parents »).

    >>> [is_finite_verb(w, b) for w, b in [("existaient", "exister"), ("commanda", "commander"), ("pensées", "penser"), ("compte", "compter")]]
    [True, True, False, False]
    """
    if not _is_verb(base) or low == base or not low.endswith(_FINITE_ENDINGS):
        return False
    lemmas = _dictionary_lemmas()
    return low not in lemmas and low[:-1] not in lemmas and low[:-2] not in lemmas


def pos_lemma(low: str, pos: str | None, base: str) -> str:
    """The lemma of lowercase ``low`` read as word class ``pos`` (UPOS), ``base`` being its
    dictionary lemma; other classes keep ``base``.

    >>> pos_lemma("marché", "NOUN", "marché"), pos_lemma("marché", "VERB", "marché")
    ('marché', 'marcher')
    """
    if pos == NOUN:
        return noun_lemma(low, base)
    if pos == VERB or pos == "AUX":
        return verb_lemma(low, base)
    if pos == ADJ:
        return adj_lemma(low, base)
    return base


_LETTER = re.compile(r"[^\W\d_]")
# forms of « avoir » and « été » that make a compound tense or a passive with a past participle
_AUXILIARIES = frozenset("ai as a avons avez ont avais avait avions aviez avaient aurai auras aura aurons aurez auront aurais "
                         "aurait aurions auriez auraient aie aies ait ayons ayez aient eu avoir ayant été".split())
_PARTICIPLE_ENDS = ("é", "ée", "és", "ées", "i", "ie", "is", "ies", "u", "ue", "us", "ues", "t", "te", "ts", "tes")
# words after which a capitalised word is a common word (« la Santé », « l'Union »)
_DETERMINERS = frozenset("le la l' les un une des du au aux ce cet cette ces son sa ses leur leurs notre nos votre vos mon ma mes".split())
# words after which a capitalised word is a person's name (« M. Blanc », « Mme Buffet »)
_TITLES = frozenset("M. Mme Mmes MM. Mlle Mlles Me Dr Pr monsieur madame mademoiselle Monsieur Madame".split())


@dataclass(frozen=True)
class ContextTable:
    """The learnt context table (``lemma_context.tsv``; see ``scripts/learn_lemma_context.py``)."""

    classes: dict[str, str]
    forms: dict[str, str]
    prev: dict[tuple[str, str], str]
    both: dict[tuple[str, str, str], str]
    common: frozenset[str]
    generic: dict[tuple[str, str, str], str]


@lru_cache(maxsize=1)
def context_table() -> ContextTable:
    """Read ``lemma_context.tsv`` once (an empty table when it is absent)."""
    classes: dict[str, str] = {}
    forms: dict[str, str] = {}
    prev: dict[tuple[str, str], str] = {}
    both: dict[tuple[str, str, str], str] = {}
    common: set[str] = set()
    generic: dict[tuple[str, str, str], str] = {}
    path = DATA / "lemma_context.tsv"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line or line[0] == "#":
                continue
            row = line.split("\t")
            kind = row[0]
            if kind == "class":
                classes[row[1]] = row[2]
            elif kind == "form":
                forms[row[1]] = row[2]
            elif kind == "prev":
                prev[row[1], row[2]] = row[3]
            elif kind == "both":
                both[row[1], row[2], row[3]] = row[4]
            elif kind == "common":
                common.add(row[1])
            elif kind == "generic":
                generic[row[1], row[2], row[3]] = row[4]
            else:
                raise ValueError(f"{path}: unknown row kind {kind!r} in line {line!r}")
    return ContextTable(classes, forms, prev, both, frozenset(common), generic)


class FastLemmatizer:
    """Lemma of a French token from simplemma plus our rules (see the module docstring).

    Parameters
    ----------
    fold_state:
        Lemmatise ``État`` (the State) as ``état`` like the common noun.
    exceptions:
        Extra ``form → lemma`` entries (lowercase forms), applied before the built-in table.
    context:
        Read ambiguous forms and capitalised words in context (the tagger, or the learnt
        context table ``lemma_context.tsv``); ``False`` gives the dictionary-and-rules lemmas alone.
    tagger:
        Use the word-class tagger (:mod:`discourse.lang.fr.tagger`) in context; ``False`` falls
        back to the context table (faster: the tagger adds 15–40 % to the fast backend's
        time, see ``benchmarks/bench_lemma_tagger``).
    """

    def __init__(self, fold_state: bool = False, exceptions: dict[str, str] | None = None, context: bool = True,
                 tagger: bool = True) -> None:
        self.fold_state = fold_state
        self.exceptions = exceptions
        self.context = context
        self.tagger = tagger
        self._table = dict(lemma_exceptions())
        if exceptions:
            self._table.update({k.lower(): v for k, v in exceptions.items()})
        self._abbr = {a: lem for a, (lem, _kind) in abbreviations().items()}
        self._ctx = context_table() if context else ContextTable({}, {}, {}, {}, frozenset(), {})
        self._tagger = None
        if context and tagger:
            from discourse.lang.fr import tagger as tagger_module  # looked up here, so a benchmark can swap it

            self._tagger = tagger_module.lemma_tagger(self._ctx.classes)
        self._cache: dict[str, str] = {}
        self._cache_initial: dict[str, str] = {}
        self._cache_pos: dict[tuple[str, bool, str], str] = {}
        self._raw: dict[str, str] = {}
        self._cache_common: dict[str, str] = {}
        self._needs_context: set[str] = set()
        self._readings: dict[str, frozenset[str]] = {}
        self._tag_cache: dict = {}  # the tagger's class per (previous, form, next, opens a sentence)

    def raw(self, word: str) -> str:
        """simplemma's lemma of ``word`` with ligatures handled, before our rules."""
        lemma = self._raw.get(word)
        if lemma is None:
            w = word
            if ("œ" in w or "æ" in w or "Œ" in w or "Æ" in w) and not simplemma.is_known(w, lang="fr"):
                w = fold_ligatures(w)
            lemma = simplemma.lemmatize(w, lang="fr")
            if "oe" in lemma or "Oe" in lemma:
                lemma = restore_ligatures(lemma)
            self._raw[word] = lemma
        return lemma

    # simplemma with ligature handling, our fixes, and the learnt reading of ambiguous forms
    def _dictionary(self, word: str) -> str:
        lemma = self.raw(word)
        if word.islower():
            # a form the tagger's training settled in one class is read in it, context or not
            cls = self._tagger.settled.get(word) if self._tagger is not None else None
            if cls is None:
                cls = self._ctx.forms.get(word)
            if cls is not None:
                return self._reading(word, cls, lemma)
            if "œ" not in word and "æ" not in word and word.isalpha() and not is_known_word(word) and word not in invariable_words():
                return _reduce_unknown(word)
            if _RULES:
                lemma = _fix(word, lemma)
        return lemma

    def _reading(self, low: str, cls: str, base: str) -> str:
        if cls == "O" or cls == PROPN:
            return _fix(low, base) if _RULES else base
        return pos_lemma(low, cls, base)

    def lemma(self, form: str, initial: bool = False, pos: str | None = None) -> str:
        """The lemma of ``form``; ``initial`` says the token opens a sentence; ``pos`` (a UPOS
        tag, when a tagger gave one) picks the reading of an ambiguous form.

        >>> FastLemmatizer().lemma("Le", initial=True), FastLemmatizer().lemma("Mogherini")
        ('le', 'Mogherini')
        >>> FastLemmatizer().lemma("marché", pos="VERB"), FastLemmatizer().lemma("marché", pos="NOUN")
        ('marcher', 'marché')
        """
        if pos is not None:
            key = (form, initial, pos)
            lemma = self._cache_pos.get(key)
            if lemma is None:
                lemma = self._cache_pos[key] = self._compute_pos(form, initial, pos)
            return lemma
        cache = self._cache_initial if initial else self._cache
        lemma = cache.get(form)
        if lemma is None:
            lemma = cache[form] = self._compute(form, initial)
            if not initial and self._context_may_change(form, lemma):
                self._needs_context.add(form)
        return lemma

    def readings(self, form: str) -> frozenset[str]:
        """The lemmas a lowercase ``form`` gets as a noun, a verb, an adjective and alone
        (one element: the word class does not matter for its lemma).

        >>> sorted(FastLemmatizer().readings("marchés")), sorted(FastLemmatizer().readings("pays"))
        (['marcher', 'marché'], ['pays'])
        """
        out = self._readings.get(form)
        if out is None:
            low = form.lower()
            if low in self._table or low in ELISIONS or form in self._abbr or low in _STATE_FORMS or len(low) < 2 or not low.replace("-", "").isalpha():
                out = frozenset([self.lemma(form)])
            else:
                base = self.raw(low)
                out = frozenset([self._reading(low, "O", base), *(pos_lemma(low, c, base) for c in (NOUN, VERB, ADJ))])
            self._readings[form] = out
        return out

    def needs_tagger(self, form: str, initial: bool) -> bool:
        """Whether the word class of ``form`` (sentence-opening when ``initial``) can change its
        lemma, so that :meth:`lemmas_in_context` asks the tagger: a lowercase form with several
        readings (« marchés »), or a capitalised known word inside a sentence (« Blanc »: a
        name or a colour).

        >>> lem = FastLemmatizer()
        >>> [lem.needs_tagger(w, False) for w in ["marchés", "table", "Blanc", "Mogherini", "le"]]
        [True, False, True, False, False]

        (« table » was a noun in 95 % of its training examples: settled; « marchés » too, but
        after « ont » it is a participle, so it is looked at.)
        """
        if form.islower():
            if self._tagger is not None:
                # ambiguous forms seen in training; a settled one only where a participle may
                # follow an auxiliary (its lemma alone is already the settled reading)
                cls = self._tagger.forms.get(form)
                return cls is not None and (cls == "*" or (cls != VERB and form.endswith(_PARTICIPLE_ENDS)))
            return len(self.readings(form)) > 1
        if initial or len(form) < 2 or not form[0].isupper() or not form[1:].islower():
            return False
        low = form.lower()
        return (is_known_word(low) and low not in self._table and low not in _STATE_FORMS and low not in ELISIONS
                and form not in self._abbr)

    def _context_may_change(self, form: str, lemma: str) -> bool:
        """Whether :meth:`lemmas_in_context` may give ``form`` another lemma than ``lemma``."""
        if self._tagger is not None:
            return self.needs_tagger(form, False)
        if form in self._ctx.forms:
            return True
        if not form[:1].isupper() or not form[1:].islower():
            return False
        # a title makes a listed common word a name; a determiner makes a frequent common word common
        return form in self._ctx.common or self._ctx.classes.get(form.lower()) in (NOUN, ADJ)

    def _compute_pos(self, form: str, initial: bool, pos: str) -> str:
        plain = self.lemma(form, initial)
        if pos == PROPN:
            if form in self._ctx.common and not initial:
                return plain  # « Sud », « Union »: words the learnt table reads as common words
            return form if form[:1].isupper() else plain
        if pos not in (NOUN, VERB, ADJ, "AUX"):
            return plain
        low = form.lower()
        # acronyms, mixed case and unknown capitalised words stay as the rules keep them;
        # a known capitalised word the tagger calls common is read as that word
        if form != low and plain == form and (form.isupper() or form[1:] != low[1:] or not is_known_word(low)):
            return plain
        if low in self._table or low in _STATE_FORMS or low in ELISIONS or form in self._abbr:
            return plain
        base = self.raw(low)
        if pos != VERB and pos != "AUX" and is_finite_verb(low, base):
            pos = VERB  # a tagger's noun or adjective that only a verb can be (« existaient », « commanda »)
        return pos_lemma(low, pos, base)

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
                # a function word of an all-caps headline, or a word of four letters or more
                # that the dictionary knows (« CONDITIONS »); shorter ones are acronyms (UE, USA)
                if low in _CAPS_FUNCTION or (len(form) >= 4 and simplemma.is_known(low, lang="fr")):
                    return self._dictionary(low)
                return form
            if form[1:] != low[1:]:
                return form  # mixed case (McDonald, iPhone): a name
            if initial:
                if self._ctx.classes.get(low) == PROPN:
                    return form  # a name the dictionary also lists (« Chine », « Milan »)
                if is_known_word(low) or is_known_word(fold_ligatures(low)) or low in invariable_words() or is_ment_adverb(low):
                    return self._dictionary(low)
                return form
            if self.context:
                # inside a sentence a capital marks a name (Buffet, Poisson, Blanc), unless
                # the learnt table lists the word as a common word written with a capital
                return self._dictionary(low) if form in self._ctx.common else form
            return self._dictionary(form)
        return self._dictionary(form)

    def lemmas(self, forms: list[str], initial: list[bool] | None = None) -> list[str]:
        """Lemmas of a list of forms (``initial`` flags sentence-opening tokens), each alone."""
        if initial is None:
            return [self.lemma(f) for f in forms]
        return [self.lemma(f, i) for f, i in zip(forms, initial)]

    def _common(self, form: str) -> str:
        """The lemma of a capitalised word read as a common word, when the dictionary knows it."""
        lemma = self._cache_common.get(form)
        if lemma is None:
            low = form.lower()
            known = is_known_word(low) and low not in _STATE_FORMS and low not in self._table
            lemma = self._cache_common[form] = self._dictionary(low) if known else self.lemma(form)
        return lemma

    def lemmas_in_context(self, forms: list[str], sents: list[int]) -> list[str]:
        """Lemmas of one document's tokens (``sents``: sentence number of each token), with
        ambiguous forms read from their neighbours (« le marché » / « a marché ») and
        capitalised words after a title kept as names (« M. Blanc »).

        >>> FastLemmatizer().lemmas_in_context(["Les", "salariés", "du", "marché", "ont", "marché", "."], [0] * 7)
        ['le', 'salarié', 'de', 'marché', 'avoir', 'marcher', '.']
        """
        n = len(forms)
        if not n:
            return []
        # one C-level pass over the cache; the few misses are computed (and cached) after
        lems = list(map(self._cache.get, forms))
        if None in lems:
            lemma = self.lemma
            lems = [lm if lm is not None else lemma(f) for f, lm in zip(forms, lems)]
        if sents[-1] == sents[0]:
            opens = [0]
        else:
            opens = [0, *(np.flatnonzero(np.diff(np.asarray(sents))) + 1).tolist()]
        for i in opens:
            lems[i] = self.lemma(forms[i], True)
        if not self.context:
            return lems
        ctx = self._ctx
        amb = ctx.forms
        # ambiguous forms and capitalised words that context can change: a few percent
        needs = self._needs_context
        todo = list(compress(range(n), map(needs.__contains__, forms)))
        if not todo:
            return lems
        starts = set(opens)
        if self._tagger is not None:
            return self._tag_in_context(forms, lems, todo, opens, starts)
        classes = ctx.classes
        for i in todo:
            f = forms[i]
            if f[0].isupper():
                if i not in starts and f[1:].islower():
                    prev = forms[i - 1]
                    if prev in _TITLES or (prev[:1].isupper() and lems[i - 1] == prev and i - 1 not in starts):
                        lems[i] = f  # after a title or a first name: a name (M. Blanc, Marie-George Buffet)
                    elif lems[i] == f and prev.lower() in _DETERMINERS and classes.get(f.lower()) in (NOUN, ADJ):
                        # a frequent common word (« la Santé ») — not a country (« la Chine »)
                        lems[i] = self._common(f)  # la Santé, l'Union, le Gouvernement
                continue
            pc = "<S>" if i in starts else context_class(forms[i - 1], classes)
            nc = "</S>" if i + 1 == n or (i + 1) in starts else context_class(forms[i + 1], classes)
            cls = ctx.both.get((f, pc, nc)) or ctx.prev.get((f, pc)) or ctx.generic.get((amb[f], pc, nc)) or ctx.generic.get((amb[f], pc, "*"))
            if cls is None and f.endswith(_PARTICIPLE_ENDS) and i > 0 and (
                    forms[i - 1].lower() in _AUXILIARIES or (i > 1 and pc == "ADV" and forms[i - 2].lower() in _AUXILIARIES)):
                cls = VERB  # a participle after avoir or été (« ont marché », « a déjà été présentée »)
            if cls is not None and cls != amb[f]:
                lems[i] = self._reading(f, cls, self.raw(f))
        return lems

    def _tag_in_context(self, forms: list[str], lems: list[str], todo: list[int], opens: list[int], starts: set[int]) -> list[str]:
        """The lemmas of the tokens ``todo`` read in the class the tagger gives them."""
        tagger, cache = self._tagger, self._tag_cache
        settled, common, classes = tagger.settled, self._ctx.common, self._ctx.classes

        def predict(forms: list[str], i: int, start: int, end: int) -> str:
            return tagger.predict(forms, i, start, end, cache)

        lemma = self.lemma
        n = len(forms)
        for i in todo:
            f = forms[i]
            k = bisect_right(opens, i)
            start, end = opens[k - 1], (opens[k] if k < len(opens) else n)
            if f[0].isupper():
                if i == start or not f[1:].islower():
                    continue
                prev = forms[i - 1]
                if prev in _TITLES or (prev[:1].isupper() and lems[i - 1] == prev and i - 1 != start):
                    lems[i] = f  # after a title or a first name: a name (M. Blanc, Marie-George Buffet)
                    continue
                if f in common or (prev.lower() in _DETERMINERS and classes.get(f.lower()) in (NOUN, ADJ)):
                    # mostly a common word in the shipped corpora, or a frequent common word after
                    # a determiner (« le Gouvernement », « au Règlement »; not « la Chine »)
                    lems[i] = self._common(f)
                    continue
                cls = settled.get(f) or predict(forms, i, start, end)
                if cls == PROPN:
                    lems[i] = f
                elif cls != "O":
                    lems[i] = lemma(f, False, cls)  # « la Santé », « le Gouvernement »
                continue
            cls = settled.get(f)
            if cls is None:
                cls = predict(forms, i, start, end)
            elif cls != VERB and i > start and f.endswith(_PARTICIPLE_ENDS) and (
                    forms[i - 1].lower() in _AUXILIARIES or (i - 1 > start and forms[i - 2].lower() in _AUXILIARIES)):
                # a form settled as a noun is a participle after avoir or été (« a marché », « avait déjà marché »)
                cls = VERB
            lems[i] = lemma(f, i == start, cls)
        return lems
