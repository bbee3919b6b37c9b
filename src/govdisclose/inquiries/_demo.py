"""The demo county's inquiries: stored, reminded, complained about, counted (`demo_inquiries`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from govdisclose.inquiries._answers import answer_base
from govdisclose.inquiries._clocks import approaching, findings, yearly_counts
from govdisclose.inquiries._lifecycle import InquiryStatus, status
from govdisclose.inquiries._model import InquiryCase
from govdisclose.inquiries._store import complain
from govdisclose.inquiries._synthetic import generate_inquiries

__all__ = ["demo_inquiries"]


def demo_inquiries(
    store: Any,
    agencies: Sequence[str],
    *,
    as_of: date,
    params: Any,
    calendar: Any,
    say: Callable[[str], None],
    per_agency: int = 12,
    seed: int = 2025,
) -> bool:
    """Store synthetic inquiries for ``agencies`` (received in the 60 days before ``as_of``),
    print the overdue parts, the findings, a complaint found by its query code, the answer base
    and the year's counts; true when there were overdue parts and the complaint was found."""
    say(f"== 6c. 政务信息查询 / inquiries as of {as_of}")
    office = agencies[0]
    data = generate_inquiries(
        agencies,
        start=as_of - timedelta(days=60),
        until=as_of,
        per_agency=per_agency,
        office=office,
        seed=seed,
    )
    for case in data.cases:
        store.put_item(case, expected_version=0)
    stored = list(store.items(InquiryCase))
    say(f"   stored {len(stored)} inquiry cases for {len(agencies)} units")
    run = approaching(stored, as_of, params=params, calendar=calendar)
    say(f"   overdue parts: {len(run.overdue)}, due soon: {len(run.due_soon)}")
    for check in run.overdue[:8]:
        say(f"     {check.describe()}")
    if len(run.overdue) > 8:
        say(f"     … {len(run.overdue) - 8} more")
    flagged = [
        f for case in stored for f in findings(case, as_of, params=params, calendar=calendar)
    ]
    say(f"   findings (late or overdue without 说明情况): {len(flagged)}")
    for finding in flagged[:3]:
        say(f"     {finding.rule_id}: {finding.message_zh}")
    closed = [c for c in stored if status(c) is InquiryStatus.CLOSED]
    found = True
    if closed:
        target = closed[0]
        after = complain(
            store, data.codes[target.id], on=as_of, office=office, grounds="对答复不满意"
        )
        found = after.id == target.id and status(after) is InquiryStatus.COMPLAINED
        say(f"   complaint by query code found {after.id}: {status(after).label}")
    base = answer_base(store.items(InquiryCase))
    say(f"   查询信息库 / answer base: {len(base)} public answers")
    for line in yearly_counts(
        store.items(InquiryCase), as_of.year, params=params, calendar=calendar
    )[:3]:
        say(f"   {line.agency}: {line.narrative()}")
    return bool(run.overdue) and found
