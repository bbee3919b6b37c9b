"""The govdisclose hook implementation of govdisclose-sql (entry point ``sql``).

It answers store URLs whose scheme starts with ``sqlite`` (``sqlite:///gd.db``, the embedded
default) or ``postgresql`` (``postgresql+psycopg://user@host/db``). Settings options:

* ``store.mode`` (every store plugin's, `govdisclose.settings.STORE_MODES`): ``"create"``
  (default) creates the SQLite file and the schema when missing; ``"write"`` opens an existing
  store only (``store.missing``, ``store.no_schema`` otherwise); ``"read"`` opens an existing
  store read-only, creating and migrating nothing (see `govdisclose_sql.SqlStore`);
* ``sql.create``: with ``store.mode=create``, ``"true"`` (default) creates the schema in an
  empty database, ``"false"`` refuses a database without one (production hosts that provision
  schemas themselves);
* ``sql.busy_timeout``: seconds a SQLite writer waits for another process's lock (default 30).
"""

from __future__ import annotations

from govdisclose.errors import PluginError
from govdisclose.hookspecs import hookimpl
from govdisclose.plugins import Settings
from govdisclose_sql.store import SqlStore

__all__ = ["govdisclose_store"]

_SCHEMES = ("sqlite", "postgresql")


@hookimpl
def govdisclose_store(settings: Settings) -> SqlStore | None:
    """A `SqlStore` for ``sqlite…`` and ``postgresql…`` URLs, else None.

    Stops at first non-None result.
    """
    if not settings.store_scheme.startswith(_SCHEMES):
        return None
    return SqlStore(
        settings.store_url,
        mode=settings.store_mode,
        create=_flag(settings, "sql.create", default=True),
        busy_timeout=_seconds(settings, "sql.busy_timeout", default=30.0),
    )


def _flag(settings: Settings, key: str, *, default: bool) -> bool:
    raw = settings.options.get(key)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    raise PluginError(
        f"选项 {key} 应为 true 或 false，实际为“{raw}”",
        f"option {key} must be true or false, got {raw!r}",
        plugin="sql",
        field=f"options[{key!r}]",
        code="plugins.bad_option",
    )


def _seconds(settings: Settings, key: str, *, default: float) -> float:
    raw = settings.options.get(key)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise PluginError(
            f"选项 {key} 应为不小于 0 的秒数，实际为“{raw}”",
            f"option {key} must be a number of seconds >= 0, got {raw!r}",
            plugin="sql",
            field=f"options[{key!r}]",
            code="plugins.bad_option",
        )
    return value
