"""The demo's assessment step: the shipped example scheme run on the demo city, kept, rendered."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from govdisclose.assessment._result import AssessmentResult, assess, keep_result
from govdisclose.assessment._scheme import load_scheme
from govdisclose.errors import GovDiscloseError

__all__ = ["demo_assessment"]


def demo_assessment(
    store: Any,
    directory: Path,
    *,
    period: str,
    as_of: date,
    params: Any,
    calendar: Any,
    say: Callable[[str], None],
) -> bool:
    """Assess the demo city's departments with `govdisclose.assessment.example_scheme` for
    ``period``, print the table and one traced lost point, keep the result and write it as
    Markdown, HTML and (with python-docx) .docx under ``directory/assessment``; ``True`` when
    every department was ranked and the kept result reads back equal."""
    from govdisclose.assessment import example_scheme

    scheme = load_scheme(example_scheme())
    result = assess(store, scheme, period, as_of=as_of, params=params, calendar=calendar)
    say(f"   {result.title} {result.period}（{result.period_label_zh}），考核基准日 {result.as_of}")
    for row in result.rows:
        prev = (
            f"上期 {row.previous_total:.2f}（第{row.previous_rank}名）"
            if row.previous_total is not None
            else "上期 —"
        )
        total = "—" if row.total is None else f"{row.total:.2f}"
        lost = sum(len(s.lost_points) for s in row.scores)
        say(f"   第{row.rank}名 {row.name}: {total} 分，{prev}；失分记录 {lost} 条")
    first = next(((row, code, lp) for row in result.rows for code, lp in row.lost_points), None)
    if first is not None:
        row, code, lp = first
        say(f"   e.g. {row.name} {code}: {lp.fault.subject} {lp.fault.id}: {lp.fault.reason_zh}")
    keep_result(store, result)
    back = store.get_item(AssessmentResult, result.id)
    folder = directory / "assessment"
    folder.mkdir(exist_ok=True)
    stem = result.id.replace("/", "-")
    (folder / f"{stem}.md").write_text(result.to_markdown(), "utf-8")
    (folder / f"{stem}.html").write_text(result.to_html(), "utf-8")
    written = [f"{stem}.md", f"{stem}.html"]
    try:
        (folder / f"{stem}.docx").write_bytes(result.to_docx())
        written.append(f"{stem}.docx")
    except GovDiscloseError as err:  # the docx extra is optional
        say(f"   docx: skipped ({err.message_en})")
    say(f"   kept {result.id}; wrote assessment/{', '.join(written)}")
    return back == result and all(r.rank is not None for r in result.rows)
