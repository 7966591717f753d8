"""Counts of hits per document, group and period, with rates and intervals (the counting under frames).

:func:`count_table` turns per-document hit counts (documents × query or frame) into the tidy
table of :func:`discourse.frames.count_frames` and of :func:`~discourse.lexicometry.progression`
with a ``freq``: one row per name, group and period, the two denominators (content tokens and
running words of the original text), intervals, and the documents left out and why. The
matching that produced the counts is the caller's (:mod:`discourse.patterns`).

>>> import numpy as np
>>> from discourse.tokens import Tokens
>>> toks = Tokens.from_lists([["état", "d'", "urgence"], ["budget"]])
>>> count_table(toks, np.array([[1], [0]]), np.zeros((2, 1), int), ["urgence"], ci=None)[["frame", "count", "tokens"]].values.tolist()
[['urgence', 1, 4]]
"""

from __future__ import annotations

import re
import warnings
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from discourse.base import check_choice, check_int, check_level
from discourse.lexicometry import stats
from discourse.metadata import check_group_values, parse_dates
from discourse.patterns.match import exclusion_report
from discourse.tokens import Tokens

__all__ = ["count_table", "counts_by_group", "running_words", "FREQUENCIES", "RATE_UNIT", "RATE_UNIT_WORDS", "CI_METHODS"]

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


def _set_rate_attrs(table: pd.DataFrame, tokens: Tokens, hits: Any = None, dictionary: Any = None) -> None:
    report = exclusion_report(hits) if hits is not None and hits.rules else None
    _set_attrs(table, _rate_unit(tokens), report, dictionary)


def _set_attrs(table: pd.DataFrame, rate_unit: str, report: pd.DataFrame | None, dictionary: Any = None) -> None:
    """The attributes every count table carries: the units of its rates and the exclusion rules' report."""
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
            warnings.warn(note, stacklevel=5)
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


def count_table(
    tokens: Tokens,
    counts: np.ndarray,
    excluded: np.ndarray,
    names: Sequence[str],
    *,
    by: str | Sequence[str] | None = None,
    freq: str | None = None,
    date_column: str = "date",
    ci: str | None = "bootstrap",
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int = 0,
    caller: str = "count_table",
) -> pd.DataFrame:
    """Hits per name (column ``frame``), group and period from per-document counts.

    ``counts`` and ``excluded`` are documents × names (hits counted, hits a rule ruled out);
    the other parameters and the columns are those of :func:`discourse.frames.count_frames`.
    ``caller`` names the function in the warning about documents left out.
    """
    return counts_by_group(list(tokens.doc_ids), tokens.metadata, tokens.lengths, running_words(tokens), counts, excluded, names,
                           by=by, freq=freq, date_column=date_column, ci=ci, n_boot=n_boot, level=level,
                           random_state=random_state, caller=caller)


def counts_by_group(
    doc_ids: Sequence[str],
    metadata: pd.DataFrame,
    lengths: np.ndarray,
    words: np.ndarray,
    counts: np.ndarray,
    excluded: np.ndarray,
    names: Sequence[str],
    *,
    by: str | Sequence[str] | None = None,
    freq: str | None = None,
    date_column: str = "date",
    ci: str | None = "bootstrap",
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int = 0,
    caller: str = "count_table",
) -> pd.DataFrame:
    """:func:`count_table` from the documents' arrays rather than a :class:`Tokens` (ids, metadata,
    content tokens and running words per document), so counts joined from shards make the same table.

    >>> import numpy as np, pandas as pd
    >>> t = counts_by_group(["a", "b"], pd.DataFrame({"doc_id": ["a", "b"]}), np.array([4, 1]), np.array([3.0, 1.0]),
    ...                     np.array([[1], [0]]), np.zeros((2, 1), int), ["urgence"], ci=None)
    >>> t[["frame", "count", "tokens", "words"]].values.tolist()
    [['urgence', 1, 5, 4.0]]
    """
    frames = list(names)
    n_docs = len(doc_ids)
    keys, cols, skipped = _group_keys(metadata, doc_ids, by, freq, date_column)
    if len(skipped):
        warnings.warn(
            f"{caller}: {len(skipped)} documents left out (first: {skipped.doc_id.iloc[0]!r}: {skipped.reason.iloc[0]}); "
            "see result.attrs['skipped']",
            UserWarning,
            stacklevel=4,
        )
    grid = _grid(keys, cols, freq, {c: metadata[c].dtype for c in cols if c in metadata.columns})
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

    rows: list[dict[str, Any]] = []
    for g in range(len(grid)):
        idx = order[bounds[g] : bounds[g + 1]]
        c, n = counts[idx], lengths[idx]
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
    return table
