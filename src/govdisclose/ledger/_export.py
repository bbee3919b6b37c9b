"""The ledger written back: one row per application with its due date and status as of a day.

`ledger_table` derives the rows from the applications' events (nothing is stored twice: the
答复期限 is `govdisclose.deadlines.reply_deadline`, the 期限状态 `reply_status` as of the day,
the 办理状态 `govdisclose.lifecycle.status`); `ledger_workbook` writes them to an .xlsx with
real date cells (``yyyy-mm-dd``), column widths, the header frozen and repeated on every
printed page, an autofilter, and the overdue and due-soon rows coloured; `ledger_csv` writes
UTF-8 with a BOM, which Excel and WPS open without mojibake. `govdisclose.ledger.read_ledger`
reads either back into the same applications (the computed columns are not read).

The ledger shows the first correction, the first consultation and the one extension of an
application; the office's desk steps (drafts, approvals, letters) are the case file's, not the
ledger's.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal

from attrs import evolve, frozen

from govdisclose.calendar import WorkCalendar
from govdisclose.deadlines import ClockState, reply_deadline, reply_status
from govdisclose.errors import CalendarError
from govdisclose.ledger._sheet import openpyxl_module
from govdisclose.lifecycle import status
from govdisclose.model import (
    Agency,
    Application,
    CorrectionReceived,
    CorrectionRequested,
    DeemedWithdrawn,
    Extended,
    FeeNotified,
    FeePaid,
    Replied,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    Withdrawn,
)
from govdisclose.params import ParameterSet

__all__ = ["EXPORT_COLUMNS", "LedgerTable", "ledger_csv", "ledger_table", "ledger_workbook"]

#: The export's columns: header, width (characters), kind (``date``, ``text``, ``int``,
#: ``money``), and whether it holds personal data (left out unless asked for).
EXPORT_COLUMNS: tuple[tuple[str, float, str, bool], ...] = (
    ("序号", 6, "int", False),
    ("受理编号", 20, "text", False),
    ("受理机关", 16, "text", False),
    ("申请日期", 11.5, "date", False),
    ("确认日期", 11.5, "date", False),
    ("申请人", 16, "text", False),
    ("申请人类型", 10, "text", False),
    ("证件号码", 20, "text", True),
    ("统一社会信用代码", 20, "text", True),
    ("联系电话", 14, "text", True),
    ("通信地址", 24, "text", True),
    ("电子邮箱", 20, "text", True),
    ("申请方式", 14, "text", False),
    ("申请内容", 36, "text", False),
    ("是否补正", 6, "text", False),
    ("补正告知日期", 11.5, "date", False),
    ("补正事项", 18, "text", False),
    ("收到补正日期", 11.5, "date", False),
    ("征求意见对象", 14, "text", False),
    ("征求意见对象类型", 8, "text", False),
    ("征求意见日期", 11.5, "date", False),
    ("收到意见日期", 11.5, "date", False),
    ("是否延期", 6, "text", False),
    ("延期日期", 11.5, "date", False),
    ("延期天数", 6, "int", False),
    ("延期理由", 18, "text", False),
    ("延期批准人", 10, "text", False),
    ("是否收费", 6, "text", False),
    ("收费金额", 9, "money", False),
    ("计费方式", 9, "text", False),
    ("计费数量", 6, "int", False),
    ("收费通知日期", 11.5, "date", False),
    ("缴费日期", 11.5, "date", False),
    ("答复日期", 11.5, "date", False),
    ("答复结果", 22, "text", False),
    ("答复理由", 24, "text", False),
    ("法律依据", 18, "text", False),
    ("答复期限", 11.5, "date", False),
    ("办理状态", 9, "text", False),
    ("期限状态", 9, "text", False),
    ("剩余工作日", 6, "int", False),
    ("逾期工作日", 6, "int", False),
    ("备注", 20, "text", False),
)

Value = str | int | Decimal | date | None


@frozen
class LedgerTable:
    """The ledger as rows: ``columns`` (headers), ``kinds`` (``date``, ``text``, ``int``,
    ``money`` per column), ``rows`` (values: `datetime.date` for a date), the clock state of
    each row, and ``problems``: ``(application id, why)`` of the rows whose due date could not
    be computed (a year without holiday data under the strict calendar)."""

    as_of: date
    columns: tuple[str, ...]
    kinds: tuple[str, ...]
    widths: tuple[float, ...]
    rows: tuple[tuple[Value, ...], ...]
    states: tuple[ClockState, ...]
    problems: tuple[tuple[str, str], ...] = ()


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


def _as_known_on(app: Application, day: date) -> Application:
    """The application as its events up to ``day`` show it (events are in date order)."""
    known = tuple(e for e in app.events if e.on <= day)
    return app if len(known) == len(app.events) else evolve(app, events=known)


def _party_kind(consulted: ThirdPartyConsulted | None) -> str | None:
    if consulted is None:
        return None
    return "其他机关" if consulted.is_agency else "第三方"


def _row(
    app: Application,
    number: int,
    agency_name: str,
    *,
    as_of: date,
    params: ParameterSet,
    calendar: WorkCalendar,
    warn_within: int,
) -> tuple[dict[str, Value], ClockState, str | None]:
    events = app.events
    asked = next((e for e in events if isinstance(e, CorrectionRequested)), None)
    got = next((e for e in events if isinstance(e, CorrectionReceived)), None)
    consulted = next((e for e in events if isinstance(e, ThirdPartyConsulted)), None)
    answered = (
        next(
            (e for e in events if isinstance(e, ThirdPartyReplied) and e.party == consulted.party),
            None,
        )
        if consulted is not None
        else None
    )
    extension = next((e for e in events if isinstance(e, Extended)), None)
    fee = next((e for e in events if isinstance(e, FeeNotified)), None)
    paid = next((e for e in events if isinstance(e, FeePaid)), None)
    final = app.final_event
    received = app.received
    outcome: str | None = None
    reasons = basis = None
    if isinstance(final, Replied):
        outcome, reasons, basis = final.outcome.label, final.reasons, final.legal_basis
    elif isinstance(final, Withdrawn):
        outcome = "申请人撤回"
    elif isinstance(final, DeemedWithdrawn) and app.outcome is not None:
        outcome = app.outcome.label
    problem: str | None = None
    due: date | None = None
    state, left, late = ClockState.UNDETERMINED, None, None
    try:
        deadline = reply_deadline(app, params=params, calendar=calendar)
        due = deadline.due if deadline is not None else None
        clock = reply_status(app, as_of, params=params, calendar=calendar, warn_within=warn_within)
        state, left, late = clock.state, clock.working_days_left, clock.working_days_late
        due = clock.due or due
    except CalendarError as err:
        problem = err.message_zh
    values: dict[str, Value] = {
        "序号": number,
        "受理编号": app.id,
        "受理机关": agency_name,
        "申请日期": received.on if received else None,
        "确认日期": received.confirmed_on if received else None,
        "申请人": app.applicant.name,
        "申请人类型": app.applicant.type.label,
        "证件号码": app.applicant.id_number,
        "统一社会信用代码": app.applicant.organisation_code,
        "联系电话": app.applicant.phone,
        "通信地址": app.applicant.address,
        "电子邮箱": app.applicant.email,
        "申请方式": app.channel.label,
        "申请内容": app.request,
        "是否补正": _yes(asked is not None),
        "补正告知日期": asked.on if asked else None,
        "补正事项": asked.items if asked else None,
        "收到补正日期": got.on if got else None,
        "征求意见对象": consulted.party if consulted else None,
        "征求意见对象类型": ("其他机关" if consulted.is_agency else "第三方")
        if consulted
        else None,
        "征求意见日期": consulted.on if consulted else None,
        "收到意见日期": answered.on if answered else None,
        "是否延期": _yes(extension is not None),
        "延期日期": extension.on if extension else None,
        "延期天数": extension.days if extension else None,
        "延期理由": extension.reason if extension else None,
        "延期批准人": extension.approved_by if extension else None,
        "是否收费": _yes(fee is not None),
        "收费金额": fee.amount if fee else None,
        "计费方式": fee.method.label if fee else None,
        "计费数量": fee.quantity if fee else None,
        "收费通知日期": fee.on if fee else None,
        "缴费日期": paid.on if paid else None,
        "答复日期": final.on if final else None,
        "答复结果": outcome,
        "答复理由": reasons,
        "法律依据": basis,
        "答复期限": due,
        "办理状态": status(_as_known_on(app, as_of)).label,
        "期限状态": state.label,
        "剩余工作日": left,
        "逾期工作日": late,
        "备注": received.note if received else None,
    }
    return values, state, problem


def ledger_table(
    applications: Iterable[Application],
    *,
    as_of: date,
    params: ParameterSet,
    calendar: WorkCalendar,
    agencies: Mapping[str, str] | Iterable[Agency] = (),
    personal_data: bool = False,
    warn_within: int = 3,
    progress: Callable[[Iterable[Application]], Iterable[Application]] | None = None,
) -> LedgerTable:
    """The ledger rows of ``applications`` as of ``as_of``, ordered by receipt date and id.

    :param agencies: the agencies' names for the 受理机关 column (code -> name, or `Agency`
        values; a code without a name is written as the code).
    :param personal_data: include 证件号码, 联系电话, 通信地址 and 电子邮箱 (left out by default:
        a ledger is passed around; the personal data stay in the store).
    :param warn_within: 即将到期 = at most this many working days left.
    """
    names = dict(agencies) if isinstance(agencies, Mapping) else {a.code: a.name for a in agencies}
    apps = sorted(
        applications,
        key=lambda a: (a.receipt_date or date.max, a.id),
    )
    items: Iterable[Application] = progress(apps) if progress is not None else apps
    chosen = [c for c in EXPORT_COLUMNS if personal_data or not c[3]]
    rows: list[tuple[Value, ...]] = []
    states: list[ClockState] = []
    problems: list[tuple[str, str]] = []
    for number, app in enumerate(items, start=1):
        values, state, problem = _row(
            app,
            number,
            names.get(app.agency, app.agency),
            as_of=as_of,
            params=params,
            calendar=calendar,
            warn_within=warn_within,
        )
        rows.append(tuple(values[c[0]] for c in chosen))
        states.append(state)
        if problem is not None:
            problems.append((app.id, problem))
    return LedgerTable(
        as_of=as_of,
        columns=tuple(c[0] for c in chosen),
        kinds=tuple(c[2] for c in chosen),
        widths=tuple(c[1] for c in chosen),
        rows=tuple(rows),
        states=tuple(states),
        problems=tuple(problems),
    )


_FILLS = {
    ClockState.OVERDUE: "F4C7C3",
    ClockState.MISSED: "F9CB9C",
    ClockState.DUE_SOON: "FCE8B2",
    ClockState.UNDETERMINED: "D9D9D9",
}


_ALWAYS_SHOWN = frozenset(
    {"序号", "受理编号", "申请日期", "申请人", "申请人类型", "申请方式", "申请内容", "答复日期",
     "答复结果", "答复期限", "办理状态", "期限状态"}
)  # fmt: skip


def ledger_workbook(table: LedgerTable, *, title: str = "依申请公开登记台账") -> bytes:
    """``table`` as an .xlsx: a title row, the header (frozen, repeated when printed, with an
    autofilter), date cells formatted ``yyyy-mm-dd``, amounts ``0.00``, the 期限状态 cell of
    overdue, late and due-soon rows coloured, the optional columns no row fills hidden;
    landscape A3, fitted to the page width."""
    openpyxl = openpyxl_module()
    from openpyxl.styles import (  # type: ignore[import-untyped]
        Alignment,
        Border,
        Font,
        PatternFill,
        Side,
    )
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "登记台账"
    width = len(table.columns)
    last = get_column_letter(width)
    ws.append([f"{title}（截至 {table.as_of.isoformat()}）"])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[1].height = 24
    ws.append(list(table.columns))
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for c, w in enumerate(table.widths, start=1):
        head = ws.cell(row=2, column=c)
        head.font = Font(bold=True)
        head.fill = PatternFill("solid", fgColor="D9E2F3")
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        head.border = border
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.row_dimensions[2].height = 30
    state_col = table.columns.index("期限状态") + 1 if "期限状态" in table.columns else None
    for values, state in zip(table.rows, table.states, strict=True):
        ws.append([float(v) if isinstance(v, Decimal) else v for v in values])
        r = ws.max_row
        lines = 1
        for c, (kind, w) in enumerate(zip(table.kinds, table.widths, strict=True), start=1):
            cell = ws.cell(row=r, column=c)
            cell.border = border
            if kind == "date":
                cell.number_format = "yyyy-mm-dd"
                cell.alignment = Alignment(horizontal="center", vertical="top")
            elif kind == "money":
                cell.number_format = "0.00"
                cell.alignment = Alignment(vertical="top")
            else:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                if isinstance(cell.value, str):
                    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in cell.value)
                    lines = max(lines, -(-units // max(int(w * 1.0) - 1, 1)))
        ws.row_dimensions[r].height = 18 * min(lines, 6)
        fill = _FILLS.get(state)
        if fill is not None and state_col is not None:
            ws.cell(row=r, column=state_col).fill = PatternFill("solid", fgColor=fill)
    # Columns no row fills (no fee charged, no consultation) are hidden, not left out: the
    # layout stays the same for every export and reads back the same.
    for c, name in enumerate(table.columns, start=1):
        if name not in _ALWAYS_SHOWN and all(values[c - 1] is None for values in table.rows):
            ws.column_dimensions[get_column_letter(c)].hidden = True
    ws.freeze_panes = "C3"
    ws.print_title_rows = "2:2"
    ws.auto_filter.ref = f"A2:{last}{max(ws.max_row, 2)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ledger_csv(table: LedgerTable) -> bytes:
    """``table`` as CSV in UTF-8 with a byte-order mark (so Excel and WPS read the Chinese),
    dates as ``2026-01-05``, the header first."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(table.columns)
    for values in table.rows:
        writer.writerow(
            [
                v.isoformat()
                if isinstance(v, date)
                else f"{v:.2f}"
                if isinstance(v, Decimal)
                else ""
                if v is None
                else v
                for v in values
            ]
        )
    return text.getvalue().encode("utf-8-sig")
