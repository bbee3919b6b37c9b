"""The govdisclose hook implementation of the webhook publisher.

Settings options (strings, as every `govdisclose.plugins.Settings` option):

* ``webhook.url`` (required to enable the publisher): the CMS endpoint;
* ``webhook.secret``: shared secret for the ``X-Govdisclose-Signature`` HMAC;
* ``webhook.timeout``: seconds one attempt may take in all, connecting, sending and reading the
  whole answer (default 10);
* ``webhook.max_attempts``: requests at most per record (default 5);
* ``webhook.backoff``: first retry delay in seconds, doubled each time (default 0.5);
* ``webhook.channel``: `govdisclose.vocab.PublicationChannel` code recorded (default
  ``portal``).

No `PluginError` shows the secret, or the password or a secret query value of the URL: values
are shown through `govdisclose.redaction` (``webhook.secret`` is never shown at all).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import TypeVar
from urllib.parse import parse_qsl, urlsplit

from govdisclose.errors import GovDiscloseError, PluginError
from govdisclose.hookspecs import hookimpl
from govdisclose.plugins import Settings
from govdisclose.redaction import MASK, is_secret_name, redact_text
from govdisclose.vocab import PublicationChannel
from govdisclose_webhook.publisher import WebhookPublisher, _display_url

__all__ = ["PLUGIN_NAME", "govdisclose_publishers"]

#: The entry-point name of this plugin (``make_plugin_manager(only={"webhook"})``).
PLUGIN_NAME = "webhook"

_T = TypeVar("_T")


def _secrets(settings: Settings) -> tuple[str, ...]:
    """The secret strings of the options: the values of secret-named options
    (``webhook.secret``) and the password and secret query values (``?token=``) of URLs, to
    mask wherever they turn up (a token pasted into the wrong option). One of under 4
    characters is not searched for: it would mask ordinary words."""
    found = [value for name, value in settings.options.items() if is_secret_name(name)]
    for value in settings.options.values():
        if "://" not in value:
            continue
        try:
            parts = urlsplit(value.strip())
        except ValueError:
            continue
        query = parse_qsl(parts.query, keep_blank_values=True)
        found.extend(v for k, v in query if is_secret_name(k))
        if parts.password:
            found.append(parts.password)
    return tuple(s for s in found if len(s) >= 4)


def _bad(settings: Settings, option: str, value: str, zh: str, en: str) -> PluginError:
    secrets = _secrets(settings)
    if is_secret_name(option):
        shown = MASK
    elif "://" in value:
        shown = redact_text(_display_url(value), secrets)
    else:
        shown = redact_text(value, secrets)
    return PluginError(
        f"选项 {option} 的值 {shown!r} 无效：{redact_text(zh, secrets)}",
        f"option {option} has an invalid value {shown!r}: {redact_text(en, secrets)}",
        plugin=PLUGIN_NAME,
        field=f"options[{option!r}]",
        code="webhook.bad_option",
    )


def _number(value: str) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def _option(
    settings: Settings, option: str, parse: Callable[[str], _T], zh: str, en: str
) -> _T | None:
    raw = settings.options.get(option)
    if raw is None:
        return None
    try:
        value = parse(raw.strip())
    except (ValueError, GovDiscloseError):
        pass
    else:
        return value
    # Raised outside the handler, so not chained: the parser's own message quotes the raw
    # value (a secret typed into the wrong option), and this error says everything it does.
    raise _bad(settings, option, raw, zh, en)


@hookimpl
def govdisclose_publishers(settings: Settings) -> Iterable[WebhookPublisher]:
    """A webhook publisher when ``webhook.url`` is set, else nothing.

    :raises PluginError: an option has a value that is not valid, naming the option.
    """
    url = settings.options.get("webhook.url", "").strip()
    if not url:
        return ()
    timeout = _option(
        settings, "webhook.timeout", _number, "应为大于 0 的秒数", "expected seconds > 0"
    )
    attempts = _option(
        settings, "webhook.max_attempts", int, "应为不小于 1 的整数", "expected an integer >= 1"
    )
    backoff = _option(
        settings, "webhook.backoff", _number, "应为不小于 0 的秒数", "expected seconds >= 0"
    )
    channel = _option(
        settings,
        "webhook.channel",
        PublicationChannel.from_code,
        "应为发布渠道代码（如 portal）",
        "expected a PublicationChannel code such as 'portal'",
    )
    secret = settings.options.get("webhook.secret") or None
    try:
        publisher = WebhookPublisher(
            url,
            secret=secret,
            timeout=10.0 if timeout is None else timeout,
            max_attempts=5 if attempts is None else attempts,
            backoff=0.5 if backoff is None else backoff,
            channel=PublicationChannel.PORTAL if channel is None else channel,
        )
    except GovDiscloseError as err:
        # The constructor names its own field (url, timeout, ...): map it back to the option.
        option = f"webhook.{err.field}" if err.field else "webhook.url"
        raise _bad(
            settings, option, settings.options.get(option, ""), err.message_zh, err.message_en
        ) from err
    return (publisher,)
