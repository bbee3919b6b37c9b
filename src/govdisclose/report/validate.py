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

`validate` lists what failed (one ``BLANK_CELL`` error per blank cell, as filing needs it).
`rule_outcomes` says for *every* rule whether it held, failed or could not be checked, and why
(`UncheckedReason`: a blank cell, no previous year, a previous year in another format), so an
audit can tell a report that adds up but leaves zeros blank from one that does not add up. There
blank cells are one finding per table row listing its cells, a warning, or an error in strict
filing mode (``strict=True``: the format says "没有的填 0", 国办公开办函〔2021〕30号).

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
from govdisclose.vocab import CodedEnum

__all__ = [
    "BLANK_CELL",
    "ReportFinding",
    "RuleInstance",
    "RuleOutcome",
    "RuleStatus",
    "UncheckedReason",
    "check_report",
    "rule_outcomes",
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


class RuleStatus(CodedEnum):
    """What checking a rule found: it held, it failed, or it could not be checked."""

    HELD = ("held", "成立")
    FAILED = ("failed", "不成立")
    UNCHECKED = ("unchecked", "无法检查")


class UncheckedReason(CodedEnum):
    """Why a rule (instance) could not be checked."""

    #: A cell it reads is blank (here, or in last year's report).
    BLANK_CELL = ("blank_cell", "单元格空白")
    #: A cross-year rule without the agency's report for the year before.
    NO_PREVIOUS_YEAR = ("no_previous_year", "无上年报告")
    #: A cross-year rule whose cell last year's format does not have (2020 in the 2019 trial
    #: format, 2021 in the 2021 format: 国办公开办函〔2019〕60号 and〔2021〕30号 differ in 表二).
    OTHER_FORMAT = ("other_format", "上年报告使用另一格式，无对应单元格")


@frozen
class RuleInstance:
    """One expansion of a rule (one column of ``T3_BALANCE``, one cell of ``T3_NONNEG_INT``).

    ``cells``: every cell it reads; ``reason``/``missing`` (the blank cells, or last year's
    cells its format lacks) when ``status`` is ``UNCHECKED``; ``holds_if_blank_zero``: for an
    equality unchecked because of blanks, whether it would hold with the blanks read as 0 (for
    a ``BLANK_CELL`` row, whether every such equality reading its blanks would: ``None`` when
    none reads them); ``finding`` when it failed.
    """

    cells: tuple[str, ...]
    status: RuleStatus
    reason: UncheckedReason | None = None
    missing: tuple[str, ...] = ()
    holds_if_blank_zero: bool | None = None
    finding: ReportFinding | None = None


@frozen
class RuleOutcome:
    """A rule over a report: ``FAILED`` if any instance failed, else ``UNCHECKED`` if any
    could not be checked (``reasons`` say why), else ``HELD`` (it held in every instance)."""

    rule_id: str
    source: str
    description: str
    instances: tuple[RuleInstance, ...]

    @property
    def status(self) -> RuleStatus:
        """The rule's status over all its instances (see the class)."""
        states = {i.status for i in self.instances}
        for status in (RuleStatus.FAILED, RuleStatus.UNCHECKED):
            if status in states:
                return status
        return RuleStatus.HELD

    def count(self, status: RuleStatus) -> int:
        """How many instances have ``status``."""
        return sum(1 for i in self.instances if i.status is status)

    @property
    def reasons(self) -> tuple[UncheckedReason, ...]:
        """Why instances could not be checked, each reason once, in order of appearance."""
        out: list[UncheckedReason] = []
        for i in self.instances:
            if i.reason is not None and i.reason not in out:
                out.append(i.reason)
        return tuple(out)

    @property
    def findings(self) -> tuple[ReportFinding, ...]:
        """The findings of the failed instances."""
        return tuple(i.finding for i in self.instances if i.finding is not None)

    @property
    def unchecked_cells(self) -> tuple[str, ...]:
        """The cells that kept instances from being checked, each once."""
        return tuple(dict.fromkeys(c for i in self.instances for c in i.missing))

    def summary(self) -> tuple[str, str]:
        """``(zh, en)``: ``T3_BALANCE：无法检查（成立 5，不成立 0，无法检查 2：单元格空白）``."""
        held, failed, unchecked = (
            self.count(s) for s in (RuleStatus.HELD, RuleStatus.FAILED, RuleStatus.UNCHECKED)
        )
        why_zh = "、".join(r.label for r in self.reasons)
        why_en = ", ".join(r.code for r in self.reasons)
        counts_zh = f"成立 {held}，不成立 {failed}，无法检查 {unchecked}"
        counts_en = f"{held} held, {failed} failed, {unchecked} unchecked"
        zh = f"{self.rule_id}：{self.status.label}（{counts_zh}"
        en = f"{self.rule_id}: {self.status.code} ({counts_en}"
        return (
            zh + (f"：{why_zh}）" if why_zh else "）"),
            en + (f": {why_en})" if why_en else ")"),
        )


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
    _check_previous(report, previous)
    fmt = report.format
    values = report.cell_map()
    prev_values = previous.cell_map() if previous is not None else None
    findings = list(_blank_cells(fmt, values))
    for rule in fmt.rules:
        check = _NAMED.get(rule.id)
        if check is not None:
            findings.extend(
                i.finding for i in check(rule, fmt, report, values) if i.finding is not None
            )
        else:
            findings.extend(_linear(rule, fmt, values, prev_values))
    if strict:
        _raise_on_errors(report, findings)
    return findings


def _check_previous(report: AnnualReport, previous: AnnualReport | None) -> None:
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
    for instance in _linear_instances(rule, fmt, values, prev):
        if instance.finding is not None:
            yield instance.finding


def _linear_instances(
    rule: RuleSpec,
    fmt: ReportFormat,
    values: dict[str, CellValue],
    prev: dict[str, CellValue] | None,
) -> Iterator[RuleInstance]:
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
    for env in _expansions(rule):
        sides: list[list[tuple[int, str, CellValue]]] = []
        missing: list[str] = []  # cells last year's format does not have
        for side in (lhs, rhs):
            resolved = []
            for term in side:
                ref = _sub(term.ref, env)
                if ref.startswith(_PREV):
                    if prev is not None and ref.removeprefix(_PREV) not in prev:
                        missing.append(ref)
                    value = prev.get(ref.removeprefix(_PREV)) if prev is not None else None
                else:
                    value = values[ref]
                resolved.append((term.sign, ref, value))
            sides.append(resolved)
        cells = tuple(ref for side in sides for _, ref, _ in side)
        if needs_prev and prev is None:
            yield RuleInstance(cells, RuleStatus.UNCHECKED, UncheckedReason.NO_PREVIOUS_YEAR)
            continue
        if missing:
            yield RuleInstance(
                cells, RuleStatus.UNCHECKED, UncheckedReason.OTHER_FORMAT, tuple(missing)
            )
            continue
        blanks = tuple(ref for side in sides for _, ref, v in side if v is None)
        left = sum((s * v for s, _, v in sides[0] if v is not None), Decimal(0))
        right = sum((s * v for s, _, v in sides[1] if v is not None), Decimal(0))
        if blanks:
            # Blank here or last year: nothing to compare. Whether it would hold with the
            # blanks read as 0 tells "zeros left blank" from "does not add up".
            yield RuleInstance(
                cells, RuleStatus.UNCHECKED, UncheckedReason.BLANK_CELL, blanks, left == right
            )
            continue
        if left == right:
            yield RuleInstance(cells, RuleStatus.HELD)
            continue
        shown = f"{_show(sides[0])} = {left}，{_show(sides[1])} = {right}"
        shown_en = f"{_show(sides[0])} = {left} but {_show(sides[1])} = {right}"
        finding = ReportFinding(
            rule_id=rule.id,
            severity=_severity(rule),
            message_zh=f"{fmt.label(cells[0].removeprefix(_PREV))}：勾稽关系不成立（{rule.id}）：{shown}",
            message_en=f"{rule.id}: {shown_en}. {rule.description}",
            field=cells[0],
            article=_article(fmt),
            cells=cells,
        )
        yield RuleInstance(cells, RuleStatus.FAILED, finding=finding)


# -- named checks -----------------------------------------------------------------------------

_Check = Callable[
    [RuleSpec, ReportFormat, AnnualReport, dict[str, CellValue]], Iterator[RuleInstance]
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
) -> Iterator[RuleInstance]:
    for ref in _nonneg_refs(rule, fmt):
        value = values[ref]
        if value is None:
            yield RuleInstance((ref,), RuleStatus.UNCHECKED, UncheckedReason.BLANK_CELL, (ref,))
        elif value >= 0:
            yield RuleInstance((ref,), RuleStatus.HELD)
        else:
            finding = ReportFinding(
                rule_id=rule.id,
                severity=_severity(rule),
                message_zh=f"{fmt.label(ref)}（{ref}）为负数 {value}：数量和金额不能为负",
                message_en=f"{ref} is negative ({value}); counts and amounts must be >= 0",
                field=ref,
                article=_article(fmt),
                cells=(ref,),
            )
            yield RuleInstance((ref,), RuleStatus.FAILED, finding=finding)


def _fee_text(
    rule: RuleSpec, fmt: ReportFormat, report: AnnualReport, values: dict[str, CellValue]
) -> Iterator[RuleInstance]:
    ref = "T3.R3_6_2.total"
    value = values.get(ref)
    if value is None:
        yield RuleInstance((ref,), RuleStatus.UNCHECKED, UncheckedReason.BLANK_CELL, (ref,))
        return
    # No closure for unpaid fees, or section 六 mentions the fee: the implication holds.
    if value <= 0 or any(word in report.other_matters for word in _FEE_WORDS):
        yield RuleInstance((ref,), RuleStatus.HELD)
        return
    finding = ReportFinding(
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
    yield RuleInstance((ref,), RuleStatus.FAILED, finding=finding)


_NAMED: dict[str, _Check] = {
    "T3_NONNEG_INT": _nonneg,
    "T4_NONNEG_INT": _nonneg,
    "T2_NONNEG": _nonneg,
    "FEE_TEXT_CONSISTENCY": _fee_text,
}


# -- every rule's outcome ----------------------------------------------------------------------


def _blank_rows(
    fmt: ReportFormat,
    values: dict[str, CellValue],
    severity: Severity,
    others: Sequence[RuleInstance],
) -> Iterator[RuleInstance]:
    """One instance per data row: failed (a finding listing the row's blank cells) or held.

    ``others``: every instance of the other rules. Those left unchecked by a blank of the row
    tell "zeros left blank" (each would hold with the blanks as 0) from "does not add up"
    (one would not): `RuleInstance.holds_if_blank_zero` of the row's instance, and the message.
    """
    rows: dict[str, list[tuple[str, CellValue]]] = {}
    for ref, value in values.items():
        table, row, _ = ref.split(".")
        rows.setdefault(f"{table}.{row}", []).append((ref, value))
    for key, cells in rows.items():
        refs = tuple(ref for ref, _ in cells)
        blanks = tuple(ref for ref, value in cells if value is None)
        if not blanks:
            yield RuleInstance(refs, RuleStatus.HELD)
            continue
        table, row = key.split(".")
        name = fmt.table(table).row(row).label or f"表{_TABLE_NUMBERS.get(table, table)}数据行"
        columns = "、".join(fmt.column(ref).label for ref in blanks)
        mine = set(blanks)
        verdicts = [
            i
            for i in others
            if i.reason is UncheckedReason.BLANK_CELL
            and i.holds_if_blank_zero is not None
            and mine.intersection(i.missing)
        ]
        failing = [i for i in verdicts if not i.holds_if_blank_zero]
        holds = None if not verdicts else not failing
        if holds is None:
            as_zero_zh = as_zero_en = ""
        elif holds:
            as_zero_zh = f"；按 0 计，涉及的 {len(verdicts)} 处勾稽关系均成立"
            as_zero_en = f"; read as 0, the {len(verdicts)} rule instance(s) reading them hold"
        else:
            first = failing[0].cells[0]
            as_zero_zh = f"；按 0 计，仍有 {len(failing)} 处勾稽关系不成立（如 {first}）"
            as_zero_en = (
                f"; even read as 0, {len(failing)} rule instance(s) reading them fail "
                f"(e.g. the one on {first})"
            )
        finding = ReportFinding(
            rule_id=BLANK_CELL,
            severity=severity,
            message_zh=(
                f"{name}（{key}）有 {len(blanks)} 个单元格未填写（{columns}）："
                f"格式要求填写数字，没有的填 0{as_zero_zh}"
            ),
            message_en=(
                f"{key} has {len(blanks)} blank cell(s) ({', '.join(blanks)}); the format "
                f"requires a number (0 if none){as_zero_en}"
            ),
            field=key,
            article=_article(fmt),
            cells=blanks,
        )
        yield RuleInstance(
            refs, RuleStatus.FAILED, missing=blanks, holds_if_blank_zero=holds, finding=finding
        )


_TABLE_NUMBERS = {"T2": "二", "T3": "三", "T4": "四"}


def rule_outcomes(
    report: AnnualReport,
    previous: AnnualReport | None = None,
    *,
    strict: bool = False,
) -> list[RuleOutcome]:
    """Every rule of the report's format, and ``BLANK_CELL`` first, with its outcome.

    Unlike `validate`, which lists what failed, this says for each rule whether it held,
    failed or could not be checked, and why (`UncheckedReason`). Blank cells are one
    ``BLANK_CELL`` finding per table row, listing its blank cells: a warning, or an error
    with ``strict`` (filing mode: the format wants 0 written, 国办公开办函〔2021〕30号). Rules
    reading a blank are ``UNCHECKED`` (``BLANK_CELL``), not failed; for equalities
    `RuleInstance.holds_if_blank_zero` says whether they would hold with the blanks as 0.

    :param previous: the same agency's report for the year before (cross-year rules
        ``T3_CARRY_LINK``, ``T2_IN_FORCE_FLOW``); without it they are ``NO_PREVIOUS_YEAR``.
    :raises ReportError: if ``previous`` is not the same agency's report for ``year - 1``.
    """
    _check_previous(report, previous)
    fmt = report.format
    values = report.cell_map()
    prev_values = previous.cell_map() if previous is not None else None
    blank_severity = Severity.ERROR if strict else Severity.WARNING
    outcomes: list[RuleOutcome] = []
    for rule in fmt.rules:
        check = _NAMED.get(rule.id)
        if check is not None:
            instances = tuple(check(rule, fmt, report, values))
        else:
            instances = tuple(_linear_instances(rule, fmt, values, prev_values))
        outcomes.append(RuleOutcome(rule.id, rule.source, rule.description, instances))
    others = [i for o in outcomes for i in o.instances]
    blank = RuleOutcome(
        BLANK_CELL,
        "official-note",
        "Every data cell is filled; 0 where there is nothing (the format prints every cell).",
        tuple(_blank_rows(fmt, values, blank_severity, others)),
    )
    return [blank, *outcomes]
