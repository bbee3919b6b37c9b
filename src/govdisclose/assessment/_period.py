"""Assessment periods: a month, a quarter, a half-year or a year, named as offices name them.

``2026-03`` (月度, seed 003 篇3: 每月对各单位信息公开工作量进行考核公布), ``2026Q1``,
``2026H1`` (半年考评, seed 004: 改过去每季度考评为半年考评) and ``2026`` (年度).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

from attrs import frozen

from govdisclose.errors import ValidationError

__all__ = ["Period", "PeriodKind"]

#: The kinds of period: 月度, 季度, 半年, 年度.
PeriodKind = Literal["month", "quarter", "half", "year"]

_KINDS = ("month", "quarter", "half", "year")
_LABEL_ZH = {"month": "月度", "quarter": "季度", "half": "半年", "year": "年度"}
_PATTERNS: tuple[tuple[re.Pattern[str], PeriodKind], ...] = (
    (re.compile(r"(\d{4})-(\d{2})"), "month"),
    (re.compile(r"(\d{4})Q([1-4])"), "quarter"),
    (re.compile(r"(\d{4})H([12])"), "half"),
    (re.compile(r"(\d{4})"), "year"),
)
_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}


@frozen(order=True)
class Period:
    """One assessment period: ``kind`` and its ``year`` and ``index`` (month 1-12, quarter
    1-4, half 1-2, year 1). `Period.parse` reads the names; ``str()`` gives them back."""

    year: int
    kind: PeriodKind
    index: int

    def __attrs_post_init__(self) -> None:
        top = {"month": 12, "quarter": 4, "half": 2, "year": 1}.get(self.kind)
        if top is None or not 1 <= self.index <= top or not 1900 <= self.year <= 9998:
            raise ValidationError(
                f"考核期间无效：{self.year} {self.kind} {self.index}",
                f"not an assessment period: {self.year} {self.kind} {self.index}",
                field="period",
                code="assessment.bad_period",
            )

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2026-03``, ``2026Q1``, ``2026H1`` or ``2026``; anything else is a
        `ValidationError` (code ``assessment.bad_period``) saying what is accepted."""
        raw = text.strip().upper() if isinstance(text, str) else ""
        for pattern, kind in _PATTERNS:
            found = pattern.fullmatch(raw)
            if found:
                year = int(found.group(1))
                index = int(found.group(2)) if kind != "year" else 1
                return cls(year, kind, index)
        raise ValidationError(
            f"考核期间“{text}”无法识别："
            "应为 2026-03（月）、2026Q1（季度）、2026H1（半年）或 2026（年）",
            f"cannot read the period {text!r}: expected 2026-03 (month), 2026Q1 (quarter), "
            "2026H1 (half-year) or 2026 (year)",
            field="period",
            code="assessment.bad_period",
        )

    @property
    def first(self) -> date:
        """The period's first day."""
        return date(self.year, (self.index - 1) * _MONTHS[self.kind] + 1, 1)

    @property
    def last(self) -> date:
        """The period's last day."""
        return self.next().first - timedelta(days=1)

    def contains(self, day: date) -> bool:
        """Whether ``day`` lies in the period (both ends included)."""
        return self.first <= day <= self.last

    def next(self) -> Period:
        """The period after this one, of the same kind."""
        top = 12 // _MONTHS[self.kind]
        if self.index < top:
            return Period(self.year, self.kind, self.index + 1)
        return Period(self.year + 1, self.kind, 1)

    def previous(self) -> Period:
        """The period before this one, of the same kind (for the comparison)."""
        if self.index > 1:
            return Period(self.year, self.kind, self.index - 1)
        return Period(self.year - 1, self.kind, 12 // _MONTHS[self.kind])

    @property
    def label_zh(self) -> str:
        """``2026年上半年``, ``2026年第1季度``, ``2026年3月``, ``2026年度``."""
        if self.kind == "month":
            return f"{self.year}年{self.index}月"
        if self.kind == "quarter":
            return f"{self.year}年第{self.index}季度"
        if self.kind == "half":
            return f"{self.year}年{'上' if self.index == 1 else '下'}半年"
        return f"{self.year}年度"

    @property
    def kind_zh(self) -> str:
        """月度, 季度, 半年 or 年度."""
        return _LABEL_ZH[self.kind]

    def __str__(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.index:02d}"
        if self.kind == "quarter":
            return f"{self.year}Q{self.index}"
        if self.kind == "half":
            return f"{self.year}H{self.index}"
        return f"{self.year}"
