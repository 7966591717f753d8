"""French punctuation as data: the one table of apostrophes and quotes.

Normalisation (:mod:`discourse.lang.fr.normalize`) turns every character of
:data:`APOSTROPHES` into the ASCII ``'`` and every character of :data:`QUOTES` into ``"``;
the frame dictionary, the frame matcher and the duplicate finder of :mod:`discourse.io`
read the same table, so a pattern is written in the form the text is compared in.

>>> "l’État".translate(APOSTROPHE_TABLE)
"l'État"
"""

from __future__ import annotations

__all__ = ["APOSTROPHES", "QUOTES", "APOSTROPHE_TABLE"]

# typographic apostrophes (’ ‘ ʼ), accents and primes typed for one (´ ′ ‛ ʹ), the full-width ＇
APOSTROPHES = "’‘ʼ´′‛＇ʹ"
QUOTES = "«»“”„‟″〝〞＂"
# one character for one character (str.translate keeps every offset)
APOSTROPHE_TABLE = str.maketrans({c: "'" for c in APOSTROPHES})
