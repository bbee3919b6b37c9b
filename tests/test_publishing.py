"""Tests for govdisclose.publishing: the guard's reasons, partial publisher failure, store
writes with expected versions, and the register of published documents."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import attrs
import pytest

from govdisclose.errors import ConflictError, NotFound, PublishBlocked, ValidationError
from govdisclose.model import AttributeDecision, Publication, Record
from govdisclose.notifications import RecordPublished
from govdisclose.privacy import mask_record
from govdisclose.publishing import clear, public_view, publish, register
from govdisclose.rules import RuleSet
from govdisclose.testing import MemoryStore, RecordingPublisher
from govdisclose.testing.builders import agencies_of, agency
from govdisclose.vocab import (
    DisclosureAttribute,
    DisclosureScope,
    DocumentKind,
    NonDisclosureReason,
    ReviewStatus,
)

CST = timezone(timedelta(hours=8))
NOW = datetime(2024, 3, 8, 10, 0, tzinfo=CST)


def ready(**kw: object) -> Record:
    base: dict[str, object] = {
        "id": "R1",
        "title": "关于做好春耕生产工作的通知",
        "agency": "AG1",
        "formed_on": date(2024, 3, 1),
        "index_number": "1137078555222300XQ/2024-00001",
        "document_number": "某政发〔2024〕3号",
        "decisions": (
            AttributeDecision(DisclosureAttribute.PROACTIVE, "办公室", date(2024, 3, 1)),
        ),
        "review_status": ReviewStatus.PASSED,
        "reviewed_by": "办公室",
        "reviewed_on": date(2024, 3, 4),
        "body": "各乡镇人民政府：现就春耕生产工作通知如下。",
    }
    base.update(kw)
    return Record(**base)  # type: ignore[arg-type]


def _store() -> MemoryStore:
    """A store that knows the agency of `ready` (it refuses records of any other)."""
    store = MemoryStore()
    store.put_agency(agency("AG1"))
    return store


def reasons(err: pytest.ExceptionInfo[PublishBlocked]) -> set[str]:
    return {f.rule_id for f in err.value.findings}


def test_publish_records_publication() -> None:
    """An allowed record is published and the publication appended to it."""
    pub = RecordingPublisher(NOW)
    result = publish(ready(), publishers=[pub], now=NOW)
    assert len(result.published) == 1
    assert result.record.publications == result.published
    assert result.failed == ()
    assert pub.published == (public_view(ready()),)


def test_guard_lists_every_reason_at_once() -> None:
    """Not proactive, not reviewed and carrying a mobile number: all three reasons reported."""
    rec = ready(
        decisions=(
            AttributeDecision(
                DisclosureAttribute.ON_REQUEST,
                "办公室",
                date(2024, 3, 1),
                reason=NonDisclosureReason.SPECIFIC_PERSONS,
                legal_basis="条例第十三条",
            ),
        ),
        review_status=ReviewStatus.PENDING,
        body="联系人手机13812345678",
    )
    pub = RecordingPublisher(NOW)
    with pytest.raises(PublishBlocked) as err:
        publish(rec, publishers=[pub], now=NOW)
    assert {"GD-P001", "GD-P002", "GD-P003"} <= reasons(err)
    assert pub.published == ()


def test_guard_blocks_on_rule_error() -> None:
    """An ERROR finding (partial scope without a withheld note, art. 37) blocks publication."""
    rec = ready(
        decisions=(
            AttributeDecision(
                DisclosureAttribute.PROACTIVE,
                "办公室",
                date(2024, 3, 1),
                scope=DisclosureScope.PARTIAL,
            ),
        )
    )
    with pytest.raises(PublishBlocked) as err:
        publish(rec, publishers=[RecordingPublisher(NOW)], now=NOW)
    assert reasons(err) == {"GD-R006"}


def test_guard_blocks_state_secret() -> None:
    """A state secret is refused (it cannot be proactive, and the guard says so itself)."""
    rec = ready(
        decisions=(
            AttributeDecision(
                DisclosureAttribute.PROACTIVE,
                "办公室",
                date(2024, 3, 1),
                reason=NonDisclosureReason.STATE_SECRET,
            ),
        )
    )
    with pytest.raises(PublishBlocked) as err:
        publish(rec, publishers=[RecordingPublisher(NOW)], now=NOW)
    assert {"GD-P004", "GD-R005"} <= reasons(err)


def test_masked_record_passes_and_names_are_checked() -> None:
    """Caller-listed names block until masked; mask_record makes the record publishable."""
    rec = ready(body="补助对象：王小明，补助金额2000元。")
    with pytest.raises(PublishBlocked) as err:
        publish(rec, publishers=[RecordingPublisher(NOW)], now=NOW, names=("王小明",))
    assert reasons(err) == {"GD-P003"}
    masked = mask_record(rec, names=("王小明",))
    result = publish(masked, publishers=[RecordingPublisher(NOW)], now=NOW, names=("王小明",))
    assert result.published


def test_punitive_notice_is_not_de_identified() -> None:
    """A punitive notice may carry the party's identity (seed 002 exception)."""
    rec = ready(kind=DocumentKind.PUNITIVE_NOTICE, body="当事人身份证号11010519491231002X")
    assert publish(rec, publishers=[RecordingPublisher(NOW)], now=NOW).published


def test_warnings_do_not_block() -> None:
    """A missing index number is a warning: published, and the warning is returned."""
    result = publish(ready(index_number=None), publishers=[RecordingPublisher(NOW)], now=NOW)
    assert result.published
    assert [f.rule_id for f in result.findings] == ["GD-R012"]


def test_custom_rules() -> None:
    """The caller's rule set replaces the default one."""
    rec = ready(index_number=None)
    result = publish(
        rec,
        publishers=[RecordingPublisher(NOW)],
        now=NOW,
        rules=RuleSet.default().without("GD-R012"),
    )
    assert result.findings == ()


def test_only_successful_publishers_recorded() -> None:
    """A failing publisher is reported; the others still publish and only theirs are recorded."""
    ok = RecordingPublisher(NOW, name="portal")
    bad = RecordingPublisher(NOW, name="cms", fail_with=ConnectionError("CMS down"))
    result = publish(ready(), publishers=[bad, ok], now=NOW)
    assert [p.publisher for p in result.record.publications] == ["portal"]
    assert result.failed == (("cms", "ConnectionError: CMS down"),)


def test_publisher_returning_garbage_is_a_failure() -> None:
    """A publisher that returns something other than a Publication did not publish."""

    class Broken:
        name = "broken"

        def publish(self, record: Record) -> Publication:
            return None  # type: ignore[return-value]

    result = publish(ready(), publishers=[Broken()], now=NOW)
    assert result.published == ()
    assert result.record == ready()
    assert result.failed[0][0] == "broken"


def test_naive_now_refused() -> None:
    """``now`` must be timezone-aware."""
    with pytest.raises(ValidationError):
        publish(ready(), publishers=[], now=datetime(2024, 3, 8, 10))


# -- store ------------------------------------------------------------------------------------


def test_store_written_with_version() -> None:
    """With a store, the updated record is written and its version grows by one."""
    store = _store()
    store.put_record(ready())
    result = publish(ready(), publishers=[RecordingPublisher(NOW)], now=NOW, store=store)
    assert store.get_record("R1") == result.record
    assert store.record_version("R1") == 2


def test_store_not_written_when_all_fail() -> None:
    """Nothing published means nothing written."""
    store = _store()
    store.put_record(ready())
    bad = RecordingPublisher(NOW, fail_with=RuntimeError("down"))
    publish(ready(), publishers=[bad], now=NOW, store=store)
    assert store.record_version("R1") == 1


def test_stale_record_conflicts_before_publishing() -> None:
    """Publishing a copy older than the stored record raises ConflictError and publishes nothing."""
    store = _store()
    store.put_record(ready())
    store.put_record(ready(title="关于做好春耕生产工作的通知（修订）"))
    pub = RecordingPublisher(NOW)
    with pytest.raises(ConflictError):
        publish(ready(), publishers=[pub], now=NOW, store=store)
    assert pub.published == ()


def test_expected_version_conflict_writes_nothing() -> None:
    """An explicit stale expected_version raises ConflictError from the store; nothing stored."""
    store = _store()
    store.put_record(ready())
    store.put_record(ready())
    with pytest.raises(ConflictError):
        publish(
            ready(), publishers=[RecordingPublisher(NOW)], now=NOW, store=store, expected_version=1
        )
    assert store.get_record("R1").publications == ()
    assert store.record_version("R1") == 2


def test_new_record_is_created() -> None:
    """A record not yet stored is created (expected version 0)."""
    store = _store()
    publish(ready(), publishers=[RecordingPublisher(NOW)], now=NOW, store=store)
    assert store.record_version("R1") == 1


def test_a_record_of_an_unknown_agency_is_published_nowhere() -> None:
    """The store would refuse the write (``store.unknown_agency``): that is known before any
    publisher runs, so no page goes live without its record."""
    store = _store()
    pub = RecordingPublisher(NOW)
    with pytest.raises(NotFound) as err:
        publish(ready(agency="AG9"), publishers=[pub], now=NOW, store=store)
    assert (err.value.code, err.value.field) == ("store.unknown_agency", "record.agency")
    assert "AG9" in err.value.message_zh
    assert pub.published == ()
    assert store.record_version("R1") == 0


# -- register ---------------------------------------------------------------------------------


def _register_records() -> list[Record]:
    partial = AttributeDecision(
        DisclosureAttribute.PROACTIVE,
        "办公室",
        date(2024, 3, 1),
        scope=DisclosureScope.REDACTED,
        withheld_note="删去个人信息",
    )
    later = AttributeDecision(
        DisclosureAttribute.ON_REQUEST,
        "办公室",
        date(2024, 5, 1),
        scope=DisclosureScope.REDACTED,
        reason=NonDisclosureReason.THIRD_PARTY_RIGHTS,
        legal_basis="条例第十五条",
        withheld_note="删去个人信息",
        change_reason="第三方提出异议",
    )
    r1 = ready(id="R1")
    r2 = ready(id="R2", agency="AG2", decisions=(partial, later))
    pub1 = RecordingPublisher(datetime(2024, 3, 5, 9, tzinfo=CST)).publish(clear(r1))
    pub2 = attrs.evolve(pub1, scope=DisclosureScope.REDACTED, published_at=NOW)
    return [attrs.evolve(r2, publications=(pub2,)), attrs.evolve(r1, publications=(pub1,))]


def test_register_from_records_and_store_agree() -> None:
    """The register lists scope, withheld note and later changes, the same from both sources."""
    records = _register_records()
    store = MemoryStore()
    for a in agencies_of(records):
        store.put_agency(a)
    for r in records:
        store.put_record(r)
    from_records = register(records)
    from_store = register(store)
    assert from_records == from_store
    assert [e.record_id for e in from_records] == ["R1", "R2"]
    r2 = from_records[1]
    assert (r2.scope, r2.withheld_note) == (DisclosureScope.REDACTED, "删去个人信息")
    assert [d.change_reason for d in r2.later_decisions] == ["第三方提出异议"]
    assert r2.published_on == date(2024, 3, 8)


def test_register_filters() -> None:
    """Agency and date bounds filter the register."""
    records = _register_records()
    assert [e.record_id for e in register(records, agency="AG2")] == ["R2"]
    assert [e.record_id for e in register(records, start=date(2024, 3, 6))] == ["R2"]
    assert [e.record_id for e in register(records, end=date(2024, 3, 5))] == ["R1"]


# -- notifications ----------------------------------------------------------------------------


def test_notifications_follow_the_stored_publications() -> None:
    """``on_event`` hears one RecordPublished per successful channel, after the write; a failed
    channel and a conflicting write are never announced."""
    heard: list[object] = []
    store = _store()
    store.put_record(ready())
    ok = RecordingPublisher(NOW, name="portal")
    bad = RecordingPublisher(NOW, name="cms", fail_with=ConnectionError("down"))
    result = publish(ready(), publishers=[ok, bad], now=NOW, store=store, on_event=heard.append)
    assert heard == [RecordPublished("R1", result.published[0])]
    with pytest.raises(ConflictError):
        publish(
            ready(),
            publishers=[ok],
            now=NOW,
            store=store,
            expected_version=1,
            on_event=heard.append,
        )
    assert len(heard) == 1


def test_notifications_reach_the_handle_event_hook() -> None:
    """Passing plugins.notify bound to a manager delivers to govdisclose_handle_event."""
    from functools import partial

    from govdisclose.hookspecs import hookimpl
    from govdisclose.plugins import make_plugin_manager, notify

    class Listener:
        def __init__(self) -> None:
            self.events: list[object] = []

        @hookimpl
        def govdisclose_handle_event(self, event: object) -> None:
            self.events.append(event)

    listener = Listener()
    pm = make_plugin_manager(load_entry_points=False, plugins=[listener])
    publish(ready(), publishers=[RecordingPublisher(NOW)], now=NOW, on_event=partial(notify, pm))
    assert [type(e).__name__ for e in listener.events] == ["RecordPublished"]
