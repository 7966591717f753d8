"""What every stage of the library shares: parameters read from the signature, checks, repr.

A stage (``Preprocessor``, ``LDA``, ``Reinert``, ``Wordfish``…) takes keyword-only parameters,
stores them untouched in ``__init__`` and checks them where it works (``fit``), as
scikit-learn's ``BaseEstimator`` does. ``get_params``/``set_params`` are read from the
signature, so the pipeline can hand a YAML section to a stage and let the stage say what is
wrong with it.

Example
-------
>>> from discourse.base import Estimator, check_int
>>> class Segmenter(Estimator):
...     def __init__(self, *, segment_size: int = 40) -> None:
...         self.segment_size = segment_size
...     def fit(self, tokens):
...         check_int("segment_size", self.segment_size, minimum=1)
...         return self
>>> Segmenter(segment_size=25)
Segmenter(segment_size=25)
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = [
    "Estimator", "NotFittedError", "check_int", "check_float", "check_choice", "check_bool",
    "check_random_state",
]


class NotFittedError(AttributeError):
    """A learned attribute is read before ``fit``."""


class Estimator:
    """Base class of the library's stages: signature-based parameters (scikit-learn style)."""

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [
            name for name, p in sig.parameters.items()
            if name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor parameters, as given."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> Estimator:
        """Change constructor parameters (checked again at the next ``fit``)."""
        valid = self._param_names()
        for key, value in params.items():
            if key not in valid:
                raise ValueError(f"{type(self).__name__} has no parameter {key!r}; parameters are {sorted(valid)}")
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        sig = inspect.signature(type(self).__init__)
        shown = []
        for name, value in self.get_params().items():
            default = sig.parameters[name].default
            try:
                same = default is not inspect.Parameter.empty and bool(default == value)
            except Exception:  # arrays and frames compare element-wise
                same = False
            if not same:
                shown.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(shown)})"

    def _check_fitted(self, attribute: str) -> None:
        if not hasattr(self, attribute):
            raise NotFittedError(f"this {type(self).__name__} is not fitted yet: call fit first")


def _is_int(value: Any) -> bool:
    return isinstance(value, (numbers.Integral, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_int(name: str, value: Any, *, minimum: int | None = None, maximum: int | None = None,
              allow_none: bool = False) -> int | None:
    """``value`` as an int within bounds, or a ``ValueError`` naming the parameter."""
    if value is None and allow_none:
        return None
    if not _is_int(value):
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name}={value} must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name}={value} must be at most {maximum}")
    return int(value)


def check_float(name: str, value: Any, *, minimum: float | None = None, maximum: float | None = None,
                exclusive_minimum: bool = False, allow_none: bool = False) -> float | None:
    """``value`` as a finite float within bounds, or a ``ValueError`` naming the parameter."""
    if value is None and allow_none:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise ValueError(f"{name} must be a number, not {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, not {value}")
    if minimum is not None and (value < minimum or (exclusive_minimum and value == minimum)):
        raise ValueError(f"{name}={value} must be {'greater than' if exclusive_minimum else 'at least'} {minimum}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name}={value} must be at most {maximum}")
    return value


def check_choice(name: str, value: Any, choices: Iterable[Any]) -> Any:
    """``value`` if it is one of ``choices``, else a ``ValueError`` listing them."""
    choices = list(choices)
    if value not in choices:
        raise ValueError(f"{name}={value!r} is not one of {choices}")
    return value


def check_bool(name: str, value: Any) -> bool:
    """``value`` as a bool (numpy booleans accepted), else a ``ValueError``."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, not {value!r}")
    return bool(value)


def check_random_state(random_state: Any) -> np.random.Generator:
    """A numpy Generator from ``None``, an int seed or a Generator (``None`` means unseeded)."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None:
        return np.random.default_rng()
    if _is_int(random_state) and random_state >= 0:
        return np.random.default_rng(int(random_state))
    raise ValueError(f"random_state must be None, a non-negative int or a numpy Generator, not {random_state!r}")
