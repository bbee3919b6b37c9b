"""The domain model: validation at construction, derived properties, immutability."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from tests import strategies as gs

from govdisclose.errors import ValidationError
from govdisclose.lifecycle import apply_all
from govdisclose.model import (
    EVENT_TYPES,
    Agency,
    Applicant,
    Application,
    AttributeDecision,
    CorrectionRequested,
    DeemedWithdrawn,
    Event,
    Extended,
    FeeNotified,
    FeePaid,
    Inquiry,
    OpinionEvent,
    Publication,
    Received,
    Record,
    Replied,
    ReviewCase,
    ReviewCaseFiled,
    ThirdPartyConsulted,
    Withdrawn,
)
from govdisclose.vocab import (
    AgencyLevel,
    ApplicantType,
    Channel,
    DisclosureAttribute,
    FeeMethod,
    InquiryKind,
    Outcome,
    PublicationChannel,
    ReviewCaseKind,
    ReviewResult,
    WithdrawalCause,
)

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SHANGHAI = gs.SHANGHAI
DAY = date(2025, 1, 1)


def _bad(value: object) -> Any:
    """A deliberately wrong-typed value, hidden from the type checker."""
    return value


def _raises(field: str, code: str | None = None) -> Any:
    """Context manager: a ValidationError naming ``field`` (and ``code``) with both messages."""

    class _Check:
        def __enter__(self) -> None:
            self._ctx = pytest.raises(ValidationError)
            self._info = self._ctx.__enter__()

        def __exit__(self, *exc: Any) -> bool:
            handled = self._ctx.__exit__(*exc)
            err = self._info.value
            assert err.field == field
            assert err.message_zh
            assert err.message_en
            assert isinstance(err, ValueError)
            if code is not None:
                assert err.code == code
            return bool(handled)

    return _Check()


def _record(**changes: Any) -> Record:
    values: dict[str, Any] = {
        "id": "r-001",
        "title": "关于印发《某市政府信息公开工作规定》的通知",
        "agency": "330100",
        "formed_on": date(2025, 3, 3),
    }
    values.update(changes)
    return Record(**values)


def _decision(attribute: DisclosureAttribute, day: date, **extra: Any) -> AttributeDecision:
    return AttributeDecision(attribute=attribute, decided_by="起草科室", decided_on=day, **extra)


def _application(channel: Channel, *events: Event) -> Application:
    return Application(
        id="2025-0001",
        agency="330100",
        applicant=Applicant(type=ApplicantType.NATURAL_PERSON, name="张三"),
        channel=channel,
        request="请公开某路段改造工程的招标文件",
        events=events,
    )


# -- validators -------------------------------------------------------------------------------


@pytest.mark.parametrize("blank", ["", "   ", "\u3000", "\n\t"])
@pytest.mark.parametrize(
    ("cls", "values", "field"),
    [
        (Agency, {"code": "x", "name": "x", "level": AgencyLevel.CITY}, "name"),
        (Agency, {"code": "x", "name": "x", "level": AgencyLevel.CITY}, "code"),
        (Applicant, {"type": ApplicantType.NATURAL_PERSON, "name": "x"}, "name"),
        (Record, {"id": "x", "title": "x", "agency": "x", "formed_on": date(2025, 1, 1)}, "title"),
        (CorrectionRequested, {"on": date(2025, 1, 1), "items": "x"}, "items"),
        (ThirdPartyConsulted, {"on": date(2025, 1, 1), "party": "x"}, "party"),
    ],
)
def test_blank_strings_refused(
    cls: type[Any], values: dict[str, Any], field: str, blank: str
) -> None:
    """Required text may not be empty or whitespace (incl. the full-width space)."""
    with _raises(field, "validation.blank"):
        cls(**{**values, field: blank})


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: _record(formed_on="2025-03-03"), "formed_on"),
        (lambda: _record(formed_on=datetime(2025, 3, 3, tzinfo=SHANGHAI)), "formed_on"),
        (lambda: _record(changed_on=datetime(2025, 3, 4, tzinfo=SHANGHAI)), "changed_on"),
        (lambda: _record(kind="rule"), "kind"),
        (lambda: _record(key_areas=None), "key_areas"),
        (lambda: _record(key_areas=[1]), "key_areas[0]"),
        (lambda: _record(decisions=["主动公开"]), "decisions[0]"),
        # issue 11: a body of the wrong type used to be stored and then fail to read back
        (lambda: _record(body=None), "body"),
        (lambda: _record(body=123), "body"),
        (lambda: _record(title=_bad(None)), "title"),
        (lambda: Agency(code="x", name="x", level=_bad("city")), "level"),
        (lambda: Agency(code=_bad(110000), name="x", level=AgencyLevel.CITY), "code"),
        (lambda: Extended(on=date(2025, 1, 1), days=True, reason="r", approved_by="a"), "days"),
        (
            lambda: Extended(on=date(2025, 1, 1), days=_bad(5.0), reason="r", approved_by="a"),
            "days",
        ),
        (
            lambda: Extended(on=date(2025, 1, 1), days=_bad("5"), reason="r", approved_by="a"),
            "days",
        ),
        (lambda: Extended(on=date(2025, 1, 1), days=0, reason="r", approved_by="a"), "days"),
        (lambda: Received(on=_bad("2025-01-01")), "on"),
        (lambda: Received(on=datetime(2025, 1, 1, tzinfo=SHANGHAI)), "on"),
        (lambda: Replied(on=date(2025, 1, 1), outcome=_bad("disclosed")), "outcome"),
        (
            lambda: FeeNotified(
                on=date(2025, 1, 1), amount="一百", method=FeeMethod.PER_VOLUME, quantity=31
            ),
            "amount",
        ),
        (
            lambda: FeeNotified(
                on=date(2025, 1, 1), amount=Decimal("NaN"), method=FeeMethod.PER_VOLUME, quantity=3
            ),
            "amount",
        ),
        (lambda: FeePaid(on=date(2025, 1, 1), amount=Decimal("Infinity")), "amount"),
        (lambda: FeePaid(on=date(2025, 1, 1), amount=True), "amount"),
        (lambda: FeePaid(on=date(2025, 1, 1), amount=Decimal("-0.01")), "amount"),
        (
            lambda: FeeNotified(
                on=date(2025, 1, 1), amount=100, method=FeeMethod.PER_VOLUME, quantity=True
            ),
            "quantity",
        ),
        (
            lambda: Inquiry(
                id="q",
                agency="a",
                kind=InquiryKind.GENERAL,
                received_on=date(2025, 1, 1),
                forwarding_levels=True,
            ),
            "forwarding_levels",
        ),
        (
            lambda: Inquiry(
                id="q",
                agency="a",
                kind=InquiryKind.GENERAL,
                received_on=date(2025, 1, 1),
                forwarding_levels=-1,
            ),
            "forwarding_levels",
        ),
        (
            lambda: Application(
                id="a", agency="b", applicant=_bad("张三"), channel=Channel.POST, request="r"
            ),
            "applicant",
        ),
        (
            lambda: _application(Channel.POST, Received(on=date(2025, 1, 1)), _bad("replied")),
            "events[1]",
        ),
    ],
)
def test_wrong_types_refused(make: Any, field: str) -> None:
    """Wrong types are refused by name: bool is not an int, a datetime is not a date."""
    with _raises(field):
        make()


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: _record(title="关于\ud800的通知"), "title"),
        (lambda: _record(body="正文\x00"), "body"),
        (lambda: _record(key_areas=["教育", "\udc80"]), "key_areas[1]"),
        (lambda: Applicant(type=ApplicantType.NATURAL_PERSON, name="张三", phone="\x00"), "phone"),
        (lambda: Agency(code="1", name="某市", level=AgencyLevel.CITY, parent="\udbff"), "parent"),
    ],
)
def test_unstorable_text_refused(make: Any, field: str) -> None:
    """NUL and lone surrogates are refused by name (they used to fail in the SQL store)."""
    with _raises(field, "validation.bad_text"):
        make()


def test_control_characters_kept() -> None:
    """Other control characters stay (OA exports contain them): only the publishers strip."""
    rec = _record(title="通\x0b知\x1f", body="第一段\x0c第二段\x7f😀")
    assert rec.title == "通\x0b知\x1f"
    assert rec.body == "第一段\x0c第二段\x7f😀"


@pytest.mark.parametrize(
    "make",
    [
        lambda: Publication(
            publisher="办公室", channel=PublicationChannel.PORTAL, published_at=datetime(2025, 3, 3)
        ),
        lambda: Publication(
            publisher="办公室",
            channel=PublicationChannel.PORTAL,
            published_at=_bad(date(2025, 3, 3)),
        ),
        lambda: OpinionEvent(id="o", agency="a", detected_at=datetime(2025, 3, 3, 9)),
        lambda: OpinionEvent(
            id="o",
            agency="a",
            detected_at=datetime(2025, 3, 3, 9, tzinfo=SHANGHAI),
            press_conference_at=datetime(2025, 3, 4, 9),
        ),
    ],
)
def test_naive_datetimes_refused(make: Any) -> None:
    """Moments must carry a timezone (Asia/Shanghai or an offset)."""
    with pytest.raises(ValidationError) as info:
        make()
    assert info.value.code == "validation.naive_datetime"
    assert "Asia/Shanghai" in info.value.message_zh


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: _record(changed_on=date(2025, 3, 2)), "changed_on"),
        (lambda: _record(repealed_on=date(2024, 12, 31)), "repealed_on"),
        (lambda: Received(on=date(2025, 3, 3), confirmed_on=date(2025, 3, 2)), "confirmed_on"),
        (
            lambda: Inquiry(
                id="q",
                agency="a",
                kind=InquiryKind.GENERAL,
                received_on=date(2025, 3, 3),
                answered_on=date(2025, 3, 1),
            ),
            "answered_on",
        ),
        (
            lambda: ReviewCase(
                id="c",
                agency="a",
                kind=ReviewCaseKind.RECONSIDERATION,
                filed_on=date(2025, 3, 3),
                result=ReviewResult.UPHELD,
                concluded_on=date(2025, 3, 2),
            ),
            "concluded_on",
        ),
    ],
)
def test_date_order(make: Any, field: str) -> None:
    """A later date may not precede the date it follows from."""
    with _raises(field, "validation.date_order"):
        make()


def test_same_day_is_in_order() -> None:
    """Equal dates are in order (changed the day it was formed, confirmed on arrival)."""
    assert _record(changed_on=date(2025, 3, 3)).clock_start == date(2025, 3, 3)
    assert Received(on=date(2025, 3, 3), confirmed_on=date(2025, 3, 3)).confirmed_on


@pytest.mark.parametrize(
    ("result", "concluded_on", "field"),
    [
        (ReviewResult.UPHELD, None, "concluded_on"),
        (None, date(2025, 6, 1), "result"),
        (ReviewResult.PENDING, None, "result"),
        (ReviewResult.PENDING, date(2025, 6, 1), "result"),
    ],
)
def test_review_case_result_pairing(
    result: ReviewResult | None, concluded_on: date | None, field: str
) -> None:
    """Result and conclusion date go together; 尚未审结 is derived, never stored."""
    with _raises(field, "validation.review_result"):
        ReviewCase(
            id="c",
            agency="a",
            kind=ReviewCaseKind.LITIGATION_DIRECT,
            filed_on=date(2025, 3, 3),
            result=result,
            concluded_on=concluded_on,
        )


def test_review_case_result_as_of() -> None:
    """A case concluded after the report day still counts as pending on that day."""
    case = ReviewCase(
        id="c",
        agency="a",
        kind=ReviewCaseKind.RECONSIDERATION,
        filed_on=date(2025, 11, 3),
        result=ReviewResult.CORRECTED,
        concluded_on=date(2026, 1, 15),
    )
    assert case.result_as_of(date(2025, 12, 31)) is ReviewResult.PENDING
    assert case.result_as_of(date(2026, 1, 15)) is ReviewResult.CORRECTED
    open_case = attrs.evolve(case, result=None, concluded_on=None)
    assert open_case.result_as_of(date(2030, 1, 1)) is ReviewResult.PENDING


# -- derived properties ---------------------------------------------------------------------


def test_record_attribute_history() -> None:
    """The drafting attribute is the first decision, the current one the last."""
    assert _record().attribute is None
    assert _record().drafting_attribute is None
    assert _record().decision is None
    first = _decision(DisclosureAttribute.ON_REQUEST, date(2025, 3, 1))
    later = _decision(
        DisclosureAttribute.PROACTIVE, date(2025, 6, 1), change_reason="情况变化，可以公开"
    )
    rec = _record(decisions=[first, later])
    assert rec.drafting_attribute is DisclosureAttribute.ON_REQUEST
    assert rec.attribute is DisclosureAttribute.PROACTIVE
    assert rec.decision == later


def test_record_clock_start_and_first_publication() -> None:
    """The proactive clock runs from the last change; first publication is the earliest day."""
    rec = _record()
    assert rec.clock_start == date(2025, 3, 3)
    assert rec.first_published_on is None
    changed = _record(changed_on=date(2025, 4, 1))
    assert changed.clock_start == date(2025, 4, 1)
    late = Publication(
        publisher="办公室",
        channel=PublicationChannel.GAZETTE,
        published_at=datetime(2025, 3, 20, 9, tzinfo=SHANGHAI),
    )
    # 23:30 UTC on 9 March is already 10 March in Beijing: the record's own timezone counts.
    early = Publication(
        publisher="办公室",
        channel=PublicationChannel.PORTAL,
        published_at=datetime(2025, 3, 9, 23, 30, tzinfo=UTC).astimezone(SHANGHAI),
    )
    rec = _record(publications=[late, early])
    assert rec.first_published_on == date(2025, 3, 10)


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        # 条例 2019 第三十一条: handed in / signed for -> that day.
        (Channel.IN_PERSON, date(2025, 3, 3)),
        (Channel.POST, date(2025, 3, 3)),
        (Channel.EMAIL, date(2025, 3, 3)),
        (Channel.OTHER, date(2025, 3, 3)),
        # ordinary letters, internet, fax -> the day of confirmation with the applicant.
        (Channel.ORDINARY_LETTER, date(2025, 3, 5)),
        (Channel.ONLINE, date(2025, 3, 5)),
        (Channel.FAX, date(2025, 3, 5)),
    ],
)
def test_receipt_date_by_channel(channel: Channel, expected: date) -> None:
    """收到申请之日 follows the channel (条例 2019 art. 31)."""
    app = _application(channel, Received(on=date(2025, 3, 3), confirmed_on=date(2025, 3, 5)))
    assert app.receipt_date == expected
    unconfirmed = _application(channel, Received(on=date(2025, 3, 3)))
    assert unconfirmed.receipt_date == date(2025, 3, 3)


def test_receipt_date_without_receipt() -> None:
    """No receipt event, no receipt date."""
    assert _application(Channel.ONLINE).receipt_date is None
    assert _application(Channel.ONLINE).received is None


@pytest.mark.parametrize(
    ("closing", "outcome"),
    [
        (Replied(on=date(2025, 3, 20), outcome=Outcome.NOT_HELD), Outcome.NOT_HELD),
        (Withdrawn(on=date(2025, 3, 20)), Outcome.OTHER),
        (
            DeemedWithdrawn(on=date(2025, 3, 20), cause=WithdrawalCause.NO_CORRECTION),
            Outcome.NO_CORRECTION,
        ),
        (
            DeemedWithdrawn(on=date(2025, 3, 20), cause=WithdrawalCause.FEE_NOT_PAID),
            Outcome.FEE_NOT_PAID,
        ),
    ],
)
def test_outcome_and_closed_on(closing: Event, outcome: Outcome) -> None:
    """The table 三 outcome and the closing day come from the closing event."""
    review = ReviewCaseFiled(
        on=date(2025, 5, 1), case_id="复议1号", case_kind=ReviewCaseKind.RECONSIDERATION
    )
    app = _application(Channel.POST, Received(on=date(2025, 3, 3)), closing, review)
    assert app.outcome is outcome
    assert app.closed_on == date(2025, 3, 20)
    assert app.final_event == closing
    assert app.version == 3


def test_open_application_has_no_outcome() -> None:
    """An application still being handled has no outcome and no closing day."""
    app = _application(Channel.POST, Received(on=date(2025, 3, 3)))
    assert app.outcome is None
    assert app.closed_on is None
    assert app.final_event is None
    assert app.version == 1


@FAST
@given(gs.applications())
def test_version_counts_events(app: Application) -> None:
    """The version is the number of events; the outcome exists exactly when closed."""
    assert app.version == len(app.events)
    assert (app.outcome is None) == (app.final_event is None) == (app.closed_on is None)


# -- collections and immutability -------------------------------------------------------------


def test_lists_become_tuples() -> None:
    """Lists from OA code are frozen into tuples; a lone string is one item, not characters."""
    rec = _record(key_areas=["教育", "医疗"], interpretations="图解")
    assert rec.key_areas == ("教育", "医疗")
    assert rec.interpretations == ("图解",)
    app = _application(Channel.POST, *[Received(on=date(2025, 3, 3))])
    assert isinstance(app.events, tuple)
    assert isinstance(_record(decisions=iter([])).decisions, tuple)


@pytest.mark.parametrize(
    ("obj", "field"),
    [
        (_record(), "title"),
        (Agency(code="1", name="某市政府", level=AgencyLevel.CITY), "name"),
        (Received(on=date(2025, 3, 3)), "on"),
        (_application(Channel.POST), "events"),
    ],
)
def test_frozen(obj: Any, field: str) -> None:
    """Assigning to a field raises; changes are new objects."""
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(obj, field, None)


def test_evolve_validates() -> None:
    """A change through `attrs.evolve` runs the validators again."""
    with _raises("changed_on"):
        attrs.evolve(_record(), changed_on=date(2020, 1, 1))


def test_fee_amounts_are_exact() -> None:
    """Amounts are Decimals; a float goes through its shortest repr, never binary rounding."""
    fee = FeeNotified(on=date(2025, 1, 1), amount=0.1, method=FeeMethod.PER_VOLUME, quantity=31)
    assert fee.amount == Decimal("0.1")
    assert FeePaid(on=date(2025, 1, 1), amount=1700).amount == Decimal(1700)
    assert FeePaid(on=date(2025, 1, 1), amount="83460.00").amount == Decimal("83460.00")


def test_event_kinds_unique() -> None:
    """Every event class has its own kind code (the JSON tag)."""
    kinds = [cls.kind for cls in EVENT_TYPES]
    assert len(set(kinds)) == len(kinds) == 19


def test_application_accepts_any_event_order() -> None:
    """The model stores a history as given; the lifecycle is what checks it."""
    app = _application(Channel.POST, Replied(on=date(2025, 3, 1), outcome=Outcome.DISCLOSED))
    assert app.outcome is Outcome.DISCLOSED
    assert app.received is None


@FAST
@given(gs.records())
def test_generated_records_are_consistent(rec: Record) -> None:
    """Derived record properties agree with the stored fields."""
    assert rec.clock_start >= rec.formed_on
    if rec.publications:
        assert rec.first_published_on == min(p.published_at.date() for p in rec.publications)
    assert rec.attribute == (rec.decisions[-1].attribute if rec.decisions else None)


def test_extended_application_through_lifecycle() -> None:
    """The model and the lifecycle agree on a typical history (sanity for the fixtures)."""
    app = apply_all(
        _application(Channel.ONLINE),
        (
            Received(on=date(2025, 3, 3), confirmed_on=date(2025, 3, 4)),
            Extended(on=date(2025, 3, 28), days=20, reason="需要检索档案", approved_by="王主任"),
            Replied(
                on=date(2025, 4, 20),
                outcome=Outcome.PARTIALLY_DISCLOSED,
                reasons="第2页涉及商业秘密",
            ),
        ),
    )
    assert app.receipt_date == date(2025, 3, 4)
    assert app.closed_on == date(2025, 4, 20)
    assert app.closed_on - app.receipt_date == timedelta(days=47)
