"""The reply clock's facts, computed once: `fold` walks an application's events (条例 2019
第三十条、第三十三条; 2008 第二十四条) and gives the start, the limit, the extension, the
pauses and the due date, or why the clock is stopped.

Two paths use it, so the law is written once: the explaining path
(`govdisclose.deadlines.reply_deadline`, ``explain=True``: with the steps and citations) and
the due-date-only path of the statuses and of the batch's one-by-one rows
(`govdisclose.deadlines._batch`, ``explain=False``: the same arithmetic, no text built).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from attrs import frozen

from govdisclose.calendar import WorkCalendar
from govdisclose.clocks import PauseCause, Span, Step, StepKind
from govdisclose.deadlines._steps import (
    clip_spans,
    consultation_shift,
    consultation_span,
    due_with_pauses,
    merge_spans,
)
from govdisclose.lifecycle import open_consultations
from govdisclose.model import (
    Application,
    CorrectionReceived,
    CorrectionRequested,
    DeemedWithdrawn,
    Extended,
    FeeNotified,
    FeePaid,
    Replied,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    Withdrawn,
)
from govdisclose.params import Citation, Snapshot

__all__ = ["ReplyFold", "Stopped", "fold"]


@frozen
class Stopped:
    """The reply clock is not running and has no due date (e.g. awaiting correction)."""

    since: date
    reason: str


@frozen
class ReplyFold:
    """The facts of a running reply clock: counted from the day after ``start``, ``limit``
    working days plus ``extension``, the working days in ``spans`` not counted; ``due`` the
    result. ``steps`` and ``refs`` (the explanation and its citations) are empty unless the
    fold was asked to explain."""

    start: date
    limit: int
    extension: int
    spans: tuple[Span, ...]
    due: date
    regime: str
    reply_article: str
    steps: tuple[Step, ...]
    refs: tuple[Citation | None, ...]


def fold(
    app: Application,
    snap_at: Callable[[date], Snapshot],
    cal: WorkCalendar,
    as_of: date | None,
    *,
    explain: bool,
) -> ReplyFold | Stopped | None:
    """The reply clock of ``app`` from its events known on ``as_of`` (all events if ``None``);
    ``None`` when no clock runs (not received yet). ``snap_at(day)`` gives the parameters in
    force on a day (a cache, or the batch's per-period snapshots)."""
    receipt = app.receipt_date
    if receipt is None or (as_of is not None and receipt > as_of):
        return None
    snap = snap_at(receipt)
    limit = snap.working_days("reply_days")
    reply_ref = snap.citation("reply_days")
    start = receipt
    fact: list[Step] = []
    if explain:
        fact.append(
            Step(
                StepKind.START,
                receipt,
                f"收到申请（{app.channel.label}，按渠道确定收到之日），自次日起算{limit}个工作日"
                f"（适用{snap.label('regime')}年条例）",
                article="条例第三十一条" if receipt >= date(2019, 5, 15) else None,
            )
        )
    refs: list[Citation | None] = [reply_ref]
    awaiting: date | None = None
    consulted: dict[str, ThirdPartyConsulted] = {}
    spans: list[Span] = []
    # Where a consultation's excluded time begins (第三十三条第三款; parameter data explain why).
    shift = consultation_shift(snap)
    fee_notice: FeeNotified | None = None
    extended: Extended | None = None
    closed: date | None = None
    for ev in app.events[1:]:
        if as_of is not None and ev.on > as_of:
            break
        if isinstance(ev, CorrectionRequested):
            awaiting = ev.on
        elif isinstance(ev, CorrectionReceived):
            awaiting = None
            start = ev.on
            spans = []
            if explain:
                if "correction_notice_days" in snap:
                    refs.append(snap.citation("correction_notice_days"))
                fact.append(
                    Step(
                        StepKind.RESTART,
                        ev.on,
                        f"收到补正后的申请，答复期限重新起算，自次日起计{limit}个工作日",
                        article="条例第三十条",
                    )
                )
        elif isinstance(ev, ThirdPartyConsulted):
            consulted[ev.party] = ev
            if explain:
                if "consultation_pause_includes_sending_day" in snap:
                    refs.append(snap.citation("consultation_pause_includes_sending_day"))
                fact.append(
                    Step(
                        StepKind.NOTE,
                        ev.on,
                        f"向{ev.party}发出征求意见书；"
                        + (
                            "发出当日起所需时间不计入答复期限"
                            if shift == 0
                            else "发出当日仍计入答复期限，自次日起所需时间不计入"
                        )
                        + "（参数 consultation_pause_includes_sending_day）",
                        article=reply_ref.article + "第三款",
                    )
                )
        elif isinstance(ev, ThirdPartyReplied):
            began = consulted.pop(ev.party, None)
            if began is not None:
                cause = PauseCause.CO_PRODUCER if began.is_agency else PauseCause.THIRD_PARTY
                note = f"{ev.party}于{ev.on.isoformat()}答复" if explain else ""
                spans += consultation_span(began.on, ev.on, shift, cause, note)
        elif isinstance(ev, FeeNotified):
            fee_notice = ev
        elif isinstance(ev, FeePaid):
            if fee_notice is not None:
                paid = _fee_span(snap_at, cal, fee_notice, ev.on, fact, refs, explain)
                if isinstance(paid, Span):
                    spans.append(paid)
            fee_notice = None
        elif isinstance(ev, Extended):
            extended = ev
        elif isinstance(ev, Replied | Withdrawn | DeemedWithdrawn):
            closed = ev.on
    if awaiting is not None:
        return Stopped(
            awaiting, f"待补正：{awaiting.isoformat()}已告知补正，收到补正申请后重新起算"
        )
    for party in open_consultations(e for e in app.events if as_of is None or e.on <= as_of):
        began = consulted.get(party)
        if began is None:
            continue
        window_name = "co_producer_reply_days" if began.is_agency else "third_party_reply_days"
        if window_name not in snap:
            if closed is None:
                return Stopped(began.on, f"征求{party}意见中（该期间条例未规定答复期限）")
            spans += consultation_span(
                began.on, closed, shift, PauseCause.THIRD_PARTY, f"{party}未答复"
            )
            continue
        window = snap.working_days(window_name)
        if explain:
            refs.append(snap.citation(window_name))
        end = cal.add_working_days(began.on, window)
        cause = PauseCause.CO_PRODUCER if began.is_agency else PauseCause.THIRD_PARTY
        spans += consultation_span(
            began.on, end, shift, cause, f"{party}未答复，按{window}个工作日期满计"
        )
    if fee_notice is not None:
        unpaid = _fee_span(snap_at, cal, fee_notice, None, fact, refs, explain)
        if isinstance(unpaid, Stopped) and closed is None:
            return unpaid
        if isinstance(unpaid, Span):
            spans.append(unpaid)
    spans_c = merge_spans(clip_spans(spans, start, closed))
    extension = 0
    if extended is not None:
        allowed = snap.working_days("extension_days")
        if explain:
            refs.append(snap.citation("extension_days"))
        extension = min(extended.days, allowed)
        if explain and extended.days > allowed:
            fact.append(
                Step(
                    StepKind.EXTENSION_CLAMPED,
                    extended.on,
                    f"决定延长{extended.days}个工作日，超过法定上限，按{allowed}个工作日计算",
                    article=reply_ref.article,
                )
            )
        base_due = due_with_pauses(cal, start, limit, spans_c)
        if extended.on > base_due:
            if explain:
                fact.append(
                    Step(
                        StepKind.EXTENSION_LATE,
                        extended.on,
                        f"延期决定晚于原期限届满日（{base_due.isoformat()}），期限已届满，不予延长",
                        article=reply_ref.article,
                    )
                )
            extension = 0
    due = due_with_pauses(cal, start, limit + extension, spans_c)
    return ReplyFold(
        start=start,
        limit=limit,
        extension=extension,
        spans=spans_c,
        due=due,
        regime=snap.label("regime"),
        reply_article=reply_ref.article,
        steps=tuple(fact),
        refs=tuple(refs),
    )


def _fee_span(
    snap_at: Callable[[date], Snapshot],
    cal: WorkCalendar,
    notice: FeeNotified,
    paid_on: date | None,
    fact: list[Step],
    refs: list[Citation | None],
    explain: bool,
) -> Span | Stopped | None:
    """The span the fee procedure keeps off the reply clock, if the parameters say it does."""
    fsnap = snap_at(notice.on)
    if not fsnap.get("fee_pauses_reply_clock", False):
        if not explain:
            return None
        fact.append(
            Step(
                StepKind.NOTE,
                notice.on,
                "发出收费通知；缴费期间照常计入答复期限（参数 fee_pauses_reply_clock 为否）",
                article="国办函〔2020〕109号",
            )
        )
        return None
    refs.append(fsnap.citation("fee_pauses_reply_clock"))
    if paid_on is not None:
        return Span(notice.on, paid_on, PauseCause.FEE, f"于{paid_on.isoformat()}缴费")
    if "fee_payment_days" not in fsnap:
        return Stopped(notice.on, "等待缴纳费用（该日无缴费期限规定）")
    days = fsnap.working_days("fee_payment_days")
    refs.append(fsnap.citation("fee_payment_days"))
    end = cal.add_working_days(notice.on, days)
    return Span(notice.on, end, PauseCause.FEE, f"未缴费，按{days}个工作日缴费期满计")
