"""The league table rendered: Markdown, a standalone HTML page, a Word .docx, CSV, a DataFrame.

Every form carries the same three parts: the table (rank, agency, points per indicator, total,
the previous period's total and rank and the change), the lost points of every agency with
the records behind them (which application was late, which record missed its interpretation),
and the indicators' scoring rules and written definitions, so an agency can check its score
and dispute it. A value not scored is shown as ``—`` with the reason in the lost-points part.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING, Any

from govdisclose._install import install_hint
from govdisclose.errors import GovDiscloseError

if TYPE_CHECKING:
    from govdisclose.assessment._result import (
        AgencyScore,
        AssessmentResult,
        IndicatorColumn,
        IndicatorScore,
    )

__all__ = [
    "LEAGUE_COLUMNS",
    "lost_point_rows",
    "render_csv",
    "render_docx",
    "render_html",
    "render_markdown",
    "to_frame",
]

#: The fixed columns of the CSV and the DataFrame, around one column per indicator.
LEAGUE_COLUMNS = ("排名", "机关代码", "机关", "总分", "上期总分", "上期排名", "总分变化")

_SUBJECT_ZH = {
    "application": "申请",
    "record": "信息",
    "publication": "发布",
    "review_case": "复议诉讼案件",
    "report": "年度报告",
    "task": "任务",
    "inquiry": "查询",
    "opinion": "舆情",
}


def _num(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _whole(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _value(col: IndicatorColumn, score: IndicatorScore) -> str:
    if score.value is None:
        return "—"
    if col.unit == "share":
        return f"{score.value * 100:.2f}%"
    return _whole(score.value)


def _change(row: AgencyScore) -> str:
    if row.change is None:
        return "—"
    sign = "+" if row.change > 0 else ""
    text = f"{sign}{row.change:.2f}"
    moved = row.rank_change
    if moved:
        text += f"（{'↑' if moved > 0 else '↓'}{abs(moved)}）"
    return text


def _previous(row: AgencyScore) -> str:
    if row.previous_total is None:
        return "—"
    rank = f"（第{row.previous_rank}名）" if row.previous_rank is not None else ""
    return f"{row.previous_total:.2f}{rank}"


def _head(result: AssessmentResult) -> tuple[str, str]:
    title = f"{result.title}（{result.period_label_zh}）"
    how = "按比例折算" if result.unscored == "rescale" else "按满分计"
    sub = (
        f"考核期间 {result.period}（{result.period_label_zh}），考核基准日 {result.as_of}，"
        f"总分 {_whole(result.total)} 分；未评分的指标{how}"
    )
    if result.previous_period:
        sub += f"；与上期 {result.previous_period} 比较"
    return title, sub


def _score_line(col: IndicatorColumn, s: IndicatorScore) -> str:
    if s.points is None:
        return f"{col.label_zh}：未评分（{s.reason_zh}）"
    text = (
        f"{col.label_zh}：得{s.points:.2f}分／{_whole(col.weight)}分（指标值{_value(col, s)}，"
        f"样本{s.sample}）"
    )
    if s.lost:
        text += f"，失{s.lost:.2f}分"
    return text


def _fault_line(lp: Any) -> str:
    f = lp.fault
    what = _SUBJECT_ZH.get(f.subject, f.subject)
    cost = f"（扣{lp.points:.2f}分）" if lp.points is not None and lp.points else ""
    return f"{what} {f.id}：{f.reason_zh}{cost}"


def _details(result: AssessmentResult) -> Iterator[tuple[AgencyScore, list[tuple[str, list[str]]]]]:
    cols = {c.code: c for c in result.columns}
    for row in result.rows:
        items = []
        for s in row.scores:
            col = cols[s.indicator]
            if s.points is not None and not s.lost and not s.lost_points:
                continue
            items.append((_score_line(col, s), [_fault_line(lp) for lp in s.lost_points]))
        yield row, items


def _rank(row: AgencyScore) -> str:
    return str(row.rank) if row.rank is not None else "—"


def _agency_head(row: AgencyScore) -> str:
    rank = f"第{row.rank}名" if row.rank is not None else "未排名"
    return f"{row.name}（{row.agency}）：总分 {_num(row.total)}，{rank}"


# -- Markdown ---------------------------------------------------------------------------------


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(result: AssessmentResult) -> str:
    """The table, the lost points per agency and the indicators' rules, as Markdown."""
    title, sub = _head(result)
    cols = result.columns
    lines = [f"# {_md(title)}", "", _md(sub), ""]
    head = ["排名", "机关", *(f"{c.label_zh}（{_whole(c.weight)}）" for c in cols), "总分"]
    if result.previous_period:
        head += [f"上期（{result.previous_period}）", "变化"]
    lines += ["| " + " | ".join(_md(h) for h in head) + " |", "|" + "---|" * len(head)]
    for row in result.rows:
        cells = [_rank(row), row.name, *(_num(s.points) for s in row.scores), _num(row.total)]
        if result.previous_period:
            cells += [_previous(row), _change(row)]
        lines.append("| " + " | ".join(_md(c) for c in cells) + " |")
    lines += ["", "## 失分明细", ""]
    for row, items in _details(result):
        lines += [f"### {_md(_agency_head(row))}", ""]
        if not items:
            lines += ["各项指标均得满分。", ""]
            continue
        for line, faults in items:
            lines.append(f"- {_md(line)}")
            lines += [f"  - {_md(f)}" for f in faults]
        lines.append("")
    lines += ["## 指标与计分规则", ""]
    for c in cols:
        lines += [
            f"### {_md(c.label_zh)}（{c.code}，权重 {_whole(c.weight)}）",
            "",
            f"计分：{_md(c.rule_zh)}；最少样本 {c.min_sample}。",
            "",
            f"定义：{_md(c.definition_zh)}",
            "",
        ]
    for note in result.notes:
        lines += [f"> {_md(note)}", ""]
    return "\n".join(lines).rstrip() + "\n"


# -- HTML -------------------------------------------------------------------------------------

_CSS = """\
@page { size: A4 landscape; margin: 18mm 15mm; }
body { font-family: "仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC",
  "Source Han Serif SC", serif; font-size: 12pt; line-height: 1.6; color: #111;
  max-width: 297mm; margin: 0 auto; padding: 12mm; background: #fff; }
h1 { font-family: "方正小标宋简体", "宋体", "SimSun", "Noto Serif CJK SC", serif;
  font-size: 20pt; text-align: center; margin: 0 0 4pt; }
p.sub { text-align: center; margin: 0 0 12pt; font-size: 11pt; }
h2 { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-size: 14pt;
  margin: 18pt 0 6pt; }
h3 { font-family: "楷体", "KaiTi", "Noto Serif CJK SC", serif; font-size: 12pt;
  margin: 10pt 0 4pt; }
table { border-collapse: collapse; width: 100%; font-family: "宋体", "SimSun",
  "Noto Serif CJK SC", serif; font-size: 10pt; }
th, td { border: 1px solid #333; padding: 3pt 4pt; text-align: center; }
th { background: #eee; font-weight: bold; }
td.name { text-align: left; white-space: nowrap; }
td.prev { white-space: nowrap; }
td.total { font-weight: bold; }
td.lost { color: #a00; }
ul { margin: 2pt 0 6pt; padding-left: 2em; }
li.fault { font-size: 10.5pt; }
p.rule { margin: 2pt 0; } p.def { margin: 2pt 0 8pt; font-size: 10.5pt; color: #333; }
"""


def render_html(result: AssessmentResult) -> str:
    """A standalone page (no script, no file beside it): the table, then every agency's lost
    points with the records behind them, then the rules and definitions."""
    title, sub = _head(result)
    cols = result.columns
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="sub">{escape(sub)}</p>',
        "<table><thead><tr><th>排名</th><th>机关</th>",
    ]
    out += [f"<th>{escape(c.label_zh)}<br>（{_whole(c.weight)}分）</th>" for c in cols]
    out.append("<th>总分</th>")
    if result.previous_period:
        out.append(f"<th>上期<br>（{escape(result.previous_period)}）</th><th>变化</th>")
    out.append("</tr></thead><tbody>")
    for row in result.rows:
        out.append(f'<tr><td>{_rank(row)}</td><td class="name">{escape(row.name)}</td>')
        for s in row.scores:
            cls = ' class="lost"' if s.lost else ""
            out.append(f"<td{cls}>{_num(s.points)}</td>")
        out.append(f'<td class="total">{_num(row.total)}</td>')
        if result.previous_period:
            out.append(
                f'<td class="prev">{escape(_previous(row))}</td>'
                f'<td class="prev">{escape(_change(row))}</td>'
            )
        out.append("</tr>")
    out.append("</tbody></table>")
    out.append("<h2>失分明细</h2>")
    for row, items in _details(result):
        out.append(f"<h3>{escape(_agency_head(row))}</h3>")
        if not items:
            out.append("<p>各项指标均得满分。</p>")
            continue
        out.append("<ul>")
        for line, faults in items:
            out.append(f"<li>{escape(line)}")
            if faults:
                out.append("<ul>")
                out += [f'<li class="fault">{escape(f)}</li>' for f in faults]
                out.append("</ul>")
            out.append("</li>")
        out.append("</ul>")
    out.append("<h2>指标与计分规则</h2>")
    for c in cols:
        out.append(f"<h3>{escape(c.label_zh)}（{escape(c.code)}，权重{_whole(c.weight)}）</h3>")
        out.append(f'<p class="rule">计分：{escape(c.rule_zh)}；最少样本{c.min_sample}。</p>')
        out.append(f'<p class="def">定义：{escape(c.definition_zh)}</p>')
    out += [f"<p>{escape(n)}</p>" for n in result.notes]
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# -- Word -------------------------------------------------------------------------------------


def render_docx(result: AssessmentResult) -> bytes:
    """The same three parts as a Word document: A4 landscape (the table has a column per
    indicator), 宋体 title, 黑体 headings, 仿宋 text, the table in 宋体 9 pt.

    :raises GovDiscloseError: code ``assessment.docx_missing`` without python-docx (the
        extra ``docx``).
    """
    try:
        import docx
        from docx.enum.section import WD_ORIENT
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt
    except ImportError as exc:
        hint_zh, hint_en = install_hint("python-docx", "docx")
        raise GovDiscloseError(
            f"生成 Word 文档需要 python-docx。{hint_zh}",
            f"rendering .docx needs python-docx; {hint_en}",
            code="assessment.docx_missing",
        ) from exc
    from govdisclose._docx import a4_page, set_fonts, stable_zip

    doc = docx.Document()
    section = doc.sections[0]
    a4_page(section, Mm)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(18)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    set_fonts(normal.element, "仿宋", qn)

    def para(text: str, *, font: str = "仿宋", size: float = 12, bold: bool = False,
             center: bool = False, indent: float = 0) -> Any:  # fmt: skip
        p = doc.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if indent:
            p.paragraph_format.left_indent = Pt(indent)
        p.paragraph_format.space_after = Pt(2)
        if font == "黑体":  # a section heading
            p.paragraph_format.space_before = Pt(12)
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.font.bold = bold
        set_fonts(run._element, font, qn)
        return p

    title, sub = _head(result)
    para(title, font="宋体", size=20, bold=True, center=True)
    para(sub, size=11, center=True)
    cols = result.columns
    head = ["排名", "机关", *(f"{c.label_zh}（{_whole(c.weight)}）" for c in cols), "总分"]
    if result.previous_period:
        head += [f"上期（{result.previous_period}）", "变化"]
    table = doc.add_table(rows=1 + len(result.rows), cols=len(head))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER

    def cell(r: int, c: int, text: str, *, bold: bool = False) -> None:
        target = table.cell(r, c)
        target.text = ""
        p = target.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT if c == 1 and r else WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.font.size = Pt(9)
        run.font.bold = bold
        set_fonts(run._element, "宋体", qn)

    # 261 mm of text on landscape A4: the name, previous-period and change columns wide
    # enough for one line, the indicators sharing the rest.
    fixed = [10.0, 40.0] + ([16.0, 32.0, 26.0] if result.previous_period else [16.0])
    each = (261.0 - sum(fixed)) / max(len(cols), 1)
    widths = [*fixed[:2], *([each] * len(cols)), *fixed[2:]]
    table.autofit = False
    for i, width in enumerate(widths):
        table.columns[i].width = Mm(width)  # the grid LibreOffice reads
        for r in range(len(result.rows) + 1):
            table.cell(r, i).width = Mm(width)
    for i, text in enumerate(head):
        cell(0, i, text, bold=True)
    for r, row in enumerate(result.rows, start=1):
        cells = [_rank(row), row.name, *(_num(s.points) for s in row.scores), _num(row.total)]
        if result.previous_period:
            cells += [_previous(row), _change(row)]
        for i, text in enumerate(cells):
            cell(r, i, text, bold=i == 2 + len(cols))
    para("失分明细", font="黑体", size=14)
    for row, items in _details(result):
        para(_agency_head(row), font="楷体", size=12, bold=True)
        if not items:
            para("各项指标均得满分。", indent=12)
        for line, faults in items:
            para(line, indent=12)
            for f in faults:
                para("· " + f, size=10.5, indent=28)
    para("指标与计分规则", font="黑体", size=14)
    for c in cols:
        para(f"{c.label_zh}（{c.code}，权重{_whole(c.weight)}）", font="楷体", bold=True)
        para(f"计分：{c.rule_zh}；最少样本{c.min_sample}。", size=10.5, indent=12)
        para(f"定义：{c.definition_zh}", size=10.5, indent=12)
    for n in result.notes:
        para(n, size=10.5)
    doc.core_properties.title = title
    doc.core_properties.language = "zh-CN"
    buffer = io.BytesIO()
    doc.save(buffer)
    return stable_zip(buffer.getvalue())


# -- CSV and DataFrame ----------------------------------------------------------------------------


def _table_rows(result: AssessmentResult) -> tuple[list[str], list[list[Any]]]:
    head = [*LEAGUE_COLUMNS[:3], *(c.label_zh for c in result.columns), *LEAGUE_COLUMNS[3:]]
    rows = []
    for row in result.rows:
        rows.append(
            [
                row.rank,
                row.agency,
                row.name,
                *(s.points for s in row.scores),
                row.total,
                row.previous_total,
                row.previous_rank,
                row.change,
            ]
        )
    return head, rows


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    return f"{value:.2f}" if isinstance(value, Decimal) else value


def render_csv(result: AssessmentResult) -> str:
    """The league table as CSV (UTF-8 text; a value not scored is an empty cell)."""
    head, rows = _table_rows(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(head)
    for r in rows:
        writer.writerow([_csv_cell(v) for v in r])
    return buffer.getvalue()


def lost_point_rows(result: AssessmentResult) -> list[dict[str, Any]]:
    """Every record behind a lost point, one dict per record: agency, indicator, subject, id,
    day, reason (zh and en), the points it cost (deduction rules)."""
    out = []
    for row in result.rows:
        for indicator, lp in row.lost_points:
            f = lp.fault
            out.append(
                {
                    "agency": row.agency,
                    "indicator": indicator,
                    "subject": f.subject,
                    "id": f.id,
                    "day": f.day,
                    "reason_zh": f.reason_zh,
                    "reason_en": f.reason_en,
                    "points": lp.points,
                }
            )
    return out


def to_frame(result: AssessmentResult, *, lost_points: bool = False) -> Any:
    """A pandas DataFrame: one row per agency (the CSV's columns, points as floats, missing
    as NaN), or with ``lost_points`` one row per record behind a lost point
    (`lost_point_rows`).

    :raises GovDiscloseError: code ``analysis.missing_pandas`` without pandas.
    """
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - exercised only where pandas is absent
        hint_zh, hint_en = install_hint("pandas", "analysis")
        raise GovDiscloseError(
            f"数据分析功能需要 pandas。{hint_zh}",
            f"analysis needs pandas; {hint_en}",
            code="analysis.missing_pandas",
        ) from None
    if lost_points:
        rows = lost_point_rows(result)
        frame = pd.DataFrame(rows, columns=list(rows[0]) if rows else ["agency", "indicator"])
        if rows:
            frame["points"] = [None if v is None else float(v) for v in frame["points"]]
        return frame
    head, values = _table_rows(result)
    data = [[float(v) if isinstance(v, Decimal) else v for v in r] for r in values]
    frame = pd.DataFrame(data, columns=head)
    for name in ("排名", "上期排名"):
        frame[name] = frame[name].astype("Int64")
    # a column with no scored value at all would otherwise hold None (dtype object)
    points = [c.label_zh for c in result.columns] + ["总分", "上期总分", "总分变化"]
    for name in points:
        frame[name] = frame[name].astype("float64")
    return frame.set_index("机关代码")
