"""Dates in, typed errors out: every public function that takes a day or a count refuses a
string, a float, a bool or a naive datetime with a `ValidationError` naming the argument."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest

import govdisclose as gd
from govdisclose import deadlines, fees, metadata
from govdisclose.calendar import WorkCalendar
from govdisclose.errors import ValidationError
from govdisclose.params import ParameterSet
from govdisclose.report.filing import filing_deadline

CAL = WorkCalendar.default()
PARAMS = ParameterSet.default()
DAY = date(2026, 11, 2)
BAD_DAYS: list[Any] = ["2026-11-02", 20261102.0, datetime(2026, 11, 2, 9, 30), None, True]
BAD_COUNTS: list[Any] = ["20", 20.0, True, None]


def _app() -> gd.Application:
    app = gd.Application(
        id="A-1",
        agency="city-gov",
        applicant=gd.Applicant(type=gd.ApplicantType.NATURAL_PERSON, name="张三"),
        channel=gd.Channel.IN_PERSON,
        request="请公开某某项目的环评批复",
    )
    return gd.apply(app, gd.Received(on=DAY))


APP = _app()
RECORD = gd.Record(id="R-1", title="某某通知", agency="city-gov", formed_on=DAY)

#: (name of the argument, a call taking the bad value in that argument).
DAY_CALLS: list[tuple[str, str, Callable[[Any], object]]] = [
    ("is_workday", "d", CAL.is_workday),
    ("add_working_days", "d", lambda v: CAL.add_working_days(v, 20)),
    ("working_days_between.a", "a", lambda v: CAL.working_days_between(v, DAY)),
    ("working_days_between.b", "b", lambda v: CAL.working_days_between(DAY, v)),
    ("next_workday", "d", CAL.next_workday),
    ("workday_on_or_after", "d", CAL.workday_on_or_after),
    ("index", "d", CAL.index),
    ("is_provisional", "d", CAL.is_provisional),
    ("covers", "d", CAL.covers),
    ("holiday_name", "d", CAL.holiday_name),
    ("holidays_between", "a", lambda v: CAL.holidays_between(v, DAY)),
    ("makeup_workdays_between", "b", lambda v: CAL.makeup_workdays_between(DAY, v)),
    ("diff", "start", lambda v: CAL.diff(CAL, v, DAY)),
    ("is_workday_many", "days[1]", lambda v: CAL.is_workday_many([DAY, v])),
    ("add_working_days_many", "days[0]", lambda v: CAL.add_working_days_many([v], 3)),
    ("working_days_between_many", "b[0]", lambda v: CAL.working_days_between_many([DAY], [v])),
    ("params.at", "day", PARAMS.at),
    (
        "reply_status",
        "as_of",
        lambda v: deadlines.reply_status(APP, v, params=PARAMS, calendar=CAL),
    ),
    (
        "reply_status_many",
        "as_of",
        lambda v: deadlines.reply_status_many([APP], v, params=PARAMS, calendar=CAL),
    ),
    (
        "approaching",
        "as_of",
        lambda v: deadlines.approaching([APP], v, params=PARAMS, calendar=CAL),
    ),
    (
        "proactive_status",
        "as_of",
        lambda v: deadlines.proactive_status(RECORD, v, params=PARAMS, calendar=CAL),
    ),
    ("per_volume_fee", "received_on", lambda v: fees.per_volume_fee(300, received_on=v)),
    ("validity_as_of", "day", lambda v: metadata.validity_as_of(RECORD, v)),
]

COUNT_CALLS: list[tuple[str, str, Callable[[Any], object]]] = [
    ("add_working_days", "n", lambda v: CAL.add_working_days(DAY, v)),
    ("workday_at", "k", CAL.workday_at),
    ("add_working_days_many", "n", lambda v: CAL.add_working_days_many([DAY], v)),
    (
        "reply_status.warn_within",
        "warn_within",
        lambda v: deadlines.reply_status(APP, DAY, params=PARAMS, calendar=CAL, warn_within=v),
    ),
    ("filing_deadline", "year", lambda v: filing_deadline(_agency(), v)),
]


def _agency() -> gd.Agency:
    return gd.Agency(code="city-gov", name="某市人民政府", level=gd.AgencyLevel.CITY)


@pytest.mark.parametrize("bad", BAD_DAYS, ids=repr)
@pytest.mark.parametrize(("fn", "arg", "call"), DAY_CALLS, ids=[c[0] for c in DAY_CALLS])
def test_bad_day_is_a_validation_error_naming_the_argument(
    fn: str, arg: str, call: Callable[[Any], object], bad: Any
) -> None:
    with pytest.raises(ValidationError) as err:
        call(bad)
    assert err.value.field == arg, fn
    assert err.value.code in ("validation.not_a_date", "validation.naive_datetime")
    assert arg in err.value.message_zh
    assert arg in err.value.message_en


@pytest.mark.parametrize("bad", BAD_COUNTS, ids=repr)
@pytest.mark.parametrize(("fn", "arg", "call"), COUNT_CALLS, ids=[c[0] for c in COUNT_CALLS])
def test_bad_count_is_a_validation_error_naming_the_argument(
    fn: str, arg: str, call: Callable[[Any], object], bad: Any
) -> None:
    with pytest.raises(ValidationError) as err:
        call(bad)
    assert err.value.field == arg, fn
    assert err.value.code == "validation.not_an_integer"


def test_the_issue_examples() -> None:
    """The two calls of the issue: they raised a raw AttributeError and TypeError before."""
    with pytest.raises(ValidationError, match=r"date\.fromisoformat"):
        CAL.add_working_days("2026-11-02", 20)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as err:
        deadlines.reply_status(APP, "2026-12-03", params=PARAMS, calendar=CAL)  # type: ignore[arg-type]
    assert err.value.field == "as_of"


def test_numpy_integers_are_counts() -> None:
    np = pytest.importorskip("numpy")
    assert CAL.add_working_days(DAY, np.int64(1)) == date(2026, 11, 3)
    assert CAL.workday_at(np.int32(1)) == date(2004, 1, 2)
