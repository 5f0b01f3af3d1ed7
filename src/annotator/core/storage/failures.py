"""Database failures in words people act on: busy, read-only, disk full, damaged, not a
database; on a server, a lock or a statement that took too long."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DatabaseError, IntegrityError

from annotator.core.errors import ProjectError
from annotator.core.storage.engine import LOCK_TIMEOUT_MS, STATEMENT_TIMEOUT_MS

_REASONS = (
    ("database is locked", "in use by another program that kept it locked; try again later"),
    ("readonly database", "the file is read-only; changes cannot be saved"),
    ("disk is full", "the disk is full; free some space"),
    ("disk i/o error", "the disk reported an I/O error"),
    ("malformed", "the file is damaged (database disk image is malformed)"),
    ("not a database", "not a SQLite database"),
    ("unable to open", "the file cannot be opened (missing folder or no permission)"),
    (
        "due to lock timeout",
        f"another session held a lock on the data too long (lock_timeout, {LOCK_TIMEOUT_MS // 1000}"
        " s unless the URL sets it); try again later, or ask the server's administrator who "
        "holds it",
    ),
    (
        "due to statement timeout",
        f"the server took too long (statement_timeout, {STATEMENT_TIMEOUT_MS // 1000} s unless "
        "the URL sets it); try again later",
    ),
)


def reason(exc: BaseException) -> str:
    """A short reason for a database failure, from the driver's message."""
    text = str(getattr(exc, "orig", None) or exc)
    lowered = text.lower()
    return next((why for key, why in _REASONS if key in lowered), text)


@contextmanager
def storage_errors(location: str) -> Iterator[None]:
    """Turn a database failure inside the block into a ProjectError naming the file.

    The transaction of the block is rolled back by then, so the message can say nothing changed.
    IntegrityError is left alone: callers turn it into their own ConflictError.
    """
    try:
        yield
    except IntegrityError:
        raise
    except DatabaseError as exc:
        raise ProjectError(f"{location}: {reason(exc)}; nothing was changed") from exc
