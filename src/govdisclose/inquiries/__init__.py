"""政务信息查询: the public's questions as cases, with per-unit clocks, query codes and the
answer base.

The procedure is local policy, from seed 003 篇5 (a 2009 municipal implementation of a
provincial 政务信息查询制度, 二、(二)2-3): a question by phone, web, counter, letter or visit is
answered by the responsible unit within 5 working days (general), 10 (important or complex), 20
with the unit head's approval; complaints within 15, 30 with approval. A question outside the
unit's remit is forwarded through the government office with a written reason and approval,
each forwarding level adding 5 working days; a question for several units follows 首问负责, each
unit answering its part on its own clock. The inquirer gets a 查询码 to complain with to the
supervising office; answers fit for everyone go into the 查询信息库; satisfaction is rated. A unit
that cannot answer in time explains why (说明情况); one that is late without explaining is
flagged. The limits are parameters (params/data/local_inquiry.toml), which a local office
replaces through the ``govdisclose_parameter_sources`` hook.

* the case and its events: `InquiryCase`, `InquiryReceived` … `Rated`;
* the lifecycle: `apply`, `apply_all`, `check_history`, `status`, `parts`;
* the clocks: `unit_clocks`, `clock_views` (flat `govdisclose.model.Inquiry` views for
  `govdisclose.deadlines.inquiry_status` and the daily job), `findings`, `approaching`,
  `yearly_counts`;
* the query code: `new_query_code`, `parse_inquiry_code`, `code_digest`;
* the store (kept-item kind ``"inquiry"``): `receive`, `record`, `find_by_code`, `complain`;
* the answer base: `answer_base`; synthetic data: `generate_inquiries`.
"""

from __future__ import annotations

from govdisclose.inquiries._answers import PublicAnswer, answer_base
from govdisclose.inquiries._clocks import (
    LATE_ANSWER_ARTICLE,
    InquiryYear,
    UnitCheck,
    UnitChecks,
    UnitClock,
    approaching,
    clock_views,
    findings,
    unit_clocks,
    yearly_counts,
)
from govdisclose.inquiries._code import (
    CODE_BITS,
    code_digest,
    code_matches,
    new_query_code,
    parse_inquiry_code,
)
from govdisclose.inquiries._demo import demo_inquiries
from govdisclose.inquiries._lifecycle import (
    ALLOWED,
    InquiryStatus,
    Part,
    PartOrigin,
    apply,
    apply_all,
    check_history,
    event_label,
    parts,
    status,
)
from govdisclose.inquiries._model import (
    INQUIRY_EVENT_TYPES,
    Answered,
    Complained,
    ComplaintAnswered,
    Explained,
    Forwarded,
    InquirerContact,
    InquiryCase,
    InquiryChannel,
    InquiryClosed,
    InquiryEvent,
    InquiryExtended,
    InquiryReceived,
    PassedOn,
    Rated,
    Satisfaction,
)
from govdisclose.inquiries._store import (
    INQUIRY_KIND,
    Notify,
    Receipt,
    complain,
    find_by_code,
    inquiry_converter,
    receive,
    record,
)
from govdisclose.inquiries._synthetic import SyntheticInquiries, generate_inquiries, random_case

__all__ = [
    "ALLOWED",
    "CODE_BITS",
    "INQUIRY_EVENT_TYPES",
    "INQUIRY_KIND",
    "LATE_ANSWER_ARTICLE",
    "Answered",
    "Complained",
    "ComplaintAnswered",
    "Explained",
    "Forwarded",
    "InquirerContact",
    "InquiryCase",
    "InquiryChannel",
    "InquiryClosed",
    "InquiryEvent",
    "InquiryExtended",
    "InquiryReceived",
    "InquiryStatus",
    "InquiryYear",
    "Notify",
    "Part",
    "PartOrigin",
    "PassedOn",
    "PublicAnswer",
    "Rated",
    "Receipt",
    "Satisfaction",
    "SyntheticInquiries",
    "UnitCheck",
    "UnitChecks",
    "UnitClock",
    "answer_base",
    "apply",
    "apply_all",
    "approaching",
    "check_history",
    "clock_views",
    "code_digest",
    "code_matches",
    "complain",
    "demo_inquiries",
    "event_label",
    "find_by_code",
    "findings",
    "generate_inquiries",
    "inquiry_converter",
    "new_query_code",
    "parse_inquiry_code",
    "parts",
    "random_case",
    "receive",
    "record",
    "status",
    "unit_clocks",
    "yearly_counts",
]
