"""`ReplyFacts`: the facts the reply clock needs for many applications, as columns.

The daily job asks for the clock of every open application of a province each morning. Built
from objects, that costs a structured `Application` per row, most of it validation the store
already did when the row was written. A store that keeps its events in rows can hand the same
facts over as arrays instead (`govdisclose.store.reply_facts`), and the batch status
(`govdisclose.deadlines.reply_status_facts`) reads nothing else: one event kind code and one
day per event, and the few side facts some events carry (enough to rebuild, for the rare
histories the arrays do not cover, what the scalar fold reads). Objects are loaded (``load``)
only where a caller needs more than the reply clock: the daily job's reminders for the rows
the columns do not settle (`govdisclose.daily.approaching`).

The event codes (`EventCode`) are stable: a store may keep them in a column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from enum import IntEnum
from itertools import chain, compress, count, repeat
from operator import attrgetter, eq, itemgetter
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

__all__ = ["EventCode", "PackedIds", "ReplyFacts", "event_code"]


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


#: The largest value a column holds (``int32``): day ordinals (`datetime.date.max` is
#: 3,652,059), event counts and party numbers fit; the days an extension asks for are clipped
#: to it (any limit the law allows is far smaller, and the clock takes the smaller of the two).
_INT32_MAX = int(np.iinfo(np.int32).max)


def _int32(value: Any, name: str, dims: int = 1) -> npt.NDArray[np.int32]:
    array = np.asarray(value)
    if array.size and (array.ndim != dims or array.dtype.kind not in "iu"):
        raise ValidationError(
            f"ReplyFacts.{name} 应为 {dims} 维整数数组",
            f"ReplyFacts.{name} must be a {dims}-dimensional integer array",
            field=name,
            code="validation.type",
        )
    if not array.size:
        return np.zeros((0, 2) if dims == 2 else 0, dtype=np.int32)
    if not np.can_cast(array.dtype, np.int32) and (
        int(array.min()) < -_INT32_MAX - 1 or int(array.max()) > _INT32_MAX
    ):
        raise ValidationError(
            f"ReplyFacts.{name} 的值超出 32 位整数的范围",
            f"ReplyFacts.{name} holds values outside the 32-bit integer range",
            field=name,
            code="validation.invalid",
        )
    # A view: making it read-only below leaves the caller's own array as it was.
    return array.astype(np.int32, copy=False).view()


class _IdSequence(Sequence[str]):
    """Ids read on access: equal to any sequence of the same strings (a tuple, a list)."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]  # equal to lists, so unhashable like them

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return len(self) == len(other) and all(map(eq, self, other))
        return NotImplemented

    def __repr__(self) -> str:
        shown = ", ".join(map(repr, self[:5]))
        return f"{type(self).__name__}([{shown}{', ...' if len(self) > 5 else ''}], n={len(self)})"


class PackedIds(_IdSequence):
    """Application ids as one UTF-8 buffer and the end of each id in it, decoded on access.

    What a store hands over with `ReplyFacts` for many rows: the ids' UTF-8 bytes and 8 more
    per id, where a tuple of `str` takes 60 to 70 bytes per short id (a pointer and a string
    object each).

    :param data: the ids' UTF-8 bytes, one after the other.
    :param ends: ``ends[i]`` is where id ``i`` ends in ``data`` (``int64[n]``, non-decreasing).
    """

    __slots__ = ("_data", "_ends")

    def __init__(self, data: bytes, ends: Any) -> None:
        ends = np.asarray(ends)
        if ends.size and (ends.ndim != 1 or ends.dtype.kind not in "iu"):
            raise ValidationError(
                "PackedIds.ends 应为 1 维整数数组",
                "PackedIds.ends must be a 1-dimensional integer array",
                field="ends",
                code="validation.type",
            )
        ends = ends.reshape(-1).astype(np.int64)
        if ends.size and (
            int(ends[0]) < 0 or int(ends[-1]) != len(data) or bool((np.diff(ends) < 0).any())
        ):
            raise ValidationError(
                "PackedIds.ends 应从 0 起非递减，且最后一个等于 data 的长度",
                "PackedIds.ends must be non-decreasing from 0 and end at len(data)",
                field="ends",
                code="validation.invalid",
            )
        ends.setflags(write=False)
        self._data = bytes(data)
        self._ends = ends

    @classmethod
    def of(cls, ids: Iterable[str]) -> PackedIds:
        """The ids ``ids``, packed."""
        encoded = list(map(str.encode, ids))
        ends = np.cumsum(np.fromiter(map(len, encoded), np.int64, len(encoded)))
        return cls(b"".join(encoded), ends)

    @property
    def nbytes(self) -> int:
        """The bytes the packed ids take (buffer and ends)."""
        return len(self._data) + int(self._ends.nbytes)

    def __len__(self) -> int:
        return int(self._ends.size)

    def _one(self, i: int) -> str:
        end = int(self._ends[i])
        start = int(self._ends[i - 1]) if i else 0
        return self._data[start:end].decode()

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self._one(k) for k in range(len(self))[i]]
        n = len(self)
        if not -n <= i < n:
            raise IndexError(i)
        return self._one(i % n)

    def __iter__(self) -> Iterator[str]:
        data, start = self._data, 0
        for end in self._ends.tolist():
            yield data[start:end].decode()
            start = end


class _ObjectIds(_IdSequence):
    """The ids of applications at hand (`ReplyFacts.of`), read from them on access."""

    __slots__ = ("_apps",)

    def __init__(self, apps: Sequence[Application]) -> None:
        self._apps = apps

    def __len__(self) -> int:
        return len(self._apps)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [a.id for a in self._apps[i]]
        return self._apps[i].id

    def __iter__(self) -> Iterator[str]:
        return map(_ID, self._apps)


def _ids(value: Iterable[str]) -> Sequence[str]:
    if type(value) is tuple or isinstance(value, _IdSequence):
        return value
    return tuple(value)


def _lens(value: Any) -> npt.NDArray[np.int32]:
    return _int32(value, "lens")


def _kind(value: Any) -> npt.NDArray[np.int8]:
    codes = np.asarray(value)
    if not codes.size or codes.dtype.kind not in "iu":
        return _int32(codes, "kind").astype(np.int8)  # empty, or the typed error
    if codes.ndim != 1 or int(codes.min()) < 0 or int(codes.max()) > max(EventCode):
        raise ValidationError(
            "ReplyFacts.kind 应为 1 维数组，且只含已知的事件代码（EventCode）",
            "ReplyFacts.kind must be 1-dimensional and hold only known codes (EventCode)",
            field="kind",
            code="validation.invalid",
        )
    return codes.astype(np.int8, copy=False).view()


def _on(value: Any) -> npt.NDArray[np.int32]:
    return _int32(value, "on")


def _confirmed(value: Any) -> npt.NDArray[np.int32]:
    return _int32(value, "confirmed", 2)


def _extension_days(value: Any) -> npt.NDArray[np.int32]:
    return _int32(value, "extension_days")


def _party(value: Any) -> npt.NDArray[np.int32]:
    return _int32(value, "party")


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
    history). Every array is read-only once built. Day numbers, counts and party numbers are
    ``int32`` (a day ordinal of `datetime.date` always fits) and event codes ``int8``: the
    columns of a province's open applications take a few bytes per event.

    :param ids: the application ids, in row order: a tuple, or a sequence read on access
        (`PackedIds` from a store; the objects' own ids from `of`), equal to the tuple of them.
    :param lens: events per application (``int32[n]``).
    :param kind: the `EventCode` of each event (``int8[E]``).
    :param on: each event's ``on`` day as a proleptic ordinal (``int32[E]``).
    :param confirmed: ``int32[k, 2]`` rows ``(application row, ordinal)``: the receipt
        confirmation day, where the first event records one and its channel makes that the
        receipt date (条例 2019 第三十一条); absent rows receive on their first event's day.
    :param extension_days: the days asked by each `Extended` event (clipped to ``2**31 - 1``),
        0 elsewhere (``int32[E]``).
    :param consulted_agency: whether each `ThirdPartyConsulted` event consults another agency
        (a co-producer) rather than a third party, False elsewhere (``bool[E]``).
    :param party: a number per consulted party on `ThirdPartyConsulted` /
        `ThirdPartyReplied` events (equal numbers, equal party), -1 elsewhere (``int32[E]``).
    :param load: ``load(i)`` gives row ``i``'s `Application`, for the rows whose clocks need
        more than these columns (`govdisclose.daily.approaching` loads a few: a closed
        application, a consulted party's window due soon, whose reminder names the party).
    :param load_many: optionally, ``load_many(rows)`` gives the applications of many rows in
        that order at once (one query for a SQL store instead of one per row); `objects`
        uses it.

    Integer arrays of any width are accepted and narrowed; a value outside the ``int32``
    range is a `ValidationError`.
    """

    ids: Sequence[str] = field(converter=_ids)
    lens: npt.NDArray[np.int32] = field(converter=_lens)
    kind: npt.NDArray[np.int8] = field(converter=_kind)
    on: npt.NDArray[np.int32] = field(converter=_on)
    confirmed: npt.NDArray[np.int32] = field(converter=_confirmed)
    extension_days: npt.NDArray[np.int32] = field(converter=_extension_days)
    consulted_agency: npt.NDArray[np.bool_] = field(converter=_flags)
    party: npt.NDArray[np.int32] = field(converter=_party)
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

    def starts(self) -> npt.NDArray[np.int64]:
        """Where each row's events begin in the event columns."""
        lens = self.lens.astype(np.int64)
        return np.cumsum(lens) - lens

    def receipt_days(self) -> npt.NDArray[np.int32]:
        """Each row's receipt date as an ordinal, 0 for a row not received (its history does
        not start with the receipt): the first event's day, or the confirmation day where
        ``confirmed`` records one and the channel makes it the receipt date (条例 2019 第三十一条),
        as `Application.receipt_date` gives it."""
        starts = self.starts()
        head = np.flatnonzero(self.lens > 0)
        head = head[self.kind[starts[head]] == EventCode.RECEIVED]
        receipt = np.zeros(len(self), dtype=np.int32)
        receipt[head] = self.on[starts[head]]
        confirmed = self.confirmed
        confirmed = confirmed[self.kind[starts[confirmed[:, 0]]] == EventCode.RECEIVED]
        receipt[confirmed[:, 0]] = confirmed[:, 1]
        return receipt

    def event_positions(
        self, rows: npt.NDArray[np.integer[Any]]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """The positions in the event columns of the events of ``rows``, concatenated in
        that order, and where each row's end among them (``ends[k]``: row ``rows[k]``'s
        events are ``ends[k] - lens[rows[k]]`` .. ``ends[k] - 1``)."""
        first = self.starts()[rows]
        lens = self.lens[rows].astype(np.int64)
        return _ranges(first, first + lens), np.cumsum(lens)

    @classmethod
    def of(cls, applications: Sequence[Application]) -> ReplyFacts:
        """The facts of ``applications`` (objects already at hand), in their order.

        A few C-level passes over all events, in rounds small enough to stay in the
        processor's cache: each history's length, each event's code and day, and the side
        facts where an event carries one. ``ids`` and ``load`` read ``applications`` itself
        when used (``load(i)`` is ``applications[i]``): leave it as it is meanwhile.
        """
        return _of(applications)


def _ranges(lo: npt.NDArray[Any], hi: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
    """The concatenated ranges ``lo[k] .. hi[k] - 1`` (also the batch's)."""
    size = hi - lo
    ends = np.cumsum(size)
    found: npt.NDArray[np.int64] = np.repeat(lo - (ends - size), size) + np.arange(
        int(ends[-1]) if ends.size else 0
    )
    return found


#: Applications per round of extraction (see `ReplyFacts.of`).
_CHUNK = 4096
#: The positions in a round, made once (``compress`` over them creates no integers).
_ROWS = tuple(range(_CHUNK))
_EVENTS = attrgetter("events")
_ID = attrgetter("id")
_ON = attrgetter("on")
_DAYS = attrgetter("days")
_PARTY = attrgetter("party")
_IS_AGENCY = attrgetter("is_agency")
_CHANNEL_CODE = attrgetter("channel._value_")
_FIRST = itemgetter(0)
_EXTENDED = int(EventCode.EXTENDED)
_CONSULTED, _CONS_REPLIED = int(EventCode.CONSULTED), int(EventCode.CONSULTATION_REPLIED)
#: Event code -> 1 for the codes whose events carry a side fact (for ``bytes.translate``).
_SIDE = bytes(int(c in (_EXTENDED, _CONSULTED, _CONS_REPLIED)) for c in range(256))
_CONFIRMED_ON = attrgetter("confirmed_on")
_NEEDS_CONFIRMATION = frozenset(c.value for c in Channel if c.receipt_needs_confirmation)


def _of(apps: Sequence[Application]) -> ReplyFacts:
    n = len(apps)
    lens = np.empty(n, dtype=np.int32)
    kinds: list[bytes] = []
    ons: list[npt.NDArray[np.int32]] = []
    confirmations: list[npt.NDArray[np.int32]] = []
    side = _SideFacts()
    base = 0
    for lo in range(0, n, _CHUNK):
        part = apps[lo : lo + _CHUNK]
        histories = list(map(_EVENTS, part))
        size = np.fromiter(map(len, histories), np.int32, len(histories))
        lens[lo : lo + size.size] = size
        events = list(chain.from_iterable(histories))
        ons.append(np.fromiter(map(date.toordinal, map(_ON, events)), np.int32, len(events)))
        codes = bytes(map(_CODES.__getitem__, map(type, events)))
        kinds.append(codes)
        code = np.frombuffer(codes, dtype=np.int8)
        side.add(events, codes, code, base)
        try:  # the common case: every history starts with its receipt
            conf: list[Any] = list(map(_CONFIRMED_ON, map(_FIRST, histories)))
        except (IndexError, AttributeError):  # an empty history, or another first event
            firsts = map(next, map(iter, histories), repeat(None))
            conf = list(map(getattr, firsts, repeat("confirmed_on"), repeat(None)))
        # A recorded confirmation day is a date, which is always true; most are None.
        given = list(compress(_ROWS, conf))
        if given:
            channels = map(_CHANNEL_CODE, map(part.__getitem__, given))
            use = list(compress(given, map(_NEEDS_CONFIRMATION.__contains__, channels)))
            if use:
                pairs = np.empty((len(use), 2), dtype=np.int32)
                pairs[:, 0] = use
                pairs[:, 0] += lo
                pairs[:, 1] = np.fromiter(
                    map(date.toordinal, map(conf.__getitem__, use)), np.int32, len(use)
                )
                confirmations.append(pairs)
        base += len(events)
    extension, agency, party = side.columns(base)
    return ReplyFacts(
        ids=_ObjectIds(apps),
        lens=lens,
        kind=np.frombuffer(b"".join(kinds), dtype=np.int8),
        on=np.concatenate(ons) if ons else np.zeros(0, dtype=np.int32),
        confirmed=(
            np.concatenate(confirmations) if confirmations else np.zeros((0, 2), dtype=np.int32)
        ),
        extension_days=extension,
        consulted_agency=agency,
        party=party,
        load=apps.__getitem__,
    )


class _SideFacts:
    """The side facts of `ReplyFacts.of` (the days of extensions, whether a consultation
    consults an agency, the party of consultations and their replies: a few events per
    hundred), read in the round that finds them, while their objects are in the cache."""

    def __init__(self) -> None:
        self.ext: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]] = []
        self.agency: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]] = []
        self.party: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]] = []
        self.numbers: dict[str, int] = {}
        self.named = 0

    def add(self, events: list[Any], codes: bytes, code: npt.NDArray[np.int8], base: int) -> None:
        """The side facts of one round's ``events`` (codes ``codes``, as an array ``code``; the
        first event at ``base``)."""
        at = np.flatnonzero(np.frombuffer(codes.translate(_SIDE), dtype=np.bool_))
        if not at.size:
            return
        got = list(map(events.__getitem__, at.tolist()))
        side_code = code[at]
        at += base
        ext = side_code == _EXTENDED
        k = int(np.count_nonzero(ext))
        if k:
            days = np.fromiter(map(_DAYS, compress(got, ext.tolist())), np.int64, k)
            self.ext.append((at[ext], np.minimum(days, _INT32_MAX)))
        pick = side_code == _CONSULTED
        k = int(np.count_nonzero(pick))
        if k:
            flags = map(_IS_AGENCY, compress(got, pick.tolist()))
            self.agency.append((at[pick], np.fromiter(flags, bool, k)))
        pick = ~ext  # consultations and their replies
        k = int(np.count_nonzero(pick))
        if k:
            # Each party gets the position of its first appearance: equal numbers, equal party.
            names = map(_PARTY, compress(got, pick.tolist()))
            numbers = map(self.numbers.setdefault, names, count(self.named))
            self.party.append((at[pick], np.fromiter(numbers, np.int32, k)))
            self.named += k

    def columns(
        self, events: int
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.bool_], npt.NDArray[np.int32]]:
        """``extension_days``, ``consulted_agency`` and ``party`` of ``events`` events."""
        extension = np.zeros(events, dtype=np.int32)
        agency = np.zeros(events, dtype=bool)
        party = np.full(events, -1, dtype=np.int32)
        for column, parts in ((extension, self.ext), (agency, self.agency), (party, self.party)):
            if parts:
                column[np.concatenate([at for at, _ in parts])] = np.concatenate(
                    [values for _, values in parts]
                )
        return extension, agency, party
