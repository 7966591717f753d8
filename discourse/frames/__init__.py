"""Framing: frame dictionaries, matching, counts with intervals, validation, frames by topic.

- :class:`FrameDictionary` (YAML frames → concepts → patterns; ``FrameDictionary.default()``)
- :func:`match_frames`, :func:`count_frames`, :func:`document_counts`, :func:`compare`
- re-exported from :mod:`discourse.lexicometry` (their home since the split): :func:`keyness`,
  :func:`specificities`, :func:`kwic`, :func:`collocations`, :func:`cooccurrence`,
  :func:`repeated_segments`, :func:`progression` and the module ``stats``
- :func:`frames_by_topic`, :func:`topics_for_frame`
- :mod:`discourse.frames.validation`: coding sheets, precision with Wilson intervals, agreement

>>> from discourse.frames import FrameDictionary
>>> FrameDictionary.default().frame_names[:2]
['rule_of_law', 'multilateralism']
"""

import sys as _sys

# lexicometry first: frames counts with its statistics (later stages import earlier ones)
from discourse.lexicometry import context as _context
from discourse.lexicometry import stats
from discourse.lexicometry.context import collocations, cooccurrence, kwic, progression, repeated_segments
from discourse.lexicometry.keyness import keyness, specificities

# the old module paths (``from discourse.frames.keyness import MEASURES``) keep importing
_sys.modules.setdefault("discourse.frames.stats", stats)
_sys.modules.setdefault("discourse.frames.keyness", _sys.modules["discourse.lexicometry.keyness"])
_sys.modules.setdefault("discourse.frames.context", _context)

from discourse.frames import validation  # noqa: E402
from discourse.frames.count import RATE_UNIT, compare, count_frames, document_counts, running_words
from discourse.patterns.dictionary import Concept, Exclusion, Frame, FrameDictionary, FrameDictionaryError, Pattern
from discourse.patterns.match import (
    compile_dictionary,
    document_frame_counts,
    document_hit_counts,
    exclusion_report,
    find_hits,
    match_frames,
    unmatchable_patterns,
)
from discourse.frames.topics import frames_by_topic, topics_for_frame

__all__ = [
    "Concept", "Exclusion", "Frame", "FrameDictionary", "FrameDictionaryError", "Pattern", "RATE_UNIT",
    "collocations", "compare", "compile_dictionary", "cooccurrence", "count_frames", "document_counts",
    "document_frame_counts", "document_hit_counts", "exclusion_report", "find_hits", "frames_by_topic", "keyness", "kwic",
    "match_frames", "progression", "repeated_segments", "running_words", "specificities", "stats", "topics_for_frame",
    "unmatchable_patterns", "validation",
]
