"""Metrics by agency and period: golden cases counted by hand, the minimum sample, the checks of
the arguments, agreement with the frames and the rules they must not contradict, and the
definitions on the documentation page generated from the `Metric` objects."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

pytest.importorskip("pandas")

import pandas as pd
from hypothesis import HealthCheck, given, settings, strategies as st

from govdisclose import rules, synthetic
from govdisclose.analysis import (
    METRICS,
    applications_frame,
    metric,
    metric_definitions,
    metric_observations,
    metrics,
    outcome_table,
)
from govdisclose.calendar import WorkCalendar
from govdisclose.errors import ValidationError
from govdisclose.inquiries import (
    Answered,
    Complained,
    Forwarded,
    InquirerContact,
    InquiryCase,
    InquiryChannel,
    InquiryClosed,
    InquiryReceived,
    apply_all as inquiry_apply_all,
    code_digest,
)
from govdisclose.lifecycle import apply_all
from govdisclose.model import (
    Applicant,
    Application,
    AttributeDecision,
    Publication,
    Received,
    Record,
    Replied,
    ReviewCase,
    Withdrawn,
)
from govdisclose.params import ParameterSet
from govdisclose.vocab import (
    ApplicantType,
    Channel,
    DisclosureAttribute,
    DocumentKind,
    InquiryKind,
    NonDisclosureReason,
    Outcome,
    OutcomeGroup,
    PublicationChannel,
    ReviewCaseKind,
    ReviewResult,
)

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "analysts" / "notebooks.md"
SHANGHAI = ZoneInfo("Asia/Shanghai")
PARAMS = ParameterSet.default()
CALENDAR = WorkCalendar.default()
# Monday 3 March 2025: after every due date of the golden cases below but one.
AS_OF = date(2025, 3, 3)

# -- the golden cases, counted by hand ---------------------------------------------------------
#
# Received in person on Wednesday 15 January 2025, the 20 working days run from the 16th: 16-17
# (2), 20-24 (7), the makeup Sunday 26 January (8), 27 (9), the Spring Festival 28 January to 4
# February skipped, 5-7 February (12), the makeup Saturday 8 February (13), 10-14 (18), 17 (19),
# 18 (20). Due: Tuesday 18 February 2025. A record formed that day has the same due date
# (条例第二十六条, 20 working days from the next day).
JAN15 = date(2025, 1, 15)
DUE = date(2025, 2, 18)


def _app(n: int, *events: object, received: date = JAN15) -> Application:
    app = Application(
        id=f"A-{n}",
        agency="a",
        applicant=Applicant(type=ApplicantType.NATURAL_PERSON, name="张某"),
        channel=Channel.IN_PERSON,
        request="申请公开某项目批复",
    )
    return apply_all(app, [Received(on=received), *events])  # type: ignore[list-item]


APPLICATIONS = (
    _app(1, Replied(on=DUE, outcome=Outcome.DISCLOSED)),  # on the due day: on time, 20 days
    _app(2, Replied(on=date(2025, 2, 19), outcome=Outcome.NOT_HELD, reasons="经检索，未掌握")),
    _app(3),  # no reply by 3 March: overdue
    _app(4, received=date(2025, 2, 20)),  # due 20 March: still within its limit
    _app(5, Withdrawn(on=date(2025, 1, 20))),  # withdrawn: the clock ended, outcome （六）3
)


def _published(day: date) -> Publication:
    return Publication(
        publisher="portal",
        channel=PublicationChannel.PORTAL,
        published_at=datetime.combine(day, time(10), SHANGHAI),
    )


def _record(
    rid: str,
    *,
    published: date | None = None,
    attribute: DisclosureAttribute = DisclosureAttribute.PROACTIVE,
    kind: DocumentKind = DocumentKind.OTHER,
    important: bool = False,
    links: tuple[str, ...] = (),
    agency: str = "a",
) -> Record:
    reason = (
        None if attribute is DisclosureAttribute.PROACTIVE else NonDisclosureReason.SPECIFIC_PERSONS
    )
    return Record(
        id=rid,
        title=f"记录{rid}",
        agency=agency,
        formed_on=JAN15,
        kind=kind,
        decisions=(
            AttributeDecision(
                attribute=attribute,
                decided_by="起草处室",
                decided_on=JAN15,
                reason=reason,
                legal_basis=None if reason is None else "《条例》第二十七条",
            ),
        ),
        publications=() if published is None else (_published(published),),
        important_policy=important,
        interpretations=links,
    )


RECORDS = (
    _record("R-1", published=DUE),  # on the due day: in time
    _record("R-2", published=date(2025, 2, 19)),  # a day late
    _record("R-3"),  # unpublished on 3 March: overdue
    _record("R-4", attribute=DisclosureAttribute.ON_REQUEST),  # not proactive: not counted
)

POLICIES = (
    # Published on 10 February with its interpretation the same day: covered (GD-R014).
    _record("P-1", published=date(2025, 2, 10), important=True, links=("J-1",), agency="p"),
    _record(
        "J-1",
        published=date(2025, 2, 10),
        kind=DocumentKind.POLICY_INTERPRETATION,
        agency="p",
    ),
    # An important policy without an interpretation: not covered.
    _record("P-2", published=date(2025, 2, 10), important=True, agency="p"),
    # Linked to an interpretation that does not exist: not covered.
    _record("P-3", published=date(2025, 2, 12), important=True, links=("J-9",), agency="p"),
    # Not yet published: not counted.
    _record("P-4", important=True, links=("J-1",), agency="p"),
)


def _case(n: int, kind: ReviewCaseKind, result: ReviewResult | None) -> ReviewCase:
    return ReviewCase(
        id=f"C-{n}",
        agency="a",
        kind=kind,
        filed_on=date(2025, 1, 6),
        result=result,
        concluded_on=None if result is None else date(2025, 2, 10),
    )


CASES = (
    _case(1, ReviewCaseKind.RECONSIDERATION, ReviewResult.UPHELD),
    _case(2, ReviewCaseKind.RECONSIDERATION, ReviewResult.CORRECTED),
    _case(3, ReviewCaseKind.RECONSIDERATION, ReviewResult.OTHER),
    _case(4, ReviewCaseKind.RECONSIDERATION, None),  # pending: not counted
    _case(5, ReviewCaseKind.LITIGATION_DIRECT, ReviewResult.CORRECTED),  # a lawsuit: not counted
)

# Inquiries received on Monday 6 January 2025 (a general question: 5 working days, due Monday
# 13 January; forwarded one level: 10, due Monday 20 January).
JAN6 = date(2025, 1, 6)


def _inquiry(n: int, *events: object) -> InquiryCase:
    received = InquiryReceived(
        on=JAN6,
        channel=InquiryChannel.PHONE,
        category=InquiryKind.GENERAL,
        question="小学新生入学需要准备哪些材料？",
        inquirer=InquirerContact(name="王某"),
        code_digest=code_digest("7KQ2-M9ZD-4XHT-1ABC"),
    )
    return inquiry_apply_all(InquiryCase(id=f"Q-{n}", agency="a"), [received, *events])  # type: ignore[list-item]


INQUIRIES = (
    # Answered on the due day, closed, then complained about: a met part and a complaint part.
    _inquiry(
        1,
        Answered(on=date(2025, 1, 13), unit="a", answer="已答复"),
        InquiryClosed(on=date(2025, 1, 14)),
        Complained(on=date(2025, 1, 15), office="sup", grounds="答复不具体"),
    ),
    # Forwarded to b (its part runs 10 working days from the receipt), answered a day late.
    _inquiry(
        2,
        Forwarded(
            on=date(2025, 1, 8),
            from_unit="a",
            to_unit="b",
            offices=("县政府办",),
            reason="不属于本单位职责",
            approved_by="主任",
        ),
        Answered(on=date(2025, 1, 21), unit="b", answer="已答复"),
    ),
    _inquiry(3),  # never answered: overdue on 3 March
)


def _one(frame: pd.DataFrame, **where: object) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for col, value in where.items():
        mask &= frame[col] == value
    rows = frame[mask]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def _run(**kwargs: object) -> pd.DataFrame:
    return metrics(as_of=AS_OF, params=PARAMS, calendar=CALENDAR, **kwargs)  # type: ignore[arg-type]


def test_on_time_rate_counts_the_applications_whose_due_date_has_passed() -> None:
    frame = _run(
        applications=APPLICATIONS, which="on_time_reply_rate", min_sample={"on_time_reply_rate": 3}
    )
    row = _one(frame, agency="a", period="2025Q1")
    # 1 replied on time, 2 late, 3 overdue; 4 still within its limit, 5 withdrawn.
    assert (row["numerator"], row["denominator"]) == (1, 3)
    assert row["value"] == pytest.approx(1 / 3)
    assert row["period_start"] == pd.Timestamp("2025-01-01")
    assert row["period_end"] == pd.Timestamp("2025-03-31")
    assert bool(row["partial"]), "the quarter ends after 3 March"
    obs = metric_observations(
        as_of=AS_OF, params=PARAMS, calendar=CALENDAR, applications=APPLICATIONS,
        which="on_time_reply_rate",
    )  # fmt: skip
    by_id = obs.set_index("item")
    assert list(by_id.loc[["A-1", "A-2", "A-3"], "state"]) == ["met", "missed", "overdue"]
    assert (by_id.loc[["A-1", "A-2", "A-3"], "day"] == pd.Timestamp(DUE)).all()
    assert not by_id.loc["A-4", "counted"]
    assert "未届满" in by_id.loc["A-4", "note"]
    assert not by_id.loc["A-5", "counted"]
    assert "撤回" in by_id.loc["A-5", "note"]


def test_median_reply_days_and_the_outcome_mix() -> None:
    frame = _run(
        applications=APPLICATIONS,
        which=["median_reply_working_days", "outcome_mix"],
        by=("agency",),
        min_sample={"median_reply_working_days": 2, "outcome_mix": 3},
    )
    median = _one(frame, metric="median_reply_working_days")
    # Replied after 20 and 21 working days.
    assert median["value"] == 20.5
    assert median["denominator"] == 2
    assert pd.isna(median["numerator"])
    mix = frame[frame["metric"] == "outcome_mix"].set_index("category")
    assert list(mix.index) == [g.code for g in OutcomeGroup]
    # Concluded: 1 予以公开, 2 本机关不掌握 (（四）无法提供), 5 撤回 (（六）其他处理).
    assert mix["numerator"].to_dict() == {
        "disclosed": 1,
        "partially_disclosed": 0,
        "not_disclosed": 0,
        "unable_to_provide": 1,
        "not_processed": 0,
        "other": 1,
    }
    assert (mix["denominator"] == 3).all()
    assert mix["value"].sum() == pytest.approx(1.0)
    assert mix.loc["other", "category_label"] == "（六）其他处理"


def test_proactive_timeliness_and_interpretation_coverage() -> None:
    frame = _run(
        records=RECORDS + POLICIES,
        which=["proactive_timeliness", "interpretation_coverage"],
        by=("agency",),
        min_sample={"proactive_timeliness": 3, "interpretation_coverage": 3},
    )
    proactive = _one(frame, metric="proactive_timeliness", agency="a")
    assert (proactive["numerator"], proactive["denominator"]) == (1, 3)
    cover = _one(frame, metric="interpretation_coverage", agency="p")
    assert (cover["numerator"], cover["denominator"]) == (1, 3)
    obs = metric_observations(
        as_of=AS_OF, params=PARAMS, calendar=CALENDAR, records=POLICIES,
        which="interpretation_coverage",
    ).set_index("item")  # fmt: skip
    assert bool(obs.loc["P-1", "success"])
    assert "解读" in obs.loc["P-2", "note"]
    assert "J-9" in obs.loc["P-3", "note"], "the rule's message says which link is missing"
    assert obs.loc["P-4", "note"] == "政策文件尚未发布"
    assert obs.loc["J-1", "note"] == "无须配发政策解读"


def test_reconsideration_and_inquiry_response() -> None:
    frame = _run(
        review_cases=CASES,
        inquiries=INQUIRIES,
        by=("agency",),
        min_sample={"reconsideration_correction_rate": 3, "inquiry_response": 1},
    )
    review = _one(frame, metric="reconsideration_correction_rate", agency="a")
    assert (review["numerator"], review["denominator"]) == (1, 3)
    a = _one(frame, metric="inquiry_response", agency="a")
    b = _one(frame, metric="inquiry_response", agency="b")
    # a: Q-1 answered on its due day, Q-3 overdue (Q-2 was forwarded on: b's part counts).
    assert (a["numerator"], a["denominator"]) == (1, 2)
    # b: answered on 21 January, a day after its 10 working days.
    assert (b["numerator"], b["denominator"]) == (0, 1)
    obs = metric_observations(
        as_of=AS_OF, params=PARAMS, calendar=CALENDAR, inquiries=INQUIRIES
    ).set_index("item")
    assert obs.loc["Q-2#1", "day"] == pd.Timestamp("2025-01-20")
    assert "投诉" in obs.loc["Q-1#1", "note"]
    assert "转出" in obs.loc["Q-2#0", "note"]


def test_what_happens_after_as_of_is_not_known() -> None:
    # On 18 February, application 2's late reply (19 February) has not happened: no reply yet,
    # and the due date is today, so it does not count; a day later it is a late reply.
    before = _run(applications=APPLICATIONS, which="median_reply_working_days", by=())
    assert before["denominator"].iloc[0] == 2
    early = metrics(
        as_of=DUE, params=PARAMS, calendar=CALENDAR, applications=APPLICATIONS,
        which=["median_reply_working_days", "on_time_reply_rate"], by=(),
    ).set_index("metric")  # fmt: skip
    assert early.loc["median_reply_working_days", "denominator"] == 1
    assert early.loc["on_time_reply_rate", "denominator"] == 0
    later = metrics(
        as_of=date(2025, 2, 20), params=PARAMS, calendar=CALENDAR, applications=APPLICATIONS,
        which="on_time_reply_rate", by=(), min_sample={"on_time_reply_rate": 1},
    )  # fmt: skip
    assert (later["numerator"].iloc[0], later["denominator"].iloc[0]) == (1, 3)


def test_below_the_minimum_sample_the_value_is_nan_with_the_reason() -> None:
    frame = _run(applications=APPLICATIONS, which="on_time_reply_rate", period="M")
    feb = _one(frame, period="2025-02")
    assert math.isnan(feb["value"])
    assert feb["reason"] == "too_few"
    assert feb["reason_label"] == "样本不足：3件，少于最小样本10件"
    assert (feb["numerator"], feb["denominator"]) == (1, 3), "the counts are shown anyway"
    assert feb["min_sample"] == metric("on_time_reply_rate").min_sample == 10
    # Periods run without gaps from the first to the last counted item: only February here.
    assert list(frame["period"]) == ["2025-02"]
    named = _run(
        applications=APPLICATIONS,
        which="on_time_reply_rate",
        by=("agency",),
        agencies={"a": "甲局", "z": "乙局"},
    )
    z = _one(named, agency="z")
    assert (z["agency_name"], z["reason"], z["denominator"]) == ("乙局", "no_items", 0)
    assert z["reason_label"] == "本期无可计入的事项"


@pytest.mark.parametrize(
    ("period", "labels"),
    [
        ("Y", ["2025"]),
        ("H", ["2025H1"]),
        ("Q", ["2025Q1"]),
        ("M", ["2025-02"]),
    ],
)
def test_periods(period: str, labels: list[str]) -> None:
    frame = _run(applications=APPLICATIONS, which="on_time_reply_rate", period=period)
    assert list(frame["period"]) == labels


def test_the_grid_has_no_gaps_between_periods() -> None:
    frame = _run(
        applications=APPLICATIONS,
        records=RECORDS,
        review_cases=CASES,
        inquiries=INQUIRIES,
        which=["inquiry_response", "median_reply_working_days"],
        by=("period",),
        period="M",
    )
    # Counted items fall in January (inquiries) and February (replies): both months, for both.
    assert sorted(set(frame["period"])) == ["2025-01", "2025-02"]
    assert len(frame) == 4


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"which": "reply_rate"}, "analysis.unknown_metric"),
        ({"by": ("agency", "month")}, "analysis.bad_by"),
        ({"by": ("agency", "agency")}, "analysis.bad_by"),
        ({"period": "W"}, "analysis.bad_period"),
        ({"min_sample": {"outcome_mix": 0}}, "analysis.bad_min_sample"),
        ({"min_sample": {"nonsense": 3}}, "analysis.unknown_metric"),
        ({"agencies": {"b": "乙局"}}, "analysis.unknown_agency"),
        ({"params": None}, "analysis.missing_argument"),
    ],
)
def test_bad_arguments_are_named(kwargs: dict[str, object], code: str) -> None:
    args: dict[str, object] = {"applications": APPLICATIONS, "params": PARAMS, **kwargs}
    with pytest.raises(ValidationError) as info:
        metrics(as_of=AS_OF, calendar=CALENDAR, **args)  # type: ignore[arg-type]
    assert info.value.code == code


def test_every_metric_is_computed_and_typed() -> None:
    frame = _run(
        applications=APPLICATIONS,
        records=RECORDS + POLICIES,
        review_cases=CASES,
        inquiries=INQUIRIES,
        agencies={"a": "甲局", "b": "乙局", "p": "丙局"},
    )
    assert list(dict.fromkeys(frame["metric"])) == [m.code for m in METRICS]
    assert frame["value"].dtype == "float64"
    assert str(frame["numerator"].dtype) == "Int64"
    assert str(frame["period_start"].dtype).startswith("datetime64")
    assert frame.attrs["as_of"] == "2025-03-03"
    labels = dict(zip(frame["metric"], frame["metric_label"], strict=False))
    assert labels == {m.code: m.label for m in METRICS}
    obs = metric_observations(
        as_of=AS_OF, params=PARAMS, calendar=CALENDAR, applications=APPLICATIONS,
        records=RECORDS + POLICIES, review_cases=CASES, inquiries=INQUIRIES,
    )  # fmt: skip
    # Every item that did not count says why.
    assert obs.loc[~obs["counted"], "note"].notna().all()
    assert obs.loc[obs["counted"], "day"].notna().all()


# -- agreement with the frames and the rules ---------------------------------------------------


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), per_agency=st.integers(5, 30))
def test_metrics_agree_with_the_frames_and_the_rules(seed: int, per_agency: int) -> None:
    data = synthetic.generate(
        2025, applications_per_agency=per_agency, records_per_agency=per_agency // 2 + 1, seed=seed
    )
    as_of = date(2026, 6, 30)  # after every event and every due date of the data
    common = {"as_of": as_of, "params": PARAMS, "calendar": CALENDAR}
    overall = metrics(
        **common, applications=data.applications, records=data.records, by=(),  # type: ignore[arg-type]
        min_sample={m.code: 1 for m in METRICS},
    )  # fmt: skip
    frame = applications_frame(data.applications, **common)  # type: ignore[arg-type]

    # The outcome mix counts what table 三 counts.
    table = outcome_table(frame)
    by_group = (
        table["total"].groupby([Outcome.from_row(row).group.code for row, _ in table.index]).sum()
    )
    mix = overall[overall["metric"] == "outcome_mix"].set_index("category")
    assert mix["numerator"].to_dict() == by_group.to_dict()

    # The on-time rate counts the frame's clock states.
    on_time = overall[overall["metric"] == "on_time_reply_rate"].iloc[0]
    states = frame["clock_state"].value_counts()
    assert on_time["numerator"] == states.get("met", 0)
    assert on_time["denominator"] == sum(states.get(s, 0) for s in ("met", "missed", "overdue"))

    # A record counted late is one GD-R010 finds late, and no other.
    context = rules.RuleContext(as_of=as_of, params=PARAMS, calendar=CALENDAR)
    late_rule = rules.RuleSet((rules.RuleSet.default().get("GD-R010"),))
    flagged = {r.id for r in data.records if late_rule.check(r, context)}
    obs = metric_observations(**common, records=data.records, which="proactive_timeliness")  # type: ignore[arg-type]
    counted = obs[obs["counted"]]
    assert set(counted.loc[~counted["success"].astype(bool), "item"]) == flagged

    # The groups add up to the whole.
    grouped = metrics(
        **common, applications=data.applications, records=data.records,  # type: ignore[arg-type]
        min_sample={m.code: 1 for m in METRICS},
    )  # fmt: skip
    sums = grouped[grouped["category"].isna()].groupby("metric")[["denominator"]].sum()
    for code, row in sums.iterrows():
        whole = overall[(overall["metric"] == code) & overall["category"].isna()].iloc[0]
        assert row["denominator"] == whole["denominator"], code
    rates = grouped[grouped["metric"] != "median_reply_working_days"]
    rates = rates[rates["category"].isna()]
    totals = rates.groupby("metric")["numerator"].sum()
    for code, numerator in totals.items():
        whole = overall[(overall["metric"] == code) & overall["category"].isna()].iloc[0]
        assert numerator == whole["numerator"], code


# -- the definitions on the documentation page -------------------------------------------------

_SECTION = re.compile(r"<!-- metrics:begin -->\n(.*?)<!-- metrics:end -->", re.DOTALL)


def test_the_documentation_prints_the_definitions_of_the_code() -> None:
    found = _SECTION.search(PAGE.read_text("utf-8"))
    assert found is not None, f"{PAGE} has no <!-- metrics:begin --> … <!-- metrics:end -->"
    expected = metric_definitions()
    assert found.group(1).strip() == expected.strip(), (
        "docs/analysts/notebooks.md's metric definitions differ from the Metric objects; paste "
        "the output of `python -c 'from govdisclose.analysis import metric_definitions; "
        "print(metric_definitions())'` between the marks:\n" + expected
    )


def test_every_definition_is_complete() -> None:
    for m in METRICS:
        text = m.definition()
        for part in ("Counts", "Numerator", "Denominator", "Starts", "Ends", "Period",
                     "Not counted", "Minimum sample", "Basis"):  # fmt: skip
            assert f"**{part}**" in text, (m.code, part)
        assert m.min_sample >= 1
        assert f"`{m.code}`" in text
        assert m.label in text
