"""A shared project file may carry someone else's SQL: check its schema before using it.

SQLite stores triggers, views, indexes and table definitions in the file itself, and runs them
on ordinary edits: a planted trigger can delete other annotators' spans when one span is added,
a changed foreign key can cascade a deletion. A file is used only when every object in its
`sqlite_master` is one the migrations create at the file's revision (core.storage.
expected_schema, generated from the migrations); anything else is refused, naming the objects.

Comparison is on normalised SQL: whitespace collapsed, identifier double quotes dropped, and the
clauses of a CREATE TABLE compared as a set (a batch migration rebuilds a table with its
constraints in no fixed order). Internal indexes SQLite makes for UNIQUE and PRIMARY KEY
constraints have no SQL and run nothing; SQLite's own statistics tables are allowed.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.errors import ProjectError
from annotator.core.storage.expected_schema import OBJECTS

SchemaObject = tuple[str, str, str]
"""(type, name, normalised SQL) of one sqlite_master row."""
SQLITE_OWN = frozenset(
    {
        ("table", "sqlite_stat1", "CREATE TABLE sqlite_stat1(tbl,idx,stat)"),
        ("table", "sqlite_stat4", "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)"),
    }
)
"""Tables SQLite itself creates on ANALYZE (normalised): data only, no code."""
SHOWN_OBJECTS = 5
SHOWN_NAME_CHARS = 60
SCHEMA_QUERY = "SELECT type, name, sql FROM sqlite_master"


def normalised(sql: str) -> str:
    """The SQL text in a form that compares equal for equal definitions (see module doc)."""
    flat = " ".join(sql.replace('"', "").split())
    if not flat.upper().startswith("CREATE TABLE"):
        return flat
    head, body, tail = _table_parts(flat)
    return f"{head}({','.join(sorted(body))}){tail}"


def _table_parts(flat: str) -> tuple[str, list[str], str]:
    """A CREATE TABLE statement as (text before the column list, its top-level clauses,
    text after it)."""
    start = flat.find("(")
    if start < 0:
        return flat, [], ""
    depth = 0
    clauses: list[str] = []
    current: list[str] = []
    for position in range(start + 1, len(flat)):
        char = flat[position]
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                clauses.append("".join(current).strip())
                return flat[:start].strip(), clauses, flat[position + 1 :].strip()
            depth -= 1
        elif char == "," and depth == 0:
            clauses.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    return flat, [], ""  # unbalanced: compared as a whole, so it matches nothing expected


def expected_objects(revision: str) -> frozenset[SchemaObject]:
    """What the migrations create at `revision` (core.storage.expected_schema)."""
    return frozenset(_schema_object(line) for line in OBJECTS[revision])


def _schema_object(line: str) -> SchemaObject:
    """One "TYPE NAME NORMALISED-SQL" line of expected_schema as its three parts."""
    kind, name, sql = line.split(" ", 2)
    return kind, name, sql


def foreign_objects(rows: Iterable[tuple[str, str, str | None]], revision: str) -> list[str]:
    """The objects of a file at `revision` that its migrations do not create, as `type 'name'`
    (names repr-quoted: they come from the file)."""
    if revision not in OBJECTS:
        return [f"schema revision {revision} (this build has no list of its objects)"]
    allowed = expected_objects(revision) | SQLITE_OWN
    found = []
    for kind, name, sql in rows:
        if kind == "index" and sql is None:
            continue  # SQLite's own index behind a UNIQUE / PRIMARY KEY constraint
        if (kind, name, normalised(sql or "")) not in allowed:
            found.append(f"{kind} {name[:SHOWN_NAME_CHARS]!r}")
    return sorted(found)


def check_schema(where: str, rows: Iterable[tuple[str, str, str | None]], revision: str) -> None:
    """Refuse a file holding database objects the migrations of its revision do not create."""
    found = foreign_objects(rows, revision)
    if not found:
        return
    shown = ", ".join(found[:SHOWN_OBJECTS])
    more = f" and {len(found) - SHOWN_OBJECTS} more" if len(found) > SHOWN_OBJECTS else ""
    raise ProjectError(
        f"{where}: refused: it holds SQL that annotator did not create ({shown}{more}); "
        "such SQL could change or delete annotations when the file is edited; nothing was changed"
    )
