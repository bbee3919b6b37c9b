"""Disclosure-attribute rules (公开属性源头认定) checked on every record before it moves on.

A `Rule` has a stable id, a short Chinese title, the article it enforces, a severity and a
check function returning `Finding` objects. `RuleSet.default()` holds the rules below; local
policies add their own through the ``govdisclose_rules(settings)`` hook and `RuleSet.with_rules`.
An ERROR finding blocks publication (`govdisclose.publishing.publish`); warnings and infos are
shown to the clerk.

Default rules, each traced to its source:

======== ======== ==================================================================================
id       severity what and why
======== ======== ==================================================================================
GD-R001  error    公开属性未认定: every record gets its attribute when drafted (国办发〔2016〕80号;
                  seed 000 “信息公开属性源头认定机制”; 条例 2019 第十三条)
GD-R002  error    not proactive without a reason category and a legal basis (seed 000: “确定为依申请
                  公开或不予公开的，应当说明理由”; 条例第十四至十六条)
GD-R003  error    the reason must fit the attribute: art. 14 grounds only for 不予公开, the
                  specific-persons category only for 依申请公开 (条例第十四条、第十三条)
GD-R004  error    规章 and 行政规范性文件 are proactive unless a lawful reason is recorded
                  (条例 2019 第二十条第（一）项)
GD-R005  error    a state-secret record may not be proactive (条例第十四条)
GD-R006  error    partial or redacted disclosure needs a note on what was withheld and why
                  (条例第三十七条; seed 002 “全文公开、部分公开、删减公开”)
GD-R007  error    a change of attribute or scope after drafting needs ``change_reason`` (seed 002:
                  “公文内容审核与电子办公系统流转时公开属性确定不一致”; 国办发〔2016〕80号)
GD-R008  error    each publication's scope matches the decision in force when it was published,
                  and nothing is published before a decision or while not proactive (条例第十三条、
                  第三十七条)
GD-R009  warning  an important policy needs a linked 政策解读 (seed 000 （七）: “重要政策法规、政府
                  规章和规范性文件…须配发解读”); a warning because the interpretation may follow
                  the document (3 working days, 国办发〔2016〕19号)
GD-R010  warning  a proactive record not published within the proactive limit (条例 2019 第二十六条,
                  2008 第十八条; seed 000 （五）); a warning: a late record must still be published
GD-R011  error    有效性 and repeal date agree (废止 needs a date; a date needs 废止 or 失效)
GD-R012  warning  索引号 present and valid under the configured scheme (目录编制规范; seed 003)
GD-R013  warning  主题分类 in the configured vocabulary
GD-R014  error    a record that needs a 政策解读 (records marked ``important_policy``, and the
                  kinds the agency names, e.g. 规章 and 行政规范性文件 as seed 000 （七） has it:
                  “重要政策法规、政府规章和规范性文件…须配发解读”; seeds 003 二、004 三) links
                  one that exists and is published no later than the policy: the same day by
                  default, within `InterpretationPolicy.working_days` working days when the
                  agency allows it (options ``interpretation.working_days``,
                  ``interpretation.kinds``). Needs ``as_of``; the interpretations are looked up with
                  ``RuleContext.find_record`` (the store, when `govdisclose.publishing.publish` has
                  one), and an info says so when it cannot look
GD-R015  warning  a timed release (择时公开) set later than the proactive limit: holding a record
                  back does not extend the 20 working days (条例 2019 第二十六条)
======== ======== ==================================================================================

`suggest_attribute` proposes an attribute for an OA 发文稿纸 from the document kind and plain
keywords, and says why, so the drafter can accept or overrule it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs
from attrs import field, frozen

from govdisclose._time import SHANGHAI
from govdisclose.deadlines import proactive_due
from govdisclose.errors import CalendarDataMissing, GovDiscloseError, RuleError, ValidationError
from govdisclose.findings import Finding, Severity
from govdisclose.metadata import IndexNumberScheme, TopicVocabulary, validity_problems
from govdisclose.model import AttributeDecision, Record
from govdisclose.privacy import has_unmasked_pii
from govdisclose.review import ReviewChain
from govdisclose.settings import Settings
from govdisclose.vocab import (
    DisclosureAttribute,
    DisclosureScope,
    DocumentKind,
    NonDisclosureReason,
)

if TYPE_CHECKING:
    from govdisclose.calendar import WorkCalendar
    from govdisclose.params import ParameterSet

__all__ = [
    "INTERPRETATION_DAYS_OPTION",
    "INTERPRETATION_KINDS_OPTION",
    "Finding",
    "InterpretationPolicy",
    "Rule",
    "RuleContext",
    "RuleSet",
    "Severity",
    "Suggestion",
    "check",
    "is_state_secret",
    "suggest_attribute",
]


#: The settings option of `InterpretationPolicy.working_days`: ``interpretation.working_days=3``.
INTERPRETATION_DAYS_OPTION = "interpretation.working_days"

#: The settings option of `InterpretationPolicy.kinds`, document-kind codes separated by commas:
#: ``interpretation.kinds=rule,normative_document`` (seed 000 （七）'s rule).
INTERPRETATION_KINDS_OPTION = "interpretation.kinds"


def _kinds(value: Iterable[DocumentKind]) -> frozenset[DocumentKind]:
    return frozenset(value)


def _check_kinds(inst: object, att: attrs.Attribute[Any], value: frozenset[Any]) -> None:
    if not all(isinstance(k, DocumentKind) for k in value):
        raise ValidationError(
            f"需要解读的文件种类应为 DocumentKind：{sorted(map(repr, value))}",
            f"the kinds that need an interpretation must be DocumentKind values: "
            f"{sorted(map(repr, value))}",
            field=att.name,
            code="validation.type",
        )


def _check_days(inst: object, att: attrs.Attribute[Any], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 366:
        raise ValidationError(
            f"解读发布期限应为 0 至 366 个工作日：{value!r}",
            f"the interpretation's limit must be 0 to 366 working days, got {value!r}",
            field=att.name,
            code="validation.out_of_range",
        )


@frozen
class InterpretationPolicy:
    """Which records need a 政策解读 and how long it may follow the policy (GD-R014).

    :param working_days: ``0`` (the default): the interpretation is published no later than
        the policy, the same day at the latest, so the guard wants it out before the policy
        leaves; ``N``: it may follow within N working days of the policy's publication.
    :param kinds: the document kinds that need one whatever their flag. None by default: the
        regulation itself requires no interpretation, and which documents need one is the
        agency's rule (seed 000 （七）, a county's: 规章 and 规范性文件, ``{RULE,
        NORMATIVE_DOCUMENT}``; national guidance: the important policies).
    :param important_policy: a record marked ``important_policy`` (重要政策, what the drafting
        office marks) needs one, whatever its kind.

    .. versionadded:: 0.2.0
    """

    working_days: int = field(default=0, validator=_check_days)
    kinds: frozenset[DocumentKind] = field(
        default=frozenset(), converter=_kinds, validator=_check_kinds
    )
    important_policy: bool = True

    def needs(self, record: Record) -> bool:
        """Whether ``record`` needs an interpretation (an interpretation itself never does)."""
        if record.kind is DocumentKind.POLICY_INTERPRETATION:
            return False
        return record.kind in self.kinds or (self.important_policy and record.important_policy)

    @classmethod
    def from_settings(cls, settings: Settings) -> InterpretationPolicy:
        """The policy of the options `INTERPRETATION_DAYS_OPTION` (default 0, the same day)
        and `INTERPRETATION_KINDS_OPTION` (default none besides the important policies).

        :raises ValidationError: ``settings.invalid_interpretation_days`` for anything but a
            whole number of days from 0 to 366; ``settings.invalid_interpretation_kinds`` for
            a code that is not a `DocumentKind` (or names 政策解读 itself).
        """
        days = 0
        raw = settings.options.get(INTERPRETATION_DAYS_OPTION)
        if raw is not None:
            text = raw.strip()
            if not (text.isascii() and text.isdigit()) or int(text) > 366:
                raise ValidationError(
                    f"设置项 {INTERPRETATION_DAYS_OPTION} 应为 0 至 366 的工作日数：{raw!r}",
                    f"the option {INTERPRETATION_DAYS_OPTION} must be a number of working days "
                    f"from 0 to 366: {raw!r}",
                    field=f"options[{INTERPRETATION_DAYS_OPTION!r}]",
                    code="settings.invalid_interpretation_days",
                )
            days = int(text)
        kinds: set[DocumentKind] = set()
        listed = settings.options.get(INTERPRETATION_KINDS_OPTION, "")
        by_code = {k.code: k for k in DocumentKind if k is not DocumentKind.POLICY_INTERPRETATION}
        for code in (c.strip() for c in re.split("[,，、]", listed)):
            if not code:
                continue
            if code not in by_code:
                raise ValidationError(
                    f"设置项 {INTERPRETATION_KINDS_OPTION} 含未知的文件种类“{code}”，"
                    f"可用：{'、'.join(by_code)}",
                    f"the option {INTERPRETATION_KINDS_OPTION} names an unknown document kind "
                    f"{code!r}; known: {', '.join(by_code)}",
                    field=f"options[{INTERPRETATION_KINDS_OPTION!r}]",
                    code="settings.invalid_interpretation_kinds",
                )
            kinds.add(by_code[code])
        return cls(working_days=days, kinds=frozenset(kinds))


_DEFAULT_INTERPRETATION = InterpretationPolicy()


@frozen
class RuleContext:
    """Optional extras a rule may need; a rule that lacks what it needs stays silent.

    :param as_of: the day the check runs (for "not yet published" lateness); never implicit.
    :param params: legal parameters (the proactive limit, 条例第二十六条).
    :param calendar: the working-day calendar.
    :param index_scheme: the local 索引号 scheme (GD-R012 checks only presence without it).
    :param topics: the 主题分类 vocabulary (GD-R013 is silent without it).
    :param review_chain: the review steps the agency requires before publication (the guard's
        GD-P006 and the proactive clock); `ReviewChain.default` (one 保密审查) without it.
    :param interpretation: which records need a 政策解读 and how late it may follow (GD-R014);
        `InterpretationPolicy` () without it.
    :param find_record: looks a record up by id, ``None`` if there is none: how GD-R014 finds
        the interpretations a record links (`govdisclose.publishing.publish` uses its store).

    .. versionchanged:: 0.2.0 ``review_chain``, ``interpretation`` and ``find_record``.
    """

    as_of: date | None = None
    params: ParameterSet | None = None
    calendar: WorkCalendar | None = None
    index_scheme: IndexNumberScheme | None = None
    topics: TopicVocabulary | None = None
    review_chain: ReviewChain | None = None
    interpretation: InterpretationPolicy | None = None
    find_record: Callable[[str], Record | None] | None = None


def _not_blank(inst: object, att: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise RuleError(
            f"规则的{att.name}不能为空",
            f"a rule's {att.name} must be a non-empty string",
            field=att.name,
        )


def _severity(inst: object, att: attrs.Attribute[Severity], value: Severity) -> None:
    if not isinstance(value, Severity):
        raise RuleError(
            f"规则的严重程度应为 Severity，实际为 {value!r}",
            f"a rule's severity must be a Severity, got {value!r}",
            field=att.name,
        )


def _callable(inst: object, att: attrs.Attribute[Any], value: object) -> None:
    if not callable(value):
        raise RuleError(
            "规则的 check 必须可调用", "a rule's check must be callable", field=att.name
        )


@frozen
class Rule:
    """One disclosure rule.

    :param id: stable identifier (``GD-R001``; plugins use their own prefix, e.g. ``JS-R001``).
    :param title: short Chinese title shown in lists.
    :param article: the provision it enforces (``条例第三十七条``, a seed or a local rule).
    :param severity: the severity of its findings (informational; each finding carries its own).
    :param check: ``check(record, context) -> Iterable[Finding]``.
    """

    id: str = field(validator=_not_blank)
    title: str = field(validator=_not_blank)
    article: str = field(validator=_not_blank)
    severity: Severity = field(validator=_severity)
    check: Callable[[Record, RuleContext], Iterable[Finding]] = field(validator=_callable)


def _unique_rules(
    inst: object, att: attrs.Attribute[tuple[Rule, ...]], value: tuple[Rule, ...]
) -> None:
    seen: set[str] = set()
    for i, rule in enumerate(value):
        if not isinstance(rule, Rule):
            raise RuleError(
                f"规则集第{i}项不是 Rule：{rule!r}",
                f"rule set item {i} is not a Rule: {rule!r}",
                field=f"rules[{i}]",
            )
        if rule.id in seen:
            raise RuleError(
                f"规则编号“{rule.id}”重复",
                f"duplicate rule id {rule.id!r}",
                field=f"rules[{i}]",
                code="rules.duplicate_id",
            )
        seen.add(rule.id)


def _rule_tuple(value: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(value)


@frozen
class RuleSet:
    """An ordered set of rules with unique ids. Derive variants; never mutate."""

    rules: tuple[Rule, ...] = field(converter=_rule_tuple, validator=_unique_rules)

    @classmethod
    def default(cls) -> RuleSet:
        """The national default rules GD-R001 … GD-R015 (see the module docstring)."""
        return cls(_default_rules())

    @property
    def ids(self) -> tuple[str, ...]:
        """The rule ids, in order."""
        return tuple(r.id for r in self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def get(self, rule_id: str) -> Rule:
        """The rule with that id; `RuleError` if there is none."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise RuleError(
            f"规则集中没有“{rule_id}”", f"no rule {rule_id!r} in the set", code="rules.unknown_id"
        )

    def with_rules(self, *rules: Rule) -> RuleSet:
        """A new set with ``rules`` appended (plugin rules); a duplicate id raises `RuleError`."""
        return RuleSet((*self.rules, *rules))

    def without(self, *ids: str) -> RuleSet:
        """A new set without the named rules; an unknown id raises `RuleError` (likely a typo)."""
        unknown = [i for i in ids if i not in self.ids]
        if unknown:
            raise RuleError(
                f"规则集中没有：{'、'.join(unknown)}",
                f"no such rules in the set: {', '.join(unknown)}",
                code="rules.unknown_id",
            )
        drop = frozenset(ids)
        return RuleSet(r for r in self.rules if r.id not in drop)

    def check(self, record: Record, context: RuleContext | None = None) -> list[Finding]:
        """Every finding of every rule on ``record``, in rule order.

        A rule that raises something other than a `GovDiscloseError`, or returns something other
        than findings, is a broken (plugin) rule: `RuleError` names it rather than letting the
        record pass unchecked.
        """
        ctx = context if context is not None else _EMPTY_CONTEXT
        findings: list[Finding] = []
        rule = None
        try:
            for rule in self.rules:
                # Plugin rules are untyped at runtime: a generator, a list, or a bare None.
                for f in rule.check(record, ctx) or ():
                    if type(f) is not Finding and not isinstance(f, Finding):
                        raise TypeError(f"returned {type(f).__name__}, not Finding")
                    findings.append(f)
        except GovDiscloseError:
            raise
        except Exception as err:
            rule_id = rule.id if rule is not None else "?"
            raise RuleError(
                f"规则“{rule_id}”执行出错：{err}",
                f"rule {rule_id!r} failed: {err!r}",
                code="rules.check_failed",
            ) from err
        return findings


_EMPTY_CONTEXT = RuleContext()


def check(
    record: Record, *, rules: RuleSet | None = None, context: RuleContext | None = None
) -> list[Finding]:
    """Check ``record`` against ``rules`` (default: `RuleSet.default()`)."""
    return (rules if rules is not None else RuleSet.default()).check(record, context)


# -- the default rules ------------------------------------------------------------------------


@frozen
class _Emit:
    rule_id: str
    severity: Severity
    article: str

    def __call__(
        self, zh: str, en: str, field: str | None = None, severity: Severity | None = None
    ) -> Finding:
        return Finding(self.rule_id, severity or self.severity, zh, en, field, self.article)


_R001 = _Emit("GD-R001", Severity.ERROR, "国办发〔2016〕80号（公开属性源头认定）；条例第十三条")
_R002 = _Emit("GD-R002", Severity.ERROR, "国办发〔2016〕80号；条例第十四条至第十六条")
_R003 = _Emit("GD-R003", Severity.ERROR, "条例第十三条、第十四条")
_R004 = _Emit("GD-R004", Severity.ERROR, "条例第二十条第（一）项")
_R005 = _Emit("GD-R005", Severity.ERROR, "条例第十四条")
_R006 = _Emit("GD-R006", Severity.ERROR, "条例第三十七条")
_R007 = _Emit("GD-R007", Severity.ERROR, "国办发〔2016〕80号；种子文件002（公开属性确定不一致）")
_R008 = _Emit("GD-R008", Severity.ERROR, "条例第十三条、第三十七条")
_R009 = _Emit("GD-R009", Severity.WARNING, "种子文件000（七）公文解读；国办发〔2016〕19号")
_R010 = _Emit("GD-R010", Severity.WARNING, "条例第二十六条（2008年版第十八条）")
_R011 = _Emit("GD-R011", Severity.ERROR, "目录编制规范（有效性）")
_R012 = _Emit("GD-R012", Severity.WARNING, "政府信息公开目录编制规范（索引号）")
_R013 = _Emit("GD-R013", Severity.WARNING, "政府信息公开目录编制规范（主题分类）")
_R014 = _Emit(
    "GD-R014",
    Severity.ERROR,
    "种子文件000（七）“须配发解读”；种子文件003 二（政策解读）、004 三（回应解读）",
)
_R015 = _Emit("GD-R015", Severity.WARNING, "条例第二十六条（择时公开不延长公开期限）")

# Grounds on which information must not be disclosed at all: never 依申请公开 (art. 14).
_ART14 = frozenset(
    {
        NonDisclosureReason.STATE_SECRET,
        NonDisclosureReason.PROHIBITED_BY_LAW,
        NonDisclosureReason.THREE_SECURITIES_ONE_STABILITY,
    }
)


def is_state_secret(record: Record) -> bool:
    """Whether the record as a whole is a state secret (条例第十四条): its current decision
    gives 国家秘密 as reason and nothing is separable (scope 全文).

    With 部分公开/删减后公开 the reason describes the withheld part (条例第三十七条), and the rest
    may be disclosed.
    """
    d = record.decision
    return (
        d is not None
        and d.reason is NonDisclosureReason.STATE_SECRET
        and d.scope is DisclosureScope.FULL
    )


def _r001_undecided(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    if not record.decisions:
        yield _R001(
            "公开属性未认定：公文须在拟稿时确定主动公开、依申请公开或不予公开",
            "disclosure attribute undecided: it must be set when the document is drafted",
            "decisions",
        )


def _r002_reason_and_basis(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    d = record.decision
    if d is None or d.attribute is DisclosureAttribute.PROACTIVE:
        return
    i = len(record.decisions) - 1
    if d.reason is None:
        yield _R002(
            f"属性为“{d.attribute.label}”，但未选择不公开理由类别",
            f"attribute is {d.attribute.code} but no reason category is given",
            f"decisions[{i}].reason",
        )
    if d.legal_basis is None or not d.legal_basis.strip():
        yield _R002(
            f"属性为“{d.attribute.label}”，但未写明法律依据（条款）",
            f"attribute is {d.attribute.code} but no legal basis is given",
            f"decisions[{i}].legal_basis",
        )


def _r003_reason_fits(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    for i, d in enumerate(record.decisions):
        if d.reason is None:
            continue
        if d.reason is NonDisclosureReason.SPECIFIC_PERSONS and (
            d.attribute is not DisclosureAttribute.ON_REQUEST
        ):
            yield _R003(
                f"理由“{d.reason.label}”只适用于依申请公开，不适用于“{d.attribute.label}”",
                f"reason {d.reason.code} applies only to on-request disclosure, "
                f"not {d.attribute.code}",
                f"decisions[{i}].reason",
            )
        if d.reason in _ART14 and d.attribute is DisclosureAttribute.ON_REQUEST:
            yield _R003(
                f"理由“{d.reason.label}”属于条例第十四条不予公开情形，不能定为依申请公开",
                f"reason {d.reason.code} is an art. 14 ground: the information must not be "
                "disclosed, so it cannot be on-request",
                f"decisions[{i}].attribute",
            )


def _r004_rules_proactive(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    d = record.decision
    if record.kind not in (DocumentKind.RULE, DocumentKind.NORMATIVE_DOCUMENT) or d is None:
        return
    if d.attribute is not DisclosureAttribute.PROACTIVE and d.reason is None:
        yield _R004(
            f"{record.kind.label}应当主动公开（条例第二十条第（一）项），"
            f"定为“{d.attribute.label}”须记录法定理由",
            f"a {record.kind.code} must be disclosed proactively (art. 20(1)) unless a lawful "
            f"reason is recorded; it is {d.attribute.code}",
            f"decisions[{len(record.decisions) - 1}].attribute",
        )


def _r005_state_secret(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    d = record.decision
    if d is not None and is_state_secret(record) and d.attribute is DisclosureAttribute.PROACTIVE:
        yield _R005(
            "属于国家秘密的政府信息不得主动公开（条例第十四条）",
            "a state secret may not be proactive (art. 14)",
            f"decisions[{len(record.decisions) - 1}].attribute",
        )


def _r006_withheld_note(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    for i, d in enumerate(record.decisions):
        if d.scope is not DisclosureScope.FULL and not (d.withheld_note or "").strip():
            yield _R006(
                f"“{d.scope.label}”须说明不公开的部分及理由（条例第三十七条）",
                f"{d.scope.code} disclosure needs a note on what is withheld and why (art. 37)",
                f"decisions[{i}].withheld_note",
            )


def _r007_change_reason(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    for i in range(1, len(record.decisions)):
        prev, d = record.decisions[i - 1], record.decisions[i]
        if (d.change_reason or "").strip():
            continue
        changed = d.attribute is not prev.attribute or d.scope is not prev.scope
        if changed:
            yield _R007(
                f"公开属性由“{prev.attribute.label}/{prev.scope.label}”改为"
                f"“{d.attribute.label}/{d.scope.label}”，未说明变更理由",
                f"attribute changed from {prev.attribute.code}/{prev.scope.code} to "
                f"{d.attribute.code}/{d.scope.code} without change_reason",
                f"decisions[{i}].change_reason",
            )
        else:
            yield _R007(
                "重新认定公开属性未说明理由",
                "a repeated attribute decision has no change_reason",
                f"decisions[{i}].change_reason",
                Severity.WARNING,
            )


def _decision_on(decisions: Sequence[AttributeDecision], day: date) -> AttributeDecision | None:
    current = None
    for d in decisions:
        if d.decided_on <= day:
            current = d
    return current


def _r008_publication_scope(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    for i, p in enumerate(record.publications):
        d = _decision_on(record.decisions, p.published_on)
        where = f"publications[{i}]"
        if d is None:
            yield _R008(
                f"{p.published_on}的发布早于任何公开属性认定",
                f"published on {p.published_on}, before any attribute decision",
                where,
            )
        elif d.attribute is not DisclosureAttribute.PROACTIVE:
            yield _R008(
                f"{p.published_on}发布时公开属性为“{d.attribute.label}”，不应主动发布",
                f"published on {p.published_on} while the attribute was {d.attribute.code}",
                where,
            )
        elif p.scope is not d.scope:
            yield _R008(
                f"发布范围“{p.scope.label}”与认定的“{d.scope.label}”不一致",
                f"publication scope {p.scope.code} differs from the decided {d.scope.code}",
                f"{where}.scope",
            )


def _r009_interpretation(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    if record.important_policy and not record.interpretations:
        yield _R009(
            "重要政策文件须配发政策解读，尚未关联解读材料",
            "an important policy needs a linked policy interpretation (政策解读)",
            "interpretations",
        )


def _r010_late(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    if ctx.params is None or ctx.calendar is None:
        return
    if record.attribute is not DisclosureAttribute.PROACTIVE:
        return
    # Publications before the last change belong to the earlier version of the information.
    published = min(
        (p.published_on for p in record.publications if p.published_on >= record.clock_start),
        default=None,
    )
    try:
        due = proactive_due(record, params=ctx.params, calendar=ctx.calendar)
    except CalendarDataMissing as err:
        if err.year <= ctx.calendar.covered[1]:
            raise  # before the data: not a question of next year's notice
        # The due date lies past the calendar's data (a record formed in December before next
        # year's notice is loaded), so it is later than every covered day: a publication or a
        # check day the calendar covers cannot be late. Only a day past the data is unknown.
        judged = published if published is not None else ctx.as_of
        if judged is not None and not ctx.calendar.covers(judged):
            yield _R010(
                f"无法判断是否逾期：{err.message_zh}",
                f"cannot tell whether it is late: {err.message_en}",
                "publications",
            )
        return
    if due is None:
        return
    if published is not None and published > due:
        yield _R010(
            f"主动公开逾期：公开期限为{due}，实际{published}公开",
            f"proactive disclosure late: due {due}, published {published}",
            "publications",
        )
    elif published is None and ctx.as_of is not None and ctx.as_of > due:
        yield _R010(
            f"主动公开逾期：公开期限为{due}，截至{ctx.as_of}尚未公开",
            f"proactive disclosure overdue: due {due}, not published as of {ctx.as_of}",
            "publications",
        )


def _r011_validity(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    for p in validity_problems(record):
        yield _R011(p.message_zh, p.message_en, "validity")


def _r012_index_number(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    if record.index_number is None or not record.index_number.strip():
        yield _R012("缺少索引号", "the index number is missing", "index_number")
        return
    if ctx.index_scheme is not None:
        for p in ctx.index_scheme.validate(record.index_number):
            yield _R012(p.message_zh, p.message_en, "index_number")


def _r013_topic(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    if ctx.topics is None or record.topic is None:
        return
    for p in ctx.topics.problems(record.topic):
        yield _R013(p.message_zh, p.message_en, "topic")


def _r014_interpretation(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    policy = ctx.interpretation if ctx.interpretation is not None else _DEFAULT_INTERPRETATION
    as_of = ctx.as_of
    if as_of is None or record.attribute is not DisclosureAttribute.PROACTIVE:
        return
    if not policy.needs(record):
        return
    days = policy.working_days
    # The policy's day: its first publication since it was formed or last changed (as the
    # proactive clock, GD-R010), or today for a record about to be published.
    policy_day = min(
        (p.published_on for p in record.publications if p.published_on >= record.clock_start),
        default=as_of,
    )
    limit: date | None = policy_day
    if days:
        limit = None
        if ctx.calendar is not None:
            try:
                limit = ctx.calendar.add_working_days(policy_day, days)
            except CalendarDataMissing:
                limit = None

    def late(day: date) -> bool | None:
        """Whether ``day`` is past the limit; None when that cannot be told."""
        if limit is not None:
            return day > limit
        return False if day <= policy_day else None

    kind = record.kind.label if record.kind in policy.kinds else "重要政策文件"
    if days:
        when_zh = f"政策发布后{days}个工作日内" + (f"（{limit}前）" if limit else "")
        when_en = f"within {days} working day(s) of the policy" + (
            f" (by {limit})" if limit else ""
        )
    else:
        when_zh, when_en = "不晚于政策文件发布（最迟同日）", "no later than the policy (same day)"

    def unpublished(zh: str, en: str, where: str) -> Iterator[Finding]:
        # With the same-day rule the interpretation must be out before the policy leaves; with
        # a delay it may follow until the limit has passed.
        overdue = True if not days else late(as_of)
        if overdue is None:
            yield _R014(
                f"{zh}；无法判断是否逾期（未提供工作日历）",
                f"{en}; cannot tell whether it is late (no working-day calendar)",
                where,
                Severity.INFO,
            )
        elif overdue:
            yield _R014(f"{zh}，解读须{when_zh}", f"{en}; it is due {when_en}", where)
        else:
            yield _R014(
                f"{zh}，解读须{when_zh}发布",
                f"{en}; publish it {when_en}",
                where,
                Severity.WARNING,
            )

    if not record.interpretations:
        yield from unpublished(
            f"{kind}须配发政策解读，尚未关联解读材料",
            "the record needs a policy interpretation (政策解读) and links none",
            "interpretations",
        )
        return
    if ctx.find_record is None:
        yield _R014(
            "无法核对所关联的政策解读是否存在、是否按时发布（未提供查找记录的方式）",
            "cannot check that the linked interpretations exist and were published in time "
            "(no find_record in the context, no store)",
            "interpretations",
            Severity.INFO,
        )
        return
    days_published: list[date] = []
    for i, ref in enumerate(record.interpretations):
        found = ctx.find_record(ref)
        if found is None:
            yield _R014(
                f"所关联的政策解读“{ref}”不存在",
                f"the linked interpretation {ref!r} does not exist",
                f"interpretations[{i}]",
            )
            continue
        if found.kind is not DocumentKind.POLICY_INTERPRETATION:
            yield _R014(
                f"所关联的“{ref}”不是政策解读（种类：{found.kind.label}）",
                f"the linked record {ref!r} is not a policy interpretation ({found.kind.code})",
                f"interpretations[{i}]",
                Severity.WARNING,
            )
        days_published += [p.published_on for p in found.publications if p.published_on <= as_of]
    if len(days_published) == 0:
        yield from unpublished(
            "所关联的政策解读尚未发布",
            "no linked interpretation is published yet",
            "interpretations",
        )
        return
    first = min(days_published)
    verdict = late(first)
    if verdict is None:
        yield _R014(
            f"政策解读于{first}发布，无法判断是否逾期（未提供工作日历）",
            f"the interpretation was published on {first}; cannot tell whether it was late "
            "(no working-day calendar)",
            "interpretations",
            Severity.INFO,
        )
    elif verdict:
        yield _R014(
            f"政策解读{first}才发布，晚于期限：须{when_zh}（政策发布日{policy_day}）",
            f"the interpretation was published on {first}, late: it is due {when_en} "
            f"(the policy was published on {policy_day})",
            "interpretations",
        )


def _r015_timed_release(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    release = record.timed_release
    if release is None or ctx.params is None or ctx.calendar is None:
        return
    try:
        due = proactive_due(record, params=ctx.params, calendar=ctx.calendar)
    except CalendarDataMissing:
        return  # GD-R010 says what the calendar lacks
    day = release.not_before.astimezone(SHANGHAI).date()
    if due is not None and day > due:
        yield _R015(
            f"择时公开时间{day}晚于主动公开期限{due}：择时公开不延长20个工作日的法定期限",
            f"the timed release ({day}) is after the proactive limit ({due}): holding a record "
            "back does not extend the 20 working days",
            "timed_release.not_before",
        )


def _default_rules() -> tuple[Rule, ...]:
    table: tuple[tuple[_Emit, str, Callable[[Record, RuleContext], Iterable[Finding]]], ...] = (
        (_R001, "公开属性须源头认定", _r001_undecided),
        (_R002, "非主动公开须有理由和依据", _r002_reason_and_basis),
        (_R003, "不公开理由须与属性相符", _r003_reason_fits),
        (_R004, "规章和规范性文件应主动公开", _r004_rules_proactive),
        (_R005, "国家秘密不得主动公开", _r005_state_secret),
        (_R006, "部分公开须说明不公开部分", _r006_withheld_note),
        (_R007, "属性变更须说明理由", _r007_change_reason),
        (_R008, "发布范围须与认定一致", _r008_publication_scope),
        (_R009, "重要政策须配发解读", _r009_interpretation),
        (_R010, "主动公开须在时限内发布", _r010_late),
        (_R011, "有效性与废止日期一致", _r011_validity),
        (_R012, "索引号齐全且合规", _r012_index_number),
        (_R013, "主题分类在分类表内", _r013_topic),
        (_R014, "政策文件须同步发布解读", _r014_interpretation),
        (_R015, "择时公开不得超过公开期限", _r015_timed_release),
    )
    return tuple(Rule(e.rule_id, title, e.article, e.severity, fn) for e, title, fn in table)


# -- attribute suggestion ---------------------------------------------------------------------


@frozen
class Suggestion:
    """A proposed attribute for an OA form, with the reasons and articles behind it."""

    attribute: DisclosureAttribute
    scope: DisclosureScope
    reasons: tuple[NonDisclosureReason, ...]
    articles: tuple[str, ...]
    explanation_zh: str


_SECRET_MARK = re.compile(r"(?:绝密|机密|秘密)\s*[★☆]")
_PUBLIC_CONSULTATION = re.compile(r"公开征求|向社会征求|征求意见的(?:通知|公告)")
_PROCESS = re.compile(r"请示|讨论稿|征求意见稿|送审稿|草稿|初稿|会议讨论记录|磋商")
_REPORT_UPWARD = re.compile(r"的报告$")
_INTERNAL = re.compile(r"内部资料|内部事务|人事管理|后勤管理|内部工作流程|机关内部")
_CASE_FILE = re.compile(r"执法案卷|案卷材料")


def suggest_attribute(record: Record) -> Suggestion:
    """Propose 主动公开 / 依申请公开 / 不予公开 for ``record`` and explain the proposal.

    The order of the tests is the order of precedence:

    1. a 密级 marking (``机密★``) -> 不予公开, state secret (条例第十四条; the 保密审查 comes
       first, 条例第十七条);
    2. 规章 / 行政规范性文件 -> 主动公开 (第二十条第（一）项); 政策解读 -> 主动公开 (seed 000
       （七）); 惩戒类公告 -> 主动公开 (第二十条第（六）项);
    3. a public consultation (公开征求意见) -> 主动公开 (seed 002 （二）);
    4. 请示 / 报告 to a superior, drafts, 征求意见稿 between agencies -> 不予公开 as process
       information (第十六条第二款, which allows withholding; a law requiring disclosure prevails);
    5. internal-affairs wording -> 依申请公开 (第十六条第一款; local 源头认定 rules put internal
       management under 依申请, users-and-formats.md §2.4); enforcement case files likewise;
    6. otherwise 主动公开: 以公开为常态、不公开为例外 (第五条).

    Where the body contains personal data, the scope becomes 删减后公开: de-identify before
    publishing (seed 002 （五）), except for punitive notices.
    """
    text = f"{record.title}\n{record.body}"
    title = record.title.strip()

    def done(
        attribute: DisclosureAttribute,
        reasons: tuple[NonDisclosureReason, ...],
        articles: tuple[str, ...],
        why: str,
    ) -> Suggestion:
        scope = DisclosureScope.FULL
        # Punitive notices are published as they are (seed 002 （五）).
        needs_masking = (
            attribute is DisclosureAttribute.PROACTIVE
            and record.kind is not DocumentKind.PUNITIVE_NOTICE
            and has_unmasked_pii(record.body)
        )
        if needs_masking:
            scope = DisclosureScope.REDACTED
            articles = (*articles, "种子文件002（五）去标识化")
            why += "；正文含个人信息，应去标识化后删减公开"
        return Suggestion(attribute, scope, reasons, articles, why)

    if _SECRET_MARK.search(text):
        return done(
            DisclosureAttribute.NOT_DISCLOSED,
            (NonDisclosureReason.STATE_SECRET,),
            ("条例第十四条", "条例第十七条"),
            "标有密级，属于国家秘密，不予公开；公开前须经保密审查",
        )
    if record.kind in (DocumentKind.RULE, DocumentKind.NORMATIVE_DOCUMENT):
        return done(
            DisclosureAttribute.PROACTIVE,
            (),
            ("条例第二十条第（一）项",),
            f"{record.kind.label}属于应当主动公开的政府信息",
        )
    if record.kind is DocumentKind.POLICY_INTERPRETATION:
        return done(
            DisclosureAttribute.PROACTIVE,
            (),
            ("种子文件000（七）",),
            "政策解读须及时在政府网站公开",
        )
    if record.kind is DocumentKind.PUNITIVE_NOTICE:
        return done(
            DisclosureAttribute.PROACTIVE,
            (),
            ("条例第二十条第（六）项", "种子文件002（五）"),
            "行政处罚决定等惩戒性公示应当主动公开（惩戒性公示不作去标识化）",
        )
    if _PUBLIC_CONSULTATION.search(title):
        return done(
            DisclosureAttribute.PROACTIVE,
            (),
            ("种子文件002（二）", "条例第五条"),
            "向社会公开征求意见的文件应主动公开",
        )
    if _PROCESS.search(title) or _REPORT_UPWARD.search(title):
        return done(
            DisclosureAttribute.NOT_DISCLOSED,
            (NonDisclosureReason.PROCESS_INFORMATION,),
            ("条例第十六条第二款",),
            "请示、报告、过程稿、磋商信函等属于过程性信息，可以不予公开；"
            "法律、法规、规章规定应当公开的，从其规定",
        )
    if _CASE_FILE.search(text):
        return done(
            DisclosureAttribute.ON_REQUEST,
            (NonDisclosureReason.ENFORCEMENT_CASE_FILE,),
            ("条例第十六条第二款",),
            "行政执法案卷信息可以不主动公开，依申请处理",
        )
    if _INTERNAL.search(text):
        return done(
            DisclosureAttribute.ON_REQUEST,
            (NonDisclosureReason.INTERNAL_AFFAIRS,),
            ("条例第十六条第一款",),
            "人事管理、后勤管理、内部工作流程等内部事务信息可以不主动公开，依申请处理",
        )
    return done(
        DisclosureAttribute.PROACTIVE,
        (),
        ("条例第五条", "条例第十三条"),
        "以公开为常态、不公开为例外：未发现不公开情形",
    )
