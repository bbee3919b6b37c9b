"""Functions run in child processes by the reliability tests (spawn needs them importable)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from typing import Any

from govdisclose.errors import ConflictError
from govdisclose.model import Application, ThirdPartyConsulted
from govdisclose.testing.builders import agencies_of, sample_applications
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
    """Import ``count`` applications, and their agencies first, but stall before the last
    application, inside the transaction."""
    store = SqlStore(url)

    def applications() -> Iterator[Application]:
        for n, app in enumerate(sample_applications(count)):
            if n == count - 1:
                ready.set()
                time.sleep(120)
            yield app

    store.import_bulk(agencies=agencies_of(sample_applications(count)), applications=applications())


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


# -- inquiries, the first kept kind of issue 15, through their own API ---------------------------

INQUIRY_DAY = date(2026, 3, 2)


def inquiry_answer_race(url: str, rounds: int, tag: str, barrier: Any, out: Any) -> None:
    """Each round: both writers read case ``Q{i}`` (one open part, the agency's), wait, then
    both answer it. The store's version check lets exactly one answer in; the other's answer
    would be the part's second, so a lost race must surface as a conflict, not a second answer."""
    from govdisclose.inquiries import Answered, InquiryCase, apply_all

    store = SqlStore(url)
    won: list[int] = []
    conflicts = 0
    for i in range(rounds):
        barrier.wait()
        version = store.item_version(InquiryCase, f"Q{i}")
        case = store.get_item(InquiryCase, f"Q{i}")
        barrier.wait()
        answered = apply_all(
            case, [Answered(on=INQUIRY_DAY, unit="AG1", answer=f"answer by {tag}")]
        )
        try:
            store.put_item(answered, expected_version=version)
            won.append(i)
        except ConflictError:
            conflicts += 1
    store.close()
    out.put((tag, won, conflicts))


def inquiries_and_stall(url: str, count: int, ready: Any) -> None:
    """Receive ``count`` inquiries in one transaction, then stall inside it."""
    from govdisclose.inquiries import InquirerContact, InquiryChannel, receive
    from govdisclose.vocab import InquiryKind

    store = SqlStore(url)
    with store.transaction():
        for n in range(count):
            receive(
                store,
                id=f"N{n:05d}",
                agency="AG1",
                on=INQUIRY_DAY,
                channel=InquiryChannel.PHONE,
                category=InquiryKind.GENERAL,
                question="公交线路调整的依据是什么？",
                inquirer=InquirerContact(name="李四"),
            )
        ready.set()
        time.sleep(120)
