"""A static 政府信息公开专栏 for govdisclose: record pages, a catalogue and an Atom feed."""

from govdisclose_static_site.errors import CatalogDamaged, StaticSiteError
from govdisclose_static_site.naming import page_name, record_id_of_page
from govdisclose_static_site.site import CatalogEntry, StaticSitePublisher

__all__ = [
    "CatalogDamaged",
    "CatalogEntry",
    "StaticSiteError",
    "StaticSitePublisher",
    "page_name",
    "record_id_of_page",
]
