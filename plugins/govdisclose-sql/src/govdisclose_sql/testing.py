"""A throwaway PostgreSQL server for tests and benchmarks, from the Debian server binaries.

`TemporaryPostgres` runs ``initdb`` into a fresh temporary directory and starts the server on a
free port of 127.0.0.1 (and a unix socket in that directory), with password-less access for one
user; leaving the ``with`` block stops it and deletes everything. Nothing outside the directory
is touched. ``initdb`` refuses to run as root, so under root the server runs as the system user
``postgres`` (created by Debian's ``postgresql`` package) through ``runuser``.

Install the binaries with ``apt-get install postgresql`` (Debian/Ubuntu); `find_postgres_bin`
looks in ``/usr/lib/postgresql/<version>/bin`` and on ``PATH``.

``sample_applications``, the load-test generator, lives in `govdisclose.testing.builders` and is
re-exported here under its old import path.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

from govdisclose.errors import StoreError

# Moved to govdisclose.testing.builders (one generator for every package's tests); kept here so
# that `from govdisclose_sql.testing import sample_applications` goes on working.
from govdisclose.testing.builders import sample_applications

__all__ = ["INSTALL_HINT", "TemporaryPostgres", "find_postgres_bin", "sample_applications"]

#: What to tell a developer whose machine lacks the server binaries.
INSTALL_HINT = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin "
    "or on PATH; install them with `apt-get install postgresql`"
)


def find_postgres_bin() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl`` (the newest Debian version), or None."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: _version_key(p.parent.name),
        reverse=True,
    )
    for directory in candidates:
        if (directory / "initdb").is_file() and (directory / "pg_ctl").is_file():
            return directory
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    return None


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class TemporaryPostgres:
    """A PostgreSQL server in a temporary directory, for the duration of a ``with`` block.

    :param bin_dir: the directory of ``initdb`` and ``pg_ctl`` (default: `find_postgres_bin`).
    :param durable: keep fsync on. Tests switch it off (a killed client, not a power cut, is
        what they simulate); benchmarks keep the server's defaults.
    :param user: the database superuser to create; connections need no password.
    """

    def __init__(
        self, bin_dir: Path | None = None, *, durable: bool = False, user: str = "govdisclose"
    ) -> None:
        found = bin_dir or find_postgres_bin()
        if found is None:
            raise StoreError(
                "未找到 PostgreSQL 服务器程序；请执行 apt-get install postgresql",
                INSTALL_HINT,
                code="store.postgres_missing",
            )
        self.bin_dir = found
        self.durable = durable
        self.user = user
        self.port = 0
        self._dir: Path | None = None

    def __repr__(self) -> str:
        return f"<TemporaryPostgres port={self.port} dir={self._dir}>"

    @property
    def directory(self) -> Path:
        """The server's temporary directory (data in ``data/``, log in ``server.log``)."""
        if self._dir is None:
            raise StoreError("临时 PostgreSQL 服务器未启动", "the temporary server is not running")
        return self._dir

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL (psycopg 3) of a database on this server."""
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database and return its URL."""
        import psycopg  # only the PostgreSQL extra installs it
        from psycopg import sql

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.user, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def create_schema(self, name: str, database: str = "postgres") -> str:
        """Create an empty schema and return a URL whose connections work in it only.

        Much cheaper than `create_database` (milliseconds, not a second): what a test suite
        that wants a fresh store per test should use.
        """
        import psycopg
        from psycopg import sql

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.user, dbname=database, autocommit=True
        ) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
        return f"{self.url(database)}?options=-csearch_path%3D{name}"

    def _run(self, *args: str) -> None:
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(
            command, cwd=self.directory, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            log = self.directory / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise StoreError(
                f"PostgreSQL 命令失败：{' '.join(args[:2])}",
                f"PostgreSQL command failed ({done.returncode}): {' '.join(command)}\n"
                f"{done.stdout}{done.stderr}{tail}",
                code="store.postgres_failed",
            )

    def start(self) -> None:
        """initdb and start the server; stop it with `stop`."""
        self._dir = Path(tempfile.mkdtemp(prefix="govdisclose-pg-"))
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise StoreError(
                    "以 root 运行时需要系统用户 postgres（apt-get install postgresql 会创建）",
                    "running as root needs the system user 'postgres' to run the server "
                    "(`apt-get install postgresql` creates it)",
                    code="store.postgres_missing",
                ) from None
            os.chown(self._dir, owner.pw_uid, owner.pw_gid)
        data = self._dir / "data"
        try:
            self._run(
                str(self.bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                self.user,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
            )
            self.port = _free_port()
            options = [
                f"-p {self.port}",
                f"-k {self._dir}",
                "-c listen_addresses=127.0.0.1",
                "-c max_connections=50",
            ]
            if not self.durable:
                options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
            self._run(
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(self._dir / "server.log"),
                "-o",
                " ".join(options),
                "-w",
                "-t",
                "60",
                "start",
            )
        except BaseException:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
            raise

    def stop(self) -> None:
        """Stop the server at once and delete its directory."""
        if self._dir is None:
            return
        try:
            self._run(
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self._dir / "data"),
                "-m",
                "fast",
                "-w",
                "stop",
            )
        finally:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def __enter__(self) -> TemporaryPostgres:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
