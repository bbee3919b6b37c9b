"""The case file (案卷) of an application and the ``notice`` / ``casefile`` commands (issue 13)."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import attrs
import pytest

from govdisclose.calendar import WorkCalendar
from govdisclose.casefile import build_case_file, to_json
from govdisclose.cli import main
from govdisclose.deadlines import reply_deadline
from govdisclose.fees import notified_event, per_volume_fee
from govdisclose.lifecycle import apply, apply_all
from govdisclose.model import (
    Agency,
    Applicant,
    Application,
    Archived,
    Attachment,
    CorrectionReceived,
    CorrectionRequested,
    Extended,
    FeePaid,
    InternalConsulted,
    InternalReplied,
    Received,
    Replied,
    ReplyApproved,
    ReplyDrafted,
    ThirdPartyConsulted,
    ThirdPartyReplied,
)
from govdisclose.notices import NoticeOffice, compose, notice_issued, render_text
from govdisclose.params import ParameterSet
from govdisclose.plugins import Settings, open_store
from govdisclose.vocab import (
    AgencyLevel,
    ApplicantType,
    Channel,
    InternalOffice,
    NoticeKind,
    Outcome,
)

PARAMS = ParameterSet.default()
CAL = WorkCalendar.default()
OFFICE = NoticeOffice(
    agency="某市自然资源和规划局", review_body="某市人民政府", court="某市某区人民法院"
)
REASONS = "投标报价涉及第三方商业秘密，第三方不同意公开"
FORM = Attachment(name="申请表.pdf", size=52_113, sha256="1f" * 32, media_type="application/pdf")


def _complete() -> Application:
    """Correction, consultation, internal consultation, extension, fee, partial disclosure."""
    app = Application(
        id="2025-0007",
        agency="330100",
        applicant=Applicant(type=ApplicantType.NATURAL_PERSON, name="张三", address="某路1号"),
        channel=Channel.IN_PERSON,
        request="请公开某路段改造工程的招标文件",
    )
    fee = per_volume_fee(160, received_on=date(2025, 3, 3))
    return apply_all(
        app,
        [
            Received(on=date(2025, 3, 3), attachments=(FORM,)),
            CorrectionRequested(
                on=date(2025, 3, 5), items="请写明文件名称", correct_by=date(2025, 3, 19)
            ),
            CorrectionReceived(on=date(2025, 3, 10)),
            ThirdPartyConsulted(on=date(2025, 3, 12), party="某建设工程有限公司"),
            ThirdPartyReplied(on=date(2025, 3, 20), party="某建设工程有限公司", consents=False),
            InternalConsulted(on=date(2025, 3, 21), office=InternalOffice.LEGAL, subject="理由"),
            InternalReplied(on=date(2025, 3, 24), office=InternalOffice.LEGAL, opinion="同意"),
            Extended(on=date(2025, 4, 1), days=20, reason="材料较多", approved_by="王主任"),
            notified_event(fee, on=date(2025, 4, 2)),
            FeePaid(on=date(2025, 4, 8), amount=fee.amount),
            ReplyDrafted(
                on=date(2025, 4, 10), outcome=Outcome.PARTIALLY_DISCLOSED, reasons=REASONS
            ),
            ReplyApproved(on=date(2025, 4, 11), step="审核", actor="李科长"),
            ReplyApproved(on=date(2025, 4, 14), step="签发", actor="赵局长"),
            Replied(on=date(2025, 4, 14), outcome=Outcome.PARTIALLY_DISCLOSED, reasons=REASONS),
        ],
    )


def _issue(app: Application, kind: NoticeKind) -> Application:
    """Record the letter as sent (its text's digest), as the desk does after the step."""
    notice = compose(app, kind, office=OFFICE, params=PARAMS, calendar=CAL)
    return apply(app, notice_issued(notice, render_text(notice)))


def _issue_all(app: Application) -> Application:
    """The receipt issued on the day of receipt, the reply on the day of the reply."""
    head = _issue(attrs.evolve(app, events=app.events[:1]), NoticeKind.RECEIPT)
    return _issue(apply_all(head, app.events[1:]), NoticeKind.REPLY)


def test_the_case_file_holds_every_event_letter_and_deadline() -> None:
    app = apply(_issue_all(_complete()), Archived(on=date(2025, 5, 6), archive_number="WS-1"))
    case = build_case_file(app, office=OFFICE, params=PARAMS, calendar=CAL, as_of=date(2025, 5, 6))
    assert [e.kind for e in case.entries] == [ev.kind for ev in app.events]
    assert [e.index for e in case.entries] == list(range(len(app.events)))
    assert [letter.notice.kind for letter in case.letters] == [
        NoticeKind.RECEIPT,
        NoticeKind.CORRECTION,
        NoticeKind.THIRD_PARTY,
        NoticeKind.EXTENSION,
        NoticeKind.FEE,
        NoticeKind.REPLY,
    ]
    by_kind = {letter.notice.kind: letter for letter in case.letters}
    # The two letters recorded as sent match the letter the events give; the others were not
    # recorded (matches is None), none differs.
    assert by_kind[NoticeKind.RECEIPT].matches is True
    assert by_kind[NoticeKind.REPLY].matches is True
    assert by_kind[NoticeKind.FEE].matches is None
    assert case.unmatched_letters == ()
    reply = reply_deadline(app, params=PARAMS, calendar=CAL)
    assert reply is not None
    assert case.deadlines[0].due == reply.due
    assert case.deadlines[0].explanation == reply.explain()
    assert case.status == "archived"
    assert [(a.event_index, a.name, a.sha256) for a in case.attachments] == [
        (0, "申请表.pdf", FORM.sha256)
    ]
    assert REASONS in by_kind[NoticeKind.REPLY].text


def test_a_letter_edited_after_sending_is_flagged() -> None:
    """A recorded digest that is not the letter the events give is reported, not hidden."""
    app = _complete()
    notice = compose(app, NoticeKind.REPLY, office=OFFICE, params=PARAMS, calendar=CAL)
    app = apply(app, notice_issued(notice, render_text(notice) + "（手工修改）"))
    case = build_case_file(app, office=OFFICE, params=PARAMS, calendar=CAL, as_of=date(2025, 5, 6))
    assert [letter.notice.kind for letter in case.unmatched_letters] == [NoticeKind.REPLY]


def test_the_case_file_json_reads_back_as_the_application() -> None:
    from govdisclose.serde import structure

    app = _complete()
    case = build_case_file(app, office=OFFICE, params=PARAMS, calendar=CAL, as_of=date(2025, 5, 6))
    data = json.loads(to_json(case))
    assert structure(data["application"], Application) == app
    assert len(data["entries"]) == len(app.events)
    assert [item["matches"] for item in data["letters"]] == [None] * len(case.letters)
    assert data["letters"][-1]["text"] == case.letters[-1].text


def _store_with(path: Path, app: Application) -> str:
    url = f"sqlite:///{path}"
    store = open_store(Settings(store_url=url))
    try:
        store.put_agency(Agency(code="330100", name="某市自然资源和规划局", level=AgencyLevel.CITY))
        store.create_application(app)
    finally:
        store.close()
    return url


OPTIONS = [
    "--option",
    "notices.agency=某市自然资源和规划局",
    "--option",
    "notices.review_body=某市人民政府",
    "--option",
    "notices.court=某市某区人民法院",
]


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_cli_notice_is_the_composed_letter(tmp_path: Path) -> None:
    app = _complete()
    url = _store_with(tmp_path / "gd.db", app)
    code, text = _run("notice", app.id, "--store", url, "--kind", "reply", *OPTIONS)
    assert code == 0
    expected = compose(app, NoticeKind.REPLY, office=OFFICE, params=PARAMS, calendar=CAL)
    assert text == render_text(expected)
    code, _ = _run(
        "notice", app.id, "--store", url, "--kind", "extension", "--format", "html",
        "--output", str(tmp_path / "ext.html"), *OPTIONS,
    )  # fmt: skip
    assert code == 0
    assert "延期" in (tmp_path / "ext.html").read_text("utf-8")


def test_cli_notice_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = Application(
        id="A-1",
        agency="330100",
        applicant=Applicant(type=ApplicantType.NATURAL_PERSON, name="张三"),
        channel=Channel.IN_PERSON,
        request="某信息",
        events=(Received(on=date(2025, 3, 3)),),
    )
    url = _store_with(tmp_path / "gd.db", app)
    # No reply yet: the letter cannot be made; no office options: the option is named.
    code, _ = _run("notice", "A-1", "--store", url, "--kind", "reply", *OPTIONS)
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1
    assert "Traceback" not in err
    code, _ = _run("notice", "A-1", "--store", url, "--kind", "receipt")
    err = capsys.readouterr().err
    assert code == 1
    assert "notices.agency" in err
    code, _ = _run("notice", "NOPE", "--store", url, "--kind", "receipt", *OPTIONS)
    assert code == 1
    assert "NOPE" in capsys.readouterr().err


def test_cli_casefile_json(tmp_path: Path) -> None:
    app = _complete()
    url = _store_with(tmp_path / "gd.db", app)
    code, text = _run("casefile", app.id, "--store", url, "--as-of", "2025-05-06", *OPTIONS)
    assert code == 0
    data = json.loads(text)
    assert [e["kind"] for e in data["entries"]] == [ev.kind for ev in app.events]
    assert len(data["letters"]) == 6


def test_case_file_docx_holds_every_entry_and_letter(tmp_path: Path) -> None:
    """One .docx: the 目录 lists every event, each letter follows; LibreOffice makes a PDF."""
    from tests.office import convert_to_pdf, pdf_pages

    docx = pytest.importorskip("docx")
    from govdisclose.casefile import render_case_file_docx

    app = apply(_issue_all(_complete()), Archived(on=date(2025, 5, 6)))
    case = build_case_file(app, office=OFFICE, params=PARAMS, calendar=CAL, as_of=date(2025, 5, 6))
    data = render_case_file_docx(case)
    document = docx.Document(io.BytesIO(data))
    table = document.tables[0]
    assert len(table.rows) == 1 + len(app.events)
    assert [row.cells[2].text for row in table.rows[1:]] == [e.label for e in case.entries]
    text = "\n".join(p.text for p in document.paragraphs)
    for letter in case.letters:
        assert letter.notice.title in text
    assert FORM.sha256 in "\n".join(c.text for row in document.tables[-1].rows for c in row.cells)
    source = tmp_path / "casefile.docx"
    source.write_bytes(data)
    convert_to_pdf([source], tmp_path)
    # The cover and the 目录 take a page at least, every letter at least one more.
    assert pdf_pages((tmp_path / "casefile.pdf").read_bytes()) >= 1 + len(case.letters)


def test_a_letter_issued_reaches_the_event_hook() -> None:
    """A letter issued is an event: a host that appends it tells the plugins, which hear the
    NoticeIssued (an OA system files the letter; the webhook forwards it)."""
    import pluggy

    from govdisclose.hookspecs import hookimpl
    from govdisclose.notifications import ApplicationEventApplied
    from govdisclose.plugins import make_plugin_manager, notify

    heard: list[object] = []

    class Recorder:
        @hookimpl
        def govdisclose_handle_event(self, event: object) -> None:
            heard.append(event)

    pm: pluggy.PluginManager = make_plugin_manager(load_entry_points=False)
    pm.register(Recorder())
    app = _complete()
    notice = compose(app, NoticeKind.REPLY, office=OFFICE, params=PARAMS, calendar=CAL)
    issued = notice_issued(notice, render_text(notice))
    after = apply(app, issued)
    notify(pm, ApplicationEventApplied(application_id=app.id, event=issued, version=after.version))
    assert [getattr(e, "event", None) for e in heard] == [issued]


def test_the_demo_writes_the_letters_of_a_complete_application(tmp_path: Path) -> None:
    """The demo's desk step: six letters (text, HTML, .docx) and a case file with every event."""
    code, _ = _run("demo", "--dir", str(tmp_path / "demo"), "--applications", "20")
    assert code == 0
    letters = tmp_path / "demo" / "letters"
    kinds = ["receipt", "correction", "third_party", "extension", "fee", "reply"]
    for kind in kinds:
        assert len(list(letters.glob(f"*-{kind}.docx"))) == 1, kind
        assert len(list(letters.glob(f"*-{kind}.txt"))) == 1, kind
    data = json.loads((letters / "casefile.json").read_text("utf-8"))
    events = data["application"]["events"]
    assert [e["kind"] for e in data["entries"]] == [e["kind"] for e in events]
    assert events[-1]["kind"] == "archived"
    assert [item["notice"]["kind"] for item in data["letters"]] == kinds
    assert all(item["matches"] for item in data["letters"])
