"""The ``govdisclose`` command line."""

from __future__ import annotations

import importlib.metadata
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

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


# -- exit statuses and failures -------------------------------------------------------------------


def test_exit_statuses_are_the_documented_ones() -> None:
    """One table of statuses; the docs page lists exactly these."""
    from govdisclose import cli

    assert cli.EXIT_STATUSES.keys() == {0, 1, 2, 3, 70, 130}
    assert (cli.EXIT_OK, cli.EXIT_ERROR, cli.EXIT_USAGE, cli.EXIT_PROBLEMS) == (0, 1, 2, 3)
    assert (cli.EXIT_INTERNAL, cli.EXIT_INTERRUPTED) == (70, 130)
    page = (Path(__file__).parent.parent / "docs" / "quickstart.md").read_text("utf-8")
    for status in cli.EXIT_STATUSES:
        assert f"| `{status}` |" in page


def test_help_returns_0(capsys: pytest.CaptureFixture[str]) -> None:
    """--help is not a failure: main returns 0 instead of raising SystemExit."""
    assert run("--help")[0] == 0
    assert run("report", "--help")[0] == 0
    assert "--debug" in capsys.readouterr().out


def _boom(exc: BaseException) -> Any:
    def handler(args: Any, out: Any) -> int:
        raise exc

    return handler


@pytest.fixture
def broken(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Make ``govdisclose plugins`` raise the given exception."""
    import govdisclose.cli as cli

    def make(exc: BaseException) -> None:
        monkeypatch.setattr(cli, "_plugins", _boom(exc))

    return make


def test_unexpected_exception_is_one_line_exit_70(
    broken: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    broken(ZeroDivisionError("division by zero"))
    status, out = run("plugins")
    assert (status, out) == (70, "")
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("govdisclose plugins: [cli.internal] 内部错误：")
    assert "internal error: ZeroDivisionError: division by zero" in err
    assert "rerun with --debug for the traceback" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "env"),
    [(("--debug", "plugins"), None), (("plugins", "--debug"), None), (("plugins",), "1")],
    ids=["--debug first", "--debug after the command", "GOVDISCLOSE_DEBUG=1"],
)
def test_debug_shows_the_traceback(
    broken: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    env: str | None,
) -> None:
    if env is not None:
        monkeypatch.setenv("GOVDISCLOSE_DEBUG", env)
    broken(KeyError("lost"))
    assert run(*argv)[0] == 70
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert "KeyError: 'lost'" in err
    assert err.splitlines()[-1].startswith("govdisclose plugins: [cli.internal]")


def test_debug_also_traces_govdisclose_errors(
    broken: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from govdisclose.errors import StoreError

    broken(StoreError("存储坏了\n第二行", "the store broke\nsecond line", code="store.database"))
    assert run("plugins")[0] == 1
    err = capsys.readouterr().err
    assert err == (
        "govdisclose plugins: [store.database] 存储坏了 第二行 / the store broke second line\n"
    )
    assert run("--debug", "plugins")[0] == 1
    assert "Traceback" in capsys.readouterr().err


def test_ctrl_c_exits_130(broken: Any, capsys: pytest.CaptureFixture[str]) -> None:
    broken(KeyboardInterrupt())
    assert run("plugins")[0] == 130
    assert (
        capsys.readouterr().err == "govdisclose plugins: [cli.interrupted] 已中断 / interrupted\n"
    )


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (("frobnicate",), "invalid choice: 'frobnicate'"),
        (("plugins", "--only"), "argument --only: expected one argument"),
        (("plugins", "--json=yes"), "--json"),
        (("--frob",), "unrecognized arguments: --frob"),
    ],
)
def test_usage_errors_are_one_bilingual_line(
    argv: tuple[str, ...], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(*argv) == (2, "")
    err = capsys.readouterr().err
    assert needle in err
    assert "[cli.usage]" in err
    assert " / " in err  # 中文 / English
    assert err.count("\n") == 1
    assert "usage:" not in err


def test_parser_still_exits_2_for_library_callers(capsys: pytest.CaptureFixture[str]) -> None:
    """`build_parser` keeps argparse's contract: SystemExit(2) on a usage error."""
    with pytest.raises(SystemExit) as caught:
        build_parser().parse_args(["plugins", "--only"])
    assert caught.value.code == 2
    assert "[cli.usage]" in capsys.readouterr().err


# -- govdisclose demo: bad arguments are refused before anything is written ----------------------


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--year", "9999"], "--year"),
        (["--year", "2020"], "2021"),
        (["--year", "x"], "--year"),
        (["--applications", "0"], "--applications"),
        (["--applications", "-3"], "--applications"),
        (["--as-of", "2025-13-01"], "--as-of"),
        (["--seed", "x"], "--seed"),
        (["--store", "gd.db"], "--store"),
    ],
)
def test_demo_bad_arguments(
    tmp_path: Path, extra: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "demo"
    assert run("demo", "--dir", str(target), *extra) == (2, "")
    err = capsys.readouterr().err
    assert needle in err
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert not target.exists()


def test_demo_dir_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("mine", "utf-8")
    assert run("demo", "--dir", str(target), "--store", "memory://")[0] == 2
    assert "not a directory" in capsys.readouterr().err
    assert target.read_text("utf-8") == "mine"
