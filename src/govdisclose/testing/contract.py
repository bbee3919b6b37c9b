"""`StoreContract`: the pytest suite every `govdisclose.store.Store` adapter must pass.

Subclass it in your adapter's tests and provide a ``store`` fixture that yields a fresh, empty
store; every test of the contract then runs against your adapter::

    import pytest
    from govdisclose.testing.contract import StoreContract

    class TestMyStore(StoreContract):
        @pytest.fixture
        def store(self, tmp_path):
            store = MyStore(tmp_path / "gd.db")
            yield store
            store.close()

The store must be usable from several threads (the concurrency tests append from two threads at
once). This module imports pytest; `govdisclose.testing` itself does not, so that importing the
test helpers in production code costs nothing.

The expected figures of the tally tests are worked out by hand in the comments of
`tally_dataset`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, TypeVar

import pytest

from govdisclose.errors import (
    ConflictError,
    InvalidTransition,
    NotFound,
    StoreError,
    StoreIntegrityError,
)
from govdisclose.model import (
    Agency,
    Applicant,
    Application,
    AttributeDecision,
    CorrectionReceived,
    CorrectionRequested,
    DeemedWithdrawn,
    Event,
    Extended,
    FeeNotified,
    FeePaid,
    Publication,
    Received,
    Record,
    Replied,
    ReviewCase,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    Transferred,
    Withdrawn,
)
from govdisclose.store import ApplicationTally, ImportResult, PublishedEntry, Store
from govdisclose.vocab import (
    AgencyKind,
    AgencyLevel,
    ApplicantType,
    Channel,
    DisclosureAttribute,
    DisclosureScope,
    DocumentKind,
    FeeMethod,
    NonDisclosureReason,
    Outcome,
    PublicationChannel,
    ReviewCaseKind,
    ReviewResult,
    ReviewStatus,
    WithdrawalCause,
)

__all__ = [
    "EXPECTED_2021",
    "EXPECTED_2022",
    "SHANGHAI",
    "StoreContract",
    "full_history",
    "make_agency",
    "make_application",
    "make_record",
    "tally_dataset",
]

#: UTC+8 as a fixed offset: the contract must not depend on the tz database being installed.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")

_T = TypeVar("_T")

NP = ApplicantType.NATURAL_PERSON
CE = ApplicantType.COMMERCIAL_ENTERPRISE
RI = ApplicantType.RESEARCH_INSTITUTION
LSO = ApplicantType.LEGAL_SERVICE_ORG


# -- builders (public: adapter authors reuse them in their own tests) --------------------------


def make_agency(code: str = "AG1", name: str | None = None, parent: str | None = None) -> Agency:
    """A county-level department with that code."""
    return Agency(
        code=code,
        name=name or f"{code} 县政务服务数据管理局",
        level=AgencyLevel.COUNTY,
        kind=AgencyKind.DEPARTMENT,
        parent=parent,
    )


def make_record(
    record_id: str = "R1",
    agency: str = "AG1",
    *,
    published: Sequence[datetime] = (),
    title: str | None = None,
) -> Record:
    """A reviewed, proactive record with one publication per datetime in ``published``."""
    return Record(
        id=record_id,
        title=title or f"关于{record_id}的通知",
        agency=agency,
        formed_on=date(2022, 2, 14),
        kind=DocumentKind.NORMATIVE_DOCUMENT,
        index_number=f"11330000-{record_id}",
        document_number="浙政发〔2022〕3号",
        key_areas=("财政预决算", "重大建设项目"),
        decisions=(
            AttributeDecision(
                attribute=DisclosureAttribute.NOT_DISCLOSED,
                decided_by="起草科室",
                decided_on=date(2022, 2, 10),
                reason=NonDisclosureReason.PROCESS_INFORMATION,
                legal_basis="条例第十六条第二款",
            ),
            AttributeDecision(
                attribute=DisclosureAttribute.PROACTIVE,
                decided_by="办公室",
                decided_on=date(2022, 2, 14),
                scope=DisclosureScope.PARTIAL,
                withheld_note="附件三涉及个人信息",
                change_reason="定稿后复核",
            ),
        ),
        review_status=ReviewStatus.PASSED,
        reviewed_by="法制科",
        reviewed_on=date(2022, 2, 15),
        publications=tuple(
            Publication(
                publisher="portal",
                channel=PublicationChannel.PORTAL,
                published_at=at,
                url=f"https://example.gov.cn/{record_id}/{i}",
                scope=DisclosureScope.PARTIAL,
            )
            for i, at in enumerate(published)
        ),
        interpretations=("R1-解读",),
        important_policy=True,
        body="正文：第一条……",
    )


def make_application(
    app_id: str,
    events: Sequence[Event],
    *,
    agency: str = "AG1",
    applicant: ApplicantType = NP,
    channel: Channel = Channel.IN_PERSON,
) -> Application:
    """An application of one applicant type with the given history."""
    return Application(
        id=app_id,
        agency=agency,
        applicant=Applicant(
            type=applicant,
            name="张三" if applicant is NP else "某某有限公司",
            id_number="110101199003071234" if applicant is NP else None,
            phone="13800000000",
        ),
        channel=channel,
        request=f"申请公开 {app_id} 相关文件",
        events=tuple(events),
    )


def _received(day: date, **kw: Any) -> Received:
    return Received(on=day, **kw)


def _replied(day: date, outcome: Outcome = Outcome.DISCLOSED) -> Replied:
    return Replied(on=day, outcome=outcome, reasons="依法答复", legal_basis="条例第三十六条")


def full_history(app_id: str = "A-FULL", agency: str = "AG1") -> Application:
    """An application using every kind of event data: Decimal fees, consultation, extension."""
    d = date(2022, 3, 1)
    return make_application(
        app_id,
        [
            _received(d, note="窗口收件", actor="李四"),
            CorrectionRequested(
                on=d + timedelta(2), items="请明确文件名称", correct_by=date(2022, 3, 18)
            ),
            CorrectionReceived(on=d + timedelta(7)),
            ThirdPartyConsulted(on=d + timedelta(8), party="某公司", is_agency=False),
            ThirdPartyReplied(on=d + timedelta(20), party="某公司", consents=False),
            Extended(on=d + timedelta(21), days=20, reason="材料较多", approved_by="王主任"),
            FeeNotified(
                on=d + timedelta(22),
                amount=Decimal("120.50"),
                method=FeeMethod.PER_VOLUME,
                quantity=35,
                basis="国办函〔2020〕109号",
            ),
            FeePaid(on=d + timedelta(25), amount=Decimal("120.50")),
            Transferred(on=d + timedelta(26), to="档案科"),
            _replied(d + timedelta(30), Outcome.PARTIALLY_DISCLOSED),
        ],
        agency=agency,
        applicant=CE,
        channel=Channel.ONLINE,
    )


def tally_dataset() -> list[Application]:
    """Applications around the 2021/2022 boundary, with their hand-computed tallies.

    Agency AG1 (``*`` = counted for 2022):

    ====  ===  =====================  ======================  ===================================
    id    who  receipt date           closed                  2022 effect
    ====  ===  =====================  ======================  ===================================
    T01   NP   2021-12-20             2022-01-10 disclosed    carried over*, concluded*
    T02   CE   2021-06-01             2021-06-20 repeated     none (closed in 2021)
    T03   NP   2022-03-01             2022-03-20 not held     received*, concluded*
    T04   NP   2022-12-28             open                    received*, carried forward*
    T05   RI   2022-11-01             2023-01-05 disclosed    received*, carried forward*
    T06   NP   2022-05-01             2022-05-03 withdrawn    received*, concluded (other)*
    T07   LSO  letter 2021-12-30,     2022-01-20 partial      received* (art. 31: receipt is the
               confirmed 2022-01-04                           confirmation day), concluded*
    T08   NP   2022-02-01             2022-03-01 deemed       received*, concluded (no_correction)*
                                      withdrawn, no corr.
    T09   NP   2020-10-10             open (fee notified)     carried over*, carried forward*
    T10   CE   2022-12-31             2022-12-31 disclosed    received*, concluded*
    T11   NP   2021-12-31             2022-01-01 disclosed    carried over* (not closed *before*
                                                              1 Jan), concluded*
    ====  ===  =====================  ======================  ===================================

    plus T12 of agency AG2 (NP, received 2022-01-01, open), which AG1's tallies never count.
    The 2022 and 2021 figures are `EXPECTED_2022` and `EXPECTED_2021`; both satisfy
    carried over + received - concluded = carried forward, per applicant type.
    """
    d = date
    return [
        make_application("T01", [_received(d(2021, 12, 20)), _replied(d(2022, 1, 10))]),
        make_application(
            "T02",
            [_received(d(2021, 6, 1)), _replied(d(2021, 6, 20), Outcome.REPEATED)],
            applicant=CE,
        ),
        make_application(
            "T03", [_received(d(2022, 3, 1)), _replied(d(2022, 3, 20), Outcome.NOT_HELD)]
        ),
        make_application("T04", [_received(d(2022, 12, 28))]),
        make_application("T05", [_received(d(2022, 11, 1)), _replied(d(2023, 1, 5))], applicant=RI),
        make_application("T06", [_received(d(2022, 5, 1)), Withdrawn(on=d(2022, 5, 3))]),
        make_application(
            "T07",
            [
                _received(d(2021, 12, 30), confirmed_on=d(2022, 1, 4)),
                _replied(d(2022, 1, 20), Outcome.PARTIALLY_DISCLOSED),
            ],
            applicant=LSO,
            channel=Channel.ORDINARY_LETTER,
        ),
        make_application(
            "T08",
            [
                _received(d(2022, 2, 1)),
                CorrectionRequested(on=d(2022, 2, 3), items="请补充身份证明"),
                DeemedWithdrawn(on=d(2022, 3, 1), cause=WithdrawalCause.NO_CORRECTION),
            ],
        ),
        make_application(
            "T09",
            [
                _received(d(2020, 10, 10)),
                FeeNotified(
                    on=d(2020, 10, 20),
                    amount=Decimal("30.00"),
                    method=FeeMethod.PER_APPLICATION,
                    quantity=1,
                ),
            ],
        ),
        make_application(
            "T10", [_received(d(2022, 12, 31)), _replied(d(2022, 12, 31))], applicant=CE
        ),
        make_application("T11", [_received(d(2021, 12, 31)), _replied(d(2022, 1, 1))]),
        make_application("T12", [_received(d(2022, 1, 1))], agency="AG2"),
    ]


EXPECTED_2022 = ApplicationTally(
    agency="AG1",
    year=2022,
    received={NP: 4, RI: 1, LSO: 1, CE: 1},  # T03 T04 T06 T08 | T05 | T07 | T10
    carried_over={NP: 3},  # T01 T09 T11
    concluded={
        (Outcome.DISCLOSED, NP): 2,  # T01 T11
        (Outcome.NOT_HELD, NP): 1,  # T03
        (Outcome.OTHER, NP): 1,  # T06, withdrawn by the applicant: (六)3
        (Outcome.PARTIALLY_DISCLOSED, LSO): 1,  # T07
        (Outcome.NO_CORRECTION, NP): 1,  # T08, deemed withdrawn: (六)1
        (Outcome.DISCLOSED, CE): 1,  # T10
    },
    carried_forward={NP: 2, RI: 1},  # T04 T09 | T05
)

EXPECTED_2021 = ApplicationTally(
    agency="AG1",
    year=2021,
    received={NP: 2, CE: 1},  # T01 T11 | T02 (T07's receipt date is in 2022)
    carried_over={NP: 1},  # T09
    concluded={(Outcome.REPEATED, CE): 1},  # T02
    carried_forward={NP: 3},  # T01 T09 T11 = carried over into 2022
)


def _at(y: int, m: int, d: int, h: int = 10, minute: int = 0) -> datetime:
    return datetime(y, m, d, h, minute, tzinfo=SHANGHAI)


def _register_records() -> list[Record]:
    return [
        make_record("R2", published=[_at(2022, 6, 1)]),
        # 00:30 in Shanghai on 1 January is still 31 December in UTC: the register must use the
        # publication's own date, so this one is a 2023 publication.
        make_record("R1", published=[_at(2022, 3, 1), _at(2023, 1, 1, 0, 30)]),
        make_record("R3", "AG2", published=[_at(2022, 5, 5)]),
        make_record("R4"),
    ]


def _run_together(*calls: Callable[[], _T]) -> list[BaseException | _T]:
    """Run the calls in threads released at the same instant; results or raised errors."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], _T]) -> BaseException | _T:
        barrier.wait()
        try:
            return call()
        except Exception as err:
            return err

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


class StoreContract:
    """The behaviour every `Store` must show. Subclass and provide a ``store`` fixture.

    The fixture must yield a fresh, empty store (and may close it afterwards). Tests only use
    the `Store` protocol, so they double as executable documentation of it.
    """

    # -- agencies ----------------------------------------------------------------------------

    def test_store_satisfies_protocol(self, store: Store) -> None:
        """The adapter has every method of the protocol."""
        assert isinstance(store, Store)

    def test_empty_store(self, store: Store) -> None:
        """A fresh store holds nothing and every lookup says so."""
        assert store.agencies() == []
        assert list(store.records()) == []
        assert list(store.applications()) == []
        assert list(store.review_cases()) == []
        assert list(store.published()) == []
        assert store.record_version("R1") == 0
        assert store.application_tally("AG1", 2022) == ApplicationTally(agency="AG1", year=2022)

    def test_agencies_round_trip_ordered_and_replaced(self, store: Store) -> None:
        """Agencies come back equal, ordered by code; putting again replaces."""
        b, a = make_agency("B"), make_agency("A", parent="B")
        store.put_agency(b)
        store.put_agency(a)
        assert store.get_agency("A") == a
        assert store.agencies() == [a, b]
        renamed = make_agency("A", name="改名后的机关")
        store.put_agency(renamed)
        assert store.agencies() == [renamed, b]

    def test_get_agency_missing(self, store: Store) -> None:
        """An unknown agency code raises NotFound."""
        with pytest.raises(NotFound):
            store.get_agency("nope")

    # -- records -----------------------------------------------------------------------------

    def test_record_round_trip(self, store: Store) -> None:
        """Every field of a record survives storage, including publication time zones."""
        record = make_record("R1", published=[_at(2023, 1, 1, 0, 30)])
        store.put_record(record)
        got = store.get_record("R1")
        assert got == record
        stored_at = got.publications[0].published_at
        assert stored_at.utcoffset() == timedelta(hours=8)
        assert got.publications[0].published_on == date(2023, 1, 1)

    def test_record_versions(self, store: Store) -> None:
        """Versions start at 1 and grow by one per write; 0 means absent."""
        record = make_record("R1")
        assert store.record_version("R1") == 0
        assert store.put_record(record) == 1
        assert store.put_record(record, expected_version=1) == 2
        assert store.put_record(record, expected_version=None) == 3
        assert store.record_version("R1") == 3

    def test_record_create_only(self, store: Store) -> None:
        """expected_version=0 creates, and refuses an existing record."""
        assert store.put_record(make_record("R1"), expected_version=0) == 1
        with pytest.raises(ConflictError) as info:
            store.put_record(make_record("R1", title="改"), expected_version=0)
        assert (info.value.expected_version, info.value.actual_version) == (0, 1)
        assert store.get_record("R1") == make_record("R1")

    def test_record_conflict_stores_nothing(self, store: Store) -> None:
        """A stale expected version raises ConflictError and leaves the record as it was."""
        store.put_record(make_record("R1"))
        store.put_record(make_record("R1", title="第二版"), expected_version=1)
        with pytest.raises(ConflictError) as info:
            store.put_record(make_record("R1", title="过期的修改"), expected_version=1)
        assert (info.value.expected_version, info.value.actual_version) == (1, 2)
        assert store.get_record("R1").title == "第二版"
        assert store.record_version("R1") == 2

    def test_record_missing(self, store: Store) -> None:
        """An unknown record id raises NotFound."""
        with pytest.raises(NotFound):
            store.get_record("nope")

    def test_records_ordered_and_filtered(self, store: Store) -> None:
        """Records come ordered by id, optionally of one agency."""
        for rec in _register_records():
            store.put_record(rec)
        assert [r.id for r in store.records()] == ["R1", "R2", "R3", "R4"]
        assert [r.id for r in store.records(agency="AG1")] == ["R1", "R2", "R4"]
        assert [r.id for r in store.records(agency="AG2")] == ["R3"]
        assert list(store.records(agency="AG9")) == []

    def test_record_moved_to_other_agency(self, store: Store) -> None:
        """Overwriting a record with another agency moves it between agency listings."""
        store.put_record(make_record("R1", "AG1"))
        store.put_record(make_record("R1", "AG2"))
        assert list(store.records(agency="AG1")) == []
        assert [r.id for r in store.records(agency="AG2")] == ["R1"]

    # -- published register ------------------------------------------------------------------

    def test_published_register(self, store: Store) -> None:
        """The register lists each publication, ordered by record id then publication order."""
        for rec in _register_records():
            store.put_record(rec)
        r1 = store.get_record("R1")
        expected_r1 = [
            PublishedEntry(record_id="R1", agency="AG1", title=r1.title, publication=p)
            for p in r1.publications
        ]
        got = list(store.published())
        assert got[:2] == expected_r1
        assert [(e.record_id, e.publication.published_on) for e in got] == [
            ("R1", date(2022, 3, 1)),
            ("R1", date(2023, 1, 1)),
            ("R2", date(2022, 6, 1)),
            ("R3", date(2022, 5, 5)),
        ]

    def test_published_filters(self, store: Store) -> None:
        """Agency and inclusive local-date bounds filter the register."""
        for rec in _register_records():
            store.put_record(rec)

        def ids(**kw: Any) -> list[tuple[str, date]]:
            return [(e.record_id, e.publication.published_on) for e in store.published(**kw)]

        year = {"start": date(2022, 1, 1), "end": date(2022, 12, 31)}
        assert ids(agency="AG1", **year) == [("R1", date(2022, 3, 1)), ("R2", date(2022, 6, 1))]
        assert ids(agency="AG2") == [("R3", date(2022, 5, 5))]
        assert ids(start=date(2022, 6, 1)) == [("R1", date(2023, 1, 1)), ("R2", date(2022, 6, 1))]
        assert ids(end=date(2022, 3, 1)) == [("R1", date(2022, 3, 1))]
        assert ids(start=date(2022, 5, 5), end=date(2022, 5, 5)) == [("R3", date(2022, 5, 5))]
        assert ids(agency="AG9") == []

    # -- applications ------------------------------------------------------------------------

    def test_application_round_trip(self, store: Store) -> None:
        """Every event kind and field survives storage: Decimal fees, enums, dates, notes."""
        app = full_history()
        store.create_application(app)
        got = store.get_application(app.id)
        assert got == app
        assert got.version == 10
        fee = got.events[6]
        assert isinstance(fee, FeeNotified)
        assert fee.amount == Decimal("120.50")
        assert isinstance(fee.amount, Decimal)

    def test_application_without_events(self, store: Store) -> None:
        """An application can be stored before anything happened to it."""
        app = make_application("A1", [])
        store.create_application(app)
        assert store.get_application("A1") == app
        assert store.get_application("A1").version == 0

    def test_create_duplicate(self, store: Store) -> None:
        """Creating an existing id raises StoreIntegrityError and keeps the stored one."""
        first = make_application("A1", [_received(date(2022, 3, 1))])
        store.create_application(first)
        with pytest.raises(StoreIntegrityError):
            store.create_application(make_application("A1", [], applicant=CE))
        assert store.get_application("A1") == first

    def test_create_invalid_history(self, store: Store) -> None:
        """An impossible history is refused with InvalidTransition and nothing is stored."""
        bad = make_application(
            "A1", [_received(date(2022, 3, 1)), FeePaid(on=date(2022, 3, 2), amount=1)]
        )
        with pytest.raises(InvalidTransition):
            store.create_application(bad)
        with pytest.raises(NotFound):
            store.get_application("A1")
        assert list(store.applications()) == []

    def test_append_events(self, store: Store) -> None:
        """Appending returns the application as stored, with its new version."""
        store.create_application(make_application("A1", [_received(date(2022, 3, 1))]))
        events: list[Event] = [
            ThirdPartyConsulted(on=date(2022, 3, 2), party="某公司"),
            ThirdPartyReplied(on=date(2022, 3, 9), party="某公司", consents=True),
        ]
        got = store.append_events("A1", events, expected_version=1)
        assert got.version == 3
        assert got.events[1:] == tuple(events)
        assert store.get_application("A1") == got
        closed = store.append_events("A1", [_replied(date(2022, 3, 10))], expected_version=3)
        assert closed.closed_on == date(2022, 3, 10)

    def test_append_nothing(self, store: Store) -> None:
        """Appending no events at the right version changes nothing."""
        app = make_application("A1", [_received(date(2022, 3, 1))])
        store.create_application(app)
        assert store.append_events("A1", [], expected_version=1) == app
        assert store.get_application("A1") == app

    def test_append_conflict(self, store: Store) -> None:
        """A stale expected version raises ConflictError carrying both versions; nothing kept."""
        app = make_application("A1", [_received(date(2022, 3, 1))])
        store.create_application(app)
        with pytest.raises(ConflictError) as info:
            store.append_events("A1", [_replied(date(2022, 3, 2))], expected_version=0)
        assert (info.value.expected_version, info.value.actual_version) == (0, 1)
        assert store.get_application("A1") == app

    def test_append_invalid_transition_appends_nothing(self, store: Store) -> None:
        """If any event of the batch may not follow, none of the batch is stored."""
        app = make_application("A1", [_received(date(2022, 3, 1))])
        store.create_application(app)
        batch = [
            Extended(on=date(2022, 3, 20), days=20, reason="复杂", approved_by="主任"),
            Extended(on=date(2022, 3, 21), days=5, reason="再延", approved_by="主任"),
        ]
        with pytest.raises(InvalidTransition):
            store.append_events("A1", batch, expected_version=1)
        assert store.get_application("A1") == app
        store.append_events("A1", batch[:1], expected_version=1)
        assert store.get_application("A1").version == 2

    def test_append_to_missing(self, store: Store) -> None:
        """Appending to an unknown application raises NotFound."""
        with pytest.raises(NotFound):
            store.append_events("nope", [_received(date(2022, 3, 1))], expected_version=0)

    def test_concurrent_appends_one_wins(self, store: Store) -> None:
        """Two writers with the same expected version: exactly one wins, the other conflicts."""
        store.create_application(make_application("A1", [_received(date(2022, 3, 1))]))
        a = _replied(date(2022, 3, 5))
        b = Withdrawn(on=date(2022, 3, 6))
        results = _run_together(
            lambda: store.append_events("A1", [a], expected_version=1),
            lambda: store.append_events("A1", [b], expected_version=1),
        )
        wins = [r for r in results if isinstance(r, Application)]
        conflicts = [r for r in results if isinstance(r, ConflictError)]
        assert (len(wins), len(conflicts)) == (1, 1), results
        stored = store.get_application("A1")
        assert stored == wins[0]
        assert stored.version == 2
        assert stored.events[1] in (a, b)

    def test_concurrent_writers_lose_nothing(self, store: Store) -> None:
        """Writers that reload and retry on conflict each get their event in exactly once."""
        store.create_application(make_application("A1", [_received(date(2022, 3, 1))]))
        writers = 6

        def writer(i: int) -> int:
            conflicts = 0
            while True:
                version = store.get_application("A1").version
                try:
                    store.append_events(
                        "A1",
                        [Transferred(on=date(2022, 3, 2), to=f"科室{i}")],
                        expected_version=version,
                    )
                except ConflictError:
                    conflicts += 1
                    continue
                return conflicts

        results = _run_together(*(lambda i=i: writer(i) for i in range(writers)))
        assert all(isinstance(r, int) for r in results), results
        stored = store.get_application("A1")
        assert stored.version == 1 + writers
        targets = sorted(e.to for e in stored.events if isinstance(e, Transferred))
        assert targets == sorted(f"科室{i}" for i in range(writers))

    def test_concurrent_record_writes_one_wins(self, store: Store) -> None:
        """Two record writers with the same expected version: exactly one wins."""
        store.put_record(make_record("R1"))
        results = _run_together(
            lambda: store.put_record(make_record("R1", title="甲"), expected_version=1),
            lambda: store.put_record(make_record("R1", title="乙"), expected_version=1),
        )
        assert sorted(type(r).__name__ for r in results) == ["ConflictError", "int"], results
        assert store.record_version("R1") == 2
        assert store.get_record("R1").title in ("甲", "乙")

    def test_applications_ordered_filtered_open_on(self, store: Store) -> None:
        """Listing is by id; open_on keeps those received by then and not closed before."""
        for app in reversed(tally_dataset()):
            store.create_application(app)
        assert [a.id for a in store.applications()] == [f"T{i:02}" for i in range(1, 13)]
        assert [a.id for a in store.applications(agency="AG2")] == ["T12"]
        # On 2022-01-01: T01 (closed 01-10), T09 (open), T11 (closed that very day), T12
        # (received that day); T07 counts from its confirmation on 2022-01-04.
        assert [a.id for a in store.applications(open_on=date(2022, 1, 1))] == [
            "T01",
            "T09",
            "T11",
            "T12",
        ]
        assert [a.id for a in store.applications(agency="AG1", open_on=date(2022, 1, 4))] == [
            "T01",
            "T07",
            "T09",
        ]

    # -- tallies -----------------------------------------------------------------------------

    def test_tally_2022(self, store: Store) -> None:
        """The tally follows the counting rules of ApplicationTally (hand-computed dataset)."""
        store.import_bulk(applications=tally_dataset())
        assert store.application_tally("AG1", 2022) == EXPECTED_2022

    def test_tally_2021(self, store: Store) -> None:
        """The previous year's carried forward equals the next year's carried over."""
        store.import_bulk(applications=tally_dataset())
        assert store.application_tally("AG1", 2021) == EXPECTED_2021
        assert (
            store.application_tally("AG1", 2021).carried_forward
            == store.application_tally("AG1", 2022).carried_over
        )

    def test_tally_other_agency_and_empty_year(self, store: Store) -> None:
        """Another agency's applications are not counted; a year with nothing is empty."""
        for app in tally_dataset():
            store.create_application(app)
        assert store.application_tally("AG2", 2022) == ApplicationTally(
            agency="AG2", year=2022, received={NP: 1}, carried_forward={NP: 1}
        )
        assert store.application_tally("AG1", 2019) == ApplicationTally(agency="AG1", year=2019)
        assert store.application_tally("AG9", 2022) == ApplicationTally(agency="AG9", year=2022)

    def test_tally_follows_appends(self, store: Store) -> None:
        """Closing an open application moves it from carried forward to concluded."""
        for app in tally_dataset():
            store.create_application(app)
        store.append_events(
            "T04", [_replied(date(2022, 12, 30), Outcome.REPEATED)], expected_version=1
        )
        tally = store.application_tally("AG1", 2022)
        assert tally.carried_forward == {NP: 1, RI: 1}
        assert tally.concluded[Outcome.REPEATED, NP] == 1
        assert store.application_tally("AG1", 2023).carried_over == {NP: 1, RI: 1}

    # -- review cases ------------------------------------------------------------------------

    def test_review_cases(self, store: Store) -> None:
        """Cases round-trip, are replaced by id, ordered by id and filtered by agency."""
        c2 = ReviewCase(
            id="C2",
            agency="AG1",
            kind=ReviewCaseKind.RECONSIDERATION,
            filed_on=date(2022, 4, 1),
            application_id="T03",
        )
        c1 = ReviewCase(
            id="C1", agency="AG2", kind=ReviewCaseKind.LITIGATION_DIRECT, filed_on=date(2022, 5, 1)
        )
        store.put_review_case(c2)
        store.put_review_case(c1)
        assert list(store.review_cases()) == [c1, c2]
        concluded = ReviewCase(
            id="C2",
            agency="AG1",
            kind=ReviewCaseKind.RECONSIDERATION,
            filed_on=date(2022, 4, 1),
            application_id="T03",
            result=ReviewResult.CORRECTED,
            concluded_on=date(2022, 7, 1),
        )
        store.put_review_case(concluded)
        assert list(store.review_cases(agency="AG1")) == [concluded]
        assert list(store.review_cases(agency="AG9")) == []

    # -- bulk import -------------------------------------------------------------------------

    def test_import_bulk_counts(self, store: Store) -> None:
        """A bulk import stores everything and says how much."""
        apps = tally_dataset()
        result = store.import_bulk(
            agencies=[make_agency("AG1"), make_agency("AG2")],
            records=_register_records(),
            applications=iter(apps),
            review_cases=[
                ReviewCase(
                    id="C1",
                    agency="AG1",
                    kind=ReviewCaseKind.RECONSIDERATION,
                    filed_on=date(2022, 4, 1),
                )
            ],
        )
        assert result == ImportResult(
            agencies=2,
            records=4,
            applications=12,
            events=sum(len(a.events) for a in apps),
            review_cases=1,
        )
        assert [a.id for a in store.applications()] == sorted(a.id for a in apps)
        assert store.record_version("R1") == 1
        assert len(store.agencies()) == 2

    @pytest.mark.parametrize(
        "bad",
        [
            pytest.param(make_application("T01", [_received(date(2022, 1, 2))]), id="duplicate-id"),
            pytest.param(
                make_application(
                    "X1", [_received(date(2022, 1, 2)), CorrectionReceived(on=date(2022, 1, 3))]
                ),
                id="invalid-history",
            ),
        ],
    )
    def test_import_bulk_atomic(self, store: Store, bad: Application) -> None:
        """A bad application in the middle of an import leaves the store exactly as before."""
        store.put_record(make_record("R1"))
        before_apps = list(store.applications())
        apps = tally_dataset()
        apps.insert(5, bad)
        with pytest.raises((StoreIntegrityError, InvalidTransition)):
            store.import_bulk(
                agencies=[make_agency("AG1")],
                records=[make_record("R1", title="新标题"), make_record("R9")],
                applications=apps,
            )
        assert store.agencies() == []
        assert store.record_version("R1") == 1
        assert store.get_record("R1") == make_record("R1")
        assert store.record_version("R9") == 0
        assert list(store.applications()) == before_apps
        assert store.application_tally("AG1", 2022) == ApplicationTally(agency="AG1", year=2022)

    # -- transactions ------------------------------------------------------------------------

    def test_transaction_commits(self, store: Store) -> None:
        """Writes inside a transaction are all there after it."""
        with store.transaction():
            store.put_agency(make_agency("AG1"))
            store.put_record(make_record("R1"))
            store.create_application(make_application("A1", [_received(date(2022, 3, 1))]))
            store.append_events("A1", [_replied(date(2022, 3, 2))], expected_version=1)
        assert store.get_agency("AG1") == make_agency("AG1")
        assert store.record_version("R1") == 1
        assert store.get_application("A1").version == 2

    def test_transaction_rolls_back(self, store: Store) -> None:
        """If the block raises, none of its writes remain and the error propagates."""
        store.put_record(make_record("R1"))
        store.create_application(make_application("A1", [_received(date(2022, 3, 1))]))

        class Boom(Exception):
            pass

        def failing_block() -> None:
            with store.transaction():
                store.put_agency(make_agency("AG1"))
                store.put_record(make_record("R1", title="改"), expected_version=1)
                store.put_record(make_record("R2"))
                store.append_events("A1", [_replied(date(2022, 3, 2))], expected_version=1)
                store.create_application(make_application("A2", [_received(date(2022, 3, 1))]))
                store.put_review_case(
                    ReviewCase(
                        id="C1",
                        agency="AG1",
                        kind=ReviewCaseKind.RECONSIDERATION,
                        filed_on=date(2022, 4, 1),
                    )
                )
                raise Boom

        with pytest.raises(Boom):
            failing_block()
        assert store.agencies() == []
        assert store.get_record("R1") == make_record("R1")
        assert store.record_version("R1") == 1
        assert store.record_version("R2") == 0
        assert store.get_application("A1").version == 1
        assert [a.id for a in store.applications()] == ["A1"]
        assert list(store.review_cases()) == []
        assert store.application_tally("AG1", 2022).concluded == {}

    def test_transaction_rolls_back_on_store_error(self, store: Store) -> None:
        """A conflict inside a transaction undoes the writes made before it in the block."""
        store.create_application(make_application("A1", [_received(date(2022, 3, 1))]))

        def stale_write() -> None:
            with store.transaction():
                store.put_record(make_record("R1"))
                store.append_events("A1", [_replied(date(2022, 3, 2))], expected_version=7)

        with pytest.raises(ConflictError):
            stale_write()
        assert store.record_version("R1") == 0

    # -- closing -----------------------------------------------------------------------------

    def test_close(self, store: Store) -> None:
        """A closed store refuses further use with a StoreError."""
        store.put_agency(make_agency("AG1"))
        store.close()
        with pytest.raises(StoreError):
            store.get_agency("AG1")
