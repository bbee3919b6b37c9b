"""A test plugin implementing every govdisclose hook (the meta-test checks it stays complete).

Hook implementations return small, real adapter objects so the tests can check they come back
through `govdisclose.plugins` unchanged. State lives on `KitchenSink` instances, never at module
level, so each test registers a fresh one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Any

from govdisclose.calendar import CalendarOverrides, WorkCalendar
from govdisclose.hookspecs import hookimpl
from govdisclose.model import Record
from govdisclose.notifications import Notification
from govdisclose.params import ParameterSet
from govdisclose.plugins import Settings
from govdisclose.rules import Finding, Rule, RuleContext, Severity
from govdisclose.store import Store
from govdisclose.testing import MemoryStore, RecordingPublisher

PUBLISHED_AT = datetime(2024, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=8)))


class TextRenderer:
    """A ReportRenderer for plain text."""

    format = "txt"
    media_type = "text/plain; charset=utf-8"

    def render(self, report: Any) -> bytes:
        return f"报告：{report}".encode()


def _no_title_number(record: Record, context: RuleContext) -> Iterator[Finding]:
    if "号" not in record.title:
        return
    yield Finding(
        rule_id="KS-R001",
        severity=Severity.WARNING,
        message_zh="标题不应含文号",
        message_en="the title should not carry the document number",
        field="title",
        article="厨房水槽规定第一条",
    )


KS_RULE = Rule(
    id="KS-R001",
    title="标题不含文号",
    article="厨房水槽规定第一条",
    severity=Severity.WARNING,
    check=_no_title_number,
)

KS_PARAMETERS = {
    "reply_days": {
        "values": {"2024-01-01": 15},
        "metadata": {"reference": {"regulation": "某县政府信息公开实施办法", "article": "第十条"}},
    }
}

#: The kitchen sink's letters: the seal line of a county office's disclosure seal.
KS_NOTICE_TEMPLATES = {"letterhead": {"signature": "${agency}（政府信息公开专用章）"}}

KS_OVERRIDES = CalendarOverrides(
    name="厨房节",
    source="某自治县人民政府关于厨房节放假的通知",
    region="某自治县",
    holidays=frozenset({date(2024, 6, 3)}),
)


#: The option that makes the kitchen sink answer the base hooks (``govdisclose_calendar``,
#: ``govdisclose_parameters``); without it they answer None and the built-in defaults stand.
OWN_BASE = "kitchen.own_base"

#: The kitchen sink's own base calendar: the national one with a county's rest day of its own.
KS_BASE_OVERRIDES = CalendarOverrides(
    name="县庆",
    source="某自治县人民政府关于县庆放假的通知",
    region="某自治县",
    holidays=frozenset({date(2024, 7, 1)}),
)

#: The kitchen sink's own base parameters: a vetted copy with a 5-working-day 补正 notice.
KS_BASE_PARAMETERS = {
    "correction_notice_days": {
        "values": {"2024-01-01": 5},
        "metadata": {"reference": {"regulation": "某县政务公开基准参数", "article": "第二条"}},
    }
}


#: A local office's form for an online application (the hotline passes them on).
KS_LABEL_ALIASES = {"Channel": {"online": ["12345热线转办"]}}


class KitchenSink:
    """Implements every hook; remembers the notifications it received."""

    def __init__(self) -> None:
        self.events: list[Notification] = []
        self.publisher = RecordingPublisher(PUBLISHED_AT, name="kitchen-sink")

    @hookimpl
    def govdisclose_store(self, settings: Settings) -> Store | None:
        return MemoryStore() if settings.store_scheme == "kitchen" else None

    @hookimpl
    def govdisclose_parameters(self, settings: Settings) -> ParameterSet | None:
        if settings.options.get(OWN_BASE) != "yes":
            return None
        return ParameterSet.default().with_overrides(KS_BASE_PARAMETERS)

    @hookimpl
    def govdisclose_calendar(self, settings: Settings) -> WorkCalendar | None:
        if settings.options.get(OWN_BASE) != "yes":
            return None
        return WorkCalendar.default().with_overrides(KS_BASE_OVERRIDES)

    @hookimpl
    def govdisclose_parameter_sources(self, settings: Settings) -> Iterable[object]:
        return (KS_PARAMETERS,)

    @hookimpl
    def govdisclose_calendar_overrides(self, settings: Settings) -> Iterable[CalendarOverrides]:
        return (KS_OVERRIDES,)

    @hookimpl
    def govdisclose_rules(self, settings: Settings) -> Iterable[Rule]:
        return (KS_RULE,)

    @hookimpl
    def govdisclose_publishers(self, settings: Settings) -> Iterable[RecordingPublisher]:
        return (self.publisher,)

    @hookimpl
    def govdisclose_label_aliases(self, settings: Settings) -> Iterable[object]:
        return (KS_LABEL_ALIASES,)

    @hookimpl
    def govdisclose_notice_templates(self, settings: Settings) -> Iterable[object]:
        return (KS_NOTICE_TEMPLATES,)

    @hookimpl
    def govdisclose_report_renderers(self, settings: Settings) -> Iterable[TextRenderer]:
        return (TextRenderer(),)

    @hookimpl
    def govdisclose_handle_event(self, event: Notification) -> None:
        self.events.append(event)
