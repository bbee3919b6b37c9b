"""The static-site publisher: pages written atomically under one directory."""

from __future__ import annotations

import fcntl
import html
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import attrs
from attrs import frozen

from govdisclose.errors import GovDiscloseError
from govdisclose.model import Publication, Record
from govdisclose.serde import make_converter
from govdisclose.vocab import DisclosureScope, PublicationChannel

__all__ = ["CatalogEntry", "StaticSitePublisher"]

_SHANGHAI = ZoneInfo("Asia/Shanghai")
_CATALOG = "catalog.json"


@frozen
class CatalogEntry:
    """One published record as the catalogue page and the feed list it."""

    record_id: str
    title: str
    url: str
    published_at: datetime
    formed_on: date
    index_number: str | None = None
    document_number: str | None = None
    agency: str = ""


def _now() -> datetime:
    # The publication time is a fact of the I/O edge: when the page was really written.
    return datetime.now(_SHANGHAI)


def _page_name(record_id: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in record_id)
    return f"records/{safe}.html"


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@attrs.define
class StaticSitePublisher:
    """Publishes records as pages of a static 政府信息公开专栏.

    :param root: output directory (created if missing).
    :param base_url: the public address of ``root``; page URLs are joined to it.
    :param site_title: heading of the catalogue and title of the feed.
    :param agency_names: agency code -> name, for the 发布机构 line.
    :param clock: gives the publication time; the real clock by default (tests pass a fixed one).
    """

    root: Path = attrs.field(converter=Path)
    base_url: str = "./"
    site_title: str = "政府信息公开专栏"
    agency_names: Mapping[str, str] = attrs.field(factory=dict)
    clock: Callable[[], datetime] = _now
    name: str = "static-site"

    def publish(self, record: Record) -> Publication:
        """Write the record's page, then the catalogue and feed; return the publication."""
        published_at = self.clock()
        if published_at.tzinfo is None:
            raise GovDiscloseError(
                "静态站点发布器的时钟返回了不带时区的时间",
                "the static-site publisher's clock returned a naive datetime",
                field="clock",
                code="static_site.naive_clock",
            )
        page = _page_name(record.id)
        url = urljoin(self.base_url, page)
        scope = record.decision.scope if record.decision else DisclosureScope.FULL
        _write_atomic(self.root / page, self._record_page(record, published_at))
        entry = CatalogEntry(
            record_id=record.id,
            title=record.title,
            url=url,
            published_at=published_at,
            formed_on=record.formed_on,
            index_number=record.index_number,
            document_number=record.document_number,
            agency=self.agency_names.get(record.agency, record.agency),
        )
        # Two OA workers publishing at once must not lose each other's catalogue entries.
        with open(self.root / ".catalog.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            entries = {x.record_id: x for x in self.catalog()}
            entries[record.id] = entry
            ordered = sorted(
                entries.values(), key=lambda x: (x.published_at, x.record_id), reverse=True
            )
            converter = make_converter()
            _write_atomic(
                self.root / _CATALOG,
                json.dumps(converter.unstructure(ordered), ensure_ascii=False, indent=1),
            )
            _write_atomic(self.root / "index.html", self._catalog_page(ordered))
            _write_atomic(self.root / "feed.atom", self._feed(ordered, published_at))
        return Publication(
            publisher=self.name,
            channel=PublicationChannel.PORTAL,
            published_at=published_at,
            url=url,
            scope=scope,
        )

    def catalog(self) -> list[CatalogEntry]:
        """Everything published so far, newest first (read from the site's catalog.json)."""
        path = self.root / _CATALOG
        if not path.exists():
            return []
        converter = make_converter()
        return converter.structure(json.loads(path.read_text("utf-8")), list[CatalogEntry])

    # -- pages ---------------------------------------------------------------------------------

    def _record_page(self, record: Record, published_at: datetime) -> str:
        e = html.escape
        meta = [
            ("索引号", record.index_number or ""),
            ("发布机构", self.agency_names.get(record.agency, record.agency)),
            ("成文日期", record.formed_on.isoformat()),
            ("发布日期", published_at.date().isoformat()),
            ("文号", record.document_number or ""),
            ("主题分类", record.topic or ""),
            ("有效性", record.validity.label),
        ]
        rows = "\n".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in meta)
        paragraphs = "\n".join(
            f"<p>{e(line)}</p>" for line in record.body.splitlines() if line.strip()
        )
        return _document(
            record.title,
            f'<table class="meta">\n{rows}\n</table>\n<h1>{e(record.title)}</h1>\n'
            f'<div class="body">\n{paragraphs}\n</div>\n'
            f'<p><a href="../index.html">{e(self.site_title)}</a></p>',
        )

    def _catalog_page(self, entries: list[CatalogEntry]) -> str:
        e = html.escape
        rows = "\n".join(
            f"<tr><td>{e(x.index_number or '')}</td>"
            f'<td><a href="{e(_page_name(x.record_id))}">{e(x.title)}</a></td>'
            f"<td>{e(x.document_number or '')}</td><td>{e(x.agency)}</td>"
            f"<td>{x.published_at.date().isoformat()}</td></tr>"
            for x in entries
        )
        head = (
            "<tr><th>索引号</th><th>标题</th><th>文号</th><th>发布机构</th><th>发布日期</th></tr>"
        )
        return _document(
            self.site_title,
            f'<h1>{e(self.site_title)}</h1>\n<p><a href="feed.atom">订阅（Atom）</a></p>\n'
            f'<table class="catalog">\n{head}\n{rows}\n</table>',
        )

    def _feed(self, entries: list[CatalogEntry], now: datetime) -> str:
        e = html.escape
        updated = max((x.published_at for x in entries), default=now).isoformat()
        items = "\n".join(
            "<entry>"
            f"<id>{e(x.url)}</id><title>{e(x.title)}</title>"
            f'<link href="{e(x.url)}"/><updated>{x.published_at.isoformat()}</updated>'
            f"<author><name>{e(x.agency or self.site_title)}</name></author>"
            "</entry>"
            for x in entries
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom">\n'
            f"<id>{e(urljoin(self.base_url, 'feed.atom'))}</id>"
            f"<title>{e(self.site_title)}</title><updated>{updated}</updated>\n"
            f'<link rel="self" href="{e(urljoin(self.base_url, "feed.atom"))}"/>\n'
            f"{items}\n</feed>\n"
        )


def _document(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<style>table{border-collapse:collapse}th,td{border:1px solid #999;padding:4px}</style>\n"
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
