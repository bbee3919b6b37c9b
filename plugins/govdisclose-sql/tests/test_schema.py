"""Schema and migrations: a new database gets every step, an old one is brought forward on
opening, a failed step changes nothing, and a newer database is refused."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from govdisclose.errors import StoreError
from govdisclose.model import Publication, Record
from govdisclose.vocab import PublicationChannel
from govdisclose_sql import SCHEMA_VERSION, SqlStore, schema as s
from govdisclose_sql._rows import dump
from govdisclose_sql.schema import MIGRATIONS, Migration, migrate

CST = timezone(timedelta(hours=8))


def _record(record_id: str, *published: datetime) -> Record:
    return Record(
        id=record_id,
        title=f"关于{record_id}的通知",
        agency="AG1",
        formed_on=date(2022, 1, 5),
        publications=tuple(
            Publication(publisher="门户", channel=PublicationChannel.PORTAL, published_at=at)
            for at in published
        ),
    )


def _engine(url: str) -> sa.Engine:
    # A plain engine, as an older govdisclose-sql (or a DBA) would have used.
    return sa.create_engine(url)


def test_new_database_gets_every_step_in_order(url: str) -> None:
    SqlStore(url).close()
    engine = _engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(s.schema_version).order_by(s.schema_version.c.version))
        assert [(v, d) for v, d in rows] == [(m.version, m.description) for m in MIGRATIONS]
        assert s.current_version(conn) == SCHEMA_VERSION == MIGRATIONS[-1].version
    engine.dispose()


def test_migrated_schema_matches_the_tables_the_queries_use(url: str) -> None:
    """The steps, replayed from scratch, build exactly what `schema.metadata` describes."""
    SqlStore(url).close()
    engine = _engine(url)
    inspector = sa.inspect(engine)
    assert set(inspector.get_table_names()) == set(s.metadata.tables)
    for table in s.metadata.tables.values():
        columns = {c["name"]: c["nullable"] for c in inspector.get_columns(table.name)}
        assert columns == {c.name: c.nullable for c in table.columns}, table.name
        indexes = {i["name"]: tuple(i["column_names"]) for i in inspector.get_indexes(table.name)}
        expected = {i.name: tuple(c.name for c in i.columns) for i in table.indexes}
        assert indexes == expected, table.name
        primary = inspector.get_pk_constraint(table.name)["constrained_columns"]
        assert primary == [c.name for c in table.primary_key], table.name
    engine.dispose()


def test_version_1_database_is_migrated_on_opening(url: str) -> None:
    """A database left at version 1 (no publications table) holding records is opened: step 2
    creates the register and fills it from the records already stored."""
    early = _record("R1", datetime(2022, 1, 10, 9, 0, tzinfo=CST))
    twice = _record(
        "R2",
        # 23:30 on 31 Jan in Beijing is still 31 Jan in the register, whatever UTC says.
        datetime(2022, 1, 31, 23, 30, tzinfo=CST),
        datetime(2022, 3, 1, 8, 0, tzinfo=CST),
    )
    never = _record("R3")
    engine = _engine(url)
    with engine.begin() as conn:
        assert migrate(conn, MIGRATIONS[:1]) == 1
        conn.execute(
            sa.text(
                "INSERT INTO records (id, agency, version, formed_on, data) "
                "VALUES (:id, 'AG1', 3, :formed, :data)"
            ),
            [{"id": r.id, "formed": r.formed_on, "data": dump(r)} for r in (early, twice, never)],
        )
    with engine.connect() as conn:
        assert not sa.inspect(conn).has_table("publications")
    engine.dispose()

    store = SqlStore(url)
    assert [(e.record_id, e.publication.published_on) for e in store.published()] == [
        ("R1", date(2022, 1, 10)),
        ("R2", date(2022, 1, 31)),
        ("R2", date(2022, 3, 1)),
    ]
    assert [e.record_id for e in store.published(end=date(2022, 1, 31))] == ["R1", "R2"]
    assert store.get_record("R2") == twice
    assert store.record_version("R2") == 3
    store.close()
    engine = _engine(url)
    with engine.connect() as conn:
        assert s.current_version(conn) == SCHEMA_VERSION
    engine.dispose()


def test_failed_step_leaves_the_database_as_it_was(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DDL is transactional on both backends (on SQLite only because the store, not sqlite3,
    emits BEGIN): a step that fails half-way leaves neither its table nor a version row."""

    def half_done(conn: sa.Connection) -> None:
        conn.execute(sa.text("CREATE TABLE half_done (x INTEGER)"))
        raise RuntimeError("step broke after creating a table")

    SqlStore(url).close()
    broken = Migration(SCHEMA_VERSION + 1, "broken", half_done)
    monkeypatch.setattr(s, "MIGRATIONS", (*MIGRATIONS, broken))
    with pytest.raises(RuntimeError, match="step broke"):
        SqlStore(url)
    engine = _engine(url)
    with engine.connect() as conn:
        assert s.current_version(conn) == SCHEMA_VERSION
        assert not sa.inspect(conn).has_table("half_done")
    engine.dispose()


def test_newer_database_is_refused(url: str) -> None:
    SqlStore(url).close()
    engine = _engine(url)
    with engine.begin() as conn:
        conn.execute(s.schema_version.insert().values(version=SCHEMA_VERSION + 1, description="x"))
    engine.dispose()
    with pytest.raises(StoreError) as caught:
        SqlStore(url)
    assert caught.value.code == "store.schema_too_new"
    assert caught.value.field == "schema_version"


def test_create_false_refuses_a_database_without_schema(url: str) -> None:
    with pytest.raises(StoreError) as caught:
        SqlStore(url, create=False)
    assert caught.value.code == "store.no_schema"
    SqlStore(url).close()
    SqlStore(url, create=False).close()


def test_create_false_refuses_a_missing_sqlite_file(tmp_path: object) -> None:
    with pytest.raises(StoreError) as caught:
        SqlStore(f"sqlite:///{tmp_path}/absent.db", create=False)
    assert caught.value.code == "store.no_schema"


def test_unsupported_url_is_refused() -> None:
    with pytest.raises(StoreError) as caught:
        SqlStore("mysql://u@localhost/gd")
    assert caught.value.field == "url"
