"""The competitors of the topic benchmarks, called as their own documentation shows: raw
tomotopy, gensim (``LdaModel``, ``LdaMulticore``) and scikit-learn (LDA, NMF), each returning its
top 10 words per topic.
"""

from __future__ import annotations

import numpy as np

from discourse.dtm import DocumentTermMatrix

# ---------------------------------------------------------------------- raw engines
def raw_tomotopy(dtm: DocumentTermMatrix, k: int, n_iter: int, seed: int) -> list[list[str]]:
    import tomotopy as tp

    # the same priors as our default (eta = 1/K, tomotopy's alpha): the same model, two wrappers
    model = tp.LDAModel(k=k, seed=seed, eta=1.0 / k)
    for words in dtm.to_word_lists():
        model.add_doc(words)
    model.train(n_iter, workers=2, parallel=tp.ParallelScheme.PARTITION)
    return [[w for w, _ in model.get_topic_words(t, top_n=10)] for t in range(k)]


def raw_gensim(dtm: DocumentTermMatrix, k: int, passes: int, seed: int, multicore: bool) -> list[list[str]]:
    from gensim.models import LdaModel, LdaMulticore

    dictionary, bow = dtm.to_gensim()
    if multicore:
        model = LdaMulticore(corpus=bow, id2word=dictionary, num_topics=k, passes=passes, random_state=seed, eval_every=None, chunksize=2000)
    else:
        model = LdaModel(corpus=bow, id2word=dictionary, num_topics=k, passes=passes, random_state=seed, eval_every=None, chunksize=2000)
    return [[dictionary[i] for i, _ in model.get_topic_terms(t, topn=10)] for t in range(k)]


def raw_sklearn_lda(dtm: DocumentTermMatrix, k: int, n_iter: int, seed: int, method: str) -> list[list[str]]:
    from sklearn.decomposition import LatentDirichletAllocation

    model = LatentDirichletAllocation(n_components=k, learning_method=method, max_iter=n_iter, random_state=seed)
    model.fit(dtm.matrix)
    vocab = np.array(dtm.vocabulary, dtype=object)
    return [vocab[np.argsort(-row, kind="stable")[:10]].tolist() for row in model.components_]


def raw_sklearn_nmf(dtm: DocumentTermMatrix, k: int, seed: int) -> list[list[str]]:
    from sklearn.decomposition import NMF as SkNMF
    from sklearn.feature_extraction.text import TfidfTransformer

    x = TfidfTransformer().fit_transform(dtm.matrix)
    model = SkNMF(n_components=k, init="nndsvda", random_state=seed, max_iter=200)
    model.fit(x)
    vocab = np.array(dtm.vocabulary, dtype=object)
    return [vocab[np.argsort(-row, kind="stable")[:10]].tolist() for row in model.components_]
