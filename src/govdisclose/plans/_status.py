"""Status of a plan's tasks as of a day, derived from the progress reports and never stored;
the overdue and due-soon lists per unit; the 回头看 of last year's plan; the outcomes the
assessment scores.

Rules (the seeds give the words, not the arithmetic; these are the library's reading):

* a task is given to each of its units (lead and responsible): every unit has its own status
  for every occurrence of the task (one for a one-off task, one per period for a recurring
  one), from that unit's reports made on or before the day;
* 已完成 on time when the work was done (``completed_on``, else the report's day) on or before
  the due date, late after it (seed 002 §(十四) “确保全年各项任务按时完成”);
* open past the due date: overdue; due within ``soon`` days (calendar days, as the tables'
  dates are): due soon; a period not yet begun: upcoming;
* 长期坚持 / 实时 tasks are ongoing and never overdue; a task whose table gave no date is never
  overdue either, but may be reported done;
* 回头看 (seed 003 篇6 §五(四) “对上一年度工作要点落实情况全面开展‘回头看’，重点针对有明确责任主体
  和时限要求的工作任务，逐项核查落实情况，没有完成的抓紧整改”): every dated occurrence of last
  year's plan not done by the review day, with every report on it.
"""

from __future__ import annotations

import itertools
import re
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from attrs import field, frozen

from govdisclose.errors import NotFound, ValidationError
from govdisclose.model import Agency
from govdisclose.plans._due import DueKind, DueRule, Occurrence
from govdisclose.plans._model import (
    Evidence,
    EvidenceKind,
    PlanTask,
    ProgressReport,
    ProgressState,
    WorkPlan,
    normal_unit,
)
from govdisclose.vocab import AgencyKind, AgencyLevel, CodedEnum

__all__ = [
    "PlanStatus",
    "ReviewItem",
    "ReviewList",
    "TaskOutcome",
    "TaskState",
    "UnitStatus",
    "UnitSummary",
    "file_report",
    "find_plan",
    "plan_members",
    "plan_reports",
    "plan_status",
    "review_list",
    "save_plan",
    "status_of",
    "task_outcomes",
    "unit_agencies",
]


class TaskState(CodedEnum):
    """A unit's status on one occurrence of a task, as of a day."""

    DONE_ON_TIME = ("done_on_time", "按期完成")
    DONE_LATE = ("done_late", "逾期完成")
    DONE = ("done", "已完成")
    OVERDUE = ("overdue", "逾期未完成")
    DUE_SOON = ("due_soon", "即将到期")
    IN_PROGRESS = ("in_progress", "推进中")
    NOT_STARTED = ("not_started", "未开始")
    UPCOMING = ("upcoming", "未到期")
    ONGOING = ("ongoing", "长期坚持")

    @property
    def is_done(self) -> bool:
        """Reported done (on time, late, or without a date to judge)."""
        return self in (TaskState.DONE_ON_TIME, TaskState.DONE_LATE, TaskState.DONE)


@frozen
class UnitStatus:
    """One unit's status on one occurrence of one task, as of ``as_of``.

    ``reports`` are the unit's reports on it made by then, oldest first; ``due`` and ``period``
    are ``None`` for an ongoing or undated task.
    """

    plan: str
    task: str
    unit: str
    state: TaskState
    as_of: date
    due: date | None = None
    period: str | None = None
    done_on: date | None = None
    reports: tuple[ProgressReport, ...] = ()

    @property
    def days_left(self) -> int | None:
        """Days from ``as_of`` to the due date (negative when overdue)."""
        return None if self.due is None else (self.due - self.as_of).days

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """The evidence of every report, in order."""
        return tuple(e for r in self.reports for e in r.evidence)


def status_of(
    task: PlanTask,
    occurrence: Occurrence | None,
    reports: Sequence[ProgressReport],
    *,
    as_of: date,
    soon: int = 7,
) -> TaskState:
    """The state of one occurrence (``None`` for an ongoing or undated task) given one unit's
    reports on it made on or before ``as_of`` (see the module docstring)."""
    done = [r.done_on for r in reports if r.done_on is not None and r.done_on <= as_of]
    if occurrence is None:
        if task.due.kind is DueKind.ONGOING:
            return TaskState.ONGOING
        if done:
            return TaskState.DONE
        return TaskState.IN_PROGRESS if reports else TaskState.NOT_STARTED
    if done:
        return TaskState.DONE_ON_TIME if min(done) <= occurrence.due else TaskState.DONE_LATE
    if as_of > occurrence.due:
        return TaskState.OVERDUE
    if occurrence.start > as_of:
        return TaskState.UPCOMING
    if (occurrence.due - as_of).days <= soon:
        return TaskState.DUE_SOON
    return TaskState.IN_PROGRESS if reports else TaskState.NOT_STARTED


def _occurrence_of(report: ProgressReport, occurrences: Sequence[Occurrence]) -> Occurrence | None:
    """The occurrence a report is about: its named period, else the one whose window holds the
    day the work was done (or the report's day), else the last one begun by then."""
    if not occurrences:
        return None
    if report.period is not None:
        return next((o for o in occurrences if o.period == report.period), None)
    if len(occurrences) == 1:
        return occurrences[0]
    day = report.done_on or report.on
    for occ in occurrences:
        if occ.start <= day <= occ.due:
            return occ
    begun = [o for o in occurrences if o.start <= day]
    return begun[-1] if begun else occurrences[0]


@frozen
class UnitSummary:
    """One unit's lines of a `PlanStatus`: counts by state, and its overdue and due-soon
    occurrences, most urgent first."""

    unit: str
    counts: Mapping[TaskState, int]
    overdue: tuple[UnitStatus, ...]
    due_soon: tuple[UnitStatus, ...]


@frozen
class PlanStatus:
    """Every unit's status on every occurrence of every task of a plan, as of a day."""

    plan: WorkPlan
    as_of: date
    soon: int
    rows: tuple[UnitStatus, ...]

    def for_unit(self, unit: str) -> tuple[UnitStatus, ...]:
        """The rows of one unit (its name as the plan writes it)."""
        name = normal_unit(unit)
        return tuple(r for r in self.rows if r.unit == name)

    def with_state(self, *states: TaskState) -> tuple[UnitStatus, ...]:
        """The rows in any of ``states``, by due date."""
        return tuple(
            sorted(
                (r for r in self.rows if r.state in states),
                key=lambda r: (r.due or date.max, r.unit, _number_key(r.task)),
            )
        )

    def overdue(self, unit: str | None = None) -> tuple[UnitStatus, ...]:
        """Overdue occurrences (of one unit), longest overdue first."""
        rows = self.with_state(TaskState.OVERDUE)
        return rows if unit is None else tuple(r for r in rows if r.unit == normal_unit(unit))

    def due_soon(self, unit: str | None = None) -> tuple[UnitStatus, ...]:
        """Occurrences due within ``soon`` days (of one unit), soonest first."""
        rows = self.with_state(TaskState.DUE_SOON)
        return rows if unit is None else tuple(r for r in rows if r.unit == normal_unit(unit))

    def by_unit(self) -> dict[str, UnitSummary]:
        """A `UnitSummary` per unit, in the plan's order of units."""
        units = list(dict.fromkeys((*self.plan.units, *(r.unit for r in self.rows))))
        out = {}
        for unit in units:
            mine = self.for_unit(unit)
            counts: dict[TaskState, int] = {}
            for r in mine:
                counts[r.state] = counts.get(r.state, 0) + 1
            out[unit] = UnitSummary(unit, counts, self.overdue(unit), self.due_soon(unit))
        return out


def _number_key(number: str) -> tuple[int, str]:
    digits = re.match(r"\d+", number)
    return (int(digits.group()) if digits else 1 << 30, number)


def plan_status(
    plan: WorkPlan,
    reports: Iterable[ProgressReport],
    *,
    as_of: date,
    soon: int = 7,
    unit: str | None = None,
    members: Mapping[str, Sequence[str]] | None = None,
) -> PlanStatus:
    """The `PlanStatus` of ``plan`` as of ``as_of`` from its ``reports`` (those made after
    ``as_of`` are not seen).

    A unit that reports on a task without being named on it (a member of 县政府各部门
    reporting for itself) gets rows of its own for that task.

    :param soon: an open occurrence due within this many days is due soon.
    :param unit: only this unit's rows.
    :param members: collective units (``县政府各部门``) and the units they stand for
        (`plan_members`): the collective's rows are replaced by one row per member, so each
        department owes the task itself.
    """
    if soon < 0:
        raise ValidationError(
            f"“即将到期”天数不能为负：{soon}",
            f"soon must not be negative: {soon}",
            field="soon",
            code="plans.bad_soon",
        )
    seen = [r for r in reports if r.plan == plan.id and r.on <= as_of]
    seen.sort(key=lambda r: (r.on, r.id))
    by_task: dict[str, dict[str, list[ProgressReport]]] = defaultdict(lambda: defaultdict(list))
    for r in seen:
        by_task[r.task][r.unit].append(r)
    rows = []
    only = normal_unit(unit) if unit is not None else None
    for task in plan.tasks:
        occurrences = task.due.occurrences(plan.year)
        reporters = by_task.get(task.number, {})
        owing = [m for u in task.assignees for m in ((members or {}).get(u) or (u,))]
        for name in dict.fromkeys((*owing, *reporters)):
            if only is not None and name != only:
                continue
            mine = reporters.get(name, [])
            if not occurrences:
                state = status_of(task, None, mine, as_of=as_of, soon=soon)
                done = [r.done_on for r in mine if r.done_on is not None]
                rows.append(
                    UnitStatus(
                        plan.id,
                        task.number,
                        name,
                        state,
                        as_of,
                        done_on=min(done) if done and state.is_done else None,
                        reports=tuple(mine),
                    )
                )
                continue
            per: dict[str, list[ProgressReport]] = defaultdict(list)
            for r in mine:
                occ = _occurrence_of(r, occurrences)
                if occ is not None:
                    per[occ.period].append(r)
            for occ in occurrences:
                theirs = per.get(occ.period, [])
                state = status_of(task, occ, theirs, as_of=as_of, soon=soon)
                done = [r.done_on for r in theirs if r.done_on is not None]
                rows.append(
                    UnitStatus(
                        plan.id,
                        task.number,
                        name,
                        state,
                        as_of,
                        due=occ.due,
                        period=occ.period,
                        done_on=min(done) if done and state.is_done else None,
                        reports=tuple(theirs),
                    )
                )
    return PlanStatus(plan, as_of, soon, tuple(rows))


# -- the store ----------------------------------------------------------------------------------


def save_plan(store: Any, plan: WorkPlan, *, expected_version: int | None = 0) -> int:
    """Store ``plan`` (new by default: ``expected_version=0``); returns its version.

    :raises ConflictError: a plan with that id exists (pass its version to replace it).
    :raises NotFound: the issuing agency is not stored.
    """
    version: int = store.put_item(plan, expected_version=expected_version)
    return version


def find_plan(
    store: Any, *, plan: str | None = None, year: int | None = None, agency: str | None = None
) -> WorkPlan:
    """The plan with id ``plan``, or the one plan of ``year`` (and ``agency``).

    :raises NotFound: none, or several (naming them), match.
    """
    if plan is not None:
        return _typed_plan(store.get_item(WorkPlan, plan))
    matches: list[WorkPlan] = [
        p for p in store.items(WorkPlan, agency=agency) if year is None or p.year == year
    ]
    if len(matches) == 1:
        return matches[0]
    what_zh = f"{year or ''}年度{('、机关' + agency) if agency else ''}"
    what_en = f"year {year}" if year else "any year"
    if agency:
        what_en += f", agency {agency}"
    if not matches:
        raise NotFound(
            f"未找到{what_zh}的工作计划",
            f"no work plan stored for {what_en}",
            field="plan",
            code="plans.no_plan",
        )
    ids = ", ".join(p.id for p in matches)
    raise NotFound(
        f"{what_zh}有多份工作计划（{ids}），请指明计划编号",
        f"several work plans match {what_en} ({ids}); name the plan id",
        field="plan",
        code="plans.ambiguous_plan",
    )


def _typed_plan(value: object) -> WorkPlan:
    assert isinstance(value, WorkPlan)
    return value


def plan_reports(store: Any, plan: WorkPlan) -> list[ProgressReport]:
    """Every stored progress report on ``plan``, oldest first."""
    found = [r for r in store.items(ProgressReport, agency=plan.agency) if r.plan == plan.id]
    found.sort(key=lambda r: (r.on, r.id))
    return found


_counter = itertools.count(1)
_counter_lock = threading.Lock()


def file_report(
    store: Any,
    plan: WorkPlan,
    task: str,
    *,
    unit: str,
    on: date,
    done: bool = True,
    completed_on: date | None = None,
    period: str | None = None,
    evidence: Sequence[Evidence] = (),
    note: str | None = None,
    reported_by: str | None = None,
    report_id: str | None = None,
) -> ProgressReport:
    """Store a new progress report of ``unit`` on task ``task`` of ``plan`` and return it.

    Each report is a new kept item (created with ``expected_version=0``), so units report at
    the same time without conflicting; the plan itself is not written.

    :raises NotFound: the plan has no task ``task`` (code ``plans.no_task``).
    :raises ValidationError: ``period`` is no period of the task (``plans.bad_period``); a
        done report without evidence (``plans.no_evidence``).
    """
    the_task = plan.task(task)
    labels = [o.period for o in the_task.due.occurrences(plan.year)]
    if period is not None and period not in labels:
        raise ValidationError(
            f"任务 {task} 没有期次 {period}（可选：{'、'.join(labels) or '无'}）",
            f"task {task} has no period {period!r} (its periods: {', '.join(labels) or 'none'})",
            field="period",
            code="plans.bad_period",
        )
    if done and not evidence:
        raise ValidationError(
            f"报告任务 {task} 已完成须附佐证材料（政府信息、公开发布或文件）",
            f"a report that task {task} is done needs evidence (a record, a publication or a file)",
            field="evidence",
            code="plans.no_evidence",
        )
    if report_id is None:
        with _counter_lock:
            n = next(_counter)
        report_id = f"{plan.id}#{task}@{on.isoformat()}-{uuid.uuid4().hex[:8]}{n}"
    report = ProgressReport(
        id=report_id,
        agency=plan.agency,
        plan=plan.id,
        task=task,
        unit=unit,
        on=on,
        state=ProgressState.DONE if done else ProgressState.IN_PROGRESS,
        period=period,
        completed_on=completed_on,
        note=note,
        evidence=tuple(evidence),
        reported_by=reported_by,
    )
    store.put_item(report, expected_version=0)
    return report


# -- 回头看 ---------------------------------------------------------------------------------------


@frozen
class ReviewItem:
    """One occurrence of last year's plan a unit had not done by the review day, with every
    report the unit made on the task (its history)."""

    plan: str
    task: PlanTask
    unit: str
    state: TaskState
    due: date
    period: str
    history: tuple[ProgressReport, ...]


@frozen
class ReviewList:
    """回头看: the items of ``year``'s plans not done as of ``as_of`` (a day of the next year)."""

    year: int
    as_of: date
    items: tuple[ReviewItem, ...]

    def by_unit(self) -> dict[str, tuple[ReviewItem, ...]]:
        """The items per unit, in order of first appearance."""
        out: dict[str, list[ReviewItem]] = {}
        for item in self.items:
            out.setdefault(item.unit, []).append(item)
        return {k: tuple(v) for k, v in out.items()}

    def carried_tasks(self, due: DueRule, *, start: int = 1) -> tuple[PlanTask, ...]:
        """The items as tasks of next year's plan (one per task, the units still owing it),
        numbered from ``start``, each with ``carried_from`` and the given ``due``."""
        grouped: dict[tuple[str, str], list[ReviewItem]] = {}
        for item in self.items:
            grouped.setdefault((item.plan, item.task.number), []).append(item)
        tasks = []
        for i, ((plan_id, number), items) in enumerate(grouped.items(), start=start):
            old = items[0].task
            owing = tuple(dict.fromkeys(it.unit for it in items))
            lead = tuple(u for u in old.lead_units if u in owing)
            tasks.append(
                PlanTask(
                    number=str(i),
                    text=old.text,
                    due=due,
                    lead_units=lead,
                    units=tuple(u for u in owing if u not in lead),
                    section=f"回头看：{self.year}年未完成任务",
                    subsection=old.section,
                    title=old.title,
                    carried_from=f"{plan_id}#{number}",
                )
            )
        return tuple(tasks)


def review_list(
    store: Any,
    year: int,
    *,
    agency: str | None = None,
    as_of: date | None = None,
    expand: bool = False,
) -> ReviewList:
    """回头看 of ``year``'s plans (of one issuing ``agency``, or all): every dated occurrence a
    unit had not done by ``as_of`` (default: 1 January of the next year), overdue ones and
    ones still open, with the unit's whole history on the task."""
    day = as_of or date(year + 1, 1, 1)
    items = []
    for plan in sorted(store.items(WorkPlan, agency=agency), key=lambda p: p.id):
        if plan.year != year:
            continue
        reports = plan_reports(store, plan)
        members = plan_members(store, plan) if expand else None
        status = plan_status(plan, reports, as_of=day, members=members)
        for row in status.rows:
            if row.due is None or row.period is None or row.state.is_done:
                continue
            history = tuple(
                r for r in reports if r.task == row.task and r.unit == row.unit and r.on <= day
            )
            items.append(
                ReviewItem(
                    plan.id,
                    plan.task(row.task),
                    row.unit,
                    row.state,
                    row.due,
                    row.period,
                    history,
                )
            )
    return ReviewList(year, day, tuple(items))


# -- for the assessment -------------------------------------------------------------------------

_ALL_DEPARTMENTS = re.compile(r"各部门|相关部门|有关部门|各有关单位|各相关单位|各单位|直各部门")
_ALL_TOWNSHIPS = re.compile(r"各乡镇|各镇|街道")


def _government_of(issuer: Agency | None) -> str | None:
    if issuer is None:
        return None
    return issuer.code if issuer.kind is AgencyKind.GOVERNMENT else issuer.parent


def _direct(name: str, agencies: Sequence[Agency]) -> tuple[str, ...]:
    return tuple(
        a.code
        for a in agencies
        if name in (normal_unit(a.name), a.code) or normal_unit(a.name).endswith(name)
    )


def plan_members(store: Any, plan: WorkPlan) -> dict[str, tuple[str, ...]]:
    """The collective units of ``plan`` (``县政府各部门``, ``各乡镇``) that stand for stored
    agencies, each with its members' names, for `plan_status` ``members=``."""
    agencies = list(store.agencies())
    issuer = next((a for a in agencies if a.code == plan.agency), None)
    # a member the plan also names directly keeps the plan's name for it (市生态环境局)
    named: dict[str, str] = {}
    for unit in plan.units:
        for code in _direct(unit, agencies):
            named.setdefault(code, unit)
    by_code = {a.code: a for a in agencies}
    out = {}
    for unit in plan.units:
        if _direct(unit, agencies):
            continue
        codes = unit_agencies(unit, agencies, issuer=issuer)
        if codes:
            out[unit] = tuple(named.get(c) or normal_unit(by_code[c].name) for c in codes)
    return out


def unit_agencies(
    unit: str, agencies: Sequence[Agency], *, issuer: Agency | None = None
) -> tuple[str, ...]:
    """The codes of the stored agencies a plan's unit name stands for.

    A named unit is the agency whose name or code is that name, or whose name ends with it
    (``县财政局`` is ``某县财政局``). A collective name stands for its members under the
    issuer's government: ``县政府各部门`` / ``各有关单位`` for its departments, ``各乡镇`` /
    ``各镇（街道）`` for its township governments. Any other name stands for none.
    """
    name = normal_unit(unit)
    direct = _direct(name, agencies)
    if direct:
        return direct
    government = _government_of(issuer)
    if government is None:
        return ()
    if _ALL_TOWNSHIPS.search(name):
        return tuple(
            a.code for a in agencies if a.parent == government and a.level is AgencyLevel.TOWNSHIP
        )
    if _ALL_DEPARTMENTS.search(name):
        return tuple(
            a.code
            for a in agencies
            if a.parent == government
            and a.kind is not AgencyKind.GOVERNMENT
            and a.level is not AgencyLevel.TOWNSHIP
        )
    return ()


@frozen
class TaskOutcome:
    """Whether one agency did one occurrence of one plan task on time (for the assessment).

    :param on_time: ``True`` done by the due date, ``False`` done late or still open past it;
        ``None`` not yet decided (open, and not yet past its due date on the assessment day),
        which the assessment leaves out of the sample.
    :param unit: the plan's unit name that holds the agency to the task.
    :param reports: the agency's reports on the occurrence: the records behind the outcome.
    """

    agency: str
    plan: str
    task: str
    text: str
    unit: str
    due: date
    period: str
    state: TaskState
    on_time: bool | None
    done_on: date | None = None
    reports: tuple[ProgressReport, ...] = field(default=(), eq=False)

    @property
    def counted(self) -> bool:
        """Whether the outcome is decided (it counts in the sample)."""
        return self.on_time is not None

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """The evidence of the reports behind the outcome."""
        return tuple(e for r in self.reports for e in r.evidence)

    @property
    def record_ids(self) -> tuple[str, ...]:
        """The stored records the evidence names."""
        return tuple(
            e.record_id
            for e in self.evidence
            if e.record_id is not None and e.kind in (EvidenceKind.RECORD, EvidenceKind.PUBLICATION)
        )


def task_outcomes(
    store: Any,
    *,
    year: int,
    as_of: date,
    agency: str | None = None,
    first: date | None = None,
    last: date | None = None,
) -> dict[str, tuple[TaskOutcome, ...]]:
    """Per agency code, the dated task occurrences of ``year``'s plans due between ``first``
    and ``last`` (default: the whole year) that the agency is held to, and whether each was
    done on time as of ``as_of``.

    An agency is held to a task when a unit of the task stands for it (`unit_agencies`: its
    name, or a collective such as 县政府各部门 it belongs to); its own reports (unit = its name
    or code, or the unit naming it) decide the outcome. Ongoing (长期坚持) and undated tasks
    are not outcomes. With ``agency`` only that agency's key is returned (present, possibly
    empty).
    """
    start = first or date(year, 1, 1)
    end = last or date(year, 12, 31)
    agencies = list(store.agencies())
    by_code = {a.code: a for a in agencies}
    if agency is not None and agency not in by_code:
        raise NotFound(
            f"未找到机关：{agency}",
            f"no agency with code {agency!r} is stored",
            field="agency",
            code="plans.unknown_agency",
        )
    out: dict[str, list[TaskOutcome]] = defaultdict(list)
    if agency is not None:
        out[agency] = []
    for plan in sorted(store.items(WorkPlan), key=lambda p: p.id):
        if plan.year != year:
            continue
        issuer = by_code.get(plan.agency)
        reports = [r for r in plan_reports(store, plan) if r.on <= as_of]
        # which stored agencies each reporting unit name is
        for task in plan.tasks:
            occurrences = [o for o in task.due.occurrences(plan.year) if start <= o.due <= end]
            if not occurrences:
                continue
            held: dict[str, str] = {}
            for unit in task.assignees:
                for code in unit_agencies(unit, agencies, issuer=issuer):
                    held.setdefault(code, unit)
            for code, unit in held.items():
                if agency is not None and code != agency:
                    continue
                me = by_code[code]
                names = {normal_unit(me.name), me.code, unit}
                mine = [
                    r
                    for r in reports
                    if r.task == task.number
                    and (r.unit in names or normal_unit(me.name).endswith(r.unit))
                ]
                every = task.due.occurrences(plan.year)
                for occ in occurrences:
                    theirs = [r for r in mine if _occurrence_of(r, every) == occ]
                    state = status_of(task, occ, theirs, as_of=as_of, soon=0)
                    done = [r.done_on for r in theirs if r.done_on is not None]
                    if state is TaskState.DONE_ON_TIME:
                        on_time: bool | None = True
                    elif state in (TaskState.DONE_LATE, TaskState.OVERDUE):
                        on_time = False
                    else:
                        on_time = None
                    out[code].append(
                        TaskOutcome(
                            agency=code,
                            plan=plan.id,
                            task=task.number,
                            text=task.text,
                            unit=unit,
                            due=occ.due,
                            period=occ.period,
                            state=state,
                            on_time=on_time,
                            done_on=min(done) if done and state.is_done else None,
                            reports=tuple(theirs),
                        )
                    )
    return {k: tuple(v) for k, v in out.items()}
