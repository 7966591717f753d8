"""Wordfish: derivatives checked numerically, agreement with a loop transcription of the published
algorithm, recovery of simulated positions, sign fixing, failures, save/load."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from benchmarks.bench_wordfish import reference_fit, simulate
from discourse import storage
from discourse.dtm import DocumentTermMatrix
from discourse.scaling import ConvergenceWarning, Wordfish, WordfishConvergenceError
from discourse.scaling import wordfish as wf


@pytest.fixture(scope="module")
def small() -> tuple[DocumentTermMatrix, np.ndarray]:
    return simulate(12, 40, length=300.0, seed=3)


def test_derivatives_match_finite_differences_of_the_log_posterior(small) -> None:
    dtm, _ = small
    y = sp.csr_matrix(dtm.matrix, dtype=np.float64)
    n, k = y.shape
    rng = np.random.default_rng(1)
    alpha, theta = rng.normal(0, 0.3, n), rng.standard_normal(n)
    psi, beta = rng.normal(-2, 0.5, k), rng.normal(0, 0.5, k)
    phi = np.ones(k)
    eps = 1e-5

    def lp(a=alpha, p=psi, b=beta, t=theta):
        return wf._log_posterior(y, a, p, b, t)

    def word(p=psi, b=beta):
        return wf._word_derivatives(np.asarray(y.sum(0)).ravel(), y.T @ theta, alpha, theta, p, b, phi)

    def doc(a=alpha, t=theta):
        return wf._doc_derivatives(y @ (1 / phi), y @ (beta / phi), a, t, psi, beta, phi)

    # gradients against differences of the log posterior, Hessians against differences of the gradients
    g_psi, g_beta, h_pp, h_pb, h_bb = word()
    g_alpha, g_theta, h_aa, h_at, h_tt = doc()
    for j in (0, 7, k - 1):
        e = np.zeros(k)
        e[j] = eps
        assert g_psi[j] == pytest.approx((lp(p=psi + e) - lp(p=psi - e)) / (2 * eps), rel=1e-5, abs=1e-6)
        assert g_beta[j] == pytest.approx((lp(b=beta + e) - lp(b=beta - e)) / (2 * eps), rel=1e-5, abs=1e-6)
        d_psi = [(u - v) / (2 * eps) for u, v in zip(word(p=psi + e), word(p=psi - e))]
        d_beta = [(u - v) / (2 * eps) for u, v in zip(word(b=beta + e), word(b=beta - e))]
        assert h_pp[j] == pytest.approx(d_psi[0][j], rel=1e-6)
        assert h_pb[j] == pytest.approx(d_psi[1][j], rel=1e-6) == pytest.approx(d_beta[0][j], rel=1e-6)
        assert h_bb[j] == pytest.approx(d_beta[1][j], rel=1e-6)
    for i in (0, 5, n - 1):
        e = np.zeros(n)
        e[i] = eps
        assert g_alpha[i] == pytest.approx((lp(a=alpha + e) - lp(a=alpha - e)) / (2 * eps), rel=1e-5, abs=1e-6)
        assert g_theta[i] == pytest.approx((lp(t=theta + e) - lp(t=theta - e)) / (2 * eps), rel=1e-5, abs=1e-6)
        d_alpha = [(u - v) / (2 * eps) for u, v in zip(doc(a=alpha + e), doc(a=alpha - e))]
        d_theta = [(u - v) / (2 * eps) for u, v in zip(doc(t=theta + e), doc(t=theta - e))]
        assert h_aa[i] == pytest.approx(d_alpha[0][i], rel=1e-6)
        assert h_at[i] == pytest.approx(d_alpha[1][i], rel=1e-6)
        assert h_at[i] == pytest.approx(d_theta[0][i], rel=1e-6)
        assert h_tt[i] == pytest.approx(d_theta[1][i], rel=1e-6)


def test_log_posterior_by_hand() -> None:
    # two documents, two words, all parameters zero except theta = (1, -1), beta = (0.5, 0):
    # log λ = [[0.5, 0], [-0.5, 0]]; y = [[2, 1], [0, 3]]
    y = sp.csr_matrix(np.array([[2.0, 1.0], [0.0, 3.0]]))
    theta, beta = np.array([1.0, -1.0]), np.array([0.5, 0.0])
    expected = (2 * 0.5 - np.exp(0.5)) + (1 * 0 - 1) + (0 - np.exp(-0.5)) + (0 - 1) - (0.25 / 9 / 2) - (2 / 2)
    assert wf._log_posterior(y, np.zeros(2), np.zeros(2), beta, theta) == pytest.approx(expected, rel=1e-12)


def test_agrees_with_a_loop_transcription_of_the_reference(small) -> None:
    dtm, _ = small
    fit = Wordfish(dir=(0, 1), tol=1e-9, max_iter=30).fit(dtm)
    ref = reference_fit(dtm.matrix.toarray().astype(float), fit.n_iter_)
    sign = 1.0 if ref["theta"][0] < ref["theta"][1] else -1.0
    np.testing.assert_allclose(fit.theta_, sign * ref["theta"], atol=1e-6)
    np.testing.assert_allclose(fit.beta_, sign * ref["beta"], atol=1e-6)
    np.testing.assert_allclose(fit.alpha_, ref["alpha"], atol=1e-6)
    np.testing.assert_allclose(fit.psi_, ref["psi"], atol=1e-6)
    # θ is identified as in the reference: mean 0, sample standard deviation 1
    assert fit.theta_.mean() == pytest.approx(0, abs=1e-12) and fit.theta_.std(ddof=1) == pytest.approx(1)
    assert fit.converged_ and fit.log_posterior_[-1] >= fit.log_posterior_[0]


def test_recovers_positions_simulated_from_its_own_model() -> None:
    dtm, truth = simulate(150, 3000, seed=11)
    left, right = int(np.argmin(truth)), int(np.argmax(truth))
    fit = Wordfish(dir=(left, right), random_state=0).fit(dtm)
    assert fit.converged_
    assert np.corrcoef(fit.theta_, truth)[0, 1] >= 0.95
    assert np.isfinite(fit.theta_se_).all() and (fit.theta_se_ > 0).all()
    pos = fit.positions()
    assert list(pos.columns[:5]) == ["doc_id", "theta", "se", "ci_low", "ci_high"]
    assert pos["doc_id"].tolist() == dtm.doc_ids and "party" in pos.columns
    assert ((pos.ci_low < pos.theta) & (pos.theta < pos.ci_high)).all()
    np.testing.assert_allclose(pos.ci_high - pos.theta, 1.959964 * pos.se, rtol=1e-5)
    weights = fit.word_weights()
    assert weights["beta"].is_monotonic_decreasing and len(weights) == dtm.shape[1]
    # rerun: identical
    again = Wordfish(dir=(left, right), random_state=0).fit(dtm)
    np.testing.assert_array_equal(again.theta_, fit.theta_)


def test_dir_fixes_the_sign_by_position_or_id(small) -> None:
    dtm, _ = small
    a = Wordfish(dir=(0, 1), tol=1e-8).fit(dtm)
    b = Wordfish(dir=(1, 0), tol=1e-8).fit(dtm)
    c = Wordfish(dir=(dtm.doc_ids[1], dtm.doc_ids[0]), tol=1e-8).fit(dtm)
    assert a.theta_[0] < a.theta_[1] and b.theta_[1] < b.theta_[0]
    np.testing.assert_allclose(b.theta_, -a.theta_)
    np.testing.assert_allclose(b.beta_, -a.beta_)
    np.testing.assert_array_equal(c.theta_, b.theta_)
    np.testing.assert_allclose(b.theta_se_, a.theta_se_)
    with pytest.raises(ValueError, match="no document with id 'Mariton'"):
        Wordfish(dir=("Mariton", 0)).fit(dtm)
    with pytest.raises(ValueError, match="same document twice"):
        Wordfish(dir=(2, 2)).fit(dtm)


def test_non_convergence_warns_with_what_to_try(small) -> None:
    dtm, _ = small
    with pytest.warns(ConvergenceWarning, match=r"max_iter=1 iterations.*larger max_iter"):
        fit = Wordfish(max_iter=1, tol=1e-12).fit(dtm)
    assert not fit.converged_ and fit.n_iter_ == 1 and np.isfinite(fit.theta_).all()


def test_divergence_is_an_error_naming_what_to_try(small, monkeypatch) -> None:
    dtm, _ = small

    def exploding(a, b, g, step):
        return a * np.inf, b

    monkeypatch.setattr(wf, "_newton", exploding)
    with pytest.raises(WordfishConvergenceError, match=r"diverged at iteration 1.*min_df.*group"):
        Wordfish().fit(dtm)


def test_bad_input_is_named() -> None:
    matrix = sp.csr_matrix(np.array([[1, 0, 2], [0, 0, 0], [3, 0, 1], [1, 0, 1]]))
    dtm = DocumentTermMatrix(matrix, ["famille", "zéro", "égalité"], ["a", "vide", "c", "d"])
    with pytest.raises(ValueError, match=r"1 rows have no words.*'vide'"):
        Wordfish().fit(dtm)
    kept = dtm.select_documents([0, 2, 3])
    with pytest.warns(UserWarning, match="1 terms with no count"):
        fit = Wordfish(max_iter=5).fit(kept)
    assert fit.excluded_terms_ == ["zéro"] and fit.vocabulary_ == ["famille", "égalité"]
    with pytest.raises(ValueError, match="dispersion='binomial'"):
        Wordfish(dispersion="binomial").fit(kept)
    with pytest.raises(ValueError, match="tol"):
        Wordfish(tol=0).fit(kept)


def test_parameters_checked_without_data() -> None:
    """``_check_params`` is what ``discourse check`` runs: a bad value stops before any fit."""
    Wordfish(dir=("Taubira", "Mariton"), dispersion="quasipoisson")._check_params()
    with pytest.raises(ValueError, match="dispersion='gaussian'"):
        Wordfish(dispersion="gaussian")._check_params()
    with pytest.raises(ValueError, match="max_iter"):
        Wordfish(max_iter=0)._check_params()
    with pytest.raises(ValueError, match="dir must be two"):
        Wordfish(dir="Taubira")._check_params()
    with pytest.raises(ValueError, match="dir must be two"):
        Wordfish(dir=(0, 1, 2))._check_params()


def test_quasipoisson_estimates_one_dispersion_per_word() -> None:
    dtm, truth = simulate(60, 800, seed=5)
    fit = Wordfish(dispersion="quasipoisson", dir=(int(np.argmin(truth)), int(np.argmax(truth)))).fit(dtm)
    # Poisson data: dispersions near 1 for frequent words
    frequent = fit.term_counts_ > 200
    assert 0.7 < np.median(fit.phi_[frequent]) < 1.3
    assert np.corrcoef(fit.theta_, truth)[0, 1] >= 0.95
    assert "phi" in fit.word_weights().columns


def test_save_and_load(small, tmp_path: Path) -> None:
    dtm, _ = small
    fit = Wordfish(dir=(dtm.doc_ids[0], dtm.doc_ids[3])).fit(dtm)
    back = storage.load(fit.save(tmp_path / "wordfish.zip"), expected=Wordfish)
    assert back.get_params() == fit.get_params()
    pd.testing.assert_frame_equal(back.positions(), fit.positions())
    pd.testing.assert_frame_equal(back.word_weights(), fit.word_weights())
    assert back.n_iter_ == fit.n_iter_ and back.dir_ == fit.dir_
    with pytest.raises(Exception, match="not fitted"):
        Wordfish().positions()


def test_deputies_of_the_first_marriage_sittings(data_home) -> None:
    """Real speech turns (the first two sittings on the bill), grouped by deputy."""
    from discourse import Preprocessor, corpora

    corpus = corpora.load("an-mariage-pour-tous-2013", data_home=data_home)
    turns = corpus.filter(subject="mpt", role="deputy")
    first = sorted(turns.metadata["sitting"].unique())[:2]
    turns = turns.filter(lambda m: m["sitting"].isin(first))
    tokens = Preprocessor(backend="fast", domain_stop_words=["parliament"], progress=False).transform(turns)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # turns left empty by min_df are excluded and listed
        dtm = DocumentTermMatrix.from_tokens(tokens, min_df=3)
    speakers = dtm.group("speaker")
    assert speakers.metadata["n_documents"].sum() == dtm.shape[0]
    # group and vote are a deputy's own, so they are kept
    assert {"group", "vote", "deputy_id"} <= set(speakers.metadata.columns)
    deputies = speakers.select_documents(speakers.lengths >= 100)
    fit = Wordfish(dir=("Erwann Binet", "Hervé Mariton")).fit(deputies)
    pos = fit.positions().set_index("doc_id")
    assert fit.converged_ and np.isfinite(pos["theta"]).all() and (pos["se"] > 0).all()
    assert pos.loc["Erwann Binet", "theta"] < pos.loc["Hervé Mariton", "theta"]
    assert len(pos) == deputies.shape[0] and pos["group"].notna().all()
