"""Cadence rules (新闻发布频次) as data, and which units are behind them on a day.

The rules are local policy and the seeds differ (seed 000 §(一): the government office at least
once a quarter, the listed departments' principal heads at least once a year; seed 002 (十三):
"4·2·1+N"), so they are a data file, ``govdisclose/press/data/cadence.toml`` by default, that an
office replaces (`load_cadence`). Loading validates every key and value and raises
`govdisclose.errors.InvalidParameterFile` (code ``press.cadence_invalid``) naming the file and
the key, as the legal parameters do.

Periods are calendar periods (month, quarter, half-year, year) of Asia/Shanghai dates. A period
ends at the end of its last day: on 31 March the first quarter is still open (a conference that
day counts for it), on 1 April it is over and judged. Only periods that start on or after a
rule's ``since`` are judged.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from attrs import field, frozen

from govdisclose._time import day_arg
from govdisclose.errors import InvalidParameterFile
from govdisclose.model import Agency
from govdisclose.params import Citation
from govdisclose.press._model import AttendeeRole, PressEvent, PressEventKind
from govdisclose.vocab import AgencyKind, CodedEnum

__all__ = [
    "CadenceCount",
    "CadencePeriod",
    "CadenceRule",
    "CadenceRules",
    "CadenceState",
    "CadenceStatus",
    "behind",
    "cadence_status",
    "cadence_year",
    "default_cadence",
    "load_cadence",
]


class CadencePeriod(CodedEnum):
    """The calendar period a cadence rule counts in."""

    MONTH = ("month", "每月")
    QUARTER = ("quarter", "每季度")
    HALF_YEAR = ("half_year", "每半年")
    YEAR = ("year", "每年")

    @property
    def months(self) -> int:
        """How many months one period has."""
        return {"month": 1, "quarter": 3, "half_year": 6, "year": 12}[self.code]

    def bounds(self, day: date) -> tuple[date, date]:
        """The first and last day of the period containing ``day``."""
        n = self.months
        first_month = (day.month - 1) // n * n + 1
        start = date(day.year, first_month, 1)
        return start, self._next_start(start) - timedelta(days=1)

    def previous(self, day: date) -> tuple[date, date]:
        """The period before the one containing ``day``."""
        start, _ = self.bounds(day)
        return self.bounds(start - timedelta(days=1))

    def _next_start(self, start: date) -> date:
        month = start.month - 1 + self.months
        return date(start.year + month // 12, month % 12 + 1, 1)

    def period_label(self, start: date) -> str:
        """The period as a clerk names it (2025年第1季度, 2025年上半年, 2025年)."""
        if self is CadencePeriod.YEAR:
            return f"{start.year}年"
        if self is CadencePeriod.HALF_YEAR:
            return f"{start.year}年{'上' if start.month == 1 else '下'}半年"
        if self is CadencePeriod.QUARTER:
            return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
        return f"{start.year}年{start.month}月"


class CadenceCount(CodedEnum):
    """What a rule counts: events the unit hosted, or events its head attended."""

    HOSTED = ("hosted", "召开")
    ATTENDED = ("attended", "出席")


class CadenceState(CodedEnum):
    """A unit's standing against one rule in one period."""

    MET = ("met", "已达到")
    PENDING = ("pending", "本期尚未达到")
    MISSED = ("missed", "未达到")


_SELECTORS = {"kind:government", "kind:department", "all"}


@frozen
class CadenceRule:
    """One duty: ``units`` hold (or attend) at least ``min_count`` events of ``kinds`` in every
    ``period`` from ``since`` (see the data file's header for each field)."""

    id: str
    description: str
    units: tuple[str, ...]
    period: CadencePeriod
    min_count: int
    counts: CadenceCount
    kinds: tuple[PressEventKind, ...]
    citation: Citation
    since: date
    until: date | None = None
    roles: tuple[AttendeeRole, ...] = ()
    hosted_by: tuple[str, ...] = ()

    def in_force(self, day: date) -> bool:
        """Whether the rule applies on ``day``."""
        return self.since <= day and (self.until is None or day <= self.until)

    def selected(self, agencies: Iterable[Agency]) -> list[str]:
        """The agency codes the rule applies to, in order."""
        return _select(self.units, list(agencies))

    def counted(
        self, unit: str, events: Iterable[PressEvent], agencies: Iterable[Agency]
    ) -> list[PressEvent]:
        """The events that count for ``unit`` under this rule (any date)."""
        roles = frozenset(self.roles) or None
        kinds = frozenset(self.kinds)
        hosts = set(_select(self.hosted_by, list(agencies))) if self.hosted_by else None
        out = []
        for ev in events:
            if ev.kind not in kinds:
                continue
            if self.counts is CadenceCount.HOSTED:
                ok = ev.agency == unit and (roles is None or ev.attended_by(unit, roles))
            else:
                ok = ev.attended_by(unit, roles) and (hosts is None or ev.agency in hosts)
            if ok:
                out.append(ev)
        return out


def _select(selectors: Iterable[str], agencies: list[Agency]) -> list[str]:
    out: dict[str, None] = {}
    for sel in selectors:
        if sel == "all":
            out.update(dict.fromkeys(a.code for a in agencies))
        elif sel == "kind:government":
            out.update(dict.fromkeys(a.code for a in agencies if a.kind is AgencyKind.GOVERNMENT))
        elif sel == "kind:department":
            out.update(dict.fromkeys(a.code for a in agencies if a.kind is AgencyKind.DEPARTMENT))
        else:
            out[sel] = None
    return list(out)


@frozen
class CadenceRules:
    """A loaded set of cadence rules and where it came from."""

    rules: tuple[CadenceRule, ...]
    origin: str = field(default="", eq=False)

    def __iter__(self) -> Any:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def rule(self, rule_id: str) -> CadenceRule:
        """The rule with that id (`KeyError` otherwise)."""
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


def _short(citation: Citation) -> str:
    found = re.findall(r"[\u4e00-\u9fff]+〔\d{4}〕\d+号", citation.regulation)
    return f"{found[-1] if found else citation.regulation} {citation.article}"


@frozen
class CadenceStatus:
    """One unit against one rule in one period: how many counted, how many were required."""

    rule_id: str
    unit: str
    period: CadencePeriod
    start: date
    end: date
    required: int
    count: int
    event_ids: tuple[str, ...]
    state: CadenceState
    citation: Citation

    @property
    def period_name(self) -> str:
        """The period as a clerk names it."""
        return self.period.period_label(self.start)

    def describe(self) -> str:
        """One line of Chinese."""
        return (
            f"{self.unit} {self.period_name}（{self.start}至{self.end}）{self.rule_id}："
            f"{self.count}/{self.required} {self.state.label}（{_short(self.citation)}）"
        )


def cadence_status(
    rules: CadenceRules | Iterable[CadenceRule],
    events: Iterable[PressEvent],
    agencies: Iterable[Agency],
    as_of: date,
) -> tuple[CadenceStatus, ...]:
    """For every rule in force on ``as_of`` and every unit it selects: the last period that has
    ended (``MET`` or ``MISSED``) and the current one (``MET`` or ``PENDING``). A period is
    judged only if it starts on or after the rule's ``since``; events after ``as_of`` are not
    counted (they had not happened yet)."""
    as_of = day_arg(as_of, "as_of")
    agency_list = list(agencies)
    known = [ev for ev in events if ev.held_on <= as_of]
    out: list[CadenceStatus] = []
    for rule in rules:
        if not rule.in_force(as_of):
            continue
        current = rule.period.bounds(as_of)
        previous = rule.period.previous(as_of)
        for unit in rule.selected(agency_list):
            counted = rule.counted(unit, known, agency_list)
            for (start, end), ended in ((previous, True), (current, False)):
                if start < rule.since:
                    continue
                ids = tuple(sorted(ev.id for ev in counted if start <= ev.held_on <= end))
                if len(ids) >= rule.min_count:
                    state = CadenceState.MET
                else:
                    state = CadenceState.MISSED if ended else CadenceState.PENDING
                out.append(
                    CadenceStatus(
                        rule.id,
                        unit,
                        rule.period,
                        start,
                        end,
                        rule.min_count,
                        len(ids),
                        ids,
                        state,
                        rule.citation,
                    )
                )
    return tuple(out)


def cadence_year(
    rules: CadenceRules | Iterable[CadenceRule],
    events: Iterable[PressEvent],
    agencies: Iterable[Agency],
    year: int,
    *,
    as_of: date | None = None,
) -> tuple[CadenceStatus, ...]:
    """Every period of ``year`` for every rule and unit (for the year's review or the annual
    assessment): periods that have ended before ``as_of`` (default: 1 January of the next
    year, when every period of ``year`` has ended) are ``MET`` or ``MISSED``, the others ``MET``
    or ``PENDING``; events after ``as_of`` are not counted. Periods starting before a rule's
    ``since``, or after its ``until``, are left out."""
    as_of = date(year + 1, 1, 1) if as_of is None else day_arg(as_of, "as_of")
    agency_list = list(agencies)
    known = [ev for ev in events if ev.held_on <= as_of]
    out: list[CadenceStatus] = []
    for rule in rules:
        starts = []
        day = date(year, 1, 1)
        while day.year == year:
            start, end = rule.period.bounds(day)
            starts.append((start, end))
            day = end + timedelta(days=1)
        for unit in rule.selected(agency_list):
            counted = rule.counted(unit, known, agency_list)
            for start, end in starts:
                if start < rule.since or (rule.until is not None and start > rule.until):
                    continue
                ids = tuple(sorted(ev.id for ev in counted if start <= ev.held_on <= end))
                if len(ids) >= rule.min_count:
                    state = CadenceState.MET
                else:
                    state = CadenceState.MISSED if end < as_of else CadenceState.PENDING
                out.append(
                    CadenceStatus(
                        rule.id,
                        unit,
                        rule.period,
                        start,
                        end,
                        rule.min_count,
                        len(ids),
                        ids,
                        state,
                        rule.citation,
                    )
                )
    return tuple(out)


def behind(
    rules: CadenceRules | Iterable[CadenceRule],
    events: Iterable[PressEvent],
    agencies: Iterable[Agency],
    as_of: date,
    *,
    include_pending: bool = False,
) -> tuple[CadenceStatus, ...]:
    """The units behind their cadence on ``as_of``: those that held (or attended) fewer than
    required in the last period that has ended; with ``include_pending`` also those that have
    not yet done so in the current period. Ordered by rule, then unit."""
    wanted = {CadenceState.MISSED} | ({CadenceState.PENDING} if include_pending else set())
    return tuple(s for s in cadence_status(rules, events, agencies, as_of) if s.state in wanted)


# -- loading -------------------------------------------------------------------------------------

_RULE_KEYS = {
    "id",
    "description",
    "units",
    "period",
    "min_count",
    "counts",
    "kinds",
    "roles",
    "hosted_by",
    "since",
    "until",
    "reference",
}
_REQUIRED = ("id", "description", "units", "period", "min_count", "counts", "kinds", "since")
_REF_KEYS = {"regulation", "article", "text", "url"}


def _fail(origin: str, key: str, zh: str, en: str) -> InvalidParameterFile:
    return InvalidParameterFile(
        f"新闻发布频次文件 {origin} 中 {key}：{zh}",
        f"press cadence file {origin}, key {key}: {en}",
        field=key,
        code="press.cadence_invalid",
    )


def _text(origin: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(origin, key, "应为非空文字", "must be a non-empty string")
    return value


def _texts(origin: str, key: str, value: Any, *, allow_empty: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list) or (not value and not allow_empty):
        raise _fail(origin, key, "应为非空的文字列表", "must be a non-empty list of strings")
    items = tuple(_text(origin, f"{key}[{i}]", v) for i, v in enumerate(value))
    if len(set(items)) != len(items):
        raise _fail(origin, key, "有重复项", "has duplicates")
    return items


def _codes(origin: str, key: str, value: Any, enum: type[Any], *, allow_empty: bool) -> Any:
    out = []
    for i, code in enumerate(_texts(origin, key, value, allow_empty=allow_empty)):
        member = enum._value2member_map_.get(code)
        if member is None:
            valid = ", ".join(m.code for m in enum)
            raise _fail(
                origin,
                f"{key}[{i}]",
                f"未知代码 {code!r}，应为：{valid}",
                f"unknown code {code!r}; expected one of: {valid}",
            )
        out.append(member)
    return tuple(out)


def _one(origin: str, key: str, value: Any, enum: type[Any]) -> Any:
    return _codes(origin, key, [value], enum, allow_empty=False)[0]


def _day(origin: str, key: str, value: Any) -> date:
    if type(value) is not date:
        raise _fail(origin, key, "应为日期（如 2014-09-01，不加引号）", "must be a bare TOML date")
    return value


def _rule(origin: str, i: int, raw: Any) -> CadenceRule:
    at = f"rule[{i}]"
    if not isinstance(raw, Mapping):
        raise _fail(origin, at, "应为表（[[rule]]）", "must be a table ([[rule]])")
    unknown = sorted(set(raw) - _RULE_KEYS)
    if unknown:
        raise _fail(
            origin,
            f"{at}.{unknown[0]}",
            f"未知的键（允许：{', '.join(sorted(_RULE_KEYS))}）",
            f"unknown key (allowed: {', '.join(sorted(_RULE_KEYS))})",
        )
    for key in _REQUIRED:
        if key not in raw:
            raise _fail(origin, f"{at}.{key}", "缺少此项", "is missing")
    units = _texts(origin, f"{at}.units", raw["units"])
    for j, unit in enumerate(units):
        if unit.startswith("kind:") and unit not in _SELECTORS:
            raise _fail(
                origin,
                f"{at}.units[{j}]",
                f"未知的选择器 {unit!r}，应为：{', '.join(sorted(_SELECTORS))} 或机关代码",
                f"unknown selector {unit!r}; expected {', '.join(sorted(_SELECTORS))} or an "
                "agency code",
            )
    min_count = raw["min_count"]
    if type(min_count) is not int or not 1 <= min_count <= 1000:
        raise _fail(origin, f"{at}.min_count", "应为 1 至 1000 的整数", "must be an int 1-1000")
    counts = _one(origin, f"{at}.counts", raw["counts"], CadenceCount)
    roles = _codes(origin, f"{at}.roles", raw.get("roles", []), AttendeeRole, allow_empty=True)
    if counts is CadenceCount.ATTENDED and not roles:
        raise _fail(
            origin,
            f"{at}.roles",
            'counts = "attended" 须列出出席人的职务',
            'counts = "attended" needs the roles whose attendance counts',
        )
    hosted_by = _texts(origin, f"{at}.hosted_by", raw.get("hosted_by", []), allow_empty=True)
    if hosted_by and counts is not CadenceCount.ATTENDED:
        raise _fail(
            origin,
            f"{at}.hosted_by",
            '只有 counts = "attended" 的规则可限定主办单位',
            'only a counts = "attended" rule may restrict the host',
        )
    since = _day(origin, f"{at}.since", raw["since"])
    until = None if "until" not in raw else _day(origin, f"{at}.until", raw["until"])
    if until is not None and until < since:
        raise _fail(origin, f"{at}.until", "不能早于 since", "is before since")
    ref = raw.get("reference")
    if not isinstance(ref, Mapping):
        raise _fail(origin, f"{at}.reference", "每条规则须注明出处", "every rule needs a reference")
    bad = sorted(set(ref) - _REF_KEYS)
    if bad:
        raise _fail(origin, f"{at}.reference.{bad[0]}", "未知的键", "unknown key")
    citation = Citation(
        regulation=_text(origin, f"{at}.reference.regulation", ref.get("regulation")),
        article=_text(origin, f"{at}.reference.article", ref.get("article")),
        text=str(ref.get("text", "")),
        url=None if ref.get("url") is None else _text(origin, f"{at}.reference.url", ref["url"]),
    )
    return CadenceRule(
        id=_text(origin, f"{at}.id", raw["id"]),
        description=_text(origin, f"{at}.description", raw["description"]),
        units=units,
        period=_one(origin, f"{at}.period", raw["period"], CadencePeriod),
        min_count=min_count,
        counts=counts,
        kinds=_codes(origin, f"{at}.kinds", raw["kinds"], PressEventKind, allow_empty=False),
        citation=citation,
        since=since,
        until=until,
        roles=roles,
        hosted_by=hosted_by,
    )


def load_cadence(source: str | os.PathLike[str] | Mapping[str, Any]) -> CadenceRules:
    """Cadence rules from a TOML file (a path), TOML text (a ``str`` containing ``[[rule]]``)
    or an already parsed mapping ``{"rule": [...]}``.

    :raises InvalidParameterFile: code ``press.cadence_invalid``, naming the file and the key.
    """
    if isinstance(source, Mapping):
        raw: Mapping[str, Any] = source
        origin = "<mapping>"
    elif isinstance(source, str) and "[[rule]]" in source:
        origin = "<text>"
        raw = _parse(source, origin)
    else:
        path = Path(source)
        origin = str(path)
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise _fail(origin, "<file>", f"无法读取：{err}", f"cannot be read: {err}") from err
        raw = _parse(text, origin)
    extra = sorted(set(raw) - {"rule"})
    if extra:
        raise _fail(origin, extra[0], "未知的键（只允许 [[rule]]）", "unknown key (only [[rule]])")
    rules_raw = raw.get("rule")
    if not isinstance(rules_raw, list) or not rules_raw:
        raise _fail(origin, "rule", "至少须有一条 [[rule]]", "needs at least one [[rule]]")
    rules = tuple(_rule(origin, i, r) for i, r in enumerate(rules_raw))
    ids = [r.id for r in rules]
    for i, rid in enumerate(ids):
        if rid in ids[:i]:
            raise _fail(origin, f"rule[{i}].id", f"规则编号 {rid} 重复", f"duplicate rule id {rid}")
    return CadenceRules(rules, origin)


def _parse(text: str, origin: str) -> Mapping[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise _fail(origin, "<toml>", f"TOML 语法错误：{err}", f"TOML syntax error: {err}") from err


@functools.cache
def default_cadence() -> CadenceRules:
    """The shipped rules (seed 000), loaded on first call, never at import."""
    entry = resources.files("govdisclose.press") / "data" / "cadence.toml"
    with resources.as_file(entry) as path:
        return load_cadence(Path(path))
