"""The hour limits of a public-opinion case, their state at a moment, and the reminders.

By the case's current grade (`duties`):

* opinion about a 特别重大 or 重大 突发事件 (the grades in the parameter
  ``opinion_hour_limit_grades``): authoritative information within
  ``opinion_authoritative_info_hours`` (5, 国办发〔2016〕80号 三（四）) and a press conference
  within ``opinion_press_conference_hours`` (24, 国办发〔2016〕61号 三);
* every other opinion: a response within ``opinion_other_response_hours`` (48, 国办发〔2016〕61号
  三).

All three are national limits, shorten-only (`govdisclose.params`). They are calendar hours
counted from detection (监测发现), in Asia/Shanghai: the notices count 小时, not 工作日, so
a night or a public holiday counts like any other hour. The snapshot is the one in force on the
Shanghai day of detection. A limit is met by a response at or before the due moment (a press
conference only by a press conference; the others by any response); it is overdue once the
moment has passed without one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from attrs import frozen

from govdisclose._time import SHANGHAI
from govdisclose.clocks import Clock, HourDeadline
from govdisclose.errors import InvalidParameterFile, ValidationError
from govdisclose.findings import Finding, Severity
from govdisclose.model import OpinionEvent
from govdisclose.notifications import Notification, OpinionDeadlineApproaching, OpinionDutyOverdue
from govdisclose.opinion._model import OpinionCase, OpinionGrade, OpinionResponded, ResponseType
from govdisclose.params import Citation, ParameterSet, Snapshot
from govdisclose.vocab import CodedEnum

__all__ = [
    "NATIONAL_HOUR_LIMIT_GRADES",
    "DutyState",
    "OpinionDuty",
    "OpinionDutyKind",
    "OpinionRun",
    "approaching",
    "duties",
    "findings",
    "flat",
    "hour_limit_grades",
    "overdue",
    "reminders",
    "short_citation",
]

#: The grades the national notices give the 5-hour and 24-hour limits (国办发〔2016〕61号 三:
#: 涉及特别重大、重大突发事件的政务舆情); a local source may add grades, not remove these.
NATIONAL_HOUR_LIMIT_GRADES = frozenset({OpinionGrade.ESPECIALLY_MAJOR, OpinionGrade.MAJOR})


class OpinionDutyKind(CodedEnum):
    """Which hour limit."""

    FIRST_INFO = ("first_info", "发布权威信息")
    PRESS_CONFERENCE = ("press_conference", "举行新闻发布会")
    RESPONSE = ("response", "予以回应")

    @property
    def clock(self) -> Clock:
        """The `Clock` of this limit."""
        return _CLOCK[self]

    @property
    def parameter(self) -> str:
        """The parameter holding its hours."""
        return _PARAM[self]


_CLOCK = {
    OpinionDutyKind.FIRST_INFO: Clock.OPINION_INFO,
    OpinionDutyKind.PRESS_CONFERENCE: Clock.OPINION_PRESS,
    OpinionDutyKind.RESPONSE: Clock.OPINION_RESPONSE,
}
_PARAM = {
    OpinionDutyKind.FIRST_INFO: "opinion_authoritative_info_hours",
    OpinionDutyKind.PRESS_CONFERENCE: "opinion_press_conference_hours",
    OpinionDutyKind.RESPONSE: "opinion_other_response_hours",
}


class DutyState(CodedEnum):
    """A limit's state at a moment."""

    OPEN = ("open", "未到期")
    MET = ("met", "按时完成")
    LATE = ("late", "超时完成")
    OVERDUE = ("overdue", "已超时未完成")


def _now(value: object) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            "舆情时限须按带时区的时间检查（如 Asia/Shanghai）",
            "opinion hour limits are checked at an aware datetime (e.g. Asia/Shanghai)",
            field="now",
            code="validation.naive_datetime",
        )
    return value.astimezone(SHANGHAI)


@frozen
class OpinionDuty:
    """One hour limit of one case: from ``start`` (detection) to ``due``, met by ``done_at``
    (the first response that counts, ``None`` while there is none). Times in Asia/Shanghai."""

    case_id: str
    agency: str
    kind: OpinionDutyKind
    start: datetime
    due: datetime
    hours: int
    citation: Citation
    done_at: datetime | None

    def state(self, now: datetime) -> DutyState:
        """The state at ``now``: done on time, done late, still open, or overdue. Exactly at
        ``due`` an undone limit is still open; a response exactly at ``due`` is on time."""
        now = _now(now)
        if self.done_at is not None and self.done_at <= now:
            return DutyState.MET if self.done_at <= self.due else DutyState.LATE
        return DutyState.OVERDUE if now > self.due else DutyState.OPEN

    def hours_left(self, now: datetime) -> float:
        """Hours from ``now`` to ``due`` (negative once past)."""
        return (self.due - _now(now)).total_seconds() / 3600

    def hours_late(self, now: datetime) -> float:
        """How many hours past ``due`` it was done, or is still undone at ``now`` (0 if not)."""
        now = _now(now)
        end = self.done_at if self.done_at is not None and self.done_at <= now else now
        return max((end - self.due).total_seconds() / 3600, 0.0)

    def deadline(self) -> HourDeadline:
        """The limit as the `HourDeadline` of `govdisclose.deadlines`."""
        return HourDeadline(
            clock=self.kind.clock,
            start=self.start,
            due=self.due,
            hours=self.hours,
            legal_basis=(self.citation,),
            done_at=self.done_at,
            met=None if self.done_at is None else self.done_at <= self.due,
        )

    def describe(self, now: datetime) -> str:
        """One line of Chinese: the case, the limit, its state at ``now``."""
        state = self.state(now)
        head = (
            f"{self.case_id}（{self.agency}）{self.hours}小时内{self.kind.label}：截止 "
            f"{self.due.strftime('%Y-%m-%d %H:%M')}"
        )
        if state is DutyState.OVERDUE:
            tail = f"，已超时 {self.hours_late(now):.1f} 小时"
        elif state is DutyState.LATE:
            tail = f"，超时 {self.hours_late(now):.1f} 小时完成"
        elif state is DutyState.OPEN:
            tail = f"，尚余 {self.hours_left(now):.1f} 小时"
        else:
            tail = ""
        return f"{head}，{state.label}{tail}（{short_citation(self.citation)}）"


def short_citation(citation: Citation) -> str:
    """A citation as one line shows it: the document number (文号) when the title has one
    (``国办发〔2016〕61号 三、提高政务舆情回应实效``), else the whole title, then the article."""
    found = re.findall(r"[\u4e00-\u9fff]+〔\d{4}〕\d+号", citation.regulation)
    return f"{found[-1] if found else citation.regulation} {citation.article}"


def hour_limit_grades(snap: Snapshot) -> frozenset[OpinionGrade]:
    """The grades carrying the 5-hour and 24-hour limits on the snapshot's day.

    :raises InvalidParameterFile: code ``opinion.hour_limit_grades``: an unknown grade code, or
        a value without 特别重大 and 重大 (a local source may add grades, never drop these).
    """
    raw = snap.label("opinion_hour_limit_grades")
    grades: set[OpinionGrade] = set()
    known = {g.code: g for g in OpinionGrade}
    for code in raw.split():
        member = known.get(code)
        if member is None:
            valid = ", ".join(g.code for g in OpinionGrade)
            raise InvalidParameterFile(
                f"参数 opinion_hour_limit_grades 中的等级代码 {code!r} 无效，应为：{valid}",
                f"parameter opinion_hour_limit_grades: unknown grade {code!r}; expected: {valid}",
                field="opinion_hour_limit_grades",
                code="opinion.hour_limit_grades",
            )
        grades.add(member)
    missing = NATIONAL_HOUR_LIMIT_GRADES - grades
    if missing:
        names = "、".join(g.label for g in OpinionGrade if g in missing)
        raise InvalidParameterFile(
            f"参数 opinion_hour_limit_grades 不能去掉{names}（国办发〔2016〕61号 三）",
            "parameter opinion_hour_limit_grades may add grades but not drop "
            + ", ".join(sorted(g.code for g in missing))
            + " (国办发〔2016〕61号 三)",
            field="opinion_hour_limit_grades",
            code="opinion.hour_limit_grades",
        )
    return frozenset(grades)


def _counts(kind: OpinionDutyKind, response: OpinionResponded) -> bool:
    if kind is OpinionDutyKind.PRESS_CONFERENCE:
        return response.type is ResponseType.PRESS_CONFERENCE
    return True


def duties(case: OpinionCase, *, params: ParameterSet) -> tuple[OpinionDuty, ...]:
    """The hour limits of ``case`` under its current grade (empty before detection)."""
    detected = case.detected
    if detected is None:
        return ()
    start = detected.at.astimezone(SHANGHAI)
    snap = params.at(start.date())
    grade = case.grade
    if case.emergency and grade in hour_limit_grades(snap):
        kinds: tuple[OpinionDutyKind, ...] = (
            OpinionDutyKind.FIRST_INFO,
            OpinionDutyKind.PRESS_CONFERENCE,
        )
    else:
        kinds = (OpinionDutyKind.RESPONSE,)
    out = []
    for kind in kinds:
        hours = snap.hours(kind.parameter)
        done = [r.at.astimezone(SHANGHAI) for r in case.responses if _counts(kind, r)]
        out.append(
            OpinionDuty(
                case_id=case.id,
                agency=case.agency,
                kind=kind,
                start=start,
                due=start + timedelta(hours=hours),
                hours=hours,
                citation=snap.citation(kind.parameter),
                done_at=min(done) if done else None,
            )
        )
    return tuple(out)


@frozen
class OpinionRun:
    """What `approaching` found at ``now``: the overdue limits (most hours late first) and those
    due within the window (soonest first)."""

    now: datetime
    overdue: tuple[OpinionDuty, ...]
    due_soon: tuple[OpinionDuty, ...]

    def summary(self) -> str:
        """One line of Chinese."""
        return (
            f"舆情回应时限（{self.now.strftime('%Y-%m-%d %H:%M')}）："
            f"已超时 {len(self.overdue)} 项，即将到期 {len(self.due_soon)} 项"
        )


def approaching(
    cases: Iterable[OpinionCase], now: datetime, *, params: ParameterSet, within_hours: float = 2
) -> OpinionRun:
    """Every limit overdue at ``now``, and every open one due within ``within_hours``."""
    now = _now(now)
    late: list[OpinionDuty] = []
    soon: list[OpinionDuty] = []
    for case in cases:
        for duty in duties(case, params=params):
            state = duty.state(now)
            if state is DutyState.OVERDUE:
                late.append(duty)
            elif state is DutyState.OPEN and duty.hours_left(now) <= within_hours:
                soon.append(duty)
    late.sort(key=lambda d: (-d.hours_late(now), d.case_id, d.kind.code))
    soon.sort(key=lambda d: (d.due, d.case_id, d.kind.code))
    return OpinionRun(now, tuple(late), tuple(soon))


def overdue(
    cases: Iterable[OpinionCase], now: datetime, *, params: ParameterSet
) -> tuple[OpinionDuty, ...]:
    """The limits overdue at ``now`` (undone past their due moment), most hours late first."""
    return approaching(cases, now, params=params, within_hours=0).overdue


def reminders(
    cases: Iterable[OpinionCase], now: datetime, *, params: ParameterSet, within_hours: float = 2
) -> list[Notification]:
    """The notifications for the ``govdisclose_handle_event`` hook at ``now``: an
    `OpinionDutyOverdue` for each overdue limit, an `OpinionDeadlineApproaching` for each due
    within ``within_hours``."""
    run = approaching(cases, now, params=params, within_hours=within_hours)
    out: list[Notification] = [
        OpinionDutyOverdue(
            event_id=d.case_id,
            agency=d.agency,
            clock=d.kind.clock,
            duty=d.kind.code,
            due_at=d.due,
            hours_late=round(d.hours_late(run.now), 2),
        )
        for d in run.overdue
    ]
    out += [
        OpinionDeadlineApproaching(
            event_id=d.case_id,
            agency=d.agency,
            clock=d.kind.clock,
            due_at=d.due,
            hours_left=round(d.hours_left(run.now), 2),
        )
        for d in run.due_soon
    ]
    return out


def findings(case: OpinionCase) -> list[Finding]:
    """What the ledger should flag beyond the clocks: a press conference or briefing at which
    neither a head nor the spokesperson spoke (国办发〔2016〕61号 三: 通过召开新闻发布会或吹风会
    进行回应的，相关部门负责人或新闻发言人应当出席; seed 002 (十一) likewise)."""
    out = []
    for i, ev in enumerate(case.events):
        if (
            isinstance(ev, OpinionResponded)
            and ev.type.on_podium
            and not any(p.role.speaks_for_unit for p in ev.attendees)
        ):
            out.append(
                Finding(
                    rule_id="OPINION-ATTENDANCE",
                    severity=Severity.WARNING,
                    message_zh=f"舆情 {case.id} 的{ev.type.label}没有负责人或新闻发言人出席",
                    message_en=f"opinion case {case.id}: no head or spokesperson attended the "
                    f"{ev.type.code}",
                    field=f"events[{i}].attendees",
                    article="国办发〔2016〕61号 三",
                )
            )
    return out


def flat(case: OpinionCase, *, params: ParameterSet) -> OpinionEvent:
    """The case as the flat `govdisclose.model.OpinionEvent` that `govdisclose.deadlines.
    opinion_deadlines` and `govdisclose.daily` read: ``major`` when it carries the 5-hour and
    24-hour limits, the first response and the first press conference."""
    detected = case.detected
    if detected is None:
        raise ValidationError(
            f"舆情 {case.id} 尚未登记监测发现",
            f"opinion case {case.id} has no detection yet",
            field="events",
            code="opinion.not_detected",
        )
    kinds = {d.kind: d for d in duties(case, params=params)}
    first = [r.at for r in case.responses]
    press = [r.at for r in case.responses if r.type is ResponseType.PRESS_CONFERENCE]
    return OpinionEvent(
        id=case.id,
        agency=case.agency,
        detected_at=detected.at,
        major=OpinionDutyKind.PRESS_CONFERENCE in kinds,
        authoritative_info_at=min(first) if first else None,
        press_conference_at=min(press) if press else None,
    )
