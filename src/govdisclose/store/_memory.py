"""The in-memory reference `Store` (public as `govdisclose.testing.MemoryStore`).

It is what the storage contract is checked against and what the ``memory://`` URL opens. Stored
values are frozen attrs objects, so they are kept and handed out as they are, without copies.

Concurrency: one re-entrant lock serialises every call; a `transaction` holds it for the whole
block, so other threads see either none or all of its writes. Rollback replays an undo journal
(O(changes), not a copy of the store), which keeps transactions cheap on a store holding a million
applications.

Tallies: each application contributes one ``(receipt year, closing year, applicant type)`` key and
one ``(closing year, outcome, applicant type)`` key to per-agency counters, kept up to date on
every write. `MemoryStore.application_tally` then sums a few dozen counter keys instead of
scanning the agency's applications.

Columns: `MemoryStore.reply_facts` (`govdisclose.store.ColumnarStore`) keeps, per stored
application, its reply-clock facts packed as bytes (event codes, event days) with its receipt
and closing days, built on first use and dropped whenever the application is written; a call
joins the packed rows of the selection into arrays, without touching the events again.
"""

from __future__ import annotations

import threading
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from itertools import chain, compress, count
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

from govdisclose._time import day_arg
from govdisclose.errors import ConflictError, NotFound, StoreError, StoreIntegrityError
from govdisclose.lifecycle import apply_all, check_history
from govdisclose.model import Agency, Application, Event, Record, ReviewCase
from govdisclose.store import ApplicationTally, ImportResult, PublishedEntry, _received_range
from govdisclose.store.kinds import kind_of
from govdisclose.vocab import ApplicantType, Outcome

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from govdisclose.columns import ReplyFacts

__all__ = ["MemoryStore"]

_K = TypeVar("_K")
_V = TypeVar("_V")
_ABSENT: Any = object()

# (receipt year, closing year or None, applicant type)
_SpanKey = tuple[int, int | None, ApplicantType]
# (closing year, outcome, applicant type)
_ClosedKey = tuple[int, Outcome, ApplicantType]


class _Tallies:
    """Per-agency counters from which `ApplicationTally` is summed."""

    __slots__ = ("closed", "spans")

    def __init__(self) -> None:
        self.spans: Counter[_SpanKey] = Counter()
        self.closed: Counter[_ClosedKey] = Counter()


def _keys(app: Application) -> tuple[_SpanKey | None, _ClosedKey | None]:
    receipt = app.receipt_date
    outcome = app.outcome
    closed = None if outcome is None else app.closed_on
    kind = app.applicant.type
    span = (
        None if receipt is None else (receipt.year, None if closed is None else closed.year, kind)
    )
    done = None if closed is None or outcome is None else (closed.year, outcome, kind)
    return span, done


class _SortedIds:
    """A set of keys with a cached sorted view, rebuilt only after an insertion."""

    __slots__ = ("_keys", "_sorted")

    def __init__(self) -> None:
        self._keys: set[str] = set()
        self._sorted: list[str] | None = []

    def add(self, key: str) -> None:
        if key not in self._keys:
            self._keys.add(key)
            self._sorted = None

    def discard(self, key: str) -> None:
        if key in self._keys:
            self._keys.discard(key)
            self._sorted = None

    def sorted(self) -> list[str]:
        if self._sorted is None:
            self._sorted = sorted(self._keys)
        return self._sorted


class MemoryStore:
    """A `govdisclose.store.Store` kept in process memory: the reference implementation.

    Thread-safe; every call is atomic, `transaction` makes several atomic together. Nothing is
    persisted: the data lives as long as the object.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._closed = False
        self._agencies: dict[str, Agency] = {}
        self._records: dict[str, tuple[Record, int]] = {}
        self._record_ids = _SortedIds()
        self._records_by_agency: dict[str, _SortedIds] = {}
        self._applications: dict[str, Application] = {}
        self._application_ids = _SortedIds()
        self._applications_by_agency: dict[str, _SortedIds] = {}
        self._tallies: dict[str, _Tallies] = {}
        self._cases: dict[str, ReviewCase] = {}
        # Kept items (`govdisclose.store.kinds`): kind code -> id -> (value, version, agency).
        self._items: dict[str, dict[str, tuple[Any, int, str]]] = {}
        # Packed reply-clock facts per application id (`_Row`), dropped when it is written;
        # the assembled columns per agency (None: all), dropped on every application write.
        self._rows: dict[str, _Row] = {}
        self._facts: dict[str | None, _Facts] = {}
        # Undo actions of the open transaction, newest last; None outside a transaction.
        self._journal: list[Callable[[], None]] | None = None

    def __repr__(self) -> str:
        return (
            f"<MemoryStore agencies={len(self._agencies)} records={len(self._records)} "
            f"applications={len(self._applications)} review_cases={len(self._cases)}>"
        )

    # -- low-level writes: the only places state changes, each journaled --------------------

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError.closed()

    def _journal_undo(self, undo: Callable[[], None]) -> None:
        if self._journal is not None:
            self._journal.append(undo)

    def _set_agency(self, agency: Agency) -> None:
        old = self._agencies.get(agency.code, _ABSENT)
        self._agencies[agency.code] = agency

        def undo() -> None:
            if old is _ABSENT:
                del self._agencies[agency.code]
            else:
                self._agencies[agency.code] = old

        self._journal_undo(undo)

    def _set_record(self, record_id: str, entry: tuple[Record, int] | None) -> None:
        old = self._records.get(record_id)
        self._place_record(record_id, entry)
        self._journal_undo(lambda: self._place_record(record_id, old))

    def _place_record(self, record_id: str, entry: tuple[Record, int] | None) -> None:
        old = self._records.pop(record_id, None)
        if old is not None:
            self._records_by_agency[old[0].agency].discard(record_id)
            self._record_ids.discard(record_id)
        if entry is not None:
            self._records[record_id] = entry
            self._record_ids.add(record_id)
            _index(self._records_by_agency, entry[0].agency).add(record_id)

    def _set_application(self, app_id: str, app: Application | None) -> None:
        old = self._applications.get(app_id)
        self._place_application(app_id, app)
        self._journal_undo(lambda: self._place_application(app_id, old))

    def _place_application(self, app_id: str, app: Application | None) -> None:
        self._rows.pop(app_id, None)
        self._facts.clear()
        old = self._applications.pop(app_id, None)
        if old is not None:
            self._applications_by_agency[old.agency].discard(app_id)
            self._application_ids.discard(app_id)
            self._count(old, -1)
        if app is not None:
            self._applications[app_id] = app
            self._application_ids.add(app_id)
            _index(self._applications_by_agency, app.agency).add(app_id)
            self._count(app, +1)

    def _count(self, app: Application, sign: int) -> None:
        tallies = self._tallies.get(app.agency)
        if tallies is None:
            tallies = self._tallies[app.agency] = _Tallies()
        span, done = _keys(app)
        if span is not None:
            _bump(tallies.spans, span, sign)
        if done is not None:
            _bump(tallies.closed, done, sign)

    def _set_case(self, case: ReviewCase) -> None:
        old = self._cases.get(case.id, _ABSENT)
        self._cases[case.id] = case

        def undo() -> None:
            if old is _ABSENT:
                del self._cases[case.id]
            else:
                self._cases[case.id] = old

        self._journal_undo(undo)

    def _set_item(self, code: str, item_id: str, entry: tuple[Any, int, str]) -> None:
        table = self._items.setdefault(code, {})
        old = table.get(item_id, _ABSENT)
        table[item_id] = entry

        def undo() -> None:
            if old is _ABSENT:
                del table[item_id]
            else:
                table[item_id] = old

        self._journal_undo(undo)

    # -- agencies ----------------------------------------------------------------------------

    def put_agency(self, agency: Agency) -> None:
        """Create or replace an agency."""
        if not isinstance(agency, Agency):
            raise StoreIntegrityError.bad_item("agency", Agency, agency)
        with self._lock:
            self._check_open()
            self._set_agency(agency)

    def get_agency(self, code: str) -> Agency:
        """The agency with that code; `NotFound` otherwise."""
        with self._lock:
            self._check_open()
            agency = self._agencies.get(code)
            if agency is None:
                raise NotFound.for_key("agency", code)
            return agency

    def agencies(self) -> list[Agency]:
        """All agencies, ordered by code."""
        with self._lock:
            self._check_open()
            return [self._agencies[k] for k in sorted(self._agencies)]

    # -- records -----------------------------------------------------------------------------

    def put_record(self, record: Record, *, expected_version: int | None = None) -> int:
        """Store a record and return its new version; `ConflictError` on a version mismatch."""
        if not isinstance(record, Record):
            raise StoreIntegrityError.bad_item("record", Record, record)
        with self._lock:
            self._check_open()
            return self._put_record(record, expected_version)

    def _put_record(
        self, record: Record, expected_version: int | None, where: str = "record"
    ) -> int:
        self._check_agency(record.agency, f"公文 {record.id}", f"record {record.id!r}", where)
        stored = self._records.get(record.id)
        actual = 0 if stored is None else stored[1]
        if expected_version is not None and expected_version != actual:
            raise ConflictError.for_version("record", record.id, expected_version, actual)
        self._set_record(record.id, (record, actual + 1))
        return actual + 1

    def get_record(self, record_id: str) -> Record:
        """The stored record; `NotFound` otherwise."""
        with self._lock:
            self._check_open()
            entry = self._records.get(record_id)
            if entry is None:
                raise NotFound.for_key("record", record_id)
            return entry[0]

    def record_version(self, record_id: str) -> int:
        """The stored version of a record, 0 if it does not exist."""
        with self._lock:
            self._check_open()
            entry = self._records.get(record_id)
            return 0 if entry is None else entry[1]

    def records(self, *, agency: str | None = None) -> Iterator[Record]:
        """Records, of one agency or all, ordered by id."""
        with self._lock:
            self._check_open()
            ids = self._ids(self._record_ids, self._records_by_agency, agency)
            return iter([self._records[i][0] for i in ids])

    def published(
        self, *, agency: str | None = None, start: date | None = None, end: date | None = None
    ) -> Iterator[PublishedEntry]:
        """The register of publications, published on ``start <= day <= end`` (either open).

        Ordered by record id, then in the record's own publication order.
        """
        with self._lock:
            self._check_open()
            ids = self._ids(self._record_ids, self._records_by_agency, agency)
            entries = [
                PublishedEntry(record_id=rec.id, agency=rec.agency, title=rec.title, publication=p)
                for rec in (self._records[i][0] for i in ids)
                for p in rec.publications
                if (start is None or p.published_on >= start)
                and (end is None or p.published_on <= end)
            ]
            return iter(entries)

    # -- applications ------------------------------------------------------------------------

    def create_application(self, application: Application) -> None:
        """Store a new application with the events it carries; `StoreIntegrityError` if the id
        exists, `InvalidTransition` if its events are not a valid history."""
        if not isinstance(application, Application):
            raise StoreIntegrityError.bad_item("application", Application, application)
        with self._lock:
            self._check_open()
            self._create_application(application)

    def _create_application(self, application: Application, where: str = "application") -> None:
        if application.id in self._applications:
            raise StoreIntegrityError.duplicate_application(application.id, field=f"{where}.id")
        self._check_agency(
            application.agency,
            f"申请 {application.id}",
            f"application {application.id!r}",
            where,
        )
        # Replaying the history through the lifecycle is what keeps impossible histories out.
        check_history(application)
        self._set_application(application.id, application)

    def append_events(
        self, application_id: str, events: Sequence[Event], *, expected_version: int
    ) -> Application:
        """Append events to a stored application and return it as now stored.

        Raises `ConflictError` if the stored version is not ``expected_version``,
        `InvalidTransition` if an event may not follow, `NotFound` if there is no such
        application. In every failure case nothing is appended.
        """
        with self._lock:
            self._check_open()
            stored = self._get_application(application_id)
            if stored.version != expected_version:
                raise ConflictError.for_version(
                    "application", application_id, expected_version, stored.version
                )
            updated = apply_all(stored, events)
            if updated is not stored:
                self._set_application(application_id, updated)
            return updated

    def get_application(self, application_id: str) -> Application:
        """The stored application with all its events; `NotFound` otherwise."""
        with self._lock:
            self._check_open()
            return self._get_application(application_id)

    def _get_application(self, application_id: str) -> Application:
        app = self._applications.get(application_id)
        if app is None:
            raise NotFound.for_key("application", application_id)
        return app

    def applications(
        self, *, agency: str | None = None, open_on: date | None = None
    ) -> Iterator[Application]:
        """Applications ordered by id; with ``open_on``, only those received on or before that
        day and not closed before it."""
        with self._lock:
            self._check_open()
            ids = self._ids(self._application_ids, self._applications_by_agency, agency)
            apps = [self._applications[i] for i in ids]
        if open_on is None:
            return iter(apps)
        return iter([a for a in apps if _open_on(a, open_on)])

    def reply_facts(
        self,
        *,
        agency: str | None = None,
        open_on: date | None = None,
        received: tuple[date, date] | None = None,
    ) -> ReplyFacts:
        """The reply clock's facts of the selected applications, as columns
        (`govdisclose.store.ColumnarStore`; needs numpy). Rows ordered by id; ``agency`` and
        ``open_on`` select as `applications` does, ``received=(first, last)`` by receipt date.
        """

        window = _received_range(received)
        day = None if open_on is None else day_arg(open_on, "open_on").toordinal()
        with self._lock:
            self._check_open()
            cached = self._facts.get(agency)
            if cached is None:
                cached = self._facts[agency] = self._all_facts(agency)
        facts, apps, receipt, closed = cached
        if day is None and window is None:
            return facts
        keep = receipt > 0
        if day is not None:
            keep &= (receipt <= day) & (closed >= day)
        if window is not None:
            keep &= (receipt >= window[0].toordinal()) & (receipt <= window[1].toordinal())
        return _select(facts, apps, keep)

    def _all_facts(self, agency: str | None) -> _Facts:
        """The facts of all applications (of one agency or all), from the packed rows."""
        import numpy as np

        from govdisclose.columns import ReplyFacts

        ids = self._ids(self._application_ids, self._applications_by_agency, agency)
        apps = list(map(self._applications.__getitem__, ids))
        rows = list(map(self._rows.get, ids))
        if None in rows:
            for k in [k for k, row in enumerate(rows) if row is None]:
                rows[k] = self._rows[ids[k]] = _row(apps[k])
        packed: list[_Row] = rows  # type: ignore[assignment]  # no None left
        n = len(packed)
        kind = np.frombuffer(b"".join(map(_KINDS, packed)), dtype=np.int8)
        events = kind.size
        conf = np.fromiter(map(_CONFIRMED, packed), np.int32, n)
        given = np.flatnonzero(conf >= 0)
        extension = np.zeros(events, dtype=np.int32)
        days = list(chain.from_iterable(map(_EXTENSIONS, packed)))
        if days:
            extension[kind == _EXTENDED] = days
        agency_flags = np.zeros(events, dtype=bool)
        flags = list(chain.from_iterable(map(_AGENCY, packed)))
        if flags:
            agency_flags[kind == _CONSULTED] = flags
        party = np.full(events, -1, dtype=np.int32)
        names = list(chain.from_iterable(map(_PARTIES, packed)))
        if names:
            # As `ReplyFacts.of` numbers them: each party gets the position of its first
            # appearance, so equal numbers mean equal parties.
            numbers: dict[str, int] = {}
            party[(kind == _CONSULTED) | (kind == _CONS_REPLIED)] = np.fromiter(
                map(numbers.setdefault, names, count()), np.int32, len(names)
            )
        facts = ReplyFacts(
            ids=tuple(ids),
            lens=np.fromiter(map(_LENS, packed), np.int32, n),
            kind=kind,
            on=np.frombuffer(b"".join(map(_DAYS, packed)), dtype=np.intc),
            confirmed=np.stack([given.astype(np.int32), conf[given]], axis=1),
            extension_days=extension,
            consulted_agency=agency_flags,
            party=party,
            load=apps.__getitem__,
        )
        receipt = np.fromiter(map(_RECEIPT, packed), np.int64, n)
        closed = np.fromiter(map(_CLOSED, packed), np.int64, n)
        return facts, apps, receipt, closed

    def application_tally(self, agency: str, year: int) -> ApplicationTally:
        """The counts table 三 of the annual report needs (see `ApplicationTally`)."""
        with self._lock:
            self._check_open()
            tallies = self._tallies.get(agency)
            spans = list(tallies.spans.items()) if tallies else []
            closed = list(tallies.closed.items()) if tallies else []
        received: Counter[ApplicantType] = Counter()
        carried_over: Counter[ApplicantType] = Counter()
        carried_forward: Counter[ApplicantType] = Counter()
        for (got, done, kind), n in spans:
            if got == year:
                received[kind] += n
            if got < year and (done is None or done >= year):
                carried_over[kind] += n
            if got <= year and (done is None or done > year):
                carried_forward[kind] += n
        concluded: Counter[tuple[Outcome, ApplicantType]] = Counter()
        for (done_year, outcome, kind), n in closed:
            if done_year == year:
                concluded[outcome, kind] += n
        return ApplicationTally(
            agency=agency,
            year=year,
            received=received,
            carried_over=carried_over,
            concluded=concluded,
            carried_forward=carried_forward,
        )

    # -- review cases ------------------------------------------------------------------------

    def put_review_case(self, case: ReviewCase) -> None:
        """Create or replace a review or litigation case."""
        if not isinstance(case, ReviewCase):
            raise StoreIntegrityError.bad_item("case", ReviewCase, case)
        with self._lock:
            self._check_open()
            self._set_case(case)

    def review_cases(self, *, agency: str | None = None) -> Iterator[ReviewCase]:
        """Review and litigation cases ordered by id."""
        with self._lock:
            self._check_open()
            cases = [self._cases[k] for k in sorted(self._cases)]
        return iter([c for c in cases if agency is None or c.agency == agency])

    # -- bulk and transactions ---------------------------------------------------------------

    # -- kept items --------------------------------------------------------------------------

    def put_item(self, value: Any, *, expected_version: int | None = None) -> int:
        """Store a kept item and return its new version (see `govdisclose.store.Store`)."""
        kind = kind_of(type(value))
        item_id, agency = kind.key(value)
        with self._lock:
            self._check_open()
            if agency not in self._agencies:
                raise NotFound(
                    f"{kind.label_zh} {item_id} 所属机关 {agency} 未登记：请先登记机关",
                    f"the agency {agency!r} of {kind.label_en} {item_id!r} is not stored: "
                    "store the agency first",
                    field="agency",
                    code="store.unknown_agency",
                )
            stored = self._items.get(kind.code, {}).get(item_id)
            actual = 0 if stored is None else stored[1]
            if expected_version is not None and expected_version != actual:
                raise ConflictError.for_version(
                    kind.code, item_id, expected_version, actual, label_zh=kind.label_zh
                )
            kind.checked(None if stored is None else stored[0], value)
            self._set_item(kind.code, item_id, (value, actual + 1, agency))
            return actual + 1

    def get_item(self, cls: type[_V], item_id: str) -> _V:
        """The stored item of kind ``cls`` with that id; `NotFound` otherwise."""
        kind = kind_of(cls)
        with self._lock:
            self._check_open()
            stored = self._items.get(kind.code, {}).get(item_id)
            if stored is None:
                raise NotFound.for_key(kind.code, item_id, label_zh=kind.label_zh)
            return stored[0]  # type: ignore[no-any-return]

    def item_version(self, cls: type[Any], item_id: str) -> int:
        """The stored version of an item, 0 if it does not exist."""
        kind = kind_of(cls)
        with self._lock:
            self._check_open()
            stored = self._items.get(kind.code, {}).get(item_id)
            return 0 if stored is None else stored[1]

    def items(self, cls: type[_V], *, agency: str | None = None) -> Iterator[_V]:
        """The stored items of kind ``cls``, of one agency or all, ordered by id."""
        kind = kind_of(cls)
        with self._lock:
            self._check_open()
            table = self._items.get(kind.code, {})
            return iter(
                [table[i][0] for i in sorted(table) if agency is None or table[i][2] == agency]
            )

    def import_bulk(
        self,
        *,
        agencies: Iterable[Agency] = (),
        records: Iterable[Record] = (),
        applications: Iterable[Application] = (),
        review_cases: Iterable[ReviewCase] = (),
    ) -> ImportResult:
        """Store everything or nothing: the first bad item raises and the store is unchanged.

        Agencies, records and review cases are created or replaced (records get a new version);
        an application whose id is already stored is a `StoreIntegrityError`.
        """
        counts = {"agencies": 0, "records": 0, "applications": 0, "events": 0, "review_cases": 0}
        with self.transaction():
            for i, agency in enumerate(agencies):
                if not isinstance(agency, Agency):
                    raise StoreIntegrityError.bad_item(f"agencies[{i}]", Agency, agency)
                self._set_agency(agency)
                counts["agencies"] += 1
            for i, record in enumerate(records):
                if not isinstance(record, Record):
                    raise StoreIntegrityError.bad_item(f"records[{i}]", Record, record)
                self._put_record(record, None, f"records[{i}]")
                counts["records"] += 1
            for i, app in enumerate(applications):
                where = f"applications[{i}]"
                if not isinstance(app, Application):
                    raise StoreIntegrityError.bad_item(where, Application, app)
                self._create_application(app, where)
                counts["applications"] += 1
                counts["events"] += len(app.events)
            for i, case in enumerate(review_cases):
                if not isinstance(case, ReviewCase):
                    raise StoreIntegrityError.bad_item(f"review_cases[{i}]", ReviewCase, case)
                self._set_case(case)
                counts["review_cases"] += 1
        return ImportResult(**counts)

    def transaction(self) -> AbstractContextManager[None]:
        """A scope in which every write commits together, or none does if the block raises.

        Transactions nest: an inner block that raises undoes only its own writes (and re-raises).
        The calling thread holds the store for the whole block.
        """
        return self._transaction()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._lock:
            self._check_open()
            outermost = self._journal is None
            if outermost:
                self._journal = []
            journal = self._journal
            assert journal is not None
            mark = len(journal)
            try:
                yield
            except BaseException:
                while len(journal) > mark:
                    journal.pop()()
                raise
            finally:
                if outermost:
                    self._journal = None

    def close(self) -> None:
        """Release connections and files. The store is unusable afterwards."""
        with self._lock:
            self._closed = True

    # -- helpers -----------------------------------------------------------------------------

    def _check_agency(self, agency: str, of_zh: str, of_en: str, where: str) -> None:
        # Agencies come first: an application or record of an unknown agency would be stored
        # and fail only later, when its agency's annual report is built.
        if agency not in self._agencies:
            raise NotFound.unknown_agency(agency, of_zh=of_zh, of_en=of_en, field=f"{where}.agency")

    @staticmethod
    def _ids(every: _SortedIds, by_agency: dict[str, _SortedIds], agency: str | None) -> list[str]:
        if agency is None:
            return every.sorted()
        index = by_agency.get(agency)
        return [] if index is None else index.sorted()


def _index(indexes: dict[str, _SortedIds], agency: str) -> _SortedIds:
    index = indexes.get(agency)
    if index is None:
        index = indexes[agency] = _SortedIds()
    return index


def _bump(counter: Counter[_K], key: _K, sign: int) -> None:
    # Zero counts are dropped so that a tally sums only keys that still hold applications.
    n = counter.get(key, 0) + sign
    if n:
        counter[key] = n
    else:
        del counter[key]


# One application's reply-clock facts, packed (`MemoryStore.reply_facts`): events, event codes
# (int8 bytes), event days (C int bytes, 32 bits), receipt ordinal (0: none), closing ordinal
# (max: open), confirmation ordinal as `ReplyFacts.confirmed` holds it (-1: none), the days of
# each extension, whether each consultation consults an agency, the party of each consultation
# and reply.
_Row = tuple[int, bytes, bytes, int, int, int, tuple[int, ...], tuple[bool, ...], tuple[str, ...]]
# The columns of all applications (of an agency), their objects, receipt and closing ordinals.
_Facts = tuple["ReplyFacts", list[Application], "npt.NDArray[np.int64]", "npt.NDArray[np.int64]"]
_LENS, _KINDS, _DAYS = itemgetter(0), itemgetter(1), itemgetter(2)
_RECEIPT, _CLOSED, _CONFIRMED = itemgetter(3), itemgetter(4), itemgetter(5)
_EXTENSIONS, _AGENCY, _PARTIES = itemgetter(6), itemgetter(7), itemgetter(8)
_OPEN_END = date.max.toordinal()
_ON = attrgetter("on")
# `govdisclose.columns.EventCode` values (that module needs numpy; this one must not).
_CONSULTED, _CONS_REPLIED, _EXTENDED = 4, 5, 8
_INT32_MAX = 2**31 - 1


def _select(facts: ReplyFacts, apps: list[Application], keep: npt.NDArray[np.bool_]) -> ReplyFacts:
    """The rows ``keep`` of ``facts`` (and their objects ``apps``)."""
    import numpy as np

    from govdisclose.columns import ReplyFacts

    chosen = keep.tolist()
    mine = list(compress(apps, chosen))
    events = np.repeat(keep, facts.lens)
    renumber = np.cumsum(keep) - 1
    conf = facts.confirmed[keep[facts.confirmed[:, 0]]]
    return ReplyFacts(
        ids=tuple(compress(facts.ids, chosen)),
        lens=facts.lens[keep],
        kind=facts.kind[events],
        on=facts.on[events],
        confirmed=np.stack([renumber[conf[:, 0]], conf[:, 1]], axis=1),
        extension_days=facts.extension_days[events],
        consulted_agency=facts.consulted_agency[events],
        party=facts.party[events],
        load=mine.__getitem__,
    )


def _row(app: Application) -> _Row:
    from govdisclose.columns import _CODES

    events = app.events
    codes = bytes(map(_CODES.__getitem__, map(type, events)))
    receipt = app.receipt_date
    closed = app.closed_on
    first = events[0] if events else None
    confirmed: date | None = getattr(first, "confirmed_on", None)
    extensions: tuple[int, ...] = ()
    agency: tuple[bool, ...] = ()
    parties: tuple[str, ...] = ()
    if _EXTENDED in codes:
        extensions = tuple(_event_days(events, codes))
    if _CONSULTED in codes or _CONS_REPLIED in codes:
        pairs: list[Any] = list(zip(events, codes, strict=True))
        agency = tuple(e.is_agency for e, c in pairs if c == _CONSULTED)
        parties = tuple(e.party for e, c in pairs if c in (_CONSULTED, _CONS_REPLIED))
    return (
        len(events),
        codes,
        array("i", map(date.toordinal, map(_ON, events))).tobytes(),
        0 if receipt is None else receipt.toordinal(),
        _OPEN_END if closed is None else closed.toordinal(),
        -1
        if confirmed is None or not app.channel.receipt_needs_confirmation
        else confirmed.toordinal(),
        extensions,
        agency,
        parties,
    )


def _event_days(events: tuple[Any, ...], codes: bytes) -> Iterator[int]:
    # Clipped as `ReplyFacts.extension_days` keeps them (far above any legal limit).
    return (min(e.days, _INT32_MAX) for e, c in zip(events, codes, strict=True) if c == _EXTENDED)


def _open_on(app: Application, day: date) -> bool:
    receipt = app.receipt_date
    closed = app.closed_on
    return receipt is not None and receipt <= day and (closed is None or closed >= day)
