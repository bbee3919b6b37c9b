"""Roll-up: a government's consolidated report sums its parts' cells."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from govdisclose.errors import ParameterError, ReportError, ReportInconsistent
from govdisclose.model import Agency, Applicant, Application, Received, Replied
from govdisclose.report import AnnualReport
from govdisclose.report.builder import (
    ReportData,
    ReportTexts,
    SuppliedFigures,
    build_annual_report,
)
from govdisclose.report.rollup import rollup
from govdisclose.report.validate import validate
from govdisclose.vocab import AgencyKind, AgencyLevel, ApplicantType, Channel, Outcome

CITY = Agency(
    code="CITY", name="示例市人民政府", level=AgencyLevel.CITY, kind=AgencyKind.GOVERNMENT
)


def _agency(code: str) -> Agency:
    return Agency(code=code, name=f"{code}局", level=AgencyLevel.COUNTY, parent="CITY")


def _part(
    code: str,
    year: int,
    spec: list[tuple[ApplicantType, int, int | None, Outcome]],
    fee: str = "0",
) -> AnnualReport:
    apps = []
    for i, (kind, got_month, closed_month, outcome) in enumerate(spec):
        events: list[Received | Replied] = [Received(on=date(year, got_month, 1))]
        if closed_month is not None:
            events.append(Replied(on=date(year, closed_month, 20), outcome=outcome))
        apps.append(
            Application(
                id=f"{code}-{i}",
                agency=code,
                applicant=Applicant(type=kind, name="某"),
                channel=Channel.IN_PERSON,
                request="某信息",
                events=tuple(events),
            )
        )
    return build_annual_report(
        ReportData(applications=apps, records=(), review_cases=()),
        _agency(code),
        year,
        supplied=(
            SuppliedFigures(licensing=1, penalty=2, coercion=0, admin_fees_10k_yuan=fee)
            if year >= 2021
            else None
        ),
    )


NP, CE = ApplicantType.NATURAL_PERSON, ApplicantType.COMMERCIAL_ENTERPRISE
A = _part("A", 2022, [(NP, 1, 2, Outcome.DISCLOSED), (CE, 3, None, Outcome.DISCLOSED)], "1.25")
B = _part("B", 2022, [(NP, 5, 6, Outcome.NOT_HELD), (NP, 7, 8, Outcome.DISCLOSED)], "0.5")


def test_rollup_sums_every_cell_and_keeps_the_parts() -> None:
    city = rollup([A, B], CITY)
    assert city.agency_code == "CITY"
    assert city.agency_name == "示例市人民政府"
    assert city.breakdown == (A, B)
    a, b = A.cell_map(), B.cell_map()
    for ref, value in city.cells():
        assert value == a[ref] + b[ref], ref  # type: ignore[operator]
    assert city.cell("T3.R1.natural_person") == 3
    assert city.cell("T3.R4.commercial_enterprise") == 1
    assert city.cell("T3.R3_1.total") == 2
    assert city.cell("T2.admin_fees.amount_10k_yuan") == Decimal("1.75")
    assert validate(city) == []


def test_rollup_texts_use_the_sums() -> None:
    city = rollup([A, B], CITY, texts=ReportTexts(overview="全市新收{T3.R1.total}件"))
    assert city.overview == "全市新收4件"


def test_agency_by_code_needs_a_name() -> None:
    assert rollup([A], "CITY", agency_name="示例市").agency_name == "示例市"
    with pytest.raises(ParameterError):
        rollup([A], "CITY")


def test_rollup_refuses_mixed_years_formats_duplicates_and_nothing() -> None:
    c2021 = _part("C", 2021, [(NP, 1, 2, Outcome.DISCLOSED)])
    with pytest.raises(ReportError, match="different years"):
        rollup([A, c2021], CITY)
    c2020 = _part("C", 2020, [(NP, 1, 2, Outcome.DISCLOSED)])
    with pytest.raises(ReportError, match="different years or formats"):
        rollup([c2021, c2020], CITY)
    with pytest.raises(ReportError, match="twice"):
        rollup([A, A], CITY)
    with pytest.raises(ReportError, match="no reports"):
        rollup([], CITY)


def test_blank_plus_number() -> None:
    a = A.with_cells({"T2.licensing.decisions": None})
    b = B.with_cells({"T2.penalty.decisions": None})
    both_blank = A.with_cells({"T2.coercion.decisions": None})
    b2 = B.with_cells({"T2.coercion.decisions": None})

    city = rollup([a, b], CITY)  # default: propagate
    assert city.cell("T2.licensing.decisions") is None
    assert city.cell("T2.penalty.decisions") is None
    assert [f.field for f in validate(city)] == ["T2.licensing.decisions", "T2.penalty.decisions"]

    zero = rollup([a, b], CITY, blanks="zero")
    assert zero.cell("T2.licensing.decisions") == 1
    assert zero.cell("T2.penalty.decisions") == 2
    assert rollup([both_blank, b2], CITY, blanks="zero").cell("T2.coercion.decisions") is None

    with pytest.raises(ReportError, match=r"T2\.licensing\.decisions is blank in: A"):
        rollup([a, b], CITY, blanks="error", check=False)
    with pytest.raises(ReportInconsistent):
        rollup([a, b], CITY, blanks="error")
    with pytest.raises(ParameterError):
        rollup([a, b], CITY, blanks="maybe")  # type: ignore[arg-type]


def test_inconsistent_part_is_refused() -> None:
    bad = B.with_cells({"T3.R1.total": 99})
    with pytest.raises(ReportInconsistent) as info:
        rollup([A, bad], CITY)
    assert {f.rule_id for f in info.value.findings} == {"T3_BALANCE", "T3_ROW_TOTAL"}
    assert "B" in info.value.message_en
    unchecked = rollup([A, bad], CITY, check=False)
    assert unchecked.cell("T3.R1.total") == 99 + (A.cell("T3.R1.total") or 0)


def test_rollup_of_rollups() -> None:
    c = _part("C", 2022, [(CE, 2, 3, Outcome.REPEATED)])
    county = rollup([B, c], Agency(code="CTY", name="某县人民政府", level=AgencyLevel.COUNTY))
    city = rollup([A, county], CITY)
    flat = rollup([A, B, c], CITY)
    assert city.cell_map() == flat.cell_map()
    assert city.breakdown[1].breakdown == (B, c)


_spec = st.lists(
    st.tuples(
        st.sampled_from(list(ApplicantType)),
        st.integers(1, 6),
        st.none() | st.integers(7, 12),
        st.sampled_from(list(Outcome)),
    ),
    max_size=8,
)


@settings(max_examples=25, deadline=None)
@given(st.lists(_spec, min_size=1, max_size=4))
def test_sum_of_consistent_reports_is_consistent(
    specs: list[list[tuple[ApplicantType, int, int | None, Outcome]]],
) -> None:
    parts = [_part(f"P{i}", 2023, spec) for i, spec in enumerate(specs)]
    city = rollup(parts, CITY)
    assert [f for f in validate(city) if f.rule_id != "FEE_TEXT_CONSISTENCY"] == []
    assert city.cell("T3.R1.total") == sum(len(s) for s in specs)
