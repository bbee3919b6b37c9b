"""``govdisclose opinion``: the public-opinion ledger from the shell (`govdisclose.opinion`).

``detect`` stores a new case; ``respond`` and ``close`` append one event; ``list`` prints the
ledger (or its rows as JSON lines) and ``overdue`` the limits overdue or due soon at a moment,
delivering the reminders (`govdisclose.opinion.reminders`) to the ``govdisclose_handle_event``
hook. Times are ISO 8601 (``2025-10-01T20:30``); one without an offset is Asia/Shanghai time.
The store is opened as the other store commands open it: the writing actions with
``store.mode=write`` (the store must exist), the reading ones read-only.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, TextIO

from govdisclose.cli._common import case_action, store_settings

__all__ = ["add_opinion_command", "attendee", "moment"]


def moment(text: str) -> datetime:
    """An argparse type: an ISO 8601 date and time; without an offset, Asia/Shanghai."""
    from govdisclose._arguments import FIRST_YEAR, LAST_YEAR
    from govdisclose._time import SHANGHAI

    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        value = None
    if value is None or not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(
            f"时间应写作 YYYY-MM-DDTHH:MM（北京时间，或带时区如 +08:00），实为 {text!r} / a time "
            f"must be written YYYY-MM-DDTHH:MM (Asia/Shanghai, or with an offset such as "
            f"+08:00), got {text!r}"
        )
    return value.replace(tzinfo=SHANGHAI) if value.tzinfo is None else value


def attendee(text: str) -> Any:
    """An argparse type: ``NAME:ROLE`` or ``NAME:ROLE:UNIT`` (ROLE a `AttendeeRole` code)."""
    from govdisclose.press import Attendee, AttendeeRole

    parts = text.split(":")
    roles = {r.code: r for r in AttendeeRole}
    role = roles.get(parts[1]) if len(parts) in (2, 3) else None
    if role is None or not parts[0].strip() or (len(parts) == 3 and not parts[2].strip()):
        valid = ", ".join(r.code for r in AttendeeRole)
        raise argparse.ArgumentTypeError(
            f"出席人应写作 姓名:职务[:单位代码]，职务为 {valid}，实为 {text!r} / an attendee is "
            f"NAME:ROLE[:UNIT] with ROLE one of {valid}, got {text!r}"
        )
    return Attendee(parts[0].strip(), role, parts[2].strip() if len(parts) == 3 else None)


def _add(
    actions: Any,
    name: str,
    help_: str,
    handler: Callable[[argparse.Namespace, TextIO], int],
    *,
    case: bool = True,
) -> argparse.ArgumentParser:
    return case_action(actions, name, help_, handler, case="the case's id" if case else None)


def add_opinion_command(subparsers: Any) -> None:
    """``govdisclose opinion ACTION ...``: detect, respond, close, list, overdue."""
    from govdisclose.opinion import OpinionGrade, OpinionSource, ResponseType

    parser = subparsers.add_parser(
        "opinion",
        help="政务舆情: the public-opinion ledger (detect, respond, close, list, overdue)",
        description="舆情回应台账：登记监测发现、回应、办结，列出台账与超时的回应时限 / the "
        "public-opinion ledger: record detection, responses and closing; list the ledger and "
        "the hour limits overdue (5 h / 24 h for 特别重大、重大突发事件, 48 h for the rest: "
        "国办发〔2016〕61号, 〔2016〕80号).",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    p = _add(actions, "detect", "登记监测发现 / record a detected event", _detect)
    p.add_argument("--agency", required=True, help="the responsible unit (涉事责任部门)")
    p.add_argument("--at", type=moment, required=True, help="when it was detected")
    p.add_argument("--grade", required=True, choices=[g.code for g in OpinionGrade])
    p.add_argument("--source", required=True, choices=[s.code for s in OpinionSource])
    p.add_argument("--summary", required=True)
    p.add_argument(
        "--not-emergency",
        action="store_true",
        help="it does not concern a 突发事件 (the 48-hour limit applies)",
    )
    p.add_argument("--url")
    p.add_argument("--actor", help="who recorded it")

    p = _add(actions, "respond", "登记一次回应 / record a response", _respond)
    p.add_argument("--at", type=moment, required=True)
    p.add_argument("--type", required=True, choices=[t.code for t in ResponseType])
    p.add_argument("--summary", required=True)
    p.add_argument(
        "--attendee", type=attendee, action="append", default=[], help="NAME:ROLE[:UNIT]"
    )
    p.add_argument("--channel")
    p.add_argument("--record", action="append", default=[], help="a record id (repeatable)")
    p.add_argument("--press-event", help="the stored press event of a conference")
    p.add_argument("--actor")

    p = _add(actions, "close", "办结 / close the case", _close)
    p.add_argument("--at", type=moment, required=True)
    p.add_argument("--note")
    p.add_argument("--actor")

    p = _add(actions, "list", "舆情回应台账 / the ledger", _list, case=False)
    p.add_argument("--as-of", type=moment, required=True, help="the moment of the states")
    p.add_argument("--agency")
    p.add_argument("--json", action="store_true", help="the rows as JSON lines")

    p = _add(
        actions, "overdue", "超时与即将到期 / limits overdue or due soon", _overdue, case=False
    )
    p.add_argument("--as-of", type=moment, required=True)
    p.add_argument("--agency")
    p.add_argument("--within", type=float, default=2.0, help="due soon = at most this many hours")
    p.add_argument(
        "--no-notify",
        action="store_true",
        help="do not deliver the reminders to the govdisclose_handle_event hook",
    )


def _open(args: argparse.Namespace, mode: str) -> tuple[Any, Any, Any]:
    from govdisclose.plugins import load_parameters, make_plugin_manager, notify, open_store

    settings = store_settings(args, mode=mode)
    pm = make_plugin_manager()
    store = open_store(settings, pm)
    return store, load_parameters(settings, pm), lambda n: notify(pm, n)


def _detect(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.opinion import OpinionGrade, OpinionSource, detect, duties

    store, params, tell = _open(args, "write")
    try:
        case = detect(
            store,
            id=args.case,
            agency=args.agency,
            at=args.at,
            grade=OpinionGrade.from_code(args.grade, field="--grade"),
            source=OpinionSource.from_code(args.source, field="--source"),
            summary=args.summary,
            emergency=not args.not_emergency,
            url=args.url,
            actor=args.actor,
            notify=tell,
        )
    finally:
        store.close()
    out.write(f"detected {case.id}\n")
    for duty in duties(case, params=params):
        out.write(
            f"  {duty.hours}小时内{duty.kind.label}：{duty.due:%Y-%m-%d %H:%M}"
            f"（{duty.citation.regulation}{duty.citation.article}）\n"
        )
    return 0


def _respond(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.opinion import ResponseType, respond, status

    store, _, tell = _open(args, "write")
    try:
        case = respond(
            store,
            args.case,
            at=args.at,
            type=ResponseType.from_code(args.type, field="--type"),
            summary=args.summary,
            attendees=args.attendee,
            channel=args.channel,
            record_ids=args.record,
            press_event_id=args.press_event,
            actor=args.actor,
            notify=tell,
        )
    finally:
        store.close()
    out.write(f"{case.id}: response recorded; {status(case).label}\n")
    return 0


def _close(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.opinion import close, status

    store, _, tell = _open(args, "write")
    try:
        case = close(store, args.case, at=args.at, note=args.note, actor=args.actor, notify=tell)
    finally:
        store.close()
    out.write(f"{case.id}: {status(case).label}\n")
    return 0


def _list(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.opinion import LEDGER_COLUMNS, OpinionCase, ledger_rows

    store, params, _ = _open(args, "read")
    try:
        rows = ledger_rows(store.items(OpinionCase, agency=args.agency), args.as_of, params=params)
    finally:
        store.close()
    if args.json:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return 0
    out.write(f"舆情回应台账 / ledger ({args.as_of:%Y-%m-%d %H:%M}): {len(rows)} cases\n")
    keys = (
        "case_id",
        "agency",
        "grade",
        "detected_at",
        "status",
        "first_response_state",
        "press_conference_state",
        "hours_late",
    )
    out.write("\t".join(LEDGER_COLUMNS[k] for k in keys) + "\n")
    for row in rows:
        out.write("\t".join("-" if row[k] is None else str(row[k]) for k in keys) + "\n")
    return 0


def _overdue(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.opinion import OpinionCase, approaching, reminders

    store, params, tell = _open(args, "read")
    try:
        cases = list(store.items(OpinionCase, agency=args.agency))
    finally:
        store.close()
    run = approaching(cases, args.as_of, params=params, within_hours=args.within)
    out.write(run.summary() + "\n")
    for duty in (*run.overdue, *run.due_soon):
        out.write(duty.describe(run.now) + "\n")
    if not args.no_notify:
        for note in reminders(cases, args.as_of, params=params, within_hours=args.within):
            tell(note)
    return 0
