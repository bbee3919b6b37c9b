"""The annual report as a Word document (.docx): the printed copy that is signed and sealed.

Reports go upward on paper signed by the unit head and as an electronic copy
(users-and-formats.md §1.3), so the document follows 公文 habits: A4 portrait with the
GB/T 9704 margins, title in 宋体 二号, section headings in 黑体 三号, body in 仿宋 三号 with a
two-character first-line indent, tables in 宋体 with borders and the official merged cells
(the same layout as `govdisclose.report.render_html`). Chinese fonts are set for the
``eastAsia`` slot of every run (``w:rFonts``), which Word and WPS use for CJK text; the
document language is zh-CN.

Needs python-docx, the optional extra ``docx`` (``pip install "govdisclose[docx]"``); it is
imported on first use, so the rest of the library works without it.
"""

from __future__ import annotations

import io
from types import ModuleType
from typing import Any

from govdisclose._docx import MARGINS_MM as _MARGINS_MM, a4_page, set_fonts as _fonts, stable_zip
from govdisclose._install import install_hint
from govdisclose.errors import ReportError
from govdisclose.report._layout import LTable, format_value, tables
from govdisclose.report._report_text import ReportLike, paragraphs, report_title, spec_of

__all__ = ["DocxRenderer", "render_docx"]

_BODY_FONT = "仿宋"
_HEADING_FONT = "黑体"
_TITLE_FONT = "宋体"
_TABLE_FONT = "宋体"

# Column widths in mm; the text block of an A4 page with the GB/T 9704 margins is 156 mm wide.
_T2_WIDTHS = (36.0, 40.0, 40.0, 40.0)
_T3_LABEL_WIDTHS = (10.0, 22.0, 40.0)


def _import_docx() -> ModuleType:
    try:
        import docx
    except ImportError as exc:
        hint_zh, hint_en = install_hint("python-docx", "docx")
        raise ReportError(
            f"生成 Word 文档需要 python-docx。{hint_zh}",
            f"rendering .docx needs python-docx; {hint_en}",
            code="report.docx_missing",
        ) from exc
    return docx


class _Writer:
    def __init__(self, docx: ModuleType) -> None:
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        self.Mm, self.Pt, self.qn, self.OxmlElement = Mm, Pt, qn, OxmlElement
        self.align = WD_ALIGN_PARAGRAPH
        self.valign = WD_CELL_VERTICAL_ALIGNMENT
        from docx.enum.style import WD_STYLE_TYPE
        from docx.oxml.simpletypes import ST_Merge
        from docx.table import _Cell

        self.cell_type = _Cell
        self.merge_restart, self.merge_continue = ST_Merge.RESTART, ST_Merge.CONTINUE
        self.style_type = WD_STYLE_TYPE
        self.doc = docx.Document()
        self._page()
        self._styles()

    def _page(self) -> None:
        for section in self.doc.sections:
            a4_page(section, self.Mm)

    def _styles(self) -> None:
        normal = self.doc.styles["Normal"]
        normal.font.size = self.Pt(16)
        _fonts(normal.element, _BODY_FONT, self.qn)
        lang = self.OxmlElement("w:lang")
        lang.set(self.qn("w:val"), "en-US")
        lang.set(self.qn("w:eastAsia"), "zh-CN")
        normal.element.get_or_add_rPr().append(lang)
        # Table text as paragraph styles: one definition instead of formatting every cell.
        self.table_styles: dict[float, Any] = {}
        for size in (10.5, 9):
            style = self.doc.styles.add_style(f"GD 表格文字 {size:g}pt", self.style_type.PARAGRAPH)
            style.base_style = normal
            style.font.size = self.Pt(size)
            _fonts(style.element, _TABLE_FONT, self.qn)
            fmt = style.paragraph_format
            fmt.first_line_indent = 0
            fmt.line_spacing = 1.0
            fmt.space_before = fmt.space_after = 0
            self.table_styles[size] = style

    def run(self, paragraph: Any, text: str, *, font: str, size: float, bold: bool = False) -> None:
        run = paragraph.add_run(text)
        run.font.size = self.Pt(size)
        run.font.bold = bold
        _fonts(run._element, font, self.qn)

    def title(self, text: str) -> None:
        par = self.doc.add_paragraph()
        par.alignment = self.align.CENTER
        par.paragraph_format.space_after = self.Pt(16)
        self.run(par, text, font=_TITLE_FONT, size=22, bold=True)

    def heading(self, text: str) -> None:
        # Built-in heading styles keep the document outline (navigation pane, TOC) working;
        # their theme fonts and colours are replaced by the 公文 ones on the run.
        par = self.doc.add_paragraph(style="Heading 2")
        par.paragraph_format.first_line_indent = self.Pt(32)
        par.paragraph_format.space_before = self.Pt(8)
        par.paragraph_format.space_after = self.Pt(4)
        self.run(par, text, font=_HEADING_FONT, size=16)
        for run in par.runs:
            run.font.color.rgb = None
            run.font.italic = False

    def body(self, text: str) -> None:
        for line in paragraphs(text):
            par = self.doc.add_paragraph()
            par.paragraph_format.first_line_indent = self.Pt(32)
            par.paragraph_format.line_spacing = self.Pt(28)
            self.run(par, line, font=_BODY_FONT, size=16)

    def table(self, table: LTable, report: ReportLike, widths: tuple[float, ...]) -> None:
        style = self.table_styles[10.5 if table.width <= 4 else 9]
        grid = self.doc.add_table(rows=len(table.rows), cols=table.width)
        grid.style = "Table Grid"
        grid.autofit = False
        # Merges are written straight into the XML (gridSpan across, vMerge down, the covered
        # <w:tc> of a row removed), from the element list taken once: python-docx's
        # Table.cell() and _Cell.merge() re-walk the whole table on every call, which costs
        # seconds for table 三.
        tcs = [list(tr.tc_lst) for tr in grid._tbl.tr_lst]
        for r, c, cell in table.placed():
            width = self.Mm(sum(widths[c : c + cell.colspan]))
            for dr in range(cell.rowspan):
                row = tcs[r + dr]
                first = row[c]
                props = first.get_or_add_tcPr()
                props.grid_span = cell.colspan
                for covered in row[c + 1 : c + cell.colspan]:
                    first.getparent().remove(covered)
                if cell.rowspan > 1:
                    props.vMerge_val = self.merge_restart if dr == 0 else self.merge_continue
                props.width = width
                props.vAlign_val = self.valign.CENTER
            text = format_value(report.cell(cell.ref)) if cell.ref is not None else cell.text
            par = self.cell_type(tcs[r][c], grid).paragraphs[0]
            # The style id straight into w:pStyle; Paragraph.style looks it up among all styles.
            par._p.get_or_add_pPr().style = style.style_id
            label = cell.ref is None and not cell.header
            par.alignment = self.align.LEFT if label else self.align.CENTER
            if text:
                par.add_run(text).bold = cell.header or None
        if table.code in ("T3", "T4"):
            # Repeat the header rows when the table runs onto the next page.
            for row in grid.rows[:3]:
                marker = self.OxmlElement("w:tblHeader")
                row._tr.get_or_add_trPr().append(marker)
        self.doc.add_paragraph()

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return stable_zip(out.getvalue())


def _widths(table: LTable) -> tuple[float, ...]:
    text_width = 210 - _MARGINS_MM["left"] - _MARGINS_MM["right"]
    if table.code == "T2":
        return _T2_WIDTHS
    if table.code == "T3":
        rest = (text_width - sum(_T3_LABEL_WIDTHS)) / (table.width - 3)
        return (*_T3_LABEL_WIDTHS, *([rest] * (table.width - 3)))
    return tuple([text_width / table.width] * table.width)


def render_docx(report: ReportLike) -> bytes:
    """The whole report as the bytes of a .docx file.

    Raises `ReportError` (code ``report.docx_missing``) if python-docx is not installed.
    """
    writer = _Writer(_import_docx())
    spec = spec_of(report)
    built = tables(spec)
    texts = {"S1": report.overview, "S5": report.problems, "S6": report.other_matters}
    writer.title(report_title(report))
    writer.body(report.preamble)
    for section in spec.sections:
        writer.heading(section.heading)
        if section.table is not None:
            table = built[section.table]
            writer.table(table, report, _widths(table))
        else:
            writer.body(texts.get(section.code) or "")
    writer.doc.core_properties.title = report_title(report)
    writer.doc.core_properties.language = "zh-CN"
    return writer.to_bytes()


class DocxRenderer:
    """`ReportRenderer` for Word .docx (needs the ``docx`` extra)."""

    format = "docx"
    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def render(self, report: ReportLike) -> bytes:
        """The bytes of `render_docx`."""
        return render_docx(report)
