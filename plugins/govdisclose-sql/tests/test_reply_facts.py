"""`SqlStore.reply_facts`: the columnar fast path equals `ReplyFacts.of` over the objects of
`SqlStore.applications`, for every selection, on both backends, and after the version 3
migration derived its columns from rows stored by an older version."""

from __future__ import annotations

import importlib.util
import itertools
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import numpy as np
import pytest
import sqlalchemy as sa

import govdisclose_sql.store
from govdisclose.columns import PackedIds, ReplyFacts
from govdisclose.errors import StoreError, StoreIntegrityError
from govdisclose.model import Application, Extended, Received, ThirdPartyConsulted
from govdisclose.testing.builders import agencies_of, application, sample_applications
from govdisclose.vocab import Channel
from govdisclose_sql import SqlStore, schema
from govdisclose_sql.schema import MIGRATIONS, migrate
from govdisclose_sql.store import _application_rows

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _core_strategies() -> ModuleType | None:
    """The core's ``tests/strategies.py`` (valid histories of every event kind), when this
    plugin is tested inside the govdisclose checkout."""
    path = Path(__file__).resolve().parents[3] / "tests" / "strategies.py"
    if not path.is_file():
        return None
    name = "_govdisclose_core_strategies"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


_CORE = _core_strategies()


def _sampled(seed: int) -> list[Application]:
    return list(sample_applications(8, seed=seed))


#: Histories: the core's generator of every valid history where available, and the load-test
#: sample (consultations of agencies, extensions, fees, confirmed receipts) in any case.
_HISTORIES: st.SearchStrategy[list[Application]] = st.integers(0, 10**6).map(_sampled)
if _CORE is not None:
    _HISTORIES = _HISTORIES | st.lists(_CORE.applications(max_events=8), max_size=8)

_ids = itertools.count(1)


def _canonical(party: np.ndarray[Any, Any]) -> list[int]:
    """Party numbers up to renaming: only which events name the same party matters."""
    seen: dict[int, int] = {}
    return [-1 if p < 0 else seen.setdefault(int(p), len(seen)) for p in party.tolist()]


def assert_same_facts(got: ReplyFacts, want: ReplyFacts) -> None:
    assert got.ids == want.ids
    assert got.lens.tolist() == want.lens.tolist()
    assert got.kind.dtype == np.int8
    assert got.kind.tolist() == want.kind.tolist()
    assert got.on.tolist() == want.on.tolist()
    assert got.confirmed.reshape(-1, 2).tolist() == want.confirmed.reshape(-1, 2).tolist()
    assert got.extension_days.tolist() == want.extension_days.tolist()
    assert got.consulted_agency.tolist() == want.consulted_agency.tolist()
    assert _canonical(got.party) == _canonical(want.party)
    for i in range(len(want)):
        assert got.load(i) == want.load(i)


def _check_every_selection(store: SqlStore, agency: str, days: list[date]) -> None:
    selections: list[dict[str, Any]] = [{"agency": agency}]
    for day in days:
        selections.append({"agency": agency, "open_on": day})
        selections.append({"agency": agency, "received": (day - timedelta(days=40), day)})
        selections.append(
            {"agency": agency, "open_on": day, "received": (day - timedelta(days=400), day)}
        )
    for chosen in selections:
        received = chosen.pop("received", None)
        want_apps = list(store.applications(**chosen))
        if received is not None:
            first, last = received
            want_apps = [a for a in want_apps if a.receipt_date and first <= a.receipt_date <= last]
        assert_same_facts(store.reply_facts(**chosen, received=received), ReplyFacts.of(want_apps))


@pytest.fixture
def shared_store(url: str) -> Iterator[SqlStore]:
    store = SqlStore(url)
    yield store
    store.close()


@SETTINGS
@given(apps=_HISTORIES, picks=st.lists(st.integers(0, 40), max_size=3))
def test_reply_facts_equal_the_facts_of_the_objects(
    shared_store: SqlStore, apps: list[Application], picks: list[int]
) -> None:
    # Each example writes under an agency of its own, so one database serves them all.
    agency = f"AG{next(_ids)}"
    unique = [
        attrs.evolve(a, id=f"{agency}-{n:02d}{a.id}", agency=agency) for n, a in enumerate(apps)
    ]
    # The agencies of all of them: the second half is created one by one.
    shared_store.import_bulk(agencies=agencies_of(unique), applications=unique[: len(unique) // 2])
    for app in unique[len(unique) // 2 :]:
        shared_store.create_application(app)
    days = sorted({e.on for a in unique for e in a.events})
    chosen = [days[p % len(days)] for p in picks] if days else [date(2024, 1, 1)]
    _check_every_selection(shared_store, agency, chosen)


def test_reply_facts_of_an_empty_selection(sql_store: SqlStore) -> None:
    facts = sql_store.reply_facts(agency="nobody")
    assert len(facts) == 0
    assert facts.events == 0


def test_applications_without_events_have_a_row_of_length_zero(sql_store: SqlStore) -> None:
    apps = [application("A1"), application("A2", received=date(2024, 3, 1))]
    for agency in agencies_of(apps):
        sql_store.put_agency(agency)
    for app in apps:
        sql_store.create_application(app)
    facts = sql_store.reply_facts()
    assert facts.ids == ("A1", "A2")
    assert facts.lens.tolist() == [0, 1]
    assert_same_facts(facts, ReplyFacts.of(list(sql_store.applications())))


def test_side_facts_follow_appended_events(sql_store: SqlStore) -> None:
    app = application("A1", channel=Channel.ONLINE)
    for agency in agencies_of([app]):
        sql_store.put_agency(agency)
    sql_store.create_application(app)
    received = Received(on=date(2024, 3, 1), confirmed_on=date(2024, 3, 4))
    sql_store.append_events("A1", [received], expected_version=0)
    sql_store.append_events(
        "A1",
        [
            ThirdPartyConsulted(on=date(2024, 3, 6), party="相关机关", is_agency=True),
            Extended(on=date(2024, 3, 20), days=20, reason="调档", approved_by="主任"),
        ],
        expected_version=1,
    )
    facts = sql_store.reply_facts()
    assert facts.confirmed.tolist() == [[0, date(2024, 3, 4).toordinal()]]
    assert facts.extension_days.tolist() == [0, 0, 20]
    assert facts.consulted_agency.tolist() == [False, True, False]
    assert_same_facts(facts, ReplyFacts.of(list(sql_store.applications())))


def test_bad_received_is_a_typed_error(sql_store: SqlStore) -> None:
    with pytest.raises(StoreError) as caught:
        sql_store.reply_facts(received=date(2024, 1, 1))  # type: ignore[arg-type]
    assert caught.value.code == "store.invalid_argument"


def test_version_2_rows_get_their_reply_facts_in_the_migration(url: str) -> None:
    """Rows written by version 2 (no derived fact columns) are opened: step 3 derives them."""
    apps = list(sample_applications(300, seed=7))
    apps.append(
        application(
            "Z1", received=date(2024, 5, 6), confirmed_on=date(2024, 5, 8), channel=Channel.FAX
        )
    )
    engine = sa.create_engine(url)
    md = sa.MetaData()
    with engine.begin() as conn:
        assert migrate(conn, MIGRATIONS[:2]) == 2
        v2_apps = sa.Table("applications", md, autoload_with=conn)
        v2_events = sa.Table("events", md, autoload_with=conn)
        for app in apps:
            head, rows = _application_rows(app)
            conn.execute(v2_apps.insert().values(head[:8]))
            for row in rows:
                conn.execute(v2_events.insert().values(row[:5]))
    engine.dispose()
    store = SqlStore(url)
    try:
        assert_same_facts(store.reply_facts(), ReplyFacts.of(list(store.applications())))
    finally:
        store.close()


@pytest.mark.parametrize("block", [1, 2, 3, 7])
def test_rows_read_in_blocks_give_the_same_facts(
    sql_store: SqlStore, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    """The rows are read a block at a time: histories straddling a block boundary, an
    application without events and ids beyond ASCII read as in one block, ids packed."""
    apps = [
        *sample_applications(9, seed=4),
        application("无事件-1"),
        application("申请-Z9", received=date(2024, 3, 1), confirmed_on=date(2024, 3, 4)),
    ]
    sql_store.import_bulk(agencies=agencies_of(apps), applications=apps)
    want = ReplyFacts.of(list(sql_store.applications()))
    monkeypatch.setattr(govdisclose_sql.store, "_FACTS_BLOCK", block)
    facts = sql_store.reply_facts()
    assert isinstance(facts.ids, PackedIds)
    assert facts.ids.nbytes < sum(len(i.encode()) + 16 for i in want.ids)
    assert_same_facts(facts, want)


@pytest.mark.parametrize("block", [1, 2, 3, 4, 8192])
def test_a_gap_in_the_events_is_refused_at_any_block_boundary(
    sql_store: SqlStore, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    extended = Extended(on=date(2024, 3, 5), days=10, reason="调档", approved_by="主任")
    apps = [
        application("A1", received=date(2024, 3, 1), replied=date(2024, 3, 8)),
        application("A2", received=date(2024, 3, 1), events=[extended], replied=date(2024, 4, 1)),
    ]
    for agency in agencies_of(apps):
        sql_store.put_agency(agency)
    for app in apps:
        sql_store.create_application(app)
    engine = sa.create_engine(sql_store.url)
    with engine.begin() as conn:
        events = schema.events
        conn.execute(sa.delete(events).where(events.c.application_id == "A2", events.c.seq == 2))
    engine.dispose()
    monkeypatch.setattr(govdisclose_sql.store, "_FACTS_BLOCK", block)
    with pytest.raises(StoreIntegrityError) as caught:
        sql_store.reply_facts()
    assert caught.value.field == "events.seq"
    assert "'A2'" in caught.value.message_en


def test_the_batch_loader_reads_a_few_ids_per_statement(
    sql_store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    apps = list(sample_applications(7, seed=9))
    sql_store.import_bulk(agencies=agencies_of(apps), applications=apps)
    monkeypatch.setattr(govdisclose_sql.store, "_IDS_PER_STATEMENT", 2)
    facts = sql_store.reply_facts()
    rows = [4, 0, 6, 1, 5]
    assert facts.objects(rows) == [sql_store.get_application(facts.ids[i]) for i in rows]
