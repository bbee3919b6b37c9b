"""The report text quotes inquiries, press conferences and opinion cases kept in the store
(issue 15: "counted for the annual report's narrative placeholders")."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from govdisclose._time import SHANGHAI
from govdisclose.calendar import WorkCalendar
from govdisclose.errors import ReportError
from govdisclose.inquiries import Answered, InquirerContact, InquiryChannel, receive, record
from govdisclose.opinion import OpinionGrade, OpinionSource, ResponseType, detect, respond
from govdisclose.params import ParameterSet
from govdisclose.press import Attendee, AttendeeRole, PressEvent, PressEventKind, add_event
from govdisclose.report import ReportTexts, build_annual_report
from govdisclose.report.narrative import FIGURE_NAMES, narrative_figures
from govdisclose.testing import MemoryStore
from govdisclose.testing.builders import agency
from govdisclose.vocab import InquiryKind

PARAMS = ParameterSet.default()
CALENDAR = WorkCalendar.default()
HEAD = Attendee(name="张局长", role=AttendeeRole.PRINCIPAL_HEAD)
SPOKES = Attendee(name="李发言人", role=AttendeeRole.SPOKESPERSON)


def _store() -> MemoryStore:
    store = MemoryStore()
    for code in ("AG1", "AG2"):
        store.put_agency(agency(code))
    ask = {
        "channel": InquiryChannel.PHONE,
        "category": InquiryKind.GENERAL,
        "question": "如何办理？",
        "inquirer": InquirerContact(name="李四"),
    }
    # AG1: three questions in 2025 (one answered on time, one answered late on 03-11, one open),
    # one in 2024 (not counted), and one of AG2's.
    receive(store, id="Q1", agency="AG1", on=date(2025, 3, 3), **ask)
    record(store, "Q1", [Answered(on=date(2025, 3, 5), unit="AG1", answer="答复。")])
    receive(store, id="Q2", agency="AG1", on=date(2025, 3, 3), **ask)  # due 03-10
    record(store, "Q2", [Answered(on=date(2025, 3, 11), unit="AG1", answer="答复。")])
    receive(store, id="Q3", agency="AG1", on=date(2025, 6, 2), **ask)
    receive(store, id="Q0", agency="AG1", on=date(2024, 12, 2), **ask)
    receive(store, id="Q9", agency="AG2", on=date(2025, 3, 3), **ask)

    # AG1: two conferences (one with the principal head), an online interview; one of 2024.
    def press(id: str, kind: PressEventKind, on: date, who: Attendee, host: str = "AG1") -> None:
        add_event(
            store,
            PressEvent(
                id=id,
                agency=host,
                kind=kind,
                held_on=on,
                title="发布会",
                topics=("营商环境",),
                attendees=(who,),
            ),
        )

    press("P1", PressEventKind.PRESS_CONFERENCE, date(2025, 4, 1), HEAD)
    press("P2", PressEventKind.PRESS_CONFERENCE, date(2025, 9, 1), SPOKES)
    press("P3", PressEventKind.ONLINE_INTERVIEW, date(2025, 5, 1), HEAD)
    press("P0", PressEventKind.PRESS_CONFERENCE, date(2024, 5, 1), HEAD)
    press("P9", PressEventKind.PRESS_CONFERENCE, date(2025, 5, 1), HEAD, host="AG2")
    # AG1: a major event answered within 5 h and at a conference within 24 h (on time), and an
    # ordinary one answered after 50 h (late against its 48 h).
    at = datetime(2025, 7, 1, 9, 0, tzinfo=SHANGHAI)
    detect(
        store,
        id="O1",
        agency="AG1",
        at=at,
        grade=OpinionGrade.MAJOR,
        source=OpinionSource.MEDIA,
        summary="停水",
    )
    respond(store, "O1", at=at.replace(hour=12), type=ResponseType.RELEASE, summary="通报")
    respond(
        store,
        "O1",
        at=at.replace(day=2, hour=8),
        type=ResponseType.PRESS_CONFERENCE,
        summary="发布会",
        attendees=(SPOKES,),
    )
    detect(
        store,
        id="O2",
        agency="AG1",
        at=at,
        grade=OpinionGrade.GENERAL,
        source=OpinionSource.WEBSITE,
        summary="路灯",
        emergency=False,
    )
    respond(store, "O2", at=at.replace(day=3, hour=11), type=ResponseType.RELEASE, summary="回复")
    return store


def test_the_figures_count_the_agencys_year_and_nothing_else() -> None:
    figures = narrative_figures(_store(), "AG1", 2025, params=PARAMS, calendar=CALENDAR)
    assert set(figures) == set(FIGURE_NAMES)
    assert {k: v for k, v in figures.items() if v} == {
        "inquiries.received": 3,
        "inquiries.answered": 2,
        "inquiries.answered_on_time": 1,
        "inquiries.late_unexplained": 1,
        "press.conferences": 2,
        "press.conferences_principal": 1,
        "press.online_interviews": 1,
        "press.online_interviews_principal": 1,
        "opinion.cases": 2,
        "opinion.major": 1,
        "opinion.responded": 2,
        "opinion.on_time": 1,
        "opinion.press_conferences": 1,
    }


def test_the_report_text_quotes_them_like_cells() -> None:
    store = _store()
    figures = narrative_figures(store, "AG1", 2025, params=PARAMS, calendar=CALENDAR)
    texts = ReportTexts(
        overview="{year}年举办新闻发布会{press.conferences}次，受理政务信息查询"
        "{inquiries.received}件，回应政务舆情{opinion.responded}起。"
    )
    report = build_annual_report(store, "AG1", 2025, texts=texts, figures=figures)
    assert report.overview == "2025年举办新闻发布会2次，受理政务信息查询3件，回应政务舆情2起。"


def test_a_figure_not_supplied_is_an_error_naming_it() -> None:
    texts = ReportTexts(overview="举办新闻发布会{press.conferences}次")
    with pytest.raises(ReportError) as caught:
        build_annual_report(_store(), "AG1", 2025, texts=texts)
    assert caught.value.field == "press.conferences"
    assert caught.value.code == "report.placeholder"
