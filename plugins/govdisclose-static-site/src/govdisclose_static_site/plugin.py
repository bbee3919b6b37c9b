"""The govdisclose hook implementations of the static-site publisher.

Settings options:

* ``static_site.dir`` (required to enable the publisher): output directory;
* ``static_site.base_url``: public address of that directory (default ``./``);
* ``static_site.title``: catalogue heading (default 政府信息公开专栏).
"""

from __future__ import annotations

from collections.abc import Iterable

from govdisclose.hookspecs import hookimpl
from govdisclose.plugins import Settings
from govdisclose_static_site.site import StaticSitePublisher

__all__ = ["govdisclose_publishers"]


@hookimpl
def govdisclose_publishers(settings: Settings) -> Iterable[StaticSitePublisher]:
    """A static-site publisher when ``static_site.dir`` is set, else nothing."""
    root = settings.options.get("static_site.dir")
    if not root:
        return ()
    return (
        StaticSitePublisher(
            root=root,
            base_url=settings.options.get("static_site.base_url", "./"),
            site_title=settings.options.get("static_site.title", "政府信息公开专栏"),
        ),
    )
