"""The indicator registry: what an indicator is, what it measures, what it hands the scorer.

An indicator is a code, its labels, a written definition (what starts and ends the thing it
counts, which records count, the minimum sample) and a compute function. The function gets one
agency and one period (`IndicatorInput`) and returns a `Measure`: the value, the sample it was
computed from, and the *faults*, the records behind every point the agency can lose (which
application was late, which record missed its interpretation). An indicator that cannot be
measured says so (`Measure.not_scored`, with the reason) and is never scored as 0.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from attrs import field, frozen

from govdisclose.errors import ValidationError

if TYPE_CHECKING:
    from govdisclose.assessment._period import Period
    from govdisclose.calendar import WorkCalendar
    from govdisclose.model import Agency
    from govdisclose.params import ParameterSet
    from govdisclose.store import Store

__all__ = [
    "Fault",
    "Indicator",
    "IndicatorInput",
    "Measure",
    "Unit",
    "get_indicator",
    "indicators",
    "register_indicator",
]

#: ``share``: a proportion in [0, 1] of a sample (on-time replies); ``count``: a number of
#: faults (a report filed late).
Unit = Literal["share", "count"]


@frozen
class Fault:
    """One record behind a lost point: what it is, whose, why it counts against the agency.

    :param subject: what kind of thing it is: ``application``, ``record``, ``publication``,
        ``review_case``, ``report``, ``task``, ``inquiry``, ``opinion``.
    :param id: its id in the store (the application id, the record id, ...).
    :param day: the day that decided it (the reply day, the day after the missed due date).
    :param reason_zh: / ``reason_en``: why, with the dates a clerk can check
        (到期2026-03-10，2026-03-11答复，逾期1个工作日).
    """

    subject: str
    id: str
    agency: str
    reason_zh: str
    reason_en: str
    day: date | None = None


@frozen
class Measure:
    """What an indicator measured for one agency in one period.

    ``value`` is the share (``unit="share"``) or the number of faults (``"count"``), ``None``
    when not scored; ``sample`` the number of items it was computed from (the denominator);
    ``faults`` the items that count against the agency; ``not_scored_zh`` / ``_en`` why it was
    not scored; ``notes`` what was left out of the sample and why (an application whose clock
    cannot be computed, an interpretation still within its allowed delay).
    """

    indicator: str
    agency: str
    value: Decimal | None
    sample: int
    faults: tuple[Fault, ...] = ()
    not_scored_zh: str | None = None
    not_scored_en: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def scored(self) -> bool:
        """Whether the value can be scored."""
        return self.value is not None

    @classmethod
    def not_scored(cls, indicator: str, agency: str, zh: str, en: str, sample: int = 0) -> Measure:
        """A measure that is not scored, for the reason given (never a 0)."""
        return cls(indicator, agency, None, sample, (), zh, en)


@frozen
class IndicatorInput:
    """What a compute function gets: the store, one agency, the period, the day the data are
    read as of (the period's last day or later), the law and the calendar, and the scheme's
    options for this indicator (``[indicators.X.options]``)."""

    store: Store
    agency: Agency
    period: Period
    as_of: date
    params: ParameterSet
    calendar: WorkCalendar
    options: Mapping[str, Any] = field(factory=dict)


def _code(inst: object, att: object, value: str) -> None:
    if not isinstance(value, str) or not value or not all(c.isalnum() or c in "_." for c in value):
        raise ValidationError(
            f"指标代码须为字母、数字、下划线或点组成的非空字符串：{value!r}",
            f"an indicator code must be a non-empty string of letters, digits, '_' and '.': "
            f"{value!r}",
            field="code",
            code="assessment.indicator_code",
        )


@frozen
class Indicator:
    """One assessment indicator (see the module docstring).

    :param unit: ``share`` or ``count`` (`Unit`).
    :param higher_is_better: for a share, whether more is better (on-time replies) or worse
        (纠错率, bunched uploads); the scheme's bounds must point the same way.
    :param min_sample: the default minimum sample below which the indicator is not scored
        (the scheme may raise it with ``min_sample``).
    :param options: the options the indicator reads from the scheme, with their defaults.
    :param basis: the article, notice or seed it rests on.
    """

    code: str = field(validator=_code)
    label_zh: str
    label_en: str
    definition_zh: str
    definition_en: str
    unit: Unit
    higher_is_better: bool
    min_sample: int
    compute: Callable[[IndicatorInput], Measure] = field(repr=False)
    basis: str = ""
    options: Mapping[str, Any] = field(factory=dict)


_lock = threading.Lock()
_registry: dict[str, Indicator] = {}


def register_indicator(indicator: Indicator) -> Indicator:
    """Add ``indicator`` to the registry (a local office's own indicator too); registering
    the same code again replaces it (a reloaded module)."""
    with _lock:
        _registry[indicator.code] = indicator
    return indicator


def indicators() -> list[Indicator]:
    """Every registered indicator, in registration order (the built-in ones first)."""
    with _lock:
        return list(_registry.values())


def get_indicator(code: str) -> Indicator:
    """The indicator with that code; a `ValidationError` listing the known codes otherwise."""
    with _lock:
        found = _registry.get(code)
        known = ", ".join(_registry)
    if found is None:
        raise ValidationError(
            f"未知的考核指标“{code}”，可用：{known}",
            f"unknown indicator {code!r}; known: {known}",
            field="indicator",
            code="assessment.unknown_indicator",
        )
    return found
