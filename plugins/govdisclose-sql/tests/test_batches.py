"""`govdisclose_sql._batches.BatchWriter`: batches written in order on one worker thread, the
worker's first error raised in the caller's thread, nothing written after a failure or an
abort, and the worker never outliving its block."""

from __future__ import annotations

import threading

import pytest

from govdisclose_sql._batches import BatchWriter


class _Boom(Exception):
    pass


def test_batches_are_written_in_order_on_one_other_thread() -> None:
    written: list[tuple[int, str]] = []
    with BatchWriter(lambda n: written.append((n, threading.current_thread().name))) as writer:
        for n in range(50):
            writer.put(n)
        writer.close()
        assert [n for n, _ in written] == list(range(50))
    names = {name for _, name in written}
    assert len(names) == 1
    assert threading.current_thread().name not in names


def test_the_first_error_is_raised_by_put_or_close_and_nothing_more_is_written() -> None:
    written: list[int] = []
    failed = threading.Event()

    def write(n: int) -> None:
        if n == 3:
            failed.set()
            raise _Boom(n)
        written.append(n)

    writer = BatchWriter(write)
    for n in range(4):
        writer.put(n)
    failed.wait(5)

    # However many more batches come, they are drained unwritten and put never blocks.
    def feed() -> None:
        for n in range(4, 100):
            writer.put(n)
        writer.close()

    with pytest.raises(_Boom) as caught:
        feed()
    assert caught.value.args == (3,)
    assert writer.error is caught.value
    with pytest.raises(_Boom):
        writer.close()
    assert written == [0, 1, 2]


def test_abort_waits_for_the_batch_being_written_and_writes_no_other() -> None:
    started, release = threading.Event(), threading.Event()
    written: list[int] = []

    def write(n: int) -> None:
        started.set()
        release.wait(5)
        written.append(n)

    writer = BatchWriter(write)
    writer.put(1)
    started.wait(5)
    writer.put(2)  # queued while 1 is being written
    threading.Timer(0.2, release.set).start()
    writer.abort()
    assert written == [1]
    assert writer.error is None


def test_leaving_the_block_with_an_error_aborts() -> None:
    written: list[int] = []
    made: list[BatchWriter[int]] = []

    def fail_inside() -> None:
        with BatchWriter(written.append) as writer:
            made.append(writer)
            writer.put(1)
            raise _Boom

    with pytest.raises(_Boom):
        fail_inside()
    assert not made[0]._thread.is_alive()


def test_with_handoff_put_returns_once_the_worker_has_sent_the_batch() -> None:
    # The caller prepares the next batch while the worker waits for the database, not while
    # the worker still formats rows: `put` returns at `sent`, before the write is done.
    steps: list[str] = []
    server = {1: threading.Event(), 2: threading.Event()}
    writer: BatchWriter[int]

    def write(n: int) -> None:
        steps.append(f"rows {n}")
        writer.sent()
        writer.sent()  # a second call for the same batch releases nothing more
        assert server[n].wait(5)  # "the server" finishes only when the test says so
        steps.append(f"done {n}")

    writer = BatchWriter(write, handoff=True)
    writer.put(1)
    steps.append("put 1 returned")
    server[1].set()
    writer.put(2)
    steps.append("put 2 returned")
    server[2].set()
    writer.close()
    assert steps == ["rows 1", "put 1 returned", "done 1", "rows 2", "put 2 returned", "done 2"]


def test_with_handoff_put_returns_when_a_write_fails_or_never_calls_sent() -> None:
    def write(n: int) -> None:
        if n == 2:
            raise _Boom(n)

    writer = BatchWriter(write, handoff=True)
    writer.put(1)  # returns although write never called sent
    writer.put(2)  # fails in the worker before any sent: put still returns
    with pytest.raises(_Boom):
        writer.put(3)
    with pytest.raises(_Boom):
        writer.close()


def test_put_after_close_is_an_error_not_a_hang() -> None:
    for handoff in (False, True):
        writer: BatchWriter[int] = BatchWriter(lambda n: None, handoff=handoff)
        writer.close()
        with pytest.raises(RuntimeError, match="after close"):
            writer.put(1)
