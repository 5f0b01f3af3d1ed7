"""Bulk inserts that stay off the GIL on SQLite: the rows travel as one JSON parameter.

`executemany` goes back to Python for every row (binding parameters needs the GIL), so a
background thread storing rows fights the thread doing Python work for the GIL on each row.
`INSERT ... SELECT ... FROM json_each(?)` hands SQLite every row at once: one step, no Python
in between, so a store on a background thread really runs beside spaCy on another core. Other
databases (and SQLite builds without JSON, before 3.38) get a plain Core executemany.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert, text

_JSON_SINCE = (3, 38, 0)
"""SQLite includes the JSON functions by default from this version on."""


def insert_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple]
) -> None:
    """Insert `rows` (tuples of JSON-able values in `columns` order) into `table` at once."""
    if not rows:
        return
    if _sqlite_with_json(conn):
        conn.execute(_json_insert(conn, table, columns), {"rows": json.dumps(rows)})
    else:
        conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


def _sqlite_with_json(conn: Connection) -> bool:
    dbapi: Any = conn.dialect.dbapi
    return conn.dialect.name == "sqlite" and dbapi.sqlite_version_info >= _JSON_SINCE


def _json_insert(conn: Connection, table: Table, columns: Sequence[str]):
    quote = conn.dialect.identifier_preparer.quote
    names = ", ".join(quote(column) for column in columns)
    values = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(columns)))
    return text(f"INSERT INTO {quote(table.name)} ({names}) SELECT {values} FROM json_each(:rows)")
