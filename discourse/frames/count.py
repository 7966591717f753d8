"""Counting frames: per document, per metadata group and per period, with intervals.

Two denominators, both in every table:

- ``tokens``: the tokens of the :class:`Tokens` given, after whatever filtering was applied
  to them (by default stop words and punctuation are removed, and a joined expression counts
  as one token). ``rate_per_10k`` is hits per 10,000 of these *content tokens*; its intervals
  (``ci_low``, ``ci_high``) are on this scale.
- ``words``: the running words of the original text (whitespace-separated words holding a
  letter or digit, « l'état » is one word), the unit of ``discourse corpora --summary``.
  ``rate_per_10k_words`` is hits per 10,000 running words, about half ``rate_per_10k`` on
  parliamentary French once stop words are removed.

``table.attrs["rate_unit"]`` names the unit of ``rate_per_10k`` in words (figures use it for
their axis label). Hits excluded by a rule of the dictionary (« sécurité sociale » for
« sécurité ») are not counted; they are reported in the ``excluded`` column.
Intervals are by default a percentile bootstrap over *documents* (the sampled unit: a
speech that repeats "terrorisme" ten times is one draw, not ten), or exact Poisson.

Empty periods and groups are kept: a month without sittings gives a row with ``count`` 0,
``tokens`` 0, a NaN rate and ``no_tokens`` set, never a missing row.

Example
-------
>>> from discourse.tokens import Tokens
>>> toks = Tokens.from_lists([["le", "terrorisme"], ["la", "sécurité", "publique", "et", "la", "menace"]],
...                          doc_ids=["a", "b"])
>>> table = count_frames(toks, ci="poisson")
>>> table.set_index("frame").loc[["counter_terrorism", "security_threat"], ["count", "tokens"]].values.tolist()
[[1, 8], [2, 8]]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from discourse.base import check_level, checked_by
from discourse.lexicometry import stats
from discourse.lexicometry.counts import (  # noqa: F401  (CI_METHODS, FREQUENCIES, RATE_UNIT*: their old home)
    CI_METHODS,
    FREQUENCIES,
    RATE_UNIT,
    RATE_UNIT_WORDS,
    _rate_unit,
    _set_attrs,
    _set_rate_attrs,
    check_count_params,
    counts_by_group,
    running_words,
)
from discourse.lexicometry.selection import Selector, _check_not_empty, document_mask
from discourse.patterns.dictionary import FrameDictionary
from discourse.patterns.match import dictionary_rules, document_hit_counts, rule_report
from discourse.tokens import Tokens

__all__ = ["count_frames", "frame_counts", "frames_table", "FrameCounts", "document_counts", "compare", "running_words", "FREQUENCIES", "RATE_UNIT", "RATE_UNIT_WORDS"]

@dataclass(frozen=True)
class FrameCounts:
    """Integer hits per document and frame, with everything a count table needs besides them.

    The counting half of :func:`count_frames`: :func:`frame_counts` makes it from tokens, and
    :meth:`concat` joins the counts of consecutive parts of a corpus (shards) into those of the
    whole, exactly (integers, documents in order). :func:`frames_table` makes the table.

    >>> from discourse.tokens import Tokens
    >>> fc = frame_counts(Tokens.from_lists([["la", "menace", "terroriste"]], doc_ids=["a"]))
    >>> int(fc.counts[0, fc.frames.index("counter_terrorism")]), fc.lengths.tolist()
    (1, [3])
    """

    doc_ids: list[str]
    metadata: pd.DataFrame
    frames: list[str]
    counts: np.ndarray  # (documents, frames) counted hits
    excluded: np.ndarray  # (documents, frames) hits a rule of the dictionary ruled out
    lengths: np.ndarray  # tokens per document
    words: np.ndarray  # running words per document (NaN when the texts were not kept)
    rule_uses: np.ndarray  # hits excluded by each rule of dictionary_rules(dictionary)
    rate_unit: str

    @classmethod
    def concat(cls, parts: Sequence[FrameCounts]) -> FrameCounts:
        """The counts of consecutive parts of one corpus, joined in order (the parts' own order kept)."""
        return cls.join(parts, sum(len(p.doc_ids) for p in parts))

    @classmethod
    def join(cls, parts: Iterable[FrameCounts], n_documents: int) -> FrameCounts:
        """:meth:`concat` over parts read one at a time (e.g. from files), into arrays of ``n_documents``
        rows made once: a part can be freed as soon as it is copied, so the join holds the
        result and one part, not every part and the result."""
        first: FrameCounts | None = None
        doc_ids: list[str] = []
        metadata: list[pd.DataFrame] = []
        arrays: dict[str, np.ndarray] = {}
        rule_uses = None
        row = 0
        for i, p in enumerate(parts):
            if first is None:
                first = p
                arrays = {name: np.empty((n_documents, *getattr(p, name).shape[1:]), dtype=getattr(p, name).dtype)
                          for name in ("counts", "excluded", "lengths", "words")}
                rule_uses = np.zeros(p.rule_uses.shape, dtype=np.int64)
            elif p.frames != first.frames or p.rate_unit != first.rate_unit or p.rule_uses.shape != first.rule_uses.shape:
                raise ValueError(f"part {i} was counted with other frames, rules or preprocessing than part 0")
            n = len(p.doc_ids)
            if row + n > n_documents:
                raise ValueError(f"the parts hold more than the {n_documents} documents announced (part {i})")
            for name, out in arrays.items():
                out[row:row + n] = getattr(p, name)
            rule_uses += p.rule_uses
            doc_ids.extend(p.doc_ids)
            metadata.append(p.metadata)
            row += n
        if first is None:
            raise ValueError("no counts to join")
        if row != n_documents:
            raise ValueError(f"the parts hold {row} documents, not the {n_documents} announced")
        return cls(
            doc_ids=doc_ids,
            metadata=pd.concat(metadata, ignore_index=True) if len(metadata) > 1 else first.metadata,
            frames=list(first.frames),
            **arrays,
            rule_uses=rule_uses,
            rate_unit=first.rate_unit,
        )

    def with_metadata(self, metadata: pd.DataFrame) -> FrameCounts:
        """The same counts with another metadata table (one row a document, in order), e.g. a dominant topic added."""
        if len(metadata) != len(self.doc_ids):
            raise ValueError(f"metadata has {len(metadata)} rows for {len(self.doc_ids)} documents")
        return dataclasses.replace(self, metadata=metadata.reset_index(drop=True))


def frame_counts(tokens: Tokens, dictionary: FrameDictionary | str | None = None) -> FrameCounts:
    """Hits per document and frame of ``tokens`` (the counting half of :func:`count_frames`).

    >>> from discourse.tokens import Tokens
    >>> fc = frame_counts(Tokens.from_lists([["état", "d'", "urgence"], ["budget"]], doc_ids=["a", "b"]))
    >>> fc.counts[:, fc.frames.index("state_of_emergency")].tolist()
    [1, 0]
    """
    dictionary = FrameDictionary.coerce(dictionary)
    counts, excluded, frames, hits = document_hit_counts(tokens, dictionary)
    uses = hits.rule_uses() if hits.rules else np.zeros(0, dtype=np.int64)
    return FrameCounts(list(tokens.doc_ids), tokens.metadata, list(frames), counts, excluded,
                       np.asarray(tokens.lengths, dtype=np.int64), running_words(tokens), uses, _rate_unit(tokens))


def document_counts(tokens: Tokens, dictionary: FrameDictionary | str | None = None) -> pd.DataFrame:
    """Hits per document and frame (tidy): doc_id, frame, count, excluded, tokens, words, rate_per_10k, rate_per_10k_words.

    ``rate_per_10k`` is per 10,000 content tokens, ``rate_per_10k_words`` per 10,000 running
    words of the original text (see the module notes); ``attrs["rate_unit"]`` says so.

    >>> from discourse.tokens import Tokens
    >>> toks = Tokens.from_lists([["extrémisme", "violent"]], doc_ids=["d"])
    >>> document_counts(toks).query("count > 0")[["doc_id", "frame", "count"]].values.tolist()
    [['d', 'violent_extremism', 1]]
    """
    dictionary = FrameDictionary.coerce(dictionary)
    counts, excluded, frames, hits = document_hit_counts(tokens, dictionary)
    n_docs, n_frames = counts.shape
    lengths = tokens.lengths
    words = running_words(tokens)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(lengths[:, None] > 0, counts / np.maximum(lengths[:, None], 1) * 10_000, np.nan)
        rate_w = np.where(words[:, None] > 0, counts / np.maximum(words[:, None], 1) * 10_000, np.nan)
    table = pd.DataFrame(
        {
            "doc_id": np.repeat(np.array(tokens.doc_ids, dtype=object), n_frames),
            "frame": np.tile(np.array(frames, dtype=object), n_docs),
            "count": counts.ravel(),
            "excluded": excluded.ravel(),
            "tokens": np.repeat(lengths, n_frames),
            "words": np.repeat(words, n_frames),
            "rate_per_10k": rate.ravel(),
            "rate_per_10k_words": rate_w.ravel(),
        }
    )
    _set_rate_attrs(table, tokens, hits, dictionary)
    return table


@checked_by(check_count_params)
def count_frames(
    tokens: Tokens,
    dictionary: FrameDictionary | str | None = None,
    by: str | Sequence[str] | None = None,
    freq: str | None = None,
    *,
    date_column: str = "date",
    ci: str | None = "bootstrap",
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int = 0,
) -> pd.DataFrame:
    """Frame counts, rates per 10,000 tokens and intervals, overall or by group and period.

    Parameters
    ----------
    tokens : the preprocessed corpus.
    dictionary : a :class:`FrameDictionary`, a YAML path, or None for the default dictionary.
    by : metadata column(s) to group documents by (e.g. ``"group"``, ``"source"``).
    freq : ``"D"``, ``"W"``, ``"M"``, ``"Q"`` or ``"Y"``: one row per period of
        ``date_column``, every period between the first and last date included.
    ci : ``"bootstrap"`` (documents resampled ``n_boot`` times; NaN below two documents),
        ``"poisson"`` (exact interval of the count) or None.

    Returns
    -------
    DataFrame with columns ``frame``, the ``by`` columns, ``period`` and ``period_start`` (with
    ``freq``), ``count``, ``excluded`` (hits a rule of the dictionary ruled out, not counted),
    ``tokens`` (content tokens), ``words`` (running words of the original text),
    ``rate_per_10k`` (per 10,000 content tokens), ``rate_per_10k_words`` (per 10,000 running
    words), ``ci_low``, ``ci_high`` (interval of ``rate_per_10k``), ``doc_share``
    (share of the documents with at least one hit), ``n_docs`` and ``no_tokens`` (True for a
    group or period without tokens: its rate is NaN). Documents left out for a missing group
    value or date are listed in ``result.attrs["skipped"]`` (records of doc_id and reason) and a warning says how many.

    Example
    -------
    >>> from discourse.tokens import Tokens
    >>> import pandas as pd
    >>> meta = pd.DataFrame({"doc_id": ["a", "b"], "date": ["2015-11-14", "2016-01-05"]})
    >>> toks = Tokens.from_lists([["état", "d'", "urgence"], ["budget"]], metadata=meta)
    >>> t = count_frames(toks, freq="M", ci="poisson")
    >>> t[t.frame == "state_of_emergency"][["period", "count", "no_tokens"]].astype(str).values.tolist()
    [['2015-11', '1', 'False'], ['2015-12', '0', 'True'], ['2016-01', '0', 'False']]
    """
    check_count_params(freq=freq, date_column=date_column, ci=ci, n_boot=n_boot, level=level, random_state=random_state)
    _check_not_empty(tokens)
    dictionary = FrameDictionary.coerce(dictionary)
    return frames_table(frame_counts(tokens, dictionary), dictionary, by, freq, date_column=date_column, ci=ci, n_boot=n_boot,
                        level=level, random_state=random_state)


def frames_table(
    counts: FrameCounts,
    dictionary: FrameDictionary | str | None = None,
    by: str | Sequence[str] | None = None,
    freq: str | None = None,
    *,
    date_column: str = "date",
    ci: str | None = "bootstrap",
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int = 0,
) -> pd.DataFrame:
    """The table of :func:`count_frames` from :class:`FrameCounts` (the same parameters; ``dictionary``
    is the one counted, for the exclusion report). Counts joined from shards give the same bytes.

    >>> from discourse.tokens import Tokens
    >>> fc = frame_counts(Tokens.from_lists([["la", "menace"], ["le", "terrorisme"]], doc_ids=["a", "b"]))
    >>> t = frames_table(fc, ci="poisson")
    >>> t.set_index("frame").loc["counter_terrorism", ["count", "tokens", "n_docs"]].tolist()
    [1, 4, 2]
    """
    check_count_params(freq=freq, date_column=date_column, ci=ci, n_boot=n_boot, level=level, random_state=random_state)
    dictionary = FrameDictionary.coerce(dictionary)
    table = counts_by_group(counts.doc_ids, counts.metadata, counts.lengths, counts.words, counts.counts, counts.excluded,
                            counts.frames, by=by, freq=freq, date_column=date_column, ci=ci, n_boot=n_boot, level=level,
                            random_state=random_state, caller="count_frames")
    report = rule_report(dictionary_rules(dictionary), counts.rule_uses) if len(counts.rule_uses) else None
    _set_attrs(table, counts.rate_unit, report, dictionary)
    return table


def compare(
    tokens: Tokens,
    dictionary: FrameDictionary | str | None,
    group_a: Selector,
    group_b: Selector | None = None,
    *,
    level: float = 0.95,
    labels: tuple[str, str] = ("a", "b"),
) -> pd.DataFrame:
    """Compare frame rates between two groups of documents (or periods).

    ``group_a`` / ``group_b`` select documents: a boolean mask, ``{column: value}`` or a
    function of the metadata; ``group_b`` defaults to every other document. Per frame:
    counts, tokens and rates of both, ``log_ratio`` (log2 of rate a / rate b, zero counts
    as 0.5) with a normal-approximation interval, ``g2`` and its ``p_value``.

    >>> from discourse.tokens import Tokens
    >>> import pandas as pd
    >>> meta = pd.DataFrame({"doc_id": ["a", "b"], "group": ["UMP", "SRC"]})
    >>> toks = Tokens.from_lists([["souveraineté", "nation"], ["égalité", "droits"]], metadata=meta)
    >>> compare(toks, None, {"group": "UMP"}, labels=("UMP", "SRC")).set_index("frame").loc["sovereignty", ["count_UMP", "count_SRC"]].tolist()
    [1, 0]
    """
    check_level("level", level)
    _check_not_empty(tokens)
    dictionary = FrameDictionary.coerce(dictionary)
    mask_a = document_mask(tokens, group_a, f"group {labels[0]}")
    mask_b = ~mask_a if group_b is None else document_mask(tokens, group_b, f"group {labels[1]}")
    counts, _, frames, hits = document_hit_counts(tokens, dictionary)
    lengths = tokens.lengths
    words = running_words(tokens)
    out: dict[str, Any] = {"frame": frames}
    sizes = []
    for label, mask in zip(labels, (mask_a, mask_b)):
        n = int(lengths[mask].sum())
        if not mask.any():
            raise ValueError(f"group {label!r} selects no documents")
        if n == 0:
            raise ValueError(f"group {label!r} selects {int(mask.sum())} documents but they hold no tokens")
        c = counts[mask].sum(axis=0)
        out[f"count_{label}"] = c
        out[f"tokens_{label}"] = n
        out[f"rate_{label}"] = c / n * 10_000
        n_words = float(words[mask].sum())
        out[f"words_{label}"] = n_words
        out[f"rate_words_{label}"] = c / n_words * 10_000 if n_words > 0 else np.full(len(frames), np.nan)
        sizes.append((c, n))
    (a, n1), (b, n2) = sizes
    out["log_ratio"] = stats.log_ratio(a, b, n1, n2)
    out["ci_low"], out["ci_high"] = stats.log_ratio_interval(a, b, n1, n2, level)
    out["g2"] = stats.g2(a, b, n1, n2)
    out["p_value"] = stats.p_value(out["g2"])
    table = pd.DataFrame(out)
    _set_rate_attrs(table, tokens, hits, dictionary)
    return table
