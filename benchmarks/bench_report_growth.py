"""Annual report against the size of the SQL store: 1,000,000 applications against 10,000.

Issue 12's target: the annual report built over a ``govdisclose-sql`` store of 1,000,000
applications takes at most 2x the time it takes over 10,000, measured in the same run, with
and without ``ANALYZE``, on SQLite and on PostgreSQL. Before the counters (schema 4) the tally
was a ``GROUP BY`` whose plan changed with the statistics (2.0-2.6 s at 1M without, 3.5-3.9 s
after ``ANALYZE``); the report must now cost the same whatever the store holds.

Per backend, two stores in the same run: the small one holds 10,000 applications of 20
agencies (`govdisclose.testing.builders.sample_applications`, about 5 events each), the large
one the same 10,000 plus 99 copies of each with its events under new ids (``_sqlbench.grow``,
``INSERT ... SELECT``, then ``rebuild_counters``). Both hold the same 200 records (10 per
agency). Measured, interleaved round by round: ``build_annual_report(store, "AG07", 2022)`` on
each, first on stores that were never analysed (PostgreSQL: autovacuum off on the temporary
server, so no statistics appear behind the benchmark's back), then again after ``ANALYZE``.
Each row is the large store's build against the small store's in the same phase (target:
at most 2x). ``--quick``: 500 applications against 10,000.

Checked before timing: the large store's tally is exactly 100x the small one's (so the copies
are whole and the counters were rebuilt), a copy reads back as its original under the new id,
and the statistics are absent before ``ANALYZE`` and present after it.

    python benchmarks/run.py report_growth [--quick]
"""

from __future__ import annotations

import importlib.util
import tempfile
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import attrs
from _harness import Row, Target, compare, note, report

from govdisclose.model import Application
from govdisclose.report import SuppliedFigures, build_annual_report, validate
from govdisclose.store import ApplicationTally
from govdisclose.testing import builders

AGENCIES = tuple(f"AG{n:02d}" for n in range(20))
AGENCY, YEAR = "AG07", 2022
SUPPLIED = SuppliedFigures(licensing=10, penalty=5, coercion=1, admin_fees_10k_yuan="0")
RECORDS_PER_AGENCY = 10
ROUNDS = 9


def _counts(tally: ApplicationTally) -> dict[str, dict[Any, int]]:
    return {
        "received": dict(tally.received),
        "carried_over": dict(tally.carried_over),
        "concluded": dict(tally.concluded),
        "carried_forward": dict(tally.carried_forward),
    }


def _fill(store: object, apps: list[Application]) -> None:
    """The agencies, their records and the applications (the same in both stores)."""
    from govdisclose_sql import SqlStore

    assert isinstance(store, SqlStore)
    for code in AGENCIES:
        store.put_agency(builders.agency(code))
        for i in range(RECORDS_PER_AGENCY):
            store.put_record(
                builders.record(f"{code}-R{i:03d}", agency=code, formed_on=date(YEAR, 1 + i, 10))
            )
    store.import_bulk(applications=apps)


def _measure(
    backend: str,
    small_url: str,
    large_url: str,
    apps: list[Application],
    copies: int,
    *,
    quick: bool,
    statistics: Callable[[str], int],
    analyze: Callable[[str], None],
) -> list[Row]:
    """Build both stores, check them, time the builds before and after ``ANALYZE``."""
    from _sqlbench import COPY_MARK, grow

    from govdisclose_sql import SqlStore

    started = time.perf_counter()
    small, large = SqlStore(small_url), SqlStore(large_url)
    try:
        _fill(small, apps)
        _fill(large, apps)
        total = grow(large, copies)
    finally:
        small.close()
        large.close()
    print(
        f"{backend}: {len(apps):,} and {total:,} applications stored in "
        f"{time.perf_counter() - started:.1f} s (set-up, not measured)",
        flush=True,
    )
    rows = []
    for phase in ("no ANALYZE", "after ANALYZE"):
        if phase == "after ANALYZE":
            started = time.perf_counter()
            analyze(small_url)
            analyze(large_url)
            print(f"{backend}: ANALYZE of both in {time.perf_counter() - started:.1f} s")
        stats = (statistics(small_url), statistics(large_url))
        if stats != (0, 0) if phase == "no ANALYZE" else 0 in stats:
            raise AssertionError(f"{backend} {phase}: unexpected statistics rows {stats}")
        # Fresh stores for each phase, so every connection plans with the statistics there are.
        small, large = SqlStore(small_url), SqlStore(large_url)
        try:
            if phase == "no ANALYZE":
                one, many = (
                    build_annual_report(st, AGENCY, YEAR, supplied=SUPPLIED)
                    for st in (small, large)
                )
                assert [f for f in validate(one) if f.severity.code == "error"] == []
                got = _counts(large.application_tally(AGENCY, YEAR))
                scaled = {
                    k: {key: n * (1 + copies) for key, n in v.items()}
                    for k, v in _counts(small.application_tally(AGENCY, YEAR)).items()
                }
                assert got == scaled, f"{backend}: the large tally is not {1 + copies}x the small"
                received = one.cell("T3.R1.total")
                assert isinstance(received, int)
                assert many.cell("T3.R1.total") == (1 + copies) * received
                original = apps[len(apps) // 2]
                copy_id = f"{original.id}{COPY_MARK}{copies}"
                assert large.get_application(copy_id) == attrs.evolve(original, id=copy_id)
                note(
                    f"{backend}: {AGENCY} {YEAR} table 3 received {one.cell('T3.R1.total')} "
                    f"(small) and {many.cell('T3.R1.total')} (large, {1 + copies}x); "
                    f"statistics rows before ANALYZE {stats}"
                )
            else:
                note(f"{backend}: statistics rows after ANALYZE {stats} (small, large)")
            times = compare(
                {
                    "small": partial(build_annual_report, small, AGENCY, YEAR, supplied=SUPPLIED),
                    "large": partial(build_annual_report, large, AGENCY, YEAR, supplied=SUPPLIED),
                },
                rounds=5 if quick else ROUNDS,
                # Each sample at least 0.1 s of builds (a few ms each): one preemption on a
                # shared machine then moves a sample by a few percent, not by half.
                min_time=0.02 if quick else 0.1,
            )
        finally:
            small.close()
            large.close()
        rows.append(
            Row(
                f"report build, {backend} {total:,} apps, {phase}",
                times["large"],
                f"same, {len(apps):,} apps (same run)",
                times["small"],
                Target("<= 2x 10k", max_ratio=2, full_only=True),
            )
        )
    return rows


def _sqlite_statistics(url: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            has = conn.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
            ).scalar()
            if not has:
                return 0
            return int(conn.exec_driver_sql("SELECT count(*) FROM sqlite_stat1").scalar() or 0)
    finally:
        engine.dispose()


def _postgres_statistics(url: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            query = "SELECT count(*) FROM pg_stats WHERE schemaname = current_schema()"
            return int(conn.exec_driver_sql(query).scalar() or 0)
    finally:
        engine.dispose()


def _analyze(url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()


def main(quick: bool) -> None:
    if importlib.util.find_spec("govdisclose_sql") is None:
        note("report growth skipped: govdisclose-sql not installed")
        return
    from _sqlbench import postgres

    n = 500 if quick else 10_000
    copies = 19 if quick else 99  # 10,000 x (1 + 99) = 1,000,000
    started = time.perf_counter()
    apps = list(builders.sample_applications(n, agencies=AGENCIES))
    print(f"{n:,} applications generated in {time.perf_counter() - started:.1f} s")

    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += _measure(
            "SQLite",
            f"sqlite:///{Path(tmp) / 'small.db'}",
            f"sqlite:///{Path(tmp) / 'large.db'}",
            apps,
            copies,
            quick=quick,
            statistics=_sqlite_statistics,
            analyze=_analyze,
        )
    with postgres("report growth on PostgreSQL") as server:
        if server is not None:
            import psycopg

            # No statistics may appear behind the benchmark's back: the "no ANALYZE" phase
            # must measure stores that were never analysed.
            with psycopg.connect(
                host="127.0.0.1", port=server.port, user=server.user, dbname="postgres"
            ) as conn:
                conn.autocommit = True
                conn.execute("ALTER SYSTEM SET autovacuum = off")
                conn.execute("SELECT pg_reload_conf()")
            rows += _measure(
                "PostgreSQL",
                server.create_database("small"),
                server.create_database("large"),
                apps,
                copies,
                quick=quick,
                statistics=_postgres_statistics,
                analyze=_analyze,
            )
    report(rows)
