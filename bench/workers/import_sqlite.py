"""Worker, the baseline: the same JSONL rows into the same schema with raw sqlite3 executemany.

Usage: python -m bench.workers.import_sqlite JSONL DB EXPECTED_DOCS EXPECTED_SPANS [TRACED_DB]
DB (and TRACED_DB) must already hold an empty project (`Project.create(path).close()`); this
process imports only the standard library, so its memory is sqlite3's and json's alone.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench.measure import TimedImport, import_worker_main, reset_peak_rss

PRAGMAS = ("busy_timeout=10000", "foreign_keys=ON", "journal_mode=WAL", "synchronous=FULL")
INSERT_DOCUMENT = (
    "INSERT INTO document (title, source, text, sha256, text_key, normalization, meta, "
    "created_at) VALUES (?, ?, ?, ?, ?, '', ?, ?)"
)
INDEX_DOCUMENTS = (
    "INSERT INTO document_fts (rowid, title, text) SELECT id, title, text FROM document"
)
INSERT_SPAN = (
    'INSERT INTO span (document_id, annotator_id, label_id, start, "end", source, note, '
    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'import', '', ?, ?)"
)


def raw_import(jsonl: Path, db: Path) -> None:
    """Parse, hash (deduping by sha256, keying the text apart from whitespace) and insert
    everything in one transaction."""
    now = datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    source = str(jsonl)
    documents: dict[str, tuple] = {}
    spans: list[tuple[str, str, int, int]] = []
    with jsonl.open("rb") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            text, meta = record["text"], record.get("meta") or {}
            sha = sha256_hex(text)
            if sha not in documents:
                title = meta.get("title", "")
                key = sha256_hex(" ".join(text.split()))  # the text apart from whitespace
                documents[sha] = (title, source, text, sha, key, json.dumps(meta), now)
            spans.extend((sha, s["label"], s["start"], s["end"]) for s in record.get("spans", ()))
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for pragma in PRAGMAS:
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(INSERT_DOCUMENT, documents.values())
        conn.execute(INDEX_DOCUMENTS)  # the search index, as the project keeps it
        ids = dict(conn.execute("SELECT sha256, id FROM document"))
        labels = dict(conn.execute("SELECT name, id FROM label"))
        annotator = conn.execute("INSERT INTO annotator (name, is_gold) VALUES ('import', 0)")
        who = annotator.lastrowid
        rows = ((ids[sha], who, labels[lab], st, en, now, now) for sha, lab, st, en in spans)
        conn.executemany(INSERT_SPAN, rows)
        conn.execute("COMMIT")
    finally:
        conn.close()


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def stored(db: Path) -> tuple[int, int]:
    """How many documents and spans the database holds."""
    conn = sqlite3.connect(db)
    try:
        query = "SELECT (SELECT count(*) FROM document), (SELECT count(*) FROM span)"
        return tuple(conn.execute(query).fetchone())
    finally:
        conn.close()


def timed_raw_import(job: Callable[[Path, Path], None]) -> TimedImport:
    """A TimedImport running `job(jsonl, db)`: times it including close, checks the counts."""

    def timed_import(jsonl: Path, db: Path, expected: tuple[int, int]) -> tuple[float, int]:
        rss_start = reset_peak_rss()
        started = time.perf_counter()
        job(jsonl, db)
        seconds = time.perf_counter() - started
        got = stored(db)
        if got != expected:
            raise SystemExit(f"baseline stored {got} (documents, spans), expected {expected}")
        return seconds, rss_start

    return timed_import


if __name__ == "__main__":
    import_worker_main(sys.argv[1:], timed_raw_import(raw_import))
