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
    ``static_site.rollback_failed`` (a change failed and so did undoing it: the next
    publication to the site finishes the undo), ``static_site.damaged_journal``,
    ``static_site.old_layout`` (a site of the 0.1.0 publisher: build it from the store first),
    ``static_site.old_state`` (a state of another format), ``static_site.bad_option``,
    ``static_site.bad_setting``, ``static_site.bad_guide``, ``static_site.bad_catalogue`` (a
    setting, guide or key-area catalogue that cannot be used, the field named).
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
    """A state file of the site (``.govdisclose-site/``, a search shard it reads back, or a
    0.1.0 ``catalog.json``) cannot be read or is not what it should be; nothing was changed.

    ``path`` is the file; ``field`` is its path too. Restore the file from a backup, or remove
    ``.govdisclose-site/`` and build the site from the store again (`build_site`): every page
    is rebuilt from the store.

    .. versionchanged:: 0.2.0 the site's state replaced ``catalog.json``.
    """

    default_code = "static_site.damaged_catalog"

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(
            f"静态站点的状态文件 {path} 无法读取或已损坏（{reason}），本次未作任何更改；"
            "请从备份恢复该文件，或删除状态目录 .govdisclose-site 后从存储重建站点",
            f"the static site's state file {path} cannot be read or is damaged ({reason}); "
            "nothing was changed. Restore the file from a backup, or remove the state "
            "directory .govdisclose-site and build the site from the store again",
            field=str(path),
        )
