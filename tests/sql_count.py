"""Count the SQL statements and transactions a piece of work costs a project."""

from __future__ import annotations

import tempfile
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


@dataclass
class RoundTrips:
    """Round trips to a PostgreSQL server and the statements sent in them (BEGIN and COMMIT
    included, whether through SQLAlchemy or straight to the driver), known once the counting
    block ends."""

    count: int = 0
    statements: int = 0


@contextmanager
def counting_round_trips(project) -> Iterator[RoundTrips]:
    """Count, while the block runs, the round trips the project's writer engine makes to a
    PostgreSQL server: the ReadyForQuery messages in libpq's trace of each connection it hands
    out (the server sends one at the end of each query or Sync; BEGIN and COMMIT are round trips
    of their own)."""
    from psycopg import pq

    trips = RoundTrips()
    trace = tempfile.TemporaryFile()  # noqa: SIM115 (read and closed as the block ends)

    def on_checkout(dbapi_conn, _record, _proxy) -> None:
        dbapi_conn.pgconn.trace(trace.fileno())
        dbapi_conn.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)

    def on_checkin(dbapi_conn, _record) -> None:
        dbapi_conn.pgconn.untrace()

    engine = project.engine
    event.listen(engine, "checkout", on_checkout)
    event.listen(engine, "checkin", on_checkin)
    try:
        yield trips
    finally:
        event.remove(engine, "checkout", on_checkout)
        event.remove(engine, "checkin", on_checkin)
        with trace:
            trace.seek(0)
            messages = [line.split("\t") for line in trace.read().decode().splitlines()]
        trips.count = sum(m[0] == "B" and m[2].startswith("ReadyForQuery") for m in messages)
        trips.statements = sum(
            m[0] == "F" and m[2].startswith(("Execute", "Query")) for m in messages
        )
