"""The static-site publisher puts a cleared record on the column, and takes it down again."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import attrs
import pytest
from _static_site_helpers import (
    SH,
    T0,
    files,
    make_publisher,
    make_record,
    make_store,
    make_view,
    snapshot,
    work_dirs,
)

from govdisclose.errors import ConflictError, GovDiscloseError, PluginError, PublishBlocked
from govdisclose.model import Publication
from govdisclose.public import PublicRecord
from govdisclose.publishing import Withdrawer, clear, public_view, publish
from govdisclose.vocab import DisclosureScope
from govdisclose_static_site import (
    CatalogDamaged,
    Site,
    SiteConfig,
    StaticSiteError,
    StaticSitePublisher,
)

ATOM = {"a": "http://www.w3.org/2005/Atom"}


def _feed_titles(path: Path) -> list[str | None]:
    feed = ET.parse(path).getroot()
    return [e.findtext("a:title", namespaces=ATOM) for e in feed.findall("a:entry", ATOM)]


def _search_ids(root: Path) -> list[str]:
    found = []
    for block in sorted((root / "search" / "b").glob("*.json")):
        found += [i["id"] for i in json.loads(block.read_text("utf-8"))]
    return sorted(found)


def test_publish_puts_the_record_on_the_column(tmp_path: Path) -> None:
    """One publication: the record's page with its metadata (agency by name), the home page, the
    catalogue by topic, issuing body and year, the feeds and the search index all list it."""
    view = make_view("r-1", "关于<印发>某某办法的通知")
    pub = make_publisher(tmp_path, T0).publish(view)

    assert pub.url == "https://www.example.gov.cn/xxgk/records/r-1.html"
    assert pub.published_at == T0
    assert pub.scope is DisclosureScope.FULL
    assert pub.publisher == "static-site"
    page = (tmp_path / "records" / "r-1.html").read_text("utf-8")
    assert "11330100002491234X/2025-00012" in page
    assert '<th scope="row">发布机构</th><td>某市人民政府</td>' in page
    assert "2025-03-05" in page
    assert "&lt;印发&gt;" in page  # titles are escaped, never injected
    assert "<p>第二段。</p>" in page
    for listing in ("index.html", "catalogue/index.html", "catalogue/year/2025/index.html"):
        assert 'records/r-1.html"' in (tmp_path / listing).read_text("utf-8"), listing
    agency = (tmp_path / "catalogue" / "agency" / "city-gov" / "index.html").read_text("utf-8")
    assert "发布机构：某市人民政府" in agency
    assert _feed_titles(tmp_path / "feed.atom") == ["关于<印发>某某办法的通知"]
    # A normative document is listed under 第二十条第（一）项.
    assert _feed_titles(tmp_path / "fdzdgk" / "01" / "feed.atom") == ["关于<印发>某某办法的通知"]
    assert _search_ids(tmp_path) == ["r-1"]
    # The fixed pages exist from the first publication on.
    for fixed in ("guide/index.html", "guide/form.html", "ysq/index.html", "reports/index.html"):
        assert (tmp_path / fixed).is_file(), fixed
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
    page = (tmp_path / "records" / "r-1.html").read_text("utf-8")
    assert '<th scope="row">公开范围</th><td>部分公开</td>' in page


def test_the_catalogue_keeps_the_first_publication(tmp_path: Path) -> None:
    """Newest first by first publication; publishing a record again changes its page and rows
    but keeps its place and its 发布日期."""
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
    assert [(e.record_id, e.title) for e in catalog] == [("r-2", "乙"), ("r-1", "甲（修订）")]
    assert catalog[1].published_at == datetime(2025, 3, 5, 9, 0, tzinfo=SH)
    page = (tmp_path / "records" / "r-1.html").read_text("utf-8")
    assert "甲（修订）" in page
    assert "2025-03-05" in page
    assert _feed_titles(tmp_path / "feed.atom") == ["乙", "甲（修订）"]
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
    """A `Record`, an unchecked `public_view` or a hand-built copy is refused: nothing written,
    through the publisher and through `Site.publish`."""
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
    with pytest.raises(PublishBlocked):
        Site(SiteConfig(root=tmp_path)).publish(value, T0)  # type: ignore[arg-type]
    assert snapshot(tmp_path) == {}


def test_through_publish_the_register_gets_the_publication(tmp_path: Path) -> None:
    """`govdisclose.publishing.publish` runs the guard and this publisher, then stores it."""
    store = make_store()
    record = make_record("R-1")
    store.put_record(record, expected_version=0)
    result = publish(record, publishers=[make_publisher(tmp_path)], now=T0, store=store)
    assert result.failed == ()
    (publication,) = result.published
    assert publication.url == "https://www.example.gov.cn/xxgk/records/r-1_u0.html"
    assert store.get_record("R-1").publications == (publication,)
    assert (tmp_path / "records" / "r-1_u0.html").exists()


# -- withdraw ---------------------------------------------------------------------------------


def test_withdraw_takes_the_record_off_every_list(tmp_path: Path) -> None:
    """The page goes, every list, feed and the search index lose the record; the others stay."""
    publisher = make_publisher(tmp_path)
    assert isinstance(publisher, Withdrawer)
    v1, v2 = make_view("r-1", "甲"), make_view("r-2", "乙")
    publisher.publish(v1)
    publisher.publish(v2)
    publisher.withdraw(v1)
    assert not (tmp_path / "records" / "r-1.html").exists()
    assert (tmp_path / "records" / "r-2.html").exists()
    assert [e.record_id for e in publisher.catalog()] == ["r-2"]
    assert _feed_titles(tmp_path / "feed.atom") == ["乙"]
    assert _search_ids(tmp_path) == ["r-2"]
    for path, text in files(tmp_path).items():
        assert b"r-1.html" not in text, path
    assert "r-2.html" in (tmp_path / "index.html").read_text("utf-8")
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
    assert snapshot(tmp_path) == before
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
    """When the store write fails after publishing, `publish` withdraws: the site, its state
    included, is byte for byte as before."""
    store = make_store()
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


def test_withdraw_removes_a_foreign_page_of_its_own_id(tmp_path: Path) -> None:
    """A page under the record's name that the site does not know (a failed 0.1.0 run) goes."""
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "r-1.html").write_text("orphan", "utf-8")
    make_publisher(tmp_path).withdraw(make_view("r-1"))
    assert not (tmp_path / "records" / "r-1.html").exists()


# -- sites of 0.1.0, damaged state ----------------------------------------------------------------


def _legacy_site(root: Path) -> None:
    """A site as the 0.1.0 publisher left it: its catalogue, pages under the 0.1.0 names."""
    (root / "records").mkdir(parents=True)
    rows = []
    for i, (rid, page) in enumerate([("R-1", "records/R-1.html"), ("r-2", "records/r-2.html")]):
        (root / page).write_text(f"<html>0.1.0 page of {rid}</html>", "utf-8")
        rows.append(
            {
                "record_id": rid,
                "title": f"旧{i}",
                "url": f"https://www.example.gov.cn/xxgk/{page}",
                "published_at": f"2024-01-0{i + 1}T09:00:00+08:00",
                "formed_on": "2024-01-01",
            }
        )
    (root / "catalog.json").write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
    (root / "index.html").write_text("<html>0.1.0 catalogue</html>", "utf-8")


def test_a_010_site_is_rebuilt_from_the_store(tmp_path: Path) -> None:
    """A publication into a 0.1.0 site is refused (nothing changes); a build from the store
    replaces it, its catalogue and its old pages removed in the same switch."""
    _legacy_site(tmp_path)
    before = snapshot(tmp_path)
    view = make_view("R-1")
    with pytest.raises(StaticSiteError) as caught:
        make_publisher(tmp_path).publish(view)
    assert caught.value.code == "static_site.old_layout"
    assert isinstance(caught.value, PluginError)
    assert caught.value.plugin == "static_site"
    assert snapshot(tmp_path) == before
    store = make_store()
    record = make_record("R-1")
    store.put_record(attrs.evolve(record, publications=(_publication(),)))
    result = Site(SiteConfig(root=tmp_path)).build(store, as_of=T0.date())
    assert not result.fresh
    assert "catalog.json" in result.removed
    assert "records/R-1.html" in result.removed
    assert "records/r-2.html" in result.removed  # 0.1.0's page of a record the store lacks
    assert sorted(p.name for p in (tmp_path / "records").iterdir()) == ["r-1_u0.html"]
    assert "0.1.0" not in (tmp_path / "index.html").read_text("utf-8")


def _publication() -> Publication:
    from govdisclose.vocab import PublicationChannel

    return Publication(publisher="portal", channel=PublicationChannel.PORTAL, published_at=T0)


@pytest.mark.parametrize(
    ("name", "damage"),
    [
        ("site.json", b'{"format": 1, "lists": '),
        ("site.json", b"\xff\xfe not UTF-8"),
        ("site.json", b"[1, 2]"),
        ("entries", b"{broken"),
    ],
    ids=["invalid JSON", "not UTF-8", "not an object", "a damaged shard"],
)
def test_a_damaged_state_publishes_nothing(tmp_path: Path, name: str, damage: bytes) -> None:
    """A typed error naming the file, and the site byte for byte as before."""
    publisher = make_publisher(tmp_path)
    v0 = make_view("r-0")
    publisher.publish(v0)
    state = tmp_path / ".govdisclose-site"
    target = state / "site.json" if name == "site.json" else next((state / name).iterdir())
    target.write_bytes(damage)
    before = snapshot(tmp_path)
    view = make_view("r-0", "新标题")  # the same record: its shard is read
    with pytest.raises(CatalogDamaged) as caught:
        publisher.publish(view)
    err = caught.value
    assert err.code == "static_site.damaged_catalog"
    assert err.path == target
    assert str(target) in err.message_zh
    assert snapshot(tmp_path) == before
    assert not work_dirs(tmp_path)


def test_new_files_are_readable_by_the_web_server(tmp_path: Path) -> None:
    """Files get 0o666 less the umask, like any file (0.1.0's temporary files kept 0600)."""
    old = os.umask(0o022)
    try:
        view = make_view("r-1")
        make_publisher(tmp_path).publish(view)
    finally:
        os.umask(old)
    for name in ("records/r-1.html", "index.html", "feed.atom", "search/index.json"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o644, name


def test_orphan_pages_are_listed_not_deleted(tmp_path: Path) -> None:
    """A file under ``records/`` the site did not write is reported for a person to decide."""
    publisher = make_publisher(tmp_path)
    v1 = make_view("r-1")
    publisher.publish(v1)
    (tmp_path / "records" / "ghost.html").write_text("put here by hand", "utf-8")
    assert publisher.orphan_pages() == ["records/ghost.html"]
    v2 = make_view("r-2")
    publisher.publish(v2)
    assert publisher.orphan_pages() == ["records/ghost.html"]
    assert (tmp_path / "records" / "ghost.html").exists()


# -- the plugin -----------------------------------------------------------------------------------


def test_hook_govdisclose_publishers(tmp_path: Path) -> None:
    """Through the plugin manager: no publisher without a directory, one with it, with the
    settings of the options."""
    from govdisclose.plugins import Settings, collect_publishers, make_plugin_manager
    from govdisclose_static_site import plugin

    pm = make_plugin_manager(load_entry_points=False, plugins=[plugin])
    assert collect_publishers(Settings(), pm) == ()
    settings = Settings(
        options={
            "static_site.dir": str(tmp_path),
            "static_site.title": "公开专栏",
            "static_site.page_size": "5",
            "static_site.owner": "city-gov",
        }
    )
    (publisher,) = collect_publishers(settings, pm)
    assert isinstance(publisher, StaticSitePublisher)
    assert publisher.root == tmp_path
    assert publisher.site_title == "公开专栏"
    config = publisher.settings()
    assert (config.page_size, config.owner, config.title) == (5, "city-gov", "公开专栏")


@pytest.mark.parametrize("size", ["1", "x", "-3"])
def test_a_bad_page_size_option_is_refused(tmp_path: Path, size: str) -> None:
    """The option names itself in the error."""
    from govdisclose.plugins import Settings
    from govdisclose_static_site import site_config

    options = {"static_site.dir": str(tmp_path), "static_site.page_size": size}
    with pytest.raises(StaticSiteError) as caught:
        site_config(Settings(options=options))
    assert caught.value.code == "static_site.bad_option"
    assert caught.value.field == "options['static_site.page_size']"


def test_installed_entry_point_is_found() -> None:
    """The distribution's entry point registers the plugin under the name ``static_site``."""
    from govdisclose.plugins import make_plugin_manager

    pm = make_plugin_manager(only=["static_site"])
    assert pm.get_plugin("static_site") is not None
