"""The built-in plugin: defaults provided through the same hooks as any installed plugin.

Registered by `govdisclose.plugins.make_plugin_manager` under
`govdisclose.plugins.DEFAULT_PLUGIN_NAME`; a host that wants none of it blocks that name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from govdisclose.hookspecs import hookimpl

if TYPE_CHECKING:
    from collections.abc import Iterable

    from govdisclose.calendar import WorkCalendar
    from govdisclose.params import ParameterSet
    from govdisclose.report.renderers import ReportRenderer
    from govdisclose.rules import Rule
    from govdisclose.settings import Settings
    from govdisclose.store import Store

__all__ = [
    "govdisclose_calendar",
    "govdisclose_parameters",
    "govdisclose_report_renderers",
    "govdisclose_rules",
    "govdisclose_store",
]


@hookimpl(trylast=True)
def govdisclose_store(settings: Settings) -> Store | None:
    """An empty `govdisclose.testing.MemoryStore` for ``memory://`` URLs.

    ``trylast`` so that a plugin may take over the ``memory`` scheme (a shared-memory store,
    for instance) without blocking the built-in plugin.
    """
    if settings.store_scheme != "memory":
        return None
    from govdisclose.store._memory import MemoryStore

    return MemoryStore()


@hookimpl(trylast=True)
def govdisclose_rules(settings: Settings) -> Iterable[Rule]:
    """The default disclosure rules (`govdisclose.rules.RuleSet.default`), GD-R001 to R013."""
    from govdisclose.rules import RuleSet

    return tuple(RuleSet.default())


@hookimpl(trylast=True)
def govdisclose_report_renderers(settings: Settings) -> Iterable[ReportRenderer]:
    """The built-in report formats (`govdisclose.report.renderers.builtin_renderers`)."""
    from govdisclose.report.renderers import builtin_renderers

    return tuple(builtin_renderers().values())


@hookimpl(trylast=True)
def govdisclose_parameters(settings: Settings) -> ParameterSet:
    """The shipped national parameters (`govdisclose.params.ParameterSet.default`)."""
    from govdisclose.params import ParameterSet

    return ParameterSet.default()


@hookimpl(trylast=True)
def govdisclose_calendar(settings: Settings) -> WorkCalendar:
    """The national calendar (`govdisclose.calendar.WorkCalendar.default`) under the policy
    of the option ``calendar.policy`` (checked by `govdisclose.plugins.load_calendar`)."""
    from govdisclose.calendar import WorkCalendar

    policy = settings.options.get("calendar.policy", "strict")
    return WorkCalendar.default(policy="provisional" if policy == "provisional" else "strict")
