"""Tests for govdisclose.calendar._notice: reading the State Council holiday notice from its text.

The main test reads the notices 2005-2026 (tests/data/holiday_notices, written after the official
wording of each year) and checks them day for day against the shipped national table.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import attrs
import chinese_calendar
import pytest

from govdisclose.calendar import WorkCalendar, _national
from govdisclose.calendar._files import ScheduleFile, load_schedule_file
from govdisclose.calendar._notice import _decode, notice_to_toml, parse_notice, read_notice
from govdisclose.calendar._tables import ERRATA, LATE_DECEMBER, NOTICES
from govdisclose.errors import HolidayNoticeError, InvalidParameterFile

NOTICE_DIR = Path(__file__).parent / "data" / "holiday_notices"
YEARS = range(2005, 2027)
HTML_YEARS = (2016, 2021, 2026)
MADE_UP_2027 = NOTICE_DIR / "2027-made-up.txt"
ONE = timedelta(days=1)
FIELDS = ("year", "notice", "number", "published_on", "url", "rest", "work")
CC_LABELS = frozenset(h.chinese for h in chinese_calendar.Holiday)
# The heading names of merged sections, as chinese-calendar labels the festival.
MERGED_PARTS = {"国庆节": "国庆节", "中秋节": "中秋"}


@functools.cache
def notice(year: int) -> ScheduleFile:
    return read_notice(NOTICE_DIR / f"{year}.txt")


def text_of(year: int) -> str:
    return (NOTICE_DIR / f"{year}.txt").read_text(encoding="utf-8")


def days(start: date, end: date) -> set[date]:
    return {start + i * ONE for i in range((end - start).days + 1)}


@attrs.frozen
class Amendment:
    """A change the State Council made after the annual notice; the table includes it."""

    rest: frozenset[date]
    work: frozenset[date] = frozenset()
    unwork: frozenset[date] = frozenset()


# The mid-year notices listed in NOTICES[year].amendments (each cited there by gov.cn address):
# 2015-05-13, the 70th anniversary (9月3日至5日调休放假，9月6日（星期日）上班); 2019-03-22,
# 劳动节 5月1日至4日 (4月28日、5月5日上班); 2020-01-27, 春节 extended to 2月2日 (2月1日 not worked).
AMENDMENTS = {
    2015: Amendment(rest=frozenset(days(date(2015, 9, 3), date(2015, 9, 5))),
                    work=frozenset({date(2015, 9, 6)})),
    2019: Amendment(rest=frozenset(days(date(2019, 5, 2), date(2019, 5, 4))),
                    work=frozenset({date(2019, 4, 28), date(2019, 5, 5)})),
    2020: Amendment(rest=frozenset(days(date(2020, 1, 31), date(2020, 2, 2))),
                    unwork=frozenset({date(2020, 2, 1)})),
}  # fmt: skip


def scheduled(year: int) -> tuple[set[date], set[date]]:
    """Days off and worked weekend days of notice ``year``, with the year's amendments applied."""
    sched = notice(year)
    change = AMENDMENTS.get(year, Amendment(rest=frozenset()))
    off = {d for d, _ in sched.rest} | change.rest
    work = (set(sched.work) | change.work) - change.unwork
    return off, work


# -- the main test: every notice against the shipped table -------------------------------------


def test_amendments_are_the_cited_ones() -> None:
    assert {y for y, n in NOTICES.items() if n.amendments} == set(AMENDMENTS)


@pytest.mark.parametrize("year", YEARS)
def test_notice_matches_the_shipped_table(year: int) -> None:
    nat = _national()
    off, work = scheduled(year)
    # (a) what the notice says off is off in the table, what it says worked is worked. The table
    # leaves some weekend days next to a holiday unlabelled (与周末连休; 2011-06-05 inside
    # 6月4日至6日放假公休): those must at least be plain weekend days there.
    assert sorted(d for d in off if d in nat.work) == []
    assert sorted(d for d in off if d not in nat.rest and d.weekday() < 5) == []
    assert sorted(d for d in work if d not in nat.work) == []
    # (b) every day of the table in this year comes from this notice or, late in December, from
    # the next year's notice (the New Year arrangement); nothing is left over.
    later: set[date] = set()
    if year + 1 in YEARS:
        later = set().union(*scheduled(year + 1))
    leftover = [
        d
        for d in sorted(set(nat.rest) | nat.work)
        if d.year == year
        and d not in off
        and d not in work
        and not (d >= date(year, *LATE_DECEMBER) and d in later)
    ]
    assert leftover == []


@pytest.mark.parametrize("year", YEARS)
def test_rest_names_are_the_table_s(year: int) -> None:
    nat = _national()
    for day, name in notice(year).rest:
        parts = {MERGED_PARTS[p] for p in name.split("、")} if "、" in name else {name}
        assert parts <= CC_LABELS
        if day in nat.rest:
            assert nat.rest[day] in parts, (day, name, nat.rest[day])


def test_the_erratum_day_is_worked_by_the_2006_notice() -> None:
    (erratum,) = ERRATA
    assert erratum.notice_year == 2006
    assert erratum.day in notice(2006).work
    assert erratum.day not in {d for d, _ in notice(2006).rest}


@pytest.mark.parametrize("year", YEARS)
def test_signature_and_number(year: int) -> None:
    sched = notice(year)
    assert sched.year == year
    assert sched.notice == NOTICES[year].title
    if NOTICES[year].number is not None:
        assert sched.number == NOTICES[year].number
    if sched.number is not None:
        assert sched.number.startswith("国办发明电〔")
    if sched.published_on is not None:
        assert date(year - 1, 1, 1) <= sched.published_on < date(year, 1, 1)
        # The gov.cn address carries the day of publication, on or after the signature.
        if NOTICES[year].published_on is not None:
            assert 0 <= (NOTICES[year].published_on - sched.published_on).days <= 7


def test_2026_read_from_the_real_notice() -> None:
    sched = notice(2026)
    assert sched.number == "国办发明电〔2025〕7号"
    assert sched.published_on == date(2025, 11, 4) == NOTICES[2026].published_on
    rest = dict(sched.rest)
    assert {d for d, n in rest.items() if n == "春节"} == days(date(2026, 2, 15), date(2026, 2, 23))
    assert sched.work == {
        date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9),
        date(2026, 9, 20), date(2026, 10, 10),
    }  # fmt: skip


def test_wording_variants_read_alike() -> None:
    # 放假公休 (2011), 补休 with the Sunday between (2014 清明), 与周末连休 after a Friday
    # (2019 清明) and before a Monday (2018 元旦, reaching into December 2017), 放假N天 (2014).
    assert {d for d, n in notice(2011).rest if n == "端午"} == days(
        date(2011, 6, 4), date(2011, 6, 6)
    )
    assert {d for d, n in notice(2014).rest if n == "清明"} == days(
        date(2014, 4, 5), date(2014, 4, 7)
    )
    assert {d for d, n in notice(2015).rest if n == "端午"} == days(
        date(2015, 6, 20), date(2015, 6, 22)
    )
    assert {d for d, n in notice(2019).rest if n == "清明"} == days(
        date(2019, 4, 5), date(2019, 4, 7)
    )
    assert {d for d, n in notice(2018).rest if n == "元旦"} == days(
        date(2017, 12, 30), date(2018, 1, 1)
    )
    assert {d for d, n in notice(2014).rest if n == "元旦"} == {date(2014, 1, 1)}
    # A merged section keeps its joined name; the old “五一”/“十一” headings read as the festivals.
    assert dict(notice(2023).rest)[date(2023, 9, 29)] == "中秋节、国庆节"
    assert dict(notice(2006).rest)[date(2006, 5, 1)] == "劳动节"
    assert dict(notice(2006).rest)[date(2006, 10, 1)] == "国庆节"
    # 鼓励…安排职工在除夕（2月9日）休息 (2024) is advice, not a day off.
    assert date(2024, 2, 9) not in dict(notice(2024).rest)


# -- the TOML writer ---------------------------------------------------------------------------


@pytest.mark.parametrize("year", [*YEARS, 2027])
def test_toml_round_trip(year: int, tmp_path: Path) -> None:
    sched = read_notice(MADE_UP_2027) if year == 2027 else notice(year)
    target = tmp_path / f"{year}.toml"
    target.write_text(notice_to_toml(sched), encoding="utf-8")
    loaded = load_schedule_file(target)
    for field in FIELDS:
        assert getattr(loaded, field) == getattr(sched, field), field


def test_toml_groups_blocks_and_says_where_it_came_from() -> None:
    text = notice_to_toml(notice(2026))
    assert text.startswith("# Generated by govdisclose from the State Council holiday notice\n")
    assert "# 国务院办公厅关于2026年部分节假日安排的通知\n" in text
    assert "# 国办发明电〔2025〕7号，2025-11-04\n" in text
    assert text.count("[[rest]]") == 7
    assert '[[rest]]\nname = "春节"\nfrom = 2026-02-15\nto = 2026-02-23\n' in text
    assert "work = [2026-01-04, 2026-02-14, 2026-02-28, 2026-05-09, 2026-09-20, 2026-10-10]" in text
    # 2015 端午: 6月20日放假，6月22日（星期一）补休 with the Sunday between is one block.
    assert 'name = "端午"\nfrom = 2015-06-20\nto = 2015-06-22\n' in notice_to_toml(notice(2015))


def test_toml_escapes_strings(tmp_path: Path) -> None:
    sched = attrs.evolve(
        notice(2026),
        notice='关于"2026"年\\的\t通知\n第二行\x01',
        url='https://example.invalid/a"b',
        number=None,
        published_on=None,
    )
    target = tmp_path / "escaped.toml"
    target.write_text(notice_to_toml(sched), encoding="utf-8")
    loaded = load_schedule_file(target)
    assert loaded.notice == sched.notice.strip()
    assert loaded.url == sched.url
    assert loaded.number is None
    assert loaded.published_on is None


def test_toml_of_the_made_up_notice_loads_into_a_calendar(tmp_path: Path) -> None:
    target = tmp_path / "2027.toml"
    target.write_text(notice_to_toml(read_notice(MADE_UP_2027)), encoding="utf-8")
    cal = WorkCalendar.default().with_schedule_file(target)
    assert not cal.is_workday(date(2027, 2, 8))  # 春节, a Monday
    assert cal.is_workday(date(2027, 2, 20))  # 上班, a Saturday
    assert cal.holiday_name(date(2027, 10, 4)) == "国庆节"


# -- the made-up 2027 notice -------------------------------------------------------------------


def test_made_up_2027_notice() -> None:
    sched = read_notice(MADE_UP_2027)
    assert sched.year == 2027
    assert sched.number is None
    assert sched.published_on == date(2026, 11, 5)
    rest = dict(sched.rest)
    assert {d for d, n in rest.items() if n == "春节"} == days(date(2027, 2, 5), date(2027, 2, 12))
    assert {d for d, n in rest.items() if n == "元旦"} == days(date(2027, 1, 1), date(2027, 1, 3))
    assert rest[date(2027, 6, 9)] == "端午"
    assert rest[date(2027, 9, 15)] == "中秋"
    assert sched.work == {
        date(2027, 2, 20), date(2027, 4, 25), date(2027, 5, 8), date(2027, 9, 26),
        date(2027, 10, 9),
    }  # fmt: skip
    assert "INVENTED TEST DATA" in MADE_UP_2027.read_text(encoding="utf-8")


# -- saved web pages and encodings -------------------------------------------------------------


@pytest.mark.parametrize("year", HTML_YEARS)
def test_saved_page_reads_like_the_text(year: int) -> None:
    page = read_notice(NOTICE_DIR / f"{year}.html")
    text = notice(year)
    for field in ("year", "notice", "number", "published_on", "rest", "work"):
        assert getattr(page, field) == getattr(text, field), field
    assert page.url == NOTICES[year].url
    assert page.path == f"{year}.html"
    assert text.url is None


def test_gbk_page_is_gbk_bytes() -> None:
    raw = (NOTICE_DIR / "2021.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert b'<meta charset="gbk"/>' in raw


def test_meta_charset_is_honoured_before_utf8() -> None:
    # GBK bytes of these characters are also valid UTF-8 (һҵΪ֮Ҳ): only the <meta> can tell.
    words = "一业为之也"
    raw = b'<html><head><meta charset="gbk"></head><body><p>' + words.encode("gbk") + b"</p>"
    assert words in _decode(raw, markup=True, source="x.html")
    assert words not in _decode(words.encode("gbk"), markup=False, source="x.txt")


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("gb.txt", lambda t: t.encode("gb18030")),
        ("bom.txt", lambda t: b"\xef\xbb\xbf" + t.encode("utf-8")),
        ("utf16.txt", lambda t: b"\xff\xfe" + t.encode("utf-16-le")),
        ("crlf.txt", lambda t: t.replace("\n", "\r\n").encode("utf-8")),
        ("no-suffix", lambda t: t.encode("utf-8")),
    ],
)
def test_text_encodings(name: str, encode: Callable[[str], bytes], tmp_path: Path) -> None:
    target = tmp_path / name
    target.write_bytes(encode(text_of(2011)))
    sched = read_notice(target)
    for field in FIELDS:
        assert getattr(sched, field) == getattr(notice(2011), field), field
    assert sched.path == name


def test_html_content_with_a_txt_name_is_read_as_a_page(tmp_path: Path) -> None:
    target = tmp_path / "pasted.txt"
    target.write_bytes((NOTICE_DIR / "2016.html").read_bytes())
    assert read_notice(target).rest == notice(2016).rest


def test_unreadable_file() -> None:
    with pytest.raises(HolidayNoticeError) as info:
        read_notice(NOTICE_DIR / "does-not-exist.txt")
    assert info.value.line is None
    assert info.value.source == "does-not-exist.txt"


def test_parse_notice_defaults_and_hash() -> None:
    text = text_of(2026)
    sched = parse_notice(text)
    assert sched.path == "<text>"
    assert sched.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert attrs.evolve(notice(2026), path="<text>") == sched


def test_spaces_and_fullwidth_digits_are_normalised() -> None:
    text = (
        text_of(2026)
        .replace("一、元旦", "\u3000\u3000一、元旦")
        .replace("1月4日", "１月\u00a0４日")
    )
    sched = parse_notice(text, source="pasted")
    assert sched.rest == notice(2026).rest
    assert sched.work == notice(2026).work


def test_title_may_be_missing_when_the_body_states_the_year() -> None:
    text = text_of(2026).replace("国务院办公厅关于2026年\n部分节假日安排的通知\n", "")
    sched = parse_notice(text)
    assert sched.year == 2026
    assert sched.notice == "国务院办公厅关于2026年部分节假日安排的通知"
    assert sched.rest == notice(2026).rest


@pytest.mark.parametrize(
    "written", ["国办发明电[2025]7号", "国办发明电(2025)7号", "国办发明电（2025）7号"]
)
def test_number_brackets_are_normalised(written: str) -> None:
    sched = parse_notice(text_of(2026).replace("国办发明电〔2025〕7号", written))
    assert sched.number == "国办发明电〔2025〕7号"


# -- refusals ----------------------------------------------------------------------------------

# Each: the notice, the fragment changed, what it becomes, what the message must quote.
MUTATIONS = [
    pytest.param(2026, "1月4日（周日）上班", "1月4日（周六）上班", "1月4日（周六）", id="weekday"),
    pytest.param(
        2006,
        "2月4日(星期六)照常公休",
        "2月4日(星期五)照常公休",
        "2月4日(星期五)",
        id="weekday-explaining",
    ),
    pytest.param(
        2026,
        "23日（农历正月初七、周一）",
        "23日（农历正月初七、周二）",
        "23日（农历正月初七、周二）",
        id="weekday-lunar-note",
    ),
    pytest.param(2026, "现将2026年", "现将2025年", "现将2025年", id="year-body"),
    pytest.param(
        2019,
        "2018年12月29日（星期六）上班",
        "2017年12月29日（星期六）上班",
        "2017年12月29日",
        id="year-date",
    ),
    pytest.param(
        2023, "2022年12月31日至", "2022年11月30日至", "2022年11月30日", id="year-not-december"
    ),
    pytest.param(
        2026, "2025年11月4日", "2024年11月4日", "2024年11月4日", id="year-signature-early"
    ),
    pytest.param(2026, "2025年11月4日", "2027年1月4日", "2027年1月4日", id="year-signature-late"),
    pytest.param(
        2026,
        "国办发明电〔2025〕7号",
        "国办发明电〔2020〕7号",
        "国办发明电〔2020〕7号",
        id="year-number",
    ),
    pytest.param(2026, "七、国庆节：", "七、建军节：", "建军节", id="unknown-festival"),
    pytest.param(
        2025, "六、国庆节、中秋节：", "六、国庆节、重阳节：", "重阳节", id="unknown-merged"
    ),
    pytest.param(
        2026, "六、中秋节：9月25日", "六、春节：9月25日", "六、春节：9月25日", id="festival-twice"
    ),
    pytest.param(2026, "五、端午节：", "五、端午节放假", "五、端午节放假", id="heading"),
    pytest.param(
        2026,
        "5月1日（周五）至5日（周二）放假调休，共5天",
        "4月5日（周日）至9日（周四）放假调休，共5天",
        "4月5日（周日）至9日（周四）放假调休",
        id="overlap",
    ),
    pytest.param(2026, "放假调休，共9天", "放假调休，共8天", "共8天", id="count"),
    pytest.param(2014, "1月1日放假1天", "1月1日放假2天", "1月1日放假2天", id="count-inline"),
    pytest.param(2026, "共3天。1月4日", "共四天。1月4日", "共四天", id="count-chinese"),
    pytest.param(
        2026, "5月9日（周六）上班", "5月8日（周五）上班", "5月8日（周五）上班", id="work-weekday"
    ),
    pytest.param(
        2026, "1月4日（周日）上班", "1月3日（周六）上班", "1月3日（周六）上班", id="work-in-rest"
    ),
    pytest.param(
        2026, "2月28日（周六）上班", "2月14日（周六）上班", "2月14日（周六）", id="work-twice"
    ),
    pytest.param(
        2015,
        "4月6日（星期一）补休",
        "4月5日（星期日）补休",
        "4月5日（星期日）补休",
        id="buxiu-twice",
    ),
    pytest.param(
        2026,
        "2月15日（农历腊月二十八、周日）至23日",
        "1月10日（农历腊月二十八、周六）至2月23日",
        "1月10日",
        id="span-too-long",
    ),
    pytest.param(
        2026,
        "5月1日（周五）至5日（周二）",
        "5月6日（周三）至5日（周二）",
        "5月6日（周三）",
        id="span-backwards",
    ),
    pytest.param(
        2026,
        "五、端午节：6月19日（周五）至21日（周日）放假，共3天。",
        "五、端午节：另行通知。",
        "五、端午节：另行通知。",
        id="no-span",
    ),
    pytest.param(
        2026,
        "六、中秋节：9月25日（周五）至27日（周日）放假，共3天。",
        "六、中秋节：9月25日（周五）放假，9月27日（周日）放假。",
        "9月27日（周日）放假",
        id="second-span",
    ),
    pytest.param(
        2026,
        "9月20日（周日）、10月10日（周六）上班",
        "10月8日（周四）起正常上班",
        "10月8日（周四）起正常上班",
        id="work-clause",
    ),
    pytest.param(
        2026,
        "三、清明节：4月4日（周六）至6日（周一）放假，共3天。",
        "三、清明节：4月4日（周六）至6日（周一）放假，共3天。4月11日（周六）值班。",
        "4月11日（周六）值班",
        id="unreadable-dates",
    ),
    pytest.param(
        2026, "2月28日（周六）上班", "2月30日（周六）上班", "2月30日（周六）", id="no-such-date"
    ),
    pytest.param(
        2006,
        "29日、30日、31日为法定假日",
        "29日、30日、32日为法定假日",
        "32日",
        id="no-such-day-explaining",
    ),
    pytest.param(
        2026,
        "五、端午节：6月19日（周五）至21日",
        "五、端午节：19日至21日",
        "19日",
        id="day-without-month",
    ),
    pytest.param(
        2024,
        "6月10日放假，与周末连休",
        "6月12日放假，与周末连休",
        "与周末连休",
        id="weekend-not-adjacent",
    ),
]


@pytest.mark.parametrize(("year", "old", "new", "quoted"), MUTATIONS)
def test_mutated_notice_is_refused_at_the_mutated_line(
    year: int, old: str, new: str, quoted: str
) -> None:
    text = text_of(year)
    assert text.count(old) == 1, old
    mutated = text.replace(old, new)
    line = next(i + 1 for i, t in enumerate(mutated.split("\n")) if new.split("\n")[0] in t)
    with pytest.raises(HolidayNoticeError) as info:
        parse_notice(mutated, source=f"{year}-mutated.txt")
    err = info.value
    assert err.line == line, str(err)
    assert quoted in err.message_zh
    assert quoted in err.message_en
    assert err.source == f"{year}-mutated.txt"
    assert err.field == f"{year}-mutated.txt:{line}"
    assert err.code == "calendar.invalid_notice"
    assert isinstance(err, InvalidParameterFile)


def test_title_years_must_agree() -> None:
    text = "国务院办公厅关于2025年部分节假日安排的通知\n" + text_of(2026)
    with pytest.raises(HolidayNoticeError) as info:
        parse_notice(text)
    assert info.value.line == 2  # the second title, split over lines 2 and 3


@pytest.mark.parametrize(
    "text",
    [
        "",
        "节假日期间，各地区、各部门要妥善安排好值班。\n",
        "国务院办公厅关于2026年部分节假日安排的通知\n",
    ],
)
def test_not_a_holiday_notice(text: str) -> None:
    with pytest.raises(HolidayNoticeError) as info:
        parse_notice(text)
    assert info.value.line is None
    assert "not a holiday notice" in info.value.message_en


def test_year_cannot_be_told() -> None:
    text = text_of(2026).replace("国务院办公厅关于2026年\n部分节假日安排的通知\n", "")
    text = text.replace("现将2026年", "现将")
    with pytest.raises(HolidayNoticeError) as info:
        parse_notice(text)
    assert info.value.line is None
    assert "cannot tell the year" in info.value.message_en


def test_links_after_the_sections_do_not_count() -> None:
    # A saved page lists other years' notices below the text (see the HTML fixtures).
    text = (
        text_of(2026)
        + "相关稿件\n国务院办公厅关于2025年部分节假日安排的通知\n国办发明电〔2024〕12号\n"
    )
    assert parse_notice(text).number == "国办发明电〔2025〕7号"


def test_heading_without_colon() -> None:
    # Some reprints drop the colon after the name: 三、清明节4月4日至6日放假 (2009).
    text = text_of(2009).replace("三、清明节：4月4日", "三、清明节4月4日")
    assert parse_notice(text).rest == notice(2009).rest


def test_the_anniversary_is_a_known_festival() -> None:
    # Its name carries digits (…胜利70周年纪念日); the 2015 notice wrote 9月3日至5日调休放假.
    text = (
        "现将2015年中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日放假调休日期通知如下。\n"
        "一、中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日：9月3日至5日调休放假，共3天。"
        "9月6日（星期日）上班。\n"
    )
    sched = parse_notice(text)
    assert {name for _, name in sched.rest} <= CC_LABELS
    assert [d for d, _ in sched.rest] == sorted(days(date(2015, 9, 3), date(2015, 9, 5)))
    assert sched.work == {date(2015, 9, 6)}


def test_page_without_a_closing_head_tag(tmp_path: Path) -> None:
    body = "".join(f"<p>{line}</p>" for line in text_of(2026).split("\n") if line)
    target = tmp_path / "broken.htm"
    target.write_text(f"<html><head><title>通知</title><body>{body}</body></html>", "utf-8")
    assert read_notice(target).rest == notice(2026).rest
