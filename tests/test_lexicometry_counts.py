"""discourse.lexicometry.counts: the counting under count_frames and progression."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

from discourse.frames import FrameDictionary, count_frames
from discourse.lexicometry import counts, progression
from discourse.patterns.match import document_hit_counts

from text_helpers import make_tokens, read_an_debates


@pytest.fixture(scope="module")
def sittings(data_home):
    # the sittings after the Paris attacks: « état d'urgence » is said every day
    texts, meta = read_an_debates(data_home, "2015-11-13", "2015-12-01")
    return make_tokens(texts, meta.doc_id.tolist(), meta)


def test_progression_by_period_is_count_frames_of_the_query(sittings) -> None:
    # one counting for both: a progression by month is count_frames on a one-frame dictionary
    query = "état d'urgence"
    table = progression(sittings, query, freq="D", ci="poisson")
    d = FrameDictionary.from_dict({"frames": {query: {"concepts": {"query": {"patterns": [query]}}}}}, source="<progression>")
    frames = count_frames(sittings, d, freq="D", ci="poisson").rename(columns={"frame": "query"})
    pd.testing.assert_frame_equal(table.drop(columns="cumulative"), frames)
    assert table["count"].sum() > 0 and table.attrs["rate_unit"] == frames.attrs["rate_unit"]


def test_count_table_from_document_counts(sittings) -> None:
    d = FrameDictionary.default().select(["state_of_emergency", "counter_terrorism"])
    c, excluded, names, _ = document_hit_counts(sittings, d)
    table = counts.count_table(sittings, c, excluded, names, ci=None)
    assert table["frame"].tolist() == names
    assert table["count"].tolist() == c.sum(axis=0).tolist()
    assert (table["tokens"] == int(sittings.lengths.sum())).all()
    expected = c.sum(axis=0) / sittings.lengths.sum() * 10_000
    np.testing.assert_allclose(table["rate_per_10k"], expected)


def test_missing_dates_are_reported_with_the_callers_name() -> None:
    toks = make_tokens(["état d'urgence", "urgence"], ["a", "b"], pd.DataFrame({"doc_id": ["a", "b"], "date": ["2015-11-14", None]}))
    with pytest.warns(UserWarning, match="progression: 1 documents left out"):
        table = progression(toks, "urgence", freq="M")
    assert table.attrs["skipped"] == [{"doc_id": "b", "reason": "no readable date in column 'date' (nan)"}]


def test_docstring_examples() -> None:
    result = doctest.testmod(counts, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
