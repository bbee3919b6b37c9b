"""The audit of published annual reports (govdisclose.audit) over reports made from the demo data.

Five agencies of the demo's reporting tree, two consecutive years (2023, 2024), built with
`govdisclose.report` from the synthetic data the demo loads, then seeded with one fault of each
kind, each in its own agency-year so that none hides another:

==================  =========================================================================
city-nrb 2023       a unit written into a count cell: 表二 行政许可 ``120件``
city-hrss 2023      a unit written into the amount cell, the column's own: ``12.5万元``
city-housing 2023   a unit written into the amount cell, another one: ``125000元`` (= 12.5 万元)
city-nrb 2024       arithmetic that does not add up: （一）予以公开 自然人 one more than counted
city-eeb 2023       zeros left blank: 表三 （五）5 and 表四's five 行政复议 cells (all 0)
city-eeb 2024       a blank that hides a sum: （一）予以公开 自然人 (14) left blank
city-hrss 2024      continuity broken: one application moved from 新收 to 上年结转 (the year
                    adds up, but 上年结转 no longer equals 2023's 结转下年度)
city-housing 2024   the narrative contradicts table 三: 新收…申请43件, the table says 40
city-gov            both years clean
==================  =========================================================================

The same reports are rendered as HTML, as Word and as PDF (LibreOffice from the Word files,
Chromium from the HTML pages), and the audit must find exactly the faults listed in
`_EXPECTED`, written by hand from the table above: the cells of each broken rule come from the
format's expressions.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import io
import os
import shutil
import subprocess
import time
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from tests.office import convert_to_pdf

from govdisclose import synthetic
from govdisclose.audit import (
    FAULT_COLUMNS,
    LEAGUE_COLUMNS,
    AuditCheck,
    AuditResult,
    audit,
    faults_csv,
    league_csv,
    league_html,
    write_league,
)
from govdisclose.cli import main
from govdisclose.findings import Severity
from govdisclose.report import (
    AnnualReport,
    ReportData,
    ReportTexts,
    SuppliedFigures,
    build_annual_report,
)
from govdisclose.report.builder import fill_placeholders
from govdisclose.report.render_docx import render_docx
from govdisclose.report.render_html import render_html
from govdisclose.report.validate import RuleStatus, UncheckedReason

YEARS = (2023, 2024)
OVERVIEW = (
    "{year}年，本机关共新收政府信息公开申请{T3.R1.total}件，办结{T3.R3_7.total}件，"
    "结转下年度继续办理{T3.R4.total}件。"
)
TEXTS = ReportTexts(
    overview=OVERVIEW,
    problems="部分申请答复期限临近时才办结，下一年度将加强期限预警。",
    other_matters="本年度收取信息处理费情况见表三第（六）项。",
)
SUPPLIED = SuppliedFigures(licensing=120, penalty=35, coercion=4, admin_fees_10k_yuan="12.5")

COLUMNS = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "public_welfare_org",
    "legal_service_org",
    "other_org",
)
# The result rows （一） to （六）3 of table 三, in the order of T3_RESULT_TOTAL's expression.
RESULT_ROWS = (
    "R3_1",
    "R3_2",
    "R3_3_1",
    "R3_3_2",
    "R3_3_3",
    "R3_3_4",
    "R3_3_5",
    "R3_3_6",
    "R3_3_7",
    "R3_3_8",
    "R3_4_1",
    "R3_4_2",
    "R3_4_3",
    "R3_5_1",
    "R3_5_2",
    "R3_5_3",
    "R3_5_4",
    "R3_5_5",
    "R3_6_1",
    "R3_6_2",
    "R3_6_3",
)
T3_R3_5_5 = tuple(f"T3.R3_5_5.{c}" for c in (*COLUMNS, "total"))
T4_REVIEW = tuple(f"T4.R1.review_{c}" for c in ("upheld", "corrected", "other", "pending", "total"))

# What the audit must find, file by file: (check, rule, severity, cells), by hand from the
# seeds in the module's description and the rules' expressions in format-2021.json.
Expected = tuple[str, str, str, tuple[str, ...]]
_EXPECTED: dict[str, set[Expected]] = {
    "city-gov-2023": set(),
    "city-gov-2024": set(),
    "city-nrb-2023": {("read", "READ_UNIT_DROPPED", "info", ("T2.licensing.decisions",))},
    "city-hrss-2023": {("read", "READ_UNIT_DROPPED", "info", ("T2.admin_fees.amount_10k_yuan",))},
    "city-housing-2023": {
        ("read", "READ_UNIT_CONVERTED", "info", ("T2.admin_fees.amount_10k_yuan",))
    },
    "city-nrb-2024": {
        # （七）总计 = the sum of the result rows, in the 自然人 column ...
        (
            "arithmetic",
            "T3_RESULT_TOTAL",
            "error",
            ("T3.R3_7.natural_person", *(f"T3.{r}.natural_person" for r in RESULT_ROWS)),
        ),
        # ... and （一）予以公开's 总计 = the sum of its applicant columns.
        (
            "arithmetic",
            "T3_ROW_TOTAL",
            "error",
            ("T3.R3_1.total", *(f"T3.R3_1.{c}" for c in COLUMNS)),
        ),
    },
    "city-eeb-2023": {
        ("blank", "BLANK_CELL", "warning", T3_R3_5_5),
        ("blank", "BLANK_CELL", "warning", T4_REVIEW),
    },
    "city-eeb-2024": {("blank", "BLANK_CELL", "warning", ("T3.R3_1.natural_person",))},
    "city-hrss-2024": {
        (
            "continuity",
            "T3_CARRY_LINK",
            "warning",
            ("T3.R2.natural_person", "PREV_YEAR.T3.R4.natural_person"),
        ),
        ("continuity", "T3_CARRY_LINK", "warning", ("T3.R2.total", "PREV_YEAR.T3.R4.total")),
    },
    "city-housing-2024": {("narrative", "NARRATIVE_FIGURE", "error", ("T3.R1.total",))},
}


@attrs.frozen
class Corpus:
    """The reports by file stem (``city-eeb-2023``), and the cells printed as text."""

    reports: Mapping[str, AnnualReport]
    printed: Mapping[str, Mapping[str, str]]


@attrs.frozen
class Printed:
    """A report as a clerk typed it: some cells hold text (``125000元``) instead of numbers.

    The renderers read cells through ``cell`` (`ReportLike`), so the text goes on the page as
    it would in a CMS."""

    report: AnnualReport
    texts: Mapping[str, str]

    format_id = property(lambda self: self.report.format_id)
    agency_name = property(lambda self: self.report.agency_name)
    year = property(lambda self: self.report.year)
    preamble = property(lambda self: self.report.preamble)
    overview = property(lambda self: self.report.overview)
    problems = property(lambda self: self.report.problems)
    other_matters = property(lambda self: self.report.other_matters)

    def cell(self, ref: str) -> object:
        return self.texts.get(ref, self.report.cell(ref))


def _clean_reports() -> dict[str, AnnualReport]:
    """Every agency's reports for 2023 and 2024 from one body of demo data (so 2024's 上年结转
    is 2023's 结转下年度)."""
    first = synthetic.generate(2023, applications_per_agency=40, seed=7, horizon=date(2024, 12, 31))
    second = synthetic.generate(2024, applications_per_agency=40, seed=7)
    applications = [
        *first.applications,
        *(a for a in second.applications if a.receipt_date and a.receipt_date.year == 2024),
    ]
    data = ReportData(
        applications,
        records=first.records + second.records,
        review_cases=first.review_cases + second.review_cases,
        agencies=first.agencies,
    )
    return {
        f"{agency.code}-{year}": build_annual_report(
            data, agency, year, supplied=SUPPLIED, texts=TEXTS
        )
        for agency in first.agencies
        for year in YEARS
    }


def _with(report: AnnualReport, **cells: int | None) -> AnnualReport:
    """``report`` with cells changed (``T3__R1__total`` for ``T3.R1.total``), its overview
    written again from the changed figures."""
    changed = report.with_cells({k.replace("__", "."): v for k, v in cells.items()})
    return attrs.evolve(changed, overview=fill_placeholders(OVERVIEW, changed))


@functools.cache
def corpus() -> Corpus:
    """The seeded reports (see the module's description)."""
    reports = _clean_reports()
    r = reports["city-nrb-2024"]
    reports["city-nrb-2024"] = _with(
        r, T3__R3_1__natural_person=r.cell("T3.R3_1.natural_person") + 1
    )
    r = reports["city-eeb-2023"]
    assert all(r.cell(ref) == 0 for ref in T3_R3_5_5 + T4_REVIEW)  # zeros left blank
    reports["city-eeb-2023"] = _with(
        r, **{k.replace(".", "__"): None for k in T3_R3_5_5 + T4_REVIEW}
    )
    r = reports["city-eeb-2024"]
    assert r.cell("T3.R3_1.natural_person") > 0  # a real figure left blank
    reports["city-eeb-2024"] = _with(r, T3__R3_1__natural_person=None)
    r = reports["city-hrss-2024"]
    reports["city-hrss-2024"] = _with(
        r,
        T3__R1__natural_person=r.cell("T3.R1.natural_person") - 1,
        T3__R1__total=r.cell("T3.R1.total") - 1,
        T3__R2__natural_person=r.cell("T3.R2.natural_person") + 1,
        T3__R2__total=r.cell("T3.R2.total") + 1,
    )
    r = reports["city-housing-2024"]
    said = r.overview.replace(
        f"申请{r.cell('T3.R1.total')}件", f"申请{r.cell('T3.R1.total') + 3}件"
    )
    assert said != r.overview
    reports["city-housing-2024"] = attrs.evolve(r, overview=said)
    assert reports["city-hrss-2023"].cell("T2.admin_fees.amount_10k_yuan") == Decimal("12.5")
    printed = {
        "city-nrb-2023": {"T2.licensing.decisions": "120件"},
        "city-hrss-2023": {"T2.admin_fees.amount_10k_yuan": "12.5万元"},
        "city-housing-2023": {"T2.admin_fees.amount_10k_yuan": "125000元"},
    }
    return Corpus(reports, printed)


def _printed(stem: str) -> Printed:
    c = corpus()
    return Printed(c.reports[stem], c.printed.get(stem, {}))


def write_html(folder: Path, stems: list[str] | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for stem in stems or sorted(corpus().reports):
        path = folder / f"{stem}.html"
        path.write_text(render_html(_printed(stem)), encoding="utf-8")  # type: ignore[arg-type]
        out.append(path)
    return out


def write_docx(folder: Path, stems: list[str] | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for stem in stems or sorted(corpus().reports):
        path = folder / f"{stem}.docx"
        path.write_bytes(render_docx(_printed(stem)))  # type: ignore[arg-type]
        out.append(path)
    return out


def chromium() -> str:
    found = next(
        (
            shutil.which(n)
            for n in ("chromium", "chromium-browser", "google-chrome")
            if shutil.which(n)
        ),
        None,
    )
    if found is None:
        pytest.skip("Chromium not installed (apt-get install chromium)")
    return found


def chromium_run(args: list[str], profile: Path) -> None:
    completed = subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]


def write_pdf_from_html(folder: Path, pages: list[Path]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for page in pages:
        target = folder / f"{page.stem}.pdf"
        chromium_run(
            ["--no-pdf-header-footer", f"--print-to-pdf={target}", page.as_uri()],
            folder / "chromium-profile",
        )
        out.append(target)
    shutil.rmtree(folder / "chromium-profile", ignore_errors=True)
    return out


def _found(result: AuditResult) -> dict[str, set[Expected]]:
    return {
        Path(r.source).stem: {
            (f.check.code, f.rule_id, f.severity.code, f.cells) for f in r.findings
        }
        for r in result.reports
    }


@pytest.fixture(scope="module")
def html_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("audit-html")
    write_html(folder)
    return folder


@pytest.fixture(scope="module")
def docx_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("audit-docx")
    write_docx(folder)
    return folder


@pytest.fixture(scope="module")
def pdf_soffice(tmp_path_factory: pytest.TempPathFactory, docx_dir: Path) -> Path:
    """PDFs printed by LibreOffice from the Word files (table 三's header rows repeated)."""
    pytest.importorskip("pdfplumber", reason="the PDF reader is the extra 'pdf' (pdfplumber)")
    folder = tmp_path_factory.mktemp("audit-pdf-office")
    convert_to_pdf(sorted(docx_dir.glob("*.docx")), folder)
    shutil.rmtree(folder / "lo-profile", ignore_errors=True)
    return folder


@pytest.fixture(scope="module")
def pdf_chromium(tmp_path_factory: pytest.TempPathFactory, html_dir: Path) -> Path:
    """PDFs printed by Chromium from the pages (no header rows repeated)."""
    pytest.importorskip("pdfplumber", reason="the PDF reader is the extra 'pdf' (pdfplumber)")
    folder = tmp_path_factory.mktemp("audit-pdf-chromium")
    write_pdf_from_html(folder, [html_dir / f"{stem}.html" for stem in _CHROMIUM_PAGES])
    return folder


#: The pages printed by Chromium (a second or two each): one of every kind of fault, the
#: carried-forward link with both its years, and a clean page. LibreOffice prints all ten.
_CHROMIUM_PAGES = (
    "city-gov-2024",
    "city-nrb-2024",
    "city-hrss-2023",
    "city-hrss-2024",
    "city-housing-2024",
    "city-eeb-2023",
)


def test_the_clean_reports_have_no_faults(tmp_path: Path) -> None:
    """Unseeded, every report audits clean; 2023 has no year before it among the files."""
    reports = _clean_reports()
    for stem, report in reports.items():
        (tmp_path / f"{stem}.html").write_text(render_html(report), encoding="utf-8")
    result = audit([tmp_path])
    assert len(result.reports) == 10
    assert result.findings == ()
    assert result.unreadable == ()
    for r in result.reports:
        by_rule = {o.rule_id: o for o in r.outcomes}
        cross = ("T3_CARRY_LINK", "T2_IN_FORCE_FLOW")
        if r.year == 2023:
            assert r.previous is None
            for rule in cross:
                assert by_rule[rule].status is RuleStatus.UNCHECKED
                assert by_rule[rule].reasons == (UncheckedReason.NO_PREVIOUS_YEAR,)
        else:
            assert r.previous == str(tmp_path / f"{Path(r.source).stem[:-5]}-2023.html")
        held = {o.rule_id for o in r.outcomes if o.status is RuleStatus.HELD}
        assert held == set(by_rule) - (set(cross) if r.year == 2023 else set())
        # The narrative's three figures were recognised and agree with table 三.
        assert {(q.pattern_id, q.status) for q in r.quotes} == {
            ("T3_NEW", RuleStatus.HELD),
            ("T3_CONCLUDED", RuleStatus.HELD),
            ("T3_CARRIED_FORWARD", RuleStatus.HELD),
        }


def test_html_finds_exactly_the_seeded_faults(html_dir: Path) -> None:
    started = time.perf_counter()
    result = audit([html_dir])
    elapsed = time.perf_counter() - started
    assert _found(result) == _EXPECTED
    assert result.unreadable == ()
    assert elapsed < 30


def test_docx_finds_exactly_the_seeded_faults(docx_dir: Path) -> None:
    result = audit([docx_dir])
    assert _found(result) == _EXPECTED
    assert {r.kind for r in result.reports} == {"docx"}


@pytest.mark.parametrize("producer", ["pdf_soffice", "pdf_chromium"])
def test_pdf_finds_exactly_the_seeded_faults(request: pytest.FixtureRequest, producer: str) -> None:
    """LibreOffice repeats table 三's header rows on the next page; Chromium cuts the table
    without them and with the label column's text left on the first page: both read."""
    result = audit([request.getfixturevalue(producer)])
    printed = _CHROMIUM_PAGES if producer == "pdf_chromium" else tuple(_EXPECTED)
    assert _found(result) == {stem: _EXPECTED[stem] for stem in printed}
    assert {r.kind for r in result.reports} == {"pdf"}
    # Chromium's fonts give ⺠ for 民; the names are those of the titles all the same.
    names = {r.agency for r in result.reports}
    assert "某市人民政府办公室" in names


def test_findings_carry_the_values_of_their_cells(html_dir: Path) -> None:
    result = audit([html_dir])
    by = {(Path(f.source).stem, f.rule_id, f.cells[0]): f for f in result.findings}
    reports = corpus().reports
    nrb = reports["city-nrb-2024"]
    row = by[("city-nrb-2024", "T3_ROW_TOTAL", "T3.R3_1.total")]
    assert row.values == tuple(str(nrb.cell(c)) for c in row.cells)
    # The converted amount is shown in the column's unit, 万元.
    fee = by[("city-housing-2023", "READ_UNIT_CONVERTED", "T2.admin_fees.amount_10k_yuan")]
    assert fee.values == ("12.5",)
    assert "125000元" in fee.message_zh
    link = by[("city-hrss-2024", "T3_CARRY_LINK", "T3.R2.total")]
    before = reports["city-hrss-2023"].cell("T3.R4.total")
    assert link.values == (str(before + 1), str(before))
    said = by[("city-housing-2024", "NARRATIVE_FIGURE", "T3.R1.total")]
    assert said.values == ("40",)
    assert "43" in said.message_zh
    blank = by[("city-eeb-2023", "BLANK_CELL", "T4.R1.review_upheld")]
    assert blank.values == ("",) * 5


def test_blank_zeros_are_told_apart_from_a_sum_that_does_not_add_up(html_dir: Path) -> None:
    """Zeros left blank: the rules reading them would hold as 0. A real figure left blank: the
    sums reading it do not. Both are one warning per row, not an arithmetic error."""
    result = audit([html_dir])
    reports = {Path(r.source).stem: r for r in result.reports}
    zeros = reports["city-eeb-2023"]
    blank = next(o for o in zeros.outcomes if o.rule_id == "BLANK_CELL")
    failed = [i for i in blank.instances if i.status is RuleStatus.FAILED]
    assert [i.missing for i in failed] == [T3_R3_5_5, T4_REVIEW]
    assert [i.holds_if_blank_zero for i in failed] == [True, True]
    review = next(o for o in zeros.outcomes if o.rule_id == "T4_REVIEW_TOTAL")
    assert review.status is RuleStatus.UNCHECKED
    assert review.reasons == (UncheckedReason.BLANK_CELL,)
    assert set(review.unchecked_cells) == set(T4_REVIEW)
    assert all("均成立" in f.message_zh for f in zeros.findings)

    hidden = reports["city-eeb-2024"]
    (finding,) = hidden.findings
    assert "仍有 2 处勾稽关系不成立" in finding.message_zh
    outcome = {o.rule_id: o for o in hidden.outcomes}
    for rule in ("T3_RESULT_TOTAL", "T3_ROW_TOTAL"):
        assert outcome[rule].status is RuleStatus.UNCHECKED
        assert outcome[rule].unchecked_cells == ("T3.R3_1.natural_person",)


def test_strict_makes_blank_cells_errors(html_dir: Path) -> None:
    result = audit([html_dir], strict=True)
    blanks = [f for f in result.findings if f.check is AuditCheck.BLANK]
    assert len(blanks) == 3
    assert {f.severity for f in blanks} == {Severity.ERROR}
    relaxed = audit([html_dir])
    assert {f.severity for f in relaxed.findings if f.check is AuditCheck.BLANK} == {
        Severity.WARNING
    }


def test_continuity_is_checked_across_formats(tmp_path: Path) -> None:
    """2023 published as a page, 2024 as a Word file: still the same agency, still linked."""
    write_html(tmp_path, ["city-hrss-2023", "city-gov-2023"])
    write_docx(tmp_path, ["city-hrss-2024", "city-gov-2024"])
    result = audit([tmp_path])
    found = _found(result)
    assert found["city-hrss-2024"] == _EXPECTED["city-hrss-2024"]
    assert found["city-gov-2024"] == set()
    linked = {Path(r.source).name: r.previous for r in result.reports}
    assert linked["city-hrss-2024.docx"] == str(tmp_path / "city-hrss-2023.html")


def test_without_last_year_continuity_cannot_be_checked(tmp_path: Path) -> None:
    (path,) = write_html(tmp_path, ["city-hrss-2024"])
    (report,) = audit([path]).reports
    assert report.findings == ()
    carry = next(o for o in report.outcomes if o.rule_id == "T3_CARRY_LINK")
    assert carry.status is RuleStatus.UNCHECKED
    assert carry.reasons == (UncheckedReason.NO_PREVIOUS_YEAR,)
    assert (
        carry.summary()[0] == "T3_CARRY_LINK：无法检查（成立 0，不成立 0，无法检查 7：无上年报告）"
    )


def test_unreadable_files_are_listed_with_the_reason(tmp_path: Path) -> None:
    write_html(tmp_path, ["city-gov-2024"])
    (tmp_path / "broken-2024.docx").write_bytes(b"PK\x03\x04 not a zip")
    (tmp_path / "notes-2024.html").write_text("<p>没有表格</p>", encoding="utf-8")
    (tmp_path / "cut-2024.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage")
    result = audit([tmp_path, tmp_path / "missing-2024.pdf"])
    assert [Path(r.source).name for r in result.reports] == ["city-gov-2024.html"]
    codes = {Path(u.source).name: u.code for u in result.unreadable}
    assert codes == {
        "broken-2024.docx": "audit.unreadable",
        "notes-2024.html": "report.parse.no_table",
        "missing-2024.pdf": "audit.unreadable",
        # A damaged PDF, or no PDF reader installed: named either way, never a traceback.
        "cut-2024.pdf": "audit.unreadable"
        if importlib.util.find_spec("pdfplumber")
        else "audit.missing_package",
    }
    assert result.has_errors


def test_a_pdf_without_text_is_unreadable(tmp_path: Path) -> None:
    pytest.importorskip("pdfplumber")
    page = tmp_path / "scan.html"
    page.write_text(
        '<html><body><div style="width:300px;height:200px;background:#888"></div></body></html>',
        encoding="utf-8",
    )
    (pdf,) = write_pdf_from_html(tmp_path / "pdf", [page])
    target = pdf.with_name("某市扫描局-2024.pdf")
    pdf.rename(target)
    result = audit([target])
    assert [u.code for u in result.unreadable] == ["audit.no_text"]


# -- the league table -------------------------------------------------------------------------


def test_league_csv_ranks_reports_for_excel(html_dir: Path) -> None:
    result = audit([html_dir])
    data = league_csv(result)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Chinese
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == LEAGUE_COLUMNS
    body = rows[1:]
    assert len(body) == 10
    errors = [int(r[5]) for r in body]
    assert errors == sorted(errors, reverse=True)
    top = {(r[3].rsplit("/", 1)[-1], r[5], r[6]) for r in body[:2]}
    assert top == {("city-nrb-2024.html", "2", "0"), ("city-housing-2024.html", "1", "0")}
    assert body[0][3].endswith("city-nrb-2024.html")
    gov = next(r for r in body if r[3].endswith("city-gov-2024.html"))
    assert gov[5:8] == ["0", "0", "0"]
    assert gov[11].endswith("city-gov-2023.html")

    faults = list(csv.reader(io.StringIO(faults_csv(result).decode("utf-8-sig"))))
    assert tuple(faults[0]) == FAULT_COLUMNS
    assert len(faults) - 1 == sum(len(v) for v in _EXPECTED.values()) == 11
    review = next(f for f in faults if f[7].startswith("T4.R1.review_upheld"))
    assert review[7] == "; ".join(f"{c}=（空白）" for c in T4_REVIEW)


def test_league_html_shows_every_report_and_fault(tmp_path: Path, html_dir: Path) -> None:
    result = audit([html_dir])
    page = league_html(result)
    assert page.count('<h2 id="r') == 10
    assert page.count("<tr class=") == 11
    assert "T3_CARRY_LINK" in page
    assert "无问题 / no faults" in page
    written = write_league(result, tmp_path / "out")
    assert [p.name for p in written] == ["league.csv", "faults.csv", "league.html"]
    shot = tmp_path / "league.png"
    chromium_run(
        [
            "--hide-scrollbars",
            "--window-size=1400,1800",
            f"--screenshot={shot}",
            written[2].as_uri(),
        ],
        tmp_path / "chromium-profile",
    )
    assert shot.stat().st_size > 20_000  # a page of text and tables, not a blank image
    keep = os.environ.get("GOVDISCLOSE_KEEP_SCREENSHOTS")
    if keep:
        shutil.copy(shot, Path(keep) / "audit-league.png")


# -- the command ------------------------------------------------------------------------------


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out)
    return status, out.getvalue()


def test_cli_audit_writes_the_league_and_fails_on_errors(tmp_path: Path, html_dir: Path) -> None:
    status, text = _run("audit", str(html_dir), "--out", str(tmp_path / "league"))
    assert status == 1
    assert text.splitlines()[0] == "10 份报告 / reports, 0 个文件无法读取 / unreadable"
    assert "  1. 某市自然资源和规划局 2024 (city-nrb-2024.html): 2 error(s)" in text
    assert "warning continuity T3_CARRY_LINK" in text
    assert "T3.R2.total(2) = 2，PREV_YEAR.T3.R4.total(1) = 1" in text
    assert "[T2.admin_fees.amount_10k_yuan=12.5]" in text  # the reader's note gets the value
    for name in ("league.csv", "faults.csv", "league.html"):
        assert (tmp_path / "league" / name).is_file()
        assert f"wrote {tmp_path / 'league' / name}" in text


def test_cli_audit_passes_warnings_and_fails_strict(tmp_path: Path) -> None:
    write_html(tmp_path, ["city-gov-2023", "city-gov-2024", "city-eeb-2023"])
    status, text = _run("audit", str(tmp_path))
    assert status == 0, text
    assert "warning blank BLANK_CELL" in text
    status, _ = _run("audit", "--strict", str(tmp_path))
    assert status == 1


def test_cli_audit_names_an_unreadable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, text = _run("audit", str(tmp_path / "nothing-2024.html"))
    assert status == 1
    assert "unreadable" in text
    assert "nothing-2024.html" in text
    assert "Traceback" not in capsys.readouterr().err
