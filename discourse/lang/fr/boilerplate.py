"""Press and parliamentary boilerplate: found as character spans, blanked before tokenising.

Removing a span means replacing it by spaces of the same length, so no token is produced
there and every other offset still points into the original text.

Kinds (``remove_boilerplate=True`` removes all; or pass a list of kinds). Press:

- ``read_also``: ``>>Lire aussi: …``, ``À lire aussi …``, ``Voir aussi …`` lines;
- ``agency``: ``(AFP)``, ``(Reuters)``, ``(AP)``, ``(APS)``, ``(MAP)``, ``(Belga)`` …;
- ``dateline``: ``PARIS, 12 mars (AFP) -`` and ``Bruxelles, 3 juin 2018 (Reuters) —`` at a
  line start (the city, date, agency and dash; the sentence that follows is kept);
- ``byline``: a whole line ``Par Jean Dupont`` (optionally ``, envoyé spécial à Kiev`` or
  ``avec AFP``), ``Propos recueillis par …``;
- ``published``: ``Publié le …``, ``Mis à jour le …`` lines, ``© AFP`` / copyright lines.

Parliament (read off the Assemblée nationale sittings 2013–2018 and the European Parliament
debates of January 2000; the kinds and what they match are listed, with counts, in
``docs/preprocessing.md``):

- ``procedure``: stage directions in brackets, closed or left open at the end of a line (the
  Assemblée extraction often cuts the closing bracket): ``(Applaudissements sur les bancs du
  groupe SOC.)``, ``(Exclamations.)``, ``(Sourires)``, ``(" Très bien ! " sur les bancs du
  groupe UMP.)``, ``(Mmes et MM. les députés se lèvent …)``, ``(La séance est levée à 23h15)``,
  ``(Le Parlement, debout, observe une minute de silence)``;
- ``attribution``: who is given the floor, a whole sentence: ``La parole est à M. Jean Dupont,
  pour le groupe …``, ``La parole est à Mme la ministre.``, ``Je donne la parole à …``,
  ``Plusieurs députés du groupe UMP.``, ``Questions adressées à M. Nielson …``;
- ``address``: forms of address in vocative position (after a sentence start, a comma or
  *merci*, before a punctuation mark): ``Monsieur le président,``, ``, madame la ministre.``,
  ``Monsieur le secrétaire d'État,``, ``Madame la présidente de la commission des affaires
  sociales,``, ``Monsieur le Commissaire Monti,``, ``mes chers collègues``, ``Mesdames et
  Messieurs``. The same words elsewhere are kept: ``le président de la République a dit``,
  ``Ma question s'adresse à Madame la ministre de l'éducation nationale.``;
- ``sitting``: the chair's formulas, whole sentences: ``La séance est ouverte.``, ``La séance
  est suspendue.``, ``L'ordre du jour appelle …``, ``La suite de la discussion est renvoyée à
  la prochaine séance.``, ``Prochaine séance, …``, ``La discussion générale est close.``, ``Le
  débat est clos.``, ``Quel est l'avis de la commission ?``, the one-phrase answers on an
  amendment (``Défavorable.``, ``Même avis.``, ``Sagesse.``, ``Il est défendu.``, ``Je le
  retire.``, ``Amendement de précision.``), ``Je suis saisi de …``, ``Plusieurs orateurs sont inscrits sur …``, ``Merci de
  conclure.``, ``Il n'y a pas d'opposition ? Il en est ainsi décidé.``, Europarl's ``Je
  déclare reprise la session …`` and question-time headings;
- ``vote``: ``Je mets aux voix …``, ``Le scrutin est annoncé dans l'enceinte de l'Assemblée
  nationale.``, ``La proposition de loi est adoptée.``, ``Le vote aura lieu demain à 12
  heures.``, ``(Le Parlement adopte la résolution)``.

>>> spans = find_boilerplate(">>Lire aussi: Belgique: 46 procès\\nLe texte.")
>>> [(kind, line) for _s, _e, kind, line in spans]
[('read_also', '>>Lire aussi: Belgique: 46 procès')]
>>> text = "La parole est à M. Jean Dupont.\\nMonsieur le président, le président de la République a parlé."
>>> [(kind, line) for _s, _e, kind, line in find_boilerplate(text)]
[('attribution', 'La parole est à M. Jean Dupont.'), ('address', 'Monsieur le président')]
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["find_boilerplate", "blank_spans", "boilerplate_table", "KINDS", "PARLIAMENT_KINDS"]

_AGENCIES = r"AFP|Reuters|AP|APS|MAP|Belga|ATS|Xinhua|ANSA|DPA|EFE|Anadolu|TASS|Sputnik|Lusa|PANA|APA"
_MONTHS = r"janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|janv\.|févr\.|avr\.|juil\.|sept\.|oct\.|nov\.|déc\."
_NAME = r"[A-ZÀ-Ý][\w'.-]+"

# The press patterns hold for whole lines: written with a leading "\n" and run on "\n" + text
# (a newline is a literal the regex engine skips to; "^" with re.MULTILINE is tried everywhere).
_PRESS: dict[str, re.Pattern[str]] = {
    "read_also": re.compile(r"\n[ \t]*(?:>>|»|>|\*|-|•)*[ \t]*(?:(?:à|a)[ \t]+)?(?:lire|voir)[ \t]+(?:aussi|également|egalement)\b.*$", re.IGNORECASE | re.MULTILINE),
    "dateline": re.compile(
        r"\n[ \t]*" + _NAME + r"(?:[ \t-]" + _NAME + r"){0,3}[ \t]*(?:\([^()\n]{1,30}\))?,[ \t]*(?:le[ \t]+)?\d{1,2}(?:er)?[ \t]+(?i:" + _MONTHS + r")(?:[ \t]+\d{4})?[ \t]*(?:\((?:" + _AGENCIES + r")\)[ \t]*)?[-–—]+[ \t]*",
        re.MULTILINE,
    ),
    "agency": re.compile(r"\((?:" + _AGENCIES + r")(?:[ /,]+(?:" + _AGENCIES + r"))*\)"),
    "byline": re.compile(
        r"\n[ \t]*(?:Par|Propos recueillis par|De notre (?:correspondant|correspondante|envoyé spécial|envoyée spéciale)[^\n,]{0,30})[ \t]+"
        + _NAME + r"(?:[ \t]+(?:" + _NAME + r"|de|du|des|von|van|le|la)){0,4}[ \t]*(?:,[^\n]{0,60}|\(?avec[ \t]+(?:" + _AGENCIES + r")\)?)?[ \t]*$",
        re.MULTILINE,
    ),
    "published": re.compile(
        r"\n[ \t]*(?:Publié|Publiée|Mis à jour|Mise à jour|Modifié|Actualisé)[ \t]+(?:le|à|il y a)\b[^\n]{0,100}$",
        re.IGNORECASE | re.MULTILINE,
    ),
}

# a copyright line: at most 40 characters before the mark and 80 after it (checked in Python:
# as one regular expression from the line start it was the slowest pattern of all)
_COPYRIGHT = re.compile(r"©|\(c\)|\(C\)|Copyright|copyright|COPYRIGHT|Tous droits réservés|tous droits réservés|TOUS DROITS RÉSERVÉS")

# --- parliament ---------------------------------------------------------------------------
# Each parliamentary pattern has a guard: "sentence" (it must open a sentence) or "vocative"
# (it must follow a punctuation mark, a line start or "merci"); the guard is checked in Python
# on each match, because a regular expression that opens with look-behinds is tried at every
# character and ran 20 times slower on the Assemblée sittings.
_S = r"[ \t]+"  # one or more blanks between words (normalisation keeps the text's own spacing)
# The rest of a sentence: anything but a sentence end, where the civility abbreviations
# (M. Mme MM.) and "n°" do not end it; the end itself belongs to the span.
# (written as "runs of ordinary characters, then an abbreviation": a per-character alternation is 5 times slower)
_TAIL = r"[^.!?…\n]*(?:(?<![\w.])(?:MM|Mmes|Mme|Mlle|M|Dr|Me|Pr|St|no|n°)\.[^.!?…\n]*)*"
_END = r"(?:(?<!\bM)(?<!\bMM)(?<!\bMme)(?<!\bMmes)(?<!\bMlle)(?<!\bDr)(?<!\bMe)(?<!\bPr)(?<!\bSt)(?<!\bno)(?<!\bn°)[.!?…]+|[ \t]*$)"
_CIVILITY = r"(?:[Mm]onsieur|[Mm]adame|[Mm]ademoiselle|M\.|Mme|Mlle)"
_TITLE = (
    r"(?i:(?:vice-)?(?:présidente?|ministre|secrétaire d'État|rapporteure?|députée?|commissaire|questeur|questrice|doyenne?|"
    r"garde des sceaux|première? ministre|haut-représentant|haute-représentante|haut représentant|haute représentante|"
    r"représentant du conseil|directeur général|directrice générale|médiateur|médiatrice))"
)
_TITLE_QUALIFIER = (
    r"(?:[ \t]*,?[ \t]+(?:déléguée?|d'État|générale?|spéciale?|pour avis|thématique|en exercice|chargée?))*"
    # the portfolio or body: "de l'intérieur", "de la commission des affaires sociales", "du
    # Conseil", up to the punctuation that closes the vocative ("de la République" is not one)
    r"(?:[ \t]+(?!de la République)(?:de|du|des|d'|à|aux|au|auprès)(?:[ \t]*[\w'-]+){1,10}?)?"
)
_NAMED = r"(?:[ \t]+[A-ZÀ-Ý][\w'-]+){0,2}"  # "Monsieur le Commissaire Monti", "monsieur le président Chassaigne"
_FELLOWS = (
    r"(?:(?:[Mm]es|[Mm]on|[Mm]a)[ \t]+)?(?:[Tt]rès[ \t]+)?(?:[Cc]hers|[Cc]hères|[Cc]her|[Cc]hère)[ \t]+collègues?"
    r"|[Mm]esdames(?:,| et)[ \t]+[Mm]essieurs(?:[ \t]+les[ \t]+(?:députés|ministres|parlementaires))?"
    r"|[Mm]essieurs(?:,| et)[ \t]+[Mm]esdames|[Mm]essieurs[ \t]+les[ \t]+(?:députés|ministres)|[Mm]esdames[ \t]+les[ \t]+(?:députées|ministres)"
)
_OPINION = (
    r"(?:(?:Même[ \t]+a|Le[ \t]+même[ \t]+a|A)vis[ \t]+(?:très[ \t]+|donc[ \t]+|également[ \t]+)?(?:dé)?favorable(?:[ \t]+(?:également|aussi|donc))?"
    r"|Même[ \t]+avis(?:[ \t]+(?:défavorable|favorable))?(?:[ \t]+que[ \t]+(?:la[ \t]+commission|le[ \t]+rapporteur|la[ \t]+rapporteure|le[ \t]+Gouvernement"
    r"|" + _CIVILITY + r"[ \t]+(?:le|la|l')[ \t]*" + _TITLE + _TITLE_QUALIFIER + r"))?"
    r"(?:,?[ \t]+pour[ \t]+les[ \t]+mêmes[ \t]+raisons)?"
    r"|(?:Très[ \t]+d|D)éfavorable(?:[ \t]+(?:également|aussi))?|(?:Très[ \t]+f|F)avorable(?:[ \t]+(?:également|aussi))?|Sagesse(?:[ \t]+de[ \t]+l'Assemblée)?|Avis[ \t]+de[ \t]+sagesse"
    r"|(?:Il|Elle|L'amendement|Cet[ \t]+amendement|Mon[ \t]+amendement)[ \t]+est[ \t]+(?:donc[ \t]+|également[ \t]+)?(?:défendu|retiré|rédactionnel|maintenu)(?:[ \t]+également)?"
    r"|(?:Ils|Elles|Les[ \t]+amendements)[ \t]+sont[ \t]+(?:donc[ \t]+|également[ \t]+)?(?:défendus|retirés|rédactionnels|maintenus)(?:[ \t]+également)?"
    r"|Je[ \t]+(?:le|les)[ \t]+(?:retire|maintiens)|Je[ \t]+retire[ \t]+(?:donc[ \t]+)?(?:l'|mon[ \t]+|cet[ \t]+)amendement|Défendu|Retiré|Maintenu)"
)
# "Il est défendu, madame la présidente." / "Défavorable, cher collègue." stay one span
_CHAIR_ADDRESS = r"(?:,[ \t]+(?:" + _CIVILITY + r"[ \t]+(?:le|la)[ \t]+[\w' -]{3,40}?|(?:mon[ \t]+|ma[ \t]+)?(?:cher|chère)[ \t]+collègue))?"

_PARLIAMENT: dict[str, list[tuple[str | None, str]]] = {
    "procedure": [(None,
        r"\((?:(?:Très[ \t]+)?(?:Vifs|Vives|Nouveaux|Nouvelles|Vifs|Longs|Nombreux)[ \t]+)?(?:[Aa]pplaudissements?|[Ee]xclamations|[Pp]rotestations"
        r"|[Dd]énégations|[Rr]ires|[Ss]ourires|[Mm]urmures|[Ss]ifflements|[Hh]uées|[Aa]pprobations?|[Aa]ssentiment|[Ii]nterruptions|[Bb]rouhaha|[Bb]ruit"
        r"|Mouvements[ \t]+divers|Mêmes?[ \t]+mouvements?|Vive[ \t]+émotion|Le[ \t]+tumulte|L'orat(?:eur|rice)|Une[ \t]+partie[ \t]+des[ \t]+députés|Le[ \t]+scrutin|MM\.|Mmes|Mme|M\.|Monsieur|Madame|Mesdames|Messieurs|Plusieurs[ \t]+députés|Les[ \t]+députés"
        r"|De[ \t]+nombreux[ \t]+députés|Quelques[ \t]+députés|La[ \t]+séance|Le[ \t]+Parlement,[ \t]+debout|L'Assemblée,[ \t]+debout"
        r"|Le[ \t]+président[ \t]+retire|La[ \t]+présidente[ \t]+retire|\"[^\"\n]{1,40}\"[ \t]+(?=sur|et[ \t]+applaudissements))"
        # up to the closing bracket, or, left open, to the first full stop or the line end
        r"(?:\b(?:MM|Mmes|Mme|M)\.|[^()\n.])*(?:\.?\)|\.|$)"),
    ],
    "attribution": [
        # (the files also have "La parole est Monsieur X", without "à")
        ("sentence", r"(?:La" + _S + r"parole" + _S + r"est" + _S + r"(?:à|au|aux|(?=Monsieur|Madame|M\.|Mme))|Je" + _S + r"donne" + _S + r"(?:maintenant" + _S + r")?la"
         + _S + r"parole" + _S + r"(?:à|au|aux))\b" + _TAIL + _END),
        ("sentence", r"(?:Plusieurs|De" + _S + r"nombreux|Quelques|Un|Une|Des)" + _S + r"(?:députée?s?|voix)" + _S + r"(?:sur" + _S + r"les" + _S
         + r"bancs" + _S + r")?(?:du|des)" + _S + r"groupes?(?:[ \t]+(?:[A-ZÀ-Ý][\w'-]*|et|de|la|des|du|l'))+[ \t]*[.:!]"),
        ("sentence", r"Questions?" + _S + r"adressées?" + _S + r"à" + _S + r"[^\n]{1,100}$"),
    ],
    "address": [
        ("sentence", r"Ma" + _S + r"question" + _S + r"s'adresse" + _S + r"à" + _S + _CIVILITY + _S + r"(?:le|la|l')[ \t]*" + _TITLE + _TITLE_QUALIFIER
         + r"[ \t]*[.!]"),
        ("vocative", r"(?:" + _CIVILITY + _S + r"(?:le|la|l')[ \t]*" + _TITLE + _TITLE_QUALIFIER + _NAMED
         + r"|(?:[Mm]essieurs|[Mm]esdames)" + _S + r"les" + _S + _TITLE + r"s|" + _FELLOWS + r")(?=[ \t]*(?:[,.!?;:…)]|$))"),
    ],
    "sitting": [
        ("sentence", r"(?:La" + _S + r"séance(?:" + _S + r"est" + _S + r"(?:ouverte|levée|reprise|suspendue)|," + _S + r"suspendue)"
         r"|L'ordre" + _S + r"du" + _S + r"jour" + _S + r"appelle|La" + _S + r"suite" + _S + r"de" + _S + r"la" + _S + r"discussion"
         + _S + r"(?:budgétaire" + _S + r")?est" + _S + r"(?:donc" + _S + r")?renvoyée"
         r"|Prochaine" + _S + r"séance,|La" + _S + r"discussion" + _S + r"générale" + _S + r"(?:commune" + _S + r")?est" + _S + r"close"
         r"|Le" + _S + r"débat" + _S + r"est" + _S + r"clos|Je" + _S + r"suis" + _S + r"saisie?" + _S + r"(?:de|d')"
         r"|Plusieurs" + _S + r"(?:orateurs|oratrices|députés)" + _S + r"sont" + _S + r"inscrits" + _S + r"sur"
         r"|(?:Merci" + _S + r"de|Veuillez)" + _S + r"conclure"
         r"|J'appelle" + _S + r"(?:maintenant" + _S + r")?(?:," + _S + r"dans" + _S + r"le" + _S + r"texte|le" + _S + r"texte|les" + _S + r"crédits|les" + _S + r"articles)"
         r"|Nous" + _S + r"en" + _S + r"venons" + _S + r"(?:aux" + _S + r"amendements|à" + _S + r"l'examen" + _S + r"des" + _S + r"amendements|aux" + _S
         + r"questions|aux" + _S + r"explications" + _S + r"de" + _S + r"vote|à" + _S + r"une" + _S + r"question)"
         r"|Nous" + _S + r"passons" + _S + r"(?:maintenant" + _S + r")?(?:aux" + _S + r"questions|à" + _S + r"une" + _S + r"question|au" + _S + r"groupe)"
         r"|Je" + _S + r"déclare" + _S + r"(?:reprise|interrompue|close|ouverte)" + _S + r"la" + _S + r"session"
         r"|J'ai" + _S + r"reçu" + _S + r"[^.\n]{1,40}propositions?" + _S + r"de" + _S + r"résolution)" + _TAIL + _END),
        ("sentence", r"Quel" + _S + r"est" + _S + r"l'avis" + _S + r"(?:de" + _S + r"la" + _S + r"commission|du" + _S + r"Gouvernement)(?:" + _S
         + r"sur" + _S + r"[^?\n]{1,80})?[ \t]*\?"),
        # a one-phrase answer on an amendment must be the whole sentence ("Défavorable." but
        # not "Défavorable à la réforme, le groupe …")
        ("sentence", _OPINION + _CHAIR_ADDRESS + r"[ \t]*(?:[.!…]+|$)"),
        # an amendment described by its kind only ("Amendement de précision.", "Il s'agit d'un
        # amendement rédactionnel.")
        ("sentence", r"(?:(?:Il" + _S + r"s'agit" + _S + r"d'un|C'est" + _S + r"un)" + _S + r"amendement|Amendement)" + _S
         + r"(?:de" + _S + r"(?:précision|coordination|cohérence|conséquence|clarification|simplification)|rédactionnel)[ \t]*[.!]"),
        ("sentence", r"Il" + _S + r"n'y" + _S + r"a" + _S + r"pas" + _S + r"d'opposition[ \t]*\?…?[ \t]*(?:Il" + _S + r"en" + _S + r"est" + _S
         + r"ainsi" + _S + r"décidé[.!]?)?"),
        ("sentence", r"(?:Question|question)" + _S + r"n(?:o|°)[ \t]*\d+[^\n:]{0,80}:|(?:Première|Deuxième|Troisième)" + _S + r"partie[ \t]*$"),
    ],
    "vote": [
        ("sentence", r"(?:Je" + _S + r"mets" + _S + r"aux" + _S + r"voix|Je" + _S + r"vais" + _S + r"(?:maintenant" + _S + r")?mettre" + _S + r"aux"
         + _S + r"voix|Nous" + _S + r"passons" + _S + r"(?:maintenant" + _S + r")?au" + _S + r"vote"
         r"|Le" + _S + r"scrutin" + _S + r"est" + _S + r"(?:d'ores" + _S + r"et" + _S + r"déjà" + _S + r")?(?:annoncé|ouvert|clos)"
         r"|Le" + _S + r"vote" + _S + r"aura" + _S + r"lieu|Je" + _S + r"constate" + _S + r"que" + _S
         + r"(?:le" + _S + r"vote|la" + _S + r"proposition|le" + _S + r"projet|l'amendement|l'article)"
         r"|Voici" + _S + r"le" + _S + r"résultat" + _S + r"du" + _S + r"scrutin)" + _TAIL + _END),
        ("sentence", r"(?:L'Assemblée" + _S + r"ayant" + _S + r"[^.\n]{1,80}," + _S + r")?(?:En" + _S + r"conséquence," + _S + r")?"
         r"(?:L'amendement|Les" + _S + r"amendements|L'article|L'ensemble|[Ll]a" + _S + r"proposition" + _S + r"de" + _S + r"(?:loi|résolution)"
         r"|[Ll]e" + _S + r"projet" + _S + r"de" + _S + r"loi)(?:" + _S + r"organique)?(?:" + _S + r"n(?:o|°)[ \t]*\d+)?" + _S
         + r"(?:n'est" + _S + r"pas" + _S + r"|ne" + _S + r"sont" + _S + r"pas" + _S + r"|est" + _S + r"|sont" + _S + r")(?:adoptée?s?|rejetée?s?)"
         r"(?:" + _S + r"à" + _S + r"l'unanimité)?[.!]"),
        (None, r"\((?:L'amendement|Les" + _S + r"amendements|L'article|L'ensemble|Le" + _S + r"Parlement|L'Assemblée|Le" + _S + r"procès-verbal"
         r"|La" + _S + r"proposition|Le" + _S + r"projet|La" + _S + r"résolution|La" + _S + r"motion|Les?" + _S + r"président" + _S + r"déclare"
         r"|La" + _S + r"présidente" + _S + r"déclare)(?![ \t]*,[ \t]*debout)[^()\n]{0,300}\)"),
    ],
}
PARLIAMENT_KINDS = tuple(_PARLIAMENT)


_UNGUARDED: dict[str, re.Pattern[str]] = {
    **{kind: re.compile("|".join(p for g, p in alts if g is None), re.MULTILINE) for kind, alts in _PARLIAMENT.items() if any(g is None for g, _p in alts)},
}
KINDS = tuple(_PRESS) + PARLIAMENT_KINDS
# What may stand just before a guarded span: a sentence end, a bracket or a quote, or a line
# start; for a form of address also a comma, a colon, an opening bracket or quote.
# Scanning from these characters (a character class, which the regex engine skips to quickly)
# is 5 to 20 times faster than look-behinds tried at every position.
_BEFORE = {"sentence": r"[\n.!?…)\"][)\"]?[ \t]*", "vocative": r"[\n.!?…,;:(\"][ \t]*"}


@lru_cache(maxsize=64)
def _guarded(kinds: tuple[str, ...], guard: str) -> tuple[re.Pattern[str] | None, tuple[tuple[str, re.Pattern[str]], ...]]:
    """For these kinds and a guard: one scanning regex (the span is its group 1) and, per
    kind, the regex that says which kind a span is (the first kind in ``KINDS`` order)."""
    per_kind = []
    for kind in KINDS:
        if kind in kinds and kind in _PARLIAMENT:
            bodies = [p for g, p in _PARLIAMENT[kind] if g == guard]
            if bodies:
                per_kind.append((kind, re.compile("|".join(f"(?:{b})" for b in bodies), re.MULTILINE)))
    if not per_kind:
        return None, ()
    scan = re.compile(_BEFORE[guard] + "(" + "|".join(f"(?:{r.pattern})" for _k, r in per_kind) + ")", re.MULTILINE)
    return scan, tuple(per_kind)


def _copyright_lines(text: str) -> Iterator[tuple[int, int, str]]:
    for m in _COPYRIGHT.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        before = text[line_start:m.start()]
        if len(before.lstrip(" \t")) <= 40 and line_end - m.end() <= 80:
            yield line_start, line_end, "published"


def _matches(text: str, kinds: tuple[str, ...]) -> Iterator[tuple[int, int, str]]:
    """``(start, end, kind)`` of every match of these kinds (may overlap)."""
    padded = "\n" + text  # a text start is a line start
    for kind in kinds:
        if kind == "agency":
            for m in _PRESS[kind].finditer(text):
                yield m.start(), m.end(), kind
        elif kind in _PRESS:
            # in padded, [m.start(), m.end()) holds the newline then the line: in text, the
            # line is [m.start(), m.end() - 1)
            for m in _PRESS[kind].finditer(padded):
                yield m.start(), m.end() - 1, kind
            if kind == "published":
                yield from _copyright_lines(text)
            continue
        pattern = _UNGUARDED.get(kind)
        if pattern is not None:
            for m in pattern.finditer(text):
                yield m.start(), m.end(), kind
    for guard in ("sentence", "vocative"):
        scan, per_kind = _guarded(kinds, guard)
        if scan is None:
            continue
        pos = 0
        while (m := scan.search(padded, pos)) is not None:
            start = m.start(1)
            end = m.end(1)
            for kind, pattern in per_kind:
                km = pattern.match(padded, start)
                if km is not None:
                    end = km.end()
                    yield start - 1, end - 1, kind
                    break
            # the span's last character (its full stop) may open the next sentence
            pos = max(end - 1, m.start() + 1)

def find_boilerplate(text: str, kinds: Iterable[str] | None = None) -> list[tuple[int, int, str, str]]:
    """Boilerplate spans in ``text``: ``(start, end, kind, matched text)``, sorted, not overlapping.

    Where spans of two kinds overlap they become one span of the kind that starts first
    (``Il est défendu, madame la présidente.`` is one ``sitting`` span, not a ``sitting`` and
    an ``address``).

    >>> [(k, t) for _s, _e, k, t in find_boilerplate("Il est défendu, madame la présidente.")]
    [('sitting', 'Il est défendu, madame la présidente.')]
    """
    kinds = KINDS if kinds is None else tuple(kinds)
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise ValueError(f"unknown boilerplate kinds {bad}; choose from {list(KINDS)}")
    spans = []
    for start, end, kind in _matches(text, kinds):
        matched = text[start:end]
        if matched.strip():
            # leading and trailing blanks are not part of the span
            start += len(matched) - len(matched.lstrip())
            end -= len(matched) - len(matched.rstrip())
            spans.append((start, end, kind, text[start:end]))
    spans.sort()
    out: list[tuple[int, int, str, str]] = []
    for s in spans:
        if out and s[0] < out[-1][1]:
            if s[1] > out[-1][1]:
                prev = out[-1]
                out[-1] = (prev[0], s[1], prev[2], text[prev[0]:s[1]])
            continue
        out.append(s)
    return out


def blank_spans(text: str, spans: Iterable[tuple[int, int, str, str]]) -> str:
    """``text`` with each span replaced by as many spaces (offsets unchanged)."""
    parts = []
    prev = 0
    for s, e, _kind, _line in spans:
        parts.append(text[prev:s])
        parts.append(" " * (e - s))
        prev = e
    parts.append(text[prev:])
    return "".join(parts)


def boilerplate_table(texts: Sequence[str], ids: Sequence[str] | None = None, kinds: Iterable[str] | None = None) -> "pd.DataFrame":
    """What would be removed, per document and kind: ``doc_id``, ``kind``, ``spans``,
    ``words`` (whitespace-separated words inside the spans), ``characters``, ``example``.

    The texts are normalised first, as the preprocessing does. Documents with nothing removed
    have no row.

    >>> boilerplate_table(["La séance est ouverte.\\nLa parole est à M. Dupont.\\nLe texte."], ["s1"])[["doc_id", "kind", "spans", "words"]]
      doc_id         kind  spans  words
    0     s1  attribution      1      6
    1     s1      sitting      1      4
    """
    import pandas as pd

    from discourse.lang.fr.normalize import normalize

    ids = [f"doc{i}" for i in range(len(texts))] if ids is None else list(ids)
    if len(ids) != len(texts):
        raise ValueError(f"{len(ids)} ids for {len(texts)} texts")
    kinds = tuple(kinds) if kinds is not None else KINDS
    rows = []
    for doc_id, text in zip(ids, texts):
        spans: dict[str, Counter] = {}
        examples: dict[str, str] = {}
        for s, e, kind, line in find_boilerplate(normalize(text), kinds):
            c = spans.setdefault(kind, Counter())
            c["spans"] += 1
            c["words"] += len(line.split())
            c["characters"] += e - s
            examples.setdefault(kind, line[:80])
        for kind in sorted(spans):
            rows.append({"doc_id": doc_id, "kind": kind, **spans[kind], "example": examples[kind]})
    return pd.DataFrame(rows, columns=["doc_id", "kind", "spans", "words", "characters", "example"])
