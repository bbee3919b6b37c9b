"""Model objects to the plain data `govdisclose.serde` writes, without cattrs' dispatch.

A bulk import writes half a million events; through ``serde.unstructure`` each one passes five
layers of cattrs dispatch (the ``Event`` union, the class, the tag, the generated function, an
``Optional`` hook per field), which was more than half of the time spent serialising rows. Here
each class gets one generated function, a dict display over its attrs fields, converting only
what orjson would not write as serde does (dates by ``date.isoformat``, ``Decimal`` in plain
digits, datetimes in ISO 8601, nested objects); enums, whose value is their code, and tuples of
scalars are left to orjson, which writes them as serde's codes and arrays.

serde stays the one mapping: this module decides no shape, it copies serde's. The fields serde
leaves out at their default (cattrs' ``omit_if_default``, such as an event's empty
``attachments``) are found by asking serde about a copy of the first object of the class
holding the default (``attrs.evolve``) and, as cattrs does, written after the other fields
when set. A function is used only if its JSON text for that first object is exactly serde's;
otherwise, or for a type it does not know, the class goes through ``serde.unstructure``.
``tests/test_plain.py`` compares the two on arbitrary applications and records.
"""

from __future__ import annotations

import threading
import typing
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from types import NoneType, UnionType
from typing import Any, cast, get_args, get_origin

import attrs
import orjson

from govdisclose import model, serde
from govdisclose.model import EVENT_TYPES, Application
from govdisclose.serde import EVENT_TAG
from govdisclose.vocab import CodedEnum

__all__ = ["plain", "plain_function", "plain_head"]

_Convert = Callable[[Any], Any]


class _Unknown(TypeError):
    """A field type this module does not convert: the class goes through serde."""


def _decimal(value: Decimal) -> str:
    # serde's own form (govdisclose.serde._unstructure_decimal): plain digits, never "1E+3".
    return format(value, "f")


_ALL: frozenset[str] = frozenset()


class _Plain:
    """One conversion function per class (and fields left out), built on first use under a
    lock, then only read: a dict lookup per object."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        # Per set of fields left out, per class. Tables are added under the lock and entries
        # only ever added: a reader sees a table or its absence, never a half-built one.
        self._full: dict[type, _Convert] = {}
        self._made: dict[frozenset[str], dict[type, _Convert]] = {_ALL: self._full}

    def of(self, obj: Any) -> Any:
        found = self._full.get(type(obj))
        if found is None:
            found = self._make(obj, _ALL)
        return found(obj)

    def function(self, sample: Any) -> _Convert:
        """The function `of` uses for objects of the sample's class."""
        return self._full.get(type(sample)) or self._make(sample, _ALL)

    def without(self, obj: Any, names: frozenset[str]) -> Any:
        table = self._made.get(names)
        found = None if table is None else table.get(type(obj))
        if found is None:
            found = self._make(obj, names)
        return found(obj)

    def _make(self, sample: Any, without: frozenset[str]) -> _Convert:
        with self._lock:
            table = self._made.get(without)
            if table is None:
                table = self._made[without] = {}
            found = table.get(type(sample))
            if found is None:
                found = table[type(sample)] = self._calibrated(sample, without)
            return found

    # -- building ------------------------------------------------------------------------

    def _calibrated(self, sample: Any, without: frozenset[str]) -> _Convert:
        """The generated function for the sample's class if it writes exactly what serde
        writes for the sample; serde itself otherwise."""
        cls = type(sample)

        def through_serde(obj: Any) -> Any:
            data = serde.unstructure(obj)
            for name in without:
                data.pop(name, None)
            return data

        if not (attrs.has(cls) and cls.__module__ == model.__name__):
            return through_serde
        try:
            convert = self._build(cls, sample, without)
        except _Unknown:
            return through_serde
        # Nested objects of the sample calibrate their own classes on this call.
        if orjson.dumps(convert(sample)) != orjson.dumps(through_serde(sample)):
            return through_serde
        return convert

    def _build(self, cls: type, sample: Any, without: frozenset[str]) -> _Convert:
        """The conversion function of ``cls``, generated as source (like cattrs' own): one
        dict display reading every field, ``dict(zip(...))`` being several times slower."""
        hints = typing.get_type_hints(cls, vars(model))
        fields = [f for f in attrs.fields(cls) if f.init and f.name not in without]
        scope: dict[str, Any] = {}
        # As cattrs generates it: the fields always written in one dict display, then the
        # ones left out at their default, each added after all the others when it is set
        # (so an event's attachments, when it has some, come last).
        parts: list[str] = []
        after: list[str] = []
        if cls in EVENT_TYPES:
            scope["tag"] = cls.kind
            parts.append(f"{EVENT_TAG!r}: tag")
        for n, f in enumerate(fields):
            convert = self._converter(hints[f.name])
            read = f"o.{f.name}"
            if convert is None:
                value = read
            else:
                scope[f"c{n}"] = convert
                value = (
                    f"c{n}({read})"
                    if _required(hints[f.name])
                    else f"(None if (v := {read}) is None else c{n}(v))"
                )
            if self._left_out(sample, f):
                scope[f"d{n}"] = _default(f)
                after.append(f"    if {read} != d{n}:\n        data[{f.name!r}] = {value}")
            else:
                parts.append(f"{f.name!r}: {value}")
        source = "\n".join(
            [
                "def convert(o):",
                f"    data = {{{', '.join(parts)}}}",
                *after,
                "    return data",
            ]
        )
        exec(compile(source, f"<govdisclose_sql plain {cls.__qualname__}>", "exec"), scope)
        made: _Convert = scope["convert"]
        return made

    def _left_out(self, sample: Any, field: attrs.Attribute[Any]) -> bool:
        """Whether serde leaves ``field`` out when it holds its default (cattrs'
        ``omit_if_default``), probed on a copy of the sample holding the default."""
        if field.default is attrs.NOTHING:
            return False
        default = _default(field)
        try:
            probe = sample if getattr(sample, field.name) == default else None
            if probe is None:
                probe = attrs.evolve(sample, **{field.name: default})
        except Exception as err:  # the model refuses the default with the sample's other values
            raise _Unknown(f"cannot probe {type(sample).__name__}.{field.name}") from err
        return field.name not in serde.unstructure(probe)

    def _converter(self, tp: Any) -> _Convert | None:
        """How a value of type ``tp`` becomes serde's plain data; None: it already is."""
        if tp in (str, int, bool, float):
            return None
        if tp is date:
            return date.isoformat
        if tp is datetime:
            return datetime.isoformat
        if tp is Decimal:
            return _decimal
        origin, args = get_origin(tp), get_args(tp)
        if isinstance(tp, type) and issubclass(tp, CodedEnum):
            # orjson writes an enum as its value, which for a CodedEnum is its code: serde's
            # form, without a Python call per member.
            return None
        if isinstance(tp, type) and attrs.has(tp):
            return self.of
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            element = self._converter(args[0])
            if element is None:
                return None  # orjson writes a tuple of scalars as an array, as serde's list
            return lambda values: [element(v) for v in values]
        if origin in (UnionType, typing.Union):
            inner = [a for a in args if a is not NoneType]
            if len(inner) == 1:
                # None stays None (the caller skips it); the other member converts as itself.
                return self._converter(inner[0])
            if all(isinstance(a, type) and a in EVENT_TYPES for a in inner):
                return self.of
        raise _Unknown(f"no plain form for {tp!r}")


def _required(tp: Any) -> bool:
    """Whether ``tp`` excludes None (an ``X | None`` field is converted only when set)."""
    return not (get_origin(tp) in (UnionType, typing.Union) and NoneType in get_args(tp))


# The class of ``attrs.Factory(...)`` defaults (the stubs declare Factory as a function).
_FACTORY: type = type(attrs.Factory(list))


def _default(field: attrs.Attribute[Any]) -> Any:
    """The value a field holds when it is not given."""
    default: Any = field.default
    if isinstance(default, _FACTORY):
        default = cast(Any, default).factory()
    converter: Any = field.converter
    if callable(converter):
        # The value the attribute holds after ``__init__`` (``_tuple`` turns a list into a tuple).
        return converter(default)
    return default


_PLAIN = _Plain()
_NO_EVENTS = frozenset({"events"})


def plain(obj: Any) -> Any:
    """Data whose orjson text is serde's JSON of a model object (``serde.unstructure(obj)``,
    except that enums and tuples of scalars are left for orjson to write, as their codes and
    as arrays), built without cattrs where this module knows the class."""
    return _PLAIN.of(obj)


def plain_function(sample: Any) -> Callable[[Any], Any]:
    """The function `plain` applies to objects of the sample's class (built, if it is the
    first of its class, from the sample): for callers that look it up once per class."""
    return _PLAIN.function(sample)


def plain_head(application: Application) -> dict[str, Any]:
    """`plain` of an application without its ``events`` (which the store keeps as rows)."""
    data: dict[str, Any] = _PLAIN.without(application, _NO_EVENTS)
    return data
