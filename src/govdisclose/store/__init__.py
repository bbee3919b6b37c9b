"""Storage: the `Store` protocol every adapter implements, and the value types its queries return.

Applications are stored as their events, appended with an *expected version* (the number of
events the writer last saw): of two writers that saw the same version, exactly one wins and the
other gets `govdisclose.errors.ConflictError`, with nothing of its write stored. Every appended
event passes `govdisclose.lifecycle.apply` first, so a store never holds an impossible history.
Records are versioned the same way. A failed write (conflict, invalid transition, bad row,
crash) leaves nothing behind: each call is atomic, and `Store.transaction` makes several atomic
together.

The reference implementation is `govdisclose.testing.MemoryStore`; ``govdisclose-sql`` provides
SQLite and PostgreSQL. `govdisclose.testing.StoreContract` is the suite an adapter must pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import Any, Protocol, runtime_checkable

from attrs import field, frozen

from govdisclose.model import Agency, Application, Event, Publication, Record, ReviewCase
from govdisclose.vocab import ApplicantType, Outcome

__all__ = ["ApplicationTally", "ImportResult", "PublishedEntry", "Store"]


def _nonzero(counts: Mapping[Any, int]) -> dict[Any, int]:
    return {key: n for key, n in counts.items() if n}


@frozen
class ApplicationTally:
    """The application counts of one agency-year that table 三 of the annual report needs.

    Counting rules (the report builder relies on them; every store computes them identically):

    * ``received``: applications whose receipt date (`Application.receipt_date`) is in the year;
    * ``carried_over``: received before 1 January of the year and not closed before it;
    * ``concluded``: closed in the year (答复、撤回、视为放弃; `Application.closed_on`), by
      outcome (`Application.outcome`) and applicant type;
    * ``carried_forward``: received on or before 31 December and not closed by then.

    Maps hold only non-zero counts (zeros given to the constructor are dropped, so stores can
    pass their counters as they are); a missing key means 0.
    """

    agency: str
    year: int
    received: Mapping[ApplicantType, int] = field(factory=dict, converter=_nonzero)
    carried_over: Mapping[ApplicantType, int] = field(factory=dict, converter=_nonzero)
    concluded: Mapping[tuple[Outcome, ApplicantType], int] = field(factory=dict, converter=_nonzero)
    carried_forward: Mapping[ApplicantType, int] = field(factory=dict, converter=_nonzero)


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
        """Store a record and return its new version; `ConflictError` on a version mismatch."""

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
        exists, `InvalidTransition` if its events are not a valid history."""

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
        `create_application`, so an existing id is a `StoreIntegrityError`.
        """

    def transaction(self) -> AbstractContextManager[None]:
        """A scope in which every write commits together, or none does if the block raises."""

    def close(self) -> None:
        """Release connections and files. The store is unusable afterwards: further calls raise
        `StoreError`. Closing again does nothing."""
