"""Server addresses from a login form's fields, and a read-only check of what a server holds.

The URLs made here never carry a password: it reaches the engine through `make_engine(...,
password=)` or `hold_password`, so every URL shown or remembered is safe to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import URL, inspect, make_url
from sqlalchemy.exc import DatabaseError

from annotator.core.errors import ProjectError
from annotator.core.progress import Progress
from annotator.core.storage.engine import (
    carries_password,
    database_url,
    display_name,
    make_engine,
)
from annotator.core.storage.failures import reason
from annotator.core.storage.migrate import check_revision, stored_revision

DEFAULT_PORT = 5432
DRIVER = "postgresql+psycopg"


@dataclass(frozen=True, slots=True)
class ServerAddress:
    """Where a project lives on a server: host and port, or a Unix socket folder instead."""

    database: str
    user: str = ""
    host: str = ""
    port: int = DEFAULT_PORT
    socket_dir: str = ""

    def problem(self) -> str | None:
        """Why these fields name no database, as a sentence for the form; None when they do."""
        if not self.database.strip():
            return "Enter the name of the database."
        if not 0 < self.port < 65536:
            return "The port must be between 1 and 65535."
        return None

    def url(self) -> str:
        """The URL without a password, every part escaped (libpq reads host and port from the
        query for a socket folder)."""
        socket_dir = self.socket_dir.strip()
        port = None if self.port == DEFAULT_PORT else self.port
        query = {"host": socket_dir} if socket_dir else {}
        if socket_dir and port:
            query["port"] = str(port)
        url = URL.create(
            DRIVER,
            username=self.user.strip() or None,
            host=None if socket_dir else self.host.strip() or None,
            port=None if socket_dir else port,
            database=self.database.strip(),
            query=query,
        )
        return url.render_as_string(hide_password=False)

    @classmethod
    def from_url(cls, target: str) -> ServerAddress:
        """The fields of a server URL (its password, if any, is dropped)."""
        url = make_url(database_url(target))
        socket_dir = str(url.query.get("host", ""))
        port = url.port or int(str(url.query.get("port", DEFAULT_PORT)))
        host = "" if socket_dir else url.host or ""
        return cls(url.database or "", url.username or "", host, port, socket_dir)


def has_password(target: str | Path) -> bool:
    """Whether a URL carries a password, after `user:` or as `?password=` (such a URL is never
    remembered)."""
    try:
        return carries_password(make_url(database_url(target)))
    except Exception:  # not a URL at all
        return False


def probe_server(
    target: str, password: str | None = None, *, progress: Progress | None = None
) -> str:
    """Connect once, read-only, and say what the database holds (a task body).

    Raises ProjectError with the server's own words when it cannot connect, or when the
    database holds something that cannot be opened as a project.
    """
    engine = make_engine(target, writer=False, password=password)
    try:
        with engine.connect() as conn:
            version = conn.exec_driver_sql("SHOW server_version").scalar()
            revision = stored_revision(conn)
            tables = set(inspect(conn).get_table_names()) - {"alembic_version"}
    except DatabaseError as exc:
        raise ProjectError(f"{display_name(target)}: {reason(exc)}") from None
    finally:
        engine.dispose()
    check_revision(display_name(target), revision, tables)
    held = "holds an annotator project" if revision else "is empty: Connect creates the tables"
    return f"Connected to PostgreSQL {str(version).split()[0]}; the database {held}."
