"""discourse.textometry.cooccurrence: co-occurrence specificities against a naive count and scipy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import hypergeom

from discourse.textometry import cooccurrence_specificities


def _brute_counts(tokens, pivot_code, window):
    """k per lemma code: naive loop over every pivot occurrence and its window."""
    codes = tokens.codes("lemma")
    in_context = np.zeros(tokens.n_tokens, dtype=bool)
    for d in range(len(tokens)):
        a, b = tokens.doc_offsets[d], tokens.doc_offsets[d + 1]
        for p in range(a, b):
            if codes[p] == pivot_code:
                in_context[max(a, p - window):min(b, p + window + 1)] = True
    in_context &= codes != pivot_code
    return np.bincount(codes[in_context], minlength=len(tokens.vocab("lemma"))), int(in_context.sum())


def test_cooccurrence_specificities_equal_a_naive_count_and_scipy(mariage_600):
    table = cooccurrence_specificities(mariage_600, "adoption", window=5, match_on="lemma", min_count=3)
    code = mariage_600.vocab("lemma").index("adoption")
    k, t = _brute_counts(mariage_600, code, 5)
    assert table.attrs["context_tokens"] == t
    vocab = {w: i for i, w in enumerate(mariage_600.vocab("lemma"))}
    assert all(k[vocab[w]] == c for w, c in zip(table["term"], table["cofrequency"]))
    assert set(table["term"]) == {w for w, i in vocab.items() if k[i] >= 3}
    total = table.attrs["corpus_tokens"]
    top = table.iloc[0]
    expected = -np.log10(hypergeom.sf(top["cofrequency"] - 1, total, top["frequency"], t))
    assert top["specificity"] == pytest.approx(expected, rel=1e-6)
    assert (table["contexts"] >= 1).all() and (table["contexts"] <= table.attrs["pivot_occurrences"]).all()
    assert table["specificity"].is_monotonic_decreasing


def test_cooccurrence_specificities_sentences_and_errors(mariage_600):
    by_sentence = cooccurrence_specificities(mariage_600, "adoption", unit="sentences", window=0, min_count=2)
    by_tokens = cooccurrence_specificities(mariage_600, "adoption", window=3, min_count=2)
    assert by_sentence.attrs["context_tokens"] > 0 and by_tokens.attrs["pivot_occurrences"] == by_sentence.attrs["pivot_occurrences"]
    with pytest.raises(ValueError, match="does not occur"):
        cooccurrence_specificities(mariage_600, "zzzzunknown")
    with pytest.raises(ValueError, match="unit"):
        cooccurrence_specificities(mariage_600, "adoption", unit="pages")
