"""The package's import graph: no cycle between modules, and lexicometry below frames.

Only imports run when a module loads count (module level, outside ``if TYPE_CHECKING:``);
imports inside functions run at call time and cannot make a cycle at import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import discourse

ROOT = Path(discourse.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in ROOT.rglob("*.py")}


def _load_time_imports(tree: ast.Module, name: str, is_package: bool, known: set[str]) -> set[str]:
    """Modules of the package imported when ``name`` loads."""
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                visit(node.orelse)
                continue
            if isinstance(node, (ast.If, ast.Try)):
                for block in (node.body, getattr(node, "orelse", []), getattr(node, "finalbody", [])):
                    visit(block)
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)
                continue
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    package = name if is_package else name.rpartition(".")[0]
                    for _ in range(node.level - 1):
                        package = package.rpartition(".")[0]
                    base = f"{package}.{base}" if base else package
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    found.add(sub if sub in known else base)

    visit(tree.body)
    return {m for m in found if m in known and m != name}


def import_graph(reader=None) -> dict[str, set[str]]:
    """Module → modules of the package it imports (at load time unless ``reader`` says otherwise)."""
    reader = reader or _load_time_imports
    modules = _modules()
    known = set(modules)
    return {
        name: reader(ast.parse(path.read_text(encoding="utf-8")), name, path.name == "__init__.py", known)
        for name, path in modules.items()
    }


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def strongconnect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            strongconnect(v)
    return cycles


def test_cycle_finder_sees_a_cycle():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_graph_reads_real_imports():
    graph = import_graph()
    assert "discourse.tokens" in graph["discourse.lexicometry.keyness"]
    assert "discourse.lexicometry.stats" in graph["discourse.frames.count"]


def test_no_import_cycle():
    assert find_cycles(import_graph()) == []


def test_lexicometry_does_not_import_frames_at_load():
    graph = import_graph()
    offenders = {m: sorted(d for d in deps if d.startswith("discourse.frames"))
                 for m, deps in graph.items() if m.startswith("discourse.lexicometry")}
    assert {m: d for m, d in offenders.items() if d} == {}


def _all_imports(tree: ast.Module, name: str, is_package: bool, known: set[str]) -> set[str]:
    """Every import of the package in the module, at load or inside functions (call time)."""
    body = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    return _load_time_imports(ast.Module(body=body, type_ignores=[]), name, is_package, known)


def full_import_graph() -> dict[str, set[str]]:
    return import_graph(_all_imports)


def test_french_rules_have_no_cycle_even_at_call_time():
    # normalize and lemmatize both read the lexicon; neither imports the other for it
    graph = full_import_graph()
    assert "discourse.lang.fr.lemmatize" not in graph["discourse.lang.fr.normalize"]
    assert [c for c in find_cycles(graph) if any(m.startswith("discourse.lang") for m in c)] == []


def test_call_time_cycles_are_only_the_known_ones():
    """Imports inside functions do not break loading, but each backward edge is listed here.

    - ``Corpus.read_csv``/``read_jsonl``/``read_folder`` are shortcuts to :mod:`discourse.io`,
      which builds a Corpus (corpus → io at call time, io → corpus at load).
    - lexicometry queries use the frame pattern matcher (lexicometry.context → frames at call time).
    - the pipeline's config asks its stages for their sections (pipeline.config → pipeline.stages).
    """
    allowed = {("discourse.corpus", "discourse.io"), ("discourse.lexicometry.context", "discourse.frames.count"),
               ("discourse.lexicometry.context", "discourse.frames.dictionary"), ("discourse.lexicometry.context", "discourse.frames.match"),
               ("discourse.pipeline.config", "discourse.pipeline.stages")}
    graph = full_import_graph()
    pruned = {m: {d for d in deps if (m, d) not in allowed} for m, deps in graph.items()}
    assert find_cycles(pruned) == []
