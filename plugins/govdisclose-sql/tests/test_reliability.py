"""Reliability across processes: exactly one writer wins, nothing is lost or doubled, and a
writer killed in the middle of a bulk import leaves all of it or none of it.

The writers are separate processes (spawn), each with its own `SqlStore`, as two OA web
workers would be; the database alone arbitrates between them.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import sqlalchemy as sa

from govdisclose.model import Applicant, Application, Received
from govdisclose.testing.builders import agencies_of, agency, sample_applications
from govdisclose.vocab import ApplicantType, Channel
from govdisclose_sql import SqlStore, schema as s

pytestmark = pytest.mark.slow

SPAWN = multiprocessing.get_context("spawn")


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    # Spawned children import the worker functions by module name: put this directory on the
    # path that spawn hands down to them.
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    import _govdisclose_sql_workers

    return _govdisclose_sql_workers


def _application(app_id: str) -> Application:
    return Application(
        id=app_id,
        agency="AG1",
        applicant=Applicant(type=ApplicantType.NATURAL_PERSON, name="张三"),
        channel=Channel.ONLINE,
        request="征地补偿方案",
        events=(Received(on=date(2022, 3, 1)),),
    )


def _stored_seqs(url: str, app_id: str) -> list[int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return list(
                conn.execute(
                    sa.select(s.events.c.seq)
                    .where(s.events.c.application_id == app_id)
                    .order_by(s.events.c.seq)
                ).scalars()
            )
    finally:
        engine.dispose()


def _run(processes: list[Any], timeout: float = 120) -> None:
    for p in processes:
        p.start()
    try:
        for p in processes:
            p.join(timeout)
            assert p.exitcode == 0, f"worker exited with {p.exitcode}"
    finally:
        for p in processes:
            if p.is_alive():
                p.kill()
                p.join()


def _results(queue: Any, n: int) -> list[Any]:
    return sorted(queue.get(timeout=5) for _ in range(n))


def test_two_processes_exactly_one_wins_each_round(url: str, workers: ModuleType) -> None:
    """Both writers read the same version, then both append: one stores, the other conflicts,
    in every one of the rounds."""
    rounds = 40
    store = SqlStore(url)
    store.put_agency(agency("AG1"))
    store.create_application(_application("A1"))
    barrier, out = SPAWN.Barrier(2), SPAWN.Queue()
    _run(
        [
            SPAWN.Process(
                target=workers.append_in_rounds, args=(url, "A1", rounds, tag, barrier, out)
            )
            for tag in ("P", "Q")
        ]
    )
    (_, won_p, lost_p), (_, won_q, lost_q) = _results(out, 2)
    assert sorted(won_p + won_q) == list(range(rounds)), "each round has exactly one winner"
    assert lost_p + lost_q == rounds
    stored = store.get_application("A1")
    winners = {f"P-{i}" for i in won_p} | {f"Q-{i}" for i in won_q}
    assert [e.party for e in stored.events[1:]] == sorted(  # type: ignore[union-attr]
        winners, key=lambda party: int(party.split("-")[1])
    )
    assert _stored_seqs(url, "A1") == list(range(1, rounds + 2))
    store.close()


def test_two_processes_retrying_lose_nothing(url: str, workers: ModuleType) -> None:
    """Writers that reload and retry on conflict: every attempt is stored exactly once, the
    sequence numbers are contiguous, and the version counts them all."""
    attempts = 60
    store = SqlStore(url)
    store.put_agency(agency("AG1"))
    store.create_application(_application("A1"))
    out = SPAWN.Queue()
    _run(
        [
            SPAWN.Process(target=workers.append_with_retry, args=(url, "A1", attempts, tag, out))
            for tag in ("P", "Q")
        ]
    )
    results = _results(out, 2)
    assert [stored for _, stored, _ in results] == [attempts, attempts]
    stored = store.get_application("A1")
    parties = [e.party for e in stored.events[1:]]  # type: ignore[union-attr]
    assert sorted(parties) == sorted(f"{t}-{i}" for t in "PQ" for i in range(attempts))
    for tag in "PQ":  # each writer's events in its own order
        mine = [p for p in parties if p.startswith(tag)]
        assert mine == [f"{tag}-{i}" for i in range(attempts)]
    assert stored.version == 1 + 2 * attempts
    assert _stored_seqs(url, "A1") == list(range(1, 2 * attempts + 2))
    store.close()


def _kill_during_import(url: str, workers: ModuleType, count: int) -> None:
    ready = SPAWN.Event()
    child = SPAWN.Process(target=workers.import_and_stall, args=(url, count, ready))
    child.start()
    try:
        assert ready.wait(120), "the importing process never reached its last application"
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
        child.join(30)
        assert child.exitcode == -signal.SIGKILL
    finally:
        if child.is_alive():
            child.kill()
            child.join()


def _assert_consistent_and_usable(store: SqlStore) -> None:
    assert list(store.applications()) == [store.get_application("BEFORE")]
    # The agencies of the killed import were part of its transaction too.
    assert [a.code for a in store.agencies()] == ["AG1"]
    engine = sa.create_engine(store.url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(s.events)).scalar() == 1
    finally:
        engine.dispose()
    apps = list(sample_applications(50))
    result = store.import_bulk(agencies=agencies_of(apps), applications=apps)
    assert result.applications == 50
    assert len(list(store.applications())) == 51


def test_sqlite_writer_killed_mid_import_leaves_none_of_it(
    tmp_path: Path, workers: ModuleType
) -> None:
    """SIGKILL while ~6,000 imported applications sit uncommitted in the WAL: on reopening
    the database is intact and holds none of them; it stays writable."""
    sqlite_file = tmp_path / "gd.db"
    url = f"sqlite:///{sqlite_file}"
    store = SqlStore(url)
    store.put_agency(agency("AG1"))
    store.create_application(_application("BEFORE"))
    store.close()
    _kill_during_import(url, workers, count=6_001)
    wal = Path(f"{sqlite_file}-wal")
    # The uncommitted batches really were written to disk before the kill.
    assert wal.exists()
    assert wal.stat().st_size > 1_000_000
    with sqlite3.connect(sqlite_file) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store = SqlStore(url)
    _assert_consistent_and_usable(store)
    store.close()


@pytest.mark.postgres
def test_postgres_writer_killed_mid_import_leaves_none_of_it(
    pg_url: str, workers: ModuleType
) -> None:
    """The same on PostgreSQL: the server rolls back the dead client's transaction."""
    store = SqlStore(pg_url)
    store.put_agency(agency("AG1"))
    store.create_application(_application("BEFORE"))
    _kill_during_import(pg_url, workers, count=6_001)
    _assert_consistent_and_usable(store)
    store.close()


# -- kept items (inquiries, opinion events, plans, the outbox share this table) ----------------


def _item_store(url: str) -> SqlStore:
    from govdisclose.testing._items_contract import ContractItem

    store = SqlStore(url)
    store.put_agency(agency("AG1"))
    store.put_item(ContractItem(id="I1", agency="AG1"))
    return store


def test_two_processes_one_item_writer_wins_each_round(url: str, workers: ModuleType) -> None:
    """Two processes read the same version of a kept item and write it: one wins each round,
    and the history holds exactly the winners, in round order."""
    from govdisclose.testing._items_contract import ContractItem

    rounds = 30
    store = _item_store(url)
    barrier, out = SPAWN.Barrier(2), SPAWN.Queue()
    _run(
        [
            SPAWN.Process(target=workers.item_in_rounds, args=(url, rounds, tag, barrier, out))
            for tag in ("P", "Q")
        ]
    )
    (_, won_p, lost_p), (_, won_q, lost_q) = _results(out, 2)
    assert sorted(won_p + won_q) == list(range(rounds)), "each round has exactly one winner"
    assert lost_p + lost_q == rounds
    history = store.get_item(ContractItem, "I1").history
    winners = sorted(
        [f"P-{i}" for i in won_p] + [f"Q-{i}" for i in won_q], key=lambda h: int(h[2:])
    )
    assert list(history) == winners
    assert store.item_version(ContractItem, "I1") == 1 + rounds
    store.close()


def _kill_during_items(url: str, workers: ModuleType, count: int) -> None:
    ready = SPAWN.Event()
    child = SPAWN.Process(target=workers.items_and_stall, args=(url, count, ready))
    child.start()
    try:
        assert ready.wait(120), "the writing process never finished its items"
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
        child.join(30)
        assert child.exitcode == -signal.SIGKILL
    finally:
        if child.is_alive():
            child.kill()
            child.join()


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_item_writer_killed_mid_transaction_leaves_none_of_it(
    backend: str, tmp_path: Path, workers: ModuleType, request: pytest.FixtureRequest
) -> None:
    """SIGKILL inside a transaction of 2,000 item writes: none of them is stored, the item
    written before is intact, and the store stays writable."""
    from govdisclose.testing._items_contract import ContractItem

    url = (
        f"sqlite:///{tmp_path / 'gd.db'}"
        if backend == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    store = _item_store(url)
    store.close()
    _kill_during_items(url, workers, count=2_000)
    store = SqlStore(url)
    assert [i.id for i in store.items(ContractItem)] == ["I1"]
    assert store.put_item(ContractItem(id="AFTER", agency="AG1")) == 1
    store.close()


# -- inquiries (issue 15): the same guarantees through the kind's own API ------------------------


def test_two_processes_answering_one_inquiry_store_exactly_one_answer(
    url: str, workers: ModuleType
) -> None:
    """Two clerks answer the same inquiry at the same moment, 20 times: each time exactly one
    answer is stored and the other writer is told of the conflict (a part answered twice
    would be a fault in the case's history)."""
    from govdisclose.inquiries import (
        Answered,
        InquirerContact,
        InquiryCase,
        InquiryChannel,
        receive,
    )
    from govdisclose.vocab import InquiryKind

    rounds = 20
    store = SqlStore(url)
    store.put_agency(agency("AG1"))
    for i in range(rounds):
        receive(
            store,
            id=f"Q{i}",
            agency="AG1",
            on=workers.INQUIRY_DAY,
            channel=InquiryChannel.WEB,
            category=InquiryKind.GENERAL,
            question="办事指南在哪里查？",
            inquirer=InquirerContact(name="王五"),
        )
    barrier, out = SPAWN.Barrier(2), SPAWN.Queue()
    _run(
        [
            SPAWN.Process(target=workers.inquiry_answer_race, args=(url, rounds, tag, barrier, out))
            for tag in ("P", "Q")
        ]
    )
    (_, won_p, lost_p), (_, won_q, lost_q) = _results(out, 2)
    assert sorted(won_p + won_q) == list(range(rounds)), "each round has exactly one winner"
    assert lost_p + lost_q == rounds
    for i in range(rounds):
        case = store.get_item(InquiryCase, f"Q{i}")
        answers = [e for e in case.events if isinstance(e, Answered)]
        winner = "P" if i in won_p else "Q"
        assert [a.answer for a in answers] == [f"answer by {winner}"]
        assert store.item_version(InquiryCase, f"Q{i}") == 2
    store.close()


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_inquiry_receiver_killed_mid_transaction_leaves_none_of_it(
    backend: str, tmp_path: Path, workers: ModuleType, request: pytest.FixtureRequest
) -> None:
    """SIGKILL while 500 inquiries are being received in one transaction: none is stored, the
    one received before is intact and still found by its query code."""
    from govdisclose.inquiries import (
        InquirerContact,
        InquiryCase,
        InquiryChannel,
        find_by_code,
        receive,
    )
    from govdisclose.vocab import InquiryKind

    url = (
        f"sqlite:///{tmp_path / 'gd.db'}"
        if backend == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    store = SqlStore(url)
    store.put_agency(agency("AG1"))
    before = receive(
        store,
        id="BEFORE",
        agency="AG1",
        on=workers.INQUIRY_DAY,
        channel=InquiryChannel.COUNTER,
        category=InquiryKind.COMPLEX,
        question="征收补偿标准如何确定？",
        inquirer=InquirerContact(name="赵六"),
    )
    store.close()
    ready = SPAWN.Event()
    child = SPAWN.Process(target=workers.inquiries_and_stall, args=(url, 500, ready))
    child.start()
    try:
        assert ready.wait(120), "the receiving process never finished its inquiries"
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
        child.join(30)
        assert child.exitcode == -signal.SIGKILL
    finally:
        if child.is_alive():
            child.kill()
            child.join()
    store = SqlStore(url)
    assert [c.id for c in store.items(InquiryCase)] == ["BEFORE"]
    assert find_by_code(store, before.code).id == "BEFORE"
    store.close()
