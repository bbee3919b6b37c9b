"""Helpers shared by the renderers: what a renderer reads from a report, title, paragraphs."""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from govdisclose.report._spec import LayoutSpec, spec_for
from govdisclose.report.format import format_by_id

__all__ = ["ReportLike", "clean", "paragraphs", "report_title", "spec_of"]


class ReportLike(Protocol):
    """The part of `AnnualReport` the renderers use (keeps them testable with any such object)."""

    @property
    def format_id(self) -> str: ...
    @property
    def agency_name(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def preamble(self) -> str: ...
    @property
    def overview(self) -> str: ...
    @property
    def problems(self) -> str: ...
    @property
    def other_matters(self) -> str: ...

    def cell(self, ref: str) -> int | Decimal | None: ...


def spec_of(report: ReportLike) -> LayoutSpec:
    """The layout of the report's format."""
    return spec_for(format_by_id(report.format_id))


# C0 control characters other than tab and line breaks: invalid in XML (a .docx refuses them)
# and invisible in HTML, yet text pasted from Word or OA forms carries them.
_CONTROLS = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r\x0b\x0c")


def clean(text: str) -> str:
    """``text`` without control characters that no output format can carry."""
    return text.translate(_CONTROLS)


def report_title(report: ReportLike) -> str:
    """``<机关>2023年政府信息公开工作年度报告``, the title used on published reports."""
    return clean(f"{report.agency_name}{report.year}年政府信息公开工作年度报告")


def paragraphs(text: str) -> tuple[str, ...]:
    """Non-empty lines of a text section, stripped; each becomes one printed paragraph.

    Word's manual line break (``\x0b``) and page break (``\x0c``) also end a paragraph.
    """
    return tuple(line.strip() for line in clean(text).splitlines() if line.strip())
