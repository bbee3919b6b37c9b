"""``govdisclose due``, ``govdisclose calendar show|export|load`` and the calendar options of
``govdisclose deadlines``, end to end, with their errors on bad input."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

import govdisclose as gd
from govdisclose.calendar import WorkCalendar
from govdisclose.cli import main
from govdisclose.deadlines import reply_deadline
from govdisclose.params import ParameterSet
from govdisclose.plugins import Settings, open_store

NOTICES = Path(__file__).parent / "data" / "holiday_notices"
MADE_UP = NOTICES / "2027-made-up.txt"


@pytest.fixture(autouse=True)
def calendar_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test keeps its loaded schedules in its own directory (never the user's)."""
    folder = tmp_path / "calendar"
    monkeypatch.setenv("GOVDISCLOSE_CALENDAR_DIR", str(folder))
    return folder


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def _app(received: date, app_id: str) -> gd.Application:
    app = gd.Application(
        id=app_id,
        agency="city-gov",
        applicant=gd.Applicant(type=gd.ApplicantType.NATURAL_PERSON, name="张三"),
        channel=gd.Channel.IN_PERSON,
        request="请公开某某项目的环评批复",
    )
    return gd.apply(app, gd.Received(on=received))


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'gd.db'}"
    store = open_store(Settings(store_url=url))
    try:
        store.put_agency(gd.Agency(code="city-gov", name="某市人民政府", level=gd.AgencyLevel.CITY))
        for day in (date(2026, 11, 20), date(2026, 12, 4), date(2026, 12, 20)):
            store.create_application(_app(day, f"A-{day.isoformat()}"))
        late = gd.apply(
            _app(date(2026, 12, 21), "A-extended"),
            gd.Extended(on=date(2026, 12, 28), days=20, reason="需调档", approved_by="主任"),
        )
        store.create_application(late)
    finally:
        store.close()
    return url


# -- govdisclose due --------------------------------------------------------------------------


def test_due_equals_the_library() -> None:
    status, text = _run("due", "--received", "2025-01-24")
    assert status == 0
    assert text.splitlines()[0] == "答复期限 due: 2025-02-27"


def test_due_with_events_and_explain() -> None:
    status, text = _run(
        "due", "--received", "2025-09-15", "--consulted", "2025-09-24:某公司",
        "--consultation-replied", "2025-10-15:某公司", "--explain", "--as-of", "2025-10-20",
    )  # fmt: skip
    assert status == 0, text
    assert "答复期限 due: 2025-11-03" in text  # the golden case, sending day counted
    assert "11个工作日不计入期限" in text
    assert "2025-10-20: 办理中 (pending)" in text


def test_due_json_and_the_policies() -> None:
    status, text = _run("due", "--received", "2026-12-04", "--json")
    assert status == 1  # strict: 2027 has no data, one clear error
    status, text = _run("due", "--received", "2026-12-04", "--json", "--calendar-policy",
                        "provisional")  # fmt: skip
    assert status == 0
    row = json.loads(text)
    cal = WorkCalendar.default(policy="provisional")
    expected = cal.add_working_days(date(2026, 12, 4), 20)
    assert row["due"] == expected.isoformat()
    assert row["provisional"] is True
    assert row["assumption"] == cal.provisional_assumption
    # With the (made-up) 2027 notice loaded from a file the date is final.
    status, text = _run("due", "--received", "2026-12-04", "--json", "--calendar-file",
                        str(MADE_UP))  # fmt: skip
    assert status == 0
    assert json.loads(text)["provisional"] is False


def test_due_strict_error_says_what_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    status, text = _run("due", "--received", "2026-12-04")
    assert (status, text) == (1, "")
    err = capsys.readouterr().err
    assert "calendar.data_missing" in err
    assert "govdisclose calendar load" in err
    assert "--calendar-policy provisional" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "status", "needle"),
    [
        # a value that is not what the option takes: a usage error naming the option
        (["due", "--received", "2026-03-02", "--channel", "pigeon"], 2, "argument --channel"),
        (["due", "--received", "2026-03-02", "--extended", "2026-03-05"], 2, "--extended"),
        (["due", "--received", "2026-03-02", "--extended", "2026-03-05:-5"], 2, "DAYS"),
        (["due", "--received", "2026-03-02", "--consulted", "yesterday"], 2, "--consulted"),
        (["due", "--received", "2026-03-02", "--consultation-replied", "x:某公司"], 2, "PARTY"),
        (["due", "--received", "9999-12-31"], 2, "1900 to 2100"),
        (["due", "--received", "2026-03-02", "--as-of", "0001-01-01"], 2, "--as-of"),
        (["due", "--received", "2026-03-02", "--fee-paid", "soon"], 2, "--fee-paid"),
        # a valid command line whose facts are impossible: the library's own error
        (["due", "--received", "2026-03-02", "--correction-received", "2026-03-04"], 1,
         "lifecycle"),
        (["due", "--received", "1901-03-02"], 1, "params.not_found"),
    ],
)  # fmt: skip
def test_due_bad_input_is_one_clear_line(
    argv: list[str], status: int, needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(*argv) == (status, "")
    err = capsys.readouterr().err
    assert needle in err
    assert err.startswith("govdisclose due: [")
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["due", "--received", "2026-02-30"], "YYYY-MM-DD"),
        (["due"], "the following arguments are required: --received"),
        (["due", "--received", "2026-03-02", "--calendar-policy", "lenient"], "invalid choice"),
        (["calendar", "export", "--format", "xls"], "invalid choice"),
        (["calendar", "export", "--from", "2026-1-1"], "--from"),
        (["calendar", "export", "--to", "31/12/2026"], "--to"),
        (["calendar", "show", "--month", "99999-01"], "--month"),
        (["calendar", "show", "--month", "2026-13"], "--month"),
        (["calendar", "show", "--month", "0-01"], "--month"),
        (["calendar", "show", "--months", "abc"], "--months"),
        (["calendar", "show", "--months", "0"], "--months"),
        (["calendar", "show", "--months", "25"], "--months"),
        (["calendar", "load"], "notice"),
        (["calendar", "load", "x.txt", "--as-of", "tomorrow"], "--as-of"),
        (["calendar", "load", "x.txt", "--store", "gd.db", "--as-of", "2026-12-01"], "--store"),
        (["calendar", "frobnicate"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2(
    argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(*argv) == (2, "")
    err = capsys.readouterr().err
    assert needle in err
    assert "[cli.usage]" in err or "[cli.bad_option]" in err
    assert "用法见" in err  # the Chinese half is there too
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


# -- govdisclose calendar ---------------------------------------------------------------------


def test_calendar_show_marks_holidays_and_makeup_days() -> None:
    status, text = _run("calendar", "show", "--month", "2026-10")
    assert status == 0
    assert "2026年10月" in text
    assert " 1休" in text
    assert "10班" in text
    assert "国务院办公厅关于2026年部分节假日安排的通知" in text
    assert "2004–2026" in text


def test_calendar_show_provisional_is_marked() -> None:
    status, text = _run("calendar", "show", "--month", "2027-02", "--calendar-policy",
                        "provisional")  # fmt: skip
    assert status == 0
    assert "暂定" in text


def test_calendar_export_formats(tmp_path: Path) -> None:
    status, text = _run("calendar", "export", "--format", "csv", "--from", "2026-01-01",
                        "--to", "2026-12-31")  # fmt: skip
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 365
    assert {r["date"] for r in rows if r["kind"] == "makeup_workday"} == {
        "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
    }  # fmt: skip
    target = tmp_path / "cal.ics"
    status, text = _run("calendar", "export", "--format", "ics", "--output", str(target))
    assert status == 0
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    status, text = _run("calendar", "export", "--format", "json", "--from", "2026-10-01",
                        "--to", "2026-10-31")  # fmt: skip
    data = json.loads(text)
    assert [d["day"] for d in data["days"]][:2] == ["2026-10-01", "2026-10-02"]


def test_calendar_load_stores_the_schedule_and_every_command_uses_it(
    calendar_dir: Path,
) -> None:
    status, text = _run("calendar", "load", str(MADE_UP))
    assert status == 0, text
    assert "春节：2027-02-05 至 2027-02-12 放假，共8天" in text
    assert "调休上班：2027-02-20" in text
    assert (calendar_dir / "2027.toml").exists()
    status, text = _run("calendar", "load", str(MADE_UP))
    assert "already loaded" in text
    status, text = _run("due", "--received", "2026-12-04")  # strict, and now final
    assert status == 0
    cal = WorkCalendar.default().with_notice(MADE_UP)
    assert text.splitlines()[0] == f"答复期限 due: {cal.add_working_days(date(2026, 12, 4), 20)}"


def test_calendar_load_refuses_a_different_schedule_without_replace(
    calendar_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run("calendar", "load", str(MADE_UP))[0] == 0
    other = tmp_path / "2027-other.txt"
    other.write_text(
        MADE_UP.read_text("utf-8").replace(
            "二、春节：2月5日（农历除夕、周五）至12日（农历正月初七、周五）放假调休，共8天。",
            "二、春节：2月5日（农历除夕、周五）至11日（农历正月初六、周四）放假调休，共7天。",
        ),
        "utf-8",
    )
    status, _ = _run("calendar", "load", str(other))
    assert status == 1
    assert "calendar.schedule_exists" in capsys.readouterr().err
    status, text = _run("calendar", "load", str(other), "--replace")
    assert status == 0
    assert "replaced" in text


def test_calendar_load_names_the_bad_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(MADE_UP.read_text("utf-8").replace("1月1日（周五）", "1月1日（周六）"), "utf-8")
    status, _ = _run("calendar", "load", str(bad))
    assert status == 1
    err = capsys.readouterr().err
    assert "calendar.invalid_notice" in err
    assert "bad.txt:" in err


def test_calendar_load_lists_what_moved_in_the_store(store_url: str) -> None:
    status, text = _run("calendar", "load", str(MADE_UP), "--store", store_url,
                        "--as-of", "2026-12-28")  # fmt: skip
    assert status == 0, text
    params = ParameterSet.default()
    old, new = WorkCalendar.default(), WorkCalendar.default().with_notice(MADE_UP)
    for app_id in ("A-2026-12-04", "A-2026-12-20", "A-extended"):
        assert f"申请 {app_id}" in text
    assert "申请 A-2026-11-20" not in text  # due 2026-12-18 under both calendars
    store = open_store(Settings(store_url=store_url))
    try:
        extended = store.get_application("A-extended")
    finally:
        store.close()
    due = reply_deadline(extended, params=params, calendar=new)
    assert due is not None
    assert "无法计算" in text
    assert due.due.isoformat() in text
    assert old.covered == (2004, 2026)


def test_calendar_export_output_errors_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing directory, a directory or an unwritable place: cli.cannot_write, nothing
    written (a mistyped directory is not created)."""
    for target, reason in (
        (tmp_path / "missing" / "cal.ics", "does not exist"),
        (tmp_path, "is a directory"),
    ):
        status, _ = _run("calendar", "export", "--format", "ics", "--output", str(target))
        assert status == 1
        err = capsys.readouterr().err
        assert "[cli.cannot_write]" in err
        assert str(target) in err
        assert reason in err
        assert "Traceback" not in err
    assert not (tmp_path / "missing").exists()


def test_calendar_load_with_store_needs_as_of(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _ = _run("calendar", "load", str(MADE_UP), "--store", store_url)
    assert status == 2
    err = capsys.readouterr().err
    assert "--as-of" in err
    assert "cli.bad_option" in err


def test_calendar_load_store_is_read_only_and_must_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--store`` is only read: a mistyped path is an error and creates nothing."""
    missing = tmp_path / "typo.db"
    status, _ = _run("calendar", "load", str(MADE_UP), "--store", f"sqlite:///{missing}",
                     "--as-of", "2026-12-28", "--dry-run")  # fmt: skip
    assert status == 1
    assert "store.missing" in capsys.readouterr().err
    assert not missing.exists()


# -- govdisclose deadlines with the calendar options ------------------------------------------


def test_deadlines_december_strict_never_aborts(store_url: str) -> None:
    status, text = _run("deadlines", "--store", store_url, "--as-of", "2026-12-16", "--all")
    assert status == 0
    assert "申请 A-2026-11-20" in text  # due 2026-12-18: listed
    assert "A-2026-12-04（答复期限）无法计算" in text
    assert "缺少2027年的节假日数据" in text
    status, _ = _run("deadlines", "--store", store_url, "--as-of", "2026-12-16",
                     "--fail-on-problems")  # fmt: skip
    assert status == 3


def test_deadlines_december_provisional_marks_results(store_url: str) -> None:
    status, text = _run("deadlines", "--store", store_url, "--as-of", "2026-12-21", "--all",
                        "--calendar-policy", "provisional", "--json")  # fmt: skip
    assert status == 0
    rows = [json.loads(line) for line in text.splitlines()]
    clocks = {r["subject_id"]: r for r in rows if r["type"] == "clock" and r["clock"] == "reply"}
    assert clocks["A-2026-11-20"]["provisional"] is False
    assert clocks["A-2026-12-04"]["provisional"] is True
    assert clocks["A-2026-12-04"]["assumption"]
    assert not [r for r in rows if r["type"] == "problem"]


def test_deadlines_policy_from_the_option(store_url: str) -> None:
    status, text = _run("deadlines", "--store", store_url, "--as-of", "2026-12-21", "--all",
                        "--option", "calendar.policy=provisional")  # fmt: skip
    assert status == 0
    assert "（暂定）" in text
