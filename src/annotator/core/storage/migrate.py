"""Bring a project file to the schema this code expects: create, upgrade (with backup) or refuse."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from annotator.core.errors import ProjectError
from annotator.core.storage.engine import UNTRUSTED_PRAGMA
from annotator.core.storage.failures import reason
from annotator.core.storage.schema_guard import SCHEMA_QUERY, check_schema

REVISIONS = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
    "0013",
    "0014",
)
"""Every schema revision in order; the last is the one this code writes."""
HEAD = REVISIONS[-1]
_OURS = {"label", "document", "span", "annotator"}
_UPGRADE_LOCK = 0x616E6E6F  # advisory lock key taken while a server database is upgraded


def stored_revision(conn: Connection) -> str | None:
    """The revision stamped in the database, or None when it has no alembic_version table."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def probe_file(path: Path, name: str | None = None) -> tuple[str | None, set[str]]:
    """Revision and table names of a SQLite file, read without changing its content (`name` is
    how messages call the file, e.g. the original of a copy). A file of a known revision that
    holds SQL its migrations do not create is refused (core.storage.schema_guard)."""
    if not path.exists() or path.stat().st_size == 0:
        return None, set()
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            conn.execute(f"PRAGMA {UNTRUSTED_PRAGMA}")
            objects = conn.execute(SCHEMA_QUERY).fetchall()
            tables = {name for kind, name, _ in objects if kind == "table"}
            revision = None
            if "alembic_version" in tables:
                revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = revision[0] if revision else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{name or path}: cannot open as a project ({reason(exc)})") from None
    if revision in REVISIONS:
        check_schema(str(name or path), objects, revision)
    return revision, tables - {"alembic_version", "sqlite_sequence"}


def ensure_schema(engine: Engine, path: Path | None) -> str | None:
    """Create or upgrade the schema to HEAD; returns the backup path's name if one was made.

    A database of a newer version, or some other program's database, is refused unchanged.
    On a server (`path` None) no copy is made: the upgrade is one transaction (PostgreSQL DDL
    is transactional), so a failed upgrade leaves the database as it was (docs/server.md).
    """
    if path is not None:
        revision, tables = probe_file(path)
    else:
        with engine.connect() as conn:
            revision = stored_revision(conn)
            tables = set(inspect(conn).get_table_names())
    if revision == HEAD:
        return None
    check_revision(str(path or engine.url), revision, tables)
    backup = backup_file(path, revision) if revision is not None and path is not None else None
    upgrade(engine)
    return str(backup) if backup else None


def check_revision(where: str, revision: str | None, tables: set[str]) -> None:
    """Refuse some other program's database, a newer schema, or a project missing tables."""
    if revision is None and tables:
        detail = ", ".join(sorted(tables)[:5])
        raise ProjectError(f"{where}: not an annotator project (it has tables {detail})")
    if revision is not None and revision not in REVISIONS:
        raise ProjectError(
            f"{where}: made by a newer version of annotator (schema {revision}, "
            f"this version knows up to {HEAD}); please upgrade annotator"
        )
    if tables and not tables >= _OURS:
        raise ProjectError(f"{where}: damaged project (tables missing)")


def backup_file(path: Path, revision: str) -> Path:
    """Copy the database before an upgrade: byte for byte when it is at rest, else through
    SQLite's backup API (so committed pages still in the WAL file come along)."""
    target = path.with_name(f"{path.name}.backup-schema-{revision}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.backup-schema-{revision}-{n}")
    copy_database(path, target)
    return target


def copy_database(path: Path, target: Path) -> None:
    """Copy a database without writing to it: byte for byte when it is at rest, else through
    SQLite's backup API on a read-only connection (committed pages in the WAL come along)."""
    wal = path.with_name(path.name + "-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        shutil.copy2(path, target)
        return
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(target)
        with dest:
            source.backup(dest)
        dest.close()
    finally:
        source.close()


def upgrade(engine: Engine, revision: str = HEAD) -> None:
    """Run the Alembic migrations up to `revision` in one transaction (Alembic imported only
    here)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "annotator.core.storage:migrations")
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            # the owner's upgrade waits for locks and runs as long as it needs
            conn.execute(text("SET LOCAL lock_timeout = 0"))
            conn.execute(text("SET LOCAL statement_timeout = 0"))
            # clients opening an old server database at once: one upgrades, the rest wait
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
            if stored_revision(conn) == revision:
                conn.commit()
                return
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        conn.commit()
