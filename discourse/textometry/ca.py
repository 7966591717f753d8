"""Correspondence analysis of a lexical table, sparse from end to end.

With ``N`` the table of counts (``n`` in all), ``P = N / n``, row masses ``r`` and column
masses ``c``, correspondence analysis is the singular value decomposition of the matrix of
standardised residuals

    S = D_r^(-1/2) (P - r c') D_c^(-1/2) = U Σ V'

(Benzécri 1973; Greenacre 2017, ch. 4). The eigenvalues are ``λ = σ²``; row principal
coordinates ``F = D_r^(-1/2) U Σ``, column principal coordinates ``G = D_c^(-1/2) V Σ``;
contributions ``r_i F_ik² / λ_k`` (in %, as FactoMineR prints them); squared cosines
``F_ik² / d_i²`` where ``d_i² = Σ_j (p_ij / r_i - c_j)² / c_j`` is the χ² distance of the
row profile to the centroid. Supplementary rows and columns are placed by the transition
formula (``f = profile · G / σ``) and take no part in the axes.

``S`` is never formed: it is the sparse ``P`` rescaled minus a rank-one term, applied as a
``scipy.sparse.linalg.LinearOperator``. When one side of the table is small (parts × terms,
at most ``gram_limit`` parts) the small Gram matrix ``S S'`` is formed from sparse products
and diagonalised exactly (``solver="gram"``); otherwise ARPACK computes the leading singular
triplets of the operator (``solver="arpack"``). Nothing ever holds a dense documents × terms
or terms × terms matrix. The values equal FactoMineR's ``CA`` to 1e-8 on the fixtures of
``tests/fixtures/ca`` (``scripts/make_ca_fixtures.R``).

>>> import pandas as pd
>>> t = pd.DataFrame({"mariage": [30, 5, 12], "famille": [10, 25, 8], "égalité": [4, 6, 30]},
...                  index=["SRC", "UMP", "ECOLO"])
>>> ca = CA(n_components=2).fit(t)
>>> ca.explained_inertia_.round(3).tolist()
[0.529, 0.471]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from discourse import storage
from discourse.base import Estimator, check_choice, check_int
from discourse.textometry._tables import as_table

__all__ = ["CA"]


def _positions(selection: Sequence[Any] | None, labels: list[str], what: str) -> np.ndarray:
    """Positions of supplementary rows/columns given by label or position."""
    if selection is None:
        return np.zeros(0, dtype=np.int64)
    index = {label: i for i, label in enumerate(labels)}
    out = []
    for item in selection:
        if isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            if not 0 <= item < len(labels):
                raise ValueError(f"supplementary {what} position {item} is out of range (0..{len(labels) - 1})")
            out.append(int(item))
        elif str(item) in index:
            out.append(index[str(item)])
        else:
            raise KeyError(f"no {what} named {item!r} in the table")
    if len(set(out)) != len(out):
        raise ValueError(f"a supplementary {what} is given twice")
    return np.array(out, dtype=np.int64)


@storage.register
class CA(Estimator):
    """Correspondence analysis (sparse) of a lexical table.

    Parameters
    ----------
    n_components : int
        Axes kept (at most ``min(rows, columns) - 1`` of the active table; fewer when the table
        has a lower rank).
    solver : "auto", "gram" or "arpack"
        ``auto`` diagonalises the small Gram matrix when one side has at most ``gram_limit``
        entries, else runs ARPACK on the implicit residual operator.
    gram_limit : int
        Largest small side for the Gram solver.
    random_state : int
        Seed of ARPACK's starting vector (results are then identical on rerun).

    Attributes
    ----------
    eigenvalues_ : ndarray (n_components,)
    explained_inertia_ : ndarray, share of the total inertia of each axis
    total_inertia_ : float, ``χ² / n`` of the active table
    row_coordinates_, column_coordinates_ : DataFrame (labels × axes ``dim1``…), principal coordinates
    row_contributions_, column_contributions_ : DataFrame, in % of the axis
    row_cos2_, column_cos2_ : DataFrame
    row_masses_, column_masses_ : Series
    row_sup_coordinates_, row_sup_cos2_, column_sup_coordinates_, column_sup_cos2_ : DataFrame
        supplementary rows and columns (empty frames when none were given).
    skipped_ : DataFrame (kind, label, reason): active rows/columns with a zero margin, left
        out of the analysis (CA is undefined for them).

    Example
    -------
    >>> import pandas as pd
    >>> t = pd.DataFrame([[20, 3, 5], [4, 18, 6], [5, 6, 22], [9, 9, 9]],
    ...                  index=["SRC", "UMP", "ECOLO", "UDI"], columns=["égalité", "filiation", "adoption"])
    >>> ca = CA(n_components=2).fit(t, supplementary_rows=["UDI"])
    >>> ca.row_sup_coordinates_.round(6).abs().loc["UDI"].tolist()
    [0.002022, 0.08313]
    """

    def __init__(self, *, n_components: int = 5, solver: str = "auto", gram_limit: int = 2000,
                 random_state: int = 0) -> None:
        self.n_components = n_components
        self.solver = solver
        self.gram_limit = gram_limit
        self.random_state = random_state

    # ------------------------------------------------------------------ fit
    def fit(self, table: Any, *, supplementary_rows: Sequence[Any] | None = None,
            supplementary_columns: Sequence[Any] | None = None) -> CA:
        """Fit on ``table`` (DocumentTermMatrix, DataFrame or matrix of counts).

        ``supplementary_rows``/``supplementary_columns`` (labels or positions) are projected
        afterwards and do not shape the axes.
        """
        check_int("n_components", self.n_components, minimum=1)
        check_choice("solver", self.solver, ("auto", "gram", "arpack"))
        check_int("gram_limit", self.gram_limit, minimum=2)
        check_int("random_state", self.random_state, minimum=0)
        matrix, rows, cols = as_table(table)
        sup_r = _positions(supplementary_rows, rows, "row")
        sup_c = _positions(supplementary_columns, cols, "column")
        act_r = np.setdiff1d(np.arange(matrix.shape[0]), sup_r)
        act_c = np.setdiff1d(np.arange(matrix.shape[1]), sup_c)
        active = matrix[act_r][:, act_c]
        # rows/columns with a zero margin have no profile: leave them out, say so
        rsum = np.asarray(active.sum(axis=1)).ravel()
        csum = np.asarray(active.sum(axis=0)).ravel()
        skipped = [("row", rows[act_r[i]], "zero total") for i in np.flatnonzero(rsum == 0)]
        skipped += [("column", cols[act_c[j]], "zero total") for j in np.flatnonzero(csum == 0)]
        act_r, act_c = act_r[rsum > 0], act_c[csum > 0]
        active = matrix[act_r][:, act_c].tocsr()
        if min(active.shape) < 2:
            raise ValueError(f"correspondence analysis needs at least 2 active rows and 2 active columns "
                             f"with non-zero totals; the table has {active.shape[0]} × {active.shape[1]}")
        self.skipped_ = pd.DataFrame(skipped, columns=["kind", "label", "reason"])
        self._fit_active(active, [rows[i] for i in act_r], [cols[j] for j in act_c])
        row_labels = [rows[i] for i in sup_r]
        col_labels = [cols[j] for j in sup_c]
        self.row_sup_coordinates_, self.row_sup_cos2_ = self._project(matrix[sup_r][:, act_c], row_labels, "row")
        self.column_sup_coordinates_, self.column_sup_cos2_ = self._project(
            matrix[act_r][:, sup_c].T.tocsr(), col_labels, "column")
        return self

    def _fit_active(self, active: sp.csr_matrix, rows: list[str], cols: list[str]) -> None:
        n = active.sum()
        p = active / n
        r = np.asarray(p.sum(axis=1)).ravel()
        c = np.asarray(p.sum(axis=0)).ravel()
        sr, sc = np.sqrt(r), np.sqrt(c)
        # the sparse part of S: D_r^-1/2 P D_c^-1/2
        q = sp.csr_matrix(sp.diags(1.0 / sr) @ p @ sp.diags(1.0 / sc))
        m, k_max = active.shape, min(active.shape) - 1
        total = float(q.multiply(q).sum() - 1.0)  # Σ s_ij² = Σ q_ij² - 1 (the trivial axis)
        solver = self.solver
        if solver == "auto":
            solver = "gram" if min(m) <= self.gram_limit else "arpack"
        if solver == "gram":
            u_side_rows = m[0] <= m[1]
            a = q if u_side_rows else q.T.tocsr()
            s_small, s_big = (sr, sc) if u_side_rows else (sc, sr)
            gram = (a @ a.T).toarray() - np.outer(s_small, s_small)
            values, vectors = np.linalg.eigh((gram + gram.T) / 2)
            order = np.argsort(values)[::-1]
            values, vectors = values[order], vectors[:, order]
            tol = max(values[0], 0.0) * 1e-12 + 1e-15
            rank = int(np.sum(values > tol))
            k = min(self.n_components, k_max, rank)
            sigma = np.sqrt(values[:k])
            small_vecs = vectors[:, :k]
            big_vecs = (a.T @ small_vecs - np.outer(s_big, s_small @ small_vecs)) / sigma
            u, v = (small_vecs, big_vecs) if u_side_rows else (big_vecs, small_vecs)
        else:
            k = min(self.n_components, k_max)

            def matvec(x):
                x = np.asarray(x).ravel()
                return q @ x - sr * (sc @ x)

            def rmatvec(y):
                y = np.asarray(y).ravel()
                return q.T @ y - sc * (sr @ y)

            op = spla.LinearOperator(m, matvec=matvec, rmatvec=rmatvec, dtype=np.float64)
            v0 = np.random.default_rng(self.random_state).standard_normal(min(m))
            u, sigma, vt = spla.svds(op, k=k, tol=0, v0=v0, solver="arpack")
            order = np.argsort(sigma)[::-1]
            u, sigma, v = u[:, order], sigma[order], vt[order].T
            keep = sigma > sigma[0] * 1e-10
            u, sigma, v = u[:, keep], sigma[keep], v[:, keep]
            k = len(sigma)
        # a deterministic sign: the largest column coordinate of each axis is positive
        flip = np.sign(v[np.argmax(np.abs(v), axis=0), np.arange(k)])
        flip[flip == 0] = 1.0
        u, v = u * flip, v * flip
        f = u / sr[:, None] * sigma
        g = v / sc[:, None] * sigma
        eig = sigma ** 2
        axes = [f"dim{i + 1}" for i in range(k)]
        # χ² distances to the centroid from the sparse profiles: Σ_j p_ij²/(r_i² c_j) - 1
        d2_rows = np.asarray(q.multiply(q).sum(axis=1)).ravel() / r - 1.0
        d2_cols = np.asarray(q.multiply(q).sum(axis=0)).ravel() / c - 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            cos_r = np.where(d2_rows[:, None] > 0, f ** 2 / d2_rows[:, None], 0.0)
            cos_c = np.where(d2_cols[:, None] > 0, g ** 2 / d2_cols[:, None], 0.0)
        self.eigenvalues_ = eig
        self.total_inertia_ = total
        self.explained_inertia_ = eig / total
        self.row_masses_ = pd.Series(r, index=rows, name="mass")
        self.column_masses_ = pd.Series(c, index=cols, name="mass")
        self.row_coordinates_ = pd.DataFrame(f, index=rows, columns=axes)
        self.column_coordinates_ = pd.DataFrame(g, index=cols, columns=axes)
        self.row_contributions_ = pd.DataFrame(100 * r[:, None] * f ** 2 / eig, index=rows, columns=axes)
        self.column_contributions_ = pd.DataFrame(100 * c[:, None] * g ** 2 / eig, index=cols, columns=axes)
        self.row_cos2_ = pd.DataFrame(cos_r, index=rows, columns=axes)
        self.column_cos2_ = pd.DataFrame(cos_c, index=cols, columns=axes)
        self.row_inertia_ = pd.Series(r * d2_rows, index=rows, name="inertia")
        self.column_inertia_ = pd.Series(c * d2_cols, index=cols, name="inertia")

    # ------------------------------------------------------------------ projection
    def _project(self, counts: sp.spmatrix, labels: list[str], kind: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Transition formula: profile · (other side's coordinates) / σ, and cos² to the centroid."""
        counts = sp.csr_matrix(counts, dtype=np.float64)
        axes = list(self.row_coordinates_.columns)
        other = self.column_coordinates_ if kind == "row" else self.row_coordinates_
        masses = (self.column_masses_ if kind == "row" else self.row_masses_).to_numpy()
        totals = np.asarray(counts.sum(axis=1)).ravel()
        if (totals == 0).any():
            empty = [labels[i] for i in np.flatnonzero(totals == 0)]
            raise ValueError(f"supplementary {kind}(s) {empty[:3]} have no count on the active table")
        profiles = sp.diags(1.0 / totals) @ counts
        coords = (profiles @ other.to_numpy()) / np.sqrt(self.eigenvalues_)
        # χ² distance: Σ_j prof_j² / c_j - 1 (sparse)
        d2 = np.asarray(profiles.multiply(profiles).multiply(1.0 / masses[None, :]).sum(axis=1)).ravel() - 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            cos2 = np.where(d2[:, None] > 0, coords ** 2 / d2[:, None], 0.0)
        return pd.DataFrame(coords, index=labels, columns=axes), pd.DataFrame(cos2, index=labels, columns=axes)

    def transform_rows(self, table: Any) -> pd.DataFrame:
        """Coordinates of new rows (supplementary), whose columns are the active columns in order.

        ``table`` is a DataFrame with the fitted column labels (missing columns count 0,
        unknown columns are an error) or a matrix with as many columns as the active table.
        """
        self._check_fitted("eigenvalues_")
        return self._project(*self._align(table, self.column_coordinates_.index, "row"), "row")[0]

    def transform_columns(self, table: Any) -> pd.DataFrame:
        """Coordinates of new columns, given as rows × new columns over the active rows."""
        self._check_fitted("eigenvalues_")
        counts, labels = self._align(table.T if isinstance(table, pd.DataFrame) else sp.csr_matrix(table).T,
                                     self.row_coordinates_.index, "column")
        return self._project(counts, labels, "column")[0]

    @staticmethod
    def _align(table: Any, fitted: pd.Index, kind: str) -> tuple[sp.csr_matrix, list[str]]:
        if isinstance(table, pd.DataFrame):
            unknown = [c for c in table.columns if str(c) not in set(fitted)]
            if unknown:
                raise KeyError(f"unknown label(s) {unknown[:3]} for the supplementary {kind}s")
            frame = table.rename(columns=str).reindex(columns=fitted, fill_value=0)
            return sp.csr_matrix(frame.to_numpy(dtype=np.float64)), [str(i) for i in table.index]
        matrix = sp.csr_matrix(table, dtype=np.float64)
        if matrix.shape[1] != len(fitted):
            raise ValueError(f"supplementary {kind}s have {matrix.shape[1]} entries, the active table {len(fitted)}")
        return matrix, [f"sup{i}" for i in range(matrix.shape[0])]

    def eigenvalue_table(self) -> pd.DataFrame:
        """FactoMineR's ``eig`` table: eigenvalue, % of inertia, cumulative %."""
        self._check_fitted("eigenvalues_")
        pct = 100 * self.explained_inertia_
        return pd.DataFrame({"eigenvalue": self.eigenvalues_, "percent": pct, "cumulative": np.cumsum(pct)},
                            index=list(self.row_coordinates_.columns))

    # ------------------------------------------------------------------ storage
    _FRAMES = ("row_coordinates_", "column_coordinates_", "row_contributions_", "column_contributions_",
               "row_cos2_", "column_cos2_", "row_sup_coordinates_", "row_sup_cos2_",
               "column_sup_coordinates_", "column_sup_cos2_")

    def _get_state(self) -> dict[str, Any]:
        self._check_fitted("eigenvalues_")
        tables = {name.rstrip("_"): getattr(self, name).rename_axis("label").reset_index() for name in self._FRAMES}
        tables["masses"] = pd.DataFrame({"kind": ["row"] * len(self.row_masses_) + ["column"] * len(self.column_masses_),
                                         "label": [*self.row_masses_.index, *self.column_masses_.index],
                                         "mass": [*self.row_masses_, *self.column_masses_],
                                         "inertia": [*self.row_inertia_, *self.column_inertia_]})
        tables["skipped"] = self.skipped_.astype(str)
        return {"info": {"total_inertia": self.total_inertia_}, "arrays": {"eigenvalues": self.eigenvalues_}, "tables": tables}

    @classmethod
    def _from_state(cls, params, info, arrays, tables) -> CA:
        obj = cls(**params)
        eig = storage.check_shape("eigenvalues", arrays["eigenvalues"], (None,))
        obj.eigenvalues_ = eig
        obj.total_inertia_ = float(info["total_inertia"])
        obj.explained_inertia_ = eig / obj.total_inertia_
        for name in cls._FRAMES:
            frame = tables[name.rstrip("_")].set_index("label")
            frame.index.name = None
            if frame.shape[1] != len(eig):
                raise ValueError(f"table {name} has {frame.shape[1]} axes for {len(eig)} eigenvalues")
            setattr(obj, name, frame)
        masses = tables["masses"]
        for kind in ("row", "column"):
            part = masses[masses["kind"] == kind].set_index("label")
            part.index.name = None
            setattr(obj, f"{kind}_masses_", part["mass"])
            setattr(obj, f"{kind}_inertia_", part["inertia"])
        obj.skipped_ = tables["skipped"]
        return obj
