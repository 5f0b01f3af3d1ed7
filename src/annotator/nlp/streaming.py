"""Batching helpers shared by the suggesters: fixed-size chunks, cancel checks, sub-progress."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

from annotator.core.progress import NullProgress, Progress, check_cancelled

T = TypeVar("T")

BATCH_SIZE = 64


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most `size` items (the last one may be shorter)."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def batches_with_progress(
    texts: Sequence[str], progress: Progress | None, batch_size: int = BATCH_SIZE
) -> Iterator[list[str]]:
    """Batches of texts; cancel is checked before each batch and progress reported after it."""
    progress = progress or NullProgress()
    done = 0
    for batch in chunked(texts, batch_size):
        check_cancelled(progress)
        yield batch
        done += len(batch)
        progress.report(done, len(texts))


class OffsetProgress:
    """A part of a bigger task: reports `base + done` out of the whole task's `total`."""

    def __init__(self, outer: Progress, base: int, total: int) -> None:
        self.outer, self.base, self.total = outer, base, total

    def report(self, done: int, total: int) -> None:
        self.outer.report(self.base + done, self.total)

    def cancelled(self) -> bool:
        return self.outer.cancelled()


class CancelOnlyProgress:
    """Forwards cancel requests but no reports (the caller reports at its own granularity)."""

    def __init__(self, outer: Progress) -> None:
        self.outer = outer

    def report(self, done: int, total: int) -> None:
        pass

    def cancelled(self) -> bool:
        return self.outer.cancelled()
