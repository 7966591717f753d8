"""Lexicometry: keyness, specificities, concordances, collocations, co-occurrence, statistics.

General methods on :class:`~discourse.tokens.Tokens`, apart from framing (:mod:`discourse.frames`
keeps dictionaries, matching and counting and re-exports these names):

- :func:`keyness`, :func:`specificities` (:mod:`discourse.lexicometry.keyness`)
- :func:`kwic`, :func:`collocations`, :func:`cooccurrence`, :func:`repeated_segments`,
  :func:`progression` (:mod:`discourse.lexicometry.context`; queries use the pattern language
  of frame dictionaries)
- :mod:`discourse.lexicometry.stats`: pure statistics from counts to tables (G², χ², log-ratio,
  Lafon's hypergeometric specificities, intervals)
- :func:`document_mask` (:mod:`discourse.lexicometry.selection`): documents chosen by metadata

>>> import pandas as pd
>>> from discourse.tokens import Tokens
>>> meta = pd.DataFrame({"groupe": ["UMP", "SRC"]})
>>> toks = Tokens.from_lists([["famille", "famille", "enfant"], ["égalité", "enfant"]], metadata=meta)
>>> keyness(toks, {"groupe": "UMP"}, min_count=1)["term"].tolist()[0]
'famille'
"""

from discourse.lexicometry import stats
from discourse.lexicometry.context import collocations, cooccurrence, kwic, progression, repeated_segments
from discourse.lexicometry.keyness import MEASURES, keyness, specificities
from discourse.lexicometry.selection import Selector, document_mask

__all__ = [
    "MEASURES", "Selector", "collocations", "cooccurrence", "document_mask", "keyness", "kwic", "progression",
    "repeated_segments", "specificities", "stats",
]
