"""The official table layouts (merged cells included) as data, for the HTML and Word renderers.

Each table is a list of rows; each row lists only the cells that start in it, like HTML: a cell
with ``rowspan``/``colspan`` covers the slots below/right of it. A data cell carries the cell
reference (``T3.R1.natural_person``) whose value goes in it.

The shapes follow the format notice as printed on government sites (国办公开办函〔2021〕30号,
and 〔2019〕60号 for the trial format): see ``law/facts.md`` §2.3-2.5.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

import attrs

from govdisclose.report._spec import LayoutSpec, T2BlockSpec

__all__ = ["LCell", "LTable", "format_value", "table2", "table3", "table4", "tables"]


@attrs.frozen
class LCell:
    """One cell as it starts in its row; ``ref`` is set on data cells only."""

    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    ref: str | None = None


@attrs.frozen
class LTable:
    """One official table: ``code`` (``T2``/``T3``/``T4``), width in columns, rows of cells."""

    code: str
    width: int
    rows: tuple[tuple[LCell, ...], ...]

    def placed(self) -> Iterator[tuple[int, int, LCell]]:
        """Every cell with the grid row and column of its top-left slot (HTML's algorithm:
        a cell goes to the first column of its row not covered by a span from above)."""
        covered: set[tuple[int, int]] = set()
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in covered:
                    c += 1
                yield r, c, cell
                covered.update(
                    (r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan)
                )
                c += cell.colspan

    def data_refs(self) -> tuple[str, ...]:
        """The cell references in reading order."""
        return tuple(cell.ref for row in self.rows for cell in row if cell.ref is not None)


def format_value(value: int | Decimal | float | None) -> str:
    """A cell's printed text: blank stays blank (never ``0``); amounts keep their decimals."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("a report cell is a number, not a bool")
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        # Positional notation: str(Decimal("1E+1")) would print "1E+1" in a published table.
        return format(value, "f")
    return str(value)


def _t2_width(spec: LayoutSpec) -> int:
    return 1 + max(len(block.columns) for block in spec.t2_blocks)


def _t2_block(block: T2BlockSpec, width: int) -> list[tuple[LCell, ...]]:
    data_width = width - 1
    spans = [1] * len(block.columns)
    # A block with fewer columns than the table lets its last column absorb the rest (the
    # official （五）（六）（八） blocks merge their single value column across three).
    spans[-1] += data_width - len(block.columns)
    rows: list[tuple[LCell, ...]] = [
        (LCell(block.heading, colspan=width, header=True),),
        (
            LCell(block.row_header, header=True),
            *(
                LCell(label, colspan=span, header=True)
                for (_, label), span in zip(block.columns, spans, strict=True)
            ),
        ),
    ]
    for row_code, row_label in block.rows:
        rows.append(
            (
                LCell(row_label),
                *(
                    LCell(colspan=span, ref=f"T2.{row_code}.{col_code}")
                    for (col_code, _), span in zip(block.columns, spans, strict=True)
                ),
            )
        )
    return rows


def table2(spec: LayoutSpec) -> LTable:
    """二、主动公开政府信息情况: stacked blocks, each a heading row then a 信息内容 header row."""
    width = _t2_width(spec)
    rows: list[tuple[LCell, ...]] = []
    for block in spec.t2_blocks:
        rows.extend(_t2_block(block, width))
    return LTable("T2", width, tuple(rows))


def table3(spec: LayoutSpec) -> LTable:
    """三、收到和处理政府信息公开申请情况: 3 label columns, 3 header rows, 7 applicant columns."""
    columns = spec.t3_columns
    group_label = spec.t3_group_label
    grouped = [code for code, _, group in columns if group is not None]
    rows: list[tuple[LCell, ...]] = [
        (
            LCell(spec.t3_corner, rowspan=3, colspan=3, header=True),
            LCell(spec.t3_top, colspan=len(columns), header=True),
        )
    ]
    second: list[LCell] = []
    third: list[LCell] = []
    group_done = False
    for _, label, group in columns:
        if group is None:
            second.append(LCell(label, rowspan=2, header=True))
        else:
            if not group_done:
                second.append(LCell(group_label, colspan=len(grouped), header=True))
                group_done = True
            third.append(LCell(label, header=True))
    rows.extend((tuple(second), tuple(third)))

    def data(row_code: str) -> tuple[LCell, ...]:
        return tuple(LCell(ref=f"T3.{row_code}.{code}") for code, _, _ in columns)

    top_level = [row for row in spec.t3_rows if row.parent is None]
    for top in top_level:
        children = [row for row in spec.t3_rows if row.parent == top.code]
        if not children:
            rows.append((LCell(top.label, colspan=3), *data(top.code)))
            continue
        span = sum(max(1, len([r for r in spec.t3_rows if r.parent == c.code])) for c in children)
        first = True
        for child in children:
            leaves = [row for row in spec.t3_rows if row.parent == child.code]
            lead = (LCell(top.label, rowspan=span),) if first else ()
            first = False
            if not leaves:
                rows.append((*lead, LCell(child.label, colspan=2), *data(child.code)))
                continue
            for i, leaf in enumerate(leaves):
                group_cell = (LCell(child.label, rowspan=len(leaves)),) if i == 0 else ()
                rows.append(
                    (*(lead if i == 0 else ()), *group_cell, LCell(leaf.label), *data(leaf.code))
                )
    return LTable("T3", 3 + len(columns), tuple(rows))


def table4(spec: LayoutSpec) -> LTable:
    """四、政府信息公开行政复议、行政诉讼情况: 行政复议 5 columns, 行政诉讼 10 in two groups."""
    top: list[LCell] = []
    second: list[LCell] = []
    third: list[LCell] = []
    for group in spec.t4_groups:
        if group.subgroups:
            top.append(
                LCell(
                    group.label, colspan=sum(len(s.columns) for s in group.subgroups), header=True
                )
            )
            for sub in group.subgroups:
                second.append(LCell(sub.label, colspan=len(sub.columns), header=True))
                third.extend(LCell(label, header=True) for _, label in sub.columns)
        else:
            top.append(LCell(group.label, colspan=len(group.columns), header=True))
            second.extend(LCell(label, rowspan=2, header=True) for _, label in group.columns)
    refs = [f"T4.R1.{code}" for code in spec.t4_column_codes]
    data = tuple(LCell(ref=ref) for ref in refs)
    return LTable("T4", len(refs), (tuple(top), tuple(second), tuple(third), data))


def tables(spec: LayoutSpec) -> dict[str, LTable]:
    """The three tables keyed by code (``T2``, ``T3``, ``T4``)."""
    builders: tuple[Callable[[LayoutSpec], LTable], ...] = (table2, table3, table4)
    return {built.code: built for built in (build(spec) for build in builders)}
