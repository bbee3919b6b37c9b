"""The 依申请公开登记台账: three offices' ledgers read into the same applications, bad cells
named, dates in every form clerks write, the export read back, records imported."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, strategies as st

from govdisclose.calendar import WorkCalendar
from govdisclose.deadlines import ClockState
from govdisclose.ledger import (
    NOT_RECORDED,
    CellError,
    LedgerImportError,
    fold,
    import_ledger,
    import_records,
    ledger_csv,
    ledger_matcher,
    ledger_table,
    ledger_workbook,
    read_date,
    read_flag,
    read_ledger,
    read_records,
)
from govdisclose.lifecycle import apply_all
from govdisclose.model import (
    Agency,
    Applicant,
    Application,
    CorrectionReceived,
    CorrectionRequested,
    Extended,
    FeeNotified,
    FeePaid,
    Received,
    Replied,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    Withdrawn,
)
from govdisclose.params import ParameterSet
from govdisclose.testing import MemoryStore
from govdisclose.vocab import (
    AgencyKind,
    AgencyLevel,
    ApplicantType,
    Channel,
    DisclosureAttribute,
    FeeMethod,
    Outcome,
)

openpyxl = pytest.importorskip("openpyxl")

AGENCY = "county-gov"
PARAMS = ParameterSet.default()
CAL = WorkCalendar.default()


# -- the five applications, by hand -----------------------------------------------------------


def _app(
    n: int, name: str, kind: ApplicantType, channel: Channel, request: str, *events: Any
) -> Application:
    base = Application(
        id=f"{AGENCY}-2026-{n:03d}",
        agency=AGENCY,
        applicant=Applicant(type=kind, name=name),
        channel=channel,
        request=request,
    )
    return apply_all(base, events)


REQUESTS = (
    "2025年本县财政预算执行情况",
    "某路段房屋征收补偿方案",
    "2024年某河道整治工程验收报告",
    "本人承包地确权登记资料",
    "2025年行政处罚案件数量统计",
)
PARTIAL = "涉及第三方商业秘密的部分不予公开"
NOT_HELD = "经检索，本机关未制作、获取该信息"

EXPECTED = (
    _app(
        1,
        "张三",
        ApplicantType.NATURAL_PERSON,
        Channel.IN_PERSON,
        REQUESTS[0],
        Received(on=date(2026, 1, 5)),
        Replied(on=date(2026, 1, 20), outcome=Outcome.DISCLOSED),
    ),
    _app(
        2,
        "某某建设有限公司",
        ApplicantType.COMMERCIAL_ENTERPRISE,
        Channel.ONLINE,
        REQUESTS[1],
        Received(on=date(2026, 1, 6)),
        CorrectionRequested(on=date(2026, 1, 8), items=f"{NOT_RECORDED}补正事项"),
        CorrectionReceived(on=date(2026, 1, 12)),
        Replied(on=date(2026, 2, 3), outcome=Outcome.PARTIALLY_DISCLOSED, reasons=PARTIAL),
    ),
    _app(
        3,
        "李四",
        ApplicantType.NATURAL_PERSON,
        Channel.POST,
        REQUESTS[2],
        Received(on=date(2026, 1, 9)),
        Extended(
            on=date(2026, 2, 4), days=20, reason=f"{NOT_RECORDED}延期理由", approved_by=NOT_RECORDED
        ),
        Replied(on=date(2026, 3, 4), outcome=Outcome.NOT_HELD, reasons=NOT_HELD),
    ),
    _app(
        4,
        "王五",
        ApplicantType.NATURAL_PERSON,
        Channel.ORDINARY_LETTER,
        REQUESTS[3],
        Received(on=date(2026, 1, 12)),
        Withdrawn(on=date(2026, 1, 15)),
    ),
    _app(
        5,
        "某律师事务所",
        ApplicantType.LEGAL_SERVICE_ORG,
        Channel.ONLINE,
        REQUESTS[4],
        Received(on=date(2026, 1, 14)),
    ),
)


def _save(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- office A: one header row, the standard headers, date cells --------------------------------


def office_a() -> bytes:
    """县政府办: the headers as the issue lists them, Excel date cells, and the channels as
    offices write them (当面, 网上, 邮寄, 信函)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "台账"
    ws.append(
        [
            "序号",
            "申请日期",
            "申请人",
            "申请人类型",
            "申请方式",
            "申请内容",
            "是否补正",
            "补正告知日期",
            "收到补正日期",
            "是否延期",
            "延期日期",
            "答复日期",
            "答复结果",
            "答复理由",
            "是否收费",
            "备注",
        ]
    )
    d = date
    rows = [
        [1, d(2026, 1, 5), "张三", "自然人", "当面", REQUESTS[0], "否", None, None, "否", None,
         d(2026, 1, 20), "予以公开", None, "否", None],
        [2, d(2026, 1, 6), "某某建设有限公司", "商业企业", "网上", REQUESTS[1], "是",
         d(2026, 1, 8), d(2026, 1, 12), "否", None, d(2026, 2, 3), "部分公开", PARTIAL, "否",
         None],
        [3, d(2026, 1, 9), "李四", "自然人", "邮寄", REQUESTS[2], "否", None, None, "是",
         d(2026, 2, 4), d(2026, 3, 4), "本机关不掌握相关政府信息", NOT_HELD, "否", None],
        [4, d(2026, 1, 12), "王五", "自然人", "信函", REQUESTS[3], "否", None, None, "否", None,
         d(2026, 1, 15), "申请人撤回", None, "否", None],
        [5, d(2026, 1, 14), "某律师事务所", "法律服务机构", "网上", REQUESTS[4], "否", None,
         None, "否", None, None, None, None, "否", None],
    ]  # fmt: skip
    for row in rows:
        ws.append(row)
    return _save(book)


# -- office B: a title, two merged header rows, synonyms, Excel serial numbers -----------------


def serial(day: date) -> int:
    """The Excel (1900 system) serial number of ``day``: 45658 is 2025-01-01."""
    return 45658 + (day - date(2025, 1, 1)).days


def office_b() -> bytes:
    """某局: a merged title row, group labels merged over two header rows (申请情况 / 收到日期,
    方式, 内容; 申请人信息 / 姓名, 类型; 补正 / 告知日期, 收到日期 …), the dates typed as numbers
    (serials in General-formatted cells), ticks for yes."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "2026年登记"
    ws["A1"] = "某县人民政府办公室2026年政府信息公开申请登记台账"
    ws.merge_cells("A1:O1")
    groups = [
        ("A", "A", "序号"),
        ("B", "D", "申请情况"),
        ("E", "F", "申请人信息"),
        ("G", "H", "补正"),
        ("I", "J", "延期答复"),
        ("K", "M", "答复情况"),
        ("N", "N", "收费"),
        ("O", "O", "经办人"),
    ]
    for first, last, label in groups:
        ws[f"{first}2"] = label
        ws.merge_cells(f"{first}2:{last}{2 if first != last else 3}")
    parts = {"B": "收到日期", "C": "方式", "D": "内容", "E": "姓名/名称", "F": "类型",
             "G": "告知日期", "H": "收到日期", "I": "是否延期", "J": "日期", "K": "答复日期",
             "L": "结果", "M": "理由"}  # fmt: skip
    for col, label in parts.items():
        ws[f"{col}3"] = label
    s = serial
    rows = [
        [1, s(date(2026, 1, 5)), "现场", REQUESTS[0], "张三", "自然人", None, None, None, None,
         s(date(2026, 1, 20)), "予以公开", None, "否", None],
        [2, s(date(2026, 1, 6)), "网上", REQUESTS[1], "某某建设有限公司", "商业企业",
         s(date(2026, 1, 8)), s(date(2026, 1, 12)), None, None, s(date(2026, 2, 3)),
         "部分公开", PARTIAL, None, None],
        [3, s(date(2026, 1, 9)), "邮寄", REQUESTS[2], "李四", "自然人", None, None, "√",
         s(date(2026, 2, 4)), s(date(2026, 3, 4)), "本机关不掌握相关政府信息", NOT_HELD, "否",
         None],
        [4, s(date(2026, 1, 12)), "信函", REQUESTS[3], "王五", "自然人", None, None, None, None,
         s(date(2026, 1, 15)), "申请人撤回", None, None, None],
        [5, s(date(2026, 1, 14)), "网上", REQUESTS[4], "某律师事务所", "法律服务机构", None,
         None, None, None, None, None, None, None, None],
    ]  # fmt: skip
    for row in rows:
        ws.append(row)
    return _save(book)


# -- office C: title rows, spaced and full-width headers, a typo, text dates --------------------


def office_c(*, bad_day: str | None = None) -> bytes:
    """某镇: two title rows, headers written with spaces and full-width brackets, 申请人类形 (a
    typo of 申请人类型), every date typed as text in another form, the correction's dates in
    the 是否补正 cell itself; ``bad_day`` replaces the third application's 收件日期."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "登记台账"
    ws.append(["某镇人民政府"])
    ws.append(["依申请公开登记表（2026年）"])
    ws.append(
        [
            "序 号",
            "收件日期",
            "申请人（名称）",
            "申请人类形",
            "申请渠道",
            "申请公开的信息",
            "是否补正",
            "延期",
            "办结日期",
            "处理结果：",
            "说明理由",
            "备  注",
        ]
    )
    rows = [
        ["1", "2026年1月5日", "张三", "自然人", "当面", REQUESTS[0], "无", "否", "2026年1月20日",
         "予以公开", None, None],
        ["2", "2026.1.6", "某某建设有限公司", "商业企业", "网上", REQUESTS[1],
         "是，2026.1.8告知，2026.1.12收到", "否", "2026.2.3", "部分公开", PARTIAL, None],
        ["3", bad_day or "2026/1/9", "李四", "自然人", "邮寄", REQUESTS[2], "否",
         "是（2026年2月4日）", "2026/3/4", "本机关不掌握相关政府信息", NOT_HELD, None],
        ["4", "2026-01-12", "王五", "自 然 人", "信函", REQUESTS[3], "否", "否", "2026-01-15",
         "撤回", None, None],
        ["5", "2026年1月14日", "某律师事务所", "法律服务机构", "网上", REQUESTS[4], None, None,
         None, None, None, None],
    ]  # fmt: skip
    for row in rows:
        ws.append(row)
    return _save(book)


OFFICES = {"A": office_a, "B": office_b, "C": office_c}


@pytest.mark.parametrize("office", sorted(OFFICES))
def test_three_offices_read_into_the_same_applications(office: str) -> None:
    report = read_ledger(OFFICES[office](), agency=AGENCY)
    assert report.problems == ()
    assert report.applications == EXPECTED


def test_the_merged_two_row_header_is_read_with_its_groups() -> None:
    report = read_ledger(office_b(), agency=AGENCY)
    assert report.header_rows == (2, 3)
    columns = {key: (header, letter) for key, header, letter, _ in report.columns}
    assert columns["applicant_type"] == ("申请人信息/类型", "F")
    assert columns["corrected_on"] == ("补正/收到日期", "H")
    assert columns["received_on"] == ("申请情况/收到日期", "B")
    assert columns["extended_on"] == ("延期答复/日期", "J")
    assert columns["reasons"] == ("答复情况/理由", "M")
    assert columns["fee"] == ("收费", "N")


def test_the_typo_is_read_and_said() -> None:
    report = read_ledger(office_c(), agency=AGENCY)
    assert report.header_rows == (3,)
    how = {key: (header, letter, how) for key, header, letter, how in report.columns}
    assert how["applicant_type"] == ("申请人类形", "D", "typo")
    assert any("申请人类形" in note and "笔误" in note for note in report.notes)
    assert any("1 件延期未载明天数" in note for note in report.notes)


def test_a_bad_cell_is_named_by_sheet_row_and_column() -> None:
    with pytest.raises(LedgerImportError) as caught:
        read_ledger(office_c(bad_day="2026年2月30日"), agency=AGENCY)
    err = caught.value
    assert err.code == "ledger.import"
    assert [p.cell for p in err.problems] == ["登记台账!B6"]
    assert err.field == "登记台账!B6"
    assert "没有这一天" in err.message_zh
    assert "no such day" in err.message_en
    assert "登记台账!B6 (收件日期) “2026年2月30日”" in str(err)


def test_lenient_keeps_the_good_rows_and_lists_the_bad_one() -> None:
    report = read_ledger(office_c(bad_day="2026年2月30日"), agency=AGENCY, lenient=True)
    assert report.applications == tuple(a for a in EXPECTED if not a.id.endswith("003"))
    assert report.skipped == (6,)
    assert report.problems[0].describe().startswith("登记台账!B6 (收件日期)")


def test_a_row_the_lifecycle_refuses_is_named_at_the_event() -> None:
    # a reply while the corrected application has not arrived (条例第三十条)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "台账"
    ws.append(["序号", "申请日期", "申请人", "申请人类型", "申请方式", "申请内容", "补正告知日期",
               "答复日期", "答复结果"])  # fmt: skip
    ws.append([1, date(2026, 1, 5), "张三", "自然人", "当面提交", "某文件", date(2026, 1, 7),
               date(2026, 1, 9), "予以公开"])  # fmt: skip
    with pytest.raises(LedgerImportError) as caught:
        read_ledger(_save(book), agency=AGENCY)
    (problem,) = caught.value.problems
    assert problem.cell == "台账!H2"
    assert "待补正" in problem.reason_zh


def test_every_required_column_missing_is_listed() -> None:
    book = openpyxl.Workbook()
    book.active.append(["序号", "申请日期", "申请人", "申请内容"])
    book.active.append([1, date(2026, 1, 5), "张三", "某文件"])
    with pytest.raises(LedgerImportError) as caught:
        read_ledger(_save(book), agency=AGENCY)
    assert caught.value.code == "ledger.no_column"
    assert "申请人类型、申请方式" in caught.value.message_zh


def test_a_file_that_is_no_spreadsheet_is_refused() -> None:
    with pytest.raises(LedgerImportError) as caught:
        read_ledger(b"not a zip", agency=AGENCY)
    assert caught.value.code == "ledger.unreadable_file"


def test_fees_and_the_agency_column() -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "台账"
    ws.append(["受理编号", "受理机关", "申请日期", "申请人", "申请人类型", "申请方式",
               "申请内容", "是否收费", "收费金额", "收费通知日期", "缴费日期", "答复日期",
               "答复结果"])  # fmt: skip
    ws.append(["YSQ-7", "某县人民政府办公室", "2026-01-05", "赵六", "自然人", "当面提交", "某文件",
               "是", "100元", "2026-01-20", "2026-01-26", "2026-01-30", "予以公开"])  # fmt: skip
    agencies = [Agency(AGENCY, "某县人民政府办公室", AgencyLevel.COUNTY, AgencyKind.GOVERNMENT)]
    (app,) = read_ledger(_save(book), agencies=agencies).applications
    assert app.id == "YSQ-7"
    assert app.agency == AGENCY
    assert app.events[1:] == (
        FeeNotified(
            on=date(2026, 1, 20), amount=Decimal("100"), method=FeeMethod.PER_APPLICATION,
            quantity=1,
        ),
        FeePaid(on=date(2026, 1, 26), amount=Decimal("100")),
        Replied(on=date(2026, 1, 30), outcome=Outcome.DISCLOSED),
    )  # fmt: skip


# -- dates and marks --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        date(2026, 1, 5),
        datetime(2026, 1, 5, 14, 30),
        46027,
        46027.5,
        "2026-01-05",
        "2026-1-5",
        "2026/1/5",
        "2026.1.5",
        "2026．1．5",
        "2026年1月5日",
        "2026年1月5号",
        "2026 年 1 月 5 日",
        "２０２６年１月５日",
        "20260105",
        "2026-01-05 09:30",
        "2026年1月5日 9:30:00",
        "二〇二六年一月五日",
    ],
)
def test_every_date_form_reads_as_the_same_day(value: object) -> None:
    assert read_date(value) == date(2026, 1, 5)


def test_serial_numbers_follow_excel() -> None:
    # Excel: =DATE(2025,1,1) is 45658, =DATE(1900,3,1) is 61 (it counts a 1900-02-29)
    assert read_date(45658) == date(2025, 1, 1)
    assert read_date(46027 - 1462, epoch_1904=True) == date(2026, 1, 5)  # 1904 system
    assert read_date("二〇二五年十二月三十一日") == date(2025, 12, 31)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2026年2月30日", "没有这一天"),
        ("1月5日", "缺少年份"),
        ("明天", "无法识别"),
        (12, "不是日期"),
        ("2150-01-01", "不在"),
        (True, "不是日期"),
    ],
)
def test_bad_dates_say_why(value: object, reason: str) -> None:
    with pytest.raises(CellError) as caught:
        read_date(value)
    assert reason in caught.value.reason_zh


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_every_written_form_of_a_day_reads_back(day: date) -> None:
    forms = [
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month}.{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        day.strftime("%Y%m%d"),
        (day - date(1899, 12, 30)).days,
    ]
    assert {read_date(f) for f in forms} == {day}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("是", (True, [])),
        ("否", (False, [])),
        ("√", (True, [])),
        ("无", (False, [])),
        (None, (False, [])),
        ("已补正", (True, [])),
        ("未延期", (False, [])),
        ("是（2026.1.8）", (True, [date(2026, 1, 8)])),
        (date(2026, 1, 8), (True, [date(2026, 1, 8)])),
        ("2026年1月8日告知，2026年1月12日收到", (True, [date(2026, 1, 8), date(2026, 1, 12)])),
    ],
)
def test_yes_no_marks(value: object, expected: tuple[bool, list[date]]) -> None:
    assert read_flag(value) == expected


def test_header_folding_and_matching() -> None:
    matcher = ledger_matcher()
    assert fold("申 请 人（名称）：") == "申请人名称"
    assert matcher.match("申请日期（收到日期）") is not None
    assert matcher.match_pair("申请人信息", "类型").key == "applicant_type"  # type: ignore[union-attr]
    assert matcher.match_pair("答复情况", "结果").key == "outcome"  # type: ignore[union-attr]
    typo = matcher.match("答复日其")
    assert typo is not None
    assert (typo.key, typo.how) == ("replied_on", "typo")
    assert matcher.match("一段很长的申请内容，不是表头，而是某个单元格里的文字") is None


# -- the export -------------------------------------------------------------------------------

AS_OF = date(2026, 2, 10)
#: Due dates computed by hand on the 2026 calendar (元旦 1-3 January with Sunday 4 January
#: worked; 春节 15-23 February with Saturdays 14 and 28 February worked).
DUE = {
    "001": date(2026, 2, 2),  # 20 working days from 6 January
    "002": date(2026, 2, 9),  # restarted on the corrected application, 12 January
    "003": date(2026, 3, 12),  # 6 February + 20 working days across 春节
    "004": date(2026, 2, 9),  # withdrawn: the clock had been running from 12 January
    "005": date(2026, 2, 11),  # open: 20 working days from 14 January
}


def test_the_table_has_the_due_dates_and_status_as_of_a_day() -> None:
    table = ledger_table(EXPECTED, as_of=AS_OF, params=PARAMS, calendar=CAL)
    due = table.columns.index("答复期限")
    state = table.columns.index("期限状态")
    ids = table.columns.index("受理编号")
    got = {row[ids][-3:]: (row[due], row[state]) for row in table.rows}  # type: ignore[index]
    assert {k: v[0] for k, v in got.items()} == DUE
    assert got["001"][1] == ClockState.MET.label
    assert got["004"][1] == ClockState.ENDED.label
    assert got["005"][1] == ClockState.DUE_SOON.label
    assert table.states[-1] is ClockState.DUE_SOON
    left = table.columns.index("剩余工作日")
    assert table.rows[-1][left] == 1
    later = ledger_table(EXPECTED, as_of=date(2026, 2, 12), params=PARAMS, calendar=CAL)
    assert later.states[-1] is ClockState.OVERDUE
    assert later.rows[-1][later.columns.index("逾期工作日")] == 1
    assert "证件号码" not in table.columns


def test_the_workbook_has_date_cells_widths_and_a_frozen_header() -> None:
    table = ledger_table(EXPECTED, as_of=AS_OF, params=PARAMS, calendar=CAL)
    book = openpyxl.load_workbook(io.BytesIO(ledger_workbook(table)))
    ws = book.active
    assert ws.freeze_panes == "C3"
    assert ws.print_title_rows == "$2:$2"
    header = [c.value for c in ws[2]]
    col = header.index("申请日期") + 1
    cell = ws.cell(row=3, column=col)
    assert cell.is_date
    assert cell.value == datetime(2026, 1, 5)
    assert cell.number_format == "yyyy-mm-dd"
    due = ws.cell(row=7, column=header.index("答复期限") + 1)
    assert due.is_date
    assert due.value == datetime(2026, 2, 11)
    letter = openpyxl.utils.get_column_letter(header.index("申请内容") + 1)
    assert ws.column_dimensions[letter].width == 36


def test_the_export_reads_back_into_the_same_applications() -> None:
    table = ledger_table(EXPECTED, as_of=AS_OF, params=PARAMS, calendar=CAL)
    report = read_ledger(ledger_workbook(table), agency=AGENCY)
    assert report.applications == EXPECTED
    assert any("计算列" in note for note in report.notes)


def test_the_csv_has_a_bom_and_reads_back(tmp_path: Any) -> None:
    table = ledger_table(EXPECTED, as_of=AS_OF, params=PARAMS, calendar=CAL)
    data = ledger_csv(table)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("序号,受理编号,受理机关,申请日期")
    assert ",2026-01-05," in text
    path = tmp_path / "台账.csv"
    path.write_bytes(data)
    assert read_ledger(path, agency=AGENCY).applications == EXPECTED


def test_personal_data_only_when_asked() -> None:
    person = Applicant(type=ApplicantType.NATURAL_PERSON, name="张三", phone="13800000000",
                       id_number="110101199001011234", address="某县某路1号")  # fmt: skip
    app = apply_all(
        Application(id="p-1", agency=AGENCY, applicant=person, channel=Channel.IN_PERSON,
                    request="某文件"),
        [Received(on=date(2026, 1, 5))],
    )  # fmt: skip
    plain = ledger_table([app], as_of=AS_OF, params=PARAMS, calendar=CAL)
    assert "13800000000" not in ledger_csv(plain).decode("utf-8-sig")
    full = ledger_table([app], as_of=AS_OF, params=PARAMS, calendar=CAL, personal_data=True)
    assert read_ledger(ledger_workbook(full), agency=AGENCY).applications == (app,)


# -- into a store -----------------------------------------------------------------------------


def _store() -> MemoryStore:
    store = MemoryStore()
    store.put_agency(
        Agency(AGENCY, "某县人民政府办公室", AgencyLevel.COUNTY, AgencyKind.GOVERNMENT)
    )
    return store


def test_import_is_idempotent_and_appends_what_is_new() -> None:
    store = _store()
    first = import_ledger(store, office_a(), agency=AGENCY)
    assert len(first.created) == 5
    again = import_ledger(store, office_b(), agency=AGENCY)
    assert again.created == again.extended == ()
    assert len(again.unchanged) == 5
    # the open application is answered in a later version of the ledger
    table = ledger_table(EXPECTED, as_of=AS_OF, params=PARAMS, calendar=CAL)
    book = openpyxl.load_workbook(io.BytesIO(ledger_workbook(table)))
    ws = book.active
    header = [c.value for c in ws[2]]
    ws.cell(row=7, column=header.index("答复日期") + 1, value=date(2026, 2, 9))
    ws.cell(row=7, column=header.index("答复结果") + 1, value="予以公开")
    later = import_ledger(store, _save(book), agency=AGENCY)
    assert later.extended == (f"{AGENCY}-2026-005",)
    assert store.get_application(f"{AGENCY}-2026-005").outcome is Outcome.DISCLOSED


def test_a_changed_history_is_refused_and_nothing_is_stored() -> None:
    store = _store()
    import_ledger(store, office_a(), agency=AGENCY)
    book = openpyxl.load_workbook(io.BytesIO(office_a()))
    book.active["L2"] = date(2026, 1, 21)  # the first reply, a day later
    with pytest.raises(LedgerImportError) as caught:
        import_ledger(store, _save(book), agency=AGENCY)
    assert caught.value.code == "ledger.changed_history"
    assert "第 2 个事件（答复 2026-01-20）与已存的不同" in caught.value.message_zh
    assert caught.value.field == "台账!2"
    assert store.get_application(f"{AGENCY}-2026-001").closed_on == date(2026, 1, 20)


def test_an_unknown_agency_is_refused_before_anything_is_stored() -> None:
    store = MemoryStore()
    with pytest.raises(LookupError):
        import_ledger(store, office_a(), agency=AGENCY)
    assert list(store.applications()) == []


# -- records ----------------------------------------------------------------------------------


def records_sheet() -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "公文"
    ws.append(["序号", "标题", "文号", "发布机构", "成文日期", "公开属性", "不公开理由", "法律依据",
               "发布日期"])  # fmt: skip
    ws.append([1, "关于印发某县2026年政务公开工作要点的通知", "某政办发〔2026〕1号",
               "某县人民政府办公室", "二〇二六年一月五日", "主动公开", None, None,
               "2026.1.8"])  # fmt: skip
    ws.append([2, "关于某项目资金安排的请示", "某政办〔2026〕3号", AGENCY, 46031, "不予公开",
               "属于四类过程性信息", "《条例》第十六条第二款", None])  # fmt: skip
    return _save(book)


def test_records_import_the_same_way() -> None:
    store = _store()
    result = import_records(store, records_sheet())
    assert result.created == (f"{AGENCY}-某政办发〔2026〕1号", f"{AGENCY}-某政办〔2026〕3号")
    first, second = result.report.records
    assert first.formed_on == date(2026, 1, 5)
    assert first.attribute is DisclosureAttribute.PROACTIVE
    assert first.first_published_on == date(2026, 1, 8)
    assert second.formed_on == date(2026, 1, 9)
    assert second.attribute is DisclosureAttribute.NOT_DISCLOSED
    assert second.decision is not None
    assert second.decision.legal_basis == "《条例》第十六条第二款"
    assert import_records(store, records_sheet()).unchanged == result.created


def test_a_bad_record_cell_is_named() -> None:
    book = openpyxl.load_workbook(io.BytesIO(records_sheet()))
    book.active["F3"] = "半公开"
    with pytest.raises(LedgerImportError) as caught:
        read_records(_save(book), agency=AGENCY)
    assert [p.cell for p in caught.value.problems] == ["公文!F3"]


def test_a_records_report_reads_as_a_ledger_report() -> None:
    # One reading of a sheet (govdisclose.ledger._reading): the same headline, column marks,
    # skipped rows and refusals for the register of records as for the ledger.
    book = openpyxl.load_workbook(io.BytesIO(records_sheet()))
    book.active["E1"] = "成文日朝"  # one character off 成文日期
    book.active["F3"] = "半公开"
    report = read_records(_save(book), agency=AGENCY, lenient=True)
    assert report.ok is False
    assert report.skipped == (3,)
    lines = report.lines()
    assert lines[0] == (
        "工作表 公文，表头在第 1 行；读入公文 1 件，问题 1 处 / sheet 公文, header row(s) 1: "
        "1 records read, 1 problems"
    )
    assert "  列 / column E: 成文日朝（疑为笔误） -> formed_on" in lines
    assert lines[-1] == "  已跳过的行 / rows skipped: 3"
    book.active["F2"] = "半公开"
    with pytest.raises(LedgerImportError) as caught:  # lenient, but no row could be read
        read_records(_save(book), agency=AGENCY, lenient=True)
    assert caught.value.message_zh.startswith("公文登记表有 2 处无法读取，未导入：公文!F2")
    assert caught.value.message_zh.endswith("（其余见报告）")
    assert [p.cell for p in caught.value.problems] == ["公文!F2", "公文!F3"]


def test_a_records_sheet_without_its_required_columns_lists_each() -> None:
    book = openpyxl.Workbook()
    book.active.append(["序号", "标题", "文号"])
    book.active.append([1, "某通知", "某政办发〔2026〕1号"])
    with pytest.raises(LedgerImportError) as caught:
        read_records(_save(book))
    err = caught.value
    assert err.code == "ledger.no_column"
    assert "成文日期、发布机构（或在导入时指定机关）" in err.message_zh
    assert [p.header for p in err.problems] == ["成文日期", "发布机构"]


def _richer_than_a_row() -> Application:
    """An open application a ledger row cannot hold whole: two consultations, a consent, and
    the applicant's personal data (which the default export leaves out)."""
    person = Applicant(type=ApplicantType.NATURAL_PERSON, name="赵六", phone="13900000000",
                       address="某县某路2号")  # fmt: skip
    return apply_all(
        Application(id=f"{AGENCY}-2026-006", agency=AGENCY, applicant=person,
                    channel=Channel.ONLINE, request="某地块征收补偿方案"),
        [
            Received(on=date(2026, 1, 5)),
            ThirdPartyConsulted(on=date(2026, 1, 7), party="某置业有限公司"),
            ThirdPartyConsulted(on=date(2026, 1, 7), party="某街道办事处", is_agency=True),
            ThirdPartyReplied(on=date(2026, 1, 15), party="某置业有限公司", consents=True),
            ThirdPartyReplied(on=date(2026, 1, 16), party="某街道办事处"),
        ],
    )  # fmt: skip


def test_an_export_imports_back_unchanged_where_a_row_cannot_hold_the_history() -> None:
    store = _store()
    app = _richer_than_a_row()
    store.import_bulk(applications=[*EXPECTED, app])
    table = ledger_table(store.applications(), as_of=AS_OF, params=PARAMS, calendar=CAL)
    # the row states one consultation and no consent or phone: not what is stored ...
    read = read_ledger(ledger_workbook(table), agency=AGENCY).applications
    assert next(a for a in read if a.id == app.id) != app
    # ... and yet it does not contradict it
    back = import_ledger(store, ledger_workbook(table), agency=AGENCY)
    assert back.created == back.extended == ()
    assert len(back.unchanged) == 6
    assert store.get_application(app.id) == app


def test_a_reply_added_to_an_export_extends_the_richer_history() -> None:
    store = _store()
    app = _richer_than_a_row()
    store.import_bulk(applications=[app])
    table = ledger_table([app], as_of=AS_OF, params=PARAMS, calendar=CAL)
    book = openpyxl.load_workbook(io.BytesIO(ledger_workbook(table)))
    ws = book.active
    header = [c.value for c in ws[2]]
    ws.cell(row=3, column=header.index("答复日期") + 1, value=date(2026, 2, 9))
    ws.cell(row=3, column=header.index("答复结果") + 1, value="予以公开")
    later = import_ledger(store, _save(book), agency=AGENCY)
    assert later.extended == (app.id,)
    stored = store.get_application(app.id)
    assert stored.events[:-1] == app.events  # the consent and the second party kept
    assert stored.events[-1] == Replied(on=date(2026, 2, 9), outcome=Outcome.DISCLOSED)


def test_a_personal_data_cell_that_says_otherwise_is_refused() -> None:
    store = _store()
    app = _richer_than_a_row()
    store.import_bulk(applications=[app])
    table = ledger_table([app], as_of=AS_OF, params=PARAMS, calendar=CAL, personal_data=True)
    book = openpyxl.load_workbook(io.BytesIO(ledger_workbook(table)))
    ws = book.active
    header = [c.value for c in ws[2]]
    ws.cell(row=3, column=header.index("联系电话") + 1, value="13700000000")
    with pytest.raises(LedgerImportError) as caught:
        import_ledger(store, _save(book), agency=AGENCY)
    assert caught.value.code == "ledger.changed_history"
    assert "申请人或申请方式与已存的不同" in caught.value.message_zh
    assert store.get_application(app.id) == app
