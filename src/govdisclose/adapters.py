"""The 0.1.0 home of the adapter Protocols; they now live beside the code that calls them.

* `govdisclose.publishing.Publisher`: what the publication guard hands a cleared record to;
* `govdisclose.report.renderers.ReportRenderer`: what renders an `AnnualReport`.

Both names stay importable from here (``from govdisclose.adapters import Publisher``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govdisclose.publishing import Publisher
    from govdisclose.report.renderers import ReportRenderer

__all__ = ["Publisher", "ReportRenderer"]


def __getattr__(name: str) -> Any:
    # Re-exports of the old import path, resolved on use (see the module docstring).
    if name == "Publisher":
        from govdisclose.publishing import Publisher

        return Publisher
    if name == "ReportRenderer":
        from govdisclose.report.renderers import ReportRenderer

        return ReportRenderer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
