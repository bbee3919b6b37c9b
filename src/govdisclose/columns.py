"""`ReplyFacts`: the facts the reply clock needs for many applications, as columns.

The daily job asks for the clock of every open application of a province each morning. Built
from objects, that costs a structured `Application` per row, most of it validation the store
already did when the row was written. A store that keeps its events in rows can hand the same
facts over as arrays instead (`govdisclose.store.reply_facts`), and the batch status
(`govdisclose.deadlines.reply_status_facts`) reads nothing else: one event kind code and one
day per event, and the few side facts some events carry. Objects are built only for the rare
histories the arrays do not cover (``load``).

The event codes (`EventCode`) are stable: a store may keep them in a column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from enum import IntEnum
from itertools import chain, repeat
from operator import attrgetter, is_not, itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt
from attrs import field, frozen

from govdisclose.errors import ValidationError
from govdisclose.model import (
    Application,
    CorrectionReceived,
    CorrectionRequested,
    DeemedWithdrawn,
    Extended,
    FeeNotified,
    FeePaid,
    Received,
    Replied,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    Withdrawn,
)
from govdisclose.vocab import Channel

__all__ = ["EventCode", "ReplyFacts", "event_code"]


class EventCode(IntEnum):
    """What an event means to the reply clock (stable small integers, storable).

    ``ENDED`` is a withdrawal (撤回) or a deemed withdrawal (视为放弃); ``OTHER`` an event the
    reply clock ignores. The order matters to the batch: every code from ``REPLIED`` up closes
    the application.
    """

    OTHER = 0
    RECEIVED = 1
    CORRECTION_REQUESTED = 2
    CORRECTION_RECEIVED = 3
    CONSULTED = 4
    CONSULTATION_REPLIED = 5
    FEE_NOTIFIED = 6
    FEE_PAID = 7
    EXTENDED = 8
    REPLIED = 9
    ENDED = 10


# Following the isinstance chain of the scalar path (`govdisclose.deadlines._fold`).
_CHAIN: tuple[tuple[type, EventCode], ...] = (
    (CorrectionRequested, EventCode.CORRECTION_REQUESTED),
    (CorrectionReceived, EventCode.CORRECTION_RECEIVED),
    (ThirdPartyConsulted, EventCode.CONSULTED),
    (ThirdPartyReplied, EventCode.CONSULTATION_REPLIED),
    (FeeNotified, EventCode.FEE_NOTIFIED),
    (FeePaid, EventCode.FEE_PAID),
    (Extended, EventCode.EXTENDED),
    (Withdrawn, EventCode.ENDED),
    (DeemedWithdrawn, EventCode.ENDED),
    (Replied, EventCode.REPLIED),
    (Received, EventCode.RECEIVED),
)


class _Codes(dict[type, int]):
    """Event class -> code; a subclass is classified on first sight, as isinstance would."""

    def __missing__(self, kind: type) -> int:
        found = next((int(c) for base, c in _CHAIN if issubclass(kind, base)), 0)
        self[kind] = found
        return found


_CODES = _Codes()


def event_code(event: object) -> EventCode:
    """The `EventCode` of one event object."""
    return EventCode(_CODES[type(event)])


def _int64(value: Any, name: str, dims: int = 1) -> npt.NDArray[np.int64]:
    array = np.asarray(value)
    if array.size and (array.ndim != dims or array.dtype.kind not in "iu"):
        raise ValidationError(
            f"ReplyFacts.{name} 应为 {dims} 维整数数组",
            f"ReplyFacts.{name} must be a {dims}-dimensional integer array",
            field=name,
            code="validation.type",
        )
    if not array.size:
        return np.zeros((0, 2) if dims == 2 else 0, dtype=np.int64)
    # A view: making it read-only below leaves the caller's own array as it was.
    return array.astype(np.int64, copy=False).view()


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    return value if type(value) is tuple else tuple(value)


def _lens(value: Any) -> npt.NDArray[np.int64]:
    return _int64(value, "lens")


def _kind(value: Any) -> npt.NDArray[np.int8]:
    codes = np.asarray(value)
    if not codes.size or codes.dtype.kind not in "iu":
        return _int64(codes, "kind").astype(np.int8)  # empty, or the typed error
    if codes.ndim != 1 or int(codes.min()) < 0 or int(codes.max()) > max(EventCode):
        raise ValidationError(
            "ReplyFacts.kind 应为 1 维数组，且只含已知的事件代码（EventCode）",
            "ReplyFacts.kind must be 1-dimensional and hold only known codes (EventCode)",
            field="kind",
            code="validation.invalid",
        )
    return codes.astype(np.int8, copy=False).view()


def _on(value: Any) -> npt.NDArray[np.int64]:
    return _int64(value, "on")


def _confirmed(value: Any) -> npt.NDArray[np.int64]:
    return _int64(value, "confirmed", 2)


def _extension_days(value: Any) -> npt.NDArray[np.int64]:
    return _int64(value, "extension_days")


def _party(value: Any) -> npt.NDArray[np.int64]:
    return _int64(value, "party")


def _flags(value: Any) -> npt.NDArray[np.bool_]:
    array = np.asarray(value)
    if array.size and (array.ndim != 1 or array.dtype.kind not in "biu"):
        raise ValidationError(
            "ReplyFacts.consulted_agency 应为 1 维布尔数组",
            "ReplyFacts.consulted_agency must be a 1-dimensional boolean array",
            field="consulted_agency",
            code="validation.type",
        )
    return array.reshape(-1).astype(bool, copy=False).view()


def _no_objects(i: int) -> Application:
    raise ValidationError(
        f"第 {i} 行的申请需要完整的办理记录，但提供这些事实的来源没有给出（ReplyFacts.load）",
        f"row {i} needs the full history but the source of these facts gave no loader "
        "(ReplyFacts.load)",
        field="load",
        code="validation.invalid",
    )


@frozen(eq=False)
class ReplyFacts:
    """The reply clock's facts of ``n`` applications with ``E`` events in all, as columns.

    Row ``i`` owns the events ``starts[i] .. starts[i] + lens[i] - 1`` (in the order of its
    history). Every array is read-only once built.

    :param ids: the application ids, in row order.
    :param lens: events per application (``int64[n]``).
    :param kind: the `EventCode` of each event (``int8[E]``).
    :param on: each event's ``on`` day as a proleptic ordinal (``int64[E]``).
    :param confirmed: ``int64[k, 2]`` rows ``(application row, ordinal)``: the receipt
        confirmation day, where the first event records one and its channel makes that the
        receipt date (条例 2019 第三十一条); absent rows receive on their first event's day.
    :param extension_days: the days asked by each `Extended` event, 0 elsewhere (``int64[E]``).
    :param consulted_agency: whether each `ThirdPartyConsulted` event consults another agency
        (a co-producer) rather than a third party, False elsewhere (``bool[E]``).
    :param party: a number per consulted party on `ThirdPartyConsulted` /
        `ThirdPartyReplied` events (equal numbers, equal party), -1 elsewhere (``int64[E]``).
    :param load: ``load(i)`` gives row ``i``'s `Application`, for the rare histories the
        arrays do not cover (several consultations, fee pauses, events out of date order).
    :param load_many: optionally, ``load_many(rows)`` gives the applications of many rows in
        that order at once (one query for a SQL store instead of one per row); `objects`
        uses it.
    """

    ids: tuple[str, ...] = field(converter=_ids)
    lens: npt.NDArray[np.int64] = field(converter=_lens)
    kind: npt.NDArray[np.int8] = field(converter=_kind)
    on: npt.NDArray[np.int64] = field(converter=_on)
    confirmed: npt.NDArray[np.int64] = field(converter=_confirmed)
    extension_days: npt.NDArray[np.int64] = field(converter=_extension_days)
    consulted_agency: npt.NDArray[np.bool_] = field(converter=_flags)
    party: npt.NDArray[np.int64] = field(converter=_party)
    load: Callable[[int], Application] = field(default=_no_objects, repr=False)
    load_many: Callable[[Sequence[int]], Sequence[Application]] | None = field(
        default=None, repr=False
    )

    def __attrs_post_init__(self) -> None:
        n, events = len(self.ids), int(self.lens.sum()) if self.lens.size else 0
        checks = (
            ("lens", self.lens.size, n),
            ("kind", self.kind.size, events),
            ("on", self.on.size, events),
            ("extension_days", self.extension_days.size, events),
            ("consulted_agency", self.consulted_agency.size, events),
            ("party", self.party.size, events),
        )
        for name, got, want in checks:
            if got != want:
                raise ValidationError(
                    f"ReplyFacts.{name} 的长度为 {got}，应为 {want}",
                    f"ReplyFacts.{name} has {got} entries, expected {want}",
                    field=name,
                    code="validation.invalid",
                )
        if self.lens.size and int(self.lens.min()) < 0:
            raise ValidationError(
                "ReplyFacts.lens 不能为负数",
                "ReplyFacts.lens must not be negative",
                field="lens",
                code="validation.negative",
            )
        if self.confirmed.size and (
            self.confirmed.shape[1] != 2
            or int(self.confirmed[:, 0].min()) < 0
            or int(self.confirmed[:, 0].max()) >= n
        ):
            raise ValidationError(
                "ReplyFacts.confirmed 应为 (行, 日) 两列，行号在申请范围内",
                "ReplyFacts.confirmed must have two columns (row, day) with rows in range",
                field="confirmed",
                code="validation.invalid",
            )
        for array in (
            self.lens,
            self.kind,
            self.on,
            self.confirmed,
            self.extension_days,
            self.consulted_agency,
            self.party,
        ):
            array.setflags(write=False)

    def __len__(self) -> int:
        return len(self.ids)

    def objects(self, rows: Sequence[int]) -> list[Application]:
        """The applications of ``rows``, in that order: one ``load_many`` call where the
        source gave one, else ``load`` row by row."""
        if self.load_many is None or len(rows) <= 1:
            return [self.load(i) for i in rows]
        found = list(self.load_many(rows))
        if len(found) != len(rows):
            raise ValidationError(
                f"ReplyFacts.load_many 应返回 {len(rows)} 个申请，实为 {len(found)} 个",
                f"ReplyFacts.load_many must return {len(rows)} applications, got {len(found)}",
                field="load_many",
                code="validation.invalid",
            )
        return found

    @property
    def events(self) -> int:
        """The number of events in all rows."""
        return int(self.kind.size)

    @classmethod
    def of(cls, applications: Sequence[Application]) -> ReplyFacts:
        """The facts of ``applications`` (objects already at hand), in their order.

        A few C-level passes over all events, in rounds small enough to stay in the
        processor's cache: each history's length, each event's code and day, and the side
        facts where an event carries one.
        """
        return _of(applications)


#: Applications per round of extraction (see `ReplyFacts.of`).
_CHUNK = 4096
_EVENTS = attrgetter("events")
_ID = attrgetter("id")
_ON = attrgetter("on")
_DAYS = attrgetter("days")
_PARTY = attrgetter("party")
_IS_AGENCY = attrgetter("is_agency")
_CHANNEL_CODE = attrgetter("channel._value_")
_FIRST = itemgetter(0)
_RECEIVED, _EXTENDED = int(EventCode.RECEIVED), int(EventCode.EXTENDED)
_CONSULTED, _CONS_REPLIED = int(EventCode.CONSULTED), int(EventCode.CONSULTATION_REPLIED)
_CONFIRMED_ON = attrgetter("confirmed_on")
_NEEDS_CONFIRMATION = frozenset(c.value for c in Channel if c.receipt_needs_confirmation)


def _empty(dtype: Any) -> npt.NDArray[Any]:
    return np.zeros(0, dtype=dtype)


def _of(apps: Sequence[Application]) -> ReplyFacts:
    lens: list[npt.NDArray[np.int64]] = []
    kinds: list[bytes] = []
    ons: list[npt.NDArray[np.int64]] = []
    confirmations: list[npt.NDArray[np.int64]] = []
    # The events with side facts (extensions, consultations, their replies), with their flat
    # indices: a few per hundred events, picked out by array search, read by C-level maps.
    ext_at: list[npt.NDArray[np.int64]] = []
    ext_days: list[npt.NDArray[np.int64]] = []
    cons_at: list[npt.NDArray[np.int64]] = []
    cons_agency: list[npt.NDArray[np.bool_]] = []
    party_at: list[npt.NDArray[np.int64]] = []
    names: list[str] = []
    base = 0
    for lo in range(0, len(apps), _CHUNK):
        part = apps[lo : lo + _CHUNK]
        histories = list(map(_EVENTS, part))
        size = np.fromiter(map(len, histories), dtype=np.int64, count=len(histories))
        events = list(chain.from_iterable(histories))
        ons.append(np.fromiter(map(date.toordinal, map(_ON, events)), np.int64, len(events)))
        codes = bytes(map(_CODES.__getitem__, map(type, events)))
        kinds.append(codes)
        code = np.frombuffer(codes, dtype=np.int8)
        at = np.flatnonzero(code == _EXTENDED)
        if at.size:
            got = map(events.__getitem__, at.tolist())
            ext_days.append(np.fromiter(map(_DAYS, got), np.int64, at.size))
            ext_at.append(at + base)
        at = np.flatnonzero(code == _CONSULTED)
        if at.size:
            got = map(events.__getitem__, at.tolist())
            cons_agency.append(np.fromiter(map(_IS_AGENCY, got), bool, at.size))
            cons_at.append(at + base)
        at = np.flatnonzero((code == _CONSULTED) | (code == _CONS_REPLIED))
        if at.size:
            names += map(_PARTY, map(events.__getitem__, at.tolist()))
            party_at.append(at + base)
        heads = np.cumsum(size) - size
        if size.all() and (code[heads] == _RECEIVED).all():  # the common case
            conf: list[Any] = list(map(_CONFIRMED_ON, map(_FIRST, histories)))
        else:
            firsts = map(next, map(iter, histories), repeat(None))
            conf = list(map(getattr, firsts, repeat("confirmed_on"), repeat(None)))
        given = np.flatnonzero(np.fromiter(map(is_not, conf, repeat(None)), bool, len(conf)))
        if given.size:
            channels = map(_CHANNEL_CODE, map(part.__getitem__, given.tolist()))
            use = given[
                np.fromiter(map(_NEEDS_CONFIRMATION.__contains__, channels), bool, given.size)
            ]
            days = np.fromiter(
                map(date.toordinal, map(conf.__getitem__, use.tolist())), np.int64, use.size
            )
            confirmations.append(np.stack([use + lo, days], axis=1))
        lens.append(size)
        base += len(events)
    extension = np.zeros(base, dtype=np.int64)
    if ext_at:
        extension[np.concatenate(ext_at)] = np.concatenate(ext_days)
    agency = np.zeros(base, dtype=bool)
    if cons_at:
        agency[np.concatenate(cons_at)] = np.concatenate(cons_agency)
    party = np.full(base, -1, dtype=np.int64)
    if party_at:
        # Parties numbered in order of first appearance: equal numbers, equal party.
        numbers = {name: k for k, name in enumerate(dict.fromkeys(names))}
        party[np.concatenate(party_at)] = np.fromiter(
            map(numbers.__getitem__, names), np.int64, len(names)
        )
    return ReplyFacts(
        ids=tuple(map(_ID, apps)),
        lens=np.concatenate(lens) if lens else _empty(np.int64),
        kind=np.frombuffer(b"".join(kinds), dtype=np.int8),
        on=np.concatenate(ons) if ons else _empty(np.int64),
        confirmed=(
            np.concatenate(confirmations) if confirmations else np.zeros((0, 2), dtype=np.int64)
        ),
        extension_days=extension,
        consulted_agency=agency,
        party=party,
        load=apps.__getitem__,
    )
