"""The annual report as HTML in the official table layout, as government sites publish it.

Table 二 is four stacked blocks (five in the 2019 trial format), each a heading row across the
table (``第二十条第（一）项``) and a ``信息内容`` header row; single value columns are merged
across the table. Table 三 has the corner note over 3 label columns x 3 header rows,
``申请人情况`` over the 7 applicant columns, ``法人或其他组织`` over 5, the vertical
``三、本年度办理结果`` label and the group labels （三）…（六） spanning their sub-rows. Table 四
has ``行政复议`` over 5 columns and ``行政诉讼`` over 10 (未经复议直接起诉 5, 复议后起诉 5).
Layout source: 国办公开办函〔2021〕30号 (〔2019〕60号 for report years 2019-2020), see
law/facts.md §2.3-2.5.

A blank cell is printed blank, never ``0``: the clerk's "not filled" stays distinguishable from
a reported zero. `govdisclose.report.reader.read_html_report` reads the output back.
"""

from __future__ import annotations

from html import escape

from govdisclose.report._layout import LTable, format_value, tables
from govdisclose.report._report_text import ReportLike, paragraphs, report_title, spec_of

__all__ = ["HtmlRenderer", "render_html", "render_html_tables"]

_CSS = """\
body { font-family: "FangSong", "仿宋", "SimSun", "宋体", serif; font-size: 16px;
       line-height: 1.8; max-width: 60em; margin: 2em auto; padding: 0 1em; }
h1 { font-family: "SimHei", "黑体", sans-serif; text-align: center; font-size: 1.4em; }
h2 { font-family: "SimHei", "黑体", sans-serif; font-size: 1.1em; }
p { text-indent: 2em; margin: 0.4em 0; }
table.gd-table { border-collapse: collapse; width: 100%; margin: 0.8em 0;
                 font-family: "SimSun", "宋体", serif; font-size: 14px; }
table.gd-table th, table.gd-table td { border: 1px solid #000; padding: 0.2em 0.4em;
                                         text-align: center; vertical-align: middle; }
table.gd-table td.gd-label { text-align: left; }
table.gd-table td.gd-value { min-width: 3em; }
"""


def _cell_html(cell_text: str, *, tag: str, cls: str, rowspan: int, colspan: int) -> str:
    attrs_ = f' class="{cls}"' if cls else ""
    if rowspan > 1:
        attrs_ += f' rowspan="{rowspan}"'
    if colspan > 1:
        attrs_ += f' colspan="{colspan}"'
    body = escape(cell_text).replace("\n", "<br>")
    return f"<{tag}{attrs_}>{body}</{tag}>"


def _table_html(table: LTable, report: ReportLike) -> str:
    lines = [f'<table class="gd-table gd-{table.code.lower()}">']
    for row in table.rows:
        cells = []
        for cell in row:
            if cell.ref is not None:
                text = format_value(report.cell(cell.ref))
                html = _cell_html(
                    text, tag="td", cls="gd-value", rowspan=cell.rowspan, colspan=cell.colspan
                )
                # The reference lets a CMS style or script a cell without counting columns.
                html = html.replace("<td", f'<td data-cell="{escape(cell.ref)}"', 1)
            elif cell.header:
                html = _cell_html(
                    cell.text, tag="th", cls="", rowspan=cell.rowspan, colspan=cell.colspan
                )
            else:
                html = _cell_html(
                    cell.text, tag="td", cls="gd-label", rowspan=cell.rowspan, colspan=cell.colspan
                )
            cells.append(html)
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def render_html_tables(report: ReportLike) -> dict[str, str]:
    """The three tables alone as HTML ``<table>`` elements, keyed ``T2``/``T3``/``T4``."""
    built = tables(spec_of(report))
    return {code: _table_html(table, report) for code, table in built.items()}


def _text_html(text: str) -> str:
    return "\n".join(f"<p>{escape(par)}</p>" for par in paragraphs(text))


def render_html(report: ReportLike, *, fragment: bool = False) -> str:
    """The whole report as HTML.

    :param fragment: ``False`` (default) gives a standalone UTF-8 document (``lang="zh-CN"``,
        a small stylesheet with cell borders); ``True`` gives the ``<article>`` element only, to
        paste into a CMS page that brings its own styles.
    """
    spec = spec_of(report)
    table_html = render_html_tables(report)
    title = report_title(report)
    texts = {"S1": report.overview, "S5": report.problems, "S6": report.other_matters}
    parts = ['<article class="gd-annual-report">', f"<h1>{escape(title)}</h1>"]
    if report.preamble:
        parts.append(_text_html(report.preamble))
    for section in spec.sections:
        parts.append(f"<h2>{escape(section.heading)}</h2>")
        if section.table is not None:
            parts.append(table_html[section.table])
        else:
            parts.append(_text_html(texts.get(section.code) or ""))
    parts.append("</article>")
    body = "\n".join(parts)
    if fragment:
        return body + "\n"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>\n{_CSS}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


class HtmlRenderer:
    """`ReportRenderer` for HTML: format ``html`` (a page) or ``html-frag`` (``fragment=True``,
    the ``<article>`` element only)."""

    media_type = "text/html; charset=utf-8"

    def __init__(self, *, fragment: bool = False) -> None:
        self.fragment = fragment
        self.format = "html-frag" if fragment else "html"

    def render(self, report: ReportLike) -> bytes:
        """UTF-8 bytes of `render_html`."""
        return render_html(report, fragment=self.fragment).encode("utf-8")
