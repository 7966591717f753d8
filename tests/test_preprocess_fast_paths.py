"""The fast paths of the fast backend give what the plain, per-token code gives (issue 12 speed).

Each optimised step is checked against a slower reference on real text (Assemblée sittings,
Europarl speeches, mariage interventions): the tokenizer against the token pattern run by
``finditer`` and the per-token sentence rules, the expression matcher against
:meth:`ExpressionLexicon.find` on every token's key, and the columns of
:class:`Preprocessor` against :func:`analyze` document by document. No timing here: the
speed is measured by ``python -m benchmarks.bench_preprocess``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from discourse import corpora
from discourse.lang.fr.expressions import ExpressionLexicon
from discourse.lang.fr.normalize import normalize
from discourse.lang.fr.stop_words import stop_words
from discourse.lang.fr.tokenize import _scan_reference, scan, scan_arrays, sentence_ids
from discourse.preprocess import Preprocessor, analyze


@pytest.fixture(scope="module")
def texts(data_home: Path) -> list[str]:
    """Three Assemblée sittings, 30 Europarl speeches and 60 mariage interventions."""
    sittings = sorted((data_home / "an-debats-2013-2018" / "txt").glob("*.txt"))[:3]
    out = [f.read_text(encoding="utf-8") for f in sittings]
    out += list(corpora.load("europarl-fr-2000", data_home=data_home).texts)[:30]
    out += list(corpora.load("an-mariage-pour-tous-2013", data_home=data_home).texts)[:60]
    return out


def test_scan_equals_the_pattern_and_the_sentence_rules(texts: list[str]) -> None:
    n_tokens = n_sentences = 0
    for text in texts:
        norm = normalize(text)
        forms, starts, ends, sents = scan(norm)
        # the offsets found by numpy are those of the pattern run token by token
        assert list(zip(starts, ends)) == _scan_reference(norm)
        assert forms == [norm[a:b] for a, b in zip(starts, ends)]
        # sentence ends found from the . ! ? … characters: the rules applied to every token
        assert sents == sentence_ids(norm, forms, starts, ends)
        n_tokens += len(forms)
        n_sentences += sents[-1] + 1 if sents else 0
    assert n_tokens > 15_000 and n_sentences > 1_000  # real work was compared


def test_scan_arrays_are_the_lists() -> None:
    text = normalize("M. Dupont a versé 80 000 euros.\nL'UE, a-t-elle dit ? Oui !  Fin")
    forms, starts, ends, sents = scan_arrays(text)
    assert starts.dtype == np.int64 and ends.dtype == np.int64
    assert (forms, starts.tolist(), ends.tolist(), sents) == scan(text)
    assert "80 000" in forms and sents[-1] == 3
    assert scan_arrays("  \n ")[0] == [] and scan_arrays("")[1].shape == (0,)


def test_expressions_are_tried_only_where_they_can_start(texts: list[str]) -> None:
    lex = ExpressionLexicon.default()
    extra = normalize("L'état de droit. Droit. L'État membre, les États membres et l'Union européenne.\nUnion\neuropéenne")
    n_found = 0
    for text in [*texts, extra]:
        forms, _s, _e, sents = scan(normalize(text))
        found = lex._find_in_forms(forms, sents)
        assert found == lex.find([lex.keys(f) for f in forms], sents)
        n_found += len(found)
    assert n_found > 50


def test_merge_takes_lists_or_arrays() -> None:
    lex = ExpressionLexicon.default()
    text = normalize("Les États membres défendent l'État de droit.")
    forms, starts, ends, sents = scan(text)
    lemmas = [f.lower() for f in forms]
    a = lex.merge(text, forms, lemmas, [None] * len(forms), starts, ends, sents)
    b = lex.merge(text, forms, lemmas, [None] * len(forms), np.array(starts), np.array(ends), sents)
    assert a[0] == b[0] == ["Les", "États membres", "défendent", "l'", "État de droit", "."]
    assert a[3].tolist() == b[3].tolist() and a[4].tolist() == b[4].tolist()
    assert [text[s:e] for s, e in zip(a[3], a[4])] == a[0]


def test_preprocessor_columns_equal_analyze(texts: list[str]) -> None:
    """The columns built for a whole corpus (codes by first appearance, offsets as arrays)
    hold, document by document, exactly the tokens analyze() gives for that document."""
    docs = texts[:2] + texts[3:13] + texts[33:53]
    pre = Preprocessor("fast", stop_words=None, remove_punctuation=False, min_length=None,
                       remove_boilerplate=False, aliases=False, progress=False)
    toks = pre.transform(docs)
    stops = stop_words()
    forms = np.asarray(toks._vocabs["form"], dtype=object)[toks._codes["form"]]
    lemmas = np.asarray(toks._vocabs["lemma"], dtype=object)[toks._codes["lemma"]]
    # codes follow the order in which the values first appear
    assert toks._vocabs["form"] == list(dict.fromkeys(forms))
    for d, text in enumerate(docs):
        a, b = toks.doc_offsets[d], toks.doc_offsets[d + 1]
        expected = analyze(text)
        assert len(expected) == b - a
        got = list(zip(forms[a:b], lemmas[a:b], toks.starts[a:b].tolist(), toks.ends[a:b].tolist(), toks.sents[a:b].tolist()))
        assert got == [(t.form, t.lemma, t.start, t.end, t.sent) for t in expected]
        # stop flags: per token in analyze(), per vocabulary entry in the Preprocessor
        assert [t.is_stop for t in expected] == [f.lower() in stops or lm.lower() in stops for f, lm in zip(forms[a:b], lemmas[a:b])]
        assert all(type(t.start) is int and type(t.sent) is int for t in expected[:50])
