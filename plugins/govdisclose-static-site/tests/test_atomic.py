"""Nothing is public until the whole publication is: a failure at any point changes nothing.

Every file-system call of a transaction is made to fail in turn (a full disk while staging, an
I/O error at any rename, unlink, link or sync), and the process is killed at each of them: the
site is then byte for byte the site before, or (only once the commit point has passed) the
site after. A damaged catalogue is a typed error, and two processes publishing at once keep
each other's entries.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from _static_site_helpers import (
    T0,
    Snapshot,
    make_publisher,
    make_record,
    make_view,
    snapshot,
    work_dirs,
)

from govdisclose.errors import PluginError
from govdisclose.publishing import publish
from govdisclose_static_site import CatalogDamaged, StaticSiteError, StaticSitePublisher, _commit

HERE = Path(__file__).resolve().parent
FS_CALLS = ("_write_file", "_replace", "_unlink", "_link", "_fsync_dir")


# -- a damaged catalogue --------------------------------------------------------------------------


def _damage_invalid_json(root: Path) -> None:
    (root / "catalog.json").write_text('[{"record_id": "r-0", "title": ', "utf-8")


def _damage_not_utf8(root: Path) -> None:
    (root / "catalog.json").write_bytes(b"[\xff\xfe]")


def _damage_directory(root: Path) -> None:
    (root / "catalog.json").mkdir()


def _damage_wrong_shape(root: Path) -> None:
    (root / "catalog.json").write_text('{"record_id": "r-0"}', "utf-8")


def _damage_bad_page(root: Path) -> None:
    entry = {
        "record_id": "r-0",
        "title": "t",
        "url": "u",
        "published_at": "2025-01-01T09:00:00+08:00",
        "formed_on": "2025-01-01",
        "page": "../../etc/passwd",
    }
    (root / "catalog.json").write_text(json.dumps([entry]), "utf-8")


DAMAGES = {
    "invalid JSON": _damage_invalid_json,
    "not UTF-8": _damage_not_utf8,
    "a directory": _damage_directory,
    "not a list of entries": _damage_wrong_shape,
    "a page outside records/": _damage_bad_page,
}


def _site_with_damaged_catalog(root: Path, damage: Callable[[Path], None]) -> Snapshot:
    (root / "records").mkdir(parents=True)
    (root / "records" / "r-0.html").write_text("<html>r-0</html>", "utf-8")
    (root / "index.html").write_text("<html>index</html>", "utf-8")
    (root / "feed.atom").write_text("<feed/>", "utf-8")
    damage(root)
    return snapshot(root)


@pytest.mark.parametrize("damage", list(DAMAGES.values()), ids=list(DAMAGES))
def test_a_damaged_catalogue_publishes_nothing(tmp_path: Path, damage: Any) -> None:
    """The bug: the page went live before the catalogue failed. Now: a typed error naming the
    file, and the site unchanged (no page for the record)."""
    before = _site_with_damaged_catalog(tmp_path, damage)
    view = make_view("r-1")
    with pytest.raises(Exception) as caught:  # noqa: PT011 - the type is checked below
        make_publisher(tmp_path).publish(view)
    assert not (tmp_path / "records" / "r-1.html").exists()  # 0.1.0: the orphan page
    assert snapshot(tmp_path) == before
    err = caught.value
    assert isinstance(err, CatalogDamaged), repr(err)
    assert isinstance(err, PluginError)
    assert err.code == "static_site.damaged_catalog"
    assert err.plugin == "static_site"
    assert err.path == tmp_path / "catalog.json"
    assert str(tmp_path / "catalog.json") in err.message_zh
    assert str(tmp_path / "catalog.json") in err.message_en
    assert not work_dirs(tmp_path)
    with pytest.raises(CatalogDamaged):
        make_publisher(tmp_path).withdraw(view)
    assert snapshot(tmp_path) == before


def test_a_damaged_catalogue_through_publish(tmp_path: Path) -> None:
    """The channel is reported failed, no publication is recorded, and no page is public."""
    before = _site_with_damaged_catalog(tmp_path, _damage_invalid_json)
    result = publish(make_record("r-1"), publishers=[make_publisher(tmp_path)], now=T0)
    assert snapshot(tmp_path) == before  # 0.1.0: records/r-1.html was live
    assert result.published == ()
    ((name, message),) = result.failed
    assert name == "static-site"
    assert message.startswith("CatalogDamaged: [static_site.damaged_catalog]")


def test_a_rendering_error_publishes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception while building the feed (after the page was rendered) changes nothing."""
    publisher = make_publisher(tmp_path)
    v0 = make_view("r-0")
    publisher.publish(v0)
    before = snapshot(tmp_path)

    def broken(*args: object) -> str:
        raise RuntimeError("template error")

    monkeypatch.setattr(StaticSitePublisher, "_feed", broken)
    view = make_view("r-1")
    with pytest.raises(RuntimeError, match="template error"):
        publisher.publish(view)
    assert snapshot(tmp_path) == before
    assert not work_dirs(tmp_path)


# -- a failure at every point ---------------------------------------------------------------------


def _name(path: Path) -> str:
    return "txn" if path.name.startswith("txn-") else path.name


class _Faults:
    """Records the file-system calls of the transaction module; fails the ``fail_at``-th one
    (and, with ``and_after``, every later one), or the one named ``fail_from`` and after."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        self.fail_at: int | None = None
        self.and_after = False
        self.fail_from: str | None = None  # fail this call and every later one
        for name in FS_CALLS:
            real = getattr(_commit, name)
            monkeypatch.setattr(_commit, name, self._wrap(name, real))

    def _wrap(self, name: str, real: Callable[..., None]) -> Callable[..., None]:
        def call(*args: Any) -> None:
            names = (_name(a) for a in args if isinstance(a, Path))
            self.calls.append(f"{name}({', '.join(names)})")
            n = len(self.calls)
            if self.fail_from is not None and self.calls[-1] == self.fail_from:
                self.fail_at, self.and_after = n, True
            if self.fail_at is not None and (
                n == self.fail_at or (self.and_after and n > self.fail_at)
            ):
                code = errno.ENOSPC if name == "_write_file" else errno.EIO
                raise OSError(code, os.strerror(code), str(args[0]))
            real(*args)

        return call


def _republish_legacy(root: Path) -> Callable[[], object]:
    """A 0.1.0 entry republished: a new page, a page replaced, the 0.1.0 page removed."""
    publisher = make_publisher(root)
    v1, v2 = make_view("r-1", "甲"), make_view("r-2", "乙")
    publisher.publish(v1)
    publisher.publish(v2)
    # Make r-1 a 0.1.0 entry of id R-1 at its 0.1.0 page.
    entries = json.loads((root / "catalog.json").read_text("utf-8"))
    for e in entries:
        if e["record_id"] == "r-1":
            e.update(record_id="R-1", page=None)
    (root / "catalog.json").write_text(json.dumps(entries, ensure_ascii=False), "utf-8")
    os.rename(root / "records" / "r-1.html", root / "records" / "R-1.html")
    view = make_view("R-1", "甲（修订）")
    return lambda: publisher.publish(view)


def _first_publication(root: Path) -> Callable[[], object]:
    view = make_view("r-1")
    return lambda: make_publisher(root).publish(view)


def _withdrawal(root: Path) -> Callable[[], object]:
    publisher = make_publisher(root)
    v1, v2 = make_view("r-1", "甲"), make_view("r-2", "乙")
    publisher.publish(v1)
    publisher.publish(v2)
    return lambda: publisher.withdraw(v1)


SCENARIOS = {
    "first publication": _first_publication,
    "republication of a 0.1.0 entry": _republish_legacy,
    "withdrawal": _withdrawal,
}


@pytest.mark.parametrize("scenario", list(SCENARIOS.values()), ids=list(SCENARIOS))
def test_a_failure_at_any_call_leaves_the_site_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scenario: Any
) -> None:
    """All or nothing: after an error the site is byte for byte as before. Only a failure
    after the commit point (the deletion of the journal: the directory sync that follows) is
    no error, and then the site is the new one."""
    faults = _Faults(monkeypatch)
    clean = tmp_path / "clean" / "site"
    action = scenario(clean)
    before = snapshot(clean)
    faults.calls.clear()
    action()
    after = snapshot(clean)
    calls = list(faults.calls)
    assert after != before
    commit = calls.index("_unlink(journal.json)") + 1
    assert commit > 8
    # Every action stays referenced: dropping a cleared view can unmark an equal one made
    # later (govdisclose.public's weak set of cleared views is keyed by value).
    actions = [action]
    for n, call in enumerate(calls, 1):
        root = tmp_path / f"run-{n}" / "site"
        action = scenario(root)
        actions.append(action)
        assert snapshot(root) == before
        faults.calls.clear()
        faults.fail_at = n
        try:
            action()
        except OSError:
            assert n <= commit, call
            assert snapshot(root) == before, f"failed at {call}"
        else:
            assert n > commit, call
            assert snapshot(root) == after, f"failed at {call}"
        finally:
            faults.fail_at = None
        assert faults.calls[n - 1] == call  # the same run, up to the failing call
        assert not work_dirs(root), call


def test_a_failed_undo_is_finished_by_the_next_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A switch that fails, then an undo that fails too: a typed error, the journal kept; the
    next transaction on the site (here a withdrawal of nothing) puts the old site back."""
    root = tmp_path / "site"
    publisher = make_publisher(root)
    v0, v1 = make_view("r-0", "旧"), make_view("r-1", "新")
    publisher.publish(v0)
    before = snapshot(root)
    faults = _Faults(monkeypatch)
    faults.fail_from = "_replace(new-1, feed.atom)"  # the second rename of the switch, and on
    with pytest.raises(StaticSiteError) as caught:
        publisher.publish(v1)
    assert caught.value.code == "static_site.rollback_failed"
    assert isinstance(caught.value.__cause__, OSError)
    assert snapshot(root) != before  # half switched: the reason the journal is kept
    assert len(work_dirs(root)) == 1
    faults.fail_from = faults.fail_at = None
    publisher.withdraw(make_view("absent"))
    assert snapshot(root) == before
    assert not work_dirs(root)


@pytest.mark.parametrize("scenario", list(SCENARIOS.values()), ids=list(SCENARIOS))
def test_a_crash_at_any_call_is_undone_by_the_next_transaction(
    tmp_path: Path, scenario: Any
) -> None:
    """The process is killed (``os._exit``) instead of making its n-th file-system call; the
    next transaction on the site restores it byte for byte, unless the commit point passed."""
    clean = tmp_path / "clean" / "site"
    action = scenario(clean)
    before = snapshot(clean)
    calls: list[str] = []
    with pytest.MonkeyPatch.context() as mp:
        faults = _Faults(mp)
        action()
        calls = list(faults.calls)
    after = snapshot(clean)
    commit = calls.index("_unlink(journal.json)") + 1
    actions = [action]  # keep every cleared view referenced
    for n in range(1, len(calls) + 1):
        root = tmp_path / f"run-{n}" / "site"
        action = scenario(root)
        actions.append(action)
        pid = os.fork()
        if pid == 0:  # the child: crash at the n-th call
            status = 1
            try:
                with pytest.MonkeyPatch.context() as mp:
                    _crash_at(mp, n)
                    action()
                status = 0
            finally:
                os._exit(status)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 9, f"the child did not crash at {n}"
        make_publisher(root).recover()
        expected = before if n <= commit else after
        assert snapshot(root) == expected, f"crashed at {calls[n - 1]}"
        assert not work_dirs(root)


def _crash_at(mp: pytest.MonkeyPatch, n: int) -> None:
    count = [0]
    for name in FS_CALLS:
        real = getattr(_commit, name)

        def call(*args: Any, _real: Callable[..., None] = real) -> None:
            count[0] += 1
            if count[0] == n:
                os._exit(9)
            _real(*args)

        mp.setattr(_commit, name, call)


# -- two writers ----------------------------------------------------------------------------------

_WRITER = """
import sys, time
from pathlib import Path
from _static_site_helpers import make_publisher, make_view

root, tag, count, go = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
while not go.exists():
    time.sleep(0.005)
publisher = make_publisher(root)
for i in range(count):
    view = make_view(f"{tag}-{i}", f"{tag} 第{i}号")
    publisher.publish(view)
"""


def test_two_processes_publishing_at_once_keep_every_entry(tmp_path: Path) -> None:
    """The lock spans the read-modify-write of the catalogue: no entry is lost."""
    root, go, count = tmp_path / "site", tmp_path / "go", 15
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), *sys.path])}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(root), tag, str(count), str(go)], env=env
        )
        for tag in ("p", "q")
    ]
    go.touch()
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    ids = {e.record_id for e in make_publisher(root).catalog()}
    assert ids == {f"{tag}-{i}" for tag in ("p", "q") for i in range(count)}
    assert len(list((root / "records").iterdir())) == 2 * count
    assert "<entry>" in (root / "feed.atom").read_text("utf-8")
    assert not work_dirs(root)


def test_threads_publishing_at_once_keep_every_entry(tmp_path: Path) -> None:
    """The same within one process: each transaction opens the lock file anew."""
    root = tmp_path / "site"
    views = {t: [make_view(f"t{t}-{i}") for i in range(6)] for t in range(4)}
    errors: list[BaseException] = []

    def run(t: int) -> None:
        try:
            publisher = make_publisher(root)
            for view in views[t]:
                publisher.publish(view)
        except BaseException as err:  # reported below
            errors.append(err)

    threads = [threading.Thread(target=run, args=(t,)) for t in views]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(make_publisher(root).catalog()) == 24
