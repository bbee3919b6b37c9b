"""What reading any office sheet does around its rows, written once for the ledger of
applications (`govdisclose.ledger.read_ledger`) and the register of records
(`govdisclose.ledger.read_records`): the agency a cell names, the required columns, the notes
on the header, the report's lines and the refusal naming every unreadable cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import ClassVar, TypeVar

from govdisclose.ledger._cells import CellProblem, LedgerImportError
from govdisclose.ledger._headers import Header, fold
from govdisclose.ledger._sheet import Grid
from govdisclose.model import Agency

__all__ = [
    "SheetReport",
    "agency_code",
    "agency_names",
    "finish_report",
    "require_columns",
    "unused_columns_note",
]

# How `govdisclose.ledger._headers.HeaderMatcher` matched a header, as the report marks it.
_MARKS = {"exact": "", "contains": "（近似）", "typo": "（疑为笔误）"}


def agency_names(agencies: Mapping[str, str] | Iterable[Agency]) -> dict[str, str]:
    """Agency code -> name, from `Agency` values or a mapping."""
    if isinstance(agencies, Mapping):
        return dict(agencies)
    return {a.code: a.name for a in agencies}


def agency_code(text: str, agency: str | None, names: Mapping[str, str]) -> str | None:
    """The agency of a row: the one given for the whole sheet, else the one whose code or name
    the cell holds (`fold`ed: spaces and full-width forms do not matter), else None."""
    if agency is not None:
        return agency
    wanted = fold(text)
    return next((c for c, n in names.items() if wanted in (fold(c), fold(n))), None)


def require_columns(
    grid: Grid,
    header: Header,
    required: Sequence[str],
    labels: Mapping[str, str],
    *,
    agency_given: bool,
) -> None:
    """`LedgerImportError` ``ledger.no_column`` naming every required column the header
    lacks (the agency column too, unless an agency is given for the whole sheet)."""
    missing = [k for k in required if header.column(k) is None]
    if not agency_given and header.column("agency") is None:
        missing.append("agency")
    if not missing:
        return
    hint = "agency" in missing
    raise LedgerImportError(
        f"工作表 {grid.sheet} 缺少必需的列：{'、'.join(labels[k] for k in missing)}"
        + ("（或在导入时指定机关）" if hint else ""),
        f"sheet {grid.sheet} lacks required columns: {', '.join(missing)}"
        + (" (or give the agency)" if hint else ""),
        field="header",
        code="ledger.no_column",
        problems=tuple(
            CellProblem(
                grid.sheet, header.rows[0], None, labels[k], "", "缺少此列", "column missing"
            )
            for k in missing
        ),
    )


def unused_columns_note(header: Header) -> list[str]:
    """The report's note on the columns no key matched (none if every column was used)."""
    if not header.unused:
        return []
    shown = "、".join(f"{letter}“{text}”" for letter, text in header.unused)
    return [f"未使用的列：{shown} / columns not used: {shown}"]


class SheetReport:
    """``ok`` and ``lines()`` of a reading report: a mixin of the attrs classes
    `govdisclose.ledger.LedgerReport` and `govdisclose.ledger.RecordsReport`, which hold the
    fields annotated here and say what their rows are (`items_named`, `items_field`)."""

    __slots__ = ()

    sheet: str
    header_rows: tuple[int, ...]
    columns: tuple[tuple[str, str, str, str], ...]
    problems: tuple[CellProblem, ...]
    skipped: tuple[int, ...]
    notes: tuple[str, ...]
    #: What a row is read into, in the headline (Chinese, English plural).
    items_named: ClassVar[tuple[str, str]]
    #: The field holding what was read (``applications``, ``records``).
    items_field: ClassVar[str]

    @property
    def items_read(self) -> int:
        """How many rows were read (the length of `items_field`)."""
        items: Sequence[object] = getattr(self, self.items_field)
        return len(items)

    @property
    def ok(self) -> bool:
        """Whether every row was read."""
        return not self.problems

    def lines(self) -> list[str]:
        """The report as lines a clerk reads: the headline, each column as matched (marked
        近似 or 疑为笔误 where the header was not written as known), the notes, the problems
        and the rows skipped."""
        n, rows, found = self.items_read, "、".join(map(str, self.header_rows)), len(self.problems)
        zh, en = self.items_named
        out = [
            f"工作表 {self.sheet}，表头在第 {rows} 行；读入{zh} {n} 件，问题 {found} 处 / sheet "
            f"{self.sheet}, header row(s) {rows}: {n} {en} read, {found} problems"
        ]
        out += [
            f"  列 / column {letter}: {text}{_MARKS[how]} -> {key}"
            for key, text, letter, how in self.columns
        ]
        out += [f"  注 / note: {note}" for note in self.notes]
        out += [f"  问题 / problem: {p.describe()}" for p in self.problems]
        if self.skipped:
            out.append(f"  已跳过的行 / rows skipped: {', '.join(map(str, self.skipped))}")
        return out


R = TypeVar("R", bound=SheetReport)


def finish_report(
    report_type: Callable[..., R],
    grid: Grid,
    header: Header,
    items: Sequence[object],
    rows: Sequence[int],
    problems: Sequence[CellProblem],
    skipped: Sequence[int],
    notes: Sequence[str],
    *,
    lenient: bool,
    what_zh: str,
    what_en: str,
) -> R:
    """The report of a reading (``items`` read from ``rows``), or `LedgerImportError` naming
    every unreadable cell, unless ``lenient`` and some rows were read (the report then lists
    the rows ``skipped``): the message names the first cell, the error carries all and the
    report."""
    report = report_type(
        grid.sheet,
        header.rows,
        tuple((c.key, c.header, c.letter, c.how) for c in header.columns),
        tuple(items),
        tuple(rows),
        tuple(problems),
        tuple(skipped) if lenient else (),
        tuple(notes),
    )
    if not problems or (lenient and items):
        return report
    first = problems[0]
    raise LedgerImportError(
        f"{what_zh}有 {len(problems)} 处无法读取，未导入：{first.describe()}"
        + ("（其余见报告）" if len(problems) > 1 else ""),
        f"the {what_en} has {len(problems)} unreadable cells and was not imported; first: "
        f"{first.describe()}",
        problems=tuple(problems),
        report=report,
        field=first.cell,
    )
