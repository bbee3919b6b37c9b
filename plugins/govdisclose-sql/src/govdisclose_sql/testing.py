"""A throwaway PostgreSQL server for tests and benchmarks, from the Debian server binaries.

`TemporaryPostgres` runs ``initdb`` into a fresh temporary directory and starts the server on a
free port of 127.0.0.1 (and a unix socket in that directory), with password-less access for one
user; leaving the ``with`` block stops it and deletes everything. Nothing outside the directory
is touched. ``initdb`` refuses to run as root, so under root the server runs as the system user
``postgres`` (created by Debian's ``postgresql`` package) through ``runuser``.

Install the binaries with ``apt-get install postgresql`` (Debian/Ubuntu); `find_postgres_bin`
looks in ``/usr/lib/postgresql/<version>/bin`` and on ``PATH``.
"""

from __future__ import annotations

import os
import pwd
import random
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from types import TracebackType

from govdisclose.errors import StoreError
from govdisclose.model import (
    Applicant,
    Application,
    CorrectionReceived,
    CorrectionRequested,
    DeemedWithdrawn,
    Event,
    Extended,
    FeeNotified,
    FeePaid,
    Received,
    Replied,
    ReviewCaseFiled,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    Transferred,
    Withdrawn,
)
from govdisclose.vocab import (
    ApplicantType,
    Channel,
    FeeMethod,
    Outcome,
    ReviewCaseKind,
    WithdrawalCause,
)

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


# -- generated applications ---------------------------------------------------------------------

# Outcomes a reply may carry without a particular history (the others need a correction or fee
# notice first, see govdisclose.lifecycle).
_PLAIN_OUTCOMES = tuple(
    o
    for o in Outcome
    if o not in {Outcome.NO_CORRECTION, Outcome.UNCLEAR_AFTER_CORRECTION, Outcome.FEE_NOT_PAID}
)
# Weights: most applications are answered in full or in part, as in published annual reports.
_OUTCOME_WEIGHTS = tuple(
    30 if o is Outcome.DISCLOSED else 12 if o is Outcome.PARTIALLY_DISCLOSED else 2
    for o in _PLAIN_OUTCOMES
)
_APPLICANTS = tuple(ApplicantType)
_APPLICANT_WEIGHTS = tuple(80 if t is ApplicantType.NATURAL_PERSON else 4 for t in _APPLICANTS)
_CHANNELS = tuple(Channel)


def _history(rng: random.Random, start: date) -> list[Event]:
    """One plausible history (about 5 events on average) starting on ``start``."""
    day = start
    events: list[Event] = [Received(on=day, actor="登记员")]

    def later(low: int, high: int) -> date:
        nonlocal day
        day = day + timedelta(days=rng.randint(low, high))
        return day

    path = rng.random()
    if rng.random() < 0.8:
        events.append(Transferred(on=later(0, 2), to="业务处室"))
    if path < 0.2:
        events.append(CorrectionRequested(on=later(1, 5), items="请说明所需信息的名称、文号"))
        if rng.random() < 0.15:
            events.append(DeemedWithdrawn(on=later(15, 30), cause=WithdrawalCause.NO_CORRECTION))
            return events
        events.append(CorrectionReceived(on=later(2, 10)))
    elif path < 0.55:
        parties = ("第三方企业", "相关机关")[: rng.randint(1, 2)]
        for party in parties:
            events.append(
                ThirdPartyConsulted(on=later(1, 5), party=party, is_agency=party == "相关机关")
            )
        for party in parties:
            events.append(ThirdPartyReplied(on=later(3, 15), party=party, consents=False))
    elif path < 0.62:
        amount = Decimal(rng.choice(("100", "300", "1000")))
        events.append(
            FeeNotified(on=later(3, 10), amount=amount, method=FeeMethod.PER_VOLUME, quantity=40)
        )
        if rng.random() < 0.25:
            events.append(DeemedWithdrawn(on=later(25, 35), cause=WithdrawalCause.FEE_NOT_PAID))
            return events
        events.append(FeePaid(on=later(1, 10), amount=amount))
    elif path < 0.66:
        events.append(Withdrawn(on=later(1, 10)))
        return events
    if rng.random() < 0.08:
        return events  # still being handled
    if rng.random() < 0.5:
        events.append(
            Extended(on=later(10, 20), days=20, reason="需要调档查阅", approved_by="办公室主任")
        )
    outcome = rng.choices(_PLAIN_OUTCOMES, _OUTCOME_WEIGHTS)[0]
    events.append(
        Replied(on=later(3, 20), outcome=outcome, reasons=None, legal_basis="《条例》第三十六条")
    )
    if rng.random() < 0.25:
        events.append(
            ReviewCaseFiled(
                on=later(10, 60),
                case_id=f"FY{rng.randrange(10**8):08d}",
                case_kind=ReviewCaseKind.RECONSIDERATION,
            )
        )
    return events


def sample_applications(
    count: int,
    *,
    agencies: Sequence[str] = ("AG01",),
    start: date = date(2021, 1, 1),
    days: int = 3 * 365,
    seed: int = 0,
) -> Iterator[Application]:
    """``count`` generated applications with valid, varied histories, for load tests.

    Deterministic for a given ``seed``; ids are ``A0000001``… in order; receipt days are spread
    over ``days`` days from ``start``, agencies round-robin. About 8 % are still open.
    """
    rng = random.Random(seed)
    for n in range(1, count + 1):
        applicant_type = rng.choices(_APPLICANTS, _APPLICANT_WEIGHTS)[0]
        yield Application(
            id=f"A{n:07d}",
            agency=agencies[n % len(agencies)],
            applicant=Applicant(
                type=applicant_type,
                name="申请人" if applicant_type is ApplicantType.NATURAL_PERSON else "某单位",
                phone=f"1380000{n % 10000:04d}",
            ),
            channel=rng.choice(_CHANNELS),
            request="申请公开本机关2020年以来的征地补偿安置方案及批复文件",
            events=tuple(_history(rng, start + timedelta(days=rng.randrange(days)))),
        )
