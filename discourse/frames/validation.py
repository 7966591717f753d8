"""Validating a frame dictionary: sample hits, code them by hand, measure precision.

The loop a researcher follows (see ``docs/frames.md`` and notebook 05):

1. :func:`sample_hits` draws a reproducible sample of counted hits, stratified by frame
   (or concept, or pattern), from one or several preprocessed corpora, as a *coding sheet*:
   one row per hit with its KWIC context, ids, a hash of the context and an empty
   ``relevant`` column. :func:`near_misses` draws sentences holding a frame's words that the
   dictionary did not count (to estimate what it misses).
2. :func:`write_sheet` writes it as CSV; a coder fills ``relevant`` with true/false (also
   accepted: 1/0, yes/no, oui/non).
3. :func:`read_sheet` reads it back and refuses, naming the rows, missing or non-boolean
   codes, rows that are not in the drawn sample, rows that were lost and edited contexts.
4. :func:`precision` gives precision per pattern, concept and frame with Wilson intervals;
   :func:`agreement` gives Cohen's κ and Krippendorff's α when two coders' columns exist.

Each row carries ``weight`` (hits of its stratum / rows drawn from it), so that a sample
stratified by pattern still estimates the precision of a concept or frame over its hits.

Example
-------
>>> from discourse.tokens import Tokens
>>> toks = Tokens.from_lists([["la", "sécurité", "des", "Français"], ["le", "terrorisme"]], doc_ids=["a", "b"])
>>> sheet = sample_hits(toks, n=5, random_state=0)
>>> sheet[["doc_id", "frame", "match", "relevant"]].values.tolist()
[['b', 'counter_terrorism', 'terrorisme', ''], ['a', 'security_threat', 'sécurité des Français', '']]
>>> sheet["relevant"] = ["true", "true"]
>>> precision(read_sheet(sheet), by="frame")[["frame", "n", "precision"]].values.tolist()
[['counter_terrorism', 1, 1.0], ['security_threat', 1, 1.0]]
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from discourse.lexicometry.context import kwic
from discourse.patterns.dictionary import FrameDictionary
from discourse.patterns.match import _FUNCTION_WORDS, find_hits
from discourse.tokens import Tokens

__all__ = ["sample_hits", "near_misses", "write_sheet", "read_sheet", "precision", "wilson_interval", "agreement",
           "still_counted", "SheetError", "SHEET_COLUMNS"]

SHEET_COLUMNS = ["hit_id", "kind", "corpus", "doc_id", "frame", "concept", "pattern", "start", "end", "left", "match",
                 "right", "context_hash", "stratum", "stratum_hits", "weight", "relevant"]
_TRUE = {"true", "1", "yes", "oui", "y", "o", "vrai"}
_FALSE = {"false", "0", "no", "non", "n", "faux"}
_LEVELS = ("pattern", "concept", "frame")


class SheetError(ValueError):
    """A coding sheet that cannot be scored; the message names every faulty row."""


def context_hash(left: str, match: str, right: str) -> str:
    """A short hash of a KWIC context (to detect contexts edited in the sheet).

    >>> context_hash("la", "sécurité", "des Français")
    '3934abb3010f'
    """
    return hashlib.sha256("\x1f".join((left, match, right)).encode("utf-8")).hexdigest()[:12]


def _as_corpora(tokens: Tokens | Mapping[str, Tokens]) -> dict[str, Tokens]:
    if isinstance(tokens, Tokens):
        return {"corpus": tokens}
    if isinstance(tokens, Mapping) and tokens and all(isinstance(t, Tokens) for t in tokens.values()):
        return dict(tokens)
    raise TypeError("tokens must be a Tokens object or a non-empty mapping of corpus name to Tokens")


def sample_hits(
    tokens: Tokens | Mapping[str, Tokens],
    dictionary: FrameDictionary | str | None = None,
    *,
    per: str = "frame",
    n: int = 30,
    window: int = 12,
    random_state: int = 0,
) -> pd.DataFrame:
    """A reproducible coding sheet: up to ``n`` counted hits drawn at random per ``per`` stratum.

    Parameters
    ----------
    tokens : one preprocessed corpus, or ``{corpus name: Tokens}`` (hits are pooled across them).
    dictionary : the dictionary to validate (the default dictionary if None).
    per : ``"frame"``, ``"concept"`` or ``"pattern"``: the strata sampled separately.
    n : rows drawn per stratum (all its hits when it has fewer).
    window : tokens of original text each side of the hit.
    random_state : seed; the same seed, corpora and dictionary give the same sheet.

    Returns
    -------
    The sheet (columns :data:`SHEET_COLUMNS`), in random order within no particular
    stratum so that coders are not primed by the pattern; ``relevant`` is empty.

    >>> from discourse.tokens import Tokens
    >>> toks = Tokens.from_lists([["menace", "terroriste"]] * 3, doc_ids=["a", "b", "c"])
    >>> sample_hits(toks, n=2, random_state=1)["doc_id"].tolist() == sample_hits(toks, n=2, random_state=1)["doc_id"].tolist()
    True
    """
    if per not in _LEVELS:
        raise ValueError(f"per must be one of {list(_LEVELS)}, not {per!r}")
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n must be a positive whole number, not {n!r}")
    dictionary = FrameDictionary.coerce(dictionary)
    parts = []
    for name, toks in _as_corpora(tokens).items():
        k = kwic(toks, dictionary.frame_names, window=window, match_on="frame", dictionary=dictionary, include_excluded=False)
        concept = {p.text: p.concept for p in dictionary.all_patterns()}
        k.insert(0, "corpus", name)
        k["concept"] = k["pattern"].map(concept)
        parts.append(k)
    hits = pd.concat(parts, ignore_index=True)
    hits["stratum"] = hits[per] if per != "pattern" else hits["frame"] + " / " + hits["pattern"]
    if per == "concept":
        hits["stratum"] = hits["frame"] + " / " + hits["concept"]
    rng = np.random.default_rng(random_state)
    rows = []
    for stratum in sorted(hits["stratum"].unique()):
        idx = np.flatnonzero(hits["stratum"].to_numpy() == stratum)
        take = np.sort(rng.choice(idx, size=min(n, len(idx)), replace=False))
        block = hits.iloc[take].copy()
        block["stratum_hits"] = len(idx)
        block["weight"] = len(idx) / len(take)
        rows.append(block)
    sheet = pd.concat(rows, ignore_index=True) if rows else hits.head(0).assign(stratum_hits=0, weight=0.0)
    sheet = sheet.iloc[rng.permutation(len(sheet))].reset_index(drop=True)
    sheet["kind"] = "hit"
    sheet["hit_id"] = [f"{c}:{d}:{s}-{e}:{f}" for c, d, s, e, f in zip(sheet["corpus"], sheet["doc_id"], sheet["start"], sheet["end"], sheet["frame"])]
    sheet["context_hash"] = [context_hash(a, b, c) for a, b, c in zip(sheet["left"], sheet["match"], sheet["right"])]
    sheet["relevant"] = ""
    sheet = sheet[SHEET_COLUMNS]
    sheet.attrs.update(per=per, n=n, random_state=random_state, dictionary=dictionary.source, window=window)
    return sheet


def _content_words(words: Sequence[str]) -> list[str]:
    return [w for w in words if w.casefold() not in _FUNCTION_WORDS and len(w.rstrip("*")) > 2]


def near_misses(
    tokens: Tokens | Mapping[str, Tokens],
    dictionary: FrameDictionary | str | None = None,
    *,
    n: int = 20,
    probes: Mapping[str, Sequence[str]] | None = None,
    random_state: int = 0,
) -> pd.DataFrame:
    """Sentences that come close to a frame without a counted hit of it, ``n`` drawn per frame.

    A sentence is a near miss of a frame when it has no counted hit of the frame and

    - it holds every content word of one of the frame's multiword patterns, apart or in
      another order (« individus potentiellement dangereux » for « individu* dangereu* »), or
    - it holds a hit of the frame that a rule excluded (to check that exclusions do not
      remove true senses), or
    - it holds one of the ``probes`` words given for the frame (``{"security_threat":
      ["sécurité", "danger*"]}``: words a revision dropped, to measure what that cost).

    A coder marks ``relevant`` true when the sentence does express the frame: those are
    what the dictionary misses. ``stratum_hits`` is the number of near-miss sentences of the
    frame, so the share coded relevant × ``stratum_hits`` estimates the sentences it misses
    (among sentences that come this close; misses in other words are not estimated).
    Rows have the layout of :func:`sample_hits`: ``match`` is the word that brought the
    sentence in, ``left``/``right`` the rest of the sentence, ``pattern`` why it is a near miss.

    >>> from discourse.tokens import Tokens
    >>> toks = Tokens.from_lists([["des", "individus", "très", "dangereux"], ["la", "menace"]], doc_ids=["a", "b"])
    >>> near_misses(toks, n=5)[["doc_id", "frame", "match", "pattern"]].values.tolist()
    [['a', 'security_threat', 'individus', 'words of individu* dangereu*']]
    """
    dictionary = FrameDictionary.coerce(dictionary)
    probes = dict(probes or {})
    unknown = [f for f in probes if f not in dictionary.frame_names]
    if unknown:
        raise KeyError(f"probes name frames that are not in the dictionary: {unknown}; frames are {dictionary.frame_names}")
    rng = np.random.default_rng(random_state)
    corpora = _as_corpora(tokens)
    rows = []
    for name, toks in corpora.items():
        doc_of = toks.doc_index()
        sent_key = doc_of.astype(np.int64) * (int(toks.sents.max()) + 1 if toks.n_tokens else 1) + toks.sents
        hits = find_hits(toks, dictionary, excluded=True)
        for f, frame in enumerate(dictionary.frame_names):
            mine = hits.frame == f
            covered = set(sent_key[hits.position[mine & ~hits.excluded]].tolist())
            found: dict[int, tuple[int, str]] = {}  # sentence -> (position of the word, reason)
            for pos in hits.position[mine & hits.excluded].tolist():
                found.setdefault(int(sent_key[pos]), (pos, "excluded hit"))
            multi = [(p.text, _content_words(p.words)) for p in dictionary[frame].patterns if len(p.words) > 1]
            multi = [(t, c) for t, c in multi if len(c) > 1]
            words = sorted({w for _, c in multi for w in c} | set(probes.get(frame, [])))
            where: dict[str, dict[int, int]] = {}
            for lo in range(0, len(words), 63):
                chunk = words[lo : lo + 63]
                probe = FrameDictionary.from_dict({"frames": {f"w{i}": [w] for i, w in enumerate(chunk)}}, source="<near misses>")
                wh = find_hits(toks, probe)
                for k, pos in zip(wh.frame.tolist(), wh.position.tolist()):
                    where.setdefault(chunk[k], {}).setdefault(int(sent_key[pos]), pos)
            for text, content in multi:
                common = set.intersection(*(set(where.get(w, {})) for w in content))
                for key in common:
                    found.setdefault(key, (where[content[0]][key], f"words of {text}"))
            for w in probes.get(frame, []):
                for key, pos in where.get(w, {}).items():
                    found.setdefault(key, (pos, f"probe {w}"))
            for key, (pos, why) in sorted(found.items()):
                if key not in covered:
                    rows.append((name, frame, pos, why))
    table = pd.DataFrame(rows, columns=["corpus", "frame", "position", "why"])
    out = []
    for frame in dictionary.frame_names:
        block = table[table["frame"] == frame]
        if not len(block):
            continue
        take = np.sort(rng.choice(len(block), size=min(n, len(block)), replace=False))
        for r in block.iloc[take].itertuples():
            toks = corpora[r.corpus]
            d = int(np.searchsorted(toks.doc_offsets, r.position, side="right") - 1)
            lo, hi = int(toks.doc_offsets[d]), int(toks.doc_offsets[d + 1])
            same = lo + np.flatnonzero(toks.sents[lo:hi] == toks.sents[r.position])
            s0, s1 = int(toks.starts[same[0]]), int(toks.ends[same[-1]])
            a, b = int(toks.starts[r.position]), int(toks.ends[r.position])
            text = toks.texts[d] if toks.texts is not None else ""
            left, match, right = (" ".join(text[s0:a].split()), " ".join(text[a:b].split()), " ".join(text[b:s1].split()))
            out.append(dict(hit_id=f"{r.corpus}:{toks.doc_ids[d]}:{a}-{b}:{frame}:near", kind="near_miss", corpus=r.corpus,
                            doc_id=toks.doc_ids[d], frame=frame, concept="", pattern=r.why, start=a, end=b, left=left, match=match,
                            right=right, context_hash=context_hash(left, match, right), stratum=frame,
                            stratum_hits=len(block), weight=len(block) / len(take), relevant=""))
    sheet = pd.DataFrame(out, columns=SHEET_COLUMNS)
    return sheet.iloc[rng.permutation(len(sheet))].reset_index(drop=True)


def still_counted(sheet: pd.DataFrame, tokens: Tokens | Mapping[str, Tokens], dictionary: FrameDictionary | str | None = None) -> np.ndarray:
    """Which rows of a sheet (drawn with an earlier version of a dictionary) the dictionary still counts.

    After a revision that only *removes* hits (an exclusion, a narrower pattern), the rows
    still counted are a random sample of the revised dictionary's hits: score them to
    measure the revision without drawing again. A revision that adds patterns needs a fresh
    sample. A row is still counted when a current hit of its frame overlaps it (same corpus
    and document).

    >>> from discourse.tokens import Tokens
    >>> toks = Tokens.from_lists([["la", "menace", "de", "fermeture"]])
    >>> sheet = sample_hits(toks, FrameDictionary.from_patterns("menace", frame="menace"), n=1)
    >>> narrower = FrameDictionary.from_dict({"frames": {"menace": {"concepts": {"menace": {
    ...     "patterns": ["menace"], "not_followed_by": ["fermeture"], "window": 2}}}}})
    >>> still_counted(sheet, toks, narrower).tolist()
    [False]
    """
    dictionary = FrameDictionary.coerce(dictionary)
    spans: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
    for name, toks in _as_corpora(tokens).items():
        names = [f for f in dictionary.frame_names if f in set(sheet["frame"])]
        if not names:
            continue
        k = kwic(toks, names, window=0, match_on="frame", dictionary=dictionary, include_excluded=False)
        for d, s0, e0, f in zip(k["doc_id"], k["start"], k["end"], k["frame"]):
            spans.setdefault((name, str(d), f), []).append((int(s0), int(e0)))
    out = []
    for c, d, s0, e0, f in zip(sheet["corpus"], sheet["doc_id"], sheet["start"], sheet["end"], sheet["frame"]):
        s0, e0 = int(s0), int(e0)
        # a revised pattern may count a longer stretch (« sécurité » → « sécurité numérique »): overlap is enough
        out.append(any(a < e0 and s0 < b for a, b in spans.get((str(c), str(d), str(f)), [])))
    return np.array(out, dtype=bool)


def write_sheet(sheet: pd.DataFrame, path: str | Path) -> Path:
    """Write a coding sheet as UTF-8 CSV (every column as text, so nothing is reformatted).

    >>> import tempfile, os
    >>> from discourse.tokens import Tokens
    >>> sheet = sample_hits(Tokens.from_lists([["la", "menace", "terroriste"]]), n=1)
    >>> path = write_sheet(sheet, os.path.join(tempfile.mkdtemp(), "feuille.csv"))
    >>> read_sheet(path, allow_missing=True).attrs["uncoded"] == sheet["hit_id"].tolist()
    True
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.to_csv(path, index=False, encoding="utf-8")
    return path


def _parse_code(value: Any) -> bool | None:
    text = str(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def read_sheet(
    sheet: str | Path | pd.DataFrame,
    drawn: str | Path | pd.DataFrame | None = None,
    *,
    coders: Sequence[str] = ("relevant",),
    allow_missing: bool = False,
) -> pd.DataFrame:
    """Read a coded sheet back and check it; every problem is reported at once, naming the rows.

    ``drawn`` is the sheet as drawn (before coding): rows added to or lost from it are
    errors. ``coders`` are the code columns (``["relevant", "relevant_2"]`` for two coders).
    Contexts edited after drawing (their hash no longer matches) are errors. Uncoded rows
    are errors unless ``allow_missing`` (they are then left out and listed in
    ``attrs["uncoded"]``). Rows are numbered as in a spreadsheet (header = row 1).

    Returns the sheet with each coder column as booleans.

    >>> from discourse.tokens import Tokens
    >>> sheet = sample_hits(Tokens.from_lists([["la", "menace", "terroriste"]]), n=1)
    >>> sheet["relevant"] = "oui"
    >>> read_sheet(sheet)["relevant"].tolist()
    [True, True]
    >>> sheet.loc[0, "relevant"] = "peut-être"
    >>> try:
    ...     read_sheet(sheet)
    ... except SheetError as err:
    ...     print(str(err).splitlines()[1].split(": ", 1)[1])
    'relevant' is 'peut-être', not a boolean (write true/false, 1/0, yes/no or oui/non)
    """
    where = str(sheet) if not isinstance(sheet, pd.DataFrame) else "the coding sheet"
    table = _read(sheet, where)
    problems: list[str] = []
    missing_cols = [c for c in ["hit_id", "left", "match", "right", "context_hash", *coders] if c not in table.columns]
    if missing_cols:
        raise SheetError(f"{where}: missing column(s) {missing_cols}; columns are {list(table.columns)}")
    row_no = {i: i + 2 for i in range(len(table))}
    dup = table["hit_id"].duplicated(keep=False)
    for i in np.flatnonzero(dup.to_numpy()):
        problems.append(f"row {row_no[i]} ({table['hit_id'].iat[i]}): the same hit_id appears twice")
    for i in range(len(table)):
        h = context_hash(table["left"].iat[i], table["match"].iat[i], table["right"].iat[i])
        if h != table["context_hash"].iat[i]:
            problems.append(f"row {row_no[i]} ({table['hit_id'].iat[i]}): the context (left/match/right) was edited "
                            "after drawing; restore it (codes must refer to the text drawn)")
    if drawn is not None:
        ref = _read(drawn, str(drawn) if not isinstance(drawn, pd.DataFrame) else "the drawn sheet")
        known = set(ref["hit_id"])
        have = set(table["hit_id"])
        for i in range(len(table)):
            if table["hit_id"].iat[i] not in known:
                problems.append(f"row {row_no[i]} ({table['hit_id'].iat[i]}): not in the drawn sample (extra row)")
        lost = [h for h in ref["hit_id"] if h not in have]
        if lost:
            problems.append(f"{len(lost)} drawn row(s) are missing from the sheet: {', '.join(lost[:5])}{' ...' if len(lost) > 5 else ''}")
    uncoded = np.zeros(len(table), dtype=bool)
    for col in coders:
        parsed = [_parse_code(v) for v in table[col]]
        for i, (raw, val) in enumerate(zip(table[col], parsed)):
            if val is None and str(raw).strip() == "":
                uncoded[i] = True
                if not allow_missing:
                    problems.append(f"row {row_no[i]} ({table['hit_id'].iat[i]}): no code in column {col!r}")
            elif val is None:
                problems.append(f"row {row_no[i]} ({table['hit_id'].iat[i]}): {col!r} is {raw!r}, not a boolean "
                                "(write true/false, 1/0, yes/no or oui/non)")
        table[col] = pd.array([v for v in parsed], dtype="boolean")
    if problems:
        head = "\n  ".join(problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise SheetError(f"{where}: {len(problems)} problem(s), nothing was scored:\n  {head}{more}")
    out = table[~uncoded].reset_index(drop=True)
    for col in coders:
        out[col] = out[col].astype(bool)
    out.attrs["uncoded"] = table.loc[uncoded, "hit_id"].tolist()
    for col in ("weight", "stratum_hits", "start", "end"):
        if col in out.columns:
            out[col] = pd.to_numeric(out[col])
    return out


def _read(sheet: str | Path | pd.DataFrame, where: str) -> pd.DataFrame:
    if isinstance(sheet, pd.DataFrame):
        return sheet.astype({c: str for c in sheet.columns if c in ("hit_id", "left", "match", "right", "context_hash")}).copy()
    try:
        return pd.read_csv(sheet, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise SheetError(f"{where}: cannot read the coding sheet ({exc})") from exc


def wilson_interval(k: Any, n: Any, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion ``k / n`` (NaN where ``n`` is 0).

    >>> lo, hi = wilson_interval(9, 10)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.5958, 0.9821)
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    z = sps.norm.ppf(0.5 + level / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
        # rounding can put a bound a hair past the estimate at p = 0 or 1: the interval holds p
        lo = np.where(n > 0, np.minimum(centre - half, p), np.nan)
        hi = np.where(n > 0, np.maximum(centre + half, p), np.nan)
    return np.clip(lo, 0, 1), np.clip(hi, 0, 1)


def precision(coded: pd.DataFrame, by: str | Sequence[str] = _LEVELS, *, column: str = "relevant", level: float = 0.95) -> pd.DataFrame:
    """Precision per pattern, concept and/or frame, with Wilson intervals.

    One row per unit of each level in ``by``: ``level``, ``frame``, ``concept``, ``pattern``
    (empty above the level), ``n`` (rows coded), ``relevant`` (rows coded true),
    ``precision`` (weighted by ``weight`` when rows come from strata of unequal sampling
    rates; otherwise ``relevant / n``), ``ci_low``, ``ci_high`` (Wilson, on the Kish
    effective sample size when weights differ) and ``hits`` (hits the unit has in the corpora).

    >>> t = pd.DataFrame({"frame": ["f"] * 10, "concept": ["c"] * 10, "pattern": ["p"] * 10,
    ...                   "relevant": [True] * 9 + [False]})
    >>> precision(t, by="frame")[["precision", "ci_low", "ci_high"]].round(4).values.tolist()
    [[0.9, 0.5958, 0.9821]]
    """
    levels = [by] if isinstance(by, str) else list(by)
    for lv in levels:
        if lv not in _LEVELS:
            raise ValueError(f"by must name levels among {list(_LEVELS)}, not {lv!r}")
    if column not in coded.columns:
        raise KeyError(f"no column {column!r} in the coded sheet; columns are {list(coded.columns)}")
    data = coded.copy()
    data["_w"] = pd.to_numeric(data["weight"]) if "weight" in data.columns else 1.0
    data["_r"] = data[column].astype(bool)
    rows = []
    keys = {"frame": ["frame"], "concept": ["frame", "concept"], "pattern": ["frame", "concept", "pattern"]}
    for lv in levels:
        for key, g in data.groupby(keys[lv], sort=True):
            key = key if isinstance(key, tuple) else (key,)
            w, r = g["_w"].to_numpy(float), g["_r"].to_numpy(bool)
            n = len(g)
            p = float((w * r).sum() / w.sum()) if w.sum() > 0 else np.nan
            n_eff = float(w.sum() ** 2 / (w**2).sum()) if w.sum() > 0 else 0.0
            if np.allclose(w, w[0]):
                n_eff = float(n)
            lo, hi = wilson_interval(p * n_eff, n_eff, level)
            hits = np.nan
            if {"stratum", "stratum_hits"} <= set(g.columns):
                strata = set(g["stratum"])
                # a unit's number of hits is known when its strata lie wholly inside it (sampled at its level or finer)
                if (data["stratum"].isin(strata)).sum() == len(g):
                    hits = float(g.drop_duplicates("stratum")["stratum_hits"].astype(float).sum())
            names = dict(zip(keys[lv], key))
            rows.append(dict(level=lv, frame=names.get("frame", ""), concept=names.get("concept", ""), pattern=names.get("pattern", ""),
                             n=n, relevant=int(r.sum()), precision=p, ci_low=float(lo), ci_high=float(hi), hits=hits))
    table = pd.DataFrame(rows, columns=["level", "frame", "concept", "pattern", "n", "relevant", "precision", "ci_low", "ci_high", "hits"])
    table.attrs["level"] = level
    return table


def agreement(coded: pd.DataFrame, coders: Sequence[str] = ("relevant", "relevant_2")) -> dict[str, float]:
    """Inter-coder agreement on the rows both coders coded: Cohen's κ, Krippendorff's α (nltk).

    >>> t = pd.DataFrame({"hit_id": list("abcd"), "relevant": [True, True, False, True],
    ...                   "relevant_2": [True, False, False, True]})
    >>> {k: round(v, 3) for k, v in agreement(t).items()}
    {'n': 4.0, 'observed': 0.75, 'kappa': 0.5, 'alpha': 0.533}
    """
    from nltk.metrics.agreement import AnnotationTask

    if len(coders) != 2:
        raise ValueError(f"agreement needs exactly two coder columns, got {list(coders)}")
    for c in coders:
        if c not in coded.columns:
            raise KeyError(f"no coder column {c!r}; columns are {list(coded.columns)}")
    both = coded.dropna(subset=list(coders))
    if len(both) < 2:
        raise ValueError("agreement needs at least two rows coded by both coders")
    ids = both["hit_id"].astype(str).tolist() if "hit_id" in both.columns else [str(i) for i in range(len(both))]
    data = [(c, i, bool(v)) for c in coders for i, v in zip(ids, both[c].astype(bool))]
    task = AnnotationTask(data=data)
    a, b = both[coders[0]].astype(bool).to_numpy(), both[coders[1]].astype(bool).to_numpy()
    return {"n": float(len(both)), "observed": float((a == b).mean()), "kappa": float(task.kappa()), "alpha": float(task.alpha())}
