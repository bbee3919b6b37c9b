"""The daily job end to end: the reply status of every open application, read from a SQL store.

A SQLite store (``govdisclose-sql``) of N applications (1,000,000; 20,000 with ``--quick``) from
`govdisclose.testing.builders.sample_applications`, imported with ``import_bulk`` (set-up, not
measured). Measured, interleaved round by round:

* ours: ``govdisclose.deadlines.reply_status_facts(govdisclose.store.reply_facts(store,
  open_on=day), day, params=..., calendar=...)``, the store's fast ``reply_facts`` included;
* the floor: plain ``sqlite3`` reading the same event rows ``(application_id, seq, kind, on)``
  of the applications open on that day into numpy arrays (target: ours within 3x);
* the whole daily job: that status and the approaching list
  (`govdisclose.daily.approaching` of the same facts: every clock of every open application
  due within 3 working days, the objects loaded only where the columns do not settle a clock;
  it returns the reply status of every row with the reminders, ``Reminders.replies``, which
  is the job's status list), against the same floor (target: within 3x);
* peak memory of ours (``tracemalloc``, one untimed run) against the size of the floor's arrays
  (target: under 1.3x, stated for the 1,000,000 job: at ``--quick`` sizes a fixed megabyte or
  two, one block of loaded objects and the statement caches, outweighs the arrays, so the quick
  ratio is shown without a verdict). ``tracemalloc`` sees Python's allocations only: what the
  driver holds in C is not counted (on PostgreSQL that is the whole result, which psycopg's
  client-side cursor receives before the first ``fetchmany``).

The same on PostgreSQL (a temporary server, `govdisclose_sql.testing.TemporaryPostgres`, with
the server's default durability; skipped with the reason when there is none): the store holds
100,000 generated applications (2,000 with ``--quick``) imported with ``import_bulk`` and nine
copies of each with its events under new ids (``_sqlbench.grow``, ``INSERT ... SELECT``: the
import of a million is measured in ``bench_store``, not here), then ``ANALYZE`` (what
autovacuum would have done); the floor is plain ``psycopg`` running the same SELECT and putting
the rows into the same numpy arrays through a binary cursor (target: ours within 3x of it).

    python benchmarks/run.py daily [--quick]
"""

from __future__ import annotations

import importlib.util
import sqlite3
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from _harness import Row, Stats, Target, compare, note, report

from govdisclose import deadlines, store as gstore
from govdisclose.calendar import WorkCalendar
from govdisclose.daily import approaching
from govdisclose.params import ParameterSet
from govdisclose.testing.builders import agency, sample_applications

AGENCIES = ("AG01", "AG02")
DAY = date(2023, 12, 29)  # near the end of sample_applications' receipts (2021-2023)

_OPEN_EVENTS = """
SELECT e.application_id, e.seq, e.kind, e."on"
FROM events AS e JOIN applications AS a ON a.id = e.application_id
WHERE a.receipt_date <= ? AND (a.closed_on IS NULL OR a.closed_on >= ?)
ORDER BY e.application_id, e.seq
"""


def floor_arrays(path: Path, day: date) -> dict[str, Any]:
    """The floor: the open applications' event rows into numpy arrays, by plain sqlite3."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(_OPEN_EVENTS, (day.isoformat(), day.isoformat())).fetchall()
    finally:
        conn.close()
    return _arrays(rows)


def pg_floor_arrays(conn: Any, day: date) -> dict[str, Any]:
    """The PostgreSQL floor: the same SELECT by plain psycopg (an open connection, as a job
    holds one; a binary cursor, psycopg's fastest way to fetch these types), the rows into the
    same numpy arrays."""
    cursor = conn.cursor(binary=True)
    rows = cursor.execute(_OPEN_EVENTS.replace("?", "%s"), (day, day)).fetchall()
    conn.rollback()  # end the read's transaction, as the store does after each read
    return _arrays(rows)


def _arrays(rows: list[Any]) -> dict[str, Any]:
    """Event rows ``(application_id, seq, kind, on)`` as numpy arrays (``on`` as ISO text from
    sqlite3, as `datetime.date` from psycopg: both become ``datetime64[D]``)."""
    if not rows:
        return {"application_id": np.array([], dtype="U1")}
    ids, seqs, kinds, ons = zip(*rows, strict=True)
    return {
        "application_id": np.array(ids),
        "seq": np.array(seqs, dtype=np.int32),
        "kind": np.array(kinds),
        "on": np.array(ons, dtype="datetime64[D]"),
    }


def _same_statuses(db: str, got: Any, replies: Any) -> None:
    """The job's status list (`Reminders.replies`) is the status alone's, array for array."""
    names = ("state", "due", "working_days_left", "working_days_late", "provisional")
    # Due dates as day numbers: NaT (no due date) is not equal to itself.
    same = replies is not None and all(
        np.array_equal(
            *(
                np.asarray(getattr(b, k)).view(np.int64) if k == "due" else getattr(b, k)
                for b in (got, replies)
            )
        )
        for k in names
    )
    note(f"{db}: the job's reply statuses equal reply_status_facts' alone: {same}")
    if not same:
        raise AssertionError("the daily job's statuses differ from reply_status_facts'")


def _peak(fn: Callable[[], object]) -> int:
    """Peak traced memory of one run of ``fn`` (bytes)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _report(
    label: str,
    times: dict[str, Stats],
    floor_name: str,
    arrays: dict[str, Any],
    peak: int,
    statuses: int,
) -> None:
    size = sum(a.nbytes for a in arrays.values())
    opened = len(set(arrays["application_id"].tolist()))
    report(
        [
            Row(
                label,
                times["ours"],
                floor_name,
                times["floor"],
                Target("<= 3x floor", max_ratio=3),
            ),
            Row(
                "  peak memory of ours (tracemalloc, one run)",
                Stats((peak / 1e6,)),
                "size of the floor's numpy arrays",
                Stats((size / 1e6,)),
                Target("< 1.3x arrays", max_ratio=1.3, full_only=True),
                kind="MB",
            ),
        ]
    )
    note(
        f"{label}: {opened:,} applications open on {DAY} ({len(arrays['application_id']):,} "
        f"event rows); ours returned {statuses:,} statuses; peak {peak / 1e6:.1f} MB "
        f"(tracemalloc) vs arrays {size / 1e6:.1f} MB = "
        f"{peak / size if size else float('nan'):.2f}x"
    )


def main(quick: bool) -> None:
    reply_facts = getattr(gstore, "reply_facts", None)
    reply_status_facts = getattr(deadlines, "reply_status_facts", None)
    if reply_facts is None or reply_status_facts is None:
        note(
            "daily job skipped: govdisclose.store.reply_facts and/or "
            "govdisclose.deadlines.reply_status_facts do not exist yet"
        )
        return
    if importlib.util.find_spec("govdisclose_sql") is None:
        note("daily job skipped: govdisclose-sql not installed")
        return
    from govdisclose_sql import SqlStore

    n = 20_000 if quick else 1_000_000
    params = ParameterSet.default()
    cal = WorkCalendar.default()
    rounds = 3 if quick else 5

    def daily(store: SqlStore) -> Any:
        facts = reply_facts(store, open_on=DAY)
        return reply_status_facts(facts, DAY, params=params, calendar=cal)

    def job(store: SqlStore) -> Any:
        """The whole daily job: the status of every open application and the approaching
        list (every clock of every open application due within 3 working days), both from
        the store's facts."""
        facts = reply_facts(store, open_on=DAY)
        soon = approaching(facts, DAY, params=params, calendar=cal)
        return soon.replies, soon

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "daily.db"
        store = SqlStore(f"sqlite:///{path}")
        try:
            started = time.perf_counter()
            store.import_bulk(
                agencies=[agency(code) for code in AGENCIES],
                applications=sample_applications(n, agencies=AGENCIES),
            )
            print(f"imported {n:,} applications in {time.perf_counter() - started:.1f} s (set-up)")
            arrays = floor_arrays(path, DAY)
            got = daily(store)
            replies, soon = job(store)
            _same_statuses("SQLite", got, replies)
            times = compare(
                {
                    "ours": partial(daily, store),
                    "job": partial(job, store),
                    "floor": partial(floor_arrays, path, DAY),
                },
                rounds=rounds,
            )
            peak = _peak(partial(daily, store))
        finally:
            store.close()
    _report(
        f"daily status of open apps, {n:,} stored",
        times,
        "sqlite3 event rows into numpy (floor)",
        arrays,
        peak,
        len(got),
    )
    _job_row(f"status + approaching list, {n:,} stored", times, "sqlite3", soon)
    _postgres(quick, daily, job, rounds)


def _job_row(label: str, times: dict[str, Stats], driver: str, soon: Any) -> None:
    """The whole job (status and approaching list) against the same floor."""
    report(
        [
            Row(
                label,
                times["job"],
                f"{driver} event rows into numpy (floor)",
                times["floor"],
                Target("<= 3x floor", max_ratio=3),
            )
        ]
    )
    note(f"{label}: {len(soon):,} reminders, {len(soon.problems):,} problems")


def _postgres(
    quick: bool, daily: Callable[[Any], Any], job: Callable[[Any], Any], rounds: int
) -> None:
    """The same measure on PostgreSQL, against plain psycopg into the same arrays."""
    from _sqlbench import grow, postgres

    from govdisclose_sql import SqlStore

    base, copies = (2_000, 9) if quick else (100_000, 9)
    with postgres("daily job on PostgreSQL") as server:
        if server is None:
            return
        import psycopg
        import sqlalchemy as sa

        url = server.create_database("daily")
        store = SqlStore(url)
        try:
            started = time.perf_counter()
            store.import_bulk(
                agencies=[agency(code) for code in AGENCIES],
                applications=sample_applications(base, agencies=AGENCIES),
            )
            total = grow(store, copies)
            engine = sa.create_engine(url)
            try:
                with engine.begin() as conn:
                    conn.exec_driver_sql("ANALYZE")
            finally:
                engine.dispose()
            print(
                f"PostgreSQL: {base:,} applications imported and grown to {total:,} in "
                f"{time.perf_counter() - started:.1f} s (set-up)",
                flush=True,
            )
            with psycopg.connect(
                host="127.0.0.1", port=server.port, user=server.user, dbname="daily"
            ) as conn:
                arrays = pg_floor_arrays(conn, DAY)
                got = daily(store)
                replies, soon = job(store)
                _same_statuses("PostgreSQL", got, replies)
                times = compare(
                    {
                        "ours": partial(daily, store),
                        "job": partial(job, store),
                        "floor": partial(pg_floor_arrays, conn, DAY),
                    },
                    rounds=rounds,
                )
            peak = _peak(partial(daily, store))
        finally:
            store.close()
    _report(
        f"daily status of open apps, PostgreSQL {total:,} stored",
        times,
        "psycopg event rows into numpy (floor)",
        arrays,
        peak,
        len(got),
    )
    _job_row(f"status + approaching list, PostgreSQL {total:,} stored", times, "psycopg", soon)
