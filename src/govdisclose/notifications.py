"""Notifications delivered to the ``govdisclose_handle_event`` hook.

One hook receives every kind, each a frozen value describing something that already happened,
so an OA system listens in one place and new kinds can be added without new hooks. Listeners
dispatch on the class (``match event: case RecordPublished(): ...``) and ignore kinds they do
not know. Each class has a stable ``kind`` code for logs and message queues.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar, TypeAlias

from attrs import frozen

from govdisclose.clocks import Clock
from govdisclose.model import Event, Publication, Withdrawal

if TYPE_CHECKING:
    from govdisclose.inquiries import InquiryEvent
    from govdisclose.opinion import OpinionCaseEvent

__all__ = [
    "NOTIFICATION_TYPES",
    "ApplicationEventApplied",
    "DeadlineApproaching",
    "InquiryComplaintReceived",
    "InquiryDeadlineApproaching",
    "InquiryEventApplied",
    "Notification",
    "OpinionDeadlineApproaching",
    "OpinionDutyOverdue",
    "OpinionEventApplied",
    "RecordDeadlineApproaching",
    "RecordPublished",
    "RecordWithdrawn",
    "ReportBuilt",
]


@frozen
class RecordPublished:
    """A record was published through one channel and the publication is stored."""

    kind: ClassVar[str] = "record_published"
    record_id: str
    publication: Publication


@frozen
class RecordWithdrawn:
    """A record was withdrawn (撤回) from one channel, which confirmed it; the record's
    publications there carry the `Withdrawal` (`govdisclose.outbox.withdraw`).

    .. versionadded:: 0.2.0
    """

    kind: ClassVar[str] = "record_withdrawn"
    record_id: str
    publisher: str
    withdrawal: Withdrawal


@frozen
class ApplicationEventApplied:
    """An event was appended to a stored application; ``version`` is the version after it."""

    kind: ClassVar[str] = "application_event_applied"
    application_id: str
    event: Event
    version: int


@frozen
class DeadlineApproaching:
    """One of an open application's clocks is near its end (the host decides how near and when
    to check: there is no clock in govdisclose). ``working_days_left`` counts the working days
    after the check day up to and including ``due``.

    ``clock`` is which clock (`govdisclose.deadlines.Clock`: the reply, the correction notice,
    the fee payment, a third party's window with ``party``); ``provisional`` says the due date
    rests on days the calendar does not have final data for, and ``assumption`` what was
    assumed (shown as 暂定 to the clerk).
    """

    kind: ClassVar[str] = "deadline_approaching"
    application_id: str
    due: date
    working_days_left: int
    clock: Clock | None = None
    provisional: bool = False
    assumption: str | None = None
    party: str | None = None


@frozen
class RecordDeadlineApproaching:
    """A 主动公开 record is not published yet and its 20-working-day limit (条例 第二十六条) is
    near; fields as in `DeadlineApproaching`."""

    kind: ClassVar[str] = "record_deadline_approaching"
    record_id: str
    agency: str
    due: date
    working_days_left: int
    provisional: bool = False
    assumption: str | None = None


@frozen
class InquiryDeadlineApproaching:
    """An unanswered inquiry or complaint is near its handling limit (local rules)."""

    kind: ClassVar[str] = "inquiry_deadline_approaching"
    inquiry_id: str
    agency: str
    due: date
    working_days_left: int
    provisional: bool = False
    assumption: str | None = None


@frozen
class InquiryEventApplied:
    """An event was appended to a stored inquiry case (`govdisclose.inquiries`); ``version``
    is the stored version after it."""

    kind: ClassVar[str] = "inquiry_event_applied"
    inquiry_id: str
    agency: str
    event: InquiryEvent
    version: int


@frozen
class InquiryComplaintReceived:
    """An inquirer complained with the query code; ``office`` (the supervising office) has the
    complaint limit to answer (seed 003 篇5, 二、(二)2 (5))."""

    kind: ClassVar[str] = "inquiry_complaint_received"
    inquiry_id: str
    agency: str
    office: str
    on: date


@frozen
class OpinionDeadlineApproaching:
    """A public-opinion event's hour limit (first response, press conference) is near:
    ``due_at`` is an aware Asia/Shanghai datetime, ``hours_left`` the hours from the check time
    to it."""

    kind: ClassVar[str] = "opinion_deadline_approaching"
    event_id: str
    agency: str
    clock: Clock
    due_at: datetime
    hours_left: float


@frozen
class OpinionDutyOverdue:
    """A public-opinion case's hour limit has passed undone (`govdisclose.opinion.reminders`):
    ``duty`` is the limit's code (``first_info`` 5 h, ``press_conference`` 24 h, ``response``
    48 h), ``due_at`` an aware Asia/Shanghai datetime, ``hours_late`` the hours past it at the
    check time."""

    kind: ClassVar[str] = "opinion_duty_overdue"
    event_id: str
    agency: str
    clock: Clock
    duty: str
    due_at: datetime
    hours_late: float


@frozen
class OpinionEventApplied:
    """An event was appended to a stored public-opinion case (`govdisclose.opinion`);
    ``version`` is the stored version after it."""

    kind: ClassVar[str] = "opinion_event_applied"
    case_id: str
    agency: str
    event: OpinionCaseEvent
    version: int


@frozen
class ReportBuilt:
    """The annual report of an agency for a year was built (and passed validation)."""

    kind: ClassVar[str] = "report_built"
    agency: str
    year: int


Notification: TypeAlias = (
    RecordPublished
    | RecordWithdrawn
    | ApplicationEventApplied
    | DeadlineApproaching
    | RecordDeadlineApproaching
    | InquiryDeadlineApproaching
    | InquiryEventApplied
    | InquiryComplaintReceived
    | OpinionDeadlineApproaching
    | OpinionDutyOverdue
    | OpinionEventApplied
    | ReportBuilt
)

#: Every notification class.
NOTIFICATION_TYPES: tuple[type[Notification], ...] = (
    RecordPublished,
    RecordWithdrawn,
    ApplicationEventApplied,
    DeadlineApproaching,
    RecordDeadlineApproaching,
    InquiryDeadlineApproaching,
    InquiryEventApplied,
    InquiryComplaintReceived,
    OpinionDeadlineApproaching,
    OpinionDutyOverdue,
    OpinionEventApplied,
    ReportBuilt,
)
