"""政府信息公开工作年度报告: the report formats, schema, builder, validator and roll-up.

* `format_for_year` / `format_by_id`: the format as data (sections, tables, codes, rules);
* `AnnualReport` and its table classes: the report as frozen values, cells addressed by
  references such as ``T3.R1.natural_person``;
* ``build_annual_report``: a report from stored applications, records and review cases;
* ``validate``: the format's consistency rules as named findings;
* ``rollup``: a government's consolidated report from its departments' and subordinates';
* `govdisclose.report.legacy`: pre-2019 statistics mapped onto the 2021 rows.
"""

from govdisclose.report.builder import (
    ReportData,
    ReportTexts,
    SuppliedFigures,
    build_annual_report,
    tally_applications,
)
from govdisclose.report.filing import FilingDeadline, filing_deadline
from govdisclose.report.format import (
    FORMAT_2019_TRIAL,
    FORMAT_2021,
    BlockSpec,
    ColumnSpec,
    ReportFormat,
    RowSpec,
    RuleSpec,
    SectionSpec,
    TableSpec,
    format_by_id,
    format_for_year,
    known_formats,
)
from govdisclose.report.rollup import rollup
from govdisclose.report.schema import (
    APPLICANT_COLUMNS,
    AnnualReport,
    ApplicantCounts,
    CellValue,
    DocumentCounts,
    ItemChange,
    ItemCounts,
    ProcurementCounts,
    ResultCounts,
    Table2,
    Table2Trial,
    Table3,
    Table4,
    TrialDocumentCounts,
    from_cells,
)
from govdisclose.report.validate import BLANK_CELL, ReportFinding, check_report, validate

__all__ = [
    "APPLICANT_COLUMNS",
    "BLANK_CELL",
    "FORMAT_2019_TRIAL",
    "FORMAT_2021",
    "AnnualReport",
    "ApplicantCounts",
    "BlockSpec",
    "CellValue",
    "ColumnSpec",
    "DocumentCounts",
    "FilingDeadline",
    "ItemChange",
    "ItemCounts",
    "ProcurementCounts",
    "ReportData",
    "ReportFinding",
    "ReportFormat",
    "ReportTexts",
    "ResultCounts",
    "RowSpec",
    "RuleSpec",
    "SectionSpec",
    "SuppliedFigures",
    "Table2",
    "Table2Trial",
    "Table3",
    "Table4",
    "TableSpec",
    "TrialDocumentCounts",
    "build_annual_report",
    "check_report",
    "filing_deadline",
    "format_by_id",
    "format_for_year",
    "from_cells",
    "known_formats",
    "rollup",
    "tally_applications",
    "validate",
]
