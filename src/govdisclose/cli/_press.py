"""``govdisclose press``: press conferences and interviews from the shell (`govdisclose.press`).

``add`` stores one press event; ``list`` prints the events of a year with the counts the annual
report's narrative quotes; ``behind`` prints the units behind their cadence on a day, under the
shipped rules (seed 000) or a rules file (``--cadence``). ``add`` opens the store with
``store.mode=write`` (it must exist), the others read-only.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from govdisclose.cli._common import day, store_settings, year

__all__ = ["add_press_command"]


def add_press_command(subparsers: Any) -> None:
    """``govdisclose press ACTION ...``: add, list, behind."""
    from govdisclose.cli._common import store_arguments
    from govdisclose.cli._opinion import attendee
    from govdisclose.press import PressEventKind

    parser = subparsers.add_parser(
        "press",
        help="新闻发布: press conferences and interviews (add, list, behind)",
        description="新闻发布会、吹风会、采访、在线访谈：登记、列出与统计，按发布频次规则列出未达到的"
        "单位 / press conferences, briefings, interviews and online interviews: add, list and "
        "count them, and list the units behind their cadence.",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    p = actions.add_parser("add", help="登记一次新闻发布 / add a press event")
    p.add_argument("event", metavar="EVENT-ID")
    store_arguments(p, writes=True)
    p.add_argument("--agency", required=True, help="the host unit")
    p.add_argument("--kind", required=True, choices=[k.code for k in PressEventKind])
    p.add_argument("--on", type=day, required=True, help="YYYY-MM-DD")
    p.add_argument("--title", required=True)
    p.add_argument("--topic", action="append", required=True, help="repeatable")
    p.add_argument(
        "--attendee", type=attendee, action="append", default=[], help="NAME:ROLE[:UNIT]"
    )
    p.add_argument("--record", action="append", default=[], help="a record id (repeatable)")
    p.add_argument("--interpretation", action="append", default=[], help="an interpretation's id")
    p.add_argument("--opinion", action="append", default=[], help="an opinion case's id")
    p.set_defaults(handler=_add)

    p = actions.add_parser("list", help="列出与统计 / list and count a year's events")
    store_arguments(p)
    p.add_argument("--year", type=year, required=True)
    p.add_argument("--agency", help="only this host")
    p.set_defaults(handler=_list)

    p = actions.add_parser("behind", help="未达到发布频次的单位 / units behind their cadence")
    store_arguments(p)
    p.add_argument("--as-of", type=day, required=True, help="YYYY-MM-DD")
    p.add_argument("--cadence", help="a cadence rules file (TOML); default: the shipped rules")
    p.add_argument(
        "--include-pending",
        action="store_true",
        help="also the units that have not yet met the current period",
    )
    p.set_defaults(handler=_behind)


def _open(args: argparse.Namespace, mode: str) -> Any:
    from govdisclose.plugins import make_plugin_manager, open_store

    return open_store(store_settings(args, mode=mode), make_plugin_manager())


def _add(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.press import PressEvent, PressEventKind, add_event

    event = PressEvent(
        id=args.event,
        agency=args.agency,
        kind=PressEventKind.from_code(args.kind, field="--kind"),
        held_on=args.on,
        title=args.title,
        topics=tuple(args.topic),
        attendees=tuple(args.attendee),
        record_ids=tuple(args.record),
        interpretation_ids=tuple(args.interpretation),
        opinion_ids=tuple(args.opinion),
    )
    store = _open(args, "write")
    try:
        add_event(store, event)
    finally:
        store.close()
    out.write(f"added {event.id}: {event.kind.label} {event.held_on}\n")
    return 0


def _list(args: argparse.Namespace, out: TextIO) -> int:
    from datetime import date

    from govdisclose.press import events_between, yearly_counts

    store = _open(args, "read")
    try:
        events = events_between(
            store, date(args.year, 1, 1), date(args.year, 12, 31), agency=args.agency
        )
    finally:
        store.close()
    for ev in events:
        people = "、".join(f"{p.name}（{p.role.label}）" for p in ev.attendees) or "-"
        out.write(f"{ev.held_on}  {ev.id}  {ev.agency}  {ev.kind.label}  {ev.title}  {people}\n")
    out.write(f"{args.year}年：{yearly_counts(events, args.year).narrative()}\n")
    return 0


def _behind(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.press import PressEvent, behind, default_cadence, load_cadence

    rules = default_cadence() if args.cadence is None else load_cadence(args.cadence)
    store = _open(args, "read")
    try:
        found = behind(
            rules,
            list(store.items(PressEvent)),
            list(store.agencies()),
            args.as_of,
            include_pending=args.include_pending,
        )
    finally:
        store.close()
    out.write(f"units behind their press cadence on {args.as_of}: {len(found)}\n")
    for st in found:
        out.write(st.describe() + "\n")
    return 0
