"""Set-up shared by the SQL-store benchmarks: growing a store by SQL, a temporary PostgreSQL.

`grow` turns an imported store of N applications into one of N x (1 + copies) in seconds: every
application and its events are copied under new ids by ``INSERT ... SELECT`` (``import_bulk`` of
a million applications takes minutes and is measured elsewhere, in ``bench_store``). The copies
are whole: their JSON carries the new id (so ``get_application`` of a copy is the original
under that id) and the counters are rebuilt afterwards, so every reader sees a store of that
size.

`postgres` starts a temporary PostgreSQL server for a benchmark, or says why it cannot (then
the benchmark prints that and skips its PostgreSQL rows).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

import sqlalchemy as sa
from _harness import note

from govdisclose_sql import SqlStore, schema as s

if TYPE_CHECKING:
    from govdisclose_sql.testing import TemporaryPostgres

__all__ = ["COPY_MARK", "grow", "postgres"]

#: What a copy's id adds to the original's: ``A0000001`` -> ``A0000001-c7``.
COPY_MARK = "-c"


def _column_list(table: sa.Table) -> list[str]:
    return [f'"{c.name}"' for c in table.columns]


def grow(store: SqlStore, copies: int) -> int:
    """Copy every stored application with its events ``copies`` times under new ids
    (``<id>-c<k>``), in one transaction, then rebuild the counters; the number of
    applications after. The store must not be in use by anyone else meanwhile.

    Statistics are left as they were (no ``ANALYZE``): a benchmark decides when to gather them.
    """
    apps, events = s.applications, s.events
    app_cols, event_cols = _column_list(apps), _column_list(events)
    app_values = [
        '"id" || n.suffix'
        if c == '"id"'
        # The id in the JSON (orjson, compact: '"id":"A0000001",') follows the new key.
        else 'replace("data", \'"id":"\' || "id" || \'",\', '
        '\'"id":"\' || "id" || n.suffix || \'",\')'
        if c == '"data"'
        else c
        for c in app_cols
    ]
    event_values = [
        '"application_id" || n.suffix' if c == '"application_id"' else c for c in event_cols
    ]
    # From a snapshot of the originals (temporary tables) crossed with the suffixes, in one
    # statement per table; the applications sorted by their new id, so the primary-key index
    # is filled in order rather than at random.
    copy_apps = (
        f"INSERT INTO applications ({', '.join(app_cols)}) "
        f"SELECT {', '.join(app_values)} FROM base_applications, copy_suffixes AS n ORDER BY 1"
    )
    copy_events = (
        f"INSERT INTO events ({', '.join(event_cols)}) "
        f"SELECT {', '.join(event_values)} FROM base_events, copy_suffixes AS n"
    )
    suffixes = ", ".join(f"('{COPY_MARK}{k}')" for k in range(1, copies + 1))
    engine = sa.create_engine(store.url)
    try:
        with engine.begin() as conn:
            postgresql = conn.dialect.name == "postgresql"
            if postgresql:
                # The copies reference rows that exist: skip the per-row foreign-key triggers
                # (superuser, this session only); sort the index builds in memory.
                conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
                conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '512MB'")
            else:
                conn.exec_driver_sql("PRAGMA cache_size = -500000")  # 500 MB for this load
            # The secondary indexes are built once after loading (as import_bulk does into an
            # empty store), from the schema's own definitions.
            for index in apps.indexes:
                conn.exec_driver_sql(f"DROP INDEX {index.name}")
            conn.exec_driver_sql("CREATE TEMPORARY TABLE copy_suffixes (suffix TEXT)")
            conn.exec_driver_sql(f"INSERT INTO copy_suffixes VALUES {suffixes}")
            conn.exec_driver_sql(
                "CREATE TEMPORARY TABLE base_applications AS SELECT * FROM applications"
            )
            conn.exec_driver_sql("CREATE TEMPORARY TABLE base_events AS SELECT * FROM events")
            conn.exec_driver_sql(copy_apps)
            conn.exec_driver_sql(copy_events)
            for index in apps.indexes:
                index.create(conn)
            for table in ("copy_suffixes", "base_applications", "base_events"):
                conn.exec_driver_sql(f"DROP TABLE {table}")
            total = int(conn.execute(sa.select(sa.func.count()).select_from(apps)).scalar() or 0)
    finally:
        engine.dispose()
    store.rebuild_counters()
    return total


@contextlib.contextmanager
def postgres(what: str) -> Iterator[TemporaryPostgres | None]:
    """A temporary PostgreSQL server (`govdisclose_sql.testing.TemporaryPostgres`, the server's
    default durability) for the ``with`` block, or ``None`` after printing why ``what`` is
    skipped (no psycopg, no server binaries, the server would not start)."""
    try:
        import psycopg  # noqa: F401  (the PostgreSQL extra)
    except ImportError:
        note(f"{what} skipped: psycopg is not installed (pip install 'govdisclose-sql[test]')")
        yield None
        return
    from govdisclose.errors import GovDiscloseError
    from govdisclose_sql.testing import INSTALL_HINT, TemporaryPostgres, find_postgres_bin

    bin_dir = find_postgres_bin()
    if bin_dir is None:
        note(f"{what} skipped: {INSTALL_HINT}")
        yield None
        return
    server = TemporaryPostgres(bin_dir, durable=True)
    try:
        server.start()
    except (GovDiscloseError, OSError) as err:
        note(f"{what} skipped: the temporary PostgreSQL server did not start ({err})")
        yield None
        return
    try:
        yield server
    finally:
        server.stop()
