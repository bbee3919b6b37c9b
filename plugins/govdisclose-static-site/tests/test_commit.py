"""The journaled switch itself (`govdisclose_static_site._commit`), failed and crashed at every
single file-system call of a small transaction (a new file in a new directory, a replaced file,
a removed file), and with more files than `SYNC_EACH_UP_TO` (one sync of the file system)."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from _static_site_helpers import snapshot, work_dirs

from govdisclose_static_site import _commit

FS_CALLS = ("_write_file", "_sync_files", "_replace", "_unlink", "_link", "_fsync_dir")


def _site(root: Path) -> None:
    (root / "old").mkdir(parents=True)
    (root / "old" / "a.html").write_text("旧的 a", "utf-8")
    (root / "b.html").write_text("旧的 b", "utf-8")


def _change(root: Path) -> None:
    with _commit.transaction(root) as txn:
        txn.write("new/dir/c.html", "新的 c")
        txn.write("old/a.html", "新的 a")
        txn.remove("b.html")
        txn.commit()


def _calls(monkeypatch: pytest.MonkeyPatch, fail_at: int | None = None) -> list[str]:
    calls: list[str] = []
    for name in FS_CALLS:
        real = getattr(_commit, name)

        def call(*args: Any, _real: Callable[..., None] = real, _name: str = name) -> None:
            calls.append(_name)
            if fail_at is not None and len(calls) == fail_at:
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            _real(*args)

        monkeypatch.setattr(_commit, name, call)
    return calls


@pytest.mark.durable
def test_every_failure_leaves_the_files_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whichever call fails, before the commit point nothing changed; after it, all did."""
    clean = tmp_path / "clean"
    _site(clean)
    before = snapshot(clean)
    with monkeypatch.context() as mp:
        calls = _calls(mp)
        _change(clean)
    after = snapshot(clean)
    assert after != before
    assert after["new/dir/c.html"] is not None
    assert "b.html" not in after
    # The commit point: the journal's deletion, the third-last call (directory syncs follow).
    commit = len(calls) - 1
    assert calls[commit - 1] == "_unlink"
    for n in range(1, len(calls) + 1):
        root = tmp_path / f"run-{n}"
        _site(root)
        with monkeypatch.context() as mp:
            _calls(mp, fail_at=n)
            try:
                _change(root)
            except (OSError, _commit.StaticSiteError):
                assert n <= commit, n
                assert snapshot(root) == before, n
            else:
                assert n > commit, n
                assert snapshot(root) == after, n
        assert not work_dirs(root), n


@pytest.mark.durable
def test_every_crash_is_undone_by_the_next_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed before any call, the next transaction restores the files (or keeps the new ones
    once the commit point has passed)."""
    clean = tmp_path / "clean"
    _site(clean)
    before = snapshot(clean)
    with monkeypatch.context() as mp:
        calls = _calls(mp)
        _change(clean)
    after = snapshot(clean)
    commit = len(calls) - 1
    for n in range(1, len(calls) + 1):
        root = tmp_path / f"run-{n}"
        _site(root)
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                with pytest.MonkeyPatch.context() as mp:
                    count = [0]
                    for name in FS_CALLS:
                        real = getattr(_commit, name)

                        def call(
                            *args: Any,
                            _real: Callable[..., None] = real,
                            _count: list[int] = count,
                            _n: int = n,
                        ) -> None:
                            _count[0] += 1
                            if _count[0] == _n:
                                os._exit(9)
                            _real(*args)

                        mp.setattr(_commit, name, call)
                    _change(root)
                status = 0
            finally:
                os._exit(status)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 9
        with _commit.transaction(root):
            pass
        assert snapshot(root) == (before if n <= commit else after), n
        assert not work_dirs(root), n


@pytest.mark.durable
def test_a_big_transaction_syncs_the_file_system_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More staged files than `SYNC_EACH_UP_TO`: one ``os.sync`` instead of one fsync each;
    up to that many: one fsync per staged file."""
    synced: list[str] = []
    monkeypatch.setattr(_commit.os, "sync", lambda: synced.append("sync"))
    real_fsync = os.fsync
    monkeypatch.setattr(_commit.os, "fsync", lambda fd: synced.append("fsync") or real_fsync(fd))
    count = _commit.SYNC_EACH_UP_TO + 1
    with _commit.transaction(tmp_path) as txn:
        for i in range(count):
            txn.write(f"p/{i}.html", str(i))
        txn.commit()
    assert synced.count("sync") == 1
    synced.clear()
    with _commit.transaction(tmp_path) as txn:
        for i in range(3):
            txn.write(f"q/{i}.html", str(i))
        txn.commit()
    assert synced.count("sync") == 0
    assert synced.count("fsync") >= 3
    assert (tmp_path / "p" / f"{count - 1}.html").read_text("utf-8") == str(count - 1)


def test_a_path_is_staged_once(tmp_path: Path) -> None:
    """Writing or removing one path twice in a transaction is a programming error."""
    with _commit.transaction(tmp_path) as txn:
        txn.write("a.html", "1")
        with pytest.raises(ValueError, match="already part"):
            txn.write("a.html", "2")
        with pytest.raises(ValueError, match="already part"):
            txn.remove("a.html")
        with pytest.raises(ValueError, match="not a path inside"):
            txn.write("../outside.html", "x")
