"""The column built from the store: its pages from the data, reproducible, and incremental.

One demo-like site (`_demo_site`) is built once for the module; the tests that change data build
their own.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest
from _demo_site import AREAS, AS_OF, BASE_URL, BLOCKED, GUIDE, UNPUBLISHED, demo_config, demo_store
from _static_site_helpers import T0, files, make_publisher, make_store

from govdisclose import outbox
from govdisclose.fees import PER_VOLUME_BANDS
from govdisclose.model import Publication, Record
from govdisclose.params import ParameterSet
from govdisclose.public import PublicRecord
from govdisclose.publishing import clear, public_view, publish, register
from govdisclose.report import build_annual_report, rollup
from govdisclose.testing import MemoryStore
from govdisclose.vocab import DocumentKind, PublicationChannel, Validity
from govdisclose_static_site import (
    BuildResult,
    KeyAreaCatalogue,
    Site,
    StaticSitePublisher,
    _search as search,
    page_name,
    update_site,
)
from govdisclose_static_site._state import STATE_DIR

ATOM = {"a": "http://www.w3.org/2005/Atom"}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


class _Page(HTMLParser):
    """The parts of a page the tests look at: headings, links, table cells, landmarks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self.h1: list[str] = []
        self.lang: str | None = None
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang")
        if tag in ("a", "link") and found.get("href"):
            self.links.append(str(found["href"]))
        if tag == "script" and found.get("src"):
            self.links.append(str(found["src"]))
        if tag not in ("meta", "link", "br", "img", "input"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(data.strip())
            if "h1" in self._in:
                self.h1.append(data.strip())


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text("utf-8"))
    return page


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, MemoryStore, BuildResult]:
    root = tmp_path_factory.mktemp("demo") / "site"
    store = demo_store()
    result = Site(demo_config(root)).build(store, as_of=AS_OF)
    return root, store, result


def _on_site(store: MemoryStore) -> list[Record]:
    """The records the site must show: published by the build day and cleared by the guard."""
    found = []
    for record in store.records():
        if not any(p.published_on <= AS_OF for p in record.publications):
            continue
        try:
            clear(record)
        except Exception:  # the guard refused it
            continue
        found.append(record)
    return found


def _html_pages(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*.html")):
        if STATE_DIR not in path.parts and ".govdisclose-staging" not in path.parts:
            yield path


# -- the pages ----------------------------------------------------------------------------------


def test_the_site_shows_every_published_cleared_record(site: Any) -> None:
    """One page per record the register has published and the guard clears; a record the guard
    blocks is reported, not shown; an unpublished one is not shown."""
    root, store, result = site
    expected = {r.id for r in _on_site(store)}
    assert result.fresh
    assert result.records == len(expected)
    pages = {p.name for p in (root / "records").iterdir()}
    assert pages == {Path(page_name(rid)).name for rid in expected}
    assert BLOCKED not in expected
    assert UNPUBLISHED not in expected
    assert [rid for rid, _ in result.blocked] == [BLOCKED]
    assert "GD-P003" in result.blocked[0][1]
    for path, text in files(root).items():
        assert b"110101199003078515" not in text, path


def test_a_progress_bar_sees_every_record_page_and_changes_nothing(
    site: Any, tmp_path: Path
) -> None:
    """``progress`` wraps the record pages as they are rendered: each record once, and the
    site built with it is the site built without."""
    root, store, result = site
    seen: list[str] = []

    def bar(items: Iterator[str] | list[str]) -> Iterator[str]:
        for item in items:
            seen.append(item)
            yield item

    again = Site(demo_config(tmp_path / "site")).build(store, as_of=AS_OF, progress=bar)
    assert sorted(seen) == sorted({r.id for r in _on_site(store)})
    assert len(seen) == again.records == result.records
    assert files(tmp_path / "site") == files(root)


def test_a_record_page_has_its_metadata_table(site: Any) -> None:
    """索引号, 发布机构 by name, 成文日期, 发布日期 (the first publication), 文号, 主题分类,
    有效性."""
    root, store, _ = site
    names = {a.code: a.name for a in store.agencies()}
    for record in _on_site(store)[:30]:
        html = (root / page_name(record.id)).read_text("utf-8")
        first = min(p.published_at for p in record.publications)

        def cell(label: str, html: str = html, rid: str = record.id) -> str:
            found = re.search(rf'<th scope="row">{label}</th><td[^>]*>([^<]*)</td>', html)
            assert found, (rid, label)
            return found.group(1)

        assert cell("发布机构") == names[record.agency]
        assert cell("索引号") == (record.index_number or "")
        assert cell("成文日期") == record.formed_on.isoformat()
        assert cell("发布日期") == first.date().isoformat()
        assert cell("文号").replace("&amp;", "&") == (record.document_number or "")
        assert cell("主题分类") == (record.topic or "")
        assert cell("有效性").startswith(record.validity.label)
        assert record.agency not in cell("发布机构")


def test_a_repealed_record_is_marked_everywhere(site: Any) -> None:
    """The page says so with the date; every list shows a 废止 badge beside its title."""
    root, store, _ = site
    repealed = [r for r in _on_site(store) if r.validity is Validity.REPEALED]
    assert repealed
    for record in repealed:
        html = (root / page_name(record.id)).read_text("utf-8")
        assert f"本文件已于{record.repealed_on}废止" in html
        link = f'records/{Path(page_name(record.id)).name}">'
        listed = [
            p
            for p in _html_pages(root)
            if link in p.read_text("utf-8") and "records" not in p.parts
        ]
        assert listed
        for page in listed:
            row = page.read_text("utf-8").split(link, 1)[1].split("</td>", 1)[0]
            assert '<span class="badge repealed">废止</span>' in row, page


def test_an_interpretation_and_its_policy_link_both_ways(site: Any) -> None:
    root, store, _ = site
    policies = [r for r in _on_site(store) if r.interpretations]
    assert policies
    for policy in policies:
        (jd,) = policy.interpretations
        interpretation = store.get_record(jd)
        policy_page = (root / page_name(policy.id)).read_text("utf-8")
        jd_page = (root / page_name(jd)).read_text("utf-8")
        assert "相关解读" in policy_page
        assert f'href="../{page_name(jd)}">{interpretation.title}</a>' in policy_page
        assert "解读的文件" in jd_page
        assert f'href="../{page_name(policy.id)}">{policy.title}</a>' in jd_page
        assert f'records/{Path(page_name(jd)).name}"' in (root / "jd/index.html").read_text("utf-8")


def _list_ids(root: Path, folder: str) -> list[str]:
    """The record pages the chunk pages of a list link to, in page order (newest first)."""
    found: list[str] = []
    pages = sorted((root / folder).glob("p*.html"), key=lambda p: int(p.stem[1:]))
    for page in pages:
        text = page.read_text("utf-8")
        found += re.findall(r'href="(?:\.\./)+records/([^"]+)"', text)
    return found


def test_the_catalogue_by_topic_agency_and_year(site: Any) -> None:
    """Every list holds exactly its records, each once, pages of at most ``page_size``, newest
    first within a page; the facet pages name agencies and count the records."""
    root, store, _ = site
    records = _on_site(store)
    names = {a.code: a.name for a in store.agencies()}
    by_agency: dict[str, set[str]] = {}
    for record in records:
        by_agency.setdefault(record.agency, set()).add(Path(page_name(record.id)).name)
    facets = (root / "catalogue" / "agency" / "index.html").read_text("utf-8")
    for code, pages in by_agency.items():
        folder = f"catalogue/agency/{code}"
        listed = _list_ids(root, folder)
        assert sorted(listed) == sorted(pages)
        assert f'>{names[code]}</a></td><td class="num" data-label="条数">{len(pages)}<' in facets
        landing = (root / folder / "index.html").read_text("utf-8")
        assert f"共 {len(pages)} 条" in landing
        assert f"发布机构：{names[code]}" in landing
    topics = {r.topic for r in records}
    topic_pages = sorted((root / "catalogue" / "topic").glob("*/index.html"))
    assert len(topic_pages) == len(topics)
    years = sorted((root / "catalogue" / "year").iterdir())
    assert [y.name for y in years if y.is_dir()] == ["2025"]
    assert len(_list_ids(root, "catalogue/year/2025")) == len(records)
    for chunk in (root / "catalogue").glob("p*.html"):
        rows = _parse(chunk).tags.count("tr") - 1
        assert 1 <= rows <= 10, chunk


def test_a_key_area_column_lists_its_records_with_owner_limit_and_method(site: Any) -> None:
    root, store, _ = site
    catalogue = KeyAreaCatalogue.bundled()
    records = _on_site(store)
    index = (root / "zdly" / "index.html").read_text("utf-8")
    for name in AREAS:
        area = catalogue.get(name)
        assert area is not None
        expected = {Path(page_name(r.id)).name for r in records if name in r.key_areas}
        assert expected
        assert sorted(_list_ids(root, f"zdly/{area.code}")) == sorted(expected)
        landing = (root / "zdly" / area.code / "index.html").read_text("utf-8")
        for fact in (area.owner, area.time_limit, area.method):
            assert fact in landing
        assert f"{area.owner}" in index
    # Every area of the catalogue has its column, even an empty one.
    for area in catalogue:
        assert (root / "zdly" / area.code / "index.html").is_file()


def test_statutory_items_of_article_20(site: Any) -> None:
    """规章 and 行政规范性文件 under item (一); a record of a key area under that area's items;
    all fifteen items on the index."""
    root, store, _ = site
    records = _on_site(store)
    rules = {
        Path(page_name(r.id)).name
        for r in records
        if r.kind in (DocumentKind.RULE, DocumentKind.NORMATIVE_DOCUMENT)
    }
    assert sorted(_list_ids(root, "fdzdgk/01")) == sorted(rules)
    budget = {Path(page_name(r.id)).name for r in records if "财政预决算" in r.key_areas}
    assert budget <= set(_list_ids(root, "fdzdgk/07"))
    index = _parse(root / "fdzdgk" / "index.html")
    assert index.text.count("条数") == 1
    assert len([t for t in index.text if t.startswith("（") and "）" in t[:6]]) >= 15


def test_the_system_column(site: Any) -> None:
    root, store, _ = site
    expected = {
        Path(page_name(r.id)).name for r in _on_site(store) if "政府信息公开制度" in r.key_areas
    }
    assert expected
    assert sorted(_list_ids(root, "zd")) == sorted(expected)


def test_the_guide_from_the_settings_and_the_law(site: Any) -> None:
    """The office, the channels and the remedies from the settings; the time limits and the fee
    scale from the parameters and `govdisclose.fees` on the build day, each with its article;
    the last-updated date is the latest of the settings' and the rules' dates."""
    root, _, _ = site
    html = (root / "guide" / "index.html").read_text("utf-8")
    office = GUIDE.offices[0]
    for text in (office.name, office.address, office.hours, office.phone, office.fax):
        assert text
        assert text in html
    for channel in GUIDE.channels:
        assert channel.detail in html
    snap = ParameterSet.default().at(AS_OF)
    assert f"自收到申请之日起{snap.reply_days}个工作日内" in html
    assert f"《条例》{snap.citation('reply_days').article}" in html
    assert f"最长{snap.extension_days}个工作日" in html
    assert f"自收到申请之日起{snap.correction_notice_days}个工作日内" in html
    for band in PER_VOLUME_BANDS:
        assert f"第{band.first}" in html
    assert "第五条" in html
    assert "第四条" in html
    for body in (GUIDE.supervisor, GUIDE.reconsideration, GUIDE.court):
        assert body
        assert body in html
    assert "六十日内" in html
    assert "六个月内" in html
    assert f"最后更新：{GUIDE.updated_on.isoformat()}" in html
    form = (root / "guide" / "form.html").read_text("utf-8")
    assert "政府信息公开申请表" in form
    assert 'download="' in form


def test_the_guide_is_dated_by_the_latest_change(tmp_path: Path) -> None:
    """Settings older than a rule the guide cites: the guide is dated by the rule (here the fee
    payment period, in force from 2021-01-01)."""
    old = attrs.evolve(GUIDE, updated_on=datetime(2020, 6, 1).date())
    Site(demo_config(tmp_path, guide=old)).build(MemoryStore(), as_of=AS_OF)
    html = (tmp_path / "guide" / "index.html").read_text("utf-8")
    snap = ParameterSet.default().at(AS_OF)
    latest = max(snap.since(n) for n in ("reply_days", "fee_payment_days", "proactive_days"))
    assert f"最后更新：{latest.isoformat()}" in html


def test_the_reports_and_the_consolidated_report(site: Any) -> None:
    """Every agency's report of the year and the government's consolidated one, with the
    figures the report package computes; the 依申请公开 page shows the consolidated table 三."""
    root, store, result = site
    agencies = store.agencies()
    reports = [build_annual_report(store, a, 2025) for a in agencies]
    combined = rollup(reports, next(a for a in agencies if a.parent is None), check=False)
    assert result.reports == len(agencies) + 1
    for report in reports:
        path = root / "reports" / "2025" / f"{report.agency_code}.html"
        html = path.read_text("utf-8")
        assert re.search(rf'data-cell="T3.R1.total"[^>]*>{report.cell("T3.R1.total")}<', html)
    summary = (root / "reports" / "2025" / "city-gov-summary.html").read_text("utf-8")
    assert re.search(rf'data-cell="T3.R1.total"[^>]*>{combined.cell("T3.R1.total")}<', summary)
    assert _parse(root / "reports" / "2025" / "city-gov-summary.html").h1 == [
        f"{combined.agency_name}2025年政府信息公开工作年度报告"
    ]
    ysq = (root / "ysq" / "index.html").read_text("utf-8")
    assert "2025年度依申请公开情况" in ysq
    total = combined.cell("T3.R1.total")
    assert re.search(rf'本年新收政府信息公开申请数量</th>.*?<td class="num">{total}</td></tr>', ysq)
    index = (root / "reports" / "index.html").read_text("utf-8")
    assert "2025年度" in index
    assert "（汇总）" in index


def test_every_page_is_well_formed_and_every_link_resolves(site: Any) -> None:
    """lang="zh-CN", one h1, the landmarks, and every internal link and asset exists."""
    root, _, _ = site
    for path in _html_pages(root):
        page = _parse(path)
        assert page.lang == "zh-CN", path
        assert len(page.h1) == 1 or page.tags.count("h1") == 1, path
        for tag in ("header", "nav", "main", "footer"):
            assert tag in page.tags, (path, tag)
        for href in page.links:
            if href.startswith(("http://", "https://", "data:", "#")):
                continue
            target = (path.parent / href.split("?")[0].split("#")[0]).resolve()
            assert target.exists(), (path, href)


def test_feeds_are_valid_atom_newest_first(site: Any) -> None:
    """Every column's feed parses, links to pages that exist, newest first."""
    root, _, _ = site
    feeds = sorted(root.rglob("feed.atom"))
    assert len(feeds) > 20
    for path in feeds:
        feed = ET.parse(path).getroot()
        assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
        assert feed.findtext("a:updated", namespaces=ATOM)
        times = []
        for entry in feed.findall("a:entry", ATOM):
            href = entry.find("a:link", ATOM).get("href")  # type: ignore[union-attr]
            assert href
            assert href.startswith(BASE_URL)
            assert (root / href[len(BASE_URL) :]).is_file()
            times.append(entry.findtext("a:updated", namespaces=ATOM))
        assert times == sorted(times, reverse=True), path


def test_the_sitemap_lists_every_page_once(site: Any) -> None:
    root, store, _ = site
    index = ET.parse(root / "sitemap.xml").getroot()
    locs = []
    for entry in index.findall("s:sitemap", SITEMAP):
        loc = entry.findtext("s:loc", namespaces=SITEMAP) or ""
        urlset = ET.parse(root / loc[len(BASE_URL) :]).getroot()
        locs += [u.findtext("s:loc", namespaces=SITEMAP) for u in urlset.findall("s:url", SITEMAP)]
    assert len(locs) == len(set(locs))
    records = {BASE_URL + page_name(r.id) for r in _on_site(store)}
    assert records <= set(locs)
    for loc in locs:
        assert loc
        assert (root / loc[len(BASE_URL) :]).is_file(), loc


def test_the_search_index_holds_every_record_once(site: Any) -> None:
    root, store, _ = site
    index = json.loads((root / "search" / "index.json").read_text("utf-8"))
    items = [i for b in (root / "search" / "b").glob("*.json") for i in json.loads(b.read_text())]
    assert index["count"] == len(items)
    assert sorted(i["id"] for i in items) == sorted(r.id for r in _on_site(store))
    names = {a.code: a.name for a in store.agencies()}
    record = _on_site(store)[0]
    (item,) = [i for i in items if i["id"] == record.id]
    assert (item["t"], item["a"], item["u"]) == (
        record.title,
        names[record.agency],
        page_name(record.id),
    )


# -- reproducible and incremental --------------------------------------------------------------


def _tree(root: Path) -> dict[str, bytes]:
    found = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and rel.parts[0] not in (".govdisclose-staging", ".catalog.lock"):
            found[str(rel)] = path.read_bytes()
    return found


def test_building_twice_gives_the_same_bytes(site: Any, tmp_path: Path) -> None:
    """A second build into another directory: the same files, byte for byte (state included);
    a build again in place writes nothing."""
    root, store, _ = site
    other = tmp_path / "again"
    Site(demo_config(other)).build(store, as_of=AS_OF)
    assert _tree(other) == _tree(root)
    again = Site(demo_config(other)).build(store, as_of=AS_OF)
    assert again.written == ()
    assert again.removed == ()
    assert _tree(other) == _tree(root)


def test_the_manifest_has_the_hash_of_every_file(site: Any) -> None:
    root, _, _ = site
    manifest: dict[str, str] = {}
    for shard in (root / STATE_DIR / "manifest").iterdir():
        manifest.update(json.loads(shard.read_text("utf-8")))
    public = files(root)
    assert set(manifest) == set(public)
    for path, data in public.items():
        assert manifest[path] == hashlib.sha256(data).hexdigest(), path


def _changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def _clone(store: MemoryStore) -> MemoryStore:
    """A second store with the same data, to change without touching the module's site."""
    other = MemoryStore()
    other.import_bulk(
        agencies=store.agencies(),
        records=store.records(),
        applications=store.applications(),
        review_cases=store.review_cases(),
    )
    return other


def _copy(root: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(root, target)
    return target


def _pages_showing(root: Path, record_id: str) -> set[str]:
    link = f'records/{Path(page_name(record_id)).name}"'
    found = set()
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        if (
            path.is_file()
            and not rel.startswith(".")
            and path.suffix in (".html", ".atom", ".json", ".xml")
        ):
            text = path.read_text("utf-8")
            if (
                link in text
                or f'"{page_name(record_id)}"' in text
                or f"/{page_name(record_id)}<" in text
            ):
                found.add(rel)
    return found


def test_one_changed_record_rewrites_only_the_pages_that_show_it(site: Any, tmp_path: Path) -> None:
    """A title changed in the store: the rebuild writes the record's page, the pages that link
    to it, the list pages, feeds, search shard and home page that show it, and nothing else; the
    result names exactly the files that changed."""
    root, store, _ = site
    copy = _copy(root, tmp_path)
    store2 = _clone(store)
    target = next(r for r in _on_site(store2) if r.interpretations)
    store2.put_record(attrs.evolve(target, title=target.title + "（修订）"))
    may_change = _pages_showing(copy, target.id) | {page_name(i) for i in target.interpretations}
    # The search index: its counts, and the postings of the characters the title gained.
    (item,) = [
        i
        for b in (copy / "search" / "b").glob("*.json")
        for i in json.loads(b.read_text("utf-8"))
        if i["id"] == target.id
    ]
    gained = search.terms_of(dict(item, t=target.title + "（修订）")) - search.terms_of(item)
    assert gained
    may_change |= {"search/index.json"} | {search.term_path(c) for c in gained}
    before = files(copy)
    result = Site(demo_config(copy)).build(store2, as_of=AS_OF)
    after = files(copy)
    changed = _changed(before, after)
    assert set(result.written) == changed
    assert result.removed == ()
    assert page_name(target.id) in changed
    assert changed <= may_change, changed - may_change
    assert len(changed) < 30
    # The same change through update_site gives the same site, byte for byte.
    other = _copy(root, tmp_path / "u")
    update_site(store2, demo_config(other), [target.id], as_of=AS_OF)
    assert _tree(other) == _tree(copy)


def test_a_publication_after_the_build_equals_a_build(site: Any, tmp_path: Path) -> None:
    """A new record published through the guard onto a built site: the record's page and the
    lists' newest pages change; a build from the store afterwards writes nothing."""
    root, store, _ = site
    copy = _copy(root, tmp_path)
    store2 = _clone(store)
    base = next(r for r in _on_site(store2) if r.kind is DocumentKind.OTHER)
    new = attrs.evolve(
        base,
        id="city-eeb-2026-NEW",
        title="关于某河道整治工程完工的公告",
        formed_on=AS_OF,
        reviewed_on=AS_OF,
        publications=(),
        key_areas=("环境保护",),
    )
    store2.put_record(new, expected_version=0)
    config = demo_config(copy)
    publisher = StaticSitePublisher(
        root=copy, config=config, clock=lambda: datetime(2026, 1, 20, 10, 0, tzinfo=T0.tzinfo)
    )
    before = files(copy)
    publish(new, publishers=[publisher], now=publisher.clock(), store=store2)
    after = files(copy)
    changed = _changed(before, after)
    assert page_name(new.id) in changed
    chunk_pages = {p for p in changed if re.search(r"/p\d+\.html$", p)}
    # One page per list at most (the newest one), never the older ones.
    lists = {p.rsplit("/", 1)[0] for p in chunk_pages}
    assert len(chunk_pages) <= 2 * len(lists)
    rebuilt = Site(config).build(store2, as_of=AS_OF)
    assert rebuilt.written == ()
    assert rebuilt.removed == ()


def test_a_settings_change_renders_every_page_again(site: Any, tmp_path: Path) -> None:
    root, store, _ = site
    copy = _copy(root, tmp_path)
    result = Site(demo_config(copy, title="某市政务公开专栏")).build(store, as_of=AS_OF)
    pages = [p for p in files(copy) if p.endswith(".html")]
    assert set(pages) <= set(result.written)
    for page in pages:
        assert "某市政务公开专栏" in (copy / page).read_text("utf-8")


def test_a_record_that_is_no_longer_cleared_leaves_the_site(site: Any, tmp_path: Path) -> None:
    """Its page, its rows and its search entry go; the build says why."""
    root, store, _ = site
    copy = _copy(root, tmp_path)
    store2 = _clone(store)
    target = _on_site(store2)[3]
    store2.put_record(attrs.evolve(target, body=target.body + "电话13812345678"))
    result = Site(demo_config(copy)).build(store2, as_of=AS_OF)
    assert page_name(target.id) in result.removed
    assert target.id in dict(result.blocked)
    assert _pages_showing(copy, target.id) == set()


class _Channel:
    """A channel of the outbox that takes pages down when asked (and counts it)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.withdrawn: list[str] = []

    def withdraw(self, view: PublicRecord) -> None:
        self.withdrawn.append(view.id)


def test_a_record_withdrawn_through_the_outbox_leaves_the_site(site: Any, tmp_path: Path) -> None:
    """撤回 through the outbox (every channel the record is live on): `Site.update` takes its
    page, its rows, its feed entries, its search entry and its sitemap line off the site; the
    register keeps the line, marked withdrawn; a full build then agrees (writes nothing) and a
    fresh build never shows it."""
    root, store, _ = site
    copy = _copy(root, tmp_path)
    store2 = _clone(store)
    target = next(r for r in _on_site(store2) if r.key_areas and not r.interpretations)
    shown = _pages_showing(copy, target.id)
    assert any(p.endswith("feed.atom") for p in shown)
    assert any(p.startswith("search/b/") for p in shown)
    assert any(p.startswith("sitemaps/") for p in shown)
    channels = [_Channel(n) for n in dict.fromkeys(p.publisher for p in target.publications)]
    at = datetime.combine(AS_OF, time(10), tzinfo=target.publications[0].published_at.tzinfo)
    run = outbox.withdraw(store2, target.id, channels, reason="内容有误，撤回更正", now=at)
    assert sorted(run.withdrawn) == sorted(c.name for c in channels)
    assert all(c.withdrawn == [target.id] for c in channels)
    assert store2.get_record(target.id).live_publications == ()

    result = Site(demo_config(copy)).update(store2, [target.id], as_of=AS_OF)
    assert page_name(target.id) in result.removed
    assert _pages_showing(copy, target.id) == set()
    index = json.loads((copy / "search" / "index.json").read_text("utf-8"))
    assert index["count"] == len(_on_site(store2)) - 1
    # Search by its title finds the others with that title, not it.
    assert target.id not in {i["id"] for i in search.plan(copy, target.title, limit=10_000).results}
    lines = [e for e in register(store2) if e.record_id == target.id]
    assert lines
    assert all(e.withdrawal is not None for e in lines)
    assert {e.withdrawal.reason for e in lines if e.withdrawal} == {"内容有误，撤回更正"}

    again = Site(demo_config(copy)).build(store2, as_of=AS_OF)
    assert again.written == ()
    assert again.removed == ()
    fresh = tmp_path / "fresh"
    Site(demo_config(fresh)).build(store2, as_of=AS_OF)
    assert not (fresh / page_name(target.id)).exists()
    assert _pages_showing(fresh, target.id) == set()


def _rows_of(data: bytes) -> list[str]:
    return re.findall(r'href="(?:\.\./)+records/([^"]+)"', data.decode("utf-8"))


def _number_of(data: bytes) -> int:
    (number,) = re.findall(r'aria-current="page" aria-label="第(\d+)页', data.decode("utf-8"))
    return int(number)


def test_many_publications_split_and_append_pages_without_rewriting_old_ones(
    tmp_path: Path,
) -> None:
    """Thirty records published one a day into lists of five per page: a new record writes
    only the newest page of each list (and the page before it when a new page starts: its
    上一页), never an older one; every page keeps its 第N页 (counted from the oldest, 第1页).
    A record inserted in the middle splits its page in two: the older pages stay as they were,
    the newer ones get their new 第N页 with the same rows."""
    publisher = make_publisher(tmp_path, T0)
    publisher = attrs.evolve(publisher, config=attrs.evolve(publisher.settings(), page_size=5))
    from _static_site_helpers import make_view

    views = [make_view(f"r-{i:02d}", f"第{i}号") for i in range(30)]
    written_old: list[str] = []
    for i, view in enumerate(views):
        day = T0 + timedelta(days=i)
        before = files(tmp_path)
        attrs.evolve(publisher, clock=lambda d=day: d).publish(view)
        after = files(tmp_path)
        chunks = sorted(p for p in _changed(before, after) if p.startswith("catalogue/p"))
        newest = max(int(p[len("catalogue/p") : -5]) for p in after if p.startswith("catalogue/p"))
        written_old += [p for p in chunks if int(p[len("catalogue/p") : -5]) < newest - 1]
    assert written_old == []
    assert _list_ids(tmp_path, "catalogue") == [
        Path(page_name(v.id)).name
        for chunk in range(6)
        for v in reversed(views[chunk * 5 : chunk * 5 + 5])
    ]
    pages = sorted(
        (p for p in files(tmp_path) if p.startswith("catalogue/p")),
        key=lambda p: int(p[len("catalogue/p") : -5]),
    )
    before = files(tmp_path)
    assert [_number_of(before[p]) for p in pages] == list(range(1, 7))
    # A record dated in the middle (day 12, in 第3页): its page splits in two.
    middle = make_view("r-mid", "中间")
    attrs.evolve(publisher, clock=lambda: T0 + timedelta(days=12, hours=1)).publish(middle)
    after = files(tmp_path)
    changed = {p for p in _changed(before, after) if p.startswith("catalogue/p")}
    moved = {p for p in changed if _rows_of(before.get(p, b"")) != _rows_of(after.get(p, b""))}
    assert 1 <= len(moved) <= 2, moved
    assert not changed & set(pages[:2])  # 第1页 and 第2页: older than the split, untouched
    for path in changed - moved:
        assert _number_of(after[path]) == _number_of(before[path]) + 1, path
    ids = _list_ids(tmp_path, "catalogue")
    assert ids.index(Path(page_name("r-mid")).name) == ids.index("r-12.html") - 1


def test_publication_times_from_the_register(tmp_path: Path) -> None:
    """The 发布日期 is the first publication on any channel; a record the register never
    published is not on the site, whatever the guard says."""
    from _static_site_helpers import make_record

    def at(day: int) -> Publication:
        return Publication(
            publisher="portal",
            channel=PublicationChannel.PORTAL,
            published_at=datetime(2025, 3, day, 9, 0, tzinfo=T0.tzinfo),
        )

    store = make_store()
    store.put_record(attrs.evolve(make_record("r-1"), publications=(at(9), at(6))))
    store.put_record(make_record("r-2"))
    result = Site(demo_config(tmp_path / "s")).build(store, as_of=datetime(2025, 3, 20).date())
    assert result.records == 1
    html = (tmp_path / "s" / "records" / "r-1.html").read_text("utf-8")
    assert '<th scope="row">发布日期</th><td>2025-03-06</td>' in html
    assert not (tmp_path / "s" / "records" / "r-2.html").exists()
    assert public_view(make_record("r-1")).title in html


# -- pagination and search ----------------------------------------------------------------------


def _pager_links(root: Path, path: str) -> dict[str, tuple[str | None, str]]:
    """label -> (the page it leads to relative to the root, or None; its aria-label)."""
    text = (root / path).read_text("utf-8")
    nav = text[text.index('<nav class="pager-nav" aria-label="分页">') :]
    nav = nav[: nav.index("</nav>")]
    found: dict[str, tuple[str | None, str]] = {}
    for tag, attrs_, label in re.findall(r"<(a|span)([^>]*)>([^<]+)</(?:a|span)>", nav):
        aria = re.search(r'aria-label="([^"]+)"', attrs_)
        assert aria, (path, label)
        href = re.search(r'href="([^"]+)"', attrs_)
        target = None
        if tag == "a" and href:
            target = os.path.normpath(str(Path(path).parent / href.group(1)))
        found["current" if "aria-current" in attrs_ else label] = (target, aria.group(1))
    return found


def test_the_pager_reads_first_previous_page_n_next_last(site: Any) -> None:
    """Every page of the catalogue: 首页 上一页 第N页 下一页 末页, each with an aria-label; 第N
    counts from the oldest page (第1页, the 末页: numbers that stay as the list grows), 上一页
    leads to the newer N+1, 下一页 to the older N-1, 末页 to 第1页, 首页 to the landing page;
    on the newest and the oldest page the missing step is text, not a link. The landing page
    shows the two newest pages: its 下一页 is the third newest."""
    root, _, _ = site
    pages = sorted((root / "catalogue").glob("p*.html"))
    total = len(pages)
    assert total >= 4
    number_of: dict[str, int] = {}
    links: dict[str, dict[str, tuple[str | None, str]]] = {}
    for page in pages:
        rel = str(page.relative_to(root))
        found = _pager_links(root, rel)
        assert list(found)[:2] == ["首页", "上一页"]
        assert list(found)[-2:] == ["下一页", "末页"]
        current = found["current"][1]
        match = re.fullmatch(r"第(\d+)页（页码自最早发布的信息起编）", current)
        assert match, current
        number_of[rel] = int(match.group(1))
        links[rel] = found
    assert sorted(number_of.values()) == list(range(1, total + 1))
    for rel, found in links.items():
        n = number_of[rel]
        assert found["首页"][0] == "catalogue/index.html"
        nxt, prev, last = found["下一页"][0], found["上一页"][0], found["末页"][0]
        assert (number_of[nxt] if nxt else None) == (n - 1 if n > 1 else None), rel
        assert (number_of[prev] if prev else None) == (n + 1 if n < total else None), rel
        assert (number_of[last] if last else None) == (1 if n > 1 else None), rel
        assert found["下一页"][1] == (
            f"下一页（第{n - 1}页，较早的信息）" if n > 1 else "下一页（已是末页）"
        )
        assert found["上一页"][1] == (
            f"上一页（第{n + 1}页，较新的信息）" if n < total else "上一页（已是最新一页）"
        )
    landing = _pager_links(root, "catalogue/index.html")
    assert number_of[landing["下一页"][0] or ""] == total - 2
    assert landing["下一页"][1] == f"下一页（第{total - 2}页，较早的信息）"
    assert number_of[landing["末页"][0] or ""] == 1
    assert landing["current"] == (None, "首页（最新信息，当前页）")


def _blocks(root: Path) -> list[dict[str, Any]]:
    return [i for b in (root / "search" / "b").glob("*.json") for i in json.loads(b.read_text())]


def test_the_search_postings_are_exactly_the_records_holding_each_character(site: Any) -> None:
    """Every character's postings list the records whose text holds it, no other; the counts
    of index.json are their lengths; every block holds its own sequence numbers."""
    root, _, _ = site
    index = json.loads((root / "search" / "index.json").read_text("utf-8"))
    items = _blocks(root)
    expected: dict[str, set[int]] = {}
    for item in items:
        for term in search.terms_of(item):
            expected.setdefault(term, set()).add(item["s"])
    assert set(index["terms"]) == set(expected)
    for term, seqs in expected.items():
        posted = search.decode(json.loads((root / search.term_path(term)).read_text()))
        assert posted == sorted(seqs), term
        assert index["terms"][term] == len(seqs)
    assert len(list((root / "search" / "t").glob("*.json"))) == len(expected)
    for block in (root / "search" / "b").glob("*.json"):
        assert {i["s"] // index["block"] for i in json.loads(block.read_text())} == {
            int(block.stem)
        }


@pytest.mark.parametrize(
    "query",
    [
        "河道整治",
        "通知",
        "规定 2025",
        "政府信息公开",
        "不存在的词语",
        "city-eeb",
        "<an index number>",
        "某政办〔2025〕3号",
        "hous",
    ],
)
def test_a_search_reads_little_and_finds_what_a_scan_finds(site: Any, query: str) -> None:
    """The plan of a query (what search.js reads) gives the newest matches a scan of every
    record gives, and reads index.json, at most MAX_TERMS postings and only the blocks of the
    candidates it looked at; an index number reads a few files, not every block (its ASCII
    words are rare where its characters are everywhere)."""
    root, _, _ = site
    if query == "<an index number>":
        query = next(i["i"] for i in sorted(_blocks(root), key=lambda i: i["s"]) if i["i"])
    words = search.norm(query).split()
    index = json.loads((root / "search" / "index.json").read_text("utf-8"))
    _, whole = search.query_terms(words, index["terms"])
    scan = sorted(
        (i for i in _blocks(root) if search.matches(i, words, whole)),
        key=lambda i: i["s"],
        reverse=True,
    )
    found = search.plan(root, query, limit=search.PAGE)
    assert [i["id"] for i in found.results] == [i["id"] for i in scan[: search.PAGE]]
    if len(scan) != search.PAGE:
        assert found.exhausted == (len(scan) < search.PAGE)
    postings = [f for f in found.files if f.startswith("search/t/")]
    assert found.files[0] == "search/index.json"
    assert len(postings) <= search.MAX_TERMS
    blocks = {f for f in found.files if f.startswith("search/b/")}
    assert len(blocks) <= max(1, len({i["s"] // search.BLOCK for i in scan[: search.PAGE]}) + 1)
    assert found.bytes == sum((root / f).stat().st_size for f in found.files)
    if "/" in query:
        assert scan
        assert len(found.files) <= 1 + search.MAX_TERMS + 2, found.files
