"""``govdisclose outbox list|retry|withdraw`` on a SQLite store, with the webhook plugin's
publisher against a scripted local CMS: the entry the channel refused is retried and done,
the withdrawal reaches the CMS, errors are one bilingual line without a traceback."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from tests.outbox_support import T0, Channel, later, stored

from govdisclose.cli import main
from govdisclose.outbox import OutboxState, entries, publish_via_outbox

sql = pytest.importorskip("govdisclose_sql")
pytest.importorskip("govdisclose_webhook")


class _CMS:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.keys: list[str] = []


@pytest.fixture
def cms() -> Iterator[tuple[_CMS, str]]:
    state = _CMS()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.requests.append(json.loads(body))
            state.keys.append(self.headers["Idempotency-Key"])
            answer = json.dumps({"url": "https://cms.example.gov.cn/R-1.html"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/api/gd"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'gd.db'}"


def test_list_retry_withdraw(url: str, cms: tuple[_CMS, str]) -> None:
    state, endpoint = cms
    store = sql.SqlStore(url)
    rec = stored(store)
    # The first attempt of the "webhook" channel fails (the CMS was down).
    publish_via_outbox(rec, publishers=[Channel("webhook", publish=(False,))], now=T0, store=store)
    store.close()
    status, text = _run("outbox", "list", "--store", url, "--state", "failed")
    assert status == 0
    assert "R-1 → webhook" in text
    assert "失败待重试（failed）" in text
    assert "ChannelDown" in text
    options = ["--option", f"webhook.url={endpoint}", "--option", "webhook.max_attempts=1"]
    status, text = _run(
        "outbox", "retry", "--store", url, *options, "--now", later(0.5).isoformat()
    )
    assert status == 0
    assert "共处理 0 条" in text
    status, text = _run("outbox", "retry", "--store", url, *options, "--now", later(1).isoformat())
    assert status == 0, text
    assert text.startswith("done: ")
    assert "1 done" in text
    assert [r["action"] for r in state.requests] == ["publish"]
    store = sql.SqlStore(url)
    try:
        (entry,) = entries(store)
        assert entry.state is OutboxState.DONE
        assert state.keys == [entry.idempotency_key]
        (pub,) = store.get_record("R-1").publications
        assert pub.publisher == "webhook"
        assert pub.url == "https://cms.example.gov.cn/R-1.html"
    finally:
        store.close()
    status, text = _run("outbox", "list", "--store", url, "--json")
    assert status == 0
    assert json.loads(text)["state"] == "done"
    status, text = _run(
        "outbox",
        "withdraw",
        "R-1",
        "--reason",
        "信息有误",
        "--store",
        url,
        *options,
        "--now",
        later(60).isoformat(),
    )
    assert status == 0, text
    assert [r["action"] for r in state.requests] == ["publish", "withdraw"]
    store = sql.SqlStore(url)
    try:
        (pub,) = store.get_record("R-1").publications
        assert pub.withdrawal is not None
        assert pub.withdrawal.reason == "信息有误"
        # The CMS's publication carries the webhook's own clock (today): a withdrawal is never
        # dated before the publication it ends.
        assert pub.withdrawal.withdrawn_at == max(later(60), pub.published_at)
    finally:
        store.close()


def test_withdraw_without_the_channel_is_reported(url: str) -> None:
    store = sql.SqlStore(url)
    rec = stored(store)
    publish_via_outbox(rec, publishers=[Channel("webhook")], now=T0, store=store)
    store.close()
    status, text = _run(
        "outbox",
        "withdraw",
        "R-1",
        "--reason",
        "撤回",
        "--store",
        url,
        "--now",
        later(1).isoformat(),
    )
    assert status == 0
    assert "skipped" in text
    assert "no publisher named 'webhook'" in text


@pytest.mark.parametrize(
    ("argv", "status", "code"),
    [
        (["outbox", "list", "--store", "sqlite:///{tmp}/missing.db"], 1, "store.missing"),
        (
            ["outbox", "retry", "--store", "sqlite:///{tmp}/gd.db", "--now", "2025-06-05 10:00"],
            2,
            "cli.bad_option",
        ),
        (
            ["outbox", "retry", "--store", "sqlite:///{tmp}/gd.db", "--max-attempts", "0"],
            2,
            "cli.bad_option",
        ),
        (
            ["outbox", "withdraw", "R-404", "--reason", "x", "--store", "sqlite:///{tmp}/gd.db"],
            1,
            "store.not_found",
        ),
    ],
)
def test_errors_are_one_bilingual_line(
    tmp_path: Path, argv: list[str], status: int, code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sql.SqlStore(f"sqlite:///{tmp_path / 'gd.db'}").close()
    got, _ = _run(*(a.replace("{tmp}", str(tmp_path)) for a in argv))
    err = capsys.readouterr().err
    assert got == status, err
    assert f"[{code}]" in err
    assert " / " in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
