"""A worksheet as a grid of values: from an .xlsx (openpyxl) or a .csv, merged ranges filled in.

openpyxl is the optional extra ``excel``; it is imported when a workbook is read or written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from attrs import frozen

from govdisclose._install import install_hint
from govdisclose.errors import GovDiscloseError
from govdisclose.ledger._cells import CellProblem, LedgerImportError
from govdisclose.ledger._headers import Header, HeaderMatcher, find_header

__all__ = ["Grid", "Source", "load_grid", "locate_header", "openpyxl_module"]

#: What a reader takes: a path (.xlsx or .csv), the file's bytes, or a binary stream.
Source = str | Path | bytes | IO[bytes]


def openpyxl_module() -> Any:
    """openpyxl, or a `GovDiscloseError` saying how to install it."""
    try:
        import openpyxl  # type: ignore[import-untyped]
    except ImportError as err:  # pragma: no cover - the extra is installed in the test venvs
        zh, en = install_hint("openpyxl", "excel")
        raise GovDiscloseError(
            f"读写 Excel 台账需要 openpyxl。{zh}",
            f"reading and writing Excel ledgers needs openpyxl; {en}",
            code="ledger.needs_openpyxl",
        ) from err
    return openpyxl


@frozen
class Grid:
    """One sheet's values by ``(row, column)``, 1-based, empty cells left out; ``merged`` maps
    every cell of a merged range to the range's top-left cell (whose value it was given);
    ``epoch_1904`` is the workbook's date system."""

    sheet: str
    cells: Mapping[tuple[int, int], object]
    height: int
    width: int
    merged: Mapping[tuple[int, int], tuple[int, int]]
    epoch_1904: bool = False

    def value(self, row: int, column: int) -> object:
        """The cell's value (a merged cell's is its range's), ``None`` when empty."""
        return self.cells.get((row, column))

    def is_continuation(self, row: int, column: int) -> bool:
        """Whether the cell is inside a merged range but not its top-left cell."""
        origin = self.merged.get((row, column))
        return origin is not None and origin != (row, column)


def _is_csv(source: Source) -> bool:
    if isinstance(source, str | Path):
        return Path(source).suffix.lower() == ".csv"
    return False


def _csv_grid(data: bytes, name: str) -> Grid:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes every byte sequence
        raise LedgerImportError(
            f"无法读取 {name}：编码不是 UTF-8 或 GB18030",
            f"cannot read {name}: neither UTF-8 nor GB18030",
            field="file",
            code="ledger.unreadable_file",
        )
    cells: dict[tuple[int, int], object] = {}
    height = width = 0
    for r, line in enumerate(csv.reader(io.StringIO(text)), start=1):
        height = r
        for c, value in enumerate(line, start=1):
            if value.strip():
                cells[(r, c)] = value
                width = max(width, c)
    return Grid(name, cells, height, width, {})


def load_grid(source: Source, *, sheet: str | None = None) -> Grid:
    """The grid of ``sheet`` (default: the active sheet; a CSV file is one sheet named after
    the file).

    :raises LedgerImportError: the file is no .xlsx or .csv (``ledger.unreadable_file``, also
        for an old binary .xls, which must be saved as .xlsx), or has no such sheet
        (``ledger.no_sheet``).
    """
    name = str(source) if isinstance(source, str | Path) else "<workbook>"
    if _is_csv(source):
        assert isinstance(source, str | Path)
        return _csv_grid(Path(source).read_bytes(), Path(source).stem)
    openpyxl = openpyxl_module()
    stream: Any = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        book = openpyxl.load_workbook(stream, data_only=True)
    except Exception as err:  # openpyxl raises zipfile, KeyError, InvalidFileException...
        raise LedgerImportError(
            f"无法读取 {name}：不是有效的 .xlsx 文件（{type(err).__name__}）；"
            "旧版 .xls 或 WPS 的 .et 请先另存为 .xlsx",
            f"cannot read {name}: not a valid .xlsx file ({err}); save an old .xls or a WPS "
            ".et file as .xlsx first",
            field="file",
            code="ledger.unreadable_file",
        ) from err
    if sheet is not None and sheet not in book.sheetnames:
        raise LedgerImportError(
            f"工作簿中没有工作表“{sheet}”（有：{'、'.join(book.sheetnames)}）",
            f"no sheet {sheet!r} in the workbook (sheets: {', '.join(book.sheetnames)})",
            field="sheet",
            code="ledger.no_sheet",
        )
    ws = book[sheet] if sheet is not None else book.active
    cells: dict[tuple[int, int], object] = {}
    for r, line in enumerate(ws.iter_rows(values_only=True), start=1):
        for c, value in enumerate(line, start=1):
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            cells[(r, c)] = value
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in ws.merged_cells.ranges:
        top_left = (rng.min_row, rng.min_col)
        value = cells.get(top_left)
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                merged[(r, c)] = top_left
                if value is not None:
                    cells[(r, c)] = value
    epoch_1904 = getattr(book, "epoch", None) is not None and book.epoch.year == 1904
    return Grid(ws.title, cells, ws.max_row or 0, ws.max_column or 0, merged, epoch_1904)


def locate_header(
    grid: Grid,
    matcher: HeaderMatcher,
    *,
    anchors: frozenset[str],
    what_zh: str,
    what_en: str,
    needs_zh: str,
) -> Header:
    """The header of ``grid`` (`find_header`), or `LedgerImportError` ``ledger.no_header``."""
    header = find_header(grid.cells, matcher, width=grid.width, anchors=anchors)
    if header is None:
        raise LedgerImportError(
            f"工作表 {grid.sheet} 的前 15 行中找不到{what_zh}的表头（{needs_zh}）",
            f"no {what_en} header in the first 15 rows of sheet {grid.sheet}",
            field="header",
            code="ledger.no_header",
            problems=(
                CellProblem(grid.sheet, None, None, None, "", "找不到表头", "no header found"),
            ),
        )
    return header
