"""Each unit's clock, the findings about late answers, the reminders and the yearly counts.

One rule, written once: every part of a case (`govdisclose.inquiries.Part`) is shown to the
existing clock as a flat `govdisclose.model.Inquiry` (`clock_views`), and its limit is
`govdisclose.deadlines.inquiry_deadline` of that view: the class's limit from the local
parameters (params/data/local_inquiry.toml, seed 003 篇5 二、(二)2 (4)), 5 working days more per
forwarding level, the extension to 20 (complaints 30) when approved, counted from the day after
the part started, with the calendar's holidays and 调休 and the steps that explain the date.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date

from attrs import frozen

from govdisclose._time import count_arg, day_arg
from govdisclose.calendar import WorkCalendar
from govdisclose.clocks import ClockState, ClockStatus, Deadline, ItemProblem
from govdisclose.deadlines import Clock, inquiry_deadline, inquiry_status
from govdisclose.errors import GovDiscloseError
from govdisclose.findings import Finding, Severity
from govdisclose.inquiries._lifecycle import Part, PartOrigin, parts
from govdisclose.inquiries._model import Complained, InquiryCase, Rated, Satisfaction
from govdisclose.model import Inquiry
from govdisclose.notifications import InquiryDeadlineApproaching
from govdisclose.params import ParameterSet

__all__ = [
    "LATE_ANSWER_ARTICLE",
    "InquiryYear",
    "UnitCheck",
    "UnitChecks",
    "UnitClock",
    "approaching",
    "clock_views",
    "findings",
    "unit_clocks",
    "yearly_counts",
]

#: Where the duty to explain a late answer is written.
LATE_ANSWER_ARTICLE = (
    "地方政务信息查询制度（种子文件003，篇5）二、（二）3：不能按期回复的，责任单位应及时向"
    "监督管理部门说明情况，并公开回复说明。对逾期未办，又未说明情况的，由监察机关进行问责"
)


def _view(case: InquiryCase, part: Part) -> Inquiry:
    return Inquiry(
        id=case.id,
        agency=part.unit,
        kind=part.category,
        received_on=part.started_on,
        forwarding_levels=part.levels,
        extended=part.extended,
        answered_on=part.ended_on,
    )


def clock_views(case: InquiryCase) -> tuple[Inquiry, ...]:
    """The case as flat `Inquiry` values, one per part (``agency`` is the unit holding the
    part, ``answered_on`` the day the part ended): what `govdisclose.deadlines.inquiry_status`
    and the daily job (`govdisclose.daily.check`) read."""
    return tuple(_view(case, part) for part in parts(case))


@frozen
class UnitClock:
    """One part's clock: the part, its flat view and its explained `Deadline`."""

    case_id: str
    part: Part
    view: Inquiry
    deadline: Deadline

    @property
    def unit(self) -> str:
        """The unit holding the part."""
        return self.part.unit

    @property
    def late(self) -> bool:
        """Ended (answered or forwarded) after the due date."""
        ended = self.part.ended_on
        return ended is not None and ended > self.deadline.due

    def status(
        self, as_of: date, *, params: ParameterSet, calendar: WorkCalendar, warn_within: int = 1
    ) -> ClockStatus:
        """The clock on ``as_of`` (`govdisclose.deadlines.inquiry_status` of the view)."""
        return inquiry_status(
            self.view, as_of, params=params, calendar=calendar, warn_within=warn_within
        )

    def explain(self) -> str:
        """The due date and why, in Chinese, one step a line."""
        return f"{self.unit}（{self.part.origin.label}）\n{self.deadline.explain()}"


def unit_clocks(
    case: InquiryCase, *, params: ParameterSet, calendar: WorkCalendar
) -> tuple[UnitClock, ...]:
    """Every part's clock, in the order of `govdisclose.inquiries.parts`."""
    out = []
    for part in parts(case):
        view = _view(case, part)
        out.append(
            UnitClock(case.id, part, view, inquiry_deadline(view, params=params, calendar=calendar))
        )
    return tuple(out)


def findings(
    case: InquiryCase, as_of: date, *, params: ParameterSet, calendar: WorkCalendar
) -> list[Finding]:
    """What the supervising office would hold against the case on ``as_of``: an answer given
    after its due date without a recorded 说明情况 (``inquiry.late_unexplained``), and a part
    still open past its due date without one (``inquiry.overdue_unexplained``: 逾期未办，又未说明
    情况). Both are errors (seed 003 篇5 二、(二)3, `LATE_ANSWER_ARTICLE`)."""
    day = day_arg(as_of, "as_of")
    out = []
    for i, clock in enumerate(unit_clocks(case, params=params, calendar=calendar)):
        part, due = clock.part, clock.deadline.due
        if part.explained_on is not None:
            continue
        if part.ended_by == "answered" and clock.late:
            assert part.ended_on is not None
            late = calendar.working_days_between(due, part.ended_on)
            out.append(
                Finding(
                    rule_id="inquiry.late_unexplained",
                    severity=Severity.ERROR,
                    message_zh=f"查询 {case.id}：{part.unit}于{part.ended_on}答复，超过期限"
                    f"{due}（逾期{late}个工作日），未向监督管理部门说明情况",
                    message_en=f"inquiry {case.id}: {part.unit} answered on {part.ended_on}, "
                    f"{late} working days after its due date {due}, without an explanation "
                    "to the supervising office",
                    field=f"parts[{i}]",
                    article=LATE_ANSWER_ARTICLE,
                )
            )
        elif part.open and day > due:
            late = calendar.working_days_between(due, day)
            out.append(
                Finding(
                    rule_id="inquiry.overdue_unexplained",
                    severity=Severity.ERROR,
                    message_zh=f"查询 {case.id}：{part.unit}逾期未办（期限{due}，至{day}已逾期"
                    f"{late}个工作日），又未说明情况",
                    message_en=f"inquiry {case.id}: {part.unit} is overdue (due {due}, "
                    f"{late} working days late on {day}) and has not explained why",
                    field=f"parts[{i}]",
                    article=LATE_ANSWER_ARTICLE,
                )
            )
    return out


@frozen
class UnitCheck:
    """One open part due soon or overdue on the check day."""

    case_id: str
    agency: str
    unit: str
    origin: PartOrigin
    status: ClockStatus
    explained: bool

    def describe(self) -> str:
        """One line for a clerk."""
        st = self.status
        if st.state is ClockState.OVERDUE:
            detail = f"逾期 {st.working_days_late} 个工作日" + (
                "（已说明情况）" if self.explained else "（未说明情况）"
            )
        else:
            detail = f"剩余 {st.working_days_left} 个工作日"
        mark = "（暂定）" if st.provisional else ""
        return (
            f"查询 {self.case_id}  {self.unit}（{self.origin.label}）  期限 {st.due}{mark}  "
            f"{st.state.label}，{detail}"
        )

    def reminder(self) -> InquiryDeadlineApproaching:
        """The notification for the ``govdisclose_handle_event`` hook (``agency`` is the unit
        that must answer)."""
        assert self.status.due is not None
        return InquiryDeadlineApproaching(
            self.case_id,
            self.unit,
            self.status.due,
            self.status.working_days_left or 0,
            self.status.provisional,
        )


@frozen
class UnitChecks:
    """What `approaching` returns: the parts due soon and overdue, overdue first (most late
    first), then nearest due; and the cases whose clock could not be computed."""

    items: tuple[UnitCheck, ...]
    problems: tuple[ItemProblem, ...]

    @property
    def overdue(self) -> tuple[UnitCheck, ...]:
        """The overdue parts."""
        return tuple(c for c in self.items if c.status.state is ClockState.OVERDUE)

    @property
    def due_soon(self) -> tuple[UnitCheck, ...]:
        """The parts due within the window."""
        return tuple(c for c in self.items if c.status.state is ClockState.DUE_SOON)

    def reminders(self) -> tuple[InquiryDeadlineApproaching, ...]:
        """A notification for each part due soon (overdue ones are reported, not reminded, as
        in `govdisclose.daily.approaching`)."""
        return tuple(c.reminder() for c in self.due_soon)


def approaching(
    cases: Iterable[InquiryCase],
    as_of: date,
    *,
    params: ParameterSet,
    calendar: WorkCalendar,
    within: int = 3,
) -> UnitChecks:
    """Every open part of every case that is overdue or due within ``within`` working days
    after ``as_of`` (the due day included), per unit. A case whose clock cannot be computed (a
    year without holiday data under the strict policy) is an `ItemProblem`, never an abort."""
    day = day_arg(as_of, "as_of")
    within = count_arg(within, "within")
    found: list[UnitCheck] = []
    problems: list[ItemProblem] = []
    for index, case in enumerate(cases):
        try:
            clocks = unit_clocks(case, params=params, calendar=calendar)
            for clock in clocks:
                if not clock.part.open:
                    continue
                st = clock.status(day, params=params, calendar=calendar, warn_within=within)
                if st.state in (ClockState.OVERDUE, ClockState.DUE_SOON):
                    found.append(
                        UnitCheck(
                            case.id,
                            case.agency,
                            clock.unit,
                            clock.part.origin,
                            st,
                            clock.part.explained_on is not None,
                        )
                    )
        except GovDiscloseError as err:
            problems.append(
                ItemProblem.from_error(
                    case.id, err, subject="inquiry", clock=Clock.INQUIRY, index=index
                )
            )
    found.sort(
        key=lambda c: (
            c.status.state is not ClockState.OVERDUE,
            -(c.status.working_days_late or 0),
            c.status.due or day,
            c.case_id,
            c.unit,
        )
    )
    return UnitChecks(tuple(found), tuple(problems))


@frozen
class InquiryYear:
    """One agency's inquiries in a year, for the annual report's narrative.

    ``received``: questions it received first (首问) in the year; ``answered``: parts it
    answered in the year, ``answered_on_time`` of them by their due date, ``late_unexplained``
    late without 说明情况; ``forwarded``: parts it forwarded as outside its remit;
    ``complaints``: complaints filed in the year about questions it received;
    ``complaints_handled`` / ``complaints_on_time``: complaints it answered as the supervising
    office; ``ratings`` and ``satisfied`` (满意 or 基本满意) of its questions' ratings.
    """

    agency: str
    year: int
    received: int = 0
    answered: int = 0
    answered_on_time: int = 0
    late_unexplained: int = 0
    forwarded: int = 0
    complaints: int = 0
    complaints_handled: int = 0
    complaints_on_time: int = 0
    ratings: int = 0
    satisfied: int = 0

    def narrative(self) -> str:
        """The sentence the annual report's text quotes."""
        return (
            f"{self.year}年受理政务信息查询{self.received}件，答复{self.answered}件，"
            f"其中按期答复{self.answered_on_time}件；收到投诉{self.complaints}件"
        )


def yearly_counts(
    cases: Iterable[InquiryCase], year: int, *, params: ParameterSet, calendar: WorkCalendar
) -> list[InquiryYear]:
    """`InquiryYear` per agency (sorted by code) with anything to count in ``year``."""
    counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for case in cases:
        rec = case.received
        if rec is None:
            continue
        if rec.on.year == year:
            counts[case.agency]["received"] += 1
        for clock in unit_clocks(case, params=params, calendar=calendar):
            part = clock.part
            if part.ended_on is None or part.ended_on.year != year:
                continue
            if part.origin is PartOrigin.COMPLAINT:
                counts[part.unit]["complaints_handled"] += 1
                counts[part.unit]["complaints_on_time"] += not clock.late
            elif part.ended_by == "answered":
                counts[part.unit]["answered"] += 1
                counts[part.unit]["answered_on_time"] += not clock.late
                counts[part.unit]["late_unexplained"] += clock.late and part.explained_on is None
            else:
                counts[part.unit]["forwarded"] += 1
        for ev in case.events:
            if ev.on.year != year:
                continue
            if isinstance(ev, Complained):
                counts[case.agency]["complaints"] += 1
            elif isinstance(ev, Rated):
                counts[case.agency]["ratings"] += 1
                counts[case.agency]["satisfied"] += ev.satisfaction is not Satisfaction.DISSATISFIED
    return [InquiryYear(agency, year, **dict(c)) for agency, c in sorted(counts.items())]
