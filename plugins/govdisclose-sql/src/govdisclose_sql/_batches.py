"""Writing one batch while the next is prepared: the bulk import's pipeline on PostgreSQL.

A bulk import alternates two kinds of work: Python checks and serialises a batch of
applications, then the database stores it. On PostgreSQL the storing is done by the server, in
its own process, and the client only waits for it (the ``COPY`` rows are checked against the
foreign key and indexed after the client has sent them). `BatchWriter` hands each batch to one
worker thread, which sends it and waits for the server while the caller's thread prepares the
next batch, so the two overlap instead of taking turns. At most one batch waits in the queue,
so the memory held is that of three batches.

Not for SQLite: there the database work happens in the writing thread itself, between
bindings that each need the interpreter lock back, and a busy preparing thread would hand it
back only every switch interval (5 ms): the writer would crawl. Multi-row statements, which
SQLite runs without the lock, were measured too: on a 2-CPU machine the two threads' contention
cost more than the overlap gained (30,000 applications: 2.39x the executemany floor, against
1.73x written in the caller's thread).

The two threads still share the interpreter: while the worker formats a batch's ``COPY``
rows, a caller preparing the next batch takes the lock from it every switch interval, and on
2 CPUs that contention cost more than the overlap won (100,000 applications: 1.43x the raw
``COPY`` floor). With ``handoff`` the caller's `put` waits until the worker calls `sent`,
once the rows are handed to the server and only the server's work remains (for ``COPY``: the
foreign-key checks and the rest of the statement, most of its time); the caller prepares
the next batch during that wait, the worker formats rows alone.

The worker is the only user of the connection from `BatchWriter`'s creation to `close`; the
caller must not touch it in between (`close` joins the worker, which makes its writes visible
to the caller). The first error of the worker is raised by the next `put` or by `close`, and
once the worker has failed it writes nothing more.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Generic, TypeVar

__all__ = ["BatchWriter"]

B = TypeVar("B")


class BatchWriter(Generic[B]):
    """``write(batch)`` for every batch `put`, on one worker thread, in order."""

    def __init__(
        self,
        write: Callable[[B], None],
        *,
        handoff: bool = False,
        name: str = "govdisclose-sql writer",
    ) -> None:
        self._write = write
        self._queue: queue.Queue[tuple[B] | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._stopped = False
        # With handoff: released once per batch put, by `sent` or when the batch is done.
        self._handoff = threading.Semaphore(0) if handoff else None
        self._handed = False  # whether the batch being written has released it (worker only)
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    @property
    def error(self) -> BaseException | None:
        """The worker's first error (visible to the caller after `put` or `close`)."""
        return self._error

    def put(self, batch: B) -> None:
        """Queue a batch (waiting while one is already queued); raise the worker's error if
        an earlier batch failed."""
        self._raise()
        if not self._thread.is_alive():
            raise RuntimeError("BatchWriter.put after close or abort")
        self._queue.put((batch,))
        if self._handoff is not None:
            self._handoff.acquire()

    def sent(self) -> None:
        """Called by ``write``, on the worker thread, once the batch is with the database:
        with ``handoff``, lets the `put` of that batch return (later calls do nothing)."""
        if self._handoff is not None and not self._handed:
            self._handed = True
            self._handoff.release()

    def close(self) -> None:
        """Wait for every queued batch to be written; raise the worker's error if any."""
        self._finish()
        self._raise()

    def abort(self) -> None:
        """Write nothing more, wait for the batch being written, and return (the caller is
        raising its own error and rolls the transaction back)."""
        self._stopped = True
        self._finish()

    def __enter__(self) -> BatchWriter[B]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        # Also on success, in case the caller forgot `close`: the worker never outlives the
        # block (and so never touches the connection afterwards).
        if kind is None:
            self.close()
        else:
            self.abort()

    def _finish(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            self._handed = False
            if self._error is not None or self._stopped:
                self.sent()
                continue  # drain without writing, so that `put` never waits forever
            try:
                self._write(item[0])
            except BaseException as err:  # handed to the caller's thread
                self._error = err
            finally:
                self.sent()  # if ``write`` did not (or failed before it could)
