"""Reply status of 1,000,000 applications as of one date (target: under 3 s).

Anchors, measured in the same run:

* the floor: a bare Python loop that touches each application's ``events`` once, the least any
  per-object computation over Python objects can cost;
* govdisclose's own scalar `reply_status` in a loop, timed on a sample and scaled;
* a naive per-application loop that walks day by day with ``chinese_calendar.is_workday`` (what
  an OA system without govdisclose would write), timed on a smaller sample and scaled.

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

import gc
import statistics
import time
from datetime import date, timedelta

import attrs
import chinese_calendar
from _harness import report

from govdisclose.calendar import WorkCalendar
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


def _floor(apps: list[Application]) -> int:
    """The floor anchor: touch each application's events once."""
    total = 0
    for app in apps:
        total += len(app.events)
    return total


def main(quick: bool) -> None:
    n = 100_000 if quick else 1_000_000
    sample = 5_000 if quick else 20_000
    naive_sample = 1_000 if quick else 2_000
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
    print(
        f"built {n:,} synthetic applications in {built:.1f} s "
        f"({kinds / n:.1%} with corrections, consultations or fees; 2,000 replayed as valid)"
    )

    reply_status_many(apps[:1000], AS_OF, params=params, calendar=cal)  # warm the tables
    gc.collect()  # the population's garbage is the generator's cost, not the first run's
    batch_runs: list[float] = []
    batch_cpu: list[float] = []
    floor_runs: list[float] = []
    for _ in range(5):  # interleaved, so both see the same machine load
        t0 = time.perf_counter()
        _floor(apps)
        floor_runs.append(time.perf_counter() - t0)
        t0, c0 = time.perf_counter(), time.process_time()
        batch = reply_status_many(apps, AS_OF, params=params, calendar=cal)
        batch_runs.append(time.perf_counter() - t0)
        batch_cpu.append(time.process_time() - c0)
    ours = statistics.median(batch_runs)
    floor = statistics.median(floor_runs)
    print(
        f"reply_status_many over {n:,}: {ours:.2f} s (median of 5; runs "
        + ", ".join(f"{r:.2f}" for r in batch_runs)
        + f"; CPU time median {statistics.median(batch_cpu):.2f} s); states: "
        + ", ".join(f"{s.value}={c:,}" for s, c in batch.counts().items())
    )

    part = apps[:sample]
    t0 = time.perf_counter()
    scalar_states = [reply_status(app, AS_OF, params=params, calendar=cal) for app in part]
    scalar = (time.perf_counter() - t0) / sample * n
    differ = sum(
        (s.state, s.due, s.working_days_left, s.working_days_late, s.provisional)
        != (b.state, b.due, b.working_days_left, b.working_days_late, b.provisional)
        for s, b in ((scalar_states[i], batch[i]) for i in range(sample))
    )
    if differ:
        raise AssertionError(f"batch and scalar differ on {differ} of {sample} applications")
    t0 = time.perf_counter()
    for app in apps[:naive_sample]:
        _naive_status(app, AS_OF)
    naive = (time.perf_counter() - t0) / naive_sample * n

    report(
        [
            (f"status of {n:,} (batch)", ours, "floor: touch .events once", floor),
            (f"status of {n:,} (batch)", ours, "govdisclose reply_status loop*", scalar),
            (f"status of {n:,} (batch)", ours, "naive chinese_calendar loop**", naive),
        ]
    )
    print(
        f"batch / floor = {ours / floor:.1f}; * scaled from a sample of {sample:,} (batch equal "
        f"to scalar on it); ** scaled from {naive_sample:,}; target: batch under 3 s for "
        f"1,000,000 ({'met' if n < 1_000_000 or ours < 3 else 'NOT met'} on this run)"
    )
