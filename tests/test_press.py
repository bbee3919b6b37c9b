"""Press events and their cadence: the rules as checked data, a quarter boundary handled
exactly, the listed heads' yearly attendance, alternative rules (4·2·1+N), and the counts of
the annual report's narrative (seed 004 §三)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from govdisclose.errors import InvalidParameterFile, ValidationError
from govdisclose.model import Agency
from govdisclose.press import (
    Attendee,
    AttendeeRole,
    CadencePeriod,
    CadenceState,
    PressEvent,
    PressEventKind,
    behind,
    cadence_status,
    cadence_year,
    default_cadence,
    load_cadence,
    yearly_counts,
)
from govdisclose.vocab import AgencyKind, AgencyLevel

GOV = Agency("county-gov", "某县人民政府办公室", AgencyLevel.COUNTY, AgencyKind.GOVERNMENT)
EDU = Agency("county-edu", "某县教体局", AgencyLevel.COUNTY, parent="county-gov")
EEB = Agency("county-eeb", "某县环保局", AgencyLevel.COUNTY, parent="county-gov")
AGENCIES = (GOV, EDU, EEB)
RULES = default_cadence()


def conference(
    held_on: date, *attendees: Attendee, host: str = "county-gov", id: str | None = None
) -> PressEvent:
    return PressEvent(
        id=id or f"{host}-{held_on.isoformat()}",
        agency=host,
        kind=PressEventKind.PRESS_CONFERENCE,
        held_on=held_on,
        title="新闻发布会",
        topics=("重点工作",),
        attendees=attendees or (Attendee("张某", AttendeeRole.SPOKESPERSON),),
    )


def state_of(statuses: tuple[object, ...], rule: str, unit: str, start: date) -> CadenceState:
    found = [s for s in statuses if (s.rule_id, s.unit, s.start) == (rule, unit, start)]  # type: ignore[attr-defined]
    assert len(found) == 1, found
    return found[0].state  # type: ignore[attr-defined,no-any-return]


# -- the shipped rules ---------------------------------------------------------------------------


def test_the_shipped_rules_are_seed_000s_with_their_citation() -> None:
    office, heads = RULES.rules
    assert (office.period, office.min_count, office.units) == (
        CadencePeriod.QUARTER,
        1,
        ("kind:government",),
    )
    assert (heads.period, heads.roles, heads.hosted_by) == (
        CadencePeriod.YEAR,
        (AttendeeRole.PRINCIPAL_HEAD,),
        ("kind:government",),
    )
    for rule in RULES:
        assert "桓政办发〔2014〕47号" in rule.citation.regulation
        assert "（一）" in rule.citation.article


# -- a quarter boundary --------------------------------------------------------------------------


def test_31_march_counts_for_the_first_quarter_and_1_april_for_the_second() -> None:
    march = [conference(date(2025, 3, 31))]
    april = [conference(date(2025, 4, 1))]
    q1, q2 = date(2025, 1, 1), date(2025, 4, 1)
    # On 31 March the quarter is still open: met with the conference, pending without.
    assert (
        state_of(
            cadence_status(RULES, march, AGENCIES, date(2025, 3, 31)),
            "office-quarterly",
            "county-gov",
            q1,
        )
        is CadenceState.MET
    )
    assert (
        state_of(
            cadence_status(RULES, [], AGENCIES, date(2025, 3, 31)),
            "office-quarterly",
            "county-gov",
            q1,
        )
        is CadenceState.PENDING
    )
    # On 1 April it is over: a conference that day is the second quarter's, the first is missed.
    on_first = cadence_status(RULES, april, AGENCIES, q2)
    assert state_of(on_first, "office-quarterly", "county-gov", q1) is CadenceState.MISSED
    assert state_of(on_first, "office-quarterly", "county-gov", q2) is CadenceState.MET
    assert (
        state_of(cadence_status(RULES, march, AGENCIES, q2), "office-quarterly", "county-gov", q1)
        is CadenceState.MET
    )
    # behind(): the missed quarter only (pending ones with include_pending).
    assert [
        (s.unit, s.period_name)
        for s in behind(RULES, april, AGENCIES, q2)
        if s.rule_id == "office-quarterly"
    ] == [("county-gov", "2025年第1季度")]
    # On 31 March the last ended quarter is 2024's fourth (no conference then): only it is
    # behind; the first quarter shows only as pending, and only without its conference.
    on_last = behind(RULES, march, AGENCIES, date(2025, 3, 31), include_pending=True)
    assert [s.period_name for s in on_last if s.rule_id == "office-quarterly"] == ["2024年第4季度"]
    pending = behind(RULES, [], AGENCIES, date(2025, 3, 31), include_pending=True)
    assert [s.period_name for s in pending if s.rule_id == "office-quarterly"] == [
        "2024年第4季度",
        "2025年第1季度",
    ]


def test_an_event_after_the_check_day_does_not_count() -> None:
    later = [conference(date(2025, 3, 31))]
    got = cadence_status(RULES, later, AGENCIES, date(2025, 3, 30))
    assert state_of(got, "office-quarterly", "county-gov", date(2025, 1, 1)) is CadenceState.PENDING


def test_the_listed_heads_rule_counts_attendance_at_the_government_offices_conferences() -> None:
    events = [
        # EDU's head at the office's conference: counts for EDU.
        conference(date(2025, 5, 8), Attendee("王某", AttendeeRole.PRINCIPAL_HEAD, "county-edu")),
        # EEB's deputy at the office's conference: not the principal head.
        conference(date(2025, 6, 9), Attendee("李某", AttendeeRole.DEPUTY_HEAD, "county-eeb")),
        # EEB's head at EEB's own conference: not one the government office organised.
        conference(
            date(2025, 7, 1), Attendee("赵某", AttendeeRole.PRINCIPAL_HEAD), host="county-eeb"
        ),
    ]
    year = cadence_year(RULES, events, AGENCIES, 2025)
    heads = {s.unit: s for s in year if s.rule_id == "listed-heads-yearly"}
    assert heads["county-edu"].state is CadenceState.MET
    assert heads["county-edu"].event_ids == ("county-gov-2025-05-08",)
    assert heads["county-eeb"].state is CadenceState.MISSED
    assert "county-gov" not in heads  # the rule selects departments
    quarters = [s.state.code for s in year if s.rule_id == "office-quarterly"]
    # Q2 had the office's two conferences; the July one was EEB's, not the office's.
    assert quarters == ["missed", "met", "missed", "missed"]
    # During the year the yearly duty is pending, not missed.
    assert {
        s.unit: s.state
        for s in cadence_year(RULES, events, AGENCIES, 2025, as_of=date(2025, 12, 31))
        if s.rule_id == "listed-heads-yearly"
    }["county-eeb"] is CadenceState.PENDING


def test_periods_before_a_rule_took_effect_are_not_judged() -> None:
    got = cadence_status(RULES, [], AGENCIES, date(2014, 10, 15))
    starts = {s.start for s in got if s.rule_id == "office-quarterly"}
    assert starts == {date(2014, 10, 1)}  # Q3 2014 started before 2014-09-01
    assert not [s for s in got if s.rule_id == "listed-heads-yearly"]  # 2014 started before it
    assert cadence_status(RULES, [], AGENCIES, date(2014, 8, 1)) == ()


# -- other rules as data -------------------------------------------------------------------------

FOUR_TWO_ONE = """
[[rule]]
id = "quarterly"
description = "每个季度至少举行1次新闻发布会"
units = ["kind:department"]
period = "quarter"
min_count = 1
counts = "hosted"
kinds = ["press_conference"]
since = 2015-01-01
reference = { regulation = "国新办“4·2·1+N”新闻发布模式", article = "4" }

[[rule]]
id = "heads-half-yearly"
description = "部门负责同志每半年至少出席1次"
units = ["kind:department"]
period = "half_year"
min_count = 1
counts = "attended"
kinds = ["press_conference", "briefing"]
roles = ["principal_head", "deputy_head"]
since = 2015-01-01
reference = { regulation = "国新办“4·2·1+N”新闻发布模式", article = "2" }
"""


def test_an_office_replaces_the_rules_with_its_own_file(tmp_path: Path) -> None:
    path = tmp_path / "cadence.toml"
    path.write_text(FOUR_TWO_ONE, "utf-8")
    rules = load_cadence(path)
    assert load_cadence(FOUR_TWO_ONE) == rules
    events = [
        conference(date(2025, 2, 3), Attendee("李某", AttendeeRole.DEPUTY_HEAD), host="county-edu"),
        conference(
            date(2025, 8, 3), Attendee("张某", AttendeeRole.SPOKESPERSON), host="county-edu"
        ),
    ]
    year = cadence_year(rules, events, AGENCIES, 2025)
    edu = [(s.rule_id, s.period_name, s.state.code) for s in year if s.unit == "county-edu"]
    assert edu == [
        ("quarterly", "2025年第1季度", "met"),
        ("quarterly", "2025年第2季度", "missed"),
        ("quarterly", "2025年第3季度", "met"),
        ("quarterly", "2025年第4季度", "missed"),
        ("heads-half-yearly", "2025年上半年", "met"),
        ("heads-half-yearly", "2025年下半年", "missed"),  # only the spokesperson in August
    ]


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (('period = "quarter"', 'period = "weekly"'), "rule[0].period[0]", "weekly"),
        (("min_count = 1", "min_count = 0"), "rule[0].min_count", "1 至 1000"),
        (('counts = "hosted"', 'counts = "hosted"\ncolour = "red"'), "rule[0].colour", "未知的键"),
        (("since = 2015-01-01", 'since = "2015-01-01"'), "rule[0].since", "日期"),
        (
            ('units = ["kind:department"]', 'units = ["kind:ministry"]'),
            "rule[0].units[0]",
            "选择器",
        ),
        (('id = "heads-half-yearly"', 'id = "quarterly"'), "rule[1].id", "重复"),
        (('roles = ["principal_head", "deputy_head"]', "roles = []"), "rule[1].roles", "职务"),
        (('kinds = ["press_conference"]', 'kinds = ["press"]'), "rule[0].kinds[0]", "press"),
        (
            ('reference = { regulation = "国新办“4·2·1+N”新闻发布模式", article = "4" }', ""),
            "rule[0].reference",
            "出处",
        ),
        (('[[rule]]\nid = "quarterly"', '[[rule]]\nid = "quarterly'), "<toml>", "TOML"),
    ],
)
def test_a_broken_rules_file_is_refused_naming_the_key(
    change: tuple[str, str], key: str, words: str
) -> None:
    old, new = change
    assert old in FOUR_TWO_ONE
    with pytest.raises(InvalidParameterFile) as info:
        load_cadence(FOUR_TWO_ONE.replace(old, new, 1))
    assert info.value.code == "press.cadence_invalid"
    assert info.value.field == key
    assert words in info.value.message_zh + info.value.message_en


def test_a_rules_file_that_does_not_exist_or_has_no_rules() -> None:
    with pytest.raises(InvalidParameterFile, match="无法读取"):
        load_cadence("/nonexistent/cadence.toml")
    with pytest.raises(InvalidParameterFile, match="至少须有一条"):
        load_cadence({"rule": []})


# -- the values and the counts ---------------------------------------------------------------------


def test_a_press_event_needs_a_topic_and_distinct_attendees() -> None:
    with pytest.raises(ValidationError) as info:
        PressEvent(
            id="P",
            agency="a",
            kind=PressEventKind.BRIEFING,
            held_on=date(2025, 1, 1),
            title="t",
            topics=(),
        )
    assert info.value.code == "press.no_topic"
    twice = Attendee("王某", AttendeeRole.SPOKESPERSON)
    with pytest.raises(ValidationError) as info:
        conference(date(2025, 1, 1), twice, twice)
    assert info.value.code == "validation.duplicate"
    with pytest.raises(ValidationError):
        PressEvent(
            id="P",
            agency="a",
            kind=PressEventKind.BRIEFING,
            held_on=date(2025, 1, 1),
            title="t",
            topics=("x", "x"),
        )


def test_counts_reproduce_the_narrative_of_seed_004() -> None:
    """29 conferences, 25 with a principal head; 97 online interviews, 40 with one."""
    head = Attendee("王某", AttendeeRole.PRINCIPAL_HEAD)
    deputy = Attendee("李某", AttendeeRole.DEPUTY_HEAD)
    events = (
        [
            conference(date(2015, 1, 1) + timedelta(days=i), head if i < 25 else deputy, id=f"c{i}")
            for i in range(29)
        ]
        + [
            PressEvent(
                id=f"o{i}",
                agency="county-edu",
                kind=PressEventKind.ONLINE_INTERVIEW,
                held_on=date(2015, 1, 1) + timedelta(days=i),
                title="在线访谈",
                topics=("政策解读",),
                attendees=(head if i < 40 else deputy,),
            )
            for i in range(97)
        ]
        + [conference(date(2016, 1, 5), head, id="next-year")]
    )
    total = yearly_counts(events, 2015)
    assert (total.press_conferences, total.press_conferences_principal) == (29, 25)
    assert (total.online_interviews, total.online_interviews_principal) == (97, 40)
    assert total.narrative() == (
        "举办新闻发布会29次，其中主要负责同志参加新闻发布会25次；开展在线访谈97次，其中主要负责同志"
        "参加在线访谈40次。"
    )
    assert yearly_counts(events, 2015, agency="county-edu").press_conferences == 0
    assert total.figures()["press.online_interviews"] == 97


@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    period=st.sampled_from(CadencePeriod),
)
def test_property_periods_tile_the_calendar(day: date, period: CadencePeriod) -> None:
    start, end = period.bounds(day)
    assert start <= day <= end
    assert start.day == 1
    assert (end + timedelta(days=1)).day == 1
    assert period.bounds(end + timedelta(days=1))[0] == end + timedelta(days=1)
    prev_start, prev_end = period.previous(day)
    assert prev_end == start - timedelta(days=1)
    assert period.bounds(prev_start) == (
        prev_start,
        prev_end,
    )
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    assert months == period.months
