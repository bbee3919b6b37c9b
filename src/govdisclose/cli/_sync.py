"""``govdisclose sync``: an OA export (JSON lines, CSV, Excel) into the store (`govdisclose.sync`).

``govdisclose sync FILE --store URL [--reject FILE] [--format jsonl|csv|xlsx]``: new
applications are created, new events appended, a changed history refused naming the event;
running it again changes nothing. Without ``--reject`` one bad row refuses the whole file
(exit status 1, the store unchanged); with it the good rows are stored and each bad one is
written, with its reason, to the reject file (in the export's format, to be fixed and synced
again; the exit status is then 3 if any row was rejected). The store is opened with
``store.mode=write`` (it must exist); the label aliases are the shipped ones with the
deployment's (`govdisclose.plugins.load_label_aliases`: the option ``vocab.aliases`` and the
plugins). A progress bar appears on a terminal only.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from govdisclose.cli._common import bad_option, check_target, store_arguments, write_atomic

__all__ = ["add_sync_command"]


def add_sync_command(subparsers: Any) -> None:
    """``govdisclose sync``: an OA export into the store, idempotent."""
    from govdisclose.sync import SYNC_FORMATS

    parser = subparsers.add_parser(
        "sync",
        help="sync an OA export (JSON lines, CSV, Excel) into the store: new applications and "
        "events only, idempotent",
        description="从 OA 导出文件同步申请（及公文、机关）：按编号只追加新的事件，改动过的办理记录"
        "被拒绝并指出第一个不同的事件；重复运行不改变任何内容 / sync an OA export into the "
        "store: keyed by id, only new events are appended, a changed history is refused naming "
        "the first differing event; running it again changes nothing.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the export (.jsonl, .csv, .xlsx)")
    store_arguments(parser, writes=True, example="vocab.aliases=local_labels.toml")
    parser.add_argument(
        "--format",
        choices=SYNC_FORMATS,
        help="the export's format (default: from the file name)",
    )
    parser.add_argument(
        "--reject",
        type=Path,
        metavar="FILE",
        help="store the good rows and write each bad row with its reason to FILE "
        "(default: one bad row refuses the whole export)",
    )
    parser.set_defaults(handler=_sync)


def _sync(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.cli import EXIT_PROBLEMS
    from govdisclose.cli._common import store_settings
    from govdisclose.plugins import load_label_aliases, make_plugin_manager, open_store
    from govdisclose.progress import terminal_progress
    from govdisclose.sync import rejected_bytes, sync_file

    if not args.file.is_file():
        raise bad_option(f"找不到文件 {args.file}", f"no such file: {args.file}", field="FILE")
    if args.reject is not None:
        check_target(args.reject, field="--reject")
    settings = store_settings(args, mode="write")
    pm = make_plugin_manager()
    aliases = load_label_aliases(settings, pm)
    store = open_store(settings, pm)
    try:
        report = sync_file(
            store,
            args.file,
            format=args.format,
            reject=args.reject is not None,
            aliases=aliases,
            progress=terminal_progress("同步 / sync", unit="item"),
        )
    finally:
        store.close()
    for row in report.rejected:
        out.write(f"  拒收 / rejected: 第 {row.line} 行 line {row.line} ({row.key or '-'}): ")
        out.write(f"[{row.code}] {row.reason}\n")
    if args.reject is not None:
        write_atomic(args.reject, rejected_bytes(report), field="--reject")
        out.write(f"wrote {args.reject}: {len(report.rejected)} 行 / rows\n")
    out.write(report.summary() + "\n")
    return EXIT_PROBLEMS if report.rejected else 0
