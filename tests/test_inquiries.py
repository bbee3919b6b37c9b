"""Inquiry cases (issue 15, seed 003 篇5): limits, forwarding, 首问负责, complaints by query
code, extensions, late answers, the answer base, the counts, the daily job and the CLI.

Every due date below is counted by hand from the seed's limits and the State Council's 2026
holiday notice (国庆节 10月1日至7日放假, 10月10日 周六上班), from the day after the start.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from govdisclose import daily, inquiries as q
from govdisclose.calendar import WorkCalendar
from govdisclose.deadlines import ClockState
from govdisclose.errors import InvalidTransition, NotFound, ValidationError
from govdisclose.notifications import InquiryComplaintReceived, InquiryEventApplied
from govdisclose.params import ParameterSet
from govdisclose.store._memory import MemoryStore
from govdisclose.testing import builders
from govdisclose.vocab import InquiryKind

CAL = WorkCalendar.default()
PARAMS = ParameterSet.default()
WHO = q.InquirerContact(name="张三", phone="13812345678")
DIGEST = q.code_digest(q.new_query_code())


def _case(
    category: InquiryKind = InquiryKind.GENERAL, on: date = date(2026, 9, 28)
) -> q.InquiryCase:
    return q.apply(
        q.InquiryCase(id="Q1", agency="edu"),
        q.InquiryReceived(
            on=on,
            channel=q.InquiryChannel.PHONE,
            category=category,
            question="小学新生入学需要哪些材料？",
            inquirer=WHO,
            code_digest=DIGEST,
        ),
    )


def _due(case: q.InquiryCase, i: int = 0) -> date:
    return q.unit_clocks(case, params=PARAMS, calendar=CAL)[i].deadline.due


# -- every limit and its default ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "days", "phrase"),
    [
        ("inquiry_general_days", 5, "一般性问题在5个工作日内办结回复"),
        ("inquiry_complex_days", 10, "重要复杂问题在10个工作日内回复"),
        ("inquiry_special_days", 20, "可延长到20个工作日"),
        ("complaint_days", 15, "投诉的办理时限为15个工作日"),
        ("complaint_extended_days", 30, "可延长到30个工作日"),
        ("forwarding_days_per_level", 5, "每级政府办转发处理时限为5个工作日"),
    ],
)
def test_default_limits_are_the_seeds(name: str, days: int, phrase: str) -> None:
    """Each limit's default is the seed's number, cited with the seed's words."""
    snap = PARAMS.at(date(2026, 9, 28))
    assert snap.working_days(name) == days
    assert phrase in (snap.citation(name).text or "")


@pytest.mark.parametrize(
    ("category", "extended", "due"),
    [
        # 9/29, 9/30, (holiday 10/1-7), 10/8, 10/9, 10/10 (Saturday worked)
        (InquiryKind.GENERAL, False, date(2026, 10, 10)),
        # + 10/12 ... 10/16
        (InquiryKind.COMPLEX, False, date(2026, 10, 16)),
        # + 10/19 ... 10/23, 10/26 ... 10/30
        (InquiryKind.SPECIAL, False, date(2026, 10, 30)),
        (InquiryKind.GENERAL, True, date(2026, 10, 30)),
        (InquiryKind.COMPLEX, True, date(2026, 10, 30)),
        (InquiryKind.COMPLAINT, False, date(2026, 10, 23)),
        # + 11/2 ... 11/6, 11/9 ... 11/13
        (InquiryKind.COMPLAINT, True, date(2026, 11, 13)),
    ],
)
def test_every_limit_by_hand(category: InquiryKind, extended: bool, due: date) -> None:
    """Each class's limit, with and without the approved extension, across 国庆 2026."""
    case = _case(category)
    if extended:
        case = q.apply(
            case,
            q.InquiryExtended(
                on=date(2026, 9, 29), unit="edu", reason="需调档", approved_by="局长"
            ),
        )
    assert _due(case) == due
    text = q.unit_clocks(case, params=PARAMS, calendar=CAL)[0].explain()
    assert "国庆节" in text
    assert "调休上班日" in text


def test_forwarding_across_two_levels() -> None:
    """Two forwarding levels add 2 × 5 working days to the receiving unit's limit, counted from
    the receipt; the forwarding unit's own clock ends when it forwards."""
    case = q.apply_all(
        _case(),
        [
            q.Forwarded(
                on=date(2026, 9, 29),
                from_unit="edu",
                to_unit="county-hr",
                offices=("县政府办",),
                reason="不属于本单位职责",
                approved_by="办公室主任",
            ),
            q.Forwarded(
                on=date(2026, 9, 30),
                from_unit="county-hr",
                to_unit="city-hr",
                offices=("市政府办",),
                reason="属市级事权",
                approved_by="秘书科长",
            ),
        ],
    )
    clocks = q.unit_clocks(case, params=PARAMS, calendar=CAL)
    assert [(c.unit, c.part.levels, c.part.origin) for c in clocks] == [
        ("edu", 0, q.PartOrigin.RECEIVED),
        ("county-hr", 1, q.PartOrigin.FORWARDED),
        ("city-hr", 2, q.PartOrigin.FORWARDED),
    ]
    # 5 + 5 -> 10/16; 5 + 10 -> 10/23 (see the parametrized cases above)
    assert [c.deadline.due for c in clocks] == [
        date(2026, 10, 10),
        date(2026, 10, 16),
        date(2026, 10, 23),
    ]
    assert "经2级政府办转发" in clocks[2].explain()
    assert [c.part.ended_by for c in clocks] == ["forwarded", "forwarded", None]
    assert q.status(case) is q.InquiryStatus.OPEN


def test_forwarding_in_one_event_through_two_offices() -> None:
    """One forwarding through two offices is two levels, like two forwardings of one each."""
    case = q.apply(
        _case(),
        q.Forwarded(
            on=date(2026, 9, 29),
            from_unit="edu",
            to_unit="city-hr",
            offices=("县政府办", "市政府办"),
            reason="不属于本单位职责",
            approved_by="办公室主任",
        ),
    )
    assert _due(case, 1) == date(2026, 10, 23)


def test_three_unit_chain_with_one_unit_late() -> None:
    """首问负责: each unit answers its part on its own clock; only the late one is flagged."""
    start = date(2026, 3, 2)  # a Monday; no holiday in March 2026
    case = q.apply_all(
        _case(on=start),
        [
            q.Answered(on=date(2026, 3, 4), unit="edu", answer="入学材料见附件"),
            q.PassedOn(
                on=date(2026, 3, 4),
                from_unit="edu",
                to_unit="health",
                reason="疫苗接种证明属卫健局",
                approved_by="主任",
            ),
            q.Answered(on=date(2026, 3, 6), unit="health", answer="接种证明到社区医院开具"),
            q.PassedOn(
                on=date(2026, 3, 9),
                from_unit="health",
                to_unit="police",
                reason="户籍证明属公安局",
                approved_by="科长",
            ),
            q.Answered(on=date(2026, 3, 18), unit="police", answer="户籍证明到派出所开具"),
        ],
    )
    clocks = q.unit_clocks(case, params=PARAMS, calendar=CAL)
    # edu 3/2 -> 3/9; health 3/4 -> 3/11; police 3/9 -> 3/16 (5 working days each)
    assert [(c.unit, c.deadline.due) for c in clocks] == [
        ("edu", date(2026, 3, 9)),
        ("health", date(2026, 3, 11)),
        ("police", date(2026, 3, 16)),
    ]
    states = [c.status(date(2026, 3, 20), params=PARAMS, calendar=CAL).state for c in clocks]
    assert states == [ClockState.MET, ClockState.MET, ClockState.MISSED]
    found = q.findings(case, date(2026, 3, 20), params=PARAMS, calendar=CAL)
    assert [(f.rule_id, f.field) for f in found] == [("inquiry.late_unexplained", "parts[2]")]
    assert "police" in found[0].message_zh
    assert "逾期2个工作日" in found[0].message_zh
    assert q.status(case) is q.InquiryStatus.ANSWERED


def test_overdue_answer_with_an_explanation_is_not_flagged() -> None:
    """说明情况 recorded before the late answer clears the finding; an open overdue part
    without one is flagged as 逾期未办又未说明情况."""
    late = q.apply(
        _case(on=date(2026, 3, 2)), q.Answered(on=date(2026, 3, 12), unit="edu", answer="答")
    )
    assert [
        f.rule_id for f in q.findings(late, date(2026, 3, 12), params=PARAMS, calendar=CAL)
    ] == ["inquiry.late_unexplained"]
    explained = q.apply_all(
        _case(on=date(2026, 3, 2)),
        [
            q.Explained(on=date(2026, 3, 9), unit="edu", explanation="需向省厅核实"),
            q.Answered(on=date(2026, 3, 12), unit="edu", answer="答"),
        ],
    )
    assert q.findings(explained, date(2026, 3, 12), params=PARAMS, calendar=CAL) == []
    still_open = _case(on=date(2026, 3, 2))
    assert q.findings(still_open, date(2026, 3, 9), params=PARAMS, calendar=CAL) == []
    flagged = q.findings(still_open, date(2026, 3, 10), params=PARAMS, calendar=CAL)
    assert [f.rule_id for f in flagged] == ["inquiry.overdue_unexplained"]


def test_extension_without_approval_is_refused() -> None:
    """An extension without approval is a typed error naming the field; with it, the limit
    is 20; a second extension is refused."""
    with pytest.raises(ValidationError) as caught:
        q.InquiryExtended(on=date(2026, 9, 29), unit="edu", reason="复杂")
    assert caught.value.field == "approved_by"
    assert caught.value.code == "inquiries.approval_required"
    with pytest.raises(ValidationError, match="approved_by"):
        q.InquiryExtended(on=date(2026, 9, 29), unit="edu", reason="复杂", approved_by="  ")
    ext = q.InquiryExtended(on=date(2026, 9, 29), unit="edu", reason="复杂", approved_by="局长")
    once = q.apply(_case(), ext)
    with pytest.raises(InvalidTransition) as twice:
        q.apply(once, ext)
    assert twice.value.code == "inquiries.extended_twice"
    with pytest.raises(InvalidTransition):
        q.apply(_case(InquiryKind.SPECIAL), ext)


def test_forwarding_needs_reason_and_approval() -> None:
    """转发理由 and the approval are required, each named."""
    for missing, kwargs in (
        ("reason", {"approved_by": "主任"}),
        ("approved_by", {"reason": "理由"}),
    ):
        with pytest.raises(ValidationError) as caught:
            q.Forwarded(
                on=date(2026, 9, 29), from_unit="edu", to_unit="hr", offices=("县政府办",), **kwargs
            )
        assert caught.value.field == missing


@pytest.mark.parametrize(
    ("events", "at", "expected"),
    [
        ([], 1, ["forwarded", "answered", "closed"]),
        ([q.InquiryClosed(on=date(2026, 9, 29))], 1, ["answered"]),
        ([q.Complained(on=date(2026, 9, 29), office="sup", grounds="不满意")], 1, ["answered"]),
        (
            [
                q.PassedOn(
                    on=date(2026, 9, 29), from_unit="edu", to_unit="hr", reason="r", approved_by="a"
                )
            ],
            1,
            ["answered"],
        ),
        ([q.Answered(on=date(2026, 9, 27), unit="edu", answer="答")], 1, ["answered"]),
        ([q.Answered(on=date(2026, 9, 29), unit="hr", answer="答")], 1, ["answered"]),
    ],
)
def test_impossible_sequences_are_refused(
    events: list[q.InquiryEvent], at: int, expected: list[str]
) -> None:
    """Each refusal names the event's position and the kinds that would have been accepted."""
    if not events:
        with pytest.raises(InvalidTransition) as caught:
            q.apply(q.InquiryCase(id="Q1", agency="edu"), q.InquiryClosed(on=date(2026, 9, 29)))
        assert caught.value.expected == ("received",)
        return
    with pytest.raises(InvalidTransition) as caught:
        q.apply_all(_case(), events)
    assert caught.value.field is not None
    assert caught.value.field.startswith(f"events[{at}]")
    assert set(expected) <= set(caught.value.expected)
    assert "inquiry Q1" in caught.value.message_en
    assert "查询 Q1" in caught.value.message_zh


# -- the query code -------------------------------------------------------------------------


def test_query_code_shape_entropy_and_typing_mistakes() -> None:
    """16 characters, 75 random bits, a check character that catches a mistyped one."""
    codes = {q.new_query_code() for _ in range(2000)}
    assert len(codes) == 2000
    code = next(iter(codes))
    assert len(code) == 19
    assert code.count("-") == 3
    assert q.parse_inquiry_code(code.lower().replace("-", " ")) == code
    wrong = ("1" if code[0] != "1" else "2") + code[1:]
    with pytest.raises(ValidationError) as caught:
        q.parse_inquiry_code(wrong)
    assert caught.value.code == "inquiries.invalid_code"
    assert q.code_matches(code, q.code_digest(code))
    assert not q.code_matches(code, q.code_digest(next(c for c in codes if c != code)))


def _store() -> MemoryStore:
    store = MemoryStore()
    for code in ("edu", "hr", "sup"):
        store.put_agency(builders.agency(code))
    return store


def _receive(store: MemoryStore, case_id: str, on: date = date(2026, 3, 2)) -> q.Receipt:
    return q.receive(
        store,
        id=case_id,
        agency="edu",
        on=on,
        channel=q.InquiryChannel.WEB,
        category=InquiryKind.GENERAL,
        question="入学材料？",
        inquirer=WHO,
    )


def test_complaint_found_by_its_query_code() -> None:
    """The code finds its own case, only that one, and the store never holds the code."""
    store = _store()
    first, second = _receive(store, "Q1"), _receive(store, "Q2")
    heard: list[object] = []
    for r in (first, second):
        q.record(
            store,
            r.case.id,
            [
                q.Answered(on=date(2026, 3, 4), unit="edu", answer="见官网"),
                q.InquiryClosed(on=date(2026, 3, 4)),
            ],
        )
    after = q.complain(
        store,
        second.code.lower(),
        on=date(2026, 3, 6),
        office="sup",
        grounds="答复不具体",
        notify=heard.append,
    )
    assert after.id == "Q2"
    assert q.status(after) is q.InquiryStatus.COMPLAINED
    assert q.status(store.get_item(q.InquiryCase, "Q1")) is q.InquiryStatus.CLOSED
    assert [type(n) for n in heard] == [InquiryEventApplied, InquiryComplaintReceived]
    complaint = q.unit_clocks(after, params=PARAMS, calendar=CAL)[-1]
    # 3/6 + 15 working days: 3/9-13, 3/16-20, 3/23-27
    assert (complaint.unit, complaint.deadline.due) == ("sup", date(2026, 3, 27))
    text = q.INQUIRY_KIND.to_text(after)
    assert second.code not in text
    assert second.code.replace("-", "") not in text
    with pytest.raises(NotFound) as unknown:
        q.find_by_code(store, q.new_query_code())
    assert unknown.value.code == "inquiries.unknown_code"
    assert "Q1" not in str(unknown.value)
    answered = q.record(
        store,
        "Q2",
        [
            q.ComplaintAnswered(
                on=date(2026, 3, 20), office="sup", answer="已责成补充答复", upheld=True
            ),
            q.Rated(on=date(2026, 3, 21), satisfaction=q.Satisfaction.SATISFIED),
        ],
    )
    assert q.status(answered) is q.InquiryStatus.COMPLAINT_ANSWERED


def test_answer_base_has_no_personal_data() -> None:
    """Publishable answers only, masked, searchable by words and filtered by unit."""
    store = _store()
    receipt = q.receive(
        store,
        id="Q1",
        agency="edu",
        on=date(2026, 3, 2),
        channel=q.InquiryChannel.PHONE,
        category=InquiryKind.GENERAL,
        question="我是张三，电话13812345678，高龄津贴如何申请？",
        inquirer=WHO,
    )
    q.record(
        store,
        "Q1",
        [
            q.Answered(
                on=date(2026, 3, 3), unit="edu", answer="张三您好：到民政局申请", publishable=True
            )
        ],
    )
    _receive(store, "Q2")
    q.record(store, "Q2", [q.Answered(on=date(2026, 3, 3), unit="edu", answer="不公开的答复")])
    base = q.answer_base(store.items(q.InquiryCase))
    assert [e.entry_id for e in base] == ["Q1-1"]
    entry = base[0]
    assert "13812345678" not in entry.question
    assert "张三" not in entry.question + entry.answer
    assert "高龄津贴" in entry.question
    assert receipt.code not in repr(entry)
    assert q.answer_base(store.items(q.InquiryCase), words=["津贴", "民政局"]) == base
    assert q.answer_base(store.items(q.InquiryCase), words=["医保"]) == []
    assert q.answer_base(store.items(q.InquiryCase), agency="hr") == []


def test_yearly_counts_and_narrative() -> None:
    """Received, answered on time and complaints per agency, for the annual report's text."""
    store = _store()
    for i in range(3):
        _receive(store, f"Q{i}")
    q.record(
        store,
        "Q0",
        [
            q.Answered(on=date(2026, 3, 4), unit="edu", answer="答"),
            q.InquiryClosed(on=date(2026, 3, 4)),
        ],
    )
    q.record(
        store,
        "Q1",
        [
            q.Answered(on=date(2026, 3, 20), unit="edu", answer="答"),
            q.InquiryClosed(on=date(2026, 3, 20)),
        ],
    )
    q.record(store, "Q1", [q.Complained(on=date(2026, 3, 23), office="sup", grounds="太慢")])
    counts = {
        c.agency: c
        for c in q.yearly_counts(store.items(q.InquiryCase), 2026, params=PARAMS, calendar=CAL)
    }
    edu = counts["edu"]
    assert (
        edu.received,
        edu.answered,
        edu.answered_on_time,
        edu.late_unexplained,
        edu.complaints,
    ) == (3, 2, 1, 1, 1)
    assert edu.narrative() == "2026年受理政务信息查询3件，答复2件，其中按期答复1件；收到投诉1件"
    assert q.yearly_counts(store.items(q.InquiryCase), 2025, params=PARAMS, calendar=CAL) == []


def test_approaching_and_the_daily_job_per_unit() -> None:
    """Due soon and overdue per unit; the daily job takes cases and names the unit."""
    chain = q.apply_all(
        _case(on=date(2026, 3, 2)),
        [
            q.Answered(on=date(2026, 3, 3), unit="edu", answer="答"),
            q.PassedOn(
                on=date(2026, 3, 6), from_unit="edu", to_unit="hr", reason="r", approved_by="a"
            ),
        ],
    )
    late = q.apply(q.InquiryCase(id="Q2", agency="edu"), _case(on=date(2026, 2, 24)).events[0])
    run = q.approaching([chain, late], date(2026, 3, 11), params=PARAMS, calendar=CAL)
    # Q2: 2/24 -> 3/2 (Saturday 2/28 is worked: 春节 2026 调休), 7 working days late on 3/11;
    # Q1/hr: 3/6 -> 3/13, 2 left
    assert [(c.case_id, c.unit, c.status.state) for c in run.items] == [
        ("Q2", "edu", ClockState.OVERDUE),
        ("Q1", "hr", ClockState.DUE_SOON),
    ]
    assert run.overdue[0].status.working_days_late == 7
    assert [r.agency for r in run.reminders()] == ["hr"]
    result = daily.check(
        as_of=date(2026, 3, 11), params=PARAMS, calendar=CAL, inquiries=[chain, late]
    )
    assert sorted((c.subject_id, c.party, c.state) for c in result.checks) == [
        ("Q1", "hr", ClockState.DUE_SOON),
        ("Q2", "edu", ClockState.OVERDUE),
    ]


def test_cli_desk_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """receive, forward (refused without approval, no traceback), answer, close, complain with
    the code, find, show."""
    pytest.importorskip("govdisclose_sql")
    from govdisclose.cli import main
    from govdisclose_sql import SqlStore

    url = f"sqlite:///{tmp_path / 'gd.db'}"
    store = SqlStore(url)
    for code in ("edu", "hr", "sup"):
        store.put_agency(builders.agency(code))
    store.close()

    def run(*argv: str) -> tuple[int, str]:
        out = io.StringIO()
        status = main(["inquiry", *argv, "--store", url], out=out)
        return status, out.getvalue()

    status, text = run(
        "receive",
        "Q1",
        "--on",
        "2026-09-28",
        "--agency",
        "edu",
        "--channel",
        "phone",
        "--category",
        "general",
        "--question",
        "入学材料？",
        "--name",
        "张三",
    )
    assert status == 0
    code = text.split("query code: ")[1].strip()
    forward = (
        "forward",
        "Q1",
        "--on",
        "2026-09-29",
        "--from",
        "edu",
        "--to",
        "hr",
        "--office",
        "县政府办",
        "--office",
        "市政府办",
        "--reason",
        "不属本单位",
    )
    assert run(*forward)[0] == 1
    err = capsys.readouterr().err
    assert "inquiries.approval_required" in err
    assert "Traceback" not in err
    assert "批准人" in err
    assert run(*forward, "--approved-by", "主任")[0] == 0
    assert run("answer", "Q1", "--on", "2026-10-30", "--unit", "hr", "--answer", "见官网")[0] == 0
    assert run("close", "Q1", "--on", "2026-10-30")[0] == 0
    assert (
        run("complain", "--on", "2026-11-02", "--code", code, "--office", "sup", "--grounds", "慢")[
            0
        ]
        == 0
    )
    status, text = run("find", "--code", code)
    assert (status, text.split()[:2]) == (0, ["Q1", "edu"])
    status, text = run("show", "Q1", "--as-of", "2026-11-03")
    assert status == 0
    assert "hr（经政府办转发）期限 2026-10-23" in text
    assert "inquiry.late_unexplained" in text
    assert "张三" not in text
    assert run("find", "--code", "not-a-code")[0] == 1
    assert "inquiries.invalid_code" in capsys.readouterr().err
