"""The annual-report formats as data: sections, tables with row/column codes, labels, rules.

The national 主管部门 publishes one uniform format and updates it (条例 2019 第五十条). Two
versions exist (law/facts.md §2.1):

* ``CN-GI-ANNUAL-REPORT-2019-TRIAL``: 国办公开办函〔2019〕60号, report years 2019 and 2020;
* ``CN-GI-ANNUAL-REPORT-2021``: 国办公开办函〔2021〕30号, report years 2021 onwards.

Each is shipped as a JSON file in ``govdisclose/report/data/`` and read on first use (never at
import). `format_for_year` picks the version a report year must use; `format_by_id` loads one by
its id. A `ReportFormat` is frozen: renderers, readers and the validator all read the same codes.

Cell references are ``<TABLE>.<ROW>.<COLUMN>``: ``T3.R1.natural_person``, ``T4.R1.review_total``,
``T2.regulations.made``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any, Literal

from attrs import frozen

from govdisclose.errors import ReportError

__all__ = [
    "FORMAT_2019_TRIAL",
    "FORMAT_2021",
    "BlockSpec",
    "ColumnSpec",
    "ReportFormat",
    "RowSpec",
    "RuleSpec",
    "SectionSpec",
    "TableSpec",
    "format_by_id",
    "format_for_year",
    "known_formats",
]

#: Format id of the 2021 format (国办公开办函〔2021〕30号), report years 2021 onwards.
FORMAT_2021 = "CN-GI-ANNUAL-REPORT-2021"
#: Format id of the 2019 trial format (国办公开办函〔2019〕60号), report years 2019-2020.
FORMAT_2019_TRIAL = "CN-GI-ANNUAL-REPORT-2019-TRIAL"

_FILES: Mapping[str, str] = {
    FORMAT_2019_TRIAL: "format-2019.json",
    FORMAT_2021: "format-2021.json",
}

Severity = Literal["error", "warning", "info"]


@frozen
class SectionSpec:
    """One numbered section of the report (一 … 六); ``table`` names its table, if any."""

    code: str
    number: str
    title: str
    kind: Literal["text", "table"]
    table: str | None = None

    @property
    def heading(self) -> str:
        """The heading as printed, e.g. ``一、总体情况``."""
        return f"{self.number}、{self.title}"


@frozen
class ColumnSpec:
    """A data column. ``group``/``top_group`` are the spanning header labels above it.

    ``decimal`` columns hold amounts (万元), ``signed`` ones may be negative (2019 本年增/减).
    """

    code: str
    label: str
    group: str | None = None
    top_group: str | None = None
    unit: str | None = None
    decimal: bool = False
    signed: bool = False


@frozen
class RowSpec:
    """A row. Group rows (``has_data_cells`` false) are labels only; ``parent`` nests rows."""

    code: str
    label: str | None
    parent: str | None = None
    has_data_cells: bool = True
    note: str | None = None
    regulation_basis: str | None = None


@frozen
class BlockSpec:
    """A block of rows sharing columns. Table 二 stacks several (one per 第二十条 item, with a
    ``heading``); tables 三 and 四 are one block without heading."""

    code: str
    heading: str | None
    row_header: str | None
    rows: tuple[RowSpec, ...]
    columns: tuple[ColumnSpec, ...]

    def cell_refs(self, table: str) -> Iterator[str]:
        """``table.row.column`` for every data cell of the block, row by row."""
        for row in self.rows:
            if row.has_data_cells:
                for col in self.columns:
                    yield f"{table}.{row.code}.{col.code}"


@frozen
class TableSpec:
    """One table of the report (``T2``, ``T3``, ``T4``)."""

    code: str
    section: str
    blocks: tuple[BlockSpec, ...]
    layout: str | None = None
    corner_note: str | None = None
    column_header_top: str | None = None
    leaf_result_rows: tuple[str, ...] = ()

    @property
    def rows(self) -> tuple[RowSpec, ...]:
        """All rows of all blocks, in printed order."""
        return tuple(r for b in self.blocks for r in b.rows)

    @property
    def data_rows(self) -> tuple[RowSpec, ...]:
        """The rows that have cells."""
        return tuple(r for r in self.rows if r.has_data_cells)

    @property
    def columns(self) -> tuple[ColumnSpec, ...]:
        """The columns of a single-block table (T3, T4); for T2 see each block."""
        return self.blocks[0].columns if len(self.blocks) == 1 else ()

    def cell_refs(self) -> tuple[str, ...]:
        """Every data-cell reference of the table in printed order."""
        return tuple(ref for b in self.blocks for ref in b.cell_refs(self.code))

    def row(self, code: str) -> RowSpec:
        """The row with that code; `ReportError` otherwise."""
        for r in self.rows:
            if r.code == code:
                return r
        raise ReportError(
            f"表{self.code}没有行“{code}”",
            f"table {self.code} has no row {code!r}",
            field=f"{self.code}.{code}",
            code="report.unknown_row",
        )


@frozen
class RuleSpec:
    """A consistency rule (勾稽关系) as stated in the format data (law/facts.md §2.6).

    ``for_each`` maps a placeholder of ``expr`` (``c``, ``r``, ``cell``) to its values.
    """

    id: str
    table: str
    source: Literal["official-note", "derived", "heuristic"]
    severity: Severity
    description: str
    expr: str
    for_each: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def values(self, placeholder: str) -> tuple[str, ...]:
        """The values a placeholder ranges over (empty if the rule has no such placeholder)."""
        for name, vals in self.for_each:
            if name == placeholder:
                return vals
        return ()


@frozen
class ReportFormat:
    """One version of the annual-report format, loaded from the shipped data file."""

    format_id: str
    title: str
    issued_by: str
    document_number: str
    legal_basis: str
    first_report_year: int
    last_report_year: int | None
    sections: tuple[SectionSpec, ...]
    tables: tuple[TableSpec, ...]
    rules: tuple[RuleSpec, ...]
    differences: tuple[str, ...] = ()

    def covers(self, year: int) -> bool:
        """Whether reports for ``year`` use this format."""
        last = self.last_report_year
        return self.first_report_year <= year and (last is None or year <= last)

    def table(self, code: str) -> TableSpec:
        """The table with that code (``T2``, ``T3``, ``T4``); `ReportError` otherwise."""
        for t in self.tables:
            if t.code == code:
                return t
        raise ReportError(
            f"格式{self.format_id}没有表“{code}”",
            f"format {self.format_id} has no table {code!r}",
            field=code,
            code="report.unknown_table",
        )

    def rule(self, rule_id: str) -> RuleSpec:
        """The rule with that id; `ReportError` otherwise."""
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise ReportError(
            f"格式{self.format_id}没有规则“{rule_id}”",
            f"format {self.format_id} has no rule {rule_id!r}",
            field=rule_id,
            code="report.unknown_rule",
        )

    def has_rule(self, rule_id: str) -> bool:
        """Whether the format states that rule."""
        return any(r.id == rule_id for r in self.rules)

    def cell_refs(self) -> tuple[str, ...]:
        """Every data-cell reference of the format: T2, T3, T4 in printed order."""
        return tuple(ref for t in self.tables for ref in t.cell_refs())

    def column(self, ref: str) -> ColumnSpec:
        """The column spec of a cell reference; `ReportError` if the format has no such cell."""
        table, row, col = _split_ref(ref)
        for block in self.table(table).blocks:
            if any(r.code == row and r.has_data_cells for r in block.rows):
                for c in block.columns:
                    if c.code == col:
                        return c
        raise ReportError(
            f"格式{self.format_id}没有单元格“{ref}”",
            f"format {self.format_id} has no cell {ref!r}",
            field=ref,
            code="report.unknown_cell",
        )

    def label(self, ref: str) -> str:
        """A readable label for a cell, e.g. ``表三 一、本年新收政府信息公开申请数量 / 自然人``."""
        table, row, _ = _split_ref(ref)
        col = self.column(ref)
        spec = self.table(table)
        row_spec = spec.row(row)
        row_label = row_spec.label or ""
        # 三's numbered sub-rows (1.属于国家秘密) only make sense with their group label.
        if row_spec.parent is not None and row_spec.parent != "R3":
            row_label = f"{spec.row(row_spec.parent).label}{row_label}"
        col_label = "/".join(x for x in (col.top_group, col.group, col.label) if x)
        number = {"T2": "二", "T3": "三", "T4": "四"}.get(table, table)
        return f"表{number} {row_label} {col_label}".replace("  ", " ").strip()


def _split_ref(ref: str) -> tuple[str, str, str]:
    parts = ref.split(".")
    if len(parts) != 3 or not all(parts):
        raise ReportError(
            f"单元格引用“{ref}”格式错误，应为 表.行.列（如 T3.R1.natural_person）",
            f"cell reference {ref!r} is malformed; expected TABLE.ROW.COLUMN "
            "(e.g. T3.R1.natural_person)",
            field=ref,
            code="report.bad_ref",
        )
    return parts[0], parts[1], parts[2]


def known_formats() -> tuple[str, ...]:
    """The ids of the shipped formats, oldest first."""
    return tuple(_FILES)


def format_by_id(format_id: str) -> ReportFormat:
    """The shipped format with that id; `ReportError` listing the known ids otherwise."""
    if format_id not in _FILES:
        known = ", ".join(_FILES)
        raise ReportError(
            f"未知的年报格式“{format_id}”，已知格式：{known}",
            f"unknown annual-report format {format_id!r}; known formats: {known}",
            field="format_id",
            code="report.unknown_format",
        )
    return _load(format_id)


def format_for_year(year: int) -> ReportFormat:
    """The format a report for ``year`` must use (law/facts.md §2.1).

    Years before 2019 have no uniform format under the 2019 条例 (the 2008 条例 第三十二条
    listed contents only); they raise `ReportError` — see `govdisclose.report.legacy` for
    mapping their statistics.
    """
    for fid in reversed(tuple(_FILES)):
        fmt = _load(fid)
        if fmt.covers(year):
            return fmt
    raise ReportError(
        f"{year}年度没有统一的年报格式：2019年（试行）格式自2019年度起适用，"
        "更早年度请用 legacy 映射",
        f"no uniform annual-report format for report year {year}: the 2019 trial format applies "
        "from report year 2019; map earlier statistics with govdisclose.report.legacy",
        field="year",
        code="report.no_format",
    )


@functools.cache
def _load(format_id: str) -> ReportFormat:
    text = (
        resources.files("govdisclose.report")
        .joinpath("data", _FILES[format_id])
        .read_text(encoding="utf-8")
    )
    return _parse(json.loads(text))


def _column(d: Mapping[str, Any]) -> ColumnSpec:
    return ColumnSpec(
        code=d["code"],
        label=d["label"],
        group=d.get("group"),
        top_group=d.get("top_group"),
        unit=d.get("unit"),
        decimal=bool(d.get("decimal", False)),
        signed=bool(d.get("signed", False)),
    )


def _row(d: Mapping[str, Any]) -> RowSpec:
    basis = d.get("regulation_basis_2019")
    return RowSpec(
        code=d["code"],
        label=d.get("label"),
        parent=d.get("parent"),
        has_data_cells=bool(d.get("has_data_cells", True)),
        note=d.get("note"),
        regulation_basis=basis,
    )


def _table(d: Mapping[str, Any]) -> TableSpec:
    if "blocks" in d:
        blocks = tuple(
            BlockSpec(
                code=b["code"],
                heading=b.get("heading"),
                row_header=b.get("row_header"),
                rows=tuple(_row(r) for r in b["rows"]),
                columns=tuple(_column(c) for c in b["columns"]),
            )
            for b in d["blocks"]
        )
    else:
        blocks = (
            BlockSpec(
                code=d["code"],
                heading=None,
                row_header=None,
                rows=tuple(_row(r) for r in d["rows"]),
                columns=tuple(_column(c) for c in d["columns"]),
            ),
        )
    top = d.get("column_header_top")
    return TableSpec(
        code=d["code"],
        section=d["section"],
        blocks=blocks,
        layout=d.get("layout"),
        corner_note=d.get("corner_note"),
        column_header_top=top if isinstance(top, str) else None,
        leaf_result_rows=tuple(d.get("leaf_result_rows", ())),
    )


def _parse(d: Mapping[str, Any]) -> ReportFormat:
    differences = d.get("differences_from_2019_format") or d.get("differences_from_2021_format")
    return ReportFormat(
        format_id=d["format_id"],
        title=d["title"],
        issued_by=d["issued_by"],
        document_number=d["document_number"],
        legal_basis=d["legal_basis"],
        first_report_year=int(d["first_report_year"]),
        last_report_year=d.get("last_report_year"),
        sections=tuple(
            SectionSpec(
                code=s["code"],
                number=s["number"],
                title=s["title"],
                kind=s["kind"],
                table=s.get("table"),
            )
            for s in d["sections"]
        ),
        tables=tuple(_table(t) for t in d["tables"]),
        rules=tuple(
            RuleSpec(
                id=r["id"],
                table=r["table"],
                source=r["source"],
                severity=r["severity"],
                description=r["description"],
                expr=r["expr"],
                for_each=tuple((k, tuple(v)) for k, v in r.get("for_each", {}).items()),
            )
            for r in d["rules"]
        ),
        differences=tuple(differences or ()),
    )
