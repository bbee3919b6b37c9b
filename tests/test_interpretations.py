"""Interpretations (政策解读, issue 14; GD-R014): a policy that needs one links an interpretation
that exists and is published no later than the policy — the same day by default, within a
number of working days when the agency's setting allows it. Seed 000 （七）: 重要政策法规、政府
规章和规范性文件…须配发解读; seeds 003 二 and 004 三 report the 解读 published with policies.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import attrs
import pytest

from govdisclose.calendar import WorkCalendar
from govdisclose.errors import PublishBlocked, ValidationError
from govdisclose.model import AttributeDecision, Publication, Record
from govdisclose.params import ParameterSet
from govdisclose.publishing import publish
from govdisclose.rules import Finding, InterpretationPolicy, RuleContext, RuleSet, check
from govdisclose.settings import Settings
from govdisclose.testing import MemoryStore, RecordingPublisher
from govdisclose.testing.builders import agencies_of
from govdisclose.vocab import DisclosureAttribute, DocumentKind, PublicationChannel, ReviewStatus

SH = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar.default()
PARAMS = ParameterSet.default()
#: The policy goes out on Thursday 2025-06-05.
DAY = date(2025, 6, 5)
NOW = datetime(2025, 6, 5, 15, 0, tzinfo=SH)


def published_on(day: date) -> Publication:
    return Publication("portal", PublicationChannel.PORTAL, datetime.combine(day, time(9), SH))


def rec(rid: str, **kw: object) -> Record:
    base: dict[str, object] = {
        "id": rid,
        "title": "关于进一步支持小微企业发展的若干措施",
        "agency": "county-gov",
        "formed_on": date(2025, 6, 3),
        "index_number": "11371100MB2850123X/2025-00050",
        "decisions": (
            AttributeDecision(DisclosureAttribute.PROACTIVE, "发改科", date(2025, 6, 3)),
        ),
        "review_status": ReviewStatus.PASSED,
        "reviewed_by": "办公室",
        "reviewed_on": date(2025, 6, 4),
        "body": "为支持小微企业发展，制定如下措施。",
    }
    base.update(kw)
    return Record(**base)  # type: ignore[arg-type]


def policy(**kw: object) -> Record:
    fields: dict[str, object] = {"important_policy": True, "interpretations": ("JD-2025-05",)}
    return rec("ZC-2025-05", **{**fields, **kw})


def interpretation(*days: date, kind: DocumentKind = DocumentKind.POLICY_INTERPRETATION) -> Record:
    return rec(
        "JD-2025-05",
        title="《关于进一步支持小微企业发展的若干措施》政策解读",
        kind=kind,
        publications=tuple(published_on(d) for d in days),
    )


def r014(findings: Iterable[Finding]) -> list[tuple[str, str | None]]:
    return [(f.severity.code, f.field) for f in findings if f.rule_id == "GD-R014"]


def store_with(*records: Record) -> MemoryStore:
    store = MemoryStore()
    for a in agencies_of(records):
        store.put_agency(a)
    for r in records:
        store.put_record(r, expected_version=0)
    return store


def test_the_rule_is_in_the_default_set() -> None:
    rule = RuleSet.default().get("GD-R014")
    assert rule.severity.code == "error"
    assert "种子文件000（七）" in rule.article


def test_an_important_policy_without_an_interpretation_is_refused() -> None:
    pub = RecordingPublisher(NOW)
    with pytest.raises(PublishBlocked) as err:
        publish(policy(interpretations=()), publishers=[pub], now=NOW)
    assert err.value.code == "publishing.interpretation_missing"
    assert err.value.field == "interpretations"
    assert "须配发政策解读" in err.value.message_zh
    assert pub.published == ()


def test_a_link_to_nothing_is_refused() -> None:
    store = store_with(policy())
    with pytest.raises(PublishBlocked) as err:
        publish(policy(), publishers=[RecordingPublisher(NOW)], now=NOW, store=store)
    assert ("error", "interpretations[0]") in r014(err.value.findings)
    assert "“JD-2025-05”不存在" in err.value.message_zh


def test_the_interpretation_must_be_out_first_by_default() -> None:
    """Same day by default: an interpretation stored but not yet published blocks the policy;
    published earlier the same day, the policy goes out."""
    store = store_with(policy(), interpretation())
    with pytest.raises(PublishBlocked) as err:
        publish(policy(), publishers=[RecordingPublisher(NOW)], now=NOW, store=store)
    assert err.value.code == "publishing.interpretation_missing"
    assert "尚未发布" in err.value.message_zh
    # Publish the interpretation through the guard (it needs none itself), then the policy.
    jd = store.get_record("JD-2025-05")
    publish(jd, publishers=[RecordingPublisher(NOW)], now=NOW, store=store)
    result = publish(policy(), publishers=[RecordingPublisher(NOW)], now=NOW, store=store)
    assert len(result.published) == 1


@pytest.mark.parametrize(
    ("interp_days", "expected"),
    [
        ((date(2025, 6, 4),), []),  # the day before: in time
        ((DAY,), []),  # the same day: in time
        ((date(2025, 6, 6),), [("error", "interpretations")]),  # the day after: late
        ((date(2025, 6, 6), DAY), []),  # the first publication counts
    ],
)
def test_same_day_rule_on_a_published_policy(
    interp_days: tuple[date, ...], expected: list[tuple[str, str | None]]
) -> None:
    records = {"JD-2025-05": interpretation(*interp_days)}
    ctx = RuleContext(as_of=date(2025, 6, 20), find_record=records.get)
    found = check(policy(publications=(published_on(DAY),)), context=ctx)
    assert r014(found) == expected


# A delay of 3 working days after Thu 2025-06-05: Fri 6-06 (1), Mon 6-09 (2), Tue 6-10 (3).
LIMIT = date(2025, 6, 10)


@pytest.mark.parametrize(
    ("as_of", "interp_days", "expected"),
    [
        (date(2025, 6, 9), (), [("warning", "interpretations")]),  # may still follow
        (LIMIT, (), [("warning", "interpretations")]),  # the last day
        (date(2025, 6, 11), (), [("error", "interpretations")]),  # the limit has passed
        (date(2025, 6, 20), (LIMIT,), []),  # on the third working day: in time
        (date(2025, 6, 20), (date(2025, 6, 11),), [("error", "interpretations")]),  # a day late
    ],
)
def test_a_delay_in_working_days(
    as_of: date, interp_days: tuple[date, ...], expected: list[tuple[str, str | None]]
) -> None:
    records = {"JD-2025-05": interpretation(*interp_days)}
    ctx = RuleContext(
        as_of=as_of,
        calendar=CAL,
        interpretation=InterpretationPolicy(working_days=3),
        find_record=records.get,
    )
    found = check(policy(publications=(published_on(DAY),)), context=ctx)
    assert r014(found) == expected


def test_with_a_delay_the_policy_may_go_first() -> None:
    store = store_with(policy(), interpretation())
    ctx = RuleContext(calendar=CAL, interpretation=InterpretationPolicy(working_days=3))
    result = publish(
        policy(), publishers=[RecordingPublisher(NOW)], now=NOW, store=store, context=ctx
    )
    assert len(result.published) == 1
    assert r014(result.findings) == [("warning", "interpretations")]
    assert "2025-06-10" in result.findings[0].message_zh


def test_a_delay_without_a_calendar_cannot_be_judged_late() -> None:
    ctx = RuleContext(
        as_of=date(2025, 6, 20),
        interpretation=InterpretationPolicy(working_days=3),
        find_record={"JD-2025-05": interpretation(date(2025, 6, 9))}.get,
    )
    assert r014(check(policy(publications=(published_on(DAY),)), context=ctx)) == [
        ("info", "interpretations")
    ]


def test_a_link_to_another_kind_is_warned_of() -> None:
    records = {"JD-2025-05": interpretation(date(2025, 6, 4), kind=DocumentKind.OTHER)}
    found = check(policy(), context=RuleContext(as_of=DAY, find_record=records.get))
    assert r014(found) == [("warning", "interpretations[0]")]


def test_without_a_way_to_look_it_up_an_info_says_so() -> None:
    """Without a store or find_record the link cannot be followed: not blocking, but said."""
    found = check(policy(), context=RuleContext(as_of=DAY))
    assert r014(found) == [("info", "interpretations")]
    assert publish(policy(), publishers=[RecordingPublisher(NOW)], now=NOW).published


def test_records_that_need_none_are_not_judged() -> None:
    """An ordinary notice, a 规范性文件 under the default policy, an interpretation itself, a
    record not proactive, and any record when the check has no day."""
    nothing: dict[str, Record] = {}
    ctx = RuleContext(as_of=DAY, find_record=nothing.get)
    assert r014(check(rec("N1"), context=ctx)) == []
    assert r014(check(rec("N2", kind=DocumentKind.NORMATIVE_DOCUMENT), context=ctx)) == []
    assert r014(check(interpretation(), context=ctx)) == []
    secret = AttributeDecision(DisclosureAttribute.ON_REQUEST, "科", date(2025, 6, 3))
    assert r014(check(policy(interpretations=(), decisions=(secret,)), context=ctx)) == []
    assert r014(check(policy(interpretations=()))) == []


def test_the_kinds_seed_000_names_can_be_required() -> None:
    """Seed 000 （七）: 规章 and 规范性文件 need one too, when the agency says so."""
    strict = InterpretationPolicy(kinds={DocumentKind.RULE, DocumentKind.NORMATIVE_DOCUMENT})
    ctx = RuleContext(as_of=DAY, interpretation=strict)
    normative = rec("GF-1", kind=DocumentKind.NORMATIVE_DOCUMENT)
    assert r014(check(normative, context=ctx)) == [("error", "interpretations")]
    (finding,) = [f for f in check(normative, context=ctx) if f.rule_id == "GD-R014"]
    assert finding.message_zh.startswith("行政规范性文件须配发政策解读")
    assert r014(check(rec("GF-2", kind=DocumentKind.OTHER), context=ctx)) == []


def test_the_policy_from_settings() -> None:
    settings = Settings(
        options={
            "interpretation.working_days": "3",
            "interpretation.kinds": "rule，normative_document",
        }
    )
    got = InterpretationPolicy.from_settings(settings)
    assert got == InterpretationPolicy(
        working_days=3, kinds={DocumentKind.RULE, DocumentKind.NORMATIVE_DOCUMENT}
    )
    assert InterpretationPolicy.from_settings(Settings()) == InterpretationPolicy()


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"interpretation.working_days": "-1"}, "settings.invalid_interpretation_days"),
        ({"interpretation.working_days": "三"}, "settings.invalid_interpretation_days"),
        ({"interpretation.working_days": "400"}, "settings.invalid_interpretation_days"),
        ({"interpretation.kinds": "rules"}, "settings.invalid_interpretation_kinds"),
        (
            {"interpretation.kinds": "policy_interpretation"},
            "settings.invalid_interpretation_kinds",
        ),
    ],
)
def test_bad_options_are_refused(options: dict[str, str], code: str) -> None:
    with pytest.raises(ValidationError) as err:
        InterpretationPolicy.from_settings(Settings(options=options))
    assert err.value.code == code
    (key,) = options
    assert err.value.field == f"options[{key!r}]"


@pytest.mark.parametrize("days", [-1, 367, True, 1.5])
def test_a_bad_delay_is_refused(days: object) -> None:
    with pytest.raises(ValidationError) as err:
        InterpretationPolicy(working_days=days)  # type: ignore[arg-type]
    assert (err.value.field, err.value.code) == ("working_days", "validation.out_of_range")


def test_a_changed_policy_is_judged_from_its_new_publication() -> None:
    """After a change (变更) the clock restarts: the publication of the earlier version does not
    make an interpretation published since late."""
    changed = attrs.evolve(
        policy(formed_on=date(2025, 5, 6), publications=(published_on(date(2025, 5, 6)),)),
        changed_on=date(2025, 6, 3),
    )
    records = {"JD-2025-05": interpretation(date(2025, 6, 4))}
    assert r014(check(changed, context=RuleContext(as_of=DAY, find_record=records.get))) == []
