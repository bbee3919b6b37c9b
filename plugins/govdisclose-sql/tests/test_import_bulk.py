"""The bulk import stores what the one-by-one writes store, whatever the store held before.

`SqlStore.import_bulk` writes in batches on a worker thread (`govdisclose_sql._batches`): on
SQLite by multi-row ``INSERT ... VALUES`` statements (`store._bulk_insert`), into an empty store
with the secondary indexes built after loading. None of that may show in the result: the rows
(values and, on SQLite, their storage classes), the counters and the index definitions are
the same as after `SqlStore.create_application` of each application, and the same whether the
import went into an empty store or into one that already held applications.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from govdisclose.errors import StoreIntegrityError
from govdisclose.model import Application
from govdisclose.testing.builders import agencies_of, sample_applications
from govdisclose_sql import SqlStore, schema as s, store as store_module

AGENCIES = ("AG1", "AG2", "AG3")
_TABLES = (s.applications, s.events, s.application_counts)


def _rows(store: SqlStore) -> dict[str, list[Any]]:
    """Every row of the tables the import writes, in key order; on SQLite each value with its
    storage class (``typeof``), so that text stored where an integer was (or a date as
    anything but ISO text) is a difference."""
    out: dict[str, list[Any]] = {}
    with store._engine.connect() as conn:
        for table in _TABLES:
            columns: list[Any] = list(table.columns)
            if conn.dialect.name == "sqlite":
                columns += [sa.func.typeof(c) for c in table.columns]
            query = sa.select(*columns).order_by(*table.primary_key.columns)
            out[table.name] = [tuple(r) for r in conn.execute(query)]
    return out


def _indexes(store: SqlStore) -> list[Any]:
    with store._engine.connect() as conn:
        found = sa.inspect(conn).get_indexes("applications")
    return sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in found)


@pytest.fixture
def two_stores(url: str, request: pytest.FixtureRequest) -> Iterator[tuple[SqlStore, SqlStore]]:
    """The parametrised store and a second, empty one of the same backend."""
    if url.startswith("sqlite"):
        other = url.replace(".db", "-other.db")
    else:
        other = request.getfixturevalue("postgres").create_schema(f"gd_other_{os.getpid()}")
    first, second = SqlStore(url), SqlStore(other)
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def _apps(n: int, seed: int) -> list[Application]:
    return list(sample_applications(n, agencies=AGENCIES, seed=seed))


def test_into_an_empty_store_as_into_a_non_empty_one_and_as_one_by_one(
    two_stores: tuple[SqlStore, SqlStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small batches and statements, so that the import runs many batches, full and partial
    # statements included.
    monkeypatch.setattr(store_module, "_BATCH", 16)
    monkeypatch.setattr(store_module, "_SQLITE_ROWS", 7)
    apps = _apps(120, seed=11)
    bulk, other = two_stores
    # into the empty store: indexes built after loading
    bulk.import_bulk(agencies=agencies_of(apps), applications=apps)
    for agency in agencies_of(apps):
        other.put_agency(agency)
    for app in apps[:30]:
        other.create_application(app)  # one by one
    other.import_bulk(applications=iter(apps[30:]))  # into a non-empty store: indexes kept
    assert _rows(bulk) == _rows(other)
    assert _indexes(bulk) == _indexes(other)
    assert {name for name, _, _ in _indexes(bulk)} >= {i.name for i in s.applications.indexes}
    assert [a.id for a in bulk.applications()] == sorted(a.id for a in apps)
    assert bulk.get_application(apps[57].id) == apps[57]


def test_statement_size_follows_the_connections_variable_limit(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With SQLite's bound-variable limit lowered (as in builds before 3.32, 999), a statement
    holds fewer rows, and the store is the same."""
    apps = _apps(40, seed=12)
    reference = SqlStore(sqlite_url.replace(".db", "-ref.db"))
    reference.import_bulk(agencies=agencies_of(apps), applications=apps)
    store = SqlStore(sqlite_url)
    seen: list[int] = []
    real = store_module._sqlite_rows_per_statement

    def lowered(conn: sa.Connection, width: int) -> int:
        conn.connection.driver_connection.setlimit(  # type: ignore[union-attr]
            sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 20
        )
        seen.append(real(conn, width))
        return seen[-1]

    monkeypatch.setattr(store_module, "_sqlite_rows_per_statement", lowered)
    try:
        store.import_bulk(agencies=agencies_of(apps), applications=apps)
        widths = {len(s.events.columns), len(s.applications.columns)}
        assert set(seen) == {20 // w for w in widths}
        assert _rows(store) == _rows(reference)
    finally:
        store.close()
        reference.close()


def test_a_failed_import_written_by_the_worker_leaves_nothing(
    sql_store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An id stored before is found by the worker thread, in a later batch than the ones it
    has already written: the whole import is undone. (Into an empty store, with the indexes
    deferred, see ``test_counters.test_import_into_an_empty_store_keeps_its_indexes``.)"""
    monkeypatch.setattr(store_module, "_BATCH", 5)
    stored = _apps(8, seed=13)
    sql_store.import_bulk(agencies=agencies_of(stored), applications=stored)
    before, indexes = _rows(sql_store), _indexes(sql_store)
    fresh = [a for a in _apps(40, seed=14) if a.id not in {b.id for b in stored}]
    with pytest.raises(StoreIntegrityError) as caught:
        sql_store.import_bulk(applications=[*fresh[:23], stored[3], *fresh[23:]])
    assert caught.value.field == "applications[23].id"
    assert _rows(sql_store) == before
    assert _indexes(sql_store) == indexes
