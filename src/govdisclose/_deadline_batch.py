"""The batched reply status: array operations over the calendar's tables.

An OA dashboard asks for the status of every open application each morning; a province-wide
roll-up may ask for millions. Most histories are plain (received, perhaps transferred or
extended, then replied or withdrawn): their due dates are two gathers over the calendar's
tables. Histories with corrections, consultations or fees get their due date from `_complex`,
which applies the rules of `govdisclose.deadlines._reply` without building explanations (the
tests check both paths agree on generated populations); the states are then classified for all
applications at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
from attrs import frozen

from govdisclose._deadline_steps import (
    PauseCause,
    Span,
    clip_spans,
    due_with_pauses,
    merge_spans,
)
from govdisclose.calendar import WorkCalendar
from govdisclose.model import (
    Application,
    CorrectionReceived,
    CorrectionRequested,
    DeemedWithdrawn,
    Extended,
    FeeNotified,
    FeePaid,
    Received,
    Replied,
    ReviewCaseFiled,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    Transferred,
    Withdrawn,
)
from govdisclose.params import ParameterSet, Snapshot
from govdisclose.vocab import Channel

__all__ = ["STATES", "StatusBatch", "status_many"]

_EPOCH = date(1970, 1, 1).toordinal()
_NEEDS_CONFIRMATION = {ch: ch.receipt_needs_confirmation for ch in Channel}
_OPEN, _REPLIED, _ENDED = 0, 1, 2


def _states() -> tuple[Any, ...]:
    from govdisclose.deadlines import ClockState

    return tuple(ClockState)


#: ClockState members in code order (code = position); filled on first use.
STATES: list[Any] = []


def _state_codes() -> dict[Any, int]:
    if not STATES:
        STATES.extend(_states())
    return {s: i for i, s in enumerate(STATES)}


@frozen(eq=False)
class StatusBatch:
    """Reply statuses of many applications as arrays, in input order.

    ``state`` holds codes into `STATES` (`ClockState` order); ``due`` is ``datetime64[D]`` (NaT
    without a due date); ``working_days_left`` / ``working_days_late`` are -1 where not
    applicable. ``batch[i]`` gives the `ClockStatus` of one application.
    """

    as_of: date
    state: npt.NDArray[np.int8]
    due: npt.NDArray[np.datetime64]
    working_days_left: npt.NDArray[np.int32]
    working_days_late: npt.NDArray[np.int32]
    provisional: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return int(self.state.shape[0])

    def __getitem__(self, i: int) -> Any:
        from govdisclose.deadlines import Clock, ClockStatus

        _state_codes()
        due = self.due[i]
        left, late = int(self.working_days_left[i]), int(self.working_days_late[i])
        return ClockStatus(
            Clock.REPLY,
            STATES[int(self.state[i])],
            self.as_of,
            None if np.isnat(due) else due.astype(object),
            None if left < 0 else left,
            None if late < 0 else late,
            provisional=bool(self.provisional[i]),
        )

    def counts(self) -> dict[Any, int]:
        """How many applications are in each state (states with none left out)."""
        _state_codes()
        found = np.bincount(self.state, minlength=len(STATES))
        return {STATES[i]: int(c) for i, c in enumerate(found) if c}


def status_many(
    apps: Sequence[Application],
    day: date,
    params: ParameterSet,
    cal: WorkCalendar,
    warn_within: int,
) -> StatusBatch:
    """See `govdisclose.deadlines.reply_status_many`."""
    code = _state_codes()
    n = len(apps)
    state = np.full(n, code[STATES[0]], dtype=np.int8)  # NOT_STARTED
    due = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    left = np.full(n, -1, dtype=np.int32)
    late = np.full(n, -1, dtype=np.int32)
    prov = np.zeros(n, dtype=bool)
    cache: dict[date, Snapshot] = {}
    limits: dict[date, tuple[int, int]] = {}

    idx: list[int] = []
    starts: list[int] = []
    lims: list[int] = []
    exts: list[int] = []
    ext_on: list[int] = []
    closed_on: list[int] = []
    closed_kind: list[int] = []
    # Histories with corrections, consultations or fees: due date computed here, in Python.
    pre_idx: list[int] = []
    pre_due: list[int] = []
    pre_closed: list[int] = []
    pre_kind: list[int] = []
    pre_pause: list[bool] = []
    day_ord = day.toordinal()
    plain = (Transferred, ReviewCaseFiled)
    for i, app in enumerate(apps):
        events = app.events
        if not events:
            continue
        rec = events[0]
        if type(rec) is not Received:
            continue
        receipt = (
            rec.confirmed_on
            if rec.confirmed_on is not None and _NEEDS_CONFIRMATION[app.channel]
            else rec.on
        )
        if receipt > day:
            continue
        lim = limits.get(receipt)
        if lim is None:
            snap = _snapshot(params, cache, receipt)
            lim = limits[receipt] = (
                snap.working_days("reply_days"),
                snap.working_days("extension_days"),
            )
        kind = _OPEN
        closed = 0
        ext_days = 0
        ext_day = 0
        simple = True
        for ev in events[1:]:
            if ev.on > day:
                break
            t = type(ev)
            if t is Replied:
                kind, closed = _REPLIED, ev.on.toordinal()
            elif t is Withdrawn or t is DeemedWithdrawn:
                kind, closed = _ENDED, ev.on.toordinal()
            elif t is Extended:
                ext_days, ext_day = ev.days, ev.on.toordinal()  # type: ignore[union-attr]
            elif t not in plain:
                simple = False
                break
        if simple:
            idx.append(i)
            starts.append(receipt.toordinal())
            lims.append(lim[0])
            exts.append(min(ext_days, lim[1]))
            ext_on.append(ext_day)
            closed_on.append(closed)
            closed_kind.append(kind)
            continue
        due_day, closed_day, kind, in_pause = _complex(
            events, receipt, day, lim, params, cache, cal
        )
        if due_day is None:
            state[i] = code[_by_name("ENDED" if kind == _ENDED else "STOPPED")]
            continue
        pre_idx.append(i)
        pre_due.append(due_day.toordinal())
        pre_closed.append(0 if closed_day is None else closed_day.toordinal())
        pre_kind.append(kind)
        pre_pause.append(in_pause)

    if idx or pre_idx:
        n_simple = len(idx)
        ix = np.asarray(idx + pre_idx, dtype=np.int64)
        d = np.empty(len(ix), dtype="datetime64[D]")
        if n_simple:
            start = (np.asarray(starts, dtype=np.int64) - _EPOCH).view("datetime64[D]")
            limit = np.asarray(lims, dtype=np.int64)
            base = cal.add_working_days_many(start, limit)
            ext = np.asarray(exts, dtype=np.int64)
            on = np.asarray(ext_on, dtype=np.int64) - _EPOCH
            # An extension decided after the original due date is not applied (see deadlines).
            ext[(ext > 0) & (on > base.view(np.int64))] = 0
            d[:n_simple] = base
            with_ext = ext > 0
            if with_ext.any():
                total = limit[with_ext] + ext[with_ext]
                d[:n_simple][with_ext] = cal.add_working_days_many(start[with_ext], total)
        d[n_simple:] = (np.asarray(pre_due, dtype=np.int64) - _EPOCH).view("datetime64[D]")
        kind_a = np.asarray(closed_kind + pre_kind, dtype=np.int8)
        closed_a = (np.asarray(closed_on + pre_closed, dtype=np.int64) - _EPOCH).view(
            "datetime64[D]"
        )
        pause_a = np.zeros(len(ix), dtype=bool)
        pause_a[n_simple:] = pre_pause
        as_of = np.full(len(ix), np.datetime64(day, "D"))
        d_int = d.view(np.int64)
        st = np.empty(len(ix), dtype=np.int8)
        lf = np.full(len(ix), -1, dtype=np.int32)
        lt = np.full(len(ix), -1, dtype=np.int32)

        ended = kind_a == _ENDED
        st[ended] = code[_by_name("ENDED")]
        replied = kind_a == _REPLIED
        missed = replied & (closed_a.view(np.int64) > d_int)
        st[replied] = code[_by_name("MET")]
        st[missed] = code[_by_name("MISSED")]
        if missed.any():
            lt[missed] = cal.working_days_between_many(d[missed], closed_a[missed])
        open_ = kind_a == _OPEN
        over = open_ & (d_int < day_ord - _EPOCH)
        st[over] = code[_by_name("OVERDUE")]
        if over.any():
            lt[over] = cal.working_days_between_many(d[over], as_of[over])
        running = open_ & ~over
        if running.any():
            lf[running] = cal.working_days_between_many(as_of[running], d[running])
            soon = running & (lf <= warn_within)
            st[running] = code[_by_name("PENDING")]
            st[soon] = code[_by_name("DUE_SOON")]
            st[running & pause_a] = code[_by_name("STOPPED")]
        state[ix] = st
        due[ix] = d
        left[ix] = lf
        late[ix] = lt
        if cal.provisional_from is not None:
            prov[ix] = d >= np.datetime64(cal.provisional_from, "D")
    return StatusBatch(day, state, due, left, late, prov)


def _snapshot(params: ParameterSet, cache: dict[date, Snapshot], day: date) -> Snapshot:
    snap = cache.get(day)
    if snap is None:
        snap = cache[day] = params.at(day)
    return snap


def _complex(
    events: tuple[Any, ...],
    receipt: date,
    day: date,
    lim: tuple[int, int],
    params: ParameterSet,
    cache: dict[date, Snapshot],
    cal: WorkCalendar,
) -> tuple[date | None, date | None, int, bool]:
    """The reply due date of a history with corrections, consultations or fees, mirroring
    `govdisclose.deadlines._reply` without building explanations: ``(due, closed, kind,
    paused on day)``; ``due`` is None when the clock is stopped without a due date."""
    start = receipt
    awaiting = False
    consulted: dict[str, Any] = {}
    spans: list[Span] = []
    fee: Any = None
    extended: Any = None
    closed: date | None = None
    kind = _OPEN
    for ev in events[1:]:
        if ev.on > day:
            break
        t = type(ev)
        if t is CorrectionRequested:
            awaiting = True
        elif t is CorrectionReceived:
            awaiting, start, spans = False, ev.on, []
        elif t is ThirdPartyConsulted:
            consulted[ev.party] = ev
        elif t is ThirdPartyReplied:
            began = consulted.pop(ev.party, None)
            if began is not None:
                spans.append(Span(began.on, ev.on, _cause(began)))
        elif t is FeeNotified:
            fee = ev
        elif t is FeePaid:
            if fee is not None and _snapshot(params, cache, fee.on).get(
                "fee_pauses_reply_clock", False
            ):
                spans.append(Span(fee.on, ev.on, PauseCause.FEE))
            fee = None
        elif t is Extended:
            extended = ev
        elif t is Replied:
            closed, kind = ev.on, _REPLIED
        elif t is Withdrawn or t is DeemedWithdrawn:
            closed, kind = ev.on, _ENDED
    if awaiting:
        return None, closed, kind, False
    snap = _snapshot(params, cache, receipt)
    for began in consulted.values():
        name = "co_producer_reply_days" if began.is_agency else "third_party_reply_days"
        if name not in snap:
            if closed is None:
                return None, closed, kind, False
            spans.append(Span(began.on, closed, PauseCause.THIRD_PARTY))
            continue
        end = cal.add_working_days(began.on, snap.working_days(name))
        spans.append(Span(began.on, end, _cause(began)))
    if fee is not None:
        fsnap = _snapshot(params, cache, fee.on)
        if fsnap.get("fee_pauses_reply_clock", False):
            if "fee_payment_days" not in fsnap:
                if closed is None:
                    return None, closed, kind, False
            else:
                end = cal.add_working_days(fee.on, fsnap.working_days("fee_payment_days"))
                spans.append(Span(fee.on, end, PauseCause.FEE))
    spans_c = merge_spans(clip_spans(spans, start, closed))
    limit = lim[0]
    ext = 0
    due = due_with_pauses(cal, start, limit, spans_c)
    if extended is not None and extended.on <= due:
        ext = min(extended.days, lim[1])
        due = due_with_pauses(cal, start, limit + ext, spans_c)
    paused = any(s.start <= day <= s.end for s in spans_c)
    return due, closed, kind, paused


def _cause(began: Any) -> PauseCause:
    return PauseCause.CO_PRODUCER if began.is_agency else PauseCause.THIRD_PARTY


def _by_name(name: str) -> Any:
    _state_codes()
    return next(s for s in STATES if s.name == name)
