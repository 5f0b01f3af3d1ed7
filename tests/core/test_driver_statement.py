"""A statement sent straight to the driver (core.storage.driver, the server's add_span) stores
and returns what `Connection.execute` does, on SQLite and on a server: the statement's own
literals, the column types' bind processing, the dialect's parameter style; the driver's errors
come out as SQLAlchemy's, and the connection stays usable."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import bindparam, insert, literal, select
from sqlalchemy.exc import IntegrityError

from annotator.core.storage.driver import DriverStatement
from annotator.core.storage.orm import SpanRow

pytestmark = pytest.mark.any_backend

COLUMNS = ("document_id", "annotator_id", "label_id", "start", "end", "source", "note")
ADD = DriverStatement(
    insert(SpanRow)
    .values({name: bindparam(name) for name in (*COLUMNS, "created_at", "updated_at")})
    .returning(SpanRow.id, SpanRow.start, SpanRow.source, literal(7))
)
WHEN = datetime(2024, 2, 29, 23, 59, 1)  # no microseconds: a driver's own adapter drops them


def span_values(doc: int, annotator_id: int, label_id: int, start: int) -> dict[str, object]:
    return {
        "document_id": doc,
        "annotator_id": annotator_id,
        "label_id": label_id,
        "start": start,
        "end": start + 3,
        "source": "manual",
        "note": "🚀 ملاحظة 注",
        "created_at": WHEN,
        "updated_at": WHEN,
    }


@pytest.fixture
def ids(project) -> tuple[int, int, int]:
    """A document, an annotator and a label (from a first span, then removed)."""
    doc = next(iter(project.add_document("Baykar sold the TB2 to Azerbaijan.").documents))
    span = project.span(project.add_span(doc, "alice", "ACTOR", 0, 6).spans_added[0])
    with project.store.read() as s:
        row = s.get(SpanRow, span.id)
        found = (doc, row.annotator_id, row.label_id)
    project.remove_span(span.id)
    return found


def test_a_row_goes_in_and_comes_back_as_through_execute(project, ids):
    with project.engine.begin() as conn:
        sent = [ADD.first_row(conn, span_values(*ids, start=start))[1:] for start in (7, 11)]
        through_sqlalchemy = conn.execute(ADD.statement, span_values(*ids, start=16)).one()
    assert sent == [(7, "manual", 7), (11, "manual", 7)]
    assert tuple(through_sqlalchemy)[1:] == (16, "manual", 7)
    with project.engine.connect() as conn:
        stored = conn.execute(
            select(SpanRow.start, SpanRow.note, SpanRow.created_at).order_by(SpanRow.start)
        ).all()
        # on SQLite a datetime is stored as text: the same text either way (bind processing)
        raw = conn.exec_driver_sql("SELECT DISTINCT created_at FROM span").all()
    assert [tuple(row) for row in stored] == [
        (start, "🚀 ملاحظة 注", WHEN) for start in (7, 11, 16)
    ]
    assert len(raw) == 1


def test_a_driver_error_is_sqlalchemys_and_the_connection_carries_on(project, ids):
    with project.engine.begin() as conn:
        ADD.first_row(conn, span_values(*ids, start=7))
    with pytest.raises(IntegrityError), project.engine.begin() as conn:
        ADD.first_row(conn, span_values(*ids, start=7))
    with project.engine.begin() as conn:
        ADD.first_row(conn, span_values(*ids, start=11))
    with project.engine.connect() as conn:
        assert conn.scalars(select(SpanRow.start).order_by(SpanRow.start)).all() == [7, 11]
