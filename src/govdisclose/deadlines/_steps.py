"""The working-day arithmetic of the deadline engine and the steps that explain it.

Conventions (law/facts.md §3.3; 条例 2019 第三十条、第三十三条):

* a limit of N working days runs from the day after its trigger; the due date is the N-th working
  day after the trigger (期间开始的日不计算在期间内);
* a pause is a closed span of days ``[start, end]`` (by default the day after the consultation
  letter is sent through the day the reply arrives, or the last day of the reply window: see
  `consultation_span`); working days inside it are not counted. Spans are merged first, so
  several parties consulted at once, or a pause that covers a holiday, never exclude a day
  twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from govdisclose.calendar import WorkCalendar
from govdisclose.clocks import PauseCause, Span, Step, StepKind
from govdisclose.params import Citation, Snapshot

_ONE = timedelta(days=1)


def consultation_shift(snap: Snapshot) -> int:
    """0 when a consultation's excluded time includes the day the letter is sent, else 1.

    条例 2019 第三十三条第三款 (2008 第二十四条第三款) excludes "the time needed" to consult; the
    parameter ``consultation_pause_includes_sending_day`` (default false, per the general rule
    that the day a period starts is not counted) says whether that time begins on the sending day.
    """
    return 0 if snap.get("consultation_pause_includes_sending_day", False) else 1


def consultation_span(
    sent: date, end: date, shift: int, cause: PauseCause, note: str = ""
) -> tuple[Span, ...]:
    """The span a consultation keeps off the clock: from the sending day (``shift`` 0) or the
    day after it (``shift`` 1) to ``end``; empty when the reply came on the sending day and
    the sending day counts."""
    start = sent + timedelta(days=shift)
    return (Span(start, end, cause, note),) if start <= end else ()


def merge_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    """The union of spans: overlapping or touching spans become one, notes joined."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if out and span.start <= out[-1].end + _ONE:
            last = out[-1]
            notes = last.note if span.note in last.note else f"{last.note}；{span.note}"
            out[-1] = Span(last.start, max(last.end, span.end), last.cause, notes.strip("；"))
        else:
            out.append(span)
    return tuple(out)


def clip_spans(spans: Sequence[Span], after: date, until: date | None) -> tuple[Span, ...]:
    """Spans cut to the days after ``after`` (the clock's trigger) and up to ``until``."""
    out = []
    first = after + _ONE
    for span in spans:
        start, end = max(span.start, first), span.end if until is None else min(span.end, until)
        if start <= end:
            out.append(Span(start, end, span.cause, span.note))
    return tuple(out)


def due_with_pauses(cal: WorkCalendar, start: date, n: int, spans: Sequence[Span]) -> date:
    """The N-th counted working day after ``start``, skipping working days inside ``spans``
    (merged, sorted, all after ``start``). O(number of spans) with the calendar's index."""
    k = cal.index(start)
    remaining = n
    for span in spans:
        before = cal.index(span.start - _ONE) - k  # counted days available before the span
        if before >= remaining:
            break
        remaining -= before
        k = cal.index(span.end)
    return cal.workday_at(k + remaining) if remaining > 0 else start


def paused_working_days(cal: WorkCalendar, span: Span) -> int:
    """Working days inside a span (the days it keeps from being counted)."""
    return cal.index(span.end) - cal.index(span.start - _ONE)


def calendar_steps(
    cal: WorkCalendar, start: date, due: date, spans: Sequence[Span], pause_article: str | None
) -> list[Step]:
    """The steps the calendar explains between ``start`` and ``due``: holidays skipped, makeup
    working days counted, weekends skipped, and each pause with the working days it excluded."""
    steps: list[Step] = []
    weekends = 0
    run: list[date] = []

    def close_run() -> None:
        nonlocal weekends
        if not run:
            return
        names = sorted({n for d in run if (n := cal.holiday_name(d))})
        if names or any(d.weekday() < 5 for d in run):
            label = "、".join(names) or "法定节假日"
            steps.append(
                Step(
                    StepKind.SKIP_HOLIDAY,
                    run[0],
                    f"{label}放假{len(run)}天，不计入工作日",
                    days=0,
                    until=run[-1],
                    article="全国年节及纪念日放假办法；国务院办公厅当年放假通知",
                )
            )
        else:
            weekends += len(run)
        run.clear()

    for span in spans:
        if span.start <= due:
            excluded = paused_working_days(cal, span)
            note = f"（{span.note}）" if span.note else ""
            steps.append(
                Step(
                    StepKind.PAUSE,
                    span.start,
                    f"{span.cause.label}{note}，其间{excluded}个工作日不计入期限",
                    days=-excluded,
                    until=span.end,
                    article=pause_article,
                )
            )
    day = start + _ONE
    while day <= due:
        if any(day in s for s in spans):
            close_run()
        elif not cal.is_workday(day):
            run.append(day)
        else:
            close_run()
            if day.weekday() >= 5:
                steps.append(
                    Step(
                        StepKind.MAKEUP_DAY,
                        day,
                        f"{_WEEKDAY[day.weekday()]}为调休上班日，计为工作日",
                        days=1,
                        article="国务院办公厅当年放假通知",
                    )
                )
        day += _ONE
    close_run()
    steps.sort(key=lambda s: s.day or start)
    if weekends:
        steps.append(Step(StepKind.SKIP_WEEKEND, None, f"其间周末休息日共{weekends}天不计入"))
    return steps


_WEEKDAY = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def citations(*items: Citation | None) -> tuple[Citation, ...]:
    """Distinct citations in order."""
    out: list[Citation] = []
    for c in items:
        if c is not None and c not in out:
            out.append(c)
    return tuple(out)
