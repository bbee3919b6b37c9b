"""All-or-nothing changes to the files of a site directory, under a lock (internal).

`transaction(root)` takes the site's lock, finishes whatever a crashed transaction left, and
gives a `Transaction`: `Transaction.write` stages a file's new content in a private directory
of the site (``.govdisclose-staging/txn-*``, mode 0700, on the same file system, so a rename
is atomic), `Transaction.remove` notes a file to delete, and `Transaction.commit` switches:

1. prepare: every file that will be replaced or deleted gets a hard link (a copy where the file
   system has none) in the private directory: its backup, the very same bytes; the staged files
   are synced (each, or the file system once for a big transaction: `SYNC_EACH_UP_TO`);
2. the journal (what will change, where the backups are) is written, synced and renamed into
   place: from now on a crash is undone by the next transaction;
3. switch: every staged file is renamed over its target (`os.replace`, atomic per file) and
   every removed file is unlinked, in the order given;
4. the directories are synced and the journal is deleted: the commit point.

An error anywhere before 3 leaves the public files untouched (nothing public was written). An
error during 3 or 4 undoes the steps done, from the backups (renaming a backup back is again
atomic, and restores the original file, inode and all); if the undo fails too, the journal is
kept and the next transaction (or the recovery at its start) undoes the rest. A crash (the
process killed, the power cut) between 2 and 4 is undone the same way by the next transaction:
whatever did not reach the commit point never stays public.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from attrs import frozen

from govdisclose_static_site.errors import StaticSiteError

__all__ = [
    "LOCK",
    "STAGING",
    "SYNC_EACH_UP_TO",
    "DirectoryTaken",
    "FreshDirectory",
    "Transaction",
    "fresh_directory",
    "transaction",
]

#: The lock file every writer of the site takes (the name 0.1.0 used, so that a 0.1.0 writer and
#: a 0.2.0 writer exclude each other during an upgrade).
LOCK = ".catalog.lock"
#: The private directory of staged files, backups and journals.
STAGING = ".govdisclose-staging"
_JOURNAL = "journal.json"


#: Up to this many staged files are synced one by one; a bigger transaction (a rebuild that
#: changed every page) syncs the whole file system once, which costs far less than thousands of
#: fsync calls and gives the same guarantee: every staged byte is on disk before the journal.
SYNC_EACH_UP_TO = 64


# The file-system calls, as module functions so that tests can make any of them fail.
def _write_file(path: Path, data: bytes) -> None:
    # 0o666 less the umask, like any file the user creates (0.1.0's temporary files kept 0600).
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _sync_files(paths: list[Path]) -> None:
    if len(paths) > SYNC_EACH_UP_TO:
        os.sync()
        return
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _replace(src: Path, dst: Path) -> None:
    os.replace(src, dst)


def _unlink(path: Path) -> None:
    os.unlink(path)


def _link(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:  # a file system without hard links: a copy has the same bytes
        shutil.copy2(src, dst, follow_symlinks=False)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _relative(path: str) -> str:
    """``path`` if it is a plain relative path inside the site, else ValueError."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts or any(p in {"", ".", ".."} for p in pure.parts):
        raise ValueError(f"not a path inside the site: {path!r}")
    return str(pure)


@frozen
class _Step:
    path: str  # relative to the site's root
    staged: str | None  # the staged file's name in the transaction directory; None: delete
    backup: str | None  # the backup's name in the transaction directory; None: no old file


class Transaction:
    """The changes of one publication, staged; nothing is public before `commit`."""

    def __init__(self, root: Path, work: Path) -> None:
        self.root = root
        self.work = work
        self.keep = False  # the work directory holds a journal still to undo
        self._changes: list[tuple[str, str | None]] = []
        self._seen: set[str] = set()

    @property
    def paths(self) -> tuple[str, ...]:
        """The paths changed so far, in order."""
        return tuple(path for path, _ in self._changes)

    def __contains__(self, path: object) -> bool:
        return path in self._seen

    def _claim(self, path: str) -> str:
        path = _relative(path)
        if path in self._seen:
            raise ValueError(f"{path!r} is already part of the transaction")
        self._seen.add(path)
        return path

    def write(self, path: str, text: str | bytes) -> None:
        """Stage ``text`` (a text, written as UTF-8, or bytes: a .docx) as the new content of
        ``path`` (relative to the site's root)."""
        path = self._claim(path)
        staged = f"new-{len(self._changes)}"
        _write_file(self.work / staged, text.encode("utf-8") if isinstance(text, str) else text)
        self._changes.append((path, staged))

    def remove(self, path: str) -> None:
        """Delete ``path`` at the switch (nothing happens if there is no such file)."""
        path = self._claim(path)
        self._changes.append((path, None))

    def commit(self) -> None:
        """Switch every staged change live, or none (see the module's description)."""
        steps: list[_Step] = []
        for i, (path, staged) in enumerate(self._changes):
            target = self.root / path
            backup = None
            if os.path.lexists(target):
                backup = f"old-{i}"
                _link(target, self.work / backup)
            elif staged is None:
                continue  # deleting what is not there
            steps.append(_Step(path, staged, backup))
        if not steps:
            return
        dirs: list[str] = []
        checked: set[str] = set()
        for step in steps:
            if step.staged is None:
                continue
            for folder in reversed(PurePosixPath(step.path).parents[:-1]):
                name = str(folder)
                if name in checked:
                    continue
                checked.add(name)
                if not (self.root / folder).exists():
                    dirs.append(name)
        _sync_files([self.work / s.staged for s in steps if s.staged is not None])
        journal = {
            "steps": [[s.path, s.staged, s.backup] for s in steps],
            "dirs": dirs,
        }
        _write_file(self.work / f"{_JOURNAL}.tmp", json.dumps(journal).encode("utf-8"))
        _replace(self.work / f"{_JOURNAL}.tmp", self.work / _JOURNAL)
        _fsync_dir(self.work)
        try:
            for name in dirs:
                (self.root / name).mkdir(exist_ok=True)
            for step in steps:
                if step.staged is not None:
                    _replace(self.work / step.staged, self.root / step.path)
                else:
                    _unlink(self.root / step.path)
            for parent in _parents(self.root, steps):
                _fsync_dir(parent)
            _unlink(self.work / _JOURNAL)
        except BaseException as err:
            try:
                _undo(self.root, self.work, steps, dirs)
            except BaseException as failure:
                self.keep = True
                raise StaticSiteError(
                    f"静态站点 {self.root} 的更改失败（{type(err).__name__}: {err}），撤销也未完成"
                    f"（{type(failure).__name__}: {failure}）；下一次发布会先完成撤销",
                    f"a change to the static site {self.root} failed ({type(err).__name__}: "
                    f"{err}) and so did undoing it ({type(failure).__name__}: {failure}); the "
                    "next publication to the site finishes the undo first",
                    field=str(self.work / _JOURNAL),
                    code="static_site.rollback_failed",
                ) from err
            raise
        # Committed. If the deletion of the journal were lost in a power cut, the next
        # transaction would undo this publication: a page missing, never one too many.
        with contextlib.suppress(OSError):
            _fsync_dir(self.work)


def _parents(root: Path, steps: list[_Step]) -> list[Path]:
    return sorted({(root / s.path).parent for s in steps})


def _undo(root: Path, work: Path, steps: list[_Step], dirs: list[str]) -> None:
    """Put back every file of ``steps`` as it was; repeatable (a crash may interrupt it)."""
    for step in reversed(steps):
        target = root / step.path
        if step.backup is not None:
            backup = work / step.backup
            if os.path.lexists(backup):
                _replace(backup, target)
        elif os.path.lexists(target):  # a new file: there was none before
            _unlink(target)
    for name in reversed(dirs):
        with contextlib.suppress(OSError):  # not empty (not ours to remove), or gone
            (root / name).rmdir()
    for parent in _parents(root, steps):
        if parent.exists():
            _fsync_dir(parent)


def _recover(root: Path, staging: Path) -> None:
    """Undo every transaction a crash left between its journal and its commit point."""
    for work in sorted(staging.glob("txn-*")):
        journal = work / _JOURNAL
        if journal.exists():
            try:
                data = json.loads(journal.read_text("utf-8"))
                steps = [
                    _Step(_relative(path), staged, backup) for path, staged, backup in data["steps"]
                ]
                dirs = [_relative(name) for name in data["dirs"]]
            except (OSError, ValueError, TypeError, KeyError) as err:
                raise StaticSiteError(
                    f"静态站点未完成的更改记录 {journal} 无法读取（{err}），需人工检查站点",
                    f"the journal {journal} of an unfinished change to the static site cannot "
                    f"be read ({err}); the site needs a person to check it",
                    field=str(journal),
                    code="static_site.damaged_journal",
                ) from err
            _undo(root, work, steps, dirs)
        shutil.rmtree(work)


@contextlib.contextmanager
def transaction(root: Path) -> Iterator[Transaction]:
    """A `Transaction` on the site at ``root``, holding the site's lock until it ends.

    The lock is ``fcntl.flock`` on ``root/.catalog.lock``: exclusive between processes and
    between threads (each transaction opens the file anew). Whatever is not committed when the
    block ends is discarded.
    """
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a", encoding="utf-8") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        staging = root / STAGING
        staging.mkdir(mode=0o700, exist_ok=True)
        _recover(root, staging)
        work = Path(tempfile.mkdtemp(dir=staging, prefix="txn-"))
        txn = Transaction(root, work)
        try:
            yield txn
        finally:
            if not txn.keep:
                shutil.rmtree(work, ignore_errors=True)


class FreshDirectory:
    """The files of a site built from nothing, written straight into a private directory that
    becomes the site in one rename (`fresh_directory`): a reader sees no site, then the whole
    site. ``write`` and ``remove`` have `Transaction`'s signatures."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self._made: set[Path] = {work}
        self._seen: set[str] = set()

    def __contains__(self, path: object) -> bool:
        return path in self._seen

    def write(self, path: str, text: str | bytes) -> None:
        """Write ``text`` (a text as UTF-8, or bytes) as ``path`` (relative to the future
        site's root)."""
        path = _relative(path)
        if path in self._seen:
            raise ValueError(f"{path!r} is already part of the build")
        self._seen.add(path)
        target = self.work / path
        folder = target.parent
        if folder not in self._made:
            folder.mkdir(parents=True, exist_ok=True)
            self._made.add(folder)
        with open(target, "wb") as fh:
            fh.write(text.encode("utf-8") if isinstance(text, str) else text)

    def remove(self, path: str) -> None:
        """Nothing to remove in a new directory (kept for `Transaction`'s interface)."""
        _relative(path)


class DirectoryTaken(Exception):
    """The site directory gained files while a fresh build was being written."""


@contextlib.contextmanager
def fresh_directory(root: Path) -> Iterator[FreshDirectory]:
    """A `FreshDirectory` that becomes ``root`` when the block ends without an error.

    ``root`` must not exist or be an empty directory. The files are written without a sync each;
    one ``os.sync`` makes them durable before the rename (``os.rename`` of a directory onto a
    missing or empty one is atomic). If ``root`` gained files meanwhile (another writer created
    the site), `DirectoryTaken` is raised and nothing is changed; an error in the block leaves
    no trace either.
    """
    parent = root.parent
    parent.mkdir(parents=True, exist_ok=True)
    work = parent / f".{root.name}.build-{os.getpid()}-{os.urandom(4).hex()}"
    os.mkdir(work, 0o777)  # the site's mode: 0o777 less the umask, readable by the web server
    try:
        yield FreshDirectory(work)
        os.sync()
        try:
            os.rename(work, root)
        except OSError as err:
            if err.errno in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR):
                raise DirectoryTaken(str(root)) from err
            raise
        _fsync_dir(parent)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
