"""`Settings`: what a host tells govdisclose and its plugins (a neutral home).

The plugin machinery (`govdisclose.plugins`), the hook specifications (`govdisclose.hookspecs`)
and the built-in plugin all take it; it lives here, below all of them, so that none of them
imports another for it.

Its ``repr`` (and ``str``) never shows a secret: the password of ``store_url`` and every option
whose name says it is secret (``webhook.secret``, ``cms.token``) are shown as ``***``
(`govdisclose.redaction`), so settings can be logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal, cast
from urllib.parse import urlsplit

from attrs import field, frozen

from govdisclose.errors import ValidationError
from govdisclose.redaction import MASK, is_secret_name, redact_options, redact_text, redact_url

__all__ = ["STORE_MODES", "STORE_MODE_OPTION", "Settings", "StoreMode"]

#: How a store may be opened (the option `STORE_MODE_OPTION`, read by store plugins):
#:
#: * ``"create"`` (the default): open the store, creating it (an SQLite file, the schema) if it
#:   does not exist yet, and migrating an older schema forward;
#: * ``"write"``: open an existing store for reading and writing; a store that does not exist
#:   (no file, no schema) is a `govdisclose.errors.StoreError`, never created;
#: * ``"read"``: open an existing store read-only: nothing is created or migrated, and every
#:   write raises `StoreError` (code ``store.read_only``). Works on a read-only database file.
StoreMode = Literal["create", "write", "read"]

#: Every `StoreMode`, the default first.
STORE_MODES: tuple[StoreMode, ...] = ("create", "write", "read")

#: The option naming the `StoreMode`: ``Settings(options={"store.mode": "read"})``.
STORE_MODE_OPTION = "store.mode"


def _frozen_options(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


def _shown_value(key: object, item: object) -> str:
    if isinstance(key, str) and is_secret_name(key):
        return MASK
    return redact_text(repr(item))


def _check_options(inst: Settings, att: Any, value: Mapping[str, str]) -> None:
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise ValidationError(
                f"Settings.options 的键和值都应为字符串：{key!r} = {_shown_value(key, item)}",
                f"Settings.options keys and values must be strings: {key!r} = "
                f"{_shown_value(key, item)}",
                field=f"options[{key!r}]",
            )
    mode = value.get(STORE_MODE_OPTION)
    if mode is not None and mode not in STORE_MODES:
        raise ValidationError(
            f"选项 {STORE_MODE_OPTION} 应为 create、write 或 read，实际为 {mode!r}",
            f"option {STORE_MODE_OPTION} must be 'create', 'write' or 'read', got {mode!r}",
            field=f"options[{STORE_MODE_OPTION!r}]",
            code="settings.invalid_store_mode",
        )


def _check_url(inst: Settings, att: Any, value: str) -> None:
    if not isinstance(value, str) or "://" not in value:
        shown = redact_text(repr(value))
        raise ValidationError(
            f"Settings.store_url 应为形如 “sqlite:///gd.db” 的地址，实际为 {shown}",
            f"Settings.store_url must be a URL such as 'sqlite:///gd.db', got {shown}",
            field="store_url",
        )


@frozen
class Settings:
    """What a host tells the plugins: which store to open and plugin-specific options.

    :param store_url: the storage URL; its scheme selects the store plugin (``memory://``
        built in; ``sqlite:///path`` and ``postgresql+psycopg://...`` from ``govdisclose-sql``).
    :param options: plugin options, string to string, conventionally prefixed by the plugin
        name (``static_site.dir``, ``webhook.url``). Copied and read-only. The option
        ``store.mode`` (`STORE_MODES`) says whether the store may be created, only written or
        only read; it is checked here.

    ``repr(settings)`` and ``str(settings)`` show the URL with its password as ``***`` and the
    options through `govdisclose.redaction.redact_options`.

    .. versionchanged:: 0.2.0 the ``store.mode`` option and `store_mode`; a redacted ``repr``.
    """

    store_url: str = field(default="memory://", validator=_check_url)
    # Compared but not hashed (a mapping is unhashable): equal settings still hash equal.
    options: Mapping[str, str] = field(
        factory=dict, converter=_frozen_options, validator=_check_options, hash=False
    )

    @property
    def store_scheme(self) -> str:
        """The scheme of ``store_url`` (``"sqlite"``, ``"postgresql+psycopg"``, ``"memory"``)."""
        return urlsplit(self.store_url).scheme

    @property
    def store_mode(self) -> StoreMode:
        """The option ``store.mode``: ``"create"`` (the default), ``"write"`` or ``"read"``."""
        return cast(StoreMode, self.options.get(STORE_MODE_OPTION, "create"))

    def __repr__(self) -> str:
        return (
            f"Settings(store_url={redact_url(self.store_url)!r}, "
            f"options={redact_options(self.options)!r})"
        )
