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
from discourse.frames.count import frames_table
from discourse.pipeline import write_table
from discourse.shards import write_shards
from engine_helpers import mariage_analysis

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
    local = count_frames(tokens.filter(**COUNTED), freq="M", n_boot=100, random_state=3)
    assert local["count"].sum() > 100  # real hits, not an empty table that would match anyway
    assert local.loc[local.frame == "state_of_emergency", "count"].sum() > 0
    _same(local, {k: stats.count_frames(sharded, freq="M", n_boot=100, random_state=3, filter=COUNTED, engine=e,
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


def test_frame_counts_keep_only_the_metadata_columns_asked_for(mariage, engines, tmp_path):
    tokens, sharded = mariage
    full = stats.frame_counts(sharded, filter=COUNTED, engine=engines["local"], progress=False)
    assert {"doc_id", "group", "date", "speaker", "source"} <= set(full.metadata.columns)
    slim = stats.frame_counts(sharded, filter=COUNTED, columns=["group"], engine=engines["dask"], progress=False)
    assert list(slim.metadata.columns) == ["doc_id", "group"]
    assert slim.doc_ids == full.doc_ids and (slim.counts == full.counts).all()
    with pytest.warns(UserWarning, match="documents left out"):
        local = count_frames(tokens.filter(**COUNTED), by="group", ci="poisson")
    with pytest.warns(UserWarning, match="documents left out"):
        _same(local, {"dask": frames_table(slim, None, "group", ci="poisson")}, tmp_path)
    with pytest.raises(KeyError, match=r"no metadata column\(s\) \['party'\]"):
        stats.frame_counts(sharded, filter=COUNTED, columns=["party"], engine=engines["local"], progress=False)
    with pytest.raises(ValueError, match="columns must be a list"):
        stats.frame_counts(sharded, filter=COUNTED, columns="group", engine=engines["local"], progress=False)


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
    local = kwic(counted, "state_of_emergency", window=8, match_on="frame")
    assert local["doc_id"].nunique() > 3  # lines from several shards
    _same(local, {k: stats.kwic(sharded, "state_of_emergency", window=8, match_on="frame", filter=COUNTED, engine=e,
                                progress=False) for k, e in engines.items()}, tmp_path)
    local = kwic(counted, "état de droit", window=5)
    assert len(local) > 5 and local["doc_id"].nunique() > 1
    _same(local, {"dask": stats.kwic(sharded, "état de droit", window=5, filter=COUNTED, engine=engines["dask"],
                                     progress=False)}, tmp_path)
    cut = stats.kwic(sharded, "état de droit", window=5, max_rows=4, filter=COUNTED, engine=engines["dask"], progress=False)
    _same(local.head(4), {"dask, 4 lines": cut}, tmp_path)
    assert cut.attrs["n_lines"] == len(local)


def test_rerun_reuses_every_shard(assemblee, engines):
    _, sharded = assemblee
    folder = Path(sharded.folder) / stats.COUNTS_FOLDER
    earlier = set(folder.glob("*.npz"))
    first = stats.kwic(sharded, "terroriste", window=3, filter=COUNTED, engine=engines["local"], progress=False)
    files = sorted(set(folder.glob("*.npz")) - earlier)  # this query's counts, one file a shard
    assert len(files) == len(sharded)
    again = stats.kwic(sharded, "terroriste", window=3, filter=COUNTED, engine=engines["dask"], progress=False)
    assert again.attrs["shards"] == {"shards": len(sharded), "reused": len(sharded)}
    assert first.equals(again)
    # a shard whose counts are gone (a worker killed before its atomic rename) is counted again,
    # into the same bytes; the others are reused
    before = {f.name: f.read_bytes() for f in files}
    files[0].unlink()
    third = stats.kwic(sharded, "terroriste", window=3, filter=COUNTED, engine=engines["dask"], progress=False)
    assert third.attrs["shards"] == {"shards": len(sharded), "reused": len(sharded) - 1}
    assert {f.name: f.read_bytes() for f in files} == before and third.equals(first)


def test_corpus_wide_filters_and_whole_corpus_masks_are_refused(assemblee):
    _, sharded = assemblee
    with pytest.raises(ValueError, match="min_count.*shard by shard"):
        stats.count_frames(sharded, filter={"min_count": 5}, progress=False)
    with pytest.raises(ValueError, match="cannot be split among shards"):
        stats.keyness(sharded, [True, False], progress=False)
    with pytest.raises(ValueError, match="the target selects no documents"):
        stats.keyness(sharded, {"year": 1900}, progress=False)


# ---------------------------------------------------------------------------------------------
# the pipeline: the same analysis file with both engines
# ---------------------------------------------------------------------------------------------

ANALYSIS = mariage_analysis(
    "mariage pour tous, sur deux moteurs",
    models=[{"name": "lda", "type": "lda", "k": 3, "n_iter": 50, "backend": "tomotopy"}],
    frames={
        "counts": [{"by": "group", "n_boot": 50}, {"freq": "M", "n_boot": 50}, {"by": "topic:lda", "n_boot": 50}],
        "kwic": [{"query": "mariage", "window": 4}, "human_rights"],
    },
    keyness=[{"by": "group", "target": "UMP", "reference": "SRC", "min_count": 2}],
    specificities=[{"by": "group", "groups": ["UMP", "SRC"], "min_count": 3}],
)


def _tables(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted((out / "tables").rglob("*")) if p.is_file()}


def test_pipeline_tables_identical_with_both_engines(cluster, tmp_path):
    from discourse.pipeline import run

    local = run(ANALYSIS, tmp_path / "local", progress=False)
    assert "engine" not in local  # a run without an engine section writes the manifest it always did
    engine = {"kind": "dask", "address": cluster.scheduler_address, "documents_per_shard": 40}
    manifest = run({**ANALYSIS, "engine": engine}, tmp_path / "dask", progress=False)
    a, b = _tables(tmp_path / "local"), _tables(tmp_path / "dask")
    assert sorted(a) == sorted(b) and len(a) > 20
    # the audit's counts are the same; its free-text 'examples' column is read from the first shard
    audit = [k for k in a if k.startswith("tables/mariage/preprocess_audit")]
    differ = [k for k in a if a[k] != b[k]]
    assert set(differ) <= set(audit), differ
    csv = [pd.read_csv(tmp_path / side / "tables/mariage/preprocess_audit.csv").drop(columns="examples")
           for side in ("local", "dask")]
    pd.testing.assert_frame_equal(*csv)
    sections = manifest["engine"]["sections"]["mariage"]
    assert sections["frames.counts"] == "dask: map over 4 shards, exact reduce"
    assert sections["keyness group=UMP"].startswith("dask") and sections["specificities group"].startswith("dask")
    assert sections["document-term matrix"].startswith("dask: map over 4 shards")
    assert sections["model lda"].startswith("local")


def test_pipeline_reads_a_shard_folder_and_reuses_finished_shards(cluster, tmp_path):
    from discourse.pipeline import run

    corpus = corpora.load("sample").filter(source="mariage").head(90)
    write_shards(corpus, tmp_path / "shards", documents_per_shard=30, progress=False)
    spec = {"figures": False, "engine": {"kind": "dask", "address": cluster.scheduler_address,
                                         "shards": str(tmp_path / "work")},
            "analyses": [{"name": "m", "corpus": {"shards": str(tmp_path / "shards")},
                          "frames": {"counts": [{"by": "group", "ci": "poisson"}]}}]}
    first = run(spec, tmp_path / "out1", progress=False)
    assert first["corpora"]["m"]["documents"] == 90
    again = run(spec, tmp_path / "out2", progress=False)
    assert any("3 of 3 shards reused" in n for n in again["notes"]["m"])
    assert _tables(tmp_path / "out1") == _tables(tmp_path / "out2")
    local = run({**spec, "engine": {"kind": "local"}}, tmp_path / "out3", progress=False)
    assert local["corpora"]["m"]["sha256"] == first["corpora"]["m"]["sha256"]
    same = [k for k in _tables(tmp_path / "out1") if "frames_group" in k]
    assert same and all(_tables(tmp_path / "out1")[k] == _tables(tmp_path / "out3")[k] for k in same)


def test_engine_section_is_checked_by_the_engine():
    from discourse.pipeline import ConfigError, validate

    base = {"analyses": [{"name": "a", "corpus": "seed"}]}
    assert validate({**base, "engine": "dask"})["engine"]["kind"] == "dask"
    with pytest.raises(ConfigError, match="unknown key.*'workers'.*documents_per_shard"):
        validate({**base, "engine": {"kind": "dask", "workers": 2}})
    with pytest.raises(ConfigError, match="n_workers"):
        validate({**base, "engine": {"kind": "dask", "n_workers": 0}})
    with pytest.raises(ConfigError, match="a shard folder is read whole"):
        validate({"analyses": [{"name": "a", "corpus": {"shards": "x", "head": 3}}]})


def test_cli_engine_flag(tmp_path, capsys):
    from discourse.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["run", "analysis.yaml", "--engine", "spark"])
    assert exit_.value.code == 2 and "invalid choice: 'spark'" in capsys.readouterr().err
    config = tmp_path / "a.yaml"
    config.write_text("analyses:\n  - name: a\n    corpus: seed\nengine: {kind: local, n_workers: 2}\n", encoding="utf-8")
    # a local engine takes no cluster options: the file is refused, nothing runs
    assert main(["run", str(config), "--out", str(tmp_path / "out"), "--quiet"]) != 0
    assert "line 4: engine: unknown key(s) ['n_workers']" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
