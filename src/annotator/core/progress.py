"""Progress tokens passed to long task bodies (import, export): report and cancel."""

from __future__ import annotations

from typing import Protocol

from annotator.core.errors import Cancelled


class Progress(Protocol):
    """What a long task may call: report how far it is, and ask whether to stop."""

    def report(self, done: int, total: int) -> None: ...

    def cancelled(self) -> bool: ...


class NullProgress:
    """A progress token that shows nothing and never cancels."""

    def report(self, done: int, total: int) -> None:
        pass

    def cancelled(self) -> bool:
        return False


def check_cancelled(progress: Progress) -> None:
    """Raise Cancelled when the user asked to stop."""
    if progress.cancelled():
        raise Cancelled("cancelled by the user; nothing was stored")
