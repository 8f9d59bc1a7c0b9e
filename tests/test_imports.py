"""The import graph of ``osce_brief`` has no circles.

Every ``import`` and ``from ... import`` statement of every module under
``src/osce_brief`` is an edge, including the imports inside functions (lazy
imports): a lazy import still ties two modules together, so a circle through
one is a circle (``model`` -> ``segment`` -> ``model`` was one). Imports under
``if TYPE_CHECKING:`` never run and are left out. ``from package import name``
is an edge to ``package.name`` when that is a module, else to ``package``.
Importing a module implicitly imports its parent packages; those implicit
imports are not edges (a package's ``__init__`` holding names its modules import
is not a circle unless the ``__init__`` imports the modules back).
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "osce_brief"


def _modules() -> dict[str, tuple[Path, bool]]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts = parts[:-1]
        out[".".join(parts)] = (path, is_pkg)
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


@lru_cache(maxsize=1)
def import_edges() -> dict[str, set[tuple[str, bool]]]:
    """module -> {(imported module, lazy)} for every module of the package."""
    mods = _modules()
    graph: dict[str, set[tuple[str, bool]]] = {}
    for name, (path, is_pkg) in mods.items():
        package = name if is_pkg else name.rpartition(".")[0]
        edges: set[tuple[str, bool]] = set()

        def visit(node: ast.AST, lazy: bool) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.If) and _is_type_checking(child.test):
                    for sub in child.orelse:
                        visit(sub, lazy)
                    continue
                inner = lazy or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                if isinstance(child, ast.Import):
                    edges.update((a.name, inner) for a in child.names if a.name in mods)
                elif isinstance(child, ast.ImportFrom):
                    if child.level:
                        base = package.split(".")
                        base = base[: len(base) - (child.level - 1)]
                        source = ".".join(base + ([child.module] if child.module else []))
                    else:
                        source = child.module or ""
                    for a in child.names:
                        target = f"{source}.{a.name}"
                        if target in mods:
                            edges.add((target, inner))
                        elif source in mods:
                            edges.add((source, inner))
                visit(child, inner)

        visit(ast.parse(path.read_text(encoding="utf-8")), False)
        edges.discard((name, False))
        edges.discard((name, True))
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def test_the_walker_sees_lazy_and_relative_imports():
    graph = import_edges()
    assert ("osce_brief.model", False) in graph["osce_brief.outline"]
    assert ("osce_brief.segment", True) in graph["osce_brief.model"]  # inside Paragraph.sentences
    assert ("osce_brief.render.plain", True) in graph["osce_brief.output"]  # `from .render import plain`
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_circles_at_module_level():
    graph = import_edges()
    eager = {m: {t for t, lazy in es if not lazy} for m, es in graph.items()}
    assert cycles(eager) == []


def test_no_import_circles_through_lazy_imports_either():
    graph = import_edges()
    assert cycles({m: {t for t, _ in es} for m, es in graph.items()}) == []


def test_text_helpers_know_no_document_model():
    graph = import_edges()
    for helper in ("osce_brief.segment", "osce_brief.textnorm", "osce_brief.sanitize"):
        assert "osce_brief.model" not in {t for t, _ in graph[helper]}, helper


def test_the_package_imports_nothing_at_start_up():
    """``import osce_brief`` loads no submodule: every public name is imported on first use."""
    graph = import_edges()
    assert {t for t, lazy in graph["osce_brief"] if not lazy} == set()
