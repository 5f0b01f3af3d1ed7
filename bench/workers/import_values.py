"""Worker, the floor: the same JSONL rows into the same schema with raw sqlite3 multi-row
`VALUES` inserts (512 rows a statement, as core.storage.bulk does), streamed in batches.

Usage: python -m bench.workers.import_values JSONL DB EXPECTED_DOCS EXPECTED_SPANS [TRACED_DB]
DB (and TRACED_DB) must already hold an empty project (`Project.create(path).close()`); this
process imports only the standard library.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path

from bench.measure import import_worker_main
from bench.workers.import_sqlite import PRAGMAS, sha256_hex, timed_raw_import

BATCH = 2_000
"""Documents parsed, then stored, at a time (memory stays flat in the corpus size)."""
ROWS = 512
"""Rows per INSERT statement."""
DOCUMENT_COLUMNS = "title, source, text, sha256, text_key, normalization, meta, created_at"
SPAN_COLUMNS = (
    'document_id, annotator_id, label_id, start, "end", source, note, created_at, updated_at'
)


def values_import(jsonl: Path, db: Path) -> None:
    """Parse, hash (deduping by sha256, keying the text apart from whitespace) and insert
    a batch at a time with multi-row VALUES, all in one transaction."""
    now = datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    source = str(jsonl)
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for pragma in PRAGMAS:
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("BEGIN IMMEDIATE")
        labels = dict(conn.execute("SELECT name, id FROM label"))
        who = conn.execute("INSERT INTO annotator (name, is_gold) VALUES ('import', 0)").lastrowid
        ids: dict[str, int] = {}
        for batch in _batches(jsonl):
            documents: dict[str, tuple[object, ...]] = {}
            spans: list[tuple[str, str, int, int]] = []
            for record in batch:
                text, meta = record["text"], record.get("meta") or {}
                sha = sha256_hex(text)
                if sha not in ids and sha not in documents:
                    key = sha256_hex(" ".join(text.split()))
                    row = (meta.get("title", ""), source, text, sha, key, "", json.dumps(meta), now)
                    documents[sha] = row
                spans.extend(
                    (sha, s["label"], s["start"], s["end"]) for s in record.get("spans", ())
                )
            added = _insert(
                conn, "document", DOCUMENT_COLUMNS, list(documents.values()), "id, sha256"
            )
            ids.update((sha, doc_id) for doc_id, sha in added)
            first, last = min(i for i, _ in added), max(i for i, _ in added)
            conn.execute(
                "INSERT INTO document_fts (rowid, title, text) SELECT id, title, text "
                "FROM document WHERE id BETWEEN ? AND ?",
                (first, last),
            )
            rows = [
                (ids[sha], who, labels[lab], st, en, "import", "", now, now)
                for sha, lab, st, en in spans
            ]
            _insert(conn, "span", SPAN_COLUMNS, rows)
        conn.execute("COMMIT")
    finally:
        conn.close()


def _batches(jsonl: Path) -> Iterator[list[dict[str, object]]]:
    """The file's records, BATCH at a time."""
    batch = []
    with jsonl.open("rb") as lines:
        for line in lines:
            if line.strip():
                batch.append(json.loads(line))
                if len(batch) == BATCH:
                    yield batch
                    batch = []
    if batch:
        yield batch


def _insert(
    conn: sqlite3.Connection,
    table: str,
    columns: str,
    rows: Sequence[tuple[object, ...]],
    returning: str = "",
) -> list[tuple[object, ...]]:
    """Insert `rows`, ROWS per statement (the rest in one last statement); the `returning`
    columns of the inserted rows."""
    width = columns.count(",") + 1
    found: list[tuple[object, ...]] = []
    for start in range(0, len(rows), ROWS):
        part = rows[start : start + ROWS]
        values = ", ".join(["(" + ", ".join("?" * width) + ")"] * len(part))
        sql = f"INSERT INTO {table} ({columns}) VALUES {values}"
        sql += f" RETURNING {returning}" if returning else ""
        found += conn.execute(sql, tuple(chain.from_iterable(part))).fetchall()
    return found


if __name__ == "__main__":
    import_worker_main(sys.argv[1:], timed_raw_import(values_import))
