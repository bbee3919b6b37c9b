"""The batched reply status: columns of event facts, then array operations over them.

An OA dashboard asks for the status of every open application each morning; a province-wide
roll-up may ask for millions. Per-application Python code (attribute look-ups, property calls,
``isinstance`` chains) is what makes that slow, so the batch reads columns only
(`govdisclose.columns.ReplyFacts`: each history's length, each event's code and ``on`` day, the
receipt's confirmation day where one is recorded, the days of each extension, the consulted
party and whether it is an agency), built from objects by C-level iteration over all events
(`ReplyFacts.of`) or handed over by a store (`govdisclose.store.reply_facts`); everything else
is array work:

* which events count on ``as_of`` (those before the first one dated after it, as
  `govdisclose.deadlines._reply` stops there), the final event of the whole history (as
  `Application.final_event`), the last correction, corrected application and extension;
* the parameters once per period in which none of them changes (`_Periods`), not per day;
* due dates by gathers over the calendar's tables (`WorkCalendar.add_working_days_many`), with
  the one pause of a history with one consultation (`_one_consultation`, `_due`);
* the states and the working days left or late (`WorkCalendar.working_days_between_many`).

Only the rare histories the arrays do not cover (several consultations, a fee notice while the
parameter ``fee_pauses_reply_clock`` says waiting for the fee is not counted, a consultation in a
history out of date order) are computed one by one, by `_paused_due`, with the same `fold` of
the events as the scalar path, without building explanations, on the history rebuilt from the
columns (`_Histories`): no `Application` is loaded. The tests check the batch
against `reply_status` on generated populations, on arbitrary histories (also ones the
lifecycle would refuse) and on hand-made edge cases.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from attrs import frozen

from govdisclose.calendar import WorkCalendar
from govdisclose.calendar._tables import weekday_flags
from govdisclose.clocks import Clock, ClockState, ClockStatus, ItemProblem, PauseCause
from govdisclose.columns import EventCode, ReplyFacts, _ranges
from govdisclose.deadlines._fold import ReplyFold, fold
from govdisclose.deadlines._steps import (
    consultation_shift,
)
from govdisclose.errors import CalendarError, GovDiscloseError
from govdisclose.model import (
    Application,
    CorrectionReceived,
    CorrectionRequested,
    Extended,
    FeeNotified,
    FeePaid,
    Replied,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    Withdrawn,
)
from govdisclose.params import ParameterSet, Snapshot

__all__ = ["STATES", "StatusBatch", "status_many"]

_EPOCH = date(1970, 1, 1).toordinal()

#: Integer arrays of days (ordinals), counts and indices: ``int32`` where the columns give
#: them (`ReplyFacts`), ``int64`` where numpy computes them.
_Ints = npt.NDArray[np.signedinteger[Any]]

# Event codes (`govdisclose.columns.EventCode`), following the isinstance chain of
# `deadlines._reply` (and `final_event`).
_OTHER = int(EventCode.OTHER)
_CORR_REQ, _CORR_RCV = int(EventCode.CORRECTION_REQUESTED), int(EventCode.CORRECTION_RECEIVED)
_CONSULTED, _CONS_REPLIED = int(EventCode.CONSULTED), int(EventCode.CONSULTATION_REPLIED)
_FEE_NOTICE, _FEE_PAID = int(EventCode.FEE_NOTIFIED), int(EventCode.FEE_PAID)
_EXTENDED, _REPLIED, _ENDS = int(EventCode.EXTENDED), int(EventCode.REPLIED), int(EventCode.ENDED)


#: ClockState members in code order (code = position).
STATES: tuple[ClockState, ...] = tuple(ClockState)

#: The code of each state by name.
_CODE: dict[str, int] = {s.name: i for i, s in enumerate(STATES)}


def _state_codes() -> dict[str, int]:
    return _CODE


@frozen(eq=False)
class StatusBatch:
    """Reply statuses of many applications as arrays, in input order.

    ``state`` holds codes into `STATES` (`ClockState` order); ``due`` is ``datetime64[D]`` (NaT
    without a due date); ``working_days_left`` / ``working_days_late`` are -1 where not
    applicable. ``batch[i]`` gives the `ClockStatus` of one application. An application whose
    clock needs a day the calendar has no data for (a year without an official schedule under
    the strict policy) is ``UNDETERMINED`` and listed in ``problems``; one item never fails
    the batch.
    """

    as_of: date
    state: npt.NDArray[np.int8]
    due: npt.NDArray[np.datetime64]
    working_days_left: npt.NDArray[np.int32]
    working_days_late: npt.NDArray[np.int32]
    provisional: npt.NDArray[np.bool_]
    #: One `govdisclose.deadlines.ItemProblem` per application whose status could not be
    #: computed (state ``UNDETERMINED``), in input order: the others are unaffected.
    problems: tuple[ItemProblem, ...] = ()

    def __len__(self) -> int:
        return int(self.state.shape[0])

    def __getitem__(self, i: int) -> ClockStatus:
        due = self.due[i]
        left, late = int(self.working_days_left[i]), int(self.working_days_late[i])
        state = STATES[int(self.state[i])]
        reason = None
        if state.name == "UNDETERMINED":
            reason = next((p.describe() for p in self.problems if p.index == i), None)
        return ClockStatus(
            Clock.REPLY,
            state,
            self.as_of,
            None if np.isnat(due) else due.astype(object),
            None if left < 0 else left,
            None if late < 0 else late,
            provisional=bool(self.provisional[i]),
            reason=reason,
        )

    def counts(self) -> dict[ClockState, int]:
        """How many applications are in each state (states with none left out)."""
        found = np.bincount(self.state, minlength=len(STATES))
        return {STATES[i]: int(c) for i, c in enumerate(found) if c}


def _last_per_app(mask: npt.NDArray[np.bool_], seg: _Ints, n: int) -> _Ints:
    """Per application, the flat index of its last event where ``mask`` holds, else -1."""
    return _last(np.flatnonzero(mask), seg, n)


def _last(idx: _Ints, seg: _Ints, n: int) -> _Ints:
    """Per application, the last of the (ascending) flat event indices ``idx``, else -1."""
    out = np.full(n, -1, dtype=np.int64)
    if idx.size:
        owner = seg[idx]
        last = np.empty(idx.size, dtype=bool)
        last[:-1] = owner[1:] != owner[:-1]
        last[-1] = True
        out[owner[last]] = idx[last]
    return out


def _dt(ordinals: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.datetime64]:
    # int64 first: a view reinterprets the bytes, and datetime64[D] is 8 of them.
    return (ordinals.astype(np.int64, copy=False) - _EPOCH).view("datetime64[D]")


class _Periods:
    """The parameter snapshots of many days, taken once per period in which no parameter
    changes (the days between consecutive ``since`` dates of all parameters): within a period
    every snapshot holds the same values, so one serves every day in it."""

    def __init__(self, params: ParameterSet) -> None:
        bounds = sorted({v.since.toordinal() for p in params for v in p.values})
        self._params = params
        self._bounds = bounds
        self._points = np.asarray(bounds, dtype=np.int64)
        self._snaps: dict[int, Snapshot] = {}

    def snap(self, ordinal: int) -> Snapshot:
        """The snapshot in force on the day ``ordinal``."""
        period = bisect_right(self._bounds, ordinal)
        found = self._snaps.get(period)
        if found is None:
            found = self._snaps[period] = self._params.at(date.fromordinal(ordinal))
        return found

    def each(self, days: _Ints, value: Callable[[Snapshot], Any], dtype: Any) -> npt.NDArray[Any]:
        """``value(snapshot)`` for the snapshot in force on each day of ``days``, computed once
        per period."""
        period = np.searchsorted(self._points, days, side="right")
        table = np.zeros(self._points.size + 1, dtype=dtype)
        for k in np.flatnonzero(np.bincount(period, minlength=table.size)).tolist():
            table[k] = value(self.snap(int(days[int(np.argmax(period == k))])))
        return table[period]


def status_many(
    facts: ReplyFacts,
    day: date,
    params: ParameterSet,
    cal: WorkCalendar,
    warn_within: int,
) -> StatusBatch:
    """See `govdisclose.deadlines.reply_status_facts`."""
    code = _state_codes()
    n = len(facts)
    day_ord = day.toordinal()
    state = np.zeros(n, dtype=np.int8)  # NOT_STARTED
    due_out = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    left_out = np.full(n, -1, dtype=np.int32)
    late_out = np.full(n, -1, dtype=np.int32)
    prov_out = np.zeros(n, dtype=bool)
    if n == 0:
        return StatusBatch(day, state, due_out, left_out, late_out, prov_out)
    tab = _Tables(cal, n)
    failed: dict[int, GovDiscloseError] = {}

    # -- the columns (`ReplyFacts`: from objects by `ReplyFacts.of`, or from a store) ----------
    lens, kind, on = facts.lens, facts.kind, facts.on
    starts = facts.starts()
    # The row of each event (int32: a batch holds fewer than 2**31 applications).
    seg = np.repeat(np.arange(n, dtype=np.int32), lens)

    # -- receipt (条例 2019 第三十一条: the confirmation day for some channels; 0: not received) --
    receipt = facts.receipt_days()
    started = (receipt > 0) & (receipt <= day_ord)
    periods = _Periods(params)
    if started.any():
        # A receipt date no reply limit is in force for (before the 2008 text) is that
        # application's problem, not the batch's.
        rows = np.flatnonzero(started)
        limited = periods.each(receipt[rows], _has_limits, bool)
        for i in rows[~limited].tolist():
            failed[i] = _limit_error(periods, int(receipt[i]))
        started[rows[~limited]] = False
    if not started.any():
        return _finish(
            facts, day, cal, tab, started, failed, state, due_out, left_out, late_out, prov_out
        )

    # -- which events count on as_of: those before the first one dated after it ---------------
    valid = started[seg]
    valid[starts[lens > 0]] = False  # the receipt event itself
    after = np.flatnonzero(valid & (on > day_ord))
    if after.size:
        owner = seg[after]
        first = np.ones(after.size, dtype=bool)
        first[1:] = owner[1:] != owner[:-1]
        cut, owner = after[first], owner[first]
        valid[_ranges(cut, starts[owner] + lens[owner])] = False

    # The final event of the whole history, if already known on as_of (`_reply_status`).
    closing = kind >= _REPLIED
    final = _last_per_app(closing, seg, n)
    has_final = final >= 0
    final_on = np.where(has_final, on[final], 0)
    final_kind = np.where(has_final & (final_on <= day_ord), kind[final], _OTHER)

    # -- which histories pause the clock --------------------------------------------------------
    # Corrections, consultations and fees (codes _CORR_REQ.._FEE_PAID) that count on as_of.
    special = np.flatnonzero(valid & (kind >= _CORR_REQ) & (kind <= _FEE_PAID))
    s_kind = kind[special]
    fee_pause = np.zeros(n, dtype=bool)
    notice = special[s_kind == _FEE_NOTICE]
    if notice.size:
        fee_pause[seg[notice[periods.each(on[notice], _fee_pauses, bool)]]] = True
    last_corr = _last(special[(s_kind == _CORR_REQ) | (s_kind == _CORR_RCV)], seg, n)
    awaiting = (last_corr >= 0) & (kind[last_corr] == _CORR_REQ)
    last_rcv = _last(special[s_kind == _CORR_RCV], seg, n)
    start = np.where(last_rcv >= 0, on[last_rcv], receipt)

    # One pause span at most per application: [span0, span1] where ``spanned``. Histories with
    # one consultation (answered or not), in date order, without corrections or fee pauses, are
    # computed here; other paused histories one by one by `_paused_due`.
    consulted = special[s_kind == _CONSULTED]
    answer = special[s_kind == _CONS_REPLIED]
    n_consulted = np.bincount(seg[consulted], minlength=n)
    one = (
        started
        & (n_consulted == 1)
        & (np.bincount(seg[answer], minlength=n) <= 1)
        & (last_corr < 0)
        & ~fee_pause
    )
    # ... and in date order (else the cut and `open_consultations` may differ)
    one[_out_of_order(np.flatnonzero(one), starts, lens, on, seg)] = False
    by_hand = started & ~one & (fee_pause | (n_consulted > 0))
    span0 = np.zeros(n, dtype=np.int32)
    span1 = np.zeros(n, dtype=np.int32)
    spanned = np.zeros(n, dtype=bool)
    no_window = np.zeros(n, dtype=bool)
    rows = np.flatnonzero(one)
    if rows.size:
        closed = _last_per_app(valid & closing, seg, n)[rows]
        span0[rows], span1[rows], spanned[rows], no_window[rows] = _one_consultation(
            facts,
            _last(consulted, seg, n)[rows],
            _last(answer, seg, n)[rows],
            np.where(closed >= 0, on[closed], 0),
            start[rows],
            receipt[rows],
            on,
            periods,
            tab,
            rows,
        )

    # -- due dates ------------------------------------------------------------------------------
    has_due = np.zeros(n, dtype=bool)
    due = np.zeros(n, dtype=np.int32)
    in_pause = np.zeros(n, dtype=bool)
    rows = np.flatnonzero(started & ~by_hand & ~awaiting & ~no_window)
    if rows.size:
        last_ext = _last(np.flatnonzero(valid & (kind == _EXTENDED)), seg, n)[rows]
        due[rows], in_pause[rows] = _array_due(
            facts, rows, receipt, start, span0, span1, spanned, last_ext, day_ord, periods, tab
        )
        has_due[rows] = True

    # The rows the arrays do not cover are folded one by one from their columns (`_Histories`),
    # once the temporaries above are gone: only what the states below read is kept.
    by_hand_rows = np.flatnonzero(by_hand)
    histories = _Histories(facts, by_hand_rows, receipt)
    del seg, valid, closing, final, has_final, special, s_kind, fee_pause, notice, by_hand
    del last_corr, awaiting, last_rcv, start, receipt, consulted, answer, n_consulted, one
    del span0, span1, spanned, no_window, rows, starts, after
    for i, history in histories:
        try:
            one_due = _paused_due(history, day, periods.snap, cal)
        except CalendarError as err:
            failed[i] = err
            continue
        if one_due is not None:
            tab.read(np.asarray([i]), np.asarray([one_due[0]]))
            due[i], in_pause[i] = one_due
            has_due[i] = True

    # -- states ---------------------------------------------------------------------------------
    ended = started & (final_kind == _ENDS)
    state[ended] = code["ENDED"]
    due_out[ended & has_due] = _dt(due[ended & has_due])
    state[started & ~has_due & ~ended] = code["STOPPED"]

    clock = has_due & ~ended
    due_out[clock] = _dt(due[clock])
    if cal.provisional_from is not None:
        prov_out[clock] = due[clock] >= cal.provisional_from.toordinal()

    replied = clock & (final_kind == _REPLIED)
    missed = replied & (final_on > due)
    state[replied] = code["MET"]
    state[missed] = code["MISSED"]
    if missed.any():
        rows = np.flatnonzero(missed)
        late_out[rows] = tab.between(rows, due[rows], final_on[rows])

    open_ = clock & ~replied
    over = open_ & (due < day_ord)
    state[over] = code["OVERDUE"]
    if over.any():
        rows = np.flatnonzero(over)
        late_out[rows] = tab.between(rows, due[rows], np.full(rows.size, day_ord))
    running = np.flatnonzero(open_ & ~over)
    if running.size:
        left = tab.between(running, np.full(running.size, day_ord), due[running])
        left_out[running] = left
        state[running] = np.where(
            in_pause[running],
            code["STOPPED"],
            np.where(left <= warn_within, code["DUE_SOON"], code["PENDING"]),
        )
    return _finish(
        facts, day, cal, tab, started, failed, state, due_out, left_out, late_out, prov_out
    )


class _Other:
    """An event `fold` does not interpret: only its day matters (the fold stops at the first
    event dated after ``as_of``, whatever its kind)."""

    __slots__ = ("on",)

    def __init__(self, on: date) -> None:
        self.on = on


class _History:
    """What `fold` reads of an application: its receipt date and its events."""

    __slots__ = ("events", "receipt_date")

    def __init__(self, receipt_date: date, events: tuple[Any, ...]) -> None:
        self.receipt_date = receipt_date
        self.events = events


def _bare(cls: type[Any], **values: Any) -> Any:
    """An instance of the event class ``cls`` holding only ``values``, without its validators.

    `fold` tells events apart by class (``isinstance``) and reads a few attributes of each
    (``on``; ``party`` and ``is_agency`` of a consultation; ``days`` of an extension): the
    stand-in holds exactly those. Validation is not needed (the columns come from validated
    objects or were checked as columns) and would refuse what the columns may hold, such as a
    hand-made extension of 0 days. The stand-ins never leave this module.
    """
    event = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(event, name, value)
    return event


class _Histories:
    """The histories of ``rows`` rebuilt from the columns, for the scalar `fold`: each event as
    a stand-in of its class (`_bare`) with the day, the party (its number, as text: equal
    numbers, equal party), whether it consults an agency and the days of an extension, which
    is all `fold` reads; the receipt date is the batch's (the confirmation day where the
    channel makes it the receipt date). No `Application` is loaded: on a SQL store, loading
    the fifth of a province's open applications the arrays do not cover took longer than the
    rest of the batch."""

    def __init__(self, facts: ReplyFacts, rows: _Ints, receipt: _Ints) -> None:
        self.facts = facts
        self.rows, self.receipt = rows, receipt[rows]
        # The current block's events (`_gather`).
        self.lo: list[int] = []
        self.hi: list[int] = []
        self.kind: list[int] = []
        self.on: list[int] = []
        self.party: list[int] = []
        self.agency: list[bool] = []
        self.days: list[int] = []

    def __iter__(self) -> Iterator[tuple[int, _History]]:
        fromordinal = date.fromordinal
        for lo in range(0, self.rows.size, _HISTORY_BLOCK):
            block = slice(lo, lo + _HISTORY_BLOCK)
            self._gather(self.rows[block])
            kinds, ons = self.kind, self.on
            rows, receipts = self.rows[block].tolist(), self.receipt[block].tolist()
            for row, receipt, first, end in zip(rows, receipts, self.lo, self.hi, strict=True):
                # The first event is the receipt (the batch folds only started rows): `fold`
                # reads the receipt date from the history, and only the day of that event.
                events: list[Any] = [_Other(fromordinal(ons[first]))]
                for k in range(first + 1, end):
                    events.append(self._event(kinds[k], fromordinal(ons[k]), k))
                yield row, _History(fromordinal(receipt), tuple(events))

    def _gather(self, rows: _Ints) -> None:
        """The events of one block of rows, into lists (a few per row), and where each row's
        are in them: a block at a time, so the lists stay small whatever the number of rows."""
        facts = self.facts
        events, ends = facts.event_positions(rows)
        self.lo, self.hi = (ends - facts.lens[rows]).tolist(), ends.tolist()
        self.kind = facts.kind[events].tolist()
        self.on = facts.on[events].tolist()
        self.party = facts.party[events].tolist()
        self.agency = facts.consulted_agency[events].tolist()
        self.days = facts.extension_days[events].tolist()

    def _event(self, code: int, on: date, k: int) -> Any:
        maker = _STAND_INS.get(code)
        if maker is None:
            return _Other(on)
        cls, extra = maker
        values: dict[str, Any] = {"on": on}
        if extra in ("consulted", "replied"):
            values["party"] = str(self.party[k])
        if extra == "consulted":
            values["is_agency"] = bool(self.agency[k])
        elif extra == "days":
            values["days"] = int(self.days[k])
        return _bare(cls, **values)


#: Rows whose histories `_Histories` rebuilds together.
_HISTORY_BLOCK = 1024

#: The event class of each code `fold` interprets (the codes follow its isinstance chain:
#: `govdisclose.columns.EventCode`) and the extra facts its stand-in holds: a consultation's
#: party and whether it is an agency, a party reply's party, an extension's days. A withdrawal
#: and a deemed withdrawal share ``ENDED``: `fold` closes the clock alike on both.
_STAND_INS: dict[int, tuple[type[Any], str]] = {
    _CORR_REQ: (CorrectionRequested, ""),
    _CORR_RCV: (CorrectionReceived, ""),
    _CONSULTED: (ThirdPartyConsulted, "consulted"),
    _CONS_REPLIED: (ThirdPartyReplied, "replied"),
    _FEE_NOTICE: (FeeNotified, ""),
    _FEE_PAID: (FeePaid, ""),
    _EXTENDED: (Extended, "days"),
    _REPLIED: (Replied, ""),
    _ENDS: (Withdrawn, ""),
}


def _out_of_order(
    rows: _Ints,
    starts: _Ints,
    lens: _Ints,
    on: _Ints,
    seg: _Ints,
) -> _Ints:
    """The rows among ``rows`` with an event dated before the one preceding it."""
    if not rows.size:
        return np.zeros(0, dtype=np.int32)
    events = _ranges(starts[rows], starts[rows] + lens[rows])
    later, earlier = events[1:], events[:-1]
    found: _Ints = seg[later[(on[later] < on[earlier]) & (seg[later] == seg[earlier])]]
    return found


def _array_due(
    facts: ReplyFacts,
    rows: _Ints,
    receipt: _Ints,
    start: _Ints,
    span0: _Ints,
    span1: _Ints,
    spanned: npt.NDArray[np.bool_],
    last_ext: _Ints,
    day_ord: int,
    periods: _Periods,
    tab: _Tables,
) -> tuple[_Ints, npt.NDArray[np.bool_]]:
    """The reply due date of ``rows`` (histories the arrays cover: at most one pause span,
    ``last_ext`` the flat index of each row's last extension or -1), and whether ``as_of``
    lies in the pause."""
    on = facts.on
    limit = periods.each(receipt[rows], _working_days("reply_days"), np.int64)
    begin = start[rows]
    s0, s1, sp = span0[rows], span1[rows], spanned[rows]
    base = _due(tab, rows, begin, limit, s0, s1, sp)
    found = base.copy()
    ext_at = np.flatnonzero(last_ext >= 0)
    if ext_at.size:
        allowed = periods.each(receipt[rows[ext_at]], _working_days("extension_days"), np.int64)
        ext = np.minimum(facts.extension_days[last_ext[ext_at]], allowed)
        # An extension decided after the original due date is not applied (第三十三条).
        ext[on[last_ext[ext_at]] > base[ext_at]] = 0
        use = np.flatnonzero(ext > 0)
        if use.size:
            at = ext_at[use]
            found[at] = _due(tab, rows[at], begin[at], limit[at] + ext[use], s0[at], s1[at], sp[at])
    return found, sp & (s0 <= day_ord) & (day_ord <= s1)


def _finish(
    facts: ReplyFacts,
    day: date,
    cal: WorkCalendar,
    tab: _Tables,
    started: npt.NDArray[np.bool_],
    failed: dict[int, GovDiscloseError],
    state: npt.NDArray[np.int8],
    due_out: npt.NDArray[np.datetime64],
    left_out: _Ints,
    late_out: _Ints,
    prov_out: npt.NDArray[np.bool_],
) -> StatusBatch:
    """Mark the rows that read a day outside the calendar's data (or failed one by one) as
    ``UNDETERMINED`` with their problem: the padded tables gave them a value, but not one the
    calendar vouches for."""
    for i in np.flatnonzero(started & tab.outside()).tolist():
        failed.setdefault(i, tab.error(i))
    if not failed:
        return StatusBatch(day, state, due_out, left_out, late_out, prov_out)
    bad = np.fromiter(sorted(failed), dtype=np.int64, count=len(failed))
    state[bad] = _state_codes()["UNDETERMINED"]
    due_out[bad] = np.datetime64("NaT")
    left_out[bad] = -1
    late_out[bad] = -1
    prov_out[bad] = False
    ids = facts.ids
    problems = tuple(ItemProblem.from_error(ids[i], failed[i], index=i) for i in bad.tolist())
    return StatusBatch(day, state, due_out, left_out, late_out, prov_out, problems)


#: Plain weeks added beyond both ends of a calendar's tables for the batch: more than any reply
#: clock can reach past the data (40 working days plus pauses of 15 working days each).
_PAD_DAYS = 4 * 366


class _Tables:
    """The calendar's tables (ordinals in and out) padded with plain Monday-to-Friday weeks
    beyond both ends, so that array arithmetic never stops at the edge of the data.

    Every read is remembered per application (the earliest and latest day it looked at): a row
    that read a padded day needs data the calendar does not have, exactly when the scalar path
    (`govdisclose.deadlines.reply_status`) would raise, and is reported as that item's problem.
    """

    def __init__(self, cal: WorkCalendar, n: int) -> None:
        tables = cal._numpy()
        self._cal = cal
        self.lo = cal._origin
        self.hi = cal._end
        before = np.frombuffer(weekday_flags(self.lo - _PAD_DAYS, _PAD_DAYS), dtype=np.uint8)
        after = np.frombuffer(weekday_flags(self.hi, _PAD_DAYS), dtype=np.uint8)
        flags = np.concatenate([before, tables.flags.astype(np.uint8), after])
        self.origin = self.lo - _PAD_DAYS
        self.cum: _Ints = np.cumsum(flags, dtype=np.int64)
        self.wd: _Ints = np.flatnonzero(flags).astype(np.int64) + self.origin
        # Day ordinals: int32 holds them all.
        self.need_lo = np.full(n, np.iinfo(np.int32).max, dtype=np.int32)
        self.need_hi = np.full(n, np.iinfo(np.int32).min, dtype=np.int32)

    def read(self, rows: _Ints, days: _Ints) -> None:
        """Remember that each of ``rows`` (distinct) read the day ``days`` (ordinals)."""
        self.need_lo[rows] = np.minimum(self.need_lo[rows], days)
        self.need_hi[rows] = np.maximum(self.need_hi[rows], days)

    def _cum(self, days: _Ints) -> _Ints:
        off = np.clip(days - self.origin, 0, self.cum.size - 1)
        return self.cum[off]

    def add(self, rows: _Ints, days: _Ints, n: _Ints) -> _Ints:
        """`WorkCalendar.add_working_days` for positive ``n``, element-wise (ordinals)."""
        k = np.clip(self._cum(days) + n - 1, 0, self.wd.size - 1)
        out: _Ints = self.wd[k]
        self.read(rows, days)
        self.read(rows, out)
        return out

    def between(self, rows: _Ints, a: _Ints, b: _Ints) -> _Ints:
        """`WorkCalendar.working_days_between`, element-wise (ordinals in)."""
        self.read(rows, a)
        self.read(rows, b)
        return self._cum(b) - self._cum(a)

    def outside(self) -> npt.NDArray[np.bool_]:
        """Rows that read a day outside the calendar's data."""
        return (self.need_lo < self.lo) | (self.need_hi >= self.hi)

    def error(self, i: int) -> GovDiscloseError:
        """The error the scalar path raises for row ``i``: the first day it lacks."""
        if self.need_lo[i] < self.lo:
            return self._cal._missing(date.fromordinal(self.lo - 1))
        return self._cal._missing(date.fromordinal(self.hi))


def _has_limits(snap: Snapshot) -> bool:
    return "reply_days" in snap and "extension_days" in snap


def _limit_error(periods: _Periods, receipt: int) -> GovDiscloseError:
    snap = periods.snap(receipt)
    try:
        snap.working_days("reply_days")
        snap.working_days("extension_days")
    except GovDiscloseError as err:
        return err
    raise AssertionError("unreachable: _has_limits said a limit is missing")


def _due(
    tab: _Tables,
    who: _Ints,
    start: _Ints,
    n: _Ints,
    span0: _Ints,
    span1: _Ints,
    spanned: npt.NDArray[np.bool_],
) -> _Ints:
    """`due_with_pauses` with at most one span per row (ordinals in and out): the n-th working
    day after ``start``, or, when the span comes first, the rest counted after its end.
    ``who`` are the applications (batch rows) of the elements, for `_Tables.read`."""
    out = tab.add(who, start, n)
    rows = np.flatnonzero(spanned)
    if rows.size:
        before = tab.between(who[rows], start[rows], span0[rows] - 1)
        rest = n[rows] - before
        cut = np.flatnonzero(rest > 0)
        if cut.size:
            at = rows[cut]
            out[at] = tab.add(who[at], span1[at], rest[cut])
    return out


def _one_consultation(
    facts: ReplyFacts,
    asked: _Ints,
    answer: _Ints,
    closed: _Ints,
    start: _Ints,
    receipt: _Ints,
    on: _Ints,
    periods: _Periods,
    tab: _Tables,
    who: _Ints,
) -> tuple[_Ints, _Ints, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """The pause of histories with exactly one consultation (flat index ``asked``; ``answer``
    the one reply event or -1; ``closed`` the closing day or 0), as `_reply` computes it: from
    the consultation to the reply, else to the end of the reply window (第三十二条, 第三十四条),
    else (no window, 2008 text) to the closing day; clipped to the days after ``start`` and up
    to the closing day. Returns ``(span0, span1, spanned, no_window)``, ``no_window`` where the
    clock stands still without a due date."""
    agency = facts.consulted_agency[asked]
    began = on[asked]
    end = np.zeros(asked.size, dtype=np.int64)
    replied = np.zeros(asked.size, dtype=bool)
    later = np.flatnonzero(answer > asked)
    if later.size:
        same = facts.party[asked[later]] == facts.party[answer[later]]
        replied[later[same]] = True
        end[replied] = on[answer[replied]]
    window = np.where(
        agency,
        periods.each(receipt, _window("co_producer_reply_days"), np.int64),
        periods.each(receipt, _window("third_party_reply_days"), np.int64),
    )
    timed = np.flatnonzero(~replied & (window >= 0))
    if timed.size:
        end[timed] = tab.add(who[timed], began[timed], window[timed])
    open_ended = ~replied & (window < 0)
    end[open_ended] = closed[open_ended]
    no_window = open_ended & (closed == 0)
    # The excluded time starts on the sending day or the day after (第三十三条第三款).
    shift = periods.each(receipt, consultation_shift, np.int64)
    span0 = np.maximum(began + shift, start + 1)
    span1 = np.where(closed > 0, np.minimum(end, closed), end)
    return span0, span1, (span0 <= span1) & ~no_window, no_window


def _window(name: str) -> Callable[[Snapshot], int]:
    def get(snap: Snapshot) -> int:
        return snap.working_days(name) if name in snap else -1

    return get


def _paused_due(
    history: _History,
    day: date,
    snap: Callable[[int], Snapshot],
    cal: WorkCalendar,
) -> tuple[int, bool] | None:
    """The reply due date (ordinal) of a history the arrays do not cover, and whether ``day``
    lies in a pause: the scalar `fold`, without explanations (the law written once); ``None``
    when the clock stands still without a due date (awaiting correction, fee or an open-ended
    consultation).

    ``history`` is rebuilt from the columns (`_Histories`): `fold` reads of it only the
    receipt date and the events, which is what it holds (the channel is read only to explain).
    """
    app = cast("Application", history)
    facts = fold(app, lambda d: snap(d.toordinal()), cal, day, explain=False)
    if not isinstance(facts, ReplyFold):
        return None
    return facts.due.toordinal(), any(s.start <= day <= s.end for s in facts.spans)


def _fee_pauses(snap: Snapshot) -> bool:
    return bool(snap.get("fee_pauses_reply_clock", False))


def _working_days(name: str) -> Callable[[Snapshot], int]:
    def get(snap: Snapshot) -> int:
        return snap.working_days(name)

    return get


def _cause(began: Any) -> PauseCause:
    return PauseCause.CO_PRODUCER if began.is_agency else PauseCause.THIRD_PARTY
