"""``govdisclose assess`` on a SQLite store: the hand-computed table of tests/test_assessment.py,
every output format, keeping the result, and a bad scheme as one line per problem, exit 1."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from tests.test_assessment import SCHEME, TOTALS, fill

from govdisclose.assessment import AssessmentResult
from govdisclose.cli import main
from govdisclose.plugins import Settings, open_store

pytest.importorskip("govdisclose_sql")


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('assess') / 'gd.db'}"
    store = open_store(Settings(store_url=url))
    try:
        fill(store)
    finally:
        store.close()
    return url


@pytest.fixture
def scheme(tmp_path: Path) -> Path:
    path = tmp_path / "考核方案.toml"
    path.write_text(SCHEME, "utf-8")
    return path


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_markdown_to_stdout(url: str, scheme: Path) -> None:
    status, text = _run("assess", "--scheme", str(scheme), "--period", "2025H1", "--store", url)
    assert status == 0, text
    assert text.startswith("# 某县政务公开工作半年考核（2025年上半年）\n")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert [" | ".join(line.split(" | ")[:2]) for line in rows[1:]] == [
        "| 1 | 某县教育局",
        "| 2 | 某县卫生健康局",
        "| 3 | 某县市场监督管理局",
    ]
    for total in TOTALS.values():
        assert f"| {total} |" in text
    assert "申请 H-A1：答复期限2025-03-31，2025-04-01答复，逾期1个工作日（扣4.00分）" in text


def test_csv_html_docx_to_files(url: str, scheme: Path, tmp_path: Path) -> None:
    out = tmp_path / "table.csv"
    status, text = _run(
        "assess", "--scheme", str(scheme), "--period", "2025H1", "--store", url,
        "--format", "csv", "--out", str(out),
    )  # fmt: skip
    assert (status, text) == (0, f"wrote {out}\n")
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
    assert [(r[1], r[13]) for r in rows[1:]] == [(k, str(v)) for k, v in TOTALS.items()]
    page = tmp_path / "table.html"
    status, _ = _run(
        "assess", "--scheme", str(scheme), "--period", "2025H1", "--store", url,
        "--format", "html", "--out", str(page),
    )  # fmt: skip
    assert status == 0
    html = page.read_text("utf-8")
    assert '<td class="total">60.50</td>' in html
    assert "T-R5" in html
    pytest.importorskip("docx")
    doc = tmp_path / "table.docx"
    status, _ = _run(
        "assess", "--scheme", str(scheme), "--period", "2025H1", "--store", url,
        "--format", "docx", "--out", str(doc),
    )  # fmt: skip
    assert status == 0
    assert doc.read_bytes()[:2] == b"PK"


def test_docx_needs_out(url: str, scheme: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _ = _run(
        "assess", "--scheme", str(scheme), "--period", "2025H1", "--store", url, "--format", "docx"
    )
    err = capsys.readouterr().err
    assert status != 0
    assert "--out" in err
    assert "Traceback" not in err


def test_keep_then_compare(tmp_path: Path, scheme: Path) -> None:
    url = f"sqlite:///{tmp_path / 'keep.db'}"
    store = open_store(Settings(store_url=url))
    try:
        fill(store)
    finally:
        store.close()
    status, text = _run(
        "assess", "--scheme", str(scheme), "--period", "2025H1", "--store", url, "--keep",
        "--format", "csv",
    )  # fmt: skip
    assert status == 0
    assert text.endswith("kept county-half/2025H1 (version 1)\n")
    store = open_store(Settings(store_url=url))
    try:
        kept = store.get_item(AssessmentResult, "county-half/2025H1")
    finally:
        store.close()
    assert {r.agency: r.total for r in kept.rows} == TOTALS
    status, text = _run(
        "assess", "--scheme", str(scheme), "--period", "2025H2", "--store", url, "--format", "csv"
    )
    assert status == 0
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][-3:] == ["上期总分", "上期排名", "总分变化"]
    tax = next(r for r in rows if r[1] == "tax")
    # 2025H2: T-A2 overdue (16 of 20), YQ-T2 overdue (0 of 5): 16 x 100 / 25 = 64.00
    assert tax[13:] == ["64.00", "37.69", "3", "26.31"]
    status, text = _run(
        "assess", "--scheme", str(scheme), "--period", "2025H2", "--store", url,
        "--format", "csv", "--no-compare",
    )  # fmt: skip
    assert next(r for r in csv.reader(io.StringIO(text)) if r[1] == "tax")[14:] == ["", "", ""]


def test_a_bad_scheme_is_one_line_per_problem_and_exit_1(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        SCHEME.replace("weight = 20", "weight = 25")
        + '\n[indicators.website_uptime]\nweight = 5\nrule = "deduction"\nper_fault = 1\n',
        "utf-8",
    )
    status, text = _run("assess", "--scheme", str(bad), "--period", "2023H1", "--store", url)
    assert status == 1
    assert "Traceback" not in text + capsys.readouterr().err
    lines = text.splitlines()
    assert lines[-1] == "3 problem(s) in the scheme"
    codes = sorted(line.split("[")[1].split("]")[0] for line in lines[:-1])
    assert codes == [
        "assessment.period_no_data",
        "assessment.unknown_indicator",
        "assessment.weights_total",
    ]
    assert any(line.startswith("indicators.website_uptime: [") for line in lines)
    # without a store only the file is checked
    status, text = _run("assess", "--scheme", str(bad), "--period", "2025H1")
    assert status == 1
    assert text.splitlines()[-1] == "2 problem(s) in the scheme"


def test_errors_of_the_command_line_are_one_line(
    scheme: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _ = _run("assess", "--scheme", str(scheme), "--period", "2025H3")
    err = capsys.readouterr().err
    assert status == 1
    assert "[assessment.bad_period]" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    not_toml = tmp_path / "x.toml"
    not_toml.write_text("[scheme\n", "utf-8")
    status, text = _run("assess", "--scheme", str(not_toml), "--period", "2025H1")
    assert status == 1
    assert "[assessment.bad_toml]" in text
    # a file that is not there is a usage error (exit 2), as for every command
    status, _ = _run("assess", "--scheme", str(tmp_path / "none.toml"), "--period", "2025H1")
    err = capsys.readouterr().err
    assert status == 2
    assert "[cli.bad_option]" in err
    assert "none.toml" in err
    assert "Traceback" not in err


def test_check_only_without_a_store(scheme: Path) -> None:
    status, text = _run("assess", "--scheme", str(scheme), "--period", "2025H1")
    assert status == 0
    lines = text.splitlines()
    assert lines[0] == "某县政务公开工作半年考核: 10 indicators, total 100"
    assert (
        "  reply_on_time（依申请公开按时答复率）：满分20分，每处失分记录扣4分，扣至0分为止" in lines
    )
    assert lines[-1] == "scheme OK (no --store: nothing scored)"
