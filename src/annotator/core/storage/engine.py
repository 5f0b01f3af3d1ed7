"""Engines with the pragmas every connection needs; the only SQLite-specific setup code."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 10_000
_PRAGMAS = ("foreign_keys=ON", "journal_mode=WAL", "synchronous=FULL")


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL for a path (SQLite file) or an URL given as is (e.g. PostgreSQL)."""
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def is_url(target: str | Path) -> bool:
    """True when the target names a server database rather than a file."""
    return "://" in str(target) and not str(target).startswith("sqlite")


def make_engine(target: str | Path, *, writer: bool = True) -> Engine:
    """An engine whose write transactions start with BEGIN IMMEDIATE (SQLite).

    `writer=False` gives a reader engine without that hook, for long read-only work such as
    exports, so it never holds the write lock.
    """
    engine = create_engine(database_url(target), future=True)
    if engine.dialect.name != "sqlite":
        return engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        for pragma in _PRAGMAS:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

    return engine
