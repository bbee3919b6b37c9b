"""``govdisclose deadlines`` and ``govdisclose report``: daily work on a store from the shell.

Both open the store named by ``--store`` through the plugins (``sqlite:///…`` needs
govdisclose-sql) and build the calendar, parameters and renderers through the same plugins, so
a regional holiday or a local limit installed as a plugin applies here as it does in the OA
system. Both only read the store: they open it with ``store.mode=read``, so a mistyped path is
an error (``store.missing``) rather than a new empty database, and a read-only database file
works.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from govdisclose.cli._common import (
    bad_option,
    check_target,
    count,
    money,
    store_arguments,
    store_settings,
    write_atomic,
    year,
)

# store_arguments lives in _common; it is imported from here by name too
__all__ = ["add_deadlines_command", "add_report_command", "store_arguments"]


def _settings(args: argparse.Namespace) -> Any:
    from govdisclose.cli._calendar import calendar_options

    defaults = calendar_options(args) if hasattr(args, "calendar_policy") else {}
    return store_settings(args, mode="read", defaults=defaults)


def add_deadlines_command(subparsers: Any) -> None:
    """``govdisclose deadlines``: the daily job: every open clock overdue or due soon on a day."""
    from govdisclose.cli._calendar import add_calendar_options, day

    parser = subparsers.add_parser(
        "deadlines",
        help="the daily job: every clock overdue or due soon on a day, and what could not be "
        "computed",
        description="每日期限检查：答复、补正告知、缴费、第三方意见、主动公开等期限中"
        "已逾期或即将到期的，以及无法计算的（例如缺少下一年的放假通知）/ every open clock "
        "(reply, correction notice, fee payment, third-party windows, proactive records) "
        "overdue or due soon on a day, and the items that could not be computed.",
    )
    store_arguments(parser)
    parser.add_argument("--as-of", type=day, required=True, help="YYYY-MM-DD")
    parser.add_argument("--agency", help="only this agency's applications and records")
    parser.add_argument(
        "--within", type=count, default=3, help="due soon = at most this many working days left"
    )
    parser.add_argument(
        "--all", action="store_true", help="list every open clock, not only overdue and due soon"
    )
    parser.add_argument(
        "--now",
        type=_aware_moment,
        help="the moment the public-opinion hour limits are checked at (ISO 8601, Asia/Shanghai "
        "when no offset is given); default: the end of the --as-of day",
    )
    parser.add_argument("--json", action="store_true", help="print JSON lines")
    parser.add_argument(
        "--fail-on-problems",
        action="store_true",
        help="exit with status 3 when some item could not be computed (for monitoring)",
    )
    add_calendar_options(parser)
    parser.set_defaults(handler=_deadlines)


def _deadlines(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.daily import check, open_applications
    from govdisclose.deadlines import ClockState
    from govdisclose.plugins import load_calendar, load_parameters, make_plugin_manager, open_store
    from govdisclose.serde import make_converter

    settings = _settings(args)
    pm = make_plugin_manager()
    calendar = load_calendar(settings, pm)
    params = load_parameters(settings, pm)
    store = open_store(settings, pm)
    try:
        run = check(
            open_applications(store, args.as_of, agency=args.agency),
            as_of=args.as_of,
            params=params,
            calendar=calendar,
            records=store.records(agency=args.agency),
            inquiries=_open_inquiries(store, args.agency),
            opinions=_open_opinions(store, args.agency),
            now=args.now or _end_of(args.as_of),
            within=args.within,
        )
    finally:
        store.close()
    shown = [
        c for c in run.checks if args.all or c.state in (ClockState.OVERDUE, ClockState.DUE_SOON)
    ]
    if args.json:
        converter = make_converter()
        for c in shown:
            out.write(
                json.dumps({"type": "clock", **converter.unstructure(c)}, ensure_ascii=False) + "\n"
            )
        for p in run.problems:
            out.write(
                json.dumps({"type": "problem", **converter.unstructure(p)}, ensure_ascii=False)
                + "\n"
            )
        out.write(json.dumps({"type": "summary", "text": run.summary()}, ensure_ascii=False) + "\n")
    else:
        out.write(run.summary() + "\n")
        for c in shown:
            out.write(c.describe() + "\n")
        for p in run.problems:
            out.write(p.describe() + "\n")
    return 3 if run.problems and args.fail_on_problems else 0


def _aware_moment(text: str) -> Any:
    """``--now``: an ISO 8601 moment; without an offset it is Asia/Shanghai time."""
    from datetime import datetime

    from govdisclose._time import SHANGHAI

    try:
        moment = datetime.fromisoformat(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(
            f"不是 ISO 8601 时刻：{text!r} / not an ISO 8601 moment: {text!r}"
        ) from err
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=SHANGHAI)


def _end_of(day: Any) -> Any:
    """The last moment of ``day`` in Asia/Shanghai: a daily job run for a day checks the hour
    limits as they stand when the day is over (an hour limit running out that evening is
    overdue in its report, not silently missed until tomorrow's)."""
    from datetime import datetime, time

    from govdisclose._time import SHANGHAI

    return datetime.combine(day, time(23, 59, 59), tzinfo=SHANGHAI)


def _open_inquiries(store: Any, agency: str | None) -> Any:
    """The stored inquiry cases (govdisclose.inquiries); the daily job checks each unit's
    unanswered part. A store without kept items (an adapter older than 0.2) has none."""
    from govdisclose.inquiries import InquiryCase, InquiryStatus, status

    items = getattr(store, "items", None)
    if items is None:
        return ()
    waiting = (InquiryStatus.OPEN, InquiryStatus.COMPLAINED)  # a part or a complaint unanswered
    return [c for c in items(InquiryCase, agency=agency) if status(c) in waiting]


def _open_opinions(store: Any, agency: str | None) -> Any:
    """The stored public-opinion cases not yet closed (each checked on its grade's duties)."""
    from govdisclose.opinion import OpinionCase, OpinionStatus, status

    items = getattr(store, "items", None)
    if items is None:
        return ()
    return [
        c
        for c in items(OpinionCase, agency=agency)
        if c.detected is not None and status(c) is not OpinionStatus.CLOSED
    ]


def add_report_command(subparsers: Any) -> None:
    """``govdisclose report``: build, validate and render an agency's annual report."""
    parser = subparsers.add_parser(
        "report",
        help="build, validate and render an annual report from the store",
        description="由存储的数据生成、校验并输出年度报告 / build an agency's annual report from "
        "the store, validate it and render it.",
    )
    store_arguments(parser)
    parser.add_argument("--agency", required=True, help="agency code")
    parser.add_argument("--year", type=year, required=True, help="the report year, e.g. 2025")
    parser.add_argument(
        "--rollup",
        action="store_true",
        help="a government's consolidated report: itself plus every agency whose parent it is",
    )
    parser.add_argument("--licensing", type=count, help="表二 行政许可 本年处理决定数量")
    parser.add_argument("--penalty", type=count, help="表二 行政处罚 本年处理决定数量")
    parser.add_argument("--coercion", type=count, help="表二 行政强制 本年处理决定数量")
    parser.add_argument(
        "--fees", type=money, help="表二 行政事业性收费 本年收费金额（万元）, e.g. 12.5"
    )
    parser.add_argument(
        "--blanks",
        choices=("propagate", "zero", "error"),
        default="propagate",
        help="roll-up: how a part's blank cell adds to another part's number",
    )
    parser.add_argument("--format", default="html", help="html, markdown, json, docx, …")
    parser.add_argument("--output", type=Path, help="file to write (default: standard output)")
    parser.add_argument(
        "--allow-errors",
        action="store_true",
        help="render even if validation finds errors (exit status stays 1)",
    )
    parser.set_defaults(handler=_report)


def _report(args: argparse.Namespace, out: TextIO) -> int:
    import sys

    from govdisclose.plugins import load_report_renderers, make_plugin_manager, open_store
    from govdisclose.report import SuppliedFigures, build_annual_report, rollup, validate
    from govdisclose.report.renderers import render
    from govdisclose.rules import Severity

    settings = _settings(args)
    pm = make_plugin_manager()
    renderers = load_report_renderers(settings, pm)
    if args.format not in renderers:
        formats = ", ".join(sorted(renderers))
        raise bad_option(
            f"没有“{args.format}”格式的年报输出，可用：{formats}",
            f"no annual-report renderer for format {args.format!r}; available: {formats}",
            field="--format",
        )
    if args.output is None and args.format == "docx":
        raise bad_option(
            "docx 是二进制格式：请用 --output 文件名 写入文件",
            "docx is binary: give --output FILE",
            field="--output",
        )
    if args.output is not None:
        check_target(args.output)  # before the work, not after it
    store = open_store(settings, pm)
    try:
        agency = store.get_agency(args.agency)
        # Table 二's licensing, penalty, coercion and fee figures are not in disclosure records;
        # the agency supplies them (for a roll-up: the government's own part).
        supplied = SuppliedFigures(
            licensing=args.licensing,
            penalty=args.penalty,
            coercion=args.coercion,
            admin_fees_10k_yuan=args.fees,
        )
        report = build_annual_report(store, agency, args.year, supplied=supplied)
        if args.rollup:
            parts = [report] + [
                build_annual_report(store, child, args.year)
                for child in store.agencies()
                if child.parent == agency.code
            ]
            report = rollup(parts, agency, blanks=args.blanks)
    finally:
        store.close()
    findings = validate(report)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    for f in findings:
        sys.stderr.write(f"[{f.severity.code}] {f.rule_id}: {f.message_zh}\n")
    if errors and not args.allow_errors:
        sys.stderr.write(f"{len(errors)} 处错误，未输出报告 / {len(errors)} errors, not rendered\n")
        return 1
    payload = render(report, args.format, renderers=renderers)
    if args.output is not None:
        write_atomic(args.output, payload)
        out.write(f"wrote {args.output} ({len(payload):,} bytes)\n")
    else:
        out.write(payload.decode("utf-8"))
    return 1 if errors else 0
