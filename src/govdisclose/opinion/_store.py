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
from typing import Any

import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from govdisclose import serde
from govdisclose.errors import NotFound, ValidationError
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

_TAG = serde.EVENT_TAG


def _configure(converter: cattrs.Converter) -> None:
    by_kind = {cls.kind: cls for cls in OPINION_EVENT_TYPES}

    def tagged(cls: type[Any]) -> None:
        structure = make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True)
        unstructure = make_dict_unstructure_fn(cls, converter)

        def load(value: Any, _: Any) -> Any:
            if not isinstance(value, dict) or value.get(_TAG) != cls.kind:
                raise ValidationError(
                    f"应为“{cls.kind}”事件",
                    f"expected a {cls.kind!r} event",
                    field=_TAG,
                    code="serde.invalid_input",
                )
            return structure({k: v for k, v in value.items() if k != _TAG}, cls)

        converter.register_structure_hook(cls, load)
        converter.register_unstructure_hook(cls, lambda ev: {_TAG: cls.kind, **unstructure(ev)})

    for cls in OPINION_EVENT_TYPES:
        tagged(cls)

    def load_event(value: Any, _: Any) -> OpinionCaseEvent:
        tag = value.get(_TAG) if isinstance(value, dict) else None
        cls = by_kind.get(tag) if isinstance(tag, str) else None
        if cls is None:
            raise ValidationError(
                f"未知的舆情事件类型 {tag!r}；应为：{', '.join(by_kind)}",
                f"unknown opinion event {_TAG} {tag!r}; expected one of: {', '.join(by_kind)}",
                field=_TAG,
                code="serde.invalid_input",
            )
        event: OpinionCaseEvent = converter.structure(value, cls)
        return event

    converter.register_structure_hook(OpinionCaseEvent, load_event)
    converter.register_unstructure_hook(OpinionCaseEvent, converter.unstructure)


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
