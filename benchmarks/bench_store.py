"""SQL store (govdisclose-sql): bulk import and the annual-report tally query.

Measures, in the same run, interleaved round by round (each import into a fresh database):

* ``import_bulk`` of 100,000 generated applications (about 5 events each) into SQLite and
  PostgreSQL, against

  - the same import into `govdisclose.testing.MemoryStore`, which does the same lifecycle
    validation (so the ratio is the price of storage);
  - the database floor, written as its best user would: the very rows the store writes,
    serialised beforehand, into the store's own tables under the same constraints (foreign
    keys on; the same indexes, built after loading as the store does into an empty store; the
    same counters, filled by one ``INSERT ... SELECT ... GROUP BY``), in the store's
    transaction shape (one transaction, a savepoint around each batch's application rows).
    On SQLite a plain ``sqlite3`` ``executemany`` with the store's connection settings
    (``PRAGMA foreign_keys = ON``, WAL, ``BEGIN IMMEDIATE``); on PostgreSQL a plain psycopg
    ``COPY`` per table and batch. For SQLite the same floor with the indexes kept up row by
    row is shown too, and the same rows by the multi-row ``INSERT ... VALUES`` statements the
    store uses, so that what those statements save is seen apart from the Python work;
  - the two parts of the import that are not database work, alone: the lifecycle validation
    (`govdisclose.lifecycle.check_history` of every application, which every store does) and
    the serialisation into rows (``_application_rows``);

* ``application_tally(agency, year)`` with 1,000,000 applications stored (the imported ones
  and nine whole copies of each with its events, `_sqlbench.grow`, then ``ANALYZE``), against
  a bare ``SELECT count(*)`` of the same agency's rows.

Targets: import < 15 s on SQLite, < 30 s on PostgreSQL, and within 1.3x of the database
floor on each (issue 12); the tally < 1 s. PostgreSQL runs on a temporary server started from
the Debian binaries (`govdisclose_sql.testing.TemporaryPostgres`) and is skipped with a
message when they are missing.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable
from itertools import chain
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from _harness import Method, Row, Stats, Target, compare, note, report
from _sqlbench import grow
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex

from govdisclose.lifecycle import check_history
from govdisclose.model import Application
from govdisclose.testing import MemoryStore
from govdisclose.testing.builders import agency
from govdisclose_sql import SqlStore, schema as s
from govdisclose_sql.store import _BATCH, _SQLITE_ROWS, _application_rows
from govdisclose_sql.testing import (
    INSTALL_HINT,
    TemporaryPostgres,
    find_postgres_bin,
    sample_applications,
)

AGENCIES = tuple(f"AG{n:02d}" for n in range(20))
#: The agencies the applications belong to: a store refuses an application of an unknown
#: agency, so every store is given them before the timed import (untimed, 20 rows).
AGENCY_ROWS = tuple(agency(code) for code in AGENCIES)
TALLY_AGENCY, TALLY_YEAR = "AG07", 2022
FLOOR_RATIO = 1.3

_Batches = list[tuple[list[Any], list[Any]]]


def _serialised(apps: list[Application], *, iso_dates: bool = True) -> _Batches:
    """The rows SqlStore writes, per batch of the store's size (serialised before the timing:
    the floor measures the database's own work). ``iso_dates`` as the store gives them to the
    driver: ISO text for SQLite, date objects for PostgreSQL's COPY."""
    batches = []
    for i in range(0, len(apps), _BATCH):
        heads, events = [], []
        for app in apps[i : i + _BATCH]:
            head, rows = _application_rows(app, iso_dates=iso_dates)
            heads.append(head)
            events.extend(rows)
        batches.append((heads, events))
    return batches


def _serialise(apps: list[Application], *, iso_dates: bool) -> int:
    """The serialisation import_bulk does, as it does it: a batch of rows at a time, each
    dropped before the next (keeping all of them would time the memory of 600,000 rows)."""
    count = 0
    for i in range(0, len(apps), _BATCH):
        rows = [_application_rows(app, iso_dates=iso_dates) for app in apps[i : i + _BATCH]]
        count += len(rows)
    return count


def _validate(apps: list[Application]) -> None:
    """The lifecycle validation import_bulk does (and MemoryStore's import too)."""
    for app in apps:
        check_history(app)


def _ddl(dialect: sa.Dialect) -> tuple[list[str], list[str], str]:
    """DROP and CREATE of the applications' secondary indexes, and the counters' fill, as
    the database's own SQL (compiled once, before the timing)."""
    indexes = sorted(s.applications.indexes, key=lambda i: str(i.name))
    quote = dialect.identifier_preparer.quote
    drop = [f"DROP INDEX {quote(str(i.name))}" for i in indexes]
    create = [str(CreateIndex(i).compile(dialect=dialect)) for i in indexes]
    c = s.application_counts
    fill = c.insert().from_select([col.name for col in c.columns], s.counts_select(s.applications))
    return drop, create, str(fill.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def _insert(table: str, rows: list[Any]) -> str:
    columns = [c.name for c in getattr(s, table).columns][: len(rows[0]) if rows else None]
    names = ", ".join(f'"{c}"' for c in columns)
    return f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"


def _values(conn: sqlite3.Connection, table: str, rows: list[Any]) -> None:
    """``rows`` by multi-row ``INSERT ... VALUES`` statements of up to ``_SQLITE_ROWS`` rows
    (fewer if the bound variables would pass the connection's limit), as the store writes
    them."""
    width = len(rows[0])
    per = max(1, min(_SQLITE_ROWS, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width))
    head = _insert(table, rows).split(" VALUES ")[0] + " VALUES "
    one = f"({', '.join('?' * width)})"
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        conn.execute(head + ", ".join([one] * len(chunk)), list(chain.from_iterable(chunk)))


def _raw_sqlite(
    path: Path, batches: _Batches, *, defer_indexes: bool, multirow: bool = False
) -> None:
    """Plain sqlite3 with the store's connection settings (foreign keys on, WAL), into the
    store's own tables, in the store's transaction shape: one ``BEGIN IMMEDIATE``, a
    savepoint around each batch's application rows, then the batch's events; the indexes
    dropped first and built after loading (``defer_indexes``, what the store does into an
    empty store) or kept up row by row; the counters filled at the end. The rows go by
    ``executemany`` (the floor), or (``multirow``) by the multi-row statements the store uses,
    in this one thread."""
    drop, create, fill = _ddl(sqlite.dialect())
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN IMMEDIATE")
        if defer_indexes:
            for statement in drop:
                conn.execute(statement)
        for heads, events in batches:
            conn.execute("SAVEPOINT batch")
            if multirow:
                _values(conn, "applications", heads)
            else:
                conn.executemany(_insert("applications", heads), heads)
            conn.execute("RELEASE SAVEPOINT batch")
            if multirow:
                _values(conn, "events", events)
            else:
                conn.executemany(_insert("events", events), events)
        if defer_indexes:
            for statement in create:
                conn.execute(statement)
        conn.execute(fill)
        conn.execute("COMMIT")
    finally:
        conn.close()


def _raw_postgres(url: str, batches: _Batches) -> None:
    """Plain psycopg into the store's own tables: one transaction, the indexes dropped and
    built after loading, per batch a savepoint around the ``COPY`` of the application rows
    and a ``COPY`` of the events, the counters filled at the end."""
    import psycopg

    drop, create, fill = _ddl(postgresql.dialect())
    quote = postgresql.dialect().identifier_preparer.quote

    def copy(table: sa.Table) -> str:
        return f"COPY {table.name} ({', '.join(quote(c.name) for c in table.columns)}) FROM STDIN"

    copy_apps, copy_events = copy(s.applications), copy(s.events)
    conninfo = sa.make_url(url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(conninfo) as conn, conn.cursor() as cursor:
        for statement in drop:
            cursor.execute(statement)
        for heads, events in batches:
            cursor.execute("SAVEPOINT batch")
            with cursor.copy(copy_apps) as out:
                for row in heads:
                    out.write_row(row)
            cursor.execute("RELEASE SAVEPOINT batch")
            with cursor.copy(copy_events) as out:
                for row in events:
                    out.write_row(row)
        for statement in create:
            cursor.execute(statement)
        cursor.execute(fill)
    # Leaving the connection's block committed the transaction.


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
        return _with_agencies(SqlStore(f"sqlite:///{self.path()}"))

    @staticmethod
    def drop(target: Path | SqlStore) -> None:
        if isinstance(target, SqlStore):
            target.close()
            target = Path(str(target.url).removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)


_S = TypeVar("_S", SqlStore, MemoryStore)


def _with_agencies(store: _S) -> _S:
    """``store`` holding `AGENCY_ROWS` (and no application yet)."""
    for row in AGENCY_ROWS:
        store.put_agency(row)
    return store


def _grow(store: SqlStore, copies: int) -> int:
    """Copy every stored application with its events ``copies`` times under new ids
    (`_sqlbench.grow`: whole copies, counters rebuilt), then gather statistics (``ANALYZE``,
    what autovacuum or a maintenance job would have done); the number of applications."""
    total = grow(store, copies)
    engine = sa.create_engine(store.url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()
    return total


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


def _import_rows(
    db: str, n: int, times: dict[str, Stats], floor_name: str, max_seconds: float
) -> list[Row]:
    """The rows of one database's import: against MemoryStore and against the floor, and the
    validation and the serialisation alone (against the floor, to show their share)."""
    label = f"{db} import_bulk {n:,} apps"
    ours, floor = times["ours"], times["floor"]
    validation, serialising = times["validate"], times["serialise"]
    rest = ours.median - validation.median - serialising.median
    note(
        f"{db} import_bulk of {n:,} applications, {ours.median:.2f} s (medians): lifecycle "
        f"validation {validation.median:.2f} s ({validation.median / ours.median:.0%}), "
        f"serialising the rows {serialising.median:.2f} s "
        f"({serialising.median / ours.median:.0%}), database work and the rest {rest:.2f} s "
        f"({rest / ours.median:.0%}); the database floor {floor.median:.2f} s. Validation alone "
        f"is {validation.median / floor.median:.2f}x the floor; without it the import would be "
        f"{(ours.median - validation.median) / floor.median:.2f}x the floor."
    )
    return [
        Row(
            label,
            ours,
            "MemoryStore import (same validation)",
            times["memory"],
            Target(f"< {max_seconds:g} s for 100,000", max_seconds=max_seconds, full_only=True),
        ),
        Row(
            label,
            ours,
            floor_name,
            floor,
            Target(f"<= {FLOOR_RATIO}x the floor", max_ratio=FLOOR_RATIO, full_only=True),
        ),
        Row(f"  of which lifecycle validation ({db})", validation, floor_name, floor),
        Row(f"  of which serialising rows ({db})", serialising, floor_name, floor),
    ]


def _import_methods(
    apps: list[Application],
    store: Callable[[], Any],
    teardown: Callable[[Any], object],
    *,
    iso_dates: bool,
) -> dict[str, Method]:
    return {
        "ours": Method(
            lambda st: st.import_bulk(applications=apps), setup=store, teardown=teardown
        ),
        "memory": Method(
            lambda st: st.import_bulk(applications=apps),
            setup=lambda: _with_agencies(MemoryStore()),
        ),
        "validate": Method(lambda: _validate(apps)),
        "serialise": Method(lambda: _serialise(apps, iso_dates=iso_dates)),
    }


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
                **_import_methods(apps, fresh.store, fresh.drop, iso_dates=True),
                "floor": Method(
                    lambda path: _raw_sqlite(path, batches, defer_indexes=True),
                    setup=fresh.path,
                    teardown=fresh.drop,
                ),
                "kept": Method(
                    lambda path: _raw_sqlite(path, batches, defer_indexes=False),
                    setup=fresh.path,
                    teardown=fresh.drop,
                ),
                "multirow": Method(
                    lambda path: _raw_sqlite(path, batches, defer_indexes=True, multirow=True),
                    setup=fresh.path,
                    teardown=fresh.drop,
                ),
            },
            rounds=rounds,
        )
        del batches
        rows += _import_rows(
            "SQLite", n, times, "raw sqlite3 executemany, same constraints", max_seconds=15
        )
        rows.append(
            Row(
                "raw sqlite3 executemany, same constraints",
                times["floor"],
                "the same with indexes kept up per row",
                times["kept"],
            )
        )
        rows.append(
            Row(
                "raw sqlite3 executemany, same constraints",
                times["floor"],
                "the same by the store's multi-row INSERTs",
                times["multirow"],
            )
        )
        rows.append(
            Row(
                f"SQLite import_bulk {n:,} apps",
                times["ours"],
                "raw sqlite3 multi-row INSERTs, same constraints",
                times["multirow"],
            )
        )
        store = _with_agencies(SqlStore(f"sqlite:///{Path(tmp) / 'gd.db'}"))
        store.import_bulk(applications=apps)
        total = _grow(store, copies)
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
    try:
        import psycopg  # noqa: F401  (the PostgreSQL extra)
    except ImportError:
        bin_dir = None
        note("PostgreSQL skipped: psycopg is not installed (pip install 'govdisclose-sql[test]')")
    if bin_dir is None:
        note(f"PostgreSQL skipped: {INSTALL_HINT}")
    else:
        with TemporaryPostgres(bin_dir, durable=True) as server:
            made = [0]

            def pg_url() -> str:
                """A fresh database holding the store's schema (made untimed)."""
                made[0] += 1
                url = server.create_database(f"bench{made[0]}")
                SqlStore(url).close()
                return url

            def pg_store() -> SqlStore:
                return _with_agencies(SqlStore(pg_url()))

            batches = _serialised(apps, iso_dates=False)
            times = compare(
                {
                    **_import_methods(apps, pg_store, SqlStore.close, iso_dates=False),
                    "floor": Method(lambda url: _raw_postgres(url, batches), setup=pg_url),
                },
                rounds=rounds,
            )
            del batches
            rows += _import_rows(
                "PostgreSQL", n, times, "raw psycopg COPY, same constraints", max_seconds=30
            )
            store = pg_store()
            store.import_bulk(applications=apps)
            total = _grow(store, copies)
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
