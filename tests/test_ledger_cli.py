"""``govdisclose ledger import | export`` on a SQLite store, and the export as LibreOffice
renders it (dates as dates in the PDF)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from tests.office import convert_to_pdf, soffice
from tests.test_ledger import AGENCY, EXPECTED, office_b, office_c, records_sheet

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
            Agency(AGENCY, "某县人民政府办公室", AgencyLevel.COUNTY, AgencyKind.GOVERNMENT)
        )
    finally:
        store.close()
    return url


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def _stored(url: str) -> list[object]:
    store = open_store(Settings(store_url=url, options={"store.mode": "read"}))
    try:
        return list(store.applications())
    finally:
        store.close()


def test_import_twice_then_export(url: str, tmp_path: Path) -> None:
    ledger = tmp_path / "台账.xlsx"
    ledger.write_bytes(office_c())
    status, text = _run("ledger", "import", str(ledger), "--agency", AGENCY, "--store", url)
    assert status == 0, text
    assert "列 / column D: 申请人类形（疑为笔误） -> applicant_type" in text
    assert "新增 5 件" in text
    assert _stored(url) == list(EXPECTED)
    other = tmp_path / "局台账.xlsx"
    other.write_bytes(office_b())
    status, text = _run("ledger", "import", str(other), "--agency", AGENCY, "--store", url)
    assert status == 0
    assert "新增 0 件，追加办理记录 0 件，未变 5 件" in text

    out = tmp_path / "导出.xlsx"
    status, text = _run(
        "ledger", "export", str(out), "--as-of", "2026-02-12", "--store", url
    )  # fmt: skip
    assert status == 0, text
    assert "5 件申请" in text
    assert "逾期 1 件" in text
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[2]]
    assert ws.cell(row=3, column=header.index("受理机关") + 1).value == "某县人民政府办公室"
    assert ws.cell(row=7, column=header.index("期限状态") + 1).value == "已逾期"
    csv_out = tmp_path / "导出.csv"
    status, _ = _run("ledger", "export", str(csv_out), "--as-of", "2026-02-12", "--store", url)
    assert status == 0
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_bad_cell_is_one_line_naming_it(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "台账.xlsx"
    ledger.write_bytes(office_c(bad_day="2026年2月30日"))
    status, _ = _run("ledger", "import", str(ledger), "--agency", AGENCY, "--store", url)
    err = capsys.readouterr().err
    assert status == 1
    assert "[ledger.import]" in err
    assert "登记台账!B6" in err
    assert "2026年2月30日" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert _stored(url) == []


def test_export_refuses_another_suffix(url: str, tmp_path: Path) -> None:
    status, _ = _run("ledger", "export", str(tmp_path / "x.xls"), "--store", url)
    assert status == 2


def test_records_import(url: str, tmp_path: Path) -> None:
    sheet = tmp_path / "公文.xlsx"
    sheet.write_bytes(records_sheet())
    status, text = _run("ledger", "import", str(sheet), "--records", "--store", url)
    assert status == 0, text
    assert "新增公文 2 件" in text


def test_libreoffice_renders_the_dates_as_dates(url: str, tmp_path: Path) -> None:
    from govdisclose.calendar import WorkCalendar
    from govdisclose.ledger import ledger_table, ledger_workbook
    from govdisclose.params import ParameterSet

    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext is required on CI: apt-get install poppler-utils")
        pytest.skip("pdftotext not installed (apt-get install poppler-utils)")
    table = ledger_table(
        EXPECTED,
        as_of=date(2026, 2, 10),
        params=ParameterSet.default(),
        calendar=WorkCalendar.default(),
    )
    xlsx = tmp_path / "ledger.xlsx"
    xlsx.write_bytes(ledger_workbook(table))
    convert_to_pdf([xlsx], tmp_path, timeout=180)
    pdf = tmp_path / "ledger.pdf"
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    # a date cell shown as a date, not as its serial number 46027
    for shown in ("2026-01-05", "2026-02-02", "2026-03-12", "2026-02-11"):
        assert shown in text
    assert "46027" not in text
    assert "46057" not in text
    assert "依申请公开登记台账（截至 2026-02-10）" in text
    assert "即将到期" in text
    assert "按期办结" in text
    # LibreOffice kept the cells typed: converted back to xlsx, a date is still a date
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(tmp_path / "back"),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    ws = openpyxl.load_workbook(tmp_path / "back" / "ledger.xlsx").active
    header = [c.value for c in ws[2]]
    cell = ws.cell(row=3, column=header.index("申请日期") + 1)
    assert cell.is_date
    assert cell.value == datetime(2026, 1, 5)
