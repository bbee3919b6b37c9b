"""The law each letter applies: which provisions an outcome cites, and the remedies it states.

This is the part of a letter no template may change: the outcome of the reply decides the
template, the provisions cited and the table 三 row (`govdisclose.vocab.Outcome.row`), so the
three cannot disagree. The provisions are those of the 2019 text of the 条例 (国务院令第711号,
in force 2019-05-15; law/facts.md §1.3-1.4):

* 第三十六条 items (一)-(七): the reply types; 第三十七条 区分处理; 第三十八条 existing information
  only; 第三十九条 paragraphs 1 and 2 (信访 disguised as an application, published matter);
  第三十五条 excessive requests; 第三十条 correction;
* the non-disclosure grounds: 第十四条 (state secrets, prohibited by law, 三安全一稳定), 第十五条
  (third parties), 第十六条第一款 (internal affairs), 第十六条第二款 (process information,
  enforcement case files);
* 《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）for an unpaid fee.

Remedies (行政复议法 2023 修订, in force 2024-01-01, 第九十条): 行政复议 within 60 days
(第二十条), 行政诉讼 within six months (行政诉讼法 第四十六条). A refusal to disclose (不予公开:
the grounds of 第十四条-第十六条, and the withheld part of a partial disclosure) must go to
行政复议 first (行政复议法 第二十三条第一款第（四）项), and the agency must say so (第二款); the
lawsuit then follows the review decision (行政诉讼法 第四十五条: within 15 days of receiving it).
Before 2024-01-01 the 1999 行政复议法 第九条 set the same 60 days and required no review first.
"""

from __future__ import annotations

from datetime import date

from attrs import frozen

from govdisclose.vocab import Outcome

__all__ = [
    "FEE_REGULATION",
    "LITIGATION_LAW",
    "REGULATION",
    "REVIEW_LAW",
    "RemedyLaw",
    "ReplyBasis",
    "remedy_law",
    "reply_basis",
]

#: The 条例 as letters cite it (the 令 number is left out, as in practice).
REGULATION = "《中华人民共和国政府信息公开条例》"
#: The fee rules.
FEE_REGULATION = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
REVIEW_LAW = "《中华人民共和国行政复议法》"
LITIGATION_LAW = "《中华人民共和国行政诉讼法》"


def _art(*articles: str) -> tuple[str, ...]:
    return tuple(REGULATION + a for a in articles)


@frozen
class ReplyBasis:
    """What the law fixes for one outcome's letter.

    :param outcome: the outcome (one table 三 row).
    :param template: the template key (``reply.<outcome code>``).
    :param provisions: the provisions applied, in full, in the order the letter cites them.
    :param review_first: a refusal to disclose: 行政复议 comes first (行政复议法 2023
        第二十三条第一款第（四）项).
    :param needs_reasons: the letter states reasons (`govdisclose.model.Replied.reasons`); every
        reply but a full disclosure does (条例 第三十六条第（三）项 "说明理由", 第三十七条), the
        lapsed ones state facts from the events instead.
    """

    outcome: Outcome
    template: str
    provisions: tuple[str, ...]
    review_first: bool
    needs_reasons: bool


def _basis(
    outcome: Outcome,
    provisions: tuple[str, ...],
    *,
    review_first: bool = False,
    needs_reasons: bool = True,
) -> ReplyBasis:
    return ReplyBasis(outcome, f"reply.{outcome.code}", provisions, review_first, needs_reasons)


_REFUSAL = "第三十六条第（三）项"

_BASES: dict[Outcome, ReplyBasis] = {
    b.outcome: b
    for b in (
        # (一) 予以公开: 第三十六条第（二）项 (provide it, or say how, where and when).
        _basis(Outcome.DISCLOSED, _art("第三十六条第（二）项"), needs_reasons=False),
        # (二) 部分公开: 区分处理, reasons for the withheld part (第三十七条).
        _basis(Outcome.PARTIALLY_DISCLOSED, _art("第三十七条"), review_first=True),
        # (三) 不予公开: the ground, then 第三十六条第（三）项 (tell and give reasons).
        _basis(Outcome.STATE_SECRET, _art("第十四条", _REFUSAL), review_first=True),
        _basis(Outcome.PROHIBITED_BY_LAW, _art("第十四条", _REFUSAL), review_first=True),
        _basis(
            Outcome.THREE_SECURITIES_ONE_STABILITY, _art("第十四条", _REFUSAL), review_first=True
        ),
        _basis(Outcome.THIRD_PARTY_RIGHTS, _art("第十五条", _REFUSAL), review_first=True),
        _basis(Outcome.INTERNAL_AFFAIRS, _art("第十六条第一款", _REFUSAL), review_first=True),
        _basis(Outcome.PROCESS_INFORMATION, _art("第十六条第二款", _REFUSAL), review_first=True),
        _basis(Outcome.ENFORCEMENT_CASE_FILE, _art("第十六条第二款", _REFUSAL), review_first=True),
        # 行政查询事项: 第三十六条第（七）项 (follow the special rules); not a ground of 第十四条至
        # 第十六条, so no review first (law/facts.md §4: the SPC reads 不予公开 as those grounds).
        _basis(Outcome.ADMINISTRATIVE_QUERY, _art("第三十六条第（七）项")),
        # (四) 无法提供.
        _basis(Outcome.NOT_HELD, _art("第三十六条第（四）项")),
        _basis(Outcome.NEEDS_CREATION, _art("第三十八条")),
        _basis(Outcome.UNCLEAR_AFTER_CORRECTION, _art("第三十条")),
        # (五) 不予处理.
        _basis(Outcome.PETITION_OR_COMPLAINT, _art("第三十九条第一款")),
        _basis(Outcome.REPEATED, _art("第三十六条第（六）项")),
        _basis(Outcome.PUBLICATION_REQUESTED, _art("第三十九条第二款")),
        _basis(Outcome.EXCESSIVE, _art("第三十五条")),
        # No article names this case; 第二条 (what government information is) and 第三十八条
        # (only information already made or obtained is provided) are the nearest [I].
        _basis(Outcome.CONFIRM_OR_REISSUE, _art("第二条", "第三十八条")),
        # (六) 其他处理: the lapsed periods state the facts of the events, not reasons.
        _basis(Outcome.NO_CORRECTION, _art("第三十条"), needs_reasons=False),
        _basis(
            Outcome.FEE_NOT_PAID,
            (FEE_REGULATION, REGULATION + "第四十二条"),
            needs_reasons=False,
        ),
        # 其他: the reasons say what was done; `Replied.legal_basis` names the provision.
        _basis(Outcome.OTHER, _art("第三十六条")),
    )
}


def reply_basis(outcome: Outcome) -> ReplyBasis:
    """The provisions, template and remedy rule of ``outcome``'s letter."""
    return _BASES[outcome]


@frozen
class RemedyLaw:
    """The remedies in force on a letter's date: the periods, the provisions to cite."""

    since: date
    review_period: str
    litigation_period: str
    review_law: str
    litigation_law: str
    #: ``None`` before the 2023 revision: no review had to come first.
    review_first_law: str | None


_REMEDIES = (
    RemedyLaw(
        since=date(2015, 5, 1),  # 行政诉讼法 2014 修正 (six months, 第四十六条) in force
        review_period="六十日",
        litigation_period="六个月",
        review_law=REVIEW_LAW + "第九条",
        litigation_law=LITIGATION_LAW + "第四十六条",
        review_first_law=None,
    ),
    RemedyLaw(
        since=date(2024, 1, 1),  # 行政复议法 2023 修订 第九十条
        review_period="六十日",
        litigation_period="六个月",
        review_law=REVIEW_LAW + "第二十条",
        litigation_law=LITIGATION_LAW + "第四十六条",
        review_first_law=(
            f"{REVIEW_LAW}第二十条、第二十三条第一款第（四）项，{LITIGATION_LAW}第四十五条"
        ),
    ),
)


def remedy_law(day: date) -> RemedyLaw:
    """The remedies of a letter dated ``day`` (from 2015-05-01; the letters of this package are
    dated under the 2019 text of the 条例, so never earlier)."""
    current = _REMEDIES[0]
    for law in _REMEDIES:
        if law.since <= day:
            current = law
    return current
