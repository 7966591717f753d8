"""The pattern language and its matcher, below both :mod:`discourse.frames` and :mod:`discourse.lexicometry`.

- :mod:`discourse.patterns.dictionary`: patterns (a word, an expression, a prefix wildcard
  ``terroris*``, exclusion and context rules) grouped under names, read from YAML
  (:class:`FrameDictionary`: a frame is a named group of patterns);
- :mod:`discourse.patterns.match`: the matcher, compiled once against the vocabularies of a
  :class:`~discourse.tokens.Tokens` (:func:`find_hits`, :class:`Hits`).

Framing (:mod:`discourse.frames`: the shipped dictionary, counting, validation) and
lexicometry queries (:func:`~discourse.lexicometry.kwic`, ``collocations``, ``progression``)
both use them; neither imports the other to match a pattern.

>>> from discourse.tokens import Tokens
>>> from discourse.patterns import FrameDictionary, find_hits
>>> toks = Tokens.from_lists([["la", "menace", "terroriste"]])
>>> find_hits(toks, FrameDictionary.from_patterns("terroris*")).position.tolist()
[2]
"""

from discourse.patterns.dictionary import Concept, Exclusion, Frame, FrameDictionary, FrameDictionaryError, Pattern
from discourse.patterns.match import Hits, compile_dictionary, find_hits, hits_frame

__all__ = ["Concept", "Exclusion", "Frame", "FrameDictionary", "FrameDictionaryError", "Hits", "Pattern",
           "compile_dictionary", "find_hits", "hits_frame"]
