"""The shape of app/: no import cycles between its modules.

Every import counts: module level, inside functions, and under ``if TYPE_CHECKING:`` (a
type-only cycle is still two modules that cannot be read, tested or moved apart). An
import is an edge to the most specific module it names (``from app.a import b`` is an
edge to ``app.a.b`` when that is a module, else to ``app.a``); parent packages run on the
way are not edges, so a package's ``__init__`` is not in a cycle just by being a parent.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Cycles that exist today and are being removed by other parts of the same restructuring.
# Each entry must go when its cycle does: the test fails on any new cycle *and* on a
# listed one that no longer exists, so this list only ever shrinks.
KNOWN_CYCLES: list[list[str]] = []


def _modules(root: Path, package: str) -> dict[str, Path]:
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path) -> Iterator[tuple[str, ...]]:
    """Per imported name, the dotted names it may refer to, most specific first."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield (alias.name,)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_from(name, is_package, node)
            for alias in node.names:
                yield (base,) if alias.name == "*" else (f"{base}.{alias.name}", base)


def _resolve_from(name: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module of a ``from ... import``, relative imports included."""
    if not node.level:
        return node.module or ""
    anchor = name.split(".")
    drop = node.level - 1 if is_package else node.level
    anchor = anchor[: len(anchor) - drop]
    return ".".join([*anchor, node.module] if node.module else anchor)


def import_graph(root: Path = ROOT, package: str = "app") -> dict[str, set[str]]:
    """Module → the modules of the same package it imports."""
    modules = _modules(root, package)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for candidates in _imports(name, path):
            target = next((c for c in candidates if c in modules), None)
            if target is not None and target != name:
                graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component: list[str] = []
            while not component or component[-1] != node:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def _write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_the_graph_counts_type_only_lazy_and_relative_imports(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.b import B\n",
            "pkg/b.py": "def f():\n    from . import c\n",
            "pkg/c.py": "import pkg.sub.d\nimport json\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/d.py": "from ..a import thing\nfrom pkg.sub import e\n",
            "pkg/sub/e.py": "from pkg import sub\n",
        },
    )
    graph = import_graph(tmp_path, "pkg")
    assert graph["pkg.a"] == {"pkg.b"}  # under TYPE_CHECKING
    assert graph["pkg.b"] == {"pkg.c"}  # inside a function, relative
    assert graph["pkg.c"] == {"pkg.sub.d"}  # plain import; outside modules ignored
    assert graph["pkg.sub.d"] == {"pkg.a", "pkg.sub.e"}  # a name from a module; a submodule
    assert graph["pkg.sub.e"] == {"pkg.sub"}  # the package itself
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.c", "pkg.sub.d"]]


def test_the_cycle_finder_reports_each_cycle_once() -> None:
    graph = {"a": {"b"}, "b": {"a", "c"}, "c": set(), "d": {"e"}, "e": {"d", "a"}}
    assert cycles(graph) == [["a", "b"], ["d", "e"]]


def test_no_import_cycles_among_app_modules() -> None:
    found = cycles(import_graph())
    new = [c for c in found if c not in KNOWN_CYCLES]
    gone = [c for c in KNOWN_CYCLES if c not in found]
    assert not new, "import cycles in app/:\n" + "\n".join(" ↔ ".join(c) for c in new)
    assert not gone, "no longer cycles, remove from KNOWN_CYCLES:\n" + "\n".join(map(str, gone))


def test_only_the_container_reads_the_apps_extensions() -> None:
    """Services are reached through ``app.container.get_services``, never by key."""
    lookup = re.compile(r"\bextensions\s*(?:\[|\.get\(|\.setdefault\(|\.pop\()")
    readers = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "app").rglob("*.py"))
        if path != ROOT / "app" / "container.py"
        for line in path.read_text().splitlines()
        if lookup.search(line) and "response.extensions" not in line  # httpx's, not Flask's
    ]
    assert readers == []


MAX_MODULE_LINES = 300


def test_no_app_module_is_over_300_lines() -> None:
    too_long = {
        str(path.relative_to(ROOT)): n
        for path in sorted((ROOT / "app").rglob("*.py"))
        if (n := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}, f"split these modules by concern: {too_long}"
