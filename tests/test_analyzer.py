"""discourse.lang.fr.analyzer: the French rules applied to one document."""

from __future__ import annotations

import pytest

from discourse.lang.fr.analyzer import BACKENDS, Analyzer, analyzer_config
from discourse.preprocess import Preprocessor, analyze


def test_analyzer_is_what_the_preprocessor_and_analyze_run(seed_text: str) -> None:
    # the same tokens whichever entry point: the analyser is the one place the rules are applied
    result = Analyzer(analyzer_config("fast")).process_many([seed_text])[0]
    tokens = analyze(seed_text)
    assert result.forms == [t.form for t in tokens] and result.lemmas == [t.lemma for t in tokens]
    assert (result.starts.tolist(), result.ends.tolist()) == ([t.start for t in tokens], [t.end for t in tokens])
    unfiltered = Preprocessor(stop_words=None, remove_punctuation=False, min_length=None, aliases=False,
                              remove_boilerplate=False, progress=False).transform([seed_text])
    assert unfiltered.to_lists("form")[0] == result.forms


def test_offsets_point_into_the_text_as_given() -> None:
    text = "L’Union européenne et l’ONU défendent l’état de droit."
    r = Analyzer(analyzer_config("fast")).process_many([text])[0]
    assert [text[s:e] for s, e in zip(r.starts, r.ends)][:3] == ["L’", "Union européenne", "et"]
    assert r.n_changed == 3  # three typographic apostrophes normalised


def test_unknown_backend_is_refused() -> None:
    assert BACKENDS == ("fast", "accurate")
    with pytest.raises(ValueError, match="backend must be one of"):
        Analyzer(analyzer_config("rapide"))


def test_docstring_examples() -> None:
    import doctest

    from discourse.lang.fr import analyzer

    result = doctest.testmod(analyzer, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
