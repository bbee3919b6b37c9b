"""A static 政府信息公开专栏 for govdisclose: record pages, a catalogue and an Atom feed."""

from govdisclose_static_site.site import CatalogEntry, StaticSitePublisher

__all__ = ["CatalogEntry", "StaticSitePublisher"]
