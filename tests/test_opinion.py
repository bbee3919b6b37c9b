"""The public-opinion ledger: the hour limits by grade at their boundaries (across midnight and
public holidays: calendar hours, not working hours), shorten-only enforcement, the lifecycle,
the reminders, the ledger rows and the flat value of 0.1.0."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, strategies as st

from govdisclose._time import SHANGHAI
from govdisclose.calendar import WorkCalendar
from govdisclose.clocks import Clock
from govdisclose.deadlines import opinion_deadlines
from govdisclose.errors import InvalidParameterFile, InvalidTransition, ValidationError
from govdisclose.notifications import OpinionDeadlineApproaching, OpinionDutyOverdue
from govdisclose.opinion import (
    LEDGER_COLUMNS,
    DutyState,
    OpinionCase,
    OpinionClosed,
    OpinionDetected,
    OpinionDutyKind,
    OpinionGrade,
    OpinionRegraded,
    OpinionResponded,
    OpinionSource,
    OpinionStatus,
    ResponseType,
    apply_all,
    approaching,
    duties,
    findings,
    flat,
    hour_limit_grades,
    ledger_rows,
    overdue,
    reminders,
    status,
)
from govdisclose.params import ParameterSet
from govdisclose.press import Attendee, AttendeeRole

PARAMS = ParameterSet.default()
CAL = WorkCalendar.default()
REF = {"reference": {"regulation": "某县舆情回应办法", "article": "第五条"}}


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=SHANGHAI)


def case(
    detected: datetime,
    *events: object,
    grade: OpinionGrade = OpinionGrade.MAJOR,
    emergency: bool = True,
    id: str = "YQ-1",
) -> OpinionCase:
    first = OpinionDetected(
        at=detected,
        grade=grade,
        source=OpinionSource.MONITORING,
        summary="网传某河段大量死鱼",
        emergency=emergency,
    )
    return apply_all(OpinionCase(id=id, agency="county-eeb"), (first, *events))  # type: ignore[arg-type]


def release(when: datetime) -> OpinionResponded:
    return OpinionResponded(at=when, type=ResponseType.RELEASE, summary="发布权威信息")


def conference(when: datetime, role: AttendeeRole = AttendeeRole.SPOKESPERSON) -> OpinionResponded:
    return OpinionResponded(
        at=when,
        type=ResponseType.PRESS_CONFERENCE,
        summary="召开新闻发布会",
        attendees=(Attendee("王某", role),),
    )


def by_kind(c: OpinionCase, params: ParameterSet = PARAMS) -> dict[OpinionDutyKind, object]:
    return {d.kind: d for d in duties(c, params=params)}


# -- the limits and their sources ---------------------------------------------------------------


def test_the_limits_are_national_and_cite_the_two_state_council_notices() -> None:
    """5 h from 国办发〔2016〕80号, 24 h and 48 h from 国办发〔2016〕61号, none local policy."""
    snap = PARAMS.at(date(2025, 1, 1))
    expected = {
        "opinion_authoritative_info_hours": (5, "国办发〔2016〕80号"),
        "opinion_press_conference_hours": (24, "国办发〔2016〕61号"),
        "opinion_other_response_hours": (48, "国办发〔2016〕61号"),
    }
    for name, (hours, number) in expected.items():
        assert snap.hours(name) == hours
        assert number in snap.citation(name).regulation
        assert not snap.parameter(name).local_policy
    # Before 国办发〔2016〕80号 there was no national 5-hour limit; the 24 hours already held.
    before = PARAMS.at(date(2016, 9, 1))
    assert "opinion_authoritative_info_hours" not in before
    assert before.hours("opinion_press_conference_hours") == 24


@pytest.mark.parametrize(
    ("detected", "info_due", "press_due", "holiday"),
    [
        # 国庆 2025: detected on the evening of 1 October, due in the night and the next evening.
        (at(2025, 10, 1, 20, 30), at(2025, 10, 2, 1, 30), at(2025, 10, 2, 20, 30), "国庆节"),
        # 除夕 2025 (28 January, a holiday): detected at 22:00, due at 03:00 on 初一.
        (at(2025, 1, 28, 22, 0), at(2025, 1, 29, 3, 0), at(2025, 1, 29, 22, 0), "春节"),
        # A Friday night: the limits fall on Saturday, not on Monday.
        (at(2025, 3, 7, 23, 59), at(2025, 3, 8, 4, 59), at(2025, 3, 8, 23, 59), None),
    ],
)
def test_major_limits_are_calendar_hours_across_midnight_and_holidays(
    detected: datetime, info_due: datetime, press_due: datetime, holiday: str | None
) -> None:
    """The due moments are detection + 5 h and + 24 h even on a day that is no working day
    (the notices count 小时, not 工作日)."""
    got = by_kind(case(detected))
    assert got[OpinionDutyKind.FIRST_INFO].due == info_due  # type: ignore[attr-defined]
    assert got[OpinionDutyKind.PRESS_CONFERENCE].due == press_due  # type: ignore[attr-defined]
    assert not CAL.is_workday(info_due.date())
    if holiday is not None:
        assert CAL.holiday_name(info_due.date()) == holiday


def test_at_the_boundary_a_response_on_the_minute_is_on_time_and_one_second_later_is_late() -> None:
    detected = at(2025, 10, 1, 20, 30)
    due = at(2025, 10, 2, 1, 30)
    on_time = by_kind(case(detected, release(due)))[OpinionDutyKind.FIRST_INFO]
    late = by_kind(case(detected, release(due + timedelta(seconds=1))))[OpinionDutyKind.FIRST_INFO]
    assert on_time.state(due + timedelta(hours=1)) is DutyState.MET  # type: ignore[attr-defined]
    assert late.state(due + timedelta(hours=1)) is DutyState.LATE  # type: ignore[attr-defined]
    assert late.hours_late(due + timedelta(hours=1)) == pytest.approx(1 / 3600)  # type: ignore[attr-defined]


def test_an_undone_limit_is_open_at_the_due_moment_and_overdue_a_second_after() -> None:
    duty = by_kind(case(at(2025, 10, 1, 20, 30)))[OpinionDutyKind.FIRST_INFO]
    due = at(2025, 10, 2, 1, 30)
    assert duty.state(due) is DutyState.OPEN  # type: ignore[attr-defined]
    assert duty.hours_left(due) == 0  # type: ignore[attr-defined]
    assert duty.state(due + timedelta(seconds=1)) is DutyState.OVERDUE  # type: ignore[attr-defined]
    assert duty.state(due - timedelta(hours=6)) is DutyState.OPEN  # type: ignore[attr-defined]


def test_a_detection_given_in_utc_is_counted_in_shanghai() -> None:
    """12:30 UTC on 1 October is 20:30 in Shanghai: the same limits, reported in +08:00."""
    utc = datetime(2025, 10, 1, 12, 30, tzinfo=UTC)
    got = by_kind(case(utc))[OpinionDutyKind.FIRST_INFO]
    assert got.due == at(2025, 10, 2, 1, 30)  # type: ignore[attr-defined]
    assert got.due.utcoffset() == timedelta(hours=8)  # type: ignore[attr-defined]


def test_only_a_press_conference_meets_the_24_hour_limit() -> None:
    detected = at(2025, 10, 1, 20, 30)
    briefing = OpinionResponded(
        at=detected + timedelta(hours=3),
        type=ResponseType.BRIEFING,
        summary="吹风会",
        attendees=(Attendee("李某", AttendeeRole.DEPUTY_HEAD),),
    )
    got = by_kind(case(detected, briefing))
    now = detected + timedelta(hours=30)
    assert got[OpinionDutyKind.FIRST_INFO].state(now) is DutyState.MET  # type: ignore[attr-defined]
    assert got[OpinionDutyKind.PRESS_CONFERENCE].state(now) is DutyState.OVERDUE  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("grade", "emergency"),
    [
        (OpinionGrade.LARGE, True),
        (OpinionGrade.GENERAL, True),
        (OpinionGrade.MAJOR, False),
        (OpinionGrade.ESPECIALLY_MAJOR, False),
    ],
)
def test_other_opinion_has_48_hours(grade: OpinionGrade, emergency: bool) -> None:
    """Everything but opinion about 特别重大、重大突发事件 gets 48 h (国办发〔2016〕61号 三)."""
    detected = at(2025, 12, 31, 18, 0)
    got = duties(case(detected, grade=grade, emergency=emergency), params=PARAMS)
    assert [d.kind for d in got] == [OpinionDutyKind.RESPONSE]
    assert got[0].due == at(2026, 1, 2, 18, 0)
    assert got[0].deadline().clock is Clock.OPINION_RESPONSE


def test_a_regrading_switches_the_limits_but_they_still_run_from_detection() -> None:
    detected = at(2025, 5, 1, 9, 0)
    regraded = OpinionRegraded(
        at=detected + timedelta(hours=6),
        grade=OpinionGrade.MAJOR,
        emergency=True,
        reason="研判升级",
    )
    before = case(detected, grade=OpinionGrade.LARGE)
    after = apply_all(before, (regraded,))
    assert [d.kind for d in duties(before, params=PARAMS)] == [OpinionDutyKind.RESPONSE]
    got = by_kind(after)
    assert got[OpinionDutyKind.FIRST_INFO].due == detected + timedelta(hours=5)  # type: ignore[attr-defined]
    # Escalated after the 5 hours had run: already overdue when it is regraded.
    assert got[OpinionDutyKind.FIRST_INFO].state(regraded.at) is DutyState.OVERDUE  # type: ignore[attr-defined]


# -- shorten-only --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "opinion_authoritative_info_hours",
        "opinion_press_conference_hours",
        "opinion_other_response_hours",
    ],
)
def test_a_local_source_may_not_lengthen_a_limit(name: str) -> None:
    snap = PARAMS.at(date(2025, 1, 1))
    longer = snap.hours(name) + 1
    with pytest.raises(InvalidParameterFile) as info:
        PARAMS.with_overrides({name: {"values": {"2024-01-01": longer}, "metadata": REF}})
    assert info.value.field == f"{name}.values.2024-01-01"
    assert "不能延长或取消法定期限" in info.value.message_zh
    with pytest.raises(InvalidParameterFile):
        PARAMS.with_overrides({name: {"values": {"2024-01-01": {"end": True}}, "metadata": REF}})


def test_a_local_source_may_shorten_a_limit_and_the_duties_follow() -> None:
    local = PARAMS.with_overrides(
        {"opinion_authoritative_info_hours": {"values": {"2024-01-01": 3}, "metadata": REF}}
    )
    detected = at(2025, 10, 1, 22, 30)
    got = by_kind(case(detected), local)
    first = got[OpinionDutyKind.FIRST_INFO]
    assert first.due == at(2025, 10, 2, 1, 30)  # type: ignore[attr-defined]
    assert first.citation.regulation == "某县舆情回应办法"  # type: ignore[attr-defined]
    # Before the local value took effect the national 5 hours apply.
    assert by_kind(case(at(2023, 6, 1, 8)), local)[OpinionDutyKind.FIRST_INFO].hours == 5  # type: ignore[attr-defined]


def test_a_local_source_may_add_grades_but_not_drop_the_national_ones() -> None:
    wider = PARAMS.with_overrides(
        {
            "opinion_hour_limit_grades": {
                "values": {"2024-01-01": "especially_major major large"},
                "metadata": REF,
            }
        }
    )
    assert OpinionGrade.LARGE in hour_limit_grades(wider.at(date(2025, 1, 1)))
    large = case(at(2025, 3, 1, 10), grade=OpinionGrade.LARGE)
    assert OpinionDutyKind.PRESS_CONFERENCE in by_kind(large, wider)
    narrower = PARAMS.with_overrides(
        {
            "opinion_hour_limit_grades": {
                "values": {"2024-01-01": "especially_major"},
                "metadata": REF,
            }
        }
    )
    with pytest.raises(InvalidParameterFile) as info:
        duties(case(at(2025, 3, 1, 10)), params=narrower)
    assert info.value.code == "opinion.hour_limit_grades"
    assert "重大" in info.value.message_zh
    typo = PARAMS.with_overrides(
        {
            "opinion_hour_limit_grades": {
                "values": {"2024-01-01": "especially_major major huge"},
                "metadata": REF,
            }
        }
    )
    with pytest.raises(InvalidParameterFile, match="huge"):
        hour_limit_grades(typo.at(date(2025, 1, 1)))


# -- lifecycle -----------------------------------------------------------------------------------


def test_the_lifecycle_refuses_what_could_not_have_happened() -> None:
    detected = at(2025, 10, 1, 20, 30)
    c = case(detected)
    with pytest.raises(InvalidTransition, match="早于监测发现"):
        apply_all(c, (release(detected - timedelta(minutes=1)),))
    with pytest.raises(InvalidTransition, match="已登记监测发现"):
        apply_all(c, (c.events[0],))
    with pytest.raises(InvalidTransition, match="第一个事件"):
        apply_all(OpinionCase(id="X", agency="a"), (release(detected),))
    with pytest.raises(InvalidTransition, match="研判结果与现有等级相同"):
        apply_all(
            c,
            (
                OpinionRegraded(
                    at=detected, grade=OpinionGrade.MAJOR, emergency=True, reason="复核"
                ),
            ),
        )
    answered = apply_all(c, (release(detected + timedelta(hours=2)),))
    with pytest.raises(InvalidTransition, match="办结时间早于"):
        apply_all(answered, (OpinionClosed(at=detected + timedelta(hours=1)),))
    closed = apply_all(answered, (OpinionClosed(at=detected + timedelta(hours=3)),))
    with pytest.raises(InvalidTransition, match="已办结"):
        apply_all(closed, (release(detected + timedelta(hours=4)),))
    assert [status(x) for x in (c, answered, closed)] == [
        OpinionStatus.HANDLING,
        OpinionStatus.RESPONDED,
        OpinionStatus.CLOSED,
    ]


def test_a_response_may_be_entered_after_a_later_one() -> None:
    """A clerk enters yesterday's interview today: order of entry is not order of time."""
    detected = at(2025, 10, 1, 20, 30)
    c = case(
        detected, conference(detected + timedelta(hours=20)), release(detected + timedelta(hours=4))
    )
    assert by_kind(c)[OpinionDutyKind.FIRST_INFO].done_at == detected + timedelta(hours=4)  # type: ignore[attr-defined]


def test_values_refuse_naive_times_and_a_conference_without_attendees() -> None:
    with pytest.raises(ValidationError) as info:
        release(datetime(2025, 10, 1, 20, 30))  # naive
    assert info.value.code == "validation.naive_datetime"
    with pytest.raises(ValidationError) as info:
        OpinionResponded(at=at(2025, 1, 1), type=ResponseType.PRESS_CONFERENCE, summary="会")
    assert info.value.code == "opinion.no_attendee"
    duty = by_kind(case(at(2025, 10, 1)))[OpinionDutyKind.FIRST_INFO]
    with pytest.raises(ValidationError, match="aware"):
        duty.state(datetime(2025, 10, 2))  # type: ignore[attr-defined]


def test_a_conference_without_a_head_or_spokesperson_is_flagged() -> None:
    detected = at(2025, 10, 1, 20, 30)
    c = case(detected, conference(detected + timedelta(hours=3), AttendeeRole.OTHER))
    found = findings(c)
    assert [(f.rule_id, f.field) for f in found] == [("OPINION-ATTENDANCE", "events[1].attendees")]
    assert findings(case(detected, conference(detected + timedelta(hours=3)))) == []


# -- runs, reminders, ledger, the flat value -------------------------------------------------------


def _three() -> list[OpinionCase]:
    d = at(2025, 10, 1, 20, 30)
    return [
        case(d, release(d + timedelta(hours=2)), conference(d + timedelta(hours=20)), id="A"),
        case(d, id="B"),  # nothing done
        case(d + timedelta(hours=1), grade=OpinionGrade.GENERAL, id="C"),
    ]


def test_overdue_and_due_soon_at_a_moment_most_late_first() -> None:
    now = at(2025, 10, 2, 20, 0)
    run = approaching(_three(), now, params=PARAMS, within_hours=1)
    assert [(d.case_id, d.kind) for d in run.overdue] == [("B", OpinionDutyKind.FIRST_INFO)]
    assert [(d.case_id, d.kind) for d in run.due_soon] == [("B", OpinionDutyKind.PRESS_CONFERENCE)]
    assert run.overdue[0].hours_late(now) == pytest.approx(18.5)
    later = at(2025, 10, 4, 0, 0)
    assert [(d.case_id, d.kind.code) for d in overdue(_three(), later, params=PARAMS)] == [
        ("B", "first_info"),
        ("B", "press_conference"),
        ("C", "response"),
    ]


def test_reminders_are_notifications_for_the_event_hook() -> None:
    from govdisclose.plugins import notify
    from govdisclose.testing import plugin_manager

    heard: list[object] = []

    class Listener:
        from govdisclose import hookimpl

        @hookimpl
        def govdisclose_handle_event(self, event: object) -> None:
            heard.append(event)

    pm = plugin_manager(Listener())
    now = at(2025, 10, 2, 20, 0)
    for note in reminders(_three(), now, params=PARAMS, within_hours=1):
        notify(pm, note)
    assert heard == [
        OpinionDutyOverdue(
            event_id="B",
            agency="county-eeb",
            clock=Clock.OPINION_INFO,
            duty="first_info",
            due_at=at(2025, 10, 2, 1, 30),
            hours_late=18.5,
        ),
        OpinionDeadlineApproaching(
            event_id="B",
            agency="county-eeb",
            clock=Clock.OPINION_PRESS,
            due_at=at(2025, 10, 2, 20, 30),
            hours_left=0.5,
        ),
    ]


def test_ledger_rows_have_the_documented_columns_and_states() -> None:
    rows = ledger_rows(reversed(_three()), at(2025, 10, 4), params=PARAMS)
    assert [r["case_id"] for r in rows] == ["A", "B", "C"]
    assert all(list(r) == list(LEDGER_COLUMNS) for r in rows)
    a, b, c = rows
    assert (a["first_response_state"], a["press_conference_state"]) == ("按时完成", "按时完成")
    assert a["attendees"] == "王某（新闻发言人）"
    assert (b["first_response_due"], b["press_conference_state"]) == (
        "2025-10-02 01:30",
        "已超时未完成",
    )
    # The worst of its two limits: 5 h due at 01:30 on 2 October, 46.5 hours before the check.
    assert b["hours_late"] == 46.5
    assert c["press_conference_due"] is None
    assert c["first_response_due"] == "2025-10-03 21:30"
    assert all(
        isinstance(v, str | int | float | bool | type(None)) for r in rows for v in r.values()
    )


def test_flat_gives_the_value_opinion_deadlines_reads_with_the_same_due_moments() -> None:
    d = at(2025, 10, 1, 20, 30)
    c = case(d, release(d + timedelta(hours=6)), conference(d + timedelta(hours=20)))
    old = opinion_deadlines(flat(c, params=PARAMS), params=PARAMS)
    new = by_kind(c)
    assert [x.due for x in old] == [
        new[OpinionDutyKind.FIRST_INFO].due,  # type: ignore[attr-defined]
        new[OpinionDutyKind.PRESS_CONFERENCE].due,  # type: ignore[attr-defined]
    ]
    assert [x.met for x in old] == [False, True]
    assert flat(case(d, grade=OpinionGrade.GENERAL), params=PARAMS).major is False


# -- properties ----------------------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2017, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(SHANGHAI)
)


@given(
    detected=moments,
    hours=st.integers(min_value=1, max_value=5),
    grade=st.sampled_from(OpinionGrade),
)
def test_property_due_is_detection_plus_the_hours_and_the_boundary_is_inclusive(
    detected: datetime, hours: int, grade: OpinionGrade
) -> None:
    local = PARAMS.with_overrides(
        {"opinion_authoritative_info_hours": {"values": {"2017-01-01": hours}, "metadata": REF}}
    )
    for duty in duties(case(detected, grade=grade), params=local):
        assert duty.due - duty.start == timedelta(hours=duty.hours)
        assert duty.state(duty.due) is DutyState.OPEN
        assert duty.state(duty.due + timedelta(microseconds=1)) is DutyState.OVERDUE
    first = duties(
        case(detected, release(detected + timedelta(hours=hours)), grade=grade), params=local
    )[0]
    assert first.state(detected + timedelta(days=3)) is DutyState.MET


@given(detected=moments, a=st.floats(0, 100), b=st.floats(0, 100))
def test_property_once_overdue_an_undone_limit_stays_overdue(
    detected: datetime, a: float, b: float
) -> None:
    early, late = sorted((a, b))
    for duty in duties(case(detected), params=PARAMS):
        first = duty.state(detected + timedelta(hours=early))
        second = duty.state(detected + timedelta(hours=late))
        if first is DutyState.OVERDUE:
            assert second is DutyState.OVERDUE
        assert duty.hours_late(detected + timedelta(hours=late)) >= duty.hours_late(
            detected + timedelta(hours=early)
        )
