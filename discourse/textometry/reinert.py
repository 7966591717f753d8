"""Reinert's descending hierarchical classification (the "Alceste" method of IRaMuTeQ), sparse.

The algorithm follows the reference implementation, the R package rainette (Barnier), whose
code was read to understand the method; this is an independent Python implementation.

1. **Segments.** Each document is cut into text segments of about ``segment_size`` tokens at
   the strongest punctuation nearby (:mod:`discourse.textometry.segments`).
2. **Table.** Segments × terms presence/absence (a term = a lemma of the given tokens; terms
   present in fewer than ``min_df`` segments are dropped). Consecutive segments of one
   document are merged into *context units* until each holds at least ``min_segment_size``
   distinct terms (a short tail is merged into the previous unit of its document).
3. **Split.** The largest group is split in two (until ``n_classes`` groups): (a) units are
   ordered by their coordinate on the first axis of a correspondence analysis of the group's
   table; (b) of the cuts of that order, the one maximising the χ² of the 2 × terms table of
   the two halves (column sums of the presence table) is kept; (c) the unit whose move to the
   other half raises that χ² most is moved, again and again while the χ² grows; (d) terms are
   selected for each half: a term whose contingency coefficient ``sqrt(χ²/(χ²+n))`` on the
   2 × 2 table is at most ``cc_test`` stays in both halves where it has at least ``tsj``
   occurrences, a more discriminating one only in the half where it is over-represented.
   Units with no selected term left when their group is split are *unclassified*.
4. **Double classification** (``double=True``, rainette2): two classifications with
   ``min_segment_size`` and ``min_segment_size2`` are crossed; each crossing of a class of the
   first (at any level of its hierarchy) with a class of the second with more than
   ``min_members`` segments and a χ² of association above ``min_chi2`` is a candidate, only
   the mutually best-associated pairs are kept, and the partition into ``n_classes`` disjoint
   candidates with the largest total χ² is chosen. Segments in none are unclassified.

The χ² of a cut is ``n²/(s₁ s₂) (Σ_j T1_j²/T_j − s₁²/n)`` (T1 the column sums of one half,
T the totals, s₁, s₂ the sizes of the halves in ones, n = s₁ + s₂), so the χ² of every cut of
the CA order is one cumulative sum over the non-zeros, and the χ² after moving a unit changes
by a sparse dot product; after each move only the units sharing a term with the moved one are
updated. Nothing is dense.

References: Reinert M. (1983), Une méthode de classification descendante hiérarchique :
application à l'analyse lexicale par contexte, *Cahiers de l'analyse des données* 8(2);
Reinert M. (1990), Alceste, une méthodologie d'analyse des données textuelles, *Bulletin de
méthodologie sociologique* 26; Barnier J., rainette (R package), https://github.com/juba/rainette.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from discourse import storage
from discourse.base import Estimator, check_bool, check_float, check_int
from discourse.lexicometry import stats
from discourse.textometry.segments import segment_bounds
from discourse.tokens import Tokens

__all__ = ["Reinert", "first_axis_order", "best_cut", "reassign", "split_chi2"]

try:  # progress on long corpora, silent when tqdm is missing
    from tqdm.auto import tqdm as _tqdm
except ImportError:  # pragma: no cover
    _tqdm = None


# ---------------------------------------------------------------------------- split primitives
def split_chi2(t1: np.ndarray, total: np.ndarray) -> float:
    """χ² of the 2 × terms table whose first row is ``t1`` and column totals ``total`` (> 0)."""
    n = total.sum()
    s1 = t1.sum()
    s2 = n - s1
    if s1 <= 0 or s2 <= 0:
        return 0.0
    return float(n * n / (s1 * s2) * ((t1 * t1 / total).sum() - s1 * s1 / n))


def first_axis_order(x: sp.csr_matrix, seed: int = 0) -> np.ndarray:
    """Rows of ``x`` ordered by their coordinate on the first axis of its correspondence analysis."""
    p = x / x.sum()
    r = np.asarray(p.sum(axis=1)).ravel()
    c = np.asarray(p.sum(axis=0)).ravel()
    sr, sc = np.sqrt(r), np.sqrt(c)
    q = sp.csr_matrix(sp.diags(1.0 / sr) @ p @ sp.diags(1.0 / sc))
    qt = q.T.tocsr()
    op = spla.LinearOperator(q.shape, matvec=lambda v: q @ np.ravel(v) - sr * (sc @ np.ravel(v)),
                             rmatvec=lambda v: qt @ np.ravel(v) - sc * (sr @ np.ravel(v)), dtype=np.float64)
    v0 = np.random.default_rng(seed).standard_normal(min(q.shape))
    # the order only needs the axis to a few digits: a loose tolerance saves most iterations
    u, s, _ = spla.svds(op, k=1, tol=1e-6, v0=v0, solver="arpack")
    coord = u[:, 0] / sr
    return np.argsort(coord, kind="stable")


def best_cut(x: sp.csr_matrix, order: np.ndarray) -> tuple[int, float]:
    """The cut of ``order`` (first ``k`` rows against the rest) with the largest χ², and that χ².

    All cuts at once: adding a row to the first half adds ``Σ_j (2 C_j + 1)/T_j`` over its terms
    to ``Σ_j C_j²/T_j``, where ``C_j`` counts earlier rows holding term j (a rank within the
    column, read off the sorted non-zeros).
    """
    m = x.shape[0]
    total = np.asarray(x.sum(axis=0)).ravel()
    n = total.sum()
    xo = sp.csc_matrix(x[order])  # rows in CA order; csc gives non-zeros sorted by (column, row)
    col_of = np.repeat(np.arange(xo.shape[1]), np.diff(xo.indptr))
    rank = np.arange(xo.nnz) - xo.indptr[col_of]  # earlier rows holding the same term (binary)
    add = np.bincount(xo.indices, weights=(2 * rank + 1) / total[col_of], minlength=m)
    s_cum = np.cumsum(add)[:-1]
    s1 = np.cumsum(np.diff(sp.csr_matrix(x[order]).indptr))[:-1].astype(np.float64)
    s2 = n - s1
    with np.errstate(divide="ignore", invalid="ignore"):
        chi = np.where((s1 > 0) & (s2 > 0), n * n / (s1 * s2) * (s_cum - s1 * s1 / n), -np.inf)
    k = int(np.argmax(chi))
    return k + 1, float(chi[k])


def reassign(x: sp.csr_matrix, in1: np.ndarray, chi: float, max_moves: int | None = None) -> tuple[np.ndarray, float, int]:
    """Move, one at a time, the row whose move to the other half raises the χ² most, while it rises.

    Returns the new membership of the first half, the final χ² and the number of moves. Each
    move updates the candidate gains of the rows sharing a term with the moved row only.
    """
    in1 = in1.copy()
    xc = sp.csc_matrix(x)
    total = np.asarray(x.sum(axis=0)).ravel()
    n = total.sum()
    lens = np.diff(x.indptr).astype(np.float64)
    t1 = np.asarray(x[in1].sum(axis=0)).ravel()
    s1 = t1.sum()
    s_val = float((t1 * t1 / total).sum())
    # gain in Σ C_j²/T_j if the row changes half
    d_out = x @ ((1 - 2 * t1) / total)
    d_in = x @ ((1 + 2 * t1) / total)
    d_s = np.where(in1, d_out, d_in)
    rows1 = int(in1.sum())
    moves = 0
    limit = max_moves if max_moves is not None else 10 * x.shape[0]
    while moves < limit:
        s1_new = s1 + np.where(in1, -lens, lens)
        s2_new = n - s1_new
        with np.errstate(divide="ignore", invalid="ignore"):
            cand = n * n / (s1_new * s2_new) * (s_val + d_s - s1_new * s1_new / n)
        # a half may not become empty
        cand[(s1_new <= 0) | (s2_new <= 0)] = -np.inf
        if rows1 == 1:
            cand[in1] = -np.inf
        if rows1 == x.shape[0] - 1:
            cand[~in1] = -np.inf
        best = int(np.argmax(cand))
        if not cand[best] > chi * (1 + 1e-12) + 1e-12:
            break
        chi = float(cand[best])
        s_val += float(d_s[best])
        s1 = float(s1_new[best])
        delta = -1.0 if in1[best] else 1.0  # change of t1 on the moved row's terms
        terms = x.indices[x.indptr[best]:x.indptr[best + 1]]
        t1[terms] += delta
        in1[best] = not in1[best]
        rows1 += int(delta)
        u = xc[:, terms] @ (2.0 / total[terms])
        d_s += delta * u * np.where(in1, -1.0, 1.0)
        # the moved row itself now sits in the other half: its gain is recomputed in full
        w = (1 - 2 * t1[terms]) if in1[best] else (1 + 2 * t1[terms])
        d_s[best] = float((w / total[terms]).sum())
        moves += 1
    return in1, chi, moves


def select_terms(t1: np.ndarray, t2: np.ndarray, cc_test: float, tsj: int) -> tuple[np.ndarray, np.ndarray]:
    """Terms kept for each half (boolean masks), rainette's rule (see the module docstring)."""
    total = t1 + t2
    n1, n2 = t1.sum(), t2.sum()
    prop = total / total.sum()
    e1, e2 = prop * n1, prop * n2
    with np.errstate(divide="ignore", invalid="ignore"):
        chi = np.where(e1 > 0, (t1 - e1) ** 2 / e1, 0.0) + np.where(e2 > 0, (t2 - e2) ** 2 / e2, 0.0)
        cc = np.sqrt(chi / (chi + total))
    shared = cc <= cc_test
    keep1 = (t1 >= tsj) & (shared | (t1 > e1))
    keep2 = (t2 >= tsj) & (shared | (t2 > e2))
    return keep1, keep2


@dataclass
class _Group:
    units: np.ndarray  # unit positions
    terms: np.ndarray  # term positions kept for this group
    node: int  # node id in the tree


def _divisive(x: sp.csr_matrix, n_classes: int, min_split_members: int, cc_test: float, tsj: int,
              seed: int, progress: bool) -> tuple[list[list[np.ndarray]], pd.DataFrame, str | None, np.ndarray]:
    """Run the divisive classification of units (rows of binary ``x``).

    Returns the groups at each level (level i: list of i + 2 arrays of units), the tree, why it
    stopped early (or None) and the units dropped at a split (no selected term left).
    """
    groups = [_Group(np.flatnonzero(np.diff(x.indptr) > 0), np.arange(x.shape[1]), 0)]
    nodes = [dict(node=0, parent=-1, size=len(groups[0].units), chi2=np.nan, moves=0)]
    levels: list[list[np.ndarray]] = []
    dropped: list[np.ndarray] = []
    stopped = None
    bar = _tqdm(total=n_classes - 1, desc="Reinert splits", disable=not progress) if _tqdm else None
    for _ in range(n_classes - 1):
        sizes = [len(g.units) for g in groups]
        gi = int(np.argmax(sizes))
        g = groups[gi]
        if len(g.units) < min_split_members:
            stopped = f"no group has min_split_members={min_split_members} units left to split"
            break
        tab = x[g.units][:, g.terms]
        row_ok = np.diff(tab.indptr) > 0
        tab = tab[row_ok]
        col_ok = np.asarray(tab.sum(axis=0)).ravel() > 0
        tab = tab[:, col_ok].tocsr()
        units, terms = g.units[row_ok], g.terms[col_ok]
        if tab.shape[0] < 3 or tab.shape[1] < 3:
            stopped = f"the largest group ({tab.shape[0]} units × {tab.shape[1]} terms) is too small to split"
            break
        dropped.append(g.units[~row_ok])
        order = first_axis_order(tab, seed)
        k, chi = best_cut(tab, order)
        in1 = np.zeros(tab.shape[0], dtype=bool)
        in1[order[:k]] = True
        in1, chi, moves = reassign(tab, in1, chi)
        t1 = np.asarray(tab[in1].sum(axis=0)).ravel()
        t2 = np.asarray(tab[~in1].sum(axis=0)).ravel()
        keep1, keep2 = select_terms(t1, t2, cc_test, tsj)
        a = _Group(units[in1], terms[keep1], len(nodes))
        nodes.append(dict(node=a.node, parent=g.node, size=len(a.units), chi2=np.nan, moves=0))
        b = _Group(units[~in1], terms[keep2], len(nodes))
        nodes.append(dict(node=b.node, parent=g.node, size=len(b.units), chi2=np.nan, moves=0))
        nodes[g.node].update(chi2=chi, moves=moves)
        groups[gi:gi + 1] = [a, b]
        levels.append([grp.units for grp in groups])
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    tree = pd.DataFrame(nodes)
    leaf_nodes = [grp.node for grp in groups]
    tree["class"] = pd.array([leaf_nodes.index(nd) + 1 if nd in leaf_nodes else pd.NA for nd in tree["node"]], dtype="Int64")
    lost = np.concatenate(dropped) if dropped else np.zeros(0, dtype=np.int64)
    return levels, tree, stopped, lost


def _merge_units(seg_doc: np.ndarray, n_terms: np.ndarray, min_size: int) -> np.ndarray:
    """Unit id of each segment: consecutive segments of a document merged to ``min_size`` distinct terms.

    ``n_terms`` counts the distinct terms of each segment (merging sums them, as rainette does).
    A document's short tail joins its previous unit.
    """
    unit = np.arange(len(seg_doc))
    if min_size <= 1:
        return unit
    i, m = 0, len(seg_doc)
    while i < m:
        size, j = n_terms[i], i
        while size < min_size:
            if j + 1 < m and seg_doc[j + 1] == seg_doc[i]:
                j += 1
                size += n_terms[j]
                unit[j] = i
            else:
                # end of the document: join the previous unit of the same document, if any
                if i > 0 and seg_doc[i - 1] == seg_doc[i]:
                    unit[i:j + 1] = unit[i - 1]
                break
        i = j + 1
    _, unit = np.unique(unit, return_inverse=True)
    return unit


def _signed_chi2_2x2(n_both: np.ndarray, n1: np.ndarray, n2: np.ndarray, total: int) -> np.ndarray:
    """Signed χ² (no correction) of two memberships: positive when they co-occur more than chance."""
    a = n_both.astype(float)
    b = (n2 - n_both).astype(float)
    chi = stats.chi2(a, b, n1.astype(float), (total - n1).astype(float))
    expected = n1 * n2 / total
    return np.where(a >= expected, chi, -chi)


@storage.register
class Reinert(Estimator):
    """Reinert's descending hierarchical classification of text segments (IRaMuTeQ, rainette).

    Parameters
    ----------
    n_classes : int
        Classes wanted (the largest class is split until there are this many).
    segment_size : int
        Target segment length in tokens of the given ``Tokens`` (after the preprocessor's
        stop-word removal: 20 content tokens are roughly rainette's 40 words).
    min_segment_size : int
        Distinct terms a context unit must hold (consecutive segments merged); 0 or 1 = no merge.
    min_segment_size2 : int
        The second minimum of the double classification.
    min_split_members : int
        A group with fewer units is not split (classification stops, said in ``stopped_``).
    min_df : int
        Terms in fewer segments are not used.
    cc_test, tsj : float, int
        Term selection after each split (rainette's defaults 0.3 and 3).
    double : bool
        Double classification (two minimum unit sizes crossed; unstable segments unclassified).
    min_members, min_chi2 : int, float
        Double classification: smallest crossed class and smallest χ² of association.
    attribute : "lemma" or "form"
    random_state : int or None
        Seed of ARPACK's starting vector (None = 0): results are identical on rerun.
    progress : bool

    Attributes
    ----------
    segments_ : DataFrame — doc_id, start, end (character offsets when texts are kept, else
        token positions), text, unit, class (Int64, NA = unclassified), reason, score (sum of the
        χ² of its class's profile terms it holds: characteristic segments rank by it).
    doc_classes_ : Series indexed by doc_id — majority class of the document's classified
        segments (ties: the smaller class), NA when none.
    classes_ : DataFrame — class, n_segments, percent (of classified segments).
    profiles_ : DataFrame — class, term, chi2 (signed), p, n_segments_class (segments of the
        class holding the term), n_segments_term, percent (share of the term's segments in
        the class), frequency (tokens of the term in the class), sign ("profile" or
        "anti-profile"); |χ²| ≥ 3.84 (p ≤ 0.05), sorted by class and decreasing χ².
    tree_ : DataFrame — node, parent, size, chi2 of the split of that node, moves (units
        reassigned), class of the leaves (simple classification; for ``double`` the two runs
        with a ``run`` column).
    crossed_ : DataFrame — double classification: the crossed classes kept.
    vocabulary_ : list of terms used; stopped_ : str or None; n_classes_ : int.

    Example
    -------
    >>> import discourse
    >>> corpus = discourse.corpora.load("an-mariage-pour-tous-2013")         # doctest: +SKIP
    >>> toks = discourse.Preprocessor(backend="fast").transform(corpus)       # doctest: +SKIP
    >>> r = discourse.Reinert(n_classes=6, segment_size=20).fit(toks)        # doctest: +SKIP
    >>> r.profiles_.query("`class` == 1 and sign == 'profile'").head()      # doctest: +SKIP
    """

    def __init__(self, *, n_classes: int = 10, segment_size: int = 40, min_segment_size: int = 10,
                 min_segment_size2: int = 15, min_split_members: int = 10, min_df: int = 10,
                 cc_test: float = 0.3, tsj: int = 3, double: bool = False, min_members: int = 10,
                 min_chi2: float = 3.84, attribute: str = "lemma", random_state: int | None = None,
                 progress: bool = False) -> None:
        self.n_classes = n_classes
        self.segment_size = segment_size
        self.min_segment_size = min_segment_size
        self.min_segment_size2 = min_segment_size2
        self.min_split_members = min_split_members
        self.min_df = min_df
        self.cc_test = cc_test
        self.tsj = tsj
        self.double = double
        self.min_members = min_members
        self.min_chi2 = min_chi2
        self.attribute = attribute
        self.random_state = random_state
        self.progress = progress

    # ------------------------------------------------------------------ checks
    def _check_params(self) -> None:
        """Every parameter checked without data (also what ``discourse check`` runs)."""
        check_int("n_classes", self.n_classes, minimum=2)
        check_int("segment_size", self.segment_size, minimum=2)
        check_int("min_segment_size", self.min_segment_size, minimum=0)
        check_int("min_segment_size2", self.min_segment_size2, minimum=0)
        check_int("min_split_members", self.min_split_members, minimum=3)
        check_int("min_df", self.min_df, minimum=1)
        check_float("cc_test", self.cc_test, minimum=0.0, maximum=1.0)
        check_int("tsj", self.tsj, minimum=1)
        check_bool("double", self.double)
        check_int("min_members", self.min_members, minimum=0)
        check_float("min_chi2", self.min_chi2)
        check_int("random_state", self.random_state, minimum=0, allow_none=True)
        check_bool("progress", self.progress)
        if self.attribute not in ("lemma", "form"):
            raise ValueError(f"attribute must be 'lemma' or 'form', not {self.attribute!r}")

    # ------------------------------------------------------------------ fit
    def fit(self, tokens: Tokens) -> Reinert:
        """Classify the segments of ``tokens`` (a :class:`~discourse.tokens.Tokens`)."""
        self._check_params()
        if not isinstance(tokens, Tokens):
            raise TypeError(f"Reinert.fit takes Tokens (Preprocessor(...).transform(corpus)), not {type(tokens).__name__}")
        if tokens.n_tokens == 0:
            raise ValueError("Reinert: the tokens are empty")
        seed = 0 if self.random_state is None else int(self.random_state)
        seg = segment_bounds(tokens, self.segment_size)
        codes = tokens.codes(self.attribute).astype(np.int64)
        seg_of_token = np.repeat(np.arange(len(seg)), (seg["end"] - seg["start"]).to_numpy())
        full = sp.csr_matrix((np.ones(len(codes)), (seg_of_token, codes)), shape=(len(seg), len(tokens.vocab(self.attribute))))
        full.sum_duplicates()
        counts = full.copy()  # token counts (for frequencies in the profiles)
        presence = (full > 0).astype(np.float64)
        df = np.asarray(presence.sum(axis=0)).ravel()
        kept = np.flatnonzero(df >= self.min_df)
        vocab = tokens.vocab(self.attribute)
        names = np.array([vocab[i] for i in kept], dtype=object)
        alpha = np.argsort(names, kind="stable")
        kept = kept[alpha]
        x = presence[:, kept].tocsr()
        counts = counts[:, kept].tocsr()
        self.vocabulary_ = [vocab[i] for i in kept]
        n_terms = np.diff(x.indptr)
        seg_doc = seg["doc"].to_numpy()
        reason = np.where(n_terms == 0, f"no term in at least min_df={self.min_df} segments", "").astype(object)

        def run(min_size: int) -> tuple[np.ndarray, list[np.ndarray], pd.DataFrame, str | None, np.ndarray]:
            unit = _merge_units(seg_doc, n_terms, min_size)
            n_units = int(unit.max()) + 1
            agg = sp.csr_matrix((np.ones(len(unit)), (unit, np.arange(len(unit)))), shape=(n_units, len(unit)))
            ux = ((agg @ x) > 0).astype(np.float64).tocsr()
            classifiable = int((np.diff(ux.indptr) > 0).sum())
            if classifiable < max(self.n_classes, 3):
                raise ValueError(
                    f"Reinert: only {classifiable} context units with terms ({len(seg)} segments of about "
                    f"{self.segment_size} tokens, min_segment_size={min_size}) for n_classes={self.n_classes}: "
                    f"give more text, a smaller segment_size or min_segment_size, or fewer classes")
            levels, tree, stopped, lost = _divisive(ux, self.n_classes, self.min_split_members, self.cc_test,
                                                    self.tsj, seed, self.progress)
            # class of each segment at each level (0 = unclassified)
            seg_levels = np.zeros((len(levels), len(seg)), dtype=np.int64)
            for li, groups in enumerate(levels):
                unit_class = np.zeros(n_units, dtype=np.int64)
                for ci, members in enumerate(groups):
                    unit_class[members] = ci + 1
                seg_levels[li] = unit_class[unit]
            return unit, seg_levels, tree, stopped, lost

        unit, levels1, tree1, stopped, lost = run(self.min_segment_size)
        if len(levels1) == 0:
            raise ValueError(f"Reinert: the corpus could not be split even once ({stopped})")
        lost_mask = np.isin(unit, lost) & (n_terms > 0)
        if not self.double:
            final = levels1[-1]
            reason = np.where((final == 0) & (reason == "") & lost_mask,
                              "no selected term left when its group was split", reason)
            self.tree_ = tree1
            self.crossed_ = pd.DataFrame(columns=["class", "level1", "class1", "level2", "class2", "n", "chi2"])
        else:
            unit2, levels2, tree2, stopped2, _ = run(self.min_segment_size2)
            final, crossed = self._cross(levels1, levels2)
            reason = np.where((final == 0) & (reason == ""), "double classification: in no stable crossed class", reason)
            self.tree_ = pd.concat([tree1.assign(run=1), tree2.assign(run=2)], ignore_index=True)
            self.crossed_ = crossed
            stopped = stopped or stopped2
            if int(final.max()) < self.n_classes:
                stopped = (f"the double classification found {int(final.max())} disjoint stable classes "
                           f"(min_members={self.min_members}, min_chi2={self.min_chi2})")
        self.n_classes_ = int(final.max())
        self.stopped_ = stopped
        if stopped:
            warnings.warn(f"Reinert stopped at {self.n_classes_} classes: {stopped}", stacklevel=2)
        self._finish(tokens, seg, final, reason, x, counts)
        return self

    def _cross(self, levels1: np.ndarray, levels2: np.ndarray) -> tuple[np.ndarray, pd.DataFrame]:
        """rainette2: crossed classes of two hierarchies, the best partition into n_classes."""
        n = levels1.shape[1]
        cands = []
        for l1 in range(levels1.shape[0]):
            for l2 in range(levels2.shape[0]):
                a, b = levels1[l1], levels2[l2]
                ok = (a > 0) & (b > 0)
                pair, n_both = np.unique(a[ok] * 1000 + b[ok], return_counts=True)
                g1, g2 = pair // 1000, pair % 1000
                n1 = np.array([(a == g).sum() for g in g1])
                n2 = np.array([(b == g).sum() for g in g2])
                chi = _signed_chi2_2x2(n_both, n1, n2, n)
                for i in np.flatnonzero((n_both > self.min_members) & (chi > self.min_chi2)):
                    members = np.flatnonzero((a == g1[i]) & (b == g2[i]))
                    cands.append((l1 + 2, int(g1[i]), l2 + 2, int(g2[i]), int(n_both[i]), float(chi[i]), members))
        # one candidate per distinct set of members
        seen, uniq = set(), []
        for c in cands:
            key = c[6].tobytes()
            if key not in seen:
                seen.add(key)
                uniq.append(c)
        frame = pd.DataFrame([c[:6] for c in uniq], columns=["level1", "class1", "level2", "class2", "n", "chi2"])
        if len(frame) < 2:
            raise ValueError("Reinert(double=True): fewer than 2 crossed classes pass min_members and min_chi2; "
                             "lower min_members or use double=False")
        # keep the mutually best-associated pairs (rainette2's full=False)
        frame["g1"] = frame["level1"].astype(str) + "." + frame["class1"].astype(str)
        frame["g2"] = frame["level2"].astype(str) + "." + frame["class2"].astype(str)
        best2 = frame.loc[frame.groupby("g1")["chi2"].idxmax(), ["g1", "g2"]].set_index("g1")["g2"]
        best1 = frame.loc[frame.groupby("g2")["chi2"].idxmax(), ["g2", "g1"]].set_index("g2")["g1"]
        keep = [i for i in frame.index if best2[frame.at[i, "g1"]] == frame.at[i, "g2"] and best1[frame.at[i, "g2"]] == frame.at[i, "g1"]]
        frame = frame.loc[keep].reset_index(drop=True)
        members = [uniq[i][6] for i in keep]
        sets = [set(m.tolist()) for m in members]
        m = len(sets)
        disjoint = np.array([[i != j and not (sets[i] & sets[j]) for j in range(m)] for i in range(m)])
        best: tuple[float, int, tuple[int, ...]] | None = None
        by_k: dict[int, tuple[float, int, tuple[int, ...]]] = {}

        def extend(chosen: tuple[int, ...], chi: float, size: int) -> None:
            k = len(chosen)
            if k >= 2:
                cur = by_k.get(k)
                if cur is None or (chi, size) > (cur[0], cur[1]):
                    by_k[k] = (chi, size, chosen)
            if k == self.n_classes:
                return
            start = chosen[-1] + 1 if chosen else 0
            for j in range(start, m):
                if all(disjoint[i, j] for i in chosen):
                    extend(chosen + (j,), chi + frame.at[j, "chi2"], size + int(frame.at[j, "n"]))

        extend((), 0.0, 0)
        if not by_k:
            raise ValueError("Reinert(double=True): no partition of disjoint crossed classes was found")
        k = min(self.n_classes, max(by_k))
        best = by_k[k]
        final = np.zeros(n, dtype=np.int64)
        chosen = sorted(best[2], key=lambda j: (frame.at[j, "class1"], frame.at[j, "class2"]))
        for ci, j in enumerate(chosen):
            final[members[j]] = ci + 1
        out = frame.loc[chosen, ["level1", "class1", "level2", "class2", "n", "chi2"]].reset_index(drop=True)
        out.insert(0, "class", np.arange(1, len(chosen) + 1))
        return final, out

    def _finish(self, tokens: Tokens, seg: pd.DataFrame, final: np.ndarray, reason: np.ndarray,
                x: sp.csr_matrix, counts: sp.csr_matrix) -> None:
        k = int(final.max())
        classified = final > 0
        n_cls = int(classified.sum())
        # profiles: segments holding each term in each class vs the other classified segments
        ind = sp.csr_matrix((np.ones(n_cls), (final[classified] - 1, np.flatnonzero(classified))), shape=(k, len(final)))
        in_class = (ind @ x).toarray()
        freq = (ind @ counts).toarray()
        seg_per_class = np.bincount(final[classified] - 1, minlength=k).astype(float)
        term_total = in_class.sum(axis=0)
        a = in_class
        b = term_total[None, :] - in_class
        n1 = seg_per_class[:, None]
        n2 = n_cls - n1
        with np.errstate(divide="ignore", invalid="ignore"):
            chi = np.where((n1 > 0) & (n2 > 0), stats.chi2(a, b, n1 + 0 * a, n2 + 0 * a), 0.0)
            over = a / np.where(n1 > 0, n1, 1) > b / np.where(n2 > 0, n2, 1)
        signed = np.where(over, chi, -chi)
        keep_c, keep_t = np.nonzero(np.abs(signed) >= 3.84)
        prof = pd.DataFrame({
            "class": keep_c + 1, "term": np.array(self.vocabulary_, dtype=object)[keep_t],
            "chi2": signed[keep_c, keep_t], "p": stats.p_value(np.abs(signed[keep_c, keep_t])),
            "n_segments_class": a[keep_c, keep_t].astype(np.int64), "n_segments_term": term_total[keep_t].astype(np.int64),
            "percent": 100 * a[keep_c, keep_t] / np.where(term_total[keep_t] > 0, term_total[keep_t], 1),
            "frequency": freq[keep_c, keep_t].astype(np.int64),
        })
        prof["sign"] = np.where(prof["chi2"] > 0, "profile", "anti-profile")
        self.profiles_ = prof.sort_values(["class", "chi2", "term"], ascending=[True, False, True], kind="stable").reset_index(drop=True)
        # characteristic segments: sum of the positive χ² of their class's terms they hold
        pos = np.where(signed > 0, signed, 0.0)
        # summed over the non-zeros only (a dense segments × terms matrix would not fit)
        rows = np.flatnonzero(classified)
        coo = x[rows].tocoo()
        score = np.zeros(len(final))
        score[rows] = np.bincount(coo.row, weights=pos[final[rows][coo.row] - 1, coo.col], minlength=len(rows))
        starts, ends = seg["start"].to_numpy(), seg["end"].to_numpy()
        doc = seg["doc"].to_numpy()
        if tokens.texts is not None:
            cs, ce = tokens.starts[starts], tokens.ends[ends - 1]
            texts = [" ".join(tokens.texts[d][s:e].split()) for d, s, e in zip(doc.tolist(), cs.tolist(), ce.tolist())]
            offsets = (cs, ce)
        else:
            forms, fcodes = tokens.vocab("form"), tokens.codes("form")
            texts = [" ".join(forms[c] for c in fcodes[s:e]) for s, e in zip(starts.tolist(), ends.tolist())]
            offsets = (starts - tokens.doc_offsets[doc], ends - tokens.doc_offsets[doc])
        cls_col = pd.array(np.where(classified, final, 0), dtype="Int64")
        cls_col[~classified] = pd.NA
        self.segments_ = pd.DataFrame({
            "doc_id": np.array(tokens.doc_ids, dtype=object)[doc], "start": offsets[0], "end": offsets[1],
            "text": texts, "class": cls_col, "reason": reason, "score": score,
        })
        self.classes_ = pd.DataFrame({"class": np.arange(1, k + 1), "n_segments": seg_per_class.astype(np.int64),
                                      "percent": 100 * seg_per_class / max(n_cls, 1)})
        empty = self.classes_.loc[self.classes_["n_segments"] == 0, "class"].tolist()
        if empty:
            warnings.warn(f"Reinert: class(es) {empty} hold no segment", stacklevel=3)
        self._doc_classes(tokens)

    def _doc_classes(self, tokens: Tokens) -> None:
        seg = self.segments_.dropna(subset=["class"])
        if len(seg):
            counts = seg.groupby(["doc_id", "class"]).size().reset_index(name="n")
            counts = counts.sort_values(["doc_id", "n", "class"], ascending=[True, False, True], kind="stable")
            top = counts.drop_duplicates("doc_id").set_index("doc_id")["class"]
        else:
            top = pd.Series([], dtype="Int64")
        self.doc_classes_ = top.reindex(tokens.doc_ids).astype("Int64").rename("class")
        self.doc_classes_.index.name = "doc_id"

    # ------------------------------------------------------------------ reading
    def characteristic_segments(self, klass: int, n: int = 10) -> pd.DataFrame:
        """The ``n`` segments of class ``klass`` holding the most of its profile (largest score)."""
        self._check_fitted("segments_")
        if not 1 <= klass <= self.n_classes_:
            raise ValueError(f"class {klass} does not exist (classes 1..{self.n_classes_})")
        seg = self.segments_[self.segments_["class"] == klass]
        return seg.sort_values(["score", "doc_id", "start"], ascending=[False, True, True], kind="stable").head(n)

    def profile(self, klass: int, n: int = 20, sign: str = "profile") -> pd.DataFrame:
        """The ``n`` terms of the profile (or anti-profile) of class ``klass``."""
        self._check_fitted("profiles_")
        p = self.profiles_[(self.profiles_["class"] == klass) & (self.profiles_["sign"] == sign)]
        return p.sort_values("chi2", ascending=(sign != "profile"), kind="stable").head(n).reset_index(drop=True)

    def crosstab(self, metadata: pd.Series | pd.DataFrame, column: str | None = None) -> pd.DataFrame:
        """Segments by class × a metadata value of their document, with the signed χ² of each cell.

        ``metadata`` is a Series indexed by doc_id, or the metadata table with ``column``.
        Long format: class, value, n, expected, chi2 (signed), p.
        """
        self._check_fitted("segments_")
        if isinstance(metadata, pd.DataFrame):
            if column is None or column not in metadata.columns:
                raise KeyError(f"give column= one of {list(metadata.columns)}")
            metadata = metadata.set_index("doc_id")[column]
        seg = self.segments_.dropna(subset=["class"])
        values = seg["doc_id"].map(metadata)
        table = pd.crosstab(seg["class"][values.notna()], values[values.notna()])
        total = table.to_numpy().sum()
        rows = []
        for c in table.index:
            for v in table.columns:
                a = table.at[c, v]
                n1 = table.loc[c].sum()
                col = table[v].sum()
                chi = float(_signed_chi2_2x2(np.array([a]), np.array([n1]), np.array([col]), total)[0])
                rows.append((int(c), v, int(a), n1 * col / total, chi, float(stats.p_value(abs(chi)))))
        return pd.DataFrame(rows, columns=["class", "value", "n", "expected", "chi2", "p"])

    # ------------------------------------------------------------------ storage
    def save(self, path) -> Any:
        """Write the fitted classification (see :mod:`discourse.storage`)."""
        return storage.save(self, path)

    @classmethod
    def load(cls, path) -> Reinert:
        """Read a classification written by :meth:`save`."""
        return storage.load(path, expected=cls)

    def _get_state(self) -> dict[str, Any]:
        self._check_fitted("segments_")
        seg = self.segments_.copy()
        return {
            "info": {"vocabulary": self.vocabulary_, "stopped": self.stopped_, "n_classes": self.n_classes_},
            "tables": {"segments": seg, "profiles": self.profiles_, "tree": self.tree_, "classes": self.classes_,
                       "crossed": self.crossed_.astype({c: "float64" for c in self.crossed_.columns}) if len(self.crossed_) == 0 else self.crossed_,
                       "doc_classes": self.doc_classes_.reset_index()},
        }

    @classmethod
    def _from_state(cls, params, info, arrays, tables) -> Reinert:
        obj = cls(**params)
        obj.vocabulary_ = list(info["vocabulary"])
        obj.stopped_ = info["stopped"]
        obj.n_classes_ = int(info["n_classes"])
        seg = tables["segments"]
        need = {"doc_id", "start", "end", "text", "class", "reason", "score"}
        if not need <= set(seg.columns):
            raise ValueError(f"segments table lacks {sorted(need - set(seg.columns))}")
        seg["class"] = seg["class"].astype("Int64")
        if seg["class"].max(skipna=True) is not pd.NA and len(seg) and seg["class"].max() > obj.n_classes_:
            raise ValueError("a segment has a class beyond n_classes")
        obj.segments_ = seg
        obj.profiles_ = tables["profiles"]
        obj.tree_ = tables["tree"]
        obj.classes_ = tables["classes"]
        if len(obj.classes_) != obj.n_classes_:
            raise ValueError(f"{len(obj.classes_)} class rows for {obj.n_classes_} classes")
        obj.crossed_ = tables["crossed"]
        dc = tables["doc_classes"].set_index("doc_id")["class"].astype("Int64")
        obj.doc_classes_ = dc
        return obj
