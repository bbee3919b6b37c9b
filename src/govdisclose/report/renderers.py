"""Report output formats behind one small Protocol, so plugins can add their own.

A renderer turns an `AnnualReport` into bytes of one format. The built-in ones:

========== ================================================================== ===============
format     what                                                               needs
========== ================================================================== ===============
html       standalone HTML page, official merged-cell tables                  -
html-frag  the ``<article>`` element only, for a CMS page                     -
markdown   readable Markdown with GitHub tables                               -
json       `govdisclose.serde` JSON, reads back into `AnnualReport`           -
docx       Word document, official tables, 公文 fonts, A4                     extra ``docx``
========== ================================================================== ===============

Each is a `ReportRenderer` (``format``, ``media_type``, ``render(report) -> bytes``), the
Protocol defined here, beside the code that calls it (also importable from
`govdisclose.adapters`, its 0.1.0 home). `builtin_renderers` returns a fresh mapping (no
module-level registry); a host merges plugin renderers (hook ``govdisclose_report_renderers``,
collected by `govdisclose.plugins.collect_report_renderers`) into it and passes the result to
`render`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from govdisclose.errors import ReportError
from govdisclose.report.render_docx import DocxRenderer
from govdisclose.report.render_html import HtmlRenderer
from govdisclose.report.render_json import JsonRenderer
from govdisclose.report.render_markdown import MarkdownRenderer
from govdisclose.report.schema import AnnualReport

__all__ = ["ReportRenderer", "builtin_renderers", "render"]


@runtime_checkable
class ReportRenderer(Protocol):
    """Renders an annual report in one output format.

    ``format`` is the short name a caller asks for (``"markdown"``, ``"html"``, ``"docx"``);
    ``media_type`` the MIME type of the bytes `render` returns. A structural Protocol: a plugin
    needs no base class, only the attributes and the method.
    """

    format: str
    media_type: str

    def render(self, report: AnnualReport) -> bytes:
        """The report in this format."""
        ...


def builtin_renderers() -> dict[str, ReportRenderer]:
    """The built-in renderers keyed by format name (a new dict each call)."""
    renderers: tuple[ReportRenderer, ...] = (
        HtmlRenderer(),
        HtmlRenderer(fragment=True),
        MarkdownRenderer(),
        JsonRenderer(),
        DocxRenderer(),
    )
    return {r.format: r for r in renderers}


def render(
    report: AnnualReport,
    format: str,
    *,
    renderers: Mapping[str, ReportRenderer] | None = None,
) -> bytes:
    """``report`` rendered in ``format`` by ``renderers`` (default: `builtin_renderers`).

    Raises `ReportError` (code ``report.unknown_renderer``) naming the known formats.
    """
    available = builtin_renderers() if renderers is None else renderers
    renderer = available.get(format)
    if renderer is None:
        known = ", ".join(sorted(available))
        raise ReportError(
            f"没有“{format}”格式的年报输出，可用：{known}",
            f"no annual-report renderer for format {format!r}; available: {known}",
            field="format",
            code="report.unknown_renderer",
        )
    return renderer.render(report)
