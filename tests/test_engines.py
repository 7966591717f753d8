"""Engines: the local engine and a real dask.distributed LocalCluster (worker processes) give the
tokens and the document-term matrix of the local path, byte for byte; a killed worker loses and
doubles nothing; a rerun reuses finished shards."""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine_helpers import KillingEngine, shipped_to_workers

from discourse import Preprocessor, corpora, storage
from discourse._optional import MissingDependencyError
from discourse.dtm import DocumentTermMatrix
from discourse.engines import DaskEngine, LocalEngine, engine_context, get_engine
from discourse.engines.sharded import (
    MatrixPart,
    ShardedMatrix,
    concat_tokens,
    document_term_matrix,
    preprocess_shards,
    read_sharded_matrix,
    read_sharded_tokens,
)
from discourse.shards import ShardError, write_shards
from discourse.tokens import ATTRIBUTES, Tokens

N_DOCS, PER_SHARD = 240, 60
DTM_CASES = [dict(), dict(min_df=2, max_df=0.5, max_features=300, stop_words="default"),
             dict(attribute="form", stop_words=True, min_df=3)]


# ------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def corpus():
    return corpora.load("an-mariage-pour-tous-2013").head(N_DOCS)


@pytest.fixture(scope="module")
def sharded(corpus, tmp_path_factory):
    return write_shards(corpus, tmp_path_factory.mktemp("shards") / "s", documents_per_shard=PER_SHARD, progress=False)


@pytest.fixture(scope="module")
def preprocessor():
    return Preprocessor(progress=False)


@pytest.fixture(scope="module")
def local_tokens(corpus, preprocessor):
    return preprocessor.transform(corpus)


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    import logging

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=logging.ERROR) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def dask_engine(cluster):
    with DaskEngine(address=cluster.scheduler_address) as engine:
        yield engine


def _assert_same_tokens(got: Tokens, want: Tokens) -> None:
    assert got.doc_ids == want.doc_ids
    for a in ATTRIBUTES:
        assert got.vocab(a) == want.vocab(a)
        np.testing.assert_array_equal(got.codes(a), want.codes(a))
    for name in ("doc_offsets", "starts", "ends", "sents", "is_stop"):
        np.testing.assert_array_equal(getattr(got, name), getattr(want, name))
    assert got.texts == want.texts
    assert got.config == want.config
    assert got.provenance == want.provenance
    pd.testing.assert_frame_equal(got.metadata, want.metadata)
    numbers = ["stage", "tokens_before", "tokens_after", "removed", "merged", "changed"]
    # the audit's counts are the whole corpus's (its example strings are the first shard's)
    key = lambda a: a[numbers].sort_values("stage").reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(key(got.audit), key(want.audit))


def _dtm_bytes(dtm: DocumentTermMatrix, path: Path) -> bytes:
    storage.save(dtm, path)
    return path.read_bytes()


# ------------------------------------------------------------------------------ engines
def test_local_engine_maps_in_order():
    assert LocalEngine().map(str.upper, ["paix", "guerre", "état"], desc="test", progress=False) == ["PAIX", "GUERRE", "ÉTAT"]
    assert LocalEngine().map(len, [], progress=False) == []


def test_get_engine_specs():
    assert isinstance(get_engine(None), LocalEngine) and isinstance(get_engine("local"), LocalEngine)
    engine = LocalEngine()
    assert get_engine(engine) is engine
    dask_engine = get_engine({"kind": "dask", "address": "tcp://127.0.0.1:1", "retries": 1})
    assert isinstance(dask_engine, DaskEngine) and dask_engine.address == "tcp://127.0.0.1:1" and dask_engine.retries == 1
    assert dask_engine.describe()["kind"] == "dask"
    with pytest.raises(ValueError, match=r"unknown key\(s\) \['workers'\]"):
        get_engine({"kind": "dask", "workers": 2})
    with pytest.raises(ValueError, match="engine.kind must be one of"):
        get_engine({"kind": "spark"})
    with pytest.raises(ValueError, match="engine must be one of"):
        get_engine("ray")
    with pytest.raises(ValueError, match="n_workers"):
        DaskEngine(n_workers=0)
    with pytest.raises(TypeError):
        get_engine(3)


def test_missing_dask_names_the_extra(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "distributed" else real(name, *a))
    with pytest.raises(MissingDependencyError, match=r"pip install 'discourse-fr\[dask\]'"):
        get_engine("dask")


def test_dask_engine_maps_in_input_order(dask_engine):
    # later items finish first: the results still follow the input
    assert dask_engine.map(_slow_square, [3, 2, 1, 0], desc="carrés", progress=False) == [9, 4, 1, 0]


def test_a_dask_engine_started_by_a_stage_is_closed_by_it():
    pytest.importorskip("distributed")
    with engine_context({"kind": "dask", "n_workers": 1}) as engine:
        assert engine.map(len, ["séance", "débat"], desc="longueurs", progress=False) == [6, 5]
        workers = engine.client.scheduler_info()["workers"]
        assert len(workers) == 1 and all(w.get("nthreads") == 1 for w in workers.values())
        cluster = engine._cluster
    assert engine._client is None and engine._cluster is None and cluster.status.name == "closed"
    given = LocalEngine()
    with engine_context(given) as engine:  # an engine given is the caller's to close
        assert engine is given


def test_a_task_error_reaches_the_caller(dask_engine):
    with pytest.raises(ZeroDivisionError):
        dask_engine.map(_inverse, [1, 0], desc="inverses", progress=False)


def _slow_square(x: int) -> int:
    import time

    time.sleep(0.05 * x)
    return x * x


def _inverse(x: int) -> float:
    return 1 / x


# ------------------------------------------------------------------------------ preprocessing
@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["paix", "guerre", "état de droit", "Europe", "é", "de"]), max_size=6),
                min_size=1, max_size=8), st.data())
def test_concat_of_parts_built_apart_equals_the_whole_built_at_once(documents, data):
    cut = sorted(data.draw(st.lists(st.integers(0, len(documents)), max_size=3)))
    bounds = [0, *cut, len(documents)]
    parts = [Tokens.from_lists(documents[a:b], doc_ids=[f"d{i}" for i in range(a, b)])
             for a, b in zip(bounds, bounds[1:])]
    whole = Tokens.from_lists(documents, doc_ids=[f"d{i}" for i in range(len(documents))])
    got = concat_tokens(parts)
    for a in ATTRIBUTES:
        assert got.vocab(a) == whole.vocab(a)
        np.testing.assert_array_equal(got.codes(a), whole.codes(a))
    np.testing.assert_array_equal(got.doc_offsets, whole.doc_offsets)
    assert got.texts == whole.texts and got.doc_ids == whole.doc_ids


def test_concat_tokens_recodes_as_the_whole(local_tokens):
    halves = [local_tokens.select_documents(np.arange(0, 100)), local_tokens.select_documents(np.arange(100, N_DOCS))]
    whole = concat_tokens(halves)
    assert whole.to_lists() == local_tokens.to_lists() and whole.to_lists("form") == local_tokens.to_lists("form")


def test_preprocess_shards_local_engine_equals_transform(sharded, preprocessor, local_tokens, tmp_path, capsys):
    tokens = preprocess_shards(sharded, preprocessor, folder=tmp_path / "t", progress=False)
    assert len(tokens) == 4 and tokens.reused == () and tokens.n_documents == N_DOCS
    assert tokens.n_tokens == local_tokens.n_tokens
    _assert_same_tokens(tokens.to_tokens(), local_tokens)
    _assert_same_tokens(read_sharded_tokens(tmp_path / "t").to_tokens(), local_tokens)

    # a rerun reuses every finished shard, and says so
    again = preprocess_shards(sharded, preprocessor, folder=tmp_path / "t", progress=True)
    assert again.reused == (0, 1, 2, 3)
    assert "4 of 4 shards reused" in capsys.readouterr().out
    # a damaged shard output is recomputed (only that one), never served
    victim = tmp_path / "t" / tokens.files[2]
    victim.write_bytes(victim.read_bytes()[:-5])
    with pytest.raises(ShardError, match=tokens.files[2]):
        tokens.shard(2)
    third = preprocess_shards(sharded, preprocessor, folder=tmp_path / "t", progress=False)
    assert third.reused == (0, 1, 3)
    _assert_same_tokens(third.to_tokens(), local_tokens)
    # other settings are another key: nothing reused
    other = preprocess_shards(sharded, Preprocessor(progress=False, min_length=3), folder=tmp_path / "t", progress=False)
    assert other.reused == ()
    assert other.provenance.steps[-1].description != tokens.provenance.steps[-1].description


@pytest.mark.parametrize("params", [
    dict(drop_person_names=True, stop_words=None, aliases=False, remove_boilerplate=["procedure"]),
    pytest.param(dict(backend="accurate", pos=["NOUN", "VERB", "ADJ"]), marks=pytest.mark.slow),
])
def test_preprocess_shards_equal_transform_under_other_settings(corpus, params, tmp_path):
    # spaCy tags each document alone: shard boundaries (other batches) change no tag
    small = corpus.head(90)
    sharded = write_shards(small, tmp_path / "s", documents_per_shard=25, progress=False)
    preprocessor = Preprocessor(progress=False, **params)
    tokens = preprocess_shards(sharded, preprocessor, folder=tmp_path / "t", progress=False)
    _assert_same_tokens(tokens.to_tokens(), preprocessor.transform(small))


def test_preprocess_and_dtm_on_a_dask_cluster_equal_the_local_path(sharded, preprocessor, local_tokens, dask_engine,
                                                                    tmp_path):
    tokens = preprocess_shards(sharded, preprocessor, folder=tmp_path / "t", engine=dask_engine, progress=False)
    _assert_same_tokens(tokens.to_tokens(), local_tokens)
    for n, params in enumerate(DTM_CASES):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # documents without tokens: listed in excluded, compared below
            local = DocumentTermMatrix.from_tokens(local_tokens, **params)
            on_dask = document_term_matrix(tokens, **params, engine=dask_engine, progress=False)
        assert on_dask.vocabulary == local.vocabulary
        assert (on_dask.matrix != local.matrix).nnz == 0
        pd.testing.assert_frame_equal(on_dask.excluded, local.excluded)
        assert on_dask.provenance == local.provenance
        assert len(local.excluded) > 0  # the case of excluded documents is exercised
        assert _dtm_bytes(on_dask, tmp_path / f"d{n}.dtm") == _dtm_bytes(local, tmp_path / f"l{n}.dtm")


def test_dtm_local_engine_equals_from_tokens_and_warns(sharded, preprocessor, local_tokens, tmp_path):
    tokens = preprocess_shards(sharded, preprocessor, folder=tmp_path / "t", progress=False)
    with pytest.warns(UserWarning, match="have no tokens after pruning"):
        sharded_dtm = document_term_matrix(tokens, min_df=4, progress=False)
    with pytest.warns(UserWarning):
        local = DocumentTermMatrix.from_tokens(local_tokens, min_df=4)
    assert _dtm_bytes(sharded_dtm, tmp_path / "a.dtm") == _dtm_bytes(local, tmp_path / "b.dtm")
    with pytest.raises(ValueError, match="min_df"):
        document_term_matrix(tokens, min_df=-1)


# ------------------------------------------------------------------------------ the matrix left on the workers
@pytest.fixture(scope="module")
def sharded_tokens(sharded, preprocessor, tmp_path_factory):
    return preprocess_shards(sharded, preprocessor, folder=tmp_path_factory.mktemp("tokens") / "t", progress=False)


def _parts(tokens, folder: Path, **params) -> ShardedMatrix:
    with pytest.warns(UserWarning, match="have no tokens after pruning"):
        return document_term_matrix(tokens, **params, folder=folder, progress=False, gather=False)


def test_sharded_matrix_gathers_into_the_same_bytes(sharded_tokens, local_tokens, tmp_path):
    params = DTM_CASES[1]
    parts = _parts(sharded_tokens, tmp_path / "parts", **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gathered = document_term_matrix(sharded_tokens, **params, folder=tmp_path / "whole", progress=False)
        local = DocumentTermMatrix.from_tokens(local_tokens, **params)
        assert isinstance(parts, ShardedMatrix) and len(parts) == N_DOCS // PER_SHARD
        assert parts.shape == gathered.shape and list(parts.vocabulary) == gathered.vocabulary
        assert parts.params == gathered.params
        want = _dtm_bytes(local, tmp_path / "l.dtm")
        assert _dtm_bytes(parts.to_matrix(), tmp_path / "p.dtm") == want == _dtm_bytes(gathered, tmp_path / "g.dtm")
        # saved as a JSON manifest beside the parts, read back without the counts
        again = read_sharded_matrix(tmp_path / "parts")
        assert _dtm_bytes(again.to_matrix(), tmp_path / "r.dtm") == want
    assert sum(parts.n_excluded_per_shard) == len(local.excluded) > 0
    pd.testing.assert_frame_equal(parts.excluded(), local.excluded)
    assert [len(m) for m in parts] == list(parts.n_documents_per_shard)


def test_sharded_matrix_holds_no_counts(sharded_tokens, tmp_path):
    parts = _parts(sharded_tokens, tmp_path / "parts", min_df=2)
    import scipy.sparse as sp

    held = list(vars(parts).values()) + [v for p in parts.parts for v in vars(p).values()]
    assert not any(isinstance(v, (np.ndarray, sp.spmatrix, pd.DataFrame, DocumentTermMatrix)) for v in held)
    assert all(isinstance(p, MatrixPart) and Path(p.path).exists() for p in parts.parts)
    # what a task is given: a path, a checksum, a shard number and a shape
    assert {type(v) for p in parts.parts for v in vars(p).values()} == {str, int}


def test_sampled_lda_fits_a_sharded_matrix_on_the_workers(sharded_tokens, dask_engine, tmp_path):
    from discourse.engines.topics import SampledLDA

    parts = _parts(sharded_tokens, tmp_path / "parts", min_df=2, max_df=0.5)
    params = dict(n_topics=4, sample_size=120, n_iter=30, random_state=0)
    on_workers = SampledLDA(**params).fit(parts, engine=dask_engine)
    from_paths = SampledLDA(**params).fit([p.path for p in parts.parts])
    assert on_workers.sample_doc_ids_ == from_paths.sample_doc_ids_
    assert np.array_equal(on_workers.model_.topic_terms_, from_paths.model_.topic_terms_)
    assert np.array_equal(on_workers.doc_topics(), from_paths.doc_topics())
    assert on_workers.doc_ids() == from_paths.doc_ids() and len(on_workers.doc_ids()) == parts.shape[0]
    assert on_workers.provenance_.steps[-2].stage == "document-term matrix"


def test_a_missing_or_changed_part_is_named(sharded_tokens, tmp_path):
    from discourse.engines.topics import SampledLDA

    parts = _parts(sharded_tokens, tmp_path / "parts", min_df=2)
    changed = Path(parts.parts[2].path)
    changed.write_bytes(changed.read_bytes() + b"\0")
    with pytest.raises(ShardError, match="matrix part of shard 2 .*SHA-256"):
        parts.to_matrix()
    with pytest.raises(ShardError, match="matrix part of shard 2"):
        SampledLDA(n_topics=3, sample_size=50).fit(parts)
    Path(parts.parts[1].path).unlink()
    with pytest.raises(ShardError, match="matrix part of shard 1 .*is missing"):
        read_sharded_matrix(tmp_path / "parts").shard(1)
    # a rebuild recomputes the parts that are gone or changed
    rebuilt = _parts(sharded_tokens, tmp_path / "parts", min_df=2)
    with pytest.warns(UserWarning, match="have no tokens after pruning"):
        assert rebuilt.to_matrix().shape == parts.shape
    with pytest.raises(ShardError, match="no dtm.json"):
        read_sharded_matrix(tmp_path)
    with pytest.raises(ValueError, match="gather"):
        document_term_matrix(sharded_tokens, gather="no", progress=False)


# ------------------------------------------------------------------------------ failure
def test_a_worker_killed_mid_map_loses_and_doubles_nothing(sharded, preprocessor, local_tokens, dask_engine, cluster,
                                                           tmp_path):
    with shipped_to_workers():
        marker = tmp_path / "killed"
        pids_before = {w.process.pid for w in cluster.workers.values()}
        engine = KillingEngine(dask_engine, marker, "tokens-00001-")
        tokens = preprocess_shards(sharded, preprocessor, folder=tmp_path / "t", engine=engine, progress=False)
        assert marker.exists() and int(marker.read_text()) in pids_before  # a worker process did die mid-map
        assert len(list((tmp_path / "t").glob("tokens-*.discourse"))) == 4  # one output a shard, none doubled
        assert tokens.n_documents == N_DOCS and tokens.n_tokens == local_tokens.n_tokens
        _assert_same_tokens(tokens.to_tokens(), local_tokens)
        # and a worker killed in the second pass of the matrix
        marker2 = tmp_path / "killed-dtm"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            dtm = document_term_matrix(tokens, engine=KillingEngine(dask_engine, marker2, "dtm-00002-"),
                                       folder=tmp_path / "dtm", progress=False)
            local = DocumentTermMatrix.from_tokens(local_tokens)
    assert marker2.exists()
    assert len(list((tmp_path / "dtm").glob("dtm-*.discourse"))) == 4
    assert _dtm_bytes(dtm, tmp_path / "a.dtm") == _dtm_bytes(local, tmp_path / "b.dtm")
