"""The validator: every rule of the format, each seeded alone into a consistent report."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import attrs
import pytest

from govdisclose.errors import ReportError, ReportInconsistent
from govdisclose.report import AnnualReport, CellValue, format_for_year, from_cells
from govdisclose.report.schema import APPLICANT_COLUMNS
from govdisclose.report.validate import (
    BLANK_CELL,
    check_report,
    validate,
)
from govdisclose.rules import Finding, Severity

_COLS = APPLICANT_COLUMNS[:-1]


def _consistent(year: int, *, seed: int = 0, r2: int = 1) -> AnnualReport:
    """A report whose every cell is filled and every rule holds (for any ``seed``)."""
    fmt = format_for_year(year)
    t3 = fmt.table("T3")
    values: dict[str, CellValue] = {}
    leaves = t3.leaf_result_rows

    def put(row: str, per_col: dict[str, int]) -> None:
        for col, v in per_col.items():
            values[f"T3.{row}.{col}"] = v
        values[f"T3.{row}.total"] = sum(per_col.values())

    for i, row in enumerate(leaves):
        if row == "R3_6_2":
            put(row, dict.fromkeys(_COLS, 0))  # no unpaid fees: section 六 need not mention them
            continue
        extra = 1 if row in ("R3_1", "R3_6_3") else 0
        put(row, {c: (i + j + seed) % 3 + extra for j, c in enumerate(_COLS)})
    put("R3_7", {c: sum(int(values[f"T3.{r}.{c}"] or 0) for r in leaves) for c in _COLS})
    put("R4", dict.fromkeys(_COLS, 1 + seed % 2))
    put("R2", dict.fromkeys(_COLS, r2))
    put(
        "R1",
        {c: int(values[f"T3.R3_7.{c}"] or 0) + int(values[f"T3.R4.{c}"] or 0) - r2 for c in _COLS},
    )
    for prefix in ("review", "direct", "after_review"):
        parts = {"upheld": 2 + seed, "corrected": 1, "other": 0, "pending": 1}
        for k, v in parts.items():
            values[f"T4.R1.{prefix}_{k}"] = v
        values[f"T4.R1.{prefix}_total"] = sum(parts.values())
    for ref in fmt.table("T2").cell_refs():
        values[ref] = Decimal("1.5") if fmt.column(ref).decimal else 3 + seed
    if fmt.has_rule("T2_IN_FORCE_FLOW"):
        values["T2.regulations.in_force"] = 10 + seed
        values["T2.normative_documents.in_force"] = 20 + seed
    return from_cells(fmt, values, agency_code="A1", agency_name="某局", year=year)


def _bump(report: AnnualReport, changes: dict[str, int]) -> AnnualReport:
    updates: dict[str, CellValue] = {}
    for ref, delta in changes.items():
        value = report.cell(ref)
        assert isinstance(value, int)
        updates[ref] = value + delta
    return report.with_cells(updates)


@pytest.mark.parametrize("year", [2019, 2020, 2021, 2024])
def test_consistent_report_has_no_findings(year: int) -> None:
    report = _consistent(year)
    assert validate(report) == []
    check_report(report)


# Each seeder breaks exactly one rule while every other rule keeps holding.
SEEDS: dict[str, Callable[[AnnualReport], AnnualReport]] = {
    # one more received natural person (row total kept): 一+二 != 三(七)+四 in two columns
    "T3_BALANCE": lambda r: _bump(r, {"T3.R1.natural_person": 1, "T3.R1.total": 1}),
    # (七) up by one, 四 down by one: balance and row totals hold, leaves no longer add up
    "T3_RESULT_TOTAL": lambda r: _bump(
        r,
        {
            "T3.R3_7.other_org": 1,
            "T3.R3_7.total": 1,
            "T3.R4.other_org": -1,
            "T3.R4.total": -1,
        },
    ),
    # 总计 of (一) up and of (二) down: column sums of (七) unchanged, two row totals wrong
    "T3_ROW_TOTAL": lambda r: _bump(r, {"T3.R3_1.total": 1, "T3.R3_2.total": -1}),
    # move more than there is from (一) to (二) in one column: every sum holds, a cell < 0
    "T3_NONNEG_INT": lambda r: _bump(
        r,
        {
            "T3.R3_1.natural_person": -5,
            "T3.R3_1.total": -5,
            "T3.R3_2.natural_person": 5,
            "T3.R3_2.total": 5,
        },
    ),
    "T4_REVIEW_TOTAL": lambda r: _bump(r, {"T4.R1.review_total": 1}),
    "T4_DIRECT_TOTAL": lambda r: _bump(r, {"T4.R1.direct_total": -1}),
    "T4_AFTER_REVIEW_TOTAL": lambda r: _bump(r, {"T4.R1.after_review_total": 2}),
    # 维持 -5, 纠正 +5: the 总计 holds, a cell is negative
    "T4_NONNEG_INT": lambda r: _bump(r, {"T4.R1.review_upheld": -5, "T4.R1.review_corrected": 5}),
    "T2_NONNEG": lambda r: r.with_cells(
        {"T2.penalty.decisions" if r.year >= 2021 else "T2.penalty.prev_year_items": -1}
    ),
    "BLANK_CELL": lambda r: r.with_cells({"T3.R3_3_4.research_institution": None}),
}


@pytest.mark.parametrize("year", [2020, 2021])
@pytest.mark.parametrize("rule_id", sorted(SEEDS))
def test_each_rule_alone(rule_id: str, year: int) -> None:
    report = SEEDS[rule_id](_consistent(year))
    findings = validate(report)
    assert findings
    assert {f.rule_id for f in findings} == {rule_id}
    for f in findings:
        assert f.severity is Severity.ERROR
        assert isinstance(f, Finding)
        assert f.field in f.cells
        assert f.message_zh
        assert f.message_en
        assert f.article
        assert "国办公开办函" in f.article


def test_balance_finding_names_its_cells() -> None:
    report = SEEDS["T3_BALANCE"](_consistent(2021))
    findings = validate(report)
    assert [f.field for f in findings] == ["T3.R1.natural_person", "T3.R1.total"]
    assert findings[0].cells == (
        "T3.R1.natural_person",
        "T3.R2.natural_person",
        "T3.R3_7.natural_person",
        "T3.R4.natural_person",
    )
    assert "T3_BALANCE" in findings[0].message_en


def test_trial_result_total_uses_the_single_other_row() -> None:
    report = _bump(_consistent(2020), {"T3.R3_6.legal_service_org": 1, "T3.R3_6.total": 1})
    findings = validate(report)
    assert {f.rule_id for f in findings} == {"T3_RESULT_TOTAL"}
    assert "T3.R3_6.legal_service_org" in findings[0].cells


def test_trial_change_column_may_be_negative() -> None:
    report = _consistent(2020).with_cells({"T2.licensing.change": -4})
    assert validate(report) == []


def test_blank_cell_is_not_also_a_broken_sum() -> None:
    report = _consistent(2021).with_cells({"T3.R1.total": None})
    findings = validate(report)
    assert [(f.rule_id, f.field) for f in findings] == [(BLANK_CELL, "T3.R1.total")]


def test_carry_link_warns_against_last_year() -> None:
    this = _consistent(2021, r2=2)
    last = _consistent(2020, seed=0)  # R4 = 1 in every column
    findings = validate(this, last)
    assert {f.rule_id for f in findings} == {"T3_CARRY_LINK"}
    assert len(findings) == 7
    assert all(f.severity is Severity.WARNING for f in findings)
    assert findings[0].cells == ("T3.R2.natural_person", "PREV_YEAR.T3.R4.natural_person")
    check_report(this, last)  # warnings do not make the report inconsistent
    assert validate(_consistent(2021, r2=1), last) == []


def test_in_force_flow_warns_against_last_year() -> None:
    last = _consistent(2021)  # in force: 10 / 20
    this = _consistent(2022)  # made 3, repealed 3, in force 10 / 20: flow holds
    assert validate(this, last) == []
    broken = this.with_cells({"T2.regulations.in_force": 11})
    findings = validate(broken, last)
    assert [(f.rule_id, f.field) for f in findings] == [
        ("T2_IN_FORCE_FLOW", "T2.regulations.in_force")
    ]
    assert findings[0].severity is Severity.WARNING


def test_in_force_flow_skipped_across_the_format_change() -> None:
    # The 2019 format has no 现行有效件数: nothing to compare with in 2021.
    this = _consistent(2021, r2=1)
    last = _consistent(2020, seed=0)
    assert validate(this, last) == []


def test_fee_text_consistency() -> None:
    base = _consistent(2021)
    moved = _bump(
        base,
        {
            "T3.R3_6_3.natural_person": -1,
            "T3.R3_6_3.total": -1,
            "T3.R3_6_2.natural_person": 1,
            "T3.R3_6_2.total": 1,
        },
    )
    assert base.cell("T3.R3_6_2.total") == 0
    assert validate(base) == []
    findings = validate(moved)
    assert [f.rule_id for f in findings] == ["FEE_TEXT_CONSISTENCY"]
    assert findings[0].severity is Severity.INFO
    check_report(moved)
    told = attrs.evolve(moved, other_matters="本年共收取信息处理费0.02万元。")
    assert validate(told) == []


def test_strict_raises_with_the_findings() -> None:
    report = SEEDS["T4_REVIEW_TOTAL"](_consistent(2021))
    with pytest.raises(ReportInconsistent) as info:
        validate(report, strict=True)
    assert [f.rule_id for f in info.value.findings] == ["T4_REVIEW_TOTAL"]
    assert info.value.field == "T4.R1.review_total"
    with pytest.raises(ReportInconsistent):
        check_report(report)


def test_previous_must_be_the_year_before() -> None:
    with pytest.raises(ReportError, match="previous"):
        validate(_consistent(2021), _consistent(2019))
