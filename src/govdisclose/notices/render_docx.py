"""A letter to the applicant as a Word document (.docx) in the official document layout.

The layout is that of GB/T 9704-2012 党政机关公文格式, as the letters of a 政府信息公开 desk are
printed, sealed and sent (条例 2019 第三十条 requires the notices in writing, 书面告知):

* A4 portrait, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (6.2.1: the 156 x 225
  mm 版心);
* the title centred in 2号 (22 pt) 方正小标宋简体 (7.3.1), the 文号 line centred under it in
  3号 仿宋, then one blank line and the addressee (主送, 7.3.2) flush left with a full-width colon;
* the body in 3号 (16 pt) 仿宋 with a two-character first-line indent on a fixed 28.95 pt line,
  22 lines to the text block (6.2.2, 6.2.3, 7.3.3), the remedies as the body's last paragraph;
* the attachment note (附件说明, 7.3.4) one line below the body, two characters in:
  ``附件：name``, or ``附件：1. name`` and the later numbers under the first;
* the signature centred over the date, the date (成文日期 in arabic numerals, ``2026年12月3日``,
  7.3.5.4) four characters from the right margin (7.3.5.1), room above them for the seal;
* the page number ``— 1 —`` in 4号 宋体 7 mm under the text block, one character from the right
  on odd pages and from the left on even pages (7.5).

Fonts: the ``eastAsia`` slot of every run names the Chinese font (Word and WPS take CJK text from
it) and Times New Roman the Latin one. The font table names the substitute Word and WPS use where
a font is not installed: 宋体 for 方正小标宋简体 (a 方正 font government machines have, not
Windows), FangSong for 仿宋. LibreOffice ignores that table and substitutes through fontconfig
(with fonts-noto-cjk, Noto CJK). The package bytes depend on the notice only (the document's
dates are the 成文日期), so equal letters give equal files.

Needs python-docx, the optional extra ``docx`` (``pip install "govdisclose[docx]"``); it is
imported on first use, so the rest of the library works without it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime, time
from types import ModuleType
from typing import Any

from govdisclose._docx import LATIN_FONT, a4_page, set_fonts, stable_zip
from govdisclose._install import install_hint
from govdisclose.errors import GovDiscloseError
from govdisclose.notices._layout import (
    DATE_RIGHT_CHARS,
    addressee_line,
    attachment_lines,
    date_text,
    printable,
    signature_offset_chars,
)
from govdisclose.notices._letter import Notice

__all__ = ["MEDIA_TYPE", "render_bundle_docx", "render_docx"]

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_TITLE_FONT = "方正小标宋简体"
_BODY_FONT = "仿宋"
_PAGE_NUMBER_FONT = "宋体"

_HEADING_FONT = "黑体"
_TABLE_FONT = "宋体"
_TITLE_PT = 22.0  # 2号
_TABLE_PT = 10.5  # 5号
_BODY_PT = 16.0  # 3号: also the width of one character of indent
_PAGE_NUMBER_PT = 14.0  # 4号
_LINE_PT = 28.95  # 22 lines in the 225 mm (637.8 pt) text block: Word's "固定值 28.95 磅"
# 7.5: the page number line 7 mm under the text block (bottom margin 35 mm).
_FOOTER_FROM_BOTTOM_MM = 35 - 7

# Substitutes for Word and WPS where the named font is missing: (name, altName, charset, family,
# pitch); charset 86 is GB2312.
_FONT_TABLE = (
    (_TITLE_FONT, "宋体", "86", "roman", "variable"),
    (_BODY_FONT, "FangSong", "86", "modern", "fixed"),
    (_PAGE_NUMBER_FONT, "SimSun", "86", "auto", "variable"),
)


# The front matter's text parts: (font, size, alignment name, space before in pt).
_FRONT_TEXT: dict[str, tuple[str, float, str, float]] = {
    "title": (_TITLE_FONT, _TITLE_PT, "CENTER", 0.0),
    "heading": (_HEADING_FONT, _BODY_PT, "LEFT", _LINE_PT),
    "line": (_BODY_FONT, _BODY_PT, "LEFT", 0.0),
}


def _import_docx() -> ModuleType:
    try:
        import docx
    except ImportError as exc:
        hint_zh, hint_en = install_hint("python-docx", "docx")
        raise GovDiscloseError(
            f"生成 Word 文书需要 python-docx。{hint_zh}",
            f"rendering a .docx letter needs python-docx; {hint_en}",
            code="notices.docx_missing",
        ) from exc
    return docx


class _Letter:
    def __init__(self, docx: ModuleType) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        self.Mm, self.Pt, self.qn, self.OxmlElement = Mm, Pt, qn, OxmlElement
        self.align = WD_ALIGN_PARAGRAPH
        self.exactly = WD_LINE_SPACING.EXACTLY
        self.single = WD_LINE_SPACING.SINGLE
        self.doc = docx.Document()
        self._defaults()
        self._font_table()
        for section in self.doc.sections:
            a4_page(section, Mm)

    def _defaults(self) -> None:
        # python-docx's template takes East Asian text from the theme font of a ja-JP theme
        # (ＭＳ 明朝); the document defaults name the 公文 fonts instead, so text outside our
        # runs (an empty paragraph, a clerk's added line) is 仿宋 too.
        styles = self.doc.styles.element
        r_pr = styles.find(
            f"{self.qn('w:docDefaults')}/{self.qn('w:rPrDefault')}/{self.qn('w:rPr')}"
        )
        fonts = r_pr.get_or_add_rFonts()
        for attr in list(fonts.attrib):
            del fonts.attrib[attr]
        fonts.set(self.qn("w:ascii"), LATIN_FONT)
        fonts.set(self.qn("w:hAnsi"), LATIN_FONT)
        fonts.set(self.qn("w:eastAsia"), _BODY_FONT)
        lang = r_pr.find(self.qn("w:lang"))
        lang.set(self.qn("w:eastAsia"), "zh-CN")
        settings = self.doc.settings.element
        theme_lang = settings.find(self.qn("w:themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(self.qn("w:eastAsia"), "zh-CN")
        normal = self.doc.styles["Normal"]
        normal.font.size = self.Pt(_BODY_PT)
        set_fonts(normal.element, _BODY_FONT, self.qn)
        fmt = normal.paragraph_format
        fmt.space_before = fmt.space_after = 0
        fmt.line_spacing_rule = self.exactly
        fmt.line_spacing = self.Pt(_LINE_PT)

    def _font_table(self) -> None:
        from docx.opc.oxml import serialize_part_xml
        from docx.oxml import parse_xml

        # The template's font table is a plain (binary) part in python-docx: parsed, extended
        # and stored back as bytes.
        part = next(
            rel.target_part
            for rel in self.doc.part.rels.values()
            if rel.reltype.endswith("/fontTable")
        )
        root = parse_xml(part.blob)
        for name, alt, charset, family, pitch in _FONT_TABLE:
            font = self.OxmlElement("w:font")
            font.set(self.qn("w:name"), name)
            for tag, value in (
                ("w:altName", alt),
                ("w:charset", charset),
                ("w:family", family),
                ("w:pitch", pitch),
            ):
                child = self.OxmlElement(tag)
                child.set(self.qn("w:val"), value)
                font.append(child)
            root.append(font)
        part._blob = serialize_part_xml(root)

    def paragraph(
        self,
        text: str,
        *,
        font: str = _BODY_FONT,
        size: float = _BODY_PT,
        align: Any = None,
        first_chars: float = 0.0,
        left_chars: float = 0.0,
        right_chars: float = 0.0,
        before_pt: float = 0.0,
        line_pt: float = _LINE_PT,
    ) -> Any:
        par = self.doc.add_paragraph()
        fmt = par.paragraph_format
        if align is not None:
            par.alignment = align
        fmt.line_spacing_rule = self.exactly
        fmt.line_spacing = self.Pt(line_pt)
        if first_chars:
            fmt.first_line_indent = self.Pt(first_chars * _BODY_PT)
        if left_chars:
            fmt.left_indent = self.Pt(left_chars * _BODY_PT)
        if right_chars:
            fmt.right_indent = self.Pt(right_chars * _BODY_PT)
        if before_pt:
            fmt.space_before = self.Pt(before_pt)
        run = par.add_run(printable(text))
        run.font.size = self.Pt(size)
        set_fonts(run._element, font, self.qn)
        return par

    def page_numbers(self) -> None:
        self.doc.settings.odd_and_even_pages_header_footer = True
        for section in self.doc.sections:
            section.footer_distance = self.Mm(_FOOTER_FROM_BOTTOM_MM) - self.Pt(_PAGE_NUMBER_PT)
            self._page_number(section.footer, self.align.RIGHT)
            self._page_number(section.even_page_footer, self.align.LEFT)

    def _page_number(self, footer: Any, align: Any) -> None:
        footer.is_linked_to_previous = False
        par = footer.paragraphs[0]
        par.alignment = align
        fmt = par.paragraph_format
        fmt.line_spacing_rule = self.exactly
        fmt.line_spacing = self.Pt(_PAGE_NUMBER_PT)
        fmt.first_line_indent = 0
        indent = self.Pt(_PAGE_NUMBER_PT)  # 单页码居右空一字，双页码居左空一字
        if align == self.align.RIGHT:
            fmt.right_indent = indent
        else:
            fmt.left_indent = indent
        self._number_run(par, "— ")
        self._number_run(par, None, field="begin")
        self._number_run(par, None, instr=" PAGE ")
        self._number_run(par, None, field="separate")
        self._number_run(par, "1")
        self._number_run(par, None, field="end")
        self._number_run(par, " —")

    def _number_run(
        self, par: Any, text: str | None, *, field: str | None = None, instr: str | None = None
    ) -> None:
        run = par.add_run(text)
        run.font.size = self.Pt(_PAGE_NUMBER_PT)
        # 7.5 半角宋体阿拉伯数字: the digits in 宋体 too, not in the Latin font; the dash as
        # the full-width 一字线 of the East Asian font.
        set_fonts(run._element, _PAGE_NUMBER_FONT, self.qn, latin=_PAGE_NUMBER_FONT)
        run._element.rPr.rFonts.set(self.qn("w:hint"), "eastAsia")
        if field is not None:
            char = self.OxmlElement("w:fldChar")
            char.set(self.qn("w:fldCharType"), field)
            run._element.append(char)
        if instr is not None:
            code = self.OxmlElement("w:instrText")
            code.set(self.qn("xml:space"), "preserve")
            code.text = instr
            run._element.append(code)

    def letter(self, notice: Notice, *, new_page: bool = False) -> None:
        """Write one letter: title, 文号, 主送, body, remedies, 附件说明, signature, date."""
        align = self.align
        # Every line, the title's too, on the 28.95 pt grid, so that 22 lines fit a page.
        title = self.paragraph(notice.title, font=_TITLE_FONT, size=_TITLE_PT, align=align.CENTER)
        title.paragraph_format.page_break_before = new_page or None
        if notice.number:
            self.paragraph(notice.number, align=align.CENTER)
        # 7.3.2: the addressee one line under the title (or the 文号 line).
        self.paragraph(addressee_line(notice.addressee), align=align.LEFT, before_pt=_LINE_PT)
        last = None
        for text in (*notice.paragraphs, *([notice.remedies] if notice.remedies else [])):
            last = self.paragraph(text, align=align.JUSTIFY, first_chars=2)
        for number, line in enumerate(attachment_lines(notice.attachments)):
            last = self.paragraph(
                line.text,
                align=align.LEFT,
                left_chars=line.left,
                first_chars=line.first,
                before_pt=_LINE_PT if number == 0 else 0.0,
            )
            # The attachment note stays in one piece, and with the closing.
            last.paragraph_format.keep_with_next = True
        if last is not None:
            # The closing never stands alone at the top of a page, away from the text it signs
            # (the seal's top is within a line of the text, 7.3.5.1).
            last.paragraph_format.keep_with_next = True
        date = date_text(notice.issued_on)
        # Two lines above the signature for the seal, which covers signature and date (7.3.5.1).
        signature = self.paragraph(
            notice.signature,
            align=align.RIGHT,
            right_chars=signature_offset_chars(notice.signature, date),
            before_pt=2 * _LINE_PT,
        )
        signature.paragraph_format.keep_with_next = True
        self.paragraph(date, align=align.RIGHT, right_chars=DATE_RIGHT_CHARS)

    def front(self, parts: Sequence[tuple[str, object]]) -> None:
        """Write the front matter of a bundle (see `render_bundle_docx`)."""
        for kind, value in parts:
            if kind == "table":
                self.table(_rows(value))
            elif isinstance(value, str) and kind in _FRONT_TEXT:
                font, size, align, before = _FRONT_TEXT[kind]
                self.paragraph(
                    value,
                    font=font,
                    size=size,
                    align=getattr(self.align, align),
                    before_pt=before,
                )
            else:
                raise GovDiscloseError(
                    f"文书汇编的前置部分“{kind}”无法排版：应为 title、heading、line（文字）或"
                    "table（各行文字）",
                    f"cannot lay out front part {kind!r} of a bundle: expected title, heading, "
                    "line (a text) or table (rows of texts)",
                    field="front",
                    code="notices.bad_front_part",
                )

    def table(self, rows: list[tuple[str, ...]]) -> None:
        """A bordered table in 5号 宋体 on single lines, its first row the header (bold, repeated
        on every page the table runs onto)."""
        if not rows:
            return
        width = max(len(row) for row in rows)
        grid = self.doc.add_table(rows=len(rows), cols=width)
        grid.style = "Table Grid"
        for r, row in enumerate(rows):
            cells = grid.rows[r].cells
            for c, text in enumerate(row):
                par = cells[c].paragraphs[0]
                fmt = par.paragraph_format
                fmt.line_spacing_rule = self.single
                run = par.add_run(printable(text))
                run.font.size = self.Pt(_TABLE_PT)
                run.font.bold = r == 0 or None
                set_fonts(run._element, _TABLE_FONT, self.qn)
        marker = self.OxmlElement("w:tblHeader")
        grid.rows[0]._tr.get_or_add_trPr().append(marker)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return stable_zip(out.getvalue())


def _rows(value: object) -> list[tuple[str, ...]]:
    if isinstance(value, (list, tuple)) and all(
        isinstance(row, (list, tuple)) and all(isinstance(c, str) for c in row) for row in value
    ):
        return [tuple(row) for row in value]
    raise GovDiscloseError(
        "文书汇编的表格应为各行文字",
        "a table of a bundle must be rows of texts",
        field="front",
        code="notices.bad_front_part",
    )


def _properties(letter: _Letter, notice: Notice, *, title: str | None = None) -> None:
    props = letter.doc.core_properties
    props.title = printable(title if title is not None else notice.title)
    props.subject = notice.kind.label if title is None else ""
    props.identifier = printable(notice.application_id)
    props.keywords = printable("；".join(notice.citations)) if title is None else ""
    props.author = props.last_modified_by = printable(notice.signature)
    props.language = "zh-CN"
    props.created = props.modified = datetime.combine(notice.issued_on, time())
    props.revision = 1


def render_docx(notice: Notice) -> bytes:
    """The letter as the bytes of a .docx file (GB/T 9704-2012 layout, see the module).

    The document properties carry the title, the kind of notice (subject), the application
    (identifier), the provisions applied (keywords) and the 成文日期 (created and modified), so
    an archive can index the file without opening it.

    Raises `GovDiscloseError` (code ``notices.docx_missing``) if python-docx is not installed.
    """
    letter = _Letter(_import_docx())
    letter.letter(notice)
    letter.page_numbers()
    _properties(letter, notice)
    return letter.to_bytes()


def render_bundle_docx(
    front: Sequence[tuple[str, object]], notices: Sequence[Notice], *, title: str | None = None
) -> bytes:
    """Front matter, then several letters, each from a new page, as one .docx (a case file).

    ``front`` is a sequence of ``(kind, value)``: ``("title", text)`` a centred 2号 小标宋
    title, ``("heading", text)`` a 3号 黑体 heading, ``("line", text)`` a line of 3号 仿宋,
    ``("table", rows)`` a bordered table of texts whose first row is the header. The letters
    are laid out as by `render_docx`; the page numbers run through the whole document. The
    document's title is ``title``, else the first ``"title"`` part, else the first letter's;
    its dates are the last letter's 成文日期 (none: 1 January 1980), so equal bundles give equal
    bytes.

    Raises `GovDiscloseError`: code ``notices.bad_front_part`` for a part of another kind or
    shape, ``notices.docx_missing`` if python-docx is not installed.
    """
    letter = _Letter(_import_docx())
    letter.front(front)
    for index, notice in enumerate(notices):
        letter.letter(notice, new_page=bool(front) or index > 0)
    letter.page_numbers()
    if title is None:
        title = next((v for k, v in front if k == "title" and isinstance(v, str)), None)
    if notices:
        last = max(notices, key=lambda n: n.issued_on)
        _properties(letter, last, title=title if title is not None else notices[0].title)
    else:
        props = letter.doc.core_properties
        props.title = printable(title or "")
        props.language = "zh-CN"
        props.created = props.modified = datetime(1980, 1, 1)
        props.revision = 1
    return letter.to_bytes()
