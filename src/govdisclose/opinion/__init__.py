"""The public-opinion ledger (舆情回应台账): cases detected, graded, responded to and closed,
their hour limits, overdue detection and the ledger as rows.

* `OpinionCase` and its events (`OpinionDetected`, `OpinionRegraded`, `OpinionResponded`,
  `OpinionClosed`), `apply` checks each may follow, `status` derives where a case stands;
  stored as the kept item ``"opinion.event"`` (`detect`, `respond`, `close`, `record`).
* `duties`: the hour limits by grade, from the parameters (5 h authoritative information and a
  24 h press conference for opinion about 特别重大、重大突发事件, 48 h for the rest: 国办发
  〔2016〕61号 and 〔2016〕80号, national and shorten-only); calendar hours from detection, in
  Asia/Shanghai. `overdue`, `approaching` and `reminders` (notifications for the
  ``govdisclose_handle_event`` hook) at an aware moment; `findings` flags a conference without
  a head or the spokesperson.
* `ledger_rows` and `LEDGER_COLUMNS`: the ledger for a DataFrame or a spreadsheet;
  `yearly_counts` (`OpinionYear`): a year's cases for the annual report's narrative.

The older flat value `govdisclose.model.OpinionEvent` and `govdisclose.deadlines.
opinion_deadlines` keep working; `flat` turns a case into one.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from govdisclose.opinion._counts import OpinionYear, yearly_counts
from govdisclose.opinion._demo import demo_opinion_and_press
from govdisclose.opinion._duties import (
    NATIONAL_HOUR_LIMIT_GRADES,
    DutyState,
    OpinionDuty,
    OpinionDutyKind,
    OpinionRun,
    approaching,
    duties,
    findings,
    flat,
    hour_limit_grades,
    overdue,
    reminders,
    short_citation,
)
from govdisclose.opinion._ledger import LEDGER_COLUMNS, ledger_rows
from govdisclose.opinion._lifecycle import OpinionStatus, apply, apply_all, check_history, status
from govdisclose.opinion._model import (
    OPINION_EVENT_TYPES,
    OpinionCase,
    OpinionCaseEvent,
    OpinionClosed,
    OpinionDetected,
    OpinionGrade,
    OpinionRegraded,
    OpinionResponded,
    OpinionSource,
    ResponseType,
)
from govdisclose.opinion._store import (
    OPINION_KIND,
    Notify,
    close,
    detect,
    opinion_converter,
    record,
    respond,
)
from govdisclose.opinion._synthetic import generate_opinion_cases

__all__ = [
    "LEDGER_COLUMNS",
    "NATIONAL_HOUR_LIMIT_GRADES",
    "OPINION_EVENT_TYPES",
    "OPINION_KIND",
    "DutyState",
    "Notify",
    "OpinionCase",
    "OpinionCaseEvent",
    "OpinionClosed",
    "OpinionDetected",
    "OpinionDuty",
    "OpinionDutyKind",
    "OpinionGrade",
    "OpinionRegraded",
    "OpinionResponded",
    "OpinionRun",
    "OpinionSource",
    "OpinionStatus",
    "OpinionYear",
    "ResponseType",
    "apply",
    "apply_all",
    "approaching",
    "check_history",
    "close",
    "demo_opinion_and_press",
    "detect",
    "duties",
    "findings",
    "flat",
    "generate_opinion_cases",
    "hour_limit_grades",
    "ledger_rows",
    "opinion_converter",
    "overdue",
    "record",
    "reminders",
    "respond",
    "short_citation",
    "status",
    "yearly_counts",
]
