"""discourse.topics.prevalence: prevalence by period and group, representative documents."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from discourse.topics import LDA, representative_documents, topic_prevalence


def test_prevalence_and_representative_documents(legi_lda: LDA) -> None:
    table = topic_prevalence(legi_lda, by="code", n_boot=200, random_state=0)
    assert len(table) == 6 * 6
    assert (table.ci_low <= table.prevalence).all() and (table.prevalence <= table.ci_high).all()
    assert (table.groupby("code").n_docs.first() == 40).all()
    # the proportions of one group sum to 1 over topics
    assert np.allclose(table.groupby("code").prevalence.sum(), 1.0)
    one = table[(table.topic == 2) & (table.code == "code-penal")].iloc[0]
    mask = legi_lda.metadata_["code"].eq("code-penal").to_numpy()
    assert np.isclose(one.prevalence, legi_lda.doc_topics_[mask, 2].mean())
    yearly = topic_prevalence(legi_lda, freq="Y", n_boot=100)
    assert sorted(yearly.period.unique()) == ["2015", "2016"]
    again = topic_prevalence(legi_lda, by="code", n_boot=200, random_state=0)
    pd.testing.assert_frame_equal(table, again)
    reps = representative_documents(legi_lda, topic=1, n=4)
    assert reps["weight"].is_monotonic_decreasing and len(reps) == 4
    assert np.isclose(reps.weight.iloc[0], legi_lda.doc_topics_[:, 1].max())
    assert "code" in reps.columns
    with pytest.raises(KeyError, match="no metadata column"):
        topic_prevalence(legi_lda, by="source")
