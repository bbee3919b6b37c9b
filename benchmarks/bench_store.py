"""SQL store (govdisclose-sql): bulk import and the annual-report tally query.

Measures, in the same run, interleaved round by round (each import into a fresh database):

* ``import_bulk`` of 100,000 generated applications (about 5 events each) into SQLite and
  PostgreSQL, against two anchors: the same import into `govdisclose.testing.MemoryStore` (which
  does the same lifecycle validation, so the ratio is the price of storage) and a raw ``sqlite3``
  ``executemany`` of the very rows the store writes, serialised beforehand, with the store's
  connection settings (``PRAGMA foreign_keys = ON``, WAL), into the store's own tables and
  indexes, in the store's transaction shape (one ``BEGIN IMMEDIATE``, a savepoint per batch of
  5,000 applications): the floor for SQLite's own work;
* ``application_tally(agency, year)`` with 1,000,000 applications stored (the imported ones
  replicated by SQL), against a bare ``SELECT count(*)`` of the same agency's rows.

Targets: import < 15 s on SQLite, < 30 s on PostgreSQL; the tally < 1 s. PostgreSQL runs on a
temporary server started from the Debian binaries (`govdisclose_sql.testing.TemporaryPostgres`)
and is skipped with a message when they are missing.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from _harness import Method, Row, Stats, Target, compare, note, report

from govdisclose.model import Application
from govdisclose.testing import MemoryStore
from govdisclose_sql import SqlStore, schema as s
from govdisclose_sql.store import _BATCH, _application_rows
from govdisclose_sql.testing import (
    INSTALL_HINT,
    TemporaryPostgres,
    find_postgres_bin,
    sample_applications,
)

AGENCIES = tuple(f"AG{n:02d}" for n in range(20))
TALLY_AGENCY, TALLY_YEAR = "AG07", 2022


def _serialised(apps: list[Application]) -> list[tuple[list[Any], list[Any]]]:
    """The rows SqlStore writes, per executemany batch of the store's size (serialised before
    the timing: the raw anchor measures SQLite's own work)."""
    batches = []
    for i in range(0, len(apps), _BATCH):
        heads, events = [], []
        for app in apps[i : i + _BATCH]:
            head, rows = _application_rows(app, iso_dates=True)
            heads.append(head)
            events.extend(rows)
        batches.append((heads, events))
    return batches


def _raw_sqlite_import(path: Path, batches: list[tuple[list[Any], list[Any]]]) -> None:
    """Plain sqlite3 with the store's connection settings (foreign keys on, WAL), into the
    store's own tables and indexes, in the store's transaction shape: one ``BEGIN IMMEDIATE``,
    a savepoint around each batch's application rows, then the batch's events."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN IMMEDIATE")
        for heads, events in batches:
            conn.execute("SAVEPOINT batch")
            conn.executemany(_insert("applications", heads), heads)
            conn.execute("RELEASE SAVEPOINT batch")
            conn.executemany(_insert("events", events), events)
        conn.execute("COMMIT")
    finally:
        conn.close()


def _insert(table: str, rows: list[Any]) -> str:
    columns = [c.name for c in getattr(s, table).columns][: len(rows[0]) if rows else None]
    names = ", ".join(f'"{c}"' for c in columns)
    return f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"


class _Fresh:
    """Fresh empty databases (schema made by SqlStore, untimed), one per timed import."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.n = 0

    def path(self) -> Path:
        self.n += 1
        path = self.root / f"fresh{self.n}.db"
        SqlStore(f"sqlite:///{path}").close()  # the store's tables and indexes
        return path

    def store(self) -> SqlStore:
        return SqlStore(f"sqlite:///{self.path()}")

    @staticmethod
    def drop(target: Path | SqlStore) -> None:
        if isinstance(target, SqlStore):
            target.close()
            target = Path(str(target.url).removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)


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


def _tally_rows(store: SqlStore) -> tuple[Stats, Stats]:
    """application_tally against a bare ``SELECT count(*)`` of the agency, interleaved."""
    engine = sa.create_engine(store.url)
    try:
        with engine.connect() as conn:
            query = (
                sa.select(sa.func.count())
                .select_from(s.applications)
                .where(s.applications.c.agency == TALLY_AGENCY)
            )
            times = compare(
                {
                    "tally": lambda: store.application_tally(TALLY_AGENCY, TALLY_YEAR),
                    "count": lambda: conn.execute(query).scalar(),
                },
                rounds=5,
            )
    finally:
        engine.dispose()
    return times["tally"], times["count"]


def main(quick: bool) -> None:
    n = 10_000 if quick else 100_000
    copies = 1 if quick else 9  # 100,000 x (1 + 9) = 1,000,000 applications for the tally
    print(f"generating {n:,} applications ...", flush=True)
    apps = list(sample_applications(n, agencies=AGENCIES))
    events = sum(len(a.events) for a in apps)
    print(f"{n:,} applications, {events:,} events ({events / n:.1f} per application)")

    rows: list[Row] = []
    rounds = 3
    with tempfile.TemporaryDirectory() as tmp:
        fresh = _Fresh(Path(tmp))
        batches = _serialised(apps)
        times = compare(
            {
                "sqlite": Method(
                    lambda st: st.import_bulk(applications=apps),
                    setup=fresh.store,
                    teardown=fresh.drop,
                ),
                "memory": Method(lambda st: st.import_bulk(applications=apps), setup=MemoryStore),
                "raw": Method(
                    lambda path: _raw_sqlite_import(path, batches),
                    setup=fresh.path,
                    teardown=fresh.drop,
                ),
            },
            rounds=rounds,
        )
        label = f"SQLite import_bulk {n:,} apps"
        target = Target("< 15 s for 100,000", max_seconds=15, full_only=True)
        rows.append(
            Row(
                label,
                times["sqlite"],
                "MemoryStore import (same validation)",
                times["memory"],
                target,
            )
        )
        rows.append(
            Row(label, times["sqlite"], "raw sqlite3, FK on, same indexes+txn", times["raw"])
        )
        store = SqlStore(f"sqlite:///{Path(tmp) / 'gd.db'}")
        store.import_bulk(applications=apps)
        total = _replicate(store, copies)
        tally, count = _tally_rows(store)
        rows.append(
            Row(
                f"SQLite tally at {total:,} apps",
                tally,
                "SELECT count(*) of agency",
                count,
                Target("< 1 s", max_seconds=1),
            )
        )
        store.close()

    bin_dir = find_postgres_bin()
    if bin_dir is None:
        note(f"PostgreSQL skipped: {INSTALL_HINT}")
    else:
        with TemporaryPostgres(bin_dir, durable=True) as server:
            made = [0]

            def pg_store() -> SqlStore:
                made[0] += 1
                return SqlStore(server.create_database(f"bench{made[0]}"))

            times = compare(
                {
                    "pg": Method(
                        lambda st: st.import_bulk(applications=apps),
                        setup=pg_store,
                        teardown=SqlStore.close,
                    ),
                    "memory": Method(
                        lambda st: st.import_bulk(applications=apps), setup=MemoryStore
                    ),
                },
                rounds=rounds,
            )
            rows.append(
                Row(
                    f"PostgreSQL import_bulk {n:,} apps",
                    times["pg"],
                    "MemoryStore import (same validation)",
                    times["memory"],
                    Target("< 30 s for 100,000", max_seconds=30, full_only=True),
                )
            )
            store = pg_store()
            store.import_bulk(applications=apps)
            total = _replicate(store, copies)
            tally, count = _tally_rows(store)
            rows.append(
                Row(
                    f"PostgreSQL tally at {total:,} apps",
                    tally,
                    "SELECT count(*) of agency",
                    count,
                    Target("< 1 s", max_seconds=1),
                )
            )
            store.close()
    report(rows)
