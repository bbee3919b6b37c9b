"""The league table of faults: CSV for Excel (UTF-8 with a BOM, which Excel needs to read
Chinese) and one HTML page.

* ``league.csv``: one row per report, ranked (most errors first), with the counts of findings
  by severity and of rules held, failed and unchecked; unreadable files last, with the reason.
* ``faults.csv``: one row per fault, in the same order, with its cells and their values.
* ``league.html``: both, on one standalone page (``lang="zh-CN"``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from html import escape
from pathlib import Path

from govdisclose.audit._core import AuditedReport, AuditFinding, AuditResult
from govdisclose.findings import Severity
from govdisclose.report.validate import RuleStatus

__all__ = [
    "FAULT_COLUMNS",
    "LEAGUE_COLUMNS",
    "faults_csv",
    "league_csv",
    "league_html",
    "write_league",
]

#: Columns of ``league.csv``: Chinese heading / English heading.
LEAGUE_COLUMNS = (
    "排名 rank",
    "机关 agency",
    "年度 year",
    "文件 file",
    "类型 kind",
    "错误 errors",
    "警告 warnings",
    "提示 notes",
    "规则成立 rules held",
    "规则不成立 rules failed",
    "无法检查 rules unchecked",
    "上年报告 previous year",
    "状态 status",
)
#: Columns of ``faults.csv``.
FAULT_COLUMNS = (
    "排名 rank",
    "机关 agency",
    "年度 year",
    "文件 file",
    "检查 check",
    "规则 rule",
    "严重程度 severity",
    "单元格 cells",
    "说明 message",
    "message (English)",
)


def _rules(report: AuditedReport, status: RuleStatus) -> int:
    return sum(1 for o in report.outcomes if o.status is status)


def _cells(finding: AuditFinding) -> str:
    values = finding.values or ("",) * len(finding.cells)
    return "; ".join(
        f"{cell}={value}" if value else f"{cell}=（空白）"
        for cell, value in zip(finding.cells, values, strict=False)
    )


def _league_rows(result: AuditResult) -> Iterator[list[str]]:
    for rank, r in enumerate(result.ranked(), 1):
        yield [
            str(rank),
            r.agency,
            str(r.year),
            r.source,
            r.kind,
            str(r.count(Severity.ERROR)),
            str(r.count(Severity.WARNING)),
            str(r.count(Severity.INFO)),
            str(_rules(r, RuleStatus.HELD)),
            str(_rules(r, RuleStatus.FAILED)),
            str(_rules(r, RuleStatus.UNCHECKED)),
            r.previous or "",
            "已审查 audited",
        ]
    for u in result.unreadable:
        yield [
            "",
            "",
            "",
            u.source,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            f"无法读取 unreadable: {u.message_zh} / {u.message_en}",
        ]


def _fault_rows(result: AuditResult) -> Iterator[list[str]]:
    for rank, r in enumerate(result.ranked(), 1):
        for f in r.findings:
            yield [
                str(rank),
                f.agency,
                str(f.year),
                f.source,
                f"{f.check.label} {f.check.code}",
                f.rule_id,
                f"{f.severity.label} {f.severity.code}",
                _cells(f),
                f.message_zh,
                f.message_en,
            ]


def _csv(header: tuple[str, ...], rows: Iterator[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def league_csv(result: AuditResult) -> bytes:
    """``league.csv`` (UTF-8 with BOM, CRLF line ends)."""
    return _csv(LEAGUE_COLUMNS, _league_rows(result))


def faults_csv(result: AuditResult) -> bytes:
    """``faults.csv`` (UTF-8 with BOM, CRLF line ends)."""
    return _csv(FAULT_COLUMNS, _fault_rows(result))


_CSS = """\
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "SimSun", sans-serif; margin: 2em;
       font-size: 14px; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { border: 1px solid #999; padding: 0.25em 0.5em; vertical-align: top; }
th { background: #eee; } td.n { text-align: right; } td.k, th.k { white-space: nowrap; }
tr.error td.sev, td.error { color: #b00020; font-weight: bold; }
tr.warning td.sev, td.warning { color: #8a5300; }
tr.info td.sev { color: #1f5fa8; }
td.clean { color: #2e7d32; }
code { font-size: 0.92em; }
"""


def _faults_table(report: AuditedReport) -> str:
    if not report.findings:
        return '<p class="clean">无问题 / no faults</p>'
    rows = []
    for f in report.findings:
        cells = "<br>".join(escape(part) for part in _cells(f).split("; ")) if f.cells else ""
        rows.append(
            f'<tr class="{f.severity.code}"><td class="k">{escape(f.check.label)}</td>'
            f"<td><code>{escape(f.rule_id)}</code></td>"
            f'<td class="sev k">{escape(f.severity.label)}</td>'
            f"<td><code>{cells}</code></td>"
            f"<td>{escape(f.message_zh)}<br><small>{escape(f.message_en)}</small></td></tr>"
        )
    return (
        "<table><tr><th class=k>检查</th><th>规则</th><th class=k>严重程度</th><th>单元格</th>"
        "<th>说明</th></tr>" + "".join(rows) + "</table>"
    )


def league_html(result: AuditResult) -> str:
    """The league table and every report's faults with their cells, as one HTML page."""
    ranked = result.ranked()
    head = "".join(f"<th>{escape(c)}</th>" for c in LEAGUE_COLUMNS[:12])
    lines = []
    for rank, r in enumerate(ranked, 1):
        errors, warnings = r.count(Severity.ERROR), r.count(Severity.WARNING)
        cls = "error" if errors else ("warning" if warnings else "clean")
        lines.append(
            f'<tr><td class=n>{rank}</td><td><a href="#r{rank}">{escape(r.agency)}</a></td>'
            f"<td class=n>{r.year}</td><td>{escape(Path(r.source).name)}</td>"
            f'<td>{escape(r.kind)}</td><td class="n {cls}">{errors}</td>'
            f"<td class=n>{warnings}</td><td class=n>{r.count(Severity.INFO)}</td>"
            f"<td class=n>{_rules(r, RuleStatus.HELD)}</td>"
            f"<td class=n>{_rules(r, RuleStatus.FAILED)}</td>"
            f"<td class=n>{_rules(r, RuleStatus.UNCHECKED)}</td>"
            f"<td>{escape(Path(r.previous).name) if r.previous else '—'}</td></tr>"
        )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        "<title>政府信息公开工作年度报告审查 / annual-report audit</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>政府信息公开工作年度报告审查 <small>annual-report audit</small></h1>",
        f"<p>{len(ranked)} 份报告，{len(result.unreadable)} 个文件无法读取；"
        f"错误 {sum(r.count(Severity.ERROR) for r in ranked)}，"
        f"警告 {sum(r.count(Severity.WARNING) for r in ranked)}，"
        f"提示 {sum(r.count(Severity.INFO) for r in ranked)}。</p>",
        f"<table><tr>{head}</tr>{''.join(lines)}</table>",
    ]
    if result.unreadable:
        parts.append("<h2>无法读取的文件 / unreadable files</h2><table>")
        parts.append("<tr><th>文件 file</th><th>原因 reason</th></tr>")
        for u in result.unreadable:
            parts.append(
                f"<tr><td>{escape(u.source)}</td><td class=error>{escape(u.message_zh)}"
                f"<br><small>{escape(u.message_en)}</small> <code>{escape(u.code)}</code>"
                "</td></tr>"
            )
        parts.append("</table>")
    for rank, r in enumerate(ranked, 1):
        parts.append(
            f'<h2 id="r{rank}">{rank}. {escape(r.agency)} {r.year} '
            f"<small>{escape(Path(r.source).name)}</small></h2>"
        )
        parts.append(_faults_table(r))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_league(result: AuditResult, directory: str | Path) -> tuple[Path, Path, Path]:
    """Write ``league.csv``, ``faults.csv`` and ``league.html`` into ``directory`` (created
    if missing); returns their paths."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    league, faults, page = folder / "league.csv", folder / "faults.csv", folder / "league.html"
    league.write_bytes(league_csv(result))
    faults.write_bytes(faults_csv(result))
    page.write_text(league_html(result), encoding="utf-8")
    return league, faults, page
