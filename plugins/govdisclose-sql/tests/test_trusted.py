"""Stored rows are structured without validating them again (`govdisclose_sql._trusted`), and
still read back equal; data not in serde's shape goes through the validating path."""

from __future__ import annotations

import importlib.util
import sys
import threading
import time
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import sqlalchemy as sa

from govdisclose import serde
from govdisclose.errors import DeserializationError, ValidationError
from govdisclose.model import Application, Record
from govdisclose.testing.builders import agencies_of, application, sample_applications
from govdisclose_sql import SqlStore, schema as s
from govdisclose_sql._rows import load_stored
from govdisclose_sql._trusted import Untrusted, trusted_structure

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


def _same(got: Any, want: Any) -> None:
    assert got == want
    assert type(got) is type(want)
    # Equal and of the same shape down to the last field (Decimal("1.0") vs "1.00" included).
    assert serde.unstructure(got) == serde.unstructure(want)


@SETTINGS
@given(app=_APPS)
def test_trusted_applications_equal_the_validated_ones(app: Application) -> None:
    data = serde.unstructure(app)
    _same(trusted_structure(data, Application), serde.structure(data, Application))


@pytest.mark.skipif(_CORE is None, reason="needs the core's tests/strategies.py")
@SETTINGS
@given(record=_RECORDS)
def test_trusted_records_equal_the_validated_ones(record: Record) -> None:
    data = serde.unstructure(record)
    _same(trusted_structure(data, Record), serde.structure(data, Record))


def test_stored_applications_round_trip_equal(sql_store: SqlStore) -> None:
    apps = list(sample_applications(200, seed=3))
    sql_store.import_bulk(agencies=agencies_of(apps), applications=apps)
    for got, want in zip(sql_store.applications(), apps, strict=True):
        _same(got, want)
    _same(sql_store.get_application(apps[7].id), apps[7])


def test_data_not_in_serde_shape_is_untrusted() -> None:
    data = serde.unstructure(application("A1", received=date(2024, 1, 2)))
    for broken in (
        {**data, "extra": 1},
        {k: v for k, v in data.items() if k != "agency"},
        {**data, "channel": "carrier pigeon"},
        {**data, "events": [{"kind": "received", "on": 20240102}]},
        {**data, "events": [{"kind": "nonsense", "on": "2024-01-02"}]},
    ):
        with pytest.raises(Untrusted):
            trusted_structure(broken, Application)


def test_a_damaged_row_is_still_reported_by_field() -> None:
    data = serde.unstructure(application("A1", received=date(2024, 1, 2)))
    with pytest.raises(DeserializationError) as caught:
        load_stored("applications", "A1", {**data, "channel": "carrier pigeon"}, Application)
    assert caught.value.code == "store.corrupted_row"


def test_a_hand_edited_row_goes_through_the_validating_path(sql_store: SqlStore) -> None:
    app = application("A1", received=date(2024, 1, 2))
    for agency in agencies_of([app]):
        sql_store.put_agency(agency)
    sql_store.create_application(app)
    with sql_store._engine.begin() as conn:
        conn.execute(sa.update(s.applications).values(data='{"id": "A1"}'))
    with pytest.raises(DeserializationError) as caught:
        sql_store.get_application("A1")
    assert caught.value.code == "store.corrupted_row"


def test_model_constructors_still_validate_while_rows_are_read(sql_store: SqlStore) -> None:
    """Nothing global is switched off: other threads' constructors validate as always."""
    apps = list(sample_applications(300, seed=5))
    sql_store.import_bulk(agencies=agencies_of(apps), applications=apps)
    stop = threading.Event()
    refused: list[bool] = []

    def construct() -> None:
        while not stop.is_set():
            try:
                Application(id="", agency="", applicant=None, channel=None, request="")  # type: ignore[arg-type]
            except ValidationError:
                refused.append(True)
            else:
                refused.append(False)
            # Let the reading thread run: a loop that never waits holds the interpreter lock
            # for whole switch intervals and made this test take 16 s.
            time.sleep(0.0001)

    worker = threading.Thread(target=construct)
    worker.start()
    try:
        for _ in range(3):
            assert len(list(sql_store.applications())) == 300
    finally:
        stop.set()
        worker.join()
    assert refused
    assert all(refused)
