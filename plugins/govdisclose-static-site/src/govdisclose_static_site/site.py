"""The static-site publisher: a 政府信息公开专栏 that changes all at once, or not at all.

The site is one directory, served as it is::

    index.html          the catalogue page, newest first
    feed.atom           the Atom feed of the same entries
    catalog.json        the catalogue itself (what the two above are built from)
    records/<name>.html one page per record (the name: `govdisclose_static_site.naming`)
    .catalog.lock, .govdisclose-staging/   the publisher's lock and private work area

**Nothing is public until the whole publication is consistent.** Publishing a record changes
four files (its page, ``catalog.json``, ``index.html``, ``feed.atom``; a fifth, a page under an
old name, is removed); withdrawing changes three and removes the page. Every change is one
transaction (`govdisclose_static_site._commit`):

* everything that can fail is done first and nothing of it is public: the catalogue is read
  (a damaged one raises `CatalogDamaged`), every page is rendered and every new file is
  written, synced, into a private directory inside the site (the same file system);
* only then the switch: a backup of every file about to change (a hard link: the same bytes),
  a journal, then one atomic ``os.replace`` per file (the page first, then the feed, the
  catalogue page and ``catalog.json``, removed pages last, so a reader following a link never
  meets a missing page), then the journal is deleted;
* an error during the switch puts every file back from its backups before it is raised, and a
  crash during it is undone by the next transaction on the site, from the journal.

So an exception at any point (a damaged catalogue, a full disk, a rendering error, a failing
rename) leaves the published site byte for byte as it was, with no orphan page, and the
publisher reports failure only when nothing changed.

Why not a versioned directory switched by one symlink rename (which would make the switch a
single atomic step even for a reader who fetches the page and the catalogue at the same
instant)? The directory the web server serves would have to become a symlink (every existing
site would be moved), each publication would copy or link every page of the site into the
next version, and old versions would need a collector that knows when no reader is left. The
per-file switch keeps the layout of 0.1.0, costs five renames, and what a concurrent reader may
see during the microseconds it lasts is harmless: a page that no list links to yet, or a list
that no longer links to a page that is being removed.

**Concurrency.** The transaction holds ``fcntl.flock`` on ``.catalog.lock`` (the 0.1.0 lock
file) from reading the catalogue to the switch, so two processes or threads publishing to the
same directory take turns and neither loses the other's entry. ``flock`` locks are advisory
and local: every writer must be this publisher, and on a network file system the directory
must support ``flock`` (NFSv4 emulates it with byte-range locks).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import attrs
from attrs import frozen

from govdisclose.model import Publication
from govdisclose.public import PublicRecord, require_cleared
from govdisclose.serde import make_converter
from govdisclose.vocab import PublicationChannel
from govdisclose_static_site._commit import Transaction, transaction
from govdisclose_static_site.errors import CatalogDamaged, StaticSiteError
from govdisclose_static_site.naming import PAGES_DIR, legacy_page_name, page_name
from govdisclose_static_site.text import clean, escape_json

__all__ = ["CATALOG", "CatalogEntry", "StaticSitePublisher"]

_SHANGHAI = ZoneInfo("Asia/Shanghai")
#: The catalogue's file, relative to the site's root.
CATALOG = "catalog.json"
_INDEX = "index.html"
_FEED = "feed.atom"
_STORED_PAGE = re.compile(rf"{PAGES_DIR}/[a-z0-9_-]+\.html")


@frozen
class CatalogEntry:
    """One published record as the catalogue page and the feed list it.

    :param page: the record's page, relative to the site's root; ``None`` in entries written
        by 0.1.0, whose page has the 0.1.0 name (`naming.legacy_page_name`).

    .. versionchanged:: 0.2.0 ``page``.
    """

    record_id: str
    title: str
    url: str
    published_at: datetime
    formed_on: date
    index_number: str | None = None
    document_number: str | None = None
    agency: str = ""
    page: str | None = None

    @property
    def page_path(self) -> str:
        """The page's path relative to the site's root, whichever version wrote the entry."""
        return self.page if self.page is not None else legacy_page_name(self.record_id)


def _now() -> datetime:
    # The publication time is a fact of the I/O edge: when the page was really written.
    return datetime.now(_SHANGHAI)


def _e(text: str) -> str:
    """``text`` ready for a page or the feed: invalid characters replaced, markup escaped."""
    return html.escape(clean(text))


def _optional(text: str | None) -> str | None:
    return None if text is None else clean(text)


@attrs.define
class StaticSitePublisher:
    """Publishes records as pages of a static 政府信息公开专栏 (and withdraws them).

    A `govdisclose.publishing.Publisher` and `govdisclose.publishing.Withdrawer`; see the
    module's description for the layout, the atomic switch and the lock.

    :param root: output directory (created if missing).
    :param base_url: the public address of ``root``; page URLs are joined to it.
    :param site_title: heading of the catalogue and title of the feed.
    :param agency_names: agency code -> name, for the 发布机构 line.
    :param clock: gives the publication time; the real clock by default (tests pass a fixed one).

    .. versionchanged:: 0.2.0 `publish` receives the cleared `PublicRecord`; `withdraw`; the
       whole publication is one atomic change; page names are collision-free
       (`govdisclose_static_site.naming`); characters invalid in XML never reach a file.
    """

    root: Path = attrs.field(converter=Path)
    base_url: str = "./"
    site_title: str = "政府信息公开专栏"
    agency_names: Mapping[str, str] = attrs.field(factory=dict)
    clock: Callable[[], datetime] = _now
    name: str = "static-site"

    def publish(self, view: PublicRecord) -> Publication:
        """Put ``view``'s page live with its catalogue and feed entries, all at once.

        :raises PublishBlocked: ``view`` is not one the publication guard cleared.
        :raises CatalogDamaged: ``catalog.json`` cannot be read; nothing was changed.
        :raises StaticSiteError: the clock is naive, or the page's file is another record's
            0.1.0 page; nothing was changed.
        """
        view = require_cleared(view, publisher=self.name)
        published_at = self._time()
        page = page_name(view.id)
        url = urljoin(self.base_url, page)
        entry = CatalogEntry(
            record_id=view.id,
            title=clean(view.title),
            url=clean(url),
            published_at=published_at,
            formed_on=view.formed_on,
            index_number=_optional(view.index_number),
            document_number=_optional(view.document_number),
            agency=clean(self.agency_names.get(view.agency, view.agency)),
            page=page,
        )
        with transaction(self.root) as txn:
            entries = self._read()
            previous = entries.pop(view.id, None)
            holder = next((x for x in entries.values() if x.page_path == page), None)
            if holder is not None:
                raise StaticSiteError(
                    f"记录“{view.id}”的页面文件 {page} 是记录“{holder.record_id}”按 0.1.0 "
                    "命名的页面；请先重新发布或撤回该记录",
                    f"the page file {page} of record {view.id!r} is the 0.1.0 page of record "
                    f"{holder.record_id!r}; publish that record again or withdraw it first",
                    field="record.id",
                    code="static_site.page_taken",
                )
            entries[view.id] = entry
            txn.write(page, self._record_page(view, published_at))
            self._write_lists(txn, entries, published_at)
            if previous is not None and previous.page_path != page:
                self._remove_unused(txn, previous.page_path, entries)
            txn.commit()
        return Publication(
            publisher=self.name,
            channel=PublicationChannel.PORTAL,
            published_at=published_at,
            url=url,
            scope=view.scope,
        )

    def withdraw(self, view: PublicRecord) -> None:
        """Take ``view``'s page and its catalogue and feed entries down, all at once.

        Any `PublicRecord` is accepted, also one the guard would no longer clear (a record
        whose attribute changed is the one to take down): withdrawing discloses nothing. Only
        ``view.id`` is used; `govdisclose.publishing.public_view` makes a view of a `Record`.
        Withdrawing a record that is not on the site changes nothing.

        :raises CatalogDamaged: ``catalog.json`` cannot be read; nothing was changed.
        """
        if not isinstance(view, PublicRecord):
            raise TypeError(f"withdraw takes a PublicRecord, got {type(view).__name__}")
        with transaction(self.root) as txn:
            entries = self._read()
            previous = entries.pop(view.id, None)
            if previous is not None:
                self._write_lists(txn, entries, self._time())
                self._remove_unused(txn, previous.page_path, entries)
            page = page_name(view.id)
            if (self.root / page).exists():
                # A page without an entry (a 0.1.0 orphan): take it down all the same.
                self._remove_unused(txn, page, entries)
            txn.commit()

    def recover(self) -> None:
        """Undo what a crashed publication left half switched (every publication and withdrawal
        does this first; a host may call it at start-up so the site is whole before then)."""
        with transaction(self.root):
            pass

    def catalog(self) -> list[CatalogEntry]:
        """Everything published so far, newest first (read from the site's ``catalog.json``).

        :raises CatalogDamaged: the file cannot be read or is not a catalogue.
        """
        return _ordered(self._read())

    def orphan_pages(self) -> list[str]:
        """The files under ``records/`` that no catalogue entry links to, sorted.

        0.1.0 left such a page when the catalogue update after it failed: public, yet not in
        the catalogue, and its publication not in the store. Look at them and delete those that
        should not be online; the publisher never deletes a file it cannot attribute.
        """
        linked = {x.page_path for x in self._read().values()}
        pages = self.root / PAGES_DIR
        if not pages.is_dir():
            return []
        found = (f"{PAGES_DIR}/{p.name}" for p in pages.iterdir() if not p.is_dir())
        return sorted(p for p in found if p not in linked)

    # -- internals -----------------------------------------------------------------------------

    def _time(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None or now.utcoffset() is None:
            raise StaticSiteError(
                "静态站点发布器的时钟返回了不带时区的时间",
                "the static-site publisher's clock returned a naive datetime",
                field="clock",
                code="static_site.naive_clock",
            )
        return now

    def _read(self) -> dict[str, CatalogEntry]:
        path = self.root / CATALOG
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as err:
            raise CatalogDamaged(path, f"{type(err).__name__}: {err}") from err
        try:
            data: Any = json.loads(text)
            entries = make_converter().structure(data, list[CatalogEntry])
        except Exception as err:  # any JSON or shape problem: the file is not a catalogue
            raise CatalogDamaged(path, f"{type(err).__name__}: {err}") from err
        for entry in entries:
            if entry.page is not None and not _STORED_PAGE.fullmatch(entry.page):
                raise CatalogDamaged(
                    path, f"entry {entry.record_id!r} names the page {entry.page!r}"
                )
        return {entry.record_id: entry for entry in entries}

    def _write_lists(
        self, txn: Transaction, entries: dict[str, CatalogEntry], now: datetime
    ) -> None:
        """Stage the feed, the catalogue page and ``catalog.json`` (last) for ``entries``."""
        ordered = _ordered(entries)
        txn.write(_FEED, self._feed(ordered, now))
        txn.write(_INDEX, self._catalog_page(ordered))
        dumped = json.dumps(make_converter().unstructure(ordered), ensure_ascii=False, indent=1)
        txn.write(CATALOG, escape_json(dumped))

    def _remove_unused(self, txn: Transaction, page: str, entries: dict[str, CatalogEntry]) -> None:
        # A 0.1.0 page may be shared by two entries whose ids collided: keep it for the other.
        if all(x.page_path != page for x in entries.values()) and page not in txn.paths:
            txn.remove(page)

    # -- pages ---------------------------------------------------------------------------------

    def _record_page(self, view: PublicRecord, published_at: datetime) -> str:
        meta = [
            ("索引号", view.index_number or ""),
            ("发布机构", self.agency_names.get(view.agency, view.agency)),
            ("成文日期", view.formed_on.isoformat()),
            ("发布日期", published_at.date().isoformat()),
            ("文号", view.document_number or ""),
            ("主题分类", view.topic or ""),
            ("有效性", view.validity.label),
        ]
        rows = "\n".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in meta)
        paragraphs = "\n".join(
            f"<p>{_e(line)}</p>" for line in clean(view.body).splitlines() if line.strip()
        )
        return _document(
            view.title,
            f'<table class="meta">\n{rows}\n</table>\n<h1>{_e(view.title)}</h1>\n'
            f'<div class="body">\n{paragraphs}\n</div>\n'
            f'<p><a href="../{_INDEX}">{_e(self.site_title)}</a></p>',
        )

    def _catalog_page(self, entries: list[CatalogEntry]) -> str:
        rows = "\n".join(
            f"<tr><td>{_e(x.index_number or '')}</td>"
            f'<td><a href="{_e(x.page_path)}">{_e(x.title)}</a></td>'
            f"<td>{_e(x.document_number or '')}</td><td>{_e(x.agency)}</td>"
            f"<td>{x.published_at.date().isoformat()}</td></tr>"
            for x in entries
        )
        head = (
            "<tr><th>索引号</th><th>标题</th><th>文号</th><th>发布机构</th><th>发布日期</th></tr>"
        )
        return _document(
            self.site_title,
            f'<h1>{_e(self.site_title)}</h1>\n<p><a href="{_FEED}">订阅（Atom）</a></p>\n'
            f'<table class="catalog">\n{head}\n{rows}\n</table>',
        )

    def _feed(self, entries: list[CatalogEntry], now: datetime) -> str:
        updated = max([now, *(x.published_at for x in entries)]).isoformat()
        items = "\n".join(
            "<entry>"
            f"<id>{_e(x.url)}</id><title>{_e(x.title)}</title>"
            f'<link href="{_e(x.url)}"/><updated>{x.published_at.isoformat()}</updated>'
            f"<author><name>{_e(x.agency or self.site_title)}</name></author>"
            "</entry>"
            for x in entries
        )
        feed_url = _e(urljoin(self.base_url, _FEED))
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom">\n'
            f"<id>{feed_url}</id>"
            f"<title>{_e(self.site_title)}</title><updated>{updated}</updated>\n"
            f'<link rel="self" href="{feed_url}"/>\n'
            f"{items}\n</feed>\n"
        )


def _ordered(entries: Mapping[str, CatalogEntry]) -> list[CatalogEntry]:
    return sorted(entries.values(), key=lambda x: (x.published_at, x.record_id), reverse=True)


def _document(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(title)}</title>\n"
        "<style>table{border-collapse:collapse}th,td{border:1px solid #999;padding:4px}</style>\n"
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
