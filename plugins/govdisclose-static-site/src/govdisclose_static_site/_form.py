"""The application form (政府信息公开申请表): one set of fields for the printable page and the
downloadable Word file, so that the two never differ.

The fields are what 条例 2019 第二十九条 asks an application to contain: the applicant's name
or title, proof of identity and contact details; the name, 文号 or another description of the
information sought; the form in which it is wanted and how it is to be received. The .docx
follows the house style of the letters (`govdisclose._docx`, GB/T 9704-2012): A4 with its
margins, the title in 小标宋 2号, the text in 仿宋 and the tables in 宋体, the Chinese fonts in
the ``eastAsia`` slot, and bytes that depend on the content only (fixed document dates and
package timestamps), so that building the site twice gives the same file.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time
from typing import Any

from attrs import frozen

from govdisclose._docx import LATIN_FONT, a4_page, set_fonts, stable_zip
from govdisclose._install import install_hint
from govdisclose_static_site.errors import StaticSiteError
from govdisclose_static_site.text import clean as printable

__all__ = ["FORM", "FORM_DOCX", "FORM_TITLE", "FormRow", "FormSection", "render_form_docx"]

#: The form's title, the page's h1 and the document's.
FORM_TITLE = "政府信息公开申请表"
#: Where the Word file is, relative to the site's root.
FORM_DOCX = "guide/form.docx"


@frozen
class FormRow:
    """A field: its label, what is printed in the blank (tick boxes), whether it is tall."""

    label: str
    printed: str = ""
    tall: bool = False


@frozen
class FormSection:
    """A table of the form with its caption."""

    caption: str
    rows: tuple[FormRow, ...]


FORM: tuple[FormSection, ...] = (
    FormSection(
        "申请人信息（公民填写）",
        (
            FormRow("姓名"),
            FormRow("证件名称及号码"),
            FormRow("工作单位"),
            FormRow("联系电话"),
            FormRow("通信地址及邮政编码"),
            FormRow("电子邮箱"),
        ),
    ),
    FormSection(
        "申请人信息（法人或者其他组织填写）",
        (
            FormRow("名称"),
            FormRow("统一社会信用代码"),
            FormRow("法定代表人或负责人"),
            FormRow("联系人及电话"),
            FormRow("通信地址及邮政编码"),
            FormRow("电子邮箱"),
        ),
    ),
    FormSection(
        "所需政府信息",
        (
            FormRow("信息的名称、文号或者便于查询的其他特征性描述", tall=True),
            FormRow("信息的形式要求", "□ 纸质文本　□ 电子文件　□ 其他："),
            FormRow("获取信息的方式", "□ 邮寄　□ 电子邮件　□ 传真　□ 自行领取　□ 当场查阅、抄录"),
        ),
    ),
    FormSection(
        "申请人签名（盖章）",
        (FormRow("签名或盖章"), FormRow("申请日期", "　　　　年　　月　　日")),
    ),
)

_TITLE_FONT = "方正小标宋简体"
_TEXT_FONT = "仿宋"
_TABLE_FONT = "宋体"
_HEAD_FONT = "黑体"
_TITLE_PT = 22.0  # 2号
_TEXT_PT = 12.0  # 小四: a form is filled in by hand, its notes are not 公文 text
_TABLE_PT = 10.5  # 5号, as the letters' tables
_LABEL_MM = 44  # the label column; the 156 mm 版心 leaves 112 mm to write in
_ROW_MM = 7  # room to write by hand; with the tall row the form fits one A4 page
_TALL_MM = 26
_HEAD_FILL = "E7E6E6"  # the caption rows lightly shaded, as printed forms have them


def _docx() -> Any:
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        hint_zh, hint_en = install_hint("python-docx", "docx")
        raise StaticSiteError(
            f"生成 Word 申请表需要 python-docx。{hint_zh}",
            f"the Word application form needs python-docx; {hint_en}",
            code="static_site.docx_missing",
        ) from exc
    return docx


def render_form_docx(*, agency: str, lead: str, note: str, dated: date) -> bytes:
    """The form as the bytes of a .docx file: the title, the receiving agency, ``lead`` (how
    to fill it in), the four tables of `FORM`, ``note`` (the time limit to reply); ``dated``
    is the document's date (the guide's), so that the bytes depend on the content only."""
    docx = _docx()
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = docx.Document()
    for section in doc.sections:
        a4_page(section, Mm)
    # python-docx's template takes East Asian text from a ja-JP theme font: the defaults name
    # the Chinese fonts instead (as the letters do), so that text typed into a cell is 宋体.
    r_pr = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    fonts = r_pr.get_or_add_rFonts()
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), _TABLE_FONT)
    r_pr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(_TEXT_PT)
    set_fonts(normal.element, _TABLE_FONT, qn)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = 0

    def paragraph(text: str, font: str, size: float, *, align: Any = None, after: float = 0) -> Any:
        par = doc.add_paragraph()
        if align is not None:
            par.alignment = align
        par.paragraph_format.space_after = Pt(after)
        run = par.add_run(printable(text))
        run.font.size = Pt(size)
        set_fonts(run._element, font, qn)
        return par

    paragraph(FORM_TITLE, _TITLE_FONT, _TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    paragraph(f"受理机关：{agency}", _TEXT_FONT, _TEXT_PT, after=3)
    paragraph(lead, _TEXT_FONT, _TEXT_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6)
    rows = sum(1 + len(s.rows) for s in FORM)
    table = doc.add_table(rows=rows, cols=2)
    table.style = "Table Grid"
    table.autofit = False
    widths = (Mm(_LABEL_MM), Mm(156 - _LABEL_MM))
    at = 0
    for section in FORM:
        head = table.rows[at]
        head.height = Mm(_ROW_MM)
        head.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        cell = head.cells[0].merge(head.cells[1])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        shade = OxmlElement("w:shd")
        shade.set(qn("w:val"), "clear")
        shade.set(qn("w:color"), "auto")
        shade.set(qn("w:fill"), _HEAD_FILL)
        cell._tc.get_or_add_tcPr().append(shade)
        run = cell.paragraphs[0].add_run(printable(section.caption))
        run.font.size = Pt(_TABLE_PT)
        run.font.bold = True
        set_fonts(run._element, _HEAD_FONT, qn)
        at += 1
        for field in section.rows:
            row = table.rows[at]
            row.height = Mm(_TALL_MM if field.tall else _ROW_MM)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            for i, text in enumerate((field.label, field.printed)):
                cell = row.cells[i]
                cell.width = widths[i]
                cell.vertical_alignment = (
                    WD_CELL_VERTICAL_ALIGNMENT.TOP
                    if field.tall and i == 1
                    else WD_CELL_VERTICAL_ALIGNMENT.CENTER
                )
                if text:
                    run = cell.paragraphs[0].add_run(printable(text))
                    run.font.size = Pt(_TABLE_PT)
                    set_fonts(run._element, _TABLE_FONT, qn)
            at += 1
    for row in table.rows:
        # A row is never split between two pages.
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    # The column widths also in the grid: LibreOffice and WPS read those.
    for col, width in zip(table.columns, widths, strict=True):
        col.width = width
    closing = paragraph(note, _TEXT_FONT, _TEXT_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    closing.paragraph_format.space_before = Pt(6)
    props = doc.core_properties
    props.title = FORM_TITLE
    props.subject = "《中华人民共和国政府信息公开条例》第二十九条"
    props.author = props.last_modified_by = printable(agency)
    props.language = "zh-CN"
    props.created = props.modified = datetime.combine(dated, time())
    props.revision = 1
    # python-docx's template carries a thumbnail of another document: a file manager would
    # show it as this form's preview.
    package_rels = doc.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/metadata/thumbnail"):
            del package_rels[rel_id]
    out = io.BytesIO()
    doc.save(out)
    return stable_zip(out.getvalue())
