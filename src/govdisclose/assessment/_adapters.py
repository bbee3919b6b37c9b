"""The indicators read from the packages below the assessment: work plans, inquiries, opinion.

The assessment is the higher layer: it reads `govdisclose.plans`, `govdisclose.inquiries` and
`govdisclose.opinion` through their public functions and turns what they say into a `Measure`;
none of them knows the assessment exists. The definitions printed with each indicator are in
`govdisclose.assessment._builtin` (``PLANS_ZH``, ``INQUIRIES_ZH``, ``OPINION_ZH``), next to the
others, and follow the same settle-day rule (see that module's docstring).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import attrs

from govdisclose.assessment._indicators import Fault, IndicatorInput, Measure
from govdisclose.errors import CalendarDataMissing

__all__ = ["inquiry_on_time", "opinion_response", "plan_tasks_on_time"]

_ONE_DAY = timedelta(days=1)


def _measure(
    code: str,
    inp: IndicatorInput,
    sample: int,
    faults: list[Fault],
    notes: list[str],
    empty_zh: str,
    empty_en: str,
) -> Measure:
    """An on-time share: ``(sample - faults) / sample``; not scored on an empty sample."""
    from decimal import Decimal

    agency = inp.agency.code
    if sample == 0:
        return Measure(code, agency, None, 0, (), empty_zh, empty_en, tuple(notes))
    faults.sort(key=lambda f: (f.day or date.min, f.id))
    value = Decimal(sample - len(faults)) / Decimal(sample)
    return Measure(code, agency, value, sample, tuple(faults), notes=tuple(notes))


def plan_tasks_on_time(inp: IndicatorInput) -> Measure:
    """Plan tasks done on time (`govdisclose.plans.task_outcomes`), each counted in the period
    of its settle day: the day it was done when done by its due date, the day after its due
    date when not (so a task due on a period's last day and still open counts in the next)."""
    from govdisclose.plans import task_outcomes

    code = inp.agency.code
    period = inp.period
    # A task due on the day before the period settles on its first day; a task done early
    # in the period may be due after it, up to the end of the following year (a recurring
    # task's last occurrence, 每季度结束后10日内, falls in January).
    earliest = period.first - _ONE_DAY
    latest = date(period.last.year + 1, 12, 31)
    sample = 0
    faults: list[Fault] = []
    notes: list[str] = []
    for year in range(earliest.year - 1, period.last.year + 1):
        outcomes = task_outcomes(
            inp.store, year=year, as_of=inp.as_of, agency=code, first=earliest, last=latest
        ).get(code, ())
        for outcome in outcomes:
            key = f"{outcome.plan}#{outcome.task}" + (
                f"/{outcome.period}" if outcome.period else ""
            )
            if not outcome.counted:
                if period.contains(outcome.due):
                    notes.append(f"{key}: 截至{inp.as_of}尚未到期，未计入")
                continue
            settle = (
                outcome.done_on
                if outcome.on_time and outcome.done_on is not None
                else outcome.due + _ONE_DAY
            )
            if not period.contains(settle):
                continue
            sample += 1
            if outcome.on_time:
                continue
            text = outcome.text if len(outcome.text) <= 30 else outcome.text[:29] + "…"
            if outcome.done_on is not None:
                zh = f"任务{outcome.task}“{text}”完成时限{outcome.due}，{outcome.done_on}完成"
                en = f"task {outcome.task} due {outcome.due}, done {outcome.done_on}"
            else:
                zh = f"任务{outcome.task}“{text}”完成时限{outcome.due}，截至{inp.as_of}未完成"
                en = f"task {outcome.task} due {outcome.due}, not done by {inp.as_of}"
            faults.append(Fault("task", key, code, zh, en, settle))
    return _measure(
        "plan_tasks_on_time",
        inp,
        sample,
        faults,
        notes,
        "本期没有结算的工作任务",
        "no plan task settled in the period",
    )


def inquiry_on_time(inp: IndicatorInput) -> Measure:
    """Inquiry parts answered on time: every part (`govdisclose.inquiries.unit_clocks`) the
    agency holds, whoever received the case, as the case stood on the assessment day."""
    from govdisclose.inquiries import InquiryCase, unit_clocks

    code = inp.agency.code
    sample = 0
    faults: list[Fault] = []
    notes: list[str] = []
    for case in inp.store.items(InquiryCase):
        known = attrs.evolve(case, events=tuple(e for e in case.events if e.on <= inp.as_of))
        if not known.events:
            continue
        try:
            clocks = unit_clocks(known, params=inp.params, calendar=inp.calendar)
        except CalendarDataMissing as err:
            notes.append(f"{case.id}: 无法计算答复期限，未计入（{err.message_zh}）")
            continue
        for clock in clocks:
            if clock.unit != code:
                continue
            due, ended = clock.deadline.due, clock.part.ended_on
            if ended is not None and ended <= due:
                if inp.period.contains(ended):
                    sample += 1
                continue
            if ended is None and inp.as_of <= due:
                continue  # still running
            settle = due + _ONE_DAY
            if not inp.period.contains(settle):
                continue
            sample += 1
            label = clock.part.origin.label
            if ended is not None:
                zh = f"查询{case.id}（{label}）答复期限{due}，{ended}答复"
                en = f"inquiry {case.id} ({clock.part.origin.code}) due {due}, answered {ended}"
            else:
                zh = f"查询{case.id}（{label}）答复期限{due}，截至{inp.as_of}未答复"
                en = (
                    f"inquiry {case.id} ({clock.part.origin.code}) due {due}, "
                    f"unanswered on {inp.as_of}"
                )
            if clock.part.explained_on is not None:
                zh += f"（{clock.part.explained_on}已说明情况）"
                en += f" (explained {clock.part.explained_on})"
            faults.append(Fault("inquiry", case.id, code, zh, en, settle))
    return _measure(
        "inquiry_on_time",
        inp,
        sample,
        faults,
        notes,
        "本期没有结算的政务咨询",
        "no inquiry settled in the period",
    )


def opinion_response(inp: IndicatorInput) -> Measure:
    """The hour limits of the agency's opinion cases (`govdisclose.opinion.duties`), judged
    at the end of the assessment day (Asia/Shanghai), each counted in the period of its settle
    day: the day it was met when met in time, the day its limit ran out when not."""
    from govdisclose._time import SHANGHAI
    from govdisclose.opinion import DutyState, OpinionCase, duties

    code = inp.agency.code
    now = datetime.combine(inp.as_of + _ONE_DAY, time(0), SHANGHAI)
    sample = 0
    faults: list[Fault] = []
    notes: list[str] = []
    for case in inp.store.items(OpinionCase, agency=code):
        for duty in duties(case, params=inp.params):
            if duty.start >= now or duty.start.astimezone(SHANGHAI).date() > inp.period.last:
                continue
            state = duty.state(now)
            if state is DutyState.OPEN:
                notes.append(f"{case.id}: {duty.kind.label}时限未到，未计入")
                continue
            # the settle day: when it was done in time, else the day its limit ran out
            settled = duty.done_at if state is DutyState.MET else duty.due
            assert settled is not None
            if not inp.period.contains(settled.astimezone(SHANGHAI).date()):
                continue
            sample += 1
            if state is DutyState.MET:
                continue
            due = duty.due.strftime("%Y-%m-%d %H:%M")
            late = duty.hours_late(now)
            if state is DutyState.LATE:
                assert duty.done_at is not None
                done = duty.done_at.strftime("%Y-%m-%d %H:%M")
                zh = (
                    f"{duty.hours}小时内{duty.kind.label}，时限{due}，{done}完成，"
                    f"超时{late:.1f}小时"
                )
                en = f"{duty.kind.code} within {duty.hours} h, due {due}, done {done}"
            else:
                zh = f"{duty.hours}小时内{duty.kind.label}，时限{due}，截至{inp.as_of}未完成"
                en = f"{duty.kind.code} within {duty.hours} h, due {due}, not done by {inp.as_of}"
            faults.append(
                Fault("opinion", case.id, code, zh, en, duty.due.astimezone(SHANGHAI).date())
            )
    return _measure(
        "opinion_response",
        inp,
        sample,
        faults,
        notes,
        "本期没有结算的舆情回应时限",
        "no public-opinion response limit settled in the period",
    )
