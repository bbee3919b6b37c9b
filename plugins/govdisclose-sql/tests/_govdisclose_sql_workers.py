"""Functions run in child processes by the reliability tests (spawn needs them importable)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from typing import Any

from govdisclose.errors import ConflictError
from govdisclose.model import Application, ThirdPartyConsulted
from govdisclose.testing.builders import sample_applications
from govdisclose_sql import SqlStore

DAY = date(2022, 3, 2)


def consult(party: str) -> ThirdPartyConsulted:
    """An event that may repeat without end (征求意见 of one more party)."""
    return ThirdPartyConsulted(on=DAY, party=party)


def append_in_rounds(url: str, app_id: str, rounds: int, tag: str, barrier: Any, out: Any) -> None:
    """Each round: wait for the other writer, read the version, wait again, append once."""
    store = SqlStore(url)
    won: list[int] = []
    conflicts = 0
    for i in range(rounds):
        barrier.wait()
        version = store.get_application(app_id).version
        barrier.wait()
        try:
            store.append_events(app_id, [consult(f"{tag}-{i}")], expected_version=version)
            won.append(i)
        except ConflictError:
            conflicts += 1
    store.close()
    out.put((tag, won, conflicts))


def append_with_retry(url: str, app_id: str, attempts: int, tag: str, out: Any) -> None:
    """Append ``attempts`` events, reloading and retrying each one on conflict."""
    store = SqlStore(url)
    stored = conflicts = 0
    for i in range(attempts):
        while True:
            version = store.get_application(app_id).version
            try:
                store.append_events(app_id, [consult(f"{tag}-{i}")], expected_version=version)
            except ConflictError:
                conflicts += 1
                continue
            stored += 1
            break
    store.close()
    out.put((tag, stored, conflicts))


def import_and_stall(url: str, count: int, ready: Any) -> None:
    """Import ``count`` applications but stall before the last one, inside the transaction."""
    store = SqlStore(url)

    def applications() -> Iterator[Application]:
        for n, app in enumerate(sample_applications(count)):
            if n == count - 1:
                ready.set()
                time.sleep(120)
            yield app

    store.import_bulk(applications=applications())


def item_in_rounds(url: str, rounds: int, tag: str, barrier: Any, out: Any) -> None:
    """Each round: wait for the other writer, read the item's version, wait, append one entry
    to its history (a kept item of the contract's own kind)."""
    from govdisclose.testing._items_contract import ContractItem

    store = SqlStore(url)
    won: list[int] = []
    conflicts = 0
    for i in range(rounds):
        barrier.wait()
        version = store.item_version(ContractItem, "I1")
        item = store.get_item(ContractItem, "I1")
        barrier.wait()
        grown = ContractItem(id="I1", agency="AG1", history=(*item.history, f"{tag}-{i}"))
        try:
            store.put_item(grown, expected_version=version)
            won.append(i)
        except ConflictError:
            conflicts += 1
    store.close()
    out.put((tag, won, conflicts))


def items_and_stall(url: str, count: int, ready: Any) -> None:
    """Write ``count`` kept items in one transaction, then stall inside it."""
    from govdisclose.testing._items_contract import ContractItem

    store = SqlStore(url)
    with store.transaction():
        for n in range(count):
            store.put_item(ContractItem(id=f"N{n:05d}", agency="AG1"))
        ready.set()
        time.sleep(120)
