"""Read the three statistical tables back from a published annual-report web page.

Agencies publish their 年报 as an HTML page with tables 二, 三 and 四 inline
(users-and-formats.md §1.3); last year's report is where 上年结转 comes from, and other units'
reports are what a 主管部门 compares. Those pages are hand-made: typos in labels
("只计这一情况", "三类内容事务信息"), ``、`` vs ``，``, full- and half-width brackets, curly and
straight quotes, ``<br>``/``<span>`` inside cells, numbers split across tags
(``<span>1</span><span>2</span>``), non-breaking spaces, one table split into several
``<table>`` elements, colspans and rowspans that do not add up, extra empty columns.

How the reader copes:

* every ``<table>`` is expanded into a grid (a spanning cell fills every slot it covers), and
  the rows of all tables are read as one stream, so a table split over several elements reads
  like one;
* a row is recognised by its label cells, matched leniently against the format's labels
  (`govdisclose.report._labels`); the cells after the matched label are its values, fitted to
  the expected column count (empty extra columns and trailing blank cells are dropped);
* table 四 has no row label: its data row is the first row with values after the header row
  that names 行政复议 and 行政诉讼.

Cell conventions (documented, because analysts must keep them apart, users-and-formats.md
§3.1): an empty cell is blank (``None``), never 0; a dash or slash (``—``, ``-``, ``/``) is
read as blank too, with an ``info`` problem saying so; text that is not a number (``暂无``) is
read as blank with a ``warning``; ``12件`` and ``12.5万元`` drop their unit; a fraction in a count
column is a ``warning`` and blank.

The format (2021, or the 2019 trial format) is recognised from the page's labels; ``year``
only breaks a tie and is kept for `ReadResult.to_report`. Standard library only (html.parser).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Literal

import attrs

from govdisclose.errors import ReportParseError
from govdisclose.report._htmltables import Grid, parse_tables
from govdisclose.report._labels import Label, LabelIndex, is_value_text, label, parse_value
from govdisclose.report._spec import LayoutSpec, spec_for
from govdisclose.report.format import (
    FORMAT_2019_TRIAL,
    FORMAT_2021,
    ReportFormat,
    format_by_id,
    format_for_year,
)
from govdisclose.report.schema import AnnualReport, CellValue, from_cells

__all__ = ["ReadProblem", "ReadResult", "decode_page", "read_html_report"]

Severity = Literal["info", "warning", "error"]

# Below this similarity a cell is not taken for a row label (typos score about 0.9-1.0,
# unrelated labels below 0.5; see tests/test_report_reader.py).
_THRESHOLD = 0.72
# Same-group bonus: "3.其他" under （六） is R3_6_3 even if a typo made another label close.
_CONTEXT_BONUS = 0.1


@attrs.frozen
class ReadProblem:
    """Something the reader noticed.

    ``code``: ``dash_as_blank`` (info), ``text_in_cell``, ``fraction_in_count``,
    ``duplicate_row``, ``format_mismatch`` (warnings), ``row_missing``, ``row_shape`` (errors:
    a row not found, or a row whose cells could not be fitted to its columns).
    ``where`` is a cell reference (``T3.R1.total``), a row (``T3.R3_6_1``) or a table (``T4``).
    """

    code: str
    severity: Severity
    where: str
    message_zh: str
    message_en: str


def _freeze(values: Mapping[str, CellValue]) -> Mapping[str, CellValue]:
    return MappingProxyType(dict(values))


@attrs.frozen
class ReadResult:
    """The cells read from a page.

    ``cells`` maps every cell reference of the format to its value (``None`` = blank or not
    read); ``problems`` lists what the reader noticed; ``year`` is the year passed to the
    reader, if any.
    """

    format_id: str
    cells: Mapping[str, CellValue] = attrs.field(converter=_freeze)
    problems: tuple[ReadProblem, ...] = ()
    year: int | None = None

    @property
    def format(self) -> ReportFormat:
        """The format the page was read as."""
        return format_by_id(self.format_id)

    @property
    def complete(self) -> bool:
        """True if no ``error`` problem was found (every row was found and fitted)."""
        return not any(p.severity == "error" for p in self.problems)

    def to_report(
        self,
        *,
        agency_code: str,
        agency_name: str,
        year: int | None = None,
        preamble: str = "",
        overview: str = "",
        problems: str = "",
        other_matters: str = "",
    ) -> AnnualReport:
        """An `AnnualReport` with these cells (``year`` defaults to the one given the reader)."""
        report_year = year if year is not None else self.year
        if report_year is None:
            raise ReportParseError(
                "转换为年报需要年度：请传入 year",
                "a year is needed to build the report: pass year=",
                field="year",
                code="report.parse.year_missing",
            )
        return from_cells(
            self.format,
            self.cells,
            agency_code=agency_code,
            agency_name=agency_name,
            year=report_year,
            preamble=preamble,
            overview=overview,
            problems=problems,
            other_matters=other_matters,
        )


# -- the row stream ---------------------------------------------------------------------------


@attrs.frozen
class _Cell:
    col: int
    text: str


@attrs.frozen
class _Row:
    cells: tuple[_Cell, ...]
    empty_cols: frozenset[int]


def _rows(grids: Sequence[Grid]) -> list[_Row]:
    out: list[_Row] = []
    for grid in grids:
        width = grid.width
        empty = frozenset(
            c
            for c in range(width)
            if all(
                c >= len(row) or row[c] is None or not row[c].text.strip()  # type: ignore[union-attr]
                for row in grid.rows
            )
        )
        for row in grid.rows:
            seen: set[int] = set()
            cells: list[_Cell] = []
            for c, slot in enumerate(row):
                if slot is None or slot.cell in seen:
                    continue
                seen.add(slot.cell)
                cells.append(_Cell(c, slot.text))
            if cells:
                out.append(_Row(tuple(cells), empty))
    return out


# -- format detection -------------------------------------------------------------------------

_MARKERS: Mapping[str, tuple[str, ...]] = {
    FORMAT_2021: (
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年处理决定数量",
        "本年收费金额",
        "申请人无正当理由逾期不补正",
        "申请人逾期未按收费通知要求缴纳费用",
    ),
    FORMAT_2019_TRIAL: (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "其他对外管理服务事项",
        "政府集中采购",
        "采购总金额",
    ),
}


def _detect(rows: Sequence[_Row], year: int | None) -> tuple[ReportFormat, ReadProblem | None]:
    text = "".join(label(cell.text).key for row in rows for cell in row.cells)
    scores = {fid: sum(marker in text for marker in markers) for fid, markers in _MARKERS.items()}
    expected = format_for_year(year) if year is not None else None
    best = max(scores.values())
    leaders = [fid for fid, score in scores.items() if score == best]
    if best == 0 or len(leaders) > 1:
        return (expected or format_by_id(FORMAT_2021)), None
    found = format_by_id(leaders[0])
    if expected is not None and expected.format_id != found.format_id:
        return found, ReadProblem(
            "format_mismatch",
            "warning",
            "format_id",
            f"{year}年度应使用格式{expected.format_id}，页面表格是{found.format_id}，按页面读取",
            f"report year {year} should use {expected.format_id}, the page's tables are "
            f"{found.format_id}; read as printed",
        )
    return found, None


# -- matching ---------------------------------------------------------------------------------


@attrs.frozen
class _Target:
    table: str
    code: str
    label: Label
    parent: str | None
    has_data: bool
    columns: tuple[str, ...]


def _targets(spec: LayoutSpec) -> tuple[_Target, ...]:
    out = [
        _Target("T2", code, label(text), None, True, tuple(c for c, _ in block.columns))
        for block in spec.t2_blocks
        for code, text in block.rows
    ]
    t3_columns = tuple(code for code, _, _ in spec.t3_columns)
    out.extend(
        _Target("T3", row.code, label(row.label), row.parent, row.has_data_cells, t3_columns)
        for row in spec.t3_rows
    )
    return tuple(out)


def _fit(cells: Sequence[_Cell], expected: int, empty_cols: frozenset[int]) -> list[str] | None:
    """The value texts of a row fitted to ``expected`` columns, or None if they do not fit."""
    if len(cells) == expected:
        return [c.text for c in cells]
    kept = [c for c in cells if c.col not in empty_cols] if len(cells) > expected else list(cells)
    while len(kept) > expected and not kept[-1].text.strip():
        kept.pop()
    if len(kept) == expected:
        return [c.text for c in kept]
    return None


def _is_t4_header(row: _Row) -> bool:
    keys = {label(cell.text).key for cell in row.cells}
    return "行政复议" in keys and "行政诉讼" in keys


class _Reading:
    def __init__(self, spec: LayoutSpec) -> None:
        self.spec = spec
        self.targets = _targets(spec)
        self.index = LabelIndex([t.label for t in self.targets])
        self.scored: dict[str, list[float]] = {}
        self.values: dict[str, CellValue] = dict.fromkeys(spec.refs())
        self.found: set[str] = set()
        self.problems: list[ReadProblem] = []

    def best(self, text: str, group: str | None) -> _Target | None:
        """The official row a label cell names, or None (below the threshold)."""
        scores = self.scored.get(text)
        if scores is None:
            page = label(text)
            scores = self.scored[text] = self.index.scores(page) if page.key else []
        best: tuple[float, _Target] | None = None
        for score, target in zip(scores, self.targets, strict=False):
            if group is not None and target.parent == group:
                score += _CONTEXT_BONUS
            if score >= _THRESHOLD and (best is None or score > best[0]):
                best = (score, target)
        return best[1] if best else None

    def problem(self, code: str, severity: Severity, where: str, zh: str, en: str) -> None:
        self.problems.append(ReadProblem(code, severity, where, zh, en))

    def store(self, table: str, row: str, columns: Sequence[str], texts: Sequence[str]) -> None:
        for column, text in zip(columns, texts, strict=True):
            ref = f"{table}.{row}.{column}"
            self.values[ref] = self.value(ref, text)

    def value(self, ref: str, text: str) -> CellValue:
        parsed = parse_value(text)
        shown = " ".join(text.split())
        if parsed.kind == "dash":
            self.problem(
                "dash_as_blank",
                "info",
                ref,
                f"{ref}：“{shown}”按空白读取",
                f"{ref}: {shown!r} read as blank",
            )
            return None
        if parsed.kind == "text":
            self.problem(
                "text_in_cell",
                "warning",
                ref,
                f"{ref}：“{shown}”不是数字，按空白读取",
                f"{ref}: {shown!r} is not a number; read as blank",
            )
            return None
        value = parsed.value
        if ref in self.spec.decimal_refs:
            return None if value is None else Decimal(value)
        if isinstance(value, Decimal):
            if value == value.to_integral_value():
                return int(value)
            self.problem(
                "fraction_in_count",
                "warning",
                ref,
                f"{ref}：件数“{shown}”不是整数，按空白读取",
                f"{ref}: count {shown!r} is not a whole number; read as blank",
            )
            return None
        return value

    def take_row(self, target: _Target, values: Sequence[_Cell], row: _Row) -> None:
        key = f"{target.table}.{target.code}"
        if key in self.found:
            self.problem(
                "duplicate_row",
                "warning",
                key,
                f"{key}（{target.label.key}）在页面中出现多次，取第一次",
                f"{key} ({target.label.key}) appears more than once; the first is kept",
            )
            return
        self.found.add(key)
        texts = _fit(values, len(target.columns), row.empty_cols)
        if texts is None:
            self.problem(
                "row_shape",
                "error",
                key,
                f"{key}（{target.label.key}）有{len(values)}个数据格，应为{len(target.columns)}个",
                f"{key} ({target.label.key}) has {len(values)} value cells, expected "
                f"{len(target.columns)}",
            )
            return
        self.store(target.table, target.code, target.columns, texts)

    def take_t4(self, row: _Row) -> bool:
        start = 0
        while start < len(row.cells) and not is_value_text(row.cells[start].text):
            start += 1
        values = row.cells[start:]
        columns = self.spec.t4_column_codes
        # The header rows below 行政复议/行政诉讼 may end in empty cells; the data row is the
        # first row made mostly of values.
        if 2 * len(values) < len(columns):
            return False
        self.found.add("T4.R1")
        texts = _fit(values, len(columns), row.empty_cols)
        if texts is None:
            self.problem(
                "row_shape",
                "error",
                "T4.R1",
                f"表四数据行有{len(values)}个数据格，应为{len(columns)}个",
                f"table 四 data row has {len(values)} value cells, expected {len(columns)}",
            )
        else:
            self.store("T4", "R1", columns, texts)
        return True

    def run(self, rows: Sequence[_Row]) -> None:
        group: str | None = None
        t4_pending = False
        for row in rows:
            if _is_t4_header(row):
                t4_pending = "T4.R1" not in self.found
                continue
            if t4_pending:
                if self.take_t4(row):
                    t4_pending = False
                continue
            matched: _Target | None = None
            # Values start after the last recognised label, group labels included: a rowspan
            # that is one too large pushes the group label to the right of the leaf label.
            last_label = -1
            for i, cell in enumerate(row.cells):
                if is_value_text(cell.text):
                    break
                target = self.best(cell.text, group)
                if target is None:
                    continue
                last_label = i
                if target.table == "T3":
                    if not target.has_data:
                        group = target.code
                    elif target.parent is None:
                        group = None
                if target.has_data:
                    matched = target
            if matched is None:
                continue
            values = row.cells[last_label + 1 :]
            if values:
                self.take_row(matched, values, row)

    def missing(self) -> None:
        wanted = [
            (f"T2.{code}", text) for block in self.spec.t2_blocks for code, text in block.rows
        ]
        wanted.extend((f"T3.{row.code}", row.label) for row in self.spec.t3_data_rows)
        wanted.append(("T4.R1", "行政复议、行政诉讼数据行"))
        for key, text in wanted:
            if key not in self.found:
                self.problem(
                    "row_missing",
                    "error",
                    key,
                    f"未找到“{text}”行",
                    f"row {key} ({text}) not found on the page",
                )


_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
# GB2312 and GBK pages routinely contain characters only GB18030 (their superset) names.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "iso-8859-1": "cp1252"}


def decode_page(data: bytes) -> str:
    """The text of a page fetched as bytes.

    The encoding is the BOM's, else the ``charset`` declared in the first 4 kB (GB2312/GBK
    decoded as GB18030, their superset), else UTF-8 if the bytes are valid UTF-8, else GB18030:
    older government sites still serve GB2312 without declaring it.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    declared = _CHARSET.search(data[:4096])
    if declared is not None:
        name = declared.group(1).decode("ascii").lower()
        name = _SUPERSETS.get(name, name)
        try:
            return data.decode(name, errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def read_html_report(
    html: str | bytes, *, year: int | None = None, partial: bool = False
) -> ReadResult:
    """Read tables 二, 三 and 四 of a published annual-report page.

    :param html: the page (or any fragment containing the tables), as text, or as the bytes
        fetched from the site (decoded by `decode_page`).
    :param year: the report year, if known: it picks the expected format when the page's labels
        do not tell, and is kept for `ReadResult.to_report`.
    :param partial: if false (default), a row that cannot be found or fitted raises
        `ReportParseError` naming every such row; if true, those rows stay blank and are listed
        in `ReadResult.problems` with severity ``error``.

    A page with no recognisable report table raises `ReportParseError` in either mode; a
    ``year`` before 2019 (no uniform format) raises `ReportError`.
    """
    text = decode_page(html) if isinstance(html, bytes) else html
    rows = _rows(parse_tables(text))
    if not rows:
        raise ReportParseError(
            "页面中没有表格：年报的表二、表三、表四应以 <table> 发布",
            "the page has no table: tables 二, 三 and 四 of an annual report are published as "
            "<table> elements",
            code="report.parse.no_table",
        )
    fmt, mismatch = _detect(rows, year)
    reading = _Reading(spec_for(fmt))
    if mismatch is not None:
        reading.problems.append(mismatch)
    reading.run(rows)
    if not reading.found:
        raise ReportParseError(
            "页面中没有可识别的年报表格（未找到表二、表三、表四的任何一行）",
            "no annual-report table recognised on the page (no row of tables 二, 三 or 四 matched)",
            code="report.parse.no_report_table",
        )
    reading.missing()
    errors = [p for p in reading.problems if p.severity == "error"]
    if errors and not partial:
        listed_zh = "；".join(p.message_zh for p in errors[:8])
        listed_en = "; ".join(p.message_en for p in errors[:8])
        more = f" (+{len(errors) - 8})" if len(errors) > 8 else ""
        raise ReportParseError(
            f"年报表格未能完整读取：{listed_zh}{more}（可用 partial=True 读取其余部分）",
            f"the report tables could not be read completely: {listed_en}{more} "
            "(partial=True reads the rest)",
            field=errors[0].where,
            code="report.parse.incomplete",
        )
    return ReadResult(fmt.format_id, reading.values, tuple(reading.problems), year)
