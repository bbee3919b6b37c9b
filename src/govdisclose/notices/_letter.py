"""The composed letter: a plain value every renderer (text, HTML, .docx) lays out the same way.

A `Notice` is what `govdisclose.notices.compose` derives from an application's events, the
calendar and the parameters in force: every date, deadline, fee and article in it is already
worked out, so a renderer only lays text out and never decides anything.
"""

from __future__ import annotations

from datetime import date

from attrs import field, frozen

# NoticeKind lives in the vocabulary so that the model's NoticeIssued event can name it.
from govdisclose.vocab import NoticeKind, Outcome

__all__ = ["Notice", "NoticeKind"]


@frozen(kw_only=True)
class Notice:
    """One letter as issued (公文 layout: 标题, 文号, 主送, 正文, 落款, 成文日期).

    ``paragraphs`` are the body paragraphs in order, plain text, each rendered as one indented
    paragraph. ``citations`` are the provisions the letter applies, in full
    (``《中华人民共和国政府信息公开条例》第三十六条第（三）项``), also quoted in the body;
    ``remedies`` the sentence on 行政复议 and 行政诉讼 (a reply that is not a full disclosure, and
    every decision the applicant may contest, carries it). ``signature`` is the agency's name as
    signed under the seal; ``issued_on`` the 成文日期.
    """

    kind: NoticeKind
    application_id: str
    title: str
    number: str | None
    addressee: str
    paragraphs: tuple[str, ...]
    citations: tuple[str, ...]
    remedies: str | None
    signature: str
    issued_on: date
    outcome: Outcome | None = None
    attachments: tuple[str, ...] = field(default=())
    query_code: str | None = None
    #: The date the letter fixes (the reply due date of a receipt or an extension, the last day
    #: to correct, to give an opinion or to pay), as computed by `govdisclose.deadlines`, so an
    #: OA system can set a reminder without reading the text; ``None`` for a reply.
    due: date | None = None
