"""The project's store: its engines and sessions, transactions, snapshots and file copies.

Every part of the project (core.project.*) reads and writes through one Store: `read()` never
takes SQLite's write lock, `write()` is one committed transaction (BEGIN IMMEDIATE on SQLite), and
`transaction()` makes a block of them one. Driver errors become ProjectError sentences
(core.storage.failures); an UPDATE that matched no row becomes a ConflictError.

Write serialisation: `WRITE_LOCK` is held by every background task that writes to a project
(import, merge, Accept All), around opening its own Project and writing. Take it
with `write_lock(progress)`, which waits while staying cancellable. Two background writers then
never compete for SQLite's write lock. The GUI thread's own short edits do not take WRITE_LOCK
(they must never block the event loop); SQLite's busy_timeout makes them wait for a running
write.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from annotator.core.errors import ConflictError, ProjectError
from annotator.core.progress import Progress, check_cancelled
from annotator.core.storage.engine import display_name, is_url, make_engine
from annotator.core.storage.failures import reason, storage_errors
from annotator.core.storage.filecopy import (
    checkpoint,
    read_only_side_file,
    unreadable_side_file,
    write_copy,
)
from annotator.core.storage.migrate import ensure_schema
from annotator.core.storage.search import has_fts_index

NOT_APPLIED = (
    "the change did not apply: someone else removed the item, or the server lets you change "
    "only your own layer; nothing was changed"
)

WRITE_LOCK = threading.Lock()
"""Held by every background task that writes to a project, so writers run one at a time."""


@contextmanager
def write_lock(progress: Progress, poll_seconds: float = 0.05) -> Iterator[None]:
    """Hold WRITE_LOCK for a write task; while waiting for it, a cancel raises Cancelled."""
    while not WRITE_LOCK.acquire(timeout=poll_seconds):
        check_cancelled(progress)
    try:
        yield
    finally:
        WRITE_LOCK.release()


class Store:
    """An open project file (or server database): where every part reads and writes."""

    def __init__(self, target: str | Path, *, create: bool = False) -> None:
        self.location = display_name(target)
        self.path = None if is_url(target) else Path(target).expanduser().resolve()
        if self.path is not None:
            _check_file(self.path, create)
        self._engine = make_engine(target)
        self._reader = make_engine(target, writer=False)
        try:
            self.backup = ensure_schema(self._engine, self.path)
            with self._engine.connect() as conn:
                self.use_fts = has_fts_index(conn)
        except DatabaseError as exc:
            self._release()
            raise ProjectError(
                f"{self.location}: cannot open as a project ({reason(exc)})"
            ) from None
        except ProjectError:
            self._release()
            raise
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self._reader, expire_on_commit=False)
        self._transaction = threading.local()  # .session: this thread's open transaction()
        self._snapshots = threading.local()  # .session: this thread's snapshot, if one is open

    def close(self) -> None:
        """Release the database (all changes are already committed), after moving the WAL's
        content into the file so the .db alone holds the project (closing ends bulk work)."""
        self.checkpoint()
        self._release()

    def _release(self) -> None:
        self._engine.dispose()
        self._reader.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def checkpoint(self) -> bool:
        """Move committed changes from the WAL into the project file without waiting for other
        connections; True when a copy of the .db alone now holds every commit."""
        return checkpoint(self._engine)

    def save_copy(self, out: Path) -> None:
        """Write a complete copy of the project file to the new file `out` (SQLite's backup
        API: changes still in the WAL come along); an existing file is refused."""
        if self.path is None:
            raise ProjectError(f"{self.location}: a server database has no file to copy")
        with storage_errors(self.location), self._reader.connect() as conn:
            write_copy(cast(sqlite3.Connection, conn.connection.driver_connection), Path(out))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Make every read and write of this thread inside the block one transaction: committed
        at its end, rolled back whole on an exception (a composite command, all or nothing).
        A nested block joins the outer one."""
        if getattr(self._transaction, "session", None) is not None:
            yield
            return
        with self.write() as session:
            self._transaction.session = session
            try:
                yield
            finally:
                self._transaction.session = None

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One committed write transaction (BEGIN IMMEDIATE on SQLite); inside `transaction()`,
        part of it (no savepoint: a failure rolls the whole transaction back, and SQLite may
        already have, e.g. on a full disk)."""
        outer = getattr(self._transaction, "session", None)
        try:
            with storage_errors(self.location):
                if outer is not None:
                    yield outer
                else:
                    with self._sessions() as session, session.begin():
                        yield session
        except StaleDataError:  # an UPDATE matched no row
            raise ConflictError(NOT_APPLIED) from None

    @property
    def open_transaction(self) -> Session | None:
        """This thread's `transaction()` session while one is open, else None."""
        return cast(Session | None, getattr(self._transaction, "session", None))

    @contextmanager
    def write_statement(self) -> Iterator[Connection]:
        """A connection for a write that is one statement: inside `transaction()`, that
        transaction's; on a server otherwise, one in autocommit mode, where the statement is its
        own transaction, committed (as durably as a COMMIT: synchronous_commit is not touched)
        as it ends: one round trip instead of three (BEGIN, the statement, COMMIT); on SQLite
        otherwise, one write transaction's, as `write()`."""
        if self.path is not None or self.open_transaction is not None:
            with self.write() as session:
                yield session.connection()
            return
        with storage_errors(self.location), self._engine.connect() as conn:
            yield conn.execution_options(isolation_level="AUTOCOMMIT")

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read session that never takes the write lock (deferred BEGIN); inside
        `transaction()`, that transaction, so reads see its writes; inside `snapshot()`, that
        block's session."""
        held = getattr(self._transaction, "session", None) or getattr(
            self._snapshots, "session", None
        )
        with storage_errors(self.location):
            if held is not None:
                yield held
                return
            with self._read_sessions() as session:
                yield session

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every read of this thread inside the block sees the project at one moment: one read
        transaction (REPEATABLE READ on a server, one WAL snapshot on SQLite) whatever others
        commit meanwhile. Blocks nest; writes are not affected."""
        if getattr(self._snapshots, "session", None) is not None:
            yield
            return
        with storage_errors(self.location), self._read_sessions() as session, session.begin():
            self._snapshots.session = session
            try:
                yield
            finally:
                self._snapshots.session = None

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for bulk paths in core and for tests)."""
        return self._engine

    @property
    def read_engine(self) -> Engine:
        """The engine for long read-only work (no write lock; one snapshot on a server)."""
        return self._reader


def _check_file(path: Path, create: bool) -> None:
    """Refuse paths that cannot hold a project before SQLite makes a file there."""
    if path.is_dir():
        raise ProjectError(f"{path}: is a folder, not a project file")
    if not path.exists() and not create:
        raise ProjectError(f"{path}: no such project file (create it with `annotator init`)")
    if not path.parent.is_dir():
        raise ProjectError(f"{path.parent}: no such folder")
    problem = unreadable_side_file(path, str(path))
    if problem:
        raise ProjectError(f"{problem}, which would be missing; ask its owner to open and close it")
    problem = read_only_side_file(path, str(path))
    if problem:
        raise ProjectError(problem)
