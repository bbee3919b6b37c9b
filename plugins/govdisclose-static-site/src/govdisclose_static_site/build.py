"""The 政府信息公开专栏 built from the store, and kept up to date one change at a time.

`build_site` (or `Site.build`) reads the store: every agency, every record with its publications
(the register of published documents, `govdisclose.publishing.register`), the applications'
tallies and the review cases for the annual reports. A record is on the site when the register
has a live publication of it (on any channel, not withdrawn: `govdisclose.outbox.withdraw`
takes a record off every channel and the register keeps the withdrawn lines, marked; its
发布日期 is the first live one) and the publication guard
clears it on the build day (`govdisclose.publishing.clear`): the pages are rendered from the
cleared `govdisclose.public.PublicRecord` only, never from a `Record`. The layout::

    index.html                      专栏首页: the columns and the newest information
    guide/index.html, guide/form.html   政府信息公开指南 and the printable application form
    zd/                             政府信息公开制度 (records with the key area 政府信息公开制度)
    fdzdgk/index.html, fdzdgk/NN/   法定主动公开内容 by the fifteen items of 条例 第二十条
    zdly/index.html, zdly/<code>/   重点领域 columns (`KeyAreaCatalogue`)
    catalogue/                      政府信息公开目录: everything, and by topic/, agency/, year/
    jd/                             政策解读
    ysq/index.html                  依申请公开: how to apply, the year's statistics
    reports/index.html, reports/<year>/<agency>.html   the annual reports (and consolidated ones)
    search/index.html, search/index.json, search/t/, search/b/   static search (`_search`)
    records/<name>.html             one page per record (`govdisclose_static_site.naming`)
    feed.atom, <column>/feed.atom   Atom feeds, the whole site and each column
    sitemap.xml, sitemaps/*.xml     the sitemap (when ``base_url`` is absolute)
    assets/site.css, assets/search.js
    .govdisclose-site/              what the site was built from (`_state`; private)

Every list is shown newest first, on pages of ``page_size`` records (the column's landing page
shows its newest two pages' worth). Pages keep their records as the site grows: a new
publication changes the newest page only.

**Reproducible.** Nothing on a page depends on when it was built, only on the data: building
twice from the same store on the same day gives byte-identical files (the build day matters only
to the guard, to the time limits and fee rules the guide cites, and to which reports exist).

**Incremental.** The state beside the site records each record's cleared view and the lists it
is in, the rows of every page and the hash of every file written (the manifest). A build on an
existing site compares the store with the state and renders only what changed: the record's
page, the pages that link to it (its interpretations, the policies it interprets), the pages of
its lists that show it, their landing pages and feeds, the column indexes, the home page, its
search shard and sitemap shard; a file whose new text has the hash the manifest has is not
written at all. `update_site` does the same for named records without reading the whole store,
and `govdisclose_static_site.StaticSitePublisher` for one cleared view at a time. A change of
the settings or of the plugin's templates renders every page again.

**Atomic.** A build into a missing or empty directory writes a private directory that is renamed
into place when complete; every other build or update is one transaction of
`govdisclose_static_site._commit` (journaled, undone after a crash), holding the site's lock.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import attrs
from attrs import field, frozen

from govdisclose.errors import PublishBlocked
from govdisclose.metadata import TopicVocabulary
from govdisclose.model import Record
from govdisclose.params import ParameterSet
from govdisclose.public import PublicRecord, require_cleared
from govdisclose.publishing import clear, register
from govdisclose.report import (
    AnnualReport,
    ReportTexts,
)
from govdisclose.rules import RuleContext, RuleSet
from govdisclose.serde import make_converter
from govdisclose.store import Store
from govdisclose.vocab import DocumentKind
from govdisclose_static_site._commit import (
    DirectoryTaken,
    fresh_directory,
    transaction,
)
from govdisclose_static_site._pages import (
    SEARCH_SHARD,
    Emitter,
    PageRendering,
    _contact,
)
from govdisclose_static_site._render import (
    ASSETS,
    asset_text,
    source_digest,
)
from govdisclose_static_site._reports import (
    ReportSource,
    SitePages,
    build_reports,
    owner_of,
    report_years,
)
from govdisclose_static_site._state import (
    FORMAT,
    STATE_DIR,
    Row,
    State,
    sort_key,
)
from govdisclose_static_site.catalogues import (
    KeyAreaCatalogue,
    article20_items,
    article20_of,
)
from govdisclose_static_site.errors import CatalogDamaged, StaticSiteError
from govdisclose_static_site.guide import DisclosureGuide
from govdisclose_static_site.naming import PAGES_DIR, legacy_page_name, page_name, page_stem

__all__ = [
    "BuildResult",
    "CatalogEntry",
    "Site",
    "SiteConfig",
    "build_site",
    "update_site",
]

#: The catalogue file of the 0.1.0 publisher, the sign of a site it wrote.
LEGACY_CATALOG = "catalog.json"
_LEGACY_PAGE = re.compile(rf"{PAGES_DIR}/[A-Za-z0-9_.-]+\.html")
_SYSTEM_AREA = "政府信息公开制度"
_FIXED_LISTS = {
    "catalogue": ("fixed", "政府信息公开目录"),
    "zd": ("fixed", "政府信息公开制度"),
    "jd": ("fixed", "政策解读"),
}


@functools.cache
def _bundled_topics() -> TopicVocabulary:
    # Read once per process: every SiteConfig (one per publication) uses it.
    return TopicVocabulary.bundled()


def _positive(inst: Any, att: attrs.Attribute[Any], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 2:
        raise StaticSiteError(
            f"{att.name} 应为不小于2的整数",
            f"{att.name} must be an integer of at least 2",
            field=att.name,
            code="static_site.bad_setting",
        )


@frozen
class SiteConfig:
    """How a site looks and where it goes (everything but the data).

    :param root: the directory the web server serves.
    :param base_url: its public address; absolute (``https://...``) for feeds with absolute
        links and for the sitemap, which is only written then.
    :param title: the column's title (``政府信息公开专栏``).
    :param owner: the code of the agency whose column this is (主办单位); by default the
        government at the root of the store's agencies.
    :param agency_names: agency code -> name shown as 发布机构, over the store's names.
    :param guide: the 政府信息公开指南 settings (`govdisclose_static_site.guide`).
    :param key_areas: the 重点领域 catalogue (the shipped one by default).
    :param topics: the 主题分类 vocabulary the catalogue's topic pages are named by.
    :param page_size: records per page of a list.
    :param system_area: the key area that makes a record a 政府信息公开制度 page.
    """

    root: Path = field(converter=Path)
    base_url: str = "./"
    title: str = "政府信息公开专栏"
    owner: str | None = None
    agency_names: Mapping[str, str] = field(factory=dict)
    guide: DisclosureGuide | None = None
    key_areas: KeyAreaCatalogue = field(factory=KeyAreaCatalogue.bundled)
    topics: TopicVocabulary = field(factory=lambda: _bundled_topics(), eq=False)
    page_size: int = field(default=20, validator=_positive)
    system_area: str = _SYSTEM_AREA

    def signature(self) -> str:
        """What the pages' rendering depends on besides the data: when it changes, every page
        is rendered again."""
        parts = {
            "format": FORMAT,
            "sources": source_digest(),
            "base_url": self.base_url,
            "title": self.title,
            "owner": self.owner,
            "page_size": self.page_size,
            "system_area": self.system_area,
            "key_areas": repr(self.key_areas.areas),
            "topics": self.topics.version,
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


@frozen
class BuildResult:
    """What a build or an update did.

    :param records: records on the site afterwards.
    :param written: public files written (new or changed), in order.
    :param removed: public files removed.
    :param blocked: ``(record id, reason)`` of published records the guard no longer clears:
        they are not (or no longer) on the site.
    :param reports: annual-report pages on the site (a full build only; else 0).
    :param fresh: the site was built into a new directory.
    :param empty_columns: the columns (第二十条's items, the key areas, 政策解读, 政府信息公开制度)
        that list no record after a full build, by their labels; what a webmaster checks
        before the column goes online (a full build only; else empty).
    """

    root: Path
    records: int
    written: tuple[str, ...]
    removed: tuple[str, ...]
    blocked: tuple[tuple[str, str], ...] = ()
    reports: int = 0
    fresh: bool = False
    empty_columns: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether any public file changed."""
        return bool(self.written or self.removed)


@frozen
class CatalogEntry:
    """One published record as the catalogue lists it.

    :param page: the record's page, relative to the site's root.

    .. versionchanged:: 0.2.0 read from the site's state (``.govdisclose-site/``), not from
       ``catalog.json``; ``published_at`` is the first publication.
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
        """The page's path relative to the site's root."""
        return self.page if self.page is not None else page_name(self.record_id)


# -- site pages from the store ------------------------------------------------------------------


# -- the engine ---------------------------------------------------------------------------------


def _guard(
    context: RuleContext | None,
    rules: RuleSet | None,
    as_of: date,
    now: datetime | None,
    find: Callable[[str], Record | None],
) -> Callable[[Record], PublicRecord]:
    """`govdisclose.publishing.clear` with the build day as the rules' ``as_of`` and the store
    to look interpretations up in (GD-R014), unless ``context`` sets them."""
    ctx = context or RuleContext()
    if ctx.as_of is None:
        ctx = attrs.evolve(ctx, as_of=as_of)
    if ctx.find_record is None:
        ctx = attrs.evolve(ctx, find_record=find)
    ruleset = rules if rules is not None else RuleSet.default()
    return functools.partial(clear, rules=ruleset, context=ctx, now=now)


@frozen
class _Change:
    view: PublicRecord
    at: datetime


def _plain(view: PublicRecord) -> dict[str, Any]:
    data: dict[str, Any] = _CONVERTER.unstructure(view)
    # JSON has no tuples: stored views compare equal to fresh ones only as lists.
    data["key_areas"] = list(view.key_areas)
    data["interpretations"] = list(view.interpretations)
    return data


_CONVERTER = make_converter()


class Site(PageRendering):
    """One 政府信息公开专栏 directory: built from a store, updated record by record.

    The methods take the site's lock for their whole run; see the module's description.
    """

    def __init__(self, config: SiteConfig) -> None:
        self.config = config

    # -- public operations ----------------------------------------------------------------------

    def build(
        self,
        store: Store,
        *,
        as_of: date,
        params: ParameterSet | None = None,
        context: RuleContext | None = None,
        rules: RuleSet | None = None,
        guard: Callable[[Record], PublicRecord] | None = None,
        reports: Iterable[AnnualReport] | None = None,
        report_texts: ReportTexts | None = None,
        now: datetime | None = None,
        progress: Callable[[Iterable[str]], Iterable[str]] | None = None,
    ) -> BuildResult:
        """Build the whole site from ``store`` as of ``as_of`` (into a fresh directory, or in
        place, rewriting only what changed).

        :param params: the legal parameters the guide cites (`ParameterSet.default` by default).
        :param context: / :param rules: what the guard checks with (the build day is the rules'
            ``as_of`` unless ``context`` sets one).
        :param guard: replaces `govdisclose.publishing.clear` (a host's configured guard); it
            must return the cleared `PublicRecord` or raise `PublishBlocked`.
        :param reports: the annual reports to publish; by default every agency's report of
            every complete year with records since 2019, built from the store, and each
            government's consolidated report with its departments (`govdisclose.report.rollup`).
        :param report_texts: the narrative sections of the reports built by default.
        :param now: the moment of the build, for the guard's timed releases (择时公开, GD-P007:
            without it a record held back is shown only from the day after its moment).
        :param progress: wraps the record pages as they are rendered, the ids of the records
            (`govdisclose.progress.terminal_progress` draws a bar; none by default).
        """
        params = params or ParameterSet.default()
        agencies = list(store.agencies())
        names = {a.code: a.name for a in agencies} | dict(self.config.agency_names)
        records = list(store.records())
        by_id = {r.id: r for r in records}
        check = guard or _guard(context, rules, as_of, now, by_id.get)
        first: dict[str, datetime] = {}
        for entry in register(records):
            if entry.withdrawal is not None:
                # 撤回: the register keeps the line, marked; the site no longer shows it.
                continue
            at = entry.publication.published_at
            if entry.record_id not in first or at < first[entry.record_id]:
                first[entry.record_id] = at
        targets: dict[str, _Change] = {}
        blocked: list[tuple[str, str]] = []
        for record in records:
            first_at = first.get(record.id)
            if first_at is None:
                continue
            try:
                view = require_cleared(check(record), publisher="static-site")
            except PublishBlocked as err:
                blocked.append((record.id, err.message_zh))
                continue
            targets[record.id] = _Change(view, first_at)
        source = ReportSource(store, records, agencies)
        if reports is None:
            built, _notes = build_reports(
                source, agencies, report_years(records, as_of), report_texts
            )
        else:
            built = list(reports)
        pages = SitePages(
            as_of=as_of,
            params=params,
            reports=tuple(self._report(r) for r in built),
            statistics=(),
        )
        pages = attrs.evolve(pages, statistics=self._statistics(pages.reports, built, agencies))
        owner = owner_of(agencies, self.config.owner)
        result = self._run(
            targets,
            full=True,
            names=names,
            owner=owner.code if owner else None,
            pages=pages,
            progress=progress,
        )
        return attrs.evolve(
            result,
            blocked=tuple(blocked),
            reports=len(pages.reports),
            empty_columns=self.empty_columns(),
        )

    def update(
        self,
        store: Store,
        record_ids: Iterable[str],
        *,
        as_of: date,
        context: RuleContext | None = None,
        rules: RuleSet | None = None,
        guard: Callable[[Record], PublicRecord] | None = None,
        now: datetime | None = None,
    ) -> BuildResult:
        """Bring the named records' pages up to date from ``store`` (without reading the rest):
        a record that is published (a live publication: not withdrawn) and cleared is put on
        the site or changed there, any other (unpublished, withdrawn, blocked, deleted) is
        taken off. The options are `build`'s."""

        def find(rid: str) -> Record | None:
            return store.get_record(rid) if store.record_version(rid) else None

        check = guard or _guard(context, rules, as_of, now, find)
        changes: dict[str, _Change | None] = {}
        blocked: list[tuple[str, str]] = []
        for rid in dict.fromkeys(record_ids):
            if not store.record_version(rid):
                changes[rid] = None
                continue
            record = store.get_record(rid)
            published = [p.published_at for p in record.live_publications]
            if not published:
                changes[rid] = None
                continue
            try:
                view = require_cleared(check(record), publisher="static-site")
            except PublishBlocked as err:
                blocked.append((rid, err.message_zh))
                changes[rid] = None
                continue
            changes[rid] = _Change(view, min(published))
        result = self._run(changes, full=False, names=None, owner=None, pages=None, first_day=as_of)
        return attrs.evolve(result, blocked=tuple(blocked))

    def publish(self, view: PublicRecord, published_at: datetime) -> BuildResult:
        """Put one cleared view on the site (or change it there): what the publisher does.

        ``published_at`` is kept only for a record not on the site yet: a record's date on the
        site is its first publication.
        """
        view = require_cleared(view, publisher="static-site")
        return self._run(
            {view.id: _Change(view, published_at)},
            full=False,
            names=None,
            owner=None,
            pages=None,
            keep_first=True,
            first_day=published_at.date(),
        )

    def withdraw(self, record_ids: Iterable[str]) -> BuildResult:
        """Take records off the site (their pages, their rows, their feed and search entries)."""
        changes: dict[str, _Change | None] = dict.fromkeys(record_ids)
        return self._run(changes, full=False, names=None, owner=None, pages=None)

    def recover(self) -> None:
        """Undo what a crashed run left half switched."""
        with transaction(self.config.root):
            pass

    def empty_columns(self) -> tuple[str, ...]:
        """The labels of the columns (第二十条's items, the key areas, 政策解读, 制度) that list
        no record, in the order of the site's state."""
        lists = State(self.config.root, self.config.page_size).site.get("lists", {})
        return tuple(
            str(info["label"])
            for _, info in sorted(lists.items())
            if info["kind"] in ("fixed", "area", "item") and not info["count"]
        )

    def catalog(self) -> list[CatalogEntry]:
        """Everything on the site, newest first (read from the state)."""
        state = State(self.config.root, self.config.page_size)
        state.entries.load_all()
        names = dict(state.site.get("agencies", {}))
        found = []
        for rid, entry in state.entries.items():
            view = entry["view"]
            at = datetime.fromisoformat(entry["at"])
            page = page_name(rid)
            found.append(
                CatalogEntry(
                    record_id=rid,
                    title=view["title"],
                    url=urljoin(self.config.base_url, page),
                    published_at=at,
                    formed_on=date.fromisoformat(view["formed_on"]),
                    index_number=view.get("index_number"),
                    document_number=view.get("document_number"),
                    agency=names.get(view["agency"], view["agency"]),
                    page=page,
                )
            )
        found.sort(key=lambda e: sort_key(e.published_at, e.record_id), reverse=True)
        return found

    # -- the run ------------------------------------------------------------------------------

    def _run(
        self,
        changes: Mapping[str, _Change | None],
        *,
        full: bool,
        names: Mapping[str, str] | None,
        owner: str | None,
        pages: SitePages | None,
        keep_first: bool = False,
        first_day: date | None = None,
        progress: Callable[[Iterable[str]], Iterable[str]] | None = None,
    ) -> BuildResult:
        root = self.config.root
        if full and (not root.exists() or (root.is_dir() and not any(root.iterdir()))):
            try:
                with fresh_directory(root) as out:
                    state = State(out.work, self.config.page_size, fresh=True)
                    emitter = Emitter(state, out)
                    count = self._execute(
                        emitter,
                        changes,
                        full=True,
                        names=names,
                        owner=owner,
                        pages=pages,
                        progress=progress,
                    )
                    emitter.flush()
                return BuildResult(root, count, tuple(emitter.written), (), fresh=True)
            except DirectoryTaken:
                pass  # another writer created the site meanwhile: update it in place
        with transaction(root) as txn:
            state = State(root, self.config.page_size)
            legacy = self._check_layout(state, full=full)
            emitter = Emitter(state, txn)
            count = self._execute(
                emitter,
                changes,
                full=full,
                names=names,
                owner=owner,
                pages=pages,
                keep_first=keep_first,
                first_day=first_day,
                progress=progress,
            )
            for path in legacy:
                emitter.remove_foreign(path)
            for rid, change in changes.items():
                # A page under a withdrawn record's name that the site does not know (left by
                # an earlier version): taken down all the same, withdrawing discloses nothing.
                if change is None and (root / page_name(rid)).is_file():
                    emitter.remove_foreign(page_name(rid))
            emitter.flush()
            txn.commit()
        return BuildResult(root, count, tuple(emitter.written), tuple(emitter.removals))

    def _check_layout(self, state: State, *, full: bool) -> list[str]:
        """The files a site written by the 0.1.0 publisher has that a build removes (its
        ``catalog.json`` and record pages): a full build replaces such a site; a publication
        into it is refused until then."""
        root = self.config.root
        fmt = state.site.get("format")
        if state.exists:
            if fmt != FORMAT:
                raise StaticSiteError(
                    f"静态站点 {root} 的状态格式为 {fmt}，本版本为 {FORMAT}；"
                    "请删除该目录后从存储重建站点",
                    f"the static site {root} has state format {fmt}, this version writes "
                    f"{FORMAT}; remove the directory and build the site from the store again",
                    field=str(root / STATE_DIR / "site.json"),
                    code="static_site.old_state",
                )
            return []
        legacy = root / LEGACY_CATALOG
        if not legacy.exists():
            return []
        if not full:
            raise StaticSiteError(
                f"静态站点 {root} 是 0.1.0 版发布器写的（{LEGACY_CATALOG}）；"
                "请先用 build_site 从存储重建站点",
                f"the static site {root} was written by the 0.1.0 publisher ({LEGACY_CATALOG}); "
                "build it from the store with build_site first",
                field=str(legacy),
                code="static_site.old_layout",
            )
        try:
            entries = json.loads(legacy.read_text("utf-8"))
            pages = [
                e["page"] if e.get("page") else legacy_page_name(e["record_id"]) for e in entries
            ]
        except (
            OSError,
            UnicodeDecodeError,
            ValueError,
            TypeError,
            KeyError,
            AttributeError,
        ) as err:
            raise CatalogDamaged(legacy, f"{type(err).__name__}: {err}") from err
        found = [LEGACY_CATALOG]
        for page in pages:
            if not isinstance(page, str) or not _LEGACY_PAGE.fullmatch(page):
                raise CatalogDamaged(legacy, f"an entry names the page {page!r}")
            found.append(page)
        return found

    def _execute(
        self,
        emitter: Emitter,
        changes: Mapping[str, _Change | None],
        *,
        full: bool,
        names: Mapping[str, str] | None,
        owner: str | None,
        pages: SitePages | None,
        keep_first: bool = False,
        first_day: date | None = None,
        progress: Callable[[Iterable[str]], Iterable[str]] | None = None,
    ) -> int:
        """Apply ``changes`` to the state and render what they touch; returns the number of
        records on the site."""
        cfg = self.config
        state = emitter.state
        site = state.site
        first_run = not state.exists
        if first_run and pages is None and all(c is None for c in changes.values()):
            return 0  # nothing on the site, nothing to take off: no site is made
        # Site-wide values: the agencies' names, the owner, the signature, the lists' registry.
        old_names: dict[str, str] = dict(site.get("agencies", {}))
        # A build: the store's names (and the settings' over them). An update: the names of the
        # last build; the settings name only the agencies it did not.
        new_names = dict(names) if names is not None else {**cfg.agency_names, **old_names}
        renamed = any(old_names.get(c) not in (None, n) for c, n in new_names.items())
        if owner is None:
            owner = site.get("owner") or cfg.owner
        contact = _contact(cfg.guide) if cfg.guide is not None else site.get("contact")
        if names is not None:
            contact = _contact(cfg.guide) if cfg.guide is not None else None
        signature = cfg.signature()
        everything = (
            first_run
            or site.get("signature") != signature
            or renamed
            or (owner, contact) != (site.get("owner"), site.get("contact"))
        )
        registry: dict[str, dict[str, Any]] = {k: dict(v) for k, v in site.get("lists", {}).items()}
        registry_before = json.dumps(registry, sort_keys=True)
        for lid, (kind, label) in self._declared().items():
            registry.setdefault(lid, {"kind": kind, "label": label, "count": 0})
        changed_site: dict[str, Any] = {
            "format": FORMAT,
            "signature": signature,
            "agencies": dict(sorted(new_names.items())),
            "owner": owner,
            "contact": contact,
            "seq": int(site.get("seq", 0)),
        }
        names_now = changed_site["agencies"]
        renderer = self._renderer(names_now, owner, contact)

        # 1. the records' state and their lists.
        dirty_records: set[str] = set()  # pages to render again
        changed_ids: set[str] = set()  # records whose entry changed (search items)
        dirty_shards: set[int] = set()
        if full:
            state.entries.load_all()
            targets = dict(changes)
            for rid, _ in list(state.entries.items()):
                targets.setdefault(rid, None)
        else:
            targets = dict(changes)
        fresh_views: dict[str, PublicRecord] = {}
        ordered = sorted(
            targets.items(),
            key=lambda kv: (kv[1] is not None, sort_key(kv[1].at, kv[0]) if kv[1] else [kv[0]]),
        )
        if everything and state.exists:
            state.entries.load_all()
        for rid, change in ordered:
            old = state.entries.get(rid)
            if change is None:
                if old is None:
                    continue
                self._remove(state, registry, rid, old, dirty_records, dirty_shards)
                emitter.drop(page_name(rid))
                changed_ids.add(rid)
                if old["seq"] == changed_site["seq"] - 1:
                    # The newest record taken back (a publication withdrawn at once): the next
                    # one gets its number, and the state is as before it.
                    changed_site["seq"] = old["seq"]
                continue
            at = change.at
            if keep_first and old is not None:
                at = datetime.fromisoformat(old["at"])
            view = _plain(change.view)
            iso = at.isoformat()
            if old is not None and old["view"] == view and old["at"] == iso and not everything:
                continue
            fresh_views[rid] = change.view
            seq = old["seq"] if old is not None else changed_site["seq"]
            if old is None:
                changed_site["seq"] = seq + 1
            day = at.date().isoformat()
            lists = self._lists_of(view, day)
            entry = {
                "view": view,
                "at": iso,
                "day": day,
                "seq": seq,
                "lists": [lid for lid, _, _ in lists],
            }
            self._put(state, registry, rid, old, entry, lists, dirty_records, dirty_shards)
            changed_ids.add(rid)
        if everything and state.exists:
            # Settings changed: every record's lists are computed again, every page rendered.
            for rid, entry in list(state.entries.items()):
                if rid in fresh_views or (rid in targets and targets[rid] is None):
                    continue
                found = self._lists_of(entry["view"], entry["day"])
                ids = [lid for lid, _, _ in found]
                if ids != entry["lists"]:
                    new_entry = dict(entry, lists=ids)
                    self._put(
                        state, registry, rid, entry, new_entry, found, dirty_records, dirty_shards
                    )
                dirty_records.add(rid)
                dirty_shards.add(entry["seq"] // SEARCH_SHARD)

        # 2. the lists' counts, then the pages.
        every = [state.list_state(lid) for lid in sorted(registry)] if everything else None
        touched = [
            lst
            for lst in (every if every is not None else state.loaded_lists())
            if lst.touched or everything
        ]
        for lst in touched:
            info = registry.get(lst.id)
            if info is None:
                continue
            info["count"] = lst.count
            if info["count"] == 0 and info["kind"] not in ("fixed", "area", "item"):
                del registry[lst.id]
                for path in (f"{lst.id}/index.html", f"{lst.id}/feed.atom"):
                    emitter.drop(path)
        for name in ASSETS:
            emitter.put(f"assets/{name}", asset_text(name))
        rendering = sorted(dirty_records)
        for rid in progress(rendering) if progress is not None else rendering:
            stored = state.entries.get(rid)
            if stored is None:
                continue
            shown = fresh_views.get(rid) or _CONVERTER.structure(stored["view"], PublicRecord)
            emitter.put(
                page_name(rid), self._record_page(renderer, state, rid, stored, shown, registry)
            )
        for lst in touched:
            if everything:
                lst.dirty.update(c["id"] for c in lst.chunks)
            self._list_pages(renderer, emitter, lst, registry)
        registry_changed = json.dumps(registry, sort_keys=True) != registry_before
        count = int(registry["catalogue"]["count"])
        if touched or everything or registry_changed:
            self._index_pages(renderer, emitter, state, registry, count)
        # 3. search and sitemap shards.
        shards = list(site.get("shards", []))
        if dirty_shards or everything:
            shards = self._search(
                renderer, emitter, state, changed_ids, dirty_shards, count, everything, shards
            )
        if registry_changed or everything:
            self._site_map(renderer, emitter, registry)
        # 4. the pages from the store (a full build), or their first version (a first update).
        reports = list(site.get("reports", []))
        if pages is None and first_run and first_day is not None:
            # A site started by a publication: the guide, the form and the other fixed pages
            # exist from the start (the reports come with the first build from the store).
            pages = SitePages(first_day, ParameterSet.default(), (), ())
        if pages is not None:
            reports = self._site_pages(renderer, emitter, pages, count, owner, reports)
        changed_site["lists"] = dict(sorted(registry.items()))
        changed_site["shards"] = shards
        changed_site["reports"] = reports
        if changed_site != site:
            state.site = changed_site
            state.site_dirty = True
        return count

    # -- records and lists --------------------------------------------------------------------

    def _declared(self) -> dict[str, tuple[str, str]]:
        found = dict(_FIXED_LISTS)
        for item in article20_items():
            found[f"fdzdgk/{item.slug}"] = ("item", item.label)
        for area in self.config.key_areas:
            found[f"zdly/{area.code}"] = ("area", area.name)
        return found

    def _topic(self, topic: str) -> tuple[str, str]:
        found = self.config.topics.get(topic)
        if found is not None:
            return "t" + found.code.replace(".", "-"), found.path
        text = topic.strip()
        return "x" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12], text

    def _lists_of(self, view: Mapping[str, Any], day: str) -> list[tuple[str, str, str]]:
        """``(list id, kind, label)`` of every list a record is in."""
        found = [("catalogue", "fixed", "政府信息公开目录")]
        topic = view.get("topic")
        if topic and topic.strip():
            slug, label = self._topic(topic)
            found.append((f"catalogue/topic/{slug}", "topic", label))
        found.append((f"catalogue/agency/{page_stem(view['agency'])}", "agency", view["agency"]))
        found.append((f"catalogue/year/{day[:4]}", "year", day[:4]))
        areas = self.config.key_areas.areas_of(view["key_areas"])
        kind = DocumentKind.from_code(view["kind"])
        # A record names an item of 第二十条 by its column's label (机构职能, 规划信息 ...) when no
        # key area covers it; the key areas and the document kind give the others.
        named = {i.number for i in article20_items() if i.label in view["key_areas"]}
        for number in sorted(set(article20_of(kind, areas)) | named):
            item = article20_items()[number - 1]
            found.append((f"fdzdgk/{item.slug}", "item", item.label))
        for area in areas:
            found.append((f"zdly/{area.code}", "area", area.name))
        if self.config.system_area in view["key_areas"]:
            found.append(("zd", "fixed", "政府信息公开制度"))
        if kind is DocumentKind.POLICY_INTERPRETATION:
            found.append(("jd", "fixed", "政策解读"))
        return found

    @staticmethod
    def _row(rid: str, entry: Mapping[str, Any]) -> Row:
        view = entry["view"]
        at = datetime.fromisoformat(entry["at"])
        return Row(
            k=sort_key(at, rid),
            id=rid,
            page=page_name(rid),
            title=view["title"],
            published=entry["day"],
            formed=view["formed_on"],
            index=view.get("index_number"),
            number=view.get("document_number"),
            agency=view["agency"],
            validity=view.get("validity", "valid"),
            repealed=view.get("repealed_on"),
        )

    def _put(
        self,
        state: State,
        registry: dict[str, dict[str, Any]],
        rid: str,
        old: Mapping[str, Any] | None,
        entry: dict[str, Any],
        lists: Sequence[tuple[str, str, str]],
        dirty_records: set[str],
        dirty_shards: set[int],
    ) -> None:
        row = self._row(rid, entry)
        old_row = self._row(rid, old) if old is not None else None
        old_lists = set(old["lists"]) if old is not None else set()
        labels = {lid: (kind, label) for lid, kind, label in lists}
        for lid in entry["lists"]:
            lst = state.list_state(lid)
            if lid not in registry:
                kind, label = labels.get(lid, ("topic", lid))
                registry[lid] = {"kind": kind, "label": label, "count": 0}
            if old_row is not None and lid in old_lists and old_row["k"] == row["k"]:
                if not lst.replace(row):
                    lst.insert(row)
            else:
                if old_row is not None and lid in old_lists:
                    lst.remove(old_row["k"])
                lst.insert(row)
        if old is not None and old_row is not None:
            for lid in old_lists - set(entry["lists"]):
                state.list_state(lid).remove(old_row["k"])
        state.entries.set(rid, entry)
        dirty_records.add(rid)
        dirty_shards.add(entry["seq"] // SEARCH_SHARD)
        old_targets = set(old["view"]["interpretations"]) if old is not None else set()
        new_targets = set(entry["view"]["interpretations"])
        self._relink(state, rid, old_targets, new_targets)
        dirty_records.update(t for t in old_targets | new_targets if state.entries.get(t))
        dirty_records.update(state.backlinks.get(rid) or ())

    def _remove(
        self,
        state: State,
        registry: dict[str, dict[str, Any]],
        rid: str,
        old: Mapping[str, Any],
        dirty_records: set[str],
        dirty_shards: set[int],
    ) -> None:
        old_row = self._row(rid, old)
        for lid in old["lists"]:
            state.list_state(lid).remove(old_row["k"])
        state.entries.pop(rid)
        dirty_shards.add(old["seq"] // SEARCH_SHARD)
        targets = set(old["view"]["interpretations"])
        self._relink(state, rid, targets, set())
        dirty_records.update(t for t in targets if state.entries.get(t))
        dirty_records.update(state.backlinks.get(rid) or ())
        dirty_records.discard(rid)

    @staticmethod
    def _relink(state: State, rid: str, old: set[str], new: set[str]) -> None:
        for target in old - new:
            sources = [s for s in state.backlinks.get(target) or [] if s != rid]
            if sources:
                state.backlinks.set(target, sources)
            else:
                state.backlinks.pop(target)
        for target in new - old:
            sources = sorted({*(state.backlinks.get(target) or []), rid})
            state.backlinks.set(target, sources)


def build_site(store: Store, config: SiteConfig, *, as_of: date, **options: Any) -> BuildResult:
    """`Site.build` of a `Site` with ``config`` (the keyword options are `Site.build`'s)."""
    return Site(config).build(store, as_of=as_of, **options)


def update_site(
    store: Store, config: SiteConfig, record_ids: Iterable[str], *, as_of: date, **options: Any
) -> BuildResult:
    """`Site.update` of a `Site` with ``config``."""
    return Site(config).update(store, record_ids, as_of=as_of, **options)
