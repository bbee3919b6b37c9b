"""The demo's work plan: a task table as a city government office would send it out, and a
year of its units' progress reports, both built from the demo's agencies.

The table has the seeds' shape (seed 003 篇6: 序号 / 工作任务 / 牵头单位 / 责任单位 / 完成时限 under
merged “一、…” headings; seed 000 附件2's deadlines: 6月底前, 每季度, 长期坚持, a date cell).
"""

from __future__ import annotations

import hashlib
import io
import random
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from govdisclose.model import Agency
from govdisclose.plans._due import DueKind
from govdisclose.plans._excel import _openpyxl, import_plan, status_workbook
from govdisclose.plans._model import Evidence
from govdisclose.plans._status import (
    file_report,
    plan_members,
    plan_reports,
    plan_status,
    unit_agencies,
)

__all__ = ["demo_plan", "sample_plan_table"]


def _short(agency: Agency) -> str:
    # “某市生态环境局” is written “市生态环境局” in the table, as offices write their own units.
    return agency.name.removeprefix("某")


def sample_plan_table(year: int, agencies: Sequence[Agency]) -> bytes:
    """An .xlsx task table for ``year`` whose units are ``agencies`` (the first government
    among them issues it), in the layout of the seeds' 附件."""
    openpyxl = _openpyxl()
    from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]

    gov = next(a for a in agencies if a.parent is None)
    deps = {a.code: _short(a) for a in agencies if a.parent == gov.code}
    office = _short(gov)
    place = office[:1] or "市"
    all_deps = f"{place}政府各部门"

    def dep(fragment: str) -> str:
        return next((n for n in deps.values() if fragment in n), all_deps)

    nrb, eeb, hrss, housing = dep("自然资源"), dep("生态环境"), dep("人力资源"), dep("住房")
    rows: list[list[object] | str] = [
        "一、推进重点领域信息公开",
        [
            1,
            "公开国土空间总体规划及年度实施情况，做好历史规划的归集整理和主动公开",
            nrb,
            all_deps,
            f"{year}年6月底前",
        ],
        [2, "每季度公开空气质量和重点流域水环境质量状况", eeb, "", "每季度"],
        [3, "公开就业创业补贴的申领条件、办理程序和发放结果", hrss, "", "9月30日前"],
        [4, "公开保障性住房分配和退出信息", housing, "", "每半年"],
        "二、加强政策解读与回应关切",
        [5, "重要政策文件与解读材料同步起草、同步审签、同步发布", office, all_deps, "长期坚持"],
        [
            6,
            "完善政务舆情收集、研判、回应机制，建立舆情回应台账",
            office,
            f"{eeb}、{housing}",
            "上半年",
        ],
        "三、强化制度和平台建设",
        [7, "更新政府信息公开指南和主动公开目录", office, all_deps, datetime(year, 3, 31)],
        [8, "制定本单位政务公开工作实施方案并报备、公开", "", all_deps, "4月10日前"],
        [
            9,
            "编制并公开上一年度政府信息公开工作年度报告",
            office,
            all_deps,
            f"{year + 1}年1月31日前",
        ],
    ]
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = f"{year}年工作要点"
    ws.append([f"{year}年全市政务公开工作要点任务分解表"])
    ws.merge_cells("A1:E1")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["序号", "工作任务", "牵头单位", "责任单位", "完成时限"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows:
        if isinstance(row, str):
            ws.append([row])
            ws.merge_cells(f"A{ws.max_row}:E{ws.max_row}")
            ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        else:
            ws.append(row)
            ws.cell(row=ws.max_row, column=5).number_format = "yyyy年m月d日"
    for letter, width in zip("ABCDE", (6, 60, 20, 30, 16), strict=True):
        ws.column_dimensions[letter].width = width
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def demo_plan(
    store: Any,
    directory: Path,
    *,
    year: int,
    as_of: date,
    say: Callable[[str], None],
    seed: int = 16,
) -> bool:
    """The demo's step: write the table into ``directory``, import it, file a year of
    reports (most on time, some late, some never), print the overdue tasks per unit as of
    ``as_of`` and write the status table; ``True`` when the table imported whole."""
    agencies = list(store.agencies())
    gov = next(a for a in agencies if a.parent is None)
    folder = directory / "plans"
    folder.mkdir(exist_ok=True)
    table = folder / f"{year}年工作要点任务分解表.xlsx"
    table.write_bytes(sample_plan_table(year, agencies))
    report = import_plan(store, table, year=year, agency=gov.code)
    plan = report.plan
    assert plan is not None
    say(
        f"   imported {table.relative_to(directory)}: {len(plan.tasks)} tasks, "
        f"{len(plan.units)} units, problems: {len(report.problems)}"
    )
    members = plan_members(store, plan)
    member_name = {
        code: name
        for unit, names in members.items()
        for code, name in zip(unit_agencies(unit, agencies, issuer=gov), names, strict=True)
    }
    rng = random.Random(seed)
    records = {a.code: [r.id for r in store.records(agency=a.code)][:5] for a in agencies}
    ledger = f"{plan.title} 工作台账".encode()
    filed = 0
    for task in plan.tasks:
        if task.due.kind is DueKind.ONGOING:
            continue
        for unit in task.assignees:
            codes = unit_agencies(unit, agencies, issuer=gov)
            for code in codes:
                # a member of 市政府各部门 reports as itself, a named unit as the plan names it
                name = member_name[code] if unit in members else unit
                for occ in task.due.occurrences(year):
                    roll = rng.random()
                    if roll < 0.2 or occ.due > as_of:
                        continue  # never reported (or not due yet)
                    late = roll > 0.8
                    done_on = (
                        occ.due + timedelta(days=rng.randint(1, 20))
                        if late
                        else (occ.due - timedelta(days=rng.randint(0, 25)))
                    )
                    done_on = min(max(done_on, occ.start), as_of)
                    ids = records.get(code) or []
                    evidence = (
                        Evidence.record(rng.choice(ids))
                        if ids and rng.random() < 0.5
                        else Evidence.file(
                            f"{name}-任务{task.number}-佐证.pdf",
                            len(ledger),
                            hashlib.sha256(ledger + name.encode()).hexdigest(),
                        )
                    )
                    file_report(
                        store,
                        plan,
                        task.number,
                        unit=name,
                        on=done_on,
                        period=occ.period,
                        evidence=(evidence,),
                    )
                    filed += 1
    status = plan_status(plan, plan_reports(store, plan), as_of=as_of, soon=14, members=members)
    say(
        f"   {filed} progress reports; as of {as_of}: {len(status.overdue())} overdue, "
        f"{len(status.due_soon())} due soon"
    )
    for unit, line in status.by_unit().items():
        if not line.overdue and not line.due_soon:
            continue
        say(f"   {unit}: 逾期 {len(line.overdue)} 项, 即将到期 {len(line.due_soon)} 项")
        for row in (*line.overdue, *line.due_soon):
            task = plan.task(row.task)
            period = f" {row.period}" if task.due.kind is DueKind.RECURRING else ""
            say(
                f"     [{row.state.label}] 任务{row.task}{period} 到期 {row.due}：{task.text[:24]}…"
            )
    target = folder / f"{plan.id}-status.xlsx"
    payload = status_workbook(status)
    target.write_bytes(payload)
    say(f"   wrote {target.relative_to(directory)} ({len(payload):,} bytes)")
    return report.ok
