"""The plugin machinery: a fresh pluggy manager per host, and typed access to what plugins give.

A host (the OA system) builds its own manager; there is no global one and importing govdisclose
scans nothing::

    pm = make_plugin_manager(only={"sql"})          # allowlist the installed plugins it trusts
    settings = Settings(store_url="sqlite:///gd.db")
    store = open_store(settings, pm)
    publishers = collect_publishers(settings, pm)

`make_plugin_manager` registers the built-in defaults through the same hooks as any plugin
(``memory://`` storage comes from the built-in plugin `DEFAULT_PLUGIN_NAME`, which a host may
block), loads the ``govdisclose`` entry-point group, and checks every hook implementation
against its specification, so a misspelt hook name fails at start-up instead of never running.

The ``collect_*`` functions call each plugin's implementation in pluggy's order (``tryfirst`` /
``trylast`` honoured) and check the type of everything returned; a wrong value is a
`govdisclose.errors.PluginError` naming the plugin. Because they call the implementations one by
one to know which plugin returned what, hook wrappers do not apply to them.

No message raised here shows a secret: store URLs appear with their password as ``***``, and an
exception a plugin raises is quoted with every URL in it redacted and the values of the secret
options (`govdisclose.redaction.is_secret_name`) masked.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import urlsplit

import pluggy
from attrs import evolve, frozen

from govdisclose import hookspecs
from govdisclose._install import sql_store_hint
from govdisclose.errors import GovDiscloseError, PluginError, ValidationError
from govdisclose.redaction import is_secret_name, redact_text, redact_url
from govdisclose.settings import Settings

if TYPE_CHECKING:
    from govdisclose.calendar import CalendarOverrides, Schedule, WorkCalendar
    from govdisclose.notices import NoticeTemplates, NoticeTemplateSource
    from govdisclose.notifications import Notification
    from govdisclose.params import ParameterSet, ParameterSource
    from govdisclose.publishing import Publisher
    from govdisclose.report.renderers import ReportRenderer
    from govdisclose.rules import Rule, RuleSet
    from govdisclose.store import Store
    from govdisclose.vocab import LabelAliases

__all__ = [
    "CALENDAR_OPTIONS",
    "DEFAULT_PLUGIN_NAME",
    "ENTRY_POINT_GROUP",
    "LABEL_ALIASES_OPTION",
    "PluginInfo",
    "Settings",
    "collect_calendar_overrides",
    "collect_notice_templates",
    "collect_parameter_sources",
    "collect_publishers",
    "collect_report_renderers",
    "collect_rules",
    "list_plugins",
    "load_calendar",
    "load_label_aliases",
    "load_notice_templates",
    "load_parameters",
    "load_report_renderers",
    "load_rules",
    "make_plugin_manager",
    "notify",
    "open_store",
]

#: The entry-point group installed plugins declare themselves in.
ENTRY_POINT_GROUP = "govdisclose"

#: The registered name of the built-in plugin (``memory://`` storage); block it by this name.
DEFAULT_PLUGIN_NAME = "govdisclose.builtin"

_T = TypeVar("_T")


@frozen
class PluginInfo:
    """One registered plugin, as `list_plugins` (and ``govdisclose plugins``) reports it.

    ``distribution`` and ``version`` are those of the installed distribution that declared the
    plugin (``govdisclose`` itself for the built-in plugin), or ``None`` for a plugin the host
    registered directly.
    """

    name: str
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]


class _Manager(pluggy.PluginManager):
    """A pluggy manager that also remembers which distribution each plugin came from."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT_NAME)
        self.govdisclose_distributions: dict[str, tuple[str, str]] = {}


def make_plugin_manager(
    *,
    load_entry_points: bool = True,
    only: Collection[str] | None = None,
    block: Collection[str] = (),
    plugins: Iterable[object] = (),
) -> pluggy.PluginManager:
    """A fresh plugin manager with the hook specifications, defaults and installed plugins.

    :param load_entry_points: load the plugins installed in the ``govdisclose`` entry-point
        group; ``False`` gives a manager with the built-in defaults and ``plugins`` only.
    :param only: if given, load only the entry points with these names (an allowlist: other
        installed plugins are not even imported).
    :param block: plugin names never to register, installed or built in
        (`DEFAULT_PLUGIN_NAME` removes the built-in defaults).
    :param plugins: plugin objects or modules to register after the installed ones.
    :raises PluginError: a plugin does not import, or implements a hook that does not exist or
        with arguments its specification does not have.
    """
    pm = _Manager()
    pm.add_hookspecs(hookspecs)
    for name in block:
        pm.set_blocked(name)
    from govdisclose.plugins import _builtin

    _register(pm, _builtin, DEFAULT_PLUGIN_NAME)
    if load_entry_points:
        _load_entry_points(pm, None if only is None else frozenset(only))
    for plugin in plugins:
        _register(pm, plugin, _readable_name(pm, plugin))
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as err:
        name = pm.get_name(err.plugin) or repr(err.plugin)
        raise PluginError(
            f"插件 {name} 实现了不存在的钩子（名称拼写错误？）：{err}",
            f"plugin {name} implements a hook that does not exist (misspelt name?): {err}",
            plugin=name,
            code="plugins.unknown_hook",
        ) from err
    return pm


def _readable_name(pm: pluggy.PluginManager, plugin: object) -> str:
    # pluggy names an unnamed object by its id(); messages and `govdisclose plugins` should show
    # the module or class a host passed in.
    base = getattr(plugin, "__name__", None) or type(plugin).__name__
    name, n = str(base), 1
    while pm.has_plugin(name):
        n += 1
        name = f"{base}#{n}"
    return name


def _register(pm: pluggy.PluginManager, plugin: object, name: str | None) -> None:
    try:
        pm.register(plugin, name=name)
    except pluggy.PluginValidationError as err:
        shown = name or pm.get_canonical_name(plugin)
        raise PluginError(
            f"插件 {shown} 的钩子实现与规范不符：{err}",
            f"plugin {shown} has a hook implementation that does not match its "
            f"specification: {err}",
            plugin=shown,
            code="plugins.invalid_hookimpl",
        ) from err
    except ValueError as err:
        shown = name or pm.get_canonical_name(plugin)
        raise PluginError(
            f"插件 {shown} 重复注册：{err}",
            f"plugin {shown} is registered twice: {err}",
            plugin=shown,
            code="plugins.duplicate",
        ) from err


def _load_entry_points(pm: _Manager, only: frozenset[str] | None) -> None:
    for dist in importlib.metadata.distributions():
        for ep in dist.entry_points:
            if ep.group != ENTRY_POINT_GROUP:
                continue
            if only is not None and ep.name not in only:
                continue
            # The same distribution can be on sys.path twice (editable installs).
            if pm.is_blocked(ep.name) or pm.get_plugin(ep.name) is not None:
                continue
            dist_name = dist.metadata["Name"] or "?"
            try:
                plugin = ep.load()
            except Exception as err:
                shown = redact_text(repr(err))
                raise PluginError(
                    f"无法载入插件 {ep.name}（{dist_name} {dist.version}，{ep.value}）：{shown}",
                    f"cannot load plugin {ep.name} ({dist_name} {dist.version}, {ep.value}): "
                    f"{shown}",
                    plugin=ep.name,
                    code="plugins.load_failed",
                ) from err
            _register(pm, plugin, ep.name)
            pm.govdisclose_distributions[ep.name] = (dist_name, dist.version)


def list_plugins(pm: pluggy.PluginManager) -> tuple[PluginInfo, ...]:
    """Every registered plugin in registration order, with its distribution and hooks."""
    dists = pm.govdisclose_distributions if isinstance(pm, _Manager) else {}
    infos = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:  # a blocked name
            continue
        if name == DEFAULT_PLUGIN_NAME:
            dist: tuple[str | None, str | None] = ("govdisclose", _own_version())
        else:
            dist = dists.get(name, (None, None))
        hooks = tuple(sorted(h.name for h in pm.get_hookcallers(plugin) or ()))
        infos.append(PluginInfo(name=name, distribution=dist[0], version=dist[1], hooks=hooks))
    return tuple(infos)


def _own_version() -> str:
    try:
        return importlib.metadata.version("govdisclose")
    except importlib.metadata.PackageNotFoundError:  # a source tree that was never installed
        from govdisclose._version import __version__

        return __version__


# -- calling the hooks -----------------------------------------------------------------------


def _secrets(settings: object) -> tuple[str, ...]:
    """The secret strings of ``settings``: the values of its secret options and the passwords
    of the URLs among its store URL and option values (decoded and as written)."""
    if not isinstance(settings, Settings):
        return ()
    found: list[str] = []
    for key, value in settings.options.items():
        if is_secret_name(key):
            found.append(value)
    for value in (settings.store_url, *settings.options.values()):
        if "://" not in value:
            continue
        try:
            parts = urlsplit(value)
            password = parts.password
        except ValueError:
            continue
        if password:
            found.append(password)
            found.append(parts.netloc.rpartition("@")[0].partition(":")[2])
    return tuple(s for s in found if s)


def _shown(text: str, settings: object = None) -> str:
    """``text`` fit to put in a message: URLs redacted, secrets of ``settings`` masked."""
    return redact_text(text, _secrets(settings))


def _implementations(
    pm: pluggy.PluginManager, hook: str, kwargs: Mapping[str, object]
) -> Iterator[tuple[str, object]]:
    """``(plugin name, result)`` for each implementation returning non-None, in call order."""
    caller: pluggy.HookCaller = getattr(pm.hook, hook)
    # get_hookimpls() lists in reverse call order (pluggy calls the last registered first).
    for impl in reversed(caller.get_hookimpls()):
        if impl.hookwrapper or impl.wrapper:
            continue
        try:
            result = impl.function(*(kwargs[arg] for arg in impl.argnames))
        except GovDiscloseError:
            raise
        except Exception as err:
            shown = _shown(repr(err), kwargs.get("settings"))
            raise PluginError(
                f"插件 {impl.plugin_name} 的 {hook} 出错：{shown}",
                f"plugin {impl.plugin_name} failed in {hook}: {shown}",
                plugin=impl.plugin_name,
                code="plugins.hook_failed",
            ) from err
        if result is not None:
            yield impl.plugin_name, result


def _wrong(
    plugin: str, hook: str, expected: str, got: object, settings: object = None
) -> PluginError:
    shown = _shown(repr(got), settings)
    return PluginError(
        f"插件 {plugin} 的 {hook} 应返回 {expected}，实际返回 {type(got).__name__}：{shown}",
        f"plugin {plugin}: {hook} must return {expected}, got {type(got).__name__}: {shown}",
        plugin=plugin,
        code="plugins.wrong_type",
    )


def _collect(
    pm: pluggy.PluginManager,
    hook: str,
    settings: Settings,
    accepts: Callable[[object], bool],
    expected: str,
) -> list[tuple[str, Any]]:
    items: list[tuple[str, Any]] = []
    for plugin, result in _implementations(pm, hook, {"settings": settings}):
        # A lone string or mapping is iterable but is one item, not a collection of them.
        if isinstance(result, str | bytes | Mapping) or not isinstance(result, Iterable):
            raise _wrong(plugin, hook, f"an iterable of {expected}", result, settings)
        for item in result:
            if not accepts(item):
                raise _wrong(plugin, hook, f"an iterable of {expected}", item, settings)
            items.append((plugin, item))
    return items


def _unique(items: list[tuple[str, Any]], key: Callable[[Any], str], what: str, hook: str) -> None:
    seen: dict[str, str] = {}
    for plugin, item in items:
        k = key(item)
        if k in seen:
            raise PluginError(
                f"{what} “{k}” 重复：插件 {seen[k]} 与 {plugin} 都提供了它（{hook}）",
                f"duplicate {what} {k!r}: provided by both {seen[k]} and {plugin} ({hook})",
                plugin=plugin,
                code="plugins.duplicate_item",
            )
        seen[k] = plugin


def _over_defaults(
    pm: pluggy.PluginManager,
    items: list[tuple[str, Any]],
    key: Callable[[Any], str],
    what: str,
    hook: str,
    *,
    field: str,
    defaults_too: bool,
) -> list[tuple[str, Any]]:
    """The items with the built-in plugin's defaults replaced where another plugin provides
    the same key from a ``tryfirst`` implementation (an explicit override); the same key
    without ``tryfirst`` is a `PluginError` (a default is never replaced silently), and two
    other plugins providing one key are one too (`_unique`). ``defaults_too`` false leaves the
    built-in plugin's items out of the result (the raw contributions of the other plugins)."""
    caller: pluggy.HookCaller = getattr(pm.hook, hook)
    eager = {i.plugin_name for i in caller.get_hookimpls() if i.tryfirst}
    defaults = {key(item) for plugin, item in items if plugin == DEFAULT_PLUGIN_NAME}
    overridden: set[str] = set()
    for plugin, item in items:
        k = key(item)
        if plugin != DEFAULT_PLUGIN_NAME and k in defaults:
            if plugin not in eager:
                raise PluginError(
                    f"插件 {plugin} 提供的{what}“{k}”与内置默认重名；如要替换内置默认，"
                    f"请以 @hookimpl(tryfirst=True) 实现 {hook}",
                    f"plugin {plugin} provides the {what} {k!r} that a built-in default has; "
                    f"implement {hook} with @hookimpl(tryfirst=True) to replace the default",
                    plugin=plugin,
                    field=field,
                    code="plugins.duplicate_default",
                )
            overridden.add(k)
    kept = [
        (plugin, item)
        for plugin, item in items
        if plugin != DEFAULT_PLUGIN_NAME or (defaults_too and key(item) not in overridden)
    ]
    _unique(kept, key, what, hook)
    return kept


def open_store(
    settings: Settings | str | None = None, pm: pluggy.PluginManager | None = None
) -> Store:
    """Open the store ``settings.store_url`` names, through the ``govdisclose_store`` hook.

    :param settings: defaults to ``Settings()`` (an empty in-memory store); a string is a
        storage URL, ``open_store("sqlite:///gd.db")`` being ``Settings(store_url=...)``.
    :param pm: defaults to ``make_plugin_manager()`` (every installed plugin).
    :raises PluginError: no plugin handles the URL's scheme (the message lists the store
        plugins that are installed; the URL is shown with its password as ``***``), or the
        answering plugin returned something that is not a `govdisclose.store.Store`.

    The option ``store.mode`` of ``settings`` (`govdisclose.settings.STORE_MODES`) tells the
    store plugin whether it may create the store (``"create"``, the default), must find it
    (``"write"``), or must open it read-only (``"read"``); the built-in ``memory://`` store
    ignores it (a new in-memory store is empty whatever the mode).
    """
    from govdisclose.store import Store

    if isinstance(settings, str):
        # a URL is what people pass first; before this it reached the plugins as a str and
        # failed inside one of them with an AttributeError
        settings = Settings(store_url=settings)
    settings = Settings() if settings is None else settings
    pm = make_plugin_manager() if pm is None else pm
    hook = "govdisclose_store"
    for plugin, result in _implementations(pm, hook, {"settings": settings}):
        if not isinstance(result, Store):
            raise _wrong(plugin, hook, "a govdisclose.store.Store", result, settings)
        return result
    providers = [impl.plugin_name for impl in reversed(pm.hook.govdisclose_store.get_hookimpls())]
    names = "、".join(providers) or "无"
    url = redact_url(settings.store_url)
    hint_zh, hint_en = sql_store_hint()
    raise PluginError(
        f"没有插件能打开存储地址 {url}（协议 “{settings.store_scheme}”）。"
        f"已安装的存储插件：{names}。{hint_zh}",
        f"no plugin opens the store URL {url!r} (scheme "
        f"{settings.store_scheme!r}); installed store plugins: {', '.join(providers) or 'none'}. "
        f"{hint_en}",
        field="store_url",
        code="plugins.no_store",
    )


def collect_publishers(settings: Settings, pm: pluggy.PluginManager) -> tuple[Publisher, ...]:
    """Every plugin's publishers, checked to be `Publisher` objects with unique names."""
    from govdisclose.publishing import Publisher

    hook = "govdisclose_publishers"
    items = _collect(pm, hook, settings, lambda x: isinstance(x, Publisher), "Publisher objects")
    _unique(items, lambda p: str(p.name), "发布渠道名称 / publisher name", hook)
    return tuple(item for _, item in items)


def collect_report_renderers(
    settings: Settings, pm: pluggy.PluginManager, *, defaults: bool = False
) -> tuple[ReportRenderer, ...]:
    """Every plugin's report renderers, checked to be `ReportRenderer` objects with unique
    formats; with ``defaults`` also the built-in plugin's (the built-in formats).

    .. versionchanged:: 0.2.0 ``defaults``."""
    from govdisclose.report.renderers import ReportRenderer

    hook = "govdisclose_report_renderers"
    items = _collect(
        pm, hook, settings, lambda x: isinstance(x, ReportRenderer), "ReportRenderer objects"
    )
    items = _over_defaults(
        pm,
        items,
        lambda r: str(r.format),
        "报告格式 / report format",
        hook,
        field="format",
        defaults_too=defaults,
    )
    return tuple(item for _, item in items)


def collect_rules(
    settings: Settings, pm: pluggy.PluginManager, *, defaults: bool = False
) -> tuple[Rule, ...]:
    """Every plugin's disclosure rules, checked to be `govdisclose.rules.Rule` values with
    unique ids; with ``defaults`` also the built-in plugin's (the default rules).

    .. versionchanged:: 0.2.0 ``defaults``."""
    from govdisclose.rules import Rule

    hook = "govdisclose_rules"
    items = _collect(pm, hook, settings, lambda x: isinstance(x, Rule), "govdisclose.rules.Rule")
    items = _over_defaults(
        pm,
        items,
        lambda r: str(r.id),
        "规则编号 / rule id",
        hook,
        field="id",
        defaults_too=defaults,
    )
    return tuple(item for _, item in items)


def collect_calendar_overrides(
    settings: Settings, pm: pluggy.PluginManager
) -> tuple[CalendarOverrides | Schedule, ...]:
    """Every plugin's calendar overrides and schedules, checked to be `CalendarOverrides` or
    `govdisclose.calendar.Schedule` values."""
    from govdisclose.calendar import CalendarOverrides, Schedule

    items = _collect(
        pm,
        "govdisclose_calendar_overrides",
        settings,
        lambda x: isinstance(x, CalendarOverrides | Schedule),
        "govdisclose.calendar.CalendarOverrides or Schedule",
    )
    return tuple(item for _, item in items)


def collect_parameter_sources(
    settings: Settings, pm: pluggy.PluginManager
) -> tuple[ParameterSource, ...]:
    """Every plugin's local parameter sources: TOML file paths or mappings of the same shape."""
    import os

    items = _collect(
        pm,
        "govdisclose_parameter_sources",
        settings,
        lambda x: isinstance(x, str | os.PathLike | Mapping),
        "parameter sources (a path or a mapping)",
    )
    return tuple(item for _, item in items)


def collect_notice_templates(
    settings: Settings, pm: pluggy.PluginManager
) -> tuple[NoticeTemplateSource, ...]:
    """Every plugin's letter-template overrides: TOML file paths or mappings of the same shape.

    .. versionadded:: 0.2.0"""
    import os

    items = _collect(
        pm,
        "govdisclose_notice_templates",
        settings,
        lambda x: isinstance(x, str | os.PathLike | Mapping),
        "notice template sources (a path or a mapping)",
    )
    return tuple(item for _, item in items)


def load_notice_templates(settings: Settings, pm: pluggy.PluginManager) -> NoticeTemplates:
    """The wording of this deployment's letters: the shipped official templates
    (`govdisclose.notices.NoticeTemplates.default`) with every plugin's overrides
    (``govdisclose_notice_templates``) applied and checked, in plugin order.

    :raises PluginError: a plugin's override that uses an unknown placeholder or drops the
        article, a date, the reasons or the remedies: ``plugin`` names the plugin, ``code``
        and ``field`` are those of the template's `ValidationError` (``notices.template_drops``,
        ``reply.state_secret``), which is the ``__cause__``.

    .. versionadded:: 0.2.0
    """
    import os

    from govdisclose.notices import NoticeTemplates

    templates = NoticeTemplates.default()
    items = _collect(
        pm,
        "govdisclose_notice_templates",
        settings,
        lambda x: isinstance(x, str | os.PathLike | Mapping),
        "notice template sources (a path or a mapping)",
    )
    for plugin, source in items:
        try:
            templates = templates.with_overrides(source)
        except ValidationError as err:
            raise PluginError(
                f"插件 {plugin} 的文书模板覆盖有误：{err.message_zh}",
                f"plugin {plugin}: its notice templates are refused: {err.message_en}",
                plugin=plugin,
                field=err.field,
                code=err.code,
            ) from err
    return templates


#: The option naming a local office's label-alias file (read by `load_label_aliases`).
LABEL_ALIASES_OPTION = "vocab.aliases"


def load_label_aliases(settings: Settings, pm: pluggy.PluginManager) -> LabelAliases:
    """The label forms this deployment accepts: the shipped `govdisclose.vocab.LabelAliases`
    with every plugin's (``govdisclose_label_aliases``, in plugin order) laid over them, then
    the TOML file the option ``vocab.aliases`` names (the host's own word comes last).

    :raises PluginError: a plugin's source that is refused (``plugin`` names it, ``code`` and
        ``field`` are those of the `ValidationError` ``vocab.bad_aliases``, the cause).
    :raises ValidationError: ``vocab.bad_aliases``: the option's file is refused.

    .. versionadded:: 0.2.0
    """
    import os

    from govdisclose.vocab import LabelAliases

    aliases = LabelAliases.default()
    items = _collect(
        pm,
        "govdisclose_label_aliases",
        settings,
        lambda x: isinstance(x, str | os.PathLike | Mapping | LabelAliases),
        "label alias sources (a path, a mapping or a LabelAliases)",
    )
    for plugin, source in items:
        try:
            aliases = aliases.extended(source)
        except ValidationError as err:
            raise PluginError(
                f"插件 {plugin} 的名称别名有误：{err.message_zh}",
                f"plugin {plugin}: its label aliases are refused: {err.message_en}",
                plugin=plugin,
                field=err.field,
                code=err.code,
            ) from err
    path = settings.options.get(LABEL_ALIASES_OPTION)
    if path:
        aliases = aliases.extended(path)
    return aliases


def _first_answer(
    pm: pluggy.PluginManager,
    hook: str,
    settings: Settings,
    kind: type[Any],
    expected: str,
    *,
    what_zh: str,
    what_en: str,
) -> Any:
    """The first non-None answer of a firstresult set-up hook, checked to be a ``kind``; no
    answer at all is a `PluginError` that says how the default was lost."""
    for plugin, result in _implementations(pm, hook, {"settings": settings}):
        if not isinstance(result, kind):
            raise _wrong(plugin, hook, expected, result, settings)
        return result
    raise PluginError(
        f"没有插件提供{what_zh}（{hook}）：内置插件 {DEFAULT_PLUGIN_NAME} 已被屏蔽，且没有替代实现",
        f"no plugin provides the {what_en} ({hook}): the built-in plugin "
        f"{DEFAULT_PLUGIN_NAME} is blocked and nothing replaces it",
        code="plugins.no_default",
    )


def load_parameters(
    settings: Settings, pm: pluggy.PluginManager, base: ParameterSet | None = None
) -> ParameterSet:
    """The legal parameters in force for this deployment: ``base``, else the answer of the
    ``govdisclose_parameters`` hook (the built-in plugin's is the shipped national data), with
    every plugin's local sources merged in, in plugin order.

    :raises PluginError: no ``base`` and no plugin answers ``govdisclose_parameters`` (the
        built-in plugin blocked without a replacement), or an answer is not a `ParameterSet`.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 the base comes through the ``govdisclose_parameters`` hook.
    """
    from govdisclose.params import ParameterSet

    params: ParameterSet = (
        _first_answer(
            pm,
            "govdisclose_parameters",
            settings,
            ParameterSet,
            "a govdisclose.params.ParameterSet",
            what_zh="基础法定参数",
            what_en="base legal parameters",
        )
        if base is None
        else base
    )
    for source in collect_parameter_sources(settings, pm):
        params = params.with_overrides(source)
    return params


#: Settings options read by `load_calendar`.
CALENDAR_OPTIONS = ("calendar.policy", "calendar.dir", "calendar.files")


def load_calendar(
    settings: Settings,
    pm: pluggy.PluginManager,
    *,
    policy: Literal["strict", "provisional"] | None = None,
) -> WorkCalendar:
    """The working-day calendar of this deployment, built in this order:

    1. the base calendar of the ``govdisclose_calendar`` hook: the built-in plugin's is the
       national calendar with the policy ``policy``, else the option ``calendar.policy``
       (``"strict"``: a year without an official schedule raises `CalendarDataMissing`;
       ``"provisional"``: computed from the statutory holidays and marked 暂定, which needs the
       ``holidays`` package, ``govdisclose[provisional]``), else strict; a plugin may answer
       first with its own;
    2. every schedule file in the directory of the option ``calendar.dir`` (``*.toml`` and
       ``*.json``, by name: what ``govdisclose calendar load`` stores there) and every file the
       option ``calendar.files`` lists (separated by ``os.pathsep``; a ``.txt`` or ``.html``
       file is read as the notice's own text);
    3. every plugin's overrides and schedules (``govdisclose_calendar_overrides``), in plugin
       order.

    :raises PluginError: no plugin answers ``govdisclose_calendar`` (the built-in plugin
        blocked without a replacement), or an answer is not a `WorkCalendar`.
    :raises ValidationError: the policy is neither ``strict`` nor ``provisional``.

    .. versionchanged:: 0.2.0 the policy, schedule directory and files come from the settings;
       the base calendar comes through the ``govdisclose_calendar`` hook.
    """
    import os
    from pathlib import Path

    from govdisclose.calendar import Schedule, WorkCalendar

    chosen = policy if policy is not None else settings.options.get("calendar.policy", "strict")
    if chosen not in ("strict", "provisional"):
        raise ValidationError(
            f"日历策略 calendar.policy 应为 strict 或 provisional，实为 {chosen!r}",
            f"calendar.policy must be 'strict' or 'provisional', got {chosen!r}",
            field="calendar.policy",
            code="calendar.invalid_policy",
        )
    if policy is not None and settings.options.get("calendar.policy") != policy:
        # The hook sees one source of truth for the policy: the settings it is given.
        settings = evolve(settings, options={**settings.options, "calendar.policy": policy})
    calendar: WorkCalendar = _first_answer(
        pm,
        "govdisclose_calendar",
        settings,
        WorkCalendar,
        "a govdisclose.calendar.WorkCalendar",
        what_zh="基础工作日历",
        what_en="base working-day calendar",
    )
    files: list[Path] = []
    folder = settings.options.get("calendar.dir")
    if folder:
        root = Path(folder)
        if root.is_dir():
            files += sorted(p for p in root.iterdir() if p.suffix.lower() in (".toml", ".json"))
    listed = settings.options.get("calendar.files", "")
    files += [Path(f) for f in listed.split(os.pathsep) if f]
    for path in sorted(files, key=_schedule_order):
        if path.suffix.lower() in (".txt", ".html", ".htm"):
            calendar = calendar.with_notice(path)
        else:
            calendar = calendar.with_schedule_file(path)
    for item in collect_calendar_overrides(settings, pm):
        if isinstance(item, Schedule):
            calendar = calendar.with_schedule(item)
        else:
            calendar = calendar.with_overrides(item)
    return calendar


def _schedule_order(path: Any) -> tuple[str, str]:
    # Earlier years first, so that 2028 can follow 2027 (each must extend the covered years by
    # one); names are the year by convention (2027.toml).
    return (path.stem[:4], path.name)


def load_rules(settings: Settings, pm: pluggy.PluginManager) -> RuleSet:
    """Every plugin's disclosure rules as one `RuleSet`, the default rules included: they come
    from the built-in plugin through the same hook (block `DEFAULT_PLUGIN_NAME` to go without
    them; a plugin replaces one by providing its id from a ``tryfirst`` implementation).

    .. versionchanged:: 0.2.0 the defaults come through the hook.
    """
    from govdisclose.rules import RuleSet

    return RuleSet(collect_rules(settings, pm, defaults=True))


def load_report_renderers(
    settings: Settings, pm: pluggy.PluginManager
) -> dict[str, ReportRenderer]:
    """Every plugin's report renderers by format, the built-in formats included: they come
    from the built-in plugin through the same hook. A plugin replaces a built-in format only
    from a ``tryfirst`` implementation; otherwise the clash is a `PluginError`.

    .. versionchanged:: 0.2.0 the defaults come through the hook.
    """
    return {r.format: r for r in collect_report_renderers(settings, pm, defaults=True)}


def notify(pm: pluggy.PluginManager, event: Notification) -> None:
    """Deliver a notification to every plugin's ``govdisclose_handle_event``.

    :raises ValidationError: ``event`` is not one of the `govdisclose.notifications` classes.
    """
    from govdisclose.notifications import NOTIFICATION_TYPES

    if not isinstance(event, NOTIFICATION_TYPES):
        raise ValidationError(
            f"通知应为 govdisclose.notifications 中的类型，实际为 {type(event).__name__}",
            f"a notification must be one of the govdisclose.notifications classes, got "
            f"{type(event).__name__}",
            field="event",
            code="plugins.bad_notification",
        )
    pm.hook.govdisclose_handle_event(event=event)
