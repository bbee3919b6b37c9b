"""The shape of the package, from its import graph, against the module map in
docs/architecture.md: every module is on the map, no module imports a higher layer, and no
two modules import each other in a cycle (lazy imports inside functions count too; only the
compatibility re-exports of a module-level ``__getattr__`` and ``if TYPE_CHECKING:`` imports
do not)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "govdisclose"
MAP = ROOT / "docs" / "architecture.md"


def _modules() -> dict[str, Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _layers() -> dict[str, int]:
    rows = re.findall(r"^\| (\d+) \| `([\w.]+)` \|", MAP.read_text("utf-8"), re.MULTILINE)
    return {name: int(layer) for layer, name in rows}


LAYERS = _layers()


def _unit(module: str) -> str:
    """The row of the map a module belongs to: its own, or its package's."""
    parts = module.split(".")
    while parts:
        name = ".".join(parts)
        if name in LAYERS:
            return name
        parts.pop()
    return module


class _Imports(ast.NodeVisitor):
    def __init__(self, modules: dict[str, Path]) -> None:
        self.modules = modules
        self.found: set[str] = set()

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        ):
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node.name == "__getattr__":
            return  # compatibility re-exports of old import paths
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module is None or node.level:
            return
        for alias in node.names:
            full = f"{node.module}.{alias.name}"
            self._add(full if full in self.modules else node.module)

    def _add(self, name: str) -> None:
        if name in self.modules:
            self.found.add(name)
            # Importing a submodule runs its package first.
            parts = name.split(".")[:-1]
            while len(parts) > 1:
                self.found.add(".".join(parts))
                parts.pop()


def _graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        visitor = _Imports(MODULES)
        visitor.visit(ast.parse(path.read_text("utf-8")))
        # A package's own submodules importing the package is how packages work, not a cycle.
        graph[name] = {m for m in visitor.found if m != name and not name.startswith(m + ".")}
    return graph


GRAPH = _graph()


def test_every_module_is_on_the_map() -> None:
    missing = sorted(m for m in MODULES if _unit(m) not in LAYERS)
    assert missing == [], f"add these modules to the table in {MAP.name}: {missing}"
    stale = sorted(name for name in LAYERS if name not in MODULES)
    assert stale == [], f"{MAP.name} lists modules that do not exist: {stale}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_upward_import(module: str) -> None:
    mine = LAYERS[_unit(module)]
    upward = sorted(
        f"{target} (layer {LAYERS[_unit(target)]})"
        for target in GRAPH[module]
        if LAYERS[_unit(target)] > mine
    )
    assert upward == [], f"{module} (layer {mine}) imports a higher layer: {upward}"


def _cycles(graph: dict[str, set[str]]) -> Iterator[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    counter = [0]

    def visit(v: str) -> Iterator[list[str]]:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                yield from visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                yield sorted(component)

    for v in sorted(graph):
        if v not in index:
            yield from visit(v)


def test_no_import_cycle() -> None:
    assert list(_cycles(GRAPH)) == []


def test_the_checks_can_fail() -> None:
    """The cycle finder finds a planted cycle, and the map parser found the table."""
    assert list(_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()})) == [["a", "b", "c"]]
    assert len(LAYERS) > 20
    assert LAYERS["govdisclose.errors"] == 0
