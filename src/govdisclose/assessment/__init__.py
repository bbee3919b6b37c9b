"""Assessment (考核) of agencies from their own records (issue 16).

The assessing office writes its scheme (考核方案) as a TOML file: the indicators, their weights
and scoring rules, the period and the agencies assessed (`parse_scheme`, `load_scheme`,
`check_scheme`: every problem named by its key). `assess` scores every agency for one period
from what the store holds and returns the league table (`AssessmentResult`): per indicator the
points and, for every point lost, the records behind it; the total, the rank (ties share it)
and the comparison with the previous period. The result is a kept item (kind
``"assessment.result"``: `keep_result`, `stored_result`) and renders as Markdown, HTML, .docx,
CSV and a DataFrame.

* periods: `Period` (``2026-03``, ``2026Q1``, ``2026H1``, ``2026``);
* indicators: `Indicator`, `Measure`, `Fault`, `IndicatorInput`, `register_indicator`,
  `indicators`, `get_indicator`; the built-in ones (on-time replies, proactive timeliness,
  interpretation coverage, review corrections, the annual report on time and consistent,
  bunched uploads, plan tasks, inquiries, opinion response) each with a written definition;
* the table: `assess`, `AssessmentResult`, `AgencyScore`, `IndicatorScore`, `LostPoint`,
  `IndicatorColumn`; the renderers `render_markdown`, `render_html`, `render_docx`,
  `render_csv`, `to_frame`, `lost_point_rows`; `example_scheme` (the shipped example file).

See docs/assessment.md.
"""

from __future__ import annotations

from pathlib import Path

# The built-in indicators register themselves when their module is imported.
import govdisclose.assessment._builtin  # noqa: F401
from govdisclose.assessment._indicators import (
    Fault,
    Indicator,
    IndicatorInput,
    Measure,
    get_indicator,
    indicators,
    register_indicator,
)
from govdisclose.assessment._period import Period
from govdisclose.assessment._render import (
    LEAGUE_COLUMNS,
    lost_point_rows,
    render_csv,
    render_docx,
    render_html,
    render_markdown,
    to_frame,
)
from govdisclose.assessment._result import (
    AgencyScore,
    AssessmentResult,
    IndicatorColumn,
    IndicatorScore,
    LostPoint,
    assess,
    check_scheme,
    keep_result,
    result_id,
    stored_result,
)
from govdisclose.assessment._scheme import (
    Scheme,
    SchemeFinding,
    SchemeIndicator,
    SchemeInvalid,
    Step,
    load_scheme,
    parse_scheme,
)

__all__ = [
    "LEAGUE_COLUMNS",
    "AgencyScore",
    "AssessmentResult",
    "Fault",
    "Indicator",
    "IndicatorColumn",
    "IndicatorInput",
    "IndicatorScore",
    "LostPoint",
    "Measure",
    "Period",
    "Scheme",
    "SchemeFinding",
    "SchemeIndicator",
    "SchemeInvalid",
    "Step",
    "assess",
    "check_scheme",
    "example_scheme",
    "get_indicator",
    "indicators",
    "keep_result",
    "load_scheme",
    "lost_point_rows",
    "parse_scheme",
    "register_indicator",
    "render_csv",
    "render_docx",
    "render_html",
    "render_markdown",
    "result_id",
    "stored_result",
    "to_frame",
]


def example_scheme() -> Path:
    """The path of the shipped example scheme (``data/example_half_year.toml``): the demo
    city's half-yearly assessment of its departments with every built-in indicator."""
    return Path(__file__).with_name("data") / "example_half_year.toml"
