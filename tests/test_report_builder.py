"""The builder: a hand-computed golden report, store vs plain data, counting choices."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from govdisclose import serde
from govdisclose.errors import ParameterError, ReportError
from govdisclose.model import (
    Agency,
    Applicant,
    Application,
    Received,
    Record,
    Replied,
    ReviewCase,
)
from govdisclose.report import FORMAT_2019_TRIAL, AnnualReport, CellValue, format_for_year
from govdisclose.report.builder import (
    DEFAULT_PREAMBLE,
    ReportData,
    ReportTexts,
    SuppliedFigures,
    build_annual_report,
    fill_placeholders,
    tally_applications,
)
from govdisclose.report.validate import validate
from govdisclose.rules import Severity
from govdisclose.testing import MemoryStore
from govdisclose.vocab import (
    AgencyLevel,
    ApplicantType,
    Channel,
    DocumentKind,
    Outcome,
    Validity,
)

GOLDEN = Path(__file__).parent / "data" / "report_golden"


def _dataset() -> dict[str, Any]:
    raw = json.loads((GOLDEN / "dataset-2022.json").read_text(encoding="utf-8"))
    return {
        "agencies": serde.structure(raw["agencies"], list[Agency]),
        "applications": serde.structure(raw["applications"], list[Application]),
        "records": serde.structure(raw["records"], list[Record]),
        "review_cases": serde.structure(raw["review_cases"], list[ReviewCase]),
    }


def _expected() -> tuple[dict[str, CellValue], dict[str, str]]:
    doc = tomllib.loads((GOLDEN / "expected-2022.toml").read_text(encoding="utf-8"))
    cells: dict[str, CellValue] = {}
    for ref in format_for_year(2022).cell_refs():
        # result cells not listed in the file are 0 (see the comment there)
        cells[ref] = 0 if ref.startswith("T3.") else None
    for table in ("T2", "T3", "T4"):
        for key, value in doc[table].items():
            cells[f"{table}.{key}"] = Decimal(value) if isinstance(value, str) else value
    return cells, doc["texts"]


_SUPPLIED = SuppliedFigures(licensing=120, penalty=35, coercion=4, admin_fees_10k_yuan="0.5")
_TEXTS = ReportTexts(
    overview="本年新收政府信息公开申请{T3.R1.total}件，上年结转{T3.R2.total}件，"
    "办结{T3.R3_7.total}件，结转下年度{T3.R4.total}件。",
    other_matters="本年度因申请人逾期未缴纳信息处理费终止处理{T3.R3_6_2.total}件，"
    "未实际收取信息处理费。",
)


def _store() -> MemoryStore:
    data = _dataset()
    store = MemoryStore()
    store.import_bulk(
        agencies=data["agencies"],
        records=data["records"],
        applications=data["applications"],
        review_cases=data["review_cases"],
    )
    return store


def test_golden_report_from_a_store() -> None:
    cells, texts = _expected()
    report = build_annual_report(_store(), "GOLD", 2022, supplied=_SUPPLIED, texts=_TEXTS)
    assert report.agency_name == "示例市数据局"
    assert report.format_id == "CN-GI-ANNUAL-REPORT-2021"
    assert report.cell_map() == cells
    assert report.overview == texts["overview"]
    assert report.other_matters == texts["other_matters"]
    assert report.preamble == DEFAULT_PREAMBLE.replace("{year}", "2022")
    assert validate(report) == []


def test_golden_report_from_plain_data_is_the_same() -> None:
    data = _dataset()
    source = ReportData(
        applications=data["applications"],
        records=data["records"],
        review_cases=data["review_cases"],
    )
    gold = data["agencies"][0]
    from_data = build_annual_report(source, gold, 2022, supplied=_SUPPLIED, texts=_TEXTS)
    from_store = build_annual_report(_store(), gold, 2022, supplied=_SUPPLIED, texts=_TEXTS)
    assert from_data == from_store


def test_tally_matches_the_store() -> None:
    data = _dataset()
    store = _store()
    for year in (2021, 2022, 2023):
        assert tally_applications(data["applications"], "GOLD", year) == store.application_tally(
            "GOLD", year
        )


def test_bare_applications_leave_records_and_cases_blank() -> None:
    data = _dataset()
    gold = data["agencies"][0]
    report = build_annual_report(data["applications"], gold, 2022)
    cells, _ = _expected()
    assert report.table3 == build_annual_report(_store(), gold, 2022).table3
    assert report.cell("T2.regulations.made") is None
    assert report.cell("T4.R1.review_total") is None
    assert report.cell("T2.licensing.decisions") is None
    assert report.cell("T3.R1.total") == cells["T3.R1.total"]


def test_empty_records_are_zero_not_blank() -> None:
    gold = Agency(code="G", name="某局", level=AgencyLevel.COUNTY)
    report = build_annual_report(
        ReportData(applications=(), records=(), review_cases=()), gold, 2022
    )
    assert report.cell("T2.regulations.in_force") == 0
    assert report.cell("T4.R1.review_total") == 0
    assert report.cell("T3.R1.total") == 0


def test_agency_name_needed() -> None:
    with pytest.raises(ParameterError, match="Agency"):
        build_annual_report([], "GOLD", 2022)


def test_years_before_2019_refused() -> None:
    with pytest.raises(ReportError, match="legacy"):
        build_annual_report(_store(), "GOLD", 2018)


def test_trial_format_merges_other_outcomes() -> None:
    gold = Agency(code="G", name="某局", level=AgencyLevel.COUNTY)
    apps = [
        _app("1", gold.code, date(2020, 3, 1), Outcome.NO_CORRECTION, date(2020, 4, 1)),
        _app("2", gold.code, date(2020, 3, 1), Outcome.OTHER, date(2020, 4, 1)),
        _app("3", gold.code, date(2020, 3, 1), Outcome.DISCLOSED, date(2020, 4, 1)),
    ]
    recs = [
        Record(
            id="N",
            title="t",
            agency="G",
            formed_on=date(2020, 1, 2),
            kind=DocumentKind.NORMATIVE_DOCUMENT,
        )
    ]
    report = build_annual_report(
        ReportData(applications=apps, records=recs, review_cases=()),
        gold,
        2020,
        supplied=SuppliedFigures(cells={"T2.licensing.decisions": 7}),
    )
    assert report.format_id == FORMAT_2019_TRIAL
    assert report.cell("T3.R3_6.natural_person") == 2
    assert report.table3.r3_6_1.is_blank
    assert report.cell("T3.R3_7.total") == 3
    assert report.cell("T2.normative_documents.new_made") == 1
    assert report.cell("T2.normative_documents.new_published") == 0
    assert report.cell("T2.licensing.decisions") == 7
    assert report.cell("T2.licensing.prev_year_items") is None
    assert {f.rule_id for f in validate(report)} == {"BLANK_CELL"}
    with pytest.raises(ReportError, match="cells"):
        build_annual_report(apps, gold, 2020, supplied=SuppliedFigures(licensing=3))


def test_supplied_cells_cannot_override_counted_ones() -> None:
    data = _dataset()
    with pytest.raises(ReportError, match="counted from the records"):
        build_annual_report(
            _store(),
            data["agencies"][0],
            2022,
            supplied=SuppliedFigures(cells={"T2.regulations.made": 9}),
        )
    with pytest.raises(ReportError, match="table 二"):
        build_annual_report(
            _store(), "GOLD", 2022, supplied=SuppliedFigures(cells={"T3.R1.total": 9})
        )
    # without records the agency may supply them
    report = build_annual_report(
        data["applications"],
        data["agencies"][0],
        2022,
        supplied=SuppliedFigures(cells={"T2.regulations.made": 9}),
    )
    assert report.cell("T2.regulations.made") == 9


def test_repealed_without_date_is_refused() -> None:
    rec = Record(
        id="R",
        title="某规章",
        agency="G",
        formed_on=date(2020, 1, 1),
        kind=DocumentKind.RULE,
        validity=Validity.REPEALED,
    )
    gold = Agency(code="G", name="某局", level=AgencyLevel.COUNTY)
    with pytest.raises(ReportError, match="repealed_on"):
        build_annual_report(ReportData(applications=(), records=[rec]), gold, 2022)


def test_placeholders() -> None:
    report = build_annual_report(_store(), "GOLD", 2022)
    assert fill_placeholders("{agency}{year}年受理{T3.R1.total}件", report) == (
        "示例市数据局2022年受理10件"
    )
    assert fill_placeholders("{不是占位符} {{", report) == "{不是占位符} {{"
    with pytest.raises(ReportError, match="unknown placeholder"):
        fill_placeholders("{total}", report)
    with pytest.raises(ReportError, match="blank"):
        fill_placeholders("{T2.licensing.decisions}", report)
    with pytest.raises(ReportError, match="no cell"):
        fill_placeholders("{T3.R9.total}", report)


def _app(
    app_id: str, agency: str, got: date, outcome: Outcome | None, closed: date | None
) -> Application:
    events: list[Any] = [Received(on=got)]
    if outcome is not None and closed is not None:
        reasons = None if outcome is Outcome.DISCLOSED else outcome.label
        events.append(Replied(on=closed, outcome=outcome, reasons=reasons))
    return Application(
        id=app_id,
        agency=agency,
        applicant=Applicant(type=ApplicantType.NATURAL_PERSON, name="张三"),
        channel=Channel.IN_PERSON,
        request="某信息",
        events=tuple(events),
    )


_days = st.dates(date(2019, 6, 1), date(2023, 12, 31))


@st.composite
def _applications(draw: st.DrawFn) -> list[Application]:
    apps = []
    for i in range(draw(st.integers(0, 25))):
        got = draw(_days)
        closed = draw(st.none() | st.dates(got, date(2024, 6, 30)))
        outcome = draw(st.sampled_from(list(Outcome))) if closed else None
        app = _app(str(i), "G", got, outcome, closed)
        kind = draw(st.sampled_from(list(ApplicantType)))
        apps.append(
            Application(
                id=app.id,
                agency=app.agency,
                applicant=Applicant(type=kind, name="x"),
                channel=app.channel,
                request=app.request,
                events=app.events,
            )
        )
    return apps


@settings(max_examples=40, deadline=None)
@given(_applications(), st.integers(2019, 2023))
def test_built_table3_always_satisfies_the_rules(apps: list[Application], year: int) -> None:
    gold = Agency(code="G", name="某局", level=AgencyLevel.COUNTY)
    report = build_annual_report(apps, gold, year)
    errors = [f for f in validate(report) if f.severity is Severity.ERROR]
    assert [f for f in errors if f.rule_id != "BLANK_CELL"] == []
    assert all(f.field and not f.field.startswith("T3.") for f in errors)
    assert report.cell("T3.R3_7.total") == sum(
        1 for a in apps if a.closed_on is not None and a.closed_on.year == year
    )
    # this year's carried-forward is next year's carried-over
    nxt = build_annual_report(apps, gold, year + 1)
    assert [f for f in validate(nxt, report) if f.rule_id == "T3_CARRY_LINK"] == []


def test_report_round_trips_json() -> None:
    report = build_annual_report(_store(), "GOLD", 2022, supplied=_SUPPLIED, texts=_TEXTS)
    assert serde.loads(serde.dumps(report), AnnualReport) == report


def test_stores_and_report_data_are_report_sources() -> None:
    """One protocol for what the builder reads: a store and ReportData both implement it;
    a bare tally source and a list of applications are still accepted (adapted, not duck-typed)."""
    from govdisclose.model import Agency as _Agency
    from govdisclose.report.builder import ReportSource, TallySource
    from govdisclose.testing import MemoryStore
    from govdisclose.vocab import AgencyLevel as _Level

    agency = _Agency(code="city-x", name="某局", level=_Level.CITY)
    data = ReportData(applications=(), records=(), review_cases=(), agencies=(agency,))
    assert isinstance(MemoryStore(), ReportSource)
    assert isinstance(data, ReportSource)
    assert data.records(agency="city-x") == ()
    assert data.all_records == ()
    by_code = build_annual_report(data, "city-x", 2022)
    assert by_code.agency_name == "某局"

    class OnlyTally:
        def application_tally(self, agency: str, year: int) -> Any:
            return MemoryStore().application_tally(agency, year)

    assert isinstance(OnlyTally(), TallySource)
    assert not isinstance(OnlyTally(), ReportSource)
    report = build_annual_report(OnlyTally(), agency, 2022)
    assert report.cell("T3.R1.total") == 0
    assert report.cell("T4.R1.review_total") is None  # no cases available: blank
    assert by_code.cell("T4.R1.review_total") == 0  # none: zero
    with pytest.raises(ParameterError) as err:
        build_annual_report(OnlyTally(), "city-x", 2022)
    assert err.value.code == "report.agency_unknown"


@pytest.mark.parametrize("value", ["abc", "1e3", "１０", "1_000", True])
def test_supplied_fees_must_be_a_plain_amount(value: object) -> None:
    """A malformed fee figure is a ValidationError naming the field, not decimal's own error."""
    from govdisclose.errors import ValidationError
    from govdisclose.report.builder import SuppliedFigures

    with pytest.raises(ValidationError) as caught:
        SuppliedFigures(admin_fees_10k_yuan=value)  # type: ignore[arg-type]
    assert caught.value.field == "admin_fees_10k_yuan"
