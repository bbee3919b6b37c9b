"""Helpers for plugin authors and integrators testing code that uses govdisclose.

* `MemoryStore`: the in-memory reference `govdisclose.store.Store`;
* `StoreContract` (from `govdisclose.testing.contract`): the pytest suite a storage adapter must
  pass; subclass it and provide a ``store`` fixture;
* `RecordingPublisher`: a publisher that keeps what it was asked to publish;
* `plugin_manager`: a fresh plugin manager with only the built-in defaults and the given plugins.

Importing this module imports neither pytest nor any plugin: `StoreContract` is loaded on first
access (the contract module imports pytest), `plugin_manager` imports the plugin machinery when
called.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from govdisclose.store._memory import MemoryStore
from govdisclose.testing._helpers import RecordingPublisher, plugin_manager

if TYPE_CHECKING:
    from govdisclose.testing.contract import StoreContract

__all__ = ["MemoryStore", "RecordingPublisher", "StoreContract", "plugin_manager"]


def __getattr__(name: str) -> Any:
    if name == "StoreContract":
        return importlib.import_module("govdisclose.testing.contract").StoreContract
    raise AttributeError(f"module 'govdisclose.testing' has no attribute {name!r}")
