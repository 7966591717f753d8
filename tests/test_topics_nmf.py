"""discourse.topics.nmf: NMF is deterministic and normalised."""

from __future__ import annotations

import numpy as np

from discourse.dtm import DocumentTermMatrix
from discourse.topics import NMF


def test_nmf_deterministic_and_normalised(legi_dtm: DocumentTermMatrix) -> None:
    a = NMF(n_topics=6).fit(legi_dtm)
    b = NMF(n_topics=6).fit(legi_dtm)
    assert np.array_equal(a.doc_topics_, b.doc_topics_) and np.array_equal(a.topic_terms_, b.topic_terms_)
    assert np.allclose(a.doc_topics_.sum(axis=1), 1.0)
    # the raw factors are kept, in the same topic order
    w = a.doc_weights_
    expected = np.divide(w, w.sum(axis=1, keepdims=True), out=np.full_like(w, 1 / 6), where=w.sum(axis=1, keepdims=True) > 0)
    assert np.allclose(a.doc_topics_, expected)
    assert np.allclose(a.transform(legi_dtm), a.doc_topics_, atol=1e-3)
