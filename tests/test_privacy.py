"""Tests for govdisclose.privacy: detection recall and false positives measured on generated
corpora, masking shapes, idempotence and "nothing left to find" after masking."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from govdisclose.errors import ValidationError
from govdisclose.model import AttributeDecision, Record
from govdisclose.privacy import (
    OPT_IN_KINDS,
    MaskPolicy,
    PiiKind,
    find_pii,
    has_unmasked_pii,
    id_number_is_valid,
    luhn_is_valid,
    mask,
    mask_record,
)
from govdisclose.vocab import DisclosureAttribute, DisclosureScope

# -- generators -------------------------------------------------------------------------------

_PROVINCES = ("11", "12", "13", "31", "32", "33", "35", "37", "41", "44", "51", "61", "65")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(rng: random.Random) -> str:
    birth = date(1930, 1, 1) + timedelta(days=rng.randrange(0, 90 * 365))
    body = (
        rng.choice(_PROVINCES)
        + f"{rng.randrange(100, 10000):04d}"
        + birth.strftime("%Y%m%d")
        + f"{rng.randrange(0, 1000):03d}"
    )
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def make_id15(rng: random.Random) -> str:
    birth = date(1930, 1, 1) + timedelta(days=rng.randrange(0, 60 * 365))
    return (
        rng.choice(_PROVINCES)
        + f"{rng.randrange(100, 10000):04d}"
        + birth.strftime("%y%m%d")
        + f"{rng.randrange(0, 1000):03d}"
    )


def make_mobile(rng: random.Random) -> str:
    digits = f"1{rng.choice('3456789')}{rng.randrange(0, 10**9):09d}"
    style = rng.randrange(6)
    if style == 0:
        return digits
    if style == 1:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if style == 2:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if style == 3:
        return f"+86{digits}"
    if style == 4:
        return f"+86 {digits[:3]}-{digits[3:7]}-{digits[7:]}"
    return f"0086-{digits}"


def _luhn_complete(partial: str) -> str:
    for d in "0123456789":
        if luhn_is_valid(partial + d):
            return partial + d
    raise AssertionError("unreachable: one check digit always fits")


def make_card(rng: random.Random) -> str:
    prefix = rng.choice(("6222", "6228", "6217", "6214", "4367", "5187", "9558"))
    length = rng.choice((16, 17, 18, 19))
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    number = _luhn_complete(body)
    if rng.random() < 0.5:
        return number
    sep = rng.choice((" ", "-"))
    return sep.join(number[i : i + 4] for i in range(0, len(number), 4))


def make_email(rng: random.Random) -> str:
    user = rng.choice(("zhangsan", "li.si", "wang_wu88", "13812345678", "xk2024"))
    return f"{user}@{rng.choice(('example.com', 'qq.com', '163.com', 'mail.gov.cn'))}"


_TEMPLATES = (
    "申请人于2024年3月5日提交申请，身份证号码{x}，请核实。",
    "经核实，低保户李某某（{x}）家庭人口3人，月补助金额1,250.00元。",
    "联系电话：{x}；办公地址：幸福路18号。",
    "补贴发放至本人银行卡{x}，发放日期为2023年12月20日。",
    "如有疑问，请发送邮件至{x}，或于工作日致电0373-3696072。",
    "序号1　王某　{x}　危房改造补助　20000元",
    "根据《条例》第三十三条，{x}的申请已于20个工作日内答复。",
)

_GENERATORS = {
    PiiKind.ID_NUMBER: make_id,
    PiiKind.ID_NUMBER_15: make_id15,
    PiiKind.MOBILE: make_mobile,
    PiiKind.BANK_CARD: make_card,
    PiiKind.EMAIL: make_email,
}


def positive_corpus(n: int, seed: int) -> list[tuple[str, PiiKind, str]]:
    rng = random.Random(seed)
    kinds = list(_GENERATORS)
    out = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        value = _GENERATORS[kind](rng)
        out.append((rng.choice(_TEMPLATES).format(x=value), kind, value))
    return out


def _credit_code(rng: random.Random) -> str:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    body = rng.choice("9151") + rng.choice("123") + f"{rng.randrange(10**6):06d}"
    body += "".join(rng.choice(chars) for _ in range(9))
    total = sum(chars.index(c) * w for c, w in zip(body, weights, strict=True))
    return body + chars[(31 - total % 31) % 31]


def _negative_item(rng: random.Random, kind: str) -> str:
    day = date(2008, 1, 1) + timedelta(days=rng.randrange(0, 6000))
    if kind == "date":
        return rng.choice(
            (day.strftime("%Y%m%d"), day.isoformat(), f"{day.year}年{day.month}月{day.day}日")
        )
    if kind == "docno":
        agency = rng.choice(("京政发", "国办发", "湘政办函", "新政办", "桓政办发"))
        return f"{agency}〔{day.year}〕{rng.randrange(1, 300)}号"
    if kind == "amount":
        value = rng.randrange(0, 10**10) / 100
        return rng.choice((f"{value:,.2f}元", f"{value:.2f}元", f"{int(value)}万元"))
    if kind == "order":
        return rng.choice(
            (
                day.strftime("%Y%m%d") + f"{rng.randrange(10**10):010d}",  # 18-digit serial
                day.strftime("%Y%m%d%H") + f"{rng.randrange(10**6):06d}",
                f"HT{day.year}{rng.randrange(10**7):07d}",
                f"{day.year}-{rng.randrange(10**4):04d}-{rng.randrange(10**6):06d}",
            )
        )
    if kind == "landline":
        area = rng.choice(("010", "021", "0371", "0373", "0755", "0571"))
        number = f"{rng.randrange(2, 9)}{rng.randrange(10**6, 10**7)}"
        return rng.choice((f"{area}-{number}", f"（{area}）{number}", f"{area}—{number}"))
    if kind == "credit_code":
        return _credit_code(rng)
    if kind == "index_number":
        return f"{_credit_code(rng)}/{day.year}-{rng.randrange(10**5):05d}"
    # "table": long numbers a statistics table carries (counts, area in m², population).
    return rng.choice(
        (
            f"{rng.randrange(10**4, 10**9)}",
            f"{rng.randrange(10**6, 10**9):,}",
            f"{rng.randrange(10**3, 10**6)}.{rng.randrange(100):02d}",
            f"{rng.randrange(10**9, 10**10)}",  # 10 digits: below any detected length
        )
    )


NEGATIVE_KINDS = (
    "date",
    "docno",
    "amount",
    "order",
    "landline",
    "credit_code",
    "index_number",
    "table",
)


def negative_corpus(n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        kind = NEGATIVE_KINDS[i % len(NEGATIVE_KINDS)]
        text = f"据统计，截至报告日{_negative_item(rng, kind)}，相关事项已办结。"
        out.append((text, kind))
    return out


# -- recall -----------------------------------------------------------------------------------


def test_recall_is_complete_on_generated_personal_data() -> None:
    """Every generated ID, mobile, card and e-mail is found with its exact span and kind."""
    corpus = positive_corpus(5000, seed=20240115)
    missed = []
    for text, kind, value in corpus:
        found = find_pii(text)
        start = text.index(value)
        hit = [m for m in found if (m.start, m.end, m.kind) == (start, start + len(value), kind)]
        if not hit:
            missed.append((text, kind, found))
    assert missed == []


def test_recall_in_full_width_digits() -> None:
    """Full-width digits (common in pasted Word text) are read like ASCII ones."""
    rng = random.Random(7)
    ident = make_id(rng)
    wide = ident.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    text = f"身份证号{wide}。"
    (m,) = find_pii(text)
    assert (m.kind, m.text) == (PiiKind.ID_NUMBER, wide)
    assert "*" in mask(text)


# -- false positives --------------------------------------------------------------------------

# Measured: 0 false positives for every kind in 8,000 snippets (seed 99) and in 80,000 (seed
# 123), also with the passport, plate and labelled-name detectors on (issue 11). The bound
# leaves room for generator changes, not for a regression in the detector.
_FP_BOUND_PER_KIND = 2


def test_false_positives_on_dates_numbers_codes() -> None:
    """Dates, 文号, amounts, order numbers, landlines, credit codes and table numbers are not
    reported as personal data (count per kind stays within the measured bound)."""
    corpus = negative_corpus(8000, seed=99)
    fp: Counter[str] = Counter()
    for text, kind in corpus:
        if find_pii(text):
            fp[kind] += 1
    assert all(fp[k] <= _FP_BOUND_PER_KIND for k in NEGATIVE_KINDS), fp


def test_false_positive_rate_on_random_long_digit_runs() -> None:
    """Random 16-19-digit runs: the Luhn + issuer filter lets through about 1 in 18 (5/9 issuer
    digits x 1/10 Luhn); that is the known price of detecting unlabelled card numbers."""
    rng = random.Random(5)
    n = 4000
    hits = 0
    for _ in range(n):
        digits = str(rng.randrange(1, 10)) + "".join(
            rng.choice("0123456789") for _ in range(rng.randrange(15, 19))
        )
        hits += bool(find_pii(f"编号{digits}。"))
    # Expected 5/9 * 1/10 ~ 5.6 %, plus the rare checksummed ID;
    # measured 5.3 % (213 of 4,000) with this seed.
    assert 0.03 * n < hits < 0.08 * n


@pytest.mark.parametrize(
    "text",
    [
        "日期20240115，编号2024011500001。",
        "文号京政发〔2014〕5号、国办发〔2020〕109号。",
        "金额12,345,678.00元，合计83460元。",
        "电话0373-3696072，传真010-12345678。",
        "统一社会信用代码1137078555222300XQ。",
        "索引号11341702486344515H/202110-00013。",
        "12345678901不是手机号，10086也不是。",
        "订单13812345678901234567（20位）。",
        "区间138-1234-5678-9不是手机号。",
    ],
)
def test_golden_non_personal(text: str) -> None:
    """Hand-picked look-alikes are not flagged (each is a known trap for naive patterns)."""
    assert find_pii(text) == []


# -- golden detections and masks --------------------------------------------------------------


def test_id_checksum_and_birth_date() -> None:
    """GB 11643: 11010519491231002X is valid; a wrong check digit or a 13th month is not."""
    assert id_number_is_valid("11010519491231002X")
    assert id_number_is_valid("11010519491231002x")
    assert not id_number_is_valid("110105194912310021")
    assert not id_number_is_valid("11010519491331002X")
    assert not id_number_is_valid("99010519491231002X")  # province 99 does not exist
    assert find_pii("号码110105194912310021") == []


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话13812345678。", "电话138****5678。"),
        ("电话138-1234-5678。", "电话138-****-5678。"),
        ("电话+86 138 1234 5678。", "电话+86 138 **** 5678。"),
        ("身份证11010519491231002X。", "身份证110105********002X。"),
        ("卡号6222021234567890。", "卡号6222********7890。"),
        ("邮箱zhangsan@example.com。", "邮箱z***@example.com。"),
    ],
)
def test_mask_shapes(text: str, masked: str) -> None:
    """The masks keep the familiar shapes (users-and-formats.md §4)."""
    if "6222021234567890" in text:
        text = text.replace("6222021234567890", _luhn_complete("622202123456789"))
        masked = masked.replace("7890", _luhn_complete("622202123456789")[-4:])
    assert mask(text) == masked


def test_grouped_card_keeps_grouping() -> None:
    """A card written in groups of four keeps its grouping: 6222 **** **** 1234."""
    number = _luhn_complete("622202123456789")
    grouped = " ".join(number[i : i + 4] for i in range(0, 16, 4))
    assert mask(f"卡号{grouped}") == f"卡号6222 **** **** {number[-4:]}"


def test_names_and_addresses_masked() -> None:
    """Caller-listed names keep the surname; addresses keep the 乡镇/街道 level."""
    text = "户主张三丰，住址某某县城关镇幸福路12号3单元401室；联系人李四。"
    out = mask(text, names=("张三丰", "李四"), addresses=("某某县城关镇幸福路12号3单元401室",))
    assert out == "户主张**，住址某某县城关镇" + "*" * 13 + "；联系人李*。"


def test_policy_strict_id_style() -> None:
    """A province mandating first-2/last-3 (35*************123) configures one policy."""
    policy = MaskPolicy(id_head=2, id_tail=3)
    assert mask("11010519491231002X", policy=policy) == "11*************02X"


def test_policy_rejects_keeping_everything() -> None:
    """A policy that would keep a whole number is refused."""
    with pytest.raises(ValidationError):
        MaskPolicy(mobile_head=7, mobile_tail=4)


def test_allow_list() -> None:
    """The agency's public mailbox on an allow list is not reported."""
    text = "电子信箱：xxzfbgkk@163.com"
    assert has_unmasked_pii(text)
    assert not has_unmasked_pii(text, allow=("xxzfbgkk@163.com",))


def test_mask_record_masks_free_text_only() -> None:
    """mask_record masks title, body and decision notes, and keeps identifiers."""
    rec = Record(
        id="R1",
        title="关于张三申请的答复",
        agency="AG1",
        formed_on=date(2024, 1, 2),
        index_number="000014349/2024-00001",
        body="张三，电话13812345678。",
        decisions=(
            AttributeDecision(
                DisclosureAttribute.PROACTIVE,
                "办公室",
                date(2024, 1, 2),
                scope=DisclosureScope.REDACTED,
                withheld_note="删去张三的手机号13812345678",
            ),
        ),
    )
    out = mask_record(rec, names=("张三",))
    assert out.title == "关于张*申请的答复"
    assert out.body == "张*，电话138****5678。"
    assert out.decisions[0].withheld_note == "删去张*的手机号138****5678"
    assert out.index_number == rec.index_number


# -- properties -------------------------------------------------------------------------------

_MASKED_KINDS = frozenset(_GENERATORS) | {PiiKind.NAME, PiiKind.ADDRESS}


# Common characters of official Chinese text, punctuation, digits and spaces.
_FILLER_ALPHABET = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"
    "同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自"
    "二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日"
    "那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变"
    "条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
    "次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
    "几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器"
    "压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安"
    "场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集"
    "温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连"
    "断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精"
    "值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属"
    "圆包火住调满县局照参红细引听该铁价严，。、；：（）0123456789 "
)


# What pasted text carries on top: zero-width characters, soft hyphens, other invisible format
# characters, full-width digits, letters and punctuation, ideographic spaces.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u202a"
_WIDE = "０１２３４５６７８９ＸＡＢＥ＠．－＋（）：　"
_TRICKY_ALPHABET = _INVISIBLE + _WIDE + "①⑫𝟏 -.\n*申请人联系张王李三四"


def _disguise(rng: random.Random, value: str) -> str:
    """``value`` as it arrives from a pasted document: full-width, with invisible characters."""
    if rng.random() < 0.5:
        value = value.translate(str.maketrans("0123456789X@.-", "０１２３４５６７８９Ｘ＠．－"))
    chars = list(value)
    for _ in range(rng.randrange(3)):
        chars.insert(rng.randrange(1, len(chars)), rng.choice(_INVISIBLE))
    return "".join(chars)


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 6),
    filler=st.text(
        alphabet=_FILLER_ALPHABET + _INVISIBLE + _WIDE,
        max_size=40,
    ),
    disguised=st.booleans(),
)
def test_mask_idempotent_and_leaves_nothing(
    seed: int, n: int, filler: str, disguised: bool
) -> None:
    """mask(mask(x)) == mask(x), and find_pii(mask(x)) finds nothing of the masked kinds, also
    when the personal data is full-width or broken up by invisible characters."""
    rng = random.Random(seed)
    parts = []
    for _ in range(n):
        kind = rng.choice(list(_GENERATORS))
        value = _GENERATORS[kind](rng)
        parts.append(rng.choice(_TEMPLATES).format(x=_disguise(rng, value) if disguised else value))
        parts.append(filler)
    names = ("王小明", "欧阳娜娜")
    addresses = ("某某区东风街道建设路5号",)
    text = "".join(parts) + "王小明住某某区东风街道建设路5号，欧阳娜娜代办。"
    once = mask(text, names=names, addresses=addresses)
    assert mask(once, names=names, addresses=addresses) == once
    left = find_pii(once, names=names, addresses=addresses)
    assert [m for m in left if m.kind in _MASKED_KINDS] == []
    # Only e-mail masks change the length (invisible characters inside a match are kept).
    assert len(once) == len(text) or "@" in text or "＠" in text


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=60)
    | st.text(alphabet=st.characters() | st.sampled_from(_TRICKY_ALPHABET), max_size=60)
    | st.text(alphabet="0123456789 -" + _TRICKY_ALPHABET, min_size=10, max_size=60)
)
def test_find_pii_spans_are_exact(text: str) -> None:
    """For any text, each match's text is the slice at its offsets, and matches do not overlap
    (also when normalisation expanded, folded or dropped characters)."""
    found = find_pii(text, extra=OPT_IN_KINDS)
    for m in found:
        assert text[m.start : m.end] == m.text
        assert m.start < m.end
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start
    masked = mask(text, extra=OPT_IN_KINDS)
    assert find_pii(masked, extra=OPT_IN_KINDS) == []
