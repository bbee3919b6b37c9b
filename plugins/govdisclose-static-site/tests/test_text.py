"""The feed, the pages and the catalogue never hold a character invalid in XML or HTML."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from _static_site_helpers import make_publisher, make_view
from hypothesis import given, strategies as st

from govdisclose_static_site.text import REPLACEMENT, clean, escape_json

ATOM = {"a": "http://www.w3.org/2005/Atom"}
# XML 1.0 Char, less what HTML calls a parse error (C1 controls, noncharacters).
VALID = re.compile(
    "[\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd"
    + "".join(f"\\U{p << 16:08x}-\\U{(p << 16) | 0xFFFD:08x}" for p in range(1, 17))
    + "]*"
)
# What testers pasted: a vertical tab (a Word line break), an escape sequence, a
# noncharacter, DEL and a C1 control, a supplementary noncharacter.
TITLE = "关于\x0b印发\x1b[31m某某办法\ufffe的通知\x7f\x85\U0001fffe"
BODY = "第一段\x0c。\n第二\x01段。\x1f"
VOID = {"meta", "link", "br", "hr", "img", "input"}


class _StrictHTML(HTMLParser):
    """Parses a page, checking every element is closed in order; collects the texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.texts: dict[str, list[str]] = {}
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.texts.setdefault(self.stack[-1], []).append(data)


def _parse_page(path: Path) -> _StrictHTML:
    text = path.read_text("utf-8")
    assert VALID.fullmatch(text), f"{path.name} holds an invalid character"
    parser = _StrictHTML()
    parser.feed(text)
    parser.close()
    assert parser.problems == []
    assert parser.stack == []
    return parser


def test_control_characters_never_reach_the_feed_or_a_page(tmp_path: Path) -> None:
    """The bug: one such title made ``feed.atom`` invalid XML for every later build. Now no
    file of the site (pages, feeds, search index, state) holds such a character."""
    publisher = make_publisher(tmp_path)
    views = [make_view("r-1", TITLE, BODY), make_view("r-2", "正常的标题")]
    for view in views:
        publisher.publish(view)
    feed_text = (tmp_path / "feed.atom").read_text("utf-8")
    feed = ET.fromstring(feed_text)
    titles = [e.findtext("a:title", namespaces=ATOM) for e in feed.findall("a:entry", ATOM)]
    assert clean(TITLE) in titles
    assert clean(TITLE) == "关于\ufffd印发\ufffd[31m某某办法\ufffd的通知\ufffd\ufffd\ufffd"

    page = _parse_page(tmp_path / "records" / "r-1.html")
    assert page.texts["h1"] == [clean(TITLE)]
    assert page.texts["title"][0].startswith(clean(TITLE))
    assert [f"第一段{REPLACEMENT}。", f"第二{REPLACEMENT}段。{REPLACEMENT}"] == [
        t for t in page.texts["p"] if t.startswith("第")
    ]
    index = _parse_page(tmp_path / "index.html")
    assert clean(TITLE) in index.texts["a"]
    for path in sorted(tmp_path.rglob("*")):
        if path.is_file() and ".govdisclose-staging" not in path.parts:
            if path.suffix == ".docx":
                # The Word form: every XML part of the package is valid XML.
                with zipfile.ZipFile(path) as package:
                    for part in package.namelist():
                        if part.endswith((".xml", ".rels")):
                            xml = package.read(part).decode("utf-8")
                            assert VALID.fullmatch(xml), (path, part)
                            ET.fromstring(xml)
                continue
            assert VALID.fullmatch(path.read_text("utf-8")), path
            if path.suffix == ".html":
                _parse_page(path)
            elif path.suffix in (".atom", ".xml"):
                ET.fromstring(path.read_text("utf-8"))
            elif path.suffix == ".json":
                json.loads(path.read_text("utf-8"))
    items = json.loads((tmp_path / "search" / "b" / "0.json").read_text("utf-8"))
    assert {i["t"] for i in items} == {clean(TITLE), "正常的标题"}


def test_ids_with_control_characters_keep_their_entry(tmp_path: Path) -> None:
    """An id is the state's key: kept exactly (as a JSON escape), so that two ids that differ
    by a control character stay two records and `withdraw` finds each."""
    publisher = make_publisher(tmp_path)
    views = [make_view("r\x0b1", "甲"), make_view("r\x0c1", "乙")]
    for view in views:
        publisher.publish(view)
    for path in (tmp_path / ".govdisclose-site").rglob("*.json"):
        assert VALID.fullmatch(path.read_text("utf-8")), path
    assert {e.record_id for e in publisher.catalog()} == {"r\x0b1", "r\x0c1"}
    assert len(list((tmp_path / "records").iterdir())) == 2
    publisher.withdraw(views[0])
    assert [e.record_id for e in publisher.catalog()] == ["r\x0c1"]


@given(st.text(st.characters(exclude_categories=())))
def test_clean_text_is_valid_xml(text: str) -> None:
    """Whatever the text, once cleaned it parses as XML character data, character for
    character (XML reads a carriage return as a line feed)."""
    cleaned = clean(text)
    assert len(cleaned) == len(text)
    assert VALID.fullmatch(cleaned)
    escaped = cleaned.replace("&", "&amp;").replace("<", "&lt;")
    parsed = ET.fromstring(f"<t>{escaped}</t>").text or ""
    assert parsed == cleaned.replace("\r\n", "\n").replace("\r", "\n")


@given(st.text(st.characters(exclude_categories=())))
def test_escaped_json_is_the_same_value(text: str) -> None:
    """`escape_json` changes the spelling of a JSON text, never its value."""
    dumped = escape_json(json.dumps({"k": text}, ensure_ascii=False))
    assert VALID.fullmatch(dumped)
    assert json.loads(dumped) == {"k": text}
