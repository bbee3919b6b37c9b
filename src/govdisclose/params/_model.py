"""The value classes of legal parameters: a citation, a unit, a dated value, a parameter."""

from __future__ import annotations

import bisect
import enum
from datetime import date
from decimal import Decimal
from typing import TypeAlias

from attrs import field, frozen

__all__ = ["Citation", "DatedValue", "ParamValue", "Parameter", "Unit"]

#: What a parameter may hold: a count of days or hours, an amount, a flag or a label.
ParamValue: TypeAlias = int | Decimal | bool | str


class Unit(enum.Enum):
    """The unit of a parameter; it decides which values are valid."""

    WORKING_DAYS = "working_days"
    HOURS = "hours"
    YUAN = "yuan"
    BOOL = "bool"
    LABEL = "label"

    @property
    def label_zh(self) -> str:
        """The unit as a clerk reads it."""
        return _UNIT_ZH[self]


_UNIT_ZH = {
    Unit.WORKING_DAYS: "个工作日",
    Unit.HOURS: "小时",
    Unit.YUAN: "元",
    Unit.BOOL: "（是/否）",
    Unit.LABEL: "",
}


@frozen
class Citation:
    """Where a value comes from: the instrument, the article and the words that set it.

    ``text`` quotes or closely paraphrases the provision so a clerk can check the number.
    """

    regulation: str
    article: str
    text: str = ""
    url: str | None = None

    def __str__(self) -> str:
        return f"{self.regulation}{self.article}"


@frozen
class DatedValue:
    """One value of a parameter and the day it takes effect; ``value is None`` ends validity."""

    since: date
    value: ParamValue | None
    citation: Citation | None


@frozen
class Parameter:
    """A legal parameter: its meaning, unit and values over time (ascending by ``since``).

    :param local_policy: True for limits set by local documents rather than national law;
        a local source may then set any value, while a national limit may only be tightened.
    :param origin: the file (or source name) the parameter was loaded from, for error messages.
    """

    name: str
    description: str
    unit: Unit
    values: tuple[DatedValue, ...]
    local_policy: bool = False
    note: str | None = None
    origin: str = field(default="", eq=False)

    def entry_at(self, day: date) -> DatedValue | None:
        """The value in force on ``day``, or ``None`` before the first value or after an end."""
        idx = bisect.bisect_right([v.since for v in self.values], day) - 1
        if idx < 0:
            return None
        entry = self.values[idx]
        return None if entry.value is None else entry
