"""The plugin manager, entry-point discovery, and every hook through the kitchen-sink plugin."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import subprocess
import sys
import textwrap
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy
import pytest

from govdisclose.calendar import WorkCalendar
from govdisclose.errors import PluginError, ValidationError
from govdisclose.hookspecs import hookimpl
from govdisclose.model import Publication, Received
from govdisclose.notifications import (
    ApplicationEventApplied,
    DeadlineApproaching,
    Notification,
    RecordPublished,
    ReportBuilt,
)
from govdisclose.params import ParameterSet
from govdisclose.plugins import (
    DEFAULT_PLUGIN_NAME,
    PluginInfo,
    Settings,
    collect_calendar_overrides,
    collect_parameter_sources,
    collect_publishers,
    collect_report_renderers,
    collect_rules,
    list_plugins,
    load_calendar,
    load_label_aliases,
    load_parameters,
    make_plugin_manager,
    notify,
    open_store,
)
from govdisclose.publishing import clear
from govdisclose.testing import MemoryStore, RecordingPublisher, plugin_manager
from govdisclose.testing.contract import make_record

ROOT = Path(__file__).resolve().parent.parent


def _load_kitchen_sink() -> ModuleType:
    # tests/ is not a package (importlib import mode): load the plugin module by path.
    spec = importlib.util.spec_from_file_location(
        "govdisclose_tests_kitchen_sink", ROOT / "tests" / "plugins" / "kitchen_sink.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


ks = _load_kitchen_sink()


@pytest.fixture
def sink() -> Any:
    return ks.KitchenSink()


@pytest.fixture
def pm(sink: Any) -> pluggy.PluginManager:
    return plugin_manager(sink)


SETTINGS = Settings()


# -- the manager -------------------------------------------------------------------------------


def test_fresh_manager_each_call() -> None:
    """Every call builds a new manager: plugins registered on one are not on another."""
    a = make_plugin_manager(load_entry_points=False)
    b = make_plugin_manager(load_entry_points=False)
    assert a is not b
    a.register(ks.KitchenSink())
    assert len(a.get_plugins()) == 2
    assert len(b.get_plugins()) == 1


def test_default_plugin_registered_and_blockable() -> None:
    """The built-in plugin is registered by name; blocking that name removes it."""
    assert make_plugin_manager(load_entry_points=False).has_plugin(DEFAULT_PLUGIN_NAME)
    blocked = make_plugin_manager(load_entry_points=False, block=[DEFAULT_PLUGIN_NAME])
    assert not blocked.has_plugin(DEFAULT_PLUGIN_NAME)


class Misspelt:
    @hookimpl
    def govdisclose_publisher(self, settings: Settings) -> Iterable[object]:
        return ()


class WrongArgument:
    @hookimpl
    def govdisclose_rules(self, config: object) -> Iterable[object]:
        return ()


def test_misspelt_hook_raises() -> None:
    """check_pending turns a misspelt hook name into a PluginError naming the plugin."""
    with pytest.raises(PluginError, match="govdisclose_publisher") as info:
        make_plugin_manager(load_entry_points=False, plugins=[Misspelt()])
    assert info.value.plugin is not None
    assert info.value.code == "plugins.unknown_hook"
    assert isinstance(info.value.__cause__, pluggy.PluginValidationError)


def test_unknown_argument_raises() -> None:
    """A hook implementation asking for an argument the spec lacks is refused."""
    with pytest.raises(PluginError, match="config") as info:
        make_plugin_manager(load_entry_points=False, plugins=[WrongArgument()])
    assert info.value.code == "plugins.invalid_hookimpl"


def test_duplicate_registration_raises() -> None:
    """Registering the same plugin object twice is a PluginError."""
    plugin = ks.KitchenSink()
    with pytest.raises(PluginError) as info:
        make_plugin_manager(load_entry_points=False, plugins=[plugin, plugin])
    assert info.value.code == "plugins.duplicate"


# -- entry points ------------------------------------------------------------------------------


class FakeDistribution:
    """What importlib.metadata.distributions() yields, reduced to what the loader reads."""

    def __init__(self, name: str, version: str, entry_points: dict[str, str]) -> None:
        self.metadata = {"Name": name}
        self.version = version
        self.entry_points = [
            importlib.metadata.EntryPoint(name=n, value=v, group="govdisclose")
            for n, v in entry_points.items()
        ] + [importlib.metadata.EntryPoint(name="x", value="nowhere:x", group="console_scripts")]


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[FakeDistribution]:
    """Two installed plugin distributions (one listed twice, as editable installs can be)."""
    for mod, body in {
        "gd_fake_alpha": """
            from govdisclose.hookspecs import hookimpl
            from govdisclose.testing import MemoryStore

            @hookimpl
            def govdisclose_store(settings):
                return MemoryStore() if settings.store_scheme == "alpha" else None
            """,
        "gd_fake_beta": """
            from govdisclose.hookspecs import hookimpl

            @hookimpl
            def govdisclose_handle_event(event):
                pass
            """,
    }.items():
        (tmp_path / f"{mod}.py").write_text(textwrap.dedent(body), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    for mod in ("gd_fake_alpha", "gd_fake_beta"):
        monkeypatch.delitem(sys.modules, mod, raising=False)
    alpha = FakeDistribution("govdisclose-alpha", "1.2.3", {"alpha": "gd_fake_alpha"})
    dists = [
        alpha,
        FakeDistribution("govdisclose-beta", "0.4", {"beta": "gd_fake_beta"}),
        alpha,
        FakeDistribution("unrelated", "9", {}),
    ]
    monkeypatch.setattr(importlib.metadata, "distributions", lambda: iter(dists))
    return dists


@pytest.mark.usefixtures("installed")
def test_entry_points_loaded_with_distribution_info() -> None:
    """Installed plugins are registered under their entry-point names with their versions."""
    infos = list_plugins(make_plugin_manager())
    assert [i.name for i in infos] == [DEFAULT_PLUGIN_NAME, "alpha", "beta"]
    assert infos[1] == PluginInfo(
        name="alpha",
        distribution="govdisclose-alpha",
        version="1.2.3",
        hooks=("govdisclose_store",),
    )
    assert infos[0].distribution == "govdisclose"
    # The defaults come through the hooks (0.2.0): storage, the national calendar and
    # parameters, the default rules, the formats.
    assert infos[0].hooks == (
        "govdisclose_calendar",
        "govdisclose_parameters",
        "govdisclose_report_renderers",
        "govdisclose_rules",
        "govdisclose_store",
    )


@pytest.mark.usefixtures("installed")
def test_entry_points_only_and_block() -> None:
    """only= is an allowlist (others are not imported); block= refuses names."""
    sys.modules.pop("gd_fake_beta", None)
    pm = make_plugin_manager(only={"alpha"})
    assert [i.name for i in list_plugins(pm)] == [DEFAULT_PLUGIN_NAME, "alpha"]
    assert "gd_fake_beta" not in sys.modules
    pm = make_plugin_manager(block={"alpha"})
    assert [i.name for i in list_plugins(pm)] == [DEFAULT_PLUGIN_NAME, "beta"]


def test_entry_point_not_loaded_when_disabled(installed: list[FakeDistribution]) -> None:
    """load_entry_points=False leaves installed plugins alone."""
    pm = make_plugin_manager(load_entry_points=False)
    assert [i.name for i in list_plugins(pm)] == [DEFAULT_PLUGIN_NAME]


def test_broken_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plugin that fails to import is a PluginError naming the entry point and distribution."""
    dist = FakeDistribution("govdisclose-broken", "0.1", {"broken": "gd_no_such_module_xyz"})
    monkeypatch.setattr(importlib.metadata, "distributions", lambda: iter([dist]))
    with pytest.raises(PluginError, match=r"govdisclose-broken 0\.1") as info:
        make_plugin_manager()
    assert info.value.plugin == "broken"
    assert isinstance(info.value.__cause__, ModuleNotFoundError)


def test_import_does_no_work() -> None:
    """Importing govdisclose and its plugin modules scans no entry point and imports no pytest."""
    code = textwrap.dedent(
        """
        import importlib.metadata, sys
        def forbidden(*a, **k):
            raise AssertionError("entry points scanned at import")
        importlib.metadata.distributions = forbidden
        importlib.metadata.entry_points = forbidden
        import govdisclose, govdisclose.plugins, govdisclose.hookspecs, govdisclose.testing
        assert "pytest" not in sys.modules, "pytest imported"
        assert "govdisclose.plugins._builtin" not in sys.modules
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- settings ----------------------------------------------------------------------------------


def test_settings_defaults_and_copies() -> None:
    """Settings default to memory storage; options are copied and read-only."""
    opts = {"static_site.dir": "/srv/site"}
    s = Settings(options=opts)
    opts["static_site.dir"] = "/tmp"
    assert s.store_url == "memory://"
    assert s.options["static_site.dir"] == "/srv/site"
    with pytest.raises(TypeError):
        s.options["x"] = "y"  # type: ignore[index]
    assert Settings(store_url="postgresql+psycopg://u@h/db").store_scheme == "postgresql+psycopg"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"store_url": "gd.db"}, "store_url"),
        ({"options": {"port": 5432}}, "options['port']"),
    ],
)
def test_settings_validation(kwargs: dict[str, Any], field: str) -> None:
    """A URL without a scheme or a non-string option is refused, naming the field."""
    with pytest.raises(ValidationError) as info:
        Settings(**kwargs)
    assert info.value.field == field


# -- govdisclose_store -------------------------------------------------------------------------


def test_hook_govdisclose_store(pm: pluggy.PluginManager) -> None:
    """A plugin answers its own scheme; the built-in plugin answers memory://."""
    assert isinstance(open_store(Settings(store_url="kitchen://"), pm), MemoryStore)
    memory = open_store(SETTINGS, pm)
    assert isinstance(memory, MemoryStore)
    assert memory is not open_store(SETTINGS, pm)


def test_open_store_takes_a_url(pm: pluggy.PluginManager) -> None:
    """A URL string is read as ``Settings(store_url=...)``; a malformed one is refused naming
    the field, not passed to the plugins."""
    assert isinstance(open_store("kitchen://", pm), MemoryStore)
    assert isinstance(open_store("memory://", pm), MemoryStore)
    with pytest.raises(ValidationError) as info:
        open_store("gd.db", pm)
    assert info.value.field == "store_url"


def test_hook_govdisclose_store_unknown_scheme(pm: pluggy.PluginManager) -> None:
    """An unanswered URL names itself and the installed store plugins."""
    with pytest.raises(PluginError) as info:
        open_store(Settings(store_url="sqlite:///gd.db"), pm)
    message = str(info.value)
    assert "sqlite:///gd.db" in message
    assert DEFAULT_PLUGIN_NAME in message
    sink_name = pm.get_name(next(p for p in pm.get_plugins() if isinstance(p, ks.KitchenSink)))
    assert str(sink_name) in message
    assert info.value.code == "plugins.no_store"


def test_hook_govdisclose_store_blocked_default() -> None:
    """Without the built-in plugin, memory:// is not available."""
    pm = make_plugin_manager(load_entry_points=False, block=[DEFAULT_PLUGIN_NAME])
    with pytest.raises(PluginError, match="memory://"):
        open_store(SETTINGS, pm)


class WrongStore:
    @hookimpl
    def govdisclose_store(self, settings: Settings) -> object:
        return {"not": "a store"}


class SharedMemory:
    def __init__(self) -> None:
        self.store = MemoryStore()

    @hookimpl(tryfirst=True)
    def govdisclose_store(self, settings: Settings) -> MemoryStore | None:
        return self.store if settings.store_scheme == "memory" else None


def test_hook_govdisclose_store_wrong_type() -> None:
    """A plugin returning a non-Store is a PluginError naming that plugin."""
    plugin = WrongStore()
    pm = plugin_manager(plugin)
    with pytest.raises(PluginError, match="Store") as info:
        open_store(SETTINGS, pm)
    assert info.value.plugin == pm.get_name(plugin)


def test_hook_govdisclose_store_override_tryfirst() -> None:
    """A tryfirst plugin takes a scheme over from the built-in plugin."""
    plugin = SharedMemory()
    pm = plugin_manager(plugin)
    assert open_store(SETTINGS, pm) is plugin.store


def test_open_store_defaults(installed: list[FakeDistribution]) -> None:
    """Without arguments open_store loads installed plugins and opens memory://."""
    assert isinstance(open_store(), MemoryStore)
    assert isinstance(open_store(Settings(store_url="alpha://")), MemoryStore)


# -- set-up collections ------------------------------------------------------------------------


OWN_BASE = Settings(options={ks.OWN_BASE: "yes"})


class WrongBase:
    @hookimpl
    def govdisclose_parameters(self, settings: Settings) -> object:
        return {"reply_days": 20}

    @hookimpl
    def govdisclose_calendar(self, settings: Settings) -> object:
        return "2024.toml"


def test_hook_govdisclose_parameters(pm: pluggy.PluginManager) -> None:
    """The built-in plugin answers with the national parameters; a plugin that answers first
    replaces them; local sources still merge on top of either."""
    # 条例 2019 第三十三条: 20 working days; the kitchen sink's local source says 15. Its
    # own base shortens the 补正 notice period (条例 第三十条: 7 working days) to 5.
    day = date(2024, 2, 1)
    bare = plugin_manager()
    assert load_parameters(SETTINGS, bare) is ParameterSet.default()
    national = load_parameters(SETTINGS, pm).at(day)
    assert (national.reply_days, national.correction_notice_days) == (15, 7)
    own = load_parameters(OWN_BASE, pm).at(day)
    assert (own.reply_days, own.correction_notice_days) == (15, 5)
    explicit = load_parameters(OWN_BASE, pm, base=ParameterSet.default()).at(day)
    assert explicit.correction_notice_days == 7  # an explicit base skips the hook


def test_hook_govdisclose_parameters_blocked_default(sink: Any) -> None:
    """Blocking the built-in plugin leaves no base unless a plugin provides one."""
    pm = make_plugin_manager(load_entry_points=False, block=[DEFAULT_PLUGIN_NAME])
    with pytest.raises(PluginError) as info:
        load_parameters(SETTINGS, pm)
    assert info.value.code == "plugins.no_default"
    assert "govdisclose_parameters" in str(info.value)
    pm.register(sink)
    assert load_parameters(OWN_BASE, pm).at(date(2024, 2, 1)).correction_notice_days == 5


def test_hook_govdisclose_parameters_wrong_type() -> None:
    """A base that is not a ParameterSet is a PluginError naming the plugin."""
    plugin = WrongBase()
    pm = plugin_manager(plugin)
    with pytest.raises(PluginError, match="ParameterSet") as info:
        load_parameters(SETTINGS, pm)
    assert info.value.plugin == pm.get_name(plugin)


def test_hook_govdisclose_calendar(pm: pluggy.PluginManager) -> None:
    """The built-in plugin answers with the national calendar under the asked policy; a plugin
    that answers first replaces it; overrides still apply on top of either."""
    bare = plugin_manager()
    assert load_calendar(SETTINGS, bare) == WorkCalendar.default()
    assert load_calendar(SETTINGS, bare, policy="provisional").policy == "provisional"
    assert (
        load_calendar(Settings(options={"calendar.policy": "provisional"}), bare).policy
        == "provisional"
    )
    monday_july_1, monday_june_3 = date(2024, 7, 1), date(2024, 6, 3)
    national = load_calendar(SETTINGS, pm)
    assert national.is_workday(monday_july_1)
    assert not national.is_workday(monday_june_3)  # the kitchen sink's override
    own = load_calendar(OWN_BASE, pm)
    assert not own.is_workday(monday_july_1)  # the kitchen sink's own base
    assert not own.is_workday(monday_june_3)  # and its override on top


def test_hook_govdisclose_calendar_sees_the_policy() -> None:
    """load_calendar(policy=...) reaches the hook through the settings it is given."""
    seen: list[str | None] = []

    class Spy:
        @hookimpl(tryfirst=True)
        def govdisclose_calendar(self, settings: Settings) -> None:
            seen.append(settings.options.get("calendar.policy"))

    pm = plugin_manager(Spy())
    load_calendar(SETTINGS, pm)
    load_calendar(SETTINGS, pm, policy="provisional")
    assert seen == [None, "provisional"]


def test_hook_govdisclose_calendar_blocked_default(sink: Any) -> None:
    """Blocking the built-in plugin leaves no calendar unless a plugin provides one."""
    pm = make_plugin_manager(load_entry_points=False, block=[DEFAULT_PLUGIN_NAME])
    with pytest.raises(PluginError) as info:
        load_calendar(SETTINGS, pm)
    assert info.value.code == "plugins.no_default"
    pm.register(sink)
    assert not load_calendar(OWN_BASE, pm).is_workday(date(2024, 7, 1))


def test_hook_govdisclose_calendar_wrong_type() -> None:
    """A base that is not a WorkCalendar is a PluginError naming the plugin."""
    plugin = WrongBase()
    pm = plugin_manager(plugin)
    with pytest.raises(PluginError, match="WorkCalendar") as info:
        load_calendar(SETTINGS, pm)
    assert info.value.plugin == pm.get_name(plugin)


def test_hook_govdisclose_parameter_sources(pm: pluggy.PluginManager) -> None:
    """Sources come back as given and merge into the national parameters."""
    sources = collect_parameter_sources(SETTINGS, pm)
    assert sources == (ks.KS_PARAMETERS,)
    params = ParameterSet.default()
    for source in sources:
        params = params.with_overrides(source)
    # 条例 2019 第三十三条: 20 working days nationally; the kitchen sink's local rule says 15.
    assert params.at(date(2024, 2, 1)).reply_days == 15
    assert ParameterSet.default().at(date(2024, 2, 1)).reply_days == 20


def test_hook_govdisclose_label_aliases(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    """A plugin's forms are accepted besides the shipped ones; the option's file comes last."""
    from govdisclose.vocab import Channel, LabelAliases

    shipped = LabelAliases.default()
    assert shipped.lookup(Channel, "12345热线转办") is None
    aliases = load_label_aliases(SETTINGS, pm)
    assert Channel.from_label("12345热线转办", aliases=aliases) is Channel.ONLINE
    assert Channel.from_label("当面", aliases=aliases) is Channel.IN_PERSON  # shipped, kept
    local = tmp_path / "labels.toml"
    local.write_text('[Channel]\nordinary_letter = ["12345热线转办"]\n', encoding="utf-8")
    last = load_label_aliases(Settings(options={"vocab.aliases": str(local)}), pm)
    assert last.lookup(Channel, "12345热线转办") is Channel.ORDINARY_LETTER


class _BadAliases:
    @hookimpl
    def govdisclose_label_aliases(self, settings: Settings) -> Iterable[object]:
        # 传真 is the official label of fax: it cannot be made to mean a letter.
        return ({"Channel": {"ordinary_letter": ["传真"]}},)


def test_hook_govdisclose_label_aliases_refused_source_names_the_plugin() -> None:
    """A source that remaps an official label is a PluginError naming the plugin."""
    pm = make_plugin_manager(load_entry_points=False, plugins=[_BadAliases()])
    with pytest.raises(PluginError) as info:
        load_label_aliases(SETTINGS, pm)
    assert info.value.plugin is not None
    assert "_BadAliases" in info.value.plugin
    assert info.value.code == "vocab.bad_aliases"
    assert info.value.field == "Channel.ordinary_letter[0]"


def test_hook_govdisclose_calendar_overrides(pm: pluggy.PluginManager) -> None:
    """Overrides come back as given and make their holiday a rest day."""
    overrides = collect_calendar_overrides(SETTINGS, pm)
    assert overrides == (ks.KS_OVERRIDES,)
    calendar = WorkCalendar.default()
    assert calendar.is_workday(date(2024, 6, 3))  # a Monday
    for o in overrides:
        calendar = calendar.with_overrides(o)
    assert not calendar.is_workday(date(2024, 6, 3))


def test_hook_govdisclose_rules(pm: pluggy.PluginManager) -> None:
    """Rules come back as given and find what they check."""
    rules = collect_rules(SETTINGS, pm)
    assert rules == (ks.KS_RULE,)


def test_hook_govdisclose_rules_duplicate_id(sink: Any) -> None:
    """Two plugins providing the same rule id is a PluginError naming both."""
    other = ks.KitchenSink()
    pm = plugin_manager(sink, other)
    with pytest.raises(PluginError, match="KS-R001") as info:
        collect_rules(SETTINGS, pm)
    names = {pm.get_name(sink), pm.get_name(other)}
    assert all(str(name) in str(info.value) for name in names)
    assert info.value.plugin in names


def test_hook_govdisclose_publishers(pm: pluggy.PluginManager, sink: Any) -> None:
    """Publishers come back as given and publish."""
    publishers = collect_publishers(SETTINGS, pm)
    assert publishers == (sink.publisher,)
    view = clear(make_record("R1"))
    publication = publishers[0].publish(view)
    assert isinstance(publication, Publication)
    assert publication.publisher == "kitchen-sink"
    assert sink.publisher.published == (view,)


class BadPublishers:
    def __init__(self, value: object) -> None:
        self.value = value

    @hookimpl
    def govdisclose_publishers(self, settings: Settings) -> object:
        return self.value


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(RecordingPublisher(ks.PUBLISHED_AT), id="single-object-not-iterable"),
        pytest.param(["not a publisher"], id="wrong-item"),
        pytest.param("portal", id="a-string"),
    ],
)
def test_hook_govdisclose_publishers_wrong_type(value: object) -> None:
    """Anything but an iterable of publishers is a PluginError naming the plugin."""
    plugin = BadPublishers(value)
    pm = plugin_manager(plugin)
    with pytest.raises(PluginError, match="Publisher") as info:
        collect_publishers(SETTINGS, pm)
    assert info.value.plugin == pm.get_name(plugin)
    assert info.value.code == "plugins.wrong_type"


def test_hook_govdisclose_publishers_duplicate_name(sink: Any) -> None:
    """Two publishers with one name are refused."""
    pm = plugin_manager(
        sink, BadPublishers([RecordingPublisher(ks.PUBLISHED_AT, name="kitchen-sink")])
    )
    with pytest.raises(PluginError, match="kitchen-sink"):
        collect_publishers(SETTINGS, pm)


class FailingPublishers:
    @hookimpl
    def govdisclose_publishers(self, settings: Settings) -> object:
        raise KeyError("static_site.dir")


def test_hook_govdisclose_publishers_plugin_raises() -> None:
    """A plugin failing inside a hook is a PluginError naming it, chained to the cause."""
    plugin = FailingPublishers()
    pm = plugin_manager(plugin)
    with pytest.raises(PluginError, match=r"static_site\.dir") as info:
        collect_publishers(SETTINGS, pm)
    assert info.value.plugin == pm.get_name(plugin)
    assert isinstance(info.value.__cause__, KeyError)


def test_hook_govdisclose_report_renderers(pm: pluggy.PluginManager) -> None:
    """Renderers come back and render bytes."""
    (renderer,) = collect_report_renderers(SETTINGS, pm)
    assert (renderer.format, renderer.media_type) == ("txt", "text/plain; charset=utf-8")
    assert renderer.render("2023") == "报告：2023".encode()


def test_hook_govdisclose_report_renderers_duplicate_format(sink: Any) -> None:
    """Two renderers of one format are refused."""
    with pytest.raises(PluginError, match="txt"):
        collect_report_renderers(SETTINGS, plugin_manager(sink, ks.KitchenSink()))


def test_collections_empty_with_defaults_only() -> None:
    """The built-in plugin adds no publishers, rules, renderers or overrides."""
    pm = plugin_manager()
    assert collect_publishers(SETTINGS, pm) == ()
    assert collect_rules(SETTINGS, pm) == ()
    assert collect_report_renderers(SETTINGS, pm) == ()
    assert collect_calendar_overrides(SETTINGS, pm) == ()
    assert collect_parameter_sources(SETTINGS, pm) == ()


# -- notifications -----------------------------------------------------------------------------


def test_hook_govdisclose_handle_event(pm: pluggy.PluginManager, sink: Any) -> None:
    """Every notification kind reaches the listener unchanged, in order."""
    publication = RecordingPublisher(ks.PUBLISHED_AT).publish(clear(make_record("R1")))
    events: list[Notification] = [
        RecordPublished(record_id="R1", publication=publication),
        ApplicationEventApplied(application_id="A1", event=make_application_event(), version=1),
        DeadlineApproaching(application_id="A1", due=date(2024, 3, 29), working_days_left=3),
        ReportBuilt(agency="AG1", year=2023),
    ]
    for event in events:
        notify(pm, event)
    assert sink.events == events


def make_application_event() -> Received:
    return Received(on=date(2024, 3, 1))


def test_hook_govdisclose_handle_event_rejects_other_objects(pm: pluggy.PluginManager) -> None:
    """Only notification classes may be sent."""
    with pytest.raises(ValidationError):
        notify(pm, "published")  # type: ignore[arg-type]


def test_notification_kinds_are_distinct() -> None:
    """Each notification class has its own stable kind code."""
    kinds = [
        c.kind for c in (RecordPublished, ApplicationEventApplied, DeadlineApproaching, ReportBuilt)
    ]
    assert len(set(kinds)) == 4


def test_handle_event_call_order_is_as_documented() -> None:
    """Register A then B: B hears the event first (the hook's docstring says so)."""
    from datetime import date as _date

    from govdisclose.notifications import ReportBuilt
    from govdisclose.plugins import notify

    heard: list[str] = []

    class Listener:
        def __init__(self, name: str) -> None:
            self.__name__ = name

        @hookimpl
        def govdisclose_handle_event(self, event: object) -> None:
            heard.append(self.__name__)

    pm = make_plugin_manager(load_entry_points=False, plugins=[Listener("A"), Listener("B")])
    notify(pm, ReportBuilt(agency="city-gov", year=_date(2025, 1, 1).year))
    assert heard == ["B", "A"]
    from govdisclose import hookspecs

    assert "B hears the event first" in (hookspecs.govdisclose_handle_event.__doc__ or "")
