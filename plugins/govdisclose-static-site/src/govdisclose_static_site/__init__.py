"""A static 政府信息公开专栏 for govdisclose, built from the store and kept up to date.

* `build_site` / `Site`: the whole column from a `govdisclose.store.Store` (guide, 制度,
  法定主动公开内容, 重点领域, the catalogue by topic, issuing body and year, 依申请公开, the annual
  reports, search, feeds, sitemap), incremental and reproducible;
* `StaticSitePublisher`: the `govdisclose.publishing.Publisher` that puts one cleared record on it;
* `SiteConfig`, `DisclosureGuide` (`load_guide`), `KeyAreaCatalogue`: the settings;
* `page_name`: the collision-free name of a record's page.
"""

from govdisclose_static_site.build import (
    BuildResult,
    CatalogEntry,
    Site,
    SiteConfig,
    build_site,
    update_site,
)
from govdisclose_static_site.catalogues import Article20Item, KeyArea, KeyAreaCatalogue
from govdisclose_static_site.errors import CatalogDamaged, StaticSiteError
from govdisclose_static_site.guide import (
    ApplyChannel,
    DisclosureGuide,
    Office,
    ReadingRoom,
    load_guide,
)
from govdisclose_static_site.naming import page_name, record_id_of_page
from govdisclose_static_site.plugin import site_config
from govdisclose_static_site.site import StaticSitePublisher

__all__ = [
    "ApplyChannel",
    "Article20Item",
    "BuildResult",
    "CatalogDamaged",
    "CatalogEntry",
    "DisclosureGuide",
    "KeyArea",
    "KeyAreaCatalogue",
    "Office",
    "ReadingRoom",
    "Site",
    "SiteConfig",
    "StaticSiteError",
    "StaticSitePublisher",
    "build_site",
    "load_guide",
    "page_name",
    "record_id_of_page",
    "site_config",
    "update_site",
]
