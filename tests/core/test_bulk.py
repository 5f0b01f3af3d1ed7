"""Bulk inserts: the JSON path on SQLite stores exactly what a Core executemany stores,
constants (the same value in every row) included."""

from __future__ import annotations

from sqlalchemy import select

from annotator.core.storage import bulk
from annotator.core.storage.orm import SuggestionRow

COLUMNS = ("document_id", "label_id", "start", "end", "score", "model", "status")


def _stored(project):
    with project.engine.connect() as conn:
        rows = conn.execute(
            select(*(SuggestionRow.__table__.c[name] for name in COLUMNS)).order_by(
                SuggestionRow.id
            )
        )
        return [tuple(row) for row in rows]


def _insert(project, rows):
    """Insert with model and status as constants, the way suggestion batches are stored."""
    by_model: dict[str, list[tuple]] = {}
    for row in rows:
        by_model.setdefault(row[5], []).append(row[:5])
    with project.engine.begin() as conn:
        for model, part in by_model.items():
            constants = {"model": model, "status": "pending"}
            bulk.insert_rows(conn, SuggestionRow.__table__, COLUMNS[:5], part, constants)


def _rows(project):
    doc = next(iter(project.add_document("Baykar sold the TB2 to 中国 🚀 buyers.").documents))
    label = project.label("ACTOR").id
    return [
        (doc, label, 0, 6, 0.25, "lexicon", "pending"),
        (doc, label, 23, 25, 0.5, "lexicon", "pending"),
        (doc, label, 12, 19, 1.0, 'model "q" ü', "pending"),
    ]


def test_json_path_keeps_order_types_and_text(project):
    rows = _rows(project)
    _insert(project, rows)
    assert _stored(project) == rows
    assert all(isinstance(row[4], float) for row in _stored(project))


def test_core_fallback_stores_the_same(project, monkeypatch):
    monkeypatch.setattr(bulk, "_sqlite_with_json", lambda conn: False)
    rows = _rows(project)
    _insert(project, rows)
    assert _stored(project) == rows


def test_no_rows_is_a_no_op(project):
    _insert(project, [])
    assert _stored(project) == []
