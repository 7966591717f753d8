"""Topic models over shards (discourse.engines.topics): the sample-fit + fold-in scheme gives the
same result on the local engine and on a real Dask LocalCluster (processes), on rerun, and from
saved shard files; the sample is independent of how the corpus is cut; the full sample is the full fit."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine_helpers import KillingEngine, shipped_to_workers

from discourse import corpora
from discourse.dtm import DocumentTermMatrix
from discourse.engines.topics import SampledLDA, matrix_shards, sample_positions
from discourse.preprocess import Preprocessor
from discourse.topics import LDA

K = 6
PARAMS = dict(n_topics=K, n_iter=60, random_state=3)


@pytest.fixture(scope="module")
def dtm() -> DocumentTermMatrix:
    """320 documents of the bundled sample (Assemblée sittings, Europarl speeches), lemmas."""
    corpus = corpora.load("sample")
    corpus = corpus.select(corpus.ids[::4][:320])  # every fourth document: both sources, in corpus order
    tokens = Preprocessor(backend="fast", progress=False).transform(corpus)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # documents emptied by pruning are excluded and reported by the matrix
        return DocumentTermMatrix.from_tokens(tokens, min_df=2, max_df=0.5)


@pytest.fixture(scope="module")
def shards(dtm: DocumentTermMatrix) -> list[DocumentTermMatrix]:
    return matrix_shards(dtm, 70)


@pytest.fixture(scope="module")
def local(shards: list[DocumentTermMatrix]) -> SampledLDA:
    return SampledLDA(sample_size=150, **PARAMS).fit(shards)


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c


# ------------------------------------------------------------------------------ the sample
def test_sample_is_uniform_without_replacement_and_reproducible() -> None:
    rows = sample_positions([500, 300, 200], 100, random_state=7)
    assert [len(r) for r in rows] and sum(len(r) for r in rows) == 100
    for r, size in zip(rows, [500, 300, 200]):
        assert np.all(np.diff(r) > 0) and (r.size == 0 or (r.min() >= 0 and r.max() < size))
    again = sample_positions([500, 300, 200], 100, random_state=7)
    assert all(np.array_equal(a, b) for a, b in zip(rows, again))
    other = sample_positions([500, 300, 200], 100, random_state=8)
    assert not all(np.array_equal(a, b) for a, b in zip(rows, other))
    assert [r.tolist() for r in sample_positions([2, 0, 1], None)] == [[0, 1], [], [0]]
    assert [r.tolist() for r in sample_positions([2, 1], 10)] == [[0, 1], [0]]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=12), st.integers(1, 200), st.integers(0, 2**16))
def test_sample_does_not_depend_on_the_cut(sizes: list[int], size: int, seed: int) -> None:
    total = sum(sizes)
    whole = sample_positions([total], size, seed)[0]
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    pieces = sample_positions(sizes, size, seed)
    assert np.array_equal(np.concatenate([r + s for r, s in zip(pieces, starts)]).astype(np.int64), whole)


# ------------------------------------------------------------------------------ local engine
def test_shapes_and_provenance(local: SampledLDA, dtm: DocumentTermMatrix, shards: list[DocumentTermMatrix]) -> None:
    theta = local.doc_topics()
    assert theta.shape == (dtm.shape[0], K)
    assert np.allclose(theta.sum(axis=1), 1.0)
    assert local.doc_ids() == dtm.doc_ids
    assert local.shard_sizes_ == [len(s) for s in shards] and local.n_documents_ == dtm.shape[0]
    assert len(local.sample_doc_ids_) == 150 and set(local.sample_doc_ids_) <= set(dtm.doc_ids)
    # the sample is in corpus order and is what the model was fitted on
    order = {d: i for i, d in enumerate(dtm.doc_ids)}
    assert [order[d] for d in local.sample_doc_ids_] == sorted(order[d] for d in local.sample_doc_ids_)
    assert local.model_.doc_ids_ == local.sample_doc_ids_
    assert local.model_.topic_terms_.shape == (K, dtm.shape[1])
    assert np.isclose(local.topic_prevalence_.sum(), 1.0)
    assert np.allclose(local.topic_prevalence_, dtm.lengths @ theta / dtm.lengths.sum())
    step = local.provenance_.steps[-1]
    assert dtm.shape[0] == 313  # 7 of the 320 documents emptied by the pruning
    assert step.stage == "topics" and "150 of 313 documents drawn uniformly, every document of 5 shards" in step.description
    table = local.document_topics()
    assert table.shape == (dtm.shape[0] * K, 3) and table["doc_id"].iloc[0] == dtm.doc_ids[0]
    assert local.top_terms(5)["topic"].nunique() == K


def test_rerun_gives_the_same_result(local: SampledLDA, shards: list[DocumentTermMatrix]) -> None:
    again = SampledLDA(sample_size=150, **PARAMS).fit(shards)
    assert again.sample_doc_ids_ == local.sample_doc_ids_
    assert np.array_equal(again.model_.topic_terms_, local.model_.topic_terms_)
    assert np.array_equal(again.doc_topics(), local.doc_topics())


def test_full_sample_is_the_full_fit(dtm: DocumentTermMatrix, shards: list[DocumentTermMatrix]) -> None:
    full = SampledLDA(sample_size=None, **PARAMS).fit(shards)
    reference = LDA(**PARAMS).fit(dtm)
    assert np.array_equal(full.model_.topic_terms_, reference.topic_terms_)
    # the fold-in stops when a block of documents has converged: blocks differ with the cut, so
    # proportions agree to the fold-in's tolerance, not bit for bit
    assert np.abs(full.doc_topics() - reference.transform(dtm)).max() < 1e-3


def test_another_seed_another_sample(local: SampledLDA, shards: list[DocumentTermMatrix]) -> None:
    other = SampledLDA(sample_size=150, **{**PARAMS, "random_state": 4}).fit(shards)
    assert other.sample_doc_ids_ != local.sample_doc_ids_


def test_folder_keeps_files_and_a_rerun_reuses_them(tmp_path: Path, local: SampledLDA, shards: list[DocumentTermMatrix]) -> None:
    first = SampledLDA(sample_size=150, **PARAMS).fit(shards, folder=tmp_path)
    assert first.reused_ == 0 and len(first.files_) == len(shards)
    assert all(f.exists() and f.suffix == ".parquet" for f in first.files_)
    assert len(list(tmp_path.glob("model-*.discourse"))) == 1
    assert np.array_equal(first.doc_topics(), local.doc_topics())
    assert np.array_equal(first.doc_topics(shard=1), local.doc_topics(shard=1))
    second = SampledLDA(sample_size=150, **PARAMS).fit(shards, folder=tmp_path)
    assert second.reused_ == len(shards)
    assert np.array_equal(second.doc_topics(), first.doc_topics())
    assert not list(tmp_path.glob(".*.tmp"))


def test_saved_shard_files_give_the_same_result(tmp_path: Path, local: SampledLDA, shards: list[DocumentTermMatrix]) -> None:
    paths = [s.save(tmp_path / f"dtm-{i:05d}.discourse") for i, s in enumerate(shards)]
    from_files = SampledLDA(sample_size=150, **PARAMS).fit([str(p) for p in paths])
    assert np.array_equal(from_files.doc_topics(), local.doc_topics())
    assert from_files.doc_ids() == local.doc_ids()


def test_bad_input_is_named(shards: list[DocumentTermMatrix], dtm: DocumentTermMatrix) -> None:
    with pytest.raises(ValueError, match="random_state=None"):
        SampledLDA(random_state=None).fit(shards)
    with pytest.raises(ValueError, match="sample_size=0"):
        SampledLDA(sample_size=0).fit(shards)
    with pytest.raises(ValueError, match="empty"):
        SampledLDA().fit([])
    with pytest.raises(TypeError, match="shard 1 is a int"):
        SampledLDA().fit([shards[0], 3])
    with pytest.raises(ValueError, match="n_topics=500"):
        SampledLDA(n_topics=500).fit(shards)
    # a shard with another vocabulary
    odd = DocumentTermMatrix(shards[1].matrix[:, :-1], shards[1].vocabulary[:-1], shards[1].doc_ids)
    with pytest.raises(ValueError, match="different vocabularies"):
        SampledLDA(sample_size=None, **PARAMS).fit([shards[0], odd])


# ------------------------------------------------------------------------------ Dask cluster
def test_dask_cluster_gives_the_local_result(cluster, local: SampledLDA, shards: list[DocumentTermMatrix], tmp_path: Path) -> None:
    from discourse.engines import DaskEngine

    with DaskEngine(address=cluster.scheduler_address) as engine:
        remote = SampledLDA(sample_size=150, **PARAMS).fit(shards, engine=engine, folder=tmp_path)
    assert remote.sample_doc_ids_ == local.sample_doc_ids_
    assert np.array_equal(remote.model_.topic_terms_, local.model_.topic_terms_)
    assert np.array_equal(remote.model_.alpha_, local.model_.alpha_)
    assert np.array_equal(remote.doc_topics(), local.doc_topics())
    assert remote.doc_ids() == local.doc_ids()
    assert np.array_equal(remote.topic_prevalence_, local.topic_prevalence_)
    assert remote.top_terms(10).equals(local.top_terms(10))


@pytest.mark.parametrize("target", ["model-", "doc-topics-"])
def test_a_worker_killed_mid_fit_loses_and_doubles_nothing(cluster, local: SampledLDA, shards: list[DocumentTermMatrix],
                                                           tmp_path: Path, target: str) -> None:
    from discourse.engines import DaskEngine

    marker = tmp_path / "killed"
    pids = {w.process.pid for w in cluster.workers.values()}
    with shipped_to_workers(), DaskEngine(address=cluster.scheduler_address) as inner:
        engine = KillingEngine(inner, marker, target)
        remote = SampledLDA(sample_size=150, **PARAMS).fit(shards, engine=engine, folder=tmp_path / "out")
    assert marker.exists() and int(marker.read_text()) in pids  # a worker process did die
    assert len(list((tmp_path / "out").glob("model-*.discourse"))) == 1
    assert len(list((tmp_path / "out").glob("doc-topics-*.parquet"))) == len(shards)
    assert np.array_equal(remote.model_.topic_terms_, local.model_.topic_terms_)
    assert np.array_equal(remote.doc_topics(), local.doc_topics())
    assert np.array_equal(remote.topic_prevalence_, local.topic_prevalence_)
    # the retried fold-in found its shard's file already written
    assert remote.reused_ == (1 if target == "doc-topics-" else 0)


# ------------------------------------------------------------------------------ fold-in by blocks
@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 60), max_size=40), st.integers(1, 120))
def test_fold_in_blocks_cover_the_rows_within_the_budget(nonzeros: list[int], budget: int) -> None:
    from discourse.engines.topics import _row_blocks

    indptr = np.concatenate([[0], np.cumsum(nonzeros)]).astype(np.int64)
    blocks = _row_blocks(indptr, budget)
    if not nonzeros:
        assert blocks == []
        return
    assert [a for a, _ in blocks] == [0] + [b for _, b in blocks[:-1]]  # consecutive, in order
    assert blocks[-1][1] == len(nonzeros)
    for a, b in blocks:
        assert b > a
        size = int(indptr[b] - indptr[a])
        assert size <= budget or b - a == 1  # only a row longer than the budget stands alone
        if b < len(nonzeros):  # greedy: the next row would not have fitted
            assert indptr[b + 1] - indptr[a] > budget


def test_fold_in_by_small_blocks_agrees_with_one_block(monkeypatch: pytest.MonkeyPatch, local: SampledLDA,
                                                       shards: list[DocumentTermMatrix]) -> None:
    import discourse.engines.topics as topics

    assert max(s.matrix.nnz for s in shards) <= topics.FOLD_IN_NONZEROS  # the fixture folds each shard in one block
    monkeypatch.setattr(topics, "FOLD_IN_NONZEROS", 300)
    blocked = SampledLDA(sample_size=150, **PARAMS).fit(shards)
    assert np.array_equal(blocked.model_.topic_terms_, local.model_.topic_terms_)
    # each block stops when it has converged: the same proportions to the fold-in's tolerance
    assert np.abs(blocked.doc_topics() - local.doc_topics()).max() < 1e-3
    assert np.array_equal(SampledLDA(sample_size=150, **PARAMS).fit(shards).doc_topics(), blocked.doc_topics())
