"""Controlled vocabularies with stable codes and official Chinese labels.

Every member's *value* is a stable lower-case code that goes into storage and JSON; renaming a
member never changes stored data. ``member.label`` is the official Chinese term as printed in the
regulation or the 2021 annual-report format. ``Enum.from_label`` reads a label back (lenient about
full-width/half-width punctuation and spaces), for importing spreadsheets and published pages.

Offices do not write the official labels: their ledgers and OA exports say 当面, 网上, 信函, 个人,
企业, 同意公开. `LabelAliases` maps those forms to the members, as data: the shipped file
``vocab_data/labels.toml`` (`LabelAliases.default`, which ``from_label`` uses unless told
otherwise) extended by a local office's own file of the same shape (`LabelAliases.extended`; the
option ``vocab.aliases`` and the hook ``govdisclose_label_aliases`` through
`govdisclose.plugins.load_label_aliases`).

>>> Channel.from_label("当面")
<Channel.IN_PERSON: 'in_person'>
>>> ApplicantType.from_label("律所").code
'legal_service_org'
>>> local = LabelAliases.default().extended({"Channel": {"online": ["12345热线转办"]}})
>>> Channel.from_label("12345 热线转办", aliases=local).label
'网络/在线'
"""

from __future__ import annotations

import enum
import functools
import os
import tomllib
import unicodedata
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Self, TypeAlias, TypeVar, cast

from govdisclose.errors import ValidationError

__all__ = [
    "AgencyKind",
    "AgencyLevel",
    "ApplicantType",
    "Channel",
    "CodedEnum",
    "DisclosureAttribute",
    "DisclosureScope",
    "DocumentKind",
    "FeeMethod",
    "InquiryKind",
    "InternalOffice",
    "LabelAliasSource",
    "LabelAliases",
    "NonDisclosureReason",
    "NoticeKind",
    "Outcome",
    "OutcomeGroup",
    "PublicationChannel",
    "ReviewCaseKind",
    "ReviewDecision",
    "ReviewResult",
    "ReviewStatus",
    "Validity",
    "WithdrawalCause",
]


def _fold(text: str) -> str:
    # NFKC maps full-width brackets/digits/letters to ASCII; quotes and spaces vary on real
    # pages; case folding for the Latin forms (Email, EMS).
    folded = unicodedata.normalize("NFKC", text).casefold()
    for ch in " \u3000\t\r\n\xa0“”\"'‘’、，,.。":
        folded = folded.replace(ch, "")
    return folded


_E = TypeVar("_E", bound="CodedEnum")

# The folded official labels of each enum, built on first use.
_LABEL_INDEX: dict[type[Any], dict[str, Any]] = {}


def _label_index(cls: type[_E]) -> dict[str, _E]:
    index = _LABEL_INDEX.get(cls)
    if index is None:
        index = _LABEL_INDEX[cls] = {_fold(m.label): m for m in cls}
    return index


#: What a vocabulary is called on a clerk's screen, for the messages of `CodedEnum.from_label`.
_VOCABULARY_ZH = {"Channel": "申请方式", "ApplicantType": "申请人类型", "Outcome": "办理结果"}


class CodedEnum(enum.Enum):
    """An enum whose value is a stable code and which carries a Chinese label."""

    label: str

    def __new__(cls, code: str, label: str) -> Self:
        obj = object.__new__(cls)
        obj._value_ = code
        obj.label = label
        return obj

    @property
    def code(self) -> str:
        """The stable storage code (same as ``value``)."""
        return str(self._value_)

    def __str__(self) -> str:
        return self.code

    @classmethod
    def from_code(cls, code: str, *, field: str | None = None) -> Self:
        """The member with that code, or a `ValidationError` listing the valid codes."""
        member = cls._value2member_map_.get(code) if isinstance(code, str) else None
        if member is not None:
            return cast(Self, member)
        valid = ", ".join(m.code for m in cls)
        raise ValidationError(
            f"未知的{cls.__name__}代码“{code}”，应为：{valid}",
            f"unknown {cls.__name__} code {code!r}; expected one of: {valid}",
            field=field,
            code="vocab.unknown_code",
        )

    @classmethod
    def from_label(
        cls, label: str, *, field: str | None = None, aliases: LabelAliases | None = None
    ) -> Self:
        """The member whose Chinese label, or one of its aliases, matches ``label``.

        Spaces, quotes, the punctuation 、，,.。, full-width and half-width forms and letter
        case are ignored. ``aliases`` are the accepted forms besides the official labels
        (`LabelAliases`; by default the shipped ones, `LabelAliases.default`;
        `LabelAliases.empty` for the official labels only).

        :raises ValidationError: ``vocab.unknown_label``, naming ``field`` and listing every
            accepted form, member by member.

        .. versionchanged:: 0.2.0 aliases (当面, 网上, 信函, 个人, 企业, 同意公开 …).
        """
        wanted = _fold(label) if isinstance(label, str) else ""
        member = _label_index(cls).get(wanted) if wanted else None
        if member is None and wanted:
            table = LabelAliases.default() if aliases is None else aliases
            member = table.lookup(cls, label)
        if member is not None:
            return member
        shown = LabelAliases.default() if aliases is None else aliases
        raise _unknown_label(cls, label, field, shown)

    @classmethod
    def from_text(
        cls, text: str, *, field: str | None = None, aliases: LabelAliases | None = None
    ) -> Self:
        """The member with that code, else with that label or alias (`from_label`): what an
        import reads from a cell that may hold either.

        .. versionadded:: 0.2.0
        """
        member = cls._value2member_map_.get(text.strip()) if isinstance(text, str) else None
        if member is not None:
            return cast(Self, member)
        return cls.from_label(text, field=field, aliases=aliases)


class DisclosureAttribute(CodedEnum):
    """公开属性, decided for every record at its source (国办发〔2016〕80号; 条例 art. 13)."""

    PROACTIVE = ("proactive", "主动公开")
    ON_REQUEST = ("on_request", "依申请公开")
    NOT_DISCLOSED = ("not_disclosed", "不予公开")


class DisclosureScope(CodedEnum):
    """How much of a record is disclosed (条例 art. 37 区分处理)."""

    FULL = ("full", "全文公开")
    PARTIAL = ("partial", "部分公开")
    REDACTED = ("redacted", "删减后公开")


class NonDisclosureReason(CodedEnum):
    """Lawful reasons for not disclosing proactively (条例 2019 arts. 14-16, 36(7)).

    ``article`` names the article; the reasons mirror table 三 rows (三)1-8 of the 2021 format,
    plus the on-request-only category for information that concerns specific persons.
    """

    article: str

    def __new__(cls, code: str, label: str, article: str = "") -> Self:
        obj = object.__new__(cls)
        obj._value_ = code
        obj.label = label
        obj.article = article
        return obj

    STATE_SECRET = ("state_secret", "属于国家秘密", "条例第十四条")
    PROHIBITED_BY_LAW = ("prohibited_by_law", "其他法律行政法规禁止公开", "条例第十四条")
    THREE_SECURITIES_ONE_STABILITY = (
        "three_securities",
        "危及“三安全一稳定”",
        "条例第十四条",
    )
    THIRD_PARTY_RIGHTS = ("third_party_rights", "保护第三方合法权益", "条例第十五条")
    INTERNAL_AFFAIRS = ("internal_affairs", "属于三类内部事务信息", "条例第十六条第一款")
    PROCESS_INFORMATION = ("process_information", "属于四类过程性信息", "条例第十六条第二款")
    ENFORCEMENT_CASE_FILE = ("enforcement_case_file", "属于行政执法案卷", "条例第十六条第二款")
    ADMINISTRATIVE_QUERY = ("administrative_query", "属于行政查询事项", "条例第三十六条第（七）项")
    SPECIFIC_PERSONS = (
        "specific_persons",
        "仅涉及特定对象、不宜主动公开（依申请公开）",
        "条例第十三条、第二十七条",
    )


class Channel(CodedEnum):
    """How an application was submitted; decides its receipt date (条例 2019 art. 31)."""

    IN_PERSON = ("in_person", "当面提交")
    POST = ("post", "邮寄（签收）")
    ORDINARY_LETTER = ("ordinary_letter", "平常信函等无需签收的邮件")
    ONLINE = ("online", "网络/在线")
    FAX = ("fax", "传真")
    EMAIL = ("email", "电子邮件")
    OTHER = ("other", "其他")

    @property
    def receipt_needs_confirmation(self) -> bool:
        """Whether the receipt date is the day of confirmation with the applicant (art. 31)."""
        # Asked for every application in every deadline computation: a set look-up of the code
        # (a str, hashed in C) rather than building a set of members (hashed by Python code).
        return self._value_ in _CONFIRMED_CHANNEL_CODES


_CONFIRMED_CHANNEL_CODES = frozenset(
    c.code for c in (Channel.ORDINARY_LETTER, Channel.ONLINE, Channel.FAX)
)


class ApplicantType(CodedEnum):
    """申请人情况: the columns of table 三 of the 2021 annual-report format."""

    NATURAL_PERSON = ("natural_person", "自然人")
    COMMERCIAL_ENTERPRISE = ("commercial_enterprise", "商业企业")
    RESEARCH_INSTITUTION = ("research_institution", "科研机构")
    PUBLIC_WELFARE_ORG = ("public_welfare_org", "社会公益组织")
    LEGAL_SERVICE_ORG = ("legal_service_org", "法律服务机构")
    OTHER_ORG = ("other_org", "其他")

    @property
    def is_organisation(self) -> bool:
        """True for the five 法人或其他组织 columns."""
        return self is not ApplicantType.NATURAL_PERSON


class OutcomeGroup(CodedEnum):
    """The numbered groups of table 三 row 三、本年度办理结果."""

    DISCLOSED = ("disclosed", "（一）予以公开")
    PARTIALLY_DISCLOSED = ("partially_disclosed", "（二）部分公开")
    NOT_DISCLOSED = ("not_disclosed", "（三）不予公开")
    UNABLE_TO_PROVIDE = ("unable_to_provide", "（四）无法提供")
    NOT_PROCESSED = ("not_processed", "（五）不予处理")
    OTHER = ("other", "（六）其他处理")


class Outcome(CodedEnum):
    """How an application ended: one member per leaf row of table 三 (2021 format).

    ``row`` is the row code of ../law/annual-report-2021.json (``R3_3_4``), ``group`` the
    numbered group, so the report is a pure count of outcomes.
    """

    row: str
    group: OutcomeGroup

    def __new__(cls, code: str, label: str, row: str = "", group: str = "") -> Self:
        obj = object.__new__(cls)
        obj._value_ = code
        obj.label = label
        obj.row = row
        obj.group = OutcomeGroup.from_code(group)
        return obj

    DISCLOSED = ("disclosed", "予以公开", "R3_1", "disclosed")
    PARTIALLY_DISCLOSED = (
        "partially_disclosed",
        "部分公开",
        "R3_2",
        "partially_disclosed",
    )
    STATE_SECRET = ("state_secret", "属于国家秘密", "R3_3_1", "not_disclosed")
    PROHIBITED_BY_LAW = ("prohibited_by_law", "其他法律行政法规禁止公开", "R3_3_2", "not_disclosed")
    THREE_SECURITIES_ONE_STABILITY = (
        "three_securities",
        "危及“三安全一稳定”",
        "R3_3_3",
        "not_disclosed",
    )
    THIRD_PARTY_RIGHTS = ("third_party_rights", "保护第三方合法权益", "R3_3_4", "not_disclosed")
    INTERNAL_AFFAIRS = ("internal_affairs", "属于三类内部事务信息", "R3_3_5", "not_disclosed")
    PROCESS_INFORMATION = ("process_information", "属于四类过程性信息", "R3_3_6", "not_disclosed")
    ENFORCEMENT_CASE_FILE = ("enforcement_case_file", "属于行政执法案卷", "R3_3_7", "not_disclosed")
    ADMINISTRATIVE_QUERY = ("administrative_query", "属于行政查询事项", "R3_3_8", "not_disclosed")
    NOT_HELD = ("not_held", "本机关不掌握相关政府信息", "R3_4_1", "unable_to_provide")
    NEEDS_CREATION = ("needs_creation", "没有现成信息需要另行制作", "R3_4_2", "unable_to_provide")
    UNCLEAR_AFTER_CORRECTION = (
        "unclear_after_correction",
        "补正后申请内容仍不明确",
        "R3_4_3",
        "unable_to_provide",
    )
    PETITION_OR_COMPLAINT = (
        "petition_or_complaint",
        "信访举报投诉类申请",
        "R3_5_1",
        "not_processed",
    )
    REPEATED = ("repeated", "重复申请", "R3_5_2", "not_processed")
    PUBLICATION_REQUESTED = (
        "publication_requested",
        "要求提供公开出版物",
        "R3_5_3",
        "not_processed",
    )
    EXCESSIVE = ("excessive", "无正当理由大量反复申请", "R3_5_4", "not_processed")
    CONFIRM_OR_REISSUE = (
        "confirm_or_reissue",
        "要求行政机关确认或重新出具已获取信息",
        "R3_5_5",
        "not_processed",
    )
    NO_CORRECTION = (
        "no_correction",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "R3_6_1",
        "other",
    )
    FEE_NOT_PAID = (
        "fee_not_paid",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "R3_6_2",
        "other",
    )
    OTHER = ("other", "其他", "R3_6_3", "other")

    @classmethod
    def from_row(cls, row: str) -> Outcome:
        """The outcome counted in table 三 row ``row`` (e.g. ``"R3_4_1"``)."""
        for member in cls:
            if member.row == row:
                return member
        raise ValidationError(
            f"表三没有结果行“{row}”",
            f"table 三 has no outcome row {row!r}",
            code="vocab.unknown_row",
        )


class DocumentKind(CodedEnum):
    """文种 relevant to the disclosure rules (条例 2019 art. 20(一))."""

    RULE = ("rule", "规章")
    NORMATIVE_DOCUMENT = ("normative_document", "行政规范性文件")
    POLICY_INTERPRETATION = ("policy_interpretation", "政策解读")
    PUNITIVE_NOTICE = ("punitive_notice", "行政处罚决定等惩戒类公告")
    OTHER = ("other", "其他公文")


class ReviewStatus(CodedEnum):
    """保密审查 state of a record before publication (条例 art. 17)."""

    PENDING = ("pending", "待审查")
    PASSED = ("passed", "审查通过")
    REJECTED = ("rejected", "审查未通过")


class ReviewDecision(CodedEnum):
    """What one step of a record's review decided (`govdisclose.model.ReviewStep`).

    ``ESCALATED`` is the 条例 2019 第十七条 case: a reviewer who cannot tell whether the
    information may be published refers it to the competent authority or the secrecy office
    (报有关主管部门或者保密行政管理部门确定); the step stays open until it is decided.
    ``RETURNED`` sends the record back to be revised (退回修改).
    """

    PASSED = ("passed", "通过")
    RETURNED = ("returned", "退回修改")
    ESCALATED = ("escalated", "报请确定")


class Validity(CodedEnum):
    """有效性 of a normative document, shown on every disclosure page."""

    VALID = ("valid", "有效")
    EXPIRED = ("expired", "失效")
    REPEALED = ("repealed", "废止")
    AMENDED = ("amended", "已修改")


class ReviewCaseKind(CodedEnum):
    """The three column groups of table 四."""

    RECONSIDERATION = ("reconsideration", "行政复议")
    LITIGATION_DIRECT = ("litigation_direct", "未经复议直接起诉")
    LITIGATION_AFTER_REVIEW = ("litigation_after_review", "复议后起诉")


class ReviewResult(CodedEnum):
    """Result columns of table 四 (尚未审结 is derived from a missing conclusion)."""

    UPHELD = ("upheld", "结果维持")
    CORRECTED = ("corrected", "结果纠正")
    OTHER = ("other", "其他结果")
    PENDING = ("pending", "尚未审结")


class AgencyLevel(CodedEnum):
    """行政层级 of an agency."""

    NATIONAL = ("national", "国家级")
    PROVINCIAL = ("provincial", "省级")
    CITY = ("city", "市级")
    COUNTY = ("county", "县级")
    TOWNSHIP = ("township", "乡镇级")


class AgencyKind(CodedEnum):
    """Whether an agency is a people's government or one of its departments (条例 art. 49)."""

    GOVERNMENT = ("government", "人民政府")
    DEPARTMENT = ("department", "政府部门")
    OTHER = ("other", "其他机关、单位")


class PublicationChannel(CodedEnum):
    """Where a record was published (条例 2019 art. 23-25)."""

    PORTAL = ("portal", "政府网站（政府信息公开专栏）")
    GAZETTE = ("gazette", "政府公报")
    NEW_MEDIA = ("new_media", "政务新媒体")
    PRESS_CONFERENCE = ("press_conference", "新闻发布会")
    READING_ROOM = ("reading_room", "政府信息公开查阅场所")
    OTHER = ("other", "其他")


class WithdrawalCause(CodedEnum):
    """Why an application was deemed abandoned (视为放弃申请)."""

    NO_CORRECTION = ("no_correction", "无正当理由逾期不补正")  # 条例 art. 30
    FEE_NOT_PAID = ("fee_not_paid", "逾期未缴纳信息处理费")  # 国办函〔2020〕109号


class FeeMethod(CodedEnum):
    """信息处理费 calculation methods; one per application, never both.

    国办函〔2020〕109号 art. 3.
    """

    PER_APPLICATION = ("per_application", "按件计收")  # art. 4
    PER_VOLUME = ("per_volume", "按量计收")  # art. 5


class InquiryKind(CodedEnum):
    """Kinds of public inquiry and complaint; their limits are local policy (seeds 000-004)."""

    GENERAL = ("general", "一般咨询")
    COMPLEX = ("complex", "复杂咨询")
    SPECIAL = ("special", "特殊咨询")
    COMPLAINT = ("complaint", "投诉")


class NoticeKind(CodedEnum):
    """The letters to the applicant, one per procedural step (stable codes)."""

    RECEIPT = ("receipt", "政府信息公开申请受理回执")
    CORRECTION = ("correction", "政府信息公开申请补正告知书")
    EXTENSION = ("extension", "政府信息公开申请延期答复告知书")
    THIRD_PARTY = ("third_party", "政府信息公开征求第三方意见书")
    FEE = ("fee", "政府信息公开信息处理费缴费通知书")
    REPLY = ("reply", "政府信息公开申请答复告知书")


class InternalOffice(CodedEnum):
    """An office inside the agency consulted on a draft reply (内部会商).

    Internal consultation is the agency's own work: unlike consulting a third party or another
    agency (条例 2019 第三十二条、第三十四条; the time is not counted, 第三十三条第三款), it does
    not stop the reply clock.
    """

    LEGAL = ("legal", "法制机构")
    SECRECY = ("secrecy", "保密工作机构")
    PETITION = ("petition", "信访工作机构")
    BUSINESS = ("business", "业务承办机构")
    OTHER = ("other", "其他内部机构")


# -- label aliases ------------------------------------------------------------------------------

#: What `LabelAliases.extended` takes: another `LabelAliases`, a mapping of the file's shape, or
#: the path of a TOML file.
LabelAliasSource: TypeAlias = "LabelAliases | Mapping[str, Any] | str | os.PathLike[str]"


def _aliased_enums() -> dict[str, type[CodedEnum]]:
    """The vocabularies of this module, by class name (the tables of an aliases file)."""
    found: dict[str, type[CodedEnum]] = {}
    for name in __all__:
        value = globals().get(name)
        if isinstance(value, type) and issubclass(value, CodedEnum) and value is not CodedEnum:
            found[name] = value
    return found


def _bad_aliases(source: str, where: str, zh: str, en: str) -> ValidationError:
    return ValidationError(
        f"别名表 {source} 的 {where} 有误：{zh}",
        f"label aliases {source}, {where}: {en}",
        field=where,
        code="vocab.bad_aliases",
    )


# One enum's aliases: folded form -> (member, the form as written).
_Table = Mapping[str, tuple[Any, str]]


class LabelAliases:
    """The forms, besides the official labels, that `CodedEnum.from_label` accepts.

    Read from data shaped as ``vocab_data/labels.toml``: one table per vocabulary (its class
    name: ``Channel``, ``ApplicantType``, ``Outcome`` …), one key per member code, the list of
    its forms::

        [Channel]
        online = ["12345热线转办", "微信公众号"]

    A form names one member only and may not be another member's official label (a file that
    says so is refused, `ValidationError` ``vocab.bad_aliases`` naming the table and key).
    `extended` lays a local office's file over these: its forms win over the shipped ones, so
    an office that means registered post by 信函 can say so.

    Immutable; equal when they accept the same forms for the same members.
    """

    __slots__ = ("_sources", "_tables")

    def __init__(
        self, tables: Mapping[type[CodedEnum], _Table] | None = None, sources: tuple[str, ...] = ()
    ) -> None:
        self._tables: dict[type[CodedEnum], _Table] = dict(tables or {})
        self._sources = sources

    def __repr__(self) -> str:
        counts = ", ".join(f"{cls.__name__}={len(t)}" for cls, t in self._tables.items())
        return f"<LabelAliases {counts or 'empty'} from {', '.join(self._sources) or '-'}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LabelAliases):
            return NotImplemented
        return self._mapping() == other._mapping()

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._mapping().items())))

    def _mapping(self) -> dict[tuple[str, str], str]:
        return {
            (cls.__name__, form): member.code
            for cls, table in self._tables.items()
            for form, (member, _) in table.items()
        }

    @property
    def sources(self) -> tuple[str, ...]:
        """Where the forms came from (file names, ``"mapping"``), in the order laid over."""
        return self._sources

    @classmethod
    def empty(cls) -> LabelAliases:
        """No aliases: `CodedEnum.from_label` then accepts the official labels only."""
        return cls()

    @classmethod
    def default(cls) -> LabelAliases:
        """The shipped forms (``govdisclose/vocab_data/labels.toml``), read once."""
        return _default_aliases()

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> LabelAliases:
        """The aliases of one TOML file alone (lay them over the shipped ones with
        ``LabelAliases.default().extended(path)``).

        :raises ValidationError: ``vocab.bad_aliases``: a file that cannot be read, is not
            TOML, or names an unknown vocabulary, member or a conflicting form.
        """
        where = Path(path)
        try:
            data = tomllib.loads(where.read_text("utf-8"))
        except (OSError, UnicodeDecodeError) as err:
            reason = getattr(err, "strerror", None) or str(err)
            zh, en = f"无法读取：{reason}", f"cannot read: {reason}"
            raise _bad_aliases(str(where), "file", zh, en) from None
        except tomllib.TOMLDecodeError as err:
            zh, en = f"不是有效的 TOML：{err}", f"not TOML: {err}"
            raise _bad_aliases(str(where), "file", zh, en) from None
        return cls.from_mapping(data, source=where.name)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "mapping") -> LabelAliases:
        """The aliases of a mapping shaped as the file (``{"Channel": {"online": [...]}}``)."""
        if not isinstance(data, Mapping):
            raise _bad_aliases(source, "$", "应为表（映射）", "must be a table (a mapping)")
        enums = _aliased_enums()
        tables: dict[type[CodedEnum], dict[str, tuple[Any, str]]] = {}
        for name, table in data.items():
            if name in ("version", "source"):
                if not isinstance(table, str):
                    raise _bad_aliases(source, name, "应为字符串", "must be a string")
                continue
            enum_cls = enums.get(name)
            if enum_cls is None:
                known = ", ".join(enums)
                raise _bad_aliases(
                    source, name, f"没有名为 {name} 的词表，应为：{known}",
                    f"no vocabulary named {name!r}; expected one of: {known}",
                )  # fmt: skip
            if not isinstance(table, Mapping):
                raise _bad_aliases(
                    source, name, "应为“成员代码 = [别名…]”的表", "must be a table code = [forms]"
                )
            tables[enum_cls] = cls._table(enum_cls, table, source)
        return cls(tables, (source,))

    @staticmethod
    def _table(
        enum_cls: type[CodedEnum], table: Mapping[str, Any], source: str
    ) -> dict[str, tuple[Any, str]]:
        name = enum_cls.__name__
        official = _label_index(enum_cls)
        out: dict[str, tuple[Any, str]] = {}
        for code, forms in table.items():
            where = f"{name}.{code}"
            try:
                member = enum_cls.from_code(code, field=where)
            except ValidationError as err:
                raise _bad_aliases(source, where, err.message_zh, err.message_en) from None
            if not isinstance(forms, list | tuple) or not all(isinstance(f, str) for f in forms):
                raise _bad_aliases(
                    source, where, "应为字符串列表", "must be a list of strings"
                )  # fmt: skip
            for i, form in enumerate(forms):
                key = _fold(form)
                here = f"{where}[{i}]"
                if not key:
                    raise _bad_aliases(source, here, "别名为空", "the form is empty")
                owner = official.get(key)
                if owner is not None and owner is not member:
                    raise _bad_aliases(
                        source, here,
                        f"“{form}”是“{owner.label}”（{owner.code}）的正式名称，不能指向 {code}",
                        f"{form!r} is the official label of {owner.code}; it cannot mean {code}",
                    )  # fmt: skip
                taken = out.get(key)
                if taken is not None and taken[0] is not member:
                    raise _bad_aliases(
                        source, here,
                        f"“{form}”已指向 {taken[0].code}，不能同时指向 {code}",
                        f"{form!r} already means {taken[0].code}; it cannot also mean {code}",
                    )  # fmt: skip
                if owner is None:
                    out[key] = (member, form.strip())
        return out

    def extended(self, source: LabelAliasSource) -> Self:
        """These aliases with ``source``'s laid over them (its forms win where both have one).

        ``source`` is another `LabelAliases`, a mapping of the file's shape, or a TOML path.
        """
        if isinstance(source, LabelAliases):
            other = source
        elif isinstance(source, Mapping):
            other = LabelAliases.from_mapping(source)
        else:
            other = LabelAliases.load(source)
        tables: dict[type[CodedEnum], _Table] = dict(self._tables)
        for enum_cls, table in other._tables.items():
            tables[enum_cls] = {**tables.get(enum_cls, {}), **table}
        return type(self)(tables, self._sources + other._sources)

    def lookup(self, enum_cls: type[_E], text: str) -> _E | None:
        """The member of ``enum_cls`` that ``text`` is an alias of (folded), else `None`."""
        table = self._tables.get(enum_cls)
        if not table or not isinstance(text, str):
            return None
        found = table.get(_fold(text))
        return None if found is None else cast(_E, found[0])

    def forms(self, member: CodedEnum) -> tuple[str, ...]:
        """The aliases of ``member``, as written in their files (official label not included)."""
        table = self._tables.get(type(member), {})
        return tuple(form for m, form in table.values() if m is member)


@functools.cache
def _default_aliases() -> LabelAliases:
    text = resources.files("govdisclose").joinpath("vocab_data/labels.toml").read_text("utf-8")
    return LabelAliases.from_mapping(tomllib.loads(text), source="labels.toml")


def _unknown_label(
    cls: type[CodedEnum], label: object, field: str | None, aliases: LabelAliases
) -> ValidationError:
    """``vocab.unknown_label``: the field, the text and every accepted form, member by member."""
    parts_zh, parts_en = [], []
    for m in cls:
        extra = aliases.forms(m)
        parts_zh.append(f"{m.label}（{'、'.join(extra)}）" if extra else m.label)
        parts_en.append(f"{m.label} ({', '.join(extra)})" if extra else m.label)
    name_zh = _VOCABULARY_ZH.get(cls.__name__, cls.__name__)
    where_zh = f"（字段 {field}）" if field else ""
    where_en = f" (field {field})" if field else ""
    return ValidationError(
        f"无法识别的{name_zh}“{label}”{where_zh}，应为：{'；'.join(parts_zh)}",
        f"unknown {cls.__name__} label {label!r}{where_en}; accepted: {'; '.join(parts_en)}",
        field=field,
        code="vocab.unknown_label",
    )
