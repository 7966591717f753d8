"""DMR (topic prior by group) and DynamicLDA (topics over time) on corpora simulated from LDA."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarks.eval_effect_coverage import MU, simulate_corpus
from discourse import storage
from discourse.topics import DMR, DynamicLDA, estimate_effect


@pytest.fixture(scope="module")
def corpus():
    dtm, topics = simulate_corpus(0)
    meta = dtm.metadata
    meta["date"] = pd.Timestamp("2013-01-29") + pd.to_timedelta(np.arange(dtm.shape[0]) % 3, unit="D")
    dtm = dtm.with_metadata(meta)
    return dtm, topics


def test_dmr_recovers_the_prior_of_each_party(corpus, tmp_path) -> None:
    dtm, topics = corpus
    dmr = DMR(3, covariate="party", random_state=0).fit(dtm)
    match = np.argmax(topics @ dmr.topic_terms_.T, axis=1)
    assert sorted(match.tolist()) == [0, 1, 2]
    prior = dmr.topic_prior().pivot(index="party", columns="topic", values="prior_share")
    for party in ("A", "B"):
        np.testing.assert_allclose(prior.loc[party, match].to_numpy(), MU[party], atol=0.06)
    np.testing.assert_allclose(dmr.doc_topics_.sum(axis=1), 1.0)
    again = DMR(3, covariate="party", random_state=0).fit(dtm)
    np.testing.assert_array_equal(again.doc_topics_, dmr.doc_topics_)
    # usable by estimate_effect like an LDA
    effects = estimate_effect(dmr, dtm, "party", n_draws=3, n_sims=20, random_state=0)
    diff = effects.contrast("party", "A", "B").set_index("topic").loc[match, "estimate"].to_numpy()
    np.testing.assert_allclose(diff, MU["B"] - MU["A"], atol=0.05)
    back = DMR.load(dmr.save(tmp_path / "dmr.discourse"))
    np.testing.assert_array_equal(back.lambda_, dmr.lambda_)
    np.testing.assert_array_equal(back.doc_topics_, dmr.doc_topics_)
    pd.testing.assert_frame_equal(back.topic_prior(), dmr.topic_prior())


def test_dynamic_lda_gives_words_per_time_point(corpus, tmp_path) -> None:
    dtm, topics = corpus
    model = DynamicLDA(3, time="date", n_iter=100, random_state=0).fit(dtm)
    assert model.time_points_ == ["2013-01-29", "2013-01-30", "2013-01-31"]
    assert model.topic_terms_over_time_.shape == (3, 3, dtm.shape[1])
    np.testing.assert_allclose(model.topic_terms_over_time_.sum(axis=2), 1.0)
    top = model.top_terms_over_time(0, n=5)
    assert len(top) == 15 and top.groupby("time")["weight"].apply(lambda w: w.is_monotonic_decreasing).all()
    drift = model.term_drift(top["term"].head(2).tolist(), topic=0)
    assert list(drift.columns) == ["time", "term", "weight"] and len(drift) == 6
    again = DynamicLDA(3, time="date", n_iter=100, random_state=0).fit(dtm)
    # the same assignments; tomotopy computes DTModel's word distributions in float32 with a
    # last-digit wobble between runs (seen with 1 and 2 threads)
    np.testing.assert_array_equal(again.doc_topics_, model.doc_topics_)
    np.testing.assert_allclose(again.topic_terms_over_time_, model.topic_terms_over_time_, rtol=1e-5)
    with pytest.raises(KeyError, match="terms not in the vocabulary"):
        model.term_drift(["absent"], topic=0)
    back = storage.load(model.save(tmp_path / "dtm.discourse"), expected=DynamicLDA)
    pd.testing.assert_frame_equal(back.top_terms_over_time(0, n=5), top)
    with pytest.raises(storage.ModelFileError, match="holds a DynamicLDA, not a DMR"):
        DMR.load(tmp_path / "dtm.discourse")


def test_metadata_errors(corpus) -> None:
    dtm, _ = corpus
    with pytest.raises(KeyError, match="no metadata column 'groupe'"):
        DMR(3, covariate="groupe").fit(dtm)
    one = dtm.select_documents(list(range(0, 300, 3)))
    with pytest.raises(ValueError, match="one time point only"):
        DynamicLDA(3, time="date").fit(one)


def test_dmr_metadata_is_the_deprecated_name_of_covariate(corpus) -> None:
    dtm, _ = corpus
    with pytest.warns(DeprecationWarning, match=r"DMR\(metadata=\) is deprecated.*use covariate="):
        old = DMR(3, metadata="party", random_state=0, n_iter=20)
    new = DMR(3, covariate="party", random_state=0, n_iter=20)
    pd.testing.assert_frame_equal(old.fit(dtm).topic_prior(), new.fit(dtm).topic_prior())
    assert list(new.topic_prior().columns)[0] == "party"
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match="give covariate= only"):
        DMR(3, metadata="party", covariate="party").fit(dtm)
