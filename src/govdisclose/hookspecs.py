# Hook specifications are signatures with docstrings: their bodies are empty by design.
# mypy: disable-error-code="empty-body"
"""The govdisclose hook specifications: what a plugin may provide.

A plugin is a module or object with functions named after these hooks and decorated with
`hookimpl`; a distribution makes it installable by declaring it in the ``govdisclose``
entry-point group::

    [project.entry-points.govdisclose]
    sql = "govdisclose_sql.plugin"

Hooks hand over typed adapter objects (a `govdisclose.store.Store`, a
`govdisclose.adapters.Publisher`, ...) that the library then calls directly: no hook runs per
stored row or per published record. They are called by the host through
`govdisclose.plugins` (`open_store`, `collect_publishers`, ...), which checks what each plugin
returns and names the plugin when it returns the wrong thing.

Every hook receives only the arguments it names, so new arguments can be added at the end of a
specification without breaking existing implementations. The hooks are listed in the order a
host calls them: set-up (storage, law, calendar, rules, publishing), letters, reporting,
notifications.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from govdisclose.calendar import CalendarOverrides, Schedule, WorkCalendar
    from govdisclose.notices import NoticeTemplateSource
    from govdisclose.notifications import Notification
    from govdisclose.params import ParameterSet, ParameterSource
    from govdisclose.publishing import Publisher
    from govdisclose.report.renderers import ReportRenderer
    from govdisclose.rules import Rule
    from govdisclose.settings import Settings
    from govdisclose.store import Store
    from govdisclose.vocab import LabelAliasSource

__all__ = [
    "PROJECT_NAME",
    "govdisclose_calendar",
    "govdisclose_calendar_overrides",
    "govdisclose_handle_event",
    "govdisclose_label_aliases",
    "govdisclose_notice_templates",
    "govdisclose_parameter_sources",
    "govdisclose_parameters",
    "govdisclose_publishers",
    "govdisclose_report_renderers",
    "govdisclose_rules",
    "govdisclose_store",
    "hookimpl",
    "hookspec",
]

#: The pluggy project name: marker name, hook prefix and entry-point group.
PROJECT_NAME = "govdisclose"

#: Marks a hook specification (used only here).
hookspec = pluggy.HookspecMarker(PROJECT_NAME)

#: Marks a hook implementation in a plugin: ``@hookimpl`` or ``@hookimpl(tryfirst=True)``.
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


# -------------------------------------------------------------------------------------------
# Set-up hooks: called once when a host opens govdisclose with its Settings.
# -------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def govdisclose_store(settings: Settings) -> Store | None:
    """Open the storage named by ``settings.store_url``.

    Called by `govdisclose.plugins.open_store` when the host opens its store. An
    implementation looks at the URL's scheme and returns a ready `govdisclose.store.Store` if
    the scheme is its own (``sqlite:///gd.db``, ``postgresql+psycopg://...``), or ``None`` to
    let another plugin answer. The built-in plugin answers ``memory://``. To replace a store
    for a scheme another plugin also answers, implement this hook with ``tryfirst=True``.

    :param settings: the host's settings; ``settings.store_url`` says which store, and
        ``settings.options`` carries adapter options (pool size, schema name, ...).
    :return: a `Store`, or ``None`` if the URL is not for this plugin. A URL no plugin
        answers is a `govdisclose.errors.PluginError` naming the installed store plugins.

    Stops at first non-None result.
    """


@hookspec(firstresult=True)
def govdisclose_parameters(settings: Settings) -> ParameterSet | None:
    """Provide the base legal parameters: the national parameter set local sources refine.

    Called by `govdisclose.plugins.load_parameters` when the host builds its
    `govdisclose.params.ParameterSet` (unless the host passes its own ``base``). The built-in
    plugin answers with `govdisclose.params.ParameterSet.default`, the shipped national data,
    from a ``trylast`` implementation; a plugin replaces it (a deployment that pins a vetted
    copy of the law's parameters) by answering first. Local refinements belong in
    ``govdisclose_parameter_sources``, which are merged on top of whatever this returns.

    :param settings: the host's settings.
    :return: a `govdisclose.params.ParameterSet`, or ``None`` to let another plugin answer. No
        answer at all (the built-in plugin blocked and no replacement) is a
        `govdisclose.errors.PluginError`.

    Stops at first non-None result.
    """


@hookspec
def govdisclose_parameter_sources(settings: Settings) -> Iterable[ParameterSource]:
    """Provide local legal parameters (stricter local limits, local fee rules).

    Called when the host builds its `govdisclose.params.ParameterSet`: each source is merged
    by effective date into the shipped national parameters with
    `govdisclose.params.ParameterSet.with_overrides` (a local document may shorten a statutory
    period, never lengthen it).

    :param settings: the host's settings.
    :return: parameter sources, each a path of a TOML parameter file in the shipped format or a
        mapping of the same shape; an empty iterable to add nothing.
    """


@hookspec(firstresult=True)
def govdisclose_calendar(settings: Settings) -> WorkCalendar | None:
    """Provide the base working-day calendar: the national schedule before local additions.

    Called by `govdisclose.plugins.load_calendar` when the host builds its
    `govdisclose.calendar.WorkCalendar`. The built-in plugin answers with
    `govdisclose.calendar.WorkCalendar.default` under the policy of the option
    ``calendar.policy`` (``strict`` unless set), from a ``trylast`` implementation; a plugin
    replaces it (a calendar kept in the OA system's own tables) by answering first. The
    schedule files of the options ``calendar.dir`` / ``calendar.files`` and every plugin's
    ``govdisclose_calendar_overrides`` are applied on top of what this returns.

    :param settings: the host's settings; ``settings.options["calendar.policy"]`` is the
        policy the host asked for (``load_calendar(policy=...)`` sets it).
    :return: a `govdisclose.calendar.WorkCalendar`, or ``None`` to let another plugin answer.
        No answer at all (the built-in plugin blocked and no replacement) is a
        `govdisclose.errors.PluginError`.

    Stops at first non-None result.
    """


@hookspec
def govdisclose_calendar_overrides(
    settings: Settings,
) -> Iterable[CalendarOverrides | Schedule]:
    """Provide extra holidays and working days (a regional holiday, next year's schedule).

    Called when the host builds its `govdisclose.calendar.WorkCalendar`
    (`govdisclose.plugins.load_calendar`); every value is applied on top of the official State
    Council schedule, so deadlines count the local calendar. Next year's national schedule is
    best given as a `govdisclose.calendar.Schedule` (read from the notice's text with
    `govdisclose.calendar.read_holiday_notice`): it extends the covered years, which an
    override cannot.

    :param settings: the host's settings.
    :return: `govdisclose.calendar.CalendarOverrides` values, each naming its source (the
        notice that set the days) and region, and/or `govdisclose.calendar.Schedule` values;
        an empty iterable to add nothing.
    """


@hookspec
def govdisclose_rules(settings: Settings) -> Iterable[Rule]:
    """Provide extra disclosure-attribute rules (local policies on 源头认定).

    Called when the host builds its rule set: the rules are added to the default rules, and
    `govdisclose.rules.check` runs them on every record before review and publication. A rule
    id must be unique across the default rules and every plugin.

    :param settings: the host's settings.
    :return: `govdisclose.rules.Rule` values; an empty iterable to add nothing.
    """


@hookspec
def govdisclose_publishers(settings: Settings) -> Iterable[Publisher]:
    """Provide the channels records are published to (portal column, CMS, feed).

    Called when the host builds its publishing pipeline. The pipeline calls each publisher's
    ``publish(view)`` with the `govdisclose.public.PublicRecord` the publication guard cleared
    (never the `Record`), and stores the returned `govdisclose.model.Publication`; a publisher
    that raises publishes nothing and nothing is recorded for it. A publisher that also has
    ``withdraw(view)`` (`govdisclose.publishing.Withdrawer`) is asked to take the page down
    when the record changed in the store while it was being published. Publisher names must
    be unique.

    :param settings: the host's settings; ``settings.options`` carries the publisher's
        options (an output directory, a CMS address). Return nothing when an option the
        publisher needs is absent, so that installing a plugin does not enable it.
    :return: `govdisclose.publishing.Publisher` objects; an empty iterable for none.
    """


@hookspec
def govdisclose_label_aliases(settings: Settings) -> Iterable[LabelAliasSource]:
    """Provide the forms a local office writes for channels, applicant types and outcomes
    (12345热线转办 for 网络/在线, 个体户 for 商业企业 …), besides the official labels and the
    shipped aliases.

    Called by `govdisclose.plugins.load_label_aliases` when the host reads office data (an OA
    export, a ledger): each source is laid, in plugin order, over the shipped
    `govdisclose.vocab.LabelAliases` with `govdisclose.vocab.LabelAliases.extended` (its forms
    win); the file named by the option ``vocab.aliases`` comes last. A source that names an
    unknown vocabulary or member, or a form that is another member's official label, is a
    `govdisclose.errors.PluginError` naming the plugin (the cause: ``vocab.bad_aliases``).

    :param settings: the host's settings.
    :return: alias sources: TOML file paths in the shape of ``govdisclose/vocab_data/labels.toml``,
        mappings of the same shape, or `govdisclose.vocab.LabelAliases`; an empty iterable to
        add nothing.
    """


# -------------------------------------------------------------------------------------------
# Letter hooks: called when the host builds the wording of the letters to applicants.
# -------------------------------------------------------------------------------------------


@hookspec
def govdisclose_notice_templates(settings: Settings) -> Iterable[NoticeTemplateSource]:
    """Provide a local office's wording of the letters to applicants: its letterhead (文号),
    wording, or seal line (落款).

    Called by `govdisclose.plugins.load_notice_templates` when the host builds the
    `govdisclose.notices.NoticeTemplates` its letters are composed with: each source is applied,
    in plugin order, on top of the shipped official wording with
    `govdisclose.notices.NoticeTemplates.with_overrides`, which checks it. An override may use
    only the placeholders of its template and may not drop the article, a date, the reasons or
    the remedies; one that does is a `govdisclose.errors.ValidationError` (code
    ``notices.template_drops``, ``notices.template_unknown_placeholder``, ...) naming the
    template. The templates are `string.Template` texts: they are filled in, never run.

    :param settings: the host's settings.
    :return: template sources, each the path of a TOML file in the shipped format
        (``govdisclose/notices/templates/*.toml``) or a mapping of the same shape, giving only
        the templates (or their fields) that change; an empty iterable to change nothing.
    """


# -------------------------------------------------------------------------------------------
# Reporting hooks: called when an annual report is rendered.
# -------------------------------------------------------------------------------------------


@hookspec
def govdisclose_report_renderers(settings: Settings) -> Iterable[ReportRenderer]:
    """Provide extra output formats for annual reports.

    Called when the host renders a report in a format the core does not ship; the renderer
    whose ``format`` matches the requested one is used. Formats must be unique.

    :param settings: the host's settings.
    :return: `govdisclose.adapters.ReportRenderer` objects; an empty iterable for none.
    """


# -------------------------------------------------------------------------------------------
# Notifications: called as things happen, for the OA system to react (messages, audit logs).
# -------------------------------------------------------------------------------------------


@hookspec
def govdisclose_handle_event(event: Notification) -> None:
    """React to something that happened: a record was published, an application event was
    stored, a deadline is approaching, a public-opinion limit has passed undone, an annual
    report was built.

    Called by `govdisclose.plugins.notify` after the fact (the change is already stored), for
    every plugin, in pluggy's call order: the plugin registered last is called first, and
    ``tryfirst`` / ``trylast`` implementations before / after the others (register A then B:
    B hears the event first). ``event`` is one of the frozen classes of
    `govdisclose.notifications`; dispatch on its type and ignore the kinds you do not handle,
    since new kinds may be added. An exception raised here propagates to the caller of
    `notify`; a listener that must never disturb the host catches its own errors.

    :param event: the notification, a frozen value.
    :return: nothing; return values are ignored.
    """
