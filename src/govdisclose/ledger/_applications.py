"""The 依申请公开登记台账 read into applications: one row, one `Application` with its events.

A row's cells become events in date order: 收到申请 (`Received`), 补正 (`CorrectionRequested`
and `CorrectionReceived`), 征求意见 (`ThirdPartyConsulted` / `ThirdPartyReplied`), 延期
(`Extended`), 收费 (`FeeNotified` / `FeePaid`), and the close: 答复 (`Replied` with its table 三
outcome), 申请人撤回 (`Withdrawn`), or 视为放弃 (`DeemedWithdrawn`, when the 答复结果 is 逾期不补正
or 逾期未缴费). The history must pass `govdisclose.lifecycle`; a row whose history does not
(答复 while awaiting the corrected application) is a problem named at the cell of the event
refused.

A yes (是否补正 是) needs its date: in the date column, or in the cell itself (``是（2026.1.8）``,
or the date alone). What the ledger does not record and the model needs is filled in and said
so: an extension of the regime's maximum (`extension_days` at the receipt date, 条例 2019
第三十三条第二款) by an approver “台账未载明”; reasons of a reply other than 予以公开 taken from
its outcome label (条例 第三十六条 requires them; a ledger records only the category); a 补正
notice's items as “台账未载明补正事项”. The report counts each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from datetime import date
from typing import Any, ClassVar

import attrs
from attrs import frozen

from govdisclose.calendar import WorkCalendar
from govdisclose.errors import InvalidTransition, NotFound, ValidationError
from govdisclose.ledger._cells import (
    CellError,
    CellProblem,
    LedgerImportError,
    read_date,
)
from govdisclose.ledger._export import ledger_table, ledger_workbook
from govdisclose.ledger._headers import HeaderMatcher, fold
from govdisclose.ledger._reading import (
    SheetReport,
    agency_code,
    agency_names,
    finish_report,
    require_columns,
    unused_columns_note,
)
from govdisclose.ledger._rows import SheetRow as _Row, cell_text as _text
from govdisclose.ledger._sheet import Source, load_grid, locate_header
from govdisclose.lifecycle import apply_all
from govdisclose.model import (
    Agency,
    Applicant,
    Application,
    CorrectionReceived,
    CorrectionRequested,
    DeemedWithdrawn,
    Event,
    Extended,
    FeeNotified,
    FeePaid,
    Received,
    Replied,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    Withdrawn,
)
from govdisclose.params import ParameterSet
from govdisclose.vocab import ApplicantType, Channel, FeeMethod, Outcome, WithdrawalCause

__all__ = [
    "COMPUTED_COLUMNS",
    "LEDGER_SYNONYMS",
    "NOT_RECORDED",
    "LedgerImport",
    "LedgerReport",
    "import_ledger",
    "ledger_matcher",
    "read_ledger",
]

#: The header texts read as each column of the ledger (after `fold`); a header containing one
#: of them (two characters or more) or one character off one of three or more also matches.
LEDGER_SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "number": ("序号", "序", "no", "排序", "顺序号"),
    "id": (
        "受理编号",
        "申请编号",
        "登记编号",
        "登记号",
        "编号",
        "流水号",
        "受理号",
        "案件编号",
        "办件编号",
        "办件号",
        "申请号",
    ),
    "agency": ("受理机关", "受理单位", "承办机关", "受理部门", "机关名称"),
    "received_on": (
        "申请日期",
        "收到日期",
        "收到申请日期",
        "受理日期",
        "登记日期",
        "收件日期",
        "申请时间",
        "收到时间",
        "接收日期",
        "收文日期",
        "来件日期",
        "申请收到日期",
        "申请日",
        "收到日",
    ),
    "confirmed_on": ("确认日期", "确认收到日期", "双方确认日期", "确认时间"),
    "applicant": (
        "申请人",
        "申请人姓名",
        "申请人名称",
        "申请人姓名或名称",
        "姓名或名称",
        "姓名名称",
        "姓名",
        "名称",
        "申请单位",
    ),
    "applicant_type": (
        "申请人类型",
        "申请人情况",
        "申请人身份",
        "申请主体类型",
        "申请人类别",
        "主体类型",
        "申请人性质",
    ),
    "channel": (
        "申请方式",
        "申请渠道",
        "提交方式",
        "申请途径",
        "收件方式",
        "受理方式",
        "来件方式",
        "申请形式",
        "渠道",
    ),
    "request": (
        "申请内容",
        "申请公开内容",
        "申请公开的信息",
        "申请公开的政府信息",
        "所需信息",
        "所需政府信息",
        "申请事项",
        "内容描述",
        "所需信息内容描述",
        "所需政府信息内容描述",
        "申请公开事项",
        "申请信息",
        "政府信息名称",
        "所需信息名称",
    ),
    "id_number": ("证件号码", "身份证号", "身份证号码", "证件号"),
    "organisation_code": ("统一社会信用代码", "组织机构代码", "信用代码"),
    "phone": ("联系电话", "电话", "手机", "手机号码", "联系方式"),
    "email": ("电子邮箱", "邮箱", "email", "电子邮件地址"),
    "address": ("通信地址", "通讯地址", "联系地址", "地址"),
    "correction": ("是否补正", "补正", "需要补正", "补正情况", "是否需要补正"),
    "correction_on": ("补正告知日期", "补正日期", "告知补正日期", "补正通知日期", "发出补正日期"),
    "correction_items": ("补正事项", "补正内容", "补正要求"),
    "corrected_on": (
        "收到补正日期",
        "补正收到日期",
        "补正后收到日期",
        "收到补正材料日期",
        "补正完成日期",
    ),
    "consulted": ("征求意见对象", "第三方", "征求意见单位", "第三方名称", "被征求意见方"),
    "consulted_kind": ("征求意见对象类型", "意见对象类型"),
    "consulted_on": ("征求意见日期", "征求第三方意见日期", "征求意见时间"),
    "consult_replied_on": ("收到意见日期", "第三方答复日期", "意见反馈日期", "反馈日期"),
    "extension": ("是否延期", "延期", "延期答复", "是否延期答复", "是否延长答复期限"),
    "extended_on": ("延期日期", "延期告知日期", "延期答复日期", "延期时间", "延期答复告知日期"),
    "extension_days": ("延期天数", "延长天数", "延期工作日", "延长工作日"),
    "extension_reason": ("延期理由", "延期原因"),
    "extension_approved_by": ("延期批准人", "批准人", "延期审批人"),
    "fee": ("是否收费", "收费", "收费情况", "是否收取信息处理费", "信息处理费"),
    "fee_amount": ("收费金额", "金额", "信息处理费金额", "收费数额"),
    "fee_method": ("计费方式", "收费方式", "计收方式"),
    "fee_quantity": ("计费数量", "计费件数"),
    "fee_on": ("收费通知日期", "缴费通知日期", "收费告知日期"),
    "fee_paid_on": ("缴费日期", "缴费时间", "缴纳日期", "缴费完成日期"),
    "replied_on": (
        "答复日期",
        "办结日期",
        "答复时间",
        "告知日期",
        "答复告知日期",
        "办理完成日期",
        "回复日期",
        "出具答复日期",
        "答复送达日期",
    ),
    "outcome": ("答复结果", "处理结果", "办理结果", "答复类型", "答复情况", "结果", "答复意见"),
    "reasons": ("答复理由", "理由", "不予公开理由", "说明理由", "答复说明"),
    "legal_basis": ("法律依据", "依据", "答复依据"),
    "note": ("备注", "说明"),
    "actor": ("经办人", "承办人", "登记人", "办理人"),
    # computed by the export; recognised so that they are not read as something else
    "due": ("答复期限", "答复期限届满日", "法定答复期限", "到期日", "期限"),
    "status": ("办理状态", "状态"),
    "clock": ("期限状态",),
    "days_left": ("剩余工作日",),
    "days_late": ("逾期工作日",),
}

#: The columns the export computes (答复期限, 办理状态, 期限状态, 剩余/逾期工作日): not read back.
COMPUTED_COLUMNS = frozenset({"due", "status", "clock", "days_left", "days_late"})

#: What an imported application gets where the ledger does not record what the model needs.
NOT_RECORDED = "台账未载明"

_LABELS = {key: syns[0] for key, syns in LEDGER_SYNONYMS.items()}
_REQUIRED = ("received_on", "applicant", "applicant_type", "channel", "request")
_ANCHORS = frozenset({"received_on", "request", "applicant"})
_WITHDRAWN = frozenset(
    fold(t) for t in ("撤回", "申请人撤回", "主动撤回", "撤回申请", "申请人撤回申请", "已撤回")
)
_AGENCY_WORDS = ("其他机关", "机关", "共同制作机关", "行政机关", "other_agency", "agency")
#: Lifecycle order of the events of one day.
_ORDER: tuple[type[Event], ...] = (
    Received,
    CorrectionRequested,
    CorrectionReceived,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    Extended,
    FeeNotified,
    FeePaid,
    Replied,
    Withdrawn,
    DeemedWithdrawn,
)


def ledger_matcher() -> HeaderMatcher:
    """The `HeaderMatcher` of `LEDGER_SYNONYMS`."""
    return _MATCHER


_MATCHER = HeaderMatcher(LEDGER_SYNONYMS)


@frozen
class LedgerReport(SheetReport):
    """What reading a ledger found.

    :param applications: the applications read (all of them, or in lenient mode those of the
        rows without a problem), in row order; ``rows`` the row of each.
    :param columns: ``(column key, header as written, column letter, how matched)``.
    :param problems: every cell that could not be read, in row order.
    :param skipped: the rows left out because of a problem (lenient mode).
    :param notes: what the reader assumed or left out (computed columns, filled-in values,
        unknown headers, a header taken for a typo).
    """

    sheet: str
    header_rows: tuple[int, ...]
    columns: tuple[tuple[str, str, str, str], ...]
    applications: tuple[Application, ...]
    rows: tuple[int, ...] = ()
    problems: tuple[CellProblem, ...] = ()
    skipped: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()

    items_named: ClassVar[tuple[str, str]] = ("申请", "applications")
    items_field: ClassVar[str] = "applications"


def _row_events(row: _Row, app_id: str, receipt: date, params: ParameterSet) -> dict[str, int]:
    """Add the row's events after the receipt to ``row.events``; returns what was filled in."""
    filled = {"extension_days": 0, "approver": 0, "reasons": 0, "items": 0}
    # 补正 (条例 2019 第三十条)
    corrected, asked_on, flag_days = row.flagged_date("correction", "correction_on")
    got_on = row.day("corrected_on")
    if got_on is None and len(flag_days) > 1:
        got_on = flag_days[1]
    if got_on is not None and asked_on is None:
        row.problem(
            "correction_on",
            "有收到补正日期，但没有补正告知日期",
            "a corrected application received, but no correction notice date",
        )
    elif corrected and asked_on is None:
        row.problem(
            "correction_on",
            "是否补正为“是”，但没有补正告知日期",
            "a correction is marked, but the notice date is missing",
        )
    if asked_on is not None:
        items = row.text("correction_items")
        if not items:
            items = f"{NOT_RECORDED}补正事项"
            filled["items"] += 1
        row.events.append((CorrectionRequested(on=asked_on, items=items), "correction_on"))
    if asked_on is not None and got_on is not None:
        row.events.append((CorrectionReceived(on=got_on), "corrected_on"))
    # 征求意见 (第三十二条、第三十四条)
    party = row.text("consulted")
    consulted_on = row.day("consulted_on")
    answered_on = row.day("consult_replied_on")
    if (consulted_on or answered_on) and not party:
        row.problem(
            "consulted",
            "有征求意见日期，但没有征求意见对象",
            "a consultation date, but no party consulted",
        )
    elif party and consulted_on is None:
        row.problem(
            "consulted_on",
            f"征求了“{party}”的意见，但没有日期",
            f"{party!r} was consulted, but the date is missing",
        )
    elif party and consulted_on is not None:
        kind = fold(row.text("consulted_kind"))
        is_agency = any(kind == fold(w) for w in _AGENCY_WORDS)
        row.events.append(
            (ThirdPartyConsulted(on=consulted_on, party=party, is_agency=is_agency), "consulted_on")
        )
        if answered_on is not None:
            row.events.append(
                (ThirdPartyReplied(on=answered_on, party=party), "consult_replied_on")
            )
    # 延期 (第三十三条第二款)
    extended, extended_on, _ = row.flagged_date("extension", "extended_on")
    if extended and extended_on is None:
        row.problem(
            "extended_on",
            "是否延期为“是”，但没有延期日期",
            "an extension is marked, but its date is missing",
        )
    if extended_on is not None:
        days = row.whole("extension_days")
        if days is None:
            days = params.at(receipt).working_days("extension_days")
            filled["extension_days"] += 1
        approver = row.text("extension_approved_by")
        if not approver:
            approver = NOT_RECORDED
            filled["approver"] += 1
        try:
            event: Event = Extended(
                on=extended_on,
                days=days,
                reason=row.text("extension_reason") or f"{NOT_RECORDED}延期理由",
                approved_by=approver,
            )
        except ValidationError as err:
            row.problem("extension_days", err.message_zh, err.message_en)
        else:
            row.events.append((event, "extended_on"))
    # 信息处理费 (国办函〔2020〕109号)
    charged, fee_on, _ = row.flagged_date("fee", "fee_on")
    paid_on = row.day("fee_paid_on")
    amount = row.amount("fee_amount")
    if charged and fee_on is None:
        row.problem(
            "fee_on",
            "是否收费为“是”，但没有收费通知日期",
            "a fee is marked, but the fee notice date is missing",
        )
    if fee_on is not None:
        if amount is None:
            row.problem("fee_amount", "收费须填写金额", "a fee needs its amount")
        else:
            method = row.label("fee_method", FeeMethod) or FeeMethod.PER_APPLICATION
            quantity = row.whole("fee_quantity") or 1
            try:
                row.events.append(
                    (
                        FeeNotified(on=fee_on, amount=amount, method=method, quantity=quantity),
                        "fee_on",
                    )
                )
                if paid_on is not None:
                    row.events.append((FeePaid(on=paid_on, amount=amount), "fee_paid_on"))
            except ValidationError as err:
                row.problem("fee_amount", err.message_zh, err.message_en)
    elif paid_on is not None:
        row.problem(
            "fee_on", "有缴费日期，但没有收费通知日期", "a payment date, but no fee notice date"
        )
    # 答复 / 撤回 / 视为放弃
    replied_on = row.day("replied_on")
    outcome_text = row.text("outcome")
    if replied_on is not None and not outcome_text:
        row.need("outcome", None)
    elif outcome_text and replied_on is None and row.raw("replied_on") is None:
        row.problem(
            "replied_on",
            f"答复结果为“{outcome_text}”，但没有答复日期",
            f"the outcome is {outcome_text!r}, but the reply date is missing",
        )
    elif outcome_text and replied_on is not None:
        if fold(outcome_text) in _WITHDRAWN:
            row.events.append((Withdrawn(on=replied_on), "replied_on"))
        else:
            outcome = row.label("outcome", Outcome)
            if outcome is Outcome.NO_CORRECTION or outcome is Outcome.FEE_NOT_PAID:
                cause = (
                    WithdrawalCause.NO_CORRECTION
                    if outcome is Outcome.NO_CORRECTION
                    else WithdrawalCause.FEE_NOT_PAID
                )
                row.events.append((DeemedWithdrawn(on=replied_on, cause=cause), "replied_on"))
            elif outcome is not None:
                reasons = row.text("reasons") or None
                if reasons is None and outcome is not Outcome.DISCLOSED:
                    reasons = outcome.label
                    filled["reasons"] += 1
                row.events.append(
                    (
                        Replied(
                            on=replied_on,
                            outcome=outcome,
                            reasons=reasons,
                            legal_basis=row.text("legal_basis") or None,
                        ),
                        "replied_on",
                    )
                )
    return filled


def _read_row(
    row: _Row,
    *,
    app_id: str | None,
    agency: str,
    params: ParameterSet,
) -> tuple[Application | None, dict[str, int]]:
    received_on = row.day("received_on")
    name = row.text("applicant")
    request = row.text("request")
    kind = row.label("applicant_type", ApplicantType)
    channel = row.label("channel", Channel)
    for key in _REQUIRED:
        if row.raw(key) is None:
            row.need(key, None)
    confirmed_on = row.day("confirmed_on")
    if received_on is None or kind is None or channel is None or app_id is None:
        return None, {}
    try:
        applicant = Applicant(
            type=kind,
            name=name,
            id_number=row.text("id_number") or None,
            organisation_code=row.text("organisation_code") or None,
            phone=row.text("phone") or None,
            email=row.text("email") or None,
            address=row.text("address") or None,
        )
        received = Received(
            on=received_on,
            confirmed_on=confirmed_on,
            note=row.text("note") or None,
            actor=row.text("actor") or None,
        )
    except ValidationError as err:
        where = {"confirmed_on": "confirmed_on", "name": "applicant"}.get(err.field or "")
        row.problem(where, err.message_zh, err.message_en)
        return None, {}
    receipt = confirmed_on if channel.receipt_needs_confirmation and confirmed_on else received_on
    filled = _row_events(row, app_id, receipt, params)
    if row.problems:
        return None, filled
    try:
        base = Application(
            id=app_id, agency=agency, applicant=applicant, channel=channel, request=request
        )
    except ValidationError as err:
        row.problem("request", err.message_zh, err.message_en)
        return None, filled
    ordered = sorted(row.events, key=lambda pair: (pair[0].on, _ORDER.index(type(pair[0]))))
    events = [(received, "received_on"), *ordered]
    try:
        return apply_all(base, [ev for ev, _ in events]), filled
    except InvalidTransition as err:
        index = 0
        if err.field and err.field.startswith("events["):
            index = int(err.field[7:].split("]")[0])
        row.problem(events[min(index, len(events) - 1)][1], err.message_zh, err.message_en)
        return None, filled


def read_ledger(
    source: Source,
    *,
    agency: str | None = None,
    agencies: Mapping[str, str] | Iterable[Agency] = (),
    sheet: str | None = None,
    lenient: bool = False,
    params: ParameterSet | None = None,
    progress: Callable[[Iterable[int]], Iterable[int]] | None = None,
) -> LedgerReport:
    """Read the 依申请公开登记台账 from an .xlsx (or .csv) into applications.

    :param agency: the code of the agency all rows belong to; without it each row's
        受理机关 cell is looked up in ``agencies`` (by code or name).
    :param agencies: the agencies a 受理机关 cell may name (`Agency` values, or code -> name).
    :param sheet: the worksheet (default: the active one).
    :param lenient: skip the rows with a problem (listed in the report) instead of refusing.
    :param params: the legal parameters (default `ParameterSet.default`), for the length of an
        extension the ledger does not record.
    :param progress: wraps the rows read (a progress bar, `govdisclose.progress`).
    :raises LedgerImportError: a cell could not be read (strict mode), naming every one by
        sheet, row and column; the file is no spreadsheet; no header; a required column is
        missing.

    Each application's id is its 受理编号 cell, else ``<agency>-<year of receipt>-<序号>``
    (序号 padded to three digits), else the row's ordinal among the data rows for 序号.
    """
    params = ParameterSet.default() if params is None else params
    names = agency_names(agencies)
    grid = load_grid(source, sheet=sheet)
    header = locate_header(
        grid,
        _MATCHER,
        anchors=_ANCHORS,
        what_zh="登记台账",
        what_en="ledger",
        needs_zh="需有“申请日期”“申请人”“申请内容”等列",
    )
    notes: list[str] = []
    require_columns(grid, header, _REQUIRED, _LABELS, agency_given=agency is not None)
    computed = [c.header for c in header.columns if c.key in COMPUTED_COLUMNS]
    if computed:
        notes.append(
            f"计算列不读入（导出时按日期重新计算）：{'、'.join(computed)} / computed columns not "
            "read (the export computes them)"
        )
    for c in header.columns:
        if c.how == "typo":
            notes.append(
                f"列 {c.letter}“{c.header}”按“{_LABELS[c.key]}”读入（疑为笔误）/ column "
                f"{c.letter} {c.header!r} read as {_LABELS[c.key]} (a typo?)"
            )
    notes += unused_columns_note(header)

    apps: list[Application] = []
    rows: list[int] = []
    problems: list[CellProblem] = []
    skipped: list[int] = []
    seen: dict[str, int] = {}
    totals = {"extension_days": 0, "approver": 0, "reasons": 0, "items": 0}
    ordinal = 0
    data_rows: Iterable[int] = range(header.first_data_row, grid.height + 1)
    if progress is not None:
        data_rows = progress(data_rows)
    number_col, id_col = header.column("number"), header.column("id")
    for r in data_rows:
        own = [
            c.index
            for c in header.columns
            if c.key not in COMPUTED_COLUMNS
            and grid.value(r, c.index) is not None
            and not grid.is_continuation(r, c.index)
        ]
        if not own:
            continue  # a blank row
        if sum(1 for i in own if _MATCHER.exact(_text(grid.value(r, i))) is not None) >= 3:
            notes.append(f"第 {r} 行是重复的表头，已跳过 / row {r} repeats the header: skipped")
            continue
        ordinal += 1
        row = _Row(grid, header, r, _LABELS)
        code = agency_code(row.text("agency"), agency, names)
        if code is None:
            row.problem(
                "agency",
                f"受理机关“{row.text('agency')}”不在已知机关中",
                f"the agency {row.text('agency')!r} is not a known agency",
            )
        app_id: str | None = row.text("id") if id_col is not None else ""
        if not app_id:
            number = row.text("number") if number_col is not None else str(ordinal)
            number = number.rstrip(".、．") or str(ordinal)
            number = number.zfill(3) if number.isdigit() else number
            received = None
            with suppress(CellError):  # reported by the row itself
                received = read_date(row.raw("received_on"), epoch_1904=grid.epoch_1904)
            app_id = f"{code}-{received.year}-{number}" if received and code else None
        if app_id is not None and app_id in seen:
            key = "id" if id_col is not None and row.text("id") else "number"
            row.problem(
                key,
                f"编号与第 {seen[app_id]} 行重复（{app_id}）",
                f"the same application id as row {seen[app_id]} ({app_id})",
            )
        app, filled = _read_row(row, app_id=app_id, agency=code or "", params=params)
        for k, v in filled.items():
            totals[k] += v
        if app_id is not None:
            seen.setdefault(app_id, r)
        if row.problems or app is None:
            if not row.problems:  # pragma: no cover - every refusal names its cell
                row.problem(None, "无法读取", "unreadable")
            problems.extend(row.problems)
            skipped.append(r)
            continue
        apps.append(app)
        rows.append(r)
    if totals["extension_days"]:
        notes.append(
            f"{totals['extension_days']} 件延期未载明天数，按法定最长延期计 / "
            f"{totals['extension_days']} extensions without their length: the statutory "
            "maximum (条例第三十三条第二款)"
        )
    if totals["approver"]:
        notes.append(
            f"{totals['approver']} 件延期未载明批准人，记为“{NOT_RECORDED}” / "
            f"{totals['approver']} extensions without their approver"
        )
    if totals["reasons"]:
        notes.append(
            f"{totals['reasons']} 件答复未载明理由，以答复结果作为理由 / {totals['reasons']} "
            "replies without reasons: the outcome's label is taken as the reason"
        )
    if totals["items"]:
        notes.append(
            f"{totals['items']} 件补正未载明补正事项 / {totals['items']} corrections "
            "without their items"
        )
    if not apps and not problems:
        problems.append(
            CellProblem(grid.sheet, None, None, None, "", "表中没有申请", "the sheet has no rows")
        )
    return finish_report(
        LedgerReport,
        grid,
        header,
        apps,
        rows,
        problems,
        skipped,
        notes,
        lenient=lenient,
        what_zh="登记台账",
        what_en="ledger",
    )


@frozen
class LedgerImport:
    """What `import_ledger` stored: the ``report`` read, and the ids of the applications
    ``created``, those ``extended`` with new events, and those ``unchanged``."""

    report: LedgerReport
    created: tuple[str, ...] = ()
    extended: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line: how many of each."""
        return (
            f"新增 {len(self.created)} 件，追加办理记录 {len(self.extended)} 件，未变 "
            f"{len(self.unchanged)} 件 / {len(self.created)} created, {len(self.extended)} "
            f"with new events, {len(self.unchanged)} unchanged"
        )


def import_ledger(
    store: Any,
    source: Source,
    *,
    agency: str | None = None,
    sheet: str | None = None,
    lenient: bool = False,
    params: ParameterSet | None = None,
    progress: Callable[[Iterable[int]], Iterable[int]] | None = None,
) -> LedgerImport:
    """`read_ledger`, then store the applications in one transaction: a new id is created, a
    stored one whose events the row continues gets the new ones, one the row agrees with is
    left alone (importing the same ledger twice changes nothing). A row that contradicts the
    stored history refuses the whole import (`LedgerImportError` naming the row and the first
    differing event); so does an agency the store does not know (`NotFound`)."""
    known_agencies = tuple(store.agencies())
    report = read_ledger(
        source,
        agency=agency,
        agencies=known_agencies,
        sheet=sheet,
        lenient=lenient,
        params=params,
        progress=progress,
    )
    for code in sorted({a.agency for a in report.applications}):
        store.get_agency(code)
    created: list[str] = []
    extended: list[str] = []
    unchanged: list[str] = []
    with store.transaction():
        for app, r in zip(report.applications, report.rows, strict=True):
            try:
                stored = store.get_application(app.id)
            except NotFound:
                store.create_application(app)
                created.append(app.id)
                continue
            n = len(stored.events)
            # What the row is compared with: the stored history itself, or where one row
            # cannot hold it (a second consultation, a payment, a consent), the row the store's
            # own export writes for it: an exported ledger imports back as unchanged.
            known = stored
            if not (stored.events == app.events[:n] and _agrees(stored, app)):
                known = _as_one_row(stored, agencies=known_agencies, params=params)
            m = len(known.events)
            if not (known.events == app.events[:m] and _agrees(known, app)):
                _refuse_changed(report, known, app, r)
            if len(app.events) == m:
                unchanged.append(app.id)
            else:
                store.append_events(app.id, app.events[m:], expected_version=n)
                extended.append(app.id)
    return LedgerImport(report, tuple(created), tuple(extended), tuple(unchanged))


def _as_one_row(
    stored: Application, *, agencies: Iterable[Agency], params: ParameterSet | None
) -> Application:
    """``stored`` as a ledger row states it: written by `ledger_table` (personal data
    included) and read back. One row per application holds one consultation, one extension,
    one fee; the rest of a longer history is not in the ledger, so it cannot contradict it."""
    last = stored.events[-1].on if stored.events else (stored.receipt_date or date.today())
    table = ledger_table(
        [stored],
        as_of=last,
        params=params or ParameterSet.default(),
        calendar=WorkCalendar.default(),
        agencies=agencies,
        personal_data=True,
    )
    read = read_ledger(ledger_workbook(table), agency=stored.agency, params=params)
    return read.applications[0]


def _agrees(stored: Application, read: Application) -> bool:
    """Whether the row states the stored applicant and channel. A personal-data cell the row
    leaves blank is not a contradiction: `ledger_workbook` leaves 证件号码, 联系电话, 通信地址
    and 电子邮箱 out unless asked, and that export must import back into the store it came from
    as unchanged. A cell that states something else is a contradiction."""
    if read.channel is not stored.channel:
        return False
    mine, theirs = stored.applicant, read.applicant
    return all(
        getattr(theirs, a.name) is None or getattr(theirs, a.name) == getattr(mine, a.name)
        for a in attrs.fields(Applicant)
    )


def _refuse_changed(report: LedgerReport, stored: Application, app: Application, r: int) -> None:
    from govdisclose.lifecycle import event_label

    differs = next(
        (i for i, (a, b) in enumerate(zip(stored.events, app.events, strict=False)) if a != b),
        min(len(stored.events), len(app.events)),
    )
    if not _agrees(stored, app):
        what_zh, what_en = "申请人或申请方式与已存的不同", "the applicant or channel differs"
    elif differs < len(stored.events):
        ev = stored.events[differs]
        what_zh = f"第 {differs + 1} 个事件（{event_label(ev)} {ev.on}）与已存的不同"
        what_en = f"event {differs} ({ev.kind} on {ev.on}) differs from the stored one"
    else:
        what_zh, what_en = "台账少了已存的办理记录", "the row lacks events already stored"
    problem = CellProblem(report.sheet, r, None, None, app.id, what_zh, what_en)
    raise LedgerImportError(
        f"申请 {app.id}（第 {r} 行）与已存的办理记录不一致，未导入：{what_zh}",
        f"application {app.id} (row {r}) contradicts the stored history; nothing imported: "
        f"{what_en}",
        problems=(problem,),
        report=report,
        field=problem.cell,
        code="ledger.changed_history",
    )
