"""Test doubles for plugin authors: a recording publisher and a plugin-manager helper."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import TYPE_CHECKING

from govdisclose.model import Publication, Record
from govdisclose.vocab import DisclosureScope, PublicationChannel

if TYPE_CHECKING:
    import pluggy

__all__ = ["RecordingPublisher", "plugin_manager"]


class RecordingPublisher:
    """A `govdisclose.adapters.Publisher` that keeps every record it was asked to publish.

    It publishes nothing anywhere: `publish` records the record and returns a `Publication` at
    the fixed time ``at`` (there is no implicit clock), with ``url`` formatted from
    ``url_template`` and the record. With ``fail_with`` set, `publish` raises that error
    instead and records nothing, to test how a host handles a failing channel.
    """

    def __init__(
        self,
        at: datetime,
        *,
        name: str = "recording",
        channel: PublicationChannel = PublicationChannel.PORTAL,
        url_template: str = "https://example.gov.cn/xxgk/{record.id}",
        fail_with: Exception | None = None,
    ) -> None:
        self.name = name
        self.at = at
        self.channel = channel
        self.url_template = url_template
        self.fail_with = fail_with
        self._lock = threading.Lock()
        self._published: list[Record] = []

    def __repr__(self) -> str:
        return f"<RecordingPublisher {self.name!r} published={len(self._published)}>"

    @property
    def published(self) -> tuple[Record, ...]:
        """The records published so far, in call order."""
        with self._lock:
            return tuple(self._published)

    def publish(self, record: Record) -> Publication:
        """Remember ``record`` and return its publication at the fixed time."""
        if self.fail_with is not None:
            raise self.fail_with
        decision = record.decision
        publication = Publication(
            publisher=self.name,
            channel=self.channel,
            published_at=self.at,
            url=self.url_template.format(record=record),
            scope=decision.scope if decision is not None else DisclosureScope.FULL,
        )
        with self._lock:
            self._published.append(record)
        return publication

    def clear(self) -> None:
        """Forget what was published."""
        with self._lock:
            self._published.clear()


def plugin_manager(*plugins: object) -> pluggy.PluginManager:
    """A fresh plugin manager with the built-in defaults and ``plugins``, no entry points.

    What a test of a plugin needs: the installed environment cannot leak into it.
    """
    from govdisclose.plugins import make_plugin_manager

    return make_plugin_manager(load_entry_points=False, plugins=plugins)
