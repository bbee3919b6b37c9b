"""Hypothesis strategies for every govdisclose model class, shared by the test modules.

Import them as ``from tests.strategies import applications, records``. Every strategy builds
objects that pass the model's validators; `applications` also walks the lifecycle table
(`govdisclose.lifecycle.ALLOWED` and `apply`), so its event histories are ones the library
itself accepts.

Dates stay within 2000-2099 and Asia/Shanghai datetimes within it too: China observed daylight
saving time in 1986-1991, and an ambiguous wall time of those years is, by Python's rules
(PEP 495), never equal to the same instant in another zone, so it cannot round-trip through an
ISO offset. Disclosure records under either version of the 条例 (2008, 2019) never need those
years.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
from hypothesis import strategies as st

from govdisclose import lifecycle
from govdisclose.model import (
    Agency,
    Applicant,
    Application,
    Archived,
    Attachment,
    AttributeDecision,
    CorrectionReceived,
    CorrectionRequested,
    DeemedWithdrawn,
    Event,
    Extended,
    FeeNotified,
    FeePaid,
    Inquiry,
    InternalConsulted,
    InternalReplied,
    NoticeIssued,
    OpinionEvent,
    Publication,
    Received,
    Record,
    Replied,
    ReplyApproved,
    ReplyDrafted,
    ReviewCase,
    ReviewCaseFiled,
    ReviewStep,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    TimedRelease,
    Transferred,
    Withdrawn,
)
from govdisclose.vocab import (
    AgencyKind,
    AgencyLevel,
    ApplicantType,
    Channel,
    DisclosureAttribute,
    DisclosureScope,
    DocumentKind,
    FeeMethod,
    InquiryKind,
    InternalOffice,
    NonDisclosureReason,
    NoticeKind,
    Outcome,
    PublicationChannel,
    ReviewCaseKind,
    ReviewDecision,
    ReviewResult,
    ReviewStatus,
    Validity,
    WithdrawalCause,
)

__all__ = [
    "EVENT_STRATEGIES",
    "SHANGHAI",
    "agencies",
    "applicants",
    "application_heads",
    "applications",
    "attribute_decisions",
    "aware_datetimes",
    "correction_received",
    "correction_requested",
    "dates",
    "deemed_withdrawn",
    "events",
    "extended",
    "fee_notified",
    "fee_paid",
    "inquiries",
    "money",
    "opinion_events",
    "publications",
    "received",
    "records",
    "replied",
    "review_case_filed",
    "review_cases",
    "review_steps",
    "texts",
    "third_party_consulted",
    "third_party_replied",
    "timed_releases",
    "transferred",
    "withdrawn",
]

SHANGHAI = ZoneInfo("Asia/Shanghai")

MIN_DAY = date(2000, 1, 1)
MAX_DAY = date(2099, 12, 31)

# Common CJK ideographs plus the punctuation of document numbers (〔2020〕109号) and titles; no
# whitespace, so every drawn string is non-blank without a (slow) filter.
_ALPHABET = st.characters(
    min_codepoint=0x4E00,
    max_codepoint=0x9FA5,
    include_characters="〔〕（）《》“”、，。：；-—·0123456789ABCxyz",
)
# Strings the JSON layer must carry unchanged: quotes, escapes, control characters, astral plane.
_TRICKY = st.sampled_from(
    ['"引号" \\ 反斜杠', "行\n政", "全角\u3000空格", "控制\x0b符", "😀表情", "  边缘空格  ", "0"]
)


# Strategies are built once and reused: building them inside composites on every draw costs
# more than drawing from them.
@functools.cache
def texts(*, max_size: int = 12) -> st.SearchStrategy[str]:
    """Non-blank text, mostly Chinese, sometimes characters JSON must escape."""
    return st.text(_ALPHABET, min_size=1, max_size=max_size) | _TRICKY


@functools.cache
def _optional_text() -> st.SearchStrategy[str | None]:
    return st.none() | texts()


@functools.cache
def dates(min_value: date = MIN_DAY, max_value: date = MAX_DAY) -> st.SearchStrategy[date]:
    """Calendar days within 2000-2099 (see the module docstring)."""
    return st.dates(min_value=min_value, max_value=max_value)


_OFFSET = st.integers(0, 400)
_SHORT_OFFSET = st.integers(0, 10)


def _later(draw: st.DrawFn, start: date, *, short: bool = False) -> date:
    return min(start + timedelta(days=draw(_SHORT_OFFSET if short else _OFFSET)), MAX_DAY)


def _maybe_later(draw: st.DrawFn, start: date) -> date | None:
    return _later(draw, start) if draw(st.booleans()) else None


_FIXED_OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


@functools.cache
def aware_datetimes() -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes: Asia/Shanghai (zoneinfo), UTC, and fixed offsets."""
    zones = st.sampled_from([SHANGHAI, UTC, timezone(timedelta(hours=8))]) | _FIXED_OFFSETS
    return st.datetimes(
        min_value=datetime(2000, 1, 2), max_value=datetime(2099, 12, 30), timezones=zones
    )


@functools.cache
def money() -> st.SearchStrategy[Decimal]:
    """Non-negative yuan amounts with at most two decimal places."""
    return st.decimals(
        min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False
    )


# -- agencies and records ---------------------------------------------------------------------


@functools.cache
def agencies() -> st.SearchStrategy[Agency]:
    """Any valid `Agency`."""
    return st.builds(
        Agency,
        code=texts(),
        name=texts(),
        level=st.sampled_from(AgencyLevel),
        kind=st.sampled_from(AgencyKind),
        parent=_optional_text(),
    )


@functools.cache
def attribute_decisions() -> st.SearchStrategy[AttributeDecision]:
    """Any valid `AttributeDecision`."""
    return st.builds(
        AttributeDecision,
        attribute=st.sampled_from(DisclosureAttribute),
        decided_by=texts(),
        decided_on=dates(),
        scope=st.sampled_from(DisclosureScope),
        reason=st.none() | st.sampled_from(NonDisclosureReason),
        legal_basis=_optional_text(),
        withheld_note=_optional_text(),
        change_reason=_optional_text(),
    )


@functools.cache
def publications() -> st.SearchStrategy[Publication]:
    """Any valid `Publication`, with an aware ``published_at``."""
    return st.builds(
        Publication,
        publisher=texts(),
        channel=st.sampled_from(PublicationChannel),
        published_at=aware_datetimes(),
        url=st.none() | st.just("https://www.example.gov.cn/zwgk/") | texts(),
        scope=st.sampled_from(DisclosureScope),
        note=_optional_text(),
    )


@st.composite
def _review_steps(draw: st.DrawFn) -> ReviewStep:
    decision = draw(st.sampled_from(ReviewDecision))
    passed = decision is ReviewDecision.PASSED
    return ReviewStep(
        step=draw(st.sampled_from(["初审", "审核", "审签", "保密审查"]) | texts()),
        decision=decision,
        by=draw(texts()),
        at=draw(aware_datetimes()),
        # A return and an escalation say why; only an escalation names an office.
        note=draw(_optional_text() if passed else texts()),
        to=draw(texts()) if decision is ReviewDecision.ESCALATED else None,
    )


@functools.cache
def review_steps() -> st.SearchStrategy[ReviewStep]:
    """Any valid `ReviewStep` (a note where one is needed, an office only for an escalation)."""
    return _review_steps()


@functools.cache
def timed_releases() -> st.SearchStrategy[TimedRelease]:
    """Any valid `TimedRelease`."""
    return st.builds(TimedRelease, not_before=aware_datetimes(), reason=texts())


@st.composite
def _records(draw: st.DrawFn) -> Record:
    formed_on = draw(dates(max_value=date(2095, 12, 31)))
    return Record(
        id=draw(texts()),
        title=draw(texts(max_size=30)),
        agency=draw(texts()),
        formed_on=formed_on,
        kind=draw(st.sampled_from(DocumentKind)),
        index_number=draw(_optional_text()),
        document_number=draw(st.none() | st.just("国办函〔2020〕109号") | texts()),
        changed_on=_maybe_later(draw, formed_on),
        topic=draw(_optional_text()),
        key_areas=draw(st.lists(texts(), max_size=3)),
        decisions=draw(st.lists(attribute_decisions(), max_size=3)),
        review_status=draw(st.sampled_from(ReviewStatus)),
        reviewed_by=draw(_optional_text()),
        reviewed_on=draw(st.none() | dates()),
        publications=tuple(draw(st.lists(publications(), max_size=3))),
        interpretations=tuple(draw(st.lists(texts(), max_size=2))),
        important_policy=draw(st.booleans()),
        validity=draw(st.sampled_from(Validity)),
        repealed_on=_maybe_later(draw, formed_on),
        # The model refuses NUL and lone surrogates (they cannot be stored); anything else goes.
        # Without NUL and lone surrogates, which the model refuses (no store can hold them).
        body=draw(
            st.text(
                st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=80
            )
        ),
        # The history is in time order (instants compare across zones).
        reviews=tuple(sorted(draw(st.lists(review_steps(), max_size=3)), key=lambda s: s.at)),
        timed_release=draw(st.none() | timed_releases()),
    )


# -- applicants and events --------------------------------------------------------------------


@functools.cache
def applicants() -> st.SearchStrategy[Applicant]:
    """Any valid `Applicant`."""
    return st.builds(
        Applicant,
        type=st.sampled_from(ApplicantType),
        name=texts(),
        id_number=st.none() | st.integers(10**17, 10**18 - 1).map(str),
        organisation_code=_optional_text(),
        phone=st.none() | st.integers(13_000_000_000, 19_999_999_999).map(str),
        email=st.none() | st.just("zhangsan@example.cn"),
        address=_optional_text(),
    )


@functools.cache
def attachments() -> st.SearchStrategy[Attachment]:
    """An `Attachment` (metadata of a file that went with an event)."""
    return st.builds(
        Attachment,
        name=texts(),
        size=st.integers(0, 2**40),
        sha256=st.binary(min_size=32, max_size=32).map(bytes.hex),
        media_type=st.sampled_from(["application/pdf", "image/jpeg", "application/vnd.ms-excel"]),
    )


def _common() -> dict[str, st.SearchStrategy[object]]:
    return {
        "on": dates(),
        "note": _optional_text(),
        "actor": _optional_text(),
        "attachments": st.lists(attachments(), max_size=2).map(tuple),
    }


@st.composite
def _received(draw: st.DrawFn) -> Received:
    on = draw(dates())
    confirmed = _later(draw, on, short=True) if draw(st.booleans()) else None
    return Received(
        on=on, confirmed_on=confirmed, note=draw(_optional_text()), actor=draw(_optional_text())
    )


@functools.cache
def received() -> st.SearchStrategy[Received]:
    """A `Received` event; ``confirmed_on``, when set, is not before ``on``."""
    return _received()


@functools.cache
def correction_requested() -> st.SearchStrategy[CorrectionRequested]:
    """A `CorrectionRequested` event."""
    return st.builds(
        CorrectionRequested, items=texts(), correct_by=st.none() | dates(), **_common()
    )


@functools.cache
def correction_received() -> st.SearchStrategy[CorrectionReceived]:
    """A `CorrectionReceived` event."""
    return st.builds(CorrectionReceived, **_common())


@functools.cache
def deemed_withdrawn() -> st.SearchStrategy[DeemedWithdrawn]:
    """A `DeemedWithdrawn` event with either cause."""
    return st.builds(DeemedWithdrawn, cause=st.sampled_from(WithdrawalCause), **_common())


@functools.cache
def withdrawn() -> st.SearchStrategy[Withdrawn]:
    """A `Withdrawn` event."""
    return st.builds(Withdrawn, **_common())


@functools.cache
def third_party_consulted() -> st.SearchStrategy[ThirdPartyConsulted]:
    """A `ThirdPartyConsulted` event."""
    return st.builds(ThirdPartyConsulted, party=texts(), is_agency=st.booleans(), **_common())


@functools.cache
def third_party_replied() -> st.SearchStrategy[ThirdPartyReplied]:
    """A `ThirdPartyReplied` event (``consents=None``: the reply window ran out)."""
    return st.builds(
        ThirdPartyReplied, party=texts(), consents=st.none() | st.booleans(), **_common()
    )


@functools.cache
def extended() -> st.SearchStrategy[Extended]:
    """An `Extended` event of 1-20 working days."""
    return st.builds(
        Extended, days=st.integers(1, 20), reason=texts(), approved_by=texts(), **_common()
    )


@functools.cache
def fee_notified() -> st.SearchStrategy[FeeNotified]:
    """A `FeeNotified` event."""
    return st.builds(
        FeeNotified,
        amount=money(),
        method=st.sampled_from(FeeMethod),
        quantity=st.integers(1, 5000),
        basis=st.none() | st.just("国办函〔2020〕109号第五条") | texts(),
        **_common(),
    )


@functools.cache
def fee_paid() -> st.SearchStrategy[FeePaid]:
    """A `FeePaid` event."""
    return st.builds(FeePaid, amount=money(), **_common())


@functools.cache
def replied() -> st.SearchStrategy[Replied]:
    """A `Replied` event with any outcome."""
    return st.builds(
        Replied,
        outcome=st.sampled_from(Outcome),
        reasons=_optional_text(),
        legal_basis=_optional_text(),
        **_common(),
    )


@functools.cache
def transferred() -> st.SearchStrategy[Transferred]:
    """A `Transferred` event."""
    return st.builds(Transferred, to=texts(), **_common())


@functools.cache
def review_case_filed() -> st.SearchStrategy[ReviewCaseFiled]:
    """A `ReviewCaseFiled` event."""
    return st.builds(
        ReviewCaseFiled, case_id=texts(), case_kind=st.sampled_from(ReviewCaseKind), **_common()
    )


_STEPS = st.sampled_from([(), ("签发",), ("审核", "签发"), ("初审", "复核", "签发")])


@functools.cache
def internal_consulted() -> st.SearchStrategy[InternalConsulted]:
    """An `InternalConsulted` event (内部会商)."""
    return st.builds(
        InternalConsulted, office=st.sampled_from(InternalOffice), subject=texts(), **_common()
    )


@functools.cache
def internal_replied() -> st.SearchStrategy[InternalReplied]:
    """An `InternalReplied` event."""
    return st.builds(
        InternalReplied, office=st.sampled_from(InternalOffice), opinion=texts(), **_common()
    )


@functools.cache
def reply_drafted() -> st.SearchStrategy[ReplyDrafted]:
    """A `ReplyDrafted` event (拟办) with any outcome and reasons."""
    return st.builds(
        ReplyDrafted,
        outcome=st.sampled_from(Outcome),
        reasons=texts(),
        legal_basis=_optional_text(),
        steps=_STEPS,
        **_common(),
    )


@functools.cache
def reply_approved() -> st.SearchStrategy[ReplyApproved]:
    """A `ReplyApproved` event (mostly approvals, now and then 退回修改)."""
    return st.builds(
        ReplyApproved,
        step=texts(),
        approved=st.sampled_from([True, True, True, False]),
        **_common(),
    )


@functools.cache
def notice_issued() -> st.SearchStrategy[NoticeIssued]:
    """A `NoticeIssued` event."""
    return st.builds(
        NoticeIssued,
        notice=st.sampled_from(NoticeKind),
        number=_optional_text(),
        sha256=st.none() | st.binary(min_size=32, max_size=32).map(bytes.hex),
        **_common(),
    )


@functools.cache
def archived() -> st.SearchStrategy[Archived]:
    """An `Archived` event (归档)."""
    return st.builds(Archived, archive_number=_optional_text(), **_common())


#: One strategy per event class, in `govdisclose.model.EVENT_TYPES` order.
EVENT_STRATEGIES: dict[type[Event], st.SearchStrategy[Event]] = {
    Received: received(),
    CorrectionRequested: correction_requested(),
    CorrectionReceived: correction_received(),
    DeemedWithdrawn: deemed_withdrawn(),
    Withdrawn: withdrawn(),
    ThirdPartyConsulted: third_party_consulted(),
    ThirdPartyReplied: third_party_replied(),
    Extended: extended(),
    FeeNotified: fee_notified(),
    FeePaid: fee_paid(),
    Replied: replied(),
    Transferred: transferred(),
    ReviewCaseFiled: review_case_filed(),
    InternalConsulted: internal_consulted(),
    InternalReplied: internal_replied(),
    ReplyDrafted: reply_drafted(),
    ReplyApproved: reply_approved(),
    NoticeIssued: notice_issued(),
    Archived: archived(),
}


@functools.cache
def events() -> st.SearchStrategy[Event]:
    """Any single event of any kind (not checked against a history)."""
    return st.one_of(*EVENT_STRATEGIES.values())


# -- applications -----------------------------------------------------------------------------


@functools.cache
def application_heads() -> st.SearchStrategy[Application]:
    """An `Application` with no events yet (status NEW)."""
    return st.builds(
        Application,
        id=texts(),
        agency=texts(),
        applicant=applicants(),
        channel=st.sampled_from(Channel),
        request=texts(max_size=30),
        events=st.just(()),
    )


# Outcomes that need an earlier event of the given class (lifecycle._check_outcome); the two
# deemed-withdrawal outcomes are never replies.
_OUTCOME_NEEDS: dict[Outcome, type[Event]] = {
    Outcome.UNCLEAR_AFTER_CORRECTION: CorrectionReceived,
}
_NEVER_REPLIED = frozenset({Outcome.NO_CORRECTION, Outcome.FEE_NOT_PAID})

_CAUSE_FOR_STATUS = {
    lifecycle.ApplicationStatus.AWAITING_CORRECTION: WithdrawalCause.NO_CORRECTION,
    lifecycle.ApplicationStatus.AWAITING_FEE: WithdrawalCause.FEE_NOT_PAID,
}


def _next_event(draw: st.DrawFn, app: Application, kind: type[Event], day: date) -> Event:
    history = app.events
    event = draw(EVENT_STRATEGIES[kind])
    if isinstance(event, Received):
        # Keep the confirmation the same number of days after arrival.
        gap = event.confirmed_on - event.on if event.confirmed_on else None
        return attrs.evolve(event, on=day, confirmed_on=day + gap if gap is not None else None)
    if isinstance(event, ThirdPartyReplied):
        party = draw(st.sampled_from(lifecycle.open_consultations(history)))
        return attrs.evolve(event, on=day, party=party)
    if isinstance(event, ThirdPartyConsulted):
        # Reuse a party name now and then, so that repeated consultations are exercised.
        earlier = [e.party for e in history if isinstance(e, ThirdPartyConsulted)]
        reuse = draw(st.booleans())
        waiting = lifecycle.open_consultations(history)
        reusable = [p for p in earlier if p not in waiting]
        if reusable and reuse:
            return attrs.evolve(event, on=day, party=draw(st.sampled_from(reusable)))
        if event.party in waiting:
            return attrs.evolve(event, on=day, party=f"{event.party}#{len(history)}")
    if isinstance(event, DeemedWithdrawn):
        return attrs.evolve(event, on=day, cause=_CAUSE_FOR_STATUS[lifecycle.status(app)])
    if isinstance(event, Replied | ReplyDrafted):
        possible = [
            o
            for o in Outcome
            if o not in _NEVER_REPLIED
            and (o not in _OUTCOME_NEEDS or any(isinstance(e, _OUTCOME_NEEDS[o]) for e in history))
        ]
        outcome = draw(st.sampled_from(possible))
        draft = _draft(history)
        if isinstance(event, Replied) and draft is not None:
            outcome = draft.outcome  # the reply sends the approved draft
        # Every outcome but full disclosure states its reasons (arts. 36-37).
        reasons = event.reasons or (None if outcome is Outcome.DISCLOSED else "理由")
        return attrs.evolve(event, on=day, outcome=outcome, reasons=reasons)
    if isinstance(event, ReplyApproved):
        pending = lifecycle.pending_approval(app) or ("?",)
        return attrs.evolve(event, on=day, step=pending[0])
    if isinstance(event, InternalReplied):
        office = draw(st.sampled_from(_open_internal(history)))
        return attrs.evolve(event, on=day, office=office)
    if isinstance(event, NoticeIssued):
        issued = [
            k for k, needs in _NOTICE_NEEDS.items() if any(isinstance(e, needs) for e in history)
        ]
        return attrs.evolve(event, on=day, notice=draw(st.sampled_from(issued)))
    return attrs.evolve(event, on=day)


# Which step each letter answers: the lifecycle's own table (a letter follows its step).
_NOTICE_NEEDS = lifecycle._NOTICE_NEEDS


def _draft(history: tuple[Event, ...]) -> ReplyDrafted | None:
    draft: ReplyDrafted | None = None
    for e in history:
        if isinstance(e, ReplyDrafted):
            draft = e
        elif isinstance(e, ReplyApproved) and not e.approved:
            draft = None
    return draft


def _open_internal(history: tuple[Event, ...]) -> list[InternalOffice]:
    waiting: list[InternalOffice] = []
    for e in history:
        if isinstance(e, InternalConsulted):
            waiting.append(e.office)
        elif isinstance(e, InternalReplied) and e.office in waiting:
            waiting.remove(e.office)
    return waiting


def _feasible(app: Application) -> list[type[Event]]:
    kinds = lifecycle.ALLOWED[lifecycle.status(app)]
    feasible = []
    for kind in sorted(kinds, key=lambda k: k.kind):
        if kind is Extended and any(isinstance(e, Extended) for e in app.events):
            continue
        if kind is ThirdPartyReplied and not lifecycle.open_consultations(app.events):
            continue
        if kind is InternalReplied and not _open_internal(app.events):
            continue
        pending = lifecycle.pending_approval(app)
        if kind is ReplyApproved and not pending:
            continue
        returned = pending is None and any(isinstance(e, ReplyDrafted) for e in app.events)
        if kind is Replied and (pending or returned):
            continue
        feasible.append(kind)
    return feasible


_GAP = st.integers(0, 30)
_START = dates(max_value=date(2090, 12, 31))


@st.composite
def _applications(draw: st.DrawFn, max_events: int) -> Application:
    app = draw(application_heads())
    day = draw(_START)
    for _ in range(draw(st.integers(0, max_events))):
        feasible = _feasible(app)
        if not feasible:  # archived: the case is read-only
            break
        kind = draw(st.sampled_from(feasible))
        day = day + timedelta(days=draw(_GAP))
        # Nothing may be dated before the receipt date (art. 31: the confirmation day).
        day = max(day, app.receipt_date or day)
        app = lifecycle.apply(app, _next_event(draw, app, kind, day))
    return app


@functools.cache
def applications(*, max_events: int = 10) -> st.SearchStrategy[Application]:
    """A valid `Application` whose history was built with `lifecycle.apply`, event by event.

    At each step an event kind the lifecycle table allows is drawn (skipping a second
    extension and replies from parties not awaiting one), dated on or after the previous event.
    """
    return _applications(max_events)


# -- review cases, inquiries, opinion events -------------------------------------------------


@st.composite
def _review_cases(draw: st.DrawFn) -> ReviewCase:
    filed_on = draw(dates(max_value=date(2095, 12, 31)))
    concluded = draw(st.booleans())
    return ReviewCase(
        id=draw(texts()),
        agency=draw(texts()),
        kind=draw(st.sampled_from(ReviewCaseKind)),
        filed_on=filed_on,
        application_id=draw(_optional_text()),
        result=draw(st.sampled_from([r for r in ReviewResult if r is not ReviewResult.PENDING]))
        if concluded
        else None,
        concluded_on=_later(draw, filed_on) if concluded else None,
    )


@st.composite
def _inquiries(draw: st.DrawFn) -> Inquiry:
    received_on = draw(dates(max_value=date(2095, 12, 31)))
    return Inquiry(
        id=draw(texts()),
        agency=draw(texts()),
        kind=draw(st.sampled_from(InquiryKind)),
        received_on=received_on,
        forwarding_levels=draw(st.integers(0, 5)),
        extended=draw(st.booleans()),
        answered_on=_maybe_later(draw, received_on),
    )


@functools.cache
def opinion_events() -> st.SearchStrategy[OpinionEvent]:
    """A valid `OpinionEvent` with aware datetimes."""
    return st.builds(
        OpinionEvent,
        id=texts(),
        agency=texts(),
        detected_at=aware_datetimes(),
        major=st.booleans(),
        authoritative_info_at=st.none() | aware_datetimes(),
        press_conference_at=st.none() | aware_datetimes(),
    )


@functools.cache
def records() -> st.SearchStrategy[Record]:
    """Any valid `Record`: ``changed_on`` and ``repealed_on`` never before ``formed_on``."""
    return _records()


@functools.cache
def review_cases() -> st.SearchStrategy[ReviewCase]:
    """A valid `ReviewCase`: concluded (result and date, not before filing) or pending."""
    return _review_cases()


@functools.cache
def inquiries() -> st.SearchStrategy[Inquiry]:
    """A valid `Inquiry`; ``answered_on``, when set, is not before ``received_on``."""
    return _inquiries()
