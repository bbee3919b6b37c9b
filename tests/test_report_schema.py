"""Report formats and schema: loading, cell addressing, version checks, JSON round-trip."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from govdisclose import serde
from govdisclose.errors import ReportError, ValidationError
from govdisclose.report import (
    FORMAT_2019_TRIAL,
    FORMAT_2021,
    AnnualReport,
    ApplicantCounts,
    ReportFormat,
    Table2,
    Table2Trial,
    Table3,
    Table4,
    format_by_id,
    format_for_year,
    from_cells,
    known_formats,
)


def test_format_for_year_picks_the_version() -> None:
    assert format_for_year(2019).format_id == FORMAT_2019_TRIAL
    assert format_for_year(2020).format_id == FORMAT_2019_TRIAL
    assert format_for_year(2021).format_id == FORMAT_2021
    assert format_for_year(2024).format_id == FORMAT_2021
    assert known_formats() == (FORMAT_2019_TRIAL, FORMAT_2021)


@pytest.mark.parametrize("year", [2008, 2015, 2018])
def test_years_before_2019_have_no_format(year: int) -> None:
    with pytest.raises(ReportError, match="legacy") as info:
        format_for_year(year)
    assert info.value.field == "year"


def test_unknown_format_id() -> None:
    with pytest.raises(ReportError, match="known formats"):
        format_by_id("CN-GI-ANNUAL-REPORT-1999")


def test_2021_format_matches_the_shared_skeleton() -> None:
    fmt = format_for_year(2021)
    t3 = fmt.table("T3")
    # 25 data rows x 7 columns (law/facts.md §2.4), 15 cells in T4, 10 in T2.
    assert len(t3.data_rows) == 25
    assert [c.code for c in t3.columns][-1] == "total"
    assert len(fmt.table("T4").cell_refs()) == 15
    assert len(fmt.table("T2").cell_refs()) == 10
    assert len(t3.leaf_result_rows) == 21
    assert fmt.table("T2").blocks[3].columns[0].decimal
    assert fmt.sections[0].heading == "一、总体情况"
    assert fmt.rule("T3_BALANCE").severity == "error"
    assert fmt.rule("T3_CARRY_LINK").severity == "warning"
    assert fmt.has_rule("T2_IN_FORCE_FLOW")
    assert "T3.R3_6_2.total" in fmt.cell_refs()


def test_2019_format_differences() -> None:
    fmt = format_for_year(2020)
    t3 = fmt.table("T3")
    assert len(t3.data_rows) == 23
    assert t3.row("R3_6").has_data_cells
    assert "R3_6" in t3.leaf_result_rows
    assert len(t3.leaf_result_rows) == 19
    t2 = fmt.table("T2")
    assert [b.heading for b in t2.blocks][-1] == "第二十条第（九）项"
    assert fmt.column("T2.licensing.change").signed
    assert fmt.label("T2.procurement.items") == "表二 政府集中采购 采购项目数量"
    assert not fmt.has_rule("T2_IN_FORCE_FLOW")
    assert not fmt.has_rule("FEE_TEXT_CONSISTENCY")
    # 本年增/减 may be negative, so it is not under the non-negativity rule.
    assert "licensing.change" not in fmt.rule("T2_NONNEG").values("cell")
    with pytest.raises(ReportError):
        t3.row("R3_6_1")


def test_labels_name_row_group_and_column() -> None:
    fmt = format_for_year(2021)
    assert fmt.label("T3.R3_3_4.commercial_enterprise") == (
        "表三 （三）不予公开4.保护第三方合法权益 法人或其他组织/商业企业"
    )
    assert fmt.label("T4.R1.direct_total") == "表四 行政诉讼/未经复议直接起诉/总计"
    with pytest.raises(ReportError, match="no cell"):
        fmt.label("T3.R9.total")
    with pytest.raises(ReportError, match="malformed"):
        fmt.column("T3.R1")


def _report(**values: object) -> AnnualReport:
    return from_cells(
        format_for_year(2021),
        values,  # type: ignore[arg-type]
        agency_code="A1",
        agency_name="某市某局",
        year=2021,
    )


def test_cells_address_every_field() -> None:
    rep = _report(**{"T3.R3_3_1.legal_service_org": 4, "T4.R1.after_review_pending": 2})
    assert rep.table3.r3_3_1.legal_service_org == 4
    assert rep.table4.litigation_after_review.pending == 2
    assert rep.cell("T3.R3_3_1.legal_service_org") == 4
    assert rep.cell("T3.R1.total") is None
    refs = [ref for ref, _ in rep.cells()]
    assert refs == list(format_for_year(2021).cell_refs())
    with pytest.raises(ReportError):
        rep.cell("T3.R3_6.total")


def test_t2_2021_cells() -> None:
    rep = _report(
        **{
            "T2.regulations.in_force": 12,
            "T2.licensing.decisions": 300,
            "T2.admin_fees.amount_10k_yuan": Decimal("12.5"),
        }
    )
    assert isinstance(rep.table2, Table2)
    assert rep.table2.regulations.in_force == 12
    assert rep.table2.licensing == 300
    assert rep.table2.admin_fees_10k_yuan == Decimal("12.5")
    assert rep.cell("T2.admin_fees.amount_10k_yuan") == Decimal("12.5")


def test_from_cells_refuses_unknown_refs() -> None:
    with pytest.raises(ReportError, match=r"T3\.R3_6\.total"):
        _report(**{"T3.R3_6.total": 1})


def test_with_cells_keeps_texts() -> None:
    rep = _report(**{"T3.R1.total": 3})
    rep = AnnualReport(
        format_id=rep.format_id,
        agency_code=rep.agency_code,
        agency_name=rep.agency_name,
        year=rep.year,
        table2=rep.table2,
        table3=rep.table3,
        table4=rep.table4,
        overview="概述",
    )
    changed = rep.with_cells({"T3.R1.total": 4, "T3.R2.total": None})
    assert changed.cell("T3.R1.total") == 4
    assert changed.overview == "概述"
    assert rep.cell("T3.R1.total") == 3


def test_blank_is_not_zero() -> None:
    counts = ApplicantCounts(natural_person=0)
    assert counts.natural_person == 0
    assert counts.total is None
    assert not counts.is_blank
    assert ApplicantCounts().is_blank


@pytest.mark.parametrize("bad", [True, 1.0, "3", Decimal(3)])
def test_counts_must_be_int(bad: object) -> None:
    with pytest.raises(ValidationError) as info:
        ApplicantCounts(natural_person=bad)  # type: ignore[arg-type]
    assert info.value.field == "natural_person"


def test_amount_is_decimal_from_int_or_float() -> None:
    assert Table2(admin_fees_10k_yuan=3).admin_fees_10k_yuan == Decimal(3)
    assert Table2(admin_fees_10k_yuan=0.1).admin_fees_10k_yuan == Decimal("0.1")
    with pytest.raises(ValidationError):
        Table2(admin_fees_10k_yuan=Decimal("NaN"))


def _bare(fmt_id: str, year: int, **kw: object) -> AnnualReport:
    args: dict[str, object] = {
        "format_id": fmt_id,
        "agency_code": "A",
        "agency_name": "A",
        "year": year,
        "table2": Table2(),
        "table3": Table3(),
        "table4": Table4(),
    }
    args.update(kw)
    return AnnualReport(**args)  # type: ignore[arg-type]


def test_report_checks_its_format_version() -> None:
    with pytest.raises(ValidationError, match="cannot use format") as info:
        _bare(FORMAT_2021, 2020)
    assert info.value.field == "format_id"
    with pytest.raises(ValidationError, match="Table2Trial"):
        _bare(FORMAT_2019_TRIAL, 2020, table3=Table3(r3_6=ApplicantCounts()))
    with pytest.raises(ValidationError, match="r3_6"):
        _bare(FORMAT_2019_TRIAL, 2020, table2=Table2Trial())
    with pytest.raises(ValidationError, match="r3_6"):
        _bare(
            FORMAT_2019_TRIAL,
            2020,
            table2=Table2Trial(),
            table3=Table3(r3_6=ApplicantCounts(), r3_6_1=ApplicantCounts(total=1)),
        )
    with pytest.raises(ValidationError, match="r3_6"):
        _bare(FORMAT_2021, 2021, table3=Table3(r3_6=ApplicantCounts()))
    with pytest.raises(ValidationError, match="unknown annual-report format"):
        _bare("nope", 2021)
    ok = _bare(FORMAT_2019_TRIAL, 2019, table2=Table2Trial(), table3=Table3(r3_6=ApplicantCounts()))
    assert ok.cell("T3.R3_6.total") is None


def test_trial_report_cells() -> None:
    rep = from_cells(
        format_for_year(2019),
        {"T3.R3_6.natural_person": 2, "T2.licensing.change": -3, "T2.procurement.amount": 1},
        agency_code="X",
        agency_name="雄县",
        year=2019,
    )
    assert isinstance(rep.table2, Table2Trial)
    assert rep.table3.r3_6 == ApplicantCounts(natural_person=2)
    assert rep.table3.row("R3_6_1").is_blank
    assert rep.table2.licensing.change == -3
    assert rep.cell("T2.procurement.amount") == Decimal(1)


# -- JSON round trip --------------------------------------------------------------------------


def _value(fmt: ReportFormat, ref: str) -> st.SearchStrategy[object]:
    if fmt.column(ref).decimal:
        return st.none() | st.decimals(allow_nan=False, allow_infinity=False, places=4)
    return st.none() | st.integers(min_value=-(10**12), max_value=10**12)


@st.composite
def reports(draw: st.DrawFn, depth: int = 1) -> AnnualReport:
    fmt_id = draw(st.sampled_from((FORMAT_2019_TRIAL, FORMAT_2021)))
    fmt = format_by_id(fmt_id)
    year = draw(st.integers(2019, 2020) if fmt_id == FORMAT_2019_TRIAL else st.integers(2021, 2100))
    refs = draw(st.lists(st.sampled_from(fmt.cell_refs()), max_size=40, unique=True))
    values = {ref: draw(_value(fmt, ref)) for ref in refs}
    text = st.text(max_size=30)
    kids: tuple[AnnualReport, ...] = ()
    if depth > 0:
        kids = tuple(
            r
            for r in draw(st.lists(reports(depth=0), max_size=2))
            if r.format_id == fmt_id and r.year == year
        )
    return from_cells(
        fmt,
        values,  # type: ignore[arg-type]
        agency_code=draw(st.text(min_size=1, max_size=8).filter(str.strip)),
        agency_name=draw(st.text(min_size=1, max_size=8).filter(str.strip)),
        year=year,
        preamble=draw(text),
        overview=draw(text),
        problems=draw(text),
        other_matters=draw(text),
        breakdown=kids,
    )


@settings(max_examples=60, deadline=None)
@given(reports())
def test_json_round_trip(report: AnnualReport) -> None:
    data = serde.unstructure(report)
    assert serde.structure(data, AnnualReport) == report
    assert serde.loads(serde.dumps(report), AnnualReport) == report


def test_json_amount_is_a_string() -> None:
    rep = _report(**{"T2.admin_fees.amount_10k_yuan": Decimal("0.10")})
    assert serde.unstructure(rep)["table2"]["admin_fees_10k_yuan"] == "0.10"


def test_json_rejects_a_mismatched_table() -> None:
    data = serde.unstructure(_report())
    data["table3"]["r3_6"] = serde.unstructure(ApplicantCounts())
    with pytest.raises(Exception, match="r3_6"):
        serde.structure(data, AnnualReport)
