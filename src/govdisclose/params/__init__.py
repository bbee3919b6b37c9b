"""Legal parameters as data: values keyed by the date they take effect, each with its citation.

The law changes on known dates (the 2019 revision of the 条例 took effect on 2019-05-15; the fee
rules of 国办函〔2020〕109号 on 2021-01-01) and local documents add their own limits. Code never
hard-codes these numbers: it asks a `ParameterSet` for a frozen `Snapshot` at the relevant day
(for applications, the receipt date, 条例 2019 第三十一条) and reads ``snap.reply_days``, with
``snap.citation("reply_days")`` saying where the number comes from.

The shipped data live in ``govdisclose/params/data/*.toml``, one file per group (OpenFisca's
layout)::

    [reply_days]
    description = "依申请公开的答复期限"
    unit = "working_days"                      # working_days | hours | yuan | bool | label
    [reply_days.metadata.reference]            # default citation of every value
    regulation = "《中华人民共和国政府信息公开条例》（国务院令第711号）"
    article = "第三十三条"
    text = "……应当自收到申请之日起20个工作日内予以答复……"
    [reply_days.values]                        # ascending effective dates
    2008-05-01 = { value = 15, reference = { regulation = "…", article = "第二十四条" } }
    2019-05-15 = 20
    2030-01-01 = { end = true }                # TOML has no null: this ends validity

Loading validates everything (unknown key, duplicate or unsorted date, bad unit, value of the
wrong kind, value without a citation) and raises `InvalidParameterFile` naming the file and the
key. A loaded set is never changed: `ParameterSet.with_overrides` builds a new one.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeAlias, TypeVar

from attrs import field, frozen

from govdisclose._time import day_arg
from govdisclose.errors import InvalidParameterFile, ParameterNotFound
from govdisclose.params._load import load_file, parse_parameters, read_toml
from govdisclose.params._model import Citation, DatedValue, Parameter, ParamValue, Unit

__all__ = [
    "Citation",
    "DatedValue",
    "ParamValue",
    "Parameter",
    "ParameterSet",
    "ParameterSource",
    "Snapshot",
    "Unit",
]

#: A local parameter source, as returned by the ``govdisclose_parameter_sources`` hook: the path
#: of a TOML file in the shipped format, or a mapping of the same shape, e.g.
#: ``{"inquiry_general_days": {"values": {"2024-01-01": 3}, "metadata": {"reference": {...}}}}``.
#: For a parameter that already exists, ``description`` and ``unit`` may be left out; the
#: source's dated values are merged into the existing ones by date (a value on the same date
#: replaces the shipped one). National limits may only be tightened, never lengthened or ended.
_T = TypeVar("_T", int, bool, str, Decimal)

ParameterSource: TypeAlias = "str | os.PathLike[str] | Mapping[str, Mapping[str, Any]]"


@frozen
class Snapshot:
    """The parameters in force on one day: frozen, read by attribute (``snap.reply_days``).

    A name that is unknown or not in force that day raises `ParameterNotFound` naming both the
    parameter and the day, so a missing 2008 parameter (e.g. ``correction_notice_days`` before
    2019-05-15) is never silently zero.
    """

    day: date
    _entries: Mapping[str, tuple[Parameter, DatedValue]] = field(repr=False)
    _known: frozenset[str] = field(repr=False)

    def __getattr__(self, name: str) -> ParamValue:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.value(name)

    def _entry(self, name: str) -> tuple[Parameter, DatedValue]:
        found = self._entries.get(name)
        if found is not None:
            return found
        if name in self._known:
            raise ParameterNotFound(
                f"参数 {name} 在 {self.day.isoformat()} 不生效（该日尚无此规定或已失效）",
                f"parameter {name} is not in force on {self.day.isoformat()}",
                field=name,
            )
        raise ParameterNotFound(
            f"未知参数 {name}（查询日期 {self.day.isoformat()}）",
            f"unknown parameter {name} (asked for {self.day.isoformat()})",
            field=name,
        )

    @property
    def names(self) -> tuple[str, ...]:
        """The parameters in force on this day, sorted."""
        return tuple(sorted(self._entries))

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def value(self, name: str) -> ParamValue:
        """The value of ``name`` on this day."""
        return self._entry(name)[1].value  # type: ignore[return-value]  # None is never stored

    def get(self, name: str, default: ParamValue | None = None) -> ParamValue | None:
        """The value, or ``default`` if the parameter is not in force on this day."""
        found = self._entries.get(name)
        return default if found is None else found[1].value

    def citation(self, name: str) -> Citation:
        """The provision that sets the value of ``name`` in force on this day."""
        entry = self._entry(name)[1]
        assert entry.citation is not None  # every loaded value carries one (checked on load)
        return entry.citation

    def parameter(self, name: str) -> Parameter:
        """The whole parameter (description, unit, history) behind ``name``."""
        return self._entry(name)[0]

    def since(self, name: str) -> date:
        """The day the value of ``name`` in force on this day took effect."""
        return self._entry(name)[1].since

    def working_days(self, name: str) -> int:
        """A working-day count, typed (raises `ParameterNotFound` for another unit)."""
        return self._typed(name, Unit.WORKING_DAYS, int)

    def hours(self, name: str) -> int:
        """An hour count, typed."""
        return self._typed(name, Unit.HOURS, int)

    def flag(self, name: str) -> bool:
        """A boolean parameter, typed."""
        return self._typed(name, Unit.BOOL, bool)

    def label(self, name: str) -> str:
        """A label parameter, typed."""
        return self._typed(name, Unit.LABEL, str)

    def yuan(self, name: str) -> Decimal:
        """An amount of money, typed."""
        return self._typed(name, Unit.YUAN, Decimal)

    def _typed(self, name: str, unit: Unit, kind: type[_T]) -> _T:
        param, entry = self._entry(name)
        if param.unit is not unit or not isinstance(entry.value, kind):
            raise ParameterNotFound(
                f"参数 {name} 的单位是 {param.unit.value}，不是 {unit.value}",
                f"parameter {name} has unit {param.unit.value}, not {unit.value}",
                field=name,
            )
        return entry.value


@frozen
class ParameterSet:
    """All legal parameters, each with its dated values. Immutable; build variants with
    `with_overrides`.

    ``ParameterSet.default()`` reads the shipped files on first call (never at import).
    """

    _params: Mapping[str, Parameter] = field(repr=False)

    @classmethod
    def default(cls) -> ParameterSet:
        """The shipped national and seed-document parameters (loaded once, then shared)."""
        return _default_set()

    @classmethod
    def from_files(cls, paths: Iterable[str | os.PathLike[str]]) -> ParameterSet:
        """A set from parameter files; the same name in two files is a load error."""
        params: dict[str, Parameter] = {}
        for path in paths:
            for param in load_file(Path(path)):
                if param.name in params:
                    raise InvalidParameterFile(
                        f"参数 {param.name} 在 {params[param.name].origin} 与 {path} 中重复定义",
                        f"parameter {param.name} defined in both {params[param.name].origin} "
                        f"and {path}",
                        field=param.name,
                    )
                params[param.name] = param
        return cls(MappingProxyType(params))

    @property
    def names(self) -> tuple[str, ...]:
        """Every parameter name, sorted."""
        return tuple(sorted(self._params))

    def __iter__(self) -> Iterator[Parameter]:
        return iter(self._params[n] for n in self.names)

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self._params[name]
        except KeyError:
            raise ParameterNotFound(
                f"未知参数 {name}", f"unknown parameter {name}", field=name
            ) from None

    def at(self, day: date) -> Snapshot:
        """The values in force on ``day``.

        For an application, pass its receipt date (条例 2019 第三十一条): the regime follows it.
        """
        if type(day) is not date:
            day = day_arg(day, "day")
        entries = {}
        for name, param in self._params.items():
            entry = param.entry_at(day)
            if entry is not None:
                entries[name] = (param, entry)
        return Snapshot(day, MappingProxyType(entries), frozenset(self._params))

    def with_overrides(self, source: ParameterSource) -> ParameterSet:
        """A new set with a local source merged in by date; this set is left unchanged.

        National (non-local) limits in working days or hours may only be shortened: a local
        document cannot lengthen a statutory period, so a larger value or an end marker for
        such a parameter is a load error.
        """
        if isinstance(source, Mapping):
            raw: Mapping[str, Any] = source
            origin = "<本地参数>"
        else:
            raw = read_toml(Path(source))
            origin = str(source)
        filled: dict[str, Any] = {}
        for name, body in raw.items():
            base = self._params.get(name) if isinstance(name, str) else None
            if base is not None and isinstance(body, Mapping):
                body = {"description": base.description, "unit": base.unit.value, **body}
            filled[name] = body
        merged = dict(self._params)
        extending = frozenset(n for n in filled if n in self._params)
        for param in parse_parameters(filled, origin, extending=extending):
            base = self._params.get(param.name)
            merged[param.name] = param if base is None else _merge(base, param, origin)
        return ParameterSet(MappingProxyType(merged))


def _merge(base: Parameter, local: Parameter, origin: str) -> Parameter:
    if local.unit is not base.unit:
        raise InvalidParameterFile(
            f"参数文件 {origin} 中 {local.name}.unit：单位须与原参数一致（{base.unit.value}）",
            f"parameter file {origin}, key {local.name}.unit: must match {base.unit.value}",
            field=f"{local.name}.unit",
        )
    if not base.local_policy and base.unit in (Unit.WORKING_DAYS, Unit.HOURS):
        for entry in local.values:
            current = base.entry_at(entry.since)
            key = f"{local.name}.values.{entry.since.isoformat()}"
            if entry.value is None or (
                current is not None
                and isinstance(entry.value, int)
                and isinstance(current.value, int)
                and entry.value > current.value
            ):
                limit = "" if current is None else f"（法定为 {current.value}）"
                raise InvalidParameterFile(
                    f"参数文件 {origin} 中 {key}：地方参数不能延长或取消法定期限{limit}",
                    f"parameter file {origin}, key {key}: a local source may not lengthen or "
                    "end a statutory limit",
                    field=key,
                )
    replaced = {v.since for v in local.values}
    values = sorted(
        [v for v in base.values if v.since not in replaced] + list(local.values),
        key=lambda v: v.since,
    )
    return Parameter(
        name=base.name,
        description=local.description,
        unit=base.unit,
        values=tuple(values),
        local_policy=base.local_policy,
        note=local.note or base.note,
        origin=f"{base.origin} + {origin}",
    )


@functools.cache
def _default_set() -> ParameterSet:
    data = resources.files("govdisclose.params") / "data"
    files = sorted(
        (entry for entry in data.iterdir() if entry.name.endswith(".toml")),
        key=lambda entry: entry.name,
    )
    with_paths = []
    for entry in files:
        with resources.as_file(entry) as path:
            with_paths.append(Path(path))
    return ParameterSet.from_files(with_paths)
