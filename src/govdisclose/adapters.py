"""The small typed Protocols that plugin hooks hand over: publishers and report renderers.

Hooks provide these objects once (`govdisclose.hookspecs`); the library then calls their
methods directly, so the hot path is typed and testable without pluggy. Both are structural
Protocols: a plugin needs no base class, only the attributes and the method.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from govdisclose.model import Publication, Record

__all__ = ["Publisher", "ReportRenderer"]


@runtime_checkable
class Publisher(Protocol):
    """Puts a record somewhere the public can read it (portal column, CMS, feed, gazette).

    ``name`` is a stable identifier, stored in `Publication.publisher`. `publish` is called only
    for records the publication guard let through; it returns the `Publication` that happened,
    with the time it took effect (an aware datetime) and where, or raises if nothing was
    published, so that a publication is recorded only when it happened.
    """

    name: str

    def publish(self, record: Record) -> Publication:
        """Publish ``record`` and return what was published, when and where."""
        ...


@runtime_checkable
class ReportRenderer(Protocol):
    """Renders an annual report in one output format.

    ``format`` is the short name a caller asks for (``"md"``, ``"html"``, ``"docx"``);
    ``media_type`` the MIME type of the bytes `render` returns. The report argument is the
    built annual report of `govdisclose.report` (typed ``Any`` here so that this module does not
    import the report package).
    """

    format: str
    media_type: str

    def render(self, report: Any) -> bytes:
        """The report in this format."""
        ...
