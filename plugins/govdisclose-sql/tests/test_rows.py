"""Bad rows are refused with an error naming the field; big results are read page by page."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import sqlalchemy as sa

import govdisclose_sql.store
from govdisclose.errors import DeserializationError, StoreIntegrityError
from govdisclose.model import Agency, Applicant, Application, Received, Record, Replied
from govdisclose.testing.builders import agencies_of, agency, sample_applications
from govdisclose.vocab import AgencyLevel, ApplicantType, Channel, Outcome
from govdisclose_sql import SqlStore, schema as s
from govdisclose_sql._rows import dump


@pytest.fixture
def store(sql_store: SqlStore) -> SqlStore:
    return sql_store


def _application(app_id: str, *events: Received | Replied) -> Application:
    return Application(
        id=app_id,
        agency="AG1",
        applicant=Applicant(type=ApplicantType.NATURAL_PERSON, name="张三"),
        channel=Channel.IN_PERSON,
        request="请求公开某文件",
        events=events,
    )


RECEIVED = Received(on=date(2022, 3, 1))
REPLIED = Replied(on=date(2022, 3, 9), outcome=Outcome.DISCLOSED)


def _corrupt(store: SqlStore, statement: sa.Executable) -> None:
    engine = sa.create_engine(store.url)
    with engine.begin() as conn:
        conn.execute(statement)
    engine.dispose()


def test_corrupted_record_field_is_named(store: SqlStore) -> None:
    record = Record(id="R1", title="通知", agency="AG1", formed_on=date(2022, 1, 5))
    store.put_agency(agency("AG1"))
    store.put_record(record)
    data = store.get_record("R1")
    text = dump(data).replace('"2022-01-05"', '"2022-13-05"')
    _corrupt(store, sa.update(s.records).values(data=text))
    with pytest.raises(DeserializationError) as caught:
        store.get_record("R1")
    assert caught.value.field == "$.formed_on"
    assert "records" in caught.value.message_en
    assert "'R1'" in caught.value.message_en
    assert caught.value.code == "store.corrupted_row"


def test_corrupted_event_field_is_named(store: SqlStore) -> None:
    store.put_agency(agency("AG1"))
    store.create_application(_application("A1", RECEIVED, REPLIED))
    bad = '{"kind": "replied", "on": "2022-03-09", "outcome": "maybe"}'
    _corrupt(store, sa.update(s.events).where(s.events.c.seq == 2).values(data=bad))
    with pytest.raises(DeserializationError) as caught:
        store.get_application("A1")
    assert caught.value.field == "$.events[1].outcome"
    assert "applications" in caught.value.message_en


def test_event_that_is_not_json_is_named(store: SqlStore) -> None:
    store.put_agency(agency("AG1"))
    store.create_application(_application("A1", RECEIVED))
    _corrupt(store, sa.update(s.events).values(data="{not json"))
    with pytest.raises(DeserializationError) as caught:
        list(store.applications())
    assert "A1#1" in caught.value.message_en
    assert caught.value.field == "$"


def test_gap_in_event_sequence_is_refused(store: SqlStore) -> None:
    store.put_agency(agency("AG1"))
    store.create_application(_application("A1", RECEIVED, REPLIED))
    _corrupt(store, sa.delete(s.events).where(s.events.c.seq == 1))
    with pytest.raises(StoreIntegrityError) as caught:
        store.get_application("A1")
    assert caught.value.field == "events.seq"


def test_corrupted_agency_json(store: SqlStore) -> None:
    store.put_agency(Agency(code="AG1", name="某局", level=AgencyLevel.CITY))
    _corrupt(store, sa.update(s.agencies).values(data='{"code": "AG1", "name": "某局"}'))
    with pytest.raises(DeserializationError) as caught:
        store.agencies()
    assert caught.value.field == "$.level"


def test_import_duplicate_within_the_batch_names_the_item(store: SqlStore) -> None:
    apps = [_application("A1", RECEIVED), _application("A2", RECEIVED), _application("A1")]
    with pytest.raises(StoreIntegrityError) as caught:
        store.import_bulk(agencies=agencies_of(apps), applications=apps)
    assert caught.value.field == "applications[2].id"
    assert list(store.applications()) == []


def test_import_duplicate_of_a_stored_application_names_the_item(store: SqlStore) -> None:
    store.put_agency(agency("AG1"))
    store.create_application(_application("A0000003", RECEIVED))
    apps = list(sample_applications(5))
    with pytest.raises(StoreIntegrityError) as caught:
        store.import_bulk(agencies=agencies_of(apps), applications=apps)
    assert caught.value.field == "applications[2].id"
    assert [a.id for a in store.applications()] == ["A0000003"]


def test_import_wrong_type_names_the_item(store: SqlStore) -> None:
    with pytest.raises(StoreIntegrityError) as caught:
        store.import_bulk(records=["R1"])  # type: ignore[list-item]
    assert caught.value.field == "records[0]"


def test_results_are_read_page_by_page(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(govdisclose_sql.store, "_PAGE", 3)
    apps = list(sample_applications(10, agencies=("AG1", "AG2")))
    records = [
        Record(id=f"R{n:02d}", title="通知", agency="AG1", formed_on=date(2022, 1, 5))
        for n in range(7)
    ]
    store.import_bulk(agencies=agencies_of(apps, records), applications=apps, records=records)
    assert list(store.applications()) == apps
    assert [a.id for a in store.applications(agency="AG2")] == [
        a.id for a in apps if a.agency == "AG2"
    ]
    assert [r.id for r in store.records()] == [r.id for r in records]


def test_overwrites_without_expected_version_never_conflict(store: SqlStore) -> None:
    """``expected_version=None`` means "whatever is stored": racing writers all succeed and
    every write counts as a version."""
    writers, writes = 4, 10

    def overwrite(i: int) -> int:
        for n in range(writes):
            record = Record(id="R1", title=f"第{i}-{n}稿", agency="AG1", formed_on=date(2022, 1, 5))
            store.put_record(record)
        return i

    store.put_agency(agency("AG1"))
    with ThreadPoolExecutor(max_workers=writers) as pool:
        assert sorted(pool.map(overwrite, range(writers))) == list(range(writers))
    assert store.record_version("R1") == writers * writes
