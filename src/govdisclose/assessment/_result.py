"""The league table: `assess` scores every agency of a scheme for one period, traceably.

Per agency and indicator the score keeps what the indicator measured (value, sample, the fault
records) and what the scheme made of it (points, the points lost, and for a deduction rule the
points each fault record cost). The total adds the points; an indicator that is not scored
(no sample, or fewer items than the scheme's minimum) is left out and the total rescaled to the
scheme's total (``unscored = "rescale"``, 按比例折算) or counted at full marks (``"full"``).
Agencies are ranked by total, equal totals sharing a rank (1, 2, 2, 4); an agency without any
scored indicator is listed unranked. The comparison with the previous period reads the stored
result of that period when one was kept (`keep_result`), else computes it from the store.

The result is a kept item (kind ``"assessment.result"``, filed under the assessing office), so
the table an office published can be read back as it was.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from govdisclose.assessment._indicators import Fault, IndicatorInput, Measure
from govdisclose.assessment._period import Period
from govdisclose.assessment._scheme import (
    Scheme,
    SchemeFinding,
    SchemeIndicator,
    SchemeInvalid,
    load_scheme,
    parse_scheme,
)
from govdisclose.errors import NotFound, ValidationError
from govdisclose.store.kinds import ItemKind, register

if TYPE_CHECKING:
    from govdisclose.calendar import WorkCalendar
    from govdisclose.model import Agency
    from govdisclose.params import ParameterSet
    from govdisclose.store import Store

__all__ = [
    "AgencyScore",
    "AssessmentResult",
    "IndicatorColumn",
    "IndicatorScore",
    "LostPoint",
    "assess",
    "check_scheme",
    "keep_result",
    "result_id",
    "stored_result",
]

_CENT = Decimal("0.01")


def _round(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


@frozen
class LostPoint:
    """One record behind lost points: the `Fault` and, under a deduction rule, the points it
    cost (``None`` under a linear or thresholds rule, where the indicator's lost points follow
    from the share of all its faults together)."""

    fault: Fault
    points: Decimal | None = None


@frozen
class IndicatorScore:
    """One agency's score on one indicator.

    ``points`` is ``None`` when the indicator is not scored (``reason_zh`` / ``reason_en``
    say why); ``lost`` is ``weight - points`` (0 when not scored); ``lost_points`` lists the
    fault records behind it, ``notes`` what the indicator left out of its sample and why.
    """

    indicator: str
    weight: Decimal
    value: Decimal | None
    sample: int
    points: Decimal | None
    lost: Decimal
    lost_points: tuple[LostPoint, ...] = ()
    reason_zh: str | None = None
    reason_en: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def scored(self) -> bool:
        """Whether it counts in the total."""
        return self.points is not None

    @property
    def faults(self) -> tuple[Fault, ...]:
        """The fault records."""
        return tuple(lp.fault for lp in self.lost_points)


@frozen
class AgencyScore:
    """One row of the league table: the agency, its scores, total and rank, and the previous
    period's total and rank (``None`` when there is none to compare with)."""

    agency: str
    name: str
    scores: tuple[IndicatorScore, ...]
    total: Decimal | None
    rank: int | None
    previous_total: Decimal | None = None
    previous_rank: int | None = None

    def score(self, indicator: str) -> IndicatorScore:
        """The score on ``indicator``; `NotFound` if the scheme has no such indicator."""
        for s in self.scores:
            if s.indicator == indicator:
                return s
        raise NotFound(
            f"考核方案中没有指标“{indicator}”",
            f"the scheme has no indicator {indicator!r}",
            field="indicator",
            code="assessment.no_such_indicator",
        )

    @property
    def change(self) -> Decimal | None:
        """Total minus the previous period's total."""
        if self.total is None or self.previous_total is None:
            return None
        return self.total - self.previous_total

    @property
    def rank_change(self) -> int | None:
        """Places gained since the previous period (positive: moved up)."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def lost_points(self) -> tuple[tuple[str, LostPoint], ...]:
        """Every record behind a lost point, with its indicator's code."""
        return tuple((s.indicator, lp) for s in self.scores for lp in s.lost_points)


@frozen
class IndicatorColumn:
    """One indicator as the table heads it: code, labels, weight, rule and definition."""

    code: str
    label_zh: str
    label_en: str
    weight: Decimal
    rule_zh: str
    definition_zh: str
    min_sample: int
    unit: str = "share"


@frozen
class AssessmentResult:
    """The league table of one scheme and period (`assess`); a kept item filed under the
    assessing office (``agency``), id `result_id`.

    ``rows`` are ordered by rank (unranked last), equal ranks by agency code.
    """

    id: str
    agency: str
    title: str
    period: str
    as_of: date
    total: Decimal
    unscored: str
    columns: tuple[IndicatorColumn, ...]
    rows: tuple[AgencyScore, ...]
    previous_period: str | None = None
    notes: tuple[str, ...] = field(default=())

    def row(self, agency: str) -> AgencyScore:
        """The row of ``agency``; `NotFound` if it was not assessed."""
        for r in self.rows:
            if r.agency == agency:
                return r
        raise NotFound(
            f"机关{agency}不在本次考核范围内",
            f"{agency!r} was not assessed",
            field="agency",
            code="assessment.not_assessed",
        )

    def score(self, agency: str, indicator: str) -> IndicatorScore:
        """``row(agency).score(indicator)``."""
        return self.row(agency).score(indicator)

    @property
    def period_label_zh(self) -> str:
        """``2026年上半年`` and the like."""
        return Period.parse(self.period).label_zh

    # the renderers live in _render; these are the entry points callers look for
    def to_markdown(self) -> str:
        """The table and every lost point as Markdown (`govdisclose.assessment.render_markdown`)."""
        from govdisclose.assessment._render import render_markdown

        return render_markdown(self)

    def to_html(self) -> str:
        """A standalone, printable HTML page (`govdisclose.assessment.render_html`)."""
        from govdisclose.assessment._render import render_html

        return render_html(self)

    def to_docx(self) -> bytes:
        """The bytes of a .docx file (`govdisclose.assessment.render_docx`; extra ``docx``)."""
        from govdisclose.assessment._render import render_docx

        return render_docx(self)

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per agency (`govdisclose.assessment.to_frame`; extra
        ``analysis``)."""
        from govdisclose.assessment._render import to_frame

        return to_frame(self)

    def to_csv(self) -> str:
        """The league table as CSV text (`govdisclose.assessment.render_csv`)."""
        from govdisclose.assessment._render import render_csv

        return render_csv(self)


register(
    ItemKind(
        code="assessment.result",
        cls=AssessmentResult,
        label_zh="考核结果",
        label_en="assessment result",
    )
)


def result_id(scheme: Scheme, period: Period | str) -> str:
    """The id a result is kept under: ``OFFICE/PERIOD`` (``county/2026H1``), with the scheme's
    ``id`` in place of the office when the scheme names one."""
    return f"{scheme.id or scheme.office}/{period}"


def keep_result(store: Store, result: AssessmentResult) -> int:
    """Keep ``result`` in ``store`` (`Store.put_item`; a result is replaced when the same
    scheme and period are assessed again) and return its version."""
    return store.put_item(result)


def stored_result(store: Store, scheme: Scheme, period: Period | str) -> AssessmentResult | None:
    """The kept result of ``scheme`` for ``period``, if one was kept."""
    try:
        return store.get_item(AssessmentResult, result_id(scheme, period))
    except NotFound:
        return None


# -- checking a scheme against the store ---------------------------------------------------------


def _assessed(
    store: Store, office: str, agencies: Sequence[str] | str, key: str = "scheme.agencies"
) -> tuple[list[Agency], list[SchemeFinding]]:
    stored = {a.code: a for a in store.agencies()}
    findings: list[SchemeFinding] = []
    if office and office not in stored:
        findings.append(
            SchemeFinding(
                "scheme.office",
                f"考核机关“{office}”不在存储中",
                f"the assessing office {office!r} is not stored",
                "assessment.unknown_agency",
            )
        )
    if agencies == "children":
        found = [a for a in stored.values() if a.parent == office]
        if not found and office in stored:
            findings.append(
                SchemeFinding(
                    key,
                    f"考核机关“{office}”没有下级机关",
                    f"no stored agency has {office!r} as its parent",
                    "assessment.no_agencies",
                )
            )
        return sorted(found, key=lambda a: a.code), findings
    out = []
    for i, code in enumerate(agencies):
        if code in stored:
            out.append(stored[code])
        else:
            findings.append(
                SchemeFinding(
                    f"{key}[{i}]",
                    f"被考核机关“{code}”不在存储中",
                    f"the assessed agency {code!r} is not stored",
                    "assessment.unknown_agency",
                )
            )
    return out, findings


def _has_data(store: Store, period: Period, agencies: Iterable[Agency]) -> bool:
    """Whether the store holds anything dated in ``period`` for ``agencies``: a publication,
    an application received, a review case concluded, an inquiry received, an opinion case
    detected, or a work plan of the period's years."""
    from govdisclose.inquiries import InquiryCase
    from govdisclose.opinion import OpinionCase
    from govdisclose.plans import WorkPlan

    codes = {a.code for a in agencies}
    for code in sorted(codes):
        if next(iter(store.published(agency=code, start=period.first, end=period.last)), None):
            return True
        for app in store.applications(agency=code):
            if app.receipt_date is not None and period.contains(app.receipt_date):
                return True
        for case in store.review_cases(agency=code):
            if case.concluded_on is not None and period.contains(case.concluded_on):
                return True
        for inquiry in store.items(InquiryCase, agency=code):
            if inquiry.events and period.contains(inquiry.events[0].on):
                return True
        for opinion in store.items(OpinionCase, agency=code):
            at = opinion.detected_at
            if at is not None and period.contains(at.date()):
                return True
    years = set(range(period.first.year, period.last.year + 1))
    return any(plan.year in years for plan in store.items(WorkPlan))


def _period_findings(
    kind: str | None, store: Store | None, period: Period, agencies: list[Agency]
) -> list[SchemeFinding]:
    found = []
    if kind is not None and kind != period.kind:
        found.append(
            SchemeFinding(
                "period",
                f"方案为{_KIND_ZH.get(kind, kind)}考核，所给期间{period}为{period.kind_zh}",
                f"the scheme assesses by {kind}; {period} is a {period.kind}",
                "assessment.period_kind",
            )
        )
    if store is not None and agencies and not _has_data(store, period, agencies):
        found.append(
            SchemeFinding(
                "period",
                f"存储中没有被考核机关在{period}（{period.first}至{period.last}）的任何数据",
                f"the store holds no data of the assessed agencies in {period} "
                f"({period.first} to {period.last})",
                "assessment.period_no_data",
            )
        )
    return found


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ValidationError(
            f"无法读取考核方案文件 {path}：{err}",
            f"cannot read the scheme file {path}: {err}",
            field="scheme",
            code="assessment.scheme_unreadable",
        ) from None


_KIND_ZH = {"month": "月度", "quarter": "季度", "half": "半年", "year": "年度"}


def check_scheme(
    scheme: Scheme | str | Path,
    *,
    store: Store | None = None,
    period: Period | str | None = None,
) -> list[SchemeFinding]:
    """Every problem of a scheme (a `Scheme`, TOML text, or a file path) for ``period`` in
    ``store``, each naming its key: the file's own problems (`parse_scheme`: weights not
    adding up to the total, an unknown indicator, a bad rule ...), a period of the wrong kind,
    an office or agency the store does not hold, and a period without any data of the
    assessed agencies (``assessment.period_no_data``). An empty list means `assess` will run.
    """
    findings: list[SchemeFinding] = []
    parsed: Scheme | None = None
    raw: dict[str, Any] = {}
    if isinstance(scheme, Scheme):
        parsed = scheme
    else:
        text = _read(scheme) if isinstance(scheme, Path) else scheme
        source = str(scheme) if isinstance(scheme, Path) else ""
        try:
            parsed = parse_scheme(text, source=source)
        except SchemeInvalid as err:
            findings.extend(err.findings)
            try:
                raw = tomllib.loads(text)
            except tomllib.TOMLDecodeError:
                return findings
    if period is None:
        return findings
    when = period if isinstance(period, Period) else Period.parse(period)
    if parsed is not None:
        kind: str | None = parsed.period_kind
        office: str = parsed.office
        members: Sequence[str] | str = parsed.agencies
    else:
        head = raw.get("scheme") if isinstance(raw.get("scheme"), dict) else {}
        assert isinstance(head, dict)
        kind = head.get("period") if head.get("period") in _KIND_ZH else None
        raw_office = head.get("office")
        office = raw_office if isinstance(raw_office, str) else ""
        got = head.get("agencies")
        members = (
            "children"
            if got == "children"
            else [c for c in got if isinstance(c, str)]
            if isinstance(got, list)
            else ()
        )
    agencies: list[Agency] = []
    if store is not None:
        agencies, unknown = _assessed(store, office, members)
        if parsed is not None:
            findings.extend(unknown)
    findings.extend(_period_findings(kind, store, when, agencies))
    return findings


# -- scoring --------------------------------------------------------------------------------


def _score(item: SchemeIndicator, measure: Measure) -> IndicatorScore:
    weight = item.weight
    if measure.value is None:
        return IndicatorScore(
            item.code,
            weight,
            None,
            measure.sample,
            None,
            Decimal(0),
            reason_zh=measure.not_scored_zh or "未评分",
            reason_en=measure.not_scored_en or "not scored",
            notes=measure.notes,
        )
    if measure.sample < item.min_sample:
        return IndicatorScore(
            item.code,
            weight,
            measure.value,
            measure.sample,
            None,
            Decimal(0),
            tuple(LostPoint(f) for f in measure.faults),
            reason_zh=f"样本{measure.sample}，少于最少样本{item.min_sample}，不评分",
            reason_en=f"a sample of {measure.sample}, below the minimum {item.min_sample}",
            notes=measure.notes,
        )
    points = item.points(measure.value, len(measure.faults))
    lost = weight - points
    if item.rule == "deduction":
        assert item.per_fault is not None
        left = lost
        costs = []
        for f in measure.faults:
            cost = min(item.per_fault, left)
            left -= cost
            costs.append(LostPoint(f, _round(cost)))
        lost_points = tuple(costs)
    else:
        lost_points = tuple(LostPoint(f) for f in measure.faults)
    return IndicatorScore(
        item.code,
        weight,
        measure.value,
        measure.sample,
        points,
        lost,
        lost_points,
        notes=measure.notes,
    )


def _total(scheme: Scheme, scores: Sequence[IndicatorScore]) -> Decimal | None:
    scored = [s for s in scores if s.points is not None]
    if not scored:
        return None
    got = sum((s.points for s in scored if s.points is not None), Decimal(0))
    if scheme.unscored == "full":
        return _round(got + sum((s.weight for s in scores if s.points is None), Decimal(0)))
    weights = sum((s.weight for s in scored), Decimal(0))
    return _round(got * scheme.total / weights)


def _ranks(totals: dict[str, Decimal | None]) -> dict[str, int | None]:
    """Competition ranking: 1 + the number of strictly higher totals (1, 2, 2, 4)."""
    scored = [t for t in totals.values() if t is not None]
    return {
        code: None if t is None else 1 + sum(1 for u in scored if u > t)
        for code, t in totals.items()
    }


def assess(
    store: Store,
    scheme: Scheme | str | Path,
    period: Period | str,
    *,
    as_of: date | None = None,
    params: ParameterSet | None = None,
    calendar: WorkCalendar | None = None,
    compare: bool = True,
    previous: AssessmentResult | None = None,
) -> AssessmentResult:
    """Score every agency of ``scheme`` (a `Scheme` or the path of its TOML file) for
    ``period`` from what ``store`` holds, as of ``as_of`` (default: the period's last day).

    With ``compare`` (default) each row carries the previous period's total and rank: from
    ``previous`` if given, else the result kept for that period (`stored_result`), else
    computed from the store as of that period's last day.

    :raises SchemeInvalid: every finding of `check_scheme` (a period of the wrong kind, an
        agency not stored, a period without data), each naming its key.
    """
    if isinstance(scheme, Path):
        scheme = load_scheme(scheme)
    elif isinstance(scheme, str):
        scheme = parse_scheme(scheme)
    when = period if isinstance(period, Period) else Period.parse(period)
    agencies, findings = _assessed(store, scheme.office, scheme.agencies)
    findings += _period_findings(scheme.period_kind, store, when, agencies)
    if findings:
        raise SchemeInvalid(findings)
    return _assess(store, scheme, when, agencies, as_of, params, calendar, compare, previous)


def _assess(
    store: Store,
    scheme: Scheme,
    period: Period,
    agencies: list[Agency],
    as_of: date | None,
    params: ParameterSet | None,
    calendar: WorkCalendar | None,
    compare: bool,
    previous: AssessmentResult | None,
) -> AssessmentResult:
    if params is None:
        from govdisclose.params import ParameterSet

        params = ParameterSet.default()
    if calendar is None:
        from govdisclose.calendar import WorkCalendar

        calendar = WorkCalendar.default()
    day = as_of or period.last
    rows: dict[str, tuple[Agency, tuple[IndicatorScore, ...]]] = {}
    for agency in agencies:
        scores: list[IndicatorScore] = []
        for item in scheme.indicators:
            inp = IndicatorInput(
                store=store,
                agency=agency,
                period=period,
                as_of=day,
                params=params,
                calendar=calendar,
                options=item.options,
            )
            scores.append(_score(item, item.indicator.compute(inp)))
        rows[agency.code] = (agency, tuple(scores))
    totals = {code: _total(scheme, scores) for code, (_, scores) in rows.items()}
    ranks = _ranks(totals)
    prev_period = period.previous()
    if compare and previous is None:
        previous = stored_result(store, scheme, prev_period)
        if previous is None and _has_data(store, prev_period, agencies):
            previous = _assess(
                store, scheme, prev_period, agencies, None, params, calendar, False, None
            )
    before = {r.agency: r for r in previous.rows} if compare and previous is not None else {}
    out = []
    for code, (agency, row_scores) in rows.items():
        old = before.get(code)
        out.append(
            AgencyScore(
                agency=code,
                name=agency.name,
                scores=row_scores,
                total=totals[code],
                rank=ranks[code],
                previous_total=old.total if old else None,
                previous_rank=old.rank if old else None,
            )
        )
    out.sort(key=lambda r: (r.rank is None, r.rank or 0, r.agency))
    notes = []
    if day < period.last:
        notes.append(f"考核基准日{day}早于期末{period.last}：本期尚未结束，结果为阶段性的")
    return AssessmentResult(
        id=result_id(scheme, period),
        agency=scheme.office,
        title=scheme.title,
        period=str(period),
        as_of=day,
        total=scheme.total,
        unscored=scheme.unscored,
        columns=tuple(
            IndicatorColumn(
                code=item.code,
                label_zh=item.indicator.label_zh,
                label_en=item.indicator.label_en,
                weight=item.weight,
                rule_zh=item.describe_zh(),
                definition_zh=item.indicator.definition_zh,
                min_sample=item.min_sample,
                unit=item.indicator.unit,
            )
            for item in scheme.indicators
        ),
        rows=tuple(out),
        previous_period=(previous.period if previous is not None else None) if before else None,
        notes=tuple(notes),
    )
