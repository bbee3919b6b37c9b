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


MADE_UP_2027 = (
    __import__("pathlib").Path(__file__).parent / "data" / "holiday_notices" / "2027-made-up.txt"
)


def _moves_oracle(apps: list[gd.Application], old: WorkCalendar, new: WorkCalendar) -> set[str]:
    """The applications whose reply due date differs, computed directly with reply_deadline."""

    def due(app: gd.Application, cal: WorkCalendar) -> object:
        try:
            found = gd.deadlines.reply_deadline(app, params=PARAMS, calendar=cal)
        except gd.GovDiscloseError as err:
            return err.code
        return None if found is None else found.due

    return {a.id for a in apps if due(a, old) != due(a, new)}


@pytest.mark.parametrize("policy", ["strict", "provisional"])
def test_what_moved_lists_exactly_the_applications_whose_dates_moved(policy: str) -> None:
    pytest.importorskip("holidays")
    old = WorkCalendar.default(policy=policy)  # type: ignore[arg-type]
    new = old.with_notice(MADE_UP_2027)
    as_of = date(2026, 12, 31)
    apps = [_application(date(2026, 11, 2) + timedelta(days=k)) for k in range(0, 60, 2)]
    # Half of them extended by 20 working days (第三十三条第二款): due in February 2027.
    apps = [
        gd.apply(
            a,
            gd.Extended(
                on=a.events[0].on + timedelta(days=7), days=20, reason="需调档", approved_by="主任"
            ),
        )
        if k % 2 and a.events[0].on + timedelta(days=7) <= as_of
        else a
        for k, a in enumerate(apps)
    ]
    consulting = gd.apply(
        _application(date(2026, 12, 1)),
        gd.ThirdPartyConsulted(on=date(2026, 12, 28), party="某公司"),
    )
    apps.append(attrs_evolve(consulting, id="A-consulting"))
    change = daily.what_moved(apps, as_of=as_of, params=PARAMS, old_calendar=old, new_calendar=new)
    reply_moves = {m.subject_id for m in change.moves if m.clock is Clock.REPLY}
    received = [a for a in apps if a.receipt_date and a.receipt_date <= as_of]
    assert reply_moves == _moves_oracle(received, old, new)
    assert reply_moves  # the made-up Spring Festival (2/5-2/12, 2/20 worked) moves some
    # Applications due before 2027 never move.
    for move in change.moves:
        assert move.new_due is not None
        assert not move.new_provisional  # every 2027 day is final now
        assert move.old_due is None or move.old_due >= date(2026, 12, 22)
    if policy == "strict":
        assert all(m.old_problem for m in change.moves if m.clock is Clock.REPLY)
        assert "无法计算" in change.explain()
    else:
        assert all(m.old_provisional for m in change.moves)
        assert "（暂定） →" in change.explain()
    # The third party's own window is recomputed too (not kept from the old calendar):
    # 15 WD from 12/28: 12/29-31 (1-3), 1/4-8 (4-8), 1/11-15 (9-13), 1/18-19 (14-15).
    window = [m for m in change.moves if m.clock is Clock.THIRD_PARTY]
    if policy == "strict":
        assert [(m.subject_id, m.party, m.new_due) for m in window] == [
            ("A-consulting", "某公司", date(2027, 1, 19))
        ]
        assert window[0].old_problem
    else:  # provisional and final agree on January: confirmed, not moved
        assert window == []
        assert ("A-consulting", Clock.THIRD_PARTY, date(2027, 1, 19)) in {
            (m.subject_id, m.clock, m.new_due) for m in change.confirmed
        }


def attrs_evolve(app: gd.Application, **changes: object) -> gd.Application:
    import attrs

    return attrs.evolve(app, **changes)  # type: ignore[misc]


def test_what_moved_by_hand() -> None:
    """Received 2027-01-20 (made up for the test: the clock runs into the made-up Spring
    Festival). Provisional (statutory days only): 春节 2/5 除夕, 2/6-2/8, 补假 2/9-2/10 → off
    2/5, 2/8-2/10 on weekdays. Made-up notice: 2/5-2/12 off, 2/20 (Sat) worked."""
    pytest.importorskip("holidays")
    old = WorkCalendar.default(policy="provisional")
    new = old.with_notice(MADE_UP_2027)
    app = _application(date(2027, 1, 20))
    # Provisional: 1/21-22 (1-2), 1/25-29 (3-7), 2/1-4 (8-11), 2/11-12 (12-13), 2/15-19 (14-18),
    # 2/22-23 (19-20) → 2/23.  Notice: 1/21-22 (1-2), 1/25-29 (3-7), 2/1-4 (8-11),
    # 2/15-19 (12-16), 2/20 Sat (17), 2/22-24 (18-20) → 2/24.
    change = daily.what_moved(
        [app], as_of=date(2027, 1, 20), params=PARAMS, old_calendar=old, new_calendar=new
    )
    [move] = [m for m in change.moves if m.clock is Clock.REPLY]
    assert (move.old_due, move.new_due) == (date(2027, 2, 23), date(2027, 2, 24))
    assert move.old_provisional
    assert not move.new_provisional
    assert "2027-02-23（暂定） → 2027-02-24，推后1天" in move.describe()
