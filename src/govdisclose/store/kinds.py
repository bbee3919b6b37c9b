"""The other kinds a store keeps: inquiries, opinion events, press events, work plans, the outbox.

Applications and records have methods of their own in `govdisclose.store.Store`, because the
annual report and the clocks query them by their columns. Everything else the library stores
is a *kept item*: a frozen attrs value with an id and an agency, written whole with an expected
version (the optimistic check records have), read back by id or listed per agency. One
`ItemKind` per class says how:

* ``code``: the stable string the store files the value under (``"inquiry"``); stored data
  outlives a rename of the class, so the code never changes;
* ``dump`` / ``load``: the value as JSON text and back, through `govdisclose.serde` by default
  (a kind whose fields hold a tagged union of its own events passes its own pair);
* ``check(old, new)``: the kind's rule for a write, run by the store inside the write's
  transaction, with the stored value (``None`` for a new item): an event-sourced case refuses a
  write that rewrites its history (`append_only`), a value may refuse an impossible state. What
  it raises reaches the caller and nothing is stored.

A store refuses a kept item whose agency it does not know (`govdisclose.errors.NotFound` with
field ``agency``): a case filed under a misspelt agency would otherwise vanish from that
agency's lists and counts.

Kinds register themselves when their module is imported (`register`); a store looks the kind
up from the class it is given (`kind_of`), so it never imports a domain module itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import attrs
from attrs import field, frozen

from govdisclose import serde
from govdisclose.errors import InvalidTransition, ValidationError

__all__ = ["ItemKind", "append_only", "kind_of", "kinds", "register"]

T = TypeVar("T")

_CODE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.")


def _check_code(inst: object, att: object, value: str) -> None:
    if not isinstance(value, str) or not value or not set(value) <= _CODE_CHARS:
        raise ValidationError(
            f"存储类别代码须为小写字母、数字、下划线或点组成的非空字符串：{value!r}",
            f"a kind code must be a non-empty string of lower-case letters, digits, '_' and "
            f"'.': {value!r}",
            field="code",
            code="store.kind_code",
        )


def _check_class(inst: object, att: object, value: type) -> None:
    if not (isinstance(value, type) and attrs.has(value)):
        raise ValidationError(
            f"存储类别须为 attrs 类：{value!r}",
            f"a kind's class must be an attrs class: {value!r}",
            field="cls",
            code="store.kind_class",
        )


@frozen
class ItemKind(Generic[T]):
    """How a store keeps the values of one class (see the module docstring).

    ``id_field`` and ``agency_field`` name the value's attributes holding its id and its
    agency's code; ``dump`` / ``load`` default to `govdisclose.serde` ``dumps`` / ``loads``.
    """

    code: str = field(validator=_check_code)
    cls: type[T] = field(validator=_check_class)
    label_zh: str
    label_en: str
    id_field: str = "id"
    agency_field: str = "agency"
    check: Callable[[T | None, T], None] | None = None
    dump: Callable[[T], str] | None = None
    load: Callable[[str], T] | None = None

    def key(self, value: T) -> tuple[str, str]:
        """``(id, agency)`` of ``value``, checked to be non-blank strings."""
        if not isinstance(value, self.cls):
            raise ValidationError(
                f"应为 {self.cls.__name__}（{self.label_zh}），实际为 {type(value).__name__}",
                f"expected a {self.cls.__name__} ({self.label_en}), got {type(value).__name__}",
                field=self.code,
                code="store.bad_item",
            )
        item_id = getattr(value, self.id_field)
        agency = getattr(value, self.agency_field)
        for name, got in (("id", item_id), ("agency", agency)):
            if not isinstance(got, str) or not got.strip():
                raise ValidationError(
                    f"{self.label_zh}的 {name} 不能为空：{got!r}",
                    f"the {name} of a {self.label_en} must not be blank: {got!r}",
                    field=f"{self.code}.{name}",
                    code="store.bad_item",
                )
        return item_id, agency

    def checked(self, old: T | None, new: T) -> None:
        """Run the kind's write rule (nothing when it has none)."""
        if self.check is not None:
            self.check(old, new)

    def to_text(self, value: T) -> str:
        """``value`` as the JSON text a store keeps."""
        return self.dump(value) if self.dump is not None else serde.dumps(value)

    def from_text(self, text: str) -> T:
        """The value a store kept as ``text``."""
        return self.load(text) if self.load is not None else serde.loads(text, self.cls)


_lock = threading.Lock()
_by_class: dict[type, ItemKind[Any]] = {}
_by_code: dict[str, ItemKind[Any]] = {}


def register(kind: ItemKind[T]) -> ItemKind[T]:
    """Make ``kind`` known to every store; registering the same class again replaces it
    (a reloaded module), another class under a taken code is an error."""
    with _lock:
        taken = _by_code.get(kind.code)
        if taken is not None and taken.cls.__qualname__ != kind.cls.__qualname__:
            raise ValidationError(
                f"存储类别代码 {kind.code!r} 已由 {taken.cls.__qualname__} 使用",
                f"kind code {kind.code!r} is already used by {taken.cls.__qualname__}",
                field="code",
                code="store.kind_taken",
            )
        if taken is not None:
            _by_class.pop(taken.cls, None)
        _by_class[kind.cls] = kind
        _by_code[kind.code] = kind
    return kind


def kind_of(cls: type[T]) -> ItemKind[T]:
    """The registered kind of ``cls``; a `ValidationError` naming the class otherwise."""
    kind = _by_class.get(cls)
    if kind is None:
        raise ValidationError(
            f"{getattr(cls, '__name__', cls)!r} 不是可存储的类别（未注册 ItemKind）",
            f"{getattr(cls, '__name__', cls)!r} is not a stored kind (no ItemKind registered)",
            field="kind",
            code="store.unknown_kind",
        )
    return kind


def kinds() -> list[ItemKind[Any]]:
    """Every registered kind, by code."""
    with _lock:
        return [_by_code[c] for c in sorted(_by_code)]


def append_only(
    events_of: Callable[[Any], Sequence[object]], label_zh: str, label_en: str
) -> Callable[[Any, Any], None]:
    """A ``check`` for an event-sourced value: the new value's events must start with the
    stored value's events, unchanged (a history is appended to, never rewritten)."""

    def check(old: Any, new: Any) -> None:
        if old is None:
            return
        before, after = events_of(old), events_of(new)
        n = len(before)
        if len(after) < n or any(a != b for a, b in zip(before, after, strict=False)):
            at = next(
                (i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
                min(n, len(after)),
            )
            raise InvalidTransition(
                f"{label_zh}的历史只能追加，不能改写：第 {at + 1} 个事件与已存储的不同或被删除",
                f"a {label_en}'s history is appended to, never rewritten: event {at + 1} "
                "differs from the stored one or was removed",
                field=f"events[{at}]",
                code="store.history_rewritten",
            )

    return check
