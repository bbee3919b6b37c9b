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

    def __init__(self, write: Callable[[B], None], *, name: str = "govdisclose-sql writer") -> None:
        self._write = write
        self._queue: queue.Queue[tuple[B] | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._stopped = False
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
        self._queue.put((batch,))

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
            if self._error is not None or self._stopped:
                continue  # drain without writing, so that `put` never waits forever
            try:
                self._write(item[0])
            except BaseException as err:  # handed to the caller's thread
                self._error = err
