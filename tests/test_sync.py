"""Sync from an OA export: idempotent, append-only, all or nothing or with a reject file.

The exports are written here by hand, as an OA system would write them (labels such as 当面,
个人, 同意公开 included); every expected application is built by hand from the same facts.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from govdisclose import serde
from govdisclose.cli import EXIT_ERROR, EXIT_PROBLEMS, main
from govdisclose.errors import ValidationError
from govdisclose.lifecycle import apply_all
from govdisclose.model import (
    Agency,
    Applicant,
    Application,
    Extended,
    Publication,
    Received,
    Record,
    Replied,
)
from govdisclose.store import Store
from govdisclose.sync import read_export, rejected_bytes, sync, sync_file
from govdisclose.testing import MemoryStore
from govdisclose.vocab import (
    AgencyKind,
    AgencyLevel,
    ApplicantType,
    Channel,
    Outcome,
    PublicationChannel,
)

AGENCY = Agency(
    code="county-gov",
    name="某县人民政府办公室",
    level=AgencyLevel.COUNTY,
    kind=AgencyKind.GOVERNMENT,
)
AGENCY_LINE = {
    "type": "agency",
    "code": "county-gov",
    "name": "某县人民政府办公室",
    "level": "county",
    "kind": "government",
}


def _app(
    app_id: str, name: str, kind: ApplicantType, channel: Channel, *events: Any
) -> Application:
    base = Application(
        id=app_id,
        agency=AGENCY.code,
        applicant=Applicant(type=kind, name=name),
        channel=channel,
        request=f"{app_id} 所需信息",
    )
    return apply_all(base, events)


EXTENSION = Extended(on=date(2026, 2, 4), days=20, reason="需检索档案", approved_by="主任")
# Day 1 of the export, and day 2 with one more event for A-2 and a new application A-3.
A1 = _app(
    "A-1",
    "张三",
    ApplicantType.NATURAL_PERSON,
    Channel.IN_PERSON,
    Received(on=date(2026, 1, 5)),
    Replied(on=date(2026, 1, 20), outcome=Outcome.DISCLOSED),
)
A2_DAY1 = _app(
    "A-2",
    "某某建设有限公司",
    ApplicantType.COMMERCIAL_ENTERPRISE,
    Channel.ONLINE,
    Received(on=date(2026, 1, 9)),
    EXTENSION,
)
NOT_HELD = "经检索，本机关未制作、获取该信息"
A2_DAY2 = apply_all(
    A2_DAY1, [Replied(on=date(2026, 3, 4), outcome=Outcome.NOT_HELD, reasons=NOT_HELD)]
)
A3 = _app(
    "A-3",
    "李四",
    ApplicantType.NATURAL_PERSON,
    Channel.ORDINARY_LETTER,
    Received(on=date(2026, 3, 2)),
)


def _line(app: Application, **labels: str) -> dict[str, Any]:
    """The application as the OA writes it: serde's shape, with some values as labels."""
    data: dict[str, Any] = serde.unstructure(app)
    if "channel" in labels:
        data["channel"] = labels["channel"]
    if "applicant_type" in labels:
        data["applicant"]["type"] = labels["applicant_type"]
    if "outcome" in labels:
        for ev in data["events"]:
            if ev["kind"] == "replied":
                ev["outcome"] = labels["outcome"]
    return data


def _jsonl(*objects: dict[str, Any]) -> bytes:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects).encode("utf-8")


DAY1 = _jsonl(
    AGENCY_LINE,
    _line(A1, channel="当面", applicant_type="个人", outcome="同意公开"),
    _line(A2_DAY1, channel="网上", applicant_type="企业"),
)
DAY2 = _jsonl(
    AGENCY_LINE,
    _line(A1, channel="当面", applicant_type="个人", outcome="同意公开"),
    _line(A2_DAY2, channel="网上", applicant_type="企业", outcome="信息不存在"),
    _line(A3, channel="信函"),
)


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        made: Store = MemoryStore()
    else:
        pytest.importorskip("govdisclose_sql")
        from govdisclose.plugins import Settings, open_store

        made = open_store(Settings(store_url=f"sqlite:///{tmp_path / 'gd.db'}"))
    yield made
    made.close()


def _snapshot(store: Store) -> tuple[list[Agency], list[Application], list[Record]]:
    return store.agencies(), list(store.applications()), list(store.records())


# -- idempotent, append-only --------------------------------------------------------------------


def test_sync_creates_then_a_second_run_is_a_no_op(store: Store) -> None:
    first = sync_file(store, DAY1, format="jsonl")
    assert first.created == ("A-1", "A-2")
    assert first.agencies_written == ("county-gov",)
    assert list(store.applications()) == [A1, A2_DAY1]
    before = _snapshot(store)
    again = sync_file(store, DAY1, format="jsonl")
    assert again.created == ()
    assert again.appended == {}
    assert again.events_appended == 0
    assert again.unchanged == 2
    assert again.agencies_written == ()
    assert not again.changed
    assert _snapshot(store) == before


def test_the_next_export_appends_only_the_new_events(store: Store) -> None:
    sync_file(store, DAY1, format="jsonl")
    report = sync_file(store, DAY2, format="jsonl")
    assert report.created == ("A-3",)
    assert report.appended == {"A-2": 1}
    assert report.unchanged == 1
    assert list(store.applications()) == [A1, A2_DAY2, A3]
    # Appended, not rewritten: the stored version grew by one event.
    assert store.get_application("A-2").version == A2_DAY1.version + 1
    assert sync_file(store, DAY2, format="jsonl").events_appended == 0


# -- a changed history is refused, naming the event ------------------------------------------


def _changed_day2() -> bytes:
    """Day 2 where the OA rewrote A-2's extension (15 days instead of 20)."""
    changed = _line(A2_DAY2)
    changed["events"][1]["days"] = 15
    return _jsonl(AGENCY_LINE, _line(A1), changed, _line(A3))


def test_a_changed_history_is_refused_naming_the_first_differing_event(store: Store) -> None:
    sync_file(store, DAY1, format="jsonl")
    before = _snapshot(store)
    with pytest.raises(ValidationError) as info:
        sync_file(store, _changed_day2(), format="jsonl")
    err = info.value
    assert err.code == "sync.rejected"
    assert err.field == "events[1]"
    # The event: its index, kind, the stored and incoming versions (all from the message).
    assert "events[1]" in err.message_en
    assert "extended" in err.message_en
    assert "stored extended 2026-02-04" in err.message_en
    assert "第 3 行" in err.message_zh  # the line of A-2 in the file
    assert _snapshot(store) == before  # all or nothing: A-3 was not created either


def test_a_changed_history_in_reject_mode_rejects_only_that_application(store: Store) -> None:
    sync_file(store, DAY1, format="jsonl")
    report = sync_file(store, _changed_day2(), format="jsonl", reject=True)
    assert [(r.line, r.key, r.code, r.field) for r in report.rejected] == [
        (3, "A-2", "sync.changed_history", "events[1]")
    ]
    assert report.created == ("A-3",)
    assert store.get_application("A-2") == A2_DAY1  # its new reply was not appended


def test_dropped_events_and_changed_particulars_are_refused(store: Store) -> None:
    sync_file(store, DAY2, format="jsonl")
    shorter = _line(A2_DAY1)  # the OA lost the reply
    moved = _line(A1)
    moved["channel"] = "post"
    report = sync_file(store, _jsonl(shorter, moved), format="jsonl", reject=True)
    got = {r.key: (r.code, r.field) for r in report.rejected}
    assert got == {
        "A-2": ("sync.changed_history", "events[2]"),
        "A-1": ("sync.changed_application", "channel"),
    }
    assert "incoming （无 / none）" in report.rejected[0].message_en
    assert list(store.applications()) == [A1, A2_DAY2, A3]


# -- a bad row lands in the reject file; nothing else changes ---------------------------------

HEADER = ["id", "agency", "applicant_type", "applicant_name", "channel", "request", "kind", "on"]
HEADER += ["days", "reason", "approved_by", "outcome", "reasons"]


def _rows(bad_day: str = "2026/2/4") -> list[list[str]]:
    """A-1, A-2 and A-3 of day 2 as an OA's event rows (one per event)."""
    return [
        ["A-1", "county-gov", "个人", "张三", "当面", "A-1 所需信息", "受理", "2026-01-05",
         "", "", "", "", ""],
        ["A-1", "", "", "", "", "", "答复", "2026年1月20日", "", "", "", "同意公开", ""],
        ["A-2", "county-gov", "企业", "某某建设有限公司", "网上", "A-2 所需信息", "received",
         "2026.1.9", "", "", "", "", ""],
        ["A-2", "", "", "", "", "", "延期答复", bad_day, "20", "需检索档案", "主任", "", ""],
        ["A-2", "", "", "", "", "", "答复", "2026-03-04", "", "", "", "本机关不掌握",
         NOT_HELD],
        ["A-3", "county-gov", "自然人", "李四", "信函", "A-3 所需信息", "受理", "2026-03-02",
         "", "", "", "", ""],
    ]  # fmt: skip


def _csv(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def test_csv_rows_read_into_the_same_applications() -> None:
    fmt, columns, items = read_export(_csv(_rows()), format="csv")
    assert fmt == "csv"
    assert columns == tuple(HEADER)
    assert [i.value for i in items] == [A1, A2_DAY2, A3]
    assert [i.lines for i in items] == [(2, 3), (4, 5, 6), (7,)]


def test_a_bad_row_lands_in_the_reject_file_and_nothing_else_changes(
    store: Store, tmp_path: Path
) -> None:
    store.put_agency(AGENCY)
    export = _csv(_rows(bad_day="2026-02-31"))
    report = sync_file(store, export, format="csv", reject=True)
    # The bad row, and the other rows of its application, are rejected; A-2 is not stored.
    assert [(r.line, r.key, r.code) for r in report.rejected] == [
        (4, "A-2", "sync.bad_cell"),
        (5, "A-2", "sync.bad_cell"),
        (6, "A-2", "sync.bad_cell"),
    ]
    assert report.rejected[0].field == "5:on"
    assert "2026-02-31" in report.rejected[0].message_en
    assert list(store.applications()) == [A1, A3]
    # The reject file: the rows as read, then the reason; fixed, it syncs.
    written = rejected_bytes(report)
    assert written.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(written.decode("utf-8-sig"))))
    assert table[0] == [*HEADER, "_line", "_code", "_field", "_reason"]
    assert [row[: len(HEADER)] for row in table[1:]] == [
        [*r[:7], r[7] if r[7] != "2026-02-31" else "2026-02-31", *r[8:]]
        for r in _rows(bad_day="2026-02-31")[2:5]
    ]
    assert table[2][-4:-1] == ["5", "sync.bad_cell", "5:on"]
    fixed = written.decode("utf-8-sig").replace("2026-02-31", "2026-02-04").encode("utf-8")
    again = sync_file(store, fixed, format="csv", reject=True)
    assert again.rejected == ()
    assert again.created == ("A-2",)
    assert list(store.applications()) == [A1, A2_DAY2, A3]


def test_without_reject_one_bad_row_refuses_the_whole_file(store: Store) -> None:
    store.put_agency(AGENCY)
    before = _snapshot(store)
    with pytest.raises(ValidationError) as info:
        sync_file(store, _csv(_rows(bad_day="明天")), format="csv")
    assert info.value.code == "sync.rejected"
    assert "line 5 (A-2)" in info.value.message_en
    assert _snapshot(store) == before


def test_an_invalid_transition_is_rejected_and_rolled_back(store: Store) -> None:
    """A row the lifecycle refuses (a reply before the extension of the same day order) is
    rejected with the lifecycle's code; the application's earlier rows are not kept."""
    sync_file(store, DAY1, format="jsonl")
    twice = _line(A2_DAY2)
    twice["events"].append({"kind": "received", "on": "2026-03-05"})
    report = sync_file(store, _jsonl(twice, _line(A3)), format="jsonl", reject=True)
    assert [(r.key, r.code) for r in report.rejected] == [("A-2", "lifecycle.invalid_transition")]
    assert store.get_application("A-2") == A2_DAY1
    assert report.created == ("A-3",)


# -- agencies first ------------------------------------------------------------------------------


def test_an_application_of_an_unknown_agency_is_rejected(store: Store) -> None:
    stranger = _line(A3)
    stranger["agency"] = "nowhere"
    report = sync_file(store, _jsonl(AGENCY_LINE, _line(A1), stranger), format="jsonl", reject=True)
    assert [(r.key, r.code, r.field) for r in report.rejected] == [
        ("A-3", "store.unknown_agency", "application.agency")
    ]
    assert "nowhere" in report.rejected[0].message_en
    assert report.created == ("A-1",)


def test_agency_lines_are_stored_first_wherever_they_are() -> None:
    store = MemoryStore()
    report = sync_file(store, _jsonl(_line(A1), AGENCY_LINE), format="jsonl")
    assert report.created == ("A-1",)
    assert store.agencies() == [AGENCY]


# -- Excel ------------------------------------------------------------------------------------


def test_excel_export_reads_like_the_csv(store: Store) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    chinese = ["申请编号", "机关", "申请人类型", "申请人", "申请方式", "申请内容", "事件", "日期",
               "延长天数", "延期理由", "批准人", "答复结果", "答复理由"]  # fmt: skip
    sheet.append(chinese)
    for row in _rows():
        cells: list[Any] = list(row)
        if cells[7] == "2026/2/4":
            cells[7] = datetime(2026, 2, 4)  # a date cell
        if cells[8]:
            cells[8] = int(cells[8])
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    store.put_agency(AGENCY)
    report = sync_file(store, buffer.getvalue(), format="xlsx")
    assert report.created == ("A-1", "A-2", "A-3")
    assert list(store.applications()) == [A1, A2_DAY2, A3]


# -- records ------------------------------------------------------------------------------------

SHANGHAI = timezone(timedelta(hours=8))


def _record(*publications: Publication) -> Record:
    return Record(
        id="R-1",
        title="某县2026年财政预算",
        agency=AGENCY.code,
        formed_on=date(2026, 1, 10),
        publications=publications,
    )


PORTAL = Publication(
    publisher="县政府办",
    channel=PublicationChannel.PORTAL,
    published_at=datetime(2026, 1, 12, 9, 0, tzinfo=SHANGHAI),
)
GAZETTE = Publication(
    publisher="县政府办",
    channel=PublicationChannel.GAZETTE,
    published_at=datetime(2026, 1, 20, 9, 0, tzinfo=SHANGHAI),
)


def _record_line(record: Record) -> dict[str, Any]:
    return {"type": "record", **serde.unstructure(record)}


def test_records_sync_the_same_way(store: Store) -> None:
    first = sync_file(store, _jsonl(AGENCY_LINE, _record_line(_record(PORTAL))), format="jsonl")
    assert first.records_created == ("R-1",)
    grown = _jsonl(_record_line(_record(PORTAL, GAZETTE)))
    second = sync_file(store, grown, format="jsonl")
    assert second.records_updated == ("R-1",)
    assert store.get_record("R-1") == _record(PORTAL, GAZETTE)
    assert store.record_version("R-1") == 2
    third = sync_file(store, grown, format="jsonl")
    assert (third.records_unchanged, third.changed) == (1, False)
    rewritten = _jsonl(_record_line(_record(GAZETTE)))
    report = sync_file(store, rewritten, format="jsonl", reject=True)
    assert [(r.code, r.field) for r in report.rejected] == [
        ("sync.changed_history", "publications[0]")
    ]
    assert store.record_version("R-1") == 2


# -- objects from Python ------------------------------------------------------------------------


def test_sync_takes_model_objects(store: Store) -> None:
    report = sync(store, [A1, AGENCY, A2_DAY1])
    assert report.created == ("A-1", "A-2")
    assert sync(store, [AGENCY, A1, A2_DAY2]).appended == {"A-2": 1}


# -- the command --------------------------------------------------------------------------------


def test_cli_sync_twice_and_with_a_reject_file(tmp_path: Path) -> None:
    pytest.importorskip("govdisclose_sql")
    url = f"sqlite:///{tmp_path / 'gd.db'}"
    from govdisclose.plugins import Settings, open_store

    open_store(Settings(store_url=url)).close()  # the store must exist
    export = tmp_path / "oa.jsonl"
    export.write_bytes(DAY1)
    out = io.StringIO()
    assert main(["sync", str(export), "--store", url], out=out) == 0
    assert "2 applications created" in out.getvalue()
    out = io.StringIO()
    assert main(["sync", str(export), "--store", url], out=out) == 0
    assert "0 applications created, 0 events appended to 0, 2 unchanged" in out.getvalue()

    changed = tmp_path / "day2.jsonl"
    changed.write_bytes(_changed_day2())
    assert main(["sync", str(changed), "--store", url], out=io.StringIO()) == EXIT_ERROR
    rejects = tmp_path / "rejects.jsonl"
    out = io.StringIO()
    status = main(["sync", str(changed), "--store", url, "--reject", str(rejects)], out=out)
    assert status == EXIT_PROBLEMS
    lines = rejects.read_text("utf-8").splitlines()
    assert len(lines) == 1
    row = json.loads(lines[0])
    assert row["id"] == "A-2"
    assert row["_rejected"]["code"] == "sync.changed_history"
    assert row["_rejected"]["field"] == "events[1]"
    store = open_store(Settings(store_url=url))
    try:
        assert [a.id for a in store.applications()] == ["A-1", "A-2", "A-3"]
        assert store.get_application("A-2") == A2_DAY1
    finally:
        store.close()
