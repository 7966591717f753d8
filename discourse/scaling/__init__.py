"""Text scaling: positions of documents or speakers on one dimension.

- :class:`Wordfish` — Slapin & Proksch's Poisson scaling model (unsupervised);
"""

from __future__ import annotations

from discourse.scaling.wordfish import ConvergenceWarning, Wordfish, WordfishConvergenceError

__all__ = ["Wordfish", "WordfishConvergenceError", "ConvergenceWarning"]
