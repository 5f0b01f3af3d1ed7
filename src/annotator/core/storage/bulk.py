"""Bulk inserts that hand SQLite hundreds of rows per statement: multi-row VALUES.

`executemany` runs the statement once per row and binds each row's parameters in Python,
which costs more than SQLite's own insert once tables grow. One `INSERT ... VALUES (...),
(...), ...` per few thousand rows lets SQLite bind them in C. Inserting the ~610,000
suggestion rows of a lexicon run over 10,000 articles (in 157 transactions) took 2.8 s through
executemany, 2.2 s as JSON unpacked by `json_each`, 1.4 s this way (512 rows a statement).
Other databases get a Core executemany (their drivers batch it themselves).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import chain
from typing import Any

from sqlalchemy import Connection, CursorResult, Table, insert

from annotator.core.storage.engine import sqlite_driver

MAX_ROWS_PER_STATEMENT = 4096
"""Rows in one INSERT (fewer where SQLite binds fewer parameters). Alone, 2,048 were no faster
than 512; beside a suggestion run's matching thread, fewer statements are fewer times the
writer takes Python's lock back (its wall time at 10,000 articles: 10.4 s with 512, 3.9 s)."""


def insert_rows(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[tuple[object, ...]],
    constants: Mapping[str, Any] | None = None,
    returning: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """Insert `rows` (tuples in `columns` order) into `table`, each row also getting the
    `constants` (column -> the same value for every row); with `returning`, those columns of
    the inserted rows, in no particular order."""
    if not rows:
        return []
    constants = dict(constants or {})
    if not _is_sqlite(conn):
        statement = insert(table)
        if returning:
            statement = statement.returning(*(table.c[name] for name in returning))
        result = conn.execute(statement, _as_dicts(columns, rows, constants))
        return [tuple(row) for row in result] if returning else []
    found: list[tuple[Any, ...]] = []
    for result in _values_inserts(conn, table, columns, rows, constants, returning):
        if returning:
            found += [tuple(row) for row in result]
    return found


def insert_new_rows(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[tuple[object, ...]],
    constants: Mapping[str, Any] | None = None,
) -> int:
    """`insert_rows`, leaving out each row that would repeat a unique key of the table (one
    already stored, or an earlier row's: the first wins); returns how many were inserted. The
    rows must meet the table's other constraints (on SQLite a row that does not is left out,
    on a server it fails the statement)."""
    if not rows:
        return 0
    constants = dict(constants or {})
    if not _is_sqlite(conn):
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        statement = postgresql_insert(table).on_conflict_do_nothing()
        returned = statement.returning(*table.primary_key.columns)  # only the rows inserted
        return len(conn.execute(returned, _as_dicts(columns, rows, constants)).all())
    results = _values_inserts(conn, table, columns, rows, constants, skip_conflicts=True)
    return sum(result.rowcount for result in results)


def _as_dicts(
    columns: Sequence[str], rows: Sequence[tuple[object, ...]], constants: Mapping[str, Any]
) -> list[dict[str, Any]]:
    return [dict(zip(columns, row, strict=True), **constants) for row in rows]


def _values_inserts(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[tuple[object, ...]],
    constants: Mapping[str, Any],
    returning: Sequence[str] = (),
    *,
    skip_conflicts: bool = False,
) -> Iterator[CursorResult[Any]]:
    """Run the multi-row VALUES inserts of `rows` on SQLite, yielding each statement's result."""
    bound = [_bound(conn, table, name)(value) for name, value in constants.items()]
    converting = _converting(conn, table, columns)
    width = len(columns)
    start = 0
    for count in _statement_sizes(len(rows), _rows_per_statement(conn, columns, constants)):
        values = list(chain.from_iterable(rows[start : start + count]))
        for i, process in converting:  # a column at a time: one C-level pass each
            values[i::width] = map(process, values[i::width])
        sql = _values_insert(
            conn, table, columns, list(constants), count, returning, skip_conflicts=skip_conflicts
        )
        yield conn.exec_driver_sql(sql, (*values, *bound))
        start += count


def _bound(conn: Connection, table: Table, column: str) -> Callable[[Any], Any]:
    """How the column's type hands a value to the driver (a datetime as SQLAlchemy's text, not
    through the driver's adapter, deprecated since Python 3.12)."""
    process = table.c[column].type.bind_processor(conn.dialect)
    return process if process is not None else _as_is


def _as_is(value: Any) -> Any:
    return value


def _converting(
    conn: Connection, table: Table, columns: Sequence[str]
) -> list[tuple[int, Callable[[Any], Any]]]:
    """(position, conversion) of the columns whose type converts values for the driver (the
    rest go as they are)."""
    processes = (_bound(conn, table, column) for column in columns)
    return [(i, process) for i, process in enumerate(processes) if process is not _as_is]


def _rows_per_statement(
    conn: Connection, columns: Sequence[str], constants: Mapping[str, Any]
) -> int:
    """The largest power of two up to MAX_ROWS_PER_STATEMENT whose parameters fit."""
    fit = max(1, (_variable_limit(conn) - len(constants)) // len(columns))
    return 1 << (min(fit, MAX_ROWS_PER_STATEMENT).bit_length() - 1)


def _statement_sizes(total: int, most: int) -> list[int]:
    """Rows per statement: `most` while enough are left, then the rest's binary digits
    (1000 with most=512: 512, 256, 128, 64, 32, 8), so every statement has one of a few
    shapes and stays prepared in the driver's statement cache. Parsing a fresh 4,000-row
    VALUES statement for every batch cost as much as the inserting (2.6 s against 1.4 s)."""
    sizes = [most] * (total // most)
    rest = total % most
    sizes += [1 << bit for bit in reversed(range(rest.bit_length())) if rest & (1 << bit)]
    return sizes


def _is_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def _variable_limit(conn: Connection) -> int:
    """How many parameters one statement may bind on this SQLite connection (999 before
    SQLite 3.32, 32,766 since)."""
    return sqlite_driver(conn).getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


def _values_insert(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    constant: list[str],
    count: int,
    returning: Sequence[str] = (),
    *,
    skip_conflicts: bool = False,
) -> str:
    """`INSERT [OR IGNORE] ... WITH new(...) AS (VALUES (?, ...), ... count times) SELECT
    new.*, ?... [RETURNING ...]`: the constants are bound once, after the rows. INSERT comes
    first so that the driver counts the rows inserted (`rowcount`: it does only for statements
    that start with INSERT, UPDATE, DELETE or REPLACE). OR IGNORE rather than an upsert's ON
    CONFLICT DO NOTHING: with 4,096 rows a statement, that cost SQLite half as much again per
    row (it also leaves out a row breaking a CHECK or NOT NULL constraint: callers check)."""
    quote = conn.dialect.identifier_preparer.quote
    aliases = [f"c{i}" for i in range(len(columns))]
    row = "(" + ", ".join("?" * len(columns)) + ")"
    names = ", ".join(quote(column) for column in [*columns, *constant])
    selected = ", ".join([*aliases, *("?" * len(constant))])
    return (
        f"INSERT {'OR IGNORE ' if skip_conflicts else ''}INTO {quote(table.name)} ({names}) "
        f"WITH new({', '.join(aliases)}) AS (VALUES {', '.join([row] * count)}) "
        f"SELECT {selected} FROM new"
        + (f" RETURNING {', '.join(quote(name) for name in returning)}" if returning else "")
    )
