"""`Settings`: what a host tells govdisclose and its plugins (a neutral home).

The plugin machinery (`govdisclose.plugins`), the hook specifications (`govdisclose.hookspecs`)
and the built-in plugin all take it; it lives here, below all of them, so that none of them
imports another for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from attrs import field, frozen

from govdisclose.errors import ValidationError

__all__ = ["Settings"]


def _frozen_options(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


def _check_options(inst: Settings, att: Any, value: Mapping[str, str]) -> None:
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise ValidationError(
                f"Settings.options 的键和值都应为字符串：{key!r} = {item!r}",
                f"Settings.options keys and values must be strings: {key!r} = {item!r}",
                field=f"options[{key!r}]",
            )


def _check_url(inst: Settings, att: Any, value: str) -> None:
    if not isinstance(value, str) or "://" not in value:
        raise ValidationError(
            f"Settings.store_url 应为形如 “sqlite:///gd.db” 的地址，实际为 {value!r}",
            f"Settings.store_url must be a URL such as 'sqlite:///gd.db', got {value!r}",
            field="store_url",
        )


@frozen
class Settings:
    """What a host tells the plugins: which store to open and plugin-specific options.

    :param store_url: the storage URL; its scheme selects the store plugin (``memory://``
        built in; ``sqlite:///path`` and ``postgresql+psycopg://...`` from ``govdisclose-sql``).
    :param options: plugin options, string to string, conventionally prefixed by the plugin
        name (``static_site.dir``, ``webhook.url``). Copied and read-only.
    """

    store_url: str = field(default="memory://", validator=_check_url)
    options: Mapping[str, str] = field(
        factory=dict, converter=_frozen_options, validator=_check_options
    )

    @property
    def store_scheme(self) -> str:
        """The scheme of ``store_url`` (``"sqlite"``, ``"postgresql+psycopg"``, ``"memory"``)."""
        return urlsplit(self.store_url).scheme
