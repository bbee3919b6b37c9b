"""The daily job in December: next year's holidays are not published yet, the job never breaks.

The documented job (docs/integrators/embedding.md, "The daily job") run on a store with
applications received on 2026-11-20 (due in 2026), 2026-12-04 and 2026-12-20 (due in 2027,
after the shipped holiday data ends) as of several December days, under both calendar policies.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

import govdisclose as gd
from govdisclose import daily
from govdisclose.calendar import WorkCalendar
from govdisclose.deadlines import Clock, ClockState, approaching
from govdisclose.notifications import DeadlineApproaching
from govdisclose.params import ParameterSet
from govdisclose.plugins import Settings, make_plugin_manager, open_store
from govdisclose.vocab import InquiryKind

PARAMS = ParameterSet.default()
RECEIPTS = (date(2026, 11, 20), date(2026, 12, 4), date(2026, 12, 20))
SHANGHAI = gd.deadlines.SHANGHAI


def _application(received: date) -> gd.Application:
    app = gd.Application(
        id=f"A-{received.isoformat()}",
        agency="city-gov",
        applicant=gd.Applicant(type=gd.ApplicantType.NATURAL_PERSON, name="张三"),
        channel=gd.Channel.IN_PERSON,
        request="请公开某某项目的环评批复",
    )
    return gd.apply(app, gd.Received(on=received))


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: object) -> object:
    url = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path}/gd.db"
    st = open_store(Settings(store_url=url), make_plugin_manager())
    st.put_agency(gd.Agency(code="city-gov", name="某市人民政府", level=gd.AgencyLevel.CITY))
    for day in RECEIPTS:
        st.create_application(_application(day))
    yield st
    st.close()


def _job(store: object, today: date, calendar: WorkCalendar) -> daily.DailyCheck:
    """The daily job exactly as the embedding guide writes it."""
    return daily.check(
        store.applications(open_on=today),  # type: ignore[attr-defined]
        as_of=today,
        params=PARAMS,
        calendar=calendar,
        records=store.records(),  # type: ignore[attr-defined]
    )


def _reply(run: daily.DailyCheck, app_id: str) -> daily.ClockCheck | None:
    return next((c for c in run.checks if c.subject_id == app_id and c.clock is Clock.REPLY), None)


@pytest.mark.parametrize("today", [date(2026, 12, 4), date(2026, 12, 15), date(2026, 12, 21)])
def test_strict_reports_the_first_and_a_problem_for_the_others(store: object, today: date) -> None:
    run = _job(store, today, WorkCalendar.default(policy="strict"))
    first = _reply(run, "A-2026-11-20")
    assert first is not None
    assert first.due == date(2026, 12, 18)  # 20 WD: 11/23-27, 11/30-12/4, 12/7-11, 12/14-18
    assert not first.provisional
    received = [d for d in RECEIPTS[1:] if d <= today]
    assert sorted(p.subject_id for p in run.problems if p.clock is Clock.REPLY) == [
        f"A-{d.isoformat()}" for d in received
    ]
    for problem in run.problems:
        assert problem.year == 2027
        assert problem.code == "calendar.data_missing"
        assert "2027年" in problem.advice_zh
    assert "缺少2027年的节假日数据" in run.summary()


@pytest.mark.parametrize("today", [date(2026, 12, 4), date(2026, 12, 15), date(2026, 12, 21)])
def test_provisional_reports_every_application_marked(store: object, today: date) -> None:
    pytest.importorskip("holidays")
    cal = WorkCalendar.default(policy="provisional")
    run = _job(store, today, cal)
    assert run.problems == ()
    first = _reply(run, "A-2026-11-20")
    assert first is not None
    assert first.due == date(2026, 12, 18)
    for day in RECEIPTS[1:]:
        if day > today:
            assert _reply(run, f"A-{day.isoformat()}") is None  # not received yet
            continue
        check = _reply(run, f"A-{day.isoformat()}")
        assert check is not None
        assert check.provisional
        assert check.due is not None
        assert check.due.year == 2027
        assert check.assumption == cal.provisional_assumption
        assert "（暂定）" in check.describe()
    assert "暂定" in run.summary()


def test_the_first_is_reminded_on_the_due_soon_days(store: object) -> None:
    cal = WorkCalendar.default()
    found = approaching(
        store.applications(open_on=date(2026, 12, 16)),  # type: ignore[attr-defined]
        date(2026, 12, 16),
        params=PARAMS,
        calendar=cal,
    )
    replies = [n for n in found if isinstance(n, DeadlineApproaching) and n.clock is Clock.REPLY]
    assert [(n.application_id, n.due, n.working_days_left) for n in replies] == [
        ("A-2026-11-20", date(2026, 12, 18), 2)
    ]
    assert [p.subject_id for p in found.problems] == ["A-2026-12-04"]


def test_every_clock_is_reminded_with_its_kind() -> None:
    """Correction notice, fee payment, a third party's window, a record, an inquiry, and an
    opinion event's hours, each labelled."""
    cal = WorkCalendar.default()
    base = _application(date(2026, 3, 2))
    consulting = gd.apply(base, gd.ThirdPartyConsulted(on=date(2026, 3, 3), party="某公司"))
    fee = gd.apply(
        _application(date(2026, 3, 3)),
        gd.FeeNotified(
            on=date(2026, 3, 4), amount=100, method=gd.FeeMethod.PER_VOLUME, quantity=200
        ),
    )
    record = gd.Record(
        id="R-1",
        title="某某通知",
        agency="city-gov",
        formed_on=date(2026, 2, 27),
        decisions=(
            gd.AttributeDecision(
                attribute=gd.DisclosureAttribute.PROACTIVE,
                decided_by="办公室",
                decided_on=date(2026, 2, 27),
            ),
        ),
    )
    inquiry = gd.Inquiry(
        id="Q-1", agency="city-gov", kind=InquiryKind.GENERAL, received_on=date(2026, 3, 6)
    )
    opinion = gd.OpinionEvent(
        id="O-1",
        agency="city-gov",
        detected_at=datetime(2026, 3, 11, 6, 0, tzinfo=SHANGHAI),
        major=True,
    )
    now = datetime(2026, 3, 11, 9, 30, tzinfo=SHANGHAI)
    run = daily.check(
        [base, consulting, fee],
        as_of=date(2026, 3, 11),
        params=PARAMS,
        calendar=cal,
        records=[record],
        inquiries=[inquiry],
        opinions=[opinion],
        now=now,
    )
    kinds = {(c.subject, c.subject_id, c.clock) for c in run.checks}
    assert ("application", base.id, Clock.CORRECTION_NOTICE) in kinds  # due 3/11
    assert ("application", fee.id, Clock.FEE_PAYMENT) in kinds
    assert ("application", consulting.id, Clock.THIRD_PARTY) in kinds
    assert ("record", "R-1", Clock.PROACTIVE) in kinds
    assert ("inquiry", "Q-1", Clock.INQUIRY) in kinds
    assert ("opinion", "O-1", Clock.OPINION_INFO) in kinds
    assert ("opinion", "O-1", Clock.OPINION_PRESS) in kinds
    info = next(c for c in run.checks if c.clock is Clock.OPINION_INFO)
    assert info.due_at == datetime(2026, 3, 11, 11, 0, tzinfo=SHANGHAI)
    assert info.hours_left == 1.5
    assert info.state is ClockState.DUE_SOON
    correction = next(c for c in run.checks if c.clock is Clock.CORRECTION_NOTICE)
    assert correction.due == date(2026, 3, 11)
    assert correction.state is ClockState.DUE_SOON
    party = next(c for c in run.checks if c.clock is Clock.THIRD_PARTY)
    assert party.party == "某公司"
    assert party.due == cal.add_working_days(date(2026, 3, 3), 15)
    rec = next(c for c in run.checks if c.subject == "record")
    # 2/28 (Sat, 调休上班) is day 1; 3/2-6 (2-6), 3/9-13 (7-11), 3/16-20 (12-16), 3/23-26 (17-20).
    assert (rec.due, rec.state) == (date(2026, 3, 26), ClockState.PENDING)
    inq = next(c for c in run.checks if c.subject == "inquiry")
    assert (inq.due, inq.state, inq.working_days_left) == (
        date(2026, 3, 13),
        ClockState.DUE_SOON,
        2,
    )
    reminders = run.reminders()
    assert {type(r).__name__ for r in reminders} >= {
        "DeadlineApproaching",
        "InquiryDeadlineApproaching",
        "OpinionDeadlineApproaching",
    }


def test_opinion_clocks_need_an_aware_now() -> None:
    opinion = gd.OpinionEvent(
        id="O-1",
        agency="city-gov",
        detected_at=datetime(2026, 3, 11, 6, 0, tzinfo=SHANGHAI),
        major=True,
    )
    with pytest.raises(gd.ValidationError) as err:
        daily.check(
            as_of=date(2026, 3, 11),
            params=PARAMS,
            calendar=WorkCalendar.default(),
            opinions=[opinion],
        )
    assert err.value.field == "now"
    run = daily.check(
        as_of=datetime(2026, 3, 11, 12, 0, tzinfo=SHANGHAI),
        params=PARAMS,
        calendar=WorkCalendar.default(),
        opinions=[opinion],
    )
    assert [c.state for c in run.checks] == [ClockState.OVERDUE, ClockState.PENDING]
    assert run.checks[0].hours_left == -1.0
    assert "已超时 1.0 小时" in run.checks[0].describe()


def test_a_closed_application_has_no_open_clock() -> None:
    app = gd.apply(
        _application(date(2026, 3, 2)),
        gd.Replied(on=date(2026, 3, 5), outcome=gd.Outcome.DISCLOSED),
    )
    run = daily.check([app], as_of=date(2026, 3, 6), params=PARAMS, calendar=WorkCalendar.default())
    assert run.checks == ()
    assert run.items == 1


def test_overdue_first_then_by_due_date() -> None:
    apps = [_application(date(2026, 3, 2) + timedelta(days=k)) for k in range(0, 30, 3)]
    run = daily.check(apps, as_of=date(2026, 4, 10), params=PARAMS, calendar=WorkCalendar.default())
    states = [c.state for c in run.checks if c.clock is Clock.REPLY]
    assert states == sorted(states, key=lambda s: s is not ClockState.OVERDUE)
    late = [c.working_days_late for c in run.overdue]
    assert late == sorted(late, reverse=True)
