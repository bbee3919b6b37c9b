"""Data and table kernels behind `govdisclose.calendar` (private; may change without notice).

Two things live here:

* the cited data govdisclose adds to chinese-calendar's tables: which State Council notice each
  year's schedule comes from, and the errata where chinese-calendar disagrees with the notice;
* the table builder: from a day-status function to the flat arrays (working-day flags, cumulative
  counts, working-day dates) that make every calendar query O(1).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date
from itertools import accumulate, compress
from typing import Any, Final

import attrs

# `date.toordinal()` of 1970-01-01, the epoch of numpy's datetime64[D].
EPOCH_ORDINAL: Final = 719163

# Days of the last covered year from this (month, day) on are not final. The next year's notice
# has changed late-December days several times (chinese-calendar data, checked in the tests):
#   2005-12-31 (Sat) worked    - notice for 2006 (gov.cn/jrzg/2005-12/22/content_133837.htm)
#   2006-12-30/31 (Sat/Sun) worked - notice for 2007 (gov.cn/fwxx/sh/2006-12/18/content_471877.htm)
#   2007-12-29 (Sat) worked, 2007-12-31 (Mon) off - notice for 2008 (gov.cn/zwgk/2007-12/18/...)
#   2011-12-31 (Sat) worked    - notice for 2012 (gov.cn/zwgk/2011-12/06/content_2012097.htm)
#   2018-12-29 (Sat) worked, 2018-12-31 (Mon) off - notice for 2019 (gov.cn/xinwen/2018-12/06/...)
# The earliest day ever changed is 12-29; the window opens a week earlier because a New Year on a
# Wednesday or Thursday could move the weekend before it.
LATE_DECEMBER: Final = (12, 22)


@attrs.frozen
class Notice:
    """Where one year's national schedule comes from."""

    year: int
    title: str
    url: str | None
    # The date in the notice's gov.cn address (its publication there), or the date stated in
    # law/facts.md; None where neither is known.
    published_on: date | None
    number: str | None = None
    amendments: tuple[str, ...] = ()


def _title(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知"


# The notices behind chinese-calendar's data, with the address each of its year methods quotes
# (chinese_calendar/scripts/data.py, LKI/chinese-calendar). Mid-year amendments are listed with
# the year they changed.
NOTICES: Final[Mapping[int, Notice]] = {
    n.year: n
    for n in (
        Notice(
            2004,
            _title(2004),
            "https://zh.wikisource.org/zh-hans/国务院办公厅关于2004年部分节假日安排的通知",
            None,
        ),
        Notice(2005, _title(2005), None, None),
        Notice(
            2006,
            _title(2006),
            "http://www.gov.cn/jrzg/2005-12/22/content_133837.htm",
            date(2005, 12, 22),
        ),
        Notice(
            2007,
            _title(2007),
            "http://www.gov.cn/fwxx/sh/2006-12/18/content_471877.htm",
            date(2006, 12, 18),
        ),
        Notice(
            2008,
            _title(2008),
            "http://www.gov.cn/zwgk/2007-12/18/content_837184.htm",
            date(2007, 12, 18),
        ),
        Notice(
            2009,
            _title(2009),
            "http://www.gov.cn/zwgk/2008-12/10/content_1174014.htm",
            date(2008, 12, 10),
        ),
        Notice(
            2010,
            _title(2010),
            "http://www.gov.cn/zwgk/2009-12/08/content_1482691.htm",
            date(2009, 12, 8),
        ),
        Notice(
            2011,
            _title(2011),
            "http://www.gov.cn/zwgk/2010-12/10/content_1762643.htm",
            date(2010, 12, 10),
        ),
        Notice(
            2012,
            _title(2012),
            "http://www.gov.cn/zwgk/2011-12/06/content_2012097.htm",
            date(2011, 12, 6),
        ),
        Notice(
            2013,
            _title(2013),
            "http://www.gov.cn/zwgk/2012-12/10/content_2286598.htm",
            date(2012, 12, 10),
        ),
        Notice(
            2014,
            _title(2014),
            "http://www.gov.cn/zwgk/2013-12/11/content_2546204.htm",
            date(2013, 12, 11),
        ),
        Notice(
            2015,
            _title(2015),
            "http://www.gov.cn/zhengce/content/2014-12/16/content_9302.htm",
            date(2014, 12, 16),
            amendments=(
                "国务院关于中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日调休放假的通知"
                "（2015-05-13，http://www.gov.cn/zhengce/content/2015-05/13/content_9742.htm）",
            ),
        ),
        Notice(
            2016,
            _title(2016),
            "http://www.gov.cn/zhengce/content/2015-12/10/content_10394.htm",
            date(2015, 12, 10),
        ),
        Notice(
            2017,
            _title(2017),
            "http://www.gov.cn/zhengce/content/2016-12/01/content_5141603.htm",
            date(2016, 12, 1),
        ),
        Notice(
            2018,
            _title(2018),
            "http://www.gov.cn/zhengce/content/2017-11/30/content_5243579.htm",
            date(2017, 11, 30),
        ),
        Notice(
            2019,
            _title(2019),
            "http://www.gov.cn/xinwen/2018-12/06/content_5346287.htm",
            date(2018, 12, 6),
            amendments=(
                "国务院办公厅关于调整2019年劳动节假期安排的通知"
                "（2019-03-22，http://www.gov.cn/zhengce/content/2019-03/22/content_5375877.htm）",
            ),
        ),
        Notice(
            2020,
            _title(2020),
            "http://www.gov.cn/zhengce/content/2019-11/21/content_5454164.htm",
            date(2019, 11, 21),
            amendments=(
                "国务院办公厅关于延长2020年春节假期的通知"
                "（2020-01-27，http://www.gov.cn/zhengce/content/2020-01/27/content_5472352.htm）",
            ),
        ),
        Notice(
            2021,
            _title(2021),
            "http://www.gov.cn/zhengce/content/2020-11/25/content_5564127.htm",
            date(2020, 11, 25),
        ),
        Notice(
            2022,
            _title(2022),
            "http://www.gov.cn/zhengce/content/2021-10/25/content_5644835.htm",
            date(2021, 10, 25),
        ),
        Notice(
            2023,
            _title(2023),
            "http://www.gov.cn/zhengce/content/2022-12/08/content_5730844.htm",
            date(2022, 12, 8),
        ),
        # The address carries only the month (2023-10); the day is not in our sources.
        Notice(
            2024,
            _title(2024),
            "https://www.gov.cn/zhengce/content/202310/content_6911527.htm",
            None,
        ),
        Notice(
            2025,
            _title(2025),
            "https://www.gov.cn/zhengce/content/202411/content_6986382.htm",
            date(2024, 11, 12),
            number="国办发明电〔2024〕12号",
        ),
        Notice(
            2026,
            _title(2026),
            "https://www.gov.cn/zhengce/content/202511/content_7047090.htm",
            date(2025, 11, 4),
        ),
    )
}


@attrs.frozen
class Erratum:
    """A day where chinese-calendar's data contradicts the notice it quotes."""

    day: date
    workday: bool
    notice_year: int
    quote: str
    upstream: str


ERRATA: Final[tuple[Erratum, ...]] = (
    Erratum(
        day=date(2005, 12, 31),
        workday=True,
        notice_year=2006,
        # 国务院办公厅关于2006年部分节假日安排的通知, part 一 (元旦), as quoted in
        # chinese-calendar's own data.py for 2006; the holidays package (CN) agrees.
        quote="将12月31日(星期六)、1月1日(星期日)两个公休日调至1月2日(星期一)、3日(星期二)，"
        "12月31日(星期六)上班",
        upstream="chinese-calendar issue #125 (earlier #17): 2005-12-31 is returned as a rest day",
    ),
)


def content_hash(parts: Iterable[Any]) -> str:
    """A short, stable hash of calendar data, for `WorkCalendar.version`."""
    h = hashlib.sha256()
    for part in parts:
        h.update(repr(part).encode())
        h.update(b"\x00")
    return h.hexdigest()[:8]


@attrs.frozen(eq=False)
class Tables:
    """Flat O(1) lookup tables over ``[origin, origin + ndays)`` (ordinals).

    ``flags[i]`` is 1 when day ``origin + i`` is a working day; ``cum[i]`` counts the working days
    in ``[origin, origin + i]``; ``wd[k]`` is the working day with ``cum == k + 1``.
    """

    origin: int
    flags: bytes
    cum: list[int]
    wd: list[date]

    @property
    def ndays(self) -> int:
        return len(self.flags)


def weekday_flags(origin: int, ndays: int) -> bytearray:
    """Mon-Fri working, Sat/Sun rest, for ``ndays`` days from ordinal ``origin``."""
    week = b"\x01\x01\x01\x01\x01\x00\x00"
    start = (origin + 6) % 7  # date.weekday() of the origin
    reps = ndays // 7 + 2
    return bytearray((week[start:] + week * reps)[:ndays])


def build_tables(origin: int, flags: bytearray) -> Tables:
    """Cumulative counts and working-day dates from the working-day flags."""
    cum = list(accumulate(flags))
    wd = list(map(date.fromordinal, compress(range(origin, origin + len(flags)), flags)))
    return Tables(origin=origin, flags=bytes(flags), cum=cum, wd=wd)


@attrs.define
class NumpyTables:
    """numpy mirrors of `Tables` for the batch forms, built on first batch call."""

    flags: Any  # bool array, one per day
    cum: Any  # int64 array, one per day
    wd: Any  # datetime64[D] array of the working days
    # Per step n (n != 0): (lo, count, table) with table[j] = add_working_days(origin + lo + j, n)
    # for the offsets lo <= i < lo + count whose result lies inside the tables (a contiguous run,
    # because the cumulative count never decreases). Built on first use of each n, a few bounded.
    by_step: dict[int, tuple[int, int, Any]] = attrs.field(factory=dict)

    def step_table(self, n: int) -> tuple[int, int, Any]:
        """``add_working_days(_, n)`` over every day, as one datetime64 table (see `by_step`)."""
        got = self.by_step.get(n)
        if got is not None:
            return got
        import numpy as np

        k = self.cum + (n - 1) if n > 0 else self.cum - self.flags + n
        valid = np.flatnonzero((k >= 0) & (k < len(self.wd)))
        if valid.size:
            lo, hi = int(valid[0]), int(valid[-1]) + 1
            entry = (lo, hi - lo, self.wd.take(k[lo:hi]))
        else:
            entry = (0, 0, self.wd[:0])
        if len(self.by_step) >= STEP_TABLES:
            self.by_step.clear()  # a caller cycling through many steps: start again
        self.by_step[n] = entry
        return entry


# How many per-step tables (about 70 kB each for the strict calendar) a calendar keeps.
STEP_TABLES: Final = 64


def numpy_tables(tables: Tables) -> NumpyTables:
    import numpy as np

    flags = np.frombuffer(tables.flags, dtype=np.uint8).astype(bool)
    cum = np.asarray(tables.cum, dtype=np.int64)
    wd_ord = np.flatnonzero(flags).astype(np.int64) + (tables.origin - EPOCH_ORDINAL)
    return NumpyTables(flags=flags, cum=cum, wd=wd_ord.view("datetime64[D]"))
