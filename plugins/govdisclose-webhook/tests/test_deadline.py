"""Each attempt has a total deadline: a server that trickles its answer is cut off.

urllib's timeout applies to each socket operation, so a server sending a byte every 0.05 s
never trips a 1 s timeout and could hold ``publish()`` for as long as it likes (testers saw more
than 25 s with ``timeout=1``). The servers here trickle for 30 deadlines; every assertion is
against the deadline (``timeout``), with a margin, never an absolute machine-speed time.
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from govdisclose.model import AttributeDecision, Record
from govdisclose.public import PublicRecord
from govdisclose.publishing import clear, publish
from govdisclose.vocab import DisclosureAttribute, DocumentKind, ReviewStatus
from govdisclose_webhook import MAX_RESPONSE, WebhookError, WebhookPublisher, make_opener

T0 = datetime(2025, 3, 5, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
DEADLINE = 1.0
# How long past the deadline an attempt may end: one receive in progress, thread wake-up,
# closing the socket. Generous for a busy machine, far below the trickle's 30 deadlines.
SLACK = 0.75
DRIP = 0.05  # seconds between bytes: far below the deadline, so no single read times out


@attrs.frozen
class Trickle:
    """What the server sends at once after reading the request, then what it trickles."""

    at_once: bytes
    trickled: bytes


def _status_line() -> Trickle:
    headers = b"".join(b"X-Pad-%d: %s\r\n" % (i, b"x" * 40) for i in range(20))
    return Trickle(b"", b"HTTP/1.1 200 OK\r\n" + headers + b"Content-Length: 2\r\n\r\n{}")


def _body() -> Trickle:
    body = json.dumps({"url": "https://cms.example/1", "pad": "x" * 2000}).encode()
    head = b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
    return Trickle(head + b"Content-Length: %d\r\n\r\n" % len(body), body)


def _error_body() -> Trickle:
    body = b"maintenance " * 200
    head = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: %d\r\n\r\n" % len(body)
    return Trickle(head, body)


def _tls_handshake() -> Trickle:
    # A TLS record header announcing 16 kB of ServerHello, then the bytes, one at a time.
    return Trickle(b"", b"\x16\x03\x03\x40\x00" + b"\x02" * 2000)


class _Handler(socketserver.BaseRequestHandler):
    server: _DripServer

    def handle(self) -> None:
        conn: socket.socket = self.request
        conn.settimeout(5)
        trickle = self.server.trickle
        try:
            if not trickle.trickled.startswith(b"\x16"):  # TLS: the client speaks first, no HTTP
                self._read_request(conn)
            else:
                conn.recv(65536)  # the ClientHello
            conn.sendall(trickle.at_once)
            for i in range(len(trickle.trickled)):
                if self.server.stopping.wait(DRIP):
                    return
                conn.sendall(trickle.trickled[i : i + 1])
        except OSError:
            pass  # the client gave up: what the deadline is for

    @staticmethod
    def _read_request(conn: socket.socket) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lengths = [
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ]
        length = lengths[0] if lengths else 0
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return
            body += chunk


class _DripServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, trickle: Trickle) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.trickle = trickle
        self.stopping = threading.Event()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


@pytest.fixture
def drip() -> Iterator[Callable[[Trickle], int]]:
    servers: list[tuple[_DripServer, threading.Thread]] = []

    def start(trickle: Trickle) -> int:
        server = _DripServer(trickle)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        thread.start()
        servers.append((server, thread))
        return int(server.server_address[1])

    yield start
    for server, thread in servers:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join()


def _view() -> PublicRecord:
    return clear(
        Record(
            id="R-1",
            title="关于印发某某办法的通知",
            agency="city-gov",
            formed_on=date(2025, 3, 3),
            kind=DocumentKind.NORMATIVE_DOCUMENT,
            decisions=(
                AttributeDecision(
                    attribute=DisclosureAttribute.PROACTIVE,
                    decided_by="起草处室",
                    decided_on=date(2025, 3, 1),
                ),
            ),
            review_status=ReviewStatus.PASSED,
            reviewed_by="审查人",
            reviewed_on=date(2025, 3, 4),
            body="第一段。",
        )
    )


def _publisher(url: str, sleeps: list[float], **kw: Any) -> WebhookPublisher:
    return WebhookPublisher(
        url,
        timeout=DEADLINE,
        sleep=sleeps.append,
        clock=lambda: T0,
        opener=make_opener(proxies={}),
        **kw,
    )


def _timed(act: Callable[[], object]) -> tuple[float, BaseException | None]:
    start = time.monotonic()
    try:
        act()
    except Exception as err:
        return time.monotonic() - start, err
    return time.monotonic() - start, None


@pytest.mark.parametrize(
    ("trickle", "scheme"),
    [(_status_line(), "http"), (_tls_handshake(), "https")],
    ids=["status-and-headers", "tls-handshake"],
)
@pytest.mark.parametrize("action", ["publish", "withdraw"])
def test_a_trickling_server_is_cut_off_at_the_deadline(
    drip: Callable[[Trickle], int], trickle: Trickle, scheme: str, action: str
) -> None:
    """One attempt ends about ``timeout`` after it started, with a retryable failure that
    names the deadline, however the server trickles before its status line is complete."""
    port = drip(trickle)
    webhook = _publisher(f"{scheme}://127.0.0.1:{port}/api/gd", [], max_attempts=1)
    view = _view()
    elapsed, err = _timed(lambda: getattr(webhook, action)(view))
    assert isinstance(err, WebhookError)
    assert err.code == ("webhook.failed" if action == "publish" else "webhook.withdraw_failed")
    assert err.status is None
    assert err.reason == f"deadline of {DEADLINE:g} s for the attempt passed"
    assert DEADLINE * 0.9 <= elapsed < DEADLINE + SLACK, f"{elapsed / DEADLINE:.2f} deadlines"


def test_a_trickled_body_after_a_2xx_is_cut_off_and_the_status_counts(
    drip: Callable[[Trickle], int],
) -> None:
    """The status line said 201: the CMS took the record, so the publication stands (without
    the URL the body would have given) once the deadline cuts the body off."""
    port = drip(_body())
    webhook = _publisher(f"http://127.0.0.1:{port}/api/gd", [], max_attempts=1)
    view = _view()
    elapsed, err = _timed(lambda: webhook.publish(view))
    assert err is None
    assert DEADLINE * 0.9 <= elapsed < DEADLINE + SLACK, f"{elapsed / DEADLINE:.2f} deadlines"
    started = time.monotonic()
    webhook.withdraw(view)  # confirmed by its 2xx as well
    assert time.monotonic() - started < DEADLINE + SLACK


def test_a_trickled_error_body_is_cut_off(drip: Callable[[Trickle], int]) -> None:
    port = drip(_error_body())
    webhook = _publisher(f"http://127.0.0.1:{port}/api/gd", [], max_attempts=1)
    view = _view()
    elapsed, err = _timed(lambda: webhook.publish(view))
    assert isinstance(err, WebhookError)
    assert (err.code, err.status) == ("webhook.failed", 503)
    assert DEADLINE * 0.9 <= elapsed < DEADLINE + SLACK, f"{elapsed / DEADLINE:.2f} deadlines"


def test_each_attempt_has_its_own_deadline(drip: Callable[[Trickle], int]) -> None:
    """Three attempts against a trickling server take three deadlines (the waits between them
    go to the injected sleep), and publish() lists the channel as failed."""
    port = drip(_status_line())
    sleeps: list[float] = []
    webhook = _publisher(f"http://127.0.0.1:{port}/api/gd", sleeps, max_attempts=3)
    record_view = _view()
    elapsed, err = _timed(lambda: webhook.publish(record_view))
    assert isinstance(err, WebhookError)
    assert err.attempts == 3
    assert sleeps == [0.5, 1.0]
    assert 3 * DEADLINE * 0.9 <= elapsed < 3 * (DEADLINE + SLACK)


def test_publish_pipeline_reports_the_deadline(drip: Callable[[Trickle], int]) -> None:
    """Through publish(): the channel fails after one deadline and says why."""
    port = drip(_status_line())
    webhook = _publisher(f"http://127.0.0.1:{port}/api/gd", [], max_attempts=1)
    record = Record(
        id="R-2",
        title="关于印发某某办法的通知",
        agency="city-gov",
        formed_on=date(2025, 3, 3),
        decisions=(
            AttributeDecision(
                attribute=DisclosureAttribute.PROACTIVE,
                decided_by="处室",
                decided_on=date(2025, 3, 1),
            ),
        ),
        review_status=ReviewStatus.PASSED,
        reviewed_by="审查人",
        reviewed_on=date(2025, 3, 4),
    )
    started = time.monotonic()
    result = publish(record, publishers=[webhook], now=T0)
    assert time.monotonic() - started < DEADLINE + SLACK
    ((name, message),) = result.failed
    assert name == "webhook"
    assert "deadline of 1 s" in message


def test_the_answer_is_read_at_most_max_response_bytes(drip: Callable[[Trickle], int]) -> None:
    """A 2xx whose JSON only ends past MAX_RESPONSE: the rest is not read, so no URL."""
    body = json.dumps({"pad": "x" * (2 * MAX_RESPONSE), "url": "https://cms.example/far"})
    head = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body)
    port = drip(Trickle(head + body.encode(), b""))
    webhook = _publisher(f"http://127.0.0.1:{port}/api/gd", [], max_attempts=1)
    assert webhook.publish(_view()).url is None
