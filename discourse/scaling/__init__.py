"""Text scaling: positions of documents or speakers on one dimension.

- :class:`Wordfish` — Slapin & Proksch's Poisson scaling model (unsupervised);
- :class:`Wordscores` — Laver, Benoit & Garry's scores from reference texts (LBG and MV rescaling);
- :class:`LSS` — Watanabe's latent semantic scaling from seed words.

Each has ``positions()`` (doc_id, score, se, ci_low, ci_high, metadata) and ``word_weights()``.
"""

from __future__ import annotations

from discourse.scaling.lss import LSS
from discourse.scaling.wordfish import ConvergenceWarning, Wordfish, WordfishConvergenceError
from discourse.scaling.wordscores import Wordscores

__all__ = ["Wordfish", "WordfishConvergenceError", "ConvergenceWarning", "Wordscores", "LSS"]
