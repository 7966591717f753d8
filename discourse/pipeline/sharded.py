"""The pipeline on a Dask engine: shards of each corpus, tokens per shard, counts per shard.

With ``engine: {kind: dask}`` (or ``discourse run --engine dask``) each analysis's corpus is
written as Parquet shards (or read from ``corpus: {shards: folder}``), preprocessed shard by
shard on the engine, and the sections that are a map and a reduce — frame counts and their
intervals, KWIC, keyness, specificities, and the document-term matrix when the engine module
provides it — are computed from per-shard integer counts (:mod:`discourse.engines.stats`), so
their tables are the local engine's, byte for byte. The matrix stays on disk as one part a
shard: an LDA with ``sample_size`` is fitted on a sample on one worker and every shard folded in
on the workers (:class:`discourse.engines.topics.SampledLDA`). The other sections (full topic
models, scaling, Reinert, CA, frames by topic…) run in this process on the matrix or tokens
gathered the first time one of them needs it; the manifest's ``engine.sections`` says which
engine ran each section, and when and for which section the matrix was gathered.

Where the files go: ``engine.shards`` (relative to the analysis file), by default a folder
``<out>.shards`` beside the output folder, one sub-folder an analysis: ``corpus-<key>/`` (the
shards, keyed by the documents and the shard size), ``tokens/`` (one tokens file a shard, keyed
by its shard and the preprocessing) and ``tokens/counts/`` (the counts of each statistic). A
rerun finds the files of every finished shard and reuses them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from discourse.pipeline.keys import ENGINE_OWN

__all__ = ["is_sharded", "shard_corpus", "preprocess", "SHARDS_SUFFIX", "OWN_RECORD"]

SHARDS_SUFFIX = ".shards"
# the sections that record which engine ran them (the others ran in this process, on gathered data)
OWN_RECORD = ("preprocess", "dtm", "models", "frames", "keyness", "specificities")


def is_sharded(spec: Mapping[str, Any] | None) -> bool:
    """Whether analyses run shard by shard (a Dask engine), rather than on one in-memory corpus."""
    return spec is not None and spec.get("kind", "local") != "local"


def engine_parameters(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The engine's own parameters of the section (without the pipeline's keys)."""
    return {k: v for k, v in spec.items() if k not in ENGINE_OWN}


def shards_root(spec: Mapping[str, Any], loaded: Any, out_dir: Path) -> Path:
    """Where a sharded run keeps its shards, tokens and counts."""
    if spec.get("shards"):
        return loaded.path(spec["shards"])
    out_dir = Path(out_dir).resolve()
    return out_dir.parent / f"{out_dir.name}{SHARDS_SUFFIX}"


def _corpus_key(corpus: Any) -> str:
    """SHA-256 of the documents (ids, texts) and their metadata: names the shard folder of a corpus."""
    from discourse.pipeline.outputs import corpus_sha256

    h = hashlib.sha256(corpus_sha256(corpus.ids, corpus.texts).encode())
    h.update(pd.util.hash_pandas_object(corpus.metadata.astype(str), index=False).to_numpy().tobytes())
    h.update(",".join(map(str, corpus.metadata.columns)).encode())
    return h.hexdigest()


def shard_corpus(a: Any, spec: Mapping[str, Any], root: Path) -> Any:
    """The analysis's corpus as shards: the folder its section names, or its loaded documents written once."""
    from discourse.shards import MANIFEST, read_shards, write_shards

    corpus_spec = a.spec["corpus"]
    if "shards" in corpus_spec:
        return read_shards(a.run.loaded.path(corpus_spec["shards"]))
    per_shard = spec["documents_per_shard"]
    folder = root / a.name / f"corpus-{_corpus_key(a.corpus)[:20]}-{per_shard}"
    if (folder / MANIFEST).is_file():
        sharded = read_shards(folder)
        a.note(f"{sharded.n_documents} documents in {len(sharded)} shard(s) reused from {folder}")
        return sharded
    sharded = write_shards(a.corpus, folder, documents_per_shard=per_shard, progress=a.run.progress)
    a.note(f"{sharded.n_documents} documents written as {len(sharded)} shard(s) of at most {per_shard} to {folder}")
    return sharded


def preprocess(a: Any, params: dict[str, Any], root: Path) -> None:
    """Preprocess the analysis's shards on the engine (one tokens file a shard, reused by a rerun)."""
    from discourse.engines.sharded import preprocess_shards
    from discourse.preprocess import Preprocessor

    a.sharded = preprocess_shards(a.shards, Preprocessor(**params), folder=root / a.name / "tokens", engine=a.run.engine,
                                  progress=a.run.progress)
    if a.sharded.reused:
        a.note(f"preprocessing: {len(a.sharded.reused)} of {len(a.sharded)} shards reused")
