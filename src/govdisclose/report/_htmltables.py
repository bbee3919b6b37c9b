"""Every ``<table>`` of an HTML page as a rectangular grid of cell texts (standard library only).

Published annual-report pages come out of CMS editors and Word's "save as web page": cells with
``<p>``/``<span>``/``<br>`` inside, missing ``</td>``/``</tr>`` end tags, nested layout tables,
odd ``rowspan``/``colspan`` values. This module turns each table into a grid where a spanning
cell occupies every slot it covers, so the reader can look at "row r, column c" the way a person
looks at the printed table.
"""

from __future__ import annotations

from html.parser import HTMLParser

import attrs

__all__ = ["Grid", "Slot", "parse_tables"]

# Browsers cap spans (HTML spec: colspan <= 1000, rowspan <= 65534); a far smaller cap keeps a
# garbled attribute from allocating a huge grid.
_MAX_SPAN = 200


@attrs.frozen
class Slot:
    """One position of the grid.

    ``cell`` numbers the source cell within its table (slots covered by one spanning cell share
    it), ``origin`` is true at the cell's top-left slot, ``text`` is the cell's text with
    ``<br>`` and block boundaries as ``\\n``.
    """

    cell: int
    text: str
    origin: bool
    header: bool = False


@attrs.frozen
class Grid:
    """One ``<table>``: ``rows[r][c]`` is a `Slot` or ``None`` where no cell reaches."""

    index: int
    rows: tuple[tuple[Slot | None, ...], ...]

    @property
    def width(self) -> int:
        """Number of columns of the widest row."""
        return max((len(row) for row in self.rows), default=0)


def _span(value: str | None) -> int:
    if value is None:
        return 1
    digits = "".join(ch for ch in value if ch.isdigit())
    if not digits:
        return 1
    number = int(digits[:6])
    return min(max(number, 1), _MAX_SPAN)


@attrs.define
class _Cell:
    rowspan: int
    colspan: int
    header: bool
    parts: list[str] = attrs.Factory(list)


@attrs.define
class _Table:
    index: int
    rows: list[list[_Cell]] = attrs.Factory(list)
    row_open: bool = False
    cell: _Cell | None = None

    def open_row(self) -> None:
        self.close_cell()
        self.rows.append([])
        self.row_open = True

    def open_cell(self, cell: _Cell) -> None:
        self.close_cell()
        if not self.row_open:
            self.open_row()
        self.cell = cell
        self.rows[-1].append(cell)

    def close_cell(self) -> None:
        self.cell = None

    def close_row(self) -> None:
        self.close_cell()
        self.row_open = False

    def to_grid(self) -> Grid:
        occupied: dict[tuple[int, int], Slot] = {}
        height = 0
        ident = 0
        for r, cells in enumerate(self.rows):
            c = 0
            height = max(height, r + 1)
            for cell in cells:
                while (r, c) in occupied:
                    c += 1
                text = _clean("".join(cell.parts))
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        occupied[(r + dr, c + dc)] = Slot(
                            ident, text, dr == 0 and dc == 0, cell.header
                        )
                c += cell.colspan
                ident += 1
        # A rowspan reaching past the last <tr> does not create rows (browsers do the same).
        width = max((c + 1 for (_, c) in occupied), default=0)
        rows = tuple(
            tuple(occupied.get((r, c)) for c in range(width))
            for r in range(height)
            if self.rows[r] or any((r, c) in occupied for c in range(width))
        )
        return Grid(self.index, rows)


_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6"})


def _clean(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Table] = []
        self.done: list[_Table] = []
        self.count = 0
        self.skip = 0

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
            return
        if tag == "table":
            self.stack.append(_Table(self.count))
            self.count += 1
            return
        if not self.stack:
            return
        table = self.stack[-1]
        if tag == "tr":
            table.open_row()
        elif tag in ("td", "th"):
            found = dict(attrs_)
            table.open_cell(
                _Cell(_span(found.get("rowspan")), _span(found.get("colspan")), tag == "th")
            )
        elif tag in _BLOCK_TAGS and table.cell is not None:
            table.cell.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        if tag == "br" and self.stack and self.stack[-1].cell is not None:
            self.stack[-1].cell.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(self.skip - 1, 0)
            return
        if not self.stack:
            return
        table = self.stack[-1]
        if tag == "table":
            table.close_row()
            self.done.append(self.stack.pop())
        elif tag == "tr":
            table.close_row()
        elif tag in ("td", "th"):
            table.close_cell()
        elif tag in _BLOCK_TAGS and table.cell is not None:
            table.cell.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skip or not self.stack:
            return
        cell = self.stack[-1].cell
        if cell is not None:
            cell.parts.append(data)

    def close(self) -> None:
        super().close()
        while self.stack:
            table = self.stack.pop()
            table.close_row()
            self.done.append(table)


def parse_tables(html: str) -> tuple[Grid, ...]:
    """The grids of every table of ``html``, in document order (an inner table comes right after
    the outer table that contains it; the outer cell does not include the inner table's text)."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return tuple(table.to_grid() for table in sorted(parser.done, key=lambda t: t.index))
