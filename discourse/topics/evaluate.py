"""Evaluating topic models: coherence, held-out likelihood, diversity, exclusivity, FREX, stability, select_k.

Coherence is computed here from sparse co-occurrence counts (fast on large corpora) and gives
the same numbers as gensim's ``CoherenceModel`` on the same texts, top words and window (the
tests check each measure to 1e-6):

- ``u_mass``: document co-occurrence, pairs (later word, earlier word), ``log((D(wi,wj)/N + 1e-12) / (D(wj)/N))``.
- ``c_uci`` / ``c_npmi``: boolean sliding windows (default 10 tokens), all ordered pairs, PMI / NPMI.
- ``c_v``: windows of 110, NPMI context vectors of each word against the topic's word set, cosine.

gensim counts sliding windows in a particular way: when an occurrence of a word leaves the
window, the word is marked absent even if another occurrence of it is still inside the window,
until it enters again. We reproduce this, so the numbers can be compared with published ones
computed with gensim. Windows run over the full token sequence of each document (tokens that
are not top words still take up room) and a document shorter than the window is one window.
Top words that never occur in the reference texts are left out of their topic's score (with a
warning), as gensim leaves out words missing from its dictionary.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import warnings

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment

from discourse.base import deprecated_alias
from discourse.dtm import DocumentTermMatrix
from discourse.tokens import Tokens
from discourse.topics.base import TopicModel

__all__ = [
    "coherence", "coherence_of_topics", "perplexity", "held_out_log_likelihood", "split_documents",
    "topic_diversity", "exclusivity", "frex", "stability", "select_k", "MEASURES",
]

MEASURES = ("c_npmi", "c_v", "u_mass", "c_uci")
_WINDOWS = {"c_v": 110, "c_uci": 10, "c_npmi": 10}
_EPS = 1e-12  # the epsilon gensim adds to co-occurrence probabilities


# ---------------------------------------------------------------------- coherence
def _encode(texts: Tokens | DocumentTermMatrix | Sequence[Sequence[str]], relevant: list[str], attribute: str) -> tuple[np.ndarray, np.ndarray] | DocumentTermMatrix:
    """Token sequences as (relevant-word index or -1 per token, document offsets)."""
    index = {w: i for i, w in enumerate(relevant)}
    if isinstance(texts, Tokens):
        vocab = texts.vocab(attribute)
        lookup = np.fromiter((index.get(w, -1) for w in vocab), dtype=np.int64, count=len(vocab))
        codes = lookup[texts.codes(attribute)] if len(vocab) else np.zeros(0, dtype=np.int64)
        return codes, texts.doc_offsets
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    codes = np.fromiter((index.get(w, -1) for t in texts for w in t), dtype=np.int64, count=int(offsets[-1]))
    return codes, offsets


def _document_counts(texts: Any, relevant: list[str], attribute: str) -> tuple[np.ndarray, sp.spmatrix, int]:
    """Boolean document occurrence counts of the relevant words: (occurrences, co-occurrences, N)."""
    if isinstance(texts, DocumentTermMatrix):
        cols = np.array([texts.term_index.get(w, -1) for w in relevant])
        x = sp.csr_matrix((texts.shape[0], len(relevant)), dtype=np.int64)
        present = cols >= 0
        if present.any():
            sub = texts.matrix[:, cols[present]]
            x = sp.csr_matrix((np.ones(sub.nnz, dtype=np.int64), sub.indices, sub.indptr), shape=sub.shape)
            x = x @ sp.csr_matrix((np.ones(present.sum()), (np.arange(present.sum()), np.flatnonzero(present))), shape=(present.sum(), len(relevant)), dtype=np.int64)
        n = texts.shape[0]
    else:
        codes, offsets = _encode(texts, relevant, attribute)
        doc = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
        keep = codes >= 0
        x = sp.csr_matrix((np.ones(int(keep.sum()), dtype=np.int64), (doc[keep], codes[keep])), shape=(len(offsets) - 1, len(relevant)))
        x.sum_duplicates()
        x.data[:] = 1
        n = len(offsets) - 1
    x = sp.csr_matrix(x, dtype=np.int64)
    return np.asarray(x.sum(axis=0)).ravel(), (x.T @ x).tocsr(), n


def _window_counts(texts: Any, relevant: list[str], attribute: str, window: int, max_nnz: int = 20_000_000) -> tuple[np.ndarray, sp.spmatrix, int]:
    """Boolean sliding-window counts of the relevant words, as gensim's WordOccurrenceAccumulator."""
    if isinstance(texts, DocumentTermMatrix):
        raise TypeError("sliding-window coherence needs the token sequences (Tokens or lists of words), not a document-term matrix")
    codes, offsets = _encode(texts, relevant, attribute)
    lengths = np.diff(offsets)
    n_windows = np.maximum(1, lengths - window + 1)
    window_offsets = np.concatenate([[0], np.cumsum(n_windows)])
    n_total = int(window_offsets[-1])
    r = len(relevant)
    pos_global = np.flatnonzero(codes >= 0)
    doc = np.searchsorted(offsets, pos_global, side="right") - 1
    pos = pos_global - offsets[doc]
    word = codes[pos_global]
    # group occurrences by (document, word), in text order
    order = np.lexsort((pos, word, doc))
    doc, pos, word = doc[order], pos[order], word[order]
    group_start = np.ones(doc.size, dtype=bool)
    if doc.size:
        group_start[1:] = (doc[1:] != doc[:-1]) | (word[1:] != word[:-1])
    group_id = np.cumsum(group_start) - 1
    # an occurrence at p switches the word on at window p - w + 1 ...
    start = np.maximum(pos - window + 1, 0)
    # ... and it goes off when the first of its occurrences still in the window [p-w+1, p] leaves
    # (gensim clears a word whenever one of its occurrences leaves the window)
    key = group_id.astype(np.int64) * (1 << 32) + pos
    target = group_id.astype(np.int64) * (1 << 32) + (pos - window + 1)
    first_in = np.searchsorted(key, target, side="left")
    end = np.minimum(pos[first_in] + 1, n_windows[doc])
    # union of the intervals of one (document, word): starts and ends both rise within a group
    if doc.size:
        prev_end = np.empty_like(end)
        prev_end[0] = 0
        prev_end[1:] = end[:-1]
        start = np.where(group_start, start, np.maximum(start, prev_end))
    length = np.clip(end - start, 0, None)
    ok = length > 0
    start, length, word, doc = start[ok], length[ok], word[ok], doc[ok]
    occurrences = np.bincount(word, weights=length, minlength=r).astype(np.int64)
    co = sp.csr_matrix((r, r), dtype=np.int64)
    # expand intervals into (window, word) entries chunk by chunk to bound memory
    cum = np.cumsum(length)
    a = 0
    while a < length.size:
        b = int(np.searchsorted(cum, (cum[a - 1] if a else 0) + max_nnz, side="right"))
        b = max(b, a + 1)
        lens = length[a:b]
        total = int(lens.sum())
        first = window_offsets[doc[a:b]] + start[a:b]
        rows = np.repeat(first - np.cumsum(lens) + lens, lens) + np.arange(total)
        cols = np.repeat(word[a:b], lens)
        p = sp.csr_matrix((np.ones(total, dtype=np.int64), (rows, cols)), shape=(n_total, r))
        co = co + (p.T @ p).tocsr()
        a = b
    return occurrences, co, n_total


def coherence_of_topics(
    topics: Sequence[Sequence[str]],
    texts: Tokens | DocumentTermMatrix | Sequence[Sequence[str]],
    measure: str = "c_npmi",
    window_size: int | None = None,
    attribute: str = "lemma",
) -> np.ndarray:
    """Coherence of each topic given as its list of top words (see :func:`coherence`).

    Example
    -------
    >>> texts = [["état", "droit", "loi"], ["état", "droit"], ["terrorisme", "attentat"]]
    >>> coherence_of_topics([["état", "droit"]], texts, "u_mass").round(3).tolist()
    [0.0]
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}, not {measure!r}")
    topics = [list(t) for t in topics]
    relevant = list(dict.fromkeys(w for t in topics for w in t))
    if measure == "u_mass":
        occ, co, n = _document_counts(texts, relevant, attribute)
    else:
        w = window_size if window_size is not None else _WINDOWS[measure]
        if w < 1:
            raise ValueError(f"window_size={w} must be >= 1")
        occ, co, n = _window_counts(texts, relevant, attribute, w)
    co = co.toarray().astype(np.float64)
    occ = occ.astype(np.float64)
    np.fill_diagonal(co, occ)
    index = {w: i for i, w in enumerate(relevant)}
    absent = [w for w in relevant if occ[index[w]] == 0]
    if absent:
        # as gensim does with words missing from its dictionary: score the topic without them
        warnings.warn(f"{len(absent)} top words never occur in the reference texts and are left out of coherence: {absent[:5]}", stacklevel=3)
    n = float(n)
    out = np.empty(len(topics))
    with np.errstate(divide="ignore", invalid="ignore"):
        for t, words in enumerate(topics):
            ids = np.array([index[w] for w in words if occ[index[w]] > 0], dtype=np.int64)
            c = co[np.ix_(ids, ids)] / n
            p = occ[ids] / n
            m = len(ids)
            if measure == "u_mass":
                i, j = np.tril_indices(m, k=-1)  # (w_i, w_j) with j < i: later word given earlier word
                vals = np.log((c[i, j] + _EPS) / p[j])
            else:
                pmi = np.log((c + _EPS) / (p[:, None] * p[None, :]))
                npmi = pmi / -np.log(c + _EPS)
                if measure == "c_uci":
                    vals = pmi[~np.eye(m, dtype=bool)]
                elif measure == "c_npmi":
                    vals = npmi[~np.eye(m, dtype=bool)]
                else:  # c_v: each word's NPMI vector against the sum of all the topic's vectors
                    total = npmi.sum(axis=0)
                    vals = (npmi @ total) / (np.sqrt((npmi ** 2).sum(axis=1)) * np.sqrt((total ** 2).sum()))
            out[t] = float(np.mean(vals)) if len(vals) else np.nan
    return out


def coherence(
    model: TopicModel | Sequence[Sequence[str]],
    tokens_or_texts: Tokens | DocumentTermMatrix | Sequence[Sequence[str]],
    measure: str = "c_npmi",
    top_n: int = 10,
    window_size: int | None = None,
) -> pd.Series:
    """Coherence of each topic of a fitted model (a Series indexed by topic id; ``.mean()`` = gensim's value).

    ``tokens_or_texts`` is the reference corpus: the :class:`Tokens` the matrix came from (the
    model's attribute, lemma by default, is read), or lists of words. ``u_mass`` also accepts the
    document-term matrix. ``model`` may also be a list of topics given as word lists.

    Example
    -------
    >>> coherence(lda, tokens, measure="c_npmi").mean()  # doctest: +SKIP
    0.07...
    """
    if isinstance(model, TopicModel):
        topics = model.topic_words(top_n)
        ids = model.topic_ids_
        attribute = getattr(model, "attribute_", "lemma")
    else:
        topics = [list(t)[:top_n] for t in model]
        ids = list(range(len(topics)))
        attribute = "lemma"
    values = coherence_of_topics(topics, tokens_or_texts, measure, window_size, attribute)
    return pd.Series(values, index=pd.Index(ids, name="topic"), name=measure)


# ---------------------------------------------------------------------- held-out likelihood
def split_documents(dtm: DocumentTermMatrix, test_size: float = 0.1, random_state: int | None = 0) -> tuple[DocumentTermMatrix, DocumentTermMatrix]:
    """(train, test) matrices from a random split of the documents (fixed seed)."""
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size={test_size} must lie strictly between 0 and 1")
    n = dtm.shape[0]
    n_test = max(1, int(round(test_size * n)))
    if n_test >= n:
        raise ValueError(f"cannot hold out {n_test} of {n} documents")
    perm = np.random.default_rng(random_state).permutation(n)
    return dtm.select_documents(np.sort(perm[n_test:])), dtm.select_documents(np.sort(perm[:n_test]))


def _split_tokens(counts: sp.csr_matrix, rng: np.random.Generator) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Each document's tokens split at random in two halves (observed, held out)."""
    counts = sp.csr_matrix(counts, dtype=np.int64)
    observed = rng.binomial(counts.data, 0.5)
    first = counts.copy()
    first.data = observed
    second = counts.copy()
    second.data = counts.data - observed
    first.eliminate_zeros()
    second.eliminate_zeros()
    return first, second


def held_out_log_likelihood(model: TopicModel, dtm: DocumentTermMatrix, random_state: int | None = 0) -> float:
    """Log-likelihood per held-out word by document completion.

    Each document of ``dtm`` (not used to fit) has its tokens split at random in two halves; the
    topic proportions are estimated on the first half (``model.transform``) and the second half
    is scored: ``sum n_w log sum_k theta_k phi_kw / sum n_w``. Terms unknown to the model (not in
    its vocabulary, or never seen in its training documents) are skipped, for every engine alike.
    Higher is better.
    """
    from discourse.topics.lda import fold_in

    model._check_fitted()
    counts = model._align(dtm)
    seen = np.asarray(model.term_counts_) > 0
    if not seen.all():
        counts = sp.csr_matrix(counts @ sp.diags(seen.astype(np.int64), dtype=np.int64))
        counts.eliminate_zeros()
    first, second = _split_tokens(counts, np.random.default_rng(random_state))
    alpha = getattr(model, "alpha_", 1.0 / model.topic_terms_.shape[0])
    theta = fold_in(first, model.topic_terms_, alpha)
    second = second.tocoo()
    if second.nnz == 0:
        raise ValueError("no held-out tokens to score")
    prob = np.einsum("ij,ij->i", theta[second.row], model.topic_terms_[:, second.col].T)
    with np.errstate(divide="ignore"):
        ll = float((second.data * np.log(prob)).sum() / second.data.sum())
    return ll


def perplexity(model: TopicModel, dtm: DocumentTermMatrix, random_state: int | None = 0) -> float:
    """Held-out perplexity, ``exp(-log-likelihood per word)`` (see :func:`held_out_log_likelihood`); lower is better."""
    return float(np.exp(-held_out_log_likelihood(model, dtm, random_state)))


# ---------------------------------------------------------------------- topic-term measures
def topic_diversity(model: TopicModel, top_n: int = 25) -> float:
    """Share of distinct terms among the top ``top_n`` terms of all topics (Dieng et al. 2020); 1 = no overlap."""
    words = model.topic_words(top_n)
    flat = [w for t in words for w in t]
    return len(set(flat)) / len(flat)


def _exclusivity_matrix(phi: np.ndarray) -> np.ndarray:
    """``phi_kw / sum_j phi_jw``; a term no topic uses (an NMF column of zeros) gets 0, not 0/0."""
    total = phi.sum(axis=0, keepdims=True)
    return np.divide(phi, total, out=np.zeros_like(phi, dtype=np.float64), where=total > 0)


def exclusivity(model: TopicModel, top_n: int = 10) -> pd.Series:
    """Mean exclusivity of each topic's top terms: ``phi_kw / sum_j phi_jw`` (1 = the term belongs to this topic only)."""
    phi = model.topic_terms_
    excl = _exclusivity_matrix(phi)
    values = []
    for k in range(phi.shape[0]):
        top = np.argsort(-phi[k], kind="stable")[:top_n]
        values.append(float(excl[k, top].mean()))
    return pd.Series(values, index=pd.Index(model.topic_ids_, name="topic"), name="exclusivity")


def frex(model: TopicModel, n: int = 10, weight: float = 0.5) -> pd.DataFrame:
    """FREX terms of each topic (Roberts et al., STM): harmonic mean of the term's rank-quantile
    of frequency within the topic and of exclusivity to the topic, ``weight`` on exclusivity.

    Returns a tidy table: ``topic``, ``rank``, ``term``, ``frex``, ``frequency_q``, ``exclusivity_q``.
    """
    if not 0.0 < weight < 1.0:
        raise ValueError(f"weight={weight} must lie strictly between 0 and 1")
    phi = model.topic_terms_
    excl = _exclusivity_matrix(phi)
    n_terms = phi.shape[1]

    def quantiles(x: np.ndarray) -> np.ndarray:
        # empirical CDF within the topic: share of terms with a value <= this one
        ranks = pd.Series(x).rank(method="max").to_numpy()
        return ranks / n_terms

    rows = []
    vocab = np.array(model.vocabulary_, dtype=object)
    for k in range(phi.shape[0]):
        fq = quantiles(phi[k])
        eq = quantiles(excl[k])
        score = 1.0 / (weight / eq + (1.0 - weight) / fq)
        top = np.lexsort((np.arange(n_terms), -score))[:n]
        rows.append(pd.DataFrame({"topic": model.topic_ids_[k], "rank": np.arange(1, len(top) + 1), "term": vocab[top],
                                  "frex": score[top], "frequency_q": fq[top], "exclusivity_q": eq[top]}))
    return pd.concat(rows, ignore_index=True)


# ---------------------------------------------------------------------- stability
def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return a @ b.T


def match_topics(reference: np.ndarray, other: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hungarian matching of topic-term rows by cosine similarity: (column of ``other`` for each reference topic, similarity)."""
    sim = _cosine(reference, other)
    rows, cols = linear_sum_assignment(-sim)
    match = np.empty(reference.shape[0], dtype=np.int64)
    match[rows] = cols
    return match, sim[rows, cols][np.argsort(rows)]


def stability(
    model: TopicModel,
    dtm: DocumentTermMatrix,
    n_runs: int = 5,
    seeds: Sequence[int] | None = None,
) -> pd.DataFrame:
    """How much topics change with the seed: refit ``n_runs`` times and match every pair of runs.

    Topics of two runs are paired by the Hungarian algorithm on the cosine similarity of their
    term distributions (``scipy.optimize.linear_sum_assignment``). Returns one row per pair of
    runs: ``run_a``, ``run_b``, ``seed_a``, ``seed_b``, ``mean_similarity``, ``min_similarity``;
    ``.mean_similarity.mean()`` is the usual summary (1 = identical topics).
    """
    seeds = list(seeds) if seeds is not None else list(range(n_runs))
    if len(seeds) < 2:
        raise ValueError("stability needs at least two runs")
    fits = []
    for s in seeds:
        m = type(model)(**{**model.get_params(), "random_state": s}).fit(dtm)
        fits.append(m.topic_terms_)
    rows = []
    for a in range(len(fits)):
        for b in range(a + 1, len(fits)):
            _, sims = match_topics(fits[a], fits[b])
            rows.append({"run_a": a, "run_b": b, "seed_a": seeds[a], "seed_b": seeds[b],
                         "mean_similarity": float(sims.mean()), "min_similarity": float(sims.min())})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------- choosing K
def select_k(
    dtm: DocumentTermMatrix,
    ks: Iterable[int],
    tokens: Tokens | Sequence[Sequence[str]] | None = None,
    model: TopicModel | str | None = None,
    test_size: float = 0.1,
    n_stability_runs: int = 0,
    top_n: int = 10,
    random_state: int = 0,
    progress: bool = True,
    **model_params: Any,
) -> pd.DataFrame:
    """Fit one model per K and return one table of every metric (one row a K).

    The documents are split once (``test_size`` held out, fixed seed); each K is fitted on the
    rest. Columns: ``k``, ``u_mass`` (on the training matrix), ``c_npmi`` and ``c_v`` (when
    ``tokens`` are given), ``held_out_ll`` and ``perplexity`` (LDA only), ``diversity``,
    ``exclusivity``, ``stability`` (when ``n_stability_runs`` >= 2), ``fit_seconds``.

    ``model`` is a model, as everywhere in the library: the one to refit at each K (its other
    parameters kept, ``n_topics`` set to K, ``random_state`` to this function's), e.g.
    ``NMF(init="nndsvd")``; None means ``LDA()``. ``model_params`` override its parameters.
    The names ``"lda"``/``"nmf"`` still work for one release, with a ``DeprecationWarning``.

    Example
    -------
    >>> select_k(dtm, [10, 20, 40], tokens=tokens, model=LDA(backend="gensim"))  # doctest: +SKIP
    """
    import time

    from discourse._progress import progress_bar as tqdm

    from discourse.topics.lda import LDA
    from discourse.topics.nmf import NMF

    if isinstance(model, str):
        classes = {"lda": LDA, "nmf": NMF}
        if model not in classes:
            raise ValueError(f"model must be a topic model such as LDA() or NMF(), not {model!r}")
        deprecated_alias(f"select_k(model={model!r})", f"model={classes[model].__name__}() (a model, as in every other function)")
        model = classes[model]()
    elif model is None:
        model = LDA()
    elif not isinstance(model, TopicModel):
        raise ValueError(f"model must be a topic model such as LDA() or NMF(), not {type(model).__name__}")
    klass = type(model)
    template = {**model.get_params(), **model_params, "random_state": random_state}
    ks = [int(k) for k in ks]
    if not ks:
        raise ValueError("ks is empty")
    train, test = split_documents(dtm, test_size, random_state)
    rows = []
    for k in tqdm(ks, desc="select_k", disable=not progress):
        t0 = time.perf_counter()
        fitted = klass(**{**template, "n_topics": k}).fit(train)
        row: dict[str, Any] = {"k": k, "fit_seconds": time.perf_counter() - t0}
        row["u_mass"] = float(coherence(fitted, train, "u_mass", top_n).mean())
        if tokens is not None:
            row["c_npmi"] = float(coherence(fitted, tokens, "c_npmi", top_n).mean())
            row["c_v"] = float(coherence(fitted, tokens, "c_v", top_n).mean())
        if isinstance(fitted, LDA):
            row["held_out_ll"] = held_out_log_likelihood(fitted, test, random_state)
            row["perplexity"] = float(np.exp(-row["held_out_ll"]))
        row["diversity"] = topic_diversity(fitted)
        row["exclusivity"] = float(exclusivity(fitted, top_n).mean())
        if n_stability_runs >= 2:
            row["stability"] = float(stability(fitted, train, n_runs=n_stability_runs, seeds=[random_state + i for i in range(n_stability_runs)])["mean_similarity"].mean())
        rows.append(row)
    return pd.DataFrame(rows)
