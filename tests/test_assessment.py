"""The assessment (issue 16) scored by hand: three departments, every built-in indicator.

The dataset (`county_store`) is small enough to score on paper. The period is 2025H1, the
assessment day its last day, 30 June 2025. Dates are chosen in weeks without holidays where
the arithmetic matters; where a holiday of the 2025 schedule falls in a count (劳动节 1-5 May,
端午节 31 May-2 June, 春节 28 January-4 February with 26 January and 8 February worked) the
comment says so.

The reply clock and the proactive clock (20 working days from the day after) of a day formed
or received on Monday 3 March 2025: 4-7 March (4), 10-14 (9), 17-21 (14), 24-28 (19),
31 March (20): due **31 March**; a reply or publication on 1 April is one working day late,
settled on 1 April (the day after the due date), inside 2025H1.

An inquiry (一般咨询, 5 working days) received on 3 March: 4, 5, 6, 7, 10 March: due
**10 March**.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from govdisclose import inquiries as q
from govdisclose.assessment import (
    AssessmentResult,
    Period,
    SchemeInvalid,
    assess,
    check_scheme,
    example_scheme,
    indicators,
    keep_result,
    load_scheme,
    parse_scheme,
    stored_result,
)
from govdisclose.model import Agency, Record, ReviewCase
from govdisclose.opinion import (
    OpinionCase,
    OpinionCaseEvent,
    OpinionDetected,
    OpinionGrade,
    OpinionResponded,
    OpinionSource,
    ResponseType,
    apply_all,
)
from govdisclose.plans import Evidence, PlanTask, WorkPlan, file_report, parse_due, save_plan
from govdisclose.report import SuppliedFigures, build_annual_report
from govdisclose.report.render_html import render_html
from govdisclose.store import Store
from govdisclose.store._memory import MemoryStore
from govdisclose.testing.builders import SHANGHAI, application, record
from govdisclose.vocab import (
    AgencyKind,
    AgencyLevel,
    DocumentKind,
    InquiryKind,
    ReviewCaseKind,
    ReviewResult,
)

D = date
PERIOD = "2025H1"
#: the due date of everything received or formed on 3 March 2025 (module docstring)
DUE_31_MARCH = D(2025, 3, 31)

#: Every built-in indicator, weights adding up to 100; the rules chosen so each cell is a
#: number one can work out: deductions, linear bounds, steps.
SCHEME = """
[scheme]
id = "county-half"
title = "某县政务公开工作半年考核"
office = "gov"
period = "half"
total = 100
agencies = "children"
unscored = "rescale"

[indicators.reply_on_time]
weight = 20
rule = "deduction"
per_fault = 4

[indicators.proactive_on_time]
weight = 15
rule = "linear"
zero_at = 0.6
full_at = 1.0

[indicators.interpretation_coverage]
weight = 10
rule = "deduction"
per_fault = 4

[indicators.review_corrections]
weight = 10
rule = "thresholds"
steps = [{at_most = 0.0, points = 10}, {at_most = 0.25, points = 6}, {at_most = 0.5, points = 3}]

[indicators.report_on_time]
weight = 5
rule = "deduction"
per_fault = 5

[indicators.report_consistent]
weight = 5
rule = "deduction"
per_fault = 2

[indicators.bunched_uploads]
weight = 10
rule = "thresholds"
min_sample = 3
steps = [{at_most = 0.2, points = 10}, {at_most = 0.4, points = 5}]

[indicators.plan_tasks_on_time]
weight = 10
rule = "linear"
zero_at = 0.0
full_at = 1.0

[indicators.inquiry_on_time]
weight = 10
rule = "deduction"
per_fault = 3

[indicators.opinion_response]
weight = 5
rule = "deduction"
per_fault = 5
"""

EVIDENCE = (Evidence.record("E-R1"),)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def _rec(
    id: str, agency: str, formed: date, published: Iterable[date] = (), **fields: Any
) -> Record:
    return record(
        id, agency=agency, formed_on=formed, published=[_at(d) for d in published], **fields
    )


def agencies() -> list[Agency]:
    gov = Agency("gov", "某县人民政府办公室", AgencyLevel.COUNTY, AgencyKind.GOVERNMENT)
    return [
        gov,
        Agency("edu", "某县教育局", AgencyLevel.COUNTY, parent="gov"),
        Agency("health", "某县卫生健康局", AgencyLevel.COUNTY, parent="gov"),
        Agency("tax", "某县市场监督管理局", AgencyLevel.COUNTY, parent="gov"),
    ]


def county_store(*, health_a2_replied: date = DUE_31_MARCH) -> MemoryStore:
    """The three departments' half-year in a memory store (see `fill`)."""
    store = MemoryStore()
    fill(store, health_a2_replied=health_a2_replied)
    return store


def fill(store: Store, *, health_a2_replied: date = DUE_31_MARCH) -> None:
    """Store the three departments' half-year (see the module docstring and the comments)."""
    for a in agencies():
        store.put_agency(a)
    by_code = {a.code: a for a in agencies()}

    # -- applications (reply_on_time) --
    apps = [
        application("E-A1", agency="edu", received=D(2025, 3, 3), replied=D(2025, 3, 31)),
        application("E-A2", agency="edu", received=D(2025, 3, 3), replied=D(2025, 3, 20)),
        application("H-A1", agency="health", received=D(2025, 3, 3), replied=D(2025, 4, 1)),
        application("H-A2", agency="health", received=D(2025, 3, 3), replied=health_a2_replied),
        application("H-A3", agency="health", received=D(2025, 3, 3), replied=D(2025, 3, 14)),
        application("T-A1", agency="tax", received=D(2025, 3, 3)),  # never replied
        application("T-A2", agency="tax", received=D(2025, 6, 16)),  # clock still running
        application("T-A3", agency="tax", received=D(2025, 3, 3), replied=D(2025, 3, 28)),
    ]
    for app in apps:
        store.create_application(app)

    # -- records: policies, interpretations, the 2024 annual reports, ordinary records --
    normative = DocumentKind.NORMATIVE_DOCUMENT
    interp = DocumentKind.POLICY_INTERPRETATION
    records = [
        _rec(
            "E-R1",
            "edu",
            D(2025, 3, 3),
            [D(2025, 3, 10)],
            kind=normative,
            interpretations=("E-I1",),
        ),
        _rec("E-I1", "edu", D(2025, 3, 3), [D(2025, 3, 10)], kind=interp),
        _rec("H-R1", "health", D(2025, 3, 3), [D(2025, 3, 10)], kind=normative),
        _rec("H-R2", "health", D(2025, 3, 3), [D(2025, 4, 1)]),
        _rec("H-R3", "health", D(2025, 6, 16), [D(2025, 6, 25)]),
        _rec("H-R4", "health", D(2025, 6, 16), [D(2025, 6, 26)]),
        _rec(
            "T-R1",
            "tax",
            D(2025, 3, 3),
            [D(2025, 3, 10)],
            kind=normative,
            interpretations=("T-I1",),
        ),
        _rec("T-I1", "tax", D(2025, 3, 3), [D(2025, 3, 12)], kind=interp),
        _rec("T-R5", "tax", D(2025, 5, 5)),  # never published
    ]
    # edu's 2024 report is the page rendered from what the store holds for 2024 (nothing:
    # every record and application above is of 2025), so it is consistent; health's body has
    # no report tables.
    # Table 二's decisions and fees are not kept in records: the agency supplies them.
    zero = SuppliedFigures(licensing=0, penalty=0, coercion=0, admin_fees_10k_yuan=0)
    edu_report = render_html(build_annual_report(store, by_code["edu"], 2024, supplied=zero))
    records += [
        _rec(
            "E-RPT",
            "edu",
            D(2025, 1, 13),
            [D(2025, 1, 20)],
            title="某县教育局2024年政府信息公开工作年度报告",
            body=edu_report,
        ),
        _rec(
            "H-RPT",
            "health",
            D(2025, 1, 13),
            [D(2025, 2, 10)],
            title="某县卫生健康局2024年政府信息公开工作年度报告",
            body="<p>2024年年度报告全文见附件。</p>",
        ),
    ]
    for r in records:
        store.put_record(r)

    # -- review and litigation cases (review_corrections) --
    kind = ReviewCaseKind.RECONSIDERATION
    cases = [
        ReviewCase("E-C1", "edu", kind, D(2025, 2, 3), None, ReviewResult.UPHELD, D(2025, 4, 15)),
        ReviewCase(
            "H-C1", "health", kind, D(2025, 1, 6), "H-A0", ReviewResult.CORRECTED, D(2025, 3, 20)
        ),
        ReviewCase(
            "H-C2", "health", kind, D(2025, 1, 6), None, ReviewResult.UPHELD, D(2025, 4, 10)
        ),
        ReviewCase(
            "H-C3", "health", kind, D(2025, 1, 6), None, ReviewResult.UPHELD, D(2025, 5, 10)
        ),
        ReviewCase("H-C4", "health", kind, D(2025, 1, 6), None, ReviewResult.OTHER, D(2025, 6, 10)),
        ReviewCase("H-C5", "health", kind, D(2025, 5, 6)),  # pending: not counted
    ]
    for c in cases:
        store.put_review_case(c)

    # -- the county's 2025 work plan (plan_tasks_on_time) --
    plan = WorkPlan(
        "gov-2025",
        "gov",
        2025,
        "2025年政务公开工作要点",
        (
            PlanTask(
                "1",
                "梳理公开目录",
                parse_due("5月底前", 2025),
                units=("县教育局", "县卫生健康局", "县市场监督管理局"),
            ),
            PlanTask("2", "公开招生政策", parse_due("3月底前", 2025), units=("县教育局",)),
            PlanTask("3", "公开医疗机构名录", parse_due("4月底前", 2025), units=("县卫生健康局",)),
            PlanTask("4", "年底总结", parse_due("年底前", 2025), units=("县教育局",)),
        ),
    )
    save_plan(store, plan)
    file_report(store, plan, "1", unit="县教育局", on=D(2025, 5, 20), evidence=EVIDENCE)
    file_report(store, plan, "2", unit="县教育局", on=D(2025, 3, 25), evidence=EVIDENCE)
    file_report(store, plan, "1", unit="县卫生健康局", on=D(2025, 6, 5), evidence=EVIDENCE)
    file_report(store, plan, "3", unit="县卫生健康局", on=D(2025, 4, 20), evidence=EVIDENCE)

    # -- inquiries (inquiry_on_time) --
    for case_id, unit, answered in (
        ("Q-E1", "edu", D(2025, 3, 7)),
        ("Q-H1", "health", D(2025, 3, 11)),
    ):
        case = q.apply(
            q.InquiryCase(id=case_id, agency=unit),
            q.InquiryReceived(
                on=D(2025, 3, 3),
                channel=q.InquiryChannel.PHONE,
                category=InquiryKind.GENERAL,
                question="办事需要哪些材料？",
                inquirer=q.InquirerContact(name="张三", phone="13812345678"),
                code_digest=q.code_digest(q.new_query_code()),
            ),
        )
        case = q.apply(case, q.Answered(on=answered, unit=unit, answer="见官网办事指南"))
        store.put_item(case, expected_version=0)

    # -- public opinion (opinion_response): an ordinary case, one 48-hour limit --
    def opinion(case_id: str, agency: str, detected: datetime, *responses: datetime) -> None:
        events: list[OpinionCaseEvent] = [
            OpinionDetected(
                at=detected,
                grade=OpinionGrade.GENERAL,
                source=OpinionSource.MONITORING,
                summary="网传办事难",
                emergency=False,
            ),
            *(
                OpinionResponded(at=at, type=ResponseType.RELEASE, summary="发布情况说明")
                for at in responses
            ),
        ]
        store.put_item(
            apply_all(OpinionCase(id=case_id, agency=agency), events), expected_version=0
        )

    opinion("YQ-H1", "health", _at(D(2025, 4, 10), 9), _at(D(2025, 4, 11), 10))
    opinion("YQ-T1", "tax", _at(D(2025, 5, 20), 9), _at(D(2025, 5, 23), 9))
    opinion("YQ-T2", "tax", _at(D(2025, 6, 29), 20))


# -- 1. the hand-computed table ------------------------------------------------------------------

N = None  # not scored
#: (points, value, sample, lost-point ids) per agency and indicator, worked out by hand.
EXPECTED: dict[str, dict[str, tuple[Decimal | None, Decimal | None, int, tuple[str, ...]]]] = {
    "edu": {
        # E-A1 replied 31 March (the due date), E-A2 on 20 March: 2/2, no fault: 20
        "reply_on_time": (Decimal(20), Decimal(1), 2, ()),
        # E-R1, E-I1 (formed 3 March, due 31 March) published 10 March; E-RPT formed 13
        # January, published 20 January (5 working days): 3/3 = 1.0 >= full_at: 15
        "proactive_on_time": (Decimal(15), Decimal(1), 3, ()),
        # E-R1 (规范性文件) and its interpretation E-I1 both published 10 March: 1/1: 10
        "interpretation_coverage": (Decimal(10), Decimal(1), 1, ()),
        # E-C1 upheld on 15 April: 0 corrected / 1 = 0 <= 0.0: the first step, 10
        "review_corrections": (Decimal(10), Decimal(0), 1, ()),
        # a department's 2024 report is due 31 January 2025 (art. 49); published 20 January
        "report_on_time": (Decimal(5), Decimal(0), 1, ()),
        # the page rendered from the store's own 2024 report: no error, no mismatch: 5
        "report_consistent": (Decimal(5), Decimal(0), 1, ()),
        # 2025H1's last 5 working days: 24-30 June (30 June a Monday); E-R1, E-I1 (10 March)
        # and E-RPT (20 January) outside: 0/3 = 0 <= 0.2: 10
        "bunched_uploads": (Decimal(10), Decimal(0), 3, ()),
        # task 1 due 31 May done 20 May, task 2 due 31 March done 25 March (task 4 due 31
        # December, not counted): 2/2 = 1.0: 10
        "plan_tasks_on_time": (Decimal(10), Decimal(1), 2, ()),
        # Q-E1 due 10 March, answered 7 March: 1/1, no fault: 10
        "inquiry_on_time": (Decimal(10), Decimal(1), 1, ()),
        # no opinion case: not scored
        "opinion_response": (N, N, 0, ()),
    },
    "health": {
        # H-A1 replied 1 April (due 31 March: late), H-A2 31 March, H-A3 14 March: 2/3;
        # deduction 20 - 4 x 1 = 16
        "reply_on_time": (Decimal(16), Decimal(2) / 3, 3, ("H-A1",)),
        # H-R2 formed 3 March published 1 April: late; H-R1 (10 March), H-R3 and H-R4
        # (formed 16 June, published 25 and 26 June, within 20 working days), H-RPT
        # (formed 13 January, published 10 February: 14-17 Jan 4, 20-24 Jan 9, 26 and 27 Jan
        # 11, 5-7 Feb 14, 8 Feb 15, 10 Feb 16 working days, within 20) on time: 4/5 = 0.8;
        # linear (0.8 - 0.6) / (1.0 - 0.6) x 15 = 7.5
        "proactive_on_time": (Decimal("7.50"), Decimal("0.8"), 5, ("H-R2",)),
        # H-R1 (规范性文件) links no interpretation: 0/1; 10 - 4 = 6
        "interpretation_coverage": (Decimal(6), Decimal(0), 1, ("H-R1",)),
        # H-C1 corrected, H-C2 and H-C3 upheld, H-C4 other (H-C5 pending, left out): 1/4
        # = 0.25: not <= 0.0, <= 0.25: 6
        "review_corrections": (Decimal(6), Decimal("0.25"), 4, ("H-C1",)),
        # published 10 February, after 31 January: one fault, 5 - 5 = 0
        "report_on_time": (Decimal(0), Decimal(1), 1, ("H-RPT",)),
        # the body has no report tables: one fault, 5 - 2 = 3
        "report_consistent": (Decimal(3), Decimal(1), 1, ("H-RPT",)),
        # H-R1 (10 Mar), H-R2 (1 Apr), H-R3 (25 Jun), H-R4 (26 Jun), H-RPT (10 Feb): 5
        # publications, 2 from 24 June on: 2/5 = 0.4: not <= 0.2, <= 0.4: 5
        "bunched_uploads": (Decimal(5), Decimal("0.4"), 5, ("H-R3", "H-R4")),
        # task 1 due 31 May done 5 June (late), task 3 due 30 April done 20 April: 1/2 = 0.5;
        # linear 0.5 x 10 = 5
        "plan_tasks_on_time": (Decimal(5), Decimal("0.5"), 2, ("gov-2025#1/2025-05-31",)),
        # Q-H1 due 10 March, answered 11 March: one fault, 10 - 3 = 7
        "inquiry_on_time": (Decimal(7), Decimal(0), 1, ("Q-H1",)),
        # YQ-H1 detected 10 April 09:00, 48 h: due 12 April 09:00, answered 11 April: 1/1
        "opinion_response": (Decimal(5), Decimal(1), 1, ()),
    },
    "tax": {
        # T-A1 never replied (due 31 March, settled 1 April: a fault), T-A3 replied 28 March;
        # T-A2 received 16 June still running on 30 June: 1/2; 20 - 4 = 16
        "reply_on_time": (Decimal(16), Decimal("0.5"), 2, ("T-A1",)),
        # T-R1 and T-I1 (formed 3 March) published 10 and 12 March: on time; T-R5 formed 5
        # May, never published: 6-9 May 4 (1-5 May 劳动节), 12-16 9, 19-23 14, 26-30 19,
        # 3 June 20 (31 May-2 June 端午节): due 3 June, settled 4 June: 2/3;
        # linear (2/3 - 0.6) / 0.4 x 15 = (1/15) / 0.4 x 15 = 2.5
        "proactive_on_time": (Decimal("2.50"), Decimal(2) / 3, 3, ("T-R5",)),
        # T-R1 published 10 March, its interpretation T-I1 on 12 March (late: the same day
        # at the latest): 0/1; 10 - 4 = 6
        "interpretation_coverage": (Decimal(6), Decimal(0), 1, ("T-R1",)),
        # no case: not scored
        "review_corrections": (N, N, 0, ()),
        # no 2024 report published by 30 June: one fault (the report, not a record): 0
        "report_on_time": (Decimal(0), Decimal(1), 1, ("tax/2024",)),
        # no published report to read: not scored
        "report_consistent": (N, N, 0, ()),
        # T-R1 and T-I1: 2 publications, below the scheme's min_sample 3: not scored
        "bunched_uploads": (N, Decimal(0), 2, ()),
        # task 1 due 31 May, never reported: 0/1: 0
        "plan_tasks_on_time": (Decimal(0), Decimal(0), 1, ("gov-2025#1/2025-05-31",)),
        # no inquiry: not scored
        "inquiry_on_time": (N, N, 0, ()),
        # YQ-T1 detected 20 May 09:00, due 22 May 09:00, answered 23 May: late; YQ-T2
        # detected 29 June 20:00 is due 1 July 20:00, after the end of 30 June: left out.
        # 0/1: 5 - 5 = 0
        "opinion_response": (Decimal(0), Decimal(0), 1, ("YQ-T1",)),
    },
}
# Totals, unscored indicators rescaled (按比例折算):
# edu: 20+15+10+10+5+5+10+10+10 = 95 of the weights 95 (opinion 5 not scored): 95 x 100/95
#      = 100.00
# health: every indicator scored: 16+7.5+6+6+0+3+5+5+7+5 = 60.50
# tax: 16+2.5+6+0+0+0 = 24.5 of the weights 20+15+10+5+10+5 = 65: 24.5 x 100 / 65
#      = 37.6923... = 37.69
TOTALS = {"edu": Decimal("100.00"), "health": Decimal("60.50"), "tax": Decimal("37.69")}


def test_the_hand_computed_table_cell_for_cell() -> None:
    result = assess(county_store(), parse_scheme(SCHEME), PERIOD)
    assert [r.agency for r in result.rows] == ["edu", "health", "tax"]
    assert [r.rank for r in result.rows] == [1, 2, 3]
    assert {r.agency: r.total for r in result.rows} == TOTALS
    assert [c.code for c in result.columns] == [i.code for i in indicators()][:10]
    for agency, cells in EXPECTED.items():
        for code, (points, value, sample, ids) in cells.items():
            got = result.score(agency, code)
            assert (got.points, got.value, got.sample) == (points, value, sample), (agency, code)
            assert tuple(f.id for f in got.faults) == ids, (agency, code)
            # every point lost has a record behind it, and a full score none
            assert bool(got.lost) == bool(ids), (agency, code)
            if points is not None:
                assert got.lost == got.weight - points
    # under a deduction rule each record carries what it cost; the costs add up to the loss
    reply = result.score("health", "reply_on_time")
    assert [lp.points for lp in reply.lost_points] == [Decimal(4)]
    interp = result.score("tax", "interpretation_coverage")
    assert "2025-03-12" in interp.faults[0].reason_zh
    assert result.score("tax", "bunched_uploads").reason_en == "a sample of 2, below the minimum 3"
    assert result.score("tax", "opinion_response").notes == ("YQ-T2: 予以回应时限未到，未计入",)


# -- 2. one record changed: one agency moves by exactly the deduction -----------------------------


def test_one_reply_a_working_day_later_costs_exactly_the_deduction() -> None:
    scheme = parse_scheme(SCHEME)
    before = assess(county_store(), scheme, PERIOD)
    # H-A2 replied on 1 April instead of 31 March, its due date: one working day late
    after = assess(county_store(health_a2_replied=D(2025, 4, 1)), scheme, PERIOD)
    per_fault = next(i for i in scheme.indicators if i.code == "reply_on_time").per_fault
    assert per_fault == Decimal(4)
    moved = {r.agency: (r.total or 0) - (before.row(r.agency).total or 0) for r in after.rows}
    # health has every indicator scored, so its total moves by the deduction itself
    assert moved == {"edu": 0, "health": -per_fault, "tax": 0}
    assert after.score("health", "reply_on_time").points == Decimal(12)
    for agency in ("edu", "tax"):
        assert after.row(agency) == before.row(agency)
    new = set(after.row("health").lost_points) - set(before.row("health").lost_points)
    assert len(new) == 1
    ((indicator, lost),) = new
    assert (indicator, lost.fault.subject, lost.fault.id, lost.points) == (
        "reply_on_time",
        "application",
        "H-A2",
        per_fault,
    )
    assert lost.fault.day == D(2025, 4, 1)
    assert "逾期1个工作日" in lost.fault.reason_zh


# -- 3. a scheme with errors and a period without data ---------------------------------------------


def test_check_scheme_names_each_error_including_a_period_without_data() -> None:
    bad = (
        SCHEME.replace(
            "[indicators.opinion_response]\nweight = 5",
            "[indicators.opinion_response]\nweight = 15",
        )
        + '\n[indicators.website_uptime]\nweight = 5\nrule = "deduction"\nper_fault = 1\n'
    )
    store = county_store()
    # 2023H1: nothing is dated in it (the plan is of 2025, the records of 2025)
    found = check_scheme(bad, store=store, period="2023H1")
    by_code = {f.code: f for f in found}
    assert set(by_code) == {
        "assessment.unknown_indicator",
        "assessment.weights_total",
        "assessment.period_no_data",
    }
    assert by_code["assessment.unknown_indicator"].key == "indicators.website_uptime"
    # 100 - 5 + 15 + 5 = 115
    assert "115" in by_code["assessment.weights_total"].message_en
    assert "2023H1" in by_code["assessment.period_no_data"].message_zh
    # the good scheme on the same store and period: only the period is wrong
    assert [f.code for f in check_scheme(SCHEME, store=store, period="2023H1")] == [
        "assessment.period_no_data"
    ]
    assert check_scheme(SCHEME, store=store, period=PERIOD) == []
    with pytest.raises(SchemeInvalid) as caught:
        assess(store, parse_scheme(SCHEME), "2023H1")
    assert [f.code for f in caught.value.findings] == ["assessment.period_no_data"]


def test_check_scheme_names_a_period_of_the_wrong_kind_and_agencies_not_stored() -> None:
    store = county_store()
    listed = SCHEME.replace('agencies = "children"', 'agencies = ["edu", "police"]')
    found = check_scheme(listed, store=store, period="2025Q1")
    assert {(f.key, f.code) for f in found} == {
        ("scheme.agencies[1]", "assessment.unknown_agency"),
        ("period", "assessment.period_kind"),
    }


def test_a_scheme_file_is_checked_from_its_path(tmp_path: Path) -> None:
    path = tmp_path / "方案.toml"
    path.write_text(SCHEME.replace("total = 100", "total = 90"), "utf-8")
    found = check_scheme(path)
    assert [(f.key, f.code) for f in found] == [("indicators", "assessment.weights_total")]


# -- the kept result and the comparison with the previous period -----------------------------------


def _second_half(store: MemoryStore) -> None:
    """2025H2 for health: one application replied on time; nothing else new."""
    store.create_application(
        application("H-A9", agency="health", received=D(2025, 9, 1), replied=D(2025, 9, 5))
    )


def test_the_next_period_compares_with_the_kept_result() -> None:
    store = county_store()
    scheme = parse_scheme(SCHEME)
    first = assess(store, scheme, PERIOD)
    assert first.previous_period is None  # nothing in 2024H2 to compare with
    assert keep_result(store, first) == 1
    assert stored_result(store, scheme, PERIOD) == first
    assert store.get_item(AssessmentResult, "county-half/2025H1") == first
    _second_half(store)
    second = assess(store, scheme, "2025H2")
    assert second.previous_period == "2025H1"
    for row in second.rows:
        old = first.row(row.agency)
        assert (row.previous_total, row.previous_rank) == (old.total, old.rank)
        if row.total is not None:
            assert row.change == row.total - (old.total or 0)
    # health in 2025H2: H-A9 on time (reply 20 of 20); H-A1's and the others' clocks
    # settled in 2025H1. Its only other scored indicators there: none is dated in 2025H2
    # except the plan (task 1 and 3 fell due in H1; nothing due in H2 but task 4, not its)
    # so the total is 20 of 20 rescaled: 100.00, up 39.50 from 60.50.
    health = second.row("health")
    assert health.total == Decimal("100.00")
    assert health.change == Decimal("39.50")
    assert health.rank_change == 1  # from 2nd to 1st (tied with nobody above it)
    # not kept: computed again from the store (the same figures, as of 2025-06-30)
    again = assess(store, scheme, "2025H2", previous=None, compare=True)
    assert again == second
    # without the comparison
    bare = assess(store, scheme, "2025H2", compare=False)
    assert bare.previous_period is None
    assert all(r.previous_total is None for r in bare.rows)


def test_the_shipped_example_scheme_uses_every_builtin_indicator() -> None:
    scheme = load_scheme(example_scheme())
    assert {i.code for i in scheme.indicators} == {i.code for i in indicators()}
    assert sum(i.weight for i in scheme.indicators) == scheme.total == 100
    assert Period.parse(PERIOD).kind == scheme.period_kind


def test_the_definitions_table_in_the_docs_is_the_registry() -> None:
    """docs/assessment.md lists every built-in indicator with its label, unit, default
    minimum sample and basis exactly as registered."""
    text = (Path(__file__).parents[1] / "docs" / "assessment.md").read_text("utf-8")
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 6:
            rows[cells[0].strip("`")] = tuple(cells[1:])
    expected = {
        i.code: (
            i.label_zh,
            i.unit,
            "higher" if i.higher_is_better else "lower",
            str(i.min_sample),
            i.basis,
        )
        for i in indicators()
        if i.compute.__module__.startswith("govdisclose.assessment")
    }
    assert rows == expected
    # and each definition is printed in full
    for i in indicators():
        if i.compute.__module__.startswith("govdisclose.assessment"):
            assert i.definition_zh in text, i.code
            assert i.definition_en in text, i.code


MONTHLY = """
[scheme]
office = "gov"
period = "month"
total = 20
agencies = ["health", "tax"]

[indicators.plan_tasks_on_time]
weight = 10
rule = "deduction"
per_fault = 10

[indicators.opinion_response]
weight = 10
rule = "deduction"
per_fault = 10
"""


def test_a_limit_running_out_at_the_end_of_a_period_counts_in_the_next() -> None:
    """The settle-day rule for plan tasks and opinion limits: task 1, due 31 May, is still
    open on 31 May (not counted in May) and counts in June, late for health (done 5 June) and
    overdue for tax; YQ-T2 (detected 29 June 20:00, due 1 July 20:00, never answered) is
    open at the end of June and counts in July."""
    store = county_store()
    scheme = parse_scheme(MONTHLY)
    may = assess(store, scheme, "2025-05", compare=False)
    june = assess(store, scheme, "2025-06", compare=False)
    july = assess(store, scheme, "2025-07", compare=False)
    # May: task 3 (due 30 April, done 20 April) settled in April; task 1 not yet settled
    assert may.score("health", "plan_tasks_on_time").sample == 0
    assert may.score("tax", "plan_tasks_on_time").notes == (
        "gov-2025#1/2025-05-31: 截至2025-05-31尚未到期，未计入",
    )
    for agency in ("health", "tax"):
        task = june.score(agency, "plan_tasks_on_time")
        assert (task.sample, task.points) == (1, Decimal(0)), agency
        assert [(f.id, f.day) for f in task.faults] == [("gov-2025#1/2025-05-31", D(2025, 6, 1))]
    # YQ-T1 (detected 20 May, due 22 May, met late 23 May) settles in May
    assert [f.id for f in may.score("tax", "opinion_response").faults] == ["YQ-T1"]
    assert june.score("tax", "opinion_response").sample == 0
    late = july.score("tax", "opinion_response")
    assert [(f.id, f.day) for f in late.faults] == [("YQ-T2", D(2025, 7, 1))]
    # health's YQ-H1 (met 11 April) counts in April only
    april = assess(store, scheme, "2025-04", compare=False)
    assert april.score("health", "opinion_response").sample == 1
    assert may.score("health", "opinion_response").sample == 0


def test_a_published_report_that_differs_from_the_store_loses_a_point_per_row() -> None:
    """edu's published 2024 report says no application; an application received on 2
    December 2024 and replied on 10 December is in the store: table 三 row 一 (新收) and row
    三 (办理结果 total) are 1 in the store, 0 as published: two faults, 5 - 2 x 2 = 1."""
    store = county_store()
    store.create_application(
        application("E-A0", agency="edu", received=D(2024, 12, 2), replied=D(2024, 12, 10))
    )
    got = assess(store, parse_scheme(SCHEME), PERIOD).score("edu", "report_consistent")
    assert got.points == Decimal(1)
    assert [(f.id, f.reason_en) for f in got.faults] == [
        ("E-RPT", "T3.R1.total published as 0, the store gives 1"),
        ("E-RPT", "T3.R3_7.total published as 0, the store gives 1"),
    ]
