"""The guard is the only door (issue 11): one published view, every text of it scanned, the
review real, the store's own state checked before anything leaves, and a concurrent change
never ending with a live page.

Each test here failed on 0.1.0's guard: it scanned only the title and the body, handed the
whole `Record` (decision notes, reviewer) to the publishers, ran the publishers before the
version check and trusted a passed review without a reviewer.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import attrs
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from govdisclose.errors import ConflictError, PublishBlocked
from govdisclose.model import AttributeDecision, Record
from govdisclose.privacy import find_pii
from govdisclose.public import PublicRecord, is_cleared
from govdisclose.publishing import Withdrawer, clear, guard, public_view, publish
from govdisclose.rules import RuleContext
from govdisclose.testing import MemoryStore, RecordingPublisher
from govdisclose.testing.builders import agency
from govdisclose.vocab import (
    DisclosureAttribute,
    DisclosureScope,
    NonDisclosureReason,
    ReviewStatus,
)

CST = timezone(timedelta(hours=8))
NOW = datetime(2024, 3, 8, 10, 0, tzinfo=CST)
ID_NUMBER = "110101199003078515"  # GB 11643 checksum valid (the demo's example)
MOBILE = "13812345678"


def ready(**kw: object) -> Record:
    base: dict[str, object] = {
        "id": "R1",
        "title": "关于做好春耕生产工作的通知",
        "agency": "AG1",
        "formed_on": date(2024, 3, 1),
        "index_number": "1137078555222300XQ/2024-00001",
        "document_number": "某政发〔2024〕3号",
        "topic": "农业、林业、水利",
        "key_areas": ("乡村振兴",),
        "interpretations": ("R1-解读",),
        "decisions": (
            AttributeDecision(
                DisclosureAttribute.PROACTIVE,
                "办公室",
                date(2024, 3, 1),
                scope=DisclosureScope.PARTIAL,
                withheld_note="附件涉及个人信息",
            ),
        ),
        "review_status": ReviewStatus.PASSED,
        "reviewed_by": "法制科",
        "reviewed_on": date(2024, 3, 4),
        "body": "各乡镇人民政府：现就春耕生产工作通知如下。",
    }
    base.update(kw)
    return Record(**base)  # type: ignore[arg-type]


def rule_fields(err: pytest.ExceptionInfo[PublishBlocked]) -> set[tuple[str, str | None]]:
    return {(f.rule_id, f.field) for f in err.value.findings}


# -- 1. every text the public sees is scanned -------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("index_number", f"{ID_NUMBER}/2024-00001", "index_number"),
        ("document_number", f"某政发〔2024〕3号 {MOBILE}", "document_number"),
        ("topic", f"联系 {MOBILE}", "topic"),
        ("agency", f"AG-{MOBILE}", "agency"),
        ("id", f"R-{ID_NUMBER}", "id"),
        ("key_areas", ("乡村振兴", f"联系人电话{MOBILE}"), "key_areas[1]"),
        ("interpretations", (f"解读（咨询 {MOBILE}）",), "interpretations[0]"),
    ],
)
def test_personal_data_in_any_published_field_blocks(field: str, value: object, where: str) -> None:
    """An ID or mobile number in an identifier, the topic, the agency code, a key area or an
    interpretation blocks like one in the body, and the finding names the field."""
    pub = RecordingPublisher(NOW)
    with pytest.raises(PublishBlocked) as err:
        publish(ready(**{field: value}), publishers=[pub], now=NOW)
    assert ("GD-P003", where) in rule_fields(err)
    assert pub.published == ()


def test_identifier_findings_say_to_correct_by_hand() -> None:
    """A 索引号 is not masked (it would break the catalogue): the clerk is told to correct it."""
    blocking, _ = guard(ready(index_number=f"{ID_NUMBER}/2024-00001"), context=None)
    (finding,) = [f for f in blocking if f.rule_id == "GD-P003"]
    assert "人工更正" in finding.message_zh
    assert "by hand" in finding.message_en


def test_what_is_not_public_never_reaches_a_publisher() -> None:
    """Decision notes, the decider and the reviewer are not on the view: personal data there
    neither blocks nor leaves."""
    decision = AttributeDecision(
        DisclosureAttribute.PROACTIVE,
        f"经办人张三{MOBILE}",
        date(2024, 3, 1),
        scope=DisclosureScope.REDACTED,
        withheld_note=f"删去申请人身份证号{ID_NUMBER}",
        change_reason=f"当事人{MOBILE}提出",
    )
    record = ready(decisions=(decision,), reviewed_by=f"李四 {MOBILE}")
    pub = RecordingPublisher(NOW)
    publish(record, publishers=[pub], now=NOW)
    (view,) = pub.published
    assert isinstance(view, PublicRecord)
    assert view.scope is DisclosureScope.REDACTED
    names = {a.name for a in attrs.fields(PublicRecord)}
    assert not names & {"decisions", "reviewed_by", "reviewed_on", "review_status", "publications"}
    dumped = repr(view)
    assert MOBILE not in dumped
    assert ID_NUMBER not in dumped


def test_punitive_notices_are_not_de_identified_in_any_field() -> None:
    """惩戒性公示公告 publish the person's data on purpose (seed 002 （五）)."""
    from govdisclose.vocab import DocumentKind

    record = ready(kind=DocumentKind.PUNITIVE_NOTICE, topic=f"被处罚人电话{MOBILE}")
    assert guard(record)[0] == []


# -- 2. the review is real --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reviewed_by": None}, "reviewed_by"),
        ({"reviewed_by": "  "}, "reviewed_by"),
        ({"reviewed_on": None}, "reviewed_on"),
        ({"reviewed_on": date(2019, 3, 4)}, "reviewed_on"),  # years before it was formed
        ({"reviewed_on": date(2024, 3, 9)}, "reviewed_on"),  # after today (NOW is 3 月 8 日)
    ],
)
def test_a_passed_review_must_be_real(change: dict[str, object], field: str) -> None:
    """GD-P005: a review marked passed names its reviewer and a date between the day the
    record was formed and today (条例第十七条)."""
    with pytest.raises(PublishBlocked) as err:
        publish(ready(**change), publishers=[RecordingPublisher(NOW)], now=NOW)
    assert ("GD-P005", field) in rule_fields(err)


def test_review_on_the_day_it_was_formed_and_today_pass() -> None:
    """The bounds are inclusive."""
    for day in (date(2024, 3, 1), date(2024, 3, 8)):
        blocking, _ = guard(ready(reviewed_on=day), context=RuleContext(as_of=NOW.date()))
        assert blocking == []


# -- 3. publishers take only what the guard cleared -------------------------------------------


def test_publishers_refuse_what_the_guard_did_not_produce() -> None:
    """A Record, or a hand-built view, is refused with a typed error; a cleared view is not."""
    pub = RecordingPublisher(NOW)
    for value in (ready(), public_view(ready())):
        with pytest.raises(PublishBlocked) as err:
            pub.publish(value)  # type: ignore[arg-type]
        assert err.value.code == "publishing.not_cleared"
        assert err.value.field == "view"
    view = clear(ready())
    assert is_cleared(view)
    assert pub.publish(view).publisher == "recording"


def test_clearance_belongs_to_the_instance() -> None:
    """Clearing twice and dropping the first keeps the second cleared; an edited copy
    (attrs.evolve) or an equal hand-built view is not cleared."""
    first, second = clear(ready()), clear(ready())
    del first
    assert is_cleared(second)
    assert second == public_view(ready())
    assert not is_cleared(public_view(ready()))
    assert not is_cleared(attrs.evolve(second, body="改过的正文"))


def test_clear_refuses_what_publish_refuses() -> None:
    """clear is the guard: the same findings as publish."""
    with pytest.raises(PublishBlocked) as err:
        clear(ready(topic=MOBILE))
    assert ("GD-P003", "topic") in rule_fields(err)


# -- 4. check the store's state before anything leaves ----------------------------------------


def _secret(record: Record) -> Record:
    secret = AttributeDecision(
        DisclosureAttribute.NOT_DISCLOSED,
        "保密办",
        date(2024, 3, 7),
        reason=NonDisclosureReason.STATE_SECRET,
        legal_basis="条例第十四条",
        change_reason="定密",
    )
    return attrs.evolve(record, decisions=(*record.decisions, secret))


def test_stale_copy_of_a_record_now_secret_publishes_nothing() -> None:
    """Clerk B marks the stored record 国家秘密; clerk A publishes the stale copy with the
    version A read: ConflictError before any publisher runs (0.1.0 published first)."""
    store = MemoryStore()
    store.put_agency(agency("AG1"))
    stale = ready()
    v = store.put_record(stale, expected_version=0)
    store.put_record(_secret(store.get_record("R1")), expected_version=v)
    pub = RecordingPublisher(NOW)
    for expected in (v, None):
        with pytest.raises(ConflictError):
            publish(stale, publishers=[pub], now=NOW, store=store, expected_version=expected)
    assert pub.published == ()
    assert store.get_record("R1").publications == ()


def test_an_edited_copy_may_publish_but_not_a_different_decision() -> None:
    """With the stored version given, the caller may publish an edited copy (masked text) but
    its decisions and review must be the store's."""
    store = MemoryStore()
    store.put_agency(agency("AG1"))
    v = store.put_record(ready(), expected_version=0)
    edited = ready(body="各乡镇人民政府：现将有关事项通知如下。")
    result = publish(edited, publishers=[RecordingPublisher(NOW)], now=NOW, store=store,
                     expected_version=v)  # fmt: skip
    assert store.get_record("R1") == result.record
    other = ready(reviewed_by="办公室")
    v2 = store.record_version("R1")
    pub = RecordingPublisher(NOW)
    with pytest.raises(ConflictError):
        publish(other, publishers=[pub], now=NOW, store=store, expected_version=v2)
    assert pub.published == ()


class _ChangesTheStore:
    """A publisher during whose publish another writer marks the record secret."""

    name = "racing"

    def __init__(self, store: MemoryStore, inner: RecordingPublisher) -> None:
        self.store = store
        self.inner = inner

    def publish(self, view: PublicRecord) -> object:
        publication = self.inner.publish(view)
        current = self.store.get_record(view.id)
        self.store.put_record(_secret(current), expected_version=self.store.record_version(view.id))
        return publication

    def withdraw(self, view: PublicRecord) -> None:
        self.inner.withdraw(view)


class _NoWithdraw:
    name = "gazette"

    def __init__(self) -> None:
        self.inner = RecordingPublisher(NOW, name="gazette")

    def publish(self, view: PublicRecord) -> object:
        return self.inner.publish(view)


def test_a_change_while_publishing_ends_with_no_live_page() -> None:
    """Another writer changes the record between the check and the write: every channel that
    published withdraws, the error lists them and those that could not withdraw."""
    store = MemoryStore()
    store.put_agency(agency("AG1"))
    store.put_record(ready(), expected_version=0)
    portal = RecordingPublisher(NOW, name="portal")
    racing = _ChangesTheStore(store, RecordingPublisher(NOW, name="racing"))
    gazette = _NoWithdraw()
    broken = RecordingPublisher(NOW, name="cms", withdraw_fails_with=OSError("CMS 无响应"))
    assert isinstance(portal, Withdrawer)
    assert not isinstance(gazette, Withdrawer)
    with pytest.raises(ConflictError) as err:
        publish(
            ready(),
            publishers=[portal, racing, gazette, broken],  # type: ignore[list-item]
            now=NOW,
            store=store,
        )
    assert portal.published == ()
    assert len(portal.withdrawn) == 1
    assert racing.inner.published == ()
    assert err.value.withdrawn == ("portal", "racing")
    assert [s.split("（")[0] for s in err.value.not_withdrawn] == ["gazette", "cms"]
    assert "人工撤回" in err.value.message_zh
    assert "withdraw by hand" in err.value.message_en
    assert store.get_record("R1").publications == ()


# -- 5. the property: what any publisher received, no detector finds anything in ---------------

_PII = st.sampled_from([ID_NUMBER, MOBILE, "6222020200112345670", "zhang.san@example.com", ""])
_TEXT = st.text(
    alphabet=st.sampled_from(list("春耕生产工作通知各乡镇人民政府：，。0123456789-/ ")), max_size=30
)


@st.composite
def _texts(draw: st.DrawFn) -> str:
    return draw(_TEXT) + draw(_PII) + draw(_TEXT)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=_texts(),
    body=_texts(),
    topic=st.none() | _texts(),
    index=st.none() | _texts(),
    number=st.none() | _texts(),
    areas=st.lists(_texts(), max_size=2),
    interpretations=st.lists(_texts(), max_size=2),
)
def test_nothing_a_publisher_receives_contains_personal_data(
    title: str,
    body: str,
    topic: str | None,
    index: str | None,
    number: str | None,
    areas: list[str],
    interpretations: list[str],
) -> None:
    """For any record the guard lets through, no detector finds anything in any text of what
    any publisher received."""
    record = ready(
        title=title.strip() or "通知",
        body=body,
        topic=topic,
        index_number=index,
        document_number=number,
        key_areas=tuple(areas),
        interpretations=tuple(interpretations),
    )
    pub = RecordingPublisher(NOW)
    try:
        publish(record, publishers=[pub], now=NOW)
    except PublishBlocked:
        assert pub.published == ()
        return
    for view in pub.published:
        for where, text in view.texts():
            assert find_pii(text) == [], where


def test_opt_in_detectors_reach_the_guard() -> None:
    """Landlines are published on purpose by default (the agency's own numbers); an agency
    that wants them blocked turns the detector on for the guard."""
    from govdisclose.privacy import PiiKind

    record = ready(body="咨询电话：0373-3696072。")
    assert guard(record)[0] == []
    blocking, _ = guard(record, extra={PiiKind.LANDLINE})
    assert [(f.rule_id, f.field) for f in blocking] == [("GD-P003", "body")]
    with pytest.raises(PublishBlocked):
        publish(record, publishers=[], now=NOW, extra={PiiKind.LANDLINE})
