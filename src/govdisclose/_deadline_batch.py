"""The batched reply status: array operations for plain histories, the scalar path for others.

An OA dashboard asks for the status of every open application each morning; a province-wide
roll-up may ask for millions. Most histories are plain (received, perhaps transferred or
extended, then replied or withdrawn): their due dates are two gathers over the calendar's
tables. Histories with corrections, consultations or fees go through the scalar code of
`govdisclose.deadlines.reply_status`, so both paths give the same answer by construction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
from attrs import frozen

from govdisclose.calendar import WorkCalendar
from govdisclose.model import (
    Application,
    DeemedWithdrawn,
    Extended,
    Received,
    Replied,
    ReviewCaseFiled,
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
    scalar: Callable[..., Any],
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
    others: list[int] = []
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
        if not simple:
            others.append(i)
            continue
        lim = limits.get(receipt)
        if lim is None:
            snap = cache.get(receipt) or cache.setdefault(receipt, params.at(receipt))
            lim = limits[receipt] = (
                snap.working_days("reply_days"),
                snap.working_days("extension_days"),
            )
        idx.append(i)
        starts.append(receipt.toordinal())
        lims.append(lim[0])
        exts.append(min(ext_days, lim[1]))
        ext_on.append(ext_day)
        closed_on.append(closed)
        closed_kind.append(kind)

    if idx:
        ix = np.asarray(idx, dtype=np.int64)
        start = (np.asarray(starts, dtype=np.int64) - _EPOCH).view("datetime64[D]")
        limit = np.asarray(lims, dtype=np.int64)
        base = cal.add_working_days_many(start, limit)
        ext = np.asarray(exts, dtype=np.int64)
        on = np.asarray(ext_on, dtype=np.int64) - _EPOCH
        # An extension decided after the original due date is not applied (see deadlines).
        ext[(ext > 0) & (on > base.view(np.int64))] = 0
        d = base.copy()
        with_ext = ext > 0
        if with_ext.any():
            d[with_ext] = cal.add_working_days_many(
                start[with_ext], limit[with_ext] + ext[with_ext]
            )
        kind_a = np.asarray(closed_kind, dtype=np.int8)
        closed_a = (np.asarray(closed_on, dtype=np.int64) - _EPOCH).view("datetime64[D]")
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
        state[ix] = st
        due[ix] = d
        left[ix] = lf
        late[ix] = lt
        if cal.provisional_from is not None:
            prov[ix] = d >= np.datetime64(cal.provisional_from, "D")

    for i in others:
        status = scalar(apps[i], day, params, cal, warn_within, cache)
        state[i] = code[status.state]
        if status.due is not None:
            due[i] = np.datetime64(status.due, "D")
        if status.working_days_left is not None:
            left[i] = status.working_days_left
        if status.working_days_late is not None:
            late[i] = status.working_days_late
        prov[i] = status.provisional
    return StatusBatch(day, state, due, left, late, prov)


def _by_name(name: str) -> Any:
    _state_codes()
    return next(s for s in STATES if s.name == name)
