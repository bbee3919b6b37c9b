"""The pytest plugin govdisclose installs: entry point ``govdisclose`` in the ``pytest11`` group.

pytest loads it into *every* test run of an environment where govdisclose is installed, so it
does only two things at import: it asks pytest to rewrite the assertions of
`govdisclose.testing.contract` (so a failing contract test shows pytest's comparison as well as
the contract's own message), and it defines fixtures whose bodies import what they need. It
imports nothing of govdisclose beyond the package itself; a host that does not use govdisclose
in its tests pays for one small module.

``pytest -p no:govdisclose`` switches it off. With ``PYTEST_DISABLE_PLUGIN_AUTOLOAD=1`` switch it
on with ``-p govdisclose`` (pytest 8.4 and later), or ``pytest_plugins =
["govdisclose.testing._pytest_plugin"]`` in the root ``conftest.py``.

Fixtures:

* ``govdisclose_memory_store``: a fresh, empty `govdisclose.testing.MemoryStore`, closed after
  the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from govdisclose.store._memory import MemoryStore

# Rewriting only applies to modules imported after this call, and pytest imports plugins from
# entry points (and ``-p``) before any conftest or test module, so the contract module, which
# nothing imports at start-up, is always imported after it. (A host that imports the contract
# earlier, in a sitecustomize say, gets pytest's "already imported" warning and the contract's
# own messages, which do not depend on rewriting.)
pytest.register_assert_rewrite("govdisclose.testing.contract")


@pytest.fixture
def govdisclose_memory_store() -> Iterator[MemoryStore]:
    """A fresh, empty in-memory reference store, closed after the test."""
    from govdisclose.store._memory import MemoryStore

    store = MemoryStore()
    yield store
    store.close()
