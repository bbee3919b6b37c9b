"""Helpers for plugin authors and integrators testing code that uses govdisclose.

* `MemoryStore`: the in-memory reference `govdisclose.store.Store`;
* `StoreContract` (from `govdisclose.testing.contract`): the pytest suite a storage adapter must
  pass; subclass it and provide a ``store`` fixture;
* `RecordingPublisher`: a publisher that keeps what it was asked to publish;
* `plugin_manager`: a fresh plugin manager with only the built-in defaults and the given plugins;
* `fixed_calendar`: a real `govdisclose.calendar.WorkCalendar` with the rest days and working
  days a test fixes;
* `govdisclose.testing.builders`: one-line builders of agencies, records and applications, and
  generators of many applications with valid histories.

Importing this module does no work: each name is loaded from its module on first access, so the
pytest plugin govdisclose installs (``govdisclose.testing._pytest_plugin``, loaded into every test
run) costs nothing, and neither pytest nor any plugin is imported until `StoreContract` (the
contract module imports pytest) or `plugin_manager` is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govdisclose.store._memory import MemoryStore
    from govdisclose.testing._helpers import RecordingPublisher, plugin_manager
    from govdisclose.testing.builders import fixed_calendar
    from govdisclose.testing.contract import StoreContract

__all__ = [
    "MemoryStore",
    "RecordingPublisher",
    "StoreContract",
    "fixed_calendar",
    "plugin_manager",
]

_WHERE = {
    "MemoryStore": "govdisclose.store._memory",
    "RecordingPublisher": "govdisclose.testing._helpers",
    "StoreContract": "govdisclose.testing.contract",
    "fixed_calendar": "govdisclose.testing.builders",
    "plugin_manager": "govdisclose.testing._helpers",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'govdisclose.testing' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
