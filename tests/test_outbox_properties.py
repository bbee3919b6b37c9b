"""The outbox's promise as a property: whatever the channels' failures, the crashes of the store
around each write and the retries in between, each (record, channel) is published at most
once (one `Publication` on the record, one live copy on a channel that takes the key), and
once the failures stop, every channel gets there exactly once, or every channel is withdrawn.
On the memory store and on SQLite."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from tests.outbox_support import T0, Channel, Crash, CrashingStore, KeyedChannel, stored

from govdisclose.outbox import (
    OutboxAction,
    OutboxState,
    RetryPolicy,
    entries,
    publish_via_outbox,
    retry_pending,
    withdraw,
)
from govdisclose.testing import MemoryStore

POLICY = RetryPolicy(base=timedelta(minutes=1), cap=timedelta(minutes=8), max_attempts=12)

scripts = st.lists(st.booleans(), min_size=0, max_size=3).map(lambda fails: (*fails, True))
crash = st.tuples(st.sampled_from(["put_record", "put_item"]), st.integers(1, 4), st.booleans())
op = st.one_of(
    st.tuples(st.just("retry"), st.integers(0, 20)),
    st.tuples(st.just("crash"), crash),
)


@contextmanager
def _store(kind: str) -> Iterator[Any]:
    if kind == "memory":
        s: Any = MemoryStore()
        try:
            yield s
        finally:
            s.close()
        return
    sql = pytest.importorskip("govdisclose_sql")
    with tempfile.TemporaryDirectory() as tmp:
        s = sql.SqlStore(f"sqlite:///{Path(tmp) / 'gd.db'}")
        try:
            yield s
        finally:
            s.close()


def _check_at_most_once(store: Any, channels: list[Channel]) -> None:
    record = store.get_record("R-1")
    for ch in channels:
        recorded = [p for p in record.publications if p.publisher == ch.name]
        assert len(recorded) <= 1, (ch.name, recorded)
        if isinstance(ch, KeyedChannel):
            assert ch.live.get("R-1", 0) <= 1, (ch.name, ch.live)


def _run(
    kind: str,
    publish_scripts: list[tuple[bool, ...]],
    withdraw_scripts: list[tuple[bool, ...]],
    keyed: list[bool],
    ops: list[Any],
    withdraw_at: int | None,
) -> None:
    with _store(kind) as inner:
        rec = stored(inner)
        store = CrashingStore(inner)
        channels = [
            (KeyedChannel if k else Channel)(f"ch{i}", publish=p, withdraw=w)
            for i, (p, w, k) in enumerate(
                zip(publish_scripts, withdraw_scripts, keyed, strict=True)
            )
        ]
        lost_results = 0
        publish_via_outbox(rec, publishers=channels, now=T0, store=inner, policy=POLICY)
        now = T0
        for i, (name, arg) in enumerate(ops):
            if withdraw_at == i and inner.get_record("R-1").live_publications + tuple(
                e for e in entries(inner) if e.state in (OutboxState.IN_FLIGHT, OutboxState.SENT)
            ):
                store._plans.clear()
                withdraw(inner, "R-1", channels, reason="撤回", now=now, policy=POLICY)
            if name == "crash":
                method, n, after = arg
                store.crash(method, n, after=after)
                lost_results += method == "put_item"
                continue
            now += timedelta(minutes=arg)
            with suppress(Crash):
                retry_pending(store, channels, now=now, policy=POLICY)
            _check_at_most_once(inner, channels)
        # The failures stop: drain.
        store._plans.clear()
        for _ in range(40):
            now += POLICY.lease + POLICY.cap
            retry_pending(inner, channels, now=now, policy=POLICY)
        _check_at_most_once(inner, channels)
        record = inner.get_record("R-1")
        withdrawn = any(e.action is OutboxAction.WITHDRAW for e in entries(inner))
        for ch in channels:
            mine = [e for e in entries(inner) if e.publisher == ch.name]
            assert all(e.final for e in mine), [e.describe() for e in mine]
            recorded = [p for p in record.publications if p.publisher == ch.name]
            if withdrawn:
                assert ch.live.get("R-1", 0) == 0, (ch.name, ch.live)
                assert all(not p.live for p in recorded)
            else:
                assert len(recorded) == 1, (ch.name, [e.describe() for e in mine])
                if isinstance(ch, KeyedChannel) or not lost_results:
                    assert ch.live.get("R-1", 0) == 1


@pytest.mark.parametrize(
    ("kind", "examples"), [("memory", 150), pytest.param("sqlite", 25, id="sqlite")]
)
def test_any_sequence_publishes_each_channel_at_most_once(kind: str, examples: int) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        n=st.integers(1, 3),
        data=st.data(),
        ops=st.lists(op, max_size=12),
        withdraw_at=st.one_of(st.none(), st.integers(0, 11)),
    )
    def run(n: int, data: st.DataObject, ops: list[Any], withdraw_at: int | None) -> None:
        publish_scripts = data.draw(st.lists(scripts, min_size=n, max_size=n))
        withdraw_scripts = data.draw(st.lists(scripts, min_size=n, max_size=n))
        keyed = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
        _run(kind, publish_scripts, withdraw_scripts, keyed, ops, withdraw_at)

    run()
