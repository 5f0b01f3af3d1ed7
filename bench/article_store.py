"""Where the article view benchmarks read and write: a project file holding the article, opened
and edited as the app does (ours), or with raw sqlite3 (the floor for the ExtraSelections side).

Both sides time an open from the database (the text and the annotator's spans) and every edit
with its commit (WAL, synchronous=FULL, as the project's engine sets it).
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from annotator.core.model import Document, ImportedDocument, ImportedSpan, Span
from annotator.core.project import Project
from bench.article_data import span

ANNOTATOR = "bench"


def make_project(path: Path, text: str, spans: list[Span]) -> int:
    """A new project holding the article and the spans in the benchmark annotator's layer;
    the document's id."""
    marks = [ImportedSpan(s.start, s.end, s.label) for s in spans]
    article = ImportedDocument(
        text, "Benchmark article", ANNOTATOR, spans=marks, annotator=ANNOTATOR, verbatim=True
    )
    with Project.create(path) as project:
        return project.import_documents([article]).document_ids[0]


class ProjectStore:
    """The app's path: Project.document + span_layer to open, one committed command per edit."""

    def __init__(self, path: Path, document_id: int) -> None:
        self.project = Project.open(path)
        self.document_id = document_id

    def open(self) -> tuple[Document, list[Span]]:
        """The document and its layer, read from the database."""
        document = self.project.document(self.document_id)
        return document, self.project.span_layer(self.document_id, ANNOTATOR)

    def add(self, new: Span) -> Span:
        changes = self.project.add_span(self.document_id, ANNOTATOR, new.label, new.start, new.end)
        return replace(new, id=changes.spans_added[0])

    def remove(self, old: Span) -> None:
        self.project.remove_span(old.id)

    def close(self) -> None:
        self.project.close()

    def relabel(self, target: Span, label: str) -> Span:
        self.project.relabel_span(target.id, label)
        return replace(target, label=label)


class RawStore:
    """The floor: one sqlite3 connection, one statement per read and per edit, each edit its
    own committed transaction."""

    def __init__(self, path: Path, document_id: int) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
            self.conn.execute(f"PRAGMA {pragma}")
        self.document_id = document_id
        self.labels = dict(self.conn.execute("SELECT name, id FROM label"))
        query = "SELECT id FROM annotator WHERE name = ?"
        self.annotator_id = self.conn.execute(query, (ANNOTATOR,)).fetchone()[0]

    def open(self) -> tuple[Document, list[Span]]:
        query = "SELECT title, source, text, sha256 FROM document WHERE id = ?"
        title, source, text, sha = self.conn.execute(query, (self.document_id,)).fetchone()
        rows = self.conn.execute(
            'SELECT span.id, label.name, start, "end" FROM span JOIN label ON label.id = label_id '
            "WHERE document_id = ? AND annotator_id = ?",
            (self.document_id, self.annotator_id),
        )
        spans = [span(span_id, label, start, end) for span_id, label, start, end in rows]
        return Document(self.document_id, title, source, text, sha), spans

    def add(self, new: Span) -> Span:
        row = (self.document_id, self.annotator_id, self.labels[new.label], new.start, new.end)
        with self._transaction():
            cursor = self.conn.execute(
                'INSERT INTO span (document_id, annotator_id, label_id, start, "end", source, '
                "note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'manual', '', "
                "datetime('now'), datetime('now'))",
                row,
            )
        return replace(new, id=cursor.lastrowid)

    def remove(self, old: Span) -> None:
        with self._transaction():
            self.conn.execute("DELETE FROM span WHERE id = ?", (old.id,))

    def relabel(self, target: Span, label: str) -> Span:
        with self._transaction():
            query = "UPDATE span SET label_id = ? WHERE id = ?"
            self.conn.execute(query, (self.labels[label], target.id))
        return replace(target, label=label)

    def close(self) -> None:
        self.conn.close()

    def _transaction(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn  # its context manager commits (or rolls back) the transaction
