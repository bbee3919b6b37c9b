"""Reading and validating parameter data (TOML files or mappings of the same shape).

Every problem raises `InvalidParameterFile` naming the file (or source) and the key path, so an
agency editing its local parameter file sees exactly which line to fix.
"""

from __future__ import annotations

import keyword
import re
import tomllib
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from govdisclose.errors import InvalidParameterFile
from govdisclose.params._model import Citation, DatedValue, Parameter, ParamValue, Unit

_PARAM_KEYS = frozenset({"description", "unit", "values", "metadata"})
_META_KEYS = frozenset({"reference", "local_policy", "note"})
_REF_KEYS = frozenset({"regulation", "article", "text", "url"})
_VALUE_KEYS = frozenset({"value", "reference", "end"})
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Names a Snapshot uses for its own methods; a parameter may not shadow them.
RESERVED = frozenset(
    {"at", "day", "names", "value", "citation", "get", "working_days", "hours", "flag", "label"}
)


def _fail(origin: str, key: str, zh: str, en: str) -> InvalidParameterFile:
    return InvalidParameterFile(
        f"参数文件 {origin} 中 {key}：{zh}",
        f"parameter file {origin}, key {key}: {en}",
        field=key,
    )


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, turning syntax errors (duplicate keys included) into load errors."""
    origin = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise InvalidParameterFile(
            f"无法读取参数文件 {origin}：{err}", f"cannot read parameter file {origin}: {err}"
        ) from err
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        key = _key_at_error(text, str(err))
        raise _fail(
            origin,
            key,
            f"TOML 语法错误或键重复（同一日期不能出现两次）：{err}",
            f"TOML syntax error or duplicate key (a date may appear only once): {err}",
        ) from err


def _key_at_error(text: str, message: str) -> str:
    # tomllib reports "(at line N, column M)" but not the key; recover the table header and
    # the key on that line so the message names what to fix.
    match = re.search(r"line (\d+)", message)
    if not match:
        return "?"
    lines = text.splitlines()
    lineno = min(int(match.group(1)), len(lines))
    header = ""
    for line in lines[: lineno - 1]:
        stripped = line.strip()
        if stripped.startswith("[") and not stripped.startswith("[["):
            header = stripped.strip("[] ")
    current = lines[lineno - 1].strip() if lines else ""
    if current.startswith("["):
        return current.strip("[] ")
    name = current.split("=", 1)[0].strip().strip('"')
    return f"{header}.{name}" if header and name else header or name or "?"


def parse_parameters(
    raw: Mapping[str, Any], origin: str, *, extending: frozenset[str] = frozenset()
) -> tuple[Parameter, ...]:
    """Validate a parsed parameter document; the parameters it defines, in file order.

    Names in ``extending`` add values to an existing parameter, so their first entry may be an
    end marker.
    """
    params = []
    for name, body in raw.items():
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise _fail(origin, str(name), "参数名须为合法标识符", "not a valid parameter name")
        if name.startswith("_") or name in RESERVED:
            raise _fail(origin, name, "参数名为保留字", "parameter name is reserved")
        if not isinstance(body, Mapping):
            raise _fail(origin, name, "应为表（table）", "must be a table")
        params.append(_parse_parameter(name, body, origin, name in extending))
    return tuple(params)


def _parse_parameter(name: str, body: Mapping[str, Any], origin: str, extending: bool) -> Parameter:
    unknown = sorted(set(body) - _PARAM_KEYS)
    if unknown:
        raise _fail(
            origin,
            f"{name}.{unknown[0]}",
            f"未知的键（允许：{', '.join(sorted(_PARAM_KEYS))}）",
            f"unknown key (allowed: {', '.join(sorted(_PARAM_KEYS))})",
        )
    description = body.get("description")
    if not isinstance(description, str) or not description.strip():
        raise _fail(origin, f"{name}.description", "缺少说明", "description missing or empty")
    unit_code = body.get("unit")
    try:
        unit = Unit(unit_code)
    except ValueError:
        valid = ", ".join(u.value for u in Unit)
        raise _fail(
            origin,
            f"{name}.unit",
            f"未知单位 {unit_code!r}（允许：{valid}）",
            f"unknown unit {unit_code!r} (allowed: {valid})",
        ) from None
    meta = body.get("metadata", {})
    if not isinstance(meta, Mapping):
        raise _fail(origin, f"{name}.metadata", "应为表", "must be a table")
    unknown = sorted(set(meta) - _META_KEYS)
    if unknown:
        raise _fail(origin, f"{name}.metadata.{unknown[0]}", "未知的键", "unknown metadata key")
    default_ref = (
        _parse_reference(meta["reference"], origin, f"{name}.metadata.reference")
        if "reference" in meta
        else None
    )
    local_policy = meta.get("local_policy", False)
    if not isinstance(local_policy, bool):
        raise _fail(origin, f"{name}.metadata.local_policy", "应为布尔值", "must be a boolean")
    note = meta.get("note")
    if note is not None and not isinstance(note, str):
        raise _fail(origin, f"{name}.metadata.note", "应为文字", "must be a string")
    values = parse_values(name, body.get("values"), unit, default_ref, origin, extending)
    return Parameter(
        name=name,
        description=description.strip(),
        unit=unit,
        values=values,
        local_policy=local_policy,
        note=note,
        origin=origin,
    )


def _parse_reference(raw: Any, origin: str, key: str) -> Citation:
    if not isinstance(raw, Mapping):
        raise _fail(origin, key, "应为表（regulation, article, text）", "must be a table")
    unknown = sorted(set(raw) - _REF_KEYS)
    if unknown:
        raise _fail(origin, f"{key}.{unknown[0]}", "未知的键", "unknown reference key")
    for required in ("regulation", "article"):
        if not isinstance(raw.get(required), str) or not raw[required].strip():
            raise _fail(origin, f"{key}.{required}", "缺少或为空", "missing or empty")
    for optional in ("text", "url"):
        if optional in raw and not isinstance(raw[optional], str):
            raise _fail(origin, f"{key}.{optional}", "应为文字", "must be a string")
    return Citation(
        regulation=raw["regulation"],
        article=raw["article"],
        text=raw.get("text", ""),
        url=raw.get("url"),
    )


def _parse_day(raw: Any, origin: str, key: str) -> date:
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return raw
    if isinstance(raw, str) and _ISO_DAY.match(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise _fail(
        origin, key, "生效日期须为 YYYY-MM-DD 格式的有效日期", "effective date must be YYYY-MM-DD"
    )


def parse_values(
    name: str,
    raw: Any,
    unit: Unit,
    default_ref: Citation | None,
    origin: str,
    extending: bool = False,
) -> tuple[DatedValue, ...]:
    """Validate a ``values`` table: ascending distinct dates, valid values, a citation each."""
    key = f"{name}.values"
    if not isinstance(raw, Mapping) or not raw:
        raise _fail(origin, key, "缺少取值（按生效日期）", "values (keyed by date) missing")
    out: list[DatedValue] = []
    for raw_day, entry in raw.items():
        day = _parse_day(raw_day, origin, f"{key}.{raw_day}")
        here = f"{key}.{day.isoformat()}"
        if any(v.since == day for v in out):
            raise _fail(origin, here, "生效日期重复", "duplicate effective date")
        if out and day < out[-1].since:
            raise _fail(
                origin,
                here,
                f"生效日期须按升序排列（前一日期为 {out[-1].since}）",
                f"effective dates must be ascending (previous: {out[-1].since})",
            )
        out.append(_parse_entry(entry, day, unit, default_ref, origin, here))
    if out[0].value is None and not extending:
        raise _fail(origin, key, "第一个取值不能是失效标记", "the first entry cannot end validity")
    return tuple(out)


def _parse_entry(
    entry: Any, day: date, unit: Unit, default_ref: Citation | None, origin: str, here: str
) -> DatedValue:
    citation = default_ref
    if isinstance(entry, Mapping):
        unknown = sorted(set(entry) - _VALUE_KEYS)
        if unknown:
            raise _fail(
                origin,
                f"{here}.{unknown[0]}",
                "未知的键（允许：value, reference, end）",
                "unknown key (allowed: value, reference, end)",
            )
        if "reference" in entry:
            citation = _parse_reference(entry["reference"], origin, f"{here}.reference")
        if entry.get("end", False) is True:
            if "value" in entry:
                raise _fail(origin, here, "失效标记不能同时有取值", "an end marker has no value")
            return DatedValue(since=day, value=None, citation=citation)
        if "end" in entry and entry["end"] is not False:
            raise _fail(origin, f"{here}.end", "应为 true", "must be true")
        if "value" not in entry:
            raise _fail(origin, here, "缺少 value", "value missing")
        value = entry["value"]
    else:
        value = entry
    if citation is None:
        raise _fail(
            origin,
            f"{here}.reference",
            "缺少法律依据（metadata.reference 或本取值的 reference）",
            "no legal reference (metadata.reference or a reference on this value)",
        )
    return DatedValue(since=day, value=check_value(value, unit, origin, here), citation=citation)


def check_value(value: Any, unit: Unit, origin: str, key: str) -> ParamValue:
    """The value if it suits the unit, else a load error saying what the unit needs."""
    if unit in (Unit.WORKING_DAYS, Unit.HOURS):
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        raise _fail(
            origin,
            key,
            f"取值 {value!r} 无效：{unit.value} 须为非负整数",
            f"bad value {value!r}: {unit.value} needs a non-negative integer",
        )
    if unit is Unit.YUAN:
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise _fail(origin, key, f"取值 {value!r} 不是金额", f"bad value {value!r}: not money")
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise _fail(
                origin, key, f"取值 {value!r} 不是金额", f"bad value {value!r}: not money"
            ) from None
        if not amount.is_finite() or amount < 0:
            raise _fail(origin, key, "金额须为非负数", "amount must be non-negative")
        return amount
    if unit is Unit.BOOL:
        if isinstance(value, bool):
            return value
        raise _fail(
            origin, key, f"取值 {value!r} 须为 true/false", f"bad value {value!r}: needs a boolean"
        )
    if isinstance(value, str) and value.strip():
        return value
    raise _fail(
        origin, key, f"取值 {value!r} 须为非空文字", f"bad value {value!r}: needs a non-empty label"
    )


def load_file(path: Path) -> tuple[Parameter, ...]:
    """Read and validate one parameter file."""
    return parse_parameters(read_toml(path), str(path))
