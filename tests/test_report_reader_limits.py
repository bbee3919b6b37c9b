"""The report reader's cost is bounded: hostile pages end quickly, with a typed error.

Published pages are untrusted input. Each bounded-cost case below runs in a child process under
``RLIMIT_AS`` (512 MB of address space) and is timed against a loop floor measured in that same
child (a plain Python loop of fixed length): the ratio, never an absolute time, is what is
asserted, so the tests hold on a slow or busy machine. Before the limits, the span cases died
with a raw ``MemoryError`` (a 70 kB page asked for 1.7 GB) and the ``html.parser`` cases ran for
minutes (quadratic re-scanning): ratios in the thousands.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from govdisclose.errors import ReportParseError
from govdisclose.report import reader
from govdisclose.report._htmltables import parse_tables
from govdisclose.report.reader import (
    MAX_PAGE_CELLS,
    MAX_PAGE_CHARS,
    MAX_TABLE_CELLS,
    MAX_TABLE_TAGS,
    read_html_report,
)

PAGES = Path(__file__).parent / "data" / "report_pages"
TOO_LARGE = "report.parse.too_large"

# -- in a child process, under a memory limit, against a loop floor ---------------------------

_CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from govdisclose.errors import ReportParseError
    from govdisclose.report.reader import read_html_report

    def floor():
        start = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i
        return time.perf_counter() - start

    with open(sys.argv[2], "rb") as f:
        data = f.read()
    page = data if sys.argv[3] == "bytes" else data.decode("utf-8")
    yardstick = min(floor() for _ in range(3))
    start = time.perf_counter()
    try:
        read_html_report(page, partial=True)
        code = None
    except ReportParseError as err:
        code = err.code
        assert err.message_zh and err.message_en
    except BaseException as err:
        code = "raw " + type(err).__name__
    elapsed = time.perf_counter() - start
    print(json.dumps({"code": code, "elapsed": elapsed, "floor": yardstick}))
    """
)
ADDRESS_SPACE = 512 * 2**20
# A linear read of the largest page here costs a few floors; a quadratic or exploding one
# costs thousands (or dies). The margin allows a busy machine.
MAX_RATIO = 40.0


def _in_child(tmp_path: Path, page: str | bytes) -> dict[str, object]:
    path = tmp_path / "page.html"
    path.write_bytes(page if isinstance(page, bytes) else page.encode("utf-8"))
    kind = "bytes" if isinstance(page, bytes) else "str"
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ADDRESS_SPACE), str(path), kind],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _span_bomb() -> str:
    # The testers' page: 200 cells with huge spans, 70 kB (1.7 GB before).
    cell = '<td rowspan="65534" colspan="1000">' + "x" * 300 + "</td>"
    return "<table>" + "".join(f"<tr>{cell}</tr>" for _ in range(200)) + "</table>"


def _many_spans() -> str:
    # 100 kB of spanning cells in rows (130 s before).
    row = "<tr>" + '<td rowspan="200" colspan="200">1</td>' * 20 + "</tr>"
    return "<table>" + row * 120 + "</table>"


def _wide_and_tall() -> str:
    # Few cells, a huge grid: one row 1000 columns wide over 1000 one-cell rows.
    return '<table><tr><td colspan="1000">x</td></tr>' + "<tr><td>1</td></tr>" * 1000


def _tag_flood() -> str:
    return "<table><tr>" + "<td>1" * 250_000


def _tables_over_the_page_limit() -> str:
    # Each table under the per-table limit, together over the page limit.
    table = "<table>" + '<tr><td colspan="1000">x</td></tr>' * 190 + "</table>"
    return table * 3


def _long_text_over_many_rows() -> str:
    # A 1 MB cell spanning 1000 rows: its text must be read once, not once per row.
    return (
        '<table><tr><td rowspan="1000">'
        + "本年新收政府信息公开申请数量" * 70_000
        + "</td><td>1</td></tr>"
        + "<tr><td>2</td></tr>" * 999
        + "</table>"
    )


def _open_end_tags() -> str:
    # html.parser re-scans the rest of the page for each "</" without a later ">".
    return "<table><tr><td>" + "</" * 250_000


def _open_comments() -> str:
    # ... and for each "<!--" without a later "-->".
    return "<table><tr><td>" + "<!--x>" * 80_000


def _open_declarations() -> str:
    return "<table><tr><td>" + "<![if >" * 70_000 + "<?" * 100_000


CASES: dict[str, tuple[Callable[[], str | bytes], str | None]] = {
    "span bomb": (_span_bomb, TOO_LARGE),
    "many spans": (_many_spans, TOO_LARGE),
    "wide and tall": (_wide_and_tall, TOO_LARGE),
    "tag flood": (_tag_flood, TOO_LARGE),
    "page limit across tables": (_tables_over_the_page_limit, TOO_LARGE),
    "oversized page": (lambda: "<table><tr><td>" + "数" * MAX_PAGE_CHARS, TOO_LARGE),
    "oversized bytes": (lambda: b" " * (4 * MAX_PAGE_CHARS + 1), TOO_LARGE),
    # Read (its label starts with the official one), in partial mode: no error.
    "long text over many rows": (_long_text_over_many_rows, None),
    "open end tags": (_open_end_tags, "report.parse.no_report_table"),
    "open comments": (_open_comments, "report.parse.no_report_table"),
    "open declarations": (_open_declarations, "report.parse.no_report_table"),
}


@pytest.mark.parametrize("case", CASES)
def test_hostile_page_ends_quickly_with_a_typed_error(tmp_path: Path, case: str) -> None:
    """Under 512 MB of address space, the read ends within a few loop floors, with the
    expected `ReportParseError` (both messages set) or, for ``None``, a result."""
    build, code = CASES[case]
    result = _in_child(tmp_path, build())
    assert result["code"] == code
    elapsed, floor = result["elapsed"], result["floor"]
    assert isinstance(elapsed, float)
    assert isinstance(floor, float)
    assert elapsed < MAX_RATIO * floor, f"{case}: {elapsed / floor:.1f} floors"


# -- the limits, named in the error ---------------------------------------------------------


def _too_large(page: str | bytes) -> ReportParseError:
    with pytest.raises(ReportParseError) as caught:
        read_html_report(page)
    assert caught.value.code == TOO_LARGE
    assert caught.value.field == "html"
    return caught.value


def test_each_limit_is_named_with_its_value() -> None:
    """The error says which limit was exceeded and what it is, in both languages."""
    cases = {
        f"{MAX_TABLE_CELLS:,}": _wide_and_tall(),
        f"{MAX_TABLE_TAGS:,}": _tag_flood(),
        f"{MAX_PAGE_CELLS:,}": _tables_over_the_page_limit(),
        f"{MAX_PAGE_CHARS:,}": "x" * (MAX_PAGE_CHARS + 1),
    }
    for limit, page in cases.items():
        err = _too_large(page)
        assert limit in err.message_zh
        assert limit in err.message_en
    assert "table 1" in _too_large(_wide_and_tall()).message_en
    assert "table elements" in _too_large(_tag_flood()).message_en
    assert "all tables" in _too_large(_tables_over_the_page_limit()).message_en
    assert "bytes" in _too_large(b"x" * (4 * MAX_PAGE_CHARS + 1)).message_en


def test_limits_hold_in_partial_mode_too() -> None:
    with pytest.raises(ReportParseError) as caught:
        read_html_report(_span_bomb(), partial=True)
    assert caught.value.code == TOO_LARGE


def test_just_under_the_limits_is_read() -> None:
    """The limits are on the grid, not on the attribute values: a table of exactly the
    largest size is built."""
    rows = MAX_TABLE_CELLS // 1000
    page = "<table>" + '<tr><td colspan="1000">x</td></tr>' * rows + "</table>"
    (grid,) = reader._parse_tables(page)
    assert (len(grid.rows), grid.width) == (rows, 1000)


# -- spans as browsers read them --------------------------------------------------------------


def _shape(cell_attrs: str, rows: int = 1) -> tuple[int, int]:
    extra = "<tr><td>y</td></tr>" * (rows - 1)
    (grid,) = reader._parse_tables(f"<table><tr><td {cell_attrs}>x</td></tr>{extra}</table>")
    first_column = [row[0].text if row and row[0] else None for row in grid.rows]
    return first_column.count("x"), len([s for s in grid.rows[0] if s and s.text == "x"])


@pytest.mark.parametrize(
    ("value", "span"),
    [
        ('"3"', 3),
        ('" 3"', 3),  # leading whitespace
        ('"+3"', 3),
        ('"3px"', 3),  # digits up to the first other character
        ('"1.5"', 1),  # not 15
        ('"2 3"', 2),  # not 23
        ('"-3"', 1),  # negative: the default
        ('"0"', 1),
        ('"x"', 1),
        ('""', 1),
        ("", 1),  # attribute without a value
        ('"１２"', 1),  # full-width digits are not ASCII digits
        ('"99999999999999999999"', 1000),  # capped at 1000
        ('"' + "9" * 100_000 + '"', 1000),  # never converted as a whole
    ],
)
def test_colspan_is_read_per_the_html_standard(value: str, span: int) -> None:
    assert _shape(f"colspan={value}" if value else "colspan") == (1, span)


@pytest.mark.parametrize(
    ("value", "rows", "span"),
    [
        ('"3"', 5, 3),
        ('"3px"', 5, 3),
        ('"-2"', 5, 1),
        ('"0"', 5, 1),
        ('"99999999999999999999"', 4, 4),  # capped at 65534, then at the last row
        ('"65535"', 3, 3),
    ],
)
def test_rowspan_is_read_per_the_html_standard(value: str, rows: int, span: int) -> None:
    assert _shape(f"rowspan={value}", rows) == (span, 1)


def test_self_closing_cell_opens_a_cell() -> None:
    """Browsers ignore the "/" of ``<td/>``."""
    (grid,) = reader._parse_tables("<table><tr><td/>a<td/>b</tr></table>")
    assert [slot.text if slot else None for slot in grid.rows[0]] == ["a", "b"]


@pytest.mark.parametrize("name", sorted(p.name for p in PAGES.glob("*.html")))
def test_bounded_parser_builds_the_same_grids_as_before(name: str) -> None:
    """On the fixture pages (spans under 200, markup closed) nothing changed."""
    html = (PAGES / name).read_text(encoding="utf-8")
    assert reader._parse_tables(html) == parse_tables(html)


# -- malformed markup: a typed error or a reading, never a raw exception -----------------------


def _reads_or_refuses(page: str) -> None:
    """The page reads, or is refused with a ``report.parse.*`` `ReportParseError`; any other
    exception propagates and fails the test."""
    code = None
    try:
        read_html_report(page, partial=True)
    except ReportParseError as err:
        code = err.code
    assert code is None or code.startswith("report.parse.")


@pytest.mark.parametrize(
    "page",
    [
        "<table><tr><td>x<![foo]>y</td></tr></table>",  # html.parser: AssertionError
        "<table><tr><td>x<![CDATA[ a > b ]]></td></tr></table>",
        "<table><tr><td>x<!-- never closed <td>y",
        "<table><tr><td>x</td><td title='never closed>y</td></tr></table>",
        "<table><tr><td>x<!doctype",
        "<table><tr><td>x<?php",
        "<table><tr><td>x</",
        "<table><tr><td>x<",
        "<table><tr><td>&#99999999999999999999;&#x110000;&bogus;</td></tr></table>",
        "<table><tr><td>\x00\ud800</td></tr></table>",
        "<table>" * 5000,
    ],
)
def test_malformed_markup_never_raises_raw(page: str) -> None:
    _reads_or_refuses(page)


def test_text_at_the_end_of_the_page_is_kept() -> None:
    """A "<" that starts nothing is text, also at the very end of the page."""
    (grid,) = reader._parse_tables("<table><tr><td>1 < 2 <<")
    cell = grid.rows[0][0]
    assert cell is not None
    assert cell.text == "1 < 2 <<"


def test_word_conditional_comments_are_skipped() -> None:
    (grid,) = reader._parse_tables(
        "<table><tr><td><![if !supportLists]>1.<![endif]>本年新收</td></tr></table>"
    )
    cell = grid.rows[0][0]
    assert cell is not None
    assert cell.text == "1.本年新收"


_FRAGMENTS = st.sampled_from(
    [
        "<table>",
        "</table>",
        "<tr>",
        "</tr>",
        "<td>",
        "</td>",
        "<th>",
        '<td rowspan="3">',
        '<td colspan="999999">',
        "<td rowspan=-1 colspan=0>",
        "<br/>",
        "<p>",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "<![",
        "]]>",
        "<!",
        "<?",
        "</",
        "<",
        ">",
        "'",
        '"',
        "=",
        "&",
        "&#",
        ";",
        "一、本年新收政府信息公开申请数量",
        "1",
        "—",
        " ",
    ]
)


@given(st.lists(_FRAGMENTS, max_size=60).map("".join))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_tag_soup_reads_or_raises_typed(page: str) -> None:
    """Whatever the markup, the reader returns a result or raises `ReportParseError`."""
    _reads_or_refuses(page)


def test_problem_messages_quote_at_most_the_start_of_a_cell() -> None:
    """A huge text in a value cell is reported by its first 40 characters, not copied into
    every message."""
    text = "暂无数据" * 40_000
    page = (
        '<table><tr><td colspan="3">一、本年新收政府信息公开申请数量</td>'
        + f"<td>{text}</td>" * 7
        + "</tr></table>"
    )
    result = read_html_report(page, partial=True)
    quoted = [p for p in result.problems if p.code == "text_in_cell"]
    assert len(quoted) == 7
    assert all(len(p.message_zh) < 120 and len(p.message_en) < 120 for p in quoted)
    assert all("…" in p.message_en for p in quoted)
