"""The ``govdisclose`` command.

Each subcommand is a function ``add_<name>_command(subparsers)`` that adds its parser and sets
``handler``, a function ``(args, out) -> exit status`` writing to ``out``; `build_parser` calls
every one of `COMMANDS`. A new subcommand is one more such function added to that tuple.
Errors govdisclose raises are printed (both languages) with exit status 1, not as tracebacks.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from govdisclose.errors import GovDiscloseError

__all__ = ["COMMANDS", "add_plugins_command", "build_parser", "main"]

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


def add_due_command(subparsers: Any) -> None:
    """``govdisclose due``: see `govdisclose.cli._calendar`."""
    from govdisclose.cli._calendar import add_due_command as add

    add(subparsers)


def add_calendar_command(subparsers: Any) -> None:
    """``govdisclose calendar``: see `govdisclose.cli._calendar`."""
    from govdisclose.cli._calendar import add_calendar_command as add

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
    add_demo_command,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand of `COMMANDS`."""
    parser = argparse.ArgumentParser(
        prog="govdisclose",
        description="政府信息公开 — govdisclose command-line tools.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in COMMANDS:
        add(subparsers)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (the console script exits with it)."""
    out = sys.stdout if out is None else out
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        import govdisclose

        out.write(f"govdisclose {govdisclose.__version__}\n")
        return 0
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(out)
        return 2
    try:
        return handler(args, out)
    except GovDiscloseError as err:
        sys.stderr.write(f"govdisclose {args.command}: {err}\n")
        return 1
