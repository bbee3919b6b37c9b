"""Which inquiry event may follow which; the status and the units' parts, derived.

Nothing derived is stored: `status` and `parts` fold the events. `apply` returns a new case with
the event appended, or raises `govdisclose.errors.InvalidTransition` naming the event, the
field and the event kinds that would have been accepted. The table (seed 003 篇5, 二、(二)2)::

    status              may be followed by
    NEW                 received
    OPEN                forwarded, passed_on, answered, extended, explained
    ANSWERED            passed_on, closed
    CLOSED              complained, rated
    COMPLAINED          extended, explained, complaint_answered   (the supervising office)
    COMPLAINT_ANSWERED  rated

A case is OPEN while some unit's part is unanswered, ANSWERED when every part is (and before
办结). Rules that look further back: events in date order and none before receipt; a unit
answers, extends or explains only a part it holds (at most one open part per unit); a forwarding
comes from a unit that holds an open part, and ends it; a pass under 首问负责 comes from a unit
that has answered its part (the first unit answers its own part, then passes it on, item (3));
one extension per part, none for a 特殊 question whose limit is already the extended one (item
(4)); one complaint, handled by the office named in it; one rating after each answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import attrs
from attrs import frozen

from govdisclose.errors import InvalidTransition
from govdisclose.inquiries._model import (
    Answered,
    Complained,
    ComplaintAnswered,
    Explained,
    Forwarded,
    InquiryCase,
    InquiryClosed,
    InquiryEvent,
    InquiryExtended,
    InquiryReceived,
    PassedOn,
    Rated,
)
from govdisclose.vocab import CodedEnum, InquiryKind

__all__ = [
    "ALLOWED",
    "InquiryStatus",
    "Part",
    "PartOrigin",
    "apply",
    "apply_all",
    "check_history",
    "event_label",
    "parts",
    "status",
]


class InquiryStatus(CodedEnum):
    """Procedural status of an inquiry case, derived from its events."""

    NEW = ("new", "未受理")
    OPEN = ("open", "办理中")
    ANSWERED = ("answered", "已答复待办结")
    CLOSED = ("closed", "已办结")
    COMPLAINED = ("complained", "投诉办理中")
    COMPLAINT_ANSWERED = ("complaint_answered", "投诉已答复")


class PartOrigin(CodedEnum):
    """How a unit came to hold its part of a question."""

    RECEIVED = ("received", "首问受理")
    FORWARDED = ("forwarded", "经政府办转发")
    PASSED_ON = ("passed_on", "首问负责转交")
    COMPLAINT = ("complaint", "投诉")


_S = InquiryStatus

ALLOWED: dict[InquiryStatus, frozenset[type[InquiryEvent]]] = {
    _S.NEW: frozenset({InquiryReceived}),
    _S.OPEN: frozenset({Forwarded, PassedOn, Answered, InquiryExtended, Explained}),
    _S.ANSWERED: frozenset({PassedOn, InquiryClosed}),
    _S.CLOSED: frozenset({Complained, Rated}),
    _S.COMPLAINED: frozenset({InquiryExtended, Explained, ComplaintAnswered}),
    _S.COMPLAINT_ANSWERED: frozenset({Rated}),
}

_LABELS: dict[type[InquiryEvent], str] = {
    InquiryReceived: "受理查询",
    Forwarded: "转发",
    PassedOn: "首问负责转交",
    Answered: "答复",
    InquiryExtended: "延长办理时限",
    Explained: "说明情况",
    InquiryClosed: "办结",
    Complained: "投诉",
    ComplaintAnswered: "投诉答复",
    Rated: "满意度评价",
}


def event_label(event: InquiryEvent | type[InquiryEvent]) -> str:
    """The Chinese name of an inquiry event (or event class)."""
    kind = event if isinstance(event, type) else type(event)
    return _LABELS[kind]


@frozen
class Part:
    """One unit's part of a question, on its own clock.

    ``started_on`` is the day its limit runs from (the day after is the first counted day):
    the receipt for the first unit and for a unit reached by forwarding (whose limit grows by
    ``levels`` forwarding levels), the day of the pass for a unit reached under 首问负责, the
    day of the complaint for the supervising office. ``ended_on`` / ``ended_by`` say when and
    how the part ended (``"answered"``, or ``"forwarded"`` when the unit sent it on as outside
    its remit); ``explained_on`` is the first 说明情况 recorded for the part.
    """

    unit: str
    origin: PartOrigin
    category: InquiryKind
    started_on: date
    levels: int = 0
    extended: bool = False
    explained_on: date | None = None
    ended_on: date | None = None
    ended_by: str | None = None
    answer: Answered | ComplaintAnswered | None = None

    @property
    def open(self) -> bool:
        """Whether the part still awaits its answer (or its forwarding)."""
        return self.ended_on is None


class _Fold:
    """What the rules need to know about a history, folded in one pass."""

    __slots__ = (
        "agency",
        "category",
        "complaint",
        "count",
        "last_on",
        "parts",
        "rated",
        "receipt",
        "status",
    )

    def __init__(self, agency: str) -> None:
        # The receipt's unit is the case's agency: the receipt event does not repeat it.
        self.agency = agency
        self.status = _S.NEW
        self.parts: list[Part] = []
        self.complaint: Part | None = None
        self.category = InquiryKind.GENERAL
        self.receipt: date | None = None
        self.last_on: date | None = None
        self.rated = False
        self.count = 0

    def open_part(self, unit: str) -> int | None:
        for i, part in enumerate(self.parts):
            if part.unit == unit and part.open:
                return i
        return None

    def last_part(self, unit: str) -> Part | None:
        for part in reversed(self.parts):
            if part.unit == unit:
                return part
        return None

    def settle(self) -> None:
        if self.status in (_S.OPEN, _S.ANSWERED):
            self.status = _S.OPEN if any(p.open for p in self.parts) else _S.ANSWERED

    def advance(self, event: InquiryEvent) -> None:
        """Fold ``event`` in (already admitted)."""
        on = event.on
        if isinstance(event, InquiryReceived):
            self.category, self.receipt = event.category, on
            self.parts.append(Part(self.agency, PartOrigin.RECEIVED, event.category, on))
            self.status = _S.OPEN
        elif isinstance(event, Forwarded):
            i = self.open_part(event.from_unit)
            assert i is not None
            old = self.parts[i]
            self.parts[i] = attrs.evolve(old, ended_on=on, ended_by="forwarded")
            self.parts.append(
                Part(
                    event.to_unit,
                    PartOrigin.FORWARDED,
                    self.category,
                    old.started_on,
                    levels=old.levels + len(event.offices),
                    extended=old.extended,
                )
            )
        elif isinstance(event, PassedOn):
            self.parts.append(Part(event.to_unit, PartOrigin.PASSED_ON, self.category, on))
        elif isinstance(event, Answered):
            i = self.open_part(event.unit)
            assert i is not None
            self.parts[i] = attrs.evolve(
                self.parts[i], ended_on=on, ended_by="answered", answer=event
            )
        elif isinstance(event, InquiryExtended | Explained):
            self._mark(event)
        elif isinstance(event, InquiryClosed):
            self.status, self.rated = _S.CLOSED, False
        elif isinstance(event, Complained):
            self.complaint = Part(event.office, PartOrigin.COMPLAINT, InquiryKind.COMPLAINT, on)
            self.status = _S.COMPLAINED
        elif isinstance(event, ComplaintAnswered):
            assert self.complaint is not None
            self.complaint = attrs.evolve(
                self.complaint, ended_on=on, ended_by="answered", answer=event
            )
            self.status, self.rated = _S.COMPLAINT_ANSWERED, False
        elif isinstance(event, Rated):
            self.rated = True
        self.settle()
        self.last_on = on
        self.count += 1

    def _mark(self, event: InquiryExtended | Explained) -> None:
        extended = isinstance(event, InquiryExtended)
        if self.status is _S.COMPLAINED:
            assert self.complaint is not None
            self.complaint = _marked(self.complaint, event.on, extended)
            return
        i = self.open_part(event.unit)
        assert i is not None
        self.parts[i] = _marked(self.parts[i], event.on, extended)


def _marked(part: Part, on: date, extended: bool) -> Part:
    if extended:
        return attrs.evolve(part, extended=True)
    return attrs.evolve(part, explained_on=part.explained_on or on)


def _refuse(
    case_id: str,
    index: int,
    zh: str,
    en: str,
    expected: Iterable[type[InquiryEvent]],
    *,
    field: str | None = None,
    code: str | None = None,
) -> InvalidTransition:
    return InvalidTransition(
        f"查询 {case_id}：{zh}",
        f"inquiry {case_id}: {en}",
        field=f"events[{index}]" + (f".{field}" if field else ""),
        code=code or "inquiries.invalid_transition",
        expected=sorted(k.kind for k in expected),
    )


def _admit(state: _Fold, case_id: str, event: InquiryEvent) -> None:
    """Check that ``event`` may follow the folded history, then fold it in."""
    index = state.count
    allowed = ALLOWED[state.status]
    label = event_label(event)
    if type(event) not in allowed:
        names = "、".join(sorted(_LABELS[k] for k in allowed)) or "无"
        raise _refuse(
            case_id,
            index,
            f"当前状态为“{state.status.label}”，不能登记“{label}”；此时可登记：{names}",
            f"cannot record {event.kind!r} while the inquiry is {state.status.code!r}; "
            f"expected one of: {', '.join(sorted(k.kind for k in allowed))}",
            allowed,
        )
    if state.last_on is not None and event.on < state.last_on:
        raise _refuse(
            case_id,
            index,
            f"“{label}”的日期 {event.on} 早于上一事件的日期 {state.last_on}",
            f"{event.kind!r} is dated {event.on}, before the previous event ({state.last_on})",
            allowed,
            field="on",
        )
    _check(state, case_id, event, allowed)
    state.advance(event)


def _check(
    state: _Fold, case_id: str, event: InquiryEvent, allowed: frozenset[type[InquiryEvent]]
) -> None:
    index = state.count
    if isinstance(event, Forwarded | Answered) or (
        isinstance(event, InquiryExtended | Explained) and state.status is _S.OPEN
    ):
        unit = event.from_unit if isinstance(event, Forwarded) else event.unit
        if state.open_part(unit) is None:
            holders = "、".join(p.unit for p in state.parts if p.open) or "无"
            raise _refuse(
                case_id,
                index,
                f"“{unit}”没有待办的部分，不能登记“{event_label(event)}”；待办单位：{holders}",
                f"{unit!r} holds no open part, so it cannot record {event.kind!r}; units with "
                f"open parts: {holders}",
                allowed,
                field="from_unit" if isinstance(event, Forwarded) else "unit",
            )
    if isinstance(event, Forwarded | PassedOn) and state.open_part(event.to_unit) is not None:
        raise _refuse(
            case_id,
            index,
            f"“{event.to_unit}”已有待办的部分，不能再转给它",
            f"{event.to_unit!r} already holds an open part of this question",
            allowed,
            field="to_unit",
        )
    if isinstance(event, Forwarded | PassedOn) and event.to_unit == event.from_unit:
        raise _refuse(
            case_id,
            index,
            "不能转给本单位",
            "a question cannot be sent on to the unit that sends it",
            allowed,
            field="to_unit",
        )
    if isinstance(event, PassedOn):
        last = state.last_part(event.from_unit)
        if last is None or last.ended_by != "answered":
            raise _refuse(
                case_id,
                index,
                f"首问负责：“{event.from_unit}”须先答复本单位职责范围内的部分，才能转交下一部门",
                f"under 首问负责 {event.from_unit!r} answers its own part before passing the "
                "question on",
                {Answered},
                field="from_unit",
                code="inquiries.answer_first",
            )
    if isinstance(event, InquiryExtended):
        _check_extension(state, case_id, event, allowed)
    if isinstance(event, Explained | ComplaintAnswered) and state.status is _S.COMPLAINED:
        office = state.complaint.unit if state.complaint else ""
        unit = event.unit if isinstance(event, Explained) else event.office
        if unit != office:
            raise _refuse(
                case_id,
                index,
                f"投诉由“{office}”办理，不是“{unit}”",
                f"the complaint is handled by {office!r}, not {unit!r}",
                allowed,
                field="unit" if isinstance(event, Explained) else "office",
            )
    if isinstance(event, Complained) and state.complaint is not None:
        raise _refuse(
            case_id,
            index,
            "已投诉过一次",
            "the inquiry was already complained about",
            allowed - {Complained},
        )
    if isinstance(event, Rated) and state.rated:
        raise _refuse(
            case_id,
            index,
            "本次答复已评价过",
            "this answer was already rated",
            allowed - {Rated},
        )


def _check_extension(
    state: _Fold, case_id: str, event: InquiryExtended, allowed: frozenset[type[InquiryEvent]]
) -> None:
    index = state.count
    if state.status is _S.COMPLAINED:
        part = state.complaint
        assert part is not None
        if event.unit != part.unit:
            raise _refuse(
                case_id,
                index,
                f"投诉由“{part.unit}”办理，不是“{event.unit}”",
                f"the complaint is handled by {part.unit!r}, not {event.unit!r}",
                allowed,
                field="unit",
            )
    else:
        i = state.open_part(event.unit)
        assert i is not None
        part = state.parts[i]
    if part.extended:
        raise _refuse(
            case_id,
            index,
            f"“{part.unit}”的办理时限已延长过一次",
            f"the limit of {part.unit!r}'s part was already extended once",
            allowed - {InquiryExtended},
            code="inquiries.extended_twice",
        )
    if part.category is InquiryKind.SPECIAL:
        raise _refuse(
            case_id,
            index,
            "特殊问题的办理时限已是延长后的时限（20个工作日），不能再延长",
            "a special question's limit is already the extended one (20 working days)",
            allowed - {InquiryExtended},
            code="inquiries.extended_twice",
        )


def _fold(case: InquiryCase, events: Iterable[InquiryEvent] = (), *, check: bool) -> _Fold:
    state = _Fold(case.agency)
    for ev in (*case.events, *events):
        if check:
            _admit(state, case.id, ev)
        else:
            state.advance(ev)
    return state


def apply(case: InquiryCase, event: InquiryEvent) -> InquiryCase:
    """``case`` with ``event`` appended, or `InvalidTransition`; ``case`` is unchanged."""
    return apply_all(case, (event,))


def apply_all(case: InquiryCase, events: Iterable[InquiryEvent]) -> InquiryCase:
    """Apply several events in order; the first refused one raises and nothing is applied."""
    added = tuple(events)
    if not added:
        return case
    state = _fold(case, check=False)
    for ev in added:
        _admit(state, case.id, ev)
    return attrs.evolve(case, events=(*case.events, *added))


def check_history(case: InquiryCase) -> None:
    """Raise `InvalidTransition` at the first event that may not follow the ones before it."""
    _fold(case, check=True)


def status(case: InquiryCase) -> InquiryStatus:
    """The status after the case's last event."""
    return _fold(case, check=False).status


def parts(case: InquiryCase) -> tuple[Part, ...]:
    """Every unit's part, in the order the units got them, then the complaint's (the
    supervising office's) if there is one."""
    state = _fold(case, check=False)
    return (*state.parts, *((state.complaint,) if state.complaint else ()))
