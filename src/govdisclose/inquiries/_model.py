"""The inquiry case (政务信息查询) and its events: frozen values, validated at construction.

The procedure is local policy: seed 003 篇5 (a 2009 municipal speech implementing a provincial
政务信息查询制度), section 二、(二)2 “认真做好公众提问的回复或者解答工作”, items (1)-(5), and
section 二、(二)3 on late answers. The events mirror an application's (`govdisclose.model`):
one class per step, a ``kind`` tag, the whole history in `InquiryCase.events`, everything else
derived (`govdisclose.inquiries.status`, `govdisclose.inquiries.unit_clocks`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar, TypeAlias

import attrs
from attrs import field, frozen

from govdisclose.errors import ValidationError

# The model's validators: the one check of what a store can hold, shared by every value class.
from govdisclose.model import _instance, _not_blank, _opt_str, _tuple, _tuple_of
from govdisclose.vocab import CodedEnum, InquiryKind

__all__ = [
    "INQUIRY_EVENT_TYPES",
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
    "PassedOn",
    "Rated",
    "Satisfaction",
]


class InquiryChannel(CodedEnum):
    """How a question reached the unit (seed 003 篇5: 96128 专线电话, 网络查询, 政务服务中心窗口,
    信函和来访)."""

    PHONE = ("phone", "电话查询")
    WEB = ("web", "网络查询")
    COUNTER = ("counter", "窗口查询")
    LETTER = ("letter", "信函查询")
    VISIT = ("visit", "来访查询")


class Satisfaction(CodedEnum):
    """The inquirer's rating of the answer (seed 003 篇5: 答复满意度评价系统)."""

    SATISFIED = ("satisfied", "满意")
    BASICALLY_SATISFIED = ("basically_satisfied", "基本满意")
    DISSATISFIED = ("dissatisfied", "不满意")


_SHA256 = re.compile(r"[0-9a-f]{64}")


def _digest(inst: Any, att: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or _SHA256.fullmatch(value) is None:
        raise ValidationError(
            f"{type(inst).__name__}.{att.name} 应为查询码的 SHA-256 摘要（64位小写十六进制），"
            f"实际为 {value!r}",
            f"{type(inst).__name__}.{att.name} must be the query code's SHA-256 digest "
            f"(64 lower-case hex digits), got {value!r}",
            field=att.name,
            code="validation.format",
        )


def _required(code: str, zh: str, en: str) -> Any:
    """A text field that must be filled, refused with its own code when it is not: the
    approval of an extension and the reason and approval of a forwarding are what make them
    valid (seed 003 篇5, 二、(二)2 (2)-(4)), so their absence is named, not a generic blank."""

    def check(inst: Any, att: attrs.Attribute[Any], value: Any) -> None:
        if isinstance(value, str) and value.strip():
            _not_blank(inst, att, value)
            return
        raise ValidationError(
            f"{type(inst).__name__}.{att.name}：{zh}",
            f"{type(inst).__name__}.{att.name}: {en}",
            field=att.name,
            code=code,
        )

    return check


_APPROVAL = _required(
    "inquiries.approval_required",
    "须经本单位负责人或审核人同意，请填写批准人",
    "needs the approval of the unit's head or reviewer: give who approved it",
)
_REASON = _required(
    "inquiries.reason_required",
    "转发时必须填写转发理由",
    "a forwarding needs its written reason (转发理由)",
)


@frozen
class InquirerContact:
    """查询人 and how to reach them. Personal data: kept in the case for the answer, never in
    a public view (`govdisclose.inquiries.answer_base` masks it out of the texts too)."""

    name: str = field(validator=_not_blank)
    phone: str | None = field(default=None, validator=_opt_str)
    email: str | None = field(default=None, validator=_opt_str)
    address: str | None = field(default=None, validator=_opt_str)

    def strings(self) -> tuple[str, ...]:
        """Every personal value, for masking a text that might quote them."""
        return tuple(v for v in (self.name, self.phone, self.email, self.address) if v)


@frozen(kw_only=True)
class _InquiryEventBase:
    on: date = field(validator=_instance(date))
    note: str | None = field(default=None, validator=_opt_str)
    actor: str | None = field(default=None, validator=_opt_str)


@frozen(kw_only=True)
class InquiryReceived(_InquiryEventBase):
    """受理: the question as received by the case's agency (the 首问 unit).

    ``category`` sets the limit (`govdisclose.vocab.InquiryKind`: 一般 5, 重要复杂 10, 特殊 20
    working days, 投诉 15; local parameters). ``code_digest`` is the SHA-256 of the query code
    given to the inquirer (`govdisclose.inquiries.new_query_code`), never the code itself.
    """

    kind: ClassVar[str] = "received"
    channel: InquiryChannel = field(validator=_instance(InquiryChannel))
    category: InquiryKind = field(validator=_instance(InquiryKind))
    question: str = field(validator=_not_blank)
    inquirer: InquirerContact = field(validator=_instance(InquirerContact))
    code_digest: str = field(validator=_digest)


@frozen(kw_only=True)
class Forwarded(_InquiryEventBase):
    """转发: a question outside ``from_unit``'s remit sent through the government offices
    (``offices``, one per level, in order) to ``to_unit``, with the written reason and its
    approval (seed 003 篇5, 二、(二)2 (2)). Each level adds ``forwarding_days_per_level``
    working days to the receiving unit's limit, counted from the original start (item (4))."""

    kind: ClassVar[str] = "forwarded"
    from_unit: str = field(validator=_not_blank)
    to_unit: str = field(validator=_not_blank)
    offices: tuple[str, ...] = field(converter=_tuple, validator=_tuple_of(str))
    reason: str = field(default="", validator=_REASON)
    approved_by: str = field(default="", validator=_APPROVAL)

    @offices.validator
    def _levels(self, att: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        if not value or any(not office.strip() for office in value):
            raise ValidationError(
                "Forwarded.offices 须列出经手转发的各级政府办（至少一级）",
                "Forwarded.offices must name the government office of each forwarding level "
                "(at least one)",
                field="offices",
                code="validation.blank",
            )


@frozen(kw_only=True)
class PassedOn(_InquiryEventBase):
    """首问负责: ``from_unit`` answered its part and passes the question on to ``to_unit`` for
    the next part; the next unit's limit runs from this day (seed 003 篇5, 二、(二)2 (3): 其中
    每个部门办理时限按照上述标准办理). A pass needs its reason and approval like a forwarding."""

    kind: ClassVar[str] = "passed_on"
    from_unit: str = field(validator=_not_blank)
    to_unit: str = field(validator=_not_blank)
    reason: str = field(default="", validator=_REASON)
    approved_by: str = field(default="", validator=_APPROVAL)


@frozen(kw_only=True)
class Answered(_InquiryEventBase):
    """答复: ``unit`` answers its part. ``publishable`` marks an answer fit for everyone, which
    goes into the 查询信息库 (seed 003 篇5: 将带普遍性、可以公开的答复信息添加到查询信息库)."""

    kind: ClassVar[str] = "answered"
    unit: str = field(validator=_not_blank)
    answer: str = field(validator=_not_blank)
    publishable: bool = field(default=False, validator=_instance(bool))


@frozen(kw_only=True)
class InquiryExtended(_InquiryEventBase):
    """延长: ``unit``'s limit extended to 20 working days (a complaint's to 30) with the
    approval of the unit's head (seed 003 篇5, 二、(二)2 (4): 经本单位负责人同意后可延长).
    Without ``approved_by`` it is refused (code ``inquiries.approval_required``)."""

    kind: ClassVar[str] = "extended"
    unit: str = field(validator=_not_blank)
    reason: str = field(validator=_not_blank)
    approved_by: str = field(default="", validator=_APPROVAL)


@frozen(kw_only=True)
class Explained(_InquiryEventBase):
    """说明情况: ``unit`` tells the supervising office why it cannot answer in time (seed 003
    篇5, 二、(二)3: 不能按期回复的，责任单位应及时向监督管理部门说明情况，并公开回复说明)."""

    kind: ClassVar[str] = "explained"
    unit: str = field(validator=_not_blank)
    explanation: str = field(validator=_not_blank)


@frozen(kw_only=True)
class InquiryClosed(_InquiryEventBase):
    """办结: every part is answered and the case is concluded."""

    kind: ClassVar[str] = "closed"


@frozen(kw_only=True)
class Complained(_InquiryEventBase):
    """投诉: the inquirer, dissatisfied, complains with the query code; the supervising office
    (监察管理部门, ``office``) handles it within the complaint limit (seed 003 篇5, 二、(二)2
    (5))."""

    kind: ClassVar[str] = "complained"
    office: str = field(validator=_not_blank)
    grounds: str = field(validator=_not_blank)


@frozen(kw_only=True)
class ComplaintAnswered(_InquiryEventBase):
    """投诉答复: the supervising office's reply (调查情况、处理意见和办理结果); ``upheld`` whether
    the complaint was well founded."""

    kind: ClassVar[str] = "complaint_answered"
    office: str = field(validator=_not_blank)
    answer: str = field(validator=_not_blank)
    upheld: bool = field(default=False, validator=_instance(bool))


@frozen(kw_only=True)
class Rated(_InquiryEventBase):
    """满意度评价 of the answer (or of the complaint's answer)."""

    kind: ClassVar[str] = "rated"
    satisfaction: Satisfaction = field(validator=_instance(Satisfaction))
    comment: str | None = field(default=None, validator=_opt_str)


InquiryEvent: TypeAlias = (
    InquiryReceived
    | Forwarded
    | PassedOn
    | Answered
    | InquiryExtended
    | Explained
    | InquiryClosed
    | Complained
    | ComplaintAnswered
    | Rated
)

#: Every inquiry event class, in lifecycle order; their ``kind`` codes tag them in JSON.
INQUIRY_EVENT_TYPES: tuple[type[InquiryEvent], ...] = (
    InquiryReceived,
    Forwarded,
    PassedOn,
    Answered,
    InquiryExtended,
    Explained,
    InquiryClosed,
    Complained,
    ComplaintAnswered,
    Rated,
)


@frozen
class InquiryCase:
    """One 政务信息查询 as a case: who received it (``agency``, the 首问 unit) and its history.

    Use `govdisclose.inquiries.apply` to add an event (it checks the event may follow); the
    status, the parts each unit answers and their clocks are derived from ``events``.
    """

    id: str = field(validator=_not_blank)
    agency: str = field(validator=_not_blank)
    events: tuple[InquiryEvent, ...] = field(
        default=(), converter=_tuple, validator=_tuple_of(INQUIRY_EVENT_TYPES)
    )

    @property
    def version(self) -> int:
        """The number of events."""
        return len(self.events)

    @property
    def received(self) -> InquiryReceived | None:
        """The receipt event, if the question was received."""
        first = self.events[0] if self.events else None
        return first if isinstance(first, InquiryReceived) else None
