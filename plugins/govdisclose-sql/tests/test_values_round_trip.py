"""Nothing the SQL store accepts fails to read back (issue 11, item 4).

Whatever the model accepts, with arbitrary text in every text field (control characters, astral
characters, whitespace; NUL and lone surrogates are drawn too, and refused by the model before
they reach a store), is stored and read back equal: records by id and in the listings,
applications by id and in the listing. The same property for JSON and the in-memory store is in
the core suite (``tests/test_values.py``); this file is self-contained so that the plugin's
tests need nothing from the core's test directory.
"""

from __future__ import annotations

import contextlib
import itertools
import types
import typing
from datetime import date, datetime
from typing import Any

import attrs
import pytest

from govdisclose import model
from govdisclose.errors import InvalidTransition, ValidationError
from govdisclose.lifecycle import check_history
from govdisclose.model import Application, AttributeDecision, Record, ReviewStep, TimedRelease
from govdisclose.testing.builders import (
    SHANGHAI,
    agencies_of,
    application,
    deadline_population,
    record,
    sample_applications,
)
from govdisclose.vocab import DisclosureAttribute, NonDisclosureReason, ReviewDecision
from govdisclose_sql import SqlStore

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, assume, given, settings, strategies as st  # noqa: E402

MOMENT = datetime(2025, 3, 3, 9, 30, tzinfo=SHANGHAI)
DAY = date(2025, 3, 3)

#: Characters that are awkward for some layer: control characters (kept by the model), BOM,
#: line separators, astral characters, JSON escapes, and NUL / lone surrogates (refused).
_SPECIAL = st.sampled_from(
    [
        "\x00",
        "\ud800",
        "\udfff",
        "\x01",
        "\x0b",
        "\x1f",
        "\x7f",
        "\x85",
        "\u2028",
        "\ufeff",
        "\u200b",
        "\u3000",
        " ",
        "\t",
        "\r\n",
        '"',
        "\\",
        "'",
        "%",
        "😀",
        "\U0010ffff",
        "𠀀",
    ]
)
ANY_TEXT = st.lists(st.characters(codec=None, exclude_categories=()) | _SPECIAL, max_size=12).map(
    "".join
)

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _split_optional(tp: Any) -> tuple[Any, bool]:
    if typing.get_origin(tp) in (types.UnionType, typing.Union):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(inner) < len(typing.get_args(tp)) and len(inner) == 1:
            return inner[0], True
    return tp, False


def _text_kind(tp: Any) -> str | None:
    inner, optional = _split_optional(tp)
    if inner is str:
        return "optional" if optional else "str"
    if typing.get_origin(inner) is tuple and typing.get_args(inner)[0] is str:
        return "tuple"
    return None


def retext(draw: Any, obj: Any, memo: dict[str, str]) -> Any:
    """``obj`` with arbitrary text in every text field where the model accepts it (a refused
    text leaves the field as it was); equal texts stay equal, so parties still match."""
    cls = type(obj)
    hints = typing.get_type_hints(cls, vars(model))
    current = obj
    for f in attrs.fields(cls):
        value = getattr(current, f.name)
        kind = _text_kind(hints[f.name])
        new: Any
        if kind in ("str", "optional"):
            if value is None:
                new = draw(st.none() | ANY_TEXT)
            else:
                if value not in memo:
                    memo[value] = draw(ANY_TEXT)
                new = memo[value]
        elif kind == "tuple":
            new = tuple(draw(st.lists(ANY_TEXT, max_size=3)))
        elif attrs.has(type(value)):
            new = retext(draw, value, memo)
        elif isinstance(value, tuple) and value and attrs.has(type(value[0])):
            new = tuple(retext(draw, item, memo) for item in value)
        else:
            continue
        with contextlib.suppress(ValidationError):
            current = attrs.evolve(current, **{f.name: new})
    return current


def _decision() -> AttributeDecision:
    return AttributeDecision(
        attribute=DisclosureAttribute.NOT_DISCLOSED,
        decided_by="办公室",
        decided_on=DAY,
        reason=next(iter(NonDisclosureReason)),
        legal_basis="条例第十四条",
    )


_BASE_RECORDS = [
    record("R1"),
    record("R2", published=[MOMENT], key_areas=("教育",), interpretations=("图解",), body="正文"),
    record(
        "R3",
        published=[MOMENT, MOMENT],
        decisions=[_decision(), _decision()],
        key_areas=("教育", "医疗", "养老"),
    ),
    # Issue 14: the review history (an escalation carries the office and the question) and a
    # timed release, stored inside the record's JSON.
    record(
        "R4",
        reviews=(
            ReviewStep(step="初审", decision=ReviewDecision.PASSED, by="张三", at=MOMENT),
            ReviewStep(
                step="保密审查",
                decision=ReviewDecision.ESCALATED,
                by="李四",
                at=MOMENT,
                note="能否公开不能确定",
                to="保密办",
            ),
        ),
        timed_release=TimedRelease(not_before=MOMENT, reason="新闻发布会同步发布"),
    ),
]
_BASE_APPLICATIONS = [
    *sample_applications(30, seed=3),
    *deadline_population(30, seed=9),
    application("A0"),
]


@st.composite
def any_text_records(draw: Any) -> Record:
    rec: Record = retext(draw, draw(st.sampled_from(_BASE_RECORDS)), {})
    return rec


@st.composite
def any_text_applications(draw: Any) -> Application:
    app: Application = retext(draw, draw(st.sampled_from(_BASE_APPLICATIONS)), {})
    try:
        check_history(app)
    except InvalidTransition:
        assume(False)  # two parties drew the same name
    return app


def test_any_accepted_record_round_trips(sql_store: SqlStore) -> None:
    """put_record then get_record (and the listings) give back the record the model accepted."""

    @SETTINGS
    @given(any_text_records())
    def check(rec: Record) -> None:
        # The agency's code is drawn text too: the store keeps only records of its agencies.
        for agency in agencies_of([rec]):
            sql_store.put_agency(agency)
        sql_store.put_record(rec)
        assert sql_store.get_record(rec.id) == rec
        listed = [r for r in sql_store.records(agency=rec.agency) if r.id == rec.id]
        assert listed == [rec]
        register = [e for e in sql_store.published(agency=rec.agency) if e.record_id == rec.id]
        assert [e.publication for e in register] == list(rec.publications)
        assert all(e.title == rec.title for e in register)

    check()


def test_any_accepted_application_round_trips(sql_store: SqlStore) -> None:
    """create_application then get_application (and the listing) give back the application."""
    serial = itertools.count()

    @SETTINGS
    @given(any_text_applications())
    def check(app: Application) -> None:
        # Each example is a new application: the id keeps its drawn text, made unique.
        app = attrs.evolve(app, id=f"{app.id}#{next(serial)}")
        for agency in agencies_of([app]):
            sql_store.put_agency(agency)
        sql_store.create_application(app)
        assert sql_store.get_application(app.id) == app
        listed = [a for a in sql_store.applications(agency=app.agency) if a.id == app.id]
        assert listed == [app]

    check()


def test_any_accepted_application_round_trips_through_import_bulk(sql_store: SqlStore) -> None:
    """The bulk import writes its own rows, by driver-level statements: what it stored reads
    back equal, and its JSON columns hold text (a BLOB would read back equal too)."""
    serial = itertools.count()

    @SETTINGS
    @given(any_text_applications())
    def check(app: Application) -> None:
        app = attrs.evolve(app, id=f"{app.id}#bulk{next(serial)}")
        sql_store.import_bulk(agencies=agencies_of([app]), applications=[app])
        assert sql_store.get_application(app.id) == app

    check()
    if sql_store._engine.dialect.name == "sqlite":
        with sql_store._engine.connect() as conn:
            kinds = conn.exec_driver_sql(
                "SELECT DISTINCT typeof(data) FROM applications UNION "
                "SELECT DISTINCT typeof(data) FROM events"
            ).scalars()
            assert set(kinds) == {"text"}


def test_unstorable_text_never_reaches_the_store() -> None:
    """The issue's reproductions are refused by the model, naming the field, before any store
    sees them (they used to fail in the store as store.corrupted_row, TypeError or
    UnicodeEncodeError)."""
    for changes, field in [
        ({"body": None}, "body"),
        ({"body": 123}, "body"),
        ({"title": "\ud800"}, "title"),
        ({"body": "正文\x00"}, "body"),
        ({"key_areas": ("教育", "\udc80")}, "key_areas[1]"),
    ]:
        with pytest.raises(ValidationError) as info:
            record("R1", **changes)
        assert info.value.field == field
