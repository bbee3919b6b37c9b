"""MemoryStore: the annual tally from per-agency counters, and bulk-import cost.

Anchors, measured in the same run, interleaved round by round:

* tally: a full scan computing the same `ApplicationTally` from the stored applications (what a
  store without counters must do), checked to give the identical result;
* import: replaying each application's history through `lifecycle.apply_all` alone, the
  validation every store must do, so the ratio shows the store's own overhead on top of it.

The 1,000,000 applications (full run) are 50,000 synthetic ones copied under new ids: generating
a million distinct histories would take minutes and the counts do not depend on distinctness.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from datetime import date

import attrs
from _harness import Method, Row, compare, note, report

from govdisclose.lifecycle import apply_all
from govdisclose.model import Application
from govdisclose.store import ApplicationTally
from govdisclose.synthetic import generate_applications
from govdisclose.testing import MemoryStore
from govdisclose.testing.builders import agency


def _applications(total: int) -> Iterator[Application]:
    base = [
        *generate_applications("AG1", 2024, 25_000),
        *generate_applications("AG1", 2023, 25_000),
    ]
    copies = -(-total // len(base))
    n = 0
    for c in range(copies):
        for app in base:
            if n == total:
                return
            yield app if c == 0 else attrs.evolve(app, id=f"{app.id}-c{c}")
            n += 1


def _scan_tally(store: MemoryStore, agency: str, year: int) -> ApplicationTally:
    received: Counter[object] = Counter()
    carried_over: Counter[object] = Counter()
    concluded: Counter[object] = Counter()
    carried_forward: Counter[object] = Counter()
    start, end = date(year, 1, 1), date(year, 12, 31)
    for app in store.applications(agency=agency):
        got, closed, kind = app.receipt_date, app.closed_on, app.applicant.type
        if got is None:
            continue
        if got.year == year:
            received[kind] += 1
        if got < start and (closed is None or closed >= start):
            carried_over[kind] += 1
        if closed is not None and closed.year == year:
            concluded[app.outcome, kind] += 1
        if got <= end and (closed is None or closed > end):
            carried_forward[kind] += 1
    return ApplicationTally(
        agency=agency,
        year=year,
        received=dict(received),  # type: ignore[arg-type]
        carried_over=dict(carried_over),  # type: ignore[arg-type]
        concluded=dict(concluded),  # type: ignore[arg-type]
        carried_forward=dict(carried_forward),  # type: ignore[arg-type]
    )


def main(quick: bool) -> None:
    total = 20_000 if quick else 1_000_000
    apps = list(_applications(total))
    sample = apps[: min(len(apps), 20_000)]

    def import_sample() -> None:
        MemoryStore().import_bulk(agencies=[agency("AG1")], applications=sample)

    def replay_sample() -> None:
        for app in sample:
            apply_all(attrs.evolve(app, events=()), app.events)

    store = MemoryStore()
    started = time.perf_counter()
    store.import_bulk(agencies=[agency("AG1")], applications=apps)
    load = time.perf_counter() - started
    assert store.application_tally("AG1", 2023) == _scan_tally(store, "AG1", 2023)
    n = len(sample)
    times = compare(
        {
            "tally": lambda: store.application_tally("AG1", 2023),
            "scan": lambda: _scan_tally(store, "AG1", 2023),
            "import": Method(import_sample, per=n),
            "replay": Method(replay_sample, per=n),
        },
        rounds=3,
    )
    report(
        [
            Row(
                f"application_tally ({total:,} applications)",
                times["tally"],
                "full scan",
                times["scan"],
            ),
            Row(
                "import_bulk per application",
                times["import"],
                "lifecycle replay per application",
                times["replay"],
                unit="app",
            ),
        ]
    )
    note(f"import_bulk of all {total:,} applications: {load:.1f} s (set-up; one run)")
