"""Topic coordinates for the intertopic map (discourse.topics.coordinates), checked against scipy."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import jensenshannon, pdist, squareform

from discourse.topics import coordinates
from discourse.topics.coordinates import classical_mds, jensen_shannon_distances, topic_coordinates_from_arrays

rows = st.lists(st.floats(min_value=0.0, max_value=10.0, allow_nan=False), min_size=6, max_size=6).filter(lambda r: sum(r) > 1e-3)


@settings(max_examples=60, deadline=None)
@given(st.lists(rows, min_size=2, max_size=6))
def test_js_distance_matches_scipy(matrix):
    p = np.array(matrix)
    ours = jensen_shannon_distances(p)
    expected = squareform(pdist(p / p.sum(axis=1, keepdims=True), lambda a, b: jensenshannon(a, b, base=2)))
    assert np.allclose(ours, np.nan_to_num(expected), atol=1e-7)


def test_mds_recovers_euclidean_points():
    points = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 4.0], [1.0, 1.0]])
    d = squareform(pdist(points))
    found = classical_mds(d)
    assert np.allclose(squareform(pdist(found)), d, atol=1e-9)


def test_map_table_and_fixed_signs():
    terms = np.array([[0.6, 0.3, 0.1, 0.0], [0.0, 0.1, 0.3, 0.6], [0.3, 0.2, 0.2, 0.3]])
    a = topic_coordinates_from_arrays(terms, [0.5, 0.3, 0.2], topic_ids=[0, 1, 2])
    b = topic_coordinates_from_arrays(terms[::-1], [0.2, 0.3, 0.5], topic_ids=[2, 1, 0])
    assert list(a.columns) == ["topic", "x", "y", "prevalence"]
    # the same topics listed in another order land on the same points
    assert np.allclose(a.set_index("topic").loc[[0, 1, 2], ["x", "y"]].abs(), b.set_index("topic").loc[[0, 1, 2], ["x", "y"]].abs())
    # distances on the map follow the Jensen–Shannon distances (three points: exact in 2-D)
    assert np.allclose(squareform(pdist(a[["x", "y"]].to_numpy())), jensen_shannon_distances(terms), atol=1e-9)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"topic rows \[1\] have no positive weight"):
        jensen_shannon_distances(np.array([[1.0, 0.0], [0.0, 0.0]]))
    with pytest.raises(ValueError, match="2 topic ids for 3 topics"):
        topic_coordinates_from_arrays(np.eye(3), topic_ids=[0, 1])


def test_docstring_examples():
    result = doctest.testmod(coordinates)
    assert result.attempted > 0 and result.failed == 0
