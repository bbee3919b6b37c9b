"""Every page of the column, rendered from the state and the data (internal).

`PageRendering` is the part of `govdisclose_static_site.build.Site` that turns the state into
files: record pages, the lists' pages, landing pages and feeds, the column indexes, the home
page, the search shards, the sitemap, and the pages from the store (the guide, the form, the
依申请公开 page, the reports). `Emitter` writes a file only when its hash differs from the
manifest's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from govdisclose.fees import (
    FEES_IN_FORCE_FROM,
    PER_APPLICATION_BANDS,
    PER_APPLICATION_STEP,
    PER_VOLUME_BANDS,
    REGULATION,
)
from govdisclose.model import Agency
from govdisclose.params import Citation
from govdisclose.public import PublicRecord
from govdisclose.report import (
    AnnualReport,
)
from govdisclose.report.render_html import render_html
from govdisclose.vocab import Channel, Validity
from govdisclose_static_site import _search as search
from govdisclose_static_site._commit import (
    FreshDirectory,
    Transaction,
)
from govdisclose_static_site._form import FORM, FORM_DOCX, FORM_TITLE, render_form_docx
from govdisclose_static_site._render import (
    Renderer,
    depth_prefix,
)
from govdisclose_static_site._reports import (
    Report,
    SitePages,
    owner_of,
    report_path,
    statistics_table,
)
from govdisclose_static_site._state import (
    ListState,
    State,
    digest,
    dump,
)
from govdisclose_static_site.catalogues import (
    KeyArea,
    article20_items,
)
from govdisclose_static_site.errors import CatalogDamaged
from govdisclose_static_site.guide import DisclosureGuide
from govdisclose_static_site.naming import page_name
from govdisclose_static_site.text import clean

if TYPE_CHECKING:
    from govdisclose_static_site.build import SiteConfig

__all__ = ["Emitter", "PageRendering"]

#: Sequence numbers per record sitemap (``sitemaps/rN.xml``) and per unit of the search index's
#: rebuild (its blocks of `govdisclose_static_site._search.BLOCK` records).
SEARCH_SHARD = 1000
#: Entries in each Atom feed.
FEED_SIZE = 20
#: Older pages linked from a column's landing page.
OLDER_LINKS = 12
#: The ``updated`` of a feed without entries: the day the 2019 条例 took effect (第五十六条), a
#: date from the law rather than from the clock.
_EMPTY_FEED_UPDATED = "2019-05-15T00:00:00+08:00"
_GROUPS = {
    "catalogue/topic": "主题分类",
    "catalogue/agency": "发布机构",
    "catalogue/year": "年份",
}
#: When an application counts as received, by channel (条例 2019 第三十一条: in person the day it is
#: handed in; by post the day the agency signs for it, an ordinary letter the day of
#: confirmation; online or by fax the day both sides confirm).
_RECEIPT = {
    Channel.IN_PERSON: "当面提交的，以提交之日为收到申请之日",
    Channel.POST: "以邮寄方式提交的，以本机关签收之日为收到申请之日",
    Channel.ORDINARY_LETTER: (
        "以平常信函等无需签收的方式邮寄的，本机关于收到当日与申请人确认，确认之日为收到申请之日"
    ),
    Channel.ONLINE: "通过互联网渠道提交的，以双方确认之日为收到申请之日",
    Channel.FAX: "通过传真提交的，以双方确认之日为收到申请之日",
    Channel.EMAIL: "通过电子邮件提交的，以双方确认之日为收到申请之日",
    Channel.OTHER: "以双方确认之日为收到申请之日",
}


def _feed_time(key: list[str]) -> str:
    # The key's UTC instant, 20250305T013000.000000 -> 2025-03-05T01:30:00Z.
    t = key[0]
    return f"{t[0:4]}-{t[4:6]}-{t[6:8]}T{t[9:11]}:{t[11:13]}:{t[13:15]}Z"


def _e(text: str) -> str:
    """``text`` cleaned and escaped for HTML (markupsafe, as the templates escape)."""
    return str(escape(clean(text)))


def _meta_row(pairs: Sequence[tuple[str, str]]) -> str:
    # The metadata table's rows, built here rather than in the template: a record page is the
    # most numerous page and these are most of its values; every value is escaped.
    cells = "".join(f'<th scope="row">{_e(k)}</th><td>{_e(v)}</td>' for k, v in pairs)
    if len(pairs) == 1:
        cells = cells.replace("<td>", '<td colspan="3">', 1)
    return f"<tr>{cells}</tr>"


def _paragraphs(body: str) -> list[str]:
    return [line.strip() for line in clean(body).splitlines() if line.strip()]


class Emitter:
    """The public files of one run: a file is written (staged, in a transaction) as soon as it
    is rendered, and only when its hash differs from the manifest's; removals come after every
    write, the state files last (`flush`)."""

    def __init__(self, state: State, out: Transaction | FreshDirectory) -> None:
        self.state = state
        self.out = out
        self.written: list[str] = []
        self.removals: list[str] = []
        self._claimed: set[str] = set()

    def put(self, path: str, text: str | bytes) -> None:
        if path in self._claimed:
            return
        self._claimed.add(path)
        h = digest(text)
        if self.state.manifest.get(path) == h:
            return
        self.state.manifest.set(path, h)
        self.out.write(path, text)
        self.written.append(path)

    def drop(self, path: str) -> None:
        if path in self._claimed:
            return
        self._claimed.add(path)
        if self.state.manifest.pop(path) is not None:
            self.removals.append(path)

    def remove_foreign(self, path: str) -> None:
        """Remove a file the manifest does not know (one an earlier version wrote)."""
        if path not in self._claimed:
            self._claimed.add(path)
            self.removals.append(path)

    def flush(self) -> None:
        for path in self.removals:
            self.out.remove(path)
        for rel, text in self.state.changed():
            if text is None:
                self.out.remove(rel)
            else:
                self.out.write(rel, text)


class PageRendering:
    """The rendering half of `govdisclose_static_site.build.Site` (a mixin: ``config`` is the
    site's `SiteConfig`)."""

    config: SiteConfig

    # -- rendering ------------------------------------------------------------------------------

    def _renderer(
        self, names: Mapping[str, str], owner: str | None, contact: str | None
    ) -> Renderer:
        cfg = self.config
        owner_name = names.get(owner, owner) if owner else cfg.title
        return Renderer(
            title=cfg.title,
            owner_name=owner_name or cfg.title,
            base_url=cfg.base_url,
            contact=contact,
            sitemap=cfg.base_url.startswith(("https://", "http://")),
            names=names,
        )

    def _link(self, state: State, rid: str) -> dict[str, str] | None:
        entry = state.entries.get(rid)
        if entry is None:
            return None
        return {"page": page_name(rid), "title": entry["view"]["title"], "published": entry["day"]}

    def _record_page(
        self,
        renderer: Renderer,
        state: State,
        rid: str,
        entry: Mapping[str, Any],
        view: PublicRecord,
        registry: Mapping[str, Mapping[str, Any]],
    ) -> str:
        names = renderer.names
        agency = names.get(view.agency, view.agency)
        validity = view.validity
        repealed = view.repealed_on.isoformat() if view.repealed_on else None
        shown_validity = validity.label + (f"（{repealed}）" if repealed else "")
        meta: list[tuple[tuple[str, str], ...]] = [
            (("索引号", view.index_number or ""), ("主题分类", view.topic or "")),
            (("发布机构", agency), ("成文日期", view.formed_on.isoformat())),
            (("文号", view.document_number or ""), ("发布日期", entry["day"])),
            (("信息类别", view.kind.label), ("有效性", shown_validity)),
            (("公开方式", "主动公开"), ("公开范围", view.scope.label)),
        ]
        if view.changed_on is not None:
            meta.append((("变更日期", view.changed_on.isoformat()),))
        meta_html = Markup("\n".join(_meta_row(row) for row in meta))
        notice, notice_kind = "", ""
        if validity is Validity.REPEALED:
            when = f"于{repealed}" if repealed else ""
            notice, notice_kind = f"本文件已{when}废止，仅供查阅。", "repealed"
        elif validity is Validity.EXPIRED:
            when = f"于{repealed}" if repealed else ""
            notice, notice_kind = f"本文件已{when}失效，仅供查阅。", "expired"
        elif validity is Validity.AMENDED:
            notice, notice_kind = "本文件已修改，请以修改后的文本为准。", "amended"
        interpretations = [x for x in (self._link(state, t) for t in view.interpretations) if x]
        interpreted = [
            x for x in (self._link(state, s) for s in state.backlinks.get(rid) or []) if x
        ]
        columns = []
        for lid in entry["lists"]:
            info = registry.get(lid)
            if info is None:
                continue
            kind, label = info["kind"], info["label"]
            if lid == "catalogue":
                columns.append(("政府信息公开目录", "catalogue/index.html"))
            elif kind == "agency":
                columns.append((f"发布机构：{names.get(label, label)}", f"{lid}/index.html"))
            elif kind == "topic":
                columns.append((f"主题分类：{label}", f"{lid}/index.html"))
            elif kind == "year":
                columns.append((f"{label}年", f"{lid}/index.html"))
            elif kind == "item":
                columns.append((f"法定主动公开内容：{label}", f"{lid}/index.html"))
            elif kind == "area":
                columns.append((f"重点领域：{label}", f"{lid}/index.html"))
            else:
                columns.append((label, f"{lid}/index.html"))
        return renderer.page(
            "record.html",
            page_name(rid),
            page_title=view.title,
            section="catalogue",
            crumbs=(("政府信息公开目录", "catalogue/index.html"), (view.title, None)),
            title=view.title,
            meta=meta_html,
            notice=notice,
            notice_kind=notice_kind,
            body=Markup("\n".join(f"<p>{_e(p)}</p>" for p in _paragraphs(view.body))),
            interpretations=interpretations,
            interpreted=interpreted,
            columns=columns,
        )

    def _list_heading(
        self, lid: str, info: Mapping[str, Any], names: Mapping[str, str]
    ) -> tuple[str, str, list[tuple[str, str]], list[tuple[str, str | None]], str]:
        """Heading, description, facts, breadcrumb and navigation section of a list."""
        kind, label = info["kind"], info["label"]
        if lid == "catalogue":
            return (
                "政府信息公开目录",
                "本机关主动公开的全部政府信息，按发布时间由新到旧排列；也可以按主题分类、发布机构或年份浏览。",
                [],
                [("政府信息公开目录", None)],
                "catalogue",
            )
        if lid == "zd":
            return (
                "政府信息公开制度",
                "本机关政府信息公开工作的制度规定（《条例》第四条：各级人民政府及县级以上人民政府部门应当建立健全本行政机关的政府信息公开工作制度）。",
                [],
                [("政府信息公开制度", None)],
                "zd",
            )
        if lid == "jd":
            return (
                "政策解读",
                "对本机关重要政策文件的解读；解读页与所解读的文件互相链接。",
                [],
                [("政策解读", None)],
                "jd",
            )
        if kind == "item":
            item = article20_items()[int(lid.rsplit("/", 1)[1]) - 1]
            return (
                f"{item.numeral}{item.label}",
                item.text,
                [("依据", item.citation)],
                [("法定主动公开内容", "fdzdgk/index.html"), (item.label, None)],
                "fdzdgk",
            )
        if kind == "area":
            area = next((a for a in self.config.key_areas if f"zdly/{a.code}" == lid), None)
            if area is None:
                return label, "", [], [("重点领域", "zdly/index.html"), (label, None)], "zdly"
            return (
                area.name,
                area.content,
                _area_facts(area),
                [("重点领域", "zdly/index.html"), (area.name, None)],
                "zdly",
            )
        group = lid.rsplit("/", 1)[0]
        group_label = _GROUPS.get(group, "")
        shown = names.get(label, label) if kind == "agency" else label
        heading = f"{shown}年发布的信息" if kind == "year" else f"{group_label}：{shown}"
        return (
            heading,
            "",
            [],
            [
                ("政府信息公开目录", "catalogue/index.html"),
                (group_label, f"{group}/index.html"),
                (shown, None),
            ],
            "catalogue",
        )

    def _list_pages(
        self,
        renderer: Renderer,
        emitter: Emitter,
        lst: ListState,
        registry: Mapping[str, Mapping[str, Any]],
    ) -> None:
        names = renderer.names
        info = registry.get(lst.id, {"kind": "topic", "label": lst.id})
        heading, description, facts, crumbs, section = self._list_heading(lst.id, info, names)
        landing = f"{lst.id}/index.html"
        feed = "feed.atom" if lst.id == "catalogue" else f"{lst.id}/feed.atom"
        for cid in sorted(lst.gone):
            emitter.drop(f"{lst.id}/p{cid}.html")
        chunks = lst.chunks
        position = {c["id"]: i for i, c in enumerate(chunks)}
        total = len(chunks)
        ids = [c["id"] for c in chunks]
        if ids != lst.loaded_ids:
            # 第N页 counts from the oldest page (第1页, the 末页), so that a new page added at
            # the newest end leaves every other page's number as it was: only a page whose
            # number moved (a page older than it was split or emptied), or all of them when the
            # oldest page changed (their 末页 link), is rendered again.
            before = {cid: j for j, cid in enumerate(lst.loaded_ids)}
            moved = ids[:1] != lst.loaded_ids[:1]
            lst.dirty.update(cid for i, cid in enumerate(ids) if moved or before.get(cid) != i)
        for cid in sorted(lst.dirty):
            if cid not in position:
                continue
            i = position[cid]
            rows = list(reversed(lst.rows(cid)))
            number = i + 1
            pager = _pager(
                landing,
                number,
                newer=f"{lst.id}/p{chunks[i + 1]['id']}.html" if i + 1 < total else None,
                older=f"{lst.id}/p{chunks[i - 1]['id']}.html" if i > 0 else None,
                last=f"{lst.id}/p{chunks[0]['id']}.html",
            )
            first_day, last_day = rows[-1]["published"], rows[0]["published"]
            emitter.put(
                f"{lst.id}/p{cid}.html",
                renderer.page(
                    "list.html",
                    f"{lst.id}/p{cid}.html",
                    page_title=f"{heading}（第{number}页）",
                    section=section,
                    crumbs=[*crumbs[:-1], (crumbs[-1][0], landing)],
                    heading=heading,
                    range_text=f"第{number}页：{first_day} 至 {last_day} 发布的 {len(rows)} 条"
                    "信息（页码自最早发布的信息起编）",
                    description="",
                    facts=[],
                    count=None,
                    rows=renderer.rows(rows, depth_prefix(f"{lst.id}/p{cid}.html")),
                    pager=pager,
                    older=[],
                    groups=[],
                    feed=feed,
                    feed_title=heading,
                ),
            )
        if lst.count == 0 and info["kind"] not in ("fixed", "area", "item"):
            return
        newest = [row for c in chunks[-2:][::-1] for row in reversed(lst.rows(c["id"]))]
        older = []
        for n, chunk in zip(
            range(total - 2, 0, -1), list(reversed(chunks[:-2]))[:OLDER_LINKS], strict=False
        ):
            rows = lst.rows(chunk["id"])
            older.append(
                (
                    f"第{n}页：{rows[0]['published']} 至 {rows[-1]['published']}（{len(rows)}条）",
                    f"{lst.id}/p{chunk['id']}.html",
                )
            )
        # The landing page shows the newest two pages: its 下一页 is the third newest.
        landing_pager = (
            _pager(
                landing,
                0,
                older_number=total - 2,
                newer=None,
                older=f"{lst.id}/p{chunks[-3]['id']}.html" if total > 2 else None,
                last=f"{lst.id}/p{chunks[0]['id']}.html" if total > 2 else None,
            )
            if total > 2
            else []
        )
        groups = []
        if lst.id == "catalogue":
            for group, title in _GROUPS.items():
                items = [
                    (_facet_label(v, names), f"{k}/index.html", v["count"])
                    for k, v in sorted(registry.items(), key=_registry_order)
                    if k.startswith(group + "/") and v["count"]
                ]
                groups.append({"title": f"按{title}浏览", "links": items})
        emitter.put(
            landing,
            renderer.page(
                "list.html",
                landing,
                page_title=heading,
                section=section,
                crumbs=crumbs,
                heading=heading,
                range_text="",
                description=description,
                facts=facts,
                count=lst.count,
                rows=renderer.rows(newest, depth_prefix(landing)),
                pager=landing_pager,
                older=older,
                groups=groups,
                feed=feed,
                feed_title=heading,
            ),
        )
        feed_rows = lst.newest(FEED_SIZE)
        title = self.config.title if lst.id == "catalogue" else f"{heading} - {self.config.title}"
        emitter.put(
            feed,
            renderer.xml(
                "feed.atom",
                feed_id=renderer.url(feed),
                title=title,
                updated=_feed_time(feed_rows[0]["k"]) if feed_rows else _EMPTY_FEED_UPDATED,
                self_url=renderer.url(feed),
                html_url=renderer.url(landing),
                author=renderer.site["owner_name"],
                entries=[
                    {
                        "url": renderer.url(r["page"]),
                        "title": r["title"],
                        "updated": _feed_time(r["k"]),
                        "agency": names.get(r["agency"], r["agency"]),
                        "summary": " ".join(x for x in (r["number"], r["index"]) if x),
                    }
                    for r in feed_rows
                ],
            ),
        )

    def _index_pages(
        self,
        renderer: Renderer,
        emitter: Emitter,
        state: State,
        registry: Mapping[str, Mapping[str, Any]],
        count: int,
    ) -> None:
        names = renderer.names
        counts = {k: v["count"] for k, v in registry.items()}
        # 法定主动公开内容: the fifteen items.
        rows = []
        for item in article20_items():
            lid = f"fdzdgk/{item.slug}"
            rows.append(
                {
                    "cells": [f"{item.numeral}{item.label}", item.text, str(counts.get(lid, 0))],
                    "path": f"{lid}/index.html",
                }
            )
        emitter.put(
            "fdzdgk/index.html",
            renderer.page(
                "group.html",
                "fdzdgk/index.html",
                page_title="法定主动公开内容",
                section="fdzdgk",
                crumbs=(("法定主动公开内容", None),),
                heading="法定主动公开内容",
                description="按《中华人民共和国政府信息公开条例》第二十条列出本机关应当主动公开的十五项政府信息；规章和行政规范性文件列入第（一）项，其余各项由所属重点领域确定。",
                table={"columns": ["项目", "内容（条例第二十条）", "条数"], "rows": rows},
                note="第二十一条规定的市政建设、公共服务、公益事业、土地征收、房屋征收、治安管理、社会救助等信息见重点领域。",
            ),
        )
        # 重点领域: the catalogue with its owners, limits and methods.
        rows = []
        for area in self.config.key_areas:
            lid = f"zdly/{area.code}"
            rows.append(
                {
                    "cells": [
                        area.name,
                        area.content,
                        area.owner,
                        area.time_limit,
                        area.method,
                        str(counts.get(lid, 0)),
                    ],
                    "path": f"{lid}/index.html",
                }
            )
        emitter.put(
            "zdly/index.html",
            renderer.page(
                "group.html",
                "zdly/index.html",
                page_title="重点领域信息公开",
                section="zdly",
                crumbs=(("重点领域", None),),
                heading="重点领域信息公开",
                description="重点领域信息公开目录：每一领域的公开内容、责任单位、公开时限和公开方式，以及本专栏已公开的信息条数。",
                table={
                    "columns": ["领域", "公开内容", "责任单位", "公开时限", "公开方式", "条数"],
                    "rows": rows,
                },
                note=f"目录版本：{self.config.key_areas.version}。{self.config.key_areas.source}",
            ),
        )
        # The catalogue's facets.
        for group, title in _GROUPS.items():
            rows = []
            for lid, info in sorted(registry.items(), key=_registry_order):
                if not lid.startswith(group + "/") or not info["count"]:
                    continue
                label = _facet_label(info, names)
                rows.append({"cells": [label, str(info["count"])], "path": f"{lid}/index.html"})
            emitter.put(
                f"{group}/index.html",
                renderer.page(
                    "group.html",
                    f"{group}/index.html",
                    page_title=f"按{title}浏览",
                    section="catalogue",
                    crumbs=(("政府信息公开目录", "catalogue/index.html"), (f"按{title}浏览", None)),
                    heading=f"政府信息公开目录：按{title}浏览",
                    description="",
                    table={"columns": [title, "条数"], "rows": rows},
                    note="",
                ),
            )
        # The home page.
        newest = state.list_state("catalogue").newest(10)
        cards = [
            (
                "guide/index.html",
                "政府信息公开指南",
                "公开的方式、工作机构、申请渠道、办理时限、收费和救济途径",
            ),
            (
                "zd/index.html",
                "政府信息公开制度",
                f"本机关的公开工作制度（{counts.get('zd', 0)}条）",
            ),
            ("fdzdgk/index.html", "法定主动公开内容", "按条例第二十条列出的十五项主动公开内容"),
            (
                "zdly/index.html",
                "重点领域信息公开",
                f"{len(self.config.key_areas)}个重点领域，每一领域的责任单位、时限和方式",
            ),
            (
                "catalogue/index.html",
                "政府信息公开目录",
                f"全部{count}条信息，按主题分类、发布机构、年份浏览",
            ),
            ("ysq/index.html", "依申请公开", "申请方式、申请表和年度办理情况"),
            ("reports/index.html", "政府信息公开工作年度报告", "历年年度报告"),
            ("search/index.html", "站内检索", "按标题、文号或索引号检索"),
        ]
        owner_name = renderer.site["owner_name"]
        emitter.put(
            "index.html",
            renderer.page(
                "home.html",
                "index.html",
                page_title="首页",
                section="home",
                heading=self.config.title,
                intro=f"本专栏集中发布{owner_name}依法主动公开的政府信息（《条例》第二十三条、第二十四条），并提供政府信息公开指南、申请渠道和年度报告。",
                cards=[{"path": p, "label": label, "text": t} for p, label, t in cards],
                rows=renderer.rows(newest, ""),
                feed="feed.atom",
                feed_title=self.config.title,
            ),
        )
        emitter.put(
            "search/index.html",
            renderer.page(
                "search.html",
                "search/index.html",
                page_title="站内检索",
                section="search",
                crumbs=(("站内检索", None),),
                heading="站内检索",
                count=count,
            ),
        )

    def _search(
        self,
        renderer: Renderer,
        emitter: Emitter,
        state: State,
        changed: set[str],
        shards: set[int],
        count: int,
        everything: bool,
        known: list[int],
    ) -> list[int]:
        """The search index (`govdisclose_static_site._search`: the blocks of records, the
        postings of each character, ``index.json``) and the record sitemaps (one per shard of
        ``SEARCH_SHARD`` sequence numbers). A rebuild reads back and writes only the blocks
        of the shards that changed and the postings of the characters whose records changed."""
        names = renderer.names
        by_shard: dict[int, dict[str, Any]] = {}
        if everything:
            for rid, entry in state.entries.items():
                by_shard.setdefault(entry["seq"] // SEARCH_SHARD, {})[rid] = entry
            wanted = sorted(set(by_shard) | set(known))
        else:
            wanted = sorted(shards)
        old_index = _read_public_object(state, "search/index.json")
        df: dict[str, int] = dict(old_index.get("terms") or {})
        # character -> sequence number -> whether the record now holds it
        changes: dict[str, dict[int, bool]] = {}
        full: dict[str, list[int]] = {}
        present = set(known)
        per_shard = SEARCH_SHARD // search.BLOCK
        for n in wanted:
            blocks = range(n * per_shard, (n + 1) * per_shard)
            if everything:
                items = {
                    rid: _search_item(rid, entry, names)
                    for rid, entry in by_shard.get(n, {}).items()
                }
                for item in items.values():
                    for term in search.terms_of(item):
                        full.setdefault(term, []).append(item["s"])
            else:
                items = {
                    i["id"]: i
                    for b in blocks
                    for i in _read_public_json(state, search.block_path(b))
                }
                for rid in changed:
                    entry = state.entries.get(rid)
                    old = items.pop(rid, None)
                    new = None
                    if entry is not None and entry["seq"] // SEARCH_SHARD == n:
                        new = _search_item(rid, entry, names)
                        items[rid] = new
                    before = search.terms_of(old) if old is not None else frozenset()
                    after = search.terms_of(new) if new is not None else frozenset()
                    # Only the characters gained or lost: an edit of the text touches few.
                    for term in before - after:
                        changes.setdefault(term, {})[old["s"]] = False  # type: ignore[index]
                    for term in after - before:
                        changes.setdefault(term, {})[new["s"]] = True  # type: ignore[index]
                    if old is not None and new is not None and old["s"] != new["s"]:
                        for term in before & after:
                            changes.setdefault(term, {})[old["s"]] = False
                            changes[term][new["s"]] = True
            grouped: dict[int, list[dict[str, Any]]] = {}
            for item in items.values():
                grouped.setdefault(item["s"] // search.BLOCK, []).append(item)
            for b in blocks:
                block = sorted(grouped.get(b, ()), key=lambda i: i["s"])
                if block:
                    emitter.put(search.block_path(b), dump(block))
                else:
                    emitter.drop(search.block_path(b))
            ordered = sorted(items.values(), key=lambda i: (i["d"], i["id"]), reverse=True)
            if not ordered:
                emitter.drop(f"sitemaps/r{n}.xml")
                present.discard(n)
                continue
            present.add(n)
            if renderer.absolute:
                urls = [(renderer.url(i["u"]), i["m"]) for i in ordered]
                emitter.put(f"sitemaps/r{n}.xml", renderer.xml("urlset.xml", urls=urls))
        if everything:
            for term in sorted(set(df) - set(full)):
                emitter.drop(search.term_path(term))
            df = {}
            for term, seqs in full.items():
                seqs.sort()
                emitter.put(search.term_path(term), dump(search.encode(seqs)))
                df[term] = len(seqs)
        else:
            for term, moves in sorted(changes.items()):
                path = search.term_path(term)
                current = search.decode(_read_public_json(state, path)) if term in df else []
                current = search.apply(current, moves)
                if current:
                    emitter.put(path, dump(search.encode(current)))
                    df[term] = len(current)
                else:
                    emitter.drop(path)
                    df.pop(term, None)
        shard_list = sorted(present)
        emitter.put(
            "search/index.json",
            dump({"count": count, "block": search.BLOCK, "terms": dict(sorted(df.items()))}),
        )
        if renderer.absolute:
            maps = ["sitemaps/site.xml", *(f"sitemaps/r{n}.xml" for n in shard_list)]
            emitter.put(
                "sitemap.xml",
                renderer.xml("sitemapindex.xml", maps=[renderer.url(m) for m in maps]),
            )
        return shard_list

    def _site_map(
        self, renderer: Renderer, emitter: Emitter, registry: Mapping[str, Mapping[str, Any]]
    ) -> None:
        if not renderer.absolute:
            return
        fixed = [
            "index.html",
            "guide/index.html",
            "guide/form.html",
            "fdzdgk/index.html",
            "zdly/index.html",
            "catalogue/topic/index.html",
            "catalogue/agency/index.html",
            "catalogue/year/index.html",
            "ysq/index.html",
            "reports/index.html",
            "search/index.html",
        ]
        lists = [f"{lid}/index.html" for lid in sorted(registry)]
        emitter.put(
            "sitemaps/site.xml",
            renderer.xml("urlset.xml", urls=[(renderer.url(p), None) for p in fixed + lists]),
        )

    def _site_pages(
        self,
        renderer: Renderer,
        emitter: Emitter,
        pages: SitePages,
        count: int,
        owner: str | None,
        previous: Sequence[Mapping[str, Any]],
    ) -> list[dict[str, Any]]:
        """The guide, the form, the 依申请公开 page and the reports; returns what the state
        keeps of the reports (their pages, so that one that is no longer built is removed)."""
        owner_name = renderer.site["owner_name"]
        guide = self.config.guide
        snapshot = pages.params.at(pages.as_of)
        limits: list[tuple[str, str, str]] = []
        since: list[date] = []
        for name, item, text in _LIMITS:
            if name not in snapshot:
                continue
            limits.append(
                (item, text.format(days=snapshot.value(name)), _cite(snapshot.citation(name)))
            )
            since.append(snapshot.since(name))
        fees = None
        if pages.as_of >= FEES_IN_FORCE_FROM:
            fees = {
                "regulation": REGULATION,
                "rows": _fee_rows(),
                "payment_days": snapshot.value("fee_payment_days")
                if "fee_payment_days" in snapshot
                else 20,
                "payment_citation": _cite(snapshot.citation("fee_payment_days"))
                if "fee_payment_days" in snapshot
                else REGULATION,
            }
            since.append(FEES_IN_FORCE_FROM)
        updated = max([*since, *([guide.updated_on] if guide else [])], default=pages.as_of)
        channels = [
            {"label": c.channel.label, "detail": c.detail, "receipt": _RECEIPT[c.channel]}
            for c in (guide.apply_channels if guide else ())
        ]
        offices = []
        for office in guide.offices if guide else ():
            rows = [
                ("名称", office.name),
                ("办公地址", office.address),
                ("邮政编码", office.postcode),
                ("办公时间", office.hours),
                ("联系电话", office.phone),
                ("传真", office.fax),
                ("电子邮箱", office.email),
                ("网址", office.website),
            ]
            offices.append({"name": office.name, "rows": [(k, v) for k, v in rows if v]})
        if not offices:
            offices.append(
                {
                    "name": "政府信息公开工作机构",
                    "rows": [("名称", "（本机关尚未设置工作机构信息）")],
                }
            )
        system = [
            ("法定主动公开内容", "fdzdgk/index.html", "按《条例》第二十条所列十五项编排"),
            (
                "重点领域信息公开",
                "zdly/index.html",
                "按重点领域目录编排，注明每一领域的责任单位、公开时限和公开方式",
            ),
            (
                "政府信息公开目录",
                "catalogue/index.html",
                "全部主动公开信息，可按主题分类、发布机构和年份浏览",
            ),
            ("政府信息公开制度", "zd/index.html", "本机关的政府信息公开工作制度"),
            ("政策解读", "jd/index.html", "重要政策文件的解读"),
            (
                "政府信息公开工作年度报告",
                "reports/index.html",
                "每年发布的年度报告（《条例》第四十九条、第五十条）",
            ),
        ]
        proactive = snapshot.get("proactive_days") or 20
        emitter.put(
            "guide/index.html",
            renderer.page(
                "guide.html",
                "guide/index.html",
                page_title="政府信息公开指南",
                section="guide",
                crumbs=(("政府信息公开指南", None),),
                heading=f"{owner_name}政府信息公开指南",
                updated=updated.isoformat(),
                system=system,
                proactive_days=proactive,
                proactive_citation=_cite(snapshot.citation("proactive_days"))
                if "proactive_days" in snapshot
                else "《条例》第二十六条",
                reading_rooms=list(guide.reading_rooms) if guide else [],
                channels=channels,
                offices=offices,
                limits_day=max(since).isoformat() if since else pages.as_of.isoformat(),
                limits=limits,
                fees=fees,
                supervisor=(
                    guide.supervisor
                    if guide and guide.supervisor
                    else "本级政府信息公开工作主管部门"
                ),
                reconsideration=(
                    guide.reconsideration
                    if guide and guide.reconsideration
                    else "依法履行行政复议职责的行政机关"
                ),
                court=guide.court if guide and guide.court else "有管辖权的人民法院",
                note=guide.note if guide else "",
            ),
        )
        reply = snapshot.get("reply_days") or 20
        reply_citation = (
            _cite(snapshot.citation("reply_days"))
            if "reply_days" in snapshot
            else "《条例》第三十三条"
        )
        lead = (
            f"本表供向{owner_name}申请获取政府信息使用，可打印后手工填写（A4），也可按下列项目"
            "自行书写申请（《条例》第二十九条）。一份申请表请只申请一项政府信息。"
        )
        note = (
            "申请人身份证明（身份证件复印件或者营业执照等）请随申请一并提交。本机关收到申请后，"
            f"能够当场答复的当场答复，不能当场答复的自收到申请之日起{reply}个工作日内答复"
            f"（{reply_citation}）。"
        )
        emitter.put(
            "guide/form.html",
            renderer.page(
                "form.html",
                "guide/form.html",
                page_title=FORM_TITLE,
                section="guide",
                crumbs=(("政府信息公开指南", "guide/index.html"), (FORM_TITLE, None)),
                heading=FORM_TITLE,
                lead=lead,
                note=note,
                sections=FORM,
                docx=FORM_DOCX,
            ),
        )
        # On paper the lead says only what the applicant must know (the page says more).
        paper = "请逐项填写；一份申请表请只申请一项政府信息（《条例》第二十九条）。"
        emitter.put(
            FORM_DOCX,
            render_form_docx(agency=str(owner_name), lead=paper, note=note, dated=updated),
        )
        correction = snapshot.get("correction_notice_days") or 7
        extension = snapshot.get("extension_days") or 20
        steps = [
            "提交申请：以书面形式（含信件、数据电文）向本机关政府信息公开工作机构提出，写明申请人信息、所需信息的名称或特征描述和获取方式（《条例》第二十九条）。",
            f"补正：申请内容不明确的，本机关自收到申请之日起{correction}个工作日内一次性告知补正；答复期限自收到补正的申请之日起计算（《条例》第三十条）。",
            "征求意见：公开会损害第三方合法权益的，书面征求第三方意见，所需时间不计入答复期限（《条例》第三十二条、第三十三条）。",
            f"答复：能够当场答复的当场答复；不能当场答复的，自收到申请之日起{reply}个工作日内答复，需要延长的，经政府信息公开工作机构负责人同意并告知申请人，延长最长不超过{extension}个工作日（《条例》第三十三条）。",
            "救济：对答复不服的，可以依法申请行政复议或者提起行政诉讼（《条例》第五十一条），详见政府信息公开指南。",
        ]
        emitter.put(
            "ysq/index.html",
            renderer.page(
                "ysq.html",
                "ysq/index.html",
                page_title="依申请公开",
                section="ysq",
                crumbs=(("依申请公开", None),),
                heading="依申请公开",
                steps=steps,
                channels=channels
                or [{"label": "书面申请", "detail": "见政府信息公开指南", "receipt": ""}],
                statistics=list(pages.statistics),
            ),
        )
        years: dict[int, list[tuple[str, str]]] = {}
        kept: list[dict[str, Any]] = []
        for report in sorted(
            pages.reports, key=lambda r: (-r.year, not r.consolidated, r.agency != owner, r.path)
        ):
            years.setdefault(report.year, []).append((report.title, report.path))
            kept.append({"year": report.year, "title": report.title, "path": report.path})
            emitter.put(
                report.path,
                renderer.page(
                    "report.html",
                    report.path,
                    page_title=report.title,
                    section="reports",
                    crumbs=(
                        ("政府信息公开工作年度报告", "reports/index.html"),
                        (report.title, None),
                    ),
                    fragment=Markup(report.fragment),
                ),
            )
        emitter.put(
            "reports/index.html",
            renderer.page(
                "reports.html",
                "reports/index.html",
                page_title="政府信息公开工作年度报告",
                section="reports",
                crumbs=(("政府信息公开工作年度报告", None),),
                heading="政府信息公开工作年度报告",
                years=sorted(years.items(), reverse=True),
            ),
        )
        produced = {r["path"] for r in kept}
        for old in previous:
            if old["path"] not in produced:
                emitter.drop(old["path"])
        return kept

    # -- reports ------------------------------------------------------------------------------

    def _report(self, report: AnnualReport) -> Report:
        consolidated = bool(report.breakdown)
        title = f"{report.agency_name}{report.year}年政府信息公开工作年度报告"
        if consolidated:
            title += "（汇总）"
        return Report(
            year=report.year,
            agency=report.agency_code,
            title=title,
            path=report_path(report.year, report.agency_code, consolidated),
            fragment=render_html(report, fragment=True),
            consolidated=consolidated,
        )

    def _statistics(
        self, reports: Sequence[Report], built: Sequence[AnnualReport], agencies: Sequence[Agency]
    ) -> tuple[dict[str, Any], ...]:
        if not built:
            return ()
        owner = owner_of(agencies, self.config.owner)
        year = max(r.year for r in built)
        of_year = [(r, b) for r, b in zip(reports, built, strict=True) if b.year == year]
        chosen = next(
            ((r, b) for r, b in of_year if r.consolidated and owner and r.agency == owner.code),
            None,
        )
        chosen = chosen or next(
            ((r, b) for r, b in of_year if owner and r.agency == owner.code), None
        )
        chosen = chosen or of_year[0]
        return (statistics_table(chosen[1], chosen[0].title, chosen[0].path),)


#: The time limits the guide lists: (parameter, what, how the limit reads).
_LIMITS = (
    ("reply_days", "答复申请", "自收到申请之日起{days}个工作日内"),
    (
        "extension_days",
        "延长答复期限",
        "经政府信息公开工作机构负责人同意并告知申请人，最长{days}个工作日",
    ),
    ("correction_notice_days", "一次性告知补正", "自收到申请之日起{days}个工作日内"),
    (
        "third_party_reply_days",
        "第三方提出意见",
        "自收到征求意见书之日起{days}个工作日内（不计入答复期限）",
    ),
    (
        "co_producer_reply_days",
        "共同制作机关提出意见",
        "自收到征求意见书之日起{days}个工作日内，逾期视为同意公开",
    ),
    ("proactive_days", "主动公开", "自政府信息形成或者变更之日起{days}个工作日内"),
    ("fee_payment_days", "缴纳信息处理费", "自收到收费通知的次日起{days}个工作日内"),
)


def _cite(citation: Citation) -> str:
    """A citation as the guide prints it: the 2019 条例 as 《条例》 (the guide defines the short
    name in its first paragraph), any other instrument in full."""
    if "国务院令第711号" in citation.regulation:
        return f"《条例》{citation.article}"
    return str(citation)


def _yuan(amount: Any) -> str:
    return f"{amount:,.0f}元" if amount else "免费"


def _fee_rows() -> list[tuple[str, str, str, str]]:
    """The fee scales of 国办函〔2020〕109号 as rows: method, band, rate, article."""
    rows = []
    for band in PER_APPLICATION_BANDS:
        rows.append(
            (
                "按件计收（同一申请人一个自然月内累计）",
                f"第{band.first}—{band.last}件",
                _yuan(band.rate) + ("/件" if band.rate else ""),
                "第四条",
            )
        )
    width, increment = PER_APPLICATION_STEP
    start = (PER_APPLICATION_BANDS[-1].last or 0) + 1
    rows.append(
        (
            "按件计收（同一申请人一个自然月内累计）",
            f"第{start}件起",
            f"每增加{width}件，收费标准提高{increment:,.0f}元/件",
            "第四条",
        )
    )
    for band in PER_VOLUME_BANDS:
        span = f"第{band.first}—{band.last}页" if band.last else f"第{band.first}页起"
        rows.append(
            (
                "按量计收（同一申请）",
                span,
                _yuan(band.rate) + ("/页" if band.rate else ""),
                "第五条",
            )
        )
    return rows


def _pager(
    landing: str,
    number: int,
    *,
    newer: str | None,
    older: str | None,
    last: str | None,
    older_number: int | None = None,
) -> list[dict[str, Any]]:
    """The pager of a list page: 首页 上一页 第N页 下一页 末页, each with its aria-label; a link
    that leads nowhere is shown as text (``path`` None). Pages are numbered from the oldest
    (第1页 is the 末页), so that a page keeps its number as the list grows: 上一页 (newer) is
    第N+1页, 下一页 (older) 第N-1页. ``number`` 0 is the landing page (首页: the newest two
    pages), whose 下一页 is ``older_number``."""
    on_landing = number == 0
    below = older_number if on_landing else number - 1
    items: list[dict[str, Any]] = [
        {"label": "首页", "path": None, "aria": "首页（最新信息，当前页）", "current": True}
        if on_landing
        else {"label": "首页", "path": landing, "aria": "首页（最新信息）"},
        {
            "label": "上一页",
            "path": newer,
            "aria": f"上一页（第{number + 1}页，较新的信息）"
            if newer
            else "上一页（已是最新一页）",
            "rel": "prev",
        },
    ]
    if not on_landing:
        items.append(
            {
                "label": f"第{number}页",
                "path": None,
                "aria": f"第{number}页（页码自最早发布的信息起编）",
                "current": True,
            }
        )
    items.append(
        {
            "label": "下一页",
            "path": older,
            "aria": f"下一页（第{below}页，较早的信息）" if older else "下一页（已是末页）",
            "rel": "next",
        }
    )
    items.append(
        {
            "label": "末页",
            "path": last if last is not None and number != 1 else None,
            "aria": "末页（第1页，最早的信息）",
        }
    )
    return items


def _read_public_json(state: State, path: str) -> list[Any]:
    """A JSON list the site published itself (a search block or postings), read back to
    update it."""
    if state.manifest.get(path) is None:
        return []
    target = state.root / path
    try:
        data = json.loads(target.read_text("utf-8"))
    except (OSError, ValueError) as err:
        raise CatalogDamaged(target, f"{type(err).__name__}: {err}") from err
    if not isinstance(data, list):
        raise CatalogDamaged(target, "expected a JSON list")
    return data


def _read_public_object(state: State, path: str) -> dict[str, Any]:
    """A JSON object the site published itself (``search/index.json``), read back."""
    if state.manifest.get(path) is None:
        return {}
    target = state.root / path
    try:
        data = json.loads(target.read_text("utf-8"))
    except (OSError, ValueError) as err:
        raise CatalogDamaged(target, f"{type(err).__name__}: {err}") from err
    if not isinstance(data, dict):
        raise CatalogDamaged(target, "expected a JSON object")
    return data


def _contact(guide: DisclosureGuide) -> str:
    """The footer's contact line: the first disclosure office."""
    office = guide.offices[0]
    return f"{office.name} · 地址：{office.address} · 电话：{office.phone}"


def _facet_label(info: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """How a list is named in the catalogue's facets: the agency by name, the year with 年."""
    if info["kind"] == "agency":
        return str(names.get(info["label"], info["label"]))
    if info["kind"] == "year":
        return f"{info['label']}年"
    return str(info["label"])


def _registry_order(item: tuple[str, Mapping[str, Any]]) -> tuple[str, str]:
    lid, info = item
    if info["kind"] == "year":
        return (lid.rsplit("/", 1)[0], str(9999 - int(info["label"])))
    return (lid.rsplit("/", 1)[0], lid)


def _area_facts(area: KeyArea) -> list[tuple[str, str]]:
    facts = [
        ("责任单位", area.owner),
        ("公开时限", area.time_limit),
        ("公开方式", area.method),
    ]
    items = article20_items()
    if area.article20:
        facts.append(
            (
                "法定主动公开内容",
                "、".join(f"条例第二十条第{items[n - 1].numeral}项" for n in area.article20),
            )
        )
    if area.article21:
        facts.append(("法定主动公开内容", "条例第二十一条"))
    if area.basis:
        facts.append(("目录依据", area.basis))
    return facts


def _search_item(rid: str, entry: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    view = entry["view"]
    changed = view.get("changed_on")
    lastmod = max(entry["day"], changed) if changed else entry["day"]
    return {
        "id": rid,
        "s": entry["seq"],
        "t": clean(view["title"]),
        "u": page_name(rid),
        "d": entry["day"],
        "a": clean(names.get(view["agency"], view["agency"])),
        "n": clean(view.get("document_number") or ""),
        "i": clean(view.get("index_number") or ""),
        "m": lastmod,
    }
