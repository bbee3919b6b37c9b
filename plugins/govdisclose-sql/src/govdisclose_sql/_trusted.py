"""Model objects from stored rows without validating them again (the write already did).

Every row the store holds went through the model's validators and `govdisclose.serde` when it
was written, so reading it back need not run them again: `trusted_structure` builds the frozen
attrs instances directly (``object.__new__`` and ``object.__setattr__``, as attrs' own
``__init__`` does), with one small structuring function per class generated on first use.
Nothing global is switched off (``attrs.validators.set_disabled`` would be, for every thread):
the model's constructors validate as always; only this reader skips them, so it is thread-safe.

It reads exactly the shapes serde writes. Anything else (a row edited by hand, a JSON key it
does not know) raises `Untrusted`, and the caller falls back to the validating path, which
names the bad field.
"""

from __future__ import annotations

import threading
import typing
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from types import NoneType, UnionType
from typing import Any, TypeVar, get_args, get_origin

import attrs

from govdisclose import model
from govdisclose.model import EVENT_TYPES, Event
from govdisclose.serde import EVENT_TAG
from govdisclose.vocab import CodedEnum

__all__ = ["Untrusted", "trusted_structure"]

T = TypeVar("T")

_Hook = Callable[[Any], Any]


class Untrusted(Exception):
    """The data is not in the shape serde writes: use the validating path instead."""


def _identity(value: Any) -> Any:
    return value


def _scalar(kind: type) -> _Hook:
    def hook(value: Any) -> Any:
        if type(value) is not kind:
            raise Untrusted(kind.__name__)
        return value

    return hook


def _enum(tp: type[CodedEnum]) -> _Hook:
    members: dict[Any, Any] = dict(tp._value2member_map_)
    return members.__getitem__  # KeyError: untrusted


def _decimal(value: Any) -> Decimal:
    if type(value) is not str:
        raise Untrusted("Decimal")
    return Decimal(value)


def _datetime(value: Any) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise Untrusted("naive datetime")
    return moment


class _Hooks:
    """Structuring functions per type, built once (under a lock) and then only read."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._hooks: dict[Any, _Hook] = {
            str: _scalar(str),
            int: _scalar(int),
            bool: _scalar(bool),
            date: date.fromisoformat,
            datetime: _datetime,
            Decimal: _decimal,
            Event: self._event,
        }
        self._by_kind: dict[str, type] = {cls.kind: cls for cls in EVENT_TYPES}

    def get(self, tp: Any) -> _Hook:
        found = self._hooks.get(tp)
        if found is None:
            with self._lock:
                found = self._hooks.get(tp) or self._make(tp)
                self._hooks[tp] = found
        return found

    def _event(self, value: Any) -> Any:
        cls = self._by_kind.get(value.get(EVENT_TAG, "")) if type(value) is dict else None
        if cls is None:
            raise Untrusted("event")
        return self.get(cls)(value)

    def _make(self, tp: Any) -> _Hook:
        origin, args = get_origin(tp), get_args(tp)
        if origin in (UnionType, typing.Union):
            inner = [a for a in args if a is not NoneType]
            if len(inner) != 1:
                raise TypeError(f"no trusted reader for {tp!r}")
            item = self.get(inner[0])
            return lambda value: None if value is None else item(value)
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            element = self.get(args[0])
            if element is _identity:
                return tuple
            return lambda value: tuple(map(element, value))
        if isinstance(tp, type) and issubclass(tp, CodedEnum):
            return _enum(tp)
        if isinstance(tp, type) and attrs.has(tp):
            return self._class(tp)
        raise TypeError(f"no trusted reader for {tp!r}")

    def _class(self, cls: type) -> _Hook:
        hints = typing.get_type_hints(cls, vars(model))
        fields = [f for f in attrs.fields(cls) if f.init]
        # Hooks of the fields are looked up lazily: a class may refer to itself.
        plan: list[tuple[str, Any, Any]] = [(f.name, hints[f.name], f.default) for f in fields]
        known = frozenset(f.name for f in fields) | (
            {EVENT_TAG} if cls in EVENT_TYPES else frozenset()
        )
        new: Callable[[type], Any] = object.__new__
        setattr_ = object.__setattr__
        # Filled on first use by whichever thread gets there; a tuple, replaced whole.
        cell: list[tuple[tuple[str, _Hook, Any], ...]] = []

        def hook(value: Any) -> Any:
            if type(value) is not dict or not known.issuperset(value):
                raise Untrusted(cls.__name__)
            if not cell:
                cell[:] = [tuple((name, self.get(tp), default) for name, tp, default in plan)]
            obj = new(cls)
            for name, structure, default in cell[0]:
                if name in value:
                    setattr_(obj, name, structure(value[name]))
                elif default is attrs.NOTHING:
                    raise Untrusted(f"{cls.__name__}.{name}")
                elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                    setattr_(obj, name, default.factory())
                else:
                    setattr_(obj, name, default)
            return obj

        return hook


_HOOKS = _Hooks()


def trusted_structure(data: Any, cls: type[T]) -> T:
    """``cls`` from data serde wrote, without running the model's validators again;
    `Untrusted` where the data is not in that shape."""
    try:
        obj: T = _HOOKS.get(cls)(data)
    except Untrusted:
        raise
    except (KeyError, ValueError, TypeError, AttributeError) as err:
        raise Untrusted(str(err)) from None
    return obj
