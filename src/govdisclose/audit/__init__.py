"""Audit of published annual reports (政府信息公开工作年度报告) of many agencies and years.

A 主管部门 checks the reports its units published (条例 2019 第四十九条、第五十条; the format
国办公开办函〔2021〕30号, 〔2019〕60号 for 2019-2020): saved pages as HTML, Word (.docx) or PDF
with a text layer. `audit` reads each file (`load_source`), finds whose report it is and for
which year (`identify`: the title, else the statistical period and the file name), reads tables
二, 三 and 四 leniently (`govdisclose.report.reader`), and then:

* checks every rule of the format, saying for each whether it held, failed or could not be
  checked and why (`govdisclose.report.validate.rule_outcomes`); blank cells are one finding per
  table row, a warning (an error with ``strict=True``, filing mode);
* checks continuity with the same agency's report of the year before, when it is among the
  files: 本年 上年结转 = last year's 结转下年度继续办理 per applicant type (``T3_CARRY_LINK``)
  and the stock of documents in force (``T2_IN_FORCE_FLOW``), both heuristics of the format
  data, so warnings;
* compares the figures the narrative quotes with the tables, where the sentence is one it
  recognises (`QUOTE_PATTERNS`: 新收…申请21件 against 表三 一 总计, 行政复议3件 against 表四 …):
  a disagreement is an error, ``NARRATIVE_FIGURE``;
* keeps what the reader noticed (a unit converted, ``251000元`` as 25.1 万元; a dash read as
  blank; a row not found) as findings of check ``read``.

`write_league` writes the league table (``league.csv``, ``faults.csv`` with a BOM for Excel,
``league.html``), each fault with its cells and their values. A file that cannot be read is
listed as unreadable with the reason, never raised. ``govdisclose audit PATH...`` is the
command.
"""

from __future__ import annotations

from govdisclose.audit._core import (
    NARRATIVE_FIGURE,
    AuditCheck,
    AuditedReport,
    AuditFinding,
    AuditResult,
    QuoteCheck,
    Unreadable,
    audit,
    audit_file_paths,
)
from govdisclose.audit._league import (
    FAULT_COLUMNS,
    LEAGUE_COLUMNS,
    faults_csv,
    league_csv,
    league_html,
    write_league,
)
from govdisclose.audit._sources import SourceDocument, SourceKind, load_source
from govdisclose.audit._text import (
    QUOTE_PATTERNS,
    Identity,
    Quote,
    QuotePattern,
    agency_key,
    identify,
    quoted_figures,
    sections,
)

__all__ = [
    "FAULT_COLUMNS",
    "LEAGUE_COLUMNS",
    "NARRATIVE_FIGURE",
    "QUOTE_PATTERNS",
    "AuditCheck",
    "AuditFinding",
    "AuditResult",
    "AuditedReport",
    "Identity",
    "Quote",
    "QuoteCheck",
    "QuotePattern",
    "SourceDocument",
    "SourceKind",
    "Unreadable",
    "agency_key",
    "audit",
    "audit_file_paths",
    "faults_csv",
    "identify",
    "league_csv",
    "league_html",
    "load_source",
    "quoted_figures",
    "sections",
    "write_league",
]
