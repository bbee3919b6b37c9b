"""The error tree: builtin mix-ins, readable messages, pickling across processes."""

from __future__ import annotations

import pickle
from datetime import date
from typing import Any

import pytest

from govdisclose import errors
from govdisclose.errors import (
    CalendarDataMissing,
    ConflictError,
    DeserializationError,
    GovDiscloseError,
    InvalidTransition,
    PublishBlocked,
    ReportInconsistent,
)

# Each error class and the builtins a caller may catch it as (errors.py docstring tree).
BUILTINS: dict[str, tuple[type[Exception], ...]] = {
    "ValidationError": (ValueError,),
    "DeserializationError": (ValueError,),
    "InvalidTransition": (ValueError,),
    "ParameterError": (),
    "InvalidParameterFile": (ValueError,),
    "HolidayNoticeError": (ValueError,),
    "ParameterNotFound": (LookupError,),
    "CalendarError": (),
    "CalendarDataMissing": (LookupError,),
    "RuleError": (ValueError,),
    "PublishBlocked": (),
    "StoreError": (),
    "ConflictError": (),
    "NotFound": (LookupError,),
    "StoreIntegrityError": (ValueError,),
    "PluginError": (),
    "ReportError": (),
    "ReportInconsistent": (ValueError,),
    "ReportParseError": (ValueError,),
}

PARENTS: dict[str, str] = {
    "DeserializationError": "ValidationError",
    "InvalidParameterFile": "ParameterError",
    "HolidayNoticeError": "InvalidParameterFile",
    "ParameterNotFound": "ParameterError",
    "CalendarDataMissing": "CalendarError",
    "ConflictError": "StoreError",
    "NotFound": "StoreError",
    "StoreIntegrityError": "StoreError",
    "ReportInconsistent": "ReportError",
    "ReportParseError": "ReportError",
}

CLASSES: list[type[GovDiscloseError]] = [
    getattr(errors, name) for name in errors.__all__ if name != "GovDiscloseError"
]


def _make(cls: type[GovDiscloseError], **extra: Any) -> GovDiscloseError:
    if cls is CalendarDataMissing:
        return CalendarDataMissing.for_day(date(2031, 2, 1), (2004, 2026))
    if cls is errors.HolidayNoticeError:
        return cls("第3行无法识别", "line 3 cannot be read", source="2027.txt", line=3, **extra)
    return cls("申请编号不能为空", "application id must not be empty", field="id", **extra)


def test_tree_is_complete() -> None:
    """Every class in `errors.__all__` is described here."""
    assert {c.__name__ for c in CLASSES} == set(BUILTINS)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_hierarchy(cls: type[GovDiscloseError]) -> None:
    """Each error is a GovDiscloseError, its documented parent, and the builtin it claims."""
    assert issubclass(cls, GovDiscloseError)
    assert issubclass(cls, Exception)
    for builtin in BUILTINS[cls.__name__]:
        assert issubclass(cls, builtin)
    for builtin in {ValueError, LookupError} - set(BUILTINS[cls.__name__]):
        assert not issubclass(cls, builtin)
    parent = PARENTS.get(cls.__name__)
    if parent is not None:
        assert issubclass(cls, getattr(errors, parent))


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_codes_distinct_and_dotted(cls: type[GovDiscloseError]) -> None:
    """Default codes are stable dotted identifiers, one per class."""
    assert "." in cls.default_code
    others = [c.default_code for c in CLASSES if c is not cls]
    assert cls.default_code not in others


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_str_has_code_both_languages_and_field(cls: type[GovDiscloseError]) -> None:
    """A log line alone is enough to act on: code, Chinese, English and field."""
    err = _make(cls)
    text = str(err)
    assert err.code == cls.default_code
    assert f"[{err.code}]" in text
    assert err.message_zh in text
    assert err.message_en in text
    if err.field:
        assert f"field: {err.field}" in text
    assert text.index(err.message_zh) < text.index(err.message_en)


def test_code_override_and_no_field() -> None:
    """``code`` overrides the default; without a field none is printed."""
    err = GovDiscloseError("错", "wrong", code="custom.code")
    assert err.code == "custom.code"
    assert err.field is None
    assert str(err) == "[custom.code] 错 / wrong"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_pickle_round_trip(cls: type[GovDiscloseError]) -> None:
    """Errors cross process boundaries with every attribute intact."""
    err = _make(cls)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is cls
    assert back.__dict__ == err.__dict__
    assert str(back) == str(err)
    assert back.args == err.args


@pytest.mark.parametrize(
    ("err", "attrs"),
    [
        (
            DeserializationError(
                "无法读取", "cannot read", field="$.a", errors=[("$.a", "x"), ("$.b", "y")]
            ),
            {"errors": (("$.a", "x"), ("$.b", "y"))},
        ),
        (
            InvalidTransition(
                "不能", "cannot", field="events[2]", expected=["replied", "withdrawn"]
            ),
            {"expected": ("replied", "withdrawn")},
        ),
        (
            ConflictError("冲突", "conflict", expected_version=3, actual_version=4),
            {"expected_version": 3, "actual_version": 4},
        ),
        (PublishBlocked("拦截", "blocked", findings=["涉密"]), {"findings": ("涉密",)}),
        (ReportInconsistent("不符", "mismatch", findings=[1, 2]), {"findings": (1, 2)}),
        (
            CalendarDataMissing.for_day(date(2031, 2, 1), (2004, 2026)),
            {"year": 2031, "covered": (2004, 2026)},
        ),
    ],
)
def test_extra_attributes_survive_pickling(err: GovDiscloseError, attrs: dict[str, Any]) -> None:
    """Structured attributes are tuples and survive pickling."""
    back = pickle.loads(pickle.dumps(err))
    for name, value in attrs.items():
        assert getattr(err, name) == value
        assert getattr(back, name) == value


def test_calendar_message_names_year_and_remedies() -> None:
    """The missing-calendar message says which year and how to proceed."""
    err = CalendarDataMissing.for_day(date(2031, 2, 1), (2004, 2026))
    assert "2031" in err.message_zh
    assert "2004" in err.message_en
    assert "provisional" in err.message_en
    assert "provisional" in err.message_zh


def test_catchable_as_builtin() -> None:
    """Code that catches ValueError or LookupError catches the matching errors."""
    with pytest.raises(ValueError, match=r"lifecycle\.invalid_transition"):
        raise InvalidTransition("不能", "cannot")
    with pytest.raises(LookupError):
        raise errors.NotFound("没有", "none")
