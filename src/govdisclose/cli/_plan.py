"""``govdisclose plan``: work plans from the shell (`govdisclose.plans`).

* ``plan import FILE --year Y --issuer CODE``: read the office's .xlsx task table and store the
  plan; every unreadable row is printed (sheet, row, column, text, why); one refuses the table
  unless ``--lenient``;
* ``plan status [--as-of DAY] [--unit U]``: the overdue and due-soon tasks per unit (``--all``
  every row; ``--xlsx FILE`` the status table as a spreadsheet);
* ``plan report TASK --unit U --evidence E``: a unit's progress report (``record:ID``,
  ``publication:URL`` or ``publication:RECORD_ID``, ``file:PATH`` for a file's name, size and
  SHA-256);
* ``plan review YEAR``: 回头看, the tasks of YEAR's plans not done.

The store is opened as the other store commands open it (``--store`` through the plugins):
``import`` and ``report`` with ``store.mode=write`` (the store must exist), the others
read-only. ``--as-of`` and ``--on`` default to today in Asia/Shanghai: the command line is the
edge where "today" is read; the library never reads the clock.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from govdisclose.cli._common import (
    bad_option,
    check_target,
    count,
    day,
    store_arguments,
    store_settings,
    write_atomic,
    year,
)

__all__ = ["add_plan_command"]


def _which_plan(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", help="the plan id (default: the one plan of --year/--issuer)")
    parser.add_argument("--year", type=year, help="the plan year")
    parser.add_argument("--issuer", help="the issuing agency's code")


def add_plan_command(subparsers: Any) -> None:
    """``govdisclose plan``: import, status, report, review."""
    parser = subparsers.add_parser(
        "plan",
        help="work plans: import the task table, status per unit, progress reports, 回头看",
        description="政务公开工作要点：导入任务分解表、各单位任务状态、报告进展、回头看 / work "
        "plans: import the office's task table, status per unit as of a day, progress "
        "reports with evidence, and the review of last year's plan.",
    )
    sub = parser.add_subparsers(dest="plan_command", metavar="ACTION", required=True)

    imp = sub.add_parser(
        "import",
        help="read an .xlsx task table and store the plan",
        description="导入 Excel 任务分解表（序号/工作任务/牵头单位/责任单位/完成时限）/ read an "
        ".xlsx task table and store the plan; every unreadable row is named.",
    )
    imp.add_argument("file", type=Path, metavar="FILE", help="the .xlsx table")
    imp.add_argument("--year", type=year, required=True, help="the plan year")
    imp.add_argument("--issuer", required=True, help="the issuing agency's code (stored)")
    imp.add_argument("--id", dest="plan_id", help="the plan id (default ISSUER-YEAR)")
    imp.add_argument("--title", help="the plan's title (default: the table's title row)")
    imp.add_argument("--sheet", help="the worksheet (default: the active one)")
    imp.add_argument(
        "--lenient", action="store_true", help="skip unreadable rows instead of refusing the table"
    )
    imp.add_argument("--replace", action="store_true", help="replace a stored plan of that id")
    store_arguments(imp, writes=True)
    imp.set_defaults(handler=_import)

    st = sub.add_parser(
        "status",
        help="overdue and due-soon tasks per unit as of a day",
        description="截至某日各单位逾期、即将到期的任务 / the overdue and due-soon tasks per "
        "unit as of a day.",
    )
    _which_plan(st)
    st.add_argument("--as-of", type=day, help="YYYY-MM-DD (default: today, Asia/Shanghai)")
    st.add_argument("--unit", help="only this unit")
    st.add_argument("--soon", type=count, default=7, help="due soon = within this many days")
    st.add_argument("--all", action="store_true", help="every row, not only overdue and due soon")
    st.add_argument("--json", action="store_true", help="print JSON lines")
    st.add_argument("--xlsx", type=Path, metavar="FILE", help="also write the status table")
    store_arguments(st, writes=False)
    st.set_defaults(handler=_status)

    rep = sub.add_parser(
        "report",
        help="a unit's progress report on a task, with evidence",
        description="报告任务进展（附佐证材料）/ a unit's progress report on a task: "
        "--evidence record:ID, publication:URL|RECORD_ID, file:PATH (repeatable).",
    )
    rep.add_argument("task", metavar="TASK", help="the task's 序号 in the plan")
    _which_plan(rep)
    rep.add_argument("--unit", required=True, help="the reporting unit, as the plan names it")
    rep.add_argument(
        "--evidence",
        action="append",
        default=[],
        metavar="KIND:VALUE",
        help="record:ID, publication:URL or publication:RECORD_ID, file:PATH (repeatable)",
    )
    rep.add_argument("--in-progress", action="store_true", help="推进中, not yet done")
    rep.add_argument("--on", type=day, help="the report's day (default: today)")
    rep.add_argument("--completed-on", type=day, help="the day the work was done")
    rep.add_argument("--period", help="the period of a recurring task, e.g. 2024Q1")
    rep.add_argument("--note", help="a note")
    rep.add_argument("--by", dest="reported_by", help="who reports")
    store_arguments(rep, writes=True)
    rep.set_defaults(handler=_report)

    rev = sub.add_parser(
        "review",
        help="回头看: the tasks of YEAR's plans not done",
        description="回头看：某年度工作要点中未完成的任务及其进展记录 / the tasks of YEAR's "
        "plans not done by the review day, with their history.",
    )
    rev.add_argument("review_year", type=year, metavar="YEAR", help="the plan year looked back on")
    rev.add_argument("--issuer", help="only this issuing agency's plans")
    rev.add_argument("--as-of", type=day, help="the review day (default: 1 January of YEAR+1)")
    rev.add_argument("--json", action="store_true", help="print JSON lines")
    store_arguments(rev, writes=False)
    rev.set_defaults(handler=_review)


def _today() -> Any:
    from govdisclose._time import SHANGHAI

    return datetime.now(SHANGHAI).date()


@contextmanager
def _opened(args: argparse.Namespace, *, mode: str) -> Iterator[Any]:
    import govdisclose.plans  # noqa: F401  (registers the kept-item kinds)
    from govdisclose.plugins import make_plugin_manager, open_store

    store = open_store(store_settings(args, mode=mode), make_plugin_manager())
    try:
        yield store
    finally:
        store.close()


def _import(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.plans import import_plan

    if not args.file.is_file():
        raise bad_option(f"找不到文件 {args.file}", f"no such file: {args.file}", field="FILE")
    with _opened(args, mode="write") as store:
        store.get_agency(args.issuer)
        report = import_plan(
            store,
            args.file,
            year=args.year,
            agency=args.issuer,
            plan_id=args.plan_id,
            title=args.title,
            sheet=args.sheet,
            lenient=args.lenient,
            replace=args.replace,
        )
    assert report.plan is not None
    for line in report.lines():
        out.write(line + "\n")
    out.write(f"stored plan {report.plan.id}: {len(report.plan.tasks)} tasks\n")
    return 0


def _plan_of(args: argparse.Namespace, store: Any) -> Any:
    from govdisclose.plans import find_plan

    return find_plan(store, plan=args.plan, year=args.year, agency=args.issuer)


def _status(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.plans import TaskState, plan_reports, plan_status, status_workbook

    if args.xlsx is not None:
        check_target(args.xlsx, field="--xlsx")
    as_of = args.as_of or _today()
    with _opened(args, mode="read") as store:
        plan = _plan_of(args, store)
        status = plan_status(
            plan, plan_reports(store, plan), as_of=as_of, soon=args.soon, unit=args.unit
        )
    if args.xlsx is not None:
        payload = status_workbook(status)
        write_atomic(args.xlsx, payload, field="--xlsx")
    tasks = {t.number: t for t in plan.tasks}
    if args.json:
        for row in status.rows:
            if args.all or row.state in (TaskState.OVERDUE, TaskState.DUE_SOON):
                out.write(
                    json.dumps(
                        {
                            "plan": row.plan,
                            "task": row.task,
                            "unit": row.unit,
                            "period": row.period,
                            "due": row.due.isoformat() if row.due else None,
                            "state": row.state.code,
                            "done_on": row.done_on.isoformat() if row.done_on else None,
                            "reports": [r.id for r in row.reports],
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
        return 0
    out.write(f"{plan.title}（{plan.id}）截至 / as of {as_of}\n")
    for unit, line in status.by_unit().items():
        rows = status.for_unit(unit) if args.all else (*line.overdue, *line.due_soon)
        if not rows:
            continue
        counts = "，".join(f"{s.label} {n}" for s, n in line.counts.items())
        out.write(f"{unit}（{counts}）\n")
        for row in rows:
            task = tasks[row.task]
            when = f" {row.period}" if row.period and task.due.kind.code == "recurring" else ""
            due = f" 到期 {row.due}" if row.due else ""
            text = task.text if len(task.text) <= 40 else task.text[:39] + "…"
            out.write(f"  [{row.state.label}] 任务{row.task}{when}{due}：{text}\n")
    overdue, soon = len(status.overdue()), len(status.due_soon())
    out.write(f"逾期 {overdue} 项，即将到期 {soon} 项 / {overdue} overdue, {soon} due soon\n")
    if args.xlsx is not None:
        out.write(f"wrote {args.xlsx}\n")
    return 0


def _evidence(texts: list[str]) -> list[Any]:
    from govdisclose.plans import Evidence

    found = []
    for text in texts:
        kind, sep, value = text.partition(":")
        value = value.strip()
        if not sep or not value:
            kind = ""
        if kind == "record":
            found.append(Evidence.record(value))
        elif kind == "publication":
            if value.startswith(("http://", "https://")):
                found.append(Evidence.publication(url=value))
            else:
                found.append(Evidence.publication(record_id=value))
        elif kind == "file":
            path = Path(value)
            if not path.is_file():
                raise bad_option(
                    f"佐证文件不存在：{value}",
                    f"no such evidence file: {value}",
                    field="--evidence",
                )
            found.append(Evidence.of_file(path))
        else:
            raise bad_option(
                f"佐证材料应写作 record:编号、publication:网址或编号、file:路径，实为 {text!r}",
                f"evidence must be record:ID, publication:URL|RECORD_ID or file:PATH, got {text!r}",
                field="--evidence",
            )
    return found


def _report(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.plans import file_report

    evidence = _evidence(args.evidence)
    on = args.on or _today()
    with _opened(args, mode="write") as store:
        plan = _plan_of(args, store)
        report = file_report(
            store,
            plan,
            args.task,
            unit=args.unit,
            on=on,
            done=not args.in_progress,
            completed_on=args.completed_on,
            period=args.period,
            evidence=evidence,
            note=args.note,
            reported_by=args.reported_by,
        )
    out.write(
        f"stored report {report.id}: {report.unit} 任务{report.task} {report.state.label}"
        f"（{len(report.evidence)} 份佐证 / evidence）\n"
    )
    return 0


def _review(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.plans import review_list

    with _opened(args, mode="read") as store:
        review = review_list(store, args.review_year, agency=args.issuer, as_of=args.as_of)
    if args.json:
        for item in review.items:
            out.write(
                json.dumps(
                    {
                        "plan": item.plan,
                        "task": item.task.number,
                        "unit": item.unit,
                        "period": item.period,
                        "due": item.due.isoformat(),
                        "state": item.state.code,
                        "history": [
                            {"id": r.id, "on": r.on.isoformat(), "state": r.state.code}
                            for r in item.history
                        ],
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
        return 0
    out.write(
        f"{review.year}年工作要点回头看（截至 {review.as_of}）/ review of {review.year}: "
        f"{len(review.items)} open\n"
    )
    for unit, items in review.by_unit().items():
        out.write(f"{unit}\n")
        for item in items:
            text = item.task.text if len(item.task.text) <= 40 else item.task.text[:39] + "…"
            history = "；".join(f"{r.on} {r.state.label}" for r in item.history) or "无报告"
            head = f"  [{item.state.label}] 任务{item.task.number} 到期 {item.due}"
            out.write(f"{head}：{text}（{history}）\n")
    return 0
