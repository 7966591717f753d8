"""How topic prevalence depends on covariates (party, date…), with uncertainty: the method of composition.

:func:`estimate_effect` does what the structural topic model's ``estimateEffect`` does in R
(Roberts, Stewart & Tingley 2019), for any fitted topic model of this library:

1. draw the documents' topic proportions ``n_draws`` times from an approximate posterior. For a
   document d with estimated proportions θ̂_d, N_d tokens and the model's prior α (``alpha_``,
   0 if it has none), the draw is θ_d ~ Dirichlet(θ̂_d · (N_d + Σα)). For a Gibbs-sampled LDA
   this is the conditional posterior of θ_d given the topic assignments behind θ̂_d
   (Dirichlet(α + n_dk), since θ̂_dk = (n_dk + α_k) / (N_d + Σα)): it carries the uncertainty of
   a document's proportions due to its length, not the uncertainty of the topics themselves;
2. for each draw, regress each topic's proportions on the covariates (ordinary least squares,
   as STM) and draw ``n_sims`` coefficient vectors from the normal approximation
   N(β̂, σ̂² (XᵀX)⁻¹);
3. pool all draws: estimates are their mean, intervals their quantiles. Quantities derived from
   the coefficients (a difference between two parties, the prevalence over time) are computed
   on every pooled draw, so their intervals carry both sources of uncertainty.

The covariates are given as a small formula over metadata columns: ``"party + s(date, df=5)"``.
A term is a column name (categorical if it is not numeric, treatment-coded against its first
level in sorted order; numeric otherwise), ``C(name)`` (categorical whatever its type) or
``s(name, df=k)`` (a cubic B-spline basis with k columns, interior knots at quantiles, like R's
``splines::bs``; dates become days since the first date). Documents with a missing covariate
are left out and counted in a warning.

Example
-------
>>> effects = estimate_effect(lda, dtm, "group + s(date, df=4)", random_state=0)  # doctest: +SKIP
>>> effects.contrast("group", "SRC", "UMP")  # doctest: +SKIP
>>> effects.curve("date")  # doctest: +SKIP
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.interpolate import BSpline

from discourse.base import check_float, check_int, check_random_state
from discourse.dtm import DocumentTermMatrix

__all__ = ["estimate_effect", "TopicEffects", "Design"]

_TERM = re.compile(r"^(?:(?P<fn>[sC])\(\s*(?P<inner>[^,()]+?)\s*(?:,\s*df\s*=\s*(?P<df>\d+)\s*)?\)|(?P<name>[^()]+?))$")


@dataclass
class _Term:
    name: str
    kind: str  # "categorical", "numeric" or "spline"
    levels: list[Any] = field(default_factory=list)
    knots: np.ndarray | None = None
    is_date: bool = False
    origin: Any = None
    typical: Any = None  # value used for this term when another one varies

    def columns(self) -> list[str]:
        if self.kind == "categorical":
            return [f"{self.name}[{lvl}]" for lvl in self.levels[1:]]
        if self.kind == "spline":
            return [f"s({self.name})[{i}]" for i in range(1, len(self.knots) - 4)]
        return [self.name]


class Design:
    """A design matrix built from a small formula (see the module notes), reusable on new values."""

    def __init__(self, formula: str, data: pd.DataFrame) -> None:
        self.formula = formula
        text = formula.strip().lstrip("~").strip()
        if not text:
            raise ValueError("the formula names no covariate: e.g. 'party + s(date, df=5)'")
        self.terms: list[_Term] = []
        for raw in text.split("+"):
            m = _TERM.match(raw.strip())
            if not m:
                raise ValueError(f"cannot read the term {raw.strip()!r} of {formula!r}: use name, C(name) or s(name, df=k)")
            name = (m.group("inner") or m.group("name")).strip()
            if name not in data.columns:
                raise KeyError(f"formula term {raw.strip()!r}: no metadata column {name!r}; columns are {list(data.columns)}")
            self.terms.append(self._make_term(name, m.group("fn"), m.group("df"), data[name]))

    @staticmethod
    def _make_term(name: str, fn: str | None, df: str | None, values: pd.Series) -> _Term:
        values = values.dropna()
        is_date = pd.api.types.is_datetime64_any_dtype(values)
        numeric = is_date or (pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values))
        if fn == "C" or (fn is None and not numeric):
            levels = sorted(values.unique().tolist())
            if len(levels) < 2:
                raise ValueError(f"covariate {name!r} has one value only ({levels}): it cannot explain anything")
            typical = values.value_counts().sort_index(kind="stable").idxmax()
            return _Term(name, "categorical", levels=levels, typical=typical)
        if not numeric:
            raise ValueError(f"s({name}) needs a numeric or date column, not {values.dtype}")
        origin = values.min() if is_date else None
        x = _to_number(values, origin)
        if fn == "s":
            n_basis = int(df) if df else 5
            if n_basis < 3:
                raise ValueError(f"s({name}, df={n_basis}): a cubic spline needs df >= 3")
            inner = np.quantile(x, np.linspace(0, 1, n_basis - 1)[1:-1]) if n_basis > 3 else np.array([])
            lo, hi = float(x.min()), float(x.max())
            if lo == hi:
                raise ValueError(f"covariate {name!r} takes one value only: no curve can be fitted")
            knots = np.concatenate([[lo] * 4, inner, [hi] * 4])
            return _Term(name, "spline", knots=knots, is_date=is_date, origin=origin, typical=values.median())
        return _Term(name, "numeric", is_date=is_date, origin=origin, typical=values.median())

    @property
    def columns(self) -> list[str]:
        return ["(intercept)"] + [c for t in self.terms for c in t.columns()]

    def matrix(self, data: pd.DataFrame) -> np.ndarray:
        """The design matrix of ``data`` (an intercept, then each term's columns)."""
        blocks = [np.ones((len(data), 1))]
        for t in self.terms:
            values = data[t.name]
            if t.kind == "categorical":
                unknown = set(values.dropna().unique()) - set(t.levels)
                if unknown:
                    raise ValueError(f"covariate {t.name!r}: values {sorted(map(str, unknown))[:3]} were not in the fitted data")
                blocks.append(np.column_stack([(values == lvl).to_numpy(dtype=np.float64) for lvl in t.levels[1:]]))
            elif t.kind == "spline":
                x = np.clip(_to_number(values, t.origin), t.knots[0], t.knots[-1])
                basis = BSpline.design_matrix(x, t.knots, 3).toarray()
                blocks.append(basis[:, 1:])  # without the first function, as splines::bs(intercept = FALSE)
            else:
                blocks.append(_to_number(values, t.origin)[:, None])
        return np.hstack(blocks)

    def typical_frame(self, n: int) -> pd.DataFrame:
        """``n`` rows holding each covariate's typical value (most frequent level, median)."""
        return pd.DataFrame({t.name: [t.typical] * n for t in self.terms})

    def term(self, name: str) -> _Term:
        for t in self.terms:
            if t.name == name:
                return t
        raise KeyError(f"{name!r} is not a covariate of the formula {self.formula!r}")


def _to_number(values: pd.Series, origin: Any) -> np.ndarray:
    if origin is not None:
        return ((pd.to_datetime(values) - origin) / pd.Timedelta(days=1)).to_numpy(dtype=np.float64)
    return pd.to_numeric(values).to_numpy(dtype=np.float64)


def draw_topic_proportions(model: Any, rng: np.random.Generator) -> np.ndarray:
    """One draw of every document's topic proportions (see step 1 of the module notes)."""
    theta = np.asarray(model.doc_topics_, dtype=np.float64)
    alpha_sum = float(np.sum(getattr(model, "alpha_", 0.0)))
    concentration = theta * (np.asarray(model.doc_lengths_, dtype=np.float64)[:, None] + alpha_sum)
    # a gamma draw per cell, normalised by row: a Dirichlet draw for every document at once
    gamma = rng.gamma(np.maximum(concentration, 1e-6))
    totals = gamma.sum(axis=1, keepdims=True)
    totals[totals == 0] = 1.0
    return gamma / totals


class TopicEffects:
    """Pooled draws of the regression of topic proportions on covariates (from :func:`estimate_effect`)."""

    def __init__(self, design: Design, topics: list[int], labels: list[str], sims: np.ndarray, level: float,
                 n_documents: int, n_draws: int, n_sims: int, ranges: dict[str, tuple[float, float]] | None = None) -> None:
        self.design = design
        self._range = dict(ranges or {})
        self.topics = topics
        self.labels = labels
        self.sims = sims  # topics × pooled draws × coefficients
        self.level = level
        self.n_documents, self.n_draws, self.n_sims = n_documents, n_draws, n_sims

    def _summarise(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Mean, sd and quantile interval over the pooled draws (axis 1)."""
        q = (1 - self.level) / 2
        return (values.mean(axis=1), values.std(axis=1, ddof=1),
                np.quantile(values, q, axis=1), np.quantile(values, 1 - q, axis=1))

    def coefficients(self) -> pd.DataFrame:
        """One row a topic and coefficient: ``topic``, ``label``, ``term``, ``estimate``, ``se``, ``ci_low``, ``ci_high``."""
        est, se, lo, hi = self._summarise(self.sims)
        cols = self.design.columns
        rows = [{"topic": t, "label": self.labels[i], "term": c, "estimate": est[i, j], "se": se[i, j],
                 "ci_low": lo[i, j], "ci_high": hi[i, j]}
                for i, t in enumerate(self.topics) for j, c in enumerate(cols)]
        return pd.DataFrame(rows)

    def _predict(self, frame: pd.DataFrame) -> np.ndarray:
        """Pooled draws of the expected proportion at each row of ``frame``: topics × draws × rows."""
        return np.einsum("tdp,rp->tdr", self.sims, self.design.matrix(frame))

    def contrast(self, variable: str, reference: Any, other: Any) -> pd.DataFrame:
        """Difference in expected proportion, ``other`` minus ``reference``, one row a topic."""
        term = self.design.term(variable)
        frame = self.design.typical_frame(2)
        frame[variable] = [reference, other]
        pred = self._predict(frame)
        est, se, lo, hi = self._summarise(pred[:, :, 1] - pred[:, :, 0])
        return pd.DataFrame({"topic": self.topics, "label": self.labels, "variable": term.name,
                             "contrast": f"{other} − {reference}", "estimate": est, "se": se, "ci_low": lo, "ci_high": hi})

    def levels(self, variable: str) -> pd.DataFrame:
        """Expected proportion at each level of a categorical covariate (others at their typical value)."""
        term = self.design.term(variable)
        if term.kind != "categorical":
            raise ValueError(f"{variable!r} is not categorical: use curve()")
        frame = self.design.typical_frame(len(term.levels))
        frame[variable] = term.levels
        est, se, lo, hi = self._summarise(self._predict(frame))
        return pd.DataFrame({"topic": np.repeat(self.topics, len(term.levels)), "label": np.repeat(self.labels, len(term.levels)),
                             variable: term.levels * len(self.topics), "estimate": est.ravel(), "se": se.ravel(),
                             "ci_low": lo.ravel(), "ci_high": hi.ravel()})

    def curve(self, variable: str, n_points: int = 50) -> pd.DataFrame:
        """Expected proportion over the range of a numeric or date covariate (others at their typical value)."""
        term = self.design.term(variable)
        if term.kind == "categorical":
            raise ValueError(f"{variable!r} is categorical: use levels() or contrast()")
        check_int("n_points", n_points, minimum=2)
        if term.kind == "spline":
            lo_x, hi_x = term.knots[0], term.knots[-1]
        else:
            lo_x, hi_x = self._range[variable]
        grid = np.linspace(lo_x, hi_x, n_points)
        values = term.origin + pd.to_timedelta(grid, unit="D") if term.origin is not None else grid
        frame = self.design.typical_frame(n_points)
        frame[variable] = values
        est, se, lo, hi = self._summarise(self._predict(frame))
        return pd.DataFrame({"topic": np.repeat(self.topics, n_points), "label": np.repeat(self.labels, n_points),
                             variable: np.tile(np.asarray(values), len(self.topics)), "estimate": est.ravel(),
                             "se": se.ravel(), "ci_low": lo.ravel(), "ci_high": hi.ravel()})

    def __repr__(self) -> str:
        return (f"<TopicEffects: {self.design.formula!r} on {self.n_documents} documents, {len(self.topics)} topics, "
                f"{self.n_draws} draws × {self.n_sims} simulations>")


def estimate_effect(model: Any, dtm: DocumentTermMatrix, formula: str, *, topics: list[int] | None = None,
                    n_draws: int = 25, n_sims: int = 100, level: float = 0.95,
                    random_state: int | np.random.Generator | None = None) -> TopicEffects:
    """Regress topic proportions on covariates by the method of composition (see the module notes).

    ``model`` is a fitted topic model of this library (``doc_topics_``, ``doc_lengths_``, and
    ``alpha_`` if it has one) fitted on ``dtm``, whose metadata hold the covariates.

    Example
    -------
    >>> effects = estimate_effect(lda, dtm, "group + s(date, df=4)", n_draws=25, random_state=0)  # doctest: +SKIP
    >>> effects.coefficients().query("term == 'group[UMP]'")  # doctest: +SKIP
    """
    n_draws = check_int("n_draws", n_draws, minimum=1)
    n_sims = check_int("n_sims", n_sims, minimum=1)
    check_float("level", level, minimum=0.0, maximum=1.0, exclusive_minimum=True)
    rng = check_random_state(random_state)
    if not hasattr(model, "doc_topics_"):
        raise ValueError("estimate_effect needs a fitted topic model (call fit first)")
    if list(model.doc_ids_) != list(dtm.doc_ids):
        raise ValueError("the model was not fitted on this document-term matrix (its documents differ)")
    n_topics = model.doc_topics_.shape[1]
    topics = list(range(n_topics)) if topics is None else [check_int("topics", t, minimum=0, maximum=n_topics - 1) for t in topics]
    meta = dtm.metadata
    design = Design(formula, meta)
    used = [t.name for t in design.terms]
    complete = meta[used].notna().all(axis=1).to_numpy()
    if not complete.all():
        warnings.warn(f"estimate_effect: {int((~complete).sum())} of {len(meta)} documents have a missing covariate "
                      f"({', '.join(used)}) and are left out", stacklevel=2)
    x = design.matrix(meta.loc[complete])
    n, p = x.shape
    if np.linalg.matrix_rank(x) < p:
        raise ValueError(f"the covariates of {formula!r} are collinear on these documents (columns {design.columns}): "
                         "drop a term or merge rare levels")
    if n <= p:
        raise ValueError(f"{n} documents for {p} coefficients: too few documents for {formula!r}")
    q, r = np.linalg.qr(x)
    r_inv = np.linalg.inv(r)
    chol_unscaled = r_inv  # (XᵀX)⁻¹ = R⁻¹ R⁻ᵀ, so R⁻¹ z has that covariance
    sims = np.empty((len(topics), n_draws * n_sims, p))
    for d in range(n_draws):
        y = draw_topic_proportions(model, rng)[complete][:, topics]
        beta = r_inv @ (q.T @ y)  # p × topics
        resid = y - x @ beta
        sigma = np.sqrt((resid**2).sum(axis=0) / (n - p))
        z = rng.standard_normal((len(topics), n_sims, p))
        sims[:, d * n_sims:(d + 1) * n_sims] = beta.T[:, None, :] + sigma[:, None, None] * np.einsum("tsp,qp->tsq", z, chol_unscaled)
    words = model.topic_words(3) if hasattr(model, "topic_words") else [[] for _ in range(n_topics)]
    labels = [str(model.topic_labels_[t]) if getattr(model, "topic_labels_", None) and model.topic_labels_[t]
              else f"{t}: {', '.join(words[t])}" for t in topics]
    ranges = {t.name: (float(_to_number(meta.loc[complete, t.name], t.origin).min()),
                               float(_to_number(meta.loc[complete, t.name], t.origin).max()))
              for t in design.terms if t.kind == "numeric"}
    return TopicEffects(design, topics, labels, sims, level, n, n_draws, n_sims, ranges)
