"""The `discourse` command: run, check, corpora, summary — smoke tests on real corpora."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from discourse import corpora
from discourse.cli import main


@pytest.fixture()
def seed_config(tmp_path, data_home) -> Path:
    path = tmp_path / "graine.yaml"
    config = {"title": "seed", "figures": False,
              "analyses": [{"name": "graine", "corpus": {"name": "seed", "data_home": str(data_home)},
                            "frames": {"counts": [{}], "kwic": ["état de droit"]}}]}
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def test_run_writes_tables_and_manifest(seed_config, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(seed_config), "--out", str(out), "--quiet"]) == 0
    assert f"written to {out}" in capsys.readouterr().out
    frames = pd.read_csv(out / "tables" / "graine" / "frames_overall.csv")
    counts = dict(zip(frames.frame, frames["count"]))
    assert counts["rule_of_law"] >= 1 and counts["multilateralism"] >= 1 and counts["violent_extremism"] == 2
    kwic = pd.read_csv(out / "tables" / "graine" / "kwic_etat-de-droit.csv")
    assert kwic["match"].str.lower().tolist() == ["état de droit"]
    assert (out / "manifest.json").is_file()


def test_run_shows_each_stage(seed_config, tmp_path, capsys):
    assert main(["run", str(seed_config), "--out", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    for stage in ("corpus", "preprocess", "frames"):
        assert f"[graine] {stage} done in" in err


def test_check_prints_the_complete_config(seed_config, capsys):
    assert main(["check", str(seed_config)]) == 0
    printed = yaml.safe_load(capsys.readouterr().out)
    assert printed["analyses"][0]["preprocess"] == {"backend": "fast"}
    assert printed["tables"]["formats"] == ["csv", "parquet"]


def test_bad_config_exit_status_and_message(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("analyses:\n  - name: a\n    corpus: seed\n    models:\n      - {type: lda, k: 5, n_iters: 3}\n", encoding="utf-8")
    assert main(["run", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "analyses[0].models[0]: unknown key 'n_iters'" in err and "did you mean 'n_iter'?" in err
    assert not (tmp_path / "o").exists()


def test_corpora_lists_every_corpus(data_home, capsys):
    assert main(["corpora", "--data-home", str(data_home)]) == 0
    out = capsys.readouterr().out
    assert f"corpora read from {data_home}" in out
    lines = {line.split()[0]: line for line in out.splitlines()[2:]}
    assert sorted(lines) == sorted(corpora.names())
    assert all(" yes " in line for name, line in lines.items() if name != "sample")
    assert " bundled " in lines["sample"]


def test_corpora_of_one_corpus_prints_its_origin(data_home, capsys):
    assert main(["corpora", "europarl-fr-2000"]) == 0
    out = capsys.readouterr().out
    assert "Koehn" in out and "origin:" in out


def test_summary_of_a_corpus(data_home, capsys):
    assert main(["summary", "europarl-fr-2000", "--data-home", str(data_home)]) == 0
    out = capsys.readouterr().out
    assert "europarl-fr-2000" in out and "451" in out


def test_unknown_corpus(capsys):
    assert main(["corpora", "europarl"]) == 2
    assert "unknown corpus 'europarl'" in capsys.readouterr().err


def test_console_script_is_installed():
    script = Path(sys.executable).with_name("discourse")
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "0.1.0"
