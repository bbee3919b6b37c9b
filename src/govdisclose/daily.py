"""The daily job: every clock of every open item on a day, with per-item problems.

An office runs this each morning (govdisclose has no clock: the host passes the day). For every
open application it looks at each clock the library computes (the reply, the one-time
correction notice, the applicant's fee payment, each consulted party's window), for every
unpublished 主动公开 record its 20-working-day limit, for every unanswered inquiry or complaint
its local limit, and for every major public-opinion event its hour limits::

    run = daily.check(daily.open_applications(store, today), as_of=today, params=params,
                      calendar=calendar, records=store.records())
    for reminder in run.reminders():
        plugins.notify(pm, reminder)
    print(run.summary())

**No run fails for one item.** An item whose clock cannot be computed (most often: its due date
falls in a year whose State Council holiday notice is not loaded, under the strict calendar
policy) is reported as an `govdisclose.deadlines.ItemProblem` naming the item, the clock, the
missing year and what to do, next to the results of all the others. With the provisional
policy the same items get a result marked provisional (暂定) with the assumption made; the
summary says how many and why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from attrs import evolve, field, frozen

from govdisclose._time import SHANGHAI, count_arg, day_arg
from govdisclose.calendar import WorkCalendar
from govdisclose.deadlines import (
    Clock,
    ClockState,
    ClockStatus,
    Deadline,
    ItemProblem,
    correction_notice_deadline,
    fee_payment_deadline,
    inquiry_status,
    opinion_deadlines,
    proactive_status,
    reply_status,
    status_of,
    third_party_deadlines,
)
from govdisclose.errors import CalendarDataMissing, GovDiscloseError, ValidationError
from govdisclose.lifecycle import open_consultations
from govdisclose.model import (
    Application,
    CorrectionRequested,
    FeeNotified,
    FeePaid,
    Inquiry,
    OpinionEvent,
    Record,
    ThirdPartyConsulted,
)
from govdisclose.notifications import (
    DeadlineApproaching,
    InquiryDeadlineApproaching,
    OpinionDeadlineApproaching,
    RecordDeadlineApproaching,
)
from govdisclose.params import ParameterSet
from govdisclose.vocab import FeeMethod

if TYPE_CHECKING:
    from govdisclose.columns import ReplyFacts
    from govdisclose.deadlines import StatusBatch
    from govdisclose.inquiries import InquiryCase
    from govdisclose.opinion import OpinionCase

__all__ = [
    "CalendarChange",
    "ClockCheck",
    "DailyCheck",
    "DueMove",
    "Reminder",
    "Reminders",
    "Subject",
    "approaching",
    "check",
    "open_applications",
    "what_moved",
]

#: What an item of the daily job is.
Subject = Literal["application", "record", "inquiry", "opinion"]

_SUBJECT_LABEL = {
    "application": "申请",
    "record": "政府信息",
    "inquiry": "咨询投诉",
    "opinion": "舆情",
}

#: The states of a clock that still needs someone to act.
_OPEN = frozenset({ClockState.PENDING, ClockState.DUE_SOON, ClockState.OVERDUE, ClockState.STOPPED})

#: Any notification the daily job hands to the ``govdisclose_handle_event`` hook.
Reminder = (
    DeadlineApproaching
    | RecordDeadlineApproaching
    | InquiryDeadlineApproaching
    | OpinionDeadlineApproaching
)


@frozen
class ClockCheck:
    """One open clock of one item on the check day.

    Day clocks fill ``due`` and ``working_days_left`` / ``working_days_late``; the public-opinion
    hour clocks fill ``due_at`` and ``hours_left`` (negative when overdue) instead.
    ``provisional`` marks a due date that rests on days without final holiday data, with the
    ``assumption`` made; ``party`` names the consulted party of a third-party window.
    """

    subject: Subject
    subject_id: str
    agency: str
    clock: Clock
    state: ClockState
    due: date | None = None
    working_days_left: int | None = None
    working_days_late: int | None = None
    due_at: datetime | None = None
    hours_left: float | None = None
    provisional: bool = False
    assumption: str | None = None
    party: str | None = None
    reason: str | None = None

    def describe(self) -> str:
        """One line for a clerk: what, which clock, due when, how late or how near; 暂定 marks a
        provisional due date."""
        who = f"{_SUBJECT_LABEL[self.subject]} {self.subject_id}"
        clock = self.clock.label + (f"（{self.party}）" if self.party else "")
        mark = "（暂定）" if self.provisional else ""
        if self.due_at is not None:
            left = self.hours_left or 0.0
            when = f"{self.due_at.strftime('%Y-%m-%d %H:%M')}{mark}"
            detail = f"已超时 {-left:.1f} 小时" if left < 0 else f"剩余 {left:.1f} 小时"
        else:
            when = f"{self.due.isoformat() if self.due else '—'}{mark}"
            if self.state is ClockState.OVERDUE:
                detail = f"逾期 {self.working_days_late} 个工作日"
            elif self.state is ClockState.STOPPED:
                detail = self.reason or "暂停计算"
            else:
                detail = f"剩余 {self.working_days_left} 个工作日"
        return f"{who}  {self.agency}  {clock}  {when}  {self.state.label}，{detail}"

    def reminder(self) -> Reminder:
        """The notification for the ``govdisclose_handle_event`` hook."""
        if self.subject == "opinion":
            assert self.due_at is not None
            return OpinionDeadlineApproaching(
                self.subject_id, self.agency, self.clock, self.due_at, self.hours_left or 0.0
            )
        assert self.due is not None
        left = self.working_days_left or 0
        if self.subject == "record":
            return RecordDeadlineApproaching(
                self.subject_id, self.agency, self.due, left, self.provisional, self.assumption
            )
        if self.subject == "inquiry":
            return InquiryDeadlineApproaching(
                self.subject_id, self.agency, self.due, left, self.provisional, self.assumption
            )
        return DeadlineApproaching(
            self.subject_id,
            self.due,
            left,
            clock=self.clock,
            provisional=self.provisional,
            assumption=self.assumption,
            party=self.party,
        )


@frozen
class Reminders:
    """What `govdisclose.deadlines.approaching` returns: the due-soon notifications, nearest
    first, and the items it could not compute. Iterates, indexes and counts like the tuple of
    notifications it holds.

    ``replies``: when `approaching` was given `govdisclose.columns.ReplyFacts`, the reply
    status of every row of them, as `govdisclose.deadlines.reply_status_facts` gives it with
    ``warn_within`` the run's ``within`` (computed for the reminders anyway: the daily job's
    status list need not compute it again); None when given objects.

    .. versionchanged:: 0.2.0 ``replies``.
    """

    items: tuple[Reminder, ...]
    problems: tuple[ItemProblem, ...]
    summary: str
    replies: StatusBatch | None = field(default=None, eq=False, repr=False)

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> Reminder:
        return self.items[i]

    def __bool__(self) -> bool:
        return bool(self.items)


@frozen
class DailyCheck:
    """The result of one run of the daily job (`check`).

    ``checks`` holds every open clock (overdue, due soon, running, stopped) ordered overdue
    first (longest overdue at the top), then by due date; ``problems`` every item that could
    not be computed, in input order. ``policy`` and ``assumption`` are the calendar's.
    """

    as_of: date
    policy: str
    calendar_version: str
    assumption: str
    checks: tuple[ClockCheck, ...]
    problems: tuple[ItemProblem, ...]
    items: int

    @property
    def overdue(self) -> tuple[ClockCheck, ...]:
        """The clocks past their due date."""
        return tuple(c for c in self.checks if c.state is ClockState.OVERDUE)

    @property
    def due_soon(self) -> tuple[ClockCheck, ...]:
        """The clocks near their due date (within the run's ``within``), nearest first."""
        return tuple(c for c in self.checks if c.state is ClockState.DUE_SOON)

    @property
    def provisional(self) -> tuple[ClockCheck, ...]:
        """The clocks whose due date is provisional (暂定)."""
        return tuple(c for c in self.checks if c.provisional)

    def reminders(self) -> tuple[Reminder, ...]:
        """A notification for every due-soon clock, nearest first."""
        return tuple(c.reminder() for c in self.due_soon)

    def summary(self) -> str:
        """The run in a few lines, Chinese then English: counts, provisional results and why,
        and the items that could not be computed."""
        counts = _Counts(
            len(self.checks), len(self.overdue), len(self.due_soon), len(self.provisional)
        )
        return _summary(self, counts, self.items, self.problems)


@frozen
class _Counts:
    """How many open clocks a run has: in all, overdue, due soon, provisional."""

    checks: int
    overdue: int
    due_soon: int
    provisional: int

    def __add__(self, other: _Counts) -> _Counts:
        return _Counts(
            self.checks + other.checks,
            self.overdue + other.overdue,
            self.due_soon + other.due_soon,
            self.provisional + other.provisional,
        )


def _summary(
    run: DailyCheck, counts: _Counts, items: int, problems: tuple[ItemProblem, ...]
) -> str:
    """`DailyCheck.summary` of a run (its day and calendar) with these counts, items and
    problems."""
    day, policy = run.as_of.isoformat(), run.policy
    lines = [
        f"{day}：检查{items}项的{counts.checks}个未结期限，"
        f"已逾期{counts.overdue}个，即将到期{counts.due_soon}个，暂定{counts.provisional}个，"
        f"无法计算{len(problems)}项（日历策略 {policy}）"
        f" / {day}: {items} items, {counts.checks} open clocks: "
        f"{counts.overdue} overdue, {counts.due_soon} due soon, {counts.provisional} "
        f"provisional, {len(problems)} not computed (calendar policy {policy})"
    ]
    if counts.provisional:
        lines.append(f"暂定结果的假定 / provisional results assume: {run.assumption}")
    years = sorted({p.year for p in problems if p.year is not None})
    if years:
        shown = "、".join(f"{y}年" for y in years)
        advice_zh, advice_en = CalendarDataMissing.advice(years)
        lines.append(
            f"缺少{shown}的节假日数据：{advice_zh}"
            f" / no holiday data for {', '.join(map(str, years))}: {advice_en}"
        )
    return "\n".join(lines)


def _from_status(
    subject: Subject, subject_id: str, agency: str, st: ClockStatus, cal: WorkCalendar, **kw: Any
) -> ClockCheck:
    provisional = st.provisional
    return ClockCheck(
        subject=subject,
        subject_id=subject_id,
        agency=agency,
        clock=st.clock,
        state=st.state,
        due=st.due,
        working_days_left=st.working_days_left,
        working_days_late=st.working_days_late,
        provisional=provisional,
        assumption=cal.provisional_assumption if provisional else None,
        reason=st.reason,
        **kw,
    )


def _application_clocks(
    app: Application,
    day: date,
    params: ParameterSet,
    cal: WorkCalendar,
    within: int,
    reply: ClockStatus | None = None,
) -> Iterable[tuple[Clock, Callable[[], ClockStatus | None], str | None]]:
    """The application's clocks that can be open on ``day``, each as a thunk, so that one
    failing clock does not hide the others. ``reply``: its reply status, computed already
    (by the batch)."""
    known = tuple(e for e in app.events if e.on <= day)
    final = app.final_event
    if final is not None and final.on <= day:
        return  # closed: no clock is open any more
    if reply is not None:
        yield Clock.REPLY, lambda: reply, None
    else:
        yield (
            Clock.REPLY,
            lambda: reply_status(app, day, params=params, calendar=cal, warn_within=within),
            None,
        )
    if not any(isinstance(e, CorrectionRequested) for e in known):

        def correction() -> ClockStatus | None:
            deadline = correction_notice_deadline(app, params=params, calendar=cal)
            st = _open(deadline, day, cal, within, None)
            # Most applications need no correction: once the 7 working days have passed, the
            # clock is not "overdue", it is simply no longer open (第三十条).
            return None if st is None or st.state is ClockState.OVERDUE else st

        yield Clock.CORRECTION_NOTICE, correction, None
    notices = [e for e in known if isinstance(e, FeeNotified)]
    if notices and not _paid_after(known, notices[-1]):

        def fee() -> ClockStatus | None:
            deadline = fee_payment_deadline(_upto(app, day), params=params, calendar=cal)
            return _open(deadline, day, cal, within, None)

        yield Clock.FEE_PAYMENT, fee, None
    waiting = open_consultations(known)
    if waiting:
        for party in dict.fromkeys(waiting):

            def window(party: str = party) -> ClockStatus | None:
                windows = third_party_deadlines(_upto(app, day), params=params, calendar=cal)
                consults = [e for e in known if isinstance(e, ThirdPartyConsulted)]
                # The last consultation of this party is the one still waiting for its reply.
                idx = max(i for i, e in enumerate(consults) if e.party == party)
                found = windows[idx] if idx < len(windows) else None
                return _open(found, day, cal, within, None)

            clock = Clock.THIRD_PARTY
            asked = [e for e in known if isinstance(e, ThirdPartyConsulted) and e.party == party]
            if asked[0].is_agency:
                clock = Clock.CO_PRODUCER
            yield clock, window, party


def _upto(app: Application, day: date) -> Application:
    """The application as known on ``day`` (later events are not known yet)."""
    from attrs import evolve

    return evolve(app, events=tuple(e for e in app.events if e.on <= day))


def _paid_after(events: tuple[Any, ...], notice: FeeNotified) -> bool:
    """Whether a fee payment follows the last fee notice (``notice``) among ``events``."""
    last = max(i for i, ev in enumerate(events) if ev is notice)
    return any(isinstance(ev, FeePaid) for ev in events[last + 1 :])


def _open(
    deadline: Deadline | None, day: date, cal: WorkCalendar, within: int, done_on: date | None
) -> ClockStatus | None:
    if deadline is None:
        return None
    return status_of(deadline, day, calendar=cal, done_on=done_on, warn_within=within)


#: Batch reply states taken as they are; the others (STOPPED says why, UNDETERMINED raises the
#: item's own error) are computed again by `reply_status` for the few rows in them.
_BATCH_STATES = frozenset(
    {
        ClockState.NOT_STARTED,
        ClockState.PENDING,
        ClockState.DUE_SOON,
        ClockState.OVERDUE,
        ClockState.MET,
        ClockState.MISSED,
        ClockState.ENDED,
    }
)


def _replies(
    applications: Iterable[Application] | ReplyFacts,
    day: date,
    params: ParameterSet,
    cal: WorkCalendar,
    within: int,
) -> tuple[Sequence[Application], Callable[[int], ClockStatus | None]]:
    """The applications (loaded on access when given as `ReplyFacts`) and the reply status of
    row ``i`` from the batch (`reply_status_facts`) where numpy is installed, else ``None``
    (then `reply_status` computes it)."""
    try:
        from govdisclose.columns import ReplyFacts
        from govdisclose.deadlines import reply_status_facts
    except ImportError:  # numpy is an optional extra: the scalar path
        return list(applications), _no_reply  # type: ignore[arg-type]
    if isinstance(applications, ReplyFacts):
        facts = applications
        apps: Sequence[Application] = _Loaded(facts)
    else:
        apps = list(applications)
        if not apps:
            return apps, _no_reply
        facts = ReplyFacts.of(apps)
    batch = reply_status_facts(facts, day, params=params, calendar=cal, warn_within=within)

    def reply(i: int) -> ClockStatus | None:
        st = batch[i]
        return st if st.state in _BATCH_STATES else None

    return apps, reply


def _no_reply(i: int) -> ClockStatus | None:
    return None


class _Loaded(Sequence[Application]):
    """The rows of a `ReplyFacts` as applications, loaded on access a block of rows at a time
    (`ReplyFacts.objects`: one query per block for a SQL store), the last block kept."""

    _BLOCK = 1024

    def __init__(self, facts: ReplyFacts) -> None:
        self._facts = facts
        self._start = -1
        self._block: list[Application] = []

    def __len__(self) -> int:
        return len(self._facts)

    def _one(self, i: int) -> Application:
        if i < 0:
            i += len(self)
        start = i - i % self._BLOCK
        if start != self._start:
            rows = range(start, min(start + self._BLOCK, len(self)))
            self._block = self._facts.objects(list(rows))
            self._start = start
        return self._block[i - start]

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self._one(k) for k in range(len(self))[i]]
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        return self._one(i)


def _inquiry_views(item: Inquiry | InquiryCase) -> tuple[tuple[Inquiry, str | None], ...]:
    """A flat inquiry is one clock; a case, one per unit's part (`clock_views`)."""
    if isinstance(item, Inquiry):
        return ((item, None),)
    from govdisclose.inquiries import clock_views

    return tuple((view, view.agency) for view in clock_views(item))


def _opinion_limits(item: OpinionEvent | OpinionCase, params: ParameterSet) -> Any:
    """A flat event's 5 h / 24 h limits; a case's duties under its grade, including the 48 h
    response of a case without the major-event limits (`govdisclose.opinion.duties`)."""
    if isinstance(item, OpinionEvent):
        return opinion_deadlines(item, params=params)
    from govdisclose.opinion import duties

    return tuple(d.deadline() for d in duties(item, params=params))


def open_applications(store: Any, day: date, *, agency: str | None = None) -> Any:
    """The applications open on ``day`` (of ``agency``, or all), as the daily job reads them:
    as columns where numpy is installed (`govdisclose.store.reply_facts`: a store that keeps
    its events in rows, the SQL store, answers from them without building an object per
    application; `check` and `approaching` load objects only for the few rows that need
    them), else as objects (``store.applications(agency=, open_on=)``). Either goes to `check`
    or `approaching` with the same results.

    .. versionadded:: 0.2.0
    """
    day = day_arg(day, "day")
    try:
        import numpy  # noqa: F401
    except ImportError:  # numpy is an optional extra: the objects' path
        return store.applications(agency=agency, open_on=day)
    from govdisclose.store import reply_facts

    return reply_facts(store, agency=agency, open_on=day)


def check(
    applications: Iterable[Application] | ReplyFacts = (),
    *,
    as_of: date,
    params: ParameterSet,
    calendar: WorkCalendar,
    records: Iterable[Record] = (),
    inquiries: Iterable[Inquiry | InquiryCase] = (),
    opinions: Iterable[OpinionEvent | OpinionCase] = (),
    now: datetime | None = None,
    within: int = 3,
    within_hours: float = 2.0,
) -> DailyCheck:
    """Every open clock of every item on ``as_of``; per-item problems instead of exceptions.

    :param applications: applications (closed ones are skipped), or their
        `govdisclose.columns.ReplyFacts` (``govdisclose.store.reply_facts(store, open_on=day)``):
        with numpy installed the reply clocks are computed together
        (`govdisclose.deadlines.reply_status_facts`), with the same results.
    :param as_of: the check day (an aware datetime gives its Asia/Shanghai date).
    :param records: records; the unpublished 主动公开 ones are checked (条例 第二十六条).
    :param inquiries: inquiries and complaints, flat or as cases
        (`govdisclose.inquiries.InquiryCase`: each unit's open part is checked, ``party``
        names the unit); the unanswered ones are checked.
    :param opinions: public-opinion events, flat or as cases (`govdisclose.opinion.OpinionCase`:
        every duty of its grade); the hour limits are checked at
        ``now`` (an aware datetime; defaults to ``as_of`` when that is an aware datetime).
    :param within: due soon = at most this many working days left (the due day included).
    :param within_hours: an hour limit is due soon with at most this many hours left.
    :raises ValidationError: a bad argument (not an item: items never raise).
    """
    day = day_arg(as_of, "as_of")
    within = count_arg(within, "within")
    checks: list[ClockCheck] = []
    problems: list[ItemProblem] = []
    items = 0

    def attempt(
        subject: Subject,
        subject_id: str,
        clock: Clock | None,
        run: Callable[[], Any],
        index: int,
        party: str | None = None,
    ) -> Any:
        try:
            return run()
        except GovDiscloseError as err:
            problems.append(
                ItemProblem.from_error(
                    subject_id, err, subject=subject, clock=clock, index=index, party=party
                )
            )
            return None

    def track(
        subject: Subject,
        item: Application | Record | Inquiry,
        clock: Clock,
        run: Callable[[], ClockStatus | None],
        index: int,
        party: str | None = None,
    ) -> None:
        st = attempt(subject, item.id, clock, run, index, party)
        if st is not None and st.state in _OPEN:
            checks.append(_from_status(subject, item.id, item.agency, st, calendar, party=party))

    apps, reply = _replies(applications, day, params, calendar, within)
    for index, app in enumerate(apps):
        clocks = _application_clocks(app, day, params, calendar, within, reply(index))
        for clock, thunk, party in clocks:
            track("application", app, clock, thunk, index, party)
        items += 1
    for index, rec in enumerate(records):
        if not any(p.published_on >= rec.clock_start for p in rec.publications):
            run = partial(
                proactive_status, rec, day, params=params, calendar=calendar, warn_within=within
            )
            track("record", rec, Clock.PROACTIVE, run, index)
        items += 1
    for index, item in enumerate(inquiries):
        # An inquiry case (govdisclose.inquiries) has one clock per unit's part.
        for inq, unit in _inquiry_views(item):
            if inq.answered_on is None or inq.answered_on > day:
                run = partial(
                    inquiry_status, inq, day, params=params, calendar=calendar, warn_within=within
                )
                track("inquiry", inq, Clock.INQUIRY, run, index, unit)
        items += 1
    opinion_list = list(opinions)
    if opinion_list:
        moment = _moment(now, as_of)
        for index, ev in enumerate(opinion_list):
            limits = attempt("opinion", ev.id, None, partial(_opinion_limits, ev, params), index)
            for limit in limits or ():
                if limit.done_at is not None and limit.done_at <= moment:
                    continue
                left = (limit.due - moment) / timedelta(hours=1)
                state = (
                    ClockState.OVERDUE
                    if left < 0
                    else ClockState.DUE_SOON
                    if left <= within_hours
                    else ClockState.PENDING
                )
                checks.append(
                    ClockCheck(
                        subject="opinion",
                        subject_id=ev.id,
                        agency=ev.agency,
                        clock=limit.clock,
                        state=state,
                        due_at=limit.due,
                        hours_left=round(left, 2),
                    )
                )
            items += 1
    checks.sort(key=_order)
    return DailyCheck(
        as_of=day,
        policy=calendar.policy,
        calendar_version=calendar.version,
        assumption=calendar.provisional_assumption,
        checks=tuple(checks),
        problems=tuple(problems),
        items=items,
    )


def _moment(now: datetime | None, as_of: Any) -> datetime:
    if now is None and isinstance(as_of, datetime):
        now = as_of
    if now is None or not isinstance(now, datetime):
        raise ValidationError(
            "检查舆情小时时限需要带时区的当前时间 now",
            "checking public-opinion hour limits needs now, an aware datetime",
            field="now",
            code="validation.naive_datetime",
        )
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValidationError(
            f"参数 now 为不带时区的时间 {now.isoformat()}",
            f"argument now is a naive datetime ({now.isoformat()})",
            field="now",
            code="validation.naive_datetime",
        )
    return now.astimezone(SHANGHAI)


def _order(c: ClockCheck) -> tuple[Any, ...]:
    overdue = c.state is ClockState.OVERDUE
    late = c.working_days_late or (-(c.hours_left or 0) if c.due_at else 0)
    due = c.due_at.date() if c.due_at is not None else (c.due or date.max)
    return (not overdue, -late if overdue else 0, due, c.subject, c.subject_id, c.clock.value)


# -- when the new year's holiday data arrives ------------------------------------------------


@frozen
class DueMove:
    """One open clock whose due date changed with a new calendar (or could not be computed
    before and can be now). ``old_problem`` / ``new_problem`` hold the reason where there was
    no date; ``*_provisional`` whether the date was 暂定."""

    subject: Subject
    subject_id: str
    agency: str
    clock: Clock
    party: str | None
    old_due: date | None
    old_provisional: bool
    old_problem: str | None
    new_due: date | None
    new_provisional: bool
    new_problem: str | None

    def describe(self) -> str:
        """The move in one line of Chinese: 旧日期 → 新日期, 暂定 marked."""

        def side(due: date | None, provisional: bool, problem: str | None) -> str:
            if due is None:
                return f"无法计算（{problem}）" if problem else "无"
            return due.isoformat() + ("（暂定）" if provisional else "")

        who = f"{_SUBJECT_LABEL[self.subject]} {self.subject_id}"
        clock = self.clock.label + (f"（{self.party}）" if self.party else "")
        shift = ""
        if self.old_due is not None and self.new_due is not None:
            days = (self.new_due - self.old_due).days
            shift = f"，{'推后' if days > 0 else '提前'}{abs(days)}天" if days else "，日期不变"
        old = side(self.old_due, self.old_provisional, self.old_problem)
        new = side(self.new_due, self.new_provisional, self.new_problem)
        return f"{who}  {self.agency}  {clock}：{old} → {new}{shift}"


@frozen
class CalendarChange:
    """What a new calendar changes for the open clocks on ``as_of`` (`what_moved`).

    ``moves`` lists the clocks whose due date changed, or that had no date before (a missing
    year) and have one now, or the reverse; ``confirmed`` those whose provisional date is now
    final and unchanged; ``unchanged`` counts the others.
    """

    as_of: date
    old_version: str
    new_version: str
    moves: tuple[DueMove, ...]
    confirmed: tuple[DueMove, ...]
    unchanged: int

    def explain(self) -> str:
        """The change in Chinese: a head line, then one line per move."""
        head = (
            f"{self.as_of.isoformat()}：日历由 {self.old_version} 更新为 {self.new_version}："
            f"{len(self.moves)}个期限变动，{len(self.confirmed)}个暂定期限确认不变，"
            f"{self.unchanged}个不变"
        )
        return "\n".join([head, *(m.describe() for m in self.moves)])


def what_moved(
    applications: Iterable[Application] = (),
    *,
    as_of: date,
    params: ParameterSet,
    old_calendar: WorkCalendar,
    new_calendar: WorkCalendar,
    records: Iterable[Record] = (),
    inquiries: Iterable[Inquiry | InquiryCase] = (),
) -> CalendarChange:
    """Every open clock on ``as_of`` computed from its facts under both calendars, and what
    changed: the use is the day next year's holiday notice is loaded.

    Everything is recomputed from the events, so a consulted third party's own window (15
    working days) moves with the calendar too, and a clock that could not be computed before
    (no data for its year under the strict policy) is listed with its new date.
    """
    apps, recs, inqs = list(applications), list(records), list(inquiries)

    def run(cal: WorkCalendar) -> dict[tuple[Any, ...], tuple[ClockCheck | None, str | None]]:
        result = check(apps, as_of=as_of, params=params, calendar=cal, records=recs, inquiries=inqs)
        found: dict[tuple[Any, ...], tuple[ClockCheck | None, str | None]] = {
            (c.subject, c.subject_id, c.clock, c.party): (c, None) for c in result.checks
        }
        for p in result.problems:
            key = (p.subject, p.subject_id, p.clock, p.party)
            found.setdefault(key, (None, p.message_zh))
        return found

    before, after = run(old_calendar), run(new_calendar)
    agency = {a.id: a.agency for a in apps} | {r.id: r.agency for r in recs}
    agency |= {q.id: q.agency for q in inqs}
    moves: list[DueMove] = []
    confirmed: list[DueMove] = []
    unchanged = 0
    for key in sorted(before.keys() | after.keys(), key=repr):
        old, old_problem = before.get(key, (None, None))
        new, new_problem = after.get(key, (None, None))
        subject, subject_id, clock, party = key
        if clock is None:
            continue
        move = DueMove(
            subject=subject,
            subject_id=subject_id,
            agency=agency.get(subject_id, ""),
            clock=clock,
            party=party,
            old_due=old.due if old else None,
            old_provisional=bool(old and old.provisional),
            old_problem=old_problem,
            new_due=new.due if new else None,
            new_provisional=bool(new and new.provisional),
            new_problem=new_problem,
        )
        if move.old_due != move.new_due or (old is None) != (new is None):
            moves.append(move)
        elif move.old_provisional and not move.new_provisional:
            confirmed.append(move)
        else:
            unchanged += 1
    moves.sort(key=lambda m: (not m.old_provisional and m.old_due is not None, m.subject_id))
    return CalendarChange(
        as_of=day_arg(as_of, "as_of"),
        old_version=old_calendar.version,
        new_version=new_calendar.version,
        moves=tuple(moves),
        confirmed=tuple(confirmed),
        unchanged=unchanged,
    )


def approaching(
    applications: Iterable[Application] | ReplyFacts,
    as_of: date,
    *,
    params: ParameterSet,
    calendar: WorkCalendar,
    within: int = 3,
    records: Iterable[Record] = (),
    inquiries: Iterable[Inquiry | InquiryCase] = (),
    opinions: Iterable[OpinionEvent] = (),
    now: datetime | None = None,
    within_hours: float = 2.0,
) -> Reminders:
    """A notification for every clock due within ``within`` working days after ``as_of`` (the
    due day itself included), nearest first: for a host's daily job, which hands them to
    ``plugins.notify``.

    Every clock is covered: of each open application the reply, the correction notice, the fee
    payment and each consulted party's window
    (`govdisclose.notifications.DeadlineApproaching`, ``clock`` says which);
    of each unpublished 主动公开 record the 20-working-day limit (`RecordDeadlineApproaching`);
    of each unanswered inquiry its limit; of each major public-opinion event its hour limits
    at ``now`` (within ``within_hours``). An item whose clock cannot be computed (a year
    without holiday data under the strict policy) is listed in ``problems``, never an abort.
    Overdue clocks are not "approaching": `check` reports them.

    Given `govdisclose.columns.ReplyFacts` (``store.reply_facts(store, open_on=day)``), the
    clocks are computed from the columns (`_from_facts`: the reply from the batch, the
    correction notice, the fee payment and the consulted parties' windows); objects are loaded
    only for the rows the columns do not settle (a closing event, a reply state the batch
    leaves undetermined, a clock that cannot be computed, a party's window due soon, whose
    reminder names the party), with the same results as from the objects. The reply status of
    every row is returned with the reminders (`Reminders.replies`).

    .. versionchanged:: 0.2.0 every clock, per-item problems, returns `Reminders`; moved here
       from `govdisclose.deadlines` (which still re-exports it).
    """
    try:
        from govdisclose.columns import ReplyFacts
    except ImportError:  # numpy is an optional extra: the objects' path
        ReplyFacts = None  # type: ignore[assignment,misc]
    if ReplyFacts is not None and isinstance(applications, ReplyFacts):
        day = day_arg(as_of, "as_of")
        within = count_arg(within, "within")
        from govdisclose.deadlines import reply_status_facts

        replies = reply_status_facts(
            applications, day, params=params, calendar=calendar, warn_within=within
        )
        fast, rows = _from_facts(applications, day, params, calendar, within, replies)
        rest = check(
            applications.objects(rows),
            as_of=as_of,
            params=params,
            calendar=calendar,
            records=records,
            inquiries=inquiries,
            opinions=opinions,
            now=now,
            within=within,
            within_hours=within_hours,
        )
        # Problems of the loaded rows name their row in the facts, as the objects' path does.
        problems = tuple(
            evolve(p, index=rows[p.index])
            if p.subject == "application" and p.index is not None
            else p
            for p in rest.problems
        )
        # Only the due-soon clocks are listed (sorting the others would not show); the others
        # are counted. Sorting is stable: the due-soon ones come in the order `check` gives.
        soon = sorted((*rest.due_soon, *fast.due_soon), key=_order)
        counts = fast.counts + _Counts(
            len(rest.checks), len(rest.overdue), len(rest.due_soon), len(rest.provisional)
        )
        items = rest.items + len(applications) - len(rows)
        summary = _summary(rest, counts, items, problems)
        return Reminders(tuple(c.reminder() for c in soon), problems, summary, replies)
    run = check(
        applications,
        as_of=as_of,
        params=params,
        calendar=calendar,
        records=records,
        inquiries=inquiries,
        opinions=opinions,
        now=now,
        within=within,
        within_hours=within_hours,
    )
    return Reminders(run.reminders(), run.problems, run.summary())


class _Received:
    """What `correction_notice_deadline` reads of an application: its receipt date."""

    __slots__ = ("receipt_date",)

    def __init__(self, receipt_date: date) -> None:
        self.receipt_date = receipt_date


def _from_facts(
    facts: ReplyFacts,
    day: date,
    params: ParameterSet,
    cal: WorkCalendar,
    within: int,
    batch: StatusBatch | None = None,
) -> tuple[_Settled, list[int]]:
    """The open clocks of the rows of ``facts`` that the columns settle (`_Settled`: the
    due-soon ones as `ClockCheck`, the others counted), and the rows that need their objects
    (ascending). ``batch``: `reply_status_facts` of the facts with ``warn_within=within``,
    if computed already.

    A row is settled here when, as of ``day``, it starts with its receipt, was not closed (its
    last 答复、撤回 or 视为放弃 is later, or there is none) and the batch settles its reply state (a
    stopped reply clock included: its ``reason``, the pause, is left None, as `approaching` does
    not read it). Its clocks are then, in the order `_application_clocks` gives them: the reply,
    from the batch; the correction notice, open until it is sent (条例 2019 第三十条); the fee
    payment, while the last fee notice is unpaid (国办函〔2020〕109号); and the reply window of each
    consulted party still waiting, from its last consultation (第三十二条, 第三十四条), read from
    the ``party`` and ``consulted_agency`` columns. Each due date is computed by the function
    `check` uses (`correction_notice_deadline`, `fee_payment_deadline`, `third_party_deadlines`)
    on a stand-in holding only what that function reads, once per distinct start (receipt day,
    notice day, consultation day).

    The objects are loaded instead when a clock cannot be computed (the objects' path words
    the problem), when a party's window is due soon (its reminder names the party, which the
    columns number but do not name), or when the parameters in force lack one of the two
    window lengths (`third_party_deadlines` would then skip a window, and the windows would
    no longer line up with the consultations). ``subject_id`` is the application id;
    ``agency`` is left empty and a window's ``party`` None: the columns carry neither, and
    `approaching` reads neither from these checks (it reads a reminder's party only from a
    due-soon clock, whose row is loaded).
    """
    import numpy as np

    from govdisclose.columns import EventCode
    from govdisclose.deadlines import reply_status_facts

    n = len(facts)
    if not n:
        return _Settled(facts.ids, cal), []
    lens = facts.lens.astype(np.int64)
    starts = facts.starts()
    row_of = np.repeat(np.arange(n), lens)
    kind, on = facts.kind, facts.on
    today = day.toordinal()
    known = on <= today

    def any_of(mask: Any) -> Any:
        return np.bincount(row_of[mask], minlength=n) > 0

    need = lens == 0
    has = ~need
    first = np.zeros(n, dtype=kind.dtype)
    first[has] = kind[starts[has]]
    need |= first != EventCode.RECEIVED
    # Closed by ``day``: the last closing event (`Application.final_event`) is known.
    closing = np.flatnonzero(kind >= EventCode.REPLIED)
    last = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last, row_of[closing], closing)
    closed = last >= 0
    closed[closed] = on[last[closed]] <= today
    need |= closed
    side = any_of(known & ((kind == EventCode.FEE_NOTIFIED) | (kind == EventCode.CONSULTED)))
    corrected = any_of(known & (kind == EventCode.CORRECTION_REQUESTED))
    # 0 for a row not received: such rows start with another event, so they are loaded.
    receipt = facts.receipt_days()
    if batch is None:
        batch = reply_status_facts(facts, day, params=params, calendar=cal, warn_within=within)
    sides = _Sides(facts, np.flatnonzero(side & ~need), day, params, cal, within)
    correction: dict[int, ClockStatus | GovDiscloseError | None] = {}
    settled = _Settled(facts.ids, cal)
    rows: list[int] = []
    # The reply states as the batch's codes (`StatusBatch.state`: positions in ClockState):
    # a `ClockStatus` is made only for a due-soon reply clock, the others are counted.
    codes = tuple(ClockState)
    taken = frozenset(codes.index(s) for s in _FACT_STATES)
    for i, (needed, done, received, more, code, provisional) in enumerate(
        zip(
            need.tolist(),
            corrected.tolist(),
            receipt.tolist(),
            side.tolist(),
            batch.state.tolist(),
            batch.provisional.tolist(),
            strict=True,
        )
    ):
        if needed or code not in taken:
            rows.append(i)
            continue
        notice: ClockStatus | None = None
        if not done:
            found = correction.get(received, _UNSEEN)
            if found is _UNSEEN:
                found = correction[received] = _correction(received, day, params, cal, within)
            if isinstance(found, GovDiscloseError):
                rows.append(i)  # the objects' path reports the problem
                continue
            notice = found
        others: Sequence[ClockStatus | None] = ()
        if more:
            found_others = sides.clocks(i, received)
            if found_others is None:
                rows.append(i)
                continue
            others = found_others
        state = codes[code]
        if state in _OPEN:
            if state is ClockState.DUE_SOON:
                settled.add(i, batch[i])
            else:
                settled.count(state, provisional)
        for st in (notice, *others):
            if st is not None and st.state in _OPEN:
                if st.state is ClockState.DUE_SOON:
                    settled.add(i, st)
                else:
                    settled.count(st.state, st.provisional)
    return settled, rows


class _Settled:
    """The open clocks `_from_facts` settles: the due-soon ones as `ClockCheck` (in the order
    `_application_clocks` gives them), the others only counted (`approaching` lists only the
    due-soon ones and counts the others in its summary)."""

    def __init__(self, ids: Sequence[str], cal: WorkCalendar) -> None:
        self.ids, self.cal = ids, cal
        self.due_soon: list[ClockCheck] = []
        self.checks = self.overdue = self.provisional = 0

    def add(self, row: int, st: ClockStatus) -> None:
        self.due_soon.append(_from_status("application", self.ids[row], "", st, self.cal))
        self.checks += 1
        self.provisional += st.provisional

    def count(self, state: ClockState, provisional: bool) -> None:
        self.checks += 1
        self.overdue += state is ClockState.OVERDUE
        self.provisional += provisional

    @property
    def counts(self) -> _Counts:
        return _Counts(self.checks, self.overdue, len(self.due_soon), self.provisional)


class _Sides:
    """The fee-payment and consulted parties' clocks of the rows with a fee notice or a
    consultation known on the day, from the columns (`_from_facts`)."""

    def __init__(
        self,
        facts: ReplyFacts,
        rows: Any,
        day: date,
        params: ParameterSet,
        cal: WorkCalendar,
        within: int,
    ) -> None:
        self.day, self.params, self.cal, self.within = day, params, cal, within
        self.today = day.toordinal()
        # The events of those rows only, as lists (a few per row), and where each row's are.
        events, ends = facts.event_positions(rows)
        sizes = facts.lens[rows]
        self.kind = facts.kind[events].tolist()
        self.on = facts.on[events].tolist()
        self.party = facts.party[events].tolist()
        self.agency = facts.consulted_agency[events].tolist()
        bounds = zip((ends - sizes).tolist(), ends.tolist(), strict=True)
        self.span = dict(zip(rows.tolist(), bounds, strict=True))
        self.windows: dict[tuple[int, int, bool], ClockStatus | GovDiscloseError | None] = {}
        self.fees: dict[int, ClockStatus | GovDiscloseError | None] = {}
        self.both: dict[int, bool | GovDiscloseError] = {}

    def clocks(self, row: int, receipt: int) -> list[ClockStatus | None] | None:
        """The row's fee clock and parties' windows (in `_application_clocks`' order), or
        None: its objects are needed."""
        from govdisclose.columns import EventCode

        consulted, replied = EventCode.CONSULTED, EventCode.CONSULTATION_REPLIED
        notified, paid = EventCode.FEE_NOTIFIED, EventCode.FEE_PAID
        lo, hi = self.span[row]
        kinds, ons, today = self.kind, self.on, self.today
        waiting: list[int] = []
        consults: list[tuple[int, int, bool]] = []
        notice: int | None = None
        unpaid = False
        for k in range(lo, hi):
            if ons[k] > today:  # not known yet on the day
                continue
            code = kinds[k]
            if code == consulted:
                party = self.party[k]
                consults.append((party, ons[k], self.agency[k]))
                waiting.append(party)
            elif code == replied:
                party = self.party[k]
                if party in waiting:
                    waiting.remove(party)
            elif code == notified:
                notice, unpaid = ons[k], True
            elif code == paid:
                unpaid = False
        out: list[ClockStatus | None] = []
        if notice is not None and unpaid:
            fee = self.fees.get(notice, _UNSEEN)
            if fee is _UNSEEN:
                fee = self.fees[notice] = self._fee(notice)
            if isinstance(fee, GovDiscloseError):
                return None
            out.append(fee)
        if waiting:
            both = self.both.get(receipt)
            if both is None:
                both = self.both[receipt] = self._both(receipt)
            if both is not True:
                return None
            for party in dict.fromkeys(waiting):
                # The last consultation of this party is the one still waiting for its reply.
                _, start, agency = next(c for c in reversed(consults) if c[0] == party)
                key = (receipt, start, agency)
                window = self.windows.get(key, _UNSEEN)
                if window is _UNSEEN:
                    window = self.windows[key] = self._window(receipt, start, agency)
                if isinstance(window, GovDiscloseError):
                    return None
                if window is not None and window.state is ClockState.DUE_SOON:
                    return None  # its reminder names the party
                out.append(window)
        return out

    def _fee(self, notice: int) -> ClockStatus | GovDiscloseError | None:
        """The fee-payment clock of the last (unpaid) fee notice, sent on ``notice``, as
        `_application_clocks` computes it."""
        try:
            app: Any = _Events(None, (_fee_notice(date.fromordinal(notice)),))
            deadline = fee_payment_deadline(app, params=self.params, calendar=self.cal)
            return _open(deadline, self.day, self.cal, self.within, None)
        except GovDiscloseError as err:
            return err

    def _both(self, receipt: int) -> bool | GovDiscloseError:
        """Whether the parameters in force on the receipt day set both reply windows."""
        try:
            snap = self.params.at(date.fromordinal(receipt))
        except GovDiscloseError as err:
            return err
        return "third_party_reply_days" in snap and "co_producer_reply_days" in snap

    def _window(
        self, receipt: int, start: int, agency: bool
    ) -> ClockStatus | GovDiscloseError | None:
        """A consulted party's reply window, consulted on ``start`` (``agency``: another agency,
        a co-producer), as `_application_clocks` computes it."""
        try:
            consult = ThirdPartyConsulted(on=date.fromordinal(start), party="-", is_agency=agency)
            app: Any = _Events(date.fromordinal(receipt), (consult,))
            (deadline,) = third_party_deadlines(app, params=self.params, calendar=self.cal)
            return _open(deadline, self.day, self.cal, self.within, None)
        except GovDiscloseError as err:
            return err


class _Events:
    """What `fee_payment_deadline` and `third_party_deadlines` read of an application: its
    receipt date and (some of) its events."""

    __slots__ = ("events", "receipt_date")

    def __init__(self, receipt_date: date | None, events: tuple[Any, ...]) -> None:
        self.receipt_date = receipt_date
        self.events = events


def _fee_notice(on: date) -> FeeNotified:
    """A fee notice sent on ``on``: `fee_payment_deadline` reads only its day."""
    return FeeNotified(on=on, amount=Decimal(0), method=FeeMethod.PER_APPLICATION, quantity=1)


_UNSEEN: Any = object()

#: Batch reply states `_from_facts` takes as they are: those `check` takes, and ``STOPPED``,
#: whose ``reason`` (the pause, which the batch leaves out) `approaching` does not read.
_FACT_STATES = _BATCH_STATES | {ClockState.STOPPED}


def _correction(
    receipt: int, day: date, params: ParameterSet, cal: WorkCalendar, within: int
) -> ClockStatus | GovDiscloseError | None:
    """The correction-notice clock of an application received on day ordinal ``receipt``, as
    `_application_clocks` computes it (None once past: not "overdue", just no longer open),
    or the error that clock raises."""
    try:
        app: Any = _Received(date.fromordinal(receipt))
        deadline = correction_notice_deadline(app, params=params, calendar=cal)
        st = _open(deadline, day, cal, within, None)
    except GovDiscloseError as err:
        return err
    return None if st is None or st.state is ClockState.OVERDUE else st
