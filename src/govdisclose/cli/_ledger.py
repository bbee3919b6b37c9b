"""``govdisclose ledger``: the office's Excel 登记台账 in and out (`govdisclose.ledger`).

* ``ledger import FILE --store URL``: read the .xlsx (or .csv) ledger and store its
  applications (``--records``: a register of 公文 instead); every unreadable cell is printed
  as ``sheet!F12 (header) “text”: why``; one refuses the file unless ``--lenient``; importing the
  same ledger again changes nothing;
* ``ledger export OUT.xlsx|OUT.csv --store URL [--as-of DAY]``: the ledger with the 答复期限
  and status as of the day (default today in Asia/Shanghai), dates as date cells; CSV in UTF-8
  with a BOM.

The store is opened through the plugins as the other store commands open it: ``import`` with
``store.mode=write`` (the store must exist), ``export`` read-only. Progress bars appear on a
terminal only (`govdisclose.progress`).
"""

from __future__ import annotations

import argparse
from datetime import datetime
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

__all__ = ["add_ledger_command"]


def add_ledger_command(subparsers: Any) -> None:
    """``govdisclose ledger``: import, export."""
    from govdisclose.cli._calendar import add_calendar_options

    parser = subparsers.add_parser(
        "ledger",
        help="the Excel 登记台账: import applications (or 公文) from it, export it with due "
        "dates and status",
        description="依申请公开登记台账：从 Excel/CSV 导入申请（或公文登记表），导出带答复期限和"
        "办理状态的台账 / the office's Excel ledger of applications: import it, export it "
        "with the due dates and status as of a day.",
    )
    sub = parser.add_subparsers(dest="ledger_command", metavar="ACTION", required=True)

    imp = sub.add_parser(
        "import",
        help="read an .xlsx or .csv ledger and store its applications",
        description="导入登记台账（序号/申请日期/申请人/申请人类型/申请方式/申请内容/是否补正/"
        "是否延期/答复日期/答复结果…）；无法读取的单元格逐一列出 / read the ledger and store its "
        "applications; every unreadable cell is named by sheet, row and column.",
    )
    imp.add_argument("file", type=Path, metavar="FILE", help="the .xlsx or .csv ledger")
    imp.add_argument(
        "--agency", help="the agency of every row (default: each row's 受理机关 / 发布机构 cell)"
    )
    imp.add_argument("--sheet", help="the worksheet (default: the active one)")
    imp.add_argument(
        "--records", action="store_true", help="the file is a register of 公文, not applications"
    )
    imp.add_argument(
        "--lenient", action="store_true", help="skip unreadable rows instead of refusing the file"
    )
    store_arguments(imp, writes=True)
    imp.set_defaults(handler=_import)

    exp = sub.add_parser(
        "export",
        help="write the ledger (.xlsx or .csv) with due dates and status as of a day",
        description="导出登记台账（.xlsx 或带 BOM 的 UTF-8 .csv），含截至某日的答复期限与办理状态 "
        "/ write the ledger with the reply due date and status as of a day.",
    )
    exp.add_argument("output", type=Path, metavar="OUT", help="OUT.xlsx or OUT.csv")
    exp.add_argument("--as-of", type=day, help="YYYY-MM-DD (default: today, Asia/Shanghai)")
    exp.add_argument("--agency", help="only this agency's applications")
    exp.add_argument(
        "--personal-data",
        action="store_true",
        help="include 证件号码, 联系电话, 通信地址, 电子邮箱 (left out by default)",
    )
    store_arguments(exp, writes=False)
    add_calendar_options(exp)
    exp.set_defaults(handler=_export)


def _import(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.ledger import import_ledger, import_records
    from govdisclose.plugins import load_parameters, make_plugin_manager, open_store
    from govdisclose.progress import terminal_progress

    if not args.file.is_file():
        raise bad_option(f"找不到文件 {args.file}", f"no such file: {args.file}", field="FILE")
    settings = store_settings(args, mode="write")
    pm = make_plugin_manager()
    progress = terminal_progress("导入 / import", unit="row")
    store = open_store(settings, pm)
    try:
        if args.records:
            records = import_records(
                store,
                args.file,
                agency=args.agency,
                sheet=args.sheet,
                lenient=args.lenient,
                progress=progress,
            )
            for line in records.report.lines():
                out.write(line + "\n")
            out.write(
                f"新增公文 {len(records.created)} 件，未变 {len(records.unchanged)} 件 / "
                f"{len(records.created)} records created, {len(records.unchanged)} unchanged\n"
            )
            return 0
        result = import_ledger(
            store,
            args.file,
            agency=args.agency,
            sheet=args.sheet,
            lenient=args.lenient,
            params=load_parameters(settings, pm),
            progress=progress,
        )
    finally:
        store.close()
    for line in result.report.lines():
        out.write(line + "\n")
    out.write(result.summary() + "\n")
    return 0


def _export(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose._time import SHANGHAI
    from govdisclose.cli._calendar import calendar_options
    from govdisclose.deadlines import ClockState
    from govdisclose.ledger import ledger_csv, ledger_table, ledger_workbook
    from govdisclose.plugins import load_calendar, load_parameters, make_plugin_manager, open_store
    from govdisclose.progress import terminal_progress

    suffix = args.output.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise bad_option(
            f"导出文件应以 .xlsx 或 .csv 结尾，实为 {args.output}",
            f"the output must end in .xlsx or .csv, got {args.output}",
            field="OUT",
        )
    check_target(args.output, field="OUT")
    as_of = args.as_of or datetime.now(SHANGHAI).date()
    settings = store_settings(args, mode="read", defaults=calendar_options(args))
    pm = make_plugin_manager()
    calendar = load_calendar(settings, pm)
    params = load_parameters(settings, pm)
    store = open_store(settings, pm)
    try:
        apps = list(store.applications(agency=args.agency))
        table = ledger_table(
            apps,
            as_of=as_of,
            params=params,
            calendar=calendar,
            agencies=store.agencies(),
            personal_data=args.personal_data,
            progress=terminal_progress("导出 / export", unit="application", total=len(apps)),
        )
    finally:
        store.close()
    payload = ledger_workbook(table) if suffix == ".xlsx" else ledger_csv(table)
    write_atomic(args.output, payload, field="OUT")
    for app_id, why in table.problems:
        out.write(f"  无法计算答复期限 / no due date: {app_id}：{why}\n")
    out.write(
        f"wrote {args.output}: {len(table.rows)} 件申请，截至 / as of {as_of}"
        f"（逾期 {sum(1 for s in table.states if s is ClockState.OVERDUE)} 件）\n"
    )
    return 0
