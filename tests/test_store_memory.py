"""The in-memory reference store against the storage contract, plus what only it promises."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from govdisclose.errors import StoreIntegrityError
from govdisclose.model import Received
from govdisclose.testing import MemoryStore
from govdisclose.testing.contract import (
    EXPECTED_2022,
    StoreContract,
    make_agency,
    make_application,
    make_record,
    tally_dataset,
)


class TestMemoryStore(StoreContract):
    """MemoryStore passes the contract every adapter must pass."""

    @pytest.fixture
    def store(self) -> Iterator[MemoryStore]:
        store = MemoryStore()
        yield store
        store.close()


class Boom(Exception):
    """Raised to abort a transaction block."""


def _store() -> MemoryStore:
    """A store holding the agencies AG1 and AG2 (agencies come before their records)."""
    store = MemoryStore()
    store.put_agency(make_agency("AG1"))
    store.put_agency(make_agency("AG2"))
    return store


def test_nested_transaction_rolls_back_only_inner() -> None:
    """An inner block that raises undoes its own writes; the outer block's writes commit."""
    store = _store()
    with store.transaction():
        store.put_record(make_record("R1"))

        def inner() -> None:
            with store.transaction():
                store.put_record(make_record("R2"))
                store.put_record(make_record("R1", title="改"))
                raise Boom

        with pytest.raises(Boom):
            inner()
    assert store.record_version("R1") == 1
    assert store.get_record("R1") == make_record("R1")
    assert store.record_version("R2") == 0


def test_outer_rollback_undoes_committed_inner() -> None:
    """A committed inner block is still undone when its outer block raises."""
    store = _store()

    def outer() -> None:
        with store.transaction():
            with store.transaction():
                store.put_record(make_record("R1"))
            raise Boom

    with pytest.raises(Boom):
        outer()
    assert store.record_version("R1") == 0


def test_import_bulk_wrong_type_names_item() -> None:
    """An object of the wrong class in a bulk import names its position."""
    store = _store()
    with pytest.raises(StoreIntegrityError) as info:
        store.import_bulk(records=[make_record("R1"), "R2"])  # type: ignore[list-item]
    assert info.value.field == "records[1]"
    assert store.record_version("R1") == 0


def test_duplicate_in_bulk_names_item() -> None:
    """A duplicate application id in a bulk import names the offending position."""
    store = _store()
    apps = [*tally_dataset(), make_application("T03", [Received(on=date(2022, 1, 5))])]
    with pytest.raises(StoreIntegrityError) as info:
        store.import_bulk(applications=apps)
    assert info.value.field == "applications[12].id"


def test_tally_unchanged_by_rolled_back_append() -> None:
    """Rolling back an append restores the tally counters as well as the application."""
    store = _store()
    store.import_bulk(applications=tally_dataset())

    def block() -> None:
        with store.transaction():
            store.append_events(
                "T04", [Received(on=date(2022, 12, 29))], expected_version=1
            )  # refused: received twice

    with pytest.raises(ValueError, match="received"):
        block()
    assert store.application_tally("AG1", 2022) == EXPECTED_2022


def test_close_is_idempotent() -> None:
    """Closing twice is harmless."""
    store = MemoryStore()
    store.close()
    store.close()
    assert "MemoryStore" in repr(store)
