"""When an annual report is due (条例 2019 第四十九条; 2008 第三十一条).

These are natural-day dates, not working days: the regulation names a calendar day, and no rule
moves it when it falls on a weekend (law/facts.md §3.1), so none is applied here.
"""

from __future__ import annotations

from datetime import date

from attrs import frozen
from dateutil.relativedelta import relativedelta

from govdisclose._time import count_arg
from govdisclose.errors import ReportError
from govdisclose.model import Agency
from govdisclose.vocab import AgencyKind, AgencyLevel

__all__ = ["FilingDeadline", "filing_deadline"]

#: Reports for 2019 onwards are filed under the 2019 text (in force 2019-05-15).
_FIRST_YEAR_2019_RULES = 2019


@frozen
class FilingDeadline:
    """The last day to file (submit and publish) an agency's report for ``year``."""

    agency: str
    year: int
    due: date
    article: str
    note: str


def filing_deadline(agency: Agency, year: int) -> FilingDeadline:
    """The statutory filing date of ``agency``'s report on ``year``.

    Under the 2019 text, departments of governments at county level and above submit and publish
    by 31 January, and the government's own report is published by 31 March (第四十九条). Before,
    every agency reported by 31 March (2008 第三十一条). Township governments and other bodies
    have no statutory date; local rules fill the gap, so that is an error rather than a guess.
    """
    year = count_arg(year, "year")
    year_end = date(year, 12, 31)
    if year < _FIRST_YEAR_2019_RULES:
        return FilingDeadline(
            agency.code,
            year,
            year_end + relativedelta(months=3),
            "条例（2008）第三十一条",
            "每年3月31日前公布上一年度年度报告",
        )
    if agency.level is AgencyLevel.TOWNSHIP or agency.kind is AgencyKind.OTHER:
        raise ReportError(
            f"《条例》第四十九条未规定{agency.level.label}{agency.kind.label}的年报期限，请按本地规定",
            f"article 49 sets no date for a {agency.level.code} {agency.kind.code} body; "
            "local rules apply",
            field="agency",
            code="report.no_filing_date",
        )
    if agency.kind is AgencyKind.DEPARTMENT:
        due = year_end + relativedelta(months=1)
        note = "县级以上人民政府部门每年1月31日前向本级政府信息公开工作主管部门提交并公布"
    else:
        due = year_end + relativedelta(months=3)
        note = "县级以上地方人民政府的政府信息公开工作主管部门每年3月31日前公布本级政府年度报告"
    return FilingDeadline(agency.code, year, due, "条例（2019）第四十九条", note)
