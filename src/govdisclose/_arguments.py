"""Argument types for the command line and the demo: a malformed value is a usage error.

Each raises `argparse.ArgumentTypeError` with the text ``"中文 / English"`` naming what a
valid value looks like, which the parser of `govdisclose.cli` prints as one line with the code
``cli.bad_option`` (exit status 2). Here, below both `govdisclose.demo` and `govdisclose.cli`,
so that the two parsers share one definition of each type.
"""

from __future__ import annotations

import argparse
from datetime import date
from decimal import Decimal, InvalidOperation

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "count",
    "day",
    "key_value",
    "money",
    "positive",
    "store_url",
    "year",
]

#: The years a day or a year given on the command line may fall in: wide enough for any real
#: case, narrow enough that a typo (``20255``, ``0``) is refused before anything runs.
FIRST_YEAR = 1900
LAST_YEAR = 2100


def _refuse(zh: str, en: str) -> argparse.ArgumentTypeError:
    return argparse.ArgumentTypeError(f"{zh} / {en}")


def day(text: str) -> date:
    """An argparse type: a YYYY-MM-DD day of the years `FIRST_YEAR` to `LAST_YEAR`."""
    try:
        value = date.fromisoformat(text)
    except ValueError:
        value = None
    if value is None or not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise _refuse(
            f"日期应写作 YYYY-MM-DD，年份在 {FIRST_YEAR} 至 {LAST_YEAR} 之间，实为 {text!r}",
            f"a day must be written YYYY-MM-DD, in the years {FIRST_YEAR} to {LAST_YEAR}, "
            f"got {text!r}",
        ) from None
    return value


def year(text: str) -> int:
    """An argparse type: a four-digit year from `FIRST_YEAR` to `LAST_YEAR`."""
    value = _integer(text)
    if value is None or not FIRST_YEAR <= value <= LAST_YEAR:
        raise _refuse(
            f"年份应为 {FIRST_YEAR} 至 {LAST_YEAR} 之间的四位数，实为 {text!r}",
            f"a year must be a four-digit year from {FIRST_YEAR} to {LAST_YEAR}, got {text!r}",
        )
    return value


def count(text: str) -> int:
    """An argparse type: a whole number, 0 or more."""
    value = _integer(text)
    if value is None or value < 0:
        raise _refuse(
            f"应为不小于 0 的整数，实为 {text!r}", f"must be a whole number >= 0, got {text!r}"
        )
    return value


def positive(text: str) -> int:
    """An argparse type: a whole number, 1 or more."""
    value = _integer(text)
    if value is None or value < 1:
        raise _refuse(
            f"应为不小于 1 的整数，实为 {text!r}", f"must be a whole number >= 1, got {text!r}"
        )
    return value


def _integer(text: str) -> int | None:
    stripped = text.strip()
    digits = stripped[1:] if stripped[:1] in "+-" else stripped
    if not digits.isascii() or not digits.isdigit() or len(digits) > 12:
        return None
    return int(stripped)


def money(text: str) -> Decimal:
    """An argparse type: an amount, 0 or more, as a decimal number (``12.5``)."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0 or value.adjusted() > 12:
        raise _refuse(
            f"金额应为不小于 0 的数字，例如 12.5，实为 {text!r}",
            f"an amount must be a number >= 0 such as 12.5, got {text!r}",
        )
    return value


def store_url(text: str) -> str:
    """An argparse type: a store URL (``sqlite:///gd.db``); shown redacted if refused."""
    if "://" not in text:
        from govdisclose.redaction import redact_text

        raise _refuse(
            f"存储地址应形如 sqlite:///gd.db 或 postgresql+psycopg://用户@主机/库名，"
            f"实为 {redact_text(repr(text))}",
            "a store URL looks like sqlite:///gd.db or postgresql+psycopg://user@host/db, got "
            f"{redact_text(repr(text))}",
        )
    return text


def key_value(text: str) -> tuple[str, str]:
    """An argparse type: ``KEY=VALUE`` (a plugin option)."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        from govdisclose.redaction import redact_text

        raise _refuse(
            f"插件选项应写作 KEY=VALUE，实为 {redact_text(repr(text))}",
            f"a plugin option must be KEY=VALUE, got {redact_text(repr(text))}",
        )
    return key.strip(), value
