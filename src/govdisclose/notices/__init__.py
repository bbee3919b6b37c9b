"""The letters to the applicant, derived from the events like the report (issue 13).

`compose` turns one step of an application into a `Notice`: 受理回执 (with a query code),
补正告知书, 延期告知书, 征求第三方意见书 (or, for a co-producing agency, 征求意见函), 收费通知书 and
the 答复告知书 of every outcome of table 三 (one template per `govdisclose.vocab.Outcome`). The
outcome decides the template, the provisions cited and the report row, so the three agree by
construction; every date, deadline and fee is the one `govdisclose.deadlines` and
`govdisclose.fees` compute. `render_text` lays a notice out as plain text;
`govdisclose.notices.render_html` and `govdisclose.notices.render_docx` as a page and a Word
document.

The wording is data (`NoticeTemplates`, shipped as TOML in ``notices/templates``); a local
office overrides its letterhead, wording or seal line through the hook
``govdisclose_notice_templates`` (`govdisclose.plugins.load_notice_templates`) or
`NoticeTemplates.with_overrides`, and an override that drops the article, a date or the
remedies is refused. The letters follow the 2019 text of the 条例.
"""

from __future__ import annotations

from govdisclose.notices._compose import article_text, compose, compose_all, notice_issued
from govdisclose.notices._law import RemedyLaw, ReplyBasis, remedy_law, reply_basis
from govdisclose.notices._letter import Notice, NoticeKind
from govdisclose.notices._office import OFFICE_OPTIONS, NoticeOffice
from govdisclose.notices._query import QUERY_CODE_VERSION, parse_query_code, query_code
from govdisclose.notices._templates import (
    LetterTemplate,
    NoticeTemplates,
    NoticeTemplateSource,
    Slot,
    slot,
    slots,
)
from govdisclose.notices._text import render_text

__all__ = [
    "OFFICE_OPTIONS",
    "QUERY_CODE_VERSION",
    "LetterTemplate",
    "Notice",
    "NoticeKind",
    "NoticeOffice",
    "NoticeTemplateSource",
    "NoticeTemplates",
    "RemedyLaw",
    "ReplyBasis",
    "Slot",
    "article_text",
    "compose",
    "compose_all",
    "notice_issued",
    "parse_query_code",
    "query_code",
    "remedy_law",
    "render_text",
    "reply_basis",
    "slot",
    "slots",
]
