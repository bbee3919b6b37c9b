"""One data row of a sheet being read: its cells by column key, read as text, dates, yes/no,
amounts and labels, each cell that cannot be read recorded as a `CellProblem`."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from govdisclose.errors import ValidationError
from govdisclose.ledger._cells import (
    CellError,
    CellProblem,
    read_amount,
    read_date,
    read_flag,
    read_int,
)
from govdisclose.ledger._headers import Header
from govdisclose.ledger._sheet import Grid
from govdisclose.model import Event

__all__ = ["SheetRow", "cell_text"]


def cell_text(value: object) -> str:
    """A cell as text: ``12`` for 12.0, ``2026-01-05`` for a date, stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()[:10]
    return unicodedata.normalize("NFC", str(value)).strip()


class SheetRow:
    """One data row being read: its values by key and the problems found."""

    def __init__(self, grid: Grid, header: Header, r: int, labels: Mapping[str, str]) -> None:
        self.grid, self.header, self.r, self.labels = grid, header, r, labels
        self.problems: list[CellProblem] = []
        self.events: list[tuple[Event, str]] = []

    def raw(self, key: str) -> object:
        col = self.header.column(key)
        return None if col is None else self.grid.value(self.r, col.index)

    def problem(self, key: str | None, zh: str, en: str, *, text: object = None) -> None:
        col = self.header.column(key) if key else None
        shown = cell_text(self.raw(key) if text is None and key else text)
        self.problems.append(
            CellProblem(
                self.grid.sheet,
                self.r,
                col.letter if col else None,
                col.header if col else (self.labels.get(key) if key else None),
                shown,
                zh,
                en,
            )
        )

    def text(self, key: str) -> str:
        return cell_text(self.raw(key))

    def day(self, key: str) -> date | None:
        try:
            return read_date(self.raw(key), epoch_1904=self.grid.epoch_1904)
        except CellError as err:
            self.problem(key, err.reason_zh, err.reason_en)
            return None

    def flag(self, key: str) -> tuple[bool, list[date]]:
        try:
            return read_flag(self.raw(key))
        except CellError as err:
            self.problem(key, err.reason_zh, err.reason_en)
            return False, []

    def amount(self, key: str) -> Decimal | None:
        try:
            return read_amount(self.raw(key))
        except CellError as err:
            self.problem(key, err.reason_zh, err.reason_en)
            return None

    def whole(self, key: str) -> int | None:
        try:
            return read_int(self.raw(key))
        except CellError as err:
            self.problem(key, err.reason_zh, err.reason_en)
            return None

    def label(self, key: str, enum: Any) -> Any:
        text = self.text(key)
        if not text:
            return None
        try:
            return enum.from_label(text, field=key)
        except ValidationError as err:
            self.problem(key, err.message_zh, err.message_en)
            return None

    def need(self, key: str, value: object) -> bool:
        if value is None or value == "":
            if self.header.column(key) is None:
                self.problem(key, f"缺少“{self.labels[key]}”", f"no {self.labels[key]} given")
            else:
                self.problem(
                    key, f"“{self.labels[key]}”为空", f"the {self.labels[key]} cell is empty"
                )
            return False
        return True

    def flagged_date(self, flag_key: str, date_key: str) -> tuple[bool, date | None, list[date]]:
        """A yes/no column and its date column: (yes?, the date, the flag cell's dates), the
        date from the date column or else the first date of the flag cell itself."""
        has_flag = self.header.column(flag_key) is not None
        yes, days = self.flag(flag_key) if has_flag else (False, [])
        day = self.day(date_key)
        if day is None and days:
            day = days[0]
        if day is not None and not has_flag:
            yes = True
        if day is not None and has_flag and not yes and self.raw(flag_key) is not None:
            self.problem(
                flag_key,
                f"填了“否”，但{self.labels[date_key]}有日期",
                f"says no, but {self.labels[date_key]} has a date",
            )
        return yes, day, days
