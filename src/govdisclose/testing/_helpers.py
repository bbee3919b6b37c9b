"""Test doubles for plugin authors: a recording publisher and a plugin-manager helper."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import TYPE_CHECKING

from govdisclose.model import Publication
from govdisclose.public import PublicRecord, require_cleared
from govdisclose.vocab import PublicationChannel

if TYPE_CHECKING:
    import pluggy

__all__ = ["RecordingPublisher", "plugin_manager"]


class RecordingPublisher:
    """A `govdisclose.publishing.Publisher` (and `Withdrawer`) that keeps every view it was
    asked to publish.

    It publishes nothing anywhere: `publish` refuses a view the guard did not clear (like any
    real publisher), records the view and returns a `Publication` at the fixed time ``at``
    (there is no implicit clock), with ``url`` formatted from ``url_template`` and the view.
    With ``fail_with`` set, `publish` raises that error instead and records nothing, to test
    how a host handles a failing channel. `withdraw` removes the view from `published` and
    adds it to `withdrawn` (``withdraw_fails_with`` makes it raise instead).

    .. versionchanged:: 0.2.0 it receives `PublicRecord` views, and withdraws.
    """

    def __init__(
        self,
        at: datetime,
        *,
        name: str = "recording",
        channel: PublicationChannel = PublicationChannel.PORTAL,
        url_template: str = "https://example.gov.cn/xxgk/{record.id}",
        fail_with: Exception | None = None,
        withdraw_fails_with: Exception | None = None,
    ) -> None:
        self.name = name
        self.at = at
        self.channel = channel
        self.url_template = url_template
        self.fail_with = fail_with
        self.withdraw_fails_with = withdraw_fails_with
        self._lock = threading.Lock()
        self._published: list[PublicRecord] = []
        self._withdrawn: list[PublicRecord] = []

    def __repr__(self) -> str:
        return f"<RecordingPublisher {self.name!r} published={len(self._published)}>"

    @property
    def published(self) -> tuple[PublicRecord, ...]:
        """The views published and not withdrawn, in call order."""
        with self._lock:
            return tuple(self._published)

    @property
    def withdrawn(self) -> tuple[PublicRecord, ...]:
        """The views withdrawn, in call order."""
        with self._lock:
            return tuple(self._withdrawn)

    def publish(self, view: PublicRecord) -> Publication:
        """Remember ``view`` and return its publication at the fixed time."""
        view = require_cleared(view, publisher=self.name)
        if self.fail_with is not None:
            raise self.fail_with
        publication = Publication(
            publisher=self.name,
            channel=self.channel,
            published_at=self.at,
            url=self.url_template.format(record=view),
            scope=view.scope,
        )
        with self._lock:
            self._published.append(view)
        return publication

    def withdraw(self, view: PublicRecord) -> None:
        """Take ``view`` off `published` (nothing happens if it is not there)."""
        if self.withdraw_fails_with is not None:
            raise self.withdraw_fails_with
        with self._lock:
            if view in self._published:
                self._published.remove(view)
                self._withdrawn.append(view)

    def clear(self) -> None:
        """Forget what was published and withdrawn."""
        with self._lock:
            self._published.clear()
            self._withdrawn.clear()


def plugin_manager(*plugins: object) -> pluggy.PluginManager:
    """A fresh plugin manager with the built-in defaults and ``plugins``, no entry points.

    What a test of a plugin needs: the installed environment cannot leak into it.
    """
    from govdisclose.plugins import make_plugin_manager

    return make_plugin_manager(load_entry_points=False, plugins=plugins)
