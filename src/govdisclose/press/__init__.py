"""Press conferences and interviews (新闻发布): stored, counted, and checked against a cadence.

* `PressEvent`: a press conference, briefing, interview or online interview, with its date,
  host unit, attendees and their roles (`Attendee`, `AttendeeRole`), topics, and the records,
  interpretations and public-opinion cases it presented; stored as the kept item
  ``"press.event"`` (`add_event`, `events_between`).
* Cadence rules as data (`load_cadence`, `default_cadence`: seed 000 §(一), a quarterly
  conference of the government office, a yearly attendance of each listed department's
  principal head), `cadence_status` and `behind`: the units behind their cadence on a day.
* `yearly_counts`: the counts the annual report's narrative quotes (seed 004 §三).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from govdisclose.press._cadence import (
    CadenceCount,
    CadencePeriod,
    CadenceRule,
    CadenceRules,
    CadenceState,
    CadenceStatus,
    behind,
    cadence_status,
    cadence_year,
    default_cadence,
    load_cadence,
)
from govdisclose.press._counts import PressCounts, yearly_counts
from govdisclose.press._model import (
    PRESS_KIND,
    Attendee,
    AttendeeRole,
    PressEvent,
    PressEventKind,
)
from govdisclose.press._store import add_event, events_between
from govdisclose.press._synthetic import generate_press_events

__all__ = [
    "PRESS_KIND",
    "Attendee",
    "AttendeeRole",
    "CadenceCount",
    "CadencePeriod",
    "CadenceRule",
    "CadenceRules",
    "CadenceState",
    "CadenceStatus",
    "PressCounts",
    "PressEvent",
    "PressEventKind",
    "add_event",
    "behind",
    "cadence_status",
    "cadence_year",
    "default_cadence",
    "events_between",
    "generate_press_events",
    "load_cadence",
    "yearly_counts",
]
