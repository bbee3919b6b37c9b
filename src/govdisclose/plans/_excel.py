"""A plan from the spreadsheet offices already keep, and the status table back to one.

The layout read is the seeds' 附件 (seed 000 附件2 “当前政府信息公开重点工作安排表”: 类别 /
工作任务 / 工作要求 / 完成时限 / 责任单位; seed 003 篇6: 序号 / 工作任务 / 牵头部门 / 责任部门 under
“一、…” and “（一）…” headings, the header repeated on every printed page): a title row or
two, a header row, then task rows, with merged cells for a section heading across the row and
for a unit or a deadline shared by the rows below it.

Headers are matched leniently (`HEADER_SYNONYMS`: 责任部门 is 责任单位, 完成时间 and 时限要求 are
完成时限; spaces, full-width forms and brackets ignored). Every row that cannot be read is named
in the `ImportReport` (sheet, row, column, the text and why); by default one such row refuses
the whole table (`PlanImportError`), ``lenient=True`` skips it and keeps the rest.

openpyxl is the optional extra ``excel``; it is imported when a spreadsheet is read or written.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import IO, Any

from attrs import frozen

from govdisclose._install import install_hint
from govdisclose.errors import GovDiscloseError, ValidationError
from govdisclose.plans._due import DueFormError, DueKind, DueRule, parse_due
from govdisclose.plans._model import PlanTask, WorkPlan, split_units
from govdisclose.plans._status import PlanStatus, TaskState, save_plan

__all__ = [
    "HEADER_SYNONYMS",
    "ImportReport",
    "PlanImportError",
    "RowProblem",
    "header_field",
    "import_plan",
    "read_plan_table",
    "status_workbook",
]

#: The header texts read as each column, after folding (full-width to ASCII, spaces and
#: brackets removed); a header containing one of them (two characters or more) also matches.
HEADER_SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "序", "no", "排序"),
    "category": (
        "类别",
        "类型",
        "分类",
        "工作类别",
        "板块",
        "工作板块",
        "重点领域",
        "领域",
        "项目",
    ),
    "task": (
        "工作任务",
        "任务",
        "重点任务",
        "具体任务",
        "主要任务",
        "任务内容",
        "任务名称",
        "工作内容",
        "工作事项",
        "具体工作",
        "主要内容",
        "事项",
    ),
    "requirement": ("工作要求", "具体要求", "要求", "工作措施", "具体措施", "目标要求", "工作目标"),
    "lead": (
        "牵头单位",
        "牵头部门",
        "牵头",
        "主办单位",
        "牵头处室",
        "牵头科室",
        "主责单位",
        "主要责任单位",
    ),
    "units": (
        "责任单位",
        "责任部门",
        "配合单位",
        "配合部门",
        "协办单位",
        "参与单位",
        "落实单位",
        "责任处室",
        "责任主体",
        "承办单位",
        "实施单位",
    ),
    "due": (
        "完成时限",
        "完成时间",
        "时限要求",
        "时间要求",
        "时限",
        "完成期限",
        "进度安排",
        "时间节点",
        "截止时间",
        "完成日期",
        "期限",
        "时间安排",
    ),
    "note": ("备注", "说明"),
}

_LABEL = {
    "number": "序号",
    "category": "类别",
    "task": "工作任务",
    "requirement": "工作要求",
    "lead": "牵头单位",
    "units": "责任单位",
    "due": "完成时限",
    "note": "备注",
}


def _fold(text: str) -> str:
    flat = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s()\[\]【】<>《》:：*、/\\·.,，_-]+", "", flat)


_EXACT = {_fold(s): f for f, syns in HEADER_SYNONYMS.items() for s in syns}
_BY_LENGTH = sorted(_EXACT.items(), key=lambda kv: -len(kv[0]))


def header_field(text: object) -> str | None:
    """The column a header cell names (a key of `HEADER_SYNONYMS`), or ``None``."""
    if not isinstance(text, str):
        return None
    folded = _fold(text)
    if not folded or len(folded) > 14:
        return None
    if folded in _EXACT:
        return _EXACT[folded]
    for syn, name in _BY_LENGTH:
        if len(syn) >= 2 and syn in folded:
            return name
    return None


@frozen
class RowProblem:
    """A row of the table that could not be read: where (``sheet``, 1-based ``row``, column
    letter and header), the cell's ``text``, and why."""

    sheet: str
    row: int | None
    column: str | None
    header: str | None
    text: str
    reason_zh: str
    reason_en: str

    def describe(self) -> str:
        """``任务表!D7 (完成时限) “2024年9月31日”：… / …``."""
        cell = f"{self.column or ''}{self.row or ''}"
        where = f"{self.sheet}!{cell}" if cell else self.sheet
        head = f" ({self.header})" if self.header else ""
        shown = f" “{self.text}”" if self.text else ""
        return f"{where}{head}{shown}：{self.reason_zh} / {self.reason_en}"


@frozen
class ImportReport:
    """What reading a plan table found.

    :param plan: the plan read (``None`` when refused).
    :param columns: ``(column key, header as written, column letter)`` of every column used.
    :param problems: every row that could not be read, in row order.
    :param skipped: the rows left out because of a problem (lenient mode).
    :param notes: what the reader assumed (a missing 完成时限 column, repeated header rows).
    """

    sheet: str
    header_row: int
    columns: tuple[tuple[str, str, str], ...]
    plan: WorkPlan | None
    problems: tuple[RowProblem, ...] = ()
    skipped: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every row was read."""
        return not self.problems

    def lines(self) -> list[str]:
        """The report as lines a clerk reads."""
        n = len(self.plan.tasks) if self.plan is not None else 0
        out = [
            f"工作表 {self.sheet}，表头在第 {self.header_row} 行；读入任务 {n} 项，"
            f"问题 {len(self.problems)} 处 / sheet {self.sheet}, header row {self.header_row}: "
            f"{n} tasks read, {len(self.problems)} problems"
        ]
        out += [
            f"  列 / column {letter}: {header} -> {key}" for key, header, letter in self.columns
        ]
        out += [f"  注 / note: {note}" for note in self.notes]
        out += [f"  问题 / problem: {p.describe()}" for p in self.problems]
        if self.skipped:
            rows = ", ".join(str(r) for r in self.skipped)
            out.append(f"  已跳过的行 / rows skipped: {rows}")
        return out


class PlanImportError(ValidationError):
    """A plan table refused: ``problems`` names every row at fault, ``report`` is the whole
    `ImportReport` (code ``plans.import``; ``plans.unreadable_file`` for a file that is no
    spreadsheet, ``plans.no_header`` for a sheet without a recognisable header)."""

    default_code = "plans.import"

    def __init__(
        self,
        message_zh: str,
        message_en: str,
        *,
        problems: tuple[RowProblem, ...] = (),
        report: ImportReport | None = None,
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        self.problems = problems
        self.report = report
        super().__init__(message_zh, message_en, field=field, code=code)


def _openpyxl() -> Any:
    try:
        import openpyxl  # type: ignore[import-untyped]
    except ImportError as err:  # pragma: no cover - the extra is installed in the test venvs
        zh, en = install_hint("openpyxl", "excel")
        raise GovDiscloseError(
            f"读写 Excel 工作计划需要 openpyxl。{zh}",
            f"reading and writing Excel plans needs openpyxl; {en}",
            code="plans.needs_openpyxl",
        ) from err
    return openpyxl


_SECTION = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_SUBSECTION = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_plan_table(
    source: str | Path | bytes | IO[bytes],
    *,
    year: int,
    agency: str,
    plan_id: str | None = None,
    title: str | None = None,
    sheet: str | None = None,
    lenient: bool = False,
) -> ImportReport:
    """Read a plan from an .xlsx table (a path, its bytes or a binary stream).

    :param year: the plan year (the year of a 完成时限 written without one).
    :param agency: the issuing agency's code.
    :param plan_id: the plan's id (default ``"<agency>-<year>"``).
    :param title: the plan's title (default: the title row above the header, else
        ``"<year>年政务公开工作要点"``).
    :param sheet: the worksheet's name (default: the active one).
    :param lenient: skip unreadable rows (listed in the report) instead of refusing the table.
    :raises PlanImportError: a row could not be read (strict mode), the file is no
        spreadsheet, the sheet or its header is not found, or no task was read.
    """
    openpyxl = _openpyxl()
    name = str(source) if isinstance(source, str | Path) else "<workbook>"
    stream: Any = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        book = openpyxl.load_workbook(stream, data_only=True)
    except Exception as err:  # openpyxl raises zipfile, KeyError, InvalidFileException...
        raise PlanImportError(
            f"无法读取工作计划表 {name}：不是有效的 .xlsx 文件（{type(err).__name__}）",
            f"cannot read the plan table {name}: not a valid .xlsx file ({err})",
            field="file",
            code="plans.unreadable_file",
        ) from err
    if sheet is not None and sheet not in book.sheetnames:
        raise PlanImportError(
            f"工作簿中没有工作表“{sheet}”（有：{'、'.join(book.sheetnames)}）",
            f"no sheet {sheet!r} in the workbook (sheets: {', '.join(book.sheetnames)})",
            field="sheet",
            code="plans.no_sheet",
        )
    ws = book[sheet] if sheet is not None else book.active
    return _read_sheet(
        ws,
        year=year,
        agency=agency,
        plan_id=plan_id or f"{agency}-{year}",
        title=title,
        source=Path(name).name if isinstance(source, str | Path) else None,
        lenient=lenient,
    )


def _read_sheet(
    ws: Any,
    *,
    year: int,
    agency: str,
    plan_id: str,
    title: str | None,
    source: str | None,
    lenient: bool,
) -> ImportReport:
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    sheet = ws.title
    rows = max(ws.max_row, 1)
    cols = max(ws.max_column, 1)
    grid: dict[tuple[int, int], object] = {}
    for r, line in enumerate(ws.iter_rows(min_row=1, max_row=rows, values_only=True), start=1):
        for c, value in enumerate(line, start=1):
            if value is not None and _text(value) != "":
                grid[(r, c)] = value
    # Merged cells: a range across one row that holds the task column is a heading; any other
    # range (a unit or deadline shared by the rows below) gives its value to every cell of it.
    headings: dict[int, str] = {}
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]

    # the header row: the first of the top rows naming the task column and another one
    header_row, columns = 0, {}
    for r in range(1, min(rows, 20) + 1):
        named: dict[str, int] = {}
        for c in range(1, cols + 1):
            key = header_field(grid.get((r, c)))
            if key is not None and key not in named:
                named[key] = c
        if "task" in named and len(named) >= 2:
            header_row, columns = r, named
            break
    if not header_row:
        raise PlanImportError(
            f"工作表 {sheet} 的前 20 行中找不到表头（需有“工作任务”及“责任单位”“完成时限”等列）",
            f"no header row in the first 20 rows of sheet {sheet} (it needs a 工作任务 column "
            "and others such as 责任单位 or 完成时限)",
            field="header",
            code="plans.no_header",
        )
    task_col = columns["task"]
    for r1, c1, r2, c2 in merged:
        value = grid.get((r1, c1))
        if r1 == r2 and c1 < c2 and c1 <= task_col <= c2 and r1 > header_row:
            headings[r1] = _text(value)
            continue
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                origin[(r, c)] = (r1, c1)
                if value is not None:
                    grid[(r, c)] = value

    used = tuple(
        (key, _text(grid.get((header_row, c))), get_column_letter(c))
        for key, c in sorted(columns.items(), key=lambda kv: kv[1])
    )
    notes: list[str] = []
    if "due" not in columns:
        notes.append(
            "表中没有“完成时限”列，各任务按未明确时限处理 / no 完成时限 column: tasks undated"
        )
    if "lead" not in columns and "units" not in columns:
        raise PlanImportError(
            f"工作表 {sheet} 没有“牵头单位”或“责任单位”列",
            f"sheet {sheet} has neither a 牵头单位 nor a 责任单位 column",
            field="header",
            code="plans.no_unit_column",
        )
    if title is None:
        above = [
            _text(grid.get((r, c)))
            for r in range(1, header_row)
            for c in range(1, cols + 1)
            if isinstance(grid.get((r, c)), str)
        ]
        title = next((t for t in above if t), f"{year}年政务公开工作要点")

    def cell(r: int, key: str) -> object:
        c = columns.get(key)
        return None if c is None else grid.get((r, c))

    def problem(r: int, key: str | None, text: object, zh: str, en: str) -> RowProblem:
        c = columns.get(key) if key else None
        return RowProblem(
            sheet,
            r,
            get_column_letter(c) if c else None,
            _LABEL.get(key) if key else None,
            _text(text) if not isinstance(text, date) else text.isoformat(),
            zh,
            en,
        )

    section: str | None = None
    subsection: str | None = None
    tasks: list[PlanTask] = []
    problems: list[RowProblem] = []
    skipped: list[int] = []
    numbers: dict[str, int] = {}
    repeated = 0
    ordinal = 0
    for r in range(header_row + 1, rows + 1):
        filled = {c: grid[(r, c)] for c in range(1, cols + 1) if (r, c) in grid}
        own = {c: v for c, v in filled.items() if origin.get((r, c), (r, c)) == (r, c)}
        if r in headings:
            text = headings[r]
            if _SUBSECTION.match(text):
                subsection = text
            elif text:
                section, subsection = text, None
            continue
        if not own:
            continue  # a blank row (or one only continued from the merged cells above)
        if sum(1 for v in own.values() if header_field(v) is not None) >= 2:
            repeated += 1
            continue
        texts = [_text(v) for v in own.values()]
        if len(own) == 1 and (_SECTION.match(texts[0]) or _SUBSECTION.match(texts[0])):
            if _SUBSECTION.match(texts[0]):
                subsection = texts[0]
            else:
                section, subsection = texts[0], None
            continue
        found: list[RowProblem] = []
        category = _text(cell(r, "category"))
        task_text = _text(cell(r, "task"))
        requirement = _text(cell(r, "requirement"))
        if requirement:
            text, short = requirement, task_text or None
        else:
            text, short = task_text, None
        if not text:
            found.append(problem(r, "task", "", "工作任务为空", "the task text is empty"))
        ordinal += 1
        raw_number = cell(r, "number")
        number = _text(raw_number).rstrip(".、．") or str(ordinal)
        if number in numbers:
            found.append(
                problem(
                    r,
                    "number",
                    number,
                    f"序号与第 {numbers[number]} 行重复",
                    f"the same number as row {numbers[number]}",
                )
            )
        due_value = cell(r, "due")
        due: DueRule | None
        try:
            due = parse_due(due_value if due_value is not None else "", year)
        except DueFormError as err:
            due = None
            found.append(problem(r, "due", due_value, err.message_zh, err.message_en))
        lead_cell, units_cell = cell(r, "lead"), cell(r, "units")
        if (
            "lead" in columns
            and "units" in columns
            and origin.get((r, columns["lead"])) is not None
            and origin.get((r, columns["lead"])) == origin.get((r, columns["units"]))
        ):
            lead_cell = None  # one cell across both columns: read it once, as 责任单位
        lead_a, units_a = split_units(_text(lead_cell), lead_column=True)
        lead_b, units_b = split_units(_text(units_cell))
        lead, units = (*lead_a, *lead_b), (*units_a, *units_b)
        if not lead and not units:
            key = "units" if "units" in columns else "lead"
            found.append(
                problem(r, key, "", "没有牵头单位或责任单位", "no lead or responsible unit")
            )
        if found:
            problems.extend(found)
            skipped.append(r)
            numbers.setdefault(number, r)
            continue
        numbers[number] = r
        if category:
            if _SUBSECTION.match(category):
                subsection = category
            elif category != section:
                section, subsection = category, None
        assert due is not None
        tasks.append(
            PlanTask(
                number=number,
                text=text,
                due=due,
                lead_units=lead,
                units=units,
                section=section,
                subsection=subsection,
                title=short,
                note=_text(cell(r, "note")) or None,
            )
        )
    if repeated:
        notes.append(f"跳过重复的表头行 {repeated} 行 / skipped {repeated} repeated header rows")
    undated = sum(1 for t in tasks if t.due.kind is DueKind.UNSPECIFIED)
    if undated and "due" in columns:
        notes.append(f"{undated} 项任务未填完成时限 / {undated} tasks without a due date")
    if not tasks and not problems:
        problems.append(
            RowProblem(sheet, None, None, None, "", "表中没有任务", "the table has no tasks")
        )
    plan = None
    if tasks and (lenient or not problems):
        plan = WorkPlan(
            id=plan_id, agency=agency, year=year, title=title, tasks=tuple(tasks), source=source
        )
    report = ImportReport(
        sheet=sheet,
        header_row=header_row,
        columns=used,
        plan=plan,
        problems=tuple(problems),
        skipped=tuple(skipped) if lenient else (),
        notes=tuple(notes),
    )
    if plan is None:
        first = problems[0]
        raise PlanImportError(
            f"工作计划表有 {len(problems)} 处无法读取，未导入：{first.describe()}"
            + ("（其余见报告）" if len(problems) > 1 else ""),
            f"the plan table has {len(problems)} unreadable rows and was not imported; first: "
            f"{first.describe()}",
            problems=tuple(problems),
            report=report,
            field=f"{first.sheet}!{first.column or ''}{first.row or ''}",
        )
    return report


def import_plan(
    store: Any,
    source: str | Path | bytes | IO[bytes],
    *,
    year: int,
    agency: str,
    plan_id: str | None = None,
    title: str | None = None,
    sheet: str | None = None,
    lenient: bool = False,
    replace: bool = False,
) -> ImportReport:
    """`read_plan_table`, then store the plan (new, or over the stored one with
    ``replace=True``). Nothing is stored when the table is refused."""
    report = read_plan_table(
        source,
        year=year,
        agency=agency,
        plan_id=plan_id,
        title=title,
        sheet=sheet,
        lenient=lenient,
    )
    assert report.plan is not None
    expected: int | None = 0
    if replace:
        from govdisclose.plans._model import WorkPlan as _Plan

        try:
            expected = store.item_version(_Plan, report.plan.id)
        except LookupError:
            expected = 0
    save_plan(store, report.plan, expected_version=expected)
    return report


# -- export -------------------------------------------------------------------------------------

_FILLS = {
    TaskState.OVERDUE: "F4C7C3",
    TaskState.DUE_SOON: "FCE8B2",
    TaskState.DONE_LATE: "F9CB9C",
    TaskState.DONE_ON_TIME: "B7E1CD",
    TaskState.DONE: "B7E1CD",
}
_COLUMNS = (
    ("序号", 6),
    ("板块", 18),
    ("工作任务", 46),
    ("牵头单位", 16),
    ("责任单位", 22),
    ("完成时限", 12),
    ("期次", 11),
    ("到期日", 12),
    ("单位", 16),
    ("状态", 11),
    ("完成日期", 12),
    ("佐证材料", 30),
)


def status_workbook(status: PlanStatus) -> bytes:
    """The status table of a plan as an .xlsx: one row per unit and occurrence (dates as date
    cells), coloured by state, and a sheet of counts per unit; landscape A4, header repeated
    on every printed page."""
    openpyxl = _openpyxl()
    from openpyxl.styles import (  # type: ignore[import-untyped]
        Alignment,
        Border,
        Font,
        PatternFill,
        Side,
    )
    from openpyxl.utils import get_column_letter

    plan = status.plan
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "任务完成情况"
    last = get_column_letter(len(_COLUMNS))
    ws.append([f"{plan.title} 完成情况（截至 {status.as_of.isoformat()}）"])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28
    ws.append([name for name, _ in _COLUMNS])
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for c, (_, width) in enumerate(_COLUMNS, start=1):
        head = ws.cell(row=2, column=c)
        head.font = Font(bold=True)
        head.fill = PatternFill("solid", fgColor="D9D9D9")
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        head.border = border
        ws.column_dimensions[get_column_letter(c)].width = width
    tasks = {t.number: t for t in plan.tasks}
    # status.rows are in the plan's order: task, then its units as listed, then the periods
    for row in status.rows:
        task = tasks.get(row.task)
        ws.append(
            [
                row.task,
                (task.section or "") if task else "",
                task.text if task else "",
                "、".join(task.lead_units) if task else "",
                "、".join(task.units) if task else "",
                task.due.text if task else "",
                row.period if row.period and task and task.due.kind is DueKind.RECURRING else "",
                row.due,
                row.unit,
                row.state.label,
                row.done_on,
                "；".join(e.describe() for e in row.evidence),
            ]
        )
        r = ws.max_row
        # Spreadsheet programs do not grow a row for wrapped text they did not lay out
        # themselves: give it the height of its longest cell (a CJK character is two units).
        lines = 1
        for c, (_, width) in enumerate(_COLUMNS, start=1):
            text = ws.cell(row=r, column=c).value
            if isinstance(text, str):
                units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
                lines = max(lines, -(-units // max(width - 1, 1)))
        ws.row_dimensions[r].height = 15 * lines
        fill = _FILLS.get(row.state)
        for c in range(1, len(_COLUMNS) + 1):
            target = ws.cell(row=r, column=c)
            target.alignment = Alignment(vertical="top", wrap_text=True)
            target.border = border
            if fill is not None and c == 10:
                target.fill = PatternFill("solid", fgColor=fill)
        for c in (8, 11):
            ws.cell(row=r, column=c).number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.auto_filter.ref = f"A2:{last}{max(ws.max_row, 2)}"

    summary = book.create_sheet("各单位汇总")
    states = list(TaskState)
    summary.append(["单位", *[s.label for s in states], "合计"])
    for c in range(1, len(states) + 3):
        summary.cell(row=1, column=c).font = Font(bold=True)
        summary.column_dimensions[get_column_letter(c)].width = 10 if c > 1 else 22
    for unit, line in status.by_unit().items():
        counts = [line.counts.get(s, 0) for s in states]
        summary.append([unit, *counts, sum(counts)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
