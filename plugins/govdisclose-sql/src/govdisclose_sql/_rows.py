"""Rows to model objects and back, through `govdisclose.serde` only."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from govdisclose import serde
from govdisclose.errors import DeserializationError
from govdisclose.model import Record

T = TypeVar("T")


def load_row(table: str, key: str, data: str, cls: type[T]) -> T:
    """Structure a stored JSON column, naming the table, the row and the bad field if it fails."""
    try:
        return serde.loads(data, cls)
    except DeserializationError as err:
        raise DeserializationError(
            f"数据库表 {table} 中的 {key} 已损坏，无法读取：{err.message_zh}",
            f"row {key!r} of table {table} is corrupted: {err.message_en}",
            field=err.field,
            code="store.corrupted_row",
            errors=err.errors,
        ) from err


def load_data(table: str, key: str, data: dict[str, Any], cls: type[T]) -> T:
    """Like `load_row`, for JSON already parsed and assembled (an application and its events)."""
    try:
        return serde.structure(data, cls)
    except DeserializationError as err:
        raise DeserializationError(
            f"数据库表 {table} 中的 {key} 已损坏，无法读取：{err.message_zh}",
            f"row {key!r} of table {table} is corrupted: {err.message_en}",
            field=err.field,
            code="store.corrupted_row",
            errors=err.errors,
        ) from err


def dump(obj: Any) -> str:
    """The JSON text stored for a model object (Chinese kept readable)."""
    return serde.dumps(obj)


def publication_rows(record: Record) -> list[dict[str, Any]]:
    """The ``publications`` rows of a record, one per act of publication."""
    data = serde.unstructure(record)["publications"]
    return [
        {
            "record_id": record.id,
            "seq": seq,
            "agency": record.agency,
            "published_on": pub.published_on,
            "title": record.title,
            "data": json.dumps(item, ensure_ascii=False),
        }
        for seq, (pub, item) in enumerate(zip(record.publications, data, strict=True), start=1)
    ]
