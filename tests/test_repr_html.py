"""What a notebook shows for a deadline, a finding and an annual report (`_repr_html_`)."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

from govdisclose import synthetic
from govdisclose.calendar import WorkCalendar
from govdisclose.deadlines import reply_deadline
from govdisclose.findings import Finding, Severity
from govdisclose.model import Applicant, Application, Received
from govdisclose.params import ParameterSet
from govdisclose.report import build_annual_report
from govdisclose.testing import MemoryStore
from govdisclose.vocab import ApplicantType, Channel


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _read(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def test_a_deadline_shows_its_due_date_and_every_step() -> None:
    # Received in person on Wednesday 15 January 2025: 20 working days from the 16th, with the
    # Spring Festival (28 January to 4 February) skipped and the makeup Sunday 26 January and
    # Saturday 8 February counted, end on Tuesday 18 February (counted by hand).
    app = Application(
        id="A-1",
        agency="city-gov",
        applicant=Applicant(type=ApplicantType.NATURAL_PERSON, name="张某"),
        channel=Channel.IN_PERSON,
        request="申请公开某项目批复",
        events=(Received(on=date(2025, 1, 15)),),
    )
    deadline = reply_deadline(app, params=ParameterSet.default(), calendar=WorkCalendar.default())
    assert deadline is not None
    page = _read(deadline._repr_html_())
    text = "".join(page.parts)
    assert "2025-02-18" in text
    assert page.tags.count("tr") == len(deadline.steps) + 1  # the header row and one per step
    for step in deadline.steps:
        assert step.rule in text
    assert "春节" in text
    assert "调休" in text


def test_a_finding_shows_both_languages_and_escapes_them() -> None:
    finding = Finding(
        rule_id="GD-R001",
        severity=Severity.ERROR,
        message_zh="标题含 <script> 字样",
        message_en="title contains <script>",
        field="title",
        article="条例第十五条",
    )
    html = finding._repr_html_()
    assert "<script>" not in html
    text = "".join(_read(html).parts)
    assert "标题含 <script> 字样" in text
    assert "title contains <script>" in text
    for shown in ("错误", "GD-R001", "条例第十五条"):
        assert shown in text


def test_an_annual_report_shows_its_tables() -> None:
    data = synthetic.generate(2025, applications_per_agency=20, records_per_agency=5, seed=2)
    store = MemoryStore()
    store.import_bulk(agencies=data.agencies, records=data.records, applications=data.applications)
    report = build_annual_report(store, data.agencies[1].code, 2025)
    page = _read(report._repr_html_())
    assert page.tags.count("table") >= 3
    assert report.agency_name in "".join(page.parts)
