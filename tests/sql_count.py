"""Count the SQL statements and transactions a piece of work costs a project."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import event


@dataclass
class SqlCount:
    """Statements sent to the database and transactions begun, on every engine of a project."""

    statements: int = 0
    transactions: int = 0


@contextmanager
def counting_sql(project) -> Iterator[SqlCount]:
    """Count, while the block runs, what `project`'s engines (writer and reader) execute."""
    count = SqlCount()

    def on_statement(*_args) -> None:
        count.statements += 1

    def on_begin(_connection) -> None:
        count.transactions += 1

    engines = {id(e): e for e in (project.engine, project.read_engine)}.values()
    for engine in engines:
        event.listen(engine, "before_cursor_execute", on_statement)
        event.listen(engine, "begin", on_begin)
    try:
        yield count
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", on_statement)
            event.remove(engine, "begin", on_begin)
