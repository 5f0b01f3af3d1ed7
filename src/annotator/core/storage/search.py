"""Full-text search over documents: SQLite FTS5 when compiled in, a plain substring scan else."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    and_,
    bindparam,
    column,
    func,
    inspect,
    or_,
    text,
    true,
)

from annotator.core.storage.orm import DocumentRow

FTS_TABLE = "document_fts"

_TABLE = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, text, content='document', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
)
_TRIGGERS = {
    "document_fts_ai": f"CREATE TRIGGER document_fts_ai AFTER INSERT ON document BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "document_fts_ad": f"CREATE TRIGGER document_fts_ad AFTER DELETE ON document BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text) "
    f"VALUES ('delete', old.id, old.title, old.text); END",
    "document_fts_au": f"CREATE TRIGGER document_fts_au AFTER UPDATE ON document BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text) "
    f"VALUES ('delete', old.id, old.title, old.text); "
    f"INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text); END",
}
"""The triggers revision 0002 made to keep the index in step; 0008 drops them, because with
`trusted_schema=OFF` (engine.py) SQLite refuses a virtual table inside a trigger."""
_INDEX_CHUNK = 500


def fts5_available(conn: Connection) -> bool:
    """True on SQLite builds with FTS5 compiled in."""
    if conn.dialect.name != "sqlite":
        return False
    return bool(conn.execute(text("SELECT sqlite_compileoption_used('ENABLE_FTS5')")).scalar())


def create_fts_index(conn: Connection) -> None:
    """Revision 0002: create the FTS5 index and its triggers, fill it (no-op without FTS5)."""
    if fts5_available(conn):
        conn.execute(text(_TABLE))
        create_fts_triggers(conn)
        conn.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))


def drop_fts_index(conn: Connection) -> None:
    """Remove the FTS5 index and its triggers."""
    if conn.dialect.name != "sqlite":
        return
    drop_fts_triggers(conn)
    conn.execute(text(f"DROP TABLE IF EXISTS {FTS_TABLE}"))


def create_fts_triggers(conn: Connection) -> None:
    """Put back the triggers of revision 0002 (downgrade of 0008)."""
    if has_fts_index(conn):
        for statement in _TRIGGERS.values():
            conn.execute(text(statement))


def drop_fts_triggers(conn: Connection) -> None:
    """Revision 0008: the code keeps the index in step (index_documents), not triggers."""
    if conn.dialect.name == "sqlite":
        for trigger in _TRIGGERS:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))


def index_documents(conn: Connection, document_ids: Sequence[int]) -> None:
    """Add newly inserted documents to the search index, in the inserting transaction
    (documents are never updated or deleted one by one; a project's removal takes the file)."""
    if not document_ids or not has_fts_index(conn):
        return
    for first in range(0, len(document_ids), _INDEX_CHUNK):
        conn.execute(
            text(
                f"INSERT INTO {FTS_TABLE}(rowid, title, text) "
                "SELECT id, title, text FROM document WHERE id IN :ids"
            ).bindparams(bindparam("ids", expanding=True)),
            {"ids": list(document_ids[first : first + _INDEX_CHUNK])},
        )


def has_fts_index(conn: Connection) -> bool:
    """True when this database carries the FTS5 index."""
    return conn.dialect.name == "sqlite" and inspect(conn).has_table(FTS_TABLE)


def fts_query(user_text: str) -> str:
    """Quote every word so user input is never parsed as FTS5 syntax (all words must match)."""
    words = user_text.split()
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def text_matches(
    user_text: str, use_fts: bool, also: Sequence[ColumnElement[Any]] = ()
) -> ColumnElement[bool]:
    """A WHERE clause selecting documents in which every word given occurs: in the title or
    text (FTS5 words when `use_fts`, else substrings), or as a substring of an `also` column
    (the navigator passes the source and the date, so `Reuters 2024-03` finds March's
    Reuters articles)."""
    words = user_text.split()
    if not words:
        return true()
    return and_(*(_word_matches(n, word, use_fts, also) for n, word in enumerate(words)))


def _word_matches(
    n: int, word: str, use_fts: bool, also: Sequence[ColumnElement[Any]]
) -> ColumnElement[bool]:
    """The `n`-th word's condition (`n` names its query parameter: each needs its own)."""
    lowered = word.lower()
    if use_fts:
        matching = (
            text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q{n}")
            .bindparams(**{f"q{n}": fts_query(word)})
            .columns(column("rowid", Integer))
        )
        in_text: list[ColumnElement[bool]] = [DocumentRow.id.in_(matching)]
    else:
        in_text = [
            func.lower(DocumentRow.text).contains(lowered, autoescape=True),
            func.lower(DocumentRow.title).contains(lowered, autoescape=True),
        ]
    elsewhere = [func.lower(col).contains(lowered, autoescape=True) for col in also]
    return or_(*in_text, *elsewhere)
