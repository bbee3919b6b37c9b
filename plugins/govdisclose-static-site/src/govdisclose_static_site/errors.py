"""The errors of the static-site publisher: `govdisclose.errors.PluginError` subclasses.

Each names the plugin (``plugin == "static_site"``) and carries a stable code; the message is
in Chinese and English, like every govdisclose error.
"""

from __future__ import annotations

from pathlib import Path

from govdisclose.errors import PluginError

__all__ = ["CatalogDamaged", "StaticSiteError"]


class StaticSiteError(PluginError):
    """Something the static-site publisher could not do; the site is as it was before.

    Codes: ``static_site.naive_clock`` (the clock returned a naive datetime),
    ``static_site.page_taken`` (the page file of the record belongs to another record's 0.1.0
    page), ``static_site.rollback_failed`` (a change failed and so did undoing it: the next
    publication to the site finishes the undo), ``static_site.damaged_journal``.
    """

    default_code = "static_site.error"

    def __init__(
        self,
        message_zh: str,
        message_en: str,
        *,
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message_zh, message_en, plugin="static_site", field=field, code=code)


class CatalogDamaged(StaticSiteError):
    """The site's ``catalog.json`` cannot be read or is not a catalogue; nothing was changed.

    ``path`` is the file; ``field`` is its path too. Restore the file from a backup (or remove
    it and publish every record again: the catalogue, the list page and the feed are rebuilt
    from it).
    """

    default_code = "static_site.damaged_catalog"

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(
            f"静态站点的目录文件 {path} 无法读取或已损坏（{reason}），本次未作任何更改；"
            "请从备份恢复该文件，或删除该文件后重新发布全部记录",
            f"the static site's catalogue {path} cannot be read or is damaged ({reason}); "
            "nothing was changed. Restore the file from a backup, or remove it and publish "
            "every record again",
            field=str(path),
        )
