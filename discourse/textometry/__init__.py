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
from discourse.textometry.cooccurrence import cooccurrence_specificities
from discourse.textometry.reinert import Reinert
from discourse.textometry.similarity import labbe_distance, similarity_graph

__all__ = ["CA", "Reinert", "as_table", "cooccurrence_specificities", "labbe_distance", "lexical_table", "similarity_graph"]
