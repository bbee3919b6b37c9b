"""``govdisclose deadlines`` reminds inquiries and public-opinion cases kept in the store
(issue 15), not only applications and records."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from govdisclose._time import SHANGHAI
from govdisclose.cli import main
from govdisclose.inquiries import Answered, InquirerContact, InquiryChannel, receive, record
from govdisclose.opinion import OpinionGrade, OpinionSource, detect
from govdisclose.plugins import Settings, open_store
from govdisclose.testing.builders import agency
from govdisclose.vocab import InquiryKind


def _store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'gd.db'}"
    store = open_store(Settings(store_url=url))
    store.put_agency(agency("AG1"))
    ask = {
        "agency": "AG1",
        "channel": InquiryChannel.PHONE,
        "category": InquiryKind.GENERAL,
        "question": "垃圾分类收运时间？",
        "inquirer": InquirerContact(name="李四"),
    }
    # Received Monday 2026-03-02; a general question has 5 working days: due Monday 03-09.
    receive(store, id="Q-LATE", on=date(2026, 3, 2), **ask)
    # Received Thursday 03-05: due Thursday 03-12, 3 working days left on 03-10 (due soon).
    receive(store, id="Q-SOON", on=date(2026, 3, 5), **ask)
    receive(store, id="Q-DONE", on=date(2026, 3, 2), **ask)
    record(store, "Q-DONE", [Answered(on=date(2026, 3, 4), unit="AG1", answer="每日 7 时。")])
    # A major event detected 03-10 09:00: the first response is due 5 hours later, 14:00.
    detect(
        store,
        id="O-1",
        agency="AG1",
        at=datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI),
        grade=OpinionGrade.MAJOR,
        source=OpinionSource.MEDIA,
        summary="某小区供水中断",
    )
    # A general one detected 03-09 08:00: a response within 48 hours, by 03-11 08:00.
    detect(
        store,
        id="O-2",
        agency="AG1",
        at=datetime(2026, 3, 9, 8, 0, tzinfo=SHANGHAI),
        grade=OpinionGrade.GENERAL,
        source=OpinionSource.WEBSITE,
        summary="网民反映路灯不亮",
        emergency=False,
    )
    store.close()
    return url


def _clocks(*argv: str) -> list[dict[str, Any]]:
    out = io.StringIO()
    assert main(["deadlines", *argv, "--json", "--all"], out=out) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    return [line for line in lines if line["type"] == "clock"]


def test_inquiries_in_the_store_are_reminded_by_their_unit_clock(tmp_path: Path) -> None:
    url = _store(tmp_path)
    clocks = {
        c["subject_id"]: c
        for c in _clocks("--store", url, "--as-of", "2026-03-10", "--now", "2026-03-10T10:00")
        if c["subject"] == "inquiry"
    }
    assert set(clocks) == {"Q-LATE", "Q-SOON"}, "the answered inquiry has no open clock"
    assert (clocks["Q-LATE"]["state"], clocks["Q-LATE"]["due"]) == ("overdue", "2026-03-09")
    assert (clocks["Q-SOON"]["state"], clocks["Q-SOON"]["due"]) == ("due_soon", "2026-03-12")


def test_opinion_hour_limits_are_checked_at_now_or_the_end_of_the_day(tmp_path: Path) -> None:
    url = _store(tmp_path)

    def first_response(*argv: str) -> dict[str, Any]:
        (one,) = [
            c
            for c in _clocks("--store", url, "--as-of", "2026-03-10", *argv)
            if c["subject"] == "opinion" and c["due_at"].startswith("2026-03-10T14:00")
        ]
        return one

    at_ten = first_response("--now", "2026-03-10T10:00")
    assert (at_ten["state"], at_ten["hours_left"]) == ("pending", 4.0)
    assert first_response("--now", "2026-03-10T12:30")["state"] == "due_soon"
    # No --now: the hour limits as they stand at 23:59:59 of the --as-of day.
    assert first_response()["state"] == "overdue"


def test_an_ordinary_opinion_case_is_reminded_of_its_48_hour_response(tmp_path: Path) -> None:
    url = _store(tmp_path)
    (one,) = [
        c
        for c in _clocks("--store", url, "--as-of", "2026-03-10", "--now", "2026-03-10T10:00")
        if c["subject_id"] == "O-2"
    ]
    assert (one["clock"], one["due_at"][:16], one["hours_left"]) == (
        "opinion_response",
        "2026-03-11T08:00",
        22.0,
    )
