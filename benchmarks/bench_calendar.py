"""Working-day calendar: govdisclose's O(1) tables against chinese_calendar and numpy.

Measured in one run, methods interleaved round by round (the machine is shared and noisy):

* scalar ``add_working_days(d, 20)`` vs ``chinese_calendar.find_workday(20, d)`` (target: >= 1000x);
* ``working_days_between`` over 30-day and 1-year spans vs a ``chinese_calendar.is_workday`` loop;
* a batch of 1,000,000 ``add_working_days(d, 20)`` and 30-day counts vs plain
  ``numpy.busday_offset`` / ``busday_count`` given the same holiday list (Mon-Fri weekmask),
  counting how often numpy is WRONG: it cannot model 调休 makeup working days (target: at least
  as fast, and exact);
* building the tables (target: < 5 ms).

    python benchmarks/run.py calendar [--quick]
"""

from __future__ import annotations

import functools
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

import chinese_calendar
import numpy as np
from _harness import report

from govdisclose import calendar as gcal
from govdisclose.calendar import CalendarOverrides, WorkCalendar

EPOCH = 719163  # date(1970, 1, 1).toordinal()


def _interleaved(methods: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median seconds of each method, running every method once per round."""
    samples: dict[str, list[float]] = {name: [] for name in methods}
    for _ in range(rounds):
        for name, fn in methods.items():
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(s) for name, s in samples.items()}


def _starts(rng: random.Random, n: int, lo: date, hi: date) -> list[date]:
    a, b = lo.toordinal(), hi.toordinal()
    return [date.fromordinal(rng.randint(a, b)) for _ in range(n)]


def _cc_count(a: date, b: date) -> int:
    """Working days in (a, b] by chinese_calendar's per-day is_workday."""
    n, day, one = 0, a + timedelta(days=1), timedelta(days=1)
    while day <= b:
        n += chinese_calendar.is_workday(day)
        day += one
    return n


def main(quick: bool) -> None:
    rng = random.Random(20251104)
    n_fast = 20_000 if quick else 100_000
    n_slow = 30 if quick else 300
    n_batch = 100_000 if quick else 1_000_000
    rounds = 3 if quick else 5

    # -- table build --------------------------------------------------------------------------
    t0 = time.perf_counter()
    national = gcal._national()  # reads chinese_calendar's dicts (its import is not counted)
    t_national = time.perf_counter() - t0
    state = gcal._State(policy="strict", national=national)
    t0 = time.perf_counter()
    WorkCalendar._from_state(state)
    t_first = time.perf_counter() - t0
    builds = []
    for _ in range(rounds * 3):
        t0 = time.perf_counter()
        WorkCalendar._from_state(state)
        builds.append(time.perf_counter() - t0)
    t_build = statistics.median(builds)
    cal = WorkCalendar.default()
    ov = CalendarOverrides(name="bench", source="bench", holidays=frozenset({date(2025, 3, 3)}))
    t0 = time.perf_counter()
    cal.with_overrides(ov)
    t_override = time.perf_counter() - t0
    t0 = time.perf_counter()
    WorkCalendar._from_state(gcal._State(policy="provisional", national=national))
    t_prov = time.perf_counter() - t0
    fresh = WorkCalendar._from_state(state)
    t0 = time.perf_counter()
    fresh.is_workday_many(np.array(["2025-01-02"], dtype="datetime64[D]"))
    t_np_tables = time.perf_counter() - t0
    print(
        f"table build: national dicts {t_national * 1e3:.2f} ms; strict tables first "
        f"{t_first * 1e3:.2f} ms, median {t_build * 1e3:.2f} ms (target < 5 ms); "
        f"with_overrides {t_override * 1e3:.2f} ms; provisional (+10 years, holidays) "
        f"{t_prov * 1e3:.1f} ms; numpy mirrors {t_np_tables * 1e3:.2f} ms"
    )

    # -- scalar add ---------------------------------------------------------------------------
    starts = _starts(rng, n_fast, date(2004, 1, 1), date(2026, 10, 31))
    slow = starts[:n_slow]
    add = cal.add_working_days
    find_workday = chinese_calendar.find_workday
    is_wd = cal.is_workday
    # The naive anchor is wrong on rest-day starts; the corrected call gives the same answers.
    mismatches = sum(find_workday(20 if is_wd(d) else 19, d) != add(d, 20) for d in slow)
    naive_off = sum(find_workday(20, d) != add(d, 20) for d in slow)
    times = _interleaved(
        {
            "ours": lambda: [add(d, 20) for d in starts],
            "find_workday": lambda: [find_workday(20, d) for d in slow],
            "floor": lambda: [_noop(d, 20) for d in starts],
        },
        rounds,
    )
    ours_add = times["ours"] / len(starts)
    rows = [
        (
            "add_working_days(d, 20), scalar",
            ours_add,
            "chinese_calendar.find_workday",
            times["find_workday"] / len(slow),
        ),
        (
            "add_working_days(d, 20), scalar",
            ours_add,
            "empty-call floor (ratio = floor/ours)",
            times["floor"] / len(starts),
        ),
    ]
    print(
        f"find_workday(20, d) differs from add_working_days(d, 20) on {naive_off}/{len(slow)} "
        f"random starts (the rest-day starts); with the corrected n: {mismatches} mismatches"
    )

    # -- scalar between -----------------------------------------------------------------------
    between = cal.working_days_between
    for label, span in (("30-day", 30), ("1-year", 365)):
        a_days = _starts(rng, n_fast, date(2004, 1, 1), date(2026, 12, 31) - timedelta(days=span))
        pairs = [(a, a + timedelta(days=span)) for a in a_days]
        k = max(10, n_slow // (4 if span > 100 else 1))
        slow_pairs = pairs[:k]
        bad = sum(_cc_count(a, b) != between(a, b) for a, b in slow_pairs[:10])
        times = _interleaved(
            {
                "ours": functools.partial(_count_all, between, pairs),
                "cc": functools.partial(_count_all, _cc_count, slow_pairs),
            },
            rounds,
        )
        rows.append(
            (
                f"working_days_between, {label} span",
                times["ours"] / len(pairs),
                "chinese_calendar.is_workday loop",
                times["cc"] / len(slow_pairs),
            )
        )
        if bad:
            print(f"!! {label}: {bad} mismatches against the is_workday loop")

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
    cal.add_working_days_many(days[:10], 20)  # numpy mirrors built outside the timing
    times = _interleaved(
        {
            "ours_add": lambda: cal.add_working_days_many(days, 20),
            "np_add": lambda: np.busday_offset(days, 20, roll="backward", busdaycal=bcal),
            "np_exact_add": lambda: np.busday_offset(
                days, 20, roll="backward", busdaycal=bcal_exact
            ),
            "ours_count": lambda: cal.working_days_between_many(days, ends),
            "np_count": lambda: np.busday_count(days + 1, ends + 1, busdaycal=bcal),
        },
        rounds,
    )
    ours = cal.add_working_days_many(days, 20)
    theirs = np.busday_offset(days, 20, roll="backward", busdaycal=bcal)
    exact = np.busday_offset(days, 20, roll="backward", busdaycal=bcal_exact)
    wrong_add = int((ours != theirs).sum())
    late = theirs > ours
    counts = cal.working_days_between_many(days, ends)
    wrong_count = int((counts != np.busday_count(days + 1, ends + 1, busdaycal=bcal)).sum())
    # spot-check the batch against the scalar form
    sample = nrng.integers(0, n_batch, size=2000)
    batch_bad = sum(
        ours[i].item() != cal.add_working_days(days[i].item(), 20) for i in sample.tolist()
    )
    rows += [
        (
            f"add_working_days_many, {n_batch:,} (per day)",
            times["ours_add"] / n_batch,
            "numpy.busday_offset Mon-Fri",
            times["np_add"] / n_batch,
        ),
        (
            f"add_working_days_many, {n_batch:,} (per day)",
            times["ours_add"] / n_batch,
            "busday_offset 1111111 (exact)",
            times["np_exact_add"] / n_batch,
        ),
        (
            f"working_days_between_many 30d, {n_batch:,}",
            times["ours_count"] / n_batch,
            "numpy.busday_count Mon-Fri",
            times["np_count"] / n_batch,
        ),
        (
            f"add_working_days_many, {n_batch:,} (whole batch)",
            times["ours_add"],
            "numpy.busday_offset Mon-Fri",
            times["np_add"],
        ),
    ]
    report(rows)
    print(
        f"numpy.busday_offset (Mon-Fri + holiday list) is WRONG on {wrong_add:,}/{n_batch:,} "
        f"20-day offsets ({wrong_add / n_batch:.1%}; {int(late.sum()):,} of them later than the "
        f"true due date); busday_count wrong on {wrong_count:,}/{n_batch:,} 30-day counts "
        f"({wrong_count / n_batch:.1%}); the all-days encoding agrees on "
        f"{int((exact == ours).sum()):,}/{n_batch:,}; our batch vs scalar on 2,000 samples: "
        f"{batch_bad} mismatches"
    )


def _noop(d: date, n: int) -> date:
    return d


def _count_all(fn: Callable[[date, date], int], pairs: list[tuple[date, date]]) -> list[int]:
    return [fn(a, b) for a, b in pairs]


def cal_days(cal: WorkCalendar) -> list[date]:
    first, last = cal.covered
    start, end = date(first, 1, 1), date(last, 12, 31)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


if __name__ == "__main__":
    import sys

    main(quick="--quick" in sys.argv)
