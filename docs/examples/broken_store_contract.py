"""The store contract run against an adapter with one bug, to show what a failure looks like.

`UtcStore` is the in-memory reference store with a bug a database adapter easily has: it hands
publication times back converted to UTC (a ``timestamptz`` column read without the stored
offset). The instant is the same, so the records still compare equal, but the register dates a
publication in its own timezone: a notice published at 00:30 on 1 January in Shanghai would be
counted in the year before.

Everything else is the reference store, so exactly one test of the contract fails. Run it with
``python -m pytest docs/examples/broken_store_contract.py`` (it needs ``govdisclose[testing]``);
``tests/test_testing_helpers.py`` runs it and checks that the failure says what
``docs/plugins/testing_plugins.md`` shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC

import attrs
import pytest

from govdisclose.model import Record
from govdisclose.testing import MemoryStore
from govdisclose.testing.contract import StoreContract


class UtcStore(MemoryStore):
    """The reference store, except that `get_record` returns publication times in UTC."""

    def get_record(self, record_id: str) -> Record:
        record = super().get_record(record_id)
        in_utc = tuple(
            attrs.evolve(p, published_at=p.published_at.astimezone(UTC))
            for p in record.publications
        )
        return attrs.evolve(record, publications=in_utc)


class TestUtcStore(StoreContract):
    """The contract every adapter runs: a subclass and a ``store`` fixture."""

    @pytest.fixture
    def store(self) -> Iterator[UtcStore]:
        store = UtcStore()
        yield store
        store.close()
