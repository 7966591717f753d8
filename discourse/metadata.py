"""Reading metadata columns for grouping: dates in any zone, group values that cannot be confused.

Two ways metadata used to go wrong when documents were counted by group or period:

- **dates**: a column mixing time zones (``2015-11-14T10:00+01:00`` beside ``…+00:00``) raised
  a raw pandas error, and a column mixing formats (``2015-11-14 10:00`` beside ``2015-11-15``)
  lost every value that did not look like the first one, reported as "no readable date".
  :func:`parse_dates` keeps one zone as written (``tz`` dropped, the wall-clock time kept),
  and reads a column of several zones or formats value by value, converting every date to
  UTC, and says so.
- **group values**: lists or dicts cannot be grouped (refused, naming the column and the first
  document), and two values that print the same (``1`` and ``"1"``) would give two rows with
  one label (refused, naming both documents; convert the column to one type first).

Example
-------
>>> import pandas as pd
>>> dates, note = parse_dates(pd.Series(["2015-11-14T10:00:00+01:00", "2015-11-14T10:00:00+00:00"]))
>>> dates.dt.hour.tolist(), note is not None
([9, 10], True)
>>> check_group_values(pd.Series(["PS", "LR"]), "groupe", ["d1", "d2"])
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from typing import Any

import pandas as pd

__all__ = ["parse_dates", "check_group_values"]


def parse_dates(values: pd.Series, column: str = "date") -> tuple[pd.Series, str | None]:
    """Naive ``datetime64`` dates of a metadata column, and a note when they were converted.

    One time zone: the wall-clock time is kept (``tz`` dropped). Several zones, zones beside
    naive values, or several formats: each value is read on its own (day first for
    ``14/11/2015``, the French order), every date converted to UTC, and the note says so.
    Unreadable values become ``NaT`` (callers report them).

    >>> parse_dates(pd.Series(["2015-11-14 10:00", "2015-11-15"]))[0].dt.day.tolist()
    [14, 15]
    """
    series = pd.Series(values)
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        return series.dt.tz_localize(None), None
    if pd.api.types.is_datetime64_dtype(series.dtype):
        return series, None
    present = series.notna().to_numpy()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas warns when it infers a format; we check the result
            fast = pd.to_datetime(series, errors="coerce")
        if not pd.api.types.is_datetime64_any_dtype(fast.dtype):
            raise TypeError("not one kind of date")
        if not (fast.isna().to_numpy() & present).any():
            return (fast.dt.tz_localize(None) if isinstance(fast.dtype, pd.DatetimeTZDtype) else fast), None
    except (ValueError, TypeError, OverflowError):
        fast = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        slow = pd.to_datetime(series, errors="coerce", utc=True, format="mixed", dayfirst=True)
    recovered = int(((fast.isna().to_numpy() if fast is not None else present) & slow.notna().to_numpy() & present).sum())
    if fast is not None and recovered == 0:
        # nothing more is readable value by value: keep the first reading (its zone as written)
        return (fast.dt.tz_localize(None) if isinstance(fast.dtype, pd.DatetimeTZDtype) else fast), None
    note = (f"column {column!r} mixes time zones or date formats: each date was read on its own and "
            "converted to UTC (a date without a zone is taken as UTC)")
    return slow.dt.tz_convert("UTC").dt.tz_localize(None), note


def check_group_values(values: pd.Series, column: str, doc_ids: Sequence[str]) -> None:
    """Refuse a grouping column holding lists or dicts, or two values that print the same.

    >>> check_group_values(pd.Series([1, "1"]), "groupe", ["a", "b"])  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ValueError: column 'groupe' holds 1 (int, document 'a') and '1' (str, document 'b') ...
    """
    seen: dict[str, tuple[Any, str]] = {}
    for value, doc_id in zip(values.tolist(), doc_ids):
        if value is None or (isinstance(value, float) and value != value):
            continue  # missing values are reported by the callers
        if not isinstance(value, Hashable):
            raise ValueError(f"column {column!r} holds a {type(value).__name__} in document {doc_id!r} ({str(value)[:60]}): "
                             "group by a column of single values (text, number, date)")
        label = str(value)
        first = seen.setdefault(label, (value, doc_id))
        if first[0] is not value and (type(first[0]) is not type(value) or first[0] != value):
            raise ValueError(f"column {column!r} holds {first[0]!r} ({type(first[0]).__name__}, document {first[1]!r}) and "
                             f"{value!r} ({type(value).__name__}, document {doc_id!r}), which would be two groups with one "
                             "label: convert the column to one type first, e.g. "
                             f"corpus.assign({column}=lambda m: m[{column!r}].astype(str))")
