"""discourse: discourse analysis of French text.

corpus → preprocessing → document-term matrix → topic models and frame counts →
tables (pandas) → figures (matplotlib).

Public names are imported lazily, so ``import discourse`` stays fast and loading spaCy or
tomotopy happens only when a stage that needs them is used.

>>> import discourse
>>> corpus = discourse.Corpus.from_texts(["L’état de droit n’est pas négociable."])
>>> len(corpus)
1
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "Corpus": "discourse.corpus",
    "Document": "discourse.corpus",
    "CorpusError": "discourse.corpus",
    "Token": "discourse.tokens",
    "Tokens": "discourse.tokens",
    "analyze": "discourse.preprocess",
    "Preprocessor": "discourse.preprocess",
    "PhraseDetector": "discourse.phrases",
    "DocumentTermMatrix": "discourse.dtm",
    "LDA": "discourse.topics",
    "NMF": "discourse.topics",
    "coherence": "discourse.topics",
    "select_k": "discourse.topics",
    "topic_prevalence": "discourse.topics",
    "topic_coordinates": "discourse.topics",
    "to_pyldavis": "discourse.topics",
    "representative_documents": "discourse.topics",
    "FrameDictionary": "discourse.frames",
    "count_frames": "discourse.frames",
    "keyness": "discourse.lexicometry",
    "specificities": "discourse.lexicometry",
    "kwic": "discourse.lexicometry",
    "match_frames": "discourse.frames",
    "compare": "discourse.frames",
    "collocations": "discourse.lexicometry",
    "cooccurrence": "discourse.lexicometry",
    "repeated_segments": "discourse.lexicometry",
    "progression": "discourse.lexicometry",
    "frames_by_topic": "discourse.frames",
    "topics_for_frame": "discourse.frames",
    "CA": "discourse.textometry",
    "Reinert": "discourse.textometry",
    "lexical_table": "discourse.textometry",
    "cooccurrence_specificities": "discourse.textometry",
    "similarity_graph": "discourse.textometry",
    "labbe_distance": "discourse.textometry",
    "Wordfish": "discourse.scaling",
    "Wordscores": "discourse.scaling",
    "LSS": "discourse.scaling",
    "estimate_effect": "discourse.topics",
    "DMR": "discourse.topics",
    "DynamicLDA": "discourse.topics",
}
_SUBMODULES = {"corpora", "io", "plot", "topics", "frames", "lexicometry", "lang", "pipeline", "preprocess", "dtm", "tokens", "corpus", "scaling", "textometry",
               "shards", "engines"}

__all__ = sorted(_EXPORTS) + sorted(_SUBMODULES)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        module = importlib.import_module(f"discourse.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'discourse' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
