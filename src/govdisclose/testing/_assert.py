"""The contract suite's assertions: a failure says what the adapter was expected to do, and
what it did (which fields differ, which call should have raised), even where pytest's assertion
rewriting is off; and `_run_together`, which starts calls in threads at the same instant.

Shared by `govdisclose.testing.contract` and the kept-items part of it
(`govdisclose.testing._items_contract`).
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Generic, TypeVar

import attrs

__all__: list[str] = []

_T = TypeVar("_T")
_E = TypeVar("_E", bound=BaseException)


def _run_together(*calls: Callable[[], _T]) -> list[BaseException | _T]:
    """Run the calls in threads released at the same instant; results or raised errors."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], _T]) -> BaseException | _T:
        barrier.wait()
        try:
            return call()
        except Exception as err:
            return err

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


# -- messages: what the adapter was expected to do, and what it did ---------------------------

# At most this many differences are listed; the first ones are enough to find the bug.
_MAX_DIFFERENCES = 8
# Long reprs (a whole record) are cut: the differing fields are listed separately.
_MAX_REPR = 300


def _show(value: object) -> str:
    """A short, readable rendering: enum members by name, long reprs cut."""
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, tuple) and all(isinstance(v, enum.Enum) for v in value):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    text = repr(value)
    return text if len(text) <= _MAX_REPR else text[: _MAX_REPR - 3] + "..."


def _differences(expected: object, got: object, path: str) -> Iterator[str]:
    """``path: expected X, returned Y`` for each differing leaf of two values."""
    if expected == got:
        return
    here = path or "value"
    cls = type(expected)
    if attrs.has(cls) and type(got) is cls:
        for name in (a.name for a in attrs.fields(cls)):
            yield from _differences(getattr(expected, name), getattr(got, name), f"{path}.{name}")
    elif (
        isinstance(expected, Sequence)
        and isinstance(got, Sequence)
        and (not isinstance(expected, str) and not isinstance(got, str))
    ):
        if len(expected) != len(got):
            yield f"{here}: {len(expected)} items expected, {len(got)} returned"
        for i, (e, g) in enumerate(zip(expected, got, strict=False)):
            yield from _differences(e, g, f"{path}[{i}]")
    elif isinstance(expected, Mapping) and isinstance(got, Mapping):
        for key in [*expected, *(k for k in got if k not in expected)]:
            where = f"{path}[{_show(key)}]"
            if key not in got:
                yield f"{where}: expected {_show(expected[key])}, missing"
            elif key not in expected:
                yield f"{where}: not expected, returned {_show(got[key])}"
            else:
                yield from _differences(expected[key], got[key], where)
    else:
        yield f"{here}: expected {_show(expected)}, returned {_show(got)}"


def _explain(what: str, expected: object, got: object) -> str:
    """The message of a failed comparison: the expectation, then what differs."""
    found = list(_differences(expected, got, ""))
    lines = [what]
    if found:
        lines += [f"  {d.removeprefix('.')}" for d in found[:_MAX_DIFFERENCES]]
        if len(found) > _MAX_DIFFERENCES:
            lines.append(f"  ... and {len(found) - _MAX_DIFFERENCES} more differences")
    else:
        # Equal leaves yet unequal values: an extra attribute or another type; show both.
        lines += [f"  expected: {_show(expected)}", f"  returned: {_show(got)}"]
    return "\n".join(lines)


class _Caught(Generic[_E]):
    """The error `_raises` caught, as ``value`` (like pytest's ``ExceptionInfo``)."""

    value: _E


def _names(kind: type[BaseException] | tuple[type[BaseException], ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(k.__name__ for k in kinds)


@contextmanager
def _raises(kind: type[_E] | tuple[type[_E], ...], doing: str) -> Iterator[_Caught[_E]]:
    """Like `pytest.raises`, but a miss says which call of the adapter should have raised, and
    an error of another type is reported as a failure of the contract, not as a crash."""
    __tracebackhide__ = True
    caught: _Caught[_E] = _Caught()
    try:
        yield caught
    except kind as err:
        caught.value = err
        return
    except Exception as err:
        raise AssertionError(
            f"{doing} must raise {_names(kind)}; it raised {type(err).__name__}: {err}"
        ) from err
    raise AssertionError(f"{doing} must raise {_names(kind)}; it raised nothing")
