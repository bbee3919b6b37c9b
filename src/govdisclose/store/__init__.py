"""Storage: the `Store` protocol every adapter implements, and the value types its queries return.

Applications are stored as their events, appended with an *expected version* (the number of
events the writer last saw): of two writers that saw the same version, exactly one wins and the
other gets `govdisclose.errors.ConflictError`, with nothing of its write stored. Every appended
event passes `govdisclose.lifecycle.apply` first, so a store never holds an impossible history.
Records are versioned the same way. Agencies come first: an application or a record whose
agency the store does not hold is refused (`govdisclose.errors.NotFound`, code
``store.unknown_agency``, naming the agency), by every store. A failed write (conflict,
invalid transition, bad row, crash) leaves nothing behind: each call is atomic, and
`Store.transaction` makes several atomic together.

The reference implementation is `govdisclose.testing.MemoryStore`; ``govdisclose-sql`` provides
SQLite and PostgreSQL. `govdisclose.testing.StoreContract` is the suite an adapter must pass.

The columnar path: `reply_facts` gives the facts the reply clock needs
(`govdisclose.columns.ReplyFacts`) of a selection of applications, for
`govdisclose.deadlines.reply_status_facts`. A store may implement `ColumnarStore` (one more
method, ``reply_facts``) to hand them over as arrays straight from its rows, without building an
`Application` per row; every other store gets the default, built from `Store.applications`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

from attrs import field, frozen

from govdisclose._time import day_arg
from govdisclose.errors import ValidationError
from govdisclose.model import Agency, Application, Event, Publication, Record, ReviewCase
from govdisclose.vocab import ApplicantType, Outcome

if TYPE_CHECKING:
    from govdisclose.columns import ReplyFacts

_T = TypeVar("_T")

__all__ = [
    "ApplicationTally",
    "ColumnarStore",
    "ImportResult",
    "PublishedEntry",
    "Store",
    "reply_facts",
]


def _checked_counts(
    name: str,
    counts: Mapping[Any, int],
    key_ok: Callable[[object], bool],
    shape_zh: str,
    shape_en: str,
) -> dict[Any, int]:
    # Checked here, once per tally (a few dozen keys), because the report builder looks counts
    # up by these exact keys: a store handing back outcome codes or plain strings would
    # otherwise produce a report of zeros, not an error.
    out: dict[Any, int] = {}
    for key, n in counts.items():
        if not key_ok(key):
            raise ValidationError(
                f"ApplicationTally.{name} 的键应为 {shape_zh}，实际为 {key!r}",
                f"ApplicationTally.{name} keys must be {shape_en}, got {key!r}",
                field=name,
            )
        try:
            # index(), not isinstance(int): a numpy or driver integer is a count too.
            count = -1 if isinstance(n, bool) else operator.index(n)
        except TypeError:
            count = -1
        if count < 0:
            raise ValidationError(
                f"ApplicationTally.{name}[{key!r}] 应为非负整数，实际为 {n!r}",
                f"ApplicationTally.{name}[{key!r}] must be a non-negative int, got {n!r}",
                field=name,
            )
        if count:
            out[key] = count
    return out


_TYPE_ZH = "申请人类型（ApplicantType）"
_PAIR_ZH = "（办理结果 Outcome，申请人类型 ApplicantType）二元组"


def _is_applicant_type(key: object) -> bool:
    return isinstance(key, ApplicantType)


def _is_outcome_and_type(key: object) -> bool:
    return (
        isinstance(key, tuple)
        and len(key) == 2
        and isinstance(key[0], Outcome)
        and isinstance(key[1], ApplicantType)
    )


def _received(counts: Mapping[ApplicantType, int]) -> dict[ApplicantType, int]:
    return _checked_counts("received", counts, _is_applicant_type, _TYPE_ZH, "ApplicantType")


def _carried_over(counts: Mapping[ApplicantType, int]) -> dict[ApplicantType, int]:
    return _checked_counts("carried_over", counts, _is_applicant_type, _TYPE_ZH, "ApplicantType")


def _carried_forward(counts: Mapping[ApplicantType, int]) -> dict[ApplicantType, int]:
    return _checked_counts("carried_forward", counts, _is_applicant_type, _TYPE_ZH, "ApplicantType")


def _concluded(
    counts: Mapping[tuple[Outcome, ApplicantType], int],
) -> dict[tuple[Outcome, ApplicantType], int]:
    return _checked_counts(
        "concluded", counts, _is_outcome_and_type, _PAIR_ZH, "(Outcome, ApplicantType) pairs"
    )


@frozen
class ApplicationTally:
    """The application counts of one agency-year that table 三 of the annual report needs.

    Counting rules (the report builder relies on them; every store computes them identically):

    * ``received``: applications whose receipt date (`Application.receipt_date`) is in the year;
    * ``carried_over``: received before 1 January of the year and not closed before it;
    * ``concluded``: closed in the year (答复、撤回、视为放弃; `Application.closed_on`), by
      outcome (`Application.outcome`) and applicant type;
    * ``carried_forward``: received on or before 31 December and not closed by then.

    Key shapes: ``received``, ``carried_over`` and ``carried_forward`` map an
    `govdisclose.vocab.ApplicantType` (``Application.applicant.type``) to a count;
    ``concluded`` maps an ``(Outcome, ApplicantType)`` pair, the outcome first, to a count. The
    keys are the enum members themselves, not their codes::

        ApplicationTally(
            agency="AG1",
            year=2022,
            received={ApplicantType.NATURAL_PERSON: 4, ApplicantType.COMMERCIAL_ENTERPRISE: 1},
            concluded={(Outcome.DISCLOSED, ApplicantType.NATURAL_PERSON): 2},
        )

    Maps hold only non-zero counts (zeros given to the constructor are dropped, so stores can
    pass their counters as they are); a missing key means 0. A key of another shape, or a
    count that is not a non-negative int, is a `govdisclose.errors.ValidationError` naming the
    field.
    """

    agency: str
    year: int
    received: Mapping[ApplicantType, int] = field(factory=dict, converter=_received)
    carried_over: Mapping[ApplicantType, int] = field(factory=dict, converter=_carried_over)
    concluded: Mapping[tuple[Outcome, ApplicantType], int] = field(
        factory=dict, converter=_concluded
    )
    carried_forward: Mapping[ApplicantType, int] = field(factory=dict, converter=_carried_forward)


@frozen
class PublishedEntry:
    """One line of the register of published documents (seed 002): a record and a publication."""

    record_id: str
    agency: str
    title: str
    publication: Publication


@frozen
class ImportResult:
    """What a bulk import stored."""

    agencies: int = 0
    records: int = 0
    applications: int = 0
    events: int = 0
    review_cases: int = 0


@runtime_checkable
class Store(Protocol):
    """What govdisclose needs from storage. Adapters implement it; the library only calls it.

    Versions: a record's version is 1 after its first write and grows by one per write; an
    application's version is its number of events. ``expected_version=None`` on `put_record`
    means "create or overwrite, whatever is stored"; ``0`` means "must not exist yet".
    """

    # -- agencies ----------------------------------------------------------------------------
    def put_agency(self, agency: Agency) -> None:
        """Create or replace an agency."""

    def get_agency(self, code: str) -> Agency:
        """The agency with that code; `NotFound` otherwise."""

    def agencies(self) -> list[Agency]:
        """All agencies, ordered by code."""

    # -- records -----------------------------------------------------------------------------
    def put_record(self, record: Record, *, expected_version: int | None = None) -> int:
        """Store a record and return its new version; `ConflictError` on a version mismatch,
        `NotFound` (``store.unknown_agency``) if its agency is not stored."""

    def get_record(self, record_id: str) -> Record:
        """The stored record; `NotFound` otherwise."""

    def record_version(self, record_id: str) -> int:
        """The stored version of a record, 0 if it does not exist."""

    def records(self, *, agency: str | None = None) -> Iterator[Record]:
        """Records, of one agency or all, ordered by id."""

    def published(
        self, *, agency: str | None = None, start: date | None = None, end: date | None = None
    ) -> Iterator[PublishedEntry]:
        """The register of publications, published on ``start <= day <= end`` (either open).

        ``day`` is `Publication.published_on`, the date in the publication's own timezone (so
        the stored offset must survive). Ordered by record id, then in the record's own order
        of publications.
        """

    # -- applications ------------------------------------------------------------------------
    def create_application(self, application: Application) -> None:
        """Store a new application with the events it carries; `StoreIntegrityError` if the id
        exists, `NotFound` (``store.unknown_agency``) if its agency is not stored,
        `InvalidTransition` if its events are not a valid history."""

    def append_events(
        self, application_id: str, events: Sequence[Event], *, expected_version: int
    ) -> Application:
        """Append events to a stored application and return it as now stored.

        Raises `ConflictError` if the stored version is not ``expected_version``,
        `InvalidTransition` if an event may not follow, `NotFound` if there is no such
        application. In every failure case nothing is appended.
        """

    def get_application(self, application_id: str) -> Application:
        """The stored application with all its events; `NotFound` otherwise."""

    def applications(
        self, *, agency: str | None = None, open_on: date | None = None
    ) -> Iterator[Application]:
        """Applications ordered by id; with ``open_on``, only those received on or before that
        day and not closed before it."""

    def application_tally(self, agency: str, year: int) -> ApplicationTally:
        """The counts table 三 of the annual report needs (see `ApplicationTally`)."""

    # -- review cases ------------------------------------------------------------------------
    def put_review_case(self, case: ReviewCase) -> None:
        """Create or replace a review or litigation case."""

    def review_cases(self, *, agency: str | None = None) -> Iterator[ReviewCase]:
        """Review and litigation cases ordered by id."""

    # -- kept items: inquiries, opinion events, press events, plans, the outbox ---------------
    def put_item(self, value: Any, *, expected_version: int | None = None) -> int:
        """Store a kept item (a value of a class registered in `govdisclose.store.kinds`) and
        return its new version, as `put_record` does: ``expected_version=None`` creates or
        overwrites, ``0`` means it must not exist yet, a mismatch is a `ConflictError`. The
        kind's ``check`` runs against the stored value first; an agency the store does not know
        is `NotFound` (field ``agency``). Nothing is stored when any of these raises."""

    def get_item(self, cls: type[_T], item_id: str) -> _T:
        """The stored item of kind ``cls`` with that id; `NotFound` otherwise."""

    def item_version(self, cls: type[Any], item_id: str) -> int:
        """The stored version of an item, 0 if it does not exist."""

    def items(self, cls: type[_T], *, agency: str | None = None) -> Iterator[_T]:
        """The stored items of kind ``cls``, of one agency or all, ordered by id."""

    # -- bulk and transactions ---------------------------------------------------------------
    def import_bulk(
        self,
        *,
        agencies: Iterable[Agency] = (),
        records: Iterable[Record] = (),
        applications: Iterable[Application] = (),
        review_cases: Iterable[ReviewCase] = (),
    ) -> ImportResult:
        """Store everything or nothing: the first bad item raises and the store is unchanged.

        Agencies, records and review cases are created or replaced as by their ``put_*``
        methods (a record gets a new version); applications are created as by
        `create_application`, so an existing id is a `StoreIntegrityError`. The agencies of
        the import are stored first: a record or application may belong to one of them or to
        an agency already stored, any other is `NotFound` (``store.unknown_agency``, field
        ``applications[3].agency``).
        """

    def transaction(self) -> AbstractContextManager[None]:
        """A scope in which every write commits together, or none does if the block raises."""

    def close(self) -> None:
        """Release connections and files. The store is unusable afterwards: further calls raise
        `StoreError`. Closing again does nothing."""


@runtime_checkable
class ColumnarStore(Protocol):
    """A store that hands over the reply clock's facts as columns (optional, for speed).

    Not part of `Store`: an adapter implements it *as well*, when its rows let it build a
    `govdisclose.columns.ReplyFacts` faster than from `Application` objects (the SQL stores:
    one query over the event rows, no structuring, no validators). `reply_facts` (the module
    function) uses it when present; `govdisclose.testing.StoreContract` checks that it gives
    exactly what the default builds from `Store.applications`.
    """

    def reply_facts(
        self,
        *,
        agency: str | None = None,
        open_on: date | None = None,
        received: tuple[date, date] | None = None,
    ) -> ReplyFacts:
        """The facts of the selected applications, rows ordered by application id.

        ``agency`` and ``open_on`` select exactly as `Store.applications` does; ``received``
        ``(first, last)`` keeps the applications whose receipt date
        (`Application.receipt_date`) lies in that inclusive range. ``load(i)`` of the result
        gives the stored `Application` of row ``i``.
        """


def _received_range(received: Any) -> tuple[date, date] | None:
    """``received`` checked: ``None`` or a pair of days ``(first, last)``."""
    if received is None:
        return None
    if not isinstance(received, tuple) or len(received) != 2:
        raise ValidationError(
            f"参数 received 应为 (起始日, 截止日) 二元组，实际为 {received!r}",
            f"argument received must be a (first, last) pair of dates, got {received!r}",
            field="received",
            code="validation.type",
        )
    return day_arg(received[0], "received"), day_arg(received[1], "received")


def reply_facts(
    store: Store,
    *,
    agency: str | None = None,
    open_on: date | None = None,
    received: tuple[date, date] | None = None,
) -> ReplyFacts:
    """The reply clock's facts (`govdisclose.columns.ReplyFacts`, needs numpy) of the selected
    applications of ``store``, rows ordered by application id, for
    `govdisclose.deadlines.reply_status_facts`.

    ``agency`` and ``open_on`` select as `Store.applications` does; ``received=(first, last)``
    keeps the applications whose receipt date (`Application.receipt_date`) lies in that
    inclusive range. A store implementing `ColumnarStore` answers itself; any other store gets
    ``ReplyFacts.of`` of its `Store.applications`.
    """
    window = _received_range(received)
    if open_on is not None:
        open_on = day_arg(open_on, "open_on")
    if isinstance(store, ColumnarStore):
        return store.reply_facts(agency=agency, open_on=open_on, received=window)
    from govdisclose.columns import ReplyFacts

    apps = store.applications(agency=agency, open_on=open_on)
    if window is None:
        return ReplyFacts.of(list(apps))
    first, last = window
    return ReplyFacts.of([a for a in apps if _received_in(a, first, last)])


def _received_in(app: Application, first: date, last: date) -> bool:
    receipt = app.receipt_date
    return receipt is not None and first <= receipt <= last
