"""Textometry: correspondence analysis, Reinert classification, co-occurrence specificities,
similarity analysis and Labbé's intertextual distance — the methods of Lexico, TXM and
IRaMuTeQ, on the library's sparse tables.

>>> from discourse.textometry import CA
>>> CA(n_components=2)
CA(n_components=2)
"""

from __future__ import annotations

from discourse.textometry._tables import as_table, lexical_table
from discourse.textometry.ca import CA
from discourse.textometry.reinert import Reinert

__all__ = ["CA", "Reinert", "as_table", "lexical_table"]
