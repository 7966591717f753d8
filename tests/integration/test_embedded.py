"""The bundled corpus `sample` and the bundled example analysis work with no data folder,
and the default path imports none of the optional engines (the light install)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from discourse import corpora
from discourse.cli import EXAMPLE, main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def no_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DISCOURSE_DATA", str(tmp_path / "nothing-here"))
    monkeypatch.delenv("DISCOURSE_MIRROR", raising=False)
    return tmp_path


def test_sample_loads_without_a_data_folder(no_data: Path) -> None:
    sample = corpora.load("sample")
    meta = sample.metadata
    assert len(sample) == 1508
    assert meta.groupby("source").size().to_dict() == {"assemblee": 72, "europarl": 451, "mariage": 985}
    assert meta.loc[meta.source == "assemblee", "date"].dt.year.value_counts().to_dict() == {y: 12 for y in range(2013, 2019)}
    assert meta.loc[meta.source == "mariage", "group"].value_counts().to_dict() == {
        "SRC": 200, "UMP": 200, "ECOLO": 178, "UDI": 163, "GDR": 129, "RRDP": 115}
    assert sample.metadata["doc_id"].is_unique
    assert corpora.info("sample").source == "bundled"
    assert corpora.download("sample") == corpora.embedded_path("sample")
    assert not (no_data / "nothing-here").exists()


def test_sample_texts_are_those_of_the_source_corpora(data_home: Path) -> None:
    sample = corpora.load("sample", source="europarl")
    europarl = corpora.load("europarl-fr-2000", data_home=data_home)
    assert [i.removeprefix("ep/") for i in sample.ids] == europarl.ids
    assert sample.texts == europarl.texts
    assert list(sample.metadata.columns) == ["doc_id", "source", "date", "speaker", "agenda_item", "language"]
    mpt = corpora.load("sample", source="mariage")
    turn = mpt.ids[0].removeprefix("mpt/")
    full = corpora.load("an-mariage-pour-tous-2013", data_home=data_home)
    assert full.texts[full.ids.index(turn)] == mpt.texts[0]
    with pytest.raises(ValueError, match="sources: assemblee, europarl, mariage"):
        corpora.load("sample", source="senat")


def _doc_example() -> str:
    section = (ROOT / "docs" / "corpora.md").read_text(encoding="utf-8").split("## The bundled corpus", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_first_example_runs_on_the_sample_with_no_warning_and_no_optional_engine(no_data: Path) -> None:
    # A fresh interpreter with warnings as errors, as a new user would run it.
    probe = (_doc_example() + "\nimport sys\n"
             "print('OPTIONAL', sorted(m for m in ('spacy', 'gensim', 'pyLDAvis', 'jupyterlab', 'ipywidgets') if m in sys.modules))\n")
    env = {**os.environ, "DISCOURSE_DATA": str(no_data / "nothing-here"), "MPLBACKEND": "Agg"}
    result = subprocess.run([sys.executable, "-W", "error", "-c", probe], capture_output=True, text=True,
                            env=env, cwd=no_data, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr  # only the progress bar of the 9-second preprocessing
    out = result.stdout
    for frame in ("counter_terrorism", "rule_of_law", "state_of_emergency"):
        assert frame in out
    assert "état d’urgence" in out
    assert "OPTIONAL []" in out


def test_import_raises_no_warning() -> None:
    result = subprocess.run([sys.executable, "-W", "error", "-c", "import discourse, discourse.corpora, discourse.plot, discourse.cli"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_missing_optional_engine_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from discourse._optional import MissingDependencyError, require

    monkeypatch.setitem(sys.modules, "pyLDAvis", None)  # as if not installed
    with pytest.raises(MissingDependencyError, match=r"pip install 'discourse-fr\[ldavis\]'"):
        require("pyLDAvis", "ldavis", "the LDAvis page")


@pytest.mark.slow
def test_bundled_example_runs_with_no_data_folder(no_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert EXAMPLE.is_file()
    out = no_data / "out"
    assert main(["run", "--example", "--out", str(out), "--quiet"]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    figures = sorted(o["path"] for o in manifest["outputs"] if o["kind"] == "figure")
    assert "figures/mariage/keyness_group_ump_vs_src.png" in figures
    assert "figures/europarl/lda_top_terms.png" in figures
    assert "figures/assemblee/frames_yearly.png" in figures
    assert main(["run"]) == 2 and "--example" in capsys.readouterr().err
