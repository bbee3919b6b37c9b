"""govdisclose-sql: the govdisclose `Store` on SQLite (embedded default) and PostgreSQL.

`SqlStore` implements `govdisclose.store.Store` with SQLAlchemy Core; the plugin module
(`govdisclose_sql.plugin`, entry point ``sql`` in the ``govdisclose`` group) hands one out for
``sqlite…`` and ``postgresql…`` store URLs. The schema and its migrations are in
`govdisclose_sql.schema`.
"""

from __future__ import annotations

from govdisclose_sql.schema import SCHEMA_VERSION
from govdisclose_sql.store import SqlStore

__all__ = ["SCHEMA_VERSION", "SqlStore"]
