"""Sync from an OA export: the office system's applications (and 公文) into the store, every day.

An OA system that keeps its own database exports what it holds, each day, whole or in part;
`sync_file` reads the export and brings the store up to date, keyed by application id:

* an application the store does not hold is created with its events;
* one it holds gets the export's events that come after the stored ones, appended with the
  stored version as expected version (`govdisclose.store.Store.append_events`), so each event
  passes `govdisclose.lifecycle` once and a concurrent writer is noticed;
* a history the export *changed* (a stored event altered, dropped or reordered; the applicant,
  channel, request or agency of a stored application altered) is refused, naming the first
  differing event: its index, its kind, the stored and the incoming version
  (``sync.changed_history``, ``sync.changed_application``). Events are facts already acted on;
  the store never rewrites them;
* running the same export again changes nothing and reports 0 appended: sync is idempotent.

Records (公文, a line ``{"type": "record", ...}`` of a JSON-lines export) sync the same way: a
new record is created, a changed one written as a new version, but its decisions, reviews and
publications only grow (a publication may gain its withdrawal). Agencies (``"type": "agency"``)
are created or replaced, and before anything else in the file: every store refuses an
application or a record of an agency it does not know (``store.unknown_agency``).

All or nothing: by default one bad row refuses the whole batch (`govdisclose.errors.ValidationError`
``sync.rejected``, listing every bad row, the store unchanged). With ``reject=True`` the good
rows are stored and each bad row comes back in `SyncReport.rejected` with its reason; an
application with a bad row is left entirely as it was (none of its rows is stored). The
rejected rows, written out by `rejected_bytes` in the export's own format with the reason in
extra columns (``_rejected`` in JSON lines), are a file the OA can fix and sync again: the
reader skips those columns.

Formats (`SYNC_FORMATS`):

* ``jsonl``: one JSON object per line, the shape `govdisclose.serde` writes (an
  `govdisclose.model.Application` by default; ``"type": "record"`` or ``"agency"`` for the
  others); enum values by code or by the labels offices write (当面, 网上, 个人, 同意公开:
  `govdisclose.vocab.LabelAliases`);
* ``csv`` (UTF-8, with or without a BOM) and ``xlsx`` (the first sheet, via openpyxl, the extra
  ``excel``): one row per event, the application's columns (``id``, ``agency``,
  ``applicant_type``, ``applicant_name``, ``channel``, ``request``) repeated or left blank after
  the first row of an application, then ``kind`` (the event's code or Chinese name, 答复, 延期答复
  …), ``on`` and the event's own fields by name (``outcome``, ``days``, ``reason`` …; `COLUMNS`
  lists them with the Chinese headers also accepted). Dates as ``2026-01-05``, ``2026/1/5``,
  ``2026.1.5``, ``2026年1月5日`` or date cells.

A progress bar is drawn by the ``progress`` argument (`govdisclose.progress`); see
docs/integrators/sync.md.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, get_args, get_type_hints

import attrs
from attrs import field, frozen

from govdisclose import serde
from govdisclose.errors import GovDiscloseError, NotFound, StoreIntegrityError, ValidationError
from govdisclose.lifecycle import event_label
from govdisclose.model import EVENT_TYPES, Agency, Application, Event, Record
from govdisclose.progress import no_progress
from govdisclose.store import Store
from govdisclose.vocab import ApplicantType, Channel, CodedEnum, LabelAliases, Outcome

__all__ = [
    "APPLICATION_COLUMNS",
    "COLUMNS",
    "SYNC_FORMATS",
    "ExportItem",
    "RejectedRow",
    "SyncFormat",
    "SyncReport",
    "read_export",
    "rejected_bytes",
    "sync",
    "sync_file",
]

#: The export formats `sync_file` reads.
SyncFormat = Literal["jsonl", "csv", "xlsx"]
SYNC_FORMATS: tuple[SyncFormat, ...] = ("jsonl", "csv", "xlsx")

_SUFFIXES: dict[str, SyncFormat] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}

#: The application columns of a CSV or Excel export, with the Chinese headers also accepted.
APPLICATION_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("申请编号", "编号", "受理编号", "application_id"),
    "agency": ("机关", "机关代码", "受理机关"),
    "applicant_type": ("申请人类型",),
    "applicant_name": ("申请人", "申请人姓名", "申请人名称", "申请人姓名或名称"),
    "applicant_id_number": ("证件号码",),
    "applicant_organisation_code": ("统一社会信用代码", "组织机构代码"),
    "applicant_phone": ("联系电话",),
    "applicant_email": ("电子邮箱",),
    "applicant_address": ("通信地址", "联系地址"),
    "channel": ("申请方式",),
    "request": ("申请内容", "所需信息"),
}

#: Every column of a CSV or Excel export: the application's (`APPLICATION_COLUMNS`), the
#: event's kind and day, and each event field by its attribute name, with Chinese headers.
COLUMNS: dict[str, tuple[str, ...]] = {
    **APPLICATION_COLUMNS,
    "kind": ("事件", "办理环节", "环节", "event"),
    "on": ("日期", "事件日期", "办理日期"),
    "confirmed_on": ("确认日期",),
    "items": ("补正事项",),
    "correct_by": ("补正期限",),
    "cause": ("视为放弃原因",),
    "party": ("第三方",),
    "is_agency": ("是否机关",),
    "consents": ("是否同意",),
    "days": ("延长天数", "延期天数"),
    "reason": ("延期理由", "理由"),
    "approved_by": ("批准人",),
    "amount": ("金额", "收费金额"),
    "method": ("计收方式",),
    "quantity": ("数量",),
    "basis": ("计费依据",),
    "outcome": ("答复结果", "办理结果"),
    "reasons": ("答复理由", "不予公开理由"),
    "legal_basis": ("法律依据",),
    "to": ("转至",),
    "case_id": ("案件编号",),
    "case_kind": ("案件类型",),
    "office": ("内部机构",),
    "subject": ("会商事项",),
    "opinion": ("会商意见",),
    "steps": ("审批环节",),
    "step": ("审批步骤",),
    "approved": ("是否批准",),
    "notice": ("文书",),
    "number": ("文号",),
    "archive_number": ("档案号",),
    "note": ("备注",),
    "actor": ("经办人",),
}

#: The columns a reject file adds to each row (skipped when the file is read again).
_REJECT_COLUMNS = ("_line", "_code", "_field", "_reason")
_REJECT_KEY = "_rejected"
_APPLICANT_FIELDS = ("id_number", "organisation_code", "phone", "email", "address")


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s_\-（）()：:]+", "", folded)


_HEADERS: dict[str, str] = {
    _fold(form): name for name, forms in COLUMNS.items() for form in (name, *forms)
}


# -- what was read ------------------------------------------------------------------------------


@frozen
class RejectedRow:
    """One row of the export that was not stored, and why.

    ``line`` is the line of a JSON-lines or CSV file, the row of the sheet (the header being
    row 1); ``key`` the application or record id when it could be read; ``values`` the row as
    read (the JSON object, or column -> cell text), for `rejected_bytes`.
    """

    line: int
    key: str | None
    code: str
    field: str | None
    message_zh: str
    message_en: str
    values: Mapping[str, Any] = attrs.field(factory=dict)

    @property
    def reason(self) -> str:
        """Both languages on one line: ``中文 / English``."""
        return f"{self.message_zh} / {self.message_en}"


@frozen
class ExportItem:
    """One unit of an export: an agency, a record or an application with the rows it came from.

    ``value`` is `None` when the rows could not be read; ``error`` then says why.
    """

    kind: Literal["agency", "record", "application"]
    key: str | None
    lines: tuple[int, ...]
    rows: tuple[Mapping[str, Any], ...]
    value: Agency | Record | Application | None = None
    error: GovDiscloseError | None = None


@frozen
class SyncReport:
    """What a sync stored, left alone and rejected.

    ``appended`` maps each application that got new events to their number; ``unchanged``
    counts the applications (records, agencies) the export held exactly as stored.
    """

    format: SyncFormat | None = None
    columns: tuple[str, ...] = ()
    created: tuple[str, ...] = ()
    appended: Mapping[str, int] = field(factory=dict)
    unchanged: int = 0
    records_created: tuple[str, ...] = ()
    records_updated: tuple[str, ...] = ()
    records_unchanged: int = 0
    agencies_written: tuple[str, ...] = ()
    rejected: tuple[RejectedRow, ...] = ()

    @property
    def events_appended(self) -> int:
        """Events added to applications already stored (not counting created ones)."""
        return sum(self.appended.values())

    @property
    def changed(self) -> bool:
        """Whether the sync wrote anything."""
        return bool(
            self.created
            or self.appended
            or self.records_created
            or self.records_updated
            or self.agencies_written
        )

    def summary(self) -> str:
        """One line in both languages: created, appended, unchanged, rejected."""
        zh = (
            f"新建申请 {len(self.created)} 件，追加事件 {self.events_appended} 个"
            f"（{len(self.appended)} 件申请），未变 {self.unchanged} 件"
        )
        en = (
            f"{len(self.created)} applications created, {self.events_appended} events appended "
            f"to {len(self.appended)}, {self.unchanged} unchanged"
        )
        if self.records_created or self.records_updated or self.records_unchanged:
            zh += (
                f"；公文新建 {len(self.records_created)} 件、更新 {len(self.records_updated)} 件、"
                f"未变 {self.records_unchanged} 件"
            )
            en += (
                f"; records: {len(self.records_created)} created, "
                f"{len(self.records_updated)} updated, {self.records_unchanged} unchanged"
            )
        if self.agencies_written:
            zh += f"；机关写入 {len(self.agencies_written)} 个"
            en += f"; {len(self.agencies_written)} agencies written"
        zh += f"；拒收 {len(self.rejected)} 行"
        en += f"; {len(self.rejected)} rows rejected"
        return f"{zh} / {en}"


# -- reading ------------------------------------------------------------------------------------


def _format_of(path: Path, fmt: str | None) -> SyncFormat:
    if fmt is not None:
        if fmt not in SYNC_FORMATS:
            raise ValidationError(
                f"导出格式应为 jsonl、csv 或 xlsx，实为 {fmt!r}",
                f"the export format must be jsonl, csv or xlsx, got {fmt!r}",
                field="format",
                code="sync.unknown_format",
            )
        return fmt
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise ValidationError(
            f"无法从文件名 {path.name} 判断导出格式：请用 .jsonl、.csv 或 .xlsx，或指定格式",
            f"cannot tell the export format of {path.name}: use .jsonl, .csv or .xlsx, or give "
            "the format",
            field="format",
            code="sync.unknown_format",
        )
    return found


def read_export(
    source: str | Path | bytes,
    *,
    format: SyncFormat | None = None,
    aliases: LabelAliases | None = None,
) -> tuple[SyncFormat, tuple[str, ...], list[ExportItem]]:
    """Read an export into its units, nothing stored: ``(format, columns, items)``.

    ``source`` is a path or the file's bytes (then ``format`` is required). ``columns`` are a
    CSV or Excel export's headers as written (empty for JSON lines). Each unreadable unit
    comes back with its ``error``; agencies first, then the rest in file order.

    :raises ValidationError: ``sync.unknown_format``; ``sync.unreadable`` for a file that is
        not text, not a workbook, or has no header row.
    """
    if isinstance(source, bytes):
        if format is None:
            raise ValidationError(
                "从字节读取时须指定导出格式",
                "the format must be given when reading bytes",
                field="format",
                code="sync.unknown_format",
            )
        fmt, data = _format_of(Path("export"), format), source
    else:
        path = Path(source)
        fmt = _format_of(path, format)
        try:
            data = path.read_bytes()
        except OSError as err:
            raise _unreadable(str(path), err.strerror or type(err).__name__) from err
    table = LabelAliases.default() if aliases is None else aliases
    if fmt == "jsonl":
        items = list(_jsonl_items(data, table))
        columns: tuple[str, ...] = ()
    else:
        columns, rows = _csv_rows(data) if fmt == "csv" else _xlsx_rows(data)
        items = list(_tabular_items(columns, rows, table))
    items.sort(key=lambda item: item.kind != "agency")
    return fmt, columns, items


def _unreadable(what: str, why: str) -> ValidationError:
    return ValidationError(
        f"无法读取导出文件 {what}：{why}",
        f"cannot read the export {what}: {why}",
        field="FILE",
        code="sync.unreadable",
    )


def _jsonl_items(data: bytes, aliases: LabelAliases) -> Iterator[ExportItem]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise _unreadable("(JSON lines)", f"不是 UTF-8 文本 / not UTF-8 text: {err}") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        yield _jsonl_item(number, line, aliases)


def _jsonl_item(number: int, line: str, aliases: LabelAliases) -> ExportItem:
    raw: Any = None
    kind: Literal["agency", "record", "application"] = "application"
    try:
        raw = serde.loads(line, dict[str, Any])
        data = {k: v for k, v in raw.items() if k != _REJECT_KEY}
        declared = data.pop("type", "application")
        if declared not in ("agency", "record", "application"):
            raise ValidationError(
                f"type 应为 application、record 或 agency，实为 {declared!r}",
                f"type must be application, record or agency, got {declared!r}",
                field="$.type",
                code="sync.unknown_type",
            )
        kind = declared
        key = data.get("code" if kind == "agency" else "id")
        key = key if isinstance(key, str) else None
        value: Agency | Record | Application
        if kind == "application":
            value = serde.structure(_labels_to_codes(data, aliases), Application)
        elif kind == "record":
            value = serde.structure(data, Record)
        else:
            value = serde.structure(data, Agency)
    except GovDiscloseError as err:
        shown = raw if isinstance(raw, dict) else {"text": line}
        found = shown.get("code" if kind == "agency" else "id")
        return ExportItem(
            kind, found if isinstance(found, str) else None, (number,), (shown,), error=err
        )
    return ExportItem(kind, key, (number,), (raw,), value=value)


def _coded(value: Any, enum: type[CodedEnum], where: str, aliases: LabelAliases) -> Any:
    if not isinstance(value, str):
        return value
    return enum.from_text(value, field=where, aliases=aliases).code


def _labels_to_codes(data: dict[str, Any], aliases: LabelAliases) -> dict[str, Any]:
    """The application's channel, applicant type and outcomes by code, where the export wrote
    a label or an alias (当面, 个人, 同意公开)."""
    out = dict(data)
    if "channel" in out:
        out["channel"] = _coded(out["channel"], Channel, "$.channel", aliases)
    applicant = out.get("applicant")
    if isinstance(applicant, dict) and "type" in applicant:
        kind = _coded(applicant["type"], ApplicantType, "$.applicant.type", aliases)
        out["applicant"] = {**applicant, "type": kind}
    events = out.get("events")
    if isinstance(events, list):
        fixed = []
        for i, ev in enumerate(events):
            if isinstance(ev, dict) and "outcome" in ev:
                outcome = _coded(ev["outcome"], Outcome, f"$.events[{i}].outcome", aliases)
                ev = {**ev, "outcome": outcome}
            fixed.append(ev)
        out["events"] = fixed
    return out


def _csv_rows(data: bytes) -> tuple[tuple[str, ...], list[tuple[int, list[Any]]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise _unreadable("(CSV)", f"不是 UTF-8 文本 / not UTF-8 text: {err}") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[Any]]] = []
    header: tuple[str, ...] | None = None
    for row in reader:
        if header is None:
            if any(cell.strip() for cell in row):
                header = tuple(cell.strip() for cell in row)
            continue
        if any(cell.strip() for cell in row):
            rows.append((reader.line_num, list(row)))
    if header is None:
        raise _unreadable("(CSV)", "没有表头行 / no header row")
    return header, rows


def _xlsx_rows(data: bytes) -> tuple[tuple[str, ...], list[tuple[int, list[Any]]]]:
    try:
        import openpyxl  # type: ignore[import-untyped]
    except ImportError as err:
        from govdisclose._install import install_hint

        zh, en = install_hint("openpyxl", "excel")
        raise GovDiscloseError(
            f"读取 Excel 导出需要 openpyxl：{zh}",
            f"reading an Excel export needs openpyxl: {en}",
            code="sync.needs_openpyxl",
        ) from err
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises zipfile, KeyError, InvalidFileException ...
        raise _unreadable("(Excel)", f"不是 .xlsx 工作簿 / not an .xlsx workbook: {err}") from None
    try:
        sheet = book.worksheets[0]
        header: tuple[str, ...] | None = None
        rows: list[tuple[int, list[Any]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = list(values)
            blank = all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)
            if header is None:
                if not blank:
                    header = tuple("" if c is None else str(c).strip() for c in cells)
                continue
            if not blank:
                rows.append((number, cells))
    finally:
        book.close()
    if header is None:
        raise _unreadable("(Excel)", "第一个工作表没有表头行 / the first sheet has no header row")
    return header, rows


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _tabular_items(
    columns: tuple[str, ...], rows: list[tuple[int, list[Any]]], aliases: LabelAliases
) -> Iterator[ExportItem]:
    names: list[str | None] = []
    unknown: list[str] = []
    for header in columns:
        if header in _REJECT_COLUMNS or not header:
            names.append(None)
            continue
        name = _HEADERS.get(_fold(header))
        if name is None:
            unknown.append(header)
        names.append(name)
    if unknown:
        known = ", ".join(COLUMNS)
        raise ValidationError(
            f"导出文件有无法识别的列：{'、'.join(unknown)}；可用的列：{known}",
            f"the export has columns that are not known: {', '.join(unknown)}; known: {known}",
            field="columns",
            code="sync.unknown_column",
        )
    if "id" not in names:
        raise ValidationError(
            "导出文件缺少申请编号列（id / 申请编号）",
            "the export has no application id column (id / 申请编号)",
            field="columns",
            code="sync.missing_column",
        )
    groups: dict[str, list[tuple[int, dict[str, Any], dict[str, Any]]]] = {}
    for number, cells in rows:
        values: dict[str, Any] = {}
        shown: dict[str, Any] = {}
        for i, header in enumerate(columns):
            cell = cells[i] if i < len(cells) else None
            if header in _REJECT_COLUMNS:
                continue
            shown[header] = _cell_text(cell)
            name = names[i]
            if name is not None and _cell_text(cell):
                values[name] = cell
        key = _cell_text(values.get("id"))
        groups.setdefault(key, []).append((number, values, shown))
    for key, group in groups.items():
        lines = tuple(n for n, _, _ in group)
        shown_rows = tuple(s for _, _, s in group)
        try:
            app = _application(key, group, aliases)
        except GovDiscloseError as err:
            yield ExportItem("application", key or None, lines, shown_rows, error=err)
            continue
        yield ExportItem("application", key, lines, shown_rows, value=app)


_DAY = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def _day(value: Any, where: str) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = _DAY.fullmatch(text)
    if match is not None:
        try:
            return date(*map(int, match.groups())).isoformat()
        except ValueError:
            pass
    raise ValidationError(
        f"{where} 不是日期：{text!r}（应为 2026-01-05、2026/1/5、2026.1.5 或 2026年1月5日）",
        f"{where} is not a date: {text!r} (write 2026-01-05, 2026/1/5, 2026.1.5 or 2026年1月5日)",
        field=where,
        code="sync.bad_cell",
    )


_YES = {"是", "y", "yes", "true", "1", "√", "✓", "同意", "批准"}
_NO = {"否", "n", "no", "false", "0", "×", "不同意", "不批准"}


def _cell(value: Any, hint: Any, where: str, aliases: LabelAliases) -> Any:
    """A cell as the converter reads the field of type ``hint``."""
    args = [a for a in get_args(hint) if a is not type(None)]
    if args and hint is not tuple and getattr(hint, "__origin__", None) is not tuple:
        hint = args[0]
    if hint is date:
        return _day(value, where)
    text = _cell_text(value)
    if isinstance(hint, type) and issubclass(hint, CodedEnum):
        return hint.from_text(text, field=where, aliases=aliases).code
    if hint is bool:
        folded = text.casefold()
        if folded in _YES or folded in _NO:
            return folded in _YES
    elif hint is int:
        if re.fullmatch(r"[0-9]+", text):
            return int(text)
    elif hint is Decimal or hint is str:
        return text
    elif getattr(hint, "__origin__", None) is tuple and get_args(hint)[0] is str:
        return [part for part in re.split(r"[、，,;；]", text) if part.strip()]
    else:
        raise ValidationError(
            f"{where} 不能从表格列读取，请用 JSON lines 导出",
            f"{where} cannot be read from a table column; export JSON lines instead",
            field=where,
            code="sync.bad_cell",
        )
    raise ValidationError(
        f"{where} 的值 {text!r} 无法读取",
        f"{where}: the value {text!r} cannot be read",
        field=where,
        code="sync.bad_cell",
    )


#: The words OA systems write for an event, besides its code and its label. 受理/登记 are how
#: an office's system names the registration of an application (the day counted under
#: 条例第三十一条 is still the event's own ``on``); 办结 is the reply that closes the case.
_EVENT_FORMS: dict[str, str] = {
    "受理": "received",
    "登记": "received",
    "收到": "received",
    "收件": "received",
    "补正": "correction_requested",
    "补正通知": "correction_requested",
    "延期": "extended",
    "延长答复期限": "extended",
    "征求意见": "third_party_consulted",
    "办结": "replied",
    "答复申请人": "replied",
    "撤回": "withdrawn",
}

_EVENT_BY_NAME: dict[str, type[Event]] = {
    **{_fold(form): cls for form, kind in _EVENT_FORMS.items() for cls in EVENT_TYPES
       if cls.kind == kind},
    **{_fold(cls.kind): cls for cls in EVENT_TYPES},
    **{_fold(event_label(cls)): cls for cls in EVENT_TYPES},
}  # fmt: skip


def _event_class(text: str, where: str) -> type[Event]:
    found = _EVENT_BY_NAME.get(_fold(text))
    if found is None:
        valid = "、".join(f"{event_label(c)}（{c.kind}）" for c in EVENT_TYPES)
        raise ValidationError(
            f"{where} 不是已知的办理事件：{text!r}；应为：{valid}",
            f"{where} is not a known event: {text!r}; expected one of: {valid}",
            field=where,
            code="sync.unknown_event",
        )
    return found


def _event(line: int, values: dict[str, Any], aliases: LabelAliases) -> Event:
    cls = _event_class(_cell_text(values["kind"]), f"{line}:kind")
    hints = get_type_hints(cls)
    names = {a.name for a in attrs.fields(cls)}
    data: dict[str, Any] = {serde.EVENT_TAG: cls.kind}
    for name, value in values.items():
        if name in APPLICATION_COLUMNS or name == "kind":
            continue
        where = f"{line}:{name}"
        if name not in names:
            raise ValidationError(
                f"{where}：事件“{event_label(cls)}”没有 {name} 一栏",
                f"{where}: the event {cls.kind} has no field {name}",
                field=where,
                code="sync.bad_cell",
            )
        data[name] = _cell(value, hints[name], where, aliases)
    try:
        return serde.structure_event(data)
    except GovDiscloseError as err:
        raise _at_line(err, line) from None


def _at_line(err: GovDiscloseError, line: int) -> GovDiscloseError:
    where = f"{line}:{(err.field or '$').lstrip('$.')}"
    return ValidationError(err.message_zh, err.message_en, field=where, code=err.code)


def _application(
    key: str, group: list[tuple[int, dict[str, Any], dict[str, Any]]], aliases: LabelAliases
) -> Application:
    first_line = group[0][0]
    if not key:
        raise ValidationError(
            "申请编号（id）为空", "the application id is empty", field=f"{first_line}:id",
            code="sync.bad_cell",
        )  # fmt: skip
    header: dict[str, Any] = {}
    events: list[Event] = []
    for line, values, _ in group:
        for name in APPLICATION_COLUMNS:
            if name not in values:
                continue
            given = values[name]
            if name in header and _cell_text(header[name]) != _cell_text(given):
                raise ValidationError(
                    f"{line}:{name}：同一申请 {key} 的各行不一致"
                    f"（{_cell_text(header[name])!r} 与 {_cell_text(given)!r}）",
                    f"{line}:{name}: the rows of application {key!r} disagree "
                    f"({_cell_text(header[name])!r} and {_cell_text(given)!r})",
                    field=f"{line}:{name}",
                    code="sync.inconsistent_rows",
                )
            header[name] = given
        if "kind" in values:
            events.append(_event(line, values, aliases))
        elif any(n not in APPLICATION_COLUMNS for n in values):
            raise ValidationError(
                f"{line}:kind：有事件的字段却没有事件类型（kind / 事件）",
                f"{line}:kind: the row has event fields but no event kind (kind / 事件)",
                field=f"{line}:kind",
                code="sync.bad_cell",
            )
    applicant: dict[str, Any] = {}
    if "applicant_type" in header:
        applicant["type"] = ApplicantType.from_text(
            _cell_text(header["applicant_type"]),
            field=f"{first_line}:applicant_type",
            aliases=aliases,
        ).code
    if "applicant_name" in header:
        applicant["name"] = _cell_text(header["applicant_name"])
    for name in _APPLICANT_FIELDS:
        if f"applicant_{name}" in header:
            applicant[name] = _cell_text(header[f"applicant_{name}"])
    data: dict[str, Any] = {"id": key, "applicant": applicant}
    for name in ("agency", "request"):
        if name in header:
            data[name] = _cell_text(header[name])
    if "channel" in header:
        data["channel"] = Channel.from_text(
            _cell_text(header["channel"]), field=f"{first_line}:channel", aliases=aliases
        ).code
    try:
        app = serde.structure(data, Application)
    except GovDiscloseError as err:
        raise _at_line(err, first_line) from None
    return attrs.evolve(app, events=tuple(events))


# -- storing ------------------------------------------------------------------------------------


def _changed(zh: str, en: str, field: str, code: str) -> StoreIntegrityError:
    return StoreIntegrityError(zh, en, field=field, code=code)


def _describe(event: Event | None) -> str:
    if event is None:
        return "（无 / none）"
    return f"{event.kind} {event.on.isoformat()}"


def _check_history(stored: Application, incoming: Application) -> tuple[Event, ...]:
    """The events of ``incoming`` after the stored ones, or the error naming the first
    difference."""
    for name in ("agency", "applicant", "channel", "request"):
        old, new = getattr(stored, name), getattr(incoming, name)
        if old != new:
            raise _changed(
                f"申请 {stored.id} 的 {name} 与已存的不同（已存 {old!r}，导入 {new!r}）："
                "已受理申请的基本信息不能经同步修改",
                f"application {stored.id!r}: {name} differs from the stored one (stored "
                f"{old!r}, incoming {new!r}); a stored application's particulars cannot be "
                "changed by a sync",
                f"{name}",
                "sync.changed_application",
            )
    for i, old_event in enumerate(stored.events):
        new_event = incoming.events[i] if i < len(incoming.events) else None
        if new_event == old_event:
            continue
        kind = old_event.kind if new_event is None else new_event.kind
        raise _changed(
            f"申请 {stored.id} 的办理记录被改动：第 {i + 1} 个事件（events[{i}]，{kind}）"
            f"已存为 {_describe(old_event)}，导入为 {_describe(new_event)}；"
            "已存的事件不能修改或删除",
            f"application {stored.id!r}: its history was changed at event {i + 1} "
            f"(events[{i}], {kind}): stored {_describe(old_event)}, incoming "
            f"{_describe(new_event)}; stored events cannot be changed or dropped",
            f"events[{i}]",
            "sync.changed_history",
        )
    return incoming.events[len(stored.events) :]


def _record_grows(stored: Record, incoming: Record) -> None:
    for name in ("decisions", "reviews", "publications"):
        old: tuple[Any, ...] = getattr(stored, name)
        new: tuple[Any, ...] = getattr(incoming, name)
        for i, item in enumerate(old):
            got = new[i] if i < len(new) else None
            if got == item or (
                name == "publications"
                and got is not None
                and item.withdrawal is None
                and attrs.evolve(got, withdrawal=None) == item
            ):
                continue
            raise _changed(
                f"公文 {stored.id} 的 {name}[{i}] 与已存的不同：已存的决定、审查和发布记录只能追加",
                f"record {stored.id!r}: {name}[{i}] differs from the stored one; decisions, "
                "reviews and publications may only be added to",
                f"{name}[{i}]",
                "sync.changed_history",
            )


@attrs.define
class _Tally:
    created: list[str] = attrs.Factory(list)
    appended: dict[str, int] = attrs.Factory(dict)
    unchanged: int = 0
    records_created: list[str] = attrs.Factory(list)
    records_updated: list[str] = attrs.Factory(list)
    records_unchanged: int = 0
    agencies_written: list[str] = attrs.Factory(list)


def _store_item(store: Store, value: Agency | Record | Application, tally: _Tally) -> None:
    if isinstance(value, Agency):
        try:
            if store.get_agency(value.code) == value:
                return
        except NotFound:
            pass
        store.put_agency(value)
        tally.agencies_written.append(value.code)
    elif isinstance(value, Record):
        version = store.record_version(value.id)
        if version == 0:
            store.put_record(value, expected_version=0)
            tally.records_created.append(value.id)
            return
        stored = store.get_record(value.id)
        if stored == value:
            tally.records_unchanged += 1
            return
        _record_grows(stored, value)
        store.put_record(value, expected_version=version)
        tally.records_updated.append(value.id)
    else:
        try:
            stored_app = store.get_application(value.id)
        except NotFound:
            store.create_application(value)
            tally.created.append(value.id)
            return
        new = _check_history(stored_app, value)
        if not new:
            tally.unchanged += 1
            return
        store.append_events(value.id, new, expected_version=stored_app.version)
        tally.appended[value.id] = len(new)


def _rejected(item: ExportItem, err: GovDiscloseError) -> list[RejectedRow]:
    rows = []
    for line, values in zip(item.lines, item.rows, strict=True):
        rows.append(
            RejectedRow(
                line=line,
                key=item.key,
                code=err.code,
                field=err.field,
                message_zh=err.message_zh,
                message_en=err.message_en,
                values=values,
            )
        )
    return rows


def sync(
    store: Store,
    items: Iterable[Agency | Record | Application | ExportItem],
    *,
    reject: bool = False,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
) -> SyncReport:
    """Bring ``store`` up to date with ``items`` (see the module docs), in one transaction.

    ``items`` are model objects (an OA integrator building them in Python) or the
    `ExportItem` values of `read_export`; agencies are stored first wherever they come.

    :param reject: store the good items and report each bad one in `SyncReport.rejected`
        (each item in its own nested transaction, so a bad one leaves nothing behind);
        otherwise (the default) one bad item refuses the batch.
    :raises ValidationError: ``sync.rejected`` (without ``reject``): the batch had bad items,
        every one listed; nothing was stored.
    """
    units = [
        item if isinstance(item, ExportItem) else _wrap(n, item)
        for n, item in enumerate(items, start=1)
    ]
    units.sort(key=lambda item: item.kind != "agency")
    tally = _Tally()
    rejected: list[RejectedRow] = []
    wrap = progress or no_progress
    try:
        with store.transaction():
            for unit in wrap(units):
                if unit.value is None:
                    assert unit.error is not None
                    rejected += _rejected(unit, unit.error)
                    continue
                try:
                    with store.transaction():
                        _store_item(store, unit.value, tally)
                except GovDiscloseError as err:
                    rejected += _rejected(unit, err)
            if rejected and not reject:
                raise _Refused
    except _Refused:
        raise _refusal(rejected) from None
    return SyncReport(
        created=tuple(tally.created),
        appended=dict(tally.appended),
        unchanged=tally.unchanged,
        records_created=tuple(tally.records_created),
        records_updated=tuple(tally.records_updated),
        records_unchanged=tally.records_unchanged,
        agencies_written=tuple(tally.agencies_written),
        rejected=tuple(rejected),
    )


class _Refused(Exception):
    """Rolls the batch back when it had bad items and no reject mode."""


def _wrap(n: int, value: Agency | Record | Application) -> ExportItem:
    if isinstance(value, Agency):
        return ExportItem("agency", value.code, (n,), (serde.unstructure(value),), value=value)
    if isinstance(value, Record):
        return ExportItem("record", value.id, (n,), (serde.unstructure(value),), value=value)
    if isinstance(value, Application):
        return ExportItem("application", value.id, (n,), (serde.unstructure(value),), value=value)
    raise StoreIntegrityError.bad_item(f"items[{n - 1}]", Application, value)


_SHOWN = 10


def _refusal(rejected: Sequence[RejectedRow]) -> ValidationError:
    lines_zh = [f"第 {r.line} 行（{r.key or '-'}）：[{r.code}] {r.message_zh}" for r in rejected]
    lines_en = [f"line {r.line} ({r.key or '-'}): [{r.code}] {r.message_en}" for r in rejected]
    more = len(rejected) - _SHOWN
    tail_zh = f"；另有 {more} 行" if more > 0 else ""
    tail_en = f"; {more} more" if more > 0 else ""
    return ValidationError(
        f"同步未执行，存储未改动：{len(rejected)} 行有误（可用拒收文件先导入其余各行）："
        + "；".join(lines_zh[:_SHOWN])
        + tail_zh,
        f"nothing synced, the store is unchanged: {len(rejected)} bad rows (a reject file "
        "lets the others in): " + "; ".join(lines_en[:_SHOWN]) + tail_en,
        field=rejected[0].field,
        code="sync.rejected",
    )


def sync_file(
    store: Store,
    source: str | Path | bytes,
    *,
    format: SyncFormat | None = None,
    reject: bool = False,
    aliases: LabelAliases | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
) -> SyncReport:
    """Read an OA export (`read_export`) and `sync` it into ``store``.

    ``aliases`` are the labels accepted for channels, applicant types and outcomes besides
    the official ones (by default the shipped `govdisclose.vocab.LabelAliases`; a local
    office's through `govdisclose.plugins.load_label_aliases`).

    :raises ValidationError: ``sync.rejected`` (see `sync`), ``sync.unknown_format``,
        ``sync.unreadable``, ``sync.unknown_column``, ``sync.missing_column``.
    """
    fmt, columns, items = read_export(source, format=format, aliases=aliases)
    report = sync(store, items, reject=reject, progress=progress)
    return attrs.evolve(report, format=fmt, columns=columns)


# -- the reject file ----------------------------------------------------------------------------


def rejected_bytes(report: SyncReport, *, format: SyncFormat | None = None) -> bytes:
    """The rejected rows of ``report`` as a file of the export's format (or ``format``), each
    row as read plus its reason, so that the OA can fix them and sync the file again.

    JSON lines: each object with a ``"_rejected"`` key (line, code, field, reason); CSV (UTF-8
    with a BOM, for Excel) and .xlsx: the export's columns then ``_line``, ``_code``,
    ``_field``, ``_reason``. The reader skips those additions.
    """
    fmt = format or report.format or "jsonl"
    if fmt == "jsonl":
        out = io.StringIO()
        for row in report.rejected:
            why = {
                "line": row.line,
                "code": row.code,
                "field": row.field,
                "reason": row.reason,
            }
            values = dict(row.values)
            values[_REJECT_KEY] = why
            out.write(json.dumps(values, ensure_ascii=False) + "\n")
        return out.getvalue().encode("utf-8")
    columns = list(report.columns) or sorted({k for r in report.rejected for k in r.values})
    table = [[*columns, *_REJECT_COLUMNS]]
    for row in report.rejected:
        cells = [_cell_text(row.values.get(c)) for c in columns]
        table.append([*cells, str(row.line), row.code, row.field or "", row.reason])
    if fmt == "csv":
        text = io.StringIO()
        csv.writer(text, lineterminator="\r\n").writerows(table)
        return ("\ufeff" + text.getvalue()).encode("utf-8")
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "拒收 rejected"
    for line in table:
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
