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


def test_no_import_cycle_even_at_call_time():
    """Imports inside functions count too: no module imports, even when called, one that imports it back."""
    assert find_cycles(full_import_graph()) == []


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_no_cycle_between_subpackages_even_at_call_time():
    # importing discourse.frames.match runs discourse/frames/__init__.py: a subpackage is one unit
    graph: dict[str, set[str]] = {}
    for module, deps in full_import_graph().items():
        graph.setdefault(_package(module), set()).update(_package(d) for d in deps)
    assert find_cycles({p: deps - {p} for p, deps in graph.items()}) == []


def test_lexicometry_never_imports_frames():
    """Queries are matched by discourse.patterns, below both; frames is above lexicometry."""
    graph = full_import_graph()
    offenders = {m: sorted(d for d in deps if d.startswith("discourse.frames"))
                 for m, deps in graph.items() if m.startswith(("discourse.lexicometry", "discourse.patterns"))}
    assert {m: d for m, d in offenders.items() if d} == {}


def test_corpus_and_files_do_not_import_io():
    graph = full_import_graph()
    assert "discourse.io" not in graph["discourse.corpus"]
    assert {"discourse.corpus", "discourse.io"}.isdisjoint(graph["discourse.files"])
