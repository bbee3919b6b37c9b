"""Work plans (issue 16): the 完成时限 forms of the seeds, the Excel table with messy headers
and a bad row, status as of a day (hand-computed), recurring tasks across a quarter boundary,
回头看, and the outcomes the assessment scores."""

from __future__ import annotations

import io
from datetime import date, datetime

import attrs
import pytest
from hypothesis import given, strategies as st

from govdisclose.errors import InvalidTransition, NotFound, ValidationError
from govdisclose.model import Agency
from govdisclose.plans import (
    DueFormError,
    DueKind,
    DueRule,
    Evidence,
    Frequency,
    PlanImportError,
    PlanTask,
    ProgressReport,
    ProgressState,
    TaskState,
    WorkPlan,
    file_report,
    format_due,
    header_field,
    import_plan,
    parse_due,
    plan_reports,
    plan_status,
    read_plan_table,
    review_list,
    save_plan,
    split_units,
    status_workbook,
    task_outcomes,
    unit_agencies,
)
from govdisclose.testing import MemoryStore
from govdisclose.vocab import AgencyKind, AgencyLevel

openpyxl = pytest.importorskip("openpyxl")

D = date

# -- 完成时限 ---------------------------------------------------------------------------------

# Every form the seeds write (000 附件2 and §四, 002 §(一)/(九)/closing paragraph, 003 篇1 五、,
# 篇6 items 18 and 21), read in a plan of 2024, with the due dates worked out by hand.
SEED_FORMS = [
    ("2014年9月底", DueKind.BY_DATE, (D(2014, 9, 30),)),
    ("2014年10月底", DueKind.BY_DATE, (D(2014, 10, 31),)),
    ("2014年12月底", DueKind.BY_DATE, (D(2014, 12, 31),)),
    ("9月底前", DueKind.BY_DATE, (D(2024, 9, 30),)),
    ("10月底前", DueKind.BY_DATE, (D(2024, 10, 31),)),
    ("9月10日前", DueKind.BY_DATE, (D(2024, 9, 10),)),
    ("分别于9月10日前、10月25日前", DueKind.DATES, (D(2024, 9, 10), D(2024, 10, 25))),
    ("7月份", DueKind.BY_DATE, (D(2024, 7, 31),)),
    ("8月份", DueKind.BY_DATE, (D(2024, 8, 31),)),
    ("2018年4月10日前", DueKind.BY_DATE, (D(2018, 4, 10),)),
    ("年底", DueKind.BY_DATE, (D(2024, 12, 31),)),
    ("年底前", DueKind.BY_DATE, (D(2024, 12, 31),)),
    ("年内", DueKind.BY_DATE, (D(2024, 12, 31),)),
    ("2008年8月8日前", DueKind.BY_DATE, (D(2008, 8, 8),)),
    ("2008年8月18前", DueKind.BY_DATE, (D(2008, 8, 18),)),
    ("6月30日前", DueKind.BY_DATE, (D(2024, 6, 30),)),
    ("3月30日前", DueKind.BY_DATE, (D(2024, 3, 30),)),
    ("八月底前", DueKind.BY_DATE, (D(2024, 8, 31),)),
    ("上半年", DueKind.BY_DATE, (D(2024, 6, 30),)),
    ("今年上半年", DueKind.BY_DATE, (D(2024, 6, 30),)),
    ("2021年底前", DueKind.BY_DATE, (D(2021, 12, 31),)),
    ("2021年6月底前", DueKind.BY_DATE, (D(2021, 6, 30),)),
    ("一季度", DueKind.BY_DATE, (D(2024, 3, 31),)),
    ("实时", DueKind.ONGOING, ()),
    ("及时", DueKind.ONGOING, ()),
    ("长期坚持", DueKind.ONGOING, ()),
    ("", DueKind.UNSPECIFIED, ()),
    ("２０２４年９月３０日", DueKind.BY_DATE, (D(2024, 9, 30),)),  # full-width digits
]


@pytest.mark.parametrize(("text", "kind", "dates"), SEED_FORMS)
def test_every_seed_form_is_read(text: str, kind: DueKind, dates: tuple[date, ...]) -> None:
    rule = parse_due(text, 2024)
    assert (rule.kind, rule.dates, rule.text) == (kind, dates, text.strip())


@pytest.mark.parametrize(
    ("text", "frequency", "first_due", "periods"),
    [
        ("每季度", Frequency.QUARTERLY, D(2024, 3, 31), 4),
        ("每月", Frequency.MONTHLY, D(2024, 1, 31), 12),
        ("每半年", Frequency.HALF_YEARLY, D(2024, 6, 30), 2),
        ("每年", Frequency.YEARLY, D(2024, 12, 31), 1),
        ("每月10日前", Frequency.MONTHLY, D(2024, 1, 10), 12),
        ("每季度结束后10日内", Frequency.QUARTERLY, D(2024, 4, 10), 4),
    ],
)
def test_recurring_forms_have_one_due_date_per_period(
    text: str, frequency: Frequency, first_due: date, periods: int
) -> None:
    rule = parse_due(text, 2024)
    occ = rule.occurrences(2024)
    assert rule.kind is DueKind.RECURRING
    assert rule.frequency is frequency
    assert (occ[0].due, len(occ)) == (first_due, periods)


def test_monthly_due_dates_follow_the_calendar() -> None:
    """February 2024 ends on the 29th; 每月 falls due on each month's last day."""
    dues = [o.due for o in parse_due("每月", 2024).occurrences(2024)]
    assert dues[1] == D(2024, 2, 29)
    assert dues[3] == D(2024, 4, 30)
    assert [o.period for o in parse_due("每季度", 2024).occurrences(2024)] == [
        "2024Q1",
        "2024Q2",
        "2024Q3",
        "2024Q4",
    ]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2024年9月31日前", "没有这一天"),
        ("2024年13月底", "没有这一天"),
        ("9月3O日前", "不是日期"),
        ("下周", "不是日期"),
        ("每月40日前", "超出范围"),
    ],
)
def test_an_unreadable_due_text_is_an_error_naming_it(text: str, why: str) -> None:
    with pytest.raises(DueFormError) as caught:
        parse_due(text, 2024)
    assert caught.value.text == text
    assert caught.value.code == "plans.bad_due"
    assert text in caught.value.message_zh
    assert why in caught.value.message_zh
    assert text in caught.value.message_en


@st.composite
def rules(draw: st.DrawFn) -> DueRule:
    kind = draw(
        st.sampled_from([DueKind.BY_DATE, DueKind.DATES, DueKind.RECURRING, DueKind.ONGOING])
    )
    days = st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31))
    if kind is DueKind.BY_DATE:
        return DueRule(kind, dates=(draw(days),))
    if kind is DueKind.DATES:
        ds = draw(st.sets(days, min_size=2, max_size=4))
        return DueRule(kind, dates=tuple(sorted(ds)))
    if kind is DueKind.RECURRING:
        freq = draw(st.sampled_from(list(Frequency)))
        extra = draw(st.sampled_from(["none", "day", "after"]))
        return DueRule(
            kind,
            frequency=freq,
            day=draw(st.integers(1, 31)) if extra == "day" else None,
            after_days=draw(st.integers(0, 60)) if extra == "after" else None,
        )
    return DueRule(kind)


@given(rules(), st.integers(2000, 2040))
def test_format_then_parse_gives_the_rule_back(rule: DueRule, year: int) -> None:
    text = format_due(rule, year)
    assert parse_due(text, year) == attrs.evolve(rule, text=text)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31)))
def test_a_date_cell_is_its_own_due_date(day: date) -> None:
    cell = datetime(day.year, day.month, day.day)
    assert parse_due(cell, 2024).dates == (day,)


def test_units_are_split_as_the_seed_tables_write_them() -> None:
    assert split_units("县编办会同县法制办牵头，县政府各部门、各有关单位落实") == (
        ("县编办", "县法制办"),
        ("县政府各部门", "各有关单位"),
    )
    assert split_units("县住建局、县房管局牵头") == (("县住建局", "县房管局"), ())
    assert split_units("县政府相关部门,各乡镇人民政府,经开区管委会") == (
        (),
        ("县政府相关部门", "各乡镇人民政府", "经开区管委会"),
    )
    assert split_units("县教育局、县卫生健康局等", lead_column=True) == (
        ("县教育局", "县卫生健康局"),
        (),
    )
    # 和 is inside names, 及 separates
    assert split_units("县人力资源和社会保障局及县民政局") == (
        (),
        ("县人力资源和社会保障局", "县民政局"),
    )


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("序 号", "number"),
        ("工作任务", "task"),
        ("工 作 任 务", "task"),
        ("牵头单位（部门）", "lead"),
        ("牵头部门", "lead"),
        ("责任部门", "units"),
        ("责任单位", "units"),
        ("完成时间", "due"),
        ("时限要求", "due"),
        ("完成时限：", "due"),
        ("工作要求", "requirement"),
        ("类别", "category"),
        ("二〇二四年政务公开工作要点任务分解表", None),
    ],
)
def test_headers_are_matched_leniently(header: str, key: str | None) -> None:
    assert header_field(header) == key


# -- the Excel table ------------------------------------------------------------------------------

TITLE = "2024年全县政务公开工作要点任务分解表"


def messy_table(bad: bool = True) -> bytes:
    """A table as an office sends it: a merged title row, a blank row, headers with spaces,
    full-width brackets and synonyms, merged section rows, a subsection line, a lead unit
    merged over two rows, a date cell, a blank row, the header repeated, and (``bad``) a
    typo in a date."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "任务分解"
    ws.append([TITLE])
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(["序 号", "工 作 任 务", "牵头单位（部门）", "责任部门", "时限要求", "备注"])
    ws.append(["一、深化重点领域信息公开"])
    ws.merge_cells("A4:F4")
    ws.append(
        [
            1,
            "公开本地“十四五”规划纲要和专项规划",
            "县政府办公室、县发改局",
            "县政府各部门",
            "2024年6月底前",
            None,
        ]
    )
    ws.append(["（一）做好财政信息公开"])
    ws.append(
        [
            2,
            "通过集中统一平台定期公开政府债务限额、余额等信息",
            "县财政局",
            "县政府相关部门，各乡镇人民政府",
            "每季度",
            None,
        ]
    )
    ws.append([3, "做好政府债券存续期信息公开", None, "县审计局", datetime(2024, 9, 10), "附清单"])
    ws.merge_cells("C7:C8")
    ws.append(
        [
            4,
            "公开惠民惠农财政补贴政策文件清单",
            "县统计局",
            None,
            "9月31日前" if bad else "9月30日前",
            None,
        ]
    )
    ws.append([])
    ws.append(["二、加强政策解读回应"])
    ws.merge_cells("A11:F11")
    ws.append(["序号", "工作任务", "牵头单位", "责任单位", "完成时限", "备注"])
    ws.append(
        [
            5,
            "密切关注涉及疫情防控等方面的舆情，按照规定及时、权威发声",
            None,
            "县政府各部门及各乡镇人民政府",
            "长期坚持",
            None,
        ]
    )
    ws.append(
        [6, "系统清理本级政府现行有效规章并集中公开", "县司法局", "县政府各部门", "年底前", None]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_one_bad_row_refuses_the_table_and_is_named() -> None:
    with pytest.raises(PlanImportError) as caught:
        read_plan_table(messy_table(), year=2024, agency="county-gov")
    problems = caught.value.problems
    assert len(problems) == 1
    p = problems[0]
    assert (p.sheet, p.row, p.column, p.header, p.text) == (
        "任务分解",
        9,
        "E",
        "完成时限",
        "9月31日前",
    )
    assert "没有这一天" in p.reason_zh
    assert "任务分解!E9" in caught.value.message_zh
    assert caught.value.report is not None
    assert caught.value.report.plan is None


def test_lenient_mode_skips_the_bad_row_and_reads_the_rest() -> None:
    report = read_plan_table(messy_table(), year=2024, agency="county-gov", lenient=True)
    plan = report.plan
    assert plan is not None
    assert [t.number for t in plan.tasks] == ["1", "2", "3", "5", "6"]
    assert report.skipped == (9,)
    assert len(report.problems) == 1
    assert plan.title == TITLE
    assert plan.id == "county-gov-2024"
    assert {k for k, _, _ in report.columns} == {"number", "task", "lead", "units", "due", "note"}
    assert any("重复的表头" in n for n in report.notes)
    t1, t2, t3, t5, t6 = plan.tasks
    assert t1.section == "一、深化重点领域信息公开"
    assert t1.subsection is None
    assert (t2.section, t2.subsection) == ("一、深化重点领域信息公开", "（一）做好财政信息公开")
    assert t5.section == "二、加强政策解读回应"
    assert t5.subsection is None
    assert t1.lead_units == ("县政府办公室", "县发改局")
    assert t1.units == ("县政府各部门",)
    assert t2.units == ("县政府相关部门", "各乡镇人民政府")
    # the lead unit merged over rows 7-8 belongs to task 3 as well
    assert t3.lead_units == ("县财政局",)
    assert t3.due.dates == (D(2024, 9, 10),)
    assert t3.note == "附清单"
    assert t2.due.frequency is Frequency.QUARTERLY
    assert t5.due.kind is DueKind.ONGOING
    assert t5.lead_units == ()
    assert t5.units == ("县政府各部门", "各乡镇人民政府")
    assert t6.due.dates == (D(2024, 12, 31),)


def test_the_fixed_table_imports_whole_and_is_stored() -> None:
    store = _store()
    report = import_plan(store, messy_table(bad=False), year=2024, agency="county-gov")
    assert report.ok
    assert report.plan is not None
    assert len(report.plan.tasks) == 6
    assert store.get_item(WorkPlan, "county-gov-2024") == report.plan


def test_a_refused_table_stores_nothing() -> None:
    store = _store()
    with pytest.raises(PlanImportError):
        import_plan(store, messy_table(), year=2024, agency="county-gov")
    assert list(store.items(WorkPlan)) == []


def test_seed_000_layout_with_category_and_requirement_columns() -> None:
    """Seed 000 附件2: 类别 (merged down, giving the section) / 工作任务 (a short name) / 工作
    要求 (the text) / 完成时限 / 责任单位 with “X牵头，Y落实”, and a shared deadline merged down."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "附件2"
    ws.append(["当前政府信息公开重点工作安排表"])
    ws.append(["类别", "工作任务", "工作要求", "完成时限", "责任单位"])
    ws.append(
        [
            "三、推进行政权力运行信息公开",
            "行政审批信息公开",
            "建立健全行政审批目录管理制度，编制行政审批事项目录，公开行政审批事项清单。",
            "2014年9月底",
            "县编办会同县法制办牵头，县政府各部门、各有关单位落实",
        ]
    )
    ws.append(
        [None, None, "对行政审批事项目录实行动态管理，及时调整行政审批事项清单。", "实时", None]
    )
    ws.append(
        [
            None,
            "行政处罚信息公开",
            "对适用一般程序查办的行政案件应主动公开案件的名称。",
            "实时",
            "具有行政处罚权的行政机关",
        ]
    )
    ws.merge_cells("A3:A5")
    ws.merge_cells("B3:B4")
    ws.merge_cells("E3:E4")
    out = io.BytesIO()
    book.save(out)
    plan = read_plan_table(out.getvalue(), year=2014, agency="county-gov").plan
    assert plan is not None
    a, b, c = plan.tasks
    assert [t.number for t in plan.tasks] == ["1", "2", "3"]
    assert {t.section for t in plan.tasks} == {"三、推进行政权力运行信息公开"}
    assert (a.title, b.title, c.title) == (
        "行政审批信息公开",
        "行政审批信息公开",
        "行政处罚信息公开",
    )
    assert a.lead_units == b.lead_units == ("县编办", "县法制办")
    assert a.units == ("县政府各部门", "各有关单位")
    assert a.due.dates == (D(2014, 9, 30),)
    assert b.due.kind is DueKind.ONGOING
    assert c.units == ("具有行政处罚权的行政机关",)


def test_a_sheet_without_a_header_and_a_file_that_is_no_workbook() -> None:
    book = openpyxl.Workbook()
    book.active.append(["随便", "什么"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(PlanImportError) as caught:
        read_plan_table(out.getvalue(), year=2024, agency="a")
    assert caught.value.code == "plans.no_header"
    with pytest.raises(PlanImportError) as caught:
        read_plan_table(b"not a zip", year=2024, agency="a")
    assert caught.value.code == "plans.unreadable_file"
    with pytest.raises(PlanImportError) as caught:
        read_plan_table(messy_table(), year=2024, agency="a", sheet="Sheet9")
    assert caught.value.code == "plans.no_sheet"
    assert "任务分解" in caught.value.message_zh


def test_a_row_without_units_and_a_duplicate_number_are_named() -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["序号", "工作任务", "责任单位", "完成时间"])
    ws.append([1, "任务甲", "县财政局", "年底前"])
    ws.append([1, "任务乙", "县审计局", "年底前"])
    ws.append([2, "任务丙", None, "年底前"])
    out = io.BytesIO()
    book.save(out)
    report = read_plan_table(out.getvalue(), year=2024, agency="a", lenient=True)
    assert [(p.row, p.column) for p in report.problems] == [(3, "A"), (4, "C")]
    assert "重复" in report.problems[0].reason_zh
    assert "没有牵头单位" in report.problems[1].reason_zh
    assert report.plan is not None
    assert [t.text for t in report.plan.tasks] == ["任务甲"]


# -- status ----------------------------------------------------------------------------------


def _agencies() -> list[Agency]:
    gov = Agency("county-gov", "某县人民政府办公室", AgencyLevel.COUNTY, AgencyKind.GOVERNMENT)
    deps = [
        ("county-fin", "某县财政局"),
        ("county-audit", "某县审计局"),
        ("county-dev", "某县发改局"),
        ("county-justice", "某县司法局"),
    ]
    return [gov, *(Agency(c, n, AgencyLevel.COUNTY, parent="county-gov") for c, n in deps)]


def _store() -> MemoryStore:
    store = MemoryStore()
    for a in _agencies():
        store.put_agency(a)
    return store


def _plan() -> WorkPlan:
    report = read_plan_table(messy_table(), year=2024, agency="county-gov", lenient=True)
    assert report.plan is not None
    return report.plan


EV = (Evidence.record("R-1"),)


def _reports(store: MemoryStore, plan: WorkPlan) -> None:
    # task 1 (due 2024-06-30): the office on time, 发改局 one day late, 各部门 nothing
    file_report(store, plan, "1", unit="县政府办公室", on=D(2024, 6, 20), evidence=EV)
    file_report(store, plan, "1", unit="县发改局", on=D(2024, 7, 1), evidence=EV)
    # task 2 (每季度): 财政局 Q1 on time; a report on 2 April without a period is the second
    # quarter's (its window holds the day), not a late first quarter's
    file_report(store, plan, "2", unit="县财政局", on=D(2024, 3, 28), evidence=EV)
    file_report(store, plan, "2", unit="县财政局", on=D(2024, 4, 2), evidence=EV)
    # task 3: work in progress
    file_report(store, plan, "3", unit="县审计局", on=D(2024, 6, 1), done=False)
    # a report made after the status day is not seen
    file_report(store, plan, "6", unit="县司法局", on=D(2024, 8, 1), evidence=EV)


def _state(rows: object, task: str, unit: str, period: str | None = None) -> TaskState:
    found = [
        r
        for r in rows  # type: ignore[attr-defined]
        if r.task == task and r.unit == unit and (period is None or r.period == period)
    ]
    assert len(found) == 1, found
    return found[0].state  # type: ignore[no-any-return]


def test_status_as_of_a_day_hand_computed() -> None:
    store = _store()
    plan = _plan()
    save_plan(store, plan)
    _reports(store, plan)
    status = plan_status(plan, plan_reports(store, plan), as_of=D(2024, 7, 1))
    rows = status.rows
    assert _state(rows, "1", "县政府办公室") is TaskState.DONE_ON_TIME
    assert _state(rows, "1", "县发改局") is TaskState.DONE_LATE
    assert _state(rows, "1", "县政府各部门") is TaskState.OVERDUE
    assert _state(rows, "2", "县财政局", "2024Q1") is TaskState.DONE_ON_TIME
    assert _state(rows, "2", "县财政局", "2024Q2") is TaskState.DONE_ON_TIME
    assert _state(rows, "2", "县财政局", "2024Q3") is TaskState.NOT_STARTED
    assert _state(rows, "2", "县财政局", "2024Q4") is TaskState.UPCOMING
    assert _state(rows, "2", "各乡镇人民政府", "2024Q1") is TaskState.OVERDUE
    assert _state(rows, "3", "县财政局") is TaskState.NOT_STARTED
    assert _state(rows, "3", "县审计局") is TaskState.IN_PROGRESS
    assert _state(rows, "5", "县政府各部门") is TaskState.ONGOING
    assert _state(rows, "6", "县司法局") is TaskState.NOT_STARTED  # its report is from August
    # 3 units x 1 + 3 units x 4 quarters + 2 + 2 + 2 rows
    assert len(rows) == 3 + 12 + 2 + 2 + 2
    by_unit = status.by_unit()
    assert [(r.task, r.period) for r in by_unit["县政府相关部门"].overdue] == [
        ("2", "2024Q1"),
        ("2", "2024Q2"),
    ]
    assert [r.task for r in by_unit["县政府各部门"].overdue] == ["1"]
    assert by_unit["县发改局"].overdue == ()
    assert by_unit["县财政局"].overdue == ()
    assert len(status.overdue()) == 1 + 2 + 2


def test_due_soon_and_the_unit_filter() -> None:
    store = _store()
    plan = _plan()
    save_plan(store, plan)
    _reports(store, plan)
    status = plan_status(plan, plan_reports(store, plan), as_of=D(2024, 9, 5), unit="县审计局")
    assert {r.unit for r in status.rows} == {"县审计局"}
    assert [(r.task, r.days_left) for r in status.due_soon()] == [("3", 5)]
    later = plan_status(plan, plan_reports(store, plan), as_of=D(2024, 9, 11), unit="县审计局")
    assert [(r.task, r.days_left) for r in later.overdue()] == [("3", -1)]
    with pytest.raises(ValidationError):
        plan_status(plan, [], as_of=D(2024, 9, 5), soon=-1)


def test_a_recurring_task_across_a_quarter_boundary() -> None:
    """Q1 of 每季度 falls due on 31 March: done on 31 March is on time, on 1 April late when
    the report names Q1, and the second quarter's when it names no period."""
    plan = WorkPlan(
        "p",
        "county-gov",
        2024,
        "计划",
        (PlanTask("1", "每季度公开债务信息", parse_due("每季度", 2024), units=("县财政局",)),),
    )

    def report(on: date, period: str | None) -> ProgressReport:
        return ProgressReport(
            f"r-{on}-{period}",
            "county-gov",
            "p",
            "1",
            "县财政局",
            on,
            ProgressState.DONE,
            period=period,
            evidence=EV,
        )

    def states(reports: list[ProgressReport], as_of: date) -> dict[str | None, TaskState]:
        return {r.period: r.state for r in plan_status(plan, reports, as_of=as_of).rows}

    on_time = states([report(D(2024, 3, 31), None)], D(2024, 4, 1))
    assert on_time["2024Q1"] is TaskState.DONE_ON_TIME
    assert on_time["2024Q2"] is TaskState.NOT_STARTED
    late = states([report(D(2024, 4, 1), "2024Q1")], D(2024, 4, 1))
    assert late["2024Q1"] is TaskState.DONE_LATE
    unnamed = states([report(D(2024, 4, 1), None)], D(2024, 4, 1))
    assert unnamed["2024Q1"] is TaskState.OVERDUE
    assert unnamed["2024Q2"] is TaskState.DONE_ON_TIME
    # 31 March itself: open, due today -> due soon, not overdue
    assert states([], D(2024, 3, 31))["2024Q1"] is TaskState.DUE_SOON
    assert states([], D(2024, 3, 31))["2024Q2"] is TaskState.UPCOMING


def test_a_report_names_a_real_period_and_a_done_report_has_evidence() -> None:
    store = _store()
    plan = _plan()
    save_plan(store, plan)
    with pytest.raises(ValidationError) as caught:
        file_report(
            store, plan, "2", unit="县财政局", on=D(2024, 4, 1), period="2024Q5", evidence=EV
        )
    assert caught.value.code == "plans.bad_period"
    assert "2024Q4" in caught.value.message_zh
    with pytest.raises(ValidationError) as caught:
        file_report(store, plan, "1", unit="县财政局", on=D(2024, 4, 1))
    assert caught.value.code == "plans.no_evidence"
    with pytest.raises(NotFound):
        file_report(store, plan, "99", unit="县财政局", on=D(2024, 4, 1), evidence=EV)
    assert list(store.items(ProgressReport)) == []


def test_evidence_of_a_file_is_its_name_size_and_sha256(tmp_path: object) -> None:
    import hashlib
    from pathlib import Path

    path = Path(str(tmp_path)) / "工作方案.pdf"
    path.write_bytes(b"%PDF-1.4 plan")
    ev = Evidence.of_file(path)
    assert (ev.name, ev.size, ev.sha256) == (
        "工作方案.pdf",
        13,
        hashlib.sha256(b"%PDF-1.4 plan").hexdigest(),
    )
    with pytest.raises(ValidationError):
        Evidence.file("x.pdf", 1, "not-a-digest")


# -- 回头看 ------------------------------------------------------------------------------------


def test_review_lists_last_years_open_tasks_with_their_history() -> None:
    store = _store()
    plan = _plan()
    save_plan(store, plan)
    _reports(store, plan)
    review = review_list(store, 2024, agency="county-gov")
    assert review.as_of == D(2025, 1, 1)
    keys = {(i.task.number, i.unit, i.period) for i in review.items}
    # task 1: 各部门 never reported; task 2: every quarter of the two collectives, Q3 and Q4
    # of 财政局; task 3 both units (审计局 only in progress); task 6: 各部门
    expected = {("1", "县政府各部门", "2024-06-30")}
    for unit in ("县政府相关部门", "各乡镇人民政府"):
        expected |= {("2", unit, f"2024Q{q}") for q in range(1, 5)}
    expected |= {("2", "县财政局", "2024Q3"), ("2", "县财政局", "2024Q4")}
    expected |= {("3", "县财政局", "2024-09-10"), ("3", "县审计局", "2024-09-10")}
    expected |= {("6", "县政府各部门", "2024-12-31")}
    assert keys == expected
    audit = next(i for i in review.items if i.unit == "县审计局")
    assert [r.state for r in audit.history] == [ProgressState.IN_PROGRESS]
    assert all(i.state is TaskState.OVERDUE for i in review.items)
    carried = review.carried_tasks(parse_due("3月底前", 2025))
    assert [t.carried_from for t in carried] == [
        "county-gov-2024#1",
        "county-gov-2024#2",
        "county-gov-2024#3",
        "county-gov-2024#6",
    ]
    assert carried[2].lead_units == ("县财政局",)
    assert carried[2].units == ("县审计局",)
    assert carried[0].section == "回头看：2024年未完成任务"
    assert review_list(store, 2023).items == ()


# -- for the assessment ----------------------------------------------------------------------


def test_units_stand_for_agencies() -> None:
    agencies = _agencies()
    gov = agencies[0]
    assert unit_agencies("县财政局", agencies, issuer=gov) == ("county-fin",)
    assert unit_agencies("县政府各部门", agencies, issuer=gov) == (
        "county-fin",
        "county-audit",
        "county-dev",
        "county-justice",
    )
    assert unit_agencies("各乡镇人民政府", agencies, issuer=gov) == ()
    assert unit_agencies("县统计局", agencies, issuer=gov) == ()


def test_task_outcomes_per_agency_hand_computed() -> None:
    """财政局 in the first half of 2024 as of 1 July: task 1 (held through 县政府各部门, never
    reported: late), task 2 Q1 and Q2 (on time); task 3 and 6 fall due later; task 5 is
    ongoing."""
    store = _store()
    plan = _plan()
    save_plan(store, plan)
    _reports(store, plan)
    got = task_outcomes(
        store, year=2024, agency="county-fin", as_of=D(2024, 7, 1), last=D(2024, 6, 30)
    )
    assert list(got) == ["county-fin"]
    lines = [(o.task, o.period, o.unit, o.on_time) for o in got["county-fin"]]
    assert lines == [
        ("1", "2024-06-30", "县政府各部门", False),
        ("2", "2024Q1", "县财政局", True),
        ("2", "2024Q2", "县财政局", True),
    ]
    q1 = got["county-fin"][1]
    assert [r.on for r in q1.reports] == [D(2024, 3, 28)]
    assert q1.record_ids == ("R-1",)
    everyone = task_outcomes(store, year=2024, as_of=D(2024, 7, 1), last=D(2024, 6, 30))
    dev = [(o.task, o.on_time) for o in everyone["county-dev"]]
    # 发改局 reported task 1 one day late, and is one of 县政府相关部门 on task 2
    assert dev == [("1", False), ("2", False), ("2", False)]
    whole_year = task_outcomes(store, year=2024, agency="county-audit", as_of=D(2024, 7, 1))
    # open occurrences not yet due (task 2 Q3/Q4, task 3, task 6) are undecided: left out
    assert [(o.task, o.period, o.on_time) for o in whole_year["county-audit"]] == [
        ("1", "2024-06-30", False),
        ("2", "2024Q1", False),
        ("2", "2024Q2", False),
        ("2", "2024Q3", None),
        ("2", "2024Q4", None),
        ("3", "2024-09-10", None),
        ("6", "2024-12-31", None),
    ]
    assert sum(o.counted for o in whole_year["county-audit"]) == 3
    with pytest.raises(NotFound):
        task_outcomes(store, year=2024, agency="nobody", as_of=D(2024, 7, 1))


# -- kept-item rules --------------------------------------------------------------------------


def test_a_stored_report_is_never_rewritten_and_a_plan_keeps_its_year() -> None:
    store = _store()
    plan = _plan()
    save_plan(store, plan)
    report = file_report(store, plan, "1", unit="县财政局", on=D(2024, 5, 1), evidence=EV)
    with pytest.raises(InvalidTransition):
        store.put_item(attrs.evolve(report, note="改"), expected_version=1)
    with pytest.raises(InvalidTransition):
        store.put_item(attrs.evolve(plan, year=2025), expected_version=1)
    assert store.get_item(ProgressReport, report.id) == report


def test_the_status_workbook_has_dates_as_dates() -> None:
    store = _store()
    plan = _plan()
    save_plan(store, plan)
    _reports(store, plan)
    status = plan_status(plan, plan_reports(store, plan), as_of=D(2024, 7, 1))
    book = openpyxl.load_workbook(io.BytesIO(status_workbook(status)))
    ws = book["任务完成情况"]
    assert ws["A2"].value == "序号"
    assert ws["H2"].value == "到期日"
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(status.rows)
    first = rows[0]
    assert first[0] == "1"
    assert first[7] == datetime(2024, 6, 30)
    assert first[9] == "按期完成"
    assert ws["H3"].is_date
    assert ws["H3"].number_format == "yyyy-mm-dd"
    summary = {r[0]: r[-1] for r in book["各单位汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["县财政局"] == 4 + 1  # task 2's four quarters and task 3
