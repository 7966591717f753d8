"""Every notebook of notebooks/ runs from top to bottom on the real corpora.

They are executed with nbclient on the ``python3`` kernel; jupyter_client starts a kernel
spec whose command is ``python`` with the interpreter running the tests, so the notebooks
use this project's environment. The committed notebooks carry no outputs and match
``scripts/build_notebooks.py``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _builder():
    spec = importlib.util.spec_from_file_location("build_notebooks", ROOT / "scripts" / "build_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_notebooks_exist():
    assert [p.name for p in NOTEBOOKS] == ["01_seed_article.ipynb", "02_europarl_topics.ipynb",
                                           "03_assemblee_framing.ipynb", "04_mariage_pour_tous.ipynb",
                                           "05_dictionary_validation.ipynb", "06_textometry_mariage.ipynb",
                                           "07_positions_mariage.ipynb"]


def test_notebooks_match_their_source_and_have_no_outputs(tmp_path):
    built = _builder().build(tmp_path)
    for path in built:
        committed = ROOT / "notebooks" / path.name
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), f"rebuild {path.name}"
        nb = nbformat.read(committed, as_version=4)
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path, data_home, monkeypatch):
    monkeypatch.setenv("DISCOURSE_DATA", str(data_home))
    monkeypatch.delenv("MPLBACKEND", raising=False)
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import sys; print(sys.executable)"))
    # the notebook writes its figures next to where it runs: a temporary copy of notebooks/
    client = NotebookClient(nb, kernel_name="python3", timeout=240, resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    errors = [o for o in outputs if o.get("output_type") == "error"]
    assert errors == []
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert images, f"{path.name} shows no figure"
    # the kernel ran this environment's interpreter (the one running the tests)
    assert nb.cells[-1].outputs[0]["text"].strip() == sys.executable
