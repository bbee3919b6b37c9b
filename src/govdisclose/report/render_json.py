"""The annual report as JSON, through the library's one serialization configuration.

The document is `govdisclose.serde`'s form of `AnnualReport` (dates ISO, amounts as strings so
万元 decimals survive, blank cells ``null``, table 二's ``edition`` tag telling the 2021 and 2019
layouts apart), so ``serde.loads(text, AnnualReport)`` reads it back unchanged. This is the
format for OA/CMS adapters; it carries values, not layout.
"""

from __future__ import annotations

from govdisclose import serde
from govdisclose.report.schema import AnnualReport

__all__ = ["JsonRenderer", "render_json"]


def render_json(report: AnnualReport, *, indent: int | None = 2) -> str:
    """JSON text of ``report`` (Chinese kept readable, no ``\\u`` escapes)."""
    return serde.dumps(report, indent=indent) + "\n"


class JsonRenderer:
    """`ReportRenderer` for JSON."""

    format = "json"
    media_type = "application/json"

    def __init__(self, *, indent: int | None = 2) -> None:
        self.indent = indent

    def render(self, report: AnnualReport) -> bytes:
        """UTF-8 bytes of `render_json`."""
        return render_json(report, indent=self.indent).encode("utf-8")
