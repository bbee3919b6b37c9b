"""The deadline engine: golden cases computed by hand, properties, batch = scalar, recompute."""

from __future__ import annotations

import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from govdisclose import errors
from govdisclose.calendar import CalendarOverrides, WorkCalendar
from govdisclose.deadlines import (
    SHANGHAI,
    Clock,
    ClockState,
    ClockStatus,
    Deadline,
    StepKind,
    correction_notice_deadline,
    fee_payment_deadline,
    inquiry_deadline,
    inquiry_status,
    opinion_deadlines,
    proactive_deadline,
    proactive_status,
    recompute,
    reply_deadline,
    reply_status,
    reply_status_many,
    third_party_deadlines,
)
from govdisclose.model import (
    Applicant,
    Application,
    AttributeDecision,
    CorrectionReceived,
    CorrectionRequested,
    Event,
    Extended,
    FeeNotified,
    Inquiry,
    OpinionEvent,
    Publication,
    Received,
    Record,
    Replied,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    Withdrawn,
)
from govdisclose.params import ParameterSet
from govdisclose.serde import structure
from govdisclose.vocab import (
    ApplicantType,
    Channel,
    DisclosureAttribute,
    FeeMethod,
    InquiryKind,
    Outcome,
    PublicationChannel,
)

GOLDEN = tomllib.loads(
    (Path(__file__).parent / "data" / "golden_deadlines.toml").read_text(encoding="utf-8")
)["case"]
PARAMS = ParameterSet.default()
CAL = WorkCalendar.default()
REF = {"reference": {"regulation": "某省信息处理费实施办法", "article": "第八条"}}


def _app(
    received: date,
    events: tuple[Event, ...] = (),
    *,
    channel: Channel = Channel.IN_PERSON,
    confirmed: date | None = None,
    ident: str = "A1",
) -> Application:
    return Application(
        id=ident,
        agency="某局",
        applicant=Applicant(type=ApplicantType.NATURAL_PERSON, name="张三"),
        channel=channel,
        request="某项目的环评批复",
        events=(Received(on=received, confirmed_on=confirmed), *events),
    )


def _record(formed: date, published: date | None = None) -> Record:
    decision = AttributeDecision(
        attribute=DisclosureAttribute.PROACTIVE, decided_by="办公室", decided_on=formed
    )
    pubs: tuple[Publication, ...] = ()
    if published is not None:
        at = datetime(published.year, published.month, published.day, 10, tzinfo=SHANGHAI)
        pubs = (
            Publication(publisher="门户网站", channel=PublicationChannel.PORTAL, published_at=at),
        )
    return Record(
        id="R1",
        title="某通知",
        agency="某局",
        formed_on=formed,
        decisions=(decision,),
        publications=pubs,
    )


def _event(data: dict[str, Any]) -> Event:
    event: Event = structure(data, Event)  # type: ignore[arg-type]
    return event


def _params(case: dict[str, Any]) -> ParameterSet:
    overrides = case.get("overrides")
    if not overrides:
        return PARAMS
    source = {
        # From the parameter's last shipped date, so no shipped value takes over after it.
        name: {"values": {PARAMS[name].values[-1].since: value}, "metadata": REF}
        for name, value in overrides.items()
    }
    return PARAMS.with_overrides(source)


def _golden_deadline(case: dict[str, Any], params: ParameterSet, cal: WorkCalendar) -> Any:
    clock = case["clock"]
    if clock == "proactive":
        return proactive_deadline(_record(case["received"]), params=params, calendar=cal)
    if clock == "inquiry":
        inquiry = Inquiry(
            id="Q1",
            agency="某局",
            kind=InquiryKind.from_code(case["kind"]),
            received_on=case["received"],
            forwarding_levels=case.get("forwarding_levels", 0),
        )
        return inquiry_deadline(inquiry, params=params, calendar=cal)
    events: tuple[Event, ...] = tuple(_event(e) for e in case.get("events", ()))
    app = _app(
        case["received"],
        events,
        channel=Channel.from_code(case["channel"]),
        confirmed=case.get("confirmed"),
    )
    if clock == "correction_notice":
        return correction_notice_deadline(app, params=params, calendar=cal)
    if "as_of" in case:
        return reply_status(app, case["as_of"], params=params, calendar=cal)
    return reply_deadline(app, params=params, calendar=cal)


@pytest.mark.parametrize("case", GOLDEN, ids=[c["name"] for c in GOLDEN])
def test_golden(case: dict[str, Any]) -> None:
    cal = WorkCalendar.default(policy=case.get("calendar", "strict"))
    params = _params(case)
    if "error" in case:
        with pytest.raises(getattr(errors, case["error"])):
            _golden_deadline(case, params, cal)
        return
    result = _golden_deadline(case, params, cal)
    if "state" in case:
        assert result.state.value == case["state"], case["hand"]
        assert result.due == case.get("due"), case["hand"]
        return
    assert isinstance(result, Deadline)
    assert result.due == case["due"], case["hand"]
    assert case["article"] in {c.article for c in result.legal_basis}
    assert result.provisional is case.get("provisional", False)
    assert result.calendar_version == cal.version
    if "paused_working_days" in case:
        excluded = -sum(s.days for s in result.steps if s.kind is StepKind.PAUSE)
        assert excluded == case["paused_working_days"], case["hand"]
    assert result.due.isoformat() in result.explain()


def test_explain_names_the_holiday_and_makeup_days() -> None:
    deadline = reply_deadline(_app(date(2025, 1, 24)), params=PARAMS, calendar=CAL)
    assert deadline is not None
    text = deadline.explain()
    assert "2025-01-26：周日为调休上班日" in text
    assert "2025-01-28至2025-02-04：春节放假8天" in text
    assert "第三十三条" in text
    assert CAL.version in text
    kinds = [s.kind for s in deadline.steps]
    assert kinds[0] is StepKind.START
    assert kinds[-1] is StepKind.DUE


def test_explain_shows_pause_and_extension() -> None:
    events: tuple[Event, ...] = (
        ThirdPartyConsulted(on=date(2025, 9, 24), party="某公司"),
        ThirdPartyReplied(on=date(2025, 10, 15), party="某公司"),
        Extended(on=date(2025, 10, 20), days=25, reason="需调档", approved_by="主任"),
    )
    deadline = reply_deadline(_app(date(2025, 9, 15), events), params=PARAMS, calendar=CAL)
    assert deadline is not None
    text = deadline.explain()
    assert "征求第三方意见" in text
    # The sending day (9/24) counts (民法典 第二百零一条): 11 working days excluded, not 12.
    assert "2025-09-25至2025-10-15：征求第三方意见" in text
    assert "11个工作日不计入期限" in text
    assert "发出当日仍计入答复期限" in text
    assert "按20个工作日计算" in text  # clamped
    assert deadline.extension_days == 20
    assert deadline.due == CAL.add_working_days(date(2025, 11, 3), 20)
    assert {c.article for c in deadline.legal_basis} >= {"第三十三条"}


def test_receipt_after_as_of_is_not_started() -> None:
    status = reply_status(_app(date(2025, 3, 3)), date(2025, 3, 1), params=PARAMS, calendar=CAL)
    assert status.state is ClockState.NOT_STARTED
    assert status.due is None


def test_events_after_as_of_are_ignored() -> None:
    app = _app(date(2025, 1, 24), (Replied(on=date(2025, 2, 20), outcome=Outcome.DISCLOSED),))
    before = reply_status(app, date(2025, 2, 19), params=PARAMS, calendar=CAL)
    after = reply_status(app, date(2025, 2, 20), params=PARAMS, calendar=CAL)
    assert before.state is ClockState.PENDING
    assert before.working_days_left == 6
    assert after.state is ClockState.MET


def test_withdrawn_application_ends_the_clock() -> None:
    app = _app(date(2025, 1, 24), (Withdrawn(on=date(2025, 2, 6)),))
    status = reply_status(app, date(2025, 3, 10), params=PARAMS, calendar=CAL)
    assert status.state is ClockState.ENDED


def test_missed_counts_working_days_late() -> None:
    app = _app(date(2025, 1, 24), (Replied(on=date(2025, 3, 3), outcome=Outcome.DISCLOSED),))
    status = reply_status(app, date(2025, 3, 10), params=PARAMS, calendar=CAL)
    assert status.state is ClockState.MISSED
    assert status.working_days_late == 2


def test_overdue_is_decided_by_shanghai_date() -> None:
    app = _app(date(2025, 1, 24))
    # 2025-02-27 17:00 UTC is already 2025-02-28 01:00 in Shanghai: the due day has passed.
    late_utc = datetime(2025, 2, 27, 17, 0, tzinfo=ZoneInfo("UTC"))
    assert reply_status(app, late_utc, params=PARAMS, calendar=CAL).state is ClockState.OVERDUE
    early_utc = datetime(2025, 2, 27, 15, 0, tzinfo=ZoneInfo("UTC"))
    assert reply_status(app, early_utc, params=PARAMS, calendar=CAL).state is ClockState.DUE_SOON
    with pytest.raises(errors.ValidationError, match="as_of"):
        reply_status(app, datetime(2025, 2, 27, 15), params=PARAMS, calendar=CAL)


def test_reply_deadline_none_when_awaiting_correction() -> None:
    app = _app(date(2025, 3, 3), (CorrectionRequested(on=date(2025, 3, 5), items="名称"),))
    assert reply_deadline(app, params=PARAMS, calendar=CAL) is None
    restarted = _app(
        date(2025, 3, 3),
        (
            CorrectionRequested(on=date(2025, 3, 5), items="名称"),
            CorrectionReceived(on=date(2025, 3, 20)),
        ),
    )
    deadline = reply_deadline(restarted, params=PARAMS, calendar=CAL)
    assert deadline is not None
    assert deadline.start == date(2025, 3, 20)
    assert any(
        s.kind is StepKind.RESTART and "第三十条" in (s.article or "") for s in deadline.steps
    )


def test_correction_notice_does_not_exist_under_2008_text() -> None:
    app = _app(date(2019, 5, 14))
    assert correction_notice_deadline(app, params=PARAMS, calendar=CAL) is None


def test_third_party_and_fee_deadlines() -> None:
    events: tuple[Event, ...] = (
        ThirdPartyConsulted(on=date(2025, 3, 10), party="某公司"),
        ThirdPartyConsulted(on=date(2025, 3, 11), party="某局", is_agency=True),
    )
    found = third_party_deadlines(_app(date(2025, 3, 3), events), params=PARAMS, calendar=CAL)
    assert [d.clock for d in found] == [Clock.THIRD_PARTY, Clock.CO_PRODUCER]
    assert found[0].due == date(2025, 3, 31)
    assert found[1].legal_basis[0].article == "第三十四条"
    notice = FeeNotified(
        on=date(2025, 3, 10), amount="100", method=FeeMethod.PER_APPLICATION, quantity=11
    )
    fee_app = _app(date(2025, 3, 3), (notice,))
    fee = fee_payment_deadline(fee_app, params=PARAMS, calendar=CAL)
    assert fee is not None
    assert fee.due == date(2025, 4, 8)  # 3/11-14(4) 3/17-21(9) 3/24-28(14) 3/31-4/3(18) 4/7-8(20)


def test_proactive_status() -> None:
    record = _record(date(2025, 9, 26), published=date(2025, 10, 31))
    status = proactive_status(record, date(2025, 11, 10), params=PARAMS, calendar=CAL)
    assert status.state is ClockState.MISSED
    assert status.working_days_late == 1
    not_proactive = Record(id="R2", title="x", agency="某局", formed_on=date(2025, 1, 1))
    assert proactive_deadline(not_proactive, params=PARAMS, calendar=CAL) is None
    assert (
        proactive_status(not_proactive, date(2025, 3, 1), params=PARAMS, calendar=CAL).state
        is ClockState.NOT_STARTED
    )


def test_inquiry_extension_and_status() -> None:
    complaint = Inquiry(
        id="Q",
        agency="某局",
        kind=InquiryKind.COMPLAINT,
        received_on=date(2025, 3, 3),
        extended=True,
        answered_on=date(2025, 4, 1),
    )
    deadline = inquiry_deadline(complaint, params=PARAMS, calendar=CAL)
    assert deadline.counted_days == 30
    assert inquiry_status(complaint, date(2025, 4, 2), params=PARAMS, calendar=CAL).state is (
        ClockState.MET
    )


def test_opinion_deadlines_are_aware_shanghai_datetimes() -> None:
    detected = datetime(2025, 6, 1, 22, 30, tzinfo=ZoneInfo("UTC"))  # 06:30 on 6/2 in Shanghai
    event = OpinionEvent(
        id="O1",
        agency="某局",
        detected_at=detected,
        major=True,
        authoritative_info_at=datetime(2025, 6, 2, 12, 0, tzinfo=SHANGHAI),
    )
    info, press = opinion_deadlines(event, params=PARAMS)
    assert info.due == datetime(2025, 6, 2, 11, 30, tzinfo=SHANGHAI)
    assert info.due.tzinfo is SHANGHAI
    assert info.met is False
    assert press.due == datetime(2025, 6, 3, 6, 30, tzinfo=SHANGHAI)
    assert press.met is None
    assert "国办发〔2016〕80号" in info.legal_basis[0].regulation
    minor = OpinionEvent(id="O2", agency="某局", detected_at=detected)
    assert opinion_deadlines(minor, params=PARAMS) == ()


def test_recompute_reports_what_moved_and_why() -> None:
    old = reply_deadline(_app(date(2025, 1, 24)), params=PARAMS, calendar=CAL)
    other = reply_deadline(_app(date(2025, 6, 2)), params=PARAMS, calendar=CAL)
    assert old is not None
    assert other is not None
    new_cal = CAL.with_overrides(
        CalendarOverrides(
            name="地方节日", source="某自治区通知", holidays=frozenset({date(2025, 2, 20)})
        )
    )
    report = recompute([("A1", old), ("A2", other)], new_cal, old_calendar=CAL)
    assert report.unchanged == 1
    (move,) = report.moves
    assert (move.key, move.old_due, move.new_due) == ("A1", date(2025, 2, 27), date(2025, 2, 28))
    assert move.working_days == 1
    assert move.calendar_days == 1
    assert [c.day for c in move.changed_days] == [date(2025, 2, 20)]
    assert "2025-02-20改为休息日" in report.explain()
    assert move.deadline.calendar_version == new_cal.version
    with pytest.raises(errors.CalendarError, match="A1"):
        recompute([("A1", move.deadline)], CAL, old_calendar=CAL)


def test_recompute_lists_provisional_first() -> None:
    prov = WorkCalendar.default(policy="provisional")
    late = reply_deadline(_app(date(2026, 12, 15)), params=PARAMS, calendar=prov)
    early = reply_deadline(_app(date(2026, 1, 5)), params=PARAMS, calendar=prov)
    assert late is not None
    assert early is not None
    assert late.provisional
    assert not early.provisional
    # A notice for 2027 that makes 2027-01-04 a holiday and adds the 2026-12-21 ... moves both.
    new_cal = prov.with_overrides(
        CalendarOverrides(
            name="测试",
            source="测试",
            holidays=frozenset({date(2026, 1, 6), date(2027, 1, 4)}),
        )
    )
    report = recompute({"early": early, "late": late}, new_cal, old_calendar=prov)
    assert [m.key for m in report.moves] == ["late", "early"]
    assert report.moves[0].was_provisional


# -- properties -------------------------------------------------------------------------------

_days = st.dates(min_value=date(2019, 5, 15), max_value=date(2026, 9, 30))


@st.composite
def _pauses(draw: st.DrawFn) -> tuple[date, tuple[Event, ...]]:
    received = draw(_days)
    events: list[Event] = []
    day = received
    for i in range(draw(st.integers(0, 3))):
        day = day + timedelta(days=draw(st.integers(0, 10)))
        reply = day + timedelta(days=draw(st.integers(0, 20)))
        events.append(ThirdPartyConsulted(on=day, party=f"P{i}"))
        events.append(ThirdPartyReplied(on=reply, party=f"P{i}"))
    events.sort(key=lambda e: e.on)
    return received, tuple(events)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_pauses())
def test_pauses_never_shorten_a_deadline(case: tuple[date, tuple[Event, ...]]) -> None:
    received, events = case
    plain = reply_deadline(_app(received), params=PARAMS, calendar=CAL)
    paused = reply_deadline(_app(received, events), params=PARAMS, calendar=CAL)
    assert plain is not None
    assert paused is not None
    assert paused.due >= plain.due
    excluded = -sum(s.days for s in paused.steps if s.kind is StepKind.PAUSE)
    counted = CAL.working_days_between(received, paused.due) - excluded
    assert counted == paused.counted_days


@settings(max_examples=150, deadline=None)
@given(_days, st.integers(0, 60))
def test_later_receipt_never_gives_an_earlier_due_date(first: date, gap: int) -> None:
    second = first + timedelta(days=gap)
    a = reply_deadline(_app(first), params=PARAMS, calendar=CAL)
    b = reply_deadline(_app(second), params=PARAMS, calendar=CAL)
    assert a is not None
    assert b is not None
    assert b.due >= a.due


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=date(2018, 1, 1), max_value=date(2026, 9, 30)), st.integers(-5, 60))
def test_status_is_consistent_with_due(received: date, offset: int) -> None:
    app = _app(received)
    deadline = reply_deadline(app, params=PARAMS, calendar=CAL)
    assert deadline is not None
    as_of = deadline.due + timedelta(days=offset)
    status = reply_status(app, as_of, params=PARAMS, calendar=CAL)
    if as_of < received:
        assert status.state is ClockState.NOT_STARTED
        return
    assert status.due == deadline.due
    if as_of > deadline.due:
        assert status.state is ClockState.OVERDUE
        assert status.working_days_late == CAL.working_days_between(deadline.due, as_of)
    else:
        assert status.state in (ClockState.PENDING, ClockState.DUE_SOON)
        assert status.working_days_left == CAL.working_days_between(as_of, deadline.due)
        assert (status.state is ClockState.DUE_SOON) == (status.working_days_left <= 3)


# -- batch ------------------------------------------------------------------------------------


def _population() -> list[Application]:
    from govdisclose.synthetic import generate_applications

    return list(generate_applications("某局", 2025, 3000, seed=7))


def test_batch_equals_scalar() -> None:
    apps = _population()
    extra = [
        _app(
            date(2025, 4, 21),
            (Extended(on=date(2025, 5, 22), days=20, reason="r", approved_by="a"),),
        ),
        _app(
            date(2025, 4, 21),
            (Extended(on=date(2025, 5, 15), days=30, reason="r", approved_by="a"),),
        ),
        _app(date(2025, 9, 26), channel=Channel.ONLINE, confirmed=date(2025, 9, 28)),
    ]
    apps += extra
    for as_of in (date(2025, 3, 15), date(2025, 7, 1), date(2026, 1, 10)):
        batch = reply_status_many(apps, as_of, params=PARAMS, calendar=CAL)
        assert len(batch) == len(apps)
        for i, app in enumerate(apps):
            one = reply_status(app, as_of, params=PARAMS, calendar=CAL)
            got = batch[i]
            assert (got.state, got.due, got.working_days_left, got.working_days_late) == (
                one.state,
                one.due,
                one.working_days_left,
                one.working_days_late,
            ), app.id
            assert got.provisional == one.provisional
        assert sum(batch.counts().values()) == len(apps)


# Arbitrary histories for the batch: any event kinds, dates around the receipt in or out of
# order, parties that were or were not consulted, extensions asked before or after the due date.
# The receipt windows cross the 2019-05-15 regime change (2008 text: no consultation window),
# the 2021-01-01 start of the fee parameters, and late 2026, where the calendar is provisional.
_RECEIPT_WINDOWS = (
    (date(2019, 3, 20), date(2019, 6, 30)),
    (date(2020, 11, 15), date(2021, 2, 15)),
    (date(2025, 3, 1), date(2025, 4, 30)),
    (date(2026, 11, 1), date(2026, 12, 20)),
)
_PARTIES = ("甲公司", "乙局")


def _any_event(kind: int, on: date, party: str, flag: bool, days: int) -> Event:
    from govdisclose.model import (
        CorrectionReceived,
        DeemedWithdrawn,
        FeePaid,
        ReviewCaseFiled,
        Transferred,
    )
    from govdisclose.vocab import ReviewCaseKind, WithdrawalCause

    makers: tuple[Any, ...] = (
        lambda: CorrectionRequested(on=on, items="请明确"),
        lambda: CorrectionReceived(on=on),
        lambda: ThirdPartyConsulted(on=on, party=party, is_agency=flag),
        lambda: ThirdPartyReplied(on=on, party=party, consents=flag),
        lambda: FeeNotified(on=on, amount=100, method=FeeMethod.PER_VOLUME, quantity=1),
        lambda: FeePaid(on=on, amount=100),
        lambda: Extended(on=on, days=days, reason="需调档", approved_by="主任"),
        lambda: Replied(on=on, outcome=Outcome.DISCLOSED),
        lambda: Withdrawn(on=on),
        lambda: DeemedWithdrawn(on=on, cause=WithdrawalCause.NO_CORRECTION),
        lambda: Transferred(on=on, to="某处"),
        lambda: ReviewCaseFiled(on=on, case_id="复1", case_kind=ReviewCaseKind.RECONSIDERATION),
        lambda: Received(on=on),
    )
    event: Event = makers[kind]()
    return event


@st.composite
def _any_application(draw: st.DrawFn) -> Application:
    lo, hi = draw(st.sampled_from(_RECEIPT_WINDOWS))
    received = draw(st.dates(lo, hi))
    count = draw(st.integers(0, 6))
    # Common shapes most of the time (consultation, reply), anything else sometimes.
    kinds = st.sampled_from((2, 3, 7, 6, 10)) | st.integers(0, 12)
    events = [
        _any_event(
            draw(kinds),
            received + timedelta(days=draw(st.integers(-3, 80))),
            draw(st.sampled_from(_PARTIES)),
            draw(st.booleans()),
            draw(st.sampled_from((5, 20, 30))),
        )
        for _ in range(count)
    ]
    if draw(st.booleans()):
        events.sort(key=lambda e: e.on)
    first: tuple[Event, ...] = ()
    shape = draw(st.integers(0, 19))
    if shape > 1:
        confirmed = draw(st.none() | st.integers(0, 3).map(lambda k: received + timedelta(k)))
        first = (Received(on=received, confirmed_on=confirmed),)
    elif shape == 1:  # no receipt event first: never started
        first = (Replied(on=received, outcome=Outcome.DISCLOSED),)
    return Application(
        id="A",
        agency="某局",
        applicant=Applicant(type=ApplicantType.NATURAL_PERSON, name="张三"),
        channel=draw(st.sampled_from(Channel)),
        request="某项目",
        events=(*first, *events) if shape else (),
    )


_FEE_PAUSES = PARAMS.with_overrides(
    {
        "fee_pauses_reply_clock": {
            "values": {PARAMS["fee_pauses_reply_clock"].values[0].since: True},
            "metadata": REF,
        }
    }
)
_PROVISIONAL = WorkCalendar.default(policy="provisional")


def _scalar_or_error(
    app: Application, as_of: date, params: ParameterSet, cal: WorkCalendar
) -> ClockStatus | errors.GovDiscloseError:
    try:
        return reply_status(app, as_of, params=params, calendar=cal)
    except errors.GovDiscloseError as err:
        return err


def _assert_batch_equals_scalar(
    apps: list[Application], as_of: date, params: ParameterSet, cal: WorkCalendar
) -> None:
    batch = reply_status_many(apps, as_of, params=params, calendar=cal)
    assert len(batch) == len(apps)
    problems = {p.index: p for p in batch.problems}
    for i, app in enumerate(apps):
        got = batch[i]
        one = _scalar_or_error(app, as_of, params, cal)
        if isinstance(one, errors.GovDiscloseError):
            # The scalar path raises exactly for the items the batch reports as problems.
            assert got.state is ClockState.UNDETERMINED, (i, app.events, one)
            assert problems[i].code == one.code
            assert problems[i].subject_id == app.id
            continue
        assert i not in problems, (i, app.events, problems.get(i))
        assert (
            got.state,
            got.due,
            got.working_days_left,
            got.working_days_late,
            got.provisional,
        ) == (
            one.state,
            one.due,
            one.working_days_left,
            one.working_days_late,
            one.provisional,
        ), (i, app.events)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_any_application(), min_size=1, max_size=12),
    st.integers(0, 11),
    st.integers(-10, 120),
    st.booleans(),
)
def test_batch_equals_scalar_on_any_history(
    apps: list[Application], pick: int, offset: int, fee_pauses: bool
) -> None:
    """Batch = scalar for any history the model accepts, also ones the lifecycle would refuse
    (events out of date order, replies from parties never consulted, two closings): the
    columns, the cut at as_of, the one-consultation arrays and the one-by-one path all agree."""
    receipts = [a.events[0].on for a in apps if a.events] or [date(2025, 3, 1)]
    as_of = receipts[pick % len(receipts)] + timedelta(days=offset)
    _assert_batch_equals_scalar(apps, as_of, _FEE_PAUSES if fee_pauses else PARAMS, _PROVISIONAL)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_any_application(), min_size=1, max_size=12),
    st.integers(0, 11),
    st.integers(-10, 120),
    st.booleans(),
)
def test_batch_equals_scalar_past_the_data(
    apps: list[Application], pick: int, offset: int, fee_pauses: bool
) -> None:
    """With the strict calendar, an item whose clock reaches a year without holiday data is an
    item problem in the batch exactly where the scalar path raises; every other item is
    computed as before (no batch fails for one item)."""
    receipts = [a.events[0].on for a in apps if a.events] or [date(2025, 3, 1)]
    as_of = receipts[pick % len(receipts)] + timedelta(days=offset)
    _assert_batch_equals_scalar(apps, as_of, _FEE_PAUSES if fee_pauses else PARAMS, CAL)


def test_batch_reports_december_items_and_keeps_the_others() -> None:
    """Received 2026-11-20 (due in 2026), 2026-12-04 and 2026-12-20 (due in 2027): strict
    reports two problems naming 2027 and still computes the first."""
    apps = [
        attrs.evolve(_app(day), id=f"A-{day.isoformat()}")
        for day in (date(2026, 11, 20), date(2026, 12, 4), date(2026, 12, 20))
    ]
    batch = reply_status_many(apps, date(2026, 12, 21), params=PARAMS, calendar=CAL)
    # 11/23-27 (1-5) 11/30-12/4 (6-10) 12/7-11 (11-15) 12/14-18 (16-20): overdue by 12/21 (1).
    assert batch[0].state is ClockState.OVERDUE
    assert batch[0].due == date(2026, 12, 18)
    assert batch[0].working_days_late == 1
    assert [p.subject_id for p in batch.problems] == ["A-2026-12-04", "A-2026-12-20"]
    assert {p.year for p in batch.problems} == {2027}
    assert all(p.code == "calendar.data_missing" for p in batch.problems)
    assert "2027年" in batch.problems[0].advice_zh
    assert batch[1].state is ClockState.UNDETERMINED
    assert "2027" in str(batch[1].reason)
    assert batch.counts()[ClockState.UNDETERMINED] == 2


def test_batch_edge_cases() -> None:
    """Hand-made cases: an empty batch; an ended application whose due date lies where the
    calendar is provisional (the scalar status of an ended clock is never provisional); event
    subclasses, classified like the scalar isinstance checks; a consultation of the 2008 text
    (no reply window) still open and closed; a consultation answered by another party; a reply
    recorded after an event dated past as_of but itself dated before it (the scalar code stops
    at the later event, yet `open_consultations` sees the reply)."""
    from attrs import frozen as attrs_frozen

    assert len(reply_status_many([], date(2025, 1, 1), params=PARAMS, calendar=CAL)) == 0

    @attrs_frozen(kw_only=True)
    class LocalReceived(Received):
        pass

    @attrs_frozen(kw_only=True)
    class LocalConsulted(ThirdPartyConsulted):
        pass

    @attrs_frozen(kw_only=True)
    class LocalReplied(Replied):
        pass

    late = date(2026, 12, 10)
    apps = [
        _app(late, (Withdrawn(on=date(2026, 12, 28)),)),
        _app(late),
        Application(
            id="A2",
            agency="某局",
            applicant=Applicant(type=ApplicantType.NATURAL_PERSON, name="张三"),
            channel=Channel.ONLINE,
            request="某项目",
            events=(
                LocalReceived(on=date(2025, 3, 3), confirmed_on=date(2025, 3, 4)),
                LocalConsulted(on=date(2025, 3, 10), party="甲"),
                LocalReplied(on=date(2025, 4, 30), outcome=Outcome.DISCLOSED),
            ),
        ),
        _app(date(2019, 4, 1), (ThirdPartyConsulted(on=date(2019, 4, 3), party="甲"),)),
        _app(
            date(2019, 4, 1),
            (
                ThirdPartyConsulted(on=date(2019, 4, 3), party="甲"),
                Replied(on=date(2019, 5, 20), outcome=Outcome.DISCLOSED),
            ),
        ),
        _app(
            date(2025, 3, 3),
            (
                ThirdPartyConsulted(on=date(2025, 3, 5), party="甲", is_agency=True),
                ThirdPartyReplied(on=date(2025, 3, 20), party="乙"),
            ),
        ),
    ]
    apps.append(
        _app(
            date(2025, 3, 3),
            (
                ThirdPartyConsulted(on=date(2025, 3, 5), party="甲"),
                Extended(on=date(2025, 4, 20), days=20, reason="r", approved_by="a"),
                ThirdPartyReplied(on=date(2025, 3, 12), party="甲"),
            ),
        )
    )
    for as_of in (date(2019, 5, 1), date(2025, 3, 25), date(2027, 1, 5)):
        _assert_batch_equals_scalar(apps, as_of, PARAMS, _PROVISIONAL)
    ended = reply_status_many(apps[:1], date(2027, 1, 5), params=PARAMS, calendar=_PROVISIONAL)
    assert ended[0].state is ClockState.ENDED
    assert ended[0].due is not None
    assert ended[0].due >= date(2026, 12, 22)
    assert ended[0].provisional is False


def test_proactive_due_equals_the_explained_deadline() -> None:
    """The fast due date used by the lateness rule is the explained deadline's due date."""
    from govdisclose.deadlines import proactive_due
    from govdisclose.synthetic import generate

    params, calendar = ParameterSet.default(), WorkCalendar.default()
    records = generate(2025, applications_per_agency=1, records_per_agency=60, seed=5).records
    checked = 0
    for record in records:
        explained = proactive_deadline(record, params=params, calendar=calendar)
        fast = proactive_due(record, params=params, calendar=calendar)
        assert fast == (explained.due if explained else None)
        checked += explained is not None
    assert checked > 100


def test_approaching_lists_the_due_soon_nearest_first() -> None:
    """Daily notifications: exactly the due-soon applications, nearest due date first."""
    from govdisclose.deadlines import approaching, reply_status
    from govdisclose.notifications import DeadlineApproaching
    from govdisclose.synthetic import generate

    params, calendar = ParameterSet.default(), WorkCalendar.default()
    apps = generate(2025, applications_per_agency=80, records_per_agency=1, seed=9).applications
    as_of = date(2025, 12, 24)
    found = approaching(apps, as_of, params=params, calendar=calendar, within=5)
    expected = {
        a.id
        for a in apps
        if reply_status(a, as_of, params=params, calendar=calendar, warn_within=5).state.value
        == "due_soon"
    }
    replies = [n for n in found if isinstance(n, DeadlineApproaching) and n.clock is Clock.REPLY]
    assert {n.application_id for n in replies} == expected
    assert expected
    assert [n.due for n in found] == sorted(n.due for n in found)
    assert all(0 <= n.working_days_left <= 5 for n in found)  # type: ignore[union-attr]
    # The other clocks of the same applications are reminded too, each labelled with its kind.
    others = {n.clock for n in found if isinstance(n, DeadlineApproaching)} - {Clock.REPLY}
    assert others <= {
        Clock.CORRECTION_NOTICE,
        Clock.THIRD_PARTY,
        Clock.CO_PRODUCER,
        Clock.FEE_PAYMENT,
    }
    assert found.problems == ()
