"""The ``govdisclose`` command line."""

from __future__ import annotations

import importlib.metadata
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from govdisclose.cli import build_parser, main
from govdisclose.plugins import DEFAULT_PLUGIN_NAME


class FakeDist:
    """An installed distribution with one ``govdisclose`` entry point."""

    def __init__(self, name: str, version: str, ep_name: str, module: str) -> None:
        self.metadata = {"Name": name}
        self.version = version
        self.entry_points = [
            importlib.metadata.EntryPoint(name=ep_name, value=module, group="govdisclose")
        ]


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out)
    return status, out.getvalue()


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """One installed plugin distribution, govdisclose-demo 2.0 with entry point ``demo``."""
    (tmp_path / "gd_cli_demo.py").write_text(
        textwrap.dedent(
            """
            from govdisclose.hookspecs import hookimpl

            @hookimpl
            def govdisclose_rules(settings):
                return ()

            @hookimpl
            def govdisclose_handle_event(event):
                pass
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "gd_cli_demo", raising=False)

    monkeypatch.setattr(
        importlib.metadata,
        "distributions",
        lambda: iter([FakeDist("govdisclose-demo", "2.0", "demo", "gd_cli_demo")]),
    )


@pytest.mark.usefixtures("installed")
def test_plugins_table() -> None:
    """The table lists each plugin with distribution, version and hooks."""
    status, text = run("plugins")
    assert status == 0
    lines = text.splitlines()
    assert lines[0].split() == ["plugin", "distribution", "version", "hooks"]
    assert lines[1].split()[:2] == [DEFAULT_PLUGIN_NAME, "govdisclose"]
    assert lines[1].endswith("govdisclose_store")
    assert lines[2].split() == [
        "demo",
        "govdisclose-demo",
        "2.0",
        "govdisclose_handle_event,",
        "govdisclose_rules",
    ]


@pytest.mark.usefixtures("installed")
def test_plugins_json() -> None:
    """--json prints one object per plugin."""
    status, text = run("plugins", "--json")
    assert status == 0
    rows = json.loads(text)
    assert rows[1] == {
        "name": "demo",
        "distribution": "govdisclose-demo",
        "version": "2.0",
        "hooks": ["govdisclose_handle_event", "govdisclose_rules"],
    }
    assert rows[0]["name"] == DEFAULT_PLUGIN_NAME


@pytest.mark.usefixtures("installed")
@pytest.mark.parametrize(
    "argv",
    [("--no-entry-points",), ("--only", "other"), ("--block", "demo")],
    ids=["no-entry-points", "only", "block"],
)
def test_plugins_filters(argv: tuple[str, ...]) -> None:
    """Installed plugins can be left out, allowlisted or blocked."""
    status, text = run("plugins", "--json", *argv)
    assert status == 0
    assert [r["name"] for r in json.loads(text)] == [DEFAULT_PLUGIN_NAME]


def test_plugin_error_is_reported(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken plugin gives exit status 1 and a bilingual message, not a traceback."""

    monkeypatch.setattr(
        importlib.metadata,
        "distributions",
        lambda: iter([FakeDist("govdisclose-broken", "0.1", "broken", "gd_missing_xyz")]),
    )
    status, _ = run("plugins")
    assert status == 1
    err = capsys.readouterr().err
    assert "无法载入插件 broken" in err
    assert "cannot load plugin broken" in err


def test_no_command_prints_help() -> None:
    """Without a subcommand the help is printed and the status is 2."""
    status, text = run()
    assert status == 2
    assert "plugins" in text


def test_version() -> None:
    """--version prints the installed version."""
    import govdisclose

    assert run("--version") == (0, f"govdisclose {govdisclose.__version__}\n")


def test_parser_lists_plugins_command() -> None:
    """The parser knows the plugins subcommand."""
    args = build_parser().parse_args(["plugins", "--block", "a", "--block", "b"])
    assert (args.command, args.block, args.only) == ("plugins", ["a", "b"], None)


def test_console_script() -> None:
    """The module runs as the installed console script would."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from govdisclose.cli import main; sys.exit(main())",
            "plugins",
            "--no-entry-points",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert DEFAULT_PLUGIN_NAME in result.stdout
