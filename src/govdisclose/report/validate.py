"""Consistency checks (勾稽关系) of an annual report, one named finding per broken rule instance.

The rules are the format's own (``rules`` in the format data, law/facts.md §2.6):

* linear equalities (``T3_BALANCE``, ``T3_RESULT_TOTAL``, ``T3_ROW_TOTAL``, ``T3_CARRY_LINK``,
  ``T4_REVIEW_TOTAL``, ``T4_DIRECT_TOTAL``, ``T4_AFTER_REVIEW_TOTAL``, ``T2_IN_FORCE_FLOW``)
  are evaluated straight from their ``expr`` text, expanded over ``for_each``;
* ``T3_NONNEG_INT``, ``T4_NONNEG_INT``, ``T2_NONNEG``: every listed cell is >= 0 (that counts
  are integers is enforced by the schema when the report is built);
* ``FEE_TEXT_CONSISTENCY``: closures for unpaid fees imply section 六 reports 信息处理费;
* ``BLANK_CELL`` (not in the format's list): the format prints every data cell, so a blank
  where it wants a number is its own error. Rules whose cells are blank are not evaluated: the
  blank is reported once, as ``BLANK_CELL``, not again as a broken sum.

The cross-year rules (``T3_CARRY_LINK``, ``T2_IN_FORCE_FLOW``) run only when the previous
year's report of the same agency is given. Severity is the format's: official and derived rules
are errors, heuristics warnings, the fee/text check info.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal

from attrs import frozen

from govdisclose.errors import ReportError, ReportInconsistent
from govdisclose.findings import Finding, Severity
from govdisclose.report.format import ReportFormat, RuleSpec
from govdisclose.report.schema import AnnualReport, CellValue

__all__ = [
    "BLANK_CELL",
    "ReportFinding",
    "check_report",
    "validate",
]

#: Rule id of the finding for a blank cell the format requires.
BLANK_CELL = "BLANK_CELL"

_PREV = "PREV_YEAR."
_TERM = re.compile(r"\s*([+-])?\s*((?:PREV_YEAR\.)?T\d\.[A-Za-z0-9_{}]+\.[A-Za-z0-9_{}]+)\s*")
_FEE_WORDS = ("信息处理费",)


@frozen
class ReportFinding(Finding):
    """A `govdisclose.rules.Finding` on a report, with every cell the rule instance reads.

    ``rule_id`` is the format rule (``T3_BALANCE``) or ``BLANK_CELL``; ``field`` the first
    cell concerned (``T3.R1.natural_person``); ``cells`` every cell read (``PREV_YEAR.``
    prefix for last year's); ``article`` the format notice and the 条例 article.
    """

    cells: tuple[str, ...] = ()


def validate(
    report: AnnualReport,
    previous: AnnualReport | None = None,
    *,
    strict: bool = False,
) -> list[ReportFinding]:
    """Every finding of ``report``, in the order of the format's rules.

    :param previous: the same agency's report for the year before, for the cross-year rules.
    :param strict: raise `ReportInconsistent` (with the findings) if any finding is an error.
    :raises ReportError: if ``previous`` is not the same agency's report for ``year - 1``.
    """
    if previous is not None and (
        previous.agency_code != report.agency_code or previous.year != report.year - 1
    ):
        raise ReportError(
            f"上年报告应为同一机关{report.year - 1}年度的报告，"
            f"实际为{previous.agency_code} {previous.year}年度",
            f"previous must be agency {report.agency_code}'s report for {report.year - 1}, "
            f"got {previous.agency_code} {previous.year}",
            field="previous",
            code="report.previous_mismatch",
        )
    fmt = report.format
    values = report.cell_map()
    prev_values = previous.cell_map() if previous is not None else None
    findings = list(_blank_cells(fmt, values))
    for rule in fmt.rules:
        check = _NAMED.get(rule.id)
        if check is not None:
            findings.extend(check(rule, fmt, report, values))
        else:
            findings.extend(_linear(rule, fmt, values, prev_values))
    if strict:
        _raise_on_errors(report, findings)
    return findings


def check_report(report: AnnualReport, previous: AnnualReport | None = None) -> None:
    """Raise `ReportInconsistent` if ``report`` has any error finding; warnings pass."""
    validate(report, previous, strict=True)


def _raise_on_errors(report: AnnualReport, findings: Sequence[ReportFinding]) -> None:
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if not errors:
        return
    first = errors[0]
    raise ReportInconsistent(
        f"{report.agency_name}{report.year}年度报告有{len(errors)}处数据错误，"
        f"第一处：{first.message_zh}",
        f"{report.agency_code} {report.year} report has {len(errors)} error(s); "
        f"first: {first.message_en}",
        findings=tuple(findings),
        field=first.field,
    )


def _article(fmt: ReportFormat) -> str:
    return f"{fmt.document_number}；{fmt.legal_basis}"


def _severity(rule: RuleSpec) -> Severity:
    return Severity.from_code(rule.severity)


def _blank_cells(fmt: ReportFormat, values: dict[str, CellValue]) -> Iterator[ReportFinding]:
    for ref, value in values.items():
        if value is None:
            label = fmt.label(ref)
            yield ReportFinding(
                rule_id=BLANK_CELL,
                severity=Severity.ERROR,
                message_zh=f"{label}（{ref}）未填写：格式要求填写数字，没有的填 0",
                message_en=f"{ref} is blank; the format requires a number (0 if none)",
                field=ref,
                article=_article(fmt),
                cells=(ref,),
            )


# -- linear equalities, straight from the format's expressions --------------------------------


@frozen
class _Term:
    sign: int
    ref: str


def _parse_side(text: str) -> tuple[_Term, ...]:
    terms: list[_Term] = []
    pos = 0
    while pos < len(text):
        m = _TERM.match(text, pos)
        if m is None or m.end() == pos:
            raise ReportError(
                f"无法解析规则表达式“{text}”",
                f"cannot parse rule expression {text!r} at position {pos}",
                code="report.bad_rule",
            )
        terms.append(_Term(-1 if m.group(1) == "-" else 1, m.group(2)))
        pos = m.end()
    return tuple(terms)


def _expansions(rule: RuleSpec) -> Iterator[dict[str, str]]:
    names = [name for name, _ in rule.for_each]
    for combo in itertools.product(*(vals for _, vals in rule.for_each)):
        yield dict(zip(names, combo, strict=True))


def _sub(ref: str, env: dict[str, str]) -> str:
    for name, value in env.items():
        ref = ref.replace("{" + name + "}", value)
    return ref


def _show(terms: Sequence[tuple[int, str, CellValue]]) -> str:
    parts = []
    for i, (sign, ref, value) in enumerate(terms):
        op = ("- " if sign < 0 else "+ ") if i else ("-" if sign < 0 else "")
        parts.append(f"{op}{ref}({value})")
    return " ".join(parts)


def _linear(
    rule: RuleSpec,
    fmt: ReportFormat,
    values: dict[str, CellValue],
    prev: dict[str, CellValue] | None,
) -> Iterator[ReportFinding]:
    lhs_text, sep, rhs_text = rule.expr.partition("==")
    if not sep:
        raise ReportError(
            f"规则{rule.id}不是等式，验证器无法计算",
            f"rule {rule.id} is not an equality and has no named check",
            field=rule.id,
            code="report.bad_rule",
        )
    lhs, rhs = _parse_side(lhs_text), _parse_side(rhs_text)
    needs_prev = any(t.ref.startswith(_PREV) for t in lhs + rhs)
    if needs_prev and prev is None:
        return
    for env in _expansions(rule):
        sides: list[list[tuple[int, str, CellValue]]] = []
        for side in (lhs, rhs):
            resolved = []
            for term in side:
                ref = _sub(term.ref, env)
                if ref.startswith(_PREV):
                    assert prev is not None  # needs_prev returned above otherwise
                    value = prev.get(ref.removeprefix(_PREV))
                else:
                    value = values[ref]
                resolved.append((term.sign, ref, value))
            sides.append(resolved)
        if any(v is None for side in sides for _, _, v in side):
            continue  # blank here, or last year's format has no such cell: nothing to compare
        left = sum((s * v for s, _, v in sides[0] if v is not None), Decimal(0))
        right = sum((s * v for s, _, v in sides[1] if v is not None), Decimal(0))
        if left == right:
            continue
        cells = tuple(ref for side in sides for _, ref, _ in side)
        shown = f"{_show(sides[0])} = {left}，{_show(sides[1])} = {right}"
        shown_en = f"{_show(sides[0])} = {left} but {_show(sides[1])} = {right}"
        yield ReportFinding(
            rule_id=rule.id,
            severity=_severity(rule),
            message_zh=f"{fmt.label(cells[0].removeprefix(_PREV))}：勾稽关系不成立（{rule.id}）：{shown}",
            message_en=f"{rule.id}: {shown_en}. {rule.description}",
            field=cells[0],
            article=_article(fmt),
            cells=cells,
        )


# -- named checks -----------------------------------------------------------------------------

_Check = Callable[
    [RuleSpec, ReportFormat, AnnualReport, dict[str, CellValue]], Iterator[ReportFinding]
]


def _nonneg_refs(rule: RuleSpec, fmt: ReportFormat) -> Iterator[str]:
    table = rule.table
    if rule.values("cell"):
        for cell in rule.values("cell"):
            yield f"{table}.{cell}"
        return
    for env in _expansions(rule):
        rows = env.get("r", "R1")
        yield f"{table}.{rows}.{env['c']}"


def _nonneg(
    rule: RuleSpec, fmt: ReportFormat, report: AnnualReport, values: dict[str, CellValue]
) -> Iterator[ReportFinding]:
    for ref in _nonneg_refs(rule, fmt):
        value = values[ref]
        if value is not None and value < 0:
            yield ReportFinding(
                rule_id=rule.id,
                severity=_severity(rule),
                message_zh=f"{fmt.label(ref)}（{ref}）为负数 {value}：数量和金额不能为负",
                message_en=f"{ref} is negative ({value}); counts and amounts must be >= 0",
                field=ref,
                article=_article(fmt),
                cells=(ref,),
            )


def _fee_text(
    rule: RuleSpec, fmt: ReportFormat, report: AnnualReport, values: dict[str, CellValue]
) -> Iterator[ReportFinding]:
    ref = "T3.R3_6_2.total"
    value = values.get(ref)
    if value is None or value <= 0:
        return
    if any(word in report.other_matters for word in _FEE_WORDS):
        return
    yield ReportFinding(
        rule_id=rule.id,
        severity=_severity(rule),
        message_zh=(
            f"表三（六）2 有 {value} 件因逾期未缴费不再处理，"
            "但“六、其他需要报告的事项”未说明信息处理费收取情况"
        ),
        message_en=(
            f"{ref} = {value} applications closed for unpaid fees, but section 六 does not "
            "mention 信息处理费"
        ),
        field=ref,
        article=_article(fmt),
        cells=(ref,),
    )


_NAMED: dict[str, _Check] = {
    "T3_NONNEG_INT": _nonneg,
    "T4_NONNEG_INT": _nonneg,
    "T2_NONNEG": _nonneg,
    "FEE_TEXT_CONSISTENCY": _fee_text,
}
