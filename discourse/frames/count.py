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
import re
import warnings
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from discourse.base import check_choice, check_int, check_level, checked_by
from discourse.lexicometry import stats
from discourse.frames.dictionary import FrameDictionary
from discourse.frames.match import dictionary_rules, document_hit_counts, exclusion_report, rule_report
from discourse.lexicometry.selection import Selector, _check_not_empty, document_mask
from discourse.metadata import check_group_values, parse_dates
from discourse.tokens import Tokens

__all__ = ["count_frames", "frame_counts", "frames_table", "FrameCounts", "document_counts", "compare", "running_words", "FREQUENCIES", "RATE_UNIT", "RATE_UNIT_WORDS"]

FREQUENCIES = {"D": "D", "W": "W", "M": "M", "Q": "Q", "Y": "Y", "A": "Y"}
_COLUMNS = ["count", "excluded", "tokens", "words", "rate_per_10k", "rate_per_10k_words", "ci_low", "ci_high",
            "doc_share", "n_docs", "no_tokens"]
RATE_UNIT = "per 10,000 content tokens (stop words removed)"
RATE_UNIT_WORDS = "per 10,000 running words of the original text"
_WORD = re.compile(r"\S*[^\W_]\S*")
_WORDS_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def running_words(tokens: Tokens) -> np.ndarray:
    """Running words of each document's original text (float; NaN when the texts were not kept).

    A word is a whitespace-separated chunk holding a letter or a digit (« l'état » is one
    word, a lone dash is none).

    >>> from discourse import Preprocessor
    >>> toks = Preprocessor(progress=False).transform(["Le respect de l'état de droit — enfin."])
    >>> running_words(toks).tolist()
    [7.0]
    """
    hit = _WORDS_CACHE.get(tokens)
    if hit is None:
        if tokens.texts is None:
            hit = np.full(len(tokens), np.nan)
        else:
            hit = np.fromiter((len(_WORD.findall(t)) for t in tokens.texts), dtype=np.float64, count=len(tokens))
        _WORDS_CACHE[tokens] = hit
    return hit


def _rate_unit(tokens: Tokens) -> str:
    """The unit of ``rate_per_10k``, naming what the preprocessing removed (read from the audit)."""
    audit = tokens.audit
    stages = " ".join(str(x) for x in audit["stage"]) if len(audit) and "stage" in audit.columns else ""
    if "stop" in stages.lower():
        return RATE_UNIT
    return "per 10,000 tokens (after the preprocessing's filters)"


def _set_rate_attrs(table: pd.DataFrame, tokens: Tokens, hits: Any = None, dictionary: FrameDictionary | None = None) -> None:
    report = exclusion_report(hits) if hits is not None and hits.rules else None
    _set_attrs(table, _rate_unit(tokens), report, dictionary)


def _set_attrs(table: pd.DataFrame, rate_unit: str, report: pd.DataFrame | None, dictionary: FrameDictionary | None) -> None:
    table.attrs["rate_unit"] = rate_unit
    table.attrs["rate_unit_words"] = RATE_UNIT_WORDS
    if report is not None:
        table.attrs["exclusions"] = report.to_dict("records")
        unused = report[report["excluded"] == 0]
        table.attrs["unused_exclusions"] = unused.to_dict("records")
        # The shipped dictionary's rules were checked on the shipped corpora; on another corpus
        # some senses are simply absent, so only the user's own rules are warned about (a typo
        # there silently counts the false friend). The table above lists them all.
        if len(unused) and not (dictionary is not None and dictionary.is_default):
            listed = ", ".join(f"{r.kind} {r.rule!r} (line {r.line})" for r in unused.head(5).itertuples())
            warnings.warn(f"{len(unused)} exclusion rule(s) never apply in this corpus ({listed}"
                          f"{', ...' if len(unused) > 5 else ''}); see result.attrs['unused_exclusions']",
                          UserWarning, stacklevel=4)


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
        if not parts:
            raise ValueError("no counts to join")
        first = parts[0]
        for i, p in enumerate(parts[1:], 1):
            if p.frames != first.frames or p.rate_unit != first.rate_unit or p.rule_uses.shape != first.rule_uses.shape:
                raise ValueError(f"part {i} was counted with other frames, rules or preprocessing than part 0")
        return cls(
            doc_ids=[d for p in parts for d in p.doc_ids],
            metadata=pd.concat([p.metadata for p in parts], ignore_index=True) if len(parts) > 1 else first.metadata,
            frames=list(first.frames),
            counts=np.concatenate([p.counts for p in parts]),
            excluded=np.concatenate([p.excluded for p in parts]),
            lengths=np.concatenate([p.lengths for p in parts]),
            words=np.concatenate([p.words for p in parts]),
            rule_uses=np.sum([p.rule_uses for p in parts], axis=0, dtype=np.int64),
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


def _group_keys(
    meta: pd.DataFrame, doc_ids: Sequence[str], by: str | Sequence[str] | None, freq: str | None, date_column: str
) -> tuple[pd.DataFrame, list[str], pd.DataFrame]:
    """One row per document of grouping keys, the key columns, and the documents left out (and why)."""
    by_cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    keys = pd.DataFrame(index=range(len(doc_ids)))
    skipped = []
    valid = np.ones(len(doc_ids), dtype=bool)
    for col in by_cols:
        if col not in meta.columns:
            raise KeyError(f"no metadata column {col!r} to group by; columns are {list(meta.columns)}")
        check_group_values(meta[col], col, doc_ids)  # lists, dicts, 1 beside "1": refused
        keys[col] = meta[col].to_numpy(dtype=object)
        missing = meta[col].isna().to_numpy()
        for i in np.flatnonzero(missing & valid):
            skipped.append((doc_ids[i], f"no value in column {col!r}"))
        valid &= ~missing
    if freq is not None:
        code = FREQUENCIES.get(str(freq).upper())
        if code is None:
            raise ValueError(f"freq must be one of {sorted(FREQUENCIES)} (day, week, month, quarter, year), not {freq!r}")
        if date_column not in meta.columns:
            raise KeyError(f"freq={freq!r} needs a date column; no metadata column {date_column!r} (columns: {list(meta.columns)})")
        dates, note = parse_dates(meta[date_column], date_column)  # mixed zones: converted to UTC
        if note:
            warnings.warn(note, stacklevel=3)
        missing = dates.isna().to_numpy()
        for i in np.flatnonzero(missing & valid):
            skipped.append((doc_ids[i], f"no readable date in column {date_column!r} ({meta[date_column].iloc[i]!r})"))
        valid &= ~missing
        keys["period"] = dates.dt.to_period(code).astype(object)
        by_cols = by_cols + ["period"]
    keys["_valid"] = valid
    return keys, by_cols, pd.DataFrame(skipped, columns=["doc_id", "reason"])


def _grid(keys: pd.DataFrame, cols: list[str], freq: str | None, categories: dict[str, Any]) -> pd.DataFrame:
    """Every combination of group values and periods (the full period range: empty periods included)."""
    valid = keys[keys["_valid"]]
    levels = []
    for col in cols:
        if col == "period":
            periods = valid[col]
            if len(periods):
                levels.append(list(pd.period_range(min(periods), max(periods), freq=FREQUENCIES[str(freq).upper()])))
            else:
                levels.append([])
        elif isinstance(categories.get(col), pd.CategoricalDtype):
            levels.append(list(categories[col].categories))  # unobserved categories get zero rows too
        else:
            values = valid[col].unique().tolist()
            try:
                values = sorted(values)
            except TypeError:
                values = sorted(values, key=str)
            levels.append(values)
    return pd.MultiIndex.from_product(levels, names=cols).to_frame(index=False) if cols else pd.DataFrame(index=[0])


CI_METHODS = ("bootstrap", "poisson")


def check_count_params(*, freq: Any, date_column: Any, ci: Any, n_boot: Any, level: Any, random_state: Any) -> None:
    """The checks of :func:`count_frames`'s parameters that need no data (``discourse check`` runs them too)."""
    if freq is not None:
        check_choice("freq", freq, list(FREQUENCIES))
    if not isinstance(date_column, str):
        raise ValueError(f"date_column must be the name of a metadata column, not {date_column!r}")
    if ci is not None:
        check_choice("ci", ci, CI_METHODS)
    check_int("n_boot", n_boot, minimum=1 if ci == "bootstrap" else 0)
    check_level("level", level)
    check_int("random_state", random_state, minimum=0)


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
    frames = counts.frames
    lengths, words = counts.lengths, counts.words
    n_docs = len(counts.doc_ids)
    keys, cols, skipped = _group_keys(counts.metadata, counts.doc_ids, by, freq, date_column)
    if len(skipped):
        warnings.warn(
            f"count_frames: {len(skipped)} documents left out (first: {skipped.doc_id.iloc[0]!r}: {skipped.reason.iloc[0]}); "
            "see result.attrs['skipped']",
            UserWarning,
            stacklevel=3,
        )
    grid = _grid(keys, cols, freq, {c: counts.metadata[c].dtype for c in cols if c in counts.metadata.columns})
    valid = keys["_valid"].to_numpy()
    if cols:
        doc_key = pd.MultiIndex.from_frame(keys.loc[valid, cols]) if len(cols) > 1 else pd.Index(keys.loc[valid, cols[0]])
        grid_key = pd.MultiIndex.from_frame(grid[cols]) if len(cols) > 1 else pd.Index(grid[cols[0]])
        cell = np.full(n_docs, -1, dtype=np.int64)
        cell[valid] = grid_key.get_indexer(doc_key)
    else:
        cell = np.where(valid, 0, -1)
    order = np.argsort(cell, kind="stable")
    bounds = np.searchsorted(cell[order], np.arange(len(grid) + 1))
    excluded = counts.excluded
    hit_counts = counts.counts

    rows: list[dict[str, Any]] = []
    for g in range(len(grid)):
        idx = order[bounds[g] : bounds[g + 1]]
        c, n = hit_counts[idx], lengths[idx]
        total = int(n.sum())
        n_words = float(words[idx].sum())  # NaN when the texts were not kept
        n_hits = c.sum(axis=0)
        n_excluded = excluded[idx].sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = n_hits / total * 10_000 if total > 0 else np.full(len(frames), np.nan)
            rate_w = n_hits / n_words * 10_000 if n_words > 0 else np.full(len(frames), np.nan)
        if ci == "bootstrap" and total > 0:
            lo, hi = stats.bootstrap_rate_interval(c, n, n_boot=n_boot, level=level, random_state=np.random.default_rng([random_state, g]))
        elif ci == "poisson" and total > 0:
            lo, hi = stats.poisson_interval(n_hits, total, level)
        else:
            lo = hi = np.full(len(frames), np.nan)
        share = (c > 0).mean(axis=0) if len(idx) else np.full(len(frames), np.nan)
        base = grid.iloc[g].to_dict() if cols else {}
        for f, name in enumerate(frames):
            rows.append({"frame": name, **base, "count": int(n_hits[f]), "excluded": int(n_excluded[f]), "tokens": total,
                         "words": n_words, "rate_per_10k": float(rate[f]), "rate_per_10k_words": float(rate_w[f]),
                         "ci_low": float(lo[f]), "ci_high": float(hi[f]), "doc_share": float(share[f]),
                         "n_docs": int(len(idx)), "no_tokens": total == 0})
    table = pd.DataFrame(rows, columns=["frame", *cols, *_COLUMNS])
    if "period" in cols:
        table.insert(table.columns.get_loc("period") + 1, "period_start", pd.PeriodIndex(table["period"]).start_time if len(table) else pd.Series(dtype="datetime64[ns]"))
    frame_order = {f: i for i, f in enumerate(frames)}
    table = table.sort_values(["frame", *cols], key=lambda s: s.map(frame_order) if s.name == "frame" else s, kind="stable").reset_index(drop=True)
    table.attrs["skipped"] = skipped.to_dict("records")
    table.attrs["ci"] = ci
    table.attrs["level"] = level
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
