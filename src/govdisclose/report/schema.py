"""The annual report as frozen values: one class per table, one field per printed cell.

A blank cell is ``None`` and stays ``None``: it is never read as 0 (a blank and a printed 0
mean different things in a published report, users-and-formats.md §3.1). Cell values are typed
at construction (counts are ``int``, amounts `decimal.Decimal`); whether they are *consistent*
(non-negative, totals adding up) is the job of `govdisclose.report.validate`, so a report read
back from a badly filled page can still be represented and its faults listed.

Field names come from the format's row and column codes (law/annual-report-2021.json):
``T3.R3_3_1.natural_person`` is ``report.table3.r3_3_1.natural_person``. `AnnualReport.cell`
and `AnnualReport.cells` address every cell by that reference, so renderers and readers need
no knowledge of the attribute layout; `from_cells` builds a report from such a mapping.

The 2019 (试行) format differs (law/facts.md §2.3-2.4): table 二 is `Table2Trial`, and table 三
row （六）其他处理 is a single row, `Table3.r3_6`, which only 2019-format reports use (it is
``None`` in 2021-format reports, whose （六） is split into ``r3_6_1``..``r3_6_3``; those stay
blank in 2019-format reports).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any, Literal, TypeAlias

import attrs
from attrs import field, frozen

from govdisclose.errors import ReportError, ValidationError
from govdisclose.report.format import (
    FORMAT_2019_TRIAL,
    FORMAT_2021,
    ReportFormat,
    format_by_id,
)

__all__ = [
    "APPLICANT_COLUMNS",
    "AnnualReport",
    "ApplicantCounts",
    "CellValue",
    "DocumentCounts",
    "ItemChange",
    "ItemCounts",
    "ProcurementCounts",
    "ResultCounts",
    "Table2",
    "Table2Trial",
    "Table3",
    "Table4",
    "TrialDocumentCounts",
    "from_cells",
]

#: A cell: a count, an amount in 万元, or blank.
CellValue: TypeAlias = int | Decimal | None

#: Table 三 column codes in printed order (the last is 总计).
APPLICANT_COLUMNS: tuple[str, ...] = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "public_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
)


def _count(inst: Any, att: attrs.Attribute[Any], value: Any) -> None:
    # bool is an int subclass; a True in a count cell is a bug upstream, not 1.
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValidationError(
            f"{type(inst).__name__}.{att.name} 应为整数或空白，实际为 {type(value).__name__}",
            f"{type(inst).__name__}.{att.name} must be an int or None (blank), "
            f"got {type(value).__name__}",
            field=att.name,
            code="validation.type",
        )


def _is(cls: type) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    return attrs.validators.instance_of(cls)


def _to_decimal(value: Any) -> Any:
    # Floats would carry binary rounding into the published amount; go through str.
    if isinstance(value, bool) or value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    return value


def _amount(inst: Any, att: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (not isinstance(value, Decimal) or not value.is_finite()):
        raise ValidationError(
            f"{type(inst).__name__}.{att.name} 应为金额（Decimal）或空白",
            f"{type(inst).__name__}.{att.name} must be a finite Decimal or None (blank)",
            field=att.name,
            code="validation.type",
        )


# -- table 三 ---------------------------------------------------------------------------------


@frozen
class ApplicantCounts:
    """One data row of table 三: counts per applicant type (申请人情况) and the row's 总计."""

    natural_person: int | None = field(default=None, validator=_count)
    commercial_enterprise: int | None = field(default=None, validator=_count)
    research_institution: int | None = field(default=None, validator=_count)
    public_welfare_org: int | None = field(default=None, validator=_count)
    legal_service_org: int | None = field(default=None, validator=_count)
    other_org: int | None = field(default=None, validator=_count)
    total: int | None = field(default=None, validator=_count)

    def get(self, column: str) -> int | None:
        """The cell of a column code (``natural_person`` … ``total``)."""
        if column not in APPLICANT_COLUMNS:
            raise _no_column("T3", column)
        value: int | None = getattr(self, column)
        return value

    def values(self) -> tuple[int | None, ...]:
        """The seven cells in printed order."""
        return tuple(getattr(self, c) for c in APPLICANT_COLUMNS)

    @property
    def is_blank(self) -> bool:
        """True if every cell is blank."""
        return all(v is None for v in self.values())


def _row_attr(code: str) -> str:
    return code.lower()


@frozen
class Table3:
    """三、收到和处理政府信息公开申请情况: one `ApplicantCounts` per data row.

    ``r3_6`` is the single （六）其他处理 row of the 2019 (试行) format and is ``None`` in
    2021-format reports; ``r3_6_1``..``r3_6_3`` are the 2021 sub-rows and stay blank in
    2019-format reports. `AnnualReport` checks this against its format.
    """

    r1: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r2: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_1: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_2: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_3_1: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_3_2: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_3_3: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_3_4: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_3_5: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_3_6: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_3_7: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_3_8: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_4_1: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_4_2: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_4_3: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_5_1: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_5_2: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_5_3: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_5_4: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_5_5: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_6_1: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_6_2: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_6_3: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_7: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r4: ApplicantCounts = field(factory=ApplicantCounts, validator=_is(ApplicantCounts))
    r3_6: ApplicantCounts | None = field(
        default=None,
        validator=attrs.validators.optional(attrs.validators.instance_of(ApplicantCounts)),
    )

    def row(self, code: str) -> ApplicantCounts:
        """The row with a format row code (``R1``, ``R3_3_4``, …); blank for an unused R3_6."""
        name = _row_attr(code)
        if name not in _T3_ROWS:
            raise _no_row("T3", code)
        value: ApplicantCounts | None = getattr(self, name)
        return value if value is not None else ApplicantCounts()


_T3_ROWS = frozenset(a.name for a in attrs.fields(Table3))


# -- table 四 ---------------------------------------------------------------------------------


@frozen
class ResultCounts:
    """One column group of table 四: 结果维持 / 结果纠正 / 其他结果 / 尚未审结 / 总计."""

    upheld: int | None = field(default=None, validator=_count)
    corrected: int | None = field(default=None, validator=_count)
    other: int | None = field(default=None, validator=_count)
    pending: int | None = field(default=None, validator=_count)
    total: int | None = field(default=None, validator=_count)

    def values(self) -> tuple[int | None, ...]:
        """The five cells in printed order."""
        return (self.upheld, self.corrected, self.other, self.pending, self.total)


@frozen
class Table4:
    """四、政府信息公开行政复议、行政诉讼情况: 行政复议, 未经复议直接起诉, 复议后起诉."""

    reconsideration: ResultCounts = field(factory=ResultCounts, validator=_is(ResultCounts))
    litigation_direct: ResultCounts = field(factory=ResultCounts, validator=_is(ResultCounts))
    litigation_after_review: ResultCounts = field(factory=ResultCounts, validator=_is(ResultCounts))


_T4_GROUPS: Mapping[str, str] = {
    "review": "reconsideration",
    "direct": "litigation_direct",
    "after_review": "litigation_after_review",
}
_T4_RESULTS = ("upheld", "corrected", "other", "pending", "total")


# -- table 二 ---------------------------------------------------------------------------------


@frozen
class DocumentCounts:
    """第二十条第（一）项 row (2021): 本年制发件数 / 本年废止件数 / 现行有效件数."""

    made: int | None = field(default=None, validator=_count)
    repealed: int | None = field(default=None, validator=_count)
    in_force: int | None = field(default=None, validator=_count)


@frozen
class Table2:
    """二、主动公开政府信息情况 in the 2021 format.

    ``licensing``, ``penalty`` and ``coercion`` are the 本年处理决定数量 of
    第二十条第（五）（六）项; ``admin_fees_10k_yuan`` the 本年收费金额 of 第二十条第（八）项 in
    万元. ``edition`` tags the format version in JSON (it tells this class from `Table2Trial`)
    and is always ``"2021"``.
    """

    edition: Literal["2021"] = field(default="2021", validator=attrs.validators.in_(("2021",)))

    regulations: DocumentCounts = field(
        factory=DocumentCounts, validator=attrs.validators.instance_of(DocumentCounts)
    )
    normative_documents: DocumentCounts = field(
        factory=DocumentCounts, validator=attrs.validators.instance_of(DocumentCounts)
    )
    licensing: int | None = field(default=None, validator=_count)
    penalty: int | None = field(default=None, validator=_count)
    coercion: int | None = field(default=None, validator=_count)
    admin_fees_10k_yuan: Decimal | None = field(
        default=None, converter=_to_decimal, validator=_amount
    )


@frozen
class TrialDocumentCounts:
    """第二十条第（一）项 row (2019 试行): 本年新制作数量 / 本年新公开数量 / 对外公开总数量."""

    new_made: int | None = field(default=None, validator=_count)
    new_published: int | None = field(default=None, validator=_count)
    total_published: int | None = field(default=None, validator=_count)


@frozen
class ItemCounts:
    """第二十条第（五）（六）项 row (2019 试行): 上一年项目数量 / 本年增/减 / 处理决定数量.

    ``change`` (本年增/减) may be negative.
    """

    prev_year_items: int | None = field(default=None, validator=_count)
    change: int | None = field(default=None, validator=_count)
    decisions: int | None = field(default=None, validator=_count)


@frozen
class ItemChange:
    """第二十条第（八）项 row (2019 试行): 上一年项目数量 / 本年增/减 (may be negative)."""

    prev_year_items: int | None = field(default=None, validator=_count)
    change: int | None = field(default=None, validator=_count)


@frozen
class ProcurementCounts:
    """第二十条第（九）项 政府集中采购 (2019 试行 only): 采购项目数量 / 采购总金额."""

    items: int | None = field(default=None, validator=_count)
    amount: Decimal | None = field(default=None, converter=_to_decimal, validator=_amount)


@frozen
class Table2Trial:
    """二、主动公开政府信息情况 in the 2019 (试行) format (report years 2019-2020).

    ``edition`` tags the format version in JSON and is always ``"2019"``.
    """

    edition: Literal["2019"] = field(default="2019", validator=attrs.validators.in_(("2019",)))

    regulations: TrialDocumentCounts = field(
        factory=TrialDocumentCounts, validator=_is(TrialDocumentCounts)
    )
    normative_documents: TrialDocumentCounts = field(
        factory=TrialDocumentCounts, validator=_is(TrialDocumentCounts)
    )
    licensing: ItemCounts = field(factory=ItemCounts, validator=_is(ItemCounts))
    other_services: ItemCounts = field(factory=ItemCounts, validator=_is(ItemCounts))
    penalty: ItemCounts = field(factory=ItemCounts, validator=_is(ItemCounts))
    coercion: ItemCounts = field(factory=ItemCounts, validator=_is(ItemCounts))
    admin_fees: ItemChange = field(factory=ItemChange, validator=_is(ItemChange))
    procurement: ProcurementCounts = field(
        factory=ProcurementCounts, validator=_is(ProcurementCounts)
    )


# Cell reference "T2.<row>.<column>" -> attribute path inside the table-二 object.
_T2_PATHS_2021: Mapping[str, tuple[str, ...]] = {
    **{
        f"{row}.{col}": (row, col)
        for row in ("regulations", "normative_documents")
        for col in ("made", "repealed", "in_force")
    },
    "licensing.decisions": ("licensing",),
    "penalty.decisions": ("penalty",),
    "coercion.decisions": ("coercion",),
    "admin_fees.amount_10k_yuan": ("admin_fees_10k_yuan",),
}


# -- the report -------------------------------------------------------------------------------


def _not_blank(inst: Any, att: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            f"AnnualReport.{att.name} 不能为空",
            f"AnnualReport.{att.name} must be a non-empty string",
            field=att.name,
            code="validation.blank",
        )


def _year(inst: Any, att: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(
            "AnnualReport.year 应为整数年度",
            f"AnnualReport.year must be an int, got {type(value).__name__}",
            field="year",
            code="validation.type",
        )


def _tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value)


@frozen(kw_only=True)
class AnnualReport:
    """政府信息公开工作年度报告 of one agency for one year (条例 2019 第四十九条、第五十条).

    :param format_id: the format the report follows (`format_for_year` of ``year``).
    :param preamble: the short text before 一 (legal basis, 统计期限).
    :param overview: 一、总体情况; ``problems``: 五、存在的主要问题及改进情况;
        ``other_matters``: 六、其他需要报告的事项 (text).
    :param table2: `Table2` for the 2021 format, `Table2Trial` for the 2019 format.
    :param breakdown: for a consolidated report (`rollup`), the reports it sums, so a reader
        can drill down; empty for an agency's own report.
    """

    format_id: str = field(validator=_not_blank)
    agency_code: str = field(validator=_not_blank)
    agency_name: str = field(validator=_not_blank)
    year: int = field(validator=_year)
    table2: Table2 | Table2Trial = field(
        validator=attrs.validators.instance_of((Table2, Table2Trial))
    )
    table3: Table3 = field(validator=attrs.validators.instance_of(Table3))
    table4: Table4 = field(validator=attrs.validators.instance_of(Table4))
    preamble: str = ""
    overview: str = ""
    problems: str = ""
    other_matters: str = ""
    breakdown: tuple[AnnualReport, ...] = field(default=(), converter=_tuple)

    def __attrs_post_init__(self) -> None:
        try:
            fmt = format_by_id(self.format_id)
        except ReportError as err:
            raise ValidationError(
                err.message_zh, err.message_en, field="format_id", code=err.code
            ) from None
        if not fmt.covers(self.year):
            raise ValidationError(
                f"{self.year}年度的年报不能使用格式{self.format_id}",
                f"a report for {self.year} cannot use format {self.format_id} "
                f"(it covers {fmt.first_report_year}-{fmt.last_report_year or ''})",
                field="format_id",
                code="report.format_year",
            )
        trial = self.format_id == FORMAT_2019_TRIAL
        want: type = Table2Trial if trial else Table2
        if not isinstance(self.table2, want):
            raise ValidationError(
                f"格式{self.format_id}的表二应为 {want.__name__}",
                f"table 二 of format {self.format_id} must be a {want.__name__}, "
                f"got {type(self.table2).__name__}",
                field="table2",
                code="report.table_version",
            )
        t3 = self.table3
        split = (t3.r3_6_1, t3.r3_6_2, t3.r3_6_3)
        if trial and (t3.r3_6 is None or not all(r.is_blank for r in split)):
            raise ValidationError(
                "2019（试行）格式的表三（六）其他处理是单独一行："
                "填写 table3.r3_6，r3_6_1~r3_6_3 留空",
                "in the 2019 trial format table 三 （六）其他处理 is one row: set table3.r3_6 and "
                "leave r3_6_1..r3_6_3 blank",
                field="table3.r3_6",
                code="report.table_version",
            )
        if not trial and t3.r3_6 is not None:
            raise ValidationError(
                "2021年格式的表三（六）其他处理分三行填写，table3.r3_6 应为空（None）",
                "in the 2021 format table 三 （六）其他处理 has three sub-rows; table3.r3_6 must "
                "be None",
                field="table3.r3_6",
                code="report.table_version",
            )
        for i, part in enumerate(self.breakdown):
            if not isinstance(part, AnnualReport):
                raise ValidationError(
                    f"AnnualReport.breakdown[{i}] 应为 AnnualReport",
                    f"AnnualReport.breakdown[{i}] must be an AnnualReport",
                    field=f"breakdown[{i}]",
                    code="validation.type",
                )

    @property
    def format(self) -> ReportFormat:
        """The `ReportFormat` the report follows."""
        return format_by_id(self.format_id)

    def cell(self, ref: str) -> CellValue:
        """The value of a cell by reference (``T3.R1.natural_person``); blank is ``None``.

        Raises `ReportError` if the report's format has no such cell.
        """
        self.format.column(ref)
        return _read(self, ref)

    def cells(self) -> Iterator[tuple[str, CellValue]]:
        """Every data cell of the format as ``(ref, value)``, tables 二, 三, 四 in printed order."""
        for ref in self.format.cell_refs():
            yield ref, _read(self, ref)

    def cell_map(self) -> dict[str, CellValue]:
        """`cells` as a dict (a fresh one)."""
        return dict(self.cells())

    def _repr_html_(self) -> str:
        """The report as a notebook shows it: the published page's HTML fragment (texts and
        tables, as `govdisclose.report.render_html.render_html` with ``fragment=True``)."""
        from govdisclose.report.render_html import render_html

        return render_html(self, fragment=True)

    def with_cells(self, updates: Mapping[str, CellValue]) -> AnnualReport:
        """A copy with some cells replaced (texts and breakdown kept)."""
        values = self.cell_map()
        values.update(updates)
        rebuilt = from_cells(
            self.format,
            values,
            agency_code=self.agency_code,
            agency_name=self.agency_name,
            year=self.year,
        )
        return attrs.evolve(
            self,
            table2=rebuilt.table2,
            table3=rebuilt.table3,
            table4=rebuilt.table4,
        )


def _no_row(table: str, code: str) -> ReportError:
    return ReportError(
        f"表{table}没有行“{code}”",
        f"table {table} has no row {code!r}",
        field=f"{table}.{code}",
        code="report.unknown_row",
    )


def _no_column(table: str, code: str) -> ReportError:
    return ReportError(
        f"表{table}没有列“{code}”",
        f"table {table} has no column {code!r}",
        field=f"{table}.{code}",
        code="report.unknown_column",
    )


def _path(format_id: str, ref: str) -> tuple[str, ...]:
    table, row, col = ref.split(".")
    if table == "T3":
        return ("table3", _row_attr(row), col)
    if table == "T4":
        group, _, result = col.rpartition("_")
        return ("table4", _T4_GROUPS[group], result)
    if format_id == FORMAT_2021:
        return ("table2", *_T2_PATHS_2021[f"{row}.{col}"])
    return ("table2", row, col)


def _read(report: AnnualReport, ref: str) -> CellValue:
    obj: Any = report
    for name in _path(report.format_id, ref):
        obj = getattr(obj, name)
        if obj is None:
            return None
    value: CellValue = obj
    return value


def from_cells(
    fmt: ReportFormat,
    values: Mapping[str, CellValue],
    *,
    agency_code: str,
    agency_name: str,
    year: int,
    preamble: str = "",
    overview: str = "",
    problems: str = "",
    other_matters: str = "",
    breakdown: tuple[AnnualReport, ...] = (),
) -> AnnualReport:
    """Build a report from ``{cell ref: value}`` (as read from a page or a spreadsheet).

    Cells not in ``values`` are blank. A reference the format does not have raises
    `ReportError` (a misspelt reference must not vanish).
    """
    known = set(fmt.cell_refs())
    unknown = sorted(set(values) - known)
    if unknown:
        raise ReportError(
            f"格式{fmt.format_id}没有这些单元格：{', '.join(unknown)}",
            f"format {fmt.format_id} has no cell(s): {', '.join(unknown)}",
            field=unknown[0],
            code="report.unknown_cell",
        )
    tree: dict[str, Any] = {"table2": {}, "table3": {}, "table4": {}}
    for ref in fmt.cell_refs():
        value = values.get(ref)
        node = tree
        *parents, leaf = _path(fmt.format_id, ref)
        for name in parents:
            node = node.setdefault(name, {})
        node[leaf] = value
    trial = fmt.format_id == FORMAT_2019_TRIAL
    t3 = tree["table3"]
    table3 = Table3(**{name: ApplicantCounts(**cols) for name, cols in t3.items()})
    table4 = Table4(**{name: ResultCounts(**cols) for name, cols in tree["table4"].items()})
    t2 = tree["table2"]
    table2: Table2 | Table2Trial
    if trial:
        table2 = Table2Trial(
            regulations=TrialDocumentCounts(**t2["regulations"]),
            normative_documents=TrialDocumentCounts(**t2["normative_documents"]),
            licensing=ItemCounts(**t2["licensing"]),
            other_services=ItemCounts(**t2["other_services"]),
            penalty=ItemCounts(**t2["penalty"]),
            coercion=ItemCounts(**t2["coercion"]),
            admin_fees=ItemChange(**t2["admin_fees"]),
            procurement=ProcurementCounts(**t2["procurement"]),
        )
    else:
        table2 = Table2(
            regulations=DocumentCounts(**t2["regulations"]),
            normative_documents=DocumentCounts(**t2["normative_documents"]),
            licensing=t2["licensing"],
            penalty=t2["penalty"],
            coercion=t2["coercion"],
            admin_fees_10k_yuan=t2["admin_fees_10k_yuan"],
        )
    return AnnualReport(
        format_id=fmt.format_id,
        agency_code=agency_code,
        agency_name=agency_name,
        year=year,
        table2=table2,
        table3=table3,
        table4=table4,
        preamble=preamble,
        overview=overview,
        problems=problems,
        other_matters=other_matters,
        breakdown=breakdown,
    )


# The JSON union Table2 | Table2Trial is told apart by the Literal ``edition`` field; cattrs
# reads field types, which postponed annotations leave as strings until resolved.
attrs.resolve_types(Table2)
attrs.resolve_types(Table2Trial)
