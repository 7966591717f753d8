"""The `discourse` command: run, check, corpora, summary — smoke tests on real corpora."""

from __future__ import annotations

import os
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


# ----------------------------------------------------------------------------- user errors: one line, exit 2
def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


def test_out_that_is_a_file_or_under_a_file(seed_config, tmp_path, capsys):
    afile = tmp_path / "résultats.txt"
    afile.write_text("déjà là", encoding="utf-8")
    assert main(["run", str(seed_config), "--out", str(afile), "--quiet"]) == 2
    assert _one_line_error(capsys) == f"discourse: --out {afile} is a file, not a folder: choose a folder"
    assert main(["run", str(seed_config), "--out", str(afile / "sous"), "--quiet"]) == 2
    assert _one_line_error(capsys) == f"discourse: --out {afile / 'sous'} is under {afile}, which is a file, not a folder"
    assert afile.read_text(encoding="utf-8") == "déjà là"


def test_out_that_is_not_writable(seed_config, tmp_path, capsys, monkeypatch):
    locked = tmp_path / "verrou"
    locked.mkdir()
    locked.chmod(0o555)
    if os.geteuid() == 0:  # root writes anywhere: the permission check is what is tested
        from discourse.pipeline import outputs

        monkeypatch.setattr(outputs.os, "access", lambda path, mode: Path(path) != locked)
    try:
        assert main(["run", str(seed_config), "--out", str(locked / "out"), "--quiet"]) == 2
        assert _one_line_error(capsys) == f"discourse: --out {locked / 'out'}: the folder {locked} is not writable"
    finally:
        locked.chmod(0o755)
    assert list(locked.iterdir()) == []


def test_yaml_with_aliases_is_one_line(tmp_path, capsys):
    path = tmp_path / "rires.yaml"
    path.write_text("a: &a [lol, lol]\nb: [*a, *a]\n", encoding="utf-8")
    assert main(["check", str(path)]) == 2
    assert "rires.yaml, line 2: aliases (*a) are not allowed" in _one_line_error(capsys)


def test_missing_analysis_file(tmp_path, capsys):
    assert main(["run", str(tmp_path / "absent.yaml")]) == 2
    assert _one_line_error(capsys) == f"discourse: analysis file {str(tmp_path / 'absent.yaml')!r} not found"


def test_check_reports_data_problems_with_lines(tmp_path, data_home, capsys):
    path = tmp_path / "analyse.yaml"
    path.write_text(f"""analyses:
  - name: ep
    corpus: {{name: europarl-fr-2000, data_home: {data_home}}}
    keyness:
      - by: is_chair
        target: oui
""", encoding="utf-8")
    assert main(["check", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"discourse: {path}, line 6: analyses[0].keyness[0].target: no document has is_chair = 'oui'; allowed values: False, True",
        "discourse: 1 problem(s) found; nothing was run",
    ]


def test_verify_exit_codes(seed_config, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(seed_config), "--out", str(out), "--quiet"]) == 0
    assert main(["verify", str(out)]) == 0
    assert "every file matches its manifest" in capsys.readouterr().out
    table = out / "tables" / "graine" / "frames_overall.csv"
    table.write_bytes(table.read_bytes() + b"\n")
    assert main(["verify", str(out)]) == 1
    err = capsys.readouterr().err
    assert "tables/graine/frames_overall.csv: changed since the run" in err and "1 difference(s)" in err


def test_console_script_error_is_one_line(tmp_path):
    script = Path(sys.executable).with_name("discourse")
    path = tmp_path / "bad.yaml"
    path.write_text("analyses:\n  - name: a\n    corpus: seed\n    keyness: [{by: group}]\n", encoding="utf-8")
    result = subprocess.run([str(script), "run", str(path), "--out", str(tmp_path / "o")], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip() == f"discourse: {path}, line 4: analyses[0].keyness[0]: missing key 'target'"


def test_check_catches_a_bad_stage_value_before_reading_the_corpus(tmp_path, capsys):
    # the corpus does not even exist: the stage's own check runs first, from the YAML alone
    path = tmp_path / "analyse.yaml"
    path.write_text("analyses:\n  - name: a\n    corpus: {name: seed, data_home: absent}\n    models:\n"
                    "      - type: lda\n        k: 5\n        n_iter: -4\n        backend: tomotopi\n", encoding="utf-8")
    assert main(["check", str(path)]) == 2
    line = _one_line_error(capsys)
    # the first bad value in the stage's order of checks (backend before n_iter), at its own line
    assert line == (f"discourse: {path}, line 8: analyses[0].models[0].backend: "
                    "backend='tomotopi' is not one of ['tomotopy', 'gensim', 'sklearn']")
