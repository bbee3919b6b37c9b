"""The daily job: every clock of every open item on a day, with per-item problems.

An office runs this each morning (govdisclose has no clock: the host passes the day). For every
open application it looks at each clock the library computes (the reply, the one-time
correction notice, the applicant's fee payment, each consulted party's window), for every
unpublished 主动公开 record its 20-working-day limit, for every unanswered inquiry or complaint
its local limit, and for every major public-opinion event its hour limits::

    run = daily.check(store.applications(open_on=today), as_of=today, params=params,
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
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from attrs import frozen

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

if TYPE_CHECKING:
    from govdisclose.columns import ReplyFacts

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
    notifications it holds."""

    items: tuple[Reminder, ...]
    problems: tuple[ItemProblem, ...]
    summary: str

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
        prov = self.provisional
        lines = [
            f"{self.as_of.isoformat()}：检查{self.items}项的{len(self.checks)}个未结期限，"
            f"已逾期{len(self.overdue)}个，即将到期{len(self.due_soon)}个，暂定{len(prov)}个，"
            f"无法计算{len(self.problems)}项（日历策略 {self.policy}）"
            f" / {self.as_of.isoformat()}: {self.items} items, {len(self.checks)} open clocks: "
            f"{len(self.overdue)} overdue, {len(self.due_soon)} due soon, {len(prov)} "
            f"provisional, {len(self.problems)} not computed (calendar policy {self.policy})"
        ]
        if prov:
            lines.append(f"暂定结果的假定 / provisional results assume: {self.assumption}")
        years = sorted({p.year for p in self.problems if p.year is not None})
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
    seen = False
    for ev in events:
        if ev is notice:
            seen = True
        elif seen and isinstance(ev, FeePaid):
            return True
    return False


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


def check(
    applications: Iterable[Application] | ReplyFacts = (),
    *,
    as_of: date,
    params: ParameterSet,
    calendar: WorkCalendar,
    records: Iterable[Record] = (),
    inquiries: Iterable[Inquiry] = (),
    opinions: Iterable[OpinionEvent] = (),
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
    :param inquiries: inquiries and complaints; the unanswered ones are checked.
    :param opinions: public-opinion events; the hour limits of major ones are checked at
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
    for index, inq in enumerate(inquiries):
        if inq.answered_on is None or inq.answered_on > day:
            run = partial(
                inquiry_status, inq, day, params=params, calendar=calendar, warn_within=within
            )
            track("inquiry", inq, Clock.INQUIRY, run, index)
        items += 1
    opinion_list = list(opinions)
    if opinion_list:
        moment = _moment(now, as_of)
        for index, ev in enumerate(opinion_list):
            limits = attempt(
                "opinion", ev.id, None, partial(opinion_deadlines, ev, params=params), index
            )
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
    inquiries: Iterable[Inquiry] = (),
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
    inquiries: Iterable[Inquiry] = (),
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

    .. versionchanged:: 0.2.0 every clock, per-item problems, returns `Reminders`; moved here
       from `govdisclose.deadlines` (which still re-exports it).
    """
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
