"""Notifications delivered to the ``govdisclose_handle_event`` hook.

One hook receives every kind, each a frozen value describing something that already happened,
so an OA system listens in one place and new kinds can be added without new hooks. Listeners
dispatch on the class (``match event: case RecordPublished(): ...``) and ignore kinds they do
not know. Each class has a stable ``kind`` code for logs and message queues.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, TypeAlias

from attrs import frozen

from govdisclose.model import Event, Publication

__all__ = [
    "NOTIFICATION_TYPES",
    "ApplicationEventApplied",
    "DeadlineApproaching",
    "Notification",
    "RecordPublished",
    "ReportBuilt",
]


@frozen
class RecordPublished:
    """A record was published through one channel and the publication is stored."""

    kind: ClassVar[str] = "record_published"
    record_id: str
    publication: Publication


@frozen
class ApplicationEventApplied:
    """An event was appended to a stored application; ``version`` is the version after it."""

    kind: ClassVar[str] = "application_event_applied"
    application_id: str
    event: Event
    version: int


@frozen
class DeadlineApproaching:
    """An open application's reply deadline is near (the host decides how near and when to
    check: there is no clock in govdisclose). ``working_days_left`` counts the working days
    after the check day up to and including ``due``."""

    kind: ClassVar[str] = "deadline_approaching"
    application_id: str
    due: date
    working_days_left: int


@frozen
class ReportBuilt:
    """The annual report of an agency for a year was built (and passed validation)."""

    kind: ClassVar[str] = "report_built"
    agency: str
    year: int


Notification: TypeAlias = (
    RecordPublished | ApplicationEventApplied | DeadlineApproaching | ReportBuilt
)

#: Every notification class.
NOTIFICATION_TYPES: tuple[type[Notification], ...] = (
    RecordPublished,
    ApplicationEventApplied,
    DeadlineApproaching,
    ReportBuilt,
)
