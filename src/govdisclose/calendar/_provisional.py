"""Provisional rest days for years no State Council notice covers yet (private).

The rule is the statutory one of 《全国年节及纪念日放假办法》 as revised on 2024-11-10 (in force
2025-01-01), art. 2: 元旦 1 day (1 Jan); 春节 4 days (农历除夕 and 正月初一 to 初三); 清明 1 day;
劳动节 2 days (1-2 May); 端午 1 day; 中秋 1 day; 国庆 3 days (1-3 Oct). Art. 6: a holiday that falls
on a Saturday or Sunday is compensated on a working day; govdisclose takes the first working day
after it (the same for two holidays on one day, so the 13 statutory days are all kept). No 调休
makeup working days and no bridging are assumed: those are decided only by each year's notice.

Lunar and solar-term dates (春节, 清明, 端午, 中秋) come from the ``holidays`` package, an
optional dependency (``pip install govdisclose[provisional]``); govdisclose has no lunar algorithm
of its own.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, Final

from govdisclose._install import install_hint
from govdisclose.errors import CalendarError

# The first year the 2024 revision's holidays apply; earlier years have official schedules.
RULES_IN_FORCE_FROM: Final = 2025

ASSUMPTION_ZH: Final = (
    "{first}年起尚无国务院办公厅放假通知，按《全国年节及纪念日放假办法》（2024年11月10日修订）"
    "第二条的法定节假日（元旦1天、春节4天、清明1天、劳动节2天、端午1天、中秋1天、国庆3天）"
    "和周末休息计算，节日逢周六、周日时依第六条在其后第一个工作日补假，不假定任何调休上班日"
)
ASSUMPTION_EN: Final = (
    "no State Council holiday notice exists yet for {first} onwards: computed with the statutory "
    "holidays of art. 2 of the National Holiday Measures as revised 2024-11-10 (New Year 1, Spring "
    "Festival 4, Qingming 1, Labour Day 2, Dragon Boat 1, Mid-Autumn 1, National Day 3) and "
    "weekends off, a holiday on a Saturday or Sunday compensated on the next working day (art. 6), "
    "and no makeup working days"
)

# holidays' English names (language="en_US") of the days whose dates are lunar or solar-term.
_LUNAR_NAMES: Final = {
    "spring_festival": "Chinese New Year (Spring Festival)",
    "qingming": "Tomb-Sweeping Day",
    "dragon_boat": "Dragon Boat Festival",
    "mid_autumn": "Mid-Autumn Festival",
}

_HINT_ZH, _HINT_EN = install_hint("holidays", "provisional")
_MISSING_HOLIDAYS_ZH: Final = (
    f"计算临时（provisional）日历需要 holidays 包提供农历和节气日期。{_HINT_ZH}"
)
_MISSING_HOLIDAYS_EN: Final = (
    f"the provisional calendar needs the 'holidays' package for lunar and solar-term dates; "
    f"{_HINT_EN}"
)


def _holidays_module() -> Any:
    try:
        import holidays
    except ImportError as exc:
        raise CalendarError(
            _MISSING_HOLIDAYS_ZH,
            _MISSING_HOLIDAYS_EN,
            field="policy",
            code="calendar.provisional_unavailable",
        ) from exc
    return holidays


def holidays_version() -> str:
    """The installed ``holidays`` version (part of a provisional calendar's data version)."""
    return str(_holidays_module().__version__)


def lunar_dates(years: Iterable[int]) -> dict[int, dict[str, date]]:
    """春节 (正月初一), 清明, 端午 and 中秋 of each year, from the ``holidays`` package."""
    return {y: dict(d) for y, d in _lunar_years(tuple(sorted(set(years))))}


@functools.cache
def _lunar_years(years: tuple[int, ...]) -> tuple[tuple[int, tuple[tuple[str, date], ...]], ...]:
    # Cached (one holidays.China call for all years is far cheaper than one per year): a
    # provisional calendar rebuilt by with_overrides asks for the same years again.
    if not years:
        return ()
    holidays = _holidays_module()
    cn = holidays.China(years=years, observed=False, language="en_US")
    found: dict[int, dict[str, date]] = {y: {} for y in years}
    for day, names in sorted(cn.items()):
        for name in str(names).split("; "):
            for key, label in _LUNAR_NAMES.items():
                # Far-future dates are labelled "<name> (estimated)"; the date is still theirs.
                if name.startswith(label) and key not in found[day.year]:
                    found[day.year][key] = day
    for year, days in found.items():
        missing = sorted(set(_LUNAR_NAMES) - set(days))
        if missing:
            raise CalendarError(
                f"holidays 包未给出{year}年的节日日期：{', '.join(missing)}",
                f"the holidays package gives no {year} date for: {', '.join(missing)}",
                field="policy",
                code="calendar.provisional_unavailable",
            )
    return tuple((y, tuple(sorted(d.items()))) for y, d in sorted(found.items()))


def statutory_rest_days(years: Iterable[int]) -> dict[date, str]:
    """Rest days (date -> Chinese name) under the statutory rule, weekday days and weekend alike.

    Raises `CalendarError` for a year before the rules in force (2025): earlier years have notices.
    """
    years = sorted(set(years))
    for year in years:
        if year < RULES_IN_FORCE_FROM:
            raise CalendarError(
                f"{year}年早于现行放假办法（2025年起施行），不能推定其节假日",
                f"{year} predates the holiday rules in force (from 2025); no provisional schedule",
                field="policy",
                code="calendar.provisional_unavailable",
            )
    lunar = lunar_dates(years)
    rest: dict[date, str] = {}
    for year in years:
        lunar_y = dict(lunar[year])
        spring = lunar_y["spring_festival"]
        occurrences: list[tuple[date, str]] = [
            (date(year, 1, 1), "元旦"),
            (spring - timedelta(days=1), "春节（除夕）"),
            (spring, "春节"),
            (spring + timedelta(days=1), "春节"),
            (spring + timedelta(days=2), "春节"),
            (lunar_y["qingming"], "清明节"),
            (date(year, 5, 1), "劳动节"),
            (date(year, 5, 2), "劳动节"),
            (lunar_y["dragon_boat"], "端午节"),
            (lunar_y["mid_autumn"], "中秋节"),
            (date(year, 10, 1), "国庆节"),
            (date(year, 10, 2), "国庆节"),
            (date(year, 10, 3), "国庆节"),
        ]
        statutory = {d for d, _ in occurrences}
        for day, name in occurrences:
            rest.setdefault(day, name)
        seen: set[date] = set()
        for day, name in sorted(occurrences):
            # Art. 6 compensation for a weekend holiday, and the same when two holidays coincide
            # (e.g. 中秋 on 1 October), so that all 13 statutory days are kept.
            if day.weekday() < 5 and day not in seen:
                seen.add(day)
                continue
            seen.add(day)
            comp = day + timedelta(days=1)
            while comp.weekday() >= 5 or comp in statutory or comp in rest:
                comp += timedelta(days=1)
            rest[comp] = f"{name}（补假）"
    return rest


def assumption(first_provisional_year: int) -> str:
    """The Chinese + English sentence a provisional result carries."""
    return (
        ASSUMPTION_ZH.format(first=first_provisional_year)
        + " / "
        + ASSUMPTION_EN.format(first=first_provisional_year)
    )
