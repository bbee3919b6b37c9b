"""The counters `SqlStore.application_tally` reads (``application_counts``) always equal the
``GROUP BY`` over the applications: after any sequence of writes, including rolled-back
transactions, failed imports and conflicting appends; after `rebuild_counters`; and after
the version 4 migration built them for an existing database."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy as sa

from govdisclose.errors import GovDiscloseError
from govdisclose.model import Application, Replied, Withdrawn
from govdisclose.testing import builders
from govdisclose.testing.builders import agencies_of, application, sample_applications
from govdisclose.vocab import ApplicantType, Outcome
from govdisclose_sql import SqlStore, schema as s
from govdisclose_sql.schema import MIGRATIONS, SCHEMA_VERSION, migrate

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
AGENCIES = ("AG1", "AG2")
YEARS = range(2019, 2027)
_runs = itertools.count(1)


class _Boom(Exception):
    pass


def _check(store: SqlStore, agencies: tuple[str, ...] = AGENCIES) -> None:
    for agency in agencies:
        for year in YEARS:
            assert store.application_tally(agency, year) == store._tally_by_group(agency, year)


_app = st.builds(
    lambda n, agency, day, kind, closed: application(
        f"X{n}",
        agency=agency,
        received=date(2020, 1, 1) + timedelta(days=day),
        applicant=kind,
        replied=date(2020, 1, 1) + timedelta(days=day + 30) if closed else None,
    ),
    st.integers(0, 30),
    st.sampled_from(AGENCIES),
    st.integers(0, 2000),
    st.sampled_from(list(ApplicantType)[:3]),
    st.booleans(),
)
_op = st.one_of(
    st.tuples(st.just("create"), _app),
    st.tuples(st.just("import"), st.lists(_app, max_size=4)),
    st.tuples(st.just("close"), st.integers(0, 30), st.integers(0, 400), st.booleans()),
    st.tuples(st.just("rollback"), _app, st.integers(0, 30)),
)


@pytest.fixture
def shared_store(url: str) -> Iterator[SqlStore]:
    store = SqlStore(url)
    store.import_bulk(agencies=[builders.agency(code) for code in AGENCIES])
    yield store
    store.close()


def _run(store: SqlStore, run: int, op: tuple[Any, ...]) -> None:
    def own(app: Application) -> Application:
        return attrs.evolve(app, id=f"{run}-{app.id}")

    if op[0] == "create":
        store.create_application(own(op[1]))
    elif op[0] == "import":
        store.import_bulk(applications=[own(a) for a in op[1]])
    elif op[0] == "close":
        _, n, later, stale = op
        app = store.get_application(f"{run}-X{n}")
        day = (app.events[-1].on if app.events else date(2020, 1, 1)) + timedelta(days=later)
        event = Replied(on=day, outcome=Outcome.DISCLOSED) if later % 2 else Withdrawn(on=day)
        store.append_events(app.id, [event], expected_version=app.version - int(stale))
    else:
        _, app, n = op
        with store.transaction():
            store.create_application(own(app))
            current = store.get_application(f"{run}-X{n}")
            store.append_events(
                current.id, [Withdrawn(on=current.events[-1].on)], expected_version=current.version
            )
            raise _Boom


@SETTINGS
@given(ops=st.lists(_op, max_size=12))
def test_counters_equal_the_group_by_after_any_writes(
    shared_store: SqlStore, ops: list[tuple[Any, ...]]
) -> None:
    run = next(_runs)
    for op in ops:
        # Duplicates, conflicts, impossible transitions and rolled-back blocks are expected.
        with contextlib.suppress(GovDiscloseError, _Boom):
            _run(shared_store, run, op)
    _check(shared_store)


def test_rebuild_counters_restores_them(sql_store: SqlStore) -> None:
    apps = list(sample_applications(500, agencies=AGENCIES))
    sql_store.import_bulk(agencies=agencies_of(apps), applications=apps)
    want = {(a, y): sql_store.application_tally(a, y) for a in AGENCIES for y in YEARS}
    with sql_store._engine.begin() as conn:
        conn.execute(sa.update(s.application_counts).values(count=7))
    sql_store.rebuild_counters()
    assert {(a, y): sql_store.application_tally(a, y) for a in AGENCIES for y in YEARS} == want
    _check(sql_store)


def test_version_3_database_gets_its_counters_in_the_migration(url: str) -> None:
    store = SqlStore(url)
    try:
        apps = list(sample_applications(500, agencies=AGENCIES))
        store.import_bulk(agencies=agencies_of(apps), applications=apps)
    finally:
        store.close()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        # What a version 3 database held: no counters, and none of the later tables.
        conn.execute(sa.text("DROP TABLE application_counts"))
        conn.execute(sa.text("DROP TABLE items"))
        conn.execute(sa.delete(s.schema_version).where(s.schema_version.c.version >= 4))
        assert s.current_version(conn) == 3
    engine.dispose()
    store = SqlStore(url)
    try:
        _check(store)
        assert store.application_tally("AG1", 2022).received
    finally:
        store.close()


def test_migrate_step_4_alone_on_an_empty_version_3_database(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        assert migrate(conn, MIGRATIONS[:3]) == 3
        assert migrate(conn, MIGRATIONS[:4]) == 4
        assert migrate(conn, MIGRATIONS) == SCHEMA_VERSION
        assert (
            conn.execute(sa.select(sa.func.count()).select_from(s.application_counts)).scalar() == 0
        )
    engine.dispose()


@pytest.mark.parametrize("failing", [False, True])
def test_import_into_an_empty_store_keeps_its_indexes(tmp_path: Path, failing: bool) -> None:
    """The bulk import into an empty store builds the secondary indexes after loading; a
    failed import rolls the drop back with everything else, so the indexes are always there."""
    import sqlalchemy as sa

    from govdisclose.errors import StoreIntegrityError
    from govdisclose.testing.builders import agencies_of, sample_applications
    from govdisclose_sql.store import SqlStore

    store = SqlStore(f"sqlite:///{tmp_path / 'gd.db'}")
    apps = list(sample_applications(30, seed=2))
    if failing:
        apps.append(apps[0])  # a duplicate id at the end: the whole import is refused
        with pytest.raises(StoreIntegrityError):
            store.import_bulk(agencies=agencies_of(apps), applications=apps)
        assert list(store.applications()) == []
    else:
        store.import_bulk(agencies=agencies_of(apps), applications=apps)
        assert [a.id for a in store.applications()] == sorted(a.id for a in apps)
    with store._writing() as conn:
        names = {i["name"] for i in sa.inspect(conn).get_indexes("applications")}
    store.close()
    assert {"ix_applications_agency_receipt", "ix_applications_receipt_closed"} <= names
