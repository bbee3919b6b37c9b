"""``govdisclose calendar`` and ``govdisclose due``, and the calendar options every command shares.

The calendar policy is a visible choice at every command that counts working days:

* ``--calendar-policy strict|provisional`` (default: strict). Strict refuses to guess a year
  without an official holiday schedule (that item is reported as a problem); provisional
  computes it from the statutory holidays and marks the result 暂定.
* ``--calendar-file FILE`` (repeatable): a schedule file (``.toml``/``.json``) or the State
  Council notice itself (``.txt``/``.html``).
* ``--calendar-dir DIR``: where ``govdisclose calendar load`` keeps the schedules it read, and
  where every command looks for them. Default: ``$GOVDISCLOSE_CALENDAR_DIR``, else
  ``$XDG_CONFIG_HOME/govdisclose/calendar`` (``~/.config/govdisclose/calendar``).

They become the settings options ``calendar.policy``, ``calendar.files`` and ``calendar.dir``
that `govdisclose.plugins.load_calendar` reads, so the command line and an embedding host build
the same calendar from the same settings.
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from govdisclose.cli._common import (
    FIRST_YEAR,
    LAST_YEAR,
    bad_option,
    check_target,
    day,
    store_settings,
    store_url,
    write_atomic,
)

__all__ = [
    "add_calendar_command",
    "add_calendar_options",
    "add_due_command",
    "calendar_options",
    "day",
    "default_calendar_dir",
]


def default_calendar_dir() -> Path:
    """Where schedules loaded with ``govdisclose calendar load`` are kept by default."""
    env = os.environ.get("GOVDISCLOSE_CALENDAR_DIR")
    if env:
        return Path(env)
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "govdisclose" / "calendar"


def _channel(text: str) -> Any:
    """An argparse type: an application channel, by code or by its Chinese label."""
    from govdisclose.errors import ValidationError
    from govdisclose.vocab import Channel

    try:
        return Channel.from_code(text, field="--channel")
    except ValidationError as by_code:
        try:
            return Channel.from_label(text, field="--channel")
        except ValidationError:
            raise argparse.ArgumentTypeError(
                f"{by_code.message_zh}（或其中文名称） / {by_code.message_en} (or its Chinese "
                "label)"
            ) from None


def _party(text: str) -> tuple[date, str]:
    """An argparse type: ``YYYY-MM-DD[:PARTY]``, a day and the third party concerned."""
    when, _, party = text.partition(":")
    try:
        on = day(when)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"应写作 YYYY-MM-DD[:第三方名称]，实为 {text!r} / must be YYYY-MM-DD[:PARTY], "
            f"got {text!r}"
        ) from None
    return on, party or "第三方"


def _extension(text: str) -> tuple[date, int]:
    """An argparse type: ``YYYY-MM-DD:DAYS``, the day of an extension and its working days."""
    when, _, days = text.partition(":")
    try:
        on = day(when)
        count = int(days) if days.isascii() and days.isdigit() and len(days) <= 4 else 0
    except argparse.ArgumentTypeError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(
            f"应写作 YYYY-MM-DD:工作日数（正整数），实为 {text!r} / must be YYYY-MM-DD:DAYS "
            f"(a whole number of working days >= 1), got {text!r}"
        )
    return on, count


def _month(text: str) -> tuple[int, int]:
    """An argparse type: ``YYYY-MM``, a month of the years the command line accepts."""
    year, sep, month = text.partition("-")
    if (
        sep
        and year.isascii()
        and year.isdigit()
        and month.isascii()
        and month.isdigit()
        and FIRST_YEAR <= int(year) <= LAST_YEAR
        and 1 <= int(month) <= 12
    ):
        return int(year), int(month)
    raise argparse.ArgumentTypeError(
        f"应写作 YYYY-MM，年份在 {FIRST_YEAR} 至 {LAST_YEAR} 之间，实为 {text!r} / must be "
        f"YYYY-MM, in the years {FIRST_YEAR} to {LAST_YEAR}, got {text!r}"
    )


def _months(text: str) -> int:
    """An argparse type: how many months to show, 1 to 24."""
    if text.strip().isascii() and text.strip().isdigit() and 1 <= int(text) <= 24:
        return int(text)
    raise argparse.ArgumentTypeError(
        f"应为 1 至 24 之间的整数，实为 {text!r} / must be a whole number from 1 to 24, "
        f"got {text!r}"
    )


def add_calendar_options(parser: argparse.ArgumentParser) -> None:
    """The calendar options of every command that counts working days."""
    group = parser.add_argument_group("working-day calendar / 工作日日历")
    group.add_argument(
        "--calendar-policy",
        choices=("strict", "provisional"),
        default=None,
        help="past the official holiday data: strict = report the item as a problem (default), "
        "provisional = compute from the statutory holidays and mark it 暂定",
    )
    group.add_argument(
        "--calendar-file",
        action="append",
        default=[],
        metavar="FILE",
        help="load a schedule file (.toml/.json) or the State Council notice (.txt/.html); "
        "repeatable",
    )
    group.add_argument(
        "--calendar-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="schedules kept by `calendar load` (default: $GOVDISCLOSE_CALENDAR_DIR or "
        "~/.config/govdisclose/calendar)",
    )


def calendar_options(args: argparse.Namespace) -> dict[str, str]:
    """The settings options for the calendar arguments of ``args``."""
    options = {"calendar.dir": str(args.calendar_dir or default_calendar_dir())}
    if args.calendar_policy:
        options["calendar.policy"] = args.calendar_policy
    if args.calendar_file:
        options["calendar.files"] = os.pathsep.join(args.calendar_file)
    return options


def _calendar(args: argparse.Namespace, **extra: str) -> Any:
    from govdisclose.plugins import Settings, load_calendar, make_plugin_manager

    settings = Settings(options={**calendar_options(args), **extra})
    return load_calendar(settings, make_plugin_manager())


# -- govdisclose due ----------------------------------------------------------------------------


def add_due_command(subparsers: Any) -> None:
    """``govdisclose due``: the reply due date of one application, for a clerk at the desk."""
    parser = subparsers.add_parser(
        "due",
        help="the reply due date of an application from its receipt date and events",
        description="由收到申请之日、渠道和办理事件计算答复期限 / the statutory reply due date "
        "of one application from its receipt date, channel and events (same result as the "
        "library).",
    )
    parser.add_argument("--received", type=day, required=True, help="收到申请之日 YYYY-MM-DD")
    parser.add_argument(
        "--channel",
        type=_channel,
        default="in_person",
        help="申请渠道: a code (in_person, post, ordinary_letter, online, fax, ...) or its label",
    )
    parser.add_argument(
        "--confirmed", type=day, help="确认之日 (online, fax, ordinary letter: 条例第三十一条)"
    )
    parser.add_argument("--correction-requested", type=day, metavar="DAY", help="告知补正之日")
    parser.add_argument("--correction-received", type=day, metavar="DAY", help="收到补正之日")
    parser.add_argument(
        "--consulted",
        action="append",
        type=_party,
        default=[],
        metavar="DAY[:PARTY]",
        help="征求第三方意见之日 (repeatable)",
    )
    parser.add_argument(
        "--consultation-replied",
        action="append",
        type=_party,
        default=[],
        metavar="DAY[:PARTY]",
        help="第三方答复之日 (repeatable)",
    )
    parser.add_argument(
        "--extended", type=_extension, metavar="DAY:DAYS", help="延期之日与延长的工作日数"
    )
    parser.add_argument("--fee-notified", type=day, metavar="DAY", help="发出收费通知之日")
    parser.add_argument("--fee-paid", type=day, metavar="DAY", help="缴费之日")
    parser.add_argument("--as-of", type=day, help="also show the clock's state on this day")
    parser.add_argument("--explain", action="store_true", help="print every step of the count")
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_calendar_options(parser)
    parser.set_defaults(handler=_due)


def _due_application(args: argparse.Namespace) -> Any:
    import govdisclose as gd
    from govdisclose.lifecycle import apply_all
    from govdisclose.model import Event

    # The default is the string (argparse converts string defaults through the type).
    channel = _channel(args.channel) if isinstance(args.channel, str) else args.channel
    events: list[tuple[int, Event]] = []
    if args.correction_requested:
        events.append((0, gd.CorrectionRequested(on=args.correction_requested, items="（补正）")))
    if args.correction_received:
        events.append((1, gd.CorrectionReceived(on=args.correction_received)))
    for on, party in args.consulted:
        events.append((2, gd.ThirdPartyConsulted(on=on, party=party)))
    for on, party in args.consultation_replied:
        events.append((3, gd.ThirdPartyReplied(on=on, party=party)))
    if args.fee_notified:
        events.append(
            (
                4,
                gd.FeeNotified(
                    on=args.fee_notified, amount=0, method=gd.FeeMethod.PER_VOLUME, quantity=1
                ),
            )
        )
    if args.fee_paid:
        events.append((5, gd.FeePaid(on=args.fee_paid, amount=0)))
    if args.extended:
        on, count = args.extended
        events.append(
            (6, gd.Extended(on=on, days=count, reason="（延期）", approved_by="（负责人）"))
        )
    app = gd.Application(
        id="（命令行）",
        agency="（命令行）",
        applicant=gd.Applicant(type=gd.ApplicantType.NATURAL_PERSON, name="（申请人）"),
        channel=channel,
        request="（申请内容）",
    )
    received = gd.Received(on=args.received, confirmed_on=args.confirmed)
    # Events in date order (the order of the options breaks ties), through the lifecycle, so an
    # impossible history is refused with the reason.
    ordered = [ev for _, ev in sorted(events, key=lambda item: (item[1].on, item[0]))]
    return apply_all(app, [received, *ordered])


def _due(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose import deadlines
    from govdisclose.plugins import Settings, load_parameters, make_plugin_manager

    calendar = _calendar(args)
    params = load_parameters(Settings(options=calendar_options(args)), make_plugin_manager())
    app = _due_application(args)
    deadline = deadlines.reply_deadline(app, params=params, calendar=calendar)
    status = (
        deadlines.reply_status(app, args.as_of, params=params, calendar=calendar)
        if args.as_of
        else None
    )
    if args.json:
        row: dict[str, Any] = {
            "received": args.received.isoformat(),
            "receipt_date": app.receipt_date.isoformat(),
            "due": deadline.due.isoformat() if deadline else None,
            "provisional": bool(deadline and deadline.provisional),
            "assumption": deadline.assumption if deadline else None,
            "calendar_policy": calendar.policy,
            "calendar_version": calendar.version,
        }
        if status is not None:
            row["state"] = status.state.value
            row["working_days_left"] = status.working_days_left
            row["working_days_late"] = status.working_days_late
        if args.explain and deadline is not None:
            row["explain"] = deadline.explain().splitlines()
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return 0
    if deadline is None:
        out.write("答复期限暂停计算（待补正或征求意见中）/ the reply clock is not running\n")
    else:
        mark = "（暂定）" if deadline.provisional else ""
        out.write(f"答复期限 due: {deadline.due.isoformat()}{mark}\n")
        if deadline.provisional:
            out.write(f"暂定 provisional: {deadline.assumption}\n")
        if args.explain:
            out.write(deadline.explain() + "\n")
    if status is not None:
        out.write(f"{args.as_of.isoformat()}: {status.state.label} ({status.state.value})\n")
    return 0


# -- govdisclose calendar ---------------------------------------------------------------------


def add_calendar_command(subparsers: Any) -> None:
    """``govdisclose calendar``: show, export and load the working-day calendar."""
    parser = subparsers.add_parser(
        "calendar",
        help="show, export or load the working-day calendar (holidays and 调休)",
        description="工作日日历：月历、数据来源、导出（JSON/CSV/ICS）与载入新一年的放假通知 / the "
        "working-day calendar: a month view, its sources, export, and loading next year's "
        "State Council notice.",
    )
    sub = parser.add_subparsers(dest="calendar_command", metavar="ACTION")

    show = sub.add_parser("show", help="a month view and the sources of the data (default)")
    show.add_argument(
        "--month", type=_month, help="YYYY-MM (default: the current month in Beijing time)"
    )
    show.add_argument(
        "--months", type=_months, default=1, help="how many months from --month (1 to 24)"
    )
    add_calendar_options(show)
    show.set_defaults(handler=_show)

    export = sub.add_parser("export", help="the whole cited dataset as JSON, CSV or ICS")
    export.add_argument("--format", choices=("json", "csv", "ics"), default="json")
    export.add_argument("--from", dest="start", type=day, help="first day (default: all)")
    export.add_argument("--to", dest="end", type=day, help="last day (default: all)")
    export.add_argument("--output", type=Path, help="file to write (default: standard output)")
    add_calendar_options(export)
    export.set_defaults(handler=_export)

    load = sub.add_parser(
        "load",
        help="read the State Council holiday notice and keep its schedule",
        description="读取国务院办公厅放假通知（文本或网页），保存其放假安排，"
        "并列出因此变动的期限 / read the notice's text (.txt or saved .html), keep the "
        "schedule in the calendar directory, and with --store list the open deadlines it "
        "moves.",
    )
    load.add_argument("notice", type=Path, help="the notice: .txt, or the web page saved as .html")
    load.add_argument("--replace", action="store_true", help="replace a different stored schedule")
    load.add_argument("--dry-run", action="store_true", help="read and report, store nothing")
    load.add_argument(
        "--store",
        type=store_url,
        help="also list the open deadlines of this store that move (opened read-only)",
    )
    load.add_argument("--as-of", type=day, help="the day for --store (required with it)")
    load.add_argument("--agency", help="with --store: only this agency")
    add_calendar_options(load)
    load.set_defaults(handler=_load)

    add_calendar_options(parser)
    parser.set_defaults(handler=_show, month=None, months=1)


def _this_month() -> tuple[int, int]:
    # The command line is a host: it may read the clock (the library never does).
    from govdisclose._time import SHANGHAI

    now = datetime.now(SHANGHAI)
    return now.year, now.month


def _show(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.calendar import coverage_text, month_view

    calendar = _calendar(args)
    year, month = args.month if args.month is not None else _this_month()
    for _ in range(args.months):
        out.write(month_view(calendar, year, month) + "\n\n")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    out.write(coverage_text(calendar) + "\n")
    return 0


def _export(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.calendar import export_calendar

    if args.output is not None:
        check_target(args.output)
    calendar = _calendar(args)
    payload = export_calendar(calendar, args.format, start=args.start, end=args.end)
    if args.output is not None:
        write_atomic(args.output, payload)
        out.write(f"wrote {args.output} ({len(payload):,} bytes)\n")
    else:
        out.write(payload.decode("utf-8-sig"))
    return 0


def _load(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.calendar import read_holiday_notice, schedule_to_toml
    from govdisclose.errors import GovDiscloseError

    if args.store and not args.as_of:
        raise bad_option(
            "使用 --store 时须给出 --as-of（以哪一天的未结期限比较）",
            "--store needs --as-of (the day whose open deadlines are compared)",
            field="--as-of",
        )
    before = _calendar(args)
    schedule = read_holiday_notice(args.notice)
    after = before.with_schedule(schedule)  # refuses a year that is not covered or the next one
    _describe_schedule(schedule, out)
    folder = args.calendar_dir or default_calendar_dir()
    target = folder / f"{schedule.year}.toml"
    text = schedule_to_toml(schedule)
    if args.dry_run:
        out.write(f"--dry-run: not stored (would write {target})\n")
    elif target.exists() and target.read_text("utf-8") != text:
        if not args.replace:
            raise GovDiscloseError(
                f"{target} 已保存了另一份{schedule.year}年的放假安排；如确需替换，请加 --replace",
                f"{target} already holds a different {schedule.year} schedule; add --replace to "
                "replace it",
                field="notice",
                code="calendar.schedule_exists",
            )
        write_atomic(target, text.encode("utf-8"), field="--calendar-dir", make_parents=True)
        out.write(f"replaced {target}\n")
    elif target.exists():
        out.write(f"already loaded: {target}\n")
    else:
        write_atomic(target, text.encode("utf-8"), field="--calendar-dir", make_parents=True)
        out.write(f"stored {target}\n")
    if args.store:
        _moved(args, before, after, out)
    return 0


def _describe_schedule(schedule: Any, out: TextIO) -> None:
    citation = schedule.notice + (f"（{schedule.number}）" if schedule.number else "")
    when = f"，{schedule.published_on.isoformat()}" if schedule.published_on else ""
    out.write(f"{citation}{when}\n")
    spans: list[tuple[date, date, str]] = []
    for d, name in schedule.rest:
        if spans and spans[-1][2] == name and (d - spans[-1][1]).days == 1:
            spans[-1] = (spans[-1][0], d, name)
        else:
            spans.append((d, d, name))
    for start, end, name in spans:
        days = (end - start).days + 1
        out.write(f"  {name}：{start.isoformat()} 至 {end.isoformat()} 放假，共{days}天\n")
    for d in sorted(schedule.work):
        out.write(f"  调休上班：{d.isoformat()}\n")


def _moved(args: argparse.Namespace, before: Any, after: Any, out: TextIO) -> None:
    from govdisclose.daily import what_moved
    from govdisclose.plugins import load_parameters, make_plugin_manager, open_store

    settings = store_settings(args, mode="read", defaults=calendar_options(args))
    pm = make_plugin_manager()
    params = load_parameters(settings, pm)
    store = open_store(settings, pm)
    try:
        change = what_moved(
            store.applications(agency=args.agency, open_on=args.as_of),
            as_of=args.as_of,
            params=params,
            old_calendar=before,
            new_calendar=after,
            records=store.records(agency=args.agency),
        )
    finally:
        store.close()
    out.write(change.explain() + "\n")
