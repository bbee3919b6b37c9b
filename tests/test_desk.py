"""The application desk's procedure (issue 13): reasons, the draft and its approval, internal
consultation, letters, attachments and the archive.

Dates are worked out by hand from 条例 2019 第三十三条: an application received on Monday
2025-03-03 (in person) is due 20 working days later, on Monday 2025-03-31 (no holiday or
makeup day in March 2025: 4-7, 10-14, 17-21, 24-28 and 31 March are the 20 days).
"""

from __future__ import annotations

from datetime import date

import pytest

from govdisclose.calendar import WorkCalendar
from govdisclose.deadlines import reply_deadline, reply_status
from govdisclose.errors import InvalidTransition, ValidationError
from govdisclose.lifecycle import (
    ApplicationStatus,
    apply,
    apply_all,
    check_history,
    pending_approval,
    status,
)
from govdisclose.model import (
    Applicant,
    Application,
    Archived,
    Attachment,
    CorrectionReceived,
    CorrectionRequested,
    Event,
    InternalConsulted,
    InternalReplied,
    NoticeIssued,
    Received,
    Replied,
    ReplyApproved,
    ReplyDrafted,
    ThirdPartyConsulted,
    ThirdPartyReplied,
)
from govdisclose.params import ParameterSet
from govdisclose.vocab import ApplicantType, Channel, InternalOffice, NoticeKind, Outcome

PARAMS = ParameterSet.default()
CAL = WorkCalendar.default()
RECEIVED = Received(on=date(2025, 3, 3))
DUE = date(2025, 3, 31)
#: Outcomes a reply may carry (the two deemed withdrawals are never replies).
REPLY_OUTCOMES = [o for o in Outcome if o not in (Outcome.NO_CORRECTION, Outcome.FEE_NOT_PAID)]


def _app(*events: Event) -> Application:
    return Application(
        id="DESK-1",
        agency="330100",
        applicant=Applicant(type=ApplicantType.NATURAL_PERSON, name="张三"),
        channel=Channel.IN_PERSON,
        request="请公开某路段改造工程的招标文件",
        events=events,
    )


def _received() -> Application:
    return apply(_app(), RECEIVED)


# -- reasons ----------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", REPLY_OUTCOMES, ids=lambda o: o.code)
def test_every_refusal_needs_reasons(outcome: Outcome) -> None:
    """Every outcome but 予以公开 states its reasons (arts. 36-37): a reply or a draft without
    them is refused, naming the field; with them (or for 予以公开) it is accepted."""
    app = _received()
    if outcome is Outcome.UNCLEAR_AFTER_CORRECTION:  # needs a corrected application first
        app = apply_all(
            app,
            [
                CorrectionRequested(on=date(2025, 3, 4), items="请写明文件名称"),
                CorrectionReceived(on=date(2025, 3, 6)),
            ],
        )
    for blank in (None, "", "  \u3000"):
        for event in (
            Replied(on=date(2025, 3, 20), outcome=outcome, reasons=blank),
            ReplyDrafted(on=date(2025, 3, 20), outcome=outcome, reasons=blank),
        ):
            if outcome is Outcome.DISCLOSED:
                assert apply(app, event).events[-1] == event
                continue
            with pytest.raises(InvalidTransition) as info:
                apply(app, event)
            err = info.value
            assert err.code == "lifecycle.reasons_required"
            assert err.field == f"events[{len(app.events)}].reasons"
            assert outcome.label in err.message_zh
            assert outcome.code in err.message_en
    reasoned = Replied(on=date(2025, 3, 20), outcome=outcome, reasons="依据……不予公开")
    assert apply(app, reasoned).outcome is outcome


def test_imported_history_needs_reasons_too() -> None:
    """A whole history checked at creation or import follows the same rule, by position."""
    app = _app(RECEIVED, Replied(on=date(2025, 3, 20), outcome=Outcome.STATE_SECRET))
    with pytest.raises(InvalidTransition) as info:
        check_history(app)
    assert (info.value.code, info.value.field) == (
        "lifecycle.reasons_required",
        "events[1].reasons",
    )


# -- the draft and its approval -----------------------------------------------------------------


def _drafted(steps: tuple[str, ...] = ("审核", "签发")) -> Application:
    draft = ReplyDrafted(
        on=date(2025, 3, 20),
        outcome=Outcome.PARTIALLY_DISCLOSED,
        reasons="第3页涉及个人隐私，依第十五条不予公开",
        steps=steps,
        actor="经办人",
    )
    return apply(_received(), draft)


def test_a_reply_before_approval_does_not_stop_the_clock() -> None:
    """拟办 -> 审核 -> 签发: until the last step passed, the reply cannot be sent, the
    application stays open and its clock runs into 逾期 past the due day."""
    app = apply(_drafted(), ReplyApproved(on=date(2025, 3, 24), step="审核", actor="科长"))
    assert pending_approval(app) == ("签发",)
    reply = Replied(
        on=date(2025, 3, 25), outcome=Outcome.PARTIALLY_DISCLOSED, reasons="第3页涉及个人隐私"
    )
    with pytest.raises(InvalidTransition) as info:
        apply(app, reply)
    assert info.value.code == "lifecycle.approval_pending"
    assert "签发" in info.value.message_zh
    assert status(app) is ApplicationStatus.PROCESSING
    late = reply_status(app, date(2025, 4, 1), params=PARAMS, calendar=CAL)
    assert late.due == DUE
    assert late.state.value == "overdue"
    # Once signed off, the same reply is sent and the clock stops on its day.
    signed = apply(app, ReplyApproved(on=date(2025, 3, 25), step="签发", actor="分管领导"))
    assert pending_approval(signed) == ()
    done = apply(signed, reply)
    assert status(done) is ApplicationStatus.CLOSED
    met = reply_status(done, date(2025, 4, 1), params=PARAMS, calendar=CAL)
    assert (met.state.value, met.done_on) == ("met", date(2025, 3, 25))


def test_approval_steps_go_in_order() -> None:
    """The next step is the only one accepted; an approval without a draft is refused."""
    with pytest.raises(InvalidTransition) as info:
        apply(_drafted(), ReplyApproved(on=date(2025, 3, 21), step="签发"))
    assert info.value.code == "lifecycle.approval_order"
    assert info.value.field == "events[2].step"
    with pytest.raises(InvalidTransition):
        apply(_received(), ReplyApproved(on=date(2025, 3, 21), step="审核"))
    assert pending_approval(_received()) is None


def test_a_returned_draft_needs_a_new_one() -> None:
    """退回修改 discards the draft: neither its approvals nor a direct reply count."""
    returned = apply(
        _drafted(("签发",)), ReplyApproved(on=date(2025, 3, 21), step="签发", approved=False)
    )
    assert pending_approval(returned) is None
    reply = Replied(on=date(2025, 3, 24), outcome=Outcome.DISCLOSED)
    with pytest.raises(InvalidTransition) as info:
        apply(returned, reply)
    assert info.value.code == "lifecycle.approval_pending"
    assert info.value.expected == ("reply_drafted",)
    redrafted = apply_all(
        returned,
        [
            ReplyDrafted(on=date(2025, 3, 24), outcome=Outcome.DISCLOSED, steps=("签发",)),
            ReplyApproved(on=date(2025, 3, 24), step="签发"),
        ],
    )
    assert apply(redrafted, reply).outcome is Outcome.DISCLOSED


def test_the_reply_is_the_approved_draft() -> None:
    """A reply whose outcome is not the approved draft's is refused (the letter, the outcome
    and the report row cannot disagree)."""
    app = apply(_drafted(("签发",)), ReplyApproved(on=date(2025, 3, 21), step="签发"))
    with pytest.raises(InvalidTransition) as info:
        apply(app, Replied(on=date(2025, 3, 21), outcome=Outcome.DISCLOSED))
    assert info.value.code == "lifecycle.draft_mismatch"
    assert info.value.field == "events[3].outcome"


def test_a_draft_without_steps_may_be_sent_at_once() -> None:
    """An office whose workflow has no approval step after drafting sends the draft as is."""
    app = _drafted(())
    assert pending_approval(app) == ()
    reply = Replied(on=date(2025, 3, 20), outcome=Outcome.PARTIALLY_DISCLOSED, reasons="隐私")
    assert status(apply(app, reply)) is ApplicationStatus.CLOSED


def test_steps_are_distinct_and_named() -> None:
    for bad in (("审核", "审核"), ("审核", " ")):
        with pytest.raises(ValidationError) as info:
            ReplyDrafted(on=date(2025, 3, 20), outcome=Outcome.DISCLOSED, steps=bad)
        assert (info.value.field, info.value.code) == ("steps", "validation.steps")


# -- consultation: internal keeps the clock running, a third party stops it --------------------


def test_internal_consultation_does_not_pause_the_clock() -> None:
    """内部会商 is the agency's own time (art. 33 para. 3 stops the clock only for a third party
    or another agency): the due day stays 2025-03-31."""
    app = apply_all(
        _received(),
        [
            InternalConsulted(
                on=date(2025, 3, 10), office=InternalOffice.LEGAL, subject="拟不予公开的理由"
            ),
            InternalReplied(on=date(2025, 3, 21), office=InternalOffice.LEGAL, opinion="同意"),
        ],
    )
    deadline = reply_deadline(app, params=PARAMS, calendar=CAL)
    assert deadline is not None
    assert deadline.due == DUE
    assert status(app) is ApplicationStatus.PROCESSING


def test_third_party_consultation_pauses_the_clock() -> None:
    """The same ten days spent consulting a third party are not counted: the due day moves."""
    app = apply_all(
        _received(),
        [
            ThirdPartyConsulted(on=date(2025, 3, 10), party="某建设工程有限公司"),
            ThirdPartyReplied(on=date(2025, 3, 21), party="某建设工程有限公司", consents=False),
        ],
    )
    deadline = reply_deadline(app, params=PARAMS, calendar=CAL)
    assert deadline is not None
    assert deadline.due > DUE


def test_an_opinion_needs_a_consultation() -> None:
    with pytest.raises(InvalidTransition) as info:
        apply(
            _received(),
            InternalReplied(on=date(2025, 3, 5), office=InternalOffice.PETITION, opinion="同意"),
        )
    assert "internal_replied" not in info.value.expected


# -- letters, attachments, archive -------------------------------------------------------------


def test_a_letter_follows_its_step() -> None:
    """A 补正告知书 only once the correction request is recorded; a receipt at once."""
    app = _received()
    assert apply(app, NoticeIssued(on=date(2025, 3, 3), notice=NoticeKind.RECEIPT)).version == 2
    with pytest.raises(InvalidTransition) as info:
        apply(app, NoticeIssued(on=date(2025, 3, 4), notice=NoticeKind.CORRECTION))
    assert "correction_requested" in info.value.message_en


def test_attachments_are_checked_metadata() -> None:
    data = "答复告知书".encode()
    att = Attachment.of_bytes("答复告知书.txt", data, "text/plain")
    assert (att.size, len(att.sha256)) == (len(data), 64)
    event = NoticeIssued(on=date(2025, 3, 3), notice=NoticeKind.RECEIPT, attachments=[att])
    assert event.attachments == (att,)
    with pytest.raises(ValidationError) as info:
        Attachment(name="a.pdf", size=1, sha256="ABC", media_type="application/pdf")
    assert (info.value.field, info.value.code) == ("sha256", "validation.format")
    with pytest.raises(ValidationError) as info:
        Attachment(name="a.pdf", size=1, sha256="0" * 64, media_type="pdf")
    assert info.value.field == "media_type"
    with pytest.raises(ValidationError) as info:
        Attachment(name="a.pdf", size=-1, sha256="0" * 64)
    assert info.value.field == "size"


def test_the_archive_closes_the_case_for_good() -> None:
    """归档 only after the case is concluded; after it nothing may be recorded."""
    with pytest.raises(InvalidTransition):
        apply(_received(), Archived(on=date(2025, 3, 5)))
    closed = apply(_received(), Replied(on=date(2025, 3, 20), outcome=Outcome.DISCLOSED))
    archived = apply(closed, Archived(on=date(2025, 4, 30), archive_number="2025-依申请-0001"))
    assert status(archived) is ApplicationStatus.ARCHIVED
    assert not status(archived).is_open
    assert archived.outcome is Outcome.DISCLOSED
    with pytest.raises(InvalidTransition) as info:
        apply(archived, NoticeIssued(on=date(2025, 5, 6), notice=NoticeKind.REPLY))
    assert info.value.expected == ()
