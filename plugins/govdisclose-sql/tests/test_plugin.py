"""The ``govdisclose_store`` hook: which URLs the plugin answers and how options are read."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

import pytest

from govdisclose.errors import PluginError, StoreError
from govdisclose.plugins import Settings, make_plugin_manager, open_store
from govdisclose.testing import MemoryStore, plugin_manager
from govdisclose_sql import SqlStore, plugin


def test_entry_point_declared() -> None:
    found = {ep.name: ep.value for ep in entry_points(group="govdisclose")}
    assert found.get("sql") == "govdisclose_sql.plugin"


def test_opens_sqlite_through_installed_plugins(tmp_path: Path) -> None:
    store = open_store(Settings(store_url=f"sqlite:///{tmp_path / 'gd.db'}"), make_plugin_manager())
    assert isinstance(store, SqlStore)
    store.close()


def test_postgresql_url_is_ours_and_uses_psycopg3() -> None:
    # Nothing listens on port 1: the store is attempted (the URL is ours) and fails to connect.
    settings = Settings(store_url="postgresql://nobody@127.0.0.1:1/gd")
    with pytest.raises(StoreError, match="database operation failed"):
        open_store(settings, plugin_manager(plugin))


def test_other_schemes_left_to_other_plugins() -> None:
    assert plugin.govdisclose_store(Settings(store_url="memory://")) is None
    assert isinstance(open_store(Settings(), plugin_manager(plugin)), MemoryStore)


def test_create_option(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gd.db'}"
    with pytest.raises(StoreError) as caught:
        plugin.govdisclose_store(Settings(store_url=url, options={"sql.create": "false"}))
    assert caught.value.code == "store.no_schema"
    store = plugin.govdisclose_store(Settings(store_url=url, options={"sql.create": "true"}))
    assert isinstance(store, SqlStore)
    store.close()


@pytest.mark.parametrize(
    ("key", "value"),
    [("sql.create", "maybe"), ("sql.busy_timeout", "soon"), ("sql.busy_timeout", "-1")],
)
def test_bad_option_names_the_option(tmp_path: Path, key: str, value: str) -> None:
    settings = Settings(store_url=f"sqlite:///{tmp_path / 'gd.db'}", options={key: value})
    with pytest.raises(PluginError) as caught:
        plugin.govdisclose_store(settings)
    assert caught.value.field == f"options[{key!r}]"
    assert value in caught.value.message_en
