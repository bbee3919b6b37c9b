"""The publication guard, the publishing pipeline and the register of published documents.

Nothing leaves unless it may (`publish`):

* GD-P001: the current attribute is 主动公开 (条例 2019 第十三条、第十九条至第二十一条);
* GD-P002: the confidentiality review passed (先审查后公开; 条例第十七条; seeds 000, 003);
* GD-P003: no unmasked personal data in anything the public sees: every text of the
  `govdisclose.public.PublicRecord` (title, body, id, 索引号, 文号, topic, agency code, key
  areas, interpretations), scanned as a reader sees it (条例第十五条; seed 002 （五）:
  去标识化 except for 惩戒性公示公告, i.e. `DocumentKind.PUNITIVE_NOTICE`);
* GD-P004: not a state secret (条例第十四条);
* GD-P005: the review is real: a passed review names its reviewer and a review date on or
  after the day the record was formed and not after today (条例第十七条); with a history of
  review steps, no step counted is dated after now (a step taken before the record was formed
  or last changed reviewed another text and does not count at all: GD-P006);
* GD-P006: every step of the review chain the agency requires (`RuleContext.review_chain`,
  `govdisclose.review.ReviewChain`; one 保密审查 by default) has passed, in order, since the
  last return, with no escalation to the secrecy office left unanswered (条例第十七条; seed 003:
  初审、复核、分管领导、报保密部门); the finding names the missing step;
* GD-P007: a timed release (择时公开, `Record.timed_release`) is not published before its
  moment: the guard compares with ``now`` (`publish` always has it; `guard` and `clear` take
  it), and without ``now`` it refuses unless ``as_of`` is a later day;
* and no ERROR finding of the rule set (among them GD-R014: the 政策解读 a policy needs exists
  and is published no later than the policy; `publish` looks interpretations up in its store).

A refusal raises `PublishBlocked` whose ``findings`` list every reason at once, so the clerk
fixes everything in one pass. Its ``field`` and ``code`` are those of the first reason:
``publishing.review_incomplete`` (GD-P006), ``publishing.not_yet_released`` (GD-P007),
``publishing.interpretation_missing`` (GD-R014), ``publishing.blocked`` for the others.

When allowed, the guard produces the `PublicRecord` and each publisher receives only that
(`clear`); a `Publication` is recorded only for a publisher that returned one (a failing
channel is reported in ``failed`` and the others still run).

With a store, the order is check, publish, record:

1. the stored version and the stored attribute and review state are read *before* any
   publisher runs: a stale copy (an older version, or an attribute or review that differs from
   the store's) raises `ConflictError` and nothing is published;
2. the publishers run with the cleared view;
3. the record with its new publications is written with the version read in 1. If another
   writer changed the record in between, the write raises `ConflictError`; every channel that
   published is then asked to take the page down again (`Withdrawer.withdraw`) before the
   error reaches the caller, so a concurrent change never ends with a live page for a record
   the store says is not public. The error lists what was withdrawn and any channel that could
   not withdraw (a publisher without ``withdraw``, or one whose withdrawal failed: those need
   a person).

Why compensation and not a lock: a lock held across a publisher's network call would stall
every other writer of the store on a slow CMS, and stores have no lock that spans processes and
hosts alike; the version check is what every store already provides. The page is live only
between 2 and 3 (milliseconds for a file, one request for a CMS), and only for a record that
passed the guard on the store's own state a moment before.

`register` lists what was published (the 文件发布登记备案 of seed 002: full, partial or
redacted publication, and the changes made after publication, a withdrawal among them:
`RegisterEntry.withdrawal`).

`publish` calls each channel once. For a channel that must be retried until it confirms, and
for 撤回 from every channel, use `govdisclose.outbox` (`publish_via_outbox`, `retry_pending`,
`withdraw`): the same guard and checks, with each publication a stored entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Protocol, runtime_checkable

import attrs
from attrs import frozen

from govdisclose._time import SHANGHAI
from govdisclose.errors import ConflictError, NotFound, PublishBlocked, ValidationError
from govdisclose.model import AttributeDecision, Publication, Record, Withdrawal
from govdisclose.notifications import Notification, RecordPublished
from govdisclose.privacy import PiiKind, find_pii
from govdisclose.public import PublicRecord, _mark_cleared, require_cleared
from govdisclose.review import ReviewChain, ReviewProgress
from govdisclose.rules import Finding, RuleContext, RuleSet, Severity, is_state_secret
from govdisclose.store import Store
from govdisclose.vocab import DisclosureAttribute, DisclosureScope, DocumentKind, ReviewStatus

__all__ = [
    "PublicRecord",
    "PublishResult",
    "Publisher",
    "RegisterEntry",
    "Withdrawer",
    "clear",
    "guard",
    "public_view",
    "publish",
    "register",
    "require_cleared",
]


@runtime_checkable
class Publisher(Protocol):
    """Puts a record somewhere the public can read it (portal column, CMS, feed, gazette).

    ``name`` is a stable identifier, stored in `Publication.publisher`. `publish` receives the
    `PublicRecord` the publication guard produced, never the `Record`: what it renders or sends
    is exactly what was scanned. It starts with ``require_cleared(view, publisher=self.name)``
    so that a value the guard did not produce is refused, and returns the `Publication` that
    happened, with the time it took effect (an aware datetime) and where, or raises if nothing
    was published, so that a publication is recorded only when it happened. Defined here,
    beside the guard that calls it (also importable from `govdisclose.adapters`, its 0.1.0
    home).

    .. versionchanged:: 0.2.0 ``publish`` receives a `PublicRecord` instead of the `Record`.
    """

    name: str

    def publish(self, view: PublicRecord) -> Publication:
        """Publish ``view`` and return what was published, when and where."""
        ...


@runtime_checkable
class Withdrawer(Protocol):
    """A publisher that can take a publication down again (撤回): what `publish` calls when
    the store refused the write that would have recorded the publication.

    ``withdraw`` removes what ``publish(view)`` put up (the page and its catalogue entry, the
    CMS article) and raises if it could not; withdrawing what is not there is not an error.

    .. versionadded:: 0.2.0
    """

    def withdraw(self, view: PublicRecord) -> None:
        """Take down what publishing ``view`` put up."""
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


def public_view(record: Record) -> PublicRecord:
    """What the public would see of ``record``, unchecked (publishers refuse it: only `clear`
    produces a view they accept). For previews and for tests of what leaves."""
    decision = record.decision
    return PublicRecord(
        id=record.id,
        title=record.title,
        agency=record.agency,
        formed_on=record.formed_on,
        kind=record.kind,
        scope=decision.scope if decision is not None else DisclosureScope.FULL,
        index_number=record.index_number,
        document_number=record.document_number,
        topic=record.topic,
        key_areas=record.key_areas,
        interpretations=record.interpretations,
        important_policy=record.important_policy,
        validity=record.validity,
        changed_on=record.changed_on,
        repealed_on=record.repealed_on,
        body=record.body,
    )


_FIELD_ZH = {
    "id": "记录编号",
    "title": "标题",
    "agency": "机关代码",
    "index_number": "索引号",
    "document_number": "文号",
    "topic": "主题分类",
    "key_areas": "重点领域",
    "interpretations": "政策解读",
    "body": "正文",
}


_IDENTIFIERS = frozenset({"id", "agency", "index_number", "document_number"})


def _pii_findings(
    view: PublicRecord,
    names: Sequence[str],
    addresses: Sequence[str],
    allow: Sequence[str],
    extra: frozenset[PiiKind],
) -> list[Finding]:
    found: list[Finding] = []
    for where, text in view.texts():
        matches = find_pii(text, names=names, addresses=addresses, allow=allow, extra=extra)
        kinds = sorted({m.kind.label for m in matches})
        if kinds:
            name = where.partition("[")[0]
            # Identifiers are not masked (a masked 索引号 breaks the catalogue): a person
            # corrects them. Free text is masked.
            fix_zh, fix_en = (
                ("，请人工更正", "correct it by hand")
                if name in _IDENTIFIERS
                else ("", "mask it with govdisclose.privacy.mask_record")
            )
            found.append(
                _guard_finding(
                    "GD-P003",
                    f"{_FIELD_ZH.get(name, name)}含未去标识化的个人信息："
                    f"{'、'.join(kinds)}{fix_zh}",
                    f"the {where} contains unmasked personal data ({len(kinds)} kind(s)); {fix_en}",
                    where,
                    "条例第十五条；种子文件002（五）去标识化",
                )
            )
    return found


def _legacy_review_findings(record: Record, as_of: date | None) -> list[Finding]:
    # 0.1.0's single review (no history): its status, reviewer and date.
    if record.review_status is not ReviewStatus.PASSED:
        return [
            _guard_finding(
                "GD-P002",
                f"未通过保密审查（当前：{record.review_status.label}），先审查后公开",
                f"the confidentiality review has not passed ({record.review_status.code})",
                "review_status",
                "条例第十七条",
            )
        ]
    found: list[Finding] = []
    if not (record.reviewed_by or "").strip():
        found.append(
            _guard_finding(
                "GD-P005",
                "保密审查记为通过，但未写明审查人",
                "the review is marked passed but names no reviewer",
                "reviewed_by",
                "条例第十七条",
            )
        )
    if record.reviewed_on is None:
        found.append(
            _guard_finding(
                "GD-P005",
                "保密审查记为通过，但未写明审查日期",
                "the review is marked passed but has no review date",
                "reviewed_on",
                "条例第十七条",
            )
        )
    elif record.reviewed_on < record.formed_on:
        found.append(
            _guard_finding(
                "GD-P005",
                f"审查日期 {record.reviewed_on.isoformat()} 早于成文日期 "
                f"{record.formed_on.isoformat()}：先成文后审查",
                f"the review date {record.reviewed_on.isoformat()} is before the record was "
                f"formed ({record.formed_on.isoformat()})",
                "reviewed_on",
                "条例第十七条",
            )
        )
    elif as_of is not None and record.reviewed_on > as_of:
        found.append(
            _guard_finding(
                "GD-P005",
                f"审查日期 {record.reviewed_on.isoformat()} 晚于今天 {as_of.isoformat()}",
                f"the review date {record.reviewed_on.isoformat()} is after today "
                f"({as_of.isoformat()})",
                "reviewed_on",
                "条例第十七条",
            )
        )
    return found


def _history_findings(
    record: Record, as_of: date | None, now: datetime | None, progress: ReviewProgress
) -> list[Finding]:
    """GD-P005 on a history: no step counted is dated after now (a step taken before the text
    existed does not count at all: `ReviewChain.progress`)."""
    found: list[Finding] = []
    for i in progress.counted:
        step = record.reviews[i]
        later = (
            step.at > now
            if now is not None
            else (as_of is not None and step.at.astimezone(SHANGHAI).date() > as_of)
        )
        if later:
            found.append(
                _guard_finding(
                    "GD-P005",
                    f"“{step.step}”的审查时间 {step.at.isoformat()} 晚于现在",
                    f"step {step.step!r} is dated {step.at.isoformat()}, in the future",
                    f"reviews[{i}].at",
                    "条例第十七条",
                )
            )
    return found


def _review_findings(
    record: Record, as_of: date | None, now: datetime | None, chain: ReviewChain
) -> list[Finding]:
    progress = chain.progress(record)
    if progress.legacy:
        found = _legacy_review_findings(record, as_of)
        if record.review_status is not ReviewStatus.PASSED:
            return found  # GD-P002 says it already
    elif record.review_status is ReviewStatus.REJECTED:
        # A "no" in the 0.1.0 fields still blocks a record that also has a history.
        found = _legacy_review_findings(record, as_of)
    else:
        found = _history_findings(record, as_of, now, progress)
    if progress.pending is not None:
        done = "、".join(progress.passed) or "无"
        detail_zh = detail_en = ""
        if progress.returned is not None or progress.escalated_to is not None:
            detail_zh = f"，{progress.describe_zh()}"
            detail_en = f"; {progress.describe_en()}"
        found.append(
            _guard_finding(
                "GD-P006",
                f"审查未完成：缺少“{progress.pending}”环节{detail_zh}"
                f"（须依次经过：{' → '.join(chain.steps)}；已通过：{done}）",
                f"the review is incomplete: step {progress.pending!r} is missing{detail_en} "
                f"(required in order: {' -> '.join(chain.steps)})",
                "reviews",
                "条例第十七条",
            )
        )
    return found


def _release_findings(record: Record, as_of: date | None, now: datetime | None) -> list[Finding]:
    release = record.timed_release
    if release is None:
        return []
    moment = release.not_before
    shown = moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    if now is not None:
        if now >= moment:
            return []
        zh, en = (
            f"择时公开：不早于 {shown} 发布（{release.reason}）",
            (f"timed release: not before {moment.isoformat()}"),
        )
    elif as_of is not None and as_of > moment.astimezone(SHANGHAI).date():
        return []
    else:
        zh = f"择时公开：不早于 {shown} 发布（{release.reason}），未提供当前时间，无法确认已到时间"
        en = (
            f"timed release: not before {moment.isoformat()}, and without now= the guard "
            "cannot tell that the moment has come"
        )
    return [
        _guard_finding("GD-P007", zh, en, "timed_release.not_before", "条例第二十六条；择时公开")
    ]


def _aware_now(now: datetime | None) -> datetime | None:
    if now is not None and (
        not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None
    ):
        raise ValidationError(
            "now 必须是带时区的时间（如 Asia/Shanghai）",
            "now must be a timezone-aware datetime (e.g. Asia/Shanghai)",
            field="now",
            code="validation.naive_datetime",
        )
    return now


def guard(
    record: Record,
    *,
    rules: RuleSet | None = None,
    context: RuleContext | None = None,
    names: Sequence[str] = (),
    addresses: Sequence[str] = (),
    allow: Sequence[str] = (),
    extra: Iterable[PiiKind] = frozenset(),
    now: datetime | None = None,
) -> tuple[list[Finding], list[Finding]]:
    """The publication check without publishing: ``(blocking, other)`` findings.

    ``blocking`` is empty when the record may be published. ``allow`` lists strings that are
    public on purpose (the agency's hotline), ``extra`` the opt-in detectors to turn on
    (`govdisclose.privacy.OPT_IN_KINDS`); see `govdisclose.privacy.find_pii`. ``now`` (aware)
    is the moment of publication, for a timed release (GD-P007) and review steps dated later.

    .. versionchanged:: 0.2.0 every text of the public view is scanned (GD-P003), a passed
       review must name its reviewer and a plausible date (GD-P005); ``allow`` and ``extra``;
       the review chain (GD-P006), timed release (GD-P007) and ``now``.
    """
    now = _aware_now(now)
    as_of = context.as_of if context is not None else None
    chain = context.review_chain if context is not None else None
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
    blocking += _review_findings(record, as_of, now, chain or ReviewChain.default())
    blocking += _release_findings(record, as_of, now)
    if record.kind is not DocumentKind.PUNITIVE_NOTICE:
        blocking += _pii_findings(public_view(record), names, addresses, allow, frozenset(extra))
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


def _blocked(blocking: Sequence[Finding]) -> PublishBlocked:
    zh = "不能发布：" + "；".join(f"[{f.rule_id}] {f.message_zh}" for f in blocking)
    en = "publication blocked: " + "; ".join(f"[{f.rule_id}] {f.message_en}" for f in blocking)
    first = blocking[0]
    # The code of the first reason, for the reasons a program acts on (wait for a step, wait
    # for the hour, publish the interpretation first); every reason is in the findings.
    if first.rule_id == "GD-P006":
        return PublishBlocked(
            zh, en, findings=blocking, field=first.field, code="publishing.review_incomplete"
        )
    if first.rule_id == "GD-P007":
        return PublishBlocked(
            zh, en, findings=blocking, field=first.field, code="publishing.not_yet_released"
        )
    if first.rule_id == "GD-R014":
        return PublishBlocked(
            zh, en, findings=blocking, field=first.field, code="publishing.interpretation_missing"
        )
    return PublishBlocked(zh, en, findings=blocking, field=first.field)


def _cleared(
    record: Record,
    *,
    rules: RuleSet | None,
    context: RuleContext | None,
    names: Sequence[str],
    addresses: Sequence[str],
    allow: Sequence[str],
    extra: Iterable[PiiKind],
    now: datetime | None,
) -> tuple[PublicRecord, list[Finding]]:
    blocking, other = guard(
        record,
        rules=rules,
        context=context,
        names=names,
        addresses=addresses,
        allow=allow,
        extra=extra,
        now=now,
    )
    if blocking:
        raise _blocked(blocking)
    return _mark_cleared(public_view(record)), other


def clear(
    record: Record,
    *,
    rules: RuleSet | None = None,
    context: RuleContext | None = None,
    names: Sequence[str] = (),
    addresses: Sequence[str] = (),
    allow: Sequence[str] = (),
    extra: Iterable[PiiKind] = frozenset(),
    now: datetime | None = None,
) -> PublicRecord:
    """The guard: the `PublicRecord` of ``record`` cleared for publishers, or `PublishBlocked`
    with every blocking finding. What `publish` hands its publishers; a host that drives a
    publisher itself (a preview channel, a re-publication) calls this first, with ``now`` for
    a record with a timed release.

    .. versionadded:: 0.2.0
    """
    view, _ = _cleared(
        record,
        rules=rules,
        context=context,
        names=names,
        addresses=addresses,
        allow=allow,
        extra=extra,
        now=now,
    )
    return view


def publish(
    record: Record,
    *,
    publishers: Sequence[Publisher],
    now: datetime,
    rules: RuleSet | None = None,
    context: RuleContext | None = None,
    names: Sequence[str] = (),
    addresses: Sequence[str] = (),
    allow: Sequence[str] = (),
    extra: Iterable[PiiKind] = frozenset(),
    store: Store | None = None,
    expected_version: int | None = None,
    on_event: Callable[[Notification], object] | None = None,
) -> PublishResult:
    """Publish ``record`` through ``publishers`` if the guard allows it.

    A failing channel is reported in ``failed`` and not retried;
    `govdisclose.outbox.publish_via_outbox` takes the same arguments and retries it.

    :param now: an aware datetime; its date is the rules' ``as_of`` unless ``context`` sets one.
    :param names: / :param addresses: / :param allow: / :param extra: personal names and
        addresses to look for, strings public on purpose, and the opt-in detectors to turn on
        (landlines, 400 numbers; see `govdisclose.privacy.find_pii`).
    :param store: if given, the stored version and state are checked before any publisher
        runs, and the updated record is written with that version (see the module's
        description). Without ``expected_version`` the stored record must equal ``record``;
        with it, the stored version must be ``expected_version`` and the stored attribute
        decisions and review must equal the record's.
    :param on_event: called with a `govdisclose.notifications.RecordPublished` for each
        publication, after it is stored; pass ``functools.partial(govdisclose.plugins.notify,
        pm)`` to reach the ``govdisclose_handle_event`` hook.
    :raises PublishBlocked: with every blocking finding; nothing is published or written.
    :raises ConflictError: the caller's copy is stale (nothing is published), or another
        writer changed the record while the publishers ran (what was published is withdrawn;
        ``withdrawn`` and ``not_withdrawn`` on the error name the channels).
    :raises NotFound: (``store.unknown_agency``) the store does not know the record's agency;
        nothing is published.
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
    if ctx.find_record is None and store is not None:
        # GD-R014 finds the interpretations a policy links where the policy itself is kept.
        ctx = attrs.evolve(ctx, find_record=_finder(store))
    # 1. check: the guard on the caller's copy, then the store's own state, before anything
    # leaves (the guard first, so a blocked record is refused for its reasons).
    view, other = _cleared(
        record,
        rules=rules,
        context=ctx,
        names=names,
        addresses=addresses,
        allow=allow,
        extra=extra,
        now=now,
    )
    version = _current_version(record, store, expected_version)
    # 2. publish: each channel gets the cleared view and nothing else.
    published: list[Publication] = []
    done: list[Publisher] = []
    failed: list[tuple[str, str]] = []
    for publisher in publishers:
        name = _name(publisher)
        try:
            # Typed as object: a plugin may return anything, and only a Publication counts.
            publication: object = publisher.publish(view)
        except Exception as err:  # one failing channel must not stop the others
            failed.append((name, f"{type(err).__name__}: {err}"))
            continue
        if not isinstance(publication, Publication):
            failed.append((name, f"returned {type(publication).__name__}, not a Publication"))
            continue
        published.append(publication)
        done.append(publisher)
    # 3. record, with the version of 1; a concurrent change takes the pages down again.
    updated = record
    if published:
        updated = attrs.evolve(record, publications=(*record.publications, *published))
        if store is not None:
            try:
                store.put_record(updated, expected_version=version)
            except ConflictError as err:
                raise _withdrawn(record.id, view, done, err) from err
        if on_event is not None:
            # Only after the write: a listener must never hear of a publication that a
            # conflicting writer then kept out of the store.
            for publication in published:
                on_event(RecordPublished(record.id, publication))
    return PublishResult(updated, tuple(published), tuple(failed), tuple(other))


def _finder(store: Store) -> Callable[[str], Record | None]:
    def find(record_id: str) -> Record | None:
        try:
            return store.get_record(record_id)
        except NotFound:
            return None

    return find


def _name(publisher: object) -> str:
    return str(getattr(publisher, "name", type(publisher).__name__))


def _withdrawn(
    record_id: str, view: PublicRecord, done: Sequence[Publisher], err: ConflictError
) -> ConflictError:
    withdrawn: list[str] = []
    stuck: list[str] = []
    for publisher in done:
        name = _name(publisher)
        if not isinstance(publisher, Withdrawer):
            stuck.append(f"{name}（不能撤回 / cannot withdraw）")
            continue
        try:
            publisher.withdraw(view)
        except Exception as failure:  # every channel gets its chance to withdraw
            stuck.append(f"{name}（{type(failure).__name__}: {failure}）")
        else:
            withdrawn.append(name)
    zh = f"发布期间记录“{record_id}”已被他人修改，本次发布未登记"
    en = f"record {record_id!r} changed in the store while it was being published; nothing recorded"
    if withdrawn:
        zh += f"，已从 {'、'.join(withdrawn)} 撤回"
        en += f"; withdrawn from {', '.join(withdrawn)}"
    if stuck:
        zh += f"；以下渠道须人工撤回：{'、'.join(stuck)}"
        en += f"; withdraw by hand from: {', '.join(stuck)}"
    return ConflictError(
        zh + "。请重新读取后再发布",
        en + ". Reload the record before publishing again",
        expected_version=err.expected_version,
        actual_version=err.actual_version,
        field="record",
        withdrawn=withdrawn,
        not_withdrawn=stuck,
    )


def _current_version(record: Record, store: Store | None, expected: int | None) -> int | None:
    """The version the write must find, from the store's own state (step 1 of `publish`)."""
    if store is None:
        return expected
    try:
        store.get_agency(record.agency)
    except NotFound:
        # The write would refuse it (``store.unknown_agency``) after the pages went live.
        raise NotFound.unknown_agency(
            record.agency,
            of_zh=f"公文 {record.id}",
            of_en=f"record {record.id!r}",
            field="record.agency",
        ) from None
    version = store.record_version(record.id)
    if expected is not None and expected != version:
        raise ConflictError(
            f"存储中的记录“{record.id}”已是第 {version} 版，手中的是第 {expected} 版，"
            "请重新读取后再发布",
            f"record {record.id!r} is at version {version} in the store, the copy at "
            f"version {expected}; reload it before publishing",
            expected_version=expected,
            actual_version=version,
            field="record",
        )
    if not version:
        return version
    stored = store.get_record(record.id)
    # With the version given, the caller may publish an edited copy (a masked body), never a
    # different decision or review.
    stale = stored != record if expected is None else _state(stored) != _state(record)
    if stale:
        raise ConflictError(
            f"存储中的记录“{record.id}”已被修改（公开属性或审查情况与手中的不同），"
            "请重新读取后再发布",
            f"record {record.id!r} changed in the store (its attribute or review differs "
            "from the copy); reload it before publishing",
            expected_version=version,
            actual_version=version,
            field="record",
        )
    return version


def _state(record: Record) -> tuple[object, ...]:
    # What decides whether a record may leave: its decisions, its review (0.1.0's fields and
    # the history: a step returned meanwhile) and its timed release.
    return (
        record.decisions,
        record.review_status,
        record.reviewed_by,
        record.reviewed_on,
        record.reviews,
        record.timed_release,
    )


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

    @property
    def withdrawal(self) -> Withdrawal | None:
        """When and why the publication was taken down again (撤回), ``None`` while live: the
        register keeps a withdrawn publication, marked (`govdisclose.outbox.withdraw`).

        .. versionadded:: 0.2.0
        """
        return self.publication.withdrawal


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
