"""Build an agency's annual report from what it stored (条例 2019 第四十九条、第五十条).

Where each table comes from:

* **表三** (applications): the `govdisclose.store.ApplicationTally` of the agency-year, from
  ``store.application_tally`` or, for plain data, `tally_applications` (the same counting
  rules: received in the year; carried over = received earlier and open on 1 January; concluded
  in the year by outcome and applicant type; carried forward = open after 31 December). The
  总计 column and row （七）总计 are sums. In the 2019 format the three （六） outcomes are one row.
* **表二** (proactive disclosure): 规章 / 行政规范性文件 counts from the agency's records
  (``DocumentKind.RULE`` / ``NORMATIVE_DOCUMENT``): 制发 = ``formed_on`` in the year, 废止 =
  ``repealed_on`` in the year, 现行有效 = formed by 31 December and not repealed by then. For
  the 2019 format: 新制作 = formed in the year, 新公开 = first published in the year, 对外公开
  总数量 = published by 31 December. Licensing, penalty, coercion and fee figures are not in the
  records: the agency supplies them (`SuppliedFigures`); what it does not supply stays blank.
* **表四** (review and litigation): the cases *handled* in the year — filed by 31 December and
  not concluded before 1 January — each in the column of its result as of 31 December
  (`ReviewCase.result_as_of`), so a case still open at the year end is 尚未审结 this year and
  shows its result next year. (Counting only cases filed in the year would never report the
  result of a case pending at a year end.)

A source that does not carry records or review cases (a bare iterable of applications) leaves
those cells blank rather than 0: the builder does not know they are zero.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

import attrs
from attrs import field, frozen

from govdisclose.errors import ParameterError, ReportError, ValidationError
from govdisclose.model import Agency, Application, Record, ReviewCase
from govdisclose.report.format import FORMAT_2019_TRIAL, ReportFormat, format_for_year
from govdisclose.report.schema import (
    APPLICANT_COLUMNS,
    AnnualReport,
    ApplicantCounts,
    CellValue,
    DocumentCounts,
    ResultCounts,
    Table2,
    Table2Trial,
    Table3,
    Table4,
    TrialDocumentCounts,
    from_cells,
)
from govdisclose.store import ApplicationTally
from govdisclose.vocab import (
    ApplicantType,
    DocumentKind,
    Outcome,
    OutcomeGroup,
    ReviewCaseKind,
    ReviewResult,
    Validity,
)

__all__ = [
    "DEFAULT_PREAMBLE",
    "ReportData",
    "ReportSource",
    "ReportTexts",
    "SuppliedFigures",
    "TallySource",
    "build_annual_report",
    "fill_placeholders",
    "table2_from_records",
    "table3_from_tally",
    "table4_from_cases",
    "tally_applications",
]

#: The usual opening paragraph (law/facts.md §2.2): legal basis and statistical period.
DEFAULT_PREAMBLE = (
    "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定编制。"
    "本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
)

_PLACEHOLDER = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+){0,2})\}")


@runtime_checkable
class TallySource(Protocol):
    """The part of `govdisclose.store.Store` the builder needs for table 三 alone (a source
    with nothing else gives blank table 二 document rows and a blank table 四)."""

    def application_tally(self, agency: str, year: int) -> ApplicationTally:
        """The agency-year tally (see `ApplicationTally`)."""


@runtime_checkable
class ReportSource(Protocol):
    """What `build_annual_report` reads: every `govdisclose.store.Store` is one, and so is
    `ReportData` (plain data, for hosts without a store).

    ``records`` and ``review_cases`` return ``None`` for "not available" (the cells they feed
    stay blank), an empty iterable for "there are none" (those cells are 0).
    """

    def get_agency(self, code: str) -> Agency:
        """The agency with this code (its name goes on the report)."""

    def application_tally(self, agency: str, year: int) -> ApplicationTally:
        """The agency-year tally (see `ApplicationTally`)."""

    def records(self, *, agency: str | None = None) -> Iterable[Record] | None:
        """The agency's records (table 二's document rows)."""

    def review_cases(self, *, agency: str | None = None) -> Iterable[ReviewCase] | None:
        """The agency's review and litigation cases (table 四)."""


def _tuple(value: Iterable[Any] | None) -> tuple[Any, ...] | None:
    return None if value is None else tuple(value)


def _applications(value: Iterable[Application]) -> tuple[Application, ...]:
    return tuple(value)


@frozen
class ReportData:
    """Plain data to build a report from, for hosts without a `Store`; a `ReportSource`.

    ``records`` / ``review_cases`` of ``None`` mean "not available": the cells they feed stay
    blank. An empty tuple means "there are none": those cells are 0. ``agencies`` lets a report
    be asked for by agency code.

    The fields are read through the `ReportSource` methods of the same names, which select the
    agency's items: ``data.records`` is the method, ``data.all_records`` the field.
    """

    applications: tuple[Application, ...] = field(converter=_applications)
    all_records: tuple[Record, ...] | None = field(default=None, converter=_tuple, alias="records")
    all_review_cases: tuple[ReviewCase, ...] | None = field(
        default=None, converter=_tuple, alias="review_cases"
    )
    agencies: tuple[Agency, ...] = field(default=(), converter=tuple)

    def get_agency(self, code: str) -> Agency:
        """The agency with this code among ``agencies``."""
        found = next((a for a in self.agencies if a.code == code), None)
        if found is None:
            raise _no_agency(code)
        return found

    def application_tally(self, agency: str, year: int) -> ApplicationTally:
        """The tally of ``applications`` (`tally_applications`)."""
        return tally_applications(self.applications, agency, year)

    def records(self, *, agency: str | None = None) -> tuple[Record, ...] | None:
        """The records of ``agency`` (all if ``None``), or ``None`` if not available."""
        if self.all_records is None:
            return None
        return tuple(r for r in self.all_records if agency is None or r.agency == agency)

    def review_cases(self, *, agency: str | None = None) -> tuple[ReviewCase, ...] | None:
        """The review cases of ``agency`` (all if ``None``), or ``None`` if not available."""
        if self.all_review_cases is None:
            return None
        return tuple(c for c in self.all_review_cases if agency is None or c.agency == agency)


@frozen
class _TallyOnly:
    """A `TallySource` seen as a `ReportSource`: no agencies, records or cases available."""

    source: TallySource

    def get_agency(self, code: str) -> Agency:
        raise _no_agency(code)

    def application_tally(self, agency: str, year: int) -> ApplicationTally:
        return self.source.application_tally(agency, year)

    def records(self, *, agency: str | None = None) -> None:
        return None

    def review_cases(self, *, agency: str | None = None) -> None:
        return None


def _cells(
    value: Mapping[str, CellValue] | Iterable[tuple[str, CellValue]],
) -> tuple[tuple[str, CellValue], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted(items))


_PLAIN_AMOUNT = re.compile(r"-?[0-9]{1,20}(?:\.[0-9]{1,20})?")


def _opt_decimal(value: Decimal | int | str | None) -> Decimal | None:
    # Floats would carry binary rounding into the published amount; go through str. A string
    # must be a plain amount (``"12.5"``): ``"abc"``, ``"1e3"`` or ``"１０"`` are refused.
    if value is None or isinstance(value, Decimal):
        return value
    text = str(value)
    if isinstance(value, bool) or not _PLAIN_AMOUNT.fullmatch(text):
        raise ValidationError(
            f"SuppliedFigures.admin_fees_10k_yuan 应为金额（如 12.5），实为 {text[:40]!r}",
            f"SuppliedFigures.admin_fees_10k_yuan must be a plain amount such as 12.5, "
            f"got {text[:40]!r}",
            field="admin_fees_10k_yuan",
            code="validation.type",
        )
    return Decimal(text)


@frozen
class SuppliedFigures:
    """Table 二 figures the agency supplies because they are not in the disclosure records.

    ``licensing`` / ``penalty`` / ``coercion``: 本年处理决定数量 of 第二十条第（五）（六）项;
    ``admin_fees_10k_yuan``: 本年收费金额 of 第二十条第（八）项 in 万元 (2021 format).
    ``cells``: any other table-二 cell by reference (e.g. the 2019 format's
    ``T2.licensing.prev_year_items``); a cell the builder computes from records may be supplied
    only when the source has no records.
    """

    licensing: int | None = None
    penalty: int | None = None
    coercion: int | None = None
    admin_fees_10k_yuan: Decimal | None = field(default=None, converter=_opt_decimal)
    cells: tuple[tuple[str, CellValue], ...] = field(default=(), converter=_cells)


@frozen
class ReportTexts:
    """The narrative sections. Placeholders such as ``{T3.R1.total}``, ``{year}`` and
    ``{agency}`` are replaced by the figures (`fill_placeholders`); ``preamble=None`` uses
    `DEFAULT_PREAMBLE`.
    """

    overview: str = ""
    problems: str = ""
    other_matters: str = ""
    preamble: str | None = None


# -- table 三 ---------------------------------------------------------------------------------


def tally_applications(
    applications: Iterable[Application], agency: str, year: int
) -> ApplicationTally:
    """The `ApplicationTally` of one agency-year computed from applications.

    Same rules as ``Store.application_tally`` (see `ApplicationTally`); applications of other
    agencies and applications never received are ignored.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    received: Counter[ApplicantType] = Counter()
    carried_over: Counter[ApplicantType] = Counter()
    carried_forward: Counter[ApplicantType] = Counter()
    concluded: Counter[tuple[Outcome, ApplicantType]] = Counter()
    for app in applications:
        if app.agency != agency:
            continue
        got = app.receipt_date
        if got is None or got > end:
            continue
        kind = app.applicant.type
        closed = app.closed_on
        if got >= start:
            received[kind] += 1
        elif closed is None or closed >= start:
            carried_over[kind] += 1
        if closed is None or closed > end:
            carried_forward[kind] += 1
        elif closed >= start:
            outcome = app.outcome
            if outcome is not None:
                concluded[outcome, kind] += 1
    return ApplicationTally(
        agency=agency,
        year=year,
        received=received,
        carried_over=carried_over,
        concluded=concluded,
        carried_forward=carried_forward,
    )


def _counts(by_type: Mapping[ApplicantType, int]) -> ApplicantCounts:
    values = {t.code: by_type.get(t, 0) for t in ApplicantType}
    return ApplicantCounts(**values, total=sum(values.values()))


def _sum_counts(rows: Iterable[ApplicantCounts]) -> ApplicantCounts:
    totals = dict.fromkeys(APPLICANT_COLUMNS, 0)
    for row in rows:
        for col in APPLICANT_COLUMNS:
            value = row.get(col)
            if value is None:
                raise ReportError(
                    "汇总行含空白单元格",
                    f"cannot sum a row with a blank {col} cell",
                    field=col,
                    code="report.blank_in_sum",
                )
            totals[col] += value
    return ApplicantCounts(**totals)


def table3_from_tally(tally: ApplicationTally, fmt: ReportFormat) -> Table3:
    """Table 三 from a tally: every cell a count (0 where there were none), totals summed."""
    by_outcome: dict[Outcome, Counter[ApplicantType]] = {o: Counter() for o in Outcome}
    for (outcome, kind), n in tally.concluded.items():
        by_outcome[outcome][kind] += n
    rows: dict[str, ApplicantCounts] = {
        "r1": _counts(tally.received),
        "r2": _counts(tally.carried_over),
        "r4": _counts(tally.carried_forward),
    }
    for outcome in Outcome:
        rows[outcome.row.lower()] = _counts(by_outcome[outcome])
    if fmt.format_id == FORMAT_2019_TRIAL:
        other = Counter[ApplicantType]()
        for outcome in Outcome:
            if outcome.group is OutcomeGroup.OTHER:
                other.update(by_outcome[outcome])
                rows[outcome.row.lower()] = ApplicantCounts()
        rows["r3_6"] = _counts(other)
    leaves = fmt.table("T3").leaf_result_rows
    rows["r3_7"] = _sum_counts(rows[code.lower()] for code in leaves)
    return Table3(**rows)


# -- table 二 ---------------------------------------------------------------------------------

_DOC_ROWS = {
    DocumentKind.RULE: "regulations",
    DocumentKind.NORMATIVE_DOCUMENT: "normative_documents",
}
_COMPUTED_2021 = frozenset(
    f"T2.{row}.{col}" for row in _DOC_ROWS.values() for col in ("made", "repealed", "in_force")
)
_COMPUTED_TRIAL = frozenset(
    f"T2.{row}.{col}"
    for row in _DOC_ROWS.values()
    for col in ("new_made", "new_published", "total_published")
)


def _doc_counts_2021(records: Iterable[Record], year: int) -> dict[str, DocumentCounts]:
    end = date(year, 12, 31)
    tallies = {row: Counter[str]() for row in _DOC_ROWS.values()}
    for rec in records:
        row = _DOC_ROWS.get(rec.kind)
        if row is None:
            continue
        if rec.repealed_on is None and rec.validity in (Validity.REPEALED, Validity.EXPIRED):
            raise ReportError(
                f"文件“{rec.title}”（{rec.id}）标为{rec.validity.label}但没有废止日期，"
                "无法判断是否计入本年废止件数和现行有效件数",
                f"record {rec.id} is marked {rec.validity.code} but has no repealed_on date; "
                "the builder cannot place its repeal in a year",
                field="repealed_on",
                code="report.repeal_date_missing",
            )
        t = tallies[row]
        t["made"] += rec.formed_on.year == year
        t["repealed"] += rec.repealed_on is not None and rec.repealed_on.year == year
        in_force = rec.formed_on <= end and (rec.repealed_on is None or rec.repealed_on > end)
        t["in_force"] += in_force
    return {
        row: DocumentCounts(t["made"], t["repealed"], t["in_force"]) for row, t in tallies.items()
    }


def _doc_counts_trial(records: Iterable[Record], year: int) -> dict[str, TrialDocumentCounts]:
    end = date(year, 12, 31)
    tallies = {row: Counter[str]() for row in _DOC_ROWS.values()}
    for rec in records:
        row = _DOC_ROWS.get(rec.kind)
        if row is None:
            continue
        t = tallies[row]
        first = rec.first_published_on
        t["new_made"] += rec.formed_on.year == year
        t["new_published"] += first is not None and first.year == year
        t["total_published"] += first is not None and first <= end
    return {
        row: TrialDocumentCounts(t["new_made"], t["new_published"], t["total_published"])
        for row, t in tallies.items()
    }


def table2_from_records(
    records: Iterable[Record] | None,
    agency: str,
    year: int,
    fmt: ReportFormat,
    supplied: SuppliedFigures | None = None,
) -> Table2 | Table2Trial:
    """Table 二: document counts from ``records`` (``None``: unknown, blank), the rest from
    ``supplied`` (blank where not supplied)."""
    supplied = supplied or SuppliedFigures()
    trial = fmt.format_id == FORMAT_2019_TRIAL
    values: dict[str, CellValue] = {}
    if records is not None:
        mine = [r for r in records if r.agency == agency]
        if trial:
            for row, counts in _doc_counts_trial(mine, year).items():
                for col, value in attrs.asdict(counts).items():
                    values[f"T2.{row}.{col}"] = value
        else:
            for row, doc in _doc_counts_2021(mine, year).items():
                for col, value in attrs.asdict(doc).items():
                    values[f"T2.{row}.{col}"] = value
    if not trial:
        values["T2.licensing.decisions"] = supplied.licensing
        values["T2.penalty.decisions"] = supplied.penalty
        values["T2.coercion.decisions"] = supplied.coercion
        values["T2.admin_fees.amount_10k_yuan"] = supplied.admin_fees_10k_yuan
    elif (
        any(v is not None for v in (supplied.licensing, supplied.penalty, supplied.coercion))
        or supplied.admin_fees_10k_yuan is not None
    ):
        raise ReportError(
            "2019（试行）格式的表二没有“本年处理决定数量/本年收费金额”单列，"
            "请用 cells 按单元格填写",
            "the 2019 trial format's table 二 has other columns; supply its figures through "
            "SuppliedFigures.cells (e.g. T2.licensing.decisions)",
            field="supplied",
            code="report.supplied_format",
        )
    computed = _COMPUTED_TRIAL if trial else _COMPUTED_2021
    for ref, value in supplied.cells:
        if not ref.startswith("T2."):
            raise ReportError(
                f"只能补充表二的数据，“{ref}”不在表二",
                f"only table 二 figures can be supplied; {ref!r} is not in table 二",
                field=ref,
                code="report.supplied_cell",
            )
        fmt.column(ref)
        if ref in computed and records is not None:
            raise ReportError(
                f"“{ref}”由文件记录统计得出，不能另行填写",
                f"{ref} is counted from the records; it cannot also be supplied",
                field=ref,
                code="report.supplied_cell",
            )
        values[ref] = value
    # from_cells knows how references map onto either edition of table 二.
    holder = from_cells(
        fmt,
        {r: values.get(r) for r in fmt.table("T2").cell_refs()},
        agency_code=agency,
        agency_name=agency,
        year=year,
    )
    return holder.table2


# -- table 四 ---------------------------------------------------------------------------------

_T4_ATTR = {
    ReviewCaseKind.RECONSIDERATION: "reconsideration",
    ReviewCaseKind.LITIGATION_DIRECT: "litigation_direct",
    ReviewCaseKind.LITIGATION_AFTER_REVIEW: "litigation_after_review",
}


def table4_from_cases(cases: Iterable[ReviewCase], agency: str, year: int) -> Table4:
    """Table 四: cases handled in the year (filed by 31 December, not concluded before
    1 January), in the column of their result as of 31 December."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    counts = {kind: Counter[ReviewResult]() for kind in ReviewCaseKind}
    for case in cases:
        if case.agency != agency or case.filed_on > end:
            continue
        if case.concluded_on is not None and case.concluded_on < start:
            continue
        counts[case.kind][case.result_as_of(end)] += 1
    groups = {}
    for kind, c in counts.items():
        groups[_T4_ATTR[kind]] = ResultCounts(
            upheld=c[ReviewResult.UPHELD],
            corrected=c[ReviewResult.CORRECTED],
            other=c[ReviewResult.OTHER],
            pending=c[ReviewResult.PENDING],
            total=sum(c.values()),
        )
    return Table4(**groups)


# -- texts ------------------------------------------------------------------------------------


def fill_placeholders(
    text: str, report: AnnualReport, figures: Mapping[str, int] | None = None
) -> str:
    """Replace ``{T3.R1.total}``-style cell references, ``{year}``, ``{agency}`` and the names
    of ``figures`` (counts kept outside the tables, such as ``{press.conferences}`` or
    ``{inquiries.received}``: `govdisclose.report.narrative.narrative_figures`) in ``text``.
    An unknown name or a blank cell raises `ReportError` (a sentence must not print a figure
    the table does not have)."""
    extra = figures or {}

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if name == "year":
            return str(report.year)
        if name == "agency":
            return report.agency_name
        if name in extra:
            return str(extra[name])
        if name.count(".") != 2:
            known = "、".join(sorted(extra)) or "无"
            raise ReportError(
                f"文本中的占位符“{{{name}}}”无法识别（可用：单元格引用、year、agency；"
                f"另有统计数：{known}）",
                f"unknown placeholder {{{name}}} (use a cell reference, year, agency or one of "
                f"the figures supplied: {', '.join(sorted(extra)) or 'none'})",
                field=name,
                code="report.placeholder",
            )
        value = report.cell(name)
        if value is None:
            raise ReportError(
                f"文本引用的单元格“{name}”为空白",
                f"the text refers to cell {name}, which is blank",
                field=name,
                code="report.placeholder",
            )
        return str(value)

    return _PLACEHOLDER.sub(one, text)


# -- the whole report -------------------------------------------------------------------------


def _no_agency(code: str) -> ParameterError:
    return ParameterError(
        f"无法确定机关“{code}”的名称：请传入 Agency 对象",
        f"cannot resolve the name of agency {code!r}: pass an Agency (the source has no "
        "get_agency)",
        field="agency",
        code="report.agency_unknown",
    )


def _as_source(source: ReportSource | TallySource | Iterable[Application]) -> ReportSource:
    """Every accepted input as a `ReportSource` (a plain iterable of applications becomes a
    `ReportData` without records or cases)."""
    if isinstance(source, ReportSource):
        return source
    if isinstance(source, TallySource):
        return _TallyOnly(source)
    return ReportData(source)


def build_annual_report(
    source: ReportSource | TallySource | Iterable[Application],
    agency: Agency | str,
    year: int,
    *,
    supplied: SuppliedFigures | None = None,
    texts: ReportTexts | None = None,
    figures: Mapping[str, int] | None = None,
) -> AnnualReport:
    """The annual report of ``agency`` for ``year`` in the format of that year.

    :param source: a `ReportSource`: a `govdisclose.store.Store` or a `ReportData`; for
        compatibility also a bare `TallySource` or an iterable of `Application` (then table
        二's document rows and table 四 stay blank).
    :param supplied: table 二 figures not kept in records.
    :param texts: the narrative sections, with placeholders.
    :param figures: counts the texts may quote besides the tables' cells (inquiries, press
        conferences, opinion cases: `govdisclose.report.narrative.narrative_figures`).
    :raises ReportError: for years before 2019 (no uniform format) and inconsistent input.
    """
    fmt = format_for_year(year)
    src = _as_source(source)
    found = agency if isinstance(agency, Agency) else src.get_agency(agency)
    code, name = found.code, found.name
    tally = src.application_tally(code, year)
    records = src.records(agency=code)
    cases = src.review_cases(agency=code)
    table4 = table4_from_cases(cases, code, year) if cases is not None else Table4()
    report = AnnualReport(
        format_id=fmt.format_id,
        agency_code=code,
        agency_name=name,
        year=year,
        table2=table2_from_records(records, code, year, fmt, supplied),
        table3=table3_from_tally(tally, fmt),
        table4=table4,
    )
    texts = texts or ReportTexts()
    preamble = DEFAULT_PREAMBLE if texts.preamble is None else texts.preamble
    return attrs.evolve(
        report,
        preamble=fill_placeholders(preamble, report, figures),
        overview=fill_placeholders(texts.overview, report, figures),
        problems=fill_placeholders(texts.problems, report, figures),
        other_matters=fill_placeholders(texts.other_matters, report, figures),
    )
