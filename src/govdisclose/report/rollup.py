"""Consolidated (汇总) reports: a government's report summed from its parts.

The 主管部门 of a people's government at county level or above publishes that government's
report (条例 2019 第四十九条); in practice it is compiled from the reports of the government's
departments and of the lower-level governments (seed 004: a city report "综合各县(市)、区人民政府
和市政府各行政机关 … 的年度报告编制而成"). `rollup` adds every cell of the parts.

Blank cells: blank + blank stays blank. Blank + number depends on ``blanks``:

* ``"propagate"`` (default): the sum is blank, because one part's figure is unknown and any
  total would understate it; the consolidated report then shows ``BLANK_CELL`` findings that
  point the 主管部门 at the missing figure;
* ``"zero"``: the caller states that the blanks mean 0 (e.g. a department that left the rows it
  never uses empty); the sum is the sum of the known figures;
* ``"error"``: any blank in any part raises `ReportError` naming the cell and the parts.

The sum of reports that satisfy the format's rules satisfies them too (every rule is a linear
equality or a sign condition), so the parts are validated (``check=True``) rather than the sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

import attrs

from govdisclose.errors import ParameterError, ReportError, ReportInconsistent
from govdisclose.findings import Severity
from govdisclose.model import Agency
from govdisclose.report.builder import ReportTexts, fill_placeholders
from govdisclose.report.schema import AnnualReport, CellValue, from_cells
from govdisclose.report.validate import BLANK_CELL, ReportFinding, validate

__all__ = ["BlankPolicy", "rollup"]

BlankPolicy = Literal["propagate", "zero", "error"]


def rollup(
    reports: Sequence[AnnualReport],
    agency: Agency | str,
    *,
    agency_name: str | None = None,
    blanks: BlankPolicy = "propagate",
    check: bool = True,
    texts: ReportTexts | None = None,
) -> AnnualReport:
    """The consolidated report of ``agency`` from ``reports`` (same year and format).

    :param agency: the government whose report this is (an `Agency`, or its code together
        with ``agency_name``).
    :param blanks: how a blank in some parts and a number in others is summed (module doc).
    :param check: validate each part first and raise `ReportInconsistent` with their error
        findings (blank cells are left to ``blanks``).
    :param texts: the consolidated report's own narrative sections (placeholders filled).
    :returns: the summed report; ``breakdown`` holds the parts, in the order given.
    :raises ReportError: no parts, mixed years or formats, an agency given twice, or a blank
        under ``blanks="error"``.
    """
    if isinstance(agency, Agency):
        code, name = agency.code, agency.name
    elif agency_name:
        code, name = agency, agency_name
    else:
        raise ParameterError(
            "汇总报告需要机关名称：请传入 Agency 或 agency_name",
            "a consolidated report needs the agency's name: pass an Agency or agency_name",
            field="agency_name",
            code="report.agency_unknown",
        )
    if blanks not in ("propagate", "zero", "error"):
        raise ParameterError(
            f"blanks 应为 propagate、zero 或 error，实际为“{blanks}”",
            f"blanks must be 'propagate', 'zero' or 'error', got {blanks!r}",
            field="blanks",
        )
    parts = tuple(reports)
    _check_compatible(parts)
    if check:
        _check_parts(parts, include_blanks=blanks == "error")
    first = parts[0]
    maps = [p.cell_map() for p in parts]
    summed: dict[str, CellValue] = {}
    for ref in first.format.cell_refs():
        summed[ref] = _sum_cell(ref, [m[ref] for m in maps], parts, blanks)
    report = from_cells(
        first.format,
        summed,
        agency_code=code,
        agency_name=name,
        year=first.year,
        breakdown=parts,
    )
    if texts is None:
        return report
    preamble = texts.preamble or ""
    return attrs.evolve(
        report,
        preamble=fill_placeholders(preamble, report),
        overview=fill_placeholders(texts.overview, report),
        problems=fill_placeholders(texts.problems, report),
        other_matters=fill_placeholders(texts.other_matters, report),
    )


def _check_compatible(parts: tuple[AnnualReport, ...]) -> None:
    if not parts:
        raise ReportError(
            "没有可汇总的报告",
            "nothing to roll up: no reports given",
            field="reports",
            code="report.rollup_empty",
        )
    first = parts[0]
    seen: set[str] = set()
    for i, part in enumerate(parts):
        if part.year != first.year or part.format_id != first.format_id:
            raise ReportError(
                f"不能汇总不同年度或格式的报告：{part.agency_name}为{part.year}年度"
                f"（{part.format_id}），{first.agency_name}为{first.year}年度（{first.format_id}）",
                f"cannot roll up reports of different years or formats: part {i} "
                f"({part.agency_code}) is {part.year}/{part.format_id}, part 0 "
                f"({first.agency_code}) is {first.year}/{first.format_id}",
                field=f"reports[{i}]",
                code="report.rollup_mismatch",
            )
        if part.agency_code in seen:
            raise ReportError(
                f"报告“{part.agency_name}”重复出现，汇总会重复计数",
                f"agency {part.agency_code} appears twice; it would be counted twice",
                field=f"reports[{i}]",
                code="report.rollup_duplicate",
            )
        seen.add(part.agency_code)


def _check_parts(parts: tuple[AnnualReport, ...], *, include_blanks: bool) -> None:
    bad: list[tuple[AnnualReport, ReportFinding]] = []
    for part in parts:
        for f in validate(part):
            if f.severity is Severity.ERROR and (include_blanks or f.rule_id != BLANK_CELL):
                bad.append((part, f))
    if bad:
        part, first = bad[0]
        raise ReportInconsistent(
            f"下级报告有{len(bad)}处数据错误，第一处在“{part.agency_name}”：{first.message_zh}",
            f"{len(bad)} error(s) in the parts; first in {part.agency_code}: {first.message_en}",
            findings=tuple(f for _, f in bad),
            field=first.field,
        )


def _sum_cell(
    ref: str,
    values: list[CellValue],
    parts: tuple[AnnualReport, ...],
    blanks: BlankPolicy,
) -> CellValue:
    known = [v for v in values if v is not None]
    if not known:
        return None
    if len(known) < len(values):
        if blanks == "propagate":
            return None
        if blanks == "error":
            missing = [p.agency_code for p, v in zip(parts, values, strict=True) if v is None]
            raise ReportError(
                f"单元格{ref}在这些报告中为空白：{'、'.join(missing)}",
                f"cell {ref} is blank in: {', '.join(missing)}",
                field=ref,
                code="report.rollup_blank",
            )
    if any(isinstance(v, Decimal) for v in known):
        return sum((Decimal(v) for v in known), Decimal(0))
    return sum(int(v) for v in known)
