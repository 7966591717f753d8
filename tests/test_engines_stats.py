"""Frame counts, keyness, specificities and KWIC over shards: the local tables, byte for byte.

Each statistic is computed three ways on real text — in one process on the whole corpus (the
local functions), over shards with the local engine, and over shards on a real
``dask.distributed`` LocalCluster of worker *processes* — and the tables are written with the
pipeline's writer (CSV and Parquet) and compared as bytes.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest

from discourse import Preprocessor, corpora
from discourse.engines import DaskEngine, LocalEngine
from discourse.engines import stats
from discourse.engines.sharded import preprocess_shards
from discourse.frames import count_frames, keyness, kwic, specificities
from discourse.pipeline import write_table
from discourse.shards import write_shards

distributed = pytest.importorskip("distributed")

COUNTED = {"punctuation": True}  # the frames section's default token filter
CONTENT = {"stop_words": True, "punctuation": True, "min_length": 2}  # the dtm section's default


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=logging.ERROR) as c:
        yield c


@pytest.fixture(scope="module")
def engines(cluster):
    dask_engine = DaskEngine(address=cluster.scheduler_address)
    yield {"local": LocalEngine(), "dask": dask_engine}
    dask_engine.close()


def _sharded(corpus, folder: Path, per_shard: int):
    pre = Preprocessor(backend="fast", progress=False)
    shards = write_shards(corpus, folder / "shards", documents_per_shard=per_shard, progress=False)
    return pre.transform(corpus), preprocess_shards(shards, pre, folder=folder / "tokens", progress=False)


@pytest.fixture(scope="module")
def assemblee(tmp_path_factory):
    """Sittings of the Assemblée around the November 2015 attacks, in 4 shards (the last one short)."""
    c = corpora.load("an-debats-2013-2018")
    dates = pd.to_datetime(c.metadata["date"])
    c = c.filter(((dates >= "2015-11-01") & (dates < "2016-03-01")).to_numpy()).head(45)
    return _sharded(c, tmp_path_factory.mktemp("assemblee"), 13)


@pytest.fixture(scope="module")
def mariage(tmp_path_factory):
    """Speech turns of the bundled sample: the marriage bill debate and European Parliament speeches
    (which have no parliamentary group: left out and reported by a count by group), in 4 shards."""
    c = corpora.load("sample")
    rank = c.metadata.groupby("source").cumcount().to_numpy()
    source = c.metadata["source"].to_numpy()
    c = c.filter(((source == "mariage") & (rank < 125)) | ((source == "europarl") & (rank < 25)))
    return _sharded(c, tmp_path_factory.mktemp("mariage"), 40)


def _bytes(table: pd.DataFrame, folder: Path, name: str) -> list[bytes]:
    return [p.read_bytes() for p in write_table(table, folder / name)]


def _same(local: pd.DataFrame, sharded: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    expected = _bytes(local, tmp_path, "local")
    for kind, table in sharded.items():
        assert _bytes(table, tmp_path, kind) == expected, f"the {kind} engine's table differs from the local one"


def test_frame_counts_by_month_with_bootstrap_intervals(assemblee, engines, tmp_path):
    tokens, sharded = assemblee
    local = count_frames(tokens.filter(**COUNTED), freq="M", n_boot=200, random_state=3)
    assert local["count"].sum() > 100  # real hits, not an empty table that would match anyway
    assert local.loc[local.frame == "state_of_emergency", "count"].sum() > 0
    _same(local, {k: stats.count_frames(sharded, freq="M", n_boot=200, random_state=3, filter=COUNTED, engine=e,
                                        progress=False) for k, e in engines.items()}, tmp_path)


def test_frame_counts_by_group_keep_exclusions_and_skipped(mariage, engines, tmp_path):
    tokens, sharded = mariage
    with pytest.warns(UserWarning, match="documents left out"):
        local = count_frames(tokens.filter(**COUNTED), by="group", n_boot=100)
    for kind, engine in engines.items():
        with pytest.warns(UserWarning, match="documents left out"):
            table = stats.count_frames(sharded, by="group", n_boot=100, filter=COUNTED, engine=engine, progress=False)
        _same(local, {kind: table}, tmp_path)
        assert table.attrs["skipped"] == local.attrs["skipped"]
        assert table.attrs["exclusions"] == local.attrs["exclusions"]


def test_keyness_and_specificities(mariage, engines, tmp_path):
    tokens, sharded = mariage
    content = tokens.filter(**CONTENT)
    local = keyness(content, {"group": "UMP"}, reference_mask={"group": "SRC"}, min_count=2)
    assert len(local) > 50
    _same(local, {k: stats.keyness(sharded, stats.Equals("group", "UMP"), reference=stats.Equals("group", "SRC"),
                                   min_count=2, filter=CONTENT, engine=e, progress=False) for k, e in engines.items()}, tmp_path)
    local = specificities(content, "group", min_count=3)
    assert set(local["part"]) == {"UMP", "SRC", "UDI", "ECOLO", "GDR", "RRDP"} & set(tokens.metadata["group"].dropna())
    _same(local, {k: stats.specificities(sharded, "group", min_count=3, filter=CONTENT, engine=e, progress=False)
                  for k, e in engines.items()}, tmp_path)


def test_kwic_lines_in_corpus_order(assemblee, engines, tmp_path):
    tokens, sharded = assemblee
    counted = tokens.filter(**COUNTED)
    local = kwic(counted, "state_of_emergency", window=8, by="frame")
    assert local["doc_id"].nunique() > 3  # lines from several shards
    _same(local, {k: stats.kwic(sharded, "state_of_emergency", window=8, by="frame", filter=COUNTED, engine=e,
                                progress=False) for k, e in engines.items()}, tmp_path)
    local = kwic(counted, "état de droit", window=5)
    assert len(local)
    _same(local, {"dask": stats.kwic(sharded, "état de droit", window=5, filter=COUNTED, engine=engines["dask"],
                                     progress=False)}, tmp_path)


def test_rerun_reuses_every_shard(assemblee, engines):
    _, sharded = assemblee
    first = stats.kwic(sharded, "terroriste", window=3, filter=COUNTED, engine=engines["local"], progress=False)
    again = stats.kwic(sharded, "terroriste", window=3, filter=COUNTED, engine=engines["dask"], progress=False)
    assert again.attrs["shards"] == {"shards": len(sharded), "reused": len(sharded)}
    assert first.equals(again)


def test_corpus_wide_filters_and_whole_corpus_masks_are_refused(assemblee):
    _, sharded = assemblee
    with pytest.raises(ValueError, match="min_count.*shard by shard"):
        stats.count_frames(sharded, filter={"min_count": 5}, progress=False)
    with pytest.raises(ValueError, match="cannot be split among shards"):
        stats.keyness(sharded, [True, False], progress=False)
    with pytest.raises(ValueError, match="the target selects no documents"):
        stats.keyness(sharded, {"year": 1900}, progress=False)
