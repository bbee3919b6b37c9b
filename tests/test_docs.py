"""The documentation stays in step with the code: the example plugin runs and prints what the page
shows, the API page lists every public module, the errors page lists every error class.

(That every hook has a section in docs/plugin_hooks.md is checked in tests/test_hookspecs.py.)
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import io
import pkgutil
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import govdisclose
from govdisclose import errors

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLE = DOCS / "examples" / "minimal_plugin.py"


def _public_modules() -> list[str]:
    """Every importable ``govdisclose.X`` module with no ``_``-prefixed part in its name."""
    names = ["govdisclose"]
    for info in pkgutil.walk_packages(govdisclose.__path__, "govdisclose."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return sorted(names)


def _api_modules() -> list[str]:
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    return re.findall(r"^\.\. automodule:: (\S+)", text, re.MULTILINE)


def _load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("minimal_plugin_example", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered under its name, as an imported plugin module would be: main() finds it there.
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[spec.name]
        raise
    return module


@pytest.fixture
def example() -> Iterator[ModuleType]:
    module = _load_example()
    yield module
    sys.modules.pop(module.__name__, None)


def _shown_output() -> str:
    """The ```text block that follows "Running it prints" in writing_plugins.md."""
    page = (DOCS / "plugins" / "writing_plugins.md").read_text(encoding="utf-8")
    match = re.search(r"Running it prints.*?\n```text\n(.*?)```", page, re.DOTALL)
    assert match is not None, "writing_plugins.md lost its output block"
    return match.group(1)


def test_example_plugin_runs_and_prints_what_the_page_shows(example: ModuleType) -> None:
    """docs/examples/minimal_plugin.py runs, and its output is the block shown in the page."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        example.main()
    assert out.getvalue() == _shown_output()


def test_example_plugin_hooks_pass_the_plugin_manager_checks(example: ModuleType) -> None:
    """The example's hook implementations are accepted by make_plugin_manager (no typo)."""
    from govdisclose.plugins import list_plugins, make_plugin_manager

    pm = make_plugin_manager(load_entry_points=False, plugins=[example])
    hooks = {
        h for info in list_plugins(pm) for h in info.hooks if info.name != "govdisclose.builtin"
    }
    assert hooks == {
        "govdisclose_calendar_overrides",
        "govdisclose_handle_event",
        "govdisclose_rules",
    }


def test_example_is_included_in_the_page() -> None:
    """writing_plugins.md includes the example file rather than a copy of it."""
    page = (DOCS / "plugins" / "writing_plugins.md").read_text(encoding="utf-8")
    assert "```{literalinclude} ../examples/minimal_plugin.py" in page


@pytest.mark.parametrize("name", _api_modules())
def test_every_module_in_the_api_page_exists(name: str) -> None:
    """Each automodule of api.md imports."""
    assert isinstance(importlib.import_module(name), ModuleType)


def test_every_public_module_with_all_is_in_the_api_page() -> None:
    """Every public govdisclose module declaring __all__ has an automodule in api.md."""
    with_all = [n for n in _public_modules() if hasattr(importlib.import_module(n), "__all__")]
    assert sorted(set(with_all) - set(_api_modules())) == []


def test_api_page_lists_each_module_once() -> None:
    """No module is documented twice (its objects would be described twice)."""
    listed = _api_modules()
    assert len(listed) == len(set(listed))


@pytest.mark.parametrize("name", errors.__all__)
def test_errors_page_lists_every_error_class_with_its_code(name: str) -> None:
    """docs/integrators/errors.md has a row for each error class with its default code."""
    page = (DOCS / "integrators" / "errors.md").read_text(encoding="utf-8")
    cls = getattr(errors, name)
    assert f"| `{name}` | `{cls.default_code}` |" in page


def test_error_code_table_is_generated_from_the_source() -> None:
    """The docs extension behind the generated code table finds codes of every kind of raise."""
    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        collector = importlib.import_module("gd_error_codes")
    finally:
        sys.path.remove(str(DOCS / "_ext"))
    codes = collector.collect()
    # a class default (no code= at the raise), a literal code=, and a plugin's code
    assert codes["lifecycle.invalid_transition"][0] == {"InvalidTransition"}
    assert codes["report.unknown_renderer"] == ({"ReportError"}, {"govdisclose.report.renderers"})
    assert "govdisclose_sql.plugin" in codes["plugins.bad_option"][1]
    # a named constructor (NotFound.for_key) counts where it is called, not in errors.py
    assert codes["store.not_found"] == (
        {"NotFound"},
        {
            "govdisclose.store._memory",
            "govdisclose_sql.store",
            "govdisclose_sql._items",
            "govdisclose.inquiries._store",
            "govdisclose.opinion._store",
        },
    )
    assert "govdisclose.errors" not in codes["store.closed"][1]


def test_the_hook_page_lists_every_notification_with_its_fields() -> None:
    """docs/plugin_hooks.md's table of notifications is the classes' own field list."""
    import attrs

    from govdisclose.notifications import NOTIFICATION_TYPES

    page = (Path(__file__).parent.parent / "docs" / "plugin_hooks.md").read_text("utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| (.+) \|$", page, flags=re.M))
    for cls in NOTIFICATION_TYPES:
        fields = ", ".join(f"`{a.name}`" for a in attrs.fields(cls))
        assert rows.get(cls.__name__) == fields, cls.__name__
