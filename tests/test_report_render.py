"""Renderers of the annual report: HTML (official layout), Markdown, JSON, Word .docx."""

from __future__ import annotations

import io
import re
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st
from tests.office import convert_to_pdf

from govdisclose import serde
from govdisclose.errors import ReportError
from govdisclose.report import (
    APPLICANT_COLUMNS,
    FORMAT_2019_TRIAL,
    FORMAT_2021,
    AnnualReport,
    ReportFormat,
    format_by_id,
    from_cells,
)
from govdisclose.report._htmltables import Grid, parse_tables
from govdisclose.report.reader import read_html_report
from govdisclose.report.render_docx import render_docx
from govdisclose.report.render_html import HtmlRenderer, render_html
from govdisclose.report.render_json import render_json
from govdisclose.report.render_markdown import render_markdown
from govdisclose.report.renderers import ReportRenderer, builtin_renderers, render

YEARS = {FORMAT_2021: 2023, FORMAT_2019_TRIAL: 2020}


def _numbered(fmt_id: str, **kw: Any) -> AnnualReport:
    """A report whose cells hold 1, 2, 3 … in printed order (amounts 0.5, 1.5, …)."""
    fmt = format_by_id(fmt_id)
    values: dict[str, Any] = {}
    for i, ref in enumerate(fmt.cell_refs(), start=1):
        values[ref] = Decimal(i) - Decimal("0.5") if fmt.column(ref).decimal else i
    return from_cells(
        fmt,
        values,
        agency_code="test",
        agency_name="某市某区某局",
        year=YEARS[fmt_id],
        **kw,
    )


def _blank(fmt_id: str) -> AnnualReport:
    return from_cells(
        format_by_id(fmt_id), {}, agency_code="test", agency_name="某局", year=YEARS[fmt_id]
    )


def _texts(grid: Grid) -> list[list[str | None]]:
    return [[slot.text if slot else None for slot in row] for row in grid.rows]


def _span(grid: Grid, r: int, c: int) -> tuple[int, int]:
    """(rows, columns) covered by the cell whose slot is at (r, c)."""
    slot = grid.rows[r][c]
    assert slot is not None
    where = [
        (i, j)
        for i, row in enumerate(grid.rows)
        for j, other in enumerate(row)
        if other is not None and other.cell == slot.cell
    ]
    return (
        max(i for i, _ in where) - min(i for i, _ in where) + 1,
        max(j for _, j in where) - min(j for _, j in where) + 1,
    )


def _report_grids(html: str) -> tuple[Grid, Grid, Grid]:
    t2, t3, t4 = parse_tables(html)
    return t2, t3, t4


# -- HTML: the official layout -----------------------------------------------------------------


def test_html_table2_blocks_2021() -> None:
    """Table 二: four blocks, heading rows across the table, 信息内容 header rows, merged values."""
    t2, _, _ = _report_grids(render_html(_numbered(FORMAT_2021)))
    texts = _texts(t2)
    assert (len(t2.rows), t2.width) == (14, 4)
    headings = [r for r, row in enumerate(texts) if row[0] and row[0].startswith("第二十条")]
    assert [texts[r][0] for r in headings] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    for r in headings:
        assert _span(t2, r, 0) == (1, 4)
        assert texts[r + 1][0] == "信息内容"
    assert texts[1] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert texts[2] == ["规章", "1", "2", "3"]
    # Blocks （五）（六）（八）: one value column merged across three.
    assert texts[6] == ["行政许可", "7", "7", "7"]
    assert _span(t2, 6, 1) == (1, 3)
    assert _span(t2, 5, 1) == (1, 3)
    assert texts[13] == ["行政事业性收费", "9.5", "9.5", "9.5"]


def test_html_table3_header_and_spans_2021() -> None:
    """Table 三: corner 3x3, 申请人情况 over 7, 法人或其他组织 over 5, vertical label over 22."""
    _, t3, _ = _report_grids(render_html(_numbered(FORMAT_2021)))
    texts = _texts(t3)
    assert (len(t3.rows), t3.width) == (28, 10)
    assert texts[0][0] == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert _span(t3, 0, 0) == (3, 3)
    assert (texts[0][3], _span(t3, 0, 3)) == ("申请人情况", (1, 7))
    assert (texts[1][3], _span(t3, 1, 3)) == ("自然人", (2, 1))
    assert (texts[1][4], _span(t3, 1, 4)) == ("法人或其他组织", (1, 5))
    assert (texts[1][9], _span(t3, 1, 9)) == ("总计", (2, 1))
    assert texts[2][4:9] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert (texts[3][0], _span(t3, 3, 0)) == ("一、本年新收政府信息公开申请数量", (1, 3))
    assert (texts[5][0], _span(t3, 5, 0)) == ("三、本年度办理结果", (22, 1))
    assert (texts[5][1], _span(t3, 5, 1)) == ("（一）予以公开", (1, 2))
    groups = {
        "（三）不予公开": 8,
        "（四）无法提供": 3,
        "（五）不予处理": 5,
        "（六）其他处理": 3,
    }
    for r, row in enumerate(texts):
        if row[1] in groups and _span(t3, r, 1)[0] > 1 and (r == 0 or texts[r - 1][1] != row[1]):
            assert _span(t3, r, 1) == (groups.pop(row[1]), 1)
    assert groups == {}
    assert (texts[27][0], _span(t3, 27, 0)) == ("四、结转下年度继续办理", (1, 3))
    # Data rows: 25, each with seven numbers after the labels.
    data = [row for row in texts[3:] if all(t is not None and t.isdigit() for t in row[3:])]
    assert len(data) == 25


def test_html_table3_trial_format_has_single_other_row() -> None:
    """2019 trial format: （六）其他处理 is one row, the vertical label spans 20 rows."""
    _, t3, _ = _report_grids(render_html(_numbered(FORMAT_2019_TRIAL)))
    texts = _texts(t3)
    assert (len(t3.rows), t3.width) == (26, 10)
    assert _span(t3, 5, 0) == (20, 1)
    other = next(r for r, row in enumerate(texts) if row[1] == "（六）其他处理")
    assert _span(t3, other, 1) == (1, 2)


def test_html_table2_trial_format_has_five_blocks() -> None:
    """2019 trial table 二: five blocks including 第二十条第（九）项 政府集中采购."""
    t2, _, _ = _report_grids(render_html(_numbered(FORMAT_2019_TRIAL)))
    texts = _texts(t2)
    assert [row[0] for row in texts if row[0] and row[0].startswith("第二十条")][-1] == (
        "第二十条第（九）项"
    )
    procurement = next(r for r, row in enumerate(texts) if row[0] == "政府集中采购")
    assert _span(t2, procurement, 2) == (1, 2)


def test_html_table4_columns() -> None:
    """Table 四: 行政复议 over 5, 行政诉讼 over 10 (two groups of 5), one data row of 15."""
    _, _, t4 = _report_grids(render_html(_numbered(FORMAT_2021)))
    texts = _texts(t4)
    assert (len(t4.rows), t4.width) == (4, 15)
    assert (texts[0][0], _span(t4, 0, 0)) == ("行政复议", (1, 5))
    assert (texts[0][5], _span(t4, 0, 5)) == ("行政诉讼", (1, 10))
    assert (texts[1][0], _span(t4, 1, 0)) == ("结果维持", (2, 1))
    assert (texts[1][5], _span(t4, 1, 5)) == ("未经复议直接起诉", (1, 5))
    assert (texts[1][10], _span(t4, 1, 10)) == ("复议后起诉", (1, 5))
    assert texts[2][5:10] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    first = 201 - 15 + 1  # the 2021 format has 200 cells; table 四 holds the last 15
    assert texts[3] == [str(n) for n in range(first - 1, first + 14)]


def test_html_blank_cells_are_blank_and_zero_is_zero() -> None:
    """A blank report prints no digit in any data cell; a 0 prints as 0."""
    blank = render_html(_blank(FORMAT_2021))
    data_cells = re.findall(r'<td data-cell="([^"]+)"[^>]*>(.*?)</td>', blank)
    assert len(data_cells) == 200
    assert {content for _, content in data_cells} == {""}
    zero = _blank(FORMAT_2021).with_cells({"T3.R1.total": 0})
    _, t3, _ = _report_grids(render_html(zero))
    assert _texts(t3)[3][3:] == ["", "", "", "", "", "", "0"]


def test_html_document_and_fragment() -> None:
    """The page is a UTF-8 zh-CN document with bordered tables; the fragment is bare."""
    report = _numbered(FORMAT_2021, overview="第一段\n\n第二段", preamble="本报告依据……")
    page = render_html(report)
    assert page.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert '<meta charset="utf-8">' in page
    assert "border: 1px solid" in page
    assert "<title>某市某区某局2023年政府信息公开工作年度报告</title>" in page
    assert "<p>第一段</p>\n<p>第二段</p>" in page
    fragment = render_html(report, fragment=True)
    assert fragment.startswith('<article class="gd-annual-report">')
    assert "<html" not in fragment
    assert "<style" not in fragment
    headings = (
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    )
    positions = [page.index(f"<h2>{h}</h2>") for h in headings]
    assert positions == sorted(positions)


def test_html_escapes_text() -> None:
    """Markup in texts is escaped, never interpreted."""
    report = _blank(FORMAT_2021).with_cells({})
    report = AnnualReport(
        format_id=report.format_id,
        agency_code="x",
        agency_name="<script>alert(1)</script>局",
        year=2023,
        table2=report.table2,
        table3=report.table3,
        table4=report.table4,
        overview="a < b & c",
    )
    page = render_html(report)
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    assert "<p>a &lt; b &amp; c</p>" in page


# -- HTML round trip ---------------------------------------------------------------------------


def _cell_values(fmt: ReportFormat, ref: str) -> st.SearchStrategy[Any]:
    column = fmt.column(ref)
    if column.decimal:
        amounts = st.decimals(
            min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False
        )
        return st.none() | amounts
    if column.signed:
        return st.none() | st.integers(-(10**4), 10**4)
    return st.none() | st.integers(0, 10**6)


@st.composite
def reports(draw: st.DrawFn) -> AnnualReport:
    fmt_id = draw(st.sampled_from((FORMAT_2021, FORMAT_2019_TRIAL)))
    fmt = format_by_id(fmt_id)
    values = {ref: draw(_cell_values(fmt, ref)) for ref in fmt.cell_refs()}
    return from_cells(
        fmt,
        values,
        agency_code="x",
        agency_name=draw(st.sampled_from(("某局", "某县人民政府办公室", "A&B <局>"))),
        year=YEARS[fmt_id],
        overview=draw(st.text(max_size=30)),
    )


@settings(max_examples=25, deadline=None)
@given(reports(), st.booleans())
def test_html_round_trip(report: AnnualReport, fragment: bool) -> None:
    """render_html then read_html_report gives back every cell, blanks included."""
    result = read_html_report(render_html(report, fragment=fragment), year=report.year)
    assert result.format_id == report.format_id
    assert dict(result.cells) == report.cell_map()
    assert [p for p in result.problems if p.severity != "info"] == []
    assert result.to_report(agency_code="x", agency_name=report.agency_name).cell_map() == (
        report.cell_map()
    )


# -- Markdown ----------------------------------------------------------------------------------


def _md_rows(text: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.strip("|").split(" | ")]
        for line in text.splitlines()
        if line.startswith("| ")
    ]


def test_markdown_sections_in_order_and_tables() -> None:
    """Six sections in order; every cell present; blank cells blank."""
    report = _numbered(
        FORMAT_2021, overview="总体", problems="问题", other_matters="其他"
    ).with_cells({"T3.R1.total": None})
    text = render_markdown(report)
    assert text.startswith("# 某市某区某局2023年政府信息公开工作年度报告\n")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 一、总体情况",
        "## 二、主动公开政府信息情况",
        "## 三、收到和处理政府信息公开申请情况",
        "## 四、政府信息公开行政复议、行政诉讼情况",
        "## 五、存在的主要问题及改进情况",
        "## 六、其他需要报告的事项",
    ]
    rows = _md_rows(text)
    by_label = {row[0].strip("\u3000*"): row[1:] for row in rows}
    assert by_label["规章"] == ["1", "2", "3"]
    assert by_label["行政事业性收费"] == ["9.5"]
    assert by_label["一、本年新收政府信息公开申请数量"] == ["11", "12", "13", "14", "15", "16", ""]
    assert by_label["（三）不予公开"] == [""] * 7
    # 10 cells of table 二, then 7 per table-三 row: 3.其他 is the 23rd row, cells 165-171.
    assert by_label["3.其他"] == [str(n) for n in range(165, 172)]
    assert by_label["行政诉讼（复议后起诉）"] == [str(n) for n in range(196, 201)]
    # Every cell of the format appears once: 10 + 25*7 + 15 values.
    numbers = Counter(cell for row in rows for cell in row[1:] if cell[:1].isdigit())
    assert sum(numbers.values()) == 200 - 1
    assert max(numbers.values()) == 1


def test_markdown_trial_format() -> None:
    """The trial format's （六）其他处理 is a data row and 政府集中采购 is present."""
    rows = {
        row[0].strip("\u3000*"): row[1:]
        for row in _md_rows(render_markdown(_numbered(FORMAT_2019_TRIAL)))
    }
    assert rows["（六）其他处理"][0].isdigit()
    assert rows["政府集中采购"][1] == "21.5"


def test_markdown_escapes_pipes_in_labels() -> None:
    """Text that would break a table row is escaped inside tables, kept in paragraphs."""
    text = render_markdown(_numbered(FORMAT_2021, problems="甲|乙"))
    assert "甲|乙" in text


# -- JSON --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt_id", [FORMAT_2021, FORMAT_2019_TRIAL])
def test_json_round_trip(fmt_id: str) -> None:
    """The JSON reads back into an equal report; blanks are null, amounts strings."""
    report = _numbered(fmt_id).with_cells({"T3.R2.total": None})
    text = render_json(report)
    assert serde.loads(text, AnnualReport) == report
    assert '"total": null' in text


# -- Word .docx --------------------------------------------------------------------------------


def _docx_tables(data: bytes) -> list[Any]:
    import docx

    return list(docx.Document(io.BytesIO(data)).tables)


def test_docx_tables_and_merged_cells() -> None:
    """The .docx has the three official tables with their merged cells and values."""
    data = render_docx(_numbered(FORMAT_2021).with_cells({"T3.R1.total": None}))
    t2, t3, t4 = _docx_tables(data)
    assert [(len(t.rows), len(t.columns)) for t in (t2, t3, t4)] == [(14, 4), (28, 10), (4, 15)]
    # Table 二: heading across the table, merged single value column.
    assert t2.cell(0, 0)._tc is t2.cell(0, 3)._tc
    assert t2.cell(0, 0).text == "第二十条第（一）项"
    assert t2.cell(6, 1)._tc is t2.cell(6, 3)._tc
    assert t2.cell(6, 1).text == "7"
    # Table 三: corner 3x3, 申请人情况 x7, 法人或其他组织 x5, vertical label x22.
    assert t3.cell(0, 0)._tc is t3.cell(2, 2)._tc
    assert t3.cell(0, 3)._tc is t3.cell(0, 9)._tc
    assert t3.cell(1, 4)._tc is t3.cell(1, 8)._tc
    assert t3.cell(1, 3)._tc is t3.cell(2, 3)._tc
    assert t3.cell(5, 0)._tc is t3.cell(26, 0)._tc
    assert t3.cell(5, 0)._tc is not t3.cell(27, 0)._tc
    assert t3.cell(5, 0).text == "三、本年度办理结果"
    assert t3.cell(3, 3).text == "11"
    assert t3.cell(3, 9).text == ""
    # Table 四: 行政复议 x5, 行政诉讼 x10, sub-groups x5, data row.
    assert t4.cell(0, 0)._tc is t4.cell(0, 4)._tc
    assert t4.cell(0, 5)._tc is t4.cell(0, 14)._tc
    assert t4.cell(1, 5)._tc is t4.cell(1, 9)._tc
    assert t4.cell(1, 0)._tc is t4.cell(2, 0)._tc
    assert [t4.cell(3, c).text for c in range(15)] == [str(n) for n in range(186, 201)]


def test_docx_page_fonts_and_headings() -> None:
    """A4 page; CJK fonts set in the eastAsia slot; sections in order."""
    import docx
    from docx.oxml.ns import qn

    document: Any = docx.Document(io.BytesIO(render_docx(_numbered(FORMAT_2021, overview="总体"))))
    section = document.sections[0]
    # Word stores page sizes in twentieths of a point: compare in whole millimetres.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[0] == "某市某区某局2023年政府信息公开工作年度报告"
    heads = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert heads[0] == "一、总体情况"
    assert heads[-1] == "六、其他需要报告的事项"
    east_asia = {
        run._element.rPr.rFonts.get(qn("w:eastAsia")) for p in document.paragraphs for run in p.runs
    }
    assert east_asia == {"宋体", "黑体", "仿宋"}
    normal = document.styles["Normal"].element.rPr
    assert normal.rFonts.get(qn("w:eastAsia")) == "仿宋"


def test_docx_trial_format_tables() -> None:
    """The trial format's tables have their own shapes in Word too."""
    t2, t3, t4 = _docx_tables(render_docx(_numbered(FORMAT_2019_TRIAL)))
    assert [(len(t.rows), len(t.columns)) for t in (t2, t3, t4)] == [(18, 4), (26, 10), (4, 15)]
    assert t3.cell(5, 0)._tc is t3.cell(24, 0)._tc


def test_docx_without_python_docx_raises_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the docx extra, rendering .docx raises ReportError with the install hint."""
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(ReportError) as info:
        render_docx(_numbered(FORMAT_2021))
    assert info.value.code == "report.docx_missing"
    assert "pip install python-docx" in str(info.value)
    assert ".[docx]" in str(info.value)


@pytest.mark.slow
def test_docx_converts_to_pdf_with_libreoffice(tmp_path: Path) -> None:
    """LibreOffice opens the .docx and converts it to PDF (one conversion: it is slow)."""
    source = tmp_path / "report.docx"
    source.write_bytes(render_docx(_numbered(FORMAT_2021, overview="总体情况正文。")))
    completed = convert_to_pdf([source], tmp_path, timeout=180)
    pdf = tmp_path / "report.pdf"
    assert pdf.exists(), completed.stdout + completed.stderr
    assert pdf.read_bytes().startswith(b"%PDF")


# -- the registry ------------------------------------------------------------------------------


def test_builtin_renderers() -> None:
    """Every built-in renderer satisfies the Protocol and renders a report."""
    renderers = builtin_renderers()
    assert sorted(renderers) == ["docx", "html", "html-frag", "json", "markdown"]
    report = _numbered(FORMAT_2021)
    for name, renderer in renderers.items():
        assert isinstance(renderer, ReportRenderer)
        assert renderer.format == name
        assert renderer.media_type
        assert render(report, name) == renderer.render(report)
    assert render(report, "html") == HtmlRenderer().render(report)
    assert renderers is not builtin_renderers()


def test_unknown_renderer() -> None:
    """An unknown format name raises ReportError listing the known ones."""
    with pytest.raises(ReportError) as info:
        render(_numbered(FORMAT_2021), "pdf")
    assert info.value.code == "report.unknown_renderer"
    assert "markdown" in str(info.value)


def test_custom_renderers_mapping() -> None:
    """A host passes its own mapping (e.g. built-ins plus plugin renderers)."""

    class Csv:
        format = "csv"
        media_type = "text/csv"

        def render(self, report: AnnualReport) -> bytes:
            lines = [f"{ref},{'' if v is None else v}" for ref, v in report.cells()]
            return "\n".join(lines).encode("utf-8-sig")

    renderers = {**builtin_renderers(), "csv": Csv()}
    out = render(_numbered(FORMAT_2021), "csv", renderers=renderers)
    assert out.decode("utf-8-sig").splitlines()[0] == "T2.regulations.made,1"
    assert APPLICANT_COLUMNS[0] in out.decode("utf-8-sig")


def test_control_characters_from_pasted_text() -> None:
    """Word's manual line break splits a paragraph; other control characters are dropped
    (python-docx refuses them in XML)."""
    report = _numbered(FORMAT_2021, overview="第一行\x0b第二行\x01。")
    import docx

    document: Any = docx.Document(io.BytesIO(render_docx(report)))
    texts = [p.text for p in document.paragraphs]
    assert "第一行" in texts
    assert "第二行。" in texts
    assert "<p>第二行。</p>" in render_html(report)
