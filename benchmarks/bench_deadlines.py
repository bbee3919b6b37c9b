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
events up to 30 days after that day are kept (so the batch must ignore them). The objects are
built with attrs validators switched off, for speed; a sample is replayed through
`govdisclose.lifecycle.apply_all` to show the histories are valid.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
from bisect import bisect_right
from datetime import date, timedelta

import attrs
import chinese_calendar
from _harness import report

from govdisclose.calendar import WorkCalendar
from govdisclose.deadlines import reply_status, reply_status_many
from govdisclose.lifecycle import apply_all
from govdisclose.model import (
    Applicant,
    Application,
    CorrectionReceived,
    CorrectionRequested,
    DeemedWithdrawn,
    Event,
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
from govdisclose.params import ParameterSet
from govdisclose.vocab import (
    ApplicantType,
    Channel,
    FeeMethod,
    Outcome,
    ReviewCaseKind,
    WithdrawalCause,
)

AS_OF = date(2025, 11, 15)
_APPLICANT = Applicant(type=ApplicantType.NATURAL_PERSON, name="张三")
_CHANNELS = (
    Channel.ONLINE,
    Channel.POST,
    Channel.IN_PERSON,
    Channel.ORDINARY_LETTER,
    Channel.EMAIL,
    Channel.FAX,
    Channel.OTHER,
)
_CHANNEL_CUM = (55, 75, 87, 92, 97, 99)
_OUTCOMES = (Outcome.DISCLOSED, Outcome.PARTIALLY_DISCLOSED, Outcome.NOT_HELD)


def _population(n: int, seed: int = 1) -> list[Application]:
    """``n`` applications with valid, varied histories (see the module docstring)."""
    rng = random.Random(seed)
    rand = rng.random
    first = date(2024, 1, 2).toordinal()
    span = AS_OF.toordinal() - first
    horizon = AS_OF.toordinal() + 30
    day = date.fromordinal  # a date object per event, as a store loading rows would make
    apps: list[Application] = []
    with attrs.validators.disabled():
        for i in range(n):
            o = first + int(rand() * span)
            channel = _CHANNELS[bisect_right(_CHANNEL_CUM, rand() * 100)]
            if channel.receipt_needs_confirmation and rand() < 0.3:
                arrived, o = o, o + int(rand() * 3)
                events: list[Event] = [Received(on=day(arrived), confirmed_on=day(o))]
            else:
                events = [Received(on=day(o))]
            _history(events, o, rng, horizon)
            apps.append(
                Application(
                    id=f"A{i:07d}",
                    agency="某局",
                    applicant=_APPLICANT,
                    channel=channel,
                    request="某项目信息",
                    events=tuple(events),
                )
            )
    return apps


def _history(events: list[Event], o: int, rng: random.Random, horizon: int) -> None:
    """Append the events after receipt (receipt day ordinal ``o``) up to ``horizon``."""
    rand = rng.random

    def randint(lo: int, hi: int) -> int:  # random.randint is three Python calls deep
        return lo + int(rand() * (hi - lo + 1))

    def add(ordinal: int, make: type[Event], **kw: object) -> bool:
        if ordinal > horizon:
            return False
        events.append(make(on=date.fromordinal(ordinal), **kw))  # type: ignore[arg-type]
        return True

    r = rand()
    if r < 0.08:
        o += randint(1, 6)
        if not add(o, CorrectionRequested, items="请明确信息名称"):
            return
        if rand() < 0.2:
            add(o + 16, DeemedWithdrawn, cause=WithdrawalCause.NO_CORRECTION)
            return
        o += randint(1, 12)
        if not add(o, CorrectionReceived):
            return
    elif r < 0.13:
        o += randint(1, 8)
        party = f"第三方{randint(1, 99)}"
        if not add(o, ThirdPartyConsulted, party=party, is_agency=rand() < 0.2):
            return
        if rand() < 0.85:
            o += randint(3, 20)
            if not add(o, ThirdPartyReplied, party=party, consents=rand() < 0.6):
                return
    elif r < 0.145:
        o += randint(3, 12)
        if not add(o, FeeNotified, amount=1700, method=FeeMethod.PER_VOLUME, quantity=150):
            return
        if rand() < 0.4:
            add(o + 21, DeemedWithdrawn, cause=WithdrawalCause.FEE_NOT_PAID)
            return
        o += randint(1, 15)
        if not add(o, FeePaid, amount=1700):
            return
    if rand() < 0.05:
        o += randint(0, 3)
        if not add(o, Transferred, to="某处"):
            return
    if rand() < 0.07:
        o += randint(10, 25)
        if not add(
            o, Extended, days=30 if rand() < 0.05 else 20, reason="需调档", approved_by="主任"
        ):
            return
    o += randint(3, 18) if rand() < 0.93 else randint(19, 40)
    if rand() < 0.015:
        add(o, Withdrawn)
        return
    if add(o, Replied, outcome=_OUTCOMES[randint(0, 2)]) and rand() < 0.01:
        add(
            o + randint(10, 60),
            ReviewCaseFiled,
            case_id="复议1",
            case_kind=ReviewCaseKind.RECONSIDERATION,
        )


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
