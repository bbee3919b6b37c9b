"""Serialization at the edge: round trips for every model class, and every kind of bad input."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from tests import strategies as gs

from govdisclose.errors import DeserializationError, GovDiscloseError
from govdisclose.model import (
    Agency,
    Applicant,
    Application,
    AttributeDecision,
    Event,
    Extended,
    FeeNotified,
    Inquiry,
    OpinionEvent,
    Publication,
    Received,
    Record,
    Replied,
    ReviewCase,
    ThirdPartyConsulted,
)
from govdisclose.serde import (
    EVENT_TAG,
    MAX_DEPTH,
    dumps,
    loads,
    make_converter,
    structure,
    structure_event,
    unstructure,
)
from govdisclose.vocab import AgencyLevel, FeeMethod, Outcome, PublicationChannel

# `structure` is typed for classes; the event union is a type alias, so it goes in as Any.
EVENT_UNION: Any = Event

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MODEL_STRATEGIES: list[tuple[type[Any], st.SearchStrategy[Any]]] = [
    (Agency, gs.agencies()),
    (AttributeDecision, gs.attribute_decisions()),
    (Publication, gs.publications()),
    (Record, gs.records()),
    (Applicant, gs.applicants()),
    *[(cls, strategy) for cls, strategy in gs.EVENT_STRATEGIES.items()],
    (Application, gs.applications()),
    (ReviewCase, gs.review_cases()),
    (Inquiry, gs.inquiries()),
    (OpinionEvent, gs.opinion_events()),
]


@pytest.mark.parametrize(
    ("cls", "strategy"), MODEL_STRATEGIES, ids=[c.__name__ for c, _ in MODEL_STRATEGIES]
)
def test_round_trip(cls: type[Any], strategy: st.SearchStrategy[Any]) -> None:
    """Every model class survives unstructure/structure and JSON text unchanged."""

    @FAST
    @given(strategy)
    def check(obj: Any) -> None:
        assert structure(unstructure(obj), cls) == obj
        text = dumps(obj)
        assert loads(text, cls) == obj
        assert loads(text.encode("utf-8"), cls) == obj

    check()


@FAST
@given(gs.events())
def test_event_union_round_trip(event: Event) -> None:
    """An event read as the `Event` union comes back as its own class, tagged by kind."""
    data = make_converter().unstructure(event, unstructure_as=Event)
    assert data[EVENT_TAG] == event.kind
    back = structure(data, EVENT_UNION)
    assert type(back) is type(event)
    assert back == event


@FAST
@given(gs.aware_datetimes())
def test_datetime_keeps_instant_and_offset(moment: datetime) -> None:
    """A datetime comes back as the same instant with the same UTC offset."""
    pub = Publication(publisher="办公室", channel=PublicationChannel.PORTAL, published_at=moment)
    back = loads(dumps(pub), Publication)
    assert back.published_at == moment
    assert back.published_at.utcoffset() == moment.utcoffset()
    assert back.published_on == pub.published_on


def test_chinese_stays_readable_in_json() -> None:
    """JSON text keeps Chinese characters as they are (no \\u escapes)."""
    agency = Agency(code="11330000", name="浙江省人民政府办公厅", level=AgencyLevel.PROVINCIAL)
    text = dumps(agency)
    assert "浙江省人民政府办公厅" in text
    assert "\\u" not in text


def test_plain_data_shapes() -> None:
    """Dates are ISO strings, enums their codes, Decimals strings, events tagged."""
    fee = FeeNotified(
        on=date(2025, 3, 3),
        amount=Decimal("1700.00"),
        method=FeeMethod.PER_VOLUME,
        quantity=150,
    )
    assert unstructure(fee) == {
        "kind": "fee_notified",
        "on": "2025-03-03",
        "note": None,
        "actor": None,
        "amount": "1700.00",
        "method": "per_volume",
        "quantity": 150,
        "basis": None,
    }
    assert unstructure(fee, converter=make_converter()) == unstructure(fee)
    assert structure(unstructure(fee), EVENT_UNION) == fee
    assert structure_event(unstructure(fee)) == fee
    assert structure(unstructure(fee), FeeNotified) == fee
    moment = datetime(2025, 3, 3, 9, 30, tzinfo=gs.SHANGHAI)
    pub = Publication(publisher="办公室", channel=PublicationChannel.GAZETTE, published_at=moment)
    assert unstructure(pub)["published_at"] == "2025-03-03T09:30:00+08:00"


# -- bad input -------------------------------------------------------------------------------


def _application_data() -> dict[str, Any]:
    return {
        "id": "2025-0001",
        "agency": "330100",
        "applicant": {"type": "natural_person", "name": "张三"},
        "channel": "online",
        "request": "请公开2024年某路段改造工程的招标文件",
        "events": [
            {"kind": "received", "on": "2025-03-03", "confirmed_on": "2025-03-04"},
            {"kind": "correction_requested", "on": "2025-03-05", "items": "请写明文件名称"},
            {"kind": "correction_received", "on": "2025-03-10"},
            {"kind": "replied", "on": "2025-03-20", "outcome": "disclosed"},
        ],
    }


def _read_error(data: Any, cls: type[Any] = Application) -> DeserializationError:
    with pytest.raises(DeserializationError) as info:
        structure(data, cls)
    return info.value


def test_valid_application_data_reads() -> None:
    """The sample document reads, so every bad-input test below changes exactly one thing."""
    app = structure(_application_data(), Application)
    assert app.receipt_date == date(2025, 3, 4)
    assert app.outcome is Outcome.DISCLOSED


def _assert_well_formed(err: DeserializationError, path: str) -> None:
    assert isinstance(err, GovDiscloseError)
    assert isinstance(err, ValueError)
    assert err.field == path
    assert path in [p for p, _ in err.errors]
    assert err.message_zh
    assert err.message_en
    assert path in str(err)
    assert err.code == "serde.invalid_input"


@pytest.mark.parametrize(
    ("path", "value", "where", "words"),
    [
        # unknown enum code
        (("channel",), "wechat", "$.channel", "wechat"),
        (("applicant", "type"), "person", "$.applicant.type", "person"),
        (("events", 3, "outcome"), "granted", "$.events[3].outcome", "granted"),
        # wrong scalar types: no coercion in either direction
        (("id",), 2025, "$.id", "expected str"),
        (("applicant", "name"), ["张三"], "$.applicant.name", "expected str"),
        (("events", 1, "items"), None, "$.events[1].items", ""),
        # malformed and impossible dates
        (("events", 2, "on"), "2025-13-01", "$.events[2].on", "2025-13-01"),
        (("events", 2, "on"), "2025/03/10", "$.events[2].on", "2025/03/10"),
        (("events", 2, "on"), "2025-03-10T00:00:00", "$.events[2].on", "ISO date"),
        (("events", 2, "on"), 20250310, "$.events[2].on", "ISO date"),
        (("events", 0, "confirmed_on"), "2025-02-30", "$.events[0].confirmed_on", "2025-02-30"),
        # unknown event kind
        (("events", 2, "kind"), "escalated", "$.events[2]", "escalated"),
        (("events", 2, "kind"), None, "$.events[2]", "unknown event"),
        # a whole event of the wrong shape
        (("events", 1), "received", "$.events[1]", "event object"),
    ],
)
def test_bad_value_names_its_path(
    path: tuple[str | int, ...], value: Any, where: str, words: str
) -> None:
    """A wrong value deep inside an application is reported at its JSON path."""
    data = _application_data()
    target: Any = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    err = _read_error(data)
    _assert_well_formed(err, where)
    assert words in dict(err.errors)[where]


def test_missing_field() -> None:
    """A missing required field is reported as such, at its path."""
    data = _application_data()
    del data["events"][2]["on"]
    err = _read_error(data)
    _assert_well_formed(err, "$.events[2].on")
    assert dict(err.errors)["$.events[2].on"] == "required field missing"
    assert "缺少必填字段" in err.message_zh


def test_missing_event_kind_tag() -> None:
    """An event object without its ``kind`` tag cannot be placed and says why."""
    data = _application_data()
    del data["events"][1]["kind"]
    err = _read_error(data)
    _assert_well_formed(err, "$.events[1]")


@pytest.mark.parametrize(
    ("path", "where"),
    [((), "$"), (("applicant",), "$.applicant"), (("events", 0), "$.events[0]")],
)
def test_unknown_extra_key(path: tuple[str | int, ...], where: str) -> None:
    """A misspelt key is refused instead of vanishing silently."""
    data = _application_data()
    target: Any = data
    for step in path:
        target = target[step]
    target["recieved_on"] = "2025-03-03"
    err = _read_error(data)
    _assert_well_formed(err, where)
    assert "recieved_on" in dict(err.errors)[where]
    assert "recieved_on" in err.message_zh


def test_every_problem_is_listed() -> None:
    """All problems are reported at once, so a form can mark every wrong field."""
    data = _application_data()
    data["channel"] = "pigeon"
    data["events"][0]["on"] = "yesterday"
    data["events"][3]["outcome"] = 5
    err = _read_error(data)
    paths = {p for p, _ in err.errors}
    assert paths == {"$.channel", "$.events[0].on", "$.events[3].outcome"}
    assert "另有 2 处" in err.message_zh
    assert "2 more" in err.message_en


def test_nested_model_validator_names_nested_path() -> None:
    """A blank applicant name is reported at ``$.applicant.name``, with the model's message."""
    data = _application_data()
    data["applicant"]["name"] = "   "
    err = _read_error(data)
    _assert_well_formed(err, "$.applicant.name")
    assert "non-empty" in dict(err.errors)["$.applicant.name"]


def test_event_validator_names_event_field() -> None:
    """A confirmation before arrival is reported at the event's field."""
    data = _application_data()
    data["events"][0]["confirmed_on"] = "2025-03-01"
    err = _read_error(data)
    _assert_well_formed(err, "$.events[0].confirmed_on")


def test_top_level_validator_names_field() -> None:
    """A model validator error on the top-level object names ``$.<field>``."""
    err = _read_error(
        {
            "id": "c1",
            "agency": "a",
            "kind": "reconsideration",
            "filed_on": "2025-01-02",
            "result": "upheld",
            "concluded_on": "2024-12-31",
        },
        ReviewCase,
    )
    _assert_well_formed(err, "$.concluded_on")


@pytest.mark.parametrize(
    ("data", "cls", "where"),
    [
        (
            {"on": "2025-01-01", "party": "某公司", "is_agency": "false"},
            ThirdPartyConsulted,
            "$.is_agency",
        ),
        (
            {"on": "2025-01-01", "party": "某公司", "is_agency": 0},
            ThirdPartyConsulted,
            "$.is_agency",
        ),
        ({"on": "2025-01-01", "days": "5", "reason": "r", "approved_by": "a"}, Extended, "$.days"),
        ({"on": "2025-01-01", "days": True, "reason": "r", "approved_by": "a"}, Extended, "$.days"),
        ({"on": "2025-01-01", "days": 5.0, "reason": "r", "approved_by": "a"}, Extended, "$.days"),
        ({"on": "2025-01-01", "days": 0, "reason": "r", "approved_by": "a"}, Extended, "$.days"),
        ({"code": 110000, "name": "北京市", "level": "provincial"}, Agency, "$.code"),
        ({"code": "1", "name": "北京市", "level": 1}, Agency, "$.level"),
    ],
)
def test_strict_scalars(data: dict[str, Any], cls: type[Any], where: str) -> None:
    """No coercion: "5" is not an int, "false" is not a bool, 110000 is not a str."""
    _assert_well_formed(_read_error(data, cls), where)


@pytest.mark.parametrize(
    "stamp",
    ["2025-03-03T09:30:00", "2025-03-03 09:30", "2025-03-03", "next monday", 1741000000],
)
def test_naive_or_bad_datetime_refused(stamp: Any) -> None:
    """A datetime without a UTC offset (or not a datetime at all) is refused."""
    err = _read_error(
        {"publisher": "办公室", "channel": "portal", "published_at": stamp}, Publication
    )
    _assert_well_formed(err, "$.published_at")


def test_offset_datetime_accepted() -> None:
    """An ISO datetime with an offset reads as that instant."""
    pub = structure(
        {"publisher": "办公室", "channel": "portal", "published_at": "2025-03-03T09:30:00+08:00"},
        Publication,
    )
    assert pub.published_at == datetime(2025, 3, 3, 1, 30, tzinfo=UTC)
    assert pub.published_at.utcoffset() == timedelta(hours=8)


def _fee(amount: Any) -> dict[str, Any]:
    return {"on": "2025-03-03", "amount": amount, "method": "per_volume", "quantity": 150}


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("1700", Decimal("1700")), ("0.10", Decimal("0.10")), (1700, Decimal(1700))],
)
def test_fee_amount_accepted(amount: Any, expected: Decimal) -> None:
    """Amounts are decimal strings (or integers); they are read exactly."""
    fee = structure(_fee(amount), FeeNotified)
    assert fee.amount == expected
    assert str(fee.amount) == str(expected)


@pytest.mark.parametrize("amount", [0.1, 1700.0, "NaN", "Infinity", "一千", True, None, "-5"])
def test_fee_amount_refused(amount: Any) -> None:
    """A float amount (binary rounding), a non-number or a negative amount is refused."""
    _assert_well_formed(_read_error(_fee(amount), FeeNotified), "$.amount")


@pytest.mark.parametrize("data", ["not an object", 5, None, ["a"], True])
def test_not_an_object(data: Any) -> None:
    """Input that is not a JSON object at all is a DeserializationError at ``$``."""
    _assert_well_formed(_read_error(data, Agency), "$")


def test_nested_not_an_object() -> None:
    """A nested object given as a string is reported at its path with a readable message."""
    data = _application_data()
    data["applicant"] = "张三"
    err = _read_error(data)
    _assert_well_formed(err, "$.applicant")
    assert dict(err.errors)["$.applicant"] == "expected an object for Applicant, got str"


@pytest.mark.parametrize(("field", "value"), [("key_areas", "教育"), ("key_areas", {"教育": 1})])
def test_sequence_must_be_an_array(field: str, value: Any) -> None:
    """A string where a list belongs is refused, not split into characters."""
    data = {"id": "r1", "title": "通知", "agency": "a", "formed_on": "2025-01-01", field: value}
    _assert_well_formed(_read_error(data, Record), f"$.{field}")


def test_events_must_be_an_array() -> None:
    """``events`` given as one object is refused at ``$.events``."""
    data = _application_data()
    data["events"] = data["events"][0]
    _assert_well_formed(_read_error(data), "$.events")


@pytest.mark.parametrize(
    "text", ["", "{", "{'id': 1}", "[1,]", b"\xff\xfe", b'{"code": "\xff"}', "null x"]
)
def test_invalid_json_text(text: str | bytes) -> None:
    """Text that is not JSON is a DeserializationError at ``$`` with the parser's position."""
    with pytest.raises(DeserializationError) as info:
        loads(text, Agency)
    err = info.value
    assert err.field == "$"
    assert err.errors
    assert isinstance(err, ValueError)
    assert err.message_zh.startswith("不是有效的 JSON")
    assert err.message_en.startswith("not valid JSON")


def test_loads_reports_structure_errors_too() -> None:
    """Valid JSON of the wrong shape goes through the same error reporting as `structure`."""
    data = _application_data()
    data["events"][2]["on"] = "2025-13-01"
    with pytest.raises(DeserializationError) as info:
        loads(json.dumps(data, ensure_ascii=False), Application)
    assert info.value.field == "$.events[2].on"


def test_converters_are_independent() -> None:
    """`make_converter` returns a fresh converter each time; changing one leaves others alone."""
    mine = make_converter()
    assert mine is not make_converter()
    mine.register_unstructure_hook(date, lambda d: d.strftime("%Y年%m月%d日"))
    rec = Received(on=date(2025, 3, 3))
    assert unstructure(rec, converter=mine)["on"] == "2025年03月03日"
    assert unstructure(rec)["on"] == "2025-03-03"


def test_replied_with_unknown_outcome_lists_valid_codes() -> None:
    """The message for an unknown code lists the valid codes."""
    err = _read_error({"on": "2025-01-01", "outcome": "granted"}, Replied)
    message = dict(err.errors)["$.outcome"]
    assert "disclosed" in message
    assert "fee_not_paid" in message


# -- strict JSON text (issue 11, item 7) -------------------------------------------------------


def _loads_error(text: str | bytes, cls: type[Any] = Application) -> DeserializationError:
    with pytest.raises(DeserializationError) as info:
        loads(text, cls)
    err = info.value
    assert err.message_zh
    assert err.message_en
    assert err.field
    assert err.field in str(err)
    assert err.field in [p for p, _ in err.errors]
    return err


_AGENCY_TEXT = '{"code": "1", "name": "北京市", "level": "provincial"}'


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"code": "1", "code": "2", "name": "北京市", "level": "provincial"}', "$.code"),
        ('{"code": "1", "name": "北京市", "level": "provincial", "name": "上海市"}', "$.name"),
        # duplicates are refused even where the value would be refused anyway
        ('{"code": "1", "name": "北京市", "level": "provincial", "x": 1, "x": 1}', "$.x"),
        (
            '{"code": "1", "name": "北京市", "level": "provincial", '
            '"x": {"a": [{"b": 1, "b": 2}]}}',
            "$.x.a[0].b",
        ),
    ],
)
def test_duplicate_keys_refused(text: str, where: str) -> None:
    """A key given twice in one object is refused at its path, at any depth (json.loads would
    silently keep the last one)."""
    for given_text in (text, text.encode("utf-8")):
        err = _loads_error(given_text, Agency)
        assert err.field == where
        assert err.code == "serde.duplicate_key"
        assert "twice" in err.message_en
        assert "重复" in err.message_zh


def test_duplicate_keys_in_an_application() -> None:
    """Duplicates deep in an application are reported at their paths, all of them."""
    text = json.dumps(_application_data(), ensure_ascii=False)
    text = text.replace('"name": "张三"', '"name": "张三", "name": "李四"')
    text = text.replace('"on": "2025-03-10"', '"on": "2025-03-10", "on": "2025-03-11"')
    err = _loads_error(text)
    assert err.field == "$.applicant.name"
    assert [p for p, _ in err.errors] == ["$.applicant.name", "$.events[2].on"]
    assert "1 more" in err.message_en
    assert "另有 1 处" in err.message_zh


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_literals_refused(literal: str) -> None:
    """JSON has no NaN or Infinity; Python's json would read them as floats."""
    text = f'{{"on": "2025-03-03", "amount": {literal}, "method": "per_volume", "quantity": 1}}'
    err = _loads_error(text, FeeNotified)
    assert err.field == "$.amount"
    assert err.code == "serde.bad_number"
    assert literal in err.message_en


@pytest.mark.parametrize(
    ("literal", "where"),
    [("1e999999", "$.amount"), ("-1e400", "$.amount"), ("1" + "0" * 5000, "$.quantity")],
)
def test_numbers_out_of_range_refused(literal: str, where: str) -> None:
    """A float literal that overflows to infinity, or an integer literal thousands of digits
    long (a raw ValueError from int() before), is refused at its path."""
    data = {"on": "2025-03-03", "amount": "1", "method": "per_volume", "quantity": 1}
    data[where[2:]] = "@"
    text = json.dumps(data).replace('"@"', literal)
    err = _loads_error(text, FeeNotified)
    assert err.field == where
    assert err.code == "serde.bad_number"


def test_long_but_fine_numbers_still_read() -> None:
    """A big integer that fits is read (and then judged by the model, by name)."""
    data = {"on": "2025-03-03", "amount": "1", "method": "per_volume", "quantity": 10**30}
    err = _loads_error(json.dumps(data), FeeNotified)
    assert err.field == "$.quantity"
    assert err.code == "serde.invalid_input"
    assert "out of range" in dict(err.errors)["$.quantity"]


@pytest.mark.parametrize(
    "amount",
    [
        "1e999999",
        "1E+2",
        "1e3",
        "1_000",
        "１０",  # full-width digits: Decimal("１０") == 10
        "١٠",  # Arabic-Indic digits
        "+5",
        " 5",
        "5 ",
        "5\n",
        "5.",
        ".5",
        "0x10",
        "-Infinity",
        "sNaN",
        "1,000",
        "1" * 41,
        "1." + "0" * 41,
        "",
    ],
)
def test_amount_must_be_a_plain_decimal(amount: str) -> None:
    """Amounts are plain ASCII decimals, bounded in length: no exponent, separator, sign '+',
    space or non-ASCII digit, all of which Python's Decimal would accept."""
    err = _read_error(_fee(amount), FeeNotified)
    _assert_well_formed(err, "$.amount")
    assert "plain decimal" in dict(err.errors)["$.amount"]


@pytest.mark.parametrize("amount", ["0", "-0", "0.10", "83460.00", "1" * 19, "0." + "0" * 19 + "1"])
def test_plain_amounts_accepted(amount: str) -> None:
    """Plain decimals read exactly, keeping their places."""
    fee = structure(_fee(amount), FeeNotified)
    assert fee.amount == Decimal(amount)
    assert unstructure(fee)["amount"] == format(Decimal(amount), "f")


def test_amounts_are_written_in_plain_digits() -> None:
    """An amount the model holds in exponent form is written as plain digits and reads back."""
    fee = FeeNotified(
        on=date(2025, 3, 3), amount=Decimal("1.7E+3"), method=FeeMethod.PER_VOLUME, quantity=1
    )
    assert unstructure(fee)["amount"] == "1700"
    assert loads(dumps(fee), FeeNotified) == fee


@pytest.mark.parametrize("day", ["２０２５-０３-０３", "2025-03-0３"])
def test_dates_in_ascii_digits_only(day: str) -> None:
    """A date in full-width digits is refused as not an ISO date."""
    data = _application_data()
    data["events"][0]["on"] = day
    err = _read_error(data)
    _assert_well_formed(err, "$.events[0].on")
    assert "ISO date" in dict(err.errors)["$.events[0].on"]


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [65, 1000, 100_000])
def test_deep_nesting_refused(depth: int) -> None:
    """Nesting deeper than MAX_DEPTH is a DeserializationError, never a RecursionError."""
    for text in (_nested(depth), f'{{"code": {_nested(depth)}}}'):
        for given_text in (text, text.encode("utf-8")):
            err = _loads_error(given_text, Agency)
            assert err.field == "$"
            assert err.code == "serde.too_deep"
            assert str(MAX_DEPTH) in err.message_en


def test_nesting_up_to_the_limit_reads() -> None:
    """MAX_DEPTH levels are parsed (and then judged as data); brackets in strings do not count."""
    assert MAX_DEPTH == 64
    err = _loads_error(f'{{"code": {_nested(MAX_DEPTH - 1)}}}', Agency)
    assert err.code == "serde.invalid_input"
    assert err.field == "$.code"
    name = "[" * 500 + "{" * 500
    agency = loads(json.dumps({"code": "1", "name": name, "level": "provincial"}), Agency)
    assert agency.name == name


def test_structure_of_deep_python_data() -> None:
    """A deeply nested Python value where a string belongs is reported, not a RecursionError."""
    deep: Any = []
    for _ in range(100_000):
        deep = [deep]
    err = _read_error({"code": deep, "name": "北京市", "level": "provincial"}, Agency)
    _assert_well_formed(err, "$.code")


@pytest.mark.parametrize(
    "text",
    [
        '{"code": "\\ud800", "name": "北京市", "level": "provincial"}',
        b'{"code": "\xed\xa0\x80", "name": "\xe5\x8c\x97", "level": "provincial"}',
        '{"code": "1\\u0000", "name": "北京市", "level": "provincial"}',
    ],
)
def test_unstorable_text_refused_at_its_path(text: str | bytes) -> None:
    """A lone surrogate (escaped, or encoded in the bytes) or a NUL is refused by the model's
    text check, at its path, before anything reaches a store."""
    err = _loads_error(text, Agency)
    assert err.field == "$.code"
    assert "U+" in dict(err.errors)["$.code"]


_JSON_PIECES = st.sampled_from(
    [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        '"code"',
        '"name"',
        '"level"',
        '"provincial"',
        '"x"',
        "1",
        "-0",
        "1e999",
        "NaN",
        "Infinity",
        "true",
        "null",
        '"\\ud800"',
        '"\\u0000"',
        " ",
        '"2025-03-03"',
        "1" * 30,
        '"１０"',
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_JSON_PIECES, max_size=40).map("".join) | st.text(max_size=40) | st.binary(max_size=40)
)
def test_loads_raises_only_deserialization_errors(text: str | bytes) -> None:
    """Whatever the text, `loads` returns a model object or raises DeserializationError."""
    for cls in (Agency, FeeNotified, Application):
        problem: DeserializationError | None = None
        try:
            loads(text, cls)
        except DeserializationError as err:
            problem = err
        if problem is not None:
            assert problem.field
            assert problem.message_zh
            assert problem.message_en
