"""The daily job end to end: the reply status of every open application, read from a SQL store.

A SQLite store (``govdisclose-sql``) of N applications (1,000,000; 20,000 with ``--quick``) from
`govdisclose.testing.builders.sample_applications`, imported with ``import_bulk`` (set-up, not
measured). Measured, interleaved round by round:

* ours: ``govdisclose.deadlines.reply_status_facts(govdisclose.store.reply_facts(store,
  open_on=day), day, params=..., calendar=...)``, the store's fast ``reply_facts`` included;
* the floor: plain ``sqlite3`` reading the same event rows ``(application_id, seq, kind, on)``
  of the applications open on that day into numpy arrays (target: ours within 3x);
* peak memory of ours (``tracemalloc``, one untimed run) against the size of the floor's arrays
  (target: under 1.3x).

``reply_facts`` / ``reply_status_facts`` are being added by other work; until both exist this
benchmark prints that it is skipped.

    python benchmarks/run.py daily [--quick]
"""

from __future__ import annotations

import importlib.util
import sqlite3
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from _harness import Row, Stats, Target, compare, note, report

from govdisclose import deadlines, store as gstore
from govdisclose.calendar import WorkCalendar
from govdisclose.params import ParameterSet
from govdisclose.testing.builders import sample_applications

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
    if not rows:
        return {"application_id": np.array([], dtype="U1")}
    ids, seqs, kinds, ons = zip(*rows, strict=True)
    return {
        "application_id": np.array(ids),
        "seq": np.array(seqs, dtype=np.int32),
        "kind": np.array(kinds),
        "on": np.array(ons, dtype="datetime64[D]"),
    }


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
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "daily.db"
        store = SqlStore(f"sqlite:///{path}")
        try:
            started = time.perf_counter()
            store.import_bulk(applications=sample_applications(n, agencies=("AG01", "AG02")))
            print(f"imported {n:,} applications in {time.perf_counter() - started:.1f} s (set-up)")

            def ours() -> Any:
                facts = reply_facts(store, open_on=DAY)
                return reply_status_facts(facts, DAY, params=params, calendar=cal)

            arrays = floor_arrays(path, DAY)
            got = ours()
            times = compare(
                {"ours": ours, "floor": lambda: floor_arrays(path, DAY)}, rounds=3 if quick else 5
            )
            tracemalloc.start()
            ours()
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        finally:
            store.close()
    size = sum(a.nbytes for a in arrays.values())
    opened = len(set(arrays["application_id"].tolist()))
    label = f"daily status of open apps, {n:,} stored"
    report(
        [
            Row(
                label,
                times["ours"],
                "sqlite3 event rows into numpy (floor)",
                times["floor"],
                Target("<= 3x floor", max_ratio=3),
            ),
            Row(
                "  peak memory of ours (tracemalloc, one run)",
                Stats((peak / 1e6,)),
                "size of the floor's numpy arrays",
                Stats((size / 1e6,)),
                Target("< 1.3x arrays", max_ratio=1.3),
                kind="MB",
            ),
        ]
    )
    note(
        f"{opened:,} applications open on {DAY} ({len(arrays['application_id']):,} event rows); "
        f"ours returned {len(got):,} statuses; peak {peak / 1e6:.1f} MB (tracemalloc) vs "
        f"arrays {size / 1e6:.1f} MB = {peak / size if size else float('nan'):.2f}x"
    )
