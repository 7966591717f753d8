"""The shared shape of the stages (discourse.base): parameter checks without data, n_jobs,
stop_words, one meaning per parameter name and the deprecated spellings."""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pandas as pd
import pytest

from discourse import Corpus, DocumentTermMatrix, Preprocessor
from discourse.base import Estimator, check_stage_params, check_stop_words, effective_n_jobs
from discourse.frames import compare, count_frames, keyness, specificities
from discourse.lang.fr.stop_words import stop_words as default_stop_words
from discourse.tokens import Tokens
from discourse.topics import LDA, NMF, select_k, topic_prevalence


# ----------------------------------------------------------------------------- _check_params, without data
@pytest.mark.parametrize("stage, params, message", [
    (LDA, {"n_topics": 0}, "n_topics=0 must be at least 1"),
    (LDA, {"n_topics": 2.5}, "n_topics must be a whole number, not 2.5"),
    (LDA, {"backend": "tomotopi"}, "backend='tomotopi' is not one of ['tomotopy', 'gensim', 'sklearn']"),
    (LDA, {"n_iter": -4}, "n_iter=-4 must be at least 1"),
    (LDA, {"alpha": -0.1}, "alpha=-0.1 must be greater than 0.0"),
    (LDA, {"alpha": [0.1, 0.0]}, "alpha[1]=0.0 must be greater than 0.0"),
    (LDA, {"eta": "auto"}, "eta must be a number, not 'auto'"),
    (LDA, {"n_jobs": 0}, "n_jobs must be None, a positive whole number or a negative one"),
    (LDA, {"random_state": -1}, "random_state=-1 must be at least 0"),
    (LDA, {"seed_terms": ["paix"]}, "seed_terms must be a mapping"),
    (LDA, {"seed_terms": {"paix": ["paix"]}, "backend": "sklearn"}, "seeded topics need backend='tomotopy' or 'gensim'"),
    (LDA, {"n_topics": 1, "seed_terms": {"a": ["x"], "b": ["y"]}}, "2 seeded topics for n_topics=1"),
    (LDA, {"seed_weight": 0}, "seed_weight=0.0 must be greater than 0.0"),
    (LDA, {"learning_method": "stochastic"}, "learning_method='stochastic' is not one of ['batch', 'online']"),
    (LDA, {"progress": "yes"}, "progress must be True or False, not 'yes'"),
    (LDA, {"optimize_alpha": True, "backend": "gensim"}, "optimize_alpha=True needs backend='tomotopy'"),
    (NMF, {"n_topics": -2}, "n_topics=-2 must be at least 1"),
    (NMF, {"init": "svd"}, "init='svd' is not one of"),
    (NMF, {"n_iter": 0}, "n_iter=0 must be at least 1"),
    (NMF, {"tfidf": 1}, "tfidf must be True or False, not 1"),
    (NMF, {"beta_loss": "poisson"}, "beta_loss='poisson' is not one of"),
    (NMF, {"beta_loss": "kullback-leibler"}, "beta_loss='kullback-leibler' needs solver='mu'"),
    (NMF, {"solver": "newton"}, "solver='newton' is not one of ['cd', 'mu']"),
    (NMF, {"alpha_W": -1.0}, "alpha_W=-1.0 must be at least 0.0"),
    (NMF, {"alpha_H": "other"}, "alpha_H must be a number, not 'other'"),
    (NMF, {"l1_ratio": 2}, "l1_ratio=2.0 must be at most 1.0"),
    (Preprocessor, {"backend": "rapide"}, "backend='rapide' is not one of ['fast', 'accurate']"),
    (Preprocessor, {"stop_words": "aucun"}, "stop_words='aucun': a string must be 'default'"),
    (Preprocessor, {"extra_stop_words": "séance"}, "extra_stop_words must be a list of words"),
    (Preprocessor, {"domain_stop_words": ["sport"]}, "domain_stop_words='sport' is not one of ['newswire', 'parliament']"),
    (Preprocessor, {"fold_state": "non"}, "fold_state must be True or False, not 'non'"),
    (Preprocessor, {"remove_boilerplate": ["publicité"]}, "remove_boilerplate='publicité' is not one of"),
    (Preprocessor, {"min_length": 0}, "min_length=0 must be at least 1"),
    (Preprocessor, {"pos": ["NOUN"]}, "pos= needs POS tags: use backend='accurate'"),
    (Preprocessor, {"n_jobs": 1.5}, "n_jobs must be None, a positive whole number or a negative one"),
    (Preprocessor, {"batch_size": 0}, "batch_size=0 must be at least 1"),
    (Preprocessor, {"max_document_chars": 0}, "max_document_chars must be a positive whole number or None, not 0"),
])
def test_check_params_names_the_parameter_without_data(stage, params, message):
    model = stage(**params)  # construction stores the values untouched (scikit-learn)
    with pytest.raises(ValueError) as caught:
        model._check_params()
    assert message in str(caught.value)


@pytest.mark.parametrize("stage", [LDA, NMF, Preprocessor])
def test_defaults_pass_their_own_check_and_stages_are_estimators(stage):
    assert issubclass(stage, Estimator)
    stage()._check_params()
    # every parameter after the first is keyword-only, as in scikit-learn
    kinds = [p.kind for name, p in inspect.signature(stage.__init__).parameters.items() if name != "self"]
    assert kinds[0] is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert all(k is inspect.Parameter.KEYWORD_ONLY for k in kinds[1:])


def test_positional_arguments_after_the_first_still_work_for_one_release():
    with pytest.warns(DeprecationWarning, match=r"LDA: give backend, alpha by name \(backend=...\); passing them by position is deprecated"):
        old = LDA(10, "gensim", 0.5)  # type: ignore[misc]
    assert old.get_params() == LDA(10, backend="gensim", alpha=0.5).get_params()
    with pytest.warns(DeprecationWarning, match="NMF: give init by name"):
        assert NMF(4, "random").init == "random"  # type: ignore[misc]
    with pytest.raises(TypeError, match="multiple values for .backend."):
        LDA(10, "gensim", backend="sklearn")  # type: ignore[misc]
    with pytest.raises(TypeError, match="takes at most"):
        NMF(*range(12))  # type: ignore[misc]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        LDA(10, backend="gensim")


def test_fit_and_transform_call_the_check_first():
    # the check runs before the input is even looked at
    with pytest.raises(ValueError, match="n_iter=0 must be at least 1"):
        LDA(n_iter=0).fit("not a matrix")
    with pytest.raises(ValueError, match="min_length=0"):
        Preprocessor(min_length=0, progress=False).transform(["La paix."])


@pytest.mark.parametrize("stage, arguments, message", [
    (count_frames, {"ci": "wald"}, "ci='wald' is not one of ['bootstrap', 'poisson']"),
    (count_frames, {"level": 95}, "level=95.0 must be below 1"),
    (count_frames, {"freq": "fortnight"}, "freq='fortnight' is not one of"),
    (count_frames, {"n_boot": 0}, "n_boot=0 must be at least 1"),
    (keyness, {"measure": "tfidf"}, "measure='tfidf' is not one of ['g2', 'chi2', 'log_ratio', 'lrc']"),
    (keyness, {"min_count": -1}, "min_count=-1 must be at least 0"),
    (specificities, {"attribute": "pos"}, "attribute='pos' is not one of ['lemma', 'form']"),
    (LDA, {"n_iter": -4}, "n_iter=-4 must be at least 1"),
    (DocumentTermMatrix.from_tokens, {"max_df": 1.5}, "max_df=1.5: a float max_df is a proportion of documents in [0, 1]"),
    (DocumentTermMatrix.from_tokens, {"min_df": True}, "min_df must be an int (documents) or a float"),
    (DocumentTermMatrix.from_tokens, {"stop_words": "aucun"}, "stop_words='aucun'"),
    (Tokens.filter, {"min_length": 0}, "min_length=0 must be at least 1"),
    (Tokens.filter, {"pos": "NOUN"}, "pos must be a list of POS tags, not 'NOUN'"),
    (Tokens.filter, {"punctuation": "oui"}, "punctuation must be True or False, not 'oui'"),
])
def test_check_stage_params_for_functions_and_classes(stage, arguments, message):
    with pytest.raises(ValueError) as caught:
        check_stage_params(stage, arguments)
    assert message in str(caught.value)
    # the stage's defaults pass; a function's own check is the one it runs itself
    check_stage_params(stage, {})
    check_stage_params(count_frames, {"ci": "poisson", "n_boot": 0})


def test_the_function_runs_the_same_check():
    toks = Tokens.from_lists([["paix", "guerre"], ["paix"]])
    with pytest.raises(ValueError, match="measure='tfidf' is not one of"):
        keyness(toks, [True, False], measure="tfidf")
    with pytest.raises(ValueError, match="level=1.0 must be below 1"):
        count_frames(toks, level=1.0)
    with pytest.raises(ValueError, match="level=0.0 must be greater than 0.0"):
        compare(toks, None, [True, False], [False, True], level=0)


# ----------------------------------------------------------------------------- n_jobs as scikit-learn
def test_effective_n_jobs_follows_scikit_learn(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert [effective_n_jobs(n) for n in (None, 1, 3, -1, -2, -8, -20)] == [1, 1, 3, 8, 7, 1, 1]
    assert effective_n_jobs(None, default=2) == 2
    for bad in (0, 1.5, True, "2"):
        with pytest.raises(ValueError, match="n_jobs must be None, a positive whole number or a negative one"):
            effective_n_jobs(bad)


def test_preprocessor_negative_n_jobs_uses_cores_and_gives_the_same_tokens(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 3)
    texts = ["La sécurité de l’Union européenne.", "Les députés votent la loi.", "Le terrorisme menace la paix."]
    one = Preprocessor(progress=False, n_jobs=1, batch_size=1).transform(texts)
    many = Preprocessor(progress=False, n_jobs=-2, batch_size=1).transform(texts)  # 2 processes
    assert many.to_lists() == one.to_lists()


# ----------------------------------------------------------------------------- stop_words: the same types everywhere
def test_check_stop_words_reads_every_type():
    assert check_stop_words("stop_words", None) is None
    assert check_stop_words("stop_words", False) is None
    assert check_stop_words("stop_words", True) is True
    assert check_stop_words("stop_words", "default") == default_stop_words()
    assert check_stop_words("stop_words", ("Séance", "alinéa")) == frozenset({"séance", "alinéa"})
    for bad, message in (("aucun", "a string must be 'default'"), ([1, 2], "must hold words"), (3, "must be None, True")):
        with pytest.raises(ValueError, match=message):
            check_stop_words("stop_words", bad)


def test_stop_words_mean_the_same_in_preprocessor_filter_and_matrix():
    texts = ["Monsieur le président, la séance est ouverte.", "La séance reprend : la paix et la sécurité."]
    # the Preprocessor: "default" and True are the default list, a list is those words, False/None none
    kept = {str(v): Preprocessor(stop_words=v, progress=False).transform(texts).to_lists()
            for v in ("default", True, None, False)}
    assert kept["default"] == kept["True"] and kept["None"] == kept["False"] != kept["True"]
    assert "le" not in sum(kept["True"], []) and "le" in sum(kept["None"], [])
    toks = Preprocessor(stop_words=None, progress=False).transform(texts)
    listed = Preprocessor(stop_words=["Séance"], progress=False).transform(texts).to_lists()
    # Tokens.filter: a list removes the tokens whose lowercase form or lemma is listed
    assert toks.filter(stop_words=["Séance"]).to_lists() == listed
    assert "séance" not in sum(listed, []) and "paix" in sum(listed, [])
    assert toks.filter(stop_words="default").to_lists() == kept["default"]
    assert toks.filter(stop_words=None).to_lists() == toks.to_lists() == toks.filter(stop_words=False).to_lists()
    # the matrix: a list removes those terms, True the tokens flagged at preprocessing
    flagged = Preprocessor(progress=False, stop_words=["séance"]).transform(texts)
    assert "séance" in flagged.vocab("lemma")  # kept in the tokens, flagged
    by_flag = DocumentTermMatrix.from_tokens(flagged, stop_words=True)
    by_list = DocumentTermMatrix.from_tokens(toks, stop_words=["SÉANCE"])
    assert "séance" not in by_flag.vocabulary and "séance" not in by_list.vocabulary
    assert "paix" in by_flag.vocabulary and "paix" in by_list.vocabulary
    with pytest.raises(ValueError, match="stop_words='aucun'"):
        toks.filter(stop_words="aucun")


# ----------------------------------------------------------------------------- one meaning per name, old spellings warn
@pytest.fixture(scope="module")
def small_dtm() -> DocumentTermMatrix:
    rng = np.random.default_rng(0)
    words = ["paix", "guerre", "loi", "budget", "impôt", "sécurité", "police", "école"]
    docs = [[words[i] for i in rng.integers(0, 4 if d % 2 else 8, size=30)] for d in range(40)]
    meta = pd.DataFrame({"doc_id": [f"d{i}" for i in range(40)], "group": ["A", "B"] * 20})
    return DocumentTermMatrix.from_tokens(Tokens.from_lists(docs, metadata=meta))


def test_topic_prevalence_ci_is_the_method_and_level_the_level(small_dtm):
    model = LDA(n_topics=2, n_iter=20).fit(small_dtm)
    new = topic_prevalence(model, by="group", n_boot=50, ci="bootstrap", level=0.9)
    with pytest.warns(DeprecationWarning, match=r"topic_prevalence\(ci=0.9\) is deprecated.*use level=0.9"):
        old = topic_prevalence(model, by="group", n_boot=50, ci=0.9)
    pd.testing.assert_frame_equal(new, old)
    narrow = topic_prevalence(model, by="group", n_boot=50, level=0.5)
    width, narrow_width = new.ci_high - new.ci_low, narrow.ci_high - narrow.ci_low
    assert (narrow_width <= width).all() and (narrow_width < width).any()
    none = topic_prevalence(model, by="group", ci=None)
    assert none.ci_low.isna().all() and np.allclose(none.prevalence, new.prevalence)
    with pytest.raises(ValueError, match="ci='poisson' is not one of \\['bootstrap'\\]"):
        topic_prevalence(model, ci="poisson")
    with pytest.raises(ValueError, match="level=1.5 must be below 1"):
        topic_prevalence(model, level=1.5)


def test_select_k_takes_a_model_and_the_old_names_warn(small_dtm):
    new = select_k(small_dtm, [2, 3], model=NMF(init="nndsvd"), progress=False).drop(columns="fit_seconds")
    assert "held_out_ll" not in new.columns  # an NMF has no likelihood
    with pytest.warns(DeprecationWarning, match=r"select_k\(model='nmf'\) is deprecated.*model=NMF\(\)"):
        old = select_k(small_dtm, [2, 3], model="nmf", init="nndsvd", progress=False).drop(columns="fit_seconds")
    pd.testing.assert_frame_equal(new, old)
    lda = select_k(small_dtm, [2, 3], model=LDA(n_iter=20), progress=False).drop(columns="fit_seconds")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the default is LDA(), no warning
        default = select_k(small_dtm, [2, 3], n_iter=20, progress=False).drop(columns="fit_seconds")
    pd.testing.assert_frame_equal(lda, default)
    with pytest.raises(ValueError, match="model must be a topic model such as LDA"):
        select_k(small_dtm, [2, 3], model="mallet", progress=False)


def test_metadata_is_a_copy_for_corpus_tokens_and_matrix(small_dtm):
    corpus = Corpus.from_texts(["La paix.", "La guerre."])
    toks = Tokens.from_lists([["paix"], ["guerre"]])
    for obj in (corpus, toks, small_dtm):
        meta = obj.metadata
        meta["ajout"] = 1
        meta.loc[0, "doc_id"] = "changé"
        assert "ajout" not in obj.metadata.columns and obj.metadata.loc[0, "doc_id"] != "changé"
        assert obj.metadata is not obj.metadata


def test_covariate_models_check_their_parameters_and_read_n_jobs_as_scikit_learn():
    from discourse.topics import DMR, DynamicLDA

    for stage in (DMR, DynamicLDA):
        assert issubclass(stage, Estimator)
        stage()._check_params()
        with pytest.raises(ValueError, match="n_jobs must be None, a positive whole number or a negative one"):
            stage(n_jobs=0)._check_params()
        with pytest.raises(ValueError, match="n_topics=1 must be at least 2"):
            stage(n_topics=1)._check_params()
        stage(n_jobs=-1)._check_params()  # all cores, as everywhere


def test_preprocessor_checks_drop_person_names():
    Preprocessor(drop_person_names=["Courson"])._check_params()
    with pytest.raises(ValueError, match="drop_person_names must be True, False or a list of names, not 'Courson'"):
        Preprocessor(drop_person_names="Courson")._check_params()


def test_with_metadata_is_how_a_column_is_added(small_dtm):
    toks = Tokens.from_lists([["paix"], ["guerre"]], doc_ids=["a", "b"])
    meta = toks.metadata
    meta["groupe"] = ["SRC", "UMP"]
    added = toks.with_metadata(meta)
    assert added.metadata["groupe"].tolist() == ["SRC", "UMP"] and "groupe" not in toks.metadata.columns
    with pytest.raises(ValueError, match="metadata row 0 is for document 'b', not 'a': give the rows in document order"):
        toks.with_metadata(meta.iloc[::-1])
    with pytest.raises(ValueError, match="metadata has 1 rows for 2 documents"):
        toks.with_metadata(meta.head(1))
    meta = small_dtm.metadata
    meta["année"] = 2000
    grouped = small_dtm.with_metadata(meta)
    assert grouped.metadata["année"].eq(2000).all() and (grouped.matrix != small_dtm.matrix).nnz == 0
    assert grouped.provenance == small_dtm.provenance
