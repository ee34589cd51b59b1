"""The store and the server read as a tree: no module imports one that imports it back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import eventwire

ROOT = Path(eventwire.__file__).parent


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, known: set[str]) -> set[str]:
    """Every eventwire module `path` imports, at the top, in functions or for type checking."""
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:  # `from pkg import module` imports the module
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {name for name in found if name in known}


def _graph(package: str) -> dict[str, set[str]]:
    known = {_module(p) for p in ROOT.rglob("*.py")}
    inside = {m for m in known if m == package or m.startswith(package + ".")}
    return {
        _module(p): _imports(p, known) & inside
        for p in (ROOT / package.split(".", 1)[1]).rglob("*.py")
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of the graph, or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node], _ = 1, path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node], _ = 2, path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


@pytest.mark.parametrize("package", ["eventwire.store", "eventwire.serve", "eventwire.watch"])
def test_issue16_no_import_cycles(package: str) -> None:
    graph = _graph(package)
    assert len(graph) > 5
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_issue16_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_issue16_views_take_the_request_context_from_a_module_they_import() -> None:
    graph = _graph("eventwire.serve")
    assert "eventwire.serve.app" not in graph["eventwire.serve.views"]
    assert "eventwire.serve.pages" in graph["eventwire.serve.views"]


def test_issue19_the_watcher_imports_downhill_only() -> None:
    """watch/ may use ingest, store and the runner; the CLI and the server wrap it."""
    known = {_module(p) for p in ROOT.rglob("*.py")}
    for path in (ROOT / "watch").rglob("*.py"):
        uphill = {
            m for m in _imports(path, known) if m.startswith(("eventwire.serve", "eventwire.cli"))
        }
        assert not uphill, f"{path.name} imports {uphill}"
    store = {m for p in (ROOT / "store").rglob("*.py") for m in _imports(p, known)}
    assert not {m for m in store if m.startswith("eventwire.watch")}
