"""Reply status of 1,000,000 applications as of one date (target: under 3 s), and its column
extraction from the objects (`ReplyFacts.of`: target, no slower than the old one, which read
less, within 5 %: the rounds of the two spread by a few per cent on a shared machine).

Anchors, measured in the same run, interleaved round by round:

* the per-event floor: one pass that reads every event's day and kind into numpy arrays (and
  each application's event count), the least a batch that looks at every event must do;
* a bare Python loop that touches each application's ``events`` once and reads no event (a
  lower floor, shown for comparison with earlier reports);
* govdisclose's own scalar `reply_status` in a loop, timed on a sample and scaled;
* a naive per-application loop that walks day by day with ``chinese_calendar.is_workday`` (what
  an OA system without govdisclose would write), timed on a smaller sample and scaled;
* for `ReplyFacts.of` alone: the column extraction the batch used before `ReplyFacts` existed
  (`_old_extraction`, the same C-level passes: lengths, codes, days, confirmation rows; it
  gave no ids and no side facts), and the per-event floor.

The population is synthetic: about 85 % plain histories (received, sometimes transferred or
extended, then replied or withdrawn, a few taken to review), the rest with corrections (some
never corrected), consultations (some unanswered, some of other agencies) or fees (some never
paid); online, fax and ordinary-letter applications often carry a later confirmation day.
Receipts are spread over 2024-01-02 .. 2025-11-15, statuses are taken as of 2025-11-15, and
events up to 30 days after that day are kept (so the batch must ignore them). It is
`govdisclose.testing.builders.deadline_population` (seed 1, the same applications as this
benchmark generated before the builder existed), built with attrs validators switched off, for
speed; a sample is replayed through `govdisclose.lifecycle.apply_all` to show the histories are
valid.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from itertools import chain, repeat
from operator import attrgetter, is_not, itemgetter
from typing import Any

import attrs
import chinese_calendar
import numpy as np
from _harness import Method, Row, Target, compare, note, report

from govdisclose.calendar import WorkCalendar
from govdisclose.columns import ReplyFacts, event_code
from govdisclose.deadlines import reply_status, reply_status_many
from govdisclose.lifecycle import apply_all
from govdisclose.model import (
    Application,
    CorrectionRequested,
    FeeNotified,
    Replied,
    ThirdPartyConsulted,
)
from govdisclose.params import ParameterSet
from govdisclose.testing.builders import deadline_population
from govdisclose.vocab import Channel

AS_OF = date(2025, 11, 15)


def _population(n: int) -> list[Application]:
    """``n`` applications with valid, varied histories (see the module docstring), built with
    validators off: `govdisclose.testing.builders.deadline_population`, seed 1."""
    return deadline_population(n, seed=1, as_of=AS_OF, validate=False)


def _check_valid(apps: list[Application]) -> None:
    """Replay each history through the lifecycle (with validators on): it must be accepted."""
    for app in apps:
        replayed = apply_all(attrs.evolve(app, events=()), app.events)
        if replayed != app:
            raise AssertionError(f"{app.id}: the replayed history differs")


def _naive_status(app: Application, as_of: date) -> tuple[str, date]:
    """What an OA system would write: walk the days with chinese_calendar, per application."""
    receipt = app.events[0].on
    limit = 20 if receipt >= date(2019, 5, 15) else 15
    day, counted = receipt, 0
    while counted < limit:
        day += timedelta(days=1)
        if chinese_calendar.is_workday(day):
            counted += 1
    closed = next((e.on for e in app.events if isinstance(e, Replied) and e.on <= as_of), None)
    if closed is not None:
        return ("met" if closed <= day else "missed"), day
    return ("overdue" if as_of > day else "pending"), day


def _touch(apps: list[Application]) -> int:
    """Touch each application's ``events`` tuple once (reads no event)."""
    total = 0
    for app in apps:
        total += len(app.events)
    return total


def _per_event_floor(apps: list[Application]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The per-event floor: one pass reading every event's day and kind into numpy arrays (plus
    the per-application event counts), the least any batch over these objects must read."""
    codes: dict[type, int] = {}
    days = np.fromiter((e.on.toordinal() for app in apps for e in app.events), dtype=np.int64)
    kinds = np.fromiter(
        (codes.setdefault(type(e), len(codes)) for app in apps for e in app.events),
        dtype=np.int8,
        count=len(days),
    )
    counts = np.fromiter((len(app.events) for app in apps), dtype=np.int32, count=len(apps))
    return days, kinds, counts


_EVENTS, _ON, _FIRST = attrgetter("events"), attrgetter("on"), itemgetter(0)
_CHANNEL = attrgetter("channel._value_")


def _old_extraction(apps: list[Application], codes: dict[type, int]) -> tuple[Any, ...]:
    """The column extraction the batch had before `ReplyFacts` (``deadlines._batch._columns``
    up to 0.2.0.dev): C-level passes in rounds of 4,096 applications giving each history's
    length, each event's code and day, the confirmation rows, and all events in one list (the
    side facts were read from it later, only for the rows that needed them). No ids, no side
    facts: `ReplyFacts.of` does more, and must not take longer (within 5 %). ``codes``: each
    event class's code (`_event_codes`)."""
    needs = frozenset(c.value for c in Channel if c.receipt_needs_confirmation)
    flat: list[Any] = []
    lens, kinds, ons, confirmations = [], [], [], []
    for lo in range(0, len(apps), 4096):
        part = apps[lo : lo + 4096]
        histories = list(map(_EVENTS, part))
        size = np.fromiter(map(len, histories), dtype=np.int64, count=len(histories))
        events = list(chain.from_iterable(histories))
        ons.append(np.fromiter(map(date.toordinal, map(_ON, events)), np.int64, len(events)))
        kinds.append(bytes(map(codes.__getitem__, map(type, events))))
        firsts = (
            map(_FIRST, histories) if size.all() else map(next, map(iter, histories), repeat(None))
        )
        conf = list(map(getattr, firsts, repeat("confirmed_on"), repeat(None)))
        given = np.flatnonzero(np.fromiter(map(is_not, conf, repeat(None)), bool, len(conf)))
        if given.size:
            channels = map(_CHANNEL, map(part.__getitem__, given.tolist()))
            use = given[np.fromiter(map(needs.__contains__, channels), bool, given.size)]
            days = np.fromiter(
                map(date.toordinal, map(conf.__getitem__, use.tolist())), np.int64, use.size
            )
            confirmations.append(np.stack([use + lo, days], axis=1))
        lens.append(size)
        flat += events
    return (
        flat,
        np.concatenate(lens),
        np.frombuffer(b"".join(kinds), dtype=np.int8),
        np.concatenate(ons),
        np.concatenate(confirmations) if confirmations else np.zeros((0, 2), dtype=np.int64),
    )


def _event_codes(apps: list[Application]) -> dict[type, int]:
    """The `EventCode` of each event class in ``apps`` (set-up of `_old_extraction`)."""
    codes: dict[type, int] = {}
    for app in apps:
        for e in app.events:
            if type(e) not in codes:
                codes[type(e)] = int(event_code(e))
    return codes


def main(quick: bool) -> None:
    n = 100_000 if quick else 1_000_000
    sample = 5_000 if quick else 20_000
    naive_sample = 300 if quick else 1_000
    rounds = 3
    params = ParameterSet.default()
    cal = WorkCalendar.default()
    started = time.perf_counter()
    apps = _population(n)
    built = time.perf_counter() - started
    _check_valid(apps[:2_000])
    kinds = sum(
        any(type(e) in (CorrectionRequested, ThirdPartyConsulted, FeeNotified) for e in a.events)
        for a in apps
    )
    events = sum(len(a.events) for a in apps)
    note(
        f"built {n:,} synthetic applications ({events:,} events) in {built:.1f} s "
        f"({kinds / n:.1%} with corrections, consultations or fees; 2,000 replayed as valid)"
    )

    reply_status_many(apps[:1000], AS_OF, params=params, calendar=cal)  # warm the tables
    codes = _event_codes(apps)
    part = apps[:sample]
    naive_part = apps[:naive_sample]
    times = compare(
        {
            "batch": lambda: reply_status_many(apps, AS_OF, params=params, calendar=cal),
            "per_event": lambda: _per_event_floor(apps),
            "of": lambda: ReplyFacts.of(apps),
            "old_of": lambda: _old_extraction(apps, codes),
            "touch": lambda: _touch(apps),
            "scalar": Method(
                lambda: [reply_status(a, AS_OF, params=params, calendar=cal) for a in part],
                per=sample / n,
            ),
            "naive": Method(
                lambda: [_naive_status(a, AS_OF) for a in naive_part], per=naive_sample / n
            ),
        },
        rounds=rounds,
    )
    batch = reply_status_many(apps, AS_OF, params=params, calendar=cal)
    scalar_states = [reply_status(app, AS_OF, params=params, calendar=cal) for app in part]
    differ = sum(
        (s.state, s.due, s.working_days_left, s.working_days_late, s.provisional)
        != (b.state, b.due, b.working_days_left, b.working_days_late, b.provisional)
        for s, b in ((scalar_states[i], batch[i]) for i in range(sample))
    )
    if differ:
        raise AssertionError(f"batch and scalar differ on {differ} of {sample} applications")
    label = f"reply_status_many, {n:,} apps"
    report(
        [
            Row(
                label,
                times["batch"],
                "per-event floor: numpy day+kind of every event",
                times["per_event"],
            ),
            Row(label, times["batch"], "touch .events once (reads no event)", times["touch"]),
            Row(
                f"  ReplyFacts.of, {n:,} apps",
                times["of"],
                "the old column extraction (no ids, no side facts)",
                times["old_of"],
                Target("<= 1.05x old", max_ratio=1.05),
            ),
            Row(
                f"  ReplyFacts.of, {n:,} apps",
                times["of"],
                "per-event floor: numpy day+kind of every event",
                times["per_event"],
            ),
            Row(label, times["batch"], "reply_status loop (scaled from sample)", times["scalar"]),
            Row(label, times["batch"], "naive chinese_calendar loop (scaled)", times["naive"]),
            Row(
                label,
                times["batch"],
                target=Target("< 3 s for 1,000,000", max_seconds=3, full_only=True),
            ),
        ]
    )
    note(
        "states: "
        + ", ".join(f"{s.value}={c:,}" for s, c in batch.counts().items())
        + f"; the scalar loop is timed on {sample:,} applications (equal to the batch on them), "
        f"the naive loop on {naive_sample:,}, both scaled to {n:,}"
    )
