"""The working-day calendar (工作日): official holidays off, 调休 makeup working days on.

The disclosure time limits of the 条例 (2019 第二十六条, 第三十条, 第三十二条, 第三十三条) are
counted in working days, which the regulation does not define. govdisclose counts a day as a
working day when it is Monday to Friday and not a day off under the 国务院办公厅 holiday notice for
its year, or when it is a weekend day the notice says is worked (调休上班).

`WorkCalendar.default()` builds the national calendar from chinese-calendar's tables (read directly,
never through its per-call ``is_workday``, which re-validates the year range on every call), with
govdisclose's cited errata on top. All queries are O(1) list look-ups over precomputed tables:
cumulative working-day counts per day and the ordered working days, so
``add_working_days(d, n) == workday_at(index(d) + n)`` and
``working_days_between(a, b) == index(b) - index(a)``.

Past the data the calendar is explicit: ``policy="strict"`` raises `CalendarDataMissing`;
``policy="provisional"`` computes from the statutory holidays (see ``provisional_assumption``) and
marks every day from ``provisional_from`` on as not final.

A difference from chinese-calendar worth knowing: ``chinese_calendar.find_workday(n, d)`` counts
from the first working day on or after ``d``, so for a rest day ``d`` it returns the (n+1)-th
working day after ``d``. `WorkCalendar.add_working_days` always counts from the day after ``d``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal, overload

import attrs

from govdisclose._time import count_arg, day_arg, days_arg
from govdisclose.calendar import _tables as _t
from govdisclose.calendar._files import ScheduleFile, load_schedule_file
from govdisclose.errors import CalendarDataMissing, CalendarError, InvalidParameterFile

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "PROVISIONAL_HORIZON_YEARS",
    "CalendarExport",
    "CalendarOverrides",
    "DayChange",
    "DayInfo",
    "DayKind",
    "Policy",
    "Schedule",
    "ScheduleSource",
    "WorkCalendar",
    "calendar_days",
    "coverage_text",
    "export_calendar",
    "load_export_json",
    "month_view",
    "parse_holiday_notice",
    "read_holiday_notice",
    "schedule_to_toml",
]

#: One year's official schedule (the days off and the makeup working days of a State Council
#: notice, with its citation): what `parse_holiday_notice` returns and `with_schedule` applies.
Schedule = ScheduleFile

Policy = Literal["strict", "provisional"]

#: How many years past the last official schedule a provisional calendar reaches.
PROVISIONAL_HORIZON_YEARS: Final = 10


def _dates(value: Any) -> frozenset[date]:
    return frozenset(value)


@attrs.frozen
class CalendarOverrides:
    """Extra rest days and working days on top of the national calendar.

    What the plugin hook ``govdisclose_calendar_overrides(settings)`` returns: e.g. an autonomous
    region's ethnic festival (《全国年节及纪念日放假办法》 第四条) or a local amendment.

    :param name: a short label for the override, shown in explanations.
    :param source: the document it comes from (title, number, address).
    :param region: the administrative region it applies to, or ``None`` for all.
    :param holidays: extra rest days.
    :param workdays: extra working days (weekend days worked under a local arrangement).
    """

    name: str
    source: str
    region: str | None = None
    holidays: frozenset[date] = attrs.field(default=frozenset(), converter=_dates)
    workdays: frozenset[date] = attrs.field(default=frozenset(), converter=_dates)

    def __attrs_post_init__(self) -> None:
        both = self.holidays & self.workdays
        if both:
            day = min(both)
            raise CalendarError(
                f"日历覆盖 {self.name!r} 把 {day} 同时列为休息日和工作日",
                f"calendar override {self.name!r} lists {day} as both a rest day and a working day",
                field="holidays",
                code="calendar.invalid_override",
            )


@attrs.frozen
class ScheduleSource:
    """Where one year's working-day data comes from.

    :param year: the calendar year.
    :param notice: the 国务院办公厅 notice (title, and number where known) fixing that year's
        holidays and makeup working days, with any mid-year amendment.
    :param published_on: its publication date, if known.
    :param version: the data version: the chinese-calendar release, or the schedule file's hash.
    :param url: where the notice was published, if known.
    :param amendments: later notices that changed the year's schedule.
    """

    year: int
    notice: str
    published_on: date | None
    version: str
    url: str | None = None
    amendments: tuple[str, ...] = ()


@attrs.frozen
class DayChange:
    """A day whose working-day status differs between two calendars (see `WorkCalendar.diff`)."""

    day: date
    was_workday: bool
    now_workday: bool


@attrs.frozen
class _National:
    """chinese-calendar's national data with govdisclose's errata applied."""

    cc_version: str
    first: int
    last: int
    rest: Mapping[date, str]  # rest days (weekend days inside holiday blocks included)
    work: frozenset[date]  # makeup working days


@attrs.frozen(eq=False)
class _State:
    """Everything a calendar is built from; a new state for every `with_*` call."""

    policy: Policy
    national: _National
    schedules: tuple[ScheduleFile, ...] = ()
    overrides: tuple[CalendarOverrides, ...] = ()

    @property
    def first(self) -> int:
        return self.national.first

    @property
    def last(self) -> int:
        return max([self.national.last, *(s.year for s in self.schedules)])


@functools.cache
def _national() -> _National:
    import chinese_calendar as cc

    # Values are English names in 1.11 (Holiday enum members in some older releases).
    chinese = {h.value: h.chinese for h in cc.Holiday}
    rest: dict[date, str] = {
        d: chinese.get(getattr(h, "value", h), str(h)) for d, h in cc.holidays.items()
    }
    work = set(cc.workdays)
    for erratum in _t.ERRATA:
        if erratum.workday:
            rest.pop(erratum.day, None)
            work.add(erratum.day)
        else:
            work.discard(erratum.day)
            rest[erratum.day] = "（勘误）"
    years = [d.year for d in cc.holidays]
    version = getattr(cc, "__version__", "unknown")
    return _National(
        cc_version=str(version),
        first=min(years),
        last=max(years),
        rest=MappingProxyType(rest),
        work=frozenset(work),
    )


@functools.cache
def _default(policy: Policy) -> WorkCalendar:
    return WorkCalendar._from_state(_State(policy=policy, national=_national()))


def _restore(
    policy: Policy, schedules: tuple[ScheduleFile, ...], overrides: tuple[CalendarOverrides, ...]
) -> WorkCalendar:
    if not schedules and not overrides:
        return WorkCalendar.default(policy=policy)
    state = _State(policy=policy, national=_national(), schedules=schedules, overrides=overrides)
    return WorkCalendar._from_state(state)


def _is_ndarray(value: object) -> bool:
    return type(value).__module__ == "numpy" and hasattr(value, "dtype")


class WorkCalendar:
    """An immutable working-day calendar with O(1) queries.

    Build it with `WorkCalendar.default`; derive variants with `with_overrides` and
    `with_schedule_file` (each returns a new calendar, so a computed deadline can always name the
    calendar ``version`` it used).

    Attributes:

    * ``policy``: ``"strict"`` or ``"provisional"``;
    * ``version``: identifies the data (chinese-calendar release, covered years, a hash of errata,
      schedule files and overrides, and the provisional rule where used);
    * ``covered``: first and last year with official data;
    * ``sources``: per covered year, the `ScheduleSource`;
    * ``provisional_from``: the first day whose status is not final (late December of the last
      covered year, then everything after it);
    * ``provisional_assumption``: the Chinese + English sentence stating what was assumed there.
    """

    __slots__ = (
        "_cum",
        "_end",
        "_flags",
        "_names",
        "_ndays",
        "_np",
        "_nwd",
        "_origin",
        "_state",
        "_wd",
        "covered",
        "policy",
        "provisional_assumption",
        "provisional_from",
        "sources",
        "version",
    )

    policy: Policy
    version: str
    covered: tuple[int, int]
    sources: Mapping[int, ScheduleSource]
    provisional_from: date | None
    provisional_assumption: str
    _state: _State
    _origin: int
    _ndays: int
    _nwd: int
    _end: int
    _flags: bytes
    _cum: list[int]
    _wd: list[date]
    _names: Mapping[date, str]
    _np: list[_t.NumpyTables]

    def __init__(self) -> None:
        raise TypeError("use WorkCalendar.default() and its with_* methods to build a calendar")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"WorkCalendar is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"WorkCalendar is immutable; cannot delete {name!r}")

    def __repr__(self) -> str:
        return f"<WorkCalendar {self.policy} {self.version}>"

    def __eq__(self, other: object) -> bool:
        # The version hashes everything the tables are built from.
        if not isinstance(other, WorkCalendar):
            return NotImplemented
        return (self.policy, self.version) == (other.policy, other.version)

    def __hash__(self) -> int:
        return hash((self.policy, self.version))

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from its inputs in the receiving process (OA deployments fan out to workers);
        # the national data is that process's chinese-calendar, which `version` names.
        state = self._state
        return (_restore, (state.policy, state.schedules, state.overrides))

    # -- construction ---------------------------------------------------------------------------

    @classmethod
    def default(cls, *, policy: Policy = "strict") -> WorkCalendar:
        """The national calendar: chinese-calendar's data plus govdisclose's cited errata.

        Built on first use and cached per policy (the tables take a few milliseconds);
        ``policy="provisional"`` needs the ``holidays`` package (``govdisclose[provisional]``).
        """
        if policy not in ("strict", "provisional"):
            raise CalendarError(
                f"未知的日历策略 {policy!r}（应为 'strict' 或 'provisional'）",
                f"unknown calendar policy {policy!r} (expected 'strict' or 'provisional')",
                field="policy",
                code="calendar.invalid_policy",
            )
        return _default(policy)

    @classmethod
    def _from_state(cls, state: _State) -> WorkCalendar:
        self = object.__new__(cls)
        put: Callable[[str, object], None] = functools.partial(object.__setattr__, self)
        first, last = state.first, state.last
        end_year = last + PROVISIONAL_HORIZON_YEARS if state.policy == "provisional" else last
        origin = date(first, 1, 1).toordinal()
        end = date(end_year, 12, 31).toordinal() + 1
        flags = _t.weekday_flags(origin, end - origin)
        names: dict[date, str] = {}

        def mark(day: date, working: bool, name: str | None = None) -> None:
            i = day.toordinal() - origin
            if 0 <= i < end - origin:
                flags[i] = working
                if not working and name is not None:
                    names[day] = name
                elif working:
                    names.pop(day, None)

        national = state.national
        for day, name in national.rest.items():
            mark(day, False, name)
        for day in national.work:
            mark(day, True)
        hash_parts: list[object] = [
            [(e.day, e.workday) for e in _t.ERRATA],
        ]
        assumption_first = last + 1
        version_tail = ""
        if state.policy == "provisional":
            from govdisclose.calendar import _provisional

            for day, name in _provisional.statutory_rest_days(
                range(last + 1, end_year + 1)
            ).items():
                mark(day, False, name)
            version_tail = (
                f"; provisional {last + 1}-{end_year} (holidays {_provisional.holidays_version()})"
            )
        for sched in state.schedules:
            for day, name in sched.rest:
                mark(day, False, name)
            for day in sched.work:
                mark(day, True)
            hash_parts.append(sched.sha256)
        for ov in state.overrides:
            for day in ov.holidays:
                mark(day, False, ov.name)
            for day in ov.workdays:
                mark(day, True)
            hash_parts.append((ov.name, ov.region, sorted(ov.holidays), sorted(ov.workdays)))
        tables = _t.build_tables(origin, flags)

        sources: dict[int, ScheduleSource] = {}
        errata_years = {e.notice_year for e in _t.ERRATA}
        for year in range(first, national.last + 1):
            notice = _t.NOTICES.get(year)
            version = f"chinese-calendar {national.cc_version}"
            if year in errata_years:
                version += " + govdisclose errata"
            if notice is None:
                sources[year] = ScheduleSource(
                    year=year,
                    notice=(
                        f"国务院办公厅关于{year}年部分节假日安排的通知（据 chinese-calendar 数据）"
                    ),
                    published_on=None,
                    version=version,
                )
            else:
                title = notice.title + (f"（{notice.number}）" if notice.number else "")
                sources[year] = ScheduleSource(
                    year=year,
                    notice=title,
                    published_on=notice.published_on,
                    version=version,
                    url=notice.url,
                    amendments=notice.amendments,
                )
        for sched in state.schedules:
            previous = sources.get(sched.year)
            title = sched.notice + (f"（{sched.number}）" if sched.number else "")
            file_version = f"schedule file {os.path.basename(sched.path)} sha256:{sched.sha256[:8]}"
            if previous is not None and sched.year <= national.last:
                # A file for a year already covered amends it (like the 2020 extension notice).
                sources[sched.year] = attrs.evolve(
                    previous,
                    version=f"{previous.version} + {file_version}",
                    amendments=(*previous.amendments, title),
                )
            else:
                sources[sched.year] = ScheduleSource(
                    year=sched.year,
                    notice=title,
                    published_on=sched.published_on,
                    version=file_version,
                    url=sched.url,
                )

        if state.policy == "provisional":
            from govdisclose.calendar import _provisional as _p

            assumption = _p.assumption(assumption_first)
        else:
            assumption = (
                f"{last}年12月{_t.LATE_DECEMBER[1]}日起的日期尚非最终：假定{last + 1}年的放假通知"
                f"不调整{last}年12月的日子；{last + 1}年起没有数据（strict 策略下报错）"
                f" / days from {last}-12-{_t.LATE_DECEMBER[1]} on are not final: assumed that "
                f"the notice for {last + 1} changes no December {last} day; no data from "
                f"{last + 1} on (strict policy raises)"
            )

        put("policy", state.policy)
        put(
            "version",
            f"chinese-calendar {national.cc_version}; {first}-{last}; "
            f"data {_t.content_hash(hash_parts)}{version_tail}",
        )
        put("covered", (first, last))
        put("sources", MappingProxyType(sources))
        put("provisional_from", date(last, *_t.LATE_DECEMBER))
        put("provisional_assumption", assumption)
        put("_state", state)
        put("_origin", origin)
        put("_ndays", tables.ndays)
        put("_end", end)
        put("_flags", tables.flags)
        put("_cum", tables.cum)
        put("_wd", tables.wd)
        put("_nwd", len(tables.wd))
        put("_names", MappingProxyType(names))
        put("_np", [])
        return self

    def with_overrides(self, overrides: CalendarOverrides) -> WorkCalendar:
        """A new calendar with ``overrides`` applied on top of this one (later ones win)."""
        if not isinstance(overrides, CalendarOverrides):
            raise CalendarError(
                "with_overrides 需要 CalendarOverrides 对象",
                f"with_overrides expects a CalendarOverrides, got {type(overrides).__name__}",
                field="overrides",
                code="calendar.invalid_override",
            )
        state = attrs.evolve(self._state, overrides=(*self._state.overrides, overrides))
        return WorkCalendar._from_state(state)

    def with_schedule_file(self, path: str | os.PathLike[str]) -> WorkCalendar:
        """A new calendar with one year's official schedule loaded from a TOML or JSON file.

        Use it the day a 国务院办公厅 notice is published, before chinese-calendar is updated.
        Loading the year after the last covered one extends ``covered``; a file for a covered
        year amends it. The format is described in ``govdisclose.calendar._files``; problems
        raise `InvalidParameterFile` naming the file and the key.
        """
        return self.with_schedule(load_schedule_file(path))

    def with_notice(self, path: str | os.PathLike[str]) -> WorkCalendar:
        """A new calendar with the schedule read from the text of the State Council notice
        itself (国务院办公厅关于YYYY年部分节假日安排的通知): a ``.txt`` file, or the web page saved
        as ``.html`` (see `read_holiday_notice`). Anything the parser cannot read unambiguously
        raises `govdisclose.errors.HolidayNoticeError` naming the line."""
        from govdisclose.calendar._notice import read_notice

        return self.with_schedule(read_notice(path))

    def with_schedule(self, schedule: Schedule) -> WorkCalendar:
        """A new calendar with a `Schedule` (from `parse_holiday_notice`, `read_holiday_notice`
        or a schedule file) applied: the year after the last covered one extends ``covered``,
        a covered year is amended."""
        if not isinstance(schedule, ScheduleFile):
            raise CalendarError(
                "with_schedule 需要 Schedule 对象（由 parse_holiday_notice 等得到）",
                f"with_schedule expects a Schedule, got {type(schedule).__name__}",
                field="schedule",
                code="calendar.invalid_input",
            )
        sched = schedule
        first, last = self.covered
        if not first <= sched.year <= last + 1:
            raise InvalidParameterFile(
                f"放假安排文件 {sched.path} 的 year：{sched.year}年不能载入，只能是已覆盖的"
                f"{first}–{last}年或紧接其后的{last + 1}年",
                f"holiday schedule file {sched.path}, key year: {sched.year} cannot be loaded; "
                f"it must be a covered year ({first}-{last}) or the next one ({last + 1})",
                field=f"{sched.path}:year",
                code="calendar.invalid_schedule_file",
            )
        state = attrs.evolve(self._state, schedules=(*self._state.schedules, sched))
        return WorkCalendar._from_state(state)

    # -- errors ---------------------------------------------------------------------------------

    def _missing(self, day: date) -> CalendarError:
        if self.policy == "provisional" and day.year > self.covered[1]:
            first, last = self.covered
            horizon = last + PROVISIONAL_HORIZON_YEARS
            return CalendarDataMissing(
                f"{day} 超出临时日历的范围（官方数据{first}–{last}年，临时推算至{horizon}年）",
                f"{day} is beyond the provisional calendar (official data {first}-{last}, "
                f"provisional up to {horizon})",
                year=day.year,
                covered=self.covered,
                code="calendar.beyond_horizon",
            )
        return CalendarDataMissing.for_day(day, self.covered)

    def _missing_index(self, i: int) -> CalendarError:
        # A result that runs off either end of the tables: name the first day it would need.
        day = self._first_day_after() if i >= self._ndays else self._last_day_before()
        return self._missing(day)

    def _first_day_after(self) -> date:
        return date.fromordinal(self._end)

    def _last_day_before(self) -> date:
        return date.fromordinal(self._origin - 1)

    # -- scalar queries -------------------------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        """Whether ``d`` is a working day (a makeup 调休 weekend day is one)."""
        if type(d) is not date:
            d = day_arg(d, "d")
        i = d.toordinal() - self._origin
        if 0 <= i < self._ndays:
            return self._flags[i] == 1
        raise self._missing(d)

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d``; counting starts the day after ``d``.

        ``n == 0`` returns ``d``; ``n < 0`` gives the ``|n|``-th working day before ``d``. This is
        how a limit of N working days runs from the trigger date (期间开始的日不计算在期间内).
        """
        if type(d) is not date:
            d = day_arg(d, "d")
        if type(n) is not int:
            n = count_arg(n, "n")
        i = d.toordinal() - self._origin
        if n > 0 and 0 <= i < self._ndays:
            try:
                return self._wd[self._cum[i] + n - 1]
            except IndexError:
                raise self._missing_index(self._ndays) from None
        return self._add_other(d, i, n)

    def _add_other(self, d: date, i: int, n: int) -> date:
        if not 0 <= i < self._ndays:
            raise self._missing(d)
        if n == 0:
            return d
        if n > 0:
            raise AssertionError("unreachable: positive n is handled by add_working_days")
        k = self._cum[i] - self._flags[i] + n  # index (0-based) of the |n|-th working day before
        if k < 0:
            raise self._missing_index(-1)
        return self._wd[k]

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in ``(a, b]``; negative (``-working_days_between(b, a)``) if ``b < a``."""
        if type(a) is not date:
            a = day_arg(a, "a")
        if type(b) is not date:
            b = day_arg(b, "b")
        origin = self._origin
        i = a.toordinal() - origin
        j = b.toordinal() - origin
        nd = self._ndays
        if 0 <= i < nd and 0 <= j < nd:
            return self._cum[j] - self._cum[i]
        raise self._missing(a if not 0 <= i < nd else b)

    def next_workday(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.add_working_days(d, 1)

    def workday_on_or_after(self, d: date) -> date:
        """``d`` if it is a working day, else the next one."""
        d = day_arg(d, "d")
        return d if self.is_workday(d) else self.add_working_days(d, 1)

    def index(self, d: date) -> int:
        """The number of working days from the table origin (1 January of the first covered
        year) up to and including ``d``."""
        if type(d) is not date:
            d = day_arg(d, "d")
        i = d.toordinal() - self._origin
        if 0 <= i < self._ndays:
            return self._cum[i]
        raise self._missing(d)

    def workday_at(self, k: int) -> date:
        """The working day whose `index` is ``k`` (``k >= 1``)."""
        if type(k) is not int:
            k = count_arg(k, "k")
        if 1 <= k <= self._nwd:
            return self._wd[k - 1]
        raise self._missing_index(self._ndays if k > self._nwd else -1)

    @property
    def overrides(self) -> tuple[CalendarOverrides, ...]:
        """The overrides in force, in the order they were applied (later ones win)."""
        return self._state.overrides

    @property
    def schedule_files(self) -> tuple[ScheduleFile, ...]:
        """The schedule files (or parsed notices) loaded on top of the national data, in order."""
        return self._state.schedules

    def is_provisional(self, d: date) -> bool:
        """Whether ``d``'s status may still change (on or after ``provisional_from``)."""
        d = day_arg(d, "d")
        return self.provisional_from is not None and d >= self.provisional_from

    def covers(self, d: date) -> bool:
        """Whether the tables reach ``d`` (queries on it do not raise)."""
        d = day_arg(d, "d")
        return 0 <= d.toordinal() - self._origin < self._ndays

    def holiday_name(self, d: date) -> str | None:
        """The name of the holiday or override that makes ``d`` a rest day, if any."""
        d = day_arg(d, "d")
        if self.is_workday(d):
            return None
        return self._names.get(d)

    def holidays_between(self, a: date, b: date) -> tuple[tuple[date, str | None], ...]:
        """Monday-to-Friday rest days in ``(a, b]`` with their names: the days a deadline
        skips besides weekends (for explanations such as "1/28-2/4 春节 not counted")."""
        out = []
        for day in self._span(a, b):
            if day.weekday() < 5 and not self.is_workday(day):
                out.append((day, self._names.get(day)))
        return tuple(out)

    def makeup_workdays_between(self, a: date, b: date) -> tuple[date, ...]:
        """Saturdays and Sundays in ``(a, b]`` that are working days (调休上班), which a
        deadline counts."""
        return tuple(d for d in self._span(a, b) if d.weekday() >= 5 and self.is_workday(d))

    def _span(self, a: date, b: date) -> list[date]:
        a, b = day_arg(a, "a"), day_arg(b, "b")
        self.working_days_between(a, b)  # raises outside the tables
        lo, hi = (a, b) if a <= b else (b, a)
        return [lo + timedelta(days=i) for i in range(1, (hi - lo).days + 1)]

    def diff(self, other: WorkCalendar, start: date, end: date) -> tuple[DayChange, ...]:
        """The days in ``[start, end]`` whose status differs from this calendar to ``other``."""
        if not isinstance(other, WorkCalendar):
            raise CalendarError(
                "diff 需要另一个 WorkCalendar",
                f"diff expects another WorkCalendar, got {type(other).__name__}",
                field="other",
                code="calendar.invalid_input",
            )
        start, end = day_arg(start, "start"), day_arg(end, "end")
        changes = []
        day = start
        one = timedelta(days=1)
        while day <= end:
            was, now = self.is_workday(day), other.is_workday(day)
            if was != now:
                changes.append(DayChange(day=day, was_workday=was, now_workday=now))
            day += one
        return tuple(changes)

    # -- batch queries --------------------------------------------------------------------------

    def _numpy(self) -> _t.NumpyTables:
        if not self._np:
            # Benign race: two threads may both build; both results are equal.
            self._np.append(
                _t.numpy_tables(_t.Tables(self._origin, self._flags, self._cum, self._wd))
            )
        return self._np[0]

    def _offsets(self, days: Any) -> Any:
        """Table offsets of a datetime64 array, checked against the table bounds."""
        import numpy as np

        arr = np.asarray(days)
        if arr.dtype != np.dtype("datetime64[D]"):
            if arr.dtype.kind != "M":
                raise CalendarError(
                    f"批量查询需要 datetime64 数组，实为 {arr.dtype}",
                    f"batch queries need a datetime64 array, got dtype {arr.dtype}",
                    field="days",
                    code="calendar.invalid_input",
                )
            arr = arr.astype("datetime64[D]")
        off = arr.view(np.int64) - (self._origin - _t.EPOCH_ORDINAL)
        if off.size and (off.min() < 0 or off.max() >= self._ndays):
            bad = int(np.flatnonzero((off < 0) | (off >= self._ndays))[0])
            value = arr.reshape(-1)[bad]
            if np.isnat(value):
                raise CalendarError(
                    f"批量查询的第 {bad} 个日期为空（NaT）",
                    f"batch query element {bad} is NaT",
                    field=f"days[{bad}]",
                    code="calendar.invalid_input",
                )
            raise self._missing(value.astype(object))
        return off

    @overload
    def is_workday_many(self, days: Sequence[date]) -> tuple[bool, ...]: ...
    @overload
    def is_workday_many(self, days: npt.NDArray[np.datetime64]) -> npt.NDArray[np.bool_]: ...
    def is_workday_many(self, days: Any) -> Any:
        """`is_workday` over a sequence of dates (tuple out) or a datetime64 array (bool array)."""
        if _is_ndarray(days):
            return self._numpy().flags.take(self._offsets(days))
        is_workday = self.is_workday
        return tuple(is_workday(d) for d in days_arg(days, "days"))

    @overload
    def add_working_days_many(
        self, days: Sequence[date], n: int | Sequence[int]
    ) -> tuple[date, ...]: ...
    @overload
    def add_working_days_many(
        self,
        days: npt.NDArray[np.datetime64],
        n: int | Sequence[int] | npt.NDArray[np.integer[Any]],
    ) -> npt.NDArray[np.datetime64]: ...
    @overload
    def add_working_days_many(
        self, days: Sequence[date], n: npt.NDArray[np.integer[Any]]
    ) -> npt.NDArray[np.datetime64]: ...
    def add_working_days_many(self, days: Any, n: Any) -> Any:
        """`add_working_days` element-wise; ``n`` is one number or one per day.

        A datetime64 array gives a ``datetime64[D]`` array (the fast path: two gathers over the
        tables); a sequence of dates gives a tuple of dates.
        """
        if _is_ndarray(days) or _is_ndarray(n):
            return self._add_np(days, n)
        add = self.add_working_days
        days = days_arg(days, "days")
        if isinstance(n, int) and not isinstance(n, bool):
            return tuple(add(d, n) for d in days)
        if isinstance(n, str | bytes) or not isinstance(n, Iterable):
            count_arg(n, "n")  # a lone non-integer: raises, naming n
        steps = [count_arg(k, f"n[{i}]") for i, k in enumerate(n)]
        return tuple(add(d, k) for d, k in zip(days, steps, strict=True))

    def _add_np(self, days: Any, n: Any) -> Any:
        import numpy as np

        if not _is_ndarray(days):
            checked = days_arg(days, "days")
            days = np.fromiter(
                (d.toordinal() - _t.EPOCH_ORDINAL for d in checked),
                dtype=np.int64,
                count=len(checked),
            ).view("datetime64[D]")
        tables = self._numpy()
        if isinstance(n, int | np.integer) and n != 0 and -self._nwd < n < self._nwd:
            # The fast path: one gather from the table of n-th working days, bounds checked by
            # one unsigned max (negatives and NaT wrap to huge values); anything out of range
            # falls through to the general path, which names the error.
            arr = np.asarray(days)
            if arr.dtype == np.dtype("datetime64[D]"):
                lo, count, table = tables.step_table(int(n))
                j = arr.view(np.int64) - (self._origin - _t.EPOCH_ORDINAL + lo)
                if not j.size or int(j.view(np.uint64).max()) < count:
                    return table.take(j)
        off = self._offsets(days)
        if isinstance(n, int | np.integer):
            n = int(n)
            if n > 0:
                k = tables.cum.take(off)
                k += n - 1
            elif n == 0:
                return np.asarray(days).astype("datetime64[D]")
            else:
                k = tables.cum.take(off) - tables.flags.take(off) + n
            self._check_k(k)
            return tables.wd.take(k)
        steps = np.asarray(n, dtype=np.int64)
        if steps.shape != off.shape:
            raise CalendarError(
                f"天数数组的形状 {steps.shape} 与日期数组 {off.shape} 不一致",
                f"the shape of n {steps.shape} does not match the dates {off.shape}",
                field="n",
                code="calendar.invalid_input",
            )
        cum = tables.cum.take(off)
        if steps.size and steps.min() > 0:  # the common case: every limit positive
            cum += steps
            cum -= 1
            self._check_k(cum)
            return tables.wd.take(cum)
        k = np.where(steps > 0, cum + steps - 1, cum - tables.flags.take(off) + steps)
        zero = steps == 0
        k[zero] = 0
        self._check_k(k)
        out = tables.wd.take(k)
        out[zero] = np.asarray(days).astype("datetime64[D]")[zero]
        return out

    def _check_k(self, k: Any) -> None:
        if k.size and (k.min() < 0 or k.max() >= self._nwd):
            raise self._missing_index(self._ndays if k.max() >= self._nwd else -1)

    @overload
    def working_days_between_many(
        self, a: Sequence[date], b: Sequence[date]
    ) -> tuple[int, ...]: ...
    @overload
    def working_days_between_many(
        self, a: npt.NDArray[np.datetime64], b: npt.NDArray[np.datetime64]
    ) -> npt.NDArray[np.int64]: ...
    def working_days_between_many(self, a: Any, b: Any) -> Any:
        """`working_days_between` element-wise (int64 array for datetime64 arrays)."""
        if _is_ndarray(a) or _is_ndarray(b):
            import numpy as np

            if not _is_ndarray(a):
                a = np.array(
                    [d.toordinal() - _t.EPOCH_ORDINAL for d in days_arg(a, "a")], dtype=np.int64
                ).view("datetime64[D]")
            if not _is_ndarray(b):
                b = np.array(
                    [d.toordinal() - _t.EPOCH_ORDINAL for d in days_arg(b, "b")], dtype=np.int64
                ).view("datetime64[D]")
            cum = self._numpy().cum
            oa, ob = self._offsets(a), self._offsets(b)
            if oa.shape != ob.shape:
                raise CalendarError(
                    f"两个日期数组的形状不一致：{oa.shape} 与 {ob.shape}",
                    f"the date arrays differ in shape: {oa.shape} and {ob.shape}",
                    field="b",
                    code="calendar.invalid_input",
                )
            return cum.take(ob) - cum.take(oa)
        between = self.working_days_between
        return tuple(between(x, y) for x, y in zip(days_arg(a, "a"), days_arg(b, "b"), strict=True))


def parse_holiday_notice(text: str, *, source: str = "<text>") -> Schedule:
    """The `Schedule` of a 国务院办公厅 holiday notice from its text (pasted or extracted):
    each holiday span, each 调休 working day, the notice's number and date as the citation.
    Refuses, with `govdisclose.errors.HolidayNoticeError` naming the line, anything it cannot
    read unambiguously (a weekday that does not match the date, overlapping festivals, a year
    mismatch, an unknown festival)."""
    from govdisclose.calendar._notice import parse_notice

    return parse_notice(text, source=source)


def read_holiday_notice(path: str | os.PathLike[str]) -> Schedule:
    """`parse_holiday_notice` on a file: a ``.txt``, or the notice's web page saved as
    ``.html`` (UTF-8 or GB18030)."""
    from govdisclose.calendar._notice import read_notice

    return read_notice(path)


def schedule_to_toml(schedule: Schedule) -> str:
    """The schedule file (TOML) for a `Schedule`, which `WorkCalendar.with_schedule_file`
    reads back to an equal schedule: what ``govdisclose calendar load`` stores."""
    from govdisclose.calendar._notice import notice_to_toml

    return notice_to_toml(schedule)


# Viewing and exporting the calendar (govdisclose calendar show / export).
from govdisclose.calendar._export import (  # noqa: E402  (they need WorkCalendar defined)
    CalendarExport,
    DayInfo,
    DayKind,
    calendar_days,
    coverage_text,
    export_calendar,
    load_export_json,
    month_view,
)
