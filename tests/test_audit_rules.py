"""The parts of the audit on their own: every rule's outcome (held, failed, not checked and why),
blank cells one finding per row, units written into cells, and what is read from the words (the
agency and year, the figures the narrative quotes).

Reports here are made cell by cell (`from_cells`); each expected value is worked out by hand in
the test.
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings, strategies as st
from tests.test_audit import Printed

from govdisclose.audit import Identity, agency_key, identify, quoted_figures, sections
from govdisclose.findings import Severity
from govdisclose.report import (
    FORMAT_2019_TRIAL,
    FORMAT_2021,
    AnnualReport,
    CellValue,
    format_by_id,
    from_cells,
)
from govdisclose.report.reader import read_html_report
from govdisclose.report.render_html import render_html
from govdisclose.report.validate import (
    BLANK_CELL,
    RuleStatus,
    UncheckedReason,
    rule_outcomes,
    validate,
)


def _zeros(year: int = 2022, **cells: CellValue) -> AnnualReport:
    """A report of ``year`` whose cells are all 0 but ``cells`` (``T3__R1__total=3``)."""
    fmt = format_by_id(FORMAT_2021 if year >= 2021 else FORMAT_2019_TRIAL)
    values: dict[str, CellValue] = dict.fromkeys(fmt.cell_refs(), 0)
    for ref in fmt.cell_refs():
        if ref in ("T2.admin_fees.amount_10k_yuan", "T2.procurement.amount"):
            values[ref] = Decimal(0)
    values.update({k.replace("__", "."): v for k, v in cells.items()})
    return from_cells(fmt, values, agency_code="G", agency_name="某局", year=year)


def _by_rule(report: AnnualReport, previous: AnnualReport | None = None, **kw: bool) -> dict:
    return {o.rule_id: o for o in rule_outcomes(report, previous, **kw)}


# -- every rule's outcome ---------------------------------------------------------------------


def test_every_rule_has_an_outcome_blank_cells_first() -> None:
    report = _zeros()
    outcomes = rule_outcomes(report)
    assert [o.rule_id for o in outcomes] == [BLANK_CELL, *(r.id for r in report.format.rules)]


def test_all_zeros_hold_and_cross_year_rules_need_last_year() -> None:
    outcomes = _by_rule(_zeros())
    cross = {"T3_CARRY_LINK", "T2_IN_FORCE_FLOW"}
    for rule_id, outcome in outcomes.items():
        if rule_id in cross:
            assert outcome.status is RuleStatus.UNCHECKED
            assert outcome.reasons == (UncheckedReason.NO_PREVIOUS_YEAR,)
        else:
            assert outcome.status is RuleStatus.HELD, rule_id
    # 7 applicant columns (6 and 总计) for the carry link, 2 document kinds for the stock.
    assert outcomes["T3_CARRY_LINK"].count(RuleStatus.UNCHECKED) == 7
    assert outcomes["T2_IN_FORCE_FLOW"].count(RuleStatus.UNCHECKED) == 2
    with_previous = _by_rule(_zeros(), _zeros(2021))
    assert {o.status for o in with_previous.values()} == {RuleStatus.HELD}


def test_last_year_in_the_trial_format_is_another_format() -> None:
    """2020 was reported in the 2019 trial format, which has no 现行有效件数: the stock cannot
    be carried on (OTHER_FORMAT), while table 三's 结转 can."""
    outcomes = _by_rule(_zeros(2021), _zeros(2020))
    flow = outcomes["T2_IN_FORCE_FLOW"]
    assert flow.status is RuleStatus.UNCHECKED
    assert flow.reasons == (UncheckedReason.OTHER_FORMAT,)
    assert flow.unchecked_cells == (
        "PREV_YEAR.T2.regulations.in_force",
        "PREV_YEAR.T2.normative_documents.in_force",
    )
    assert outcomes["T3_CARRY_LINK"].status is RuleStatus.HELD


def test_a_broken_sum_fails_with_its_cells() -> None:
    # 新收 3 自然人 but nothing concluded or carried forward: 3 + 0 != 0 + 0.
    outcomes = _by_rule(_zeros(T3__R1__natural_person=3, T3__R1__total=3))
    balance = outcomes["T3_BALANCE"]
    assert balance.status is RuleStatus.FAILED
    assert (balance.count(RuleStatus.FAILED), balance.count(RuleStatus.HELD)) == (2, 5)
    assert [f.cells for f in balance.findings] == [
        (
            "T3.R1.natural_person",
            "T3.R2.natural_person",
            "T3.R3_7.natural_person",
            "T3.R4.natural_person",
        ),
        tuple(f"T3.{r}.total" for r in ("R1", "R2", "R3_7", "R4")),
    ]
    assert outcomes["T3_ROW_TOTAL"].status is RuleStatus.HELD
    assert balance.summary() == (
        "T3_BALANCE：不成立（成立 5，不成立 2，无法检查 0）",
        "T3_BALANCE: failed (5 held, 2 failed, 0 unchecked)",
    )


def test_negative_and_fee_text_rules() -> None:
    negative = _by_rule(_zeros(T4__R1__review_other=-1, T4__R1__review_total=-1))
    assert [f.cells for f in negative["T4_NONNEG_INT"].findings] == [
        ("T4.R1.review_other",),
        ("T4.R1.review_total",),
    ]
    # Closures for unpaid fees need section 六 to mention 信息处理费.
    unpaid = {
        "T3__R3_6_2__natural_person": 1,
        "T3__R3_6_2__total": 1,
        "T3__R3_7__natural_person": 1,
        "T3__R3_7__total": 1,
        "T3__R1__natural_person": 1,
        "T3__R1__total": 1,
    }
    silent = _by_rule(_zeros(**unpaid))
    assert silent["FEE_TEXT_CONSISTENCY"].status is RuleStatus.FAILED
    assert silent["FEE_TEXT_CONSISTENCY"].findings[0].severity is Severity.INFO
    assert silent["T3_BALANCE"].status is RuleStatus.HELD
    told = attrs.evolve(_zeros(**unpaid), other_matters="本年度未收取信息处理费。")
    assert _by_rule(told)["FEE_TEXT_CONSISTENCY"].status is RuleStatus.HELD
    blank = _by_rule(_zeros(T3__R3_6_2__total=None))["FEE_TEXT_CONSISTENCY"]
    assert (blank.status, blank.reasons) == (RuleStatus.UNCHECKED, (UncheckedReason.BLANK_CELL,))


def test_blank_cells_are_one_finding_per_row() -> None:
    report = _zeros(T4__R1__review_upheld=None, T4__R1__review_total=None, T3__R1__other_org=None)
    blank = _by_rule(report)[BLANK_CELL]
    findings = blank.findings
    assert [(f.field, f.cells, f.severity) for f in findings] == [
        ("T3.R1", ("T3.R1.other_org",), Severity.WARNING),
        ("T4.R1", ("T4.R1.review_upheld", "T4.R1.review_total"), Severity.WARNING),
    ]
    assert "本年新收" in findings[0].message_zh
    # Zeros left blank: every rule reading them holds with the blanks as 0.
    assert [i.holds_if_blank_zero for i in blank.instances if i.finding] == [True, True]
    # strict (filing): errors; validate keeps one error per blank cell, as filing needs it.
    strict = _by_rule(report, strict=True)[BLANK_CELL]
    assert {f.severity for f in strict.findings} == {Severity.ERROR}
    assert [f.field for f in validate(report) if f.rule_id == BLANK_CELL] == [
        "T3.R1.other_org",
        "T4.R1.review_upheld",
        "T4.R1.review_total",
    ]


def test_a_blank_that_hides_a_broken_sum_is_said_so() -> None:
    # 复议 维持 1 left blank in a row whose 总计 says 1: reading the blank as 0 breaks the sum.
    report = _zeros(T4__R1__review_upheld=None, T4__R1__review_total=1)
    blank = _by_rule(report)[BLANK_CELL]
    (finding,) = blank.findings
    assert "仍有 1 处勾稽关系不成立" in finding.message_zh
    assert [i.holds_if_blank_zero for i in blank.instances if i.finding] == [False]
    review = _by_rule(report)["T4_REVIEW_TOTAL"]
    assert review.status is RuleStatus.UNCHECKED
    assert review.instances[0].holds_if_blank_zero is False


_REFS = tuple(format_by_id(FORMAT_2021).cell_refs())
_T3T4 = [r for r in _REFS if not r.startswith("T2")]


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(_T3T4), st.none() | st.integers(0, 3), max_size=12))
def test_outcomes_agree_with_validate(changes: dict[str, int | None]) -> None:
    """Whatever the cells, the failures `rule_outcomes` lists are `validate`'s, blank cells
    aside; an instance is unchecked exactly when a cell it reads is blank."""
    report = _zeros(**{k.replace(".", "__"): v for k, v in changes.items()})
    outcomes = rule_outcomes(report)
    listed = {(f.rule_id, f.cells) for o in outcomes[1:] for f in o.findings}
    validated = {(f.rule_id, f.cells) for f in validate(report) if f.rule_id != BLANK_CELL}
    assert listed == validated
    blanks = {ref for ref, value in report.cells() if value is None}
    assert {c for f in outcomes[0].findings for c in f.cells} == blanks
    for outcome in outcomes[1:]:
        for instance in outcome.instances:
            reads_blank = any(c in blanks for c in instance.cells)
            if outcome.rule_id in ("T3_CARRY_LINK", "T2_IN_FORCE_FLOW"):
                assert instance.reason is UncheckedReason.NO_PREVIOUS_YEAR
            else:
                assert (instance.status is RuleStatus.UNCHECKED) == reads_blank


# -- units written into cells -----------------------------------------------------------------


def _read_back(report: AnnualReport, texts: dict[str, str]) -> tuple[dict, dict]:
    page = render_html(Printed(report, texts))  # type: ignore[arg-type]
    read = read_html_report(page, year=report.year)
    return read.cells, {p.where: (p.code, p.severity, p.message_en) for p in read.problems}


@pytest.mark.parametrize(
    ("text", "value", "code"),
    [
        ("251000元", Decimal("25.1"), "unit_converted"),
        ("7.5万元", Decimal("7.5"), "unit_dropped"),
        ("0.3亿元", Decimal(3000), "unit_converted"),
        ("1,200 元", Decimal("0.12"), "unit_converted"),
        ("3千元", Decimal("0.3"), "unit_converted"),
        ("3件", None, "unit_mismatch"),
    ],
)
def test_a_unit_in_the_amount_cell_is_converted_to_万元(
    text: str, value: Decimal | None, code: str
) -> None:
    cells, problems = _read_back(_zeros(), {"T2.admin_fees.amount_10k_yuan": text})
    assert cells["T2.admin_fees.amount_10k_yuan"] == value
    got_code, severity, message = problems["T2.admin_fees.amount_10k_yuan"]
    assert got_code == code
    assert severity == ("warning" if value is None else "info")
    assert text in message


@pytest.mark.parametrize(
    ("text", "value", "code"),
    [
        ("12件", 12, "unit_dropped"),
        ("12 项", 12, "unit_dropped"),
        ("1.5件", None, "fraction_in_count"),
        ("5元", None, "unit_mismatch"),
    ],
)
def test_a_unit_in_a_count_cell(text: str, value: int | None, code: str) -> None:
    cells, problems = _read_back(_zeros(), {"T2.licensing.decisions": text})
    assert cells["T2.licensing.decisions"] == value
    assert problems["T2.licensing.decisions"][0] == code


def test_a_money_unit_where_the_format_states_none_is_not_guessed() -> None:
    """The 2019 trial format's 采购总金额 has no unit printed: ``100元`` is left blank."""
    cells, problems = _read_back(_zeros(2020), {"T2.procurement.amount": "100元"})
    assert cells["T2.procurement.amount"] is None
    assert problems["T2.procurement.amount"][:2] == ("unit_mismatch", "warning")


# -- what is read from the words --------------------------------------------------------------


def test_identify_from_the_title() -> None:
    assert identify("某市生态环境局2024年政府信息公开工作年度报告", "", "x.html") == Identity(
        "某市生态环境局", 2024, "title", "title"
    )
    older = identify("某县人民政府2019年度政府信息公开工作报告", "", "a.pdf")
    assert older is not None
    assert (older.agency, older.year) == ("某县人民政府", 2019)
    # A PDF's title wraps and its text has spaces: compacted before matching.
    wrapped = identify("某市住房和城乡 建设局 2023 年政府信息公开工作年度报告", "", "b.pdf")
    assert wrapped is not None
    assert (wrapped.agency, wrapped.year) == ("某市住房和城乡建设局", 2023)


def test_identify_from_the_period_and_the_file_name() -> None:
    text = "本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。"
    assert identify("年度报告", text, "/x/city-eeb_2024.html") == Identity(
        "city-eeb", 2024, "filename", "text"
    )
    assert identify("", "", "/x/某市统计局-2022.docx") == Identity(
        "某市统计局", 2022, "filename", "filename"
    )
    assert identify("", "", "/x/某市统计局2021年报.pdf") == Identity(
        "某市统计局", 2021, "filename", "filename"
    )
    assert identify("报告", "没有年份", "/x/report.html") is None


def test_agency_key_ignores_spaces_and_punctuation() -> None:
    assert agency_key("某市 生态环境局") == agency_key("某市生态环境局") == "某市生态环境局"
    assert agency_key("ＡＢ局（本级）") == "AB局本级"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("本年度共受理政府信息公开申请21件。", [("T3_RECEIVED", 21)]),
        # 受理 counted with the carried-over ones is not 表三 一: only 上年结转 is read.
        ("共受理申请25件（含上年结转4件）。", [("T3_CARRIED_OVER", 4)]),
        ("新收政府信息公开申请２１件，办结19件。", [("T3_NEW", 21), ("T3_CONCLUDED", 19)]),
        ("新收政府信息公开申请2\n1件", [("T3_NEW", 21)]),  # a PDF line break in the number
        ("发生行政复议3件、行政诉讼2件。", [("T4_REVIEW", 3), ("T4_LITIGATION", 2)]),
        ("现行有效规范性文件共18件。", [("T2_NORMATIVE_IN_FORCE", 18)]),
        ("申请数量较上年增长21%。", []),
        ("一、总体情况\n2024年新收申请40件。", [("T3_NEW", 40)]),
    ],
)
def test_quoted_figures(text: str, found: list[tuple[str, int]]) -> None:
    assert [(q.pattern.id, q.quoted) for q in quoted_figures(text)] == found


def test_quoted_sentence_leaves_the_heading_out() -> None:
    (quote,) = quoted_figures("一、总体情况\n2024年，本机关共新收政府信息公开申请40件。")
    assert quote.sentence == "2024年,本机关共新收政府信息公开申请40件"


def test_sections_by_their_headings() -> None:
    text = "\n".join(
        [
            "前言",
            "一、总体情况",
            "概述。",
            "五、存在的主要问题及",
            "改进情况",
            "问题。",
            "六、其他需要报告的事项本年度未收费。",
        ]
    )
    assert sections(text) == {"S1": "概述。", "S5": "问题。", "S6": "本年度未收费。"}
