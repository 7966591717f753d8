"""One name per thing, public helpers at the top level (issue 15, item 6)."""

from __future__ import annotations

import pytest

import discourse
from discourse import corpora


def test_token_form_is_the_word_used_everywhere() -> None:
    tokens = discourse.analyze("L’état de droit n’est pas négociable.")
    assert [t.form for t in tokens][:2] == ["L'", "état de droit"]
    with pytest.warns(DeprecationWarning, match="use Token.form"):
        assert tokens[1].text == "état de droit"  # the former name still works
    toks = discourse.Tokens.from_documents([tokens], doc_ids=["d1"])
    assert "état de droit" in toks.vocab("form")
    dtm = discourse.DocumentTermMatrix.from_tokens(toks, attribute="form")
    assert "état de droit" in dtm.vocabulary
    hits = discourse.kwic(toks, "état de droit", window=2, match_on="form")
    assert hits["match"].tolist() == ["état de droit"]


def test_public_helpers_at_the_top_level() -> None:
    from discourse.topics import coordinates, export, prevalence

    assert discourse.to_pyldavis is export.to_pyldavis
    assert discourse.topic_coordinates is coordinates.topic_coordinates
    assert discourse.topic_prevalence is prevalence.topic_prevalence
    for name in ("to_pyldavis", "topic_coordinates", "topic_prevalence", "representative_documents"):
        assert name in dir(discourse)


def test_api_page_names_exist() -> None:
    # every `discourse.X` the "API at a glance" page names exists
    import re
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "api-at-a-glance.md").read_text(encoding="utf-8")
    names = set(re.findall(r"`discourse\.([A-Za-z_]+)", page))
    assert len(names) >= 20
    for name in sorted(names):
        assert hasattr(discourse, name), name
    for name in set(re.findall(r"`corpora\.([a-z_]+)\(", page)):
        assert hasattr(corpora, name), name
    for name in set(re.findall(r"`plot\.([a-z_]+)\(", page)):
        assert hasattr(discourse.plot, name), name
