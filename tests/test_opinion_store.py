"""Public-opinion cases stored on the memory store and the SQL store (SQLite and PostgreSQL):
round trips, the append-only write rule, stale writers refused, notifications on the event
hook, and the same limits read back from every store."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest

from govdisclose._time import SHANGHAI
from govdisclose.errors import ConflictError, InvalidTransition, NotFound
from govdisclose.model import Agency
from govdisclose.notifications import OpinionEventApplied
from govdisclose.opinion import (
    OpinionCase,
    OpinionGrade,
    OpinionResponded,
    OpinionSource,
    ResponseType,
    close,
    detect,
    duties,
    generate_opinion_cases,
    overdue,
    record,
    respond,
)
from govdisclose.params import ParameterSet
from govdisclose.press import Attendee, AttendeeRole
from govdisclose.testing import MemoryStore
from govdisclose.vocab import AgencyKind, AgencyLevel

PARAMS = ParameterSet.default()


def _unavailable(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI=true: PostgreSQL tests must run)", pytrace=False)
    pytest.skip(message)


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


_schemas = iter(range(1, 1_000_000))


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Any]]:
    """Opens a store on one database; two stores on it are two clerks' sessions."""
    opened: list[Any] = []
    if request.param == "memory":
        shared = MemoryStore()

        def open_one() -> Any:
            return shared

        opened.append(shared)
    else:
        sql = pytest.importorskip("govdisclose_sql")
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / 'gd.db'}"
        else:
            server = request.getfixturevalue("postgres")
            url = server.create_schema(f"gd_opinion_{os.getpid()}_{next(_schemas)}")

        def open_one() -> Any:
            s = sql.SqlStore(url)
            opened.append(s)
            return s

    yield open_one
    for s in opened:
        s.close()


def county(store: Any) -> Any:
    store.put_agency(
        Agency("county-gov", "某县人民政府办公室", AgencyLevel.COUNTY, AgencyKind.GOVERNMENT)
    )
    for code, name in (("county-eeb", "某县生态环境局"), ("county-edu", "某县教育局")):
        store.put_agency(Agency(code, name, AgencyLevel.COUNTY, parent="county-gov"))
    return store


@pytest.fixture
def store(opener: Callable[[], Any]) -> Any:
    return county(opener())


DETECTED = datetime(2025, 10, 1, 20, 30, tzinfo=SHANGHAI)


def _detect(store: Any, **kw: Any) -> OpinionCase:
    args: dict[str, Any] = {
        "id": "YQ-1",
        "agency": "county-eeb",
        "at": DETECTED,
        "grade": OpinionGrade.MAJOR,
        "source": OpinionSource.MONITORING,
        "summary": "网传某河段大量死鱼",
        **kw,
    }
    return detect(store, **args)


def test_a_case_round_trips_with_every_event_kind(store: Any) -> None:
    heard: list[object] = []
    _detect(store, url="https://example.org/post/1", notify=heard.append)
    respond(
        store,
        "YQ-1",
        at=DETECTED + timedelta(hours=3),
        type=ResponseType.RELEASE,
        summary="发布权威信息：水质监测结果正常",
        channel="政府网站",
        record_ids=("county-eeb-2025-0101",),
        notify=heard.append,
    )
    respond(
        store,
        "YQ-1",
        at=DETECTED + timedelta(hours=20),
        type=ResponseType.PRESS_CONFERENCE,
        summary="召开新闻发布会",
        attendees=(
            Attendee("王某", AttendeeRole.PRINCIPAL_HEAD),
            Attendee("李某", AttendeeRole.SPOKESPERSON, "county-gov"),
        ),
        press_event_id="county-gov-press-1",
        notify=heard.append,
    )
    final = close(
        store, "YQ-1", at=DETECTED + timedelta(days=3), note="已处置", notify=heard.append
    )
    back = store.get_item(OpinionCase, "YQ-1")
    assert back == final
    assert store.item_version(OpinionCase, "YQ-1") == 4
    assert [type(e).__name__ for e in heard] == ["OpinionEventApplied"] * 4
    assert [e.version for e in heard if isinstance(e, OpinionEventApplied)] == [1, 2, 3, 4]
    assert [d.state(DETECTED + timedelta(days=4)).code for d in duties(back, params=PARAMS)] == [
        "met",
        "met",
    ]
    assert back.detected_at == DETECTED
    assert back.detected_at.utcoffset() == timedelta(hours=8)
    assert [c.id for c in store.items(OpinionCase, agency="county-eeb")] == ["YQ-1"]
    assert list(store.items(OpinionCase, agency="county-edu")) == []


def test_a_stale_writer_is_refused_and_nothing_is_lost(opener: Callable[[], Any]) -> None:
    a = county(opener())
    b = opener()
    _detect(a)
    version = b.item_version(OpinionCase, "YQ-1")
    stale = b.get_item(OpinionCase, "YQ-1")
    respond(a, "YQ-1", at=DETECTED + timedelta(hours=1), type=ResponseType.RELEASE, summary="发布")
    late = OpinionResponded(
        at=DETECTED + timedelta(hours=2), type=ResponseType.INTERVIEW, summary="采访"
    )
    with pytest.raises(ConflictError):
        b.put_item(attrs.evolve(stale, events=(*stale.events, late)), expected_version=version)
    assert [e.kind for e in a.get_item(OpinionCase, "YQ-1").events] == ["detected", "responded"]


def test_the_store_refuses_a_rewritten_history_and_an_impossible_one(store: Any) -> None:
    case = _detect(store)
    answered = respond(
        store, "YQ-1", at=DETECTED + timedelta(hours=1), type=ResponseType.RELEASE, summary="发布"
    )
    with pytest.raises(InvalidTransition) as info:
        store.put_item(case)  # drops the response
    assert info.value.code == "store.history_rewritten"
    early = OpinionResponded(
        at=DETECTED - timedelta(hours=1), type=ResponseType.RELEASE, summary="x"
    )
    with pytest.raises(InvalidTransition) as info:
        store.put_item(attrs.evolve(answered, events=(*answered.events, early)))
    assert info.value.code == "opinion.invalid_transition"
    assert store.get_item(OpinionCase, "YQ-1") == answered


def test_unknown_case_duplicate_id_and_unknown_agency(store: Any) -> None:
    with pytest.raises(NotFound) as info:
        record(store, "NOPE", ())
    assert info.value.field == "opinion.event.id"
    _detect(store)
    with pytest.raises(ConflictError):
        _detect(store)
    with pytest.raises(NotFound) as info:
        _detect(store, id="YQ-2", agency="county-nobody")
    assert info.value.field == "agency"


def test_synthetic_cases_store_and_give_the_same_overdue_limits_everywhere(store: Any) -> None:
    now = datetime(2025, 11, 1, 9, 0, tzinfo=SHANGHAI)
    cases = generate_opinion_cases(
        ["county-gov", "county-eeb", "county-edu"], start=now - timedelta(days=20), until=now
    )
    for c in cases:
        store.put_item(c, expected_version=0)
    back = list(store.items(OpinionCase))
    assert sorted(back, key=lambda c: c.id) == sorted(cases, key=lambda c: c.id)
    assert overdue(back, now, params=PARAMS) == overdue(cases, now, params=PARAMS)
    assert overdue(back, now, params=PARAMS)  # the generator makes some late
