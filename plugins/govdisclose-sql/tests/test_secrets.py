"""No message, ``repr`` or ``str`` of the SQL store shows the database password, while the rest
of the URL (host, database) stays readable: the driver's messages, which may quote the
connection string, are redacted too."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from govdisclose.errors import GovDiscloseError, StoreError
from govdisclose.model import Agency
from govdisclose.plugins import Settings, open_store
from govdisclose.testing import plugin_manager
from govdisclose.vocab import AgencyLevel
from govdisclose_sql import SqlStore, plugin
from govdisclose_sql.store import _database_error
from govdisclose_sql.testing import TemporaryPostgres

SECRET = "S3cr3t-Pa55"


def _assert_hidden(err: GovDiscloseError, *visible: str) -> None:
    for text in (str(err), err.message_zh, err.message_en, repr(err)):
        assert SECRET not in text, text
        for part in visible:
            assert part in text, (part, text)


@pytest.mark.parametrize(
    ("url", "code", "visible"),
    [
        (f"mysql://admin:{SECRET}@db.example/gd", "store.unsupported_url", ("db.example", "/gd")),
        (
            f"postgresql://admin:{SECRET}@db.example:notaport/gd",
            "store.bad_url",
            ("db.example",),
        ),
        (f"sqlite://admin:{SECRET}@db.example/gd.db", "store.bad_url", ("db.example",)),
        # Nothing listens on port 1: psycopg's connection error.
        (f"postgresql://admin:{SECRET}@127.0.0.1:1/gd", "store.database", ("127.0.0.1", "/gd")),
        # psycopg refuses the option, quoting the connection string it was given.
        (
            f"postgresql+psycopg://admin:{SECRET}@127.0.0.1:1/gd?bogus=1",
            "store.database",
            ("127.0.0.1", "bogus"),
        ),
    ],
    ids=["unsupported", "bad-port", "sqlite-with-credentials", "refused", "bad-option"],
)
def test_errors_opening_a_store_hide_the_password(
    url: str, code: str, visible: tuple[str, ...]
) -> None:
    with pytest.raises(StoreError) as caught:
        SqlStore(url)
    assert caught.value.code == code
    _assert_hidden(caught.value, *visible)
    # The same through the plugin machinery, as a host opens it.
    with pytest.raises(GovDiscloseError) as again:
        open_store(Settings(store_url=url), plugin_manager(plugin))
    _assert_hidden(again.value, *visible)


def test_percent_encoded_password_is_hidden_both_ways() -> None:
    url = "postgresql://admin:S3cr3t%40Pa55@127.0.0.1:1/gd"
    with pytest.raises(StoreError) as caught:
        SqlStore(url)
    for text in (str(caught.value), repr(caught.value)):
        assert "S3cr3t%40Pa55" not in text
        assert "S3cr3t@Pa55" not in text
        assert "127.0.0.1" in text


def test_a_driver_message_quoting_the_dsn_is_redacted() -> None:
    """libpq's keyword/value form (``password=…``) is no URL: the password is masked as a
    known secret."""
    orig = Exception(
        f'invalid connection option in "host=db.example user=admin password={SECRET} dbname=gd"'
    )
    err = sa.exc.OperationalError("connect", None, orig)
    store_error = _database_error(err, (SECRET,), where="postgresql://admin:***@db.example/gd")
    _assert_hidden(store_error, "db.example", "dbname=gd")
    uri = Exception(f'missing "=" in URI: "postgresql://admin:{SECRET}@db.example/gd"')
    _assert_hidden(_database_error(sa.exc.OperationalError("connect", None, uri)), "db.example")


@pytest.mark.postgres
def test_repr_str_and_errors_of_an_open_store_hide_the_password(
    postgres: TemporaryPostgres,
) -> None:
    # The test server trusts every connection: the password is accepted and ignored.
    url = postgres.url().replace(f"{postgres.user}@", f"{postgres.user}:{SECRET}@")
    store = SqlStore(url)
    try:
        for text in (repr(store), str(store), repr(store.url)):
            assert SECRET not in text
            assert "127.0.0.1" in text
            assert "/postgres" in text
    finally:
        store.close()
    reader = SqlStore(url, mode="read")
    try:
        with pytest.raises(StoreError) as caught:
            reader.put_agency(Agency(code="AG1", name="某局", level=AgencyLevel.CITY))
        _assert_hidden(caught.value, "127.0.0.1")
    finally:
        reader.close()
    missing = postgres.url("no_such_db").replace(f"{postgres.user}@", f"{postgres.user}:{SECRET}@")
    with pytest.raises(StoreError) as caught:
        SqlStore(missing, mode="read")
    assert caught.value.code == "store.missing"
    _assert_hidden(caught.value, "no_such_db", "127.0.0.1")


def test_sqlite_messages_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        SqlStore(f"sqlite:///{tmp_path}/missing.db", mode="read")
    assert f"{tmp_path}/missing.db" in str(caught.value)
