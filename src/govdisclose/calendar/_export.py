"""Showing and exporting the working-day calendar (private; re-exported by `govdisclose.calendar`).

A clerk needs to see which days the deadlines skip and why; an OA system or a phone calendar
needs them as data. Everything here is read from a `WorkCalendar`'s public queries, so what is
shown is exactly what the deadline computations use:

* `calendar_days`: one `DayInfo` per day (kind, name, whether provisional, the notice it comes
  from);
* `export_calendar`: JSON (`CalendarExport`, read back with `load_export_json`), CSV (every day,
  UTF-8 with BOM for Excel) or iCalendar (one all-day event per holiday block and per makeup
  working day);
* `month_view`: a month grid for a terminal; `coverage_text`: which notices the data rests on.

Which notice a day is cited to: an override that lists the day (the last one, as it is applied
last) wins, then a loaded schedule file that lists it, then the national notice of the day's
year. A December day of the 元旦 block, or a December makeup day worked for it, is cited to the
next year's notice, which is the one that decides it; any other late-December day that the next
year's notice happens to change is still cited to its own year's notice (mid-year amendments,
such as the 2020 extension of 春节, are folded into the year's data and listed in its
``amendments``, not cited day by day).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from govdisclose._install import install_hint
from govdisclose.errors import CalendarError
from govdisclose.vocab import CodedEnum

if TYPE_CHECKING:
    import cattrs

    from govdisclose.calendar import CalendarOverrides, WorkCalendar

__all__ = [
    "CSV_COLUMNS",
    "ICS_CALENDAR_NAME",
    "PROVISIONAL_SOURCE",
    "CalendarExport",
    "DayInfo",
    "DayKind",
    "ExportFormat",
    "ExportOverride",
    "ExportSource",
    "build_calendar_export",
    "calendar_days",
    "coverage_text",
    "export_calendar",
    "load_export_json",
    "month_view",
]

ExportFormat = Literal["json", "csv", "ics"]

#: The ``source`` of a day past the official data, computed from the statutory holidays.
PROVISIONAL_SOURCE: Final = "暂定：按法定节假日推算"

#: The header of the CSV export, in column order.
CSV_COLUMNS: Final = (
    "date",
    "weekday",
    "workday",
    "kind",
    "kind_label",
    "name",
    "provisional",
    "source",
)

ICS_CALENDAR_NAME: Final = "中国法定节假日与调休（govdisclose）"

_WEEKDAYS: Final = "一二三四五六日"
_ONE: Final = timedelta(days=1)
# How far from a makeup working day to look for the holiday block it is worked for, when the
# data does not say: the notices put makeup days within two weeks of their holiday.
_MAKEUP_REACH: Final = 14
# DTSTAMP when no publication date is known at all (see _ics_stamp).
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


class DayKind(CodedEnum):
    """What a day is in the working-day calendar."""

    WORKDAY = ("workday", "工作日")
    WEEKEND = ("weekend", "休息日（周末）")
    HOLIDAY = ("holiday", "节假日")
    MAKEUP_WORKDAY = ("makeup_workday", "调休上班日")


@attrs.frozen
class DayInfo:
    """One day of a calendar, as shown and exported.

    :param day: the date.
    :param weekday: 0 for Monday to 6 for Sunday (`datetime.date.weekday`).
    :param workday: whether deadlines count it.
    :param kind: workday, weekend, holiday (a rest day that is a weekday or inside a named
        holiday block) or makeup working day (a Saturday or Sunday worked, 调休上班).
    :param name: the holiday's or override's name; for a makeup working day, the holiday it is
        worked for, where known.
    :param provisional: whether the status may still change (`WorkCalendar.is_provisional`).
    :param source: the notice or override the status comes from (see the module docstring);
        ``None`` for an ordinary day; for a provisional day, a short statement of the assumption.
    """

    day: date
    weekday: int
    workday: bool
    kind: DayKind
    name: str | None
    provisional: bool
    source: str | None

    @property
    def ordinary(self) -> bool:
        """A plain weekday worked or a plain weekend rested, which no override touched."""
        return self.kind in (DayKind.WORKDAY, DayKind.WEEKEND) and self.name is None


@attrs.frozen
class ExportSource:
    """One covered year's source in a `CalendarExport` (see `ScheduleSource`)."""

    year: int
    notice: str
    published_on: date | None
    url: str | None
    version: str
    amendments: tuple[str, ...] = ()


@attrs.frozen
class ExportOverride:
    """One override in force in a `CalendarExport` (see `CalendarOverrides`), days sorted."""

    name: str
    source: str
    region: str | None
    holidays: tuple[date, ...]
    workdays: tuple[date, ...]


@attrs.frozen
class CalendarExport:
    """A calendar's data and provenance for the JSON export.

    ``days`` holds only the days that are not ordinary within ``[start, end]``: holidays,
    makeup working days and days an override lists. Every other day is a weekday worked or a
    weekend rested, which a reader can fill in; leaving them out keeps the file small (a few
    hundred entries instead of some twelve thousand for 2004-2036). The CSV export has every day.
    """

    version: str
    policy: Literal["strict", "provisional"]
    covered: tuple[int, int]
    provisional_from: date | None
    provisional_assumption: str
    start: date
    end: date
    sources: tuple[ExportSource, ...]
    overrides: tuple[ExportOverride, ...]
    days: tuple[DayInfo, ...]


# -- classifying days -----------------------------------------------------------------------------


def _base_name(name: str) -> str:
    # "春节（除夕）" and "春节（补假）" (provisional data) belong to the 春节 block.
    head = name.split("（", 1)[0].strip()
    return head or name


@functools.cache
def _national_makeup_names() -> Mapping[date, str]:
    # chinese-calendar records which holiday each makeup day is worked for (its workdays dict),
    # which the calendar's tables do not keep: 2026-09-20 is worked for 国庆, not for the nearer
    # 中秋 block (2026-09-25..27).
    import chinese_calendar as cc

    chinese = {h.value: h.chinese for h in cc.Holiday}
    return {d: chinese.get(getattr(h, "value", h), str(h)) for d, h in cc.workdays.items()}


@attrs.frozen
class _Context:
    """What classifying one day needs from the calendar, gathered once per call."""

    cal: WorkCalendar
    overrides: Mapping[date, CalendarOverrides]
    schedule_days: Mapping[date, tuple[str, Mapping[date, str]]]  # day -> (title, file's rest)
    last_covered: int

    @classmethod
    def of(cls, cal: WorkCalendar) -> _Context:
        overrides: dict[date, CalendarOverrides] = {}
        for ov in cal.overrides:  # in the order applied: a later one wins, as in the calendar
            for day in (*ov.holidays, *ov.workdays):
                overrides[day] = ov
        schedule_days: dict[date, tuple[str, Mapping[date, str]]] = {}
        for sched in cal.schedule_files:
            title = sched.notice + (f"（{sched.number}）" if sched.number else "")
            rest = dict(sched.rest)
            for day in (*rest, *sched.work):
                schedule_days[day] = (title, rest)
        return cls(cal, overrides, schedule_days, cal.covered[1])


def _nearest_block_name(
    cal: WorkCalendar, day: date, rest: Mapping[date, str] | None
) -> str | None:
    for k in range(1, _MAKEUP_REACH + 1):
        # Ties go to the later block: makeup days are more often worked before a holiday.
        for other in (day + k * _ONE, day - k * _ONE):
            if rest is not None:
                if other in rest:
                    return _base_name(rest[other])
            elif cal.covers(other) and not cal.is_workday(other):
                name = cal.holiday_name(other)
                if name is not None:
                    return _base_name(name)
    return None


def _classify(ctx: _Context, day: date) -> DayInfo:
    cal = ctx.cal
    workday = cal.is_workday(day)
    weekday = day.weekday()
    override = ctx.overrides.get(day)
    scheduled = ctx.schedule_days.get(day) if override is None else None
    name: str | None
    if workday:
        kind = DayKind.MAKEUP_WORKDAY if weekday >= 5 else DayKind.WORKDAY
        if override is not None:
            name = override.name
        elif kind is DayKind.WORKDAY:
            name = None
        elif scheduled is not None:
            name = _nearest_block_name(cal, day, scheduled[1])
        else:
            name = _national_makeup_names().get(day) or _nearest_block_name(cal, day, None)
    else:
        name = cal.holiday_name(day)
        kind = DayKind.HOLIDAY if weekday < 5 or name is not None else DayKind.WEEKEND
    provisional = cal.is_provisional(day)
    source: str | None
    if override is not None:
        source = f"{override.name}（{override.source}）"
    elif day.year > ctx.last_covered:
        source = PROVISIONAL_SOURCE
    else:
        source = None
        if scheduled is not None:
            source = scheduled[0]
        elif kind in (DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY):
            source = _year_notice(cal, day, name)
        if provisional:
            # Late December of the last covered year: final once the next year's notice is out.
            note = f"暂定：假定{day.year + 1}年放假通知不调整本日"
            source = note if source is None else f"{source}；{note}"
    return DayInfo(
        day=day,
        weekday=weekday,
        workday=workday,
        kind=kind,
        name=name,
        provisional=provisional,
        source=source,
    )


def _year_notice(cal: WorkCalendar, day: date, name: str | None) -> str | None:
    year = day.year
    # The 元旦 arrangement is fixed by the next year's notice (e.g. 2018-12-29 worked and
    # 2018-12-31 off under the notice for 2019).
    new_year = name is not None and _base_name(name) == "元旦"
    if day.month == 12 and new_year and year + 1 in cal.sources:
        year += 1
    source = cal.sources.get(year)
    return source.notice if source is not None else None


def _check_range(cal: WorkCalendar, start: date, end: date) -> None:
    if start > end:
        raise CalendarError(
            f"日期范围的结束日 {end} 早于开始日 {start}",
            f"the range ends ({end}) before it starts ({start})",
            field="end",
            code="calendar.invalid_range",
        )
    for edge in (start, end):
        if not cal.covers(edge):
            cal.is_workday(edge)  # raises the calendar's own CalendarDataMissing
            raise AssertionError("unreachable: is_workday raises outside the tables")


def _each_day(start: date, end: date) -> Iterable[date]:
    for i in range((end - start).days + 1):
        yield start + i * _ONE


def calendar_days(cal: WorkCalendar, start: date, end: date) -> tuple[DayInfo, ...]:
    """Every day in ``[start, end]`` as a `DayInfo`.

    Raises the calendar's `CalendarDataMissing` when the range leaves its tables, and
    `CalendarError` (``calendar.invalid_range``) when ``end`` is before ``start``.
    """
    _check_range(cal, start, end)
    ctx = _Context.of(cal)
    return tuple(_classify(ctx, day) for day in _each_day(start, end))


# -- holiday blocks -------------------------------------------------------------------------------


@attrs.frozen
class _Block:
    """A holiday block (consecutive holidays of one name) or a single makeup working day."""

    kind: DayKind
    first: date
    last: date
    name: str | None  # the base name: "春节" for "春节（补假）"
    provisional: bool
    source: str | None

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def _blocks(days: Sequence[DayInfo]) -> list[_Block]:
    out: list[_Block] = []
    for info in days:
        if info.kind not in (DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY):
            continue
        name = _base_name(info.name) if info.name is not None else None
        prev = out[-1] if out else None
        if (
            info.kind is DayKind.HOLIDAY
            and prev is not None
            and prev.kind is DayKind.HOLIDAY
            and prev.last + _ONE == info.day
            and prev.name == name
        ):
            out[-1] = attrs.evolve(
                prev, last=info.day, provisional=prev.provisional or info.provisional
            )
        else:
            out.append(_Block(info.kind, info.day, info.day, name, info.provisional, info.source))
    return out


def _blocks_around(cal: WorkCalendar, start: date, end: date) -> list[_Block]:
    """The blocks that meet ``[start, end]``, whole as far as the tables reach."""
    _check_range(cal, start, end)
    lo, hi = start, end
    # A block is at most a few weeks long (the 2020 春节 extension made 10 days): extending the
    # range by a month each way, within the tables, finds its ends.
    for _ in range(31):
        if cal.covers(lo - _ONE):
            lo -= _ONE
        if cal.covers(hi + _ONE):
            hi += _ONE
    return [b for b in _blocks(calendar_days(cal, lo, hi)) if b.last >= start and b.first <= end]


# -- JSON -----------------------------------------------------------------------------------------


@functools.cache
def _converter() -> cattrs.Converter:
    from govdisclose.serde import make_converter

    return make_converter()


def _default_range(cal: WorkCalendar) -> tuple[date, date]:
    first, last = cal.covered
    year = last
    # A provisional calendar reaches past the covered years; its last year is the last one whose
    # 31 December the tables still cover.
    while cal.covers(date(year + 1, 12, 31)):
        year += 1
    return date(first, 1, 1), date(year, 12, 31)


def _resolve_range(cal: WorkCalendar, start: date | None, end: date | None) -> tuple[date, date]:
    default_start, default_end = _default_range(cal)
    return (
        default_start if start is None else start,
        default_end if end is None else end,
    )


def build_calendar_export(
    cal: WorkCalendar, *, start: date | None = None, end: date | None = None
) -> CalendarExport:
    """The `CalendarExport` of ``cal`` over ``[start, end]`` (defaults as in `export_calendar`)."""
    lo, hi = _resolve_range(cal, start, end)
    days = tuple(d for d in calendar_days(cal, lo, hi) if not d.ordinary)
    return CalendarExport(
        version=cal.version,
        policy=cal.policy,
        covered=cal.covered,
        provisional_from=cal.provisional_from,
        provisional_assumption=cal.provisional_assumption,
        start=lo,
        end=hi,
        sources=tuple(
            ExportSource(
                year=s.year,
                notice=s.notice,
                published_on=s.published_on,
                url=s.url,
                version=s.version,
                amendments=tuple(s.amendments),
            )
            for _, s in sorted(cal.sources.items())
        ),
        overrides=tuple(
            ExportOverride(
                name=ov.name,
                source=ov.source,
                region=ov.region,
                holidays=tuple(sorted(ov.holidays)),
                workdays=tuple(sorted(ov.workdays)),
            )
            for ov in cal.overrides
        ),
        days=days,
    )


def _json(export: CalendarExport) -> bytes:
    data = _converter().unstructure(export)
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def load_export_json(data: bytes | str) -> CalendarExport:
    """Read back a JSON export (`export_calendar` with ``fmt="json"``).

    Bad input raises `DeserializationError` listing every offending path.
    """
    from govdisclose.serde import loads

    return loads(data, CalendarExport, converter=_converter())


# -- CSV ------------------------------------------------------------------------------------------


def _csv(days: Sequence[DayInfo]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for d in days:
        writer.writerow(
            (
                d.day.isoformat(),
                d.weekday,
                "true" if d.workday else "false",
                d.kind.code,
                d.kind.label,
                d.name or "",
                "true" if d.provisional else "false",
                d.source or "",
            )
        )
    # The byte-order mark makes Excel read the file as UTF-8 instead of the local code page.
    return buf.getvalue().encode("utf-8-sig")


# -- iCalendar ------------------------------------------------------------------------------------


def _ics_module() -> Any:
    try:
        import icalendar
    except ImportError as exc:
        hint_zh, hint_en = install_hint("icalendar", "ics")
        raise CalendarError(
            f"导出 iCalendar（ICS）需要 icalendar 包。{hint_zh}",
            f"the iCalendar (ICS) export needs the 'icalendar' package; {hint_en}",
            field="fmt",
            code="calendar.ics_unavailable",
        ) from exc
    return icalendar


def _uid(block: _Block) -> str:
    # From the first day, the kind and the name only: re-exporting the same data gives the same
    # UIDs, so a calendar app that imports the file again updates its events instead of adding
    # copies; a block that grows (an extension notice) or a provisional block that the official
    # notice confirms keeps its UID and is updated in place.
    digest = hashlib.sha256((block.name or "").encode("utf-8")).hexdigest()[:12]
    return f"{block.first:%Y%m%d}-{block.kind.code}-{digest}@govdisclose"


def _ics_stamp(published: Mapping[str, date], block: _Block, fallback: datetime) -> datetime:
    # DTSTAMP is a date-time the protocol requires on every event. Taking it from the data (the
    # cited notice's publication date, else the newest publication date in the calendar) rather
    # than from the clock makes two exports of the same data byte-identical, so a published file
    # only changes when the calendar does, and an app does not see every event as modified.
    day = published.get(block.source or "")
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day is not None else fallback


def _ics(cal: WorkCalendar, start: date, end: date) -> bytes:
    icalendar = _ics_module()
    from govdisclose._version import __version__

    published: dict[str, date] = {}
    urls: dict[str, str] = {}
    for s in cal.sources.values():
        if s.published_on is not None:
            published[s.notice] = s.published_on
        if s.url is not None:
            urls[s.notice] = s.url
    for sched in cal.schedule_files:
        title = sched.notice + (f"（{sched.number}）" if sched.number else "")
        if sched.published_on is not None:
            published[title] = sched.published_on
        if sched.url is not None:
            urls[title] = sched.url
    newest = max(published.values(), default=None)
    fallback = datetime(newest.year, newest.month, newest.day, tzinfo=UTC) if newest else _EPOCH

    ics = icalendar.Calendar()
    ics.add("prodid", f"-//govdisclose//govdisclose {__version__}//ZH")
    ics.add("version", "2.0")
    ics.add("calscale", "GREGORIAN")
    ics.add("x-wr-calname", ICS_CALENDAR_NAME)
    ics.add("x-wr-timezone", "Asia/Shanghai")
    first, last = cal.covered
    ics.add(
        "x-wr-caldesc",
        f"国务院办公厅放假通知的节假日与调休上班日（官方数据{first}–{last}年）；"
        f"数据版本 {cal.version}",
    )
    for block in _blocks_around(cal, start, end):
        mark = "（暂定）" if block.provisional else ""
        event = icalendar.Event()
        event.add("uid", _uid(block))
        event.add("dtstamp", _ics_stamp(published, block, fallback))
        event.add("dtstart", block.first)
        event.add("dtend", block.last + _ONE)  # DTEND of an all-day event is exclusive
        if block.kind is DayKind.HOLIDAY:
            event.add("summary", f"{block.name or '节假日'} 放假{mark}")
            categories = ["节假日"]
        else:
            festival = f"（{block.name}）" if block.name else ""
            event.add("summary", f"调休上班{festival}{mark}")
            categories = ["调休上班"]
        lines = [f"依据：{block.source}" if block.source else "依据：（无）"]
        url = urls.get(block.source or "")
        if url is not None:
            lines.append(url)
        if block.provisional:
            categories.append("暂定")
            lines.append(f"暂定：{_zh(cal.provisional_assumption)}")
        event.add("description", "\n".join(lines))
        event.add("categories", categories)
        # A marker, not an appointment: free/busy lookups must not see the clerk as busy.
        event.add("transp", "TRANSPARENT")
        if url is not None:
            event.add("url", url)
        ics.add_component(event)
    out: bytes = ics.to_ical()
    return out


# -- export ---------------------------------------------------------------------------------------


def export_calendar(
    cal: WorkCalendar,
    fmt: ExportFormat,
    *,
    start: date | None = None,
    end: date | None = None,
) -> bytes:
    """Export ``cal`` over ``[start, end]`` as JSON, CSV or iCalendar bytes.

    The range defaults to 1 January of the first covered year through the calendar's last day:
    31 December of the last covered year, or for a provisional calendar of the last year its
    tables reach. A range outside the tables raises the calendar's `CalendarDataMissing`.

    * ``"json"``: a `CalendarExport` (only the days that are not ordinary; see there), UTF-8,
      read back with `load_export_json`;
    * ``"csv"``: every day, columns `CSV_COLUMNS` (``weekday`` 0 = Monday, booleans
      ``true``/``false``), UTF-8 with a byte-order mark so that Excel opens it;
    * ``"ics"``: one all-day event per holiday block and per makeup working day, with stable
      UIDs; a block crossing an end of the range is exported whole as far as the tables reach.
      Needs the ``icalendar`` package (``pip install 'govdisclose[ics]'``).

    Two exports of the same data are byte-identical in every format.
    """
    lo, hi = _resolve_range(cal, start, end)
    if fmt == "json":
        return _json(build_calendar_export(cal, start=lo, end=hi))
    if fmt == "csv":
        return _csv(calendar_days(cal, lo, hi))
    if fmt == "ics":
        return _ics(cal, lo, hi)
    raise CalendarError(
        f"未知的导出格式 {fmt!r}（应为 json、csv 或 ics）",
        f"unknown export format {fmt!r} (expected json, csv or ics)",
        field="fmt",
        code="calendar.invalid_format",
    )


# -- text views -----------------------------------------------------------------------------------


def _width(text: str) -> int:
    # Terminals draw East Asian wide and full-width characters (汉字, full-width brackets) in two
    # columns.
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _ljust(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _zh(bilingual: str) -> str:
    # The calendar's assumption is "中文 / English"; a clerk's view shows the Chinese part.
    return bilingual.split(" / ", 1)[0]


def _day_label(day: date, year: int) -> str:
    prefix = f"{day.year}年" if day.year != year else ""
    return f"{prefix}{day.month}月{day.day}日（{_WEEKDAYS[day.weekday()]}）"


# Grid cell: day number (2 columns), mark (休 or 班, 2 columns), then "?" for a provisional day.
_CELL: Final = 5
_GAP: Final = " "


def _cell(info: DayInfo) -> str:
    mark = {DayKind.HOLIDAY: "休", DayKind.MAKEUP_WORKDAY: "班"}.get(info.kind, "")
    return _ljust(f"{info.day.day:>2}{mark}{'?' if info.provisional else ''}", _CELL)


def month_view(cal: WorkCalendar, year: int, month: int) -> str:
    """A month grid for a terminal, Monday first, with the month's holidays and makeup days.

    Marks: ``休`` a holiday rest day (weekend days inside a holiday block included), ``班`` a
    makeup working day (调休上班), ``?`` after the mark a provisional day. Below the grid: the
    legend, the month's holiday blocks and makeup days grouped by the notice they come from,
    and the assumption when any day shown is provisional. Columns are aligned for terminals
    that draw Chinese characters two columns wide.
    """
    if not 1 <= month <= 12:
        raise CalendarError(
            f"月份应为 1 至 12，实为 {month}",
            f"month must be 1 to 12, got {month}",
            field="month",
            code="calendar.invalid_month",
        )
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1) - _ONE
    days = calendar_days(cal, first, last)
    grid_width = 7 * _CELL + 6 * len(_GAP)
    title = f"{year}年{month}月"
    lines = [" " * ((grid_width - _width(title)) // 2) + title]
    lines.append(_GAP.join(_ljust(f"{_WEEKDAYS[i]}", _CELL) for i in range(7)).rstrip())
    row = [" " * _CELL] * first.weekday()
    for info in days:
        row.append(_cell(info))
        if len(row) == 7:
            lines.append(_GAP.join(row).rstrip())
            row = []
    if row:
        lines.append(_GAP.join(row).rstrip())
    lines.append("")
    lines.append("图例：休 = 节假日休息　班 = 调休上班　? = 暂定（尚非最终）")

    items: dict[str, list[tuple[date, str, str]]] = {}
    for block in _blocks_around(cal, first, last):
        when = _day_label(block.first, year)
        if block.days > 1:
            when += f"至{_day_label(block.last, year)}"
        if block.kind is DayKind.HOLIDAY:
            what = f"{block.name or '节假日'} 放假，共{block.days}天"
        else:
            what = f"调休上班（{block.name}）" if block.name else "调休上班"
        if block.provisional:
            what += "（暂定）"
        items.setdefault(block.source or "（依据不详）", []).append((block.first, when, what))
    # Days an override makes working days on a weekday: not a block, but the clerk must see them.
    for info in days:
        if info.kind is DayKind.WORKDAY and info.name is not None:
            items.setdefault(info.source or "（依据不详）", []).append(
                (info.day, _day_label(info.day, year), f"上班（{info.name}）")
            )
    if items:
        lines.append("本月节假日与调休：")
        for source, entries in items.items():
            # A provisional group's "source" is the assumption itself, not a notice.
            lines.append(f"  {source}：" if source.startswith("暂定") else f"  依据：{source}")
            width = max(_width(when) for _, when, _ in entries)
            lines.extend(f"    {_ljust(when, width)}  {what}" for _, when, what in sorted(entries))
    else:
        lines.append("本月节假日与调休：无")
    if any(d.provisional for d in days):
        lines.append(f"暂定：{_zh(cal.provisional_assumption)}")
    return "\n".join(lines) + "\n"


def coverage_text(cal: WorkCalendar) -> str:
    """What the calendar's data rests on, for a clerk or an auditor.

    The policy and data version; the covered years with each year's notice (title and number,
    publication date, address, amendments); the schedule files and overrides in force; and what
    happens past the data: for ``strict``, `CalendarDataMissing`; for ``provisional``, the
    horizon and the assumption the days past the data are computed with.
    """
    first, last = cal.covered
    policy_label = {"strict": "严格（strict）", "provisional": "临时推算（provisional）"}
    lines = [
        "工作日日历数据来源",
        f"策略：{policy_label.get(cal.policy, cal.policy)}",
        f"数据版本：{cal.version}",
        f"官方数据覆盖：{first}–{last}年（共{last - first + 1}年）",
        "各年放假安排依据：",
    ]
    for year, s in sorted(cal.sources.items()):
        published = s.published_on.isoformat() if s.published_on else "发布日期不详"
        lines.append(f"  {year}年  {s.notice}  {published}")
        if s.url:
            lines.append(f"          {s.url}")
        lines.extend(f"          调整：{a}" for a in s.amendments)
        lines.append(f"          数据：{s.version}")
    if cal.schedule_files:
        lines.append("载入的放假安排文件：")
        for sched in cal.schedule_files:
            title = sched.notice + (f"（{sched.number}）" if sched.number else "")
            lines.append(
                f"  {sched.year}年  {title}（放假{len(sched.rest)}天，调休上班{len(sched.work)}天，"
                f"sha256:{sched.sha256[:8]}）"
            )
    else:
        lines.append("载入的放假安排文件：无")
    if cal.overrides:
        lines.append("地方或自定义调整（后者优先）：")
        for ov in cal.overrides:
            region = f"，地区 {ov.region}" if ov.region else "，全部地区"
            lines.append(
                f"  {ov.name}（{ov.source}）{region}：休息日{len(ov.holidays)}天，"
                f"工作日{len(ov.workdays)}天"
            )
    else:
        lines.append("地方或自定义调整：无")
    if cal.provisional_from is not None:
        lines.append(f"尚非最终：{cal.provisional_from.isoformat()}起的日期")
    if cal.policy == "provisional":
        _, horizon = _default_range(cal)
        lines.append(
            f"临时推算：{last + 1}年1月1日至{horizon.year}年12月31日按假定计算，"
            f"结果标为暂定；再往后报错（CalendarDataMissing）"
        )
        lines.append(f"假定：{_zh(cal.provisional_assumption)}")
    else:
        lines.append(
            f"超出数据：{first}年以前或{last + 1}年起的日期无法计算，报错 CalendarDataMissing"
            "（可载入放假安排文件，或以 policy='provisional' 计算临时结果）"
        )
        lines.append(f"假定：{_zh(cal.provisional_assumption)}")
    return "\n".join(lines) + "\n"
