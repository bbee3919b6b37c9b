"""The columnar path: `ReplyFacts`, `govdisclose.store.reply_facts` and
`govdisclose.deadlines.reply_status_facts`, against the object path."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from operator import attrgetter, eq
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from tests import strategies

from govdisclose import errors
from govdisclose.calendar import WorkCalendar
from govdisclose.columns import EventCode, PackedIds, ReplyFacts, event_code
from govdisclose.deadlines import ClockState, reply_status, reply_status_facts
from govdisclose.model import Application, Extended, ThirdPartyConsulted, ThirdPartyReplied
from govdisclose.params import ParameterSet
from govdisclose.store import ColumnarStore, Store, reply_facts
from govdisclose.testing import MemoryStore
from govdisclose.testing.builders import agencies_of
from govdisclose.testing.contract import tally_dataset
from govdisclose.vocab import Channel

PARAMS = ParameterSet.default()
CAL = WorkCalendar.default(policy="provisional")


class _ObjectsOnly:
    """A store without `ColumnarStore`: `reply_facts` must build the default from it."""

    def __init__(self, inner: MemoryStore) -> None:
        self._inner = inner

    def applications(self, **kw: Any) -> Iterator[Application]:
        return self._inner.applications(**kw)

    def __getattr__(self, name: str) -> Any:
        if name == "reply_facts":
            raise AttributeError(name)
        return getattr(self._inner, name)


# -- the old extraction (deadlines._batch._columns before 0.x), the reference for `of` -------

_CHANNEL_CODE = attrgetter("channel._value_")


def _old_columns(
    apps: Sequence[Application],
) -> tuple[list[Any], npt.NDArray[np.int64], bytes, list[int], list[list[int]]]:
    needs = frozenset(c.value for c in Channel if c.receipt_needs_confirmation)
    flat: list[Any] = []
    lens: list[int] = []
    confirmations: list[list[int]] = []
    for row, app in enumerate(apps):
        events = app.events
        lens.append(len(events))
        flat += events
        first = events[0] if events else None
        conf = getattr(first, "confirmed_on", None)
        if conf is not None and _CHANNEL_CODE(app) in needs:
            confirmations.append([row, conf.toordinal()])
    codes = bytes(int(event_code(e)) for e in flat)
    return (
        flat,
        np.asarray(lens, dtype=np.int64),
        codes,
        [e.on.toordinal() for e in flat],
        (confirmations),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(strategies.applications(), max_size=15))
def test_of_equals_the_old_columns(apps: list[Application]) -> None:
    flat, lens, codes, ons, confirmations = _old_columns(apps)
    facts = ReplyFacts.of(apps)
    assert facts.ids == tuple(a.id for a in apps)
    assert facts.lens.tolist() == lens.tolist()
    assert facts.kind.tobytes() == codes
    assert facts.on.tolist() == ons
    assert facts.confirmed.tolist() == confirmations
    assert facts.extension_days.tolist() == [e.days if isinstance(e, Extended) else 0 for e in flat]
    assert facts.consulted_agency.tolist() == [
        isinstance(e, ThirdPartyConsulted) and e.is_agency for e in flat
    ]
    party = facts.party.tolist()
    for k, e in enumerate(flat):
        if isinstance(e, ThirdPartyConsulted | ThirdPartyReplied):
            assert all(
                (party[j] == party[k]) == (flat[j].party == e.party)
                for j in range(len(flat))
                if party[j] >= 0
            )
        else:
            assert party[k] == -1
    for i, app in enumerate(apps):
        assert facts.load(i) is app


def test_of_on_a_generated_population() -> None:
    from govdisclose.synthetic import generate_applications

    apps = list(generate_applications("某局", 2025, 3000, seed=11))
    _, lens, codes, ons, confirmations = _old_columns(apps)
    facts = ReplyFacts.of(apps)
    assert facts.lens.tolist() == lens.tolist()
    assert facts.kind.tobytes() == codes
    assert facts.on.tolist() == ons
    assert facts.confirmed.tolist() == confirmations
    assert facts.events == len(ons)
    assert len(facts) == len(apps)


# -- the store and the batch against the scalar path -------------------------------------------


def _scalar_or_error(app: Application, as_of: date) -> Any:
    try:
        return reply_status(app, as_of, params=PARAMS, calendar=CAL)
    except errors.GovDiscloseError as err:
        return err


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(strategies.applications(), max_size=12, unique_by=lambda a: a.id),
    st.integers(0, 11),
    st.integers(-10, 200),
    st.sampled_from(("all", "open_on", "received")),
)
def test_store_facts_equal_scalar(
    apps: list[Application], pick: int, offset: int, selection: str
) -> None:
    store = MemoryStore()
    store.import_bulk(agencies=agencies_of(apps), applications=apps)
    receipts = [a.receipt_date for a in apps if a.receipt_date] or [date(2025, 3, 1)]
    as_of = receipts[pick % len(receipts)] + timedelta(days=offset)
    kw: dict[str, Any] = {}
    if selection == "open_on":
        kw["open_on"] = as_of
    elif selection == "received":
        kw["received"] = (as_of - timedelta(days=60), as_of)
    facts = reply_facts(store, **kw)
    default = reply_facts(_ObjectsOnly(store), **kw)  # type: ignore[arg-type]
    assert facts.ids == default.ids
    batch = reply_status_facts(facts, as_of, params=PARAMS, calendar=CAL)
    assert len(batch) == len(facts)
    problems = {p.index: p for p in batch.problems}
    for i, app_id in enumerate(facts.ids):
        app = store.get_application(app_id)
        assert facts.load(i) == app
        one = _scalar_or_error(app, as_of)
        if isinstance(one, errors.GovDiscloseError):
            assert batch[i].state is ClockState.UNDETERMINED
            assert problems[i].code == one.code
            assert problems[i].subject_id == app_id
            continue
        got = batch[i]
        assert (
            got.state,
            got.due,
            got.working_days_left,
            got.working_days_late,
            got.provisional,
        ) == (one.state, one.due, one.working_days_left, one.working_days_late, one.provisional)


def test_selection_semantics() -> None:
    store = MemoryStore()
    apps = tally_dataset()
    store.import_bulk(agencies=agencies_of(apps), applications=apps)
    assert isinstance(store, ColumnarStore)
    assert isinstance(store, Store)
    assert not isinstance(_ObjectsOnly(store), ColumnarStore)
    cases: list[tuple[dict[str, Any], list[str]]] = [
        ({"agency": "AG2"}, ["T12"]),
        ({"open_on": date(2022, 1, 1)}, ["T01", "T09", "T11", "T12"]),
        ({"agency": "AG1", "open_on": date(2022, 1, 4)}, ["T01", "T07", "T09"]),
        # T07: a letter of 2021-12-30 confirmed 2022-01-04 is received on the 4th.
        ({"received": (date(2022, 1, 4), date(2022, 1, 4))}, ["T07"]),
        ({"received": (date(2022, 1, 5), date(2022, 1, 1))}, []),
    ]
    for kw, expected in cases:
        for source in (store, _ObjectsOnly(store)):
            assert list(reply_facts(source, **kw).ids) == expected, (kw, source)  # type: ignore[arg-type]
    with pytest.raises(errors.ValidationError) as caught:
        reply_facts(store, received=date(2022, 1, 1))  # type: ignore[arg-type]
    assert caught.value.field == "received"


def test_memory_store_columns_follow_writes() -> None:
    store = MemoryStore()
    apps = tally_dataset()
    store.import_bulk(agencies=agencies_of(apps), applications=apps)
    before = reply_facts(store, agency="AG1")
    assert reply_facts(store, agency="AG1") is before  # cached between writes
    app = store.get_application("T04")
    store.append_events(
        "T04",
        [ThirdPartyConsulted(on=date(2023, 1, 3), party="乙局", is_agency=True)],
        expected_version=app.version,
    )
    after = reply_facts(store, agency="AG1")
    row = after.ids.index("T04")
    assert int(after.lens[row]) == int(before.lens[row]) + 1
    assert after.load(row) == store.get_application("T04")
    assert bool(after.consulted_agency[int(after.lens[:row].sum()) + int(after.lens[row]) - 1])


# -- ReplyFacts itself --------------------------------------------------------------------------


def _facts(**kw: Any) -> ReplyFacts:
    base: dict[str, Any] = {
        "ids": ("A", "B"),
        "lens": [1, 2],
        "kind": [1, 1, 9],
        "on": [738000, 738000, 738010],
        "confirmed": np.zeros((0, 2), dtype=np.int64),
        "extension_days": [0, 0, 0],
        "consulted_agency": [False, False, False],
        "party": [-1, -1, -1],
    }
    return ReplyFacts(**(base | kw))


@pytest.mark.parametrize(
    ("kw", "field", "code"),
    [
        ({"lens": [1]}, "lens", "validation.invalid"),
        ({"lens": [2, 2]}, "kind", "validation.invalid"),
        ({"lens": [-1, 4]}, "lens", "validation.negative"),
        ({"lens": [[1, 2]]}, "lens", "validation.type"),
        ({"on": [1.5, 2.0, 3.0]}, "on", "validation.type"),
        ({"kind": [1, 1, 11]}, "kind", "validation.invalid"),
        ({"kind": [1, 1, -1]}, "kind", "validation.invalid"),
        ({"kind": [1, 1, 265]}, "kind", "validation.invalid"),
        ({"kind": ["a", "b", "c"]}, "kind", "validation.type"),
        ({"party": [-1, -1]}, "party", "validation.invalid"),
        ({"consulted_agency": [[True], [False], [True]]}, "consulted_agency", "validation.type"),
        ({"confirmed": [[0, 1, 2]]}, "confirmed", "validation.invalid"),
        ({"confirmed": [[2, 738001]]}, "confirmed", "validation.invalid"),
        ({"confirmed": [0, 738001]}, "confirmed", "validation.type"),
    ],
)
def test_validation_errors_are_typed(kw: dict[str, Any], field: str, code: str) -> None:
    with pytest.raises(errors.ValidationError) as caught:
        _facts(**kw)
    assert (caught.value.field, caught.value.code) == (field, code)


def test_facts_are_read_only_and_leave_the_callers_arrays_alone() -> None:
    on = np.asarray([738000, 738000, 738010], dtype=np.int64)
    facts = _facts(on=on)
    with pytest.raises(ValueError, match="read-only"):
        facts.on[0] = 1
    on[0] = 1  # the caller's own array is still writable
    assert facts.kind.dtype == np.int8
    assert list(facts.kind) == [1, 1, int(EventCode.REPLIED)]


def test_load_without_a_loader_is_a_typed_error() -> None:
    facts = _facts()
    with pytest.raises(errors.ValidationError) as caught:
        facts.load(1)
    assert caught.value.field == "load"


def test_reply_status_many_is_reply_status_facts_of_the_objects() -> None:
    from govdisclose.deadlines import reply_status_many
    from govdisclose.synthetic import generate_applications

    apps = list(generate_applications("某局", 2025, 500, seed=3))
    day = date(2025, 7, 1)
    many = reply_status_many(apps, day, params=PARAMS, calendar=CAL)
    facts = reply_status_facts(ReplyFacts.of(apps), day, params=PARAMS, calendar=CAL)
    assert np.array_equal(many.state, facts.state)
    assert many.due.astype(str).tolist() == facts.due.astype(str).tolist()


def test_the_batch_loads_no_object() -> None:
    """Every row is computed from the columns: the histories the arrays do not cover (several
    consultations, fee pauses) are folded from the columns, not loaded, with the results of
    the objects themselves."""
    from govdisclose.testing.builders import sample_applications

    apps = list(sample_applications(400, seed=5))
    day = date(2023, 12, 29)
    params, cal = ParameterSet.default(), WorkCalendar.default()
    # The sample has histories only the one-by-one fold covers.
    several = [a for a in apps if sum(isinstance(e, ThirdPartyConsulted) for e in a.events) > 1]
    assert len(several) >= 5

    def refuse(*args: object) -> list[Application]:
        raise AssertionError(f"objects loaded: {args}")

    import attrs

    facts = attrs.evolve(ReplyFacts.of(apps), load=refuse, load_many=refuse)
    got = reply_status_facts(facts, day, params=params, calendar=cal)

    def seen(st: Any) -> tuple[Any, ...]:  # what the batch computes (no done_on, no reason)
        return (st.state, st.due, st.working_days_left, st.working_days_late, st.provisional)

    assert [seen(got[i]) for i in range(len(got))] == [
        seen(reply_status(a, day, params=params, calendar=cal)) for a in apps
    ]


def test_objects_are_loaded_in_one_call_where_the_source_can() -> None:
    """`ReplyFacts.objects` asks ``load_many`` once (one query for a SQL store), never row by
    row, and refuses a loader that returns the wrong number of applications."""
    from govdisclose.testing.builders import sample_applications

    apps = list(sample_applications(20, seed=5))
    calls: list[list[int]] = []

    def load_one(i: int) -> Application:
        raise AssertionError(f"row {i} loaded alone")

    def load_many(rows: Sequence[int]) -> list[Application]:
        calls.append(list(rows))
        return [apps[i] for i in rows]

    import attrs

    facts = attrs.evolve(ReplyFacts.of(apps), load=load_one, load_many=load_many)
    assert facts.objects([3, 1, 7]) == [apps[3], apps[1], apps[7]]
    assert calls == [[3, 1, 7]]
    with pytest.raises(errors.ValidationError) as caught:
        attrs.evolve(facts, load_many=lambda rows: []).objects([0, 1])
    assert caught.value.field == "load_many"


# -- narrow columns and packed ids --------------------------------------------------------------


def test_columns_are_narrow_whatever_the_source() -> None:
    from govdisclose.testing.builders import sample_applications

    apps = list(sample_applications(50, seed=2))
    store = MemoryStore()
    store.import_bulk(agencies=agencies_of(apps), applications=apps)
    for facts in (ReplyFacts.of(apps), reply_facts(store), _facts()):
        assert facts.kind.dtype == np.int8
        assert facts.consulted_agency.dtype == np.bool_
        for name in ("lens", "on", "confirmed", "extension_days", "party"):
            assert getattr(facts, name).dtype == np.int32, name


def test_wide_integers_are_narrowed_or_refused() -> None:
    facts = _facts(on=np.asarray([738000, 738000, 738010], dtype=np.int64))
    assert facts.on.dtype == np.int32
    assert facts.on.tolist() == [738000, 738000, 738010]
    for name, value in (
        ("on", np.asarray([738000, 738000, 2**31], dtype=np.int64)),
        ("party", np.asarray([-1, -1, -(2**31) - 1], dtype=np.int64)),
        ("extension_days", np.asarray([0, 0, 2**32], dtype=np.uint64)),
    ):
        with pytest.raises(errors.ValidationError) as caught:
            _facts(**{name: value})
        assert (caught.value.field, caught.value.code) == (name, "validation.invalid")


def test_a_huge_extension_is_clipped_and_computes_as_the_scalar_path() -> None:
    from govdisclose.testing.builders import application

    huge = Extended(on=date(2024, 3, 20), days=10**12, reason="调档", approved_by="主任")
    app = application("H1", received=date(2024, 3, 1), events=[huge])
    for facts in (ReplyFacts.of([app]), _memory_facts([app])):
        assert facts.extension_days.tolist() == [0, 2**31 - 1]
        day = date(2024, 3, 25)
        got = reply_status_facts(facts, day, params=PARAMS, calendar=CAL)[0]
        want = reply_status(app, day, params=PARAMS, calendar=CAL)
        assert (got.state, got.due, got.working_days_left) == (
            want.state,
            want.due,
            want.working_days_left,
        )


def _memory_facts(apps: list[Application]) -> ReplyFacts:
    store = MemoryStore()
    store.import_bulk(agencies=agencies_of(apps), applications=apps)
    return reply_facts(store)


def test_the_facts_of_no_applications() -> None:
    for facts in (ReplyFacts.of([]), _memory_facts([])):
        assert (len(facts), facts.events) == (0, 0)
        assert list(facts.ids) == []
        assert len(reply_status_facts(facts, date(2024, 1, 2), params=PARAMS, calendar=CAL)) == 0


def test_ids_of_objects_are_read_from_them() -> None:
    from govdisclose.testing.builders import application

    apps = [application(f"申请-{i}") for i in range(3)]
    ids = ReplyFacts.of(apps).ids
    assert ids == ("申请-0", "申请-1", "申请-2")
    assert eq(("申请-0", "申请-1", "申请-2"), ids)  # a tuple on the left: the reflected ==
    assert ids == ["申请-0", "申请-1", "申请-2"]
    assert ids != ("申请-0", "申请-1")
    assert ids != ("申请-0", "申请-1", 2)
    assert (ids[-1], ids[1:], ids.index("申请-1"), "申请-2" in ids) == (
        "申请-2",
        ["申请-1", "申请-2"],
        1,
        True,
    )


@given(st.lists(st.text(min_size=1, max_size=12), max_size=20))
def test_packed_ids_are_the_ids(ids: list[str]) -> None:
    packed = PackedIds.of(ids)
    assert packed == tuple(ids)
    assert list(packed) == ids
    assert len(packed) == len(ids)
    assert [packed[i] for i in range(-len(ids), len(ids))] == ids + ids
    assert packed[1:3] == ids[1:3]
    assert packed.nbytes == len("".join(ids).encode()) + 8 * len(ids)
    with pytest.raises(IndexError):
        packed[len(ids)]
    with pytest.raises(TypeError):
        hash(packed)


def test_packed_ids_refuse_bad_ends() -> None:
    for ends, code in (
        ([3, 2], "validation.invalid"),
        ([1, 4], "validation.invalid"),
        ([-1, 3], "validation.invalid"),
        ([[1, 3]], "validation.type"),
        ([1.0, 3.0], "validation.type"),
    ):
        with pytest.raises(errors.ValidationError) as caught:
            PackedIds(b"abc", ends)
        assert (caught.value.field, caught.value.code) == ("ends", code)
    assert "n=3" in repr(PackedIds.of(["a", "b", "c"]))


def test_every_code_the_fold_reads_has_a_stand_in() -> None:
    """The batch rebuilds histories from codes (`_batch._STAND_INS`): every code but the ones
    `fold` ignores (the receipt, which it reads from the receipt date, and OTHER) has the
    class `event_code` gives that code, so a new code cannot fall through as "other"."""
    from govdisclose.deadlines import _batch

    ignored = {EventCode.OTHER, EventCode.RECEIVED}
    assert set(_batch._STAND_INS) == {int(c) for c in EventCode} - {int(c) for c in ignored}
    for code, (cls, _) in _batch._STAND_INS.items():
        assert int(event_code(_batch._bare(cls, on=date(2025, 1, 2)))) == code


def test_receipt_days_and_event_positions_follow_the_objects() -> None:
    """`receipt_days` is each application's `receipt_date` (0 when not received, also for an
    empty history); `event_positions` finds each row's events in the columns."""
    from govdisclose.testing.builders import deadline_population

    apps = list(deadline_population(300, seed=6))
    apps.append(attrs_evolve(apps[0], id="EMPTY", events=()))
    facts = ReplyFacts.of(apps)
    want = [a.receipt_date.toordinal() if a.receipt_date else 0 for a in apps]
    assert facts.receipt_days().tolist() == want
    assert any(a.receipt_date != a.events[0].on for a in apps if a.events)  # confirmations
    rows = np.asarray([5, 0, 299, 300, 17])
    positions, ends = facts.event_positions(rows)
    lo = 0
    for row, end in zip(rows.tolist(), ends.tolist(), strict=True):
        days = facts.on[positions[lo:end]].tolist()
        assert days == [e.on.toordinal() for e in apps[row].events]
        lo = end


def attrs_evolve(app: Application, **changes: Any) -> Application:
    import attrs

    return attrs.evolve(app, **changes)
