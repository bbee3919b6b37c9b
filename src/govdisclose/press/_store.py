"""Press events in a `govdisclose.store.Store` (kept-item kind ``"press.event"``)."""

from __future__ import annotations

from datetime import date

from govdisclose.press._model import PressEvent
from govdisclose.store import Store

__all__ = ["add_event", "events_between"]


def add_event(store: Store, event: PressEvent) -> int:
    """Store a new press event (its id must be new) and return its version (1).

    :raises ConflictError: an event with that id is already stored.
    :raises NotFound: the host agency is not stored (field ``agency``).
    """
    return store.put_item(event, expected_version=0)


def events_between(
    store: Store, first: date, last: date, *, agency: str | None = None
) -> list[PressEvent]:
    """The stored events held from ``first`` to ``last`` (both included), of one host or all,
    ordered by date then id."""
    found = [ev for ev in store.items(PressEvent, agency=agency) if first <= ev.held_on <= last]
    return sorted(found, key=lambda ev: (ev.held_on, ev.id))
