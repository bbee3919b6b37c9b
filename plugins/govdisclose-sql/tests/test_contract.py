"""The storage contract of govdisclose (`govdisclose.testing.StoreContract`) on both backends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from govdisclose.testing import StoreContract
from govdisclose_sql import SqlStore


class TestSqliteStore(StoreContract):
    @pytest.fixture
    def store(self, sqlite_url: str) -> Iterator[SqlStore]:
        store = SqlStore(sqlite_url)
        yield store
        store.close()


@pytest.mark.postgres
class TestPostgresStore(StoreContract):
    @pytest.fixture
    def store(self, pg_url: str) -> Iterator[SqlStore]:
        store = SqlStore(pg_url)
        yield store
        store.close()
