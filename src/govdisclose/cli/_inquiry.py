"""``govdisclose inquiry``: the inquiry desk from the shell (`govdisclose.inquiries`).

``receive`` stores a new case and prints its query code (shown once: the store keeps only its
digest); ``forward``, ``pass``, ``answer``, ``extend``, ``explain``, ``close``, ``complain``
(found by ``--code``) and ``rate`` append one event; ``show``, ``list`` and ``find --code``
read. The store is opened as the other store commands open it (`govdisclose.cli._store`): the
writing actions with ``store.mode=write`` (the store must exist), the reading ones read-only.
Every refusal is the one-line bilingual error of the ``govdisclose`` command.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import Any, TextIO

from govdisclose.cli._common import case_action, count, day, store_settings

__all__ = ["add_inquiry_command"]


def _add(
    actions: Any,
    name: str,
    help_: str,
    handler: Callable[[argparse.Namespace, TextIO], int],
    *,
    case: bool = True,
    on: bool = True,
) -> argparse.ArgumentParser:
    parser = case_action(actions, name, help_, handler, case="the inquiry's id" if case else None)
    if on:
        parser.add_argument("--on", type=day, required=True, help="YYYY-MM-DD")
    parser.add_argument("--actor", help="who recorded it")
    return parser


def add_inquiry_command(subparsers: Any) -> None:
    """``govdisclose inquiry ACTION ...``: receive, forward, pass, answer, extend, explain,
    close, complain, rate, show, list, find."""
    from govdisclose.inquiries import InquiryChannel, Satisfaction
    from govdisclose.vocab import InquiryKind

    parser = subparsers.add_parser(
        "inquiry",
        help="政务信息查询: receive, forward, answer, complain about and list inquiries",
        description="政务信息查询：受理、转发、首问负责转交、答复、延长、说明情况、办结、投诉、评价、"
        "查看 / inquiries: receive, forward, pass on, answer, extend, explain, close, complain, "
        "rate, show, list and find by query code.",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    p = _add(actions, "receive", "受理一个查询并给出查询码 / receive a question", _receive)
    p.add_argument("--agency", required=True, help="the receiving unit (首问单位)")
    p.add_argument("--channel", required=True, choices=[c.code for c in InquiryChannel])
    p.add_argument("--category", required=True, choices=[k.code for k in InquiryKind])
    p.add_argument("--question", required=True)
    p.add_argument("--name", required=True, help="the inquirer's name (kept private)")
    p.add_argument("--phone")
    p.add_argument("--email")

    p = _add(actions, "forward", "经政府办转发 / forward through the government office", _event)
    p.add_argument("--from", dest="from_unit", required=True)
    p.add_argument("--to", dest="to_unit", required=True)
    p.add_argument("--office", action="append", required=True, help="one per level (repeatable)")
    p.add_argument("--reason", default="", help="转发理由")
    p.add_argument("--approved-by", default="")

    p = _add(actions, "pass", "首问负责转交下一部门 / pass on under 首问负责", _event)
    p.add_argument("--from", dest="from_unit", required=True)
    p.add_argument("--to", dest="to_unit", required=True)
    p.add_argument("--reason", default="")
    p.add_argument("--approved-by", default="")

    p = _add(actions, "answer", "答复本单位部分 / a unit answers its part", _event)
    p.add_argument("--unit", required=True)
    p.add_argument("--answer", required=True)
    p.add_argument("--publishable", action="store_true", help="add to the 查询信息库")

    p = _add(actions, "extend", "经负责人同意延长 / extend with approval", _event)
    p.add_argument("--unit", required=True)
    p.add_argument("--reason", required=True)
    p.add_argument("--approved-by", default="")

    p = _add(actions, "explain", "说明情况 / explain a late answer", _event)
    p.add_argument("--unit", required=True)
    p.add_argument("--explanation", required=True)

    _add(actions, "close", "办结 / close the case", _event)

    p = _add(
        actions, "complain", "凭查询码投诉 / complain with the query code", _complain, case=False
    )
    p.add_argument("--code", required=True)
    p.add_argument("--office", required=True, help="the supervising office")
    p.add_argument("--grounds", required=True)

    p = _add(actions, "complaint-answer", "投诉答复 / the office answers the complaint", _event)
    p.add_argument("--office", required=True)
    p.add_argument("--answer", required=True)
    p.add_argument("--upheld", action="store_true")

    p = _add(actions, "rate", "满意度评价 / rate the answer", _event)
    p.add_argument("--satisfaction", required=True, choices=[s.code for s in Satisfaction])

    p = _add(actions, "show", "查看一个查询 / show one case", _show, on=False)
    p.add_argument("--as-of", type=day, required=True, help="YYYY-MM-DD")

    p = _add(actions, "list", "到期与逾期 / parts overdue or due soon", _list, case=False, on=False)
    p.add_argument("--as-of", type=day, required=True, help="YYYY-MM-DD")
    p.add_argument("--agency", help="only cases received by this unit")
    p.add_argument("--within", type=count, default=3)

    p = _add(
        actions, "find", "凭查询码查找 / find a case by query code", _find, case=False, on=False
    )
    p.add_argument("--code", required=True)


def _open(args: argparse.Namespace, mode: str) -> tuple[Any, Any, Any, Any]:
    from govdisclose.cli._calendar import calendar_options
    from govdisclose.plugins import (
        load_calendar,
        load_parameters,
        make_plugin_manager,
        notify,
        open_store,
    )

    defaults = calendar_options(args) if hasattr(args, "calendar_policy") else {}
    settings = store_settings(args, mode=mode, defaults=defaults)
    pm = make_plugin_manager()
    store = open_store(settings, pm)
    return (
        store,
        load_parameters(settings, pm),
        load_calendar(settings, pm),
        lambda n: notify(pm, n),
    )


def _receive(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.inquiries import InquirerContact, InquiryChannel, receive
    from govdisclose.vocab import InquiryKind

    store, _, _, tell = _open(args, "write")
    try:
        got = receive(
            store,
            id=args.case,
            agency=args.agency,
            on=args.on,
            channel=InquiryChannel.from_code(args.channel, field="--channel"),
            category=InquiryKind.from_code(args.category, field="--category"),
            question=args.question,
            inquirer=InquirerContact(name=args.name, phone=args.phone, email=args.email),
            actor=args.actor,
            notify=tell,
        )
    finally:
        store.close()
    out.write(f"received {got.case.id}\n查询码 / query code: {got.code}\n")
    return 0


def _build_event(args: argparse.Namespace) -> Any:
    from govdisclose import inquiries as q

    common: dict[str, Any] = {"on": args.on, "actor": args.actor}
    action = args.action
    if action == "forward":
        return q.Forwarded(
            **common,
            from_unit=args.from_unit,
            to_unit=args.to_unit,
            offices=tuple(args.office),
            reason=args.reason,
            approved_by=args.approved_by,
        )
    if action == "pass":
        return q.PassedOn(
            **common,
            from_unit=args.from_unit,
            to_unit=args.to_unit,
            reason=args.reason,
            approved_by=args.approved_by,
        )
    if action == "answer":
        return q.Answered(
            **common, unit=args.unit, answer=args.answer, publishable=args.publishable
        )
    if action == "extend":
        return q.InquiryExtended(
            **common, unit=args.unit, reason=args.reason, approved_by=args.approved_by
        )
    if action == "explain":
        return q.Explained(**common, unit=args.unit, explanation=args.explanation)
    if action == "close":
        return q.InquiryClosed(**common)
    if action == "complaint-answer":
        return q.ComplaintAnswered(
            **common, office=args.office, answer=args.answer, upheld=args.upheld
        )
    return q.Rated(
        **common, satisfaction=q.Satisfaction.from_code(args.satisfaction, field="--satisfaction")
    )


def _event(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.inquiries import record, status

    event = _build_event(args)
    store, _, _, tell = _open(args, "write")
    try:
        case = record(store, args.case, (event,), notify=tell)
    finally:
        store.close()
    out.write(f"{case.id}: {event.kind} recorded; {status(case).label}\n")
    return 0


def _complain(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.inquiries import complain, status

    store, _, _, tell = _open(args, "write")
    try:
        case = complain(
            store,
            args.code,
            on=args.on,
            office=args.office,
            grounds=args.grounds,
            actor=args.actor,
            notify=tell,
        )
    finally:
        store.close()
    out.write(f"{case.id}: complaint recorded; {status(case).label}\n")
    return 0


def _describe(case: Any, as_of: date, params: Any, calendar: Any) -> list[str]:
    from govdisclose.inquiries import event_label, findings, status, unit_clocks
    from govdisclose.privacy import mask

    rec = case.received
    lines = [f"{case.id}  {case.agency}  {status(case).label}"]
    if rec is not None:
        lines.append(f"  {rec.channel.label} {rec.category.label}：{mask(rec.question)}")
        lines.append(f"  查询人：{mask(rec.inquirer.name, names=(rec.inquirer.name,))}")
    for ev in case.events:
        lines.append(f"  {ev.on}  {event_label(ev)}")
    for clock in unit_clocks(case, params=params, calendar=calendar):
        st = clock.status(as_of, params=params, calendar=calendar)
        lines.append(f"  {clock.unit}（{clock.part.origin.label}）期限 {st.due}：{st.state.label}")
    for f in findings(case, as_of, params=params, calendar=calendar):
        lines.append(f"  ! {f.rule_id}: {f.message_zh}")
    return lines


def _show(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.inquiries import InquiryCase

    store, params, calendar, _ = _open(args, "read")
    try:
        case = store.get_item(InquiryCase, args.case)
    finally:
        store.close()
    out.write("\n".join(_describe(case, args.as_of, params, calendar)) + "\n")
    return 0


def _list(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.inquiries import InquiryCase, approaching

    store, params, calendar, _ = _open(args, "read")
    try:
        run = approaching(
            list(store.items(InquiryCase, agency=args.agency)),
            args.as_of,
            params=params,
            calendar=calendar,
            within=args.within,
        )
    finally:
        store.close()
    out.write(f"overdue {len(run.overdue)}, due soon {len(run.due_soon)}\n")
    for check in run.items:
        out.write(check.describe() + "\n")
    for problem in run.problems:
        out.write(problem.describe() + "\n")
    return 0


def _find(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.inquiries import find_by_code, status

    store, _, _, _ = _open(args, "read")
    try:
        case = find_by_code(store, args.code)
    finally:
        store.close()
    out.write(f"{case.id}  {case.agency}  {status(case).label}\n")
    return 0
