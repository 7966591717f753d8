"""Wordfish: Slapin & Proksch's (2008) Poisson scaling model of word counts.

The count of word ``k`` in document ``i`` is Poisson with

    log λ_ik = α_i + ψ_k + β_k θ_i

``α_i`` a document's verbosity, ``ψ_k`` a word's frequency, ``β_k`` how strongly the word
discriminates along the dimension and ``θ_i`` the document's position on it. The fit follows
the reference implementation (Slapin & Proksch's R code, as in quanteda.textmodels):

- starting values: θ from the first left singular vector of the matrix of standardised
  (chi-square) residuals ``(y_ik − e_ik) / √e_ik``, divided by the square root of each row's
  share of the tokens and standardised; β = 0; α = log of the row totals minus the log of
  their mean; ψ = log of the column totals divided by the number of documents;
- normal priors of standard deviation ∞ for α and ψ (flat), 3 for β and 1 for θ, i.e.
  log posterior ``Σ_ik (y_ik log λ_ik − λ_ik) − Σ_k β_k² / 18 − Σ_i θ_i² / 2``;
- alternating Newton steps: every word's (ψ_k, β_k) with the documents fixed, then every
  document's (α_i, θ_i) with the words fixed (each a 2 × 2 Newton problem, at most 10 steps
  to 1e-8, the very first step halved), then α is centred and θ standardised (mean 0, sample
  standard deviation 1), which identifies the model;
- ``dispersion="quasipoisson"``: one dispersion φ_k per word (Pearson χ² of the word's
  residuals, scaled as in the reference), which divides the word's contribution;
- standard errors of θ from the 2 × 2 Hessian of (α_i, θ_i) at the estimate, with the word
  parameters taken as known (so they are too narrow, as in the reference; a parametric
  bootstrap would widen them).

Two differences with the reference, both stated: the outer loop stops when the *relative*
change of the log posterior is below ``tol`` (the reference compares the absolute change to
1e-6, which on a large matrix is below floating-point noise and stops only at 100
iterations or when the log posterior happens to fall), and the sign is fixed by ``dir`` at
the end exactly as in the reference (θ of the first document below θ of the second).
The computation is vectorised over words and over documents; the counts stay sparse, only
the expected counts are dense (n_documents × n_terms floats).

References: Slapin, J. B. & Proksch, S.-O. (2008). A scaling model for estimating time-series
party positions from texts. *American Journal of Political Science* 52(3), 705–722.
Lowe, W. & Benoit, K. (2013). Validating estimates of latent traits from textual data using
human judgment as a benchmark. *Political Analysis* 21(3), 298–313 (the uncertainty).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, svds
from tqdm.auto import tqdm

from discourse import storage
from discourse.base import Estimator, check_bool, check_choice, check_float, check_int, check_random_state
from discourse.dtm import DocumentTermMatrix
from discourse.scaling._common import Saveable, position_table

__all__ = ["Wordfish", "WordfishConvergenceError", "ConvergenceWarning", "PRIOR_SD"]

#: prior standard deviations of (alpha, psi, beta, theta), the reference's defaults
PRIOR_SD = (np.inf, np.inf, 3.0, 1.0)
_INNER_ITER = 10
_INNER_TOL = 1e-8


class ConvergenceWarning(UserWarning):
    """An iterative fit stopped at its iteration limit before meeting its tolerance."""


class WordfishConvergenceError(RuntimeError):
    """The Newton steps diverged (non-finite parameters): the message says what to try."""


def _precisions() -> np.ndarray:
    sd = np.asarray(PRIOR_SD, dtype=np.float64)
    return 1.0 / sd**2  # inf sd -> precision 0 (flat prior)


def _log_posterior(y: sp.csr_matrix, alpha: np.ndarray, psi: np.ndarray, beta: np.ndarray, theta: np.ndarray) -> float:
    """Σ (y log λ − λ) minus the prior penalties (no log y! term, as in the reference)."""
    pa, pp, pb, pt = _precisions()
    rows = np.repeat(np.arange(y.shape[0]), np.diff(y.indptr))
    eta_nz = alpha[rows] + psi[y.indices] + beta[y.indices] * theta[rows]
    lam_total = float(np.exp(alpha) @ np.exp(psi[None, :] + np.outer(theta, beta)).sum(axis=1))
    penalty = 0.5 * (pa * alpha @ alpha + pp * psi @ psi + pb * beta @ beta + pt * theta @ theta)
    return float(y.data @ eta_nz) - lam_total - penalty


def _word_derivatives(y_sum: np.ndarray, ytheta: np.ndarray, alpha: np.ndarray, theta: np.ndarray,
                      psi: np.ndarray, beta: np.ndarray, phi: np.ndarray) -> tuple[np.ndarray, ...]:
    """Gradient and Hessian of the log posterior in each word's (ψ_k, β_k), documents fixed.

    ``y_sum`` = Σ_i y_ik and ``ytheta`` = Σ_i θ_i y_ik. Returns (g_psi, g_beta, h_pp, h_pb, h_bb).
    """
    _, pp, pb, _ = _precisions()
    expected = np.exp(alpha[:, None] + np.outer(theta, beta)) * np.exp(psi)[None, :]  # λ_ik
    s0 = expected.sum(axis=0)
    s1 = theta @ expected
    s2 = (theta * theta) @ expected
    return ((y_sum - s0) / phi - pp * psi, (ytheta - s1) / phi - pb * beta,
            -s0 / phi - pp, -s1 / phi, -s2 / phi - pb)


def _doc_derivatives(y_phi: np.ndarray, ybeta_phi: np.ndarray, alpha: np.ndarray, theta: np.ndarray,
                     psi: np.ndarray, beta: np.ndarray, phi: np.ndarray) -> tuple[np.ndarray, ...]:
    """Gradient and Hessian of the log posterior in each document's (α_i, θ_i), words fixed.

    ``y_phi`` = Σ_k y_ik / φ_k and ``ybeta_phi`` = Σ_k β_k y_ik / φ_k. Returns (g_alpha, g_theta,
    h_aa, h_at, h_tt).
    """
    pa, _, _, pt = _precisions()
    base = np.exp(psi[None, :] + np.outer(theta, beta))  # λ_ik / exp(α_i)
    scale = np.exp(alpha)
    s0 = scale * (base @ (1.0 / phi))
    s1 = scale * (base @ (beta / phi))
    s2 = scale * (base @ (beta * beta / phi))
    return (y_phi - s0 - pa * alpha, ybeta_phi - s1 - pt * theta, -s0 - pa, -s1, -s2 - pt)


def _newton(a: np.ndarray, b: np.ndarray, g: tuple[np.ndarray, ...], step: float) -> tuple[np.ndarray, np.ndarray]:
    ga, gb, haa, hab, hbb = g
    det = haa * hbb - hab * hab
    return a - step * (hbb * ga - hab * gb) / det, b - step * (haa * gb - hab * ga) / det


def _newton_block(a: np.ndarray, b: np.ndarray, first: bool, derivatives: Any) -> tuple[np.ndarray, np.ndarray]:
    """Newton steps on pairs (a_j, b_j), all j at once, until they move less than 1e-8 (10 steps at
    most); the very first step of the fit is halved, as in the reference."""
    for inner in range(_INNER_ITER):
        new_a, new_b = _newton(a, b, derivatives(a, b), 0.5 if (first and inner == 0) else 1.0)
        delta = max(np.abs(new_a - a).max(), np.abs(new_b - b).max())
        a, b = new_a, new_b
        if not np.isfinite(delta) or delta <= _INNER_TOL:
            break
    return a, b


def _starting_values(y: sp.csr_matrix, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """The reference's starting values (see the module notes); the SVD is a sparse one (ARPACK)."""
    n, k = y.shape
    rsum = np.asarray(y.sum(axis=1)).ravel().astype(np.float64)
    csum = np.asarray(y.sum(axis=0)).ravel().astype(np.float64)
    total = rsum.sum()
    r_half, c_half = np.sqrt(rsum / total), np.sqrt(csum / total)
    yf = y.astype(np.float64)
    # residual matrix (y - r c / T) / sqrt(r c / T) = D_r^-1/2 y D_c^-1/2 / sqrt(T) - r_half c_half^T
    inv_r, inv_c = 1.0 / np.sqrt(rsum), 1.0 / np.sqrt(csum)

    def matvec(v: np.ndarray) -> np.ndarray:
        v = np.ravel(v)
        return inv_r * (yf @ (inv_c * v)) - r_half * (c_half @ v)

    def rmatvec(u: np.ndarray) -> np.ndarray:
        u = np.ravel(u)
        return inv_c * (yf.T @ (inv_r * u)) - c_half * (r_half @ u)

    if min(n, k) < 5 or n * k <= 50_000:  # ARPACK needs k < min(shape); dense is cheaper when tiny
        dense = inv_r[:, None] * yf.toarray() * inv_c[None, :] - np.outer(r_half, c_half)
        u = np.linalg.svd(dense, full_matrices=False)[0][:, 0]
    else:
        op = LinearOperator((n, k), matvec=matvec, rmatvec=rmatvec, dtype=np.float64)
        u = svds(op, k=1, v0=rng.standard_normal(n), random_state=int(rng.integers(2**31)))[0][:, 0]
    theta = u / np.sqrt(rsum / total)
    theta = (theta - theta.mean()) / theta.std(ddof=1)
    alpha = np.log(rsum) - np.log(rsum.mean())
    psi = np.log(csum / n)
    beta = np.zeros(k)
    return alpha, psi, beta, theta


@storage.register
class Wordfish(Saveable, Estimator):
    """Slapin & Proksch's Wordfish: one position per row of a document-term matrix.

    Parameters
    ----------
    dir : two row positions or two ids ``(left, right)``; the sign is chosen so that
        ``theta_[left] < theta_[right]``. None: the first two rows, as the reference's ``c(1, 2)``.
    dispersion : "poisson" (the model) or "quasipoisson" (one dispersion per word).
    tol : relative change of the log posterior between two outer iterations that stops the fit.
    max_iter : outer iterations at most (the reference stops at 100).
    random_state : seeds the starting vector of the sparse SVD of the starting values (the fit
        is otherwise deterministic).
    progress : show a progress bar over the outer iterations (a minute at 500 rows × 20,000 terms).

    Attributes
    ----------
    theta_, theta_se_ : positions and their standard errors, aligned with ``doc_ids_``
    alpha_ : document fixed effects; ``beta_``, ``psi_``, ``phi_`` : word weights, fixed
        effects and dispersions, aligned with ``vocabulary_``
    excluded_terms_ : terms of the matrix with no count, left out (listed, with a warning)
    n_iter_, converged_, log_posterior_ : how the fit ended

    Example
    -------
    >>> from discourse import DocumentTermMatrix, Tokens
    >>> toks = Tokens.from_lists([["famille", "enfant", "famille", "filiation"], ["égalité", "droit", "famille"],
    ...                           ["égalité", "droit", "égalité", "amour"], ["enfant", "filiation", "père", "mère"]],
    ...                          doc_ids=["Mariton", "Binet", "Taubira", "Le Fur"])
    >>> fit = Wordfish(dir=("Taubira", "Mariton")).fit(DocumentTermMatrix.from_tokens(toks))
    >>> bool(fit.theta_[2] < fit.theta_[0])
    True
    """

    def __init__(self, *, dir: Sequence[int | str] | None = None, dispersion: str = "poisson", tol: float = 1e-6,
                 max_iter: int = 100, random_state: int | np.random.Generator | None = None,
                 progress: bool = False) -> None:
        self.dir = dir
        self.dispersion = dispersion
        self.tol = tol
        self.max_iter = max_iter
        self.random_state = random_state
        self.progress = progress

    # ------------------------------------------------------------------ fit
    def _resolve_dir(self, doc_ids: list[str]) -> tuple[int, int]:
        if self.dir is None:
            return 0, 1
        if isinstance(self.dir, str) or len(self.dir) != 2:
            raise ValueError(f"dir must be two row positions or two document ids (left, right), not {self.dir!r}")
        out = []
        for d in self.dir:
            if isinstance(d, (str, np.str_)):
                if d not in doc_ids:
                    raise ValueError(f"dir: no document with id {d!r} in the matrix")
                out.append(doc_ids.index(d))
            else:
                i = check_int("dir", d, minimum=-len(doc_ids), maximum=len(doc_ids) - 1)
                out.append(i % len(doc_ids))
        if out[0] == out[1]:
            raise ValueError(f"dir={self.dir!r} names the same document twice")
        return out[0], out[1]

    def _check_params(self) -> None:
        """Every parameter checked without data (also what ``discourse check`` runs)."""
        check_choice("dispersion", self.dispersion, ("poisson", "quasipoisson"))
        check_float("tol", self.tol, minimum=0.0, exclusive_minimum=True)
        check_int("max_iter", self.max_iter, minimum=1)
        check_random_state(self.random_state)
        check_bool("progress", self.progress)
        if self.dir is not None and (isinstance(self.dir, str) or not hasattr(self.dir, "__len__") or len(self.dir) != 2):
            raise ValueError(f"dir must be two row positions or two document ids (left, right), not {self.dir!r}")

    def fit(self, dtm: DocumentTermMatrix) -> Wordfish:
        """Estimate the positions of the rows of ``dtm`` (documents, or groups from :meth:`DocumentTermMatrix.group`)."""
        self._check_params()
        tol, max_iter = float(self.tol), int(self.max_iter)
        rng = check_random_state(self.random_state)
        if not isinstance(dtm, DocumentTermMatrix):
            raise TypeError(f"Wordfish.fit takes a DocumentTermMatrix, not a {type(dtm).__name__}")
        y = sp.csr_matrix(dtm.matrix, dtype=np.float64)
        n, _ = y.shape
        if n < 3:
            raise ValueError(f"Wordfish needs at least 3 rows to place on a dimension, got {n}")
        lengths = np.asarray(y.sum(axis=1)).ravel()
        if (lengths == 0).any():
            empty = [dtm.doc_ids[i] for i in np.flatnonzero(lengths == 0)]
            raise ValueError(f"{len(empty)} rows have no words (first: {empty[:3]}): a position cannot be "
                             "estimated without words; drop them with dtm.select_documents")
        counts = np.asarray(y.sum(axis=0)).ravel()
        used = counts > 0
        vocabulary = [t for t, u in zip(dtm.vocabulary, used) if u]
        excluded_terms = [t for t, u in zip(dtm.vocabulary, used) if not u]
        if excluded_terms:
            warnings.warn(f"Wordfish: {len(excluded_terms)} terms with no count in these rows are left out "
                          f"(first: {excluded_terms[:3]}); see excluded_terms_", stacklevel=2)
            y = sp.csr_matrix(y[:, np.flatnonzero(used)])
        if len(vocabulary) < 2:
            raise ValueError("Wordfish needs at least 2 terms with counts")
        left, right = self._resolve_dir(dtm.doc_ids)

        alpha, psi, beta, theta = _starting_values(y, rng)
        k = y.shape[1]
        phi = np.ones(k)
        y_sum = np.asarray(y.sum(axis=0)).ravel()
        yt = y.T.tocsr()
        lp = _log_posterior(y, alpha, psi, beta, theta)
        history = [lp]
        converged = False
        change = np.inf
        n_iter = 0
        # overflow in a diverging Newton step becomes the WordfishConvergenceError below
        bar = tqdm(total=max_iter, desc="Wordfish", unit="iteration", disable=not self.progress)
        with bar, np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for n_iter in range(1, max_iter + 1):
                bar.update(1)
                first = n_iter == 1
                # words: (psi_k, beta_k) given the documents
                ytheta = yt @ theta
                psi, beta = _newton_block(psi, beta, first, lambda p, b: _word_derivatives(y_sum, ytheta, alpha, theta, p, b, phi))
                # documents: (alpha_i, theta_i) given the words
                y_phi, ybeta_phi = y @ (1.0 / phi), y @ (beta / phi)
                alpha, theta = _newton_block(alpha, theta, first, lambda a, t: _doc_derivatives(y_phi, ybeta_phi, a, t, psi, beta, phi))
                if self.dispersion == "quasipoisson":
                    phi = self._dispersion(y, alpha, psi, beta, theta)
                alpha = alpha - alpha.mean()
                theta = (theta - theta.mean()) / theta.std(ddof=1)
                if not (np.isfinite(theta).all() and np.isfinite(beta).all() and np.isfinite(psi).all()):
                    raise WordfishConvergenceError(
                        f"Wordfish diverged at iteration {n_iter} (non-finite parameters) on {n} rows × {k} terms. "
                        "Try: pruning rare terms (DocumentTermMatrix.from_tokens(min_df=5) or max_features), "
                        "grouping short documents (dtm.group('speaker')), or dispersion='quasipoisson'")
                last, lp = lp, _log_posterior(y, alpha, psi, beta, theta)
                history.append(lp)
                change = abs(lp - last) / max(abs(last), 1.0)
                if change <= tol:
                    converged = True
                    break
        if not converged:
            warnings.warn(
                f"Wordfish did not converge in max_iter={max_iter} iterations: the log posterior still changed "
                f"by {change:.2e} (relative; tol={tol:g}). Try a larger max_iter, pruning rare terms "
                "(min_df) or grouping short documents (dtm.group).", ConvergenceWarning, stacklevel=2)
        if theta[left] > theta[right]:
            theta, beta = -theta, -beta

        _, _, haa, hat, htt = _doc_derivatives(y @ (1.0 / phi), y @ (beta / phi), alpha, theta, psi, beta, phi)
        det = haa * htt - hat * hat
        se = np.sqrt(-haa / det)

        self.theta_, self.theta_se_, self.alpha_ = theta, se, alpha
        self.beta_, self.psi_, self.phi_ = beta, psi, phi
        self.doc_ids_ = list(dtm.doc_ids)
        self.vocabulary_ = vocabulary
        self.term_counts_ = counts[used].astype(np.int64)
        self.excluded_terms_ = excluded_terms
        self.metadata_ = dtm.metadata.reset_index(drop=True)
        self.dir_ = (left, right)
        self.n_iter_, self.converged_ = n_iter, converged
        self.log_posterior_ = np.asarray(history)
        return self

    @staticmethod
    def _dispersion(y: sp.csr_matrix, alpha: np.ndarray, psi: np.ndarray, beta: np.ndarray, theta: np.ndarray) -> np.ndarray:
        """Per-word Pearson dispersion, scaled as in the reference: K Σ_i (y − μ)² / μ / (NK − 2N − 2K)."""
        n, k = y.shape
        dof = n * k - 2 * n - 2 * k
        if dof <= 0:
            raise ValueError(f"quasipoisson needs n_rows × n_terms > 2 (n_rows + n_terms); got {n} × {k}")
        mu = np.exp(alpha[:, None] + psi[None, :] + np.outer(theta, beta))
        # Σ (y − μ)²/μ = Σ y²/μ − 2 Σ y + Σ μ, with the first two over the non-zero counts only
        rows = np.repeat(np.arange(n), np.diff(y.indptr))
        mu_nz = mu[rows, y.indices]
        y2_over_mu = np.bincount(y.indices, weights=y.data**2 / mu_nz, minlength=k)
        pearson = y2_over_mu - 2 * np.asarray(y.sum(axis=0)).ravel() + mu.sum(axis=0)
        return np.maximum(k * pearson / dof, 1e-8)

    # ------------------------------------------------------------------ outputs
    def positions(self, level: float = 0.95) -> pd.DataFrame:
        """One row a document: ``doc_id``, ``theta``, ``se``, ``ci_low``, ``ci_high`` (normal interval), then its metadata.

        Example
        -------
        >>> fit.positions().columns[:5].tolist()  # doctest: +SKIP
        ['doc_id', 'theta', 'se', 'ci_low', 'ci_high']
        """
        self._check_fitted("theta_")
        return position_table(self.doc_ids_, self.theta_, self.theta_se_, level, self.metadata_)

    def word_weights(self) -> pd.DataFrame:
        """One row a term: ``term``, ``beta`` (weight on the dimension), ``psi`` (fixed effect), ``count``; by β.

        Example
        -------
        >>> fit.word_weights().head(3)  # doctest: +SKIP
        """
        self._check_fitted("beta_")
        frame = pd.DataFrame({"term": self.vocabulary_, "beta": self.beta_, "psi": self.psi_, "count": self.term_counts_})
        if self.dispersion == "quasipoisson":
            frame["phi"] = self.phi_
        return frame.sort_values(["beta", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)

    # ------------------------------------------------------------------ storage
    def _get_state(self) -> dict[str, Any]:
        self._check_fitted("theta_")
        return {
            "info": {"doc_ids": self.doc_ids_, "vocabulary": self.vocabulary_, "excluded_terms": self.excluded_terms_,
                     "dir": list(self.dir_), "n_iter": self.n_iter_, "converged": self.converged_},
            "arrays": {"theta": self.theta_, "theta_se": self.theta_se_, "alpha": self.alpha_, "beta": self.beta_,
                       "psi": self.psi_, "phi": self.phi_, "term_counts": self.term_counts_,
                       "log_posterior": self.log_posterior_},
            "tables": {"metadata": self.metadata_},
        }

    @classmethod
    def _from_state(cls, params: dict[str, Any], info: dict[str, Any], arrays: dict[str, np.ndarray],
                    tables: dict[str, pd.DataFrame]) -> Wordfish:
        if isinstance(params.get("dir"), list):
            params = dict(params, dir=tuple(params["dir"]))
        model = cls(**params)
        doc_ids, vocabulary = storage.check_strings("doc_ids", info.get("doc_ids")), storage.check_strings("vocabulary", info.get("vocabulary"))
        n, k = len(doc_ids), len(vocabulary)
        for name in ("theta", "theta_se", "alpha"):
            storage.check_shape(name, arrays[name], (n,))
        for name in ("beta", "psi", "phi", "term_counts"):
            storage.check_shape(name, arrays[name], (k,))
        storage.check_shape("log_posterior", arrays["log_posterior"], (None,))
        if len(tables["metadata"]) != n:
            raise ValueError(f"metadata has {len(tables['metadata'])} rows for {n} documents")
        model.theta_, model.theta_se_, model.alpha_ = arrays["theta"], arrays["theta_se"], arrays["alpha"]
        model.beta_, model.psi_, model.phi_ = arrays["beta"], arrays["psi"], arrays["phi"]
        model.term_counts_, model.log_posterior_ = arrays["term_counts"], arrays["log_posterior"]
        model.doc_ids_, model.vocabulary_ = doc_ids, vocabulary
        model.excluded_terms_ = storage.check_strings("excluded_terms", info.get("excluded_terms"))
        model.dir_ = tuple(int(i) for i in info["dir"])
        model.n_iter_, model.converged_ = int(info["n_iter"]), bool(info["converged"])
        model.metadata_ = tables["metadata"]
        return model
