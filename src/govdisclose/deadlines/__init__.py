"""The statutory clocks: pure functions of (facts, parameters, calendar[, as-of date]).

Every function takes the `ParameterSet` and the `WorkCalendar` as arguments and, where a status
is asked for, the ``as_of`` date: nothing here reads a clock. A `Deadline` carries the due date
*and* the steps that explain it (start, holidays skipped, makeup working days counted, pauses,
extension), the citations it applies, the calendar version it used and whether it is
provisional.

The rules (law/facts.md §3.3):

* a limit of N working days runs from the day after its trigger; the due date is the N-th
  working day after it;
* the regime (2008 or 2019 text) and every application parameter are taken at the application's
  receipt date, which depends on the channel (条例 2019 第三十一条; `Application.receipt_date`);
* a correction request stops the reply clock; it restarts from the day the corrected application
  arrives (第三十条);
* consultation of third parties (第三十二条) and other agencies (第三十四条) is not counted
  (第三十三条第三款): from the day of consultation to the day of the reply, or without a reply to
  the end of the 15-working-day reply window; several consultations count once (union);
* waiting for the fee (国办函〔2020〕109号) is not counted only if the parameter
  ``fee_pauses_reply_clock`` says so (default: counted; see ``params/data/fees.toml``);
* an extension adds at most the regime's ``extension_days``, once, continuing from the original
  due date (第三十三条第二款); a larger request is clamped, and an extension decided after the
  original due date is not applied (the period had already run out);
* overdue is decided by the date in Asia/Shanghai, never by the time of day.

Calendar errors are not caught: with a strict calendar a computation that reaches a year without
an official holiday schedule raises `govdisclose.errors.CalendarDataMissing`. With a provisional
calendar the result is marked ``provisional`` with the calendar's assumption whenever a counted
day lies on or after ``calendar.provisional_from``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

import attrs
from attrs import frozen

from govdisclose._time import SHANGHAI, count_arg, day_arg
from govdisclose.calendar import DayChange, WorkCalendar
from govdisclose.clocks import (
    FACT_STEPS,
    Clock,
    ClockState,
    ClockStatus,
    Deadline,
    HourDeadline,
    ItemProblem,
    PauseCause,
    Span,
    Step,
    StepKind,
)
from govdisclose.deadlines._fold import ReplyFold, Stopped, fold
from govdisclose.deadlines._steps import (
    calendar_steps,
    citations,
    due_with_pauses,
    merge_spans,
)
from govdisclose.errors import CalendarError
from govdisclose.model import (
    Application,
    DeemedWithdrawn,
    FeeNotified,
    Inquiry,
    OpinionEvent,
    Record,
    Replied,
    ThirdPartyConsulted,
    Withdrawn,
)
from govdisclose.params import Citation, ParameterSet, Snapshot
from govdisclose.review import ReviewChain, ReviewProgress
from govdisclose.vocab import DisclosureAttribute, InquiryKind

if TYPE_CHECKING:
    from govdisclose.columns import ReplyFacts
    from govdisclose.deadlines._batch import StatusBatch

__all__ = [
    "SHANGHAI",
    "Clock",
    "ClockState",
    "ClockStatus",
    "Deadline",
    "HourDeadline",
    "ItemProblem",
    "Move",
    "PauseCause",
    "RecomputeReport",
    "ReviewBacklogItem",
    "Span",
    "StatusBatch",
    "Step",
    "StepKind",
    "approaching",
    "correction_notice_deadline",
    "fee_payment_deadline",
    "inquiry_deadline",
    "inquiry_status",
    "opinion_deadlines",
    "proactive_deadline",
    "proactive_due",
    "proactive_status",
    "recompute",
    "reply_deadline",
    "reply_status",
    "reply_status_facts",
    "reply_status_many",
    "review_backlog",
    "status_of",
    "third_party_deadlines",
]

_ONE = timedelta(days=1)


# -- the shared machinery ---------------------------------------------------------------------


def _as_day(as_of: date, name: str = "as_of") -> date:
    """A date; an aware datetime becomes its Asia/Shanghai date; anything else is refused."""
    return day_arg(as_of, name)


def _provisional(cal: WorkCalendar, due: date) -> tuple[bool, str | None]:
    if cal.provisional_from is not None and due >= cal.provisional_from:
        return True, cal.provisional_assumption
    return False, None


def _build(
    cal: WorkCalendar,
    *,
    clock: Clock,
    start: date,
    limit: int,
    extension: int,
    spans: Sequence[Span],
    legal_basis: tuple[Citation, ...],
    fact_steps: Sequence[Step],
    limit_article: str | None,
    pause_article: str | None = None,
) -> Deadline:
    spans = merge_spans(spans)
    base_due = due_with_pauses(cal, start, limit, spans)
    due = due_with_pauses(cal, start, limit + extension, spans) if extension else base_due
    steps = [s for s in fact_steps if s.kind in (StepKind.START, StepKind.RESTART)]
    # The calendar's steps and the other facts (a consultation sent, a fee notice, a refused
    # extension) in date order, as a clerk reads a file; undated summaries last.
    middle = calendar_steps(cal, start, due, spans, pause_article)
    middle += [s for s in fact_steps if s.kind not in (StepKind.START, StepKind.RESTART)]
    steps += sorted((s for s in middle if s.day is not None), key=lambda s: s.day or start)
    steps += [s for s in middle if s.day is None]
    if extension:
        steps.append(
            Step(
                StepKind.BASE_DUE,
                base_due,
                f"原{limit}个工作日期限届满",
                days=limit,
                article=limit_article,
            )
        )
        steps.append(
            Step(
                StepKind.EXTENSION,
                base_due,
                f"延长{extension}个工作日，自原期限届满次日续算",
                days=extension,
                until=due,
                article=limit_article,
            )
        )
    provisional, assumption = _provisional(cal, due)
    steps.append(Step(StepKind.DUE, due, f"第{limit + extension}个计入的工作日，即期限届满日"))
    if provisional:
        steps.append(Step(StepKind.PROVISIONAL, cal.provisional_from, f"临时结果：{assumption}"))
    return Deadline(
        clock=clock,
        start=start,
        due=due,
        limit_days=limit,
        extension_days=extension,
        paused=spans,
        provisional=provisional,
        assumption=assumption,
        legal_basis=legal_basis,
        calendar_version=cal.version,
        steps=tuple(steps),
    )


def status_of(
    deadline: Deadline | None,
    as_of: date,
    *,
    calendar: WorkCalendar,
    done_on: date | None = None,
    warn_within: int = 3,
    clock: Clock | None = None,
) -> ClockStatus:
    """The state of any clock on ``as_of`` given the day it was satisfied (``done_on``), if any.

    An act after ``as_of`` is not known yet on ``as_of`` and is ignored. Within a pause the clock
    is ``STOPPED``.
    """
    day = _as_day(as_of)
    warn_within = count_arg(warn_within, "warn_within")
    if done_on is not None:
        done_on = day_arg(done_on, "done_on")
    if deadline is None:
        return ClockStatus(clock or Clock.REPLY, ClockState.NOT_STARTED, day, None)
    due = deadline.due
    if done_on is not None and done_on <= day:
        late = calendar.working_days_between(due, done_on) if done_on > due else None
        state = ClockState.MISSED if done_on > due else ClockState.MET
        return ClockStatus(
            deadline.clock, state, day, due, None, late, done_on, deadline.provisional
        )
    if day > due:
        late = calendar.working_days_between(due, day)
        return ClockStatus(
            deadline.clock, ClockState.OVERDUE, day, due, None, late, None, deadline.provisional
        )
    left = calendar.working_days_between(day, due)
    for span in deadline.paused:
        if day in span:
            return ClockStatus(
                deadline.clock,
                ClockState.STOPPED,
                day,
                due,
                left,
                None,
                None,
                deadline.provisional,
                f"{span.cause.label}，{span.start.isoformat()}至{span.end.isoformat()}暂停计算",
            )
    state = ClockState.DUE_SOON if left <= warn_within else ClockState.PENDING
    return ClockStatus(deadline.clock, state, day, due, left, None, None, deadline.provisional)


# -- the reply clock ------------------------------------------------------------------------------


def _snap_cache(params: ParameterSet, cache: dict[date, Snapshot] | None, day: date) -> Snapshot:
    if cache is None:
        return params.at(day)
    snap = cache.get(day)
    if snap is None:
        snap = cache[day] = params.at(day)
    return snap


def _reply(
    app: Application,
    params: ParameterSet,
    cal: WorkCalendar,
    as_of: date | None,
    with_steps: bool = True,
    cache: dict[date, Snapshot] | None = None,
) -> Deadline | Stopped | None:
    """The reply deadline from the fold of the events: with its explanation, or (``with_steps``
    false, for statuses) the due date alone. Both come from the same `fold`."""
    facts = fold(app, partial(_snap_cache, params, cache), cal, as_of, explain=with_steps)
    if not isinstance(facts, ReplyFold):
        return facts
    if not with_steps:
        provisional, assumption = _provisional(cal, facts.due)
        return Deadline(
            Clock.REPLY,
            facts.start,
            facts.due,
            facts.limit,
            facts.extension,
            facts.spans,
            provisional,
            assumption,
            (),
            cal.version,
            (),
        )
    return _build(
        cal,
        clock=Clock.REPLY,
        start=facts.start,
        limit=facts.limit,
        extension=facts.extension,
        spans=facts.spans,
        legal_basis=citations(*facts.refs),
        fact_steps=facts.steps,
        limit_article=facts.reply_article,
        pause_article=f"{facts.reply_article}第三款" if facts.regime == "2019" else None,
    )


def reply_deadline(
    application: Application, *, params: ParameterSet, calendar: WorkCalendar
) -> Deadline | None:
    """The reply deadline of an application from all its recorded events (条例 2019 第三十三条,
    2008 第二十四条), or ``None`` while no reply period runs: not received yet, or awaiting the
    corrected application (the period restarts on its arrival, 第三十条), or consulting without a
    reply window (2008 text).

    Raises `CalendarDataMissing` (strict calendar) when the count reaches a year without data.
    """
    result = _reply(application, params, calendar, None)
    return result if isinstance(result, Deadline) else None


def reply_status(
    application: Application,
    as_of: date,
    *,
    params: ParameterSet,
    calendar: WorkCalendar,
    warn_within: int = 3,
) -> ClockStatus:
    """The reply clock on ``as_of``, from the events recorded up to that day.

    ``DUE_SOON`` when at most ``warn_within`` working days are left (the due day itself
    included); ``OVERDUE`` from the day after the due date (Asia/Shanghai date).
    """
    day = _as_day(as_of)
    return _reply_status(
        application, day, params, calendar, count_arg(warn_within, "warn_within"), None
    )


def _reply_status(
    app: Application,
    day: date,
    params: ParameterSet,
    cal: WorkCalendar,
    warn_within: int,
    cache: dict[date, Snapshot] | None,
) -> ClockStatus:
    result = _reply(app, params, cal, day, with_steps=False, cache=cache)
    if result is None:
        return ClockStatus(Clock.REPLY, ClockState.NOT_STARTED, day, None)
    final = app.final_event
    if final is not None and final.on > day:
        final = None
    if isinstance(final, Withdrawn | DeemedWithdrawn):
        due = result.due if isinstance(result, Deadline) else None
        return ClockStatus(
            Clock.REPLY, ClockState.ENDED, day, due, done_on=final.on, reason=type(final).__name__
        )
    if isinstance(result, Stopped):
        return ClockStatus(Clock.REPLY, ClockState.STOPPED, day, None, reason=result.reason)
    done = final.on if isinstance(final, Replied) else None
    return status_of(result, day, calendar=cal, done_on=done, warn_within=warn_within)


def reply_status_many(
    applications: Sequence[Application],
    as_of: date,
    *,
    params: ParameterSet,
    calendar: WorkCalendar,
    warn_within: int = 3,
) -> StatusBatch:
    """`reply_status` for many applications at once (needs numpy).

    The facts the clock needs are read from all events in a few C-level passes; due dates of
    plain histories, corrected applications and histories with one consultation are then
    computed together with array operations over the calendar's tables, the rarer ones (several
    consultations, fee pauses, events out of date order) one by one without explanations; states
    are classified with array operations. Gives the same states, due dates, day counts and
    provisional flags as `reply_status` for any history (tested). Returns a `StatusBatch`.
    """
    from govdisclose.columns import ReplyFacts

    return reply_status_facts(
        ReplyFacts.of(applications),
        as_of,
        params=params,
        calendar=calendar,
        warn_within=warn_within,
    )


def reply_status_facts(
    facts: ReplyFacts,
    as_of: date,
    *,
    params: ParameterSet,
    calendar: WorkCalendar,
    warn_within: int = 3,
) -> StatusBatch:
    """`reply_status_many` from columns (needs numpy): the reply status of every row of
    ``facts`` (`govdisclose.columns.ReplyFacts`, from `govdisclose.store.reply_facts` or
    `ReplyFacts.of`), in row order, without an `Application` object per row.

    Only the rare histories the arrays do not cover (several consultations, fee pauses, a
    consultation in a history out of date order) are computed one by one, by the scalar path's
    fold of the history rebuilt from the columns: no `Application` is loaded. The results
    equal `reply_status` of each row's application (tested); a row that cannot be computed is
    ``UNDETERMINED`` with its `ItemProblem` (``facts.ids[i]``).

    .. versionchanged:: 0.2.0 the rows the arrays do not cover no longer load their objects.
    """
    from govdisclose.deadlines._batch import status_many

    return status_many(
        facts, _as_day(as_of), params, calendar, count_arg(warn_within, "warn_within")
    )


# -- the other clocks of an application ------------------------------------------------------


def _simple(
    cal: WorkCalendar,
    snap: Snapshot,
    *,
    clock: Clock,
    name: str,
    start: date,
    start_rule: str,
) -> Deadline:
    days = snap.working_days(name)
    ref = snap.citation(name)
    return _build(
        cal,
        clock=clock,
        start=start,
        limit=days,
        extension=0,
        spans=(),
        legal_basis=(ref,),
        fact_steps=(
            Step(
                StepKind.START,
                start,
                f"{start_rule}，自次日起算{days}个工作日",
                article=ref.article,
            ),
        ),
        limit_article=ref.article,
    )


def correction_notice_deadline(
    application: Application, *, params: ParameterSet, calendar: WorkCalendar
) -> Deadline | None:
    """The last day to send the one-time correction notice: 7 working days from receipt
    (条例 2019 第三十条). ``None`` if not received or under the 2008 text, which set no such
    limit."""
    receipt = application.receipt_date
    if receipt is None:
        return None
    snap = params.at(receipt)
    if "correction_notice_days" not in snap:
        return None
    return _simple(
        calendar,
        snap,
        clock=Clock.CORRECTION_NOTICE,
        name="correction_notice_days",
        start=receipt,
        start_rule="收到申请，须一次性告知补正",
    )


def fee_payment_deadline(
    application: Application, *, params: ParameterSet, calendar: WorkCalendar
) -> Deadline | None:
    """The applicant's last day to pay the latest fee notice: 20 working days from the day after
    the notice (国办函〔2020〕109号); unpaid by then, the application is deemed abandoned.
    ``None`` without a fee notice (or before the fee rules took effect)."""
    notice = next((e for e in reversed(application.events) if isinstance(e, FeeNotified)), None)
    if notice is None:
        return None
    snap = params.at(notice.on)
    if "fee_payment_days" not in snap:
        return None
    return _simple(
        calendar,
        snap,
        clock=Clock.FEE_PAYMENT,
        name="fee_payment_days",
        start=notice.on,
        start_rule="发出收费通知",
    )


def third_party_deadlines(
    application: Application, *, params: ParameterSet, calendar: WorkCalendar
) -> tuple[Deadline, ...]:
    """One deadline per consultation: the consulted party's reply window (15 working days,
    条例 2019 第三十二条 for third parties, 第三十四条 for co-producing agencies, whose silence
    counts as consent). The consultation day stands in for the day the letter was received.
    Empty under the 2008 text, which set no window."""
    receipt = application.receipt_date
    if receipt is None:
        return ()
    snap = params.at(receipt)
    out = []
    for ev in application.events:
        if not isinstance(ev, ThirdPartyConsulted):
            continue
        name = "co_producer_reply_days" if ev.is_agency else "third_party_reply_days"
        if name not in snap:
            continue
        out.append(
            _simple(
                calendar,
                snap,
                clock=Clock.CO_PRODUCER if ev.is_agency else Clock.THIRD_PARTY,
                name=name,
                start=ev.on,
                start_rule=f"向{ev.party}发出征求意见书",
            )
        )
    return tuple(out)


# -- proactive disclosure ----------------------------------------------------------------------


def proactive_deadline(
    record: Record, *, params: ParameterSet, calendar: WorkCalendar
) -> Deadline | None:
    """The last day to publish a 主动公开 record: 20 working days from the day it was formed or
    last changed (条例 2019 第二十六条, 2008 第十八条). ``None`` for a record not (or not yet)
    decided 主动公开."""
    if record.attribute is not DisclosureAttribute.PROACTIVE:
        return None
    start = record.clock_start
    snap = params.at(start)
    rule = "信息变更" if record.changed_on is not None else "信息形成"
    return _simple(
        calendar, snap, clock=Clock.PROACTIVE, name="proactive_days", start=start, start_rule=rule
    )


def proactive_due(record: Record, *, params: ParameterSet, calendar: WorkCalendar) -> date | None:
    """`proactive_deadline`'s due date alone, without building the explanation: for checking
    many records at once (the lateness rule). Same rule, same result, same errors."""
    if record.attribute is not DisclosureAttribute.PROACTIVE:
        return None
    start = record.clock_start
    return calendar.add_working_days(start, params.at(start).working_days("proactive_days"))


def _held_back(record: Record, progress: ReviewProgress) -> str | None:
    """Why an unpublished record has not left yet, in Chinese: its review, its timed release."""
    why = []
    if not progress.complete:
        why.append(f"审查未完成：{progress.describe_zh()}")
    release = record.timed_release
    if release is not None:
        moment = release.not_before.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        why.append(f"择时公开：不早于{moment}（{release.reason}）")
    return "；".join(why) or None


def proactive_status(
    record: Record,
    as_of: date,
    *,
    params: ParameterSet,
    calendar: WorkCalendar,
    warn_within: int = 3,
    chain: ReviewChain | None = None,
) -> ClockStatus:
    """The proactive clock on ``as_of``: met when the record was first published on or after
    the day its clock started (a publication before a change does not publish the change).

    Neither the review nor a timed release (择时公开) stops this clock: the 20 working days of
    条例 2019 第二十六条 run from the day the record was formed or changed. While the record is
    unpublished, ``reason`` says what holds it back: the review step it waits for on ``chain``
    (`ReviewChain.default`, one 保密审查, without it), and the moment of a timed release. A
    record stuck in review past its due date is ``OVERDUE`` with the pending step named.

    .. versionchanged:: 0.2.0 ``chain``, and the ``reason`` of an unpublished record.
    """
    deadline = proactive_deadline(record, params=params, calendar=calendar)
    done = min(
        (p.published_on for p in record.publications if p.published_on >= record.clock_start),
        default=None,
    )
    status = status_of(
        deadline,
        as_of,
        calendar=calendar,
        done_on=done,
        warn_within=warn_within,
        clock=Clock.PROACTIVE,
    )
    if deadline is None or status.state in (ClockState.MET, ClockState.MISSED):
        return status
    why = _held_back(record, (chain or ReviewChain.default()).progress(record))
    return status if why is None else attrs.evolve(status, reason=why)


@frozen
class ReviewBacklogItem:
    """A proactive record whose review is incomplete while its clock runs out
    (`review_backlog`): which record, the step it waits for, and the clock.

    :param pending: the review step it waits for; ``escalated_to`` the office it was referred
        to, while no answer is recorded; ``returned`` whether it was sent back for revision.
    """

    record_id: str
    agency: str
    pending: str
    escalated_to: str | None
    returned: bool
    status: ClockStatus


def review_backlog(
    records: Iterable[Record],
    as_of: date,
    *,
    params: ParameterSet,
    calendar: WorkCalendar,
    chain: ReviewChain | None = None,
    warn_within: int = 3,
) -> list[ReviewBacklogItem]:
    """The proactive records stuck in review on ``as_of``: unpublished, their review on
    ``chain`` incomplete, and their 20-working-day clock (条例 2019 第二十六条) overdue or due
    within ``warn_within`` working days; most overdue first, then by due date and id.

    The clock does not wait for the review (先审查后公开 is the agency's own work, inside the
    limit): this is the list of records the reviewers hold up.

    .. versionadded:: 0.2.0
    """
    day = _as_day(as_of)
    steps = chain or ReviewChain.default()
    out: list[ReviewBacklogItem] = []
    for record in records:
        if record.attribute is not DisclosureAttribute.PROACTIVE:
            continue
        progress = steps.progress(record)
        if progress.complete or progress.pending is None:
            continue
        status = proactive_status(
            record, day, params=params, calendar=calendar, warn_within=warn_within, chain=steps
        )
        if status.state not in (ClockState.OVERDUE, ClockState.DUE_SOON):
            continue
        out.append(
            ReviewBacklogItem(
                record_id=record.id,
                agency=record.agency,
                pending=progress.pending,
                escalated_to=progress.escalated_to,
                returned=progress.returned is not None,
                status=status,
            )
        )
    out.sort(
        key=lambda item: (
            -(item.status.working_days_late or 0),
            item.status.due or day,
            item.record_id,
        )
    )
    return out


# -- inquiries, complaints and public opinion (local policy) ---------------------------------

_INQUIRY_LIMIT = {
    InquiryKind.GENERAL: "inquiry_general_days",
    InquiryKind.COMPLEX: "inquiry_complex_days",
    InquiryKind.SPECIAL: "inquiry_special_days",
    InquiryKind.COMPLAINT: "complaint_days",
}


def inquiry_deadline(inquiry: Inquiry, *, params: ParameterSet, calendar: WorkCalendar) -> Deadline:
    """The handling limit of a public inquiry or complaint under the local rules (defaults from
    seed 003): 5 working days for a general question, 10 for a complex one, up to 20 when
    extended (or for a special case); complaints 15, extended up to 30; plus 5 working days for
    each level of 政府办 that forwarded it. Counted from the day after receipt."""
    snap = params.at(inquiry.received_on)
    base_name = _INQUIRY_LIMIT[inquiry.kind]
    limit = snap.working_days(base_name)
    refs: list[Citation | None] = [snap.citation(base_name)]
    extension = 0
    if inquiry.extended:
        ext_name = (
            "complaint_extended_days"
            if inquiry.kind is InquiryKind.COMPLAINT
            else "inquiry_special_days"
        )
        extension = max(snap.working_days(ext_name) - limit, 0)
        refs.append(snap.citation(ext_name))
    forwarding = 0
    fact = [
        Step(
            StepKind.START,
            inquiry.received_on,
            f"收到{inquiry.kind.label}，自次日起算{limit}个工作日（地方规定）",
            article=snap.citation(base_name).article,
        )
    ]
    if inquiry.forwarding_levels:
        per_level = snap.working_days("forwarding_days_per_level")
        forwarding = per_level * int(inquiry.forwarding_levels)
        refs.append(snap.citation("forwarding_days_per_level"))
        fact.append(
            Step(
                StepKind.NOTE,
                inquiry.received_on,
                f"经{inquiry.forwarding_levels}级政府办转发，每级{per_level}个工作日，"
                f"共加{forwarding}个工作日",
                days=forwarding,
                article=snap.citation("forwarding_days_per_level").article,
            )
        )
    return _build(
        calendar,
        clock=Clock.INQUIRY,
        start=inquiry.received_on,
        limit=limit + forwarding,
        extension=extension,
        spans=(),
        legal_basis=citations(*refs),
        fact_steps=fact,
        limit_article=snap.citation(base_name).article,
    )


def inquiry_status(
    inquiry: Inquiry,
    as_of: date,
    *,
    params: ParameterSet,
    calendar: WorkCalendar,
    warn_within: int = 1,
) -> ClockStatus:
    """The inquiry clock on ``as_of`` (met when answered on or before the due date)."""
    deadline = inquiry_deadline(inquiry, params=params, calendar=calendar)
    return status_of(
        deadline, as_of, calendar=calendar, done_on=inquiry.answered_on, warn_within=warn_within
    )


def opinion_deadlines(event: OpinionEvent, *, params: ParameterSet) -> tuple[HourDeadline, ...]:
    """The hour limits of a public-opinion event about a 特别重大、重大突发事件 (national,
    shorten-only: 国办发〔2016〕80号 for the 5 hours, 〔2016〕61号 for the 24; seed 002 repeats
    them): authoritative information within 5 hours and a press conference within 24 hours of
    detection. Times are aware and in Asia/Shanghai. Empty for an event not marked ``major``;
    `govdisclose.opinion.duties` also gives other opinion its 48 hours (国办发〔2016〕61号)."""
    if not event.major:
        return ()
    start = event.detected_at.astimezone(SHANGHAI)
    snap = params.at(start.date())
    out = []
    for clock, name, done in (
        (Clock.OPINION_INFO, "opinion_authoritative_info_hours", event.authoritative_info_at),
        (Clock.OPINION_PRESS, "opinion_press_conference_hours", event.press_conference_at),
    ):
        hours = snap.hours(name)
        due = start + timedelta(hours=hours)
        done_local = None if done is None else done.astimezone(SHANGHAI)
        out.append(
            HourDeadline(
                clock=clock,
                start=start,
                due=due,
                hours=hours,
                legal_basis=(snap.citation(name),),
                done_at=done_local,
                met=None if done_local is None else done_local <= due,
            )
        )
    return tuple(out)


# -- recomputation with a new calendar ---------------------------------------------------------


@frozen
class Move:
    """One deadline whose due date changed with the new calendar."""

    key: Any
    clock: Clock
    old_due: date
    new_due: date
    working_days: int
    calendar_days: int
    was_provisional: bool
    changed_days: tuple[DayChange, ...]
    deadline: Deadline

    def describe(self) -> str:
        """The move in one line of Chinese."""
        direction = "推后" if self.new_due > self.old_due else "提前"
        why = "、".join(
            f"{c.day.isoformat()}{'改为工作日' if c.now_workday else '改为休息日'}"
            for c in self.changed_days
        )
        mark = "［原为临时结果］" if self.was_provisional else ""
        return (
            f"{mark}{self.key}（{self.clock.label}）：{self.old_due.isoformat()} → "
            f"{self.new_due.isoformat()}，{direction}{abs(self.calendar_days)}天"
            f"（{abs(self.working_days)}个工作日）；原因：{why or '日历数据变化'}"
        )


@frozen
class RecomputeReport:
    """What moved when deadlines were recomputed with a new calendar; provisional ones first."""

    old_version: str
    new_version: str
    moves: tuple[Move, ...]
    unchanged: int
    recomputed: tuple[tuple[Any, Deadline], ...]

    def explain(self) -> str:
        """The report in Chinese, one line per moved deadline."""
        head = (
            f"日历由 {self.old_version} 更新为 {self.new_version}：{len(self.moves)}个期限变动，"
            f"{self.unchanged}个不变"
        )
        return "\n".join([head, *(m.describe() for m in self.moves)])


def recompute(
    deadlines: Iterable[Deadline] | Iterable[tuple[Any, Deadline]] | Mapping[Any, Deadline],
    new_calendar: WorkCalendar,
    *,
    old_calendar: WorkCalendar,
) -> RecomputeReport:
    """Recompute deadlines with a new calendar (e.g. after next year's holiday notice came out)
    and report which due dates moved, by how much, and which days changed status.

    The facts (start, limit, extension, pause spans) are kept; only the calendar changes. Pass
    the open cases: those computed provisionally are listed first. ``old_calendar`` must be the
    calendar the deadlines were computed with (checked by version).
    """
    pairs: list[tuple[Any, Deadline]]
    if isinstance(deadlines, Mapping):
        pairs = list(deadlines.items())
    else:
        pairs = [item if isinstance(item, tuple) else (i, item) for i, item in enumerate(deadlines)]
    moves: list[Move] = []
    out: list[tuple[Any, Deadline]] = []
    for key, old in pairs:
        if old.calendar_version != old_calendar.version:
            raise CalendarError(
                f"期限 {key} 由日历 {old.calendar_version} 计算，与给定的旧日历 "
                f"{old_calendar.version} 不符",
                f"deadline {key} was computed with calendar {old.calendar_version}, not with "
                f"the old calendar given ({old_calendar.version})",
                field=str(key),
                code="calendar.version_mismatch",
            )
        new = _build(
            new_calendar,
            clock=old.clock,
            start=old.start,
            limit=old.limit_days,
            extension=old.extension_days,
            spans=old.paused,
            legal_basis=old.legal_basis,
            fact_steps=[s for s in old.steps if s.kind in FACT_STEPS],
            limit_article=next(
                (s.article for s in old.steps if s.kind in (StepKind.BASE_DUE, StepKind.START)),
                None,
            ),
            pause_article=next((s.article for s in old.steps if s.kind is StepKind.PAUSE), None),
        )
        out.append((key, new))
        if new.due == old.due:
            continue
        hi = max(old.due, new.due)
        changed = old_calendar.diff(new_calendar, old.start + _ONE, hi)
        moves.append(
            Move(
                key=key,
                clock=old.clock,
                old_due=old.due,
                new_due=new.due,
                working_days=new_calendar.working_days_between(old.due, new.due),
                calendar_days=(new.due - old.due).days,
                was_provisional=old.provisional,
                changed_days=changed,
                deadline=new,
            )
        )
    moves.sort(key=lambda m: (not m.was_provisional, m.old_due))
    return RecomputeReport(
        old_version=old_calendar.version,
        new_version=new_calendar.version,
        moves=tuple(moves),
        unchanged=len(pairs) - len(moves),
        recomputed=tuple(out),
    )


def __getattr__(name: str) -> Any:
    # StatusBatch holds numpy arrays; importing it lazily keeps numpy an optional dependency.
    if name == "StatusBatch":
        from govdisclose.deadlines._batch import StatusBatch

        return StatusBatch
    # `approaching` is the daily job's (govdisclose.daily) since 0.2.0; kept here for callers
    # of 0.1.0. A re-export only: this module never calls it.
    if name == "approaching":
        from govdisclose.daily import approaching

        return approaching
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
