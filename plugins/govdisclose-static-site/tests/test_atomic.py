"""Nothing is public until the whole change is: a failure at any point changes nothing.

File-system calls of a publication, a withdrawal and a rebuild are made to fail (a full disk
while staging, an I/O error at a rename, an unlink, a link or a sync), and the process is killed
at them: the site is then byte for byte the site before, or (only once the commit point has
passed) the site after. The calls tried are every kind of call and every phase of the
transaction (the exhaustive run over every single call is `test_commit.py`'s, on a small
transaction). Two processes publishing at once keep each other's records.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from _static_site_helpers import (
    T0,
    make_publisher,
    make_record,
    make_store,
    make_view,
    snapshot,
    work_dirs,
)

from govdisclose.model import Publication
from govdisclose.testing import MemoryStore
from govdisclose.vocab import PublicationChannel
from govdisclose_static_site import Site, SiteConfig, StaticSiteError, _commit, build

HERE = Path(__file__).resolve().parent
FS_CALLS = ("_write_file", "_sync_files", "_replace", "_unlink", "_link", "_fsync_dir")


def test_a_rendering_error_publishes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception while rendering a list (after the record's page was rendered) changes
    nothing."""
    publisher = make_publisher(tmp_path)
    v0 = make_view("r-0")
    publisher.publish(v0)
    before = snapshot(tmp_path)

    def broken(*args: object) -> str:
        raise RuntimeError("template error")

    monkeypatch.setattr(build.Site, "_list_pages", broken)
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


def _republication(root: Path) -> Callable[[], object]:
    """A record published again with a new title: its page and its rows replaced."""
    publisher = make_publisher(root)
    v1, v2 = make_view("r-1", "甲"), make_view("r-2", "乙")
    publisher.publish(v1)
    publisher.publish(v2)
    view = make_view("r-1", "甲（修订）")
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


def _store(*titles: str) -> MemoryStore:
    store = make_store()
    for i, title in enumerate(titles):
        publication = Publication(
            publisher="portal", channel=PublicationChannel.PORTAL, published_at=T0
        )
        record = attrs.evolve(make_record(f"r-{i}", title), publications=(publication,))
        store.put_record(record)
    return store


def _rebuild(root: Path) -> Callable[[], object]:
    """A build in place after the store changed: one record's title, one record gone."""
    config = make_publisher(root).settings()
    Site(config).build(_store("甲", "乙", "丙"), as_of=T0.date())
    changed = _store("甲（修订）", "乙")
    return lambda: Site(config).build(changed, as_of=T0.date())


SCENARIOS = {
    "first publication": _first_publication,
    "republication": _republication,
    "withdrawal": _withdrawal,
    "rebuild in place": _rebuild,
}


def _kind(call: str) -> str:
    return call.partition("(")[0]


def _points(calls: list[str]) -> list[int]:
    """The 1-based call numbers to fail or crash at: the first and last call of each kind, the
    journal's steps, the middle of the switch, the commit point and the call after it."""
    commit = calls.index("_unlink(journal.json)") + 1
    chosen = {1, commit - 1, commit, len(calls)}
    for kind in {_kind(c) for c in calls}:
        at = [i for i, c in enumerate(calls, 1) if _kind(c) == kind]
        chosen.update((at[0], at[-1]))
    switch = [i for i, c in enumerate(calls, 1) if _kind(c) == "_replace" and "journal" not in c]
    chosen.add(switch[len(switch) // 2])
    chosen.update(i for i, c in enumerate(calls, 1) if "journal" in c)
    return sorted(chosen)


@pytest.mark.parametrize("scenario", list(SCENARIOS.values()), ids=list(SCENARIOS))
def test_a_failure_at_any_point_leaves_the_site_as_it_was(
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
    for n in _points(calls):
        call = calls[n - 1]
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
    faults.fail_from = "_replace(new-1, p1.html)"  # the second rename of the switch, and on
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
def test_a_crash_at_any_point_is_undone_by_the_next_transaction(
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
    for n in _points(calls):
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


def test_a_failed_fresh_build_leaves_no_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build into a missing directory that fails (here: rendering a record) leaves neither
    the site nor its private build directory; a build that succeeds appears whole."""

    def broken(*args: object) -> str:
        raise RuntimeError("template error")

    root = tmp_path / "site"
    config = SiteConfig(root=root)
    with monkeypatch.context() as mp:
        mp.setattr(build.Site, "_record_page", broken)
        with pytest.raises(RuntimeError, match="template error"):
            Site(config).build(_store("甲"), as_of=T0.date())
    assert list(tmp_path.iterdir()) == []
    result = Site(config).build(_store("甲"), as_of=T0.date())
    assert result.fresh
    assert (root / "records" / "r-0.html").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


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
    listed = set()
    for page in (root / "catalogue").glob("p*.html"):
        listed |= set(re.findall(r'records/([^"]+)"', page.read_text("utf-8")))
    assert len(listed) == 2 * count
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
