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
import zipfile
from types import ModuleType
from typing import Any

from govdisclose.errors import ReportError
from govdisclose.report._layout import LTable, format_value, tables
from govdisclose.report._report_text import ReportLike, paragraphs, report_title, spec_of

__all__ = ["DocxRenderer", "render_docx"]

_BODY_FONT = "仿宋"
_HEADING_FONT = "黑体"
_TITLE_FONT = "宋体"
_TABLE_FONT = "宋体"
_LATIN_FONT = "Times New Roman"

# Column widths in mm; the text block of an A4 page with these margins is 156 mm wide.
_MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
_T2_WIDTHS = (36.0, 40.0, 40.0, 40.0)
_T3_LABEL_WIDTHS = (10.0, 22.0, 40.0)


def _import_docx() -> ModuleType:
    try:
        import docx
    except ImportError as exc:
        raise ReportError(
            '生成 Word 文档需要 python-docx：pip install "govdisclose[docx]"',
            'rendering .docx needs python-docx: pip install "govdisclose[docx]"',
            code="report.docx_missing",
        ) from exc
    return docx


def _fonts(rpr_owner: Any, east_asia: str, qn: Any) -> None:
    """Set the Latin and the East Asian font of a run or a style."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:ascii"), _LATIN_FONT)
    fonts.set(qn("w:hAnsi"), _LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)


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
        self.doc = docx.Document()
        self._page()
        self._styles()

    def _page(self) -> None:
        for section in self.doc.sections:
            section.page_width = self.Mm(210)
            section.page_height = self.Mm(297)
            section.top_margin = self.Mm(_MARGINS_MM["top"])
            section.bottom_margin = self.Mm(_MARGINS_MM["bottom"])
            section.left_margin = self.Mm(_MARGINS_MM["left"])
            section.right_margin = self.Mm(_MARGINS_MM["right"])

    def _styles(self) -> None:
        normal = self.doc.styles["Normal"]
        normal.font.size = self.Pt(16)
        _fonts(normal.element, _BODY_FONT, self.qn)
        lang = self.OxmlElement("w:lang")
        lang.set(self.qn("w:val"), "en-US")
        lang.set(self.qn("w:eastAsia"), "zh-CN")
        normal.element.get_or_add_rPr().append(lang)

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
        size = 10.5 if table.width <= 4 else 9
        grid = self.doc.add_table(rows=len(table.rows), cols=table.width)
        grid.style = "Table Grid"
        grid.autofit = False
        # Look the cells up once: Table.cell(r, c) rebuilds the whole cell list on every call,
        # which makes a 28 x 10 table take seconds. Widths go on before merging; a merge adds
        # up the widths of the cells it absorbs.
        slots = list(grid._cells)
        for i, slot in enumerate(slots):
            slot.width = self.Mm(widths[i % table.width])
        for r, c, cell in table.placed():
            target = slots[r * table.width + c]
            if cell.rowspan > 1 or cell.colspan > 1:
                last = (r + cell.rowspan - 1) * table.width + c + cell.colspan - 1
                target = target.merge(slots[last])
            text = format_value(report.cell(cell.ref)) if cell.ref is not None else cell.text
            target.vertical_alignment = self.valign.CENTER
            par = target.paragraphs[0]
            label = cell.ref is None and not cell.header
            par.alignment = self.align.LEFT if label else self.align.CENTER
            par.paragraph_format.first_line_indent = 0
            par.paragraph_format.line_spacing = 1.0
            if text:
                self.run(par, text, font=_TABLE_FONT, size=size, bold=cell.header)
        if table.code in ("T3", "T4"):
            # Repeat the header rows when the table runs onto the next page.
            for row in grid.rows[:3]:
                marker = self.OxmlElement("w:tblHeader")
                row._tr.get_or_add_trPr().append(marker)
        self.doc.add_paragraph()

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return _stable_zip(out.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The same package with fixed member timestamps, so equal reports give equal bytes
    (archives, caches and signatures of the printed report can then be compared)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


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
