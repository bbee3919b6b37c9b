"""Public-opinion cases in a `govdisclose.store.Store`: the kept-item kind ``"opinion.event"``
and the ledger's operations (detect, respond, close, record).

A case is stored whole (its tuple of events); appending is get + version + put with the
expected version, so two clerks writing at once get a `ConflictError` instead of a lost event,
and the kind's write rule refuses a write that rewrites the history or that `apply` refuses.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import datetime

import cattrs

from govdisclose import serde
from govdisclose.errors import NotFound
from govdisclose.notifications import Notification, OpinionEventApplied
from govdisclose.opinion._lifecycle import apply_all, check_history
from govdisclose.opinion._model import (
    OPINION_EVENT_TYPES,
    OpinionCase,
    OpinionCaseEvent,
    OpinionClosed,
    OpinionDetected,
    OpinionGrade,
    OpinionResponded,
    OpinionSource,
    ResponseType,
)
from govdisclose.press import Attendee
from govdisclose.store import Store
from govdisclose.store.kinds import ItemKind, append_only, register

__all__ = [
    "OPINION_KIND",
    "Notify",
    "close",
    "detect",
    "opinion_converter",
    "record",
    "respond",
]

#: Where the operations deliver their notifications: ``functools.partial(
#: govdisclose.plugins.notify, pm)`` in a host, a list's ``append`` in a test.
Notify = Callable[[Notification], None]


def _configure(converter: cattrs.Converter) -> None:
    serde.register_tagged_events(
        converter,
        OpinionCaseEvent,
        OPINION_EVENT_TYPES,
        what_zh="舆情事件",
        what_en="opinion event",
    )


@functools.cache
def opinion_converter() -> cattrs.Converter:
    """The converter of `govdisclose.serde` with the opinion events tagged by ``kind``."""
    converter = serde.make_converter()
    _configure(converter)
    return converter


def _dump(case: OpinionCase) -> str:
    return serde.dumps(case, converter=opinion_converter())


def _load(text: str) -> OpinionCase:
    return serde.loads(text, OpinionCase, converter=opinion_converter())


_append_only = append_only(lambda case: case.events, "舆情", "opinion case")


def _check(old: OpinionCase | None, new: OpinionCase) -> None:
    _append_only(old, new)
    check_history(new)


#: The kept-item kind of public-opinion cases (code ``"opinion.event"``).
OPINION_KIND = register(
    ItemKind(
        code="opinion.event",
        cls=OpinionCase,
        label_zh="政务舆情",
        label_en="public-opinion case",
        check=_check,
        dump=_dump,
        load=_load,
    )
)


def detect(
    store: Store,
    *,
    id: str,
    agency: str,
    at: datetime,
    grade: OpinionGrade,
    source: OpinionSource,
    summary: str,
    emergency: bool = True,
    url: str | None = None,
    actor: str | None = None,
    notify: Notify | None = None,
) -> OpinionCase:
    """Store a new case detected at ``at`` by (or for) ``agency``.

    :raises ConflictError: a case with that id already exists.
    :raises NotFound: the agency is not stored (field ``agency``).
    """
    event = OpinionDetected(
        at=at,
        grade=grade,
        source=source,
        summary=summary,
        emergency=emergency,
        url=url,
        actor=actor,
    )
    case = apply_all(OpinionCase(id=id, agency=agency), (event,))
    version = store.put_item(case, expected_version=0)
    if notify is not None:
        notify(OpinionEventApplied(case.id, case.agency, event, version))
    return case


def record(
    store: Store,
    case_id: str,
    events: Iterable[OpinionCaseEvent],
    *,
    notify: Notify | None = None,
) -> OpinionCase:
    """Append ``events`` to the stored case (all or none) and return the new case.

    :raises NotFound: no such case.
    :raises InvalidTransition: an event may not follow (nothing is stored).
    :raises ConflictError: someone wrote the case meanwhile; reload and try again.
    """
    version = store.item_version(OpinionCase, case_id)
    if version == 0:
        raise NotFound.for_key("opinion.event", case_id, label_zh="政务舆情")
    case = store.get_item(OpinionCase, case_id)
    added = tuple(events)
    new = apply_all(case, added)
    stored = store.put_item(new, expected_version=version)
    if notify is not None:
        for event in added:
            notify(OpinionEventApplied(new.id, new.agency, event, stored))
    return new


def respond(
    store: Store,
    case_id: str,
    *,
    at: datetime,
    type: ResponseType,
    summary: str,
    attendees: Iterable[Attendee] = (),
    channel: str | None = None,
    record_ids: Iterable[str] = (),
    press_event_id: str | None = None,
    actor: str | None = None,
    notify: Notify | None = None,
) -> OpinionCase:
    """Record one response on the stored case (see `OpinionResponded`)."""
    event = OpinionResponded(
        at=at,
        type=type,
        summary=summary,
        channel=channel,
        attendees=tuple(attendees),
        record_ids=tuple(record_ids),
        press_event_id=press_event_id,
        actor=actor,
    )
    return record(store, case_id, (event,), notify=notify)


def close(
    store: Store,
    case_id: str,
    *,
    at: datetime,
    note: str | None = None,
    actor: str | None = None,
    notify: Notify | None = None,
) -> OpinionCase:
    """Close the stored case at ``at`` (办结)."""
    return record(store, case_id, (OpinionClosed(at=at, note=note, actor=actor),), notify=notify)
