"""The register of records (公文) read the same way: one row, one `Record`.

Columns: 标题 (required), 文号, 索引号, 发布机构 (the agency, by code or name, or the agency
given), 成文日期 (required; ``二〇二六年一月五日`` too), 公开属性 (主动公开 / 依申请公开 / 不予公开,
the decision made at drafting, 国办发〔2016〕80号), 不公开理由 and 法律依据 for one other than
主动公开, 认定人, 文种, 主题分类, 有效性, and 发布日期 with 网址 for a record already published on
the portal. A record's id is its 索引号, else ``<agency>-<文号>``, else ``<agency>-r<row>``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, time
from typing import Any, ClassVar

from attrs import frozen

from govdisclose._time import SHANGHAI
from govdisclose.errors import ValidationError
from govdisclose.ledger._applications import NOT_RECORDED
from govdisclose.ledger._cells import CellProblem, LedgerImportError
from govdisclose.ledger._headers import HeaderMatcher
from govdisclose.ledger._reading import (
    SheetReport,
    agency_code,
    agency_names,
    finish_report,
    require_columns,
    unused_columns_note,
)
from govdisclose.ledger._rows import SheetRow
from govdisclose.ledger._sheet import Source, load_grid, locate_header
from govdisclose.model import Agency, AttributeDecision, Publication, Record
from govdisclose.vocab import (
    DisclosureAttribute,
    DocumentKind,
    NonDisclosureReason,
    PublicationChannel,
    Validity,
)

__all__ = ["RECORD_SYNONYMS", "RecordsImport", "RecordsReport", "import_records", "read_records"]

#: The header texts read as each column of a records sheet.
RECORD_SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "number": ("序号", "序", "no"),
    "title": ("标题", "文件标题", "名称", "文件名称", "公文标题", "信息名称", "题目"),
    "document_number": ("文号", "发文字号", "发文号", "文件编号", "字号"),
    "index_number": ("索引号", "信息索引号"),
    "agency": ("发布机构", "发文机关", "发文单位", "制发机关", "发布单位", "成文机关", "来源"),
    "formed_on": ("成文日期", "印发日期", "发文日期", "签发日期", "成文时间", "制发日期"),
    "attribute": ("公开属性", "公开方式", "信息公开选项", "公开类型", "是否公开"),
    "reason": ("不公开理由", "不予公开理由", "不予主动公开理由", "理由"),
    "legal_basis": ("法律依据", "依据"),
    "decided_by": ("认定人", "审核人", "审定人", "签发人"),
    "kind": ("文种", "文件类型", "文件类别", "公文种类"),
    "topic": ("主题分类", "主题", "分类"),
    "validity": ("有效性", "效力状态", "是否有效"),
    "published_on": ("发布日期", "公开日期", "发布时间", "上网日期"),
    "url": ("网址", "链接", "发布网址", "url", "网页地址"),
    "note": ("备注", "说明"),
}
_LABELS = {key: syns[0] for key, syns in RECORD_SYNONYMS.items()}
_MATCHER = HeaderMatcher(RECORD_SYNONYMS)


@frozen
class RecordsReport(SheetReport):
    """What reading a records sheet found (as `govdisclose.ledger.LedgerReport`)."""

    sheet: str
    header_rows: tuple[int, ...]
    columns: tuple[tuple[str, str, str, str], ...]
    records: tuple[Record, ...]
    rows: tuple[int, ...] = ()
    problems: tuple[CellProblem, ...] = ()
    skipped: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()

    items_named: ClassVar[tuple[str, str]] = ("公文", "records")
    items_field: ClassVar[str] = "records"


def _record(row: SheetRow, *, code: str, publisher: str) -> Record | None:
    title = row.text("title")
    formed_on = row.day("formed_on")
    if row.raw("title") is None:
        row.need("title", None)
    if row.raw("formed_on") is None:
        row.need("formed_on", None)
    attribute = row.label("attribute", DisclosureAttribute)
    reason = row.label("reason", NonDisclosureReason)
    kind = row.label("kind", DocumentKind) or DocumentKind.OTHER
    validity = row.label("validity", Validity) or Validity.VALID
    published_on = row.day("published_on")
    if row.problems or formed_on is None or not title:
        return None
    number = row.text("document_number") or None
    rid = row.text("index_number") or (f"{code}-{number}" if number else f"{code}-r{row.r}")
    decisions: tuple[AttributeDecision, ...] = ()
    try:
        if attribute is not None:
            decisions = (
                AttributeDecision(
                    attribute=attribute,
                    decided_by=row.text("decided_by") or NOT_RECORDED,
                    decided_on=formed_on,
                    reason=reason,
                    legal_basis=row.text("legal_basis") or None,
                ),
            )
        publications: tuple[Publication, ...] = ()
        if published_on is not None:
            publications = (
                Publication(
                    publisher=publisher,
                    channel=PublicationChannel.PORTAL,
                    published_at=datetime.combine(published_on, time(), SHANGHAI),
                    url=row.text("url") or None,
                ),
            )
        return Record(
            id=rid,
            title=title,
            agency=code,
            formed_on=formed_on,
            kind=kind,
            index_number=row.text("index_number") or None,
            document_number=number,
            topic=row.text("topic") or None,
            decisions=decisions,
            publications=publications,
            validity=validity,
        )
    except ValidationError as err:
        key = {"published_at": "published_on", "decided_on": "formed_on"}.get(
            err.field or "", "title"
        )
        row.problem(key, err.message_zh, err.message_en)
        return None


def read_records(
    source: Source,
    *,
    agency: str | None = None,
    agencies: Mapping[str, str] | Iterable[Agency] = (),
    sheet: str | None = None,
    lenient: bool = False,
    progress: Callable[[Iterable[int]], Iterable[int]] | None = None,
) -> RecordsReport:
    """Read a records sheet (.xlsx or .csv) into `Record` values; the same rules as
    `govdisclose.ledger.read_ledger` (lenient headers, dates, every bad cell named, strict or
    ``lenient``)."""
    names = agency_names(agencies)
    grid = load_grid(source, sheet=sheet)
    header = locate_header(
        grid,
        _MATCHER,
        anchors=frozenset({"title", "formed_on"}),
        what_zh="公文登记表",
        what_en="records",
        needs_zh="需有“标题”“成文日期”等列",
    )
    require_columns(grid, header, ("title", "formed_on"), _LABELS, agency_given=agency is not None)
    records: list[Record] = []
    rows: list[int] = []
    problems: list[CellProblem] = []
    skipped: list[int] = []
    seen: dict[str, int] = {}
    data_rows: Iterable[int] = range(header.first_data_row, grid.height + 1)
    for r in progress(data_rows) if progress is not None else data_rows:
        if not any(grid.value(r, c.index) is not None for c in header.columns):
            continue
        row = SheetRow(grid, header, r, _LABELS)
        code = agency_code(row.text("agency"), agency, names)
        if code is None:
            row.problem(
                "agency",
                f"发布机构“{row.text('agency')}”不在已知机关中",
                f"the agency {row.text('agency')!r} is not a known agency",
            )
        record = _record(row, code=code or "", publisher=names.get(code or "", code or ""))
        if record is not None and record.id in seen:
            row.problem(
                "index_number" if header.column("index_number") else "document_number",
                f"与第 {seen[record.id]} 行是同一公文（{record.id}）",
                f"the same record as row {seen[record.id]} ({record.id})",
            )
        if row.problems or record is None:
            problems.extend(row.problems)
            skipped.append(r)
            continue
        seen[record.id] = r
        records.append(record)
        rows.append(r)
    notes = unused_columns_note(header)
    undecided = sum(1 for rec in records if not rec.decisions)
    if undecided:
        notes.append(f"{undecided} 件未填公开属性 / {undecided} records without 公开属性")
    return finish_report(
        RecordsReport,
        grid,
        header,
        records,
        rows,
        problems,
        skipped,
        notes,
        lenient=lenient,
        what_zh="公文登记表",
        what_en="records sheet",
    )


@frozen
class RecordsImport:
    """What `import_records` stored: the ids ``created`` and those ``unchanged`` (a record
    already stored as read)."""

    report: RecordsReport
    created: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()


def import_records(
    store: Any,
    source: Source,
    *,
    agency: str | None = None,
    sheet: str | None = None,
    lenient: bool = False,
    progress: Callable[[Iterable[int]], Iterable[int]] | None = None,
) -> RecordsImport:
    """`read_records`, then store the new records in one transaction; a record stored as read
    is left alone, one stored differently refuses the import (``ledger.changed_record``):
    a record's later history is the desk's, not the register's to overwrite."""
    report = read_records(
        source,
        agency=agency,
        agencies=store.agencies(),
        sheet=sheet,
        lenient=lenient,
        progress=progress,
    )
    for code in sorted({r.agency for r in report.records}):
        store.get_agency(code)
    created: list[str] = []
    unchanged: list[str] = []
    with store.transaction():
        for record, r in zip(report.records, report.rows, strict=True):
            if store.record_version(record.id) == 0:
                store.put_record(record, expected_version=0)
                created.append(record.id)
            elif store.get_record(record.id) == record:
                unchanged.append(record.id)
            else:
                raise LedgerImportError(
                    f"公文 {record.id}（第 {r} 行）与已存的不同，未导入",
                    f"record {record.id} (row {r}) differs from the stored one; nothing imported",
                    field=f"{report.sheet}!{r}",
                    code="ledger.changed_record",
                )
    return RecordsImport(report, tuple(created), tuple(unchanged))
