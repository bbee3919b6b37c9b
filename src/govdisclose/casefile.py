"""The case file (案卷) of one application: everything that happened, every letter, every date.

`build_case_file` gathers, from the events alone, what an archive or a court asks for: the
history in order (卷内文件目录), every letter the history calls for as the agency issues it
(`govdisclose.notices.compose_all`, with the SHA-256 of its text checked against the digest a
`NoticeIssued` event recorded when it was sent), the deadlines with their explanations (the same
`govdisclose.deadlines` functions the daily job uses), the reply clock on the day the file is
made, and the attachments of every event. Nothing is stored twice: the file is derived, like
the report, and rebuilding it gives the same file.

`to_json` writes it as JSON (through `govdisclose.serde`'s converter, the application in its
usual shape); `render_case_file_docx` as one Word document (cover, 卷内文件目录, deadlines,
each letter on its own page, the attachment list) that LibreOffice converts to PDF.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from attrs import frozen

from govdisclose.calendar import WorkCalendar
from govdisclose.deadlines import (
    correction_notice_deadline,
    fee_payment_deadline,
    reply_deadline,
    reply_status,
    third_party_deadlines,
)
from govdisclose.fees import FeeCalculation
from govdisclose.lifecycle import event_label, status
from govdisclose.model import (
    Application,
    CorrectionRequested,
    DeemedWithdrawn,
    Event,
    Extended,
    FeeNotified,
    FeePaid,
    InternalConsulted,
    InternalReplied,
    NoticeIssued,
    Received,
    Replied,
    ReplyApproved,
    ReplyDrafted,
    ReviewCaseFiled,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    Transferred,
)
from govdisclose.notices import Notice, NoticeOffice, NoticeTemplates, compose_all, render_text
from govdisclose.params import ParameterSet
from govdisclose.serde import make_converter

__all__ = [
    "CaseAttachment",
    "CaseDeadline",
    "CaseEntry",
    "CaseFile",
    "CaseLetter",
    "build_case_file",
    "render_case_file_docx",
    "to_json",
]


@frozen
class CaseEntry:
    """One line of the 卷内文件目录: an event, in order (``index`` in ``application.events``)."""

    index: int
    kind: str
    label: str
    on: date
    summary: str
    actor: str | None


@frozen
class CaseLetter:
    """A letter of the file, as the agency issues it.

    ``sha256`` is the digest of ``text`` (the letter as `govdisclose.notices.render_text` lays
    it out); ``recorded_sha256`` the digest the `NoticeIssued` event of this letter recorded
    when it was sent (``None`` if its sending was not recorded, or recorded without a digest).
    ``matches`` is whether they agree: ``False`` means the letter sent differs from the letter
    the events give today (edited by hand, or templates changed since), which an archivist
    must look at.
    """

    notice: Notice
    text: str
    sha256: str
    recorded_sha256: str | None

    @property
    def matches(self) -> bool | None:
        """Whether the letter sent is the letter the events give (``None``: not recorded)."""
        return None if self.recorded_sha256 is None else self.recorded_sha256 == self.sha256


@frozen
class CaseDeadline:
    """A deadline of the case with its explanation (为什么是这一天)."""

    clock: str
    label: str
    due: date
    explanation: str


@frozen
class CaseAttachment:
    """An attachment of an event (metadata; the bytes stay in the host's document system)."""

    event_index: int
    event_kind: str
    name: str
    size: int
    sha256: str
    media_type: str


@frozen
class CaseFile:
    """The whole file of one application on ``as_of`` (see the module docstring)."""

    application: Application
    agency: str
    as_of: date
    status: str
    status_label: str
    entries: tuple[CaseEntry, ...]
    letters: tuple[CaseLetter, ...]
    deadlines: tuple[CaseDeadline, ...]
    reply_clock: str
    attachments: tuple[CaseAttachment, ...]

    @property
    def unmatched_letters(self) -> tuple[CaseLetter, ...]:
        """Letters whose recorded digest differs from the letter the events give."""
        return tuple(letter for letter in self.letters if letter.matches is False)


def _summary(ev: Event) -> str:
    """The event in a few words of Chinese, as the 目录 lists it."""
    if isinstance(ev, Received):
        confirmed = f"（确认日期 {ev.confirmed_on}）" if ev.confirmed_on else ""
        return f"收到申请{confirmed}"
    if isinstance(ev, CorrectionRequested):
        by = f"，补正期限至 {ev.correct_by}" if ev.correct_by else ""
        return f"需补正：{ev.items}{by}"
    if isinstance(ev, ThirdPartyConsulted):
        return f"征求{'机关' if ev.is_agency else '第三方'}“{ev.party}”意见"
    if isinstance(ev, ThirdPartyReplied):
        said = {True: "同意公开", False: "不同意公开", None: "逾期未答复"}[ev.consents]
        return f"“{ev.party}”：{said}"
    if isinstance(ev, Extended):
        return f"延期{ev.days}个工作日：{ev.reason}（{ev.approved_by}批准）"
    if isinstance(ev, FeeNotified):
        return f"信息处理费 {ev.amount} 元（{ev.method.label}，{ev.quantity}）"
    if isinstance(ev, FeePaid):
        return f"已缴纳 {ev.amount} 元"
    if isinstance(ev, Replied | ReplyDrafted):
        reasons = f"：{ev.reasons}" if ev.reasons else ""
        return f"{ev.outcome.label}{reasons}"
    if isinstance(ev, ReplyApproved):
        return f"{ev.step}：{'同意' if ev.approved else '退回修改'}"
    if isinstance(ev, InternalConsulted):
        return f"{ev.office.label}：{ev.subject}"
    if isinstance(ev, InternalReplied):
        return f"{ev.office.label}：{ev.opinion}"
    if isinstance(ev, NoticeIssued):
        number = f"（{ev.number}）" if ev.number else ""
        return f"{ev.notice.label}{number}"
    if isinstance(ev, DeemedWithdrawn):
        return ev.cause.label
    if isinstance(ev, Transferred):
        return f"转{ev.to}办理"
    if isinstance(ev, ReviewCaseFiled):
        return f"{ev.case_kind.label}：{ev.case_id}"
    return event_label(ev)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _recorded(app: Application, notice: Notice, taken: set[int]) -> str | None:
    # The NoticeIssued of this letter: same kind (and 文号 where both have one), in order; each
    # event is matched once, so two correction notices find their own records.
    for i, ev in enumerate(app.events):
        if i in taken or not isinstance(ev, NoticeIssued) or ev.notice is not notice.kind:
            continue
        if ev.number and notice.number and ev.number != notice.number:
            continue
        taken.add(i)
        return ev.sha256
    return None


def build_case_file(
    application: Application,
    *,
    office: NoticeOffice,
    params: ParameterSet,
    calendar: WorkCalendar,
    as_of: date,
    templates: NoticeTemplates | None = None,
    fees: Mapping[int, FeeCalculation] | None = None,
) -> CaseFile:
    """The case file of ``application`` on ``as_of``.

    Arguments as for `govdisclose.notices.compose_all` (``fees``: the calculation of a 按件
    fee notice by the index of its `FeeNotified`). Raises what those functions raise: a
    refusal without reasons, a strict calendar without the years needed.
    """
    entries = tuple(
        CaseEntry(
            index=i,
            kind=ev.kind,
            label=event_label(ev),
            on=ev.on,
            summary=_summary(ev),
            actor=ev.actor,
        )
        for i, ev in enumerate(application.events)
    )
    taken: set[int] = set()
    letters = []
    for notice in compose_all(
        application,
        office=office,
        params=params,
        calendar=calendar,
        templates=templates,
        fees=fees,
    ):
        text = render_text(notice)
        letters.append(
            CaseLetter(
                notice=notice,
                text=text,
                sha256=_digest(text),
                recorded_sha256=_recorded(application, notice, taken),
            )
        )
    found = [
        reply_deadline(application, params=params, calendar=calendar),
        correction_notice_deadline(application, params=params, calendar=calendar),
        fee_payment_deadline(application, params=params, calendar=calendar),
        *third_party_deadlines(application, params=params, calendar=calendar),
    ]
    deadlines = tuple(
        CaseDeadline(clock=d.clock.value, label=d.clock.label, due=d.due, explanation=d.explain())
        for d in found
        if d is not None
    )
    clock = reply_status(application, as_of, params=params, calendar=calendar)
    current = status(application)
    attachments = tuple(
        CaseAttachment(
            event_index=i,
            event_kind=ev.kind,
            name=a.name,
            size=a.size,
            sha256=a.sha256,
            media_type=a.media_type,
        )
        for i, ev in enumerate(application.events)
        for a in ev.attachments
    )
    return CaseFile(
        application=application,
        agency=office.agency,
        as_of=as_of,
        status=current.code,
        status_label=current.label,
        entries=entries,
        letters=tuple(letters),
        deadlines=deadlines,
        reply_clock=_clock_line(clock),
        attachments=attachments,
    )


def _clock_line(clock: Any) -> str:
    state = clock.state.label
    due = f"，期限 {clock.due}" if clock.due else ""
    late = f"，逾期 {clock.working_days_late} 个工作日" if clock.working_days_late else ""
    done = f"，{clock.done_on} 办结" if clock.done_on else ""
    return f"答复期限（截至 {clock.as_of}）：{state}{due}{done}{late}"


def to_json(case: CaseFile, *, indent: int | None = 2) -> str:
    """The case file as JSON: the application in its serde shape, letters with their text."""
    converter = make_converter()
    data = converter.unstructure(case)
    for letter, item in zip(case.letters, data["letters"], strict=True):
        item["matches"] = letter.matches
    return json.dumps(data, ensure_ascii=False, indent=indent)


def render_case_file_docx(case: CaseFile) -> bytes:
    """The case file as one Word document: cover, 卷内文件目录, deadlines, every letter on its
    own page, the attachment list (needs python-docx, the extra ``docx``)."""
    from govdisclose.notices.render_docx import render_bundle_docx

    app = case.application
    front = [
        ("title", "政府信息公开申请案卷"),
        ("line", f"申请编号：{app.id}"),
        ("line", f"办理机关：{case.agency}"),
        ("line", f"申请人：{app.applicant.name}（{app.applicant.type.label}）"),
        ("line", f"申请内容：{app.request}"),
        ("line", f"状态：{case.status_label}（截至 {case.as_of}）"),
        ("line", case.reply_clock),
        ("heading", "卷内文件目录"),
        (
            "table",
            [("序号", "日期", "事项", "内容", "经办")]
            + [
                (str(e.index + 1), e.on.isoformat(), e.label, e.summary, e.actor or "")
                for e in case.entries
            ],
        ),
        ("heading", "期限及计算说明"),
        *[("line", d.explanation) for d in case.deadlines],
    ]
    if case.attachments:
        front.append(("heading", "附件清单"))
        front.append(
            (
                "table",
                [("事项序号", "名称", "大小（字节）", "类型", "SHA-256")]
                + [
                    (str(a.event_index + 1), a.name, str(a.size), a.media_type, a.sha256)
                    for a in case.attachments
                ],
            )
        )
    return render_bundle_docx(front, [letter.notice for letter in case.letters])
