"""The load_* helpers turn what plugins contribute into ready objects: parameters, calendar,
rules and renderers, with the national defaults underneath."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import pytest

from govdisclose.calendar import CalendarOverrides
from govdisclose.errors import PluginError
from govdisclose.hookspecs import hookimpl
from govdisclose.model import Record
from govdisclose.plugins import (
    Settings,
    list_plugins,
    load_calendar,
    load_parameters,
    load_report_renderers,
    load_rules,
    make_plugin_manager,
)
from govdisclose.rules import Finding, Rule, RuleContext, Severity

REF = {"reference": {"regulation": "某自治区政府信息公开规定", "article": "第十条"}}


def _no_topic(record: Record, ctx: RuleContext) -> Iterable[Finding]:
    if record.topic is None:
        yield Finding("LOCAL-1", Severity.WARNING, "未填主题分类", "no topic", "topic", "地方规定")


class LocalPlugin:
    """A region's plugin: a shorter reply limit, an ethnic festival, a local rule, a renderer."""

    @hookimpl
    def govdisclose_parameter_sources(self, settings: Settings) -> Iterable[Any]:
        return ({"reply_days": {"values": {"2022-01-01": 15}, "metadata": REF}},)

    @hookimpl
    def govdisclose_calendar_overrides(self, settings: Settings) -> Iterable[CalendarOverrides]:
        return (
            CalendarOverrides(
                name="那达慕",
                source="某自治区人民政府通知",
                region="某自治区",
                holidays=frozenset({date(2025, 7, 11)}),
                workdays=frozenset(),
            ),
        )

    @hookimpl
    def govdisclose_rules(self, settings: Settings) -> Iterable[Rule]:
        return (Rule("LOCAL-1", "主题分类必填", "地方规定", Severity.WARNING, _no_topic),)

    @hookimpl
    def govdisclose_report_renderers(self, settings: Settings) -> Iterable[Any]:
        return (self,)

    format = "txt"
    media_type = "text/plain"

    def render(self, report: Any) -> bytes:
        return f"{report.agency_name} {report.year}".encode()


def test_loaders_merge_plugin_contributions_over_the_defaults() -> None:
    """Each loader starts from the national default and applies the plugin's contribution."""
    pm = make_plugin_manager(load_entry_points=False, plugins=[LocalPlugin()])
    settings = Settings()
    params = load_parameters(settings, pm)
    assert params.at(date(2025, 1, 1)).reply_days == 15
    assert params.at(date(2021, 1, 1)).reply_days == 20
    calendar = load_calendar(settings, pm)
    assert not calendar.is_workday(date(2025, 7, 11))  # a Friday, the regional holiday
    assert calendar.is_workday(date(2025, 7, 10))
    rules = load_rules(settings, pm)
    assert "LOCAL-1" in rules.ids
    assert "GD-R001" in rules.ids
    renderers = load_report_renderers(settings, pm)
    assert {"txt", "html", "markdown", "json"} <= set(renderers)


def test_plugins_passed_in_show_readable_names() -> None:
    """An object passed to make_plugin_manager is listed by its class name, not its id()."""
    pm = make_plugin_manager(load_entry_points=False, plugins=[LocalPlugin(), LocalPlugin()])
    names = [info.name for info in list_plugins(pm)]
    assert "LocalPlugin" in names
    assert "LocalPlugin#2" in names


def test_a_renderer_may_not_replace_a_builtin_format() -> None:
    """A plugin that offers an existing format is refused, not silently preferred."""

    class Clash:
        format = "html"
        media_type = "text/html"

        def render(self, report: Any) -> bytes:
            return b""

        @hookimpl
        def govdisclose_report_renderers(self, settings: Settings) -> Iterable[Any]:
            return (self,)

    pm = make_plugin_manager(load_entry_points=False, plugins=[Clash()])
    with pytest.raises(PluginError) as caught:
        load_report_renderers(Settings(), pm)
    assert caught.value.field == "format"


def test_defaults_come_through_the_hooks_overridable_and_blockable() -> None:
    """The default rules and formats are the built-in plugin's hook results: a ``tryfirst``
    plugin replaces one explicitly, blocking the built-in plugin removes them all."""
    from govdisclose.plugins import DEFAULT_PLUGIN_NAME, load_rules
    from govdisclose.rules import Rule, RuleSet, Severity

    class Html:
        format = "html"
        media_type = "text/html"

        def render(self, report: Any) -> bytes:
            return b"<p>local</p>"

        @hookimpl(tryfirst=True)
        def govdisclose_report_renderers(self, settings: Settings) -> Iterable[Any]:
            return (self,)

    html = Html()
    pm = make_plugin_manager(load_entry_points=False, plugins=[html])
    renderers = load_report_renderers(Settings(), pm)
    assert renderers["html"] is html
    assert "markdown" in renderers  # the other built-in formats stay

    default_r009 = next(r for r in RuleSet.default() if r.id == "GD-R009")
    local_r009 = Rule(
        id="GD-R009",
        title="本市：重要政策须同步解读",
        article="某市规定第三条",
        severity=Severity.ERROR,
        check=default_r009.check,
    )

    class Strict:
        @hookimpl(tryfirst=True)
        def govdisclose_rules(self, settings: Settings) -> Iterable[Rule]:
            return (local_r009,)

    rules = load_rules(Settings(), make_plugin_manager(load_entry_points=False, plugins=[Strict()]))
    assert len(rules) == len(RuleSet.default())
    assert next(r for r in rules if r.id == "GD-R009").severity is Severity.ERROR

    bare = make_plugin_manager(load_entry_points=False, block=[DEFAULT_PLUGIN_NAME])
    assert load_report_renderers(Settings(), bare) == {}
    assert len(load_rules(Settings(), bare)) == 0
