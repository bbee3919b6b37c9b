"""The letters to the applicant (issue 13): golden letters written by hand, the outcome/article/row
agreement for every outcome, the reasons rule, and the refusals of letters the law does not
allow."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from govdisclose import lifecycle
from govdisclose.calendar import WorkCalendar
from govdisclose.errors import ValidationError
from govdisclose.fees import per_application_fee, per_volume_fee
from govdisclose.model import (
    Applicant,
    Application,
    Attachment,
    CorrectionReceived,
    CorrectionRequested,
    DeemedWithdrawn,
    Event,
    Extended,
    FeeNotified,
    FeePaid,
    NoticeIssued,
    Received,
    Replied,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    Withdrawn,
)
from govdisclose.notices import (
    Notice,
    NoticeKind,
    NoticeOffice,
    NoticeTemplates,
    article_text,
    compose,
    compose_all,
    notice_issued,
    parse_query_code,
    query_code,
    render_text,
    reply_basis,
)
from govdisclose.params import ParameterSet
from govdisclose.vocab import ApplicantType, Channel, FeeMethod, Outcome, WithdrawalCause

GOLDEN = Path(__file__).parent / "data" / "notices"
CALENDAR = WorkCalendar.default()
PARAMS = ParameterSet.default()
OFFICE = NoticeOffice(
    agency="某市自然资源和规划局",
    review_body="某市人民政府",
    court="某市某区人民法院",
    number_prefix="某自然资信公",
    contact="联系人：王五，联系电话：0571-87000000",
    payment="缴费方式：通过某市非税收入统一缴款平台缴纳。",
)
HEAD = Application(
    id="2025-0012",
    agency="330100-ZRZY",
    applicant=Applicant(type=ApplicantType.NATURAL_PERSON, name="张三"),
    channel=Channel.IN_PERSON,
    request="2024年某地块征收补偿方案",
)
RECEIVED = Received(on=date(2025, 3, 3))  # a Monday
ASKED = CorrectionRequested(
    on=date(2025, 3, 5),
    items="请写明地块的名称、位置或者征收公告的文号",
    correct_by=date(2025, 3, 19),
)
CONSULTED = ThirdPartyConsulted(on=date(2025, 3, 12), party="某置业有限公司")


def history(*events: Event) -> Application:
    """The application 2025-0012, received 2025-03-03, with ``events`` applied by the lifecycle."""
    return lifecycle.apply_all(HEAD, (RECEIVED, *events))


def letter(app: Application, kind: NoticeKind, **kwargs: object) -> Notice:
    return compose(app, kind, office=OFFICE, params=PARAMS, calendar=CALENDAR, **kwargs)  # type: ignore[arg-type]


def golden(name: str) -> str:
    return (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")


def reply(outcome: Outcome, reasons: str | None, on: date, **kwargs: object) -> Replied:
    return Replied(on=on, outcome=outcome, reasons=reasons, **kwargs)  # type: ignore[arg-type]


# -- golden letters, one per kind and for several outcomes -----------------------------------


GOLDEN_CASES: dict[str, tuple[tuple[Event, ...], NoticeKind]] = {
    "receipt": ((), NoticeKind.RECEIPT),
    "correction": ((ASKED,), NoticeKind.CORRECTION),
    "extension": (
        (
            Extended(
                on=date(2025, 3, 28),
                days=20,
                reason="所申请信息涉及多个年度的档案，需要调阅核查",
                approved_by="李四",
            ),
        ),
        NoticeKind.EXTENSION,
    ),
    "third_party": ((CONSULTED,), NoticeKind.THIRD_PARTY),
    "fee": (
        (
            FeeNotified(
                on=date(2025, 4, 3),
                amount=Decimal(1700),
                method=FeeMethod.PER_VOLUME,
                quantity=150,
            ),
        ),
        NoticeKind.FEE,
    ),
    "reply_disclosed": (
        (
            Replied(
                on=date(2025, 3, 20),
                outcome=Outcome.DISCLOSED,
                attachments=(Attachment.of_bytes("2024年某地块征收补偿方案", b"%PDF-1.7"),),
            ),
        ),
        NoticeKind.REPLY,
    ),
    "reply_partially_disclosed": (
        (
            Replied(
                on=date(2025, 3, 25),
                outcome=Outcome.PARTIALLY_DISCLOSED,
                reasons="方案附表中被征收人的身份证号码、银行账号属于个人隐私，"
                "公开会对第三方合法权益造成损害，已作删除处理。",
                attachments=(
                    Attachment.of_bytes("2024年某地块征收补偿方案（删除个人信息后）", b"a"),
                    Attachment.of_bytes("被征收人补偿汇总表（删除个人信息后）", b"b"),
                ),
            ),
        ),
        NoticeKind.REPLY,
    ),
    "reply_state_secret": (
        (
            reply(
                Outcome.STATE_SECRET,
                "该方案已由定密责任人依法确定为秘密级国家秘密，保密期限尚未届满",
                date(2025, 3, 20),
            ),
        ),
        NoticeKind.REPLY,
    ),
    "reply_third_party_rights": (
        (
            CONSULTED,
            ThirdPartyReplied(on=date(2025, 3, 20), party="某置业有限公司", consents=False),
            reply(
                Outcome.THIRD_PARTY_RIGHTS,
                "该信息包含某置业有限公司的土地成交价款和融资安排，属于商业秘密，"
                "该公司不同意公开且理由合理。",
                date(2025, 3, 27),
            ),
        ),
        NoticeKind.REPLY,
    ),
    "reply_not_held": (
        (
            reply(
                Outcome.NOT_HELD,
                "本机关在档案室和业务系统中以“某地块”“征收补偿”为关键词检索，未找到该信息",
                date(2025, 3, 20),
            ),
        ),
        NoticeKind.REPLY,
    ),
    "reply_repeated": (
        (
            reply(
                Outcome.REPEATED,
                "本机关已于2025年1月10日对你（单位）申请公开的相同政府信息作出答复"
                "（某自然资信公复〔2025〕0003号）。",
                date(2025, 3, 14),
            ),
        ),
        NoticeKind.REPLY,
    ),
    "reply_no_correction": (
        (ASKED, DeemedWithdrawn(on=date(2025, 3, 20), cause=WithdrawalCause.NO_CORRECTION)),
        NoticeKind.REPLY,
    ),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden_letter(name: str) -> None:
    """The generated letter equals the hand-written one word for word (dates, articles,
    remedies, query code)."""
    events, kind = GOLDEN_CASES[name]
    assert render_text(letter(history(*events), kind)) == golden(name)


def test_golden_files_cover_every_kind() -> None:
    """There is a golden letter for each kind of letter, and one per case (no stale file)."""
    assert {kind for _, kind in GOLDEN_CASES.values()} == set(NoticeKind)
    assert {p.stem for p in GOLDEN.glob("*.txt")} == set(GOLDEN_CASES)


def _query_code_by_hand(agency: str, application_id: str) -> str:
    # The documented scheme, written again from its description (govdisclose.notices._query).
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    text = f"govdisclose-query/1\x1f{agency}\x1f{application_id}"
    bits = int.from_bytes(hashlib.sha256(text.encode()).digest(), "big") >> (256 - 55)
    payload = [alphabet[(bits >> (5 * (10 - i))) & 31] for i in range(11)]
    total = 0
    for pos, ch in enumerate(reversed(payload)):
        value = alphabet.index(ch) * (2 if pos % 2 == 0 else 1)
        total += value // 32 + value % 32
    full = "".join(payload) + alphabet[-total % 32]
    return f"{full[:4]}-{full[4:8]}-{full[8:]}"


def test_golden_query_code_follows_the_documented_scheme() -> None:
    """The query code printed in the golden letters is the scheme's, recomputed independently."""
    expected = _query_code_by_hand(HEAD.agency, HEAD.id)
    assert expected in golden("receipt")
    assert query_code(HEAD.agency, HEAD.id) == expected
    assert letter(history(), NoticeKind.RECEIPT).query_code == expected


# -- consistency: outcome, template, article, row ----------------------------------------------

#: Written from the 条例 (2019) and the 2021 report format, row by row: the title of the letter,
#: the provisions it applies, and whether the remedies put 行政复议 first.
_TIAOLI = "《中华人民共和国政府信息公开条例》"
BY_ROW: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "R3_1": ("政府信息予以公开告知书", ("第三十六条第（二）项",), False),
    "R3_2": ("政府信息部分公开告知书", ("第三十七条",), True),
    "R3_3_1": ("政府信息不予公开告知书", ("第十四条", "第三十六条第（三）项"), True),
    "R3_3_2": ("政府信息不予公开告知书", ("第十四条", "第三十六条第（三）项"), True),
    "R3_3_3": ("政府信息不予公开告知书", ("第十四条", "第三十六条第（三）项"), True),
    "R3_3_4": ("政府信息不予公开告知书", ("第十五条", "第三十六条第（三）项"), True),
    "R3_3_5": ("政府信息不予公开告知书", ("第十六条第一款", "第三十六条第（三）项"), True),
    "R3_3_6": ("政府信息不予公开告知书", ("第十六条第二款", "第三十六条第（三）项"), True),
    "R3_3_7": ("政府信息不予公开告知书", ("第十六条第二款", "第三十六条第（三）项"), True),
    "R3_3_8": ("政府信息不予公开告知书", ("第三十六条第（七）项",), False),
    "R3_4_1": ("政府信息不存在告知书", ("第三十六条第（四）项",), False),
    "R3_4_2": ("政府信息无法提供告知书", ("第三十八条",), False),
    "R3_4_3": ("政府信息无法提供告知书", ("第三十条",), False),
    "R3_5_1": ("政府信息公开申请不予处理告知书", ("第三十九条第一款",), False),
    "R3_5_2": ("政府信息公开申请不予重复处理告知书", ("第三十六条第（六）项",), False),
    "R3_5_3": ("政府信息公开申请不予处理告知书", ("第三十九条第二款",), False),
    "R3_5_4": ("政府信息公开申请不予处理告知书", ("第三十五条",), False),
    "R3_5_5": ("政府信息公开申请不予处理告知书", ("第二条", "第三十八条"), False),
    "R3_6_1": ("政府信息公开申请不再处理告知书", ("第三十条",), False),
    "R3_6_2": (
        "政府信息公开申请不再处理告知书",
        ("《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）", "第四十二条"),
        False,
    ),
    "R3_6_3": ("政府信息公开申请答复告知书", ("第三十六条",), False),
}


def _closing_history(outcome: Outcome) -> Application:
    """A history whose closing step has ``outcome`` (the lapsed ones as deemed withdrawals)."""
    if outcome is Outcome.NO_CORRECTION:
        return history(
            ASKED, DeemedWithdrawn(on=date(2025, 3, 20), cause=WithdrawalCause.NO_CORRECTION)
        )
    if outcome is Outcome.FEE_NOT_PAID:
        fee = FeeNotified(
            on=date(2025, 3, 10), amount=Decimal(100), method=FeeMethod.PER_APPLICATION, quantity=1
        )
        return history(
            fee, DeemedWithdrawn(on=date(2025, 4, 9), cause=WithdrawalCause.FEE_NOT_PAID)
        )
    before: tuple[Event, ...] = ()
    if outcome is Outcome.UNCLEAR_AFTER_CORRECTION:
        before = (ASKED, CorrectionReceived(on=date(2025, 3, 10)))
    return history(*before, reply(outcome, "理由如下所述", date(2025, 3, 24)))


@pytest.mark.parametrize("outcome", list(Outcome), ids=lambda o: o.row)
def test_every_outcome_letter_article_and_row_agree(outcome: Outcome) -> None:
    """For every outcome, the letter's title, the provisions it cites (in the body too), its
    remedies and the table 三 row agree with the hand-written table."""
    title, articles, review_first = BY_ROW[outcome.row]
    notice = letter(_closing_history(outcome), NoticeKind.REPLY)
    assert notice.outcome is outcome
    assert Outcome.from_row(outcome.row) is outcome
    assert notice.title == title
    expected = tuple(a if a.startswith("《") else _TIAOLI + a for a in articles)
    assert notice.citations == expected
    assert reply_basis(outcome).provisions == expected
    # The body quotes the same provisions, in the same order.
    assert f"根据{article_text(expected)}的规定" in "".join(notice.paragraphs)
    assert notice.remedies is not None
    assert ("应当先" in notice.remedies) is review_first
    assert "某市人民政府" in notice.remedies
    assert "某市某区人民法院" in notice.remedies


def test_the_table_covers_every_row() -> None:
    """The hand-written table has exactly the 21 leaf rows of table 三."""
    assert set(BY_ROW) == {o.row for o in Outcome}
    assert len(BY_ROW) == 21


# -- reasons, articles added by the facts ---------------------------------------------------------


@pytest.mark.parametrize(
    "outcome", [o for o in Outcome if reply_basis(o).needs_reasons], ids=lambda o: o.code
)
def test_a_refusal_without_reasons_is_refused(outcome: Outcome) -> None:
    """A reply other than a full disclosure without reasons is a typed error naming reasons
    (the Replied is built without the lifecycle, which refuses it too)."""
    app = history()
    before: tuple[Event, ...] = ()
    if outcome is Outcome.UNCLEAR_AFTER_CORRECTION:
        before = (ASKED, CorrectionReceived(on=date(2025, 3, 10)))
        app = history(*before)
    app = attrs.evolve(app, events=(*app.events, reply(outcome, "  。", date(2025, 3, 24))))
    with pytest.raises(ValidationError) as info:
        letter(app, NoticeKind.REPLY)
    assert info.value.code == "notices.reasons_required"
    assert info.value.field == f"events[{len(app.events) - 1}].reasons"


def test_legal_basis_is_cited_after_the_provisions() -> None:
    """The further law a clerk names (Replied.legal_basis) is cited and quoted after the 条例."""
    app = history(
        reply(
            Outcome.PROHIBITED_BY_LAW,
            "该统计资料能够识别单个统计调查对象",
            date(2025, 3, 24),
            legal_basis="《中华人民共和国统计法》第三十九条。",
        )
    )
    notice = letter(app, NoticeKind.REPLY)
    assert notice.citations[-1] == "《中华人民共和国统计法》第三十九条"
    assert (
        "根据《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项、"
        "《中华人民共和国统计法》第三十九条的规定" in notice.paragraphs[1]
    )


def test_third_party_rights_without_consultation_cites_no_article_32() -> None:
    """第三十二条 is cited only when the third party was consulted."""
    notice = letter(
        history(reply(Outcome.THIRD_PARTY_RIGHTS, "含个人隐私", date(2025, 3, 24))),
        NoticeKind.REPLY,
    )
    assert notice.citations == (_TIAOLI + "第十五条", _TIAOLI + "第三十六条第（三）项")
    assert "征求第三方意见" not in "".join(notice.paragraphs)


def test_remedies_before_2024_need_no_review_first() -> None:
    """A refusal dated 2023 cites the 1999 行政复议法 第九条 and lets the applicant sue at once
    (the review-first rule starts with the 2023 revision, in force 2024-01-01)."""
    app = attrs.evolve(
        HEAD,
        events=(
            Received(on=date(2023, 6, 1)),
            reply(Outcome.STATE_SECRET, "属于国家秘密", date(2023, 6, 20)),
        ),
    )
    remedies = letter(app, NoticeKind.REPLY).remedies
    assert remedies is not None
    assert "《中华人民共和国行政复议法》第九条" in remedies
    assert "也可以自收到本告知书之日起六个月内向某市某区人民法院提起行政诉讼" in remedies
    assert "应当先" not in remedies


# -- procedure: what may be written when ------------------------------------------------------


def test_no_letter_for_a_step_not_recorded() -> None:
    """A letter needs its step: no extension letter without an extension."""
    with pytest.raises(ValidationError) as info:
        letter(history(), NoticeKind.EXTENSION)
    assert info.value.code == "notices.not_applicable"
    assert info.value.field == "kind"


def test_no_reply_to_a_withdrawal() -> None:
    """An application the applicant withdrew gets no reply letter."""
    app = history(Withdrawn(on=date(2025, 3, 6)))
    with pytest.raises(ValidationError) as info:
        letter(app, NoticeKind.REPLY)
    assert info.value.code == "notices.not_applicable"
    assert compose_all(app, office=OFFICE, params=PARAMS, calendar=CALENDAR)[-1].kind is (
        NoticeKind.RECEIPT
    )


def test_2008_regime_is_refused() -> None:
    """Applications under the 2008 text are refused: the letters follow the 2019 revision."""
    app = attrs.evolve(HEAD, events=(Received(on=date(2019, 5, 14)),))
    with pytest.raises(ValidationError) as info:
        letter(app, NoticeKind.RECEIPT)
    assert info.value.code == "notices.regime_unsupported"
    app = attrs.evolve(HEAD, events=(Received(on=date(2019, 5, 15)),))
    assert letter(app, NoticeKind.RECEIPT).due == date(2019, 6, 13)


@pytest.mark.parametrize("correct_by", [None, date(2025, 3, 5), date(2025, 3, 4)])
def test_correction_needs_a_reasonable_period(correct_by: date | None) -> None:
    """A correction notice must state a period after the notice (第三十条)."""
    app = history(attrs.evolve(ASKED, correct_by=correct_by))
    with pytest.raises(ValidationError) as info:
        letter(app, NoticeKind.CORRECTION)
    assert (info.value.code, info.value.field) == (
        "notices.correction_period",
        "events[1].correct_by",
    )


def test_extension_after_the_period_ran_out_is_refused() -> None:
    """An extension decided after the original due date is not applied by the deadline engine,
    so no letter may announce it."""
    late = Extended(on=date(2025, 4, 1), days=10, reason="档案调阅", approved_by="李四")
    with pytest.raises(ValidationError) as info:
        letter(history(late), NoticeKind.EXTENSION)
    assert info.value.code == "notices.extension_late"


def test_extension_is_clamped_to_the_statutory_maximum() -> None:
    """An extension of more than 20 working days is announced as 20 (第三十三条第二款)."""
    long = Extended(on=date(2025, 3, 28), days=30, reason="档案调阅", approved_by="李四")
    app = attrs.evolve(history(), events=(RECEIVED, long))
    notice = letter(app, NoticeKind.EXTENSION)
    assert notice.due == date(2025, 4, 28)
    assert "答复期限延长20个工作日" in notice.paragraphs[1]


def test_deemed_withdrawal_before_the_period_ended_is_refused() -> None:
    """逾期不补正 cannot be written before the correction period has run out."""
    early = DeemedWithdrawn(on=date(2025, 3, 19), cause=WithdrawalCause.NO_CORRECTION)
    with pytest.raises(ValidationError) as info:
        letter(history(ASKED, early), NoticeKind.REPLY)
    assert info.value.code == "notices.period_running"


def test_fee_not_paid_letter_states_the_payment_deadline() -> None:
    """The 不再处理 letter for an unpaid fee gives the notice day, amount and the last day to pay
    (fee_payment_deadline: 2025-03-10 + 20 working days = 2025-04-08), and is refused before."""
    app = _closing_history(Outcome.FEE_NOT_PAID)
    body = "".join(letter(app, NoticeKind.REPLY).paragraphs)
    assert (
        "本机关于2025年3月10日向你（单位）发出信息处理费缴费通知，应缴纳信息处理费100元，缴费期限至2025年4月8日"
        in body
    )
    early = attrs.evolve(
        app, events=(*app.events[:-1], attrs.evolve(app.events[-1], on=date(2025, 4, 8)))
    )
    with pytest.raises(ValidationError) as info:
        letter(early, NoticeKind.REPLY)
    assert info.value.code == "notices.period_running"


def test_per_application_fee_needs_its_calculation() -> None:
    """按件计收 needs the calculation (the month's ordinal is not in the event); a mismatching one
    is refused; the matching one is shown band by band."""
    calc = per_application_fee(31, received_on=RECEIVED.on)
    event = FeeNotified(
        on=date(2025, 3, 10), amount=calc.amount, method=FeeMethod.PER_APPLICATION, quantity=1
    )
    app = history(event)
    with pytest.raises(ValidationError) as info:
        letter(app, NoticeKind.FEE)
    assert (info.value.code, info.value.field) == ("notices.fee_calculation_required", "fee")
    with pytest.raises(ValidationError) as info:
        letter(app, NoticeKind.FEE, fee=per_application_fee(11, received_on=RECEIVED.on))
    assert info.value.code == "notices.fee_mismatch"
    notice = letter(app, NoticeKind.FEE, fee=calc)
    assert "本次计收申请人本自然月内累计第31件申请，共1件：" in notice.paragraphs
    assert "信息处理费200元" in notice.paragraphs[0]


def test_per_volume_fee_must_match_the_scale() -> None:
    """A recorded amount that is not the 109号 scale's for the pages is refused."""
    wrong = FeeNotified(
        on=date(2025, 4, 3), amount=Decimal(1600), method=FeeMethod.PER_VOLUME, quantity=150
    )
    with pytest.raises(ValidationError) as info:
        letter(history(wrong), NoticeKind.FEE)
    assert info.value.code == "notices.fee_mismatch"
    assert per_volume_fee(150, received_on=RECEIVED.on).amount == Decimal(1700)


def test_letter_date_before_its_step_is_refused() -> None:
    """The 成文日期 cannot precede the step the letter answers."""
    with pytest.raises(ValidationError) as info:
        letter(history(ASKED), NoticeKind.CORRECTION, on=date(2025, 3, 4))
    assert info.value.code == "notices.date_order"


# -- letters as issued ----------------------------------------------------------------------------


def test_recorded_issue_gives_the_date_and_number() -> None:
    """A recorded NoticeIssued gives the letter's 成文日期 and 文号 when it is rendered again."""
    issued = NoticeIssued(
        on=date(2025, 3, 4), notice=NoticeKind.RECEIPT, number="某自然资信公受〔2025〕7号"
    )
    notice = letter(history(issued), NoticeKind.RECEIPT)
    assert (notice.issued_on, notice.number) == (date(2025, 3, 4), "某自然资信公受〔2025〕7号")
    assert (
        letter(history(issued), NoticeKind.RECEIPT, number="X〔2025〕1号").number == "X〔2025〕1号"
    )


def test_notice_issued_event_carries_the_digest() -> None:
    """notice_issued records the letter with the SHA-256 of what was sent; lifecycle takes it."""
    app = history()
    notice = letter(app, NoticeKind.RECEIPT)
    text = render_text(notice)
    event = notice_issued(notice, text, actor="王五")
    assert event.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert (event.on, event.notice, event.number) == (
        notice.issued_on,
        NoticeKind.RECEIPT,
        notice.number,
    )
    assert lifecycle.apply(app, event).events[-1] == event


def test_second_correction_request_by_index() -> None:
    """``event`` picks one of several steps of a kind; the default is the latest."""
    second = CorrectionRequested(
        on=date(2025, 3, 12), items="请写明年份", correct_by=date(2025, 3, 26)
    )
    app = history(ASKED, CorrectionReceived(on=date(2025, 3, 10)), second)
    assert letter(app, NoticeKind.CORRECTION).due == date(2025, 3, 26)
    assert letter(app, NoticeKind.CORRECTION, event=1).due == date(2025, 3, 19)
    with pytest.raises(ValidationError) as info:
        letter(app, NoticeKind.CORRECTION, event=2)
    assert info.value.code == "notices.not_applicable"


def test_compose_all_writes_every_letter_of_a_complete_application() -> None:
    """The demo's complete application gives its letters in order, each dated as its step."""
    app = history(
        ASKED,
        CorrectionReceived(on=date(2025, 3, 10)),
        CONSULTED,
        ThirdPartyReplied(on=date(2025, 3, 20), party="某置业有限公司", consents=False),
        Extended(on=date(2025, 4, 1), days=20, reason="档案调阅", approved_by="李四"),
        FeeNotified(
            on=date(2025, 4, 3), amount=Decimal(1700), method=FeeMethod.PER_VOLUME, quantity=150
        ),
        FeePaid(on=date(2025, 4, 8), amount=Decimal(1700)),
        reply(Outcome.PARTIALLY_DISCLOSED, "个人隐私部分已删除", date(2025, 4, 25)),
    )
    notices = compose_all(app, office=OFFICE, params=PARAMS, calendar=CALENDAR)
    assert [n.kind for n in notices] == [
        NoticeKind.RECEIPT,
        NoticeKind.CORRECTION,
        NoticeKind.THIRD_PARTY,
        NoticeKind.EXTENSION,
        NoticeKind.FEE,
        NoticeKind.REPLY,
    ]
    assert [n.issued_on for n in notices] == [
        date(2025, 3, 3),
        date(2025, 3, 5),
        date(2025, 3, 12),
        date(2025, 4, 1),
        date(2025, 4, 3),
        date(2025, 4, 25),
    ]
    # The third party's letter names neither the applicant nor the query code.
    third = notices[2]
    assert third.addressee == "某置业有限公司"
    assert third.query_code is None
    assert "张三" not in render_text(third)


def test_co_producer_gets_a_consultation_letter_under_article_34() -> None:
    """A co-producing agency is consulted under 第三十四条: silence counts as consent."""
    app = history(
        ThirdPartyConsulted(on=date(2025, 3, 12), party="某市住房和城乡建设局", is_agency=True)
    )
    notice = letter(app, NoticeKind.THIRD_PARTY)
    assert notice.title == "政府信息公开征求意见函"
    assert notice.citations == (_TIAOLI + "第三十四条",)
    assert "逾期未提出意见的，视为同意公开。" in notice.paragraphs[1]
    assert notice.due == date(2025, 4, 2)


def test_provisional_dates_are_marked() -> None:
    """A date counted on a provisional calendar carries the note saying so."""
    calendar = WorkCalendar.default(policy="provisional")
    app = attrs.evolve(HEAD, events=(Received(on=date(2026, 12, 15)),))
    notice = compose(app, NoticeKind.RECEIPT, office=OFFICE, params=PARAMS, calendar=calendar)
    assert notice.paragraphs[-1].startswith("注：本文书所列日期按暂定工作日历计算（")
    assert letter(history(), NoticeKind.RECEIPT).paragraphs[-1].startswith("联系人")


def test_no_number_without_a_prefix() -> None:
    """Without a 机关代字 and no number given, the letter has no 文号 line."""
    office = attrs.evolve(OFFICE, number_prefix=None)
    notice = compose(history(), NoticeKind.RECEIPT, office=office, params=PARAMS, calendar=CALENDAR)
    assert notice.number is None
    assert render_text(notice).startswith("政府信息公开申请受理回执\n\n张三：\n")


def test_custom_templates_are_used() -> None:
    """The templates argument replaces the wording (the seal line here)."""
    templates = NoticeTemplates.default().with_overrides(
        {"letterhead": {"signature": "${agency}（政府信息公开专用章）"}}
    )
    notice = letter(history(), NoticeKind.RECEIPT, templates=templates)
    assert notice.signature == "某市自然资源和规划局（政府信息公开专用章）"


# -- the office and the query code ------------------------------------------------------------


def test_office_from_options() -> None:
    """NoticeOffice.from_options reads the notices.* options and names a missing one."""
    options = {
        "notices.agency": "某局",
        "notices.review_body": "某市人民政府",
        "notices.court": "某法院",
    }
    assert NoticeOffice.from_options(options) == NoticeOffice(
        agency="某局", review_body="某市人民政府", court="某法院"
    )
    with pytest.raises(ValidationError) as info:
        NoticeOffice.from_options({"notices.agency": "某局"})
    assert info.value.field == "notices.review_body"


def test_query_code_reads_back_leniently() -> None:
    """A code typed in lower case, full width or with O for 0 is read back; a wrong one is not."""
    code = query_code(HEAD.agency, HEAD.id)
    assert parse_query_code(code.lower().replace("-", " ")) == code
    assert parse_query_code(code.replace("0", "O")) == code
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in code)
    assert parse_query_code(wide) == code
    with pytest.raises(ValidationError) as info:
        parse_query_code(code[:-1] + ("0" if code[-1] != "0" else "1"))
    assert info.value.code == "notices.invalid_query_code"
    assert query_code(HEAD.agency, "2025-0013") != code
