"""`govdisclose.settings.Settings`: defaults, the ``store.mode`` option, and a ``repr`` that never
shows a secret."""

from __future__ import annotations

from typing import Any

import pytest
from attrs import evolve

from govdisclose.errors import ValidationError
from govdisclose.settings import STORE_MODE_OPTION, STORE_MODES, Settings

SECRET = "S3cr3t-Pa55"


def test_defaults_are_unchanged() -> None:
    settings = Settings()
    assert settings.store_url == "memory://"
    assert dict(settings.options) == {}
    assert settings.store_mode == "create"
    assert repr(settings) == "Settings(store_url='memory://', options={})"


@pytest.mark.parametrize("mode", STORE_MODES)
def test_store_mode_option(mode: str) -> None:
    settings = Settings(store_url="sqlite:///gd.db", options={STORE_MODE_OPTION: mode})
    assert settings.store_mode == mode
    assert STORE_MODE_OPTION == "store.mode"


@pytest.mark.parametrize("mode", ["", "readonly", "READ", "rw"])
def test_unknown_store_mode_is_refused(mode: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(options={"store.mode": mode})
    assert caught.value.code == "settings.invalid_store_mode"
    assert caught.value.field == "options['store.mode']"
    assert "create" in caught.value.message_en


def test_repr_and_str_hide_the_password_and_secret_options() -> None:
    settings = Settings(
        store_url=f"postgresql+psycopg://admin:{SECRET}@db.example:5432/gd",
        options={
            "webhook.secret": SECRET,
            "cms.api_key": SECRET,
            "webhook.url": f"https://hook.example/notify?token={SECRET}",
            "mirror.url": f"https://bot:{SECRET}@mirror.example/gd",
            "sql.busy_timeout": "10",
            "static_site.dir": "/srv/site",
        },
    )
    for text in (repr(settings), str(settings), f"{settings}", repr([settings])):
        assert SECRET not in text
        assert "db.example:5432/gd" in text
        assert "admin:***@" in text
        assert "'webhook.secret': '***'" in text
        assert "'cms.api_key': '***'" in text
        assert "hook.example/notify?token=***" in text
        assert "bot:***@mirror.example" in text
        assert "'sql.busy_timeout': '10'" in text
        assert "'static_site.dir': '/srv/site'" in text
    # Redaction is for showing only: the values themselves are intact.
    assert settings.options["webhook.secret"] == SECRET
    assert SECRET in settings.store_url


def test_repr_after_evolve_is_still_redacted() -> None:
    settings = evolve(
        Settings(), store_url=f"postgresql://admin:{SECRET}@db/gd", options={"pg.password": SECRET}
    )
    assert SECRET not in repr(settings)
    assert settings == Settings(
        store_url=f"postgresql://admin:{SECRET}@db/gd", options={"pg.password": SECRET}
    )


@pytest.mark.parametrize(
    ("kwargs", "visible"),
    [
        ({"store_url": f"admin:{SECRET}@db.example/gd"}, "db.example/gd"),
        ({"options": {"pg.password": 12345, "x": "y"}}, "pg.password"),
        ({"options": {"webhook.token": None}}, "webhook.token"),
    ],
    ids=["url-without-scheme", "secret-option-not-a-string", "token-none"],
)
def test_validation_messages_hide_secrets(kwargs: dict[str, Any], visible: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(**kwargs)
    text = str(caught.value)
    assert SECRET not in text
    assert "12345" not in text
    assert visible in text
