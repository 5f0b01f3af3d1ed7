"""Bring a project file to the schema this code expects: create, upgrade (with backup) or refuse."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from annotator.core.errors import ProjectError

REVISIONS = ("0001", "0002", "0003", "0004")
"""Every schema revision in order; the last is the one this code writes."""
HEAD = REVISIONS[-1]
_OURS = {"label", "document", "span", "annotator"}


def stored_revision(conn: Connection) -> str | None:
    """The revision stamped in the database, or None when it has no alembic_version table."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def probe_file(path: Path) -> tuple[str | None, set[str]]:
    """Revision and table names of a SQLite file, read without changing a byte of it."""
    if not path.exists() or path.stat().st_size == 0:
        return None, set()
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            tables = {
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in tables:
                revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = revision[0] if revision else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        reason = "not a SQLite database" if "not a database" in str(exc) else str(exc)
        raise ProjectError(f"{path}: cannot open as a project ({reason})") from None
    return revision, tables - {"alembic_version", "sqlite_sequence"}


def ensure_schema(engine: Engine, path: Path | None) -> str | None:
    """Create or upgrade the schema to HEAD; returns the backup path's name if one was made.

    A database of a newer version, or some other program's database, is refused unchanged.
    """
    if path is not None:
        revision, tables = probe_file(path)
    else:
        with engine.connect() as conn:
            revision = stored_revision(conn)
            tables = set(inspect(conn).get_table_names())
    if revision == HEAD:
        return None
    if revision is None and tables:
        detail = ", ".join(sorted(tables)[:5])
        raise ProjectError(
            f"{path or engine.url}: not an annotator project (it has tables {detail})"
        )
    if revision is not None and revision not in REVISIONS:
        raise ProjectError(
            f"{path or engine.url}: made by a newer version of annotator (schema {revision}, "
            f"this version knows up to {HEAD}); please upgrade annotator"
        )
    if tables and not tables >= _OURS:
        raise ProjectError(f"{path or engine.url}: damaged project (tables missing)")
    backup = backup_file(path, revision) if revision is not None and path is not None else None
    _upgrade(engine)
    return str(backup) if backup else None


def backup_file(path: Path, revision: str) -> Path:
    """Copy the database before an upgrade: byte for byte when it is at rest, else through
    SQLite's backup API (so committed pages still in the WAL file come along)."""
    target = path.with_name(f"{path.name}.backup-schema-{revision}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.backup-schema-{revision}-{n}")
    wal = path.with_name(path.name + "-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        shutil.copy2(path, target)
        return target
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        with dest:
            source.backup(dest)
        dest.close()
    finally:
        source.close()
    return target


def _upgrade(engine: Engine) -> None:
    """Run the Alembic migrations up to HEAD in one transaction (Alembic imported only here)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "annotator.core.storage:migrations")
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, HEAD)
        conn.commit()
