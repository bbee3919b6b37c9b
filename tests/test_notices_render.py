"""The HTML and Word renderers of the letters to applicants (GB/T 9704-2012 layout).

Notices are built directly here, so these tests depend on the `Notice` value only, not on how
the letters are composed from the events.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from hypothesis import given, settings, strategies as st
from tests.office import convert_to_pdf, pdf_pages

from govdisclose.errors import GovDiscloseError
from govdisclose.notices._layout import (
    attachment_lines,
    date_text,
    printable,
    signature_offset_chars,
    width,
)
from govdisclose.notices._letter import Notice, NoticeKind
from govdisclose.notices.render_docx import MEDIA_TYPE, render_bundle_docx, render_docx
from govdisclose.notices.render_html import render_html
from govdisclose.vocab import Outcome

TRICKY = 'A<b>&amp;"引号"\'<script>alert(1)</script>&'
LONG = "本机关经审查认为，" + "您申请获取的政府信息涉及多个业务处室的职责范围，" * 12 + "特此说明。"


def _notice(kind: NoticeKind = NoticeKind.REPLY, **changes: Any) -> Notice:
    values: dict[str, Any] = {
        "kind": kind,
        "application_id": "GD-2026-0042",
        "title": kind.label,
        "number": "浦府信公开〔2026〕第42号",
        "addressee": "张三",
        "paragraphs": (
            "本机关于2026年11月10日收到您提出的政府信息公开申请。",
            "经审查，现将有关情况告知如下。",
        ),
        "citations": ("《中华人民共和国政府信息公开条例》第三十六条第（一）项",),
        "remedies": "如对本答复不服，可以在收到本答复之日起60日内申请行政复议，或者在6个月内"
        "提起行政诉讼。",
        "signature": "上海市浦东新区人民政府办公室",
        "issued_on": date(2026, 12, 3),
        "outcome": Outcome.DISCLOSED if kind is NoticeKind.REPLY else None,
        "attachments": (),
        "query_code": "Q7K2-9XPM" if kind is NoticeKind.RECEIPT else None,
    }
    values.update(changes)
    return Notice(**values)


VARIANTS = {
    "plain": {},
    "no_number": {"number": None},
    "no_remedies": {"remedies": None},
    "one_attachment": {"attachments": ("政府信息公开申请表",)},
    "attachments": {"attachments": ("2025年度项目资金使用情况表", "项目实施单位名单", "附图")},
    "long": {"paragraphs": (LONG,) * 4},
    "tricky": {
        "title": TRICKY,
        "number": TRICKY,
        "addressee": TRICKY,
        "paragraphs": (TRICKY, "第二段" + TRICKY),
        "remedies": TRICKY,
        "signature": TRICKY,
        "attachments": (TRICKY,),
        "application_id": TRICKY,
        "citations": (TRICKY,),
    },
}
CASES = [(kind, name) for kind in NoticeKind for name in VARIANTS]
# A .docx takes about 70 ms to build and as long to read: every kind once, every variant once.
DOCX_CASES = [(kind, "plain") for kind in NoticeKind] + [
    (NoticeKind.REPLY, name) for name in VARIANTS if name != "plain"
]


def _case(kind: NoticeKind, name: str) -> Notice:
    return _notice(kind, **VARIANTS[name])


def _expected_lines(notice: Notice) -> list[str]:
    """The printed parts of a letter, in reading order, as the standard orders them."""
    lines = [notice.title]
    if notice.number:
        lines.append(notice.number)
    lines.append(notice.addressee.rstrip("：:") + "：")
    lines.extend(notice.paragraphs)
    if notice.remedies:
        lines.append(notice.remedies)
    if len(notice.attachments) == 1:
        lines.append("附件：" + notice.attachments[0])
    for number, name in enumerate(notice.attachments if len(notice.attachments) > 1 else ()):
        lines.append(("附件：" if number == 0 else "") + f"{number + 1}. {name}")
    lines.append(notice.signature)
    d = notice.issued_on
    lines.append(f"{d.year}年{d.month}月{d.day}日")
    return lines


# -- the layout measurements -------------------------------------------------------------------


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)))
def test_date_text_is_arabic_full_year_no_leading_zero(day: date) -> None:
    """The 成文日期 reads back as the date, with the year in full and no 0-padded month/day."""
    match = re.fullmatch(r"(\d{4})年([1-9]\d?)月([1-9]\d?)日", date_text(day))
    assert match is not None
    assert date(*map(int, match.groups())) == day


def test_width_counts_latin_as_half() -> None:
    """Chinese characters and full-width punctuation are one character wide, digits half."""
    assert width("附件：") == 3
    assert width("2026年12月3日") == 6.5
    assert width("1. ") == 1.5


@given(st.text(alphabet="上海市人民政府办公室ABC123（）", max_size=30))
def test_signature_is_centred_over_the_date(signature: str) -> None:
    """The signature's centre is the date's centre, unless it would cross the right margin."""
    day = date_text(date(2026, 12, 3))
    offset = signature_offset_chars(signature, day)
    date_centre = 4 + width(day) / 2
    if offset > 0:
        assert offset + width(signature) / 2 == pytest.approx(date_centre)
    else:
        assert width(signature) / 2 >= date_centre


def test_attachment_lines_hang_under_the_name() -> None:
    """Wrapped names continue under their first character; later numbers under the first."""
    one = attachment_lines(("申请表",))
    assert [(line.text, line.left, line.first) for line in one] == [("附件：申请表", 5, -3)]
    many = attachment_lines(("甲", "乙"))
    assert [line.text for line in many] == ["附件：1. 甲", "2. 乙"]
    # First line starts two characters in; every number starts five characters in.
    assert [line.left + line.first for line in many] == [2, 5]
    assert [line.left for line in many] == [6.5, 6.5]
    assert attachment_lines(()) == ()


# -- HTML --------------------------------------------------------------------------------------

_VOID = {"meta", "link", "br", "hr", "img", "input"}


class _Page(HTMLParser):
    """Checks that tags nest and close, and collects the text of each element by class."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[tuple[str, str]] = []  # (class, text) of p/h1 elements
        self.title = ""
        self.doctype = ""
        self._current: list[str] | None = None
        self._current_class = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs_)))
        if tag in _VOID:
            return
        self.stack.append(tag)
        if tag in ("p", "h1"):
            assert self._current is None, "paragraphs do not nest"
            self._current = []
            self._current_class = dict(attrs_).get("class") or tag

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1]}>"
        self.stack.pop()
        if tag in ("p", "h1") and self._current is not None:
            self.texts.append((self._current_class, "".join(self._current)))
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)
        if self.stack and self.stack[-1] == "title":
            self.title += data


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert parser.stack == [], f"unclosed: {parser.stack}"
    return parser


@pytest.mark.parametrize(("kind", "name"), CASES)
def test_html_is_well_formed_escaped_and_in_order(kind: NoticeKind, name: str) -> None:
    """Every kind and variant gives a complete page whose texts read back unchanged, in order."""
    notice = _case(kind, name)
    page = render_html(notice)
    parsed = _parse(page)
    assert parsed.doctype.lower() == "doctype html"
    names = [tag for tag, _ in parsed.tags]
    for single in ("html", "head", "body", "title", "style", "article", "h1"):
        assert names.count(single) == 1, single
    assert names.count("script") == 0
    html_attrs = dict(parsed.tags)["html"]
    assert html_attrs["lang"] == "zh-CN"
    assert ("meta", {"charset": "utf-8"}) in parsed.tags
    assert parsed.title == notice.title
    assert [text for _, text in parsed.texts] == _expected_lines(notice)
    article = dict(parsed.tags)["article"]
    assert article["data-kind"] == kind.code
    assert article["data-application"] == notice.application_id
    citations = [a["content"] for tag, a in parsed.tags if a.get("name") == "citation"]
    assert citations == list(notice.citations)


def test_html_number_line_only_when_numbered() -> None:
    """The 文号 line is there for a numbered letter and absent otherwise."""
    classes = [c for c, _ in _parse(render_html(_notice())).texts]
    assert "gd-number" in classes
    classes = [c for c, _ in _parse(render_html(_notice(number=None))).texts]
    assert "gd-number" not in classes


@pytest.mark.parametrize("outcome", list(Outcome))
def test_html_names_the_outcome(outcome: Outcome) -> None:
    """A reply page carries its outcome code for scripts; other letters carry none."""
    article = dict(_parse(render_html(_notice(outcome=outcome))).tags)["article"]
    assert article["data-outcome"] == outcome.code
    article = dict(_parse(render_html(_notice(NoticeKind.FEE))).tags)["article"]
    assert "data-outcome" not in article


def test_html_receipt_carries_the_query_code() -> None:
    """The receipt's query code is on the article; a letter without one has no attribute."""
    article = dict(_parse(render_html(_notice(NoticeKind.RECEIPT))).tags)["article"]
    assert article["data-query-code"] == "Q7K2-9XPM"
    assert "data-query-code" not in dict(_parse(render_html(_notice())).tags)["article"]


def test_html_prints_on_a4_with_the_standard_margins() -> None:
    """The print stylesheet asks for A4 and the 37/26/35/28 mm margins of GB/T 9704."""
    page = render_html(_notice())
    assert re.search(r"@page \{ size: A4; margin: 37mm 26mm 35mm 28mm; \}", page)
    assert 'counter(page) " —"' in page


# Any text, controls and lone surrogates included: what cannot be in XML is dropped, the rest
# comes back as it was.
_texts = st.text(max_size=40) | st.text(st.sampled_from("甲<&>\"'\x00\x0b\t\n\ufffe\ud800"))


@settings(max_examples=60)
@given(title=_texts, paragraphs=st.lists(_texts, min_size=1, max_size=3), addressee=_texts)
def test_html_text_round_trips(title: str, paragraphs: list[str], addressee: str) -> None:
    """Whatever the text, the page parses and gives the text back (escaping loses nothing)."""
    notice = _notice(title=title, paragraphs=tuple(paragraphs), addressee=addressee)
    parsed = _parse(render_html(notice))
    texts = [text for cls, text in parsed.texts if cls.startswith("gd-body")]
    assert texts == [*map(printable, paragraphs), notice.remedies]
    assert dict(parsed.texts)["h1"] == printable(title)


@settings(max_examples=25, deadline=None)
@given(title=_texts, paragraphs=st.lists(_texts, min_size=1, max_size=3), signature=_texts)
def test_docx_text_round_trips(title: str, paragraphs: list[str], signature: str) -> None:
    """Whatever the text, the document opens and gives the text back, less what XML forbids
    (Word keeps a carriage return as a line break)."""
    notice = _notice(title=title, paragraphs=tuple(paragraphs), signature=signature)
    texts = [p.text for p in _document(notice).paragraphs]
    expected = [printable(text).replace("\r", "\n") for text in _expected_lines(notice)]
    assert texts == expected


# -- Word --------------------------------------------------------------------------------------


def _document(notice: Notice) -> Any:
    return docx.Document(io.BytesIO(render_docx(notice)))


def _east_asia(run: Any) -> str | None:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


@pytest.mark.parametrize(("kind", "name"), DOCX_CASES)
def test_docx_parts_in_order(kind: NoticeKind, name: str) -> None:
    """Every kind and variant gives the parts of the letter in the standard's order."""
    notice = _case(kind, name)
    document = _document(notice)
    assert [p.text for p in document.paragraphs] == _expected_lines(notice)
    props = document.core_properties
    assert (props.title, props.subject, props.identifier) == (
        notice.title,
        kind.label,
        notice.application_id,
    )
    assert props.keywords == "；".join(notice.citations)
    assert props.created.date() == notice.issued_on


def test_docx_page_is_a4_with_the_standard_margins() -> None:
    """A4 portrait, top 37, bottom 35, left 28, right 26 mm; odd and even footers differ."""
    document = _document(_notice())
    (section,) = document.sections
    # Word stores lengths in twentieths of a point: compare in tenths of a millimetre.
    sizes = (section.page_width, section.page_height)
    assert [round(length.mm, 1) for length in sizes] == [210, 297]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(length.mm, 1) for length in margins] == [37, 35, 28, 26]
    assert document.settings.odd_and_even_pages_header_footer is True


def test_docx_fonts_sizes_and_alignment() -> None:
    """Title 2号 小标宋 centred, 文号 centred, body 3号 仿宋 indented two characters on a fixed
    28.95 pt line, signature and date on the right, the date four characters in."""
    notice = _notice(attachments=("申请表",))
    paragraphs = _document(notice).paragraphs
    title, number, addressee, *rest = paragraphs
    body, closing = rest[:-3], rest[-3:]
    attachment, signature, day = closing
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert [(_east_asia(r), r.font.size) for r in title.runs] == [("方正小标宋简体", Pt(22))]
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert [(_east_asia(r), r.font.size) for r in number.runs] == [("仿宋", Pt(16))]
    assert addressee.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert not addressee.paragraph_format.first_line_indent
    for paragraph in [addressee, *body, attachment, signature, day]:
        fmt = paragraph.paragraph_format
        assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert fmt.line_spacing == Pt(28.95)
        assert [(_east_asia(r), r.font.size) for r in paragraph.runs] == [("仿宋", Pt(16))]
        assert {r._element.rPr.rFonts.get(qn("w:ascii")) for r in paragraph.runs} == {
            "Times New Roman"
        }
    for paragraph in body:
        assert paragraph.paragraph_format.first_line_indent == Pt(32)
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert attachment.paragraph_format.left_indent == Pt(5 * 16)
    assert attachment.paragraph_format.first_line_indent == Pt(-3 * 16)
    assert signature.alignment == day.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert day.paragraph_format.right_indent == Pt(4 * 16)
    assert day.text == "2026年12月3日"
    offset = signature_offset_chars(notice.signature, day.text)
    assert signature.paragraph_format.right_indent == Pt(offset * 16)


def test_docx_defaults_are_chinese() -> None:
    """Text outside the renderer's runs is 仿宋 in zh-CN too (no theme font of the template)."""
    styles = _document(_notice()).styles
    r_pr = styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    fonts = r_pr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋"
    assert fonts.get(qn("w:eastAsiaTheme")) is None
    assert r_pr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    normal = styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"


def test_docx_font_table_names_substitutes() -> None:
    """Word and WPS find 宋体 for a missing 方正小标宋简体 and FangSong for 仿宋."""
    with zipfile.ZipFile(io.BytesIO(render_docx(_notice()))) as package:
        table = package.read("word/fontTable.xml").decode("utf-8")
    assert re.search(r'w:name="方正小标宋简体"><w:altName w:val="宋体"/>', table)
    assert re.search(r'w:name="仿宋"><w:altName w:val="FangSong"/>', table)


def test_docx_page_numbers_in_the_footers() -> None:
    """Odd pages ``— N —`` on the right, even pages on the left, 4号 宋体, a PAGE field."""
    (section,) = _document(_notice()).sections
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        (paragraph,) = footer.paragraphs
        assert paragraph.alignment == align
        assert paragraph.text == "— 1 —"
        assert {(_east_asia(r), r.font.size) for r in paragraph.runs} == {("宋体", Pt(14))}
        instructions = paragraph._p.findall(f".//{qn('w:instrText')}")
        assert [i.text.strip() for i in instructions] == ["PAGE"]


def test_docx_addressee_has_one_colon() -> None:
    """An addressee given with a colon of its own still gets exactly one full-width colon."""
    for given_name in ("张三", "张三：", "张三:"):
        assert _document(_notice(addressee=given_name)).paragraphs[2].text == "张三："


def test_docx_bytes_depend_on_the_notice_only() -> None:
    """Equal notices give equal bytes; a different date gives different bytes."""
    notice = _notice()
    first = render_docx(notice)
    assert render_docx(attrs.evolve(notice)) == first
    assert render_docx(attrs.evolve(notice, issued_on=date(2026, 12, 4))) != first
    assert first.startswith(b"PK")
    assert MEDIA_TYPE.endswith("wordprocessingml.document")


def test_docx_without_python_docx_raises_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the docx extra, rendering a letter raises the typed error with the hint."""
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(GovDiscloseError) as info:
        render_docx(_notice())
    assert info.value.code == "notices.docx_missing"
    assert "pip install python-docx" in str(info.value)
    assert ".[docx]" in str(info.value)


# -- bundles (the case file) ------------------------------------------------------------------

FRONT: list[tuple[str, object]] = [
    ("title", "政府信息公开申请案卷"),
    ("line", "申请编号：GD-2026-0042"),
    ("heading", "卷内文件目录"),
    (
        "table",
        [("序号", "日期", "事项"), ("1", "2026-11-10", "收到申请"), ("2", "2026-12-03", TRICKY)],
    ),
]


def test_bundle_front_then_each_letter_from_a_new_page() -> None:
    """The front matter in order, then every letter whole, each starting a page."""
    letters = [_notice(NoticeKind.RECEIPT), _notice(attachments=("甲表", "乙表"))]
    document = docx.Document(io.BytesIO(render_bundle_docx(FRONT, letters)))
    texts = [p.text for p in document.paragraphs]
    expected_letters = [line for notice in letters for line in _expected_lines(notice)]
    assert texts[:3] == ["政府信息公开申请案卷", "申请编号：GD-2026-0042", "卷内文件目录"]
    assert texts[3:] == expected_letters
    breaks = [p.text for p in document.paragraphs if p.paragraph_format.page_break_before]
    assert breaks == [notice.title for notice in letters]
    heading = document.paragraphs[2]
    assert [(_east_asia(r), r.font.size) for r in heading.runs] == [("黑体", Pt(16))]
    (table,) = document.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [list(r) for r in FRONT[3][1]]
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r.font.bold for c in header.cells for r in c.paragraphs[0].runs)
    assert document.core_properties.title == "政府信息公开申请案卷"
    assert document.core_properties.created.date() == date(2026, 12, 3)


def test_bundle_without_front_starts_with_the_first_letter() -> None:
    """Without front matter the first letter starts the first page; equal bundles, equal bytes."""
    letters = [_notice(NoticeKind.FEE), _notice()]
    data = render_bundle_docx([], letters)
    assert render_bundle_docx([], letters) == data
    document = docx.Document(io.BytesIO(data))
    breaks = [p.text for p in document.paragraphs if p.paragraph_format.page_break_before]
    assert breaks == [letters[1].title]


@pytest.mark.parametrize("part", [("picture", "x"), ("title", 3), ("table", ["not rows"])])
def test_bundle_refuses_an_unknown_front_part(part: tuple[str, object]) -> None:
    """A front part of another kind or shape is a typed error naming the field."""
    with pytest.raises(GovDiscloseError) as info:
        render_bundle_docx([part], [_notice()])
    assert info.value.code == "notices.bad_front_part"
    assert info.value.field == "front"


# -- LibreOffice ------------------------------------------------------------------------------


@pytest.mark.slow
def test_docx_letters_convert_to_pdf_with_libreoffice(tmp_path: Path) -> None:
    """LibreOffice opens every kind of letter (one conversion run for all: it is slow); each
    PDF has its pages and, where poppler is installed, the title and the date as text."""
    notices = {f"{kind.code}": _notice(kind) for kind in NoticeKind}
    notices["long"] = _notice(paragraphs=(LONG,) * 6, attachments=("甲表", "乙表"))
    sources = []
    for name, notice in notices.items():
        source = tmp_path / f"{name}.docx"
        source.write_bytes(render_docx(notice))
        sources.append(str(source))
    bundle = tmp_path / "bundle.docx"
    bundle.write_bytes(render_bundle_docx(FRONT, list(notices.values())))
    sources.append(str(bundle))
    completed = convert_to_pdf([Path(p) for p in sources], tmp_path)
    # The front matter takes a page, every letter at least one more.
    bundle_pdf = (tmp_path / "bundle.pdf").read_bytes()
    assert pdf_pages(bundle_pdf) >= 1 + len(notices) + 1
    pdftotext = shutil.which("pdftotext")
    for name, notice in notices.items():
        pdf = tmp_path / f"{name}.pdf"
        assert pdf.exists(), completed.stdout + completed.stderr
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF")
        pages = pdf_pages(data)
        assert pages >= (2 if name == "long" else 1), name
        if pdftotext is None:
            continue
        text = subprocess.run(
            [pdftotext, "-enc", "UTF-8", str(pdf), "-"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        # pdftotext puts spaces between Chinese and Latin runs ("2026 年 12 月 3 日").
        flat = re.sub(r"\s+", "", text)
        assert notice.title in flat, name
        assert date_text(notice.issued_on) in flat, name
        assert text.count("\f") == pages, name
        assert "—1—" in flat, name
