"""Analysis frames count what the model says, and the deadline columns follow the engine."""

from __future__ import annotations

from datetime import date

import pytest

pd = pytest.importorskip("pandas")

from govdisclose import analysis  # noqa: E402 - after the optional-dependency skip
from govdisclose.calendar import WorkCalendar  # noqa: E402
from govdisclose.deadlines import reply_status  # noqa: E402
from govdisclose.errors import GovDiscloseError  # noqa: E402
from govdisclose.params import ParameterSet  # noqa: E402
from govdisclose.synthetic import Dataset, generate  # noqa: E402


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return generate(2025, applications_per_agency=60, records_per_agency=10, seed=7)


def test_outcome_table_counts_each_closed_application_once(dataset: Dataset) -> None:
    """The crosstab has the 21 official rows and its total equals the closed applications."""
    frame = analysis.applications_frame(dataset.applications)
    table = analysis.outcome_table(frame)
    closed = [a for a in dataset.applications if a.outcome is not None]
    assert len(table) == 21
    assert list(table.index.get_level_values("row"))[:2] == ["R3_1", "R3_2"]
    assert int(table["total"].sum()) == len(closed)
    natural = sum(1 for a in closed if a.applicant.type.code == "natural_person")
    assert int(table["natural_person"].sum()) == natural


def test_deadline_columns_agree_with_the_engine(dataset: Dataset) -> None:
    """Each row's due date and state are exactly what deadlines.reply_status gives."""
    params, calendar = ParameterSet.default(), WorkCalendar.default()
    as_of = date(2025, 12, 31)
    apps = dataset.applications[:40]
    frame = analysis.applications_frame(apps, as_of=as_of, params=params, calendar=calendar)
    for app, (_, row) in zip(apps, frame.iterrows(), strict=True):
        st = reply_status(app, as_of, params=params, calendar=calendar)
        assert row["clock_state"] == st.state.value
        assert row["due"].date() == st.due
    rates = analysis.timeliness(frame)
    assert set(rates.index) <= {a.agency for a in apps}
    assert int(rates["applications"].sum()) == len(apps)


def test_timeliness_needs_deadline_columns(dataset: Dataset) -> None:
    """Without the deadline columns the error says how to get them."""
    frame = analysis.applications_frame(dataset.applications[:5])
    with pytest.raises(GovDiscloseError) as caught:
        analysis.timeliness(frame)
    assert caught.value.field == "clock_state"


def test_records_frame_flags_attribute_changes(dataset: Dataset) -> None:
    """One row per record, with the publication lag in calendar days."""
    frame = analysis.records_frame(dataset.records)
    assert len(frame) == len(dataset.records)
    assert not frame["attribute_changed"].any()
    published = frame[frame["first_published_on"].notna()]
    assert (published["calendar_days_to_publish"] >= 0).all()


@pytest.mark.parametrize("year", [2022, 2023, 2028])
def test_synthetic_receipts_fall_on_weekdays(year: int) -> None:
    """Years starting on a Saturday (2022) or ending on a weekend are generated without a hang."""
    data = generate(year, applications_per_agency=30, records_per_agency=2, seed=1)
    assert all(
        a.receipt_date is not None and a.receipt_date.weekday() < 5 for a in data.applications
    )
    assert {a.receipt_date.year for a in data.applications if a.receipt_date} <= {year - 1, year}


def test_one_2027_deadline_does_not_fail_the_frame() -> None:
    """Applications received in December 2026: under the strict policy the ones due in 2027
    are rows with a problem, the others are computed; under the provisional policy every row
    has a date and the 2027 ones are marked provisional with the assumption."""
    import govdisclose as gd

    def app(day: date) -> gd.Application:
        a = gd.Application(
            id=f"A-{day.isoformat()}",
            agency="city-gov",
            applicant=gd.Applicant(type=gd.ApplicantType.NATURAL_PERSON, name="张三"),
            channel=gd.Channel.IN_PERSON,
            request="请公开某某项目的环评批复",
        )
        return gd.apply(a, gd.Received(on=day))

    apps = [app(date(2026, 11, 20)), app(date(2026, 12, 4)), app(date(2026, 12, 20))]
    params, as_of = ParameterSet.default(), date(2026, 12, 21)
    strict = analysis.applications_frame(
        apps, as_of=as_of, params=params, calendar=WorkCalendar.default()
    )
    assert list(strict["clock_state"]) == ["overdue", "undetermined", "undetermined"]
    assert strict["problem"].isna().tolist() == [True, False, False]
    assert "2027" in strict["problem"].iloc[1]
    assert strict.attrs["calendar_policy"] == "strict"
    provisional_cal = WorkCalendar.default(policy="provisional")
    prov = analysis.applications_frame(apps, as_of=as_of, params=params, calendar=provisional_cal)
    assert prov["problem"].isna().all()
    assert prov["provisional"].tolist() == [False, True, True]
    assert prov["assumption"].iloc[1] == provisional_cal.provisional_assumption
    assert prov.attrs["calendar_policy"] == "provisional"


_CLOCK_COLUMNS = ["due", "provisional", "assumption", "clock_state", "working_days_late", "problem"]


@pytest.mark.parametrize("policy", ["strict", "provisional"])
def test_deadlines_frame_is_the_clock_columns_of_the_store(policy: str) -> None:
    """From a store's columns, no object loaded: row for row the clock columns of
    applications_frame over the same applications, and each row's receipt date and days
    left those of the scalar engine. December 2026 receipts under the strict policy give
    undetermined rows with their problem."""
    import attrs

    from govdisclose.store import reply_facts
    from govdisclose.testing import MemoryStore
    from govdisclose.testing.builders import agencies_of, sample_applications

    params = ParameterSet.default()
    cal = WorkCalendar.default(policy=policy)  # type: ignore[arg-type]
    as_of = date(2026, 12, 21)
    apps = [
        attrs.evolve(a, id=f"{a.id}-{k}", events=tuple(_shift(e, years) for e in a.events))
        for k, years in enumerate((0, 3))
        for a in sample_applications(300, seed=4)
    ]
    store = MemoryStore()
    store.import_bulk(agencies=agencies_of(apps), applications=apps)

    def refuse(*args: object) -> list[object]:
        raise AssertionError("an application was loaded")

    facts = attrs.evolve(reply_facts(store), load=refuse, load_many=refuse)
    frame = analysis.deadlines_frame(facts, as_of=as_of, params=params, calendar=cal)
    stored = list(store.applications())
    full = analysis.applications_frame(stored, as_of=as_of, params=params, calendar=cal)
    assert frame["id"].tolist() == full["id"].tolist()
    pd.testing.assert_frame_equal(
        frame[_CLOCK_COLUMNS].reset_index(drop=True),
        full[_CLOCK_COLUMNS].reset_index(drop=True),
        check_dtype=False,
    )
    assert frame["receipt_date"].tolist() == full["receipt_date"].tolist()
    undetermined = frame["clock_state"] == "undetermined"
    assert bool(undetermined.any()) is (policy == "strict")
    assert frame.loc[undetermined, "problem"].str.contains("2027").all()
    for app, left in zip(stored, frame["working_days_left"], strict=True):
        try:
            st = reply_status(app, as_of, params=params, calendar=cal)
        except GovDiscloseError:
            assert pd.isna(left)
            continue
        assert (None if pd.isna(left) else int(left)) == st.working_days_left
    assert frame.attrs["calendar_policy"] == policy


def test_deadlines_frame_needs_its_arguments() -> None:
    from govdisclose.columns import ReplyFacts

    facts = ReplyFacts.of([])
    with pytest.raises(GovDiscloseError) as caught:
        analysis.deadlines_frame(facts, as_of=date(2026, 1, 5), params=None, calendar=None)
    assert caught.value.field == "params"
    empty = analysis.deadlines_frame(
        facts,
        as_of=date(2026, 1, 5),
        params=ParameterSet.default(),
        calendar=WorkCalendar.default(),
    )
    assert empty.empty
    assert "working_days_left" in empty


def _shift(event: object, years: int) -> object:
    """The event moved ``years`` years later (its dates, not its meaning)."""
    import attrs

    moved = {
        f.name: _later(getattr(event, f.name), years)
        for f in attrs.fields(type(event))
        if isinstance(getattr(event, f.name), date)
    }
    return attrs.evolve(event, **moved)  # type: ignore[misc]


def _later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
