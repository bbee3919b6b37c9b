"""Fixtures of the govdisclose-sql tests: a SQLite file per test and a real PostgreSQL server.

The server is started once per session from the Debian binaries (`TemporaryPostgres`), each test
gets a new empty database on it. Without the binaries the PostgreSQL tests are skipped with the
command that installs them, except under CI (``CI=true``), where a missing server is a failure:
CI installs the ``postgresql`` package and must not silently test less.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from govdisclose_sql import SqlStore
from govdisclose_sql.testing import INSTALL_HINT, TemporaryPostgres, find_postgres_bin

_databases = itertools.count(1)


def _unavailable(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI=true: PostgreSQL tests must run)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres() -> Iterator[TemporaryPostgres]:
    """A PostgreSQL server for the whole session, stopped and deleted at the end."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed; pip install 'govdisclose-sql[test]'")
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        _unavailable(INSTALL_HINT)
    with TemporaryPostgres(bin_dir) as server:
        yield server


@pytest.fixture
def pg_url(postgres: TemporaryPostgres) -> str:
    """The URL of a new, empty schema: as good as a new database for the store, and cheap."""
    return postgres.create_schema(f"gd_test_{os.getpid()}_{next(_databases)}")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """The URL of a new SQLite file."""
    return f"sqlite:///{tmp_path / 'gd.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest) -> str:
    """A new empty database on each backend."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    value: str = request.getfixturevalue(name)
    return value


@pytest.fixture
def sql_store(url: str) -> Iterator[SqlStore]:
    """A store on a new empty database, on each backend."""
    store = SqlStore(url)
    yield store
    store.close()
