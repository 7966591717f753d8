"""discourse.topics.evaluate: coherence against gensim, evaluation measures, select_k."""

from __future__ import annotations

import numpy as np
import pytest

from discourse.dtm import DocumentTermMatrix
from discourse.tokens import Tokens
from discourse.topics import LDA, coherence, exclusivity, frex, held_out_log_likelihood, select_k, stability, topic_diversity
from discourse.topics.evaluate import coherence_of_topics, match_topics, split_documents


@pytest.fixture(scope="module")
def lists(legi_tokens: Tokens) -> list[list[str]]:
    return legi_tokens.to_lists("lemma")


@pytest.mark.parametrize("measure", ["u_mass", "c_uci", "c_npmi", "c_v"])
def test_coherence_equals_gensim(legi_lda: LDA, legi_tokens: Tokens, lists: list[list[str]], legi_dtm: DocumentTermMatrix, measure: str) -> None:
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel

    topics = legi_lda.topic_words(10)
    # gensim's window counting is slow in pure Python: compare on a slice of 150 articles
    # (every code is present in it) rather than on the whole test corpus
    part = list(range(0, len(lists), 2))[:150]
    texts = [lists[i] for i in part]
    sub = legi_tokens.select_documents(part)
    dictionary = Dictionary(texts)
    for window in ([None, 5] if measure == "c_npmi" else [None]):
        cm = CoherenceModel(topics=topics, texts=texts, dictionary=dictionary, coherence=measure, window_size=window, processes=1)
        expected = np.array(cm.get_coherence_per_topic())
        ours = coherence(legi_lda, sub, measure=measure, window_size=window)
        assert list(ours.index) == legi_lda.topic_ids_
        assert np.allclose(ours.to_numpy(), expected, atol=1e-6, rtol=0), (measure, window)
        assert abs(ours.mean() - cm.get_coherence()) < 1e-6
        # word lists give the same numbers as Tokens
        assert np.allclose(coherence_of_topics(topics, texts, measure, window), expected, atol=1e-6, rtol=0)
    if measure == "u_mass":
        # on the matrix, u_mass counts documents of the matrix (same documents here)
        assert np.allclose(coherence(legi_lda, legi_dtm.select_documents([legi_tokens.doc_ids[i] for i in part]), "u_mass").to_numpy(), expected, atol=1e-6)
    else:
        with pytest.raises(TypeError, match="token sequences"):
            coherence(legi_lda, legi_dtm, measure)


def test_coherence_window_quirk_matches_gensim() -> None:
    """A word repeated inside a window: gensim drops it when its first occurrence leaves; so do we."""
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel

    texts = [["paix", "guerre", "paix", "traité", "paix", "armée", "traité"], ["guerre", "armée"], []]
    topics = [["paix", "traité", "armée"], ["guerre", "paix", "armée"]]
    for measure in ["c_npmi", "c_uci", "c_v"]:
        cm = CoherenceModel(topics=topics, texts=texts, dictionary=Dictionary(texts), coherence=measure, window_size=3, processes=1)
        assert np.allclose(coherence_of_topics(topics, texts, measure, 3), cm.get_coherence_per_topic(), atol=1e-9)


def test_evaluation_measures(legi_lda: LDA, legi_dtm: DocumentTermMatrix) -> None:
    assert 0 < topic_diversity(legi_lda, 10) <= 1
    ex = exclusivity(legi_lda)
    assert ((ex > 0) & (ex <= 1)).all() and len(ex) == 6
    fx = frex(legi_lda, n=5)
    assert len(fx) == 30 and (fx.frex <= 1).all()
    train, test = split_documents(legi_dtm, 0.2, random_state=0)
    model = LDA(n_topics=6, n_iter=60).fit(train)
    ll = held_out_log_likelihood(model, test)
    # better than a uniform distribution over the vocabulary
    assert np.log(1 / legi_dtm.shape[1]) < ll < 0
    assert ll == held_out_log_likelihood(model, test)
    perm = np.array([2, 0, 1, 5, 3, 4])
    match, sims = match_topics(legi_lda.topic_terms_, legi_lda.topic_terms_[perm])
    assert np.array_equal(perm[match], np.arange(6)) and np.allclose(sims, 1.0)
    st = stability(LDA(n_topics=4, n_iter=30), legi_dtm, seeds=[0, 0, 1])
    assert np.isclose(st.loc[0, "mean_similarity"], 1.0)
    assert st.loc[1, "mean_similarity"] < 1.0 and len(st) == 3


def test_select_k_table(legi_dtm: DocumentTermMatrix, legi_tokens: Tokens) -> None:
    table = select_k(legi_dtm, [3, 6], tokens=legi_tokens, n_iter=30, progress=False)
    assert table["k"].tolist() == [3, 6]
    assert {"u_mass", "c_npmi", "c_v", "held_out_ll", "perplexity", "diversity", "exclusivity"} <= set(table.columns)
    assert table[["u_mass", "c_npmi", "held_out_ll", "exclusivity"]].notna().all().all()
