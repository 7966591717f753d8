"""Text segments for the Reinert method: cut near a target size at the strongest punctuation.

Every gap between two consecutive tokens of a document gets a weight from the punctuation
found in the original text between them (the same scale as rainette's ``split_segments``
and IRaMuTeQ): sentence end ``. ? ! …`` 6, ``:`` 5, ``;`` 4, ``,`` 1, nothing 0.01. A
sentence boundary of the tokeniser counts as a sentence end even without a visible mark.
From the start of a segment, the cut is placed after token ``i`` (1 ≤ i ≤ size + window,
window = 0.4 × size) maximising ``weight_i / (|i - size| + 1)``: the strongest punctuation
near the target size. A document shorter than ``size + window`` tokens left is one segment.

>>> from discourse.tokens import Tokens
>>> toks = Tokens.from_lists([["a"] * 10], doc_ids=["d"])
>>> segment_bounds(toks, 4)[["doc", "start", "end"]].values.tolist()
[[0, 0, 4], [0, 4, 8], [0, 8, 10]]
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from discourse.tokens import Tokens

__all__ = ["gap_weights", "segment_bounds"]

WEIGHTS = {"strong": 6.0, ":": 5.0, ";": 4.0, ",": 1.0, "none": 0.01}
_CHAR_WEIGHT = {".": 6.0, "?": 6.0, "!": 6.0, "…": 6.0, ":": 5.0, ";": 4.0, ",": 1.0}
_PUNCT = re.compile("[" + re.escape("".join(_CHAR_WEIGHT)) + "]")


def gap_weights(tokens: Tokens) -> np.ndarray:
    """Weight of the cut after each token (the last token of a document gets the strongest)."""
    n = tokens.n_tokens
    weights = np.full(n, WEIGHTS["none"])
    if n == 0:
        return weights
    doc = tokens.doc_index()
    same_doc = np.zeros(n, dtype=bool)
    same_doc[:-1] = doc[1:] == doc[:-1]
    new_sentence = np.zeros(n, dtype=bool)
    new_sentence[:-1] = same_doc[:-1] & (tokens.sents[1:] != tokens.sents[:-1])
    weights[new_sentence | ~same_doc] = WEIGHTS["strong"]
    if tokens.texts is not None:
        # punctuation written between a token and the next one (removed tokens included):
        # each mark of the text goes to the gap that holds it, the strongest mark wins
        for d in range(len(tokens)):
            a, b = int(tokens.doc_offsets[d]), int(tokens.doc_offsets[d + 1])
            if b - a < 2:
                continue
            marks = [(m.start(), _CHAR_WEIGHT[m.group()]) for m in _PUNCT.finditer(tokens.texts[d])]
            if not marks:
                continue
            where = np.array([m[0] for m in marks])
            value = np.array([m[1] for m in marks])
            ends, starts = tokens.ends[a:b - 1], tokens.starts[a + 1:b]
            gap = np.searchsorted(ends, where, side="right") - 1
            ok = (gap >= 0) & (where < starts[np.maximum(gap, 0)])
            np.maximum.at(weights, a + gap[ok], value[ok])
    return weights


def segment_bounds(tokens: Tokens, size: int, window: float | None = None) -> pd.DataFrame:
    """Segments as token ranges: ``doc`` (position), ``start``, ``end`` (global token positions, end excluded)."""
    if window is None:
        window = 0.4 * size
    span = int(size + window)
    weights = gap_weights(tokens)
    offsets = np.arange(1, span + 1)
    # the division is the same for every cut: precompute it once
    penalty = np.abs(offsets - size) + 1.0
    docs, starts, ends = [], [], []
    bounds = tokens.doc_offsets
    for d in range(len(tokens)):
        first, last = int(bounds[d]), int(bounds[d + 1])
        pos = first
        while last - pos > span:
            cut = int(np.argmax(weights[pos:pos + span] / penalty)) + 1
            docs.append(d), starts.append(pos), ends.append(pos + cut)
            pos += cut
        if last > pos:
            docs.append(d), starts.append(pos), ends.append(last)
    return pd.DataFrame({"doc": np.array(docs, dtype=np.int64), "start": np.array(starts, dtype=np.int64),
                         "end": np.array(ends, dtype=np.int64)})
