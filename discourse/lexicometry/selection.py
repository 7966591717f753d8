"""Selecting documents of a :class:`~discourse.tokens.Tokens` by metadata, shared by lexicometry and frames.

>>> import pandas as pd
>>> from discourse.tokens import Tokens
>>> toks = Tokens.from_lists([["menace"], ["paix"]], metadata=pd.DataFrame({"groupe": ["UMP", "SRC"]}))
>>> document_mask(toks, {"groupe": "UMP"}).tolist()
[True, False]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from discourse.tokens import Tokens

__all__ = ["Selector", "document_mask"]


def _check_not_empty(tokens: Tokens) -> None:
    if len(tokens) == 0:
        raise ValueError("empty corpus: the Tokens hold no documents, there is nothing to count frames in")
    if tokens.n_tokens == 0:
        raise ValueError(f"empty corpus: the {len(tokens)} documents hold no tokens (were they all filtered out?)")


Selector = Sequence[bool] | np.ndarray | pd.Series | Mapping[str, Any] | Callable[[pd.DataFrame], Any]


def document_mask(tokens: Tokens, selector: Selector, name: str = "selection") -> np.ndarray:
    """A boolean mask over documents from a mask, ``{column: value or list}`` or a function of the metadata."""
    meta = tokens.metadata
    if callable(selector):
        mask = np.asarray(selector(meta), dtype=bool)
    elif isinstance(selector, Mapping):
        mask = np.ones(len(tokens), dtype=bool)
        for col, value in selector.items():
            if col not in meta.columns:
                raise KeyError(f"{name}: no metadata column {col!r}; columns are {list(meta.columns)}")
            if isinstance(value, (list, tuple, set, frozenset)):
                mask &= meta[col].isin(list(value)).to_numpy(dtype=bool)
            else:
                mask &= (meta[col] == value).fillna(False).to_numpy(dtype=bool)
    else:
        mask = np.asarray(selector, dtype=bool)
    if mask.shape != (len(tokens),):
        raise ValueError(f"{name}: the mask has {mask.size} values for {len(tokens)} documents")
    return mask
