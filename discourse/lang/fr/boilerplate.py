"""Press and parliamentary boilerplate: found as character spans, blanked before tokenising.

Removing a span means replacing it by spaces of the same length, so no token is produced
there and every other offset still points into the original text.

Kinds (``remove_boilerplate=True`` removes all; or pass a list of kinds):

- ``read_also``: ``>>Lire aussi: …``, ``À lire aussi …``, ``Voir aussi …`` lines;
- ``agency``: ``(AFP)``, ``(Reuters)``, ``(AP)``, ``(APS)``, ``(MAP)``, ``(Belga)`` …;
- ``dateline``: ``PARIS, 12 mars (AFP) -`` and ``Bruxelles, 3 juin 2018 (Reuters) —`` at a
  line start (the city, date, agency and dash; the sentence that follows is kept);
- ``byline``: a whole line ``Par Jean Dupont`` (optionally ``, envoyé spécial à Kiev`` or
  ``avec AFP``), ``Propos recueillis par …``;
- ``published``: ``Publié le …``, ``Mis à jour le …`` lines, ``© AFP`` / copyright lines;
- ``procedure``: parliamentary stage directions in brackets: ``(Applaudissements sur les
  bancs du groupe SOC.)``, ``(Exclamations.)``, ``(Rires.)``, ``(M. X proteste.)``.

>>> spans = find_boilerplate(">>Lire aussi: Belgique: 46 procès\\nLe texte.")
>>> [(kind, line) for _s, _e, kind, line in spans]
[('read_also', '>>Lire aussi: Belgique: 46 procès')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["find_boilerplate", "blank_spans", "KINDS"]

_AGENCIES = r"AFP|Reuters|AP|APS|MAP|Belga|ATS|Xinhua|ANSA|DPA|EFE|Anadolu|TASS|Sputnik|Lusa|PANA|APA"
_MONTHS = r"janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|janv\.|févr\.|avr\.|juil\.|sept\.|oct\.|nov\.|déc\."
_NAME = r"[A-ZÀ-Ý][\w'.-]+"

_PATTERNS: dict[str, re.Pattern[str]] = {
    "read_also": re.compile(r"^[ \t]*(?:>>|»|>|\*|-|•)*[ \t]*(?:(?:à|a)[ \t]+)?(?:lire|voir)[ \t]+(?:aussi|également|egalement)\b.*$", re.IGNORECASE | re.MULTILINE),
    "dateline": re.compile(
        r"^[ \t]*" + _NAME + r"(?:[ \t-]" + _NAME + r"){0,3}[ \t]*(?:\([^()\n]{1,30}\))?,[ \t]*(?:le[ \t]+)?\d{1,2}(?:er)?[ \t]+(?i:" + _MONTHS + r")(?:[ \t]+\d{4})?[ \t]*(?:\((?:" + _AGENCIES + r")\)[ \t]*)?[-–—]+[ \t]*",
        re.MULTILINE,
    ),
    "agency": re.compile(r"\((?:" + _AGENCIES + r")(?:[ /,]+(?:" + _AGENCIES + r"))*\)"),
    "byline": re.compile(
        r"^[ \t]*(?:Par|Propos recueillis par|De notre (?:correspondant|correspondante|envoyé spécial|envoyée spéciale)[^\n,]{0,30})[ \t]+"
        + _NAME + r"(?:[ \t]+(?:" + _NAME + r"|de|du|des|von|van|le|la)){0,4}[ \t]*(?:,[^\n]{0,60}|\(?avec[ \t]+(?:" + _AGENCIES + r")\)?)?[ \t]*$",
        re.MULTILINE,
    ),
    "published": re.compile(
        r"^[ \t]*(?:(?:Publié|Publiée|Mis à jour|Mise à jour|Modifié|Actualisé)[ \t]+(?:le|à|il y a)\b[^\n]{0,100}|[^\n]{0,40}(?:©|\(c\)|Copyright|Tous droits réservés)[^\n]{0,80})$",
        re.IGNORECASE | re.MULTILINE,
    ),
    "procedure": re.compile(
        r"\((?:Applaudissements|Vifs applaudissements|Exclamations|Protestations|Rires|Sourires|Murmures|Mouvements divers|Huées|Interruptions|Brouhaha|Bruit|Vives protestations|Nouvelles exclamations|Mêmes mouvements|M\.|Mme|Plusieurs députés|Les députés|De nombreux députés)\b[^()\n]{0,300}\)"
    ),
}
KINDS = tuple(_PATTERNS)


def find_boilerplate(text: str, kinds: Iterable[str] | None = None) -> list[tuple[int, int, str, str]]:
    """Boilerplate spans in ``text``: ``(start, end, kind, matched text)``, sorted, not overlapping."""
    kinds = KINDS if kinds is None else tuple(kinds)
    bad = [k for k in kinds if k not in _PATTERNS]
    if bad:
        raise ValueError(f"unknown boilerplate kinds {bad}; choose from {list(KINDS)}")
    spans = []
    for kind in kinds:
        pat = _PATTERNS[kind]
        for m in pat.finditer(text):
            if m.end() > m.start():
                spans.append((m.start(), m.end(), kind, m.group().strip()))
    spans.sort()
    out: list[tuple[int, int, str, str]] = []
    for s in spans:
        if out and s[0] < out[-1][1]:
            if s[1] > out[-1][1]:
                prev = out[-1]
                out[-1] = (prev[0], s[1], prev[2], prev[3])
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
