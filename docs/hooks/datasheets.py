"""MkDocs hook: publish the corpus datasheets (corpora/*.md at the top of the repository).

The datasheets are written once, next to the code that loads the corpora. At build time
this hook adds each one as a page ``datasheets/<name>.md``, plus an index page (the
folder's README.md, or a generated table when there is none), and lists
them in the navigation under "Datasheets". Nothing is copied into docs/ and nothing is
downloaded, so the site builds offline.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import File, Files

_DATASHEETS = "datasheets"


def _sources(config) -> list[Path]:  # type: ignore[no-untyped-def]
    root = Path(config["config_file_path"]).resolve().parent / "corpora"
    return sorted(p for p in root.glob("*.md") if p.name.lower() != "readme.md") if root.is_dir() else []


def _title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


def on_config(config):  # type: ignore[no-untyped-def]
    """Put one navigation entry per datasheet under the "Datasheets" section."""
    sheets = _sources(config)
    nav = config.get("nav") or []
    for i, entry in enumerate(nav):
        if isinstance(entry, dict) and "Datasheets" in entry:
            nav[i] = {"Datasheets": [f"{_DATASHEETS}/index.md"] + [{p.stem: f"{_DATASHEETS}/{p.name}"} for p in sheets]}
    return config


def on_files(files: Files, config) -> Files:  # type: ignore[no-untyped-def]
    """Add the datasheets and their index page (corpora/README.md when there is one) to the site."""
    sheets = _sources(config)
    readme = Path(config["config_file_path"]).resolve().parent / "corpora" / "README.md"
    if readme.is_file():
        files.append(File.generated(config, f"{_DATASHEETS}/index.md", abs_src_path=str(readme)))
        for p in sheets:
            files.append(File.generated(config, f"{_DATASHEETS}/{p.name}", abs_src_path=str(p)))
        return files
    lines = [
        "# Corpus datasheets",
        "",
        "One datasheet per corpus that `discourse.corpora.load(name)` reads: origin, licence, "
        "fields, caveats and how to cite. The corpora themselves are never in the repository; "
        "they are read from the folder given as `data_home=` or in the `DISCOURSE_DATA` "
        "environment variable.",
        "",
        "| corpus | datasheet |",
        "|---|---|",
    ]
    lines += [f"| `{p.stem}` | [{_title(p)}]({p.name}) |" for p in sheets]
    if not sheets:
        lines += ["| – | no datasheet found in corpora/ |"]
    files.append(File.generated(config, f"{_DATASHEETS}/index.md", content="\n".join(lines) + "\n"))
    for p in sheets:
        files.append(File.generated(config, f"{_DATASHEETS}/{p.name}", abs_src_path=str(p)))
    return files
