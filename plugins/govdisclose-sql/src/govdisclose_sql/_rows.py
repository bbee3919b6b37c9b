"""Rows to model objects and back: `govdisclose.serde` maps, orjson only writes and reads text.

The mapping between model objects and plain data is serde's alone (the one converter). The
text step uses orjson because a bulk import encodes half a million small objects and the
standard library's per-call overhead was a third of the import's time.
"""

from __future__ import annotations

from typing import Any, TypeVar

import orjson

from govdisclose import serde
from govdisclose.errors import DeserializationError
from govdisclose.model import Record
from govdisclose_sql._trusted import Untrusted, trusted_structure

T = TypeVar("T")


def to_json(data: Any) -> str:
    """JSON text of plain data (UTF-8, Chinese unescaped)."""
    return orjson.dumps(data).decode()


def dump(obj: Any) -> str:
    """The JSON text stored for a model object."""
    return to_json(serde.unstructure(obj))


def parse_json(table: str, key: str, text: str) -> dict[str, Any]:
    """The JSON object of a stored column, or `DeserializationError` naming the row."""
    try:
        parsed = orjson.loads(text)
    except orjson.JSONDecodeError as err:
        raise DeserializationError(
            f"数据库表 {table} 中的 {key} 已损坏：不是有效的 JSON（{err.msg}）",
            f"row {key!r} of table {table} is corrupted: not valid JSON ({err.msg})",
            field="$",
            code="store.corrupted_row",
            errors=[("$", err.msg)],
        ) from None
    if not isinstance(parsed, dict):
        raise DeserializationError(
            f"数据库表 {table} 中的 {key} 已损坏：应为 JSON 对象",
            f"row {key!r} of table {table} is corrupted: expected a JSON object",
            field="$",
            code="store.corrupted_row",
            errors=[("$", "expected a JSON object")],
        )
    return parsed


def load_data(table: str, key: str, data: dict[str, Any], cls: type[T]) -> T:
    """Structure parsed row data through serde, naming the table, the row and the bad field."""
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


def load_stored(table: str, key: str, data: dict[str, Any], cls: type[T]) -> T:
    """Structure the parsed data of a row this store wrote: without running the model's
    validators again (`govdisclose_sql._trusted`), or through `load_data` where the data is not
    in the shape serde writes, so that a damaged row is still reported by field."""
    try:
        return trusted_structure(data, cls)
    except Untrusted:
        return load_data(table, key, data, cls)


def load_row(table: str, key: str, text: str, cls: type[T]) -> T:
    """A model object from a stored JSON column (see `load_stored`)."""
    return load_stored(table, key, parse_json(table, key, text), cls)


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
            "data": to_json(item),
        }
        for seq, (pub, item) in enumerate(zip(record.publications, data, strict=True), start=1)
    ]
