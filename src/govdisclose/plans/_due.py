"""完成时限: a task's deadline as the plan tables write it, read into a `DueRule`.

The forms are those of the seeds' task tables: a date (``2014年9月底``, ``2018年4月10日前``,
``2021年6月底前``, seed 000 附件2, 002, 003 篇1/篇6), a date without its year, which is the
plan's year (``9月10日前``, ``6月30日前``, ``八月底前``), a month (``7月份``, seed 002 §(一)),
the year's end or a half (``年底前``, ``年内``, ``上半年``), a quarter (``一季度``), several
dates at once (``分别于9月10日前、10月25日前``, seed 000 §四), a recurring duty (``每季度``,
seed 000 §一 “原则上每季度至少召开１次新闻发布会”; ``每月``, seed 003 篇3), and no date at all
(``长期坚持``, ``实时``, ``及时``, seed 000 附件2). ``…前`` is read as *on or before* that
day: a table's “9月10日前报送” is met by a report on 10 September.

A recurring rule has one `Occurrence` per period of the plan's year, each with its own due
date, so a quarter's report is judged against that quarter.
"""

from __future__ import annotations

import calendar as _cal
import re
import unicodedata
from datetime import date, datetime, timedelta

from attrs import field, frozen

from govdisclose.errors import ValidationError
from govdisclose.model import _instance, _optional, _tuple, _tuple_of
from govdisclose.vocab import CodedEnum

__all__ = [
    "DueFormError",
    "DueKind",
    "DueRule",
    "Frequency",
    "Occurrence",
    "format_due",
    "parse_due",
]


class DueKind(CodedEnum):
    """What kind of 完成时限 a task has."""

    BY_DATE = ("by_date", "限期完成")
    DATES = ("dates", "分期限完成")
    RECURRING = ("recurring", "定期完成")
    ONGOING = ("ongoing", "长期坚持")
    UNSPECIFIED = ("unspecified", "未明确时限")


class Frequency(CodedEnum):
    """How often a recurring task falls due."""

    MONTHLY = ("monthly", "每月")
    QUARTERLY = ("quarterly", "每季度")
    HALF_YEARLY = ("half_yearly", "每半年")
    YEARLY = ("yearly", "每年")


_MONTHS_PER = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}


class DueFormError(ValidationError):
    """A 完成时限 that cannot be read; ``text`` is the text as written (code ``plans.bad_due``)."""

    default_code = "plans.bad_due"

    def __init__(
        self,
        message_zh: str,
        message_en: str,
        *,
        text: str,
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        self.text = text
        super().__init__(message_zh, message_en, field=field, code=code)


@frozen
class Occurrence:
    """One time a task falls due: ``period`` names it (``2024Q1``, ``2024-03``, ``2024H1``,
    ``2024``; the due date itself for a one-off task), ``start`` is the first day it can be
    worked on (the period's first day; the plan year's first day for a one-off task)."""

    period: str
    start: date
    due: date


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, _cal.monthrange(year, month)[1])


@frozen
class DueRule:
    """A task's 完成时限, read (`parse_due`) and kept with the text it was read from.

    :param kind: one date, several dates, recurring, ongoing or not given.
    :param text: the text as the table wrote it.
    :param dates: the due dates of `DueKind.BY_DATE` (one) and `DueKind.DATES` (several).
    :param frequency: the period of a `DueKind.RECURRING` rule.
    :param day: a recurring rule due on that day of the period's last month (``每月10日前``)
        instead of the period's last day.
    :param after_days: a recurring rule due that many days after the period ends
        (``每季度结束后10日内``).
    """

    kind: DueKind = field(validator=_instance(DueKind))
    text: str = field(default="", validator=_instance(str))
    dates: tuple[date, ...] = field(default=(), converter=_tuple, validator=_tuple_of(date))
    frequency: Frequency | None = field(default=None, validator=_optional(_instance(Frequency)))
    day: int | None = field(default=None, validator=_optional(_instance(int)))
    after_days: int | None = field(default=None, validator=_optional(_instance(int)))

    def __attrs_post_init__(self) -> None:
        has_dates = self.kind in (DueKind.BY_DATE, DueKind.DATES)
        wrong = (
            (has_dates and not self.dates)
            or (self.kind is DueKind.BY_DATE and len(self.dates) != 1)
            or (not has_dates and bool(self.dates))
            or ((self.kind is DueKind.RECURRING) != (self.frequency is not None))
            or (self.day is not None and not 1 <= self.day <= 31)
            or (self.after_days is not None and not 0 <= self.after_days <= 366)
            or (
                self.kind is not DueKind.RECURRING
                and (self.day is not None or self.after_days is not None)
            )
            or list(self.dates) != sorted(set(self.dates))
        )
        if wrong:
            raise ValidationError(
                f"完成时限的组成不一致：{self!r}",
                f"an inconsistent due rule: {self!r}",
                field="due",
                code="plans.bad_due_rule",
            )

    @property
    def has_deadline(self) -> bool:
        """Whether the rule gives due dates (not 长期坚持 or blank)."""
        return self.kind in (DueKind.BY_DATE, DueKind.DATES, DueKind.RECURRING)

    def occurrences(self, year: int) -> tuple[Occurrence, ...]:
        """Every time the task falls due in the plan year ``year`` (none for an ongoing or
        undated task), in date order."""
        if self.kind in (DueKind.BY_DATE, DueKind.DATES):
            start = date(year, 1, 1)
            return tuple(Occurrence(d.isoformat(), min(start, d), d) for d in self.dates)
        if self.kind is not DueKind.RECURRING or self.frequency is None:
            return ()
        step = _MONTHS_PER[self.frequency]
        found = []
        for i in range(12 // step):
            first_month = i * step + 1
            last_month = first_month + step - 1
            start = date(year, first_month, 1)
            end = _end_of_month(year, last_month)
            if self.day is not None:
                due = date(year, last_month, min(self.day, end.day))
            elif self.after_days is not None:
                due = end + timedelta(days=self.after_days)
            else:
                due = end
            found.append(Occurrence(_period_label(self.frequency, year, i + 1), start, due))
        return tuple(found)


def _period_label(frequency: Frequency, year: int, index: int) -> str:
    # The same names as the assessment periods (2026-03, 2026Q1, 2026H1, 2026).
    if frequency is Frequency.MONTHLY:
        return f"{year}-{index:02d}"
    if frequency is Frequency.QUARTERLY:
        return f"{year}Q{index}"
    if frequency is Frequency.HALF_YEARLY:
        return f"{year}H{index}"
    return str(year)


# -- reading ------------------------------------------------------------------------------------

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_DIGITS.update({"七": 7, "八": 8, "九": 9})


def _cn_number(text: str) -> int | None:
    """一 … 三十一 (the numbers a month or a day is written with) as an int."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in _DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return _DIGITS[text] if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)


_CN_NUM = re.compile(r"[零〇一二两三四五六七八九十]+(?=[月日号季])")

# Words that say "no date: keep doing it" (seed 000 附件2: 实时, 及时; 长期坚持 everywhere).
_ONGOING = (
    "长期坚持",
    "长期开展",
    "长期",
    "持续推进",
    "持续开展",
    "持续",
    "实时",
    "及时",
    "常态化",
    "经常性",
    "随时",
    "动态更新",
    "全年",
)
# Wrapping words a table puts around a date: 于…前, 在…之前完成, 力争…, 截至…, 分别于….
_PREFIX = re.compile(r"^(?:分别于|分别在|力争于|力争在|力争|截至|截止|于|在|到)")
_SUFFIX = re.compile(r"(?:以前|之前|前|完成|止|为止|内完成)+$")
_YEAR = r"(?:(?P<y>\d{4})年|(?:今年|本年|当年))?"
_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"(?P<y>\d{4})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})")),
    # 2008年8月18前 (seed 003 篇1 drops the 日): the day is still unambiguous.
    ("day", re.compile(_YEAR + r"(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?")),
    ("month", re.compile(_YEAR + r"(?P<m>\d{1,2})月(?:份|底|末|内)?")),
    ("year_end", re.compile(_YEAR + r"(?:年底|年末|底|年内|年度内|内)")),
    ("half", re.compile(_YEAR + r"(?P<h>上|下)半年(?:内|末|底)?")),
    ("quarter", re.compile(_YEAR + r"第?(?P<q>\d)季度(?:末|底|内)?")),
)
_RECURRING = re.compile(
    r"(?:每|按|逐)(?P<f>月|季度|季|半年|年)(?:度)?"
    r"(?:(?P<d>\d{1,2})[日号]|末|底|结束后(?P<a>\d{1,3})(?:日|天)内?)?"
)
_FREQ = {
    "月": Frequency.MONTHLY,
    "季度": Frequency.QUARTERLY,
    "季": Frequency.QUARTERLY,
    "半年": Frequency.HALF_YEARLY,
    "年": Frequency.YEARLY,
}
_SPLIT = re.compile(r"[、，,；;和及]")


def _normal(text: str) -> str:
    # Full-width digits and punctuation become ASCII (NFKC); spaces and ideographic spaces go.
    flat = unicodedata.normalize("NFKC", text)
    flat = re.sub(r"\s+", "", flat)
    return _CN_NUM.sub(lambda m: str(_cn_number(m.group()) or m.group()), flat)


def _bad(text: str, zh: str, en: str) -> DueFormError:
    return DueFormError(
        f"无法识别的完成时限“{text}”：{zh}。可写作“2024年9月30日前”“9月底前”“年底前”“上半年”"
        "“每季度”“每月10日前”“长期坚持”等",
        f"cannot read the due text {text!r}: {en}; write e.g. 2024年9月30日前, 9月底前, 年底前, "
        "上半年, 每季度, 每月10日前 or 长期坚持",
        text=text,
        field="due",
    )


def _one_date(part: str, year: int, original: str) -> date | None:
    """The due date of one dated form, ``None`` when ``part`` is no dated form."""
    for name, pattern in _FORMS:
        found = pattern.fullmatch(part)
        if not found:
            continue
        groups = found.groupdict()
        y = int(groups["y"]) if groups.get("y") else year
        try:
            if name in ("iso", "day"):
                return date(y, int(groups["m"]), int(groups["d"]))
            if name == "month":
                month = int(groups["m"])
                if not 1 <= month <= 12:
                    raise ValueError(f"month {month}")
                return _end_of_month(y, month)
            if name == "year_end":
                return date(y, 12, 31)
            if name == "half":
                return date(y, 6, 30) if groups["h"] == "上" else date(y, 12, 31)
            quarter = int(groups["q"])
            if not 1 <= quarter <= 4:
                raise ValueError(f"quarter {quarter}")
            return _end_of_month(y, quarter * 3)
        except ValueError as err:
            raise _bad(
                original, "没有这一天（月份或日期超出范围）", f"no such day ({err})"
            ) from None
    return None


def parse_due(text: object, year: int) -> DueRule:
    """Read a 完成时限 as a plan table writes it, for a plan of ``year`` (the year of a date
    written without one).

    >>> parse_due("9月10日前", 2024).dates
    (datetime.date(2024, 9, 10),)
    >>> parse_due("每季度", 2024).occurrences(2024)[0].due
    datetime.date(2024, 3, 31)

    A `datetime.date` (a date cell of a spreadsheet) is a one-date rule; blank text is
    `DueKind.UNSPECIFIED`.

    :raises DueFormError: the text is no form above (code ``plans.bad_due``; ``.text`` is it).
    """
    if isinstance(text, date):
        day = text.date() if isinstance(text, datetime) else text
        return DueRule(DueKind.BY_DATE, text=day.isoformat(), dates=(day,))
    if not isinstance(text, str):
        raise _bad(
            str(text), "应为文字或日期", f"expected text or a date, got {type(text).__name__}"
        )
    shown = text.strip()
    flat = _normal(shown)
    if not flat:
        return DueRule(DueKind.UNSPECIFIED, text=shown)
    if flat in _ONGOING or any(flat.startswith(w) and len(flat) <= len(w) + 2 for w in _ONGOING):
        return DueRule(DueKind.ONGOING, text=shown)
    core = _SUFFIX.sub("", _PREFIX.sub("", flat))
    recurring = _RECURRING.fullmatch(core)
    if recurring:
        freq = _FREQ[recurring.group("f")]
        nth = int(recurring.group("d")) if recurring.group("d") else None
        after = int(recurring.group("a")) if recurring.group("a") else None
        if nth is not None and not 1 <= nth <= 31:
            raise _bad(shown, "日期超出范围", f"day {nth} out of range")
        return DueRule(DueKind.RECURRING, text=shown, frequency=freq, day=nth, after_days=after)
    parts = [_SUFFIX.sub("", _PREFIX.sub("", p)) for p in _SPLIT.split(core)]
    parts = [p for p in parts if p]
    dates = []
    for part in parts:
        found = _one_date(part, year, shown)
        if found is None:
            raise _bad(shown, f"“{part}”不是日期", f"{part!r} is not a date")
        dates.append(found)
    if not dates:
        raise _bad(shown, "没有日期", "no date in it")
    unique = tuple(sorted(set(dates)))
    kind = DueKind.BY_DATE if len(unique) == 1 else DueKind.DATES
    return DueRule(kind, text=shown, dates=unique)


def format_due(rule: DueRule, year: int) -> str:
    """The canonical text of ``rule`` in a plan of ``year``, which `parse_due` reads back to
    the same rule (a date of the plan year without its year, as the tables write it)."""

    def one(d: date) -> str:
        head = "" if d.year == year else f"{d.year}年"
        return f"{head}{d.month}月{d.day}日前"

    if rule.kind in (DueKind.BY_DATE, DueKind.DATES):
        return "、".join(one(d) for d in rule.dates)
    if rule.kind is DueKind.RECURRING and rule.frequency is not None:
        base = rule.frequency.label
        if rule.day is not None:
            return f"{base}{rule.day}日前"
        if rule.after_days is not None:
            return f"{base}结束后{rule.after_days}日内"
        return base
    return "长期坚持" if rule.kind is DueKind.ONGOING else ""
