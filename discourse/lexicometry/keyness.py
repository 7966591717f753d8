"""Keyness (target against reference) and Lafon's specificities (every part of a partition).

These read term frequencies off :class:`Tokens` and hand them to the pure functions of
:mod:`discourse.lexicometry.stats`. Terms are the values of one token attribute (lemma by
default); filter stop words and punctuation first (``tokens.filter(stop_words=True,
punctuation=True)``) when only content words should compete.

Example
-------
>>> from discourse.tokens import Tokens
>>> import pandas as pd
>>> meta = pd.DataFrame({"doc_id": ["a", "b"], "group": ["UMP", "SRC"]})
>>> toks = Tokens.from_lists([["famille", "enfant", "famille"], ["égalité", "enfant"]], metadata=meta)
>>> keyness(toks, {"group": "UMP"}, min_count=1)["term"].tolist()
['famille', 'enfant', 'égalité']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from discourse.base import check_choice, check_int, check_level, checked_by
from discourse.lexicometry import stats
from discourse.lexicometry.selection import Selector, _check_not_empty, document_mask
from discourse.tokens import Tokens

__all__ = ["keyness", "specificities", "keyness_table", "specificities_table", "MEASURES"]

MEASURES = ("g2", "chi2", "log_ratio", "lrc")


def _term_counts(tokens: Tokens, doc_mask: np.ndarray, attribute: str) -> np.ndarray:
    token_mask = np.repeat(doc_mask, tokens.lengths)
    return np.bincount(tokens.codes(attribute)[token_mask], minlength=len(tokens.vocab(attribute)))


ATTRIBUTES = ("lemma", "form")


def check_keyness_params(*, measure: Any = "g2", attribute: Any, min_count: Any, level: Any = 0.95) -> None:
    """The checks of :func:`keyness`'s and :func:`specificities`'s parameters that need no data."""
    check_choice("measure", measure, MEASURES)
    check_choice("attribute", attribute, ATTRIBUTES)
    check_int("min_count", min_count, minimum=0)
    check_level("level", level)


@checked_by(check_keyness_params)
def keyness(
    tokens: Tokens,
    target_mask: Selector,
    measure: str = "g2",
    *,
    reference_mask: Selector | None = None,
    attribute: str = "lemma",
    min_count: int = 5,
    level: float = 0.95,
) -> pd.DataFrame:
    """Key terms of a target set of documents against a reference (by default all the others).

    ``target_mask`` / ``reference_mask``: boolean masks over documents, ``{column: value}`` or a
    function of the metadata. Terms with fewer than ``min_count`` occurrences in target and
    reference together are left out (listed in ``attrs["n_terms_below_min_count"]``).

    Returns one row per term: ``term``, ``count_target``, ``count_reference``,
    ``rate_target``, ``rate_reference`` (per 10,000 tokens), ``g2``, ``chi2``, ``p_value``,
    ``log_ratio``, ``lrc`` (Bonferroni-corrected over the terms tested), ``effect``
    (``"target"`` / ``"reference"``) and ``score``: the chosen ``measure`` signed by the
    effect. Rows are sorted by ``score``, so the head lists the target's key terms and the
    tail the reference's.

    >>> from discourse.tokens import Tokens
    >>> toks = Tokens.from_lists([["menace"] * 5 + ["paix"], ["paix"] * 5 + ["menace"]])
    >>> keyness(toks, [True, False], min_count=1)[["term", "effect"]].values.tolist()
    [['menace', 'target'], ['paix', 'reference']]
    """
    check_keyness_params(measure=measure, attribute=attribute, min_count=min_count, level=level)
    _check_not_empty(tokens)
    target = document_mask(tokens, target_mask, "target")
    reference = ~target if reference_mask is None else document_mask(tokens, reference_mask, "reference")
    if np.any(target & reference):
        raise ValueError(f"target and reference share {int((target & reference).sum())} documents")
    counts = []
    for name, mask in (("target", target), ("reference", reference)):
        c = _term_counts(tokens, mask, attribute)
        if not mask.any():
            raise ValueError(f"the {name} selects no documents")
        if c.sum() == 0:
            raise ValueError(f"the {name} selects {int(mask.sum())} documents but they hold no tokens")
        counts.append(c)
    a, b = counts
    return keyness_table(tokens.vocab(attribute), a, b, measure, min_count=min_count, level=level)


def keyness_table(terms: Any, count_target: np.ndarray, count_reference: np.ndarray, measure: str = "g2", *,
                  min_count: int = 5, level: float = 0.95) -> pd.DataFrame:
    """The table of :func:`keyness` from integer counts per term in the target and the reference.

    The counting half can run anywhere (one process, or shard by shard with the counts summed):
    the same counts give the same table, byte for byte.

    >>> keyness_table(["menace", "paix"], np.array([5, 1]), np.array([1, 5]), min_count=1)[["term", "effect"]].values.tolist()
    [['menace', 'target'], ['paix', 'reference']]
    """
    check_keyness_params(measure=measure, attribute="lemma", min_count=min_count, level=level)
    a, b = np.asarray(count_target), np.asarray(count_reference)
    n1, n2 = int(a.sum()), int(b.sum())
    keep = (a + b) >= min_count
    vocab = np.array(list(terms), dtype=object)
    a, b, terms = a[keep], b[keep], vocab[keep]
    table = stats.keyness_table(a, b, n1, n2, level=level, n_tests=max(int(keep.sum()), 1))
    table.insert(0, "term", terms)
    table.insert(1, "count_target", a)
    table.insert(2, "count_reference", b)
    table.insert(3, "rate_target", a / n1 * 10_000)
    table.insert(4, "rate_reference", b / n2 * 10_000)
    sign = np.where(table["effect"] == "reference", -1.0, 1.0)
    value = table[measure].to_numpy(dtype=float)
    table["score"] = value if measure in ("log_ratio", "lrc") else sign * value
    table = table.sort_values(["score", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)
    table.attrs.update(measure=measure, tokens_target=n1, tokens_reference=n2, n_terms_below_min_count=int((~keep).sum()))
    return table


@checked_by(check_keyness_params)
def specificities(
    tokens: Tokens,
    by: str,
    *,
    attribute: str = "lemma",
    min_count: int = 5,
    parts: list | None = None,
) -> pd.DataFrame:
    """Lafon's specificities of every term in every part of a partition of the documents.

    ``by`` names the metadata column that defines the parts (e.g. ``"group"``); documents with
    no value are left out (``attrs["skipped_documents"]``). Terms with fewer than ``min_count``
    occurrences in the partitioned corpus are left out. The score is TXM's: signed log10 of
    the hypergeometric tail (positive = over-represented in the part; |score| >= 2 is the usual
    "specific" threshold, a probability of 1 % or less).

    Returns a tidy table: ``part``, ``term``, ``count`` (in the part), ``part_tokens``,
    ``term_total``, ``expected``, ``specificity``; sorted by part then decreasing score.

    >>> from discourse.tokens import Tokens
    >>> import pandas as pd
    >>> meta = pd.DataFrame({"doc_id": ["a", "b"], "group": ["UMP", "SRC"]})
    >>> toks = Tokens.from_lists([["famille"] * 6 + ["loi"] * 4, ["égalité"] * 6 + ["loi"] * 4], metadata=meta)
    >>> t = specificities(toks, "group", min_count=1)
    >>> t[t.part == "UMP"][["term", "count"]].values.tolist()
    [['famille', 6], ['loi', 4], ['égalité', 0]]
    """
    check_keyness_params(attribute=attribute, min_count=min_count)
    _check_not_empty(tokens)
    meta = tokens.metadata
    if by not in meta.columns:
        raise KeyError(f"no metadata column {by!r}; columns are {list(meta.columns)}")
    values = meta[by]
    present = values.notna().to_numpy()
    labels = parts if parts is not None else sorted(values[present].unique().tolist(), key=str)
    matrix = np.stack([_term_counts(tokens, (values == p).fillna(False).to_numpy(dtype=bool), attribute) for p in labels]) if labels else np.zeros((0, len(tokens.vocab(attribute))), np.int64)
    return specificities_table(labels, tokens.vocab(attribute), matrix, min_count=min_count, by=by,
                               skipped_documents=[tokens.doc_ids[i] for i in np.flatnonzero(~present)])


def specificities_table(parts: Sequence[Any], terms: Sequence[str], matrix: np.ndarray, *, min_count: int = 5,
                        by: str = "by", skipped_documents: Sequence[str] = ()) -> pd.DataFrame:
    """The table of :func:`specificities` from integer counts (parts × terms).

    The counting half can run anywhere (one process, or shard by shard with the counts summed):
    the same counts give the same table, byte for byte. ``by`` names the column of the parts
    in error messages.

    >>> t = specificities_table(["UMP", "SRC"], ["famille", "loi", "égalité"], np.array([[6, 4, 0], [0, 4, 6]]), min_count=1)
    >>> t[t.part == "UMP"][["term", "count"]].values.tolist()
    [['famille', 6], ['loi', 4], ['égalité', 0]]
    """
    check_keyness_params(attribute="lemma", min_count=min_count)
    labels = list(parts)
    matrix = np.asarray(matrix)
    part_tokens = matrix.sum(axis=1)
    for p, n in zip(labels, part_tokens):
        if n == 0:
            raise ValueError(f"part {p!r} of column {by!r} holds no tokens: a specificity cannot be computed for it")
    term_total = matrix.sum(axis=0)
    total = int(part_tokens.sum())
    keep = term_total >= min_count
    vocab = np.array(list(terms), dtype=object)[keep]
    matrix, term_total = matrix[:, keep], term_total[keep]
    n_parts, n_terms = matrix.shape
    scores = stats.lafon(matrix, term_total[None, :], part_tokens[:, None], total)
    table = pd.DataFrame(
        {
            "part": np.repeat(np.array(labels, dtype=object), n_terms),
            "term": np.tile(vocab, n_parts),
            "count": matrix.ravel(),
            "part_tokens": np.repeat(part_tokens, n_terms),
            "term_total": np.tile(term_total, n_parts),
            "expected": (term_total[None, :] * part_tokens[:, None] / total).ravel(),
            "specificity": scores.ravel(),
        }
    )
    order = {p: i for i, p in enumerate(labels)}
    table = table.sort_values(["part", "specificity", "term"], ascending=[True, False, True], key=lambda s: s.map(order) if s.name == "part" else s, kind="stable").reset_index(drop=True)
    table.attrs["skipped_documents"] = list(skipped_documents)
    table.attrs["total_tokens"] = total
    return table
