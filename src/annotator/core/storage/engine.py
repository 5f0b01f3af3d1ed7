"""Engines with the settings every connection needs: the only dialect-specific setup code.

A target is a SQLite file path or a SQLAlchemy URL; PostgreSQL (psycopg 3) is the server
database for a lab ("lab server" mode, docs/server.md).
"""

from __future__ import annotations

import re
import sqlite3
import time
from functools import partial
from pathlib import Path

from sqlalchemy import URL, Connection, Dialect, Engine, create_engine, event, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import ConnectionPoolEntry

from annotator.core.errors import ProjectError

BUSY_TIMEOUT_MS = 10_000
LOCK_TIMEOUT_MS = BUSY_TIMEOUT_MS
"""PostgreSQL: how long a statement waits for another session's lock (as long as SQLite waits)."""
IDLE_PING_SECONDS = 1.0
"""PostgreSQL: a pooled connection idle for longer is checked (one round trip) before use."""
STATEMENT_TIMEOUT_MS = 300_000
"""PostgreSQL: the longest one statement may run (a whole export reads in a few statements)."""
SESSION_OPTIONS = f"-c lock_timeout={LOCK_TIMEOUT_MS} -c statement_timeout={STATEMENT_TIMEOUT_MS}"
"""libpq `options` for every session of the app; the URL's own `?options=` come after them,
so `?options=-c%20lock_timeout%3D30s` sets another value."""
UNTRUSTED_PRAGMA = "trusted_schema=OFF"
"""SQL stored in a file (triggers, views) may call only functions SQLite marks harmless and
use no virtual table: a shared file's planted SQL cannot run with our rights (the schema check
of core.storage.schema_guard refuses such files first; this is the second wall)."""
_PRAGMAS = ("foreign_keys=ON", "journal_mode=WAL", "synchronous=FULL", UNTRUSTED_PRAGMA)
_DRIVERLESS = ("postgresql://", "postgres://")
SERVER_EXTRA = "pip install 'annotator[server]'"
QUERY_PASSWORD = "password"
"""libpq's query key for a password (`?password=`): hidden and dropped like `user:password@`."""
_MASK = "***"
_SECRET_IN_TEXT = re.compile(r"(://[^/?#@:]*:)[^/?#]*(?=@)|([?&]password=)[^&#]*", re.IGNORECASE)
_PASSWORDS: dict[str, str] = {}
"""Server passwords typed into the app, by password-less URL: in this process's memory only."""


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL for a path (SQLite file) or an URL given as is (e.g. PostgreSQL);
    a PostgreSQL URL without a driver gets psycopg 3."""
    text = str(target)
    if text.startswith(_DRIVERLESS):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def is_url(target: str | Path) -> bool:
    """True when the target names a server database rather than a file."""
    return "://" in str(target) and not str(target).startswith("sqlite")


def display_name(target: str | Path) -> str:
    """The target for messages and titles: a path, or the URL with its password hidden (the
    one after `user:` and a `password=` in the query alike, even in an unparsable URL)."""
    if not is_url(target):
        return str(target)
    try:
        text = make_url(database_url(target)).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is reported by make_engine
        text = str(target)
    return _SECRET_IN_TEXT.sub(lambda found: (found[1] or found[2]) + _MASK, text)


def hold_password(target: str | Path, password: str | None) -> None:
    """Keep (None: forget) a server password in memory for every engine opened on `target`,
    so the URL that is shown, remembered and handed to workers never carries it."""
    key = _password_key(_parse(target))
    if password:
        _PASSWORDS[key] = password
    else:
        _PASSWORDS.pop(key, None)


def carries_password(url: URL) -> bool:
    """Whether the URL itself holds a password, after `user:` or as `?password=`."""
    return url.password is not None or QUERY_PASSWORD in url.query


def _password_key(url: URL) -> str:
    bare = url.set(password=None).difference_update_query([QUERY_PASSWORD])
    return bare.render_as_string(hide_password=False)


def make_engine(target: str | Path, *, writer: bool = True, password: str | None = None) -> Engine:
    """An engine for the target: SQLite with pragmas and BEGIN IMMEDIATE, or a server.

    `writer=False` gives a reader engine for long read-only work such as exports: on SQLite
    without BEGIN IMMEDIATE (so it never holds the write lock), on PostgreSQL read-only
    transactions that each see one consistent snapshot. `password` (a server's) overrides
    the one held by hold_password.
    """
    url = _parse(target)
    if url.get_backend_name() == "postgresql":
        return _server_engine(url, writer, password)
    engine = create_engine(url)
    if engine.dialect.name != "sqlite":
        return engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        for pragma in _PRAGMAS:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

    return engine


def sqlite_driver(conn: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under `conn`, a connection of a SQLite engine."""
    driver = conn.connection.driver_connection
    if not isinstance(driver, sqlite3.Connection):
        raise TypeError(f"not a sqlite3 connection: {type(driver).__name__}")
    return driver


def _parse(target: str | Path) -> URL:
    try:
        return make_url(database_url(target))
    except Exception as exc:
        raise ProjectError(f"{display_name(target)}: not a database URL ({exc})") from None


def _server_engine(url: URL, writer: bool, password: str | None) -> Engine:
    """PostgreSQL: READ COMMITTED writers (unique constraints catch the races), pooled
    connections checked after an idle while (a server may drop idle ones; _ping_after_idle),
    the app's name in pg_stat_activity, and lock and statement timeouts so that no other
    session can make the app wait without end."""
    own_options = str(url.query.get("options", ""))
    connect_args: dict[str, object] = {
        "application_name": "annotator",
        "connect_timeout": 10,
        "options": f"{SESSION_OPTIONS} {own_options}".strip(),
    }
    held = password or (None if carries_password(url) else _PASSWORDS.get(_password_key(url)))
    if held:
        connect_args["password"] = held
    try:
        engine = create_engine(
            url,
            pool_size=2,
            max_overflow=4,
            isolation_level="READ COMMITTED" if writer else "REPEATABLE READ",
            execution_options={} if writer else {"postgresql_readonly": True},
            connect_args=connect_args,
        )
    except ModuleNotFoundError as exc:
        shown = display_name(url.render_as_string(hide_password=False))
        raise ProjectError(
            f"{shown}: PostgreSQL needs the psycopg driver ({exc.name} is missing); {SERVER_EXTRA}"
        ) from None
    event.listen(engine, "checkin", _note_checkin)
    event.listen(engine, "checkout", partial(_ping_after_idle, engine.dialect))
    return engine


def _note_checkin(dbapi_conn: DBAPIConnection, record: ConnectionPoolEntry) -> None:
    record.info["checked_in"] = time.monotonic()


def _ping_after_idle(
    dialect: Dialect, dbapi_conn: DBAPIConnection, record: ConnectionPoolEntry, proxy: object
) -> None:
    """Ping a pooled server connection idle for more than IDLE_PING_SECONDS before handing it
    out; the pool replaces a dead one (a server restart costs one retry, not an error). One
    given back within that time is handed out as it is: a ping would cost a round trip in
    every transaction of a busy writer."""
    returned = record.info.get("checked_in")
    if returned is None or time.monotonic() - returned <= IDLE_PING_SECONDS:
        return  # fresh from connect, or just used
    try:
        alive = bool(dialect.do_ping(dbapi_conn))
    except Exception:  # whatever the driver raises for a dropped connection
        alive = False
    if not alive:
        raise DisconnectionError("the server dropped this idle connection")
