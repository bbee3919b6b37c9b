"""The pages that come from the store rather than from records: the annual reports and the
依申请公开 statistics (internal)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from attrs import frozen

from govdisclose.errors import ReportError
from govdisclose.model import Agency, Record, ReviewCase
from govdisclose.params import ParameterSet
from govdisclose.report import (
    APPLICANT_COLUMNS,
    AnnualReport,
    ReportTexts,
    build_annual_report,
    rollup,
)
from govdisclose.store import ApplicationTally, Store
from govdisclose.vocab import AgencyKind
from govdisclose_static_site.naming import page_stem

__all__ = [
    "Report",
    "ReportSource",
    "SitePages",
    "build_reports",
    "owner_of",
    "report_path",
    "report_years",
    "statistics_table",
]


@frozen
class Report:
    """One annual report as the site shows it: its page and its HTML (`render_html`)."""

    year: int
    agency: str
    title: str
    path: str
    fragment: str
    consolidated: bool


@frozen
class SitePages:
    """The data of the pages that come from the store rather than from records."""

    as_of: date
    params: ParameterSet
    reports: tuple[Report, ...]
    statistics: tuple[dict[str, Any], ...]


class ReportSource:
    """The store, with the records already read (a report reads its agency's records)."""

    def __init__(self, store: Store, records: Sequence[Record], agencies: Sequence[Agency]):
        self.store = store
        self._agencies = {a.code: a for a in agencies}
        self._records: dict[str, list[Record]] = {}
        for record in records:
            self._records.setdefault(record.agency, []).append(record)
        self._cases: dict[str, list[ReviewCase]] | None = None

    def get_agency(self, code: str) -> Agency:
        return self._agencies.get(code) or self.store.get_agency(code)

    def application_tally(self, agency: str, year: int) -> ApplicationTally:
        return self.store.application_tally(agency, year)

    def records(self, *, agency: str | None = None) -> list[Record]:
        if agency is None:
            return [r for rs in self._records.values() for r in rs]
        return self._records.get(agency, [])

    def review_cases(self, *, agency: str | None = None) -> list[ReviewCase]:
        if self._cases is None:
            self._cases = {}
            for case in self.store.review_cases():
                self._cases.setdefault(case.agency, []).append(case)
        if agency is None:
            return [c for cs in self._cases.values() for c in cs]
        return self._cases.get(agency, [])


def owner_of(agencies: Sequence[Agency], wanted: str | None) -> Agency | None:
    if wanted is not None:
        return next((a for a in agencies if a.code == wanted), None)
    roots = [a for a in agencies if a.parent is None]
    governments = [a for a in roots if a.kind is AgencyKind.GOVERNMENT]
    found = governments or roots or list(agencies)
    return found[0] if found else None


#: The first report year with a uniform format (国办公开办函〔2019〕60号, for the 2019 条例):
#: `govdisclose.report.build_annual_report` refuses earlier years.
_FIRST_REPORT_YEAR = 2019


def report_years(records: Iterable[Record], as_of: date) -> list[int]:
    """The complete years (before the build day's) with records formed or published."""
    years = {r.formed_on.year for r in records}
    years |= {p.published_on.year for r in records for p in r.publications}
    return sorted(y for y in years if _FIRST_REPORT_YEAR <= y < as_of.year)


def report_path(year: int, agency: str, consolidated: bool) -> str:
    suffix = "-summary" if consolidated else ""
    return f"reports/{year}/{page_stem(agency)}{suffix}.html"


def build_reports(
    source: ReportSource,
    agencies: Sequence[Agency],
    years: Sequence[int],
    texts: ReportTexts | None,
) -> tuple[list[AnnualReport], list[str]]:
    built: list[AnnualReport] = []
    notes: list[str] = []
    for year in years:
        by_code: dict[str, AnnualReport] = {}
        for agency in agencies:
            try:
                by_code[agency.code] = build_annual_report(source, agency, year, texts=texts)
            except ReportError as err:
                notes.append(f"{agency.code} {year}: {err.message_en}")
        built.extend(by_code.values())
        for agency in agencies:
            children = [a.code for a in agencies if a.parent == agency.code]
            parts = [by_code[c] for c in [agency.code, *children] if c in by_code]
            if not children or len(parts) < 2:
                continue
            try:
                built.append(rollup(parts, agency, texts=texts, check=False))
            except ReportError as err:
                notes.append(f"{agency.code} {year} roll-up: {err.message_en}")
    return built, notes


def statistics_table(report: AnnualReport, title: str, path: str) -> dict[str, Any]:
    """The year's 依申请公开 figures of table 三: received, carried over, each outcome group,
    concluded, carried forward; 自然人, 法人或其他组织 and 总计."""
    fmt = report.format
    table = fmt.table("T3")
    orgs = [c for c in APPLICANT_COLUMNS if c not in ("natural_person", "total")]

    def value(row: str, columns: Sequence[str]) -> str:
        refs = [f"T3.{r.code}.{c}" for r in table.rows if r.has_data_cells for c in columns]
        refs = [
            ref
            for ref in refs
            if ref.split(".")[1] == row or ref.split(".")[1].startswith(row + "_")
        ]
        values = [report.cell(ref) for ref in refs]
        if not values or any(v is None for v in values):
            return ""
        return str(sum(v for v in values if v is not None))

    groups = ["R1", "R2", "R3_1", "R3_2", "R3_3", "R3_4", "R3_5", "R3_6", "R3_7", "R4"]
    labels = {r.code: r.label or r.code for r in table.rows}
    rows = [
        (labels[g], [value(g, ["natural_person"]), value(g, orgs), value(g, ["total"])])
        for g in groups
    ]
    return {
        "title": f"{report.year}年度依申请公开情况",
        "columns": ["自然人", "法人或其他组织", "总计"],
        "rows": rows,
        "report": path,
        "report_title": title,
    }
