"""Checking the keys of an analysis file: the error type and the small checks every section shares.

Below both :mod:`discourse.pipeline.config` (the file and the pipeline's own keys) and
:mod:`discourse.pipeline.stages` (the sections and their stages), so neither imports the other
to report a key: ``config`` asks ``stages`` for the sections, ``stages`` never imports ``config``.

>>> check_choice("Y", ["M", "Y"], "analyses[0].frames.counts[0].freq")
'Y'
>>> check_choice("year", ["M", "Y"], "analyses[0].frames.counts[0].freq")
Traceback (most recent call last):
...
discourse.pipeline.keys.ConfigError: analyses[0].frames.counts[0].freq: 'year' is not allowed; allowed values: M, Y
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["ConfigError", "as_list", "check_choice", "check_date", "check_int", "check_keys", "check_name", "check_type",
           "excerpt", "fail", "key_path", "suggest"]


class ConfigError(ValueError):
    """An analysis file that cannot run: the message names the key, the value and what is allowed.

    ``where`` is the key path (``analyses[0].frames.counts[1].freq``) when the error is about one key.
    """

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.where = where


def excerpt(text: Any, limit: int = 160) -> str:
    """At most ``limit`` characters of a text for an error message (files are never quoted whole)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def key_path(where: str) -> tuple[Any, ...]:
    """``analyses[0].models[1].k`` → ``("analyses", 0, "models", 1, "k")``.

    >>> key_path("analyses[0].frames.counts[2].freq")
    ('analyses', 0, 'frames', 'counts', 2, 'freq')
    """
    return tuple(int(part[1:-1]) if part.startswith("[") else part for part in re.findall(r"\[\d+\]|[^.\[\]]+", where))


def suggest(word: Any, allowed: Iterable[Any]) -> str:
    """`` (did you mean 'x'?)`` when one allowed value is close to ``word``."""
    close = difflib.get_close_matches(str(word), [str(a) for a in allowed], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def fail(where: str, message: str, at: str | None = None) -> None:
    """Raise the :class:`ConfigError` of the key at ``where`` (its line: the line of ``at`` when given)."""
    raise ConfigError(f"{where}: {message}" if where else message, at or where or None)


def check_keys(section: Any, allowed: Iterable[str], where: str) -> dict[str, Any]:
    """A section as a dict, every key among ``allowed`` (else an error naming the closest key)."""
    if section is None:
        return {}
    allowed = sorted(set(allowed))
    if not isinstance(section, Mapping):
        fail(where, f"expected a mapping of keys ({', '.join(allowed)}), got {type(section).__name__} {excerpt(repr(section), 80)}")
    for key in section:
        if key not in allowed:
            fail(where, f"unknown key {key!r}; allowed keys: {', '.join(allowed)}{suggest(key, allowed)}",
                 at=f"{where}.{key}" if where else str(key))
    return dict(section)


def check_choice(value: Any, allowed: Iterable[Any], where: str) -> Any:
    """``value`` if allowed, else an error listing the allowed values."""
    allowed = list(allowed)
    if value not in allowed:
        shown = ", ".join("null" if a is None else str(a) for a in allowed)
        fail(where, f"{excerpt(repr(value), 80)} is not allowed; allowed values: {shown}{suggest(value, [a for a in allowed if a is not None])}")
    return value


def check_type(value: Any, types: type | tuple[type, ...], where: str, what: str) -> Any:
    """``value`` if of ``types`` (a bool is not an int here), else an error."""
    wanted = types if isinstance(types, tuple) else (types,)
    if (isinstance(value, bool) and bool not in wanted) or not isinstance(value, wanted):
        fail(where, f"expected {what}, got {type(value).__name__} {excerpt(repr(value), 80)}")
    return value


def check_int(value: Any, where: str, minimum: int | None = None) -> int:
    """``value`` as an int of at least ``minimum``."""
    check_type(value, int, where, "an integer")
    if minimum is not None and value < minimum:
        fail(where, f"{value} is too small; it must be >= {minimum}")
    return int(value)


def as_list(value: Any, where: str) -> list[Any]:
    """A list from a list, one mapping or one string (written alone), or nothing."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, (Mapping, str)):
        return [value]
    fail(where, f"expected a list, got {type(value).__name__} {excerpt(repr(value), 80)}")
    return []


_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def check_name(value: Any, where: str) -> str:
    """A name that becomes part of a file name: letters, digits, ``_ - .``, not starting with a dot (no ``..``)."""
    name = str(value)
    if not _NAME.fullmatch(name) or ".." in name:
        fail(where, f"{excerpt(repr(name), 60)} must be letters, digits, '_', '-' or '.', not start with '.' "
                    "and not contain '..' (it names output files)")
    return name


def check_date(value: Any, where: str) -> str:
    """A date as ``YYYY-MM-DD``."""
    import pandas as pd

    try:
        return pd.Timestamp(str(value)).strftime("%Y-%m-%d")
    except (ValueError, TypeError):
        fail(where, f"{excerpt(repr(value), 40)} is not a date (write YYYY-MM-DD)")
    return ""

#: the pipeline's own keys of the ``engine`` section (the others are the engine's parameters)
ENGINE_OWN = {"shards": None, "documents_per_shard": 1000}
