"""Findings: what a check found, with its severity (a neutral home shared by every checker).

The disclosure rules (`govdisclose.rules`), the publication guard and the annual-report
validator (`govdisclose.report.validate`) all speak in `Finding` values; they live here so that
the report does not depend on the disclosure rules, nor the rules on the report.
"""

from __future__ import annotations

from attrs import frozen

from govdisclose.vocab import CodedEnum

__all__ = ["Finding", "Severity"]


class Severity(CodedEnum):
    """How serious a finding is. Only ``ERROR`` blocks publication."""

    ERROR = ("error", "错误")
    WARNING = ("warning", "警告")
    INFO = ("info", "提示")


@frozen
class Finding:
    """One problem a rule found on a record, bilingual, with the field and the article."""

    rule_id: str
    severity: Severity
    message_zh: str
    message_en: str
    field: str | None
    article: str

    def _repr_html_(self) -> str:
        """One finding as a notebook shows it: severity, rule, field, both messages, article."""
        from html import escape

        colour = {"error": "#b00020", "warning": "#8a5300", "info": "#1f5fa8"}[self.severity.code]
        return (
            f'<div lang="zh-CN"><strong style="color:{colour}">{escape(self.severity.label)}'
            f"</strong> <code>{escape(self.rule_id)}</code>"
            + (f" <code>{escape(self.field)}</code>" if self.field else "")
            + f"<br>{escape(self.message_zh)}<br><small>{escape(self.message_en)}</small>"
            + (f"<br><small>{escape(self.article)}</small>" if self.article else "")
            + "</div>"
        )
