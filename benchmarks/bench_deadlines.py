"""Reply status of 1,000,000 applications as of one date (target: under 3 s).

Anchors, measured in the same run:

* a naive per-application loop that walks day by day with ``chinese_calendar.is_workday`` (what
  an OA system without govdisclose would write), timed on a sample and scaled;
* govdisclose's own scalar `reply_status` in a loop, timed on a sample and scaled.

The population is synthetic, with the proportions of ``govdisclose.synthetic`` (about 8 %
corrections, 5 % consultations, 7 % extensions, 1.5 % fees; most replied, some still open),
received across 2024-2025, all statuses taken as of 2025-11-15.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

import chinese_calendar
from _harness import report

from govdisclose.calendar import WorkCalendar
from govdisclose.deadlines import reply_status, reply_status_many
from govdisclose.model import (
    Applicant,
    Application,
    CorrectionReceived,
    CorrectionRequested,
    Event,
    Extended,
    FeeNotified,
    FeePaid,
    Received,
    Replied,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    Withdrawn,
)
from govdisclose.params import ParameterSet
from govdisclose.vocab import ApplicantType, Channel, FeeMethod, Outcome

AS_OF = date(2025, 11, 15)
_APPLICANT = Applicant(type=ApplicantType.NATURAL_PERSON, name="张三")
_CHANNELS = (Channel.IN_PERSON, Channel.POST, Channel.ONLINE, Channel.EMAIL)


def _population(n: int, seed: int = 1) -> list[Application]:
    rng = random.Random(seed)
    first = date(2024, 1, 2).toordinal()
    span = AS_OF.toordinal() - first
    apps = []
    for i in range(n):
        received = date.fromordinal(first + rng.randrange(span))
        day = received
        events: list[Event] = [Received(on=received)]
        r = rng.random()
        if r < 0.08:
            day += timedelta(days=rng.randint(1, 6))
            events.append(CorrectionRequested(on=day, items="请明确信息名称"))
            day += timedelta(days=rng.randint(2, 15))
            events.append(CorrectionReceived(on=day))
        elif r < 0.13:
            day += timedelta(days=rng.randint(1, 10))
            events.append(ThirdPartyConsulted(on=day, party="某公司"))
            day += timedelta(days=rng.randint(3, 20))
            events.append(ThirdPartyReplied(on=day, party="某公司"))
        elif r < 0.145:
            day += timedelta(days=rng.randint(3, 12))
            events.append(
                FeeNotified(on=day, amount=1700, method=FeeMethod.PER_VOLUME, quantity=150)
            )
            day += timedelta(days=rng.randint(1, 20))
            events.append(FeePaid(on=day, amount=1700))
        if rng.random() < 0.07:
            day += timedelta(days=rng.randint(10, 25))
            events.append(Extended(on=day, days=20, reason="需调档", approved_by="主任"))
        day += timedelta(days=rng.randint(3, 35))
        if rng.random() < 0.02:
            events.append(Withdrawn(on=day))
        else:
            events.append(Replied(on=day, outcome=Outcome.DISCLOSED))
        apps.append(
            Application(
                id=f"A{i}",
                agency="某局",
                applicant=_APPLICANT,
                channel=_CHANNELS[i % 4],
                request="某项目信息",
                events=tuple(e for e in events if e.on <= AS_OF + timedelta(days=30)),
            )
        )
    return apps


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


def main(quick: bool) -> None:
    n = 100_000 if quick else 1_000_000
    sample = 2_000 if quick else 10_000
    params = ParameterSet.default()
    cal = WorkCalendar.default()
    started = time.perf_counter()
    apps = _population(n)
    print(f"built {n:,} synthetic applications in {time.perf_counter() - started:.1f} s")

    reply_status_many(apps[:1000], AS_OF, params=params, calendar=cal)  # warm the tables
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        batch = reply_status_many(apps, AS_OF, params=params, calendar=cal)
        runs.append(time.perf_counter() - t0)
    ours = sorted(runs)[1]
    print(
        f"reply_status_many over {n:,}: {ours:.2f} s (median of 3); states: "
        + ", ".join(f"{s.value}={c:,}" for s, c in batch.counts().items())
    )

    part = apps[:sample]
    t0 = time.perf_counter()
    for app in part:
        _naive_status(app, AS_OF)
    naive = (time.perf_counter() - t0) / sample * n
    t0 = time.perf_counter()
    for app in part:
        reply_status(app, AS_OF, params=params, calendar=cal)
    scalar = (time.perf_counter() - t0) / sample * n

    report(
        [
            (f"status of {n:,} (batch)", ours, "naive chinese_calendar loop*", naive),
            (f"status of {n:,} (batch)", ours, "govdisclose reply_status loop*", scalar),
        ]
    )
    print(
        f"* scaled from a sample of {sample:,}; target: batch under 3 s for 1,000,000 "
        f"({'met' if n < 1_000_000 or ours < 3 else 'NOT met'} on this run)"
    )
