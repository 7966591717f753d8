"""Co-occurrence specificities (TXM's "Cooccurrences"): the words attracted into a pivot's context.

For each occurrence of the pivot (a word, a lemma, an expression, a ``terroris*`` wildcard:
the pattern language of frame dictionaries), the context is a sliding window of ``window``
tokens on each side (``unit="tokens"``) or the sentence holding the pivot and ``window``
sentences on each side (``unit="sentences"``), never crossing a document. The contexts of all
occurrences are joined (a token in two overlapping contexts counts once) and the pivot's own
tokens are left out. With ``T`` the corpus size without the pivot's tokens, ``t`` the size of
the joined contexts, ``f`` a word's frequency outside the pivot and ``k`` its frequency in
the contexts (the co-frequency), the specificity is Lafon's hypergeometric score
(:func:`discourse.lexicometry.stats.lafon`): ``-log10 P(X ≥ k)`` when ``k`` is above its expectation
``f t / T``. TXM's scores are computed the same way (Heiden, Lafon 1980).

>>> from discourse.tokens import Tokens
>>> toks = Tokens.from_lists([["mariage", "pour", "tous", "le", "débat"] * 5 + ["budget", "déficit"] * 20])
>>> cooccurrence_specificities(toks, "mariage", window=2, min_count=2)["term"].tolist()[:2]
['pour', 'tous']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from discourse.base import check_choice, check_int
from discourse.lexicometry import stats
from discourse.lexicometry.context import _query_hits, match_on_parameter
from discourse.tokens import Tokens

__all__ = ["cooccurrence_specificities", "context_mask", "context_ranges"]


def context_ranges(tokens: Tokens, positions: np.ndarray, lengths: np.ndarray, window: int, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """Token range ``[start, stop)`` of the context of each occurrence (pivot included)."""
    n = tokens.n_tokens
    doc = tokens.doc_index()
    if unit == "tokens":
        first = tokens.doc_offsets[doc[positions]]
        last = tokens.doc_offsets[doc[positions] + 1]
        start = np.maximum(positions - window, first)
        stop = np.minimum(positions + lengths + window, last)
    else:
        # sentence numbers are per document: a global sentence key, then its token range
        key = doc.astype(np.int64) * (int(tokens.sents.max()) + 1 if n else 1) + tokens.sents
        change = np.flatnonzero(np.diff(key) != 0) + 1
        sent_start = np.concatenate([[0], change])
        sent_id = np.cumsum(np.concatenate([[0], np.diff(key) != 0]))
        sent_stop = np.concatenate([change, [n]])
        sent_doc = doc[sent_start]
        s = sent_id[positions]
        lo = np.maximum(s - window, 0)
        hi = np.minimum(sent_id[positions + lengths - 1] + window, len(sent_start) - 1)
        # stay inside the pivot's document
        while True:
            bad = sent_doc[lo] != doc[positions]
            if not bad.any():
                break
            lo = np.where(bad, lo + 1, lo)
        while True:
            bad = sent_doc[hi] != doc[positions]
            if not bad.any():
                break
            hi = np.where(bad, hi - 1, hi)
        start, stop = sent_start[lo], sent_stop[hi]
    return start, stop


def context_mask(tokens: Tokens, positions: np.ndarray, lengths: np.ndarray, window: int, unit: str) -> np.ndarray:
    """Boolean mask of the tokens in the union of the contexts of the given occurrences."""
    n = tokens.n_tokens
    start, stop = context_ranges(tokens, positions, lengths, window, unit)
    # difference array: +1 where a context starts, -1 after it ends (all occurrences at once)
    diff = np.zeros(n + 1, dtype=np.int64)
    np.add.at(diff, start, 1)
    np.add.at(diff, stop, -1)
    return np.cumsum(diff[:n]) > 0


def cooccurrence_specificities(
    tokens: Tokens,
    pivot: str | Sequence[str],
    *,
    window: int = 10,
    unit: str = "tokens",
    attribute: str = "lemma",
    match_on: str = "any",
    min_count: int = 2,
    min_specificity: float | None = None,
    by: str | None = None,
) -> pd.DataFrame:
    """Words over-represented in the contexts of ``pivot``, with counts and Lafon's specificity.

    Returns one row per word seen at least ``min_count`` times in the contexts: ``term``,
    ``cofrequency`` (k), ``frequency`` (f, outside the pivot), ``contexts`` (occurrences of the
    pivot whose own context holds the word), ``specificity`` (signed Lafon score), sorted by
    decreasing specificity; ``min_specificity`` keeps only the rows at or above it. The sizes
    are in ``attrs`` (``pivot_occurrences``, ``context_tokens``, ``corpus_tokens``).
    ``match_on`` says what the pivot is matched on, as in :func:`~discourse.kwic` (``by=``, its
    former name, is deprecated).

    Example: ``cooccurrence_specificities(toks, "mariage", window=10)`` in the marriage debate
    lists ``homosexuel``, ``couple``, ``même sexe``… first.
    """
    check_int("window", window, minimum=0 if unit == "sentences" else 1)
    check_choice("unit", unit, ("tokens", "sentences"))
    check_choice("attribute", attribute, ("lemma", "form"))
    check_int("min_count", min_count, minimum=1)
    by = match_on_parameter("cooccurrence_specificities", match_on, by)
    hits = _query_hits(tokens, pivot, by, None, False)
    if len(hits) == 0:
        raise ValueError(f"the pivot {pivot!r} does not occur in the corpus (matched on {by})")
    n = tokens.n_tokens
    is_pivot = np.zeros(n + 1, dtype=np.int64)
    np.add.at(is_pivot, hits.position, 1)
    np.add.at(is_pivot, hits.position + hits.length, -1)
    is_pivot = np.cumsum(is_pivot[:n]) > 0
    in_context = context_mask(tokens, hits.position, hits.length, window, unit) & ~is_pivot
    codes = tokens.codes(attribute)
    size = len(tokens.vocab(attribute))
    k = np.bincount(codes[in_context], minlength=size)
    f = np.bincount(codes[~is_pivot], minlength=size)
    total = int((~is_pivot).sum())
    t = int(in_context.sum())
    keep = np.flatnonzero(k >= min_count)
    # contexts holding each word: (occurrence, word) pairs, each occurrence's own window
    contexts = np.zeros(size, dtype=np.int64)
    if len(keep):
        wanted = np.zeros(size, dtype=bool)
        wanted[keep] = True
        pairs = []
        start, stop = context_ranges(tokens, hits.position, hits.length, window, unit)
        for a, b in zip(start.tolist(), stop.tolist()):
            c = np.unique(codes[a:b][~is_pivot[a:b]])
            pairs.append(c[wanted[c]])
        if pairs:
            contexts = np.bincount(np.concatenate(pairs), minlength=size)
    spec = stats.lafon(k[keep], f[keep], t, total) if len(keep) else np.zeros(0)
    table = pd.DataFrame({
        "term": np.array(tokens.vocab(attribute), dtype=object)[keep], "cofrequency": k[keep],
        "frequency": f[keep], "contexts": contexts[keep], "specificity": spec,
    })
    if min_specificity is not None:
        table = table[table["specificity"] >= min_specificity]
    table = table.sort_values(["specificity", "cofrequency", "term"], ascending=[False, False, True], kind="stable").reset_index(drop=True)
    table.attrs.update(pivot=pivot, window=window, unit=unit, pivot_occurrences=len(hits), context_tokens=t, corpus_tokens=total)
    return table
