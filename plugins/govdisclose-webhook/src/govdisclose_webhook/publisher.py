"""The webhook publisher: one JSON POST per record, retried until the CMS has taken it.

The CMS learns three things from each request:

* the record itself, as `govdisclose.serde` writes it (the same JSON the library reads back), so
  the receiving side can use ``govdisclose.serde.structure(body["record"], Record)``;
* an ``Idempotency-Key`` that depends only on the record's content (`idempotency_key`): a
  retried request, or a second push of an unchanged record, carries the same key and can be
  recognised as a duplicate; a changed record carries a new one;
* with a shared secret, an ``X-Govdisclose-Signature`` header, ``sha256=`` and the hex HMAC of
  the exact body bytes (`sign`), so the CMS can refuse pushes that did not come from the OA
  system.

Only transient failures are retried (connection errors, timeouts, 408, 429, 5xx), with
exponential backoff or the delay a numeric ``Retry-After`` asks for, both capped. Any other
answer is final at once: a 4xx means the request itself is wrong and repeating it cannot help.
Redirects are not followed, because urllib would turn the POST into a GET without the record.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import math
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from datetime import datetime
from email.message import Message
from typing import IO, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import attrs

from govdisclose import serde
from govdisclose.errors import GovDiscloseError, ValidationError
from govdisclose.model import Publication, Record
from govdisclose.vocab import DisclosureScope, PublicationChannel

__all__ = [
    "SIGNATURE_HEADER",
    "WebhookError",
    "WebhookPublisher",
    "idempotency_key",
    "make_opener",
    "sign",
]

#: The header carrying ``sha256=<hex HMAC of the body>`` when a secret is configured.
SIGNATURE_HEADER = "X-Govdisclose-Signature"

_USER_AGENT = "govdisclose-webhook/0.1.0"
# A CMS answer is a small JSON object; never buffer an arbitrarily large body.
_MAX_RESPONSE = 1 << 20
_SNIPPET = 200
_RETRY_STATUSES = frozenset({408, 429})


class WebhookError(GovDiscloseError):
    """The CMS did not take the record: rejected (4xx, redirect) or still failing after every
    attempt.

    :param url: the endpoint, without query string or credentials.
    :param attempts: how many requests were made.
    :param status: the last HTTP status, or ``None`` when the last attempt got no answer.
    :param reason: the last transport error, or the start of the CMS's error body.
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
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        self.url = url
        self.attempts = attempts
        self.status = status
        self.reason = reason
        super().__init__(message_zh, message_en, field=field, code=code)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # Following a 301/302/303 would re-send the POST as a GET without the record; a moved
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


def make_opener(*, proxies: Mapping[str, str] | None = None) -> urllib.request.OpenerDirector:
    """The urllib opener `WebhookPublisher` uses by default: redirects are not followed.

    :param proxies: scheme -> proxy URL; ``None`` takes the proxies from the environment
        (``https_proxy``, ``no_proxy``), ``{}`` connects directly.
    """
    handlers: list[urllib.request.BaseHandler] = [_NoRedirect()]
    if proxies is not None:
        handlers.append(urllib.request.ProxyHandler(dict(proxies)))
    return urllib.request.build_opener(*handlers)


def _opener(value: urllib.request.OpenerDirector | None) -> urllib.request.OpenerDirector:
    return make_opener() if value is None else value


def _now() -> datetime:
    # The publication time is a fact of the I/O edge: when the CMS acknowledged the record.
    return datetime.now(ZoneInfo("Asia/Shanghai"))


def idempotency_key(record: Record) -> str:
    """The ``Idempotency-Key`` of a push of ``record``: the hex SHA-256 of its canonical JSON.

    The record's own publication history is left out: it is not content, and it grows with each
    channel, so a record republished unchanged must keep its key. Every other field (id, title,
    body, decisions, review status, ...) is in it, so any change gives a new key.
    """
    content = serde.unstructure(attrs.evolve(record, publications=()))
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def sign(body: bytes, secret: str | bytes) -> str:
    """The ``X-Govdisclose-Signature`` value for ``body``: ``sha256=`` and the hex HMAC-SHA256.

    The receiving CMS recomputes it over the raw body bytes it received and compares with
    `hmac.compare_digest`.
    """
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def _display_url(url: str) -> str:
    # Query strings often carry access tokens: keep them out of messages and logs.
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _check_url(inst: WebhookPublisher, att: Any, value: str) -> None:
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(
            f"webhook 地址应为 http:// 或 https:// 开头的完整地址，实际为 {value!r}",
            f"the webhook url must be an absolute http:// or https:// URL, got {value!r}",
            field="url",
            code="webhook.bad_url",
        )
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


@attrs.define
class WebhookPublisher:
    """Publishes records by POSTing them to an external CMS (站群/内容管理系统) endpoint.

    :param url: the endpoint (``http://`` or ``https://``, no credentials in it).
    :param name: the publisher name stored in `Publication.publisher`.
    :param secret: shared secret for the ``X-Govdisclose-Signature`` HMAC; unsigned if ``None``.
    :param timeout: seconds to wait for the connection and for each read.
    :param max_attempts: requests made at most for one record (1 means no retry).
    :param backoff: delay before the second attempt; doubled before each further one.
    :param max_delay: cap on any single delay, including one asked for by ``Retry-After``.
    :param channel: the `PublicationChannel` recorded (the CMS behind a government portal by
        default, 条例 2019 第二十三条).
    :param sleep: waits between attempts (tests pass one that records the delays).
    :param clock: gives ``sent_at`` and the publication time; must return aware datetimes.
    :param opener: the urllib opener; `make_opener` by default.
    """

    url: str = attrs.field(validator=_check_url)
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

    def publish(self, record: Record) -> Publication:
        """POST ``record`` to the CMS, retrying transient failures; return the publication.

        The returned `Publication` carries the URL the CMS answered in its JSON field ``url``
        (if any), the scope of the decision in force and the idempotency key as its note.

        :raises WebhookError: the CMS rejected the record or every attempt failed; nothing
            was published, so `govdisclose.publishing.publish` records nothing for it.
        :raises ValidationError: the clock returned a naive datetime (nothing was sent).
        """
        key = idempotency_key(record)
        body = self._body(record, self._time(), key)
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
            raise self._error(record, answer, attempt)
        scope = record.decision.scope if record.decision else DisclosureScope.FULL
        return Publication(
            publisher=self.name,
            channel=self.channel,
            published_at=self._time(),
            url=answer.url,
            scope=scope,
            note=f"Idempotency-Key: {key}",
        )

    def _body(self, record: Record, sent_at: datetime, key: str) -> bytes:
        # Built once per publish: retries resend the same bytes, so the signature holds.
        payload = {
            "publisher": self.name,
            "idempotency_key": key,
            "sent_at": sent_at,
            "record": record,
        }
        return json.dumps(serde.unstructure(payload), ensure_ascii=False).encode("utf-8")

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

    def _send(self, request: urllib.request.Request) -> _Answer:
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                status = int(response.status)
                try:
                    raw = response.read(_MAX_RESPONSE)
                except (OSError, http.client.HTTPException):
                    # The status line already says whether the CMS took the record.
                    raw = b""
                return _classify(status, raw, response.headers.get("Retry-After"))
        except urllib.error.HTTPError as err:
            try:
                raw = err.read(_SNIPPET)
            except (OSError, http.client.HTTPException):
                raw = b""
            finally:
                err.close()
            return _classify(err.code, raw, err.headers.get("Retry-After"))
        except urllib.error.URLError as err:
            reason = err.reason
            # A certificate the CMS does not pass today will not pass in a second either.
            retryable = not isinstance(reason, ssl.SSLCertVerificationError)
            text = (
                f"{type(reason).__name__}: {reason}"
                if isinstance(reason, BaseException)
                else str(reason)
            )
            return _Answer(ok=False, reason=text, retryable=retryable)
        except (OSError, http.client.HTTPException) as err:
            return _Answer(ok=False, reason=f"{type(err).__name__}: {err}", retryable=True)

    def _error(self, record: Record, answer: _Answer, attempts: int) -> WebhookError:
        shown = _display_url(self.url)
        what = f"HTTP {answer.status}" if answer.status is not None else "no answer"
        if answer.reason:
            what += f" ({answer.reason})"
        if answer.retryable:
            zh = f"向 {shown} 推送记录“{record.id}”失败：{what}，共尝试 {attempts} 次"
            en = f"pushing record {record.id!r} to {shown} failed: {what}; {attempts} attempt(s)"
            code = "webhook.failed"
        else:
            zh = (
                f"{shown} 拒绝了记录“{record.id}”：{what}，共尝试 {attempts} 次；"
                "此类错误重试无效，请检查地址、密钥或记录内容"
            )
            en = (
                f"{shown} rejected record {record.id!r}: {what}; {attempts} attempt(s), not "
                "retried because repeating the request cannot succeed (check the URL, the secret "
                "or the record)"
            )
            code = "webhook.rejected"
        return WebhookError(
            zh,
            en,
            url=shown,
            attempts=attempts,
            status=answer.status,
            reason=answer.reason,
            code=code,
        )
