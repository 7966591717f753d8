"""Topic models on real legal articles: determinism, save/load, coherence = gensim, seeds, tables, errors."""

from __future__ import annotations

import gzip
import json
import re
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from discourse.dtm import DocumentTermMatrix
from discourse.storage import ModelFileError
from discourse.tokens import Tokens
from discourse.topics import (
    LDA,
    NMF,
    coherence,
    exclusivity,
    frex,
    held_out_log_likelihood,
    load_model,
    representative_documents,
    select_k,
    stability,
    to_pyldavis,
    topic_diversity,
    topic_prevalence,
)
from discourse.topics.coordinates import topic_coordinates
from discourse.topics.evaluate import coherence_of_topics, match_topics, split_documents

CODES = ["code-civil", "code-du-travail", "code-de-commerce", "code-penal", "code-des-transports", "code-de-l-education"]
@pytest.fixture(scope="module")
def corpus(data_home: Path) -> pd.DataFrame:
    """40 articles from each of six codes of legi-codes, in file order."""
    per_code: dict[str, list[dict]] = {c: [] for c in CODES}
    with gzip.open(data_home / "legi-codes" / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            bucket = per_code.get(rec["code"])
            if bucket is not None and len(bucket) < 40:
                bucket.append(rec)
            if all(len(b) >= 40 for b in per_code.values()):
                break
    frame = pd.DataFrame([r for c in CODES for r in per_code[c]])
    # a date column for prevalence by period: two made-up dates alternating (tests only)
    frame["date"] = pd.to_datetime(["2015-01-01", "2016-06-01"] * (len(frame) // 2))
    return frame


@pytest.fixture(scope="module")
def tokens(corpus: pd.DataFrame) -> Tokens:
    """The library's own path: Corpus -> French preprocessing (fast backend, default stop words)."""
    from discourse.corpus import Corpus
    from discourse.preprocess import Preprocessor

    docs = Corpus.from_texts(corpus["text"], ids=corpus["doc_id"], metadata=corpus[["code", "date"]])
    return Preprocessor(backend="fast", progress=False).transform(docs)


@pytest.fixture(scope="module")
def lists(tokens: Tokens) -> list[list[str]]:
    return tokens.to_lists("lemma")


@pytest.fixture(scope="module")
def dtm(tokens: Tokens) -> DocumentTermMatrix:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return DocumentTermMatrix.from_tokens(tokens, min_df=3, max_df=0.5)


@pytest.fixture(scope="module")
def lda(dtm: DocumentTermMatrix) -> LDA:
    return LDA(n_topics=6, n_iter=80, random_state=1).fit(dtm)


FAST = {
    "tomotopy": dict(backend="tomotopy", n_iter=40),
    "gensim": dict(backend="gensim", n_iter=1),
    "sklearn": dict(backend="sklearn", n_iter=3),
    "sklearn-online": dict(backend="sklearn", n_iter=2, learning_method="online"),
}


@pytest.mark.parametrize("name", list(FAST))
def test_same_seed_same_topics(dtm: DocumentTermMatrix, name: str) -> None:
    if name.startswith("sklearn"):
        dtm = dtm.select_documents(list(range(0, dtm.shape[0], 3)))  # scikit-learn's E-step is slow: fewer documents
    a = LDA(n_topics=5, random_state=3, **FAST[name]).fit(dtm)
    b = LDA(n_topics=5, random_state=3, **FAST[name]).fit(dtm)
    assert np.array_equal(a.doc_topics_, b.doc_topics_)
    assert np.array_equal(a.topic_terms_, b.topic_terms_)
    pd.testing.assert_frame_equal(a.top_terms(8), b.top_terms(8))
    # a cut matrix keeps terms no remaining document uses: relevance stays a number
    assert np.isfinite(a.top_terms(8, lam=0.6)["relevance"]).all() and np.isfinite(a.top_terms(8)["relevance"]).all()
    assert a.doc_topics_.shape == (dtm.shape[0], 5) and a.topic_terms_.shape == (5, dtm.shape[1])
    assert np.allclose(a.doc_topics_.sum(axis=1), 1.0) and np.allclose(a.topic_terms_.sum(axis=1), 1.0)
    # topic 0 is the most prevalent, and so on
    assert np.all(np.diff(a.topic_prevalence_) <= 1e-12)
    assert a.topic_ids_ == [0, 1, 2, 3, 4] and a.vocabulary_ == dtm.vocabulary and a.doc_ids_ == dtm.doc_ids


_ONE_CORE_FIT = """
import os, sys
import numpy as np
from discourse import DocumentTermMatrix, LDA
os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # both sampling threads share one core
dtm = DocumentTermMatrix.load(sys.argv[1])
np.save(sys.argv[2], LDA(n_topics=5, n_iter=40, random_state=3).fit(dtm).doc_topics_)
"""


def test_threads_reproducible_on_one_core(dtm: DocumentTermMatrix, tmp_path: Path) -> None:
    # the default runs tomotopy on 2 threads (partition scheme): the topics must not depend on
    # thread timing, so a fit whose two threads share one core gives the same bytes
    import subprocess
    import sys

    here = LDA(n_topics=5, n_iter=40, random_state=3).fit(dtm)
    dtm.save(tmp_path / "dtm.npz")
    subprocess.run([sys.executable, "-c", _ONE_CORE_FIT, str(tmp_path / "dtm.npz"), str(tmp_path / "theta.npy")], check=True)
    assert np.array_equal(np.load(tmp_path / "theta.npy"), here.doc_topics_)
    # the number of threads is part of the model: one thread gives other (equally reproducible) topics
    one = LDA(n_topics=5, n_iter=40, random_state=3, n_jobs=1).fit(dtm)
    assert np.array_equal(one.doc_topics_, LDA(n_topics=5, n_iter=40, random_state=3, n_jobs=1).fit(dtm).doc_topics_)
    assert not np.array_equal(one.doc_topics_, here.doc_topics_)


@pytest.mark.parametrize("n_jobs", [0, 1.5, True, "2"])
def test_n_jobs_must_be_a_thread_count(n_jobs: object) -> None:
    # checked without data, as discourse check does
    with pytest.raises(ValueError, match=f"n_jobs must be None, a positive whole number or a negative one .*not {re.escape(repr(n_jobs))}"):
        LDA(n_topics=3, n_iter=2, n_jobs=n_jobs)._check_params()  # type: ignore[arg-type]


def test_negative_n_jobs_counts_cores_as_scikit_learn_and_warns_with_tomotopy(dtm: DocumentTermMatrix, monkeypatch) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 3)
    with pytest.warns(UserWarning, match=r"n_jobs=-1 gives 3 threads on this machine"):
        model = LDA(n_topics=3, n_iter=5, n_jobs=-1).fit(dtm)
    assert model.n_jobs_ == 3
    # the topics are those of the same number of threads given as a positive number
    assert np.array_equal(model.topic_terms_, LDA(n_topics=3, n_iter=5, n_jobs=3).fit(dtm).topic_terms_)
    with pytest.warns(UserWarning, match=r"n_jobs=-2 gives 2 threads"):
        assert LDA(n_topics=3, n_iter=5, n_jobs=-2).fit(dtm).n_jobs_ == 2


def test_alpha_fixed_or_re_estimated(dtm: DocumentTermMatrix, tmp_path: Path) -> None:
    fixed = LDA(n_topics=6, n_iter=30, optimize_alpha=False).fit(dtm)
    # kept at tomotopy's starting value (stored as float32), the same for every topic
    assert np.array_equal(fixed.alpha_, np.full(6, np.float32(0.1), dtype=np.float64))
    default = LDA(n_topics=6, n_iter=30).fit(dtm)
    assert np.unique(default.alpha_).size == 6  # re-estimated, one value per topic
    assert not np.array_equal(fixed.topic_terms_, default.topic_terms_)
    assert np.array_equal(LDA(n_topics=6, n_iter=30, optimize_alpha=True).fit(dtm).topic_terms_, default.topic_terms_)
    assert np.array_equal(LDA(n_topics=6, n_iter=30, optimize_alpha=np.False_).fit(dtm).alpha_, fixed.alpha_)
    back = load_model(fixed.save(tmp_path / "fixed"))
    assert back.get_params()["optimize_alpha"] is False and np.array_equal(back.alpha_, fixed.alpha_)


@pytest.mark.parametrize(("backend", "value", "message"), [
    ("sklearn", True, "optimize_alpha=True needs backend='tomotopy' \\(sklearn keeps alpha fixed here\\)"),
    ("gensim", True, "optimize_alpha=True needs backend='tomotopy' \\(gensim keeps alpha fixed here\\)"),
    ("tomotopy", "no", "optimize_alpha must be True, False or None, not 'no'"),
])
def test_optimize_alpha_checked(dtm: DocumentTermMatrix, backend: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        LDA(n_topics=3, n_iter=2, backend=backend, optimize_alpha=value).fit(dtm)  # type: ignore[arg-type]


def test_progress_bar_changes_nothing(dtm: DocumentTermMatrix, capsys: pytest.CaptureFixture[str]) -> None:
    # tomotopy 0.14's own progress option recurses forever without a callback: ours must not
    quiet = LDA(n_topics=4, random_state=1, n_iter=30).fit(dtm)
    shown = LDA(n_topics=4, random_state=1, n_iter=30, progress=True).fit(dtm)
    assert np.array_equal(quiet.doc_topics_, shown.doc_topics_)
    assert "30/30" in capsys.readouterr().err


def test_nmf_deterministic_and_normalised(dtm: DocumentTermMatrix) -> None:
    a = NMF(n_topics=6).fit(dtm)
    b = NMF(n_topics=6).fit(dtm)
    assert np.array_equal(a.doc_topics_, b.doc_topics_) and np.array_equal(a.topic_terms_, b.topic_terms_)
    assert np.allclose(a.doc_topics_.sum(axis=1), 1.0)
    # the raw factors are kept, in the same topic order
    w = a.doc_weights_
    expected = np.divide(w, w.sum(axis=1, keepdims=True), out=np.full_like(w, 1 / 6), where=w.sum(axis=1, keepdims=True) > 0)
    assert np.allclose(a.doc_topics_, expected)
    assert np.allclose(a.transform(dtm), a.doc_topics_, atol=1e-3)


def test_different_seeds_differ(dtm: DocumentTermMatrix) -> None:
    a = LDA(n_topics=5, random_state=0, n_iter=40).fit(dtm)
    b = LDA(n_topics=5, random_state=1, n_iter=40).fit(dtm)
    assert not np.array_equal(a.doc_topics_, b.doc_topics_)


@pytest.mark.parametrize("kind", ["lda-tomotopy", "lda-gensim", "nmf"])
def test_save_load_round_trip_is_exact(dtm: DocumentTermMatrix, tmp_path: Path, kind: str) -> None:
    if kind == "nmf":
        model = NMF(n_topics=4).fit(dtm)
    else:
        model = LDA(n_topics=4, seed_terms={"enseignement": ["enseignement", "élève"]} if kind == "lda-tomotopy" else None, **FAST[kind.split("-")[1]]).fit(dtm)
    path = model.save(tmp_path / "model.npz")
    with zipfile.ZipFile(path) as zf:  # data only: JSON, plain .npy arrays and Parquet
        assert all(n == "info.json" or n.endswith((".npy", ".parquet")) for n in zf.namelist())
    back = load_model(path)
    assert type(back) is type(model)
    assert back.get_params() == model.get_params()
    for attr in ["doc_topics_", "topic_terms_", "topic_prevalence_", "term_counts_"]:
        assert np.array_equal(getattr(back, attr), getattr(model, attr)), attr
    assert back.vocabulary_ == model.vocabulary_ and back.doc_ids_ == model.doc_ids_
    assert back.topic_labels_ == model.topic_labels_
    pd.testing.assert_frame_equal(back.top_terms(10, lam=0.6), model.top_terms(10, lam=0.6))
    pd.testing.assert_frame_equal(back.metadata_, model.metadata_)
    assert np.array_equal(back.transform(dtm), model.transform(dtm))
    with pytest.raises(ModelFileError, match=f"holds a {type(model).__name__}, not a"):
        (NMF if kind != "nmf" else LDA).load(path)


def test_transform_aligns_vocabulary_by_term(lda: LDA, dtm: DocumentTermMatrix) -> None:
    sub = dtm.select_documents(list(range(10)))
    # same documents, columns in reverse order and one unknown term added
    cols = list(range(sub.shape[1]))[::-1]
    import scipy.sparse as sp

    shuffled = DocumentTermMatrix(sp.hstack([sub.matrix[:, cols], sp.csr_matrix(np.ones((10, 1), dtype=np.int64))]).tocsr(),
                                  [sub.vocabulary[c] for c in cols] + ["inconnu"], sub.doc_ids)
    assert np.allclose(lda.transform(shuffled), lda.transform(sub))
    theta = lda.transform(sub)
    assert np.allclose(theta.sum(axis=1), 1.0)
    # the fold-in agrees with the sampler on which topic dominates most documents
    assert (theta.argmax(axis=1) == lda.doc_topics_[:10].argmax(axis=1)).mean() >= 0.8


@pytest.mark.parametrize("measure", ["u_mass", "c_uci", "c_npmi", "c_v"])
def test_coherence_equals_gensim(lda: LDA, tokens: Tokens, lists: list[list[str]], dtm: DocumentTermMatrix, measure: str) -> None:
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel

    topics = lda.topic_words(10)
    # gensim's window counting is slow in pure Python: compare on a slice of 150 articles
    # (every code is present in it) rather than on the whole test corpus
    part = list(range(0, len(lists), 2))[:150]
    texts = [lists[i] for i in part]
    sub = tokens.select_documents(part)
    dictionary = Dictionary(texts)
    for window in ([None, 5] if measure == "c_npmi" else [None]):
        cm = CoherenceModel(topics=topics, texts=texts, dictionary=dictionary, coherence=measure, window_size=window, processes=1)
        expected = np.array(cm.get_coherence_per_topic())
        ours = coherence(lda, sub, measure=measure, window_size=window)
        assert list(ours.index) == lda.topic_ids_
        assert np.allclose(ours.to_numpy(), expected, atol=1e-6, rtol=0), (measure, window)
        assert abs(ours.mean() - cm.get_coherence()) < 1e-6
        # word lists give the same numbers as Tokens
        assert np.allclose(coherence_of_topics(topics, texts, measure, window), expected, atol=1e-6, rtol=0)
    if measure == "u_mass":
        # on the matrix, u_mass counts documents of the matrix (same documents here)
        assert np.allclose(coherence(lda, dtm.select_documents([tokens.doc_ids[i] for i in part]), "u_mass").to_numpy(), expected, atol=1e-6)
    else:
        with pytest.raises(TypeError, match="token sequences"):
            coherence(lda, dtm, measure)


def test_coherence_window_quirk_matches_gensim() -> None:
    """A word repeated inside a window: gensim drops it when its first occurrence leaves; so do we."""
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel

    texts = [["paix", "guerre", "paix", "traité", "paix", "armée", "traité"], ["guerre", "armée"], []]
    topics = [["paix", "traité", "armée"], ["guerre", "paix", "armée"]]
    for measure in ["c_npmi", "c_uci", "c_v"]:
        cm = CoherenceModel(topics=topics, texts=texts, dictionary=Dictionary(texts), coherence=measure, window_size=3, processes=1)
        assert np.allclose(coherence_of_topics(topics, texts, measure, 3), cm.get_coherence_per_topic(), atol=1e-9)


@pytest.mark.parametrize("backend, n_iter", [
    ("tomotopy", 80),
    # Known defect, kept visible: gensim's variational updates anchor a seeded topic through its
    # prior alone; the topic then gets almost no documents (prevalence under 1 % on this slice)
    # and whether p(topic | seed) wins depends on small changes of the vocabulary (it passed with
    # the lemmas before 2026-12-02, fails with the current ones for seed 0). strict: a fix shows.
    pytest.param("gensim", 3, marks=pytest.mark.xfail(strict=True, reason="gensim seeded topics collapse to their prior")),
])
def test_seeded_topic_keeps_its_seeds_on_top(dtm: DocumentTermMatrix, backend: str, n_iter: int) -> None:
    seeds = {"enseignement": ["enseignement", "élève", "scolaire"], "pénal": ["infraction", "peine", "crime", "délit"]}
    n_terms = dtm.shape[1]
    model = LDA(n_topics=8, backend=backend, seed_terms=seeds, random_state=0, n_iter=n_iter).fit(dtm)
    assert sorted(label for label in model.topic_labels_ if label) == sorted(seeds)
    for label, terms in seeds.items():
        topic = model.topic_labels_.index(label)
        cols = [dtm.term_index[t] for t in terms]
        # each seed term is anchored: the seeded topic holds most of its occurrences
        # (argmax over topics of p(topic | term) ∝ p(term | topic) p(topic))
        holds = model.topic_terms_[:, cols] * model.topic_prevalence_[:, None]
        assert (holds.argmax(axis=0) == topic).all(), (backend, label)
        ranking = model.top_terms(n_terms).query("topic == @topic")["term"].tolist()
        ranks = [ranking.index(t) for t in terms]
        # near the top: within the first tenth of the vocabulary (the seeded topic also takes
        # the words that co-occur with the seeds, so a seed is not always in the first ten)
        assert max(ranks) < n_terms / 10, (backend, label, ranks)
        assert (model.top_terms(5).query("topic == @topic")["label"] == label).all()


def test_seeded_topic_errors(dtm: DocumentTermMatrix) -> None:
    seeds = {"enseignement": ["enseignement", "élève", "scolaire"]}
    with pytest.raises(ValueError, match="tomotopy' or 'gensim"):
        LDA(n_topics=3, backend="sklearn", seed_terms=seeds).fit(dtm)
    with pytest.raises(ValueError, match="none of the seed terms"):
        LDA(n_topics=3, seed_terms={"x": ["zzzz"]}).fit(dtm)


def test_bad_input(dtm: DocumentTermMatrix) -> None:
    small = dtm.select_documents([0, 1, 2])
    with pytest.raises(ValueError, match=r"n_topics=5 is more topics than documents \(3\)"):
        LDA(n_topics=5).fit(small)
    with pytest.raises(ValueError, match=r"more topics than documents"):
        NMF(n_topics=4).fit(small)
    with pytest.raises(ValueError, match=r"backend='mallet' is not one of \['tomotopy', 'gensim', 'sklearn'\]"):
        LDA(n_topics=2, backend="mallet").fit(dtm)
    with pytest.raises(ValueError, match="n_topics=0 must be at least 1"):
        LDA(n_topics=0).fit(dtm)
    with pytest.raises(TypeError, match="DocumentTermMatrix"):
        LDA(n_topics=2).fit(dtm.matrix)
    with pytest.raises(AttributeError, match="not fitted"):
        LDA(n_topics=2).top_terms()
    import scipy.sparse as sp

    holed = DocumentTermMatrix(sp.csr_matrix(np.array([[1, 0], [0, 0], [0, 2]])), ["paix", "guerre"], ["a", "vide", "c"])
    with pytest.raises(ValueError, match="1 documents have no tokens \\(first: 'vide'\\)"):
        LDA(n_topics=2).fit(holed)


def test_top_terms_relevance(lda: LDA) -> None:
    table = lda.top_terms(10, lam=1.0)
    assert list(table.columns) == ["topic", "label", "name", "rank", "term", "weight", "relevance"]
    assert len(table) == 60
    first = table[table.topic == 0]
    assert first["weight"].is_monotonic_decreasing
    assert np.allclose(first["relevance"], np.log(first["weight"]))
    specific = lda.top_terms(10, lam=0.0)
    p = lda.term_counts_ / lda.term_counts_.sum()
    row = specific.iloc[0]
    j = lda.vocabulary_.index(row.term)
    assert np.isclose(row.relevance, np.log(lda.topic_terms_[0, j] / p[j]))


def test_prevalence_and_representative_documents(lda: LDA) -> None:
    table = topic_prevalence(lda, by="code", n_boot=200, random_state=0)
    assert len(table) == 6 * 6
    assert (table.ci_low <= table.prevalence).all() and (table.prevalence <= table.ci_high).all()
    assert (table.groupby("code").n_docs.first() == 40).all()
    # the proportions of one group sum to 1 over topics
    assert np.allclose(table.groupby("code").prevalence.sum(), 1.0)
    one = table[(table.topic == 2) & (table.code == "code-penal")].iloc[0]
    mask = lda.metadata_["code"].eq("code-penal").to_numpy()
    assert np.isclose(one.prevalence, lda.doc_topics_[mask, 2].mean())
    yearly = topic_prevalence(lda, freq="Y", n_boot=100)
    assert sorted(yearly.period.unique()) == ["2015", "2016"]
    again = topic_prevalence(lda, by="code", n_boot=200, random_state=0)
    pd.testing.assert_frame_equal(table, again)
    reps = representative_documents(lda, topic=1, n=4)
    assert reps["weight"].is_monotonic_decreasing and len(reps) == 4
    assert np.isclose(reps.weight.iloc[0], lda.doc_topics_[:, 1].max())
    assert "code" in reps.columns
    with pytest.raises(KeyError, match="no metadata column"):
        topic_prevalence(lda, by="source")


def test_evaluation_measures(lda: LDA, dtm: DocumentTermMatrix) -> None:
    assert 0 < topic_diversity(lda, 10) <= 1
    ex = exclusivity(lda)
    assert ((ex > 0) & (ex <= 1)).all() and len(ex) == 6
    fx = frex(lda, n=5)
    assert len(fx) == 30 and (fx.frex <= 1).all()
    train, test = split_documents(dtm, 0.2, random_state=0)
    model = LDA(n_topics=6, n_iter=60).fit(train)
    ll = held_out_log_likelihood(model, test)
    # better than a uniform distribution over the vocabulary
    assert np.log(1 / dtm.shape[1]) < ll < 0
    assert ll == held_out_log_likelihood(model, test)
    perm = np.array([2, 0, 1, 5, 3, 4])
    match, sims = match_topics(lda.topic_terms_, lda.topic_terms_[perm])
    assert np.array_equal(perm[match], np.arange(6)) and np.allclose(sims, 1.0)
    st = stability(LDA(n_topics=4, n_iter=30), dtm, seeds=[0, 0, 1])
    assert np.isclose(st.loc[0, "mean_similarity"], 1.0)
    assert st.loc[1, "mean_similarity"] < 1.0 and len(st) == 3


def test_select_k_table(dtm: DocumentTermMatrix, tokens: Tokens) -> None:
    table = select_k(dtm, [3, 6], tokens=tokens, n_iter=30, progress=False)
    assert table["k"].tolist() == [3, 6]
    assert {"u_mass", "c_npmi", "c_v", "held_out_ll", "perplexity", "diversity", "exclusivity"} <= set(table.columns)
    assert table[["u_mass", "c_npmi", "held_out_ll", "exclusivity"]].notna().all().all()


def test_pyldavis_page_is_offline(lda: LDA, dtm: DocumentTermMatrix, tmp_path: Path) -> None:
    page = to_pyldavis(lda, dtm, tmp_path / "vis" / "topics.html")
    html = page.read_text(encoding="utf-8")
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert len(refs) == 3
    for ref in refs:
        assert not re.match(r"^(https?:)?//", ref), ref
        assert (page.parent / ref).is_file(), ref
    assert "https://" not in html.split("<script", 1)[0] and "cdn" not in html
    # topics keep our order, numbered from 1 as in the figures (T1 = topic id 0), with our
    # prevalences and the coordinates of the static intertopic map
    start = html.index('"ldavis_discourse", ') + len('"ldavis_discourse", ')
    data, _ = json.JSONDecoder().raw_decode(html[start:])
    assert data["mdsDat"]["topics"] == [k + 1 for k in lda.topic_ids_]
    assert np.allclose(np.array(data["mdsDat"]["Freq"]) / 100, lda.topic_prevalence_, atol=1e-9)
    assert sorted(set(data["tinfo"]["Category"])) == ["Default"] + sorted(f"Topic{k + 1}" for k in lda.topic_ids_)
    coords = topic_coordinates(lda)
    assert np.allclose(data["mdsDat"]["x"], coords["x"]) and np.allclose(data["mdsDat"]["y"], coords["y"])


def test_topic_labels_automatic_user_and_saved(lda: LDA, tmp_path: Path) -> None:
    model = LDA.load(lda.save(tmp_path / "copy.npz"))  # the shared fixture stays unlabelled
    names = model.topic_names()
    top = model.top_terms(3, lam=0.6)
    # automatic: numbered from 1, then the three most relevant terms (lam = 0.6)
    assert names[0] == "T1 · " + " · ".join(top.loc[top.topic == 0, "term"])
    assert names[5].startswith("T6 · ")
    model.set_topic_labels({0: "Agriculture", 2: "  Sécurité alimentaire "})
    assert model.topic_labels_[:3] == ["Agriculture", None, "Sécurité alimentaire"]
    assert model.topic_names()[0] == "T1 · Agriculture" and model.topic_names()[1] == names[1]
    assert set(model.top_terms(5)["name"].unique()) >= {"T1 · Agriculture", "T3 · Sécurité alimentaire"}
    assert set(topic_prevalence(model, n_boot=10)["name"]) == set(model.topic_names())
    assert topic_coordinates(model)["name"].tolist() == model.topic_names()
    back = LDA.load(model.save(tmp_path / "m.npz"))
    assert back.topic_names() == model.topic_names()
    model.set_topic_labels({0: None})
    assert model.topic_names()[0] == names[0]
    with pytest.raises(ValueError, match="unknown topic ids \\[6\\]"):
        model.set_topic_labels({6: "x"})
    with pytest.raises(ValueError, match="2 labels for 6 topics"):
        model.set_topic_labels(["a", "b"])
    with pytest.raises(ValueError, match="non-empty string"):
        model.set_topic_labels({1: " "})
