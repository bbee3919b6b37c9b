"""Opening modes (the ``store.mode`` option): ``create`` makes the store, ``write`` requires it,
``read`` opens it read-only, creating and migrating nothing, on a read-only file too."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from govdisclose.errors import StoreError, ValidationError
from govdisclose.model import Agency, Application, Received, Replied, ReviewCase
from govdisclose.plugins import Settings, open_store
from govdisclose.testing import plugin_manager
from govdisclose.testing.contract import make_application, make_record
from govdisclose.vocab import AgencyLevel, Outcome, ReviewCaseKind
from govdisclose_sql import SCHEMA_VERSION, SqlStore, plugin, schema as s
from govdisclose_sql.schema import MIGRATIONS, migrate

AGENCY = Agency(code="AG1", name="某市某局", level=AgencyLevel.CITY)


def _app(app_id: str) -> Application:
    return make_application(app_id, [Received(on=date(2025, 3, 3))])


def _filled(url: str) -> None:
    """A store at ``url`` holding one agency, one record and one application."""
    store = SqlStore(url)
    try:
        store.put_agency(AGENCY)
        store.put_record(make_record("R1"))
        store.create_application(_app("A1"))
    finally:
        store.close()


def _version(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return s.current_version(conn)
    finally:
        engine.dispose()


# -- read and write need an existing store ------------------------------------------------------


@pytest.mark.parametrize("mode", ["read", "write"])
def test_missing_sqlite_file_is_an_error_and_is_not_created(tmp_path: Path, mode: str) -> None:
    path = tmp_path / "typo.db"
    with pytest.raises(StoreError) as caught:
        SqlStore(f"sqlite:///{path}", mode=mode)  # type: ignore[arg-type]
    assert caught.value.code == "store.missing"
    assert caught.value.field == "url"
    assert str(path) in caught.value.message_en
    assert f"store.mode={mode}" in caught.value.message_en
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("mode", ["read", "write"])
def test_database_without_the_schema_is_refused(url: str, mode: str) -> None:
    """An empty database (an empty SQLite file, a new PostgreSQL schema) is not a store."""
    if url.startswith("sqlite"):
        Path(sa.make_url(url).database or "").touch()
    with pytest.raises(StoreError) as caught:
        SqlStore(url, mode=mode)  # type: ignore[arg-type]
    assert caught.value.code == "store.no_schema"
    assert f"store.mode={mode}" in caught.value.message_en
    assert _version(url) == 0  # nothing was created


def test_create_is_the_default_and_creates(url: str) -> None:
    store = SqlStore(url)
    assert store.mode == "create"
    store.close()
    assert _version(url) == SCHEMA_VERSION


def test_write_mode_opens_an_existing_store_and_writes(url: str) -> None:
    _filled(url)
    store = SqlStore(url, mode="write")
    try:
        store.put_agency(Agency(code="AG2", name="某市另一局", level=AgencyLevel.CITY))
        assert [a.code for a in store.agencies()] == ["AG1", "AG2"]
    finally:
        store.close()


def test_write_mode_migrates_an_older_schema(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        migrate(conn, MIGRATIONS[:1])
    engine.dispose()
    SqlStore(url, mode="write").close()
    assert _version(url) == SCHEMA_VERSION


def test_unknown_mode_is_refused(url: str) -> None:
    with pytest.raises(StoreError) as caught:
        SqlStore(url, mode="append")  # type: ignore[arg-type]
    assert caught.value.code == "store.invalid_mode"


# -- read -----------------------------------------------------------------------------------------


def test_read_mode_reads(url: str) -> None:
    _filled(url)
    store = SqlStore(url, mode="read")
    try:
        assert store.mode == "read"
        assert store.agencies() == [AGENCY]
        assert [r.id for r in store.records()] == ["R1"]
        assert store.get_application("A1").id == "A1"
        assert store.application_tally("AG1", 2025).agency == "AG1"
        assert list(store.published()) == []
    finally:
        store.close()


def _writes() -> list[tuple[str, Callable[[SqlStore], Any]]]:
    reply = Replied(on=date(2025, 3, 10), outcome=Outcome.DISCLOSED)
    return [
        ("put_agency", lambda st: st.put_agency(AGENCY)),
        ("put_record", lambda st: st.put_record(make_record("R9"))),
        ("create_application", lambda st: st.create_application(_app("A9"))),
        ("append_events", lambda st: st.append_events("A1", [reply], expected_version=1)),
        (
            "put_review_case",
            lambda st: st.put_review_case(
                ReviewCase(
                    id="C1",
                    agency="AG1",
                    kind=ReviewCaseKind.RECONSIDERATION,
                    filed_on=date(2025, 4, 1),
                )
            ),
        ),
        ("import_bulk", lambda st: st.import_bulk(agencies=[AGENCY])),
        ("transaction", lambda st: st.transaction().__enter__()),
    ]


@pytest.mark.parametrize(("name", "write"), _writes(), ids=[name for name, _ in _writes()])
def test_read_mode_refuses_every_write(
    url: str, name: str, write: Callable[[SqlStore], Any]
) -> None:
    _filled(url)
    store = SqlStore(url, mode="read")
    try:
        with pytest.raises(StoreError) as caught:
            write(store)
        assert caught.value.code == "store.read_only"
        assert [a.code for a in store.agencies()] == ["AG1"]
        assert [a.id for a in store.applications()] == ["A1"]
    finally:
        store.close()


def test_read_mode_connection_is_read_only_in_the_database(url: str) -> None:
    """Not only the store's own check: the database itself refuses the connection's writes."""
    _filled(url)
    store = SqlStore(url, mode="read")
    try:
        with store._engine.connect() as conn, pytest.raises(sa.exc.DBAPIError) as caught:
            conn.execute(sa.delete(s.agencies))
        from govdisclose_sql.store import _database_error

        assert _database_error(caught.value).code == "store.read_only"
    finally:
        store.close()
    again = SqlStore(url, mode="read")
    try:
        assert [a.code for a in again.agencies()] == ["AG1"]
    finally:
        again.close()


def test_read_mode_never_migrates_an_older_schema(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        migrate(conn, MIGRATIONS[:1])
    engine.dispose()
    with pytest.raises(StoreError) as caught:
        SqlStore(url, mode="read")
    assert caught.value.code == "store.schema_outdated"
    assert "store.mode=write" in caught.value.message_en
    assert _version(url) == 1


def test_read_mode_refuses_a_newer_schema(url: str) -> None:
    _filled(url)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(s.schema_version.insert().values(version=SCHEMA_VERSION + 1, description="x"))
    engine.dispose()
    with pytest.raises(StoreError) as caught:
        SqlStore(url, mode="read")
    assert caught.value.code == "store.schema_too_new"


def test_read_mode_leaves_the_sqlite_file_unchanged(sqlite_url: str) -> None:
    _filled(sqlite_url)
    path = Path(sa.make_url(sqlite_url).database or "")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    store = SqlStore(sqlite_url, mode="read")
    try:
        list(store.applications())
    finally:
        store.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


# -- a read-only file -----------------------------------------------------------------------------


@contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """``path`` (a file or a directory) made read-only for this process: chmod for an ordinary
    user, the immutable attribute for root (whom permission bits do not stop)."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    try:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    except FileNotFoundError:
        pytest.skip("chattr is not installed: cannot make a file read-only for root")
    if done.returncode != 0:
        pytest.skip(f"chattr +i failed ({done.stderr.decode().strip()}): no read-only file")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_read_mode_works_on_a_read_only_file(sqlite_url: str) -> None:
    _filled(sqlite_url)
    path = Path(sa.make_url(sqlite_url).database or "")
    with _read_only(path):
        store = SqlStore(sqlite_url, mode="read")
        try:
            assert store.agencies() == [AGENCY]
            with pytest.raises(StoreError) as caught:
                store.put_agency(AGENCY)
            assert caught.value.code == "store.read_only"
        finally:
            store.close()


def test_read_mode_works_in_a_read_only_directory(tmp_path: Path) -> None:
    """A WAL database on a read-only share: SQLite cannot create its -shm file there; with no
    write-ahead log left beside it the file is read as immutable."""
    folder = tmp_path / "share"
    folder.mkdir()
    url = f"sqlite:///{folder / 'gd.db'}"
    _filled(url)
    assert not (folder / "gd.db-wal").exists()
    with _read_only(folder):
        store = SqlStore(url, mode="read")
        try:
            assert store.agencies() == [AGENCY]
            assert store.get_application("A1").id == "A1"
        finally:
            store.close()
        with pytest.raises(StoreError):
            SqlStore(url, mode="write")


# -- through the plugin ---------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["read", "write", "create"])
def test_the_plugin_passes_store_mode(url: str, mode: str) -> None:
    _filled(url)
    store = open_store(
        Settings(store_url=url, options={"store.mode": mode}), plugin_manager(plugin)
    )
    try:
        assert isinstance(store, SqlStore)
        assert store.mode == mode
    finally:
        store.close()


def test_the_plugin_reads_a_missing_file_as_an_error(tmp_path: Path) -> None:
    settings = Settings(store_url=f"sqlite:///{tmp_path / 'gd.db'}", options={"store.mode": "read"})
    with pytest.raises(StoreError) as caught:
        open_store(settings, plugin_manager(plugin))
    assert caught.value.code == "store.missing"
    assert list(tmp_path.iterdir()) == []


def test_store_mode_is_checked_by_the_settings() -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(store_url="sqlite:///gd.db", options={"store.mode": "readonly"})
    assert caught.value.code == "settings.invalid_store_mode"


def test_in_memory_sqlite_ignores_the_mode() -> None:
    store = SqlStore("sqlite://", mode="write")
    try:
        assert store.agencies() == []
    finally:
        store.close()


def test_an_application_is_readable_in_read_mode_after_a_write(url: str) -> None:
    """A writer and a reader at once: the reader sees what is committed."""
    _filled(url)
    writer = SqlStore(url, mode="write")
    reader = SqlStore(url, mode="read")
    try:
        writer.create_application(_app("A2"))
        assert [a.id for a in reader.applications()] == ["A1", "A2"]
    finally:
        writer.close()
        reader.close()
