"""Latent semantic scaling (LSS): a dimension defined by seed words, extended to every word by SVD.

Watanabe (2021), as in the R package LSX (``textmodel_lss`` on a document-feature matrix):

1. a truncated SVD of the document-term matrix (best on sentences or short passages), X ≈ U Σ Vᵀ
   with ``k`` components; the embedding of a word is its row of V (no scaling by Σ, as in LSX);
2. seed words with a sign (positive +1, negative −1); each side gets weight 1 / (number of its
   seeds found), so both sides weigh the same whatever their lengths;
3. the polarity of a word is Σ_s weight_s · cos(v_w, v_s) over the seeds;
4. the score of a document is the mean polarity of its tokens (Σ_w n_w polarity_w / Σ_w n_w);
   its standard error is the standard deviation of its tokens' polarities over √n; with
   ``rescale`` the scores (and errors) are divided by the standard deviation of the scores
   after centring (LSX's default).

Seeds absent from the vocabulary are reported (warning, ``missing_seeds_``); all absent is an
error. The SVD is ARPACK's (``scipy.sparse.linalg.svds``) with a starting vector drawn from
``random_state``, so a seed gives the same polarities on every run.

Reference: Watanabe, K. (2021). Latent semantic scaling: a semisupervised text analysis technique
for new domains and languages. *Communication Methods and Measures* 15(2), 81–102.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.linalg import svds

from discourse import storage
from discourse.base import Estimator, check_bool, check_choice, check_int, check_random_state
from discourse.dtm import DocumentTermMatrix
from discourse.scaling._common import Saveable, position_table

__all__ = ["LSS"]


def _seed_weights(seeds: Mapping[str, float] | tuple[Iterable[str], Iterable[str]]) -> dict[str, float]:
    if isinstance(seeds, tuple) and len(seeds) == 2 and not isinstance(seeds[0], (int, float)):
        positive, negative = list(seeds[0]), list(seeds[1])
        raw = {**{w: 1.0 for w in positive}, **{w: -1.0 for w in negative}}
        if set(positive) & set(negative):
            raise ValueError(f"seed words on both sides: {sorted(set(positive) & set(negative))}")
    elif isinstance(seeds, Mapping):
        raw = {str(w): float(s) for w, s in seeds.items()}
    else:
        raise TypeError("seeds must be (positive words, negative words) or a dict word -> +1 / −1")
    if any(s == 0 or not np.isfinite(s) for s in raw.values()):
        raise ValueError("seed weights must be finite and non-zero (+1 positive, −1 negative)")
    return raw


@storage.register
class LSS(Saveable, Estimator):
    """Latent semantic scaling from seed words (see the module notes).

    Parameters
    ----------
    k : number of SVD components (LSX's default 300; at most min(documents, terms) − 1).
    weight : "count" (raw counts, LSX's default) or "tfidf" (the matrix's tf-idf, l2-normalised).
    rescale : standardise document scores (divide by their standard deviation after centring).
    random_state : seeds ARPACK's starting vector.

    Attributes
    ----------
    polarity_ : polarity of each word, aligned with ``vocabulary_``
    seeds_ : the seeds used and their weights; ``missing_seeds_`` : seeds not in the vocabulary
    singular_values_ : of the k components

    Example
    -------
    >>> lss = LSS(k=50, random_state=0).fit(dtm, (["égalité", "amour"], ["filiation", "enfant"]))  # doctest: +SKIP
    >>> lss.positions(dtm).head()  # doctest: +SKIP
    """

    def __init__(self, *, k: int = 300, weight: str = "count", rescale: bool = True,
                 random_state: int | np.random.Generator | None = None) -> None:
        self.k = k
        self.weight = weight
        self.rescale = rescale
        self.random_state = random_state

    def fit(self, dtm: DocumentTermMatrix, seeds: Mapping[str, float] | tuple[Iterable[str], Iterable[str]]) -> LSS:
        """Embed the words of ``dtm`` and give each a polarity towards the seeds.

        ``seeds``: ``(positive words, negative words)`` or a dict ``word -> weight`` (sign = side).
        """
        k = check_int("k", self.k, minimum=2)
        check_choice("weight", self.weight, ("count", "tfidf"))
        check_bool("rescale", self.rescale)
        rng = check_random_state(self.random_state)
        raw = _seed_weights(seeds)
        index = dtm.term_index
        missing = [w for w in raw if w not in index]
        found = {w: s for w, s in raw.items() if w in index}
        if not any(s > 0 for s in found.values()) or not any(s < 0 for s in found.values()):
            raise ValueError(f"no positive or no negative seed word is in the vocabulary (missing: {missing}); "
                             "check the lemmas (dtm.vocabulary) or loosen the pruning")
        if missing:
            warnings.warn(f"{len(missing)} seed words are not in the vocabulary and are ignored: {missing}", stacklevel=2)
        n_pos = sum(s > 0 for s in found.values())
        n_neg = len(found) - n_pos
        weights = {w: s / (n_pos if s > 0 else n_neg) for w, s in found.items()}
        limit = min(dtm.shape) - 1
        if k > limit:
            raise ValueError(f"k={k} must be below min(documents, terms) = {limit + 1}; choose k <= {limit}")
        x = dtm.tfidf() if self.weight == "tfidf" else sp.csr_matrix(dtm.matrix, dtype=np.float64)
        _, sigma, vt = svds(x, k=k, v0=rng.standard_normal(min(x.shape)), random_state=int(rng.integers(2**31)))
        order = np.argsort(-sigma)
        embedding = vt[order].T  # terms × k
        norms = np.linalg.norm(embedding, axis=1)
        norms[norms == 0] = 1.0
        unit = embedding / norms[:, None]
        seed_cols = np.array([index[w] for w in weights], dtype=np.int64)
        seed_w = np.array(list(weights.values()))
        self.polarity_ = unit @ (unit[seed_cols].T @ seed_w)
        self.vocabulary_ = list(dtm.vocabulary)
        self.term_counts_ = np.asarray(dtm.matrix.sum(axis=0)).ravel().astype(np.int64)
        self.singular_values_ = sigma[order]
        self.seeds_ = weights
        self.missing_seeds_ = missing
        return self

    def scores(self, dtm: DocumentTermMatrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(score, standard error, tokens with a polarity) of each row of ``dtm``, before rescaling."""
        self._check_fitted("polarity_")
        index = {t: i for i, t in enumerate(self.vocabulary_)}
        cols = np.array([j for j, t in enumerate(dtm.vocabulary) if t in index], dtype=np.int64)
        pol = self.polarity_[[index[dtm.vocabulary[j]] for j in cols]]
        x = sp.csr_matrix(dtm.matrix[:, cols], dtype=np.float64)
        n = np.asarray(x.sum(axis=1)).ravel()
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = (x @ pol) / n
            var = np.maximum((x @ pol**2) / n - mean**2, 0.0)
            se = np.where(n > 1, np.sqrt(var / n), np.nan)
        return mean, se, n

    def positions(self, dtm: DocumentTermMatrix, *, level: float = 0.95) -> pd.DataFrame:
        """One row a document: ``doc_id``, ``score``, ``se``, ``ci_low``, ``ci_high``, ``n_tokens``, metadata.

        Documents with no word of the model get NaN and are named in a warning.
        """
        score, se, n = self.scores(dtm)
        empty = [d for d, m in zip(dtm.doc_ids, n) if m == 0]
        if empty:
            warnings.warn(f"{len(empty)} documents have no word of the model and get no score (first: {empty[:3]})", stacklevel=2)
        if self.rescale:
            ok = np.isfinite(score)
            centre, spread = score[ok].mean(), score[ok].std(ddof=1)
            score, se = (score - centre) / spread, se / spread
        return position_table(dtm.doc_ids, score, se, level, dtm.metadata, score_name="score",
                              extra={"n_tokens": n.astype(np.int64)})

    def word_weights(self) -> pd.DataFrame:
        """One row a word: ``term``, ``polarity``, ``count``, ``seed`` (its seed weight, 0 if none); by polarity."""
        self._check_fitted("polarity_")
        frame = pd.DataFrame({"term": self.vocabulary_, "polarity": self.polarity_, "count": self.term_counts_,
                              "seed": [self.seeds_.get(t, 0.0) for t in self.vocabulary_]})
        return frame.sort_values(["polarity", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)

    # ------------------------------------------------------------------ storage
    def _get_state(self) -> dict[str, Any]:
        self._check_fitted("polarity_")
        return {"info": {"vocabulary": self.vocabulary_, "seeds": self.seeds_, "missing_seeds": self.missing_seeds_},
                "arrays": {"polarity": self.polarity_, "term_counts": self.term_counts_,
                           "singular_values": self.singular_values_}}

    @classmethod
    def _from_state(cls, params: dict[str, Any], info: dict[str, Any], arrays: dict[str, np.ndarray],
                    tables: dict[str, pd.DataFrame]) -> LSS:
        model = cls(**params)
        vocabulary = storage.check_strings("vocabulary", info.get("vocabulary"))
        v = len(vocabulary)
        storage.check_shape("polarity", arrays["polarity"], (v,))
        storage.check_shape("term_counts", arrays["term_counts"], (v,))
        storage.check_shape("singular_values", arrays["singular_values"], (None,))
        model.polarity_, model.term_counts_ = arrays["polarity"], arrays["term_counts"]
        model.singular_values_ = arrays["singular_values"]
        model.vocabulary_ = vocabulary
        model.seeds_ = {str(w): float(s) for w, s in info["seeds"].items()}
        model.missing_seeds_ = list(info["missing_seeds"])
        return model
