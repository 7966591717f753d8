"""The reproducible analysis: a small real configuration run twice gives byte-identical tables,
the manifest says what was analysed, and a bad configuration names the key and the allowed values.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from discourse import corpora
from discourse.pipeline import ConfigError, OutputError, check, corpus_sha256, read_config, run, validate, verify, write_table
from discourse.pipeline.outputs import slug

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
    # frames weighted by topic proportions: left out of the shipped example (its figure nearly
    # repeats the count by dominant topic) but still exercised here
    europarl["frames"]["by_topic"] = "lda"
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
         r"analyses\[0\]\.models\[0\]\.type: 'lad' is not allowed; allowed values: lda, nmf, dmr, dynamic_lda \(did you mean 'lda'\?\)"),
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
    with pytest.raises(ConfigError, match=r"analyse\.yaml, line \d+: malformed YAML"):
        run(path, tmp_path / "out")
    path.write_text(yaml.safe_dump({"analyses": [{"name": "a", "corpus": "seed", "frame": {}}]}), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"analyse\.yaml, line 3: analyses\[0\]: unknown key 'frame'.*did you mean 'frames'"):
        run(path, tmp_path / "out")


def test_example_analysis_is_valid():
    config = yaml.safe_load((Path(__file__).resolve().parents[1] / "examples" / "analysis.yaml").read_text(encoding="utf-8"))
    checked = validate(config)
    assert [a["name"] for a in checked["analyses"]] == ["assemblee", "europarl", "mariage"]
    assert checked["analyses"][1]["models"][0]["k"] == 8



# ----------------------------------------------------------------------------- outputs: atomic, unique, verified
def _seed_config(data_home, **frames) -> dict:
    return {"figures": False, "progress": False,
            "analyses": [{"name": "graine", "corpus": {"name": "seed", "data_home": str(data_home)},
                          "frames": {"counts": [{}], **frames}}]}


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_failed_run_leaves_the_earlier_run_whole(tmp_path, data_home, monkeypatch):
    out = tmp_path / "out"
    run(_seed_config(data_home, kwic=["état de droit"]), out, progress=False)
    before = _listing(out)
    assert verify(out) == []
    # the second run fails after some tables are written (an exception mid-run)
    from discourse.pipeline import stages

    def broken(table):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(stages.Analysis, "table", lambda self, name, table: broken(table) if name.startswith("kwic") else
                        self.run.outputs.table(self.name, name, table))
    with pytest.raises(RuntimeError, match="disk on fire"):
        run(_seed_config(data_home, kwic=["droits de l'homme"]), out, progress=False)
    assert _listing(out) == before and verify(out) == []
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no partial folder left behind


def test_a_killed_run_leaves_the_earlier_run_whole(tmp_path, data_home):
    out = tmp_path / "out"
    run(_seed_config(data_home), out, progress=False)
    before = _listing(out)
    marker = tmp_path / "writing"
    script = f"""
import time, pathlib
from discourse.pipeline import outputs, run
real = outputs.Outputs.table
def slow(self, *args):
    real(self, *args)
    pathlib.Path({str(marker)!r}).touch()
    time.sleep(120)
outputs.Outputs.table = slow
run({_seed_config(data_home, kwic=['état de droit'])!r}, {str(out)!r}, progress=False)
"""
    proc = subprocess.Popen([sys.executable, "-c", script])
    try:
        for _ in range(1200):
            if marker.exists() or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), "the run never wrote its first table"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert _listing(out) == before and verify(out) == []
    # the killed run's folder is left beside --out, never read, and removed by the next run there
    assert len(list(tmp_path.glob(".out.partial-*"))) == 1
    run(_seed_config(data_home), out, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "writing"]


def test_concurrent_runs_into_one_folder_leave_one_whole_run(tmp_path, data_home):
    out = tmp_path / "out"
    configs = [_seed_config(data_home), _seed_config(data_home, kwic=["état de droit", "terrorisme"])]
    script = "import sys, json; from discourse.pipeline import run; run(json.loads(sys.argv[1]), sys.argv[2], progress=False)"
    procs = [subprocess.Popen([sys.executable, "-c", script, json.dumps(c), str(out)]) for c in configs]
    assert [p.wait(timeout=600) for p in procs] == [0, 0]
    assert verify(out) == []
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    kwic = [o["path"] for o in manifest["outputs"] if "kwic" in o["path"]]
    assert kwic == [] or len(kwic) == 4  # one run or the other, never a mix
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_smaller_run_removes_and_lists_the_files_of_the_earlier_run(tmp_path, data_home):
    out = tmp_path / "out"
    run(_seed_config(data_home, kwic=["état de droit"]), out, progress=False)
    assert (out / "tables/graine/kwic_etat-de-droit.csv").is_file()
    manifest = run(_seed_config(data_home), out, progress=False)
    assert not (out / "tables/graine/kwic_etat-de-droit.csv").exists()
    assert manifest["replaced"]["not_in_this_run"] == ["tables/graine/kwic_etat-de-droit.csv",
                                                       "tables/graine/kwic_etat-de-droit.parquet"]
    assert verify(out) == []


def test_a_folder_of_other_files_is_never_replaced(tmp_path, data_home):
    (tmp_path / "thesis.tex").write_text("\\chapter{Introduction}", encoding="utf-8")
    with pytest.raises(OutputError, match="not the output of a discourse run"):
        run(_seed_config(data_home), tmp_path, progress=False)
    assert [p.name for p in tmp_path.iterdir()] == ["thesis.tex"]


def test_verify_finds_a_changed_a_missing_and_an_unlisted_file(tmp_path, data_home):
    out = tmp_path / "out"
    run(_seed_config(data_home), out, progress=False)
    assert verify(out) == []
    table = out / "tables/graine/frames_overall.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(",0,", ",1,", 1), encoding="utf-8")
    (out / "tables/graine/frames_overall.parquet").unlink()
    (out / "tables/graine/notes.txt").write_text("à revoir", encoding="utf-8")
    assert sorted(verify(out)) == [
        "tables/graine/frames_overall.csv: changed since the run (SHA-256 differs from the manifest)",
        "tables/graine/frames_overall.parquet: missing",
        "tables/graine/notes.txt: not listed in the manifest",
    ]


@pytest.mark.parametrize("frames, message", [
    ({"counts": [{"freq": "Y"}, {"freq": "Y", "ci": "poisson"}]},
     r"analyses\[0\]\.frames\.counts\[1\]: its output 'frames_yearly' has the name of the output 'frames_yearly' of "
     r"analyses\[0\]\.frames\.counts\[0\]: give one of them its own 'name'"),
    ({"kwic": ["état", "État"]},
     r"analyses\[0\]\.frames\.kwic\[1\]: its output 'kwic_etat' has the name .* of analyses\[0\]\.frames\.kwic\[0\]"),
    ({"counts": [{"freq": "Y", "name": "frames_yearly"}, {"freq": "A"}]}, r"frames\.counts\[1\]: its output 'frames_yearly'"),
])
def test_two_requests_for_one_file_name_are_refused(frames, message):
    with pytest.raises(ConfigError, match=message):
        validate(_analysis(frames=frames))


def test_colliding_requests_given_their_own_names_run(tmp_path, data_home):
    config = _seed_config(data_home, kwic=[{"query": "état"}, {"query": "État", "case_sensitive": True, "name": "kwic_Etat-majuscule"}])
    manifest = run(config, tmp_path / "out", progress=False)
    tables = {o["path"] for o in manifest["outputs"]}
    assert {"tables/graine/kwic_etat.csv", "tables/graine/kwic_Etat-majuscule.csv"} <= tables
    assert len(tables) == len(manifest["outputs"])


@pytest.mark.parametrize("config", [
    {"analyses": [{"name": "..", "corpus": "seed"}]},
    {"analyses": [{"name": "a..b", "corpus": "seed"}]},
    _analysis(models=[{"type": "lda", "k": 2, "name": ".."}]),
    _analysis(frames={"kwic": [{"query": "état", "name": "../../etc"}]}),
])
def test_output_names_cannot_leave_their_folder(config):
    with pytest.raises(ConfigError, match=r"must be letters, digits, '_', '-' or '\.', not start with '\.'"):
        validate(config)


def test_slug_never_makes_a_path():
    assert slug("..") == "x" and slug("../../etc/passwd") == "etc-passwd" and slug("a..b") == "a.b"


# ----------------------------------------------------------------------------- YAML: aliases, lines, paths
def test_yaml_aliases_are_refused(tmp_path):
    path = tmp_path / "rires.yaml"
    path.write_text("a: &a [x, x, x]\nb: &b [*a, *a, *a]\nanalyses: [{name: n, corpus: seed}]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"rires\.yaml, line 2: aliases \(\*a\) are not allowed"):
        read_config(path)


def test_stage_errors_name_the_yaml_line(tmp_path, data_home):
    path = tmp_path / "analyse.yaml"
    path.write_text(f"""figures: false
analyses:
  - name: ep
    corpus: {{name: europarl-fr-2000, head: 20, data_home: {data_home}}}
    dtm:
      min_df: 3
    models:
      - type: lda
        k: 4
        backend: gensim
        n_iter: -3
""", encoding="utf-8")
    # the value is checked by LDA itself; the pipeline adds where it is written
    with pytest.raises(ConfigError, match=r"analyse\.yaml, line 11: analyses\[0\]\.models\[0\]\.n_iter: .*n_iter"):
        run(path, tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()


def test_paths_in_a_yaml_file_are_relative_to_the_file(tmp_path, data_home, monkeypatch):
    folder = tmp_path / "projet"
    folder.mkdir()
    (folder / "corpus").symlink_to(data_home)
    (folder / "cadres.yaml").write_text(
        "frames:\n  terreur:\n    label: Terreur\n    gloss: terror\n    patterns: [terrorisme]\n", encoding="utf-8")
    (folder / "analyse.yaml").write_text(yaml.safe_dump(
        {"figures": False, "analyses": [{"name": "graine", "corpus": {"name": "seed", "data_home": "corpus"},
                                         "preprocess": {"cache_dir": "cache"},
                                         "frames": {"dictionary": "cadres.yaml", "counts": [{}]}}]}), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    manifest = run(folder / "analyse.yaml", tmp_path / "out", progress=False)
    counts = pd.read_csv(tmp_path / "out/tables/graine/frames_overall.csv")
    assert counts.frame.tolist() == ["terreur"] and counts["count"].iloc[0] >= 1
    assert manifest["corpora"]["graine"]["documents"] == 1
    assert any((folder / "cache").iterdir()) and not (tmp_path / "cache").exists()


# ----------------------------------------------------------------------------- check: the data, before any work
def _check_file(tmp_path, data_home, body: str) -> Path:
    path = tmp_path / "verifier.yaml"
    path.write_text(f"analyses:\n  - name: ep\n    corpus: {{name: europarl-fr-2000, data_home: {data_home}}}\n" + body, encoding="utf-8")
    return path


def test_check_finds_columns_values_and_frames_with_their_lines(tmp_path, data_home):
    path = _check_file(tmp_path, data_home, """    frames:
      counts:
        - by: agenda_itme
        - by: agenda_item
          frames: [rule_of_lw]
    keyness:
      - by: is_chair
        target: oui
    specificities:
      - by: speaker
        groups: [Personne]
""")
    _, problems = check(path)
    messages = [str(p) for p in problems]
    assert len(messages) == 4
    assert re.match(rf"{re.escape(str(path))}, line 6: analyses\[0\]\.frames\.counts\[0\]\.by: no metadata column 'agenda_itme'; "
                    r"columns: doc_id, date, .*\(did you mean 'agenda_item'\?\)", messages[0])
    assert re.match(r".*, line 8: analyses\[0\]\.frames\.counts\[1\]\.frames: \['rule_of_lw'\] not in the dictionary; allowed values: "
                    r".*rule_of_law.*\(did you mean 'rule_of_law'\?\)", messages[1])
    assert re.match(r".*, line 11: analyses\[0\]\.keyness\[0\]\.target: no document has is_chair = 'oui'; allowed values: False, True$", messages[2])
    assert re.match(r".*, line 14: analyses\[0\]\.specificities\[0\]\.groups: no document has speaker = 'Personne'; allowed values: ",
                    messages[3])


def test_check_finds_a_missing_dictionary_and_an_empty_figure(tmp_path, data_home):
    path = _check_file(tmp_path, data_home, """    frames:
      dictionary: absent.yaml
""")
    _, problems = check(path)
    assert [re.sub(r"'/.*/", "'…/", str(p).split(": ", 1)[1]) for p in problems] == [
        "analyses[0].frames.dictionary: dictionary file '…/absent.yaml' not found"]
    path = _check_file(tmp_path, data_home, """    frames:
      frames: [rule_of_law]
      counts:
        - by: agenda_item
          frames: [human_rights]
""")
    _, problems = check(path)
    assert len(problems) == 1 and re.match(r".*, line 8: analyses\[0\]\.frames\.counts\[0\]\.frames: \['human_rights'\] not among the "
                                           r"frames selected", str(problems[0]))


def test_a_run_whose_figure_selection_is_empty_fails(tmp_path, data_home):
    config = {"analyses": [{"name": "ep", "corpus": {"name": "europarl-fr-2000", "head": 20, "data_home": str(data_home)},
                            "frames": {"frames": ["rule_of_law"], "counts": [{"by": "agenda_item", "frames": ["human_rights"]}]}}]}
    with pytest.raises(ConfigError, match=r"analyses\[0\]\.frames\.counts\[0\]: figure frames_agenda-item would be empty"):
        run(config, tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------------------- provenance
def test_provenance_travels_from_corpus_to_matrix(tmp_path, data_home):
    from discourse import DocumentTermMatrix, Preprocessor

    corpus = corpora.load("europarl-fr-2000", data_home=data_home).head(12)
    dropped = corpus.ids[0]
    corpus = corpus.drop([dropped], reason="présidence de séance")
    tokens = Preprocessor(progress=False).transform(corpus)
    assert [s.stage for s in tokens.provenance.steps][-1] == "preprocess"
    assert [s.description for s in tokens.provenance.steps[:-1]] == list(corpus.history)
    # what the loader and the drop left out, with their reasons (the loader's: empty speeches)
    assert len(tokens.provenance.skipped) == len(corpus.skipped) > 1
    assert tokens.provenance.skipped[-1] == (dropped, "corpus", "présidence de séance")
    # the record survives token filters and saving
    filtered = tokens.filter(stop_words=True)
    assert filtered.provenance == tokens.provenance
    tokens.save(tmp_path / "t.npz")
    assert type(tokens).load(tmp_path / "t.npz").provenance == tokens.provenance
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dtm = DocumentTermMatrix.from_tokens(filtered, min_df=3)
    assert dtm.provenance.steps[-1].stage == "document-term matrix"
    assert dtm.provenance.steps[-1].left_out == len(dtm.excluded)
    assert len(dtm.provenance.skipped) == len(corpus.skipped) + len(dtm.excluded)


def test_manifest_reads_the_provenance_record(two_runs):
    (first, manifest), _ = two_runs
    record = manifest["corpora"]["europarl"]["provenance"]
    stages_done = [s["stage"] for s in record["steps"]]
    assert stages_done[-2:] == ["preprocess", "document-term matrix"] and stages_done[0] == "corpus"
    assert any(s["description"].startswith("head(120)") for s in record["steps"])
    assert manifest["corpora"]["assemblee"]["provenance"]["steps"][-1]["stage"] == "preprocess"


def test_select_k_section_passes_its_keys_to_select_k_and_the_model(tmp_path, data_home):
    config = {"figures": False, "random_state": 5,
              "analyses": [{"name": "ep", "corpus": {"name": "europarl-fr-2000", "head": 60, "data_home": str(data_home)},
                            "dtm": {"min_df": 2},
                            "select_k": {"ks": [2, 3], "type": "nmf", "n_iter": 400, "test_size": 0.2}}]}
    manifest = run(config, tmp_path / "out", progress=False)
    table = pd.read_csv(tmp_path / "out/tables/ep/select_k.csv")
    assert table["k"].tolist() == [2, 3]
    assert manifest["config"]["analyses"][0]["select_k"]["random_state"] == 5  # the file's seed, given to select_k
    assert "select_k_fits" in manifest["timings_seconds"]["ep"]
    with pytest.raises(ConfigError, match=r"analyses\[0\]\.select_k: unknown key 'n_iters'.*\(did you mean 'n_iter'\?\)"):
        validate({"analyses": [{"name": "ep", "corpus": "seed", "select_k": {"ks": [2, 3], "n_iters": 5}}]})


def test_a_mistyped_corpus_filter_value_is_refused(tmp_path, data_home):
    config = {"analyses": [{"name": "ep", "corpus": {"name": "europarl-fr-2000", "data_home": str(data_home),
                                                     "filter": {"language": ["EN", "ENN"]}}}]}
    _, problems = check(config)
    assert [str(p) for p in problems] == [
        "analyses[0].corpus.filter.language: no document has language = 'ENN'; allowed values: "
        + ", ".join(sorted(corpora.load("europarl-fr-2000", data_home=data_home).metadata.language.dropna().astype(str).unique()))
        + " (did you mean 'EN'?)"]
    with pytest.raises(ConfigError, match=r"corpus\.filter\.language: no document has language = 'ENN'"):
        run(config, tmp_path / "out", progress=False)


# ----------------------------------------------------------------------------- scaling, effects, covariate models
POSITIONS = Path(__file__).resolve().parents[1] / "examples" / "positions.yaml"


def _mariage(data_home: Path, **sections) -> dict:
    """The marriage-bill turns of deputies, a slice, with the given sections (no figures, CSV only)."""
    return {"random_state": 7, "figures": False, "tables": {"formats": ["csv"]},
            "analyses": [{"name": "mpt", "corpus": {"name": "an-mariage-pour-tous-2013", "data_home": str(data_home),
                                                    "filter": {"subject": "mpt", "role": "deputy"}, "sample": 1500},
                          "preprocess": {"n_jobs": 1, "domain_stop_words": ["parliament"]}, "dtm": {"min_df": 3}, **sections}]}


def test_scaling_section_places_grouped_rows_and_lists_what_it_left_out(tmp_path, data_home):
    scaling = [{"method": "wordfish", "group": "speaker", "min_tokens": 200, "filter": {"vote": ["pour", "contre"]},
                "dir": ["Erwann Binet", "Hervé Mariton"], "by": "group"},
               {"method": "wordscores", "group": "group", "scores": {"UMP": 1, "SRC": -1}, "rescaling": "mv"}]
    config = _mariage(data_home, scaling=scaling)
    manifest = run({**config, "figures": {"formats": ["png"], "dpi": 60}}, tmp_path / "a", progress=False)
    tables = tmp_path / "a/tables/mpt"
    positions = pd.read_csv(tables / "wordfish_speaker_positions.csv")
    left = pd.read_csv(tables / "wordfish_speaker_left_out.csv")
    # every speaker of the filtered turns is either placed or listed with the reason
    assert set(left["step"]) == {"filter", "min_tokens"}
    assert left.loc[left.step == "min_tokens", "reason"].str.fullmatch(r"\d+ tokens < 200").all()
    assert (positions["vote"].isin(["pour", "contre"])).all() and len(positions) >= 20
    assert {"theta", "se", "ci_low", "ci_high", "group", "n_documents"} <= set(positions.columns)
    assert not set(positions["doc_id"]) & set(left["row"])
    binet, mariton = (positions.set_index("doc_id").loc[n, "theta"] for n in ("Erwann Binet", "Hervé Mariton"))
    assert binet < mariton  # the dir key reached Wordfish
    assert manifest["config"]["analyses"][0]["scaling"][0]["random_state"] == 7  # the file's seed
    weights = pd.read_csv(tables / "wordfish_speaker_word_weights.csv")
    assert {"term", "beta", "psi"} <= set(weights.columns)
    # Wordscores: the reference groups are not scored, the other groups are
    scored = pd.read_csv(tables / "wordscores_group_positions.csv")
    assert "UMP" not in set(scored["doc_id"]) and "SRC" not in set(scored["doc_id"]) and len(scored) >= 2
    figures = {o["path"] for o in manifest["outputs"] if o["kind"] == "figure"}
    assert {f"figures/mpt/{s}_{k}.png" for s in ("wordfish_speaker", "wordscores_group") for k in ("positions", "word_weights")} <= figures
    # the same file run again: byte-identical tables
    run(config, tmp_path / "b", progress=False)
    assert _tables(tmp_path / "a") == _tables(tmp_path / "b")


def test_effects_section_and_covariate_models(tmp_path, data_home):
    models = [{"name": "lda", "k": 4, "n_iter": 40, "n_jobs": 1},
              {"name": "dmr", "type": "dmr", "k": 4, "metadata": "group", "n_iter": 40, "n_jobs": 1},
              {"name": "dtm", "type": "dynamic_lda", "k": 3, "time": "date", "freq": "W", "n_iter": 40, "n_jobs": 1}]
    effects = [{"model": "lda", "formula": "group + s(date, df=3)", "n_draws": 3, "n_sims": 20,
                "contrasts": [{"variable": "group", "reference": "SRC", "other": "UMP"}], "curves": ["date"],
                "levels": ["group"], "n_points": 5}]
    config = _mariage(data_home, models=models, effects=effects)
    manifest = run(config, tmp_path / "a", progress=False)
    tables = tmp_path / "a/tables/mpt"
    contrast = pd.read_csv(tables / "effects_lda_contrast_group_ump_vs_src.csv")
    assert contrast["topic"].tolist() == [0, 1, 2, 3] and (contrast["contrast"] == "UMP − SRC").all()
    assert (contrast["ci_low"] <= contrast["estimate"]).all() and (contrast["estimate"] <= contrast["ci_high"]).all()
    assert len(pd.read_csv(tables / "effects_lda_curve_date.csv")) == 4 * 5
    coefficients = pd.read_csv(tables / "effects_lda_coefficients.csv")
    assert "group[UMP]" in set(coefficients["term"])
    assert manifest["config"]["analyses"][0]["effects"][0]["random_state"] == 7
    prior = pd.read_csv(tables / "dmr_topic_prior.csv")
    assert set(prior["group"]) >= {"UMP", "SRC"}
    over_time = pd.read_csv(tables / "dtm_top_terms_over_time.csv")
    assert over_time["topic"].nunique() == 3 and over_time["time"].nunique() >= 2
    run(config, tmp_path / "b", progress=False)
    first, second = _tables(tmp_path / "a"), _tables(tmp_path / "b")
    assert first.keys() == second.keys()
    # tomotopy normalises DTModel's word distributions in float32 with a last-digit wobble between
    # fits (its raw values are identical): those three tables agree to float32 precision only
    wobbly = {f"tables/mpt/dtm_{t}.csv" for t in ("top_terms", "coordinates", "top_terms_over_time")}
    assert [n for n in first if first[n] != second[n] and n not in wobbly] == []
    for name in wobbly:
        a, b = (pd.read_csv(tmp_path / d / name) for d in ("a", "b"))
        numbers = a.select_dtypes("number").columns
        pd.testing.assert_frame_equal(a.drop(columns=numbers), b.drop(columns=numbers))
        pd.testing.assert_frame_equal(a[numbers], b[numbers], rtol=1e-5, atol=1e-7)
    assert any("dynamic_lda" in n and "float32" in n for n in manifest["notes"]["mpt"])


def test_new_sections_are_checked_before_any_work(tmp_path, data_home):
    config = _mariage(data_home,
                      models=[{"name": "lda", "k": 4}, {"name": "dmr", "type": "dmr", "k": 4, "metadata": "groupe"}],
                      scaling=[{"method": "wordfish", "group": "speakr", "dir": ["Erwann Binet", "Personne"]},
                               {"method": "wordscores", "group": "group", "scores": {"UMP": 1, "PS": -1}}],
                      effects=[{"model": "lda", "formula": "group + s(dat, df=3)",
                                "contrasts": [{"variable": "group", "reference": "SRC", "other": "LR"}]}])
    _, problems = check(config)
    messages = [str(p) for p in problems]
    assert messages[0].startswith("analyses[0].models[1].metadata: no metadata column 'groupe'") and "(did you mean 'group'?)" in messages[0]
    assert messages[1].startswith("analyses[0].scaling[0].group: no metadata column 'speakr'")
    assert messages[2].startswith("analyses[0].scaling[1].scores: no document has group = 'PS'")
    assert messages[3].startswith("analyses[0].effects[0].formula: no metadata column 'dat'")
    assert messages[4].startswith("analyses[0].effects[0].contrasts[0].other: no document has group = 'LR'")
    assert len(messages) == 5
    # a colour column must be constant within the groups (group() keeps only those)
    _, problems = check(_mariage(data_home, scaling=[{"method": "wordfish", "group": "group", "by": "speaker"}]))
    assert [str(p) for p in problems][0].startswith("analyses[0].scaling[0].by: 'speaker' takes several values within ")
    # keys are the method's own parameters; the pipeline's method-specific keys are refused elsewhere
    with pytest.raises(ConfigError, match=r"scaling\[0\]: unknown key 'dispersoin'.*\(did you mean 'dispersion'\?\)"):
        validate({"analyses": [{"name": "a", "corpus": "seed", "scaling": [{"method": "wordfish", "dispersoin": "poisson"}]}]})
    with pytest.raises(ConfigError, match=r"scaling\[0\]\.dispersion: .*dispersion='gaussian'"):
        validate({"analyses": [{"name": "a", "corpus": "seed", "scaling": [{"method": "wordfish", "dispersion": "gaussian"}]}]})
    with pytest.raises(ConfigError, match=r"scaling\[0\]\.seeds: 'seeds' is a key of method lss, not of wordfish"):
        validate({"analyses": [{"name": "a", "corpus": "seed", "scaling": [{"method": "wordfish", "seeds": {"positive": ["a"]}}]}]})
    with pytest.raises(ConfigError, match=r"scaling\[0\]\.method: 'wordfsh' .*wordfish"):
        validate({"analyses": [{"name": "a", "corpus": "seed", "scaling": ["wordfsh"]}]})
    with pytest.raises(ConfigError, match=r"effects\[0\]\.model"):
        validate({"analyses": [{"name": "a", "corpus": "seed", "models": [{"k": 3}], "effects": [{"model": "lda", "formula": "group"}]}]})
    with pytest.raises(ConfigError, match=r"scaling\[1\]: its output 'wordfish_speaker_positions' has the name of the output"):
        validate({"analyses": [{"name": "a", "corpus": "seed", "scaling": [{"method": "wordfish", "group": "speaker"},
                                                                            {"method": "wordfish", "group": "speaker", "max_iter": 5}]}]})


def test_a_scaling_stage_error_names_its_key(tmp_path, data_home):
    config = _mariage(data_home, scaling=[{"method": "wordfish", "group": "group", "max_iter": 0}])
    with pytest.raises(ConfigError, match=r"analyses\[0\]\.scaling\[0\]\.max_iter: "):
        run(config, tmp_path / "out", progress=False)


def test_positions_example_is_valid(data_home):
    config, problems = check(POSITIONS)
    assert problems == []
    assert [s["method"] for s in config["analyses"][0]["scaling"]] == ["wordfish", "lss"]


def test_reinert_and_ca_sections(tmp_path, data_home):
    config = _mariage(data_home, reinert=[{"n_classes": 4, "min_tokens": 20, "segment_size": 20, "min_df": 5,
                                           "crosstab": ["group"], "n_segments": 3}],
                      ca=[{"by": "group", "n_components": 3, "min_count": 50, "supplementary_rows": ["NI"]}, {"min_count": 100}])
    manifest = run({**config, "figures": {"formats": ["png"], "dpi": 60}}, tmp_path / "a", progress=False)
    tables = tmp_path / "a/tables/mpt"
    left = pd.read_csv(tables / "reinert_left_out.csv")
    assert left["reason"].str.fullmatch(r"\d+ tokens < 20").all() and len(left) > 0
    segments = pd.read_csv(tables / "reinert_segments.csv")
    assert not set(segments["doc_id"]) & set(left["doc_id"])  # short turns are not segmented
    classes = pd.read_csv(tables / "reinert_classes.csv")
    assert classes["class"].tolist() == [1, 2, 3, 4] and classes["n_segments"].sum() == segments["class"].notna().sum()
    crossed = pd.read_csv(tables / "reinert_by_group.csv")
    assert set(crossed["value"]) <= {"UMP", "SRC", "UDI", "ECOLO", "GDR", "RRDP", "NI"} and crossed["n"].sum() == classes["n_segments"].sum()
    assert len(pd.read_csv(tables / "reinert_characteristic_segments.csv")) == 4 * 3
    eig = pd.read_csv(tables / "ca_group_eigenvalues.csv")
    assert len(eig) == 3 and eig["cumulative"].is_monotonic_increasing
    rows = pd.read_csv(tables / "ca_group_rows.csv")
    assert rows.set_index("label").loc["NI", "supplementary"] and "UMP" in set(rows["label"])
    columns = pd.read_csv(tables / "ca_group_columns.csv")
    skipped = pd.read_csv(tables / "ca_group_skipped.csv")
    assert not set(columns["label"]) & set(skipped["label"]) and skipped["reason"].str.contains("min_count 50").all()
    assert {"contribution_dim1", "cos2_dim1", "mass"} <= set(columns.columns)
    assert pd.read_csv(tables / "ca_rows.csv")["label"].str.contains("/").all()  # the matrix: documents × terms
    figures = {o["path"] for o in manifest["outputs"] if o["kind"] == "figure"}
    assert {"figures/mpt/reinert_dendrogram.png", "figures/mpt/ca_group_biplot.png", "figures/mpt/ca_biplot.png"} <= figures
    run(config, tmp_path / "b", progress=False)
    assert _tables(tmp_path / "a") == _tables(tmp_path / "b")


def test_check_reads_a_stage_s_own_parameter_check_and_textometry_columns(data_home):
    # Reinert checks its parameters without data (discourse.base.Estimator's hook): check stops there
    with pytest.raises(ConfigError, match=r"analyses\[0\]\.reinert\[0\]\.n_classes: n_classes=1 must be at least 2"):
        check(_mariage(data_home, reinert=[{"n_classes": 1}]))
    config = _mariage(data_home, reinert=[{"n_classes": 3, "crosstab": ["groupe"]}],
                      ca=[{"by": "group", "supplementary_rows": ["PS"]}])
    _, problems = check(config)
    messages = [str(p) for p in problems]
    assert messages[0].startswith("analyses[0].reinert[0].crosstab: no metadata column 'groupe'")
    assert messages[1].startswith("analyses[0].ca[0].supplementary_rows: no document has group = 'PS'")
    assert len(messages) == 2


# ----------------------------------------------------------------------------- check: the stages' own checks, before any work
@pytest.mark.parametrize("section, key, line, message", [
    ("    models:\n      - type: lda\n        k: 4\n        n_iter: -4\n", "models[0].n_iter", 7, "n_iter=-4 must be at least 1"),
    ("    models:\n      - type: lda\n        k: 4\n        backend: tomotopi\n", "models[0].backend", 7,
     "backend='tomotopi' is not one of ['tomotopy', 'gensim', 'sklearn']"),
    ("    models:\n      - type: nmf\n        k: 4\n        solver: newton\n", "models[0].solver", 7, "solver='newton' is not one of"),
    ("    select_k:\n      ks: [2, 3]\n      n_iter: 0\n", "select_k.n_iter", 6, "n_iter=0 must be at least 1"),
    ("    preprocess:\n      backend: fast\n      min_length: 0\n", "preprocess.min_length", 6, "min_length=0 must be at least 1"),
    ("    preprocess:\n      stop_words: aucun\n", "preprocess.stop_words", 5, "stop_words='aucun'"),
    ("    keyness:\n      - by: is_chair\n        target: true\n        level: 1.5\n", "keyness[0].level", 7, "level=1.5 must be below 1"),
    ("    specificities:\n      - by: speaker\n        min_count: -1\n", "specificities[0].min_count", 6, "min_count=-1 must be at least 0"),
    ("    frames:\n      counts:\n        - by: agenda_item\n          ci: wald\n", "frames.counts[0].ci", 7, "ci='wald' is not one of"),
    ("    dtm:\n      min_df: 3\n      max_features: 0\n", "dtm.max_features", 6, "max_features=0 must be at least 1"),
    ("    dtm:\n      filter:\n        stop_words: true\n        min_count: -2\n", "dtm.filter.min_count", 7,
     "min_count=-2 must be at least 1"),
])
def test_check_reports_bad_stage_values_with_their_line(tmp_path, data_home, section, key, line, message):
    path = _check_file(tmp_path, data_home, section)
    with pytest.raises(ConfigError) as caught:
        check(path)
    text = str(caught.value)
    assert text.startswith(f"{path}, line {line}: analyses[0].{key}: "), text
    assert message in text


def test_check_refuses_a_model_with_k_but_a_bad_n_topics_value(tmp_path, data_home):
    # k is the section's name for n_topics: LDA's own check of it is placed at k
    path = _check_file(tmp_path, data_home, "    models:\n      - type: lda\n        k: 3\n        seed_terms: [a, b]\n")
    with pytest.raises(ConfigError, match=r"line 7: analyses\[0\]\.models\[0\]\.seed_terms: seed_terms must be a mapping"):
        check(path)
