"""Counts of press events per agency and year, for the annual report's narrative.

Seed 004 §三 (新乡市2015年政府信息公开工作年度报告) quotes: 全市共举办各类新闻发布会29次，其中
主要负责同志参加新闻发布会次数25次；通过各类政府网站开展在线访谈97次，其中各级主要负责同志参加
政府网站在线访谈40次. `PressCounts.narrative` writes a line of that shape from stored events.
An event is counted for the unit that hosted it, in the year of its date.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import frozen

from govdisclose.press._model import PressEvent, PressEventKind

__all__ = ["PressCounts", "yearly_counts"]


@frozen
class PressCounts:
    """One agency's (or, with ``agency=None``, everyone's) press events in one year."""

    agency: str | None
    year: int
    press_conferences: int = 0
    press_conferences_principal: int = 0
    briefings: int = 0
    interviews: int = 0
    online_interviews: int = 0
    online_interviews_principal: int = 0

    @property
    def total(self) -> int:
        """Every event counted."""
        return self.press_conferences + self.briefings + self.interviews + self.online_interviews

    def figures(self) -> dict[str, int]:
        """The counts under stable keys (for a report text's placeholders or a frame)."""
        return {
            "press.conferences": self.press_conferences,
            "press.conferences_principal": self.press_conferences_principal,
            "press.briefings": self.briefings,
            "press.interviews": self.interviews,
            "press.online_interviews": self.online_interviews,
            "press.online_interviews_principal": self.online_interviews_principal,
        }

    def narrative(self) -> str:
        """The counts as the narrative of seed 004 §三 phrases them."""
        parts = [
            f"举办新闻发布会{self.press_conferences}次，其中主要负责同志参加新闻发布会"
            f"{self.press_conferences_principal}次"
        ]
        if self.briefings:
            parts.append(f"举行新闻吹风会{self.briefings}次")
        parts.append(
            f"开展在线访谈{self.online_interviews}次，其中主要负责同志参加在线访谈"
            f"{self.online_interviews_principal}次"
        )
        if self.interviews:
            parts.append(f"接受媒体采访{self.interviews}次")
        return "；".join(parts) + "。"


def yearly_counts(
    events: Iterable[PressEvent], year: int, *, agency: str | None = None
) -> PressCounts:
    """The counts of ``year`` for ``agency`` (the host), or for every agency when ``None``."""
    n = dict.fromkeys(
        (
            "press_conferences",
            "press_conferences_principal",
            "briefings",
            "interviews",
            "online_interviews",
            "online_interviews_principal",
        ),
        0,
    )
    for ev in events:
        if ev.held_on.year != year or (agency is not None and ev.agency != agency):
            continue
        if ev.kind is PressEventKind.PRESS_CONFERENCE:
            n["press_conferences"] += 1
            n["press_conferences_principal"] += ev.principal_head_attended
        elif ev.kind is PressEventKind.ONLINE_INTERVIEW:
            n["online_interviews"] += 1
            n["online_interviews_principal"] += ev.principal_head_attended
        elif ev.kind is PressEventKind.BRIEFING:
            n["briefings"] += 1
        else:
            n["interviews"] += 1
    return PressCounts(agency, year, **n)
