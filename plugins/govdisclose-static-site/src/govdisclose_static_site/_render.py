"""The templates and the values they are given (internal).

Jinja2 renders every page, with autoescaping on for HTML and XML (a title such as ``关于<印发>``
is always text, never markup) and every value passed through `govdisclose_static_site.text.clean`
first, so no character an XML document or an HTML parser rejects reaches a file. Why Jinja2 and
not string formatting: about twenty page types share one layout (header, navigation, breadcrumb,
footer), and a template engine with autoescaping makes the escaping the default rather than a
call to remember at each of a few hundred interpolations; it is the engine Sphinx already brings
into every development environment of the project, and is a dependency of this plugin alone.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any
from urllib.parse import urljoin

import jinja2
from markupsafe import Markup, escape

from govdisclose.vocab import Validity
from govdisclose_static_site.text import clean

__all__ = [
    "ASSETS",
    "NAV",
    "Renderer",
    "asset_text",
    "depth_prefix",
    "source_digest",
]

#: The stylesheet and the script, copied to ``assets/``.
ASSETS = ("site.css", "search.js")

#: The columns of the navigation: (section, path, label), in the order a column shows them.
NAV: tuple[tuple[str, str, str], ...] = (
    ("guide", "guide/index.html", "公开指南"),
    ("zd", "zd/index.html", "公开制度"),
    ("fdzdgk", "fdzdgk/index.html", "法定主动公开内容"),
    ("zdly", "zdly/index.html", "重点领域"),
    ("catalogue", "catalogue/index.html", "公开目录"),
    ("ysq", "ysq/index.html", "依申请公开"),
    ("reports", "reports/index.html", "年度报告"),
    ("jd", "jd/index.html", "政策解读"),
)

_TEMPLATES = (
    "base.html",
    "chrome.html",
    "_rows.html",
    "record.html",
    "list.html",
    "group.html",
    "home.html",
    "guide.html",
    "form.html",
    "ysq.html",
    "reports.html",
    "report.html",
    "search.html",
    "feed.atom",
    "urlset.xml",
    "sitemapindex.xml",
)


_CLEANED: dict[str, str] = {}


def _finalize(value: Any) -> Any:
    # Every interpolated value, before escaping: invalid characters become U+FFFD. Short texts
    # repeat on every page (labels, names, paths): cleaned once each.
    if isinstance(value, Markup):
        return Markup(clean(str(value)))
    if isinstance(value, str):
        if len(value) > 40:
            return clean(value)
        found = _CLEANED.get(value)
        if found is None:
            if len(_CLEANED) > 100_000:
                _CLEANED.clear()
            found = _CLEANED[value] = clean(value)
        return found
    if value is None:
        return ""
    return value


def _e(text: str) -> str:
    return str(escape(clean(text)))


# The badge beside a title in a list: every 有效性 but 有效, by its label.
_BADGES = {v.code: v.label for v in Validity if v is not Validity.VALID}


def asset_text(name: str) -> str:
    """The shipped text of an asset (``site.css``, ``search.js``)."""
    return resources.files("govdisclose_static_site").joinpath(f"assets/{name}").read_text("utf-8")


@functools.cache
def source_digest() -> str:
    """A hash of every template and asset: part of the render signature, so that a new version
    of the plugin renders every page again."""
    h = hashlib.sha256()
    base = resources.files("govdisclose_static_site")
    for name in _TEMPLATES:
        h.update(base.joinpath(f"templates/{name}").read_bytes())
    for name in ASSETS:
        h.update(base.joinpath(f"assets/{name}").read_bytes())
    return h.hexdigest()


@functools.cache
def _templates() -> Mapping[str, jinja2.Template]:
    """The compiled templates, once per process (compiling them costs more than a page)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("govdisclose_static_site", "templates"),
        autoescape=jinja2.select_autoescape(["html", "xml", "atom"]),
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return {name: env.get_template(name) for name in _TEMPLATES}


def depth_prefix(path: str) -> str:
    """The relative prefix from the page at ``path`` to the site's root (``records/x.html`` ->
    ``../``)."""
    return "../" * path.count("/")


class Renderer:
    """The Jinja2 environment of one site and the values every page shares."""

    def __init__(
        self,
        *,
        title: str,
        owner_name: str,
        base_url: str,
        contact: str | None,
        sitemap: bool,
        names: Mapping[str, str],
    ) -> None:
        self.names = names
        self.templates = _templates()
        self._chrome: dict[tuple[str, str], tuple[Markup, Markup]] = {}
        self._rows: dict[tuple[str, str], Markup] = {}
        self._simple_join = base_url.endswith("/")
        self.base_url = base_url
        self.absolute = base_url.startswith(("https://", "http://"))
        self.site = {
            "title": title,
            "owner_name": owner_name,
            "contact": contact,
            "sitemap": sitemap,
            "nav": [{"section": s, "path": p, "label": label} for s, p, label in NAV],
        }

    def url(self, path: str) -> str:
        """The public address of ``path`` (relative to the site's root)."""
        if self._simple_join and ".." not in path and not path.startswith("/"):
            return self.base_url + path  # what urljoin gives for these, without parsing
        return urljoin(self.base_url, path)

    def chrome(self, root: str, section: str) -> tuple[Markup, Markup]:
        """The header with the navigation, and the footer, of a page ``root`` below the site's
        root in column ``section`` (rendered once for each)."""
        key = (root, section)
        found = self._chrome.get(key)
        if found is None:
            module: Any = self.templates["chrome.html"].module
            found = (
                Markup(module.top(root, self.site, section)),
                Markup(module.bottom(root, self.site)),
            )
            self._chrome[key] = found
        return found

    def page(self, template: str, path: str, **values: Any) -> str:
        """The HTML of the page at ``path`` from ``template``."""
        values.setdefault("crumbs", ())
        values.setdefault("feed", None)
        values.setdefault("feed_title", "")
        values.setdefault("section", "")
        root = depth_prefix(path)
        top, bottom = self.chrome(root, values["section"])
        return self.templates[template].render(
            root=root,
            site=self.site,
            canonical=self.url(path) if self.absolute else None,
            chrome_top=top,
            chrome_bottom=bottom,
            **values,
        )

    def rows(self, rows: Iterable[Mapping[str, Any]], root: str) -> Markup:
        """The ``<tr>`` elements of list rows on a page ``root`` below the site's root: the
        title linking to the record's page with its validity badge, the agency by name, the
        文号, the 索引号, the date. A row is rendered once per depth in a run (a record is in
        several lists: the catalogue, its topic, its agency, its year, its key areas)."""
        parts = []
        for row in rows:
            key = (row["id"], root)
            found = self._rows.get(key)
            if found is None:
                validity = row["validity"]
                badge = _BADGES.get(validity)
                badge = (
                    f'<span class="badge {validity}">{badge}</span>' if badge is not None else ""
                )
                agency = self.names.get(row["agency"], row["agency"])
                found = Markup(
                    f'<tr><td><a href="{escape(root + row["page"])}">{_e(row["title"])}</a>'
                    f"{badge}</td>"
                    f'<td data-label="发布机构">{_e(agency)}</td>'
                    f'<td data-label="文号">{_e(row["number"] or "")}</td>'
                    f'<td data-label="索引号">{_e(row["index"] or "")}</td>'
                    f'<td class="date" data-label="发布日期">{escape(row["published"])}</td></tr>'
                )
                self._rows[key] = found
            parts.append(found)
        return Markup("\n").join(parts)

    def xml(self, template: str, **values: Any) -> str:
        """An XML document (a feed, a sitemap) from ``template``."""
        return self.templates[template].render(**values)
