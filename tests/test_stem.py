"""Snowball stems (discourse.lang.fr.stem) and Preprocessor(stem=True) on real text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.stem.snowball import FrenchStemmer

import discourse
from discourse import Corpus, corpora
from discourse.lang.fr.stem import is_stemmed, stem, stem_table
from discourse.preprocess import Preprocessor


def test_seed_article_stems(seed_text: str) -> None:
    corpus = Corpus.from_texts([seed_text], ids=["seed"])
    lemmas = Preprocessor(progress=False).transform(corpus)
    stems = Preprocessor(progress=False, stem=True).transform(corpus)
    pairs = dict(zip(lemmas.to_lists()[0], stems.to_lists()[0]))
    # inflection and derivation merged, as a stemmer does
    assert (pairs["terrorisme"], pairs["antiterroriste"], pairs["coopération"]) == ("terror", "antiterror", "cooper")
    # expressions, names, acronyms and capitalised words kept whole
    for kept in ("lutte contre le terrorisme", "extrémisme violent", "Nations unies", "Mogherini", "UNOCT", "Bruxelles",
                 "États membres"):
        assert pairs[kept] == kept
    assert stems.n_tokens == lemmas.n_tokens  # a stem replaces a lemma, never a token
    row = stems.audit.iloc[-1]
    assert row["stage"] == "Snowball stems (nltk)"
    assert row["changed"] == sum(1 for a, b in zip(lemmas.to_lists()[0], stems.to_lists()[0]) if a != b)


def test_stems_merge_what_lemmas_keep_apart() -> None:
    # the reason lemmas stay the default: the noun and the verb meet in one stem
    assert stem_table(["marché", "marcher", "terroriste", "terrorisme"]) == {
        "marché": "march", "marcher": "march", "terroriste": "terror", "terrorisme": "terror"}


def test_frame_counts_do_not_change_with_stems() -> None:
    # the dictionary's patterns go through the same preprocessing, stems included
    corpus = corpora.load("sample").filter(source="assemblee")
    dictionary = discourse.FrameDictionary.default()
    plain = discourse.count_frames(Preprocessor(progress=False).transform(corpus), dictionary)
    stemmed = discourse.count_frames(Preprocessor(progress=False, stem=True).transform(corpus), dictionary)
    assert plain["count"].tolist() == stemmed["count"].tolist() == [12, 0, 33, 6, 9, 17, 34, 4]


def test_stem_is_a_checked_setting_of_the_cache_key() -> None:
    ids, texts = ["a"], ["Les terroristes menacent."]
    assert Preprocessor(stem=True).cache_key(ids, texts) != Preprocessor().cache_key(ids, texts)
    with pytest.raises(ValueError, match="stem"):
        Preprocessor(stem="yes").transform(Corpus.from_texts(texts, ids=ids))


_STEMMER = FrenchStemmer()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdeéèêàâçîôûùëïEÉAZ -'0123456789", max_size=20))
def test_stem_follows_snowball_or_keeps_the_word(word: str) -> None:
    out = stem(word)
    if is_stemmed(word):
        assert out == _STEMMER.stem(word)
    else:
        assert out == word
    if word and (word[0].isupper() or " " in word):
        assert out == word
    assert stem_table([word]) == ({word: out} if out != word else {})
