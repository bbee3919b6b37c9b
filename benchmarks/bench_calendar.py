"""Working-day calendar: govdisclose's O(1) tables against chinese-calendar, numpy and the floors.

Every comparison runs its methods interleaved round by round (`_harness.compare`). Anchors:

* scalar ``add_working_days(d, 20)``:
  - the *table-lookup floor*: a plain function ``wd[cum[d.toordinal() - origin] + n - 1]`` over
    the very same tables, with no argument checks (target: ours within 3x of it);
  - chinese-calendar's fastest public path, ``chinese_calendar.find_workday`` (its
    ``is_workday`` recomputes min/max of its whole holiday dict on every call, which is most of
    why it is slow);
  - chinese-calendar's own data walked the way its best user would: a plain day loop over
    ``chinese_calendar.constants.holidays`` / ``workdays`` (no per-call validation);
* ``working_days_between`` over 30-day and 1-year spans: the same three kinds of anchor
  (``cum[j] - cum[i]``; ``len(chinese_calendar.get_workdays(a + 1, b))``; the dict loop);
* a batch of 1,000,000 ``add_working_days(d, 20)`` and 30-day counts (datetime64 arrays):
  - the plain numpy gather over the same tables, ``wd.take(cum.take(off) + 19)`` (target: ours
    at least as fast), and ``cum.take(ob) - cum.take(oa)`` for the counts;
  - ``numpy.busday_offset`` / ``busday_count`` with a Mon-Fri weekmask and the holiday list
    (counting how often numpy is WRONG: a weekmask cannot model 调休 makeup working days), and
    the exact all-days encoding (weekmask ``1111111``, every rest day a "holiday");
* building the tables (target: < 5 ms), with overrides, provisional, and the numpy mirrors.

    python benchmarks/run.py calendar [--quick]
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

import chinese_calendar
import numpy as np
from _harness import Method, Row, Target, compare, note, report
from chinese_calendar.constants import holidays as CC_HOLIDAYS, workdays as CC_WORKDAYS

from govdisclose import calendar as gcal
from govdisclose.calendar import CalendarOverrides, WorkCalendar

EPOCH = 719163  # date(1970, 1, 1).toordinal()
ONE = timedelta(days=1)


def _starts(rng: random.Random, n: int, lo: date, hi: date) -> list[date]:
    a, b = lo.toordinal(), hi.toordinal()
    return [date.fromordinal(rng.randint(a, b)) for _ in range(n)]


def cc_data_add(d: date, n: int) -> date:
    """The n-th working day after d, by a plain loop over chinese-calendar's own dicts."""
    while n:
        d += ONE
        if d in CC_WORKDAYS or (d.weekday() < 5 and d not in CC_HOLIDAYS):
            n -= 1
    return d


def cc_data_count(a: date, b: date) -> int:
    """Working days in (a, b] by a plain loop over chinese-calendar's own dicts."""
    n = 0
    while a < b:
        a += ONE
        if a in CC_WORKDAYS or (a.weekday() < 5 and a not in CC_HOLIDAYS):
            n += 1
    return n


def cc_public_count(a: date, b: date) -> int:
    """Working days in (a, b] by chinese-calendar's public ``get_workdays``."""
    return len(chinese_calendar.get_workdays(a + ONE, b))


def floor_functions(cal: WorkCalendar) -> tuple[Callable[[date, int], date], Callable[..., int]]:
    """The table-lookup floors: plain functions over the calendar's own tables, no checks."""
    wd, cum, origin = cal._wd, cal._cum, cal._origin

    def floor_add(d: date, n: int) -> date:
        return wd[cum[d.toordinal() - origin] + n - 1]

    def floor_between(a: date, b: date) -> int:
        return cum[b.toordinal() - origin] - cum[a.toordinal() - origin]

    return floor_add, floor_between


def main(quick: bool) -> None:
    rng = random.Random(20251104)
    n_fast = 20_000 if quick else 100_000
    n_slow = 30 if quick else 300
    n_data = 2_000 if quick else 10_000
    n_batch = 100_000 if quick else 1_000_000
    rounds = 5 if quick else 9

    # -- table build --------------------------------------------------------------------------
    national = gcal._national.__wrapped__  # the uncached reader of chinese-calendar's dicts
    state = gcal._State(policy="strict", national=gcal._national())
    prov_state = gcal._State(policy="provisional", national=gcal._national())
    cal = WorkCalendar.default()
    ov = CalendarOverrides(name="bench", source="bench", holidays=frozenset({date(2025, 3, 3)}))
    one = np.array(["2025-01-02"], dtype="datetime64[D]")
    build = compare(
        {
            "national": national,
            "strict": lambda: WorkCalendar._from_state(state),
            "override": lambda: cal.with_overrides(ov),
            "provisional": lambda: WorkCalendar._from_state(prov_state),
            "mirrors": Method(
                lambda fresh: fresh.is_workday_many(one),
                setup=lambda: WorkCalendar._from_state(state),
            ),
        },
        rounds=rounds,
    )
    report(
        [
            Row("read chinese-calendar's dicts", build["national"]),
            Row("build strict tables", build["strict"], target=Target("< 5 ms", max_seconds=5e-3)),
            Row("with_overrides (one holiday)", build["override"]),
            Row("build provisional (+10 years)", build["provisional"]),
            Row("numpy mirrors (first batch call)", build["mirrors"]),
        ]
    )

    # -- scalar add ---------------------------------------------------------------------------
    starts = _starts(rng, n_fast, date(2004, 1, 1), date(2026, 10, 31))
    slow = starts[:n_slow]
    data = starts[:n_data]
    add = cal.add_working_days
    find_workday = chinese_calendar.find_workday
    is_wd = cal.is_workday
    floor_add, floor_between = floor_functions(cal)
    # find_workday(n, d) counts d itself when d is a working day: the corrected call below
    # (20 on working days, 19 on rest days) gives the same answers as add_working_days(d, 20).
    steps = [20 if is_wd(d) else 19 for d in slow]
    naive_off = sum(find_workday(20, d) != add(d, 20) for d in slow)
    mismatches = sum(find_workday(k, d) != add(d, 20) for d, k in zip(slow, steps, strict=True))
    data_off = sum(cc_data_add(d, 20) != add(d, 20) for d in data)
    floor_off = sum(floor_add(d, 20) != add(d, 20) for d in starts)
    times = compare(
        {
            "ours": Method(lambda: [add(d, 20) for d in starts], per=len(starts)),
            "floor": Method(lambda: [floor_add(d, 20) for d in starts], per=len(starts)),
            "find_workday": Method(
                lambda: [find_workday(k, d) for d, k in zip(slow, steps, strict=True)],
                per=len(slow),
            ),
            "cc_data": Method(lambda: [cc_data_add(d, 20) for d in data], per=len(data)),
        },
        rounds=rounds,
    )
    label = "add_working_days(d, 20), scalar"
    rows = [
        Row(
            label,
            times["ours"],
            "table-lookup floor wd[cum[i]+n-1]",
            times["floor"],
            Target("<= 3x floor", max_ratio=3),
            unit="call",
        ),
        Row(
            label,
            times["ours"],
            "chinese_calendar.find_workday (public)",
            times["find_workday"],
            unit="call",
        ),
        Row(
            label,
            times["ours"],
            "loop over cc holidays/workdays dicts",
            times["cc_data"],
            unit="call",
        ),
    ]
    note(
        f"find_workday(20, d) differs from add_working_days(d, 20) on {naive_off}/{len(slow)} "
        f"random starts (the rest-day starts); with the corrected n: {mismatches} mismatches; "
        f"the dict loop differs on {data_off}/{len(data)} (chinese-calendar's 2005-12-31 "
        f"erratum); the floor on {floor_off}/{len(starts)}"
    )

    # -- scalar between -----------------------------------------------------------------------
    between = cal.working_days_between
    for span_label, span in (("30-day", 30), ("1-year", 365)):
        a_days = _starts(rng, n_fast, date(2004, 1, 1), date(2026, 12, 31) - timedelta(days=span))
        pairs = [(a, a + timedelta(days=span)) for a in a_days]
        k = max(10, n_slow // (4 if span > 100 else 1))
        slow_pairs = pairs[:k]
        data_pairs = pairs[: max(50, n_data // (8 if span > 100 else 1))]
        bad = sum(cc_public_count(a, b) != between(a, b) for a, b in slow_pairs[:10])
        times = compare(
            {
                "ours": Method(lambda p=pairs: [between(a, b) for a, b in p], per=len(pairs)),
                "floor": Method(
                    lambda p=pairs: [floor_between(a, b) for a, b in p], per=len(pairs)
                ),
                "cc": Method(
                    lambda p=slow_pairs: [cc_public_count(a, b) for a, b in p],
                    per=len(slow_pairs),
                ),
                "cc_data": Method(
                    lambda p=data_pairs: [cc_data_count(a, b) for a, b in p],
                    per=len(data_pairs),
                ),
            },
            rounds=rounds,
        )
        label = f"working_days_between, {span_label} span"
        rows += [
            Row(
                label,
                times["ours"],
                "table-lookup floor cum[j]-cum[i]",
                times["floor"],
                unit="call",
            ),
            Row(
                label, times["ours"], "len(chinese_calendar.get_workdays)", times["cc"], unit="call"
            ),
            Row(
                label,
                times["ours"],
                "loop over cc holidays/workdays dicts",
                times["cc_data"],
                unit="call",
            ),
        ]
        if bad:
            note(f"!! {span_label}: {bad} mismatches against chinese_calendar.get_workdays")
    report(rows)

    # -- batch --------------------------------------------------------------------------------
    lo, hi = date(2004, 1, 1).toordinal(), date(2026, 10, 31).toordinal()
    nrng = np.random.default_rng(20251104)
    ords = nrng.integers(lo, hi + 1, size=n_batch)
    days = (ords - EPOCH).astype("datetime64[D]")
    ends = days + 30
    rest_weekdays = sorted(d for d in cal_days(cal) if d.weekday() < 5 and not cal.is_workday(d))
    holidays = np.array(rest_weekdays, dtype="datetime64[D]")
    all_rest = np.array([d for d in cal_days(cal) if not cal.is_workday(d)], dtype="datetime64[D]")
    bcal = np.busdaycalendar(weekmask="1111100", holidays=holidays)
    bcal_exact = np.busdaycalendar(weekmask="1111111", holidays=all_rest)
    tables = cal._numpy()  # numpy mirrors built outside the timing
    wd, cum = tables.wd, tables.cum
    base = cal._origin - EPOCH

    def gather_add() -> object:
        return wd.take(cum.take(days.view(np.int64) - base) + 19)

    def gather_count() -> object:
        return cum.take(ends.view(np.int64) - base) - cum.take(days.view(np.int64) - base)

    cal.add_working_days_many(days[:10], 20)  # per-step table built outside the timing
    times = compare(
        {
            "ours_add": Method(lambda: cal.add_working_days_many(days, 20), per=n_batch),
            "gather_add": Method(gather_add, per=n_batch),
            "np_add": Method(
                lambda: np.busday_offset(days, 20, roll="backward", busdaycal=bcal), per=n_batch
            ),
            "np_exact_add": Method(
                lambda: np.busday_offset(days, 20, roll="backward", busdaycal=bcal_exact),
                per=n_batch,
            ),
            "ours_count": Method(lambda: cal.working_days_between_many(days, ends), per=n_batch),
            "gather_count": Method(gather_count, per=n_batch),
            "np_count": Method(
                lambda: np.busday_count(days + 1, ends + 1, busdaycal=bcal), per=n_batch
            ),
        },
        rounds=rounds,
    )
    ours = cal.add_working_days_many(days, 20)
    gathered = gather_add()
    theirs = np.busday_offset(days, 20, roll="backward", busdaycal=bcal)
    exact = np.busday_offset(days, 20, roll="backward", busdaycal=bcal_exact)
    wrong_add = int((ours != theirs).sum())
    late = theirs > ours
    counts = cal.working_days_between_many(days, ends)
    wrong_count = int((counts != np.busday_count(days + 1, ends + 1, busdaycal=bcal)).sum())
    sample = nrng.integers(0, n_batch, size=2000)
    batch_bad = sum(
        ours[i].item() != cal.add_working_days(days[i].item(), 20) for i in sample.tolist()
    )
    label = f"add_working_days_many, {n_batch:,}"
    report(
        [
            Row(
                label,
                times["ours_add"],
                "numpy gather wd.take(cum.take(off)+19)",
                times["gather_add"],
                Target("<= gather", max_ratio=1),
                unit="day",
            ),
            Row(
                label,
                times["ours_add"],
                "numpy.busday_offset Mon-Fri (wrong)",
                times["np_add"],
                unit="day",
            ),
            Row(
                label,
                times["ours_add"],
                "busday_offset 1111111 (exact)",
                times["np_exact_add"],
                unit="day",
            ),
            Row(
                f"working_days_between_many 30d, {n_batch:,}",
                times["ours_count"],
                "numpy gather cum[b]-cum[a]",
                times["gather_count"],
                unit="day",
            ),
            Row(
                f"working_days_between_many 30d, {n_batch:,}",
                times["ours_count"],
                "numpy.busday_count Mon-Fri (wrong)",
                times["np_count"],
                unit="day",
            ),
        ]
    )
    note(
        f"numpy.busday_offset (Mon-Fri + holiday list) is WRONG on {wrong_add:,}/{n_batch:,} "
        f"20-day offsets ({wrong_add / n_batch:.1%}; {int(late.sum()):,} of them later than the "
        f"true due date); busday_count wrong on {wrong_count:,}/{n_batch:,} 30-day counts "
        f"({wrong_count / n_batch:.1%}); the all-days encoding agrees on "
        f"{int((exact == ours).sum()):,}/{n_batch:,}, the gather on "
        f"{int((gathered == ours).sum()):,}/{n_batch:,}; our batch vs scalar on 2,000 "
        f"samples: {batch_bad} mismatches"
    )


def cal_days(cal: WorkCalendar) -> list[date]:
    first, last = cal.covered
    start, end = date(first, 1, 1), date(last, 12, 31)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


if __name__ == "__main__":
    import sys

    main(quick="--quick" in sys.argv)
