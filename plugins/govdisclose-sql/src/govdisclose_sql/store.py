"""`SqlStore`: the `govdisclose.store.Store` on SQLite or PostgreSQL, with SQLAlchemy Core.

Concurrency. Applications are versioned by their number of events. `SqlStore.append_events`
reads the stored events, replays the new ones through `govdisclose.lifecycle.apply`, then moves
the version with ``UPDATE applications SET version = :new WHERE id = :id AND version =
:expected``: of two writers, processes or threads, that expected the same version, the second
finds no row to update and gets `ConflictError`. The primary key ``(application_id, seq)`` of
the events is the backstop: the same sequence number can never be stored twice.

* SQLite: the write transaction is ``BEGIN IMMEDIATE``, so writers queue on the database lock
  (up to ``busy_timeout`` seconds) instead of failing half-way on a lock upgrade; the journal is
  WAL, so readers do not block the writer nor the writer the readers. sqlite3's own transaction
  handling is switched off (``isolation_level = None``) and SQLAlchemy emits ``BEGIN``, which
  also makes savepoints and DDL transactional.
* PostgreSQL (psycopg 3): READ COMMITTED; the conditional ``UPDATE`` waits for a concurrent
  writer of the same row and then re-checks the version, which is what makes one of them lose.
  Reads that need events and their application together are one statement, hence one snapshot.

Every call is one transaction; inside `SqlStore.transaction` each call is a savepoint of the
enclosing transaction, so a call that fails leaves nothing and the block may go on.

Opening modes (``mode``, the ``store.mode`` option of `govdisclose.settings.Settings`):

* ``"create"``: as before, the SQLite file and the schema are created if missing and an older
  schema is migrated forward;
* ``"write"``: the database and its schema must exist (a missing SQLite file is ``store.missing``,
  a database without the schema ``store.no_schema``); an older schema is migrated forward;
* ``"read"``: the database is opened read-only (SQLite: a ``file:…?mode=ro`` URI; PostgreSQL:
  every session ``SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY``): nothing is created
  or migrated, every write raises ``store.read_only``, and a read-only database file works.

No message shows the database password: URLs are redacted (`govdisclose.redaction`) and the
driver's own messages, which may quote the connection string, pass through `redact_text`
with the password as a secret.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from functools import partial
from itertools import chain, compress, count as counting, repeat
from operator import is_not
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import quote, unquote

import numpy as np
import numpy.typing as npt
import orjson
import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.pool import StaticPool

from govdisclose.columns import PackedIds, ReplyFacts, event_code
from govdisclose.errors import (
    ConflictError,
    GovDiscloseError,
    NotFound,
    StoreError,
    StoreIntegrityError,
)
from govdisclose.lifecycle import apply_all, check_history
from govdisclose.model import (
    Agency,
    Application,
    Event,
    Extended,
    Publication,
    Record,
    ReviewCase,
    ThirdPartyConsulted,
    ThirdPartyReplied,
)
from govdisclose.redaction import redact_text, redact_url
from govdisclose.settings import STORE_MODES, StoreMode
from govdisclose.store import ApplicationTally, ImportResult, PublishedEntry
from govdisclose.store.kinds import kind_of
from govdisclose.vocab import ApplicantType, Outcome
from govdisclose_sql import _items, schema as s
from govdisclose_sql._batches import BatchWriter
from govdisclose_sql._plain import plain_function, plain_head
from govdisclose_sql._rows import (
    dump,
    load_row,
    load_stored,
    parse_json,
    publication_rows,
    to_json,
)

__all__ = ["SqlStore"]


_T = TypeVar("_T")

# Execution option that asks the SQLite "begin" hook for a write transaction.
_WRITE = "govdisclose_write"
# Rows per page when iterating, and applications per executemany batch when importing.
_PAGE = 1000
_BATCH = 5000
# Rounds of read-and-write for put_record(expected_version=None) racing other writers.
_OVERWRITE_ATTEMPTS = 20
# PostgreSQL advisory lock key serialising concurrent schema migrations ("govd").
_MIGRATION_LOCK = 0x676F7664


class SqlStore:
    """A `govdisclose.store.Store` in SQLite (``sqlite:///path.db``) or PostgreSQL
    (``postgresql+psycopg://user@host/db``; a plain ``postgresql://`` URL uses psycopg 3 too).

    :param url: an SQLAlchemy URL.
    :param mode: ``"create"`` (default) creates the SQLite file and the schema if they do not
        exist; ``"write"`` requires both (`StoreError` ``store.missing`` for a missing SQLite
        file, ``store.no_schema`` for a database without the schema); ``"read"`` requires both
        and opens the database read-only: it creates and migrates nothing and every write
        raises `StoreError` ``store.read_only``. An in-memory SQLite database is created
        whatever the mode.
    :param create: with ``mode="create"``, ``False`` refuses a database without the
        govdisclose schema with `StoreError` (``store.no_schema``), as ``"write"`` does. In the
        modes that write, an older schema is migrated forward on opening
        (`govdisclose_sql.schema.MIGRATIONS`); ``"read"`` refuses it (``store.schema_outdated``).
    :param busy_timeout: seconds a SQLite writer waits for another process's write lock.

    Thread-safe: each thread uses its own pooled connection; `transaction` belongs to the
    thread that opened it. An in-memory SQLite database (``sqlite://``) has one shared
    connection and suits single-threaded tests only.

    .. versionchanged:: 0.2.0 ``mode``; messages never show the password.
    """

    def __init__(
        self,
        url: str | sa.URL,
        *,
        mode: StoreMode = "create",
        create: bool = True,
        busy_timeout: float = 30.0,
    ) -> None:
        self._secrets = _url_secrets(url)
        if mode not in STORE_MODES:
            raise StoreError(
                f"打开方式 mode 应为 create、write 或 read，实际为 {mode!r}",
                f"mode must be 'create', 'write' or 'read', got {mode!r}",
                field="mode",
                code="store.invalid_mode",
            )
        try:
            self._url = sa.make_url(url)
        except (sa.exc.ArgumentError, ValueError, TypeError) as err:
            shown, why = self._redact(str(url)), self._redact(_first_line(str(err)))
            raise StoreError(
                f"无法解析数据库地址 {shown}：{why}",
                f"cannot parse the database URL {shown!r}: {why}",
                field="url",
                code="store.bad_url",
            ) from None
        if self._url.drivername == "postgresql":
            # SQLAlchemy's default PostgreSQL driver is psycopg2; this adapter ships psycopg 3.
            self._url = self._url.set(drivername="postgresql+psycopg")
        backend = self._url.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise StoreError(
                f"govdisclose-sql 只支持 SQLite 和 PostgreSQL，不支持“{backend}”（{self}）",
                f"govdisclose-sql supports SQLite and PostgreSQL, not {backend!r} ({self})",
                field="url",
                code="store.unsupported_url",
            )
        self._sqlite = backend == "sqlite"
        # An in-memory SQLite database never exists before it is opened: always created.
        memory = self._sqlite and _sqlite_file(self._url) is None and not _uri_form(self._url)
        self._mode: StoreMode = "create" if memory else mode
        self._local = threading.local()
        self._closed = False
        try:
            if self._sqlite:
                self._engine = _sqlite_engine(
                    self._url, mode=self._mode, create=create, busy_timeout=busy_timeout
                )
            else:
                self._engine = _postgres_engine(self._url, read_only=self._mode == "read")
        except sa.exc.ArgumentError as err:
            why = self._redact(_first_line(str(err)))
            raise StoreError(
                f"数据库地址无效 {self}：{why}",
                f"invalid database URL {self}: {why}",
                field="url",
                code="store.bad_url",
            ) from None
        try:
            self._open(create=create and self._mode == "create")
        except StoreError:
            self._engine.dispose()
            if not self._immutable_copy_readable():
                raise
            # A WAL database in a directory this process cannot write (a read-only share):
            # SQLite cannot create the -shm file it reads through, but with no -wal file
            # there is nothing outside the main file, which can be read as immutable.
            self._engine = _sqlite_engine(
                self._url, mode=self._mode, create=create, busy_timeout=busy_timeout, immutable=True
            )
            try:
                self._open(create=False)
            except BaseException:
                self._engine.dispose()
                raise
        except BaseException:
            self._engine.dispose()
            raise

    def _immutable_copy_readable(self) -> bool:
        """Whether a read-only SQLite store that failed to open may be read as immutable: a
        file database with no write-ahead log beside it."""
        path = _sqlite_file(self._url) if self._sqlite and self._mode == "read" else None
        if path is None or not path.is_file():
            return False
        wal = path.with_name(path.name + "-wal")
        try:
            return not wal.exists() or wal.stat().st_size == 0
        except OSError:
            return False

    def _open(self, *, create: bool) -> None:
        try:
            with self._engine.connect() as conn:
                if self._mode == "read":
                    with conn.begin():
                        self._check_readable(s.current_version(conn))
                    return
                conn.execution_options(**{_WRITE: True})
                with conn.begin():
                    if not self._sqlite:
                        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
                    if not create and s.current_version(conn) == 0:
                        raise self._no_schema()
                    s.migrate(conn, s.MIGRATIONS)
        except sa.exc.DBAPIError as err:
            raise _database_error(err, self._secrets, where=str(self)) from err

    def _no_schema(self) -> StoreError:
        if self._mode == "create":
            return StoreError(
                f"数据库 {self} 中没有 govdisclose 的表；新建请用 create=True",
                f"the database {self} holds no govdisclose schema; pass create=True to create one",
                field="url",
                code="store.no_schema",
            )
        return StoreError(
            f"数据库 {self} 中没有 govdisclose 的表（store.mode={self._mode} 只打开已有的存储，"
            "不会新建）；请检查地址，或以 store.mode=create 新建",
            f"the database {self} holds no govdisclose schema (store.mode={self._mode} opens an "
            "existing store only and creates nothing); check the URL, or create the store with "
            "store.mode=create",
            field="url",
            code="store.no_schema",
        )

    def _check_readable(self, found: int) -> None:
        if found == 0:
            raise self._no_schema()
        if found > s.SCHEMA_VERSION:
            raise StoreError(
                f"数据库结构版本为 {found}，高于本程序支持的 {s.SCHEMA_VERSION}，"
                "请升级 govdisclose-sql",
                f"the database schema is version {found}, newer than the {s.SCHEMA_VERSION} "
                "this govdisclose-sql knows; upgrade govdisclose-sql",
                field="schema_version",
                code="store.schema_too_new",
            )
        if found < s.SCHEMA_VERSION:
            raise StoreError(
                f"数据库 {self} 的结构版本为 {found}，低于当前的 {s.SCHEMA_VERSION}；只读打开不会"
                "升级结构，请先以可写方式（store.mode=write）打开一次以完成升级",
                f"the database {self} has schema version {found}, older than the current "
                f"{s.SCHEMA_VERSION}; opening read-only migrates nothing: open it once for "
                "writing (store.mode=write) to migrate it",
                field="schema_version",
                code="store.schema_outdated",
            )

    def _redact(self, text: str) -> str:
        return redact_text(text, self._secrets)

    def __repr__(self) -> str:
        return f"<SqlStore {self}>"

    def __str__(self) -> str:
        """The URL, with its password (and any secret query value) as ``***``."""
        url: sa.URL | None = getattr(self, "_url", None)
        if url is None:
            return "?"
        return redact_url(url.render_as_string(hide_password=False))

    @property
    def url(self) -> sa.URL:
        """The database URL this store was opened with."""
        return self._url

    @property
    def mode(self) -> StoreMode:
        """How the store was opened: ``"create"``, ``"write"`` or ``"read"``."""
        return self._mode

    # -- connections and transactions ------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError.closed()

    @contextmanager
    def _writing(self) -> Iterator[sa.Connection]:
        self._check_open()
        if self._mode == "read":
            raise StoreError(
                f"存储 {self} 以只读方式打开（store.mode=read），不能写入",
                f"the store {self} is open read-only (store.mode=read): it cannot be written",
                code="store.read_only",
            )
        outer: sa.Connection | None = getattr(self._local, "conn", None)
        try:
            if outer is not None:
                with outer.begin_nested():
                    yield outer
                return
            with self._engine.connect() as conn:
                conn.execution_options(**{_WRITE: True})
                with conn.begin():
                    yield conn
        except sa.exc.DBAPIError as err:
            raise _database_error(err, self._secrets) from err

    @contextmanager
    def _reading(self) -> Iterator[sa.Connection]:
        self._check_open()
        outer: sa.Connection | None = getattr(self._local, "conn", None)
        try:
            if outer is not None:
                yield outer
                return
            with self._engine.connect() as conn, conn.begin():
                yield conn
        except sa.exc.DBAPIError as err:
            raise _database_error(err, self._secrets) from err

    def transaction(self) -> AbstractContextManager[None]:
        """A scope in which every write commits together, or none does if the block raises.

        Transactions nest: an inner block that raises undoes only its own writes (a savepoint)
        and re-raises. On SQLite the block holds the database's write lock throughout, so keep
        it short. A store opened read-only refuses it (``store.read_only``).
        """
        return self._transaction()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        if getattr(self._local, "conn", None) is not None:
            with self._writing():
                yield
            return
        with self._writing() as conn:
            self._local.conn = conn
            try:
                yield
            finally:
                self._local.conn = None

    def close(self) -> None:
        """Release connections and files. The store is unusable afterwards."""
        self._closed = True
        self._engine.dispose()

    # -- agencies ----------------------------------------------------------------------------

    def put_agency(self, agency: Agency) -> None:
        """Create or replace an agency."""
        if not isinstance(agency, Agency):
            raise StoreIntegrityError.bad_item("agency", Agency, agency)
        with self._writing() as conn:
            conn.execute(sa.delete(s.agencies).where(s.agencies.c.code == agency.code))
            conn.execute(sa.insert(s.agencies), [_agency_row(agency)])

    def get_agency(self, code: str) -> Agency:
        """The agency with that code; `NotFound` otherwise."""
        with self._reading() as conn:
            data = conn.execute(
                sa.select(s.agencies.c.data).where(s.agencies.c.code == code)
            ).scalar()
        if data is None:
            raise NotFound.for_key("agency", code)
        return load_row("agencies", code, data, Agency)

    def agencies(self) -> list[Agency]:
        """All agencies, ordered by code."""
        with self._reading() as conn:
            rows = conn.execute(
                sa.select(s.agencies.c.code, s.agencies.c.data).order_by(s.agencies.c.code)
            ).all()
        return [load_row("agencies", code, data, Agency) for code, data in rows]

    # -- records -----------------------------------------------------------------------------

    def put_record(self, record: Record, *, expected_version: int | None = None) -> int:
        """Store a record and return its new version; `ConflictError` on a version mismatch.

        ``expected_version=None`` creates or overwrites; ``0`` means the record must not exist.
        """
        if not isinstance(record, Record):
            raise StoreIntegrityError.bad_item("record", Record, record)
        with self._writing() as conn:
            return self._put_record(conn, record, expected_version)

    def _put_record(
        self,
        conn: sa.Connection,
        record: Record,
        expected_version: int | None,
        where: str = "record",
    ) -> int:
        attempt = 1
        while True:
            try:
                with conn.begin_nested():
                    return self._put_record_once(conn, record, expected_version, where)
            except ConflictError:
                # "Whatever is stored": a concurrent writer created the record between our read
                # and our insert (PostgreSQL, READ COMMITTED); read it again and overwrite.
                if expected_version is not None or attempt >= _OVERWRITE_ATTEMPTS:
                    raise
                attempt += 1

    def _put_record_once(
        self, conn: sa.Connection, record: Record, expected_version: int | None, where: str
    ) -> int:
        t = s.records
        if record.agency not in _agency_codes(conn, record.agency):
            raise NotFound.unknown_agency(
                record.agency,
                of_zh=f"公文 {record.id}",
                of_en=f"record {record.id!r}",
                field=f"{where}.agency",
            )
        # FOR UPDATE (PostgreSQL; SQLite already holds the write lock): a concurrent writer of
        # this record waits here, so the version read is the one the update replaces.
        stored = conn.execute(
            sa.select(t.c.version).where(t.c.id == record.id).with_for_update()
        ).scalar()
        actual = 0 if stored is None else int(stored)
        if expected_version is not None and expected_version != actual:
            raise ConflictError.for_version("record", record.id, expected_version, actual)
        row = _record_row(record, actual + 1)
        if stored is None:
            try:
                with conn.begin_nested():
                    conn.execute(sa.insert(t), [row])
            except sa.exc.IntegrityError:
                # Created by a concurrent writer since our read (PostgreSQL, READ COMMITTED).
                raise ConflictError.for_version("record", record.id, actual, actual + 1) from None
        else:
            done = conn.execute(
                sa.update(t).where(t.c.id == record.id, t.c.version == actual).values(**row)
            )
            if done.rowcount != 1:
                raise ConflictError.for_version("record", record.id, actual, actual + 1)
        conn.execute(sa.delete(s.publications).where(s.publications.c.record_id == record.id))
        pubs = publication_rows(record)
        if pubs:
            conn.execute(sa.insert(s.publications), pubs)
        return actual + 1

    def get_record(self, record_id: str) -> Record:
        """The stored record; `NotFound` otherwise."""
        with self._reading() as conn:
            data = conn.execute(
                sa.select(s.records.c.data).where(s.records.c.id == record_id)
            ).scalar()
        if data is None:
            raise NotFound.for_key("record", record_id)
        return load_row("records", record_id, data, Record)

    def record_version(self, record_id: str) -> int:
        """The stored version of a record, 0 if it does not exist."""
        with self._reading() as conn:
            found = conn.execute(
                sa.select(s.records.c.version).where(s.records.c.id == record_id)
            ).scalar()
        return 0 if found is None else int(found)

    def records(self, *, agency: str | None = None) -> Iterator[Record]:
        """Records, of one agency or all, ordered by id (read page by page)."""
        self._check_open()
        t = s.records
        where = [] if agency is None else [t.c.agency == agency]
        for key, data in self._pages(t, where):
            yield load_row("records", key, data, Record)

    def published(
        self, *, agency: str | None = None, start: date | None = None, end: date | None = None
    ) -> Iterator[PublishedEntry]:
        """The register of publications, published on ``start <= day <= end`` (either open).

        Ordered by record id, then in the record's own publication order; ``day`` is the
        publication date in the publication's own timezone.
        """
        self._check_open()
        t = s.publications
        where: list[sa.ColumnElement[bool]] = []
        if agency is not None:
            where.append(t.c.agency == agency)
        if start is not None:
            where.append(t.c.published_on >= start)
        if end is not None:
            where.append(t.c.published_on <= end)
        after: tuple[str, int] | None = None
        while True:
            query = sa.select(t.c.record_id, t.c.seq, t.c.agency, t.c.title, t.c.data).where(*where)
            if after is not None:
                query = query.where(sa.tuple_(t.c.record_id, t.c.seq) > sa.tuple_(*after))
            with self._reading() as conn:
                rows = conn.execute(query.order_by(t.c.record_id, t.c.seq).limit(_PAGE)).all()
            for record_id, seq, agency_code, title, data in rows:
                yield PublishedEntry(
                    record_id=record_id,
                    agency=agency_code,
                    title=title,
                    publication=load_row("publications", f"{record_id}#{seq}", data, Publication),
                )
            if len(rows) < _PAGE:
                return
            after = (rows[-1][0], rows[-1][1])

    # -- applications ------------------------------------------------------------------------

    def create_application(self, application: Application) -> None:
        """Store a new application with the events it carries; `StoreIntegrityError` if the id
        exists, `InvalidTransition` if its events are not a valid history."""
        if not isinstance(application, Application):
            raise StoreIntegrityError.bad_item("application", Application, application)
        # Replaying the history through the lifecycle keeps impossible histories out.
        check_history(application)
        head, event_rows = _application_rows(application)
        with self._writing() as conn:
            if application.agency not in _agency_codes(conn, application.agency):
                raise NotFound.unknown_agency(
                    application.agency,
                    of_zh=f"申请 {application.id}",
                    of_en=f"application {application.id!r}",
                    field="application.agency",
                )
            try:
                with conn.begin_nested():
                    conn.execute(sa.insert(s.applications), _as_dicts(s.applications, [head]))
            except sa.exc.IntegrityError:
                raise StoreIntegrityError.duplicate_application(application.id) from None
            if event_rows:
                conn.execute(sa.insert(s.events), _as_dicts(s.events, event_rows))
            _bump(conn, Counter({_count_key(application): 1}))

    def append_events(
        self, application_id: str, events: Sequence[Event], *, expected_version: int
    ) -> Application:
        """Append events to a stored application and return it as now stored.

        Raises `ConflictError` if the stored version is not ``expected_version``,
        `InvalidTransition` if an event may not follow (每个事件都须符合办理流程),
        `NotFound` if there is no such application. In every failure case nothing is appended.
        """
        events = tuple(events)
        t = s.applications
        with self._writing() as conn:
            stored = self._load_application(conn, application_id)
            if stored.version != expected_version:
                raise ConflictError.for_version(
                    "application", application_id, expected_version, stored.version
                )
            if not events:
                return stored
            updated = apply_all(stored, events)
            head, event_rows = _application_rows(updated, since=stored.version)
            values = _as_dicts(t, [head])[0]
            moved = conn.execute(
                sa.update(t)
                .where(t.c.id == application_id, t.c.version == expected_version)
                .values(
                    version=values["version"],
                    receipt_date=values["receipt_date"],
                    closed_on=values["closed_on"],
                    outcome=values["outcome"],
                    confirmed_on=values["confirmed_on"],
                )
            )
            if moved.rowcount != 1:
                raise ConflictError.for_version(
                    "application", application_id, expected_version, expected_version + 1
                )
            try:
                with conn.begin_nested():
                    conn.execute(sa.insert(s.events), _as_dicts(s.events, event_rows))
            except sa.exc.IntegrityError:
                raise ConflictError.for_version(
                    "application", application_id, expected_version, expected_version + 1
                ) from None
            before, after = _count_key(stored), _count_key(updated)
            if before != after:
                _bump(conn, Counter({before: -1, after: 1}))
            return updated

    def get_application(self, application_id: str) -> Application:
        """The stored application with all its events; `NotFound` otherwise."""
        with self._reading() as conn:
            return self._load_application(conn, application_id)

    def _load_application(self, conn: sa.Connection, application_id: str) -> Application:
        apps = _fetch_applications(conn, [s.applications.c.id == application_id])
        if not apps:
            raise NotFound.for_key("application", application_id)
        return apps[0]

    def applications(
        self, *, agency: str | None = None, open_on: date | None = None
    ) -> Iterator[Application]:
        """Applications ordered by id; with ``open_on``, only those received on or before that
        day and not closed before it (read page by page)."""
        self._check_open()
        t = s.applications
        where = self._selection(agency, open_on)
        after: str | None = None
        while True:
            page_where = where if after is None else [*where, t.c.id > after]
            with self._reading() as conn:
                page = _fetch_applications(conn, page_where, limit=_PAGE)
            yield from page
            if len(page) < _PAGE:
                return
            after = page[-1].id

    def _selection(
        self,
        agency: str | None,
        open_on: date | None,
        received: tuple[date, date] | None = None,
    ) -> list[sa.ColumnElement[bool]]:
        t = s.applications
        where: list[sa.ColumnElement[bool]] = []
        if agency is not None:
            where.append(t.c.agency == agency)
        if open_on is not None:
            where.append(t.c.receipt_date <= open_on)
            where.append(sa.or_(t.c.closed_on.is_(None), t.c.closed_on >= open_on))
        if received is not None:
            first, last = received
            where.append(t.c.receipt_date >= first)
            where.append(t.c.receipt_date <= last)
        return where

    def reply_facts(
        self,
        *,
        agency: str | None = None,
        open_on: date | None = None,
        received: tuple[date, date] | None = None,
    ) -> ReplyFacts:
        """The reply clock's facts of the selected applications as columns
        (`govdisclose.columns.ReplyFacts`), rows ordered by application id.

        ``agency`` and ``open_on`` select as `applications` does; ``received=(first, last)``
        keeps the applications received on ``first <= receipt_date <= last``. One statement
        (one snapshot) over the derived columns of the events (schema version 3): no JSON is
        read and no model object is built. ``load(i)`` reads row ``i``'s `Application` from
        the store when it is called (a later snapshot).
        """
        if received is not None and not (
            isinstance(received, tuple)
            and len(received) == 2
            and all(isinstance(d, date) and not isinstance(d, datetime) for d in received)
        ):
            raise StoreError(
                f"received 应为 (起始日, 截止日) 两个日期，实际为 {received!r}",
                f"received must be a (first, last) pair of dates, got {received!r}",
                field="received",
                code="store.invalid_argument",
            )
        self._check_open()
        where = self._selection(agency, open_on, received)
        with self._reading() as conn:
            result = conn.execute(_facts_query(conn.dialect.name, where))
            try:
                # The driver's own tuples (every column is a plain int or text, so SQLAlchemy's
                # row objects, half the time of a large read, would add nothing), a block at a
                # time: a list of all rows would be most of the job's memory.
                blocks = iter(partial(result.cursor.fetchmany, _FACTS_BLOCK), [])
                facts = _facts(blocks, self.get_application, self._applications_by_id)
            finally:
                result.close()
        return facts

    def _applications_by_id(self, wanted: Sequence[str]) -> list[Application]:
        """The applications ``wanted``, in that order, `_IDS_PER_STATEMENT` ids per statement (the
        batch loader of `reply_facts`)."""
        found: dict[str, Application] = {}
        with self._reading() as conn:
            for lo in range(0, len(wanted), _IDS_PER_STATEMENT):
                chunk = list(wanted[lo : lo + _IDS_PER_STATEMENT])
                for app in _fetch_applications(conn, [s.applications.c.id.in_(chunk)]):
                    found[app.id] = app
        missing = [i for i in wanted if i not in found]
        if missing:
            raise NotFound.for_key("application", missing[0])
        return [found[i] for i in wanted]

    def application_tally(self, agency: str, year: int) -> ApplicationTally:
        """The counts table 三 of the annual report needs (see `ApplicationTally`), read from
        the counters every write keeps (``application_counts``, schema version 4): a few
        hundred rows per agency whatever the number of applications, so the time does not
        depend on the query planner or on statistics."""
        c = s.application_counts
        received = sa.and_(c.c.receipt_year >= 1, c.c.receipt_year <= year)
        query = (
            sa.select(
                c.c.applicant_type,
                c.c.outcome,
                c.c.receipt_year,
                c.c.closed_year,
                c.c.count,
            )
            .where(c.c.agency == agency, c.c.count != 0)
            .where(sa.or_(received, c.c.closed_year == year))
        )
        with self._reading() as conn:
            rows = conn.execute(query).all()
        return _tally(agency, year, rows)

    def _tally_by_group(self, agency: str, year: int) -> ApplicationTally:
        """The same tally as `application_tally`, by one ``GROUP BY`` over the applications
        (the reference the counters are checked against)."""
        t = s.applications
        key = (
            t.c.applicant_type,
            sa.func.coalesce(t.c.outcome, ""),
            sa.func.coalesce(sa.extract("year", t.c.receipt_date), 0),
            sa.func.coalesce(sa.extract("year", t.c.closed_on), 0),
        )
        query = sa.select(*key, sa.func.count()).where(t.c.agency == agency).group_by(*key)
        with self._reading() as conn:
            rows = conn.execute(query).all()
        return _tally(agency, year, rows)

    def rebuild_counters(self) -> None:
        """Recompute the counters ``application_tally`` reads from the applications table, in
        one write transaction (maintenance: after restoring a backup or editing rows by hand)."""
        c = s.application_counts
        with self._writing() as conn:
            conn.execute(sa.delete(c))
            conn.execute(
                c.insert().from_select(
                    [col.name for col in c.columns], s.counts_select(s.applications)
                )
            )

    # -- review cases ------------------------------------------------------------------------

    def put_review_case(self, case: ReviewCase) -> None:
        """Create or replace a review or litigation case."""
        if not isinstance(case, ReviewCase):
            raise StoreIntegrityError.bad_item("case", ReviewCase, case)
        with self._writing() as conn:
            conn.execute(sa.delete(s.review_cases).where(s.review_cases.c.id == case.id))
            conn.execute(sa.insert(s.review_cases), [_case_row(case)])

    def review_cases(self, *, agency: str | None = None) -> Iterator[ReviewCase]:
        """Review and litigation cases ordered by id (read page by page)."""
        self._check_open()
        t = s.review_cases
        where = [] if agency is None else [t.c.agency == agency]
        for key, data in self._pages(t, where):
            yield load_row("review_cases", key, data, ReviewCase)

    # -- kept items (govdisclose.store.kinds) ------------------------------------------------

    def put_item(self, value: Any, *, expected_version: int | None = None) -> int:
        """Store a kept item and return its new version (see `govdisclose.store.Store`)."""
        kind = kind_of(type(value))
        with self._writing() as conn:
            return _items.put_item(conn, kind, value, expected_version)

    def get_item(self, cls: type[_T], item_id: str) -> _T:
        """The stored item of kind ``cls`` with that id; `NotFound` otherwise."""
        kind = kind_of(cls)
        with self._reading() as conn:
            return _items.get_item(conn, kind, item_id)

    def item_version(self, cls: type[Any], item_id: str) -> int:
        """The stored version of an item, 0 if it does not exist."""
        kind = kind_of(cls)
        with self._reading() as conn:
            return _items.item_version(conn, kind, item_id)

    def items(self, cls: type[_T], *, agency: str | None = None) -> Iterator[_T]:
        """The stored items of kind ``cls``, of one agency or all, ordered by id (read page by
        page)."""
        kind = kind_of(cls)
        self._check_open()
        t = s.items
        where = [t.c.kind == kind.code]
        if agency is not None:
            where.append(t.c.agency == agency)
        for key, data in self._pages(t, where):
            yield _items.load_item(kind, key, data)

    # -- bulk --------------------------------------------------------------------------------

    def import_bulk(
        self,
        *,
        agencies: Iterable[Agency] = (),
        records: Iterable[Record] = (),
        applications: Iterable[Application] = (),
        review_cases: Iterable[ReviewCase] = (),
    ) -> ImportResult:
        """Store everything or nothing: the first bad item raises and the store is unchanged.

        Agencies, records and review cases are created or replaced (records get a new
        version); an application whose id is already stored is a `StoreIntegrityError`, an
        invalid history an `InvalidTransition`. One transaction, written in batches of
        applications (multi-row ``INSERT`` statements on SQLite; ``COPY`` on PostgreSQL, sent
        by a worker thread while the next batch is prepared); the iterables are consumed
        once, batch by batch, in the caller's thread.

        .. versionchanged:: 0.2.0 rows are serialised once, straight from the objects; on
           PostgreSQL checking the next batch overlaps with the server storing the last.
        """
        counts = Counter[str]()
        with self._writing() as conn:
            for i, agency in enumerate(agencies):
                if not isinstance(agency, Agency):
                    raise StoreIntegrityError.bad_item(f"agencies[{i}]", Agency, agency)
                conn.execute(sa.delete(s.agencies).where(s.agencies.c.code == agency.code))
                conn.execute(sa.insert(s.agencies), [_agency_row(agency)])
                counts["agencies"] += 1
            for i, record in enumerate(records):
                if not isinstance(record, Record):
                    raise StoreIntegrityError.bad_item(f"records[{i}]", Record, record)
                self._put_record(conn, record, None, f"records[{i}]")
                counts["records"] += 1
            self._import_applications(conn, applications, counts)
            for i, case in enumerate(review_cases):
                if not isinstance(case, ReviewCase):
                    raise StoreIntegrityError.bad_item(f"review_cases[{i}]", ReviewCase, case)
                conn.execute(sa.delete(s.review_cases).where(s.review_cases.c.id == case.id))
                conn.execute(sa.insert(s.review_cases), [_case_row(case)])
                counts["review_cases"] += 1
        return ImportResult(**counts)

    def _import_applications(
        self, conn: sa.Connection, applications: Iterable[Application], counts: Counter[str]
    ) -> None:
        # Into an empty store, the secondary indexes of ``applications`` are built once after
        # loading instead of kept up row by row (-17% on 100,000 applications). The drop is
        # part of the import's transaction (DDL is transactional in SQLite and PostgreSQL), so
        # a failed import rolls it back with everything else.
        empty = conn.execute(sa.select(s.applications.c.id).limit(1)).first() is None
        deferred = list(s.applications.indexes) if empty else []
        for index in deferred:
            index.drop(conn)
        self._load_applications(conn, applications, counts)
        for index in deferred:
            index.create(conn)

    def _load_applications(
        self, conn: sa.Connection, applications: Iterable[Application], counts: Counter[str]
    ) -> None:
        # Each application is checked (the lifecycle replay, as every store does) and turned
        # into its rows once, straight from the objects (`_application_rows`); the rows go to
        # the database a batch at a time, and the counters once, at the end, from the keys of
        # the whole import (a few hundred upserts instead of as many per batch). On
        # PostgreSQL a worker thread sends each batch and waits for the server while this
        # thread prepares the next (`govdisclose_sql._batches`). On SQLite the batch is
        # written here, by multi-row statements (`_bulk_insert`): in a worker thread, those
        # run without the interpreter lock, but on a 2-CPU machine the overlap lost to the
        # two threads' contention (30,000 applications: 1.73x -> 2.39x the executemany floor).
        seen: set[str] = set()
        known = _agency_codes(conn)  # the import's agencies are stored by now
        heads: list[_HeadRow] = []
        event_rows: list[_EventRow] = []
        keys: Counter[_CountKey] = Counter()
        first = stored = events = 0
        iso = self._sqlite
        writer: BatchWriter[_Batch] | None = None
        if not self._sqlite:
            # `handoff`: the next batch is prepared while the server checks this one, not
            # while the worker formats its rows (`govdisclose_sql._batches`).

            def write(batch: _Batch) -> None:
                assert writer is not None
                self._insert_batch(conn, *batch, sent=writer.sent)

            writer = BatchWriter(write, handoff=True)
        try:
            for i, app in enumerate(applications):
                if not isinstance(app, Application):
                    raise StoreIntegrityError.bad_item(f"applications[{i}]", Application, app)
                if app.id in seen:
                    raise StoreIntegrityError.duplicate_application(
                        app.id, field=f"applications[{i}].id"
                    )
                if app.agency not in known:
                    raise NotFound.unknown_agency(
                        app.agency,
                        of_zh=f"申请 {app.id}",
                        of_en=f"application {app.id!r}",
                        field=f"applications[{i}].agency",
                    )
                seen.add(app.id)
                check_history(app)
                head, rows = _application_rows(app, iso_dates=iso)
                heads.append(head)
                event_rows += rows
                if len(heads) >= _BATCH:
                    keys.update(map(_head_key, heads))
                    stored += len(heads)
                    events += len(event_rows)
                    if writer is None:
                        self._insert_batch(conn, heads, event_rows, first)
                    else:
                        writer.put((heads, event_rows, first))
                    first = i + 1
                    heads, event_rows = [], []
            if heads:
                keys.update(map(_head_key, heads))
                stored += len(heads)
                events += len(event_rows)
                if writer is None:
                    self._insert_batch(conn, heads, event_rows, first)
                else:
                    writer.put((heads, event_rows, first))
            if writer is not None:
                writer.close()
        except BaseException as err:
            if writer is None:
                raise
            writer.abort()
            # A batch the worker failed on holds earlier items than the one that failed here:
            # its error is the import's first.
            if (
                writer.error is not None
                and writer.error is not err
                and isinstance(err, GovDiscloseError)
            ):
                raise writer.error from None
            raise
        _bump(conn, keys)
        counts["applications"] += stored
        counts["events"] += events

    def _insert_batch(
        self,
        conn: sa.Connection,
        heads: list[_HeadRow],
        event_rows: list[_EventRow],
        first: int,
        sent: Callable[[], None] | None = None,
    ) -> None:
        try:
            with conn.begin_nested():
                _bulk_insert(conn, s.applications, heads)
        except sa.exc.IntegrityError:
            # Only an id stored before the import can collide here: name the first one.
            t = s.applications
            ids = [h[0] for h in heads]
            taken = set(conn.execute(sa.select(t.c.id).where(t.c.id.in_(ids))).scalars())
            index, key = next((n, k) for n, k in enumerate(ids) if k in taken)
            raise StoreIntegrityError.duplicate_application(
                key, field=f"applications[{first + index}].id"
            ) from None
        if event_rows:
            _bulk_insert(conn, s.events, event_rows, sent=sent)

    # -- helpers -----------------------------------------------------------------------------

    def _pages(
        self, table: sa.Table, where: Sequence[sa.ColumnElement[bool]]
    ) -> Iterator[tuple[str, str]]:
        """``(id, data)`` of the rows of ``table`` ordered by id, one short read per page."""
        key, data = table.c.id, table.c.data
        after: str | None = None
        while True:
            query = sa.select(key, data).where(*where)
            if after is not None:
                query = query.where(key > after)
            with self._reading() as conn:
                rows = conn.execute(query.order_by(key).limit(_PAGE)).all()
            yield from rows
            if len(rows) < _PAGE:
                return
            after = rows[-1][0]


# -- engines and errors -----------------------------------------------------------------------


def _first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0] if lines else text


def _url_secrets(url: object) -> tuple[str, ...]:
    """The password of ``url`` as SQLAlchemy decodes it and as it is written, for
    `redact_text`: the driver's messages may quote either."""
    found: list[str] = []
    if isinstance(url, sa.URL):
        if url.password:
            found += [str(url.password), quote(str(url.password), safe="")]
        return tuple(found)
    text = str(url)
    _, sep, rest = text.partition("://")
    if sep:
        userinfo = rest.split("/", 1)[0].rpartition("@")[0]
        password = userinfo.partition(":")[2]
        if password:
            found += [password, unquote(password)]
    return tuple(s for s in found if s)


def _uri_form(url: sa.URL) -> bool:
    """Whether a SQLite URL names its database as a ``file:`` URI (``?uri=true``)."""
    return str(url.query.get("uri", "")).lower() in ("true", "1")


def _sqlite_file(url: sa.URL) -> Path | None:
    """The file of a SQLite URL; None for an in-memory database or a ``file:`` URI."""
    database = url.database
    if database in (None, "", ":memory:") or url.query.get("mode") == "memory":
        return None
    if _uri_form(url):
        return None
    return Path(str(database))


def _sqlite_engine(
    url: sa.URL,
    *,
    mode: StoreMode,
    create: bool,
    busy_timeout: float,
    immutable: bool = False,
) -> sa.Engine:
    database = url.database
    memory = database in (None, "", ":memory:") or url.query.get("mode") == "memory"
    uri_form = _uri_form(url)
    shown = redact_url(url.render_as_string(hide_password=False))
    exists = memory or uri_form or Path(str(database)).exists()
    if not exists and mode != "create":
        raise StoreError(
            f"数据库文件不存在：{database}（{shown}）。store.mode={mode} 只打开已有的存储，"
            "不会新建；请检查路径，或以 store.mode=create 新建",
            f"no database file at {database} ({shown}): store.mode={mode} opens an existing "
            "store only and creates nothing; check the path, or create the store with "
            "store.mode=create",
            field="url",
            code="store.missing",
        )
    if not exists and not create:
        raise StoreError(
            f"数据库文件不存在：{database}；新建请用 create=True",
            f"no database file at {database}; pass create=True to create one",
            field="url",
            code="store.no_schema",
        )
    read_only = mode == "read" and not memory
    if read_only:
        # sqlite3 opens the file itself read-only: nothing can be written, not even the WAL
        # switch, and a read-only file (or a file on a read-only share) can be read.
        extra = {"mode": "ro", **({"immutable": "1"} if immutable else {})}
        if uri_form:
            url = url.update_query_dict(extra)
        else:
            path = Path(str(database)).resolve()
            url = url.set(
                database=f"file:{quote(str(path), safe='/')}",
                query={**url.query, **extra, "uri": "true"},
            )
    if memory:
        # One connection, or every checkout would see a different empty database.
        engine = sa.create_engine(
            url, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        engine = sa.create_engine(url, connect_args={"timeout": busy_timeout})
    wait_ms = int(busy_timeout * 1000)

    @sa_event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # SQLAlchemy, not sqlite3, decides when a transaction begins (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {wait_ms}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not memory and not read_only:
                cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    @sa_event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # A writer takes the write lock at BEGIN: it then never fails on a lock upgrade after
        # having read, which is what makes version checks and busy waiting reliable.
        write = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _postgres_engine(url: sa.URL, *, read_only: bool) -> sa.Engine:
    engine = sa.create_engine(url)
    if read_only:

        @sa_event.listens_for(engine, "connect")
        def _read_only(dbapi_connection: Any, _record: Any) -> None:
            # Every transaction of the session is READ ONLY: the server refuses any write.
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            dbapi_connection.commit()

    return engine


# SQLSTATEs of PostgreSQL: a write in a read-only transaction, a database that does not exist.
_PG_READ_ONLY = "25006"
_PG_NO_DATABASE = "3D000"
# How libpq reports it when connecting (the connection error carries no SQLSTATE).
_NO_DATABASE = re.compile(r'database ".*" does not exist')


def _database_error(
    err: sa.exc.DBAPIError, secrets: tuple[str, ...] = (), *, where: str | None = None
) -> StoreError:
    detail = redact_text(_first_line(str(err.orig) if err.orig is not None else str(err)), secrets)
    sqlstate = cast(str | None, getattr(err.orig, "sqlstate", None))
    at = f"（{where}）" if where else ""
    at_en = f" ({where})" if where else ""
    if sqlstate == _PG_READ_ONLY or "readonly database" in detail:
        return StoreError(
            f"数据库只读，不能写入{at}：{detail}",
            f"the database is read-only and cannot be written{at_en}: {detail}",
            code="store.read_only",
        )
    if sqlstate == _PG_NO_DATABASE or _NO_DATABASE.search(detail):
        return StoreError(
            f"数据库不存在{at}：{detail}",
            f"the database does not exist{at_en}: {detail}",
            field="url",
            code="store.missing",
        )
    if "locked" in detail or "busy" in detail:
        return StoreError(
            f"数据库正忙（其他进程持有写锁），请稍后重试：{detail}",
            f"the database is busy (another process holds the write lock); retry later: {detail}",
            code="store.busy",
        )
    return StoreError(
        f"数据库操作失败{at}：{detail}",
        f"database operation failed{at_en}: {detail}",
        code="store.database",
    )


# -- rows -------------------------------------------------------------------------------------


def _agency_codes(conn: sa.Connection, code: str | None = None) -> set[str]:
    """The stored agency codes (only ``code``, if stored, when it is given)."""
    query = sa.select(s.agencies.c.code)
    if code is not None:
        query = query.where(s.agencies.c.code == code)
    return set(conn.execute(query).scalars())


def _agency_row(agency: Agency) -> dict[str, Any]:
    return {"code": agency.code, "parent": agency.parent, "data": dump(agency)}


def _record_row(record: Record, version: int) -> dict[str, Any]:
    return {
        "id": record.id,
        "agency": record.agency,
        "version": version,
        "formed_on": record.formed_on,
        "data": dump(record),
    }


def _case_row(case: ReviewCase) -> dict[str, Any]:
    return {
        "id": case.id,
        "agency": case.agency,
        "application_id": case.application_id,
        "filed_on": case.filed_on,
        "data": dump(case),
    }


_HeadRow = tuple[str, str, int, str, Any, Any, str | None, str, Any]
_EventRow = tuple[str, int, str, Any, str, int, int | None, str | None, bool | None]
# A batch of the bulk import: its application rows, event rows, and the index of its first
# application in the import (for naming a duplicate).
_Batch = tuple[list[_HeadRow], list[_EventRow], int]


def _application_rows(
    app: Application, *, since: int = 0, iso_dates: bool = False
) -> tuple[_HeadRow, list[_EventRow]]:
    """The ``applications`` row (JSON without the events, plus the denormalised columns) and
    the ``events`` rows after the first ``since`` events, as tuples in column order.

    Serialised once, straight from the objects: `govdisclose_sql._plain` gives serde's data
    for the head and for each event without cattrs' dispatch, and orjson writes it.
    ``iso_dates`` gives dates as ISO text, for the driver-level bulk insert into SQLite.
    """
    events = app.events
    outcome = app.outcome
    receipt_day, closed_day = app.receipt_date, app.closed_on
    receipt = receipt_day.isoformat() if iso_dates and receipt_day else receipt_day
    closed = closed_day.isoformat() if iso_dates and closed_day else closed_day
    confirmed: Any = None
    if events and app.channel.receipt_needs_confirmation:
        confirmed = getattr(events[0], "confirmed_on", None)
        if iso_dates and confirmed is not None:
            confirmed = confirmed.isoformat()
    head: _HeadRow = (
        app.id,
        app.agency,
        len(events),
        app.applicant.type.code,
        receipt,
        closed,
        None if outcome is None else outcome.code,
        to_json(plain_head(app)),
        confirmed,
    )
    rows: list[_EventRow] = []
    app_id = app.id
    shapes = _EVENT_SHAPES
    for seq in range(since + 1, len(events) + 1):
        ev = events[seq - 1]
        kind, code, side, convert = shapes.get(type(ev)) or _event_shape(ev)
        item = convert(ev)
        days, party, agency = _NO_SIDE if side is None else side(ev)
        rows.append(
            (
                app_id,
                seq,
                kind,
                item["on"] if iso_dates else ev.on,
                orjson.dumps(item).decode(),
                code,
                days,
                party,
                agency,
            )
        )
    return head, rows


# The side columns of an event row (migration 3): ``days`` of an extension, ``party`` and
# ``is_agency`` of a consultation and its reply; None for every other event.
_Side = tuple[int | None, str | None, bool | None]
_NO_SIDE: _Side = (None, None, None)
_SIDES: dict[type, Callable[[Any], _Side]] = {
    Extended: lambda ev: (ev.days, None, None),
    ThirdPartyConsulted: lambda ev: (None, ev.party, ev.is_agency),
    ThirdPartyReplied: lambda ev: (None, ev.party, None),
}
# Event class -> its ``kind``, `EventCode` as an int, side columns (or None) and serde data
# (`govdisclose_sql._plain`), filled per class on first use: one dict lookup per event row.
_EventShape = tuple[str, int, Callable[[Any], _Side] | None, Callable[[Any], Any]]
_EVENT_SHAPES: dict[type, _EventShape] = {}


def _event_shape(event: Event) -> _EventShape:
    cls = type(event)
    shape = (event.kind, int(event_code(event)), _SIDES.get(cls), plain_function(event))
    _EVENT_SHAPES[cls] = shape
    return shape


def _code(event: Event) -> int:
    """The `EventCode` of an event (`govdisclose.columns.event_code`), memoised per class."""
    return (_EVENT_SHAPES.get(type(event)) or _event_shape(event))[1]


def _bulk_insert(
    conn: sa.Connection,
    table: sa.Table,
    rows: Sequence[tuple[Any, ...]],
    *,
    sent: Callable[[], None] | None = None,
) -> None:
    """Write rows already in the driver's representation (tuples in column order) in the
    connection's transaction: ``COPY`` on PostgreSQL, multi-row ``INSERT ... VALUES`` on
    SQLite.

    SQLAlchemy compiles the statement; the rows skip its per-value processing, which would
    otherwise cost about as much as the database's own work on a bulk import. On SQLite one
    statement stores up to `_sqlite_rows_per_statement` rows: one statement run instead of
    one per row, 0.78x the database time of ``executemany`` on 30,000 applications (the
    stored values are the same). ``sent`` is called once the last ``COPY`` row is with the
    server, before waiting for the statement to finish (`govdisclose_sql._batches`).
    """
    if conn.dialect.name == "postgresql":
        _copy_rows(conn, table, rows, sent)
        return
    if not rows:
        return
    if not conn.dialect.positional:  # not the sqlite3 driver: one row per binding
        sql = str(sa.insert(table).compile(dialect=conn.dialect))
        conn.exec_driver_sql(sql, _as_dicts(table, rows))
        return
    width = len(rows[0])
    per = _sqlite_rows_per_statement(conn, width)
    names = ", ".join(conn.dialect.identifier_preparer.quote(c.name) for c in table.columns)
    one = f"({', '.join('?' * width)})"
    head = f"INSERT INTO {conn.dialect.identifier_preparer.format_table(table)} ({names}) VALUES "
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        # The same text for every full chunk: sqlite3's statement cache compiles it once.
        conn.exec_driver_sql(
            head + ", ".join(repeat(one, len(chunk))), tuple(chain.from_iterable(chunk))
        )


#: Rows of one multi-row INSERT on SQLite, at most; in practice the bound-variable limit
#: decides (32,766 since SQLite 3.32: 3,640 rows of 9 columns; 999 before). Fewer, longer
#: statements: 2,000 -> 3,640 rows took 5% off an import of 50,000 applications.
_SQLITE_ROWS = 5000


def _sqlite_rows_per_statement(conn: sa.Connection, width: int) -> int:
    driver: Any = conn.connection.driver_connection
    limit = int(driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return max(1, min(_SQLITE_ROWS, limit // width))


def _copy_rows(
    conn: sa.Connection,
    table: sa.Table,
    rows: Sequence[tuple[Any, ...]],
    sent: Callable[[], None] | None = None,
) -> None:
    import psycopg  # the postgresql extra; present whenever a PostgreSQL store is open

    quote = conn.dialect.identifier_preparer
    columns = ", ".join(quote.quote(c.name) for c in table.columns)
    statement = f"COPY {quote.format_table(table)} ({columns}) FROM STDIN"
    driver = conn.connection.driver_connection
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(row)
            if sent is not None:
                sent()  # leaving the block ends the COPY and waits for the server
    except psycopg.IntegrityError as err:
        # Reported like SQLAlchemy's own statements, so callers handle one exception type.
        raise sa.exc.IntegrityError(statement, None, err) from err


def _as_dicts(table: sa.Table, rows: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    names = [c.name for c in table.columns]
    return [dict(zip(names, row, strict=True)) for row in rows]


def _fetch_applications(
    conn: sa.Connection, where: Sequence[sa.ColumnElement[bool]], *, limit: int | None = None
) -> list[Application]:
    """The applications matching ``where`` (the first ``limit`` by id) with their events, in
    one statement: one snapshot, so an application and its events always agree."""
    a, e = s.applications, s.events
    ids = sa.select(a.c.id).where(*where).order_by(a.c.id)
    if limit is not None:
        ids = ids.limit(limit)
    chosen = ids.subquery()
    query = (
        sa.select(a.c.id, a.c.data, e.c.seq, e.c.data)
        .select_from(
            a.join(chosen, a.c.id == chosen.c.id).outerjoin(e, e.c.application_id == a.c.id)
        )
        .order_by(a.c.id, e.c.seq)
    )
    return _assemble(conn.execute(query).all())


def _assemble(rows: Iterable[tuple[str, str, int | None, str | None]]) -> list[Application]:
    apps: list[Application] = []
    current: str | None = None
    head: dict[str, Any] = {}
    for app_id, data, seq, event_data in rows:
        if app_id != current:
            if current is not None:
                apps.append(load_stored("applications", current, head, Application))
            current = app_id
            head = parse_json("applications", app_id, data)
            head["events"] = []
        if seq is not None and event_data is not None:
            if seq != len(head["events"]) + 1:
                raise StoreIntegrityError(
                    f"申请 {app_id} 的事件序号不连续：缺少第 {len(head['events']) + 1} 个事件",
                    f"application {app_id!r} has a gap in its events: event "
                    f"{len(head['events']) + 1} is missing",
                    field="events.seq",
                    code="store.corrupted_row",
                )
            head["events"].append(parse_json("events", f"{app_id}#{seq}", event_data))
    if current is not None:
        apps.append(load_stored("applications", current, head, Application))
    return apps


# -- reply facts ------------------------------------------------------------------------------

#: ``julianday`` of 0001-01-01 (a proleptic ordinal of 1) minus one, as SQLite computes it.
_JULIAN_OF_ORDINAL_0 = 1721424.5


def _ordinal(column: sa.ColumnElement[Any], dialect: str) -> sa.ColumnElement[int]:
    """The proleptic ordinal (`datetime.date.toordinal`) of a date column, computed by the
    database."""
    if dialect == "sqlite":
        return sa.cast(sa.func.julianday(column) - _JULIAN_OF_ORDINAL_0, sa.Integer)
    return sa.type_coerce(column - sa.cast(sa.literal("0001-01-01"), sa.Date), sa.Integer) + 1


def _facts_query(dialect: str, where: Sequence[sa.ColumnElement[bool]]) -> sa.Select[Any]:
    a, e = s.applications, s.events
    first = sa.or_(e.c.seq.is_(None), e.c.seq == 1)
    return (
        sa.select(
            # The application's own columns on its first row only: None elsewhere costs nothing.
            sa.case((first, a.c.id), else_=None),
            sa.case((first, _ordinal(a.c.confirmed_on, dialect)), else_=None),
            sa.func.coalesce(e.c.seq, 0),
            sa.func.coalesce(e.c.code, 0),
            sa.func.coalesce(_ordinal(e.c.on, dialect), 0),
            sa.func.coalesce(e.c.days, 0),
            e.c.party,
            sa.func.coalesce(e.c.is_agency, sa.false()),
        )
        .select_from(a.outerjoin(e, e.c.application_id == a.c.id))
        .where(*where)
        .order_by(a.c.id, e.c.seq)
    )


#: Applications read per statement by the batch loader of `reply_facts`: the statement's rows
#: (each event row repeats its application's JSON) are held at once, so about a hundred.
_IDS_PER_STATEMENT = 128
#: Rows of `_facts_query` read from the cursor at a time (`_facts`).
_FACTS_BLOCK = 8192
#: The positions in a block, made once (``compress`` over them creates no integers).
_BLOCK_ROWS = tuple(range(_FACTS_BLOCK))
#: The days of an extension are kept up to the largest ``int32`` (`ReplyFacts.extension_days`).
_MAX_DAYS = int(np.iinfo(np.int32).max)


def _empty_facts() -> ReplyFacts:
    none = np.zeros(0, dtype=np.int32)
    return ReplyFacts(
        ids=(),
        lens=none,
        kind=np.zeros(0, dtype=np.int8),
        on=none,
        confirmed=np.zeros((0, 2), dtype=np.int32),
        extension_days=none,
        consulted_agency=np.zeros(0, dtype=bool),
        party=none,
    )


class _FactColumns:
    """The columns of `ReplyFacts` as they are read, block by block (`_facts`): only typed
    arrays are kept from each block of driver rows."""

    def __init__(self) -> None:
        # The ids packed as they come (`PackedIds`): a string object each would take 60 to 70
        # bytes per application, more than its columns.
        self.ids: list[bytes] = []
        self.id_sizes: list[npt.NDArray[np.int64]] = []
        self.apps = 0
        self.last_id = "?"
        # Per block: int32 lengths, int8 codes, int32 days, int32 extension days, bools, int32
        # party numbers.
        self.lens: list[npt.NDArray[Any]] = []
        self.kind: list[npt.NDArray[Any]] = []
        self.on: list[npt.NDArray[Any]] = []
        self.days: list[npt.NDArray[Any]] = []
        self.agency: list[npt.NDArray[Any]] = []
        self.party: list[npt.NDArray[Any]] = []
        self.confirmed: list[npt.NDArray[np.int32]] = []
        self.numbers: dict[str, int] = {}
        self.named = 0
        #: The ``seq`` of the last row read (-1 before the first): the length of the
        #: application it belongs to, once the next one starts.
        self.last = -1

    def add(self, block: Sequence[Any]) -> None:
        """One block of rows; an application's rows may continue from the block before."""
        m = len(block)
        app_ids, confirmed, seqs, codes, ons, days, parties, agency = zip(*block, strict=True)
        seq = np.fromiter(seqs, np.int64, m)
        starts = seq <= 1
        named = list(filter(None, app_ids))
        if len(named) != int(np.count_nonzero(starts)):
            raise _corrupted_facts("?")
        before = np.empty(m, dtype=np.int64)
        before[0] = self.last
        before[1:] = seq[:-1]
        row_of = np.cumsum(starts) - 1 + self.apps
        # Each application's events are numbered 1, 2, ... without a gap.
        bad = np.flatnonzero(~starts & (seq != before + 1))
        if bad.size:
            row = int(row_of[bad[0]]) - self.apps
            raise _corrupted_facts(named[row] if row >= 0 else self.last_id)
        encoded = list(map(str.encode, named))
        self.ids.append(b"".join(encoded))
        self.id_sizes.append(np.fromiter(map(len, encoded), np.int64, len(encoded)))
        self.apps += len(named)
        self.last_id = named[-1] if named else self.last_id
        # A row starting an application ends the one before it (the first row ends none).
        ends = starts.copy()
        ends[0] &= self.last >= 0
        self.lens.append(before[ends].astype(np.int32))
        self.last = int(seq[-1])
        positions = _BLOCK_ROWS if m <= len(_BLOCK_ROWS) else range(m)
        given = list(compress(positions, map(is_not, confirmed, repeat(None))))
        if given:
            pairs = np.empty((len(given), 2), dtype=np.int32)
            pairs[:, 0] = row_of[given]
            pairs[:, 1] = np.fromiter(map(confirmed.__getitem__, given), np.int32, len(given))
            self.confirmed.append(pairs)
        party = np.full(m, -1, dtype=np.int32)
        named_rows = list(compress(positions, map(is_not, parties, repeat(None))))
        if named_rows:
            # Each party gets the position of its first appearance: equal numbers, equal party.
            names = map(parties.__getitem__, named_rows)
            numbers = map(self.numbers.setdefault, names, counting(self.named))
            party[named_rows] = np.fromiter(numbers, np.int32, len(named_rows))
            self.named += len(named_rows)
        asked = np.minimum(np.fromiter(days, np.int64, m), _MAX_DAYS).astype(np.int32)
        columns = (
            (self.kind, np.fromiter(codes, np.int8, m)),
            (self.on, np.fromiter(ons, np.int32, m)),
            (self.days, asked),
            (self.agency, np.fromiter(agency, bool, m)),  # 0/1 from SQLite
            (self.party, party),
        )
        # An application without events has one row (``seq`` 0) and no event.
        events = None if seq.all() else seq > 0
        for parts, values in columns:
            parts.append(values if events is None else values[events])

    def facts(
        self,
        load: Callable[[str], Application],
        load_many: Callable[[Sequence[str]], list[Application]],
    ) -> ReplyFacts:
        """The columns read, as `ReplyFacts` (``load`` and ``load_many`` take ids)."""
        if self.last < 0:
            return _empty_facts()
        self.lens.append(np.asarray([self.last], dtype=np.int32))
        ids = PackedIds(b"".join(self.ids), np.cumsum(np.concatenate(self.id_sizes)))
        self.ids = []
        return ReplyFacts(
            ids=ids,
            lens=np.concatenate(self.lens),
            kind=np.concatenate(self.kind),
            on=np.concatenate(self.on),
            confirmed=(
                np.concatenate(self.confirmed)
                if self.confirmed
                else np.zeros((0, 2), dtype=np.int32)
            ),
            extension_days=np.concatenate(self.days),
            consulted_agency=np.concatenate(self.agency),
            party=np.concatenate(self.party),
            load=lambda i: load(ids[i]),
            load_many=lambda wanted: load_many([ids[i] for i in wanted]),
        )


def _facts(
    blocks: Iterable[Sequence[Any]],
    load: Callable[[str], Application],
    load_many: Callable[[Sequence[str]], list[Application]],
) -> ReplyFacts:
    """`ReplyFacts` from the rows of `_facts_query`, given in blocks: one row per event, or one
    row with ``seq`` 0 for an application without events. Only typed columns are kept from
    each block, so the memory held is the arrays' (a few bytes per event) plus one block."""
    columns = _FactColumns()
    for block in blocks:
        columns.add(block)
    return columns.facts(load, load_many)


def _corrupted_facts(app_id: str) -> StoreIntegrityError:
    return StoreIntegrityError(
        f"申请 {app_id} 的事件序号不连续，无法读取其办理事实",
        f"application {app_id!r} has a gap in its event sequence numbers: its reply facts "
        "cannot be read",
        field="events.seq",
        code="store.corrupted_row",
    )


# -- counters ---------------------------------------------------------------------------------

_CountKey = tuple[str, str, str, int, int]


def _count_key(app: Application) -> _CountKey:
    """The ``application_counts`` key of an application."""
    outcome, receipt, closed = app.outcome, app.receipt_date, app.closed_on
    return (
        app.agency,
        app.applicant.type.code,
        "" if outcome is None else outcome.code,
        0 if receipt is None else receipt.year,
        0 if closed is None else closed.year,
    )


def _year(day: Any) -> int:
    if day is None:
        return 0
    return int(day[:4]) if isinstance(day, str) else int(day.year)


def _head_key(head: _HeadRow) -> _CountKey:
    return (head[1], head[3], head[6] or "", _year(head[4]), _year(head[5]))


def _bump(conn: sa.Connection, deltas: Counter[_CountKey]) -> None:
    """Add ``deltas`` to the counters, in the caller's transaction (an upsert per key)."""
    rows = [
        {
            "agency": k[0],
            "applicant_type": k[1],
            "outcome": k[2],
            "receipt_year": k[3],
            "closed_year": k[4],
            "count": n,
        }
        for k, n in deltas.items()
        if n
    ]
    if not rows:
        return
    c = s.application_counts
    insert: Any
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(c)
    statement = statement.on_conflict_do_update(
        index_elements=list(c.primary_key),
        set_={"count": c.c.count + statement.excluded.count},
    )
    conn.execute(statement, rows)


def _tally(agency: str, year: int, rows: Iterable[Any]) -> ApplicationTally:
    """`ApplicationTally` from counter rows ``(applicant type, outcome, receipt year,
    closing year, count)``."""
    received: Counter[ApplicantType] = Counter()
    carried_over: Counter[ApplicantType] = Counter()
    concluded: Counter[tuple[Outcome, ApplicantType]] = Counter()
    carried_forward: Counter[ApplicantType] = Counter()
    for type_code, outcome_code, receipt_year, closed_year, count in rows:
        got, closed, n = int(receipt_year), int(closed_year), int(count)
        kind = ApplicantType.from_code(type_code, field="application_counts.applicant_type")
        if got == year:
            received[kind] += n
        if 1 <= got < year and (closed == 0 or closed >= year):
            carried_over[kind] += n
        if 1 <= got <= year and (closed == 0 or closed > year):
            carried_forward[kind] += n
        if closed == year and outcome_code:
            outcome = Outcome.from_code(outcome_code, field="application_counts.outcome")
            concluded[outcome, kind] += n
    return ApplicationTally(
        agency=agency,
        year=year,
        received=+received,
        carried_over=+carried_over,
        concluded=+concluded,
        carried_forward=+carried_forward,
    )
