"""Annual report pages: render HTML / Word, read a published page back.

Measured in one run against named anchors, interleaved round by round:

* ``read_html_report`` on a hand-made imitation of a Word-exported government page
  (tests/data/report_pages/clean_2021_format_2023.html) against the bare standard-library
  ``html.parser`` pass over the same page (the floor for a stdlib-only reader);
* ``render_html`` against ``serde.dumps`` of the same report (serialising the same cells);
* ``render_docx`` against the obvious python-docx code for the same three tables: ``add_table``
  then ``table.cell(r, c)`` for every merge and text (python-docx rebuilds its cell list on each
  ``cell()`` call, which is why the renderer looks cells up once).

    python benchmarks/run.py report_pages [--quick]
"""

from __future__ import annotations

import io
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

from _harness import Row, compare, report

from govdisclose import serde
from govdisclose.report import AnnualReport, format_for_year, from_cells
from govdisclose.report._layout import format_value, tables
from govdisclose.report._spec import spec_for
from govdisclose.report.reader import read_html_report
from govdisclose.report.render_docx import render_docx
from govdisclose.report.render_html import render_html

PAGE = (
    Path(__file__).parent.parent / "tests" / "data" / "report_pages" / "clean_2021_format_2023.html"
)


def _report() -> AnnualReport:
    fmt = format_for_year(2023)
    values: dict[str, int | Decimal] = {}
    for i, ref in enumerate(fmt.cell_refs()):
        values[ref] = Decimal(i) / 4 if fmt.column(ref).decimal else i
    return from_cells(fmt, values, agency_code="bench", agency_name="基准测试局", year=2023)


def _naive_docx(rep: AnnualReport) -> bytes:
    import docx

    document = docx.Document()
    for table in tables(spec_for(rep.format)).values():
        grid = document.add_table(rows=len(table.rows), cols=table.width)
        for r, c, cell in table.placed():
            target = grid.cell(r, c)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(grid.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
            target.text = format_value(rep.cell(cell.ref)) if cell.ref else cell.text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main(quick: bool) -> None:
    page = PAGE.read_text(encoding="utf-8")
    rep = _report()
    rounds = 5 if quick else 15
    render_docx(rep)  # warm-up: the first call imports python-docx and loads its template

    def bare_parse() -> None:
        parser = HTMLParser()
        parser.feed(page)
        parser.close()

    times = compare(
        {
            "read": lambda: read_html_report(page),
            "parse": bare_parse,
            "html": lambda: render_html(rep),
            "dumps": lambda: serde.dumps(rep),
            "docx": lambda: render_docx(rep),
            "naive_docx": lambda: _naive_docx(rep),
        },
        rounds=rounds,
    )
    report(
        [
            Row(
                "read_html_report (Word-style page, 66 kB)",
                times["read"],
                "html.parser feed, same page",
                times["parse"],
            ),
            Row(
                "render_html (2021 format, 200 cells)",
                times["html"],
                "serde.dumps, same report",
                times["dumps"],
            ),
            Row(
                "render_docx (3 tables, merged cells, fonts)",
                times["docx"],
                "python-docx via table.cell(r, c)",
                times["naive_docx"],
            ),
        ]
    )
