"""The webhook publisher against a real HTTP server on 127.0.0.1 that replies from a script.

Nothing here waits for real: the publisher's ``sleep`` records the delays it asks for. The
deadline of an attempt against servers that trickle their answers is in test_deadline.py.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from govdisclose import serde
from govdisclose.errors import (
    ConflictError,
    GovDiscloseError,
    PluginError,
    PublishBlocked,
    ValidationError,
)
from govdisclose.model import AttributeDecision, Publication, Record
from govdisclose.public import PublicRecord
from govdisclose.publishing import clear, public_view
from govdisclose.vocab import (
    DisclosureAttribute,
    DisclosureScope,
    DocumentKind,
    PublicationChannel,
    ReviewStatus,
)
from govdisclose_webhook import (
    SIGNATURE_HEADER,
    WebhookError,
    WebhookPublisher,
    idempotency_key,
    make_opener,
    sign,
)

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2025, 3, 5, 9, 30, tzinfo=SH)


# -- the scripted CMS -------------------------------------------------------------------------


@attrs.frozen
class Reply:
    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = attrs.field(factory=dict)
    delay: float = 0.0


def json_reply(status: int, data: object, **headers: str) -> Reply:
    return Reply(status, json.dumps(data).encode(), {"Content-Type": "application/json", **headers})


@attrs.frozen
class Received:
    method: str
    path: str
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class CMS:
    """Records every request and answers with the next scripted reply (the last one repeats)."""

    def __init__(self, replies: tuple[Reply, ...]) -> None:
        self._replies = list(replies)
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self.url = ""

    @property
    def received(self) -> tuple[Received, ...]:
        with self._lock:
            return tuple(self._received)

    def take(self, received: Received) -> Reply:
        with self._lock:
            self._received.append(received)
            return self._replies.pop(0) if len(self._replies) > 1 else self._replies[0]


def _handler(cms: CMS) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            reply = cms.take(Received("POST", self.path, dict(self.headers.items()), body))
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out closes the socket under a slow reply: expected here.
        pass


@pytest.fixture
def serve() -> Iterator[Callable[..., CMS]]:
    servers: list[tuple[_Server, threading.Thread]] = []

    def start(*replies: Reply) -> CMS:
        cms = CMS(replies or (Reply(),))
        server = _Server(("127.0.0.1", 0), _handler(cms))
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        thread.start()
        servers.append((server, thread))
        cms.url = f"http://127.0.0.1:{server.server_address[1]}/api/gd"
        return cms

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port that refuses connections: bound (so nobody else takes it), not listening."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    try:
        yield int(sock.getsockname()[1])
    finally:
        sock.close()


# -- helpers ----------------------------------------------------------------------------------


# Distinctive strings of the record that are not public: none may reach the CMS.
DECIDER = "DECIDER-起草处室-7Q"
WITHHELD = "WITHHELD-第三页商业秘密-9Z"
BASIS = "BASIS-第十五条-4K"
REVIEWER = "REVIEWER-审查人-3X"


def _record(
    rid: str = "R-1", title: str = "关于印发某某办法的通知", scope: DisclosureScope | None = None
) -> Record:
    return Record(
        id=rid,
        title=title,
        agency="city-gov",
        formed_on=date(2025, 3, 3),
        kind=DocumentKind.NORMATIVE_DOCUMENT,
        index_number="11330100002491234X/2025-00012",
        document_number="杭政办〔2025〕3号",
        key_areas=("财政预决算",),
        interpretations=("JD-2025-0007",),
        decisions=(
            AttributeDecision(
                attribute=DisclosureAttribute.PROACTIVE,
                decided_by=DECIDER,
                decided_on=date(2025, 3, 1),
                scope=scope or DisclosureScope.FULL,
                withheld_note=WITHHELD,
                legal_basis=BASIS,
            ),
        ),
        review_status=ReviewStatus.PASSED,
        reviewed_by=REVIEWER,
        reviewed_on=date(2025, 3, 4),
        body="第一段。\n第二段。",
    )


def _view(record: Record | None = None) -> PublicRecord:
    """What the publication guard hands a publisher (keep it referenced: the guard's mark is
    weak)."""
    return clear(record if record is not None else _record())


def _publisher(
    url: str, sleeps: list[float] | None = None, *, clock_at: datetime = T0, **kw: Any
) -> WebhookPublisher:
    delays = sleeps if sleeps is not None else []
    return WebhookPublisher(
        url,
        sleep=delays.append,
        clock=lambda: clock_at,
        # Direct connections: a proxy in the environment must not intercept loopback traffic.
        opener=make_opener(proxies={}),
        **kw,
    )


# -- success ----------------------------------------------------------------------------------


def test_success_returns_the_url_the_cms_gives(serve: Callable[..., CMS]) -> None:
    """A 201 with ``{"url": ...}`` gives a Publication with that URL, the clock's time, the
    view's scope, and the serde JSON of the public view in the request body."""
    cms = serve(json_reply(201, {"url": "https://www.example.gov.cn/xxgk/R-1.html", "id": 7}))
    view = _view(_record(scope=DisclosureScope.PARTIAL))
    pub = _publisher(cms.url).publish(view)

    assert pub == Publication(
        publisher="webhook",
        channel=PublicationChannel.PORTAL,
        published_at=T0,
        url="https://www.example.gov.cn/xxgk/R-1.html",
        scope=DisclosureScope.PARTIAL,
        note=f"Idempotency-Key: {idempotency_key(view)}",
    )
    (req,) = cms.received
    assert req.method == "POST"
    assert req.path == "/api/gd"
    assert req.headers["Content-Type"] == "application/json; charset=utf-8"
    assert SIGNATURE_HEADER not in req.headers  # no secret, no signature
    payload = req.json()
    assert payload["action"] == "publish"
    assert payload["record"] == serde.unstructure(view)
    assert serde.structure(payload["record"], PublicRecord) == view
    assert payload["sent_at"] == "2025-03-05T09:30:00+08:00"
    assert payload["publisher"] == "webhook"
    assert payload["idempotency_key"] == req.headers["Idempotency-Key"]
    assert "某某办法" in req.body.decode("utf-8")  # Chinese travels as UTF-8, not \u escapes


@pytest.mark.parametrize(
    "reply",
    [
        Reply(204),
        Reply(200, b"<html>ok</html>", {"Content-Type": "text/html"}),
        json_reply(200, {"url": 42}),
        json_reply(200, ["https://not-an-object.example"]),
    ],
    ids=["no-body", "not-json", "url-not-a-string", "not-an-object"],
)
def test_success_without_a_usable_url(serve: Callable[..., CMS], reply: Reply) -> None:
    """Any 2xx is a publication; without a string ``url`` field it has no URL."""
    cms = serve(reply)
    pub = _publisher(cms.url).publish(_view())
    assert pub.url is None
    assert len(cms.received) == 1


def test_channel_and_name_are_configurable(serve: Callable[..., CMS]) -> None:
    cms = serve(Reply(200))
    pub = _publisher(cms.url, name="zhanqun", channel=PublicationChannel.NEW_MEDIA).publish(_view())
    assert (pub.publisher, pub.channel) == ("zhanqun", PublicationChannel.NEW_MEDIA)
    assert cms.received[0].json()["publisher"] == "zhanqun"


# -- signature and idempotency ----------------------------------------------------------------


def test_signature_is_verifiable_by_the_receiver(serve: Callable[..., CMS]) -> None:
    """The receiver recomputes HMAC-SHA256 over the raw body with the shared secret."""
    cms = serve(Reply(200))
    secret = "共享密钥-s3cret"
    _publisher(cms.url, secret=secret).publish(_view())
    (req,) = cms.received
    expected = "sha256=" + hmac.new(secret.encode(), req.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(req.headers[SIGNATURE_HEADER], expected)
    wrong = "sha256=" + hmac.new(b"other", req.body, hashlib.sha256).hexdigest()
    assert req.headers[SIGNATURE_HEADER] != wrong
    assert sign(req.body, secret.encode()) == expected


def test_idempotency_key_stable_across_retries_and_pushes(serve: Callable[..., CMS]) -> None:
    """Retries resend the same bytes and key; an identical record gets the same key in a later
    push (even after it gained a publication, or a new reviewer: neither is public); a change
    to what the public sees gets a new key."""
    cms = serve(Reply(503), Reply(200))
    record = _record()
    view = _view(record)
    pub = _publisher(cms.url).publish(view)
    first, retry = cms.received
    assert first.body == retry.body
    assert first.headers["Idempotency-Key"] == retry.headers["Idempotency-Key"]
    assert first.headers["Idempotency-Key"] == idempotency_key(view)

    published = attrs.evolve(record, publications=(pub,), reviewed_by="另一位审查人")
    later = _publisher(cms.url, clock_at=datetime(2025, 3, 6, 8, 0, tzinfo=SH))
    later.publish(_view(published))
    later.publish(_view(_record(title="关于印发某某办法（修订）的通知")))
    _, _, again, changed = cms.received
    assert again.headers["Idempotency-Key"] == first.headers["Idempotency-Key"]
    assert again.body != first.body  # sent_at differs; the key identifies the content
    assert changed.headers["Idempotency-Key"] != first.headers["Idempotency-Key"]
    assert len(first.headers["Idempotency-Key"]) == 64


def test_idempotency_key_takes_only_a_public_view() -> None:
    with pytest.raises(TypeError):
        idempotency_key(_record())  # type: ignore[arg-type]
    view = _view()
    assert idempotency_key(view, "withdraw") != idempotency_key(view)


# -- retries ----------------------------------------------------------------------------------


def test_retry_on_5xx_then_success_with_exponential_backoff(serve: Callable[..., CMS]) -> None:
    cms = serve(Reply(503), Reply(502), json_reply(200, {"url": "https://cms.example/1"}))
    sleeps: list[float] = []
    pub = _publisher(cms.url, sleeps, backoff=0.25).publish(_view())
    assert pub.url == "https://cms.example/1"
    assert len(cms.received) == 3
    assert sleeps == [0.25, 0.5]


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [
        ("7", 7.0),  # honoured
        ("0", 0.0),
        ("3600", 30.0),  # capped by max_delay
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.5),  # an HTTP-date falls back to the backoff
    ],
)
def test_retry_after_is_honoured_and_capped(
    serve: Callable[..., CMS], retry_after: str, expected: float
) -> None:
    cms = serve(Reply(429, b"slow down", {"Retry-After": retry_after}), Reply(200))
    sleeps: list[float] = []
    _publisher(cms.url, sleeps).publish(_view())
    assert sleeps == [expected]
    assert len(cms.received) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_no_retry_on_other_4xx(serve: Callable[..., CMS], status: int) -> None:
    """A client error is final: one request, no delay, the CMS's message in the error."""
    cms = serve(Reply(status, b'{"error": "missing field title"}'), Reply(200))
    sleeps: list[float] = []
    with pytest.raises(WebhookError) as caught:
        _publisher(cms.url, sleeps).publish(_view())
    err = caught.value
    assert len(cms.received) == 1
    assert sleeps == []
    assert (err.code, err.status, err.attempts) == ("webhook.rejected", status, 1)
    assert err.reason is not None
    assert "missing field title" in err.reason
    assert f"HTTP {status}" in err.message_zh
    assert f"HTTP {status}" in err.message_en


def test_redirect_is_not_followed(serve: Callable[..., CMS]) -> None:
    """urllib would turn the POST into a body-less GET: a redirect is reported instead."""
    target = serve(Reply(200))
    cms = serve(Reply(302, b"", {"Location": target.url}))
    with pytest.raises(WebhookError) as caught:
        _publisher(cms.url).publish(_view())
    assert caught.value.status == 302
    assert caught.value.code == "webhook.rejected"
    assert target.received == ()


def test_exhausted_attempts_raise_with_the_count(serve: Callable[..., CMS]) -> None:
    """Every attempt fails: WebhookError names the URL (without its token), the last status
    and the number of attempts, in both languages."""
    cms = serve(Reply(500, b"database down"))
    sleeps: list[float] = []
    url = cms.url + "?token=very-secret-token"
    with pytest.raises(WebhookError) as caught:
        _publisher(url, sleeps, max_attempts=3).publish(_view())
    err = caught.value
    assert isinstance(err, GovDiscloseError)
    assert len(cms.received) == 3
    assert sleeps == [0.5, 1.0]
    assert (err.code, err.status, err.attempts) == ("webhook.failed", 500, 3)
    assert err.url == cms.url
    assert "共尝试 3 次" in err.message_zh
    assert "3 attempt(s)" in err.message_en
    assert cms.url in err.message_zh
    assert "HTTP 500" in err.message_en
    assert "very-secret-token" not in str(err)


def test_connection_refused_is_retried_then_fails(closed_port: int) -> None:
    sleeps: list[float] = []
    url = f"http://127.0.0.1:{closed_port}/hook"
    with pytest.raises(WebhookError) as caught:
        _publisher(url, sleeps, max_attempts=3).publish(_view())
    err = caught.value
    assert (err.code, err.status, err.attempts) == ("webhook.failed", None, 3)
    assert err.reason is not None
    assert "ConnectionRefusedError" in err.reason
    assert sleeps == [0.5, 1.0]


def test_timeout_is_retried(serve: Callable[..., CMS]) -> None:
    """A CMS slower than ``timeout`` counts as a failed attempt; a prompt retry succeeds."""
    cms = serve(Reply(200, delay=0.5), json_reply(200, {"url": "https://cms.example/2"}))
    sleeps: list[float] = []
    pub = _publisher(cms.url, sleeps, timeout=0.1).publish(_view())
    assert pub.url == "https://cms.example/2"
    assert len(cms.received) == 2
    assert sleeps == [0.5]


def test_single_attempt_means_no_retry(serve: Callable[..., CMS]) -> None:
    cms = serve(Reply(503))
    sleeps: list[float] = []
    with pytest.raises(WebhookError) as caught:
        _publisher(cms.url, sleeps, max_attempts=1).publish(_view())
    assert caught.value.attempts == 1
    assert sleeps == []


# -- configuration errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "kwargs", "field"),
    [
        ("ftp://cms.example/x", {}, "url"),
        ("cms.example/x", {}, "url"),
        ("https://user:pw@cms.example/x", {}, "url"),
        ("https://cms.example/x", {"timeout": 0}, "timeout"),
        ("https://cms.example/x", {"max_attempts": 0}, "max_attempts"),
        ("https://cms.example/x", {"backoff": -1.0}, "backoff"),
        ("https://cms.example/x", {"name": " "}, "name"),
    ],
)
def test_bad_settings_are_refused(url: str, kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        WebhookPublisher(url, **kwargs)
    assert caught.value.field == field


def test_naive_clock_is_refused_before_sending(serve: Callable[..., CMS]) -> None:
    cms = serve(Reply(200))
    with pytest.raises(ValidationError) as caught:
        _publisher(cms.url, clock_at=datetime(2025, 3, 5, 9, 30)).publish(_view())
    assert caught.value.field == "clock"
    assert cms.received == ()


# -- the plugin hook ------------------------------------------------------------------------


def test_hook_gives_a_publisher_only_with_a_url() -> None:
    from govdisclose.plugins import Settings, collect_publishers, make_plugin_manager
    from govdisclose_webhook import plugin

    pm = make_plugin_manager(load_entry_points=False, plugins=[plugin])
    assert collect_publishers(Settings(), pm) == ()
    settings = Settings(
        options={
            "webhook.url": "https://cms.example.gov.cn/api/gd",
            "webhook.secret": "k",
            "webhook.timeout": "2.5",
            "webhook.max_attempts": "3",
            "webhook.backoff": "1",
            "webhook.channel": "gazette",
        }
    )
    (publisher,) = collect_publishers(settings, pm)
    assert isinstance(publisher, WebhookPublisher)
    assert (publisher.url, publisher.secret, publisher.timeout) == (
        "https://cms.example.gov.cn/api/gd",
        "k",
        2.5,
    )
    assert (publisher.max_attempts, publisher.backoff) == (3, 1.0)
    assert publisher.channel is PublicationChannel.GAZETTE
    defaults = collect_publishers(Settings(options={"webhook.url": "http://cms/x"}), pm)
    assert isinstance(defaults[0], WebhookPublisher)
    assert (defaults[0].secret, defaults[0].timeout, defaults[0].max_attempts) == (None, 10.0, 5)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("webhook.url", "ftp://cms.example/x"),
        ("webhook.timeout", "soon"),
        ("webhook.timeout", "0"),
        ("webhook.timeout", "inf"),
        ("webhook.max_attempts", "0"),
        ("webhook.max_attempts", "2.5"),
        ("webhook.backoff", "nan"),
        ("webhook.backoff", "-1"),
        ("webhook.channel", "website"),
    ],
)
def test_hook_bad_option_names_it(option: str, value: str) -> None:
    from govdisclose.plugins import Settings, collect_publishers, make_plugin_manager
    from govdisclose_webhook import plugin

    pm = make_plugin_manager(load_entry_points=False, plugins=[plugin])
    options = {"webhook.url": "https://cms.example.gov.cn/api/gd", option: value}
    with pytest.raises(PluginError) as caught:
        collect_publishers(Settings(options=options), pm)
    err = caught.value
    assert err.field == f"options[{option!r}]"
    assert option in err.message_zh
    assert option in err.message_en
    assert err.code == "webhook.bad_option"


def test_installed_entry_point_is_found() -> None:
    """The distribution's entry point registers the plugin under the name ``webhook``."""
    from govdisclose.plugins import make_plugin_manager

    pm = make_plugin_manager(only=["webhook"])
    assert pm.get_plugin("webhook") is not None


# -- end to end through govdisclose.publishing ------------------------------------------------


def test_publish_records_the_webhook_publication(serve: Callable[..., CMS]) -> None:
    from govdisclose.publishing import publish

    cms = serve(Reply(503), json_reply(201, {"url": "https://www.example.gov.cn/xxgk/R-1.html"}))
    record = _record()
    webhook = _publisher(cms.url, secret="k")
    result = publish(record, publishers=[webhook], now=T0)
    assert result.failed == ()
    (pub,) = result.published
    assert pub.publisher == "webhook"
    assert pub.url == "https://www.example.gov.cn/xxgk/R-1.html"
    assert result.record.publications == (pub,)
    assert len(cms.received) == 2


def test_publish_with_a_failing_cms_records_nothing_for_it(serve: Callable[..., CMS]) -> None:
    """The webhook channel fails (every attempt 500); the other channel still publishes, and
    the stored record carries only that other publication."""
    from govdisclose.publishing import publish
    from govdisclose.testing import MemoryStore, RecordingPublisher, builders

    cms = serve(Reply(500, b"maintenance"))
    record = _record()
    store = MemoryStore()
    store.put_agency(builders.agency(record.agency))
    store.put_record(record, expected_version=0)
    other = RecordingPublisher(T0, name="portal")
    webhook = _publisher(cms.url, max_attempts=2)
    result = publish(record, publishers=[webhook, other], now=T0, store=store)

    ((name, message),) = result.failed
    assert name == "webhook"
    assert "WebhookError" in message
    assert "HTTP 500" in message
    assert [p.publisher for p in result.published] == ["portal"]
    stored = store.get_record(record.id)
    assert [p.publisher for p in stored.publications] == ["portal"]
    assert len(cms.received) == 2


def test_publish_with_only_the_failing_cms_records_nothing(closed_port: int) -> None:
    from govdisclose.publishing import publish

    record = _record()
    webhook = _publisher(f"http://127.0.0.1:{closed_port}/", max_attempts=2)
    result = publish(record, publishers=[webhook], now=T0)
    assert result.published == ()
    assert result.record == record
    assert [name for name, _ in result.failed] == ["webhook"]


# -- what leaves: the public view and nothing else ----------------------------------------------

# The fields of a PublicRecord (its guard mark is not a field of the value).
_PUBLIC = {a.name for a in attrs.fields(PublicRecord) if a.init}
# Fields of a Record that are not on its PublicRecord, and the fields of its decisions.
_NOT_PUBLIC = {*(set(attrs.fields_dict(Record)) - _PUBLIC), *attrs.fields_dict(AttributeDecision)}


def test_body_holds_the_public_view_only(serve: Callable[..., CMS]) -> None:
    """The body is the envelope and the PublicRecord: no other field of the record, and none
    of its decision notes, deciders, legal bases or reviewer, anywhere in the bytes."""
    cms = serve(Reply(200))
    view = _view(_record(scope=DisclosureScope.PARTIAL))
    _publisher(cms.url, secret="共享密钥-s3cret").publish(view)
    (req,) = cms.received
    payload = req.json()
    assert set(payload) == {"action", "publisher", "idempotency_key", "sent_at", "record"}
    assert set(payload["record"]) == _PUBLIC
    assert payload["record"]["scope"] == "partial"
    raw = req.body.decode("utf-8")
    for secret in (DECIDER, WITHHELD, BASIS, REVIEWER, "2025-03-04"):  # 2025-03-04: reviewed_on
        assert secret not in raw
    assert {"decisions", "reviewed_by", "withheld_note", "decided_by"} <= _NOT_PUBLIC
    for name in _NOT_PUBLIC - _PUBLIC:
        assert f'"{name}"' not in raw, name


@pytest.mark.parametrize("make", [public_view, lambda r: r], ids=["uncleared-view", "record"])
def test_publish_refuses_what_the_guard_did_not_clear(
    serve: Callable[..., CMS], make: Callable[[Record], Any]
) -> None:
    """A hand-built view or a Record is refused before anything is sent."""
    cms = serve(Reply(200))
    with pytest.raises(PublishBlocked) as caught:
        _publisher(cms.url).publish(make(_record(rid="R-uncleared")))
    assert caught.value.code == "publishing.not_cleared"
    assert "webhook" in caught.value.message_en
    assert cms.received == ()


# -- withdraw ---------------------------------------------------------------------------------


def test_withdraw_sends_the_id_and_the_publication_key(serve: Callable[..., CMS]) -> None:
    """A signed POST to the same URL, with its own idempotency key, naming the record and the
    publication to take down, and nothing of the record's content."""
    cms = serve(Reply(200), Reply(204))
    view = _view()
    secret = "共享密钥-s3cret"
    webhook = _publisher(cms.url, secret=secret)
    webhook.publish(view)
    webhook.withdraw(view)
    published, withdrawn = cms.received
    payload = withdrawn.json()
    assert withdrawn.method == "POST"
    assert withdrawn.path == "/api/gd"
    assert payload == {
        "action": "withdraw",
        "publisher": "webhook",
        "idempotency_key": idempotency_key(view, "withdraw"),
        "sent_at": "2025-03-05T09:30:00+08:00",
        "record_id": "R-1",
        "publish_key": published.headers["Idempotency-Key"],
    }
    assert withdrawn.headers["Idempotency-Key"] == payload["idempotency_key"]
    assert withdrawn.headers["Idempotency-Key"] != published.headers["Idempotency-Key"]
    expected = "sha256=" + hmac.new(secret.encode(), withdrawn.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(withdrawn.headers[SIGNATURE_HEADER], expected)
    assert view.title not in withdrawn.body.decode("utf-8")


def test_withdraw_is_retried_with_the_same_bytes(serve: Callable[..., CMS]) -> None:
    cms = serve(Reply(503), Reply(429, headers={"Retry-After": "2"}), Reply(200))
    sleeps: list[float] = []
    _publisher(cms.url, sleeps).withdraw(_view())
    first, second, third = cms.received
    assert first.body == second.body == third.body
    assert sleeps == [0.5, 2.0]


def test_withdraw_of_any_public_view(serve: Callable[..., CMS]) -> None:
    """A view the guard would no longer clear can be withdrawn (only its id and key leave);
    anything else is a programming error."""
    cms = serve(Reply(200))
    webhook = _publisher(cms.url)
    webhook.withdraw(public_view(_record(rid="R-changed")))
    assert cms.received[0].json()["record_id"] == "R-changed"
    with pytest.raises(TypeError):
        webhook.withdraw(_record())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("replies", "code", "attempts"),
    [
        ((Reply(404, b"no such endpoint"),), "webhook.withdraw_rejected", 1),
        ((Reply(302, headers={"Location": "http://elsewhere/"}),), "webhook.withdraw_rejected", 1),
        ((Reply(500, b"down"),), "webhook.withdraw_failed", 3),
    ],
    ids=["4xx", "redirect", "5xx"],
)
def test_withdraw_not_confirmed_is_an_error(
    serve: Callable[..., CMS], replies: tuple[Reply, ...], code: str, attempts: int
) -> None:
    """Only a 2xx confirms a withdrawal; otherwise WebhookError says the page may be live."""
    cms = serve(*replies)
    with pytest.raises(WebhookError) as caught:
        _publisher(cms.url, max_attempts=3).withdraw(_view())
    err = caught.value
    assert (err.code, err.action, err.attempts) == (code, "withdraw", attempts)
    assert "R-1" in err.message_zh
    assert "页面可能仍在线" in err.message_zh
    assert "the page may still be live" in err.message_en
    assert len(cms.received) == attempts


def _conflicting_writer(store: Any, record: Record) -> Any:
    """A publisher that, while the publishers run, lets another clerk change the record."""

    class Clerk:
        name = "clerk"

        def publish(self, view: PublicRecord) -> Publication:
            changed = attrs.evolve(record, title="已被他人修改的标题")
            store.put_record(changed, expected_version=store.record_version(record.id))
            raise RuntimeError("not a channel")

    return Clerk()


def test_publish_withdraws_from_the_cms_when_the_store_write_conflicts(
    serve: Callable[..., CMS],
) -> None:
    """The store refuses the write after the webhook published: publish() asks the CMS to take
    the page down again and names the webhook as withdrawn."""
    from govdisclose.publishing import publish
    from govdisclose.testing import MemoryStore, builders

    cms = serve(json_reply(201, {"url": "https://www.example.gov.cn/xxgk/R-1.html"}), Reply(200))
    record = _record()
    store = MemoryStore()
    store.put_agency(builders.agency(record.agency))
    store.put_record(record, expected_version=0)
    webhook = _publisher(cms.url)
    with pytest.raises(ConflictError) as caught:
        publish(
            record,
            publishers=[webhook, _conflicting_writer(store, record)],
            now=T0,
            store=store,
        )
    assert caught.value.withdrawn == ("webhook",)
    assert caught.value.not_withdrawn == ()
    published, withdrawn = cms.received
    assert published.json()["action"] == "publish"
    assert withdrawn.json()["action"] == "withdraw"
    assert withdrawn.json()["publish_key"] == published.headers["Idempotency-Key"]


def test_publish_names_the_webhook_when_the_cms_does_not_confirm_the_withdrawal(
    serve: Callable[..., CMS],
) -> None:
    from govdisclose.publishing import publish
    from govdisclose.testing import MemoryStore, builders

    cms = serve(Reply(201), Reply(500, b"down"))
    record = _record()
    store = MemoryStore()
    store.put_agency(builders.agency(record.agency))
    store.put_record(record, expected_version=0)
    with pytest.raises(ConflictError) as caught:
        publish(
            record,
            publishers=[_publisher(cms.url, max_attempts=2), _conflicting_writer(store, record)],
            now=T0,
            store=store,
        )
    assert caught.value.withdrawn == ()
    (stuck,) = caught.value.not_withdrawn
    assert stuck.startswith("webhook")
    assert "WebhookError" in stuck
    assert "HTTP 500" in stuck
    assert len(cms.received) == 3


# -- secrets never shown ----------------------------------------------------------------------

PASSWORD = "Pa55w0rd-ZQX81"
TOKEN = "T0ken-QWV93"
SECRET = "S3cret-MKJ27"


def _all_text(err: BaseException) -> str:
    """Everything an error shows: its str, repr, messages, attributes and its causes'."""
    parts = [str(err), repr(err), *(str(v) for v in vars(err).values())]
    cause = err.__cause__ or err.__context__
    if cause is not None and cause is not err:
        parts.append(_all_text(cause))
    return "\n".join(parts)


@pytest.mark.parametrize(
    "url",
    [
        f"https://admin:{PASSWORD}@cms.example.gov.cn/api/gd",
        f"ftp://cms.example.gov.cn/api/gd?token={TOKEN}",
        f"ftp://admin:{PASSWORD}@cms.example.gov.cn/api/gd?access_token={TOKEN}",
        f"https://cms.example.gov.cn:port/api/gd?token={TOKEN}",
        f"https://[::1/api/gd?token={TOKEN}",
    ],
    ids=["password", "token", "both", "bad-port", "bad-host"],
)
def test_bad_url_never_shows_its_password_or_token(url: str) -> None:
    """Directly and through the plugin hook: the URL is refused, and no message, repr or cause
    shows its password or token (nor the secret option)."""
    from govdisclose.plugins import Settings, collect_publishers, make_plugin_manager
    from govdisclose_webhook import plugin

    with pytest.raises(ValidationError) as direct:
        WebhookPublisher(url, secret=SECRET)
    assert direct.value.field == "url"
    pm = make_plugin_manager(load_entry_points=False, plugins=[plugin])
    options = {"webhook.url": url, "webhook.secret": SECRET}
    with pytest.raises(PluginError) as hooked:
        collect_publishers(Settings(options=options), pm)
    assert hooked.value.code == "webhook.bad_option"
    for err in (direct.value, hooked.value):
        shown = _all_text(err)
        for secret in (PASSWORD, TOKEN, SECRET):
            assert secret not in shown


def test_repr_shows_neither_the_secret_nor_the_token() -> None:
    webhook = WebhookPublisher(f"https://cms.example.gov.cn/api/gd?token={TOKEN}", secret=SECRET)
    shown = repr(webhook)
    assert "cms.example.gov.cn/api/gd" in shown
    assert "token=***" in shown
    assert TOKEN not in shown
    assert SECRET not in shown


def test_failures_never_show_the_secret_or_the_token(
    serve: Callable[..., CMS], closed_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    """A CMS that echoes the token and the secret in its error body, a connection refused:
    neither WebhookError nor the log shows them; publish() lists the failure redacted."""
    from govdisclose.publishing import publish

    caplog.set_level("DEBUG")
    echo = f"bad token {TOKEN} or signature key {SECRET}".encode()
    cms = serve(Reply(401, echo))
    errors: list[WebhookError] = []
    for url in (cms.url + f"?token={TOKEN}", f"http://127.0.0.1:{closed_port}/x?token={TOKEN}"):
        webhook = _publisher(url, secret=SECRET, max_attempts=1)
        for act in (webhook.publish, webhook.withdraw):
            with pytest.raises(WebhookError) as caught:
                act(_view())
            errors.append(caught.value)
        result = publish(_record(), publishers=[webhook], now=T0)
        ((_, message),) = result.failed
        assert TOKEN not in message
        assert SECRET not in message
    assert errors[0].reason is not None
    assert "***" in errors[0].reason  # the echo was masked, not dropped
    for err in errors:
        shown = _all_text(err)
        assert TOKEN not in shown
        assert SECRET not in shown
    assert TOKEN not in caplog.text
    assert SECRET not in caplog.text


def test_plugin_option_errors_never_show_secrets() -> None:
    """A bad option next to a secret one, or the secret typed into the wrong option."""
    from govdisclose.plugins import Settings, collect_publishers, make_plugin_manager
    from govdisclose_webhook import plugin

    pm = make_plugin_manager(load_entry_points=False, plugins=[plugin])
    base = {"webhook.url": f"https://cms.example.gov.cn/api/gd?token={TOKEN}"}
    for options in (
        {**base, "webhook.secret": SECRET, "webhook.timeout": "soon"},
        {**base, "webhook.secret": SECRET, "webhook.timeout": SECRET},
        {**base, "webhook.secret": SECRET, "webhook.backoff": TOKEN},
    ):
        with pytest.raises(PluginError) as caught:
            collect_publishers(Settings(options=options), pm)
        shown = _all_text(caught.value)
        assert SECRET not in shown
        assert TOKEN not in shown
    (webhook,) = collect_publishers(Settings(options={**base, "webhook.secret": SECRET}), pm)
    assert SECRET not in repr(webhook)
    assert TOKEN not in repr(webhook)


# -- through the outbox (govdisclose.outbox) ---------------------------------------------------


def test_publish_with_key_sends_the_callers_key(serve: Callable[..., CMS]) -> None:
    """The outbox's key is the Idempotency-Key (the same on every attempt of its entry); the
    content key travels beside it; the publication notes the key sent."""
    from govdisclose.outbox import KeyedPublisher, KeyedWithdrawer

    cms = serve(Reply(503), Reply(200), Reply(200))
    view = _view()
    webhook = _publisher(cms.url, secret="k")
    assert isinstance(webhook, KeyedPublisher)
    assert isinstance(webhook, KeyedWithdrawer)
    pub = webhook.publish_with_key(view, "gd-outbox-0123")
    first, second = cms.received[:2]
    assert first.body == second.body  # retried with the same bytes
    assert [r.headers["Idempotency-Key"] for r in (first, second)] == ["gd-outbox-0123"] * 2
    payload = second.json()
    assert payload["idempotency_key"] == "gd-outbox-0123"
    assert payload["content_key"] == idempotency_key(view)
    assert pub.note == "Idempotency-Key: gd-outbox-0123"
    webhook.withdraw_with_key(view, "gd-outbox-4567")
    withdrawn = cms.received[2]
    assert withdrawn.headers["Idempotency-Key"] == "gd-outbox-4567"
    assert withdrawn.json()["publish_key"] == idempotency_key(view)


@pytest.mark.parametrize("key", ["", "line\r\nX-Injected: 1", "键", 7])
def test_publish_with_key_refuses_a_key_that_is_no_header(
    serve: Callable[..., CMS], key: Any
) -> None:
    cms = serve(Reply(200))
    with pytest.raises(ValidationError) as err:
        _publisher(cms.url).publish_with_key(_view(), key)
    assert err.value.code == "webhook.bad_key"
    assert cms.received == ()


def test_outbox_retries_the_cms_with_one_key_and_records_once(serve: Callable[..., CMS]) -> None:
    """The CMS refuses the first attempt (503, one request per attempt); the outbox retries it
    a minute later with the same key; the record has one webhook publication; the withdrawal
    reaches the CMS and marks it."""
    from datetime import timedelta

    from govdisclose.outbox import entries, publish_via_outbox, retry_pending, withdraw
    from govdisclose.testing import MemoryStore, builders

    cms = serve(Reply(503), json_reply(201, {"url": "https://www.example.gov.cn/xxgk/R-1.html"}))
    store = MemoryStore()
    store.put_agency(builders.agency("city-gov"))
    record = _record()
    store.put_record(record, expected_version=0)
    webhook = _publisher(cms.url, max_attempts=1)
    run = publish_via_outbox(record, publishers=[webhook], now=T0, store=store)
    assert [name for name, _ in run.failed] == ["webhook"]
    assert store.get_record("R-1").publications == ()
    run = retry_pending(store, [webhook], now=T0 + timedelta(minutes=1))
    assert [o.result for o in run.outcomes] == ["done"]
    (entry,) = entries(store)
    assert [r.headers["Idempotency-Key"] for r in cms.received] == [entry.idempotency_key] * 2
    (pub,) = store.get_record("R-1").publications
    assert pub.url == "https://www.example.gov.cn/xxgk/R-1.html"
    later = T0 + timedelta(hours=1)
    out = withdraw(store, "R-1", [webhook], reason="撤回更正", now=later)
    assert out.withdrawn == ("webhook",)
    assert cms.received[-1].json()["action"] == "withdraw"
    (pub,) = store.get_record("R-1").publications
    assert pub.withdrawal is not None
    assert pub.withdrawal.withdrawn_at == later
