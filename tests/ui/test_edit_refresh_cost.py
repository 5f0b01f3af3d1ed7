"""The window's views follow an edit from its change record: the status bar reads nothing (the
record carries the statuses before and after) and the document list re-reads a row in one
statement, and not at all for a relabel, which changes nothing it shows."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QStatusBar

from annotator.core.commands import (
    AddSpanCommand,
    RelabelSpanCommand,
    SetStatusCommand,
    StartDocument,
)
from annotator.core.model import ImportedDocument, Status
from annotator.ui.document_model import DocumentTableModel
from annotator.ui.status_bar import StatusBarController
from annotator.ui.workspace import Workspace
from sql_count import counting_sql

TEXT = "Baykar sold the TB2 to Azerbaijan, and Pakistan built the JF-17 with China."


@pytest.fixture
def views(qapp, project):
    """A workspace on the first of three documents, its status bar and its document list
    (alice has skipped the third)."""
    ids = project.import_documents([ImportedDocument(f"{n}. {TEXT}") for n in range(3)])
    project.set_status(ids.document_ids[2], "alice", Status.SKIPPED)
    workspace = Workspace(project, "alice")
    bar = QStatusBar()
    status = StatusBarController(bar, workspace)
    documents = DocumentTableModel(workspace)
    documents.fetchMore(QModelIndex())
    workspace.open_document(ids.document_ids[0])
    yield workspace, status, documents
    bar.deleteLater()


def test_the_first_span_refreshes_the_views_in_two_statements(views):
    workspace, status, documents = views
    doc = workspace.document.id
    command = AddSpanCommand(
        doc, "alice", "ACTOR", 3, 9, start_document=StartDocument(doc, "alice")
    )
    with counting_sql(workspace.project) as count:
        assert workspace.execute(command)
    assert count.statements <= 10 and count.transactions == 2  # the edit, then one list read
    assert status.spans.text() == "1 span · in progress"
    assert status.progress.text() == "0 / 3 done"
    row = documents.summary(documents.row_of(doc))
    assert (row.span_count, row.status.value) == (1, "in_progress")


def test_marking_done_counts_it_without_reading(views):
    workspace, status, documents = views
    doc = workspace.document.id
    with counting_sql(workspace.project) as count:
        assert workspace.execute(SetStatusCommand(doc, "alice", Status.DONE))
    assert count.statements <= 7  # the write (5) and the list's row (2); no recount
    assert status.progress.text() == "1 / 3 done" and status.spans.text().endswith("· done")
    workspace.undo()
    assert status.progress.text() == "0 / 3 done" and status.spans.text().endswith("· todo")
    assert documents.summary(documents.row_of(doc)).done_by == 0


def test_a_relabel_does_not_reread_the_document_list(views):
    workspace, _status, documents = views
    doc = workspace.document.id
    workspace.execute(AddSpanCommand(doc, "alice", "ACTOR", 3, 9))
    (span,) = workspace.project.spans(doc, "alice")
    with counting_sql(workspace.project) as count:
        assert workspace.execute(RelabelSpanCommand(span.id, label="PLATFORM"))
    assert count.transactions == 1  # the edit's own: no read transaction for the list
    assert documents.summary(documents.row_of(doc)).span_count == 1
