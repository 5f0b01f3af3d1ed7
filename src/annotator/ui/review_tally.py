"""Adjudication progress over every document the compared annotators share, counted on a
worker so entering review mode never blocks the window."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from annotator.core.adjudication import DocumentReview, ReviewProgress, progress
from annotator.core.errors import Cancelled
from annotator.core.project.review import review_overview
from annotator.ui.workers import TaskHandle, TaskRunner


class ReviewTally(QObject):
    """The review of each shared document: counted once, then kept current by `update`."""

    counted = Signal()
    failed = Signal(str)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._reviews: dict[int, DocumentReview] = {}
        self._fresh: dict[int, DocumentReview] = {}  # reloaded while the count runs
        self._handle: TaskHandle | None = None
        self.ready = False

    def start(self, location: str, annotators: Sequence[str]) -> None:
        """Count again for these annotators (a running count is cancelled)."""
        self.cancel()
        self._reviews, self._fresh, self.ready = {}, {}, False
        handle = self._runner.submit(
            review_overview, location, tuple(annotators), title="Counting review progress"
        )
        handle.succeeded.connect(lambda found, h=handle: self._on_handle_succeeded(h, found))
        handle.failed.connect(lambda error, h=handle: self._on_handle_failed(h, error))
        self._handle = handle

    def cancel(self) -> None:
        """Stop a running count; its result is ignored."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def update(self, review: DocumentReview) -> None:
        """A document's review after a decision (only shared documents are counted)."""
        self._fresh[review.document_id] = review
        if review.document_id in self._reviews:
            self._reviews[review.document_id] = review

    def summary(self) -> ReviewProgress | None:
        """Progress over the shared documents; None until counted."""
        return progress(self._reviews.values()) if self.ready else None

    def next_document(self, here: int | None, step: int) -> int | None:
        """The nearest other shared document in `step` direction (wrapping around) that still
        has open disagreements (of spans or relations)."""
        ids = sorted(self._reviews)
        if here in ids:
            i = ids.index(here)
            ids = ids[i + 1 :] + ids[:i] if step > 0 else ids[:i][::-1] + ids[i + 1 :][::-1]
        elif step < 0:
            ids.reverse()
        return next((d for d in ids if self._reviews[d].first_stop(+1) is not None), None)

    def _on_handle_succeeded(self, handle: TaskHandle, found: dict[int, DocumentReview]) -> None:
        if handle is not self._handle:
            return
        self._handle = None
        found.update({doc: review for doc, review in self._fresh.items() if doc in found})
        self._reviews, self.ready = found, True
        self.counted.emit()

    def _on_handle_failed(self, handle: TaskHandle, error: BaseException) -> None:
        if handle is self._handle:
            self._handle = None
            if not isinstance(error, Cancelled):
                self.failed.emit(str(error))
