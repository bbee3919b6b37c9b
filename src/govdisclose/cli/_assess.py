"""``govdisclose assess``: the league table of a scheme for one period (`govdisclose.assessment`).

``assess --scheme FILE --period 2026H1 --store URL`` scores every agency of the scheme from the
store and prints the table with every lost point and the records behind it (``--format md``,
the default), or writes it as ``html``, ``docx`` or ``csv`` (``--out FILE``; ``docx`` needs
``--out``). ``--as-of`` is the assessment day (default: the period's last day); ``--keep``
keeps the result in the store (kind ``assessment.result``; the store is then opened for
writing), so the next period compares with the table as it was published; ``--no-compare``
leaves the comparison out.

Without ``--store`` the scheme file is only checked (every problem named by its key) and its
indicators and rules are printed. Problems of the scheme for the period (a period of the wrong
kind, an agency not stored, a period without data) are printed one a line and the command
exits with status 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from govdisclose.cli._common import (
    bad_option,
    check_target,
    day,
    store_arguments,
    store_settings,
    write_atomic,
)

__all__ = ["add_assess_command"]

_FORMATS = ("md", "html", "docx", "csv")


def add_assess_command(subparsers: Any) -> None:
    """``govdisclose assess``."""
    parser = subparsers.add_parser(
        "assess",
        help="score every agency of an assessment scheme for a period (考核)",
        description="按考核方案对各单位某期的政务公开工作评分、排名，列出每一处失分的记录 / "
        "score every agency of a scheme (TOML) for one period from the store: points per "
        "indicator, total, rank, the records behind every lost point, the previous period.",
    )
    parser.add_argument("--scheme", type=Path, required=True, metavar="FILE", help="the scheme")
    parser.add_argument("--period", required=True, help="2026-03, 2026Q1, 2026H1 or 2026")
    store_arguments(parser, writes=None, without="the scheme is only checked")
    parser.add_argument("--as-of", type=day, help="the assessment day (default: the period's end)")
    parser.add_argument("--format", choices=_FORMATS, default="md", help="output format")
    parser.add_argument("--out", type=Path, metavar="FILE", help="write the output to FILE")
    parser.add_argument("--keep", action="store_true", help="keep the result in the store")
    parser.add_argument("--no-compare", action="store_true", help="no previous-period column")
    parser.set_defaults(handler=_assess)


def _problems(findings: Any, out: TextIO) -> int:
    for f in findings:
        out.write(f"{f.key or '(file)'}: [{f.code}] {f.message_zh} / {f.message_en}\n")
    out.write(f"{len(findings)} problem(s) in the scheme\n")
    return 1


def _assess(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.assessment import Period, assess, check_scheme, keep_result

    if not args.scheme.is_file():
        raise bad_option(
            f"找不到考核方案文件 {args.scheme}", f"no such file: {args.scheme}", field="--scheme"
        )
    period = Period.parse(args.period)
    if args.format == "docx" and args.out is None:
        raise bad_option(
            "Word 格式须用 --out 指定输出文件",
            "--format docx needs --out FILE",
            field="--out",
        )
    if args.out is not None:
        check_target(args.out, field="--out")
    if args.store is None:
        return _check_only(args, period, out)
    from govdisclose.plugins import load_calendar, load_parameters, make_plugin_manager, open_store

    pm = make_plugin_manager()
    settings = store_settings(args, mode="write" if args.keep else "read")
    store = open_store(settings, pm)
    try:
        findings = check_scheme(args.scheme, store=store, period=period)
        if findings:
            return _problems(findings, out)
        result = assess(
            store,
            args.scheme,
            period,
            as_of=args.as_of,
            params=load_parameters(settings, pm),
            calendar=load_calendar(settings, pm),
            compare=not args.no_compare,
        )
        if args.keep:
            version = keep_result(store, result)
    finally:
        store.close()
    payload: str | bytes
    if args.format == "md":
        payload = result.to_markdown()
    elif args.format == "html":
        payload = result.to_html()
    elif args.format == "csv":
        payload = result.to_csv()
    else:
        payload = result.to_docx()
    if args.out is not None:
        write_atomic(
            args.out, payload if isinstance(payload, bytes) else payload.encode(), field="--out"
        )
        out.write(f"wrote {args.out}\n")
    else:
        assert isinstance(payload, str)
        out.write(payload)
    if args.keep:
        out.write(f"kept {result.id} (version {version})\n")
    return 0


def _check_only(args: argparse.Namespace, period: Any, out: TextIO) -> int:
    from govdisclose.assessment import check_scheme, load_scheme

    findings = check_scheme(args.scheme, period=period)
    if findings:
        return _problems(findings, out)
    scheme = load_scheme(args.scheme)
    out.write(f"{scheme.title}: {len(scheme.indicators)} indicators, total {scheme.total}\n")
    for item in scheme.indicators:
        out.write(f"  {item.code}（{item.indicator.label_zh}）：{item.describe_zh()}\n")
    out.write("scheme OK (no --store: nothing scored)\n")
    return 0
