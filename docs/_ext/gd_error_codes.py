"""Sphinx directive ``gd-error-codes``: the table of every stable error code, read from the source.

The error classes declare a ``default_code``; many raise sites pass a more specific ``code=``.
This directive scans the library and the plugins in this repository with `ast` for every call
of an error class of `govdisclose.errors` (with a literal ``code=``, or none: the class's
``default_code``) and renders one row per code: the code, the class raised, and the modules
raising it. Generated at build time, so the
page cannot fall behind the code.
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


def collect() -> dict[str, tuple[set[str], set[str]]]:
    """``{code: ({error classes}, {modules})}`` for every error raised in the source."""
    from govdisclose import errors

    classes = set(errors.__all__)
    found: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for base in SOURCES:
        for path in sorted(base.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name not in classes:
                    continue
                code_kw = next((kw for kw in node.keywords if kw.arg == "code"), None)
                if code_kw is None:
                    code = getattr(errors, name).default_code  # raised with the class's code
                elif isinstance(code_kw.value, ast.Constant):
                    code = str(code_kw.value.value)
                else:
                    continue  # a computed code (passed on from another error) is counted there
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
