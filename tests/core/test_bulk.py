"""Bulk inserts: the multi-row VALUES path on SQLite stores exactly what a Core executemany
stores, constants (the same value in every row) included, however the rows are split."""

from __future__ import annotations

from datetime import datetime

import pytest
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


def _sqlite_only(project):
    if project.engine.dialect.name != "sqlite":
        pytest.skip("multi-row VALUES statements are the SQLite path")


def _rows(project):
    doc = next(iter(project.add_document("Baykar sold the TB2 to 中国 🚀 buyers.").documents))
    label = project.label("ACTOR").id
    return [
        (doc, label, 0, 6, 0.25, "lexicon", "pending"),
        (doc, label, 23, 25, 0.5, "lexicon", "pending"),
        (doc, label, 12, 19, 1.0, 'model "q" ü', "pending"),
    ]


def test_values_path_keeps_order_types_and_text(project):
    rows = _rows(project)
    _insert(project, rows)
    assert _stored(project) == rows
    assert all(isinstance(row[4], float) for row in _stored(project))


def test_core_fallback_stores_the_same(project, monkeypatch):
    monkeypatch.setattr(bulk, "_is_sqlite", lambda conn: False)
    rows = _rows(project)
    _insert(project, rows)
    assert _stored(project) == rows


@pytest.mark.parametrize(
    ("limit", "sizes"),
    [(7, [1] * 6), (12, [2, 2, 2]), (17, [2, 2, 2]), (999, [4, 2])],
)
def test_rows_are_split_to_fit_the_parameter_limit(project, monkeypatch, limit, sizes):
    """A row binds 5 values (+ 2 constants once): 7 parameters fit one row, 12 two, 17 three
    (statements hold a power of two: 2); 6 rows in few shapes: 4 + 2."""
    _sqlite_only(project)
    doc, label = _rows(project)[0][:2]  # adds a document (through bulk too) before counting
    statements = []
    monkeypatch.setattr(bulk, "_variable_limit", lambda conn: limit)
    real = bulk._values_insert

    def counting(conn, table, columns, constant, count, *more, **options):
        statements.append(count)
        return real(conn, table, columns, constant, count, *more, **options)

    monkeypatch.setattr(bulk, "_values_insert", counting)
    rows = [(doc, label, i, i + 3, i / 4, "lexicon", "pending") for i in range(6)]
    _insert(project, rows)
    assert _stored(project) == rows
    assert statements == sizes


@pytest.mark.parametrize(
    ("total", "most", "sizes"),
    [(0, 512, []), (1000, 512, [512, 256, 128, 64, 32, 8]), (1030, 512, [512, 512, 4, 2])],
)
def test_statement_sizes_are_powers_of_two_that_add_up(total, most, sizes):
    assert bulk._statement_sizes(total, most) == sizes


def test_the_parameter_limit_is_read_from_the_connection(project):
    _sqlite_only(project)
    with project.engine.connect() as conn:
        assert bulk._variable_limit(conn) >= 999


def test_no_rows_is_a_no_op(project):
    _insert(project, [])
    assert _stored(project) == []


def test_returning_gives_the_inserted_rows_on_both_paths(project, monkeypatch):
    rows = _rows(project)
    with project.engine.begin() as conn:
        first = bulk.insert_rows(
            conn,
            SuggestionRow.__table__,
            COLUMNS[:5],
            [row[:5] for row in rows[:2]],
            {"model": "m", "status": "pending"},
            returning=("id", "start"),
        )
    monkeypatch.setattr(bulk, "_is_sqlite", lambda conn: False)
    with project.engine.begin() as conn:
        second = bulk.insert_rows(
            conn,
            SuggestionRow.__table__,
            COLUMNS[:5],
            [rows[2][:5]],
            {"model": "m", "status": "pending"},
            returning=("id", "start"),
        )
    with project.engine.connect() as conn:
        stored = conn.execute(select(SuggestionRow.id, SuggestionRow.start)).all()
    assert sorted(first + second) == sorted(tuple(row) for row in stored)
    assert sorted(start for _id, start in first) == [0, 23]


def test_a_datetime_constant_reads_back_equal(project):
    """Constants go through the column type, as the ORM stores them (not the driver's datetime
    adapter, deprecated since Python 3.12)."""
    from annotator.core.storage.orm import AnnotatorRow, SuggestionDecisionRow

    row = _rows(project)[0]
    project.add_span(row[0], "alice", "ACTOR", 0, 6)  # makes the annotator
    when = datetime(2026, 12, 6, 4, 0, 0, 250)
    with project.engine.begin() as conn:
        bulk.insert_rows(conn, SuggestionRow.__table__, COLUMNS, [row])
        suggestion_id = conn.execute(select(SuggestionRow.id)).scalar_one()
        annotator_id = conn.execute(select(AnnotatorRow.id)).scalar_one()
        bulk.insert_rows(
            conn,
            SuggestionDecisionRow.__table__,
            ("suggestion_id",),
            [(suggestion_id,)],
            {"annotator_id": annotator_id, "status": "accepted", "decided_at": when},
        )
    with project.engine.connect() as conn:
        assert conn.execute(select(SuggestionDecisionRow.decided_at)).scalar_one() == when


def test_new_rows_leave_out_repeated_keys_and_count_the_rest(project):
    """On both paths: a row repeating a stored unique key, or an earlier row's, is left out
    (the first wins); the count is of the rows inserted."""
    doc, label, *_ = _rows(project)[0]
    constants = {"model": "lexicon", "status": "pending"}
    table, columns = SuggestionRow.__table__, COLUMNS[:5]
    with project.engine.begin() as conn:
        assert bulk.insert_new_rows(conn, table, columns, [(doc, label, 0, 6, 0.5)], constants) == 1
        rows = [(doc, label, 0, 6, 0.9), (doc, label, 7, 9, 0.25), (doc, label, 7, 9, 1.0)]
        assert bulk.insert_new_rows(conn, table, columns, rows, constants) == 1
        assert bulk.insert_new_rows(conn, table, columns, [], constants) == 0
    assert _stored(project) == [
        (doc, label, 0, 6, 0.5, "lexicon", "pending"),
        (doc, label, 7, 9, 0.25, "lexicon", "pending"),
    ]
