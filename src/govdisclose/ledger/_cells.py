"""Reading one cell: dates in the forms Excel and clerks write, yes/no marks, amounts; where a
cell is (``台账!F12``) and why it could not be read.

Dates (`read_date`): a date or datetime cell; an Excel serial number in a cell without a date
format (46027 is 2026-01-05 in the 1900 date system Excel and WPS use, 1904 on old Macs); text
``2026-01-05``, ``2026/1/5``, ``2026.1.5``, ``2026年1月5日`` (or ``号``), ``20260105``, full-width
digits, the Chinese numerals of a 成文日期 (``二〇二六年一月五日``), a time after the date. A
date that does not exist (``2026年2月30日``), a year outside 1990-2100, or a date without a
year is refused with the reason.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from attrs import frozen

from govdisclose.errors import ValidationError

__all__ = [
    "CellError",
    "CellProblem",
    "LedgerImportError",
    "contains_dates",
    "read_amount",
    "read_date",
    "read_flag",
    "read_int",
]

_FIRST_YEAR, _LAST_YEAR = 1990, 2100


class CellError(ValueError):
    """A cell's value that cannot be read, with the reason in both languages."""

    def __init__(self, reason_zh: str, reason_en: str) -> None:
        self.reason_zh = reason_zh
        self.reason_en = reason_en
        super().__init__(f"{reason_zh} / {reason_en}")


@frozen
class CellProblem:
    """A cell that could not be read: ``sheet``, 1-based ``row``, column letter and the header
    above it, the cell's ``text``, and why. ``row`` or ``column`` is ``None`` for a problem of
    the whole sheet or the whole row."""

    sheet: str
    row: int | None
    column: str | None
    header: str | None
    text: str
    reason_zh: str
    reason_en: str

    @property
    def cell(self) -> str:
        """``台账!F12`` (the sheet alone, or ``台账!12`` for a whole row)."""
        ref = f"{self.column or ''}{self.row or ''}"
        return f"{self.sheet}!{ref}" if ref else self.sheet

    def describe(self) -> str:
        """``台账!F12 (申请日期) “2026年2月30日”：没有这一天 / no such day``."""
        head = f" ({self.header})" if self.header else ""
        shown = f" “{self.text}”" if self.text else ""
        return f"{self.cell}{head}{shown}：{self.reason_zh} / {self.reason_en}"


class LedgerImportError(ValidationError):
    """A ledger or records sheet refused: ``problems`` names every cell at fault (sheet, row,
    column), ``report`` is the whole report (code ``ledger.import``; ``ledger.unreadable_file``
    for a file that is no spreadsheet, ``ledger.no_sheet``, ``ledger.no_header`` for a sheet
    without a recognisable header, ``ledger.no_column`` when a required column is missing)."""

    default_code = "ledger.import"

    def __init__(
        self,
        message_zh: str,
        message_en: str,
        *,
        problems: tuple[CellProblem, ...] = (),
        report: object | None = None,
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        self.problems = problems
        self.report = report
        super().__init__(message_zh, message_en, field=field, code=code)


# -- dates ------------------------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})
_DATE = re.compile(
    r"(?P<y>\d{4})\s*[年./\-]\s*(?P<m>\d{1,2})\s*[月./\-]\s*(?P<d>\d{1,2})\s*[日号]?"
    r"(?:\s*T?\s*\d{1,2}\s*[:时]\s*\d{1,2}(?:\s*[:分]\s*\d{1,2}(?:\.\d+)?)?\s*秒?)?"
)
_COMPACT = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})")
_NO_YEAR = re.compile(r"\d{1,2}\s*[月./\-]\s*\d{1,2}\s*[日号]?")


def _cn_number(text: str) -> int:
    """十二 -> 12, 二十五 -> 25, 三十一 -> 31, 五 -> 5."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


def _cn_date(text: str) -> str:
    """A date in Chinese numerals (二〇二六年一月五日) in Arabic digits; other text unchanged."""
    found = re.fullmatch(
        r"([〇零○O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月"
        r"([一二三四五六七八九十]{1,3})[日号]",
        text,
    )
    if found is None:
        return text
    year = "".join(str(_CN_DIGITS[ch]) for ch in found.group(1))
    try:
        return f"{year}年{_cn_number(found.group(2))}月{_cn_number(found.group(3))}日"
    except KeyError:
        return text


def _checked(y: int, m: int, d: int, shown: str) -> date:
    if not _FIRST_YEAR <= y <= _LAST_YEAR:
        raise CellError(
            f"年份 {y} 不在 {_FIRST_YEAR}—{_LAST_YEAR} 之间",
            f"the year {y} of {shown!r} is not between {_FIRST_YEAR} and {_LAST_YEAR}",
        )
    try:
        return date(y, m, d)
    except ValueError:
        raise CellError(
            f"没有这一天（{y}年{m}月{d}日）", f"no such day: {y}-{m:02d}-{d:02d}"
        ) from None


def _serial(value: float, *, epoch_1904: bool) -> date:
    days = int(value)
    if epoch_1904:
        day = date(1904, 1, 1) + timedelta(days=days)
    elif days == 60:
        raise CellError(
            "序列号 60 是 Excel 虚构的 1900年2月29日", "serial 60 is Excel's fictitious 1900-02-29"
        )
    else:
        # Excel's 1900 system counts 1900-02-29, which did not exist: from 61 on, one day less.
        day = date(1899, 12, 31 if days < 60 else 30) + timedelta(days=days)
    if not _FIRST_YEAR <= day.year <= _LAST_YEAR:
        raise CellError(
            f"数字 {value:g} 不是日期（作为 Excel 日期序列号是 {day.isoformat()}）",
            f"the number {value:g} is not a date (as an Excel serial it is {day.isoformat()})",
        )
    return day


def read_date(value: object, *, epoch_1904: bool = False) -> date | None:
    """The date a cell holds, ``None`` for an empty cell; `CellError` otherwise.

    >>> read_date(46027), read_date("2026年1月5日"), read_date("2026.1.5")
    (datetime.date(2026, 1, 5), datetime.date(2026, 1, 5), datetime.date(2026, 1, 5))
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return _checked(value.year, value.month, value.day, value.isoformat())
    if isinstance(value, date):
        return _checked(value.year, value.month, value.day, value.isoformat())
    if isinstance(value, bool):
        raise CellError("不是日期", "not a date")
    if isinstance(value, int | float):
        if value != value or value < 1 or value > 2958465:  # NaN, or beyond 9999-12-31
            raise CellError(f"数字 {value:g} 不是日期", f"the number {value:g} is not a date")
        return _serial(float(value), epoch_1904=epoch_1904)
    if not isinstance(value, str):
        raise CellError("不是日期", f"not a date ({type(value).__name__})")
    text = _cn_date(unicodedata.normalize("NFKC", value).strip())
    if not text:
        return None
    for pattern in (_DATE, _COMPACT):
        found = pattern.fullmatch(text)
        if found is not None:
            y, m, d = (int(found.group(k)) for k in "ymd")
            return _checked(y, m, d, value)
    if _NO_YEAR.fullmatch(text):
        raise CellError("日期缺少年份", f"the date {value!r} has no year")
    raise CellError(
        "无法识别的日期（应写作 2026-01-05、2026/1/5、2026.1.5 或 2026年1月5日）",
        "not a date; write it as 2026-01-05, 2026/1/5, 2026.1.5 or 2026年1月5日",
    )


def contains_dates(text: str) -> list[date]:
    """Every date written in ``text`` (``是，2026.1.8告知，1月12日补正`` gives the first only:
    a date needs its year)."""
    flat = unicodedata.normalize("NFKC", text)
    return [
        _checked(int(m["y"]), int(m["m"]), int(m["d"]), m.group()) for m in _DATE.finditer(flat)
    ]


# -- yes / no ---------------------------------------------------------------------------------

_YES = {"是", "有", "y", "yes", "true", "1", "√", "✓", "✔", "☑", "需要", "要"}
_NO = {"否", "无", "没有", "n", "no", "false", "0", "×", "✗", "✘", "x", "/", "-", "—", "不", "未"}
_YES_WORDS = re.compile(r"^(是|有|已|√|✓|✔)")
_NO_WORDS = re.compile(r"^(否|无|未|不|没有|×|✗)")


def read_flag(value: object) -> tuple[bool, list[date]]:
    """A yes/no cell (是否补正, 是否延期, 是否收费): whether it says yes, and the dates it
    carries (a date cell is a yes on that day; ``是（2026.1.8）`` is yes with that date).
    An empty cell is no. `CellError` for anything else."""
    if value is None:
        return False, []
    if isinstance(value, bool):
        return value, []
    if isinstance(value, datetime | date):
        day = read_date(value)
        return True, [day] if day is not None else []
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value), []
        day = read_date(value)
        return True, [day] if day is not None else []
    if not isinstance(value, str):
        raise CellError("应填“是”或“否”", "expected 是 (yes) or 否 (no)")
    text = unicodedata.normalize("NFKC", value).strip().lower()
    if not text:
        return False, []
    if text in _YES:
        return True, []
    if text in _NO:
        return False, []
    days = contains_dates(text)
    if days or _YES_WORDS.match(text):
        return True, days
    if _NO_WORDS.match(text):
        return False, []
    try:
        day = read_date(text)
    except CellError:
        day = None
    if day is not None:
        return True, [day]
    raise CellError("应填“是”“否”或日期", "expected 是 (yes), 否 (no) or a date")


# -- numbers ----------------------------------------------------------------------------------


def read_amount(value: object) -> Decimal | None:
    """An amount in yuan (``50``, ``50.00``, ``50元``, ``¥50``, ``伍拾元`` is refused);
    ``None`` for an empty cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("不是金额", "not an amount")
    if isinstance(value, int | float):
        amount = Decimal(str(value))
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().replace(",", "")
        text = re.sub(r"^[¥￥]|元$|人民币", "", text).strip()
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise CellError(
                "不是金额（应写作 50 或 50.00）", "not an amount (write 50 or 50.00)"
            ) from None
    else:
        raise CellError("不是金额", "not an amount")
    if not amount.is_finite() or amount < 0:
        raise CellError("金额应为非负数", "an amount must be a non-negative number")
    return amount


def read_int(value: object) -> int | None:
    """A whole number of days (``20``, ``20个工作日``); ``None`` for an empty cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("不是整数", "not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if not text:
            return None
        found = re.fullmatch(r"(\d+)\s*(个)?(工作日|日|天)?", text)
        if found is not None:
            return int(found.group(1))
    raise CellError("应为整数天数（如 20）", "expected a whole number of days (e.g. 20)")
