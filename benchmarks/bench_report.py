"""Annual report: build one agency-year report from a store holding many applications.

Measured in one run against named anchors, interleaved round by round:

* anchor: iterating the applications once (``for app in apps: app.agency``), the least any
  report built by scanning must pay;
* ``build_annual_report`` on `govdisclose.testing.MemoryStore` (target: < 10 s for 1,000,000
  applications; the store keeps per-agency counters, so this should be far below the anchor);
* ``build_annual_report`` on plain data (`ReportData`: `tally_applications` scans every
  application and derives receipt date, closure and outcome from its events);
* ``build_annual_report`` on ``govdisclose-sql`` (SQLite file; target: < 3 s), skipped with a
  message when the plugin is not installed. Importing the applications into SQLite is set-up,
  not measured.

The 1,000,000 applications (100,000 with ``--quick``) are 50,000 seeded random ones (received
Nov 2022 - Dec 2023, 90% replied with a random outcome) copied under new ids: the counts do not
depend on the histories being distinct.

    python benchmarks/run.py report [--quick]
"""

from __future__ import annotations

import importlib.util
import random
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import attrs
from _harness import Row, Target, compare, note, report

from govdisclose.model import Agency, Applicant, Application, Received, Replied
from govdisclose.report import ReportData, SuppliedFigures, build_annual_report, validate
from govdisclose.testing import MemoryStore
from govdisclose.vocab import AgencyLevel, ApplicantType, Channel, Outcome

AGENCY = Agency(code="AG1", name="基准测试局", level=AgencyLevel.CITY)
SUPPLIED = SuppliedFigures(licensing=10, penalty=5, coercion=1, admin_fees_10k_yuan="0")


def _base(count: int) -> list[Application]:
    # Simple valid histories (received, then replied / withdrawn / still open), drawn from a
    # seeded generator so every run measures the same data.
    rng = random.Random(2023)
    kinds = list(ApplicantType)
    # outcomes a reply may give right after receipt (the others need a correction or fee step)
    needs_step = {Outcome.UNCLEAR_AFTER_CORRECTION, Outcome.NO_CORRECTION, Outcome.FEE_NOT_PAID}
    outcomes = [o for o in Outcome if o not in needs_step]
    apps = []
    start = date(2022, 11, 1)
    for i in range(count):
        got = start + timedelta(days=rng.randint(0, 424))
        events: list[Received | Replied] = [Received(on=got)]
        if rng.random() < 0.9:
            outcome = rng.choice(outcomes)
            # Every reply but 予以公开 states its reasons (条例 2019 第三十六条、第三十七条).
            reasons = None if outcome is Outcome.DISCLOSED else f"依法答复：{outcome.label}"
            events.append(
                Replied(
                    on=got + timedelta(days=rng.randint(1, 40)), outcome=outcome, reasons=reasons
                )
            )
        apps.append(
            Application(
                id=f"AG1-{i:06d}",
                agency="AG1",
                applicant=Applicant(type=rng.choice(kinds), name="申请人"),
                channel=Channel.IN_PERSON,
                request="申请公开某信息",
                events=tuple(events),
            )
        )
    return apps


def _applications(total: int) -> Iterator[Application]:
    base = _base(50_000)
    copies = -(-total // len(base))
    n = 0
    for c in range(copies):
        for app in base:
            if n == total:
                return
            yield app if c == 0 else attrs.evolve(app, id=f"{app.id}-c{c}")
            n += 1


def _iterate(apps: list[Application]) -> int:
    n = 0
    for app in apps:
        n += app.agency == "AG1"
    return n


def main(quick: bool) -> None:
    total = 100_000 if quick else 1_000_000
    start = time.perf_counter()
    apps = list(_applications(total))
    print(f"{len(apps):,} applications generated in {time.perf_counter() - start:.1f} s")

    store = MemoryStore()
    store.put_agency(AGENCY)
    start = time.perf_counter()
    store.import_bulk(applications=apps)
    print(f"MemoryStore import: {time.perf_counter() - start:.1f} s (set-up, not measured)")

    data = ReportData(applications=apps, records=(), review_cases=())
    from_store = build_annual_report(store, AGENCY, 2023, supplied=SUPPLIED)
    from_data = build_annual_report(data, AGENCY, 2023, supplied=SUPPLIED)
    assert from_store.cell_map() == from_data.cell_map(), "store and plain data disagree"
    assert [f for f in validate(from_store) if f.severity.code == "error"] == []
    assert from_store.cell("T3.R1.total") == sum(
        1 for a in apps if a.receipt_date and a.receipt_date.year == 2023
    )

    methods = {
        "anchor": lambda: _iterate(apps),
        "mem": lambda: build_annual_report(store, AGENCY, 2023, supplied=SUPPLIED),
        "plain": lambda: build_annual_report(data, AGENCY, 2023, supplied=SUPPLIED),
    }
    sql = None
    tmp = tempfile.TemporaryDirectory()
    try:
        if importlib.util.find_spec("govdisclose_sql") is None:
            note("govdisclose-sql not installed: SQL store skipped")
        else:
            from govdisclose_sql.store import SqlStore

            sql = SqlStore(f"sqlite:///{Path(tmp.name) / 'bench.db'}")
            sql.put_agency(AGENCY)
            start = time.perf_counter()
            sql.import_bulk(applications=apps)
            print(f"SQLite import: {time.perf_counter() - start:.1f} s (set-up, not measured)")
            got = build_annual_report(sql, AGENCY, 2023, supplied=SUPPLIED)
            assert got.cell_map() == from_store.cell_map(), "SQL store disagrees"
            methods["sql"] = lambda: build_annual_report(sql, AGENCY, 2023, supplied=SUPPLIED)
        times = compare(methods, rounds=3)
    finally:
        if sql is not None:
            sql.close()
        tmp.cleanup()
    anchor = f"iterate {total:,} apps once"
    rows = [
        Row(
            f"build, MemoryStore ({total:,})",
            times["mem"],
            anchor,
            times["anchor"],
            Target("< 10 s for 1,000,000", max_seconds=10, full_only=True),
        ),
        Row(f"build, plain data scan ({total:,})", times["plain"], anchor, times["anchor"]),
    ]
    if "sql" in times:
        rows.append(
            Row(
                f"build, SQLite store ({total:,})",
                times["sql"],
                anchor,
                times["anchor"],
                Target("< 3 s for 1,000,000", max_seconds=3, full_only=True),
            )
        )
    report(rows)
