"""Optional engines: a clear error naming the extra to install when one is missing.

spaCy and gensim are dependencies imported only when used (``backend="accurate"``, the gensim
engine); pyLDAvis comes with the ``[ldavis]`` extra. An environment without one of them (an
install with ``--no-deps``, a trimmed container) gets this error, with the pip command, instead
of a bare ``ImportError``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["MissingDependencyError", "require"]


class MissingDependencyError(ImportError):
    """An optional package is not installed; the message gives the pip command."""


def require(module: str, extra: str, feature: str) -> ModuleType:
    """Import ``module`` or say which extra brings it (``feature`` says what needed it).

    >>> require("json", "none", "reading JSON").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError as err:
        top = module.split(".")[0]
        raise MissingDependencyError(
            f"{feature} needs the optional package {top!r}, which is not installed: "
            f"pip install 'discourse-fr[{extra}]'"
        ) from err
