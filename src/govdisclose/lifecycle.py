"""Which event may follow which, and the procedural status derived from an application's events.

The status is never stored: `status` folds the events. `apply` returns a new application with the
event appended, or raises `InvalidTransition` saying what would have been accepted.

The table (条例 2019 arts. 30-33, 35-36; 国办函〔2020〕109号), where *desk* stands for the
office's own steps, which move neither the status nor the clock: internal_consulted,
internal_replied, reply_drafted, reply_approved, notice_issued::

    status                  may be followed by
    NEW                     received
    PROCESSING              correction_requested, third_party_consulted, extended, fee_notified,
                            replied, withdrawn, transferred, desk
    AWAITING_CORRECTION     correction_received, deemed_withdrawn(no_correction), withdrawn,
                            notice_issued
    CONSULTING              third_party_consulted, third_party_replied, extended, replied,
                            withdrawn, transferred, desk
    AWAITING_FEE            fee_paid, deemed_withdrawn(fee_not_paid), withdrawn, notice_issued
    CLOSED                  review_case_filed, notice_issued, archived
    ARCHIVED                (nothing: 归档 closes the case file)

plus rules that look further back: at most one extension (art. 33), events in date order, a
third-party reply only from a party that was consulted and has not replied (an internal
opinion likewise), and outcomes that need a history (补正后仍不明确 needs a corrected
application). Every reply and draft other than 予以公开 states its reasons (arts. 36-37). Once
a reply was drafted (拟办), the reply is the draft as approved: each of the draft's ``steps``
(审核, 签发) in order, then a `Replied` with the draft's outcome; a draft sent back (退回修改)
needs a new one. A letter (notice_issued) follows the step it answers. 逾期不补正 and 逾期未缴费
are recorded as deemed withdrawals, never as replies, and no event may be dated before the
receipt date (art. 31: for online, fax and ordinary-letter applications that is the day of
confirmation).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import attrs

from govdisclose.errors import InvalidTransition
from govdisclose.model import (
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
    Channel,
    CodedEnum,
    InternalOffice,
    NoticeKind,
    Outcome,
    WithdrawalCause,
)

__all__ = [
    "ALLOWED",
    "ApplicationStatus",
    "apply",
    "apply_all",
    "check_history",
    "event_label",
    "open_consultations",
    "pending_approval",
    "status",
]


class ApplicationStatus(CodedEnum):
    """Procedural status of an application, derived from its events."""

    NEW = ("new", "未收到")
    PROCESSING = ("processing", "办理中")
    AWAITING_CORRECTION = ("awaiting_correction", "待补正")
    CONSULTING = ("consulting", "征求意见中")
    AWAITING_FEE = ("awaiting_fee", "待缴费")
    CLOSED = ("closed", "已办结")
    ARCHIVED = ("archived", "已归档")

    @property
    def is_open(self) -> bool:
        """Whether the application still awaits a final decision."""
        return self not in {
            ApplicationStatus.NEW,
            ApplicationStatus.CLOSED,
            ApplicationStatus.ARCHIVED,
        }


_S = ApplicationStatus
_OPEN = frozenset({_S.PROCESSING, _S.AWAITING_CORRECTION, _S.CONSULTING, _S.AWAITING_FEE})

#: The allowed event kinds after each status; the docstring of this module shows it as a table.
# The desk's own steps: letters, internal consultation, the draft and its approval. None of
# them moves the status or the clock (internal consultation is the agency's own time, 条例
# 2019 第三十三条第三款 stops the clock only for third parties and other agencies).
_DESK: frozenset[type[Event]] = frozenset(
    {InternalConsulted, InternalReplied, ReplyDrafted, ReplyApproved, NoticeIssued}
)

ALLOWED: dict[ApplicationStatus, frozenset[type[Event]]] = {
    _S.NEW: frozenset({Received}),
    _S.PROCESSING: frozenset(
        {
            CorrectionRequested,
            ThirdPartyConsulted,
            Extended,
            FeeNotified,
            Replied,
            Withdrawn,
            Transferred,
        }
    )
    | _DESK,
    _S.AWAITING_CORRECTION: frozenset(
        {CorrectionReceived, DeemedWithdrawn, Withdrawn, NoticeIssued}
    ),
    _S.CONSULTING: frozenset(
        {ThirdPartyConsulted, ThirdPartyReplied, Extended, Replied, Withdrawn, Transferred}
    )
    | _DESK,
    _S.AWAITING_FEE: frozenset({FeePaid, DeemedWithdrawn, Withdrawn, NoticeIssued}),
    _S.CLOSED: frozenset({ReviewCaseFiled, NoticeIssued, Archived}),
    # 归档: the case file is closed for good; corrections go through the archive's own procedure.
    _S.ARCHIVED: frozenset(),
}

_LABELS = {
    Received: "收到申请",
    CorrectionRequested: "补正告知",
    CorrectionReceived: "收到补正",
    DeemedWithdrawn: "视为放弃申请",
    Withdrawn: "撤回申请",
    ThirdPartyConsulted: "征求第三方意见",
    ThirdPartyReplied: "第三方答复",
    Extended: "延期答复",
    FeeNotified: "收费通知",
    FeePaid: "缴纳费用",
    Replied: "答复",
    Transferred: "转办",
    ReviewCaseFiled: "复议或诉讼",
    InternalConsulted: "内部会商",
    InternalReplied: "内部会商意见",
    ReplyDrafted: "拟办答复",
    ReplyApproved: "审批",
    NoticeIssued: "发出文书",
    Archived: "归档",
}

#: Which event a letter answers: a letter may be issued only once that step was recorded.
_NOTICE_NEEDS: dict[NoticeKind, type[Event]] = {
    NoticeKind.RECEIPT: Received,
    NoticeKind.CORRECTION: CorrectionRequested,
    NoticeKind.EXTENSION: Extended,
    NoticeKind.THIRD_PARTY: ThirdPartyConsulted,
    NoticeKind.FEE: FeeNotified,
    NoticeKind.REPLY: Replied,
}


def event_label(event: Event | type[Event]) -> str:
    """The Chinese name of an event (or an event class), as the desk's registers print it."""
    kind = event if isinstance(event, type) else type(event)
    return _LABELS[kind]


def open_consultations(events: Iterable[Event]) -> tuple[str, ...]:
    """The consulted parties that have not replied yet, in consultation order."""
    waiting: list[str] = []
    for ev in events:
        if isinstance(ev, ThirdPartyConsulted):
            waiting.append(ev.party)
        elif isinstance(ev, ThirdPartyReplied) and ev.party in waiting:
            waiting.remove(ev.party)
    return tuple(waiting)


def _step(current: ApplicationStatus, ev: Event, waiting: list[str]) -> ApplicationStatus:
    if isinstance(ev, ReviewCaseFiled | InternalConsulted | InternalReplied | NoticeIssued):
        return current
    if isinstance(ev, ReplyDrafted | ReplyApproved):
        return current
    if isinstance(ev, Archived):
        return _S.ARCHIVED
    if isinstance(ev, Received | CorrectionReceived | FeePaid | Transferred):
        return _S.CONSULTING if waiting else _S.PROCESSING
    if isinstance(ev, CorrectionRequested):
        return _S.AWAITING_CORRECTION
    if isinstance(ev, FeeNotified):
        return _S.AWAITING_FEE
    if isinstance(ev, ThirdPartyConsulted):
        waiting.append(ev.party)
        return _S.CONSULTING
    if isinstance(ev, ThirdPartyReplied):
        if ev.party in waiting:
            waiting.remove(ev.party)
        return _S.CONSULTING if waiting else _S.PROCESSING
    if isinstance(ev, Extended):
        return current
    return _S.CLOSED  # Replied, Withdrawn, DeemedWithdrawn


def status(application: Application) -> ApplicationStatus:
    """The procedural status after the application's last event."""
    current = _S.NEW
    waiting: list[str] = []
    for ev in application.events:
        current = _step(current, ev, waiting)
    return current


def _refuse(
    app_id: str, index: int, zh: str, en: str, expected: Iterable[type[Event]]
) -> InvalidTransition:
    kinds = sorted(k.kind for k in expected)
    return InvalidTransition(
        f"申请 {app_id}：{zh}",
        f"application {app_id}: {en}",
        field=f"events[{index}]",
        expected=kinds,
    )


class _Replay:
    """What the rules need to know about a history, folded in one pass."""

    __slots__ = (
        "approved",
        "corrected",
        "count",
        "draft",
        "drafted",
        "extended",
        "internal",
        "last_on",
        "receipt",
        "seen",
        "status",
        "waiting",
    )

    def __init__(self) -> None:
        self.status = _S.NEW
        self.waiting: list[str] = []
        self.extended = False
        self.corrected = False
        self.last_on: date | None = None
        self.receipt: date | None = None
        self.count = 0
        # The current draft reply and the approval steps it has passed, in order.
        self.draft: ReplyDrafted | None = None
        self.approved: list[str] = []
        self.drafted = False
        # Internal offices consulted that have not given their opinion yet.
        self.internal: list[InternalOffice] = []
        self.seen: set[type[Event]] = set()

    def advance(self, event: Event, channel: Channel) -> None:
        self.status = _step(self.status, event, self.waiting)
        self.seen.add(type(event))
        if isinstance(event, ReplyDrafted):
            self.draft, self.approved, self.drafted = event, [], True
        elif isinstance(event, ReplyApproved):
            if event.approved:
                self.approved.append(event.step)
            else:  # 退回修改: the draft is gone; a new one starts the approval again.
                self.draft, self.approved = None, []
        elif isinstance(event, InternalConsulted):
            self.internal.append(event.office)
        elif isinstance(event, InternalReplied) and event.office in self.internal:
            self.internal.remove(event.office)
        if isinstance(event, Received):
            # 条例 2019 第三十一条, as Application.receipt_date computes it.
            confirmed = channel.receipt_needs_confirmation and event.confirmed_on is not None
            self.receipt = event.confirmed_on if confirmed else event.on
        elif isinstance(event, Extended):
            self.extended = True
        elif isinstance(event, CorrectionReceived):
            self.corrected = True
        self.last_on = event.on
        self.count += 1


def _fold(application: Application) -> _Replay:
    state = _Replay()
    for ev in application.events:
        state.advance(ev, application.channel)
    return state


def _admit(state: _Replay, app_id: str, channel: Channel, event: Event) -> None:
    """Check that ``event`` may follow the folded history, then fold it in."""
    index = state.count
    current = state.status
    allowed = ALLOWED[current]
    label = _LABELS[type(event)]
    if type(event) not in allowed:
        names = "、".join(sorted(_LABELS[k] for k in allowed)) or "无"
        raise _refuse(
            app_id,
            index,
            f"当前状态为“{current.label}”，不能登记“{label}”；此时可登记：{names}",
            f"cannot record {event.kind!r} while the application is {current.code!r}; "
            f"expected one of: {', '.join(sorted(k.kind for k in allowed))}",
            allowed,
        )
    if state.last_on is not None and event.on < state.last_on:
        raise _refuse(
            app_id,
            index,
            f"“{label}”的日期 {event.on} 早于上一事件的日期 {state.last_on}",
            f"{event.kind!r} is dated {event.on}, before the previous event ({state.last_on})",
            allowed,
        )
    receipt = state.receipt
    if receipt is not None and event.on < receipt:
        raise _refuse(
            app_id,
            index,
            f"“{label}”的日期 {event.on} 早于收到申请之日 {receipt}（《条例》第三十一条）",
            f"{event.kind!r} is dated {event.on}, before the receipt date {receipt} (art. 31)",
            allowed,
        )
    _check_history(state, app_id, event, allowed)
    state.advance(event, channel)


def _check_history(
    state: _Replay, app_id: str, event: Event, allowed: frozenset[type[Event]]
) -> None:
    index = state.count
    if isinstance(event, Extended) and state.extended:
        raise _refuse(
            app_id,
            index,
            "已经延期一次，依《条例》第三十三条不得再次延期",
            "the reply period was already extended once; art. 33 allows one extension",
            allowed - {Extended},
        )
    if isinstance(event, ThirdPartyConsulted) and event.party in state.waiting:
        raise _refuse(
            app_id,
            index,
            f"已向“{event.party}”征求意见且尚未答复，不能重复登记",
            f"{event.party!r} is already being consulted and has not replied",
            allowed,
        )
    if isinstance(event, ThirdPartyReplied) and event.party not in state.waiting:
        raise _refuse(
            app_id,
            index,
            f"未向“{event.party}”征求意见或其已答复，不能登记其答复",
            f"{event.party!r} was not consulted or has already replied",
            allowed - {ThirdPartyReplied},
        )
    if isinstance(event, DeemedWithdrawn):
        needed = {
            WithdrawalCause.NO_CORRECTION: ApplicationStatus.AWAITING_CORRECTION,
            WithdrawalCause.FEE_NOT_PAID: ApplicationStatus.AWAITING_FEE,
        }[event.cause]
        if state.status is not needed:
            raise _refuse(
                app_id,
                index,
                f"“{event.cause.label}”只能在“{needed.label}”状态下登记",
                f"deemed withdrawal for {event.cause.code!r} needs status {needed.code!r}",
                allowed - {DeemedWithdrawn},
            )
    if isinstance(event, InternalReplied) and event.office not in state.internal:
        raise _refuse(
            app_id,
            index,
            f"未向“{event.office.label}”会商或其已回复意见，不能登记其意见",
            f"{event.office.code!r} was not consulted internally or has already replied",
            allowed - {InternalReplied},
        )
    if isinstance(event, NoticeIssued) and _NOTICE_NEEDS[event.notice] not in state.seen:
        trigger = _NOTICE_NEEDS[event.notice]
        raise _refuse(
            app_id,
            index,
            f"尚未登记“{_LABELS[trigger]}”，不能发出“{event.notice.label}”",
            f"a {event.notice.code!r} notice needs a recorded {trigger.kind!r} event first",
            allowed - {NoticeIssued},
        )
    if isinstance(event, ReplyApproved):
        _check_approval(state, app_id, event, allowed)
    if isinstance(event, Replied):
        _check_outcome(state, app_id, event, allowed)
    if isinstance(event, ReplyDrafted | Replied):
        _check_reasons(state, app_id, event)
    if isinstance(event, Replied):
        _check_approved(state, app_id, event, allowed)


def _check_approval(
    state: _Replay, app_id: str, event: ReplyApproved, allowed: frozenset[type[Event]]
) -> None:
    draft = state.draft
    if draft is None:
        raise _refuse(
            app_id,
            state.count,
            "没有待审批的答复拟稿，不能登记审批",
            "there is no draft reply awaiting approval",
            allowed - {ReplyApproved},
        )
    pending = draft.steps[len(state.approved) :]
    if not pending or event.step != pending[0]:
        nxt = pending[0] if pending else None
        raise InvalidTransition(
            f"申请 {app_id}：答复拟稿的下一审批环节是“{nxt or '无（已全部通过）'}”，"
            f"不是“{event.step}”",
            f"application {app_id}: the draft's next approval step is {nxt!r}, not {event.step!r}",
            field=f"events[{state.count}].step",
            code="lifecycle.approval_order",
            expected=[ReplyApproved.kind] if nxt else [Replied.kind],
        )


def _check_approved(
    state: _Replay, app_id: str, event: Replied, allowed: frozenset[type[Event]]
) -> None:
    # A reply after a draft is the draft as approved (拟办 -> 审核 -> 签发): until the last step
    # has passed, the reply is not sent, so it cannot be recorded and the clock runs on.
    draft = state.draft
    if draft is None:
        if state.drafted:  # the draft was sent back (退回修改): the reply needs a new one
            raise InvalidTransition(
                f"申请 {app_id}：答复拟稿已被退回修改，须重新拟稿并经审批后才能答复",
                f"application {app_id}: the draft reply was sent back; a new draft must be "
                "approved before the reply is sent",
                field=f"events[{state.count}]",
                code="lifecycle.approval_pending",
                expected=[ReplyDrafted.kind],
            )
        return
    pending = draft.steps[len(state.approved) :]
    if pending:
        raise InvalidTransition(
            f"申请 {app_id}：答复拟稿尚待“{'、'.join(pending)}”，未经审批的答复不能发出",
            f"application {app_id}: the draft reply still needs {', '.join(pending)}; "
            "an unapproved reply cannot be sent",
            field=f"events[{state.count}]",
            code="lifecycle.approval_pending",
            expected=[ReplyApproved.kind],
        )
    if event.outcome is not draft.outcome:
        raise InvalidTransition(
            f"申请 {app_id}：答复结果“{event.outcome.label}”与审批通过的拟稿"
            f"“{draft.outcome.label}”不一致",
            f"application {app_id}: the reply's outcome {event.outcome.code!r} is not the "
            f"approved draft's {draft.outcome.code!r}",
            field=f"events[{state.count}].outcome",
            code="lifecycle.draft_mismatch",
            expected=sorted(k.kind for k in allowed),
        )


def _check_reasons(state: _Replay, app_id: str, event: ReplyDrafted | Replied) -> None:
    # Every reply that does not give the applicant everything states why: 条例 2019 第三十六条
    # 第（三）项 (不予公开 "并说明理由"), 第三十七条 (部分公开: the withheld part and why), and the
    # other items of 第三十六条、第三十八条、第三十九条 tell the applicant what the agency found.
    if event.outcome is Outcome.DISCLOSED or (event.reasons and event.reasons.strip()):
        return
    raise InvalidTransition(
        f"申请 {app_id}：答复结果为“{event.outcome.label}”，须在 reasons 中说明理由"
        "（《条例》第三十六条、第三十七条）",
        f"application {app_id}: outcome {event.outcome.code!r} needs its reasons "
        "(field reasons; arts. 36-37)",
        field=f"events[{state.count}].reasons",
        code="lifecycle.reasons_required",
        expected=[],
    )


def pending_approval(application: Application) -> tuple[str, ...] | None:
    """The approval steps the current draft reply still needs, in order; ``None`` without a
    draft (or after the draft was sent back). An empty tuple: the draft may be sent."""
    state = _fold(application)
    if state.draft is None:
        return None
    return state.draft.steps[len(state.approved) :]


def _check_outcome(
    state: _Replay, app_id: str, event: Replied, allowed: frozenset[type[Event]]
) -> None:
    if event.outcome in _DEEMED_OUTCOMES:
        # Table 三 rows (六)1 and (六)2 count applications the agency stopped processing because
        # the applicant let a period run out; that is a deemed withdrawal, not a reply.
        raise _refuse(
            app_id,
            state.count,
            f"“{event.outcome.label}”应登记为“视为放弃申请”（deemed_withdrawn），不是答复",
            f"outcome {event.outcome.code!r} is recorded as deemed_withdrawn, not as a reply",
            allowed - {Replied},
        )
    if event.outcome is Outcome.UNCLEAR_AFTER_CORRECTION and not state.corrected:
        raise _refuse(
            app_id,
            state.count,
            "“补正后申请内容仍不明确”须先收到补正",
            "outcome unclear_after_correction needs a corrected application",
            allowed,
        )


_DEEMED_OUTCOMES = frozenset({Outcome.NO_CORRECTION, Outcome.FEE_NOT_PAID})


def apply(application: Application, event: Event) -> Application:
    """Return ``application`` with ``event`` appended, or raise `InvalidTransition`.

    The original application is unchanged, whatever happens.
    """
    return apply_all(application, (event,))


def apply_all(application: Application, events: Iterable[Event]) -> Application:
    """Apply several events in order; the first refused one raises and nothing is applied.

    The history is folded once and the new application built once, so appending *k* events to
    a history of *n* costs O(n + k).
    """
    state = _fold(application)
    added: list[Event] = []
    for ev in events:
        _admit(state, application.id, application.channel, ev)
        added.append(ev)
    if not added:
        return application
    return attrs.evolve(application, events=(*application.events, *added))


def check_history(application: Application) -> None:
    """Raise `InvalidTransition` at the first event of ``application`` that may not follow the
    ones before it; return quietly if the whole history is valid.

    For stores validating a whole application at creation or import: one pass, no
    intermediate objects.

    .. versionchanged:: 0.2.0 a history without the desk's own steps is first checked by a
       quicker pass over the same rules (`_quick_valid`); only a history it cannot vouch for
       is replayed rule by rule, which also words the refusal.
    """
    if _quick_valid(application):
        return
    state = _Replay()
    for ev in application.events:
        _admit(state, application.id, application.channel, ev)


# -- the quick pass ---------------------------------------------------------------------------
#
# `_admit` replays a history rule by rule so that a refusal can say which rule and what was
# expected; on a bulk import of valid histories that wording is never needed, and the replay
# (an ``isinstance`` chain per event in `_step`, `_Replay.advance` and `_check_history`) was
# most of the import's Python time. `_quick_valid` checks the same rules in one loop over the
# events, the status as a small integer and each event's class looked up once. It only ever
# answers "valid" or "ask the replay": a history with one of the desk's steps (the draft, its
# approval, internal consultation, letters), an event of a class it does not know, or any
# refusal goes to `_admit`, which decides and words it. tests/test_lifecycle_quick.py checks
# that it answers "valid" exactly when the replay accepts, on arbitrary histories.

#: The statuses as the quick pass numbers them (an index into `_QUICK_ALLOWED`).
_QUICK_STATUSES = (
    _S.NEW,
    _S.PROCESSING,
    _S.AWAITING_CORRECTION,
    _S.CONSULTING,
    _S.AWAITING_FEE,
    _S.CLOSED,
    _S.ARCHIVED,
)
_NEW, _PROCESSING, _AWAITING_CORRECTION, _CONSULTING, _AWAITING_FEE, _CLOSED, _ARCHIVED = range(7)
#: `ALLOWED`, by the quick pass's status numbers.
_QUICK_ALLOWED = tuple(ALLOWED[s] for s in _QUICK_STATUSES)
# What each event class does, for the quick pass (the desk's steps are not listed: the replay
# checks those histories).
_RECEIVED, _RESUME, _TO_CORRECTION, _TO_FEE, _CONSULT, _REPLY_OF_PARTY = range(6)
_EXTEND, _REPLY, _CLOSE, _DEEMED, _KEEP, _ARCHIVE, _CORRECTED = range(6, 13)
_QUICK_ACTION: dict[type[Event], int] = {
    Received: _RECEIVED,
    CorrectionReceived: _CORRECTED,
    FeePaid: _RESUME,
    Transferred: _RESUME,
    CorrectionRequested: _TO_CORRECTION,
    FeeNotified: _TO_FEE,
    ThirdPartyConsulted: _CONSULT,
    ThirdPartyReplied: _REPLY_OF_PARTY,
    Extended: _EXTEND,
    Replied: _REPLY,
    Withdrawn: _CLOSE,
    DeemedWithdrawn: _DEEMED,
    ReviewCaseFiled: _KEEP,
    Archived: _ARCHIVE,
}
_DISCLOSED = Outcome.DISCLOSED
_UNCLEAR_AFTER_CORRECTION = Outcome.UNCLEAR_AFTER_CORRECTION
#: The status a deemed withdrawal needs, by its cause (as `_check_history` has it).
_DEEMED_NEEDS = {
    WithdrawalCause.NO_CORRECTION: _AWAITING_CORRECTION,
    WithdrawalCause.FEE_NOT_PAID: _AWAITING_FEE,
}


def _quick_valid(application: Application) -> bool:
    """Whether the history is valid by every rule of `_admit`, checked in one quick loop;
    False also when the loop does not know (a desk step, an unknown class): ask the replay."""
    status = _NEW
    last: date | None = None
    receipt: date | None = None
    extended = corrected = False
    waiting: list[str] = []
    actions = _QUICK_ACTION
    allowed_at = _QUICK_ALLOWED
    events: tuple[Any, ...] = application.events  # each read as its class (`_QUICK_ACTION`)
    for ev in events:
        cls = type(ev)
        action = actions.get(cls)
        if action is None or cls not in allowed_at[status]:
            return False
        on = ev.on
        if last is not None and on < last:
            return False
        if receipt is not None and on < receipt:
            return False
        last = on
        if action == _REPLY:
            outcome = ev.outcome
            if outcome is not _DISCLOSED:
                reasons = ev.reasons
                if not (reasons and reasons.strip()) or outcome in _DEEMED_OUTCOMES:
                    return False
                if outcome is _UNCLEAR_AFTER_CORRECTION and not corrected:
                    return False
            status = _CLOSED
        elif action == _RESUME:
            status = _CONSULTING if waiting else _PROCESSING
        elif action == _RECEIVED:
            confirmed = ev.confirmed_on
            if confirmed is not None and application.channel.receipt_needs_confirmation:
                receipt = confirmed
            else:
                receipt = on
            status = _CONSULTING if waiting else _PROCESSING
        elif action == _CONSULT:
            party = ev.party
            if party in waiting:
                return False
            waiting.append(party)
            status = _CONSULTING
        elif action == _REPLY_OF_PARTY:
            party = ev.party
            if party not in waiting:
                return False
            waiting.remove(party)
            status = _CONSULTING if waiting else _PROCESSING
        elif action == _EXTEND:
            if extended:
                return False
            extended = True
        elif action == _CORRECTED:
            corrected = True
            status = _CONSULTING if waiting else _PROCESSING
        elif action == _TO_CORRECTION:
            status = _AWAITING_CORRECTION
        elif action == _TO_FEE:
            status = _AWAITING_FEE
        elif action == _CLOSE:
            status = _CLOSED
        elif action == _DEEMED:
            if _DEEMED_NEEDS.get(ev.cause) != status:
                return False
            status = _CLOSED
        elif action == _ARCHIVE:
            status = _ARCHIVED
        # _KEEP (a review case filed): the status stays.
    return True
