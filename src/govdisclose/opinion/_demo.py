"""The demo county's public-opinion ledger and press conferences (`demo_opinion_and_press`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from govdisclose._time import SHANGHAI
from govdisclose.model import Agency
from govdisclose.opinion._duties import overdue
from govdisclose.opinion._ledger import ledger_rows
from govdisclose.opinion._model import OpinionCase
from govdisclose.opinion._synthetic import generate_opinion_cases
from govdisclose.press import (
    PressEvent,
    behind,
    cadence_year,
    default_cadence,
    generate_press_events,
    yearly_counts,
)

__all__ = ["demo_opinion_and_press"]


def demo_opinion_and_press(
    store: Any,
    agencies: Sequence[Agency],
    *,
    year: int,
    as_of: date,
    params: Any,
    say: Callable[[str], None],
    seed: int = 2025,
) -> bool:
    """Store synthetic opinion cases (the 30 days before ``as_of``) and the press events of
    ``year``; print the ledger's overdue limits, the units behind their press cadence on
    ``as_of`` and in ``year``, and the year's counts. True when both lists have entries (the
    synthetic data are made to have some)."""
    now = datetime.combine(as_of, time(9, 0), SHANGHAI)
    say(f"== 6d. 舆情回应台账 / public-opinion ledger as of {now:%Y-%m-%d %H:%M}")
    codes = [a.code for a in agencies]
    cases = generate_opinion_cases(codes, start=now - timedelta(days=30), until=now, seed=seed)
    for case in cases:
        store.put_item(case, expected_version=0)
    stored = list(store.items(OpinionCase))
    rows = ledger_rows(stored, now, params=params)
    say(f"   stored {len(stored)} cases; ledger rows: {len(rows)}")
    late = overdue(stored, now, params=params)
    say(f"   overdue opinion limits: {len(late)}")
    for duty in late[:8]:
        say(f"     {duty.describe(now)}")
    if len(late) > 8:
        say(f"     … {len(late) - 8} more")

    say(f"== 6e. 新闻发布 / press conferences and cadence as of {as_of}")
    events = generate_press_events(agencies, year, until=as_of, seed=seed)
    for ev in events:
        store.put_item(ev, expected_version=0)
    stored_events = list(store.items(PressEvent))
    rules = default_cadence()
    now_behind = behind(rules, stored_events, agencies, as_of)
    say(f"   stored {len(stored_events)} press events; units behind on {as_of}: {len(now_behind)}")
    for st in now_behind:
        say(f"     {st.describe()}")
    missed = [
        s for s in cadence_year(rules, stored_events, agencies, year) if s.state.code != "met"
    ]
    say(f"   periods of {year} not met: {len(missed)}")
    for st in missed:
        say(f"     {st.describe()}")
    say(f"   {year}年：{yearly_counts(stored_events, year).narrative()}")
    return bool(late) and bool(missed)
