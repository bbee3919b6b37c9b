"""The static-site publisher writes pages, a catalogue and a feed, atomically and re-entrantly."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from govdisclose.errors import GovDiscloseError
from govdisclose.model import AttributeDecision, Record
from govdisclose.vocab import DisclosureAttribute, DisclosureScope, DocumentKind, ReviewStatus
from govdisclose_static_site import StaticSitePublisher

SH = ZoneInfo("Asia/Shanghai")


def _record(rid: str, title: str, body: str = "第一段。\n第二段。") -> Record:
    return Record(
        id=rid,
        title=title,
        agency="city-gov",
        formed_on=date(2025, 3, 3),
        kind=DocumentKind.NORMATIVE_DOCUMENT,
        index_number="11330100002491234X/2025-00012",
        document_number="杭政办〔2025〕3号",
        decisions=(
            AttributeDecision(
                attribute=DisclosureAttribute.PROACTIVE,
                decided_by="起草处室",
                decided_on=date(2025, 3, 1),
                scope=DisclosureScope.FULL,
            ),
        ),
        review_status=ReviewStatus.PASSED,
        body=body,
    )


def _publisher(root: Path, times: list[datetime]) -> StaticSitePublisher:
    it = iter(times)
    return StaticSitePublisher(
        root=root,
        base_url="https://www.example.gov.cn/xxgk/",
        agency_names={"city-gov": "某市人民政府"},
        clock=lambda: next(it),
    )


def test_publish_writes_page_catalog_and_feed(tmp_path: Path) -> None:
    """One publication gives a record page with the metadata block, a catalogue and a feed."""
    t1 = datetime(2025, 3, 5, 9, 30, tzinfo=SH)
    pub = _publisher(tmp_path, [t1]).publish(_record("R-1", "关于<印发>某某办法的通知"))

    assert pub.url == "https://www.example.gov.cn/xxgk/records/R-1.html"
    assert pub.published_at == t1
    assert pub.scope is DisclosureScope.FULL
    page = (tmp_path / "records" / "R-1.html").read_text("utf-8")
    assert "11330100002491234X/2025-00012" in page
    assert "某市人民政府" in page
    assert "2025-03-05" in page
    assert "&lt;印发&gt;" in page  # titles are escaped, never injected
    assert "<p>第二段。</p>" in page
    assert "R-1.html" in (tmp_path / "index.html").read_text("utf-8")
    feed = ET.parse(tmp_path / "feed.atom").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)] == [
        "关于<印发>某某办法的通知"
    ]


def test_catalog_is_newest_first_and_republishing_replaces(tmp_path: Path) -> None:
    """A second record comes first; publishing a record again replaces its entry."""
    times = [
        datetime(2025, 3, 5, 9, 0, tzinfo=SH),
        datetime(2025, 3, 6, 9, 0, tzinfo=SH),
        datetime(2025, 3, 7, 9, 0, tzinfo=SH),
    ]
    publisher = _publisher(tmp_path, times)
    publisher.publish(_record("R-1", "甲"))
    publisher.publish(_record("R-2", "乙"))
    assert [e.record_id for e in publisher.catalog()] == ["R-2", "R-1"]
    publisher.publish(_record("R-1", "甲（修订）"))
    catalog = publisher.catalog()
    assert [(e.record_id, e.title) for e in catalog] == [("R-1", "甲（修订）"), ("R-2", "乙")]
    assert not list(tmp_path.rglob("*.tmp"))


def test_naive_clock_is_refused(tmp_path: Path) -> None:
    """A clock without a timezone is a configuration error, reported before anything is written."""
    publisher = StaticSitePublisher(root=tmp_path, clock=lambda: datetime(2025, 3, 5, 9, 0))
    with pytest.raises(GovDiscloseError) as caught:
        publisher.publish(_record("R-1", "甲"))
    assert caught.value.field == "clock"
    assert not (tmp_path / "records").exists()


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
