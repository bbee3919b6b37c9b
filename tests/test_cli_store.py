"""``govdisclose deadlines`` and ``govdisclose report`` on a SQLite store."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from govdisclose.calendar import WorkCalendar
from govdisclose.cli import main
from govdisclose.deadlines import reply_status
from govdisclose.params import ParameterSet
from govdisclose.plugins import Settings, open_store
from govdisclose.report import AnnualReport
from govdisclose.serde import loads
from govdisclose.synthetic import Dataset, generate

AS_OF = date(2026, 1, 20)


@pytest.fixture(scope="module")
def data() -> Dataset:
    return generate(2025, applications_per_agency=40, records_per_agency=6, seed=11)


@pytest.fixture
def store_url(tmp_path: Path, data: Dataset) -> str:
    url = f"sqlite:///{tmp_path / 'gd.db'}"
    store = open_store(Settings(store_url=url))
    try:
        store.import_bulk(
            agencies=data.agencies,
            records=data.records,
            applications=data.applications,
            review_cases=data.review_cases,
        )
    finally:
        store.close()
    return url


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_deadlines_lists_exactly_the_overdue_and_due_soon(store_url: str, data: Dataset) -> None:
    """Every listed application is overdue or due soon per reply_status; none is missed."""
    status, text = _run("deadlines", "--store", store_url, "--as-of", AS_OF.isoformat(), "--json")
    assert status == 0
    rows = list(map(json.loads, text.splitlines()))
    assert rows[-1]["type"] == "summary"
    listed = {
        row["subject_id"]: row for row in rows if row["type"] == "clock" and row["clock"] == "reply"
    }
    assert {row["subject"] for row in rows if row["type"] == "clock"} <= {"application", "record"}
    params, calendar = ParameterSet.default(), WorkCalendar.default()
    expected = {}
    for app in data.applications:
        st = reply_status(app, AS_OF, params=params, calendar=calendar)
        if st.state.value in ("overdue", "due_soon"):
            expected[app.id] = st
    assert set(listed) == set(expected)
    for app_id, st in expected.items():
        assert listed[app_id]["due"] == st.due.isoformat()  # type: ignore[union-attr]


def test_deadlines_table_output(store_url: str) -> None:
    """The human-readable form starts with the counts."""
    status, text = _run("deadlines", "--store", store_url, "--as-of", AS_OF.isoformat())
    assert status == 0
    assert text.startswith(f"{AS_OF}：检查")
    assert "overdue" in text.splitlines()[0]
    assert "答复期限" in text


def test_report_refuses_blank_required_cells(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without the supplied table 二 figures the report has blank cells: exit 1, nothing printed."""
    status, text = _run("report", "--store", store_url, "--agency", "city-eeb", "--year", "2025")
    assert status == 1
    assert text == ""
    assert "BLANK_CELL" in capsys.readouterr().err


def test_report_json_round_trips(store_url: str, tmp_path: Path) -> None:
    """With the figures supplied the report validates and its JSON reads back as a report."""
    target = tmp_path / "r.json"
    status, text = _run(
        "report", "--store", store_url, "--agency", "city-eeb", "--year", "2025",
        "--licensing", "5", "--penalty", "2", "--coercion", "0", "--fees", "1.5",
        "--format", "json", "--output", str(target),
    )  # fmt: skip
    assert status == 0, text
    report = loads(target.read_text("utf-8"), AnnualReport)
    assert report.agency_code == "city-eeb"
    assert report.cell("T2.licensing.decisions") == 5


def test_report_rollup_sums_the_departments(store_url: str, data: Dataset) -> None:
    """--rollup consolidates the government and every agency whose parent it is."""
    status, text = _run(
        "report", "--store", store_url, "--agency", "city-gov", "--year", "2025", "--rollup",
        "--blanks", "zero", "--licensing", "1", "--penalty", "0", "--coercion", "0",
        "--fees", "0", "--format", "json",
    )  # fmt: skip
    assert status == 0
    report = loads(text, AnnualReport)
    received_2025 = sum(
        1 for a in data.applications if a.receipt_date and a.receipt_date.year == 2025
    )
    assert report.cell("T3.R1.total") == received_2025
    assert len(report.breakdown) == len(data.agencies)
