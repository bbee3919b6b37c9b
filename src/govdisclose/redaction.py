"""Secrets never printed: URLs and options with their passwords and tokens replaced by ``***``.

Every message, ``repr`` and log line that shows a store URL, a webhook address or the settings
goes through these functions first, in the library and in the first-party plugins, so a clerk's
screenshot of an error or an OA system's log never carries the database password or the CMS
token. A plugin author shows a URL with `redact_url` and the options with `redact_options`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

__all__ = ["MASK", "is_secret_name", "redact_options", "redact_text", "redact_url"]

#: What a secret is replaced by.
MASK = "***"

# A name is secret when one of these words is one of its parts (``webhook.secret``,
# ``access_token``, ``X-Api-Key``, ``pg.password``): parts split at ``.``, ``_``, ``-`` and
# case changes, so ``keyword`` or ``monkey`` is not a key but ``apiKey`` is.
_SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "pass",
        "secret",
        "token",
        "key",
        "apikey",
        "auth",
        "authorization",
        "credential",
        "credentials",
        "signature",
        "sig",
        "sign",
        "session",
        "cookie",
        "dsn",
    }
)
_PARTS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def is_secret_name(name: str) -> bool:
    """Whether an option, query parameter or header called ``name`` holds a secret."""
    lowered = name.lower()
    if lowered in _SECRET_WORDS:
        return True
    return any(part.lower() in _SECRET_WORDS for part in _PARTS.findall(name))


def redact_url(url: str) -> str:
    """``url`` with the password of its user part and every secret query value replaced by
    ``***`` (``postgresql://admin:***@db/gd``, ``https://cms/api?token=***``); a value that is
    not a URL is returned unchanged unless it looks like ``user:password@host``."""
    if "://" not in url:
        # Not a URL (``admin:pw@db/gd``, a libpq DSN): urlsplit would read ``admin`` as the
        # scheme, so look for the shapes that carry a password directly.
        return _redact_pairs(_redact_userinfo(url))
    try:
        parts = urlsplit(url)
    except ValueError:
        return _redact_pairs(_redact_userinfo(url))
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, host = netloc.rpartition("@")
        user, colon, _password = userinfo.partition(":")
        netloc = f"{user}:{MASK}@{host}" if colon else f"{userinfo}@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(is_secret_name(k) for k, _ in pairs):
            query = "&".join(
                f"{quote(k, safe='')}={MASK if is_secret_name(k) else quote(v, safe='')}"
                for k, v in pairs
            )
    fragment = MASK if parts.fragment and "=" in parts.fragment else parts.fragment
    if (netloc, query, fragment) == (parts.netloc, parts.query, parts.fragment):
        return url  # nothing secret: byte for byte (urlunsplit would drop an empty netloc)
    return urlunsplit((parts.scheme, netloc, parts.path, query, fragment))


_USERINFO = re.compile(r"(?P<user>[^\s:/@]+):(?P<password>[^\s@/]+)@")
# ``mailto:x@y``, ``tel:`` and the like are addresses, not a user and a password.
_NOT_A_USER = frozenset({"mailto", "tel", "sms", "im", "xmpp"})


def _redact_userinfo(text: str) -> str:
    return _USERINFO.sub(
        lambda m: (
            m.group() if m.group("user").lower() in _NOT_A_USER else f"{m.group('user')}:{MASK}@"
        ),
        text,
    )


# ``password=…`` / ``token: …`` pairs as libpq DSNs and log lines write them.
_PAIR = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)(?P<sep>\s*[=:]\s*)(?P<value>[^\s&;,'\"]+)")


def _redact_pairs(text: str) -> str:
    return _PAIR.sub(
        lambda m: (
            f"{m.group('key')}{m.group('sep')}{MASK}"
            if is_secret_name(m.group("key")) and m.group("value") != MASK
            else m.group()
        ),
        text,
    )


_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>，。；）)]+")


def redact_text(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` (a message, a log line) with every URL in it redacted and every string of
    ``secrets`` (option values known to be secret) replaced by ``***``."""
    out = _URL_IN_TEXT.sub(lambda m: redact_url(m.group()), text)
    out = _redact_pairs(_redact_userinfo(out))
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        out = out.replace(secret, MASK)
    return out


def redact_options(options: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``options`` with secret values replaced by ``***`` and every value that is a
    URL redacted (`redact_url`)."""
    return {
        key: MASK if is_secret_name(key) else (redact_url(value) if "://" in value else value)
        for key, value in options.items()
    }
