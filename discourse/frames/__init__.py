"""Framing and lexicometry: frame dictionaries, counts with intervals, keyness, context.

- :class:`FrameDictionary` (YAML frames → concepts → patterns; ``FrameDictionary.default()``)
- :func:`match_frames`, :func:`count_frames`, :func:`document_counts`, :func:`compare`
- :func:`keyness`, :func:`specificities` (statistics in :mod:`discourse.frames.stats`)
- :func:`kwic`, :func:`collocations`, :func:`cooccurrence`, :func:`repeated_segments`, :func:`progression`
- :func:`frames_by_topic`, :func:`topics_for_frame`

>>> from discourse.frames import FrameDictionary
>>> FrameDictionary.default().frame_names[:2]
['rule_of_law', 'multilateralism']
"""

from discourse.frames import stats
from discourse.frames.context import collocations, cooccurrence, kwic, progression, repeated_segments
from discourse.frames.count import compare, count_frames, document_counts
from discourse.frames.dictionary import Concept, Frame, FrameDictionary, FrameDictionaryError, Pattern
from discourse.frames.keyness import keyness, specificities
from discourse.frames.match import compile_dictionary, document_frame_counts, find_hits, match_frames
from discourse.frames.topics import frames_by_topic, topics_for_frame

__all__ = [
    "Concept", "Frame", "FrameDictionary", "FrameDictionaryError", "Pattern",
    "collocations", "compare", "compile_dictionary", "cooccurrence", "count_frames", "document_counts",
    "document_frame_counts", "find_hits", "frames_by_topic", "keyness", "kwic", "match_frames",
    "progression", "repeated_segments", "specificities", "stats", "topics_for_frame",
]
