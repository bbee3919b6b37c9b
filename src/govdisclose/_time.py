"""Days, counts and the one timezone: checking the arguments of public functions (private).

Public functions take a `datetime.date` (or an aware `datetime`, whose Asia/Shanghai date is
used) and plain integers; anything else (a string, a float, a naive datetime, a bool) is refused
with a `ValidationError` naming the argument, before it can fail deep inside as a raw
``AttributeError`` or ``TypeError``. The checks start with ``type(x) is date`` so that the hot
paths (``add_working_days`` is called millions of times) pay one comparison for good input.
"""

from __future__ import annotations

import operator
from datetime import date, datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from govdisclose.errors import ValidationError

__all__ = ["SHANGHAI", "count_arg", "day_arg", "days_arg"]

#: The timezone in which days are decided (China has one, without daylight saving).
SHANGHAI: Final = ZoneInfo("Asia/Shanghai")


def day_arg(value: Any, name: str) -> date:
    """``value`` as a date; an aware datetime gives its Asia/Shanghai date.

    :raises ValidationError: ``value`` is a naive datetime or not a date at all.
    """
    if type(value) is date:
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValidationError(
                f"参数 {name} 为不带时区的时间 {value.isoformat()}；请传入日期，或带时区的时间"
                "（按北京时间取日期）",
                f"argument {name} is a naive datetime ({value.isoformat()}); pass a date or an "
                "aware datetime (its Asia/Shanghai date is used)",
                field=name,
                code="validation.naive_datetime",
            )
        return value.astimezone(SHANGHAI).date()
    if isinstance(value, date):  # a subclass of date that is not a datetime
        return date(value.year, value.month, value.day)
    raise ValidationError(
        f"参数 {name} 应为日期（datetime.date），实为 {type(value).__name__}：{value!r}"
        + ("；字符串请先用 date.fromisoformat 转换" if isinstance(value, str) else ""),
        f"argument {name} must be a datetime.date, got {type(value).__name__}: {value!r}"
        + ("; convert strings with date.fromisoformat first" if isinstance(value, str) else ""),
        field=name,
        code="validation.not_a_date",
    )


def count_arg(value: Any, name: str) -> int:
    """``value`` as an int (numpy integers accepted); floats, bools and strings are refused."""
    if type(value) is int:
        return value
    if not isinstance(value, bool):
        try:
            return operator.index(value)
        except TypeError:
            pass
    raise ValidationError(
        f"参数 {name} 应为整数，实为 {type(value).__name__}：{value!r}",
        f"argument {name} must be an integer, got {type(value).__name__}: {value!r}",
        field=name,
        code="validation.not_an_integer",
    )


def days_arg(values: Any, name: str) -> list[date]:
    """A sequence of days, each checked; the error names the element (``days[3]``)."""
    if isinstance(values, str | bytes):
        raise ValidationError(
            f"参数 {name} 应为日期序列，实为字符串",
            f"argument {name} must be a sequence of dates, got a string",
            field=name,
            code="validation.not_a_date",
        )
    return [v if type(v) is date else day_arg(v, f"{name}[{i}]") for i, v in enumerate(values)]
