"""Press events stored on the memory store and the SQL store (SQLite and PostgreSQL): round
trips, versioned corrections, and the same cadence and counts read back from every store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import attrs
import pytest
from tests.test_opinion_store import county, opener, postgres  # noqa: F401  (fixtures)

from govdisclose.errors import ConflictError, NotFound
from govdisclose.press import (
    Attendee,
    AttendeeRole,
    PressEvent,
    PressEventKind,
    add_event,
    behind,
    default_cadence,
    events_between,
    generate_press_events,
    yearly_counts,
)


@pytest.fixture
def store(opener: Callable[[], Any]) -> Any:  # noqa: F811
    return county(opener())


EVENT = PressEvent(
    id="county-gov-press-2025-1",
    agency="county-gov",
    kind=PressEventKind.PRESS_CONFERENCE,
    held_on=date(2025, 3, 31),
    title="一季度经济运行情况新闻发布会",
    topics=("经济运行", "重点项目"),
    attendees=(
        Attendee("张某", AttendeeRole.SPOKESPERSON),
        Attendee("王某", AttendeeRole.PRINCIPAL_HEAD, "county-edu"),
    ),
    record_ids=("county-gov-2025-0031",),
    interpretation_ids=("county-gov-2025-0032",),
    opinion_ids=("YQ-1",),
    note="现场直播",
)


def test_a_press_event_round_trips_and_a_correction_needs_the_version(store: Any) -> None:
    assert add_event(store, EVENT) == 1
    assert store.get_item(PressEvent, EVENT.id) == EVENT
    with pytest.raises(ConflictError):
        add_event(store, EVENT)
    fixed = attrs.evolve(EVENT, title="2025年一季度经济运行情况新闻发布会")
    assert store.put_item(fixed, expected_version=1) == 2
    with pytest.raises(ConflictError):
        store.put_item(attrs.evolve(EVENT, title="旧稿"), expected_version=1)
    assert store.get_item(PressEvent, EVENT.id) == fixed
    with pytest.raises(NotFound):
        add_event(store, attrs.evolve(EVENT, id="x", agency="county-nobody"))


def test_the_cadence_and_counts_are_the_same_from_every_store(store: Any) -> None:
    agencies = store.agencies()
    events = generate_press_events(agencies, 2025, seed=7)
    for ev in events:
        add_event(store, ev)
    back = events_between(store, date(2025, 1, 1), date(2025, 12, 31))
    assert back == sorted(events, key=lambda e: (e.held_on, e.id))
    assert [
        e.agency
        for e in events_between(store, date(2025, 1, 1), date(2025, 12, 31), agency="county-edu")
    ] == [e.agency for e in back if e.agency == "county-edu"]
    day = date(2026, 1, 1)
    assert behind(default_cadence(), back, agencies, day) == behind(
        default_cadence(), events, agencies, day
    )
    assert yearly_counts(back, 2025) == yearly_counts(events, 2025)
    # The generator skips the third quarter's conference and the last department's head.
    assert yearly_counts(back, 2025).press_conferences == 3
