"""The domain model: frozen attrs value classes an agency's OA system fills.

Values are immutable and collections are tuples; a change is a new object (``attrs.evolve`` or,
for applications, `govdisclose.lifecycle.apply`). State that can be derived (an application's
status and deadline, a record's current attribute) is never stored a second time: it is computed
from the events and decisions kept here.

Validation happens at construction and raises `govdisclose.errors.ValidationError` naming the
field, so a half-filled OA form never becomes a model object.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, TypeAlias

import attrs
from attrs import field, frozen

from govdisclose.errors import ValidationError
from govdisclose.vocab import (
    AgencyKind,
    AgencyLevel,
    ApplicantType,
    Channel,
    DisclosureAttribute,
    DisclosureScope,
    DocumentKind,
    FeeMethod,
    InquiryKind,
    InternalOffice,
    NonDisclosureReason,
    NoticeKind,
    Outcome,
    PublicationChannel,
    ReviewCaseKind,
    ReviewDecision,
    ReviewResult,
    ReviewStatus,
    Validity,
    WithdrawalCause,
)

__all__ = [
    "EVENT_TYPES",
    "Agency",
    "Applicant",
    "Application",
    "Archived",
    "Attachment",
    "AttributeDecision",
    "CorrectionReceived",
    "CorrectionRequested",
    "DeemedWithdrawn",
    "Event",
    "Extended",
    "FeeNotified",
    "FeePaid",
    "Inquiry",
    "InternalConsulted",
    "InternalReplied",
    "NoticeIssued",
    "OpinionEvent",
    "Publication",
    "Received",
    "Record",
    "Replied",
    "ReplyApproved",
    "ReplyDrafted",
    "ReviewCase",
    "ReviewCaseFiled",
    "ReviewStep",
    "ThirdPartyConsulted",
    "ThirdPartyReplied",
    "TimedRelease",
    "Transferred",
    "Withdrawal",
    "Withdrawn",
]


# -- validators ------------------------------------------------------------------------------
#
# Every field has a validator (tests/test_values.py walks the classes to make sure), and every
# text field goes through `_text`: the one check of what a store can hold.

#: Characters no store can hold: NUL (PostgreSQL refuses it in text and jsonb) and lone
#: surrogates (a str may hold them, but no UTF-8 encoding of them exists, so orjson, SQLite and
#: psycopg fail on them). Other control characters stay: real OA exports contain them (\x0b
#: from Word), and the publishers strip what XML does not allow.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

#: The largest count a store carries: a signed 64-bit integer (SQL INTEGER, orjson).
_MAX_INT = 2**63 - 1

#: Amounts are bounded so that their plain decimal form (what JSON carries) is short: at most
#: this many digits before the decimal point and this many after it.
_AMOUNT_DIGITS = 20


def _names(kind: type | tuple[type, ...]) -> str:
    return kind.__name__ if isinstance(kind, type) else " | ".join(k.__name__ for k in kind)


def _type_error(inst: Any, att: attrs.Attribute[Any], value: Any, names: str) -> ValidationError:
    where = f"{type(inst).__name__}.{att.name}"
    got = type(value).__name__
    return ValidationError(
        f"{where} 类型应为 {names}，实际为 {got}",
        f"{where} must be {names}, got {got}",
        field=att.name,
        code="validation.type",
    )


def _text(inst: Any, att: attrs.Attribute[Any], value: Any) -> None:
    """A str holding nothing a store cannot hold (the shared check of every text field)."""
    if not isinstance(value, str):
        raise _type_error(inst, att, value, "str")
    bad = _UNSTORABLE.search(value)
    if bad is not None:
        where = f"{type(inst).__name__}.{att.name}"
        char = f"U+{ord(bad.group()):04X}"
        pos = bad.start() + 1
        raise ValidationError(
            f"{where} 第 {pos} 个字符 {char} 无法存储（不允许空字符 NUL 和单独的代理项）",
            f"{where} has {char} at position {pos}, which no store can hold "
            "(NUL and lone surrogates are not allowed in text)",
            field=att.name,
            code="validation.bad_text",
        )


def _not_blank(inst: Any, att: attrs.Attribute[Any], value: str) -> None:
    _text(inst, att, value)
    if not value.strip():
        raise ValidationError(
            f"{type(inst).__name__}.{att.name} 不能为空",
            f"{type(inst).__name__}.{att.name} must be a non-empty string",
            field=att.name,
            code="validation.blank",
        )


def _instance(kind: type | tuple[type, ...]) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    if kind is str:
        return _text
    names = _names(kind)

    def check(inst: Any, att: attrs.Attribute[Any], value: Any) -> None:
        # bool is an int, and a datetime is a date: both are wrong where the other is asked for.
        bad_bool = isinstance(value, bool) and kind is int
        bad_dt = isinstance(value, datetime) and kind is date
        if bad_bool or bad_dt or not isinstance(value, kind):
            raise _type_error(inst, att, value, names)

    return check


def _optional(
    check: Callable[[Any, attrs.Attribute[Any], Any], None],
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def run(inst: Any, att: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            check(inst, att, value)

    return run


def _opt_str(inst: Any, att: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _text(inst, att, value)


def _aware(inst: Any, att: attrs.Attribute[Any], value: datetime) -> None:
    if not isinstance(value, date):
        raise _type_error(inst, att, value, "datetime")
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            f"{type(inst).__name__}.{att.name} 必须是带时区的时间（如 Asia/Shanghai）",
            f"{type(inst).__name__}.{att.name} must be a timezone-aware datetime "
            "(e.g. Asia/Shanghai)",
            field=att.name,
            code="validation.naive_datetime",
        )


def _tuple_of(kind: type | tuple[type, ...]) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    item = _instance(kind)

    def check(inst: Any, att: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, tuple):
            raise ValidationError(
                f"{type(inst).__name__}.{att.name} 应为元组",
                f"{type(inst).__name__}.{att.name} must be a tuple",
                field=att.name,
                code="validation.type",
            )
        for i, v in enumerate(value):
            try:
                item(inst, att, v)
            except ValidationError as err:
                raise ValidationError(
                    err.message_zh, err.message_en, field=f"{att.name}[{i}]", code=err.code
                ) from None

    return check


def _not_before(other: str) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def check(inst: Any, att: attrs.Attribute[Any], value: date | None) -> None:
        start = getattr(inst, other)
        if value is not None and start is not None and value < start:
            raise ValidationError(
                f"{type(inst).__name__}.{att.name}（{value}）不能早于 {other}（{start}）",
                f"{type(inst).__name__}.{att.name} ({value}) is before {other} ({start})",
                field=att.name,
                code="validation.date_order",
            )

    return check


def _steps(inst: Any, att: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    if any(not step.strip() for step in value) or len(set(value)) != len(value):
        raise ValidationError(
            f"{type(inst).__name__}.{att.name} 的审批环节不能为空或重复：{value!r}",
            f"{type(inst).__name__}.{att.name}: approval steps must be non-empty and distinct, "
            f"got {value!r}",
            field=att.name,
            code="validation.steps",
        )


def _tuple(value: Any) -> Any:
    # Lists from OA code are accepted and frozen; a str would split into characters.
    if isinstance(value, str):
        return (value,)
    try:
        return tuple(value)
    except TypeError:
        return value  # not iterable: the field's validator reports it as a ValidationError


# -- agencies ---------------------------------------------------------------------------------


@frozen
class Agency:
    """行政机关: an agency that discloses information and files a yearly report.

    :param code: stable key (e.g. the 统一社会信用代码 or the OA system's unit code).
    :param parent: the code of the government it reports to, for roll-up.
    """

    code: str = field(validator=_not_blank)
    name: str = field(validator=_not_blank)
    level: AgencyLevel = field(validator=_instance(AgencyLevel))
    kind: AgencyKind = field(default=AgencyKind.DEPARTMENT, validator=_instance(AgencyKind))
    parent: str | None = field(default=None, validator=_optional(_not_blank))


# -- records ----------------------------------------------------------------------------------


@frozen
class AttributeDecision:
    """One decision on a record's 公开属性, made when the document is drafted (国办发〔2016〕80号).

    The first decision of a record is the one made at drafting; later ones are changes and carry
    ``change_reason``. A decision other than 主动公开 carries ``reason`` and ``legal_basis``
    (checked by the disclosure rules, not here, so that an incomplete draft can be stored and
    flagged rather than rejected).
    """

    attribute: DisclosureAttribute = field(validator=_instance(DisclosureAttribute))
    decided_by: str = field(validator=_not_blank)
    decided_on: date = field(validator=_instance(date))
    scope: DisclosureScope = field(
        default=DisclosureScope.FULL, validator=_instance(DisclosureScope)
    )
    reason: NonDisclosureReason | None = field(
        default=None, validator=_optional(_instance(NonDisclosureReason))
    )
    legal_basis: str | None = field(default=None, validator=_opt_str)
    withheld_note: str | None = field(default=None, validator=_opt_str)
    change_reason: str | None = field(default=None, validator=_opt_str)


@frozen
class Withdrawal:
    """撤回: a publication taken down from its channel again, when and why.

    Kept on the `Publication` it ends, so the register of published documents (文件发布登记备案,
    seed 002: the changes made after publication) still lists the publication, marked
    withdrawn (`govdisclose.outbox.withdraw` records it once the channel confirmed).

    .. versionadded:: 0.2.0
    """

    withdrawn_at: datetime = field(validator=_aware)
    reason: str = field(validator=_not_blank)


def _after_publication(inst: Any, att: attrs.Attribute[Any], value: Withdrawal | None) -> None:
    if value is not None and value.withdrawn_at < inst.published_at:
        raise ValidationError(
            f"撤回时间 {value.withdrawn_at.isoformat()} "
            f"早于发布时间 {inst.published_at.isoformat()}",
            f"withdrawn at {value.withdrawn_at.isoformat()}, before it was published at "
            f"{inst.published_at.isoformat()}",
            field=f"{att.name}.withdrawn_at",
            code="validation.date_order",
        )


@frozen
class Publication:
    """One act of publishing a record (the register of seed 002: full, partial or redacted).

    ``withdrawal`` is set when the publication was taken down again (撤回); a stored publication
    without it reads as live.

    .. versionchanged:: 0.2.0 ``withdrawal``.
    """

    publisher: str = field(validator=_not_blank)
    channel: PublicationChannel = field(validator=_instance(PublicationChannel))
    published_at: datetime = field(validator=_aware)
    url: str | None = field(default=None, validator=_opt_str)
    scope: DisclosureScope = field(
        default=DisclosureScope.FULL, validator=_instance(DisclosureScope)
    )
    note: str | None = field(default=None, validator=_opt_str)
    withdrawal: Withdrawal | None = field(
        default=None, validator=[_optional(_instance(Withdrawal)), _after_publication]
    )

    @property
    def published_on(self) -> date:
        """The publication date in the publication's own timezone."""
        return self.published_at.date()

    @property
    def live(self) -> bool:
        """Whether the publication is still up (not withdrawn)."""
        return self.withdrawal is None


@frozen
class ReviewStep:
    """One act of a record's review before publication: who decided what on which step, when.

    The steps are the agency's own (经办人初审、科室负责人审核、分管领导审签、保密审查; the chain
    it requires is configuration, `govdisclose.review.ReviewChain`), so ``step`` is the step's
    name as the chain names it. 先审查后公开 (条例 2019 第十七条): a record leaves only when every
    step of the chain has passed (`govdisclose.publishing`).

    :param decision: 通过, 退回修改 or 报请确定 (escalated: the reviewer cannot tell whether the
        information may be published and refers it to ``to``, 条例第十七条).
    :param by: who decided (a name or a post).
    :param at: when, an aware datetime.
    :param note: why it was returned, the question referred, or the opinion given; required
        for a return and an escalation, which someone has to act on.
    :param to: the office an escalation goes to (保密办, 主管部门); only for an escalation.

    .. versionadded:: 0.2.0
    """

    step: str = field(validator=_not_blank)
    decision: ReviewDecision = field(validator=_instance(ReviewDecision))
    by: str = field(validator=_not_blank)
    at: datetime = field(validator=_aware)
    note: str | None = field(default=None, validator=_opt_str)
    to: str | None = field(default=None, validator=_optional(_not_blank))

    def __attrs_post_init__(self) -> None:
        escalated = self.decision is ReviewDecision.ESCALATED
        if escalated and self.to is None:
            raise ValidationError(
                "报请确定须写明报送的机关或机构（如保密办）",
                "an escalation must name the office it goes to (to=, e.g. 保密办)",
                field="to",
                code="validation.review_step",
            )
        if not escalated and self.to is not None:
            raise ValidationError(
                f"只有报请确定才有报送机构，本环节意见为“{self.decision.label}”",
                f"only an escalation goes to an office; this step is {self.decision.code}",
                field="to",
                code="validation.review_step",
            )
        if self.decision is not ReviewDecision.PASSED and not (self.note or "").strip():
            raise ValidationError(
                f"“{self.decision.label}”须写明理由或所请示的问题",
                f"a {self.decision.code} step needs a note (the reason or the question referred)",
                field="note",
                code="validation.review_step",
            )

    @property
    def on(self) -> date:
        """The day of the step in its own timezone (as `Publication.published_on`)."""
        return self.at.date()


@frozen
class TimedRelease:
    """择时公开: the record is not to be published before ``not_before``, for ``reason``
    (released at a press conference, a figure due at a set hour).

    The guard refuses before that moment (`govdisclose.publishing`); the 20-working-day clock of
    条例 2019 第二十六条 runs regardless, from the day the record was formed or changed.

    .. versionadded:: 0.2.0
    """

    not_before: datetime = field(validator=_aware)
    reason: str = field(validator=_not_blank)


def _in_time_order(inst: Any, att: attrs.Attribute[Any], value: tuple[ReviewStep, ...]) -> None:
    for i in range(1, len(value)):
        if value[i].at < value[i - 1].at:
            raise ValidationError(
                f"审查记录须按时间先后排列：第{i + 1}条（{value[i].at.isoformat()}）早于上一条"
                f"（{value[i - 1].at.isoformat()}）",
                f"review steps must be in time order: step {i} ({value[i].at.isoformat()}) is "
                f"before step {i - 1} ({value[i - 1].at.isoformat()})",
                field=f"{att.name}[{i}].at",
                code="validation.date_order",
            )


@frozen
class Record:
    """政府信息: one record (公文 or other information) in the agency's disclosure catalogue.

    The current attribute is the last of ``decisions``; the drafting attribute the first.

    ``reviews`` is the review's history, oldest first (`ReviewStep`); whether it completes the
    chain an agency requires is `govdisclose.review.ReviewChain.progress`, which also derives
    the review's status. ``review_status``, ``reviewed_by`` and ``reviewed_on`` are 0.1.0's
    single 保密审查, kept as stored: a record without a history is read as having that one step,
    ``保密审查`` (`govdisclose.review.LEGACY_STEP`), passed or not. They are deprecated for new
    records (record each step in ``reviews``); on a record with a history they are not
    consulted, except that 审查未通过 there still blocks publication.

    ``timed_release`` (择时公开) holds the record back until a moment, with the reason.

    .. versionchanged:: 0.2.0 ``reviews`` and ``timed_release``.
    """

    id: str = field(validator=_not_blank)
    title: str = field(validator=_not_blank)
    agency: str = field(validator=_not_blank)
    formed_on: date = field(validator=_instance(date))
    kind: DocumentKind = field(default=DocumentKind.OTHER, validator=_instance(DocumentKind))
    index_number: str | None = field(default=None, validator=_opt_str)
    document_number: str | None = field(default=None, validator=_opt_str)
    changed_on: date | None = field(
        default=None, validator=[_optional(_instance(date)), _not_before("formed_on")]
    )
    topic: str | None = field(default=None, validator=_opt_str)
    key_areas: tuple[str, ...] = field(default=(), converter=_tuple, validator=_tuple_of(str))
    decisions: tuple[AttributeDecision, ...] = field(
        default=(), converter=_tuple, validator=_tuple_of(AttributeDecision)
    )
    review_status: ReviewStatus = field(
        default=ReviewStatus.PENDING, validator=_instance(ReviewStatus)
    )
    reviewed_by: str | None = field(default=None, validator=_opt_str)
    reviewed_on: date | None = field(default=None, validator=_optional(_instance(date)))
    publications: tuple[Publication, ...] = field(
        default=(), converter=_tuple, validator=_tuple_of(Publication)
    )
    interpretations: tuple[str, ...] = field(default=(), converter=_tuple, validator=_tuple_of(str))
    important_policy: bool = field(default=False, validator=_instance(bool))
    validity: Validity = field(default=Validity.VALID, validator=_instance(Validity))
    repealed_on: date | None = field(
        default=None, validator=[_optional(_instance(date)), _not_before("formed_on")]
    )
    body: str = field(default="", validator=_text)
    reviews: tuple[ReviewStep, ...] = field(
        default=(), converter=_tuple, validator=[_tuple_of(ReviewStep), _in_time_order]
    )
    timed_release: TimedRelease | None = field(
        default=None, validator=_optional(_instance(TimedRelease))
    )

    @property
    def decision(self) -> AttributeDecision | None:
        """The decision in force (the last one), or ``None`` if none was ever made."""
        return self.decisions[-1] if self.decisions else None

    @property
    def attribute(self) -> DisclosureAttribute | None:
        """The current 公开属性, or ``None`` if undecided."""
        return self.decisions[-1].attribute if self.decisions else None

    @property
    def drafting_attribute(self) -> DisclosureAttribute | None:
        """The attribute decided at drafting (源头认定)."""
        return self.decisions[0].attribute if self.decisions else None

    @property
    def clock_start(self) -> date:
        """The day the 20-working-day proactive clock starts from: formed or last changed."""
        return self.changed_on or self.formed_on

    @property
    def first_published_on(self) -> date | None:
        """The earliest publication date, if published."""
        return min((p.published_on for p in self.publications), default=None)

    @property
    def live_publications(self) -> tuple[Publication, ...]:
        """The publications not withdrawn (撤回): where the public can read the record now."""
        return tuple(p for p in self.publications if p.withdrawal is None)


# -- applications ---------------------------------------------------------------------------


@frozen
class Applicant:
    """申请人 with the personal data the application carries (条例 2019 art. 29(1))."""

    type: ApplicantType = field(validator=_instance(ApplicantType))
    name: str = field(validator=_not_blank)
    id_number: str | None = field(default=None, validator=_opt_str)
    organisation_code: str | None = field(default=None, validator=_opt_str)
    phone: str | None = field(default=None, validator=_opt_str)
    email: str | None = field(default=None, validator=_opt_str)
    address: str | None = field(default=None, validator=_opt_str)


def _non_negative(inst: Any, att: attrs.Attribute[Any], value: Decimal | int) -> None:
    if value < 0:
        raise ValidationError(
            f"{type(inst).__name__}.{att.name} 不能为负数",
            f"{type(inst).__name__}.{att.name} must not be negative",
            field=att.name,
            code="validation.negative",
        )


def _not_too_large(inst: Any, att: attrs.Attribute[Any], value: int) -> None:
    if value > _MAX_INT:
        raise ValidationError(
            f"{type(inst).__name__}.{att.name} 超出范围（最大为 {_MAX_INT}）",
            f"{type(inst).__name__}.{att.name} is out of range (at most {_MAX_INT})",
            field=att.name,
            code="validation.out_of_range",
        )


_is_int = _instance(int)


def _count(inst: Any, att: attrs.Attribute[Any], value: int) -> None:
    _is_int(inst, att, value)
    _non_negative(inst, att, value)
    _not_too_large(inst, att, value)


def _positive_int(inst: Any, att: attrs.Attribute[Any], value: int) -> None:
    _is_int(inst, att, value)
    if value <= 0:
        raise ValidationError(
            f"{type(inst).__name__}.{att.name} 必须是正整数",
            f"{type(inst).__name__}.{att.name} must be a positive integer",
            field=att.name,
            code="validation.not_positive",
        )
    _not_too_large(inst, att, value)


def _decimal(value: Any) -> Any:
    # Floats would carry binary rounding into a fee notice; go through str. Anything that is not
    # a number is passed on unchanged for `_money` to report.
    if isinstance(value, Decimal | bool) or not isinstance(value, int | float | str):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return value


def _money(inst: Any, att: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationError(
            f"{type(inst).__name__}.{att.name} 应为有限的金额数字，实际为 {value!r}",
            f"{type(inst).__name__}.{att.name} must be a finite decimal amount, got {value!r}",
            field=att.name,
            code="validation.type",
        )
    _non_negative(inst, att, value)
    # Bounded, so that the plain form serde writes ("1000", never "1E+3") stays short.
    places = value.as_tuple().exponent  # an int: the value is finite
    if value.adjusted() >= _AMOUNT_DIGITS or (isinstance(places, int) and -places > _AMOUNT_DIGITS):
        raise ValidationError(
            f"{type(inst).__name__}.{att.name} 超出范围：整数部分最多 {_AMOUNT_DIGITS} 位，"
            f"小数最多 {_AMOUNT_DIGITS} 位，实际为 {value!r}",
            f"{type(inst).__name__}.{att.name} is out of range: at most {_AMOUNT_DIGITS} digits "
            f"before and {_AMOUNT_DIGITS} after the decimal point, got {value!r}",
            field=att.name,
            code="validation.out_of_range",
        )


_SHA256 = re.compile(r"[0-9a-f]{64}")
# RFC 6838 type/subtype; parameters (";charset=...") are not part of what the archive keeps.
_MEDIA_TYPE = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
)


def _pattern(
    regex: re.Pattern[str], zh: str, en: str
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def check(inst: Any, att: attrs.Attribute[Any], value: Any) -> None:
        _text(inst, att, value)
        if regex.fullmatch(value) is None:
            raise ValidationError(
                f"{type(inst).__name__}.{att.name} 应为{zh}，实际为 {value!r}",
                f"{type(inst).__name__}.{att.name} must be {en}, got {value!r}",
                field=att.name,
                code="validation.format",
            )

    return check


@frozen
class Attachment:
    """附件: a file that went with an event (the application form, a letter as sent, a scan).

    Metadata only: the library keeps what identifies the file (its SHA-256) so a case file can
    prove which file was sent; the bytes stay in the host's document system.
    """

    name: str = field(validator=_not_blank)
    size: int = field(validator=_count)
    sha256: str = field(
        validator=_pattern(
            _SHA256, "64位小写十六进制的SHA-256值", "a lower-case hex SHA-256 (64 digits)"
        )
    )
    media_type: str = field(
        default="application/octet-stream",
        validator=_pattern(
            _MEDIA_TYPE, "媒体类型（如 application/pdf）", "a media type such as application/pdf"
        ),
    )

    @classmethod
    def of_bytes(
        cls, name: str, data: bytes, media_type: str = "application/octet-stream"
    ) -> Attachment:
        """The attachment record of ``data`` (size and SHA-256 computed here)."""
        return cls(
            name=name,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            media_type=media_type,
        )


@frozen(kw_only=True)
class _EventBase:
    on: date = field(validator=_instance(date))
    note: str | None = field(default=None, validator=_opt_str)
    actor: str | None = field(default=None, validator=_opt_str)
    attachments: tuple[Attachment, ...] = field(
        default=(), converter=_tuple, validator=_tuple_of(Attachment)
    )


@frozen(kw_only=True)
class Received(_EventBase):
    """收到申请. ``on`` is the day it arrived (handed in, signed for, or mail received);
    ``confirmed_on`` the day of confirmation with the applicant, which is the receipt date for
    ordinary letters, online and fax channels (条例 2019 art. 31)."""

    kind: ClassVar[str] = "received"
    confirmed_on: date | None = field(
        default=None, validator=[_optional(_instance(date)), _not_before("on")]
    )


@frozen(kw_only=True)
class CorrectionRequested(_EventBase):
    """补正告知: one notice of everything to correct (art. 30), with a reasonable period."""

    kind: ClassVar[str] = "correction_requested"
    items: str = field(validator=_not_blank)
    correct_by: date | None = field(default=None, validator=_optional(_instance(date)))


@frozen(kw_only=True)
class CorrectionReceived(_EventBase):
    """收到补正后的申请: the reply clock restarts from this day (art. 30)."""

    kind: ClassVar[str] = "correction_received"


@frozen(kw_only=True)
class DeemedWithdrawn(_EventBase):
    """视为放弃申请: no correction in time (art. 30) or fee not paid in time (109号)."""

    kind: ClassVar[str] = "deemed_withdrawn"
    cause: WithdrawalCause = field(validator=_instance(WithdrawalCause))


@frozen(kw_only=True)
class Withdrawn(_EventBase):
    """申请人撤回申请."""

    kind: ClassVar[str] = "withdrawn"


@frozen(kw_only=True)
class ThirdPartyConsulted(_EventBase):
    """征求第三方或其他机关意见 (arts. 32, 34): the reply clock stops (art. 33 para. 3)."""

    kind: ClassVar[str] = "third_party_consulted"
    party: str = field(validator=_not_blank)
    is_agency: bool = field(default=False, validator=_instance(bool))


@frozen(kw_only=True)
class ThirdPartyReplied(_EventBase):
    """第三方答复 (or the agency records that the reply window ran out, ``consents=None``)."""

    kind: ClassVar[str] = "third_party_replied"
    party: str = field(validator=_not_blank)
    consents: bool | None = field(default=None, validator=_optional(_instance(bool)))


@frozen(kw_only=True)
class Extended(_EventBase):
    """延期答复: once, at most the regime's limit, approved by the 工作机构's head (art. 33)."""

    kind: ClassVar[str] = "extended"
    days: int = field(validator=_positive_int)
    reason: str = field(validator=_not_blank)
    approved_by: str = field(validator=_not_blank)


@frozen(kw_only=True)
class FeeNotified(_EventBase):
    """收费通知 under 国办函〔2020〕109号: the applicant has 20 working days to pay."""

    kind: ClassVar[str] = "fee_notified"
    amount: Decimal = field(converter=_decimal, validator=_money)
    method: FeeMethod = field(validator=_instance(FeeMethod))
    quantity: int = field(validator=_positive_int)
    basis: str | None = field(default=None, validator=_opt_str)


@frozen(kw_only=True)
class FeePaid(_EventBase):
    """信息处理费已缴纳."""

    kind: ClassVar[str] = "fee_paid"
    amount: Decimal = field(converter=_decimal, validator=_money)


@frozen(kw_only=True)
class Replied(_EventBase):
    """答复: the final decision, with the outcome counted in table 三 and its reasons."""

    kind: ClassVar[str] = "replied"
    outcome: Outcome = field(validator=_instance(Outcome))
    reasons: str | None = field(default=None, validator=_opt_str)
    legal_basis: str | None = field(default=None, validator=_opt_str)


@frozen(kw_only=True)
class Transferred(_EventBase):
    """转办: handed to another internal unit for handling; the clock keeps running."""

    kind: ClassVar[str] = "transferred"
    to: str = field(validator=_not_blank)


@frozen(kw_only=True)
class ReviewCaseFiled(_EventBase):
    """The applicant sought 行政复议 or sued over this application (after the final reply)."""

    kind: ClassVar[str] = "review_case_filed"
    case_id: str = field(validator=_not_blank)
    case_kind: ReviewCaseKind = field(validator=_instance(ReviewCaseKind))


@frozen(kw_only=True)
class InternalConsulted(_EventBase):
    """内部会商: a draft or a question sent to an office inside the agency (法制、保密、信访).

    The agency's own work, so the reply clock keeps running: only consulting a third party or
    another agency stops it (条例 2019 第三十三条第三款).
    """

    kind: ClassVar[str] = "internal_consulted"
    office: InternalOffice = field(validator=_instance(InternalOffice))
    subject: str = field(validator=_not_blank)


@frozen(kw_only=True)
class InternalReplied(_EventBase):
    """内部会商意见: the consulted office's opinion (the clock has kept running meanwhile)."""

    kind: ClassVar[str] = "internal_replied"
    office: InternalOffice = field(validator=_instance(InternalOffice))
    opinion: str = field(validator=_not_blank)


@frozen(kw_only=True)
class ReplyDrafted(_EventBase):
    """拟办: the draft reply, with the approval steps it needs before it may be sent.

    ``steps`` are the office's approval chain after drafting (``("审核", "签发")`` by default),
    captured when the draft is made so that a later change of the office's workflow does not
    change what this draft needed. The draft does not stop the clock: only the `Replied` that
    follows the last approval does.
    """

    kind: ClassVar[str] = "reply_drafted"
    outcome: Outcome = field(validator=_instance(Outcome))
    reasons: str | None = field(default=None, validator=_opt_str)
    legal_basis: str | None = field(default=None, validator=_opt_str)
    steps: tuple[str, ...] = field(
        default=("审核", "签发"), converter=_tuple, validator=[_tuple_of(str), _steps]
    )


@frozen(kw_only=True)
class ReplyApproved(_EventBase):
    """审核 / 签发: one approval step of the current draft, by ``actor`` on ``on``.

    ``approved=False`` is 退回修改: the draft is sent back and a new draft is needed.
    """

    kind: ClassVar[str] = "reply_approved"
    step: str = field(validator=_not_blank)
    approved: bool = field(default=True, validator=_instance(bool))


@frozen(kw_only=True)
class NoticeIssued(_EventBase):
    """A letter to the applicant as issued (回执、补正告知书、延期告知书……, or the reply itself).

    ``sha256`` is the digest of the letter as rendered and sent (its text), so that the case file
    can show the letter the applicant received; ``number`` is its 文号 where it has one.
    """

    kind: ClassVar[str] = "notice_issued"
    notice: NoticeKind = field(validator=_instance(NoticeKind))
    number: str | None = field(default=None, validator=_opt_str)
    sha256: str | None = field(
        default=None,
        validator=_optional(
            _pattern(_SHA256, "64位小写十六进制的SHA-256值", "a lower-case hex SHA-256 (64 digits)")
        ),
    )


@frozen(kw_only=True)
class Archived(_EventBase):
    """归档: the closed case goes to the archive; nothing may be recorded after it."""

    kind: ClassVar[str] = "archived"
    archive_number: str | None = field(default=None, validator=_opt_str)


Event: TypeAlias = (
    Received
    | CorrectionRequested
    | CorrectionReceived
    | DeemedWithdrawn
    | Withdrawn
    | ThirdPartyConsulted
    | ThirdPartyReplied
    | Extended
    | FeeNotified
    | FeePaid
    | Replied
    | Transferred
    | ReviewCaseFiled
    | InternalConsulted
    | InternalReplied
    | ReplyDrafted
    | ReplyApproved
    | NoticeIssued
    | Archived
)

#: Every event class, in lifecycle order; their ``kind`` codes tag them in JSON.
EVENT_TYPES: tuple[type[Event], ...] = (
    Received,
    CorrectionRequested,
    CorrectionReceived,
    DeemedWithdrawn,
    Withdrawn,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    Extended,
    FeeNotified,
    FeePaid,
    Replied,
    Transferred,
    ReviewCaseFiled,
    InternalConsulted,
    InternalReplied,
    ReplyDrafted,
    ReplyApproved,
    NoticeIssued,
    Archived,
)
# The events that close an application (`Application.final_event`).
_CLOSING_EVENTS = (Replied, Withdrawn, DeemedWithdrawn)


@frozen
class Application:
    """依申请公开 application: who asked what, through which channel, and what happened since.

    ``events`` is the whole history, oldest first. Use `govdisclose.lifecycle.apply` to add one:
    it checks the event may follow. Status and deadline are derived from the events
    (`govdisclose.lifecycle.status`, `govdisclose.deadlines.reply_deadline`).
    """

    id: str = field(validator=_not_blank)
    agency: str = field(validator=_not_blank)
    applicant: Applicant = field(validator=_instance(Applicant))
    channel: Channel = field(validator=_instance(Channel))
    request: str = field(validator=_not_blank)
    events: tuple[Event, ...] = field(
        default=(), converter=_tuple, validator=_tuple_of(EVENT_TYPES)
    )

    @property
    def version(self) -> int:
        """The number of events: the expected version for the next optimistic write."""
        return len(self.events)

    @property
    def received(self) -> Received | None:
        """The receipt event, if the application was received."""
        first = self.events[0] if self.events else None
        return first if isinstance(first, Received) else None

    @property
    def receipt_date(self) -> date | None:
        """收到申请之日 by channel (条例 2019 art. 31): confirmation day where it needs one.

        Where the channel needs confirmation but none is recorded, the arrival day is used:
        the law puts the confirmation on the day of arrival (ordinary letters) and an agency
        that did not record a later confirmation cannot claim one.
        """
        rec = self.received
        if rec is None:
            return None
        if self.channel.receipt_needs_confirmation and rec.confirmed_on is not None:
            return rec.confirmed_on
        return rec.on

    @property
    def final_event(self) -> Replied | Withdrawn | DeemedWithdrawn | None:
        """The event that closed the application, if any."""
        for ev in reversed(self.events):
            # A tuple, not ``Replied | Withdrawn | DeemedWithdrawn``: the union would be built
            # anew for every event looked at (a third of the property's time).
            if isinstance(ev, _CLOSING_EVENTS):
                return ev
        return None

    @property
    def closed_on(self) -> date | None:
        """The day the application was concluded (答复、撤回 or 视为放弃)."""
        fin = self.final_event
        return fin.on if fin else None

    @property
    def outcome(self) -> Outcome | None:
        """The table 三 outcome, derived from the closing event.

        Deemed withdrawal is counted in (六)1 / (六)2; a withdrawal by the applicant in (六)3.
        """
        fin = self.final_event
        if isinstance(fin, Replied):
            return fin.outcome
        if isinstance(fin, DeemedWithdrawn):
            return (
                Outcome.NO_CORRECTION
                if fin.cause is WithdrawalCause.NO_CORRECTION
                else Outcome.FEE_NOT_PAID
            )
        if isinstance(fin, Withdrawn):
            return Outcome.OTHER
        return None


# -- review and litigation ------------------------------------------------------------------


@frozen
class ReviewCase:
    """行政复议 or 行政诉讼 over disclosure work (table 四).

    ``result`` and ``concluded_on`` are both set or both unset; an unconcluded case counts as
    尚未审结.
    """

    id: str = field(validator=_not_blank)
    agency: str = field(validator=_not_blank)
    kind: ReviewCaseKind = field(validator=_instance(ReviewCaseKind))
    filed_on: date = field(validator=_instance(date))
    application_id: str | None = field(default=None, validator=_opt_str)
    result: ReviewResult | None = field(default=None, validator=_optional(_instance(ReviewResult)))
    concluded_on: date | None = field(
        default=None, validator=[_optional(_instance(date)), _not_before("filed_on")]
    )

    def __attrs_post_init__(self) -> None:
        if self.result is ReviewResult.PENDING:
            raise ValidationError(
                "“尚未审结”由未填写审结日期推导，不能作为审结结果",
                "PENDING is derived from a missing conclusion; leave result and concluded_on unset",
                field="result",
                code="validation.review_result",
            )
        if (self.result is None) != (self.concluded_on is None):
            raise ValidationError(
                "审结结果与审结日期须同时填写或同时为空",
                "result and concluded_on must be both set or both unset",
                field="concluded_on" if self.concluded_on is None else "result",
                code="validation.review_result",
            )

    def result_as_of(self, day: date) -> ReviewResult:
        """The table 四 column this case falls in at ``day`` (e.g. the report year's end)."""
        if self.concluded_on is None or self.concluded_on > day or self.result is None:
            return ReviewResult.PENDING
        return self.result


# -- inquiries and public opinion ------------------------------------------------------------


@frozen
class Inquiry:
    """A public inquiry or complaint (政务咨询、投诉) with its own working-day limit."""

    id: str = field(validator=_not_blank)
    agency: str = field(validator=_not_blank)
    kind: InquiryKind = field(validator=_instance(InquiryKind))
    received_on: date = field(validator=_instance(date))
    forwarding_levels: int = field(default=0, validator=_count)
    extended: bool = field(default=False, validator=_instance(bool))
    answered_on: date | None = field(
        default=None, validator=[_optional(_instance(date)), _not_before("received_on")]
    )


@frozen
class OpinionEvent:
    """A public-opinion event (政务舆情) whose response limits are counted in hours."""

    id: str = field(validator=_not_blank)
    agency: str = field(validator=_not_blank)
    detected_at: datetime = field(validator=_aware)
    major: bool = field(default=False, validator=_instance(bool))
    authoritative_info_at: datetime | None = field(default=None, validator=_optional(_aware))
    press_conference_at: datetime | None = field(default=None, validator=_optional(_aware))
