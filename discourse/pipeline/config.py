"""Reading an analysis file: YAML (safely, without aliases) → checked sections with their line numbers.

The pipeline checks only its own keys here (names, which corpus, outputs, figure and table
options). Each section of an analysis (``preprocess``, ``models``, ``frames``…) is described in
:mod:`discourse.pipeline.stages`, which says which stage receives it: its keys are the stage's
parameters and the stage checks their values. Errors are :class:`ConfigError` naming the key
(``analyses[0].models[1].type``); read from a file they start with ``file, line n:``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from discourse.pipeline.keys import (  # noqa: F401  (their old home: importable from here as before)
    ENGINE_OWN,
    ConfigError,
    as_list,
    check_choice,
    check_date,
    check_int,
    check_keys,
    check_name,
    check_type,
    excerpt,
    fail,
    key_path,
    suggest,
)
from discourse.yaml_safe import LineMap, YAMLInputError, load_with_lines

__all__ = ["ConfigError", "Config", "validate", "load_config", "read_config", "excerpt"]


# ---------------------------------------------------------------------------------------------
# the file: read by discourse.yaml_safe (no aliases, bounded), every key's line kept
# ---------------------------------------------------------------------------------------------


@dataclass
class Config:
    """A checked analysis: the complete configuration, the file's folder and where each key is written."""

    config: dict[str, Any]
    base_dir: Path | None = None
    source: Path | None = None
    lines: LineMap | None = None
    single: bool = False  # one analysis written at the top level, without 'analyses'

    def line(self, where: str | None) -> int | None:
        """The YAML line of a key path, or of its closest parent written in the file."""
        if not where or self.lines is None:
            return None
        path = key_path(where)
        if self.single and path[:2] == ("analyses", 0):
            path = path[2:]
        return self.lines.key_line(*path) if path else None

    def error(self, err: ConfigError | str, where: str | None = None) -> ConfigError:
        """``err`` with ``file, line n:`` in front when the configuration was read from a file."""
        if where is None and isinstance(err, ConfigError):
            where = err.where
        message = str(err)
        if self.source is None:
            return ConfigError(message, where)
        line = self.line(where)
        return ConfigError(f"{self.source}, line {line}: {message}" if line else f"{self.source}: {message}", where)

    def path(self, value: str | Path) -> Path:
        """A path written in the file: relative paths are relative to the file's folder."""
        path = Path(value).expanduser()
        if not path.is_absolute() and self.base_dir is not None:
            path = self.base_dir / path
        return path


def read_config(source: str | Path | Mapping[str, Any]) -> Config:
    """Read an analysis file (or take a dict) and check it; errors name ``file, line n``.

    The file is read by :mod:`discourse.yaml_safe`: aliases, merge keys, duplicate keys, deep
    nesting and oversized files are refused.

    >>> read_config({"analyses": [{"name": "graine", "corpus": "seed"}]}).config["analyses"][0]["corpus"]["name"]
    'seed'
    """
    if isinstance(source, Mapping):
        return Config(validate(source))
    path = Path(source)
    if not path.exists():
        raise ConfigError(f"analysis file {str(path)!r} not found")
    try:
        raw, lines = load_with_lines(path)
    except YAMLInputError as err:
        raise ConfigError(excerpt(err, 300)) from None
    single = isinstance(raw, Mapping) and "analyses" not in raw and "corpus" in raw
    loaded = Config({}, path.resolve().parent, path, lines, single)
    try:
        loaded.config = validate(raw)
    except ConfigError as err:
        raise loaded.error(err) from None
    return loaded


def load_config(source: str | Path | Mapping[str, Any]) -> tuple[dict[str, Any], Path | None]:
    """Read an analysis file (YAML, safe loader, no aliases) or take a dict; return it checked and its folder."""
    loaded = read_config(source)
    return loaded.config, loaded.base_dir


# ---------------------------------------------------------------------------------------------
# the pipeline's own keys
# ---------------------------------------------------------------------------------------------

TOP_KEYS = {
    "title": "free text shown in the manifest",
    "description": "free text",
    "random_state": "default seed of every stochastic step (int)",
    "locale": "labels and numbers in figures: en | fr",
    "figures": "figure options (formats, dpi, style) or false",
    "tables": "table options (formats, float_digits)",
    "progress": "show progress bars (bool)",
    "analyses": "list of analyses (one corpus each)",
    "engine": "where the work runs: kind (local | dask), address, n_workers, shards… (docs/cluster.md)",
}
CORPUS_KEYS = ["name", "data_home", "years", "date_range", "filter", "head", "sample", "exclude_empty", "shards"]
# keys of the engine section the pipeline keeps (the others are the engine's own parameters)
FIGURE_KEYS = ["formats", "dpi", "style", "enabled"]
TABLE_KEYS = ["formats", "float_digits"]


def _validate_corpus(section: Any, where: str) -> dict[str, Any]:
    from discourse.corpora import names

    if isinstance(section, str):
        section = {"name": section}
    c = check_keys(section, CORPUS_KEYS, where)
    if "shards" in c:
        # a folder written by `discourse shard` (or an earlier sharded run): read as it is
        shards = str(check_type(c["shards"], str, f"{where}.shards", "the path of a shard folder"))
        # (blank texts were left out, and listed, when the shards were written)
        selecting = [k for k in ("data_home", "years", "date_range", "filter", "head", "sample", "exclude_empty") if k in c]
        if selecting:
            fail(f"{where}.{selecting[0]}", f"a shard folder is read whole: select documents before sharding "
                                            f"(`discourse shard`), not with {', '.join(selecting)}")
        return {"name": str(c.get("name", Path(shards).name)), "shards": shards}
    if "name" not in c:
        fail(where, "missing key 'name' (the corpus to load) or 'shards' (a shard folder)")
    check_choice(c["name"], names(), f"{where}.name")
    out: dict[str, Any] = {"name": str(c["name"]), "data_home": c.get("data_home")}
    if out["data_home"] is not None:
        out["data_home"] = str(check_type(out["data_home"], str, f"{where}.data_home", "a folder"))
    if "years" in c:
        years = c["years"]
        if isinstance(years, int) and not isinstance(years, bool):
            years = [years, years]
        if not (isinstance(years, list) and len(years) == 2 and all(isinstance(y, int) and not isinstance(y, bool) for y in years)):
            fail(f"{where}.years", f"expected [first_year, last_year] (integers), got {excerpt(repr(c['years']), 60)}")
        if years[0] > years[1]:
            fail(f"{where}.years", f"first year {years[0]} is after last year {years[1]}")
        out["years"] = [int(years[0]), int(years[1])]
    if "date_range" in c:
        dr = c["date_range"]
        if not (isinstance(dr, list) and len(dr) == 2):
            fail(f"{where}.date_range", f"expected [start, end] dates, got {excerpt(repr(dr), 60)}")
        out["date_range"] = [check_date(dr[0], f"{where}.date_range[0]"), check_date(dr[1], f"{where}.date_range[1]")]
    if "filter" in c:
        f = c["filter"]
        if not isinstance(f, Mapping) or not f:
            fail(f"{where}.filter", "expected a mapping of metadata column to value or list of values")
        out["filter"] = {str(k): v for k, v in f.items()}
    for key in ("head", "sample"):
        if key in c:
            out[key] = check_int(c[key], f"{where}.{key}", minimum=1)
    out["exclude_empty"] = bool(check_type(c.get("exclude_empty", True), bool, f"{where}.exclude_empty", "true or false"))
    return out


def _validate_outputs(top: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    from discourse.pipeline.outputs import FIGURE_FORMATS, TABLE_FORMATS
    from discourse.plot.style import _STYLES as STYLES

    figures = top.get("figures", {})
    if figures is False or figures is True:
        figures = {"enabled": figures}
    fig = check_keys(figures, FIGURE_KEYS, "figures")
    fig_out = {
        "enabled": bool(fig.get("enabled", True)),
        "formats": [str(x) for x in as_list(fig.get("formats", ["pdf", "png"]), "figures.formats")],
        "dpi": check_int(fig.get("dpi", 300), "figures.dpi", minimum=50),
        "style": check_choice(fig.get("style", "paper"), STYLES, "figures.style"),
    }
    for i, f in enumerate(fig_out["formats"]):
        check_choice(f, FIGURE_FORMATS, f"figures.formats[{i}]")
    tab = check_keys(top.get("tables", {}), TABLE_KEYS, "tables")
    tab_out = {
        "formats": [str(x) for x in as_list(tab.get("formats", ["csv", "parquet"]), "tables.formats")],
        "float_digits": check_int(tab.get("float_digits", 12), "tables.float_digits", minimum=3),
    }
    for i, f in enumerate(tab_out["formats"]):
        check_choice(f, TABLE_FORMATS, f"tables.formats[{i}]")
    return fig_out, tab_out


def validate_engine(section: Any, where: str = "engine") -> dict[str, Any]:
    """The ``engine`` section: the engine's own parameters, checked by the engine itself
    (:func:`discourse.engines.get_engine`; nothing is started), and the pipeline's ``shards``
    (where a dask run writes the shards of each corpus) and ``documents_per_shard``.

    >>> validate_engine({"kind": "dask", "n_workers": 2})["documents_per_shard"]
    1000
    >>> validate_engine({"kind": "dask", "workers": 2})
    Traceback (most recent call last):
    ...
    discourse.pipeline.config.ConfigError: engine: unknown key(s) ['workers']; a dask engine takes kind, address, n_workers, threads_per_worker, retries, shards, documents_per_shard
    """
    from discourse.engines import get_engine

    if isinstance(section, str):
        section = {"kind": section}
    if not isinstance(section, Mapping):
        fail(where, f"expected a mapping (kind, address, n_workers…) or local | dask, got {excerpt(repr(section), 80)}")
    spec = dict(section)
    out = {key: spec.pop(key, default) for key, default in ENGINE_OWN.items()}
    if out["shards"] is not None:
        out["shards"] = str(check_type(out["shards"], str, f"{where}.shards", "a folder"))
    check_int(out["documents_per_shard"], f"{where}.documents_per_shard", minimum=1)
    spec.setdefault("kind", "local")
    try:
        get_engine(spec)  # the engine checks its parameters; a cluster starts only on first use
    except (ValueError, TypeError) as err:
        message = str(err)
        if "unknown key" in message:
            message += ", " + ", ".join(ENGINE_OWN)
        raise ConfigError(f"{where}: {excerpt(message.removeprefix('engine: ').removeprefix('engine.'), 300)}", where) from None
    return {**spec, **out}


def engine_spec(config: Mapping[str, Any], override: Any = None) -> dict[str, Any] | None:
    """The run's ``engine`` section, with ``--engine`` (a kind, or a mapping) laid over it."""
    spec = config.get("engine")
    if override is None:
        return spec
    extra = {"kind": override} if isinstance(override, str) else dict(override)
    if spec is not None and extra.get("kind", spec["kind"]) != spec["kind"] and extra.get("kind") == "local":
        # the file's cluster options mean nothing to the local engine
        spec = {k: v for k, v in spec.items() if k in ("shards", "documents_per_shard")}
    return validate_engine({**(spec or {}), **extra}, "--engine" if spec is None else "engine")


def validate(config: Mapping[str, Any]) -> dict[str, Any]:
    """Check an analysis configuration and return it complete, with every default filled in.

    Errors are :class:`ConfigError` naming the key (``analyses[0].models[1].type``), the value
    and the allowed keys or values, with the closest allowed key when one looks mistyped.

    >>> cfg = validate({"analyses": [{"name": "graine", "corpus": "seed", "frames": {"counts": [{}]}}]})
    >>> cfg["analyses"][0]["corpus"]["name"], cfg["figures"]["formats"]
    ('seed', ['pdf', 'png'])
    """
    from discourse.pipeline import stages
    from discourse.plot.style import _LOCALES as LOCALES

    if not isinstance(config, Mapping):
        raise ConfigError(f"an analysis file holds a mapping of keys ({', '.join(sorted(TOP_KEYS))}), not {type(config).__name__}")
    config = copy.deepcopy(dict(config))
    analysis_keys = ["name", "corpus", *stages.SECTIONS]
    if "analyses" not in config and "corpus" in config:
        # a single analysis may be written at the top level
        config["analyses"] = [{k: config.pop(k) for k in list(config) if k in analysis_keys}]
    top = check_keys(config, TOP_KEYS, "")
    seed = check_int(top.get("random_state", 0), "random_state", minimum=0)
    locale = check_choice(top.get("locale", "en"), LOCALES, "locale")
    fig_out, tab_out = _validate_outputs(top)
    analyses = as_list(top.get("analyses"), "analyses")
    if not analyses:
        fail("analyses", "the file describes no analysis: add a list 'analyses' (each with 'name' and 'corpus')")
    seen: dict[str, str] = {}
    out_analyses = []
    for i, a in enumerate(analyses):
        where = f"analyses[{i}]"
        a = check_keys(a, analysis_keys, where)
        if "corpus" not in a:
            fail(where, "missing key 'corpus'")
        corpus = _validate_corpus(a["corpus"], f"{where}.corpus")
        name = check_name(a.get("name", corpus["name"] if len(analyses) == 1 else f"analysis{i}"), f"{where}.name")
        if name.lower() in seen:
            fail(f"{where}.name", f"{name!r} is already the name of {seen[name.lower()]}: each analysis needs its own name "
                                  "(it names the output folder)")
        seen[name.lower()] = where
        entry: dict[str, Any] = {"name": name, "corpus": corpus}
        entry.update(stages.validate_sections(a, where, seed))
        stages.check_output_names(entry, where)
        out_analyses.append(entry)
    engine = {"engine": validate_engine(top["engine"])} if "engine" in top else {}
    return {
        "title": str(top.get("title", "")),
        "description": str(top.get("description", "")),
        "random_state": seed,
        "locale": locale,
        "progress": bool(top.get("progress", True)),
        "figures": fig_out,
        "tables": tab_out,
        "analyses": out_analyses,
        **engine,
    }
