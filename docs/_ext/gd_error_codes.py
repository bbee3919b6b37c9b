"""Sphinx directive ``gd-error-codes``: the table of every stable error code, read from the source.

The error classes declare a ``default_code``; many raise sites pass a more specific ``code=``.
This directive scans the library and the plugins in this repository with `ast` for every call
of an error class of `govdisclose.errors` (with a literal ``code=``, or none: the class's
``default_code``) and renders one row per code: the code, the class raised, and the modules
raising it. A named constructor (``NotFound.for_key(...)``, a classmethod of the error) counts
where it is called, with the codes it builds. Generated at build time, so the page cannot fall
behind the code.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path
from typing import Any

from docutils import nodes  # type: ignore[import-untyped]  # no stubs installed
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parents[2]
SOURCES = (ROOT / "src", *sorted((ROOT / "plugins").glob("*/src")))


def _module_name(path: Path) -> str:
    for base in SOURCES:
        if base in path.parents:
            parts = path.relative_to(base).with_suffix("").parts
            return ".".join(p for p in parts if p != "__init__")
    return path.stem


def _code_of(node: ast.Call, name: str, errors: Any) -> str | None:
    """The code a call of the error class ``name`` raises: its literal ``code=``, else the
    class's ``default_code``; None for a computed code (counted where it was first raised)."""
    code_kw = next((kw for kw in node.keywords if kw.arg == "code"), None)
    if code_kw is None:
        return str(getattr(errors, name).default_code)
    if isinstance(code_kw.value, ast.Constant):
        return str(code_kw.value.value)
    return None


def _constructors(
    tree: ast.Module, errors: Any
) -> tuple[dict[tuple[str, str], set[tuple[str, str]]], set[int]]:
    """The named constructors in ``tree`` (the parsed `govdisclose.errors`): ``{(class,
    method): {(class raised, code)}}``, and the ids of the calls inside them (built there,
    raised by the callers)."""
    classes = set(errors.__all__)
    made: dict[tuple[str, str], set[tuple[str, str]]] = {}
    inside: set[int] = set()
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        for method in cls.body:
            if not isinstance(method, ast.FunctionDef) or not any(
                isinstance(d, ast.Name) and d.id == "classmethod" for d in method.decorator_list
            ):
                continue
            for node in ast.walk(method):
                if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                    continue
                name = cls.name if node.func.id == "cls" else node.func.id
                if name not in classes:
                    continue
                inside.add(id(node))
                code = _code_of(node, name, errors)
                if code is not None:
                    made.setdefault((cls.name, method.name), set()).add((name, code))
    return made, inside


def collect() -> dict[str, tuple[set[str], set[str]]]:
    """``{code: ({error classes}, {modules})}`` for every error raised in the source."""
    from govdisclose import errors

    classes = set(errors.__all__)
    errors_path = Path(errors.__file__).resolve()
    errors_tree = ast.parse(errors_path.read_text(encoding="utf-8"))
    constructors, constructed = _constructors(errors_tree, errors)
    found: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for base in SOURCES:
        for path in sorted(base.rglob("*.py")):
            own = path.resolve() == errors_path
            # errors.py is walked as the tree _constructors read, so the ids match its nodes.
            tree = errors_tree if own else ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or (own and id(node) in constructed):
                    continue
                func = node.func
                if (
                    isinstance(func, ast.Attribute)
                    and isinstance(func.value, ast.Name)
                    and (func.value.id, func.attr) in constructors
                ):
                    for name, code in constructors[(func.value.id, func.attr)]:
                        found[code][0].add(name)
                        found[code][1].add(_module_name(path))
                    continue
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name not in classes:
                    continue
                code = _code_of(node, name, errors)
                if code is None:
                    continue
                found[code][0].add(name)
                found[code][1].add(_module_name(path))
    return dict(found)


def _cell(*children: nodes.Node) -> nodes.entry:
    entry = nodes.entry()
    entry += nodes.paragraph("", "", *children)
    return entry


def _literals(values: set[str]) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for i, value in enumerate(sorted(values)):
        if i:
            out.append(nodes.Text(", "))
        out.append(nodes.literal(value, value))
    return out


class ErrorCodes(SphinxDirective):
    """Render the generated code table."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        codes = collect()
        table = nodes.table()
        group = nodes.tgroup(cols=3)
        table += group
        for width in (30, 25, 45):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        row = nodes.row()
        for title in ("code", "raised as", "raised in"):
            row += _cell(nodes.Text(title))
        head += row
        group += head
        body = nodes.tbody()
        for code in sorted(codes):
            kinds, modules = codes[code]
            row = nodes.row()
            row += _cell(nodes.literal(code, code))
            row += _cell(*_literals(kinds))
            row += _cell(*_literals(modules))
            body += row
        group += body
        return [table]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("gd-error-codes", ErrorCodes)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
