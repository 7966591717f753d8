"""The `models` section on a sharded run: an LDA fitted on a sample, every shard folded in on the
workers, the matrix gathered in this process only when a section needs it.

Each analysis runs on the local engine and on a real ``dask.distributed`` LocalCluster of worker
*processes* (150 speech turns of the marriage bill debate, 4 shards of 40).

What is equal between the engines, and why: the sample (drawn over the documents' global
positions), the sample's matrix and so the fitted topics are the same bits, hence identical top
terms. Every document's proportions come from the same deterministic fold-in, but it stops when
its block of rows has converged, and the blocks are the shards on a cluster and the whole matrix
on the local engine: the proportions agree to the fold-in's tolerance, not bit for bit (1e-4
is stated below; about 3e-6 is measured on this slice).
"""

from __future__ import annotations

import copy
import logging
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from discourse import corpora
from discourse.engines.sharded import ShardedMatrix, document_term_matrix, summarize_matrix
from discourse.pipeline import ConfigError, check, run, validate
from discourse.pipeline.config import read_config
from engine_helpers import mariage_analysis

distributed = pytest.importorskip("distributed")

TOLERANCE = 1e-4  # document-topic proportions, local engine against the cluster (see the module notes)

ANALYSIS = mariage_analysis(
    "mariage pour tous, modèle échantillonné",
    models=[{"name": "lda", "k": 3, "n_iter": 50, "sample_size": 60, "prevalence": [{"by": "group"}]}],
    frames={"counts": [{"by": "topic:lda", "ci": "poisson"}]},
)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=logging.ERROR) as c:
        yield c


def _dask(cluster, spec, work: Path):
    """``spec`` on the cluster, its shards, tokens, matrix parts and fold-in kept in ``work`` (found again by a rerun)."""
    return {**spec, "engine": {"kind": "dask", "address": cluster.scheduler_address, "documents_per_shard": 40,
                               "shards": str(work)}}


@pytest.fixture(scope="module")
def runs(cluster, tmp_path_factory):
    """The analysis on both engines; on the cluster the client may not gather the matrix."""
    out = tmp_path_factory.mktemp("sampled")
    local = run(ANALYSIS, out / "local", progress=False)

    def refuse(self):
        raise AssertionError("the client gathered the document-term matrix")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ShardedMatrix, "to_matrix", refuse)  # the workers never call it: only the client could
        sharded = run(_dask(cluster, ANALYSIS, out / "work"), out / "dask", progress=False)
    return out, local, sharded


def _read(out: Path, side: str, name: str) -> pd.DataFrame:
    return pd.read_csv(out / side / "tables" / "mariage" / f"{name}.csv")


def _bytes(out: Path, side: str, name: str) -> bytes:
    return (out / side / "tables" / "mariage" / f"{name}.csv").read_bytes()


def test_sampled_model_runs_on_the_shards_without_gathering_the_matrix(runs):
    _, _, sharded = runs
    sections = sharded["engine"]["sections"]["mariage"]
    assert sections["model lda"] == "dask: fitted on a sample of 60 documents in one worker, folded in over 4 shards"
    assert sections["document-term matrix"].endswith("parts left on disk)")
    assert "document-term matrix gathered" not in sections
    assert not [n for n in sharded["notes"]["mariage"] if "gathered" in n]


def test_both_engines_fit_the_same_sample_and_topics(runs):
    out, local, sharded = runs
    for manifest in (local, sharded):
        assert any(n.startswith("lda: LDA fitted on a sample of 60 of 149 documents (sample_size 60, random_state 1)")
                   for n in manifest["notes"]["mariage"])
    # the same sample and fit: the same topics, byte for byte; so is the matrix's term table
    for name in ("lda_top_terms", "dtm_terms", "dtm_excluded"):
        assert _bytes(out, "local", name) == _bytes(out, "dask", name), name


def test_every_document_is_folded_in_with_the_same_proportions_on_both_engines(runs):
    out, _, _ = runs
    a, b = _read(out, "local", "lda_doc_topics"), _read(out, "dask", "lda_doc_topics")
    # every document of the matrix (149: one has no token left), not only the 60 of the sample
    assert len(a) == 149 and a["doc_id"].tolist() == b["doc_id"].tolist()
    theta = a.drop(columns="doc_id").to_numpy()
    assert np.allclose(theta.sum(axis=1), 1.0)
    assert np.abs(theta - b.drop(columns="doc_id").to_numpy()).max() < TOLERANCE
    # the corpus-wide tables that read the proportions agree as closely
    for name in ("lda_coordinates", "lda_prevalence_group"):
        x, y = _read(out, "local", name), _read(out, "dask", name)
        numbers = x.select_dtypes("number").columns
        pd.testing.assert_frame_equal(x.drop(columns=numbers), y.drop(columns=numbers))
        pd.testing.assert_frame_equal(x[numbers], y[numbers], check_exact=False, atol=TOLERANCE, rtol=0)
    # the dominant topic of each document is the same: counts by topic are identical
    assert _bytes(out, "local", "frames_topic-lda") == _bytes(out, "dask", "frames_topic-lda")


def test_the_sampled_fit_is_not_the_full_fit(runs):
    """The sample is a real sample: the topics are not those of the same LDA on every document."""
    out, _, _ = runs
    spec = copy.deepcopy(ANALYSIS)
    item = spec["analyses"][0]["models"][0]
    del item["sample_size"]
    spec["analyses"][0]["frames"] = {}
    run(spec, out / "full", progress=False)
    assert _bytes(out, "full", "lda_top_terms") != _bytes(out, "local", "lda_top_terms")


def test_the_matrix_is_gathered_when_a_section_needs_it_and_the_manifest_says_why(runs, cluster):
    out, _, _ = runs
    spec = copy.deepcopy(ANALYSIS)
    spec["figures"] = True
    spec["analyses"][0]["models"].append({"name": "full", "k": 3, "n_iter": 50})
    manifest = run(_dask(cluster, spec, out / "work"), out / "mixed", progress=False)
    sections = manifest["engine"]["sections"]["mariage"]
    assert sections["document-term matrix gathered"] == "local: gathered in this process, first for model full"
    assert sections["model full"] == "local: fitted in this process on the gathered document-term matrix"
    assert sections["model lda"].startswith("dask: fitted on a sample of 60 documents")
    assert any(n.startswith("the document-term matrix (149 × ") and n.endswith("from its 4 part(s), first for model full")
               for n in manifest["notes"]["mariage"])
    # the sampled model is the same whether or not the matrix was gathered later; its fold-in is reused
    assert (out / "mixed/tables/mariage/lda_doc_topics.csv").read_bytes() == _bytes(out, "dask", "lda_doc_topics")
    assert any(n == "lda: the fold-in of 4 of 4 shards reused" for n in manifest["notes"]["mariage"])
    # the sampled model's figures are drawn as a full model's
    figures = {p.stem for p in (out / "mixed/figures/mariage").glob("*.png")}
    assert {"lda_top_terms", "lda_intertopic_map", "lda_doc_topics", "lda_prevalence_group"} <= figures


def test_the_summary_of_the_parts_is_the_gathered_matrix_s(runs, tmp_path):
    from discourse import Preprocessor
    from discourse.engines.sharded import preprocess_shards
    from discourse.shards import write_shards

    corpus = corpora.load("sample").filter(source="mariage").head(150)
    shards = write_shards(corpus, tmp_path / "shards", documents_per_shard=40, progress=False)
    tokens = preprocess_shards(shards, Preprocessor(backend="fast", progress=False), folder=tmp_path / "tokens", progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # one document has no token left: said by the builder
        parts = document_term_matrix(tokens, min_df=2, gather=False, progress=False)
        whole = parts.to_matrix()
    summary = summarize_matrix(parts, progress=False)
    pd.testing.assert_frame_equal(summary.term_frequencies, whole.term_frequencies())
    pd.testing.assert_frame_equal(summary.excluded, whole.excluded)
    pd.testing.assert_frame_equal(summary.metadata, whole.metadata)
    assert summary.doc_ids == whole.doc_ids and np.array_equal(summary.lengths, whole.lengths)
    assert summary.provenance.to_dict() == whole.provenance.to_dict()


# ---------------------------------------------------------------------------------------------
# the keys
# ---------------------------------------------------------------------------------------------

def _with_model(**model):
    return {"random_state": 1, "analyses": [{"name": "a", "corpus": "seed", "models": [{"k": 3, **model}]}]}


@pytest.mark.parametrize("model, message", [
    ({"sample_size": 0}, r"models\[0\]\.sample_size: 0 is too small; it must be >= 1"),
    ({"sample_size": "mille"}, r"models\[0\]\.sample_size: .*an integer"),
    ({"sample_size": 2.5}, r"models\[0\]\.sample_size: .*an integer"),
    ({"sample_size": 100, "type": "nmf"}, r"models\[0\]\.sample_size: a model fitted on a sample is of type lda only, not 'nmf'"),
    ({"sample_size": 100, "seed_terms": {"famille": ["famille"]}},
     r"models\[0\]\.seed_terms: 'seed_terms' is not a parameter of a model with sample_size"),
    ({"sample_size": 100, "random_state": None}, r"models\[0\]\.random_state: a model with sample_size needs an integer"),
    ({"fold_in_iter": 50}, r"models\[0\]\.fold_in_iter: fold_in_iter is the fold-in of a sampled model: give sample_size"),
    ({"sample_size": 100, "fold_in_iter": 0}, r"models\[0\]\.fold_in_iter: 0 is too small"),
])
def test_bad_sample_keys_are_refused(model, message):
    with pytest.raises(ConfigError, match=message):
        validate(_with_model(**model))


def test_a_sample_key_error_names_its_yaml_line(tmp_path):
    path = tmp_path / "analyse.yaml"
    path.write_text("""analyses:
  - name: a
    corpus: seed
    models:
      - k: 3
        sample_size: -5
""", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"analyse\.yaml, line 6: analyses\[0\]\.models\[0\]\.sample_size: -5 is too small"):
        read_config(path)
    item = validate(_with_model(sample_size=100, fold_in_iter=20))["analyses"][0]["models"][0]
    assert (item["sample_size"], item["fold_in_iter"], item["random_state"]) == (100, 20, 1)


def test_dmr_metadata_key_is_passed_as_covariate():
    from discourse.pipeline.stages import SECTIONS, stage_arguments

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # DMR(metadata=) would warn that it is deprecated
        item = validate(_with_model(type="dmr", metadata="group"))["analyses"][0]["models"][0]
    assert item["metadata"] == "group"  # the file's key, as written (and recorded in the manifest)
    arguments = stage_arguments(SECTIONS["models"], item)
    assert arguments["covariate"] == "group" and "metadata" not in arguments
    assert stage_arguments(SECTIONS["models"], validate(_with_model(type="dmr", covariate="party"))["analyses"][0]
                           ["models"][0])["covariate"] == "party"
    with pytest.raises(ConfigError, match=r"models\[0\]\.metadata: give 'covariate' only"):
        validate(_with_model(type="dmr", metadata="group", covariate="group"))
    with pytest.raises(ConfigError, match=r"unknown key.*'metadata'"):  # an lda has no such parameter
        validate(_with_model(metadata="group"))
    for key in ("metadata", "covariate"):  # discourse check names the key written
        spec = _with_model(type="dmr", **{key: "groupe"})
        spec["analyses"][0]["corpus"] = {"name": "sample", "head": 20}
        _, problems = check(spec)
        assert [p.where for p in problems] == [f"analyses[0].models[0].{key}"]
        assert "no metadata column 'groupe'" in str(problems[0])
