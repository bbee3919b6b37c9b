"""The webhook publisher: one signed JSON POST per publication or withdrawal, retried until the
CMS confirms it.

The CMS learns from each request:

* what to do, ``"action": "publish"`` or ``"action": "withdraw"`` (both go to the same URL);
* for a publication, the `govdisclose.public.PublicRecord` the publication guard cleared, as
  `govdisclose.serde` writes it (``govdisclose.serde.structure(body["record"], PublicRecord)``
  reads it back) and nothing else of the record: the attribute decisions and their notes, the
  reviewer and the publication history never leave;
* for a withdrawal, only the record's id and the key of the publication to take down;
* an ``Idempotency-Key`` that depends only on what is sent (`idempotency_key`): a retried
  request, or a second push of an unchanged record, carries the same key; a changed record, or
  the withdrawal of a publication, carries another; through `govdisclose.outbox`
  (`WebhookPublisher.publish_with_key`) the key is the outbox entry's, the same on every
  attempt of that entry, and the content key travels as ``content_key``;
* with a shared secret, an ``X-Govdisclose-Signature`` header, ``sha256=`` and the hex HMAC of
  the exact body bytes (`sign`), so the CMS can refuse requests that did not come from the OA
  system.

Only transient failures are retried (connection errors, timeouts, 408, 429, 5xx), with
exponential backoff or the delay a numeric ``Retry-After`` asks for, both capped. Any other
answer is final at once: a 4xx means the request itself is wrong and repeating it cannot help.
Redirects are not followed, because urllib would turn the POST into a GET without the body.

Every attempt has a total deadline, ``timeout`` seconds for connecting (TLS included), sending
and reading the whole answer: a server that trickles its answer a byte at a time is cut off
when the deadline passes (urllib's own timeout applies to each socket operation, so such a
server could hold a request for ever). The openers of `make_opener` enforce it on every
receive; the answer is read at most `MAX_RESPONSE` bytes.

No message, ``repr`` or error of this module shows the ``secret``, or the password or a secret
query parameter (``?token=``) of the URL: URLs go through `govdisclose.redaction.redact_url`,
texts from the network through `govdisclose.redaction.redact_text`.
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import http.client
import io
import json
import math
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from email.message import Message
from typing import IO, Any, Literal
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import attrs

from govdisclose import serde
from govdisclose.errors import GovDiscloseError, ValidationError
from govdisclose.model import Publication
from govdisclose.public import PublicRecord, require_cleared
from govdisclose.redaction import is_secret_name, redact_text, redact_url
from govdisclose.vocab import PublicationChannel

__all__ = [
    "MAX_RESPONSE",
    "SIGNATURE_HEADER",
    "Action",
    "WebhookError",
    "WebhookPublisher",
    "idempotency_key",
    "make_opener",
    "sign",
]

#: The header carrying ``sha256=<hex HMAC of the body>`` when a secret is configured.
SIGNATURE_HEADER = "X-Govdisclose-Signature"
#: The most bytes of an answer read (a CMS answer is a small JSON object).
MAX_RESPONSE = 1 << 20

#: What a request asks the CMS to do.
Action = Literal["publish", "withdraw"]

_USER_AGENT = "govdisclose-webhook/0.2.0"
_CHUNK = 1 << 16
_SNIPPET = 200
_RETRY_STATUSES = frozenset({408, 429})
# A secret shorter than this is not searched for in texts from the network (it would mask
# ordinary words of a CMS's message); no message of this module contains a secret anyway.
_MIN_SECRET = 4


class WebhookError(GovDiscloseError):
    """The CMS did not confirm a request: it rejected it (4xx, redirect) or every attempt
    failed.

    Codes: ``webhook.rejected`` / ``webhook.failed`` for a publication (nothing was
    published), ``webhook.withdraw_rejected`` / ``webhook.withdraw_failed`` for a withdrawal
    (the page may still be live: take it down by hand).

    :param url: the endpoint, without query string or credentials.
    :param attempts: how many requests were made.
    :param status: the last HTTP status, or ``None`` when the last attempt got no answer.
    :param reason: the last transport error, or the start of the CMS's error body (redacted).
    :param action: ``publish`` or ``withdraw``.

    .. versionchanged:: 0.2.0 ``action``; the withdrawal codes.
    """

    default_code = "webhook.failed"

    def __init__(
        self,
        message_zh: str,
        message_en: str,
        *,
        url: str,
        attempts: int,
        status: int | None = None,
        reason: str | None = None,
        action: Action = "publish",
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        self.url = redact_url(url)
        self.attempts = attempts
        self.status = status
        self.reason = redact_text(reason) if reason is not None else None
        self.action = action
        super().__init__(redact_text(message_zh), redact_text(message_en), field=field, code=code)


# -- the deadline of one attempt --------------------------------------------------------------


class _DeadlinePassed(TimeoutError):
    """The attempt's total deadline passed (a `TimeoutError`, so it is retried like one)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"deadline of {seconds:g} s for the attempt passed")


@attrs.frozen
class _Deadline:
    seconds: float
    at: float

    @classmethod
    def start(cls, seconds: float) -> _Deadline:
        return cls(seconds, time.monotonic() + seconds)

    def remaining(self) -> float:
        """Seconds left; `_DeadlinePassed` when there are none."""
        left = self.at - time.monotonic()
        if left <= 0:
            raise _DeadlinePassed(self.seconds)
        return left


# The deadline of the attempt running in this thread (or context): set by
# `WebhookPublisher._send` around one request, read by the connections of `make_opener`.
_DEADLINE: contextvars.ContextVar[_Deadline | None] = contextvars.ContextVar(
    "govdisclose_webhook_deadline", default=None
)


@contextmanager
def _attempt(seconds: float) -> Iterator[_Deadline]:
    deadline = _Deadline.start(seconds)
    token = _DEADLINE.set(deadline)
    try:
        yield deadline
    finally:
        _DEADLINE.reset(token)


def _connect(
    address: tuple[str, int],
    timeout: float | None = None,
    source_address: tuple[str, int] | None = None,
) -> socket.socket:
    """`socket.create_connection` within the attempt's deadline: each address is tried with
    the time left, and the socket leaves with its timeout set to the time left (so the TLS
    handshake, which CPython bounds as a whole by the socket's timeout, ends by the deadline).
    Name resolution is the system resolver's and is not bounded here."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return socket.create_connection(address, timeout, source_address)
    host, port = address
    error: OSError | None = None
    for family, kind, proto, _, where in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(deadline.remaining())
            if source_address is not None:
                sock.bind(source_address)
            sock.connect(where)
            sock.settimeout(deadline.remaining())
        except OSError as err:
            sock.close()
            if isinstance(err, _DeadlinePassed):
                raise
            error = err
            continue
        return sock
    raise error if error is not None else OSError(f"no address found for {host!r}")


class _TimedReader(io.RawIOBase):
    """The raw stream under an answer: every receive waits at most the time left."""

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        super().__init__()
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        self._sock.settimeout(self._deadline.remaining())
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _TimedResponse(http.client.HTTPResponse):
    """An answer (status line, headers and body) read within the attempt's deadline."""

    def __init__(
        self,
        sock: socket.socket,
        debuglevel: int = 0,
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(sock, debuglevel, method, url)
        deadline = _DEADLINE.get()
        if deadline is not None:
            self.fp.close()
            self.fp = io.BufferedReader(_TimedReader(sock, deadline))


class _TimedHTTPConnection(http.client.HTTPConnection):
    """Connects, sends and reads its answers within the attempt's deadline (when one is set)."""

    response_class = _TimedResponse

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect

    def send(self, data: Any) -> None:
        deadline = _DEADLINE.get()
        if deadline is not None and self.sock is not None:
            self.sock.settimeout(deadline.remaining())
        super().send(data)


class _TimedHTTPSConnection(_TimedHTTPConnection, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_TimedHTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def do_open(
        self, http_class: Any, req: urllib.request.Request, **http_conn_args: Any
    ) -> http.client.HTTPResponse:
        # https_open passes the context and the other TLS arguments of this Python version.
        return super().do_open(_TimedHTTPSConnection, req, **http_conn_args)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # Following a 301/302/303 would re-send the POST as a GET without the body; a moved
    # endpoint is a configuration error to report, not to paper over.
    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None


def make_opener(
    *, proxies: Mapping[str, str] | None = None, context: ssl.SSLContext | None = None
) -> urllib.request.OpenerDirector:
    """The urllib opener `WebhookPublisher` uses by default: redirects are not followed, and
    each attempt's deadline bounds connecting, sending and every receive.

    :param proxies: scheme -> proxy URL; ``None`` takes the proxies from the environment
        (``https_proxy``, ``no_proxy``), ``{}`` connects directly.
    :param context: the TLS context (a private CA, a client certificate); the default
        verifies the server's certificate against the system's CAs.

    An opener built otherwise still works, but only this one cuts off a server that trickles
    its status line or headers; with any opener the body is read in chunks against the deadline.

    .. versionchanged:: 0.2.0 the deadline; ``context``.
    """
    handlers: list[urllib.request.BaseHandler] = [
        _NoRedirect(),
        _HTTPHandler(),
        _HTTPSHandler(context=context),
    ]
    if proxies is not None:
        handlers.append(urllib.request.ProxyHandler(dict(proxies)))
    return urllib.request.build_opener(*handlers)


def _opener(value: urllib.request.OpenerDirector | None) -> urllib.request.OpenerDirector:
    return make_opener() if value is None else value


def _now() -> datetime:
    # The publication time is a fact of the I/O edge: when the CMS acknowledged the record.
    return datetime.now(ZoneInfo("Asia/Shanghai"))


def _digest(content: object) -> str:
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def idempotency_key(view: PublicRecord, action: Action = "publish") -> str:
    """The ``Idempotency-Key`` of a request about ``view``: a hex SHA-256.

    For ``publish``, of the canonical JSON of the view (what the body's ``record`` holds): an
    unchanged record republished keeps its key, any change to what the public sees gives a new
    one (a change the public does not see, such as a decision note, does not). For
    ``withdraw``, of the action with the publication key: the withdrawal of a publication has
    its own key, the same on every retry.

    .. versionchanged:: 0.2.0 computed over the `PublicRecord`, not the whole `Record`;
       ``action``.
    """
    if not isinstance(view, PublicRecord):
        raise TypeError(f"idempotency_key takes a PublicRecord, got {type(view).__name__}")
    key = _digest(serde.unstructure(view))
    if action == "publish":
        return key
    return _digest({"action": action, "publish_key": key, "record_id": view.id})


def _check_key(key: object) -> str:
    # Sent as a header: a key with a line break would split the request.
    if not isinstance(key, str) or not key or not key.isprintable() or not key.isascii():
        raise ValidationError(
            "幂等键须为非空的可打印 ASCII 字符串",
            "an idempotency key must be a non-empty printable ASCII string",
            field="key",
            code="webhook.bad_key",
        )
    return key


def sign(body: bytes, secret: str | bytes) -> str:
    """The ``X-Govdisclose-Signature`` value for ``body``: ``sha256=`` and the hex HMAC-SHA256.

    The receiving CMS recomputes it over the raw body bytes it received and compares with
    `hmac.compare_digest`.
    """
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def _display_url(url: str) -> str:
    """``url`` for a message: without its query string and fragment (tokens live there), the
    password of its user part masked; also for a value that does not parse as a URL."""
    return redact_url(url.split("#", 1)[0].split("?", 1)[0])


def _bad_url(value: object, zh: str, en: str) -> ValidationError:
    shown = _display_url(value) if isinstance(value, str) else value
    return ValidationError(
        f"webhook 地址{zh}，实际为 {shown!r}",
        f"the webhook url {en}, got {shown!r}",
        field="url",
        code="webhook.bad_url",
    )


def _check_url(inst: WebhookPublisher, att: Any, value: str) -> None:
    absolute = (
        "应为 http:// 或 https:// 开头的完整地址",
        "must be an absolute http:// or https:// URL",
    )
    if not isinstance(value, str):
        raise _bad_url(value, *absolute)
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise _bad_url(value, "无法解析", "cannot be parsed") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _bad_url(value, *absolute)
    if parts.username is not None or parts.password is not None:
        raise ValidationError(
            "webhook 地址中不能包含用户名或密码，请改用签名密钥（secret）",
            "the webhook url must not carry a user name or password; use the signing secret",
            field="url",
            code="webhook.bad_url",
        )


def _positive(inst: WebhookPublisher, att: attrs.Attribute[float], value: float) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
        raise ValidationError(
            f"{att.name} 应为大于 0 的秒数，实际为 {value!r}",
            f"{att.name} must be a positive number of seconds, got {value!r}",
            field=att.name,
            code="webhook.bad_setting",
        )


def _non_negative(inst: WebhookPublisher, att: attrs.Attribute[float], value: float) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
        raise ValidationError(
            f"{att.name} 应为不小于 0 的秒数，实际为 {value!r}",
            f"{att.name} must be a non-negative number of seconds, got {value!r}",
            field=att.name,
            code="webhook.bad_setting",
        )


def _attempts(inst: WebhookPublisher, att: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(
            f"max_attempts 应为不小于 1 的整数，实际为 {value!r}",
            f"max_attempts must be an integer of at least 1, got {value!r}",
            field="max_attempts",
            code="webhook.bad_setting",
        )


def _not_blank(inst: WebhookPublisher, att: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            f"发布渠道名称不能为空，实际为 {value!r}",
            f"the publisher name must not be blank, got {value!r}",
            field="name",
            code="webhook.bad_setting",
        )


def _url_repr(url: str) -> str:
    return repr(redact_url(url))


@attrs.frozen
class _Answer:
    """The result of one request: a success with the CMS's URL, or a failure to classify."""

    ok: bool
    status: int | None = None
    url: str | None = None
    reason: str | None = None
    retryable: bool = False
    retry_after: float | None = None


def _retry_after(value: str | None) -> float | None:
    # Only the delay-seconds form; an HTTP-date falls back to the backoff schedule.
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _snippet(raw: bytes) -> str:
    return " ".join(raw[:_SNIPPET].decode("utf-8", errors="replace").split())


def _returned_url(raw: bytes) -> str | None:
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    url = data.get("url") if isinstance(data, dict) else None
    return url.strip() if isinstance(url, str) and url.strip() else None


def _classify(status: int, raw: bytes, retry_after: str | None) -> _Answer:
    if 200 <= status < 300:
        return _Answer(ok=True, status=status, url=_returned_url(raw))
    return _Answer(
        ok=False,
        status=status,
        reason=_snippet(raw) or None,
        retryable=status in _RETRY_STATUSES or 500 <= status < 600,
        retry_after=_retry_after(retry_after),
    )


def _why(reason: object, deadline: _Deadline) -> str:
    """What went wrong with an attempt, for `WebhookError.reason`: a timeout once the deadline
    has passed (a receive, the TLS handshake) is the deadline."""
    if isinstance(reason, TimeoutError) and deadline.at <= time.monotonic():
        return str(_DeadlinePassed(deadline.seconds))
    if isinstance(reason, BaseException):
        return f"{type(reason).__name__}: {reason}"
    return str(reason)


def _read(response: IO[bytes], limit: int, deadline: _Deadline) -> bytes:
    """Up to ``limit`` bytes of an answer, in chunks, stopping when the deadline passes."""
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        deadline.remaining()
        chunk = response.read(min(_CHUNK, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


@attrs.define
class WebhookPublisher:
    """Publishes records by POSTing them to an external CMS (站群/内容管理系统) endpoint, and
    withdraws them the same way.

    A `govdisclose.publishing.Publisher` and `govdisclose.publishing.Withdrawer`.

    :param url: the endpoint (``http://`` or ``https://``, no credentials in it; a token in its
        query string is sent, never shown).
    :param name: the publisher name stored in `Publication.publisher`.
    :param secret: shared secret for the ``X-Govdisclose-Signature`` HMAC; unsigned if ``None``.
    :param timeout: seconds one attempt may take in all: connecting, sending and reading the
        whole answer (a deadline, not a per-read timeout).
    :param max_attempts: requests made at most for one publication or withdrawal (1: no retry).
    :param backoff: delay before the second attempt; doubled before each further one.
    :param max_delay: cap on any single delay, including one asked for by ``Retry-After``.
    :param channel: the `PublicationChannel` recorded (the CMS behind a government portal by
        default, 条例 2019 第二十三条).
    :param sleep: waits between attempts (tests pass one that records the delays).
    :param clock: gives ``sent_at`` and the publication time; must return aware datetimes.
    :param opener: the urllib opener; `make_opener` by default.

    .. versionchanged:: 0.2.0 `publish` receives the cleared `PublicRecord` and sends only it;
       `withdraw`; ``timeout`` is the deadline of a whole attempt; the ``repr`` and every
       message redact the URL.
    """

    url: str = attrs.field(validator=_check_url, repr=_url_repr)
    name: str = attrs.field(default="webhook", kw_only=True, validator=_not_blank)
    secret: str | bytes | None = attrs.field(default=None, kw_only=True, repr=False)
    timeout: float = attrs.field(default=10.0, kw_only=True, validator=_positive)
    max_attempts: int = attrs.field(default=5, kw_only=True, validator=_attempts)
    backoff: float = attrs.field(default=0.5, kw_only=True, validator=_non_negative)
    max_delay: float = attrs.field(default=30.0, kw_only=True, validator=_non_negative)
    channel: PublicationChannel = attrs.field(
        default=PublicationChannel.PORTAL,
        kw_only=True,
        validator=attrs.validators.instance_of(PublicationChannel),
    )
    sleep: Callable[[float], None] = attrs.field(default=time.sleep, kw_only=True, repr=False)
    clock: Callable[[], datetime] = attrs.field(default=_now, kw_only=True, repr=False)
    opener: urllib.request.OpenerDirector = attrs.field(
        default=None, kw_only=True, converter=_opener, repr=False
    )

    def publish(self, view: PublicRecord) -> Publication:
        """POST ``view`` to the CMS, retrying transient failures; return the publication.

        The body holds the view and nothing else of the record. The returned `Publication`
        carries the URL the CMS answered in its JSON field ``url`` (if any), the view's scope
        and the idempotency key as its note.

        :raises PublishBlocked: ``view`` is not one the publication guard cleared (code
            ``publishing.not_cleared``); nothing was sent.
        :raises WebhookError: the CMS rejected the record or every attempt failed; nothing
            was published, so `govdisclose.publishing.publish` records nothing for it.
        :raises ValidationError: the clock returned a naive datetime (nothing was sent).
        """
        view = require_cleared(view, publisher=self.name)
        return self._publish(view, idempotency_key(view))

    def publish_with_key(self, view: PublicRecord, key: str) -> Publication:
        """`publish` with the caller's ``Idempotency-Key``: what `govdisclose.outbox` calls
        (a `govdisclose.outbox.KeyedPublisher`), with its entry's key, the same on every
        attempt of that entry, so that the CMS recognises a repeat after a crash. The body
        also carries the content key (`idempotency_key`) as ``content_key``.

        .. versionadded:: 0.2.0
        """
        view = require_cleared(view, publisher=self.name)
        return self._publish(view, _check_key(key))

    def _publish(self, view: PublicRecord, key: str) -> Publication:
        payload: dict[str, object] = {
            "action": "publish",
            "publisher": self.name,
            "idempotency_key": key,
            "sent_at": serde.unstructure(self._time()),
            "record": serde.unstructure(view),
        }
        content = idempotency_key(view)
        if key != content:
            payload["content_key"] = content
        answer = self._deliver("publish", view.id, key, payload)
        return Publication(
            publisher=self.name,
            channel=self.channel,
            published_at=self._time(),
            url=answer.url,
            scope=view.scope,
            note=f"Idempotency-Key: {key}",
        )

    def withdraw(self, view: PublicRecord) -> None:
        """Ask the CMS to take down what publishing ``view`` put up (撤回), with the same
        retries, signature and deadline as a publication; return once it confirmed (2xx).

        The body holds the record's id and the idempotency key of the publication, nothing of
        its content. Any `PublicRecord` is accepted, also one the guard would no longer clear
        (a record whose attribute changed is the one to take down).

        :raises WebhookError: the CMS did not confirm (code ``webhook.withdraw_rejected`` or
            ``webhook.withdraw_failed``): the page may still be live.
        :raises ValidationError: the clock returned a naive datetime (nothing was sent).
        """
        if not isinstance(view, PublicRecord):
            raise TypeError(f"withdraw takes a PublicRecord, got {type(view).__name__}")
        self._withdraw(view, idempotency_key(view, "withdraw"))

    def withdraw_with_key(self, view: PublicRecord, key: str) -> None:
        """`withdraw` with the caller's ``Idempotency-Key`` (a
        `govdisclose.outbox.KeyedWithdrawer`).

        .. versionadded:: 0.2.0
        """
        if not isinstance(view, PublicRecord):
            raise TypeError(f"withdraw takes a PublicRecord, got {type(view).__name__}")
        self._withdraw(view, _check_key(key))

    def _withdraw(self, view: PublicRecord, key: str) -> None:
        payload = {
            "action": "withdraw",
            "publisher": self.name,
            "idempotency_key": key,
            "sent_at": serde.unstructure(self._time()),
            "record_id": view.id,
            "publish_key": idempotency_key(view),
        }
        self._deliver("withdraw", view.id, key, payload)

    def _deliver(
        self, action: Action, record_id: str, key: str, payload: Mapping[str, object]
    ) -> _Answer:
        # The body is built once: retries resend the same bytes, so the signature holds.
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(
            self.url, data=body, headers=self._headers(body, key), method="POST"
        )
        answer = _Answer(ok=False)
        attempt = 0
        while attempt < self.max_attempts:
            attempt += 1
            answer = self._send(request)
            if answer.ok or not answer.retryable or attempt == self.max_attempts:
                break
            self.sleep(self.delay(attempt, answer.retry_after))
        if not answer.ok:
            raise self._error(action, record_id, answer, attempt)
        return answer

    def _headers(self, body: bytes, key: str) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "User-Agent": _USER_AGENT,
            "Idempotency-Key": key,
        }
        if self.secret is not None:
            headers[SIGNATURE_HEADER] = sign(body, self.secret)
        return headers

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based).

        ``backoff * 2 ** (attempt - 1)``, or the server's ``Retry-After`` when it gave one;
        never more than ``max_delay``.
        """
        wanted = retry_after if retry_after is not None else self.backoff * 2 ** (attempt - 1)
        return min(wanted, self.max_delay)

    def _time(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValidationError(
                "webhook 发布器的时钟返回了不带时区的时间",
                "the webhook publisher's clock returned a naive datetime",
                field="clock",
                code="webhook.naive_clock",
            )
        return now

    def _secrets(self) -> tuple[str, ...]:
        """The secret strings a text from the network might echo: the signing secret and the
        secret query values of the URL (``token=...``)."""
        found: list[str] = []
        if isinstance(self.secret, bytes):
            found.append(self.secret.decode("utf-8", errors="ignore"))
        elif self.secret is not None:
            found.append(self.secret)
        found.extend(
            value
            for name, value in parse_qsl(urlsplit(self.url).query, keep_blank_values=True)
            if is_secret_name(name)
        )
        return tuple(s for s in found if len(s) >= _MIN_SECRET)

    def _send(self, request: urllib.request.Request) -> _Answer:
        with _attempt(self.timeout) as deadline:
            try:
                return self._exchange(request, deadline)
            except urllib.error.URLError as err:
                reason = err.reason
                # A certificate the CMS does not pass today will not pass in a second either.
                retryable = not isinstance(reason, ssl.SSLCertVerificationError)
                return _Answer(ok=False, reason=_why(reason, deadline), retryable=retryable)
            except (OSError, http.client.HTTPException) as err:
                return _Answer(ok=False, reason=_why(err, deadline), retryable=True)

    def _exchange(self, request: urllib.request.Request, deadline: _Deadline) -> _Answer:
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                status = int(response.status)
                try:
                    raw = _read(response, MAX_RESPONSE, deadline)
                except (OSError, http.client.HTTPException):
                    # The status line already says whether the CMS took the request.
                    raw = b""
                return _classify(status, raw, response.headers.get("Retry-After"))
        except urllib.error.HTTPError as err:
            try:
                raw = _read(err, _SNIPPET, deadline)
            except (OSError, http.client.HTTPException):
                raw = b""
            finally:
                err.close()
            return _classify(err.code, raw, err.headers.get("Retry-After"))

    def _error(
        self, action: Action, record_id: str, answer: _Answer, attempts: int
    ) -> WebhookError:
        shown = _display_url(self.url)
        secrets = self._secrets()
        reason = redact_text(answer.reason, secrets) if answer.reason else None
        what = f"HTTP {answer.status}" if answer.status is not None else "no answer"
        if reason:
            what += f" ({reason})"
        rid, tried = record_id, f"{attempts} attempt(s)"
        retry_zh = "此类错误重试无效，请检查地址、密钥或记录内容"
        retry_en = (
            "not retried because repeating the request cannot succeed (check the URL, the "
            "secret or the record)"
        )
        live_zh = "页面可能仍在线，请人工撤回"
        live_en = "the page may still be live: take it down by hand"
        messages = {
            ("publish", True): (
                f"向 {shown} 推送记录“{rid}”失败：{what}，共尝试 {attempts} 次",
                f"pushing record {rid!r} to {shown} failed: {what}; {tried}",
                "webhook.failed",
            ),
            ("publish", False): (
                f"{shown} 拒绝了记录“{rid}”：{what}，共尝试 {attempts} 次；{retry_zh}",
                f"{shown} rejected record {rid!r}: {what}; {tried}, {retry_en}",
                "webhook.rejected",
            ),
            ("withdraw", True): (
                f"从 {shown} 撤回记录“{rid}”失败：{what}，共尝试 {attempts} 次；{live_zh}",
                f"withdrawing record {rid!r} from {shown} failed: {what}; {tried}; {live_en}",
                "webhook.withdraw_failed",
            ),
            ("withdraw", False): (
                f"{shown} 拒绝撤回记录“{rid}”：{what}，共尝试 {attempts} 次；{retry_zh}；{live_zh}",
                f"{shown} refused to withdraw record {rid!r}: {what}; {tried}, {retry_en}; "
                f"{live_en}",
                "webhook.withdraw_rejected",
            ),
        }
        zh, en, code = messages[(action, answer.retryable)]
        return WebhookError(
            redact_text(zh, secrets),
            redact_text(en, secrets),
            url=shown,
            attempts=attempts,
            status=answer.status,
            reason=reason,
            action=action,
            code=code,
        )
