"""Tests for showing and exporting the working-day calendar (govdisclose.calendar._export).

The golden facts are the 2026 schedule of the 国务院办公厅 notice dated 2025-11-04
(https://www.gov.cn/zhengce/content/202511/content_7047090.htm): 元旦 1/1-1/3 off, 1/4 (Sun)
worked; 春节 2/15-2/23 off, 2/14 (Sat) and 2/28 (Sat) worked; 清明 4/4-4/6; 劳动节 5/1-5/5 off,
5/9 (Sat) worked; 端午 6/19-6/21; 中秋 9/25-9/27; 国庆 10/1-10/7 off, 9/20 (Sun) and 10/10 (Sat)
worked.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import sys
import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest

from govdisclose.calendar import CalendarOverrides, WorkCalendar
from govdisclose.calendar._export import (
    CSV_COLUMNS,
    ICS_CALENDAR_NAME,
    PROVISIONAL_SOURCE,
    CalendarExport,
    DayInfo,
    DayKind,
    build_calendar_export,
    calendar_days,
    coverage_text,
    export_calendar,
    load_export_json,
    month_view,
)
from govdisclose.errors import CalendarDataMissing, CalendarError, DeserializationError

FIXTURE_2027 = Path(__file__).parent / "data" / "calendar_2027_TEST_FIXTURE.toml"
NOTICE_2026 = "国务院办公厅关于2026年部分节假日安排的通知"
YEAR_2026 = (date(2026, 1, 1), date(2026, 12, 31))

# (name, first, last) of each 2026 holiday block, and the makeup working days with the holiday
# they are worked for.
BLOCKS_2026 = [
    ("元旦", date(2026, 1, 1), date(2026, 1, 3)),
    ("春节", date(2026, 2, 15), date(2026, 2, 23)),
    ("清明", date(2026, 4, 4), date(2026, 4, 6)),
    ("劳动节", date(2026, 5, 1), date(2026, 5, 5)),
    ("端午", date(2026, 6, 19), date(2026, 6, 21)),
    ("中秋", date(2026, 9, 25), date(2026, 9, 27)),
    ("国庆节", date(2026, 10, 1), date(2026, 10, 7)),
]
MAKEUP_2026 = {
    date(2026, 1, 4): "元旦",
    date(2026, 2, 14): "春节",
    date(2026, 2, 28): "春节",
    date(2026, 5, 9): "劳动节",
    # Worked for 国庆 (the notice says so), although the 中秋 block is nearer.
    date(2026, 9, 20): "国庆节",
    date(2026, 10, 10): "国庆节",
}
GUANGXI = CalendarOverrides(
    name="三月三",
    source="广西壮族自治区人民政府办公厅关于“壮族三月三”放假的通知",
    region="450000",
    holidays={date(2026, 4, 20)},
)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar.default()


@pytest.fixture(scope="module")
def prov() -> WorkCalendar:
    return WorkCalendar.default(policy="provisional")


def holiday_days() -> set[date]:
    out: set[date] = set()
    for _, first, last in BLOCKS_2026:
        out.update(first + timedelta(days=i) for i in range((last - first).days + 1))
    return out


# -- calendar_days ----------------------------------------------------------------------------


def test_day_kind_codes_and_labels() -> None:
    assert [(k.code, k.label) for k in DayKind] == [
        ("workday", "工作日"),
        ("weekend", "休息日（周末）"),
        ("holiday", "节假日"),
        ("makeup_workday", "调休上班日"),
    ]


def test_calendar_days_2026_golden(cal: WorkCalendar) -> None:
    days = {d.day: d for d in calendar_days(cal, *YEAR_2026)}
    assert len(days) == 365
    rest = holiday_days()
    for day, info in days.items():
        assert info.weekday == day.weekday()
        assert info.workday == cal.is_workday(day)
        if day in rest:
            assert info.kind is DayKind.HOLIDAY, day
            assert info.source == NOTICE_2026
        elif day in MAKEUP_2026:
            assert info.kind is DayKind.MAKEUP_WORKDAY, day
            assert info.name == MAKEUP_2026[day]
            assert info.source == NOTICE_2026
        elif day.weekday() >= 5:
            assert info.kind is DayKind.WEEKEND, day
        else:
            assert info.kind is DayKind.WORKDAY, day
        if info.kind in (DayKind.WORKDAY, DayKind.WEEKEND) and not info.provisional:
            assert info.source is None
            assert info.name is None
    # A weekend day inside a block is a holiday, with the block's name.
    assert days[date(2026, 2, 15)] == DayInfo(
        day=date(2026, 2, 15),
        weekday=6,
        workday=False,
        kind=DayKind.HOLIDAY,
        name="春节",
        provisional=False,
        source=NOTICE_2026,
    )


def test_late_december_is_provisional_with_a_short_assumption(cal: WorkCalendar) -> None:
    days = calendar_days(cal, date(2026, 12, 21), date(2026, 12, 31))
    assert not days[0].provisional
    assert days[0].source is None
    for info in days[1:]:
        assert info.provisional
        assert info.source == "暂定：假定2027年放假通知不调整本日"


def test_december_new_year_days_cite_the_next_years_notice(cal: WorkCalendar) -> None:
    # 2018-12-29 (Sat) worked and 2018-12-31 (Mon) off under the notice for 2019.
    days = {d.day: d for d in calendar_days(cal, date(2018, 12, 28), date(2019, 1, 2))}
    notice_2019 = cal.sources[2019].notice
    assert days[date(2018, 12, 29)].kind is DayKind.MAKEUP_WORKDAY
    assert days[date(2018, 12, 29)].name == "元旦"
    assert days[date(2018, 12, 29)].source == notice_2019
    assert days[date(2018, 12, 31)].kind is DayKind.HOLIDAY
    assert days[date(2018, 12, 31)].source == notice_2019
    assert days[date(2019, 1, 1)].source == notice_2019
    assert days[date(2018, 12, 28)].source is None
    # govdisclose's erratum (2005-12-31 worked under the notice for 2006) is shown the same way.
    (erratum,) = calendar_days(cal, date(2005, 12, 31), date(2005, 12, 31))
    assert erratum.kind is DayKind.MAKEUP_WORKDAY
    assert erratum.name == "元旦"
    assert erratum.source == cal.sources[2006].notice


def test_schedule_file_days_cite_the_file(cal: WorkCalendar) -> None:
    c27 = cal.with_schedule_file(FIXTURE_2027)
    title = "测试用虚构通知（非官方）：2027年部分节假日安排（TEST-2027）"
    days = {d.day: d for d in calendar_days(c27, date(2026, 12, 25), date(2027, 2, 21))}
    assert days[date(2026, 12, 26)].kind is DayKind.MAKEUP_WORKDAY
    assert days[date(2026, 12, 26)].name == "元旦"  # the file's nearest block
    assert days[date(2026, 12, 26)].source == title
    assert days[date(2026, 12, 31)].kind is DayKind.HOLIDAY
    assert days[date(2026, 12, 31)].source == title
    assert days[date(2027, 2, 20)].name == "春节"
    assert days[date(2026, 12, 25)].source is None
    assert not any(d.provisional for d in days.values())


def test_range_outside_the_tables_raises(cal: WorkCalendar, prov: WorkCalendar) -> None:
    with pytest.raises(CalendarDataMissing) as info:
        calendar_days(cal, date(2026, 12, 1), date(2027, 1, 5))
    assert info.value.year == 2027
    with pytest.raises(CalendarDataMissing):
        calendar_days(cal, date(2003, 12, 25), date(2004, 1, 5))
    with pytest.raises(CalendarDataMissing):
        export_calendar(cal, "csv", start=date(2026, 1, 1), end=date(2027, 1, 1))
    with pytest.raises(CalendarDataMissing):
        month_view(cal, 2027, 1)
    with pytest.raises(CalendarDataMissing) as beyond:
        export_calendar(prov, "json", start=date(2036, 12, 1), end=date(2037, 1, 1))
    assert beyond.value.code == "calendar.beyond_horizon"


def test_bad_arguments_raise_calendar_errors(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarError) as rng:
        calendar_days(cal, date(2026, 2, 1), date(2026, 1, 1))
    assert (rng.value.code, rng.value.field) == ("calendar.invalid_range", "end")
    with pytest.raises(CalendarError) as fmt:
        export_calendar(cal, "xml", start=date(2026, 1, 1), end=date(2026, 1, 2))  # type: ignore[arg-type]
    assert (fmt.value.code, fmt.value.field) == ("calendar.invalid_format", "fmt")
    with pytest.raises(CalendarError) as month:
        month_view(cal, 2026, 13)
    assert (month.value.code, month.value.field) == ("calendar.invalid_month", "month")


# -- month_view -------------------------------------------------------------------------------


def display_cells(line: str) -> dict[int, str]:
    """The grid line's cells by column index, cutting at display columns (CJK = 2 wide)."""
    cells: dict[int, str] = {}
    col = 0
    for ch in line:
        width = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        # A character must not straddle two cells.
        assert col // 6 == (col + width - 1) // 6, (line, ch, col)
        cells[col // 6] = cells.get(col // 6, "") + ch
        col += width
    return cells


def parse_grid(text: str) -> dict[int, tuple[int, str, bool]]:
    """day number -> (column 0=Monday, mark, provisional), read back from a month view."""
    lines = text.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("一"))
    assert [c.strip() for c in display_cells(lines[head]).values()] == list("一二三四五六日")
    out: dict[int, tuple[int, str, bool]] = {}
    for line in lines[head + 1 :]:
        if not line.strip():
            break
        for col, cell in display_cells(line).items():
            if not cell.strip():
                continue
            m = re.fullmatch(r" ?(\d{1,2})(休|班)?(\?)? *", cell)
            assert m is not None, repr(cell)
            # Day numbers are right-aligned in the cell's first two columns.
            assert _width(cell[: m.end(1)]) == 2, repr(cell)
            out[int(m.group(1))] = (col, m.group(2) or "", m.group(3) is not None)
    return out


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def test_month_view_october_2026(cal: WorkCalendar) -> None:
    text = month_view(cal, 2026, 10)
    assert text.splitlines()[0].strip() == "2026年10月"
    grid = parse_grid(text)
    assert sorted(grid) == list(range(1, 32))
    for day, (col, _, _) in grid.items():
        assert col == date(2026, 10, day).weekday()
    marks = {day: mark for day, (_, mark, _) in grid.items() if mark}
    assert marks == {**dict.fromkeys(range(1, 8), "休"), 10: "班"}
    assert not any(p for _, _, p in grid.values())
    assert "国庆节 放假，共7天" in text
    assert "调休上班（国庆节）" in text
    assert f"依据：{NOTICE_2026}" in text
    assert "图例" in text
    assert "暂定：" not in text


def test_month_view_february_2026(cal: WorkCalendar) -> None:
    text = month_view(cal, 2026, 2)
    grid = parse_grid(text)
    assert sorted(grid) == list(range(1, 29))
    assert grid[1][0] == 6  # a Sunday
    marks = {day: mark for day, (_, mark, _) in grid.items() if mark}
    assert marks == {14: "班", **dict.fromkeys(range(15, 24), "休"), 28: "班"}
    assert grid[14][0] == 5  # Saturdays worked
    assert grid[28][0] == 5
    assert "2月15日（日）至2月23日（一）" in text
    assert text.count("调休上班（春节）") == 2


def test_month_view_marks_provisional_days(cal: WorkCalendar, prov: WorkCalendar) -> None:
    text = month_view(cal, 2026, 12)
    grid = parse_grid(text)
    assert [d for d, (_, _, p) in grid.items() if p] == list(range(22, 32))
    assert f"暂定：{cal.provisional_assumption.split(' / ')[0]}" in text

    text27 = month_view(prov, 2027, 2)
    grid27 = parse_grid(text27)
    assert all(p for _, _, p in grid27.values())
    assert {d for d, (_, m, _) in grid27.items() if m == "休"} == set(range(5, 11))
    assert "春节 放假，共6天（暂定）" in text27
    assert "暂定：2027年起尚无国务院办公厅放假通知" in text27


def test_month_view_lists_a_block_crossing_the_month(cal: WorkCalendar) -> None:
    # The 2025 春节 block runs 1/28-2/4: February's view names it whole.
    text = month_view(cal, 2025, 2)
    assert "1月28日（二）至2月4日（二）  春节 放假，共8天" in text


# -- CSV --------------------------------------------------------------------------------------


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_2026(cal: WorkCalendar) -> None:
    data = export_calendar(cal, "csv", start=YEAR_2026[0], end=YEAR_2026[1])
    assert data.startswith(codecs.BOM_UTF8)
    rows = read_csv(data)
    assert len(rows) == 365
    assert tuple(rows[0]) == CSV_COLUMNS
    by_day = {date.fromisoformat(r["date"]): r for r in rows}
    rest = holiday_days()
    assert {d for d, r in by_day.items() if r["kind"] == "holiday"} == rest
    assert {d for d, r in by_day.items() if r["kind"] == "makeup_workday"} == set(MAKEUP_2026)
    workdays = {d for d, r in by_day.items() if r["workday"] == "true"}
    assert len(workdays) == cal.working_days_between(date(2025, 12, 31), date(2026, 12, 31))
    oct1 = by_day[date(2026, 10, 1)]
    assert oct1 == {
        "date": "2026-10-01",
        "weekday": "3",
        "workday": "false",
        "kind": "holiday",
        "kind_label": "节假日",
        "name": "国庆节",
        "provisional": "false",
        "source": NOTICE_2026,
    }
    assert by_day[date(2026, 10, 10)]["kind_label"] == "调休上班日"
    assert by_day[date(2026, 10, 11)]["source"] == ""


def test_csv_default_range(cal: WorkCalendar, prov: WorkCalendar) -> None:
    rows = read_csv(export_calendar(cal, "csv"))
    assert (rows[0]["date"], rows[-1]["date"]) == ("2004-01-01", "2026-12-31")
    assert len(rows) == (date(2026, 12, 31) - date(2004, 1, 1)).days + 1
    prov_rows = read_csv(export_calendar(prov, "csv"))
    assert prov_rows[-1]["date"] == "2036-12-31"


# -- iCalendar --------------------------------------------------------------------------------


def ics_events(data: bytes) -> list[icalendar.Event]:
    parsed = icalendar.Calendar.from_ical(data)
    return [ev for ev in parsed.walk("VEVENT") if isinstance(ev, icalendar.Event)]


def categories_of(event: icalendar.Event) -> list[str]:
    prop: Any = event["CATEGORIES"]
    return [str(c) for c in prop.cats]


def test_ics_2026_blocks_and_makeup_days(cal: WorkCalendar) -> None:
    data = export_calendar(cal, "ics", start=YEAR_2026[0], end=YEAR_2026[1])
    parsed = icalendar.Calendar.from_ical(data)
    assert str(parsed["X-WR-CALNAME"]) == ICS_CALENDAR_NAME
    assert str(parsed["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    assert str(parsed["PRODID"]).startswith("-//govdisclose//")
    events = ics_events(data)
    holidays, makeup = [], {}
    for ev in events:
        start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
        # All-day: plain dates, DTEND exclusive.
        assert type(start) is date
        assert type(end) is date
        assert "DATE" in ev["DTSTART"].params.get("VALUE", "DATE")
        assert str(ev["TRANSP"]) == "TRANSPARENT"
        assert NOTICE_2026 in str(ev["DESCRIPTION"])
        assert ev.decoded("DTSTAMP") == datetime(2025, 11, 4, tzinfo=UTC)
        categories = categories_of(ev)
        summary = str(ev["SUMMARY"])
        if summary.endswith(" 放假"):
            assert categories == ["节假日"]
            holidays.append((summary.removesuffix(" 放假"), start, end - timedelta(days=1)))
        else:
            assert categories == ["调休上班"]
            assert end == start + timedelta(days=1)
            m = re.fullmatch(r"调休上班（(.+)）", summary)
            assert m is not None, summary
            makeup[start] = m.group(1)
    assert holidays == BLOCKS_2026
    assert makeup == MAKEUP_2026
    uids = [str(ev["UID"]) for ev in events]
    assert len(set(uids)) == len(uids) == len(BLOCKS_2026) + len(MAKEUP_2026)


def test_ics_is_deterministic_and_uids_are_stable(cal: WorkCalendar) -> None:
    one = export_calendar(cal, "ics", start=YEAR_2026[0], end=YEAR_2026[1])
    two = export_calendar(cal, "ics", start=YEAR_2026[0], end=YEAR_2026[1])
    assert one == two
    # The same event has the same UID in an export over another range.
    full_events = ics_events(export_calendar(cal, "ics"))
    full = {str(ev["UID"]): str(ev["SUMMARY"]) for ev in full_events}
    assert len(full) == len(full_events)  # unique over 2004-2026
    year = {str(ev["UID"]): str(ev["SUMMARY"]) for ev in ics_events(one)}
    assert year.items() <= full.items()


def test_ics_needs_icalendar(cal: WorkCalendar, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "icalendar", None)
    with pytest.raises(CalendarError) as info:
        export_calendar(cal, "ics", start=YEAR_2026[0], end=YEAR_2026[1])
    assert info.value.code == "calendar.ics_unavailable"
    assert "pip install icalendar" in info.value.message_zh
    assert "-e '.[ics]'" in info.value.message_zh


# -- JSON -------------------------------------------------------------------------------------


def test_json_round_trip(cal: WorkCalendar) -> None:
    data = export_calendar(cal, "json", start=YEAR_2026[0], end=YEAR_2026[1])
    assert "国庆节".encode() in data  # not \u-escaped
    loaded = load_export_json(data)
    assert isinstance(loaded, CalendarExport)
    assert loaded == build_calendar_export(cal, start=YEAR_2026[0], end=YEAR_2026[1])
    assert loaded.version == cal.version
    assert loaded.covered == (2004, 2026)
    assert (loaded.start, loaded.end) == YEAR_2026
    assert [s.year for s in loaded.sources] == list(range(2004, 2027))
    # Only the days that are not ordinary.
    assert {d.day for d in loaded.days} == holiday_days() | set(MAKEUP_2026)
    assert export_calendar(cal, "json", start=YEAR_2026[0], end=YEAR_2026[1]) == data
    raw = json.loads(data)
    assert raw["days"][0]["kind"] == "holiday"
    assert raw["sources"][21]["notice"].endswith("（国办发明电〔2024〕12号）")


def test_json_bad_input_raises_deserialization_error(cal: WorkCalendar) -> None:
    raw = json.loads(export_calendar(cal, "json", start=YEAR_2026[0], end=date(2026, 1, 31)))
    raw["days"][0]["kind"] = "festival"
    raw["policy"] = "lenient"
    with pytest.raises(DeserializationError) as info:
        load_export_json(json.dumps(raw).encode())
    assert {path for path, _ in info.value.errors} >= {"$.days[0].kind", "$.policy"}
    with pytest.raises(DeserializationError):
        load_export_json(b"{not json")


# -- provisional and overrides ----------------------------------------------------------------


def test_provisional_2027_is_marked_in_every_format(prov: WorkCalendar) -> None:
    start, end = date(2027, 1, 1), date(2027, 12, 31)
    rows = read_csv(export_calendar(prov, "csv", start=start, end=end))
    assert len(rows) == 365
    assert all(r["provisional"] == "true" and r["source"] == PROVISIONAL_SOURCE for r in rows)
    assert {r["date"] for r in rows if r["kind"] == "holiday"} >= {"2027-02-05", "2027-10-01"}

    loaded = load_export_json(export_calendar(prov, "json", start=start, end=end))
    assert loaded.policy == "provisional"
    assert loaded.days
    assert all(d.provisional and d.source == PROVISIONAL_SOURCE for d in loaded.days)

    events = ics_events(export_calendar(prov, "ics", start=start, end=end))
    assert events
    for ev in events:
        assert str(ev["SUMMARY"]).endswith("（暂定）")
        assert "暂定" in categories_of(ev)
        assert "暂定：" in str(ev["DESCRIPTION"])
    spring = [ev for ev in events if str(ev["SUMMARY"]).startswith("春节")]
    assert len(spring) == 1  # 除夕, 春节 and the 补假 days are one block
    assert (spring[0].decoded("DTSTART"), spring[0].decoded("DTEND")) == (
        date(2027, 2, 5),
        date(2027, 2, 11),
    )


def test_override_is_shown_as_the_source(cal: WorkCalendar) -> None:
    gx = cal.with_overrides(GUANGXI)
    source = f"三月三（{GUANGXI.source}）"
    (info,) = calendar_days(gx, date(2026, 4, 20), date(2026, 4, 20))
    assert (info.kind, info.name, info.source, info.workday) == (
        DayKind.HOLIDAY,
        "三月三",
        source,
        False,
    )
    rows = {r["date"]: r for r in read_csv(export_calendar(gx, "csv", start=YEAR_2026[0]))}
    assert rows["2026-04-20"]["source"] == source

    loaded = load_export_json(export_calendar(gx, "json", start=YEAR_2026[0]))
    assert [(o.name, o.region, o.holidays) for o in loaded.overrides] == [
        ("三月三", "450000", (date(2026, 4, 20),))
    ]
    assert source in {d.source for d in loaded.days if d.day == date(2026, 4, 20)}

    events = ics_events(export_calendar(gx, "ics", start=YEAR_2026[0]))
    (ev,) = [e for e in events if e.decoded("DTSTART") == date(2026, 4, 20)]
    assert str(ev["SUMMARY"]) == "三月三 放假"
    assert source in str(ev["DESCRIPTION"])

    text = month_view(gx, 2026, 4)
    assert parse_grid(text)[20] == (0, "休", False)
    assert f"依据：{source}" in text
    assert "三月三 放假，共1天" in text
    assert "三月三（广西壮族自治区" in coverage_text(gx)
    assert "地区 450000：休息日1天，工作日0天" in coverage_text(gx)


def test_override_working_weekday_is_not_ordinary(cal: WorkCalendar) -> None:
    # A local arrangement that works a day the national calendar has off.
    ov = CalendarOverrides(name="地方调整", source="某市通知", workdays={date(2026, 10, 7)})
    loc = cal.with_overrides(ov)
    (info,) = calendar_days(loc, date(2026, 10, 7), date(2026, 10, 7))
    assert (info.kind, info.name, info.source) == (
        DayKind.WORKDAY,
        "地方调整",
        "地方调整（某市通知）",
    )
    exported = build_calendar_export(loc, start=YEAR_2026[0])
    assert date(2026, 10, 7) in {d.day for d in exported.days}
    text = month_view(loc, 2026, 10)
    assert "10月7日（三）  上班（地方调整）" in text
    assert "国庆节 放假，共6天" in text


# -- coverage_text ----------------------------------------------------------------------------


def test_coverage_text_strict(cal: WorkCalendar) -> None:
    text = coverage_text(cal)
    for year in range(2004, 2027):
        assert f"  {year}年  " in text
    notice_2025 = "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）"
    assert f"{notice_2025}  2024-11-12" in text
    assert "https://www.gov.cn/zhengce/content/202511/content_7047090.htm" in text
    assert "调整：国务院办公厅关于延长2020年春节假期的通知" in text
    assert "2004–2026年" in text
    assert "CalendarDataMissing" in text
    assert "strict" in text


def test_coverage_text_provisional_and_schedule_file(prov: WorkCalendar) -> None:
    text = coverage_text(prov)
    assert "provisional" in text
    assert "2036年12月31日" in text
    assert "假定：2027年起尚无国务院办公厅放假通知" in text
    c27 = prov.with_schedule_file(FIXTURE_2027)
    text27 = coverage_text(c27)
    assert "2027年  测试用虚构通知（非官方）：2027年部分节假日安排（TEST-2027）" in text27
    assert "2037年12月31日" in text27
