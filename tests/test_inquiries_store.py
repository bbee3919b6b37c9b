"""Inquiry cases as kept items on every store: MemoryStore, SQLite and PostgreSQL.

Contract-style: the same tests run on each store. The property: arbitrary valid histories
(drawn by `govdisclose.inquiries.random_case`), appended one event at a time, come back equal
from the store after every write, and the derived status equals an independent step-by-step
fold of the events written here.
"""

from __future__ import annotations

import itertools
import os
import random
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from govdisclose import inquiries as q
from govdisclose.errors import ConflictError, InvalidTransition, NotFound
from govdisclose.store._memory import MemoryStore
from govdisclose.testing import builders

UNITS = ("edu", "hr", "health", "police")
OFFICE = "sup"
_ids = itertools.count(1)


@pytest.fixture(scope="module")
def postgres() -> Iterator[Any]:
    pytest.importorskip("psycopg")
    from govdisclose_sql.testing import INSTALL_HINT, TemporaryPostgres, find_postgres_bin

    bin_dir = find_postgres_bin()
    if bin_dir is None:
        if os.environ.get("CI") == "true":
            pytest.fail(INSTALL_HINT)
        pytest.skip(INSTALL_HINT)
    with TemporaryPostgres(bin_dir) as server:
        yield server


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Any]:
    """A new store with the units as agencies, on each backend."""
    if request.param == "memory":
        made: Any = MemoryStore()
    else:
        pytest.importorskip("govdisclose_sql")
        from govdisclose_sql import SqlStore

        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / 'gd.db'}"
        else:
            server = request.getfixturevalue("postgres")
            url = server.create_schema(f"gd_inq_{os.getpid()}_{next(_ids)}")
        made = SqlStore(url)
    for code in (*UNITS, OFFICE):
        made.put_agency(builders.agency(code))
    yield made
    made.close()


def _reference_status(case: q.InquiryCase) -> str:
    """The status, folded here step by step without the library's lifecycle."""
    phase, holders = "new", set()
    for ev in case.events:
        if isinstance(ev, q.InquiryReceived):
            phase, holders = "open", {case.agency}
        elif isinstance(ev, q.Forwarded):
            holders = (holders - {ev.from_unit}) | {ev.to_unit}
        elif isinstance(ev, q.PassedOn):
            holders = holders | {ev.to_unit}
        elif isinstance(ev, q.Answered):
            holders = holders - {ev.unit}
        elif isinstance(ev, q.InquiryClosed):
            phase = "closed"
        elif isinstance(ev, q.Complained):
            phase = "complained"
        elif isinstance(ev, q.ComplaintAnswered):
            phase = "complaint_answered"
        if phase in ("open", "answered"):
            phase = "open" if holders else "answered"
    return phase


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32 - 1), stall=st.sampled_from([0.0, 0.5]))
def test_valid_histories_round_trip_and_fold(store: Any, seed: int, stall: float) -> None:
    """Every prefix of a valid history is stored, read back equal, and folds to the same
    status as the reference."""
    case_id = f"Q{next(_ids)}"
    # Hypothesis repeats seeds within one store: the id makes each example's query code new.
    rng = random.Random(f"{seed}/{case_id}")
    case, code = q.random_case(
        rng,
        case_id,
        rng.choice(UNITS),
        date(2026, 3, 2),
        until=date(2026, 6, 30),
        units=UNITS,
        office=OFFICE,
        stall=stall,
    )
    first = q.InquiryCase(id=case.id, agency=case.agency, events=case.events[:1])
    assert store.put_item(first, expected_version=0) == 1
    for n, event in enumerate(case.events[1:], start=2):
        got = q.record(store, case.id, [event])
        assert store.get_item(q.InquiryCase, case.id) == got
        assert store.item_version(q.InquiryCase, case.id) == n
        assert q.status(got).code == _reference_status(got)
    back = store.get_item(q.InquiryCase, case.id)
    assert back == case
    assert q.parts(back) == q.parts(case)
    assert q.find_by_code(store, code).id == case.id


def test_items_by_agency_and_conflicts(store: Any) -> None:
    """Listed per agency; a stale write is a conflict; a rewrite or an invalid history is
    refused by the kind's rule and nothing is stored."""
    rng = random.Random(7)
    a, _ = q.random_case(
        rng, "A1", "edu", date(2026, 3, 2), until=date(2026, 3, 2), units=UNITS, steps=0
    )
    b, _ = q.random_case(
        rng, "B1", "hr", date(2026, 3, 2), until=date(2026, 3, 2), units=UNITS, steps=0
    )
    store.put_item(a, expected_version=0)
    store.put_item(b, expected_version=0)
    assert [c.id for c in store.items(q.InquiryCase, agency="edu")] == ["A1"]
    assert [c.id for c in store.items(q.InquiryCase)] == ["A1", "B1"]
    answer = q.Answered(on=date(2026, 3, 3), unit="edu", answer="答")
    stale = q.apply(a, answer)
    q.record(store, "A1", [answer])
    with pytest.raises(ConflictError):
        store.put_item(q.apply(stale, q.InquiryClosed(on=date(2026, 3, 4))), expected_version=1)
    with pytest.raises(InvalidTransition):  # the history rewritten
        store.put_item(
            q.InquiryCase(id="A1", agency="edu", events=a.events[:0]), expected_version=2
        )
    bad = q.InquiryCase(id="C1", agency="edu", events=(*a.events, answer, answer))
    with pytest.raises(InvalidTransition):  # a history the lifecycle refuses
        store.put_item(bad, expected_version=0)
    assert store.item_version(q.InquiryCase, "C1") == 0
    with pytest.raises(NotFound):
        q.record(store, "missing", [answer])
    with pytest.raises(NotFound):
        store.put_item(
            q.InquiryCase(id="D1", agency="nowhere", events=a.events), expected_version=0
        )
