"""``govdisclose deadlines`` and ``govdisclose report`` on a SQLite store."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import stat
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

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


# -- the store is only read, and must exist ------------------------------------------------------


def _read_only(path: Path) -> contextlib.AbstractContextManager[None]:
    """``path`` made read-only for this process: chmod for an ordinary user, the immutable
    attribute for root (whom permission bits do not stop); skips where neither works."""

    @contextlib.contextmanager
    def manage() -> Iterator[None]:
        if os.geteuid() != 0:
            mode = path.stat().st_mode
            path.chmod(0o555 if path.is_dir() else 0o444)
            try:
                yield
            finally:
                path.chmod(mode)
            return
        try:
            done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
        except FileNotFoundError:
            pytest.skip("chattr is not installed: cannot make a file read-only for root")
        if done.returncode != 0:
            pytest.skip(f"chattr +i failed: {done.stderr.decode().strip()}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)

    return manage()


def _db_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


REPORT = ["--agency", "city-eeb", "--year", "2025", "--licensing", "5", "--penalty", "2",
          "--coercion", "0", "--fees", "1.5", "--format", "json"]  # fmt: skip


@pytest.mark.parametrize("command", ["deadlines", "report"])
def test_a_mistyped_store_path_is_an_error_not_a_new_database(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "gd-typo.db"
    argv = ["--as-of", AS_OF.isoformat()] if command == "deadlines" else REPORT
    status, text = _run(command, "--store", f"sqlite:///{typo}", *argv)
    assert (status, text) == (1, "")
    err = capsys.readouterr().err
    assert err.startswith(f"govdisclose {command}: [store.missing]")
    assert str(typo) in err
    assert err.count("\n") == 1
    assert not typo.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["deadlines", "report"])
def test_read_only_commands_leave_the_database_unchanged(store_url: str, command: str) -> None:
    path = _db_path(store_url)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    argv = ["--as-of", AS_OF.isoformat()] if command == "deadlines" else REPORT
    assert _run(command, "--store", store_url, *argv)[0] == 0
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_read_only_commands_work_on_a_read_only_database(store_url: str) -> None:
    path = _db_path(store_url)
    with _read_only(path):
        status, text = _run("deadlines", "--store", store_url, "--as-of", AS_OF.isoformat())
        assert status == 0, text
        status, text = _run("report", "--store", store_url, *REPORT)
        assert status == 0, text
        assert loads(text, AnnualReport).agency_code == "city-eeb"


def test_read_only_commands_work_in_a_read_only_directory(store_url: str) -> None:
    """A store on a read-only share: the directory cannot take SQLite's -shm file."""
    folder = _db_path(store_url).parent
    with _read_only(folder):
        status, text = _run("deadlines", "--store", store_url, "--as-of", AS_OF.isoformat())
        assert status == 0, text


@pytest.mark.parametrize(
    ("options", "mode"), [((), "read"), (("--option", "store.mode=write"), "write")]
)
def test_the_store_is_opened_read_only_unless_told_otherwise(
    store_url: str, monkeypatch: pytest.MonkeyPatch, options: tuple[str, ...], mode: str
) -> None:
    import govdisclose.plugins as plugins

    seen: list[str] = []
    real = plugins.open_store

    def spy(settings: Settings, pm: Any = None) -> Any:
        seen.append(settings.store_mode)
        return real(settings, pm)

    monkeypatch.setattr(plugins, "open_store", spy)
    assert _run("deadlines", "--store", store_url, "--as-of", AS_OF.isoformat(), *options)[0] == 0
    assert _run("report", "--store", store_url, *REPORT, *options)[0] == 0
    assert seen == [mode, mode]


def test_memory_store_ignores_the_mode() -> None:
    status, text = _run("deadlines", "--store", "memory://", "--as-of", AS_OF.isoformat())
    assert status == 0
    assert "0项" in text


# -- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["report", "--agency", "city-eeb", "--year", "2025", "--fees", "abc"], "--fees"),
        (["report", "--agency", "city-eeb", "--year", "2025", "--fees", "-1"], "--fees"),
        (["report", "--agency", "city-eeb", "--year", "2025", "--fees", "nan"], "--fees"),
        (["report", "--agency", "city-eeb", "--year", "99999"], "--year"),
        (["report", "--agency", "city-eeb", "--year", "0"], "--year"),
        (["report", "--agency", "city-eeb", "--year", "twenty"], "--year"),
        (["report", "--agency", "city-eeb", "--year", "2025", "--licensing", "-1"], "--licensing"),
        (["report", "--agency", "city-eeb", "--year", "2025", "--penalty", "1.5"], "--penalty"),
        (["report", "--agency", "city-eeb", "--year", "2025", "--coercion", "x"], "--coercion"),
        (["report", "--agency", "city-eeb", "--year", "2025", "--blanks", "nil"], "--blanks"),
        (["report", "--agency", "city-eeb"], "--year"),
        ([*["report"], *REPORT[:-1], "pdf"], "--format"),
        ([*["report"], *REPORT[:-1], "docx"], "--output"),
        (["deadlines", "--as-of", "2026-02-30"], "--as-of"),
        (["deadlines", "--as-of", "2026-01-20", "--within", "-1"], "--within"),
        (["deadlines", "--as-of", "2026-01-20", "--within", "soon"], "--within"),
        (["deadlines", "--as-of", "2026-01-20", "--option", "busy"], "--option"),
        (["deadlines", "--as-of", "2026-01-20", "--option", "=1"], "--option"),
        (["deadlines"], "--as-of"),
    ],
)  # fmt: skip
def test_bad_input_is_a_usage_error(
    store_url: str, argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, text = _run(argv[0], "--store", store_url, *argv[1:])
    assert (status, text) == (2, "")
    err = capsys.readouterr().err
    assert err.startswith(f"govdisclose {argv[0]}: [cli.")
    assert needle in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


@pytest.mark.parametrize("store", ["gd.db", "/var/lib/gd.db"])
def test_a_store_that_is_no_url_is_a_usage_error(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run("deadlines", "--store", store, "--as-of", "2026-01-20") == (2, "")
    err = capsys.readouterr().err
    assert "argument --store" in err
    assert "sqlite:///gd.db" in err


# -- --output --------------------------------------------------------------------------------------


def _files(folder: Path) -> list[str]:
    """The files of ``folder`` but the store's (the database, its -wal and -shm)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("gd.db"))


def _report_to(store_url: str, target: Path) -> int:
    return _run("report", "--store", store_url, *REPORT, "--output", str(target))[0]


def test_report_output_is_written_whole_with_ordinary_permissions(
    store_url: str, tmp_path: Path
) -> None:
    target = tmp_path / "r.json"
    assert _report_to(store_url, target) == 0
    assert loads(target.read_text("utf-8"), AnnualReport).agency_code == "city-eeb"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert _files(tmp_path) == ["r.json"]


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("missing/r.json", "does not exist"),
        (".", "is a directory"),
        ("gd.db/r.json", "gd.db is not a directory"),
    ],
    ids=["missing-directory", "a-directory", "under-a-file"],
)
def test_report_output_that_cannot_be_written_is_one_line(
    store_url: str,
    tmp_path: Path,
    where: str,
    reason: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = tmp_path / where
    assert _report_to(store_url, target) == 1
    err = capsys.readouterr().err
    # Refused before the report is built: the only line is the error.
    assert err.startswith("govdisclose report: [cli.cannot_write]")
    assert str(target) in err
    assert reason in err
    assert err.count("\n") == 1
    assert not (tmp_path / "missing").exists()


def test_report_output_refused_leaves_the_old_file_and_no_temporary(
    store_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An unwritable place (the final rename refused, as on a read-only directory): the old
    file is intact and no temporary file is left behind."""
    target = tmp_path / "r.json"
    target.write_text("old report", "utf-8")

    def refuse(src: Any, dst: Any) -> None:
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", refuse)
    assert _report_to(store_url, target) == 1
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith("govdisclose report: [cli.cannot_write]")
    assert "Permission denied" in last
    assert str(target) in last
    assert target.read_text("utf-8") == "old report"
    assert _files(tmp_path) == ["r.json"]


def test_report_output_into_a_read_only_directory(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with _read_only(folder):
        assert _report_to(store_url, folder / "r.json") == 1
    assert "[cli.cannot_write]" in capsys.readouterr().err.splitlines()[-1]
    assert list(folder.iterdir()) == []
