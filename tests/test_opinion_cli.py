"""``govdisclose opinion`` and ``govdisclose press``: a ledger and press events kept from the
shell on a SQLite store, the overdue limits reaching the event hook, and every refusal one
bilingual line with its code, never a traceback."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from govdisclose.cli import main
from govdisclose.model import Agency
from govdisclose.notifications import OpinionDutyOverdue
from govdisclose.vocab import AgencyKind, AgencyLevel

pytest.importorskip("govdisclose_sql")


@pytest.fixture
def url(tmp_path: Path) -> str:
    from govdisclose_sql import SqlStore

    u = f"sqlite:///{tmp_path / 'gd.db'}"
    s = SqlStore(u)
    s.put_agency(
        Agency("county-gov", "某县人民政府办公室", AgencyLevel.COUNTY, AgencyKind.GOVERNMENT)
    )
    s.put_agency(Agency("county-eeb", "某县环保局", AgencyLevel.COUNTY, parent="county-gov"))
    s.close()
    return u


def run(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue(), capsys.readouterr().err


def test_a_case_from_detection_to_the_overdue_list(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        "opinion",
        "detect",
        "YQ-1",
        "--store",
        url,
        "--agency",
        "county-eeb",
        "--at",
        "2025-10-01T20:30",
        "--grade",
        "major",
        "--source",
        "monitoring",
        "--summary",
        "网传某河段大量死鱼",
        capsys=capsys,
    )
    assert code == 0
    assert "5小时内发布权威信息：2025-10-02 01:30" in out
    assert "24小时内举行新闻发布会：2025-10-02 20:30" in out
    assert "国办发〔2016〕61号" in out
    code, out, _ = run(
        "opinion",
        "respond",
        "YQ-1",
        "--store",
        url,
        "--at",
        "2025-10-02T01:30+08:00",
        "--type",
        "release",
        "--summary",
        "发布权威信息",
        capsys=capsys,
    )
    assert (code, out) == (0, "YQ-1: response recorded; 已回应\n")
    code, out, _ = run(
        "opinion", "list", "--store", url, "--as-of", "2025-10-03T09:00", "--json", capsys=capsys
    )
    row = json.loads(out)
    assert (row["first_response_state"], row["press_conference_state"]) == (
        "按时完成",
        "已超时未完成",
    )
    code, out, _ = run(
        "opinion", "overdue", "--store", url, "--as-of", "2025-10-03T09:00", capsys=capsys
    )
    assert code == 0
    assert out.splitlines()[0] == "舆情回应时限（2025-10-03 09:00）：已超时 1 项，即将到期 0 项"
    assert "24小时内举行新闻发布会" in out
    assert "已超时 12.5 小时" in out
    code, out, _ = run(
        "opinion",
        "respond",
        "YQ-1",
        "--store",
        url,
        "--at",
        "2025-10-03T10:00",
        "--type",
        "press_conference",
        "--summary",
        "发布会",
        "--attendee",
        "王某:principal_head",
        capsys=capsys,
    )
    assert code == 0
    code, out, _ = run(
        "opinion", "close", "YQ-1", "--store", url, "--at", "2025-10-04T10:00", capsys=capsys
    )
    assert (code, out) == (0, "YQ-1: 已办结\n")
    code, out, _ = run(
        "opinion", "list", "--store", url, "--as-of", "2025-10-05T00:00", capsys=capsys
    )
    assert "YQ-1\tcounty-eeb\t重大\t2025-10-01 20:30\t已办结\t按时完成\t超时完成\t13.5" in out


def test_the_overdue_command_delivers_the_reminders_to_the_event_hook(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    heard: list[Any] = []
    import govdisclose.plugins as plugins

    real = plugins.notify
    monkeypatch.setattr(plugins, "notify", lambda pm, n: (heard.append(n), real(pm, n)))
    run(
        "opinion",
        "detect",
        "YQ-2",
        "--store",
        url,
        "--agency",
        "county-eeb",
        "--at",
        "2025-10-01T08:00",
        "--grade",
        "general",
        "--source",
        "media",
        "--summary",
        "网民质疑施工未公告",
        "--not-emergency",
        capsys=capsys,
    )
    heard.clear()
    code, _, _ = run(
        "opinion", "overdue", "--store", url, "--as-of", "2025-10-04T08:00", capsys=capsys
    )
    assert code == 0
    assert [type(n) for n in heard] == [OpinionDutyOverdue]
    assert (heard[0].duty, heard[0].hours_late) == ("response", 24.0)
    heard.clear()
    run(
        "opinion",
        "overdue",
        "--store",
        url,
        "--as-of",
        "2025-10-04T08:00",
        "--no-notify",
        capsys=capsys,
    )
    assert heard == []


@pytest.mark.parametrize(
    ("argv", "status", "code"),
    [
        (
            ("respond", "NOPE", "--at", "2025-10-02T01:30", "--type", "release", "--summary", "x"),
            1,
            "store.not_found",
        ),
        (
            ("respond", "YQ-1", "--at", "2025-09-01T01:30", "--type", "release", "--summary", "x"),
            1,
            "opinion.invalid_transition",
        ),
        (
            (
                "respond",
                "YQ-1",
                "--at",
                "2025-10-02T01:30",
                "--type",
                "press_conference",
                "--summary",
                "x",
            ),
            1,
            "opinion.no_attendee",
        ),
        (
            ("respond", "YQ-1", "--at", "2025-10-02 25:00", "--type", "release", "--summary", "x"),
            2,
            "cli.bad_option",
        ),
        (
            ("respond", "YQ-1", "--at", "2025-10-02T01:30", "--type", "tweet", "--summary", "x"),
            2,
            "cli.usage",
        ),
        (
            (
                "respond",
                "YQ-1",
                "--at",
                "2025-10-02T01:30",
                "--type",
                "interview",
                "--summary",
                "x",
                "--attendee",
                "王某:boss",
            ),
            2,
            "cli.bad_option",
        ),
        (
            (
                "detect",
                "YQ-1",
                "--agency",
                "county-eeb",
                "--at",
                "2025-10-01T20:30",
                "--grade",
                "major",
                "--source",
                "media",
                "--summary",
                "again",
            ),
            1,
            "store.conflict",
        ),
    ],
)
def test_refusals_are_one_bilingual_line(
    url: str, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], status: int, code: str
) -> None:
    run(
        "opinion",
        "detect",
        "YQ-1",
        "--store",
        url,
        "--agency",
        "county-eeb",
        "--at",
        "2025-10-01T20:30",
        "--grade",
        "major",
        "--source",
        "monitoring",
        "--summary",
        "网传某河段大量死鱼",
        capsys=capsys,
    )
    got, _, err = run("opinion", argv[0], *argv[1:], "--store", url, capsys=capsys)
    assert got == status
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert f"[{code}" in err
    assert " / " in err  # Chinese, then English


def test_press_add_list_and_behind(
    url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(
        "press",
        "add",
        "P1",
        "--store",
        url,
        "--agency",
        "county-gov",
        "--kind",
        "press_conference",
        "--on",
        "2025-03-31",
        "--title",
        "一季度新闻发布会",
        "--topic",
        "经济运行",
        "--attendee",
        "王某:principal_head:county-eeb",
        "--attendee",
        "张某:spokesperson",
        capsys=capsys,
    )
    assert (code, out) == (0, "added P1: 新闻发布会 2025-03-31\n")
    code, out, _ = run("press", "list", "--store", url, "--year", "2025", capsys=capsys)
    assert "王某（主要负责人）、张某（新闻发言人）" in out
    assert "举办新闻发布会1次，其中主要负责同志参加新闻发布会1次" in out
    code, out, _ = run("press", "behind", "--store", url, "--as-of", "2025-04-01", capsys=capsys)
    assert out.splitlines()[0] == "units behind their press cadence on 2025-04-01: 1"
    assert "county-eeb 2024年" in out  # the head attended in 2025, not in 2024
    code, out, _ = run("press", "behind", "--store", url, "--as-of", "2025-07-01", capsys=capsys)
    assert "county-gov 2025年第2季度" in out
    bad = tmp_path / "bad.toml"
    bad.write_text("[[rule]]\nid = 1\n", "utf-8")
    code, out, err = run(
        "press",
        "behind",
        "--store",
        url,
        "--as-of",
        "2025-07-01",
        "--cadence",
        str(bad),
        capsys=capsys,
    )
    assert code == 1
    assert "[press.cadence_invalid]" in err
    assert err.count("\n") == 1
