"""A statement sent straight to the DB-API driver under a SQLAlchemy connection, for a hot path
whose statement is already one round trip and whose CPU is mostly SQLAlchemy's execution (its
context, cursor wrapper, result and events): span_add.ADD_AT_ONCE, each key press on a server.
Measured there: 0.29 ms of client CPU per add through `Connection.execute` (0.31 ms through
`exec_driver_sql`), about 0.15 ms this way, 0.06 ms of it the driver's own.

The statement is compiled once per dialect (so its SQL must not depend on the parameters given:
an insert names its values as bound parameters); its parameters go through the column types' bind
processors as `Connection.execute` would send them, in the dialect's parameter style. Rows come
back as the driver gives them (tuples, no result processing: read ints and strings with it).
The driver's errors come out as SQLAlchemy's (IntegrityError, OperationalError, ...), so callers
and `failures.storage_errors` handle them as any other, and a connection the server dropped is
invalidated, as SQLAlchemy does, so the pool replaces it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from sqlalchemy import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement


class DriverStatement:
    """A Core statement run on the driver of the connection it is given (see the module)."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def first_row(self, conn: Connection, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """Run the statement with `params` on `conn`'s driver (in `conn`'s transaction, or
        committed as it ends where `conn` is in autocommit mode): its first row, or None."""
        dialect = conn.dialect
        compiled = self._compiled.get((dialect.name, dialect.driver))
        if compiled is None:
            compiled = self._compiled[(dialect.name, dialect.driver)] = _Compiled(
                cast(SQLCompiler, self.statement.compile(dialect=dialect)), dialect
            )
        sent = compiled.parameters(params)
        driver = conn.connection.dbapi_connection
        cursor = conn.connection.cursor()
        try:
            cursor.execute(compiled.sql, sent)
            row: tuple[Any, ...] | None = cursor.fetchone()
            return row
        except dialect.loaded_dbapi.Error as exc:
            lost = dialect.is_disconnect(exc, driver, cursor)
            if lost:
                conn.invalidate(exc)
            raise DBAPIError.instance(
                compiled.sql,
                sent,
                exc,
                dialect.loaded_dbapi.Error,
                connection_invalidated=lost,
                dialect=dialect,
            ) from exc
        finally:
            cursor.close()


class _Compiled:
    """A statement's SQL for one dialect, with what turns parameters into the driver's."""

    def __init__(self, compiled: SQLCompiler, dialect: Dialect) -> None:
        self.sql = compiled.string
        self._fixed: dict[str, Any] = {}
        self._processors: dict[str, Callable[[Any], Any]] = {}
        for bind, name in compiled.bind_names.items():
            if not bind.required:
                self._fixed[name] = bind.effective_value
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                self._processors[name] = process
        self._order = compiled.positiontup if dialect.positional else None

    def parameters(self, params: Mapping[str, Any]) -> dict[str, Any] | tuple[Any, ...]:
        """`params` with the statement's own literals, processed, in the dialect's style."""
        values = {**self._fixed, **params}
        for name, process in self._processors.items():
            values[name] = process(values[name])
        if self._order is None:
            return values
        return tuple(values[name] for name in self._order)
