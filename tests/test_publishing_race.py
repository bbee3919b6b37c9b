"""The stale-copy race across two processes on one SQLite store (issue 11, item 2).

Process A publishes record R to a directory "site" with the version it read. While A's
publisher has the page up, process B marks the stored R 国家秘密 (不予公开) and commits. A's
versioned write then fails: A must take the page down again before the ConflictError reaches
its caller, so the run ends with no live page for a record the store says is not public.
0.1.0 left the page up: it wrote the page, then hit the conflict, and stopped.
"""

from __future__ import annotations

import multiprocessing
from datetime import date, datetime, timedelta, timezone
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

import attrs
import pytest

from govdisclose.model import AttributeDecision, Publication, Record
from govdisclose.plugins import Settings, make_plugin_manager, open_store
from govdisclose.public import PublicRecord, require_cleared
from govdisclose.testing.builders import agency
from govdisclose.vocab import (
    DisclosureAttribute,
    NonDisclosureReason,
    PublicationChannel,
    ReviewStatus,
)

pytest.importorskip("govdisclose_sql")

CST = timezone(timedelta(hours=8))
NOW = datetime(2024, 3, 8, 10, 0, tzinfo=CST)
FORK = multiprocessing.get_context("fork")


class FilePublisher:
    """Writes one file per record; the hooks let the test interleave another process."""

    name = "files"

    def __init__(self, root: Path, published: Event, changed: Event) -> None:
        self.root = root
        self.published = published
        self.changed = changed

    def page(self, record_id: str) -> Path:
        return self.root / f"{record_id}.html"

    def publish(self, view: PublicRecord) -> Publication:
        view = require_cleared(view, publisher=self.name)
        self.page(view.id).write_text(view.title, encoding="utf-8")
        self.published.set()
        assert self.changed.wait(30), "process B never changed the record"
        return Publication(publisher=self.name, channel=PublicationChannel.PORTAL, published_at=NOW)

    def withdraw(self, view: PublicRecord) -> None:
        self.page(view.id).unlink(missing_ok=True)


def _record() -> Record:
    return Record(
        id="R1",
        title="关于做好春耕生产工作的通知",
        agency="AG1",
        formed_on=date(2024, 3, 1),
        decisions=(AttributeDecision(DisclosureAttribute.PROACTIVE, "办公室", date(2024, 3, 1)),),
        review_status=ReviewStatus.PASSED,
        reviewed_by="法制科",
        reviewed_on=date(2024, 3, 4),
        body="各乡镇人民政府：现就春耕生产工作通知如下。",
    )


def _open(url: str) -> Any:
    return open_store(Settings(store_url=url), make_plugin_manager())


def _clerk_a(url: str, root: str, published: Event, changed: Event, out: Any) -> None:
    from govdisclose.errors import ConflictError
    from govdisclose.publishing import publish

    store = _open(url)
    stale = store.get_record("R1")
    version = store.record_version("R1")
    publisher = FilePublisher(Path(root), published, changed)
    try:
        publish(stale, publishers=[publisher], now=NOW, store=store, expected_version=version)
    except ConflictError as err:
        out.put(("conflict", err.withdrawn, err.not_withdrawn))
    else:
        out.put(("published", (), ()))
    finally:
        store.close()


def _clerk_b(url: str, published: Event, changed: Event) -> None:
    store = _open(url)
    try:
        assert published.wait(30), "process A never published"
        current = store.get_record("R1")
        secret = AttributeDecision(
            DisclosureAttribute.NOT_DISCLOSED,
            "保密办",
            date(2024, 3, 8),
            reason=NonDisclosureReason.STATE_SECRET,
            legal_basis="条例第十四条",
            change_reason="定密",
        )
        store.put_record(
            attrs.evolve(current, decisions=(*current.decisions, secret)),
            expected_version=store.record_version("R1"),
        )
    finally:
        changed.set()
        store.close()


def test_two_processes_a_secret_marked_meanwhile_ends_with_no_page(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gd.db'}"
    site = tmp_path / "site"
    site.mkdir()
    store = _open(url)
    store.put_agency(agency(_record().agency))
    store.put_record(_record(), expected_version=0)
    store.close()
    published, changed = FORK.Event(), FORK.Event()
    out = FORK.Queue()
    a = FORK.Process(target=_clerk_a, args=(url, str(site), published, changed, out))
    b = FORK.Process(target=_clerk_b, args=(url, published, changed))
    a.start()
    b.start()
    a.join(60)
    b.join(60)
    assert (a.exitcode, b.exitcode) == (0, 0)
    outcome = out.get(timeout=5)
    assert outcome == ("conflict", ("files",), ())
    assert list(site.iterdir()) == []  # the page A put up was taken down again
    store = _open(url)
    try:
        stored = store.get_record("R1")
        assert stored.decision is not None
        assert stored.decision.reason is NonDisclosureReason.STATE_SECRET
        assert stored.publications == ()
    finally:
        store.close()
