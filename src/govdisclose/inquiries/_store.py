"""Inquiry cases in a `govdisclose.store.Store`: the kept-item kind ``"inquiry"`` and the
desk's operations (receive, record events, find by query code, complain).

A case is stored whole (its tuple of events) as a kept item; appending is get + version + put
with the expected version, so two clerks writing at once get a `ConflictError` rather than a
lost event, and the kind's write rule refuses a write that rewrites the history or that the
lifecycle refuses (the same rule `govdisclose.inquiries.apply` applies).
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable, Iterable
from datetime import date

import cattrs
from attrs import frozen

from govdisclose import serde
from govdisclose.errors import NotFound
from govdisclose.inquiries._code import code_digest, new_query_code
from govdisclose.inquiries._lifecycle import apply_all, check_history
from govdisclose.inquiries._model import (
    INQUIRY_EVENT_TYPES,
    Complained,
    InquirerContact,
    InquiryCase,
    InquiryChannel,
    InquiryEvent,
    InquiryReceived,
)
from govdisclose.notifications import (
    InquiryComplaintReceived,
    InquiryEventApplied,
    Notification,
)
from govdisclose.store import Store
from govdisclose.store.kinds import ItemKind, append_only, register
from govdisclose.vocab import InquiryKind

__all__ = [
    "INQUIRY_KIND",
    "Notify",
    "Receipt",
    "complain",
    "find_by_code",
    "inquiry_converter",
    "receive",
    "record",
]

#: Where the desk's operations deliver their notifications: ``functools.partial(
#: govdisclose.plugins.notify, pm)`` in a host, a list's ``append`` in a test.
Notify = Callable[[Notification], None]


def _configure(converter: cattrs.Converter) -> None:
    serde.register_tagged_events(
        converter, InquiryEvent, INQUIRY_EVENT_TYPES, what_zh="查询事件", what_en="inquiry event"
    )


@functools.cache
def inquiry_converter() -> cattrs.Converter:
    """The converter of `govdisclose.serde` with the inquiry events tagged by ``kind``."""
    converter = serde.make_converter()
    _configure(converter)
    return converter


def _dump(case: InquiryCase) -> str:
    return serde.dumps(case, converter=inquiry_converter())


def _load(text: str) -> InquiryCase:
    return serde.loads(text, InquiryCase, converter=inquiry_converter())


_append_only = append_only(lambda case: case.events, "查询", "inquiry")


def _check(old: InquiryCase | None, new: InquiryCase) -> None:
    _append_only(old, new)
    check_history(new)


#: The kept-item kind of inquiry cases (code ``"inquiry"``).
INQUIRY_KIND = register(
    ItemKind(
        code="inquiry",
        cls=InquiryCase,
        label_zh="政务信息查询",
        label_en="inquiry",
        check=_check,
        dump=_dump,
        load=_load,
    )
)


@frozen
class Receipt:
    """What `receive` returns: the stored case and the query code to give the inquirer (shown
    once: the store keeps only its digest)."""

    case: InquiryCase
    code: str


def receive(
    store: Store,
    *,
    id: str,
    agency: str,
    on: date,
    channel: InquiryChannel,
    category: InquiryKind,
    question: str,
    inquirer: InquirerContact,
    note: str | None = None,
    actor: str | None = None,
    notify: Notify | None = None,
) -> Receipt:
    """Store a new case received by ``agency`` and return it with a fresh query code.

    :raises ConflictError: a case with that id already exists.
    :raises NotFound: the agency is not stored (field ``agency``).
    """
    code = new_query_code()
    event = InquiryReceived(
        on=on,
        note=note,
        actor=actor,
        channel=channel,
        category=category,
        question=question,
        inquirer=inquirer,
        code_digest=code_digest(code),
    )
    case = apply_all(InquiryCase(id=id, agency=agency), (event,))
    version = store.put_item(case, expected_version=0)
    if notify is not None:
        notify(InquiryEventApplied(case.id, case.agency, event, version))
    return Receipt(case, code)


def record(
    store: Store,
    case_id: str,
    events: Iterable[InquiryEvent],
    *,
    notify: Notify | None = None,
) -> InquiryCase:
    """Append ``events`` to the stored case (all or none) and return the new case.

    :raises NotFound: no such case.
    :raises InvalidTransition: an event may not follow (nothing is stored).
    :raises ConflictError: someone wrote the case meanwhile; reload and try again.
    """
    version = store.item_version(InquiryCase, case_id)
    if version == 0:
        raise NotFound.for_key("inquiry", case_id, label_zh="政务信息查询")
    case = store.get_item(InquiryCase, case_id)
    added = tuple(events)
    new = apply_all(case, added)
    stored = store.put_item(new, expected_version=version)
    if notify is not None:
        for event in added:
            notify(InquiryEventApplied(new.id, new.agency, event, stored))
            if isinstance(event, Complained):
                notify(InquiryComplaintReceived(new.id, new.agency, event.office, event.on))
    return new


def find_by_code(store: Store, code: str) -> InquiryCase:
    """The one case whose query code is ``code``; `NotFound` (code ``inquiries.unknown_code``)
    otherwise, naming nothing stored.

    Every stored case's digest is compared in constant time and the scan does not stop at a
    match, so the time taken says nothing about where a case is. The scan reads every case:
    fine for a county's thousands; a host with millions keeps its own index of digests.

    :raises ValidationError: ``code`` is malformed (code ``inquiries.invalid_code``).
    """
    digest = code_digest(code)
    found: InquiryCase | None = None
    for case in store.items(InquiryCase):
        rec = case.received
        if rec is not None and hmac.compare_digest(digest, rec.code_digest) and found is None:
            found = case
    if found is None:
        raise NotFound(
            "没有与该查询码对应的查询，请核对查询码",
            "no inquiry has this query code; check the code",
            field="code",
            code="inquiries.unknown_code",
        )
    return found


def complain(
    store: Store,
    code: str,
    *,
    on: date,
    office: str,
    grounds: str,
    note: str | None = None,
    actor: str | None = None,
    notify: Notify | None = None,
) -> InquiryCase:
    """The inquirer's complaint (投诉), found by their query code, recorded on the case for the
    supervising office ``office`` (seed 003 篇5, 二、(二)2 (5))."""
    case = find_by_code(store, code)
    event = Complained(on=on, office=office, grounds=grounds, note=note, actor=actor)
    return record(store, case.id, (event,), notify=notify)
