"""Progress tokens for nlp tests: one that records reports, one that cancels after N checks."""

from __future__ import annotations


class RecordingProgress:
    """Records every report; cancels once `cancel_after` reports have been made (if given)."""

    def __init__(self, cancel_after: int | None = None) -> None:
        self.reports: list[tuple[int, int]] = []
        self.cancel_after = cancel_after

    def report(self, done: int, total: int) -> None:
        self.reports.append((done, total))

    def cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.reports) >= self.cancel_after
