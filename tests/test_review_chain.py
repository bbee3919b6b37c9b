"""The review chain (issue 14): the steps an agency requires before a record is published, each
recorded with who, when and what was decided; the guard refuses an incomplete chain and names
the missing step; the proactive clock names the step a record is stuck at.

The golden chain is seed 003's: 信息员初审，科室负责人复核，分管领导批示，不能确定时报同级保密
部门 (条例 2019 第十七条: 不能确定是否可以公开时，报有关主管部门或者保密行政管理部门确定).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings, strategies as st

from govdisclose import serde
from govdisclose.calendar import WorkCalendar
from govdisclose.clocks import ClockState
from govdisclose.deadlines import proactive_status, review_backlog
from govdisclose.errors import ConflictError, PublishBlocked, ValidationError
from govdisclose.model import AttributeDecision, Publication, Record, ReviewStep
from govdisclose.params import ParameterSet
from govdisclose.publishing import guard, publish
from govdisclose.review import LEGACY_STEP, ReviewChain
from govdisclose.rules import RuleContext
from govdisclose.settings import Settings
from govdisclose.testing import MemoryStore, RecordingPublisher
from govdisclose.testing.builders import agency
from govdisclose.vocab import (
    DisclosureAttribute,
    PublicationChannel,
    ReviewDecision,
    ReviewStatus,
)

SH = ZoneInfo("Asia/Shanghai")
CHAIN = ReviewChain(("经办人初审", "科室负责人审核", "分管领导审签", "保密审查"))
CTX = RuleContext(review_chain=CHAIN)
PARAMS = ParameterSet.default()
CAL = WorkCalendar.default()
PASSED, RETURNED, ESCALATED = (
    ReviewDecision.PASSED,
    ReviewDecision.RETURNED,
    ReviewDecision.ESCALATED,
)


def at(day: int, hour: int = 9, month: int = 6) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=SH)


NOW = at(5, 15)


def step(name: str, when: datetime, decision: ReviewDecision = PASSED, **kw: object) -> ReviewStep:
    if decision is not PASSED:
        kw.setdefault("note", "请核实第三段的数据来源")
    if decision is ESCALATED:
        kw.setdefault("to", "保密办")
    return ReviewStep(step=name, decision=decision, by=f"{name}人", at=when, **kw)  # type: ignore[arg-type]


FULL = (
    step("经办人初审", at(3, 10)),
    step("科室负责人审核", at(3, 15)),
    step("分管领导审签", at(4, 9)),
    step("保密审查", at(4, 16)),
)


def rec(reviews: tuple[ReviewStep, ...] = FULL, **kw: object) -> Record:
    base: dict[str, object] = {
        "id": "R-2025-031",
        "title": "关于做好夏季防汛工作的通知",
        "agency": "county-water",
        "formed_on": date(2025, 6, 3),
        "index_number": "11371100MB2850123X/2025-00031",
        "decisions": (
            AttributeDecision(DisclosureAttribute.PROACTIVE, "防汛科", date(2025, 6, 3)),
        ),
        "reviews": reviews,
        "body": "各乡镇人民政府：现就夏季防汛工作通知如下。",
    }
    base.update(kw)
    return Record(**base)  # type: ignore[arg-type]


# -- golden cases -------------------------------------------------------------------------------


def test_the_complete_chain_publishes() -> None:
    pub = RecordingPublisher(NOW)
    result = publish(rec(), publishers=[pub], now=NOW, context=CTX)
    assert len(result.published) == 1
    progress = CHAIN.progress(rec())
    assert progress.complete
    assert progress.status is ReviewStatus.PASSED
    assert progress.counted == (0, 1, 2, 3)


@pytest.mark.parametrize("missing", range(4))
def test_each_missing_step_blocks_and_is_named(missing: int) -> None:
    """Leave out any one step: nothing is published, nothing is stored, and the error (code
    ``publishing.review_incomplete``, field ``reviews``) names that step in both languages."""
    name = CHAIN.steps[missing]
    record = rec(tuple(s for s in FULL if s.step != name))
    store = MemoryStore()
    pub = RecordingPublisher(NOW)
    with pytest.raises(PublishBlocked) as err:
        publish(record, publishers=[pub], now=NOW, context=CTX, store=store)
    assert err.value.code == "publishing.review_incomplete"
    assert err.value.field == "reviews"
    assert f"缺少“{name}”环节" in err.value.message_zh
    assert repr(name) in err.value.message_en
    assert [f.rule_id for f in err.value.findings] == ["GD-P006"]
    assert pub.published == ()
    assert store.record_version(record.id) == 0


def test_a_step_passed_out_of_order_counts_for_nothing() -> None:
    """审签 signs what 审核 checked: signed before the check, it must be signed again."""
    early = (FULL[0], step("分管领导审签", at(3, 11)), FULL[1], FULL[3])
    progress = CHAIN.progress(rec(early))
    assert progress.passed == ("经办人初审", "科室负责人审核")
    assert progress.pending == "分管领导审签"
    # Signed again after the check, then the secrecy review: complete.
    again = (*early[:3], step("分管领导审签", at(4, 10)), step("保密审查", at(4, 16)))
    assert CHAIN.progress(rec(again)).complete


def test_a_return_restarts_the_chain() -> None:
    """分管领导 returns the draft: the status is 审查未通过 and the revised text goes through the
    chain again from the first step; the return's note reaches the clerk."""
    returned = (*FULL[:2], step("分管领导审签", at(4, 9), RETURNED, note="第二条表述不准确"))
    progress = CHAIN.progress(rec(returned))
    assert progress.status is ReviewStatus.REJECTED
    assert progress.pending == "经办人初审"
    assert progress.passed == ()
    with pytest.raises(PublishBlocked) as err:
        publish(rec(returned), publishers=[RecordingPublisher(NOW)], now=NOW, context=CTX)
    assert "退回修改" in err.value.message_zh
    assert "第二条表述不准确" in err.value.message_zh
    assert "经办人初审" in err.value.message_zh
    # The revised draft through the whole chain again.
    redone = (
        *returned,
        step("经办人初审", at(5, 9)),
        step("科室负责人审核", at(5, 10)),
        step("分管领导审签", at(5, 11)),
    )
    progress = CHAIN.progress(rec(redone))
    assert (progress.pending, progress.returned, progress.status) == (
        "保密审查",
        None,
        ReviewStatus.PENDING,
    )
    done = (*redone, step("保密审查", at(5, 14)))
    assert publish(rec(done), publishers=[RecordingPublisher(NOW)], now=NOW, context=CTX).published


def test_an_escalation_waits_for_the_secrecy_office() -> None:
    """条例第十七条: the reviewer cannot tell and refers it to 保密办; the step stays open and the
    message says whom it waits for, until the step is decided."""
    referred = (*FULL[:3], step("保密审查", at(4, 16), ESCALATED, note="涉及水库调度数据"))
    progress = CHAIN.progress(rec(referred))
    assert (progress.pending, progress.escalated_to) == ("保密审查", "保密办")
    blocking, _ = guard(rec(referred), context=CTX, now=NOW)
    (finding,) = blocking
    assert "已报保密办确定" in finding.message_zh
    assert "保密办" in finding.message_en
    answered = (
        *referred,
        ReviewStep("保密审查", PASSED, "保密办 赵六", at(5, 10), note="可以公开"),
    )
    assert CHAIN.progress(rec(answered)).complete
    assert guard(rec(answered), context=CTX, now=NOW)[0] == []


def test_steps_before_the_last_change_do_not_count() -> None:
    """A record changed on 6-05 was reviewed on 6-03/6-04 as another text: nothing counts."""
    changed = rec(changed_on=date(2025, 6, 5))
    progress = CHAIN.progress(changed)
    assert progress.passed == ()
    assert progress.pending == "经办人初审"
    # A step on the day of the change counts (days are the unit of formed_on / changed_on).
    same_day = (*FULL, *(step(n, at(5, 9 + i)) for i, n in enumerate(CHAIN.steps)))
    assert CHAIN.progress(rec(same_day, changed_on=date(2025, 6, 5))).complete


def test_a_step_dated_in_the_future_is_refused() -> None:
    late = (*FULL[:3], step("保密审查", at(6, 9)))
    blocking, _ = guard(rec(late), context=CTX, now=NOW)
    assert [(f.rule_id, f.field) for f in blocking] == [("GD-P005", "reviews[3].at")]
    # Without now, the day decides.
    blocking, _ = guard(rec(late), context=attrs.evolve(CTX, as_of=date(2025, 6, 5)))
    assert [f.rule_id for f in blocking] == ["GD-P005"]


def test_steps_the_chain_does_not_name_are_ignored() -> None:
    extra = (*FULL[:2], step("法制科会签", at(3, 17), RETURNED, note="x"), *FULL[2:])
    # A return sends the record back, named step or not: the sign-off after it does not
    # count, since 初审 and 审核 of the revised text are missing.
    assert CHAIN.progress(rec(extra)).pending == "经办人初审"
    other = (*FULL[:2], step("法制科会签", at(3, 17)), *FULL[2:])
    assert CHAIN.progress(rec(other)).complete


# -- the 0.1.0 fields ---------------------------------------------------------------------------


def legacy(status: ReviewStatus = ReviewStatus.PASSED) -> Record:
    return rec(
        (),
        review_status=status,
        reviewed_by="办公室" if status is not ReviewStatus.PENDING else None,
        reviewed_on=date(2025, 6, 4) if status is not ReviewStatus.PENDING else None,
    )


def test_a_legacy_record_passes_the_default_chain() -> None:
    """No history: the 0.1.0 review is one step, 保密审查, the default chain: it publishes as
    it did in 0.1.0."""
    assert ReviewChain.default().steps == (LEGACY_STEP,)
    progress = ReviewChain.default().progress(legacy())
    assert progress.legacy
    assert progress.complete
    assert publish(legacy(), publishers=[RecordingPublisher(NOW)], now=NOW).published
    with pytest.raises(PublishBlocked) as err:
        publish(legacy(ReviewStatus.PENDING), publishers=[RecordingPublisher(NOW)], now=NOW)
    # 0.1.0's finding and code, unchanged.
    assert [f.rule_id for f in err.value.findings] == ["GD-P002"]
    assert err.value.code == "publishing.blocked"


def test_a_configured_chain_needs_the_history() -> None:
    """A 0.1.0 record shows one 保密审查: a chain of four needs the others, named in order."""
    with pytest.raises(PublishBlocked) as err:
        publish(legacy(), publishers=[RecordingPublisher(NOW)], now=NOW, context=CTX)
    assert err.value.code == "publishing.review_incomplete"
    assert "缺少“经办人初审”环节" in err.value.message_zh


def test_a_rejection_in_the_legacy_fields_still_blocks_a_complete_history() -> None:
    record = rec(review_status=ReviewStatus.REJECTED)
    progress = CHAIN.progress(record)
    assert progress.status is ReviewStatus.REJECTED
    assert not progress.complete
    blocking, _ = guard(record, context=CTX, now=NOW)
    assert "GD-P002" in {f.rule_id for f in blocking}


def test_the_legacy_fields_are_kept_as_given() -> None:
    """They are stored fields (public names): a record with a history keeps what was given,
    and the derived status is the progress's."""
    record = rec(review_status=ReviewStatus.PENDING, reviewed_by="办公室")
    assert (record.review_status, record.reviewed_by) == (ReviewStatus.PENDING, "办公室")
    assert CHAIN.progress(record).status is ReviewStatus.PASSED


# -- values and settings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"decision": ESCALATED, "note": "不能确定"}, "to"),
        ({"decision": PASSED, "to": "保密办"}, "to"),
        ({"decision": RETURNED}, "note"),
        ({"decision": ESCALATED, "to": "保密办", "note": "  "}, "note"),
    ],
)
def test_a_step_says_what_someone_must_act_on(kw: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        ReviewStep(step="保密审查", by="王五", at=NOW, **kw)  # type: ignore[arg-type]
    assert (err.value.field, err.value.code) == (field, "validation.review_step")
    assert err.value.message_zh
    assert err.value.message_en


def test_the_history_is_in_time_order() -> None:
    with pytest.raises(ValidationError) as err:
        rec((FULL[1], FULL[0]))
    assert (err.value.field, err.value.code) == ("reviews[1].at", "validation.date_order")


def test_a_naive_step_time_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        ReviewStep(step="初审", decision=PASSED, by="张三", at=datetime(2025, 6, 3, 9))
    assert (err.value.field, err.value.code) == ("at", "validation.naive_datetime")


@pytest.mark.parametrize(
    ("option", "steps"),
    [
        ("初审,审核,审签", ("初审", "审核", "审签")),
        (" 经办人初审，科室负责人审核、分管领导审签 , 保密审查", CHAIN.steps),
        ("保密审查", ("保密审查",)),
    ],
)
def test_the_chain_from_settings(option: str, steps: tuple[str, ...]) -> None:
    chain = ReviewChain.from_settings(Settings(options={"review.steps": option}))
    assert chain.steps == steps


def test_without_the_option_the_default_chain() -> None:
    assert ReviewChain.from_settings(Settings()) == ReviewChain.default()


@pytest.mark.parametrize("option", ["", " ", "初审,,审签", "初审,审核,初审", "，"])
def test_a_bad_steps_option_is_refused(option: str) -> None:
    with pytest.raises(ValidationError) as err:
        ReviewChain.from_settings(Settings(options={"review.steps": option}))
    assert err.value.code == "settings.invalid_review_steps"
    assert err.value.field == "options['review.steps']"


@pytest.mark.parametrize("steps", [(), ("初审", "初审"), ("",), (" 初审",)])
def test_a_bad_chain_is_refused(steps: tuple[str, ...]) -> None:
    with pytest.raises(ValidationError) as err:
        ReviewChain(steps)
    assert (err.value.field, err.value.code) == ("steps", "review.invalid_chain")


def test_the_history_round_trips() -> None:
    record = rec((*FULL[:3], step("保密审查", at(4, 16), ESCALATED)))
    assert serde.loads(serde.dumps(record), Record) == record
    store = MemoryStore()
    store.put_agency(agency(record.agency))
    store.put_record(record, expected_version=0)
    assert store.get_record(record.id) == record


def test_a_step_returned_meanwhile_is_a_conflict() -> None:
    """Clerk A opened the complete record; 分管领导 then returned it in the store. A's publish
    is refused before any publisher runs."""
    store = MemoryStore()
    store.put_agency(agency(rec().agency))
    version = store.put_record(rec(), expected_version=0)
    back = (*FULL, step("分管领导审签", at(5, 9), RETURNED, note="撤回重审"))
    store.put_record(rec(back), expected_version=version)
    pub = RecordingPublisher(NOW)
    with pytest.raises(ConflictError):
        publish(rec(), publishers=[pub], now=NOW, context=CTX, store=store, expected_version=2)
    assert pub.published == ()


# -- properties ---------------------------------------------------------------------------------

NAMES = ("初审", "审核", "审签", "保密审查", "会签")


def _is_subsequence(needle: tuple[str, ...], hay: list[str]) -> bool:
    it = iter(hay)
    return all(any(x == y for y in it) for x in needle)


@st.composite
def histories(draw: st.DrawFn) -> tuple[ReviewChain, tuple[ReviewStep, ...]]:
    chain = ReviewChain(tuple(draw(st.lists(st.sampled_from(NAMES[:4]), min_size=1, unique=True))))
    names = draw(st.lists(st.sampled_from(NAMES), max_size=10))
    decisions = draw(
        st.lists(
            st.sampled_from([PASSED, PASSED, PASSED, ESCALATED, RETURNED]),
            min_size=len(names),
            max_size=len(names),
        )
    )
    steps = tuple(
        step(n, datetime(2025, 6, 3, 8, tzinfo=SH).replace(minute=i), d)
        for i, (n, d) in enumerate(zip(names, decisions, strict=True))
    )
    return chain, steps


@settings(max_examples=200, deadline=None)
@given(histories())
def test_complete_iff_the_chain_is_passed_in_order_since_the_last_return(
    case: tuple[ReviewChain, tuple[ReviewStep, ...]],
) -> None:
    """An independent statement of the reading rule: after the last return, the names of the
    passed steps contain the chain as a subsequence; and the guard agrees."""
    chain, steps = case
    record = rec(steps)
    last_return = max((i for i, s in enumerate(steps) if s.decision is RETURNED), default=-1)
    passed = [s.step for s in steps[last_return + 1 :] if s.decision is PASSED]
    progress = chain.progress(record)
    assert progress.complete == _is_subsequence(chain.steps, passed)
    assert progress.passed == chain.steps[: len(progress.passed)]
    blocking, _ = guard(record, context=RuleContext(review_chain=chain), now=NOW)
    assert bool(blocking) == (not progress.complete)
    if steps and blocking:  # without a history, 0.1.0's GD-P002 speaks instead
        assert {f.rule_id for f in blocking} == {"GD-P006"}


@settings(max_examples=100, deadline=None)
@given(histories())
def test_a_return_at_the_end_always_blocks(
    case: tuple[ReviewChain, tuple[ReviewStep, ...]],
) -> None:
    chain, steps = case
    back = (*steps, step("审签", datetime(2025, 6, 3, 23, tzinfo=SH), RETURNED))
    progress = chain.progress(rec(back))
    assert progress.status is ReviewStatus.REJECTED
    assert progress.pending == chain.steps[0]
    assert progress.returned is back[-1]


# -- the proactive clock ------------------------------------------------------------------------

# Formed Tue 2025-06-03: the 20 working days of 条例第二十六条 run 6-04 … 7-01 (端午 was 5-31 to
# 6-02, before the start), so 2025-07-01 is the due date and 7-02 the first day overdue.
DUE = date(2025, 7, 1)


def test_a_record_stuck_in_review_is_overdue_with_its_step() -> None:
    stuck = rec(FULL[:2])
    status = proactive_status(stuck, date(2025, 7, 2), params=PARAMS, calendar=CAL, chain=CHAIN)
    assert (status.state, status.due, status.working_days_late) == (ClockState.OVERDUE, DUE, 1)
    assert status.reason == "审查未完成：待“分管领导审签”"
    # Before the due date it is pending, and says what it waits for all the same.
    early = proactive_status(stuck, date(2025, 6, 10), params=PARAMS, calendar=CAL, chain=CHAIN)
    assert early.state is ClockState.PENDING
    assert early.reason is not None
    assert "分管领导审签" in early.reason


def test_a_reviewed_record_has_no_review_reason() -> None:
    status = proactive_status(rec(), date(2025, 7, 2), params=PARAMS, calendar=CAL, chain=CHAIN)
    assert (status.state, status.reason) == (ClockState.OVERDUE, None)


def test_the_backlog_lists_the_records_the_reviewers_hold_up() -> None:
    published = attrs.evolve(
        rec(FULL[:1], id="R-published"),
        publications=(Publication("portal", PublicationChannel.PORTAL, at(20)),),
    )
    records = [
        rec(FULL[:2], id="R-late"),  # overdue, waits for 审签
        rec((*FULL[:3], step("保密审查", at(4, 16), ESCALATED)), id="R-referred"),
        rec(id="R-done"),  # reviewed, just late: not the reviewers' backlog
        published,  # published: the clock is met
        rec(FULL[:1], id="R-young", formed_on=date(2025, 6, 30)),  # due later
        rec(FULL[:1], id="R-not-proactive", decisions=()),
    ]
    items = review_backlog(records, date(2025, 7, 2), params=PARAMS, calendar=CAL, chain=CHAIN)
    assert [(i.record_id, i.pending, i.escalated_to) for i in items] == [
        ("R-late", "分管领导审签", None),
        ("R-referred", "保密审查", "保密办"),
    ]
    assert all(i.status.state is ClockState.OVERDUE for i in items)
    # Two working days before the due date the same records are due soon (within 3).
    soon = review_backlog(records, date(2025, 6, 27), params=PARAMS, calendar=CAL, chain=CHAIN)
    assert {i.record_id for i in soon} == {"R-late", "R-referred"}
    assert {i.status.state for i in soon} == {ClockState.DUE_SOON}
