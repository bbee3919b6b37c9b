"""Tests for govdisclose.rules: every default rule passing and failing, rule-set composition,
plugin-style rules, and the attribute suggestion."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

import attrs
import pytest

from govdisclose.calendar import WorkCalendar
from govdisclose.errors import RuleError
from govdisclose.metadata import CreditCodeSerialScheme, TopicVocabulary
from govdisclose.model import AttributeDecision, Publication, Record
from govdisclose.params import ParameterSet
from govdisclose.rules import (
    Finding,
    Rule,
    RuleContext,
    RuleSet,
    Severity,
    check,
    suggest_attribute,
)
from govdisclose.vocab import (
    DisclosureAttribute,
    DisclosureScope,
    DocumentKind,
    NonDisclosureReason,
    PublicationChannel,
    Validity,
)

CST = timezone(timedelta(hours=8))
P = DisclosureAttribute.PROACTIVE
R = DisclosureAttribute.ON_REQUEST
N = DisclosureAttribute.NOT_DISCLOSED


def decision(
    attribute: DisclosureAttribute = P,
    on: date = date(2024, 3, 1),
    **kw: object,
) -> AttributeDecision:
    return AttributeDecision(attribute, "办公室", on, **kw)  # type: ignore[arg-type]


def record(**kw: object) -> Record:
    base: dict[str, object] = {
        "id": "R1",
        "title": "关于做好2024年春耕生产工作的通知",
        "agency": "AG1",
        "formed_on": date(2024, 3, 1),
        "index_number": "1137078555222300XQ/2024-00001",
        "decisions": (decision(),),
    }
    base.update(kw)
    return Record(**base)  # type: ignore[arg-type]


def publication(day: date, scope: DisclosureScope = DisclosureScope.FULL) -> Publication:
    return Publication(
        "portal",
        PublicationChannel.PORTAL,
        datetime(day.year, day.month, day.day, 9, tzinfo=CST),
        scope=scope,
    )


def ids(findings: list[Finding]) -> list[str]:
    return [f.rule_id for f in findings]


def test_clean_record_has_no_findings() -> None:
    """A decided, proactive, indexed record passes every default rule."""
    assert check(record()) == []


# -- each default rule: failing and passing ---------------------------------------------------

BASIS = "条例第十六条第二款"

CASES: list[tuple[str, dict[str, object], dict[str, object]]] = [
    # rule id, failing record fields, passing record fields
    ("GD-R001", {"decisions": ()}, {}),
    (
        "GD-R002",
        {"decisions": (decision(R),)},
        {
            "decisions": (
                decision(
                    R, reason=NonDisclosureReason.SPECIFIC_PERSONS, legal_basis="条例第十三条"
                ),
            )
        },
    ),
    (
        "GD-R003",
        {
            "decisions": (
                decision(N, reason=NonDisclosureReason.SPECIFIC_PERSONS, legal_basis=BASIS),
            )
        },
        {
            "decisions": (
                decision(N, reason=NonDisclosureReason.PROCESS_INFORMATION, legal_basis=BASIS),
            )
        },
    ),
    (
        "GD-R004",
        {"kind": DocumentKind.NORMATIVE_DOCUMENT, "decisions": (decision(N),)},
        {"kind": DocumentKind.NORMATIVE_DOCUMENT},
    ),
    (
        "GD-R005",
        {"decisions": (decision(P, reason=NonDisclosureReason.STATE_SECRET),)},
        {
            "decisions": (
                decision(N, reason=NonDisclosureReason.STATE_SECRET, legal_basis="条例第十四条"),
            )
        },
    ),
    (
        "GD-R006",
        {"decisions": (decision(scope=DisclosureScope.PARTIAL),)},
        {
            "decisions": (
                decision(scope=DisclosureScope.PARTIAL, withheld_note="附件2涉及个人隐私"),
            )
        },
    ),
    (
        "GD-R007",
        {
            "decisions": (
                decision(R, reason=NonDisclosureReason.INTERNAL_AFFAIRS, legal_basis=BASIS),
                decision(P, on=date(2024, 3, 5)),
            )
        },
        {
            "decisions": (
                decision(R, reason=NonDisclosureReason.INTERNAL_AFFAIRS, legal_basis=BASIS),
                decision(P, on=date(2024, 3, 5), change_reason="审核时认定涉及公众利益"),
            )
        },
    ),
    (
        "GD-R008",
        {"publications": (publication(date(2024, 3, 4), DisclosureScope.REDACTED),)},
        {"publications": (publication(date(2024, 3, 4)),)},
    ),
    (
        "GD-R009",
        {"important_policy": True},
        {"important_policy": True, "interpretations": ("R1-JD",)},
    ),
    (
        "GD-R011",
        {"validity": Validity.REPEALED},
        {"validity": Validity.REPEALED, "repealed_on": date(2024, 6, 1)},
    ),
    ("GD-R012", {"index_number": None}, {}),
]


@pytest.mark.parametrize(("rule_id", "failing", "passing"), CASES, ids=[c[0] for c in CASES])
def test_default_rule_fails_and_passes(
    rule_id: str, failing: dict[str, object], passing: dict[str, object]
) -> None:
    """Each default rule reports the failing record and is silent on the corrected one."""
    assert rule_id in ids(check(record(**failing)))
    assert rule_id not in ids(check(record(**passing)))


def test_r002_names_both_missing_fields() -> None:
    """Without reason and basis, GD-R002 reports both fields."""
    found = [f for f in check(record(decisions=(decision(N),))) if f.rule_id == "GD-R002"]
    assert [f.field for f in found] == ["decisions[0].reason", "decisions[0].legal_basis"]
    assert all(f.severity is Severity.ERROR for f in found)


def test_r003_art14_ground_cannot_be_on_request() -> None:
    """A state secret (art. 14) decided 依申请公开 would release it on request: error."""
    rec = record(
        decisions=(decision(R, reason=NonDisclosureReason.STATE_SECRET, legal_basis="第十四条"),)
    )
    assert "GD-R003" in ids(check(rec))


def test_r004_lawful_reason_overrides() -> None:
    """A normative document with a recorded lawful reason is not flagged by GD-R004."""
    rec = record(
        kind=DocumentKind.RULE,
        decisions=(decision(N, reason=NonDisclosureReason.STATE_SECRET, legal_basis="第十四条"),),
    )
    assert "GD-R004" not in ids(check(rec))


def test_r005_partial_secret_is_separable() -> None:
    """A proactive record whose secret part is withheld (art. 37) is not a state secret."""
    rec = record(
        decisions=(
            decision(
                scope=DisclosureScope.PARTIAL,
                reason=NonDisclosureReason.STATE_SECRET,
                withheld_note="第三部分涉密，已删除",
            ),
        )
    )
    assert "GD-R005" not in ids(check(rec))


def test_r007_same_attribute_without_reason_is_warning() -> None:
    """A repeated decision that changes nothing but gives no reason is only a warning."""
    rec = record(decisions=(decision(), decision(on=date(2024, 3, 2))))
    (f,) = [f for f in check(rec) if f.rule_id == "GD-R007"]
    assert f.severity is Severity.WARNING


def test_r008_publication_before_decision_and_while_not_proactive() -> None:
    """Publishing before any decision, or while on-request, is reported."""
    early = record(publications=(publication(date(2024, 2, 28)),))
    assert "GD-R008" in ids(check(early))
    on_request = record(
        decisions=(
            decision(R, reason=NonDisclosureReason.SPECIFIC_PERSONS, legal_basis="第十三条"),
        ),
        publications=(publication(date(2024, 3, 4)),),
    )
    assert "GD-R008" in ids(check(on_request))


def test_r011_date_without_repeal() -> None:
    """A repeal date on a valid document contradicts it; 失效 with a date is consistent."""
    assert "GD-R011" in ids(check(record(repealed_on=date(2024, 6, 1))))
    expired = record(validity=Validity.EXPIRED, repealed_on=date(2024, 6, 1))
    assert "GD-R011" not in ids(check(expired))


def test_r012_uses_configured_scheme() -> None:
    """With a scheme in the context, a malformed index number is a warning."""
    ctx = RuleContext(index_scheme=CreditCodeSerialScheme())
    bad = record(index_number="null02D/01A/D3C20190807")
    found = [f for f in check(bad, context=ctx) if f.rule_id == "GD-R012"]
    assert found
    assert all(f.severity is Severity.WARNING for f in found)
    assert "GD-R012" not in ids(check(record(), context=ctx))


def test_r013_topic_vocabulary() -> None:
    """With a vocabulary in the context, an unknown topic is a warning; aliases resolve."""
    ctx = RuleContext(topics=TopicVocabulary.bundled())
    assert "GD-R013" in ids(check(record(topic="综合政务\\不存在"), context=ctx))
    assert "GD-R013" not in ids(check(record(topic="综合政务\\政务公开"), context=ctx))
    assert "GD-R013" not in ids(check(record(topic="民政、乡村振兴、救灾\\扶贫"), context=ctx))


# -- GD-R010: proactive limit -----------------------------------------------------------------


@pytest.fixture(scope="module")
def late_ctx() -> RuleContext:
    return RuleContext(
        as_of=date(2025, 3, 31), params=ParameterSet.default(), calendar=WorkCalendar.default()
    )


def test_r010_late_publication(late_ctx: RuleContext) -> None:
    """Formed 2025-01-24: 20 working days end 2025-02-27 (facts.md §3.3 vector: 1/26 is a
    makeup working day, 1/28-2/4 are off). Published 2/27: on time; 2/28: late."""
    formed = date(2025, 1, 24)
    base = record(formed_on=formed, decisions=(decision(on=formed),))
    on_time = attrs.evolve(base, publications=(publication(date(2025, 2, 27)),))
    late = attrs.evolve(base, publications=(publication(date(2025, 2, 28)),))
    assert "GD-R010" not in ids(check(on_time, context=late_ctx))
    (f,) = [f for f in check(late, context=late_ctx) if f.rule_id == "GD-R010"]
    assert "2025-02-27" in f.message_zh
    assert f.severity is Severity.WARNING


def test_r010_unpublished_overdue_as_of(late_ctx: RuleContext) -> None:
    """Unpublished after the due date is overdue as of the context day; before it, not."""
    formed = date(2025, 1, 24)
    rec = record(formed_on=formed, decisions=(decision(on=formed),))
    assert "GD-R010" in ids(check(rec, context=late_ctx))
    early = attrs.evolve(late_ctx, as_of=date(2025, 2, 27))
    assert "GD-R010" not in ids(check(rec, context=early))


def test_r010_silent_without_calendar() -> None:
    """Without params and calendar the lateness rule cannot run and says nothing."""
    rec = record(formed_on=date(2020, 1, 2), decisions=(decision(on=date(2020, 1, 2)),))
    assert "GD-R010" not in ids(check(rec, context=RuleContext(as_of=date(2025, 1, 1))))


# -- rule sets and plugins --------------------------------------------------------------------


def _no_weekend_formation(rec: Record, ctx: RuleContext) -> Iterator[Finding]:
    if rec.formed_on.weekday() >= 5:
        yield Finding(
            "JS-R001",
            Severity.INFO,
            "成文日期为周末",
            "formed on a weekend",
            "formed_on",
            "地方规定",
        )


PLUGIN_RULE = Rule("JS-R001", "成文日期提示", "地方规定", Severity.INFO, _no_weekend_formation)


def test_plugin_rule_added_with_with_rules() -> None:
    """A rule returned by a govdisclose_rules hook runs after the defaults."""
    rules = RuleSet.default().with_rules(PLUGIN_RULE)
    assert rules.ids[-1] == "JS-R001"
    weekend = record(formed_on=date(2024, 3, 2), decisions=(decision(on=date(2024, 3, 2)),))
    assert ids(rules.check(weekend)) == ["JS-R001"]
    assert ids(RuleSet.default().check(weekend)) == []


def test_plugin_hook_shape() -> None:
    """Rules from several plugins' hook results (iterables) combine into one set."""
    hook_results: list[list[Rule]] = [[PLUGIN_RULE], []]
    rules = RuleSet.default().with_rules(*(r for result in hook_results for r in result))
    assert len(rules) == len(RuleSet.default()) + 1


def test_duplicate_rule_id_refused() -> None:
    """Two rules with one id cannot coexist: RuleError naming the id."""
    with pytest.raises(RuleError, match="GD-R001"):
        RuleSet.default().with_rules(attrs.evolve(PLUGIN_RULE, id="GD-R001"))


def test_without_and_unknown_ids() -> None:
    """without() drops rules by id; an unknown id is a RuleError (likely a typo)."""
    rules = RuleSet.default().without("GD-R012")
    assert "GD-R012" not in rules.ids
    assert check(record(index_number=None), rules=rules) == []
    with pytest.raises(RuleError):
        RuleSet.default().without("GD-R999")
    with pytest.raises(RuleError):
        RuleSet.default().get("GD-R999")


def test_broken_plugin_rule_is_named() -> None:
    """A plugin rule that crashes or yields non-findings raises RuleError naming it."""

    def crash(rec: Record, ctx: RuleContext) -> list[Finding]:
        raise KeyError("oops")

    def wrong(rec: Record, ctx: RuleContext) -> list[Finding]:
        return ["not a finding"]  # type: ignore[list-item]

    for fn in (crash, wrong):
        rules = RuleSet((Rule("X-R1", "坏规则", "无", Severity.ERROR, fn),))
        with pytest.raises(RuleError, match="X-R1"):
            rules.check(record())


def test_rule_validation() -> None:
    """A rule needs an id, a Severity and a callable check."""
    with pytest.raises(RuleError):
        Rule("", "t", "a", Severity.ERROR, _no_weekend_formation)
    with pytest.raises(RuleError):
        Rule("X", "t", "a", "error", _no_weekend_formation)  # type: ignore[arg-type]
    with pytest.raises(RuleError):
        Rule("X", "t", "a", Severity.ERROR, None)  # type: ignore[arg-type]


def test_every_default_rule_cites_an_article() -> None:
    """Each default rule carries an id, a title and a citation."""
    rules = RuleSet.default()
    assert rules.ids == tuple(f"GD-R{i:03d}" for i in range(1, 16))
    assert all(r.article and r.title for r in rules)


# -- suggest_attribute ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "kind", "body", "attribute", "reason"),
    [
        ("某市行政规范性文件管理办法", DocumentKind.NORMATIVE_DOCUMENT, "", P, None),
        (
            "关于申请追加预算的请示",
            DocumentKind.OTHER,
            "",
            N,
            NonDisclosureReason.PROCESS_INFORMATION,
        ),
        (
            "关于2023年工作情况的报告",
            DocumentKind.OTHER,
            "",
            N,
            NonDisclosureReason.PROCESS_INFORMATION,
        ),
        (
            "某条例（征求意见稿）",
            DocumentKind.OTHER,
            "",
            N,
            NonDisclosureReason.PROCESS_INFORMATION,
        ),
        ("关于公开征求《某条例（征求意见稿）》意见的通知", DocumentKind.OTHER, "", P, None),
        ("局机关内部资料管理规定", DocumentKind.OTHER, "", R, NonDisclosureReason.INTERNAL_AFFAIRS),
        ("关于某项目的通知", DocumentKind.OTHER, "机密★1年", N, NonDisclosureReason.STATE_SECRET),
        ("关于做好春耕生产工作的通知", DocumentKind.OTHER, "", P, None),
        (
            "行政处罚决定书",
            DocumentKind.PUNITIVE_NOTICE,
            "当事人张三，身份证号11010519491231002X",
            P,
            None,
        ),
    ],
)
def test_suggest_attribute(
    title: str,
    kind: DocumentKind,
    body: str,
    attribute: DisclosureAttribute,
    reason: NonDisclosureReason | None,
) -> None:
    """Suggestions follow the document kind, then the keywords, and explain themselves."""
    s = suggest_attribute(record(title=title, kind=kind, body=body))
    assert s.attribute is attribute
    assert s.reasons == (() if reason is None else (reason,))
    assert s.articles
    assert s.explanation_zh
    if kind is DocumentKind.PUNITIVE_NOTICE:
        assert s.scope is DisclosureScope.FULL  # punitive notices are not de-identified


def test_suggest_redacted_when_body_has_personal_data() -> None:
    """A proactive document whose body lists ID numbers is suggested for redacted publication."""
    s = suggest_attribute(record(body="补助对象：王某，身份证号11010519491231002X"))
    assert (s.attribute, s.scope) == (P, DisclosureScope.REDACTED)
    assert any("去标识化" in a for a in s.articles)


def test_lateness_rule_in_december_before_next_years_notice() -> None:
    """A record formed in December 2026 is due in 2027, past the strict calendar's data: it
    cannot be late on any covered day (no finding, the guard still works), and a check on a day
    past the data says it cannot tell, instead of raising."""
    from datetime import date as _date

    from govdisclose.calendar import WorkCalendar as _Cal
    from govdisclose.model import AttributeDecision as _Decision, Record as _Record
    from govdisclose.params import ParameterSet as _Params
    from govdisclose.rules import RuleContext as _Ctx, RuleSet as _Rules
    from govdisclose.vocab import DisclosureAttribute as _Attr

    record = _Record(
        id="R-1204",
        title="关于某某事项的通知",
        agency="city-gov",
        formed_on=_date(2026, 12, 10),
        index_number="city-gov/2026-00099",
        decisions=(
            _Decision(
                attribute=_Attr.PROACTIVE, decided_by="办公室", decided_on=_date(2026, 12, 10)
            ),
        ),
    )
    rules = _Rules.default()
    cal, params = _Cal.default(), _Params.default()
    found = rules.check(record, _Ctx(as_of=_date(2026, 12, 30), params=params, calendar=cal))
    assert not [f for f in found if f.rule_id == "GD-R010"]
    later = rules.check(record, _Ctx(as_of=_date(2027, 1, 20), params=params, calendar=cal))
    [unknown] = [f for f in later if f.rule_id == "GD-R010"]
    assert "无法判断是否逾期" in unknown.message_zh
    assert "2027" in unknown.message_zh
