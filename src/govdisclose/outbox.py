"""The outbox: every publication (and withdrawal, 撤回) of a record to a channel is a stored entry,
attempted, recorded as done or failed with its reason, retried with backoff, never done twice.

`govdisclose.publishing.publish` calls every channel once: a channel that is down is reported
in ``failed`` and nothing tries it again. Through the outbox a request is first written down,
one `OutboxEntry` per channel (a kept item, kind code ``outbox.entry``,
`govdisclose.store.kinds`), and then attempted; what did not succeed stays in the store until
`retry_pending` (or ``govdisclose outbox retry``) gets it through, gives up after
`RetryPolicy.max_attempts`, or finds that it must not go out any more:

* `publish_via_outbox`: `publish`'s guard and its check of the stored state (条例 2019 第十七条
  先审查后公开: nothing leaves that the guard did not clear on the store's own state), then one
  entry per publisher, each attempted at once;
* `retry_pending`: every due entry again. Before each attempt the guard runs again on the stored
  record, with the moment of the retry (a timed release, GD-P007, a review step returned): a
  record that may no longer leave, or whose public view is no longer the one requested (the
  title or body edited meanwhile: the request was for another text), is not published and its
  entry is *abandoned* with the reason. The clerk publishes the new text anew;
* `withdraw`: 撤回 from every channel the record is live on (from its `Publication`\\ s, and
  from the entries that may have put it up without being recorded yet), through the same
  entries and retries; each publication taken down keeps its line in the register
  (`govdisclose.publishing.register`), marked with the `Withdrawal`'s time and reason (seed
  002's 文件发布登记备案 records the changes made after publication).

**Never twice.** An entry's state is written before and after each attempt, with the store's
version check, so that:

1. the claim (state ``in_flight``) is a versioned write: of two workers retrying at once, one
   wins and the other skips the entry;
2. what the channel confirmed is written to the entry (state ``sent``, with the `Publication`)
   *before* the record is written: if the record's write fails or the process dies there, the
   next retry records that `Publication` without calling the channel again, and a
   `Publication` already on the record is not appended twice;
3. an entry ``done`` or ``abandoned`` is final: the kind's write rule refuses any change to it
   inside the store's transaction, so no retry ever attempts it again;
4. if the process dies after the channel published but before step 2 was written, nothing tells
   whether the channel acted; after `RetryPolicy.lease` the entry is attempted again (the
   interrupted attempt is counted). A publisher that implements `KeyedPublisher` (the webhook
   plugin does) receives the entry's `OutboxEntry.idempotency_key`, the same on every attempt,
   so the channel itself recognises the repeat; the record still gets one `Publication`.

**Backoff.** After the *n*-th failed attempt the entry is due again ``min(cap, base * 2 **
(n - 1))`` after that attempt (`RetryPolicy.delay`; 1 min, 2, 4, ... capped at 1 h by
default; no jitter, so the schedule is what the clerk is told). After ``max_attempts`` failed
attempts (8 by default) the entry is abandoned and reported: a person looks at the channel.
The settings options ``outbox.base_seconds``, ``outbox.cap_seconds``, ``outbox.max_attempts``
and ``outbox.lease_seconds`` set them (`RetryPolicy.from_settings`).

Nothing here reads a clock: every function takes ``now`` (aware), the moment of the attempt.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Literal, Protocol, runtime_checkable

import attrs
from attrs import field, frozen

from govdisclose import serde
from govdisclose.errors import (
    ConflictError,
    GovDiscloseError,
    InvalidTransition,
    NotFound,
    PublishBlocked,
    ValidationError,
)
from govdisclose.model import Publication, Record, Withdrawal
from govdisclose.notifications import Notification, RecordPublished, RecordWithdrawn
from govdisclose.privacy import PiiKind
from govdisclose.public import PublicRecord
from govdisclose.publishing import (
    Publisher,
    Withdrawer,
    _cleared,
    _current_version,
    _finder,
    public_view,
)
from govdisclose.rules import Finding, RuleContext, RuleSet
from govdisclose.settings import Settings
from govdisclose.store import Store
from govdisclose.store.kinds import ItemKind, register
from govdisclose.vocab import CodedEnum

__all__ = [
    "BASE_OPTION",
    "CAP_OPTION",
    "ENTRY_KIND",
    "LEASE_OPTION",
    "MAX_ATTEMPTS_OPTION",
    "Attempt",
    "KeyedPublisher",
    "KeyedWithdrawer",
    "OutboxAction",
    "OutboxEntry",
    "OutboxRun",
    "OutboxState",
    "Outcome",
    "RetryPolicy",
    "entries",
    "publish_via_outbox",
    "retry_pending",
    "withdraw",
]


class OutboxAction(CodedEnum):
    """What an entry asks a channel to do."""

    PUBLISH = ("publish", "发布")
    WITHDRAW = ("withdraw", "撤回")


class OutboxState(CodedEnum):
    """Where an entry is. ``done`` and ``abandoned`` are final."""

    #: written, not attempted yet.
    PENDING = ("pending", "待发送")
    #: an attempt is running (claimed at `OutboxEntry.claimed_at`).
    IN_FLIGHT = ("in_flight", "发送中")
    #: the channel confirmed; the record is not written yet (the next retry writes it).
    SENT = ("sent", "已送达待登记")
    #: the channel confirmed and the record says so.
    DONE = ("done", "已完成")
    #: the last attempt failed; due again at `OutboxEntry.next_attempt_at`.
    FAILED = ("failed", "失败待重试")
    #: given up (too many attempts, the record changed or may no longer leave): see the note.
    ABANDONED = ("abandoned", "已放弃")


_FINAL = frozenset({OutboxState.DONE, OutboxState.ABANDONED})


def _aware(inst: object, att: attrs.Attribute[datetime], value: datetime) -> None:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            f"{type(inst).__name__}.{att.name} 必须是带时区的时间",
            f"{type(inst).__name__}.{att.name} must be a timezone-aware datetime",
            field=att.name,
            code="validation.naive_datetime",
        )


def _opt_aware(inst: object, att: attrs.Attribute[datetime | None], value: object) -> None:
    if value is not None:
        _aware(inst, att, value)  # type: ignore[arg-type]


def _not_blank(inst: object, att: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            f"{type(inst).__name__}.{att.name} 不能为空",
            f"{type(inst).__name__}.{att.name} must be a non-empty string",
            field=att.name,
            code="validation.blank",
        )


def _opt_text(inst: object, att: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise ValidationError(
            f"{type(inst).__name__}.{att.name} 应为字符串",
            f"{type(inst).__name__}.{att.name} must be a string",
            field=att.name,
            code="validation.type",
        )


def _positive_delta(inst: object, att: attrs.Attribute[timedelta], value: object) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise ValidationError(
            f"{type(inst).__name__}.{att.name} 应为大于 0 的时长",
            f"{type(inst).__name__}.{att.name} must be a positive timedelta",
            field=att.name,
            code="outbox.bad_policy",
        )


def _positive_int(inst: object, att: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(
            f"{type(inst).__name__}.{att.name} 应为不小于 1 的整数",
            f"{type(inst).__name__}.{att.name} must be an integer >= 1",
            field=att.name,
            code="outbox.bad_policy",
        )


def _non_negative_int(inst: object, att: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            f"{type(inst).__name__}.{att.name} 应为不小于 0 的整数",
            f"{type(inst).__name__}.{att.name} must be an integer >= 0",
            field=att.name,
            code="validation.type",
        )


# -- the policy -------------------------------------------------------------------------------

#: Settings options of `RetryPolicy.from_settings` (seconds, or a count).
BASE_OPTION = "outbox.base_seconds"
CAP_OPTION = "outbox.cap_seconds"
MAX_ATTEMPTS_OPTION = "outbox.max_attempts"
LEASE_OPTION = "outbox.lease_seconds"


@frozen
class RetryPolicy:
    """When a failed entry is tried again, and when the outbox gives up.

    :param base: the delay after the first failed attempt; doubled after each further one.
    :param cap: no delay is longer.
    :param max_attempts: attempts at most (interrupted ones count); then the entry is abandoned.
    :param lease: how long an attempt may stay ``in_flight`` before it is taken for a crashed
        one and attempted again (longer than a channel's own retries take: the webhook's are
        bounded by its ``timeout`` times ``max_attempts`` plus its delays).
    """

    base: timedelta = field(default=timedelta(minutes=1), validator=_positive_delta)
    cap: timedelta = field(default=timedelta(hours=1), validator=_positive_delta)
    max_attempts: int = field(default=8, validator=_positive_int)
    lease: timedelta = field(default=timedelta(minutes=15), validator=_positive_delta)

    def delay(self, failures: int) -> timedelta:
        """The wait after the ``failures``-th failed attempt (1-based):
        ``min(cap, base * 2 ** (failures - 1))``."""
        if failures < 1:
            return timedelta(0)
        # In float seconds, capped before it becomes a timedelta: base * 2 ** 60 overflows one.
        wanted = self.base.total_seconds() * 2.0 ** min(failures - 1, 1000)
        return min(self.cap, timedelta(seconds=min(wanted, self.cap.total_seconds())))

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryPolicy:
        """The policy of the options `BASE_OPTION`, `CAP_OPTION`, `MAX_ATTEMPTS_OPTION` and
        `LEASE_OPTION`; each missing one keeps its default.

        :raises ValidationError: ``outbox.bad_policy`` naming the option.
        """
        default = cls()
        values: dict[str, object] = {}
        for option, name in (
            (BASE_OPTION, "base"),
            (CAP_OPTION, "cap"),
            (LEASE_OPTION, "lease"),
            (MAX_ATTEMPTS_OPTION, "max_attempts"),
        ):
            raw = settings.options.get(option)
            if raw is None:
                continue
            try:
                number = float(raw.strip()) if name != "max_attempts" else int(raw.strip())
                if not (math.isfinite(number) and number > 0):
                    raise ValueError(raw)
            except ValueError:
                raise ValidationError(
                    f"设置项 {option} 应为大于 0 的{'整数' if name == 'max_attempts' else '秒数'}"
                    f"：{raw!r}",
                    f"the option {option} must be a positive "
                    f"{'integer' if name == 'max_attempts' else 'number of seconds'}: {raw!r}",
                    field=f"options[{option!r}]",
                    code="outbox.bad_policy",
                ) from None
            values[name] = number if name == "max_attempts" else timedelta(seconds=number)
        return attrs.evolve(default, **values)  # type: ignore[arg-type]


# -- the entry --------------------------------------------------------------------------------


@frozen
class Attempt:
    """One attempt of an entry: when, and why it failed (``None``: the channel confirmed)."""

    at: datetime = field(validator=_aware)
    ok: bool = field(validator=attrs.validators.instance_of(bool))
    reason: str | None = field(default=None, validator=_opt_text)


def _tuple(value: Iterable[Attempt]) -> tuple[Attempt, ...]:
    return tuple(value)


@frozen
class OutboxEntry:
    """One publication or withdrawal of a record to one channel, and how far it has come.

    :param id: stable: the record, the action, the channel and the version (`entries`).
    :param record_version: the stored version of the record when the request was made.
    :param digest: the SHA-256 of the public view requested (`govdisclose.serde` JSON of the
        `PublicRecord`): a retry publishes only this text.
    :param requested_at: when the request was made.
    :param state: see `OutboxState`.
    :param attempts: every attempt, oldest first (appended, never rewritten).
    :param next_attempt_at: when the entry is due (``None`` once final).
    :param claimed_at: when the running attempt began (``in_flight`` only).
    :param publication: what the channel confirmed (publish, from ``sent`` on).
    :param withdrawn_at: when the channel confirmed the withdrawal (withdraw, from ``sent`` on).
    :param reason: the 撤回's reason (withdraw entries).
    :param note: why the entry was abandoned, or how it ended without an attempt.
    """

    id: str = field(validator=_not_blank)
    agency: str = field(validator=_not_blank)
    record_id: str = field(validator=_not_blank)
    publisher: str = field(validator=_not_blank)
    action: OutboxAction = field(validator=attrs.validators.instance_of(OutboxAction))
    record_version: int = field(validator=_non_negative_int)
    digest: str = field(validator=_not_blank)
    requested_at: datetime = field(validator=_aware)
    state: OutboxState = field(
        default=OutboxState.PENDING, validator=attrs.validators.instance_of(OutboxState)
    )
    attempts: tuple[Attempt, ...] = field(
        default=(),
        converter=_tuple,
        validator=attrs.validators.deep_iterable(attrs.validators.instance_of(Attempt)),
    )
    next_attempt_at: datetime | None = field(default=None, validator=_opt_aware)
    claimed_at: datetime | None = field(default=None, validator=_opt_aware)
    publication: Publication | None = field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Publication))
    )
    withdrawn_at: datetime | None = field(default=None, validator=_opt_aware)
    reason: str | None = field(default=None, validator=_opt_text)
    note: str | None = field(default=None, validator=_opt_text)

    @property
    def idempotency_key(self) -> str:
        """The key a `KeyedPublisher` receives: the same on every attempt of this entry, and
        different for any other entry (another record, channel, action or version)."""
        return "gd-outbox-" + hashlib.sha256(self.id.encode("utf-8")).hexdigest()[:32]

    @property
    def final(self) -> bool:
        """``done`` or ``abandoned``: never attempted again."""
        return self.state in _FINAL

    @property
    def failures(self) -> int:
        """How many attempts failed (interrupted ones included)."""
        return sum(1 for a in self.attempts if not a.ok)

    def describe(self) -> str:
        """One line for a person: the entry, its state, attempts and what comes next."""
        line = (
            f"{self.id} {self.action.label} {self.record_id} → {self.publisher}："
            f"{self.state.label}（{self.state.code}），已尝试 {len(self.attempts)} 次"
        )
        if self.attempts and self.attempts[-1].reason:
            line += f"；上次失败：{self.attempts[-1].reason}"
        if not self.final and self.next_attempt_at is not None:
            line += f"；下次尝试：{self.next_attempt_at.isoformat()}"
        if self.note:
            line += f"；{self.note}"
        return line


_IDENTITY = (
    "id",
    "agency",
    "record_id",
    "publisher",
    "action",
    "record_version",
    "digest",
    "requested_at",
    "reason",
)


def _check(old: OutboxEntry | None, new: OutboxEntry) -> None:
    """The kind's write rule, inside the store's transaction: a final entry never changes
    (never attempted twice), the request itself is never rewritten, attempts are appended."""
    if old is None:
        return
    if old.final and new != old:
        raise InvalidTransition(
            f"发送队列条目 {old.id} 已{old.state.label}，不能再更改或重试",
            f"outbox entry {old.id!r} is {old.state.code}: it never changes or runs again",
            field="state",
            code="outbox.entry_final",
        )
    for name in _IDENTITY:
        if getattr(old, name) != getattr(new, name):
            raise InvalidTransition(
                f"发送队列条目 {old.id} 的请求内容（{name}）不能改写",
                f"the request of outbox entry {old.id!r} ({name}) is never rewritten",
                field=name,
                code="outbox.entry_rewritten",
            )
    n = len(old.attempts)
    if new.attempts[:n] != old.attempts:
        raise InvalidTransition(
            f"发送队列条目 {old.id} 的尝试记录只能追加，不能改写",
            f"the attempts of outbox entry {old.id!r} are appended to, never rewritten",
            field="attempts",
            code="store.history_rewritten",
        )


#: The kept-item kind of `OutboxEntry` (code ``outbox.entry``), registered on import.
ENTRY_KIND = register(
    ItemKind(
        code="outbox.entry",
        cls=OutboxEntry,
        label_zh="发送队列条目",
        label_en="outbox entry",
        check=_check,
    )
)


# -- publishers that take a key ----------------------------------------------------------------


@runtime_checkable
class KeyedPublisher(Protocol):
    """A `Publisher` that accepts an idempotency key: a second call with the same key must not
    publish a second time (the CMS recognises the repeat). The outbox calls it instead of
    ``publish`` with `OutboxEntry.idempotency_key`."""

    def publish_with_key(self, view: PublicRecord, key: str) -> Publication:
        """Publish ``view`` once per ``key``."""
        ...


@runtime_checkable
class KeyedWithdrawer(Protocol):
    """A `Withdrawer` that accepts an idempotency key (called instead of ``withdraw``)."""

    def withdraw_with_key(self, view: PublicRecord, key: str) -> None:
        """Take down what publishing ``view`` put up, once per ``key``."""
        ...


# -- results ----------------------------------------------------------------------------------

#: What one step did to an entry.
Result = Literal["done", "failed", "abandoned", "skipped", "error"]


@frozen
class Outcome:
    """What a run did with one entry: ``entry`` as stored after it (as read, when skipped).

    ``result``: ``done`` (the channel confirmed and the record says so), ``failed`` (due again
    at ``entry.next_attempt_at``), ``abandoned`` (final; ``message`` says why: a person acts),
    ``skipped`` (not due, another worker has it, or no publisher of that name was given),
    ``error`` (the store could not be written: the entry is retried as it stands).
    """

    entry: OutboxEntry
    result: Result
    message: str | None = None


@frozen
class OutboxRun:
    """What `publish_via_outbox`, `retry_pending` or `withdraw` did.

    :param record: the stored record afterwards (``None`` for `retry_pending`).
    :param outcomes: one per entry handled, in order.
    :param findings: the non-blocking findings of the guard (`publish_via_outbox`).
    """

    record: Record | None
    outcomes: tuple[Outcome, ...]
    findings: tuple[Finding, ...] = ()

    @property
    def published(self) -> tuple[Publication, ...]:
        """The publications recorded by this run."""
        return tuple(
            o.entry.publication
            for o in self.outcomes
            if o.result == "done"
            and o.entry.action is OutboxAction.PUBLISH
            and o.entry.publication is not None
        )

    @property
    def withdrawn(self) -> tuple[str, ...]:
        """The channels a withdrawal was confirmed and recorded for by this run."""
        return tuple(
            o.entry.publisher
            for o in self.outcomes
            if o.result == "done" and o.entry.action is OutboxAction.WITHDRAW
        )

    @property
    def failed(self) -> tuple[tuple[str, str], ...]:
        """``(channel, reason)`` of every entry that failed, was abandoned or hit an error."""
        return tuple(
            (o.entry.publisher, o.message or "")
            for o in self.outcomes
            if o.result in ("failed", "abandoned", "error")
        )

    @property
    def abandoned(self) -> tuple[OutboxEntry, ...]:
        """The entries given up by this run: a person looks at them."""
        return tuple(o.entry for o in self.outcomes if o.result == "abandoned")


# -- the guard options, passed through --------------------------------------------------------


@frozen
class _Guard:
    rules: RuleSet | None
    context: RuleContext | None
    names: tuple[str, ...]
    addresses: tuple[str, ...]
    allow: tuple[str, ...]
    extra: frozenset[PiiKind]

    def clear(
        self, record: Record, store: Store, now: datetime
    ) -> tuple[PublicRecord, list[Finding]]:
        ctx = self.context or RuleContext()
        if ctx.as_of is None:
            ctx = attrs.evolve(ctx, as_of=now.date())
        if ctx.find_record is None:
            ctx = attrs.evolve(ctx, find_record=_finder(store))
        return _cleared(
            record,
            rules=self.rules,
            context=ctx,
            names=self.names,
            addresses=self.addresses,
            allow=self.allow,
            extra=self.extra,
            now=now,
        )


_NO_OPTIONS = _Guard(None, None, (), (), (), frozenset())


def _require_aware(now: datetime) -> None:
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise ValidationError(
            "now 必须是带时区的时间（如 Asia/Shanghai）",
            "now must be a timezone-aware datetime (e.g. Asia/Shanghai)",
            field="now",
            code="validation.naive_datetime",
        )


def _digest(view: PublicRecord) -> str:
    text = json.dumps(serde.unstructure(view), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _name(publisher: object) -> str:
    return str(getattr(publisher, "name", type(publisher).__name__))


def _why(err: BaseException) -> str:
    if isinstance(err, GovDiscloseError):
        return f"[{err.code}] {err.message_zh} / {err.message_en}"
    return f"{type(err).__name__}: {err}"


# -- creating entries -------------------------------------------------------------------------


def _base_id(record_id: str, action: OutboxAction, publisher: str, version: int) -> str:
    return f"{record_id}|{action.code}|{publisher}|v{version}"


def _new_entry(
    store: Store,
    record: Record,
    publisher: str,
    action: OutboxAction,
    version: int,
    digest: str,
    now: datetime,
    reason: str | None = None,
) -> OutboxEntry:
    """The entry of this request: the stored one if the same request is still open (asking
    twice does not queue twice), else a new one, stored before anything is attempted."""
    base = _base_id(record.id, action, publisher, version)
    n = 1
    while True:
        entry_id = base if n == 1 else f"{base}#{n}"
        if not store.item_version(OutboxEntry, entry_id):
            break
        stored = store.get_item(OutboxEntry, entry_id)
        if not stored.final:
            return stored
        n += 1
    entry = OutboxEntry(
        id=entry_id,
        agency=record.agency,
        record_id=record.id,
        publisher=publisher,
        action=action,
        record_version=version,
        digest=digest,
        requested_at=now,
        next_attempt_at=now,
        reason=reason,
    )
    store.put_item(entry, expected_version=0)
    return entry


def entries(
    store: Store,
    *,
    agency: str | None = None,
    record_id: str | None = None,
    states: Iterable[OutboxState] | None = None,
) -> list[OutboxEntry]:
    """The stored entries, by id, of one agency or record and in the given states (all by
    default)."""
    wanted = frozenset(states) if states is not None else None
    return [
        e
        for e in store.items(OutboxEntry, agency=agency)
        if (record_id is None or e.record_id == record_id) and (wanted is None or e.state in wanted)
    ]


def publish_via_outbox(
    record: Record,
    *,
    publishers: Sequence[Publisher],
    now: datetime,
    store: Store,
    expected_version: int | None = None,
    policy: RetryPolicy | None = None,
    rules: RuleSet | None = None,
    context: RuleContext | None = None,
    names: Sequence[str] = (),
    addresses: Sequence[str] = (),
    allow: Sequence[str] = (),
    extra: Iterable[PiiKind] = frozenset(),
    on_event: Callable[[Notification], object] | None = None,
) -> OutboxRun:
    """`govdisclose.publishing.publish` through the outbox: the same guard and the same check
    of the stored state first (`PublishBlocked`, `ConflictError`: nothing is queued), then one
    entry per publisher, stored, and attempted at once. A channel that fails is retried by
    `retry_pending`; ``run.failed`` names it, ``run.record`` has the publications recorded.

    Keep the guard's options (``rules``, ``context``, ``names``, ...) for `retry_pending`: it
    runs the guard again before each retry.
    """
    _require_aware(now)
    guard = _Guard(rules, context, tuple(names), tuple(addresses), tuple(allow), frozenset(extra))
    view, findings = guard.clear(record, store, now)
    version = _current_version(record, store, expected_version)
    if not version:
        # An entry needs the record in the store: a retry reads it there.
        raise NotFound(
            f"记录“{record.id}”未存储：经发送队列发布前须先存储记录",
            f"record {record.id!r} is not stored: store it before publishing through the outbox",
            field="record",
            code="outbox.not_stored",
        )
    digest = _digest(view)
    queued = [
        (
            _new_entry(store, record, _name(p), OutboxAction.PUBLISH, version, digest, now),
            p,
        )
        for p in publishers
    ]
    outcomes = [
        _attempt(store, e, p, now, policy or RetryPolicy(), guard, on_event) for e, p in queued
    ]
    return OutboxRun(store.get_record(record.id), tuple(outcomes), tuple(findings))


def retry_pending(
    store: Store,
    publishers: Sequence[Publisher],
    *,
    now: datetime,
    policy: RetryPolicy | None = None,
    agency: str | None = None,
    rules: RuleSet | None = None,
    context: RuleContext | None = None,
    names: Sequence[str] = (),
    addresses: Sequence[str] = (),
    allow: Sequence[str] = (),
    extra: Iterable[PiiKind] = frozenset(),
    on_event: Callable[[Notification], object] | None = None,
) -> OutboxRun:
    """Attempt every entry due at ``now``: ``pending``, ``failed`` whose `next_attempt_at` has
    come, ``sent`` (only the record is written), and ``in_flight`` older than the policy's
    lease (a crashed attempt). Entries of a channel not among ``publishers`` are skipped and
    reported. Ordered by due time, then id.
    """
    _require_aware(now)
    pol = policy or RetryPolicy()
    guard = _Guard(rules, context, tuple(names), tuple(addresses), tuple(allow), frozenset(extra))
    by_name = {_name(p): p for p in publishers}
    due = [e for e in store.items(OutboxEntry, agency=agency) if _due(e, now, pol)]
    due.sort(key=lambda e: (e.next_attempt_at or e.requested_at, e.id))
    outcomes: list[Outcome] = []
    for entry in due:
        publisher = by_name.get(entry.publisher)
        if publisher is None:
            outcomes.append(
                Outcome(
                    entry,
                    "skipped",
                    f"未提供名为 {entry.publisher} 的发布渠道 / no publisher named "
                    f"{entry.publisher!r} was given",
                )
            )
            continue
        outcomes.append(_attempt(store, entry, publisher, now, pol, guard, on_event))
    return OutboxRun(None, tuple(outcomes))


def _due(entry: OutboxEntry, now: datetime, policy: RetryPolicy) -> bool:
    if entry.final:
        return False
    if entry.state is OutboxState.IN_FLIGHT:
        return entry.claimed_at is None or entry.claimed_at + policy.lease <= now
    return entry.next_attempt_at is None or entry.next_attempt_at <= now


def withdraw(
    store: Store,
    record_id: str,
    publishers: Sequence[object],
    *,
    reason: str,
    now: datetime,
    policy: RetryPolicy | None = None,
    on_event: Callable[[Notification], object] | None = None,
) -> OutboxRun:
    """撤回 ``record_id`` from every channel it is live on, through the outbox.

    The channels are those of the record's live publications and of its publish entries that
    may have put it up without the record saying so yet (``in_flight``, ``sent``). Every open
    publish entry of the record is abandoned first ("withdrawn"), so no retry puts it back.
    One withdraw entry per channel is stored and attempted at once (`Withdrawer.withdraw`, or
    ``withdraw_with_key``); a channel that fails is retried by `retry_pending`, one given as
    no `Withdrawer` (or not given) is reported for a person. Each confirmed withdrawal marks
    the channel's live publications with a `Withdrawal` (``now``, ``reason``): the register
    keeps them, marked withdrawn; ``on_event`` (and `retry_pending`'s) then receives a
    `govdisclose.notifications.RecordWithdrawn` per channel.

    :raises NotFound: no such record.
    :raises ValidationError: ``outbox.not_published`` when the record is live nowhere;
        ``validation.blank`` without a reason.
    """
    _require_aware(now)
    if not isinstance(reason, str) or not reason.strip():
        raise ValidationError(
            "撤回须写明理由",
            "a withdrawal needs a reason",
            field="reason",
            code="validation.blank",
        )
    pol = policy or RetryPolicy()
    record = store.get_record(record_id)
    version = store.record_version(record_id)
    channels = dict.fromkeys(p.publisher for p in record.live_publications)
    note = f"记录已撤回：{reason} / withdrawn: {reason}"
    for entry in entries(store, record_id=record_id):
        if entry.final or entry.action is not OutboxAction.PUBLISH:
            continue
        if entry.state in (OutboxState.IN_FLIGHT, OutboxState.SENT):
            channels.setdefault(entry.publisher)
        _abandon_quietly(store, entry, note)
    if not channels:
        raise ValidationError(
            f"记录“{record_id}”未在任何渠道发布，无需撤回",
            f"record {record_id!r} is not live on any channel; nothing to withdraw",
            field="record",
            code="outbox.not_published",
        )
    digest = _digest(public_view(record))
    by_name = {_name(p): p for p in publishers}
    outcomes: list[Outcome] = []
    for name in channels:
        entry = _new_entry(
            store, record, name, OutboxAction.WITHDRAW, version, digest, now, reason=reason
        )
        publisher = by_name.get(name)
        if publisher is None:
            outcomes.append(
                Outcome(
                    entry,
                    "skipped",
                    f"未提供名为 {name} 的发布渠道，待重试时撤回 / no publisher named {name!r} "
                    "was given; retry_pending withdraws it",
                )
            )
            continue
        outcomes.append(_attempt(store, entry, publisher, now, pol, _NO_OPTIONS, on_event))
    return OutboxRun(store.get_record(record_id), tuple(outcomes))


def _abandon_quietly(store: Store, entry: OutboxEntry, note: str) -> None:
    for _ in range(5):
        version = store.item_version(OutboxEntry, entry.id)
        current = store.get_item(OutboxEntry, entry.id)
        if current.final:
            return
        try:
            store.put_item(_abandoned(current, note), expected_version=version)
        except ConflictError:
            continue
        return


def _abandoned(entry: OutboxEntry, note: str) -> OutboxEntry:
    return attrs.evolve(
        entry, state=OutboxState.ABANDONED, next_attempt_at=None, claimed_at=None, note=note
    )


# -- one attempt ------------------------------------------------------------------------------


class _Lost(Exception):
    """The entry was taken by another worker (a versioned write of it failed)."""


def _attempt(
    store: Store,
    entry: OutboxEntry,
    publisher: object,
    now: datetime,
    policy: RetryPolicy,
    guard: _Guard,
    on_event: Callable[[Notification], object] | None,
) -> Outcome:
    """Bring ``entry`` one step further; what the store refuses to write is an ``error``
    outcome (the entry is retried as it stands), never an exception out of a batch."""
    try:
        return _step(store, entry, publisher, now, policy, guard, on_event)
    except _Lost:
        return Outcome(entry, "skipped", "另一进程正在处理 / another worker has it")
    except (ConflictError, NotFound, InvalidTransition) as err:
        return Outcome(entry, "skipped", _why(err))
    except Exception as err:  # a store that failed mid-way: the entry stands, a retry resumes
        return Outcome(_reread(store, entry), "error", _why(err))


def _reread(store: Store, entry: OutboxEntry) -> OutboxEntry:
    try:
        return store.get_item(OutboxEntry, entry.id)
    except Exception:  # the store is failing: report what we had
        return entry


def _write(store: Store, entry: OutboxEntry, version: int) -> int:
    try:
        return store.put_item(entry, expected_version=version)
    except ConflictError as err:
        raise _Lost from err


def _step(
    store: Store,
    entry: OutboxEntry,
    publisher: object,
    now: datetime,
    policy: RetryPolicy,
    guard: _Guard,
    on_event: Callable[[Notification], object] | None,
) -> Outcome:
    version = store.item_version(OutboxEntry, entry.id)
    entry = store.get_item(OutboxEntry, entry.id)
    if entry.final:
        return Outcome(entry, "skipped", f"已{entry.state.label} / already {entry.state.code}")
    if entry.state is OutboxState.IN_FLIGHT:
        if entry.claimed_at is not None and entry.claimed_at + policy.lease > now:
            return Outcome(entry, "skipped", "另一进程正在处理 / another worker has it")
        # A crashed attempt: it counts, and nothing says whether the channel acted.
        entry = attrs.evolve(
            entry,
            state=OutboxState.FAILED,
            claimed_at=None,
            attempts=(
                *entry.attempts,
                Attempt(
                    entry.claimed_at or now,
                    False,
                    "尝试中断，未记录结果 / the attempt was interrupted, no outcome recorded",
                ),
            ),
        )
    if entry.state is OutboxState.SENT:
        return _record(store, entry, version, publisher, now, guard, on_event)
    if not store.record_version(entry.record_id):
        return _give_up(store, entry, version, "记录已删除 / the record was deleted")
    record = store.get_record(entry.record_id)
    if entry.action is OutboxAction.PUBLISH:
        checked = _recheck(record, entry, store, now, guard)
        if isinstance(checked, str):
            return _give_up(store, entry, version, checked)
        view = checked
    else:
        # Always asked, also when the record shows nothing live there: a publish entry may
        # have put the page up unrecorded, and withdrawing what is not there is no error.
        if not isinstance(publisher, (Withdrawer, KeyedWithdrawer)):
            return _give_up(
                store,
                entry,
                version,
                f"渠道 {entry.publisher} 不能撤回，须人工撤回 / channel {entry.publisher!r} "
                "cannot withdraw: take it down by hand",
            )
        view = public_view(record)
    if len(entry.attempts) >= policy.max_attempts:
        return _give_up(store, entry, version, _gave_up(entry))
    # 1. the claim, before anything leaves.
    claimed = attrs.evolve(entry, state=OutboxState.IN_FLIGHT, claimed_at=now)
    version = _write(store, claimed, version)
    # 2. the channel.
    try:
        confirmed = _call(publisher, claimed, view)
    except Exception as err:  # a failing channel is what the outbox is for
        return _failed(store, claimed, version, now, policy, _why(err))
    # 3. what the channel confirmed, before the record.
    sent = attrs.evolve(
        claimed,
        state=OutboxState.SENT,
        claimed_at=None,
        attempts=(*claimed.attempts, Attempt(now, True)),
        publication=confirmed,
        withdrawn_at=now if entry.action is OutboxAction.WITHDRAW else None,
    )
    try:
        version = _write(store, sent, version)
    except _Lost:
        # Abandoned meanwhile (a withdrawal): the page this attempt put up must come down.
        return _late(store, sent, publisher, view)
    # 4. the record, then the entry done.
    return _record(store, sent, version, publisher, now, guard, on_event)


def _recheck(
    record: Record, entry: OutboxEntry, store: Store, now: datetime, guard: _Guard
) -> PublicRecord | str:
    """The cleared view to publish, or why the entry must not go out any more."""
    try:
        view, _ = guard.clear(record, store, now)
    except PublishBlocked as err:
        return f"{err.message_zh} / {err.message_en}"
    if _digest(view) != entry.digest:
        current = store.record_version(record.id)
        return (
            f"请求发布后记录已修改（请求时第 {entry.record_version} 版，现为第 {current} 版），"
            f"未发布，请重新发布 / the record changed after publication was requested (version "
            f"{entry.record_version}, now {current}); not published: publish it anew"
        )
    return view


def _call(publisher: object, entry: OutboxEntry, view: PublicRecord) -> Publication | None:
    key = entry.idempotency_key
    if entry.action is OutboxAction.WITHDRAW:
        if isinstance(publisher, KeyedWithdrawer):
            publisher.withdraw_with_key(view, key)
        else:
            assert isinstance(publisher, Withdrawer)
            publisher.withdraw(view)
        return None
    # Typed as object: a plugin may return anything, and only a Publication counts.
    got: object
    if isinstance(publisher, KeyedPublisher):
        got = publisher.publish_with_key(view, key)
    elif isinstance(publisher, Publisher):
        got = publisher.publish(view)
    else:
        raise TypeError(f"{_name(publisher)} has no publish method")
    if not isinstance(got, Publication):
        raise TypeError(f"returned {type(got).__name__}, not a Publication")
    if got.publisher != entry.publisher:
        # Stored under another name, the next retry would not find it on the record.
        got = attrs.evolve(got, publisher=entry.publisher)
    return got


def _failed(
    store: Store,
    entry: OutboxEntry,
    version: int,
    now: datetime,
    policy: RetryPolicy,
    reason: str,
) -> Outcome:
    attempts = (*entry.attempts, Attempt(now, False, reason))
    failed = attrs.evolve(entry, state=OutboxState.FAILED, claimed_at=None, attempts=attempts)
    if len(attempts) >= policy.max_attempts:
        gone = _abandoned(failed, _gave_up(failed))
        _write(store, gone, version)
        return Outcome(gone, "abandoned", gone.note)
    failed = attrs.evolve(failed, next_attempt_at=now + policy.delay(failed.failures))
    _write(store, failed, version)
    return Outcome(failed, "failed", reason)


def _gave_up(entry: OutboxEntry) -> str:
    last = entry.attempts[-1].reason if entry.attempts else None
    return (
        f"已尝试 {len(entry.attempts)} 次仍未成功，已放弃，请人工处理（最后一次：{last}） / "
        f"gave up after {len(entry.attempts)} attempts; a person must act (last: {last})"
    )


def _give_up(store: Store, entry: OutboxEntry, version: int, note: str) -> Outcome:
    gone = _abandoned(entry, note)
    _write(store, gone, version)
    return Outcome(gone, "abandoned", note)


def _late(store: Store, sent: OutboxEntry, publisher: object, view: PublicRecord) -> Outcome:
    stored = store.get_item(OutboxEntry, sent.id)
    if sent.action is OutboxAction.WITHDRAW or not stored.final:
        return Outcome(stored, "skipped", "另一进程正在处理 / another worker has it")
    try:
        if isinstance(publisher, KeyedWithdrawer):
            publisher.withdraw_with_key(view, sent.idempotency_key)
        elif isinstance(publisher, Withdrawer):
            publisher.withdraw(view)
        else:
            raise TypeError("cannot withdraw")
    except Exception as err:  # reported for a person
        return Outcome(
            stored,
            "abandoned",
            f"发布期间记录被撤回，本渠道撤回失败，须人工撤回（{_why(err)}） / withdrawn while "
            f"publishing, and the channel could not withdraw: take it down by hand",
        )
    return Outcome(stored, "abandoned", stored.note)


_RECORD_TRIES = 5


def _record(
    store: Store,
    sent: OutboxEntry,
    version: int,
    publisher: object,
    now: datetime,
    guard: _Guard,
    on_event: Callable[[Notification], object] | None,
) -> Outcome:
    """Write what the channel confirmed onto the record (once), then the entry ``done``."""
    published = False
    withdrawn: Withdrawal | None = None
    for _ in range(_RECORD_TRIES):
        withdrawn = None  # of this try's write only (a conflict reads the record again)
        record_version = store.record_version(sent.record_id)
        if not record_version:
            break  # deleted: nothing to record on
        record = store.get_record(sent.record_id)
        if sent.action is OutboxAction.PUBLISH:
            pub = sent.publication
            assert pub is not None
            if pub in record.publications:
                break  # recorded before a crash: never twice
            blocked = _recheck(record, sent, store, now, guard)
            if isinstance(blocked, str):
                # The record changed while the channel published: the page comes down again.
                return _compensate(store, sent, version, publisher, record, blocked)
            updated = attrs.evolve(record, publications=(*record.publications, pub))
        else:
            at = sent.withdrawn_at or now
            reason = sent.reason or "撤回"
            marked = tuple(
                attrs.evolve(p, withdrawal=Withdrawal(max(at, p.published_at), reason))
                if p.publisher == sent.publisher and p.withdrawal is None
                else p
                for p in record.publications
            )
            if marked == record.publications:
                break
            updated = attrs.evolve(record, publications=marked)
            withdrawn = next(
                m.withdrawal
                for m, p in zip(marked, record.publications, strict=True)
                if m is not p and m.withdrawal is not None
            )
        try:
            store.put_record(updated, expected_version=record_version)
        except ConflictError:
            continue  # another channel's publication meanwhile: read again
        published = sent.action is OutboxAction.PUBLISH
        break
    else:
        return Outcome(
            sent, "error", "记录一直被他人修改，稍后重试 / the record kept changing; retried later"
        )
    done = attrs.evolve(sent, state=OutboxState.DONE, next_attempt_at=None)
    _write(store, done, version)
    if published and on_event is not None and sent.publication is not None:
        on_event(RecordPublished(sent.record_id, sent.publication))
    if withdrawn is not None and on_event is not None and sent.action is OutboxAction.WITHDRAW:
        on_event(RecordWithdrawn(sent.record_id, sent.publisher, withdrawn))
    return Outcome(done, "done")


def _compensate(
    store: Store,
    sent: OutboxEntry,
    version: int,
    publisher: object,
    record: Record,
    why: str,
) -> Outcome:
    try:
        if isinstance(publisher, KeyedWithdrawer):
            publisher.withdraw_with_key(public_view(record), sent.idempotency_key + "-undo")
        elif isinstance(publisher, Withdrawer):
            publisher.withdraw(public_view(record))
        else:
            raise TypeError("cannot withdraw")
    except Exception as err:  # a person takes it down
        note = f"{why}；渠道已发布但无法撤回，须人工撤回（{_why(err)}）"
    else:
        note = f"{why}；已从该渠道撤回 / withdrawn from the channel again"
    return _give_up(store, sent, version, note)
