"""The audit itself: read every file, identify it, validate it, link the years, check the words."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path

import attrs
from attrs import frozen

from govdisclose.audit._sources import SourceDocument, load_source
from govdisclose.audit._text import Identity, agency_key, identify, quoted_figures, sections
from govdisclose.errors import GovDiscloseError, ReportParseError
from govdisclose.findings import Severity
from govdisclose.report.reader import ReadResult, read_html_report, read_report_grids
from govdisclose.report.schema import AnnualReport, CellValue
from govdisclose.report.validate import (
    BLANK_CELL,
    RuleOutcome,
    RuleStatus,
    rule_outcomes,
)
from govdisclose.vocab import CodedEnum

__all__ = [
    "NARRATIVE_FIGURE",
    "AuditCheck",
    "AuditFinding",
    "AuditResult",
    "AuditedReport",
    "QuoteCheck",
    "Unreadable",
    "audit",
    "audit_file_paths",
]

#: Rule id of a figure the narrative quotes that disagrees with the tables.
NARRATIVE_FIGURE = "NARRATIVE_FIGURE"
# Cross-year rules of the format (T3_CARRY_LINK: 上年结转 = last year's 结转下年度).
_CONTINUITY = frozenset({"T3_CARRY_LINK", "T2_IN_FORCE_FLOW"})
_PREV = "PREV_YEAR."
_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".docx", ".pdf")


class AuditCheck(CodedEnum):
    """Which part of the audit found a fault."""

    READ = ("read", "读取")
    BLANK = ("blank", "空白单元格")
    ARITHMETIC = ("arithmetic", "勾稽关系")
    CONTINUITY = ("continuity", "年度衔接")
    NARRATIVE = ("narrative", "正文数字")
    IDENTITY = ("identity", "机关与年度")


@frozen
class AuditFinding:
    """One fault of one report: ``cells`` the cells concerned, ``values`` their values as
    printed (``""`` blank; ``PREV_YEAR.`` cells from last year's report)."""

    source: str
    agency: str
    year: int
    check: AuditCheck
    rule_id: str
    severity: Severity
    message_zh: str
    message_en: str
    cells: tuple[str, ...] = ()
    values: tuple[str, ...] = ()


@frozen
class QuoteCheck:
    """A figure the narrative quotes, against the tables: ``status`` ``HELD``, ``FAILED`` or
    ``UNCHECKED`` (a cell it sums is blank)."""

    pattern_id: str
    sentence: str
    quoted: int
    cells: tuple[str, ...]
    table_value: int | None
    status: RuleStatus


@frozen
class AuditedReport:
    """One file read and checked.

    ``identity`` says where its agency and year were found; ``report`` is None when the
    cells could not be made into a report (a table format that the year cannot have);
    ``previous`` the file of the year before, if it was among those audited; ``outcomes``
    every rule with its outcome (`rule_outcomes`); ``quotes`` the narrative figures checked.
    """

    source: str
    kind: str
    identity: Identity
    format_id: str
    report: AnnualReport | None
    previous: str | None
    outcomes: tuple[RuleOutcome, ...]
    quotes: tuple[QuoteCheck, ...]
    findings: tuple[AuditFinding, ...]

    @property
    def agency(self) -> str:
        """The agency's name as found."""
        return self.identity.agency

    @property
    def year(self) -> int:
        """The report year."""
        return self.identity.year

    def count(self, severity: Severity) -> int:
        """How many findings have ``severity``."""
        return sum(1 for f in self.findings if f.severity is severity)


@frozen
class Unreadable:
    """A file the audit could not read, and why (``code`` as in `ReportParseError`)."""

    source: str
    code: str
    message_zh: str
    message_en: str


@frozen
class AuditResult:
    """Every report audited, and every file that could not be read."""

    reports: tuple[AuditedReport, ...]
    unreadable: tuple[Unreadable, ...] = ()

    @property
    def findings(self) -> tuple[AuditFinding, ...]:
        """All findings, report by report."""
        return tuple(f for r in self.reports for f in r.findings)

    @property
    def has_errors(self) -> bool:
        """True if any finding is an error or any file could not be read."""
        return bool(self.unreadable) or any(f.severity is Severity.ERROR for f in self.findings)

    def ranked(self) -> tuple[AuditedReport, ...]:
        """The league table: most errors first, then warnings, then notes; ties by agency
        and year."""
        return tuple(
            sorted(
                self.reports,
                key=lambda r: (
                    -r.count(Severity.ERROR),
                    -r.count(Severity.WARNING),
                    -r.count(Severity.INFO),
                    agency_key(r.agency),
                    r.year,
                    r.source,
                ),
            )
        )


def audit_file_paths(paths: Iterable[str | Path]) -> list[Path]:
    """The files to audit: each file given, and under each directory every ``.html``, ``.htm``,
    ``.shtml``, ``.xhtml``, ``.docx`` and ``.pdf`` file (recursively, sorted)."""
    out: list[Path] = []
    for item in map(Path, paths):
        if item.is_dir():
            out.extend(
                sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in _SUFFIXES)
            )
        else:
            out.append(item)
    return list(dict.fromkeys(out))


@frozen
class _Read:
    doc: SourceDocument
    identity: Identity
    cells: ReadResult
    report: AnnualReport | None
    problem: AuditFinding | None


def _read(path: Path) -> _Read:
    doc = load_source(path)
    identity = identify(doc.title, doc.text, doc.path)
    if identity is None:
        raise ReportParseError(
            f"{path.name}：无法确定机关和年度（标题、统计期限和文件名中都没有）",
            f"{path.name}: cannot tell the agency and year (neither the title, the statistical "
            "period nor the file name gives them)",
            field=str(path),
            code="audit.no_identity",
        )
    if doc.html is not None:
        cells = read_html_report(doc.html, year=identity.year, partial=True)
    else:
        cells = read_report_grids(doc.grids, year=identity.year, partial=True)
    parts = sections(doc.text)
    try:
        report = cells.to_report(
            agency_code=agency_key(identity.agency) or identity.agency,
            agency_name=identity.agency,
            year=identity.year,
            overview=parts.get("S1", doc.text if not parts else ""),
            problems=parts.get("S5", ""),
            other_matters=parts.get("S6", ""),
        )
        problem = None
    except GovDiscloseError as err:
        # A year whose format the tables are not in (2019 trial tables on a 2022 page).
        report = None
        problem = AuditFinding(
            doc.path,
            identity.agency,
            identity.year,
            AuditCheck.IDENTITY,
            err.code,
            Severity.ERROR,
            err.message_zh,
            err.message_en,
        )
    return _Read(doc, identity, cells, report, problem)


def _shown(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _values(
    cells: Sequence[str], report: AnnualReport, previous: AnnualReport | None
) -> tuple[str, ...]:
    now = report.cell_map()
    before = previous.cell_map() if previous is not None else {}
    return tuple(
        _shown(before.get(c.removeprefix(_PREV)) if c.startswith(_PREV) else now.get(c))
        for c in cells
    )


def _check_of(rule_id: str) -> AuditCheck:
    if rule_id == BLANK_CELL:
        return AuditCheck.BLANK
    return AuditCheck.CONTINUITY if rule_id in _CONTINUITY else AuditCheck.ARITHMETIC


def _quotes(read: _Read, report: AnnualReport) -> tuple[list[QuoteCheck], list[AuditFinding]]:
    values = report.cell_map()
    checks: list[QuoteCheck] = []
    findings: list[AuditFinding] = []
    for quote in quoted_figures(read.doc.text):
        cells = quote.pattern.cells
        got = [values.get(c) for c in cells]
        if any(v is None for v in got):
            checks.append(
                QuoteCheck(
                    quote.pattern.id,
                    quote.sentence,
                    quote.quoted,
                    cells,
                    None,
                    RuleStatus.UNCHECKED,
                )
            )
            continue
        total = int(sum((v for v in got if v is not None), Decimal(0)))
        status = RuleStatus.HELD if total == quote.quoted else RuleStatus.FAILED
        checks.append(
            QuoteCheck(quote.pattern.id, quote.sentence, quote.quoted, cells, total, status)
        )
        if status is RuleStatus.FAILED:
            where = " + ".join(cells)
            findings.append(
                AuditFinding(
                    read.doc.path,
                    read.identity.agency,
                    read.identity.year,
                    AuditCheck.NARRATIVE,
                    NARRATIVE_FIGURE,
                    Severity.ERROR,
                    f"正文“{quote.sentence[:60]}”写 {quote.quoted} 件，表格 {where} 为 {total}",
                    f"the narrative says {quote.quoted} ({quote.pattern.id}: "
                    f"{quote.sentence[:60]}), the table's {where} is {total}",
                    cells,
                    tuple(_shown(v) for v in got),
                )
            )
    return checks, findings


def audit(
    paths: Iterable[str | Path],
    *,
    strict: bool = False,
    progress: Callable[[list[Path]], Iterable[Path]] | None = None,
) -> AuditResult:
    """Audit saved annual-report pages (HTML, .docx, PDF with a text layer).

    Each file is read (`load_source`), its agency and year identified (`identify`), its cells
    read leniently, every rule of its format checked (`rule_outcomes`, with the same agency's
    report of the year before when that is among the files: the continuity rules
    ``T3_CARRY_LINK`` and ``T2_IN_FORCE_FLOW``), and the figures its narrative quotes compared
    with the tables (`quoted_figures`). What the reader noticed (a unit converted, a dash read
    as blank, a row not found) is a finding too, with the reader's severity.

    :param paths: files and directories (see `audit_file_paths`).
    :param strict: filing mode: blank cells are errors, not warnings.
    :param progress: wraps the list of files while they are read (a progress bar).
    :returns: an `AuditResult`; a file that cannot be read is in ``unreadable`` with the
        reason, never an exception.
    """
    files = audit_file_paths(paths)
    reads: list[_Read] = []
    unreadable: list[Unreadable] = []
    for path in progress(files) if progress is not None else files:
        try:
            reads.append(_read(path))
        except GovDiscloseError as err:
            unreadable.append(Unreadable(str(path), err.code, err.message_zh, err.message_en))
    # The first file of each agency-year is the one the next year is compared with.
    by_year: dict[tuple[str, int], _Read] = {}
    for read in reads:
        by_year.setdefault((agency_key(read.identity.agency), read.identity.year), read)
    audited = [_audit_one(read, by_year, strict) for read in reads]
    return AuditResult(tuple(audited), tuple(unreadable))


def _audit_one(read: _Read, by_year: dict[tuple[str, int], _Read], strict: bool) -> AuditedReport:
    ident = read.identity
    findings = [
        AuditFinding(
            read.doc.path,
            ident.agency,
            ident.year,
            AuditCheck.READ,
            f"READ_{p.code.upper()}",
            Severity.from_code(p.severity),
            p.message_zh,
            p.message_en,
            (p.where,) if p.where.count(".") == 2 else (),
            (),
        )
        for p in read.cells.problems
    ]
    if read.problem is not None:
        findings.append(read.problem)
    report = read.report
    outcomes: tuple[RuleOutcome, ...] = ()
    quotes: list[QuoteCheck] = []
    before = by_year.get((agency_key(ident.agency), ident.year - 1))
    previous = before.report if before is not None else None
    if report is not None:
        outcomes = tuple(rule_outcomes(report, previous, strict=strict))
        for outcome in outcomes:
            for found in outcome.findings:
                findings.append(
                    AuditFinding(
                        read.doc.path,
                        ident.agency,
                        ident.year,
                        _check_of(found.rule_id),
                        found.rule_id,
                        found.severity,
                        found.message_zh,
                        found.message_en,
                        found.cells,
                        _values(found.cells, report, previous),
                    )
                )
        quotes, said = _quotes(read, report)
        findings.extend(said)
    findings = [
        attrs.evolve(f, values=_values(f.cells, report, previous))
        if f.check is AuditCheck.READ and report is not None and f.cells
        else f
        for f in findings
    ]
    return AuditedReport(
        source=read.doc.path,
        kind=read.doc.kind,
        identity=ident,
        format_id=read.cells.format_id,
        report=report,
        previous=before.doc.path if before is not None and previous is not None else None,
        outcomes=outcomes,
        quotes=tuple(quotes),
        findings=tuple(findings),
    )
