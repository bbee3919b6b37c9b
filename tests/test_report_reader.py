"""Reading annual-report tables back from published HTML pages (govdisclose.report.reader).

The fixture pages in tests/data/report_pages/ are hand-made imitations of government pages (each
says so in a comment); expected.json holds their cells, typed from the pages by hand, and notes
the arithmetic that shows the figures are consistent.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from govdisclose.errors import ReportParseError
from govdisclose.report import (
    APPLICANT_COLUMNS,
    FORMAT_2019_TRIAL,
    FORMAT_2021,
    AnnualReport,
    format_by_id,
    from_cells,
)
from govdisclose.report._htmltables import parse_tables
from govdisclose.report._labels import label, parse_value, similarity
from govdisclose.report.reader import ReadResult, decode_page, read_html_report
from govdisclose.report.render_html import render_html
from govdisclose.report.validate import BLANK_CELL, validate
from govdisclose.rules import Severity

PAGES = Path(__file__).parent / "data" / "report_pages"
EXPECTED: dict[str, Any] = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
FIXTURES = sorted(name for name in EXPECTED if name.endswith(".html"))


def _expected_cells(spec: dict[str, Any]) -> dict[str, Any]:
    fmt = format_by_id(spec["format_id"])
    cells: dict[str, Any] = dict.fromkeys(fmt.cell_refs())
    for key, value in spec["T2"].items():
        cells[f"T2.{key}"] = Decimal(value) if isinstance(value, str) else value
    for row, values in spec["T3"].items():
        for column, value in zip(APPLICANT_COLUMNS, values, strict=True):
            cells[f"T3.{row}.{column}"] = value
    t4 = [f"T4.R1.{c.code}" for c in fmt.table("T4").columns]
    cells.update(zip(t4, spec["T4"], strict=True))
    assert set(cells) == set(fmt.cell_refs())
    return cells


def _read(name: str, **kwargs: Any) -> ReadResult:
    return read_html_report((PAGES / name).read_text(encoding="utf-8"), **kwargs)


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_pages_read_as_typed(name: str) -> None:
    """Every fixture page reads to the cells typed by hand in expected.json."""
    spec = EXPECTED[name]
    result = _read(name, year=spec["year"])
    assert result.format_id == spec["format_id"]
    assert dict(result.cells) == _expected_cells(spec)
    assert [[p.code, p.where] for p in result.problems] == spec["problems"]
    assert result.complete


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_pages_format_recognised_without_year(name: str) -> None:
    """The format is recognised from the labels alone."""
    assert _read(name).format_id == EXPECTED[name]["format_id"]


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_reports_pass_the_format_rules(name: str) -> None:
    """The fixtures' figures satisfy the format's rules; only their blank cells are flagged."""
    spec = EXPECTED[name]
    report = _read(name, year=spec["year"]).to_report(
        agency_code="fixture", agency_name="测试机关", year=spec["year"]
    )
    errors = [f for f in validate(report) if f.severity is Severity.ERROR]
    # The blank cells (empty, &nbsp; or a dash on the page) are the only errors: the validator
    # reports each blank once and does not evaluate the sums that read it.
    blanks = {ref for ref, value in _expected_cells(spec).items() if value is None}
    assert {(f.rule_id, f.field) for f in errors} == {(BLANK_CELL, ref) for ref in blanks}


def test_year_mismatch_is_reported_and_page_read_as_printed() -> None:
    """A 2021-format page passed as year 2020 is read as printed, with a warning."""
    result = _read("clean_2021_format_2023.html", year=2020)
    assert result.format_id == "CN-GI-ANNUAL-REPORT-2021"
    assert [p.code for p in result.problems] == ["format_mismatch"]


def test_to_report_needs_a_year() -> None:
    """A read without a year cannot become a report unless the year is given."""
    result = _read("clean_2021_format_2023.html")
    with pytest.raises(ReportParseError) as info:
        result.to_report(agency_code="x", agency_name="某局")
    assert info.value.field == "year"
    report = result.to_report(agency_code="x", agency_name="某局", year=2023)
    assert report.cell("T3.R1.total") == 109


def test_page_without_tables_raises() -> None:
    """A page without any table is not a report page."""
    with pytest.raises(ReportParseError) as info:
        read_html_report("<html><body><p>2023年年报见附件。</p></body></html>")
    assert info.value.code == "report.parse.no_table"


def test_page_with_unrelated_tables_raises() -> None:
    """Tables that match no report row are not taken for a report."""
    html = (
        "<table><tr><td>访问量</td><td>12345</td></tr><tr><td>联系电话</td><td>1</td></tr></table>"
    )
    with pytest.raises(ReportParseError) as info:
        read_html_report(html)
    assert info.value.code == "report.parse.no_report_table"


def _drop_row(html: str, text: str) -> str:
    start = html.index(text)
    row_start = html.rindex("<tr>", 0, start)
    row_end = html.index("</tr>", start) + len("</tr>")
    return html[:row_start] + html[row_end:]


def test_missing_row_raises_naming_it() -> None:
    """A row that is not on the page raises, naming the row; partial=True lists it instead."""
    html = (PAGES / "quirks_2021_format_2022.html").read_text(encoding="utf-8")
    broken = _drop_row(html, "4．无正当理由大量反复申请")
    with pytest.raises(ReportParseError) as info:
        read_html_report(broken)
    assert "T3.R3_5_4" in str(info.value)
    assert "无正当理由大量反复申请" in info.value.message_zh
    result = read_html_report(broken, partial=True)
    assert not result.complete
    assert [p.where for p in result.problems if p.severity == "error"] == ["T3.R3_5_4"]
    assert result.cells["T3.R3_5_4.total"] is None
    assert result.cells["T3.R3_5_5.total"] == 1


def test_row_with_wrong_cell_count_is_an_error() -> None:
    """A row with a missing value cell cannot be fitted: error, never a shifted read."""
    html = (PAGES / "clean_2021_format_2023.html").read_text(encoding="utf-8")
    tables = parse_tables(html)
    assert tables  # sanity: the page has tables
    page = """
    <table>
    <tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>1</td><td>2</td><td>3</td></tr>
    <tr><td colspan="3">二、上年结转政府信息公开申请数量</td><td>1</td><td>0</td><td>0</td>
        <td>0</td><td>0</td><td>0</td><td>1</td></tr>
    </table>"""
    result = read_html_report(page, partial=True)
    shapes = [p for p in result.problems if p.code == "row_shape"]
    assert [p.where for p in shapes] == ["T3.R1"]
    assert result.cells["T3.R1.natural_person"] is None
    assert result.cells["T3.R2.total"] == 1


def test_text_and_fraction_cells_are_blank_with_warnings() -> None:
    """ "暂无" and "1.5" in count cells are read as blank and reported."""
    page = """
    <table><tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>暂无</td><td>1.5</td>
    <td>3.0</td><td>0</td><td>0</td><td>0</td><td>3</td></tr></table>"""
    result = read_html_report(page, partial=True)
    by_code = {p.code: p for p in result.problems if p.severity == "warning"}
    assert by_code["text_in_cell"].where == "T3.R1.natural_person"
    assert by_code["fraction_in_count"].where == "T3.R1.commercial_enterprise"
    assert result.cells["T3.R1.natural_person"] is None
    assert result.cells["T3.R1.commercial_enterprise"] is None
    assert result.cells["T3.R1.research_institution"] == 3


def test_blank_is_never_zero() -> None:
    """An empty cell, a &nbsp; cell and a dash are all None; a printed 0 is 0."""
    page = """
    <table><tr><td colspan="3">二、上年结转政府信息公开申请数量</td><td></td><td>&nbsp;</td>
    <td>—</td><td>/</td><td>0</td><td>-</td><td>0</td></tr></table>"""
    cells = read_html_report(page, partial=True).cells
    values = [cells[f"T3.R2.{c}"] for c in APPLICANT_COLUMNS]
    assert values == [None, None, None, None, 0, None, 0]


def test_duplicate_row_keeps_the_first() -> None:
    """A row printed twice keeps its first reading and is reported."""
    row = '<tr><td colspan="3">一、本年新收政府信息公开申请数量</td>' + "<td>{0}</td>" * 7 + "</tr>"
    page = f"<table>{row.format(1)}{row.format(2)}</table>"
    result = read_html_report(page, partial=True)
    assert result.cells["T3.R1.total"] == 1
    assert [p.where for p in result.problems if p.code == "duplicate_row"] == ["T3.R1"]


# -- the building blocks ----------------------------------------------------------------------


def test_grid_expansion_handles_spans_and_missing_end_tags() -> None:
    """rowspan/colspan fill every covered slot; missing </td></tr> are tolerated."""
    (grid,) = parse_tables("<table><tr><td rowspan=2>A<td colspan=2>B<tr><td>C<td>D</table>")
    texts = [[slot.text if slot else None for slot in row] for row in grid.rows]
    assert texts == [["A", "B", "B"], ["A", "C", "D"]]
    assert [slot.origin for slot in grid.rows[0] if slot] == [True, True, False]


def test_grid_nested_tables_are_separate_and_text_joins_spans() -> None:
    """An inner table is its own grid; <span>1</span><span>2</span> reads as 12."""
    outer, inner = parse_tables(
        "<table><tr><td>外<table><tr><td><span>1</span><span>2</span></td></tr></table>"
        "</td></tr></table>"
    )
    outer_cell, inner_cell = outer.rows[0][0], inner.rows[0][0]
    assert outer_cell is not None
    assert outer_cell.text == "外"
    assert inner_cell is not None
    assert parse_value(inner_cell.text).value == 12


def test_grid_ignores_script_and_caps_absurd_spans() -> None:
    """Script text never lands in a cell; colspan="9999" is capped."""
    (grid,) = parse_tables(
        '<table><tr><td colspan="9999">x<script>var a="<td>";</script></td></tr></table>'
    )
    assert grid.width == 200
    cell = grid.rows[0][0]
    assert cell is not None
    assert cell.text == "x"


@pytest.mark.parametrize(
    ("page", "official"),
    [
        (
            "（二）部分公开（区分处理的，只计这一情况，不计其他情形）",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ),
        ("5.属于三类内容事务信息", "5.属于三类内部事务信息"),
        ('3.危及"三安全一稳定"', "3.危及“三安全一稳定”"),
        ("(三)不予公开", "（三）不予公开"),
        ("一、本年新收政府\n信息公开申请数量", "一、本年新收政府信息公开申请数量"),
        ("（二）部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
        (
            "1．申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
    ],
)
def test_label_variants_match(page: str, official: str) -> None:
    """Typos, punctuation and bracket variants still match their official label."""
    assert similarity(label(page), label(official)) >= 0.9


@pytest.mark.parametrize(
    ("page", "official"),
    [
        ("5.属于三类内部事务信息", "6.属于四类过程性信息"),
        (
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        ("3.其他", "（六）其他处理"),
        ("规章", "规范性文件"),
        ("访问量", "行政许可"),
    ],
)
def test_different_labels_do_not_match(page: str, official: str) -> None:
    """Neighbouring labels stay below the matching threshold."""
    assert similarity(label(page), label(official)) < 0.72


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("", None, "blank"),
        ("\xa0", None, "blank"),
        ("0", 0, "number"),
        ("1 2", 12, "number"),
        ("1,234", 1234, "number"),
        ("１２", 12, "number"),
        ("12件", 12, "number"),
        ("45.68万元", Decimal("45.68"), "number"),
        ("-3", -3, "number"),
        ("+2", 2, "number"),
        ("—", None, "dash"),
        ("——", None, "dash"),
        ("－", None, "dash"),
        ("/", None, "dash"),
        ("暂无", None, "text"),
        ("12元", None, "text"),
    ],
)
def test_parse_value(text: str, value: object, kind: str) -> None:
    """Cell texts read as documented in the reader's module docstring."""
    parsed = parse_value(text)
    assert (parsed.value, parsed.kind) == (value, kind)


# -- rendered pages, damaged the way real pages are --------------------------------------------


def _numbered_report(fmt_id: str, blanks: frozenset[int]) -> AnnualReport:
    fmt = format_by_id(fmt_id)
    values: dict[str, Any] = {}
    for i, ref in enumerate(fmt.cell_refs()):
        if i in blanks:
            values[ref] = None
        elif fmt.column(ref).decimal:
            values[ref] = Decimal(i) + Decimal("0.25")
        else:
            values[ref] = i * 7 % 1000
    year = 2023 if fmt_id == FORMAT_2021 else 2020
    return from_cells(fmt, values, agency_code="x", agency_name="某局", year=year)


def _damage(html: str, how: frozenset[str]) -> str:
    if "brackets" in how:
        html = html.replace("（", "(").replace("）", ")")
    if "commas" in how:
        html = html.replace("、", "，")
    if "quotes" in how:
        html = html.replace("“", '"').replace("”", '"')
    if "split_numbers" in how:
        html = re.sub(
            r'(<td data-cell="[^"]*"[^>]*>)(\d)(\d+)</td>',
            r"\1<span>\2</span><span>\3</span></td>",
            html,
        )
    if "nbsp" in how:
        html = re.sub(r">(\d+)</td>", r">&nbsp;\1&nbsp;</td>", html)
    if "line_breaks" in how:
        html = html.replace("政府信息公开申请数量", "政府信息<br>公开申请数量")
    if "no_end_tags" in how:
        html = html.replace("</td>", "").replace("</th>", "")
    if "split_table" in how:
        # Cut table 三 before （四）: the second part has no vertical 三、本年度办理结果 cell.
        group = "(四)无法提供" if "brackets" in how else "（四）无法提供"
        cut = html.rindex("<tr>", 0, html.index(group))
        html = (
            html[:cut]
            + '</table>\n<p style="page-break-before:always"></p>\n<table border="1">'
            + html[cut:]
        )
    if "attribute_data_stripped" in how:
        html = re.sub(r' (data-cell|class)="[^"]*"', "", html)
    return html


DAMAGE = (
    "brackets",
    "commas",
    "quotes",
    "split_numbers",
    "nbsp",
    "line_breaks",
    "no_end_tags",
    "split_table",
    "attribute_data_stripped",
)


@settings(max_examples=20, deadline=None)
@given(
    st.sampled_from((FORMAT_2021, FORMAT_2019_TRIAL)),
    st.frozensets(st.integers(0, 199), max_size=20),
    st.frozensets(st.sampled_from(DAMAGE)),
)
def test_damaged_rendered_pages_read_back(
    fmt_id: str, blanks: frozenset[int], how: frozenset[str]
) -> None:
    """A rendered page with real-world damage still reads back to the same cells."""
    report = _numbered_report(fmt_id, blanks)
    html = _damage(render_html(report, fragment=True), how)
    result = read_html_report(html, year=report.year)
    assert result.format_id == fmt_id
    assert dict(result.cells) == report.cell_map()
    assert result.complete


@pytest.mark.parametrize(
    ("encoding", "declared"),
    [("utf-8", "utf-8"), ("gb18030", "gb2312"), ("gb18030", None), ("utf-8-sig", None)],
)
def test_pages_fetched_as_bytes(encoding: str, declared: str | None) -> None:
    """Bytes are decoded by BOM, declared charset (GB2312 read as GB18030) or by trying."""
    html = (PAGES / "quirks_2021_format_2022.html").read_text(encoding="utf-8")
    html = html.replace(
        '<meta charset="utf-8">', f'<meta charset="{declared}">' if declared else ""
    )
    # 镕 is outside GB2312 but inside GB18030: real "gb2312" pages contain such characters.
    html = html.replace("某县农业农村局", "某县镕业农村局")
    result = read_html_report(html.encode(encoding), year=2022)
    assert dict(result.cells) == _expected_cells(EXPECTED["quirks_2021_format_2022.html"])
    assert "镕" in decode_page(html.encode(encoding))
