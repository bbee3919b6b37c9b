"""SQL store (govdisclose-sql): bulk import and the annual-report tally query.

Measures, in the same run:

* ``import_bulk`` of 100,000 generated applications (about 5 events each) into SQLite and
  PostgreSQL, against two anchors: the same import into `govdisclose.testing.MemoryStore` (which
  does the same lifecycle validation, so the ratio is the price of storage) and a raw ``sqlite3``
  ``executemany`` of the very rows the store writes (the floor for SQLite's own work);
* ``application_tally(agency, year)`` with 1,000,000 applications stored (the imported ones
  replicated by SQL), against a bare ``SELECT count(*)`` of the same agency's rows.

Targets: import < 15 s on SQLite, < 30 s on PostgreSQL; the tally < 1 s. PostgreSQL runs on a
temporary server started from the Debian binaries (`govdisclose_sql.testing.TemporaryPostgres`)
and is skipped with a message when they are missing.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from _harness import report

from govdisclose.model import Application
from govdisclose.testing import MemoryStore
from govdisclose_sql import SqlStore, schema as s
from govdisclose_sql.store import _application_rows
from govdisclose_sql.testing import (
    INSTALL_HINT,
    TemporaryPostgres,
    find_postgres_bin,
    sample_applications,
)

AGENCIES = tuple(f"AG{n:02d}" for n in range(20))
TALLY_AGENCY, TALLY_YEAR = "AG07", 2022


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _raw_sqlite_import(path: Path, apps: list[Application]) -> float:
    """The rows SqlStore would write, serialised beforehand, written by plain sqlite3."""
    SqlStore(f"sqlite:///{path}").close()  # same tables and indexes
    heads, events = [], []
    for app in apps:
        head, rows = _application_rows(app, iso_dates=True)
        heads.append(head)
        events.extend(rows)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO applications VALUES (?, ?, ?, ?, ?, ?, ?, ?)", heads)
        conn.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?)", events)
        conn.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        conn.close()


def _replicate(store: SqlStore, times: int) -> int:
    """Copy the stored applications (not their events) ``times`` times with new ids."""
    t = s.applications
    columns = [c for c in t.columns if c.name != "id"]
    engine = sa.create_engine(store.url)
    try:
        with engine.begin() as conn:
            for copy in range(1, times + 1):
                source = sa.select((t.c.id + f"-{copy}").label("id"), *columns).where(
                    ~t.c.id.contains("-")
                )
                conn.execute(t.insert().from_select(["id", *(c.name for c in columns)], source))
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("ANALYZE applications")
            else:
                conn.exec_driver_sql("ANALYZE")
            return int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() or 0)
    finally:
        engine.dispose()


def _count_anchor(store: SqlStore) -> float:
    engine = sa.create_engine(store.url)
    try:
        with engine.connect() as conn:
            query = (
                sa.select(sa.func.count())
                .select_from(s.applications)
                .where(s.applications.c.agency == TALLY_AGENCY)
            )
            conn.execute(query).scalar()  # warm
            return _timed(lambda: conn.execute(query).scalar())
    finally:
        engine.dispose()


def _tally(store: SqlStore) -> float:
    store.application_tally(TALLY_AGENCY, TALLY_YEAR)  # warm the cache, as a report run would
    return min(_timed(lambda: store.application_tally(TALLY_AGENCY, TALLY_YEAR)) for _ in range(3))


def main(quick: bool) -> None:
    n = 10_000 if quick else 100_000
    copies = 1 if quick else 9  # 100,000 x (1 + 9) = 1,000,000 applications for the tally
    print(f"generating {n:,} applications ...", flush=True)
    apps = list(sample_applications(n, agencies=AGENCIES))
    events = sum(len(a.events) for a in apps)
    print(f"{n:,} applications, {events:,} events ({events / n:.1f} per application)")

    memory = _timed(lambda: MemoryStore().import_bulk(applications=apps))
    rows: list[tuple[str, float, str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        raw = _raw_sqlite_import(Path(tmp) / "raw.db", apps)
        store = SqlStore(f"sqlite:///{Path(tmp) / 'gd.db'}")
        sqlite_import = _timed(lambda: store.import_bulk(applications=apps))
        rows.append((f"SQLite import_bulk {n:,} apps", sqlite_import, "MemoryStore import", memory))
        rows.append(
            (f"SQLite import_bulk {n:,} apps", sqlite_import, "raw sqlite3 executemany", raw)
        )
        total = _replicate(store, copies)
        tally = _tally(store)
        rows.append(
            (
                f"SQLite tally at {total:,} apps",
                tally,
                "SELECT count(*) of agency",
                _count_anchor(store),
            )
        )
        store.close()

    bin_dir = find_postgres_bin()
    if bin_dir is None:
        print(f"PostgreSQL skipped: {INSTALL_HINT}")
    else:
        with TemporaryPostgres(bin_dir, durable=True) as server:
            store = SqlStore(server.create_database("bench"))
            pg_import = _timed(lambda: store.import_bulk(applications=apps))
            rows.append(
                (f"PostgreSQL import_bulk {n:,} apps", pg_import, "MemoryStore import", memory)
            )
            total = _replicate(store, copies)
            tally = _tally(store)
            rows.append(
                (
                    f"PostgreSQL tally at {total:,} apps",
                    tally,
                    "SELECT count(*) of agency",
                    _count_anchor(store),
                )
            )
            store.close()
    report(rows)
    print("targets: import < 15 s (SQLite), < 30 s (PostgreSQL); tally < 1 s")
