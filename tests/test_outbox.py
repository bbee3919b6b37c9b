"""The outbox (issue 14): a failing channel retried with backoff publishes exactly once, a crash
between publish and record does not publish twice, a withdrawal reaches every channel and
keeps the register's history, a record changed meanwhile is abandoned; on the memory store and
the SQL store (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from tests.outbox_support import (
    T0,
    Channel,
    CrashingStore,
    KeyedChannel,
    later,
    stored,
)

from govdisclose.errors import InvalidTransition, NotFound, PublishBlocked, ValidationError
from govdisclose.model import AttributeDecision
from govdisclose.outbox import (
    OutboxAction,
    OutboxEntry,
    OutboxState,
    RetryPolicy,
    entries,
    publish_via_outbox,
    retry_pending,
    withdraw,
)
from govdisclose.publishing import publish, register
from govdisclose.settings import Settings
from govdisclose.testing import MemoryStore
from govdisclose.vocab import DisclosureAttribute, NonDisclosureReason

# -- the stores -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres() -> Iterator[Any]:
    try:
        import psycopg  # noqa: F401

        from govdisclose_sql.testing import INSTALL_HINT, TemporaryPostgres, find_postgres_bin
    except ImportError:
        _unavailable("psycopg or govdisclose-sql is not installed")
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        _unavailable(INSTALL_HINT)
    with TemporaryPostgres(bin_dir) as server:
        yield server


def _unavailable(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI=true: PostgreSQL tests must run)", pytrace=False)
    pytest.skip(message)


_schemas = iter(range(1, 1_000_000))


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "memory":
        s: Any = MemoryStore()
    else:
        sql = pytest.importorskip("govdisclose_sql")
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / 'gd.db'}"
        else:
            server = request.getfixturevalue("postgres")
            url = server.create_schema(f"gd_outbox_{os.getpid()}_{next(_schemas)}")
        s = sql.SqlStore(url)
    yield s
    s.close()


def _pubs(store: Any, rid: str = "R-1") -> list[tuple[str, bool]]:
    return [(p.publisher, p.live) for p in store.get_record(rid).publications]


# -- failure, then retry: exactly once ---------------------------------------------------------


def test_a_failing_channel_is_retried_and_publishes_exactly_once(store: Any) -> None:
    rec = stored(store)
    portal = Channel("portal")
    cms = Channel("cms", publish=(False, False, True))
    run = publish_via_outbox(rec, publishers=[portal, cms], now=T0, store=store)
    assert [p.publisher for p in run.published] == ["portal"]
    assert [name for name, _ in run.failed] == ["cms"]
    assert _pubs(store) == [("portal", True)]
    (entry,) = entries(store, states=[OutboxState.FAILED])
    assert entry.publisher == "cms"
    assert entry.record_version == 1
    # Not due before the backoff: nothing is attempted.
    early = retry_pending(store, [portal, cms], now=later(0.5))
    assert early.outcomes == ()
    second = retry_pending(store, [portal, cms], now=later(1))
    assert [o.result for o in second.outcomes] == ["failed"]
    third = retry_pending(store, [portal, cms], now=later(3))
    assert [o.result for o in third.outcomes] == ["done"]
    # Every later retry finds nothing to do.
    assert retry_pending(store, [portal, cms], now=later(600)).outcomes == ()
    assert (portal.publish_calls, cms.publish_calls) == (1, 3)
    assert _pubs(store) == [("portal", True), ("cms", True)]
    assert cms.live == {"R-1": 1}
    (done,) = [e for e in entries(store) if e.publisher == "cms"]
    assert done.state is OutboxState.DONE
    assert [a.ok for a in done.attempts] == [False, False, True]
    assert done.publication == store.get_record("R-1").publications[1]


def test_backoff_times_by_hand(store: Any) -> None:
    """base 10 s, cap 60 s: after the 1st failure +10 s, 2nd +20 s, 3rd +40 s, 4th +60 s (capped
    from 80), 5th +60 s; the 6th failed attempt of max_attempts=6 abandons."""
    rec = stored(store)
    cms = Channel("cms", publish=(False,))
    policy = RetryPolicy(base=timedelta(seconds=10), cap=timedelta(seconds=60), max_attempts=6)
    publish_via_outbox(rec, publishers=[cms], now=T0, store=store, policy=policy)
    now = T0
    expected_waits = [10, 20, 40, 60, 60]
    for wait in expected_waits:
        (entry,) = entries(store)
        assert entry.next_attempt_at == now + timedelta(seconds=wait)
        # One second early: not due.
        assert (
            retry_pending(
                store, [cms], now=now + timedelta(seconds=wait - 1), policy=policy
            ).outcomes
            == ()
        )
        now = now + timedelta(seconds=wait)
        run = retry_pending(store, [cms], now=now, policy=policy)
        (outcome,) = run.outcomes
    assert outcome.result == "abandoned"
    (entry,) = entries(store)
    assert entry.state is OutboxState.ABANDONED
    assert entry.next_attempt_at is None
    assert len(entry.attempts) == 6
    assert cms.publish_calls == 6
    assert "6" in (entry.note or "")
    assert [a.at for a in entry.attempts] == [
        T0 + timedelta(seconds=s) for s in (0, 10, 30, 70, 130, 190)
    ]
    # Final: never attempted again.
    assert retry_pending(store, [cms], now=later(10_000), policy=policy).outcomes == ()
    assert cms.publish_calls == 6


def test_policy_delay_and_settings() -> None:
    policy = RetryPolicy(base=timedelta(minutes=1), cap=timedelta(hours=1))
    assert [policy.delay(n).total_seconds() for n in range(1, 9)] == [
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]
    assert policy.delay(10_000) == timedelta(hours=1)
    got = RetryPolicy.from_settings(
        Settings(options={"outbox.base_seconds": "30", "outbox.max_attempts": "3"})
    )
    assert (got.base, got.cap, got.max_attempts) == (timedelta(seconds=30), timedelta(hours=1), 3)
    for option, value in (
        ("outbox.cap_seconds", "-1"),
        ("outbox.max_attempts", "2.5"),
        ("outbox.base_seconds", "inf"),
    ):
        with pytest.raises(ValidationError) as err:
            RetryPolicy.from_settings(Settings(options={option: value}))
        assert err.value.code == "outbox.bad_policy"
        assert option in (err.value.field or "")


# -- crashes ----------------------------------------------------------------------------------


def test_crash_inside_the_record_write_does_not_publish_twice(store: Any) -> None:
    """The channel published, then the store write of the record "crashed": the entry holds
    what the channel confirmed, so the retry records it without calling the channel again."""
    rec = stored(store)
    crashing = CrashingStore(store)
    cms = Channel("cms")
    crashing.crash("put_record", 1)
    run = publish_via_outbox(rec, publishers=[cms], now=T0, store=crashing)
    (outcome,) = run.outcomes
    assert outcome.result == "error"
    assert "Crash" in (outcome.message or "")
    assert outcome.entry.state is OutboxState.SENT
    assert _pubs(store) == []
    run = retry_pending(crashing, [cms], now=later(1))
    assert [o.result for o in run.outcomes] == ["done"]
    assert cms.publish_calls == 1
    assert cms.live == {"R-1": 1}
    assert _pubs(store) == [("cms", True)]
    assert retry_pending(crashing, [cms], now=later(100)).outcomes == ()
    assert _pubs(store) == [("cms", True)]


def test_crash_after_the_record_write_does_not_record_twice(store: Any) -> None:
    """The record was written, then the process died before the entry said done: the retry
    finds the publication on the record and only closes the entry."""
    rec = stored(store)
    crashing = CrashingStore(store)
    cms = Channel("cms")
    crashing.crash("put_record", 1, after=True)
    publish_via_outbox(rec, publishers=[cms], now=T0, store=crashing)
    assert _pubs(store) == [("cms", True)]
    (entry,) = entries(store)
    assert entry.state is OutboxState.SENT
    run = retry_pending(crashing, [cms], now=later(1))
    assert [o.result for o in run.outcomes] == ["done"]
    assert cms.publish_calls == 1
    assert _pubs(store) == [("cms", True)]


def test_result_lost_before_it_was_written_retries_with_the_same_key(store: Any) -> None:
    """The channel confirmed, and the write of that confirmation "crashed": nothing tells
    whether the channel acted. After the lease the entry is attempted again with the same
    idempotency key; the CMS acts once per key and the record gets one publication."""
    rec = stored(store)
    crashing = CrashingStore(store)
    cms = KeyedChannel("cms")
    # put_item calls: 1 = the entry created, 2 = the claim, 3 = "sent" (crashes).
    crashing.crash("put_item", 3)
    policy = RetryPolicy(lease=timedelta(minutes=5))
    publish_via_outbox(rec, publishers=[cms], now=T0, store=crashing, policy=policy)
    (entry,) = entries(store)
    assert entry.state is OutboxState.IN_FLIGHT
    # Within the lease another worker may still be at it: not touched.
    assert [
        o.result for o in retry_pending(crashing, [cms], now=later(4), policy=policy).outcomes
    ] == []
    run = retry_pending(crashing, [cms], now=later(5), policy=policy)
    assert [o.result for o in run.outcomes] == ["done"]
    assert cms.publish_calls == 2
    assert len(set(cms.keys)) == 1
    assert cms.keys[0] == entry.idempotency_key
    assert cms.live == {"R-1": 1}
    assert _pubs(store) == [("cms", True)]
    (entry,) = entries(store)
    assert [a.ok for a in entry.attempts] == [False, True]
    assert "interrupted" in (entry.attempts[0].reason or "")


def test_a_done_entry_is_refused_by_the_store(store: Any) -> None:
    rec = stored(store)
    publish_via_outbox(rec, publishers=[Channel("cms")], now=T0, store=store)
    (entry,) = entries(store)
    assert entry.state is OutboxState.DONE
    version = store.item_version(OutboxEntry, entry.id)
    with pytest.raises(InvalidTransition) as err:
        store.put_item(attrs.evolve(entry, state=OutboxState.PENDING), expected_version=version)
    assert err.value.code == "outbox.entry_final"
    assert store.get_item(OutboxEntry, entry.id) == entry


def test_two_workers_one_attempt(store: Any) -> None:
    """A second worker that read the entry before the first claimed it loses the claim."""
    rec = stored(store)
    cms = Channel("cms", publish=(False, True))
    publish_via_outbox(rec, publishers=[cms], now=T0, store=store)
    (stale,) = entries(store)
    run = retry_pending(store, [cms], now=later(1))
    assert [o.result for o in run.outcomes] == ["done"]
    from govdisclose.outbox import _NO_OPTIONS, _attempt

    again = _attempt(store, stale, cms, later(1), RetryPolicy(), _NO_OPTIONS, None)
    assert again.result == "skipped"
    assert cms.publish_calls == 2
    assert _pubs(store) == [("cms", True)]


# -- the guard before each retry ----------------------------------------------------------------


def test_a_record_changed_meanwhile_is_abandoned(store: Any) -> None:
    rec = stored(store)
    cms = Channel("cms", publish=(False, True))
    publish_via_outbox(rec, publishers=[cms], now=T0, store=store)
    edited = attrs.evolve(store.get_record("R-1"), title="关于R-1的通知（修订）")
    store.put_record(edited, expected_version=store.record_version("R-1"))
    run = retry_pending(store, [cms], now=later(5))
    (outcome,) = run.outcomes
    assert outcome.result == "abandoned"
    assert "version 1, now 2" in (outcome.message or "")
    assert cms.publish_calls == 1
    assert _pubs(store) == []
    assert run.abandoned == (outcome.entry,)


def test_a_record_that_may_no_longer_leave_is_abandoned_with_the_guard_reason(store: Any) -> None:
    rec = stored(store)
    cms = Channel("cms", publish=(False, True))
    publish_via_outbox(rec, publishers=[cms], now=T0, store=store)
    current = store.get_record("R-1")
    secret = AttributeDecision(
        DisclosureAttribute.NOT_DISCLOSED,
        "保密办",
        current.formed_on,
        reason=NonDisclosureReason.STATE_SECRET,
        legal_basis="条例第十四条",
    )
    store.put_record(
        attrs.evolve(current, decisions=(*current.decisions, secret)),
        expected_version=store.record_version("R-1"),
    )
    (outcome,) = retry_pending(store, [cms], now=later(5)).outcomes
    assert outcome.result == "abandoned"
    assert "GD-P001" in (outcome.message or "")
    assert cms.publish_calls == 1
    assert _pubs(store) == []


def test_blocked_or_stale_requests_queue_nothing(store: Any) -> None:
    rec = stored(store)
    with pytest.raises(PublishBlocked):
        publish_via_outbox(
            attrs.evolve(rec, decisions=()), publishers=[Channel("cms")], now=T0, store=store
        )
    assert entries(store) == []
    with pytest.raises(NotFound):
        publish_via_outbox(
            attrs.evolve(rec, id="R-9"), publishers=[Channel("cms")], now=T0, store=store
        )
    assert entries(store) == []


def test_missing_publisher_is_skipped_and_reported(store: Any) -> None:
    rec = stored(store)
    cms = Channel("cms", publish=(False, True))
    publish_via_outbox(rec, publishers=[cms], now=T0, store=store)
    (outcome,) = retry_pending(store, [], now=later(5)).outcomes
    assert outcome.result == "skipped"
    assert "cms" in (outcome.message or "")
    assert [o.result for o in retry_pending(store, [cms], now=later(5)).outcomes] == ["done"]


# -- withdrawal -------------------------------------------------------------------------------


def test_withdrawal_reaches_every_channel_and_keeps_the_register(store: Any) -> None:
    rec = stored(store)
    portal, cms = Channel("portal"), Channel("cms", withdraw=(False, True))
    gazette = Channel("gazette")
    publish_via_outbox(rec, publishers=[portal, cms, gazette], now=T0, store=store)
    assert portal.live == cms.live == gazette.live == {"R-1": 1}
    when = later(60)
    run = withdraw(store, "R-1", [portal, cms, gazette], reason="内容有误，撤回更正", now=when)
    assert sorted(run.withdrawn) == ["gazette", "portal"]
    assert [name for name, _ in run.failed] == ["cms"]
    assert _pubs(store) == [("portal", False), ("cms", True), ("gazette", False)]
    (failed,) = entries(store, states=[OutboxState.FAILED])
    assert failed.action is OutboxAction.WITHDRAW
    assert failed.publisher == "cms"
    assert failed.next_attempt_at == when + timedelta(minutes=1)
    again = retry_pending(store, [portal, cms, gazette], now=when + timedelta(minutes=1))
    assert [(o.entry.publisher, o.result) for o in again.outcomes] == [("cms", "done")]
    assert portal.live == cms.live == gazette.live == {}
    assert (portal.withdraw_calls, cms.withdraw_calls, gazette.withdraw_calls) == (1, 2, 1)
    lines = register(store)
    assert [(e.publication.publisher, e.withdrawal is not None) for e in lines] == [
        ("portal", True),
        ("cms", True),
        ("gazette", True),
    ]
    by = {e.publication.publisher: e.withdrawal for e in lines}
    assert by["portal"] is not None
    assert by["portal"].withdrawn_at == when
    assert by["cms"] is not None
    assert by["cms"].withdrawn_at == when + timedelta(minutes=1)
    assert {w.reason for w in by.values() if w is not None} == {"内容有误，撤回更正"}
    assert store.get_record("R-1").live_publications == ()
    with pytest.raises(ValidationError) as err:
        withdraw(store, "R-1", [portal, cms, gazette], reason="再撤", now=later(200))
    assert err.value.code == "outbox.not_published"


def test_withdrawal_stops_a_pending_publication(store: Any) -> None:
    rec = stored(store)
    portal, cms = Channel("portal"), Channel("cms", publish=(False, True))
    publish_via_outbox(rec, publishers=[portal, cms], now=T0, store=store)
    withdraw(store, "R-1", [portal, cms], reason="撤回", now=later(0.5))
    assert retry_pending(store, [portal, cms], now=later(100)).outcomes == ()
    assert cms.publish_calls == 1
    assert cms.live == {}
    assert portal.live == {}
    (stopped,) = [
        e for e in entries(store) if e.action is OutboxAction.PUBLISH and e.publisher == "cms"
    ]
    assert stopped.state is OutboxState.ABANDONED
    assert "撤回" in (stopped.note or "")


def test_withdrawal_reaches_a_channel_whose_publication_is_not_recorded_yet(store: Any) -> None:
    """The channel published, the record write crashed (entry "sent"): the record says
    nothing, but the page is up, so the withdrawal asks that channel too."""
    rec = stored(store)
    crashing = CrashingStore(store)
    cms = Channel("cms")
    crashing.crash("put_record", 1)
    publish_via_outbox(rec, publishers=[cms], now=T0, store=crashing)
    assert cms.live == {"R-1": 1}
    assert _pubs(store) == []
    run = withdraw(store, "R-1", [cms], reason="撤回", now=later(1))
    assert run.withdrawn == ("cms",)
    assert cms.live == {}
    assert retry_pending(store, [cms], now=later(100)).outcomes == ()
    assert _pubs(store) == []


def test_withdrawal_by_a_channel_that_cannot_is_abandoned_for_a_person(store: Any) -> None:
    class PublishOnly:
        name = "board"

        def publish(self, view: Any) -> Any:
            return Channel("board").publish(view)

    rec = stored(store)
    publish_via_outbox(rec, publishers=[PublishOnly()], now=T0, store=store)
    run = withdraw(store, "R-1", [PublishOnly()], reason="撤回", now=later(1))
    (outcome,) = run.outcomes
    assert outcome.result == "abandoned"
    assert "by hand" in (outcome.message or "")
    assert _pubs(store) == [("board", True)]


def test_plain_publish_keeps_working_and_stored_json_without_withdrawal_reads(
    store: Any,
) -> None:
    rec = stored(store)
    result = publish(rec, publishers=[Channel("portal")], now=T0, store=store)
    assert result.published[0].withdrawal is None
    from govdisclose import serde
    from govdisclose.model import Publication

    data = serde.unstructure(result.published[0])
    data.pop("withdrawal")
    assert serde.structure(data, Publication) == result.published[0]


def test_a_withdrawal_is_never_dated_before_its_publication() -> None:
    from govdisclose.model import Publication, Withdrawal
    from govdisclose.vocab import PublicationChannel

    with pytest.raises(ValidationError) as err:
        Publication(
            publisher="portal",
            channel=PublicationChannel.PORTAL,
            published_at=T0,
            withdrawal=Withdrawal(withdrawn_at=later(-1), reason="撤回"),
        )
    assert err.value.code == "validation.date_order"
    assert err.value.field == "withdrawal.withdrawn_at"


def test_each_confirmed_withdrawal_is_notified_once_per_channel(store: Any) -> None:
    from govdisclose.notifications import RecordWithdrawn

    rec = stored(store)
    portal, cms = Channel("portal"), Channel("cms", withdraw=(False, True))
    publish_via_outbox(rec, publishers=[portal, cms], now=T0, store=store)
    heard: list[Any] = []
    when = later(60)
    withdraw(store, "R-1", [portal, cms], reason="依法撤回", now=when, on_event=heard.append)
    assert [(n.publisher, n.withdrawal.withdrawn_at) for n in heard] == [("portal", when)]
    retry_pending(store, [portal, cms], now=when + timedelta(minutes=1), on_event=heard.append)
    retry_pending(store, [portal, cms], now=when + timedelta(hours=1), on_event=heard.append)
    assert all(isinstance(n, RecordWithdrawn) for n in heard)
    assert [(n.record_id, n.publisher, n.withdrawal.reason) for n in heard] == [
        ("R-1", "portal", "依法撤回"),
        ("R-1", "cms", "依法撤回"),
    ]
