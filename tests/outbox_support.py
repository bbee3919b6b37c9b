"""What the outbox tests share: a scripted channel that counts its calls, a store that crashes
on the write a test chooses, and the records."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from govdisclose.model import Publication, Record
from govdisclose.public import PublicRecord, require_cleared
from govdisclose.testing import builders
from govdisclose.vocab import PublicationChannel

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2025, 6, 5, 10, 0, tzinfo=SH)
AGENCY = builders.agency("city-gov")


class ChannelDown(RuntimeError):
    """What a scripted channel raises for a failure."""


class Crash(RuntimeError):
    """What the crashing store raises: the process "died" inside that write."""


class Channel:
    """A publisher (and withdrawer) that follows a script of outcomes, ``True`` for success,
    ``False`` for a failure, the last one repeating; it counts every call and, with
    ``keyed``, takes the outbox's idempotency key and, like a CMS, acts once per key.

    ``live`` is what the public can read on the channel: record id -> number of live copies
    (a real channel that published twice would show two articles)."""

    def __init__(
        self,
        name: str,
        publish: tuple[bool, ...] = (True,),
        withdraw: tuple[bool, ...] = (True,),
        *,
        keyed: bool = False,
        at: datetime = T0,
    ) -> None:
        self.name = name
        self._publish = list(publish)
        self._withdraw = list(withdraw)
        self.keyed = keyed
        self.at = at
        self.publish_calls = 0
        self.withdraw_calls = 0
        self.keys: list[str] = []
        self.live: dict[str, int] = {}
        self._done: dict[str, Publication] = {}

    def _next(self, script: list[bool]) -> bool:
        return script.pop(0) if len(script) > 1 else script[0]

    def publish(self, view: PublicRecord) -> Publication:
        view = require_cleared(view, publisher=self.name)
        self.publish_calls += 1
        if not self._next(self._publish):
            raise ChannelDown(f"{self.name} is down")
        self.live[view.id] = self.live.get(view.id, 0) + 1
        return self._publication(view)

    def _publication(self, view: PublicRecord) -> Publication:
        return Publication(
            publisher=self.name,
            channel=PublicationChannel.PORTAL,
            published_at=self.at,
            url=f"https://{self.name}.example.gov.cn/{view.id}",
            scope=view.scope,
        )

    def withdraw(self, view: PublicRecord) -> None:
        self.withdraw_calls += 1
        if not self._next(self._withdraw):
            raise ChannelDown(f"{self.name} cannot withdraw now")
        self.live.pop(view.id, None)


class KeyedChannel(Channel):
    """A `Channel` that takes the outbox's key and acts once per key (as a CMS does)."""

    def publish_with_key(self, view: PublicRecord, key: str) -> Publication:
        view = require_cleared(view, publisher=self.name)
        self.publish_calls += 1
        self.keys.append(key)
        if not self._next(self._publish):
            raise ChannelDown(f"{self.name} is down")
        if key not in self._done:
            self.live[view.id] = self.live.get(view.id, 0) + 1
            self._done[key] = self._publication(view)
        return self._done[key]


class CrashingStore:
    """Delegates to a store; ``crash(method, n, after=False)`` makes the ``n``-th next call of
    ``method`` raise `Crash`, before the write reaches the store or (``after``) once it is
    stored, as a process dying just before or just after its commit."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._plans: dict[str, list[tuple[int, bool]]] = {}
        self._calls: dict[str, int] = {}

    def crash(self, method: str, n: int = 1, *, after: bool = False) -> None:
        base = self._calls.get(method, 0)
        self._plans.setdefault(method, []).append((base + n, after))

    def _wrap(self, method: str, *args: Any, **kwargs: Any) -> Any:
        count = self._calls[method] = self._calls.get(method, 0) + 1
        plans = self._plans.get(method, [])
        plan = next((p for p in plans if p[0] == count), None)
        if plan is not None and not plan[1]:
            raise Crash(f"crash before {method} #{count}")
        result = getattr(self._inner, method)(*args, **kwargs)
        if plan is not None:
            raise Crash(f"crash after {method} #{count}")
        return result

    def put_record(self, *args: Any, **kwargs: Any) -> Any:
        return self._wrap("put_record", *args, **kwargs)

    def put_item(self, *args: Any, **kwargs: Any) -> Any:
        return self._wrap("put_item", *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def record(rid: str = "R-1", **fields: Any) -> Record:
    return builders.record(rid, agency="city-gov", formed_on=date(2025, 6, 3), **fields)


def stored(store: Any, rid: str = "R-1", **fields: Any) -> Record:
    if not any(a.code == AGENCY.code for a in store.agencies()):
        store.put_agency(AGENCY)
    rec = record(rid, **fields)
    store.put_record(rec, expected_version=0)
    return rec


def later(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)
