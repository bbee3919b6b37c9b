"""The ``govdisclose`` command.

Each subcommand is a function ``add_<name>_command(subparsers)`` that adds its parser and sets
``handler``, a function ``(args, out) -> exit status`` writing to ``out``; `build_parser` calls
every one of `COMMANDS`. A new subcommand is one more such function added to that tuple.

Every failure is one line on standard error, ``govdisclose COMMAND: [code] 中文 / English``,
never a traceback, with a documented exit status (`EXIT_STATUSES`):

* a malformed command line (a missing option, a value that is not a day, a year or a count) is
  a usage error, code ``cli.usage`` or ``cli.bad_option``: `EXIT_USAGE`;
* an error govdisclose raises (a store that does not exist, a notice that cannot be read, an
  output file that cannot be written, ``cli.cannot_write``): `EXIT_ERROR`;
* anything else is a bug, reported as ``cli.internal``: `EXIT_INTERNAL`; ``--debug`` (or the
  environment variable ``GOVDISCLOSE_DEBUG=1``) prints the traceback too.

No line shows a secret: the password of a store URL and the values of secret ``--option`` keys
(`govdisclose.redaction`) are printed as ``***``.
"""

from __future__ import annotations

import argparse
import contextvars
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO

from govdisclose.errors import GovDiscloseError, ValidationError

__all__ = [
    "COMMANDS",
    "EXIT_ERROR",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_STATUSES",
    "EXIT_USAGE",
    "add_plugins_command",
    "build_parser",
    "main",
]

#: Done.
EXIT_OK = 0
#: An error govdisclose raises, printed as one line with its code; also ``report`` when the
#: report has validation errors.
EXIT_ERROR = 1
#: A usage error: the command line is malformed (codes ``cli.usage``, ``cli.bad_option``).
EXIT_USAGE = 2
#: ``deadlines --fail-on-problems`` when some item could not be computed; ``sync --reject``
#: when some rows were rejected (the others were stored).
EXIT_PROBLEMS = 3
#: An internal error (a bug): code ``cli.internal``; ``--debug`` shows the traceback
#: (EX_SOFTWARE of sysexits.h).
EXIT_INTERNAL = 70
#: Interrupted (Ctrl-C): code ``cli.interrupted`` (128 + SIGINT).
EXIT_INTERRUPTED = 130

#: Every exit status of the ``govdisclose`` command and what it means.
EXIT_STATUSES: dict[int, str] = {
    EXIT_OK: "done",
    EXIT_ERROR: "an error, printed as one line with its code (or report validation errors)",
    EXIT_USAGE: "a usage error: a missing, unknown or malformed option (cli.usage, cli.bad_option)",
    EXIT_PROBLEMS: "deadlines --fail-on-problems: some item could not be computed; sync "
    "--reject: some rows were rejected (written to the reject file, the others stored)",
    EXIT_INTERNAL: "an internal error (cli.internal); rerun with --debug for the traceback",
    EXIT_INTERRUPTED: "interrupted (cli.interrupted)",
}

#: The secrets of the command line `main` is running, for the parser's error messages.
_SECRETS: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "govdisclose_cli_secrets", default=()
)

#: Codes of the errors that are usage errors (`EXIT_USAGE`).
_USAGE_CODES = frozenset({"cli.usage", "cli.bad_option"})

#: A subcommand's handler: parsed arguments and the output stream in, exit status out.
Handler = Callable[[argparse.Namespace, TextIO], int]


def add_deadlines_command(subparsers: Any) -> None:
    """``govdisclose deadlines``: see `govdisclose.cli._store`."""
    from govdisclose.cli._store import add_deadlines_command as add

    add(subparsers)


def add_report_command(subparsers: Any) -> None:
    """``govdisclose report``: see `govdisclose.cli._store`."""
    from govdisclose.cli._store import add_report_command as add

    add(subparsers)


def add_notice_command(subparsers: Any) -> None:
    """``govdisclose notice``: see `govdisclose.cli._notices`."""
    from govdisclose.cli._notices import add_notice_command as add

    add(subparsers)


def add_casefile_command(subparsers: Any) -> None:
    """``govdisclose casefile``: see `govdisclose.cli._notices`."""
    from govdisclose.cli._notices import add_casefile_command as add

    add(subparsers)


def add_due_command(subparsers: Any) -> None:
    """``govdisclose due``: see `govdisclose.cli._calendar`."""
    from govdisclose.cli._calendar import add_due_command as add

    add(subparsers)


def add_calendar_command(subparsers: Any) -> None:
    """``govdisclose calendar``: see `govdisclose.cli._calendar`."""
    from govdisclose.cli._calendar import add_calendar_command as add

    add(subparsers)


def add_outbox_command(subparsers: Any) -> None:
    """``govdisclose outbox``: see `govdisclose.cli._outbox`."""
    from govdisclose.cli._outbox import add_outbox_command as add

    add(subparsers)


def add_plan_command(subparsers: Any) -> None:
    """``govdisclose plan``: see `govdisclose.cli._plan`."""
    from govdisclose.cli._plan import add_plan_command as add

    add(subparsers)


def add_assess_command(subparsers: Any) -> None:
    """``govdisclose assess``: see `govdisclose.cli._assess`."""
    from govdisclose.cli._assess import add_assess_command as add

    add(subparsers)


def add_inquiry_command(subparsers: Any) -> None:
    """``govdisclose inquiry``: see `govdisclose.cli._inquiry`."""
    from govdisclose.cli._inquiry import add_inquiry_command as add

    add(subparsers)


def add_opinion_command(subparsers: Any) -> None:
    """``govdisclose opinion``: see `govdisclose.cli._opinion`."""
    from govdisclose.cli._opinion import add_opinion_command as add

    add(subparsers)


def add_press_command(subparsers: Any) -> None:
    """``govdisclose press``: see `govdisclose.cli._press`."""
    from govdisclose.cli._press import add_press_command as add

    add(subparsers)


def add_ledger_command(subparsers: Any) -> None:
    """``govdisclose ledger``: see `govdisclose.cli._ledger`."""
    from govdisclose.cli._ledger import add_ledger_command as add

    add(subparsers)


def add_audit_command(subparsers: Any) -> None:
    """``govdisclose audit``: see `govdisclose.cli._audit`."""
    from govdisclose.cli._audit import add_audit_command as add

    add(subparsers)


def add_sync_command(subparsers: Any) -> None:
    """``govdisclose sync``: see `govdisclose.cli._sync`."""
    from govdisclose.cli._sync import add_sync_command as add

    add(subparsers)


def add_demo_command(subparsers: Any) -> None:
    """``govdisclose demo``: see `govdisclose.demo`."""
    from govdisclose.demo import add_demo_command as add

    add(subparsers)


def add_plugins_command(subparsers: Any) -> None:
    """``govdisclose plugins``: the registered plugins, their distributions and hooks."""
    parser = subparsers.add_parser(
        "plugins",
        help="list installed plugins and the hooks they implement",
        description="列出已安装的插件、其发行包版本及实现的钩子 / list installed plugins, their "
        "distribution versions and the hooks each implements.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--no-entry-points",
        action="store_true",
        help="do not load installed plugins (show the built-in plugin only)",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="load only this installed plugin (repeatable), as a host allowlist would",
    )
    parser.add_argument(
        "--block", action="append", default=[], metavar="NAME", help="block a plugin (repeatable)"
    )
    parser.set_defaults(handler=_plugins)


def _plugins(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.plugins import list_plugins, make_plugin_manager

    pm = make_plugin_manager(
        load_entry_points=not args.no_entry_points, only=args.only, block=args.block
    )
    infos = list_plugins(pm)
    if args.json:
        rows = [
            {
                "name": i.name,
                "distribution": i.distribution,
                "version": i.version,
                "hooks": list(i.hooks),
            }
            for i in infos
        ]
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    table = [("plugin", "distribution", "version", "hooks")] + [
        (i.name, i.distribution or "-", i.version or "-", ", ".join(i.hooks) or "-") for i in infos
    ]
    widths = [max(len(row[c]) for row in table) for c in range(3)]
    for row in table:
        cells = [cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)]
        out.write("  ".join([*cells, row[3]]).rstrip() + "\n")
    return 0


#: Every subcommand, in the order ``--help`` lists them.
COMMANDS: tuple[Callable[[Any], None], ...] = (
    add_plugins_command,
    add_deadlines_command,
    add_due_command,
    add_calendar_command,
    add_report_command,
    add_notice_command,
    add_casefile_command,
    add_outbox_command,
    add_plan_command,
    add_assess_command,
    add_ledger_command,
    add_inquiry_command,
    add_opinion_command,
    add_press_command,
    add_audit_command,
    add_sync_command,
    add_demo_command,
)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one bilingual line with a code, exit status 2.

    Subcommand parsers are of the same class (argparse makes them so)."""

    def error(self, message: str) -> NoReturn:
        err = _usage_error(message, self.prog)
        # The secrets of the command line being parsed (set by `main`), and any in the
        # message itself (argparse quotes the arguments it refuses).
        tokens = [token.strip("'\"(),") for token in message.split()]
        secrets = _SECRETS.get() + _argv_secrets(tokens)
        self.exit(EXIT_USAGE, f"{self.prog}: {_one_line(_redact(str(err), secrets))}\n")


# argparse's own messages, and how a clerk reads them.
_ARGPARSE_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), zh)
    for pattern, zh in (
        (r"the following arguments are required: (?P<x>.*)", "缺少必需的参数：{x}"),
        (r"unrecognized arguments: (?P<x>.*)", "无法识别的参数：{x}"),
        (r"invalid choice: (?P<x>.*?) \(choose from (?P<c>.*)\)", "取值无效：{x}，可选：{c}"),
        (r"invalid choice: (?P<x>.*)", "取值无效：{x}"),
        (r"invalid (?P<t>\w+) value: (?P<x>.*)", "取值无效：{x}"),
        (r"expected one argument", "需要一个值"),
        (r"expected at least one argument", "至少需要一个值"),
        (r"expected at most one argument", "至多一个值"),
        (r"not allowed with argument (?P<x>.*)", "不能与 {x} 同时使用"),
        (r"ignored explicit argument (?P<x>.*)", "不接受值 {x}"),
        (r"ambiguous option: (?P<x>.*)", "选项不明确：{x}"),
        (r"one of the arguments (?P<x>.*) is required", "须给出其中之一：{x}"),
    )
)
_ARGUMENT = re.compile(r"argument (?P<name>[^:]+): (?P<rest>.*)", re.DOTALL)


def _usage_error(message: str, prog: str) -> ValidationError:
    """argparse's error ``message`` as a typed, bilingual usage error."""
    name: str | None = None
    rest = message
    found = _ARGUMENT.fullmatch(message)
    if found:
        name, rest = found.group("name"), found.group("rest")
        # "-y YEAR, --year YEAR" or "--year": the option as typed.
        name = name.split("/")[-1].split(",")[-1].strip().split(" ")[0]
    hint_zh, hint_en = f"（用法见 {prog} --help）", f" (see {prog} --help)"
    zh_rest, sep, en_rest = rest.partition(" / ")
    if sep:  # a bilingual message of an argument type of govdisclose.cli._common
        zh = f"参数 {name}：{zh_rest}" if name else zh_rest
        en = f"argument {name}: {en_rest}" if name else en_rest
        return ValidationError(zh + hint_zh, en + hint_en, field=name, code="cli.bad_option")
    zh_text = "用法错误"
    for pattern, template in _ARGPARSE_MESSAGES:
        match = pattern.fullmatch(rest)
        if match:
            zh_text = template.format(**match.groupdict())
            break
    if name:
        zh_text = f"参数 {name}：{zh_text}"
    elif zh_text == "用法错误":
        zh_text = f"用法错误：{rest}"
    field = name
    if field is None and rest.startswith("the following arguments are required: "):
        field = rest.rpartition(": ")[2].split(",")[0].strip()
    return ValidationError(
        zh_text + hint_zh, message + hint_en, field=field or None, code="cli.usage"
    )


def _add_debug(parser: argparse.ArgumentParser, *, top: bool, seen: set[int]) -> None:
    """``--debug`` on ``parser`` and every subcommand parser below it."""
    if id(parser) in seen:
        return
    seen.add(id(parser))
    parser.add_argument(
        "--debug",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="on an internal error, print the traceback (also: GOVDISCLOSE_DEBUG=1)",
    )
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _add_debug(sub, top=False, seen=seen)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand of `COMMANDS`.

    Its usage errors (and those of every subcommand) are one bilingual line on standard
    error, code ``cli.usage`` or ``cli.bad_option``, and ``SystemExit(2)``.
    """
    parser = _Parser(
        prog="govdisclose",
        description="政府信息公开 — govdisclose command-line tools.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in COMMANDS:
        add(subparsers)
    _add_debug(parser, top=True, seen=set())
    return parser


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def _argv_secrets(argv: Sequence[str]) -> tuple[str, ...]:
    """The secrets typed on the command line: URL passwords and secret option values."""
    from urllib.parse import unquote, urlsplit

    from govdisclose.redaction import is_secret_name

    found: list[str] = []
    for token in argv:
        for url in re.findall(r"[A-Za-z][A-Za-z0-9+.-]*://\S+", token):
            userinfo = url.partition("://")[2].split("/", 1)[0].rpartition("@")[0]
            password = userinfo.partition(":")[2]
            if password:
                found += [password, unquote(password)]
            try:
                query = urlsplit(url).query
            except ValueError:
                query = ""
            for pair in query.split("&"):
                key, sep, value = pair.partition("=")
                if sep and value and is_secret_name(key):
                    found += [value, unquote(value)]
        text = token.split("=", 1)[1] if token.startswith("--") and "=" in token else token
        key, sep, value = text.partition("=")
        if sep and value and "://" not in key and is_secret_name(key):
            found.append(value)
    return tuple(found)


def _redact(text: str, secrets: tuple[str, ...]) -> str:
    from govdisclose.redaction import redact_text

    return redact_text(text, secrets)


def _debug_env() -> bool:
    return os.environ.get("GOVDISCLOSE_DEBUG", "").strip().lower() in ("1", "true", "yes", "on")


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (the console script exits with it).

    Never raises (but for `SystemExit` from ``--help``, turned into its status too): every
    failure is one line on standard error with a status of `EXIT_STATUSES`.
    """
    out = sys.stdout if out is None else out
    argv = list(sys.argv[1:] if argv is None else argv)
    secrets = _argv_secrets(argv)
    token = _SECRETS.set(secrets)
    try:
        return _main(argv, out, secrets)
    finally:
        _SECRETS.reset(token)


def _main(argv: list[str], out: TextIO, secrets: tuple[str, ...]) -> int:
    debug = _debug_env()
    command = "govdisclose"

    def say(text: str) -> None:
        sys.stderr.write(f"{command}: {_one_line(_redact(text, secrets))}\n")

    def traceback_if_debugging() -> None:
        if debug:
            import traceback

            sys.stderr.write(_redact(traceback.format_exc(), secrets))

    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exit_:
            code = exit_.code
            return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_USAGE)
        debug = debug or bool(getattr(args, "debug", False))
        if args.version:
            import govdisclose

            out.write(f"govdisclose {govdisclose.__version__}\n")
            return EXIT_OK
        handler: Handler | None = getattr(args, "handler", None)
        if handler is None:
            parser.print_help(out)
            return EXIT_USAGE
        command = " ".join(
            ["govdisclose", args.command, getattr(args, "calendar_command", None) or ""]
        ).strip()
        return handler(args, out)
    except GovDiscloseError as err:
        traceback_if_debugging()
        say(str(err))
        return EXIT_USAGE if err.code in _USAGE_CODES else EXIT_ERROR
    except KeyboardInterrupt:
        traceback_if_debugging()
        say(str(GovDiscloseError("已中断", "interrupted", code="cli.interrupted")))
        return EXIT_INTERRUPTED
    except Exception as err:
        traceback_if_debugging()
        detail = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
        failure = GovDiscloseError(
            f"内部错误：{detail}；加 --debug 重新运行可查看调用栈",
            f"internal error: {detail}; rerun with --debug for the traceback",
            code="cli.internal",
        )
        say(str(failure))
        return EXIT_INTERNAL
