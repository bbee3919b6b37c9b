"""Filing dates follow 条例 2019 第四十九条 (2008: 第三十一条), as natural days."""

from __future__ import annotations

from datetime import date

import pytest

from govdisclose.errors import ReportError
from govdisclose.model import Agency
from govdisclose.report.filing import filing_deadline
from govdisclose.vocab import AgencyKind, AgencyLevel

DEPT = Agency(code="d", name="某市生态环境局", level=AgencyLevel.CITY, kind=AgencyKind.DEPARTMENT)
GOV = Agency(code="g", name="某市人民政府", level=AgencyLevel.CITY, kind=AgencyKind.GOVERNMENT)


@pytest.mark.parametrize(
    ("agency", "year", "due"),
    [
        (DEPT, 2024, date(2025, 1, 31)),  # a Friday
        (GOV, 2024, date(2025, 3, 31)),
        (DEPT, 2019, date(2020, 1, 31)),  # first report under the 2019 text
        (DEPT, 2018, date(2019, 3, 31)),  # 2008 text: everyone by 31 March (a Sunday: not moved)
        (GOV, 2015, date(2016, 3, 31)),
    ],
)
def test_filing_dates(agency: Agency, year: int, due: date) -> None:
    """Departments by 31 January, governments by 31 March; before 2019 all by 31 March."""
    assert filing_deadline(agency, year).due == due


def test_township_has_no_statutory_date() -> None:
    """The regulation names no date for townships: refuse rather than guess."""
    town = Agency(
        code="t", name="某镇人民政府", level=AgencyLevel.TOWNSHIP, kind=AgencyKind.GOVERNMENT
    )
    with pytest.raises(ReportError) as caught:
        filing_deadline(town, 2024)
    assert caught.value.code == "report.no_filing_date"
