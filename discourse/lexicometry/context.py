"""Context of words and frames: concordances, collocations, co-occurrence, segments, progression.

Queries use the pattern language of frame dictionaries (a word, a lemma, an expression, a
prefix wildcard ``terroris*``), or name a frame of a dictionary. Concordances show the
*original* text around each hit, cut at token offsets.

Example
-------
>>> from discourse.tokens import Tokens
>>> toks = Tokens.from_lists([["prévenir", "l'", "extrémisme", "violent", "en", "Europe"]], doc_ids=["d"])
>>> kwic(toks, "extrémisme violent", window=2)[["left", "match", "right"]].values.tolist()
[["prévenir l'", 'extrémisme violent', 'en Europe']]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from discourse.base import deprecated_alias
from discourse.lexicometry import stats
from discourse.lexicometry.counts import FREQUENCIES, _set_rate_attrs, check_count_params, count_table
from discourse.lexicometry.selection import _check_not_empty
from discourse.patterns.dictionary import FrameDictionary
from discourse.patterns.match import document_hit_counts, find_hits, hits_frame
from discourse.tokens import Tokens

# Queries are written in the pattern language of frame dictionaries and matched by the pattern
# matcher (discourse.patterns, below both lexicometry and frames): lexicometry never imports frames.

__all__ = ["kwic", "collocations", "cooccurrence", "repeated_segments", "progression"]


def match_on_parameter(function: str, match_on: str, by: str | None) -> str:
    """``match_on``, or the deprecated ``by`` (its former name) when that was given instead.

    ``by=`` names a metadata column to group by everywhere else in the library (``count_frames``,
    ``specificities``, ``topic_prevalence``); what a query is matched on is ``match_on=``.

    >>> match_on_parameter("kwic", "form", None)
    'form'
    """
    if by is None:
        return match_on
    if match_on != "any":
        raise TypeError(f"{function}: give match_on= only (by= is its deprecated former name)")
    deprecated_alias(f"{function}(by=)", "match_on= (by= names a metadata column to group by elsewhere)", stacklevel=4)
    return by


def _query_hits(tokens: Tokens, query: str | Sequence[str], by: str, dictionary: FrameDictionary | str | None, case_sensitive: bool,
                excluded: bool = False):
    """Hits of a query: patterns matched on lemma/form, or the frame named by ``by``."""
    if by in ("lemma", "form", "any"):
        patterns = [query] if isinstance(query, str) else list(query)
        d = FrameDictionary.from_patterns(patterns, frame="query", case_sensitive=case_sensitive)
        attributes = ("lemma", "form") if by == "any" else (by,)
        return find_hits(tokens, d, attributes, excluded=excluded)
    if by == "frame":
        d = FrameDictionary.coerce(dictionary)
        names = [query] if isinstance(query, str) else list(query)
        return find_hits(tokens, d.select(names), excluded=excluded)
    raise ValueError(f"match_on must be 'lemma', 'form', 'any' or 'frame', not {by!r}")


def _clean(text: str) -> str:
    return " ".join(text.split())


def kwic(
    tokens: Tokens,
    query: str | Sequence[str],
    window: int = 10,
    by: str | None = None,
    *,
    match_on: str = "any",
    dictionary: FrameDictionary | str | None = None,
    case_sensitive: bool = False,
    include_excluded: bool = True,
) -> pd.DataFrame:
    """Keyword in context: every hit of ``query`` with ``window`` tokens of original text each side.

    ``match_on="any"`` matches the query on lemmas and forms, ``"lemma"`` or ``"form"`` on one of
    them, and ``"frame"`` reads ``query`` as the name of a frame of ``dictionary`` (default
    dictionary if None); ``by=`` is the deprecated former name of ``match_on=``. Returns
    ``doc_id``, ``left``, ``match``, ``right`` (original text,
    whitespace collapsed), ``start``/``end`` (offsets of the match), ``pattern``, ``status``
    (``"counted"``, or ``"excluded"`` for a hit an exclusion or context rule of the dictionary
    rules out) and ``excluded_by`` (the rule). Excluded hits are shown unless
    ``include_excluded=False``; ``attrs["excluded"]`` says how many there are.

    >>> from discourse.tokens import Tokens
    >>> toks = Tokens.from_lists([["la", "menace", "terroriste", "reste", "élevée"]])
    >>> kwic(toks, "counter_terrorism", window=1, match_on="frame")[["left", "match", "right"]].values.tolist()
    [['menace', 'terroriste', 'reste']]
    """
    by = match_on_parameter("kwic", match_on, by)
    if window < 0:
        raise ValueError("window must be >= 0")
    hits = _query_hits(tokens, query, by, dictionary, case_sensitive, excluded=True)
    table = hits_frame(tokens, hits)
    doc = hits.documents(tokens)
    first = tokens.doc_offsets[doc]
    last = tokens.doc_offsets[doc + 1] - 1
    left_tok = np.maximum(hits.position - window, first)
    right_tok = np.minimum(hits.position + hits.length - 1 + window, last)
    lefts, rights = [], []
    for i, d in enumerate(doc.tolist()):
        s, e = int(table["start"].iat[i]), int(table["end"].iat[i])
        if tokens.texts is not None:
            text = tokens.texts[d]
            ls = int(tokens.starts[left_tok[i]])
            re_ = int(tokens.ends[right_tok[i]])
            lefts.append(_clean(text[ls:s]) if window else "")
            rights.append(_clean(text[e:re_]) if window else "")
        else:
            fv, fc = tokens.vocab("form"), tokens.codes("form")
            lefts.append(" ".join(fv[c] for c in fc[left_tok[i] : hits.position[i]]))
            rights.append(" ".join(fv[c] for c in fc[hits.position[i] + hits.length[i] : right_tok[i] + 1]))
    out = pd.DataFrame(
        {
            "doc_id": table["doc_id"],
            "left": lefts,
            "match": [_clean(t) for t in table["text"]],
            "right": rights,
            "start": table["start"],
            "end": table["end"],
            "pattern": table["pattern"],
            "frame": table["frame"],
            "status": np.where(hits.excluded, "excluded", "counted"),
            "excluded_by": [hits.rules[r][1].describe() if r >= 0 else "" for r in (hits.rule if hits.rule is not None else np.full(len(hits), -1)).tolist()],
        },
        columns=["doc_id", "left", "match", "right", "start", "end", "pattern", "frame", "status", "excluded_by"],
    )
    if by != "frame":
        out = out.drop(columns="frame")
    if not include_excluded:
        out = out[out["status"] == "counted"].reset_index(drop=True)
    out.attrs["query"] = query
    out.attrs["excluded"] = int(hits.excluded.sum())
    return out


def collocations(
    tokens: Tokens,
    term: str | Sequence[str],
    window: int = 5,
    measure: str = "llr",
    *,
    attribute: str = "lemma",
    match_on: str = "any",
    dictionary: FrameDictionary | str | None = None,
    min_count: int = 3,
    by: str | None = None,
) -> pd.DataFrame:
    """Collocates of a term within ``window`` tokens each side (same document).

    The table per collocate: ``n_ii`` co-occurrences, ``n_ix`` the window slots around the
    node, ``n_xi`` the collocate's frequency, ``n_xx`` the corpus size, and the association
    measures ``llr`` (log-likelihood), ``pmi`` and ``t`` (t-score), nltk's formulas. Sorted by
    ``measure``; collocates seen fewer than ``min_count`` times near the node are left out.
    ``match_on`` says what the term is matched on, as in :func:`kwic` (``by=``, its former name,
    is deprecated).

    >>> from discourse.tokens import Tokens
    >>> toks = Tokens.from_lists([["état", "d'", "urgence", "prorogé"] * 3 + ["budget"] * 20])
    >>> collocations(toks, "urgence", window=1, min_count=2)["collocate"].tolist()
    ["d'", 'prorogé']
    """
    by = match_on_parameter("collocations", match_on, by)
    if measure not in ("llr", "pmi", "t"):
        raise ValueError(f"measure must be 'llr', 'pmi' or 't', not {measure!r}")
    _check_not_empty(tokens)
    hits = _query_hits(tokens, term, by, dictionary, False)
    codes = tokens.codes(attribute)
    n = tokens.n_tokens
    doc = hits.documents(tokens)
    first = tokens.doc_offsets[doc]
    last = tokens.doc_offsets[doc + 1]
    # window slots around each node, clipped at the document edges; nodes themselves excluded
    in_window = np.zeros(n, dtype=np.int64)
    node = np.zeros(n + 1, dtype=np.int64)
    for p, k, a, b in zip(hits.position.tolist(), hits.length.tolist(), first.tolist(), last.tolist()):
        in_window[max(p - window, a) : p] += 1
        in_window[p + k : min(p + k + window, b)] += 1
        node[p : p + k] = 1
    in_window[node[:n] == 1] = 0
    n_ix = int(in_window.sum())
    vocab_size = len(tokens.vocab(attribute))
    n_ii = np.bincount(codes, weights=in_window, minlength=vocab_size).astype(np.int64)
    n_xi = np.bincount(codes, minlength=vocab_size)
    keep = n_ii >= min_count
    measures = stats.association(n_ii[keep], n_ix, n_xi[keep], n)
    table = pd.DataFrame({"collocate": np.array(tokens.vocab(attribute), dtype=object)[keep], "n_ii": n_ii[keep], "n_ix": n_ix, "n_xi": n_xi[keep], "n_xx": n})
    table = pd.concat([table, measures], axis=1)
    table = table.sort_values([measure, "collocate"], ascending=[False, True], kind="stable").reset_index(drop=True)
    table.attrs.update(term=term, window=window, nodes=len(hits))
    return table


def cooccurrence(
    tokens: Tokens,
    dictionary: FrameDictionary | str | None = None,
    unit: str = "sentence",
    window: int = 20,
) -> pd.DataFrame:
    """How often two frames appear in the same unit, with a G² association.

    ``unit`` is ``"sentence"`` (the ``sents`` numbering of the tokens), ``"document"``, or
    ``"window"``: sliding windows of ``window`` consecutive tokens within a document, one
    starting at every token (a shorter document is one window), so two hits less than
    ``window`` tokens apart always share a window. Sliding windows overlap, so they are not
    independent units: ``g2`` is descriptive there and ``p_value`` is NaN. One row per
    pair of frames (``frame_a`` <= ``frame_b`` in dictionary order; the diagonal gives the
    units holding each frame): ``both`` (units with both), ``n_a``, ``n_b``, ``units``,
    ``expected`` (under independence), ``g2``, ``p_value`` and ``log_odds``-free ``ratio``
    (observed / expected).

    >>> from discourse.tokens import Tokens
    >>> toks = Tokens.from_lists([["terrorisme", "et", "état", "de", "droit"], ["menace"]])
    >>> t = cooccurrence(toks, unit="document")
    >>> int(t.query("frame_a == 'rule_of_law' and frame_b == 'counter_terrorism'")["both"].iloc[0])
    1
    """
    _check_not_empty(tokens)
    dictionary = FrameDictionary.coerce(dictionary)
    hits = find_hits(tokens, dictionary)
    frames = hits.frames
    doc_of_token = tokens.doc_index()
    if unit == "sentence":
        key = doc_of_token * (int(tokens.sents.max()) + 1 if tokens.n_tokens else 1) + tokens.sents
    elif unit == "document":
        key = doc_of_token
    elif unit == "window":
        if window < 1:
            raise ValueError("window must be >= 1")
    else:
        raise ValueError(f"unit must be 'sentence', 'document' or 'window', not {unit!r}")
    if unit == "window":
        presence = _sliding_presence(tokens, hits, len(frames), window)
        n_units = presence.shape[0]
        n_f = presence.sum(axis=0).astype(np.int64)
        both = np.array([[int((presence[:, i] & presence[:, j]).sum()) for j in range(len(frames))] for i in range(len(frames))], dtype=np.int64).reshape(len(frames), len(frames))
    else:
        unit_ids, unit_of_token = np.unique(key, return_inverse=True)
        n_units = len(unit_ids)
        presence = np.zeros((n_units, len(frames)), dtype=bool)
        presence[unit_of_token[hits.position], hits.frame] = True
        x = presence.astype(np.int64)
        both = x.T @ x
        n_f = x.sum(axis=0)
    rows = []
    for i in range(len(frames)):
        for j in range(i, len(frames)):
            rows.append((frames[i], frames[j], int(both[i, j]), int(n_f[i]), int(n_f[j])))
    table = pd.DataFrame(rows, columns=["frame_a", "frame_b", "both", "n_a", "n_b"])
    table["units"] = n_units
    table["expected"] = table["n_a"] * table["n_b"] / n_units
    # 2x2 table over units: (a present?) x (b present?) — G² of the same layout as keyness
    a = table["both"].to_numpy(float)
    b = (table["n_b"] - table["both"]).to_numpy(float)
    n1 = table["n_a"].to_numpy(float)
    n2 = (n_units - table["n_a"]).to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where((n1 > 0) & (n2 > 0), stats.g2(a, b, np.maximum(n1, a), np.maximum(n2, b)), np.nan)
        table["ratio"] = np.where(table["expected"] > 0, table["both"] / table["expected"], np.nan)
    table["g2"] = g
    table["p_value"] = stats.p_value(np.nan_to_num(g, nan=0.0))
    table.loc[np.isnan(g), "p_value"] = np.nan
    if unit == "window":
        table["p_value"] = np.nan  # overlapping windows are not independent units
    table.attrs["unit"] = unit
    return table


def _sliding_presence(tokens: Tokens, hits, n_frames: int, window: int) -> np.ndarray:
    """Windows × frames: does the window of ``window`` tokens starting at each token hold a hit?"""
    lengths = tokens.lengths
    n_windows = np.maximum(lengths - window + 1, np.minimum(lengths, 1))
    starts = np.repeat(tokens.doc_offsets[:-1], n_windows) + (
        np.arange(n_windows.sum()) - np.repeat(np.cumsum(n_windows) - n_windows, n_windows))
    stops = np.minimum(starts + window, np.repeat(tokens.doc_offsets[1:], n_windows))
    presence = np.zeros((len(starts), n_frames), dtype=bool)
    for f in range(n_frames):
        marks = np.zeros(tokens.n_tokens + 1, dtype=np.int64)
        np.add.at(marks, hits.position[hits.frame == f] + 1, 1)
        cum = np.cumsum(marks)
        presence[:, f] = cum[stops] - cum[starts] > 0
    return presence


def repeated_segments(
    tokens: Tokens,
    min_length: int = 2,
    max_length: int = 6,
    min_count: int = 2,
    *,
    attribute: str = "form",
    lowercase: bool = True,
) -> pd.DataFrame:
    """Repeated segments (Salem): sequences of ``min_length``..``max_length`` tokens seen at least ``min_count`` times.

    Segments never cross a document, a sentence or a punctuation token (a token with no
    letter or digit), as in Lexico and TXM. Returns ``segment``, ``length``, ``count`` and
    ``n_docs``, sorted by decreasing count then length.

    >>> from discourse.tokens import Tokens
    >>> toks = Tokens.from_lists([["état", "d'", "urgence", ".", "état", "d'", "urgence"]])
    >>> repeated_segments(toks).values.tolist()
    [["état d' urgence", 3, 2, 1], ["d' urgence", 2, 2, 1], ["état d'", 2, 2, 1]]
    """
    if not 1 <= min_length <= max_length:
        raise ValueError("need 1 <= min_length <= max_length")
    _check_not_empty(tokens)
    vocab = tokens.vocab(attribute)
    if lowercase:
        folded = [s.casefold() for s in vocab]
        uniq = {s: i for i, s in enumerate(dict.fromkeys(folded))}
        remap = np.array([uniq[s] for s in folded], dtype=np.int64)
        codes = remap[tokens.codes(attribute)]
        words = list(uniq)
    else:
        codes = tokens.codes(attribute).astype(np.int64)
        words = list(vocab)
    is_punct = np.array([not any(ch.isalnum() for ch in w) for w in words], dtype=bool)
    n = len(codes)
    doc = tokens.doc_index()
    ok = ~is_punct[codes]
    # link[i]: token i+1 continues the segment of token i (same document and sentence)
    link = np.zeros(n, dtype=bool)
    if n > 1:
        link[:-1] = (doc[1:] == doc[:-1]) & (tokens.sents[1:] == tokens.sents[:-1]) & ok[1:]
    ids = codes.copy()  # id of the n-gram starting at each position
    valid = ok.copy()
    base = np.int64(len(words) + 1)
    rows = []
    for length in range(1, max_length + 1):
        if length > 1:
            m = n - length + 1
            if m <= 0:
                break
            valid = valid[:m] & link[length - 2 : length - 2 + m]
            # renumber (previous id, next code) pairs densely so ids never overflow
            pair = ids[:m] * base + codes[length - 1 : length - 1 + m]
            _, ids = np.unique(np.where(valid, pair, -1), return_inverse=True)
            ids = ids.astype(np.int64)
        if length < min_length:
            continue
        sel = np.flatnonzero(valid)
        if not len(sel):
            break
        uniq_ids, first, counts = np.unique(ids[sel], return_index=True, return_counts=True)
        frequent = counts >= min_count
        if not frequent.any():
            break
        # documents per segment: distinct (segment, document) pairs
        n_doc_total = np.int64(len(tokens) + 1)
        pairs = np.unique(ids[sel] * n_doc_total + doc[sel])
        docs_per_id = np.bincount(np.searchsorted(uniq_ids, pairs // n_doc_total), minlength=len(uniq_ids))
        for f0, c, nd in zip(first[frequent].tolist(), counts[frequent].tolist(), docs_per_id[frequent].tolist()):
            start = int(sel[f0])
            rows.append((" ".join(words[x] for x in codes[start : start + length]), length, c, nd))
    table = pd.DataFrame(rows, columns=["segment", "length", "count", "n_docs"])
    return table.sort_values(["count", "length", "segment"], ascending=[False, False, True], kind="stable").reset_index(drop=True)


def progression(
    tokens: Tokens,
    query: str | Sequence[str],
    freq: str | None = None,
    *,
    match_on: str = "any",
    dictionary: FrameDictionary | str | None = None,
    date_column: str = "date",
    ci: str | None = "poisson",
    by: str | None = None,
) -> pd.DataFrame:
    """Progression of one or several queries through the corpus.

    Without ``freq``: TXM-style cumulative curve, one row per hit, ``query``, ``position``
    (global token index in corpus order), ``doc_id``, ``cumulative``. With ``freq`` (``"M"``,
    ``"Y"``...): one row per query and period with ``count``, ``tokens``, ``rate_per_10k``,
    intervals and ``cumulative`` (the table of :func:`discourse.frames.count_frames`, from :func:`discourse.lexicometry.counts.count_table`; empty periods kept).
    ``match_on="frame"`` reads the queries as frame names of ``dictionary`` (``by=``, its former
    name, is deprecated).

    >>> from discourse.tokens import Tokens
    >>> toks = Tokens.from_lists([["terrorisme", "menace", "terroriste"]])
    >>> progression(toks, "terroris*")[["position", "cumulative"]].values.tolist()
    [[0, 1], [2, 2]]
    """
    by = match_on_parameter("progression", match_on, by)
    _check_not_empty(tokens)
    queries = [query] if isinstance(query, str) else list(query)
    if by == "frame":
        d = FrameDictionary.coerce(dictionary).select(queries)
    elif by in ("lemma", "form", "any"):
        # one frame per query, so each query is counted on its own
        d = FrameDictionary.from_dict({"frames": {q: {"concepts": {"query": {"patterns": [q]}}} for q in queries}}, source="<progression>")
    else:
        raise ValueError(f"match_on must be 'lemma', 'form', 'any' or 'frame', not {by!r}")
    if freq is not None:
        if str(freq).upper() not in FREQUENCIES:
            raise ValueError(f"freq must be one of {sorted(FREQUENCIES)}, not {freq!r}")
        check_count_params(freq=freq, date_column=date_column, ci=ci, n_boot=1000, level=0.95, random_state=0)
        counts, excluded, names, hits = document_hit_counts(tokens, d)
        table = count_table(tokens, counts, excluded, names, freq=freq, date_column=date_column, ci=ci, caller="progression")
        _set_rate_attrs(table, tokens, hits, d)
        table = table.rename(columns={"frame": "query"})
        table["cumulative"] = table.groupby("query", sort=False)["count"].cumsum()
        return table
    attributes = ("lemma", "form") if by in ("any", "frame") else (by,)
    hits = find_hits(tokens, d, attributes)
    rows = []
    for f, q in enumerate(hits.frames):
        pos = hits.position[hits.frame == f]
        docs = np.searchsorted(tokens.doc_offsets, pos, side="right") - 1
        rows.append(pd.DataFrame({"query": q, "position": pos, "doc_id": [tokens.doc_ids[i] for i in docs], "cumulative": np.arange(1, len(pos) + 1)}))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["query", "position", "doc_id", "cumulative"])
