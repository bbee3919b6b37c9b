"""`daily.approaching` from a store's `ReplyFacts` equals `daily.approaching` from the objects.

Given the columns, `approaching` answers the applications whose only open clocks are the reply
and the correction notice from the arrays and loads objects only for the others
(`govdisclose.daily._from_facts`). The reminders, their order, the problems (with the row they
name) and the summary must be exactly those of the objects' path, on generated histories with
corrections, consultations, fees, extensions and closings, on days inside and past the
holiday data (strict: problems; provisional: provisional results).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from govdisclose import daily
from govdisclose.calendar import WorkCalendar
from govdisclose.errors import GovDiscloseError
from govdisclose.model import Application, Received
from govdisclose.params import ParameterSet
from govdisclose.store import reply_facts
from govdisclose.testing import MemoryStore
from govdisclose.testing.builders import agencies_of, sample_applications

pytest.importorskip("numpy")

PARAMS = ParameterSet.default()
DAYS = (date(2021, 3, 1), date(2022, 9, 30), date(2023, 12, 29), date(2026, 12, 21))


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    st = MemoryStore()
    sample = list(sample_applications(4000, agencies=("AG1", "AG2"), seed=21))
    st.import_bulk(agencies=agencies_of(sample), applications=sample)
    # Received late in the holiday data: due dates fall in years without it.
    late = [
        app
        for app in sample_applications(40, agencies=("AG3",), seed=22)
        if isinstance(app.events[0], Received)
    ]
    moved = [_moved(app, n) for n, app in enumerate(late)]
    st.import_bulk(agencies=agencies_of(moved), applications=moved)
    return st


def _moved(app: Application, n: int) -> Application:
    """A one-event copy of ``app`` received in December 2026."""
    received = Received(on=date(2026, 12, 1 + n % 25))
    return Application(
        id=f"LATE-{n}",
        agency=app.agency,
        applicant=app.applicant,
        channel=app.channel,
        request=app.request,
        events=(received,),
    )


@pytest.mark.parametrize("policy", ["strict", "provisional"])
@pytest.mark.parametrize("day", DAYS)
def test_from_the_facts_as_from_the_objects(store: MemoryStore, day: date, policy: str) -> None:
    cal = WorkCalendar.default(policy=policy)
    facts = reply_facts(store, open_on=day)
    apps = list(store.applications(open_on=day))
    assert list(facts.ids) == [a.id for a in apps]
    for within in (3, 10):
        fast = daily.approaching(facts, day, params=PARAMS, calendar=cal, within=within)
        slow = daily.approaching(apps, day, params=PARAMS, calendar=cal, within=within)
        assert fast.items == slow.items
        assert fast.problems == slow.problems
        assert fast.summary == slow.summary
    # Near the end of the receipts most open applications are young, plain histories: the
    # columns settle most of them there (the comparison is not of objects against objects).
    _, rows = daily._from_facts(facts, day, PARAMS, cal, 3)
    if day == DAYS[2]:
        assert len(rows) < len(facts) / 2


def test_the_case_mix_is_covered(store: MemoryStore) -> None:
    """The generated histories reach both paths and every kind of reminder the test compares."""
    cal = WorkCalendar.default(policy="strict")
    day = DAYS[2]
    run = daily.approaching(
        reply_facts(store, open_on=day), day, params=PARAMS, calendar=cal, within=10
    )
    clocks = {r.clock for r in run.items}
    assert len(clocks) >= 2, clocks
    late = daily.approaching(
        reply_facts(store, open_on=DAYS[3]), DAYS[3], params=PARAMS, calendar=cal
    )
    assert late.problems
    # The columns settle rows with a fee notice and rows with a consultation (the parties'
    # windows), not only plain histories: the comparison above covers those clocks too.
    import numpy as np

    from govdisclose.columns import EventCode

    facts = reply_facts(store, open_on=day)
    _, rows = daily._from_facts(facts, day, PARAMS, cal, 3)
    settled = np.ones(len(facts), dtype=bool)
    settled[rows] = False
    row_of = np.repeat(np.arange(len(facts)), facts.lens)
    for code in (EventCode.FEE_NOTIFIED, EventCode.CONSULTED):
        with_it = np.zeros(len(facts), dtype=bool)
        with_it[row_of[(facts.kind == code) & (facts.on <= day.toordinal())]] = True
        assert np.count_nonzero(with_it & settled) > 10, code


def test_the_run_returns_the_reply_status_of_every_row(store: MemoryStore) -> None:
    """`Reminders.replies` is `reply_status_facts` of the same facts with the run's
    ``within``; from objects there is none."""
    from govdisclose.deadlines import reply_status_facts

    day = DAYS[2]
    cal = WorkCalendar.default(policy="strict")
    facts = reply_facts(store, open_on=day)
    for within in (3, 10):
        run = daily.approaching(facts, day, params=PARAMS, calendar=cal, within=within)
        want = reply_status_facts(facts, day, params=PARAMS, calendar=cal, warn_within=within)
        assert run.replies is not None
        assert [run.replies[i] for i in range(len(facts))] == [want[i] for i in range(len(facts))]
    apps = list(store.applications(open_on=day))
    assert daily.approaching(apps, day, params=PARAMS, calendar=cal).replies is None


hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402
from tests import strategies as gst  # noqa: E402


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    histories=st.lists(gst.applications(max_events=10), min_size=1, max_size=12),
    offset=st.integers(-30, 400),
    within=st.integers(0, 12),
    policy=st.sampled_from(["strict", "provisional"]),
)
def test_arbitrary_histories_from_the_facts_as_from_the_objects(
    histories: list[Application], offset: int, within: int, policy: str
) -> None:
    """On arbitrary valid histories (several consultations of one party, agencies consulted,
    fees paid and unpaid, corrections, closings) and any day around them, the reminders,
    problems and summary from the columns are those from the objects."""
    import attrs

    apps = [attrs.evolve(a, id=f"H{n:03d}") for n, a in enumerate(histories)]
    st_ = MemoryStore()
    st_.import_bulk(agencies=agencies_of(apps), applications=apps)
    first = min((a.events[0].on for a in apps if a.events), default=date(2022, 1, 1))
    day = first + timedelta(days=offset)
    cal = WorkCalendar.default(policy=policy)
    facts = reply_facts(st_)
    objects = list(st_.applications())
    fast = daily.approaching(facts, day, params=PARAMS, calendar=cal, within=within)
    slow = daily.approaching(objects, day, params=PARAMS, calendar=cal, within=within)
    assert fast.items == slow.items
    assert fast.problems == slow.problems
    assert fast.summary == slow.summary


def test_open_applications_are_the_stores_columns_or_its_objects(
    store: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With numpy: the store's columns of the open applications (of one agency); without it:
    the same applications as objects; `check` gives the same checks from either."""
    import sys

    from govdisclose.columns import ReplyFacts

    day = date(2023, 12, 29)
    cal = WorkCalendar.default(policy="provisional")
    facts = daily.open_applications(store, day, agency="AG1")
    assert isinstance(facts, ReplyFacts)
    objects = list(store.applications(agency="AG1", open_on=day))
    assert list(facts.ids) == [a.id for a in objects]
    with monkeypatch.context() as patched:
        patched.setitem(sys.modules, "numpy", None)  # import numpy raises ImportError
        plain = list(daily.open_applications(store, day, agency="AG1"))
    assert plain == objects
    run = daily.check(facts, as_of=day, params=PARAMS, calendar=cal)
    want = daily.check(objects, as_of=day, params=PARAMS, calendar=cal)
    assert run.checks == want.checks
    with pytest.raises(GovDiscloseError) as caught:
        daily.open_applications(store, "2023-12-29")  # type: ignore[arg-type]
    assert caught.value.field == "day"
