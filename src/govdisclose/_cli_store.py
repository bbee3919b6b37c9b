"""``govdisclose deadlines`` and ``govdisclose report``: daily work on a store from the shell.

Both open the store named by ``--store`` through the plugins (``sqlite:///…`` needs
govdisclose-sql) and build the calendar, parameters and renderers through the same plugins, so
a regional holiday or a local limit installed as a plugin applies here as it does in the OA
system.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any, TextIO

__all__ = ["add_deadlines_command", "add_report_command"]


def _store_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", required=True, help="store URL, e.g. sqlite:///gd.db")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a plugin option (repeatable), e.g. sql.busy_timeout=10",
    )


def _settings(args: argparse.Namespace) -> Any:
    from govdisclose.errors import ValidationError
    from govdisclose.plugins import Settings

    options: dict[str, str] = {}
    for item in args.option:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValidationError(
                f"插件选项“{item}”应写作 KEY=VALUE",
                f"plugin option {item!r} must be KEY=VALUE",
                field="--option",
                code="cli.bad_option",
            )
        options[key] = value
    return Settings(store_url=args.store, options=options)


def add_deadlines_command(subparsers: Any) -> None:
    """``govdisclose deadlines``: open applications overdue or due soon on a day."""
    parser = subparsers.add_parser(
        "deadlines",
        help="list open applications that are overdue or due soon",
        description="列出某日已逾期或即将到期的依申请公开答复期限 / open applications whose reply "
        "deadline has passed or is near on a day.",
    )
    _store_arguments(parser)
    parser.add_argument("--as-of", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
    parser.add_argument("--agency", help="only this agency's applications")
    parser.add_argument(
        "--within", type=int, default=3, help="due soon = at most this many working days left"
    )
    parser.add_argument("--json", action="store_true", help="print JSON lines")
    parser.set_defaults(handler=_deadlines)


def _deadlines(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.deadlines import ClockState, reply_status
    from govdisclose.plugins import load_calendar, load_parameters, make_plugin_manager, open_store

    settings = _settings(args)
    pm = make_plugin_manager()
    calendar = load_calendar(settings, pm)
    params = load_parameters(settings, pm)
    store = open_store(settings, pm)
    rows: list[dict[str, Any]] = []
    try:
        for app in store.applications(agency=args.agency, open_on=args.as_of):
            st = reply_status(
                app, args.as_of, params=params, calendar=calendar, warn_within=args.within
            )
            if st.state not in (ClockState.OVERDUE, ClockState.DUE_SOON):
                continue
            rows.append(
                {
                    "application": app.id,
                    "agency": app.agency,
                    "state": st.state.value,
                    "state_label": st.state.label,
                    "due": st.due.isoformat() if st.due else None,
                    "working_days_left": st.working_days_left,
                    "working_days_late": st.working_days_late,
                    "provisional": st.provisional,
                }
            )
    finally:
        store.close()
    # Overdue first, the longest overdue at the top; then the nearest due dates.
    rows.sort(key=lambda r: (r["state"] != "overdue", -(r["working_days_late"] or 0), r["due"]))
    if args.json:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return 0
    overdue = sum(1 for r in rows if r["state"] == "overdue")
    out.write(
        f"{args.as_of}: {overdue} 件已逾期 overdue, {len(rows) - overdue} 件即将到期 due soon\n"
    )
    for r in rows:
        days = (
            f"逾期 {r['working_days_late']} 个工作日"
            if r["state"] == "overdue"
            else f"剩余 {r['working_days_left']} 个工作日"
        )
        mark = "（临时）" if r["provisional"] else ""
        out.write(f"{r['application']}  {r['agency']}  {r['due']}{mark}  {days}\n")
    return 0


def add_report_command(subparsers: Any) -> None:
    """``govdisclose report``: build, validate and render an agency's annual report."""
    parser = subparsers.add_parser(
        "report",
        help="build, validate and render an annual report from the store",
        description="由存储的数据生成、校验并输出年度报告 / build an agency's annual report from "
        "the store, validate it and render it.",
    )
    _store_arguments(parser)
    parser.add_argument("--agency", required=True, help="agency code")
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument(
        "--rollup",
        action="store_true",
        help="a government's consolidated report: itself plus every agency whose parent it is",
    )
    parser.add_argument("--licensing", type=int, help="表二 行政许可 本年处理决定数量")
    parser.add_argument("--penalty", type=int, help="表二 行政处罚 本年处理决定数量")
    parser.add_argument("--coercion", type=int, help="表二 行政强制 本年处理决定数量")
    parser.add_argument("--fees", help="表二 行政事业性收费 本年收费金额（万元）, e.g. 12.5")
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
        args.output.write_bytes(payload)
        out.write(f"wrote {args.output} ({len(payload):,} bytes)\n")
    elif args.format == "docx":
        out.write("docx is binary: give --output FILE\n")
        return 2
    else:
        out.write(payload.decode("utf-8"))
    return 1 if errors else 0
