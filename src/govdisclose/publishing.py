"""The publication guard, the publishing pipeline and the register of published documents.

Nothing leaves unless it may (`publish`):

* GD-P001: the current attribute is 主动公开 (条例 2019 第十三条、第十九条至第二十一条);
* GD-P002: the confidentiality review passed (先审查后公开; 条例第十七条; seeds 000, 003);
* GD-P003: no unmasked personal data in the title or body (条例第十五条; seed 002 （五）:
  去标识化 except for 惩戒性公示公告, i.e. `DocumentKind.PUNITIVE_NOTICE`);
* GD-P004: not a state secret (条例第十四条);
* and no ERROR finding of the rule set.

A refusal raises `PublishBlocked` whose ``findings`` list every reason at once, so the clerk
fixes everything in one pass. When allowed, each publisher is called; a `Publication` is
recorded only for a publisher that returned one (a failing channel is reported in
``failed`` and the others still run). With a store, the updated record is written with the
expected version, so a concurrent edit raises `ConflictError` and nothing is written.

`register` lists what was published (the 文件发布登记备案 of seed 002: full, partial or
redacted publication, and the changes made after publication).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Protocol, runtime_checkable

import attrs
from attrs import frozen

from govdisclose.errors import ConflictError, PublishBlocked, ValidationError
from govdisclose.model import AttributeDecision, Publication, Record
from govdisclose.notifications import Notification, RecordPublished
from govdisclose.privacy import find_pii
from govdisclose.rules import Finding, RuleContext, RuleSet, Severity, is_state_secret
from govdisclose.store import Store
from govdisclose.vocab import DisclosureAttribute, DisclosureScope, DocumentKind, ReviewStatus

__all__ = [
    "PublishResult",
    "Publisher",
    "RegisterEntry",
    "guard",
    "publish",
    "register",
]


@runtime_checkable
class Publisher(Protocol):
    """Puts a record somewhere the public can read it (portal column, CMS, feed, gazette).

    ``name`` is a stable identifier, stored in `Publication.publisher`. `publish` is called only
    for records the publication guard let through; it returns the `Publication` that happened,
    with the time it took effect (an aware datetime) and where, or raises if nothing was
    published, so that a publication is recorded only when it happened. Defined here, beside
    the guard that calls it (also importable from `govdisclose.adapters`, its 0.1.0 home).
    """

    name: str

    def publish(self, record: Record) -> Publication:
        """Publish ``record`` and return what was published, when and where."""
        ...


@frozen
class PublishResult:
    """What `publish` did.

    :param record: the record with the new publications appended (unchanged if none succeeded).
    :param published: the publications that happened, in publisher order.
    :param failed: ``(publisher name, error message)`` for each publisher that failed.
    :param findings: the non-blocking findings (warnings, infos) of the rule set.
    """

    record: Record
    published: tuple[Publication, ...]
    failed: tuple[tuple[str, str], ...]
    findings: tuple[Finding, ...]


def _guard_finding(rule_id: str, zh: str, en: str, field: str | None, article: str) -> Finding:
    return Finding(rule_id, Severity.ERROR, zh, en, field, article)


def guard(
    record: Record,
    *,
    rules: RuleSet | None = None,
    context: RuleContext | None = None,
    names: Sequence[str] = (),
    addresses: Sequence[str] = (),
) -> tuple[list[Finding], list[Finding]]:
    """The publication check without publishing: ``(blocking, other)`` findings.

    ``blocking`` is empty when the record may be published.
    """
    blocking: list[Finding] = []
    if record.attribute is not DisclosureAttribute.PROACTIVE:
        current = record.attribute.label if record.attribute else "未认定"
        blocking.append(
            _guard_finding(
                "GD-P001",
                f"只有主动公开的政府信息才能发布，当前属性为“{current}”",
                f"only proactive records may be published; the attribute is "
                f"{record.attribute.code if record.attribute else 'undecided'}",
                "decisions",
                "条例第十三条、第十九条至第二十一条",
            )
        )
    if record.review_status is not ReviewStatus.PASSED:
        blocking.append(
            _guard_finding(
                "GD-P002",
                f"未通过保密审查（当前：{record.review_status.label}），先审查后公开",
                f"the confidentiality review has not passed ({record.review_status.code})",
                "review_status",
                "条例第十七条",
            )
        )
    if record.kind is not DocumentKind.PUNITIVE_NOTICE:
        for where, text in (("title", record.title), ("body", record.body)):
            kinds = sorted({m.kind.label for m in find_pii(text, names=names, addresses=addresses)})
            if kinds:
                blocking.append(
                    _guard_finding(
                        "GD-P003",
                        f"{'标题' if where == 'title' else '正文'}含未去标识化的个人信息："
                        f"{'、'.join(kinds)}",
                        f"the {where} contains unmasked personal data ({len(kinds)} kind(s)); "
                        "mask it with govdisclose.privacy.mask_record",
                        where,
                        "条例第十五条；种子文件002（五）去标识化",
                    )
                )
    if is_state_secret(record):
        blocking.append(
            _guard_finding(
                "GD-P004",
                "属于国家秘密，不得公开",
                "a state secret is never published",
                "decisions",
                "条例第十四条",
            )
        )
    ruleset = rules if rules is not None else RuleSet.default()
    other: list[Finding] = []
    for f in ruleset.check(record, context):
        (blocking if f.severity is Severity.ERROR else other).append(f)
    return blocking, other


def publish(
    record: Record,
    *,
    publishers: Sequence[Publisher],
    now: datetime,
    rules: RuleSet | None = None,
    context: RuleContext | None = None,
    names: Sequence[str] = (),
    addresses: Sequence[str] = (),
    store: Store | None = None,
    expected_version: int | None = None,
    on_event: Callable[[Notification], object] | None = None,
) -> PublishResult:
    """Publish ``record`` through ``publishers`` if the guard allows it.

    :param now: an aware datetime; its date is the rules' ``as_of`` unless ``context`` sets one.
    :param names: / :param addresses: personal names and addresses to look for (see
        `govdisclose.privacy.find_pii`).
    :param store: if given, the updated record is written with ``expected_version``; without an
        explicit version, the stored record must equal ``record`` (else `ConflictError`: the
        caller holds a stale copy) and its stored version is expected.
    :param on_event: called with a `govdisclose.notifications.RecordPublished` for each
        publication, after it is stored; pass ``functools.partial(govdisclose.plugins.notify,
        pm)`` to reach the ``govdisclose_handle_event`` hook.
    :raises PublishBlocked: with every blocking finding; nothing is published or written.
    :raises ConflictError: from the store; nothing is written.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValidationError(
            "now 必须是带时区的时间（如 Asia/Shanghai）",
            "now must be a timezone-aware datetime (e.g. Asia/Shanghai)",
            field="now",
            code="validation.naive_datetime",
        )
    ctx = context or RuleContext()
    if ctx.as_of is None:
        ctx = attrs.evolve(ctx, as_of=now.date())
    blocking, other = guard(record, rules=rules, context=ctx, names=names, addresses=addresses)
    if blocking:
        raise PublishBlocked(
            "不能发布：" + "；".join(f"[{f.rule_id}] {f.message_zh}" for f in blocking),
            "publication blocked: " + "; ".join(f"[{f.rule_id}] {f.message_en}" for f in blocking),
            findings=blocking,
            field=blocking[0].field,
        )
    version = _expected_version(record, store, expected_version)
    published: list[Publication] = []
    failed: list[tuple[str, str]] = []
    for publisher in publishers:
        name = str(getattr(publisher, "name", type(publisher).__name__))
        try:
            # Typed as object: a plugin may return anything, and only a Publication counts.
            publication: object = publisher.publish(record)
        except Exception as err:  # one failing channel must not stop the others
            failed.append((name, f"{type(err).__name__}: {err}"))
            continue
        if not isinstance(publication, Publication):
            failed.append((name, f"returned {type(publication).__name__}, not a Publication"))
            continue
        published.append(publication)
    updated = record
    if published:
        updated = attrs.evolve(record, publications=(*record.publications, *published))
        if store is not None:
            store.put_record(updated, expected_version=version)
        if on_event is not None:
            # Only after the write: a listener must never hear of a publication that a
            # conflicting writer then kept out of the store.
            for publication in published:
                on_event(RecordPublished(record.id, publication))
    return PublishResult(updated, tuple(published), tuple(failed), tuple(other))


def _expected_version(record: Record, store: Store | None, expected: int | None) -> int | None:
    if store is None or expected is not None:
        return expected
    version = store.record_version(record.id)
    if version and store.get_record(record.id) != record:
        raise ConflictError(
            f"存储中的记录“{record.id}”已被修改，请重新读取后再发布",
            f"record {record.id!r} changed in the store; reload it before publishing",
            expected_version=version,
            actual_version=version,
            field="record",
        )
    return version


# -- register ---------------------------------------------------------------------------------


@frozen
class RegisterEntry:
    """One line of the 文件发布登记备案 (seed 002): what was published, how, and what changed.

    :param scope: 全文 / 部分 / 删减后公开, as published.
    :param withheld_note: what was withheld and why (the decision in force at publication).
    :param later_decisions: attribute decisions made after this publication (修改调整情况).
    """

    record_id: str
    agency: str
    title: str
    document_number: str | None
    publication: Publication
    scope: DisclosureScope
    withheld_note: str | None
    later_decisions: tuple[AttributeDecision, ...]

    @property
    def published_on(self) -> date:
        """The publication date."""
        return self.publication.published_on


def _entry(record: Record, publication: Publication) -> RegisterEntry:
    day = publication.published_on
    in_force = [d for d in record.decisions if d.decided_on <= day]
    note = in_force[-1].withheld_note if in_force else None
    return RegisterEntry(
        record_id=record.id,
        agency=record.agency,
        title=record.title,
        document_number=record.document_number,
        publication=publication,
        scope=publication.scope,
        withheld_note=note,
        later_decisions=tuple(d for d in record.decisions if d.decided_on > day),
    )


def register(
    store_or_records: Store | Iterable[Record],
    *,
    agency: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[RegisterEntry]:
    """The register of publications made on ``start <= day <= end`` (either bound open).

    From a store, `Store.published` selects the publications (ordered by record id, then
    publication order); from records, the same order is produced here.
    """
    if isinstance(store_or_records, Store):
        store = store_or_records
        cache: dict[str, Record] = {}
        entries = []
        for pe in store.published(agency=agency, start=start, end=end):
            rec = cache.get(pe.record_id)
            if rec is None:
                rec = cache[pe.record_id] = store.get_record(pe.record_id)
            entries.append(_entry(rec, pe.publication))
        return entries
    records = sorted(store_or_records, key=lambda r: r.id)
    return [
        _entry(rec, p)
        for rec in records
        if agency is None or rec.agency == agency
        for p in rec.publications
        if (start is None or p.published_on >= start) and (end is None or p.published_on <= end)
    ]
