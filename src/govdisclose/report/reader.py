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
read as blank with a ``warning``; a fraction in a count column is a ``warning`` and blank.
A unit written into a cell is read and the value converted to the column's unit, with an
``info`` problem saying what was read: ``251000元`` in table 二's 本年收费金额 (the one
amount column of the 2021 format, in 万元: 第二十条第（八）项) is 25.1, ``7.5万元`` is 7.5,
``0.3亿元`` is 3000; ``12件`` (件, 个, 项, 次, 宗, 起, 条) in a count column is 12. A money unit
in a count column, a count unit in an amount column, or a money unit in an amount column whose
unit the format does not state (the 2019 trial format's 采购总金额) is a ``warning`` and
blank: nothing is guessed.

The format (2021, or the 2019 trial format) is recognised from the page's labels; ``year``
only breaks a tie and is kept for `ReadResult.to_report`. Standard library only (html.parser).

Bounded cost. A page is untrusted input (fetched from another unit's site), so what reading it
may cost is bounded, and a page over a bound raises `ReportParseError` with code
``report.parse.too_large``, naming the bound and its value, before its grids are built:

* `MAX_PAGE_CHARS` characters of page (bytes are refused above four bytes a character, before
  they are decoded);
* `MAX_TABLE_TAGS` ``<table>``, ``<tr>``, ``<td>`` and ``<th>`` elements in the page: counted
  while parsing, so the parse stops at the first element over the bound;
* `MAX_TABLE_CELLS` expanded cells in one table and `MAX_PAGE_CELLS` in all the tables of the
  page, where a table's expanded cells are its rows times its columns once the spans are laid
  out (and the slots its spanning cells fill): computed from the spans before a grid is built.

The official tables are far inside these bounds (the three tables of the 2021 format are 14 by
4, 28 by 10 and 4 by 15 cells, about 330 elements, the largest span ``rowspan="22"``); a page
that reaches one is not a report page.

Spans are read as browsers read them (HTML Living Standard, "forming a table"): the leading
ASCII digits of the value, so ``"2px"`` is 2, ``"1.5"`` is 1; a value that is not a
non-negative integer (``"-3"``, ``"x"``) and a missing attribute are 1, and so is ``0`` (as in
quirks mode, where pages without a standards doctype are shown; a standards-mode browser
stretches ``rowspan="0"`` to the end of its row group); ``colspan`` is capped at 1000 and
``rowspan`` at 65534 and at the last row of its table (a span reaching past the last ``<tr>``
creates no rows), so ``rowspan="99999999999999999999"`` is legal and cheap. The
HTML is tokenised by `html.parser`, whose handling of constructs left open at the end of the
page (an unterminated comment, tag or ``<!``/``<?`` declaration) is replaced by the standard's:
they run to the end of the page. That keeps the parse linear (``html.parser`` re-scans the rest
of the page for each such construct otherwise) and never raises its ``AssertionError`` on a
``<![`` section. Nothing recurses: nested tables are a list, not a call stack, so nesting depth
needs no bound of its own. A cell's text is normalised and matched once, however many rows its
``rowspan`` covers, and problem messages quote at most the first 40 characters of a cell.
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
from govdisclose.report._htmltables import Grid, _Cell as _SourceCell, _Parser, _Table
from govdisclose.report._labels import (
    Label,
    LabelIndex,
    ParsedValue,
    is_value_text,
    label,
    normalise,
    parse_value,
)
from govdisclose.report._spec import LayoutSpec, spec_for
from govdisclose.report.format import (
    FORMAT_2019_TRIAL,
    FORMAT_2021,
    ReportFormat,
    format_by_id,
    format_for_year,
)
from govdisclose.report.schema import AnnualReport, CellValue, from_cells

__all__ = [
    "MAX_PAGE_CELLS",
    "MAX_PAGE_CHARS",
    "MAX_TABLE_CELLS",
    "MAX_TABLE_TAGS",
    "ReadProblem",
    "ReadResult",
    "decode_page",
    "read_html_report",
    "read_report_grids",
]

#: The longest page read, in characters (the clean fixture page, 66 kB of Word HTML with
#: inline styles, is 63,000; a page over 2 million characters is not an annual report).
MAX_PAGE_CHARS = 2_000_000
#: The most ``<table>``, ``<tr>``, ``<td>`` and ``<th>`` elements in one page (the three tables
#: of a 2021 report have about 330). Each cell that may be a row label is matched against the
#: official labels, so this bounds the matching work too.
MAX_TABLE_TAGS = 20_000
#: The most expanded cells (rows times columns, spans laid out) of one table (table 三: 280).
MAX_TABLE_CELLS = 200_000
#: The most expanded cells of all the tables of one page.
MAX_PAGE_CELLS = 500_000
# The HTML standard's caps on spans (browsers apply the same).
_MAX_COLSPAN = 1000
_MAX_ROWSPAN = 65534

Severity = Literal["info", "warning", "error"]

# Below this similarity a cell is not taken for a row label (typos score about 0.9-1.0,
# unrelated labels below 0.5; see tests/test_report_reader.py).
_THRESHOLD = 0.72
# Same-group bonus: "3.其他" under （六） is R3_6_3 even if a typo made another label close.
_CONTEXT_BONUS = 0.1


@attrs.frozen
class ReadProblem:
    """Something the reader noticed.

    ``code``: ``dash_as_blank``, ``unit_converted``, ``unit_dropped`` (info: a unit written
    into a cell, converted to the column's unit or dropped because it is the column's),
    ``text_in_cell``, ``fraction_in_count``, ``unit_mismatch``, ``duplicate_row``,
    ``format_mismatch`` (warnings), ``row_missing``, ``row_shape`` (errors: a row not found, or a
    row whose cells could not be fitted to its columns).
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


# -- bounded parsing ---------------------------------------------------------------------------


def _too_large(what_zh: str, what_en: str, limit: int) -> ReportParseError:
    return ReportParseError(
        f"页面超出读取上限：{what_zh}超过 {limit:,} 个，这不是一份年报页面",
        f"the page is over a reading limit: more than {limit:,} {what_en}; this is not an "
        "annual-report page",
        field="html",
        code="report.parse.too_large",
    )


# "Rules for parsing non-negative integers" (HTML standard): leading ASCII whitespace, an
# optional sign, then the ASCII digits up to the first other character.
_SPAN = re.compile(r"[\t\n\f\r ]*([+-]?)([0-9]+)")


def _span(value: str | None, cap: int) -> int:
    """A ``rowspan``/``colspan`` value as browsers read it: 1 unless a positive integer, at
    most ``cap``; never converts more digits than the cap has (a value may be megabytes long)."""
    match = _SPAN.match(value) if value is not None else None
    if match is None:
        return 1
    sign, digits = match.groups()
    digits = digits.lstrip("0")
    if not digits or sign == "-":
        return 1  # zero, or negative (a parse error in the standard): the default
    return cap if len(digits) > len(str(cap)) else min(int(digits), cap)


class _BoundedParser(_Parser):
    """`govdisclose.report._htmltables`'s table parser with bounded cost (see the module's
    description): counts the table elements as they come, reads spans as browsers do, and lets
    every construct left open at the end of the page run to the end instead of being re-scanned.

    The guards compare with the last ``>`` and the last comment end of the whole page, computed
    once; ``html.parser`` keeps only the unparsed rest in ``rawdata`` between calls, so a
    position ``i`` in it is ``i + len(page) - len(rawdata)`` in the page.
    """

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags = 0
        self._size = len(page)
        self._last_gt = page.rfind(">")
        # The start of the last "--\s*>" (html.parser's comment end), found from the back.
        close = re.search(r">\s*--", page[::-1])
        self._last_comment_end = self._size - close.end() if close is not None else -1

    def _at(self, i: int) -> int:
        return i + self._size - len(self.rawdata)

    def _to_end(self) -> int:
        # What the standard does at end-of-file inside a tag, comment or declaration: the
        # construct takes the rest of the page (nothing of it is text).
        return len(self.rawdata)

    def _gt_after(self, i: int) -> bool:
        return self._last_gt >= self._at(i)

    def parse_starttag(self, i: int) -> int:
        return super().parse_starttag(i) if self._gt_after(i + 1) else self._to_end()

    def parse_endtag(self, i: int) -> int:
        return super().parse_endtag(i) if self._gt_after(i + 1) else self._to_end()

    def parse_pi(self, i: int) -> int:
        return super().parse_pi(i) if self._gt_after(i + 2) else self._to_end()

    def parse_bogus_comment(self, i: int, report: bool = True) -> int:
        return super().parse_bogus_comment(i, report) if self._gt_after(i + 2) else self._to_end()

    def parse_comment(self, i: int, report: bool = True) -> int:
        if self._last_comment_end < self._at(i + 4):
            return self._to_end()
        return super().parse_comment(i, report)

    def parse_html_declaration(self, i: int) -> int:
        if self.rawdata.startswith("<![", i):
            # The standard reads "<![" (CDATA, Word's "<![if !supportLists]>") in HTML content
            # as a bogus comment up to the next ">"; html.parser's marked sections re-scan the
            # rest of the page and raise AssertionError on an unknown keyword.
            return self.parse_bogus_comment(i)
        if not self._gt_after(i + 2):
            return self._to_end()
        return super().parse_html_declaration(i)

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        if tag == "table" or (tag in ("tr", "td", "th") and self.stack):
            self.tags += 1
            if self.tags > MAX_TABLE_TAGS:
                raise _too_large("表格元素（table、tr、td、th）", "table elements", MAX_TABLE_TAGS)
        if tag in ("td", "th") and self.stack:
            found = dict(attrs_)
            cell = _SourceCell(
                _span(found.get("rowspan"), _MAX_ROWSPAN),
                _span(found.get("colspan"), _MAX_COLSPAN),
                tag == "th",
            )
            self.stack[-1].open_cell(cell)
            return
        super().handle_starttag(tag, attrs_)

    def handle_startendtag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        # Browsers ignore the "/" of "<td/>" (only void elements such as <br> self-close).
        if tag == "br":
            super().handle_startendtag(tag, attrs_)
        else:
            self.handle_starttag(tag, attrs_)


def _layout(table: _Table, budget: int) -> int:
    """The expanded cells of ``table``, computed from its spans without building its grid
    (stops counting past ``budget``), after capping each ``rowspan`` at the table's last row.

    The count is the larger of rows times columns (the grid's size) and the slots the cells
    fill (overlapping spans fill some twice): both are what building the grid costs.
    """
    height = len(table.rows)
    # below[c]: the first row that the spans placed so far leave free in column c.
    below: list[int] = []
    width = filled = 0
    for r, cells in enumerate(table.rows):
        c = 0
        for cell in cells:
            cell.rowspan = min(cell.rowspan, height - r)
            filled += cell.rowspan * cell.colspan
            if filled > budget:
                return filled
            while c < len(below) and below[c] > r:
                c += 1
            end = c + cell.colspan
            if end > width:
                width = end
                if height * width > budget:
                    return height * width
                below.extend([0] * (end - len(below)))
            bottom = r + cell.rowspan
            for k in range(c, end):
                below[k] = max(below[k], bottom)
            c = end
    return max(filled, height * width)


# A "<" that cannot start markup is text; html.parser hands each one over on its own (a page of
# them costs a call per character), as "&lt;" they are read with the text around them.
_LONE_LT = re.compile(r"<(?![A-Za-z/!?])")


def _parse_tables(html: str) -> tuple[Grid, ...]:
    """`govdisclose.report._htmltables.parse_tables` within the reader's limits."""
    if len(html) > MAX_PAGE_CHARS:
        raise _too_large("页面字符", "characters", MAX_PAGE_CHARS)
    page = _LONE_LT.sub("&lt;", html)
    parser = _BoundedParser(page)
    try:
        parser.feed(page)
        parser.close()
    except AssertionError as err:  # html.parser's way of refusing markup (defensive)
        raise ReportParseError(
            "页面的 HTML 无法解析",
            f"the page's HTML cannot be parsed ({err})",
            field="html",
            code="report.parse.malformed_html",
        ) from err
    tables = sorted(parser.done, key=lambda t: t.index)
    total = 0
    for table in tables:
        size = _layout(table, min(MAX_TABLE_CELLS, MAX_PAGE_CELLS - total))
        if size > MAX_TABLE_CELLS:
            number = table.index + 1
            raise _too_large(
                f"第 {number} 个表格展开后的单元格",
                f"expanded cells in table {number}",
                MAX_TABLE_CELLS,
            )
        total += size
        if total > MAX_PAGE_CELLS:
            raise _too_large(
                "全部表格展开后的单元格", "expanded cells in all tables", MAX_PAGE_CELLS
            )
    return tuple(table.to_grid() for table in tables)


# -- the row stream ---------------------------------------------------------------------------


@attrs.frozen
class _Cell:
    """A source cell as it appears in one row: its first column there, its text, and what the
    reader needs of the text (computed once per source cell, however many rows it spans)."""

    col: int
    text: str
    ident: tuple[int, int]  # (table, cell) of the source cell
    label: Label
    is_value: bool


@attrs.frozen
class _Row:
    cells: tuple[_Cell, ...]
    empty_cols: frozenset[int]


def _blank(text: str) -> bool:
    return not text or text.isspace()  # stops at the first character that is not a space


def _rows(grids: Sequence[Grid]) -> list[_Row]:
    out: list[_Row] = []
    for g, grid in enumerate(grids):
        width = grid.width
        empty = frozenset(
            c
            for c in range(width)
            if all(
                c >= len(row) or row[c] is None or _blank(row[c].text)  # type: ignore[union-attr]
                for row in grid.rows
            )
        )
        known: dict[int, tuple[Label, bool]] = {}
        for row in grid.rows:
            seen: set[int] = set()
            cells: list[_Cell] = []
            for c, slot in enumerate(row):
                if slot is None or slot.cell in seen:
                    continue
                seen.add(slot.cell)
                facts = known.get(slot.cell)
                if facts is None:
                    facts = known[slot.cell] = (label(slot.text), is_value_text(slot.text))
                cells.append(_Cell(c, slot.text, (g, slot.cell), *facts))
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
    # Each source cell once: a cell spanning many rows must not repeat its text as often.
    seen: set[tuple[int, int]] = set()
    keys: list[str] = []
    for row in rows:
        for cell in row.cells:
            if cell.ident not in seen:
                seen.add(cell.ident)
                keys.append(cell.label.key)
    text = "".join(keys)
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


def _shown(text: str, limit: int = 40) -> str:
    """A cell's text for a message: spaces collapsed, at most ``limit`` characters."""
    shown = " ".join(text[: 4 * limit].split())
    return shown if len(shown) <= limit else shown[:limit] + "…"


def _is_t4_header(row: _Row) -> bool:
    keys = {cell.label.key for cell in row.cells}
    return "行政复议" in keys and "行政诉讼" in keys


class _Reading:
    def __init__(self, spec: LayoutSpec) -> None:
        self.spec = spec
        self.targets = _targets(spec)
        self.index = LabelIndex([t.label for t in self.targets])
        # label text -> the targets it might name, with their scores (only those a group
        # bonus could lift over the threshold: most cells keep an empty list).
        self.scored: dict[str, list[tuple[float, _Target]]] = {}
        self.parsed: dict[str, ParsedValue] = {}
        self.values: dict[str, CellValue] = dict.fromkeys(spec.refs())
        self.found: set[str] = set()
        self.problems: list[ReadProblem] = []

    def best(self, cell: _Cell, group: str | None) -> _Target | None:
        """The official row a label cell names, or None (below the threshold)."""
        candidates = self.scored.get(cell.text)
        if candidates is None:
            scores = self.index.scores(cell.label) if cell.label.key else []
            candidates = self.scored[cell.text] = [
                (score, target)
                for score, target in zip(scores, self.targets, strict=False)
                if score + _CONTEXT_BONUS >= _THRESHOLD
            ]
        best: tuple[float, _Target] | None = None
        for score, target in candidates:
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
        with_unit = _UNIT_VALUE.fullmatch("".join(normalise(text).split()).replace(",", ""))
        if with_unit is not None:
            return self.unit_value(ref, text, Decimal(with_unit.group(1)), with_unit.group(2))
        parsed = self.parsed.get(text)
        if parsed is None:
            parsed = self.parsed[text] = parse_value(text)
        shown = _shown(text)
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

    def unit_value(self, ref: str, text: str, number: Decimal, unit: str) -> CellValue:
        """A number written with its unit, in the column's unit (see the module's description)."""
        shown = _shown(text)
        column = format_by_id(self.spec.format_id).column(ref)
        money = unit in _TO_10K_YUAN
        if ref in self.spec.decimal_refs:
            if money and column.unit == "万元":
                value = _plain(number * _TO_10K_YUAN[unit])
                if unit == "万元":
                    self.problem(
                        "unit_dropped",
                        "info",
                        ref,
                        f"{ref}：“{shown}”按 {value}（万元）读取",
                        f"{ref}: {shown!r} read as {value} (the column is in 万元)",
                    )
                else:
                    self.problem(
                        "unit_converted",
                        "info",
                        ref,
                        f"{ref}：“{shown}”换算为本列单位万元，按 {value} 读取",
                        f"{ref}: {shown!r} converted to the column's unit 万元: {value}",
                    )
                return value
            wanted = column.unit or "（格式未注明）"
            self.problem(
                "unit_mismatch",
                "warning",
                ref,
                f"{ref}：“{shown}”的单位“{unit}”不能换算为本列单位{wanted}，按空白读取",
                f"{ref}: the unit {unit!r} of {shown!r} cannot be converted to the column's "
                f"unit ({column.unit or 'not stated by the format'}); read as blank",
            )
            return None
        if money:
            self.problem(
                "unit_mismatch",
                "warning",
                ref,
                f"{ref}：件数栏中写了金额“{shown}”，按空白读取",
                f"{ref}: an amount {shown!r} in a count column; read as blank",
            )
            return None
        if number != number.to_integral_value():
            self.problem(
                "fraction_in_count",
                "warning",
                ref,
                f"{ref}：件数“{shown}”不是整数，按空白读取",
                f"{ref}: count {shown!r} is not a whole number; read as blank",
            )
            return None
        count = int(number)
        self.problem(
            "unit_dropped",
            "info",
            ref,
            f"{ref}：“{shown}”按 {count} 读取",
            f"{ref}: {shown!r} read as {count}",
        )
        return count

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
        while start < len(row.cells) and not row.cells[start].is_value:
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
                if cell.is_value:
                    break
                target = self.best(cell, group)
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


# A number with a unit written after it (spaces and thousands separators removed first).
_UNIT_VALUE = re.compile(r"([+-]?[0-9]+(?:\.[0-9]+)?)(亿元|万元|千元|元|件|个|项|次|宗|起|条)")
# Factors from each money unit to 万元, the unit of the 2021 format's amount column.
_TO_10K_YUAN: Mapping[str, Decimal] = MappingProxyType(
    {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "万元": Decimal(1), "亿元": Decimal(10000)}
)


def _plain(value: Decimal) -> Decimal:
    """``25.1000`` as ``25.1`` and ``1E+2`` as ``100``: the amount as a clerk writes it."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value  # type: ignore[operator]


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
    ``year`` before 2019 (no uniform format) raises `ReportError`. A page over one of the
    reader's limits (`MAX_PAGE_CHARS`, `MAX_TABLE_TAGS`, `MAX_TABLE_CELLS`, `MAX_PAGE_CELLS`)
    raises `ReportParseError` with code ``report.parse.too_large`` before its tables are built,
    in either mode.

    .. versionchanged:: 0.2.0 the cost of reading a page is bounded (see the module's
       description); spans are read as browsers read them.
    """
    if isinstance(html, bytes):
        if len(html) > 4 * MAX_PAGE_CHARS:
            raise _too_large("页面字节", "bytes", 4 * MAX_PAGE_CHARS)
        text = decode_page(html)
    else:
        text = html
    return read_report_grids(_parse_tables(text), year=year, partial=partial)


def read_report_grids(
    grids: Sequence[Grid], *, year: int | None = None, partial: bool = False
) -> ReadResult:
    """Read tables 二, 三 and 四 from tables already laid out as grids (a spanning cell fills
    every slot it covers, its slots share `Slot.cell`), as `read_html_report` does once it
    has parsed a page: what `govdisclose.audit` uses for Word documents and PDFs.

    :param grids: `govdisclose.report._htmltables.Grid` values, one per table, in page order.
    :param year: as for `read_html_report`.
    :param partial: as for `read_html_report`.
    """
    rows = _rows(grids)
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
