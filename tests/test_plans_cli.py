"""``govdisclose plan import | status | report | review`` on a SQLite store."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from tests.test_plans import messy_table

from govdisclose.cli import main
from govdisclose.model import Agency
from govdisclose.plugins import Settings, open_store
from govdisclose.vocab import AgencyKind, AgencyLevel

openpyxl = pytest.importorskip("openpyxl")
pytest.importorskip("govdisclose_sql")


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'gd.db'}"
    store = open_store(Settings(store_url=url))
    try:
        store.put_agency(
            Agency("county-gov", "某县人民政府办公室", AgencyLevel.COUNTY, AgencyKind.GOVERNMENT)
        )
        store.put_agency(
            Agency("county-fin", "某县财政局", AgencyLevel.COUNTY, parent="county-gov")
        )
    finally:
        store.close()
    return url


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def _table(tmp_path: Path, *, bad: bool) -> Path:
    path = tmp_path / "任务分解表.xlsx"
    path.write_bytes(messy_table(bad=bad))
    return path


def test_import_refuses_a_bad_row_naming_it(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _table(tmp_path, bad=True)
    status, _ = _run(
        "plan", "import", str(table), "--year", "2024", "--issuer", "county-gov", "--store", url
    )
    err = capsys.readouterr().err
    assert status == 1
    assert "[plans.import]" in err
    assert "任务分解!E9" in err
    assert "9月31日前" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    status, _ = _run("plan", "status", "--year", "2024", "--as-of", "2024-07-01", "--store", url)
    assert status == 1
    assert "plans.no_plan" in capsys.readouterr().err


def test_import_status_report_review(url: str, tmp_path: Path) -> None:
    table = _table(tmp_path, bad=True)
    status, text = _run(
        "plan",
        "import",
        str(table),
        "--year",
        "2024",
        "--issuer",
        "county-gov",
        "--lenient",
        "--store",
        url,
    )
    assert status == 0, text
    assert "stored plan county-gov-2024: 5 tasks" in text
    assert "任务分解!E9" in text

    evidence = tmp_path / "一季度公开截图.png"
    evidence.write_bytes(b"\x89PNG fake")
    status, text = _run(
        "plan",
        "report",
        "2",
        "--year",
        "2024",
        "--unit",
        "县财政局",
        "--on",
        "2024-03-28",
        "--evidence",
        f"file:{evidence}",
        "--evidence",
        "publication:https://www.example.gov.cn/a.html",
        "--store",
        url,
    )
    assert status == 0
    assert "县财政局 任务2 已完成（2 份佐证" in text

    status, text = _run(
        "plan",
        "status",
        "--year",
        "2024",
        "--as-of",
        "2024-07-01",
        "--unit",
        "县政府相关部门",
        "--store",
        url,
    )
    assert status == 0
    assert "[逾期未完成] 任务2 2024Q1 到期 2024-03-31" in text
    assert "[逾期未完成] 任务2 2024Q2 到期 2024-06-30" in text
    assert "逾期 2 项，即将到期 0 项" in text

    xlsx = tmp_path / "status.xlsx"
    status, lines = _run(
        "plan",
        "status",
        "--year",
        "2024",
        "--as-of",
        "2024-07-01",
        "--json",
        "--all",
        "--xlsx",
        str(xlsx),
        "--store",
        url,
    )
    rows = [json.loads(line) for line in lines.splitlines()]
    fin = {r["period"]: r["state"] for r in rows if r["unit"] == "县财政局" and r["task"] == "2"}
    assert fin == {
        "2024Q1": "done_on_time",
        "2024Q2": "overdue",
        "2024Q3": "not_started",
        "2024Q4": "upcoming",
    }
    book = openpyxl.load_workbook(xlsx)
    assert book["任务完成情况"].max_row == 2 + len(rows)

    status, text = _run("plan", "review", "2024", "--store", url)
    assert status == 0
    assert "2024年工作要点回头看（截至 2025-01-01）" in text
    status, lines = _run("plan", "review", "2024", "--json", "--store", url)
    items = [json.loads(line) for line in lines.splitlines()]
    assert {"task": "2", "unit": "县财政局", "period": "2024Q2"}.items() <= next(
        i for i in items if i["unit"] == "县财政局" and i["period"] == "2024Q2"
    ).items()
    assert all(date.fromisoformat(i["due"]) < date(2025, 1, 1) for i in items)


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (
            [
                "plan",
                "report",
                "1",
                "--year",
                "2024",
                "--unit",
                "县财政局",
                "--on",
                "2024-05-01",
                "--evidence",
                "photo:x",
            ],
            "cli.bad_option",
        ),
        (
            ["plan", "report", "1", "--year", "2024", "--unit", "县财政局", "--on", "2024-05-01"],
            "plans.no_evidence",
        ),
        (
            [
                "plan",
                "report",
                "99",
                "--year",
                "2024",
                "--unit",
                "县财政局",
                "--on",
                "2024-05-01",
                "--evidence",
                "record:R-1",
            ],
            "plans.no_task",
        ),
        (["plan", "status", "--year", "2024", "--as-of", "2024-13-01"], "cli.bad_option"),
    ],
)
def test_errors_are_one_bilingual_line(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], code: str
) -> None:
    table = _table(tmp_path, bad=False)
    assert (
        _run(
            "plan", "import", str(table), "--year", "2024", "--issuer", "county-gov", "--store", url
        )[0]
        == 0
    )
    capsys.readouterr()
    status, _ = _run(*argv, "--store", url)
    err = capsys.readouterr().err
    assert status in (1, 2)
    assert f"[{code}]" in err
    assert "Traceback" not in err
    assert " / " in err  # Chinese / English
