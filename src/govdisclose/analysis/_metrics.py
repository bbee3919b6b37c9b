"""Metrics by agency and period, each with a written definition and a minimum sample.

A `Metric` is data: what counts, the numerator and the denominator, what starts and ends the
interval it measures, which date puts an item in a period, what is left out, and the smallest
sample below which its value is not shown. `metric_definitions` writes those definitions as the
documentation prints them (docs/analysts/notebooks.md, compared by tests/test_metrics.py), so the
page and the code cannot say different things.

`metric_observations` gives one row per item looked at (an application, a record, a case, a part
of an inquiry): whether it counted, whether it is in the numerator, the value it contributes and,
when it did not count, why. `metrics` aggregates those rows into a tidy frame: one row per
metric, agency, period (and category, for the outcome mix), with ``value`` NaN and a ``reason``
when the sample is too small or empty.

Every rule is the library's own: the reply clock is `govdisclose.deadlines.reply_status`, the
proactive clock `govdisclose.deadlines.proactive_status`, the interpretation check the rule
GD-R014 of `govdisclose.rules`, the inquiry clocks `govdisclose.inquiries.unit_clocks`. Nothing
is counted here that those do not decide, and everything is as known on ``as_of``.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

from attrs import frozen

from govdisclose._time import day_arg
from govdisclose.analysis._frames import _pandas, agency_names
from govdisclose.clocks import ClockState
from govdisclose.errors import GovDiscloseError, ValidationError
from govdisclose.findings import Severity
from govdisclose.model import (
    Agency,
    Application,
    DeemedWithdrawn,
    Record,
    Replied,
    ReviewCase,
    Withdrawn,
)
from govdisclose.vocab import (
    DisclosureAttribute,
    OutcomeGroup,
    ReviewCaseKind,
    ReviewResult,
)

if TYPE_CHECKING:
    import pandas as pd

    from govdisclose.calendar import WorkCalendar
    from govdisclose.inquiries import InquiryCase
    from govdisclose.params import ParameterSet
    from govdisclose.rules import InterpretationPolicy

__all__ = [
    "METRICS",
    "PERIODS",
    "Metric",
    "metric",
    "metric_definitions",
    "metric_observations",
    "metrics",
]

#: The period codes `metrics` groups by: month, quarter, half-year, year.
PERIODS: dict[str, str] = {"M": "月", "Q": "季度", "H": "半年", "Y": "年"}

Kind = Literal["rate", "median", "share"]
Source = Literal["applications", "records", "review_cases", "inquiries"]


@frozen
class Metric:
    """One metric and its written definition.

    :param code: the stable code (``on_time_reply_rate``), the ``metric`` column of `metrics`.
    :param label: the name in Chinese, the ``metric_label`` column.
    :param kind: ``rate`` (numerator / denominator), ``median`` (of the items' values) or
        ``share`` (one rate per category, the categories adding up to the whole).
    :param source: the items it is computed from (the keyword argument of `metrics`).
    :param counts: which items count.
    :param numerator: what is counted above the line (for a median: the value taken).
    :param denominator: what is counted below it (for a median: the items).
    :param starts: what starts the interval measured.
    :param ends: what ends it.
    :param period_by: the date that puts an item in a period.
    :param excluded: what does not count, and why.
    :param min_sample: the smallest denominator with a value; below it ``value`` is NaN and the
        ``reason`` is ``too_few``.
    :param basis: where the rule is written.
    """

    code: str
    label: str
    kind: Kind
    source: Source
    counts: str
    numerator: str
    denominator: str
    starts: str
    ends: str
    period_by: str
    excluded: str
    min_sample: int
    basis: str

    def definition(self) -> str:
        """The definition as the documentation prints it (Markdown)."""
        unit = {
            "rate": "a share from 0 to 1",
            "median": "working days",
            "share": "a share from 0 to 1 per category; the categories add up to 1",
        }[self.kind]
        return "\n".join(
            [
                f"#### {self.label} (`{self.code}`)",
                "",
                f"- **Value**: {unit}; computed from `{self.source}`.",
                f"- **Counts**: {self.counts}",
                f"- **Numerator**: {self.numerator}",
                f"- **Denominator**: {self.denominator}",
                f"- **Starts**: {self.starts}",
                f"- **Ends**: {self.ends}",
                f"- **Period**: {self.period_by}",
                f"- **Not counted**: {self.excluded}",
                f"- **Minimum sample**: {self.min_sample}; with fewer items the value is NaN "
                "and `reason` is `too_few`, with none it is `no_items`.",
                f"- **Basis**: {self.basis}",
            ]
        )


_CLOCK_PASSED = (
    "An item counts once its due date has passed (the due date is before `as_of`), so a "
    "period ending on or after `as_of` is `partial`."
)

METRICS: tuple[Metric, ...] = (
    Metric(
        code="on_time_reply_rate",
        label="依申请公开按时答复率",
        kind="rate",
        source="applications",
        counts="applications received by the agency whose reply deadline "
        "(`govdisclose.deadlines.reply_status` on `as_of`) has passed: replied on time "
        "(`met`), replied late (`missed`), or not replied and overdue (`overdue`). "
        + _CLOCK_PASSED,
        numerator="those replied (答复, the `Replied` event) on or before the due date.",
        denominator="every application counted.",
        starts="the receipt date by channel (条例第三十一条); the 20 working days run from the "
        "next day (第三十三条第一款), restart when a corrected application arrives (第三十条), "
        "leave out consultation time (第三十三条第三款) and grow by one approved extension "
        "(第三十三条第二款).",
        ends="the reply.",
        period_by="the due date.",
        excluded="applications withdrawn or deemed withdrawn (撤回、视为放弃: the clock ended "
        "without a reply), waiting for a correction, still within their limit, or whose due "
        "date cannot be computed (a year without holiday data under the strict calendar).",
        min_sample=10,
        basis="条例 2019 第三十三条 (2008 text 第二十四条 for applications received before "
        "15 May 2019).",
    ),
    Metric(
        code="median_reply_working_days",
        label="答复用时中位数（工作日）",
        kind="median",
        source="applications",
        counts="applications replied (`Replied`) on or before `as_of`.",
        numerator="the median of each application's working days from the receipt date to "
        "the reply: the working days after the receipt date up to and including the day of "
        "the reply, counted as the statutory limit counts (the day after receipt is the "
        "first). Waiting for a correction, a consultation or a fee is included: it is what "
        "the applicant waited, not the statutory count.",
        denominator="the applications replied.",
        starts="the receipt date by channel (条例第三十一条).",
        ends="the reply.",
        period_by="the day of the reply.",
        excluded="applications not replied on `as_of` (open, withdrawn, deemed withdrawn) "
        "and those whose days cannot be counted (a year without holiday data).",
        min_sample=10,
        basis="条例 2019 第三十一条 and 第三十三条 (how working days are counted).",
    ),
    Metric(
        code="outcome_mix",
        label="办理结果构成",
        kind="share",
        source="applications",
        counts="applications concluded on or before `as_of`: replied, withdrawn by the "
        "applicant, or deemed withdrawn; one category per group of table 三 (三、本年度办理结果, "
        "（一）予以公开 to （六）其他处理), the `category` column.",
        numerator="the applications concluded with an outcome in the category.",
        denominator="every application concluded.",
        starts="the receipt.",
        ends="the concluding event (答复, 撤回 or 视为放弃), whose outcome is the table 三 row.",
        period_by="the day the application was concluded.",
        excluded="applications still open on `as_of`.",
        min_sample=20,
        basis="table 三 of the annual report format (国办公开办函〔2021〕30号).",
    ),
    Metric(
        code="proactive_timeliness",
        label="主动公开及时率",
        kind="rate",
        source="records",
        counts="records decided 主动公开 (the decision in force) whose 20-working-day limit "
        "(`govdisclose.deadlines.proactive_status` on `as_of`) has passed: published in time "
        "(`met`), published late (`missed`), or unpublished and overdue (`overdue`). "
        + _CLOCK_PASSED,
        numerator="those first published on or after the clock's start and on or before the "
        "due date (a publication before a change does not publish the change).",
        denominator="every record counted.",
        starts="the day the record was formed or last changed (`Record.clock_start`); 20 "
        "working days from the next day. Neither the review nor a timed release stops it.",
        ends="the first publication on or after the start.",
        period_by="the due date.",
        excluded="records not decided 主动公开 (依申请公开, 不予公开, undecided), still within "
        "their limit, or whose due date cannot be computed.",
        min_sample=10,
        basis="条例 2019 第二十六条 (2008 text 第十八条).",
    ),
    Metric(
        code="interpretation_coverage",
        label="政策解读配发率",
        kind="rate",
        source="records",
        counts="records decided 主动公开 that need a 政策解读 under the `InterpretationPolicy` "
        "(marked `important_policy`, and the document kinds the agency names), first "
        "published (on or after the clock's start) on or before `as_of`.",
        numerator="those the rule GD-R014 finds nothing against on `as_of`: a linked "
        "interpretation, found among the records given, published no later than the policy "
        "(the same day by default) or within the policy's working days.",
        denominator="every policy counted for which GD-R014 reaches a verdict.",
        starts="the policy's first publication.",
        ends="the publication of its first linked interpretation.",
        period_by="the day the policy was first published.",
        excluded="records that need no interpretation (an interpretation itself never does), "
        "policies not yet published, and policies on which GD-R014 cannot decide yet (the "
        "interpretation's window still open, no calendar): the rule's message is the "
        "observation's `note`.",
        min_sample=5,
        basis="rule GD-R014 (seed 000 （七）: “重要政策法规、政府规章和规范性文件…须配发解读”).",
    ),
    Metric(
        code="reconsideration_correction_rate",
        label="行政复议纠错率",
        kind="rate",
        source="review_cases",
        counts="行政复议 cases about the agency's disclosure work (table 四, kind "
        "`reconsideration`) concluded (审结) on or before `as_of`.",
        numerator="those whose result is 结果纠正.",
        denominator="every case concluded: 结果维持, 结果纠正 and 其他结果.",
        starts="the filing of the case.",
        ends="its conclusion (`concluded_on`).",
        period_by="the day the case was concluded.",
        excluded="cases not concluded on `as_of` (尚未审结) and lawsuits (行政诉讼, both "
        "column groups).",
        min_sample=5,
        basis="table 四 of the annual report format (国办公开办函〔2021〕30号).",
    ),
    Metric(
        code="inquiry_response",
        label="政务信息查询按期答复率",
        kind="rate",
        source="inquiries",
        counts="the parts of 政务信息查询 cases (`govdisclose.inquiries.parts`, from the "
        "events up to `as_of`) held by a unit that received the question, had it forwarded by "
        "the government office, or had it passed on under 首问负责, whose due date "
        "(`govdisclose.inquiries.unit_clocks`) has passed: answered in time, answered late, or "
        "unanswered and overdue. The agency is the unit holding the part. " + _CLOCK_PASSED,
        numerator="the parts answered on or before the due date.",
        denominator="every part counted.",
        starts="the part's start: the receipt, the forwarding, or the pass; 5 working days for "
        "a general question, 10 for a complex one, 20 for a special one or with an approved "
        "extension, 5 more per forwarding level (local parameters, params/data/"
        "local_inquiry.toml).",
        ends="the unit's answer.",
        period_by="the due date.",
        excluded="complaint parts (the supervising office's), parts forwarded on as outside "
        "the unit's remit (the receiving unit's part counts), parts still within their limit, "
        "and cases whose clocks cannot be computed.",
        min_sample=10,
        basis="the local 政务信息查询制度 (seed 003 篇5 二、(二)2-3).",
    ),
)

_BY_CODE = {m.code: m for m in METRICS}


def metric(code: str) -> Metric:
    """The metric with ``code``; a `ValidationError` (``analysis.unknown_metric``) naming the
    known codes for any other."""
    found = _BY_CODE.get(code)
    if found is None:
        known = ", ".join(_BY_CODE)
        raise ValidationError(
            f"没有指标“{code}”，可用：{known}",
            f"no metric {code!r}; known: {known}",
            field="which",
            code="analysis.unknown_metric",
        )
    return found


def metric_definitions() -> str:
    """Every metric's `Metric.definition`, in the order of `METRICS`: the section
    docs/analysts/notebooks.md prints between its ``metrics:begin`` / ``metrics:end`` marks."""
    return "\n\n".join(m.definition() for m in METRICS) + "\n"


# -- observations --------------------------------------------------------------------------


@frozen
class _Inputs:
    as_of: date
    params: ParameterSet
    calendar: WorkCalendar
    applications: tuple[Application, ...]
    records: tuple[Record, ...]
    review_cases: tuple[ReviewCase, ...]
    inquiries: tuple[InquiryCase, ...]
    interpretation: InterpretationPolicy | None


#: One observation: the columns of `metric_observations` but ``metric``.
_Obs = dict[str, Any]


def _obs(
    agency: str,
    item: str,
    *,
    day: date | None = None,
    counted: bool = False,
    success: bool | None = None,
    value: float | None = None,
    category: str | None = None,
    state: str | None = None,
    note: str | None = None,
    provisional: bool = False,
) -> _Obs:
    return {
        "agency": agency,
        "item": item,
        "day": day,
        "counted": counted,
        "success": success,
        "value": value,
        "category": category,
        "state": state,
        "provisional": provisional,
        "note": note,
    }


_DECIDED = (ClockState.MET, ClockState.MISSED, ClockState.OVERDUE)

_NOT_DECIDED_NOTE = {
    ClockState.NOT_STARTED: "期限未起算",
    ClockState.PENDING: "期限未届满",
    ClockState.DUE_SOON: "期限未届满",
    ClockState.STOPPED: "期限暂停计算（等待补正、征求意见或缴费）",
    ClockState.ENDED: "申请已撤回或视为放弃，答复期限终止",
}


def _clock_row(
    agency: str, item: str, state: ClockState, due: date | None, as_of: date, provisional: bool
) -> _Obs:
    """An item on a statutory clock: counted once its due date has passed."""
    if state in _DECIDED and due is not None and due < as_of:
        return _obs(
            agency,
            item,
            day=due,
            counted=True,
            success=state is ClockState.MET,
            state=state.value,
            provisional=provisional,
        )
    note = _NOT_DECIDED_NOTE.get(state, "期限未届满")
    if state in _DECIDED and due is not None:
        note = f"期限{due}尚未届满，届满后计入该日所在期间"
    return _obs(agency, item, state=state.value, note=note, provisional=provisional)


def _on_time(inp: _Inputs) -> Iterator[_Obs]:
    from govdisclose import deadlines

    for app in inp.applications:
        if app.receipt_date is None:
            yield _obs(app.agency, app.id, note="尚未收到申请")
            continue
        try:
            st = deadlines.reply_status(app, inp.as_of, params=inp.params, calendar=inp.calendar)
        except GovDiscloseError as err:
            yield _obs(app.agency, app.id, state="undetermined", note=err.message_zh)
            continue
        yield _clock_row(app.agency, app.id, st.state, st.due, inp.as_of, st.provisional)


def _concluded(app: Application, as_of: date) -> Replied | Withdrawn | DeemedWithdrawn | None:
    final = app.final_event
    return final if final is not None and final.on <= as_of else None


def _reply_days(inp: _Inputs) -> Iterator[_Obs]:
    for app in inp.applications:
        final = _concluded(app, inp.as_of)
        receipt = app.receipt_date
        if not isinstance(final, Replied) or receipt is None:
            note = "尚未答复" if final is None else "申请已撤回或视为放弃，没有答复"
            yield _obs(app.agency, app.id, note=note)
            continue
        try:
            days = inp.calendar.working_days_between(receipt, final.on)
        except GovDiscloseError as err:
            yield _obs(app.agency, app.id, state="undetermined", note=err.message_zh)
            continue
        yield _obs(app.agency, app.id, day=final.on, counted=True, value=float(days))


def _outcomes(inp: _Inputs) -> Iterator[_Obs]:
    for app in inp.applications:
        final = _concluded(app, inp.as_of)
        outcome = app.outcome if final is not None else None
        if final is None or outcome is None:
            yield _obs(app.agency, app.id, note="尚未办结")
            continue
        yield _obs(
            app.agency,
            app.id,
            day=final.on,
            counted=True,
            category=outcome.group.code,
            state=outcome.code,
        )


def _proactive(inp: _Inputs) -> Iterator[_Obs]:
    from govdisclose import deadlines

    for rec in inp.records:
        if rec.attribute is not DisclosureAttribute.PROACTIVE:
            label = rec.attribute.label if rec.attribute else "未确定公开属性"
            yield _obs(rec.agency, rec.id, note=f"非主动公开（{label}）")
            continue
        try:
            st = deadlines.proactive_status(
                rec, inp.as_of, params=inp.params, calendar=inp.calendar
            )
        except GovDiscloseError as err:
            yield _obs(rec.agency, rec.id, state="undetermined", note=err.message_zh)
            continue
        yield _clock_row(rec.agency, rec.id, st.state, st.due, inp.as_of, st.provisional)


def _interpretations(inp: _Inputs) -> Iterator[_Obs]:
    from govdisclose.rules import InterpretationPolicy, RuleContext, RuleSet

    policy = inp.interpretation if inp.interpretation is not None else InterpretationPolicy()
    rule = RuleSet((RuleSet.default().get("GD-R014"),))
    by_id = {r.id: r for r in inp.records}
    context = RuleContext(
        as_of=inp.as_of,
        params=inp.params,
        calendar=inp.calendar,
        interpretation=policy,
        find_record=by_id.get,
    )
    for rec in inp.records:
        if rec.attribute is not DisclosureAttribute.PROACTIVE or not policy.needs(rec):
            yield _obs(rec.agency, rec.id, note="无须配发政策解读")
            continue
        published = min(
            (p.published_on for p in rec.publications if p.published_on >= rec.clock_start),
            default=None,
        )
        if published is None or published > inp.as_of:
            yield _obs(rec.agency, rec.id, note="政策文件尚未发布")
            continue
        found = rule.check(rec, context)
        errors = [f for f in found if f.severity is Severity.ERROR]
        if not found:
            yield _obs(rec.agency, rec.id, day=published, counted=True, success=True)
        elif errors:
            yield _obs(
                rec.agency,
                rec.id,
                day=published,
                counted=True,
                success=False,
                note=errors[0].message_zh,
            )
        else:
            yield _obs(rec.agency, rec.id, note=found[0].message_zh)


def _reconsideration(inp: _Inputs) -> Iterator[_Obs]:
    for case in inp.review_cases:
        if case.kind is not ReviewCaseKind.RECONSIDERATION:
            yield _obs(case.agency, case.id, note=f"{case.kind.label}，不计入行政复议")
            continue
        if case.concluded_on is None or case.concluded_on > inp.as_of or case.result is None:
            yield _obs(case.agency, case.id, state=ReviewResult.PENDING.code, note="尚未审结")
            continue
        yield _obs(
            case.agency,
            case.id,
            day=case.concluded_on,
            counted=True,
            success=case.result is ReviewResult.CORRECTED,
            state=case.result.code,
        )


def _inquiry_parts(inp: _Inputs) -> Iterator[_Obs]:
    import attrs

    from govdisclose.inquiries import PartOrigin, unit_clocks

    for case in inp.inquiries:
        known = attrs.evolve(case, events=tuple(e for e in case.events if e.on <= inp.as_of))
        if not known.events:
            yield _obs(case.agency, case.id, note="尚未收到")
            continue
        try:
            clocks = unit_clocks(known, params=inp.params, calendar=inp.calendar)
        except GovDiscloseError as err:
            yield _obs(case.agency, case.id, state="undetermined", note=err.message_zh)
            continue
        for i, clock in enumerate(clocks):
            part, item = clock.part, f"{case.id}#{i}"
            if part.origin is PartOrigin.COMPLAINT:
                yield _obs(part.unit, item, note="投诉（由监督管理部门办理），不计入")
                continue
            if part.ended_by == "forwarded":
                yield _obs(part.unit, item, note="已转出，计入接收单位的部分")
                continue
            due = clock.deadline.due
            if part.ended_on is not None:
                state = ClockState.MET if part.ended_on <= due else ClockState.MISSED
            else:
                state = ClockState.OVERDUE if inp.as_of > due else ClockState.PENDING
            yield _clock_row(part.unit, item, state, due, inp.as_of, clock.deadline.provisional)


_OBSERVERS: dict[str, Callable[[_Inputs], Iterator[_Obs]]] = {
    "on_time_reply_rate": _on_time,
    "median_reply_working_days": _reply_days,
    "outcome_mix": _outcomes,
    "proactive_timeliness": _proactive,
    "interpretation_coverage": _interpretations,
    "reconsideration_correction_rate": _reconsideration,
    "inquiry_response": _inquiry_parts,
}

_OBSERVATION_COLUMNS = [
    "metric", "agency", "item", "day", "counted", "success", "value", "category", "state",
    "provisional", "note",
]  # fmt: skip


def _inputs(
    as_of: date,
    params: ParameterSet,
    calendar: WorkCalendar,
    applications: Iterable[Application],
    records: Iterable[Record],
    review_cases: Iterable[ReviewCase],
    inquiries: Iterable[InquiryCase],
    interpretation: InterpretationPolicy | None,
) -> _Inputs:
    missing = [n for n, v in (("params", params), ("calendar", calendar)) if v is None]
    if missing:
        raise ValidationError(
            f"计算指标需要 as_of、params、calendar，缺少 {'、'.join(missing)}"
            "（例如 params=ParameterSet.default(), calendar=WorkCalendar.default()）",
            f"metrics need as_of, params and calendar; missing {', '.join(missing)} "
            "(e.g. params=ParameterSet.default(), calendar=WorkCalendar.default())",
            field=missing[0],
            code="analysis.missing_argument",
        )
    return _Inputs(
        as_of=day_arg(as_of, "as_of"),
        params=params,
        calendar=calendar,
        applications=tuple(applications),
        records=tuple(records),
        review_cases=tuple(review_cases),
        inquiries=tuple(inquiries),
        interpretation=interpretation,
    )


def _selected(which: Iterable[str] | None, inp: _Inputs) -> list[Metric]:
    if which is None:
        # The metrics of every source given: a call with applications alone gets their three.
        return [m for m in METRICS if getattr(inp, m.source)]
    if isinstance(which, str):
        which = (which,)
    return [metric(code) for code in dict.fromkeys(which)]


def _observe(selected: Sequence[Metric], inp: _Inputs) -> list[_Obs]:
    rows: list[_Obs] = []
    for m in selected:
        for row in _OBSERVERS[m.code](inp):
            row["metric"] = m.code
            rows.append(row)
    return rows


def metric_observations(
    *,
    as_of: date,
    params: ParameterSet,
    calendar: WorkCalendar,
    applications: Iterable[Application] = (),
    records: Iterable[Record] = (),
    review_cases: Iterable[ReviewCase] = (),
    inquiries: Iterable[InquiryCase] = (),
    which: Iterable[str] | str | None = None,
    interpretation: InterpretationPolicy | None = None,
) -> pd.DataFrame:
    """One row per item each metric looked at: the audit trail of `metrics`.

    Columns: ``metric``, ``agency``, ``item`` (the application, record or case id; an inquiry
    part is ``<case id>#<n>``), ``day`` (the date that puts it in a period, `Metric.period_by`),
    ``counted``, ``success`` (in the numerator, for a rate), ``value`` (for a median),
    ``category`` (for a share), ``state`` (the clock state or the result code),
    ``provisional`` (the due date rests on a provisional calendar) and ``note`` (why it did not
    count, or why it failed, in Chinese). The arguments are those of `metrics`.
    """
    pd = _pandas()
    inp = _inputs(
        as_of, params, calendar, applications, records, review_cases, inquiries, interpretation
    )
    rows = _observe(_selected(which, inp), inp)
    frame = pd.DataFrame.from_records(rows).reindex(columns=_OBSERVATION_COLUMNS)
    frame["day"] = pd.to_datetime(frame["day"])
    frame["counted"] = frame["counted"].astype(bool)
    frame["success"] = frame["success"].astype("boolean")
    frame["value"] = frame["value"].astype("float64")
    frame["provisional"] = frame["provisional"].astype(bool)
    return frame


# -- aggregation ------------------------------------------------------------------------------


def _period(day: date, freq: str) -> tuple[str, date, date]:
    """The label, first and last day of the period of ``freq`` holding ``day``."""
    y = day.year
    if freq == "Y":
        return f"{y}", date(y, 1, 1), date(y, 12, 31)
    if freq == "H":
        half = 1 if day.month <= 6 else 2
        first = date(y, 1 if half == 1 else 7, 1)
        last = date(y, 6, 30) if half == 1 else date(y, 12, 31)
        return f"{y}H{half}", first, last
    if freq == "Q":
        q = (day.month - 1) // 3 + 1
        first = date(y, 3 * q - 2, 1)
        nxt = date(y + 1, 1, 1) if q == 4 else date(y, 3 * q + 1, 1)
        return f"{y}Q{q}", first, nxt - timedelta(days=1)
    first = date(y, day.month, 1)
    nxt = date(y + 1, 1, 1) if day.month == 12 else date(y, day.month + 1, 1)
    return f"{y}-{day.month:02d}", first, nxt - timedelta(days=1)


def _periods_between(first: date, last: date, freq: str) -> list[tuple[str, date, date]]:
    out = []
    day = first
    while day <= last:
        period = _period(day, freq)
        out.append(period)
        day = period[2] + timedelta(days=1)
    return out


def _check_by(by: Sequence[str] | str) -> tuple[str, ...]:
    keys = (by,) if isinstance(by, str) else tuple(by)
    bad = [k for k in keys if k not in ("agency", "period")]
    if bad or len(set(keys)) != len(keys):
        raise ValidationError(
            f"by 只能取 agency、period（各一次），实际为 {keys!r}",
            f"by may name agency and period (each once), got {keys!r}",
            field="by",
            code="analysis.bad_by",
        )
    return keys


def _check_period(period: str) -> str:
    if period not in PERIODS:
        known = "、".join(f"{k}（{v}）" for k, v in PERIODS.items())
        raise ValidationError(
            f"period 应为 {known} 之一，实际为 {period!r}",
            f"period must be one of {', '.join(PERIODS)} (month, quarter, half-year, year), "
            f"got {period!r}",
            field="period",
            code="analysis.bad_period",
        )
    return period


def _min_samples(overrides: Mapping[str, int] | None) -> dict[str, int]:
    out = {m.code: m.min_sample for m in METRICS}
    for code, n in (overrides or {}).items():
        metric(code)
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValidationError(
                f"min_sample[{code!r}] 应为正整数，实际为 {n!r}",
                f"min_sample[{code!r}] must be a positive integer, got {n!r}",
                field=f"min_sample[{code!r}]",
                code="analysis.bad_min_sample",
            )
        out[code] = n
    return out


_RESULT_COLUMNS = [
    "agency", "agency_name", "period", "period_start", "period_end", "partial", "metric",
    "metric_label", "category", "category_label", "value", "numerator", "denominator",
    "min_sample", "provisional", "reason", "reason_label",
]  # fmt: skip


def metrics(
    *,
    as_of: date,
    params: ParameterSet,
    calendar: WorkCalendar,
    applications: Iterable[Application] = (),
    records: Iterable[Record] = (),
    review_cases: Iterable[ReviewCase] = (),
    inquiries: Iterable[InquiryCase] = (),
    which: Iterable[str] | str | None = None,
    by: Sequence[str] | str = ("agency", "period"),
    period: str = "Q",
    agencies: Iterable[Agency] | Mapping[str, str] | None = None,
    min_sample: Mapping[str, int] | None = None,
    interpretation: InterpretationPolicy | None = None,
) -> pd.DataFrame:
    """The `METRICS` by agency and period, as known on ``as_of``: a tidy frame, one row per
    metric, group and category.

    :param as_of: the day the data is read as of: events after it are not known yet, and the
        clock metrics count an item once its due date is before it.
    :param params: the legal parameters (`govdisclose.params.ParameterSet`).
    :param calendar: the working-day calendar (`govdisclose.calendar.WorkCalendar`).
    :param applications: for ``on_time_reply_rate``, ``median_reply_working_days`` and
        ``outcome_mix``; ``records`` for ``proactive_timeliness`` and
        ``interpretation_coverage``; ``review_cases`` for ``reconsideration_correction_rate``;
        ``inquiries`` (`govdisclose.inquiries.InquiryCase`) for ``inquiry_response``. From a
        store: ``store.applications()``, ``store.records()``, ``store.review_cases()``,
        ``store.items(InquiryCase)``.
    :param which: the metric codes to compute; by default every metric whose items were given.
    :param by: the grouping, ``("agency", "period")`` by default; ``("period",)`` for all
        agencies together, ``()`` for one value per metric.
    :param period: ``"M"``, ``"Q"`` (default), ``"H"`` or ``"Y"`` (`PERIODS`).
    :param agencies: ``store.agencies()`` or ``{code: name}``: adds ``agency_name`` and makes
        every agency a row, with or without items.
    :param min_sample: overrides of `Metric.min_sample` by code.
    :param interpretation: which records need a 政策解读 (`govdisclose.rules.
        InterpretationPolicy`; the default one without it).

    Columns: ``agency`` (and ``agency_name``) when grouped by agency; ``period`` (``2025Q1``,
    ``2025H2``, ``2025-03``, ``2025``), ``period_start``, ``period_end`` and ``partial`` (the
    period ends on or after ``as_of``, so clock metrics may still grow in it) when grouped by
    period; ``metric``, ``metric_label``; ``category`` and ``category_label`` (the table 三
    group, for ``outcome_mix``); ``value`` (float, NaN below the minimum sample),
    ``numerator`` and ``denominator`` (nullable integers; a median has no numerator and its
    denominator is the sample), ``min_sample``, ``provisional`` (counted items whose due date
    rests on a provisional calendar), ``reason`` (``too_few``, ``no_items`` or none) and
    ``reason_label`` (in Chinese). Periods run without gaps from the first to the last period
    with a counted item.

    :raises ValidationError: ``analysis.unknown_metric``, ``analysis.bad_by``,
        ``analysis.bad_period``, ``analysis.bad_min_sample``, ``analysis.missing_argument``,
        ``analysis.unknown_agency`` (an item of an agency not in ``agencies``).
    """
    pd = _pandas()
    keys = _check_by(by)
    freq = _check_period(period)
    samples = _min_samples(min_sample)
    names = None if agencies is None else agency_names(agencies)
    inp = _inputs(
        as_of, params, calendar, applications, records, review_cases, inquiries, interpretation
    )
    selected = _selected(which, inp)
    rows = _observe(selected, inp)

    # The groups: every agency seen (or named), every period from the first to the last with
    # a counted item.
    if names is not None:
        unknown = sorted({r["agency"] for r in rows if r["counted"]} - set(names))
        if unknown:
            raise ValidationError(
                f"以下机关代码不在 agencies 中：{'、'.join(unknown)}",
                f"these agency codes are not in agencies: {', '.join(unknown)}",
                field="agencies",
                code="analysis.unknown_agency",
            )
        agency_keys = sorted(names)
    else:
        agency_keys = sorted({r["agency"] for r in rows})
    counted = [r for r in rows if r["counted"]]
    days = [r["day"] for r in counted]
    periods = _periods_between(_period(min(days), freq)[1], max(days), freq) if days else []
    period_of = {d: _period(d, freq)[0] for d in set(days)}

    def group(row: _Obs) -> tuple[str, ...]:
        out = []
        for k in keys:
            out.append(row["agency"] if k == "agency" else period_of[row["day"]])
        return tuple(out)

    buckets: defaultdict[tuple[str, tuple[str, ...]], list[_Obs]] = defaultdict(list)
    for row in counted:
        buckets[(row["metric"], group(row))].append(row)

    grid: list[dict[str, Any]] = [{}]
    for k in keys:
        if k == "agency":
            grid = [{**g, "agency": a} for g in grid for a in agency_keys]
        else:
            grid = [
                {
                    **g,
                    "period": label,
                    "period_start": first,
                    "period_end": last,
                    "partial": last >= inp.as_of,
                }
                for g in grid
                for label, first, last in periods
            ]

    out: list[dict[str, Any]] = []
    for m in selected:
        least = samples[m.code]
        for g in grid:
            key = tuple(g[k] for k in keys)
            items = buckets.get((m.code, key), [])
            n = len(items)
            provisional = sum(1 for r in items if r["provisional"])
            reason = None if n >= least else ("no_items" if n == 0 else "too_few")
            label = (
                None
                if reason is None
                else "本期无可计入的事项"
                if reason == "no_items"
                else f"样本不足：{n}件，少于最小样本{least}件"
            )
            base = {
                **g,
                "metric": m.code,
                "metric_label": m.label,
                "min_sample": least,
                "provisional": provisional,
                "reason": reason,
                "reason_label": label,
            }
            if m.kind == "share":
                for cat in OutcomeGroup:
                    hits = sum(1 for r in items if r["category"] == cat.code)
                    out.append(
                        {
                            **base,
                            "category": cat.code,
                            "category_label": cat.label,
                            "value": hits / n if reason is None else float("nan"),
                            "numerator": hits,
                            "denominator": n,
                        }
                    )
                continue
            if m.kind == "median":
                value = (
                    float(statistics.median(r["value"] for r in items))
                    if reason is None
                    else float("nan")
                )
                numerator = None
            else:
                numerator = sum(1 for r in items if r["success"])
                value = numerator / n if reason is None else float("nan")
            out.append(
                {
                    **base,
                    "category": None,
                    "category_label": None,
                    "value": value,
                    "numerator": numerator,
                    "denominator": n,
                }
            )
    columns = [c for c in _RESULT_COLUMNS if _keep(c, keys, names)]
    frame = pd.DataFrame.from_records(out).reindex(columns=columns)
    if names is not None and "agency" in keys:
        frame["agency_name"] = frame["agency"].map(names)
    for col in ("period_start", "period_end"):
        if col in frame:
            frame[col] = pd.to_datetime(frame[col])
    if "partial" in frame:
        frame["partial"] = frame["partial"].astype(bool)
    frame["value"] = frame["value"].astype("float64")
    for col in ("numerator", "denominator"):
        frame[col] = frame[col].astype("Int64")
    frame["min_sample"] = frame["min_sample"].astype("int64")
    frame["provisional"] = frame["provisional"].astype("int64")
    frame.attrs["as_of"] = inp.as_of.isoformat()
    frame.attrs["period"] = freq
    frame.attrs["calendar_version"] = calendar.version
    return frame


def _keep(column: str, keys: tuple[str, ...], names: dict[str, str] | None) -> bool:
    if column == "agency":
        return "agency" in keys
    if column == "agency_name":
        return "agency" in keys and names is not None
    if column in ("period", "period_start", "period_end", "partial"):
        return "period" in keys
    return True
