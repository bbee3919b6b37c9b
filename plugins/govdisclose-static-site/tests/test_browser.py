"""The demo-like column opened in headless Chromium: what a visitor sees, checked in the DOM.

The site of `_demo_site` is built once, served over HTTP from a thread (the search fetches its
index, which a ``file://`` page may not), and opened in Debian's ``chromium`` through the
DevTools protocol (`_browser`). Each page is checked at 1280 and at 375 CSS pixels: no console
error, one ``h1``, the landmarks, a skip link that the first Tab reaches and that shows its
focus, labelled form fields, alt text, the contrast of every text against its background
(computed in the browser, at least 4.5:1), and no horizontal scroll on a phone. Screenshots go
to a pytest temporary directory and to ``/tmp/site_shots/``.

Skipped, with the reason, when no Chromium is installed; with ``CI=true`` a missing Chromium
fails instead (the CI image installs it: ``scripts/dev``).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from _browser import Browser, Page, find_chromium
from _demo_site import AS_OF, GUIDE, demo_config, demo_store

from govdisclose.report import build_annual_report, rollup
from govdisclose.vocab import Validity
from govdisclose_static_site import KeyAreaCatalogue, Site, _search as search, page_name

SHOTS = Path("/tmp/site_shots")

CHROMIUM = find_chromium()
if CHROMIUM is None and os.environ.get("CI", "").lower() == "true":
    raise RuntimeError("CI=true but no chromium on PATH: install Debian's chromium (scripts/dev)")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium on PATH: the browser tests need Debian's chromium (scripts/dev "
    "installs it)",
)

CONTRAST = """
(() => {
  function parse(c) {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(",").map(parseFloat);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  }
  function lum(c) {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  }
  function background(el) {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c && c.a > 0) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  }
  const bad = [];
  let checked = 0;
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width < 2 || box.height < 2 || style.visibility === "hidden") continue;
    const fg = parse(style.color), bg = background(el);
    const a = lum(fg), b = lum(bg);
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    checked += 1;
    const text = el.textContent.trim().slice(0, 20);
    if (ratio < 4.5) bad.push([el.tagName, text, style.color, ratio.toFixed(2)]);
  }
  return {checked, bad};
})()
"""

A11Y = """
(() => {
  const q = (s) => document.querySelectorAll(s);
  const fields = [...q("input, select, textarea")].filter(
    (f) => !["hidden", "submit", "button", "reset"].includes(f.type));
  return {
    lang: document.documentElement.lang,
    h1: [...q("h1")].map((h) => h.textContent.trim()),
    header: q("header").length, nav: q("nav").length, main: q("main").length,
    footer: q("footer").length,
    unlabelled: fields.filter((f) => !f.labels.length && !f.getAttribute("aria-label"))
      .map((f) => f.id),
    fields: fields.length,
    noAlt: [...q("img")].filter((i) => !i.hasAttribute("alt")).map((i) => i.src),
    skip: q("a.skip-link[href='#main']").length,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  };
})()
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("browser") / "site"
    store = demo_store()
    Site(demo_config(root)).build(store, as_of=AS_OF)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    shots = tmp_path_factory.mktemp("shots")
    assert CHROMIUM is not None
    try:
        with Browser(CHROMIUM) as browser:
            yield {
                "root": root,
                "store": store,
                "url": f"http://127.0.0.1:{server.server_address[1]}/",
                "browser": browser,
                "shots": shots,
            }
    finally:
        server.shutdown()
        server.server_close()


def _open(demo: dict[str, Any], path: str, width: int = 1280) -> Page:
    page: Page = demo["browser"].open(demo["url"] + path, width=width, height=900)
    return page


def _shot(demo: dict[str, Any], page: Page, name: str) -> Path:
    shot = page.screenshot(demo["shots"] / name, height=2400)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, SHOTS / name)
    return shot


def _check_page(demo: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    """The accessibility checks at 1280 and 375 pixels, a screenshot of each; the 1280 DOM
    facts are returned."""
    facts: dict[str, Any] = {}
    for width in (1280, 375):
        page = _open(demo, path, width)
        try:
            found = page.evaluate(A11Y)
            assert found["lang"] == "zh-CN", path
            assert len(found["h1"]) == 1, (path, found["h1"])
            for landmark in ("header", "nav", "main", "footer"):
                assert found[landmark] >= 1, (path, landmark)
            assert found["main"] == 1, path
            assert found["skip"] == 1, path
            assert found["unlabelled"] == [], path
            assert found["noAlt"] == [], path
            if width == 375:
                assert found["scrollWidth"] <= found["innerWidth"] == 375, (path, found)
            contrast = page.evaluate(CONTRAST)
            assert contrast["checked"] > 5, path
            assert contrast["bad"] == [], (path, width, contrast["bad"])
            _shot(demo, page, f"{name}-{width}.png")
            # The first Tab reaches the skip link, and its focus shows.
            page.press("Tab", "Tab", 9)
            focus = page.evaluate(
                "(() => { const a = document.activeElement; const s = getComputedStyle(a);"
                " const r = a.getBoundingClientRect();"
                " return {cls: a.className, outline: s.outlineStyle, top: r.top,"
                " width: parseFloat(s.outlineWidth)}; })()"
            )
            assert focus["cls"] == "skip-link", (path, focus)
            assert focus["outline"] != "none", (path, focus)
            assert focus["width"] >= 2, (path, focus)
            assert focus["top"] >= 0, (path, focus)  # shown on screen when focused
            if name == "home":
                _shot(demo, page, f"{name}-{width}-focus.png")
            assert page.problems() == [], (path, page.problems())
            if width == 1280:
                facts = found
        finally:
            page.close()
    return facts


def test_the_guide(demo: dict[str, Any]) -> None:
    """The guide shows the office, the channels, the time limits with their articles."""
    facts = _check_page(demo, "guide/index.html", "guide")
    assert facts["h1"] == ["某市人民政府办公室政府信息公开指南"]
    page = _open(demo, "guide/index.html")
    try:
        rows = page.evaluate(
            "[...document.querySelectorAll('table.facts tr')].map(r => r.innerText)"
        )
        assert any(GUIDE.offices[0].phone in r for r in rows)
        limits = page.evaluate(
            "[...document.querySelectorAll('h2')].find(h => h.textContent.includes('办理时限'))"
            ".nextElementSibling.nextElementSibling.innerText"
        )
        assert "《条例》第三十三条" in limits
        assert "20个工作日" in limits
        assert page.problems() == []
    finally:
        page.close()


def test_a_catalogue_page_by_topic(demo: dict[str, Any]) -> None:
    root: Path = demo["root"]
    topic = sorted((root / "catalogue" / "topic").glob("*/index.html"))[0]
    path = str(topic.relative_to(root))
    facts = _check_page(demo, path, "catalogue-topic")
    assert facts["h1"][0].startswith("主题分类：")
    page = _open(demo, path)
    try:
        rows = page.evaluate(
            "[...document.querySelectorAll('table.list tbody tr')].map(r =>"
            " [r.cells[0].querySelector('a').getAttribute('href'), r.cells[1].innerText])"
        )
        assert rows
        names = {a.name for a in demo["store"].agencies()}
        for href, agency in rows:
            assert href.startswith("../../../records/")
            assert agency in names  # the issuing body by name, never its code
        heading = page.evaluate("document.querySelector('h1').textContent")
        label = heading.removeprefix("主题分类：")
        assert all(
            demo["store"].get_record(_record_of(demo, href)).topic == label for href, _ in rows
        )
    finally:
        page.close()


def _record_of(demo: dict[str, Any], href: str) -> str:
    name = href.rsplit("/", 1)[1]
    return next(r.id for r in demo["store"].records() if page_name(r.id).endswith("/" + name))


def test_a_record_page(demo: dict[str, Any]) -> None:
    """The metadata table with the agency by name, the title as the one h1, the text."""
    store = demo["store"]
    record = next(r for r in store.records() if r.validity is Validity.REPEALED)
    facts = _check_page(demo, page_name(record.id), "record")
    assert facts["h1"] == [record.title]
    page = _open(demo, page_name(record.id))
    try:
        meta = page.evaluate(
            "Object.fromEntries([...document.querySelectorAll('table.meta th')]"
            ".map(th => [th.textContent, th.nextElementSibling.textContent]))"
        )
        agency = store.get_agency(record.agency).name
        assert meta["发布机构"] == agency
        assert meta["索引号"] == record.index_number
        assert meta["文号"] == record.document_number
        assert meta["成文日期"] == record.formed_on.isoformat()
        assert meta["有效性"] == f"废止（{record.repealed_on}）"
        for label in ("发布日期", "主题分类"):
            assert meta[label]
        notice = page.evaluate("document.querySelector('.notice').textContent")
        assert "废止" in notice
        # Printed on A4: the navigation goes, the metadata table and the text stay.
        page.call("Emulation.setEmulatedMedia", {"media": "print"})
        printed = page.evaluate(
            "({nav: getComputedStyle(document.querySelector('.site-nav')).display,"
            " meta: getComputedStyle(document.querySelector('table.meta')).display,"
            " size: getComputedStyle(document.body).fontSize})"
        )
        assert printed["nav"] == "none"
        assert printed["meta"] == "table"
        assert printed["size"] == "14.6667px"  # 11pt
        _shot(demo, page, "record-print.png")
        pdf = page.call("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69})
        assert len(pdf["data"]) > 1000
    finally:
        page.close()


def test_a_key_area_column(demo: dict[str, Any]) -> None:
    """The column states its owning unit, time limit and method, and lists its records."""
    area = KeyAreaCatalogue.bundled().get("财政预决算")
    assert area is not None
    path = f"zdly/{area.code}/index.html"
    facts = _check_page(demo, path, "key-area")
    assert facts["h1"] == [area.name]
    page = _open(demo, path)
    try:
        table = page.evaluate(
            "Object.fromEntries([...document.querySelectorAll('table.facts tr')]"
            ".map(r => [r.cells[0].textContent, r.cells[1].textContent]))"
        )
        assert table["责任单位"] == area.owner
        assert table["公开时限"] == area.time_limit
        assert table["公开方式"] == area.method
        count = page.evaluate("document.querySelectorAll('table.list tbody tr').length")
        expected = [r for r in demo["store"].records() if area.name in r.key_areas]
        assert 0 < count <= len(expected)
        assert (
            page.evaluate("document.querySelector('.count').textContent").startswith(
                f"共 {count} 条"
            )
            or count == 20
        )
    finally:
        page.close()


def test_the_report_page(demo: dict[str, Any]) -> None:
    """The consolidated report with the report package's figures, readable on a phone (its
    wide tables scroll inside the page)."""
    store = demo["store"]
    agencies = store.agencies()
    combined = rollup(
        [build_annual_report(store, a, 2025) for a in agencies],
        next(a for a in agencies if a.parent is None),
        check=False,
    )
    path = "reports/2025/city-gov-summary.html"
    facts = _check_page(demo, path, "report")
    assert facts["h1"] == [f"{combined.agency_name}2025年政府信息公开工作年度报告"]
    page = _open(demo, path)
    try:
        value = page.evaluate("document.querySelector('[data-cell=\"T3.R1.total\"]').textContent")
        assert value == str(combined.cell("T3.R1.total"))
        tables = page.evaluate("document.querySelectorAll('table.gd-table').length")
        assert tables == 3
    finally:
        page.close()


def test_search_finds_a_record_by_a_word_of_its_title(demo: dict[str, Any]) -> None:
    """Typed into the form and submitted: the results list the record; from the header's box
    of another page (``?q=``) too; with JavaScript off the form leads to the catalogue."""
    store = demo["store"]
    record = next(r for r in store.records() if "河道整治" in r.title and r.publications)
    _check_page(demo, "search/index.html", "search")
    page = _open(demo, "search/index.html")
    try:
        page.evaluate(
            "(() => { document.getElementById('search-q').value = '河道整治';"
            " document.getElementById('search-form').requestSubmit(); })()"
        )
        page.wait_until("document.querySelectorAll('#search-results li').length > 0")
        hrefs = page.evaluate(
            "[...document.querySelectorAll('#search-results a')].map(a => a.getAttribute('href'))"
        )
        assert f"../{page_name(record.id)}" in hrefs
        status = page.evaluate("document.getElementById('search-status').textContent")
        assert re.match(r"找到 \d+ 条", status)
        # It read what the index's plan says (index.json, the postings of the rarest
        # characters, the blocks of the results), not the catalogue.
        fetched = page.evaluate(
            "performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)"
            ".filter(p => p.startsWith('/search/'))"
        )
        planned = search.plan(demo["root"], "河道整治")
        assert sorted(p.lstrip("/") for p in fetched) == sorted(set(planned.files))
        shown = page.evaluate("document.querySelectorAll('#search-results li').length")
        assert shown == len(planned.results)
        _shot(demo, page, "search-results-1280.png")
        assert page.problems() == []
    finally:
        page.close()
    # An index number: found by its ASCII words (rare) rather than its characters (in every
    # record); the browser reads what the plan reads and shows what it finds.
    number = record.index_number or ""
    page = _open(demo, "search/index.html?q=" + quote(number))
    try:
        page.wait_until("document.querySelectorAll('#search-results li').length > 0")
        page.wait_until("!document.getElementById('search-status').textContent.includes('正在')")
        planned = search.plan(demo["root"], number)
        fetched = page.evaluate(
            "performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)"
            ".filter(p => p.startsWith('/search/'))"
        )
        assert sorted(p.lstrip("/") for p in fetched) == sorted(set(planned.files))
        hrefs = page.evaluate(
            "[...document.querySelectorAll('#search-results a')].map(a => a.getAttribute('href'))"
        )
        assert hrefs == [f"../{i['u']}" for i in planned.results]
        assert f"../{page_name(record.id)}" in hrefs
    finally:
        page.close()
    # A common word: the first 20, then 显示更多 reads on.
    page = _open(demo, "search/index.html?q=" + "通知")
    try:
        page.wait_until("document.querySelectorAll('#search-results li').length > 0")
        page.wait_until("!document.getElementById('search-status').textContent.includes('正在')")
        first = page.evaluate("document.querySelectorAll('#search-results li').length")
        total = len(search.plan(demo["root"], "通知", limit=10_000).results)
        assert first == min(total, search.PAGE)
        hidden = page.evaluate("document.getElementById('search-more').hidden")
        assert hidden == (total <= search.PAGE)
        if not hidden:
            page.evaluate("document.getElementById('search-more').click()")
            page.wait_until(
                f"document.querySelectorAll('#search-results li').length > {search.PAGE} || null"
            )
            more = page.evaluate("document.querySelectorAll('#search-results li').length")
            assert more == min(total, 2 * search.PAGE)
    finally:
        page.close()
    page = _open(demo, "search/index.html?q=" + "河道整治", width=375)
    try:
        page.wait_until("document.querySelectorAll('#search-results li').length > 0")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        _shot(demo, page, "search-results-375.png")
    finally:
        page.close()
    page = demo["browser"].open("about:blank")
    try:
        page.call("Emulation.setScriptExecutionDisabled", {"value": True})
        page.navigate(demo["url"] + "search/index.html")
        action = page.evaluate("document.getElementById('search-form').action")
        assert action.endswith("/catalogue/index.html")
        noscript = page.evaluate("document.querySelector('noscript') !== null")
        assert noscript
    finally:
        page.close()


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("index.html", "home"),
        ("guide/form.html", "form"),
        ("ysq/index.html", "ysq"),
        ("zdly/index.html", "key-areas"),
        ("fdzdgk/index.html", "article20"),
        ("catalogue/index.html", "catalogue"),
        ("reports/index.html", "reports"),
    ],
)
def test_the_other_pages(demo: dict[str, Any], path: str, name: str) -> None:
    """The same checks on the column's other pages."""
    _check_page(demo, path, name)


MENU = """
(() => {
  const nav = document.querySelector('nav.site-nav');
  const details = nav.querySelector('details.nav-narrow');
  const links = [...details.querySelectorAll('a')];
  const shown = (el) => el.checkVisibility() && el.getClientRects().length > 0;
  return {
    wide: getComputedStyle(nav.querySelector('.nav-wide')).display,
    narrow: getComputedStyle(details).display,
    open: details.open,
    navHeight: nav.getBoundingClientRect().height,
    links: links.length,
    visible: links.filter(shown).length,
    outside: links.filter((a) => shown(a) && (a.getBoundingClientRect().left < 0
      || a.getBoundingClientRect().right > window.innerWidth)).map((a) => a.textContent),
    small: links.filter((a) => shown(a) && a.getBoundingClientRect().height < 40)
      .map((a) => a.textContent),
    focus: document.activeElement.tagName + '.' + (document.activeElement.className || ''),
    scrollWidth: document.documentElement.scrollWidth,
  };
})()
"""


def _enter(page: Page) -> None:
    for kind in ("keyDown", "keyUp"):
        params = {"type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
        if kind == "keyDown":
            params["text"] = "\r"
        page.call("Input.dispatchKeyEvent", params)


def test_the_menu_on_a_phone(demo: dict[str, Any]) -> None:
    """At 375 px the eight columns fold into one 栏目导航 button (a <details>): closed, the
    navigation is one line; the keyboard reaches it and Enter opens it; open, every link is a
    tap target of at least 40 px inside the screen, with no horizontal scroll; without
    JavaScript a tap opens it too. At 1280 px the bar shows and the button does not."""
    page = _open(demo, "guide/index.html", 375)
    try:
        closed = page.evaluate(MENU)
        assert closed["wide"] == "none", closed
        assert closed["narrow"] == "block", closed
        assert not closed["open"], closed
        assert closed["visible"] == 0, closed
        assert closed["navHeight"] < 60, closed
        assert closed["links"] == 8, closed
        for _ in range(8):
            page.press("Tab", "Tab", 9)
            if page.evaluate(MENU)["focus"] == "SUMMARY.":
                break
        assert page.evaluate(MENU)["focus"] == "SUMMARY.", "the keyboard never reaches the menu"
        _enter(page)
        opened = page.wait_until(
            f"(() => {{ const m = {MENU.strip()}; return m.open ? m : null; }})()"
        )
        assert opened["visible"] == 8, opened
        assert opened["outside"] == [], opened
        assert opened["small"] == [], opened
        assert opened["scrollWidth"] <= 375, opened
        page.press("Tab", "Tab", 9)
        assert page.evaluate(MENU)["focus"] == "A.", "Tab goes into the open menu"
        _shot(demo, page, "menu-375-open.png")
        assert page.problems() == []
    finally:
        page.close()
    page = demo["browser"].open("about:blank", width=375, height=900)
    try:
        page.call("Emulation.setScriptExecutionDisabled", {"value": True})
        page.navigate(demo["url"] + "guide/index.html")
        box = page.evaluate(
            "(() => { const r = document.querySelector('.nav-narrow summary')"
            ".getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            page.call(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1},
            )
        assert page.wait_until("document.querySelector('.nav-narrow').open || null")
    finally:
        page.close()
    page = _open(demo, "guide/index.html", 1280)
    try:
        wide = page.evaluate(MENU)
        assert wide["wide"] == "flex", wide
        assert wide["narrow"] == "none", wide
        assert wide["navHeight"] < 60, wide
    finally:
        page.close()
