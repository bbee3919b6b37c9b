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
once). This module imports pytest (install ``govdisclose[testing]``); `govdisclose.testing`
itself does not, so that importing the test helpers in production code costs nothing.

A failing test says what the adapter was expected to do and what it returned, and for model
objects which fields differ, even where pytest's assertion rewriting is off. The pytest plugin
govdisclose installs (entry point ``govdisclose`` in ``pytest11``) turns rewriting on for this
module as well, so pytest's own comparison follows the message.

The expected figures of the tally tests are worked out by hand in the comments of
`tally_dataset`. The builders `make_agency`, `make_record` and `make_application` predate
`govdisclose.testing.builders` and are kept for adapters that import them from here; new tests
read better with the builders.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
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
    Application,
    Archived,
    Attachment,
    AttributeDecision,
    CorrectionReceived,
    CorrectionRequested,
    DeemedWithdrawn,
    Event,
    Extended,
    FeeNotified,
    FeePaid,
    InternalConsulted,
    InternalReplied,
    NoticeIssued,
    Received,
    Record,
    Replied,
    ReplyApproved,
    ReplyDrafted,
    ReviewCase,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    Transferred,
    Withdrawn,
)
from govdisclose.store import ApplicationTally, ImportResult, PublishedEntry, Store
from govdisclose.testing import builders
from govdisclose.testing._assert import (
    _explain,
    _raises,
    _run_together,
    _show,
)
from govdisclose.testing._items_contract import ItemsContract
from govdisclose.testing.builders import SHANGHAI
from govdisclose.vocab import (
    ApplicantType,
    Channel,
    DisclosureAttribute,
    DisclosureScope,
    DocumentKind,
    FeeMethod,
    InternalOffice,
    NonDisclosureReason,
    NoticeKind,
    Outcome,
    ReviewCaseKind,
    ReviewResult,
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

_T = TypeVar("_T")
_E = TypeVar("_E", bound=BaseException)

NP = ApplicantType.NATURAL_PERSON
CE = ApplicantType.COMMERCIAL_ENTERPRISE
RI = ApplicantType.RESEARCH_INSTITUTION
LSO = ApplicantType.LEGAL_SERVICE_ORG


# -- builders (public: adapter authors reuse them in their own tests) --------------------------


def make_agency(code: str = "AG1", name: str | None = None, parent: str | None = None) -> Agency:
    """A county-level department with that code (`govdisclose.testing.builders.agency`)."""
    return builders.agency(code, name=name, parent=parent)


def make_record(
    record_id: str = "R1",
    agency: str = "AG1",
    *,
    published: Sequence[datetime] = (),
    title: str | None = None,
) -> Record:
    """A reviewed, proactive record with one publication per datetime in ``published``, and
    every other field filled in, so that a round trip exercises all of them."""
    return builders.record(
        record_id,
        agency=agency,
        title=title,
        published=published,
        kind=DocumentKind.NORMATIVE_DOCUMENT,
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
        reviewed_by="法制科",
        reviewed_on=date(2022, 2, 15),
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
    """An application of one applicant type with the given history
    (`govdisclose.testing.builders.application`)."""
    return builders.application(
        app_id, agency=agency, events=events, applicant=applicant, channel=channel
    )


def _received(day: date, **kw: Any) -> Received:
    return Received(on=day, **kw)


def _replied(day: date, outcome: Outcome = Outcome.DISCLOSED) -> Replied:
    # The builders' reply, so that the contract's histories are the builders' histories.
    return builders._reply(day, outcome)


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


def _ids(items: Sequence[Any]) -> list[str]:
    return [
        getattr(item, "id", None) or getattr(item, "code", None) or repr(item) for item in items
    ]


#: Selections for the columnar tests: keyword arguments and what they keep.
_FACT_SELECTIONS: list[tuple[dict[str, Any], str]] = [
    ({}, "every application, ordered by id"),
    ({"agency": "AG1"}, "the applications of AG1"),
    ({"agency": "AG2"}, "the applications of AG2"),
    ({"agency": "NONE"}, "nothing for an agency without applications"),
    ({"open_on": date(2022, 1, 1)}, "those open on 2022-01-01, as applications(open_on=)"),
    ({"agency": "AG1", "open_on": date(2022, 1, 4)}, "those of AG1 open on 2022-01-04"),
    (
        {"received": (date(2022, 1, 1), date(2022, 3, 1))},
        "those whose receipt date (a confirmation day where the channel needs one) lies in "
        "2022-01-01..2022-03-01, both included",
    ),
    (
        {"agency": "AG1", "open_on": date(2022, 6, 1), "received": (date(2022, 1, 4), date.max)},
        "those of AG1 open on 2022-06-01 and received from 2022-01-04 on",
    ),
]


def _selected(store: Store, kw: Mapping[str, Any]) -> list[Application]:
    """What the default `reply_facts` reads: `applications`, then the receipt window."""
    apps = list(store.applications(agency=kw.get("agency"), open_on=kw.get("open_on")))
    window = kw.get("received")
    if window is None:
        return apps
    first, last = window
    return [a for a in apps if a.receipt_date is not None and first <= a.receipt_date <= last]


class _RollBack(Exception):
    """Raised to roll a transaction back."""


def _consulting() -> list[Application]:
    """Histories with consultations of agencies and third parties, extensions and fees."""
    d = date(2022, 4, 1)
    return [
        make_application(
            "C01",
            [
                _received(d),
                ThirdPartyConsulted(on=d + timedelta(3), party="甲公司", is_agency=False),
                ThirdPartyConsulted(on=d + timedelta(4), party="乙局", is_agency=True),
                ThirdPartyReplied(on=d + timedelta(9), party="乙局", consents=True),
                Extended(on=d + timedelta(20), days=15, reason="材料较多", approved_by="王主任"),
            ],
        ),
        make_application(
            "C02",
            [
                _received(d + timedelta(1)),
                ThirdPartyConsulted(on=d + timedelta(5), party="乙局", is_agency=True),
                ThirdPartyConsulted(on=d + timedelta(6), party="丙公司", is_agency=False),
                ThirdPartyReplied(on=d + timedelta(8), party="丙公司", consents=False),
            ],
            agency="AG2",
        ),
    ]


def _same_parties(a: Any, b: Any) -> bool:
    """Whether two party columns say the same: -1 at the same places, and equal numbers
    exactly where the other has equal numbers (the numbering itself is the store's)."""
    if len(a) != len(b):
        return False
    pairs = set(zip(a.tolist(), b.tolist(), strict=True))
    firsts = {x for x, _ in pairs}
    seconds = {y for _, y in pairs}
    return len(pairs) == len(firsts) == len(seconds) and all(
        (x == -1) == (y == -1) for x, y in pairs
    )


def _assert_same_facts(store: Store, got: Any, kw: Mapping[str, Any], rule: str) -> None:
    import numpy as np

    from govdisclose.columns import ReplyFacts

    apps = _selected(store, kw)
    expected = ReplyFacts.of(apps)
    call = "reply_facts(" + ", ".join(f"{k}={v!r}" for k, v in kw.items()) + ")"
    assert isinstance(got, ReplyFacts), f"{call} must return a ReplyFacts, got {got!r}"
    assert list(got.ids) == list(expected.ids), (
        f"{call} must list {rule}: {list(expected.ids)}, got {list(got.ids)}"
    )
    for name in ("lens", "kind", "on", "extension_days", "consulted_agency"):
        want, have = getattr(expected, name), getattr(got, name)
        assert np.array_equal(want, have), (
            f"{call}.{name} must equal what ReplyFacts.of(applications) gives: "
            f"{want.tolist()}, got {have.tolist()}"
        )

    def rows(confirmed: Any) -> list[list[int]]:
        return sorted(confirmed.tolist())

    assert rows(got.confirmed) == rows(expected.confirmed), (
        f"{call}.confirmed must hold (row, confirmation day) where the channel makes the "
        f"confirmation the receipt date: {rows(expected.confirmed)}, got {rows(got.confirmed)}"
    )
    assert _same_parties(expected.party, got.party), (
        f"{call}.party must number the same parties alike (-1 off consultations): "
        f"{expected.party.tolist()}, got {got.party.tolist()}"
    )
    for i, app_id in enumerate(got.ids):
        stored = store.get_application(app_id)
        loaded = got.load(i)
        assert loaded == stored, _explain(f"{call}.load({i})", stored, loaded)


class StoreContract(ItemsContract):
    """The behaviour every `Store` must show. Subclass and provide a ``store`` fixture.

    The fixture must yield a fresh, empty store (and may close it afterwards). Tests only use
    the `Store` protocol, so they double as executable documentation of it.
    """

    # -- agencies ----------------------------------------------------------------------------

    def test_store_satisfies_protocol(self, store: Store) -> None:
        """The adapter has every method of the protocol."""
        missing = [
            name
            for name in dir(Store)
            if not name.startswith("_") and not callable(getattr(store, name, None))
        ]
        assert isinstance(store, Store), (
            f"{type(store).__name__} is not a govdisclose.store.Store: it lacks {missing}"
        )

    def test_empty_store(self, store: Store) -> None:
        """A fresh store holds nothing and every lookup says so."""
        fresh = "a fresh store (the fixture must yield an empty one)"
        assert store.agencies() == [], f"agencies() of {fresh} must be []"
        assert list(store.records()) == [], f"records() of {fresh} must be empty"
        assert list(store.applications()) == [], f"applications() of {fresh} must be empty"
        assert list(store.review_cases()) == [], f"review_cases() of {fresh} must be empty"
        assert list(store.published()) == [], f"published() of {fresh} must be empty"
        assert store.record_version("R1") == 0, (
            "record_version of an unknown record must be 0 (0 means absent)"
        )
        empty = ApplicationTally(agency="AG1", year=2022)
        got = store.application_tally("AG1", 2022)
        assert got == empty, _explain(
            f"application_tally of {fresh} must count nothing", empty, got
        )

    def test_agencies_round_trip_ordered_and_replaced(self, store: Store) -> None:
        """Agencies come back equal, ordered by code; putting again replaces."""
        b, a = make_agency("B"), make_agency("A", parent="B")
        store.put_agency(b)
        store.put_agency(a)
        got = store.get_agency("A")
        assert got == a, _explain("get_agency('A') must return the agency as put", a, got)
        listed = store.agencies()
        assert listed == [a, b], _explain(
            "agencies() must list every agency by code", [a, b], listed
        )
        renamed = make_agency("A", name="改名后的机关")
        store.put_agency(renamed)
        listed = store.agencies()
        assert listed == [renamed, b], _explain(
            "put_agency with a stored code must replace that agency", [renamed, b], listed
        )

    def test_get_agency_missing(self, store: Store) -> None:
        """An unknown agency code raises NotFound."""
        with _raises(NotFound, "get_agency('nope') of an unknown code"):
            store.get_agency("nope")

    # -- records -----------------------------------------------------------------------------

    def test_record_round_trip(self, store: Store) -> None:
        """Every field of a record survives storage, including publication time zones."""
        self._agencies(store, "AG1", "AG2")
        record = make_record("R1", published=[_at(2023, 1, 1, 0, 30)])
        store.put_record(record)
        got = store.get_record("R1")
        assert got == record, _explain(
            "get_record('R1') must return the record as put", record, got
        )
        put_at = record.publications[0].published_at
        stored_at = got.publications[0].published_at
        assert stored_at.utcoffset() == timedelta(hours=8), (
            "get_record must keep each publication's own UTC offset: published_at "
            f"{put_at.isoformat()} came back as {stored_at.isoformat()} (the same instant, but "
            "the register dates a publication in its own timezone, so its day would move from "
            f"{put_at.date()} to {stored_at.date()})"
        )
        assert got.publications[0].published_on == date(2023, 1, 1), (
            "a publication at 00:30 on 1 January in Shanghai must be published_on 2023-01-01, "
            f"got {got.publications[0].published_on}"
        )

    def test_record_versions(self, store: Store) -> None:
        """Versions start at 1 and grow by one per write; 0 means absent."""
        self._agencies(store, "AG1", "AG2")
        record = make_record("R1")
        assert store.record_version("R1") == 0, "record_version of an absent record must be 0"
        steps = [
            ("the first put_record(R1)", None, 1),
            ("put_record(R1, expected_version=1)", 1, 2),
            ("put_record(R1, expected_version=None)", None, 3),
        ]
        for doing, expected_version, version in steps:
            if expected_version is None and version == 1:
                got = store.put_record(record)
            else:
                got = store.put_record(record, expected_version=expected_version)
            assert got == version, (
                f"{doing} must return the new version {version} (versions start at 1 and grow "
                f"by one per write), returned {got!r}"
            )
        got = store.record_version("R1")
        assert got == 3, f"record_version after three writes must be 3, returned {got!r}"

    def test_record_create_only(self, store: Store) -> None:
        """expected_version=0 creates, and refuses an existing record."""
        self._agencies(store, "AG1", "AG2")
        got = store.put_record(make_record("R1"), expected_version=0)
        assert got == 1, (
            f"put_record(expected_version=0) of a new record must create it at version 1, "
            f"returned {got!r}"
        )
        with _raises(
            ConflictError, "put_record(R1, expected_version=0) of an existing record"
        ) as info:
            store.put_record(make_record("R1", title="改"), expected_version=0)
        versions = (info.value.expected_version, info.value.actual_version)
        assert versions == (0, 1), (
            f"the ConflictError must carry (expected_version, actual_version) = (0, 1), "
            f"carried {versions}"
        )
        got_record = store.get_record("R1")
        assert got_record == make_record("R1"), _explain(
            "a refused put_record must leave the stored record as it was",
            make_record("R1"),
            got_record,
        )

    def test_record_conflict_stores_nothing(self, store: Store) -> None:
        """A stale expected version raises ConflictError and leaves the record as it was."""
        self._agencies(store, "AG1", "AG2")
        store.put_record(make_record("R1"))
        store.put_record(make_record("R1", title="第二版"), expected_version=1)
        with _raises(
            ConflictError, "put_record(R1, expected_version=1) of a record at version 2"
        ) as info:
            store.put_record(make_record("R1", title="过期的修改"), expected_version=1)
        versions = (info.value.expected_version, info.value.actual_version)
        assert versions == (1, 2), (
            f"the ConflictError must carry (expected_version, actual_version) = (1, 2), "
            f"carried {versions}"
        )
        title = store.get_record("R1").title
        assert title == "第二版", (
            f"a refused put_record must store nothing: the title is {title!r}, not '第二版'"
        )
        version = store.record_version("R1")
        assert version == 2, f"a refused put_record must not move the version 2, got {version}"

    def test_record_missing(self, store: Store) -> None:
        """An unknown record id raises NotFound."""
        with _raises(NotFound, "get_record('nope') of an unknown id"):
            store.get_record("nope")

    def test_records_ordered_and_filtered(self, store: Store) -> None:
        """Records come ordered by id, optionally of one agency."""
        self._agencies(store, "AG1", "AG2")
        for rec in _register_records():
            store.put_record(rec)
        for agency, expected in [
            (None, ["R1", "R2", "R3", "R4"]),
            ("AG1", ["R1", "R2", "R4"]),
            ("AG2", ["R3"]),
            ("AG9", []),
        ]:
            got = _ids(list(store.records(agency=agency)))
            assert got == expected, (
                f"records(agency={agency!r}) must list the ids {expected} (ordered by id, of "
                f"that agency only), listed {got}"
            )

    def test_record_moved_to_other_agency(self, store: Store) -> None:
        """Overwriting a record with another agency moves it between agency listings."""
        self._agencies(store, "AG1", "AG2")
        store.put_record(make_record("R1", "AG1"))
        store.put_record(make_record("R1", "AG2"))
        old = _ids(list(store.records(agency="AG1")))
        assert old == [], f"a record moved to AG2 must leave records(agency='AG1'), listed {old}"
        new = _ids(list(store.records(agency="AG2")))
        assert new == ["R1"], f"a record moved to AG2 must be in records(agency='AG2'), got {new}"

    # -- published register ------------------------------------------------------------------

    def test_published_register(self, store: Store) -> None:
        """The register lists each publication, ordered by record id then publication order."""
        self._agencies(store, "AG1", "AG2")
        for rec in _register_records():
            store.put_record(rec)
        r1 = store.get_record("R1")
        expected_r1 = [
            PublishedEntry(record_id="R1", agency="AG1", title=r1.title, publication=p)
            for p in r1.publications
        ]
        got = list(store.published())
        assert got[:2] == expected_r1, _explain(
            "published() must start with R1's two publications, as stored", expected_r1, got[:2]
        )
        expected = [
            ("R1", date(2022, 3, 1)),
            ("R1", date(2023, 1, 1)),
            ("R2", date(2022, 6, 1)),
            ("R3", date(2022, 5, 5)),
        ]
        listed = [(e.record_id, e.publication.published_on) for e in got]
        assert listed == expected, _explain(
            "published() must list (record id, day) ordered by record id then publication order, "
            "each dated in its own timezone (R1's second one is 2023-01-01 in Shanghai)",
            expected,
            listed,
        )

    def test_published_filters(self, store: Store) -> None:
        """Agency and inclusive local-date bounds filter the register."""
        self._agencies(store, "AG1", "AG2")
        for rec in _register_records():
            store.put_record(rec)

        year = {"start": date(2022, 1, 1), "end": date(2022, 12, 31)}
        cases: list[tuple[dict[str, Any], list[tuple[str, date]]]] = [
            ({"agency": "AG1", **year}, [("R1", date(2022, 3, 1)), ("R2", date(2022, 6, 1))]),
            ({"agency": "AG2"}, [("R3", date(2022, 5, 5))]),
            ({"start": date(2022, 6, 1)}, [("R1", date(2023, 1, 1)), ("R2", date(2022, 6, 1))]),
            ({"end": date(2022, 3, 1)}, [("R1", date(2022, 3, 1))]),
            ({"start": date(2022, 5, 5), "end": date(2022, 5, 5)}, [("R3", date(2022, 5, 5))]),
            ({"agency": "AG9"}, []),
        ]
        for kw, expected in cases:
            got = [(e.record_id, e.publication.published_on) for e in store.published(**kw)]
            call = ", ".join(f"{k}={v!r}" for k, v in kw.items())
            assert got == expected, _explain(
                f"published({call}) must list the publications of that agency published on "
                "start <= day <= end (bounds inclusive, days in the publication's own timezone)",
                expected,
                got,
            )

    # -- applications ------------------------------------------------------------------------

    def test_application_round_trip(self, store: Store) -> None:
        """Every event kind and field survives storage: Decimal fees, enums, dates, notes."""
        self._agencies(store, "AG1", "AG2")
        app = full_history()
        store.create_application(app)
        got = store.get_application(app.id)
        assert got == app, _explain(
            "get_application must return the application with every event as created", app, got
        )
        assert got.version == 10, (
            f"an application's version is its number of events (10), got {got.version}"
        )
        fee = got.events[6]
        assert isinstance(fee, FeeNotified), f"event 7 must come back a FeeNotified, got {fee!r}"
        assert fee.amount == Decimal("120.50"), f"the fee must be 120.50, got {fee.amount!r}"
        assert isinstance(fee.amount, Decimal), (
            f"amounts must come back as Decimal (money is never a float), got "
            f"{type(fee.amount).__name__} {fee.amount!r}"
        )

    def test_application_without_events(self, store: Store) -> None:
        """An application can be stored before anything happened to it."""
        self._agencies(store, "AG1", "AG2")
        app = make_application("A1", [])
        store.create_application(app)
        got = store.get_application("A1")
        assert got == app, _explain(
            "an application created with no events must come back as created", app, got
        )
        assert got.version == 0, f"an application with no events is at version 0, got {got.version}"

    def test_create_duplicate(self, store: Store) -> None:
        """Creating an existing id raises StoreIntegrityError and keeps the stored one."""
        self._agencies(store, "AG1", "AG2")
        first = make_application("A1", [_received(date(2022, 3, 1))])
        store.create_application(first)
        with _raises(StoreIntegrityError, "create_application of an id already stored"):
            store.create_application(make_application("A1", [], applicant=CE))
        got = store.get_application("A1")
        assert got == first, _explain(
            "a refused create_application must keep the stored application", first, got
        )

    def test_create_invalid_history(self, store: Store) -> None:
        """An impossible history is refused with InvalidTransition and nothing is stored."""
        self._agencies(store, "AG1", "AG2")
        bad = make_application(
            "A1", [_received(date(2022, 3, 1)), FeePaid(on=date(2022, 3, 2), amount=1)]
        )
        with _raises(
            InvalidTransition,
            "create_application of a history the lifecycle refuses (a fee paid, never notified)",
        ):
            store.create_application(bad)
        with _raises(NotFound, "get_application of an application refused at creation"):
            store.get_application("A1")
        left = _ids(list(store.applications()))
        assert left == [], f"a refused create_application must store nothing, stored {left}"

    def test_append_events(self, store: Store) -> None:
        """Appending returns the application as stored, with its new version."""
        self._agencies(store, "AG1", "AG2")
        store.create_application(make_application("A1", [_received(date(2022, 3, 1))]))
        events: list[Event] = [
            ThirdPartyConsulted(on=date(2022, 3, 2), party="某公司"),
            ThirdPartyReplied(on=date(2022, 3, 9), party="某公司", consents=True),
        ]
        got = store.append_events("A1", events, expected_version=1)
        assert got.version == 3, (
            f"append_events of 2 events at version 1 must return version 3, got {got.version}"
        )
        assert got.events[1:] == tuple(events), _explain(
            "append_events must return the appended events after the stored ones",
            tuple(events),
            got.events[1:],
        )
        stored = store.get_application("A1")
        assert stored == got, _explain(
            "get_application after append_events must return what append_events returned",
            got,
            stored,
        )
        closed = store.append_events("A1", [_replied(date(2022, 3, 10))], expected_version=3)
        assert closed.closed_on == date(2022, 3, 10), (
            f"an application whose last event is a reply is closed on its day, got "
            f"closed_on={closed.closed_on}"
        )

    def test_append_nothing(self, store: Store) -> None:
        """Appending no events at the right version changes nothing."""
        self._agencies(store, "AG1", "AG2")
        app = make_application("A1", [_received(date(2022, 3, 1))])
        store.create_application(app)
        got = store.append_events("A1", [], expected_version=1)
        assert got == app, _explain(
            "append_events of no events must return the application", app, got
        )
        stored = store.get_application("A1")
        assert stored == app, _explain(
            "append_events of no events must change nothing", app, stored
        )

    def test_append_conflict(self, store: Store) -> None:
        """A stale expected version raises ConflictError carrying both versions; nothing kept."""
        self._agencies(store, "AG1", "AG2")
        app = make_application("A1", [_received(date(2022, 3, 1))])
        store.create_application(app)
        with _raises(
            ConflictError, "append_events(A1, expected_version=0) of an application at version 1"
        ) as info:
            store.append_events("A1", [_replied(date(2022, 3, 2))], expected_version=0)
        versions = (info.value.expected_version, info.value.actual_version)
        assert versions == (0, 1), (
            f"the ConflictError must carry (expected_version, actual_version) = (0, 1), "
            f"carried {versions}"
        )
        stored = store.get_application("A1")
        assert stored == app, _explain("a refused append_events must append nothing", app, stored)

    def test_append_invalid_transition_appends_nothing(self, store: Store) -> None:
        """If any event of the batch may not follow, none of the batch is stored."""
        self._agencies(store, "AG1", "AG2")
        app = make_application("A1", [_received(date(2022, 3, 1))])
        store.create_application(app)
        batch = [
            Extended(on=date(2022, 3, 20), days=20, reason="复杂", approved_by="主任"),
            Extended(on=date(2022, 3, 21), days=5, reason="再延", approved_by="主任"),
        ]
        with _raises(
            InvalidTransition,
            "append_events of a batch whose 2nd event (a 2nd extension) may not follow",
        ):
            store.append_events("A1", batch, expected_version=1)
        stored = store.get_application("A1")
        assert stored == app, _explain(
            "append_events of a batch with one invalid event must append none of the batch",
            app,
            stored,
        )
        store.append_events("A1", batch[:1], expected_version=1)
        version = store.get_application("A1").version
        assert version == 2, (
            f"the valid first event alone must then append (version 2), got {version}"
        )

    def test_desk_events_round_trip_and_archive_is_final(self, store: Store) -> None:
        """The desk's steps (internal consultation, the draft and its approvals, letters with
        attachments, the archiving) are stored like any event; after 归档 nothing appends."""
        self._agencies(store, "AG1", "AG2")
        d = date(2022, 3, 1)
        app = make_application("A-DESK", [_received(d)])
        store.create_application(app)
        scan = Attachment(
            name="答复告知书.pdf", size=2048, sha256="ab" * 32, media_type="application/pdf"
        )
        steps: list[Event] = [
            InternalConsulted(
                on=d + timedelta(2), office=InternalOffice.SECRECY, subject="保密审查"
            ),
            InternalReplied(on=d + timedelta(3), office=InternalOffice.SECRECY, opinion="同意"),
            ReplyDrafted(
                on=d + timedelta(4),
                outcome=Outcome.NOT_HELD,
                reasons="经检索，本机关未制作该信息",
                actor="经办人",
            ),
            ReplyApproved(on=d + timedelta(5), step="审核", actor="科长"),
            ReplyApproved(on=d + timedelta(6), step="签发", actor="分管领导"),
            _replied(d + timedelta(6), Outcome.NOT_HELD),
            NoticeIssued(
                on=d + timedelta(6),
                notice=NoticeKind.REPLY,
                number="某政信公〔2022〕1号",
                sha256="cd" * 32,
                attachments=(scan,),
            ),
            Archived(on=d + timedelta(30), archive_number="2022-依申请-001"),
        ]
        store.append_events("A-DESK", steps, expected_version=1)
        got = store.get_application("A-DESK")
        expected = Application(
            id=app.id,
            agency=app.agency,
            applicant=app.applicant,
            channel=app.channel,
            request=app.request,
            events=(*app.events, *steps),
        )
        assert got == expected, _explain(
            "get_application must return the desk events as appended", expected, got
        )
        with _raises(InvalidTransition, "append_events after the case was archived (归档)"):
            store.append_events(
                "A-DESK",
                [NoticeIssued(on=d + timedelta(31), notice=NoticeKind.REPLY)],
                expected_version=got.version,
            )
        assert store.get_application("A-DESK") == got, "a refused append must store nothing"

    def test_append_to_missing(self, store: Store) -> None:
        """Appending to an unknown application raises NotFound."""
        self._agencies(store, "AG1", "AG2")
        with _raises(NotFound, "append_events('nope') of an unknown application"):
            store.append_events("nope", [_received(date(2022, 3, 1))], expected_version=0)

    def test_concurrent_appends_one_wins(self, store: Store) -> None:
        """Two writers with the same expected version: exactly one wins, the other conflicts."""
        self._agencies(store, "AG1", "AG2")
        store.create_application(make_application("A1", [_received(date(2022, 3, 1))]))
        a = _replied(date(2022, 3, 5))
        b = Withdrawn(on=date(2022, 3, 6))
        results = _run_together(
            lambda: store.append_events("A1", [a], expected_version=1),
            lambda: store.append_events("A1", [b], expected_version=1),
        )
        wins = [r for r in results if isinstance(r, Application)]
        conflicts = [r for r in results if isinstance(r, ConflictError)]
        got = ", ".join(_show(r) for r in results)
        assert (len(wins), len(conflicts)) == (1, 1), (
            "of two threads calling append_events(A1, expected_version=1) at once, exactly one "
            f"must win and the other get ConflictError; they got {got}"
        )
        stored = store.get_application("A1")
        assert stored == wins[0], _explain(
            "the stored application must be the winner's", wins[0], stored
        )
        assert stored.version == 2, f"one event won: version 2 expected, got {stored.version}"
        assert stored.events[1] in (a, b), (
            f"the second event must be one of the two, got {stored.events[1]!r}"
        )

    def test_concurrent_writers_lose_nothing(self, store: Store) -> None:
        """Writers that reload and retry on conflict each get their event in exactly once."""
        self._agencies(store, "AG1", "AG2")
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
        errors = [r for r in results if not isinstance(r, int)]
        assert not errors, (
            f"{writers} threads that reload and retry on ConflictError must all succeed; "
            f"some raised {', '.join(_show(e) for e in errors)}"
        )
        stored = store.get_application("A1")
        assert stored.version == 1 + writers, (
            f"each of {writers} writers appends one event: version {1 + writers} expected, got "
            f"{stored.version} (an event was lost or stored twice)"
        )
        targets = sorted(e.to for e in stored.events if isinstance(e, Transferred))
        expected = sorted(f"科室{i}" for i in range(writers))
        assert targets == expected, _explain(
            "every writer's event must be stored exactly once", expected, targets
        )

    def test_concurrent_record_writes_one_wins(self, store: Store) -> None:
        """Two record writers with the same expected version: exactly one wins."""
        self._agencies(store, "AG1", "AG2")
        store.put_record(make_record("R1"))
        results = _run_together(
            lambda: store.put_record(make_record("R1", title="甲"), expected_version=1),
            lambda: store.put_record(make_record("R1", title="乙"), expected_version=1),
        )
        kinds = sorted(type(r).__name__ for r in results)
        assert kinds == ["ConflictError", "int"], (
            "of two threads calling put_record(R1, expected_version=1) at once, exactly one must "
            f"win (returning the new version) and the other get ConflictError; they got "
            f"{', '.join(_show(r) for r in results)}"
        )
        version = store.record_version("R1")
        assert version == 2, f"one write won: version 2 expected, got {version}"
        title = store.get_record("R1").title
        assert title in ("甲", "乙"), f"the stored title must be the winner's, got {title!r}"

    def test_applications_ordered_filtered_open_on(self, store: Store) -> None:
        """Listing is by id; open_on keeps those received by then and not closed before."""
        self._agencies(store, "AG1", "AG2")
        for app in reversed(tally_dataset()):
            store.create_application(app)
        # On 2022-01-01: T01 (closed 01-10), T09 (open), T11 (closed that very day), T12
        # (received that day); T07 counts from its confirmation on 2022-01-04.
        cases: list[tuple[dict[str, Any], list[str], str]] = [
            ({}, [f"T{i:02}" for i in range(1, 13)], "every application, ordered by id"),
            ({"agency": "AG2"}, ["T12"], "the applications of that agency only"),
            (
                {"open_on": date(2022, 1, 1)},
                ["T01", "T09", "T11", "T12"],
                "those received on or before that day (the receipt date, a confirmation day "
                "where the channel needs one) and not closed before it",
            ),
            (
                {"agency": "AG1", "open_on": date(2022, 1, 4)},
                ["T01", "T07", "T09"],
                "those of AG1 open on that day (T07 counts from its confirmation on 2022-01-04)",
            ),
        ]
        for kw, expected, rule in cases:
            got = _ids(list(store.applications(**kw)))
            call = ", ".join(f"{k}={v!r}" for k, v in kw.items())
            assert got == expected, (
                f"applications({call}) must list {rule}: {expected}, listed {got}"
            )

    # -- the columnar path (govdisclose.store.reply_facts, ColumnarStore) -------------------

    def test_reply_facts_selection(self, store: Store) -> None:
        """`govdisclose.store.reply_facts` selects as `applications` does, and by receipt date
        with ``received=(first, last)`` (inclusive), rows ordered by id; on every store."""
        self._agencies(store, "AG1", "AG2")
        pytest.importorskip("numpy")
        from govdisclose.store import reply_facts

        for app in reversed(tally_dataset()):
            store.create_application(app)
        for kw, rule in _FACT_SELECTIONS:
            expected = _ids(_selected(store, kw))
            got = list(reply_facts(store, **kw).ids)
            call = ", ".join(f"{k}={v!r}" for k, v in kw.items())
            assert got == expected, f"reply_facts({call}) must list {rule}: {expected}, got {got}"

    def test_reply_facts_equal_the_default(self, store: Store) -> None:
        """A store implementing `ColumnarStore` gives, for every selection, exactly the facts
        the default builds from `applications` (`ReplyFacts.of`): ids, every column, the
        confirmation rows, parties that are the same party, and ``load(i)`` equal to
        `get_application` of row ``i``; also after writes."""
        self._agencies(store, "AG1", "AG2")
        pytest.importorskip("numpy")
        from govdisclose.store import ColumnarStore

        if not isinstance(store, ColumnarStore):
            pytest.skip("the store does not implement ColumnarStore (it gets the default)")
        apps = [*tally_dataset(), full_history("A-FULL", "AG2"), *_consulting()]
        for app in reversed(apps):
            store.create_application(app)
        for kw, rule in _FACT_SELECTIONS:
            _assert_same_facts(store, store.reply_facts(**kw), kw, rule)
        # Writes must show: an append, a new application, a rolled-back transaction.
        store.append_events(
            "T04",
            [ThirdPartyConsulted(on=date(2023, 1, 3), party="乙局", is_agency=True)],
            expected_version=1,
        )
        store.create_application(
            make_application("T20", [_received(date(2022, 6, 1))], agency="AG2")
        )
        try:
            with store.transaction():
                store.append_events("T20", [_replied(date(2022, 6, 2))], expected_version=1)
                _assert_same_facts(store, store.reply_facts(), {}, "inside a transaction")
                raise _RollBack
        except _RollBack:
            pass
        for kw, rule in _FACT_SELECTIONS:
            _assert_same_facts(store, store.reply_facts(**kw), kw, f"{rule}, after writes")

    # -- tallies -----------------------------------------------------------------------------

    def test_tally_2022(self, store: Store) -> None:
        """The tally follows the counting rules of ApplicationTally (hand-computed dataset)."""
        self._agencies(store, "AG1", "AG2")
        store.import_bulk(applications=tally_dataset())
        got = store.application_tally("AG1", 2022)
        assert got == EXPECTED_2022, _explain(
            "application_tally('AG1', 2022) of tally_dataset() must give EXPECTED_2022 (the "
            "counting rules are in ApplicationTally's docstring, the figures worked out in "
            "tally_dataset's)",
            EXPECTED_2022,
            got,
        )

    def test_tally_2021(self, store: Store) -> None:
        """The previous year's carried forward equals the next year's carried over."""
        self._agencies(store, "AG1", "AG2")
        store.import_bulk(applications=tally_dataset())
        got = store.application_tally("AG1", 2021)
        assert got == EXPECTED_2021, _explain(
            "application_tally('AG1', 2021) of tally_dataset() must give EXPECTED_2021",
            EXPECTED_2021,
            got,
        )
        forward = store.application_tally("AG1", 2021).carried_forward
        over = store.application_tally("AG1", 2022).carried_over
        assert forward == over, _explain(
            "2021's carried_forward must equal 2022's carried_over", forward, over
        )

    def test_tally_other_agency_and_empty_year(self, store: Store) -> None:
        """Another agency's applications are not counted; a year with nothing is empty."""
        self._agencies(store, "AG1", "AG2")
        for app in tally_dataset():
            store.create_application(app)
        cases = [
            (
                ("AG2", 2022),
                ApplicationTally(
                    agency="AG2", year=2022, received={NP: 1}, carried_forward={NP: 1}
                ),
                "must count AG2's application only",
            ),
            (("AG1", 2019), ApplicationTally(agency="AG1", year=2019), "must be empty"),
            (("AG9", 2022), ApplicationTally(agency="AG9", year=2022), "must be empty"),
        ]
        for (agency, year), expected, rule in cases:
            got = store.application_tally(agency, year)
            assert got == expected, _explain(
                f"application_tally({agency!r}, {year}) {rule}", expected, got
            )

    def test_tally_follows_appends(self, store: Store) -> None:
        """Closing an open application moves it from carried forward to concluded."""
        self._agencies(store, "AG1", "AG2")
        for app in tally_dataset():
            store.create_application(app)
        store.append_events(
            "T04", [_replied(date(2022, 12, 30), Outcome.REPEATED)], expected_version=1
        )
        tally = store.application_tally("AG1", 2022)
        assert tally.carried_forward == {NP: 1, RI: 1}, _explain(
            "after T04 is replied on 2022-12-30, 2022's carried_forward must no longer count it",
            {NP: 1, RI: 1},
            tally.carried_forward,
        )
        concluded = tally.concluded.get((Outcome.REPEATED, NP), 0)
        assert concluded == 1, (
            f"after T04 is replied (repeated) in 2022, concluded[(Outcome.REPEATED, "
            f"ApplicantType.NATURAL_PERSON)] must be 1, got {concluded}"
        )
        over = store.application_tally("AG1", 2023).carried_over
        assert over == {NP: 1, RI: 1}, _explain(
            "2023's carried_over must follow the append too", {NP: 1, RI: 1}, over
        )

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
        got = list(store.review_cases())
        assert got == [c1, c2], _explain("review_cases() must list the cases by id", [c1, c2], got)
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
        got = list(store.review_cases(agency="AG1"))
        assert got == [concluded], _explain(
            "put_review_case with a stored id must replace the case; review_cases(agency='AG1') "
            "lists AG1's only",
            [concluded],
            got,
        )
        other = list(store.review_cases(agency="AG9"))
        assert other == [], f"review_cases(agency='AG9') must be empty, listed {_ids(other)}"

    # -- agencies first ----------------------------------------------------------------------

    def test_application_of_an_unknown_agency_is_refused(self, store: Store) -> None:
        """An application whose agency is not stored is NotFound (store.unknown_agency),
        naming the agency, and nothing is stored; once the agency is stored it is accepted."""
        app = make_application("A1", [_received(date(2022, 3, 1))], agency="AG7")
        with _raises(NotFound, "create_application of an application of an unknown agency") as e:
            store.create_application(app)
        got = (e.value.code, e.value.field)
        assert got == ("store.unknown_agency", "application.agency"), (
            "the NotFound must carry the code store.unknown_agency and the field "
            f"application.agency, carried {got}"
        )
        assert "AG7" in e.value.message_zh, f"the message must name the agency AG7: {e.value}"
        assert "AG7" in e.value.message_en, f"the message must name the agency AG7: {e.value}"
        left = _ids(list(store.applications()))
        assert left == [], f"a refused create_application must store nothing, stored {left}"
        tally = store.application_tally("AG7", 2022)
        assert tally == ApplicationTally(agency="AG7", year=2022), (
            f"a refused create_application must count nothing, counted {tally}"
        )
        store.put_agency(make_agency("AG7"))
        store.create_application(app)
        got_app = store.get_application("A1")
        assert got_app == app, _explain(
            "after put_agency(AG7) the same application must be accepted", app, got_app
        )

    def test_record_of_an_unknown_agency_is_refused(self, store: Store) -> None:
        """A record whose agency is not stored, or moved to one, is refused and nothing is
        stored."""
        with _raises(NotFound, "put_record of a record of an unknown agency") as e:
            store.put_record(make_record("R1", "AG7"))
        got = (e.value.code, e.value.field)
        assert got == ("store.unknown_agency", "record.agency"), (
            "the NotFound must carry the code store.unknown_agency and the field "
            f"record.agency, carried {got}"
        )
        assert "AG7" in e.value.message_en, f"the message must name the agency AG7: {e.value}"
        assert store.record_version("R1") == 0, "a refused put_record must store nothing"
        self._agencies(store, "AG1")
        store.put_record(make_record("R1", "AG1"))
        with _raises(NotFound, "put_record moving a record to an unknown agency"):
            store.put_record(make_record("R1", "AG7"))
        kept = store.get_record("R1")
        assert kept == make_record("R1", "AG1"), _explain(
            "a record refused for its new agency must stay as stored", make_record("R1"), kept
        )
        assert store.record_version("R1") == 1, "a refused put_record must not move the version"

    def test_import_bulk_of_a_record_of_an_unknown_agency(self, store: Store) -> None:
        """A bulk import's records and applications may belong to the agencies it imports;
        a record of any other agency refuses the whole import."""
        with _raises(NotFound, "import_bulk of a record whose agency is not stored") as e:
            store.import_bulk(
                agencies=[make_agency("AG1")],
                records=[make_record("R1", "AG1"), make_record("R2", "AG7")],
                applications=[make_application("A1", [_received(date(2022, 3, 1))])],
            )
        got = (e.value.code, e.value.field)
        assert got == ("store.unknown_agency", "records[1].agency"), (
            "the NotFound must carry the code store.unknown_agency and the field "
            f"records[1].agency, carried {got}"
        )
        nothing = "a failed import_bulk must leave the store exactly as before"
        assert store.agencies() == [], f"{nothing}: it stored agencies {store.agencies()}"
        assert store.record_version("R1") == 0, f"{nothing}: it stored R1"

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
        expected = ImportResult(
            agencies=2,
            records=4,
            applications=12,
            events=sum(len(a.events) for a in apps),
            review_cases=1,
        )
        assert result == expected, _explain(
            "import_bulk must return the counts of what it stored", expected, result
        )
        stored = _ids(list(store.applications()))
        assert stored == sorted(a.id for a in apps), (
            f"import_bulk must store every application (from an iterator too), stored {stored}"
        )
        version = store.record_version("R1")
        assert version == 1, f"a record imported once is at version 1, got {version}"
        count = len(store.agencies())
        assert count == 2, f"import_bulk must store both agencies, stored {count}"

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
            pytest.param(
                make_application("X2", [_received(date(2022, 1, 2))], agency="AG7"),
                id="unknown-agency",
            ),
        ],
    )
    def test_import_bulk_atomic(self, store: Store, bad: Application) -> None:
        """A bad application in the middle of an import leaves the store exactly as before."""
        self._agencies(store, "AG1")
        store.put_record(make_record("R1"))
        before_apps = list(store.applications())
        apps = tally_dataset()
        apps.insert(5, bad)
        with _raises(
            (StoreIntegrityError, InvalidTransition, NotFound),
            f"import_bulk with a bad application ({bad.id}) among its items",
        ) as info:
            store.import_bulk(
                agencies=[make_agency("AG1", name="改名后的机关"), make_agency("AG2")],
                records=[make_record("R1", title="新标题"), make_record("R9")],
                applications=apps,
            )
        if bad.agency == "AG7":
            assert (info.value.code, info.value.field) == (
                "store.unknown_agency",
                "applications[5].agency",
            ), (
                "an imported application of an agency neither stored nor imported must be "
                "refused with the code store.unknown_agency and the field "
                f"applications[5].agency, got {info.value.code!r} {info.value.field!r}"
            )
        nothing = "a failed import_bulk must leave the store exactly as before"
        assert store.agencies() == [make_agency("AG1")], (
            f"{nothing}: it stored or replaced agencies {store.agencies()}"
        )
        assert store.record_version("R1") == 1, (
            f"{nothing}: R1 moved to version {store.record_version('R1')}"
        )
        r1 = store.get_record("R1")
        assert r1 == make_record("R1"), _explain(f"{nothing}: R1 changed", make_record("R1"), r1)
        assert store.record_version("R9") == 0, f"{nothing}: it stored R9"
        after_apps = list(store.applications())
        assert after_apps == before_apps, f"{nothing}: it stored applications {_ids(after_apps)}"
        tally = store.application_tally("AG1", 2022)
        empty = ApplicationTally(agency="AG1", year=2022)
        assert tally == empty, _explain(f"{nothing}: the tally counts something", empty, tally)

    # -- transactions ------------------------------------------------------------------------

    def test_transaction_commits(self, store: Store) -> None:
        """Writes inside a transaction are all there after it."""
        with store.transaction():
            store.put_agency(make_agency("AG1"))
            store.put_record(make_record("R1"))
            store.create_application(make_application("A1", [_received(date(2022, 3, 1))]))
            store.append_events("A1", [_replied(date(2022, 3, 2))], expected_version=1)
        kept = "every write of a transaction block that ends normally must be kept"
        got = store.get_agency("AG1")
        assert got == make_agency("AG1"), _explain(f"{kept} (put_agency)", make_agency("AG1"), got)
        assert store.record_version("R1") == 1, f"{kept} (put_record): R1 is not at version 1"
        version = store.get_application("A1").version
        assert version == 2, f"{kept} (append_events): A1 is at version {version}, not 2"

    def test_transaction_rolls_back(self, store: Store) -> None:
        """If the block raises, none of its writes remain and the error propagates."""
        self._agencies(store, "AG1")
        store.put_record(make_record("R1"))
        store.create_application(make_application("A1", [_received(date(2022, 3, 1))]))

        class Boom(Exception):
            pass

        def failing_block() -> None:
            with store.transaction():
                store.put_agency(make_agency("AG2"))
                store.put_agency(make_agency("AG1", name="改名后的机关"))
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

        with _raises(Boom, "a transaction whose block raises (the block's error must propagate)"):
            failing_block()
        undone = "a transaction whose block raises must undo every write of the block"
        agencies = store.agencies()
        assert agencies == [make_agency("AG1")], f"{undone}: put_agency kept {agencies}"
        r1 = store.get_record("R1")
        assert r1 == make_record("R1"), _explain(
            f"{undone}: put_record(R1) kept", make_record("R1"), r1
        )
        assert store.record_version("R1") == 1, (
            f"{undone}: R1 is at version {store.record_version('R1')}, not 1"
        )
        assert store.record_version("R2") == 0, f"{undone}: put_record(R2) kept R2"
        version = store.get_application("A1").version
        assert version == 1, f"{undone}: append_events kept A1 at version {version}"
        apps = _ids(list(store.applications()))
        assert apps == ["A1"], f"{undone}: create_application kept {apps}"
        cases = _ids(list(store.review_cases()))
        assert cases == [], f"{undone}: put_review_case kept {cases}"
        concluded = store.application_tally("AG1", 2022).concluded
        assert concluded == {}, _explain(f"{undone}: the tally counts the reply", {}, concluded)

    def test_transaction_rolls_back_on_store_error(self, store: Store) -> None:
        """A conflict inside a transaction undoes the writes made before it in the block."""
        self._agencies(store, "AG1", "AG2")
        store.create_application(make_application("A1", [_received(date(2022, 3, 1))]))

        def stale_write() -> None:
            with store.transaction():
                store.put_record(make_record("R1"))
                store.append_events("A1", [_replied(date(2022, 3, 2))], expected_version=7)

        with _raises(ConflictError, "append_events with a stale version inside a transaction"):
            stale_write()
        assert store.record_version("R1") == 0, (
            "a transaction ended by a ConflictError must undo the writes made before it in the "
            f"block: R1 was kept at version {store.record_version('R1')}"
        )

    # -- closing -----------------------------------------------------------------------------

    def test_close(self, store: Store) -> None:
        """A closed store refuses further use with a StoreError."""
        store.put_agency(make_agency("AG1"))
        store.close()
        with _raises(StoreError, "get_agency on a closed store"):
            store.get_agency("AG1")
