"""Which opinion event may follow which (`apply`), and the case's status.

The rules: a case starts with one `OpinionDetected`; every later event is at or after the
detection; a regrading changes something; `OpinionClosed` comes at or after every earlier
event and nothing follows it. Responses may be recorded out of time order (a clerk enters
yesterday's interview today), but never before the detection.
"""

from __future__ import annotations

from collections.abc import Iterable

from govdisclose.errors import InvalidTransition
from govdisclose.opinion._model import (
    OpinionCase,
    OpinionCaseEvent,
    OpinionClosed,
    OpinionDetected,
    OpinionRegraded,
)
from govdisclose.vocab import CodedEnum

__all__ = ["OpinionStatus", "apply", "apply_all", "check_history", "status"]


class OpinionStatus(CodedEnum):
    """Where a case stands."""

    NEW = ("new", "未登记")
    HANDLING = ("handling", "处置中")
    RESPONDED = ("responded", "已回应")
    CLOSED = ("closed", "已办结")


def _refuse(case: OpinionCase, event: OpinionCaseEvent, zh: str, en: str) -> InvalidTransition:
    return InvalidTransition(
        f"舆情 {case.id}：{zh}",
        f"opinion case {case.id}: {en}",
        field=f"events[{len(case.events)}]",
        code="opinion.invalid_transition",
    )


def apply(case: OpinionCase, event: OpinionCaseEvent) -> OpinionCase:
    """``case`` with ``event`` appended, or `InvalidTransition` (code
    ``opinion.invalid_transition``) saying why it may not follow."""
    if not case.events:
        if not isinstance(event, OpinionDetected):
            raise _refuse(
                case, event, "第一个事件须为“监测发现”", "the first event must be 'detected'"
            )
        return case.evolve(events=(event,))
    detected = case.detected
    assert detected is not None  # the first event is always the detection
    if case.closed is not None:
        raise _refuse(case, event, "已办结，不能再追加事件", "is closed; nothing may follow")
    if isinstance(event, OpinionDetected):
        raise _refuse(case, event, "已登记监测发现", "was already detected")
    if event.at < detected.at:
        raise _refuse(
            case,
            event,
            f"事件时间 {event.at.isoformat()} 早于监测发现时间 {detected.at.isoformat()}",
            f"event time {event.at.isoformat()} is before the detection {detected.at.isoformat()}",
        )
    if isinstance(event, OpinionRegraded) and (event.grade, event.emergency) == (
        case.grade,
        case.emergency,
    ):
        raise _refuse(case, event, "研判结果与现有等级相同", "the regrading changes nothing")
    if isinstance(event, OpinionClosed):
        latest = max(ev.at for ev in case.events)
        if event.at < latest:
            raise _refuse(
                case,
                event,
                f"办结时间早于已登记的事件（{latest.isoformat()}）",
                f"closed before an event already recorded ({latest.isoformat()})",
            )
    return case.evolve(events=(*case.events, event))


def apply_all(case: OpinionCase, events: Iterable[OpinionCaseEvent]) -> OpinionCase:
    """``case`` with every event applied in order (all or none: the input is not changed)."""
    for event in events:
        case = apply(case, event)
    return case


def check_history(case: OpinionCase) -> None:
    """Raise `InvalidTransition` if ``case``'s history could not have been built by `apply`
    (the stored kind's write rule)."""
    apply_all(case.evolve(events=()), case.events)


def status(case: OpinionCase) -> OpinionStatus:
    """The case's status, derived from its events."""
    if not case.events:
        return OpinionStatus.NEW
    if case.closed is not None:
        return OpinionStatus.CLOSED
    return OpinionStatus.RESPONDED if case.responses else OpinionStatus.HANDLING
