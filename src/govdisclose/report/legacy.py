"""Pre-2019 reply statistics mapped onto the rows of the 2021 table 三, ambiguities named.

Before the uniform formats, annual reports (2008 条例 第三十二条) counted replies in
categories such as these (seed 004, 新乡市 2015: 已主动公开 12, 同意公开 54,
不同意公开 7, 不属于本行政机关公开 5, 告知作出更改补充 3, 告知通过其他途径办理 3;
the refusals split into 涉及国家秘密, 涉及商业秘密, 涉及个人隐私 and
不是《条例》所指政府信息). 同意部分公开, 申请信息不存在, 危及“三安全一稳定” and
法律法规规定的其他情形 complete the usual list of that period [from memory of the common
statistics table, not in the seeds]. Old tables had no applicant-type columns, so only the
总计 column of the 2021 table can be filled.

The mapping (`MAPPING`): a category is either *clear* (one 2021 row) or *ambiguous* (several
candidate rows, and nothing in the old table says which). Ambiguous counts are never guessed:
`convert` leaves every candidate row blank and reports a `LegacyAmbiguity` (with what is known
for certain about each blank row as a lower bound), unless the caller resolves it explicitly.

Ambiguous categories and why:

* 不同意公开 without its reasons: any of (三)1-8.
* 不是《条例》所指政府信息 (a refusal reason): the 2019 条例 names no such ground; such
  applications are now 内部事务 / 过程性信息 / 执法案卷 ((三)5-7), 本机关不掌握 ((四)1),
  信访举报投诉类 ((五)1) or 确认/重新出具 ((五)5).
* 告知作出更改补充: under the 2019 条例 a correction notice does not close an application
  (第三十条); it ended as 补正后仍不明确 ((四)3) or 逾期不补正 ((六)1).
* 告知通过其他途径办理: already public elsewhere ((一)), a 行政查询事项 ((三)8),
  a petition or complaint ((五)1), a publication ((五)3) or other ((六)3).

法律法规规定的其他情形 is mapped to (三)2 其他法律行政法规禁止公开, the nearest wording.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from attrs import field, frozen

from govdisclose.errors import ReportError
from govdisclose.report.format import FORMAT_2021, format_by_id
from govdisclose.report.schema import ApplicantCounts, Table3
from govdisclose.vocab import CodedEnum

__all__ = [
    "MAPPING",
    "REFUSAL_MAPPING",
    "LegacyAmbiguity",
    "LegacyCategory",
    "LegacyConversion",
    "LegacyRefusalReason",
    "LegacyReplyTable",
    "convert",
]


class LegacyCategory(CodedEnum):
    """答复类型 of the pre-2019 annual reports."""

    ALREADY_PUBLIC = ("already_public", "属于已主动公开范围")
    AGREED = ("agreed", "同意公开")
    PARTIALLY_AGREED = ("partially_agreed", "同意部分公开")
    REFUSED = ("refused", "不同意公开")
    NOT_THIS_AGENCY = ("not_this_agency", "不属于本行政机关公开")
    NOT_EXIST = ("not_exist", "申请信息不存在")
    CHANGE_OR_SUPPLEMENT = ("change_or_supplement", "告知作出更改补充")
    OTHER_ROUTE = ("other_route", "告知通过其他途径办理")


class LegacyRefusalReason(CodedEnum):
    """不同意公开的类别 of the pre-2019 annual reports (2008 条例 第十四条 etc.)."""

    STATE_SECRET = ("state_secret", "涉及国家秘密")
    COMMERCIAL_SECRET = ("commercial_secret", "涉及商业秘密")
    PRIVACY = ("privacy", "涉及个人隐私")
    SECURITY_STABILITY = ("security_stability", "危及国家安全、公共安全、经济安全和社会稳定")
    NOT_GOVERNMENT_INFO = ("not_government_info", "不是《条例》所指政府信息")
    OTHER_LEGAL = ("other_legal", "法律法规规定的其他情形")


#: Legacy category -> the 2021 table-三 rows it may belong to (one row: a clear mapping).
MAPPING: Mapping[LegacyCategory, tuple[str, ...]] = {
    LegacyCategory.ALREADY_PUBLIC: ("R3_1",),  # 条例 2019 第三十六条第（一）项
    LegacyCategory.AGREED: ("R3_1",),  # 第三十六条第（二）项
    LegacyCategory.PARTIALLY_AGREED: ("R3_2",),  # 第三十七条
    LegacyCategory.REFUSED: (
        "R3_3_1",
        "R3_3_2",
        "R3_3_3",
        "R3_3_4",
        "R3_3_5",
        "R3_3_6",
        "R3_3_7",
        "R3_3_8",
    ),
    LegacyCategory.NOT_THIS_AGENCY: ("R3_4_1",),  # 第三十六条第（五）项
    LegacyCategory.NOT_EXIST: ("R3_4_1",),  # 第三十六条第（四）项
    LegacyCategory.CHANGE_OR_SUPPLEMENT: ("R3_4_3", "R3_6_1"),  # 第三十条
    LegacyCategory.OTHER_ROUTE: ("R3_1", "R3_3_8", "R3_5_1", "R3_5_3", "R3_6_3"),
}

#: Refusal reason -> candidate rows (used when the reasons of 不同意公开 are given).
REFUSAL_MAPPING: Mapping[LegacyRefusalReason, tuple[str, ...]] = {
    LegacyRefusalReason.STATE_SECRET: ("R3_3_1",),  # 第十四条
    LegacyRefusalReason.COMMERCIAL_SECRET: ("R3_3_4",),  # 第十五条
    LegacyRefusalReason.PRIVACY: ("R3_3_4",),  # 第十五条
    LegacyRefusalReason.SECURITY_STABILITY: ("R3_3_3",),  # 第十四条
    LegacyRefusalReason.NOT_GOVERNMENT_INFO: (
        "R3_3_5",
        "R3_3_6",
        "R3_3_7",
        "R3_4_1",
        "R3_5_1",
        "R3_5_5",
    ),
    LegacyRefusalReason.OTHER_LEGAL: ("R3_3_2",),
}

_WHY: Mapping[str, tuple[str, str]] = {
    LegacyCategory.REFUSED.code: (
        "未给出不同意公开的具体理由，无法分入（三）1-8",
        "no reasons given for the refusals; they cannot be split into (三)1-8",
    ),
    LegacyRefusalReason.NOT_GOVERNMENT_INFO.code: (
        "2019年条例没有“不是政府信息”这一理由，可能属于（三）5-7、（四）1、（五）1或（五）5",
        "the 2019 regulation has no 'not government information' ground; it may be (三)5-7, "
        "(四)1, (五)1 or (五)5",
    ),
    LegacyCategory.CHANGE_OR_SUPPLEMENT.code: (
        "补正告知不是办结方式（条例第三十条），最终可能是（四）3补正后仍不明确或（六）1逾期不补正",
        "a correction notice does not close an application (art. 30); it ended as (四)3 or (六)1",
    ),
    LegacyCategory.OTHER_ROUTE.code: (
        "告知通过其他途径办理，可能是（一）已公开、（三）8行政查询、（五）1信访举报、（五）3出版物或（六）3其他",
        "told to use another route: (一) already public, (三)8 query, (五)1 petition, "
        "(五)3 publication or (六)3 other",
    ),
}


def _counts(value: Mapping[LegacyCategory, int]) -> tuple[tuple[LegacyCategory, int], ...]:
    order = list(LegacyCategory)
    return tuple(sorted(value.items(), key=lambda kv: order.index(kv[0])))


def _reasons(
    value: Mapping[LegacyRefusalReason, int] | None,
) -> tuple[tuple[LegacyRefusalReason, int], ...] | None:
    if value is None:
        return None
    order = list(LegacyRefusalReason)
    return tuple(sorted(value.items(), key=lambda kv: order.index(kv[0])))


def _resolutions(
    value: Mapping[str, Mapping[str, int]],
) -> tuple[tuple[str, tuple[tuple[str, int], ...]], ...]:
    return tuple(sorted((k, tuple(sorted(v.items()))) for k, v in value.items()))


@frozen
class LegacyReplyTable:
    """The application statistics of one pre-2019 report.

    :param replies: count per reply category (答复情况).
    :param refusal_reasons: the split of 不同意公开 by reason, if the report gives it.
    :param received: 受理申请数 (→ row 一 总计); ``carried_over`` / ``carried_forward`` only
        if the report states them (old reports usually did not).
    """

    replies: tuple[tuple[LegacyCategory, int], ...] = field(converter=_counts)
    refusal_reasons: tuple[tuple[LegacyRefusalReason, int], ...] | None = field(
        default=None, converter=_reasons
    )
    received: int | None = None
    carried_over: int | None = None
    carried_forward: int | None = None


@frozen
class LegacyAmbiguity:
    """A legacy count that could belong to several 2021 rows; those rows were left blank."""

    category: str
    label: str
    count: int
    candidate_rows: tuple[str, ...]
    explanation_zh: str
    explanation_en: str


@frozen
class LegacyConversion:
    """The result of `convert`: a 2021-layout table 三 (总计 column only) and what is unsure.

    ``lower_bounds`` gives, for each row left blank, the count known for certain to be in it.
    """

    table3: Table3
    ambiguities: tuple[LegacyAmbiguity, ...]
    lower_bounds: tuple[tuple[str, int], ...]

    @property
    def is_complete(self) -> bool:
        """True when nothing was ambiguous: every result row is filled."""
        return not self.ambiguities


def convert(
    table: LegacyReplyTable,
    *,
    resolutions: Mapping[str, Mapping[str, int]] | None = None,
) -> LegacyConversion:
    """Map a pre-2019 reply table onto the 2021 table 三 (总计 column).

    :param resolutions: the caller's own split of an ambiguous category or refusal reason, by
        its code: ``{"other_route": {"R3_5_3": 2, "R3_1": 1}}``. Each split must use candidate
        rows of that category and add up to its count.
    :raises ReportError: refusal reasons that do not add up to 不同意公开, or a bad resolution.
    """
    replies = dict(table.replies)
    resolved = {k: dict(v) for k, v in _resolutions(resolutions or {})}
    # (code, label, count, candidates) for every source of counts
    sources: list[tuple[str, str, int, tuple[str, ...]]] = []
    for cat, n in replies.items():
        if cat is LegacyCategory.REFUSED and table.refusal_reasons is not None:
            split = sum(c for _, c in table.refusal_reasons)
            if split != n:
                raise ReportError(
                    f"不同意公开的分类合计（{split}）与不同意公开数（{n}）不一致",
                    f"the refusal reasons add up to {split}, not to the {n} refusals",
                    field="refusal_reasons",
                    code="report.legacy_refusals",
                )
            for reason, c in table.refusal_reasons:
                sources.append((reason.code, reason.label, c, REFUSAL_MAPPING[reason]))
            continue
        sources.append((cat.code, cat.label, n, MAPPING[cat]))
    unknown = set(resolved) - {code for code, *_ in sources}
    if unknown:
        raise ReportError(
            f"无法对表中没有的类别作出分配：{', '.join(sorted(unknown))}",
            f"resolutions for categories not in the table: {', '.join(sorted(unknown))}",
            field="resolutions",
            code="report.legacy_resolution",
        )
    certain: Counter[str] = Counter()
    blanked: set[str] = set()
    ambiguities: list[LegacyAmbiguity] = []
    total = 0
    for code, label, n, rows in sources:
        total += n
        if len(rows) == 1:
            certain[rows[0]] += n
            continue
        if code in resolved:
            _apply_resolution(code, n, rows, resolved[code], certain)
            continue
        if n == 0:
            continue
        blanked.update(rows)
        zh, en = _WHY[code]
        ambiguities.append(LegacyAmbiguity(code, label, n, rows, zh, en))
    leaves = format_by_id(FORMAT_2021).table("T3").leaf_result_rows
    rows_out: dict[str, ApplicantCounts] = {}
    for row in leaves:
        value = None if row in blanked else certain.get(row, 0)
        rows_out[row.lower()] = ApplicantCounts(total=value)
    rows_out["r3_7"] = ApplicantCounts(total=total)
    rows_out["r1"] = ApplicantCounts(total=table.received)
    rows_out["r2"] = ApplicantCounts(total=table.carried_over)
    rows_out["r4"] = ApplicantCounts(total=table.carried_forward)
    bounds = tuple(sorted((r, certain.get(r, 0)) for r in blanked))
    return LegacyConversion(Table3(**rows_out), tuple(ambiguities), bounds)


def _apply_resolution(
    code: str,
    n: int,
    rows: tuple[str, ...],
    split: dict[str, int],
    certain: Counter[str],
) -> None:
    outside = sorted(set(split) - set(rows))
    if outside or sum(split.values()) != n or any(v < 0 for v in split.values()):
        raise ReportError(
            f"类别{code}的分配不成立：须只用候选行（{'、'.join(rows)}）且合计为{n}",
            f"resolution for {code} must use only its candidate rows ({', '.join(rows)}) "
            f"with non-negative counts adding up to {n}",
            field=f"resolutions.{code}",
            code="report.legacy_resolution",
        )
    certain.update(split)
