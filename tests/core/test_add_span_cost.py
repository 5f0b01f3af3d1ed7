"""What adding a span costs the database, on SQLite and on a server (issue 21: ten annotators
on one server, fsync on, p95 ≤ 16 ms per add). On a server an add outside a transaction is one
statement in autocommit: one round trip, its commit included (it was four: BEGIN, a look-up,
the insert, COMMIT), sent straight to the driver (core.storage.driver); inside a command's
transaction it is one statement too, and the annotator's id it read serves the status change.
Refusals give the
same reasons as before and change nothing, the tombstone of the span included."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select

from annotator.core.commands import AddSpanCommand, StartDocument, carried_out
from annotator.core.errors import ConflictError, NotFoundError
from annotator.core.model import LabelKind, Status
from annotator.core.project import Project
from annotator.core.storage import tombstones
from annotator.core.storage.orm import SpanRow
from sql_count import counting_round_trips, counting_sql

pytestmark = pytest.mark.any_backend

TEXT = "Baykar sold the TB2 to Azerbaijan. 🚀 Pakistan built the JF-17 with China.\r\n"


@pytest.fixture
def doc(project: Project) -> int:
    """A document with one span of alice's (so her annotator row exists)."""
    doc_id = next(iter(project.add_document(TEXT).documents))
    project.add_span(doc_id, "alice", "ACTOR", 0, 6)
    return doc_id


def on_server(project: Project) -> bool:
    return project.engine.dialect.name == "postgresql"


def buried(project: Project, doc_id: int) -> set[tuple[str, int, int]]:
    with project.store.read() as s:
        return {(lab, st, en) for _, _, lab, st, en in tombstones.tombstones(s, [doc_id])}


def test_an_add_is_one_round_trip_on_a_server_and_three_statements_on_sqlite(project, doc):
    if on_server(project):
        with counting_sql(project) as count, counting_round_trips(project) as trips:
            span_id = project.add_span(doc, "alice", "ACTOR", 12, 15).spans_added[0]
        # one statement, one round trip, its commit included (was 4 of each); sent straight to
        # the driver, none through SQLAlchemy's execution (was 1: it cost most of the add's CPU)
        assert (trips.statements, trips.count, count.statements) == (1, 1, 0)
    else:
        with counting_sql(project) as count:
            span_id = project.add_span(doc, "alice", "ACTOR", 12, 15).spans_added[0]
        # BEGIN IMMEDIATE, the look-up, the insert, the tombstone's removal: in-process calls
        assert (count.statements, count.transactions) == (4, 1)
    # committed: another connection sees it
    other = create_engine(project.engine.url)
    with other.connect() as conn:
        assert conn.scalar(select(SpanRow.end).where(SpanRow.id == span_id)) == 15
    other.dispose()


def test_a_key_press_reads_the_annotators_id_once(project, doc):
    """The app's add (AddSpanCommand starting the document, one transaction): the status
    change reuses the annotator id the add read. Server: BEGIN, the add, the status row's
    lock, COMMIT (was six round trips); SQLite: BEGIN IMMEDIATE, look-up, insert, tombstone,
    status (was six statements)."""
    first = AddSpanCommand(
        doc, "alice", "ACTOR", 12, 15, start_document=StartDocument(doc, "alice")
    )
    carried_out(project, first.apply)
    command = AddSpanCommand(
        doc, "alice", "ACTOR", 16, 19, start_document=StartDocument(doc, "alice")
    )
    if on_server(project):
        with counting_sql(project) as count, counting_round_trips(project) as trips:
            changes = carried_out(project, command.apply)
        # BEGIN, the add (straight to the driver), the status row's lock (SQLAlchemy), COMMIT
        assert (trips.statements, trips.count, count.statements) == (4, 4, 1)
    else:
        with counting_sql(project) as count:
            changes = carried_out(project, command.apply)
        assert (count.statements, count.transactions) == (5, 1)
    assert changes.spans == (project.span(changes.spans_added[0]),)
    assert project.status(doc, "alice") is Status.IN_PROGRESS


def test_an_annotators_first_span_adds_the_annotator(project, doc):
    changes = project.add_span(doc, "bob", "ACTOR", 0, 6)
    assert [s.annotator for s in project.spans(doc, "bob")] == ["bob"]
    assert changes.spans == (project.span(changes.spans_added[0]),)


def test_a_refused_add_says_why_and_keeps_the_tombstone(project, doc):
    project.add_label("TOPIC", kind=LabelKind.DOCUMENT)
    gone = project.add_span(doc, "alice", "ACTOR", 7, 11).spans_added[0]
    project.remove_span(gone)
    assert buried(project, doc) == {("ACTOR", 7, 11)}
    refusals = [
        (NotFoundError, "no document with id 999", (999, "ACTOR", 7, 11)),
        (ConflictError, "does not fit", (doc, "ACTOR", 7, len(TEXT) + 1)),
        (ConflictError, "does not fit", (doc, "ACTOR", 11, 7)),
        (ConflictError, "does not fit", (doc, "ACTOR", -1, 11)),
        (ConflictError, "must be integers", (doc, "ACTOR", 7.0, 11)),
        (NotFoundError, "no label named 'NOPE'", (doc, "NOPE", 7, 11)),
        (ConflictError, "marks whole documents", (doc, "TOPIC", 7, 11)),
        (ConflictError, "already marked \\[0, 6\\) as ACTOR", (doc, "ACTOR", 0, 6)),
    ]
    for error, reason, (doc_id, label, start, end) in refusals:
        with pytest.raises(error, match=reason):
            project.add_span(doc_id, "alice", label, start, end)
    with project.store.read() as s:
        assert s.scalar(select(func.count()).select_from(SpanRow)) == 1
    assert buried(project, doc) == {("ACTOR", 7, 11)}
    project.add_span(doc, "alice", "ACTOR", 7, 11)  # put back: no longer counted as deleted
    assert buried(project, doc) == set()


def test_the_end_of_the_text_counts_in_code_points(project):
    doc_id = next(iter(project.add_document("Çok güzel 🚀🚀").documents))
    project.add_span(doc_id, "alice", "ACTOR", 10, 12)  # the two rockets: 2 code points
    assert [(s.start, s.end) for s in project.spans(doc_id)] == [(10, 12)]


def test_after_an_add_on_its_own_a_transaction_still_rolls_back_whole(project, doc):
    """The connection that ran an add in autocommit goes back to the pool transactional."""
    project.add_span(doc, "alice", "ACTOR", 12, 15)
    with pytest.raises(RuntimeError), project.transaction():
        project.add_span(doc, "alice", "ACTOR", 16, 19)
        project.add_span(doc, "alice", "ACTOR", 20, 23)
        raise RuntimeError("the user's action fails halfway")
    assert [(s.start, s.end) for s in project.spans(doc)] == [(0, 6), (12, 15)]
