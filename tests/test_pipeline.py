"""The reproducible analysis: a small real configuration run twice gives byte-identical tables,
the manifest says what was analysed, and a bad configuration names the key and the allowed values.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from discourse import corpora
from discourse.pipeline import ConfigError, corpus_sha256, run, validate, write_table

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "analysis.yaml"


def small_example(data_home: Path) -> dict:
    """The shipped example, every section kept, on small slices of its corpora, with fewer
    iterations and resamples, and a few more options (daily counts, boolean groups)."""
    config = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    config["random_state"] = 3
    config["figures"] = {"formats": ["pdf", "png"], "dpi": 100}
    slices = {"assemblee": {"sample": 16}, "europarl": {"head": 120}, "mariage": {"sample": 600}}
    for analysis in config["analyses"]:
        analysis["corpus"].update(slices[analysis["name"]], data_home=str(data_home))
        analysis["preprocess"]["n_jobs"] = 1
        for model in analysis.get("models", []):
            model.update(n_iter=60, pyldavis=False, coherence=["u_mass"])
            model["prevalence"][0]["n_boot"] = 50
        for count in analysis.get("frames", {}).get("counts", []):
            count["n_boot"] = 50
        for spec in analysis.get("specificities", []):
            spec["min_count"] = 20
    europarl = config["analyses"][1]
    europarl["frames"]["counts"].append({"freq": "D", "n_boot": 50})
    europarl["keyness"] = [{"by": "is_chair", "target": False, "reference": True, "n": 5, "min_count": 3}]
    europarl["specificities"] = [{"by": "is_chair", "n": 4, "min_count": 30}]
    return config


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory, data_home):
    config = small_example(data_home)
    first = tmp_path_factory.mktemp("run1")
    second = tmp_path_factory.mktemp("run2")
    m1 = run(config, first, progress=False)
    # figures never feed a table: the second run skips them to keep the test short
    m2 = run({**config, "figures": False}, second, progress=False)
    return (first, m1), (second, m2)


def _tables(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted((folder / "tables").rglob("*")) if p.is_file()}


def test_two_runs_give_byte_identical_tables(two_runs):
    (first, m1), (second, m2) = two_runs
    t1, t2 = _tables(first), _tables(second)
    assert len(t1) >= 60
    assert t1.keys() == t2.keys()
    different = [name for name in t1 if t1[name] != t2[name]]
    assert different == []
    assert m1["tables_sha256"] == m2["tables_sha256"]
    # both formats of every table
    stems = {n.rsplit(".", 1)[0] for n in t1}
    assert all(f"{s}.csv" in t1 and f"{s}.parquet" in t1 for s in stems)


def test_expected_tables_and_figures(two_runs):
    (first, manifest), _ = two_runs
    tables = {o["path"].removeprefix("tables/") for o in manifest["outputs"] if o["kind"] == "table"}
    expected = {
        "assemblee": ["corpus_summary", "preprocess_audit", "frame_dictionary", "frames_monthly", "frames_yearly",
                      "kwic_state-of-emergency"],
        "europarl": ["corpus_summary", "preprocess_audit", "dtm_terms", "lda_top_terms", "lda_doc_topics", "lda_coordinates",
                     "lda_coherence_u_mass", "lda_prevalence_agenda-item", "frames_agenda-item", "frames_daily",
                     "frames_topic-lda", "frames_by_topic_lda", "kwic_etat-de-droit", "kwic_droits-fondamentaux",
                     "keyness_is-chair_false_vs_true", "specificities_is-chair"],
        "mariage": ["corpus_summary", "preprocess_audit", "frames_group", "keyness_group_ump_vs_src", "specificities_group"],
    }
    for analysis, names in expected.items():
        for name in names:
            assert f"{analysis}/{name}.csv" in tables and f"{analysis}/{name}.parquet" in tables, (analysis, name)
    figures = {o["path"].removeprefix("figures/") for o in manifest["outputs"] if o["kind"] == "figure"}
    drawn = {
        "assemblee": ["frames_monthly", "frames_yearly"],
        "europarl": ["lda_top_terms", "lda_intertopic_map", "lda_doc_topics", "lda_prevalence_agenda-item",
                     "frames_agenda-item", "frames_daily", "frames_topic-lda", "frames_by_topic_lda",
                     "keyness_is-chair_false_vs_true", "specificities_is-chair"],
        "mariage": ["frames_group", "keyness_group_ump_vs_src", "specificities_group"],
    }
    for analysis, names in drawn.items():
        for name in names:
            assert f"{analysis}/{name}.pdf" in figures and f"{analysis}/{name}.png" in figures, (analysis, name)
    for o in manifest["outputs"]:
        assert (first / o["path"]).stat().st_size == o["bytes"]


def test_tables_hold_the_results(two_runs):
    (first, manifest), _ = two_runs
    top = pd.read_csv(first / "tables/europarl/lda_top_terms.csv")
    assert sorted(top.topic.unique()) == list(range(8))
    assert (top.groupby("topic")["rank"].max() == 10).all()
    monthly = pd.read_parquet(first / "tables/assemblee/frames_monthly.parquet")
    periods = pd.PeriodIndex(monthly[monthly.frame == "state_of_emergency"].period, freq="M")
    assert list(periods) == list(pd.period_range(periods.min(), periods.max(), freq="M"))  # every month, none skipped
    assert set(monthly.frame) >= {"state_of_emergency", "counter_terrorism"}
    # Parquet and CSV hold the same table
    csv = pd.read_csv(first / "tables/assemblee/frames_monthly.csv")
    assert csv.rate_per_10k.round(9).equals(monthly.rate_per_10k.round(9))
    keyness = pd.read_csv(first / "tables/mariage/keyness_group_ump_vs_src.csv")
    assert set(keyness.effect) == {"target", "reference"} and {"term", "score", "g2"} <= set(keyness.columns)
    groups = pd.read_csv(first / "tables/mariage/frames_group.csv")
    assert set(groups.group) == {"UMP", "SRC", "UDI", "ECOLO", "GDR", "RRDP"}


def test_manifest_records_versions_hashes_seeds_timings(two_runs, data_home):
    (first, manifest), (second, m2) = two_runs
    on_disk = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["tables_sha256"] == manifest["tables_sha256"]
    assert manifest["dependencies"]["numpy"] and manifest["dependencies"]["tomotopy"]
    assert manifest["discourse_version"] == "0.1.0"
    assert manifest["config"]["analyses"][1]["models"][0]["random_state"] == 42
    assert manifest["seeds"]["europarl"] == {"random_state": 3, "lda": 42}
    # the corpus hash is the hash of exactly the documents analysed
    europarl = corpora.load("europarl-fr-2000", data_home=data_home).head(120)
    assert manifest["corpora"]["europarl"]["documents"] == 120
    assert manifest["corpora"]["europarl"]["sha256"] == corpus_sha256(europarl.ids, europarl.texts)
    assemblee = corpora.load("an-debats-2013-2018", data_home=data_home)
    assemblee = assemblee.filter(lambda m: m["date"].dt.year.between(2013, 2018)).sample(16, random_state=3)
    assert manifest["corpora"]["assemblee"]["sha256"] == corpus_sha256(assemblee.ids, assemblee.texts)
    assert set(manifest["timings_seconds"]["europarl"]) >= {"corpus", "preprocess", "document-term matrix", "model lda", "frames"}
    # every table's hash is the hash of its bytes, and it is the same in both runs
    hashes2 = {o["path"]: o["sha256"] for o in m2["outputs"] if o["kind"] == "table"}
    for o in manifest["outputs"]:
        if o["kind"] == "table":
            assert hashes2[o["path"]] == o["sha256"]


def test_write_table_is_deterministic_and_rounds(tmp_path):
    table = pd.DataFrame({"terme": ["état de droit", "sécurité"], "taux": [1 / 3, 2 / 3 + 1e-16],
                          "mois": pd.period_range("2015-11", periods=2, freq="M")})
    a = write_table(table, tmp_path / "a")
    b = write_table(table, tmp_path / "b")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert (tmp_path / "a.csv").read_text(encoding="utf-8").splitlines() == [
        "terme,taux,mois", "état de droit,0.333333333333,2015-11", "sécurité,0.666666666667,2015-12"]
    back = pd.read_parquet(tmp_path / "a.parquet")
    assert back.mois.tolist() == ["2015-11", "2015-12"]


# ----------------------------------------------------------------------------- bad configurations
def _analysis(**changes):
    base = {"name": "a", "corpus": {"name": "seed"}}
    base.update(changes)
    return {"analyses": [base]}


@pytest.mark.parametrize(
    "config, message",
    [
        (_analysis(corpus={"name": "seed", "yaers": [2015, 2016]}),
         r"analyses\[0\]\.corpus: unknown key 'yaers'; allowed keys: .*years.*\(did you mean 'years'\?\)"),
        (_analysis(corpus={"name": "europarl-2000"}),
         r"analyses\[0\]\.corpus\.name: 'europarl-2000' is not allowed; allowed values: seed, europarl-fr-2000.*did you mean 'europarl-fr-2000'"),
        (_analysis(models=[{"type": "lad", "k": 5}]),
         r"analyses\[0\]\.models\[0\]\.type: 'lad' is not allowed; allowed values: lda, nmf \(did you mean 'lda'\?\)"),
        (_analysis(models=[{"type": "lda", "k": 5, "n_iters": 10}]),
         r"analyses\[0\]\.models\[0\]: unknown key 'n_iters'; allowed keys: .*n_iter.*\(did you mean 'n_iter'\?\)"),
        (_analysis(models=[{"type": "lda"}]), r"analyses\[0\]\.models\[0\]: missing key 'k'"),
        (_analysis(models=[{"type": "lda", "k": "ten"}]), r"analyses\[0\]\.models\[0\]\.k: expected an integer, got str 'ten'"),
        (_analysis(frames={"counts": [{"freq": "month"}]}),
         r"analyses\[0\]\.frames\.counts\[0\]\.freq: 'month' is not allowed; allowed values: D, W, M, Q, Y"),
        (_analysis(preprocess={"backend": "quick"}),
         r"analyses\[0\]\.preprocess\.backend: 'quick' is not allowed; allowed values: fast, accurate"),
        (_analysis(preprocess={"stopwords": None}),
         r"analyses\[0\]\.preprocess: unknown key 'stopwords'; allowed keys: .*\(did you mean 'stop_words'\?\)"),
        (_analysis(keyness=[{"by": "group"}]), r"analyses\[0\]\.keyness\[0\]: missing key 'target'"),
        ({"analyses": [{"name": "a", "corpus": "seed"}], "figures": {"formats": ["jpg"]}},
         r"figures\.formats\[0\]: 'jpg' is not allowed; allowed values: pdf, png, svg"),
        ({"analysis": [{"corpus": "seed"}]}, r"unknown key 'analysis'; allowed keys: .*\(did you mean 'analyses'\?\)"),
        ({"title": "nothing"}, r"analyses: the file describes no analysis"),
    ],
)
def test_bad_config_names_the_key(config, message):
    with pytest.raises(ConfigError, match=message):
        validate(config)


def test_bad_values_found_at_run_time_name_the_key(tmp_path, data_home):
    config = {"analyses": [{"name": "ep", "corpus": {"name": "europarl-fr-2000", "head": 30, "data_home": str(data_home)},
                            "keyness": [{"by": "is_chair", "target": "oui"}]}], "figures": False}
    with pytest.raises(ConfigError, match=r"analyses\[0\]\.keyness\[0\]\.target: no document has is_chair = 'oui'; allowed values: False, True"):
        run(config, tmp_path, progress=False)
    config["analyses"][0]["keyness"] = []
    config["analyses"][0]["corpus"]["filter"] = {"groupe": "UMP"}
    with pytest.raises(ConfigError, match=r"corpus\.filter: no metadata column 'groupe'.*"):
        run(config, tmp_path, progress=False)


def test_yaml_file_errors_name_the_file(tmp_path):
    path = tmp_path / "analyse.yaml"
    path.write_text("analyses:\n  - name: a\n    corpus: {name: seed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"analyse\.yaml: not valid YAML"):
        run(path, tmp_path / "out")
    path.write_text(yaml.safe_dump({"analyses": [{"name": "a", "corpus": "seed", "frame": {}}]}), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"analyse\.yaml:3: analyses\[0\]: unknown key 'frame'.*did you mean 'frames'"):
        run(path, tmp_path / "out")


def test_example_analysis_is_valid():
    config = yaml.safe_load((Path(__file__).resolve().parents[1] / "examples" / "analysis.yaml").read_text(encoding="utf-8"))
    checked = validate(config)
    assert [a["name"] for a in checked["analyses"]] == ["assemblee", "europarl", "mariage"]
    assert checked["analyses"][1]["models"][0]["k"] == 8

