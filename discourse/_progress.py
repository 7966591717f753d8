"""Progress bars: ``tqdm.auto`` (a widget in notebooks, text elsewhere), silent for short work.

A bar appears only once the work has lasted ``delay`` seconds (2 by default), so tiny inputs
print nothing. In a notebook without ipywidgets, ``tqdm.auto`` would warn ("IProgress not
found"); the text bar is used there instead, with no warning.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

__all__ = ["progress_bar"]

DELAY = 2.0


@lru_cache(maxsize=1)
def _tqdm_class() -> type:
    if importlib.util.find_spec("ipywidgets") is None:
        from tqdm.std import tqdm
    else:
        from tqdm.auto import tqdm
    return tqdm


def progress_bar(iterable: Iterable[Any] | None = None, **kwargs: Any) -> Any:
    """A tqdm bar that stays quiet for work shorter than two seconds (``delay=`` overrides).

    >>> sum(progress_bar(range(3), desc="lecture", disable=True))
    3
    """
    kwargs.setdefault("delay", DELAY)
    return _tqdm_class()(iterable, **kwargs)
