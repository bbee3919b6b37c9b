"""The hook specifications: names, markers, documentation contract, and the two meta-guards.

Guards ported from datasette: every hook has a section in docs/plugin_hooks.md headed by its exact
signature, and every hook is exercised by some ``test_hook_<name>`` test.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from govdisclose import hookspecs

ROOT = Path(__file__).resolve().parent.parent
HOOKS = sorted(
    name
    for name, value in vars(hookspecs).items()
    if name.startswith("govdisclose_") and callable(value)
)
SPEC_ATTR = "govdisclose_spec"


def signature_of(name: str) -> str:
    """``name(arg, ...)`` as the docs must show it."""
    params = inspect.signature(getattr(hookspecs, name)).parameters
    return f"{name}({', '.join(params)})"


def test_hook_list() -> None:
    """The eleven hooks of the design exist (a rename must update docs and plugins)."""
    assert HOOKS == [
        "govdisclose_calendar",
        "govdisclose_calendar_overrides",
        "govdisclose_handle_event",
        "govdisclose_label_aliases",
        "govdisclose_notice_templates",
        "govdisclose_parameter_sources",
        "govdisclose_parameters",
        "govdisclose_publishers",
        "govdisclose_report_renderers",
        "govdisclose_rules",
        "govdisclose_store",
    ]


@pytest.mark.parametrize("name", HOOKS)
def test_hook_is_a_spec(name: str) -> None:
    """Every hook function carries the govdisclose hookspec marker."""
    assert hasattr(getattr(hookspecs, name), SPEC_ATTR)


def test_only_the_base_hooks_are_firstresult() -> None:
    """Only the hooks that give one base (store, calendar, parameters) stop at the first
    answer; no hook is historic."""
    opts = {n: getattr(getattr(hookspecs, n), SPEC_ATTR) for n in HOOKS}
    assert [n for n, o in opts.items() if o["firstresult"]] == [
        "govdisclose_calendar",
        "govdisclose_parameters",
        "govdisclose_store",
    ]
    assert not any(o["historic"] for o in opts.values())


@pytest.mark.parametrize("name", HOOKS)
def test_hook_docstring_contract(name: str) -> None:
    """Docstrings say when the hook is called, each :param:, the return, and firstresult."""
    func = getattr(hookspecs, name)
    doc = inspect.getdoc(func) or ""
    assert "Called" in doc
    for param in inspect.signature(func).parameters:
        assert f":param {param}:" in doc
    assert ":return:" in doc
    firstresult = getattr(func, SPEC_ATTR)["firstresult"]
    assert ("Stops at first non-None result." in doc) is firstresult


def test_markers_use_project_name() -> None:
    """Markers, entry-point group and prefix all say govdisclose."""
    assert hookspecs.hookspec.project_name == "govdisclose"
    assert hookspecs.hookimpl.project_name == "govdisclose"
    assert hookspecs.PROJECT_NAME == "govdisclose"


def test_specs_in_call_order_under_banners() -> None:
    """Set-up hooks come first, then reporting, then notifications."""
    source = inspect.getsource(hookspecs)
    order = [n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]
    assert order[0] == "govdisclose_store"
    assert order[-2:] == ["govdisclose_report_renderers", "govdisclose_handle_event"]
    assert source.index("# Set-up hooks") < source.index("# Reporting hooks")
    assert source.index("# Reporting hooks") < source.index("# Notifications")


# -- the two guards ---------------------------------------------------------------------------


def documented_signatures() -> set[str]:
    text = (ROOT / "docs" / "plugin_hooks.md").read_text(encoding="utf-8")
    return {
        m.group(1).strip("`") for m in re.finditer(r"^#{2,3} +(`?govdisclose_\S+\)`?)", text, re.M)
    }


@pytest.mark.parametrize("name", HOOKS)
def test_every_hook_is_documented(name: str) -> None:
    """docs/plugin_hooks.md has a section headed by the hook's exact signature."""
    assert signature_of(name) in documented_signatures()


def test_no_documented_hook_is_missing() -> None:
    """Every documented hook signature is a real hook (no stale sections)."""
    assert documented_signatures() == {signature_of(n) for n in HOOKS}


def hook_tests() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "tests").glob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names |= {
            n.name
            for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef) and n.name.startswith("test_hook_")
        }
    return names


@pytest.mark.parametrize("name", HOOKS)
def test_every_hook_is_tested(name: str) -> None:
    """Some test is named test_hook_<name> (or starts with it)."""
    tests = hook_tests()
    assert any(t == f"test_hook_{name}" or t.startswith(f"test_hook_{name}_") for t in tests)


def test_kitchen_sink_implements_every_hook() -> None:
    """The kitchen-sink test plugin implements every hook, each marked with hookimpl."""
    tree = ast.parse((ROOT / "tests" / "plugins" / "kitchen_sink.py").read_text(encoding="utf-8"))
    implemented = {
        n.name
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef)
        and any(ast.unparse(d).startswith("hookimpl") for d in n.decorator_list)
    }
    assert implemented == set(HOOKS)
