"""Pre-2019 reply categories onto the 2021 table 三, with the ambiguities reported."""

from __future__ import annotations

import pytest

from govdisclose.errors import ReportError
from govdisclose.report import format_for_year
from govdisclose.report.legacy import (
    MAPPING,
    REFUSAL_MAPPING,
    LegacyCategory,
    LegacyRefusalReason,
    LegacyReplyTable,
    convert,
)

C, R = LegacyCategory, LegacyRefusalReason

# Seed 004: 新乡市 2015 report (city departments and counties together). 84 applications,
# all answered within the year ("已全部在法定时限内办理完毕"), so none carried forward, and as
# 受理 84 = 答复 84, none can have been carried over either.
XINXIANG_2015 = LegacyReplyTable(
    replies={
        C.ALREADY_PUBLIC: 12,
        C.AGREED: 54,
        C.REFUSED: 7,
        C.NOT_THIS_AGENCY: 5,
        C.CHANGE_OR_SUPPLEMENT: 3,
        C.OTHER_ROUTE: 3,
    },
    refusal_reasons={
        R.STATE_SECRET: 1,
        R.COMMERCIAL_SECRET: 1,
        R.PRIVACY: 1,
        R.NOT_GOVERNMENT_INFO: 4,
    },
    received=84,
    carried_over=0,
    carried_forward=0,
)


def test_every_category_is_mapped() -> None:
    assert set(MAPPING) == set(LegacyCategory)
    assert set(REFUSAL_MAPPING) == set(LegacyRefusalReason)
    assert C.from_label("同意公开") is C.AGREED
    assert R.from_label("不是《条例》所指政府信息") is R.NOT_GOVERNMENT_INFO


def test_seed_004_conversion() -> None:
    conv = convert(XINXIANG_2015)
    t3 = conv.table3
    assert t3.r1.total == 84
    assert t3.r2.total == 0
    assert t3.r4.total == 0
    assert t3.r3_7.total == 84  # 12 + 54 + 7 + 5 + 3 + 3
    # clear: 国家秘密 1 -> (三)1; 商业秘密 + 个人隐私 -> (三)4 保护第三方合法权益
    assert t3.r3_3_1.total == 1
    assert t3.r3_3_4.total == 2
    assert t3.r3_2.total == 0  # 同意部分公开 absent: no partial disclosures
    # 已主动公开 + 同意公开 = 66 would be (一), but 告知通过其他途径办理 may be (一) too
    assert t3.r3_1.total is None
    assert ("R3_1", 66) in conv.lower_bounds
    # 不属于本行政机关公开 5 -> (四)1, but 不是政府信息 may also be (四)1
    assert t3.r3_4_1.total is None
    assert ("R3_4_1", 5) in conv.lower_bounds
    assert [(a.category, a.count) for a in conv.ambiguities] == [
        ("not_government_info", 4),
        ("change_or_supplement", 3),
        ("other_route", 3),
    ]
    assert not conv.is_complete
    # applicant columns did not exist before 2019
    assert t3.r1.natural_person is None


def test_resolving_the_ambiguities() -> None:
    conv = convert(
        XINXIANG_2015,
        resolutions={
            "not_government_info": {"R3_5_1": 4},
            "change_or_supplement": {"R3_6_1": 3},
            "other_route": {"R3_1": 1, "R3_5_3": 2},
        },
    )
    assert conv.is_complete
    assert conv.lower_bounds == ()
    t3 = conv.table3
    assert t3.r3_1.total == 67
    assert t3.r3_4_1.total == 5
    assert t3.r3_5_1.total == 4
    assert t3.r3_5_3.total == 2
    assert t3.r3_6_1.total == 3
    leaves = format_for_year(2021).table("T3").leaf_result_rows
    assert sum(t3.row(r).total or 0 for r in leaves) == t3.r3_7.total == 84


def test_refusals_without_reasons_are_ambiguous() -> None:
    conv = convert(LegacyReplyTable(replies={C.REFUSED: 2, C.PARTIALLY_AGREED: 1}))
    assert [a.candidate_rows for a in conv.ambiguities] == [MAPPING[C.REFUSED]]
    assert conv.table3.r3_3_1.total is None
    assert conv.table3.r3_2.total == 1
    assert conv.table3.r1.total is None  # not stated


def test_bad_input() -> None:
    with pytest.raises(ReportError, match="add up"):
        convert(LegacyReplyTable(replies={C.REFUSED: 2}, refusal_reasons={R.PRIVACY: 1}))
    with pytest.raises(ReportError, match="candidate rows"):
        convert(XINXIANG_2015, resolutions={"other_route": {"R4": 3}})
    with pytest.raises(ReportError, match="candidate rows"):
        convert(XINXIANG_2015, resolutions={"other_route": {"R3_1": 2}})
    with pytest.raises(ReportError, match="not in the table"):
        convert(XINXIANG_2015, resolutions={"refused": {"R3_3_1": 7}})
