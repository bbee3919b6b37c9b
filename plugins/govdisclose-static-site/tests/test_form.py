"""The application form: a printable page and a Word file with the same fields, the Word file
on one A4 page when LibreOffice prints it, byte-identical from one build to the next."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from _demo_site import AS_OF, GUIDE, demo_config, demo_store

from govdisclose_static_site import Site
from govdisclose_static_site._form import FORM, FORM_DOCX, FORM_TITLE

docx = pytest.importorskip("docx")


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("form") / "site"
    Site(demo_config(site)).build(demo_store(), as_of=AS_OF)
    return site


def _page_labels(html: str) -> list[str]:
    return re.findall(r'<th scope="row">([^<]+)</th>', html)


def _docx_cells(data: bytes) -> list[list[str]]:
    document = docx.Document(io.BytesIO(data))
    (table,) = document.tables
    return [[c.text for c in row.cells] for row in table.rows]


def test_the_word_form_has_the_fields_of_the_page(root: Path) -> None:
    """Every caption and field of the page, in its order, is a row of the Word table (the
    caption rows merged across both columns), with the same printed tick boxes; the page and
    the guide link to the .docx, which names the receiving agency."""
    html = (root / "guide" / "form.html").read_text("utf-8")
    data = (root / FORM_DOCX).read_bytes()
    rows = _docx_cells(data)
    captions = re.findall(r"<caption>([^<]+)</caption>", html)
    assert captions == [s.caption for s in FORM]
    expected: list[list[str]] = []
    for section in FORM:
        expected.append([section.caption, section.caption])
        expected += [[r.label, r.printed] for r in section.rows]
    assert rows == expected
    assert [r[0] for r in rows if r[0] != r[1]] == _page_labels(html)
    for printed in (r.printed for s in FORM for r in s.rows if r.printed):
        assert printed in html
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == FORM_TITLE
    assert texts[1] == "受理机关：某市人民政府办公室"
    assert "20个工作日内答复（《条例》第三十三条）" in texts[-1]
    assert document.core_properties.title == FORM_TITLE
    assert document.core_properties.created.date() == GUIDE.updated_on
    link = re.compile(r'href="(\.\./)?(guide/)?form\.docx" download="政府信息公开申请表\.docx"')
    for page in ("guide/form.html", "guide/index.html", "ysq/index.html"):
        assert link.search((root / page).read_text("utf-8")), page


def test_the_word_form_uses_the_house_fonts_and_a4(root: Path) -> None:
    """A4 with the GB/T 9704 margins; Chinese text in the eastAsia slot: 小标宋 title, 宋体
    table, 黑体 captions."""
    document = docx.Document(io.BytesIO((root / FORM_DOCX).read_bytes()))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    title_fonts = document.paragraphs[0].runs[0]._element.rPr.rFonts
    assert title_fonts.get(f"{ns}eastAsia") == "方正小标宋简体"
    table = document.tables[0]
    caption = table.rows[0].cells[0].paragraphs[0].runs[0]._element.rPr.rFonts
    label = table.rows[1].cells[0].paragraphs[0].runs[0]._element.rPr.rFonts
    assert caption.get(f"{ns}eastAsia") == "黑体"
    assert label.get(f"{ns}eastAsia") == "宋体"


def test_the_word_form_has_no_foreign_thumbnail(root: Path) -> None:
    """python-docx's template carries a thumbnail of another document, which a file manager
    would show as the form's preview: the package holds no thumbnail part nor a link to one."""
    with zipfile.ZipFile(root / FORM_DOCX) as package:
        assert not [n for n in package.namelist() if "thumbnail" in n]
        assert b"thumbnail" not in package.read("_rels/.rels")


def test_the_word_form_is_the_same_bytes_in_every_build(root: Path, tmp_path: Path) -> None:
    other = tmp_path / "again"
    Site(demo_config(other)).build(demo_store(), as_of=AS_OF)
    assert (other / FORM_DOCX).read_bytes() == (root / FORM_DOCX).read_bytes()


def test_libreoffice_prints_the_word_form_on_one_page(root: Path, tmp_path: Path) -> None:
    """Converted with LibreOffice: a one-page A4 PDF whose text holds every field."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is required on CI")
        pytest.skip("LibreOffice not installed")
    source = tmp_path / "form.docx"
    shutil.copy(root / FORM_DOCX, source)
    subprocess.run(
        [
            office,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = (tmp_path / "form.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf)) == 1
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "form.pdf"), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        flat = re.sub(r"\s+", "", text)
        for row in (r for s in FORM for r in s.rows):
            assert re.sub(r"\s+", "", row.label) in flat, row.label
