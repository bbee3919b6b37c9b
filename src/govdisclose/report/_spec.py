"""What the renderers and the reader need to know about a report format, in one flat shape.

Derived from `govdisclose.report.format.ReportFormat` (the shipped format data), so a new
format version is a data change, not a code change.
"""

from __future__ import annotations

import functools

import attrs

from govdisclose.report.format import ColumnSpec, ReportFormat, SectionSpec

__all__ = ["LayoutSpec", "T2BlockSpec", "T3RowSpec", "T4GroupSpec", "spec_for"]


@attrs.frozen
class T2BlockSpec:
    """One stacked block of table 二 (``第二十条第（一）项`` …); columns/rows as (code, label)."""

    code: str
    heading: str
    row_header: str
    columns: tuple[tuple[str, str], ...]
    rows: tuple[tuple[str, str], ...]


@attrs.frozen
class T3RowSpec:
    """One row of table 三; group rows (``has_data_cells`` false) only label their sub-rows."""

    code: str
    label: str
    parent: str | None
    has_data_cells: bool


@attrs.frozen
class T4GroupSpec:
    """A column group of table 四: 行政复议 (columns) or 行政诉讼 (sub-groups of columns)."""

    label: str
    columns: tuple[tuple[str, str], ...] = ()
    subgroups: tuple[T4GroupSpec, ...] = ()


@attrs.frozen
class LayoutSpec:
    """Sections, table blocks, rows and columns of one report format."""

    format_id: str
    sections: tuple[SectionSpec, ...]
    t2_blocks: tuple[T2BlockSpec, ...]
    t3_corner: str
    t3_top: str
    t3_group_label: str
    t3_columns: tuple[tuple[str, str, str | None], ...]
    t3_rows: tuple[T3RowSpec, ...]
    t4_groups: tuple[T4GroupSpec, ...]
    decimal_refs: frozenset[str] = frozenset()
    signed_refs: frozenset[str] = frozenset()

    @property
    def t4_column_codes(self) -> tuple[str, ...]:
        """Table 四 column codes in printed order."""
        codes: list[str] = []
        for group in self.t4_groups:
            for sub in group.subgroups or (group,):
                codes.extend(code for code, _ in sub.columns)
        return tuple(codes)

    @property
    def t3_data_rows(self) -> tuple[T3RowSpec, ...]:
        """Table 三 rows that carry numbers, in printed order."""
        return tuple(row for row in self.t3_rows if row.has_data_cells)

    def refs(self) -> tuple[str, ...]:
        """Every data cell reference of the three tables, in printed order."""
        out = [
            f"T2.{row}.{col}"
            for block in self.t2_blocks
            for row, _ in block.rows
            for col, _ in block.columns
        ]
        out.extend(
            f"T3.{row.code}.{code}" for row in self.t3_data_rows for code, _, _ in self.t3_columns
        )
        out.extend(f"T4.R1.{code}" for code in self.t4_column_codes)
        return tuple(out)


def _pairs(columns: tuple[ColumnSpec, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((col.code, col.label) for col in columns)


def _t4_groups(columns: tuple[ColumnSpec, ...]) -> tuple[T4GroupSpec, ...]:
    # Columns are listed in printed order; consecutive columns sharing a top group form one
    # spanning header, and inside it consecutive columns sharing a sub-group form another.
    tops: list[tuple[str, list[ColumnSpec]]] = []
    for col in columns:
        top = col.top_group or col.group or ""
        if not tops or tops[-1][0] != top:
            tops.append((top, []))
        tops[-1][1].append(col)
    groups: list[T4GroupSpec] = []
    for top, members in tops:
        subs: list[tuple[str, list[ColumnSpec]]] = []
        for col in members:
            sub = col.group or top
            if not subs or subs[-1][0] != sub:
                subs.append((sub, []))
            subs[-1][1].append(col)
        if len(subs) == 1 and subs[0][0] == top:
            groups.append(T4GroupSpec(top, columns=_pairs(tuple(members))))
        else:
            groups.append(
                T4GroupSpec(
                    top,
                    subgroups=tuple(T4GroupSpec(s, columns=_pairs(tuple(c))) for s, c in subs),
                )
            )
    return tuple(groups)


@functools.cache
def spec_for(fmt: ReportFormat) -> LayoutSpec:
    """The layout of a report format (cached per format; formats are frozen)."""
    t2 = fmt.table("T2")
    t3 = fmt.table("T3")
    t4 = fmt.table("T4")
    blocks = tuple(
        T2BlockSpec(
            code=block.code,
            heading=block.heading or "",
            row_header=block.row_header or "信息内容",
            columns=_pairs(block.columns),
            rows=tuple((row.code, row.label or "") for row in block.rows),
        )
        for block in t2.blocks
    )
    t3_columns = tuple((col.code, col.label, col.group) for col in t3.columns)
    group_label = next((col.group for col in t3.columns if col.group), "法人或其他组织")
    t3_rows = tuple(
        T3RowSpec(row.code, row.label or "", row.parent, row.has_data_cells) for row in t3.rows
    )
    return LayoutSpec(
        format_id=fmt.format_id,
        sections=fmt.sections,
        t2_blocks=blocks,
        t3_corner=t3.corner_note or "",
        t3_top=t3.column_header_top or "申请人情况",
        t3_group_label=group_label,
        t3_columns=t3_columns,
        t3_rows=t3_rows,
        t4_groups=_t4_groups(t4.columns),
        decimal_refs=frozenset(ref for ref in fmt.cell_refs() if fmt.column(ref).decimal),
        signed_refs=frozenset(ref for ref in fmt.cell_refs() if fmt.column(ref).signed),
    )
