"""The annual report as readable Markdown (GitHub tables), for review, diffs and wikis.

Markdown tables cannot merge cells, so the official layout is flattened without losing a cell:
table 二 is one small table per 第二十条 block; table 三 keeps its 25 data rows with the group
rows （三）…（六） as label-only rows and their sub-rows indented; table 四 is transposed into
three rows (行政复议, and 行政诉讼 未经复议直接起诉 / 复议后起诉) of five columns. The six
sections come in the format's order (一、总体情况 … 六、其他需要报告的事项). Blank cells stay blank.
For the official merged-cell layout use `govdisclose.report.render_html` or ``render_docx``.
"""

from __future__ import annotations

from collections.abc import Sequence

from govdisclose.report._layout import format_value
from govdisclose.report._report_text import ReportLike, paragraphs, report_title, spec_of
from govdisclose.report._spec import LayoutSpec

__all__ = ["MarkdownRenderer", "render_markdown"]

# Full-width spaces survive Markdown rendering (ASCII spaces at the start of a cell do not).
_INDENT = "\u3000\u3000"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(_escape(h) for h in header) + " |"]
    # Label column left-aligned, number columns right-aligned.
    lines.append("| " + " | ".join([":---"] + ["---:"] * (len(header) - 1)) + " |")
    lines.extend("| " + " | ".join(_escape(c) for c in row) + " |" for row in rows)
    return lines


def _t2(spec: LayoutSpec, report: ReportLike) -> list[str]:
    out: list[str] = []
    for block in spec.t2_blocks:
        out.append(f"**{block.heading}**")
        out.append("")
        rows = [
            [label, *(format_value(report.cell(f"T2.{code}.{col}")) for col, _ in block.columns)]
            for code, label in block.rows
        ]
        out.extend(_table([block.row_header, *(label for _, label in block.columns)], rows))
        out.append("")
    return out


def _t3(spec: LayoutSpec, report: ReportLike) -> list[str]:
    columns = spec.t3_columns
    grouped = "、".join(label for _, label, group in columns if group is not None)
    out = [
        f"{spec.t3_top}：{spec.t3_group_label}包括{grouped}。{spec.t3_corner}",
        "",
    ]
    depth: dict[str, int] = {}
    rows: list[list[str]] = []
    for row in spec.t3_rows:
        level = 0 if row.parent is None else depth.get(row.parent, 0) + 1
        depth[row.code] = level
        label = _INDENT * level + row.label
        if row.has_data_cells:
            cells = [format_value(report.cell(f"T3.{row.code}.{code}")) for code, _, _ in columns]
        else:
            cells = [""] * len(columns)
            label = _INDENT * level + f"**{row.label}**"
        rows.append([label, *cells])
    out.extend(_table(["", *(label for _, label, _ in columns)], rows))
    out.append("")
    return out


def _t4(spec: LayoutSpec, report: ReportLike) -> list[str]:
    header: list[str] = []
    rows: list[list[str]] = []
    for group in spec.t4_groups:
        for sub in group.subgroups or (group,):
            name = group.label if sub is group else f"{group.label}（{sub.label}）"
            if not header:
                header = ["", *(label for _, label in sub.columns)]
            rows.append(
                [name, *(format_value(report.cell(f"T4.R1.{code}")) for code, _ in sub.columns)]
            )
    return [*_table(header, rows), ""]


def render_markdown(report: ReportLike) -> str:
    """The whole report as Markdown text (title, preamble, sections 一 to 六 in order)."""
    spec = spec_of(report)
    texts = {"S1": report.overview, "S5": report.problems, "S6": report.other_matters}
    tables = {"T2": _t2, "T3": _t3, "T4": _t4}
    out = [f"# {report_title(report)}", ""]
    for par in paragraphs(report.preamble):
        out.extend((par, ""))
    for section in spec.sections:
        out.extend((f"## {section.heading}", ""))
        if section.table is not None:
            out.extend(tables[section.table](spec, report))
        else:
            for par in paragraphs(texts.get(section.code) or ""):
                out.extend((par, ""))
    return "\n".join(out).rstrip("\n") + "\n"


class MarkdownRenderer:
    """`ReportRenderer` for Markdown."""

    format = "markdown"
    media_type = "text/markdown; charset=utf-8"

    def render(self, report: ReportLike) -> bytes:
        """UTF-8 bytes of `render_markdown`."""
        return render_markdown(report).encode("utf-8")
