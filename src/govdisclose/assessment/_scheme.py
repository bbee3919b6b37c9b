"""The assessing office's scheme (考核方案) as a plain TOML file, validated as a whole.

TOML because it is in the standard library (`tomllib`) and a clerk can edit it in Notepad; YAML
would need a dependency for no gain. Every problem is reported at once, each naming its key
(``indicators.reply_on_time.weight``), so the office fixes the file in one pass:

.. code-block:: toml

    [scheme]
    title = "某县政务公开工作考核方案"
    office = "county"          # the assessing office (an agency code)
    period = "half"            # month, quarter, half or year
    total = 100
    agencies = ["county-edu", "county-health"]   # or "children": every agency under the office
    unscored = "rescale"       # an indicator not scored: rescale the total (按比例折算) or "full"

    [indicators.reply_on_time]
    weight = 30
    rule = "deduction"         # per fault, down to a floor
    per_fault = 2
    floor = 0

    [indicators.proactive_on_time]
    weight = 20
    rule = "linear"            # points in proportion between two bounds of the value
    zero_at = 0.8
    full_at = 1.0

    [indicators.bunched_uploads]
    weight = 10
    rule = "thresholds"        # the first step the value meets gives the points
    steps = [{at_most = 0.2, points = 10}, {at_most = 0.4, points = 5}]
    options = {last_working_days = 5}
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from attrs import field, frozen

from govdisclose.assessment._indicators import Indicator, get_indicator, indicators
from govdisclose.assessment._period import Period
from govdisclose.errors import ValidationError

__all__ = [
    "Scheme",
    "SchemeFinding",
    "SchemeIndicator",
    "SchemeInvalid",
    "Step",
    "load_scheme",
    "parse_scheme",
]

RuleName = Literal["linear", "thresholds", "deduction"]

_SCHEME_KEYS = {"id", "title", "office", "period", "total", "agencies", "unscored"}
_RULE_KEYS: dict[str, set[str]] = {
    "linear": {"zero_at", "full_at"},
    "thresholds": {"steps", "otherwise"},
    "deduction": {"per_fault", "floor"},
}
_COMMON_KEYS = {"weight", "rule", "min_sample", "options", "label"}
_PERIOD_KINDS = ("month", "quarter", "half", "year")


@frozen
class SchemeFinding:
    """One thing wrong with a scheme: the key it is about, what is wrong, a stable code."""

    key: str
    message_zh: str
    message_en: str
    code: str = "assessment.scheme"

    def __str__(self) -> str:
        return f"{self.key or '(file)'}: {self.message_zh} / {self.message_en}"


class SchemeInvalid(ValidationError):
    """A scheme with problems; ``findings`` lists every one (each names its key)."""

    default_code = "assessment.scheme_invalid"

    def __init__(self, findings: Sequence[SchemeFinding], source: str = "") -> None:
        self.findings = tuple(findings)
        where = f"{source}：" if source else ""
        head_zh = f"{where}考核方案有{len(self.findings)}处问题：" + "；".join(
            f"{f.key or '文件'}：{f.message_zh}" for f in self.findings
        )
        head_en = f"{source + ': ' if source else ''}the scheme has {len(self.findings)} " + (
            "problem(s): " + "; ".join(f"{f.key or 'file'}: {f.message_en}" for f in self.findings)
        )
        first = self.findings[0].key if self.findings else None
        super().__init__(head_zh, head_en, field=first or None, code=self.default_code)


@frozen
class Step:
    """One step of a thresholds rule: the value at least (or at most) this gives ``points``."""

    points: Decimal
    at_least: Decimal | None = None
    at_most: Decimal | None = None

    def met(self, value: Decimal) -> bool:
        """Whether ``value`` reaches this step."""
        if self.at_least is not None:
            return value >= self.at_least
        return self.at_most is not None and value <= self.at_most


@frozen
class SchemeIndicator:
    """One indicator of a scheme with its weight and scoring rule (see `Scheme.points`)."""

    code: str
    weight: Decimal
    rule: RuleName
    min_sample: int
    zero_at: Decimal | None = None
    full_at: Decimal | None = None
    steps: tuple[Step, ...] = ()
    otherwise: Decimal = Decimal(0)
    per_fault: Decimal | None = None
    floor: Decimal = Decimal(0)
    options: Mapping[str, Any] = field(factory=dict)

    @property
    def indicator(self) -> Indicator:
        """The registered indicator."""
        return get_indicator(self.code)

    def describe_zh(self) -> str:
        """The scoring rule in one Chinese sentence, as the league table prints it."""
        w = _num(self.weight)
        if self.rule == "deduction":
            return (
                f"满分{w}分，每处失分记录扣{_num(self.per_fault)}分，扣至{_num(self.floor)}分为止"
            )
        if self.rule == "linear":
            return (
                f"满分{w}分，指标值为{_num(self.full_at)}及以上（优）得满分、{_num(self.zero_at)}"
                "得0分，其间按比例计分"
                if (self.full_at or 0) >= (self.zero_at or 0)
                else f"满分{w}分，指标值为{_num(self.full_at)}及以下得满分、{_num(self.zero_at)}"
                "及以上得0分，其间按比例计分"
            )
        parts = [
            (f"≥{_num(s.at_least)}" if s.at_least is not None else f"≤{_num(s.at_most)}")
            + f"得{_num(s.points)}分"
            for s in self.steps
        ]
        return f"满分{w}分：" + "，".join(parts) + f"，其余得{_num(self.otherwise)}分"

    def points(self, value: Decimal, faults: int) -> Decimal:
        """The points of a scored value (``faults``: its number of fault records), rounded
        half up to 0.01: linear between ``zero_at`` (0 points) and ``full_at`` (the weight),
        clamped; thresholds: the points of the first step met, else ``otherwise``; deduction:
        ``weight - per_fault * faults``, not below ``floor``."""
        if self.rule == "deduction":
            assert self.per_fault is not None
            raw = max(self.weight - self.per_fault * faults, self.floor)
        elif self.rule == "linear":
            assert self.zero_at is not None
            assert self.full_at is not None
            share = (value - self.zero_at) / (self.full_at - self.zero_at)
            raw = self.weight * min(max(share, Decimal(0)), Decimal(1))
        else:
            raw = next((s.points for s in self.steps if s.met(value)), self.otherwise)
        return raw.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


@frozen
class Scheme:
    """A validated scheme (`parse_scheme`, `load_scheme`)."""

    title: str
    office: str
    period_kind: str
    total: Decimal
    agencies: tuple[str, ...] | Literal["children"]
    unscored: Literal["rescale", "full"]
    indicators: tuple[SchemeIndicator, ...]
    id: str = ""

    def check_period(self, period: Period) -> list[SchemeFinding]:
        """A finding if ``period`` is not of the scheme's kind (a half-year scheme run on a
        month)."""
        if period.kind == self.period_kind:
            return []
        return [
            SchemeFinding(
                "scheme.period",
                f"方案为{_KIND_ZH[self.period_kind]}考核，所给期间{period}为{period.kind_zh}",
                f"the scheme assesses by {self.period_kind}; {period} is a {period.kind}",
                "assessment.period_kind",
            )
        ]


_KIND_ZH = {"month": "月度", "quarter": "季度", "half": "半年", "year": "年度"}


def _num(value: Decimal | None) -> str:
    if value is None:
        return "?"
    return format(value.normalize(), "f")


def _decimal(raw: Any) -> Decimal | None:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class _Reader:
    """Collects every finding while reading the mapping (never stops at the first)."""

    def __init__(self) -> None:
        self.findings: list[SchemeFinding] = []

    def bad(self, key: str, zh: str, en: str, code: str = "assessment.scheme") -> None:
        self.findings.append(SchemeFinding(key, zh, en, code))

    def number(
        self, table: Mapping[str, Any], name: str, key: str, *, required: bool = True
    ) -> Decimal | None:
        if name not in table:
            if required:
                self.bad(f"{key}.{name}", "缺少此项", "missing", "assessment.missing_key")
            return None
        value = _decimal(table[name])
        if value is None:
            self.bad(
                f"{key}.{name}",
                f"应为数字，实际为 {table[name]!r}",
                f"must be a number, got {table[name]!r}",
                "assessment.bad_value",
            )
        return value

    def unknown_keys(self, table: Mapping[str, Any], allowed: set[str], key: str) -> None:
        for name in table:
            if name not in allowed:
                self.bad(
                    f"{key}.{name}",
                    f"未知的设置项（可用：{', '.join(sorted(allowed))}）",
                    f"unknown key (known: {', '.join(sorted(allowed))})",
                    "assessment.unknown_key",
                )


def parse_scheme(text: str, *, source: str = "") -> Scheme:
    """The scheme in TOML ``text``; `SchemeInvalid` listing every problem otherwise."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SchemeInvalid(
            [
                SchemeFinding(
                    "",
                    f"不是有效的 TOML：{err}",
                    f"not valid TOML: {err}",
                    "assessment.bad_toml",
                )
            ],
            source,
        ) from None
    return scheme_from_mapping(data, source=source)


def load_scheme(path: str | Path) -> Scheme:
    """The scheme in the TOML file ``path`` (`parse_scheme`); a file that cannot be read is a
    `ValidationError` naming it."""
    p = Path(path)
    try:
        text = p.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ValidationError(
            f"无法读取考核方案文件 {p}：{err}",
            f"cannot read the scheme file {p}: {err}",
            field="scheme",
            code="assessment.scheme_unreadable",
        ) from None
    return parse_scheme(text, source=str(p))


def scheme_from_mapping(data: Mapping[str, Any], *, source: str = "") -> Scheme:
    """The scheme of an already-parsed mapping (the TOML's shape)."""
    r = _Reader()
    r.unknown_keys(data, {"scheme", "indicators"}, "")
    head = data.get("scheme")
    if not isinstance(head, Mapping):
        r.bad("scheme", "缺少 [scheme] 表", "missing the [scheme] table", "assessment.missing_key")
        head = {}
    r.unknown_keys(head, _SCHEME_KEYS, "scheme")
    title = head.get("title", "政务公开工作考核")
    if not isinstance(title, str) or not title.strip():
        r.bad("scheme.title", "应为非空文字", "must be non-empty text", "assessment.bad_value")
        title = "政务公开工作考核"
    scheme_id = head.get("id", "")
    if not isinstance(scheme_id, str):
        r.bad("scheme.id", "应为文字", "must be text", "assessment.bad_value")
        scheme_id = ""
    office = head.get("office")
    if not isinstance(office, str) or not office.strip():
        r.bad(
            "scheme.office",
            "缺少考核机关（机关代码）",
            "missing the assessing office (an agency code)",
            "assessment.missing_key",
        )
        office = ""
    kind = head.get("period")
    if kind not in _PERIOD_KINDS:
        r.bad(
            "scheme.period",
            f"考核周期应为 month、quarter、half 或 year，实际为 {kind!r}",
            f"the period must be month, quarter, half or year, got {kind!r}",
            "assessment.bad_value",
        )
        kind = "year"
    total = r.number(head, "total", "scheme")
    if total is not None and total <= 0:
        r.bad("scheme.total", "总分须大于0", "the total must be positive", "assessment.bad_value")
        total = None
    agencies_raw = head.get("agencies")
    agencies: tuple[str, ...] | Literal["children"] = ()
    if agencies_raw == "children":
        agencies = "children"
    elif isinstance(agencies_raw, list) and agencies_raw:
        good = []
        for i, code in enumerate(agencies_raw):
            if not isinstance(code, str) or not code.strip():
                r.bad(
                    f"scheme.agencies[{i}]",
                    f"应为机关代码，实际为 {code!r}",
                    f"must be an agency code, got {code!r}",
                    "assessment.bad_value",
                )
            elif code in good:
                r.bad(
                    f"scheme.agencies[{i}]",
                    f"重复：{code}",
                    f"duplicate: {code}",
                    "assessment.bad_value",
                )
            else:
                good.append(code)
        agencies = tuple(good)
    else:
        r.bad(
            "scheme.agencies",
            '应为机关代码列表，或 "children"（考核机关的全部下级）',
            'must be a list of agency codes, or "children" (every agency under the office)',
            "assessment.missing_key" if agencies_raw is None else "assessment.bad_value",
        )
    unscored = head.get("unscored", "rescale")
    if unscored not in ("rescale", "full"):
        r.bad(
            "scheme.unscored",
            f"应为 rescale（按比例折算）或 full（按满分计），实际为 {unscored!r}",
            f"must be rescale or full, got {unscored!r}",
            "assessment.bad_value",
        )
        unscored = "rescale"

    table = data.get("indicators")
    if not isinstance(table, Mapping) or not table:
        r.bad(
            "indicators",
            "至少须有一个指标（[indicators.代码] 表）",
            "at least one indicator is needed ([indicators.CODE] tables)",
            "assessment.missing_key",
        )
        table = {}
    known = {ind.code: ind for ind in indicators()}
    parsed: list[SchemeIndicator] = []
    weights: list[Decimal] = []
    for code, spec in table.items():
        key = f"indicators.{code}"
        raw_weight = _decimal(spec.get("weight")) if isinstance(spec, Mapping) else None
        if raw_weight is not None and raw_weight > 0:
            # Every readable weight counts, an unknown indicator's too: the office meant it.
            weights.append(raw_weight)
        ind = known.get(code)
        if ind is None:
            r.bad(
                key,
                f"未知的考核指标“{code}”，可用：{', '.join(known)}",
                f"unknown indicator {code!r}; known: {', '.join(known)}",
                "assessment.unknown_indicator",
            )
            continue
        if not isinstance(spec, Mapping):
            r.bad(key, "应为一个表", "must be a table", "assessment.bad_value")
            continue
        one = _indicator(r, ind, spec, key)
        if one is not None:
            parsed.append(one)
    if total is not None and weights and sum(weights, Decimal(0)) != total:
        r.bad(
            "indicators",
            f"各指标权重之和为{_num(sum(weights, Decimal(0)))}，与总分{_num(total)}不符",
            f"the weights add up to {_num(sum(weights, Decimal(0)))}, not the total {_num(total)}",
            "assessment.weights_total",
        )
    if r.findings:
        raise SchemeInvalid(r.findings, source)
    assert total is not None
    return Scheme(
        title=title,
        office=office,
        period_kind=kind,
        total=total,
        agencies=agencies,
        unscored=unscored,
        indicators=tuple(parsed),
        id=scheme_id.strip(),
    )


def _indicator(
    r: _Reader, ind: Indicator, spec: Mapping[str, Any], key: str
) -> SchemeIndicator | None:
    before = len(r.findings)
    rule = spec.get("rule")
    if rule not in _RULE_KEYS:
        r.bad(
            f"{key}.rule",
            f"计分规则应为 linear、thresholds 或 deduction，实际为 {rule!r}",
            f"the rule must be linear, thresholds or deduction, got {rule!r}",
            "assessment.bad_rule" if rule is not None else "assessment.missing_key",
        )
        r.unknown_keys(spec, _COMMON_KEYS | set().union(*_RULE_KEYS.values()), key)
        return None
    r.unknown_keys(spec, _COMMON_KEYS | _RULE_KEYS[rule], key)
    weight = r.number(spec, "weight", key)
    if weight is not None and weight <= 0:
        r.bad(f"{key}.weight", "权重须大于0", "the weight must be positive", "assessment.bad_value")
        weight = None
    min_sample = spec.get("min_sample", ind.min_sample)
    if isinstance(min_sample, bool) or not isinstance(min_sample, int) or min_sample < 1:
        r.bad(
            f"{key}.min_sample",
            f"最少样本应为正整数，实际为 {min_sample!r}",
            f"the minimum sample must be a positive integer, got {min_sample!r}",
            "assessment.bad_value",
        )
        min_sample = ind.min_sample
    options = spec.get("options", {})
    if not isinstance(options, Mapping):
        r.bad(f"{key}.options", "应为一个表", "must be a table", "assessment.bad_value")
        options = {}
    r.unknown_keys(options, set(ind.options), f"{key}.options")
    for name, default in ind.options.items():
        if name in options and type(options[name]) is not type(default):
            r.bad(
                f"{key}.options.{name}",
                f"类型应与默认值 {default!r} 相同，实际为 {options[name]!r}",
                f"must be of the type of its default {default!r}, got {options[name]!r}",
                "assessment.bad_value",
            )
    bounded = ind.unit == "share"
    zero_at = full_at = per_fault = None
    floor = otherwise = Decimal(0)
    steps: list[Step] = []
    if rule == "linear":
        zero_at = r.number(spec, "zero_at", key)
        full_at = r.number(spec, "full_at", key)
        for name, v in (("zero_at", zero_at), ("full_at", full_at)):
            if v is not None and bounded and not 0 <= v <= 1:
                r.bad(
                    f"{key}.{name}",
                    f"比例指标的界限须在0到1之间，实际为{_num(v)}",
                    f"a share's bound must be between 0 and 1, got {_num(v)}",
                    "assessment.bad_bound",
                )
        if zero_at is not None and full_at is not None:
            if zero_at == full_at:
                r.bad(
                    f"{key}.full_at",
                    "满分界限与零分界限不能相同",
                    "full_at and zero_at must differ",
                    "assessment.bad_bound",
                )
            elif (full_at > zero_at) != ind.higher_is_better:
                better = "越高越好" if ind.higher_is_better else "越低越好"
                r.bad(
                    f"{key}.full_at",
                    f"该指标{better}，满分界限应{'高' if ind.higher_is_better else '低'}于零分界限"
                    f"（full_at={_num(full_at)}，zero_at={_num(zero_at)}）",
                    f"this indicator is {'higher' if ind.higher_is_better else 'lower'}-is-better: "
                    f"full_at must be {'above' if ind.higher_is_better else 'below'} zero_at",
                    "assessment.bad_bound",
                )
    elif rule == "deduction":
        per_fault = r.number(spec, "per_fault", key)
        if per_fault is not None and per_fault <= 0:
            r.bad(
                f"{key}.per_fault",
                "每处扣分须大于0",
                "per_fault must be positive",
                "assessment.bad_value",
            )
        floor = r.number(spec, "floor", key, required=False) or Decimal(0)
        if floor < 0 or (weight is not None and floor >= weight):
            r.bad(
                f"{key}.floor",
                f"扣分下限须不小于0且小于权重，实际为{_num(floor)}",
                f"the floor must be at least 0 and below the weight, got {_num(floor)}",
                "assessment.bad_bound",
            )
    else:
        otherwise = r.number(spec, "otherwise", key, required=False) or Decimal(0)
        raw_steps = spec.get("steps")
        if not isinstance(raw_steps, list) or not raw_steps:
            r.bad(
                f"{key}.steps",
                "应为非空的档次列表，如 [{at_least = 0.95, points = 10}]",
                "must be a non-empty list of steps such as [{at_least = 0.95, points = 10}]",
                "assessment.missing_key" if raw_steps is None else "assessment.bad_value",
            )
            raw_steps = []
        for i, raw in enumerate(raw_steps):
            sk = f"{key}.steps[{i}]"
            if not isinstance(raw, Mapping):
                r.bad(sk, "应为一个表", "must be a table", "assessment.bad_value")
                continue
            r.unknown_keys(raw, {"at_least", "at_most", "points"}, sk)
            if ("at_least" in raw) == ("at_most" in raw):
                r.bad(
                    sk,
                    "须有 at_least 或 at_most 之一",
                    "needs exactly one of at_least, at_most",
                    "assessment.bad_value",
                )
                continue
            which = "at_least" if "at_least" in raw else "at_most"
            bound = r.number(raw, which, sk)
            points = r.number(raw, "points", sk)
            if bound is not None and bounded and not 0 <= bound <= 1:
                r.bad(
                    f"{sk}.{which}",
                    f"比例指标的界限须在0到1之间，实际为{_num(bound)}",
                    f"a share's bound must be between 0 and 1, got {_num(bound)}",
                    "assessment.bad_bound",
                )
            if points is not None and weight is not None and not 0 <= points <= weight:
                r.bad(
                    f"{sk}.points",
                    f"得分须在0到权重{_num(weight)}之间，实际为{_num(points)}",
                    f"points must be between 0 and the weight {_num(weight)}, got {_num(points)}",
                    "assessment.bad_bound",
                )
            if bound is not None and points is not None:
                steps.append(
                    Step(
                        points,
                        at_least=bound if which == "at_least" else None,
                        at_most=bound if which == "at_most" else None,
                    )
                )
        if weight is not None and steps and max(s.points for s in steps) != weight:
            r.bad(
                f"{key}.steps",
                f"最高一档的得分应等于权重{_num(weight)}（否则无失分记录也会失分），"
                f"实际为{_num(max(s.points for s in steps))}",
                f"the best step must give the weight {_num(weight)} (or points are lost with "
                f"no record behind them), got {_num(max(s.points for s in steps))}",
                "assessment.bad_bound",
            )
        if weight is not None and not 0 <= otherwise <= weight:
            r.bad(
                f"{key}.otherwise",
                "得分须在0到权重之间",
                "must be between 0 and the weight",
                "assessment.bad_bound",
            )
    if len(r.findings) > before or weight is None:
        return None
    return SchemeIndicator(
        code=ind.code,
        weight=weight,
        rule=rule,
        min_sample=min_sample,
        zero_at=zero_at,
        full_at=full_at,
        steps=tuple(steps),
        otherwise=otherwise,
        per_fault=per_fault,
        floor=floor,
        options={**ind.options, **options},
    )
