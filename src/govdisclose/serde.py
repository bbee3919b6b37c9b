"""Serialization at the edge: the one cattrs converter configuration.

* dates as ISO ``YYYY-MM-DD``; datetimes as ISO 8601 with their UTC offset (naive ones refused);
* enums by their stable code; `decimal.Decimal` as a string of plain ASCII digits (``"1700.00"``:
  fees must not go through float), read back only in that form (no exponent, ``_`` separators,
  full-width digits, NaN or Infinity, which Python's `~decimal.Decimal` would all accept);
* application events as a tagged union, the tag being the event's ``kind`` code;
* strict scalars: ``"5"`` is not an int, ``"false"`` is not a bool, ``5`` is not a str;
* unknown keys are refused, so a misspelt field in an import does not vanish silently;
* JSON text (`loads`) is read strictly: a key given twice in one object, the ``NaN`` and
  ``Infinity`` literals, numbers out of range and nesting deeper than `MAX_DEPTH` levels are
  refused before any model object is built.

Bad input raises `govdisclose.errors.DeserializationError` whose ``errors`` lists every problem
as ``(path, message)`` with paths like ``$.events[3].on``.

There is no module-level converter: `make_converter` builds a fresh one (configure your own on
top of it); `structure` / `unstructure` / `dumps` / `loads` use a private one built on first use.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.errors import (
    BaseValidationError,
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from govdisclose.errors import DeserializationError, GovDiscloseError, ValidationError
from govdisclose.model import EVENT_TYPES, Event
from govdisclose.vocab import CodedEnum

__all__ = [
    "EVENT_TAG",
    "MAX_DEPTH",
    "configure_converter",
    "dumps",
    "loads",
    "make_converter",
    "register_tagged_events",
    "structure",
    "structure_event",
    "unstructure",
]

T = TypeVar("T")

#: The key that names an event's kind in its JSON object.
EVENT_TAG = "kind"

#: The deepest nesting of arrays and objects `loads` reads (the model needs about five levels).
MAX_DEPTH = 64

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# A plain decimal in ASCII digits, of bounded length: [0-9] (not \d, which also matches
# full-width and other Unicode digits) with no exponent, sign "+", separators or spaces.
_PLAIN_DECIMAL = re.compile(r"-?[0-9]{1,40}(?:\.[0-9]{1,40})?")

# The longest number literal `loads` accepts; longer ones would be slow to convert and are out
# of range for every model field anyway.
_MAX_NUMBER_CHARS = 100


class _BadValue(ValueError):
    """A scalar of the wrong shape; its message is shown to the caller as is."""


def _structure_date(value: Any, _: type) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise _BadValue(f"expected an ISO date YYYY-MM-DD, got {_short(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _BadValue(f"{_short(value)} is not a valid calendar date") from None


def _structure_datetime(value: Any, _: type) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise _BadValue(f"expected an ISO 8601 datetime, got {_short(value)}") from None
    else:
        raise _BadValue(f"expected an ISO 8601 datetime string, got {type(value).__name__}")
    if parsed.tzinfo is None:
        raise _BadValue(
            f"datetime {_short(value)} has no UTC offset; use e.g. +08:00 (Asia/Shanghai)"
        )
    return parsed


def _structure_decimal(value: Any, _: type) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise _BadValue(f"expected a decimal number as a string, got {type(value).__name__}")
    if isinstance(value, str):
        if not _PLAIN_DECIMAL.fullmatch(value):
            raise _BadValue(
                f"{_short(value)} is not a plain decimal number: ASCII digits with an optional "
                "'-' and fraction, like \"1700.00\" (no exponent, '+', separators or spaces)"
            )
        return Decimal(value)
    if isinstance(value, int):
        return Decimal(value)
    if not value.is_finite():
        raise _BadValue(f"{value!r} is not a finite decimal number")
    return value


def _unstructure_decimal(value: Decimal) -> str:
    # Plain digits, never "1E+3": the form _structure_decimal reads. (The model bounds amounts,
    # so the text stays short.)
    return format(value, "f")


def _short(value: Any, limit: int = 60) -> str:
    # What an error message shows of a value: a 1 MB string is not repeated in it, and an int of
    # more than 4300 digits, which repr refuses, does not turn the error into a ValueError.
    try:
        text = repr(value)
    except (ValueError, RecursionError):
        return f"<{type(value).__name__} too long or too deep to show>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _strict(kind: type) -> Callable[[Any, type], Any]:
    def hook(value: Any, _: type) -> Any:
        if type(value) is not kind:
            raise _BadValue(f"expected {kind.__name__}, got {type(value).__name__} {_short(value)}")
        return value

    return hook


def _is_coded_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, CodedEnum)


def _structure_enum(value: Any, tp: type[CodedEnum]) -> CodedEnum:
    if not isinstance(value, str):
        raise _BadValue(f"expected a {tp.__name__} code string, got {type(value).__name__}")
    return tp.from_code(value)


def configure_converter(converter: cattrs.Converter) -> None:
    """Install govdisclose's hooks on an existing converter (for hosts that own one)."""
    converter.register_structure_hook(date, _structure_date)
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_structure_hook(datetime, _structure_datetime)
    converter.register_unstructure_hook(datetime, datetime.isoformat)
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_unstructure_hook(Decimal, _unstructure_decimal)
    for kind in (str, int, bool):
        converter.register_structure_hook(kind, _strict(kind))
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook_func(_is_coded_enum, _structure_enum)
    converter.register_unstructure_hook_func(_is_coded_enum, lambda member: member.code)
    _configure_shapes(converter)
    _configure_events(converter)


def _is_model_class(tp: Any) -> bool:
    return isinstance(tp, type) and attrs.has(tp) and tp.__module__ == "govdisclose.model"


def _is_homogeneous_tuple(tp: Any) -> bool:
    args = get_args(tp)
    return get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def _configure_shapes(converter: cattrs.Converter) -> None:
    # cattrs would iterate a string into characters ("教育" -> ("教", "育")) and fail with a raw
    # AttributeError on a string where an object belongs: check the JSON shape first.
    def object_factory(cls: type) -> Callable[[Any, type], Any]:
        inner: Callable[[Any, type], Any] = make_dict_structure_fn(cls, converter)

        def hook(value: Any, _: type) -> Any:
            if not isinstance(value, dict):
                raise _BadValue(
                    f"expected an object for {cls.__name__}, got {type(value).__name__}"
                )
            return inner(value, cls)

        return hook

    def array_factory(tp: type) -> Callable[[Any, type], Any]:
        inner = homogenous_tuple_structure_factory(tp, converter)

        def hook(value: Any, _: type) -> Any:
            if not isinstance(value, list | tuple):
                raise _BadValue(f"expected an array, got {type(value).__name__}")
            return inner(value, tp)

        return hook

    converter.register_structure_hook_factory(_is_model_class, object_factory)
    converter.register_structure_hook_factory(_is_homogeneous_tuple, array_factory)


def _configure_events(converter: cattrs.Converter) -> None:
    # Every event carries its tag, alone or inside an application, so a single event written to
    # a message queue or an audit log reads back as the right class.
    by_kind = {cls.kind: cls for cls in EVENT_TYPES}
    kinds = ", ".join(by_kind)

    def structure_event(value: Any, _: Any) -> Event:
        if not isinstance(value, dict):
            raise _BadValue(f"expected an event object, got {type(value).__name__}")
        tag = value.get(EVENT_TAG)
        cls = by_kind.get(tag) if isinstance(tag, str) else None
        if cls is None:
            raise _BadValue(f"unknown event {EVENT_TAG} {tag!r}; expected one of: {kinds}")
        event: Event = converter.structure(value, cls)
        return event

    for cls in EVENT_TYPES:
        _configure_event_class(converter, cls)
    converter.register_structure_hook(Event, structure_event)
    converter.register_unstructure_hook(Event, lambda event: converter.unstructure(event))


def _configure_event_class(converter: cattrs.Converter, cls: type[Event]) -> None:
    kind = cls.kind
    # Generated on first use, as cattrs does for its own classes, so that hooks a host registers
    # after make_converter() (say, a date format) still apply.
    generated: dict[str, Any] = {}

    def plain_structure(value: Any, tp: Any) -> Any:
        if "s" not in generated:
            generated["s"] = make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True)
        return generated["s"](value, tp)

    def plain_unstructure(event: Event) -> dict[str, Any]:
        if "u" not in generated:
            # No attachments is the common case: leave the key out, so events written before
            # attachments existed and events without any have the same shape.
            generated["u"] = make_dict_unstructure_fn(
                cls, converter, attachments=override(omit_if_default=True)
            )
        data: dict[str, Any] = generated["u"](event)
        return data

    def structure(value: Any, _: Any) -> Event:
        if not isinstance(value, dict):
            # Without this, cattrs fails on value.keys() with a raw AttributeError.
            raise _BadValue(f"expected an object for {cls.__name__}, got {type(value).__name__}")
        if EVENT_TAG in value:
            if value[EVENT_TAG] != kind:
                raise _BadValue(f"event {EVENT_TAG} {value[EVENT_TAG]!r} is not {kind!r}")
            value = {k: v for k, v in value.items() if k != EVENT_TAG}
        event: Event = plain_structure(value, cls)
        return event

    def unstructure(event: Event) -> dict[str, Any]:
        return {EVENT_TAG: kind, **plain_unstructure(event)}

    converter.register_structure_hook(cls, structure)
    converter.register_unstructure_hook(cls, unstructure)


def register_tagged_events(
    converter: cattrs.Converter,
    base: Any,
    types: Sequence[type[Any]],
    *,
    what_zh: str,
    what_en: str,
) -> None:
    """Teach ``converter`` a family of events tagged with ``kind`` (`EVENT_TAG`): each class of
    ``types`` (with a ``kind`` class attribute) reads and writes its tag, and ``base`` (their
    union or base class) reads any of them by its tag. Used by the other event histories
    (inquiries, opinion cases) as `make_converter` does it for the application events.

    ``what_zh``/``what_en`` name the family in the error for an unknown tag (查询事件 /
    inquiry event). A wrong or unknown tag is a `ValidationError` ``serde.invalid_input``.
    """
    by_kind = {cls.kind: cls for cls in types}

    def tagged(cls: type[Any]) -> None:
        structure = make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True)
        unstructure = make_dict_unstructure_fn(cls, converter)

        def load(value: Any, _: Any) -> Any:
            if not isinstance(value, dict) or value.get(EVENT_TAG) != cls.kind:
                raise ValidationError(
                    f"应为“{cls.kind}”事件",
                    f"expected a {cls.kind!r} event",
                    field=EVENT_TAG,
                    code="serde.invalid_input",
                )
            return structure({k: v for k, v in value.items() if k != EVENT_TAG}, cls)

        converter.register_structure_hook(cls, load)
        converter.register_unstructure_hook(
            cls, lambda ev: {EVENT_TAG: cls.kind, **unstructure(ev)}
        )

    for cls in types:
        tagged(cls)

    def load_event(value: Any, _: Any) -> Any:
        tag = value.get(EVENT_TAG) if isinstance(value, dict) else None
        cls = by_kind.get(tag) if isinstance(tag, str) else None
        if cls is None:
            known = ", ".join(by_kind)
            raise ValidationError(
                f"未知的{what_zh}类型 {tag!r}；应为：{known}",
                f"unknown {what_en} {EVENT_TAG} {tag!r}; expected one of: {known}",
                field=EVENT_TAG,
                code="serde.invalid_input",
            )
        return converter.structure(value, cls)

    converter.register_structure_hook(base, load_event)
    converter.register_unstructure_hook(base, converter.unstructure)


def structure_event(data: Any, *, converter: cattrs.Converter | None = None) -> Event:
    """An application event of any kind from plain data tagged with ``kind``."""
    event: Event = structure(data, Event, converter=converter)  # type: ignore[arg-type]
    return event


def _structure_float(value: Any, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _BadValue(f"expected a number, got {type(value).__name__} {_short(value)}")
    return float(value)


def make_converter() -> cattrs.Converter:
    """A fresh converter configured for every govdisclose model class."""
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    configure_converter(converter)
    return converter


@functools.cache
def _default() -> cattrs.Converter:
    return make_converter()


def _format(exc: BaseException) -> str:
    if isinstance(exc, GovDiscloseError):
        return exc.message_en
    if isinstance(exc, _BadValue):
        return str(exc)
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return f"unknown field(s): {', '.join(sorted(exc.extra_fields))}"
    return cattrs.v.format_exception(exc, None)


def _zh(message: str) -> str:
    if message == "required field missing":
        return "缺少必填字段"
    if message.startswith("unknown field"):
        return "含有未知字段：" + message.split(": ", 1)[-1]
    return "数据格式错误：" + message


def _problems(exc: BaseException, path: str) -> list[tuple[str, str]]:
    # cattrs.transform_error, extended so that a model validator's own field joins the path.
    if isinstance(exc, IterableValidationError | ClassValidationError):
        found: list[tuple[str, str]] = []
        with_notes, without = exc.group_exceptions()
        for inner, note in with_notes:
            step = (
                f"[{note.index!r}]" if isinstance(note, IterableValidationNote) else f".{note.name}"
            )
            found.extend(_problems(inner, path + step))
        for inner in without:
            found.extend(_problems(inner, path))
        return found
    if isinstance(exc, GovDiscloseError) and exc.field:
        return [(f"{path}.{exc.field}", exc.message_en)]
    return [(path, _format(exc))]


def structure(data: Any, cls: type[T], *, converter: cattrs.Converter | None = None) -> T:
    """Build a model object of type ``cls`` from plain data, or raise `DeserializationError`."""
    conv = converter or _default()
    try:
        return conv.structure(data, cls)
    except (BaseValidationError, GovDiscloseError, _BadValue) as exc:
        problems = _problems(exc, "$")
    except RecursionError:
        raise _too_deep_error() from None
    first_path, first_msg = problems[0]
    more = f"（另有 {len(problems) - 1} 处）" if len(problems) > 1 else ""
    more_en = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    raise DeserializationError(
        f"无法读取 {cls.__name__}：{first_path} {_zh(first_msg)}{more}",
        f"cannot read {cls.__name__}: {first_msg} @ {first_path}{more_en}",
        field=first_path,
        errors=problems,
    )


def unstructure(obj: Any, *, converter: cattrs.Converter | None = None) -> Any:
    """Plain data (dicts, lists, strings, numbers) for a model object."""
    return (converter or _default()).unstructure(obj)


def dumps(obj: Any, *, converter: cattrs.Converter | None = None, indent: int | None = None) -> str:
    """JSON text for a model object; Chinese stays readable (no ``\\u`` escapes)."""
    return json.dumps(unstructure(obj, converter=converter), ensure_ascii=False, indent=indent)


def loads(text: str | bytes, cls: type[T], *, converter: cattrs.Converter | None = None) -> T:
    """A model object of type ``cls`` from JSON text, or `DeserializationError`.

    The text is read strictly (see the module docstring): duplicate keys, ``NaN``/``Infinity``,
    numbers out of range and nesting deeper than `MAX_DEPTH` are refused with the JSON path.
    """
    return structure(_parse_json(text), cls, converter=converter)


class _Refused:
    """Stands in the parsed data for a JSON value `loads` refuses, until its path is known."""

    __slots__ = ("code", "message_en", "message_zh")

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en


class _Duplicated(dict[str, Any]):
    """A JSON object that gave one or more keys twice (the keys are kept to be reported)."""

    __slots__ = ("keys_given_twice",)

    keys_given_twice: list[str]


def _parse_json(text: str | bytes) -> Any:
    try:
        if isinstance(text, bytes | bytearray):
            # What json.loads does with bytes, done here so the depth check sees the text.
            text = bytes(text).decode(json.detect_encoding(text), "surrogatepass")
        if _too_deep(text):
            raise _too_deep_error()
        flagged: list[bool] = []
        data = json.loads(
            text,
            object_pairs_hook=functools.partial(_object, flagged),
            parse_constant=functools.partial(_constant, flagged),
            parse_int=functools.partial(_int, flagged),
            parse_float=functools.partial(_float, flagged),
        )
    except json.JSONDecodeError as exc:
        raise DeserializationError(
            f"不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列 {exc.msg}",
            f"not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}",
            field="$",
            errors=[("$", exc.msg)],
        ) from None
    except UnicodeDecodeError as exc:
        raise DeserializationError(
            f"不是有效的 JSON：第 {exc.start} 字节不是 UTF-8 编码",
            f"not valid JSON: byte {exc.start} is not UTF-8 ({exc.reason})",
            field="$",
            errors=[("$", exc.reason)],
        ) from None
    except RecursionError:
        # The depth check above should have caught it; the parser's own limit is the backstop.
        raise _too_deep_error() from None
    if flagged:
        _report_refused(data)
    return data


def _object(flagged: list[bool], pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    flagged.append(True)
    seen: set[str] = set()
    marked = _Duplicated(obj)
    marked.keys_given_twice = []
    for key, _ in pairs:
        if key in seen and key not in marked.keys_given_twice:
            marked.keys_given_twice.append(key)
        seen.add(key)
    return marked


def _constant(flagged: list[bool], name: str) -> _Refused:
    flagged.append(True)
    return _Refused(
        "serde.bad_number",
        f'{name} 不是 JSON 数字；金额请写成字符串，如 "12.50"',
        f'{name} is not a JSON number; write amounts as strings like "12.50"',
    )


def _int(flagged: list[bool], literal: str) -> int | _Refused:
    if len(literal) <= _MAX_NUMBER_CHARS:
        return int(literal)
    flagged.append(True)
    return _too_long_number(literal)


def _float(flagged: list[bool], literal: str) -> float | _Refused:
    value = float(literal) if len(literal) <= _MAX_NUMBER_CHARS else None
    if value is not None and math.isfinite(value):
        return value
    flagged.append(True)
    if value is None:
        return _too_long_number(literal)
    return _Refused(
        "serde.bad_number",
        f"数字 {literal} 超出范围",
        f"number {literal} is out of range (it would read as {value})",
    )


def _too_long_number(literal: str) -> _Refused:
    return _Refused(
        "serde.bad_number",
        f"数字过长（{len(literal)} 位，最多 {_MAX_NUMBER_CHARS} 位）",
        f"number too long ({len(literal)} characters, at most {_MAX_NUMBER_CHARS})",
    )


# Strings (whose brackets do not count) and everything that is not a bracket.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_EMPTY_PAIR = re.compile(r"\[\]|\{\}")


def _too_deep(text: str) -> bool:
    """Whether arrays and objects nest deeper than MAX_DEPTH, checked before json recurses."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    # Each pass removes the innermost level: every empty [] and {} (C-speed, a pass per level).
    for _ in range(MAX_DEPTH):
        brackets, removed = _EMPTY_PAIR.subn("", brackets)
        if not removed:
            # Done (empty), or mismatched brackets, which the parser reports with a position.
            return False
    return bool(brackets) and _EMPTY_PAIR.search(brackets) is not None


def _too_deep_error() -> DeserializationError:
    return DeserializationError(
        f"JSON 嵌套超过 {MAX_DEPTH} 层",
        f"JSON nested deeper than {MAX_DEPTH} levels",
        field="$",
        code="serde.too_deep",
        errors=[("$", f"nested deeper than {MAX_DEPTH} levels")],
    )


def _report_refused(data: Any) -> None:
    """Raise for the values the parser flagged, each at its JSON path, in document order."""
    problems: list[tuple[str, str]] = []
    first: tuple[str, str, str] | None = None  # path, code, Chinese message
    stack: list[tuple[Any, str]] = [(data, "$")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, _Refused):
            problems.append((path, value.message_en))
            first = first or (path, value.code, value.message_zh)
        elif isinstance(value, dict):
            if isinstance(value, _Duplicated):
                for key in value.keys_given_twice:
                    problems.append((f"{path}.{key}", f"key {key!r} given twice in one object"))
                    first = first or (f"{path}.{key}", "serde.duplicate_key", f"键 “{key}” 重复")
            stack.extend((v, f"{path}.{k}") for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]") for i, v in reversed(list(enumerate(value))))
    assert first is not None
    path, code, message_zh = first
    more = f"（另有 {len(problems) - 1} 处）" if len(problems) > 1 else ""
    more_en = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    zh = f"JSON 不可读取：{path} {message_zh}{more}"
    en = f"JSON refused: {problems[0][1]} @ {path}{more_en}"
    # The codes are spelt out at the raise, where the generated code table finds them.
    if code == "serde.duplicate_key":
        raise DeserializationError(zh, en, field=path, code="serde.duplicate_key", errors=problems)
    raise DeserializationError(zh, en, field=path, code="serde.bad_number", errors=problems)
