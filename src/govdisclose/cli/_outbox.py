"""``govdisclose outbox list|retry|withdraw``: the outbox (`govdisclose.outbox`) from the shell.

* ``list``: the entries, each on one line with its state, attempts, last failure and next
  attempt (``--state``, ``--record``, ``--agency`` narrow it; ``--json`` for programs);
* ``retry``: `govdisclose.outbox.retry_pending` with the publishers of the installed plugins
  (``--option webhook.url=...``, the static-site options ...), the review chain and the
  interpretation policy of the options, as the OA system would run it from cron; exit status
  1 when an entry was abandoned or hit an error (a person looks at it);
* ``withdraw RECORD --reason ...``: 撤回 from every channel (`govdisclose.outbox.withdraw`).

``--store`` is opened for writing (``store.mode=write``: it must exist). ``--now`` is the
moment of the run (ISO 8601 with an offset); the command line is the I/O edge, so without it
the current time in Asia/Shanghai is used. The backoff comes from ``--base``, ``--cap`` and
``--max-attempts``, or the ``outbox.*`` options (`govdisclose.outbox.RetryPolicy`).
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timedelta
from typing import Any, TextIO

from govdisclose._arguments import positive
from govdisclose.cli._common import store_arguments, store_settings

__all__ = ["add_outbox_command"]


def _moment(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        value = None
    if value is None or value.tzinfo is None or value.utcoffset() is None:
        raise argparse.ArgumentTypeError(
            f"时间应写作带时区的 ISO 8601 格式，如 2025-06-05T10:00+08:00，实为 {text!r} / "
            f"a moment must be ISO 8601 with an offset, e.g. 2025-06-05T10:00+08:00, got {text!r}"
        )
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < 1e9:
        raise argparse.ArgumentTypeError(
            f"应为大于 0 的秒数，实为 {text!r} / must be seconds > 0, got {text!r}"
        )
    return value


def _common(parser: argparse.ArgumentParser) -> None:
    store_arguments(parser, writes=True, example="webhook.url=https://cms.example/api")


def _timing(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--now", type=_moment, help="the moment of the run (default: now, Asia/Shanghai)"
    )
    parser.add_argument("--base", type=_seconds, help="first retry delay in seconds (60)")
    parser.add_argument("--cap", type=_seconds, help="longest retry delay in seconds (3600)")
    parser.add_argument("--max-attempts", type=positive, help="attempts before giving up (8)")


def add_outbox_command(subparsers: Any) -> None:
    """``govdisclose outbox``: list, retry and withdraw through the outbox."""
    parser = subparsers.add_parser(
        "outbox",
        help="the outbox: list the publications waiting, retry them, withdraw a record",
        description="发送队列：列出待发送和失败的发布、按退避重试、从所有渠道撤回记录 / the "
        "outbox: list the publications waiting, retry the due ones with backoff, withdraw a "
        "record from every channel.",
    )
    actions = parser.add_subparsers(dest="outbox_action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="the entries, one line each")
    _common(listing)
    listing.add_argument("--agency", help="only this agency's entries")
    listing.add_argument("--record", help="only this record's entries")
    listing.add_argument(
        "--state",
        action="append",
        choices=["pending", "in_flight", "sent", "done", "failed", "abandoned"],
        help="only entries in this state (repeatable)",
    )
    listing.add_argument("--json", action="store_true", help="print JSON lines")
    listing.set_defaults(handler=_list)

    retry = actions.add_parser("retry", help="attempt every due entry again")
    _common(retry)
    _timing(retry)
    retry.add_argument("--agency", help="only this agency's entries")
    retry.set_defaults(handler=_retry)

    out = actions.add_parser("withdraw", help="撤回: take a record down from every channel")
    _common(out)
    _timing(out)
    out.add_argument("record", help="the record's id")
    out.add_argument("--reason", required=True, help="why it is withdrawn (kept in the register)")
    out.set_defaults(handler=_withdraw)


def _open(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    from govdisclose.plugins import make_plugin_manager, open_store

    settings = store_settings(args, mode="write")
    pm = make_plugin_manager()
    return settings, pm, open_store(settings, pm)


def _policy(args: argparse.Namespace, settings: Any) -> Any:
    import attrs

    from govdisclose.outbox import RetryPolicy

    policy = RetryPolicy.from_settings(settings)
    changes: dict[str, Any] = {}
    if args.base is not None:
        changes["base"] = timedelta(seconds=args.base)
    if args.cap is not None:
        changes["cap"] = timedelta(seconds=args.cap)
    if args.max_attempts is not None:
        changes["max_attempts"] = args.max_attempts
    return attrs.evolve(policy, **changes)


def _now(args: argparse.Namespace) -> datetime:
    from govdisclose._time import SHANGHAI

    # The command line is the I/O edge: the library below it never reads a clock.
    return args.now if args.now is not None else datetime.now(SHANGHAI)


def _list(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.outbox import OutboxState, entries
    from govdisclose.serde import make_converter

    _, _, store = _open(args)
    try:
        states = [OutboxState.from_code(s) for s in args.state] if args.state else None
        found = entries(store, agency=args.agency, record_id=args.record, states=states)
    finally:
        store.close()
    if args.json:
        converter = make_converter()
        for e in found:
            out.write(json.dumps(converter.unstructure(e), ensure_ascii=False) + "\n")
        return 0
    if not found:
        out.write("发送队列为空 / the outbox has no such entries\n")
    for e in found:
        out.write(e.describe() + "\n")
    return 0


def _publishers(settings: Any, pm: Any) -> tuple[Any, ...]:
    from govdisclose.plugins import collect_publishers

    return collect_publishers(settings, pm)


def _context(settings: Any) -> Any:
    from govdisclose.review import ReviewChain
    from govdisclose.rules import InterpretationPolicy, RuleContext

    return RuleContext(
        review_chain=ReviewChain.from_settings(settings),
        interpretation=InterpretationPolicy.from_settings(settings),
    )


def _report(run: Any, out: TextIO) -> int:
    for o in run.outcomes:
        line = f"{o.result}: {o.entry.describe()}"
        if o.message and o.result != "done":
            line += f"（{o.message}）"
        out.write(line + "\n")
    bad = [o for o in run.outcomes if o.result in ("abandoned", "error")]
    out.write(
        f"共处理 {len(run.outcomes)} 条，完成 {sum(o.result == 'done' for o in run.outcomes)} 条，"
        f"待重试 {sum(o.result == 'failed' for o in run.outcomes)} 条，须人工处理 {len(bad)} 条 / "
        f"{len(run.outcomes)} handled, {sum(o.result == 'done' for o in run.outcomes)} done, "
        f"{sum(o.result == 'failed' for o in run.outcomes)} to retry, {len(bad)} need a person\n"
    )
    return 1 if bad else 0


def _retry(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.outbox import retry_pending

    settings, pm, store = _open(args)
    try:
        run = retry_pending(
            store,
            _publishers(settings, pm),
            now=_now(args),
            policy=_policy(args, settings),
            agency=args.agency,
            context=_context(settings),
        )
    finally:
        store.close()
    return _report(run, out)


def _withdraw(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.outbox import withdraw

    settings, pm, store = _open(args)
    try:
        run = withdraw(
            store,
            args.record,
            _publishers(settings, pm),
            reason=args.reason,
            now=_now(args),
            policy=_policy(args, settings),
        )
    finally:
        store.close()
    return _report(run, out)
