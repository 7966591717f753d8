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
...     def _check_params(self):
...         check_int("segment_size", self.segment_size, minimum=1)
...     def fit(self, tokens):
...         self._check_params()
...         return self
>>> Segmenter(segment_size=25)
Segmenter(segment_size=25)
>>> Segmenter(segment_size=0)._check_params()
Traceback (most recent call last):
ValueError: segment_size=0 must be at least 1

``_check_params`` checks every parameter without data, so ``discourse check`` can build a stage
from its YAML section and report a bad value before any work; ``fit`` calls it first. Checks
that need the data (``n_topics`` against the number of documents) stay in ``fit``.
"""

from __future__ import annotations

import functools
import inspect
import numbers
import os
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

__all__ = [
    "Estimator", "NotFittedError", "check_int", "check_float", "check_choice", "check_bool",
    "check_random_state", "keyword_only", "check_level", "checked_by", "check_stage_params", "check_n_jobs", "effective_n_jobs", "check_stop_words", "deprecated_alias", "renamed_parameter",
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

    def _check_params(self) -> None:
        """Check every parameter without data; raise ``ValueError`` naming the bad one.

        The default checks nothing. A stage overrides it and ``fit`` (or ``transform``) calls it
        first; ``discourse check`` calls it on the stage built from the YAML section.
        """

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


def check_n_jobs(name: str, value: Any) -> int | None:
    """``n_jobs`` as scikit-learn reads it: None, a positive int, or a negative int (not 0)."""
    if value is None:
        return None
    if not _is_int(value) or value == 0:
        raise ValueError(f"{name} must be None, a positive whole number or a negative one (-1 = all cores), not {value!r}")
    return int(value)


def effective_n_jobs(n_jobs: Any, *, name: str = "n_jobs", default: int = 1) -> int:
    """How many workers ``n_jobs`` means, as in scikit-learn.

    None means ``default`` (1 unless the stage says otherwise), a positive number is itself, -1
    is every core, and another negative number is ``cores + 1 + n_jobs`` (-2: all cores but
    one), at least 1. 0 is an error.

    >>> effective_n_jobs(None), effective_n_jobs(3), effective_n_jobs(-1) == (os.cpu_count() or 1)
    (1, 3, True)
    """
    n = check_n_jobs(name, n_jobs)
    if n is None:
        return default
    if n > 0:
        return n
    return max(1, (os.cpu_count() or 1) + 1 + n)


def check_stop_words(name: str, value: Any) -> bool | frozenset[str] | None:
    """The one reading of a ``stop_words`` parameter, the same in every stage.

    - None or False: no stop words;
    - True: the stop words flagged at preprocessing (the Preprocessor's list; for the
      Preprocessor itself, the default list);
    - ``"default"``: the library's default French list
      (:func:`discourse.lang.fr.stop_words.stop_words`);
    - a list, tuple or set of words: those words (compared in lowercase, as the Preprocessor
      flags them).

    Returns None, True, or the set of (lowercase) words.

    >>> check_stop_words("stop_words", ["Séance", "alinéa"]) == frozenset({"séance", "alinéa"})
    True
    >>> check_stop_words("stop_words", False) is None
    True
    """
    if value is None or value is False or isinstance(value, np.bool_) and not value:
        return None
    if value is True or isinstance(value, np.bool_):
        return True
    if isinstance(value, str):
        if value != "default":
            raise ValueError(f"{name}={value!r}: a string must be 'default'; give other words as a list "
                             "(stop_words may be None, True, 'default' or a list of words)")
        from discourse.lang.fr.stop_words import stop_words

        return stop_words("default")
    if isinstance(value, (list, tuple, set, frozenset)) or (isinstance(value, Iterable) and not isinstance(value, (dict, bytes))):
        words = list(value)
        bad = [w for w in words if not isinstance(w, str)]
        if bad:
            raise ValueError(f"{name} must hold words (strings), not {bad[0]!r}")
        return frozenset(w.lower() for w in words)
    raise ValueError(f"{name} must be None, True, 'default' or a list of words, not {value!r}")


def deprecated_alias(old: str, new: str, *, stacklevel: int = 3) -> None:
    """Warn that parameter ``old`` is now ``new`` (kept for one release)."""
    warnings.warn(f"{old} is deprecated and will be removed in the next release: use {new}",
                  DeprecationWarning, stacklevel=stacklevel)


def renamed_parameter(owner: str, old: str, new: str, old_value: Any, new_value: Any, default: Any = None, *,
                      stacklevel: int = 4) -> Any:
    """The value of parameter ``new``, taken from its deprecated former name ``old`` when that was given.

    A stage keeps the old name in its signature for one release (default ``None``): given, it
    warns (``DeprecationWarning``) and its value is used; given with the new name too, it is an
    error.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     renamed_parameter("Preprocessor", "model", "spacy_model", "fr_core_news_md", None)
    'fr_core_news_md'
    >>> str(caught[0].message)
    'Preprocessor(model=) is deprecated and will be removed in the next release: use spacy_model='
    """
    if old_value is None:
        return new_value
    if new_value is not default and new_value != default:
        raise TypeError(f"{owner}: give {new}= only ({old}= is its deprecated former name)")
    deprecated_alias(f"{owner}({old}=)", f"{new}=", stacklevel=stacklevel)
    return old_value


def check_level(name: str, value: Any) -> float:
    """A confidence level strictly between 0 and 1 (0.95), or a ``ValueError`` naming the parameter."""
    value = check_float(name, value, minimum=0.0, exclusive_minimum=True)
    if value >= 1.0:
        raise ValueError(f"{name}={value} must be below 1 (a confidence level such as 0.95)")
    return value


def checked_by(checker: Callable[..., None]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a function stage its parameter check, the function form of ``Estimator._check_params``.

    ``checker`` takes keyword arguments named as the stage's parameters (those it checks) and
    raises ``ValueError`` naming the bad one. The stage calls it first; ``discourse check`` calls
    it through :func:`check_stage_params` with the stage's own defaults filled in.
    """
    def attach(function: Callable[..., Any]) -> Callable[..., Any]:
        function._check_params = checker  # type: ignore[attr-defined]
        return function
    return attach


def check_stage_params(stage: Any, arguments: Mapping[str, Any]) -> None:
    """Check a stage's parameters without data: an :class:`Estimator` class is built from
    ``arguments`` and its ``_check_params`` called; a function stage's checker (see
    :func:`checked_by`) is called with the function's defaults completed by ``arguments``.
    Other stages are not checked here (they check their values when they run).
    """
    if isinstance(stage, type) and issubclass(stage, Estimator):
        stage(**arguments)._check_params()
        return
    checker = getattr(stage, "_check_params", None)
    if checker is None:
        return
    values = {name: p.default for name, p in inspect.signature(stage).parameters.items()
              if p.default is not inspect.Parameter.empty}
    values.update(arguments)
    wanted = inspect.signature(checker).parameters
    checker(**{name: values[name] for name in wanted if name in values})


def keyword_only(init: Callable[..., None]) -> Callable[..., None]:
    """Let an ``__init__`` whose parameters became keyword-only still take them by position for
    one release, with a ``DeprecationWarning`` (as scikit-learn did in 0.23–0.25).

    The signature seen by ``get_params``, the pipeline and the docs stays the keyword-only one.
    """
    sig = inspect.signature(init)
    n_positional = sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in sig.parameters.values()) - 1
    names = [n for n, p in sig.parameters.items() if p.kind is p.KEYWORD_ONLY]

    @functools.wraps(init)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> None:
        extra = len(args) - n_positional
        if extra > 0:
            if extra > len(names):
                raise TypeError(f"{type(self).__name__}() takes at most {n_positional + len(names)} arguments, {len(args)} given")
            moved = names[:extra]
            clash = [n for n in moved if n in kwargs]
            if clash:
                raise TypeError(f"{type(self).__name__}() got multiple values for {clash[0]!r}")
            warnings.warn(f"{type(self).__name__}: give {', '.join(moved)} by name ({moved[0]}=...); passing them by "
                          "position is deprecated and will be an error in the next release", DeprecationWarning, stacklevel=2)
            kwargs.update(zip(moved, args[n_positional:]))
            args = args[:n_positional]
        init(self, *args, **kwargs)

    return wrapper
