"""The league table rendered (issue 16): Markdown, HTML, CSV, .docx and the DataFrame each
carry the ranks, the totals, the records behind the lost points and the change since the
previous period, for the hand-computed dataset of tests/test_assessment.py."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from tests.test_assessment import PERIOD, SCHEME, TOTALS, _second_half, county_store

from govdisclose.assessment import (
    LEAGUE_COLUMNS,
    AssessmentResult,
    assess,
    keep_result,
    lost_point_rows,
    parse_scheme,
    render_csv,
    render_docx,
    render_html,
    render_markdown,
    to_frame,
)

#: every record behind a lost point in 2025H1, by agency (tests/test_assessment.EXPECTED)
LOST_IDS = {
    "health": {
        "H-A1",
        "H-R2",
        "H-R1",
        "H-C1",
        "H-RPT",
        "H-R3",
        "H-R4",
        "gov-2025#1/2025-05-31",
        "Q-H1",
    },
    "tax": {"T-A1", "T-R5", "T-R1", "tax/2024", "gov-2025#1/2025-05-31", "YQ-T1"},
}


@pytest.fixture(scope="module")
def first() -> AssessmentResult:
    return assess(county_store(), parse_scheme(SCHEME), PERIOD)


@pytest.fixture(scope="module")
def second() -> AssessmentResult:
    """2025H2 compared with the kept 2025H1: health 100.00 (1st, was 60.50 2nd), tax 64.00
    (2nd, was 37.69 3rd: T-A2 overdue 16 of 20, YQ-T2 overdue 0 of 5: 16 x 100 / 25 = 64),
    edu unranked (nothing settled; was 100.00 1st)."""
    store = county_store()
    scheme = parse_scheme(SCHEME)
    keep_result(store, assess(store, scheme, PERIOD))
    _second_half(store)
    return assess(store, scheme, "2025H2")


def test_the_second_half_compares_with_the_first(second: AssessmentResult) -> None:
    got = {
        r.agency: (r.rank, r.total, r.previous_rank, r.previous_total, r.change)
        for r in second.rows
    }
    assert got == {
        "health": (1, Decimal("100.00"), 2, TOTALS["health"], Decimal("39.50")),
        "tax": (2, Decimal("64.00"), 3, TOTALS["tax"], Decimal("26.31")),
        "edu": (None, None, 1, TOTALS["edu"], None),
    }
    assert [r.agency for r in second.rows] == ["health", "tax", "edu"]  # unranked last


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.items: list[str] = []
        self._cell: list[str] | None = None
        self._li: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "li":
            self._li = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None
        elif tag == "li" and self._li is not None:
            self.items.append("".join(self._li))
            self._li = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._li is not None:
            self._li.append(data)


def test_html_table_ranks_totals_and_lost_points(first: AssessmentResult) -> None:
    page = render_html(first)
    assert page == first.to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    parser = _Text()
    parser.feed(page)
    head, *body = parser.rows
    assert head[:2] == ["排名", "机关"]
    assert head[-1] == "总分"
    assert "上期" not in "".join(head)  # nothing to compare with
    assert [(r[0], r[1], r[-1]) for r in body] == [
        ("1", "某县教育局", "100.00"),
        ("2", "某县卫生健康局", "60.50"),
        ("3", "某县市场监督管理局", "37.69"),
    ]
    # health's row, indicator by indicator (the scheme's order)
    assert body[1][2:-1] == [
        "16.00",
        "7.50",
        "6.00",
        "6.00",
        "0.00",
        "3.00",
        "5.00",
        "5.00",
        "7.00",
        "5.00",
    ]
    # tax: not scored is a dash
    assert body[2][2:-1] == ["16.00", "2.50", "6.00", "—", "0.00", "—", "—", "0.00", "—", "0.00"]
    for agency, ids in LOST_IDS.items():
        for id in ids:
            assert any(f" {id}：" in item for item in parser.items), (agency, id)
    late = next(i for i in parser.items if "H-A1" in i)
    assert late == "申请 H-A1：答复期限2025-03-31，2025-04-01答复，逾期1个工作日（扣4.00分）"
    assert "样本2，少于最少样本3，不评分" in page
    assert first.columns[0].definition_zh in page


def test_html_change_column(second: AssessmentResult) -> None:
    parser = _Text()
    parser.feed(render_html(second))
    head, *body = parser.rows
    assert head[-2:] == ["上期（2025H1）", "变化"]
    assert [r[-3:] for r in body] == [
        ["100.00", "60.50（第2名）", "+39.50（↑1）"],
        ["64.00", "37.69（第3名）", "+26.31（↑1）"],
        ["—", "100.00（第1名）", "—"],
    ]


def test_markdown(first: AssessmentResult, second: AssessmentResult) -> None:
    text = render_markdown(first)
    assert text == first.to_markdown()
    lines = text.splitlines()
    assert lines[0] == "# 某县政务公开工作半年考核（2025年上半年）"
    table = [line for line in lines if line.startswith("| ")]
    assert table[2] == (
        "| 2 | 某县卫生健康局 | 16.00 | 7.50 | 6.00 | 6.00 | 0.00 | 3.00 | 5.00 | 5.00 | 7.00 "
        "| 5.00 | 60.50 |"
    )
    assert "### 某县市场监督管理局（tax）：总分 37.69，第3名" in lines
    assert (
        "  - 申请 T-A1：答复期限2025-03-31，截至2025-06-30未答复，已逾期61个工作日（扣4.00分）"
        in lines
    )
    for ids in LOST_IDS.values():
        for id in ids:
            assert f" {id}：" in text
    assert "各项指标均得满分。" not in text  # edu lost nothing, but opinion was not scored
    row = next(line for line in render_markdown(second).splitlines() if "某县卫生健康局 |" in line)
    assert row.endswith("| 100.00 | 60.50（第2名） | +39.50（↑1） |")


def test_csv(first: AssessmentResult, second: AssessmentResult) -> None:
    rows = list(csv.reader(io.StringIO(render_csv(first))))
    labels = [c.label_zh for c in first.columns]
    assert rows[0] == [*LEAGUE_COLUMNS[:3], *labels, *LEAGUE_COLUMNS[3:]]
    assert [(r[0], r[1], r[13]) for r in rows[1:]] == [
        ("1", "edu", "100.00"),
        ("2", "health", "60.50"),
        ("3", "tax", "37.69"),
    ]
    assert rows[3][3:13] == ["16.00", "2.50", "6.00", "", "0.00", "", "", "0.00", "", "0.00"]
    assert rows[3][14:] == ["", "", ""]
    later = list(csv.reader(io.StringIO(render_csv(second))))
    assert [r[13:] for r in later[1:]] == [
        ["100.00", "60.50", "2", "39.50"],
        ["64.00", "37.69", "3", "26.31"],
        ["", "100.00", "1", ""],
    ]


def test_lost_point_rows_trace_every_record(first: AssessmentResult) -> None:
    rows = lost_point_rows(first)
    by_agency: dict[str, set[str]] = {}
    for r in rows:
        by_agency.setdefault(r["agency"], set()).add(r["id"])
    assert by_agency == LOST_IDS
    a1 = next(r for r in rows if r["id"] == "H-A1")
    assert (a1["indicator"], a1["subject"], a1["points"]) == (
        "reply_on_time",
        "application",
        Decimal(4),
    )
    # under a linear or thresholds rule a record carries no points of its own
    assert next(r for r in rows if r["id"] == "H-R2")["points"] is None


def test_frame(first: AssessmentResult, second: AssessmentResult) -> None:
    pytest.importorskip("pandas")
    frame = to_frame(first)
    assert frame.index.tolist() == ["edu", "health", "tax"]
    assert frame["排名"].tolist() == [1, 2, 3]
    assert frame["总分"].tolist() == [100.0, 60.5, 37.69]
    assert frame.loc["health", "主动公开及时率"] == 7.5
    assert frame["复议诉讼纠错率"].isna().tolist() == [False, False, True]
    later = to_frame(second)
    # a column no agency was scored on is still a float column of NaN
    assert str(later["主动公开及时率"].dtype) == "float64"
    assert later["主动公开及时率"].isna().all()
    assert later["总分变化"].tolist()[:2] == [39.5, 26.31]
    assert later.loc["edu", "上期排名"] == 1
    lost = to_frame(first, lost_points=True)
    assert set(lost["id"]) == LOST_IDS["health"] | LOST_IDS["tax"]
    assert lost.loc[lost["id"] == "H-A1", "points"].tolist() == [4.0]


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    import re

    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def test_docx(first: AssessmentResult, second: AssessmentResult) -> None:
    pytest.importorskip("docx")
    data = render_docx(first)
    assert data == first.to_docx() == render_docx(first)  # stable bytes
    text = _docx_text(data)
    assert "某县政务公开工作半年考核（2025年上半年）" in text
    for total in ("100.00", "60.50", "37.69"):
        assert total in text
    assert "某县卫生健康局（health）：总分 60.50，第2名" in text
    for ids in LOST_IDS.values():
        for id in ids:
            assert f" {id}：" in text
    later = _docx_text(render_docx(second))
    assert "上期（2025H1）" in later
    assert "+39.50（↑1）" in later
    assert "60.50（第2名）" in later
