"""Rows are serialised once, straight from the objects (`govdisclose_sql._plain`), and still hold
exactly what serde writes; the derived columns equal the model's own answers; a bulk import in
several batches keeps its counters right and leaves nothing behind when it fails."""

from __future__ import annotations

import importlib.util
import sys
import threading
from datetime import date
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import orjson
import pytest
import sqlalchemy as sa

from govdisclose import serde
from govdisclose.columns import event_code
from govdisclose.errors import StoreIntegrityError
from govdisclose.model import (
    Application,
    Attachment,
    Extended,
    Received,
    Record,
    ThirdPartyConsulted,
    ThirdPartyReplied,
)
from govdisclose.testing.builders import agencies_of, application, sample_applications
from govdisclose_sql import SqlStore, _plain, schema as s, store as store_module
from govdisclose_sql._plain import plain, plain_head
from govdisclose_sql.store import _application_rows

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _core_strategies() -> ModuleType | None:
    path = Path(__file__).resolve().parents[3] / "tests" / "strategies.py"
    if not path.is_file():
        return None
    name = "_govdisclose_core_strategies"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_CORE = _core_strategies()
_APPS: st.SearchStrategy[Application] = st.integers(0, 10**6).map(
    lambda seed: next(sample_applications(1, seed=seed))
)
_RECORDS: st.SearchStrategy[Any] = st.nothing()
if _CORE is not None:
    _APPS = _APPS | _CORE.applications(max_events=10)
    _RECORDS = _CORE.records()


def _text(data: Any) -> bytes:
    return orjson.dumps(data)


@SETTINGS
@given(app=_APPS)
def test_plain_writes_what_serde_writes(app: Application) -> None:
    want = serde.unstructure(app)
    assert _text(plain(app)) == _text(want)
    events = want.pop("events")
    assert _text(plain_head(app)) == _text(want)
    for event, data in zip(app.events, events, strict=True):
        assert _text(plain(event)) == _text(data)


@pytest.mark.skipif(_CORE is None, reason="needs the core's tests/strategies.py")
@SETTINGS
@given(record=_RECORDS)
def test_plain_records_too(record: Record) -> None:
    assert _text(plain(record)) == _text(serde.unstructure(record))


@SETTINGS
@given(app=_APPS, iso=st.booleans(), since=st.integers(0, 3))
def test_rows_hold_serde_data_and_the_model_derived_columns(
    app: Application, iso: bool, since: int
) -> None:
    since = min(since, len(app.events))
    head, rows = _application_rows(app, since=since, iso_dates=iso)

    def day(value: date | None) -> Any:
        return value.isoformat() if iso and value is not None else value

    data = serde.unstructure(app)
    events = data.pop("events")
    outcome = app.outcome
    received = app.events[0] if app.events else None
    confirmed = (
        received.confirmed_on
        if isinstance(received, Received) and app.channel.receipt_needs_confirmation
        else None
    )
    assert head == (
        app.id,
        app.agency,
        len(app.events),
        app.applicant.type.code,
        day(app.receipt_date),
        day(app.closed_on),
        None if outcome is None else outcome.code,
        _text(data).decode(),
        day(confirmed),
    )
    assert [r[1] for r in rows] == list(range(since + 1, len(app.events) + 1))
    for row, event, item in zip(rows, app.events[since:], events[since:], strict=True):
        days = event.days if isinstance(event, Extended) else None
        party = event.party if isinstance(event, ThirdPartyConsulted | ThirdPartyReplied) else None
        agency = event.is_agency if isinstance(event, ThirdPartyConsulted) else None
        assert row == (
            app.id,
            row[1],
            event.kind,
            day(event.on),
            _text(item).decode(),
            int(event_code(event)),
            days,
            party,
            agency,
        )


def test_attachments_are_left_out_only_when_there_are_none() -> None:
    """serde leaves an event's empty ``attachments`` out; the generated functions find that by
    probing serde, and write the key when there are attachments."""
    bare = Received(on=date(2024, 1, 2))
    attached = Received(
        on=date(2024, 1, 2), attachments=(Attachment(name="申请表.pdf", size=3, sha256="a" * 64),)
    )
    for event in (bare, attached, bare):
        want = serde.unstructure(event)
        assert _text(plain(event)) == _text(want)
        assert ("attachments" in plain(event)) is ("attachments" in want)
    assert "申请表.pdf" in _text(plain(attached)).decode()


def test_a_class_whose_shape_is_not_reproduced_goes_through_serde(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """If serde writes a class in a way the generated function does not reproduce (here a
    converter that renames a key of `Received`), that class goes through serde itself; the
    others keep their generated functions."""

    def unstructure(obj: Any) -> Any:
        data = serde.unstructure(obj)
        if isinstance(obj, Received):
            data["arrived"] = data.pop("on")
        return data

    monkeypatch.setattr(_plain, "serde", SimpleNamespace(unstructure=unstructure))
    converter = _plain._Plain()
    received = Received(on=date(2024, 1, 2))
    app = application("A1", received=date(2024, 1, 2), replied=date(2024, 1, 20))
    assert converter.of(received) == unstructure(received)
    assert "arrived" in converter.of(received)
    replied = app.events[-1]
    assert _text(converter.of(replied)) == _text(serde.unstructure(replied))
    functions = converter._made[frozenset()]
    assert functions[Received] is not functions[type(replied)]
    assert functions[type(replied)].__name__ == "convert"  # generated, not serde's
    assert functions[Received].__name__ == "through_serde"


def test_first_use_from_many_threads_builds_one_function_per_class() -> None:
    converter = _plain._Plain()
    apps = list(sample_applications(40, seed=9))
    start = threading.Barrier(8)
    results: list[list[bytes]] = []

    def work() -> None:
        start.wait()
        results.append([_text(converter.of(a)) for a in apps])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    want = [_text(serde.unstructure(a)) for a in apps]
    assert len(results) == 8
    assert all(got == want for got in results)


# -- the import in several batches -------------------------------------------------------------


def _state(store: SqlStore) -> tuple[list[Any], list[Any], list[Any]]:
    with store._engine.connect() as conn:
        return (
            conn.execute(sa.select(s.applications).order_by(s.applications.c.id)).all(),
            conn.execute(
                sa.select(s.events).order_by(s.events.c.application_id, s.events.c.seq)
            ).all(),
            conn.execute(
                sa.select(s.application_counts).order_by(*s.application_counts.primary_key)
            ).all(),
        )


def test_import_in_batches_keeps_the_counters(
    sql_store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "_BATCH", 7)
    agencies = ("AG1", "AG2", "AG3")
    first = list(sample_applications(30, agencies=agencies, seed=1))
    sql_store.import_bulk(agencies=agencies_of(first), applications=first)  # into the empty store
    # Into a store that holds some: other agencies' and years' counters, and the same ones.
    more = [application(f"B{n}", agency="AG9", received=date(2023, 3, 1 + n)) for n in range(9)] + [
        Application(**{**_fields(a), "id": f"C-{a.id}"})
        for a in sample_applications(25, agencies=agencies, seed=2)
    ]
    result = sql_store.import_bulk(agencies=agencies_of(more), applications=iter(more))
    assert result.applications == len(more)
    assert result.events == sum(len(a.events) for a in more)
    for agency in (*agencies, "AG9"):
        for year in range(2019, 2026):
            assert sql_store.application_tally(agency, year) == sql_store._tally_by_group(
                agency, year
            )
    assert [a.id for a in sql_store.applications()] == sorted(a.id for a in first + more)


def _fields(app: Application) -> dict[str, Any]:
    return {
        "id": app.id,
        "agency": app.agency,
        "applicant": app.applicant,
        "channel": app.channel,
        "request": app.request,
        "events": app.events,
    }


@pytest.mark.parametrize("where", ["stored id", "duplicate in the import", "bad item"])
def test_a_failure_in_a_later_batch_leaves_the_store_as_it_was(
    sql_store: SqlStore, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    monkeypatch.setattr(store_module, "_BATCH", 4)
    stored = list(sample_applications(10, agencies=("AG1", "AG2"), seed=3))
    sql_store.import_bulk(agencies=agencies_of(stored), applications=stored)
    before = _state(sql_store)
    fresh = [
        Application(**{**_fields(a), "id": f"N-{a.id}"})
        for a in sample_applications(14, agencies=("AG1", "AG2"), seed=4)
    ]
    bad: Any = {
        "stored id": stored[5],
        "duplicate in the import": fresh[1],
        "bad item": "not an application",
    }[where]
    with pytest.raises(StoreIntegrityError) as caught:
        sql_store.import_bulk(applications=[*fresh[:11], bad, *fresh[11:]])
    assert caught.value.field is not None
    assert caught.value.field.startswith("applications[11]")
    assert _state(sql_store) == before
