"""Saved report pages as text and table grids: HTML, Word (.docx) and PDF with a text layer.

Each reader gives a `SourceDocument`: the title, the narrative text outside the tables (one
paragraph a line) and the tables, either as the page itself (HTML, read by
`govdisclose.report.reader.read_html_report`) or as grids (`.docx`, PDF, read by
`govdisclose.report.reader.read_report_grids`), where a merged cell fills every slot it covers.

* **HTML**: the standard library's parser; the title is ``<title>``, else the first ``<h1>``.
* **Word**: python-docx (extra ``docx``). The body is read in order, paragraphs and tables; a
  merged cell (``gridSpan``, ``vMerge``) is one source cell over its slots.
* **PDF**: pdfplumber (extra ``pdf``). It finds ruled tables and gives every cell's box, from
  which the spans are rebuilt (``pypdf`` extracts text only, and ``pdftotext -layout`` loses the
  cell boundaries that tell a blank cell from a missing one). A table continued on the next page
  repeats its header rows there (Word's "repeat header row"), and a row broken across the page
  boundary leaves its label's tail in the next page's first row with no values: the repeated
  header rows are dropped and the broken row is joined up again. The text outside the tables'
  boxes is the narrative. A PDF without a text layer (a scan) is unreadable: nothing is guessed
  from pixels.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Literal

import attrs
from attrs import frozen

from govdisclose._install import install_hint
from govdisclose.errors import ReportParseError
from govdisclose.report._htmltables import Grid, Slot
from govdisclose.report.reader import MAX_PAGE_CHARS, decode_page

__all__ = ["SourceDocument", "SourceKind", "load_source"]

SourceKind = Literal["html", "docx", "pdf"]

_SUFFIXES: dict[str, SourceKind] = {
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}
# The most bytes a saved page may have (a report PDF with fonts embedded is well under 5 MB).
_MAX_FILE_BYTES = 50_000_000


@frozen
class SourceDocument:
    """One saved report: ``title``; ``text``, the narrative outside the tables, a paragraph a
    line; ``html``, the page (HTML sources), or ``grids``, its tables (Word, PDF)."""

    path: str
    kind: SourceKind
    title: str
    text: str
    html: str | None = None
    grids: tuple[Grid, ...] = ()


def _unreadable(path: Path, zh: str, en: str, code: str) -> ReportParseError:
    return ReportParseError(f"{path.name}：{zh}", f"{path.name}: {en}", field=str(path), code=code)


def _kind(path: Path, head: bytes) -> SourceKind:
    known = _SUFFIXES.get(path.suffix.lower())
    if known is not None:
        return known
    # A saved page without its usual suffix: the content says what it is.
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK"):
        return "docx"
    lowered = head.lower()
    if b"<table" in lowered or b"<html" in lowered:
        return "html"
    raise _unreadable(
        path,
        "不是可读取的年报文件（支持 HTML、.docx 和带文字层的 PDF）",
        "not a report file this audit reads (HTML, .docx and PDF with a text layer)",
        "audit.unsupported",
    )


def load_source(path: str | Path) -> SourceDocument:
    """Read a saved report page into a `SourceDocument`.

    :raises ReportParseError: the file cannot be read: missing or not a file
        (``audit.unreadable``), a type this audit does not read (``audit.unsupported``), a
        damaged Word or PDF file, a PDF without text (``audit.no_text``), an optional package
        missing (``audit.missing_package``). The message names the file and the reason.
    """
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > _MAX_FILE_BYTES:
            raise _unreadable(
                file,
                f"文件过大（{size:,} 字节，上限 {_MAX_FILE_BYTES:,}），不是一份年报",
                f"too large ({size:,} bytes, limit {_MAX_FILE_BYTES:,}); not a report",
                "audit.unreadable",
            )
        data = file.read_bytes()
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise _unreadable(
            file, f"无法读取：{reason}", f"cannot be read: {reason}", "audit.unreadable"
        ) from err
    kind = _kind(file, data[:4096])
    if kind == "html":
        return _html(file, data)
    if kind == "docx":
        return _docx(file, data)
    return _pdf(file, data)


# -- HTML ----------------------------------------------------------------------------------

_BLOCKS = frozenset(
    {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article"}
)


class _TextParser(HTMLParser):
    """The title and the text outside ``<table>``, ``<script>``, ``<style>`` and ``<head>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.h1: list[str] = []
        self.tables = 0
        self.skip = 0
        self.where: str | None = None

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables += 1
        elif tag in ("script", "style", "head"):
            self.skip += 1
        if tag == "title":
            self.where = "title"
        elif tag == "h1" and not self.h1:
            self.where = "h1"
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.tables = max(self.tables - 1, 0)
        elif tag in ("script", "style", "head"):
            self.skip = max(self.skip - 1, 0)
        if tag in ("title", "h1"):
            self.where = None
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.where == "title":
            self.title.append(data)
        elif self.where == "h1":
            self.h1.append(data)
        if not self.tables and not self.skip:
            self.parts.append(data)


def _lines(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _html(path: Path, data: bytes) -> SourceDocument:
    page = decode_page(data)
    if len(page) > MAX_PAGE_CHARS:
        raise _unreadable(
            path,
            f"页面超过 {MAX_PAGE_CHARS:,} 个字符，不是一份年报",
            f"the page is over {MAX_PAGE_CHARS:,} characters; not a report",
            "report.parse.too_large",
        )
    parser = _TextParser()
    try:
        parser.feed(page)
        parser.close()
    except AssertionError as err:  # html.parser's way of refusing markup
        raise _unreadable(
            path, "HTML 无法解析", f"the HTML cannot be parsed ({err})", "audit.unreadable"
        ) from err
    title = _lines("".join(parser.title)) or _lines("".join(parser.h1))
    return SourceDocument(str(path), "html", title, _lines("".join(parser.parts)), html=page)


# -- Word ----------------------------------------------------------------------------------


def _import(module: str, package: str, extra: str, path: Path) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as err:
        zh, en = install_hint(package, extra)
        raise _unreadable(
            path,
            f"读取需要 {package}。{zh}",
            f"reading it needs {package}; {en}",
            "audit.missing_package",
        ) from err


def _docx_grid(table: Any, index: int) -> Grid:
    # Keep every row's cells alive while numbering them: python-docx makes a new proxy per
    # access, and a merged cell is the same <w:tc> element in every slot it covers.
    rows = [list(row.cells) for row in table.rows]
    ident: dict[Any, int] = {}
    seen: set[int] = set()
    out: list[tuple[Slot | None, ...]] = []
    for cells in rows:
        slots: list[Slot | None] = []
        for cell in cells:
            number = ident.setdefault(cell._tc, len(ident))
            slots.append(Slot(number, _lines(cell.text), number not in seen))
            seen.add(number)
        out.append(tuple(slots))
    return Grid(index, tuple(out))


def _docx(path: Path, data: bytes) -> SourceDocument:
    docx = _import("docx", "python-docx", "docx", path)
    from io import BytesIO

    try:
        document = docx.Document(BytesIO(data))
    # python-docx raises what its zip and XML layers raise on a damaged package.
    except Exception as err:
        raise _unreadable(
            path,
            "不是有效的 Word 文档（.docx）",
            f"not a valid Word document ({type(err).__name__})",
            "audit.unreadable",
        ) from err
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    paragraphs: list[str] = []
    grids: list[Grid] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = _lines(Paragraph(element, document).text)
            if text:
                paragraphs.append(text)
        elif tag == "tbl":
            grids.append(_docx_grid(Table(element, document), len(grids)))
    title = paragraphs[0] if paragraphs else ""
    return SourceDocument(str(path), "docx", title, "\n".join(paragraphs), grids=tuple(grids))


# -- PDF -----------------------------------------------------------------------------------

# Characters of the CJK Radicals Supplement a PDF's fonts map some ideographs to (Chromium's
# output gives ⺠ for 民, ⻅ for 见); NFKC maps the Kangxi radicals (⼈ ⼯) but not these.
# From Unicode's EquivalentUnifiedIdeograph.txt, the ones that are whole simplified characters.
_RADICALS = str.maketrans(
    {
        "\u2e9d": "月",
        "\u2ea0": "民",
        "\u2ebc": "月",
        "\u2ec4": "西",
        "\u2ec5": "见",
        "\u2ec6": "角",
        "\u2ec9": "贝",
        "\u2ecb": "车",
        "\u2ed3": "长",
        "\u2ed4": "门",
        "\u2ed8": "青",
        "\u2eda": "页",
        "\u2edb": "风",
        "\u2edc": "飞",
        "\u2edd": "食",
        "\u2ee2": "马",
        "\u2ee4": "鬼",
        "\u2ee9": "黄",
        "\u2eec": "齐",
        "\u2eee": "齿",
        "\u2ef0": "龙",
    }
)
# Cell edges closer than this (points) are one edge: ruling lines have a width.
_EDGE = 2.0
_NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?\D{0,2}")


def _edges(values: Sequence[float]) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > _EDGE:
            out.append(value)
    return out


def _at(edges: Sequence[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _pdf_grid(table: Any, index: int) -> Grid:
    """A pdfplumber table as a grid: spans from each cell's box against the table's edges.

    A blank cell over several rows is left out: no value cell spans rows, so it is a label
    whose text is on another page (the continuation of 三、本年度办理结果 under a page break).
    """
    texts = table.extract()
    boxes = [
        (box, texts[r][c] or "")
        for r, row in enumerate(table.rows)
        for c, box in enumerate(row.cells)
        if box is not None
    ]
    xs = _edges([v for box, _ in boxes for v in (box[0], box[2])])
    ys = _edges([v for box, _ in boxes for v in (box[1], box[3])])
    slots: dict[tuple[int, int], Slot] = {}
    for number, (box, text) in enumerate(boxes):
        c0, c1 = _at(xs, box[0]), _at(xs, box[2])
        r0, r1 = _at(ys, box[1]), _at(ys, box[3])
        if r1 - r0 > 1 and not text.strip():
            continue
        for r in range(r0, max(r1, r0 + 1)):
            for c in range(c0, max(c1, c0 + 1)):
                slots[(r, c)] = Slot(number, _lines(text.translate(_RADICALS)), r == r0 and c == c0)
    height, width = max(len(ys) - 1, 1), max(len(xs) - 1, 1)
    rows = tuple(tuple(slots.get((r, c)) for c in range(width)) for r in range(height))
    return Grid(index, rows)


def _texts(row: Sequence[Slot | None]) -> tuple[str, ...]:
    return tuple("" if s is None else s.text for s in row)


def _is_number(text: str) -> bool:
    return bool(_NUMBER.fullmatch("".join(text.split())))


def _join_pages(grids: Sequence[Grid]) -> list[Grid]:
    """One grid per table: a table continued on the next page (same width, the same header
    rows repeated at its top) is appended to its start without those rows, and a row broken
    across the page boundary (its tail: label text only, no number) is joined to the row it
    ends."""
    out: list[Grid] = []
    for grid in grids:
        prev = out[-1] if out else None
        k = 0
        if prev is not None and grid.width == prev.width:
            while k < min(len(grid.rows), len(prev.rows)) and _texts(grid.rows[k]) == _texts(
                prev.rows[k]
            ):
                k += 1
        if prev is None or k == 0:
            out.append(Grid(len(out), grid.rows))
            continue
        rows = list(grid.rows[k:])
        tail_cells: set[int] = set()
        if rows and prev.rows:
            texts = _texts(rows[0])
            ends_with_numbers = any(_is_number(t) for t in _texts(prev.rows[-1]))
            if any(texts) and not any(_is_number(t) for t in texts) and ends_with_numbers:
                tail_cells = {s.cell for s in rows[0] if s is not None}
                prev = _append_tail(prev, rows[0])
                rows = rows[1:]
        # A label spanning rows across the page break (三、本年度办理结果, （四）无法提供) goes on
        # below it as an empty cell, or as the broken row's tail: it is the label above.
        same: dict[int, Slot] = {}
        if rows and prev.rows:
            last = prev.rows[-1]
            for c, slot in enumerate(rows[0]):
                above = last[c] if c < len(last) else None
                if slot is None or above is None or not above.text or _is_number(above.text):
                    continue
                if slot.cell in tail_cells or not slot.text:
                    same[slot.cell] = attrs.evolve(above, origin=False)
        # Number the continuation's cells after the start's, so no two cells share a number.
        offset = 1 + max((s.cell for row in prev.rows for s in row if s is not None), default=-1)
        moved = tuple(
            tuple(
                None if s is None else same.get(s.cell) or attrs.evolve(s, cell=s.cell + offset)
                for s in row
            )
            for row in rows
        )
        out[-1] = Grid(prev.index, prev.rows + moved)
    return out


def _append_tail(grid: Grid, tail: Sequence[Slot | None]) -> Grid:
    last = grid.rows[-1]
    extra: dict[int, str] = {}
    for c, slot in enumerate(tail):
        if slot is not None and slot.text and c < len(last) and last[c] is not None:
            cell = last[c].cell  # type: ignore[union-attr]
            if slot.cell not in {s.cell for s in tail[:c] if s is not None}:
                extra[cell] = extra.get(cell, "") + slot.text
    rows = tuple(
        tuple(
            attrs.evolve(s, text=s.text + extra[s.cell]) if s is not None and s.cell in extra else s
            for s in row
        )
        for row in grid.rows
    )
    return Grid(grid.index, rows)


def _inside(obj: dict[str, Any], boxes: Sequence[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)


def _page_cuts(page: Any) -> list[float]:
    """Where a table is cut by the page: the lowest and highest ends of its vertical rules.

    A browser printing a table across pages draws no border where it cuts it (the row's
    bottom border belongs to the next row, on the next page), so the last row on the page is
    open at the bottom and pdfplumber would drop it. A horizontal rule at the lowest end of
    the vertical rules closes it; where the table is closed already, it falls on the border.
    """
    vertical = [e for e in page.edges if e["orientation"] == "v"]
    if not vertical:
        return []
    return [min(e["top"] for e in vertical), max(e["bottom"] for e in vertical)]


def _pdf_pages(pdf: Any) -> Iterator[tuple[str, list[Grid]]]:
    for page in pdf.pages:
        tables = page.find_tables({"explicit_horizontal_lines": _page_cuts(page)})
        boxes = [t.bbox for t in tables]
        outside = page.filter(lambda obj, boxes=boxes: not _inside(obj, boxes))
        text = (outside.extract_text() or "").translate(_RADICALS)
        yield text, [_pdf_grid(t, 0) for t in tables]


def _pdf(path: Path, data: bytes) -> SourceDocument:
    pdfplumber = _import("pdfplumber", "pdfplumber", "pdf", path)
    from io import BytesIO

    texts: list[str] = []
    grids: list[Grid] = []
    # pdfminer logs a warning per glyph of a font it finds odd (Chromium's embedded subsets):
    # noise on the user's terminal, not a fault of the report.
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with pdfplumber.open(BytesIO(data)) as pdf:
            for text, found in _pdf_pages(pdf):
                texts.append(text)
                grids.extend(found)
    # A damaged file makes pdfminer raise almost anything (pdfplumber wraps some of it in its
    # PdfminerException): whatever the parser raises, the file is not a readable PDF.
    except Exception as err:
        raise _unreadable(
            path,
            "不是有效的 PDF 文件",
            f"not a valid PDF ({type(err).__name__})",
            "audit.unreadable",
        ) from err
    finally:
        logger.setLevel(level)
    text = _lines("\n".join(texts))
    if not text.strip() and not any(s for g in grids for row in g.rows for s in row):
        raise _unreadable(
            path,
            "PDF 没有文字层（可能是扫描件），无法读取",
            "the PDF has no text layer (a scan?); nothing can be read",
            "audit.no_text",
        )
    joined = _join_pages(grids)
    title = _title_lines(text)
    return SourceDocument(str(path), "pdf", title, text, grids=tuple(joined))


def _title_lines(text: str) -> str:
    # A PDF's title may wrap: the lines up to the one ending in 报告, joined.
    lines = text.split("\n")[:4]
    for i, line in enumerate(lines):
        if line.rstrip().endswith("报告"):
            return "".join(lines[: i + 1])
    return lines[0] if lines else ""
