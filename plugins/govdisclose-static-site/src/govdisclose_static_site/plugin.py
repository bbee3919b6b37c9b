"""The govdisclose hook implementations of the static-site publisher.

Settings options (strings, as every `govdisclose.plugins.Settings` option):

* ``static_site.dir`` (required to enable the publisher): the site's directory;
* ``static_site.base_url``: the public address of that directory (default ``./``; an absolute
  ``https://`` address gives absolute feed links and a sitemap);
* ``static_site.title``: the column's title (default 政府信息公开专栏);
* ``static_site.owner``: the code of the agency whose column it is (default: the government at
  the root of the store's agencies);
* ``static_site.guide``: a TOML file with the 政府信息公开指南 settings
  (`govdisclose_static_site.guide.load_guide`), or the ``static_site.guide.*`` options of a
  single office (`govdisclose_static_site.guide.guide_from_options`);
* ``static_site.key_areas``: a TOML file with the agency's own 重点领域 catalogue (default: the
  shipped one, `govdisclose_static_site.catalogues.KeyAreaCatalogue.bundled`);
* ``static_site.page_size``: records per list page (default 20).

`site_config` reads them; the hook returns a `StaticSitePublisher` with the same settings, so
that the pages a publication renders look like the pages `govdisclose_static_site.build_site`
built.
"""

from __future__ import annotations

from collections.abc import Iterable

from govdisclose.hookspecs import hookimpl
from govdisclose.plugins import Settings
from govdisclose_static_site.build import SiteConfig
from govdisclose_static_site.catalogues import KeyAreaCatalogue
from govdisclose_static_site.errors import StaticSiteError
from govdisclose_static_site.guide import guide_from_options, load_guide
from govdisclose_static_site.site import StaticSitePublisher

__all__ = ["PLUGIN_NAME", "govdisclose_publishers", "site_config"]

#: The entry-point name of this plugin (``make_plugin_manager(only={"static_site"})``).
PLUGIN_NAME = "static_site"


def _bad(option: str, value: str, zh: str, en: str) -> StaticSiteError:
    return StaticSiteError(
        f"选项 {option} 的值 {value!r} 无效：{zh}",
        f"option {option} has an invalid value {value!r}: {en}",
        field=f"options[{option!r}]",
        code="static_site.bad_option",
    )


def site_config(settings: Settings) -> SiteConfig | None:
    """The `SiteConfig` of the ``static_site.*`` options, or ``None`` without
    ``static_site.dir``.

    :raises StaticSiteError: code ``static_site.bad_option`` (a page size that is not an
        integer of at least 2), ``static_site.bad_guide`` or ``static_site.bad_catalogue`` (a
        file named by an option that cannot be read, with the field at fault).
    """
    options = settings.options
    root = options.get("static_site.dir")
    if not root:
        return None
    size_text = options.get("static_site.page_size", "20")
    try:
        page_size = int(size_text)
    except ValueError:
        page_size = 0
    if page_size < 2:
        raise _bad(
            "static_site.page_size", size_text, "应为不小于2的整数", "must be an integer >= 2"
        )
    guide_file = options.get("static_site.guide")
    guide = load_guide(guide_file) if guide_file else guide_from_options(options)
    areas_file = options.get("static_site.key_areas")
    areas = KeyAreaCatalogue.load(areas_file) if areas_file else KeyAreaCatalogue.bundled()
    return SiteConfig(
        root=root,
        base_url=options.get("static_site.base_url", "./"),
        title=options.get("static_site.title", "政府信息公开专栏"),
        owner=options.get("static_site.owner") or None,
        guide=guide,
        key_areas=areas,
        page_size=page_size,
    )


@hookimpl
def govdisclose_publishers(settings: Settings) -> Iterable[StaticSitePublisher]:
    """A static-site publisher when ``static_site.dir`` is set, else nothing."""
    config = site_config(settings)
    if config is None:
        return ()
    return (
        StaticSitePublisher(
            root=config.root,
            base_url=config.base_url,
            site_title=config.title,
            config=config,
        ),
    )
