"""discourse.frames.topics: frames by topic with a fitted model."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import CountVectorizer

from discourse.frames import FrameDictionary, frames_by_topic, topics_for_frame
from discourse.tokens import Tokens


def test_frames_by_topic_with_a_fitted_model(mariage_bill: Tokens) -> None:
    docs = [" ".join(d) for d in mariage_bill.to_lists("lemma")]
    vec = CountVectorizer(min_df=5, token_pattern=r"[^ ]+")
    x = vec.fit_transform(docs)
    # any fitted model with doc_topics_ and doc_ids_ will do: NMF weights normalised per document
    w = NMF(n_components=4, init="nndsvda", random_state=0, max_iter=300).fit_transform(x)
    keep = w.sum(axis=1) > 0
    theta = np.where(keep[:, None], w / np.where(keep, w.sum(axis=1), 1)[:, None], 0.25)
    model = SimpleNamespace(doc_topics_=theta, doc_ids_=list(mariage_bill.doc_ids))
    t = frames_by_topic(mariage_bill, None, model)
    assert len(t) == 4 * len(FrameDictionary.default())
    # weighted counts over topics add up to the frame's total hits (proportions sum to 1)
    from discourse.frames import document_counts

    per_doc = document_counts(mariage_bill, None)
    totals = per_doc.groupby("frame")["count"].sum()
    assert t.groupby("frame").weighted_count.sum().to_dict() == pytest.approx(totals.astype(float).to_dict())
    assert t.weighted_tokens.groupby(t.frame).sum().iloc[0] == pytest.approx(mariage_bill.n_tokens)
    top = topics_for_frame(mariage_bill, None, model, "human_rights")
    assert top.share_with_frame.is_monotonic_decreasing and top.n_docs.iloc[0] == (per_doc[(per_doc.frame == "human_rights")]["count"] > 0).sum()
    assert top.share_all.sum() == pytest.approx(1.0)
    # documents unknown to the model are reported, not silently used
    partial = SimpleNamespace(doc_topics_=theta[:-5], doc_ids_=list(mariage_bill.doc_ids)[:-5])
    with pytest.warns(UserWarning, match="5 documents not in model"):
        frames_by_topic(mariage_bill, None, partial)
    with pytest.raises(TypeError, match="doc_topics_"):
        frames_by_topic(mariage_bill, None, object())
