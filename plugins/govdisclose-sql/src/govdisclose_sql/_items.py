"""Kept items (`govdisclose.store.kinds`) in the ``items`` table: one row per item.

The row's ``data`` is the kind's own JSON text (`ItemKind.to_text`); ``kind``, ``agency`` and
``version`` are the columns the store selects and checks on. A write reads the stored row under
``FOR UPDATE`` (PostgreSQL; SQLite already holds the write lock), checks the agency, the version
and the kind's rule against the stored value, then inserts or updates in the same transaction,
so a refused write leaves nothing behind.
"""

from __future__ import annotations

from typing import Any, TypeVar

import sqlalchemy as sa

from govdisclose.errors import ConflictError, DeserializationError, NotFound
from govdisclose.store.kinds import ItemKind
from govdisclose_sql import schema as s

__all__ = ["get_item", "item_version", "load_item", "put_item"]

T = TypeVar("T")


def load_item(kind: ItemKind[T], item_id: str, text: str) -> T:
    """The stored value, or `DeserializationError` naming the row when it no longer reads."""
    try:
        return kind.from_text(text)
    except DeserializationError as err:
        raise DeserializationError(
            f"数据库表 items 中 {kind.code} {item_id} 已损坏：{err.message_zh}",
            f"row {kind.code} {item_id!r} of table items is corrupted: {err.message_en}",
            field=err.field,
            code=err.code,
            errors=err.errors,
        ) from err


def put_item(conn: sa.Connection, kind: ItemKind[Any], value: Any, expected: int | None) -> int:
    """Insert or update one item inside the caller's transaction; its new version."""
    item_id, agency = kind.key(value)
    known = conn.execute(sa.select(s.agencies.c.code).where(s.agencies.c.code == agency)).scalar()
    if known is None:
        raise NotFound(
            f"{kind.label_zh} {item_id} 所属机关 {agency} 未登记：请先登记机关",
            f"the agency {agency!r} of {kind.label_en} {item_id!r} is not stored: store the "
            "agency first",
            field="agency",
            code="store.unknown_agency",
        )
    t = s.items
    where = (t.c.kind == kind.code, t.c.id == item_id)
    stored = conn.execute(sa.select(t.c.version, t.c.data).where(*where).with_for_update()).first()
    actual = 0 if stored is None else int(stored[0])
    if expected is not None and expected != actual:
        raise ConflictError.for_version(
            kind.code, item_id, expected, actual, label_zh=kind.label_zh
        )
    old = None if stored is None else load_item(kind, item_id, stored[1])
    kind.checked(old, value)
    row = {
        "kind": kind.code,
        "id": item_id,
        "agency": agency,
        "version": actual + 1,
        "data": kind.to_text(value),
    }
    if stored is None:
        try:
            with conn.begin_nested():
                conn.execute(sa.insert(t), [row])
        except sa.exc.IntegrityError:
            # Created by a concurrent writer since our read (PostgreSQL, READ COMMITTED).
            raise ConflictError.for_version(
                kind.code, item_id, actual, actual + 1, label_zh=kind.label_zh
            ) from None
    else:
        done = conn.execute(sa.update(t).where(*where, t.c.version == actual).values(**row))
        if done.rowcount != 1:
            raise ConflictError.for_version(
                kind.code, item_id, actual, actual + 1, label_zh=kind.label_zh
            )
    return actual + 1


def get_item(conn: sa.Connection, kind: ItemKind[T], item_id: str) -> T:
    """The stored item; `NotFound` otherwise."""
    t = s.items
    text = conn.execute(
        sa.select(t.c.data).where(t.c.kind == kind.code, t.c.id == item_id)
    ).scalar()
    if text is None:
        raise NotFound.for_key(kind.code, item_id, label_zh=kind.label_zh)
    return load_item(kind, item_id, text)


def item_version(conn: sa.Connection, kind: ItemKind[Any], item_id: str) -> int:
    """The stored version, 0 when there is no such item."""
    t = s.items
    found = conn.execute(
        sa.select(t.c.version).where(t.c.kind == kind.code, t.c.id == item_id)
    ).scalar()
    return 0 if found is None else int(found)
