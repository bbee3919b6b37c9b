"""Timed release (择时公开, issue 14): a record held back until a moment, with its reason. The
guard refuses before that moment and allows it from then on; the 20-working-day clock of
条例 2019 第二十六条 keeps running and still reports the record.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings, strategies as st

from govdisclose.calendar import WorkCalendar
from govdisclose.clocks import ClockState
from govdisclose.deadlines import proactive_status
from govdisclose.errors import PublishBlocked, ValidationError
from govdisclose.model import AttributeDecision, Record, TimedRelease
from govdisclose.params import ParameterSet
from govdisclose.publishing import clear, guard, publish
from govdisclose.rules import RuleContext, check
from govdisclose.testing import RecordingPublisher
from govdisclose.vocab import DisclosureAttribute, ReviewStatus

SH = ZoneInfo("Asia/Shanghai")
PARAMS = ParameterSet.default()
CAL = WorkCalendar.default()
#: The press conference at which the figures are released: Thursday 2025-06-12, 10:00.
MOMENT = datetime(2025, 6, 12, 10, 0, tzinfo=SH)
RELEASE = TimedRelease(not_before=MOMENT, reason="与新闻发布会同步发布")


def rec(**kw: object) -> Record:
    base: dict[str, object] = {
        "id": "R-2025-040",
        "title": "2025年1-5月全县经济运行情况",
        "agency": "county-stats",
        "formed_on": date(2025, 6, 3),
        "index_number": "11371100MB2850123X/2025-00040",
        "decisions": (
            AttributeDecision(DisclosureAttribute.PROACTIVE, "综合科", date(2025, 6, 3)),
        ),
        "review_status": ReviewStatus.PASSED,
        "reviewed_by": "办公室",
        "reviewed_on": date(2025, 6, 4),
        "timed_release": RELEASE,
        "body": "1-5月，全县规模以上工业增加值同比增长。",
    }
    base.update(kw)
    return Record(**base)  # type: ignore[arg-type]


def test_before_the_moment_nothing_leaves() -> None:
    now = MOMENT - timedelta(minutes=1)
    pub = RecordingPublisher(now)
    with pytest.raises(PublishBlocked) as err:
        publish(rec(), publishers=[pub], now=now)
    assert err.value.code == "publishing.not_yet_released"
    assert err.value.field == "timed_release.not_before"
    assert "2025-06-12 10:00" in err.value.message_zh
    assert "与新闻发布会同步发布" in err.value.message_zh
    assert MOMENT.isoformat() in err.value.message_en
    assert [f.rule_id for f in err.value.findings] == ["GD-P007"]
    assert pub.published == ()


@pytest.mark.parametrize("late", [timedelta(0), timedelta(seconds=1), timedelta(days=30)])
def test_from_the_moment_it_is_published(late: timedelta) -> None:
    now = MOMENT + late
    result = publish(rec(), publishers=[RecordingPublisher(now)], now=now)
    assert len(result.published) == 1


def test_the_moment_is_an_instant_whatever_the_zone() -> None:
    """02:00 UTC is 10:00 in Beijing: the same instant, so it is allowed."""
    utc = datetime(2025, 6, 12, 2, 0, tzinfo=ZoneInfo("UTC"))
    assert guard(rec(), now=utc)[0] == []
    assert guard(rec(), now=utc - timedelta(seconds=1))[0] != []


def test_without_now_the_guard_needs_a_later_day() -> None:
    """`clear` without ``now`` cannot tell the hour: it refuses on the day itself and before,
    and allows a later day given as ``as_of``."""
    with pytest.raises(PublishBlocked) as err:
        clear(rec())
    assert err.value.code == "publishing.not_yet_released"
    for day in (date(2025, 6, 11), date(2025, 6, 12)):
        with pytest.raises(PublishBlocked):
            clear(rec(), context=RuleContext(as_of=day))
    assert clear(rec(), context=RuleContext(as_of=date(2025, 6, 13))).id == "R-2025-040"
    assert clear(rec(), now=MOMENT).id == "R-2025-040"


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        guard(rec(), now=datetime(2025, 6, 12, 10))
    assert (err.value.field, err.value.code) == ("now", "validation.naive_datetime")


def test_other_reasons_are_listed_too() -> None:
    """One pass: an unreviewed record held back reports both, the first reason's code."""
    early = MOMENT - timedelta(days=1)
    with pytest.raises(PublishBlocked) as err:
        publish(rec(review_status=ReviewStatus.PENDING), publishers=[], now=early)
    assert [f.rule_id for f in err.value.findings] == ["GD-P002", "GD-P007"]
    assert err.value.code == "publishing.blocked"


@pytest.mark.parametrize(
    ("kw", "field", "code"),
    [
        (
            {"not_before": datetime(2025, 6, 12, 10), "reason": "r"},
            "not_before",
            "validation.naive_datetime",
        ),
        ({"not_before": MOMENT, "reason": " "}, "reason", "validation.blank"),
        (
            {"not_before": date(2025, 6, 12), "reason": "r"},
            "not_before",
            "validation.naive_datetime",
        ),
    ],
)
def test_a_timed_release_needs_a_moment_and_a_reason(
    kw: dict[str, object], field: str, code: str
) -> None:
    with pytest.raises(ValidationError) as err:
        TimedRelease(**kw)  # type: ignore[arg-type]
    assert (err.value.field, err.value.code) == (field, code)


# -- the proactive clock ------------------------------------------------------------------------

# Formed Tue 2025-06-03: 20 working days, 6-04 … 7-01 (条例第二十六条).
DUE = date(2025, 7, 1)


def test_the_clock_still_runs_and_says_why_it_waits() -> None:
    status = proactive_status(rec(), date(2025, 6, 10), params=PARAMS, calendar=CAL)
    assert (status.state, status.due) == (ClockState.PENDING, DUE)
    assert status.reason == "择时公开：不早于2025-06-12 10:00（与新闻发布会同步发布）"
    # Held back past the limit, it is overdue all the same.
    far = attrs.evolve(
        rec(), timed_release=attrs.evolve(RELEASE, not_before=datetime(2025, 7, 10, tzinfo=SH))
    )
    late = proactive_status(far, date(2025, 7, 2), params=PARAMS, calendar=CAL)
    assert (late.state, late.working_days_late) == (ClockState.OVERDUE, 1)
    assert late.reason is not None
    assert "择时公开" in late.reason


def test_a_release_set_after_the_limit_is_warned_of() -> None:
    """GD-R015: holding a record back does not extend the 20 working days."""
    ctx = RuleContext(as_of=date(2025, 6, 5), params=PARAMS, calendar=CAL)
    assert "GD-R015" not in {f.rule_id for f in check(rec(), context=ctx)}
    on_due = attrs.evolve(RELEASE, not_before=datetime(2025, 7, 1, 18, tzinfo=SH))
    assert "GD-R015" not in {f.rule_id for f in check(rec(timed_release=on_due), context=ctx)}
    after = attrs.evolve(RELEASE, not_before=datetime(2025, 7, 2, 9, tzinfo=SH))
    (finding,) = [f for f in check(rec(timed_release=after), context=ctx) if f.rule_id == "GD-R015"]
    assert finding.field == "timed_release.not_before"
    assert finding.severity.code == "warning"
    assert "2025-07-01" in finding.message_zh
    assert "第二十六条" in finding.article


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-10 * 86400, max_value=10 * 86400))
def test_blocked_exactly_before_the_moment(offset: int) -> None:
    now = MOMENT + timedelta(seconds=offset)
    blocking, _ = guard(rec(), now=now)
    assert bool(blocking) == (now < MOMENT)
