"""The main job runs end to end, on the embedded default (SQLite) and in memory."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from govdisclose.cli import main
from govdisclose.demo import run_demo
from govdisclose.errors import GovDiscloseError


@pytest.mark.parametrize("store", ["sqlite", "memory://"])
def test_demo_runs_clean(tmp_path: Path, store: str) -> None:
    """Every step succeeds: reports validate, the HTML reads back, the site is written."""
    out = io.StringIO()
    url = f"sqlite:///{tmp_path / 'demo' / 'gd.db'}" if store == "sqlite" else store
    status = run_demo(tmp_path / "demo", out=out, store_url=url, applications=40, seed=3)
    text = out.getvalue()
    assert status == 0, text
    assert "== done: OK" in text
    assert "blocked: GD-P003" in text  # the unmasked ID number was refused first
    assert "second clerk refused" in text
    assert "stale copy refused before publishing" in text  # issue 11: checked before publishing
    # 4b: the CMS down once, retried once, then the notice withdrawn from both channels.
    outbox = text[text.index("== 4b.") : text.index("== 5.")]
    assert "county-cms failed" in outbox
    assert "the CMS was called 2 times" in outbox
    assert "the register keeps 2 lines, 2 marked withdrawn" in outbox
    # 7: the report text quotes the inquiries and press conferences counted from the store.
    assert "受理政务信息查询" in text[text.index("== 7.") :]
    report = json.loads((tmp_path / "demo" / "reports" / "city-gov-2025.json").read_text("utf-8"))
    assert report["year"] == 2025
    assert (tmp_path / "demo" / "site" / "index.html").exists()
    assert (tmp_path / "demo" / "site" / "feed.atom").exists()
    # 6b: the daily job in December before next year's notice: strict reports the December
    # application as a problem, provisional gives it a date marked 暂定; never an abort.
    daily = text[text.index("== 6b.") : text.index("== 7.")]
    assert "city-nrb-2026-12-04（答复期限）无法计算：缺少2027年的节假日数据" in daily
    assert "无法计算0项（日历策略 provisional）" in daily
    assert "暂定1个" in daily
    assert (tmp_path / "demo" / "calendar" / "2026.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    # 10: the ledger written as Excel reads back into the same applications.
    ledger = text[text.index("== 10.") :]
    assert "0 problems, same ids in the same order: True" in ledger
    rows = int(ledger.split("wrote ledger/city-housing-登记台账.xlsx: ")[1].split(" rows")[0])
    assert f"imported back into the store: 新增 0 件，追加办理记录 0 件，未变 {rows} 件" in ledger
    assert (tmp_path / "demo" / "ledger" / "city-housing-登记台账.xlsx").read_bytes()[:2] == b"PK"


def test_demo_refuses_a_foreign_directory(tmp_path: Path) -> None:
    """A non-empty directory the demo did not create is never wiped."""
    (tmp_path / "keep.txt").write_text("user data", "utf-8")
    with pytest.raises(GovDiscloseError) as caught:
        run_demo(tmp_path, out=io.StringIO(), store_url="memory://", applications=5)
    assert caught.value.field == "dir"
    assert (tmp_path / "keep.txt").read_text("utf-8") == "user data"


def test_demo_command_line(tmp_path: Path) -> None:
    """``govdisclose demo`` is wired into the command line and can be rerun in place."""
    args = ["demo", "--dir", str(tmp_path / "d"), "--applications", "20", "--store", "memory://"]
    assert main(args, out=io.StringIO()) == 0
    assert main(args, out=io.StringIO()) == 0
