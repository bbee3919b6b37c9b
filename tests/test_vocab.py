"""Controlled vocabularies: stable codes, official labels, lenient label lookup."""

from __future__ import annotations

import pytest

from govdisclose import vocab
from govdisclose.errors import ValidationError
from govdisclose.lifecycle import ApplicationStatus
from govdisclose.vocab import (
    ApplicantType,
    Channel,
    CodedEnum,
    NonDisclosureReason,
    Outcome,
    OutcomeGroup,
)

# Every stored code, per enum. These strings are in databases and JSON files of deployed OA
# systems: a code that disappears from here breaks stored data. Add new codes, never change one.
CODES: dict[str, set[str]] = {
    "AgencyKind": {"government", "department", "other"},
    "AgencyLevel": {"national", "provincial", "city", "county", "township"},
    "ApplicantType": {
        "natural_person",
        "commercial_enterprise",
        "research_institution",
        "public_welfare_org",
        "legal_service_org",
        "other_org",
    },
    "Channel": {"in_person", "post", "ordinary_letter", "online", "fax", "email", "other"},
    "DisclosureAttribute": {"proactive", "on_request", "not_disclosed"},
    "DisclosureScope": {"full", "partial", "redacted"},
    "DocumentKind": {
        "rule",
        "normative_document",
        "policy_interpretation",
        "punitive_notice",
        "other",
    },
    "FeeMethod": {"per_application", "per_volume"},
    "InquiryKind": {"general", "complex", "special", "complaint"},
    "NonDisclosureReason": {
        "state_secret",
        "prohibited_by_law",
        "three_securities",
        "third_party_rights",
        "internal_affairs",
        "process_information",
        "enforcement_case_file",
        "administrative_query",
        "specific_persons",
    },
    "Outcome": {
        "disclosed",
        "partially_disclosed",
        "state_secret",
        "prohibited_by_law",
        "three_securities",
        "third_party_rights",
        "internal_affairs",
        "process_information",
        "enforcement_case_file",
        "administrative_query",
        "not_held",
        "needs_creation",
        "unclear_after_correction",
        "petition_or_complaint",
        "repeated",
        "publication_requested",
        "excessive",
        "confirm_or_reissue",
        "no_correction",
        "fee_not_paid",
        "other",
    },
    "OutcomeGroup": {
        "disclosed",
        "partially_disclosed",
        "not_disclosed",
        "unable_to_provide",
        "not_processed",
        "other",
    },
    "PublicationChannel": {
        "portal",
        "gazette",
        "new_media",
        "press_conference",
        "reading_room",
        "other",
    },
    "ReviewCaseKind": {"reconsideration", "litigation_direct", "litigation_after_review"},
    "ReviewResult": {"upheld", "corrected", "other", "pending"},
    "ReviewStatus": {"pending", "passed", "rejected"},
    "ReviewDecision": {"passed", "returned", "escalated"},
    "Validity": {"valid", "expired", "repealed", "amended"},
    "WithdrawalCause": {"no_correction", "fee_not_paid"},
    "InternalOffice": {"legal", "secrecy", "petition", "business", "other"},
    "NoticeKind": {"receipt", "correction", "extension", "third_party", "fee", "reply"},
}

STATUS_CODES = {
    "new",
    "processing",
    "awaiting_correction",
    "consulting",
    "awaiting_fee",
    "closed",
    "archived",
}

ENUMS: list[type[CodedEnum]] = [
    value
    for name in vocab.__all__
    if isinstance(value := getattr(vocab, name), type)
    and issubclass(value, CodedEnum)
    and value is not CodedEnum
] + [ApplicationStatus]

# The 21 leaf result rows of table 三 of the 2021 annual-report format (国办公开办函〔2021〕30号),
# as printed: row code and label. Source: 国办公开办函〔2021〕30号 附件 (the table as reprinted,
# e.g. zrzy.smx.gov.cn/16903/616589856/1288675.html), checked against reports filed in that
# format (www.lg.gov.cn/xxgk/xxgknb/qzfgzbm/content/post_11956962.html, 2024 data;
# www.jiuyuanqu.gov.cn/ztbm1/51391.html, 2022 data).
TABLE_3_LEAF_ROWS: list[tuple[str, str]] = [
    ("R3_1", "（一）予以公开"),
    ("R3_2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("R3_3_1", "1.属于国家秘密"),
    ("R3_3_2", "2.其他法律行政法规禁止公开"),
    ("R3_3_3", "3.危及“三安全一稳定”"),
    ("R3_3_4", "4.保护第三方合法权益"),
    ("R3_3_5", "5.属于三类内部事务信息"),
    ("R3_3_6", "6.属于四类过程性信息"),
    ("R3_3_7", "7.属于行政执法案卷"),
    ("R3_3_8", "8.属于行政查询事项"),
    ("R3_4_1", "1.本机关不掌握相关政府信息"),
    ("R3_4_2", "2.没有现成信息需要另行制作"),
    ("R3_4_3", "3.补正后申请内容仍不明确"),
    ("R3_5_1", "1.信访举报投诉类申请"),
    ("R3_5_2", "2.重复申请"),
    ("R3_5_3", "3.要求提供公开出版物"),
    ("R3_5_4", "4.无正当理由大量反复申请"),
    ("R3_5_5", "5.要求行政机关确认或重新出具已获取信息"),
    ("R3_6_1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("R3_6_2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("R3_6_3", "3.其他"),
]

# The group each row prefix belongs to (the numbered groups （一）-（六）).
GROUP_OF_PREFIX = {
    "R3_1": "disclosed",
    "R3_2": "partially_disclosed",
    "R3_3": "not_disclosed",
    "R3_4": "unable_to_provide",
    "R3_5": "not_processed",
    "R3_6": "other",
}

# R3_2 carries a counting note in the printed label; the outcome's label is the term itself.
COUNTING_NOTE = "（区分处理的，只计这一情形，不计其他情形）"


def _without_prefix(label: str) -> str:
    """The row label without its numbering: "（一）", "1." and the counting note."""
    numbered = label.startswith("（")
    term = label[label.index("）") + 1 :] if numbered else label.split(".", 1)[1]
    return term.removesuffix(COUNTING_NOTE)


def test_every_enum_is_snapshotted() -> None:
    """The snapshot covers every enum in `govdisclose.vocab`."""
    assert {e.__name__ for e in ENUMS} == set(CODES) | {"ApplicationStatus"}


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_codes_stable(enum: type[CodedEnum]) -> None:
    """No stored code disappears or changes; new codes must be added to the snapshot."""
    snapshot = STATUS_CODES if enum is ApplicationStatus else CODES[enum.__name__]
    current = {m.code for m in enum}
    assert snapshot - current == set(), f"stored codes removed or renamed in {enum.__name__}"
    assert current == snapshot, f"new codes in {enum.__name__}: add them to the snapshot"


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_codes_and_labels_well_formed(enum: type[CodedEnum]) -> None:
    """Codes are unique lower-case identifiers; labels are non-empty and unique."""
    members = list(enum)
    codes = [m.code for m in members]
    assert len(set(codes)) == len(codes) == len(enum.__members__), "aliases hide members"
    for m in members:
        assert m.code == m.value == str(m)
        assert m.code.isascii()
        assert m.code == m.code.lower()
        assert m.code.replace("_", "").isalpha()
        assert m.label.strip() == m.label
        assert m.label
    labels = [m.label for m in members]
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_from_code_and_from_label_round_trip(enum: type[CodedEnum]) -> None:
    """Every member is found by its code and by its label."""
    for m in enum:
        assert enum.from_code(m.code) is m
        assert enum.from_label(m.label) is m


@pytest.mark.parametrize("bad", ["DISCLOSED", "Disclosed", " disclosed", "予以公开", "", 5, None])
def test_from_code_is_exact(bad: object) -> None:
    """Codes match exactly (no case folding, no labels, no non-strings)."""
    with pytest.raises(ValidationError) as info:
        Outcome.from_code(bad, field="outcome")  # type: ignore[arg-type]
    err = info.value
    assert err.code == "vocab.unknown_code"
    assert err.field == "outcome"
    assert "fee_not_paid" in err.message_en
    assert "Outcome" in err.message_zh


@pytest.mark.parametrize(
    ("label", "member"),
    [
        ('危及"三安全一稳定"', Outcome.THREE_SECURITIES_ONE_STABILITY),
        ("危及‘三安全一稳定’", Outcome.THREE_SECURITIES_ONE_STABILITY),
        ("危及三安全一稳定", Outcome.THREE_SECURITIES_ONE_STABILITY),
        (
            "申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请",
            Outcome.NO_CORRECTION,
        ),
        (
            "申请人逾期未按收费通知要求缴纳费用,行政机关不再处理其政府信息公开申请",
            Outcome.FEE_NOT_PAID,
        ),
        (" 本机关不掌握 相关政府信息\u3000", Outcome.NOT_HELD),
        ("予以公开。", Outcome.DISCLOSED),
    ],
)
def test_from_label_is_lenient(label: str, member: Outcome) -> None:
    """Quotes, commas, full stops and spaces vary on published pages and are ignored."""
    assert Outcome.from_label(label) is member


def test_from_label_half_width_brackets() -> None:
    """Half-width brackets match the full-width ones of the official labels."""
    assert OutcomeGroup.from_label("(三)不予公开") is OutcomeGroup.NOT_DISCLOSED
    assert Channel.from_label("邮寄(签收)") is Channel.POST


def test_from_label_unknown() -> None:
    """An unknown label is a ValidationError listing the valid labels."""
    with pytest.raises(ValidationError) as info:
        Outcome.from_label("已办结", field="row")
    err = info.value
    assert err.code == "vocab.unknown_label"
    assert err.field == "row"
    assert "予以公开" in err.message_zh


def test_outcome_covers_exactly_the_leaf_rows() -> None:
    """One outcome per leaf row of table 三, no more and no less."""
    assert len(TABLE_3_LEAF_ROWS) == 21
    assert [o.row for o in Outcome] == [row for row, _ in TABLE_3_LEAF_ROWS]


@pytest.mark.parametrize(
    ("row", "printed"), TABLE_3_LEAF_ROWS, ids=[r for r, _ in TABLE_3_LEAF_ROWS]
)
def test_outcome_labels_match_the_format(row: str, printed: str) -> None:
    """Each outcome's label is the printed row label without its numbering."""
    outcome = Outcome.from_row(row)
    assert outcome.label == _without_prefix(printed)
    assert outcome.group.code == GROUP_OF_PREFIX[row[:4]]
    assert Outcome.from_label(_without_prefix(printed)) is outcome


def test_from_row_unknown() -> None:
    """Group rows and totals are not outcomes."""
    for row in ("R3", "R3_3", "R3_7", "R4", "r3_1"):
        with pytest.raises(ValidationError) as info:
            Outcome.from_row(row)
        assert info.value.code == "vocab.unknown_row"


def test_outcome_group_labels() -> None:
    """The groups carry the printed numbered labels （一）-（六）."""
    assert [g.label for g in OutcomeGroup] == [
        "（一）予以公开",
        "（二）部分公开",
        "（三）不予公开",
        "（四）无法提供",
        "（五）不予处理",
        "（六）其他处理",
    ]


def test_non_disclosure_reasons_mirror_table_3() -> None:
    """The eight reasons of table 三 (三)1-8 share codes and labels with their outcomes."""
    for reason in NonDisclosureReason:
        assert reason.article.startswith("条例第")
        if reason is NonDisclosureReason.SPECIFIC_PERSONS:
            continue
        outcome = Outcome.from_code(reason.code)
        assert outcome.group is OutcomeGroup.NOT_DISCLOSED
        assert outcome.label == reason.label


def test_channels_needing_confirmation() -> None:
    """条例 2019 art. 31: ordinary letters, internet and fax count from the confirmation."""
    assert {c for c in Channel if c.receipt_needs_confirmation} == {
        Channel.ORDINARY_LETTER,
        Channel.ONLINE,
        Channel.FAX,
    }


def test_applicant_columns() -> None:
    """Table 三 columns: one natural-person column and five organisation columns."""
    assert [t.is_organisation for t in ApplicantType] == [False, True, True, True, True, True]
    assert [t.label for t in ApplicantType] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]


def test_status_is_open() -> None:
    """Codes of the derived status also stay stable (hosts display and filter by them)."""
    assert {s.code for s in ApplicationStatus if s.is_open} == {
        "processing",
        "awaiting_correction",
        "consulting",
        "awaiting_fee",
    }
