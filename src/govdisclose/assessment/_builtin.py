"""The built-in indicators, computed from what the store holds.

Each indicator's definition text below is the one the league table, the documentation and the
``assess`` command print: change the computation and the text together.

A shared rule for the clocks (replies, proactive publication): an item is counted in the
period of its *settle day*, the day its outcome became known: the day of the act when it was
done on time, the day after the due date when it was not. So every item counts exactly once
over consecutive periods, and a late item counts in the period its limit ran out in, whether
or not it was done later.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from govdisclose.assessment._adapters import (
    inquiry_on_time,
    opinion_response,
    plan_tasks_on_time,
)
from govdisclose.assessment._indicators import (
    Fault,
    Indicator,
    IndicatorInput,
    Measure,
    register_indicator,
)
from govdisclose.clocks import ClockState
from govdisclose.errors import CalendarDataMissing, GovDiscloseError, NotFound
from govdisclose.findings import Severity
from govdisclose.model import Record
from govdisclose.vocab import DisclosureAttribute, DocumentKind, ReviewResult

__all__: list[str] = []

_ONE_DAY = timedelta(days=1)


def _share(
    code: str,
    inp: IndicatorInput,
    sample: int,
    faults: list[Fault],
    *,
    good: bool,
    empty_zh: str,
    empty_en: str,
    notes: Iterable[str] = (),
) -> Measure:
    """A share measure: ``(sample - faults) / sample`` when ``good`` (on time), else
    ``faults / sample`` (a rate of bad things); not scored on an empty sample."""
    agency = inp.agency.code
    if sample == 0:
        return Measure(code, agency, None, 0, (), empty_zh, empty_en, tuple(notes))
    bad = len(faults)
    value = Decimal(sample - bad if good else bad) / Decimal(sample)
    faults.sort(key=lambda f: (f.day or date.min, f.id))
    return Measure(code, agency, value, sample, tuple(faults), notes=tuple(notes))


def _in(inp: IndicatorInput, day: date | None) -> bool:
    return day is not None and inp.period.contains(day)


# -- 1. on-time replies ----------------------------------------------------------------------

REPLY_ZH = (
    "依申请公开按时答复率 = 按期答复的申请数 ÷ 本期结算的申请数。答复期限自收到申请之日"
    "（条例第三十一条）次日起算，为条例第三十三条的20个工作日（经批准延长的，加延长期限），"
    "补正后重新起算，征求第三方意见的时间不计入（deadlines.reply_status 的同一计算）。"
    "一件申请在其“结算日”所在的期间计入：按期答复的，为答复之日；未按期答复的，为期限届满"
    "的次日（无论其后是否答复）。撤回、视为放弃的申请不计入；期限仍在进行的申请留待以后的期间。"
    "逾期答复或逾期未答复的每一件申请都是失分记录。样本为0件时不评分。"
)
REPLY_EN = (
    "On-time replies = applications replied by their due date / applications settled in the "
    "period. The reply limit runs from the day after receipt (art. 31): 20 working days "
    "(art. 33), plus an approved extension, restarted by a correction, consultation time not "
    "counted (the computation of deadlines.reply_status). An application is counted in "
    "the period of its settle day: its reply day when replied on time, the day after its due "
    "date when not (whether or not it was replied later). Withdrawn and deemed-withdrawn "
    "applications are not counted; clocks still running wait for a later period. Every "
    "application replied late or still unreplied past its due date is a fault. Not scored "
    "on an empty sample."
)


def _reply_on_time(inp: IndicatorInput) -> Measure:
    from govdisclose.deadlines import reply_status

    period = inp.period
    sample = 0
    faults: list[Fault] = []
    notes: list[str] = []
    for app in inp.store.applications(agency=inp.agency.code):
        received = app.receipt_date
        if received is None or received > period.last:
            continue
        try:
            st = reply_status(app, inp.as_of, params=inp.params, calendar=inp.calendar)
        except CalendarDataMissing as err:
            notes.append(f"{app.id}: 无法计算答复期限，未计入（{err.message_zh}）")
            continue
        if st.state is ClockState.UNDETERMINED:
            notes.append(f"{app.id}: 无法计算答复期限，未计入（{st.reason}）")
            continue
        if st.due is None or st.state not in (
            ClockState.MET,
            ClockState.MISSED,
            ClockState.OVERDUE,
        ):
            continue
        if st.state is ClockState.MET:
            if _in(inp, st.done_on):
                sample += 1
            continue
        settle = st.due + _ONE_DAY
        if not _in(inp, settle):
            continue
        sample += 1
        late = st.working_days_late or 0
        if st.state is ClockState.MISSED and st.done_on is not None:
            zh = f"答复期限{st.due}，{st.done_on}答复，逾期{late}个工作日"
            en = f"due {st.due}, replied {st.done_on}, {late} working day(s) late"
        else:
            zh = f"答复期限{st.due}，截至{inp.as_of}未答复，已逾期{late}个工作日"
            en = f"due {st.due}, not replied by {inp.as_of}, {late} working day(s) overdue"
        faults.append(Fault("application", app.id, inp.agency.code, zh, en, settle))
    return _share(
        "reply_on_time",
        inp,
        sample,
        faults,
        good=True,
        empty_zh="本期没有结算的申请",
        empty_en="no application settled in the period",
        notes=notes,
    )


# -- 2. proactive timeliness -------------------------------------------------------------------

PROACTIVE_ZH = (
    "主动公开及时率 = 按期公开的主动公开信息数 ÷ 本期结算的主动公开信息数。计入现行公开属性"
    "为主动公开的政府信息；期限自信息形成或变更之日（Record.clock_start）次日起算20个工作日"
    "（条例第二十六条），以其后第一次发布之日为止（deadlines.proactive_status）。按期发布的"
    "以发布之日、逾期的以期限届满次日为结算日，计入结算日所在期间。逾期发布或逾期未发布的"
    "每一条信息都是失分记录；审查和择时公开不停止计时。样本为0条时不评分。"
)
PROACTIVE_EN = (
    "Proactive timeliness = proactive records published by their due date / proactive records "
    "settled in the period. Records whose current attribute is 主动公开 count; the limit is "
    "20 working days from the day after the record was formed or last changed (art. 26), and "
    "it ends with the first publication after that day (deadlines.proactive_status). The settle "
    "day is the publication day when on time, the day after the due date when late; a record "
    "counts in the period of its settle day. Every record published late or unpublished past "
    "its due date is a fault; neither the review nor a timed release stops the clock. Not "
    "scored on an empty sample."
)


def _proactive_on_time(inp: IndicatorInput) -> Measure:
    from govdisclose.deadlines import proactive_status

    sample = 0
    faults: list[Fault] = []
    notes: list[str] = []
    for record in inp.store.records(agency=inp.agency.code):
        if record.attribute is not DisclosureAttribute.PROACTIVE:
            continue
        if record.clock_start > inp.period.last:
            continue
        try:
            st = proactive_status(record, inp.as_of, params=inp.params, calendar=inp.calendar)
        except CalendarDataMissing as err:
            notes.append(f"{record.id}: 无法计算公开期限，未计入（{err.message_zh}）")
            continue
        if st.due is None:
            continue
        if st.state is ClockState.MET:
            if _in(inp, st.done_on):
                sample += 1
            continue
        if st.state not in (ClockState.MISSED, ClockState.OVERDUE):
            continue
        settle = st.due + _ONE_DAY
        if not _in(inp, settle):
            continue
        sample += 1
        late = st.working_days_late or 0
        if st.state is ClockState.MISSED:
            zh = f"公开期限{st.due}，{st.done_on}才发布，逾期{late}个工作日"
            en = f"due {st.due}, published {st.done_on}, {late} working day(s) late"
        else:
            zh = f"公开期限{st.due}，截至{inp.as_of}未发布，已逾期{late}个工作日"
            en = f"due {st.due}, unpublished on {inp.as_of}, {late} working day(s) overdue"
        faults.append(Fault("record", record.id, inp.agency.code, zh, en, settle))
    return _share(
        "proactive_on_time",
        inp,
        sample,
        faults,
        good=True,
        empty_zh="本期没有结算的主动公开信息",
        empty_en="no proactive record settled in the period",
        notes=notes,
    )


# -- 3. interpretation coverage ----------------------------------------------------------------

INTERPRETATION_ZH = (
    "规范性文件解读配发率 = 按时配发解读的文件数 ÷ 本期发布的须配发解读的文件数。须配发解读的"
    "文件由 rules.InterpretationPolicy 判定：默认为规章、行政规范性文件（选项 kinds，种子文件000"
    "（七）“须配发解读”）和标为重要政策的文件，现行属性为主动公开；以其自形成或变更后第一次"
    "发布之日计入所在期间。按规则 GD-R014 于考核基准日检查：未关联解读、所关联的解读不存在或"
    "发布晚于期限（默认不晚于文件同日，选项 working_days 可放宽）的，为失分记录；允许的延后"
    "期限尚未届满而解读未发布的，不计入并注明。样本为0件时不评分。"
)
INTERPRETATION_EN = (
    "Interpretation coverage = documents whose interpretation was published in time / documents "
    "needing one published in the period. Which documents need one is "
    "rules.InterpretationPolicy: by default 规章 and 行政规范性文件 (option kinds; seed 000 (七)) "
    "and records marked important_policy, current attribute 主动公开; a document counts in the "
    "period of its first publication since it was formed or changed. Judged by rule GD-R014 on "
    "the assessment day: no linked interpretation, a linked one that does not exist, or one "
    "published after the limit (the same day by default; option working_days allows a delay) "
    "is a fault; one still within its allowed delay is left out, with a note. Not scored on an "
    "empty sample."
)

_DEFAULT_KINDS = ("rule", "normative_document")


def _policy_day(record: Record) -> date | None:
    return min(
        (p.published_on for p in record.publications if p.published_on >= record.clock_start),
        default=None,
    )


def _interpretation_coverage(inp: IndicatorInput) -> Measure:
    from govdisclose.rules import InterpretationPolicy, RuleContext, RuleSet

    kinds = [
        DocumentKind.from_code(k, field="kinds") for k in inp.options.get("kinds", _DEFAULT_KINDS)
    ]
    policy = InterpretationPolicy(
        working_days=int(inp.options.get("working_days", 0)), kinds=frozenset(kinds)
    )
    store = inp.store

    def find(record_id: str) -> Record | None:
        try:
            return store.get_record(record_id)
        except NotFound:
            return None

    ctx = RuleContext(
        as_of=inp.as_of,
        params=inp.params,
        calendar=inp.calendar,
        interpretation=policy,
        find_record=find,
    )
    rule = RuleSet.default().get("GD-R014")
    sample = 0
    faults: list[Fault] = []
    notes: list[str] = []
    for record in store.records(agency=inp.agency.code):
        if record.attribute is not DisclosureAttribute.PROACTIVE or not policy.needs(record):
            continue
        day = _policy_day(record)
        if not _in(inp, day):
            continue
        findings = list(rule.check(record, ctx))
        errors = [f for f in findings if f.severity is Severity.ERROR]
        if errors:
            sample += 1
            zh = "；".join(f.message_zh for f in errors)
            en = "; ".join(f.message_en for f in errors)
            faults.append(Fault("record", record.id, inp.agency.code, zh, en, day))
        elif any(f.severity is Severity.WARNING for f in findings if f.field == "interpretations"):
            notes.append(f"{record.id}: 解读尚在允许的延后期限内，未计入")
        else:
            sample += 1
    return _share(
        "interpretation_coverage",
        inp,
        sample,
        faults,
        good=True,
        empty_zh="本期没有须配发解读的文件发布",
        empty_en="no document needing an interpretation was published in the period",
        notes=notes,
    )


# -- 4. review and litigation corrections -------------------------------------------------------

CORRECTIONS_ZH = (
    "行政复议、行政诉讼纠错率 = 结果纠正的案件数 ÷ 本期审结的案件数（越低越好）。计入以本机关为"
    "被申请人或被告、审结日期在本期的政府信息公开行政复议和行政诉讼案件（Store.review_cases，"
    "年度报告表四的口径）；审结结果为“结果纠正”的每一件都是失分记录，“结果维持”“其他结果”"
    "只计入分母，尚未审结的不计入。样本为0件时不评分。"
)
CORRECTIONS_EN = (
    "Correction rate = cases whose result was 结果纠正 / review and litigation cases concluded in "
    "the period (lower is better). Cases against the agency (Store.review_cases, the "
    "categories of annual-report table 四) concluded in the period count; every corrected "
    "case is a fault, upheld and other results count in the denominator only, pending cases "
    "not at all. Not scored on an empty sample."
)


def _review_corrections(inp: IndicatorInput) -> Measure:
    sample = 0
    faults: list[Fault] = []
    for case in inp.store.review_cases(agency=inp.agency.code):
        if case.result is None or not _in(inp, case.concluded_on) or case.concluded_on is None:
            continue
        if case.concluded_on > inp.as_of:
            continue
        sample += 1
        if case.result is ReviewResult.CORRECTED:
            about = f"（申请{case.application_id}）" if case.application_id else ""
            zh = f"{case.kind.label}{about}于{case.concluded_on}审结，结果纠正"
            en = f"{case.kind.code} concluded {case.concluded_on}: corrected" + (
                f" (application {case.application_id})" if case.application_id else ""
            )
            faults.append(Fault("review_case", case.id, inp.agency.code, zh, en, case.concluded_on))
    return _share(
        "review_corrections",
        inp,
        sample,
        faults,
        good=False,
        empty_zh="本期没有审结的复议、诉讼案件",
        empty_en="no review or litigation case concluded in the period",
    )


# -- 5 and 6. the annual report ---------------------------------------------------------------

REPORT_ON_TIME_ZH = (
    "年度报告按时公布（扣分项，计失分次数）：上一年度年度报告的法定公布期限（report.filing："
    "条例第四十九条，政府部门1月31日前，县级以上人民政府3月31日前）在本期内的，查找本机关标题"
    "含“Y年”和“年度报告”的政府信息，以其第一次发布之日与期限比较；逾期公布或截至考核基准日未"
    "公布为1次失分。本期没有公布期限的，或法规未规定期限的机关（乡镇），不评分。"
)
REPORT_ON_TIME_EN = (
    "Annual report on time (a fault count): when the statutory date of last year's report "
    "(report.filing: art. 49, departments by 31 January, governments by 31 March) falls in the "
    "period, the agency's record whose title holds 'Y年' and '年度报告' is looked up and its "
    "first publication compared with the date; published late, or not by the assessment day, "
    "is one fault. Not scored when no date falls in the period, or the law sets none "
    "(townships)."
)
REPORT_CONSISTENT_ZH = (
    "年度报告数据一致（扣分项，计失分次数）：同一份已公布的年度报告，其正文按年报格式读取"
    "（report.reader），以 report.validate 检查勾稽关系，每一处错误为1次失分；表三第一、二、"
    "三至七、四行的合计与由存储数据生成的报告（report.build_annual_report）不一致的，每行1次"
    "失分；正文中读不出年报表格的，为1次失分。没有已公布的报告可查的，不评分（按时公布指标已计）。"
)
REPORT_CONSISTENT_EN = (
    "Annual report consistent (a fault count): the same published report's body is read as a "
    "report page (report.reader) and checked with report.validate, one fault per error; each "
    "of table 三's rows R1, R2, R3_7 and R4 whose total differs from the report built from the "
    "store (report.build_annual_report) is one fault; a body without readable report tables is "
    "one fault. Not scored when no published report is found (the on-time indicator counts that)."
)


def _report_year(inp: IndicatorInput) -> tuple[int, date] | str:
    from govdisclose.report.filing import filing_deadline

    year = inp.period.first.year - 1
    try:
        due = filing_deadline(inp.agency, year).due
    except GovDiscloseError as err:
        return err.message_zh
    if not inp.period.contains(due):
        return f"{year}年度报告的公布期限{due}不在本期"
    return year, due


def _report_record(inp: IndicatorInput, year: int) -> Record | None:
    marker = inp.options.get("title_contains", "年度报告")
    year_mark = re.compile(rf"(?<!\d){year}\s*年")
    found = [
        r
        for r in inp.store.records(agency=inp.agency.code)
        if marker in r.title and year_mark.search(r.title) and r.publications
    ]
    found.sort(key=lambda r: (r.first_published_on or date.max, r.id))
    return found[0] if found else None


def _report_on_time(inp: IndicatorInput) -> Measure:
    code, agency = "report_on_time", inp.agency.code
    got = _report_year(inp)
    if isinstance(got, str):
        return Measure.not_scored(code, agency, got, "no report due in the period")
    year, due = got
    record = _report_record(inp, year)
    published = record.first_published_on if record is not None else None
    if published is not None and published > inp.as_of:
        published = None
    if published is not None and published <= due:
        return Measure(code, agency, Decimal(0), 1)
    if published is None:
        fault = Fault(
            "report",
            f"{agency}/{year}",
            agency,
            f"{year}年度报告应于{due}前公布，截至{inp.as_of}未找到已公布的报告",
            f"the {year} report was due {due}; none published by {inp.as_of}",
            due + _ONE_DAY,
        )
    else:
        assert record is not None
        fault = Fault(
            "record",
            record.id,
            agency,
            f"{year}年度报告应于{due}前公布，{published}才公布",
            f"the {year} report was due {due}, published {published}",
            published,
        )
    return Measure(code, agency, Decimal(1), 1, (fault,))


_T3_ROWS = ("T3.R1.total", "T3.R2.total", "T3.R3_7.total", "T3.R4.total")


def _report_consistent(inp: IndicatorInput) -> Measure:
    from govdisclose.report import build_annual_report, validate
    from govdisclose.report.reader import read_html_report

    code, agency = "report_consistent", inp.agency.code
    got = _report_year(inp)
    if isinstance(got, str):
        return Measure.not_scored(code, agency, got, "no report due in the period")
    year, _ = got
    record = _report_record(inp, year)
    if record is None:
        return Measure.not_scored(
            code, agency, f"未找到已公布的{year}年度报告", f"no published {year} report found"
        )
    faults: list[Fault] = []

    def fault(zh: str, en: str) -> None:
        faults.append(Fault("record", record.id, agency, zh, en, record.first_published_on))

    try:
        read = read_html_report(record.body, year=year, partial=True)
        published = read.to_report(agency_code=agency, agency_name=inp.agency.name, year=year)
    except GovDiscloseError as err:
        fault(
            f"正文中读不出年报表格：{err.message_zh}",
            f"no readable report tables: {err.message_en}",
        )
        return Measure(code, agency, Decimal(1), 1, tuple(faults))
    for finding in validate(published):
        if finding.severity is Severity.ERROR:
            fault(
                f"{finding.rule_id}：{finding.message_zh}",
                f"{finding.rule_id}: {finding.message_en}",
            )
    try:
        built = build_annual_report(inp.store, inp.agency, year)
    except GovDiscloseError as err:
        built = None
        fault(
            f"无法由存储数据生成报告比对：{err.message_zh}",
            f"cannot build the report: {err.message_en}",
        )
    if built is not None:
        for ref in _T3_ROWS:
            mine, theirs = built.cell(ref), published.cell(ref)
            if mine != theirs:
                fault(
                    f"{ref} 公布为{theirs}，存储数据为{mine}",
                    f"{ref} published as {theirs}, the store gives {mine}",
                )
    return Measure(code, agency, Decimal(len(faults)), 1, tuple(faults))


# -- 7. uploads bunched before the deadline (突击上传) ------------------------------------------

BUNCHED_ZH = (
    "突击上传比例 = 本期最后N个工作日内发布的条数 ÷ 本期发布的条数（越低越好；种子文件004："
    "“个别单位临近考核时突击上传信息”）。计入本机关发布日期（Publication.published_on）在本期内"
    "的每一次发布（Store.published）；“最后N个工作日”自本期最后一天往前数N个工作日（含最后一天"
    "为工作日时的当天），N 为选项 last_working_days，默认5。窗口内的每一次发布都列为失分依据。"
    "本期发布少于最少样本（默认10条）时不评分。"
)
BUNCHED_EN = (
    "Bunched uploads = publications in the period's last N working days / publications in the "
    "period (lower is better; seed 004: units uploading in a rush just before the assessment). "
    "Every publication of the agency (Store.published) whose day (Publication.published_on) lies "
    "in the period counts; the last N working days are counted back from the period's last day "
    "(that day included when it is a working day), N being option last_working_days, 5 by "
    "default. Every publication in that window is listed behind the lost points. Not scored "
    "below the minimum sample (10 by default)."
)


def _bunched_uploads(inp: IndicatorInput) -> Measure:
    n = int(inp.options.get("last_working_days", 5))
    period = inp.period
    start = inp.calendar.add_working_days(period.last + _ONE_DAY, -n)
    entries = list(inp.store.published(agency=inp.agency.code, start=period.first, end=period.last))
    faults = [
        Fault(
            "publication",
            e.record_id,
            inp.agency.code,
            f"《{e.title}》{e.publication.published_on}发布，在本期最后{n}个工作日内（{start}起）",
            f"{e.title!r} published {e.publication.published_on}, in the period's last {n} "
            f"working days (from {start})",
            e.publication.published_on,
        )
        for e in entries
        if e.publication.published_on >= start
    ]
    return _share(
        "bunched_uploads",
        inp,
        len(entries),
        faults,
        good=False,
        empty_zh="本期没有发布",
        empty_en="nothing published in the period",
    )


# -- 8-10. plan tasks, inquiries, public opinion (computed in _adapters) ------------------------

PLANS_ZH = (
    "工作任务按期完成率 = 按期完成的任务数 ÷ 本期结算的任务数：本机关为牵头或责任单位的年度政务"
    "公开工作要点任务（govdisclose.plans，按期的每一次各算一项），完成时限前报告完成的为按期，"
    "以完成之日为结算日；逾期完成或逾期未完成的，以完成时限的次日为结算日；计入结算日所在期间"
    "（期末当天到期而未完成的任务计入下一期）。逾期完成或逾期未完成的每一项任务都是失分记录；"
    "“长期坚持”的任务和尚未到期的任务不计入。样本为0项时不评分。"
)
PLANS_EN = (
    "Plan tasks done on time = tasks done by their due date / tasks of the agency (lead or "
    "responsible unit) settled in the period, from the year's work plan (govdisclose.plans; "
    "each occurrence of a recurring task is one task). A task reported done by its due date "
    "settles on the day it was done, a task done late or still open past its due date on the "
    "day after the due date; it counts in the period of its settle day (a task due on a "
    "period's last day and still open counts in the next). Every task done late or still "
    "open past its due date is a fault; ongoing (长期坚持) tasks and tasks not yet due do not "
    "count. Not scored on an empty sample."
)
INQUIRIES_ZH = (
    "政务咨询按时答复率 = 按期答复的咨询、投诉部分数 ÷ 本期结算的部分数。一件政务信息查询按"
    "承办单位分为若干部分（inquiries.parts：首问受理、经政府办转发、首问负责转交、投诉），每一"
    "部分有自己的期限（inquiries.unit_clocks：一般咨询5个工作日，重要复杂10个，投诉15个，经批准"
    "延长的从其延长，每级转办加5个工作日，种子文件003篇5）；本机关承办的部分计入本机关，不论"
    "首问单位是谁。答复或转办不晚于期限的，以该日为结算日；逾期的以期限届满次日为结算日，计入"
    "结算日所在期间；期限仍在进行的不计入。逾期答复或逾期未答复的每一部分都是失分记录（已说明"
    "情况的照计，并注明）。只看考核基准日以前的事件。样本为0时不评分。"
)
INQUIRIES_EN = (
    "Inquiries answered on time = inquiry parts answered by their due date / parts settled in "
    "the period. A 政务信息查询 splits into parts per unit (inquiries.parts: received, forwarded, "
    "passed on under 首问负责, complaint), each on its own clock (inquiries.unit_clocks: 5 working "
    "days for a general question, 10 for a complex one, 15 for a complaint, an approved "
    "extension, 5 more per forwarding level; seed 003 篇5); a part the agency holds counts for "
    "it, whoever received the case. A part answered or forwarded by its due date settles on "
    "that day, a late one on the day after its due date, in whose period it counts; parts "
    "still running do not count. Every part answered late or unanswered past its due date is "
    "a fault (an explained one too, with the explanation noted). Only events up to the "
    "assessment day are read. Not scored on an empty sample."
)
OPINION_ZH = (
    "舆情回应及时率 = 按时完成的回应时限数 ÷ 本期检测到的舆情的回应时限数。本机关为涉事责任"
    "部门的舆情案件（opinion.OpinionCase），按其现行等级取时限（opinion.duties）：涉及特别重大、"
    "重大突发事件的，5小时内发布权威信息、24小时内举行新闻发布会；其余的48小时内予以回应"
    "（国办发〔2016〕61号、80号，种子文件002）。自监测发现时起按日历小时计算（北京时间），于"
    "考核基准日终了时判断：按时完成的以完成之日、超时的以时限届满之日为结算日，计入结算日所在"
    "期间；超时完成或已超时未完成的每一个时限是失分记录，时限未到的不计入。样本为0时不评分。"
)
OPINION_EN = (
    "Opinion response = hour limits met / hour limits of the agency's public-opinion cases "
    "detected in the period (opinion.duties by the current grade: for a 特别重大 or 重大 "
    "emergency, authoritative information within 5 hours and a press conference within 24; "
    "otherwise a response within 48; 国办发〔2016〕61号 and 80号, seed 002), calendar hours "
    "from detection in Asia/Shanghai, judged at the end of the assessment day. A limit met in "
    "time settles on the day it was met, one missed on the day it ran out, and counts in the "
    "period of that day: every limit met late or still unmet past its due moment is a fault, "
    "limits not yet due do not count. Not scored on an empty sample."
)


# -- the registry ------------------------------------------------------------------------------

for _ind in (
    Indicator(
        "reply_on_time",
        "依申请公开按时答复率",
        "applications replied on time",
        REPLY_ZH,
        REPLY_EN,
        "share",
        True,
        1,
        _reply_on_time,
        basis="条例2019第三十三条",
    ),
    Indicator(
        "proactive_on_time",
        "主动公开及时率",
        "proactive records published on time",
        PROACTIVE_ZH,
        PROACTIVE_EN,
        "share",
        True,
        1,
        _proactive_on_time,
        basis="条例2019第二十六条",
    ),
    Indicator(
        "interpretation_coverage",
        "规范性文件解读配发率",
        "interpretation coverage of normative documents",
        INTERPRETATION_ZH,
        INTERPRETATION_EN,
        "share",
        True,
        1,
        _interpretation_coverage,
        basis="规则GD-R014；种子文件000（七）",
        options={"kinds": list(_DEFAULT_KINDS), "working_days": 0},
    ),
    Indicator(
        "review_corrections",
        "复议诉讼纠错率",
        "review and litigation correction rate",
        CORRECTIONS_ZH,
        CORRECTIONS_EN,
        "share",
        False,
        1,
        _review_corrections,
        basis="国办公开办函〔2021〕30号 表四",
    ),
    Indicator(
        "report_on_time",
        "年度报告按时公布",
        "annual report published on time",
        REPORT_ON_TIME_ZH,
        REPORT_ON_TIME_EN,
        "count",
        False,
        1,
        _report_on_time,
        basis="条例2019第四十九条",
        options={"title_contains": "年度报告"},
    ),
    Indicator(
        "report_consistent",
        "年度报告数据一致",
        "annual report consistent",
        REPORT_CONSISTENT_ZH,
        REPORT_CONSISTENT_EN,
        "count",
        False,
        1,
        _report_consistent,
        basis="国办公开办函〔2021〕30号",
        options={"title_contains": "年度报告"},
    ),
    Indicator(
        "bunched_uploads",
        "突击上传比例",
        "uploads bunched before the deadline",
        BUNCHED_ZH,
        BUNCHED_EN,
        "share",
        False,
        10,
        _bunched_uploads,
        basis="种子文件004",
        options={"last_working_days": 5},
    ),
    Indicator(
        "plan_tasks_on_time",
        "工作任务按期完成率",
        "plan tasks done on time",
        PLANS_ZH,
        PLANS_EN,
        "share",
        True,
        1,
        plan_tasks_on_time,
        basis="种子文件000 附件2；003 篇1",
    ),
    Indicator(
        "inquiry_on_time",
        "政务咨询按时答复率",
        "inquiries answered on time",
        INQUIRIES_ZH,
        INQUIRIES_EN,
        "share",
        True,
        1,
        inquiry_on_time,
        basis="种子文件003（96128政务信息查询）",
    ),
    Indicator(
        "opinion_response",
        "舆情回应及时率",
        "public-opinion response on time",
        OPINION_ZH,
        OPINION_EN,
        "share",
        True,
        1,
        opinion_response,
        basis="种子文件002",
    ),
):
    register_indicator(_ind)
