"""Tests for govdisclose.metadata: 索引号 schemes on the real examples of
users-and-formats.md §2.2, 文号 normalisation, the 主题分类 vocabulary and 有效性."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from govdisclose.errors import ValidationError
from govdisclose.metadata import (
    CreditCodeSerialScheme,
    IndexNumberScheme,
    OrgCodeSerialScheme,
    PatternScheme,
    RegionSerialScheme,
    TopicVocabulary,
    credit_code_is_valid,
    ensure_valid_index_number,
    normalize_document_number,
    org_code_is_valid,
    parse_document_number,
    validity_as_of,
    validity_problems,
)
from govdisclose.model import Record
from govdisclose.vocab import Validity

# -- 索引号 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "index_number"),
    [
        # Real index numbers quoted in users-and-formats.md §2.2, with the site that used them.
        (CreditCodeSerialScheme(), "1137078555222300XQ/2015-00020"),  # 高密住建局
        (CreditCodeSerialScheme(with_month=True), "11341702486344515H/202110-00013"),  # 宁国商务局
        (OrgCodeSerialScheme(), "000014349/2021-00151"),  # 国务院 style (check digit 9 is right)
        (OrgCodeSerialScheme(separator="-"), "01527918X-2020-153077"),  # 怒江 (check digit X)
        (RegionSerialScheme(), "6107280000/2024-001005"),  # 镇巴
    ],
)
def test_real_index_numbers_are_valid(scheme: IndexNumberScheme, index_number: str) -> None:
    """Every scheme accepts the real example it was written from."""
    assert scheme.validate(index_number) == []


def test_org_code_check_digit_can_be_switched_off() -> None:
    """宿迁 uses a made-up unit number 000000001 whose check digit is wrong (should be 0)."""
    strict = OrgCodeSerialScheme()
    assert [p.code for p in strict.validate("000000001/2021-00151")] == ["index.org_code"]
    assert OrgCodeSerialScheme(check_digit=False).validate("000000001/2021-00151") == []


@pytest.mark.parametrize(
    ("index_number", "codes"),
    [
        ("null02D/01A/D3C20190807", {"index.template_placeholder", "index.shape"}),  # 佳木斯
        ("1137078555222300XR/2015-00020", {"index.credit_code"}),
        ("1137078555222300XQ/1899-00020", {"index.year"}),
        ("1137078555222300XQ/2015-20", {"index.shape"}),
        ("１137078555222300XQ/2015-00020", {"index.fullwidth", "index.shape"}),
        (" 1137078555222300XQ/2015-00020", {"index.whitespace", "index.shape"}),
        ("", {"index.blank", "index.shape"}),
    ],
)
def test_credit_code_scheme_problems(index_number: str, codes: set[str]) -> None:
    """Each defect is reported with its stable code."""
    assert {p.code for p in CreditCodeSerialScheme().validate(index_number)} == codes


def test_ensure_valid_raises_with_every_problem() -> None:
    """ensure_valid_index_number raises one ValidationError on the index_number field."""
    with pytest.raises(ValidationError) as err:
        ensure_valid_index_number(CreditCodeSerialScheme(), "null/2015")
    assert err.value.field == "index_number"
    assert "null" in err.value.message_zh


def test_pattern_scheme_for_local_rules() -> None:
    """A local scheme (连云港 2008: 5 letters-类别-年度-流水) is a regular expression."""
    scheme = PatternScheme(
        "连云港", r"[A-Z]{5}-[A-Z0-9]{2}-(?P<year>\d{4})-\d{4}", "LYGAB-01-2008-0001"
    )
    assert scheme.validate("LYGAB-01-2008-0001") == []
    assert {p.code for p in scheme.validate("LYGAB-01-1850-0001")} == {"index.year"}
    assert {p.code for p in scheme.validate("lyg-1")} == {"index.shape"}
    with pytest.raises(ValidationError):
        PatternScheme("bad", "(", "x")


def test_check_digit_functions() -> None:
    """GB 32100 and GB 11714 check characters on known-good and altered codes."""
    assert credit_code_is_valid("91350100M000100Y43")
    assert not credit_code_is_valid("91350100M000100Y44")
    assert not credit_code_is_valid("91350100M000100Y4")
    assert org_code_is_valid("00001434-9")
    assert org_code_is_valid("01527918X")
    assert not org_code_is_valid("015279181")


# -- 文号 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "x政发〔2014〕5号",
        "x政发[2014]5号",
        "x政发(2014)5号",
        "x政发（2014）5号",
        "x政发【2014】5号",
        "x政发［2014］5号",
        "x政发〔2014〕第5号",
        "x政发〔2014〕05号",
        "x政发 〔２０１４〕 ５ 号",
    ],
)
def test_document_number_variants(variant: str) -> None:
    """Every bracket style, full-width digits, spaces, 第 and padding give 〔2014〕5号."""
    assert normalize_document_number(variant) == "x政发〔2014〕5号"


def test_real_page_document_numbers() -> None:
    """The variants seen on real pages (users-and-formats.md §1.3)."""
    assert normalize_document_number("湘政发【2012】33号") == "湘政发〔2012〕33号"
    assert normalize_document_number("新政办发[2018]47号") == "新政办发〔2018〕47号"
    parsed = parse_document_number("国办函〔2020〕109号")
    assert (parsed.prefix, parsed.year, parsed.serial) == ("国办函", 2020, 109)


@pytest.mark.parametrize("bad", ["", "〔2014〕5号", "x政发2014年5号", "x政发〔14〕5号", "关于通知"])
def test_document_number_rejects(bad: str) -> None:
    """A text that is not 机关代字〔year〕N号 is refused with a ValidationError."""
    with pytest.raises(ValidationError):
        parse_document_number(bad)


@given(
    prefix=st.sampled_from(["国办发", "京政发", "湘政办函", "桓政办发"]),
    year=st.integers(1990, 2099),
    serial=st.integers(1, 999),
    brackets=st.sampled_from(["〔〕", "[]", "()", "（）", "【】"]),
    padding=st.integers(0, 2),
    di=st.booleans(),
)
def test_normalisation_is_canonical_and_idempotent(
    prefix: str, year: int, serial: int, brackets: str, padding: int, di: bool
) -> None:
    """Any variant normalises to the same canonical form, which is a fixed point."""
    text = f"{prefix}{brackets[0]}{year}{brackets[1]}{'第' if di else ''}{'0' * padding}{serial}号"
    canonical = normalize_document_number(text)
    assert canonical == f"{prefix}〔{year}〕{serial}号"
    assert normalize_document_number(canonical) == canonical


# -- 主题分类 -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def topics() -> TopicVocabulary:
    return TopicVocabulary.bundled()


def test_bundled_vocabulary_holds_the_source_list(topics: TopicVocabulary) -> None:
    """22 top-level topics and the 4 second levels quoted in §2.3 (9 + 9 + 7 + 7 = 32)."""
    top = [t for t in topics if t.parent is None]
    assert len(top) == 22
    assert top[0].label == "国务院组织机构"
    assert top[-1].label == "其他"
    assert len(topics) == 22 + 32
    assert topics.version


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("综合政务\\政务公开", "综合政务\\政务公开"),
        ("综合政务 / 政务公开", "综合政务\\政务公开"),
        ("02", "综合政务"),
        ("02.01", "综合政务\\政务公开"),
        ("财政、金融、审计", "财政、金融、审计"),
        ("民政、乡村振兴、救灾", "民政、扶贫、救灾"),  # 怒江's local label
        ("民政、乡村振兴、救灾\\扶贫", "民政、扶贫、救灾\\扶贫"),
    ],
)
def test_lookup(topics: TopicVocabulary, key: str, path: str) -> None:
    """Lookup by code, label, path (any separator) or local alias."""
    assert topics.lookup(key).path == path


def test_unknown_topics(topics: TopicVocabulary) -> None:
    """Unknown labels raise; unlisted children of listed parents are problems."""
    with pytest.raises(ValidationError):
        topics.lookup("不存在的分类")
    assert topics.get("其他\\其他") is None
    assert topics.problems("综合政务\\不存在")
    assert topics.problems("不存在\\其他")
    # The source gave no second level for 国防: a child there cannot be checked, so it passes.
    assert topics.problems("国防\\其他") == []


def test_local_aliases_and_versioned_files(topics: TopicVocabulary, tmp_path: Path) -> None:
    """with_aliases adds local names; a provincial file loads with its own version."""
    local = topics.with_aliases({"政务公开工作": "综合政务\\政务公开"})
    assert local.lookup("政务公开工作").code == "02.01"
    assert topics.get("政务公开工作") is None
    path = tmp_path / "topics.toml"
    path.write_text(
        'version = "js-2024"\n[[topic]]\ncode = "A"\nlabel = "综合"\nchildren = ["公开"]\n',
        encoding="utf-8",
    )
    loaded = TopicVocabulary.load(path)
    assert (loaded.version, loaded.lookup("综合\\公开").code) == ("js-2024", "A.01")
    with pytest.raises(ValidationError):
        topics.with_aliases({"x": "nowhere"})


def test_bad_vocabulary_files(tmp_path: Path) -> None:
    """Malformed TOML, unknown keys and duplicate codes are load errors."""
    bad = tmp_path / "bad.toml"
    bad.write_text("version = ", encoding="utf-8")
    with pytest.raises(ValidationError):
        TopicVocabulary.load(bad)
    bad.write_text('version = "1"\ncolour = 1\n[[topic]]\ncode="1"\nlabel="a"\n', encoding="utf-8")
    with pytest.raises(ValidationError):
        TopicVocabulary.load(bad)
    bad.write_text(
        'version = "1"\n[[topic]]\ncode="1"\nlabel="a"\n[[topic]]\ncode="1"\nlabel="b"\n',
        encoding="utf-8",
    )
    with pytest.raises(ValidationError):
        TopicVocabulary.load(bad)


# -- 有效性 -------------------------------------------------------------------------------------


def _rec(**kw: object) -> Record:
    return Record("R1", "某办法", "AG1", date(2020, 1, 1), **kw)  # type: ignore[arg-type]


def test_validity_problems() -> None:
    """废止 needs a date; a date needs 废止 or 失效."""
    assert validity_problems(_rec()) == []
    assert [p.code for p in validity_problems(_rec(validity=Validity.REPEALED))] == [
        "validity.missing_date"
    ]
    assert [p.code for p in validity_problems(_rec(repealed_on=date(2024, 1, 1)))] == [
        "validity.date_without_repeal"
    ]
    ok = _rec(validity=Validity.REPEALED, repealed_on=date(2024, 1, 1))
    assert validity_problems(ok) == []


def test_validity_as_of() -> None:
    """Before its repeal date a repealed document showed 有效; from that day 废止."""
    rec = _rec(validity=Validity.REPEALED, repealed_on=date(2024, 1, 1))
    assert validity_as_of(rec, date(2023, 12, 31)) is Validity.VALID
    assert validity_as_of(rec, date(2024, 1, 1)) is Validity.REPEALED
    assert validity_as_of(_rec(), date(2030, 1, 1)) is Validity.VALID
