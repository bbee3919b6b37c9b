"""Secrets never printed: the redaction functions, and every message of the plugin machinery
and the command line that can show a store URL or an option.

Each path is tested with a distinctive secret (`SECRET`): it must not appear, while the rest of
the URL (host, database) must, so that the message is still useful.
"""

from __future__ import annotations

import importlib.metadata
import io
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from govdisclose.cli import EXIT_ERROR, EXIT_INTERNAL, EXIT_USAGE, main
from govdisclose.errors import GovDiscloseError, PluginError
from govdisclose.hookspecs import hookimpl
from govdisclose.plugins import (
    Settings,
    collect_publishers,
    collect_rules,
    load_calendar,
    make_plugin_manager,
    open_store,
)
from govdisclose.redaction import MASK, is_secret_name, redact_options, redact_text, redact_url
from govdisclose.testing import plugin_manager

SECRET = "S3cr3t-Pa55"
PG_URL = f"postgres://admin:{SECRET}@db.example.gov.cn:5432/gd"


def _hidden(text: str, *visible: str) -> None:
    assert SECRET not in text, text
    for part in visible:
        assert part in text, (part, text)


def _all_text(err: GovDiscloseError) -> str:
    return "\n".join((str(err), repr(err), err.message_zh, err.message_en))


# -- the functions ------------------------------------------------------------------------------


def test_redact_url() -> None:
    assert redact_url(PG_URL) == "postgres://admin:***@db.example.gov.cn:5432/gd"
    assert (
        redact_url(f"https://cms/api?token={SECRET}&page=2") == "https://cms/api?token=***&page=2"
    )
    assert redact_url("sqlite:///var/lib/gd.db") == "sqlite:///var/lib/gd.db"
    assert redact_url("memory://") == "memory://"
    assert redact_url("postgresql://gd@db/gd") == "postgresql://gd@db/gd"


def test_redact_text_and_options() -> None:
    text = f"cannot connect to {PG_URL}: refused"
    _hidden(redact_text(text), "db.example.gov.cn:5432/gd", "refused")
    _hidden(redact_text(f"password={SECRET}", (SECRET,)), "password=")
    assert redact_options({"webhook.secret": SECRET, "webhook.url": PG_URL, "dir": "/srv"}) == {
        "webhook.secret": MASK,
        "webhook.url": "postgres://admin:***@db.example.gov.cn:5432/gd",
        "dir": "/srv",
    }
    assert is_secret_name("webhook.secret")
    assert is_secret_name("apiKey")
    assert not is_secret_name("keyword")
    assert not is_secret_name("static_site.dir")


# -- govdisclose.plugins ------------------------------------------------------------------------


def test_no_store_message_hides_the_password() -> None:
    with pytest.raises(PluginError) as caught:
        open_store(Settings(store_url=PG_URL), plugin_manager())
    assert caught.value.code == "plugins.no_store"
    _hidden(_all_text(caught.value), "db.example.gov.cn:5432/gd", "postgres")


class _Leaky:
    """A plugin whose hooks fail with the settings' secrets in their messages."""

    @hookimpl
    def govdisclose_store(self, settings: Settings) -> Any:
        raise RuntimeError(f"cannot connect to {settings.store_url}")

    @hookimpl
    def govdisclose_publishers(self, settings: Settings) -> Any:
        raise ConnectionError(f"webhook refused key {settings.options['webhook.secret']}")

    @hookimpl
    def govdisclose_rules(self, settings: Settings) -> Any:
        return [settings]  # not a Rule: the wrong-type message quotes it

    @hookimpl(tryfirst=True)
    def govdisclose_calendar(self, settings: Settings) -> Any:
        return f"calendar at {settings.store_url} with {settings.options['webhook.secret']}"


SETTINGS = Settings(
    store_url=f"leaky://admin:{SECRET}@db.example/gd",
    options={
        "webhook.secret": SECRET,
        "webhook.url": "https://hook.example/x",
    },
)


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda pm: open_store(SETTINGS, pm), "plugins.hook_failed"),
        (lambda pm: collect_publishers(SETTINGS, pm), "plugins.hook_failed"),
        (lambda pm: collect_rules(SETTINGS, pm), "plugins.wrong_type"),
        (lambda pm: load_calendar(SETTINGS, pm), "plugins.wrong_type"),
    ],
    ids=["store-hook-failed", "publishers-hook-failed", "wrong-type-settings", "wrong-type-str"],
)
def test_plugin_errors_hide_the_settings_secrets(call: Any, code: str) -> None:
    with pytest.raises(PluginError) as caught:
        call(plugin_manager(_Leaky()))
    assert caught.value.code == code
    _hidden(_all_text(caught.value), "_Leaky")


def test_store_hook_failure_keeps_the_host() -> None:
    with pytest.raises(PluginError) as caught:
        open_store(SETTINGS, plugin_manager(_Leaky()))
    _hidden(_all_text(caught.value), "db.example/gd", "cannot connect")


def test_plugin_that_fails_to_load_is_redacted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "gd_leaky_import.py").write_text(
        f"raise ImportError('cannot reach {PG_URL}')\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "gd_leaky_import", raising=False)

    class Dist:
        def __init__(self) -> None:
            self.metadata = {"Name": "govdisclose-leaky"}
            self.version = "1.0"
            self.entry_points = [
                importlib.metadata.EntryPoint(
                    name="leaky", value="gd_leaky_import", group="govdisclose"
                )
            ]

    monkeypatch.setattr(importlib.metadata, "distributions", lambda: iter([Dist()]))
    with pytest.raises(PluginError) as caught:
        make_plugin_manager()
    assert caught.value.code == "plugins.load_failed"
    _hidden(_all_text(caught.value), "db.example.gov.cn:5432/gd")


# -- the command line ------------------------------------------------------------------------------


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


@pytest.mark.parametrize(
    ("argv", "status", "visible"),
    [
        (["deadlines", "--store", PG_URL, "--as-of", "2026-01-20"], EXIT_ERROR, "plugins.no_store"),
        (
            ["deadlines", "--store", f"postgresql://admin:{SECRET}@127.0.0.1:1/gd",
             "--as-of", "2026-01-20"],
            EXIT_ERROR,
            "store.database",
        ),
        (
            ["report", "--store", f"postgresql://admin:{SECRET}@127.0.0.1:1/gd",
             "--agency", "city-gov", "--year", "2025"],
            EXIT_ERROR,
            "127.0.0.1:1/gd",
        ),
        (
            ["calendar", "load", "notice.txt", "--store", PG_URL, "--as-of", "2026-01-20",
             "--dry-run"],
            EXIT_ERROR,
            "notice.txt",
        ),
        (["deadlines", "--store", PG_URL, "--as-of", "2026-13-01"], EXIT_USAGE, "--as-of"),
        (["deadlines", "--store", "sqlite:///gd.db", "--as-of", "2026-01-20", "--mirror", PG_URL],
         EXIT_USAGE, "db.example"),
        (["deadlines", "--store", f"admin:{SECRET}@db.example/gd", "--as-of", "2026-01-20"],
         EXIT_USAGE, "db.example/gd"),
        (
            ["deadlines", "--store", PG_URL, "--as-of", "2026-01-20", "--option",
             f"webhook.secret={SECRET}", "--option", "store.mode=append"],
            EXIT_ERROR,
            "settings.invalid_store_mode",
        ),
        (["deadlines", "--store", "sqlite:///gd.db", "--as-of", "2026-01-20", "--optoin",
          f"webhook.secret={SECRET}"], EXIT_USAGE, "--optoin"),
        (["calendar", f"webhook.secret={SECRET}"], EXIT_USAGE, "invalid choice"),
    ],
    ids=[
        "no-store", "database-error", "report", "calendar-load", "usage-error",
        "unrecognized-argument", "url-without-scheme", "secret-option", "mistyped-option",
        "invalid-choice",
    ],
)  # fmt: skip
def test_cli_stderr_never_shows_the_secret(
    argv: list[str], status: int, visible: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(*argv)
    captured = capsys.readouterr()
    assert code == status, captured.err
    _hidden(captured.err + out + captured.out, visible)
    assert "Traceback" not in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_cli_internal_error_and_debug_traceback_hide_the_secret(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import govdisclose.cli._store as store_cli

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"lost {PG_URL} with key {SECRET}")

    monkeypatch.setattr(store_cli, "store_settings", boom)
    argv = ["deadlines", "--store", PG_URL, "--as-of", "2026-01-20", "--option",
            f"webhook.secret={SECRET}"]  # fmt: skip
    assert _run(*argv)[0] == EXIT_INTERNAL
    _hidden(capsys.readouterr().err, "internal error", "db.example.gov.cn:5432/gd")
    assert _run("--debug", *argv)[0] == EXIT_INTERNAL
    err = capsys.readouterr().err
    _hidden(err, "Traceback", "RuntimeError", "db.example.gov.cn:5432/gd")


def test_read_only_store_error_from_sql_plugin_hides_the_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped SQLite path: the message names the file; a URL with credentials: no secret."""
    pytest.importorskip("govdisclose_sql")
    status, _ = _run(
        "deadlines", "--store", f"sqlite:///{tmp_path}/typo.db", "--as-of", "2026-01-20"
    )
    assert status == EXIT_ERROR
    err = capsys.readouterr().err
    assert "store.missing" in err
    assert f"{tmp_path}/typo.db" in err
    assert list(tmp_path.iterdir()) == []


def test_message_text_wraps_nothing_else() -> None:
    """Redaction leaves a message without secrets byte for byte."""
    text = textwrap.dedent(
        """\
        [store.not_found] 未找到机关：city-gov / no agency with id 'city-gov' is stored
        """
    )
    assert redact_text(text) == text


def test_parser_errors_hide_secrets_outside_main(capsys: pytest.CaptureFixture[str]) -> None:
    """A host that parses with `build_parser` itself gets redacted usage errors too."""
    from govdisclose.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["plugins", "--frob", f"cms.token={SECRET}", PG_URL])
    _hidden(capsys.readouterr().err, "cms.token=***", "db.example.gov.cn")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("admin:S3cr3t-Pa55@db/gd", "admin:***@db/gd"),  # a URL without its scheme
        ("host=db password=S3cr3t-Pa55 dbname=gd", "host=db password=*** dbname=gd"),  # libpq
        ("token: S3cr3t-Pa55 refused", "token: *** refused"),
    ],
)
def test_secrets_outside_urls_are_hidden(text: str, shown: str) -> None:
    """The shapes a password takes outside a URL: user:password@host, key=value pairs."""
    assert redact_text(text) == shown
    assert "S3cr3t-Pa55" not in redact_url(text)


def test_addresses_are_not_passwords() -> None:
    """``mailto:x@y`` and times like 10:30 are left alone."""
    for text in ("写信至 mailto:xxgk@example.gov.cn", "受理时间 9:00-17:30"):
        assert redact_text(text) == text


def test_settings_hash_like_equal_values() -> None:
    """Settings are frozen values: equal settings hash equal (the options are compared)."""
    from govdisclose.settings import Settings

    a = Settings(options={"webhook.secret": "x"})
    assert hash(a) == hash(Settings(options={"webhook.secret": "x"}))
    assert a != Settings(options={"webhook.secret": "y"})


def test_demo_prints_the_store_url_redacted(tmp_path: Path) -> None:
    """The demo's first line shows the store without its password."""
    import io

    from govdisclose.demo import run_demo

    out = io.StringIO()
    # The built-in plugin answers any memory:// URL, credentials included.
    run_demo(tmp_path / "demo", out=out, store_url=PG_URL.replace("postgres", "memory", 1),
             applications=5, seed=3)  # fmt: skip
    assert SECRET not in out.getvalue()
    first = next(line for line in out.getvalue().splitlines() if line.startswith("== 1."))
    assert "db.example.gov.cn" in first
