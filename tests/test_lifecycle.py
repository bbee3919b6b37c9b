"""The lifecycle table: which event may follow which, and the status folded from the events."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from tests import strategies as gs

from govdisclose.errors import InvalidTransition
from govdisclose.lifecycle import (
    ALLOWED,
    ApplicationStatus,
    apply,
    apply_all,
    open_consultations,
    status,
)
from govdisclose.model import (
    EVENT_TYPES,
    Applicant,
    Application,
    Archived,
    CorrectionReceived,
    CorrectionRequested,
    DeemedWithdrawn,
    Event,
    Extended,
    FeeNotified,
    FeePaid,
    InternalConsulted,
    InternalReplied,
    NoticeIssued,
    Received,
    Replied,
    ReplyApproved,
    ReplyDrafted,
    ReviewCaseFiled,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    Transferred,
    Withdrawn,
)
from govdisclose.vocab import (
    ApplicantType,
    Channel,
    FeeMethod,
    InternalOffice,
    NoticeKind,
    Outcome,
    ReviewCaseKind,
    WithdrawalCause,
)

S = ApplicationStatus
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# The table of the lifecycle module's docstring (条例 2019 arts. 30-33, 35-36; 国办函〔2020〕109号),
# written out independently of `ALLOWED` so that an edit to one without the other fails.
# The desk's own steps, which move neither the status nor the clock.
DESK = {
    "internal_consulted",
    "internal_replied",
    "reply_drafted",
    "reply_approved",
    "notice_issued",
}

EXPECTED_TABLE: dict[ApplicationStatus, set[str]] = {
    S.NEW: {"received"},
    S.PROCESSING: {
        "correction_requested",
        "third_party_consulted",
        "extended",
        "fee_notified",
        "replied",
        "withdrawn",
        "transferred",
        *DESK,
    },
    S.AWAITING_CORRECTION: {
        "correction_received",
        "deemed_withdrawn",
        "withdrawn",
        "notice_issued",
    },
    S.CONSULTING: {
        "third_party_consulted",
        "third_party_replied",
        "extended",
        "replied",
        "withdrawn",
        "transferred",
        *DESK,
    },
    S.AWAITING_FEE: {"fee_paid", "deemed_withdrawn", "withdrawn", "notice_issued"},
    S.CLOSED: {"review_case_filed", "notice_issued", "archived"},
    S.ARCHIVED: set(),
}

DAY0 = date(2025, 3, 3)
PARTY = "某建设工程有限公司"


def _app(*events: Event, channel: Channel = Channel.IN_PERSON) -> Application:
    return Application(
        id="2025-0001",
        agency="330100",
        applicant=Applicant(type=ApplicantType.NATURAL_PERSON, name="张三"),
        channel=channel,
        request="请公开某路段改造工程的招标文件",
        events=events,
    )


def _day(n: int) -> date:
    return DAY0 + timedelta(days=n)


RECEIVED = Received(on=_day(0))
CORRECTION = CorrectionRequested(on=_day(1), items="请写明文件名称或文号")
CONSULT = ThirdPartyConsulted(on=_day(2), party=PARTY)
FEE = FeeNotified(on=_day(2), amount=Decimal("1700"), method=FeeMethod.PER_VOLUME, quantity=150)
REPLY = Replied(on=_day(5), outcome=Outcome.DISCLOSED)


def reach(target: ApplicationStatus) -> Application:
    """An application in status ``target`` by the shortest history."""
    histories: dict[ApplicationStatus, tuple[Event, ...]] = {
        S.NEW: (),
        S.PROCESSING: (RECEIVED,),
        S.AWAITING_CORRECTION: (RECEIVED, CORRECTION),
        S.CONSULTING: (RECEIVED, CONSULT),
        S.AWAITING_FEE: (RECEIVED, FEE),
        S.CLOSED: (RECEIVED, REPLY),
        S.ARCHIVED: (RECEIVED, REPLY, Archived(on=_day(6))),
    }
    app = apply_all(_app(), histories[target])
    assert status(app) is target
    return app


def sample(kind: type[Event], at: ApplicationStatus) -> Event:
    """An event of ``kind`` dated after every event of ``reach(at)``, fitting its history."""
    day = _day(10)
    cause = WithdrawalCause.FEE_NOT_PAID if at is S.AWAITING_FEE else WithdrawalCause.NO_CORRECTION
    events: dict[type[Event], Event] = {
        Received: Received(on=day),
        CorrectionRequested: CorrectionRequested(on=day, items="请补充身份证明"),
        CorrectionReceived: CorrectionReceived(on=day),
        DeemedWithdrawn: DeemedWithdrawn(on=day, cause=cause),
        Withdrawn: Withdrawn(on=day),
        ThirdPartyConsulted: ThirdPartyConsulted(
            on=day, party="某区住房和城乡建设局", is_agency=True
        ),
        ThirdPartyReplied: ThirdPartyReplied(on=day, party=PARTY, consents=False),
        Extended: Extended(on=day, days=20, reason="需要检索档案", approved_by="王主任"),
        FeeNotified: FeeNotified(
            on=day, amount=Decimal("100"), method=FeeMethod.PER_APPLICATION, quantity=11
        ),
        FeePaid: FeePaid(on=day, amount=Decimal("1700")),
        Replied: Replied(on=day, outcome=Outcome.PARTIALLY_DISCLOSED, reasons="第3页涉及个人隐私"),
        Transferred: Transferred(on=day, to="法规科"),
        ReviewCaseFiled: ReviewCaseFiled(
            on=day, case_id="复议〔2025〕12号", case_kind=ReviewCaseKind.RECONSIDERATION
        ),
        InternalConsulted: InternalConsulted(
            on=day, office=InternalOffice.LEGAL, subject="拟部分公开的理由是否充分"
        ),
        InternalReplied: InternalReplied(on=day, office=InternalOffice.LEGAL, opinion="同意"),
        ReplyDrafted: ReplyDrafted(on=day, outcome=Outcome.DISCLOSED),
        ReplyApproved: ReplyApproved(on=day, step="审核", actor="李科长"),
        NoticeIssued: NoticeIssued(on=day, notice=NoticeKind.RECEIPT),
        Archived: Archived(on=day, archive_number="2025-依申请-0001"),
    }
    return events[kind]


def prerequisite(kind: type[Event]) -> Event | None:
    """The event ``kind`` answers, where it answers one (an opinion answers a consultation)."""
    day = _day(9)
    return {
        InternalReplied: InternalConsulted(on=day, office=InternalOffice.LEGAL, subject="会商"),
        ReplyApproved: ReplyDrafted(on=day, outcome=Outcome.DISCLOSED),
    }.get(kind)


MATRIX = [(st, kind) for st in ApplicationStatus for kind in EVENT_TYPES]


def test_allowed_matches_the_documented_table() -> None:
    """`ALLOWED` is exactly the table in the module docstring, for every status."""
    assert set(ALLOWED) == set(ApplicationStatus)
    assert {st: {k.kind for k in kinds} for st, kinds in ALLOWED.items()} == EXPECTED_TABLE


def test_every_event_kind_is_allowed_somewhere() -> None:
    """No event class is unreachable."""
    assert set().union(*EXPECTED_TABLE.values()) == {k.kind for k in EVENT_TYPES}


@pytest.mark.parametrize(("current", "kind"), MATRIX, ids=[f"{s.code}-{k.kind}" for s, k in MATRIX])
def test_transition_matrix(current: ApplicationStatus, kind: type[Event]) -> None:
    """Each (status, event kind) is applied if the table allows it and refused otherwise."""
    app = reach(current)
    event = sample(kind, current)
    if kind.kind in EXPECTED_TABLE[current]:
        before = prerequisite(kind)
        if before is not None:
            app = apply(app, before)
        after = apply(app, event)
        assert after.events == (*app.events, event)
        assert after.version == app.version + 1
    else:
        with pytest.raises(InvalidTransition) as info:
            apply(app, event)
        err = info.value
        assert err.expected == tuple(sorted(EXPECTED_TABLE[current]))
        assert err.field == f"events[{len(app.events)}]"
        assert err.code == "lifecycle.invalid_transition"
        assert current.code in err.message_en
        assert current.label in err.message_zh
        assert kind.kind in err.message_en


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ((), S.NEW),
        ((RECEIVED,), S.PROCESSING),
        ((RECEIVED, CORRECTION), S.AWAITING_CORRECTION),
        ((RECEIVED, CORRECTION, CorrectionReceived(on=_day(4))), S.PROCESSING),
        ((RECEIVED, FEE), S.AWAITING_FEE),
        ((RECEIVED, FEE, FeePaid(on=_day(6), amount=Decimal("1700"))), S.PROCESSING),
        ((RECEIVED, CONSULT), S.CONSULTING),
        ((RECEIVED, CONSULT, ThirdPartyReplied(on=_day(9), party=PARTY)), S.PROCESSING),
        ((RECEIVED, REPLY), S.CLOSED),
        ((RECEIVED, Withdrawn(on=_day(1))), S.CLOSED),
        (
            (
                RECEIVED,
                CORRECTION,
                DeemedWithdrawn(on=_day(20), cause=WithdrawalCause.NO_CORRECTION),
            ),
            S.CLOSED,
        ),
    ],
)
def test_status_derivation(events: tuple[Event, ...], expected: ApplicationStatus) -> None:
    """The status is the fold of the events."""
    assert status(apply_all(_app(), events)) is expected


def test_consulting_two_parties() -> None:
    """Consulting stays open until every consulted party has replied, in any order."""
    other = ThirdPartyConsulted(on=_day(3), party="某区自然资源局", is_agency=True)
    app = apply_all(_app(), (RECEIVED, CONSULT, other))
    assert open_consultations(app.events) == (PARTY, "某区自然资源局")
    app = apply(app, ThirdPartyReplied(on=_day(8), party="某区自然资源局", consents=True))
    assert status(app) is S.CONSULTING
    assert open_consultations(app.events) == (PARTY,)
    app = apply(app, ThirdPartyReplied(on=_day(9), party=PARTY, consents=None))
    assert status(app) is S.PROCESSING
    assert open_consultations(app.events) == ()


def test_extension_and_transfer_keep_consulting() -> None:
    """An extension or an internal transfer during consultation does not end it."""
    app = apply_all(
        _app(),
        (
            RECEIVED,
            CONSULT,
            Extended(on=_day(4), days=20, reason="征求意见", approved_by="王主任"),
            Transferred(on=_day(5), to="法规科"),
        ),
    )
    assert status(app) is S.CONSULTING


def test_transfer_keeps_processing() -> None:
    """A transfer while processing stays processing (the clock keeps running)."""
    app = apply_all(_app(), (RECEIVED, Transferred(on=_day(1), to="办公室")))
    assert status(app) is S.PROCESSING


def test_correction_round_trips() -> None:
    """Correction may be requested again after a corrected application (one notice each time)."""
    app = apply_all(
        _app(),
        (
            RECEIVED,
            CORRECTION,
            CorrectionReceived(on=_day(3)),
            CorrectionRequested(on=_day(4), items="请补充身份证明"),
            CorrectionReceived(on=_day(6)),
        ),
    )
    assert status(app) is S.PROCESSING
    app = apply(
        app, Replied(on=_day(8), outcome=Outcome.UNCLEAR_AFTER_CORRECTION, reasons="仍不明确")
    )
    assert status(app) is S.CLOSED
    assert app.outcome is Outcome.UNCLEAR_AFTER_CORRECTION


def test_fee_then_paid_then_replied() -> None:
    """A paid fee returns the application to processing, and it can then be answered."""
    app = apply_all(
        _app(),
        (RECEIVED, FEE, FeePaid(on=_day(4), amount=Decimal("1700")), REPLY),
    )
    assert status(app) is S.CLOSED
    assert app.outcome is Outcome.DISCLOSED


def test_reply_before_receipt() -> None:
    """Nothing but the receipt can come first."""
    with pytest.raises(InvalidTransition) as info:
        apply(_app(), REPLY)
    assert info.value.expected == ("received",)
    assert info.value.field == "events[0]"


def test_second_extension_refused() -> None:
    """Art. 33 allows one extension; a second one is refused and no longer expected."""
    first = Extended(on=_day(15), days=20, reason="需要检索档案", approved_by="王主任")
    second = Extended(on=_day(30), days=5, reason="仍需检索", approved_by="王主任")
    app = apply_all(_app(), (RECEIVED, first))
    with pytest.raises(InvalidTransition) as info:
        apply(app, second)
    err = info.value
    assert "extended" not in err.expected
    assert "replied" in err.expected
    assert "第三十三条" in err.message_zh


def test_second_extension_refused_while_consulting() -> None:
    """The one-extension rule also holds across a consultation."""
    first = Extended(on=_day(2), days=10, reason="需要检索档案", approved_by="王主任")
    app = apply_all(_app(), (RECEIVED, first, ThirdPartyConsulted(on=_day(3), party=PARTY)))
    with pytest.raises(InvalidTransition):
        apply(app, Extended(on=_day(4), days=10, reason="征求意见", approved_by="王主任"))


def test_event_dated_before_previous_refused() -> None:
    """Events are recorded in date order; the same day is fine, an earlier day is not."""
    app = apply_all(_app(), (RECEIVED, CORRECTION))
    same_day = apply(app, CorrectionReceived(on=CORRECTION.on))
    assert status(same_day) is S.PROCESSING
    with pytest.raises(InvalidTransition) as info:
        apply(app, CorrectionReceived(on=RECEIVED.on))
    err = info.value
    assert str(CORRECTION.on) in err.message_en
    assert err.expected == tuple(sorted(EXPECTED_TABLE[S.AWAITING_CORRECTION]))


@pytest.mark.parametrize(
    "closing",
    [
        REPLY,
        Withdrawn(on=_day(5)),
    ],
)
def test_nothing_but_review_after_close(closing: Event) -> None:
    """After the final event only a review case, a letter or the archiving may be recorded; a
    review case any number of times."""
    app = apply_all(_app(), (RECEIVED, closing))
    for kind in EVENT_TYPES:
        if kind in (ReviewCaseFiled, NoticeIssued, Archived):
            continue
        with pytest.raises(InvalidTransition) as info:
            apply(app, sample(kind, S.CLOSED))
        assert info.value.expected == ("archived", "notice_issued", "review_case_filed")
    first = sample(ReviewCaseFiled, S.CLOSED)
    second = ReviewCaseFiled(
        on=_day(40), case_id="（2025）浙0102行初1号", case_kind=ReviewCaseKind.LITIGATION_DIRECT
    )
    app = apply_all(app, (first, second))
    assert status(app) is S.CLOSED
    assert app.final_event == closing
    assert app.closed_on == closing.on


def test_third_party_reply_from_unconsulted_party() -> None:
    """Only a consulted party can reply."""
    app = apply_all(_app(), (RECEIVED, CONSULT))
    with pytest.raises(InvalidTransition) as info:
        apply(app, ThirdPartyReplied(on=_day(4), party="另一家公司"))
    err = info.value
    assert "另一家公司" in err.message_zh
    assert "third_party_replied" not in err.expected
    assert "replied" in err.expected


def test_third_party_replies_once() -> None:
    """A party that has replied cannot reply again (while another party is still consulted)."""
    other = ThirdPartyConsulted(on=_day(3), party="某区自然资源局", is_agency=True)
    app = apply_all(_app(), (RECEIVED, CONSULT, other, ThirdPartyReplied(on=_day(4), party=PARTY)))
    assert status(app) is S.CONSULTING
    with pytest.raises(InvalidTransition):
        apply(app, ThirdPartyReplied(on=_day(5), party=PARTY))


@pytest.mark.parametrize(
    ("at", "cause"),
    [
        (S.AWAITING_CORRECTION, WithdrawalCause.FEE_NOT_PAID),
        (S.AWAITING_FEE, WithdrawalCause.NO_CORRECTION),
    ],
)
def test_deemed_withdrawal_cause_must_match_status(
    at: ApplicationStatus, cause: WithdrawalCause
) -> None:
    """逾期不补正 needs a pending correction; 逾期未缴费 a pending fee."""
    app = reach(at)
    with pytest.raises(InvalidTransition) as info:
        apply(app, DeemedWithdrawn(on=_day(30), cause=cause))
    assert "deemed_withdrawn" not in info.value.expected
    assert "withdrawn" in info.value.expected


@pytest.mark.parametrize(
    ("at", "cause", "outcome"),
    [
        (S.AWAITING_CORRECTION, WithdrawalCause.NO_CORRECTION, Outcome.NO_CORRECTION),
        (S.AWAITING_FEE, WithdrawalCause.FEE_NOT_PAID, Outcome.FEE_NOT_PAID),
    ],
)
def test_deemed_withdrawal_closes_with_its_outcome(
    at: ApplicationStatus, cause: WithdrawalCause, outcome: Outcome
) -> None:
    """A deemed withdrawal closes the application and is counted in table 三 (六)1 / (六)2."""
    app = apply(reach(at), DeemedWithdrawn(on=_day(30), cause=cause))
    assert status(app) is S.CLOSED
    assert app.outcome is outcome


def test_unclear_after_correction_is_refused_without_a_correction() -> None:
    """补正后仍不明确 needs a corrected application first."""
    outcome = Outcome.UNCLEAR_AFTER_CORRECTION
    with pytest.raises(InvalidTransition) as info:
        apply(reach(S.PROCESSING), Replied(on=_day(10), outcome=outcome, reasons="仍不明确"))
    assert "replied" in info.value.expected


@pytest.mark.parametrize("outcome", [Outcome.NO_CORRECTION, Outcome.FEE_NOT_PAID])
@pytest.mark.parametrize("after", ["processing", "corrected", "paid"])
def test_deemed_outcomes_are_never_replies(outcome: Outcome, after: str) -> None:
    """(六)1 / (六)2 are recorded as deemed withdrawals: as a reply they are refused even after
    a correction or a payment, where they could otherwise be reached."""
    app = reach(S.PROCESSING)
    if after == "corrected":
        app = apply_all(
            app, (CorrectionRequested(on=_day(2), items="x"), CorrectionReceived(on=_day(3)))
        )
    elif after == "paid":
        app = apply_all(
            app,
            (
                FeeNotified(on=_day(2), amount=100, method=FeeMethod.PER_VOLUME, quantity=40),
                FeePaid(on=_day(3), amount=100),
            ),
        )
    with pytest.raises(InvalidTransition) as info:
        apply(app, Replied(on=_day(10), outcome=outcome))
    assert "replied" not in info.value.expected
    assert "deemed_withdrawn" in info.value.message_en


def test_event_before_the_confirmed_receipt_date_is_refused() -> None:
    """Art. 31: an online application is received on the day of confirmation; nothing may be
    recorded before it, even if it arrived earlier."""
    app = Application(
        id="online-1",
        agency="ag",
        applicant=Applicant(type=ApplicantType.NATURAL_PERSON, name="张三"),
        channel=Channel.ONLINE,
        request="请公开",
    )
    app = apply(app, Received(on=_day(1), confirmed_on=_day(8)))
    with pytest.raises(InvalidTransition) as info:
        apply(app, CorrectionRequested(on=_day(5), items="x"))
    assert "receipt date" in info.value.message_en
    assert apply(app, CorrectionRequested(on=_day(8), items="x")).version == 2


def test_a_party_consulted_twice_while_open_is_refused() -> None:
    """A second consultation of a party that has not replied yet is a duplicate entry."""
    app = apply(reach(S.PROCESSING), ThirdPartyConsulted(on=_day(2), party="公司A"))
    with pytest.raises(InvalidTransition):
        apply(app, ThirdPartyConsulted(on=_day(3), party="公司A"))
    replied = apply(app, ThirdPartyReplied(on=_day(4), party="公司A"))
    assert apply(replied, ThirdPartyConsulted(on=_day(5), party="公司A")).version == 4


def test_unclear_after_correction_accepted_after_correction() -> None:
    """补正后仍不明确 is accepted once a corrected application was received."""
    app = apply_all(_app(), (RECEIVED, CORRECTION, CorrectionReceived(on=_day(3))))
    outcome = Outcome.UNCLEAR_AFTER_CORRECTION
    reply = Replied(on=_day(10), outcome=outcome, reasons="补正后仍无法确定所需信息")
    assert apply(app, reply).outcome is outcome


def test_apply_all_is_all_or_nothing() -> None:
    """`apply_all` raises at the first refused event; the input application is unchanged."""
    app = _app()
    with pytest.raises(InvalidTransition) as info:
        apply_all(app, (RECEIVED, CORRECTION, REPLY))
    assert info.value.field == "events[2]"
    assert app.events == ()


@FAST
@given(gs.applications())
def test_generated_histories_replay(app: Application) -> None:
    """A history built with `apply` replays to the same application and status."""
    replayed = apply_all(
        Application(
            id=app.id,
            agency=app.agency,
            applicant=app.applicant,
            channel=app.channel,
            request=app.request,
        ),
        app.events,
    )
    assert replayed == app
    assert status(replayed) is status(app)


@FAST
@given(gs.applications(), gs.events())
def test_apply_never_mutates(app: Application, event: Event) -> None:
    """Applied or refused, the original application is unchanged; refusals say what fits."""
    before_events = app.events
    before = status(app)
    if type(event).kind in EXPECTED_TABLE[before] and (
        not app.events or event.on >= app.events[-1].on
    ):
        # Allowed by the table and in date order: only the history rules may still refuse.
        try:
            after = apply(app, event)
        except InvalidTransition:
            after = None
        if after is not None:
            assert after.events == (*before_events, event)
    else:
        with pytest.raises(InvalidTransition) as info:
            apply(app, event)
        assert set(info.value.expected) <= EXPECTED_TABLE[before]
        assert info.value.message_zh
        assert info.value.message_en
    assert app.events is before_events
    assert status(app) is before


@pytest.mark.parametrize(
    ("current", "is_open"),
    [
        (S.NEW, False),
        (S.PROCESSING, True),
        (S.AWAITING_CORRECTION, True),
        (S.CONSULTING, True),
        (S.AWAITING_FEE, True),
        (S.CLOSED, False),
    ],
)
def test_is_open(current: ApplicationStatus, is_open: bool) -> None:
    """Only received, unconcluded applications are open."""
    assert current.is_open is is_open
