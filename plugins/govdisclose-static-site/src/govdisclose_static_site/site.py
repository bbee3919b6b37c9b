"""The static-site publisher: one cleared record onto the 政府信息公开专栏, all at once or not
at all.

`StaticSitePublisher` is the `govdisclose.publishing.Publisher` (and
`govdisclose.publishing.Withdrawer`) the plugin hands to `govdisclose.publishing.publish`: it
receives the `govdisclose.public.PublicRecord` the publication guard cleared and puts it on the
site built by `govdisclose_static_site.build` (`Site.publish`): the record's page, its rows in
every list it belongs to, the lists' landing pages and feeds, the column indexes, the home page,
its search and sitemap shards. Withdrawing takes all of that down again.

**Nothing is public until the whole change is consistent.** Every publication and withdrawal is
one transaction (`govdisclose_static_site._commit`), holding ``fcntl.flock`` on
``.catalog.lock`` from reading the site's state to the end of the switch:

* everything that can fail is done first and nothing of it is public: the state is read (a
  damaged state file raises `CatalogDamaged` naming it), every page is rendered and every new
  file is written into a private directory inside the site (the same file system) and synced;
* only then the switch: a backup of every file about to change (a hard link), a journal, one
  atomic ``os.replace`` per file (the record's page first, the lists after it, the state last;
  removed pages after every write, so a reader following a link never meets a missing page),
  then the journal is deleted;
* an error during the switch puts every file back from its backups before it is raised, and a
  crash during it is undone by the next transaction on the site, from the journal.

Why not a versioned directory switched by one symlink rename? The directory the web server
serves would have to become a symlink, each publication would link every page of the site into
the next version (a hundred thousand links for one record), and old versions would need a
collector. The per-file switch changes only the files the publication changes, and what a
concurrent reader may see during the microseconds it lasts is harmless: a page that no list links
to yet, or a list that no longer links to a page that is being removed.

**Concurrency.** Two processes or threads publishing to one directory take turns on the lock, so
neither loses the other's record. ``flock`` locks are advisory and local: every writer must be
this publisher (or a `Site` build), and on a network file system the directory must support
``flock`` (NFSv4 emulates it with byte-range locks).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import attrs

from govdisclose.model import Publication
from govdisclose.public import PublicRecord, require_cleared
from govdisclose.store import Store
from govdisclose.vocab import PublicationChannel
from govdisclose_static_site._state import State
from govdisclose_static_site.build import BuildResult, CatalogEntry, Site, SiteConfig
from govdisclose_static_site.errors import StaticSiteError
from govdisclose_static_site.naming import PAGES_DIR, page_name

__all__ = ["CatalogEntry", "StaticSitePublisher"]

_SHANGHAI = ZoneInfo("Asia/Shanghai")


def _now() -> datetime:
    # The publication time is a fact of the I/O edge: when the page was really written.
    return datetime.now(_SHANGHAI)


@attrs.define
class StaticSitePublisher:
    """Publishes cleared records onto a static 政府信息公开专栏 (and withdraws them).

    :param root: the site's directory (created if missing).
    :param base_url: the public address of ``root``; page URLs are joined to it.
    :param site_title: the column's title.
    :param agency_names: agency code -> name for the 发布机构 line, for agencies the site's last
        build from the store did not name.
    :param clock: gives the publication time; the real clock by default (tests pass a fixed one).
    :param config: the site's settings (`SiteConfig`: guide, key areas, owner, page size);
        built from ``root``, ``base_url``, ``site_title`` and ``agency_names`` when not given.
        Give the publisher the settings the site was built with: pages it renders take the
        settings it has.

    .. versionchanged:: 0.2.0 `publish` receives the cleared `PublicRecord`; `withdraw`; the
       whole publication is one atomic change; page names are collision-free
       (`govdisclose_static_site.naming`); characters invalid in XML never reach a file; the
       record goes onto the whole column (its lists, feeds, search), and the catalogue is the
       site's state (``.govdisclose-site/``) instead of ``catalog.json``; ``config``.
    """

    root: Path = attrs.field(converter=Path)
    base_url: str = "./"
    site_title: str = "政府信息公开专栏"
    agency_names: Mapping[str, str] = attrs.field(factory=dict)
    clock: Callable[[], datetime] = _now
    name: str = "static-site"
    config: SiteConfig | None = None

    def settings(self) -> SiteConfig:
        """The `SiteConfig` the publisher renders with."""
        if self.config is not None:
            return attrs.evolve(self.config, root=self.root)
        return SiteConfig(
            root=self.root,
            base_url=self.base_url,
            title=self.site_title,
            agency_names=dict(self.agency_names),
        )

    def publish(self, view: PublicRecord) -> Publication:
        """Put ``view`` on the site with everything that lists it, all at once.

        :raises PublishBlocked: ``view`` is not one the publication guard cleared.
        :raises CatalogDamaged: a state file of the site cannot be read; nothing was changed.
        :raises StaticSiteError: the clock is naive; nothing was changed.
        """
        view = require_cleared(view, publisher=self.name)
        published_at = self._time()
        config = self.settings()
        Site(config).publish(view, published_at)
        return Publication(
            publisher=self.name,
            channel=PublicationChannel.PORTAL,
            published_at=published_at,
            url=urljoin(config.base_url, page_name(view.id)),
            scope=view.scope,
        )

    def build(self, store: Store, *, as_of: date, **options: Any) -> BuildResult:
        """Build the whole column this publisher publishes to from ``store``
        (`govdisclose_static_site.build_site` with the publisher's settings; the keyword
        options are `Site.build`'s). A host that only has the publishers of the plugin manager
        (`govdisclose.plugins.collect_publishers`) builds the site through this."""
        return Site(self.settings()).build(store, as_of=as_of, **options)

    def withdraw(self, view: PublicRecord) -> None:
        """Take ``view``'s page down, and its rows, feed entries and search entry, all at once.

        Any `PublicRecord` is accepted, also one the guard would no longer clear (a record
        whose attribute changed is the one to take down): withdrawing discloses nothing. Only
        ``view.id`` is used; `govdisclose.publishing.public_view` makes a view of a `Record`.
        Withdrawing a record that is not on the site changes nothing.

        :raises CatalogDamaged: a state file of the site cannot be read; nothing was changed.
        """
        if not isinstance(view, PublicRecord):
            raise TypeError(f"withdraw takes a PublicRecord, got {type(view).__name__}")
        Site(self.settings()).withdraw([view.id])

    def recover(self) -> None:
        """Undo what a crashed publication left half switched (every publication and withdrawal
        does this first; a host may call it at start-up so the site is whole before then)."""
        Site(self.settings()).recover()

    def catalog(self) -> list[CatalogEntry]:
        """Everything on the site, newest first (its first publication).

        :raises CatalogDamaged: a state file cannot be read.
        """
        return Site(self.settings()).catalog()

    def orphan_pages(self) -> list[str]:
        """The files under ``records/`` that are no record's page, sorted (a page an earlier
        version of the publisher left, a file put there by hand). The publisher never deletes
        a file it did not write."""
        state = State(self.root, self.settings().page_size)
        state.manifest.load_all()
        ours = {path for path, _ in state.manifest.items()}
        pages = self.root / PAGES_DIR
        if not pages.is_dir():
            return []
        found = (f"{PAGES_DIR}/{p.name}" for p in pages.iterdir() if not p.is_dir())
        return sorted(p for p in found if p not in ours)

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
