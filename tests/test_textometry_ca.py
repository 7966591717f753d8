"""Correspondence analysis against FactoMineR (fixtures from scripts/make_ca_fixtures.R) and on its own."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from discourse import storage
from discourse.dtm import DocumentTermMatrix
from discourse.textometry import CA, lexical_table
from discourse.tokens import Tokens

FIXTURES = Path(__file__).parent / "fixtures" / "ca"
TOL = 1e-8


def _reference(name):
    ref = json.loads((FIXTURES / f"{name}_factominer.json").read_text(encoding="utf-8"))
    table = pd.read_csv(FIXTURES / f"{name}.csv", index_col=0)
    table.index = table.index.astype(str)
    return table, ref


def _frame(block):
    return pd.DataFrame(np.array(block["values"], dtype=float).reshape(len(block["labels"]), -1), index=block["labels"])


def _signs(ours: pd.DataFrame, theirs: pd.DataFrame) -> np.ndarray:
    """Axis signs are arbitrary: align ours on FactoMineR's by the largest coordinate of each axis."""
    theirs = theirs.loc[ours.index]
    idx = np.argmax(np.abs(theirs.to_numpy()), axis=0)
    return np.sign(theirs.to_numpy()[idx, range(theirs.shape[1])]) * np.sign(ours.to_numpy()[idx, range(theirs.shape[1])])


@pytest.mark.parametrize("name", ["groups", "sittings"])
@pytest.mark.parametrize("solver", ["gram", "arpack"])
def test_equals_factominer(name, solver):
    table, ref = _reference(name)
    ca = CA(n_components=ref["ncp"], solver=solver).fit(
        table, supplementary_rows=ref["row_sup"] or None, supplementary_columns=ref["col_sup"] or None)
    k = len(ca.eigenvalues_)
    assert k == ref["ncp"]
    np.testing.assert_allclose(ca.eigenvalues_, np.array(ref["eigenvalues"])[:k], atol=TOL, rtol=0)
    # the total inertia is the sum of all eigenvalues
    assert ca.total_inertia_ == pytest.approx(sum(ref["eigenvalues"]), abs=TOL)
    signs = _signs(ca.column_coordinates_, _frame(ref["col_coord"]))
    pairs = [("row_coord", ca.row_coordinates_, True), ("col_coord", ca.column_coordinates_, True),
             ("row_contrib", ca.row_contributions_, False), ("col_contrib", ca.column_contributions_, False),
             ("row_cos2", ca.row_cos2_, False), ("col_cos2", ca.column_cos2_, False)]
    if ref["row_sup"]:
        pairs += [("row_sup_coord", ca.row_sup_coordinates_, True), ("row_sup_cos2", ca.row_sup_cos2_, False)]
    if ref["col_sup"]:
        pairs += [("col_sup_coord", ca.column_sup_coordinates_, True), ("col_sup_cos2", ca.column_sup_cos2_, False)]
    for key, ours, signed in pairs:
        theirs = _frame(ref[key]).loc[ours.index.astype(str)]
        values = ours.to_numpy() * (signs if signed else 1)
        np.testing.assert_allclose(values, theirs.to_numpy(), atol=TOL, rtol=0, err_msg=key)


def test_supplementary_row_equals_transform_rows():
    table, _ = _reference("groups")
    ca = CA(n_components=3).fit(table, supplementary_rows=["NI"])
    again = ca.transform_rows(table.loc[["NI"]])
    np.testing.assert_allclose(again.to_numpy(), ca.row_sup_coordinates_.to_numpy(), atol=1e-12)
    # an active row projected as supplementary falls on its own coordinates (transition formula)
    active = ca.transform_rows(table.loc[["SRC"]])
    np.testing.assert_allclose(active.to_numpy(), ca.row_coordinates_.loc[["SRC"]].to_numpy(), atol=1e-10)


def test_dtm_input_sparse_solver_and_save_load(tmp_path):
    toks = Tokens.from_lists(
        [["mariage", "égalité", "droit"], ["famille", "enfant", "mariage"], ["filiation", "enfant", "père", "mère"],
         ["égalité", "droit", "couple"], ["adoption", "enfant", "famille"]],
        doc_ids=list("abcde"))
    dtm = DocumentTermMatrix.from_tokens(toks)
    a = CA(n_components=2, solver="gram").fit(dtm)
    b = CA(n_components=2, solver="arpack").fit(dtm)
    np.testing.assert_allclose(a.eigenvalues_, b.eigenvalues_, atol=1e-10)
    np.testing.assert_allclose(np.abs(a.row_coordinates_), np.abs(b.row_coordinates_), atol=1e-8)
    # contributions of each axis sum to 100, cos² of a row over all axes to at most 1
    assert np.allclose(a.row_contributions_.sum(), 100) and np.allclose(a.column_contributions_.sum(), 100)
    assert (a.row_cos2_.sum(axis=1) <= 1 + 1e-9).all()
    path = storage.save(a, tmp_path / "ca.discourse")
    c = storage.load(path, expected=CA)
    pd.testing.assert_frame_equal(c.column_coordinates_, a.column_coordinates_)
    np.testing.assert_array_equal(c.eigenvalues_, a.eigenvalues_)


def test_lexical_table_and_bad_input():
    toks = Tokens.from_lists([["mariage", "famille"], ["mariage"], ["égalité"]], doc_ids=["a", "b", "c"],
                             metadata=pd.DataFrame({"doc_id": ["a", "b", "c"], "groupe": ["UMP", None, "SRC"]}))
    dtm = DocumentTermMatrix.from_tokens(toks)
    t = lexical_table(dtm, "groupe")
    assert t.attrs["dropped"] == 1 and t.loc["UMP", "mariage"] == 1
    with pytest.raises(KeyError, match="parti"):
        lexical_table(dtm, "parti")
    with pytest.raises(ValueError, match="non-negative"):
        CA().fit(pd.DataFrame([[1, -2], [3, 4]]))
    with pytest.raises(ValueError, match="at least 2 active rows"):
        CA().fit(pd.DataFrame([[1, 2, 3]]))
    with pytest.raises(ValueError, match="n_components"):
        CA(n_components=0).fit(pd.DataFrame([[1, 2], [3, 4]]))
    with pytest.raises(KeyError, match="FN"):
        CA().fit(pd.DataFrame([[1, 2], [3, 4], [5, 1]], index=["a", "b", "c"]), supplementary_rows=["FN"])
    # a zero row is left out and reported, never dropped silently
    ca = CA(n_components=1).fit(pd.DataFrame([[1, 2, 0], [3, 4, 5], [0, 0, 0], [2, 0, 7]], index=list("abcd")))
    assert ca.skipped_.to_dict("records") == [{"kind": "row", "label": "c", "reason": "zero total"}]
    assert sp.issparse(sp.csr_matrix(np.eye(2)))
