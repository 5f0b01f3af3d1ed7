"""The store's write lock: background writers of a project run one at a time, and one waiting
for the lock can still be cancelled (Qt-free: plain threads and a progress token)."""

from __future__ import annotations

import threading

import pytest

from annotator.core.errors import Cancelled
from annotator.core.progress import NullProgress
from annotator.core.project.store import WRITE_LOCK, write_lock

WAIT = 10


class Token(NullProgress):
    """A progress token that records being polled and is cancelled on request."""

    def __init__(self) -> None:
        self.polled = threading.Event()
        self.cancel = threading.Event()

    def cancelled(self) -> bool:
        self.polled.set()
        return self.cancel.is_set()


def test_write_lock_waits_for_another_writer_and_stays_cancellable():
    token, outcome = Token(), []

    def body() -> None:
        try:
            with write_lock(token):
                outcome.append("wrote")
        except Cancelled as exc:
            outcome.append(exc)

    with WRITE_LOCK:
        writer = threading.Thread(target=body)
        writer.start()
        assert token.polled.wait(WAIT)  # waiting for the lock, and checking for a cancel
        token.cancel.set()
        writer.join(WAIT)
    assert len(outcome) == 1 and isinstance(outcome[0], Cancelled)
    assert not WRITE_LOCK.locked()


def test_write_lock_serialises_writers():
    inside, overlaps, count = 0, [], threading.Lock()

    def body() -> None:
        nonlocal inside
        with write_lock(NullProgress()):
            with count:
                inside += 1
                overlaps.append(inside)
            for _ in range(1000):
                pass
            with count:
                inside -= 1

    writers = [threading.Thread(target=body) for _ in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(WAIT)
    assert overlaps == [1, 1, 1, 1]


def test_a_cancelled_writer_never_takes_the_lock():
    token = Token()
    token.cancel.set()
    with WRITE_LOCK, pytest.raises(Cancelled), write_lock(token):
        pass
