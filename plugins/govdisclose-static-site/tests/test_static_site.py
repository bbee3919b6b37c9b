"""The static-site publisher writes pages, a catalogue and a feed, and takes them down again."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import attrs
import pytest
from _static_site_helpers import SH, T0, make_publisher, make_record, make_view, snapshot, work_dirs

from govdisclose.errors import ConflictError, GovDiscloseError, PluginError, PublishBlocked
from govdisclose.model import Publication
from govdisclose.public import PublicRecord
from govdisclose.publishing import Withdrawer, clear, public_view, publish
from govdisclose.testing import MemoryStore
from govdisclose.vocab import DisclosureScope
from govdisclose_static_site import StaticSiteError, StaticSitePublisher

ATOM = {"a": "http://www.w3.org/2005/Atom"}


def _feed_titles(root: Path) -> list[str | None]:
    feed = ET.parse(root / "feed.atom").getroot()
    return [e.findtext("a:title", namespaces=ATOM) for e in feed.findall("a:entry", ATOM)]


def test_publish_writes_page_catalog_and_feed(tmp_path: Path) -> None:
    """One publication gives a record page with the metadata block, a catalogue and a feed."""
    view = make_view("r-1", "关于<印发>某某办法的通知")
    pub = make_publisher(tmp_path, T0).publish(view)

    assert pub.url == "https://www.example.gov.cn/xxgk/records/r-1.html"
    assert pub.published_at == T0
    assert pub.scope is DisclosureScope.FULL
    assert pub.publisher == "static-site"
    page = (tmp_path / "records" / "r-1.html").read_text("utf-8")
    assert "11330100002491234X/2025-00012" in page
    assert "某市人民政府" in page
    assert "2025-03-05" in page
    assert "&lt;印发&gt;" in page  # titles are escaped, never injected
    assert "<p>第二段。</p>" in page
    assert 'href="records/r-1.html"' in (tmp_path / "index.html").read_text("utf-8")
    assert _feed_titles(tmp_path) == ["关于<印发>某某办法的通知"]
    assert not work_dirs(tmp_path)


def test_the_scope_comes_from_the_view(tmp_path: Path) -> None:
    """The publication's scope is the view's (the decision in force when it was cleared)."""
    record = make_record("r-1")
    decision = record.decisions[0]
    partial = attrs.evolve(
        record,
        decisions=(attrs.evolve(decision, scope=DisclosureScope.PARTIAL, withheld_note="附件"),),
    )
    view = clear(partial)
    assert make_publisher(tmp_path).publish(view).scope is DisclosureScope.PARTIAL


def test_catalog_is_newest_first_and_republishing_replaces(tmp_path: Path) -> None:
    """A second record comes first; publishing a record again replaces its entry."""
    publisher = make_publisher(
        tmp_path,
        datetime(2025, 3, 5, 9, 0, tzinfo=SH),
        datetime(2025, 3, 6, 9, 0, tzinfo=SH),
        datetime(2025, 3, 7, 9, 0, tzinfo=SH),
    )
    v1, v2, v1b = make_view("r-1", "甲"), make_view("r-2", "乙"), make_view("r-1", "甲（修订）")
    publisher.publish(v1)
    publisher.publish(v2)
    assert [e.record_id for e in publisher.catalog()] == ["r-2", "r-1"]
    publisher.publish(v1b)
    catalog = publisher.catalog()
    assert [(e.record_id, e.title) for e in catalog] == [("r-1", "甲（修订）"), ("r-2", "乙")]
    assert "甲（修订）" in (tmp_path / "records" / "r-1.html").read_text("utf-8")
    assert sorted(p.name for p in (tmp_path / "records").iterdir()) == ["r-1.html", "r-2.html"]
    assert not list(tmp_path.rglob("*.tmp"))
    assert not work_dirs(tmp_path)


def test_naive_clock_is_refused(tmp_path: Path) -> None:
    """A clock without a timezone is a configuration error, reported before anything is written."""
    publisher = StaticSitePublisher(root=tmp_path, clock=lambda: datetime(2025, 3, 5, 9, 0))
    view = make_view("r-1")
    with pytest.raises(StaticSiteError) as caught:
        publisher.publish(view)
    assert isinstance(caught.value, GovDiscloseError)
    assert caught.value.field == "clock"
    assert caught.value.code == "static_site.naive_clock"
    assert not (tmp_path / "records").exists()


@pytest.mark.parametrize("what", ["record", "unchecked view", "copy"])
def test_only_a_cleared_view_is_published(tmp_path: Path, what: str) -> None:
    """A `Record`, an unchecked `public_view` or a hand-built copy is refused: nothing written.

    (An id no other test clears: a view equal to a cleared one still alive counts as cleared.)
    """
    record = make_record("r-never-cleared")
    value: object = {
        "record": record,
        "unchecked view": public_view(record),
        "copy": PublicRecord(
            id="r-never-cleared",
            title="t",
            agency="city-gov",
            formed_on=record.formed_on,
            kind=record.kind,
            scope=DisclosureScope.FULL,
        ),
    }[what]
    with pytest.raises(PublishBlocked) as caught:
        make_publisher(tmp_path).publish(value)  # type: ignore[arg-type]
    assert caught.value.code == "publishing.not_cleared"
    assert "static-site" in caught.value.message_en
    assert snapshot(tmp_path) == {}


def test_through_publish_the_register_gets_the_publication(tmp_path: Path) -> None:
    """`govdisclose.publishing.publish` runs the guard and this publisher, then stores it."""
    store = MemoryStore()
    record = make_record("R-1")
    store.put_record(record, expected_version=0)
    result = publish(record, publishers=[make_publisher(tmp_path)], now=T0, store=store)
    assert result.failed == ()
    (publication,) = result.published
    assert publication.url == "https://www.example.gov.cn/xxgk/records/_52-1.html"
    assert store.get_record("R-1").publications == (publication,)
    assert (tmp_path / "records" / "_52-1.html").exists()


# -- withdraw ---------------------------------------------------------------------------------


def test_withdraw_takes_the_page_and_its_entries_down(tmp_path: Path) -> None:
    """The page goes, the catalogue and the feed lose the entry; the other records stay."""
    publisher = make_publisher(tmp_path)
    assert isinstance(publisher, Withdrawer)
    v1, v2 = make_view("r-1", "甲"), make_view("r-2", "乙")
    publisher.publish(v1)
    publisher.publish(v2)
    publisher.withdraw(v1)
    assert not (tmp_path / "records" / "r-1.html").exists()
    assert (tmp_path / "records" / "r-2.html").exists()
    assert [e.record_id for e in publisher.catalog()] == ["r-2"]
    assert _feed_titles(tmp_path) == ["乙"]
    index = (tmp_path / "index.html").read_text("utf-8")
    assert "r-1.html" not in index
    assert "r-2.html" in index
    assert not work_dirs(tmp_path)


def test_withdrawing_what_is_absent_changes_nothing(tmp_path: Path) -> None:
    """Not an error, and not one byte changes (on an empty directory and on a site)."""
    publisher = make_publisher(tmp_path)
    publisher.withdraw(make_view("r-1"))
    assert snapshot(tmp_path) == {}
    v2 = make_view("r-2")
    publisher.publish(v2)
    before = snapshot(tmp_path)
    publisher.withdraw(make_view("r-1"))
    publisher.withdraw(v2)
    after = snapshot(tmp_path)
    publisher.withdraw(v2)
    assert snapshot(tmp_path) == after != before


def test_withdraw_needs_no_clearance(tmp_path: Path) -> None:
    """A record the guard no longer clears is exactly the one to take down."""
    publisher = make_publisher(tmp_path)
    v1 = make_view("r-1")
    publisher.publish(v1)
    publisher.withdraw(public_view(make_record("r-1")))
    assert publisher.catalog() == []
    assert not (tmp_path / "records" / "r-1.html").exists()
    with pytest.raises(TypeError):
        publisher.withdraw(make_record("r-1"))  # type: ignore[arg-type]


def test_a_concurrent_store_change_withdraws_the_page(tmp_path: Path) -> None:
    """When the store write fails after publishing, `publish` withdraws: the site is as before."""
    store = MemoryStore()
    record = make_record("R-1")
    store.put_record(record, expected_version=0)
    site = make_publisher(tmp_path)
    other = make_view("r-0")
    site.publish(other)
    before = snapshot(tmp_path)

    class Meddler:
        """A channel during whose run another clerk edits the record."""

        name = "meddler"

        def publish(self, view: PublicRecord) -> Publication:
            store.put_record(make_record("R-1", title="另一人的修改"))
            raise RuntimeError("meddled")

    with pytest.raises(ConflictError) as caught:
        publish(record, publishers=[Meddler(), site], now=T0, store=store)
    assert caught.value.withdrawn == ("static-site",)
    assert caught.value.not_withdrawn == ()
    assert snapshot(tmp_path) == before


# -- pages of 0.1.0 -------------------------------------------------------------------------------


def _legacy_site(root: Path, entries: list[tuple[str, str]]) -> None:
    """A site as 0.1.0 left it: pages under the 0.1.0 names, entries without ``page``."""
    (root / "records").mkdir(parents=True)
    rows = []
    for i, (rid, page) in enumerate(entries):
        (root / page).write_text(f"<html>0.1.0 page of {rid}</html>", "utf-8")
        rows.append(
            {
                "record_id": rid,
                "title": f"旧{i}",
                "url": f"https://www.example.gov.cn/xxgk/{page}",
                "published_at": f"2024-01-0{i + 1}T09:00:00+08:00",
                "formed_on": "2024-01-01",
                "index_number": None,
                "document_number": None,
                "agency": "某市人民政府",
            }
        )
    (root / "catalog.json").write_text(json.dumps(rows, ensure_ascii=False), "utf-8")


def test_republishing_a_010_record_moves_its_page(tmp_path: Path) -> None:
    """The new page replaces the 0.1.0 one, which is removed in the same switch."""
    _legacy_site(tmp_path, [("R-1", "records/R-1.html"), ("r-2", "records/r-2.html")])
    publisher = make_publisher(tmp_path)
    index = publisher._catalog_page(publisher.catalog())
    assert 'href="records/R-1.html"' in index  # 0.1.0 entries keep their 0.1.0 page
    v1 = make_view("R-1")
    publisher.publish(v1)
    assert not (tmp_path / "records" / "R-1.html").exists()
    assert (tmp_path / "records" / "_52-1.html").exists()
    # r-2 is made of a-z, 0-9 and "-": its 0.1.0 name is its name.
    kept = (tmp_path / "records" / "r-2.html").read_text("utf-8")
    assert kept == "<html>0.1.0 page of r-2</html>"
    text = (tmp_path / "index.html").read_text("utf-8")
    assert 'href="records/_52-1.html"' in text
    assert 'href="records/r-2.html"' in text
    assert publisher.orphan_pages() == []


def test_a_shared_010_page_stays_until_its_last_entry_moves(tmp_path: Path) -> None:
    """0.1.0 gave ``a/b`` and ``a_b`` one page: it is removed only when neither links to it."""
    _legacy_site(tmp_path, [("a/b", "records/a_b.html"), ("a_b", "records/a_b.html")])
    publisher = make_publisher(tmp_path)
    v1, v2 = make_view("a/b"), make_view("a_b")
    publisher.publish(v1)
    assert (tmp_path / "records" / "a_b.html").exists()
    publisher.publish(v2)
    assert not (tmp_path / "records" / "a_b.html").exists()
    assert sorted(p.name for p in (tmp_path / "records").iterdir()) == [
        "a_2fb.html",
        "a_5fb.html",
    ]


def test_a_new_name_held_by_a_010_page_is_refused(tmp_path: Path) -> None:
    """Id ``_52-1`` had the 0.1.0 page ``_52-1.html``, the new name of ``R-1``: no overwrite."""
    _legacy_site(tmp_path, [("_52-1", "records/_52-1.html")])
    before = snapshot(tmp_path)
    view = make_view("R-1")
    with pytest.raises(StaticSiteError) as caught:
        make_publisher(tmp_path).publish(view)
    assert caught.value.code == "static_site.page_taken"
    assert isinstance(caught.value, PluginError)
    assert caught.value.plugin == "static_site"
    assert snapshot(tmp_path) == before


def test_orphan_pages_are_listed_not_deleted(tmp_path: Path) -> None:
    """A 0.1.0 page that no entry links to is reported for a person to decide."""
    _legacy_site(tmp_path, [("r-1", "records/r-1.html")])
    (tmp_path / "records" / "ghost.html").write_text("left by a failed 0.1.0 publication", "utf-8")
    publisher = make_publisher(tmp_path)
    assert publisher.orphan_pages() == ["records/ghost.html"]
    v2 = make_view("r-2")
    publisher.publish(v2)
    assert publisher.orphan_pages() == ["records/ghost.html"]


def test_withdraw_removes_an_orphan_page_of_its_own_id(tmp_path: Path) -> None:
    """A page under the record's name without an entry (a failed 0.1.0 run) goes too."""
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "r-1.html").write_text("orphan", "utf-8")
    make_publisher(tmp_path).withdraw(make_view("r-1"))
    assert not (tmp_path / "records" / "r-1.html").exists()
    assert not (tmp_path / "catalog.json").exists()


def test_new_files_are_readable_by_the_web_server(tmp_path: Path) -> None:
    """Files get 0o666 less the umask, like any file (0.1.0's temporary files kept 0600)."""
    old = os.umask(0o022)
    try:
        view = make_view("r-1")
        make_publisher(tmp_path).publish(view)
    finally:
        os.umask(old)
    for name in ("records/r-1.html", "index.html", "feed.atom", "catalog.json"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o644, name


# -- the plugin -----------------------------------------------------------------------------------


def test_hook_govdisclose_publishers(tmp_path: Path) -> None:
    """Through the plugin manager: no publisher without a directory, one with it."""
    from govdisclose.plugins import Settings, collect_publishers, make_plugin_manager
    from govdisclose_static_site import plugin

    pm = make_plugin_manager(load_entry_points=False, plugins=[plugin])
    assert collect_publishers(Settings(), pm) == ()
    settings = Settings(options={"static_site.dir": str(tmp_path), "static_site.title": "公开专栏"})
    (publisher,) = collect_publishers(settings, pm)
    assert isinstance(publisher, StaticSitePublisher)
    assert publisher.root == tmp_path
    assert publisher.site_title == "公开专栏"


def test_installed_entry_point_is_found() -> None:
    """The distribution's entry point registers the plugin under the name ``static_site``."""
    from govdisclose.plugins import make_plugin_manager

    pm = make_plugin_manager(only=["static_site"])
    assert pm.get_plugin("static_site") is not None
