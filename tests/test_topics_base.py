"""discourse.topics.base: top terms, labels, save/load, transform (shared by LDA and NMF)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from discourse.dtm import DocumentTermMatrix
from discourse.storage import ModelFileError
from discourse.topics import LDA, NMF, load_model, topic_prevalence
from discourse.topics.coordinates import topic_coordinates

FAST = {
    "tomotopy": dict(backend="tomotopy", n_iter=40),
    "gensim": dict(backend="gensim", n_iter=1),
    "sklearn": dict(backend="sklearn", n_iter=3),
    "sklearn-online": dict(backend="sklearn", n_iter=2, learning_method="online"),
}


@pytest.mark.parametrize("kind", ["lda-tomotopy", "lda-gensim", "nmf"])
def test_save_load_round_trip_is_exact(legi_dtm: DocumentTermMatrix, tmp_path: Path, kind: str) -> None:
    if kind == "nmf":
        model = NMF(n_topics=4).fit(legi_dtm)
    else:
        model = LDA(n_topics=4, seed_terms={"enseignement": ["enseignement", "élève"]} if kind == "lda-tomotopy" else None, **FAST[kind.split("-")[1]]).fit(legi_dtm)
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
    assert np.array_equal(back.transform(legi_dtm), model.transform(legi_dtm))
    with pytest.raises(ModelFileError, match=f"holds a {type(model).__name__}, not a"):
        (NMF if kind != "nmf" else LDA).load(path)


def test_transform_aligns_vocabulary_by_term(legi_lda: LDA, legi_dtm: DocumentTermMatrix) -> None:
    sub = legi_dtm.select_documents(list(range(10)))
    # same documents, columns in reverse order and one unknown term added
    cols = list(range(sub.shape[1]))[::-1]
    import scipy.sparse as sp

    shuffled = DocumentTermMatrix(sp.hstack([sub.matrix[:, cols], sp.csr_matrix(np.ones((10, 1), dtype=np.int64))]).tocsr(),
                                  [sub.vocabulary[c] for c in cols] + ["inconnu"], sub.doc_ids)
    assert np.allclose(legi_lda.transform(shuffled), legi_lda.transform(sub))
    theta = legi_lda.transform(sub)
    assert np.allclose(theta.sum(axis=1), 1.0)
    # the fold-in agrees with the sampler on which topic dominates most documents
    assert (theta.argmax(axis=1) == legi_lda.doc_topics_[:10].argmax(axis=1)).mean() >= 0.8


def test_top_terms_relevance(legi_lda: LDA) -> None:
    table = legi_lda.top_terms(10, lam=1.0)
    assert list(table.columns) == ["topic", "label", "name", "rank", "term", "weight", "relevance"]
    assert len(table) == 60
    first = table[table.topic == 0]
    assert first["weight"].is_monotonic_decreasing
    assert np.allclose(first["relevance"], np.log(first["weight"]))
    specific = legi_lda.top_terms(10, lam=0.0)
    p = legi_lda.term_counts_ / legi_lda.term_counts_.sum()
    row = specific.iloc[0]
    j = legi_lda.vocabulary_.index(row.term)
    assert np.isclose(row.relevance, np.log(legi_lda.topic_terms_[0, j] / p[j]))


def test_topic_labels_automatic_user_and_saved(legi_lda: LDA, tmp_path: Path) -> None:
    model = LDA.load(legi_lda.save(tmp_path / "copy.npz"))  # the shared fixture stays unlabelled
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
