"""Wordscores: positions of "virgin" texts from reference texts with known positions.

Laver, Benoit & Garry (2003). With reference texts r of known scores A_r and F_wr the relative
frequency of word w in text r:

- P_wr = F_wr / Σ_r F_wr, the probability that we are reading text r given that we read w;
- the score of a word, S_w = Σ_r P_wr A_r (only words present in some reference text are scored);
- the raw score of a text v, S_v = Σ_w F_wv S_w, with F_wv its relative frequencies among its
  scored words; its variance V_v = Σ_w F_wv (S_w − S_v)² and standard error √(V_v / N_v),
  N_v the number of its scored tokens;
- rescaling, because raw scores shrink towards the mean of the word scores:
  * "lbg" (Laver, Benoit & Garry): S*_v = (S_v − mean_v S)(SD_r / SD_v) + mean_v S, with SD_r
    the standard deviation of the reference scores and SD_v that of the virgin raw scores
    (sample standard deviations; the standard errors are multiplied by SD_r / SD_v);
  * "mv" (Martin & Vanberg 2008): S*_v = (S_v − S_low)(A_high − A_low) / (S_high − S_low) + A_low,
    where low and high are the reference texts with the lowest and highest known score and
    S_low, S_high their own raw scores (so the two references get back their known scores).

Differences with quanteda.textmodels, stated: "lbg" uses the virgin texts only, as in the
paper (quanteda uses every text it is asked to predict, references included; pass the
references as a new matrix to :meth:`Wordscores.positions` to get its numbers), and the
standard errors after "lbg" are multiplied by SD_r / SD_v (quanteda applies the affine map of
the scores to them).

References: Laver, M., Benoit, K. & Garry, J. (2003). Extracting policy positions from political
texts using words as data. *American Political Science Review* 97(2), 311–331. Martin, L. W. &
Vanberg, G. (2008). A robust transformation procedure for interpreting political text.
*Political Analysis* 16(1), 93–100.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from discourse import storage
from discourse.base import Estimator, check_choice, check_float
from discourse.dtm import DocumentTermMatrix
from discourse.scaling._common import Saveable, position_table

__all__ = ["Wordscores"]


def _reference_scores(dtm: DocumentTermMatrix, scores: Any) -> np.ndarray:
    """Scores aligned with the rows of ``dtm``, NaN for virgin texts."""
    n = dtm.shape[0]
    if isinstance(scores, str):
        if scores not in dtm.metadata.columns:
            raise KeyError(f"no metadata column {scores!r} holding reference scores")
        values = pd.to_numeric(dtm.metadata[scores], errors="raise").to_numpy(dtype=np.float64)
    elif isinstance(scores, (Mapping, pd.Series)):
        mapping = dict(scores.items())
        unknown = [d for d in mapping if d not in set(dtm.doc_ids)]
        if unknown:
            raise KeyError(f"reference score for unknown document(s) {unknown[:3]}")
        values = np.array([mapping.get(d, np.nan) for d in dtm.doc_ids], dtype=np.float64)
    else:
        values = np.asarray(scores, dtype=np.float64)
        if values.shape != (n,):
            raise ValueError(f"{values.shape[0] if values.ndim else 0} scores for {n} rows: give one a row (NaN for virgin texts), a dict doc_id -> score or a metadata column")
    if np.isinf(values).any():
        raise ValueError("reference scores must be finite (NaN marks a virgin text)")
    if np.isfinite(values).sum() < 2:
        raise ValueError("Wordscores needs at least two reference texts with scores")
    if np.nanmin(values) == np.nanmax(values):
        raise ValueError("the reference scores are all equal: there is no dimension to place texts on")
    return values


@storage.register
class Wordscores(Saveable, Estimator):
    """Laver, Benoit & Garry's Wordscores (see the module notes for the equations).

    Parameters
    ----------
    smooth : added to every count of the reference texts before scoring words (0: none, as in
        the paper; 1: Laplace smoothing, every word of the matrix gets a score).

    Attributes
    ----------
    word_scores_ : scores of the scored words, aligned with ``vocabulary_``
    reference_ids_, reference_scores_ : the reference texts and their known scores
    reference_raw_ : raw scores of the reference texts themselves (used by "mv")

    Example
    -------
    >>> from discourse import DocumentTermMatrix, Tokens
    >>> toks = Tokens.from_lists([["famille", "famille", "enfant"], ["égalité", "égalité", "amour"],
    ...                           ["famille", "égalité", "enfant"]], doc_ids=["UMP", "SRC", "UDI"])
    >>> ws = Wordscores().fit(DocumentTermMatrix.from_tokens(toks), {"UMP": 1.0, "SRC": -1.0})
    >>> ws.positions()[["doc_id", "raw"]].round(2).values.tolist()
    [['UDI', 0.33]]
    """

    def __init__(self, *, smooth: float = 0.0) -> None:
        self.smooth = smooth

    def fit(self, dtm: DocumentTermMatrix, scores: Mapping[str, float] | Sequence[float] | str) -> Wordscores:
        """Score the words from the reference texts of ``dtm``.

        ``scores``: a dict ``doc_id -> score``, one value a row (NaN for virgin texts) or the
        name of a metadata column (NaN for virgin texts). The other rows are kept as the
        virgin texts that :meth:`positions` scores by default.
        """
        smooth = check_float("smooth", self.smooth, minimum=0.0)
        values = _reference_scores(dtm, scores)
        is_ref = np.isfinite(values)
        counts = sp.csr_matrix(dtm.matrix[np.flatnonzero(is_ref)], dtype=np.float64).toarray() + smooth
        totals = counts.sum(axis=1)
        if (totals == 0).any():
            raise ValueError(f"reference text {dtm.doc_ids[np.flatnonzero(is_ref)[np.argmin(totals)]]!r} has no words")
        freq = counts / totals[:, None]  # F_wr
        mass = freq.sum(axis=0)
        scored = mass > 0
        prob = freq[:, scored] / mass[scored]  # P_wr
        self.word_scores_ = prob.T @ values[is_ref]
        self.vocabulary_ = [t for t, s in zip(dtm.vocabulary, scored) if s]
        self.reference_counts_ = counts[:, scored].sum(axis=0)
        self.reference_ids_ = [d for d, r in zip(dtm.doc_ids, is_ref) if r]
        self.reference_scores_ = values[is_ref]
        self.training_ = dtm
        self.reference_raw_, _, _ = self._raw(dtm.select_documents(np.flatnonzero(is_ref)))
        return self

    # ------------------------------------------------------------------ scoring
    def _raw(self, dtm: DocumentTermMatrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(raw score, standard error, scored tokens) of each row of ``dtm``."""
        index = {t: i for i, t in enumerate(self.vocabulary_)}
        columns = np.array([j for j, t in enumerate(dtm.vocabulary) if t in index], dtype=np.int64)
        word_scores = self.word_scores_[[index[dtm.vocabulary[j]] for j in columns]]
        x = sp.csr_matrix(dtm.matrix[:, columns], dtype=np.float64)
        n_scored = np.asarray(x.sum(axis=1)).ravel()
        with np.errstate(invalid="ignore", divide="ignore"):
            raw = (x @ word_scores) / n_scored
            second = (x @ word_scores**2) / n_scored
            variance = np.maximum(second - raw**2, 0.0)  # Σ F (S_w − S_v)² = E[S²] − S_v²
            se = np.sqrt(variance / n_scored)
        return raw, se, n_scored

    def positions(self, dtm: DocumentTermMatrix | None = None, *, rescaling: str = "none",
                  level: float = 0.95) -> pd.DataFrame:
        """Scores of the virgin texts (or of every row of ``dtm``): tidy table.

        Columns: ``doc_id``, ``score`` (rescaled as asked), ``se``, ``ci_low``, ``ci_high``,
        ``raw``, ``raw_se``, ``scored_tokens`` (tokens of the text that have a word score), then
        the metadata. A text with no scored word gets NaN and is named in a warning.
        ``rescaling``: "none", "lbg" (needs two virgin texts or more) or "mv".
        """
        self._check_fitted("word_scores_")
        check_choice("rescaling", rescaling, ("none", "lbg", "mv"))
        if dtm is None:
            virgin = [i for i, d in enumerate(self.training_.doc_ids) if d not in set(self.reference_ids_)]
            if not virgin:
                raise ValueError("every row of the training matrix is a reference text: pass the texts to score")
            dtm = self.training_.select_documents(virgin)
        raw, raw_se, n_scored = self._raw(dtm)
        unscored = [d for d, n in zip(dtm.doc_ids, n_scored) if n == 0]
        if unscored:
            warnings.warn(f"{len(unscored)} texts have no scored word and get no score (first: {unscored[:3]})", stacklevel=2)
        score, se = raw.copy(), raw_se.copy()
        if rescaling == "lbg":
            ok = np.isfinite(raw)
            if ok.sum() < 2:
                raise ValueError("LBG rescaling needs at least two scored virgin texts (it uses their spread); use rescaling='mv'")
            mean_v, sd_v = raw[ok].mean(), raw[ok].std(ddof=1)
            ratio = self.reference_scores_.std(ddof=1) / sd_v if sd_v > 0 else 0.0
            score, se = (raw - mean_v) * ratio + mean_v, raw_se * ratio
        elif rescaling == "mv":
            if len(self.reference_scores_) > 2:
                warnings.warn(f"MV rescaling uses the two reference texts with the lowest and highest scores only "
                              f"({len(self.reference_scores_)} references given)", stacklevel=2)
            low, high = int(np.argmin(self.reference_scores_)), int(np.argmax(self.reference_scores_))
            slope = (self.reference_scores_[high] - self.reference_scores_[low]) / (self.reference_raw_[high] - self.reference_raw_[low])
            score, se = (raw - self.reference_raw_[low]) * slope + self.reference_scores_[low], raw_se * abs(slope)
        return position_table(dtm.doc_ids, score, se, level, dtm.metadata, score_name="score",
                              extra={"raw": raw, "raw_se": raw_se, "scored_tokens": n_scored.astype(np.int64)})

    def word_weights(self) -> pd.DataFrame:
        """One row a scored word: ``term``, ``score``, ``count`` (in the reference texts), highest score first."""
        self._check_fitted("word_scores_")
        frame = pd.DataFrame({"term": self.vocabulary_, "score": self.word_scores_, "count": self.reference_counts_})
        return frame.sort_values(["score", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)

    # ------------------------------------------------------------------ storage
    def _get_state(self) -> dict[str, Any]:
        self._check_fitted("word_scores_")
        t = self.training_
        return {"info": {"vocabulary": self.vocabulary_, "reference_ids": self.reference_ids_,
                         "training_vocabulary": t.vocabulary, "training_doc_ids": t.doc_ids},
                "arrays": {"word_scores": self.word_scores_, "reference_counts": self.reference_counts_,
                           "reference_scores": self.reference_scores_, "reference_raw": self.reference_raw_,
                           "data": t.matrix.data, "indices": t.matrix.indices, "indptr": t.matrix.indptr},
                "tables": {"metadata": t.metadata}}

    @classmethod
    def _from_state(cls, params: dict[str, Any], info: dict[str, Any], arrays: dict[str, np.ndarray],
                    tables: dict[str, pd.DataFrame]) -> Wordscores:
        model = cls(**params)
        vocabulary = storage.check_strings("vocabulary", info.get("vocabulary"))
        reference_ids = storage.check_strings("reference_ids", info.get("reference_ids"))
        k, r = len(vocabulary), len(reference_ids)
        storage.check_shape("word_scores", arrays["word_scores"], (k,))
        storage.check_shape("reference_counts", arrays["reference_counts"], (k,))
        storage.check_shape("reference_scores", arrays["reference_scores"], (r,))
        storage.check_shape("reference_raw", arrays["reference_raw"], (r,))
        train_ids = storage.check_strings("training_doc_ids", info.get("training_doc_ids"))
        train_vocab = storage.check_strings("training_vocabulary", info.get("training_vocabulary"))
        n, v = len(train_ids), len(train_vocab)
        storage.check_shape("indptr", arrays["indptr"], (n + 1,))
        matrix = sp.csr_matrix((arrays["data"], arrays["indices"], arrays["indptr"]), shape=(n, v))
        model.training_ = DocumentTermMatrix(matrix, train_vocab, train_ids, tables["metadata"])
        model.word_scores_, model.reference_counts_ = arrays["word_scores"], arrays["reference_counts"]
        model.reference_scores_, model.reference_raw_ = arrays["reference_scores"], arrays["reference_raw"]
        model.vocabulary_, model.reference_ids_ = vocabulary, reference_ids
        return model
