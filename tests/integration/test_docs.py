"""The documentation: its configuration builds offline, its helpers work, the README's example runs."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_mkdocs_config_is_offline_and_every_page_exists():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert config["theme"]["font"] == "false"
    plugins = [p if isinstance(p, str) else next(iter(p)) for p in config["plugins"]]
    assert "offline" in plugins and "mkdocstrings" in plugins

    def pages(nav):
        for entry in nav:
            value = entry if isinstance(entry, str) else next(iter(entry.values()))
            if isinstance(value, list):
                yield from pages(value)
            else:
                yield value

    listed = [p for p in pages(config["nav"]) if not p.startswith("datasheets/")]
    assert len(listed) >= 16
    assert [p for p in listed if not (ROOT / "docs" / p).is_file()] == []


def test_doctest_blocks_are_fenced_outside_examples_sections():
    fence = _load(ROOT / "docs" / "hooks" / "doctest_blocks.py").fence_doctests
    text = "Summary.\n\n>>> f(['a'])\n['a', 'b']\n\nExamples\n--------\n>>> g()\n1\n"
    assert fence(text) == "Summary.\n\n```pycon\n>>> f(['a'])\n['a', 'b']\n```\n\nExamples\n--------\n>>> g()\n1\n"


def test_datasheets_hook_lists_every_corpus():
    hook = _load(ROOT / "docs" / "hooks" / "datasheets.py")
    config = {"config_file_path": str(ROOT / "mkdocs.yml"), "nav": [{"Datasheets": "datasheets/index.md"}]}
    nav = hook.on_config(config)["nav"][0]["Datasheets"]
    from discourse import corpora

    assert sorted(next(iter(e)) for e in nav[1:]) == sorted(corpora.names())


def test_readme_example_runs_on_the_bundled_sample(monkeypatch, tmp_path):
    # the example needs no data folder: the corpus ships inside the package
    monkeypatch.setenv("DISCOURSE_DATA", str(tmp_path / "nowhere"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Ten lines on real French text", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert len([line for line in code.splitlines() if line.strip() and not line.strip().startswith("#")]) <= 10
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    printed = out.getvalue()
    # the counts the README's comment quotes
    for frame, count in (("counter_terrorism", 33), ("security_threat", 34), ("sovereignty", 17), ("rule_of_law", 12)):
        assert re.search(rf"{frame}\s+{count}\s", printed), frame
    assert "per 10,000 content tokens (stop words removed)" in printed
    assert "État de droit" in printed
