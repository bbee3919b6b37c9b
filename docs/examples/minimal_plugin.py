"""A minimal govdisclose plugin and the host that uses it, in one runnable file.

The plugin is the three functions marked ``@hookimpl``: a local disclosure rule, a local rest
day, and a listener that writes an audit line for every notification. In a real project they
live in their own distribution (``govdisclose-<name>``, import package ``govdisclose_<name>``),
declared in the ``govdisclose`` entry-point group. `main` is the host: it registers the plugin,
collects what it provides and uses it. The local policy and its dates are invented for the
example.

Run it with ``python docs/examples/minimal_plugin.py``; ``tests/test_docs.py`` runs it and checks
that it prints what ``docs/plugins/writing_plugins.md`` shows.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from datetime import date

from govdisclose.calendar import CalendarOverrides
from govdisclose.hookspecs import hookimpl
from govdisclose.model import Record
from govdisclose.notifications import Notification
from govdisclose.plugins import Settings
from govdisclose.rules import Finding, Rule, RuleContext, Severity

# -- the plugin -------------------------------------------------------------------------------

LOCAL_ARTICLE = "（示例）某州政府信息公开目录编制规范第七条"


def _topic_required(record: Record, context: RuleContext) -> Iterator[Finding]:
    """The local rule: every catalogue entry carries a 主题分类."""
    if record.topic is None:
        yield Finding(
            rule_id="XZ-R001",
            severity=Severity.WARNING,
            message_zh="未填写主题分类",
            message_en="the topic is missing",
            field="topic",
            article=LOCAL_ARTICLE,
        )


@hookimpl
def govdisclose_rules(settings: Settings) -> Iterable[Rule]:
    """One local rule; its id carries the plugin's own prefix."""
    return (
        Rule(
            id="XZ-R001",
            title="须填写主题分类",
            article=LOCAL_ARTICLE,
            severity=Severity.WARNING,
            check=_topic_required,
        ),
    )


@hookimpl
def govdisclose_calendar_overrides(settings: Settings) -> Iterable[CalendarOverrides]:
    """A local rest day on top of the national calendar."""
    return (
        CalendarOverrides(
            name="（示例）民族节日",
            source="（示例）某自治州人民政府关于民族节日放假的通知",
            region="某自治州",
            holidays=frozenset({date(2025, 3, 31)}),
        ),
    )


@hookimpl
def govdisclose_handle_event(event: Notification) -> None:
    """Write an audit line for every notification; ignore nothing, fail on nothing."""
    print(f"[audit] {event.kind}: {event!r}")


# -- the host ---------------------------------------------------------------------------------


def main() -> None:
    """Register the plugin, collect what it provides, and use it."""
    import govdisclose as gd
    from govdisclose.calendar import WorkCalendar
    from govdisclose.deadlines import reply_deadline
    from govdisclose.notifications import ApplicationEventApplied
    from govdisclose.params import ParameterSet
    from govdisclose.plugins import (
        collect_calendar_overrides,
        collect_rules,
        make_plugin_manager,
        notify,
    )
    from govdisclose.rules import RuleSet

    plugin = sys.modules[__name__]
    # No installed plugins: only the built-in defaults and this one (what a test wants too).
    pm = make_plugin_manager(load_entry_points=False, plugins=[plugin])
    settings = Settings()

    rules = RuleSet.default().with_rules(*collect_rules(settings, pm))
    record = Record(
        id="R-1", title="某州人民政府关于某事项的通知", agency="xz-gov", formed_on=date(2025, 3, 3)
    )
    for finding in rules.check(record):
        if finding.rule_id.startswith("XZ-"):
            print(f"{finding.rule_id} {finding.severity.code}: {finding.message_zh}")

    national = WorkCalendar.default()
    local = national
    for overrides in collect_calendar_overrides(settings, pm):
        local = local.with_overrides(overrides)
    app = gd.Application(
        id="XZ-2025-001",
        agency="xz-gov",
        applicant=gd.Applicant(type=gd.ApplicantType.NATURAL_PERSON, name="张三"),
        channel=gd.Channel.IN_PERSON,
        request="请公开某项目的批复",
    )
    app = gd.apply(app, gd.Received(on=date(2025, 3, 24)))
    params = ParameterSet.default()
    for name, calendar in (("national", national), ("local", local)):
        deadline = reply_deadline(app, params=params, calendar=calendar)
        assert deadline is not None
        print(f"{name} reply deadline: {deadline.due}")

    notify(pm, ApplicationEventApplied(application_id=app.id, event=app.events[-1], version=1))


if __name__ == "__main__":
    main()
