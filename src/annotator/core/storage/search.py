"""Full-text search over documents: SQLite FTS5 when compiled in, a plain substring scan else."""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    and_,
    column,
    func,
    inspect,
    or_,
    text,
    true,
)

from annotator.core.storage.orm import DocumentRow

FTS_TABLE = "document_fts"

_CREATE = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, text, content='document', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER document_fts_ai AFTER INSERT ON document BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    f"CREATE TRIGGER document_fts_ad AFTER DELETE ON document BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text) "
    f"VALUES ('delete', old.id, old.title, old.text); END",
    f"CREATE TRIGGER document_fts_au AFTER UPDATE ON document BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text) "
    f"VALUES ('delete', old.id, old.title, old.text); "
    f"INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]


def fts5_available(conn: Connection) -> bool:
    """True on SQLite builds with FTS5 compiled in."""
    if conn.dialect.name != "sqlite":
        return False
    return bool(conn.execute(text("SELECT sqlite_compileoption_used('ENABLE_FTS5')")).scalar())


def create_fts_index(conn: Connection) -> None:
    """Create the FTS5 index and the triggers that keep it in step (no-op without FTS5)."""
    if fts5_available(conn):
        for statement in _CREATE:
            conn.execute(text(statement))


def drop_fts_index(conn: Connection) -> None:
    """Remove the FTS5 index and its triggers."""
    if conn.dialect.name != "sqlite":
        return
    for trigger in ("document_fts_ai", "document_fts_ad", "document_fts_au"):
        conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
    conn.execute(text(f"DROP TABLE IF EXISTS {FTS_TABLE}"))


def has_fts_index(conn: Connection) -> bool:
    """True when this database carries the FTS5 index."""
    return conn.dialect.name == "sqlite" and inspect(conn).has_table(FTS_TABLE)


def fts_query(user_text: str) -> str:
    """Quote every word so user input is never parsed as FTS5 syntax (all words must match)."""
    words = user_text.split()
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def text_matches(user_text: str, use_fts: bool) -> ColumnElement[bool]:
    """A WHERE clause selecting documents whose title or text contain every word given."""
    words = user_text.split()
    if not words:
        return true()
    if use_fts:
        matching = (
            text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q")
            .bindparams(q=fts_query(user_text))
            .columns(column("rowid", Integer))
        )
        return DocumentRow.id.in_(matching)
    return and_(
        *(
            or_(
                func.lower(DocumentRow.text).contains(word.lower(), autoescape=True),
                func.lower(DocumentRow.title).contains(word.lower(), autoescape=True),
            )
            for word in words
        )
    )
